"""The outlets to follow, read from a YAML file (``sources.yml`` or ``$NEWSFACTS_SOURCES``).

Adding an outlet is one entry in that file, never code. The file is validated as a
whole before anything runs, with messages that name the entry and the field, because
a typo discovered at 02:00 by a failing task is a lost night.

String values may use ``${VAR}`` to take a value from the environment (the demo points
its fictional outlets at the local fixture server this way).

``discovery`` says where a source's past articles can be found when its feed no longer
reaches back to the day being processed: ``robots`` (a robots.txt whose ``Sitemap:``
lines are followed; default: the homepage's), ``sitemaps`` (sitemap URLs to read as
well) and ``gdelt`` (the domain to ask GDELT about; default: the homepage's host).
``false`` turns a method off.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

PERSPECTIVES = frozenset(
    {
        "ukrainian",
        "russian_state",
        "russian_independent",
        "european",
        "us",
        "middle_east",
        "wire",
        "international",
        "asian",
        "african",
        "latin_american",
    }
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_REQUIRED = ("slug", "name", "feed_url", "language", "country", "perspective")


class SourcesError(ValueError):
    """The sources file is unreadable or an entry is invalid."""


@dataclass(frozen=True)
class Discovery:
    """Archive discovery settings of one source (see the module docstring)."""

    robots_url: str | None = None
    sitemap_urls: tuple[str, ...] = ()
    gdelt_domain: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.robots_url or self.sitemap_urls or self.gdelt_domain)


@dataclass(frozen=True)
class Source:
    slug: str
    name: str
    feed_url: str
    language: str
    country: str
    perspective: str
    homepage: str | None = None
    discovery: Discovery = Discovery()
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def _expand(value: object, where: str) -> object:
    if not isinstance(value, str):
        return value

    def lookup(match: re.Match) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise SourcesError(f"{where}: environment variable ${{{name}}} is not set")
        return os.environ[name]

    return _ENV_REF.sub(lookup, value)


def _source(entry: object, index: int) -> Source:
    where = f"sources[{index}]"
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: expected a mapping, got {type(entry).__name__}")
    entry = {key: _expand(value, f"{where}.{key}") for key, value in entry.items()}
    where = f"sources[{index}] ({entry.get('slug', '?')})"
    for key in ("country", "language"):
        if isinstance(entry.get(key), bool):
            raise SourcesError(f'{where}: {key} was read as a boolean; quote it (e.g. country: "NO")')
    missing = [key for key in _REQUIRED if not entry.get(key)]
    if missing:
        raise SourcesError(f"{where}: missing {', '.join(missing)}")
    if not _SLUG.match(str(entry["slug"])):
        raise SourcesError(f"{where}: slug must be lowercase letters, digits and hyphens")
    if not re.match(r"^https?://[^/\s]+", str(entry["feed_url"])):
        raise SourcesError(f"{where}: feed_url must be an http(s) URL")
    if entry["perspective"] not in PERSPECTIVES:
        raise SourcesError(
            f"{where}: perspective {entry['perspective']!r} is not one of {sorted(PERSPECTIVES)}"
        )
    if not re.match(r"^[A-Z]{2}$", str(entry["country"])):
        raise SourcesError(f"{where}: country must be an ISO 3166-1 alpha-2 code such as UA")
    if not re.match(r"^[a-z]{2,3}$", str(entry["language"])):
        raise SourcesError(f"{where}: language must be an ISO 639 code such as en")
    known = set(_REQUIRED) | {"homepage", "discovery"}
    return Source(
        slug=entry["slug"],
        name=str(entry["name"]),
        feed_url=str(entry["feed_url"]),
        language=entry["language"],
        country=entry["country"],
        perspective=entry["perspective"],
        homepage=entry.get("homepage"),
        discovery=_discovery(entry.get("discovery"), entry.get("homepage"), where),
        extra={k: v for k, v in entry.items() if k not in known},
    )


def _discovery(config: object, homepage: str | None, where: str) -> Discovery:
    if config is None:
        config = {}
    if not isinstance(config, dict) or set(config) - {"robots", "sitemaps", "gdelt"}:
        raise SourcesError(f"{where}: discovery takes robots, sitemaps and gdelt")
    home = urlsplit(homepage) if homepage else None
    robots = _expand(config.get("robots", f"{home.scheme}://{home.netloc}/robots.txt" if home else None), where)
    gdelt = config.get("gdelt", (home.hostname or "").removeprefix("www.") if home else None)
    sitemaps = config.get("sitemaps") or []
    if robots not in (None, False) and not re.match(r"^https?://", str(robots)):
        raise SourcesError(f"{where}: discovery.robots must be an http(s) URL or false")
    if not isinstance(sitemaps, list) or not all(re.match(r"^https?://", str(u)) for u in sitemaps):
        raise SourcesError(f"{where}: discovery.sitemaps must be a list of http(s) URLs")
    if gdelt not in (None, False) and not re.match(r"^[a-z0-9.-]+\.[a-z]{2,}$", str(gdelt)):
        raise SourcesError(f"{where}: discovery.gdelt must be a domain such as example.com, or false")
    return Discovery(
        robots_url=robots or None,
        sitemap_urls=tuple(_expand(u, where) for u in sitemaps),
        gdelt_domain=gdelt or None,
    )


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a sources file; raises :class:`SourcesError` with the reason."""
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SourcesError(f"cannot read sources file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path} is not valid YAML: {exc}") from None
    entries = document.get("sources") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{path}: expected a top-level 'sources:' list with at least one entry")
    sources = [_source(entry, i) for i, entry in enumerate(entries)]
    slugs = [s.slug for s in sources]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise SourcesError(f"{path}: duplicate slugs {duplicates}")
    return sources
