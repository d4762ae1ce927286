"""A generated evaluation set for near-duplicate detection.

Every document of the set is a dict ``{"id", "url", "title", "text", "published_at",
"cluster"}`` plus a few fields for the analysis (``kind``, ``base``, ``story``,
``source``). ``cluster`` is the ground truth: an original and all its copies share it,
different stories never do.

Where the documents come from:

* **the demo corpus** (``demo/corpus/articles``): every article that is not syndicated
  is an original with its own cluster. Many of them cover the same story from
  different outlets (``story`` in the front matter), in English, Ukrainian and
  Russian, so they are natural hard negatives. The corpus's own syndicated articles
  (``syndicated_from``: full reprints and trimmed wire versions) join the cluster of
  the article they were syndicated from, as kind ``syndicated``.
* **copies** of each corpus original, made with the transformations real republishing
  produces, each tagged with its ``kind``: ``exact`` (same text at another URL),
  ``boilerplate`` (an outlet's header/footer lines, "Read more", newsletter promo,
  copyright, related links), ``rewrite`` (new headline and lead paragraph in other
  words), ``trim`` (the first 40-70% of the paragraphs, as wire clients run them),
  ``update`` (an added paragraph, often a changed figure and an "UPDATE" marker) and
  ``spelling`` (Kyiv/Kiev, Zelenskyy/Zelensky, Kharkiv/Kharkov, Odesa/Odessa,
  British/American spelling, straight quotes), and combinations of two of them
  (``trim+boilerplate``...).
* **template wire items** about Russian strikes on Ukrainian cities: several items per
  city on different days, with different figures, districts, targets and quotes but the
  same template, the same city background paragraph and, for items of the same day,
  the same air-force paragraph. They are different stories that must stay apart (a
  few of them get copies of their own, so that the copies must still be found).

Everything is deterministic: each base story draws from its own ``random.Random``
seeded with ``(seed, story key)``; only the deal of copy kinds (a shuffled deck, so that
every kind gets about as many copies) runs across stories.

    .venv/bin/python benchmarks/dedup_cases.py [--seed 0] [--scale 1] [--base N] [--out cases.jsonl]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from newsfacts.fixture_site import load_articles  # noqa: E402

CORPUS = REPO / "demo" / "corpus"

#: The single transformations, in the order they are applied when combined (content
#: changes first, the republisher's boilerplate last).
KINDS = ("rewrite", "trim", "update", "spelling", "boilerplate")
#: The combinations of two that are generated.
COMBOS = (
    ("trim", "boilerplate"),
    ("spelling", "boilerplate"),
    ("update", "boilerplate"),
    ("rewrite", "trim"),
    ("rewrite", "spelling"),
    ("trim", "spelling"),
    ("update", "spelling"),
    ("rewrite", "boilerplate"),
)
#: Where the template wire items are republished (the same boilerplate on different strikes).
WIRE_CLIENTS = ("harbor-post", "gulf-meridian")
#: How long after the original each kind of copy appears (minutes).
DELAY = {
    "exact": (2, 120),
    "boilerplate": (10, 360),
    "rewrite": (30, 480),
    "trim": (5, 180),
    "update": (60, 600),
    "spelling": (20, 720),
}


@dataclass
class Base:
    """One original story: a corpus article or a template wire item."""

    key: str
    outlet: str
    url: str
    title: str
    summary: str
    paragraphs: list[str]
    published: datetime
    lang: str
    story: str
    source: str  # "corpus" | "template"
    section: str = "world"
    war: bool = True
    extra: dict = field(default_factory=dict)


# -- the corpus -------------------------------------------------------------------------


def _outlets() -> dict:
    return yaml.safe_load((CORPUS / "outlets.yml").read_text(encoding="utf-8"))["outlets"]


def _article_url(outlet: dict, article) -> str:
    p = article.published
    path = outlet["url"].format(
        yyyy=f"{p.year:04d}", mm=f"{p.month:02d}", dd=f"{p.day:02d}", m=p.month, d=p.day,
        ymd=p.strftime("%Y%m%d"), slug=article.slug, id=article.number, section=article.section,
    )
    return f"https://{outlet['domain']}{path}"


def corpus_bases(outlets: dict) -> tuple[list[Base], list[tuple[Base, str]]]:
    """The corpus originals, and its syndicated articles with the key of their original."""
    originals, syndicated = [], []
    for a in load_articles(CORPUS):
        base = Base(
            key=a.key, outlet=a.outlet, url=_article_url(outlets[a.outlet], a), title=a.title,
            summary=a.summary, paragraphs=list(a.paragraphs), published=a.published,
            lang=a.lang, story=a.story, source="corpus", section=a.section, war=a.war,
        )
        if a.syndicated_from:
            syndicated.append((base, a.syndicated_from))
        else:
            originals.append(base)
    originals.sort(key=lambda b: b.key)
    return originals, syndicated


# -- text helpers -----------------------------------------------------------------------

_SPELLING_PAIRS = [
    ("Kyiv", "Kiev"), ("Zelenskyy", "Zelensky"), ("Kharkiv", "Kharkov"), ("Odesa", "Odessa"),
    ("Mykolaiv", "Nikolaev"), ("Zaporizhzhia", "Zaporozhye"), ("Luhansk", "Lugansk"),
    ("Lviv", "Lvov"), ("Chernihiv", "Chernigov"), ("Dnipro", "Dnepr"), ("Donbas", "Donbass"),
    ("Kherson", "Kherson"), ("Sumy", "Sumy"),
]
_SPELLING = {}
for _a, _b in _SPELLING_PAIRS:
    if _a != _b:
        _SPELLING[_a], _SPELLING[_b] = _b, _a
_SPELLING_RE = re.compile(r"\b(" + "|".join(sorted(_SPELLING, key=len, reverse=True)) + r")\b")

_BRITISH = {
    "defence": "defense", "defences": "defenses", "mobilise": "mobilize", "mobilised": "mobilized",
    "mobilising": "mobilizing", "favourable": "favorable", "kilometres": "kilometers",
    "centre": "center", "centres": "centers", "programme": "program", "neighbouring": "neighboring",
    "armoured": "armored", "organising": "organizing", "labour": "labor", "organise": "organize",
    "recognise": "recognize", "criticised": "criticized", "storey": "story",
}
_BRITISH_RE = re.compile(r"\b(" + "|".join(_BRITISH) + r")\b", re.IGNORECASE)

_SYNONYMS = {
    "says": ["said", "states"], "said": ["stated", "told reporters"], "reports": ["says"],
    "hits": ["strikes", "pounds"], "hit": ["struck", "targeted"], "attack": ["strike", "assault"],
    "attacks": ["strikes", "raids"], "strike": ["attack"], "strikes": ["attacks"],
    "injures": ["wounds", "hurts"], "injured": ["wounded", "hurt"], "injuring": ["wounding"],
    "agrees": ["consents", "signs up"], "backs": ["supports", "endorses"], "urges": ["calls on"],
    "warns": ["cautions"], "wins": ["takes", "clinches"], "readies": ["prepares"],
    "ceasefire": ["truce"], "truce": ["ceasefire"], "talks": ["negotiations"], "plan": ["proposal"],
    "allies": ["partners"], "leaders": ["heads of government"], "meeting": ["summit"],
    "forces": ["troops"], "troops": ["forces"], "halt": ["pause", "stop"], "pause": ["halt"],
    "pledge": ["promise"], "vow": ["promise"], "region": ["province", "oblast"], "city": ["town"],
    "officials": ["authorities"], "largest": ["biggest"], "after": ["following"],
    "drone": ["UAV"], "drones": ["UAVs"],
}
_SYN_RE = re.compile(r"\b(" + "|".join(_SYNONYMS) + r")\b", re.IGNORECASE)

_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
_MONTHS = ("January February March April May June July August September October November "
           "December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec").split()
_DATELINE_RE = re.compile(r"^([A-ZÀ-ÖА-ЯІЇЄҐ][A-ZÀ-ÖА-ЯІЇЄҐ/ .,'-]+(?:,\s*[A-Za-z .]+)?(?:\([^)]*\))?\s*[—–-]\s*)")


def _case_like(word: str, template: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def swap_spelling(text: str) -> tuple[str, int]:
    """Kyiv<->Kiev etc. in one pass; returns the text and the number of swaps."""
    return _SPELLING_RE.subn(lambda m: _SPELLING[m.group(1)], text)


def americanise(text: str) -> str:
    return _BRITISH_RE.sub(lambda m: _case_like(_BRITISH[m.group(1).lower()], m.group(1)), text)


def straight_quotes(text: str) -> str:
    return (text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
            .replace(" — ", " -- ").replace("—", "--"))


def synonymise(text: str, rng: random.Random, rate: float = 0.7) -> str:
    def repl(m: re.Match) -> str:
        word = m.group(1)
        if rng.random() > rate:
            return word
        return _case_like(rng.choice(_SYNONYMS[word.lower()]), word)

    return _SYN_RE.sub(repl, text)


def split_dateline(paragraph: str) -> tuple[str, str]:
    m = _DATELINE_RE.match(paragraph)
    if m and len(m.group(1)) < 60:
        return m.group(1), paragraph[m.end():]
    return "", paragraph


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?”\"])\s+(?=[A-ZА-ЯІЇЄҐ“\"])", text.strip()) if s]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70] or "story"


def _is_credit(paragraph: str) -> bool:
    return paragraph.startswith("(") and paragraph.endswith(")")


def change_number(paragraphs: list[str], title: str, rng: random.Random):
    """Raise one casualty-like figure in the first paragraphs (and the title if it has it).

    Returns ``(paragraphs, title, (old, new))`` or ``None`` when no figure fits.
    """
    after_month = re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\.?\s*$")
    digit = re.compile(
        r"(?<![\d.,:/$€£-])\b(\d{1,3})\b(?![\d.,:/%-])"
        r"(?=\s+(?!km\b|miles\b|a\.m\.|p\.m\.|GMT\b|per\b|percent\b|years?\b|hours?\b|minutes?\b|days?\b)[a-z])"
    )
    word = re.compile(r"\b(two|three|four|five|six|seven|eight|nine)\b(?=\s+(?:people|children|civilians|"
                      r"others|of them|were|soldiers|wounded|dead|killed|injured))")
    for limit in (3, len(paragraphs)):
        candidates = []
        for i, p in enumerate(paragraphs[:limit]):
            for m in digit.finditer(p):
                value = int(m.group(1))
                if 2 <= value <= 999 and not after_month.search(p[: m.start()]):
                    candidates.append((i, m, str(value + rng.randint(1, max(2, value // 5)))))
            for m in word.finditer(p):
                nxt = _NUMBER_WORDS[_NUMBER_WORDS.index(m.group(1)) + 1]
                candidates.append((i, m, nxt))
        if candidates:
            break
    if not candidates:
        return None
    i, m, new = rng.choice(candidates)
    old = m.group(1)
    out = list(paragraphs)
    out[i] = out[i][: m.start(1)] + new + out[i][m.end(1):]
    new_title = re.sub(rf"\b{re.escape(old)}\b", lambda t: _case_like(new, t.group(0)), title, count=1,
                       flags=re.IGNORECASE)
    return out, new_title, (old, new)


# -- republishers' boilerplate ----------------------------------------------------------

_TOPICS = ["Ukraine", "Russia", "War in Ukraine", "Europe", "World", "Politics", "Conflict"]


@dataclass
class Style:
    """How one outlet wraps what it republishes (the same for all its copies)."""

    name: str
    domain: str
    header: list[str]
    footer: list[str]
    related_label: str
    n_related: int
    inline_ads: bool
    title_suffix: str | None


def outlet_style(slug: str, outlet: dict, seed: int) -> Style:
    rng = random.Random(f"{seed}:style:{slug}")
    name = outlet["name"]
    header_pool = [
        f"{name} | World",
        "Listen to this article · {minutes} min listen",
        "Advertisement",
        "By {byline} | {date}",
        "Share on Facebook · Share on X · Share by email · Copy link",
        f"Subscribe to {name} for unlimited access",
        "This story was published by a wire service and has not been edited by our staff.",
    ]
    footer_pool = [
        f"Sign up for {name}'s {rng.choice(['Morning', 'Evening', 'Daily'])} Briefing: "
        "the day's top stories, straight to your inbox. Subscribe now.",
        f"© 2025 {name}. All rights reserved. This material may not be published, broadcast, "
        "rewritten or redistributed.",
        "Topics: " + ", ".join(rng.sample(_TOPICS, 3)),
        "Follow us on Telegram and X for the latest updates from Ukraine.",
        "Have a news tip? Contact our newsroom securely.",
        "We use cookies to improve your experience. By continuing to browse the site you agree "
        "to our use of cookies.",
        "Report an error · Editorial standards · Corrections policy",
        "Originally published by Continental Press Agency. Republished with permission.",
    ]
    return Style(
        name=name,
        domain=outlet["domain"],
        header=rng.sample(header_pool, rng.randint(1, 3)),
        footer=rng.sample(footer_pool, rng.randint(2, 4)),
        related_label=rng.choice(["Read more:", "Related:", "ALSO READ:", "More on this story:"]),
        n_related=rng.randint(2, 4),
        inline_ads=rng.random() < 0.5,
        title_suffix=rng.choice([None, f" | {name}", f" - {name}"]),
    )


# -- transformations --------------------------------------------------------------------


@dataclass
class Draft:
    title: str
    paragraphs: list[str]
    published: datetime
    outlet: str  # the republishing outlet's slug
    notes: list[str] = field(default_factory=list)


_NOT_A_HEADLINE = {"a", "after", "as", "at", "ahead", "with", "in", "on", "for", "from", "while", "when",
                   "since", "before", "during", "over", "three", "two", "the"}


def t_rewrite(d: Draft, base: Base, rng: random.Random, ctx: dict) -> bool:
    """A new headline and the lead paragraph in other words (the standfirst, reworded)."""
    summary = base.summary.strip()
    clause = re.split(r"[;:,]\s+|\s+[—–]\s+", summary)[0] if summary else ""
    first = clause.split()[0].lower() if clause else ""
    headline_like = clause and (base.lang != "en" or first not in _NOT_A_HEADLINE)
    if headline_like and 4 <= len(clause.split()) <= 14 and rng.random() < 0.5:
        title = clause.rstrip(".")
    else:
        title = synonymise(d.title, rng, rate=1.0)
        head, _, tail = title.rpartition(", ")
        if head and len(tail.split()) <= 3 and re.search(r"\b(?:say|says|said|states)$", tail) \
                and rng.random() < 0.7:
            title = f"{tail[:1].upper()}{tail[1:]}: {head}"  # "X, officials say" -> "Officials say: X"
    if title == d.title:
        title = rng.choice(["Update: ", "Breaking: "] + (["Ukraine war: "] if base.war else [])) + title
    dateline, lead = split_dateline(d.paragraphs[0])
    if summary:
        new_lead = synonymise(summary, rng, rate=0.5)
        rest = sentences(lead)[1:2]
        if rest and rng.random() < 0.5:
            new_lead += " " + synonymise(rest[0], rng, rate=0.8)
    else:
        parts = sentences(lead)
        new_lead = " ".join(synonymise(s, rng, rate=1.0) for s in (parts[1:] + parts[:1]))
    if dateline and rng.random() < 0.5:
        new_lead = dateline + new_lead
    d.title = title
    d.paragraphs = [new_lead] + d.paragraphs[1:]
    return True


def t_trim(d: Draft, base: Base, rng: random.Random, ctx: dict) -> bool:
    """The first 40-70% of the paragraphs, as a wire client runs a short version."""
    body = [p for p in d.paragraphs if not _is_credit(p)]
    credit = [p for p in d.paragraphs if _is_credit(p)]
    if len(body) < 3:
        return False
    keep = max(2, min(len(body) - 1, math.ceil(len(body) * rng.uniform(0.4, 0.7))))
    d.paragraphs = body[:keep] + (credit if credit and rng.random() < 0.5 else [])
    d.notes.append(f"kept {keep}/{len(body)} paragraphs")
    return True


_UPDATE_PARAGRAPHS = [
    "Later on {weekday}, {org} said it was still assessing the situation and would give further "
    "details once the information had been verified.",
    "In a statement issued after this story was first published, {org} said it had not been "
    "consulted in advance and called for full transparency about the next steps.",
    "Speaking to reporters on {weekday} afternoon, a spokesperson for {org} said the matter would be "
    "discussed at a meeting of senior officials early next week.",
    "{Org} did not immediately respond to a request for comment. A source familiar with the "
    "discussions, who asked not to be named, said no decision was expected before the weekend.",
    "By {weekday} evening, {org} said the figures could still change as more information came in "
    "from the regions, adding that rescue and repair work was continuing.",
    "{Org} welcomed the development in a brief statement on {weekday}, but said it would judge "
    "the outcome by actions rather than words.",
]
_UPDATE_ORGS = [
    "the Kremlin", "Ukraine's foreign ministry", "the European Commission", "the White House",
    "NATO", "the U.N. human rights office", "the regional military administration",
    "the State Emergency Service", "the German government", "the British Foreign Office",
]
_UPDATE_ORGS_CIVIL = ["the organisers", "a spokesperson for the company", "the city council",
                      "the national federation", "the ministry of culture"]


def t_update(d: Draft, base: Base, rng: random.Random, ctx: dict) -> bool:
    """A later version: an added paragraph, often a changed figure and an UPDATE marker."""
    weekday = d.published.strftime("%A")
    org = rng.choice(_UPDATE_ORGS if base.war else _UPDATE_ORGS_CIVIL)
    added = rng.choice(_UPDATE_PARAGRAPHS).format(weekday=weekday, org=org, Org=org[:1].upper() + org[1:])
    paragraphs = list(d.paragraphs)
    changed = None
    if rng.random() < 0.6:
        result = change_number(paragraphs, d.title, rng)
        if result:
            paragraphs, d.title, changed = result
            d.notes.append(f"figure {changed[0]} -> {changed[1]}")
    body_end = len(paragraphs) - (1 if paragraphs and _is_credit(paragraphs[-1]) else 0)
    pos = rng.choice([min(2, body_end), min(3, body_end), body_end])
    paragraphs.insert(pos, added)
    marker = rng.random()
    if marker < 0.35:
        d.title = f"UPDATE {rng.randint(1, 3)}-{d.title}"
    elif marker < 0.65:
        what = "new figure, " if changed else ""
        paragraphs.insert(0, f"(Updates with {what}comment from {org} in paragraph {pos + 1})")
    d.paragraphs = paragraphs
    return True


def t_spelling(d: Draft, base: Base, rng: random.Random, ctx: dict) -> bool:
    """Transliteration variants (Kyiv/Kiev...), American spelling, straight quotes."""
    text = "\n\n".join(d.paragraphs)
    text, swaps = swap_spelling(text)
    title, tswaps = swap_spelling(d.title)
    if swaps + tswaps == 0:
        return False
    if rng.random() < 0.6:
        text, title = americanise(text), americanise(title)
    if rng.random() < 0.5:
        text, title = straight_quotes(text), straight_quotes(title)
    d.paragraphs, d.title = text.split("\n\n"), title
    d.notes.append(f"{swaps + tswaps} name swaps")
    return True


def t_boilerplate(d: Draft, base: Base, rng: random.Random, ctx: dict) -> bool:
    """The republishing outlet's header and footer lines, related links, inline promos."""
    style: Style = ctx["styles"][d.outlet]
    others = [t for t in ctx["titles"] if t != base.title]
    minutes = max(1, sum(len(p.split()) for p in d.paragraphs) // 200)
    byline = rng.choice(["Staff and agencies", "Wire staff", "Our correspondent", "CPA"])
    header = [h.format(minutes=minutes, byline=byline, date=d.published.strftime("%B %-d, %Y"))
              for h in style.header]
    body = list(d.paragraphs)
    if style.inline_ads and len(body) > 4:
        body.insert(rng.randint(2, len(body) - 2), f"{style.related_label} {rng.choice(others)}")
        body.insert(rng.randint(2, len(body) - 1), "Advertisement")
    related = [f"{style.related_label}"] + rng.sample(others, min(style.n_related, len(others)))
    d.paragraphs = header + body + related + style.footer
    if style.title_suffix:
        d.title += style.title_suffix
    return True


TRANSFORMS = {
    "rewrite": t_rewrite, "trim": t_trim, "update": t_update,
    "spelling": t_spelling, "boilerplate": t_boilerplate,
}


def make_copy(base: Base, kind: str, rng: random.Random, ctx: dict) -> Draft | None:
    parts = [] if kind == "exact" else kind.split("+")
    lo, hi = max((DELAY[p] for p in parts or ["exact"]), key=lambda r: r[1])
    published = base.published + timedelta(minutes=rng.randint(lo, hi))
    if base.source == "template":  # the wire's few clients: copies of different strikes look alike
        outlets = list(WIRE_CLIENTS)
    else:
        outlets = [o for o in ctx["styles"] if o != base.outlet
                   and (base.lang != "en" or o not in ctx["non_english"])]
    d = Draft(title=base.title, paragraphs=list(base.paragraphs), published=published,
              outlet=rng.choice(outlets))
    for part in parts:
        if not TRANSFORMS[part](d, base, rng, ctx):
            return None
    return d


# -- template wire items: different strikes on the same cities ---------------------------

_CITIES = {
    "Kharkiv": {"official": "Oleh Marchenko", "role": "head of the Kharkiv regional military administration",
                "districts": ["Kyivskyi", "Shevchenkivskyi", "Saltivskyi", "Industrialnyi", "Osnovianskyi"],
                "context": "Kharkiv, Ukraine's second-largest city, lies about 30 km (19 miles) from the "
                           "Russian border and is hit almost daily by drones, missiles and glide bombs."},
    "Odesa": {"official": "Oleh Hrytsai", "role": "governor of the Odesa region",
              "districts": ["Prymorskyi", "Kyivskyi", "Khadzhybeiskyi", "Peresypskyi"],
              "context": "Odesa, Ukraine's largest port, has come under repeated attack since Russia pulled "
                         "out of a U.N.-brokered Black Sea grain deal in 2023."},
    "Sumy": {"official": "Mykola Stetsenko", "role": "head of the Sumy regional military administration",
             "districts": ["Kovpakivskyi", "Zarichnyi"],
             "context": "Sumy, a city of about 250,000 people before the war, lies some 30 km (19 miles) "
                        "from the Russian border and is regularly targeted by Russian drones and glide bombs."},
    "Zaporizhzhia": {"official": "Ivan Fedchenko", "role": "governor of the Zaporizhzhia region",
                     "districts": ["Oleksandrivskyi", "Komunarskyi", "Shevchenkivskyi", "Khortytskyi"],
                     "context": "Zaporizhzhia lies about 35 km (22 miles) from the front line in the south, "
                                "and Russian forces occupy much of the surrounding region."},
    "Dnipro": {"official": "Serhii Lysak", "role": "governor of the Dnipropetrovsk region",
               "districts": ["Sobornyi", "Chechelivskyi", "Novokodatskyi", "Amur-Nyzhniodniprovskyi"],
               "context": "Dnipro, an industrial hub on the Dnipro river, is a major logistics centre for "
                          "Ukrainian forces fighting in the east."},
    "Kherson": {"official": "Oleksandr Tkachuk", "role": "governor of the Kherson region",
                "districts": ["Dniprovskyi", "Korabelnyi", "Tsentralnyi"],
                "context": "Kherson, recaptured by Ukraine in November 2022, is shelled daily by Russian "
                           "forces positioned across the Dnipro river."},
    "Mykolaiv": {"official": "Vitalii Kimchenko", "role": "governor of the Mykolaiv region",
                 "districts": ["Tsentralnyi", "Zavodskyi", "Inhulskyi", "Korabelnyi"],
                 "context": "Mykolaiv, a shipbuilding city near the Black Sea coast, was close to the front "
                            "line in 2022 and is still regularly attacked by drones and missiles."},
}
_WEAPONS = [("drone", "drones"), ("missile", "missiles"), ("glide bomb", "glide bombs"),
            ("ballistic missile", "ballistic missiles")]
_TARGETS = ["a nine-storey apartment block", "a five-storey residential building", "a private house",
            "an industrial facility", "a shopping centre", "a school building", "an energy facility",
            "a warehouse", "a petrol station", "a kindergarten", "a car repair shop", "a medical clinic"]
_QUOTES = [
    "Rescuers are working at the scene. Information about the victims is being clarified.",
    "The enemy has again struck at civilian infrastructure. All emergency services are on site.",
    "Doctors are providing all the necessary help. Please stay in shelters until the alert is over.",
    "This is yet another act of terror against a peaceful city. The consequences are being dealt with.",
    "Windows were blown out in several nearby buildings. Residents will receive assistance.",
]
_REPORTERS = ["Iryna Hale", "Tomas Berg", "Olena Voss", "Pavel Novak", "Anna Kovac"]
_EDITORS = ["Pieter Janssens", "Clara Moss", "Hugh Lind"]


def _count(n: int) -> str:
    return _NUMBER_WORDS[n - 1] if 1 <= n <= 9 else str(n)


def _airforce(day: datetime, seed: int) -> str:
    rng = random.Random(f"{seed}:airforce:{day.date()}")
    launched = rng.randint(60, 220)
    down = rng.randint(launched // 2, launched - 5)
    lost = rng.randint(0, launched - down)
    missiles = rng.randint(0, 6)
    regions = rng.randint(6, 15)
    missiles_text = f" and {_count(missiles)} ballistic missiles" if missiles > 1 else (
        " and a ballistic missile" if missiles == 1 else "")
    return (f"Ukraine's air force said Russia launched {launched} Shahed-type attack drones and decoys"
            f"{missiles_text} overnight. Air defences shot down {down} drones over {regions} regions, "
            f"while {lost} were lost from radar, most likely jammed by electronic warfare.")


def _strike_facts(rng: random.Random, info: dict, day: datetime, weapon=None) -> dict:
    """What happened: the figures and places that differ from one strike to the next."""
    injured = rng.randint(2, 25)
    return {
        "day": day, "killed": rng.choice([0, 0, 1, 2, 3, 4, 5, 7]), "injured": injured,
        "weapon": weapon or rng.choice(_WEAPONS), "district": rng.choice(info["districts"]),
        "target": rng.choice(_TARGETS), "hh": rng.randint(0, 5), "mm": rng.choice([5, 10, 20, 30, 40, 45, 50]),
        "fires": rng.randint(2, 6), "children": rng.randint(1, 3), "hospital": rng.randint(1, injured),
    }


def _strike_wording(rng: random.Random) -> dict:
    """How the wire writes it up: the template choices (shared by a near-miss twin)."""
    return {
        "lead": rng.randrange(3), "title": rng.randrange(3), "detail": rng.randrange(2),
        "quote": rng.randrange(len(_QUOTES)), "with_children": rng.random() < 0.6,
        "with_context": rng.random() < 0.7, "reporter": rng.choice(_REPORTERS), "editor": rng.choice(_EDITORS),
    }


def _strike_text(city: str, info: dict, f: dict, w: dict, seed: int) -> tuple[str, str, list[str]]:
    """(title, summary, paragraphs) of one template wire item."""
    day = f["day"]
    weekday, prev = day.strftime("%A"), (day - timedelta(days=1)).strftime("%A")
    weapon, weapons = f["weapon"]
    killed, injured, hh, mm = f["killed"], f["injured"], f["hh"], f["mm"]
    k, n = _count(killed), _count(injured)
    cap = lambda t: t[:1].upper() + t[1:]  # noqa: E731
    local = f"{hh + 2}:{mm:02d} a.m."
    if killed:
        lead = [
            f"Russian {weapons} struck {city} overnight, killing {k} people and injuring {n}, "
            f"regional officials said on {weekday}.",
            f"A Russian {weapon} attack on {city} killed {k} people and wounded {n} others "
            f"overnight, the regional governor said on {weekday}.",
            f"{cap(k)} people were killed and {n} injured when Russian {weapons} "
            f"hit {city} late on {prev}, local authorities said.",
        ][w["lead"]]
        title = [
            f"Russian {weapon} attack on {city} kills {k}, injures {n}",
            f"{cap(k)} killed, {n} injured in Russian strike on {city}",
            f"Russian {weapons} kill {k} in {city}, officials say",
        ][w["title"]]
    else:
        lead = [
            f"Russian {weapons} struck {city} overnight, injuring {n} people, regional officials "
            f"said on {weekday}.",
            f"A Russian {weapon} attack on {city} wounded {n} people overnight, the regional "
            f"governor said on {weekday}.",
            f"{cap(n)} people were injured when Russian {weapons} hit {city} late on {prev}, "
            "local authorities said.",
        ][w["lead"]]
        title = [
            f"Russian {weapon} attack on {city} injures {n}",
            f"{cap(n)} injured as Russian {weapons} hit {city}",
            f"Russian {weapons} injure {n} in {city}, officials say",
        ][w["title"]]
    detail = [
        f"The attack hit {f['target']} in the city's {f['district']} district at about {local} "
        f"({hh:02d}{mm:02d} GMT), according to the State Emergency Service.",
        f"{cap(f['target'])} in the {f['district']} district was damaged and fires "
        f"broke out in {_count(f['fires'])} places, the emergency service said.",
    ][w["detail"]]
    quote = f"“{_QUOTES[w['quote']]}” {info['official']}, the {info['role']}, wrote on Telegram."
    paragraphs = [f"KYIV, {day.strftime('%B')} {day.day} (CPA) — {lead}", detail, quote]
    if w["with_children"]:
        children, hospital = f["children"], f["hospital"]
        paragraphs.append(
            f"Among the injured {'is a child' if children == 1 else f'are {_count(children)} children'}"
            f", and {_count(hospital)} of the injured {'was' if hospital == 1 else 'were'} taken to "
            "hospital, officials said.")
    paragraphs.append(_airforce(day, seed))
    if w["with_context"]:
        paragraphs.append(info["context"])
    paragraphs.append(f"(Reporting by {w['reporter']}; editing by {w['editor']})")
    summary = (f"{cap(n)} people were hurt" + (f" and {k} killed" if killed else "")
               + f" in an overnight {weapon} attack on {city}, officials say.")
    return title, summary, paragraphs


def strike_bases(seed: int, scale: float) -> list[Base]:
    """Short wire items about different strikes on the same cities on different days.

    Each city gets ``4 * scale`` items on days drawn from a pool shared by all cities (so
    items of the same day share the air-force paragraph), and about 60% of them a
    near-miss twin a few days later: the same template wording, weapon, official, quote
    and background, but different figures, target, district and time.
    """
    per_city = max(1, round(4 * scale))
    pool = min(45, max(10, per_city * 2))
    start = datetime(2025, 2, 1, tzinfo=timezone.utc)
    items = []

    def add(city, info, key, facts, wording, rng):
        title, summary, paragraphs = _strike_text(city, info, facts, wording, seed)
        items.append(Base(
            key=key, outlet="continental-press", title=title, summary=summary, paragraphs=paragraphs,
            published=facts["day"], lang="en", story=f"strike:{city}", source="template", section="war",
            url=f"https://cpa.example/continental-press/article/{slugify(title)}-{10000 + rng.randint(0, 89999)}",
        ))

    for city, info in _CITIES.items():
        crng = random.Random(f"{seed}:strike-days:{city}")
        offsets = sorted(crng.sample(range(pool), per_city))
        taken = set(offsets)
        for offset in offsets:
            key = f"strike/{city.lower()}/{(start + timedelta(days=offset)).date()}"
            rng = random.Random(f"{seed}:{key}")
            day = start + timedelta(days=offset, hours=rng.randint(4, 9), minutes=rng.randint(0, 59))
            facts, wording = _strike_facts(rng, info, day), _strike_wording(rng)
            add(city, info, key, facts, wording, rng)
            if rng.random() < 0.6:
                later = offset + rng.choice([1, 2, 3, 4, 6, 8])
                if later in taken:
                    continue
                taken.add(later)
                tday = start + timedelta(days=later, hours=rng.randint(4, 9), minutes=rng.randint(0, 59))
                twin = _strike_facts(rng, info, tday, weapon=facts["weapon"])
                if rng.random() < 0.3:
                    twin["district"] = facts["district"]
                add(city, info, f"strike/{city.lower()}/{tday.date()}", twin, wording, rng)
    items.sort(key=lambda b: (b.published, b.key))
    return items


# -- the set ----------------------------------------------------------------------------


class _Deck:
    """Deals copy kinds evenly: a shuffled deck, reshuffled when used up."""

    def __init__(self, rng: random.Random, cards: list[str]):
        self.rng, self.cards, self.pile = rng, cards, []

    def draw(self, avoid: set[str]) -> str:
        for _ in range(2 * len(self.cards)):
            if not self.pile:
                self.pile = list(self.cards)
                self.rng.shuffle(self.pile)
            card = self.pile.pop()
            if card not in avoid:
                return card
            self.pile.insert(0, card)
        return self.pile.pop()


def _doc(did, url, title, paragraphs, published, cluster, kind, base_id, story, source, day, notes=""):
    return {
        "id": did, "url": url, "title": title, "text": "\n\n".join(paragraphs),
        "published_at": published, "cluster": cluster, "kind": kind, "base": base_id,
        "story": story, "source": source, "day": day, "notes": notes,
    }


def generate(seed: int = 0, scale: float = 1, base: int | None = None) -> list[dict]:
    """The evaluation set, sorted by publication time (then id), as an index would see it.

    ``scale`` multiplies the number of copies per story and of template strike items;
    ``base`` keeps only the first N corpus originals (and N template items).
    """
    outlets = _outlets()
    originals, syndicated = corpus_bases(outlets)
    strikes = strike_bases(seed, scale)
    # outlets that publish in other languages only do not republish English copy
    non_english = {o for o in outlets if all(b.lang != "en" for b in originals if b.outlet == o)}
    if base is not None:
        originals, strikes = originals[:base], strikes[:base]
    ctx = {
        "styles": {slug: outlet_style(slug, o, seed) for slug, o in outlets.items()},
        "titles": [b.title for b in originals + strikes],
        "non_english": non_english,
    }
    singles = list(KINDS) * 2 + ["exact"]
    combos = ["+".join(c) for c in COMBOS]
    deck = _Deck(random.Random(f"{seed}:deck"), singles + combos)

    docs: list[dict] = []
    day_of = {b.key: str(b.published.date()) for b in originals}
    for b in originals + strikes:
        rng = random.Random(f"{seed}:{b.key}")
        day = str(b.published.date())
        docs.append(_doc(b.key, b.url, b.title, b.paragraphs, b.published, b.key, "original", None,
                         b.story, b.source, day))
        if b.source == "corpus":
            n_copies = round(rng.randint(1, 6) * scale)
        else:
            n_copies = round(rng.choice([0, 0, 1, 1, 2]) * scale)
        made: set[str] = set()
        count = attempts = 0
        while count < n_copies and attempts < 4 * n_copies + 8:
            attempts += 1
            kind = deck.draw(made)
            draft = make_copy(b, kind, rng, ctx)
            if draft is None:
                continue
            made.add(kind)
            count += 1
            url = (f"https://{ctx['styles'][draft.outlet].domain}/{draft.outlet}/"
                   f"{draft.published:%Y/%m/%d}/{slugify(draft.title)}-{count}")
            docs.append(_doc(f"{b.key}#{count}", url, draft.title, draft.paragraphs, draft.published,
                             b.key, kind, b.key, b.story, b.source, day, "; ".join(draft.notes)))
    for s, original in syndicated:
        if original in day_of:
            docs.append(_doc(s.key, s.url, s.title, s.paragraphs, s.published, original, "syndicated",
                             original, s.story, s.source, day_of[original]))
    docs.sort(key=lambda d: (d["published_at"], d["id"]))
    return docs


def summary(docs: list[dict]) -> dict:
    clusters = Counter(d["cluster"] for d in docs)
    kinds = Counter(d["kind"] for d in docs)
    return {
        "documents": len(docs),
        "clusters": len(clusters),
        "singletons": sum(1 for n in clusters.values() if n == 1),
        "positive_pairs": sum(n * (n - 1) // 2 for n in clusters.values()),
        "all_pairs": len(docs) * (len(docs) - 1) // 2,
        "kinds": dict(sorted(kinds.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--base", type=int, default=None, help="keep only the first N base stories")
    parser.add_argument("--out", help="write the documents as JSON lines to this file")
    args = parser.parse_args(argv)
    docs = generate(seed=args.seed, scale=args.scale, base=args.base)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps({**d, "published_at": d["published_at"].isoformat()},
                                    ensure_ascii=False) + "\n")
    print(json.dumps(summary(docs), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
