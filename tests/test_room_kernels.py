"""Which deck the room's pools are for: the one the facilitator has on the projector, not where one trainee looks."""
from __future__ import annotations

from artisan_course.serving.kernel_pools import KernelPools

DECKS = ["00-welcome.ipynb", "01-people-and-persuaders.ipynb", "02-negotiation-process.ipynb",
         "03-anchoring.ipynb"]


class NoKernels:
    """A kernel manager with nothing running (the rule does not depend on kernels)."""

    def list_kernel_ids(self):
        return []


def test_the_class_deck_follows_the_facilitator_once_the_facilitator_has_opened_one():
    room = KernelPools(NoKernels(), notebooks=DECKS, preheat=False)
    assert room.current == DECKS[0] and room.next_deck(room.current) == DECKS[1]
    # Before the facilitator opens a deck, the room follows whoever opened one last (a room without a projector).
    room.open_deck(DECKS[2], learner_id=7)
    assert room.current == DECKS[2]
    room.open_deck(DECKS[1], learner_id=1, facilitator=True)
    assert room.current == DECKS[1] and room.next_deck(room.current) == DECKS[2]
    # A trainee who looks ahead, or goes back, does not move the room's kernels.
    room.open_deck(DECKS[3], learner_id=7)
    room.open_deck(DECKS[0], learner_id=8)
    assert room.current == DECKS[1]
    room.open_deck(DECKS[2], learner_id=1, facilitator=True)
    assert room.current == DECKS[2]
    # Every trainee who opened a deck counts in the room's size, the facilitator included.
    assert room.learners == {1, 7, 8}
