"""Pause points for fault-injection tests: a stage stops at a named point until told to go on.

A deliberate, documented hook, inert unless ``NEWSFACTS_PAUSE_AT`` is set (never set it in
production). The crash and restart tests run a stage in a child process with

    NEWSFACTS_PAUSE_AT=<point>[:<n>]     pause the n-th time (default: the first) <point> is reached

When it gets there the stage writes one line, ``newsfacts-pause <point> <n> <pid>``, to
stderr and waits for a line on stdin (or its end). Meanwhile the test looks at the
warehouse, kills the process with SIGKILL, or restarts the PostgreSQL server under it.

Points (each stage's batches are its transactions):

=========================  ==========================================================
``fetch_pages.batch``      a batch of fetched pages is committed
``load_articles.merge``    a batch of articles is merged, its transaction still open
``load_articles.batch``    that batch is committed
``dedupe.batch``           a batch is grouped and clustered, its transaction still open
``load_facts.store``       a batch's facts are written, its transaction still open
``load_facts.batch``       that batch is committed
=========================  ==========================================================
"""

from __future__ import annotations

import os
import sys
from collections import Counter

_reached: Counter[str] = Counter()


def pause_point(point: str) -> None:
    """Pause here if ``NEWSFACTS_PAUSE_AT`` names this point (and this is its n-th visit)."""
    target = os.environ.get("NEWSFACTS_PAUSE_AT")
    if not target:
        return
    name, _, nth = target.partition(":")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] != int(nth or 1):
        return
    print(f"newsfacts-pause {point} {_reached[point]} {os.getpid()}", file=sys.stderr, flush=True)
    sys.stdin.readline()
