"""Where things are and which limits apply, from the environment with sane defaults.

Every setting is read when asked for (not at import), so a test or a DAG run can set
the environment first.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractors.fetch import FetchPolicy
from extractors.netguard import AddressPolicy

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
        retries=fetch_retries(),
        backoff_seconds=backoff_seconds(),
        per_host_concurrency=_int("NEWSFACTS_PER_HOST_CONCURRENCY", 2),
        address_policy=address_policy(),
    )


def address_policy() -> AddressPolicy:
    """Exceptions to "public addresses only" (see extractors.netguard): comma-separated
    host names or addresses, optionally with ``:port`` (``NEWSFACTS_ALLOW_HOSTS``), and
    networks (``NEWSFACTS_ALLOW_NETWORKS``). Empty by default: nothing private is fetched."""
    return AddressPolicy.from_strings(
        os.environ.get("NEWSFACTS_ALLOW_HOSTS", ""), os.environ.get("NEWSFACTS_ALLOW_NETWORKS", "")
    )


def obey_robots() -> bool:
    """Check robots.txt before fetching an article page (``NEWSFACTS_ROBOTS=0`` turns it
    off, for sites that gave permission)."""
    return os.environ.get("NEWSFACTS_ROBOTS", "1").lower() not in ("0", "false", "no", "off")


def robots_policy() -> FetchPolicy:
    """Limits for robots.txt files (RFC 9309 asks crawlers to read at least 500 KiB)."""
    return _policy(_int("NEWSFACTS_MAX_ROBOTS_BYTES", 512 * 1024))


def feed_policy() -> FetchPolicy:
    """Limits for feed polls (feeds can be big: some outlets list 300 items)."""
    return _policy(_int("NEWSFACTS_MAX_FEED_BYTES", 10 * 1024 * 1024))


def page_policy() -> FetchPolicy:
    """Limits for article pages."""
    return _policy(_int("NEWSFACTS_MAX_PAGE_BYTES", 5 * 1024 * 1024))


def fetch_workers() -> int:
    """Threads fetching pages at once (across hosts; per-host limits still apply).

    Enough to keep two requests in flight at each of 24 outlets: a fetch is mostly waiting,
    and with 16 threads a night at 0.1 s per answer spent 6.5 s of every 1,000 pages just
    waiting (benchmarks/README.md). Memory stays bounded: at most this many pages of at
    most ``NEWSFACTS_MAX_PAGE_BYTES`` (5 MiB) are in flight, 240 MiB at worst."""
    return _int("NEWSFACTS_FETCH_WORKERS", 48)


def sitemap_policy() -> FetchPolicy:
    """Limits for robots.txt and sitemaps (a sitemap may list 50,000 URLs)."""
    return _policy(_int("NEWSFACTS_MAX_SITEMAP_BYTES", 20 * 1024 * 1024))


def max_sitemaps() -> int:
    """Sitemap documents read per source and window, at most (indexes included)."""
    return _int("NEWSFACTS_MAX_SITEMAPS", 50)


def host_min_interval() -> float:
    """Seconds between two requests to the same host, across all runs and workers."""
    return _float("NEWSFACTS_HOST_MIN_INTERVAL", 0.5)


def gdelt_endpoint() -> str:
    from extractors.gdelt import DEFAULT_ENDPOINT

    return os.environ.get("NEWSFACTS_GDELT_URL", DEFAULT_ENDPOINT)


def gdelt_max_records() -> int:
    from extractors.gdelt import MAX_RECORDS

    return _int("NEWSFACTS_GDELT_MAX_RECORDS", MAX_RECORDS)


def gdelt_min_interval() -> float:
    """GDELT asks for no more than one request every five seconds."""
    return _float("NEWSFACTS_GDELT_MIN_INTERVAL", 5.0)


def fetch_retries() -> int:
    return _int("NEWSFACTS_RETRIES", 2)


def backoff_seconds() -> float:
    return _float("NEWSFACTS_BACKOFF_SECONDS", 1.0)


def relevance_threshold() -> float:
    """Articles scoring below this are kept in the raw layer only (0-1)."""
    from extractors.relevance import DEFAULT_THRESHOLD

    return _float("NEWSFACTS_RELEVANCE_THRESHOLD", DEFAULT_THRESHOLD)


def freshness_days() -> int:
    """Days of good feed polls without a war article after which a source counts as stale."""
    return _int("NEWSFACTS_FRESHNESS_DAYS", 7)


def prefetch_filter() -> bool:
    """Skip fetching feed items whose title and summary show no sign of the war."""
    return os.environ.get("NEWSFACTS_PREFETCH_FILTER", "1").lower() not in ("0", "false", "no", "off")
