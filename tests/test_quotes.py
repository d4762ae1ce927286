"""Quotes and their speakers: every attribution pattern, pronouns and roles, odd marks.

The texts are written for these tests in the style of war reporting. Mentions are built
by hand from a small cast (what ``find_mentions`` would return), so the tests pin down the
quote logic alone.
"""

import re
import time

import pytest

from extractors.entities import Entity, Mention
from extractors.quotes import Quote, find_quotes


def _person(slug: str, name: str, country: str) -> Entity:
    return Entity(f"person/{slug}", name, "person", None, None, None, None, country)


ZELENSKYY = _person("volodymyr-zelenskyy", "Volodymyr Zelenskyy", "UA")
PUTIN = _person("vladimir-putin", "Vladimir Putin", "RU")
STARMER = _person("keir-starmer", "Keir Starmer", "GB")
KALLAS = _person("kaja-kallas", "Kaja Kallas", "EE")
SYBIHA = _person("andrii-sybiha", "Andrii Sybiha", "UA")
PESKOV = _person("dmitry-peskov", "Dmitry Peskov", "RU")
SYRSKYI = _person("oleksandr-syrskyi", "Oleksandr Syrskyi", "UA")
KREMLIN = Entity("org/kremlin", "Kremlin", "organization", None, None, None, None, "RU")
KYIV = Entity("place/kyiv", "Kyiv", "place", None, None, None, None, "UA")
KHERSON = Entity("place/kherson", "Kherson", "place", None, None, None, None, "UA")

CAST = {
    "Volodymyr Zelenskyy": ZELENSKYY, "Zelenskyy": ZELENSKYY, "Зеленський": ZELENSKYY,
    "Vladimir Putin": PUTIN, "Putin": PUTIN,
    "Keir Starmer": STARMER, "Starmer": STARMER,
    "Kaja Kallas": KALLAS, "Kallas": KALLAS,
    "Andrii Sybiha": SYBIHA, "Sybiha": SYBIHA, "Сибіги": SYBIHA,
    "Dmitry Peskov": PESKOV, "Peskov": PESKOV, "Песков": PESKOV,
    "Oleksandr Syrskyi": SYRSKYI, "Syrskyi": SYRSKYI,
    "Kremlin": KREMLIN, "Kyiv": KYIV, "Kherson": KHERSON,
}


def mentions(text: str, unlinked: dict[str, str] | None = None) -> list[Mention]:
    """Every cast name in ``text`` (longest first, no overlaps), plus ``unlinked`` names
    (surface: type) that are in no registry."""
    unlinked = unlinked or {}
    found: list[Mention] = []
    surfaces = sorted(list(CAST) + list(unlinked), key=len, reverse=True)
    for surface in surfaces:
        for match in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if any(match.start() < m.end and m.start < match.end() for m in found):
                continue
            entity = CAST.get(surface)
            found.append(Mention(match.start(), match.end(), surface, entity,
                                 entity.type if entity else unlinked[surface], entity.name if entity else surface,
                                 "alias" if entity else "unlinked"))
    return sorted(found, key=lambda m: m.start)


def quotes_in(text: str, unlinked: dict[str, str] | None = None) -> list[Quote]:
    """find_quotes with the cast's mentions, checking the invariants every quote must keep."""
    found = find_quotes(text, mentions(text, unlinked))
    for q in found:
        assert text[q.start:q.end] == q.text and q.text == q.text.strip() and q.text
        assert q.sentence_start <= q.start < q.end <= q.sentence_end <= len(text)
        assert not re.match("[\"“”„«»‘’]", q.text[0]) and not re.search("[\"“”„«»]$", q.text)
    assert [q.start for q in found] == sorted(q.start for q in found)
    return found


def speaker(q: Quote) -> str | None:
    if q.speaker is None:
        return None
    return q.speaker.entity.id if q.speaker.entity else q.speaker.name


def direct(text: str, unlinked: dict[str, str] | None = None) -> list[Quote]:
    return [q for q in quotes_in(text, unlinked) if q.direct]


# --- Attribution patterns -------------------------------------------------------------------

def test_attribution_after_the_quote():
    text = ("Air raid sirens sounded across Kyiv before dawn. “Our air defence worked all night, and I thank "
            "every crew,” Zelenskyy said in his evening address. Power was restored by noon.")
    [q] = direct(text)
    assert q.text == "Our air defence worked all night, and I thank every crew"
    assert (q.cue, speaker(q)) == ("said", ZELENSKYY.id)
    assert text[q.sentence_start:q.sentence_end] == (
        "“Our air defence worked all night, and I thank every crew,” Zelenskyy said in his evening address.")


def test_attribution_before_the_quote_goes_to_the_subject_not_the_companion():
    text = 'Speaking in Brussels alongside Starmer, Kallas said: "Europe will not leave Ukraine alone."'
    [q] = direct(text)
    assert (q.text, q.cue, speaker(q)) == ("Europe will not leave Ukraine alone.", "said", KALLAS.id)
    assert (q.sentence_start, q.sentence_end) == (0, len(text))


def test_inverted_attribution_and_comma_outside_the_marks():
    text = "“We are ready to send planners to Kyiv”, said Starmer, speaking after the call."
    [q] = direct(text)
    assert (q.text, q.cue, speaker(q)) == ("We are ready to send planners to Kyiv", "said", STARMER.id)


def test_attribution_without_a_comma_told_reporters():
    text = "“The front near Pokrovsk is holding” Syrskyi told reporters on Tuesday."
    [q] = direct(text)
    assert (q.text, q.cue, speaker(q)) == ("The front near Pokrovsk is holding", "told", SYRSKYI.id)


@pytest.mark.parametrize("cue", ["wrote", "warned", "stressed", "insisted", "added"])
def test_cue_verb_is_stored_as_written(cue):
    text = f"“Russia is massing troops for a spring offensive,” Syrskyi {cue} on Telegram."
    [q] = direct(text)
    assert (q.cue, speaker(q)) == (cue, SYRSKYI.id)


def test_according_to():
    text = "According to Sybiha, “the talks in Istanbul produced nothing but a prisoner exchange.”"
    [q] = direct(text)
    assert (q.cue, speaker(q)) == ("According to", SYBIHA.id)
    assert q.text == "the talks in Istanbul produced nothing but a prisoner exchange."


def test_quote_split_around_its_attribution_keeps_one_speaker():
    text = ("“We will not trade territory for promises,” Zelenskyy said, “and we will not accept a ceasefire "
            "that lets Russia rearm.” Putin did not respond.")
    first, second = direct(text)
    assert first.text == "We will not trade territory for promises"
    assert second.text == "and we will not accept a ceasefire that lets Russia rearm."
    assert speaker(first) == speaker(second) == ZELENSKYY.id
    assert first.sentence_start == second.sentence_start == 0
    assert first.sentence_end == second.sentence_end == text.index(" Putin")


def test_second_half_of_a_split_quote_after_a_longer_attribution():
    text = ("“The day the guns fall silent,” Starmer told a news conference with Zelenskyy, “the guarantees "
            "will be ready.”")
    first, second = direct(text)
    assert (speaker(first), first.cue) == (speaker(second), second.cue) == (STARMER.id, "told")


def test_multi_paragraph_quote_is_one_quote_per_paragraph_with_the_same_speaker():
    text = ("Sybiha spoke about the night in Odesa.\n"
            "\"The drones came in waves, one after another, from midnight until five in the morning.\n"
            "\"Rescuers are still pulling people from the rubble. We need air defence, not statements,\" he said.\n"
            "Putin has not commented.")
    first, second = direct(text)
    assert first.text == "The drones came in waves, one after another, from midnight until five in the morning."
    assert second.text == "Rescuers are still pulling people from the rubble. We need air defence, not statements"
    assert speaker(first) == speaker(second) == SYBIHA.id
    assert first.cue == second.cue == "said"


def test_a_quote_following_an_attributed_one_carries_its_speaker():
    text = ("\"The Kremlin's dithering must end,\" Starmer said. \"Our planners will meet again this week.\"\n"
            "\"Ukraine will decide its own future.\"")
    quotes = direct(text)
    assert [speaker(q) for q in quotes] == [STARMER.id] * 3
    assert [q.cue for q in quotes] == ["said", None, None]


def test_quote_glued_to_the_previous_sentence():
    text = ("Starmer spoke after a call with leaders of 25 countries.“We agreed military planners would meet "
            "again,” Starmer added.")
    [q] = direct(text)
    assert (q.cue, speaker(q)) == ("added", STARMER.id)
    assert q.sentence_start == text.index("“")


def test_a_few_quoted_words_inside_a_sentence_go_to_its_speaker():
    text = "Zelenskyy pressed Western allies to define a “clear position” on security guarantees."
    [q] = direct(text)
    assert (q.text, q.cue, speaker(q)) == ("clear position", "pressed", ZELENSKYY.id)


def test_an_unnamed_speaker_is_null():
    text = "“The shelling did not stop all night,” a resident of Kherson said."
    [q] = direct(text)
    assert (q.cue, q.speaker) == ("said", None)


def test_a_name_missing_from_the_mentions_becomes_an_unlinked_speaker():
    text = "“We slept in the metro again,” said Olena Kovalchuk, a teacher from Kharkiv."
    [q] = direct(text)
    assert q.speaker.entity is None and q.speaker.via == "unlinked"
    assert text[q.speaker.start:q.speaker.end] == q.speaker.name == "Olena Kovalchuk"


# --- Pronouns and roles ---------------------------------------------------------------------

def test_he_goes_to_the_subject_not_the_most_recent_name():
    text = ("Starmer arrived in Kyiv on Monday for talks. Zelenskyy thanked Starmer for the new drones. "
            "“Britain has stood with us from the first day,” he said.")
    [q] = direct(text)
    assert speaker(q) == ZELENSKYY.id


def test_he_and_she_go_to_the_person_of_that_gender():
    text = ("Zelenskyy spoke to Kallas by phone on Friday.\n"
            "“Europe must keep the pressure on Moscow,” she said.\n"
            "“We count on that,” he said.")
    she, he = direct(text)
    assert (speaker(she), speaker(he)) == (KALLAS.id, ZELENSKYY.id)


def test_names_inside_a_quote_are_never_its_speaker():
    text = "Starmer spoke after the summit. “Putin does not want peace, and Putin knows it,” he said."
    [q] = direct(text)
    assert speaker(q) == STARMER.id


def test_roles_resolve_to_the_person_the_article_gave_that_title():
    text = ("Russian President Vladimir Putin spoke to reporters in Moscow on Friday, and Ukrainian President "
            "Volodymyr Zelenskyy answered him hours later. Foreign Minister Andrii Sybiha was in Brussels.\n"
            "“Moscow is buying time, not making peace,” the Ukrainian president said.\n"
            "“We have heard these promises before,” the minister told journalists.\n"
            "“There are questions that need to be worked out,” the Russian leader said.\n"
            "“We are in no hurry,” the president added.")
    quotes = direct(text)
    # the last "president" is the one just quoted, not the latest president named
    assert [speaker(q) for q in quotes] == [ZELENSKYY.id, SYBIHA.id, PUTIN.id, PUTIN.id]
    assert [q.cue for q in quotes] == ["said", "told", "said", "added"]


def test_appositive_title_resolves_a_later_role():
    text = ("Dmitry Peskov, the Kremlin spokesman, said: “No date has been set.”\n"
            "Zelenskyy called the statement a stalling tactic.\n"
            "“Contacts continue at the level of experts,” the spokesman added.")
    first, second = direct(text)
    assert speaker(first) == speaker(second) == PESKOV.id


def test_an_unattributed_quote_goes_to_the_speaker_of_the_sentence_before():
    text = ("Air defences shot down 40 of 55 drones overnight.\n"
            "Zelenskyy urged neighbouring countries to help intercept missiles over western Ukraine.\n"
            "“Our neighbours have the aircraft, and the missiles fly right along their borders.”")
    [q] = direct(text)
    assert (q.cue, speaker(q)) == (None, ZELENSKYY.id)


def test_the_rest_of_an_attribution_sentence_does_not_break_the_carry_over():
    text = ("“The jets are here,” Zelenskyy said, standing in front of two F-16s at an airfield. "
            "“Our pilots learned in months what usually takes years.”")
    first, second = direct(text)
    assert speaker(first) == speaker(second) == ZELENSKYY.id


def test_a_named_organisation_speaks_and_the_department_is_the_latest_one():
    state = Entity("org/us-department-of-state", "United States Department of State", "organization", None,
                   None, None, None, "US")
    treasury = Entity("org/us-treasury", "United States Department of the Treasury", "organization", None,
                      None, None, None, "US")
    text = ("The State Department said Russia had used chloropicrin against Ukrainian troops. The Treasury "
            "announced new sanctions.\n“This is not an isolated incident,” the department said in a statement.")
    found = [Mention(text.index("State Department"), text.index("State Department") + 16, "State Department",
                     state, "organization", state.name, "alias"),
             Mention(text.index("Treasury"), text.index("Treasury") + 8, "Treasury", treasury, "organization",
                     treasury.name, "alias")]
    [q] = [q for q in find_quotes(text, found) if q.direct]
    assert q.speaker.entity == state


def test_a_role_the_article_gave_in_other_words():
    text = ("Dmytro Lubinets, the Ukrainian parliament's human rights commissioner, met the freed soldiers.\n"
            "“Many of them need long treatment,” the ombudsman said.")
    [q] = direct(text, unlinked={"Dmytro Lubinets": "person"})
    assert q.speaker.name == "Dmytro Lubinets"


def test_a_described_but_unnamed_speaker_is_null():
    text = ("“They come in groups of five or six,” said a drone operator with the 24th Mechanized Brigade, "
            "who asked not to be named.")
    [q] = direct(text, unlinked={"24th Mechanized Brigade": "group"})
    assert (q.cue, q.speaker) == ("said", None)


def test_an_unresolvable_pronoun_leaves_the_speaker_null():
    text = "“We will rebuild every school,” she said."
    [q] = direct(text)
    assert (q.cue, q.speaker) == ("said", None)


# --- Marks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Britain and France want to lead a ‘coalition of the willing’ that could deploy after a ceasefire.",
    "Analysts call the front line a 'frozen conflict' in the making.",
    "Starmer said Britain would lead a ‘coalition of the willing’ if a deal was reached.",
])
def test_single_quotes_used_as_scare_quotes_are_not_quotes(text):
    assert direct(text) == []


def test_scare_quotes_inside_a_quote_stay_part_of_it():
    text = ("“We will be ready to deploy as a ‘coalition of the willing’ to help secure Ukraine,” "
            "Starmer said.")
    [q] = direct(text)
    assert q.text == "We will be ready to deploy as a ‘coalition of the willing’ to help secure Ukraine"


def test_single_quotes_count_when_attributed():
    text = "‘We will not be intimidated by drones over our airports,’ Kallas said. Ukraine’s allies agreed."
    [q] = direct(text)
    assert (q.text, q.cue, speaker(q)) == ("We will not be intimidated by drones over our airports", "said",
                                           KALLAS.id)


def test_cyrillic_guillemets_and_low_high_quotes():
    text = ("«Ми не віддамо жодного міста», — сказав Зеленський. Песков заявив: «Переговори тривають».\n"
            "За словами Сибіги, „Україна готова до обміну полоненими“.")
    quotes = direct(text)
    assert [(q.text, q.cue, speaker(q)) for q in quotes] == [
        ("Ми не віддамо жодного міста", "сказав", ZELENSKYY.id),
        ("Переговори тривають", "заявив", PESKOV.id),
        ("Україна готова до обміну полоненими", "За словами", SYBIHA.id),
    ]


def test_english_text_with_low_high_quotes():
    text = "Syrskyi said: „Our units have stabilised the front near Kupiansk.“ Fighting continued."
    [q] = direct(text)
    assert (q.text, speaker(q)) == ("Our units have stabilised the front near Kupiansk.", SYRSKYI.id)


def test_unclosed_quote_ends_with_its_paragraph():
    text = ("“We will hold the line whatever it costs, Zelenskyy said in Kharkiv.\n"
            "Meanwhile air defences shot down 40 of 55 drones, the air force said.")
    quotes = quotes_in(text)
    first = quotes[0]
    assert first.direct and first.text == "We will hold the line whatever it costs, Zelenskyy said in Kharkiv."
    assert all(q.end <= text.index("\n") or not q.direct for q in quotes)


def test_names_and_terms_in_quotation_marks_are_not_quotes():
    text = ("Russia fired 11 «Калібр» missiles from the Black Sea. The \"Oreshnik\" missile was not used.\n"
            "Starmer called the talks “a first step”.")
    [q] = direct(text)
    assert (q.text, speaker(q)) == ("a first step", STARMER.id)


def test_straight_quote_marks_for_inches_are_not_quotes():
    text = 'The shell casing measured 6" across, officials said, and the crater was 3 metres deep.'
    assert direct(text) == []


# --- Reported speech ------------------------------------------------------------------------

def test_reported_speech_is_not_direct():
    text = ("On Friday, Putin said there were issues to work out. Zelenskyy said Ukraine would not withdraw "
            "from the Donbas. Kallas told reporters the EU would prepare a new sanctions package.")
    quotes = quotes_in(text)
    assert [(q.text, q.cue, speaker(q), q.direct) for q in quotes] == [
        ("there were issues to work out", "said", PUTIN.id, False),
        ("Ukraine would not withdraw from the Donbas", "said", ZELENSKYY.id, False),
        ("the EU would prepare a new sanctions package", "told", KALLAS.id, False),
    ]


def test_reported_speech_with_attribution_at_the_end():
    text = ("Oleh Syniehubov, the regional governor, visited the site. "
            "Two people were injured in the strike on Kharkiv, the governor said.")
    [q] = quotes_in(text, unlinked={"Oleh Syniehubov": "person"})
    assert (q.text, q.direct, q.speaker.name) == ("Two people were injured in the strike on Kharkiv", False,
                                                   "Oleh Syniehubov")


def test_a_quote_is_not_reported_speech_too():
    text = "Zelenskyy said Russia had launched “a massive, cynical attack” on Ukraine's energy system."
    [q] = quotes_in(text)
    assert (q.text, q.direct, speaker(q)) == ("a massive, cynical attack", True, ZELENSKYY.id)


# --- Size and time --------------------------------------------------------------------------

ARTICLE = (
    "Russian forces launched 112 drones and four missiles at Ukraine overnight, the air force said on Sunday. "
    "Air defences shot down most of them, but a strike on an energy facility in Kharkiv left 30,000 homes "
    "without power.\n"
    "“Every night Russia chooses terror over talks,” Zelenskyy said in his evening address. “Our partners "
    "know what is needed: more Patriot systems, and faster.”\n"
    "Zelenskyy spoke to Starmer by phone on Saturday. Starmer said Britain would keep supplying drones and "
    "would lead a ‘coalition of the willing’ if a ceasefire was agreed.\n"
    "\"We will build up Ukraine's own defences and be ready to help secure the peace,\" the British leader "
    "said after the call. \"Putin must show he is serious.\"\n"
    "In Moscow, Dmitry Peskov, the Kremlin spokesman, said there were still many questions to settle. "
    "“No date has been set for a meeting,” Peskov told reporters. “Contacts continue at the level of experts,” "
    "he added.\n"
)


def test_an_article_takes_a_few_milliseconds():
    article = ARTICLE * 5     # about 800 words
    assert 700 <= len(article.split()) <= 900
    found = mentions(article)
    best = min(_seconds(lambda: find_quotes(article, found)) for _ in range(10))
    assert best < 0.02


def test_a_megabyte_of_text_in_bounded_time():
    copies = 1_000_000 // len(ARTICLE)
    text = ARTICLE * copies
    found = mentions(ARTICLE)
    per_article = find_quotes(ARTICLE, found)
    all_mentions = [Mention(m.start + k * len(ARTICLE), m.end + k * len(ARTICLE), m.text, m.entity, m.type,
                            m.name, m.via) for k in range(copies) for m in found]
    started = time.perf_counter()
    quotes = find_quotes(text, all_mentions)
    assert time.perf_counter() - started < 5
    assert len(quotes) == copies * len(per_article)


def test_a_megabyte_paragraph_with_a_stray_mark_in_bounded_time():
    text = "“" + "Shelling continued near Pokrovsk, he said, and the ‘front’ held. " * 15_000
    started = time.perf_counter()
    quotes = find_quotes(text, [])
    assert time.perf_counter() - started < 5
    assert quotes[0].direct and quotes[0].start == 1 and quotes[0].end == len(text.rstrip())


def test_empty_text():
    assert find_quotes("", []) == []
    assert find_quotes("  \n\n ", []) == []


def _seconds(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started
