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

What counts as an event follows the annotation guidelines of the facts development set
(benchmarks/facts/README.md, "Events"), which are general rules of reading war reporting:

* negated triggers ("did not reject", "without fully rejecting", "a pause in fighting",
  "any attack") give no event, nor do possible, conditional, expected or forecast ones
  ("could strike", "if talks fail", "are expected to meet", "would likely press its
  offensive"), nor denials ("rejected the accusation");
* what a speech act demands, alleges, threatens or promises ("accused Kyiv of shelling",
  "urged Putin to ... agree to a deal"), the terms of an agreement or doctrine
  ("committing Washington to training ...") and the aim of an infinitive ("met to agree
  on ...") are no events of their own;
* a speaker's own commitment in reported speech ("said he would travel to Washington"),
  a scheduled meeting ("will meet on Monday") and aid approved or announced but not
  delivered are AGREE; warning of what one's side will do is THREATEN, warning of a
  danger is nothing; saying that another party must act is REQUEST; blaming the other
  side without an accusing verb ("said the drones had been launched by Russian forces
  themselves", "said Russian forces had violated the truce") is ACCUSE, and what it
  alleges is no event;
* reported events count ("the governor said nine people were killed"), including the harm
  of an attack ("among the dead were two children"), passive and participial forms ("189
  prisoners had been freed", "the jets promised by Copenhagen had arrived") and a
  sentence that restates an earlier event with facts of its own ("the strike killed
  four"), but not an event noun that only judges or dates something ("called the attack a
  crime", "since the invasion began", "on the anniversary of the invasion");
* one event per type per sentence ("struck ... killing three" is one attack), unless a
  later clause has another day or another side acting ("shelled Shebekino on Saturday, a
  day after Russian bombs hit Kharkiv").

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
#: Pseudo-types of the lexicon entries that give no event: denials ("rejected the
#: accusation"), and the terms of an agreement or doctrine ("committing Washington to ...",
#: "allows Russia to ..."), whose content is no event either.
_DENIAL = "DENIAL"
_TERMS = "TERMS"


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
    the head word ("sanctions" after "imposed"), ``lead`` one for what must come right before
    it, within the sentence ("189 prisoners had been" before "freed"). All are matched on the
    lowercased text.
    """

    type: str
    cameo: str
    heads: str
    confidence: float
    tail: str = ""
    mode: str | None = None
    acled: str | None = None
    subject_receives: bool = False  # "Ukraine received jets": the subject is the recipient
    lead: str = ""  # a regex that must end right before the head word ("prisoners had been" freed)
    commitment: bool = False  # "said it would ...": AGREE unless its clause names the act itself


def _gap(words: int) -> str:
    """Up to ``words`` words between a head and its tail ("signed a new security agreement")."""
    return r"\s+(?:[\w$€£'’.,-]+\s+){0," + str(words) + r"}?"


_AID_NOUNS = (r"(?:weapons|arms|ammunition|shells|aid|assistance|air[- ]defen[cs]es?|systems|tanks|jets|"
              r"f-16s|himars|patriots?|missiles|drones|equipment|funding|funds|loans?|grants?|package|"
              r"supplies|vehicles|generators|troops|money)\b")
#: A sum of money: "$50 billion", "3.5 billion euros", "450 million pounds".
_MONEY = (r"(?:[$€£]\s?\d|\d[\d.,]*\s*(?:billion|million|bn|m)?\s*(?:euros?|dollars?|pounds?|hryvnias?|"
          r"francs?|kroner|kronor|yen)\b)")
_CAPTIVES = (r"(?:prisoners|pows|captives|hostages|detainees|children|servicemen|soldiers|bodies|civilians|"
             r"men|women)\b")
#: The captives before a passive or participial release: "189 prisoners had been freed",
#: "the captives released on Monday", "those freed".
_CAPTIVES_BEFORE = (r"\b(?:prisoners|pows|captives|hostages|detainees|children|servicemen|soldiers|bodies|"
                    r"civilians|men|women|those)(?:\s+of\s+war)?\s+(?:(?:had|have|has|were|was|being|been|"
                    r"already|also|now)\s+){0,3}")
_CAPTIVES_RU_UK = (r"(?:військов|військовополонен|полонен|бійц|захисник|громадян|цивільн|дітей|"
                   r"военнослуж|военнопленн|пленн|гражданск|детей)\w*")

# Order matters where two entries share a head word: the first whose tail matches wins
# ("lifted sanctions" is a retreat, not a sanction; "struck a deal" is not an attack).
_TRIGGERS: list[_Trigger] = [
    # SUPPORT (05): verbal, diplomatic support; signing agreements (CAMEO 057).
    _Trigger("SUPPORT", "05", "signed signs signing struck inked sealed", 0.75,
             _gap(4) + r"(?:deal|agreement|accord|memorandum|treaty|pact|declaration)s?\b"),
    _Trigger("SUPPORT", "05", "expressed voiced reaffirmed reiterated declared pledged offered", 0.65,
             _gap(3) + r"(?:support|solidarity|backing)\b"),
    _Trigger("SUPPORT", "05", "praised praises endorsed endorses welcomed welcomes hailed hails "
             "thanked thanking congratulated congratulates привітав* поздрави*", 0.5),
    # Backing a side or a plan, not troops "backed by artillery" or "supported by drones".
    _Trigger("SUPPORT", "05", "backed backs supported supports", 0.5,
             r"(?!\s+by\s+(?:[\w-]+\s+){0,3}?(?:artillery|tanks?|armou?r\w*|drones?|bombs|glide|aviation|air|"
             r"aircraft|warplanes|infantry|helicopters|fire|missiles|vehicles|mortars?|rockets?|reinforcements)\b)"),
    # Dropping one's objections is a concession, not a withdrawal (the entries before the
    # RETREAT ones win for the same head word).
    _Trigger("CONCEDE", "08", "dropped drops dropping withdrew withdraws lifted lifts abandoned", 0.6,
             r"\s+(?:its|their|his|her|the)\s+(?:[\w-]+\s+)?(?:objections?|opposition|veto|resistance|"
             r"demands?|insistence)\b"),
    # Exchanging views or lists is talking, not a release.
    _Trigger("CONSULT", "04", "exchange exchanged exchanges exchanging", 0.55,
             r"\s+(?:new\s+|updated\s+|draft\s+)?(?:lists|views|letters|messages|proposals|documents|drafts|ideas)\b",
             mode="talks"),
    # RETREAT (08): material concessions.
    _Trigger("RETREAT", "08", "release released releases releasing free freed frees swap swapped swapping exchange "
             "exchanged exchanging return returned returning repatriate repatriated repatriating", 0.8,
             _gap(8) + _CAPTIVES, mode="release"),
    _Trigger("RETREAT", "08", "handed", 0.8, r"\s+over" + _gap(3) + _CAPTIVES, mode="release"),
    _Trigger("RETREAT", "08", "released freed returned exchanged swapped repatriated handed", 0.7,
             mode="release", lead=_CAPTIVES_BEFORE),
    _Trigger("RETREAT", "08", "вернул* вернувш* повернул* поверну* поверн*", 0.6, _gap(4) + _CAPTIVES_RU_UK,
             mode="release"),
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
    # Passive and subject forms: "the sanctions announced by the Treasury", "the package was
    # agreed last week", "the package also bans ...", "sanctions targeting ...".
    _Trigger("SANCTION", "16", "announced imposed adopted approved agreed introduced unveiled", 0.6,
             lead=r"\b(?:sanctions|package|listings|designations)\s+(?:(?:was|were|has|have|had|been|being|also|"
                  r"formally|already|first|finally)\s+){0,3}"),
    _Trigger("SANCTION", "16", "bans ban banned targets target targeted targeting freezes blacklists adds lists "
             "includes", 0.6,
             lead=r"\b(?:sanctions|package|listings|designations|measures)\s+(?:[^.;:!?]{0,120}?,\s+|also\s+|"
                  r"further\s+|will\s+|would\s+)?"),
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
    _Trigger("AGREE", "03", "reached reach reaches reaching", 0.7,
             _gap(3) + r"(?:understandings?|agreements?|deals?|consensus|accords?|compromises?|arrangements?)\b"),
    # A speaker's own commitment in reported speech: "Zelenskyy said he would travel to
    # Washington", "Pistorius said Germany would supply ..." (predictions with "be", "have"...
    # and hostile intents, which are threats, are left out).
    _Trigger("THREATEN", "13", "would will", 0.5,
             r"(?:\s+also)?\s+(?:keep\s+up|increase|step\s+up|ramp\s+up|maintain|tighten)\s+"
             r"(?:the\s+|its\s+|their\s+)?(?:economic\s+|military\s+)?pressure\b"),
    _Trigger("AGREE", "03", "would will", 0.45,
             r"(?:\s+also)?\s+(?!(?:not|be|have|never|need|like|likely|probably|take|cost|make|mean|lead|remain|"
             r"depend|only|soon|still|respond|retaliate|strike|hit|attack|destroy|target|punish|burn|fall|rise|"
             r"end|fail|collapse|wait|stay|try|seek|love|prefer|oppose|resist|block|veto|reject|refuse|"
             r"continue\s+to\s+(?:fight|attack|strike))\b)[a-z]{3,}\b",
             lead=r"\b(?:said|says|told\s+[\w-]+(?:\s+[\w-]+)?|announced|added|adding|stated|confirmed|declared)"
                  r"\s+(?:on\s+\w+\s+)?(?:that\s+)?(?:it|he|she|they|we|i|[\w-]+|(?:the|his|her|its|their)\s+"
                  r"(?:country|government|bloc|alliance|union|ministry|administration))\s+", commitment=True),
    _Trigger("AGREE", "03", "propose proposed proposes proposing", 0.5),
    _Trigger("AGREE", "03", "accept accepted accepts accepting погодил* согласил* домовил* договорил*", 0.6),
    _Trigger("AGREE", "03", "pledged pledges promised promises vowed vows", 0.6),
    # Aid approved, announced or allocated is promised, not yet delivered (rule 10).
    _Trigger("AGREE", "03", "approve approved approves approving unveil unveiled unveils announce announced "
             "announces allocate allocated allocates allocating earmark earmarked earmarks", 0.6,
             _gap(6) + r"(?:" + _AID_NOUNS + r"|" + _MONEY + r")"),
    _Trigger("AGREE", "03", "committed offered", 0.6, r"\s+to\b"),
    _Trigger("AGREE", "03", "invited invites inviting", 0.6, r"\s+(?:[\w'’-]+\s+){0,4}?to\b"),
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
             "shipping transfer transferred transfers transferring", 0.7,
             _gap(6) + _AID_NOUNS),
    _Trigger("AID", "07", "supplied provided donated delivered", 0.6, r"\s+by\b"),
    _Trigger("AID", "07", "handed", 0.7, r"\s+over" + _gap(6) + _AID_NOUNS),
    _Trigger("AID", "07", "handed", 0.5, r"\s+over\b"),
    _Trigger("AID", "07", "received receives receiving", 0.6, _gap(6) + _AID_NOUNS, subject_receives=True),
    # The aid named before its verb: "the first of the jets had arrived", "the jets Ukraine had received".
    _Trigger("AID", "07", "arrived arrive arrives arriving received", 0.55,
             lead=r"\b" + _AID_NOUNS
                  + r"[^.;:!?“”\"]{0,60}?\s+(?:(?:had|has|have|were|was|been|already|finally|now)\s+){0,2}"),
    _Trigger("AID", "07", "delivery deliveries", 0.5, r"\s+of\b"),
    _Trigger("AID", "07", "grant granted grants disburse disbursed disburses", 0.65, _gap(6) + _AID_NOUNS),
    _Trigger("AID", "07", "military humanitarian financial economic", 0.6, r"\s+(?:aid|assistance)\s+package\b"),
    # REQUEST: appeals (CAMEO 02) and demands (10).
    _Trigger("REQUEST", "10", "demand demanded demands demanding вимага* требова* требу*", 0.75),
    _Trigger("REQUEST", "10", "insist insisted insists", 0.5, r"\s+(?:on|that)\b"),
    _Trigger("REQUEST", "02", "call called calls calling", 0.7, r"\s+(?:on|for|upon)\b"),
    _Trigger("REQUEST", "02", "urge urged urges urging appeal appealed appeals appealing request requested "
             "requests requesting plead pleaded pleads begged заклик* призва* призыв*", 0.7),
    _Trigger("REQUEST", "02", "ask asked asks asking pressed presses pressing", 0.65, _gap(3) + r"(?:for|to)\b"),
    _Trigger("REQUEST", "10", "set sets setting laid lays laying spelled spelt spells", 0.55,
             r"\s+out\s+(?:[\w'’-]+\s+){0,3}?(?:terms|conditions|demands|preconditions)\b"),
    _Trigger("REQUEST", "02", "push pushed pushes pushing", 0.55,
             r"\s+(?:[\w-]+\s+){1,3}?to\s+(?!the\b|a\b|an\b)[a-z]{3,}\b"),
    # "said that another party must act" (rule 3 of the guidelines): a demand in reported speech.
    _Trigger("REQUEST", "10", "must should", 0.5, r"\s+(?!not\b|never\b)[a-z]{2,}\b",
             lead=r"\b(?:said|says|saying|added|adding|stressed|stressing|insisted|insisting|argued|that)\s+"
                  r"(?:[\w'’\"-]+\s+){1,5}"),
    _Trigger("REQUEST", "10", "had has have need needs", 0.5, r"\s+to\s+(?!do\b)[a-z]{2,}\b",
             lead=r"\b(?:said|says|saying|added|adding|stressed|stressing|insisted|insisting|argued|that)\s+"
                  r"(?:[\w'’\"-]+\s+){1,5}"),
    # ACCUSE: disapproval and accusation (11), investigation (09).
    _Trigger("ACCUSE", "11", "accuse accused accuses accusing condemn condemned condemns condemning criticise "
             "criticised criticises criticising criticize criticized criticizes criticizing denounce denounced "
             "denounces denouncing blame blamed blames blaming decried decries sued sues slammed lambasted "
             "mocked ridiculed derided звинуват* обвини*", 0.75),
    _Trigger("ACCUSE", "11", "called calling calls branded branding labelled labeled described describing", 0.6,
             _gap(4) + r"(?:illegitimate|illegal|barbaric|terror\w*|cynical|criminal|outrageous|a\s+provocation|"
             r"a\s+(?:war\s+)?crime|lies|propaganda|absurd|unacceptable|genocide)\b"),
    _Trigger("ACCUSE", "09", "investigat* probe probed probes probing", 0.5),
    # Blame in reported speech without an accusing verb (rule 4 of the guidelines): an attack
    # staged by the other side itself, a prohibited or foreign-supplied weapon, a violated
    # truce, a deliberate strike on civilians, the side held responsible; and calling
    # something illegal or wrong. What is alleged is the accusation's content, no event.
    _Trigger("ACCUSE", "11", "said says saying claimed claims alleged alleges insisted insists", 0.55,
             r"(?:\s+on\s+\w+)?\s+(?:that\s+)?[^.;:!?“”\"]{0,160}?"
             r"(?:\bby\s+[^.;:!?]{0,40}?\s+(?:themselves|itself)\b|\bstag(?:ed|ing)\b|\bprovocations?\b|"
             r"\bfalse[- ]flag\b|\bdeliberate(?:ly)?\s+(?:\w+\s+)?(?:attack|strike|target|shell|hit|bomb)\w*|"
             r"\b(?:us(?:e|es|ed|ing)|deploy(?:s|ed|ing)?|dropp(?:ed|ing)|fir(?:ed|ing))\b[^.;:!?]{0,50}?"
             r"(?:\bchemical\s+(?:weapons?|agents?|munitions)|\bhazardous\s+chemicals|\btoxic\s+(?:gas|"
             r"substances?|chemicals?)|\briot[- ]control\s+agents|\bprohibited\s+(?:weapons?|munitions)|\bbanned\s+"
             r"(?:weapons?|munitions)|\bcluster\s+munitions|\bphosphorus)\b|"
             r"\b[\w-]+-(?:made|supplied)\s+[^.;]{0,40}?\b(?:had|has|have|was|were)\s+(?:been\s+)?used\b|"
             r"\bviolat(?:ed|ing|ion)\s+(?:of\s+)?(?:the\s+|a\s+|its\s+)?(?:[\w-]+\s+)?(?:ceasefire|truce|"
             r"agreement|moratorium|pause|deal)|\bbreach(?:ed|ing)\s+(?:the\s+)?(?:[\w-]+\s+)?(?:ceasefire|truce)|"
             r"\b(?:was|were|is|are)\s+(?:behind|responsible\s+for|to\s+blame)\b)"),
    _Trigger("ACCUSE", "11", "said says saying", 0.5,
             r"(?:\s+on\s+\w+)?\s+(?:that\s+)?(?:[\w'’-]+\s+){1,5}?(?:was|were|is|are)\s+(?:an?\s+)?"
             r"(?:illegitimate|illegal|unlawful|barbaric|cynical|criminal|outrageous|provocation|(?:war\s+)?crimes?|"
             r"lies|propaganda|absurd|unacceptable|unnecessary|unjustified|unprovoked|irresponsible|shameful|"
             r"disgraceful)\b"),
    # A denial is no event (it only says an accusation is false): "Kyiv rejected the accusation".
    _Trigger(_DENIAL, "", "reject rejected rejects rejecting dismissed dismisses dismissing denied denies deny "
             "denying refuted refutes", 0.0,
             _gap(3) + r"(?:accusations?|allegations?|claims?|charges?|reports?|suggestions?|assertions?)\b"),
    # Dismissing what is not a proposal is disapproval: "dismissed the session as a show".
    _Trigger("ACCUSE", "11", "dismissed dismisses dismissing", 0.6,
             r"(?!" + _gap(3) + r"(?:proposals?|plans?|demands?|offers?|ideas?|calls?|requests?|ultimatums?|"
             r"terms|conditions|initiatives?|deals?|ceasefire|truce|bids?|appeals?)\b)"),
    _Trigger(_TERMS, "", "committing commits obliging obliges binding binds requiring requires allowing allows "
             "permitting permits authorising authorizing authorises authorizes entitling", 0.0,
             r"\s+(?:[\w'’-]+\s+){1,4}?to\b"),
    # REJECT (12)
    _Trigger("REJECT", "12", "reject rejected rejects rejecting rebuffed vetoed vetoes dismissed dismisses "
             "відхили* відкину* отклони* отверг*", 0.75),
    _Trigger("REJECT", "12", "refuse refused refuses refusing decline declined declines", 0.7, r"\s+to\b"),
    _Trigger("REJECT", "12", "turned", 0.7, r"\s+down\b"),
    _Trigger("REJECT", "12", "boycott boycotted boycotts boycotting", 0.6),
    _Trigger("REJECT", "12", "not", 0.6, r"\s+(?:recogni[sz]e|accept|bow|tolerate|allow)\b"),
    _Trigger("REJECT", "12", "ruled", 0.7, r"\s+out\b"),
    # THREATEN (13)
    _Trigger("THREATEN", "13", "threaten threatened threatens threatening ultimatum ultimatums", 0.75),
    # A warning is a threat when it announces what the speaker's side will do ("warned that
    # Moscow would retaliate"), not when it points at a danger ("warned of the risk of ...").
    _Trigger("THREATEN", "13", "warned warns warning", 0.5,
             r"(?:\s+(?:on\s+)?\w+){0,2}?\s+(?:that\s+)?(?:[\w'’-]+\s+){1,3}?(?:would|will|could|was\s+ready\s+to)"
             r"\s+(?:[\w-]+\s+)?(?:retaliate|respond|target|strike|hit|attack|destroy|punish|use|deploy|shoot|"
             r"sink|seize|cut|impose|walk|act|react|treat|consider|shut|expel|sever|confiscate)\b"),
    _Trigger("THREATEN", "13", "warned warns warning", 0.5,
             r"(?:\s+\w+){0,2}?\s+of\s+(?:a\s+|an\s+|the\s+)?(?:tough\s+|harsh\s+|decisive\s+|severe\s+|"
             r"military\s+|swift\s+|serious\s+)?(?:retaliation|response|consequences|countermeasures|reprisals?|"
             r"retaliatory)\b"),
    _Trigger("THREATEN", "13", "retaliate retaliated retaliation retaliatory погрож* пригрози* угрожа*", 0.6),
    _Trigger("THREATEN", "13", "not", 0.6, r"\s+(?:go|remain)\s+(?:unanswered|unpunished)\b"),
    _Trigger("THREATEN", "13", "walk", 0.5, r"\s+away\b"),
    _Trigger("THREATEN", "13", "respond responded", 0.6,
             r"\s+(?:accordingly|decisively|harshly|in\s+kind|with\s+force|militarily)\b"),
    # PROTEST (14)
    _Trigger("PROTEST", "14", "riot riots rioted rioting rioters", 0.65,
             r"(?!\s+(?:control|police|gear|squads?|agents?|shields?)\b)", mode="riot", acled="Riots"),
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
    _Trigger("ASSAULT", "19", "pushed pushing pushes", 0.55,
             r"(?:\s+(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west|deeper|further|"
             r"forward|on|and))*\s+(?:towards?|into|closer\s+to)\b", mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "regain regained regaining regains", 0.6, r"\s+(?:ground|control)\b",
             mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "fighting invasion invaded invade", 0.4, mode="ground", acled=BATTLES),
    _Trigger("ASSAULT", "19", "kill killed killing kills", 0.55),
    # The harm an attack did states the attack (rule 8): "wounded 12", "among the dead were".
    _Trigger("ASSAULT", "19", "wounded wounding injured injuring", 0.5,
             r"(?!\s+(?:and\s+(?:seriously\s+|severely\s+)?(?:ill|sick)|(?:[\w-]+\s+){0,2}?(?:prisoners|soldiers|"
             r"servicemen|captives|pows|veterans|fighters))\b)"),
    _Trigger("ASSAULT", "19", "among", 0.5, r"\s+the\s+(?:dead|wounded|injured|killed|victims)\b"),
    _Trigger("ASSAULT", "19", "death", 0.5, r"\s+toll\b"),
    _Trigger("ASSAULT", "19", "barrage barrages salvo salvoes salvos", 0.55),
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
    # Taking part in a meeting (rule 9): attending, chairing, joining, being represented, briefing.
    _Trigger("CONSULT", "04", "attend attended attends attending", 0.55,
             _gap(3) + r"(?:meetings?|talks|summits?|session|conference|negotiations|gathering|ceremony|call)\b",
             mode="meeting"),
    _Trigger("CONSULT", "04", "chaired co-chaired co-chairs chairs chairing co-chairing co-hosted co-hosts "
             "co-hosting", 0.55, mode="meeting"),
    _Trigger("CONSULT", "04", "took take takes taking", 0.55,
             r"\s+part\s+in" + _gap(3) + r"(?:meetings?|talks|summits?|session|conference|negotiations|call)\b",
             mode="meeting"),
    _Trigger("CONSULT", "04", "participated participates participating", 0.55,
             r"\s+in" + _gap(3) + r"(?:meetings?|talks|summits?|session|conference|negotiations|call)\b",
             mode="meeting"),
    _Trigger("CONSULT", "04", "joined", 0.5, r"\s+(?:by|via|through|online|virtually)\b", mode="meeting"),
    _Trigger("CONSULT", "04", "represented led headed", 0.5, r"\s+by\b", mode="talks",
             lead=r"(?:delegation|side|team|ukraine|russia|kyiv|moscow|washington)\s+(?:was|were)\s+$"),
    _Trigger("CONSULT", "04", "briefed briefs", 0.5, mode="meeting"),
    _Trigger("CONSULT", "04", "brokered mediated", 0.55, mode="talks"),
    _Trigger("CONSULT", "04", "travelled traveled trip", 0.5, r"\s+to\b", mode="visit"),
    _Trigger("CONSULT", "04", "spoke speaks talked", 0.7, r"\s+(?:by|over\s+the)\s+(?:phone|telephone)\b",
             mode="phone"),
    _Trigger("CONSULT", "04", "spoke speaks talked", 0.6,
             r"\s+(?:by\s+(?:phone|telephone)\s+)?(?:with|to)\b"
             r"(?!\s+(?:reporters|journalists|the\s+(?:media|press)|media|press)\b)", mode="meeting"),
]

_TAILS = [re.compile(t.tail) if t.tail else None for t in _TRIGGERS]
_LEADS = [re.compile(r"(?:" + t.lead + r")$") if t.lead else None for t in _TRIGGERS]
#: How far back a lead may reach, in characters.
_LEAD_REACH = 160
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
            lead = _LEADS[index]
            if lead is not None and not lead.search(lowered, max(0, word.start() - _LEAD_REACH), word.start()):
                continue
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
_SCOPE_END = re.compile(r"[;:—–]|,\s*(?:and|but|while|as|after|which|who)\b(?!\s+(?:that|to)\b)|"
                        r"\b(?:while|but|after|before|when|because|although|whereas)\b", re.I)
#: A promise stated after a noun trigger: "a prisoner exchange ... would take place".
_PROMISE_AFTER = re.compile(r"[^,;.!?]{0,60}?\b(?:will|would|shall)\b", re.I)
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|this|that|another|new)\s+(?:[\w-]+\s+)?$", re.I)
#: "the attack", "these strikes", "Sunday's talks": a definite noun phrase, read as a
#: reference back to an event already reported when one of its type came before.
_ANAPHOR_BEFORE = re.compile(
    r"\b(?:the|this|these|those|such|its|their|his|her|[\w]+[’']s)\s+(?:[\w-]+\s+)?$", re.I)
#: A referring noun followed by what it did or how it went ("the strike killed nine", "the
#: attack came as", "the talks lasted two hours"): the sentence states the event again.
_FACTS_AFTER = re.compile(
    r"(?:\s+(?:on|against|in|near|at|of|by)\s+[^,;.:]{1,40}?)?(?:,\s+which)?\s+(?:also\s+|had\s+|has\s+)?"
    r"(?:killed|wounded|injured|damaged|destroyed|hit|left|came|began|started|lasted|ended|took\s+place|"
    r"was\s+(?:the\s+(?:first|largest|biggest|deadliest|heaviest|latest|second|third)|being|carried)|"
    r"were\s+(?:the\s+(?:first|largest|biggest|deadliest|heaviest|latest)|being|carried)|"
    r"involved|included|continued)\b", re.I)
#: An event noun that only serves as a time: "since the start of the full-scale invasion",
#: "on the third anniversary of the invasion", "on the eve of the summit".
_TIME_OF = re.compile(r"\b(?:anniversary|start|beginning|outbreak|onset|eve|sidelines|margins|run-up|wake|aftermath)"
                      r"\s+of\s+(?:the|its|their|this|[\w]+[’']s)\s+(?:[\w-]+\s+){0,2}$", re.I)
#: A past event that only dates something else: "since the invasion began".
_TIME_REFERENCE = re.compile(r"\b(?:since|after|before|until|till|during|amid)\s+(?:the|this|that|its|their|"
                             r"[\w]+[’']s)\s+(?:[\w-]+\s+)?$", re.I)
#: A possibility or condition, not a fact: rule 5 of the annotation guidelines.
_HYPOTHETICAL = re.compile(r"\b(?:[Ii]f|[Uu]nless|[Uu]ntil|[Cc]ould|[Mm]ight|may)\b|"  # not the month "May"
                           r"\b(?:would\s+like|wish(?:es|ed)?|hop(?:e|es|ed|ing)|want(?:s|ed)?)\s+to\b")
#: The writer's expectation, not a fact nor anyone's commitment: "are expected to meet".
#: ... also after a noun: "a meeting was expected late on Thursday".
_EXPECTED_AFTER = re.compile(
    r"\s+(?:[\w-]+\s+){0,3}?(?:is|was|are|were)\s+(?:widely\s+)?(?:expected|likely|unlikely)\b", re.I)
_EXPECTED = re.compile(r"\b(?:expected|likely|unlikely)\s+to\b", re.I)
#: Events that a forecast states without anyone committing to them ("the army will need more
#: recruits", "Moscow will press its offensive"): not annotated. Material cooperation in the
#: future is promised (AGREE), speech acts in the future are threats or commitments.
_PREDICTABLE = {"ASSAULT", "MOBILIZE", "COERCE", "PROTEST"}
_FORECAST = re.compile(r"\b(?:will|would|shall|likely|going\s+to)\b|[’']ll\b", re.I)
_CONDITION = re.compile(r"\b(?:if|unless|provided\s+that|as\s+long\s+as|on\s+condition)\b", re.I)
#: Acts whose modal or future form is itself the act ("could walk away" threatens).
_OWN_FUTURE = {"THREATEN"}
_BY_AFTER = re.compile(r"\s+by\b", re.I)
#: An infinitive of purpose: "held talks to agree on", "met in Riyadh to negotiate" (not after
#: "ready to", "agreed to", "offered to", where the infinitive is the commitment).
_PURPOSE_BEFORE = re.compile(
    r"(?<!ready)(?<!willing)(?<!prepared)(?<!agreed)(?<!agrees)(?<!decided)(?<!offered)(?<!offers)(?<!pledged)"
    r"(?<!promised)(?<!vowed)(?<!able)(?<!committed)(?<!set)(?<!moved)(?<!voted)\s+to\s+$", re.I)


#: What separates two clauses of a sentence, for a second event of one type.
_CLAUSE_BREAK = re.compile(r"[,;:—–(]|\b(?:when|since|after|before|while|whereas|as|which|who|but|until)\b", re.I)


def _new_clause(text: str, previous_end: int, t_start: int) -> bool:
    """Whether a clause break stands between the previous trigger of a type and this one."""
    return _CLAUSE_BREAK.search(text, previous_end, t_start) is not None


def _is_finite(text: str, t_start: int, t_end: int) -> bool:
    """Whether a trigger's head is a finite verb ("demanded", "urges"), which starts a speech act
    of its own, rather than an infinitive or a noun inside another one ("to agree", "an
    investigation"). Words of other scripts count as finite."""
    head = _WORD.match(_lowercase(text[t_start:t_end]))
    word = head.group() if head else ""
    if not word.isascii():
        return True
    return _is_verb_form(text, t_start, t_end) or (word.endswith("s") and not word.endswith(("ss", "ions", "ls")))


#: Past forms that are verbs, not nouns: "the leaders met" is not a reference back.
_IRREGULAR_PAST = {"met", "struck", "fought", "held", "took", "shot", "sent", "spoke", "froze", "broke",
                   "led", "swept", "overran", "began", "drove", "pushed", "hit", "says", "saying", "alleges",
                   "insists", "urges", "warns"}


def _is_verb_form(text: str, t_start: int, t_end: int) -> bool:
    """Whether the trigger's head word is a past form ("met", "attacked"), not a noun."""
    head = _WORD.match(_lowercase(text[t_start:t_end]))
    word = head.group() if head else ""
    return word.endswith("ed") or word in _IRREGULAR_PAST


_FUTURE_WORDS = (r"will|shall|plan(?:s|ned)?\s+to|intend(?:s|ed)?\s+to|(?:is|are)\s+(?:due|set|expected)\s+to|"
                 r"(?:ready|willing|prepared)\s+(?:to|for)")
_FUTURE = re.compile(rf"\b(?:{_FUTURE_WORDS})\b|[’']ll\b", re.I)
#: What makes material cooperation a promise: the future, or "would" of reported speech.
_PROMISE = re.compile(rf"\b(?:would(?!\s+(?:be|have)\b(?!\s+to\b))|{_FUTURE_WORDS})\b|[’']ll\b", re.I)
_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|got)\s+(?:\w+ly\s+)?$", re.I)
_CLAUSE = re.compile(r"[,;:—–()\"“”]|\b(?:and|but|while|as|after|before|when|which|who|that|since|because|"
                     r"although|whereas|where)\b", re.I)
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
_PROMISABLE = {"AID", "RETREAT", "COOPERATE", "CONSULT"}
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
    r"\b(?:prevent\w*|stop\w*|deter\w*|avoid\w*|protect\w*\s+(?:[\w'’-]+\s+){0,3}?(?:against|from)|"
    r"guard\w*\s+against|"
    r"in\s+case\s+of|in\s+the\s+event\s+of|any\s+(?:future|new|renewed)|would\s+be|risk\s+of)\b[^.;]*$",
    re.IGNORECASE,
)


#: "any attack", "any new deployment": no event in particular.
_ANY_BEFORE = re.compile(r"\bany\s+(?:[\w-]+\s+)?$", re.I)


def _is_negated(text: str, sentence_start: int, trigger: _Trigger, trigger_start: int) -> bool:
    """A negation among the three words before the trigger: "did not agree", "without fully
    rejecting"; for violence also a cessation ("a pause in fighting") or an averted or
    imagined attack ("to prevent Russia from attacking Ukraine again")."""
    window = _left_of(text, sentence_start, trigger_start, 40)
    words = " ".join(_WORDS.findall(window)[-3:])
    if _NEGATION.search(words):
        return True
    if _ANY_BEFORE.search(window):
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
              t_end: int, promised: bool = False) -> tuple[str, str, str | None, str | None]:
    """``(type, cameo, mode, acled)`` of a trigger in its clause: material cooperation that is
    only promised (in the clause, or by a commitment governing it) becomes AGREE."""
    s_start, s_end = sentence
    promised = promised or _PROMISE.search(clause) or (
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
        first_of_type: dict[str, tuple[int, TimeExpression | None, tuple]] = {}  # trigger end, time, actors
        context: _SentenceMentions | None = None
        scope_end = s_start  # the end of the last speech act's object
        promised_until = s_start  # the end of the clause a commitment ("said it would") governs
        pending = None  # that commitment, kept until its clause shows whether it names an act

        def emit(t_start: int, t_end: int, trigger: _Trigger) -> bool:
            """Add the event of one trigger unless the rules below rule it out."""
            nonlocal context, scope_end
            if _is_negated(text, s_start, trigger, t_start):
                return False
            if trigger.type in seen_types and not _new_clause(text, first_of_type[trigger.type][0], t_start):
                return False
            clause = _clause_head(text, s_start, t_start)
            event_type, cameo, mode, acled = _classify(trigger, text, clause, (s_start, s_end), t_start, t_end,
                                                       promised=t_start < promised_until)
            if event_type in seen_types and not _new_clause(text, first_of_type[event_type][0], t_start):
                return False
            if event_type not in _OWN_FUTURE and (_HYPOTHETICAL.search(clause) or _EXPECTED.search(clause)
                                                  or _EXPECTED_AFTER.match(text, t_end, s_end)):
                return False  # "could strike", "if a deal is reached", "a meeting was expected"
            if event_type in _PREDICTABLE and (_FORECAST.search(clause) or (
                    _DETERMINER_BEFORE.search(clause) and _PROMISE_AFTER.match(text, t_end, s_end))):
                # "Moscow would likely press its offensive", "the deployment of troops would be
                # regarded as a threat": a prediction or a hypothesis (rule 5)
                return False
            own_time = _nearest_time(in_sentence, t_start, t_end)
            if context is None:
                context = _sentence_mentions(text, s_start, _between(mentions, mention_starts, s_start, s_end))
            actors, recipients, location = _roles(text, s_start, context, trigger, t_start, t_end)
            if event_type in seen_types:
                # One event per type and sentence, unless another side acts or it is another
                # day (rule 7): "shelled Shebekino on Saturday, a day after Russian bombs hit
                # Kharkiv" is two attacks, "struck Kyiv and Odesa, killing three" one.
                first_end, first_time, first_actors = first_of_type[event_type]
                other_day = (own_time is not None and first_time is not None and own_time.date != first_time.date
                             and own_time.start > first_end)
                other_side = (actors and first_actors and not set(m.name for m in actors)
                              & set(m.name for m in first_actors) and clause.strip()
                              and actors[-1].start >= t_start - len(clause))
                if not (other_day or other_side):
                    return False
            else:
                first_of_type[event_type] = (t_end, own_time, actors)
            seen_types.add(event_type)
            if event_type in _SPEECH_ACTS and not _BY_AFTER.match(text, t_end, s_end):
                # (a participle with its agent, "the jets promised by Copenhagen had arrived",
                # opens no scope: what follows is the main clause)
                breaker = _SCOPE_END.search(text, t_end, s_end)
                scope_end = breaker.start() if breaker else s_end
            if location is None and event_type != "ASSAULT":
                location = dateline
            # A sentence without a time of its own continues the time of the one before it
            # ("... said on Saturday. The meeting of 25 leaders ..."), as news prose does.
            when = own_time or carried
            events.append(Event(
                type=event_type, mode=mode, cameo=cameo, acled=acled,
                actors=actors, recipients=recipients, location=location,
                date=when.date if when else None, date_precision=when.precision if when else None,
                quantities=tuple(_between(quantities, quantity_starts, s_start, s_end)),
                sentence=text[s_start:s_end], start=s_start, end=s_end,
                confidence=_confidence(trigger.confidence, clause, actors, recipients, location, when),
            ))
            return True

        for t_start, t_end, index in _between(triggers, trigger_starts, s_start, s_end):
            if pending is not None and t_start >= promised_until:
                emit(*pending)
                pending = None
            if _quoted_rhetoric(text, quoted, t_start):
                continue
            trigger = _TRIGGERS[index]
            if trigger.type == _DENIAL:
                continue
            if trigger.type == _TERMS:
                # "committing Washington to training ...": the terms of an agreement or a
                # doctrine, no event of their own (rule 6 of the guidelines).
                breaker = _SCOPE_END.search(text, t_end, s_end)
                scope_end = max(scope_end, breaker.start() if breaker else s_end)
                continue
            if t_start < scope_end and (trigger.type not in _SPEECH_ACTS or not _is_finite(text, t_start, t_end)):
                continue  # what is demanded, alleged or promised: "urged Putin to ... agree to a deal"
            if trigger.commitment:
                # "said it would ...": an AGREE unless the clause names the act itself ("would
                # hand over 23 wounded as a goodwill gesture" is that concession, "would
                # travel to Washington to meet" a meeting promised, so an AGREE again).
                breaker = _SCOPE_END.search(text, t_end, s_end)
                promised_until = breaker.start() if breaker else s_end
                if not _CONDITION.search(text, t_end, s_end):  # "would resign if ...": no commitment
                    pending = (t_start, t_end, trigger)
                continue
            if trigger.type == "AGREE" and _PURPOSE_BEFORE.search(text, max(s_start, t_start - 40), t_start):
                # "held talks to agree on the details": an aim, not an agreement, nor is what it aims at
                breaker = _SCOPE_END.search(text, t_end, s_end)
                scope_end = max(scope_end, breaker.start() if breaker else s_end)
                continue
            if (_TIME_OF.search(text, max(s_start, t_start - 60), t_start)
                    or _TIME_REFERENCE.search(text, max(s_start, t_start - 40), t_start)) and not _is_verb_form(
                        text, t_start, t_end):
                continue  # "the anniversary of the full-scale invasion": a date, not an event (rule 6)
            if (trigger.type in reported and not trigger.lead and not _is_verb_form(text, t_start, t_end)
                    and _ANAPHOR_BEFORE.search(text, max(s_start, t_start - 40), t_start)
                    and (not _FACTS_AFTER.match(text, t_end, s_end)
                         or _TIME_REFERENCE.search(text, max(s_start, t_start - 40), t_start))):
                continue  # "Zelenskyy called the attack ...": the attack told before
            if emit(t_start, t_end, trigger) and t_start < promised_until:
                pending = None
        if pending is not None:
            emit(*pending)
        carried = in_sentence[-1] if in_sentence else None
        reported |= seen_types
    return events
