"""Where things are and which limits apply, from the environment with sane defaults.

Every setting is read when asked for (not at import), so a test or a DAG run can set
the environment first.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractors.fetch import FetchPolicy

#: The repository checkout (sql/, sources.yml and demo/ live here).
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = PROJECT_ROOT / "sql"


def home() -> Path:
    """Local state of the project: the embedded warehouse and Airflow's metadata DB."""
    return Path(os.environ.get("NEWSFACTS_HOME", PROJECT_ROOT / ".newsfacts")).resolve()


def sources_path() -> Path:
    """The sources file: ``$NEWSFACTS_SOURCES`` or the repository's ``sources.yml``."""
    return Path(os.environ.get("NEWSFACTS_SOURCES", PROJECT_ROOT / "sources.yml"))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _policy(max_bytes: int) -> FetchPolicy:
    return FetchPolicy(
        connect_timeout=_float("NEWSFACTS_CONNECT_TIMEOUT", 5),
        read_timeout=_float("NEWSFACTS_READ_TIMEOUT", 15),
        total_timeout=_float("NEWSFACTS_TOTAL_TIMEOUT", 30),
        max_bytes=max_bytes,
        max_redirects=_int("NEWSFACTS_MAX_REDIRECTS", 5),
        retries=_int("NEWSFACTS_RETRIES", 2),
        backoff_seconds=_float("NEWSFACTS_BACKOFF_SECONDS", 1.0),
        per_host_concurrency=_int("NEWSFACTS_PER_HOST_CONCURRENCY", 2),
    )


def feed_policy() -> FetchPolicy:
    """Limits for feed polls (feeds can be big: some outlets list 300 items)."""
    return _policy(_int("NEWSFACTS_MAX_FEED_BYTES", 10 * 1024 * 1024))


def page_policy() -> FetchPolicy:
    """Limits for article pages."""
    return _policy(_int("NEWSFACTS_MAX_PAGE_BYTES", 5 * 1024 * 1024))


def fetch_workers() -> int:
    """Threads fetching pages at once (across hosts; per-host limits still apply)."""
    return _int("NEWSFACTS_FETCH_WORKERS", 16)
