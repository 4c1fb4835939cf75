"""Leave, Forget, Merge and Reassign end that learner's open pages at once: the old page's kernel connection is
closed by the server, a write it sends afterwards never lands in the store, and its kernel is shut down.

Checked as Voilà's front end talks to the server (the page over HTTP, its kernel's websocket), and in the store.
"""
from __future__ import annotations

import pytest

from artisan_course.state.store import Store
from conftest import free_port, make_course_copy, wait_until
from decks import server_children
from room import RoomServer, Trainee

pytestmark = pytest.mark.browser  # a live server and kernels

DECK = "00-welcome.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = make_course_copy(tmp_path_factory.mktemp("course"))
    room = RoomServer(root, tmp_path_factory.mktemp("store"), free_port(), log_name="actions.log")
    yield room
    room.stop()


def page(trainee: Trainee):
    """Open the welcome deck and its kernel's websocket; the kernel, the socket and the reflection's comm."""
    status, _, kernel = trainee.open_deck(trainee.server.deck(DECK))
    assert status == 200 and kernel
    ws = trainee.connect(kernel)
    return kernel, ws, trainee.reflection(ws)


def values(server) -> list:
    store = Store(server.home)
    try:
        return [a.value for a in store.answers()]
    finally:
        store.close()


def learner_id(server, name: str) -> int:
    store = Store(server.home)
    try:
        return store.find_learner(name).id
    finally:
        store.close()


def kernel_alive(server, kernel: str) -> bool:
    return any(f"kernel-{kernel}.json" in line for _, line in server_children(server.process.pid))


def facilitator(server, action: str, **form) -> int:
    laptop = Trainee(server, "facilitator laptop")
    return laptop.post(f"facilitator/{action}", form, headers={"X-Facilitator-Key": server.key})


def assert_cut(server, trainee: Trainee, kernel: str, ws, comm: str, words: str) -> None:
    """The old page can no longer write: its write is not saved, its socket is closed, its kernel goes."""
    assert not trainee.type_reflection(ws, comm, words, timeout=20)
    assert trainee.closed(ws, timeout=30), "the server should close the old page's kernel connection"
    assert words not in values(server)
    wait_until(lambda: not kernel_alive(server, kernel), 60, f"kernel {kernel} to be shut down")


def test_leave_ends_this_devices_pages_and_not_the_other_devices(server):
    phone = Trainee(server, f"Leave {free_port()}")
    assert phone.join() == 200
    phone_kernel, phone_ws, phone_comm = page(phone)
    assert phone.type_reflection(phone_ws, phone_comm, "typed before leaving")
    # The same learner on a second device, with the PIN the phone was shown.
    laptop = Trainee(server, phone.name)
    assert laptop.join(pin=phone.pin) == 200 and laptop.cookie("artisan_course_trainee")
    laptop_kernel, laptop_ws, laptop_comm = page(laptop)

    assert phone.post("leave") == 200
    assert_cut(server, phone, phone_kernel, phone_ws, phone_comm, "typed on the phone after leaving")
    # The laptop is still signed in, and its page still saves.
    assert laptop.type_reflection(laptop_ws, laptop_comm, "the laptop carries on")
    assert kernel_alive(server, laptop_kernel) and "the laptop carries on" in values(server)
    laptop_ws.close()


def test_forget_ends_the_learners_pages(server):
    noy = Trainee(server, f"Forget {free_port()}")
    assert noy.join() == 200
    kernel, ws, comm = page(noy)
    assert noy.type_reflection(ws, comm, "typed before forget")
    assert facilitator(server, "forget", learner=learner_id(server, noy.name)) == 200
    assert_cut(server, noy, kernel, ws, comm, "typed after forget")


def test_reassign_ends_every_page_of_the_name(server):
    taken = Trainee(server, f"Reassign {free_port()}")
    assert taken.join() == 200
    kernel, ws, comm = page(taken)
    assert taken.type_reflection(ws, comm, "typed by the wrong person")
    assert facilitator(server, "reassign", learner=learner_id(server, taken.name)) == 200
    assert_cut(server, taken, kernel, ws, comm, "typed by the wrong person after reassign")
    status, html, _ = taken.open_deck(server.deck(DECK))
    assert status == 200 and 'id="join-name"' in html  # this device is signed out: it is sent to the join page


def test_merge_ends_the_old_names_pages_and_a_reload_writes_for_the_merged_name(server):
    mistake, kept = Trainee(server, f"Merge mistake {free_port()}"), Trainee(server, f"Merge kept {free_port()}")
    assert mistake.join() == 200 and kept.join() == 200
    kernel, ws, comm = page(mistake)
    assert mistake.type_reflection(ws, comm, "typed under the wrong name")
    into = learner_id(server, kept.name)
    assert facilitator(server, "merge", learner=learner_id(server, mistake.name), into=into) == 200
    assert_cut(server, mistake, kernel, ws, comm, "typed under the wrong name after merge")
    # The device now belongs to the merged name: its next page writes there.
    kernel, ws, comm = page(mistake)
    assert mistake.type_reflection(ws, comm, "typed after the merge, reloaded")
    store = Store(server.home)
    try:
        assert store.latest(into, "welcome-soft-skills").value == "typed after the merge, reloaded"
    finally:
        store.close()
    ws.close()
