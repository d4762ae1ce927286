"""Soak: many nights in a row against a web that fails: ``make soak``.

    python benchmarks/soak.py [--days 10] [--items 2000] [--feeds 20] [--fail-share 0.05]
                              [--slow-share 0.01] [--latency 0.01] [--seed 0]
                              [--read-timeout 2] [--total-timeout 4] [--json PATH]

``--days`` consecutive UTC days (from ``--start``) of ``--items`` feed items each, by the
same ``--feeds`` outlets (``bench_corpus.generate``: 70 % about the war, 20 % syndicated
copies; every day new articles, no URL or feed GUID used twice), are served by one
``newsfacts.bench_server`` process (each outlet on its own 127.0.1.x address, every answer
delayed by ``--latency``), which loads the next day's sites between two nights. Some
article pages are broken, deterministically: the war articles (the pages the pipeline
requests; off-topic items are skipped before any request, so a fault there would never be
exercised) are ranked by a hash of the seed and the page's path, and the first
``round(fail_share * items)`` fail — in turn HTTP 500, 503, 404, 410, a reset connection,
a body cut short, an endless body (bigger than the page size limit), a gzip body that is
not gzip — and the next ``round(slow_share * items)`` are slow — in turn an answer later
than the fetch's time limits and a body trickling one byte at a time. So the truth is
known: which URL fails, how, and what the warehouse must say about it (:data:`EXPECTED`).

Each night runs the tasks of ``news_nightly`` in order — poll_feeds, discover_archives,
fetch_and_load_articles, dedupe_articles, extract_facts, record_metrics — each in its
own process (as ``bench.py`` does, with its settings: pacing 0.01 s, 48 fetch workers, 2
per host, robots.txt obeyed, retries 2 with backoff), against one warehouse that grows
night after night. The fetch's time limits are ``--read-timeout`` / ``--total-timeout``
(2 s / 4 s instead of the defaults 15 s / 30 s, so that a slow page costs seconds, not
a minute: see benchmarks/README.md, "Soak").

Per night: feed items, wall time and items/s, the peak resident memory of every task
process and worker, the fixture server's memory, and the failures by reason **as the
warehouse records them** (``raw.links.fetch_outcome`` + ``http_status`` per page, and
``ops.run_metrics.failures``, the per-source summary a user reads). Then the checks:

* every injected fault is recorded on its page with the expected outcome (and HTTP status)
  and a reason in ``fetch_detail``; ``ops.run_metrics.failures`` counts exactly the
  injected faults by reason, and no page failed that was not broken on purpose;
* every healthy war article is in ``core.articles`` (nothing valid lost), nothing else
  is, and each day has one duplicate group per healthy original (or orphaned copy);
* every night's tasks completed, nothing left pending;
* memory is flat: the peak of the last 3 nights <= 1.25 x the peak of the first 3
  nights after the first (which warms up).

One table is printed, ``--json`` (default ``benchmarks/results/soak.json``) gets every
figure; the exit status is 1 when a check fails. ``--dsn`` runs on an existing, migrated,
empty warehouse (the test does) instead of a fresh database dropped at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import bench  # noqa: E402

START = date(2025, 3, 6)
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "soak.json"
#: The nightly tasks in order, the DAG's verdict (record_metrics) included.
NIGHT = (*bench.STAGES, "record_metrics")
FAIL_KINDS = ("http_500", "http_503", "http_404", "http_410", "reset", "cut", "endless", "bad_gzip")
SLOW_KINDS = ("slow", "trickle")
#: What the warehouse must record for a page broken each way: (raw.links.fetch_outcome,
#: raw.links.http_status). Independent of how the pipeline is written: what a user must see.
EXPECTED = {
    "http_500": ("http_error", 500),
    "http_503": ("http_error", 503),
    "http_404": ("http_error", 404),
    "http_410": ("http_error", 410),
    "reset": ("connection_error", None),
    "cut": ("connection_error", None),
    "endless": ("too_large", None),
    "bad_gzip": ("decode_error", None),
    "slow": ("timeout", None),
    "trickle": ("timeout", None),
}
#: Memory is flat when the last nights' peak is at most this times the first nights'.
FLAT_RATIO = 1.25
FLAT_NIGHTS = 3


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def reason(outcome: str | None, status: int | None) -> str:
    """A failure's reason as the table shows it: the outcome, and the HTTP status if any."""
    return f"{outcome} {status}" if outcome == "http_error" and status is not None else str(outcome)


# --------------------------------------------------------------------------- the days


def day_corpus(index: int, args, taken: set) -> object:
    """Night ``index``'s news: new articles, the same outlets every night."""
    from bench_corpus import generate

    return generate(args.items, seed=args.seed * 1000 + index, day=args.start + timedelta(days=index),
                    outlets=args.feeds, outlet_seed=args.seed, taken=taken)


def article_path(outlet, article) -> str:
    """The path FixtureSite serves the article at (its outlet's URL pattern)."""
    from newsfacts.fixture_site import _path_for, article_number

    return _path_for(outlet.url, SimpleNamespace(published=article.published, slug=article.slug,
                                                 number=article_number(article.key), section=article.section))


def choose_faults(corpus, seed: int, fail_share: float, slow_share: float) -> dict[str, str]:
    """{article key: fault kind}: the war articles ranked by a hash of (seed, page path),
    the first ones failing, the next ones slow, the kinds in turn."""
    outlets = {o.slug: o for o in corpus.outlets}
    war = [a for a in corpus.articles if a.war]
    ranked = sorted(war, key=lambda a: hashlib.sha256(f"{seed}:{article_path(outlets[a.outlet], a)}".encode()).digest())
    failing, slow = round(fail_share * len(corpus.articles)), round(slow_share * len(corpus.articles))
    if failing + slow > len(ranked):
        raise ValueError(f"{failing + slow} faults asked for, but only {len(ranked)} pages are requested")
    faults = {a.key: FAIL_KINDS[i % len(FAIL_KINDS)] for i, a in enumerate(ranked[:failing])}
    faults.update({a.key: SLOW_KINDS[i % len(SLOW_KINDS)] for i, a in enumerate(ranked[failing: failing + slow])})
    return faults


def day_truth(corpus, faults: dict[str, str], bases: dict[str, str]) -> dict:
    """What the warehouse must hold after the night: the broken pages and the healthy war
    articles, by URL, and the duplicate groups of the healthy ones."""
    outlets = {o.slug: o for o in corpus.outlets}
    url = {a.key: bases[a.outlet] + article_path(outlets[a.outlet], a) for a in corpus.articles}
    healthy = [a for a in corpus.articles if a.war and a.key not in faults]
    # One group per text: an original and its copies; copies of a broken original still
    # share a group (the first of them loaded founds it).
    groups = {a.copy_of or a.key for a in healthy}
    return {
        "injected": [{"url": url[key], "kind": kind, "expected": EXPECTED[kind]} for key, kind in sorted(faults.items())],
        "healthy_war_urls": sorted(url[a.key] for a in healthy),
        "groups": len(groups),
        "items": len(corpus.articles),
    }


def server_faults(corpus, faults: dict[str, str]) -> dict[str, dict[str, str]]:
    """The faults file of the bench server: outlet slug -> page path -> kind."""
    outlets = {o.slug: o for o in corpus.outlets}
    out: dict[str, dict[str, str]] = {}
    for article in corpus.articles:
        if article.key in faults:
            out.setdefault(article.outlet, {})[article_path(outlets[article.outlet], article)] = faults[article.key]
    return out


# --------------------------------------------------------------------------- the warehouse's account


def warehouse_day(dsn: str, day: date, truth: dict) -> dict:
    """The night as the warehouse records it, judged against the truth."""
    import psycopg

    from newsfacts.window import Window

    start = Window.day(day).start
    injected = {i["url"]: i for i in truth["injected"]}
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT fetch_url, fetch_outcome, http_status, fetch_detail, extract_outcome FROM raw.links "
            "WHERE window_start = %s", (start,)).fetchall()
        loaded = {r[0] for r in conn.execute(
            "SELECT l.fetch_url FROM core.articles a JOIN raw.links l USING (link_id) WHERE a.first_window = %s",
            (start,)).fetchall()}
        groups = conn.execute(
            "SELECT count(DISTINCT duplicate_group_id) FROM core.articles WHERE first_window = %s", (start,)).fetchone()[0]
        pending = conn.execute(
            "SELECT count(*) FROM core.articles WHERE facts_pending OR dedupe_pending").fetchone()[0]
        ops = Counter()
        for (failures,) in conn.execute(
                "SELECT failures FROM ops.run_metrics WHERE window_start = %s", (start,)).fetchall():
            ops.update(failures or {})
        sources_recorded = conn.execute(
            "SELECT count(*) FROM ops.run_metrics WHERE window_start = %s", (start,)).fetchone()[0]
    links = {r[0]: r for r in rows}
    recorded = Counter(reason(r[1], r[2]) for r in rows if r[1] not in ("ok", "skipped_irrelevant"))
    outcomes = Counter(str(r[1]) for r in rows)
    wrong = []
    for url, item in injected.items():
        row = links.get(url)
        want_outcome, want_status = item["expected"]
        got = (row[1], row[2], row[3]) if row else (None, None, None)
        if got[0] != want_outcome or got[1] != want_status or not got[2]:
            wrong.append({"url": url, "kind": item["kind"], "expected": reason(want_outcome, want_status),
                          "recorded": reason(got[0], got[1]) if row else "no link", "detail": got[2]})
    unexpected = [{"url": r[0], "recorded": reason(r[1], r[2]), "detail": r[3]}
                  for r in rows if r[0] not in injected
                  and (r[1] not in ("ok", "skipped_irrelevant")
                       or (r[4] is not None and r[4] not in ("ok", "irrelevant", "duplicate")))]
    healthy = truth["healthy_war_urls"]
    lost = sorted(set(healthy) - loaded)
    extra = sorted(loaded - set(healthy))
    expected_ops = Counter("fetch:" + i["expected"][0] for i in truth["injected"])
    return {
        "feed_items": len(rows),
        "fetch_outcomes": dict(sorted(outcomes.items())),
        "failures_by_reason": dict(sorted(recorded.items())),
        "failures_injected_by_reason": dict(sorted(Counter(reason(*i["expected"]) for i in truth["injected"]).items())),
        "ops_failures": dict(sorted(ops.items())),
        "ops_failures_expected": dict(sorted(expected_ops.items())),
        "ops_sources": sources_recorded,
        "injected": len(injected),
        "injected_by_kind": dict(sorted(Counter(i["kind"] for i in truth["injected"]).items())),
        "misrecorded": wrong,
        "unexpected_failures": unexpected,
        "articles": len(loaded),
        "healthy_war_articles": len(healthy),
        "lost": lost,
        "extra": extra,
        "duplicate_groups": groups,
        "duplicate_groups_expected": truth["groups"],
        "pending": pending,
    }


# --------------------------------------------------------------------------- the run


def _command(server, command: dict) -> dict:
    server.stdin.write(json.dumps(command) + "\n")
    server.stdin.flush()
    line = server.stdout.readline()
    if not line:
        raise RuntimeError("the bench server stopped")
    return json.loads(line)


def _night_env(args) -> dict[str, str]:
    return {
        "NEWSFACTS_READ_TIMEOUT": str(args.read_timeout),
        "NEWSFACTS_TOTAL_TIMEOUT": str(args.total_timeout),
        **({"NEWSFACTS_BACKOFF_SECONDS": str(args.backoff)} if args.backoff is not None else {}),
    }


def run(args) -> dict:
    started = time.perf_counter()
    report: dict = {
        "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cores": bench.cores(), "python": platform.python_version(), "load_average": os.getloadavg(),
                    "platform": platform.platform()},
        "settings": {"days": args.days, "items": args.items, "feeds": args.feeds, "fail_share": args.fail_share,
                     "slow_share": args.slow_share, "latency_s": args.latency, "seed": args.seed,
                     "start": args.start.isoformat(), **bench.BENCH_ENVIRONMENT, **_night_env(args),
                     "slow_seconds": args.total_timeout * 2, "drip_interval_s": args.read_timeout / 4},
        "nights": [],
    }
    workdir = Path(tempfile.mkdtemp(prefix="newsfacts-soak-"))
    taken: set = set()
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        if args.dsn:
            dsn = args.dsn
        else:
            dbs = bench.Databases()
            stack.callback(dbs.close)
            dsn = bench._dsn_for(dbs.fresh("soak"))
        server = bases = env = None
        for index in range(args.days):
            day = args.start + timedelta(days=index)
            log(f"night {index + 1}/{args.days} ({day}): generating {args.items} items")
            corpus = day_corpus(index, args, taken)
            faults = choose_faults(corpus, args.seed, args.fail_share, args.slow_share)
            from bench_corpus import write_sites

            folder = workdir / f"day-{index}"
            write_sites(corpus, folder / "sites")
            (folder / "faults.json").write_text(json.dumps(server_faults(corpus, faults)), encoding="utf-8")
            if server is None:
                extra = ("--slow-seconds", str(args.total_timeout * 2), "--drip-interval", str(args.read_timeout / 4))
                server, bases = stack.enter_context(bench.bench_server(folder / "sites", args.latency, extra))
                sources = bench.write_sources(corpus, bases, workdir / "sources.yml")
                env = {**bench.pipeline_environment(workdir / "sources.yml", workdir / "home", bases), **_night_env(args)}
                bench.prepare_warehouse(dsn, env)
                report["feeds"] = sources
            loaded = _command(server, {"load": str(folder / "sites"), "faults": str(folder / "faults.json")})
            if loaded["faults"] != len(faults) or loaded["missing"]:
                raise RuntimeError(f"the server applied {loaded['faults']} of {len(faults)} faults: {loaded['missing'][:5]}")
            if index:
                report["nights"][-1]["server_requests"] = loaded["requests"]
                shutil.rmtree(workdir / f"day-{index - 1}", ignore_errors=True)
            truth = day_truth(corpus, faults, bases)
            night = {"day": day.isoformat(), "items": len(corpus.articles), "stages": {}, "error": None,
                     "server_rss_mb": loaded["rss_mb"], "load_average": os.getloadavg()[0]}
            log(f"  {len(faults)} pages broken ({dict(Counter(faults.values()))}); running the night")
            for stage in NIGHT:
                try:
                    night["stages"][stage] = bench.run_stage(stage, dsn, env, day, run_id=f"soak-{day}")
                except Exception as exc:  # noqa: BLE001 - recorded, and the soak goes on
                    night["error"] = f"{stage}: {exc}"
                    log(f"  {stage} FAILED: {str(exc)[-2000:]}")
                    break
            stages = night["stages"].values()
            night["seconds"] = sum(s["wall"] for s in stages)
            night["items_per_s"] = night["items"] / night["seconds"] if night["seconds"] else 0.0
            night["peak_rss_mb"] = max((max(s["rss_mb"], s["rss_workers_mb"]) for s in stages), default=0.0)
            night["stage_seconds"] = {k: round(s["wall"], 2) for k, s in night["stages"].items()}
            night["stage_rss_mb"] = {k: round(max(s["rss_mb"], s["rss_workers_mb"]), 1) for k, s in night["stages"].items()}
            night["warehouse"] = warehouse_day(dsn, day, truth)
            night["truth"] = {"injected": truth["injected"], "healthy_war_articles": len(truth["healthy_war_urls"]),
                              "groups": truth["groups"]}
            night["ok"] = _night_ok(night)
            report["nights"].append(night)
            save(report, args.json)  # so far (a long soak can be followed, or cut short)
            w = night["warehouse"]
            log(f"  {night['seconds']:.0f} s, {night['items_per_s']:.1f} items/s, peak {night['peak_rss_mb']:.0f} MB; "
                f"{w['articles']}/{w['healthy_war_articles']} healthy war articles loaded, failures {w['failures_by_reason']}"
                + ("" if night["ok"] else " -- CHECK FAILED"))
        if server is not None:
            report["nights"][-1]["server_requests"] = _command(server, {})["requests"]
    report.update(summarise(report["nights"]))
    report["seconds"] = time.perf_counter() - started
    report["machine"]["load_average_after"] = os.getloadavg()
    return report


def _night_ok(night: dict) -> bool:
    w = night["warehouse"]
    return (night["error"] is None and not w["misrecorded"] and not w["unexpected_failures"] and not w["lost"]
            and not w["extra"] and w["ops_failures"] == w["ops_failures_expected"]
            and w["duplicate_groups"] == w["duplicate_groups_expected"] and w["pending"] == 0)


def memory_trend(peaks: list[float]) -> dict:
    """The first night warms up (caches, the first pages of every table); then compare the
    peak of the first FLAT_NIGHTS nights with the peak of the last FLAT_NIGHTS."""
    steady = peaks[1:] if len(peaks) > 1 else peaks
    head, tail = steady[:FLAT_NIGHTS], steady[-FLAT_NIGHTS:]
    first, last = max(head, default=0.0), max(tail, default=0.0)
    return {"first_nights_peak_mb": first, "last_nights_peak_mb": last,
            "ratio": last / first if first else None, "flat": bool(first) and last <= FLAT_RATIO * first}


def summarise(nights: list[dict]) -> dict:
    items = sum(n["items"] for n in nights)
    seconds = sum(n["seconds"] for n in nights)
    by_reason, injected, ops = Counter(), Counter(), Counter()
    for n in nights:
        by_reason.update(n["warehouse"]["failures_by_reason"])
        injected.update(n["warehouse"]["failures_injected_by_reason"])
        ops.update(n["warehouse"]["ops_failures"])
    trend = memory_trend([n["peak_rss_mb"] for n in nights])
    stage_peaks = {}
    for n in nights:
        for stage, mb in n["stage_rss_mb"].items():
            stage_peaks.setdefault(stage, []).append(mb)
    checks = {
        "every injected failure recorded with its reason": all(
            not n["warehouse"]["misrecorded"] and n["warehouse"]["ops_failures"] == n["warehouse"]["ops_failures_expected"]
            for n in nights),
        "no failure that was not injected": all(not n["warehouse"]["unexpected_failures"] for n in nights),
        "every healthy war article loaded, nothing else": all(
            not n["warehouse"]["lost"] and not n["warehouse"]["extra"] for n in nights),
        "duplicate groups = truth": all(
            n["warehouse"]["duplicate_groups"] == n["warehouse"]["duplicate_groups_expected"] for n in nights),
        "every night completed, nothing pending": all(
            n["error"] is None and n["warehouse"]["pending"] == 0 for n in nights),
        f"memory flat (last {FLAT_NIGHTS} nights' peak <= {FLAT_RATIO} x first {FLAT_NIGHTS} after night 1)": trend["flat"],
    }
    return {
        "totals": {
            "nights": len(nights), "items": items, "seconds": seconds,
            "items_per_s": items / seconds if seconds else 0.0,
            "articles": sum(n["warehouse"]["articles"] for n in nights),
            "peak_rss_mb": max((n["peak_rss_mb"] for n in nights), default=0.0),
            "failures_injected": sum(injected.values()),
            "failures_recorded": sum(by_reason.values()),
            "failures_by_reason": dict(sorted(by_reason.items())),
            "failures_injected_by_reason": dict(sorted(injected.items())),
            "ops_failures": dict(sorted(ops.items())),
        },
        "memory": {**trend, "stage_peaks_mb": stage_peaks},
        "checks": checks,
        "ok": all(checks.values()),
    }


# --------------------------------------------------------------------------- the table


def table(report: dict) -> str:
    nights, totals = report["nights"], report["totals"]
    lines = []
    header = (f"{'night':<11} {'items':>6} {'loaded':>7} {'seconds':>8} {'items/s':>8} {'fetch+ s':>8} "
              f"{'peak RSS MB':>11} {'server MB':>9} {'injected':>8} {'recorded':>8}  ok")
    lines += [header, "-" * len(header)]
    for n in nights:
        w = n["warehouse"]
        lines.append(
            f"{n['day']:<11} {n['items']:>6,} {w['articles']:>7,} {n['seconds']:>8.0f} {n['items_per_s']:>8.1f} "
            f"{n['stage_seconds'].get('fetch_and_load_articles', 0):>8.0f} {n['peak_rss_mb']:>11.0f} {n['server_rss_mb'] or 0:>9.0f} "
            f"{w['injected']:>8} {sum(w['failures_by_reason'].values()):>8}  {'yes' if n['ok'] else 'NO'}")
    lines.append("-" * len(header))
    lines.append(f"{'all':<11} {totals['items']:>6,} {totals['articles']:>7,} {totals['seconds']:>8.0f} "
                 f"{totals['items_per_s']:>8.1f} {'':>8} {totals['peak_rss_mb']:>11.0f} {'':>9} "
                 f"{totals['failures_injected']:>8} {totals['failures_recorded']:>8}")
    m = report["memory"]
    lines.append("")
    lines.append(f"memory: peak of nights 2-{min(1 + FLAT_NIGHTS, len(nights))} {m['first_nights_peak_mb']:.0f} MB, "
                 f"of the last {min(FLAT_NIGHTS, len(nights))} {m['last_nights_peak_mb']:.0f} MB"
                 + (f" (x{m['ratio']:.2f})" if m["ratio"] else ""))
    lines.append("peak RSS per task, MB, night by night:")
    for stage, peaks in m["stage_peaks_mb"].items():
        lines.append(f"  {stage:<18} " + " ".join(f"{p:>5.0f}" for p in peaks))
    lines.append("wall seconds per task, night by night:")
    for stage in NIGHT:
        lines.append(f"  {stage:<18} " + " ".join(f"{n['stage_seconds'].get(stage, 0):>5.0f}" for n in nights))
    lines.append("")
    lines.append(f"{'failures by reason (raw.links)':<34} {'injected':>8} {'recorded':>8}")
    reasons = sorted(set(totals["failures_by_reason"]) | set(totals["failures_injected_by_reason"]))
    for r in reasons:
        lines.append(f"  {r:<32} {totals['failures_injected_by_reason'].get(r, 0):>8} {totals['failures_by_reason'].get(r, 0):>8}")
    lines.append("ops.run_metrics.failures (what a user reads): "
                 + ", ".join(f"{k} {v}" for k, v in totals["ops_failures"].items()))
    lines.append("")
    for name, ok in report["checks"].items():
        lines.append(f"  [{'ok' if ok else 'FAILED'}] {name}")
    for n in nights:
        w = n["warehouse"]
        for what in ("misrecorded", "unexpected_failures", "lost", "extra"):
            if w[what]:
                lines.append(f"  {n['day']} {what}: {len(w[what])}, e.g. {w[what][:3]}")
        if n["error"]:
            lines.append(f"  {n['day']} failed: {n['error'][-500:]}")
    lines.append(f"{report['machine']['cores']} cores; {report['seconds'] / 60:.0f} minutes in all")
    return "\n".join(lines)


def save(report: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=10, help="consecutive nights")
    parser.add_argument("--items", type=int, default=2000, help="feed items per night")
    parser.add_argument("--feeds", type=int, default=20, help="outlets (one feed each)")
    parser.add_argument("--fail-share", type=float, default=0.05, help="share of the items whose page fails")
    parser.add_argument("--slow-share", type=float, default=0.01, help="share of the items whose page is too slow")
    parser.add_argument("--latency", type=float, default=0.01, help="seconds added to every HTTP answer")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=date.fromisoformat, default=START, help="the first night's day (UTC)")
    parser.add_argument("--read-timeout", type=float, default=2.0, help="NEWSFACTS_READ_TIMEOUT of the nights")
    parser.add_argument("--total-timeout", type=float, default=4.0, help="NEWSFACTS_TOTAL_TIMEOUT of the nights")
    parser.add_argument("--backoff", type=float, help="NEWSFACTS_BACKOFF_SECONDS of the nights (default: the default, 1)")
    parser.add_argument("--dsn", help="an existing, migrated, empty warehouse (default: a fresh database, dropped)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="write every figure here")
    args = parser.parse_args(argv)
    report = run(args)
    print(table(report))
    save(report, args.json)
    print(f"\nall figures: {args.json}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
