"""Numbers that mean something in war news: casualties, weapons, troops, durations, money.

A number is only worth keeping with what it counts: "killing three people" is a death
toll, "112 drones" a salvo, "€1.2bn" an aid package, but a bare "2022" or "15" is noise.
So a quantity is found only as part of a construction that says what it counts:

* casualties: "killing three people", "three people were killed", "injuring 12",
  "the death toll rose to 14" (kinds ``killed`` and ``injured``);
* money: "$500 million", "€1.2bn", "£2.26 billion", "40 million euros" (kind ``money``,
  unit an ISO 4217 code, value in units of that currency);
* counted nouns: "112 drones", "two ballistic missiles", "1,500 troops", "25 leaders"
  (kinds ``drones``, ``missiles``, ``troops``, ``people``; any other plural noun gives
  kind ``other`` with the noun as unit);
* durations in days: "30-day ceasefire", "30 days" (kind ``days``); other durations
  ("72-hour truce") and percentages ("50%") are kind ``other`` with unit "hours" / "%".

Qualifiers ("at least 5", "more than 100") stay in ``text`` and the value is the number
given; a range ("10 to 15", "between 10 and 15") takes its lower bound, the figure the
report commits to. Vague amounts ("dozens", "hundreds", "several") are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.spans import non_overlapping


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str | None
    kind: str  # killed | injured | drones | missiles | troops | days | money | people | other
    text: str
    start: int
    end: int


_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "mln": 1e6, "mn": 1e6,
           "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12, "tn": 1e12}

_WORD_NUMBER = (
    r"(?i:(?:" + "|".join(_TENS) + r")(?:[-\s](?:" + "|".join(_UNITS) + r"))?|"
    + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: A number as written: "1,500", "2.26", "twenty-five", "1.5 million", "two hundred".
_NUMBER = (
    r"(?:" + _DIGITS + r"|" + _WORD_NUMBER + r")"
    r"(?:\s+(?i:hundred|thousand|million|billion|trillion)\b)?"
)
#: A number starts a token: not the "101" of "Kh-101", the "16" of "F-16", the "one" of "no one".
_START = r"(?<![\w.,/-])(?<![Nn]o )"
_QUALIFIER = (r"(?i:(?:at least|more than|over|nearly|almost|about|around|approximately|roughly|"
              r"some|up to|as many as|fewer than|less than|an estimated|a total of)\s+)?")
#: "10 to 15", "10-15", "between 10 and 15": groups ``low`` and ``high``.
_AMOUNT = (
    _QUALIFIER + r"(?:(?i:between)\s+(?P<blow>" + _START + _NUMBER + r")\s+and\s+(?P<bhigh>" + _NUMBER + r")|"
    r"(?P<low>" + _START + _NUMBER + r")(?:\s*(?:-|–|—|to|or)\s*(?P<high>" + _NUMBER + r"))?)"
)
#: Words that may stand between a number and its noun: "two Iskander-M ballistic missiles".
_MODIFIER = (
    r"(?:(?!(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b)[A-Z][\w'’-]*|[a-z]+-[a-z-]+|ballistic|cruise|hypersonic|guided|attack|"
    r"kamikaze|decoy|strike|combat|enemy|hostile|additional|more|new|other|foreign|armed|"
    r"unmanned|aerial|air|military|world|interceptor|allied|western|injured|wounded|elderly|"
    r"young|local|senior|civilian|regular|extra|missile|reconnaissance|surveillance|naval|sea|"
    r"heavy|light|and)"
)
_MODIFIERS = r"(?:" + _MODIFIER + r"\s+){0,5}"

_PEOPLE = (r"people|persons|person|civilians|civilian|residents|children|child|kids|adults|women|"
           r"men|man|woman|leaders|leader|officials|diplomats|journalists|prisoners of war|prisoners|"
           r"POWs|hostages|detainees|refugees|migrants|evacuees|volunteers|workers|employees|"
           r"students|passengers|medics|doctors|rescuers|firefighters|heads of state|"
           r"ministers|others|individuals|victims|teenagers|boys|girls|babies|infants|citizens")
_TROOPS = (r"troops|soldiers|soldier|servicemen|serviceman|servicemembers|service members|"
           r"military personnel|personnel|fighters|marines|paratroopers|mercenaries|recruits|"
           r"conscripts|reservists|peacekeepers|infantrymen")
_DRONES = r"drones|drone|UAVs|UAV|Shaheds|Shahed|unmanned aerial vehicles|Gerans"
_MISSILES = r"missiles|missile|rockets|rocket"

_KILL = (r"(?i:killed|dead|died|perished|lost their lives|were confirmed dead|"
         r"have died|had died)")
_HURT = r"(?i:injured|wounded|hurt)"
_BE = r"(?:(?:were|was|have been|had been|are|is|got|being)\s+)?(?:[a-z]+ly\s+)?"
_PERSON_NOUN = r"(?:\s+" + _MODIFIERS + r"(?:" + _PEOPLE + r"|" + _TROOPS + r"))?"

_CURRENCY_SIGNS = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
                   "gbp": "GBP", "₴": "UAH", "uah": "UAH", "₽": "RUB", "rub": "RUB"}
_CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "hryvnia": "UAH", "ruble": "RUB",
                   "rouble": "RUB", "yuan": "CNY"}
_MONEY_SCALE = r"(?:\s*(?:bn|mn|mln|m|k|tn)\b|\s+(?i:thousand|million|billion|trillion)\b)?"

_KILL_VERBS = ("killing", "killed", "kills", "kill")
_HURT_VERBS = ("injuring", "injured", "injures", "injure", "wounding", "wounded", "wounds", "hurting")

#: What may follow an amount, by kind, in order of precedence: at one number the first that
#: fits is its reading ("three people were killed" is a death toll, not a head count).
_AFTER_AMOUNT = [
    ("killed", _PERSON_NOUN + r"\s+" + _BE + _KILL + r"\b"),
    ("injured", _PERSON_NOUN + r"\s+" + _BE + _HURT + r"\b"),
    ("drones", r"\s+" + _MODIFIERS + r"(?P<drones>" + _DRONES + r")\b"),
    ("missiles", r"\s+" + _MODIFIERS + r"(?P<missiles>" + _MISSILES + r")\b"),
    ("troops", r"(?:-strong)?\s+" + _MODIFIERS + r"(?P<troops>" + _TROOPS + r")\b"),
    ("people", r"\s+" + _MODIFIERS + r"(?P<people>" + _PEOPLE + r")\b"),
    ("days", r"(?:-|\s+)(?i:day)s?\b(?!-old)"),
    # Durations other than days are kept as ``other`` with their unit ("72-hour" is 72 hours).
    ("duration", r"(?:-|\s+)(?P<duration>(?i:hour|week|month|year))s?\b(?!-old)"),
    ("other", r"(?:\s+" + _MODIFIERS + r"|-)(?P<other>[a-z]{3,}s|km|kilometres|miles)\b(?!-old)"),
    ("percent", r"\s*(?P<percent>%|percent\b|per cent\b)"),
]
_PRIORITY = {"money": 0, "killed": 1, "injured": 1, "drones": 2, "missiles": 2, "troops": 2, "people": 2,
             "days": 3, "duration": 3, "other": 4, "percent": 4}

#: (kind, pattern, heads): ``heads`` are the words (or currency signs) a pattern starts with;
#: ``None``: it starts at the number or its qualifier ("at least"). The kind ``counted``
#: reads the amount and what follows it (``_AFTER_AMOUNT``) in one match.
_PATTERNS: list[tuple[str, re.Pattern, frozenset[str] | None]] = [
    ("money", re.compile(
        _QUALIFIER + r"(?P<sign>US\$|\$|€|£|₴|₽|(?:USD|EUR|GBP|UAH|RUB)\s?)(?P<low>" + _DIGITS + r")"
        r"(?P<scale>" + _MONEY_SCALE + r")"), frozenset(_CURRENCY_SIGNS)),
    ("money", re.compile(
        _QUALIFIER + r"(?<![\w.,/-])(?P<low>" + _DIGITS + r")(?P<scale>" + _MONEY_SCALE + r")\s+"
        r"(?:US\s+|U\.S\.\s+)?(?P<word>(?i:dollar|euro|pound|hryvnia|ruble|rouble|yuan))s?\b"
        r"(?:\s+sterling)?"), None),
    ("counted", re.compile(
        _AMOUNT + r"(?:" + "|".join(f"(?P<as_{kind}>{after})" for kind, after in _AFTER_AMOUNT) + r")"), None),
    ("killed", re.compile(
        r"\b(?i:" + "|".join(_KILL_VERBS) + r")\s+" + _AMOUNT + _PERSON_NOUN + r"\b"), frozenset(_KILL_VERBS)),
    ("killed", re.compile(
        r"\b(?i:death toll)\s+(?:\w+\s+){0,4}?(?:to|at|of|reached|hit)\s+" + _AMOUNT + r"\b"),
     frozenset({"death"})),
    ("injured", re.compile(
        r"\b(?i:" + "|".join(_HURT_VERBS) + r")\s+" + _AMOUNT + _PERSON_NOUN + r"\b"), frozenset(_HURT_VERBS)),
]
_NUMBER_FIRST = [i for i, entry in enumerate(_PATTERNS) if entry[2] is None]
_BY_HEAD: dict[str, list[int]] = {}
for _index, (_, _, _heads) in enumerate(_PATTERNS):
    for _head in _heads or ():
        _BY_HEAD.setdefault(_head, []).append(_index)

#: Plural-looking words that are not nouns counted by a number.
_NOT_NOUNS = {"this", "less", "across", "plus", "thus", "whereas", "always", "perhaps", "unless", "towards",
              "afterwards", "regardless", "besides", "does", "hers", "ours", "yours", "theirs", "times",
              "years", "months", "weeks", "hours", "minutes", "seconds"}


def _word_value(word: str) -> float | None:
    word = word.lower()
    if word in _UNITS:
        return float(_UNITS[word])
    parts = re.split(r"[-\s]", word)
    if parts[0] in _TENS:
        return float(_TENS[parts[0]] + (_UNITS.get(parts[1], 0) if len(parts) > 1 else 0))
    return None


def _number_value(written: str) -> float | None:
    """The value of one ``_NUMBER`` match: "1,500" 1500, "twenty-five" 25, "1.5 million" 1.5e6."""
    words = written.split()
    scale = 1.0
    if len(words) > 1 and words[-1].lower() in _SCALES:
        scale = _SCALES[words[-1].lower()]
        written = " ".join(words[:-1])
    head = written.replace(",", "")
    try:
        value = float(head)
    except ValueError:
        value = _word_value(written)
    return None if value is None else value * scale


def _amount_value(m: re.Match) -> float | None:
    low = m.groupdict().get("blow") or m["low"]
    return _number_value(low) if low else None


def _is_year(m: re.Match) -> bool:
    low = m.groupdict().get("blow") or m["low"]
    return bool(low) and re.fullmatch(r"(?:19|20)\d\d", low) is not None


def _money(m: re.Match) -> Quantity | None:
    value = _number_value(m["low"])
    if value is None:
        return None
    scale = (m["scale"] or "").strip().lower()
    value *= _SCALES.get(scale, 1.0)
    sign = (m.groupdict().get("sign") or "").strip().lower()
    unit = _CURRENCY_SIGNS.get(sign) or _CURRENCY_WORDS.get((m.groupdict().get("word") or "").lower())
    return Quantity(value, unit, "money", m[0], m.start(), m.end())


def _candidate(kind: str, m: re.Match) -> Quantity | None:
    if kind == "money":
        return _money(m)
    if kind == "counted":
        kind = m.lastgroup[len("as_"):]
    value = _amount_value(m)
    if value is None:
        return None
    unit = m.groupdict().get(kind)
    if kind == "other" and (unit in _NOT_NOUNS or _is_year(m)):
        return None
    if kind == "days":
        unit = "days"
    elif kind == "duration":
        kind, unit = "other", unit.lower() + "s"
    elif kind == "percent":
        kind, unit = "other", "%"
    elif unit is not None and not unit.isupper():
        unit = unit.lower()
    return Quantity(value, unit, kind, m[0], m.start(), m.end())


_TOKEN = re.compile(r"\w+")
_DIGIT_TOKEN = re.compile(r"(?<![\w.,])\d")
_NUMBER_WORDS = frozenset(_UNITS) | frozenset(_TENS)
_CURRENCY_BEFORE = re.compile(r"(?:US\$|\$|€|£|₴|₽|(?:USD|EUR|GBP|UAH|RUB)\s?)$")
_LEAD_IN = re.compile(r"(?i:at least|more than|over|nearly|almost|about|around|approximately|roughly|some|"
                      r"up to|as many as|fewer than|less than|an estimated|a total of|between)\s+$")
#: How many words before a number a construction may start ("the death toll has risen to 14").
_LOOKBACK_WORDS = 7


@lru_cache(maxsize=None)
def _word_pattern(word: str) -> re.Pattern:
    # Starting with the literal word lets the regex engine skip ahead with a fast search.
    return re.compile(re.escape(word) + r"\b")


def _number_starts(text: str) -> list[int]:
    """Offsets of the numbers in ``text``, in digits or in words."""
    positions = [m.start() for m in _DIGIT_TOKEN.finditer(text)]
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters change length when lowered
        lowered = text
    for word in _NUMBER_WORDS.intersection(_TOKEN.findall(lowered)):
        positions += [m.start() for m in _word_pattern(word).finditer(lowered)
                      if m.start() == 0 or not lowered[m.start() - 1].isalnum()]
    return positions


def _attempts(text: str) -> set[tuple[int, int]]:
    """Which pattern to try where: each number (and a qualifier before it) for the patterns
    that start with the amount, and the heads before it ("killing", "death", "$") for the
    others. Trying patterns only there keeps the cost with the count of numbers, not the
    length of the text. Returns ``(offset, index into _PATTERNS)``."""
    attempts = set()
    for position in _number_starts(text):
        starts = [position]
        sign = _CURRENCY_BEFORE.search(text, max(0, position - 4), position)
        if sign:
            attempts.update((start, entry) for start in (sign.start(), *_lead_in(text, sign.start()))
                            for entry in _BY_HEAD[text[sign.start():position].strip().lower()])
        starts += _lead_in(text, position)
        attempts.update((start, entry) for start in starts for entry in _NUMBER_FIRST)
        before = list(_TOKEN.finditer(text, max(0, position - 80), position))[-_LOOKBACK_WORDS:]
        for token in before:
            for entry in _BY_HEAD.get(token.group().lower(), ()):
                attempts.add((token.start(), entry))
    return attempts


def _lead_in(text: str, position: int) -> list[int]:
    lead = _LEAD_IN.search(text, max(0, position - 25), position)
    return [lead.start()] if lead else []


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, sorted by start; overlapping readings keep the most specific."""
    if not text:
        return []
    candidates: list[tuple[int, int, int, Quantity]] = []
    for start, index in _attempts(text):
        kind, pattern, _ = _PATTERNS[index]
        m = pattern.match(text, start)
        quantity = _candidate(kind, m) if m else None
        if quantity is not None:
            candidates.append((_PRIORITY[quantity.kind], -(m.end() - m.start()), m.start(), quantity))
    candidates.sort(key=lambda c: c[:3])
    return non_overlapping(quantity for _, _, _, quantity in candidates)
