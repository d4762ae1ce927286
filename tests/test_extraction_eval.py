"""benchmarks/extraction_eval.py computes the benchmark's metric as its README defines it,
and runs over a folder in the benchmark's format."""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import extraction_eval  # noqa: E402
from extraction_eval import aggregate, page_f1, page_scores, shingles  # noqa: E402


def test_shingles_are_a_multiset_of_word_4_grams_with_case_kept():
    assert shingles("Kyiv, Kyiv: the city of Kyiv, Kyiv.") == Counter(
        {"Kyiv Kyiv the city": 1, "Kyiv the city of": 1, "the city of Kyiv": 1, "city of Kyiv Kyiv": 1}
    )
    assert shingles("a b c d a b c d") == Counter({"a b c d": 2, "b c d a": 1, "c d a b": 1, "d a b c": 1})
    assert shingles("Київ") == Counter({"Київ": 1})  # fewer than four words: one shingle
    assert shingles("— ...") == Counter()
    assert shingles("Kyiv said") != shingles("kyiv said")


def test_page_scores_are_counts_normalised_by_their_sum():
    truth = "one two three four five six"  # 3 shingles
    assert page_scores(truth, truth) == (1.0, 0.0, 0.0)
    tp, fp, fn = page_scores(truth, "one two three four five seven eight")  # 2 matched, 2 extra, 1 missing
    assert (tp, fp, fn) == pytest.approx((2 / 5, 2 / 5, 1 / 5))
    assert page_f1(tp, fp, fn) == pytest.approx(2 * (2 / 4) * (2 / 3) / (2 / 4 + 2 / 3))
    assert page_scores(truth, "") == (0.0, 0.0, 1.0)


def test_precision_over_predicted_pages_recall_over_all():
    scores = [(1.0, 0.0, 0.0), (0.5, 0.5, 0.0), (0.0, 0.0, 1.0)]  # perfect, half extra, empty
    result = aggregate(scores)
    assert result["precision"] == pytest.approx(0.75)  # the empty page has no precision
    assert result["recall"] == pytest.approx(2 / 3)  # ... and recall 0
    assert result["f1"] == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    assert result["below_0_5"] == 1 and result["empty"] == 1


def test_runs_over_a_folder_in_the_benchmark_format(tmp_path, capsys):
    paragraphs = [
        "Russian drones struck an energy facility in the Odesa region overnight, the governor said on Sunday.",
        "About forty thousand households were left without electricity, and engineers expected to restore it.",
        "The energy ministry said the attack was the third on the region's grid this month and asked for help.",
        "Officials in neighbouring Mykolaiv reported no damage, although sirens sounded there for two hours.",
        "Repair crews worked through the day, and the utility said most customers would have power by midnight.",
    ]  # more than MIN_WORDS, or the project's extractor refuses the page
    html = ("<html><head><title>Drones hit Odesa</title></head><body><article><h1>Drones hit Odesa</h1>"
            + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
    (tmp_path / "html").mkdir()
    truth = {}
    for page_id in ("a1", "b2"):
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"articleBody": "\n".join(paragraphs), "url": f"https://news.example/{page_id}"}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))

    out = tmp_path / "figures.json"
    assert extraction_eval.main([str(tmp_path), "--only", "trafilatura,newsfacts", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert set(figures) == {"trafilatura", "newsfacts"}
    assert figures["newsfacts"]["all"]["pages"] == 2 and figures["newsfacts"]["tune"]["pages"] == 1
    assert figures["newsfacts"]["all"]["f1"] == pytest.approx(1.0)  # no headline in the body
    assert figures["trafilatura"]["all"]["precision"] < 1.0  # trafilatura alone keeps it
    assert "held-out" in capsys.readouterr().out
