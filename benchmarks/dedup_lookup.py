"""Cost of one near-duplicate lookup in the warehouse, as the number of stored signatures grows.

For each size N a fresh database is created and migrated with the project's migrations,
then filled, set-based (INSERT ... SELECT from generate_series, secondary indexes dropped
and rebuilt around the load), with N synthetic stored articles: one source, N links, one
shared page, N articles with short bodies published before the planted ones (--per-day a
day), their duplicate groups and stories, N fingerprints and 34 LSH band rows each (bands 0..33, random buckets: unrelated texts
almost never share a bucket, by design). Then VACUUM (ANALYZE), so the measurement runs
on a steady state, not while autovacuum works through the fresh tables.

On top of that a real workload is planted: the first ``--plant`` documents (in
publication order) of the generated near-duplicate set (``dedup_cases.generate()``) go in
as articles and through the project's own stage, ``newsfacts.dedupe.dedupe(dsn)``. The
rest of the set (copies of planted documents and unrelated ones), then exact re-posts
of planted documents, make up ``--lookups`` new articles. Each is looked up the way the
stage does it for a new article (fingerprint, ``WarehouseIndex.look_up()``: the exact and
the band lookup in one query, then ``assign()``: verification, storing its fingerprint), inside a transaction
that is rolled back, so the database does not grow. The figure is the mean time per
article of a run, median over ``--repeat`` runs, with the share of it spent in the
database (execute, fetch, COPY); the candidates SQL alone is timed the same way, and one candidates query and one whole lookup of an exact re-post are EXPLAINed (ANALYZE, BUFFERS).

    .venv/bin/python benchmarks/dedup_lookup.py [--sizes 10000,1000000] [--lookups 300]
        [--repeat 3] [--dsn-admin postgresql://postgres@127.0.0.1:5432/postgres]
        [--json PATH] [--keep]

The admin role must be able to create databases; a superuser also lets the load skip
foreign-key checks (session_replication_role = replica), which makes it much faster.
Target (the issue): per-article time at 1M no more than 1.5 times that at 10k.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _p in (str(HERE.parent), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

from dedup_cases import generate  # noqa: E402
from extractors.dedup import MAX_BUCKET, Document, assign, fingerprint  # noqa: E402
from newsfacts.dedupe import _CANDIDATES, _LOOKUP, WarehouseIndex, dedupe  # noqa: E402
from newsfacts.migrations import migrate  # noqa: E402
from newsfacts.warehouse import connect  # noqa: E402

TARGET_RATIO = 1.5
BANDS_PER_ARTICLE = 34
#: Tables whose secondary indexes are dropped during the bulk load and rebuilt after it.
_BULK_TABLES = ("raw.links", "core.articles", "core.article_fingerprints", "core.article_lsh_bands",
                "core.duplicate_groups", "core.stories")

def dsn_for(admin_dsn: str, dbname: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(admin_dsn)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


def admin(admin_dsn: str, statement: sql.Composable) -> None:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(statement)


def text_sha(title: str, body: str) -> bytes:
    return hashlib.sha256(f"{title}\n{body}".encode()).digest()


# -- bulk load ------------------------------------------------------------------------------


def _secondary_indexes(cur, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the indexes of ``table`` that back no constraint."""
    return cur.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        (table,),
    ).fetchall()


def bulk_load(dsn: str, n: int, end: datetime, per_day: int) -> dict:
    """N stored articles with their groups, stories, fingerprints and bands; seconds per step."""
    steps: dict[str, float] = {}
    step_seconds = 86400.0 / per_day  # articles spaced evenly, the newest at ``end``

    def timed(name, cur, query, params=None):
        t0 = time.perf_counter()
        cur.execute(query, params)
        steps[name] = round(steps.get(name, 0.0) + time.perf_counter() - t0, 2)

    ts = "(%(end)s::timestamptz - make_interval(secs => (%(n)s - g) * %(step)s))"
    p = {"n": n, "end": end, "step": step_seconds}
    with connect(dsn) as conn, conn.cursor() as cur:
        try:
            cur.execute("SET session_replication_role = replica")  # no FK triggers during the load
            fk_checks = False
        except psycopg.errors.InsufficientPrivilege:
            fk_checks = True
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET synchronous_commit = off")
        with conn.transaction():
            dropped = []
            for table in _BULK_TABLES:
                for name, definition in _secondary_indexes(cur, table):
                    cur.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(name)))
                    dropped.append(definition)
            pkey = cur.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = 'core.article_lsh_bands'::regclass AND contype = 'p'"
            ).fetchone()
            cur.execute(sql.SQL("ALTER TABLE core.article_lsh_bands DROP CONSTRAINT {}").format(
                sql.Identifier(pkey[0])))
        with conn.transaction():
            source = cur.execute(
                "INSERT INTO core.sources (slug, name, feed_url, language, country, perspective) "
                "VALUES ('bench-synthetic', 'Synthetic outlet', 'https://synthetic.invalid/feed', 'en', 'UA', 'wire') "
                "RETURNING source_id").fetchone()[0]
            p["src"] = source
            timed("links", cur, f"""
                INSERT INTO raw.links (link_id, url, fetch_url, source_id, window_start, fetch_outcome,
                                       http_status, extract_outcome)
                OVERRIDING SYSTEM VALUE
                SELECT g, 'https://synthetic.invalid/a/' || g, 'https://synthetic.invalid/a/' || g, %(src)s,
                       date_trunc('day', {ts}), 'ok', 200, 'ok'
                FROM generate_series(1, %(n)s) g""", p)
            body = b"<html><body>synthetic</body></html>"
            page = cur.execute(
                "INSERT INTO raw.pages (link_id, body_sha256, body_gzip, body_bytes, final_url, http_status, "
                "fetched_window) VALUES (1, %s, %s, %s, 'https://synthetic.invalid/a/1', 200, %s) RETURNING page_id",
                (hashlib.sha256(body).digest(), gzip.compress(body), len(body), end),
            ).fetchone()[0]
            p["page"] = page
            if fk_checks:  # groups and stories point back at their first article: fill that in later
                timed("groups", cur, f"""
                    INSERT INTO core.duplicate_groups (duplicate_group_id, article_count, outlet_count,
                                                       first_published_at)
                    OVERRIDING SYSTEM VALUE SELECT g, 1, 1, {ts} FROM generate_series(1, %(n)s) g""", p)
                timed("stories", cur, f"""
                    INSERT INTO core.stories (story_id, headline, first_published_at, last_published_at,
                                              article_count, outlet_count)
                    OVERRIDING SYSTEM VALUE SELECT g, 'Synthetic report ' || g, {ts}, {ts}, 1, 1
                    FROM generate_series(1, %(n)s) g""", p)
            else:
                timed("groups", cur, f"""
                    INSERT INTO core.duplicate_groups (duplicate_group_id, canonical_article_id, article_count,
                                                       outlet_count, first_published_at)
                    OVERRIDING SYSTEM VALUE SELECT g, g, 1, 1, {ts} FROM generate_series(1, %(n)s) g""", p)
                timed("stories", cur, f"""
                    INSERT INTO core.stories (story_id, first_article_id, headline, first_published_at,
                                              last_published_at, article_count, outlet_count)
                    OVERRIDING SYSTEM VALUE SELECT g, g, 'Synthetic report ' || g, {ts}, {ts}, 1, 1
                    FROM generate_series(1, %(n)s) g""", p)
            timed("articles", cur, f"""
                INSERT INTO core.articles (article_id, link_id, page_id, source_id, url, canonical_url, title,
                    published_at, published_from, language, body_text, word_count, text_sha256,
                    extractor_version, first_window, duplicate_group_id, story_id, relevance_score, dedupe_pending)
                OVERRIDING SYSTEM VALUE
                SELECT g, g, %(page)s, %(src)s, u, u, t, ts, 'feed', 'en', b, 9,
                       sha256(convert_to(t || E'\\n' || b, 'UTF8')), 'bench-synthetic', date_trunc('day', ts),
                       g, g, 0.9, false
                FROM generate_series(1, %(n)s) g,
                     LATERAL (SELECT 'https://synthetic.invalid/a/' || g AS u, 'Synthetic report ' || g AS t,
                                     {ts} AS ts,
                                     'Synthetic body of article ' || g || '. ' || md5(g::text) || ' '
                                     || md5((-g)::text) || '.' AS b) x""", p)
            if fk_checks:
                timed("groups", cur, "UPDATE core.duplicate_groups SET canonical_article_id = duplicate_group_id")
                timed("stories", cur, "UPDATE core.stories SET first_article_id = story_id")
            timed("fingerprints", cur, """
                INSERT INTO core.article_fingerprints (article_id, text_sha256, normalized_sha256, minhash, story_terms)
                SELECT article_id, text_sha256, sha256(text_sha256), decode(repeat(md5(article_id::text), 32), 'hex'),
                       jsonb_build_object('synth' || article_id, 1.0)
                FROM core.articles""")
            timed("bands", cur, """
                INSERT INTO core.article_lsh_bands (band, bucket, article_id)
                SELECT b, floor((random() - 0.5) * 1.8446744e19)::bigint, g
                FROM generate_series(1, %(n)s) g CROSS JOIN generate_series(0, %(last)s) b""",
                  {"n": n, "last": BANDS_PER_ARTICLE - 1})
            for table, column in (("raw.links", "link_id"), ("core.articles", "article_id"),
                                  ("core.duplicate_groups", "duplicate_group_id"), ("core.stories", "story_id")):
                cur.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", (table, column, n))
        t0 = time.perf_counter()
        with conn.transaction():
            cur.execute(sql.SQL("ALTER TABLE core.article_lsh_bands ADD CONSTRAINT {} {}").format(
                sql.Identifier(pkey[0]), sql.SQL(pkey[1])))
            for definition in dropped:
                cur.execute(definition)
        steps["indexes"] = round(time.perf_counter() - t0, 2)
        cur.execute("RESET session_replication_role")
        t0 = time.perf_counter()
        cur.execute("VACUUM (ANALYZE)")
        steps["vacuum_analyze"] = round(time.perf_counter() - t0, 2)
        sizes = dict(cur.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace s "
            "ON s.oid = c.relnamespace WHERE s.nspname = 'core' AND c.relkind IN ('r', 'i') "
            "AND c.relname LIKE 'article%%'").fetchall())
    steps["total"] = round(sum(v for k, v in steps.items()), 2)
    return {"steps": steps, "fk_checks": fk_checks,
            "bytes": {k: v for k, v in sorted(sizes.items())}}


# -- workload -------------------------------------------------------------------------------


def insert_article(cur, source: int, page: int, doc: dict, url: str) -> int:
    published = doc["published_at"]
    link = cur.execute(
        "INSERT INTO raw.links (url, fetch_url, source_id, window_start, fetch_outcome, http_status, "
        "extract_outcome) VALUES (%s, %s, %s, %s, 'ok', 200, 'ok') RETURNING link_id",
        (url, url, source, published.replace(hour=0, minute=0, second=0, microsecond=0)),
    ).fetchone()[0]
    return cur.execute(
        "INSERT INTO core.articles (link_id, page_id, source_id, url, canonical_url, title, published_at, "
        "published_from, language, body_text, word_count, text_sha256, extractor_version, first_window, "
        "relevance_score) VALUES (%s, %s, %s, %s, %s, %s, %s, 'feed', 'en', %s, %s, %s, 'bench-planted', %s, 0.9) "
        "RETURNING article_id",
        (link, page, source, url, url, doc["title"], published, doc["text"], len(doc["text"].split()),
         text_sha(doc["title"], doc["text"]), published.replace(hour=0, minute=0, second=0, microsecond=0)),
    ).fetchone()[0]


def workload(plant: int, lookups: int) -> tuple[list[dict], list[dict]]:
    """(planted documents, lookup documents) from the generated near-duplicate set.

    Every third cluster (story and its copies) is held out: its documents are looked up
    as unrelated texts. Of the other clusters the originals, then their copies in
    publication order, are planted up to ``plant``; their remaining copies are looked
    up as copies, then planted documents again as exact re-posts.
    """
    docs = generate(seed=0)
    clusters = sorted({d["cluster"] for d in docs})
    held_out = set(clusters[2::3])
    kept = [d for d in docs if d["cluster"] not in held_out]
    kept.sort(key=lambda d: (d["kind"] != "original", d["published_at"], d["id"]))
    planted = sorted(kept[:plant], key=lambda d: (d["published_at"], d["id"]))
    copies = sorted(kept[plant:], key=lambda d: (d["published_at"], d["id"]))
    looked = ([{**d, "expect": "copy"} for d in copies]
              + [{**d, "expect": "unrelated"} for d in docs if d["cluster"] in held_out]
              + [{**d, "expect": "exact re-post"} for d in planted])
    while len(looked) < lookups:
        looked += looked
    return planted, looked[:lookups]


class TimedCursor:
    """A cursor that adds up the time spent in the database (execute, fetch, COPY)."""

    def __init__(self, cur):
        self._cur = cur
        self.seconds = 0.0

    def execute(self, *args, **kwargs):
        t0 = time.perf_counter()
        self._cur.execute(*args, **kwargs)
        self.seconds += time.perf_counter() - t0
        return self

    def _timed(self, name):
        def call(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return getattr(self._cur, name)(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
        return call

    def __getattr__(self, name):
        if name in ("fetchone", "fetchall", "fetchmany"):
            return self._timed(name)
        return getattr(self._cur, name)

    def copy(self, *args, **kwargs):
        outer = self

        class _Copy:
            def __enter__(self):
                t0 = time.perf_counter()
                self._cm = outer._cur.copy(*args, **kwargs)
                self._copy = self._cm.__enter__()
                outer.seconds += time.perf_counter() - t0
                return self

            def write_row(self, row):
                t0 = time.perf_counter()
                self._copy.write_row(row)
                outer.seconds += time.perf_counter() - t0

            def __exit__(self, *exc):
                t0 = time.perf_counter()
                try:
                    return self._cm.__exit__(*exc)
                finally:
                    outer.seconds += time.perf_counter() - t0

        return _Copy()


def plant_workload(dsn: str, planted: list[dict]) -> dict:
    with connect(dsn) as conn, conn.cursor() as cur:
        source, page = cur.execute(
            "SELECT (SELECT source_id FROM core.sources WHERE slug = 'bench-synthetic'), min(page_id) FROM raw.pages"
        ).fetchone()
        with conn.transaction():
            for i, doc in enumerate(planted):
                insert_article(cur, source, page, doc, f"https://planted.invalid/{i}")
    t0 = time.perf_counter()
    counts = dedupe(dsn, "bench")
    seconds = time.perf_counter() - t0
    return {"source": source, "page": page, "seconds": round(seconds, 2),
            "ms_per_article": round(1000 * seconds / max(1, len(planted)), 2), "counts": counts}


def measure(dsn: str, source: int, page: int, docs: list[dict], repeat: int) -> dict:
    fps = [fingerprint(f"{d['title']}\n{d['text']}") for d in docs]
    runs, sql_runs, cand_runs, fp_runs = [], [], [], []
    per_lookup: list[float] = []
    per_cand: list[float] = []
    kinds = Counter()
    kinds_by_expect: dict[str, Counter] = {}
    candidates_found = []
    with connect(dsn) as conn:
        for run in range(repeat):
            total = in_sql = 0.0
            for i, doc in enumerate(docs):
                with conn.transaction(force_rollback=True), conn.cursor() as cur:
                    aid = insert_article(cur, source, page, doc, f"https://lookup.invalid/{run}/{i}")
                    document = Document(str(aid), doc["url"], doc["title"], doc["text"], doc["published_at"])
                    timed = TimedCursor(cur)
                    t0 = time.perf_counter()
                    index = WarehouseIndex(timed)
                    fp = fingerprint(f"{document.title}\n{document.text}")
                    index.look_up(fp, aid)
                    result = assign(index, document, fp)
                    dt = time.perf_counter() - t0
                total += dt
                in_sql += timed.seconds
                per_lookup.append(dt)
                if run == 0:
                    kinds[result.kind] += 1
                    kinds_by_expect.setdefault(doc["expect"], Counter())[result.kind] += 1
            runs.append(1000 * total / len(docs))
            sql_runs.append(1000 * in_sql / len(docs))
            # the candidates SQL alone, as WarehouseIndex.candidates() sends it
            total = 0.0
            with conn.cursor() as cur:
                for fp in fps:
                    params = {"bands": [b for b, _ in fp.bands], "buckets": [k for _, k in fp.bands],
                              "self": -1, "cap": MAX_BUCKET}
                    t0 = time.perf_counter()
                    rows = cur.execute(_CANDIDATES, params).fetchall()
                    dt = time.perf_counter() - t0
                    total += dt
                    per_cand.append(dt)
                    if run == 0:
                        candidates_found.append(len(rows))
            cand_runs.append(1000 * total / len(docs))
            t0 = time.perf_counter()
            for d in docs:
                fingerprint(f"{d['title']}\n{d['text']}")
            fp_runs.append(1000 * (time.perf_counter() - t0) / len(docs))
        explain = explain_queries(conn, docs, fps, candidates_found)
    q = statistics.quantiles
    return {
        "assign_ms": round(statistics.median(runs), 3),
        "assign_runs_ms": [round(x, 3) for x in runs],
        "assign_p50_ms": round(1000 * statistics.median(per_lookup), 3),
        "assign_p95_ms": round(1000 * q(per_lookup, n=20)[18], 3),
        "assign_sql_ms": round(statistics.median(sql_runs), 3),
        "assign_sql_runs_ms": [round(x, 3) for x in sql_runs],
        "candidates_ms": round(statistics.median(cand_runs), 3),
        "candidates_runs_ms": [round(x, 3) for x in cand_runs],
        "candidates_p50_ms": round(1000 * statistics.median(per_cand), 3),
        "candidates_p95_ms": round(1000 * q(per_cand, n=20)[18], 3),
        "fingerprint_ms": round(statistics.median(fp_runs), 3),
        "candidates_found_mean": round(statistics.mean(candidates_found), 2),
        "kinds": dict(sorted(kinds.items())),
        "kinds_by_expectation": {k: dict(sorted(v.items())) for k, v in sorted(kinds_by_expect.items())},
        "explain": explain,
    }


def _plan_summary(plan: str) -> dict:
    nodes = sorted(set(re.findall(r"(Index Only Scan|Index Scan|Bitmap Heap Scan|Bitmap Index Scan|Seq Scan)"
                                  r"(?: Backward)?(?: using (\S+))?", plan)))
    buffers = re.search(r"Buffers: (.*)", plan)
    execution = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return {"scans": [f"{kind} using {index}" if index else kind for kind, index in nodes],
            "top_buffers": buffers.group(1) if buffers else None,
            "execution_ms": float(execution.group(1)) if execution else None}


def explain_queries(conn, docs, fps, candidates_found) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of the candidates query of the lookup with most candidates,
    and of the whole lookup (exact match and candidates) for an exact re-post."""
    best = max(range(len(docs)), key=lambda i: candidates_found[i])
    fp = fps[best]
    params = {"bands": [b for b, _ in fp.bands], "buckets": [k for _, k in fp.bands], "self": -1, "cap": MAX_BUCKET}
    out = {}
    with psycopg.ClientCursor(conn) as cur:
        plan = "\n".join(r[0] for r in cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + _CANDIDATES, params))
        out["candidates"] = {"doc": docs[best]["id"], "bands": len(fp.bands),
                             "rows": candidates_found[best], **_plan_summary(plan), "plan": plan}
        exact_doc = next((i for i, d in enumerate(docs) if d["expect"] == "exact re-post"), 0)
        fp = fps[exact_doc]
        plan = "\n".join(r[0] for r in cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + _LOOKUP, {
            "hash": fp.text_hash, "bands": [b for b, _ in fp.bands], "buckets": [k for _, k in fp.bands],
            "self": -1, "cap": MAX_BUCKET}))
        out["exact"] = {"doc": docs[exact_doc]["id"], **_plan_summary(plan), "plan": plan}
    return out


# -- driver ---------------------------------------------------------------------------------


def bench_size(args, n: int, planted: list[dict], looked: list[dict]) -> dict:
    name = f"newsfacts_bench_{n}_{uuid.uuid4().hex[:8]}"
    admin(args.dsn_admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    dsn = dsn_for(args.dsn_admin, name)
    result: dict = {"n": n, "database": name}
    try:
        migrate(dsn)
        # The synthetic history ends before the planted documents, as a warehouse's past does:
        # planting earlier than stored articles would have dedupe() reopen them all.
        end = min(d["published_at"] for d in planted + looked) - timedelta(hours=1)
        print(f"[{n}] loading into {name} ...", flush=True)
        result["load"] = bulk_load(dsn, n, end, args.per_day)
        print(f"[{n}] loaded in {result['load']['steps']['total']} s {result['load']['steps']}", flush=True)
        result["plant"] = plant_workload(dsn, planted)
        print(f"[{n}] planted {len(planted)} via dedupe() in {result['plant']['seconds']} s "
              f"{result['plant']['counts']}", flush=True)
        result.update(measure(dsn, result["plant"]["source"], result["plant"]["page"], looked, args.repeat))
        print(f"[{n}] assign {result['assign_ms']} ms/article (runs {result['assign_runs_ms']}; "
              f"SQL {result['assign_sql_ms']} ms), "
              f"candidates SQL {result['candidates_ms']} ms (runs {result['candidates_runs_ms']}), "
              f"kinds {result['kinds_by_expectation']}", flush=True)
        print(f"[{n}] EXPLAIN candidates (doc {result['explain']['candidates']['doc']}, "
              f"{result['explain']['candidates']['rows']} rows):\n{result['explain']['candidates']['plan']}\n"
              f"[{n}] EXPLAIN lookup of an exact re-post:\n{result['explain']['exact']['plan']}\n", flush=True)
    finally:
        if args.keep:
            print(f"[{n}] kept database {name}: {dsn}", flush=True)
        else:
            admin(args.dsn_admin, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return result


def table(results: list[dict]) -> str:
    lines = [f"{'N':>10} {'load s':>8} {'plant ms/art':>13} {'assign ms/art':>14} {'assign p95':>11} "
             f"{'assign SQL ms':>14} {'cand SQL ms':>12} {'fingerprint ms':>15} {'cand scans':>30}"]
    for r in results:
        lines.append(f"{r['n']:>10,} {r['load']['steps']['total']:>8.1f} {r['plant']['ms_per_article']:>13.2f} "
                     f"{r['assign_ms']:>14.3f} {r['assign_p95_ms']:>11.3f} {r['assign_sql_ms']:>14.3f} {r['candidates_ms']:>12.3f} "
                     f"{r['fingerprint_ms']:>15.3f} {', '.join(r['explain']['candidates']['scans']):>30}")
    return "\n".join(lines)


def ratios(results: list[dict]) -> dict:
    if len(results) < 2:
        return {}
    small, large = results[0], results[-1]
    return {
        "sizes": [small["n"], large["n"]],
        "assign": round(large["assign_ms"] / small["assign_ms"], 3),
        "assign_sql": round(large["assign_sql_ms"] / small["assign_sql_ms"], 3),
        "candidates_sql": round(large["candidates_ms"] / small["candidates_ms"], 3),
        "plant_dedupe_stage": round(large["plant"]["ms_per_article"] / small["plant"]["ms_per_article"], 3),
        "target": TARGET_RATIO,
        "met": large["assign_ms"] / small["assign_ms"] <= TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000", help="stored articles, comma-separated")
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plant", type=int, default=200, help="real documents loaded through dedupe()")
    parser.add_argument("--per-day", type=int, default=1000,
                        help="synthetic articles per day (history grows longer with N, not denser)")
    parser.add_argument("--dsn-admin", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--json", help="write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    planted, looked = workload(args.plant, args.lookups)
    print(f"workload: {len(planted)} planted, {len(looked)} lookups "
          f"{dict(Counter(d['expect'] for d in looked))}", flush=True)
    results = [bench_size(args, n, planted, looked) for n in sizes]
    print(table(results))
    r = ratios(results)
    if r:
        print(f"ratio {r['sizes'][1]:,}/{r['sizes'][0]:,}: assign {r['assign']} (target <= {TARGET_RATIO}: "
              f"{'met' if r['met'] else 'NOT met'}), SQL inside assign {r['assign_sql']}, "
              f"candidates SQL {r['candidates_sql']}, "
              f"dedupe() stage while planting {r['plant_dedupe_stage']}")
    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "results": results, "ratio": r},
                                              indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
