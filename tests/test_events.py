"""PLOVER events from sentences: type, mode, CAMEO root, roles, place, date, numbers."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timezone

import pytest

from extractors.entities import Mention, find_mentions
from extractors.events import MAX_SENTENCE, find_events, split_sentences

#: A Monday: "on Saturday" is two days back, "this week" starts today.
MONDAY = datetime(2025, 3, 17, 8, 0, tzinfo=timezone.utc)

NAMES = {
    "Starmer": "person", "Putin": "person", "Zelenskyy": "person", "Medvedev": "person", "Trump": "person",
    "Ukrainian forces": "group", "Russian troops": "group", "Russian authorities": "organization",
    "EU": "organization", "NATO": "organization",
    "Russia": "place", "Ukraine": "place", "Kyiv": "place", "Moscow": "place", "Kursk": "place",
    "Kharkiv": "place", "Odesa": "place", "UK": "place", "Germany": "place", "France": "place",
    "Britain": "place", "Kherson": "place", "Tbilisi": "place", "Georgia": "place", "US": "place",
    "BRUSSELS": "place", "KYIV": "place", "Danube": "place", "Izmail": "place", "Shebekino": "place",
    "Belgorod": "place",
}
_NAME_RE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, NAMES), key=len, reverse=True)) + r")\b")


def mentions_in(text: str) -> list[Mention]:
    """Unlinked mentions of the names above, as the entity linker would give them."""
    return [Mention(m.start(), m.end(), m.group(), None, NAMES[m.group()], m.group(), "unlinked")
            for m in _NAME_RE.finditer(text)]


def events_of(text: str, published: datetime | None = MONDAY):
    return find_events(text, mentions_in(text), published)


def only(text: str, type_: str, published: datetime | None = MONDAY):
    found = [e for e in events_of(text, published) if e.type == type_]
    assert len(found) == 1, [(e.type, e.sentence) for e in events_of(text, published)]
    return found[0]


def names(mentions) -> list[str]:
    return [m.text for m in mentions]


def test_virtual_meeting_of_leaders_on_saturday():
    event = only("Starmer said on Saturday after a virtual meeting with 25 leaders including Zelenskyy.", "CONSULT")
    assert (event.mode, event.cameo, event.acled) == ("virtual", "04", None)
    assert names(event.actors) == ["Starmer"]
    assert (event.date, event.date_precision) == (date(2025, 3, 15), "day")
    assert [(q.value, q.kind, q.unit) for q in event.quantities] == [(25, "people", "leaders")]


def test_agreement_in_principle_to_a_ceasefire():
    event = only("Putin on Friday agreed in principle to a 30-day ceasefire proposed by the US.", "AGREE")
    assert (event.cameo, names(event.actors), event.recipients) == ("03", ["Putin"], ())
    assert (event.date, event.date_precision) == (date(2025, 3, 14), "day")
    assert [(q.value, q.kind) for q in event.quantities] == [(30, "days")]


def test_ground_offensive_last_summer_has_month_precision_in_the_previous_year():
    event = only("Ukrainian forces launched an offensive into Kursk in August.", "ASSAULT")
    assert (event.mode, event.cameo, event.acled) == ("ground", "19", "Battles")
    assert names(event.actors) == ["Ukrainian forces"]
    assert event.location.text == "Kursk"
    assert (event.date, event.date_precision) == (date(2024, 8, 1), "month")


def test_scheduled_meeting_is_an_agreement_with_week_precision_and_less_confidence_than_a_held_one():
    # Guidelines rule 5: a future meeting stated as scheduled by its participants is AGREE.
    planned = only("Military planners from NATO will meet in the UK this week.", "AGREE")
    held = only("Military planners from NATO met in the UK this week.", "CONSULT")
    assert [e.type for e in events_of("Military planners from NATO will meet in the UK this week.")] == ["AGREE"]
    assert planned.location.text == "UK"
    assert (planned.date, planned.date_precision) == (date(2025, 3, 17), "week")
    assert planned.confidence < held.confidence


def test_overnight_drone_strike_with_deaths():
    event = only("Russian drones struck Kharkiv overnight, killing three people.", "ASSAULT")
    assert (event.mode, event.acled, event.cameo) == ("drone", "Explosions/Remote violence", "19")
    assert event.location.text == "Kharkiv"
    assert (event.date, event.date_precision) == (date(2025, 3, 17), "day")
    assert [(q.value, q.kind) for q in event.quantities] == [(3, "killed")]


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Russia launched two ballistic missiles at Odesa.", "missile"),
        ("Russia shelled Kherson for hours.", "artillery"),
        ("Russia dropped glide bombs on Kharkiv in a new attack.", "glide-bomb"),
        ("Russian troops stormed the outskirts of Kursk.", "ground"),
    ],
)
def test_assault_modes(text, mode):
    assert only(text, "ASSAULT").mode == mode


def test_actor_and_target_of_a_missile_attack():
    event = only("Russia launched 112 drones at Odesa overnight.", "ASSAULT")
    assert names(event.actors) == ["Russia"]
    assert event.location.text == "Odesa"
    assert [(q.value, q.kind) for q in event.quantities] == [(112, "drones")]


def test_sanctions():
    event = only("The EU imposed new sanctions on Russia on Tuesday.", "SANCTION")
    assert (event.cameo, names(event.actors), names(event.recipients)) == ("16", ["EU"], ["Russia"])
    assert event.date == date(2025, 3, 11)


def test_lifting_sanctions_is_a_retreat_not_a_sanction():
    types = [e.type for e in events_of("The US lifted sanctions on Russia.")]
    assert types == ["RETREAT"]


@pytest.mark.parametrize(
    ("text", "cameo"),
    [
        ("Ukraine asked its allies for more air defence systems.", "02"),
        ("Zelenskyy called on NATO to send more air defence.", "02"),
        ("Moscow demanded that Kyiv withdraw its troops.", "10"),
    ],
)
def test_requests_are_appeals_or_demands(text, cameo):
    assert only(text, "REQUEST").cameo == cameo


def test_accusation_has_accuser_and_accused():
    event = only("Moscow accused Kyiv of sabotage.", "ACCUSE")
    assert (event.cameo, names(event.actors), names(event.recipients)) == ("11", ["Moscow"], ["Kyiv"])


def test_rejection_and_threat():
    assert only("Russia rejected the proposal.", "REJECT").cameo == "12"
    threat = only("Medvedev threatened to strike Kyiv.", "THREATEN")
    assert (threat.cameo, names(threat.actors)) == ("13", ["Medvedev"])


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("Medvedev threatened to strike Kyiv.", ["THREATEN"]),
        ("Moscow accused Kyiv of shelling the plant.", ["ACCUSE"]),
        ("Putin demanded that Ukraine withdraw its troops from Kherson.", ["REQUEST"]),
        ("Zelenskyy called on NATO to send more air defence.", ["REQUEST"]),
        ("Russia rejected any deployment of Western troops.", ["REJECT"]),
        ("Russia accused Ukraine of lying, while Russian drones struck Odesa overnight.", ["ACCUSE", "ASSAULT"]),
    ],
)
def test_what_a_speech_act_demands_or_alleges_is_not_an_event_of_its_own(text, types):
    assert [e.type for e in events_of(text)] == types


def test_protest_has_acled_type_and_location():
    event = only("Thousands protested in Tbilisi against the government.", "PROTEST")
    assert (event.mode, event.acled, event.cameo, event.location.text) == ("demo", "Protests", "14", "Tbilisi")


def test_mobilisation_and_withdrawal():
    mobilize = only("Russia announced a new wave of mobilisation.", "MOBILIZE")
    assert (mobilize.cameo, names(mobilize.actors)) == ("15", ["Russia"])
    retreat = only("Russian troops withdrew from Kherson.", "RETREAT")
    assert (retreat.mode, retreat.cameo, retreat.location.text) == ("withdraw", "08", "Kherson")


def test_aid_delivery():
    event = only("Germany delivered more Patriot systems to Ukraine.", "AID")
    assert (event.mode, event.cameo, names(event.actors), names(event.recipients)) == (
        "military", "07", ["Germany"], ["Ukraine"])


def test_loan_disbursed_is_economic_aid_and_a_loan_approved_is_a_promise():
    event = only("The EU disbursed a €3 billion loan to Kyiv last month.", "AID")
    assert (event.mode, names(event.actors), names(event.recipients)) == ("economic", ["EU"], ["Kyiv"])
    assert (event.date, event.date_precision) == (date(2025, 2, 1), "month")
    assert [(q.value, q.unit) for q in event.quantities] == [(3e9, "EUR")]
    # Guidelines rule 10: approved, announced or allocated but not yet delivered is AGREE.
    approved = only("The EU approved a €3 billion loan for Kyiv last month.", "AGREE")
    assert (names(approved.actors), approved.date) == (["EU"], date(2025, 2, 1))
    assert [e.type for e in events_of("Brussels announced a further 1.5 billion euros for Ukraine.")] == ["AGREE"]


def test_phone_call_between_two_leaders():
    event = only("Trump and Putin spoke by phone for two hours on Tuesday.", "CONSULT")
    assert (event.mode, names(event.actors), event.date) == ("phone", ["Trump", "Putin"], date(2025, 3, 11))


def test_joined_actors_agree_to_cooperate():
    event = only("France and Britain agreed to cooperate on drone production.", "AGREE")
    assert names(event.actors) == ["France", "Britain"]


def test_joint_production_is_cooperation():
    event = only("France and Britain started joint production of long-range drones.", "COOPERATE")
    assert (event.cameo, names(event.actors)) == ("06", ["France", "Britain"])


@pytest.mark.parametrize(
    "text",
    [
        "Germany will deliver more Patriot systems to Ukraine.",
        "Russia and Ukraine would exchange 300 prisoners.",
        "Putin said that a prisoner exchange of 175 for 175 would take place on Wednesday.",
        "Russia and Ukraine agreed earlier this week to local ceasefire zones.",
    ],
)
def test_promised_material_cooperation_is_an_agreement(text):
    assert [e.type for e in events_of(text)] == ["AGREE"]


def test_an_exchange_that_happened_is_a_release_even_with_a_long_description():
    text = "Ukraine and Russia exchanged another group of wounded and seriously ill prisoners on Friday."
    assert only(text, "RETREAT").mode == "release"


def test_refusing_to_recognise_is_a_rejection():
    assert [e.type for e in events_of("Zelenskyy said Ukraine would not recognise any such deal.")] == ["REJECT"]


def test_signing_a_deal_is_support():
    event = only("Ukraine and the US signed a minerals deal.", "SUPPORT")
    assert (event.cameo, names(event.actors)) == ("05", ["Ukraine", "US"])


def test_prisoner_exchange_is_a_release():
    event = only("Russia and Ukraine exchanged 175 prisoners of war on Wednesday.", "RETREAT")
    assert (event.mode, event.cameo) == ("release", "08")
    assert [(q.value, q.kind) for q in event.quantities] == [(175, "people")]


def test_concession():
    assert only("Zelenskyy conceded that Kursk was lost.", "CONCEDE").cameo == "08"


def test_arrest_and_deportation_are_coercion():
    arrest = only("Russian authorities detained a journalist in Moscow.", "COERCE")
    assert (arrest.mode, arrest.cameo, arrest.location.text) == ("arrest", "17", "Moscow")
    assert only("Russia deported children from Kherson.", "COERCE").mode == "deport"


def test_the_place_after_city_of_is_the_location_and_a_target_beats_a_region():
    port = only("Drones damaged a grain terminal in the Danube port of Izmail on Sunday.", "ASSAULT")
    assert port.location.text == "Izmail"
    town = only("Ukraine shelled the town of Shebekino in the Belgorod region.", "ASSAULT")
    assert town.location.text == "Shebekino"


def test_a_border_with_a_country_is_not_where_troops_go():
    event = only("Russia rushed reinforcements to its border with Ukraine.", "MOBILIZE")
    assert event.location is None


def test_the_dateline_locates_statements_but_not_attacks():
    text = "BRUSSELS — The EU adopted a new package of sanctions against Russia. Russian drones struck Kherson."
    sanction, attack = events_of(text)
    assert (sanction.type, sanction.location.text) == ("SANCTION", "BRUSSELS")
    assert (attack.type, attack.location.text) == ("ASSAULT", "Kherson")
    (no_dateline,) = events_of("The EU adopted a new package of sanctions against Russia.")
    assert no_dateline.location is None


def test_passive_voice_takes_the_agent_after_by():
    event = only("Kursk was occupied by Ukrainian forces in August.", "ASSAULT")
    assert names(event.actors) == ["Ukrainian forces"]
    assert event.location.text == "Kursk"


@pytest.mark.parametrize(
    "text",
    [
        "Putin did not agree to the ceasefire.",
        "Putin has yet to agree to the ceasefire.",
        "Putin stalled without fully rejecting the proposal.",
        "Russia never sanctioned the deal.",
    ],
)
def test_negated_triggers_give_no_event(text):
    assert events_of(text) == []


def test_a_pause_in_fighting_is_not_fighting():
    assert [e.type for e in events_of("They discussed a pause in fighting.")] == ["CONSULT"]


def test_hyphenated_adjectives_are_not_triggers():
    assert events_of("The Russian-occupied town and the US-backed plan.") == []


def test_reported_speech_still_carries_events():
    text = "“We agreed to a ceasefire,” Putin said. Zelenskyy said Russia had attacked Kyiv again."
    assert [e.type for e in events_of(text)] == ["AGREE", "ASSAULT"]


def test_several_events_per_article_each_with_its_sentence():
    text = ("Russian drones struck Kharkiv overnight, killing three people. The EU imposed sanctions on "
            "Russia.\nZelenskyy asked the EU for more air defence.")
    found = events_of(text)
    assert [e.type for e in found] == ["ASSAULT", "SANCTION", "REQUEST"]
    assert all(text[e.start:e.end] == e.sentence for e in found)
    assert all(0 < e.confidence <= 1 for e in found)


def test_one_event_per_type_per_sentence():
    found = events_of("Russia attacked Kyiv with drones and struck Odesa with missiles, killing two.")
    assert [e.type for e in found] == ["ASSAULT"]


def test_no_date_without_a_time_expression_or_publication():
    assert only("Russia shelled Kherson.", "ASSAULT").date is None
    event = only("Russia shelled Kherson on Friday.", "ASSAULT", published=None)
    assert (event.date, event.date_precision) == (None, None)


def test_sentences_split_on_glued_paragraphs_but_not_abbreviations():
    text = "Mr. Putin met Gen. Gerasimov in the U.S. embassy.Then he left.“We agreed,” he said. Next"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Mr. Putin met Gen. Gerasimov in the U.S. embassy.", "Then he left.", "“We agreed,” he said.", "Next"]


def test_with_the_entity_linker_roles_carry_canonical_entities():
    text = ("Putin on Friday agreed in principle to a 30-day ceasefire. The EU imposed sanctions on Russia. "
            "Russian drones struck Kharkiv overnight, killing three people.")
    agree, sanction, assault = find_events(text, find_mentions(text, MONDAY.date()), MONDAY)
    assert (agree.type, [m.name for m in agree.actors]) == ("AGREE", ["Vladimir Putin"])
    assert ([m.name for m in sanction.actors], [m.name for m in sanction.recipients]) == (
        ["European Union"], ["Russia"])
    assert (assault.type, assault.location.entity.id) == ("ASSAULT", "place/kharkiv")


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "...", "!!!???", "\x00", "a", "Putin."])
def test_odd_input_does_not_crash(text):
    assert find_events(text, mentions_in(text), MONDAY) == []


def test_an_800_word_article_takes_milliseconds_and_a_megabyte_stays_bounded():
    paragraph = ("Russian drones struck Kharkiv overnight, killing three people and injuring 12. "
                 "The EU imposed sanctions on Russia on Friday. Starmer said on Saturday after a virtual "
                 "meeting with 25 leaders that military planners will meet in the UK this week. "
                 "Ukrainian forces launched an offensive into Kursk in August, while Moscow accused Kyiv "
                 "of sabotage and Putin agreed in principle to a 30-day ceasefire. ")
    article = paragraph * (800 // len(paragraph.split()))
    mentions = mentions_in(article)
    find_events(article, mentions, MONDAY)  # warm the lexicon caches
    started = time.process_time()
    events = find_events(article, mentions, MONDAY)
    assert time.process_time() - started < 0.05
    assert len(events) >= 8

    megabyte = ("Word " * 200 + "Russia shelled Kherson on Friday. ") * 900
    started = time.process_time()
    events = find_events(megabyte, mentions_in(megabyte), MONDAY)
    assert time.process_time() - started < 10
    assert len(events) == 900


def test_a_page_without_punctuation_is_cut_into_bounded_sentences():
    page = "word " * 50_000 + "Russia shelled Kherson"
    bounds = split_sentences(page)
    assert max(end - start for start, end in bounds) <= MAX_SENTENCE
    assert "".join(page[start:end] for start, end in bounds).replace(" ", "") == page.replace(" ", "")
    (event,) = events_of(page)
    assert len(event.sentence) <= MAX_SENTENCE and event.sentence.endswith("Russia shelled Kherson")


def test_an_averted_attack_is_not_reported_as_one():
    text = ("Starmer promised security guarantees to prevent Russia from attacking Ukraine again. "
            "Russian drones attacked Kharkiv overnight, killing three people.")
    mentions = find_mentions(text, date(2025, 3, 15))
    events = [e for e in find_events(text, mentions, datetime(2025, 3, 15)) if e.type == "ASSAULT"]
    assert [e.sentence for e in events] == ["Russian drones attacked Kharkiv overnight, killing three people."]


def test_what_a_speaker_says_between_quotation_marks_is_not_an_event():
    from extractors.facts import extract_facts

    text = ("Russian forces struck Kharkiv overnight, the governor said. "
            "“They will keep attacking our cities until the world stops them,” Zelenskyy said. "
            "Moscow claimed its troops had “liberated” a village near Pokrovsk.")
    events = extract_facts("", text, MONDAY).events
    assert [(e.type, text[e.start:e.end].split()[0]) for e in events] == [
        ("ASSAULT", "Russian"),   # the reported strike
        ("ASSAULT", "Moscow"),    # a scare-quoted verb is the reporter's word, still an event
    ]


def test_a_country_named_by_its_forces_is_the_actor():
    from extractors.facts import extract_facts

    text = ("Russian forces struck Kharkiv overnight. Part of the Kursk region was occupied by "
            "Ukrainian forces in August. The Russian-backed separatists shelled Donetsk.")
    actors = [[a.name for a in e.actors] for e in extract_facts("", text, MONDAY).events]
    assert actors[:2] == [["Russia"], ["Ukraine"]]
    assert "Russia" not in actors[2]  # backed by Russia is not Russia acting
    entities = {e.name for e in extract_facts("", text, MONDAY).entities}
    assert "Russia" not in entities and "Ukraine" not in entities  # demonyms are not entity mentions


def test_the_attack_told_before_is_not_a_new_attack():
    text = ("Russian drones struck Odesa overnight, killing two people. "
            "Zelenskyy called the attack a war crime. Kyiv said the strikes would not stop its exports.")
    assert [e.type for e in events_of(text)].count("ASSAULT") == 1
    # A definite phrase with nothing before it is the first report, not a reference.
    assert [e.type for e in events_of("The overnight attack on Kharkiv killed three people.")] == ["ASSAULT"]


@pytest.mark.parametrize("text,type_", [
    ("The jets were supplied by Denmark and the Netherlands.", "AID"),
    ("Moscow said it would respond accordingly to the strikes.", "THREATEN"),
    ("Російські війська просунулися в центральній частині Торецька.", "ASSAULT"),
    ("Силами протиповітряної оборони збито 81 ракету.", "ASSAULT"),
])
def test_passive_aid_threats_of_response_and_cyrillic_advances(text, type_):
    assert type_ in [e.type for e in events_of(text)]


# ---------------------------------------------------------------- patterns of war reporting
# The sentences below are written for these tests (none comes from the facts development
# set); the rule numbers are those of the annotation guidelines in benchmarks/facts/README.md.


def types(text: str) -> list[str]:
    return [e.type for e in events_of(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # A later sentence that gives facts about an event states it again (rule 7).
    ("Russian missiles struck Dnipro overnight. The strike killed four people and damaged a hospital.",
     ["ASSAULT", "ASSAULT"]),
    ("The barrage began after midnight. The barrage lasted more than six hours.", ["ASSAULT", "ASSAULT"]),
    # "The leaders met" is a verb after its subject, not a reference back to a meeting.
    ("Putin met Trump on Friday. The leaders met again on Saturday.", ["CONSULT", "CONSULT"]),
    # An event noun that only dates something else is no event (rule 6).
    ("Russia invaded Ukraine in 2022. Kyiv has rebuilt much of its grid since the invasion began.", ["ASSAULT"]),
    ("Leaders gathered in Kyiv on the third anniversary of the invasion.", []),
    ("Rescue crews worked through the night after the strike.", []),
])
def test_restatements_with_facts_count_and_events_used_as_dates_do_not(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The Kremlin rejected the allegations.", []),
    ("Moscow denied the accusations.", []),
    ("Kyiv dismissed the talks in Minsk as a farce.", ["ACCUSE"]),
    ("Zelenskyy dismissed the Russian proposal.", ["REJECT"]),
    ("Zelenskyy dismissed the conditions set by Moscow.", ["REJECT"]),
])
def test_denials_are_no_event_and_dismissing_what_is_no_proposal_is_an_accusation(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize("text", [
    "Officials said Russia could launch a new offensive in the spring.",
    "If talks fail, Washington may impose new sanctions on Moscow.",
    "Putin and Trump are expected to meet in Budapest.",
    "Russian media reported that a meeting was expected late on Thursday.",
    "Analysts said Moscow would likely press its offensive.",
    "He said he would resign if the bill passed.",
    "Trump said he would like to meet Putin.",
    "Analysts said the war would drag on into next year.",
    "Peskov said it would be premature to comment.",
    "The minister said the army will need more recruits.",
])
def test_possible_conditional_expected_and_forecast_events_are_not_annotated(text):
    assert types(text) == []


def test_the_month_may_is_not_a_modal_and_an_own_threat_may_be_conditional():
    assert types("Russian drones struck Odesa on 3 May.") == ["ASSAULT"]
    assert types("Medvedev said Russia could walk away from the talks.") == ["THREATEN"]


@pytest.mark.parametrize(("text", "expected"), [
    # A commitment by its own actor to a future act is AGREE (rule 5) ...
    ("The defence minister said he would travel to Warsaw next week.", ["AGREE"]),
    ("Zelenskyy said he would meet Trump in Washington on Monday.", ["AGREE"]),
    ("Rutte will visit Kyiv on Thursday.", ["AGREE"]),
    # ... unless the clause names the act as something else.
    ("Britain said it would hand over 30 wounded prisoners as a goodwill gesture.", ["CONCEDE"]),
    ("Moscow said it would keep up pressure on Kyiv.", ["THREATEN"]),
])
def test_a_speakers_own_commitment_in_reported_speech_is_an_agreement(text, expected):
    assert types(text) == expected


def test_the_commitment_carries_its_date_and_speaker():
    event = only("Zelenskyy said on Saturday he would travel to Washington.", "AGREE")
    assert names(event.actors) == ["Zelenskyy"]
    assert (event.date, event.date_precision) == (date(2025, 3, 15), "day")


@pytest.mark.parametrize(("text", "expected"), [
    ("Zelenskyy said Europe must have a seat at the negotiating table.", ["REQUEST"]),
    ("The Kremlin's envoy said Kyiv had to withdraw from the four regions first.", ["REQUEST"]),
    ("Washington is pushing both sides to accept a ceasefire.", ["REQUEST"]),
    ("Putin set out his conditions for a ceasefire on Friday.", ["REQUEST"]),
    ("The general said the situation at the front remained difficult.", []),
    ("Russian units pushed north towards Kurakhove.", ["ASSAULT"]),
])
def test_saying_that_another_party_must_act_is_a_request(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Forty-two Ukrainian prisoners of war were freed on Friday, the coordination headquarters said.", ["RETREAT"]),
    ("Relatives waited at the border for the soldiers released in the swap.", ["RETREAT"]),
    # Exchanging lists is talking, not a release.
    ("The two sides exchanged lists of prisoners for the next swap.", ["CONSULT"]),
])
def test_releases_in_the_passive_and_exchanges_of_lists(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The Kremlin warned that Moscow would respond to any deployment of Western troops.", ["THREATEN"]),
    ("The IAEA warned of the risk of a radiological accident.", []),
    ("Officials warned that the winter could be the hardest yet.", []),
])
def test_a_warning_is_a_threat_only_when_it_announces_what_the_speaker_will_do(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Police in riot gear guarded the embassy.", []),
    ("Kyiv said it had no evidence of any attack on the pipeline.", []),
    ("The troops pulled back to avoid being encircled.", ["RETREAT"]),
    ("The new batteries will protect the capital from missile attacks.", []),
])
def test_riot_gear_any_attack_and_averted_attacks_are_not_attacks(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Blame without an accusing verb (rule 4): the attack alleged is the accusation's content.
    ("The Russian defence ministry said Ukrainian troops had staged the attack to derail the talks.", ["ACCUSE"]),
    ("Ukraine's General Staff said Russian forces had violated the Easter truce more than 2,000 times.",
     ["ACCUSE"]),
    ("Ukrainian officials said Russian forces had used chemical weapons near Pokrovsk.", ["ACCUSE"]),
    ("The Kremlin said Ukrainian forces were responsible for the blast at the depot.", ["ACCUSE"]),
    ("The Foreign Ministry said the sanctions were illegal.", ["ACCUSE"]),
    # A report of an attack without such a charge is the attack.
    ("The governor said Russian drones struck the city overnight.", ["ASSAULT"]),
    ("The governor said the attack had caused fires at two depots.", ["ASSAULT"]),
])
def test_blame_in_reported_speech_is_an_accusation(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Zelenskyy urged allies to speed up deliveries and agree on new sanctions.", ["REQUEST"]),
    ("The accord commits Washington to training Ukrainian pilots and supplying ammunition.", []),
    ("The doctrine allows Moscow to use nuclear weapons in response to an attack.", []),
    ("Negotiators met in Geneva to agree on a prisoner exchange.", ["CONSULT"]),
    ("Erdogan invited Putin and Zelenskyy to hold talks in Istanbul.", ["AGREE"]),
    ("The Kremlin said it was ready for talks with Kyiv.", ["AGREE"]),
])
def test_what_is_urged_offered_or_aimed_at_and_the_terms_of_a_deal_are_not_events(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The head of the IAEA attended the meeting in Vienna.", ["CONSULT"]),
    ("The Ukrainian delegation was led by Defence Minister Rustem Umerov.", ["CONSULT"]),
    ("The Gulf state has brokered most of the recent exchanges.", ["CONSULT"]),
    ("He spoke at a briefing in Kyiv.", []),
    ("Slovakia dropped its objections to the package.", ["CONCEDE"]),
    ("Negotiators reached an agreement on a 30-day truce on Tuesday.", ["AGREE"]),
])
def test_taking_part_in_talks_concessions_and_agreements_reached(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Russian infantry, backed by armoured vehicles, attacked the village.", ["ASSAULT"]),
    ("Germany backed the proposal.", ["SUPPORT"]),
    ("Among the dead were two children, the governor said.", ["ASSAULT"]),
    ("Twelve people were injured in the attack on Sumy.", ["ASSAULT"]),
    ("The exchange included 20 wounded soldiers.", ["RETREAT"]),
])
def test_casualties_state_the_attack_and_troops_backed_by_weapons_are_not_support(text, expected):
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The first Leopard tanks arrived in Ukraine on Monday.", ["AID"]),
    ("A Chinese delegation arrived in Kyiv on Monday.", []),
    ("The sanctions adopted by the EU on Friday target 20 banks.", ["SANCTION"]),
])
def test_aid_and_sanctions_named_before_their_verb(text, expected):
    assert types(text) == expected


def test_aid_promised_by_a_donor_and_arrived_is_both():
    assert types("The first of the jets promised by Norway have arrived.") == ["AGREE", "AID"]


def test_two_attacks_in_one_sentence_when_the_days_differ():
    first, second = events_of("Russia shelled Kherson on Saturday, a day after Ukrainian forces struck "
                              "Belgorod on Friday.")
    assert (first.type, first.date, second.type, second.date) == (
        "ASSAULT", date(2025, 3, 15), "ASSAULT", date(2025, 3, 14))
    assert names(second.actors) == ["Ukrainian forces"]
