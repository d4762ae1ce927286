"""Data-quality checks: each ``sql/checks/<name>.sql`` returns the rows that break one rule.

A check passes when its query returns nothing. Its header comment says what it checks
(the first paragraph, quoted when it fails) and why that matters. Checks that take the
run's window (psql variables ``:'window_start'``, ``:'window_end'``) run once per window
checked, the others once. None reads the clock: freshness is measured back from the
window's end, so re-checking a past run gives the same verdict.

:func:`check_warehouse` runs them all and raises one :class:`DataQualityError` naming
every failing check with a few offending rows, so a failed task says at once everything
that is wrong, not just the first thing. Checks run in read-only transactions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsfacts import queries, settings
from newsfacts.warehouse import connect
from newsfacts.window import Window

CHECKS_DIR = settings.SQL_DIR / "checks"
#: Offending rows quoted per failing check.
EXAMPLES = 3
_WINDOW_VARIABLES = {"window_start", "window_end"}


@dataclass(frozen=True)
class Failure:
    check: str
    rule: str
    scope: str
    rows: int
    examples: list[dict]

    def describe(self) -> str:
        scope = f" ({self.scope})" if self.scope else ""
        lines = [f"* {self.check}{scope}: {self.rows} offending row(s)", f"  {self.rule}"]
        lines += [f"  e.g. {_format_row(row)}" for row in self.examples]
        return "\n".join(lines)


class DataQualityError(RuntimeError):
    """One or more checks found offending rows; the message lists every one of them."""

    def __init__(self, failures: list[Failure]):
        self.failures = failures
        details = "\n".join(f.describe() for f in failures)
        super().__init__(f"{len(failures)} data-quality check(s) failed:\n{details}")


def _format_row(row: dict) -> str:
    return ", ".join(f"{key}={str(value)[:100]}" for key, value in row.items())


def check_names() -> list[str]:
    return sorted(path.stem for path in CHECKS_DIR.glob("*.sql"))


def run_checks(dsn: str, windows: Sequence[Window], freshness_days: int | None = None) -> tuple[int, list[Failure]]:
    """Run every check (window checks once per window); return the runs made and the failures."""
    stale_days = freshness_days or settings.freshness_days()
    runs, failures = 0, []
    with connect(dsn) as conn:
        conn.execute("SET default_transaction_read_only = on")
        for name in check_names():
            # The total and the first few rows only: a broken load can produce millions.
            query = (f"SELECT count(*) OVER () AS offending_rows, offending.* FROM (\n"
                     f"{queries.load(name, CHECKS_DIR).rstrip().rstrip(';')}\n) AS offending LIMIT {EXAMPLES}")
            variables = queries.variables(name, CHECKS_DIR)
            for window in windows if variables & _WINDOW_VARIABLES else [None]:
                params = {"stale_days": stale_days}
                scope = []
                if window is not None:
                    params.update(window_start=window.start, window_end=window.end)
                    scope.append(f"window {window}")
                if "stale_days" in variables:
                    scope.append(f"stale_days={stale_days}")
                cur = conn.execute(query, params)
                examples = cur.fetchall()
                runs += 1
                if examples:
                    columns = [d.name for d in cur.description][1:]
                    failures.append(Failure(
                        check=name,
                        rule=queries.question(name, CHECKS_DIR),
                        scope=", ".join(scope),
                        rows=examples[0][0],
                        examples=[dict(zip(columns, row[1:])) for row in examples],
                    ))
    return runs, failures


def check_warehouse(dsn: str, windows: Sequence[Window], freshness_days: int | None = None) -> int:
    """Run every check; raise :class:`DataQualityError` if any fails, else return the runs made."""
    runs, failures = run_checks(dsn, windows, freshness_days)
    if failures:
        raise DataQualityError(failures)
    return runs


def latest_run_window(dsn: str) -> Window | None:
    """The window of the latest run that recorded its metrics: what a manual check looks at."""
    with connect(dsn) as conn:
        row = conn.execute(
            "SELECT window_start, window_end FROM ops.run_metrics ORDER BY window_start DESC LIMIT 1"
        ).fetchone()
    return Window.of(*row) if row else None
