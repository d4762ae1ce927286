"""A generated day of news for the throughput benchmark (``benchmarks/bench.py``).

``generate(n, seed)`` writes, deterministically (seeded ``random.Random``), ``n`` articles
published on one UTC day by ``n / 50`` fictional outlets: 300-1,500 words each (median
about 750), 70 % about the war, 20 % syndicated copies of another outlet's article (the
same text under a republisher's header and footer, a rewritten headline, or both). All
text is composed here from sentence templates and word pools; nothing is copied from any
corpus. Sentences put a pool choice every few words, so two different articles share
almost no word 5-shingles and the near-duplicate detector can tell copies from
originals exactly.

``write_sites(corpus, folder)`` writes the day in the format of the demo corpus
(``articles/<outlet>/<slug>.md`` with front matter, ``outlets.yml``, HTML templates),
one folder per outlet, which :class:`newsfacts.fixture_site.FixtureSite` renders as the
outlet's site and feed (RSS 2.0, RSS 1.0 or Atom, by outlet) and
:mod:`newsfacts.bench_server` serves, each outlet on its own loopback address.

The truth (``corpus.truth()``): how many articles, how many about the war, how many of
those are copies — so how many rows ``core.articles`` and how many duplicate groups a
run must end with.
"""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import yaml

from newsfacts.fixture_site import article_number

ROOT = Path(__file__).resolve().parents[1]
DEMO_CORPUS = ROOT / "demo" / "corpus"

WAR_SHARE = 0.7
COPY_SHARE = 0.2
ARTICLES_PER_OUTLET = 50
MIN_WORDS, MODE_WORDS, MAX_WORDS = 300, 600, 1500

#: Demo templates in English, with the outlet name printed in each (replaced per outlet).
TEMPLATES = {
    "ledger.html": "The Kyiv Ledger",
    "dispatch.html": "Volga Dispatch",
    "observer.html": "The Baltic Observer",
    "courier.html": "Rhine Courier",
    "harbor.html": "The Harbor Post",
    "meridian.html": "Gulf Meridian",
    "wire.html": "Continental Press Agency",
}
URL_PATTERNS = (
    "/{outlet}/news/{yyyy}/{mm}/{dd}/{slug}/",
    "/{outlet}/world/{ymd}/{slug}.html",
    "/{outlet}/{section}/{slug}",
    "/{outlet}/en/{slug}/a-{id}",
    "/{outlet}/article/{slug}-{id}",
)
FEED_FORMATS = (("rss20", "/{outlet}/rss.xml"), ("atom", "/{outlet}/atom.xml"), ("rss10", "/{outlet}/rdf"))

# --------------------------------------------------------------------------- word pools

NAME_A = """Amber Arctic Atlas Azure Baltic Beacon Border Bridge Capital Cedar Central Channel Coastal
Cobalt Compass Continental Crown Delta Eastern Evening Frontier Global Granite Harbor Highland Horizon
Inland Island Lakeside Liberty Lowland Meridian Metro Midland Morning Northern Ocean Pacific Pioneer
Prairie Quarry Radial River Royal Silver Southern Summit Sunrise Tidal Union Valley Western Willow""".split()
NAME_B = """Tribune Herald Gazette Courier Chronicle Observer Dispatch Ledger Post Times Monitor Review
Journal Record Standard Signal Bulletin Wire Daily Express Telegraph Register Sentinel Examiner""".split()

FIRST = """Anna Olena Maria Iryna Sophie Laura Emma Hanna Nadia Clara Ines Lucia Marta Eva Petra Sara Julia
Katya Lena Nina Oleg Taras Pavel Mark Jonas Lukas Pierre Tomas Daniel Adam Marek Jan Erik Simon Felix
Ivan Andrei Mykola Piotr Karl Hugo David Peter Martin Viktor Yusuf Omar Leila Rania Samir""".split()
LAST = """Kovalenko Shevchuk Melnyk Bondar Tkachenko Kravets Hrytsenko Novak Weber Schmidt Dubois Moreau
Rossi Bianchi Kowalski Nowak Lindqvist Berg Jensen Hansen Fischer Wagner Keller Brennan Walsh Carter
Harper Morales Ortega Haddad Nasser Farouk Petrov Sokolov Volkov Orlov Lebedev Virtanen Korhonen Dvorak
Horvat Popescu Ionescu Varga Nagy Lambert Fontaine Costa Silva""".split()

UA_TOWNS = """Kharkiv Zaporizhzhia Odesa Dnipro Sumy Kherson Mykolaiv Pokrovsk Kramatorsk Sloviansk Chernihiv
Poltava Kupiansk Kostiantynivka Izium Vinnytsia Lviv Kyiv Toretsk Huliaipole Siversk Melitopol""".split()
UA_REGIONS = ["Kharkiv region", "Donetsk region", "Zaporizhzhia region", "Sumy region", "Kherson region",
              "Dnipropetrovsk region", "Mykolaiv region", "Odesa region", "Chernihiv region", "Poltava region",
              "Luhansk region", "Kyiv region"]
RU_PLACES = ["Belgorod", "Kursk", "Bryansk", "Rostov", "Voronezh", "Crimea", "Sevastopol", "Novorossiysk",
             "Tuapse", "Engels", "Krasnodar", "Taganrog"]
CAPITALS = ["Brussels", "Paris", "London", "Berlin", "Warsaw", "Washington", "Rome", "Helsinki", "Vilnius",
            "Riga", "Tallinn", "Prague", "Oslo", "Copenhagen", "Madrid", "The Hague", "Geneva", "Istanbul"]
UA_SPEAKERS = [
    ("Volodymyr Zelensky", "Ukraine's president"), ("Andrii Sybiha", "Ukraine's foreign minister"),
    ("Oleh Syniehubov", "the governor of the Kharkiv region"), ("Ivan Fedorov", "the head of the Zaporizhzhia regional administration"),
    ("Vadym Filashkin", "the governor of the Donetsk region"), ("Oleksandr Prokudin", "the governor of the Kherson region"),
    ("Ihor Terekhov", "the mayor of Kharkiv"), ("Yuriy Ihnat", "a spokesman for Ukraine's air force"),
    ("Dmytro Lubinets", "Ukraine's human rights commissioner"), ("Rustem Umerov", "Ukraine's defence minister"),
    ("Oleksandr Syrskyi", "Ukraine's commander-in-chief"), ("Andriy Yermak", "the head of Zelensky's office"),
    ("Vitali Klitschko", "the mayor of Kyiv"), ("Andriy Sadovyi", "the mayor of Lviv"),
]
RU_SPEAKERS = [
    ("Dmitry Peskov", "the Kremlin spokesman"), ("Sergei Lavrov", "Russia's foreign minister"),
    ("Maria Zakharova", "the Russian foreign ministry spokeswoman"), ("Andrei Belousov", "Russia's defence minister"),
    ("Yuri Ushakov", "a Kremlin foreign policy aide"), ("Vladimir Putin", "Russia's president"),
]
WEST_SPEAKERS = [
    ("Mark Rutte", "NATO's secretary general"), ("Keir Starmer", "the British prime minister"),
    ("Emmanuel Macron", "the French president"), ("Kaja Kallas", "the EU's foreign policy chief"),
    ("Ursula von der Leyen", "the president of the European Commission"), ("Donald Tusk", "Poland's prime minister"),
    ("Alexander Stubb", "Finland's president"), ("Antonio Costa", "the president of the European Council"),
]
WEAPONS = ["Shahed drones", "attack drones", "ballistic missiles", "cruise missiles", "glide bombs",
           "Iskander missiles", "Kh-101 cruise missiles", "guided aerial bombs", "multiple rocket launchers"]
TARGETS = ["an apartment block", "a power substation", "a grain terminal", "a railway depot", "a school",
           "a hospital", "a shopping centre", "a gas facility", "a warehouse", "private houses",
           "a water pumping station", "a port facility", "an industrial site", "a kindergarten", "a bus station"]
WHEN = ["overnight", "on Saturday morning", "late on Friday", "early on Saturday", "on Friday evening",
        "shortly after midnight", "on Saturday afternoon", "before dawn on Saturday"]
DAYS = ["on Friday", "on Saturday", "on Thursday", "this week", "earlier this month", "last week"]
OPENERS = ["", "", "", "Meanwhile, ", "Separately, ", "Earlier, ", "At the same time, ", "In a statement, ",
           "According to officials, ", "Later in the day, ", "By evening, ", "On the front line, "]
UNITS = ["the 93rd Mechanised Brigade", "the 3rd Assault Brigade", "the 47th Brigade", "the Khortytsia group",
         "the border guard service", "the national guard", "marine units", "territorial defence units"]
AID = ["air defence systems", "artillery shells", "armoured vehicles", "long-range missiles", "demining equipment",
       "generators", "F-16 spare parts", "drone components", "medical supplies", "winter equipment"]
TALKS = ["a ceasefire", "a 30-day truce", "security guarantees", "a prisoner exchange", "peace talks",
         "a halt to strikes on energy infrastructure", "safe shipping in the Black Sea", "a peacekeeping force"]
ADJ = ["heavy", "intense", "renewed", "repeated", "sustained", "large-scale", "coordinated", "fresh"]
REACT = ["condemned", "denounced", "criticised", "called for a response to", "demanded accountability for"]

NW_PLACES = ["Lyon", "Porto", "Gothenburg", "Bristol", "Leipzig", "Utrecht", "Turin", "Valencia", "Tampere",
             "Ghent", "Brno", "Cork", "Graz", "Bergen", "Malmo", "Aarhus", "Bordeaux", "Seville", "Dresden", "Basel"]
NW_TOPICS = {
    "city": (["city council", "transport authority", "housing office", "planning committee", "water utility"],
             ["tram line", "bus network", "housing scheme", "cycle lanes", "library renovation", "park redesign",
              "parking rules", "school meals programme", "recycling plan", "riverfront project"]),
    "business": (["chipmaker", "retailer", "airline", "logistics firm", "brewery", "software company", "carmaker"],
                 ["quarterly results", "new factory", "price increase", "hiring plan", "store closures",
                  "software update", "dividend", "delivery fleet", "product recall", "merger talks"]),
    "science": (["research institute", "university team", "space agency", "observatory", "hospital laboratory"],
                ["telescope images", "vaccine trial", "coral survey", "bird migration study", "battery chemistry",
                 "glacier measurements", "gene therapy results", "soil study", "comet observations", "robotics prototype"]),
    "culture": (["museum", "film festival", "opera house", "book fair", "orchestra", "theatre company"],
                ["retrospective", "new season", "award ceremony", "restored painting", "debut novel",
                 "summer programme", "ticket prices", "touring exhibition", "concert series", "documentary premiere"]),
    "weather": (["weather service", "flood agency", "forestry office", "coastal authority"],
                ["storm warning", "heatwave forecast", "river levels", "snowfall", "spring frost", "high tides",
                 "pollen count", "wind alerts", "drought measures", "rainfall record"]),
}
NW_HINT_TITLES = ["energy", "oil", "gas", "security", "Europe", "summit", "border", "alert"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70].strip("-")


# --------------------------------------------------------------------------- text

_AFTER_OPENER = re.compile(r"^([A-Z][^,]*, )(The|A|An|Tickets|Permits|Applications|Registrations|Figures|Data|Records|Estimates|Critics|Supporters|Opposition|Local|Fires|Windows|Roofs|Cars|Power|Water|Heating|Mobile|Rescue|Firefighters|Emergency|Police|Residents|Shop|Teachers|Volunteers|Air|Explosions|Diplomats|About|At|Since)\b")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _capital(sentence: str) -> str:
    """\"Meanwhile, The pilot\" -> \"Meanwhile, the pilot\" (names keep their capital)."""
    return _AFTER_OPENER.sub(lambda m: m.group(1) + m.group(2).lower(), sentence, count=1)


class _Writer:
    """Sentences with a pool choice every few words (see the module docstring)."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def c(self, seq):
        return self.r.choice(seq)

    def n(self, lo: int, hi: int) -> int:
        return self.r.randint(lo, hi)

    def person(self) -> str:
        return f"{self.c(FIRST)} {self.c(LAST)}"

    # -- war ---------------------------------------------------------------------------

    def war_scene(self) -> dict:
        town = self.c(UA_TOWNS)
        return {
            "topic": self.c(["strike", "strike", "strike", "front", "front", "diplomacy", "aid", "energy", "exchange"]),
            "town": town, "region": self.c(UA_REGIONS), "ru": self.c(RU_PLACES), "capital": self.c(CAPITALS),
            "weapon": self.c(WEAPONS), "target": self.c(TARGETS), "when": self.c(WHEN),
            "killed": self.n(1, 14), "injured": self.n(2, 60), "drones": self.n(40, 220),
            "missiles": self.n(2, 30), "ua": self.c(UA_SPEAKERS), "ru_sp": self.c(RU_SPEAKERS),
            "west": self.c(WEST_SPEAKERS), "unit": self.c(UNITS), "aid": self.c(AID), "talks": self.c(TALKS),
            "money": self.n(2, 90) * 10, "pows": self.n(5, 40) * 10,
        }

    def war_title(self, s: dict, variant: int = 0) -> str:
        ua, west = s["ua"][0].split()[-1], s["west"][0].split()[-1]
        options = {
            "strike": [f"Russian {s['weapon'].split()[-1]} hit {s['town']}, killing {s['killed']}",
                       f"{s['killed']} killed as Russia strikes {s['target'].split(' ', 1)[-1]} in {s['town']}",
                       f"{s['town']} counts the dead after {s['adj'] if 'adj' in s else 'overnight'} Russian attack",
                       f"Russia launches {s['drones']} drones at Ukraine; {s['town']} worst hit"],
            "front": [f"Ukrainian troops hold lines near {s['town']} as Russian assaults mount",
                      f"Fighting intensifies around {s['town']}, {s['unit'].replace('the ', '')} reports",
                      f"Russian forces press towards {s['town']} in {s['region']}",
                      f"Ukraine's army says it repelled {s['killed'] + 20} assaults near {s['town']}"],
            "diplomacy": [f"{west} and {ua} discuss {s['talks']} in {s['capital']}",
                          f"Kremlin cool on {s['talks']} as allies meet in {s['capital']}",
                          f"Allies weigh {s['talks']} for Ukraine at {s['capital']} meeting",
                          f"{ua} presses partners on {s['talks']} after talks in {s['capital']}"],
            "aid": [f"{s['capital']} pledges {s['aid']} worth {s['money']} million euros to Ukraine",
                    f"New military aid package for Ukraine includes {s['aid']}",
                    f"Ukraine to receive {s['aid']} as {west} announces support",
                    f"{west} promises more {s['aid']} for Kyiv"],
            "energy": [f"Russian strike leaves {s['town']} without power",
                       f"Blackouts in {s['region']} after attack on energy infrastructure",
                       f"Ukraine's power grid hit again as drones target {s['town']}",
                       f"Engineers race to restore power in {s['town']} after Russian strike"],
            "exchange": [f"Russia and Ukraine swap {s['pows']} prisoners of war",
                         f"{s['pows']} Ukrainian soldiers return home in prisoner exchange",
                         f"Prisoner exchange brings home {s['pows']} defenders, {ua} says",
                         f"Ukraine and Russia exchange {s['pows']} POWs with UAE mediation"],
        }[s["topic"]]
        return options[variant % len(options)]

    def _quote_text(self, s: dict, side: str) -> str:
        if side == "ua":
            return self.c([
                f"Every night Russia chooses to send {s['weapon']} against our {self.c(['cities', 'people', 'homes', 'children'])}",
                f"We need more {s['aid']} now, not in {self.c(['months', 'the autumn', 'a year'])}",
                f"The people of {s['town']} will not be {self.c(['broken', 'intimidated', 'forced out'])} by this terror",
                f"Our {self.c(['defenders', 'soldiers', 'units'])} near {s['town']} are holding, but the pressure is {self.c(['enormous', 'constant', 'growing'])}",
                f"Without {s['talks']} backed by {self.c(['real guarantees', 'our partners', 'strength'])} there will be no peace",
                f"{self.c(['Rescuers', 'Doctors', 'Volunteers'])} worked through the night in {s['town']}",
            ])
        if side == "ru":
            return self.c([
                f"The {self.c(['special military operation', 'operation'])} will continue until its goals are {self.c(['achieved', 'met'])}",
                f"We see no {self.c(['serious', 'real', 'concrete'])} proposals from Kyiv on {s['talks']}",
                f"Western {s['aid']} only {self.c(['prolongs', 'escalates', 'drags out'])} the conflict",
                f"Moscow remains open to {self.c(['dialogue', 'contacts', 'discussions'])}, but on {self.c(['our terms', 'realistic terms'])}",
            ])
        return self.c([
            f"Russia's attacks on {s['town']} show that Moscow is not {self.c(['serious', 'sincere', 'interested'])} about peace",
            f"We will keep supporting Ukraine with {s['aid']} for as long as it {self.c(['takes', 'needs'])}",
            f"Any {s['talks'].replace('a ', '')} must be {self.c(['just', 'lasting', 'verifiable'])} and include Ukraine",
            f"Pressure on the Kremlin, including {self.c(['sanctions', 'new sanctions', 'the shadow fleet measures'])}, must {self.c(['grow', 'increase', 'continue'])}",
        ])

    def quote(self, s: dict) -> str:
        side = self.c(["ua", "ua", "ru", "west"])
        name, role = {"ua": s["ua"], "ru": s["ru_sp"], "west": s["west"]}[side]
        if self.r.random() < 0.3:
            name, role = {"ua": self.c(UA_SPEAKERS), "ru": self.c(RU_SPEAKERS), "west": self.c(WEST_SPEAKERS)}[side]
        text = self._quote_text(s, side)
        form = self.n(0, 3)
        if form == 0:
            return f"\u201c{text},\u201d {name}, {role}, said {self.c(DAYS)}."
        if form == 1:
            return f"{name}, {role}, told {self.c(['reporters', 'journalists', 'a news conference', 'state television'])}: \u201c{text}.\u201d"
        if form == 2:
            return f"\u201c{text},\u201d {self.c(['said', 'wrote', 'added'])} {name} {self.c(['on Telegram', 'in a video address', 'in a statement', 'on X'])}."
        if text.split()[0] in ("We", "The", "Our", "Every", "Any", "Without", "Pressure", "Western", "Rescuers", "Doctors", "Volunteers"):
            text = text[0].lower() + text[1:]
        return f"{name} said {self.c(['that', ''])} {text}.".replace("  ", " ")

    def war_sentence(self, s: dict) -> str:
        k = self.n(0, 21)
        o = self.c(OPENERS)
        n1, n2, n3 = self.n(1, 9), self.n(10, 99), self.n(100, 900)
        t = self.c(UA_TOWNS)
        sentences = [
            f"{o}Russian {self.c(WEAPONS)} struck {self.c(TARGETS)} in {t} {self.c(WHEN)}, {self.c(['officials said', 'local authorities reported', 'the regional governor wrote'])}.",
            f"{o}At least {n1} people were killed and {n2} {self.c(['injured', 'wounded', 'hurt'])} in {t}, {self.c(['among them', 'including', 'with'])} {self.n(1, 6)} children.",
            f"{o}Ukraine's air force said it shot down {n2} of {n2 + self.n(5, 60)} drones launched {self.c(WHEN)}, with {self.n(2, 20)} more lost to electronic jamming.",
            f"{o}{self.c(['Fires broke out', 'Windows were blown out', 'Roofs were damaged', 'Cars burned'])} across {self.n(2, 12)} {self.c(['districts', 'streets', 'blocks', 'villages'])} of the {self.c(UA_REGIONS)}.",
            f"{o}{_upper_first(self.c(UNITS))} reported {n2} {self.c(['assaults', 'attacks', 'clashes', 'combat engagements'])} along the {self.c(['Pokrovsk', 'Kupiansk', 'Lyman', 'Zaporizhzhia', 'Siversk', 'Toretsk'])} {self.c(['axis', 'direction', 'sector'])} {self.c(DAYS)}.",
            f"{o}Russia's defence ministry claimed its forces had {self.c(['captured', 'taken', 'seized'])} the village of {self.c(['Novoselivka', 'Petrivka', 'Andriivka', 'Stepove', 'Zelene', 'Kalynove', 'Bilohorivka', 'Vodiane'])}, a claim {self.c(['Kyiv denied', 'Ukraine did not confirm', 'that could not be verified'])}.",
            f"{o}Ukrainian drones hit {self.c(['an oil refinery', 'an ammunition depot', 'an airfield', 'a fuel terminal', 'a rail junction'])} in {self.c(RU_PLACES)}, {self.c(['the general staff said', 'a source in the security service said', 'Russian officials acknowledged'])}.",
            f"{o}The {self.c(['regional administration', 'emergency service', 'city council', 'state railway'])} said {n3} {self.c(['residents', 'families', 'households', 'passengers'])} had been {self.c(['evacuated', 'moved to shelters', 'left without heating', 'rehoused'])} since {self.c(['Monday', 'the weekend', 'the start of the month', 'the attack'])}.",
            f"{o}{self.c(['Power', 'Water', 'Heating', 'Mobile service'])} was {self.c(['cut', 'restored', 'disrupted', 'rationed'])} for {self.n(2, 90)} thousand {self.c(['consumers', 'homes', 'people'])} in {t} after the {self.c(['strike', 'attack', 'shelling', 'drone raid'])}.",
            f"{o}{self.c(CAPITALS)} announced {self.c(['a package of', 'new deliveries of', 'funding for', 'contracts for'])} {self.c(AID)} worth {self.n(20, 900)} million {self.c(['euros', 'dollars', 'pounds'])}.",
            f"{o}Diplomats in {self.c(CAPITALS)} said talks on {self.c(TALKS)} could {self.c(['resume', 'continue', 'start', 'stall'])} {self.c(['next week', 'within days', 'this month', 'after Easter'])}.",
            f"{o}The Kremlin {self.c(['rejected', 'dismissed', 'questioned', 'did not comment on'])} the proposal for {self.c(TALKS)}, {self.c(['saying', 'arguing', 'insisting'])} that {self.c(['its demands', 'Russia s conditions', 'the root causes'])} {self.c(['had not changed', 'must be addressed first', 'remained'])}.".replace("Russia s", "Russia's"),
            f"{o}{self.c(WEST_SPEAKERS)[0]} {self.c(REACT)} the {self.c(['attack', 'strike', 'bombardment'])} on {t}, {self.c(['calling it', 'describing it as', 'labelling it'])} {self.c(['a war crime', 'deliberate terror', 'an act of cruelty', 'barbaric'])}.",
            f"{o}Since the full-scale invasion began in February 2022, {self.c(['the UN', 'the human rights mission', 'the prosecutor general'])} has {self.c(['recorded', 'documented', 'verified'])} more than {self.n(10, 14)} thousand civilian {self.c(['deaths', 'casualties'])} in {self.c(['Ukraine', 'the country'])}.",
            f"{o}{self.c(['Rescue teams', 'Firefighters', 'Emergency crews', 'Police officers'])} {self.c(['pulled', 'recovered', 'freed'])} {self.n(2, 9)} people from the {self.c(['rubble', 'debris', 'ruins'])} of {self.c(TARGETS)} {self.c(['by morning', 'after six hours', 'overnight', 'before noon'])}.",
            f"{o}The sanctions {self.c(['package', 'list', 'measures'])} adopted in {self.c(CAPITALS)} {self.c(['targets', 'adds', 'covers'])} {self.n(10, 80)} {self.c(['tankers of the shadow fleet', 'Russian banks', 'arms suppliers', 'companies in third countries'])}.",
            f"{o}{self.n(2, 9)} {self.c(['ambulances', 'schools', 'shops', 'bridges', 'buses'])} were {self.c(['damaged', 'destroyed', 'hit'])} in the {self.c(['Kyivskyi', 'Slobidskyi', 'Shevchenkivskyi', 'Industrialnyi', 'Osnovianskyi'])} district, {self.c(['the mayor', 'the governor', 'local officials'])} said.",
            f"{o}Ukraine's general staff put Russian losses {self.c(DAYS)} at {self.n(900, 1500)} troops, {self.n(5, 40)} artillery systems and {self.n(2, 20)} tanks, figures {self.c(['Moscow disputes', 'that cannot be verified independently', 'Russia does not publish'])}.",
            f"{o}The {self.c(['IAEA', 'Red Cross', 'UN refugee agency', 'World Food Programme'])} said {self.c(['its staff', 'a team', 'its inspectors', 'a convoy'])} {self.c(['reached', 'visited', 'left', 'returned to'])} {self.c(['the Zaporizhzhia nuclear plant', 'the front-line town', t, 'the occupied territories'])} {self.c(DAYS)}.",
            f"{o}{self.c(['Air raid sirens', 'Explosions', 'Air defence'])} {self.c(['sounded', 'were heard', 'went into action'])} in {self.c(UA_TOWNS)} and {self.c(UA_TOWNS)} for {self.n(2, 7)} hours {self.c(WHEN)}.",
            f"{o}{self.c(['Residents', 'Shop owners', 'Teachers', 'Volunteers'])} in {t} {self.c(['swept up glass', 'boarded up windows', 'queued for water', 'handed out food'])} as {self.c(['repair crews', 'engineers', 'police', 'officials'])} {self.c(['assessed the damage', 'counted losses', 'cleared the streets'])}.",
            f"{o}Moscow {self.c(['says', 'claims', 'insists'])} its {self.c(['troops', 'missiles', 'drones'])} only target {self.c(['military', 'defence industry', 'energy'])} sites, {self.c(['but', 'yet', 'although'])} {self.c(['the damage', 'witnesses', 'the casualties', 'photographs'])} in {t} {self.c(['suggest otherwise', 'tell a different story', 'contradict that'])}.",
        ]
        return _capital(sentences[k])

    def war_body(self, s: dict, words: int) -> list[str]:
        name, role = s["ua"]
        lead_options = {
            "strike": f"Russian {s['weapon']} struck {s['target']} in {s['town']} {s['when']}, killing {s['killed']} people and injuring {s['injured']}, {name}, {role}, said.",
            "front": f"Ukrainian forces fought off {s['killed'] + 20} Russian assaults near {s['town']} in the {s['region']} {s['when']}, {s['unit']} said, as Moscow pressed its offensive.",
            "diplomacy": f"Officials from Ukraine and its allies met in {s['capital']} {s['when']} to discuss {s['talks']}, as the Kremlin signalled it was in no hurry to end the war.",
            "aid": f"{s['capital']} will send Ukraine {s['aid']} worth {s['money']} million euros, {s['west'][0]}, {s['west'][1]}, announced {s['when']}, as Russian strikes on {s['town']} continued.",
            "energy": f"A Russian attack with {s['drones']} drones and {s['missiles']} missiles {s['when']} damaged energy infrastructure in {s['town']}, leaving thousands without power, Ukraine's energy ministry said.",
            "exchange": f"Russia and Ukraine exchanged {s['pows']} prisoners of war each {s['when']}, in a swap mediated by the United Arab Emirates, {name}, {role}, said.",
        }
        paragraphs = [lead_options[s["topic"]]]
        count = len(paragraphs[0].split())
        while count < words:
            sentences = []
            for _ in range(self.n(2, 4)):
                sentences.append(self.quote(s) if self.r.random() < 0.18 else self.war_sentence(s))
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return paragraphs

    # -- not the war -----------------------------------------------------------------------

    def other_scene(self) -> dict:
        section = self.c(list(NW_TOPICS))
        bodies, subjects = NW_TOPICS[section]
        return {"section": section, "body": self.c(bodies), "subject": self.c(subjects), "place": self.c(NW_PLACES),
                "number": self.n(3, 95), "who": self.person(), "hint": self.r.random() < 0.5}

    def other_title(self, s: dict, variant: int = 0) -> str:
        options = [f"{s['place']} {s['body']} unveils {s['subject']}",
                   f"{s['subject'].capitalize()} in {s['place']}: what changes in {s['number']} days",
                   f"{s['place']} {s['body']} delays {s['subject']} by {s['number'] % 12 + 1} months",
                   f"{s['who']} on the {s['subject']} planned in {s['place']}"]
        title = options[variant % len(options)]
        if s["hint"]:
            title += f", {self.c(NW_HINT_TITLES)} costs cited"
        return title

    def other_sentence(self, s: dict) -> str:
        o = self.c(["", "", "Meanwhile, ", "Separately, ", "Earlier, ", "In a statement, ", "By contrast, "])
        p = self.c(NW_PLACES)
        return _capital(self.c([
            f"{o}The {self.c([s['body'], 'council', 'board', 'committee'])} in {p} said the {self.c([s['subject'], 'plan', 'project', 'proposal'])} would cost {self.n(2, 300)} million euros over {self.n(2, 9)} years.",
            f"{o}{self.person()}, {self.c(['a spokesperson', 'the director', 'a local councillor', 'an analyst'])}, said {self.c(['residents', 'customers', 'visitors', 'researchers'])} could expect {self.c(['changes', 'delays', 'improvements', 'higher prices'])} {self.c(['from May', 'by summer', 'next year', 'within weeks'])}.",
            f"{o}About {self.n(2, 98)} percent of {self.c(['respondents', 'members', 'households', 'users'])} {self.c(['supported', 'opposed', 'welcomed', 'questioned'])} the {self.c([s['subject'], 'idea', 'decision', 'timetable'])} in a {self.c(['survey', 'poll', 'consultation', 'vote'])} published {self.c(['on Friday', 'this week', 'last month'])}.",
            f"{o}{self.c(['Critics', 'Supporters', 'Opposition members', 'Local businesses'])} in {p} {self.c(['argued', 'said', 'warned', 'noted'])} that the {self.c(['budget', 'schedule', 'design', 'consultation'])} {self.c(['was too tight', 'had improved', 'left questions open', 'ignored smaller towns'])}.",
            f"{o}The {self.c(['first phase', 'pilot', 'trial', 'launch'])} is due to {self.c(['begin', 'end', 'open', 'be reviewed'])} in {self.c(['April', 'June', 'September', 'the autumn'])}, with {self.n(10, 900)} {self.c(['staff', 'volunteers', 'new hires', 'participants'])} involved.",
            f"{o}{self.c(['Figures', 'Data', 'Records', 'Estimates'])} from the {self.c(['statistics office', 'regional authority', 'industry association', 'university'])} show a {self.c(['rise', 'fall', 'change', 'jump'])} of {self.n(2, 40)} percent since {self.c(['2019', '2021', 'last spring', 'the pandemic'])}.",
            f"{o}\u201cWe {self.c(['listened carefully', 'worked hard', 'learned a lot', 'took our time'])} and the {self.c(['result', 'plan', 'outcome', 'design'])} shows it,\u201d said {self.person()}, {self.c(['the project lead', 'the chair', 'a manager', 'the organiser'])}.",
            f"{o}{self.c(['Tickets', 'Permits', 'Applications', 'Registrations'])} {self.c(['open', 'close', 'are available'])} {self.c(['online', 'at the town hall', 'at branch offices'])} from {self.c(['Monday', 'next week', 'the first of the month'])}, {self.c(['organisers', 'officials', 'the company'])} said.",
        ]))

    def other_body(self, s: dict, words: int) -> list[str]:
        lead = (f"The {s['body']} in {s['place']} presented its {s['subject']} on Saturday, "
                f"promising {self.c(['a faster service', 'lower costs', 'more space', 'new jobs', 'clearer rules'])} "
                f"within {s['number']} days, {s['who']} said.")
        paragraphs = [lead]
        count = len(lead.split())
        while count < words:
            paragraph = " ".join(self.other_sentence(s) for _ in range(self.n(2, 4)))
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return paragraphs


# --------------------------------------------------------------------------- the corpus


@dataclass
class BenchOutlet:
    slug: str
    name: str
    template: str
    url: str
    feed_format: str
    feed_path: str


@dataclass
class BenchArticle:
    key: str
    outlet: str
    slug: str
    title: str
    summary: str
    published: datetime
    authors: list[str]
    section: str
    war: bool
    paragraphs: list[str]
    copy_of: str | None = None  # key of the original
    copy_kind: str | None = None  # boilerplate, headline, both

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass
class BenchCorpus:
    day: date
    seed: int
    outlets: list[BenchOutlet]
    articles: list[BenchArticle] = field(default_factory=list)

    def truth(self) -> dict:
        war = [a for a in self.articles if a.war]
        return {
            "articles": len(self.articles),
            "war_articles": len(war),
            "war_copies": sum(a.copy_of is not None for a in war),
            "war_originals": sum(a.copy_of is None for a in war),
            "copies": sum(a.copy_of is not None for a in self.articles),
            "outlets": len(self.outlets),
            "median_words": sorted(a.words for a in self.articles)[len(self.articles) // 2] if self.articles else 0,
        }


def outlet_count(n: int) -> int:
    return max(4, min(250, round(n / ARTICLES_PER_OUTLET)))


def generate(n: int, seed: int = 0, day: date = date(2025, 3, 15), outlets: int | None = None, *,
             outlet_seed: int | None = None, taken: set[tuple[str, int]] | None = None) -> BenchCorpus:
    """The day (see the module docstring). For several days by the same outlets (the soak,
    ``soak.py``): the same ``outlet_seed`` gives the same outlets whatever ``seed``, and
    ``taken`` holds the (outlet, article number) pairs of the days before, which this day
    avoids (and adds its own to), so no URL or feed GUID of an outlet is used twice."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    count = outlets or outlet_count(n)
    names, bench_outlets = set(), []
    template_names = list(TEMPLATES)
    names_rng = rng if outlet_seed is None else random.Random(outlet_seed)
    for i in range(count):
        while True:
            name = f"The {names_rng.choice(NAME_A)} {names_rng.choice(NAME_B)}"
            if name not in names:
                names.add(name)
                break
        fmt, feed = FEED_FORMATS[i % len(FEED_FORMATS)]
        slug = f"{_slug(name.replace('The ', ''))}-{i:03d}"
        bench_outlets.append(BenchOutlet(slug, name, template_names[i % len(template_names)],
                                         URL_PATTERNS[i % len(URL_PATTERNS)].replace("{outlet}", slug),
                                         fmt, feed.format(outlet=slug)))
    copies = round(n * COPY_SHARE)
    originals = n - copies
    war_originals = round(originals * WAR_SHARE)
    war_copies = round(n * WAR_SHARE) - war_originals
    start = datetime.combine(day, time(0, 0), tzinfo=timezone.utc)
    corpus = BenchCorpus(day, seed, bench_outlets)
    made: list[BenchArticle] = []
    for i in range(originals):
        war = i < war_originals
        outlet = bench_outlets[rng.randrange(count)]
        words = int(rng.triangular(MIN_WORDS, MAX_WORDS, MODE_WORDS))
        if war:
            scene = writer.war_scene()
            title = writer.war_title(scene, rng.randrange(4))
            paragraphs = writer.war_body(scene, words)
            section = "war"
        else:
            scene = writer.other_scene()
            title = writer.other_title(scene, rng.randrange(4))
            paragraphs = writer.other_body(scene, words)
            section = scene["section"]
        published = start + timedelta(minutes=rng.randrange(5, 20 * 60))
        slug = f"{_slug(title)}-{i}"
        made.append(BenchArticle(
            key=f"{outlet.slug}/{slug}", outlet=outlet.slug, slug=slug, title=title,
            summary=paragraphs[0].split(". ")[0].rstrip(".") + ".", published=published,
            authors=[writer.person()] if rng.random() < 0.8 else [writer.person(), writer.person()],
            section=section, war=war, paragraphs=paragraphs,
        ))
        made[-1]._scene = scene  # for rewritten headlines of copies
    war_pool = [a for a in made if a.war]
    other_pool = [a for a in made if not a.war]
    for j in range(copies):
        war = j < war_copies
        original = rng.choice(war_pool if war else other_pool)
        outlet = rng.choice([o for o in bench_outlets if o.slug != original.outlet])
        kind = rng.choice(["boilerplate", "headline", "both"])
        title = original.title
        if kind in ("headline", "both"):
            variants = [writer.war_title(original._scene, v) if war else writer.other_title(original._scene, v)
                        for v in range(4)]
            title = rng.choice([t for t in variants if t != original.title] or variants)
        paragraphs = list(original.paragraphs)
        if kind in ("boilerplate", "both"):
            source = next(o.name for o in bench_outlets if o.slug == original.outlet)
            paragraphs.insert(0, rng.choice([
                f"This story was first published by {source} and is republished here with permission.",
                f"This article originally appeared in {source}. It has been edited for length.",
                f"Republished from {source} under a content-sharing agreement.",
            ]))
            paragraphs.append(rng.choice([
                f"Sign up for the {outlet.name} morning newsletter to get the day's main stories in your inbox.",
                f"Copyright 2025 {source}. All rights reserved. Distributed by {outlet.name}.",
                f"Read more: the latest updates and analysis are on the {outlet.name} website, updated every hour.",
            ]))
        published = original.published + timedelta(minutes=rng.randrange(10, 240))
        slug = f"{_slug(title)}-c{j}"
        made.append(BenchArticle(
            key=f"{outlet.slug}/{slug}", outlet=outlet.slug, slug=slug, title=title, summary=original.summary,
            published=published, authors=[] if rng.random() < 0.5 else list(original.authors),
            section=original.section, war=war, paragraphs=paragraphs, copy_of=original.key, copy_kind=kind,
        ))
    for article in made:
        article.__dict__.pop("_scene", None)
    _unique_numbers(made, taken)
    corpus.articles = sorted(made, key=lambda a: (a.published, a.key))
    return corpus


def _unique_numbers(articles: list[BenchArticle], taken: set[tuple[str, int]] | None = None) -> None:
    """Two articles of one outlet with the same number would share a feed GUID (one
    entry, by the feed's own account): give the second another slug. ``taken``: numbers
    already used (by earlier days), updated in place."""
    taken = set() if taken is None else taken
    renamed: dict[str, str] = {}
    for article in articles:
        old = article.key
        while (article.outlet, article_number(article.key)) in taken:
            article.slug += "-x"
            article.key = f"{article.outlet}/{article.slug}"
        taken.add((article.outlet, article_number(article.key)))
        if article.key != old:
            renamed[old] = article.key
    for article in articles:
        article.copy_of = renamed.get(article.copy_of, article.copy_of)
    keys = {a.key for a in articles}
    assert all(a.copy_of is None or a.copy_of in keys for a in articles)


def write_sites(corpus: BenchCorpus, folder: Path) -> dict[str, Path]:
    """One demo-format corpus folder per outlet (see the module docstring); {slug: folder}."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    by_outlet: dict[str, list[BenchArticle]] = {o.slug: [] for o in corpus.outlets}
    for article in corpus.articles:
        by_outlet[article.outlet].append(article)
    previous_day = datetime.combine(corpus.day, time(0, 0), tzinfo=timezone.utc) - timedelta(hours=3)
    sites = {}
    for outlet in corpus.outlets:
        site = folder / outlet.slug
        (site / "articles" / outlet.slug).mkdir(parents=True)
        (site / "templates").mkdir()
        (site / "static").mkdir()
        (site / "behaviours.yml").write_text("{}\n", encoding="utf-8")
        template = (DEMO_CORPUS / "templates" / outlet.template).read_text(encoding="utf-8")
        (site / "templates" / outlet.template).write_text(
            template.replace(TEMPLATES[outlet.template], outlet.name), encoding="utf-8")
        spec = {
            "name": outlet.name, "template": outlet.template, "domain": f"{outlet.slug}.example",
            "url": outlet.url, "feed": {"path": outlet.feed_path, "format": outlet.feed_format},
            # The feed also lists the evening before: it reaches back before the day, so the
            # day needs no archive discovery (the nightly case).
            "extra_entries": [{"title": f"{outlet.name} evening briefing: what happened today, in short",
                               "summary": "The main stories of the evening.", "path": f"/{outlet.slug}/briefing/",
                               "published": previous_day.isoformat().replace("+00:00", "Z")}],
        }
        (site / "outlets.yml").write_text(yaml.safe_dump({"outlets": {outlet.slug: spec}}, allow_unicode=True),
                                          encoding="utf-8")
        for article in by_outlet[outlet.slug]:
            meta = {
                "outlet": article.outlet, "slug": article.slug, "title": article.title, "summary": article.summary,
                "published": article.published.isoformat().replace("+00:00", "Z"), "authors": article.authors,
                "section": article.section, "story": article.copy_of or article.key, "war": article.war,
                "lang": "en", "syndicated_from": None,
            }
            text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, width=10_000) + "---\n" + "\n\n".join(article.paragraphs) + "\n"
            (site / "articles" / outlet.slug / f"{article.slug}.md").write_text(text, encoding="utf-8")
        sites[outlet.slug] = site
    return sites


def check_dedup(corpus: BenchCorpus) -> dict:
    """Run the project's duplicate detection in memory over the day's war articles and
    compare its groups with the truth (a generator sanity check, not a benchmark)."""
    from extractors.dedup import Document, MemoryIndex, assign

    index, group_of = MemoryIndex(), {}
    for a in corpus.articles:
        if a.war:
            group_of[a.key] = assign(index, Document(a.key, "", a.title, "\n\n".join(a.paragraphs), a.published)).duplicate_group
    truth = {a.key: (a.copy_of or a.key) for a in corpus.articles if a.war}
    groups = {}
    for key, group in group_of.items():
        groups.setdefault(group, set()).add(truth[key])
    return {"groups": len(groups), "expected": len(set(truth.values())),
            "mixed_groups": sum(len(v) > 1 for v in groups.values())}


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write the outlet folders here")
    parser.add_argument("--check", action="store_true", help="compare in-memory dedup with the truth")
    args = parser.parse_args()
    corpus = generate(args.n, args.seed)
    print(json.dumps(corpus.truth()))
    if args.check:
        print(json.dumps(check_dedup(corpus)))
    if args.out:
        write_sites(corpus, args.out)
