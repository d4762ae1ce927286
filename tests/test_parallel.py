"""completed_batches: every result once, a bounded number in flight, and a slow item
holding up only its own worker."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from newsfacts.parallel import completed_batches, interleave


def test_every_result_comes_back_once_in_bounded_batches_with_bounded_work_in_flight():
    running, peak, lock = 0, 0, threading.Lock()

    def square(x: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.002 * (x % 3))
        with lock:
            running -= 1
        return x * x

    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(completed_batches(pool, square, range(103), batch=10, in_flight=4))
    assert sorted(r for b in batches for r in b) == [x * x for x in range(103)]
    assert all(len(b) == 10 for b in batches[:-1]) and 0 < len(batches[-1]) <= 10
    assert peak <= 4


def test_a_slow_item_does_not_hold_back_the_batches_after_it():
    released = threading.Event()

    def fetch(x: int) -> int:
        if x == 0:  # the page that trickles until its time limit
            assert released.wait(10), "the slow item was waited for"
        return x

    with ThreadPoolExecutor(max_workers=4) as pool:
        batches = completed_batches(pool, fetch, range(40), batch=5, in_flight=4)
        first_batches = [next(batches) for _ in range(3)]
        released.set()
        rest = list(batches)
    assert all(0 not in b for b in first_batches)
    assert sorted(x for b in first_batches + rest for x in b) == list(range(40))


def test_interleave_takes_turns_between_hosts():
    assert interleave("aaabbc", key=lambda c: c) == list("abcaba")
