"""Warehouse failures said plainly: one line with what is wrong and what to do.

Every stage the DAG runs is wrapped in :func:`plain_errors`: a PostgreSQL or connection
error leaves the stage as a :class:`WarehouseError` whose message is one readable line
("the warehouse is read-only ... — point the connection at the primary ..."), with the
original error kept as its cause for the traceback. Messages never carry the password:
it is masked in the line and in the original error (libpq echoes parts of a malformed
connection string).

Nothing is half-written whatever the error: every batch a stage writes is one
transaction, so the stage can simply be run again (Airflow retries the task).
"""

from __future__ import annotations

import functools
import re
from contextlib import contextmanager

import psycopg

from newsfacts.warehouse import describe

#: What a retry or an operator should do, by situation.
_RETRY = "the task is retried; once the server is back, run the day again if retries ran out"

#: SQLSTATE -> (what is wrong, what to do). Classes are matched by their first two characters.
_BY_SQLSTATE = {
    "25006": ("the warehouse is read-only",
              "point WAREHOUSE_DSN or the `warehouse` connection at the primary, not a standby, or run "
              "ALTER DATABASE <db> SET default_transaction_read_only = off; then clear the failed task"),
    "53100": ("the warehouse server's disk is full",
              "free or add space on the PostgreSQL data volume, then clear the failed task "
              "(nothing was half-written)"),
    "53200": ("the warehouse server ran out of memory",
              "lower NEWSFACTS_FETCH_WORKERS or the DAG's max_active_runs, or give PostgreSQL more memory; "
              "then clear the failed task"),
    "53300": ("the warehouse refuses new connections (too many clients)",
              "lower max_active_runs / worker parallelism or raise max_connections; " + _RETRY),
    "53400": ("a PostgreSQL configuration limit was exceeded",
              "raise the limit the server names (e.g. temp_file_limit) for the warehouse role, then clear the "
              "failed task"),
    "57P01": ("the warehouse server shut down or restarted during the task", _RETRY),
    "57P02": ("the warehouse server crashed during the task", _RETRY),
    "57P03": ("the warehouse server is not accepting connections yet (starting up, shutting down or in recovery)",
              _RETRY),
    "57014": ("a warehouse statement was cancelled (statement_timeout or an administrator)",
              "raise statement_timeout for the warehouse role if the statement is legitimately slow; " + _RETRY),
    "40P01": ("a deadlock with a concurrent run", _RETRY),
    "40001": ("a serialization conflict with a concurrent run", _RETRY),
    "55P03": ("a lock could not be obtained in time (lock_timeout)", _RETRY),
    "42501": ("the warehouse role lacks a privilege",
              "grant the privilege the server names to the pipeline's role, or use the owner role in the "
              "`warehouse` connection; then clear the failed task"),
    "28P01": ("the warehouse rejected the password",
              "fix the password of the `warehouse` connection / WAREHOUSE_DSN"),
    "28000": ("the warehouse rejected the login",
              "check the user of the `warehouse` connection / WAREHOUSE_DSN and pg_hba.conf"),
    "3D000": ("the warehouse database does not exist",
              "create it (createdb) or fix the database name in the connection, then run `newsfacts migrate`"),
}

#: libpq's connection errors carry no SQLSTATE: recognise them by their text.
_BY_TEXT = [
    (r"password authentication failed|no password supplied", "28P01"),
    (r"database \S+ does not exist", "3D000"),
    (r"role \S+ does not exist|no pg_hba\.conf entry", "28000"),
    (r"too many clients|remaining connection slots", "53300"),
    (r"the database system is (starting up|shutting down|in recovery mode|not yet accepting)", "57P03"),
    (r"terminating connection due to administrator command", "57P01"),
    (r"read-only transaction", "25006"),
]
_LOST = ("the connection to the warehouse was lost or could not be made (server down, restarting or unreachable)",
         "check that PostgreSQL is up and reachable at the address below; " + _RETRY)


class WarehouseError(RuntimeError):
    """A warehouse failure, in one line: what is wrong and what to do."""

    def __init__(self, message: str, sqlstate: str | None = None):
        super().__init__(message)
        self.sqlstate = sqlstate


def mask(text: str, dsn: str | None = None) -> str:
    """``text`` without the password of ``dsn`` nor any ``password=...`` / ``user:password@``."""
    secrets = []
    if dsn:
        try:
            password = psycopg.conninfo.conninfo_to_dict(dsn).get("password")
        except psycopg.Error:
            # Malformed: which part is the password is anyone's guess; libpq quotes pieces
            # of it in its message, so hide every piece.
            password = None
            secrets += [piece for piece in re.split(r"[\s=]+", dsn) if len(piece) >= 3]
        if password:
            secrets.append(str(password))
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "****")
    text = re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1****", text, flags=re.IGNORECASE)
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1****@", text)


def _address(dsn: str | None) -> str:
    if not dsn:
        return ""
    try:
        return f" [warehouse: {describe(dsn)}]"
    except psycopg.Error:
        return ""


def explain(exc: BaseException, dsn: str | None = None) -> WarehouseError:
    """The plain one-line :class:`WarehouseError` for a psycopg error."""
    text = " ".join(mask(str(exc), dsn).split())
    sqlstate = getattr(exc, "sqlstate", None)
    if sqlstate is None:
        sqlstate = next((code for pattern, code in _BY_TEXT if re.search(pattern, text, re.IGNORECASE)), None)
    if isinstance(exc, psycopg.ProgrammingError) and "connection info string" in text:
        return WarehouseError(
            "the warehouse connection string is malformed — fix WAREHOUSE_DSN or the `warehouse` connection "
            "(a libpq key=value string or a postgresql:// URI)")
    if sqlstate in _BY_SQLSTATE:
        what, todo = _BY_SQLSTATE[sqlstate]
    elif isinstance(exc, psycopg.OperationalError) and (sqlstate is None or sqlstate.startswith("08")):
        what, todo = _LOST
    else:
        what, todo = f"the warehouse failed a statement (SQLSTATE {sqlstate or 'unknown'})", \
            "see the server's message; the task is retried"
    return WarehouseError(f"{what}: {text} — {todo}{_address(dsn)}", sqlstate)


@contextmanager
def reported(dsn: str):
    """Psycopg errors inside the block leave it as one-line :class:`WarehouseError`."""
    try:
        yield
    except psycopg.Error as exc:
        # libpq may echo the connection string: mask the cause's message too.
        exc.args = tuple(mask(str(a), dsn) if isinstance(a, str) else a for a in exc.args)
        raise explain(exc, dsn) from exc


def plain_errors(stage):
    """Decorate a stage ``stage(dsn, ...)``: psycopg errors leave it as one-line WarehouseErrors."""

    @functools.wraps(stage)
    def run(dsn, *args, **kwargs):
        with reported(dsn):
            return stage(dsn, *args, **kwargs)

    return run
