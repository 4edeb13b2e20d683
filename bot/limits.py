"""Telegram's send limits, shared by everything that sends: the outbox and direct answers.

About 30 messages a second overall, one a second per chat, 20 a minute per group. The windows
live in the limit storage (Redis when several processes share it), so every process counts
every send. Direct answers (a person's own reply) go first: while any are waiting, the outbox
keeps to a small share of the overall limit, so an answer never waits behind a backlog of
notices.
"""

import asyncio
import bisect
import time
from contextvars import ContextVar

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

GLOBAL_LIMIT = RateLimitItemPerSecond(28, 1)
CHAT_LIMIT = RateLimitItemPerSecond(1, 1)
# Telegram lets a private chat have a short burst over one a second: a person's own answers
# (a receipt and the next step) may use it; notifications keep to one a second.
ANSWER_BURST = RateLimitItemPerSecond(3, 1)
# A group's slots are taken before the send (by both lanes, atomically, so they never take the
# same one); the window is a second longer than Telegram's so a fast send cannot reach it
# inside the minute of one that went out a moment later.
GROUP_LIMIT = RateLimitItemPerSecond(20, 61)
# Direct answers asked for within this window count as "waiting"; meanwhile the outbox may use
# only OUTBOX_SHARE of the overall limit.
DIRECT_DEMAND = RateLimitItemPerSecond(1000, 2)
OUTBOX_SHARE = 6
POLL = 0.05  # seconds between looks at a full window, at most



class PacedMemoryStorage(MemoryStorage):
    """`limits`' in-process storage, with its clean-up paced. The library starts a pass over
    every key after each hit, and the pass awaits a thread per key: with a few hundred people
    about, those passes ran without pause beside the updates and took a third of the time an
    update needed. Windows are counted from each entry's own time, so dropping old entries is
    only housekeeping: here it is done at most once every SWEEP_EVERY seconds, in one go."""

    SWEEP_EVERY = 5.0

    def __init__(self) -> None:
        super().__init__()
        self._swept_at = time.monotonic()

    async def _MemoryStorage__schedule_expiry(self) -> None:  # replaces the library's pass
        if time.monotonic() - self._swept_at >= self.SWEEP_EVERY:
            self.sweep()

    def sweep(self) -> None:
        """Drop expired entries and counters. No lock is held here: the storage never holds
        one across an await, and this runs without awaiting."""
        self._swept_at = time.monotonic()
        now = time.time()
        for key, events in list(self.events.items()):
            # newest first: keep the entries that have not expired yet
            del events[bisect.bisect_left(events, -now, key=lambda entry: -entry.expiry):]
            if not events:
                del self.events[key]
                self.locks.pop(key, None)
        for key, expires_at in list(self.expirations.items()):
            if expires_at <= now:
                self.storage.pop(key, None)
                del self.expirations[key]
                self.locks.pop(key, None)


# Set while a send that has already taken its place under the limits goes out (the outbox's,
# or a held answer), so the direct-answer lane passes it straight through.
limits_taken: ContextVar[bool] = ContextVar("limits_taken", default=False)


class SendLimits:
    def __init__(self, storage: Storage | None = None) -> None:
        self.limiter = MovingWindowRateLimiter(storage or PacedMemoryStorage())
        self._in_flight = 0  # sends under way in this process
        self._lock = asyncio.Lock()

    # --- per chat --------------------------------------------------------------------

    async def take_for_outbox(self, chat_id: int) -> bool:
        """May the outbox send to this chat now? A group's slot is taken here; a chat's
        second is counted once the send is done (`sent_to`)."""
        key = str(chat_id)
        if not await self.limiter.test(CHAT_LIMIT, "chat", key):
            return False
        return chat_id > 0 or await self.limiter.hit(GROUP_LIMIT, "group", key)

    async def take_chat(self, chat_id: int, deadline: float) -> bool:
        """Reserve the chat's (and group's) next slot for a direct answer, waiting for it until
        `deadline` (time.monotonic()); False if it cannot be had by then. The slot is counted
        when taken, so the outbox, which looks before it sends, keeps off the chat meanwhile."""
        key = str(chat_id)
        while True:
            if chat_id > 0:
                if await self.limiter.hit(ANSWER_BURST, "answer", key):
                    await self.limiter.hit(CHAT_LIMIT, "chat", key)  # the outbox waits its turn
                    return True
            elif await self.limiter.test(GROUP_LIMIT, "group", key) and await self.limiter.hit(
                CHAT_LIMIT, "chat", key
            ):
                if await self.limiter.hit(GROUP_LIMIT, "group", key):
                    return True
            wait = await self._until_free(chat_id)
            if time.monotonic() + wait > deadline:
                return False
            await asyncio.sleep(wait)

    async def _until_free(self, chat_id: int) -> float:
        key = str(chat_id)
        if chat_id > 0:
            return max(POLL, await self._window_wait(ANSWER_BURST, "answer", key))
        waits = [await self._window_wait(CHAT_LIMIT, "chat", key),
                 await self._window_wait(GROUP_LIMIT, "group", key)]  # fmt: skip
        return max(POLL, *waits)

    async def _window_wait(self, item, *identifiers: str) -> float:  # type: ignore[no-untyped-def]
        if await self.limiter.test(item, *identifiers):
            return 0.0
        stats = await self.limiter.get_window_stats(item, *identifiers)
        return max(POLL, min(1.0, stats.reset_time - time.time()))

    async def sent_to(self, chat_id: int) -> None:
        """Count an outbox send to a chat once Telegram has it, so the chat's next send
        cannot arrive early (and before its row is settled: another sender can take the
        chat's next row only after this)."""
        await self.limiter.hit(CHAT_LIMIT, "chat", str(chat_id))

    # --- overall -----------------------------------------------------------------------

    async def note_direct_demand(self) -> None:
        await self.limiter.hit(DIRECT_DEMAND, "direct-demand")

    async def _direct_waiting(self) -> bool:
        stats = await self.limiter.get_window_stats(DIRECT_DEMAND, "direct-demand")
        return stats.remaining < DIRECT_DEMAND.amount

    async def take_global(self, *, direct: bool, deadline: float | None = None) -> bool:
        """Wait until the sends completed in the last second plus those under way here leave
        room under the overall limit, and count this one as under way. Counting sends under
        way as well means that however their arrivals bunch up, no second at Telegram's end
        holds more than the limit. Processes share the window of completed sends; their sends
        under way are bounded by the window of started sends, taken atomically. An outbox send
        leaves room for direct answers while any are waiting. False if `deadline` passed."""
        while True:
            async with self._lock:
                allowed = GLOBAL_LIMIT.amount
                if not direct and await self._direct_waiting():
                    allowed = OUTBOX_SHARE
                stats = await self.limiter.get_window_stats(GLOBAL_LIMIT, "global")
                used = GLOBAL_LIMIT.amount - stats.remaining
                if used + self._in_flight < allowed and (
                    await self.limiter.hit(GLOBAL_LIMIT, "global-started")
                ):
                    self._in_flight += 1
                    return True
            wait = max(0.005, min(0.1, stats.reset_time - time.time()))
            if deadline is not None and time.monotonic() + wait > deadline:
                return False
            await asyncio.sleep(wait)

    async def release_global(self) -> None:
        """A send under way has finished (or failed): it counts as completed first, then stops
        counting as under way. A hit can wait on the limit storage, and a send that is neither
        would let another one through early."""
        await self.limiter.hit(GLOBAL_LIMIT, "global")
        self._in_flight -= 1
