"""The room's pacing on the server, without a browser: the facilitator's slide, release and call back, the count."""
from __future__ import annotations

from artisan_course.serving.pacing import ROOM_SECONDS, Pacing


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_the_facilitator_moves_the_room_and_an_old_page_checking_in_does_not_pull_it_back():
    pacing = Pacing(Clock())
    assert pacing.room_slide() is None
    pacing.lead("00-welcome.ipynb", 0, 0, move=False)  # an empty room (a restarted server) takes a check-in
    assert pacing.room_slide() == ("00-welcome.ipynb", 0, 0)
    pacing.lead("00-welcome.ipynb", 4, 0, ("q-1",))
    pacing.lead("00-welcome.ipynb", 2, 0, move=False)  # another tab, left on an older slide
    assert pacing.room_slide() == ("00-welcome.ipynb", 4, 0) and pacing.items == ("q-1",)
    pacing.lead("00-welcome.ipynb", 4, 0, (), move=False)  # the same slide checking in brings its questions
    assert pacing.items == ()


def test_released_then_called_back_every_deck_is_told_to_follow_again():
    pacing = Pacing(Clock())
    assert pacing.state()["following"] is True
    pacing.release()
    assert pacing.state()["following"] is False
    pacing.gather()
    state = pacing.state()
    assert state["following"] is True and state["gathered"] == 1


def test_on_this_slide_counts_trainees_not_devices_and_forgets_pages_gone_for_ten_minutes():
    clock = Clock()
    pacing = Pacing(clock)
    pacing.lead("00-welcome.ipynb", 3, 0)
    pacing.report(1, "phone", "00-welcome.ipynb", 3, 0)
    pacing.report(1, "laptop", "00-welcome.ipynb", 1, 0)   # one trainee, two devices: counted once, on the slide
    pacing.report(2, "phone", "00-welcome.ipynb", 2, 0)
    pacing.report(3, "phone", "", 0, 0)                    # on the course map
    assert pacing.count() == (1, 3)
    assert pacing.count({1, 2}) == (1, 2)                  # a learner forgotten since is not in the room
    clock.now += ROOM_SECONDS + 1
    pacing.report(2, "phone", "00-welcome.ipynb", 3, 0)
    assert pacing.count() == (1, 1)
    pacing.forget(2)
    assert pacing.count() == (0, 0)
