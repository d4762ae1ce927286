"""``newsfacts``: the command line for humans, on the same functions the DAGs use.

    newsfacts migrate                         apply sql/migrations, build changed sql/marts
    newsfacts extract [--url URL] FILE        one saved HTML page -> one JSON object
    newsfacts extract --text FILE --published YYYY-MM-DD
    newsfacts extract --jsonl < docs.jsonl    many documents, one JSON line each
    newsfacts dedupe --jsonl < docs.jsonl     duplicate group, canonical article and story per line
    newsfacts sources [--file PATH]           validate and list the configured outlets
    newsfacts demo [--date YYYY-MM-DD]        run news_nightly on the offline corpus
    newsfacts backfill --from D --to D        the same for a range of days, one after another
    newsfacts reprocess --from D --to D       re-extract stored pages of a range (no network)
    newsfacts dictionary [--output FILE]      the data dictionary (Markdown) from the warehouse's comments
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path


def _cmd_migrate(args: argparse.Namespace) -> int:
    from newsfacts.migrations import migrate
    from newsfacts.warehouse import describe, resolve_dsn

    dsn = resolve_dsn()
    applied = migrate(dsn)
    marts = [name for name in applied if name.startswith("marts/")]
    print(f"warehouse {describe(dsn)}: {len(applied) - len(marts)} migration(s) applied, {len(marts)} mart(s) built",
          *applied, sep="\n  ")
    return 0


def _cmd_extract(args: argparse.Namespace) -> int:
    from extractors.document import analyze

    from newsfacts import settings

    threshold = settings.relevance_threshold()
    if args.jsonl:
        return _extract_jsonl(sys.stdin.buffer, sys.stdout, threshold)
    if not args.file:
        print("newsfacts extract: FILE is required unless --jsonl is given", file=sys.stderr)
        return 2
    raw = Path(args.file).read_bytes()
    if args.text:
        result = analyze(doc_id=args.file, text=raw.decode("utf-8", errors="replace"), url=args.url,
                         published=args.published, threshold=threshold)
    else:
        result = analyze(doc_id=args.file, html=raw, url=args.url, published=args.published, threshold=threshold)
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 1 if "error" in result else 0


def _extract_jsonl(stream, out, threshold: float) -> int:
    """One JSON line out per line in, in order; a bad line never stops the batch."""
    from extractors.document import analyze

    for _, doc, error in _jsonl_lines(stream):
        if error is not None:
            result = {"id": None, "error": error}
        else:
            result = analyze(
                doc_id=doc.get("id"),
                html=doc.get("html"),
                text=doc.get("text"),
                url=doc.get("url"),
                published=doc.get("published") or doc.get("published_at"),
                threshold=threshold,
            )
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()
    return 0


def _jsonl_lines(stream):
    """(line number, object or None, error or None) for each non-empty line, as they come."""
    for line_no, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            doc = json.loads(raw.decode("utf-8", errors="replace"))
            if not isinstance(doc, dict):
                raise ValueError("each line must be a JSON object")
        except ValueError as exc:
            yield line_no, None, f"line {line_no}: invalid JSON: {exc}"
        else:
            yield line_no, doc, None


def _cmd_dedupe(args: argparse.Namespace) -> int:
    """Read every line first (groups need the whole batch), then answer one line per input."""
    from extractors.batch_dedupe import dedupe_documents
    from extractors.dedup import Document
    from extractors.document import DocumentError, parse_published

    if not args.jsonl:
        print("newsfacts dedupe: only --jsonl input is supported", file=sys.stderr)
        return 2
    results: list[dict] = []
    docs: list[tuple[int, Document]] = []
    for line_no, doc, error in _jsonl_lines(sys.stdin.buffer):
        if error is None:
            try:
                published = parse_published(doc.get("published_at") or doc.get("published"))
                docs.append((len(results), Document(str(doc.get("id")), str(doc.get("url") or ""),
                                                    str(doc.get("title") or ""), str(doc.get("text") or ""), published)))
            except DocumentError as exc:
                error = f"line {line_no}: {exc}"
        results.append({"id": doc.get("id") if doc else None, "error": error} if error else {"id": doc.get("id")})
    grouped = dedupe_documents([d for _, d in docs])
    for (position, _), g in zip(docs, grouped):
        results[position].update(duplicate_group=g.duplicate_group, canonical_id=g.canonical_id, story=g.story)
    for result in results:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


def _cmd_sources(args: argparse.Namespace) -> int:
    from extractors.sources import SourcesError, load_sources
    from newsfacts import settings

    path = Path(args.file) if args.file else settings.sources_path()
    try:
        sources = load_sources(path)
    except SourcesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for s in sources:
        print(f"{s.slug:28} {s.perspective:20} {s.country} {s.language}  {s.feed_url}")
    print(f"{len(sources)} sources in {path}")
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from newsfacts.demo import run_demo

    return run_demo(args.date, port=args.port)


def _cmd_backfill(args: argparse.Namespace) -> int:
    from newsfacts.demo import run_backfill

    if args.to_date < args.from_date:
        print("newsfacts backfill: --to is before --from", file=sys.stderr)
        return 2
    return run_backfill(args.from_date, args.to_date, port=args.port)


def _cmd_reprocess(args: argparse.Namespace) -> int:
    from newsfacts.reprocess import reprocess_day
    from newsfacts.warehouse import resolve_dsn

    dsn = resolve_dsn()
    day = args.from_date
    while day <= args.to_date:
        print(f"{day}: {reprocess_day(dsn, day, run_id=f'cli-reprocess-{day}')}")
        day += timedelta(days=1)
    return 0


def _cmd_dictionary(args: argparse.Namespace) -> int:
    from newsfacts.dictionary import read_catalog, render
    from newsfacts.warehouse import connect, resolve_dsn

    with connect(resolve_dsn()) as conn:
        markdown = render(read_catalog(conn))
    if args.output:
        Path(args.output).write_text(markdown, encoding="utf-8")
    else:
        sys.stdout.write(markdown)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsfacts", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="apply SQL migrations to the warehouse").set_defaults(func=_cmd_migrate)

    extract = commands.add_parser("extract", help="extract an article (and its facts) as JSON")
    extract.add_argument("file", nargs="?", help="saved HTML page, or plain text with --text")
    extract.add_argument("--url", help="URL the page was served at")
    extract.add_argument("--text", action="store_true", help="FILE is plain text; first line is the title")
    extract.add_argument("--published", help="publication date YYYY-MM-DD (or ISO 8601)")
    extract.add_argument("--jsonl", action="store_true",
                         help='read {"id","url","html"} or {"id","text","published"} lines on stdin')
    extract.set_defaults(func=_cmd_extract)

    dedupe = commands.add_parser("dedupe", help="duplicate groups and stories of a batch of documents")
    dedupe.add_argument("--jsonl", action="store_true",
                        help='read {"id","url","title","text","published_at"} lines from stdin')
    dedupe.set_defaults(func=_cmd_dedupe)

    sources = commands.add_parser("sources", help="validate and list the sources file")
    sources.add_argument("--file", help="sources file (default: $NEWSFACTS_SOURCES or sources.yml)")
    sources.set_defaults(func=_cmd_sources)

    demo = commands.add_parser("demo", help="run news_nightly for a day of the offline corpus")
    demo.add_argument("--date", type=date.fromisoformat, default=date(2025, 3, 15))
    demo.add_argument("--port", type=int, default=8765, help="port of the local fixture server")
    demo.set_defaults(func=_cmd_demo)

    backfill = commands.add_parser("backfill", help="run news_nightly for each day of a range on the offline corpus")
    backfill.add_argument("--from", dest="from_date", type=date.fromisoformat, required=True)
    backfill.add_argument("--to", dest="to_date", type=date.fromisoformat, required=True)
    backfill.add_argument("--port", type=int, default=8765, help="port of the local fixture server")
    backfill.set_defaults(func=_cmd_backfill)

    reprocess = commands.add_parser("reprocess", help="re-extract the stored pages of a range of days (no network)")
    reprocess.add_argument("--from", dest="from_date", type=date.fromisoformat, required=True)
    reprocess.add_argument("--to", dest="to_date", type=date.fromisoformat, required=True)
    reprocess.set_defaults(func=_cmd_reprocess)

    dictionary = commands.add_parser("dictionary", help="write the data dictionary from the warehouse's comments")
    dictionary.add_argument("--output", help="Markdown file to write (default: standard output)")
    dictionary.set_defaults(func=_cmd_dictionary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
