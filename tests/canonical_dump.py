"""A canonical dump of the warehouse: what it holds, independent of how it got there.

Two warehouses that loaded the same days hold the same articles, pages and facts, but
not under the same surrogate ids (identity values depend on the order rows arrived in,
and a rolled-back transaction still consumes them) nor with the same run timestamps.
:func:`canonical_dump` therefore selects every meaningful column of every table of the
``raw``, ``core`` and ``ops`` schemas with

* surrogate ids dropped (identity and generated columns), and every reference to one
  replaced by the natural key of the row it points to: a source by its slug, a link by
  its URL, a page by its link's URL and body hash, an article by its URL, a duplicate
  group or a story by the URLs of its members, an event's participants and quantities
  folded into the event row;
* columns that say when or by which run something happened left out (``run_id``,
  ``applied_at``, ``served_at`` — the fixture server's clock —, the ``*_seconds``
  timings, ``ops.host_pacing``);

and sorts each table's rows, so two dumps are equal exactly when the warehouses hold the
same data. :func:`dump_differences` says how they differ, readably.

``FEED_EXCHANGE`` is for comparing runs of *different* days made in another order (at
once, or backwards): each run polls the feeds as they are now, with the validators of
the latest poll, so which day's poll got ``200`` with the feed and which ``304 Not
Modified`` (or none, the feed being known not to reach back) depends on who asked
first. It keeps whether each poll was good (or its failure), drops the record of the
HTTP exchange itself and the polls that saw each entry; everything derived (links,
pages, articles, facts) is still compared.
"""

from __future__ import annotations

import psycopg

SCHEMAS = ("raw", "core", "ops")
#: Tables that record how the pipeline ran, not what it loaded.
SKIPPED_TABLES = {"ops.host_pacing"}
#: Columns that are run timestamps or timings.
RUN_COLUMNS = {"run_id", "applied_at", "served_at", "poll_seconds", "fetch_seconds", "extract_seconds"}
#: Folded into core.events (see _EXTRA).
FOLDED_TABLES = {"core.event_participants", "core.event_quantities"}

_ARTICLE = "(SELECT x.url FROM core.articles x WHERE x.article_id = t.{col})"
_MEMBERS = "(SELECT string_agg(x.url, ' ' ORDER BY x.url) FROM core.articles x WHERE x.{col} = t.{col})"

#: Natural key of the row a surrogate-id column points to ({col}: the column's name).
_REFERENCES = {
    "source_id": "(SELECT x.slug FROM core.sources x WHERE x.source_id = t.{col})",
    "link_id": "(SELECT x.url FROM raw.links x WHERE x.link_id = t.{col})",
    "page_id": "(SELECT l.url || '@' || encode(p.body_sha256, 'hex') FROM raw.pages p "
               "JOIN raw.links l USING (link_id) WHERE p.page_id = t.{col})",
    "article_id": _ARTICLE,
    "canonical_article_id": _ARTICLE,
    "first_article_id": _ARTICLE,
    "duplicate_group_id": _MEMBERS,
    "story_id": _MEMBERS,
}

#: Extra columns per table: children without a natural key of their own.
_EXTRA = {
    "core.events": [
        "(SELECT coalesce(json_agg(json_build_array(p.role, p.position, p.entity_id, p.name) "
        "ORDER BY p.role, p.position), '[]') FROM core.event_participants p WHERE p.event_id = t.event_id)::text",
        "(SELECT coalesce(json_agg(json_build_array(q.position, q.kind, q.value, q.unit, q.surface) "
        "ORDER BY q.position), '[]') FROM core.event_quantities q WHERE q.event_id = t.event_id)::text",
    ],
}


_GOOD_POLL = "outcome IN ('ok', 'not_modified', 'outside_horizon')"
#: Column -> SQL expression (None: left out) for the tables whose rows record an exchange.
FEED_EXCHANGE = {
    "raw.feed_polls": {
        "outcome": f"CASE WHEN {_GOOD_POLL} THEN 'good' ELSE outcome END",
        "detail": f"CASE WHEN {_GOOD_POLL} THEN NULL ELSE detail END",
        **dict.fromkeys(("http_status", "etag", "last_modified", "feed_format", "entries_seen", "body_gzip",
                         "body_sha256", "oldest_entry_at", "newest_entry_at")),
    },
    "raw.feed_entries": {"first_seen_window": None, "last_seen_window": None},
    "ops.run_metrics": {
        "poll_outcome": f"CASE WHEN poll_{_GOOD_POLL} THEN 'good' ELSE poll_outcome END",
        "poll_detail": f"CASE WHEN poll_{_GOOD_POLL} THEN NULL ELSE poll_detail END",
        "entries_seen": None,
    },
}


def _tables(conn: psycopg.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables "
        "WHERE table_schema = ANY(%s) AND table_type = 'BASE TABLE' ORDER BY 1",
        (list(SCHEMAS),),
    ).fetchall()
    return [t for (t,) in rows if t not in SKIPPED_TABLES | FOLDED_TABLES]


def _select_list(conn: psycopg.Connection, table: str, normalize: dict) -> list[str]:
    schema, name = table.split(".")
    columns = conn.execute(
        "SELECT column_name, is_identity = 'YES' OR is_generated = 'ALWAYS' FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        (schema, name),
    ).fetchall()
    own_key = {"core.sources": "source_id", "raw.links": "link_id", "raw.pages": "page_id",
               "core.articles": "article_id", "core.events": "event_id"}.get(table)
    select = []
    overrides = normalize.get(table, {})
    for column, surrogate in columns:
        if column in overrides:
            if overrides[column] is not None:
                select.append(f"{overrides[column]} AS {column}")
            continue
        if column in RUN_COLUMNS or column == own_key or (surrogate and column not in _REFERENCES):
            continue
        if column in _REFERENCES:
            select.append(f"{_REFERENCES[column].format(col=column)} AS {column}")
        else:
            select.append(f't."{column}"')
    return select + _EXTRA.get(table, [])


def canonical_dump(dsn: str, normalize: dict | None = None) -> dict[str, list[tuple]]:
    """Every table's meaningful rows, with natural keys for surrogate ids, sorted;
    ``normalize`` (e.g. ``FEED_EXCHANGE``) replaces or leaves out more columns."""
    dump = {}
    with psycopg.connect(dsn) as conn:
        for table in _tables(conn):
            select = _select_list(conn, table, normalize or {})
            rows = conn.execute(f"SELECT {', '.join(select)} FROM {table} t").fetchall()
            dump[table] = sorted(rows, key=repr)
    return dump


def dump_differences(expected: dict, actual: dict, limit: int = 3) -> list[str]:
    """What differs between two dumps, table by table (empty when they are equal)."""
    problems = []
    for table in sorted(set(expected) | set(actual)):
        old, new = expected.get(table, []), actual.get(table, [])
        if old == new:
            continue
        problems.append(f"{table}: {len(old)} rows expected, {len(new)} found")
        old_set, new_set = {repr(r) for r in old}, {repr(r) for r in new}
        problems += [f"  missing: {r[:300]}" for r in sorted(old_set - new_set)[:limit]]
        problems += [f"  unexpected: {r[:300]}" for r in sorted(new_set - old_set)[:limit]]
        if old_set == new_set:
            problems.append("  same rows, different multiplicity (duplicates)")
    return problems
