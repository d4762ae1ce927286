"""Which PostgreSQL is the warehouse, and how to connect to it.

Resolution order, first match wins:

1. ``WAREHOUSE_DSN`` — a libpq connection string or URI;
2. ``AIRFLOW_CONN_WAREHOUSE`` — Airflow's connection ``warehouse`` as an environment
   variable (URI or JSON form). Inside Airflow, ``plugins/newsfacts_airflow`` also
   looks the connection up in Airflow's own store before falling back to this module;
3. the embedded default: a real PostgreSQL server started with ``pgserver`` in
   ``$NEWSFACTS_HOME/warehouse`` (``.newsfacts/warehouse`` in the checkout). It keeps
   running after the process exits, so the next task or command reuses it.

Never SQLite: the warehouse relies on PostgreSQL (upserts, arrays, jsonb, COPY).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import psycopg
from psycopg.conninfo import make_conninfo

from newsfacts import settings

EMBEDDED_DATABASE = "newsfacts"
#: Advisory lock key ("news") held while the schema changes: migrations and mart rebuilds
#: take it exclusively, mart refreshes share it.
SCHEMA_LOCK = 0x6E657773


_PASSED_EXTRAS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "options")


def conninfo_from_fields(
    *, host=None, port=None, login=None, password=None, schema=None, extra: dict | None = None
) -> str:
    """A libpq connection string from the fields of an Airflow connection."""
    extra = extra or {}
    return make_conninfo(
        host=host or None,
        port=port or None,
        user=login or None,
        password=password or None,
        dbname=schema or None,
        **{k: v for k, v in extra.items() if k in _PASSED_EXTRAS},
    )


def dsn_from_airflow_conn(value: str) -> str:
    """Turn an ``AIRFLOW_CONN_*`` value (URI or JSON) into a libpq connection string."""
    value = value.strip()
    if value.startswith("{"):
        conn = json.loads(value)
        extra = conn.get("extra") or {}
        if isinstance(extra, str):
            extra = json.loads(extra) if extra else {}
        return conninfo_from_fields(
            host=conn.get("host"), port=conn.get("port"), login=conn.get("login"),
            password=conn.get("password"), schema=conn.get("schema"), extra=extra,
        )
    parts = urlsplit(value)
    return conninfo_from_fields(
        host=unquote(parts.hostname or ""),
        port=parts.port,
        login=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        schema=unquote(parts.path.lstrip("/")),
        extra=dict(parse_qsl(parts.query)),
    )


def embedded_dsn(data_dir: Path | None = None) -> str:
    """Start (or reuse) the embedded PostgreSQL server and return a DSN to its database."""
    import pgserver  # imported here: only the embedded default needs it

    data_dir = data_dir or settings.home() / "warehouse"
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(data_dir, cleanup_mode=None)
    dsn = server.get_uri(EMBEDDED_DATABASE)
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DATABASE}"')
    return dsn


def resolve_dsn() -> str:
    """The warehouse DSN by the resolution order in the module docstring."""
    if dsn := os.environ.get("WAREHOUSE_DSN"):
        return dsn
    if conn := os.environ.get("AIRFLOW_CONN_WAREHOUSE"):
        return dsn_from_airflow_conn(conn)
    return embedded_dsn()


def describe(dsn: str) -> str:
    """The DSN without its password, for logs and messages."""
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    info.pop("password", None)
    return " ".join(f"{k}={v}" for k, v in sorted(info.items()))


#: Unless the DSN says otherwise: give up connecting after 10 s, and notice a server that
#: vanished without closing the connection (host down, network cut) within about a
#: minute instead of waiting on it forever. A stage then fails plainly and is retried.
_CONNECTION_DEFAULTS = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30,
                        "keepalives_interval": 10, "keepalives_count": 3}


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """Open a connection with the project's session settings.

    Autocommit, so that every ``with conn.transaction():`` block is a real transaction
    that commits when it ends: a stage stores each source or batch durably as it goes,
    and holds no lock longer than one batch (without it, psycopg would nest those
    blocks as savepoints in one transaction lasting the whole stage). Sessions are UTC
    and named in pg_stat_activity; see ``_CONNECTION_DEFAULTS`` for timeouts.
    """
    kwargs.setdefault("autocommit", True)
    try:
        given = psycopg.conninfo.conninfo_to_dict(dsn)
    except psycopg.Error:
        given = {}  # psycopg.connect reports the malformed DSN
    for key, value in _CONNECTION_DEFAULTS.items():
        if key not in given:
            kwargs.setdefault(key, value)
    return psycopg.connect(dsn, application_name="newsfacts", options="-c timezone=UTC", **kwargs)
