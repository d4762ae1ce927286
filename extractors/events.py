"""Who did what to whom, where and when: PLOVER events from the sentences of an article.

Events are found by trigger lexicons, one sentence at a time, and filled in from what the
other extractors already found in the same sentence: actors and recipients from the
entity mentions around the trigger, the date from ``timeexpr``, the numbers from
``quantities``. It is a dictionary coder in the tradition of TABARI/PETRARCH, not a
parser, so it reads word order, not syntax:

* actor: the nearest mention before the trigger (with any joined to it by "and" or a
  comma) that is not behind a preposition; for a passive trigger ("was occupied by
  Ukrainian forces") the mention after "by"; for "received" the roles swap;
* recipient: the first mention after the trigger, directly or after "on / against / to /
  with / at / for", with those joined to it;
* location: for events that happen somewhere (attacks, protests, deployments, meetings,
  arrests, withdrawals) the place they act on ("struck Kharkiv", "withdrew from
  Kherson"); else the place after "in / near / at / into ..." nearest the trigger ("the
  Danube port of Izmail" is Izmail); else, except for attacks, the place of a wire
  dateline ("BRUSSELS —"), where statements and meetings were reported from;
* date: the time expression nearest the trigger in the sentence, else none.

Types and modes follow the PLOVER manual (openeventdata/PLOVER, PLOVER_MANUAL.tex, and its
CAMEO2PLOVER-2021.txt table). ``cameo`` is the root of the CAMEO code of the trigger's
meaning, so one PLOVER type may carry two roots: REQUEST is 02 (appeal) or 10 (demand),
ACCUSE 11 (criticise, accuse) or 09 (investigate), ASSAULT 19 (conventional military
force), 18 (unconventional violence: executions, abductions, torture) or 20 (mass
killing). Signing an agreement is SUPPORT (CAMEO 057); the actual release or exchange of
prisoners is RETREAT with mode ``release`` (the manual: "the actual release or exchange
of prisoners should be coded as RETREAT"), while CONCEDE is kept for verbal concessions;
material cooperation only promised ("Germany would supply") is AGREE, as PLOVER reads
cooperative actions in the future tense as intentions. ``acled`` is the ACLED event type
where one applies: attacks by remote weapons are "Explosions/Remote violence", ground
fighting "Battles", executions and abductions "Violence against civilians", protests
"Protests" / "Riots", and arrests, declared ceasefires, withdrawals and interceptions
"Strategic developments".

Negated triggers ("did not reject", "without fully rejecting", "a pause in fighting") give
no event, nor does what a speech act demands, alleges or threatens ("accused Kyiv of
shelling", "threatened to strike"): that is the content of the accusation or threat.
Modal, planned and future events ("could mobilise", "will meet") keep a lower
confidence. One event per type per sentence: "struck ... killing three" is one attack.
English is covered best; a short Ukrainian and Russian lexicon (stems) catches the
commonest reports (удар, обстріл, обмін полоненими, закликав, обвинила...).
"""
from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass
from datetime import date, datetime

from extractors.entities import Mention
from extractors.quantities import Quantity, find_quantities
from extractors.timeexpr import TimeExpression, find_time_expressions

__all__ = ["MAX_SENTENCE", "Event", "Quantity", "find_events", "split_sentences"]

REMOTE = "Explosions/Remote violence"
BATTLES = "Battles"
CIVILIANS = "Violence against civilians"
STRATEGIC = "Strategic developments"


@dataclass(frozen=True)
class Event:
    type: str
    mode: str | None
    cameo: str
    acled: str | None
    actors: tuple[Mention, ...]
    recipients: tuple[Mention, ...]
    location: Mention | None
    date: date | None
    date_precision: str | None
    quantities: tuple[Quantity, ...]
    sentence: str
    start: int
    end: int
    confidence: float


@dataclass(frozen=True)
class _Trigger:
    """One entry of the lexicon.

    ``heads`` are the words a trigger starts with (a trailing ``*`` accepts any ending, which
    also serves Ukrainian and Russian inflection); ``tail`` is a regex for what must follow
    the head word ("sanctions" after "imposed"). Both are matched on the lowercased text.
    """

    type: str
    cameo: str
    heads: str
    confidence: float
    tail: str = ""
    mode: str | None = None
    acled: str | None = None
    subject_receives: bool = False  # "Ukraine received jets": the subject is the recipient


def _gap(words: int) -> str:
    """Up to ``words`` words between a head and its tail ("signed a new security agreement")."""
    return r"\s+(?:[\w$€£'’.,-]+\s+){0," + str(words) + r"}?"


_AID_NOUNS = (r"(?:weapons|arms|ammunition|shells|aid|assistance|air[- ]defen[cs]es?|systems|tanks|jets|"
              r"f-16s|himars|patriots?|missiles|drones|equipment|funding|funds|loans?|grants?|package|"
              r"supplies|vehicles|generators|troops|money)\b")
_CAPTIVES = r"(?:prisoners|pows|captives|hostages|detainees|children|servicemen|soldiers|bodies|civilians)\b"

# Order matters where two entries share a head word: the first whose tail matches wins
# ("lifted sanctions" is a retreat, not a sanction; "struck a deal" is not an attack).
_TRIGGERS: list[_Trigger] = [
    # SUPPORT (05): verbal, diplomatic support; signing agreements (CAMEO 057).
    _Trigger("SUPPORT", "05", "signed signs signing struck inked sealed", 0.75,
             _gap(4) + r"(?:deal|agreement|accord|memorandum|treaty|pact|declaration)s?\b"),
    _Trigger("SUPPORT", "05", "expressed voiced reaffirmed reiterated declared pledged offered", 0.65,
             _gap(3) + r"(?:support|solidarity|backing)\b"),
    _Trigger("SUPPORT", "05", "praised praises endorsed endorses welcomed welcomes hailed hails backed backs "
             "thanked thanking congratulated congratulates привітав* поздрави*", 0.5),
    # RETREAT (08): material concessions.
    _Trigger("RETREAT", "08", "release released releases releasing free freed frees swap swapped swapping exchange "
             "exchanged exchanging return returned returning repatriate repatriated repatriating", 0.8,
             _gap(8) + _CAPTIVES, mode="release"),
    _Trigger("RETREAT", "08", "handed", 0.8, r"\s+over" + _gap(3) + _CAPTIVES, mode="release"),
    _Trigger("RETREAT", "08", "prisoner", 0.7, r"\s+(?:swap|exchange)s?\b", mode="release"),
    _Trigger("RETREAT", "08", "обмін* обмен* звільн* освобо*", 0.6, mode="release"),
    _Trigger("RETREAT", "08", "відійшл* відступ* отошл* отступ*", 0.6, mode="withdraw", acled=STRATEGIC),
    _Trigger("RETREAT", "08", "lifted lifts eased eases relaxed", 0.7,
             _gap(2) + r"(?:sanctions|restrictions|blockade|curfew)\b", mode="ease"),
    _Trigger("RETREAT", "08", "withdrew withdraw withdraws withdrawn withdrawing withdrawal retreat retreated "
             "retreating retreats ceded", 0.7, mode="withdraw", acled=STRATEGIC),
    _Trigger("RETREAT", "08", "pulled pulls", 0.7, r"\s+(?:back|out)\b", mode="withdraw", acled=STRATEGIC),
    # SANCTION (16): reduced relations, sanctions, expulsions.
    _Trigger("SANCTION", "16", "impos* introduc* adopt* approv* announc* slap* extend* unveil* expand* "
             "tighten* level*", 0.8, _gap(4) + r"sanctions\b"),
    _Trigger("SANCTION", "16", "sanctioned sanctioning санкці* санкци*", 0.7),
    _Trigger("SANCTION", "16", "sanctions", 0.7, r"\s+(?:package|on|against)\b"),
    _Trigger("SANCTION", "16", "expel expels expelled expelling", 0.8,
             _gap(3) + r"(?:diplomats|ambassadors?|envoys?)\b", mode="expel"),
    _Trigger("SANCTION", "16", "cut severed severs suspended suspends", 0.7,
             _gap(2) + r"(?:ties|relations)\b", mode="sever"),
    _Trigger("SANCTION", "16", "broke", 0.7, r"\s+off" + _gap(2) + r"(?:ties|relations)\b", mode="sever"),
    _Trigger("SANCTION", "16", "halted halts paused pauses froze freezes suspended cut", 0.65,
             r"(?:\s+off)?" + _gap(3) + r"(?:aid|assistance|intelligence\s+sharing|funding|supplies|shipments)\b",
             mode="sever"),
    _Trigger("SANCTION", "16", "cancelled canceled cancels", 0.7,
             _gap(2) + r"(?:talks|meeting|summit|visit|negotiations)\b", mode="cancel"),
    _Trigger("SANCTION", "16", "called", 0.7, r"\s+off" + _gap(2) + r"(?:talks|meeting|summit|visit|negotiations)\b",
             mode="cancel"),
    # AGREE (03): intent to cooperate, promises, acceptance.
    _Trigger("AGREE", "03", "agreed agrees agree agreeing", 0.8,
             r"(?:\s+in\s+principle|\s+[\w-]+){0,3}?\s+(?:to|on|that)\b"),
    _Trigger("AGREE", "03", "responded reacted", 0.6, r"\s+positively\b"),
    _Trigger("AGREE", "03", "propose proposed proposes proposing", 0.5),
    _Trigger("AGREE", "03", "accept accepted accepts accepting погодил* согласил* домовил* договорил*", 0.6),
    _Trigger("AGREE", "03", "pledged pledges promised promises vowed vows", 0.6),
    _Trigger("AGREE", "03", "committed offered", 0.6, r"\s+to\b"),
    _Trigger("AGREE", "03", "offered offers", 0.5),
    _Trigger("AGREE", "03", "expressed", 0.5, r"\s+(?:its\s+|his\s+|her\s+|their\s+)?(?:readiness|willingness)\b"),
    # CONCEDE (08): verbal concessions, declared (not yet implemented) ceasefires.
    _Trigger("CONCEDE", "08", "declared declares announced announces", 0.7,
             _gap(2) + r"(?:ceasefire|truce|moratorium)\b", acled=STRATEGIC),
    _Trigger("CONCEDE", "08", "conceded concedes concede concession concessions pardoned pardons apologised "
             "apologized apologises apologizes goodwill", 0.6),
    # COOPERATE (06): mutual material cooperation.
    _Trigger("COOPERATE", "06", "joint", 0.65,
             r"\s+(?:military\s+)?(?:exercises?|drills?|production|patrols?|ventures?|operations?|"
             r"(?:investment\s+)?funds?)\b"),
    _Trigger("COOPERATE", "06", "share shared sharing", 0.6, r"\s+intelligence\b"),
    _Trigger("COOPERATE", "06", "intelligence", 0.6, r"\s+sharing\b"),
    _Trigger("COOPERATE", "06", "intelligence-sharing cooperate cooperated cooperates cooperating cooperation "
             "co-operate co-operated co-operates co-operating co-operation co-produc* coproduc*", 0.5),
    _Trigger("COOPERATE", "06", "jointly", 0.6, r"\s+produc\w*"),
    # AID (07): provision of material aid.
    _Trigger("AID", "07", "deliver delivered delivers delivering send sends sent sending supplied supplies supply "
             "supplying provide provided provides providing donate donated donates donating ship shipped ships "
             "shipping transfer transferred transfers transferring allocate allocated allocates allocating", 0.7,
             _gap(6) + _AID_NOUNS),
    _Trigger("AID", "07", "supplied provided donated delivered", 0.6, r"\s+by\b"),
    _Trigger("AID", "07", "handed", 0.7, r"\s+over" + _gap(6) + _AID_NOUNS),
    _Trigger("AID", "07", "handed", 0.5, r"\s+over\b"),
    _Trigger("AID", "07", "received receives receiving", 0.6, _gap(6) + _AID_NOUNS, subject_receives=True),
    _Trigger("AID", "07", "delivery deliveries", 0.5, r"\s+of\b"),
    _Trigger("AID", "07", "approve approved approves approving grant granted grants disburse disbursed disburses "
             "unveil unveiled unveils", 0.65, _gap(6) + _AID_NOUNS),
    _Trigger("AID", "07", "military humanitarian financial economic", 0.6, r"\s+(?:aid|assistance)\s+package\b"),
    # REQUEST: appeals (CAMEO 02) and demands (10).
    _Trigger("REQUEST", "10", "demand demanded demands demanding вимага* требова* требу*", 0.75),
    _Trigger("REQUEST", "10", "insist insisted insists", 0.5, r"\s+(?:on|that)\b"),
    _Trigger("REQUEST", "02", "call called calls calling", 0.7, r"\s+(?:on|for|upon)\b"),
    _Trigger("REQUEST", "02", "urge urged urges urging appeal appealed appeals appealing request requested "
             "requests requesting plead pleaded pleads begged заклик* призва* призыв*", 0.7),
    _Trigger("REQUEST", "02", "ask asked asks asking pressed presses pressing", 0.65, _gap(3) + r"(?:for|to)\b"),
    # ACCUSE: disapproval and accusation (11), investigation (09).
    _Trigger("ACCUSE", "11", "accuse accused accuses accusing condemn condemned condemns condemning criticise "
             "criticised criticises criticising criticize criticized criticizes criticizing denounce denounced "
             "denounces denouncing blame blamed blames blaming decried decries sued sues slammed lambasted "
             "mocked ridiculed derided звинуват* обвини*", 0.75),
    _Trigger("ACCUSE", "11", "called calling calls", 0.6,
             _gap(4) + r"(?:illegitimate|illegal|barbaric|terror\w*|cynical|criminal|outrageous|a\s+provocation|"
             r"a\s+(?:war\s+)?crime|lies|propaganda|absurd|unacceptable|genocide)\b"),
    _Trigger("ACCUSE", "09", "investigat* probe probed probes probing", 0.5),
    # REJECT (12)
    _Trigger("REJECT", "12", "reject rejected rejects rejecting rebuffed vetoed vetoes dismissed dismisses "
             "відхили* відкину* отклони* отверг*", 0.75),
    _Trigger("REJECT", "12", "refuse refused refuses refusing decline declined declines", 0.7, r"\s+to\b"),
    _Trigger("REJECT", "12", "turned", 0.7, r"\s+down\b"),
    _Trigger("REJECT", "12", "not", 0.6, r"\s+(?:recogni[sz]e|accept|bow|tolerate|allow)\b"),
    _Trigger("REJECT", "12", "ruled", 0.7, r"\s+out\b"),
    # THREATEN (13)
    _Trigger("THREATEN", "13", "threaten threatened threatens threatening ultimatum ultimatums", 0.75),
    _Trigger("THREATEN", "13", "warned warns", 0.45),
    _Trigger("THREATEN", "13", "retaliate retaliated retaliation retaliatory погрож* пригрози* угрожа*", 0.6),
    _Trigger("THREATEN", "13", "not", 0.6, r"\s+(?:go|remain)\s+(?:unanswered|unpunished)\b"),
    _Trigger("THREATEN", "13", "walk", 0.5, r"\s+away\b"),
    _Trigger("THREATEN", "13", "respond responded", 0.6,
             r"\s+(?:accordingly|decisively|harshly|in\s+kind|with\s+force|militarily)\b"),
    # PROTEST (14)
    _Trigger("PROTEST", "14", "riot riots rioted rioting rioters", 0.65, mode="riot", acled="Riots"),
    _Trigger("PROTEST", "14", "hunger general", 0.65, r"\s+strikes?\b", mode="strike", acled="Protests"),
    _Trigger("PROTEST", "14", "went", 0.65, r"\s+on\s+strike\b", mode="strike", acled="Protests"),
    _Trigger("PROTEST", "14", "protest protests protested protesting protesters demonstration demonstrations "
             "demonstrators rallied rally rallies picket picketed pickets", 0.65, mode="demo", acled="Protests"),
    # COERCE (17): repression, arrests, deportations, seizures of property.
    _Trigger("COERCE", "17", "seize seized seizes seizing confiscat* froze frozen", 0.7,
             _gap(3) + r"(?:assets|property|ships?|tankers?|vessels?|funds|accounts)\b", mode="confiscate"),
    _Trigger("COERCE", "17", "arrest arrested arrests arresting detain detained detains detaining detention jailed "
             "imprisoned sentenced convicted indicted", 0.75, mode="arrest", acled=STRATEGIC),
    _Trigger("COERCE", "17", "charged", 0.75, _gap(3) + r"with\b", mode="arrest", acled=STRATEGIC),
    _Trigger("COERCE", "17", "state", 0.6, r"\s+of\s+emergency\b", mode="martial-law"),
    _Trigger("COERCE", "17", "ban banned bans barred", 0.5, mode="ban"),
    _Trigger("COERCE", "17", "deport deported deports deporting deportation deportations expelled", 0.7,
             mode="deport"),
    _Trigger("COERCE", "17", "forcibly", 0.7, r"\s+(?:transferred|relocated|removed)\b", mode="deport"),
    _Trigger("COERCE", "17", "martial", 0.5, r"\s+law\b", mode="martial-law"),
    _Trigger("COERCE", "17", "curfew", 0.5, mode="curfew"),
    _Trigger("COERCE", "17", "annex annexed annexes annexing annexation", 0.6, mode="confiscate"),
    # MOBILIZE (15): force posture short of using force.
    _Trigger("MOBILIZE", "15", "mobilis* mobiliz* conscription conscripted conscripts call-up recruit recruited "
             "recruits recruiting recruitment мобіліз* мобилиз* перекида* перебрас*", 0.7, mode="troops"),
    _Trigger("MOBILIZE", "15", "scramble scrambled scrambling", 0.6, mode="weapons"),
    _Trigger("MOBILIZE", "15", "draft", 0.7, r"\s+(?:age|law|campaign)\b", mode="troops"),
    _Trigger("MOBILIZE", "15", "deploy deployed deploys deploying deployment deployments amass amassed amasses "
             "amassing massed massing build-up buildup reinforce reinforced reinforces reinforcing reinforcements",
             0.6, mode="troops"),
    _Trigger("MOBILIZE", "15", "put placed", 0.6, _gap(3) + r"on\s+(?:high\s+|combat\s+)?alert\b", mode="weapons"),
    _Trigger("MOBILIZE", "15", "military naval nuclear", 0.6, r"\s+(?:exercises|drills)\b", mode="weapons"),
    # ASSAULT: mass (CAMEO 20), unconventional (18) and conventional (19) violence.
    _Trigger("ASSAULT", "20", "massacre massacred massacres genocide", 0.7, acled=CIVILIANS),
    _Trigger("ASSAULT", "20", "mass", 0.7, r"\s+killings?\b", acled=CIVILIANS),
    _Trigger("ASSAULT", "20", "ethnic", 0.7, r"\s+cleansing\b", acled=CIVILIANS),
    _Trigger("ASSAULT", "18", "executed executing execution executions", 0.7, mode="execute", acled=CIVILIANS),
    _Trigger("ASSAULT", "18", "summarily", 0.7, r"\s+(?:killed|shot|executed)\b", mode="execute", acled=CIVILIANS),
    _Trigger("ASSAULT", "18", "torture tortured tortures torturing", 0.7, mode="torture", acled=CIVILIANS),
    _Trigger("ASSAULT", "18", "abduct abducted abducts abducting abduction kidnap kidnapped kidnaps kidnapping", 0.7,
             mode="abduct", acled=CIVILIANS),
    _Trigger("ASSAULT", "18", "assassinat*", 0.75, mode="assassinate"),
    _Trigger("ASSAULT", "19", "launched launches launching fired fires firing unleashed", 0.8,
             _gap(4) + r"(?:drones?|missiles?|rockets?|attacks?|strikes?|offensive|counter-?offensive|assault|"
             r"barrage|salvo|shells|bombs)\b"),
    _Trigger("ASSAULT", "19", "intercepted downed збил* сбил*", 0.6, acled=STRATEGIC),
    _Trigger("ASSAULT", "19", "destroyed destroying damaged damaging знищил* знищено уничтожил* уничтожено", 0.5),
    _Trigger("ASSAULT", "19", "shot", 0.6, r"\s+down\b", acled=STRATEGIC),
    _Trigger("ASSAULT", "19", "shelled shelling bombard*", 0.7, mode="artillery", acled=REMOTE),
    _Trigger("ASSAULT", "19", "airstrike airstrikes bombed bombing bombings", 0.7, mode="airstrike", acled=REMOTE),
    _Trigger("ASSAULT", "19", "air", 0.7, r"\s+strikes?\b", mode="airstrike", acled=REMOTE),
    _Trigger("ASSAULT", "19", "struck strike strikes striking pounded pounding targeted targeting attack attacked "
             "attacks attacking raid raided raids", 0.65),
    _Trigger("ASSAULT", "19", "hit hits hitting explosion explosions blast blasts", 0.45),
    _Trigger("ASSAULT", "19", "удар* обстріл* обстрел* атак* штурм* боєзіткнен* боестолкновен* захопл* захват*", 0.6),
    _Trigger("ASSAULT", "19", "збит* сбит* знешкодж* обезвред* влучан* попадани* пошкодж* поврежд*", 0.5),
    _Trigger("ASSAULT", "19", "просун* продвину* продвига* наступ наступу наступом наступає наступают наступа "
             "бої боїв боях бои боев", 0.6, mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "counteroffensive counter-offensive offensive incursion advance advanced advances "
             "advancing captured capture captures seized seize recaptured retook liberated occupied stormed storming "
             "clashed clashes fought battle battles battled battling repelled repulsed encircl* assault assaults "
             "liberation", 0.6, mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "crossed", 0.55, r"\s+(?:the\s+border|into)\b", mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "gained gain gaining gains", 0.55, r"\s+(?:a\s+)?(?:foothold|ground)\b",
             mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "took", 0.6, r"\s+control\b", mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "regain regained regaining regains", 0.6, r"\s+(?:ground|control)\b",
             mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "fighting invasion invaded invade", 0.4, mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "kill killed killing kills", 0.55),
    # CONSULT (04): meetings, talks, calls, visits.
    _Trigger("CONSULT", "04", "phone telephone", 0.7, r"\s+(?:call|conversation)s?\b", mode="phone"),
    _Trigger("CONSULT", "04", "phoned", 0.7, mode="phone"),
    _Trigger("CONSULT", "04", "call", 0.6, r"\s+with\b", mode="phone"),
    _Trigger("CONSULT", "04", "videoconference video-conference", 0.7, mode="virtual"),
    _Trigger("CONSULT", "04", "video", 0.7, r"\s*(?:conference|call|link)\b", mode="virtual"),
    _Trigger("CONSULT", "04", "held hold holds holding", 0.75,
             _gap(2) + r"(?:talks|discussions|negotiations|consultations)\b", mode="talks"),
    _Trigger("CONSULT", "04", "met meet meets convene convened convenes convening", 0.7, mode="meeting"),
    _Trigger("CONSULT", "04", "meeting meetings summit summits зустр* встреч*", 0.55, mode="meeting"),
    _Trigger("CONSULT", "04", "host hosted hosts hosting", 0.55, mode="meeting"),
    _Trigger("CONSULT", "04", "received", 0.5, r"\s+by\b", mode="visit"),
    _Trigger("CONSULT", "04", "talks negotiate negotiated negotiates negotiating negotiation negotiations "
             "consultations discuss discussed discusses discussing discussion discussions переговор* перемовин*",
             0.55, mode="talks"),
    _Trigger("CONSULT", "04", "visit visits visited visiting", 0.6, mode="visit"),
    _Trigger("CONSULT", "04", "travelled traveled trip", 0.5, r"\s+to\b", mode="visit"),
    _Trigger("CONSULT", "04", "spoke speaks talked", 0.7, r"\s+(?:by|over\s+the)\s+(?:phone|telephone)\b",
             mode="phone"),
    _Trigger("CONSULT", "04", "spoke speaks talked", 0.6,
             r"\s+(?:by\s+(?:phone|telephone)\s+)?(?:with|to)\b"
             r"(?!\s+(?:reporters|journalists|the\s+(?:media|press)|media|press)\b)", mode="meeting"),
]

_TAILS = [re.compile(t.tail) if t.tail else None for t in _TRIGGERS]
_EXACT_HEADS: dict[str, list[int]] = {}
_PREFIX_HEADS: dict[str, list[tuple[str, int]]] = {}
for _index, _trigger in enumerate(_TRIGGERS):
    for _head in _trigger.heads.split():
        if _head.endswith("*"):
            _PREFIX_HEADS.setdefault(_head[:3], []).append((_head[:-1], _index))
        else:
            _EXACT_HEADS.setdefault(_head, []).append(_index)
#: A word of the lowercased text; hyphenated compounds are one word, so "Russian-occupied"
#: and "US-backed" are not "occupied" and "backed".
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _heads_of(word: str) -> list[int]:
    """Indices of the triggers that may start with ``word``, in lexicon order."""
    exact = _EXACT_HEADS.get(word, [])
    stems = _PREFIX_HEADS.get(word[:3])
    if stems is None:
        return exact
    return sorted({*exact, *(i for stem, i in stems if word.startswith(stem))})


def _lowercase(text: str) -> str:
    """``text`` lowercased with its offsets kept (a few characters change length when lowered)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def _find_triggers(text: str) -> list[tuple[int, int, int]]:
    """``(start, end, trigger index)`` of the triggers in ``text``, non-overlapping, in order."""
    lowered = _lowercase(text)
    found: list[tuple[int, int, int]] = []
    covered = 0
    for word in _WORD.finditer(lowered):
        if word.start() < covered:
            continue
        for index in _heads_of(word.group()):
            tail = _TAILS[index]
            match = tail.match(lowered, word.end()) if tail else None
            if tail is None or match:
                found.append((word.start(), match.end() if match else word.end(), index))
                covered = found[-1][1]
                break
    return found


#: Mode cues looked for across the sentence; for attacks the cue nearest the trigger wins.
_ASSAULT_MODES = [
    ("glide-bomb", r"glide[- ]bombs?|guided\s+(?:aerial\s+)?bombs?|KABs?"),
    ("drone", r"drones?|UAVs?|Shaheds?|Gerans?|unmanned|kamikaze"),
    ("missile", r"missiles?|Iskanders?|Kinzhals?|Kalibrs?|Kh-\d+|ATACMS|Storm\s+Shadows?|Oreshnik"),
    ("airstrike", r"air\s*strikes?|airstrikes?|warplanes?|bombers?|aerial\s+bomb\w*|bombed|bombing"),
    ("artillery", r"artillery|shell(?:ed|ing|s)|howitzers?|mortars?|MLRS|Grads?|HIMARS|rocket\s+launchers?"),
    ("ground", r"ground\s+(?:assault|attack|offensive|troops|forces)|offensive|incursion|infantry|"
               r"storm(?:ed|ing)|assault\s+troops|tanks|clash(?:ed|es)|fighting"),
]
_ASSAULT_MODE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{m.replace('-', '_')}>{p})" for m, p in _ASSAULT_MODES) + r")\b", re.I)
_REMOTE_MODES = {"glide-bomb", "drone", "missile", "airstrike", "artillery"}
#: CONSULT modes by precedence: a "virtual meeting" is virtual, "talks during a visit" a visit.
_CONSULT_MODES = [
    ("virtual", re.compile(r"\b(?:virtual(?:ly)?|video\s*(?:conference|call|link)|online\s+(?:meeting|talks)|"
                           r"videoconference)\b", re.I)),
    ("phone", re.compile(r"\b(?:phone|telephone|phoned)\b", re.I)),
    ("visit", re.compile(r"\b(?:visit(?:s|ed|ing)?|trip\s+to|travelled\s+to|traveled\s+to)\b", re.I)),
    ("talks", re.compile(r"\b(?:talks|negotiat\w+)\b", re.I)),
]
_AID_MODES = [
    ("military", re.compile(r"\b(?:weapons|arms|ammunition|shells|air[- ]defen[cs]es?|military|tanks|jets|"
                            r"F-16s|HIMARS|Patriots?|missiles|drones|troops)\b", re.I)),
    ("humanitarian", re.compile(r"\b(?:humanitarian|food|medical|medicine|generators|shelter)\b", re.I)),
    ("economic", re.compile(r"\b(?:financial|economic|budget|loans?|grants?|funding|funds|money)\b|[$€£]", re.I)),
]

_WORDS = re.compile(r"[\w’']+")
#: Words that cancel a trigger among the three before it.
_NEGATION = re.compile(r"\b(?:not|never|no|without|nor|neither|yet\s+to|failed\s+to|refus\w+\s+to|"
                       r"declin\w+\s+to|не|ні|нет)\b|n[’']t\b", re.I)
#: Words that cancel violence: "a pause in fighting", "calls to stop attacks".
_CESSATION = re.compile(r"\b(?:pause|halt|end|stop|cessation|lull|truce|ceasefire)\b", re.I)
#: Unrealised or unproven events: conditions, modals, prevention, plots, allegations, and
#: infinitives ("threatened to strike", "called on allies to send").
_MODAL = re.compile(r"\b(?:if|could|would|might|may|should|ready\s+to|willing\s+to|prepared\s+to|"
                    r"in\s+the\s+event|prevent(?:s|ed|ing)?|deter(?:s|red|ring)?|avoid(?:s|ed|ing)?|"
                    r"plott(?:ed|ing)|plots?|plann(?:ed|ing)|prepar(?:ed|ing)|suspected|"
                    r"accus(?:e|ed|es|ing)|alleg(?:e|ed|es|ing|edly))\b|\bto\s+$", re.I)
#: Speech acts whose object is another event: "accused Kyiv of shelling", "threatened to
#: strike", "called on allies to send", "rejected any deployment". A trigger inside their
#: scope states what is said, demanded or promised, not an event of its own.
_SPEECH_ACTS = {"ACCUSE", "REQUEST", "REJECT", "THREATEN", "AGREE"}
#: Where such a scope ends: a new clause.
_SCOPE_END = re.compile(r"[;:—–]|,\s*(?:and|but|while|as|after|which|who)\b|"
                        r"\b(?:while|but|after|before|when|because|although|whereas)\b", re.I)
#: A promise stated after a noun trigger: "a prisoner exchange ... would take place".
_PROMISE_AFTER = re.compile(r"[^,;.!?]{0,60}?\b(?:will|would|shall)\b", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|this|that|another|new)\s+(?:[\w-]+\s+)?$", re.I)
#: "the attack", "these strikes", "Sunday's talks": a definite noun phrase, read as a
#: reference back to an event already reported when one of its type came before.
_ANAPHOR_BEFORE = re.compile(
    r"\b(?:the|this|that|these|those|such|its|their|his|her|[\w]+[’']s)\s+(?:[\w-]+\s+)?$", re.I)
_FUTURE_WORDS = r"will|shall|plan(?:s|ned)?\s+to|(?:is|are)\s+(?:due|set|expected)\s+to"
_FUTURE = re.compile(rf"\b(?:{_FUTURE_WORDS})\b|[’']ll\b", re.I)
#: What makes material cooperation a promise: the future, or "would" of reported speech.
_PROMISE = re.compile(rf"\b(?:would|{_FUTURE_WORDS})\b|[’']ll\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:\w+ly\s+)?$", re.I)
_CLAUSE = re.compile(r"[,;:—–()\"“”]|\b(?:and|but|while|as|after|before|when|which|who|that)\b", re.I)
#: Prepositions that put a place in the location slot ("in Kursk", "near the town of Pokrovsk").
_LOCATIVE = re.compile(
    r"\b(?:in|near|at|outside|around|across|into|inside|over|towards?|throughout|within)\s+"
    r"(?:the\s+)?(?:(?:[\w'’-]+\s+){0,4}?(?:of)\s+)?(?:[\w'’-]+\s+)?$", re.I)
#: "the Danube port of Izmail", "the Saudi Red Sea city of Jeddah": the place after "of" is
#: the one meant.
_PLACE_OF = re.compile(r"^\s+(?:[\w'’-]+\s+){0,2}?(?:city|town|village|port|region|district|oblast|province|"
                       r"settlement|capital)\s+of\s+(?:the\s+)?$", re.I)
#: What may stand between a preposition or verb and the name: "the", "the central Ukrainian
#: city of", "its ally".
_NAME_LEAD = r"(?:(?:the|a|an|its|his|her|their)\s+)?(?:(?:[\w'’-]+\s+){0,3}?of\s+)?"
#: Prepositions before a recipient ("sanctions on Russia", "talks with Zelenskyy").
_RECIPIENT_LEAD = re.compile(r"^\s*(?:[\w'’-]+\s+){0,4}?(?:on|against|to|with|at|for|from|upon)\s+"
                             + _NAME_LEAD + "$", re.I)
#: A direct object: at most a few words between trigger and mention, none a clause break.
_DIRECT = re.compile(r"^\s*(?:[\w'’-]+\s+){0,2}" + _NAME_LEAD + "$", re.I)
#: Prepositions that make a place the target of a physical event ("attack on Kyiv", "withdrew
#: from Kherson"); "border with Ukraine" does not.
_TARGET_LEAD = re.compile(r"\b(?:on|against|at|into|to|from)\s+" + _NAME_LEAD + "$", re.I)
_JOINED = re.compile(r"^\s*(?:,|and|&|as\s+well\s+as|,\s*and)\s*(?:the\s+)?$", re.I)
_BY = re.compile(r"^\s*(?:[\w'’-]+\s+){0,6}?by\s+(?:the\s+)?$", re.I)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|near|at|outside|around|across|into|inside|over|towards?|on|against|with|to|from|for|"
    r"about|upon)\s+(?:the\s+)?$", re.I)
#: "for Kyiv to mobilise": a mention after "for" that is the subject of an infinitive.
_INFINITIVE_AFTER = re.compile(r"\s+to\s+[a-z]")

_ROLE_TYPES = {"person", "organization", "group", "place"}
#: Events that happen somewhere: a place they act on is their location ("struck Kharkiv",
#: "withdrew from Kherson"), where for the others it is a recipient ("sanctions on Russia").
_PHYSICAL = {"ASSAULT", "PROTEST", "MOBILIZE", "CONSULT", "COERCE", "RETREAT"}
#: Material cooperation that the clause only promises ("Germany would supply", "an exchange
#: will take place") is an AGREE: PLOVER takes cooperative actions in the future tense as
#: intentions.
_PROMISABLE = {"AID", "RETREAT", "COOPERATE"}
#: How far from its trigger an actor or a recipient may be, in characters.
_REACH = 160

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "jr", "sr", "prof", "gov",
    "sen", "rep", "rev", "no", "vs", "etc", "e.g", "i.e", "u.s", "u.k", "u.n", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "adm", "brig", "cpl",
    "pte", "inc", "ltd", "co", "corp", "dept", "est", "fig", "min", "mt", "op",
}
#: An upper-case place opening the text, then a date or a country, then a dash or a full stop.
_DATELINE = re.compile(r"\s*[^\W\d_a-zа-яіїєґ][^\W\da-zа-яіїєґ]+(?:[ /][^\W\da-zа-яіїєґ]+)*"
                       r"(?:,[^—–\n]{1,40}?)?\s*(?:—|–|--|\.\s)")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*|\n+")
_LAST_TOKEN = re.compile(r"[\w.]+$")
#: Longer "sentences" (tables, pages without punctuation) are cut at a space before this
#: many characters: an event's sentence is evidence to show, not a whole page.
MAX_SENTENCE = 1000


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, whitespace trimmed.

    A sentence ends at a line break, or at ``.!?`` (with closing quotes) before a capital,
    digit or opening quote, also without a space ("Zelenskyy.“We agreed", as scraped
    pages glue paragraphs). Abbreviations and initials ("Mr.", "U.S.", "J.") do not end one.
    """
    bounds = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if m.group()[0] != "\n":
            following = text[end:end + 2]
            glued = following[:1] and not following[:1].isspace()
            nxt = following.lstrip()[:1] if not glued else following[:1]
            if not nxt or not (nxt.isupper() or nxt.isdigit() or nxt in "\"'“‘("):
                continue
            word = _LAST_TOKEN.search(text, max(start, m.start() - 12), m.start())
            token = word.group().lower() if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
            if glued and not (m.start() > 0 and text[m.start() - 1].islower()):
                continue
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    trimmed = []
    for s, e in _cut_long(text, bounds):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _cut_long(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    cut = []
    for s, e in bounds:
        while e - s > MAX_SENTENCE:
            space = text.rfind(" ", s + MAX_SENTENCE // 2, s + MAX_SENTENCE)
            piece_end = space if space > 0 else s + MAX_SENTENCE
            cut.append((s, piece_end))
            s = piece_end
        cut.append((s, e))
    return cut


def _between(items: list, starts: list[int], lo: int, hi: int) -> list:
    """The items (sorted by ``start``) that start in ``[lo, hi)``."""
    return items[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, hi)]


def _left_of(text: str, sentence_start: int, position: int, width: int) -> str:
    """Up to ``width`` characters of the sentence before ``position``."""
    return text[max(sentence_start, position - width):position]


#: Violence that is warded off or imagined, not reported: "to prevent Russia from attacking
#: Ukraine again", "deter any future invasion", "in case of an attack".
_AVERTED = re.compile(
    r"\b(?:prevent\w*|stop\w*|deter\w*|protect\w*\s+\w+\s+against|guard\w*\s+against|"
    r"in\s+case\s+of|in\s+the\s+event\s+of|any\s+(?:future|new|renewed)|would\s+be|risk\s+of)\b[^.;]*$",
    re.IGNORECASE,
)


def _is_negated(text: str, sentence_start: int, trigger: _Trigger, trigger_start: int) -> bool:
    """A negation among the three words before the trigger: "did not agree", "without fully
    rejecting"; for violence also a cessation ("a pause in fighting") or an averted or
    imagined attack ("to prevent Russia from attacking Ukraine again")."""
    window = _left_of(text, sentence_start, trigger_start, 40)
    words = " ".join(_WORDS.findall(window)[-3:])
    if _NEGATION.search(words):
        return True
    if trigger.type != "ASSAULT":
        return False
    return _CESSATION.search(words) is not None or _AVERTED.search(window) is not None


def _clause_head(text: str, sentence_start: int, trigger_start: int) -> str:
    """The text of the trigger's clause before the trigger (after the last comma or conjunction)."""
    window = _left_of(text, sentence_start, trigger_start, 80)
    cut = 0
    for m in _CLAUSE.finditer(window):
        cut = m.end()
    return window[cut:]


def _assault_mode(sentence: str, trigger_at: int) -> str | None:
    """The weapon or manner of attack named nearest the trigger."""
    best = None
    for m in _ASSAULT_MODE_RE.finditer(sentence):
        distance = max(m.start() - trigger_at, trigger_at - m.end(), 0)
        if best is None or distance < best[0]:
            best = (distance, m.lastgroup.replace("_", "-"))
    return best[1] if best else None


def _first_mode(sentence: str, table: list[tuple[str, re.Pattern]]) -> str | None:
    return next((mode for mode, pattern in table if pattern.search(sentence)), None)


def _mode_and_acled(trigger: _Trigger, sentence: str, trigger_at: int) -> tuple[str | None, str | None]:
    mode, acled = trigger.mode, trigger.acled
    if trigger.type == "ASSAULT" and trigger.cameo == "19":
        if mode is None:
            mode = _assault_mode(sentence, trigger_at)
        if acled is None and mode is not None:
            acled = REMOTE if mode in _REMOTE_MODES else BATTLES
    elif trigger.type == "CONSULT":
        mode = _first_mode(sentence, _CONSULT_MODES) or mode
    elif trigger.type == "AID":
        mode = _first_mode(sentence, _AID_MODES)
    return mode, acled


@dataclass(frozen=True)
class _SentenceMentions:
    """The mentions of one sentence and what the words before each say about its role."""

    mentions: list[Mention]
    locative: list[bool]  # a place after "in / near / into ...": a location, not a participant
    prepositional: list[bool]  # after a preposition: not the subject of a verb


def _sentence_mentions(text: str, sentence_start: int, mentions: list[Mention]) -> _SentenceMentions:
    locative, prepositional = [], []
    for i, m in enumerate(mentions):
        left = text[max(sentence_start, m.start - 60):m.start]
        narrowed = (i + 1 < len(mentions) and mentions[i + 1].type == "place"
                    and _PLACE_OF.match(text[m.end:mentions[i + 1].start]) is not None)
        locative.append(m.type == "place" and not narrowed and _LOCATIVE.search(left) is not None)
        prepositional.append(_PREPOSITION_BEFORE.search(left) is not None
                             and _INFINITIVE_AFTER.match(text, m.end) is None)
    return _SentenceMentions(mentions, locative, prepositional)


def _joined_group(text: str, mentions: list[Mention], index: int, step: int) -> list[Mention]:
    """The mention at ``index`` and those joined to it by "and" / commas, walking by ``step``."""
    group = [mentions[index]]
    i = index + step
    while 0 <= i < len(mentions):
        a, b = (mentions[i], group[-1]) if step < 0 else (group[-1], mentions[i])
        if mentions[i].type not in _ROLE_TYPES or not _JOINED.match(text[a.end:b.start]):
            break
        group.append(mentions[i])
        i += step
    return group[::-1] if step < 0 else group


def _roles(text: str, sentence_start: int, context: _SentenceMentions, trigger: _Trigger,
           t_start: int, t_end: int) -> tuple[tuple, tuple, Mention | None]:
    """Actors, recipients and location of one trigger from the mentions of its sentence."""
    mentions = context.mentions
    participants = [i for i, m in enumerate(mentions) if m.type in _ROLE_TYPES and not context.locative[i]]
    before = [i for i in participants if mentions[i].end <= t_start and t_start - mentions[i].end <= _REACH]
    after = [i for i in participants if mentions[i].start >= t_end and mentions[i].start - t_end <= _REACH]
    head = text[t_start:t_end].split()[0].lower()
    passive = (not head.endswith("ing")
               and _PASSIVE.search(text[max(sentence_start, t_start - 30):t_start]) is not None)
    subject = next((i for i in reversed(before) if not context.prepositional[i]), None)

    actors: list[Mention] = []
    recipients: list[Mention] = []
    acted_on: Mention | None = None  # a place the trigger acts on: "struck Kharkiv"
    if passive:
        agent = next((i for i in after if _BY.match(text[t_end:mentions[i].start])), None)
        if agent is not None:
            actors = _joined_group(text, mentions, agent, 1)
        if subject is not None:
            if trigger.type in _PHYSICAL and mentions[subject].type == "place":
                acted_on = mentions[subject]
            else:
                recipients = _joined_group(text, mentions, subject, -1)
    else:
        if subject is not None:
            actors = _joined_group(text, mentions, subject, -1)
        for i in after:
            gap = text[t_end:mentions[i].start]
            direct = _DIRECT.match(gap) is not None
            if not direct and not _RECIPIENT_LEAD.match(gap):
                continue
            group = [m for m in _joined_group(text, mentions, i, 1) if m not in actors]
            targeted = direct or (trigger.type != "CONSULT" and _TARGET_LEAD.search(gap) is not None)
            if trigger.type in _PHYSICAL and mentions[i].type == "place" and targeted:
                acted_on = mentions[i]
                group = [m for m in group[1:] if m.type != "place"]
            recipients = group
            break

    if trigger.subject_receives:
        actors, recipients = recipients, actors

    def distance(m: Mention) -> int:
        return m.start - t_end if m.start >= t_end else t_start - m.end

    located = [m for m, is_locative in zip(mentions, context.locative) if is_locative]
    location = acted_on or (min(located, key=distance) if located else None)
    return tuple(actors), tuple(recipients), location


def _dateline(text: str, mentions: list[Mention]) -> Mention | None:
    """The place of a wire dateline ("KYIV, June 28 (Reuters) —", "BRUSSELS —", "MOSCOW, March 13.").

    It is where the article's statements and meetings were reported from, so it stands in
    for their location when the sentence names none.
    """
    head = _DATELINE.match(text)
    if head is None:
        return None
    return next((m for m in mentions if m.type == "place" and m.start < head.end() and m.text.isupper()), None)


def _nearest_time(expressions: list[TimeExpression], t_start: int, t_end: int) -> TimeExpression | None:
    return min(expressions, key=lambda e: max(e.start - t_end, t_start - e.end, 0), default=None)


def _confidence(base: float, clause: str, actors, recipients, location, when) -> float:
    """The trigger's own confidence, raised by the roles and date found, lowered when the clause
    is modal or future."""
    score = base
    score += 0.1 if actors else -0.1
    score += 0.05 if (recipients or location) else 0.0
    score += 0.05 if when is not None else 0.0
    if _MODAL.search(clause):
        score -= 0.2
    elif _FUTURE.search(clause):
        score -= 0.1
    return round(min(0.95, max(0.05, score)), 2)


def _classify(trigger: _Trigger, text: str, clause: str, sentence: tuple[int, int], t_start: int,
              t_end: int) -> tuple[str, str, str | None, str | None]:
    """``(type, cameo, mode, acled)`` of a trigger in its clause: material cooperation that is
    only promised becomes AGREE."""
    s_start, s_end = sentence
    promised = _PROMISE.search(clause) or (
        _DETERMINER_BEFORE.search(clause) and _PROMISE_AFTER.match(text, t_end, s_end))
    if trigger.type in _PROMISABLE and promised:
        return "AGREE", "03", None, None
    mode, acled = _mode_and_acled(trigger, text[s_start:s_end], t_start - s_start)
    return trigger.type, trigger.cameo, mode, acled


#: A speaker reporting their own act or decision: the quote states an event.
_FIRST_PERSON_ACT = re.compile(
    r"(?<!\w)(?:we|i)\s+(?:have\s+|had\s+|also\s+|just\s+)?(?:agreed|decided|signed|approved|"
    r"launched|struck|hit|destroyed|shot\s+down|downed|captured|liberated|retook|withdrew|"
    r"delivered|sent|received|imposed|met|spoke|discussed|exchanged|returned|released)\b",
    re.IGNORECASE,
)


def _quoted_rhetoric(text: str, quoted: list[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies in a direct quote that does not report the speaker's own act."""
    for q_start, q_end in quoted:
        if q_start <= position < q_end:
            return not _FIRST_PERSON_ACT.search(text, q_start, position + 1 + 40)
    return False


def find_events(text: str, mentions: list[Mention], published: datetime | date | None,
                quoted: list[tuple[int, int]] = ()) -> list[Event]:
    """The PLOVER events of ``text``, in reading order.

    ``mentions`` are ``find_mentions(text, ...)`` (offsets into ``text``); ``published``
    anchors relative dates ("on Friday"); without it events have no date unless the text
    gives a full one. ``quoted`` are the spans of direct quotes: what a speaker says
    between quotation marks ("Every strike like this is a reminder...") is rhetoric kept
    as the quote, not an event the article reports, so a trigger inside one counts only
    where the speaker reports what they did or decided ("We agreed military planners
    would convene again in the UK this week").
    """
    if not text or not text.strip():
        return []
    mentions = sorted(mentions, key=lambda m: m.start)
    mention_starts = [m.start for m in mentions]
    times = find_time_expressions(text, published)
    time_starts = [t.start for t in times]
    quantities = find_quantities(text)
    quantity_starts = [q.start for q in quantities]
    triggers = _find_triggers(text)
    trigger_starts = [start for start, _, _ in triggers]
    dateline = _dateline(text, mentions)

    events: list[Event] = []
    carried = None  # the date the previous sentence gave, if any
    reported: set[str] = set()  # event types of the sentences before
    for s_start, s_end in split_sentences(text):
        in_sentence = _between(times, time_starts, s_start, s_end)
        seen_types: set[str] = set()
        context: _SentenceMentions | None = None
        scope_end = s_start  # the end of the last speech act's object
        for t_start, t_end, index in _between(triggers, trigger_starts, s_start, s_end):
            if _quoted_rhetoric(text, quoted, t_start):
                continue
            trigger = _TRIGGERS[index]
            if t_start < scope_end and trigger.type not in _SPEECH_ACTS:
                continue
            if trigger.type in reported and _ANAPHOR_BEFORE.search(text, max(s_start, t_start - 40), t_start):
                continue  # "Zelenskyy called the attack ...": the attack told before
            if trigger.type in seen_types or _is_negated(text, s_start, trigger, t_start):
                continue
            clause = _clause_head(text, s_start, t_start)
            event_type, cameo, mode, acled = _classify(trigger, text, clause, (s_start, s_end), t_start, t_end)
            if event_type in seen_types:
                continue
            seen_types.add(event_type)
            if event_type in _SPEECH_ACTS:
                breaker = _SCOPE_END.search(text, t_end, s_end)
                scope_end = breaker.start() if breaker else s_end
            if context is None:
                context = _sentence_mentions(text, s_start, _between(mentions, mention_starts, s_start, s_end))
            actors, recipients, location = _roles(text, s_start, context, trigger, t_start, t_end)
            if location is None and event_type != "ASSAULT":
                location = dateline
            # A sentence without a time of its own continues the time of the one before it
            # ("... said on Saturday. The meeting of 25 leaders ..."), as news prose does.
            when = _nearest_time(in_sentence, t_start, t_end) or carried
            events.append(Event(
                type=event_type, mode=mode, cameo=cameo, acled=acled,
                actors=actors, recipients=recipients, location=location,
                date=when.date if when else None, date_precision=when.precision if when else None,
                quantities=tuple(_between(quantities, quantity_starts, s_start, s_end)),
                sentence=text[s_start:s_end], start=s_start, end=s_end,
                confidence=_confidence(trigger.confidence, clause, actors, recipients, location, when),
            ))
        carried = in_sentence[-1] if in_sentence else None
        reported |= seen_types
    return events
