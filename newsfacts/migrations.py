"""Apply ``sql/migrations/NNNN_name.sql`` in order, each once, each in a transaction,
then build the marts of ``sql/marts/`` that changed (:mod:`newsfacts.marts`).

Safe to call at the start of every run and from several workers at once: an advisory
lock serialises concurrent callers, applied versions are recorded in
``ops.schema_migrations`` with the file's hash, and a changed file that was already
applied is an error (fix forward with a new migration instead). Marts, derived data
only, are rebuilt instead when their file changes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from newsfacts import settings
from newsfacts.marts import apply_marts
from newsfacts.warehouse import SCHEMA_LOCK, connect

_MIGRATION_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Path | None = None) -> list[Migration]:
    directory = directory or settings.SQL_DIR / "migrations"
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_FILE.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named NNNN_lowercase_name.sql")
        found.append(Migration(int(match.group(1)), path.name, path.read_text(encoding="utf-8")))
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration numbers in {directory}")
    return found


def migrate(dsn: str, directory: Path | None = None, marts_directory: Path | None = None) -> list[str]:
    """Bring the warehouse at ``dsn`` up to date; return the names of the migrations
    applied and of the marts built (``marts/<name>.sql``)."""
    applied_now = []
    with connect(dsn) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            conn.execute((settings.SQL_DIR / "bootstrap.sql").read_text(encoding="utf-8"))
            done = dict(conn.execute("SELECT version, sha256 FROM ops.schema_migrations").fetchall())
            for migration in discover(directory):
                if migration.version in done:
                    if done[migration.version] != migration.sha256:
                        raise MigrationError(
                            f"{migration.name} was changed after it was applied; "
                            "add a new migration instead"
                        )
                    continue
                try:
                    with conn.transaction():
                        conn.execute(migration.sql)
                        conn.execute(
                            "INSERT INTO ops.schema_migrations (version, name, sha256) VALUES (%s, %s, %s)",
                            (migration.version, migration.name, migration.sha256),
                        )
                except psycopg.Error as exc:
                    raise MigrationError(f"{migration.name} failed: {exc}") from exc
                applied_now.append(migration.name)
            applied_now += apply_marts(conn, marts_directory)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))
    return applied_now
