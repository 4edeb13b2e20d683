"""The in-process limit storage: windows still count, and old entries are dropped in paced
sweeps instead of a pass over every key after every hit."""

import time

import pytest
from limits import RateLimitItemPerSecond
from limits.aio.strategies import MovingWindowRateLimiter

from bot.limits import PacedMemoryStorage

TWO_A_SECOND = RateLimitItemPerSecond(2, 1)


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)
    return clock


async def test_the_window_counts_as_before(clock: Clock) -> None:
    limiter = MovingWindowRateLimiter(PacedMemoryStorage())
    assert await limiter.hit(TWO_A_SECOND, "chat", "7")
    assert await limiter.hit(TWO_A_SECOND, "chat", "7")
    assert not await limiter.hit(TWO_A_SECOND, "chat", "7")
    assert await limiter.hit(TWO_A_SECOND, "chat", "8")  # another key has its own window
    clock.now += 1.01
    assert await limiter.hit(TWO_A_SECOND, "chat", "7")


async def test_no_clean_up_runs_between_sweeps(clock: Clock) -> None:
    storage = PacedMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    for person in range(300):
        await limiter.hit(TWO_A_SECOND, "flood", str(person))
    clock.now += 10
    await limiter.hit(TWO_A_SECOND, "flood", "new")
    # expired entries stay until the next sweep is due; no task was started to drop them
    assert len(storage.events) == 301
    assert storage.timer is None


async def test_a_due_sweep_drops_what_expired_and_keeps_the_rest(clock: Clock) -> None:
    storage = PacedMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    for person in range(300):
        await limiter.hit(TWO_A_SECOND, "flood", str(person))
    await storage.incr("counter", 1)
    clock.now += 10
    await limiter.hit(TWO_A_SECOND, "flood", "recent")
    storage._swept_at -= PacedMemoryStorage.SWEEP_EVERY  # the next hit finds a sweep due
    await limiter.hit(TWO_A_SECOND, "flood", "recent")
    recent = TWO_A_SECOND.key_for("flood", "recent")
    assert list(storage.events) == [recent]
    assert len(storage.events[recent]) == 2
    assert "counter" not in storage.storage and not storage.expirations
    assert not await limiter.hit(TWO_A_SECOND, "flood", "recent")  # still counted
