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


class Kernels:
    """A kernel manager with kernels running, some with a page connected; shutting one down takes a moment."""

    def __init__(self, *ids: str):
        self.running, self._kernel_connections, self.shut = list(ids), {k: 0 for k in ids}, []

    def list_kernel_ids(self):
        return list(self.running)

    async def shutdown_kernel(self, kernel_id):
        self.shut.append(kernel_id)
        self.running.remove(kernel_id)


def test_at_the_cap_the_kernel_whose_page_is_away_longest_makes_room_and_a_connected_page_keeps_its_own():
    import asyncio

    async def scenario():
        manager = Kernels("asleep-long", "asleep-short", "connected")
        pools = KernelPools(manager, notebooks=DECKS, preheat=False, max_kernels=3)
        for kernel, seen in (("asleep-long", 100.0), ("asleep-short", 200.0), ("connected", 50.0)):
            pools.page_started(kernel, DECKS[0])
            pools.page_sent(kernel)
            pools.last_seen[kernel] = seen
        manager._kernel_connections["connected"] = 1
        # Two phones are asleep: a new page is not refused, and the one away longest gives way.
        assert pools.away() == ["asleep-long", "asleep-short"]
        assert not pools.room_full(DECKS[0])
        pools.make_room()
        assert pools.in_use() == 2  # counted free at once, while it shuts down
        await asyncio.sleep(0)
        assert manager.shut == ["asleep-long"]
        # A new page takes the freed place. The other sleeping phone's kernel is kept until the room needs it too.
        manager.running.append("new-1")
        pools.page_started("new-1", DECKS[0])
        pools.make_room()
        await asyncio.sleep(0)
        assert manager.shut == ["asleep-long", "asleep-short"]
        # At the cap with every kernel serving a page (connected, or still loading): the room is full, nobody goes.
        manager.running.append("new-2")
        pools.page_started("new-2", DECKS[0])
        assert pools.room_full(DECKS[0])
        pools.make_room()
        await asyncio.sleep(0)
        assert manager.shut == ["asleep-long", "asleep-short"] and "connected" in manager.running

    # In its own thread: the browser tests' Playwright loop may be running in this one.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, scenario()).result()
