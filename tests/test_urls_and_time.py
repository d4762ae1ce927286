from datetime import date, datetime, timedelta, timezone

import pytest

from extractors.timeutil import as_utc, day_window, from_struct_time, in_window, plausible
from extractors.urls import BadUrl, absolute_url, host_of, normalize_url

UTC = timezone.utc


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("HTTPS://Example.COM:443/World/Story/?utm_source=rss&utm_medium=feed#comments", "https://example.com/World/Story"),
        ("http://example.com:80/a?b=2&a=1", "http://example.com/a?a=1&b=2"),
        ("https://example.com:8443/a/", "https://example.com:8443/a"),
        ("https://m.example.com/news/1?fbclid=xyz&gclid=abc&id=7", "https://example.com/news/1?id=7"),
        ("https://example.com/news/1/amp/", "https://example.com/news/1"),
        ("https://example.com/amp/news/1", "https://example.com/news/1"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
    ],
)
def test_normalize_url(raw, expected):
    assert normalize_url(raw) == expected


def test_normalize_url_keeps_identifying_parameters_and_path_case():
    assert normalize_url("https://example.com/Article.php?id=12&page=2") == "https://example.com/Article.php?id=12&page=2"


@pytest.mark.parametrize("raw", ["javascript:alert(1)", "mailto:x@example.com", "ftp://example.com/a", "/relative", "http://"])
def test_normalize_url_rejects_what_cannot_be_fetched(raw):
    with pytest.raises(BadUrl):
        normalize_url(raw)


def test_absolute_url_resolves_relative_links_and_drops_unfetchable_ones():
    base = "https://example.com/feeds/world.xml"
    assert absolute_url("/news/1", base) == "https://example.com/news/1"
    assert absolute_url("story.html", base) == "https://example.com/feeds/story.html"
    assert absolute_url("javascript:void(0)", base) is None
    assert absolute_url("", base) is None
    assert absolute_url(None, base) is None
    assert host_of("https://Sub.Example.com:8080/x") == "sub.example.com"


def test_plausible_rejects_prehistoric_and_future_dates():
    served = datetime(2025, 3, 16, 2, 0, tzinfo=UTC)
    assert plausible(datetime(1970, 1, 1, tzinfo=UTC)) is None
    assert plausible(datetime(2030, 1, 1, tzinfo=UTC), not_after=served) is None
    ok = datetime(2025, 3, 15, 23, 0, tzinfo=timezone(timedelta(hours=2)))
    assert plausible(ok, not_after=served) == datetime(2025, 3, 15, 21, 0, tzinfo=UTC)
    # Without a reference time, a far-future date cannot be judged and is kept.
    assert plausible(datetime(2030, 1, 1, tzinfo=UTC)) == datetime(2030, 1, 1, tzinfo=UTC)


def test_naive_times_are_utc_and_windows_are_half_open():
    assert as_utc(datetime(2025, 3, 15, 12)) == datetime(2025, 3, 15, 12, tzinfo=UTC)
    start, end = day_window(date(2025, 3, 15))
    assert (start, end) == (datetime(2025, 3, 15, tzinfo=UTC), datetime(2025, 3, 16, tzinfo=UTC))
    assert in_window(start, start, end)
    assert not in_window(end, start, end)
    assert not in_window(None, start, end)
    assert from_struct_time(datetime(2025, 3, 15, 6, 42, tzinfo=UTC).utctimetuple()) == datetime(
        2025, 3, 15, 6, 42, tzinfo=UTC
    )
