"""Keeping both the network and every core busy inside one stage.

* :func:`interleave` orders work round-robin by host: links come out of the warehouse
  grouped by outlet, and a batch of one outlet's pages would wait on that host's
  politeness limits (two requests at a time, paced) while other hosts sit idle.
* :func:`completed_batches` runs a function over items in a pool, a bounded number at a
  time, and hands back the results batch by batch as they complete, the pool staying busy
  while the caller handles a batch.
* :func:`cpu_pool` is a process pool sized to the cores, for the pure CPU work of a stage
  (article extraction and relevance, facts), or None when the work is too small to be
  worth starting processes for, or only one core is available. Results are the same
  either way: the workers run the same pure functions on the same inputs.

``NEWSFACTS_CPU_WORKERS`` sets the number of worker processes (default: the cores this
process may run on; 1 turns the pools off) and ``NEWSFACTS_CPU_POOL_MIN`` the number of
items below which a stage stays in one process (default 200).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def interleave(items: Iterable[T], key: Callable[[T], object]) -> list[T]:
    """Round-robin over the groups of ``key`` (in order of first appearance), keeping the
    order within each group: a a a b b c -> a b c a b a."""
    groups: dict[object, deque] = {}
    for item in items:
        groups.setdefault(key(item), deque()).append(item)
    out: list[T] = []
    queues = list(groups.values())
    while queues:
        for queue in queues:
            out.append(queue.popleft())
        queues = [q for q in queues if q]
    return out


def completed_batches(pool: Executor, fn: Callable[[T], R], items: Iterable[T], batch: int,
                      in_flight: int) -> Iterator[list[R]]:
    """``fn`` over ``items`` in ``pool``; yields lists of up to ``batch`` results in the
    order they complete.

    At most ``in_flight`` items are being worked on at once, and new ones start as soon as
    others finish, also while the caller handles a batch: a slow item (a page that
    trickles until its time limit) holds up one worker, not the batch it would have been
    in. Results wait at most until ``batch`` of them are ready, which with the items in
    flight bounds the memory they take."""
    queue = iter(items)
    pending: set[Future] = set()
    ready: list[R] = []

    def top_up() -> None:
        for item in islice(queue, max(0, in_flight - len(pending))):
            pending.add(pool.submit(fn, item))

    top_up()
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        ready.extend(future.result() for future in done)
        top_up()
        while len(ready) >= batch:
            yield ready[:batch]
            del ready[:batch]
    if ready:
        yield ready


def cpu_workers() -> int:
    configured = os.environ.get("NEWSFACTS_CPU_WORKERS", "").strip()
    if configured:
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def pool_threshold() -> int:
    return int(os.environ.get("NEWSFACTS_CPU_POOL_MIN", "200"))


@contextmanager
def cpu_pool(items: int, preload: tuple[str, ...] = ()) -> Iterator[ProcessPoolExecutor | None]:
    """A process pool for ``items`` pieces of CPU work, or None (see the module docstring).

    Workers are forks of this process when it runs a single thread (they start at once,
    with every module already imported; they never touch its connections), else they
    come from a fork server (a fork of a process with other threads could inherit a lock
    held by one of them), which imports ``preload`` once."""
    workers = cpu_workers()
    if workers < 2 or items < pool_threshold():
        yield None
        return
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
    pool = ProcessPoolExecutor(max_workers=min(workers, items), mp_context=context)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def chunked(seq: list[T], size: int) -> list[list[T]]:
    return [seq[i: i + size] for i in range(0, len(seq), size)]
