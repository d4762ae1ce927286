"""The analysts' marts: ``sql/marts/<name>.sql`` builds the materialized view ``marts.<name>``.

Each file creates its view, a unique index (``REFRESH ... CONCURRENTLY`` needs one, and
concurrent refreshes never block readers) and a comment on the view and every column.

``newsfacts migrate`` builds them after the migrations (:func:`apply_marts`), recording
each file's hash in ``ops.mart_definitions``. A mart is dropped and rebuilt only when its
file changed (or was removed), and built whenever it is missing: new, dropped along with
a mart it reads (``DROP ... CASCADE``), or dropped by a migration that had to change a
column it reads. Files are applied in name order, so a mart that reads another must
sort after it.

:func:`refresh_marts` brings them up to date after a nightly run. It holds the schema
lock shared, so it never refreshes a mart that a migration is rebuilding, and it goes
through ``ops.refresh_mart`` so the loader role can refresh marts it does not own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from newsfacts import settings
from newsfacts.warehouse import SCHEMA_LOCK, connect

MARTS_DIR = settings.SQL_DIR / "marts"
_MART_FILE = re.compile(r"^[a-z][a-z0-9_]*\.sql$")


class MartError(RuntimeError):
    pass


@dataclass(frozen=True)
class Mart:
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


def discover(directory: Path | None = None) -> list[Mart]:
    """The mart files, in the order they are built (file name order)."""
    directory = directory or MARTS_DIR
    marts = []
    for path in sorted(directory.glob("*.sql")):
        if not _MART_FILE.match(path.name):
            raise MartError(f"{path.name}: mart files are named lowercase_name.sql (the view is marts.<name>)")
        marts.append(Mart(path.stem, path.read_text(encoding="utf-8")))
    return marts


def _exists(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM pg_matviews WHERE schemaname = 'marts' AND matviewname = %s", (name,)
    ).fetchone() is not None


def apply_marts(conn: psycopg.Connection, directory: Path | None = None) -> list[str]:
    """Rebuild the marts whose file changed, build the missing ones; return their file names.

    The caller holds the schema lock (:func:`newsfacts.migrations.migrate` does).
    """
    marts = discover(directory)
    wanted = {m.name for m in marts}
    recorded = dict(conn.execute("SELECT name, sha256 FROM ops.mart_definitions").fetchall())
    stale = [m for m in marts if recorded.get(m.name) != m.sha256]
    removed = sorted(set(recorded) - wanted)
    with conn.transaction():
        for name in [m.name for m in stale] + removed:
            conn.execute(sql.SQL("DROP MATERIALIZED VIEW IF EXISTS {} CASCADE").format(sql.Identifier("marts", name)))
        conn.execute("DELETE FROM ops.mart_definitions WHERE name = ANY(%s)", (removed,))
    built = []
    for mart in marts:
        if _exists(conn, mart.name):
            continue
        try:
            with conn.transaction():
                conn.execute(mart.sql)
                if not _exists(conn, mart.name):
                    raise MartError(f"marts/{mart.name}.sql did not create the materialized view marts.{mart.name}")
                conn.execute(
                    "INSERT INTO ops.mart_definitions (name, sha256) VALUES (%s, %s) "
                    "ON CONFLICT (name) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()",
                    (mart.name, mart.sha256),
                )
        except psycopg.Error as exc:
            raise MartError(f"marts/{mart.name}.sql failed: {exc}") from exc
        built.append(f"marts/{mart.name}.sql")
    return built


def refresh_marts(dsn: str) -> dict[str, int]:
    """Refresh every built mart concurrently, in build order; return the rows of each."""
    rows = {}
    with connect(dsn) as conn:
        conn.execute("SELECT pg_advisory_lock_shared(%s)", (SCHEMA_LOCK,))
        try:
            names = sorted(n for (n,) in conn.execute("SELECT name FROM ops.mart_definitions"))
            for name in names:
                view = sql.Identifier("marts", name)
                conn.execute("SELECT ops.refresh_mart(%s::regclass, concurrent => true)", (view.as_string(conn),))
                rows[name] = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(view)).fetchone()[0]
        finally:
            conn.execute("SELECT pg_advisory_unlock_shared(%s)", (SCHEMA_LOCK,))
    return rows
