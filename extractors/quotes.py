"""Quotes in an article, each tied to the mention of the person who said it.

A regex over quotation marks finds most quoted words but says nothing of who spoke them,
and news text defeats it in ways this module handles one by one:

* the attribution sits after the quote (``"…," Starmer said``, ``"…", said Starmer``,
  ``"…" Starmer told reporters``), before it (``Starmer said: "…"``), in the middle of a
  quote split in two (``"First part," he said, "second part."``: both halves get the
  speaker), or nowhere, because the quote carries on from the one before;
* a quote runs over several paragraphs: every paragraph reopens it and only the last one
  closes it; each paragraph becomes one :class:`Quote` (so that ``text[start:end]`` is
  the quoted words with no marks inside) and they share the speaker;
* the speaker is "he", "she", "the president" or "the minister": a pronoun goes to the
  subject of the nearest sentence naming a person of a compatible gender; a role goes to
  the latest person the article gave that role ("Foreign Minister Andrii Sybiha", "Dmitry
  Peskov, the Kremlin spokesman");
* typographic, straight, ``« »`` and ``„ “`` marks; single quotes are often scare quotes
  (a 'coalition of the willing'), so they count only when an attribution sits right next
  to them; a quote that never closes ends with its paragraph;
* mentions inside quoted words never become speakers or antecedents: the speaker talks
  about them.

Reported speech ("Putin said there were issues to work out") comes out with
``direct=False``. Everything is a regex scan or a bisection over sorted offsets, so an
article takes a few milliseconds and a megabyte of text stays linear.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from extractors.entities import Mention


@dataclass(frozen=True)
class Quote:
    """Words attributed to someone; ``text == article[start:end]``, without quote marks."""

    text: str
    start: int
    end: int
    cue: str | None           # the cue verb as written: "said", "told", "according to", "заявив"
    speaker: Mention | None   # None when no speaker is named or it cannot be resolved
    direct: bool              # False for reported speech
    sentence_start: int
    sentence_end: int


def find_quotes(text: str, mentions: list[Mention]) -> list[Quote]:
    """Direct quotes and reported speech in ``text``, in text order.

    ``mentions`` are the article's mentions from ``find_mentions`` (same text, same
    offsets); speakers are chosen among them, or made up as unlinked person mentions when
    an attribution names someone ``find_mentions`` did not return.
    """
    if not text.strip():
        return []
    return _Article(text, mentions).quotes()


# --- Vocabulary ---------------------------------------------------------------------------

def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


#: Verbs that introduce what someone said, in the forms that attribute a quote. Bare
#: present forms that are also nouns ("states", "notes", "posts") are left out.
_SPEECH_VERBS = _words("""
    say says said saying add adds added adding tell tells told telling write writes wrote writing
    warn warns warned warning stress stresses stressed stressing insist insists insisted insisting
    noted noting explain explains explained explaining continued asked replied declared stated
    announced posted tweeted claimed argued argues urged urges vowed pledged promised acknowledged
    admitted recalled commented remarked concluded emphasised emphasized emphasising emphasizing
    underlined cautioned conceded countered responded quipped joked suggested asserted reiterated
    confirmed denied predicted observed boasted complained pleaded reported recounted alleged
    shouted cried
    сказав сказала сказали заявив заявила заявили додав додала додали наголосив наголосила
    зазначив зазначила написав написала повідомив повідомила підкреслив підкреслила розповів
    розповіла попередив попередила
    сказал сказала сказали заявил заявила заявили добавил добавила подчеркнул подчеркнула отметил
    отметила написал написала сообщил сообщила рассказал рассказала предупредил предупредила
""")
#: Verbs that only introduce a few quoted words inside a sentence: Zelenskyy "pressed" allies
#: to define a "clear position"; the Kremlin "called" the talks "constructive".
_EMBEDDING_VERBS = _words("""
    called calls calling described describes describing accused accuses accusing dismissed
    branded labelled labeled pressed presses demanded demands condemned hailed praised welcomed
    criticised criticized slammed denounced termed dubbed vows pledges promises urging
""")
#: Verbs that report speech without quoting it ("Putin said there were issues").
_REPORTING_VERBS = _words("""
    said says told tells added warned warns stressed insisted insists claimed claims argued argues
    noted acknowledged admitted wrote writes explained confirmed suggested announced reiterated
    predicted
""")
_ACCORDING_TO = ("according to", "за словами", "по словам")
_MULTIWORD_CUES = ("pointed out", "went on") + _ACCORDING_TO


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_EDGE_L, _EDGE_R = r"(?<![\w'’-])", r"(?![\w'’-])"
_SPEECH_CUE = re.compile(_EDGE_L + "(?:" + _alternation(_SPEECH_VERBS | set(_MULTIWORD_CUES)) + ")" + _EDGE_R,
                         re.IGNORECASE)
_ANY_CUE = re.compile(_EDGE_L + "(?:" + _alternation(_SPEECH_VERBS | _EMBEDDING_VERBS | set(_MULTIWORD_CUES))
                      + ")" + _EDGE_R, re.IGNORECASE)
_REPORTING_CUE = re.compile(_EDGE_L + "(?:" + _alternation(_REPORTING_VERBS) + ")" + _EDGE_R)

_MALE_PRONOUNS, _FEMALE_PRONOUNS = _words("he він он"), _words("she вона она")
_PLURAL_PRONOUNS = _words("they we вони они мы ми")
_PRONOUN = re.compile(_EDGE_L + "(?:" + _alternation(_MALE_PRONOUNS | _FEMALE_PRONOUNS | _PLURAL_PRONOUNS | {"it"})
                      + ")" + _EDGE_R, re.IGNORECASE)

#: Role nouns a speaker can be named by, and the titles that satisfy them: "the Ukrainian
#: leader" is whoever the article called president or prime minister.
_HEADS_OF_GOVERNMENT = (("president",), ("prime", "minister"), ("premier",), ("chancellor",), ("leader",),
                        ("king",))
_SPOKESPEOPLE = (("spokesman",), ("spokeswoman",), ("spokesperson",), ("press", "secretary"))
_OMBUDSPEOPLE = (("ombudsman",), ("ombudswoman",), ("ombudsperson",), ("human", "rights", "commissioner"))
_ROLE_TITLES: dict[str, tuple[tuple[str, ...], ...]] = {
    "leader": _HEADS_OF_GOVERNMENT,
    "head of state": (("president",), ("king",)),
    "prime minister": (("prime", "minister"), ("premier",)),
    "premier": (("prime", "minister"), ("premier",)),
    "spokesman": _SPOKESPEOPLE, "spokeswoman": _SPOKESPEOPLE, "spokesperson": _SPOKESPEOPLE,
    "press secretary": _SPOKESPEOPLE,
    "ombudsman": _OMBUDSPEOPLE, "ombudswoman": _OMBUDSPEOPLE, "ombudsperson": _OMBUDSPEOPLE,
    "омбудсмен": _OMBUDSPEOPLE + (("омбудсмен",), ("уповноважений",), ("уполномоченный",)),
    "secretary-general": (("secretary-general",), ("secretary", "general")),
    "secretary general": (("secretary-general",), ("secretary", "general")),
    "президент": (("президент",), ("president",)),
    "глава держави": (("президент",), ("president",)), "глава государства": (("президент",), ("president",)),
    "міністр": (("міністр",), ("minister",)), "министр": (("министр",), ("minister",)),
}
_ROLE_HEADS = _words("""
    president chancellor minister premier leader spokesman spokeswoman spokesperson secretary
    commander general chief governor mayor ambassador envoy official adviser advisor aide diplomat
    lawmaker senator king queen pope chairman chairwoman commissioner negotiator ombudsman ombudswoman
    ombudsperson colonel admiral marshal lieutenant captain sergeant brigadier officer director
    representative
    президент міністр министр речник речниця командувач командующий голова губернатор мер посол
    прем'єр-міністр премьер-министр пресс-секретарь омбудсмен омбудсман представник представитель
    головнокомандувач главнокомандующий уповноважений уполномоченный
""") | {"prime minister", "press secretary", "secretary-general", "secretary general", "head of state",
       "глава держави", "глава государства"}
_ROLE_NP = re.compile(
    r"(?:" + _EDGE_L + r"(?:the|a|an|his|her|its|their)\s+)?"
    r"(?P<mods>" + _EDGE_L + r"(?:[\w'’.-]+\s+){0,3}?)(?P<head>" + _alternation(_ROLE_HEADS) + ")" + _EDGE_R,
    re.IGNORECASE)
#: Organisations named by what they are: "the department said", "the ministry added".
_ORGANIZATION_HEADS = _words("""
    ministry department agency office service army military government administration alliance
    bloc commission council committee embassy mission company operator command staff court
    prosecutor's
""")
_ORGANIZATION_NP = re.compile(_EDGE_L + r"(?:the|its|their)\s+(?:[\w'’-]+\s+){0,2}?(?P<head>"
                              + _alternation(_ORGANIZATION_HEADS) + ")" + _EDGE_R, re.IGNORECASE)
#: Titles that "the president" or "the leader" may stand for when the article gave none.
_TOP_ROLES = _words("president leader premier chancellor") | {"prime minister", "head of state"}
#: Words that open a description of an unnamed speaker: "a drone operator said".
_INDEFINITE = _words("a an one another some several two three")
#: Words that may stand in a title or a role phrase: "Ukraine's foreign minister".
_TITLE_WORDS = _ROLE_HEADS | _words("""
    prime foreign defence defense deputy interior vice press armed forces top military security
    national former acting country's nation's kremlin
""")
_NATIONALITY = {
    "ukrainian": "UA", "ukraine's": "UA", "ukraine": "UA", "kyiv's": "UA", "український": "UA",
    "українська": "UA",
    "russian": "RU", "russia's": "RU", "russia": "RU", "kremlin": "RU", "moscow's": "RU", "російський": "RU",
    "российский": "RU",
    "british": "GB", "britain's": "GB", "uk": "GB", "us": "US", "u.s.": "US", "american": "US",
    "america's": "US", "french": "FR", "france's": "FR", "german": "DE", "germany's": "DE",
    "polish": "PL", "poland's": "PL", "italian": "IT", "italy's": "IT", "turkish": "TR",
    "chinese": "CN", "china's": "CN", "belarusian": "BY", "hungarian": "HU", "finnish": "FI",
    "estonian": "EE", "latvian": "LV", "lithuanian": "LT", "dutch": "NL", "canadian": "CA",
}
#: Words in a role phrase that neither name the role nor tell it apart.
_ROLE_FILLER = _words("the a an his her its their former acting then country's nation's top new")

#: First names, to keep "he" off a woman and "she" off a man; unknown names fit both.
_FEMALE_NAMES = _words("""
    ursula kaja giorgia annalena kamala hillary olena yulia yuliia iryna liz theresa kristi maria
    mariya nancy angela tulsi mette sanna ingrida victoria olha olga anna elena olena svetlana
    valentina tatiana tetiana natalia nataliia oksana lyudmyla kateryna karoline kristina marine
    agnes katarina nadiya nadia halyna alina daria sophie sophia sarah rachel linda susan jennifer
    jill kate yvette lisa emily mariana ruslana maia irina lyudmila
""")
_MALE_NAMES = _words("""
    volodymyr vladimir keir donald emmanuel olaf friedrich joe rishi boris andrii andriy dmitry
    dmitri sergei sergey dmytro oleksandr oleksii rustem valery valerii kyrylo mark marco jd pete
    steve keith recep xi viktor andrzej antony lloyd jake yevgeny ramzan denys mykhailo petro ihor
    vitali vitaliy oleh yuriy yuri ivan mykola nikolai alexander aleksandr alexei alexey jens
    david john james robert michael william richard charles george peter paul nigel justin
""")
_FEMALE_TITLES = _words("mrs ms madam spokeswoman chairwoman ombudswoman queen речниця")
_MALE_TITLES = _words("mr spokesman chairman king речник")

#: Words before a name that make it an object, not the subject ("met Starmer", "with Kallas").
_OBJECT_MARKERS = _words("""
    with alongside to from by for about against of at on in near across around through within
    inside outside throughout and or than like between including toward towards into over under
    after before without via as among behind beside besides
    met meets meeting thanked thanks urged urges told asked called accused criticised criticized
    praised invited visited blamed welcomed hosted warned phoned congratulated
""")
_NAME_STOPWORDS = _words("""
    The He She It They We I But And In On At As After Before When While Speaking According Asked
    Mr Mrs Ms Dr President Prime Minister Chancellor General Gen Officials Residents Witnesses
    Analysts Experts Authorities Sources Ukrainians Russians Soldiers Troops Critics Diplomats
    Meanwhile However Later Earlier Also This That These Those There Here His Her Their Its
""")
_SPEAKER_OPENERS = _words("the he she it they we a an his her its their він вона вони он она они")
_ABBREVIATIONS = _words("""
    mr mrs ms dr st gen lt col maj capt sgt rev prof sen rep gov jr sr no vs u.s u.k e.g i.e
    jan feb aug sept oct nov dec
""")

_DOUBLE_MARK = re.compile("[\"“”„«»]")
_DOUBLE_OPENERS = "“„«\"”"
_SINGLE_OPEN = re.compile(r"(?<![^\s(\[—–:-])[‘'](?=[^\s'’‘])")
_SINGLE_CLOSE = re.compile(r"(?<=\S)[’'](?![\w])")
_PARAGRAPH = re.compile(r"[^\n\r\u2028\u2029]+")
_SENTENCE_END = re.compile(r"[.!?…]+[”\"’'»)\]]*")
_ATTRIBUTION_LEAD = re.compile(r"(?:[^\S\n]|[,–—-])*")
_ATTRIBUTION_STOP = re.compile("[.!?;\n“”\"«»„]")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_ADVERBIAL_STARTS = _words("""
    on in at after during before late later earlier today yesterday last this while when as from
    to via with shortly again also then
""")
_AFTER_REPORTING_CUE = re.compile(
    r"(?:\s+(?:(?:on|last|late|early|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"night|week|month|year|morning|afternoon|evening|weekend)"
    r"|(?:in|during|after)\s+(?:a|an|his|her|their|its|the)\s+(?:[\w-]+\s+){0,2}?(?:statement|interview|address|"
    r"speech|post|briefing|video|message|call|conference|meeting|talks)"
    r"|on\s+(?:Telegram|X|Twitter|Facebook|social\s+media)"
    r"|also|later|earlier|again|previously|repeatedly|yesterday|today|recently))*(?:\s+that)?\s+")
#: What may follow "…, the governor said": when and where, then the end of the clause.
_TRAILING_ATTRIBUTION_TAIL = re.compile(
    r"(?:\s+(?:on|in|at|late|early|last|this|during|after|earlier|later|yesterday|today)\b[^,.;]{0,40})?"
    r"\s*(?:[,.;]|$)")
_TOLD_OBJECT = re.compile(r"\s+(?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*|[a-z][\w'’-]*)")
#: Between a cue and a single-quoted passage: nothing, "that", or a few words and a colon or comma.
_TIGHT_TAIL = re.compile(r"(?:(?:\s+[\w'’.-]+){0,4}?\s*[:,]|\s+that)?\s*")


# --- Quote marks --------------------------------------------------------------------------

@dataclass
class _Piece:
    """One paragraph's part of a quote: marks at ``opener`` and ``closer - 1``."""

    opener: int
    start: int                 # the quoted words, trimmed: text[start:end]
    end: int
    closer: int | None         # just past the closing mark; None if the paragraph ended first


@dataclass
class _Group:
    """A quote as the writer meant it: one piece, or one per paragraph it runs over."""

    pieces: list[_Piece] = field(default_factory=list)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _pair_double_quotes(text: str) -> list[_Group]:
    """Pair double marks paragraph by paragraph; the outermost pair of each nest is a quote.

    A paragraph that ends inside a quote continues into the next one when that one opens
    with a mark (the multi-paragraph convention); otherwise the quote ends with its
    paragraph, which keeps an unclosed mark from swallowing the article.
    """
    groups: list[_Group] = []
    continuing: _Group | None = None
    for paragraph in _PARAGRAPH.finditer(text):
        ps, pe = _trimmed_span(text, *paragraph.span())
        if ps == pe:
            continue
        stack: list[str] = []
        group, opener = _Group(), -1
        if continuing is not None and text[ps] in _DOUBLE_OPENERS:
            stack, group, opener = [text[ps]], continuing, ps
        continuing = None
        last_right_quote = text.rfind("”", ps, pe)

        def finish(at: int, closed: bool) -> None:
            """End the open quote at ``at`` (its closing mark, or where it was cut short)."""
            nonlocal group
            start, end = _trimmed(text, opener + 1, at)
            if start < end:
                if not group.pieces:
                    groups.append(group)
                group.pieces.append(_Piece(opener, start, end, at + 1 if closed else None))
            group = _Group()

        for mark in _DOUBLE_MARK.finditer(text, ps, pe):
            i = mark.start()
            if i == opener:
                continue
            c = text[i]
            left = text[i - 1] if i > ps else " "
            right = text[i + 1] if i + 1 < pe else " "
            closer_shaped = not left.isspace() and (right.isspace() or not right.isalnum())
            opener_shaped = (left.isspace() or left in "([—–-:/" + _DOUBLE_OPENERS) and not right.isspace()
            top = stack[-1] if stack else None
            closes = (
                (c == "“" and (top == "„" or (top == "“" and closer_shaped and not opener_shaped)))
                or (c == "”" and top in ("“", "„", "”", '"'))
                or (c == "»" and top == "«")
                or (c == '"' and (top == '"' or (top in ("“", "„", "«") and len(stack) == 1 and closer_shaped
                                                  and not opener_shaped and last_right_quote < i)))
            )
            if closes:
                stack.pop()
                if not stack:
                    finish(i, closed=True)
                continue
            if c == "“" and top == "“" and len(stack) == 1:
                finish(i, closed=False)       # a new quote opens before the last one closed
                stack = []
            opens = c in "“„«" or (c == "”" and top is None and opener_shaped) or (
                c == '"' and ((top is None and not left.isdigit()) or opener_shaped))
            if opens:
                if not stack:
                    opener = i
                stack.append(c)
        if stack:
            open_group = group
            finish(pe, closed=False)
            if open_group.pieces and open_group.pieces[-1].end > opener:
                continuing = open_group
    return groups


def _trimmed_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _is_name_or_term(words: str) -> bool:
    """One or two words in quotation marks with nobody saying them: a name or a term
    («Калібр», the "Oreshnik"), not a quote."""
    return len(words.split()) <= 2 and words[-1] not in ".!?…"


def _without_title(m: Mention) -> Mention | None:
    """An unlinked person's name without the title it was found with: "Energy Minister
    Svitlana Hrynchuk" is Svitlana Hrynchuk; "Голова Львівської" is a title, no name."""
    tokens = list(_NAME_TOKEN.finditer(m.text))
    titled = [i for i, t in enumerate(tokens) if t.group().lower() in _TITLE_WORDS]
    if not titled:
        return m
    rest = tokens[titled[-1] + 1:]
    if len(rest) < 2:
        return None
    start, end = m.start + rest[0].start(), m.start + rest[-1].end()
    name = m.text[rest[0].start():rest[-1].end()]
    return Mention(start, end, name, None, m.type, name, m.via)


# --- Sentences ----------------------------------------------------------------------------

class _Sentences:
    """Sentence starts, never inside quoted words: "We agreed. We will act," is one sentence."""

    def __init__(self, text: str, pieces: list[_Piece]):
        self.text = text
        starts = {0}
        piece_starts = [p.start for p in pieces]
        openers = {p.opener for p in pieces}
        for newline in re.finditer(r"\n\s*", text):
            starts.add(newline.end())
        for end in _SENTENCE_END.finditer(text):
            after = end.end()
            k = after
            while k < len(text) and text[k] in " \t":
                k += 1
            if k >= len(text) or text[k] in "\n\r":
                continue
            nxt = text[k]
            if k > after:
                if not (nxt.isupper() or nxt.isdigit() or nxt in "“„«\"‘'("):
                    continue
            elif not ((nxt.isupper() or nxt in "“„«") and end.start() > 0 and text[end.start() - 1].islower()):
                continue
            if text[end.start()] == "." and self._abbreviation(end.start()):
                continue
            if k - 1 in openers:
                k -= 1          # 'Zelenskyy."We…': the straight mark opens the next sentence
            i = bisect.bisect_right(piece_starts, k) - 1
            if i >= 0 and pieces[i].start < k < pieces[i].end:
                continue
            starts.add(k)
        self.starts = sorted(starts)

    def _abbreviation(self, dot: int) -> bool:
        token = re.search(r"[\w.]*$", self.text[max(0, dot - 12):dot]).group()
        return token.lower() in _ABBREVIATIONS or (len(token) == 1 and token.isupper())

    def index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def span(self, pos: int) -> tuple[int, int]:
        i = self.index(pos)
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        return _trimmed_span(self.text, self.starts[i], end)


# --- Attribution --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Attribution:
    cue: str | None
    cue_start: int
    speaker: Mention | None
    start: int                # the attribution's words, for the sentence span
    end: int


@dataclass(frozen=True)
class _Found:
    """Who a stretch of text names as speaker: ``named`` even when it cannot be resolved."""

    named: bool
    speaker: Mention | None = None
    start: int = 0
    end: int = 0


_NOBODY = _Found(False)


@dataclass(frozen=True)
class _Reference:
    """Where the article refers to a person: a name, or "he"/"the minister" once resolved."""

    start: int
    end: int
    person: Mention


class _Article:
    def __init__(self, text: str, mentions: list[Mention]):
        self.text = text
        self.groups = _pair_double_quotes(text)
        self.pieces = [p for g in self.groups for p in g.pieces]
        self.piece_starts = [p.start for p in self.pieces]
        self.sentences = _Sentences(text, self.pieces)
        named = (_without_title(m) if m.via == "unlinked" and m.type == "person" else m for m in mentions)
        self.mentions = sorted((m for m in named if m is not None and not self.in_quote(m.start)),
                               key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.persons = [_Reference(m.start, m.end, m) for m in self.mentions if m.type == "person"]
        self.person_starts = [r.start for r in self.persons]
        self.titles: dict[object, set[str]] = {}
        self.first_names: dict[object, set[str]] = {}
        for r in self.persons:
            self._learn(r.person)

    # Knowledge about people: titles and first names gathered over the whole article.

    @staticmethod
    def key(m: Mention) -> object:
        if m.entity is not None:
            return m.entity.id
        return ("unlinked", m.name.split()[-1].lower() if m.name.split() else m.name.lower())

    def _learn(self, m: Mention) -> None:
        key = self.key(m)
        titles = self.titles.setdefault(key, set())
        titles.update(w.lower() for w in _WORD.findall(m.text))
        titles.update(self._title_before(m.start))
        appositive = re.match(r"\s*,\s+([^,.;:\n“”\"«»()]{1,60}?)\s*(?=[,.;:]|$)", self.text[m.end:m.end + 80])
        if appositive:
            words = [w.lower() for w in _WORD.findall(appositive.group(1))]
            if any(w in _ROLE_HEADS for w in words) and words[0] not in ("who", "which", "where", "speaking"):
                titles.update(words)
        name = m.entity.name if m.entity is not None else m.name
        first = name.split()[0].lower() if name.split() else ""
        self.first_names.setdefault(key, set()).add(first)

    def _title_before(self, pos: int) -> set[str]:
        """Title words right before a name: "Ukrainian President", "the Kremlin spokesman, ",
        "Речник угруповання військ «Хортиця»" (Cyrillic titles put lowercase words after the
        role noun; they count only once that noun is reached)."""
        window = self.text[max(0, pos - 80):pos].rstrip()
        if window.endswith(","):
            window = window[:-1].rstrip()
        titles: set[str] = set()
        pending: list[str] = []
        for token in reversed(re.findall(r"[\w'’-]+|[^\w\s]", window)[-9:]):
            lower = token.lower()
            if token in "«»“”\"„":
                continue
            if lower in _ROLE_HEADS:
                titles.update(pending, [lower])
                pending.clear()
            elif not pending and (token[0].isupper() or lower in _TITLE_WORDS):
                titles.add(lower)
            elif token[0].isalpha() and not token.isascii():
                pending.append(lower)
            else:
                break
        return titles

    def gender(self, m: Mention) -> str | None:
        key = self.key(m)
        names, titles = self.first_names.get(key, set()), self.titles.get(key, set())
        if names & _FEMALE_NAMES or titles & _FEMALE_TITLES:
            return "f"
        if names & _MALE_NAMES or titles & _MALE_TITLES:
            return "m"
        return None

    def countries(self, m: Mention) -> set[str]:
        found = {_NATIONALITY[w] for w in self.titles.get(self.key(m), ()) if w in _NATIONALITY}
        if m.entity is not None and m.entity.country:
            found.add(m.entity.country)
        return found

    # Positions.

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.piece_starts, pos) - 1
        return i >= 0 and pos < self.pieces[i].end

    def mentions_within(self, a: int, b: int) -> list[Mention]:
        i = bisect.bisect_left(self.mention_starts, a)
        found = []
        while i < len(self.mentions) and self.mentions[i].start < b:
            if self.mentions[i].end <= b:
                found.append(self.mentions[i])
            i += 1
        return found

    def possessive(self, end: int) -> bool:
        """Whether the name ending at ``end`` is a possessive ("Putin's", "Zelenskyy’s", "Jones'")."""
        text = self.text
        return text[end:end + 2] in ("'s", "’s") or (
            text[end - 1:end] == "s" and text[end:end + 1] in ("'", "’") and not text[end + 1:end + 2].isalpha())

    def refer(self, start: int, end: int, person: Mention) -> None:
        """Note that ``text[start:end]`` refers to ``person``, for later pronouns and roles."""
        i = bisect.bisect_left(self.person_starts, start)
        if i < len(self.persons) and self.persons[i].start == start:
            return
        self.persons.insert(i, _Reference(start, end, person))
        self.person_starts.insert(i, start)

    # Who a stretch of text names.

    def speaker_in(self, a: int, b: int, nearest_to_end: bool, single_name: bool = False) -> _Found:
        """The speaker named in ``text[a:b]``.

        ``nearest_to_end``: the words end at the cue ("Speaking with Starmer, Zelenskyy said:")
        so the expression closest to it wins; otherwise the words start right after a quote
        ("Peskov, the Kremlin spokesman, said") and the first person wins.
        """
        if a >= b:
            return _NOBODY
        text = self.text
        mentions = [m for m in self.mentions_within(a, b) if not self.possessive(m.end) and m.type != "weapon"]
        people = [(m.start, m.end, "person", m) for m in mentions if m.type == "person"]
        objects = [p for p in people if self.object_position(p[0])]     # "with Starmer", "met Kallas"
        covered = [(m.start, m.end) for m in mentions if m.type == "person"]
        expressions = [(r.start(), r.end(), "role", r) for r in _ROLE_NP.finditer(text, a, b)
                       if not any(s < r.end() and r.start() < e for s, e in covered)]
        expressions += [(p.start(), p.end(), "pronoun", p) for p in _PRONOUN.finditer(text, a, b)
                        if not any(s <= p.start() < e for s, e in covered) and (
                            p.group().lower() in _MALE_PRONOUNS | _FEMALE_PRONOUNS
                            or len(text[p.end():b].split()) <= 3)]   # "Russia said it would…, and Kyiv said"
        if nearest_to_end:
            order = sorted(people + expressions, key=lambda c: (c not in objects, c[0]), reverse=True)
        else:
            order = [p for p in people if p not in objects] + sorted(expressions, key=lambda c: c[0]) + objects
        unresolved = None
        for start, end, kind, obj in order:
            if kind == "person":
                return _Found(True, self.person_speaker(obj), start, end)
            resolved = self.resolve_role(obj) if kind == "role" else self.resolve_pronoun(obj)
            if resolved is not None:
                if resolved.type == "person":
                    self.refer(start, end, resolved)
                return _Found(True, resolved, start, end)
            unresolved = unresolved or _Found(True, None, start, end)
        if unresolved:
            return unresolved
        words = text[a:b].split()
        if not nearest_to_end and not people and words and words[0].lower() in _INDEFINITE:
            return _Found(True, None, a, b)
        others = [m for m in mentions if m.type != "person" and not self.object_position(m.start)]
        if others:
            m = others[-1]
            return _Found(True, m, m.start, m.end)
        organizations = list(_ORGANIZATION_NP.finditer(text, a, b))
        if organizations:
            np = organizations[-1] if nearest_to_end else organizations[0]
            return _Found(True, self.recent_organization(np.start(), np.group("head").lower()), np.start(), np.end())
        return self.unlinked_name(a, b, nearest_to_end, single_name)

    def unlinked_name(self, a: int, b: int, last: bool, single_name: bool) -> _Found:
        """A capitalised name that ``find_mentions`` missed, as an unlinked person mention."""
        runs: list[list[re.Match]] = []
        previous = ""
        for token in _NAME_TOKEN.finditer(self.text, a, b):
            word, after_the, previous = token.group(), previous == "the", token.group().lower()
            if not word[0].isupper() or word in _NAME_STOPWORDS or previous in _NATIONALITY or (
                    after_the and not (runs and runs[-1])):
                runs.append([])
                continue
            if runs and runs[-1] and self.text[runs[-1][-1].end():token.start()] == " ":
                runs[-1].append(token)
            else:
                runs.append([token])
        runs = [r for r in runs if len(r) >= (1 if single_name else 2) and not self.object_position(r[0].start())]
        if not runs:
            return _NOBODY
        run = runs[-1] if last else runs[0]
        start, end = run[0].start(), run[-1].end()
        name = self.text[start:end]
        mention = Mention(start, end, name, None, "person", name, "unlinked")
        self.refer(start, end, mention)
        self._learn(mention)
        return _Found(True, mention, start, end)

    def person_speaker(self, m: Mention) -> Mention:
        """A role mention without a nationality ("the president") goes to the article's president."""
        if m.via == "role" and not any(w.lower() in _NATIONALITY for w in _WORD.findall(m.text)):
            role = _ROLE_NP.search(m.text)
            if role:
                resolved = self._resolve_role(role.group("head"), role.group("mods"), m.start)
                if resolved is not None:
                    return resolved
        return m

    def resolve_pronoun(self, pronoun: re.Match) -> Mention | None:
        """He/she: the subject of the nearest sentence that names a person of that gender."""
        word, pos = pronoun.group().lower(), pronoun.start()
        if word == "it":
            return self.recent_organization(pos)
        if word in _PLURAL_PRONOUNS:
            return None
        gender = "m" if word in _MALE_PRONOUNS else "f"
        return self.nearest_subject(pos, lambda person: self.gender(person) in (None, gender))

    def nearest_subject(self, pos: int, fits) -> Mention | None:
        """The subject of the nearest sentence before ``pos`` that names a person who ``fits``:
        its first name not in object position, else its last ("Zelenskyy thanked Starmer")."""
        sentence, chosen = None, []
        oldest_sentence = self.sentences.index(pos) - 8
        i = bisect.bisect_left(self.person_starts, pos)
        for j in range(i - 1, max(-1, i - 80), -1):
            reference = self.persons[j]
            if reference.end > pos or self.possessive(reference.end):
                continue
            s = self.sentences.index(reference.start)
            if s < oldest_sentence or (sentence is not None and s != sentence):
                break
            if fits(reference.person):
                sentence = s
                chosen.append(reference)
        for reference in reversed(chosen):
            if not self.object_position(reference.start):
                return reference.person
        return chosen[0].person if chosen else None

    def object_position(self, pos: int) -> bool:
        """Whether the name at ``pos`` follows a preposition or a verb that takes it as object."""
        tokens = re.findall(r"[\w'’.-]+|[^\w\s]", self.text[max(0, pos - 60):pos])
        for token in reversed(tokens):
            lower = token.lower()
            if token[0].isupper() or lower in _TITLE_WORDS or lower in ("the", "a", "an"):
                continue
            return lower in _OBJECT_MARKERS
        return False

    def recent_organization(self, pos: int, head: str | None = None) -> Mention | None:
        """The latest organisation named before ``pos`` ("it said"), or the latest whose name
        has ``head`` in it ("the department said" after "the State Department")."""
        i = bisect.bisect_left(self.mention_starts, pos)
        candidates = [m for m in self.mentions[max(0, i - 60):i]
                      if m.type in ("organization", "group") and m.start >= pos - 5000]
        if head is None:     # "it said": only an organisation of this sentence or the one before
            oldest = self.sentences.index(pos) - 1
            return next((m for m in reversed(candidates)
                         if not self.possessive(m.end) and self.sentences.index(m.start) >= oldest), None)
        return (next((m for m in reversed(candidates) if head in m.text.lower()), None)
                or next((m for m in reversed(candidates) if head in m.name.lower()), None))

    def resolve_role(self, role: re.Match) -> Mention | None:
        return self._resolve_role(role.group("head"), role.group("mods"), role.start())

    def _resolve_role(self, head: str, mods: str, pos: int) -> Mention | None:
        """The latest person before ``pos`` whose titles fit "the [Ukrainian] [foreign] minister"."""
        head = " ".join(head.lower().split())
        titles_needed = _ROLE_TITLES.get(head, ((head,),))
        words = {w.lower().rstrip(".") for w in _WORD.findall(mods)} - _ROLE_FILLER
        nations = {_NATIONALITY[w] for w in words if w in _NATIONALITY}
        qualifiers = {w for w in words if w not in _NATIONALITY}
        fallback, seen = None, set()
        i = bisect.bisect_left(self.person_starts, pos)
        for j in range(i - 1, max(-1, i - 200), -1):
            reference = self.persons[j]
            person, key = reference.person, self.key(reference.person)
            if reference.start < pos - 20_000:
                break
            if reference.end > pos or key in seen:
                continue
            seen.add(key)
            titles = self.titles.get(key, set())
            if not any(all(t in titles for t in title) for title in titles_needed):
                continue
            countries = self.countries(person)
            if nations and countries and not nations & countries:
                continue
            if qualifiers <= titles:
                return person
            fallback = fallback or person
        if fallback is None and head in _TOP_ROLES:
            fallback = self.nearest_subject(pos, lambda person: self._may_hold(person, nations))
        return fallback

    def _may_hold(self, person: Mention, nations: set[str]) -> bool:
        """Whether a person the article gave no title may be "the [Ukrainian] president": only
        someone in the registry (a resident quoted by name is not), of a fitting country."""
        titles = self.titles.get(self.key(person), set())
        countries = self.countries(person)
        return (person.entity is not None and not titles & _ROLE_HEADS
                and not (nations and countries and not nations & countries))

    # Attributions around a quote.

    def after(self, closer: int, ended_sentence: bool) -> _Attribution | None:
        """``"…," Starmer said`` / ``"…", said Starmer`` / ``"…" he told reporters``."""
        text = self.text
        p = _ATTRIBUTION_LEAD.match(text, closer).end()
        limit = min(len(text), p + 160)
        stop = _ATTRIBUTION_STOP.search(text, p, limit)
        window_end = stop.start() if stop else limit
        cue = _SPEECH_CUE.search(text, p, window_end)
        if cue is None:
            return None
        if cue.start() == p:
            comma = text.find(",", cue.end(), window_end)
            found = self.speaker_in(cue.end(), comma if comma != -1 else window_end, False, True)
        else:
            slot = text[p:cue.start()]
            first = slot.split()[0] if slot.split() else ""
            if len(slot) > 90 or not (first[:1].isupper() or first.lower() in _SPEAKER_OPENERS):
                return None
            if ended_sentence and not self._clause_free(cue):
                return None
            found = self.speaker_in(p, cue.start(), False, True)
            if not found.named and len(slot.split()) <= 4:
                found = _Found(True, None, p, cue.start())      # "a resident said": nobody to link
        if not found.named:
            return None
        return _Attribution(cue.group(), cue.start(), found.speaker, p, max(cue.end(), found.end))

    def _clause_free(self, cue: re.Match) -> bool:
        """After a quote that ended its sentence, ``Starmer said.`` attributes it but
        ``Starmer said he agreed`` starts a sentence of its own."""
        rest = self.text[cue.end():cue.end() + 40].split()
        return (not rest or rest[0][0] in ".,;" or rest[0].lower().strip(".,") in _ADVERBIAL_STARTS
                or cue.group().lower() in ("told", "tells"))

    def before(self, opener: int, context_start: int, tight: bool,
               carried: _Found = _NOBODY) -> _Attribution | None:
        """``Starmer said: "…"``, or the speech verb a few quoted words sit in.

        ``carried``: the speaker of a quote whose attribution this context starts right
        after; ``"…," Syrskyi said, adding that it was "extremely difficult"`` has no
        subject of its own before "adding".
        """
        text = self.text
        context_start = max(context_start, opener - 300)
        cues = list((_SPEECH_CUE if tight else _ANY_CUE).finditer(text, context_start, opener))
        if not cues:
            return None
        cue = cues[-1]
        if tight:
            tail = _TIGHT_TAIL.fullmatch(text, cue.end(), opener)
            if tail is None:
                return None
        if " ".join(cue.group().lower().split()) in _ACCORDING_TO:
            comma = text.find(",", cue.end(), opener)
            found = self.speaker_in(cue.end(), comma if comma != -1 else opener, False, True)
        else:
            found = self.speaker_in(max(context_start, cue.start() - 250), cue.start(), True)
            inverted = re.match(r"\s+([^:,]{1,40})[:,]", text[cue.end():opener])   # said Zelenskyy: "…"
            if not found.named and inverted and len(inverted.group(1).split()) <= 4:
                found = self.speaker_in(cue.end(), cue.end() + inverted.end(1), False, True)
        if not found.named and carried.named and re.fullmatch(r"[\s,;–—-]*(?:and\s+)?",
                                                             text[context_start:cue.start()]):
            found = _Found(True, carried.speaker, cue.start(), cue.start())
        if not found.named:
            return None
        return _Attribution(cue.group(), cue.start(), found.speaker, min(found.start, cue.start()),
                            max(cue.end(), found.end))

    # The quotes.

    def quotes(self) -> list[Quote]:
        quotes: list[Quote] = []
        used_cues: set[int] = set()
        previous_speaker: Mention | None = None
        previous_cue: str | None = None
        previous_end = -1
        for group in self.groups:
            first, last = group.pieces[0], group.pieces[-1]
            context_start = max(self.sentences.span(first.opener)[0], previous_end if previous_end > 0 else 0)
            ended_sentence = self.text[last.end - 1] == "." and last.closer is not None
            after = self.after(last.closer, ended_sentence) if last.closer is not None else None
            carried = _Found(True, previous_speaker) if previous_end > 0 and context_start == previous_end else _NOBODY
            before = self.before(first.opener, context_start, False, carried)
            attribution = (before or after) if ended_sentence else (after or before)
            if attribution is not None and attribution.speaker is None:
                other = before if attribution is after else after
                if other is not None and other.speaker is not None:
                    attribution = other
            if attribution is not None:
                speaker, cue = attribution.speaker, attribution.cue
                used_cues.add(attribution.cue_start)
            else:
                speaker, cue = self.carried_speaker(first.opener, previous_end, previous_speaker, previous_cue)
                if speaker is None and len(group.pieces) == 1 and _is_name_or_term(self.text[first.start:first.end]):
                    continue
            for piece in group.pieces:
                low, high = piece.opener, piece.closer or piece.end
                if attribution is not None and attribution is before and piece is first:
                    low = min(low, attribution.start)
                if attribution is not None and attribution is after and piece is last:
                    high = max(high, attribution.end)
                quotes.append(self._quote(piece.start, piece.end, cue, speaker, True, low, high))
            previous_speaker, previous_cue = speaker, cue
            previous_end = last.closer if last.closer is not None else last.end
            if attribution is not None and attribution is after:
                previous_end = attribution.end
        quotes += self.single_quotes(used_cues)
        quotes += self.reported_speech(used_cues)
        quotes.sort(key=lambda q: (q.start, q.end))
        return quotes

    def carried_speaker(self, opener: int, previous_end: int, previous_speaker: Mention | None,
                        previous_cue: str | None) -> tuple[Mention | None, str | None]:
        """Speaker and cue of a quote with no attribution of its own.

        The previous quote's, when the rest of its attribution sentence is all that lies
        between: the second half of ``"…," Macron told a news conference with Zelenskyy, "…"``
        (same cue) or the next sentence in ``"…," Yusov told Ukrainian television. "…"``.
        Else, for a quote that opens a sentence, the speaker of the last speech verb in the
        sentence before ("Zelenskyy urged neighbours to help. "Our neighbours can help us."").
        """
        text = self.text
        if previous_end >= 0:
            gap = text[previous_end:opener]
            if re.fullmatch(r"[^\n“”\"«»„.!?]{0,150}[,:;—–-]\s*", gap):
                return previous_speaker, previous_cue
            if re.fullmatch(r"[\s.,;:!?—–-]*", gap) or (
                    re.fullmatch(r"[^\n“”\"«»„]{0,150}?[.!?]\s*", gap)
                    and not any(previous_end <= p.start < opener for p in self.persons_near(previous_end))):
                return previous_speaker, None
        s = self.sentences.index(opener)
        if s == 0 or self.sentences.starts[s] != opener:
            return None, None
        start, end = self.sentences.span(self.sentences.starts[s - 1])
        cues = [c for c in _ANY_CUE.finditer(text, start, end) if not self.in_quote(c.start())]
        if not cues:
            return None, None
        return self.speaker_in(start, cues[-1].start(), True).speaker, None

    def persons_near(self, pos: int) -> list[_Reference]:
        """The persons named in the 200 characters from ``pos``."""
        i = bisect.bisect_left(self.person_starts, pos)
        return [p for p in self.persons[i:i + 10] if p.start < pos + 200]

    def _quote(self, start: int, end: int, cue: str | None, speaker: Mention | None, direct: bool,
               low: int, high: int) -> Quote:
        sentence_start = self.sentences.span(low)[0]
        sentence_end = self.sentences.span(max(low, high - 1))[1]
        return Quote(self.text[start:end], start, end, cue, speaker, direct, sentence_start, sentence_end)

    def single_quotes(self, used_cues: set[int]) -> list[Quote]:
        """Single-quoted words, only when an attribution sits right next to them."""
        text = self.text
        covered = sorted((p.opener, p.closer or p.end) for p in self.pieces)
        covered_starts = [c[0] for c in covered]
        found: list[Quote] = []
        taken_until = -1
        for opening in _SINGLE_OPEN.finditer(text):
            o = opening.start()
            i = bisect.bisect_right(covered_starts, o) - 1
            if o < taken_until or (i >= 0 and o < covered[i][1]):
                continue
            paragraph_end = text.find("\n", o)
            limit = min(paragraph_end if paragraph_end != -1 else len(text), o + 600)
            closers = [c.start() for c in _SINGLE_CLOSE.finditer(text, o + 2, limit)]
            punctuated = [c for c in closers if text[c - 1] in ",.!?…"]
            for c in dict.fromkeys(punctuated[:1] + closers[:1]):
                start, end = _trimmed(text, o + 1, c)
                if start >= end:
                    continue
                ended = text[end - 1] == "."
                sentence_start = self.sentences.span(o)[0]
                attribution = self.after(c + 1, ended) or self.before(o, sentence_start, True)
                if attribution is None:
                    continue
                used_cues.add(attribution.cue_start)
                low, high = min(o, attribution.start), max(c + 1, attribution.end)
                found.append(self._quote(start, end, attribution.cue, attribution.speaker, True, low, high))
                taken_until = c + 1
                break
        return found

    def reported_speech(self, used_cues: set[int]) -> list[Quote]:
        """``Putin said there were issues`` and ``Two people were injured, the governor said``."""
        text = self.text
        found: list[Quote] = []
        for cue in _REPORTING_CUE.finditer(text):
            cs = cue.start()
            if cs in used_cues or self.in_quote(cs):
                continue
            sentence_start, sentence_end = self.sentences.span(cs)
            clause_start = self._clause_after(cue, sentence_end)
            if clause_start is not None:
                clause_end = self._clause_end(clause_start, sentence_end)
                speaker = self.speaker_in(max(sentence_start, cs - 80), cs, True)
                if (speaker.named and len(text[clause_start:clause_end].split()) >= 3
                        and re.fullmatch(r"[^.;:!?]{0,60}", text[speaker.end:cs])):
                    found.append(Quote(text[clause_start:clause_end], clause_start, clause_end, cue.group(),
                                       speaker.speaker, False, sentence_start, sentence_end))
                    continue
            comma = text.rfind(",", sentence_start, cs)
            if (comma == -1 or len(text[comma + 1:cs].split()) > 6
                    or not _TRAILING_ATTRIBUTION_TAIL.match(text, cue.end(), sentence_end)):
                continue
            slot_words = text[comma + 1:cs].split()
            if not slot_words or not (slot_words[0][0].isupper() or slot_words[0].lower() in _SPEAKER_OPENERS):
                continue
            speaker = self.speaker_in(comma + 1, cs, False)
            if not speaker.named:
                speaker = _Found(True, None, comma + 1, cs)         # "the Ukrainian air force said"
            clause_start, clause_end = _trimmed(text, sentence_start, comma)
            clause = text[clause_start:clause_end]
            if len(clause.split()) >= 3 and not _DOUBLE_MARK.search(clause):
                found.append(Quote(clause, clause_start, clause_end, cue.group(), speaker.speaker, False,
                                   sentence_start, sentence_end))
        return found

    def _clause_after(self, cue: re.Match, sentence_end: int) -> int | None:
        """Where the reported words start: past "told reporters", "on Friday", "that"."""
        text = self.text
        k = cue.end()
        if cue.group() in ("told", "tells"):
            that = re.match(r"(?:\s+[\w'’.-]+){1,8}?\s+that\s+", text[k:sentence_end])
            if that:
                return k + that.end()
            obj = _TOLD_OBJECT.match(text, k, sentence_end)
            if obj is None:
                return None
            k = obj.end()
        adverbials = _AFTER_REPORTING_CUE.match(text, k, sentence_end)
        if adverbials is None:
            return None
        k = adverbials.end()
        if k >= sentence_end or not text[k].isalpha() or text[k:k + 12].split()[0].lower() in _ADVERBIAL_STARTS:
            return None
        return k

    def _clause_end(self, start: int, sentence_end: int) -> int:
        end = sentence_end
        while end > start and (self.text[end - 1] in ".!?…”\"’»)" or self.text[end - 1].isspace()):
            end -= 1
        return end
