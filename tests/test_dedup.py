"""Duplicates and stories in memory: copies found, near-misses kept apart, and the
generated evaluation set (benchmarks/dedup_cases.py) held to the issue's targets."""

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from extractors.batch_dedupe import dedupe_documents
from extractors.dedup import SHINGLE, Document, MemoryIndex, assign, could_be_copy, fingerprint, similarity

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import dedup_cases  # noqa: E402
import dedup_eval  # noqa: E402

T0 = datetime(2025, 3, 15, 6, 0, tzinfo=timezone.utc)

WIRE = [
    "KYIV, March 15 (CPA) - Russian drones struck energy facilities in the Odesa region overnight, "
    "injuring four people and cutting power to about 30,000 households, regional governor Oleh Kiper said on Saturday.",
    "Ukraine's air force said Russia launched 112 attack drones and two ballistic missiles, of which 79 drones "
    "were shot down over 13 regions. Another 28 drones were lost to electronic warfare.",
    "Kiper said a fire broke out at an energy facility after debris fell on it and was put out by morning. "
    "Repair crews began restoring supplies to homes in the Odesa district at dawn.",
    "Russia has intensified strikes on Ukraine's energy system this winter, forcing scheduled blackouts in several "
    "regions. Kyiv says the attacks are meant to break civilian morale before spring.",
    "The attack came a day after President Volodymyr Zelenskyy accused Moscow of dragging out talks on a "
    "30-day ceasefire proposed by Washington and accepted by Kyiv on Tuesday.",
]


def doc(doc_id, paragraphs, title="Russian drones hit Odesa energy sites", hours=0):
    return Document(doc_id, f"https://example.test/{doc_id}", title, "\n\n".join(paragraphs), T0 + timedelta(hours=hours))


def strike_report(city, day, killed, injured, district, target):
    return doc(
        f"{city}-{day}", [
            f"Russian missiles struck {city} on the morning of March {day}, killing {killed} people and injuring "
            f"{injured}, the regional governor said.",
            f"The strike hit a {target} in the {district} district, emergency services said, and rescuers were "
            f"searching the rubble for survivors on March {day}.",
            f"{city} has been struck repeatedly since the start of the full-scale invasion. The city lies about "
            "30 kilometres from the Russian border and has been shelled almost daily this winter.",
            "Ukraine's air force said it shot down most of the drones launched overnight and urged residents "
            "to stay in shelters during air raid alerts.",
        ], title=f"Russian strike on {city} kills {killed}", hours=24 * (day - 15),
    )


def test_the_usual_copies_join_the_original():
    index = MemoryIndex()
    original = assign(index, doc("original", WIRE))
    boilerplate = assign(index, doc("boilerplate", ["Sign up for our morning newsletter.", *WIRE,
                                                    "Read more: Ukraine's energy war", "© 2025 Harbor Post"], hours=1))
    trimmed = assign(index, doc("trimmed", WIRE[:3], hours=2))
    updated = assign(index, doc("updated", [*WIRE, "UPDATE: The governor later said five people were injured."], hours=3))
    spelled = assign(index, doc("spelled", [p.replace("Kyiv", "Kiev").replace("Zelenskyy", "Zelensky") for p in WIRE], hours=4))
    assert original.kind == "new"
    for copy in (boilerplate, trimmed, updated, spelled):
        assert copy.duplicate_group == original.duplicate_group, copy
        assert copy.canonical_id == "original"
    assert spelled.kind == "exact", "spelling variants are normalised away"


def test_same_template_reports_of_different_strikes_stay_apart():
    monday = strike_report("Kharkiv", 15, 3, 12, "Kyivskyi", "residential building")
    thursday = strike_report("Kharkiv", 18, 5, 21, "Saltivskyi", "supermarket")
    a, b = fingerprint(monday.text), fingerprint(thursday.text)
    assert len(a.shingles & b.shingles) / min(len(a.shingles), len(b.shingles)) > 0.4, "they do look alike"
    assert similarity(a, b) == 0.0
    results = dedupe_documents([monday, thursday])
    assert results[0].duplicate_group != results[1].duplicate_group


def test_short_or_empty_texts_are_matched_only_exactly():
    index = MemoryIndex()
    first = assign(index, doc("a", ["Breaking news."], title="Explosions in Kyiv"))
    second = assign(index, doc("b", ["Breaking news!"], title="Explosions heard in Kyiv"))
    third = assign(index, doc("c", ["Breaking news."], title="Explosions in Kyiv"))
    assert first.duplicate_group != second.duplicate_group
    assert third.kind == "exact" and third.duplicate_group == first.duplicate_group


def test_batch_results_come_back_in_input_order_with_the_earliest_as_canonical():
    later, earlier = doc("later", WIRE, hours=5), doc("earlier", WIRE[:4], hours=1)
    results = dedupe_documents([later, earlier])
    assert [r.id for r in results] == ["later", "earlier"]
    assert {r.canonical_id for r in results} == {"earlier"}
    assert results[0].story == results[1].story


def test_only_candidates_whose_minhash_could_make_them_copies_are_verified():
    original = fingerprint("\n\n".join(WIRE))
    trimmed = fingerprint(WIRE[0])  # a fifth of the original: low Jaccard, full containment
    rewritten = fingerprint("\n\n".join(p.replace("Odesa", "Kharkiv") for p in WIRE))
    unrelated = fingerprint(" ".join(strike_report("Sumy", 16, 2, 9, "Zarichnyi", "school").text.split()))

    def check(new, stored):
        return could_be_copy(new, stored.minhash.astype("<u4"), len(stored.shingles) + SHINGLE - 1)

    assert similarity(trimmed, original) > 0 and check(trimmed, original) and check(original, trimmed)
    assert similarity(rewritten, original) > 0 and check(rewritten, original)
    assert similarity(unrelated, original) == 0 and not check(unrelated, original)


def test_a_running_subject_makes_one_story_per_event_not_one_chain():
    """Daily reports on the fighting for one town, each like the day before's: the second
    day joins the first report's story, the third is two days after it and starts another,
    which the fourth joins, although every report is within a day of the one before."""
    def daily(day):
        return doc(f"pokrovsk-{day}", [
            f"Russian forces pressed their assault on Pokrovsk on March {day}, Ukraine's General Staff said, "
            "as Oleksandr Syrskyi sent reserves to the Donetsk front.",
            f"Kyiv said its troops repelled {day} attacks near Pokrovsk and Myrnohrad; Moscow claimed gains.",
        ], title=f"Syrskyi says Pokrovsk holds as Russian assault goes on (day {day})", hours=24 * (day - 15))

    stories = [r.story for r in dedupe_documents([daily(day) for day in (15, 16, 17, 18)])]
    assert stories[0] == stories[1]
    assert stories[2] == stories[3]
    assert stories[1] != stories[2]


def test_the_generated_evaluation_set_meets_the_targets():
    """Pairwise over ~400 documents: every transformation kind, 350 same-city strike pairs."""
    docs = dedup_cases.generate(seed=0, scale=1)
    groups = dedup_eval.run_project(docs)["groups"]
    figures = dedup_eval.score(docs, groups)
    assert figures["precision"] >= 0.995, figures
    assert figures["recall"] >= 0.99, figures
