"""The SQL files of ``sql/queries/``, runnable from Python as from psql.

Query files take parameters the psql way (``:'day'``, set with ``psql -v day=...``), so
an analyst can run them as they are; :func:`load` turns those into psycopg
placeholders for programmatic use.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from newsfacts import settings

_PSQL_VARIABLE = re.compile(r"(?<!:):'([A-Za-z_][A-Za-z0-9_]*)'")
QUERIES_DIR = settings.SQL_DIR / "queries"


def load(name: str, directory: Path = QUERIES_DIR) -> str:
    """The query ``name`` (file stem) with ``:'var'`` rewritten as ``%(var)s``."""
    sql = (directory / f"{name}.sql").read_text(encoding="utf-8")
    sql = sql.replace("%", "%%")
    return _PSQL_VARIABLE.sub(r"%(\1)s", sql)


def variables(name: str, directory: Path = QUERIES_DIR) -> set[str]:
    """The psql variables (``:'var'``) the query ``name`` takes."""
    return set(_PSQL_VARIABLE.findall((directory / f"{name}.sql").read_text(encoding="utf-8")))


def example(name: str, directory: Path = QUERIES_DIR) -> dict[str, str]:
    """The variables of the psql command line the query's header shows (``-v day=...``),
    so the documented example can be run, and tested, as written."""
    for line in (directory / f"{name}.sql").read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        command = line.lstrip("- ")
        if command.startswith("psql ") and command.rstrip().endswith(f"{directory.name}/{name}.sql"):
            words = shlex.split(command)
            values = [words[i + 1] for i, word in enumerate(words[:-1]) if word == "-v"]
            return dict(value.split("=", 1) for value in values)
    return {}


def question(name: str, directory: Path = QUERIES_DIR) -> str:
    """The plain-words question a query answers: its opening comment, up to the first blank comment line."""
    words = []
    for line in (directory / f"{name}.sql").read_text(encoding="utf-8").splitlines():
        text = line.lstrip("- ").strip() if line.startswith("--") else None
        if not text:
            break
        words.append(text)
    return " ".join(words) or name
