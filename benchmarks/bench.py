"""Throughput, cost per stage and memory of the pipeline, and extraction quality: ``make bench``.

    python benchmarks/bench.py [--sizes 1000,10000] [--latency 0.1] [--repeats 3]
                               [--corpora ../shared/corpora] [--json bench.json]

For each day size N (``--sizes``) a generated day of news (``bench_corpus.py``: N
articles, 70 % about the war, 20 % syndicated copies) is served over real HTTP by
``newsfacts.bench_server``, every outlet on its own 127.0.1.x address, every answer
delayed by ``--latency`` seconds. Then, against fresh databases on the PostgreSQL of the
tests (``NEWSFACTS_TEST_PG``, default 127.0.0.1:5432 as postgres):

* **pipeline**: the tasks of ``news_nightly`` in order — poll_feeds, discover_archives,
  fetch_and_load_articles, dedupe_articles, extract_facts — each in its own process
  (as an Airflow worker runs a task), with the per-host pacing interval at 0.01 s (as
  ``make demo``) and every other setting at its default. Articles/s = N / the sum of
  the tasks' wall times. The warehouse is then checked against the generator's truth.
* **naive**: the script a user would write, in the same run against the same server —
  feedparser for the feeds, then per item newspaper3k ``Article.download()`` +
  ``parse()`` and one autocommitted ``INSERT``, sequentially. For N > ``--naive-max``
  it runs on the first ``--naive-max`` items and its rate stands for the whole day.
* **CPU floor**: the single-core CPU time per corpus article of the pure work —
  extraction, relevance, duplicates + stories, facts — measured in-process over a sample
  (``--sample``) of the day's items, each item costing what the pipeline spends on it
  (a feed item skipped as off-topic costs nothing, an off-topic page no dedup or facts);
  divided over the cores it gives the articles/s no implementation can beat.
* **components**: the same work, one process per component over the sample, for wall,
  CPU and peak RSS per 1,000 articles, plus the **warehouse load** (load_articles'
  COPY + merge of the day's rows, in a copy of the warehouse with the day's pages
  fetched, none loaded) next to a **raw COPY** of the same rows into a bare table.
* **extraction quality** (with ``--corpora``): F1 of the project's extractor,
  newspaper3k and trafilatura on the article extraction benchmark, from
  ``benchmarks/extraction_eval.py``.

Every figure is the median over ``--repeats`` runs (``--repeats-large`` for N >= 5,000;
the table says how many). One table is printed; ``--json`` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

DAY = date(2025, 3, 15)
ADMIN_DSN = os.environ.get("NEWSFACTS_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
#: The DAG's tasks between the feed poll and the facts, in order (record_metrics is not timed).
STAGES = ("poll_feeds", "discover_archives", "fetch_and_load_articles", "dedupe_articles", "extract_facts")
COMPONENTS = ("extract", "relevance", "dedup", "facts", "load", "raw_copy", "copy_like")
LOAD_COMPONENTS = ("load", "raw_copy", "copy_like")
LARGE = 5000
#: Settings of a bench run: the demo's pacing (all other limits at their defaults).
BENCH_ENVIRONMENT = {
    "NEWSFACTS_HOST_MIN_INTERVAL": "0.01",
    "NEWSFACTS_GDELT_MIN_INTERVAL": "0.05",
    "NEWSFACTS_TASK_RETRIES": "0",
}


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# --------------------------------------------------------------------------- databases


def _dsn_for(dbname: str) -> str:
    import psycopg

    info = psycopg.conninfo.conninfo_to_dict(ADMIN_DSN)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


def _admin(statement: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(statement)


class Databases:
    """A migrated template and fresh copies of it; everything dropped at the end."""

    def __init__(self) -> None:
        from newsfacts.migrations import migrate

        self.prefix = f"newsfacts_bench_{uuid.uuid4().hex[:8]}"
        self.template = self.prefix + "_template"
        self.made: list[str] = []
        _admin(f'CREATE DATABASE "{self.template}"')
        self.made.append(self.template)
        migrate(_dsn_for(self.template))

    def fresh(self, label: str, template: str | None = None) -> str:
        name = f"{self.prefix}_{label}"
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template or self.template}"')
        self.made.append(name)
        return name

    def drop(self, name: str) -> None:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.made:
            self.made.remove(name)

    def close(self) -> None:
        for name in reversed(list(self.made)):
            self.drop(name)


# --------------------------------------------------------------------------- the served day


@contextmanager
def served_day(n: int, seed: int, latency: float, workdir: Path):
    """Generate the day, serve it, write its sources file; yields (corpus, env, feed urls)."""
    from bench_corpus import generate, write_sites

    corpus = generate(n, seed, DAY)
    sites = write_sites(corpus, workdir / f"sites-{n}")
    with bench_server(workdir / f"sites-{n}", latency) as (server, bases):
        feeds = write_sources(corpus, {slug: bases[slug] for slug in sites}, workdir / f"sources-{n}.yml")
        env = pipeline_environment(workdir / f"sources-{n}.yml", workdir / "home", bases)
        yield corpus, env, list(feeds.values()), server.pid


@contextmanager
def bench_server(sites_dir: Path, latency: float, extra_args: tuple[str, ...] = ()):
    """``newsfacts.bench_server`` serving ``sites_dir`` in its own process; yields
    (the process, {outlet slug: base URL}). The process's stdin and stdout stay open for
    its commands (see the module)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "newsfacts.bench_server", str(sites_dir), "--latency", str(latency), *extra_args],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        line = server.stdout.readline()
        if not line:
            raise RuntimeError("the bench server did not start")
        yield server, json.loads(line)
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def write_sources(corpus, bases: dict[str, str], sources_file: Path) -> dict[str, str]:
    """The sources file of the served outlets (no robots/GDELT discovery); {slug: feed URL}."""
    import yaml

    outlets = {o.slug: o for o in corpus.outlets}
    feeds = {slug: bases[slug] + outlets[slug].feed_path for slug in sorted(bases)}
    sources = {"sources": [
        {"slug": slug, "name": outlets[slug].name, "feed_url": url, "language": "en", "country": "GB",
         "perspective": "international", "discovery": {"robots": False, "gdelt": False}}
        for slug, url in feeds.items()
    ]}
    sources_file.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    return feeds


def pipeline_environment(sources_file: Path, home: Path, bases: dict[str, str]) -> dict[str, str]:
    """The environment of the pipeline's tasks against the served outlets."""
    env = dict(BENCH_ENVIRONMENT)
    env.update({"NEWSFACTS_SOURCES": str(sources_file), "NEWSFACTS_HOME": str(home)})
    env.update(_loopback_allowance(bases))
    return env


def _loopback_allowance(bases: dict[str, str]) -> dict[str, str]:
    """The fetcher refuses private addresses unless allowed: allow the bench's loopback
    network (127.0.1.x hosts), and nothing else."""
    return {"NEWSFACTS_ALLOW_NETWORKS": "127.0.0.0/8"}


# --------------------------------------------------------------------------- child processes


def _child(kind: str, args: dict, env: dict, timeout: float = 6 * 3600) -> dict:
    """Run ``bench.py --child KIND`` with ``args``; returns its JSON, with the wall time
    measured here (interpreter start and imports included)."""
    with tempfile.NamedTemporaryFile("w+", suffix=".json", delete=False) as out:
        out_path = out.name
    full_env = dict(os.environ)
    full_env.update(env)
    full_env["PYTHONPATH"] = os.pathsep.join([str(ROOT), full_env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--child-args", json.dumps(args),
         "--child-out", out_path],
        env=full_env, cwd=ROOT, timeout=timeout, capture_output=True, text=True,
    )
    wall = time.perf_counter() - started
    try:
        if proc.returncode != 0:
            raise RuntimeError(f"{kind} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")
        result = json.loads(Path(out_path).read_text())
    finally:
        os.unlink(out_path)
    result["wall"] = wall
    return result


def _reap_workers() -> None:
    """Stop the fork server of the stage's process pools (if any), so that the CPU time
    and memory of its workers, which it reaped, count among this process's children."""
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if getattr(server, "_forkserver_pid", None):
        server._stop()


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Not ru_maxrss: Linux keeps it across exec, so
    a process started by a big one would report its parent's size."""
    from newsfacts.procstat import status_mb

    peak = status_mb("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _usage() -> dict:
    _reap_workers()
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
        "cpu_workers": kids.ru_utime + kids.ru_stime,
        "rss_mb": _peak_rss_mb(),
        # The largest worker (KiB on Linux); workers are forks of this process, which
        # count the pages they share with it, as their own resident memory.
        "rss_workers_mb": kids.ru_maxrss / 1024,
    }


def child_stage(args: dict) -> dict:
    """One task of news_nightly, called as the DAG calls it."""
    started = time.perf_counter()
    from newsfacts.window import Window

    window, dsn, run_id = Window.day(date.fromisoformat(args["day"])), args["dsn"], args.get("run_id", "bench")
    stage = args["stage"]
    if stage == "poll_feeds":
        from newsfacts.poll import poll_feeds
        call = lambda: poll_feeds(dsn, window, run_id, repoll=False)  # noqa: E731
    elif stage == "discover_archives":
        from newsfacts.discover import discover_archives
        call = lambda: discover_archives(dsn, window, run_id)  # noqa: E731
    elif stage == "fetch_pages":  # alone: the warehouse as load_articles finds it, for the load components
        from newsfacts.fetch_pages import fetch_pages
        call = lambda: fetch_pages(dsn, window, run_id, retry_failed=False)  # noqa: E731
    elif stage == "fetch_and_load_articles":
        from newsfacts.fetch_and_load import fetch_and_load
        call = lambda: fetch_and_load(dsn, window, run_id, retry_failed=False, reextract=False)  # noqa: E731
    elif stage == "dedupe_articles":
        from newsfacts.dedupe import dedupe
        call = lambda: dedupe(dsn, run_id)  # noqa: E731
    elif stage == "extract_facts":
        from newsfacts.load_facts import load_facts
        call = lambda: load_facts(dsn, run_id)  # noqa: E731
    elif stage == "record_metrics":  # not timed by the bench; the soak runs it, as the DAG does
        from newsfacts.run_metrics import check_run, record_metrics

        def call():
            summaries = record_metrics(dsn, window, run_id)
            check_run(summaries)  # the DAG fails the run when every source failed
            failures: dict[str, int] = {}
            for summary in summaries:
                for reason, count in (summary.failures or {}).items():
                    failures[reason] = failures.get(reason, 0) + count
            return {"sources": len(summaries), "sources_failed": sum(s.failed for s in summaries),
                    "pages_failed": sum(s.pages_failed for s in summaries), "failures": failures}
    else:
        raise ValueError(stage)
    imported = time.perf_counter()
    counts = call()
    return {"counts": counts, "import_seconds": imported - started, "work_seconds": time.perf_counter() - imported,
            **_usage()}


def child_naive(args: dict) -> dict:
    """What a user would write: feedparser, newspaper3k download + parse, one INSERT each."""
    import feedparser
    import psycopg
    from newspaper import Article

    day, limit = date.fromisoformat(args["day"]), args["limit"]
    done = failed = 0
    with psycopg.connect(args["dsn"], autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS naive_articles (url text PRIMARY KEY, title text, authors text[], "
                     "published_at timestamptz, body text)")
        for feed_url in args["feeds"]:
            if done + failed >= limit:
                break
            for entry in feedparser.parse(feed_url).entries:
                if done + failed >= limit:
                    break
                published = entry.get("published_parsed")
                if not published or date(*published[:3]) != day:
                    continue
                article = Article(entry.link)
                try:
                    article.download()
                    article.parse()
                except Exception:  # noqa: BLE001 - what a user's script would do
                    failed += 1
                    continue
                conn.execute(
                    "INSERT INTO naive_articles (url, title, authors, published_at, body) VALUES (%s, %s, %s, %s, %s) "
                    "ON CONFLICT (url) DO NOTHING",
                    (entry.link, article.title, article.authors, article.publish_date, article.text),
                )
                done += 1
    return {"articles": done, "failed": failed, **_usage()}


def _sample_links(conn, window, size: int, seed: int) -> list[tuple]:
    """(link_id, fetch_outcome) of a random sample of the window's feed items."""
    rows = conn.execute(
        "SELECT link_id, fetch_outcome FROM raw.links WHERE window_start = %s ORDER BY link_id", (window.start,)
    ).fetchall()
    rng = random.Random(seed)
    return sorted(rng.sample(rows, min(size, len(rows))))


def child_component(args: dict) -> dict:
    """One component of the pure work over the sample, timed per item in CPU seconds."""
    import gzip
    import pickle

    import psycopg

    from newsfacts.window import Window

    window = Window.day(date.fromisoformat(args["day"]))
    name, dsn, scratch = args["component"], args["dsn"], Path(args.get("scratch", "."))
    if name in LOAD_COMPONENTS:
        return {**_load_component(name, args, window), **_usage()}
    cpu = wall = 0.0
    items = 0
    extra: dict = {}
    with psycopg.connect(dsn) as conn:
        sample = _sample_links(conn, window, args["sample"], args["seed"])
        ids = [link_id for link_id, _ in sample]
        if name == "extract":
            from extractors.article import ExtractionError, extract_article
            from newsfacts.relevance import prefetch_verdict

            pages = conn.execute(
                "SELECT DISTINCT ON (l.link_id) l.link_id, p.body_gzip, p.content_type, p.final_url, p.served_at "
                "FROM raw.links l JOIN raw.pages p USING (link_id) WHERE l.link_id = ANY(%s) "
                "ORDER BY l.link_id, p.page_id DESC", (ids,)).fetchall()
            entries = conn.execute(
                "SELECT e.title, e.summary FROM raw.feed_entries e JOIN raw.links l ON l.fetch_url = e.url "
                "WHERE l.link_id = ANY(%s)", (ids,)).fetchall()
            extract_article(gzip.decompress(pages[0][1]), pages[0][3], content_type=pages[0][2])  # warm-up
            c0, w0 = time.process_time(), time.perf_counter()
            for title, summary in entries:  # the pre-fetch filter every feed item goes through
                prefetch_verdict(title, summary)
            out = []
            for link_id, body, content_type, url, served in pages:
                try:
                    a = extract_article(gzip.decompress(body), url, content_type=content_type, not_after=served)
                    out.append((link_id, a.title, a.text, a.language))
                except ExtractionError:
                    pass
            cpu, wall, items = time.process_time() - c0, time.perf_counter() - w0, len(pages)
            (scratch / "extracted.pickle").write_bytes(pickle.dumps(out))
            extra = {"pages": len(pages), "feed_items": len(entries)}
        elif name == "relevance":
            from newsfacts.relevance import assess

            extracted = pickle.loads((scratch / "extracted.pickle").read_bytes())
            assess(*extracted[0][1:])
            c0, w0 = time.process_time(), time.perf_counter()
            relevant = sum(assess(title, text, lang).relevant for _, title, text, lang in extracted)
            cpu, wall, items = time.process_time() - c0, time.perf_counter() - w0, len(extracted)
            extra = {"relevant": relevant}
        elif name == "dedup":
            cpu, wall, items, extra = _dedup_component(conn, set(ids))
        elif name == "facts":
            from extractors.facts import extract_facts

            rows = conn.execute("SELECT title, body_text, published_at FROM core.articles WHERE link_id = ANY(%s) "
                                "ORDER BY article_id", (ids,)).fetchall()
            extract_facts(*rows[0])  # warm-up: builds the entity matcher
            c0, w0 = time.process_time(), time.perf_counter()
            for title, body, published in rows:
                extract_facts(title, body, published)
            cpu, wall, items = time.process_time() - c0, time.perf_counter() - w0, len(rows)
        else:
            raise ValueError(name)
    return {"cpu_timed": cpu, "wall_timed": wall, "items": items, "sample": len(sample),
            "sample_fetched": sum(o == "ok" for _, o in sample), **extra, **_usage()}


def _dedup_component(conn, sample_links: set[int]) -> tuple[float, float, int, dict]:
    """Duplicate groups and stories, in memory, for the sample's articles, each against every
    article dedupe_articles had seen before it (the day's earlier articles, in its order) and
    the stories open to it (:class:`extractors.stories.StoryWindow`, as the stage keeps them)."""
    from extractors.dedup import Document, MemoryIndex, assign
    from extractors.stories import StoryCandidate, StoryWindow, story_terms

    rows = conn.execute(
        "SELECT a.article_id, a.link_id, a.title, a.body_text, coalesce(a.published_at, a.first_window), "
        "a.duplicate_group_id, a.story_id FROM core.articles a ORDER BY 5, a.article_id").fetchall()
    index, group_story, stories = MemoryIndex(), {}, StoryWindow()
    cpu = wall = 0.0
    items = 0
    for article_id, link_id, title, body, published, group, story in rows:
        timed = link_id in sample_links
        c0, w0 = time.process_time(), time.perf_counter()
        assignment = assign(index, Document(str(article_id), "", title, body, published))
        terms = story_terms(title, body)
        if assignment.duplicate_group not in group_story:
            stories.best(terms, published)  # as dedupe_articles does
        if timed:
            cpu += time.process_time() - c0
            wall += time.perf_counter() - w0
            items += 1
        group_story.setdefault(assignment.duplicate_group, story)
        stories.add((published, article_id), StoryCandidate(str(article_id), str(story), published, terms))
    return cpu, wall, items, {"articles_in_day": len(rows)}


def _load_component(name: str, args: dict, window) -> dict:
    """The warehouse load of the day's extracted rows (load_articles' own merge), or a raw
    COPY of the same rows into a bare table (``raw_copy``) or into a table like
    core.articles, with its indexes and generated full-text column (``copy_like``); in a
    copy of the warehouse as it was before load_articles."""
    import psycopg

    from newsfacts import load_articles as la

    columns = list(la._STAGE_COLUMNS)
    with psycopg.connect(args["source_dsn"]) as conn:
        rows = conn.execute(
            f"SELECT {', '.join(columns)} FROM core.articles ORDER BY link_id").fetchall()
        assessments = {r[0]: r for r in conn.execute(
            "SELECT link_id, page_id, score, relevant, reasons, threshold, scorer_version, title, assessed_window "
            "FROM raw.relevance_assessments ORDER BY link_id").fetchall()}
        failures = conn.execute(
            "SELECT link_id, extract_outcome, extract_detail, window_start FROM raw.links "
            "WHERE extract_outcome IS NOT NULL AND extract_outcome NOT IN ('ok', 'duplicate') ORDER BY link_id").fetchall()
    items = [la._Extracted(r[0], tuple(r), None, window.start, window.start, assessments.get(r[0])) for r in rows]
    items += [la._Extracted(link_id, None, (outcome, detail), start, start, assessments.get(link_id))
              for link_id, outcome, detail, start in failures]
    items.sort(key=lambda i: i.link_id)
    size = sum(len(str(v)) for r in rows for v in r)
    with psycopg.connect(args["dsn"]) as conn:
        if name in ("raw_copy", "copy_like"):
            if name == "raw_copy":
                conn.execute("CREATE TABLE bench_raw_copy (link_id bigint, page_id bigint, source_id integer, url text, "
                             "canonical_url text, title text, authors text[], published_at timestamptz, "
                             "published_from text, language text, top_image_url text, description text, "
                             "body_text text, word_count integer, text_sha256 bytea, extractor_version text, "
                             "first_window timestamptz, relevance_score real, relevance_reasons text[])")
            else:
                conn.execute("CREATE TABLE bench_raw_copy (LIKE core.articles INCLUDING ALL)")
            conn.commit()
            c0, w0 = time.process_time(), time.perf_counter()
            with conn.transaction(), conn.cursor() as cur:
                with cur.copy(f"COPY bench_raw_copy ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        else:
            counts = {"extracted": 0, "failed": 0, "inserted": 0, "updated": 0, "deferred": 0}
            c0, w0 = time.process_time(), time.perf_counter()
            for offset in range(0, len(items), la.BATCH):
                la._load(conn, items[offset: offset + la.BATCH], window, counts)
            if counts["inserted"] != len(rows):
                raise RuntimeError(f"load inserted {counts['inserted']} of {len(rows)} rows")
    return {"cpu_timed": time.process_time() - c0, "wall_timed": time.perf_counter() - w0, "items": len(rows),
            "bytes": size}


# --------------------------------------------------------------------------- the machine


def _proc_cpu(stat: str) -> tuple[str, float]:
    """(command name, utime + stime + reaped children's, in clock ticks) of a /proc stat line."""
    name = stat[stat.index("(") + 1: stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    return name, sum(int(v) for v in fields[11:15])


def machine_cpu(server_pid: int | None = None) -> dict:
    """Core-seconds so far: the machine busy, PostgreSQL (every server process, exited
    backends through the postmaster), and the bench's HTTP server."""
    hz = os.sysconf("SC_CLK_TCK")
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:9]]
    busy = sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait
    postgres = server = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                name, used = _proc_cpu(f.read())
        except (OSError, ValueError):
            continue
        if name.startswith("postgres"):
            postgres += used
        elif int(pid) == server_pid:
            server += used
    return {"at": time.perf_counter(), "busy": busy / hz, "postgres": postgres / hz, "server": server / hz}


class BackendCpu:
    """CPU time of the PostgreSQL backends serving one database, sampled from /proc while
    a run goes on (a backend's last moments before it exits are missed: a lower bound)."""

    def __init__(self, dbname: str, every: float = 0.25):
        import threading

        self._dbname, self._every, self._seen = dbname, every, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        hz = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            while not self._stop.is_set():
                pids = [r[0] for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self._dbname,)).fetchall()]
                for pid in pids:
                    try:
                        with open(f"/proc/{pid}/stat") as f:
                            used = _proc_cpu(f.read())[1] / hz
                    except (OSError, ValueError):
                        continue
                    self._seen[pid] = max(self._seen.get(pid, 0.0), used)
                self._stop.wait(self._every)

    def __enter__(self) -> BackendCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(self._seen.values())


def _machine_share(before: dict, after: dict, stages: dict) -> dict:
    """Who used the cores during a pipeline run (core-seconds and average cores)."""
    wall = after["at"] - before["at"]
    pipeline = sum(s["cpu"] for s in stages.values())
    busy, postgres, server = (after[k] - before[k] for k in ("busy", "postgres", "server"))
    others = max(0.0, busy - pipeline - postgres - server)
    return {"wall_s": wall, "busy_s": busy, "pipeline_s": pipeline, "postgres_s": postgres, "server_s": server,
            "others_s": others, "cores_left": max(0.1, cores() - (others + server) / wall)}


# --------------------------------------------------------------------------- one size


def check_warehouse(dsn: str, truth: dict) -> dict:
    """The warehouse against the generator's truth."""
    import psycopg

    with psycopg.connect(dsn) as conn:
        got = conn.execute(
            """
            SELECT (SELECT count(*) FROM core.articles),
                   (SELECT count(*) FROM core.duplicate_groups WHERE article_count > 0),
                   (SELECT count(*) FROM core.articles WHERE facts_pending OR dedupe_pending),
                   (SELECT count(*) FROM raw.links WHERE fetch_outcome IS NOT NULL AND fetch_outcome NOT IN ('ok', 'skipped_irrelevant')),
                   (SELECT count(*) FROM raw.links WHERE fetch_outcome = 'skipped_irrelevant'),
                   (SELECT count(*) FROM core.events), (SELECT count(*) FROM core.stories WHERE article_count > 0)
            """).fetchone()
    result = {"articles": got[0], "duplicate_groups": got[1], "pending": got[2], "fetch_failures": got[3],
              "skipped_before_fetch": got[4], "events": got[5], "stories": got[6]}
    result["ok"] = (got[0] == truth["war_articles"] and got[1] == truth["war_originals"] and got[2] == 0
                    and got[3] == 0)
    return result


def prepare_warehouse(dsn: str, env: dict) -> None:
    """The DAG's prepare_warehouse on a database made from the migrated template: the sources."""
    from extractors.sources import load_sources
    from newsfacts.sync_sources import sync_sources
    from newsfacts.warehouse import connect

    with connect(dsn) as conn:
        sync_sources(conn, load_sources(Path(env["NEWSFACTS_SOURCES"])))


def run_stage(stage: str, dsn: str, env: dict, day: date = DAY, run_id: str = "bench") -> dict:
    """One task of news_nightly in its own process, with the CPU of the database's backends."""
    import psycopg

    dbname = psycopg.conninfo.conninfo_to_dict(dsn)["dbname"]
    with BackendCpu(dbname) as backends:
        result = _child("stage", {"stage": stage, "dsn": dsn, "day": day.isoformat(), "run_id": run_id},
                        {**env, "WAREHOUSE_DSN": dsn})
    result["postgres_cpu"] = backends.seconds
    return result


def run_pipeline(dbs: Databases, label: str, env: dict, snapshot_before_load: bool = False) -> tuple[dict, str, str | None]:
    """The DAG's tasks, each in its own process, against a fresh database."""
    name = dbs.fresh(label)
    dsn = _dsn_for(name)
    prepare_warehouse(dsn, env)  # migrations come with the template
    stages, snapshot = {}, None
    for stage in STAGES:
        if stage == "fetch_and_load_articles" and snapshot_before_load:
            snapshot = dbs.fresh(label + "_preload", template=name)  # its pages are fetched afterwards
        stages[stage] = run_stage(stage, dsn, env)
    return stages, name, snapshot


def bench_size(n: int, args, dbs: Databases, workdir: Path, log) -> dict:
    repeats = args.repeats_large if n >= LARGE else args.repeats
    naive_n = min(n, args.naive_max)
    result: dict = {"n": n, "repeats": repeats, "naive_articles": naive_n, "latency_s": args.latency}
    with served_day(n, args.seed, args.latency, workdir) as (corpus, env, feeds, server_pid):
        truth = corpus.truth()
        result["truth"] = truth
        runs, naive_runs, checks = [], [], []
        preload = None
        for r in range(repeats):
            log(f"N={n}: pipeline run {r + 1}/{repeats}")
            result.setdefault("load_averages", []).append(os.getloadavg()[0])
            before = machine_cpu(server_pid)
            stages, db, snapshot = run_pipeline(dbs, f"n{n}_r{r}", env, snapshot_before_load=(r == 0))
            result.setdefault("machine_cpu", []).append(_machine_share(before, machine_cpu(server_pid), stages))
            if snapshot:  # the day's pages fetched, none loaded: what the load components start from
                run_stage("fetch_pages", _dsn_for(snapshot), env)
            preload = preload or snapshot
            checks.append(check_warehouse(_dsn_for(db), truth))
            runs.append(stages)
            if r == 0:
                pipeline_db = db
            else:
                dbs.drop(db)
            log(f"  {sum(s['wall'] for s in stages.values()):.1f} s; warehouse {checks[-1]}")
            log(f"N={n}: naive run {r + 1}/{repeats} ({naive_n} articles)")
            result["load_averages"].append(os.getloadavg()[0])
            naive_db = dbs.fresh(f"n{n}_naive{r}")
            naive_runs.append(_child("naive", {"dsn": _dsn_for(naive_db), "feeds": feeds, "limit": naive_n,
                                               "day": DAY.isoformat()}, env))
            dbs.drop(naive_db)
            log(f"  {naive_runs[-1]['wall']:.1f} s for {naive_runs[-1]['articles']} articles")
        result.update(_pipeline_figures(n, runs, naive_runs, checks))
        log(f"N={n}: components over a sample of {min(n, args.sample)} items")
        result["components"] = _components(n, args, dbs, _dsn_for(pipeline_db), preload, env, workdir, repeats)
        result.update(_floor(result))
        dbs.drop(pipeline_db)
        dbs.drop(preload)
    return result


def _components(n, args, dbs, dsn, preload, env, workdir, repeats) -> dict:
    scratch = workdir / f"scratch-{n}"
    scratch.mkdir(exist_ok=True)
    per: dict[str, list[dict]] = {c: [] for c in COMPONENTS}
    for _ in range(repeats):
        for name in ("extract", "relevance", "dedup", "facts"):
            per[name].append(_child("component", {"component": name, "dsn": dsn, "day": DAY.isoformat(),
                                                  "sample": args.sample, "seed": args.seed, "scratch": str(scratch)}, env))
        for name in LOAD_COMPONENTS:
            target = dbs.fresh(f"n{n}_{name}", template=preload)
            per[name].append(_child("component", {"component": name, "dsn": _dsn_for(target), "source_dsn": dsn,
                                                  "day": DAY.isoformat()}, env))
            dbs.drop(target)
    return {name: _median_dicts(runs) for name, runs in per.items()}


def _median_dicts(runs: list[dict]) -> dict:
    keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def _pipeline_figures(n: int, runs: list[dict], naive_runs: list[dict], checks: list[dict]) -> dict:
    per_stage = {}
    for stage in STAGES:
        samples = [run[stage] for run in runs]
        per_stage[stage] = {
            "wall_s": statistics.median(s["wall"] for s in samples),
            "cpu_s": statistics.median(s["cpu"] for s in samples),
            "import_s": statistics.median(s["import_seconds"] for s in samples),
            "rss_mb": statistics.median(max(s["rss_mb"], s["rss_workers_mb"]) for s in samples),
            "cpu_workers_s": statistics.median(s["cpu_workers"] for s in samples),
            "postgres_cpu_s": statistics.median(s.get("postgres_cpu", 0.0) for s in samples),
            "rss_stage_mb": statistics.median(s["rss_mb"] for s in samples),
            "rss_workers_mb": statistics.median(s["rss_workers_mb"] for s in samples),
            "counts": samples[0]["counts"],
        }
    # Inside fetch_and_load_articles: how long its fetch, then its load (the rest) took.
    phases = {phase: statistics.median(run["fetch_and_load_articles"]["counts"][phase]["seconds"] for run in runs)
              for phase in ("fetch", "load")}
    totals = [sum(run[s]["wall"] for s in STAGES) for run in runs]
    naive_rates = [r["articles"] / r["wall"] for r in naive_runs]
    pipeline_rates = [n / t for t in totals]
    return {
        "stages": per_stage,
        "fetch_and_load_phases_s": phases,
        "pipeline_wall_s": statistics.median(totals),
        "pipeline_articles_per_s": statistics.median(pipeline_rates),
        "pipeline_runs_articles_per_s": pipeline_rates,
        "naive_articles_per_s": statistics.median(naive_rates),
        "naive_runs_articles_per_s": naive_rates,
        "naive_wall_s": statistics.median(r["wall"] for r in naive_runs),
        "naive_rss_mb": statistics.median(r["rss_mb"] for r in naive_runs),
        "naive_failed": max(r["failed"] for r in naive_runs),
        # Ratios per run (same run, same machine state), then their median.
        "speedup_vs_naive": statistics.median(p / q for p, q in zip(pipeline_rates, naive_rates)),
        "worker_peak_rss_mb": statistics.median(max(max(s["rss_mb"], s["rss_workers_mb"]) for s in run.values())
                                                for run in runs),
        "warehouse_checks": checks,
        "warehouse_ok": all(c["ok"] for c in checks),
    }


def _floor(result: dict) -> dict:
    c, n = result["components"], result["n"]
    sample = c["extract"]["sample"]
    cpu = {name: c[name]["cpu_timed"] for name in ("extract", "relevance", "dedup", "facts")}
    per_article = sum(cpu.values()) / sample
    floor = cores() / per_article if per_article else float("inf")
    shares = result.get("machine_cpu") or []
    left = statistics.median(m["cores_left"] for m in shares) if shares else float(cores())
    floor_left = left / per_article if per_article else float("inf")
    out = {
        "cores_left_by_other_work": left,
        "cpu_floor_on_cores_left_articles_per_s": floor_left,
        "pipeline_share_of_floor_on_cores_left": result["pipeline_articles_per_s"] / floor_left,
        "postgres_cpu_per_1000_s": (statistics.median(m["postgres_s"] for m in shares) * 1000 / n) if shares else None,
        "cpu_per_article_ms": {k: 1000 * v / sample for k, v in cpu.items()},
        "cpu_floor_per_article_ms": 1000 * per_article,
        "cpu_floor_articles_per_s": floor,
        "cores": cores(),
        "pipeline_share_of_floor": result["pipeline_articles_per_s"] / floor,
        "per_1000": {},
    }
    scale = 1000 / n
    for stage, s in result["stages"].items():
        out["per_1000"][stage] = {"wall_s": s["wall_s"] * scale, "cpu_s": s["cpu_s"] * scale, "rss_mb": s["rss_mb"]}
    out["fetch_and_load_phases_per_1000_s"] = {k: v * scale for k, v in result["fetch_and_load_phases_s"].items()}
    for name in COMPONENTS:
        k = c[name]
        # Components ran over a sample (load and raw COPY over the whole day's rows).
        items_scale = 1000 / (n if name in LOAD_COMPONENTS else sample)
        out["per_1000"][name] = {"wall_s": k["wall_timed"] * items_scale, "cpu_s": k["cpu_timed"] * items_scale,
                                 "rss_mb": max(k["rss_mb"], k["rss_workers_mb"])}
    out["load_rows_per_s"] = c["load"]["items"] / c["load"]["wall_timed"]
    out["raw_copy_rows_per_s"] = c["raw_copy"]["items"] / c["raw_copy"]["wall_timed"]
    out["load_share_of_raw_copy"] = out["load_rows_per_s"] / out["raw_copy_rows_per_s"]
    out["copy_like_rows_per_s"] = c["copy_like"]["items"] / c["copy_like"]["wall_timed"]
    out["load_share_of_copy_like"] = out["load_rows_per_s"] / out["copy_like_rows_per_s"]
    # How much of the pipeline's own CPU time is the pure work (the rest: HTTP, parsing
    # feeds, talking to PostgreSQL, starting processes); PostgreSQL's CPU is not counted.
    pipeline_cpu = sum(s["cpu_s"] for s in result["stages"].values())
    out["pipeline_cpu_s"] = pipeline_cpu
    out["pure_share_of_pipeline_cpu"] = per_article * n / pipeline_cpu if pipeline_cpu else None
    return out


# --------------------------------------------------------------------------- extraction quality


def extraction_quality(corpora: Path | None) -> dict | None:
    """F1 per extractor on the 181-page benchmark, from benchmarks/extraction_eval.py."""
    if corpora is None:
        return None
    folder = corpora / "article-extraction-benchmark"
    if not folder.exists():
        folder = corpora
    import extraction_eval as ev

    if hasattr(ev, "evaluate"):  # the module's one-call API, when it has one
        summaries = ev.evaluate(folder)
    else:
        pages = ev.load_pages(folder)
        split = ev.halves(pages)
        summaries = {name: ev.summarise(ev.run(name, pages), split) for name in ev.EXTRACTORS}
    return {"folder": str(folder), "extractors": summaries}


# --------------------------------------------------------------------------- the table


def _fmt(value, spec=".1f", suffix=""):
    return "-" if value is None else f"{value:{spec}}{suffix}"


def table(report: dict) -> str:
    sizes = report["sizes"]
    cols = [f"N={s['n']:,}" for s in sizes]
    rows: list[tuple[str, list[str], str]] = []

    def row(label, values, target=""):
        rows.append((label, values, target))

    row("runs (median of)", [f"{s['repeats']}" for s in sizes])
    row("pipeline articles/s, poll -> facts", [_fmt(s["pipeline_articles_per_s"]) for s in sizes])
    row("  wall time of the day, s", [_fmt(s["pipeline_wall_s"], ".0f") for s in sizes])
    row("naive articles/s (newspaper3k + INSERT)",
        [_fmt(s["naive_articles_per_s"]) + ("" if s["naive_articles"] == s["n"] else f" ({s['naive_articles']:,} sample)")
         for s in sizes])
    row("pipeline / naive", [_fmt(s["speedup_vs_naive"], ".1f", "x") for s in sizes], ">= 10x")
    row("CPU floor articles/s (%d cores)" % cores(), [_fmt(s["cpu_floor_articles_per_s"]) for s in sizes])
    row("  CPU ms/article: extract+relev+dedup+facts",
        ["+".join(f"{s['cpu_per_article_ms'][k]:.1f}" for k in ("extract", "relevance", "dedup", "facts")) for s in sizes])
    row("pipeline / CPU floor", [_fmt(100 * s["pipeline_share_of_floor"], ".0f", "%") for s in sizes], ">= 60%")
    row("  cores left by other work (median of runs)", [_fmt(s["cores_left_by_other_work"], ".2f") for s in sizes])
    row("  CPU floor on the cores left, articles/s", [_fmt(s["cpu_floor_on_cores_left_articles_per_s"]) for s in sizes])
    row("  pipeline / CPU floor on the cores left",
        [_fmt(100 * s["pipeline_share_of_floor_on_cores_left"], ".0f", "%") for s in sizes])
    row("  pure work / pipeline client CPU", [_fmt(100 * s["pure_share_of_pipeline_cpu"], ".0f", "%") for s in sizes])
    row("warehouse = truth (articles, groups)",
        [("yes" if s["warehouse_ok"] else "NO") + f" ({s['warehouse_checks'][0]['articles']}, "
         f"{s['warehouse_checks'][0]['duplicate_groups']})" for s in sizes])
    row("PostgreSQL CPU s per 1,000 articles (its backends)",
        [_fmt(sum(v["postgres_cpu_s"] for v in s["stages"].values()) * 1000 / s["n"], ".1f") for s in sizes])
    row("per 1,000 articles: wall s / CPU s / peak RSS MB", ["" for _ in sizes])
    for name in (*STAGES, *COMPONENTS):
        label = {"load": "load (merge into core.articles)", "raw_copy": "raw COPY, bare table",
                 "copy_like": "raw COPY, table like core.articles"}.get(name, name)
        kind = "task" if name in STAGES else "part"
        row(f"  {kind} {label}", [
            f"{s['per_1000'][name]['wall_s']:.2f} / {s['per_1000'][name]['cpu_s']:.2f} / {s['per_1000'][name]['rss_mb']:.0f}"
            for s in sizes])
    row("  fetch_and_load_articles: its fetch, then its load, wall s",
        [f"{s['fetch_and_load_phases_per_1000_s']['fetch']:.2f} then {s['fetch_and_load_phases_per_1000_s']['load']:.2f}"
         for s in sizes])
    row("load rows/s / raw COPY rows/s, bare table",
        [f"{s['load_rows_per_s']:.0f} / {s['raw_copy_rows_per_s']:.0f} = {100 * s['load_share_of_raw_copy']:.0f}%"
         for s in sizes], ">= 50%")
    row("load rows/s / raw COPY rows/s, like core.articles",
        [f"{s['load_rows_per_s']:.0f} / {s['copy_like_rows_per_s']:.0f} = {100 * s['load_share_of_copy_like']:.0f}%"
         for s in sizes], ">= 50%")
    row("worker peak RSS, MB", [_fmt(s["worker_peak_rss_mb"], ".0f") for s in sizes], "< 1024")
    quality = report.get("extraction")
    if quality:
        for name, summary in quality["extractors"].items():
            row(f"extraction F1 {name} (181 pages)", [f"{summary['all']['f1']:.3f}"] + [""] * (len(sizes) - 1))
    width = max(len(r[0]) for r in rows)
    widths = [max(len(c), *(len(r[1][i]) for r in rows)) for i, c in enumerate(cols)]
    lines = ["  ".join([" " * width, *(c.rjust(w) for c, w in zip(cols, widths)), "target"])]
    lines.append("-" * len(lines[0]))
    for label, values, target in rows:
        lines.append("  ".join([label.ljust(width), *(v.rjust(w) for v, w in zip(values, widths)), target]))
    samples = [x for s in sizes for x in s.get("load_averages", [])]
    lines.append(f"{cores()} cores; 1-minute load average during the runs {min(samples, default=0):.1f}"
                 f"-{max(samples, default=0):.1f} (above {cores()}, other work was sharing the cores)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def run(args) -> dict:
    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    report: dict = {
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cores": cores(), "python": platform.python_version(), "load_average": os.getloadavg()},
        "settings": {**BENCH_ENVIRONMENT, "latency_s": args.latency, "seed": args.seed, "sample": args.sample},
        "sizes": [],
    }
    workdir = Path(tempfile.mkdtemp(prefix="newsfacts-bench-"))
    dbs = Databases()
    try:
        for n in args.sizes:
            report["sizes"].append(bench_size(n, args, dbs, workdir, log))
        if args.corpora:
            log("extraction quality")
        report["extraction"] = extraction_quality(args.corpora)
    finally:
        dbs.close()
        shutil.rmtree(workdir, ignore_errors=True)
    report["machine"]["load_average_after"] = os.getloadavg()
    report["seconds"] = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="articles per day, comma-separated")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added to every HTTP answer")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (the median is reported)")
    parser.add_argument("--repeats-large", type=int, default=1, help=f"runs per figure for N >= {LARGE:,}")
    parser.add_argument("--naive-max", type=int, default=1000, help="naive baseline on at most this many articles")
    parser.add_argument("--sample", type=int, default=1000, help="items for the CPU floor and the components")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpora", type=Path, help="shared corpora folder (article-extraction-benchmark inside)")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-args", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        handler = {"stage": child_stage, "naive": child_naive, "component": child_component}[args.child]
        Path(args.child_out).write_text(json.dumps(handler(json.loads(args.child_args)), default=str))
        return 0
    args.sizes = [int(s.replace("_", "")) for s in str(args.sizes).split(",") if s]
    report = run(args)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nall figures: {args.json}")
    return 0 if all(s["warehouse_ok"] for s in report["sizes"]) else 1


if __name__ == "__main__":
    sys.exit(main())
