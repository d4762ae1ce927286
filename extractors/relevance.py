"""Is an article about the Russia–Ukraine war? A 0–1 score with the signals behind it.

Counting war words is not enough: a world round-up mentions Kyiv once, a 2019
impeachment story says "military aid to Ukraine" ten times, a football report names
Shakhtar Donetsk. So the scorer looks at *where* and *how* the war appears:

* sentences that tie a party of the war (Ukraine, Russia, their leaders, towns and
  regions) to war vocabulary (strikes, troops, ceasefire, sanctions...) — their number,
  and their share of the text, which is what separates a main subject from a passing
  mention;
* the headline and the lead, where a main subject shows up — or, in a feature that
  opens on a scene, how far through the text the war runs (a passing mention sits in
  one passage; a subject comes back in every part);
* phrases that name the war itself ("full-scale invasion", "Russia's war");
* topics that borrow the vocabulary without being the war — the 2019 impeachment,
  sport, Eurovision, 1990s–2013 history — which pull the score down unless the war
  is named outright.

The signals are combined in a logistic function whose few weights were set by reasoning
about the cases above, then checked (not fitted) against the labeled development set in
``benchmarks/relevance``. English lexicons come first; Ukrainian and Russian stems cover
the same concepts in Cyrillic so those articles score sensibly too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from extractors.spans import sentence_pieces

#: Version of the scoring rules; stored with every score so a change can be re-run.
SCORER_VERSION = "relevance-5"
#: Articles scoring at least this are war articles (configurable: ``NEWSFACTS_RELEVANCE_THRESHOLD``).
DEFAULT_THRESHOLD = 0.5


def _lexicon(*patterns: str) -> re.Pattern:
    """Word-initial, case-insensitive alternatives; a trailing ``*`` allows any ending.

    The alternatives are merged into a trie ("kharkiv*", "kherson*" -> ``kh(?:arkiv|erson)``),
    so the matcher compares a word's letters once instead of trying every alternative at
    every word: a sentence is read two to three times faster. A match is found wherever
    one of the alternatives matches; at a place where several would, the trie may take a
    longer one than the first listed, which only the counts of overlapping terms could see.
    """
    trie: dict = {}
    for pattern in patterns:
        any_ending = pattern.endswith("*")
        node = trie
        for char in (pattern[:-1] if any_ending else pattern).lower():
            node = node.setdefault(char, {})
        node[""] = any_ending or node.get("", False)  # True: any ending; False: the whole word

    def alternatives(node: dict) -> str:
        if node.get("") is True:  # covers every longer alternative
            return r"\w*"
        branches = [re.escape(char) + alternatives(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append(r"\b")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return re.compile(r"(?<!\w)" + alternatives(trie), re.IGNORECASE)


UKRAINE_SIDE = _lexicon(
    "ukrain*", "kyiv*", "kiev*", "zelensk*", "zelenskiy", "yermak", "syrskyi", "zaluzhn*", "umerov",
    "sybiha", "kuleba", "shmyhal", "svyrydenko", "budanov", "kharkiv*", "kharkov*", "odesa", "odessa",
    "donetsk", "luhansk", "lugansk", "donbas*", "kherson*", "zaporizhzhia", "zaporizhia", "zaporozhye",
    "mariupol", "bakhmut", "avdiivka", "pokrovsk", "dnipro*", "sumy", "chernihiv", "crimea*",
    "sevastopol", "kramatorsk", "sloviansk", "chasiv yar", "toretsk", "kupiansk", "lviv", "mykolaiv",
    "poltava", "vinnytsia", "izium", "melitopol", "bucha", "irpin", "severodonetsk", "lysychansk",
    "kurakhove", "vuhledar", "kostiantynivka", "huliaipole", "siversk",
    "україн*", "украин*", "київ*", "киев*", "зеленськ*", "зеленск*", "харків*", "харьков*", "донецьк*",
    "донецк*", "одес*", "херсон*", "запоріж*", "запорож*", "крим*", "крым*", "луганськ*", "луганск*",
    "одещин*", "донеччин*", "луганщин*", "сумщин*", "сумськ*", "сумск*", "чернігів*", "чернигов*",
    "миколаїв*", "николаев*", "дніпр*", "днепр*", "покровськ*", "покровск*", "бахмут*", "маріупол*",
    "мариупол*", "севастопол*", "куп'янськ*", "купянск*", "зсу", "всу",
)
RUSSIA_SIDE = _lexicon(
    "russia*", "moscow*", "kremlin*", "putin*", "peskov", "lavrov", "shoigu", "belousov", "gerasimov",
    "medvedev", "zakharova", "ushakov", "kursk", "belgorod", "bryansk", "wagner", "prigozhin",
    "kadyrov", "rosatom",
    "росси*", "росія*", "росії*", "російськ*", "российск*", "росіян*", "рф", "москв*", "кремл*",
    "путин*", "путін*",
)
#: Words of war that mean war next to either party ("Russian troops", "a ceasefire in Ukraine").
WAR_TERMS = _lexicon(
    "war", "wars", "wartime", "invasion*", "invade*", "offensive*", "counteroffensive*", "frontline*",
    "front line*", "front-line", "the front", "troop*", "soldier*", "army", "armies", "battalion*",
    "brigade*", "drone*", "missile*", "shelling", "shelled", "artillery", "airstrike*", "air strike*",
    "ceasefire*", "cease-fire*", "truce", "peace talks", "peace deal", "peace plan*", "peace process",
    "peace negotiat*", "armistice", "occupied", "occupation", "occupier*", "annex*", "mobilis*",
    "mobiliz*", "conscript*", "pows", "prisoners of war", "prisoner swap*", "prisoner exchange*",
    "war crime*", "sanction*", "shadow fleet", "air defen*", "himars", "atacms", "patriot", "f-16*",
    "storm shadow", "leopard", "abrams", "shahed*", "geran*", "iskander*", "kinzhal*", "taurus",
    "glide bomb*", "air raid*", "air-raid*", "bomb shelter*", "security guarantee*", "coalition of the willing", "energy infrastructure",
    "power grid", "blackout*", "nuclear power plant", "iaea", "incursion*", "casualt*", "aggression",
    "війн*", "войн*", "вторгн*", "вторжен*", "обстріл*", "обстрел*", "ракет*", "дрон*", "безпілот*",
    "беспилот*", "фронт*", "окупац*", "оккупац*", "окупант*", "оккупант*", "мобіліз*", "мобилиз*",
    "перемир*", "санкці*", "санкци*", "військ*", "войск*", "полон*", "пленн*", "ппо", "пво",
    "призыв*", "призов*", "повестк*", "повістк*", "авіабомб*", "авиабомб*",
)
#: Words that mean war next to Ukraine, but not next to Russia alone, which has other
#: conflicts and crimes (Syria, poisonings, arms deals) that are not this war.
CONFLICT_TERMS = _lexicon(
    "attack*", "strike*", "bomb*", "killed", "wounded", "military", "militar*", "forces", "weapon*",
    "arms", "ammunition", "munition*", "nato", "battle*", "fighting", "combat*", "defence*", "defense*",
    "refugee*", "displaced", "grain", "deport*", "negotiat*", "talks", "destruction", "destroyed",
    "defend*",
    "атак*", "удар*", "загибл*", "погиб*", "поранен*", "ранен*", "бомб*", "вибух*", "взрыв*", "військов*",
    "военн*", "переговор*", "біжен*", "беженц*",
)
#: Violence and its toll: in an article already about the war, a sentence saying "after
#: Tuesday's strike" or "two people were injured" is part of it. (Not "military", "defence",
#: "talks": defence budgets and summits use those without the war being the subject.)
HARM_TERMS = _lexicon(
    "strike", "strikes", "killed", "wounded", "injured", "bomb*", "explosion*",
    "blast*", "debris", "shot down", "intercept*", "evacuat*",
    "атак*", "удар*", "загибл*", "погиб*", "поранен*", "ранен*", "вибух*", "взрыв*", "уламк*", "обломк*",
    "збит*", "сбит*", "евакуац*", "эвакуац*",
)
#: Phrases that name the war itself: a sentence holding one is about the war whatever else it says.
WAR_NAMED = re.compile(
    r"(?<!\w)(?:"
    r"(?:war|invasion|aggression|offensive|attacks?|strikes?)\s+(?:in|on|against|of)\s+ukraine"
    r"|russia['’]s\s+(?:full[- ]scale\s+)?(?:war|invasion|aggression|offensive|attacks?|strikes?|forces|troops)"
    r"|ukraine['’]s\s+(?:war|defen[cs]e|armed forces|forces|troops|military|army|counteroffensive|front)"
    r"|(?:russia|russo)[- ‐–]ukrain\w*\s+(?:war|conflict)|ukraine\s+war\b|war\s+in\s+(?:eastern\s+)?ukraine"
    r"|full[- ]scale\s+(?:war|invasion)|special\s+military\s+operation"
    r"|(?:russian|ukrainian)\s+(?:forces|troops|army|military|soldiers|drones?|missiles?|(?:glide\s+)?bombs?|shelling|"
    r"air\s+defen[cs]es?|armed\s+forces|strikes?|attacks?|offensive|counteroffensive|defenders|"
    r"occupation|occupiers|invasion|aggression|prisoners|pows|commanders?|brigades?|units?)"
    r"|coalition\s+of\s+the\s+willing|zaporizhzhia\s+nuclear|grain\s+(?:corridor|deal|initiative)"
    r"|black\s+sea\s+(?:grain|shipping|navigation|ports?|corridor|deal|initiative|ceasefire|truce)"
    r"|prisoner\s+(?:swap|exchange)|kursk\s+(?:incursion|offensive|operation)"
    r"|повномасштабн\w+\s+вторгн\w+|полномасштабн\w+\s+вторжен\w+|російськ\w+\s+агрес\w+"
    r"|российск\w+\s+агресс\w+|специальн\w+\s+военн\w+\s+операц\w+|війн\w*\s+в\s+україн\w+"
    r"|войн\w*\s+(?:в|на|против)\s+украин\w+"
    r")",
    re.IGNORECASE,
)
#: Consequences of the war that name neither its fighting nor Ukraine: since 2022 Russia
#: (and Belarus, its staging ground) being barred from or readmitted to world sport, and
#: the West's diplomacy with Moscow, are the war's doing. Doping bans are not.
WAR_CONSEQUENCE = re.compile(
    r"(?<!\w)(?:"
    r"(?:russia\w*|belarus\w*)\b[^.?!\n]{0,80}?\b(?:ban|banned|bans|barred|suspend\w*|suspension|"
    r"readmi\w*|reinstat\w*|return\w*|neutral|wildcard\w*|exclu\w*)\b[^.?!\n]{0,80}?"
    r"\b(?:sport\w*|olympic\w*|paralympic\w*|ioc|fifa|uefa|football|games|athlet\w*|competition\w*)"
    r"|(?:sport\w*|olympic\w*|paralympic\w*|ioc|fifa|uefa|football|games|athlet\w*|competition\w*)\b"
    r"[^.?!\n]{0,80}?\b(?:ban|banned|bans|barred|suspend\w*|suspension|readmi\w*|reinstat\w*|return\w*|"
    r"neutral|wildcard\w*|exclu\w*)\b[^.?!\n]{0,80}?\b(?:russia\w*|belarus\w*)"
    r"|(?:eu|europe\w*|brussels|nato|the\s+west\w*|washington|u\.?s\.?|american)\b[^.?!\n]{0,80}?"
    r"\b(?:diplomac\w*|envoys?|peace\s+efforts?|dialogue)\b[^.?!\n]{0,40}?\b(?:russia|moscow|the\s+kremlin|putin)\b"
    r"|(?:diplomac\w*|envoys?)\s+(?:with|to)\s+(?:russia|moscow|the\s+kremlin)\b"
    r")",
    re.IGNORECASE,
)
#: Russia's sporting exclusions for doping are older than the war and not about it.
_DOPING = re.compile(r"(?<!\w)(?:doping|dope|wada|rusada|meldonium|anti-doping)", re.IGNORECASE)
#: Subjects that use Ukraine or war words without being the war.
OFF_TOPICS = {
    "impeachment": _lexicon(
        "impeach*", "whistleblower*", "whistle-blower*", "quid pro quo", "giuliani", "burisma",
        "hunter biden", "sondland", "yovanovitch", "vindman", "kurt volker", "schiff", "mulvaney",
        "house intelligence committee", "articles of impeachment", "senate trial",
    ),
    "sport": _lexicon(
        "football*", "soccer", "league", "tournament*", "olympic*", "world cup", "championship*",
        "coach*", "striker", "midfielder", "goalkeeper", "tennis", "grand slam", "wimbledon", "boxing",
        "fifa", "uefa", "eurovision", "song contest", "medal*", "semi-final*", "quarter-final*",
        "matches", "fixtures", "scored", "kick-off", "stadium*", "футбол*", "матч*", "чемпіонат*",
        "чемпионат*", "євробачен*", "евровиден*",
    ),
}
#: "War" in these is another war, or none: removed before the war words are looked for.
OTHER_WARS = re.compile(
    r"(?<!\w)(?:(?:trade|tariff|price|culture|cultural|currency|bidding|turf|talent|information)\s+wars?"
    r"|wars?\s+on\s+(?:drugs|terror|crime|woke)|(?:first|second)\s+world\s+war"
    r"|world\s+war\s+(?:i{1,2}|one|two|1|2)\b|cold\s+war|great\s+patriotic\s+war)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(19[0-9]{2}|20[0-9]{2})(?!\d)")


@dataclass(frozen=True)
class Relevance:
    """The score (0–1), the verdict at the threshold used, and the signals that fired."""

    score: float
    relevant: bool
    reasons: tuple[str, ...]


#: Paragraphs glued without a space ("...defence summit.In the year since"), as feeds'
#: full content often comes: a lowercase word, a full stop, a capital.
_GLUED = re.compile(r"(?<=[a-z][.!?])(?=[A-Z][a-z])|(?<=[a-z][.!?][”\"’])(?=[A-Z][a-z])")


#: A piece ending in one of these did not end a sentence ("U.S. President Donald Trump",
#: "Gen. Valery Gerasimov"): it is joined to the next.
_ABBREVIATION_END = re.compile(
    r"(?<!\w)(?:(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Sen|Rep|Gov|Prof|St|No|Jan|Feb|"
    r"Aug|Sept?|Oct|Nov|Dec)\.)$")


def _sentences(text: str) -> list[str]:
    text = _GLUED.sub(" ", text)
    sentences: list[str] = []
    glue = False
    for piece in (part.strip() for part in sentence_pieces(text)):
        if glue and piece:
            sentences[-1] = f"{sentences[-1]} {piece}"
        elif len(piece) > 2:
            sentences.append(piece)
        else:
            continue
        glue = bool(_ABBREVIATION_END.search(sentences[-1]))
    return sentences


def _is_war_sentence(sentence: str) -> bool:
    """Names the war, or ties a party of it to war words (see the lexicons)."""
    sentence = OTHER_WARS.sub(" ", sentence)
    if WAR_NAMED.search(sentence) or _war_consequence(sentence):
        return True
    ukraine = UKRAINE_SIDE.search(sentence)
    if not (ukraine or RUSSIA_SIDE.search(sentence)):
        return False
    return bool(WAR_TERMS.search(sentence) or (ukraine and CONFLICT_TERMS.search(sentence)))


def _war_words(sentence: str) -> bool:
    """War words alone, or a party of the war with words of conflict and diplomacy ("Witkoff
    held talks with Putin"), for sentences of an article whose subject is already the war."""
    return bool(WAR_TERMS.search(sentence) or HARM_TERMS.search(sentence) or (
        (UKRAINE_SIDE.search(sentence) or RUSSIA_SIDE.search(sentence)) and CONFLICT_TERMS.search(sentence)))


def _war_consequence(text: str) -> bool:
    return bool(WAR_CONSEQUENCE.search(text)) and not _DOPING.search(text)


def _history_only(text: str) -> bool:
    """Mostly dated 1990–2013 with no year of the war (2014 on): a history piece."""
    years = [int(y) for y in _YEAR.findall(text)]
    old = sum(1900 <= y <= 2013 for y in years)
    recent = sum(y >= 2014 for y in years)
    return old >= 3 and recent == 0


#: A text this short (in sentences, headline excluded) is judged as one unit: a feed item's
#: headline and one-line summary say together what a long article spreads over paragraphs.
_SHORT = 3
#: The headline weighs as much as this many body sentences in the share of war sentences.
_HEADLINE_WEIGHT = 3
#: The lead: where a news story states its subject.
_LEAD = 3
#: Features often open on a scene before the news: the war showing up in these first
#: sentences still sets it as the subject for what follows.
_OPENING = 6
#: A war share this high is a main subject even when the lead is elsewhere.
_MAIN_SHARE = 0.3
#: A feature may keep the war out of its headline and first paragraph, but then returns to
#: it all the way through: war sentences in this many of the text's four quarters...
_RUNS_THROUGH_QUARTERS = 3
#: ...and at least this share of its sentences (one in seven). A speech or an essay that
#: touches Ukraine now and then (one sentence in nine or fewer) spreads as wide but thinner.
_RUNS_THROUGH_SHARE = 0.15


def _runs_through(war: list[bool]) -> bool:
    """The war recurs across the whole text, not in one passage (a round-up's item, an aside)."""
    n = len(war)
    quarters = sum(any(war[k * n // 4:(k + 1) * n // 4]) for k in range(4))
    return quarters >= _RUNS_THROUGH_QUARTERS and sum(war) >= _RUNS_THROUGH_SHARE * n


def score_article(title: str, text: str, language: str | None = None,
                  threshold: float = DEFAULT_THRESHOLD) -> Relevance:
    """Score one article (title and body); ``language`` is informational (lexicons cover en/uk/ru)."""
    title = title or ""
    sentences = _sentences(text or "")
    runs_through = False
    if len(sentences) <= _SHORT:
        unit = _is_war_sentence(" ".join([title, *sentences]))
        title_war, war = unit, [unit] * len(sentences)
    else:
        title_war, war = _is_war_sentence(title), [_is_war_sentence(s) for s in sentences]
        runs_through = _runs_through(war)
        if title_war or any(war[:_OPENING]) or runs_through:
            # Once the headline, the lead or the whole text has set the war as the subject,
            # other sentences need not name a party again ("Drones hit three districts overnight").
            war = [w or _war_words(OTHER_WARS.sub(" ", s)) for w, s in zip(war, sentences)]
    n_war = sum(war)
    share = (_HEADLINE_WEIGHT * title_war + n_war) / (_HEADLINE_WEIGHT + len(sentences))
    lead = sum(war[:_LEAD])
    whole = f"{title}\n{text or ''}"
    named = len(WAR_NAMED.findall(whole)) + sum(map(_war_consequence, [title, *sentences]))
    both_sides = bool(UKRAINE_SIDE.search(whole) and RUSSIA_SIDE.search(whole))

    reasons: list[str] = []
    z = -4.0 + 7.0 * share
    if title_war:
        z += 1.0
        reasons.append("headline about the war")
    elif UKRAINE_SIDE.search(title) or RUSSIA_SIDE.search(title):
        z += 0.5
        reasons.append("headline names Ukraine/Russia")
    if n_war or title_war:
        reasons.append(f"{n_war} of {len(sentences)} sentences about the war (weighted share {share:.0%})")
    if n_war:
        z += 0.5 * math.log1p(n_war)
    if lead:
        z += 0.8 * min(lead, 2)
        reasons.append(f"lead: {lead} of the first {min(_LEAD, len(sentences))} sentences about the war")
    elif runs_through:
        reasons.append("the war runs through the text")
    elif not title_war and len(sentences) > _SHORT and share < _MAIN_SHARE:
        # A main subject shows in the headline or the lead; the war only further down is a side topic.
        z -= 1.0
        reasons.append("war absent from headline and lead")
    if named:
        z += 0.4 * min(named, 3)
        reasons.append(f"the war named outright {named}×")
    if both_sides and (n_war or title_war):
        z += 0.5
        reasons.append("both sides named")

    for topic, lexicon in OFF_TOPICS.items():
        hits = len(lexicon.findall(whole))
        if hits >= 2:
            # An explicitly named war outweighs a stray topic word; a topic that dominates does not.
            penalty = min(1.2 * hits, 8.0) / (1.0 + 0.5 * min(named, 6))
            z -= penalty
            reasons.append(f"off-topic signal: {topic} ({hits} terms, -{penalty:.1f})")
    if _history_only(whole):
        z -= 3.0
        reasons.append("history: dated 1900–2013 only")

    score = 1.0 / (1.0 + math.exp(-z))
    if not reasons:
        reasons.append("no sign of the war")
    return Relevance(round(score, 4), score >= threshold, tuple(reasons))


_FEED_MIN_WORDS = 8
#: Words that do not make an article about the war but make a feed item worth a look:
#: the headline of a war story often names neither party ("Leaders join coalition call").
_PREFETCH_HINTS = _lexicon(
    "coalition*", "ally", "allies", "allied", "summit*", "envoy*", "diplomat*", "peace*", "security",
    "defen*", "border*", "nato", "leaders", "air raid*", "alert*", "shelter*", "outage*", "energy",
    "nuclear", "live", "europe*", "eu", "g7", "un", "trump", "white house", "kremlin", "moscow",
    "black sea", "baltic*", "belarus*", "lukashenk*", "poland", "moldova*", "romania*", "georgia",
    "north korea*", "iran*", "oil", "gas", "pipeline*", "tanker*", "cyber*", "hack*", "spy", "spies",
    "sabotage*", "espionage", "treason", "dissident*", "opposition", "navalny",
)


def worth_fetching(title: str, summary: str, language: str | None = None) -> bool:
    """False only for feed items that are clearly not about the war, judged from title and summary.

    Deliberately lenient — a fetch skipped wrongly loses an article, a fetch made
    needlessly costs one request: any party of the war, any war word or an item too short
    to judge is fetched.
    """
    whole = f"{title or ''}\n{summary or ''}"
    if len(re.findall(r"\w+", whole)) < _FEED_MIN_WORDS:
        return True
    return bool(UKRAINE_SIDE.search(whole) or RUSSIA_SIDE.search(whole) or WAR_TERMS.search(whole)
                or CONFLICT_TERMS.search(whole) or WAR_NAMED.search(whole) or _PREFETCH_HINTS.search(whole))
