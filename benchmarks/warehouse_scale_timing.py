"""Timing of the scale warehouse (``warehouse_scale.py``): example queries, mart refreshes
and the nightly load.

* **queries**: every ``sql/queries/*.sql`` present when the timing starts, its psql
  variables (``:'day'``) filled as psql would (literals, through a client-side cursor):
  values given with ``--param name=value`` win; else the example in the file's header
  (``psql -v day=2025-03-15 ...``) with dates moved so that the latest example date is
  the last full day of the warehouse, entity ids and outlets replaced when the warehouse
  has no such entity or outlet; else a value chosen by the variable's name. Run as
  ``newsfacts_analyst`` (``SET ROLE``; as the connected role when the analyst may not
  read what a query reads, said in the table), one warm-up then ``--runs`` timed runs,
  wall time of execute + fetch on the client, median reported. ``EXPLAIN (ANALYZE,
  BUFFERS)`` of the three slowest goes to ``--plans``.
* **marts**: :func:`newsfacts.marts.refresh_marts` (``REFRESH MATERIALIZED VIEW
  CONCURRENTLY`` of every mart through ``ops.refresh_mart``), ``--mart-warmup`` untimed
  and ``--mart-runs`` timed calls; each mart's refresh inside it is timed on its own
  (median over the runs). Without a warm-up the first run follows the generator's own
  (non-concurrent) build of the marts.
* **nightly load**: a day of ``bench_corpus.py`` news (``--nightly-articles`` war
  articles, 70 % of the day's pages; 20 % copies) rendered by the fixture sites as the
  outlets serve them, stored as ``poll_feeds`` and ``fetch_pages`` store them (feed
  entries, links, gzip pages; not timed), then the real ``load_articles``, ``dedupe`` and
  ``load_facts`` of the day, each timed (wall) with the time spent waiting on
  PostgreSQL inside it (every cursor ``execute``/``executemany``/``copy`` timed) and the
  statements that took longest. Done on an early warehouse (``--early-articles``
  articles at the same daily rate, i.e. its first days) and on the full one, whose rows
  of the day are deleted again afterwards.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

TARGET_SECONDS = 1.0
_EXAMPLE = re.compile(r"-v\s+(?:'([A-Za-z_]\w*)=([^']*)'|\"([A-Za-z_]\w*)=([^\"]*)\"|([A-Za-z_]\w*)=('[^']*'|\"[^\"]*\"|\S+))")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(.*)$")
_ENTITY = re.compile(r"^(person|place|organization|weapon|group)/[a-z0-9-]+$")


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        info["cpus_usable"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        info["memory_gb"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError):
        pass
    return info


# ---------------------------------------------------------------------------- parameters


def _examples(text: str) -> dict[str, str]:
    found = {}
    for match in _EXAMPLE.finditer("\n".join(line for line in text.splitlines() if line.lstrip().startswith("--"))):
        name = match.group(1) or match.group(3) or match.group(5)
        value = match.group(2) if match.group(1) else match.group(4) if match.group(3) else match.group(6)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        found.setdefault(name, value)
    return found


class Context:
    """What sensible parameter values are in this warehouse."""

    def __init__(self, conn: psycopg.Connection):
        rows = conn.execute(
            "SELECT (first_window AT TIME ZONE 'UTC')::date AS day, count(*) FROM core.articles GROUP BY 1 ORDER BY 1"
        ).fetchall()
        counts = [n for _, n in rows]
        mean = sum(counts) / len(counts) if counts else 0
        full = [d for d, n in rows if n >= 0.5 * mean]
        self.day: date = full[-1] if full else date.today()
        self.first_day: date = rows[0][0] if rows else self.day
        self.entities = {e for (e,) in conn.execute("SELECT entity_id FROM core.entities")}
        self.entity_names = {n.lower(): e for e, n in conn.execute("SELECT entity_id, name FROM core.entities")}
        self.top_entity = dict(conn.execute(
            """SELECT DISTINCT ON (e.type) e.type, e.entity_id FROM core.entities e
               JOIN (SELECT entity_id, count(*) AS n FROM core.mentions WHERE article_id > (SELECT max(article_id) - 20000 FROM core.articles)
                     GROUP BY 1) m USING (entity_id) ORDER BY e.type, m.n DESC""").fetchall())
        self.sources = {s: n for s, n in conn.execute("SELECT slug, name FROM core.sources")}
        top = conn.execute("SELECT s.slug, s.name FROM core.sources s JOIN core.articles a USING (source_id) "
                           "WHERE a.article_id > (SELECT max(article_id) - 20000 FROM core.articles) "
                           "GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1").fetchone()
        self.top_source = top or ("kyiv-independent", "The Kyiv Independent")


def _by_name(name: str, ctx: Context) -> str | None:
    n = name.lower()
    if n in ("from", "start", "since", "from_day", "start_day", "first_day", "day_from", "date_from"):
        return (ctx.day - timedelta(days=6)).isoformat()
    if n in ("to", "end", "until", "to_day", "end_day", "last_day", "day_to", "date_to"):
        return ctx.day.isoformat()
    if "day" in n or "date" in n:
        return ctx.day.isoformat()
    if n in ("days", "window", "window_days"):
        return "7"
    if n in ("limit", "n", "top", "k"):
        return "10"
    if n in ("q", "query", "search", "words", "terms", "text", "phrase", "keywords"):
        return "drone attack"
    if "speaker" in n or "person" in n or "leader" in n:
        return ctx.top_entity.get("person", "person/volodymyr-zelenskyy")
    if "place" in n or "city" in n or "location" in n or "town" in n:
        return ctx.top_entity.get("place", "place/kharkiv")
    if "weapon" in n:
        return ctx.top_entity.get("weapon", "weapon/shahed")
    if "entity" in n or "actor" in n:
        return ctx.top_entity.get("person", "person/volodymyr-zelenskyy")
    if "outlet" in n or "source" in n or "slug" in n:
        return ctx.top_source[0]
    if "perspective" in n:
        return "ukrainian"
    if "kind" in n:
        return "killed"
    if "type" in n:
        return "ASSAULT"
    return None


def choose_params(name: str, text: str, variables: set[str], ctx: Context, overrides: dict[str, str]) -> tuple[dict, dict]:
    """The parameters of one query and where each came from."""
    examples = _examples(text)
    dates = [date.fromisoformat(m.group(1)) for v in examples.values() if (m := _DATE.match(v))]
    shift = (ctx.day - max(dates)) if dates else timedelta(0)
    params, origin = {}, {}
    for var in sorted(variables):
        if var in overrides:
            params[var], origin[var] = overrides[var], "--param"
            continue
        value = examples.get(var)
        how = "header example"
        if value is not None:
            if m := _DATE.match(value):
                value = (date.fromisoformat(m.group(1)) + shift).isoformat() + m.group(2)
                how = "header example, date moved into the warehouse"
            elif _ENTITY.match(value) and value not in ctx.entities:
                value = ctx.top_entity.get(value.split("/")[0], value)
                how = "header example's entity is not in the warehouse: most mentioned of its type"
            elif any(k in var.lower() for k in ("outlet", "source", "slug")) and value not in ctx.sources \
                    and value not in ctx.sources.values():
                value = ctx.top_source[0] if value.islower() or "-" in value else ctx.top_source[1]
                how = "header example's outlet is not in the warehouse: the busiest outlet"
        else:
            value, how = _by_name(var, ctx), "chosen by the variable's name"
        if value is None:
            raise ValueError(f"{name}: no value for :'{var}' (pass --param {var}=...)")
        params[var], origin[var] = value, how
    return params, origin


# ---------------------------------------------------------------------------- queries


def _analyst(conn: psycopg.Connection, role: str) -> bool:
    if not role:
        return False
    if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
        return False
    conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
    return True


def time_queries(dsn: str, args, log) -> tuple[list[dict], list[tuple[str, str]]]:
    from newsfacts import queries

    overrides = dict(p.split("=", 1) for p in args.param)
    results = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        ctx = Context(conn)
    for path in sorted(queries.QUERIES_DIR.glob("*.sql")):
        name = path.stem
        text = path.read_text(encoding="utf-8")
        entry = {"query": name}
        try:
            params, origin = choose_params(name, text, queries.variables(name), ctx, overrides)
        except ValueError as exc:
            entry["error"] = str(exc)
            results.append(entry)
            log(f"  {name}: {exc}")
            continue
        entry.update(params=params, param_origin=origin)
        statement = queries.load(name)
        for as_analyst in (True, False):
            with psycopg.connect(dsn, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
                conn.execute("SET statement_timeout = '300s'")
                role = _analyst(conn, args.role) if as_analyst else False
                entry["role"] = args.role if role else conn.info.user
                try:
                    cur = conn.cursor()
                    timings = []
                    for run in range(args.runs + 1):
                        started = time.perf_counter()
                        cur.execute(statement, params)
                        rows = cur.fetchall() if cur.description else []
                        if run:
                            timings.append(time.perf_counter() - started)
                    entry.update(seconds=statistics.median(timings), runs=timings, rows=len(rows))
                    entry.pop("error", None)
                    break
                except psycopg.errors.InsufficientPrivilege as exc:
                    entry["error"] = f"as {args.role}: {exc}".strip()
                    continue
                except psycopg.Error as exc:
                    entry["error"] = str(exc).strip()
                    break
        entry["over_target"] = entry.get("seconds", 0) > TARGET_SECONDS
        results.append(entry)
        log(f"  query {name}: " + (f"{entry['seconds'] * 1000:.1f} ms median, {entry['rows']} rows, as {entry['role']}"
                                   if "seconds" in entry else f"FAILED {entry.get('error')}"))
    return results, plans(dsn, [r for r in results if "seconds" in r], args)


def plans(dsn: str, results: list[dict], args, count: int = 3) -> list[tuple[str, str]]:
    from newsfacts import queries

    slowest = sorted(results, key=lambda r: -r["seconds"])[:count]
    out = []
    for r in slowest:
        with psycopg.connect(dsn, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
            if r["role"] == args.role:
                _analyst(conn, args.role)
            cur = conn.cursor()
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + queries.load(r["query"]), r["params"])
            out.append((r["query"], "\n".join(row[0] for row in cur.fetchall())))
    return out


# ---------------------------------------------------------------------------- marts


def time_marts(dsn: str, args, log) -> dict:
    """``refresh_marts`` itself, ``--mart-warmup`` + ``--mart-runs`` times; each mart's
    ``ops.refresh_mart(..., concurrent => true)`` call inside it is timed on its own."""
    from newsfacts.marts import refresh_marts

    per_mart: dict[str, list[float]] = defaultdict(list)
    totals, rows = [], {}
    execute = psycopg.Connection.execute

    for run in range(args.mart_warmup + args.mart_runs):
        calls = []

        def timed(conn, query, params=None, *a, **k):
            started = time.perf_counter()
            try:
                return execute(conn, query, params, *a, **k)
            finally:
                if isinstance(query, str) and "ops.refresh_mart" in query:
                    calls.append((params[0], time.perf_counter() - started))

        psycopg.Connection.execute = timed
        try:
            started = time.perf_counter()
            rows = refresh_marts(dsn)
            total = time.perf_counter() - started
        finally:
            psycopg.Connection.execute = execute
        if run < args.mart_warmup:
            log(f"  refresh_marts warm-up: {total:.1f} s")
            continue
        totals.append(total)
        for view, seconds in calls:
            per_mart[view.split(".", 1)[1].strip('"')].append(seconds)
        log(f"  refresh_marts run {run - args.mart_warmup + 1}: {total:.1f} s ("
            + ", ".join(f"{v.split('.', 1)[1].strip(chr(34))} {t:.1f}" for v, t in calls) + ")")
    marts = {name: {"seconds": statistics.median(t), "runs": t, "rows": rows.get(name)} for name, t in sorted(per_mart.items())}
    return {"marts": marts, "refresh_marts_seconds": statistics.median(totals), "refresh_marts_runs": totals}


# ---------------------------------------------------------------------------- nightly load


class DbClock:
    """Time spent in PostgreSQL round trips, by stage and statement (monkeypatched cursors)."""

    def __init__(self):
        self.stage = None
        self.total: Counter = Counter()
        self.statements: dict[str, Counter] = defaultdict(Counter)
        self.calls: dict[str, Counter] = defaultdict(Counter)

    def _note(self, query, seconds: float) -> None:
        if self.stage is None:
            return
        if isinstance(query, (sql.Composable,)):
            query = repr(query)
        elif isinstance(query, bytes):
            query = query.decode(errors="replace")
        key = " ".join(str(query).split())[:100]
        self.total[self.stage] += seconds
        self.statements[self.stage][key] += seconds
        self.calls[self.stage][key] += 1

    @contextmanager
    def installed(self):
        clock = self
        execute, executemany, copy = psycopg.Cursor.execute, psycopg.Cursor.executemany, psycopg.Cursor.copy

        def timed_execute(cur, query, *a, **k):
            started = time.perf_counter()
            try:
                return execute(cur, query, *a, **k)
            finally:
                clock._note(query, time.perf_counter() - started)

        def timed_executemany(cur, query, *a, **k):
            started = time.perf_counter()
            try:
                return executemany(cur, query, *a, **k)
            finally:
                clock._note(query, time.perf_counter() - started)

        @contextmanager
        def timed_copy(cur, statement, *a, **k):
            started = time.perf_counter()
            try:
                with copy(cur, statement, *a, **k) as c:
                    yield c
            finally:
                clock._note(statement, time.perf_counter() - started)

        psycopg.Cursor.execute, psycopg.Cursor.executemany, psycopg.Cursor.copy = timed_execute, timed_executemany, timed_copy
        try:
            yield self
        finally:
            psycopg.Cursor.execute, psycopg.Cursor.executemany, psycopg.Cursor.copy = execute, executemany, copy


def nightly_pages(day: date, war_articles: int, seed: int, workdir: Path) -> list[dict]:
    """The day's pages as the outlets serve them (bench_corpus + fixture sites)."""
    import bench_corpus as bc
    from extractors.urls import normalize_url
    from newsfacts.fixture_site import FixtureSite

    corpus = bc.generate(round(war_articles / bc.WAR_SHARE), seed, day, outlets=40)
    sites = bc.write_sites(corpus, workdir / "sites")
    outlet_index = {o.slug: i for i, o in enumerate(corpus.outlets)}
    pages = []
    for slug, folder in sorted(sites.items()):
        site = FixtureSite(f"https://{slug}.example", folder)
        for article in site.articles:
            url = site.url(article.path)
            pages.append({"outlet": outlet_index[slug], "url": normalize_url(url), "fetch_url": url,
                          "title": article.title, "summary": article.summary, "published": article.published,
                          "authors": article.authors, "body": site.routes[article.path].body,
                          "war": article.war, "copy": article.syndicated_from is not None})
    pages.sort(key=lambda p: (p["published"], p["url"]))
    return pages


def store_day(dsn: str, day: date, pages: list[dict]) -> dict:
    """Feed entries, links and pages of the day, as poll_feeds and fetch_pages leave them."""
    import gzip
    import hashlib

    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    with psycopg.connect(dsn) as conn:
        sources = [s for (s,) in conn.execute("SELECT source_id FROM core.sources ORDER BY source_id LIMIT 40")]
        ids = [i for (i,) in conn.execute(
            "SELECT nextval(pg_get_serial_sequence('raw.links', 'link_id')) FROM generate_series(1, %s)",
            (len(pages),)).fetchall()]
        with conn.cursor() as cur:
            with cur.copy("COPY raw.feed_entries (source_id, entry_key, url, title, summary, published_at, authors, "
                          "first_seen_window, last_seen_window) FROM STDIN") as copy:
                for p in pages:
                    copy.write_row((sources[p["outlet"]], p["fetch_url"], p["fetch_url"], p["title"], p["summary"],
                                    p["published"], p["authors"], start, start))
            with cur.copy("COPY raw.links (link_id, url, fetch_url, source_id, window_start, claimed_published_at, "
                          "fetch_outcome, http_status, discovered_via) FROM STDIN") as copy:
                for link_id, p in zip(ids, pages):
                    copy.write_row((link_id, p["url"], p["fetch_url"], sources[p["outlet"]], start, p["published"],
                                    "ok", 200, "feed"))
            with cur.copy("COPY raw.pages (link_id, body_sha256, body_gzip, body_bytes, final_url, http_status, "
                          "content_type, served_at, fetched_window) FROM STDIN") as copy:
                for link_id, p in zip(ids, pages):
                    body = p["body"]
                    copy.write_row((link_id, hashlib.sha256(body).digest(), gzip.compress(body, compresslevel=6, mtime=0),
                                    len(body), p["fetch_url"], 200, "text/html; charset=utf-8",
                                    start + timedelta(hours=26), start))
    return {"links": len(pages), "first_link_id": ids[0] if ids else None}


def _marks(conn: psycopg.Connection) -> dict:
    one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
    return {"link": one("SELECT coalesce(max(link_id), 0) FROM raw.links"),
            "group": one("SELECT coalesce(max(duplicate_group_id), 0) FROM core.duplicate_groups"),
            "story": one("SELECT coalesce(max(story_id), 0) FROM core.stories")}


def remove_day(dsn: str, day: date, marks: dict) -> None:
    """Take the nightly day out again (its rows only; touched old groups and stories recomputed)."""
    from newsfacts.groups import refresh

    start = datetime(day.year, day.month, day.day, tzinfo=timezone.utc)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM core.articles WHERE link_id > %s RETURNING duplicate_group_id, story_id", (marks["link"],))
        left = cur.fetchall()
        cur.execute("DELETE FROM core.duplicate_groups WHERE duplicate_group_id > %s", (marks["group"],))
        cur.execute("DELETE FROM core.stories WHERE story_id > %s", (marks["story"],))
        refresh(cur, {g for g, _ in left if g and g <= marks["group"]}, {s for _, s in left if s and s <= marks["story"]})
        cur.execute("DELETE FROM raw.relevance_assessments WHERE link_id > %s", (marks["link"],))
        # Every row referencing these pages is gone now, but the foreign keys of
        # core.articles.page_id, core.article_versions.page_id and
        # raw.relevance_assessments.page_id have no index: checking them would read all of
        # core.articles once per deleted page (half an hour at 1M articles). As superuser,
        # skip the checks for this transaction.
        if conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]:
            cur.execute("SET LOCAL session_replication_role = replica")
        for table in ("raw.pages", "raw.links"):
            cur.execute(f"DELETE FROM {table} WHERE link_id > %s", (marks["link"],))
        cur.execute("DELETE FROM raw.feed_entries WHERE first_seen_window = %s", (start,))
        cur.execute("DELETE FROM ops.completed_windows WHERE window_start = %s", (start,))
        cur.execute("DELETE FROM ops.run_metrics WHERE window_start = %s", (start,))


def nightly(dsn: str, day: date, pages: list[dict], log, label: str, keep: bool = False) -> dict:
    from newsfacts.dedupe import dedupe
    from newsfacts.load_articles import load_articles
    from newsfacts.load_facts import load_facts
    from newsfacts.window import Window

    with psycopg.connect(dsn) as conn:
        marks = _marks(conn)
        history = conn.execute("SELECT count(*) FROM core.articles").fetchone()[0]
    started = time.perf_counter()
    store_day(dsn, day, pages)
    stored = time.perf_counter() - started
    clock = DbClock()
    stages = {}
    window = Window.day(day)
    with clock.installed():
        for stage, call in (("load_articles", lambda: load_articles(dsn, window, "warehouse_scale")),
                            ("dedupe", lambda: dedupe(dsn, "warehouse_scale")),
                            ("load_facts", lambda: load_facts(dsn, "warehouse_scale"))):
            clock.stage = stage
            started = time.perf_counter()
            counts = call()
            wall = time.perf_counter() - started
            clock.stage = None
            top = sorted(clock.statements[stage].items(), key=lambda kv: -kv[1])[:6]
            stages[stage] = {"seconds": wall, "db_seconds": clock.total[stage], "counts": counts,
                             "top_statements": [{"statement": k, "seconds": v, "calls": clock.calls[stage][k]}
                                                for k, v in top]}
            log(f"  nightly {label} {stage}: {wall:.1f} s wall, {clock.total[stage]:.1f} s in PostgreSQL, {counts}")
    if not keep:
        remove_day(dsn, day, marks)
    return {"history_articles": history, "day": day.isoformat(), "pages": len(pages),
            "war_pages": sum(p["war"] for p in pages), "store_raw_seconds": stored, "stages": stages,
            "total_seconds": sum(s["seconds"] for s in stages.values()),
            "total_db_seconds": sum(s["db_seconds"] for s in stages.values())}


def _median_runs(runs: list[dict]) -> dict:
    if len(runs) == 1:
        return runs[0]
    out = dict(runs[0])
    out["runs"] = runs
    out["stages"] = {stage: dict(values) for stage, values in runs[0]["stages"].items()}
    for stage in out["stages"]:
        for key in ("seconds", "db_seconds"):
            out["stages"][stage][key] = statistics.median(r["stages"][stage][key] for r in runs)
    out["total_seconds"] = statistics.median(r["total_seconds"] for r in runs)
    out["total_db_seconds"] = statistics.median(r["total_db_seconds"] for r in runs)
    return out


def time_nightly(dsn: str, args, result: dict, log) -> dict:
    import warehouse_scale as ws

    summary = result["summary"]
    info = psycopg.conninfo.conninfo_to_dict(dsn)
    with psycopg.connect(dsn) as conn:
        last = conn.execute("SELECT max(first_window) FROM core.articles").fetchone()[0].date()
    day = last + timedelta(days=1)
    rate = summary["articles"] / max(1, summary["days"])
    early_days = max(1, round(args.early_articles / rate))
    workdir = Path(tempfile.mkdtemp(prefix="newsfacts-scale-"))
    out = {"day": day.isoformat()}
    try:
        pages = nightly_pages(day, args.nightly_articles, args.seed + 1, workdir)
        log(f"nightly day {day}: {len(pages)} pages, {sum(p['war'] for p in pages)} about the war")
        early_name = (info.get("dbname") or "newsfacts_scale") + "_early"
        early_dsn = ws.create_database(early_name)
        early_args = type(args)(**{**vars(args), "articles": args.early_articles, "days": early_days, "end_date": last})
        log(f"early warehouse {early_name}: {args.early_articles:,} articles over {early_days} days")
        out["early_generate"] = ws.generate(early_dsn, early_args, lambda m: None)
        runs = []
        for i in range(args.nightly_repeats):
            runs.append(nightly(early_dsn, day, pages, log, "early"))
        out["early"] = _median_runs(runs)
        runs = []
        for i in range(args.nightly_repeats):
            runs.append(nightly(dsn, day, pages, log, "full"))
        out["full"] = _median_runs(runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return out


# ---------------------------------------------------------------------------- all of it


def run_all(dsn: str, args, result: dict, log) -> None:
    from newsfacts.migrations import migrate

    # Migrations and marts added since the warehouse was generated (indexes for the queries).
    started = time.perf_counter()
    applied = migrate(dsn)
    if applied:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("ANALYZE")
        log(f"applied {', '.join(applied)} in {time.perf_counter() - started:.0f} s (then ANALYZE)")
    result["migrations_applied_before_timing"] = {"applied": applied, "seconds": time.perf_counter() - started}
    if not args.skip_queries:
        log("example queries:")
        result["queries"], slowest = time_queries(dsn, args, log)
        if slowest:
            args.plans.parent.mkdir(parents=True, exist_ok=True)
            text = []
            for name, plan in slowest:
                entry = next(r for r in result["queries"] if r["query"] == name)
                text.append(f"=== {name} ({entry['seconds'] * 1000:.1f} ms median; params {entry['params']}; "
                            f"as {entry['role']})\n{plan}\n")
            args.plans.write_text("\n".join(text), encoding="utf-8")
            result["plans"] = {name: plan for name, plan in slowest}
            result["plans_written"] = str(args.plans)
    if not args.skip_marts:
        log("mart refreshes (CONCURRENTLY):")
        result["marts"] = time_marts(dsn, args, log)
    if not args.skip_nightly:
        log("nightly load:")
        result["nightly"] = time_nightly(dsn, args, result, log)


def table(result: dict) -> str:
    lines = []
    g = result.get("generate")
    s = result.get("summary", {})
    if g:
        t = g["timings"]
        lines.append(f"\nGenerated {s.get('articles', 0):,} articles in {t['total_seconds'] / 60:.1f} min "
                     f"(COPY {t['copy_seconds']:.0f} s, keys+indexes {t['indexes_seconds']:.0f} s, foreign keys "
                     f"{t['foreign_keys_seconds']:.0f} s, marts {t['marts_seconds']:.0f} s, analyze {t['analyze_seconds']:.0f} s); "
                     f"database {g['database_bytes'] / 2**30:.1f} GiB")
    if s:
        lines.append("Proportions: " + ", ".join(
            f"{k} {v:.3g}" if isinstance(v, float) else f"{k} {v:,}" for k, v in s.items()))
    if result.get("queries"):
        lines.append("\n| query | median ms | min ms | max ms | rows | as | target 1 s |")
        lines.append("|---|---:|---:|---:|---:|---|---|")
        for q in result["queries"]:
            if "seconds" in q:
                lines.append(f"| {q['query']} | {q['seconds'] * 1000:.1f} | {min(q['runs']) * 1000:.1f} | "
                             f"{max(q['runs']) * 1000:.1f} | {q['rows']} | {q['role']} | "
                             f"{'OVER' if q['over_target'] else 'ok'} |")
            else:
                lines.append(f"| {q['query']} | failed: {q.get('error', '')[:80]} | | | | | |")
    if result.get("marts"):
        lines.append("\n| mart (REFRESH ... CONCURRENTLY) | median s | rows |")
        lines.append("|---|---:|---:|")
        for name, m in result["marts"]["marts"].items():
            lines.append(f"| {name} | {m['seconds']:.2f} | {m['rows']:,} |")
        lines.append(f"| refresh_marts() (all of them, one call) | {result['marts']['refresh_marts_seconds']:.1f} | |")
    n = result.get("nightly")
    if n and "full" in n:
        e, f = n["early"], n["full"]
        lines.append(f"\nNightly load of {n['day']} ({f['pages']} pages, {f['war_pages']} about the war): "
                     f"early warehouse ({e['history_articles']:,} articles) vs full ({f['history_articles']:,})")
        lines.append("| stage | early wall s | early in PostgreSQL s | full wall s | full in PostgreSQL s |")
        lines.append("|---|---:|---:|---:|---:|")
        for stage in f["stages"]:
            lines.append(f"| {stage} | {e['stages'][stage]['seconds']:.1f} | {e['stages'][stage]['db_seconds']:.1f} | "
                         f"{f['stages'][stage]['seconds']:.1f} | {f['stages'][stage]['db_seconds']:.1f} |")
        lines.append(f"| total | {e['total_seconds']:.1f} | {e['total_db_seconds']:.1f} | {f['total_seconds']:.1f} | "
                     f"{f['total_db_seconds']:.1f} |")
    return "\n".join(lines)
