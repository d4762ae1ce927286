"""Dates in news prose ("on Friday", "last week", "in August") resolved against publication.

News text rarely gives a full date: a weekday or a month is read against the day the
article was published, and which one is meant depends on tense ("struck on Friday" is
the Friday just past, "will meet on Thursday" the one to come). Without any tense cue a
weekday or month is taken as past (news reports what happened), and a day of a month
("April 1") as its nearest occurrence. Every resolved date carries its precision, so "last
week" is not mistaken for a known day:

* ``day``: the day itself;
* ``week``: the Monday of that (ISO) week;
* ``month``: the first of the month;
* ``year``: the first of January.

Month and weekday names must be capitalized ("may" and "march" are also verbs). A few
Ukrainian and Russian forms (yesterday, today, overnight, this/last week, weekdays) are
understood; everything else in those languages is left unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable

from extractors.spans import non_overlapping

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
_PRECISION_RANK = {DAY: 0, WEEK: 1, MONTH: 2, YEAR: 3}

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"),
            ("May",), ("June", "Jun"), ("July", "Jul"), ("August", "Aug"),
            ("September", "Sept", "Sep"), ("October", "Oct"), ("November", "Nov"),
            ("December", "Dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {name: i for i, name in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])}
#: Ukrainian and Russian weekdays as they follow "у/в/во" ("у п'ятницю", "в пятницу").
_SLAVIC_WEEKDAYS = {
    "понеділок": 0, "вівторок": 1, "середу": 2, "четвер": 3, "п'ятницю": 4, "пʼятницю": 4,
    "п’ятницю": 4, "суботу": 5, "неділю": 6,
    "понедельник": 0, "вторник": 1, "среду": 2, "четверг": 3, "пятницу": 4, "субботу": 5,
    "воскресенье": 6,
}

_MONTH = (r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
          r"(?:(?<=Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|ept|Oct|Nov|Dec)\.)?")
_WEEKDAY = r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")"
_ORDINAL_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
#: Prepositions that make a bare month or year a time expression ("in August", "since 2022").
_LEAD = r"(?:(?:in|on|since|by|during|until|till|from|through|throughout|before|after|early|late|of)\s+|mid-)"


@dataclass(frozen=True)
class TimeExpression:
    """A resolved expression; ``text`` is ``source[start:end]``."""

    text: str
    start: int
    end: int
    date: date
    precision: str


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _weekday_date(anchor: date, weekday: int, relation: str) -> date:
    """``relation``: "past" (on or before), "future" (on or after), "last" / "next" (strictly)."""
    back = (anchor.weekday() - weekday) % 7
    ahead = (weekday - anchor.weekday()) % 7
    if relation == "last":
        return anchor - timedelta(days=back or 7)
    if relation == "next":
        return anchor + timedelta(days=ahead or 7)
    if relation == "future":
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back)


def _month_date(anchor: date, month: int, relation: str) -> date:
    """The first of ``month`` in the year that ``relation`` points at.

    ``relation``: "past" / "future" (the nearest on or before / after the anchor's month),
    "last" / "next" (strictly before / after it), "this" (the anchor's year).
    """
    if relation == "this":
        return date(anchor.year, month, 1)
    same_year = date(anchor.year, month, 1)
    this_month = date(anchor.year, anchor.month, 1)
    if relation in ("past", "last"):
        if same_year < this_month or (relation == "past" and same_year == this_month):
            return same_year
        return date(anchor.year - 1, month, 1)
    if same_year > this_month or (relation == "future" and same_year == this_month):
        return same_year
    return date(anchor.year + 1, month, 1)


def _day_month_date(anchor: date, month: int, day: int, future: bool | None) -> date | None:
    """``day`` ``month`` in the year that makes it the latest on or before ``anchor`` (past),
    the first on or after it (future) or, with no tense to go by, the nearest to it."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if future is None:
        return min(candidates, key=lambda d: abs(d - anchor), default=None)
    if future:
        return min((d for d in candidates if d >= anchor), default=None)
    return max((d for d in candidates if d <= anchor), default=None)


# Each rule: (pattern, resolver(match, anchor, future: bool | None) -> (date, precision) | None,
# needs_anchor, the kinds of keyword it contains: "month", "year", "weekday", "relative", "slavic").
_Resolver = Callable[[re.Match, "date | None", "bool | None"], "tuple[date, str] | None"]


def _full_date(m: re.Match, anchor: date | None, future: bool | None) -> tuple[date, str] | None:
    try:
        return date(int(m["year"]), _MONTHS[m["month"]], int(m["day"])), DAY
    except ValueError:
        return None


def _iso_date(m: re.Match, anchor: date | None, future: bool | None) -> tuple[date, str] | None:
    try:
        return date(int(m["year"]), int(m["mm"]), int(m["dd"])), DAY
    except ValueError:
        return None


def _month_year(m: re.Match, anchor: date | None, future: bool | None) -> tuple[date, str]:
    return date(int(m["year"]), _MONTHS[m["month"]], 1), MONTH


def _year(m: re.Match, anchor: date | None, future: bool | None) -> tuple[date, str]:
    return date(int(m["year"]), 1, 1), YEAR


def _day_month(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str] | None:
    day = _day_month_date(anchor, _MONTHS[m["month"]], int(m["day"]), future)
    return (day, DAY) if day else None


def _month(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str]:
    relation = (m["rel"] or "").lower() or ("future" if future else "past")
    return _month_date(anchor, _MONTHS[m["month"]], relation), MONTH


def _weekday(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str]:
    relation = (m["rel"] or "").lower()
    if relation not in ("last", "next"):
        relation = "future" if future else "past"
    return _weekday_date(anchor, _WEEKDAYS[m["weekday"]], relation), DAY


def _slavic_weekday(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str]:
    weekday = _SLAVIC_WEEKDAYS[m["weekday"].lower()]
    return _weekday_date(anchor, weekday, "future" if future else "past"), DAY


_DAY_OFFSETS = {
    "today": 0, "tonight": 0, "overnight": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "earlier today": 0, "yesterday": -1, "last night": -1,
    "tomorrow": 1, "the day before yesterday": -2,
    "сьогодні": 0, "сегодня": 0, "вночі": 0, "ночью": 0, "цієї ночі": 0, "этой ночью": 0, "за ніч": 0,
    "за ночь": 0, "вчора": -1, "вчера": -1, "минулої ночі": -1, "прошлой ночью": -1, "завтра": 1,
}
#: "Over the past day" reports the day before: military summaries come out in the morning.
_PAST_DAY = re.compile(r"(?:over|in|during)\s+the\s+(?:past|last)\s+(?:day|24\s+hours)|"
                       r"за\s+(?:минулу|останню)\s+добу|за\s+(?:прошедшие|минувшие|последние)\s+сутки", re.I)


def _relative_day(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str]:
    phrase = " ".join(m[0].lower().split())
    offset = -1 if _PAST_DAY.fullmatch(phrase) else _DAY_OFFSETS[phrase]
    return anchor + timedelta(days=offset), DAY


_PERIOD_SHIFT = {"this": 0, "earlier this": 0, "later this": 0, "last": -1, "past": -1,
                 "previous": -1, "next": 1, "coming": 1}


def _relative_period(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str]:
    shift = _PERIOD_SHIFT[" ".join(m["rel"].lower().split())]
    unit = m["unit"].lower()
    if unit == "week":
        return _monday(anchor) + timedelta(weeks=shift), WEEK
    if unit == "weekend":
        if shift < 0:  # the last weekend that is over: its Sunday is before today
            saturday = _weekday_date(anchor - timedelta(days=2), 5, "past")
        elif anchor.weekday() < 5:
            saturday = _weekday_date(anchor, 5, "future")
        else:  # "this weekend" said on the weekend itself
            saturday = _weekday_date(anchor, 5, "past")
        return _monday(saturday) + timedelta(weeks=max(shift, 0)), WEEK
    if unit == "month":
        return _shift_months(anchor, shift), MONTH
    return date(anchor.year + shift, 1, 1), YEAR


def _ago(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str] | None:
    count = m["count"].lower()
    n = int(count) if count.isdigit() else _COUNT_WORDS[count]
    unit = m["unit"].lower()
    if unit == "day":
        return anchor - timedelta(days=n), DAY
    if unit == "week":
        return _monday(anchor - timedelta(weeks=n)), WEEK
    if unit == "month":
        return _shift_months(anchor, -n), MONTH
    if n > anchor.year - 1:
        return None
    return date(anchor.year - n, 1, 1), YEAR


def _slavic_week(m: re.Match, anchor: date, future: bool | None) -> tuple[date, str]:
    shift = -1 if m[0].lower().startswith(("минул", "на минул", "на прошл")) else 0
    return _monday(anchor) + timedelta(weeks=shift), WEEK


_RULES: list[tuple[re.Pattern, _Resolver, bool, set[str]]] = [
    (re.compile(r"\b(?:on\s+)?" + _ORDINAL_DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"\b"),
     _full_date, False, {"month", "year"}),
    (re.compile(r"\b(?:on\s+)?" + _MONTH + r"\s+" + _ORDINAL_DAY + r",?\s+" + _YEAR + r"\b"),
     _full_date, False, {"month", "year"}),
    (re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mm>[01]\d)-(?P<dd>[0-3]\d)\b"), _iso_date, False, {"year"}),
    (re.compile(r"\b(?i:" + _LEAD + r")?" + _MONTH + r",?\s+" + _YEAR + r"\b"),
     _month_year, False, {"month", "year"}),
    (re.compile(r"\b(?i:" + _LEAD + r")" + _YEAR + r"\b(?![-–/]\d|\s*[%$€£])"), _year, False, {"year"}),
    (re.compile(r"\b(?:on\s+)?" + _ORDINAL_DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?![\w-])"),
     _day_month, True, {"month"}),
    (re.compile(r"\b(?:on\s+)?" + _MONTH + r"\s+" + _ORDINAL_DAY + r"\b(?!\s*[:.]\d)"), _day_month, True, {"month"}),
    (re.compile(r"\b(?:(?P<rel>(?i:last|next|this))\s+|(?i:" + _LEAD + r"))" + _MONTH + r"\b"),
     _month, True, {"month"}),
    (re.compile(r"\b(?:(?P<rel>(?i:last|next|this))\s+|(?i:on|since|by|until|from|early|late)\s+)?"
                + _WEEKDAY + r"(?:\s+(?i:morning|afternoon|evening|night))?\b"),
     _weekday, True, {"weekday"}),
    (re.compile(r"\b(?:the day before yesterday|yesterday|today|tonight|tomorrow|overnight|"
                r"last night|this (?:morning|afternoon|evening)|earlier today|" + _PAST_DAY.pattern + r")\b", re.I),
     _relative_day, True, {"relative"}),
    (re.compile(r"(?<!\w)(?:сьогодні|сегодня|вночі|ночью|цієї ночі|этой ночью|за ніч|за ночь|вчора|вчера|"
                r"минулої ночі|прошлой ночью|завтра|" + _PAST_DAY.pattern + r")(?!\w)", re.I),
     _relative_day, True, {"slavic"}),
    (re.compile(r"\b(?P<rel>earlier this|later this|this|last|past|previous|next|coming)\s+"
                r"(?P<unit>week|weekend|month|year)\b", re.I),
     _relative_period, True, {"relative"}),
    (re.compile(r"\b(?P<count>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                r"(?P<unit>day|week|month|year)s?\s+ago\b", re.I),
     _ago, True, {"relative"}),
    (re.compile(r"(?<!\w)(?:минулого тижня|на минулому тижні|на прошлой неделе|"
                r"цього тижня|на цьому тижні|на этой неделе)(?!\w)", re.I),
     _slavic_week, True, {"slavic"}),
    (re.compile(r"(?<!\w)(?i:у|в|во|на)\s+(?P<weekday>(?i:" + "|".join(_SLAVIC_WEEKDAYS) + r"))(?!\w)"),
     _slavic_weekday, True, {"slavic"}),
]

#: Resolvers whose answer depends on tense.
_TENSED = {_day_month, _month, _weekday, _slavic_weekday}
#: Words that put the clause in the future ("will meet on Thursday").
_FUTURE_CUE = (r"will|shall|'ll|’ll|(?:is|are|was|were)\s+(?:due|set|scheduled|expected|going|planning)\s+to|"
               r"plans?\s+to|intends?\s+to")
#: Words that put it in the past; "-ed" forms after "be/been" are passives of either tense.
_PAST_CUE = (r"said|says|told|added|wrote|announced|was|were|had|did|began|came|went|took|made|held|met|"
             r"struck|fought|sent|gave|left|won|lost|fell|rose|saw|ran|spoke|shot|brought|led|kept|froze|"
             r"broke|drew|knew|sought|withdrew|(?<!be )(?<!been )(?-i:[a-z]{3,}ed)")
_TENSE_CUE = re.compile(rf"\b(?:(?P<future>{_FUTURE_CUE})|(?P<past>{_PAST_CUE}))\b", re.I)
_CLAUSE_END = re.compile(r"[.!?;\n]")
#: How far around an expression its tense is looked for.
_TENSE_WINDOW = 150


def _is_future(text: str, start: int, end: int) -> bool | None:
    """Whether the clause around ``text[start:end]`` speaks of the future; ``None``: no tense cue.

    The last tense cue before the expression decides ("will meet on Thursday", but "will
    travel to Moscow, he said on Friday" is past); without one, the first cue after it
    ("On Thursday, leaders will meet").
    """
    lo = max(0, start - _TENSE_WINDOW)
    before = text[lo:start]
    boundary = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    before = before[boundary:]
    cues = list(_TENSE_CUE.finditer(before))
    if cues:
        return cues[-1]["future"] is not None
    after = text[end:end + _TENSE_WINDOW]
    stop = _CLAUSE_END.search(after)
    cue = _TENSE_CUE.search(after, 0, stop.start() if stop else len(after))
    return None if cue is None else cue["future"] is not None


def _safely(resolver: _Resolver, m: re.Match, anchor: date | None, future: bool | None) -> tuple[date, str] | None:
    try:
        return resolver(m, anchor, future)
    except (OverflowError, ValueError):  # an anchor at the very edge of the calendar
        return None


def _as_day(published: date | datetime | None) -> date | None:
    if isinstance(published, datetime):
        return published.date()
    return published


_TOKEN = re.compile(r"\w+")
_YEAR_TOKEN = re.compile(r"\b(?:19|20)\d\d\b")
#: The words every time expression contains, by kind; rules are only tried around them.
_NAME_KEYWORDS = {**{name: "month" for name in _MONTHS}, **{name: "weekday" for name in _WEEKDAYS}}
_LOWER_KEYWORDS = {
    **{word: "relative" for word in ("yesterday", "today", "tonight", "tomorrow", "overnight", "night",
                                     "morning", "afternoon", "evening", "day", "hours", "week", "weekend",
                                     "month", "year", "ago")},
    **{word: "slavic" for word in ("сьогодні", "сегодня", "вночі", "ночі", "ніч", "ночь", "ночью", "вчора",
                                   "вчера", "завтра", "добу", "сутки", "тижня", "тижні", "неделе", "ятницю",
                                   *_SLAVIC_WEEKDAYS)},
}
#: How many words before a keyword an expression may start ("the day before yesterday").
_LOOKBACK_WORDS = 3


@lru_cache(maxsize=None)
def _word_pattern(word: str) -> re.Pattern:
    # Starting with the literal word lets the regex engine skip ahead with a fast search.
    return re.compile(re.escape(word) + r"\b")


def _word_starts(source: str, word: str) -> list[int]:
    """Where ``word`` occurs in ``source`` as a whole word."""
    return [m.start() for m in _word_pattern(word).finditer(source)
            if m.start() == 0 or not source[m.start() - 1].isalnum()]


def _attempts(text: str, anchor: date | None) -> list[tuple[int, int]]:
    """``(offset, rule index)`` pairs worth trying: the rules of a keyword's kind, at the
    keyword and at the few words before it.

    Trying rules only there (instead of scanning the text with each) keeps the cost with
    the number of date words; the keywords present are found with set operations, so no
    Python loop runs over every word of the text.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lowered
        lowered = text
    hits = [(start, _NAME_KEYWORDS[word]) for word in _NAME_KEYWORDS.keys() & set(_TOKEN.findall(text))
            for start in _word_starts(text, word)]
    hits += [(start, _LOWER_KEYWORDS[word]) for word in _LOWER_KEYWORDS.keys() & set(_TOKEN.findall(lowered))
             for start in _word_starts(lowered, word)]
    hits += [(m.start(), "year") for m in _YEAR_TOKEN.finditer(text)]
    rules_of = {kind: [i for i, (_, _, needs_anchor, kinds) in enumerate(_RULES)
                       if kind in kinds and (anchor is not None or not needs_anchor)]
                for kind in ("month", "year", "weekday", "relative", "slavic")}
    attempts: set[tuple[int, int]] = set()
    for position, kind in hits:
        before = [m.start() for m in _TOKEN.finditer(text, max(0, position - 40), position)]
        attempts.update((start, i) for start in (position, *before[-_LOOKBACK_WORDS:]) for i in rules_of[kind])
    return sorted(attempts)


def find_time_expressions(text: str, published: date | datetime | None) -> list[TimeExpression]:
    """All date expressions in ``text``, resolved against ``published``, sorted by start.

    Of overlapping readings the most precise wins, then the longest: "from April 1" is a
    day, not the month of "from April"; "15 March 2025" is one day, not "March 2025". An
    impossible day ("31 February 2025") leaves its month. Without a publication date only
    absolute dates ("15 March 2025", "in 2022") resolve.
    """
    if not text:
        return []
    anchor = _as_day(published)
    candidates = []
    for start, index in _attempts(text, anchor):
        pattern, resolver, _, _ = _RULES[index]
        m = pattern.match(text, start)
        if not m:
            continue
        future = _is_future(text, m.start(), m.end()) if resolver in _TENSED else None
        resolved = _safely(resolver, m, anchor, future)
        if resolved is not None:
            candidates.append(TimeExpression(m[0], m.start(), m.end(), *resolved))
    candidates.sort(key=lambda e: (_PRECISION_RANK[e.precision], e.start - e.end, e.start))
    return non_overlapping(candidates)


def resolve(expression: str, published: date | datetime | None, *, future: bool = False) -> tuple[date, str] | None:
    """Resolve one phrase ("on Friday", "last August") to ``(date, precision)``, or ``None``.

    ``future`` says the phrase speaks of what is to come ("will meet on Thursday").
    """
    anchor = _as_day(published)
    phrase = " ".join((expression or "").split())
    best = None
    for pattern, resolver, needs_anchor, _ in _RULES:
        if needs_anchor and anchor is None:
            continue
        m = pattern.search(phrase)
        if m and (best is None or m.end() - m.start() > best[0].end() - best[0].start()):
            best = (m, resolver)
    if best is None:
        return None
    return _safely(best[1], best[0], anchor, future)
