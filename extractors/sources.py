"""The outlets to follow, read from a YAML file (``sources.yml`` or ``$NEWSFACTS_SOURCES``).

Adding an outlet is one entry in that file, never code. The file is validated as a
whole before anything runs, with messages that name the entry and the field, because
a typo discovered at 02:00 by a failing task is a lost night.

String values may use ``${VAR}`` to take a value from the environment (the demo points
its fictional outlets at the local fixture server this way).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

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
class Source:
    slug: str
    name: str
    feed_url: str
    language: str
    country: str
    perspective: str
    homepage: str | None = None
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
    known = set(_REQUIRED) | {"homepage"}
    return Source(
        slug=entry["slug"],
        name=str(entry["name"]),
        feed_url=str(entry["feed_url"]),
        language=entry["language"],
        country=entry["country"],
        perspective=entry["perspective"],
        homepage=entry.get("homepage"),
        extra={k: v for k, v in entry.items() if k not in known},
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
