from pathlib import Path

import pytest

from extractors.sources import PERSPECTIVES, SourcesError, load_sources

ROOT = Path(__file__).parent.parent


def test_configured_outlets_cover_every_required_perspective():
    sources = load_sources(ROOT / "sources.yml")
    assert len(sources) >= 15
    perspectives = {s.perspective for s in sources}
    assert {"ukrainian", "russian_state", "european", "us", "middle_east", "wire"} <= perspectives
    assert all(s.feed_url.startswith("https://") for s in sources)


def test_demo_sources_expand_environment_variables(monkeypatch):
    monkeypatch.setenv("NEWSFACTS_FIXTURE_URL", "http://127.0.0.1:9")
    sources = load_sources(ROOT / "demo" / "sources.yml")
    assert {s.feed_url.split("/")[2] for s in sources} == {"127.0.0.1:9"}
    assert {"rss", "atom", "rdf"} & {s.feed_url.rsplit("/", 1)[-1].split(".")[-1] for s in sources}


def _write(tmp_path, text):
    path = tmp_path / "sources.yml"
    path.write_text(text)
    return path


ENTRY = "{slug: a-b, name: A, feed_url: 'https://a.example/rss', language: en, country: UA, perspective: ukrainian}"


@pytest.mark.parametrize(
    "text, message",
    [
        ("sources: []", "at least one entry"),
        ("nothing: here", "top-level 'sources:'"),
        ("sources: [", "not valid YAML"),
        (f"sources: [{ENTRY}, {ENTRY}]", "duplicate slugs ['a-b']"),
        ("sources: [{slug: A B, name: x, feed_url: 'https://x', language: en, country: UA, perspective: us}]", "slug must be"),
        ("sources: [{slug: xy, name: x, feed_url: 'ftp://x', language: en, country: UA, perspective: us}]", "feed_url must be"),
        ("sources: [{slug: xy, name: x, feed_url: 'https://x', language: en, country: NO, perspective: us}]", "quote it"),
        ("sources: [{slug: xy, name: x, feed_url: 'https://x', language: en, country: UA, perspective: neutral}]", "perspective 'neutral'"),
        ("sources: [{slug: xy, name: x, language: en, country: UA, perspective: us}]", "missing feed_url"),
        ("sources: [{slug: xy, name: x, feed_url: '${NOT_SET_ANYWHERE}/f', language: en, country: UA, perspective: us}]", "NOT_SET_ANYWHERE"),
    ],
)
def test_invalid_files_are_refused_with_the_entry_and_field_named(tmp_path, text, message):
    with pytest.raises(SourcesError) as excinfo:
        load_sources(_write(tmp_path, text))
    assert message in str(excinfo.value)


def test_extra_keys_are_kept_for_later_stages(tmp_path):
    text = "sources: [{slug: xy, name: x, feed_url: 'https://x.example/f', language: en, country: UA, perspective: wire, kind: wire}]"
    (source,) = load_sources(_write(tmp_path, text))
    assert source.extra == {"kind": "wire"}
    assert "wire" in PERSPECTIVES
