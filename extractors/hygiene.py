"""Text that PostgreSQL can store and a reader can trust, and a note of what was changed.

Feeds and pages carry bytes no one meant to publish: NUL characters (PostgreSQL ``text``
cannot hold them, and one of them fails a whole COPY batch), lone UTF-16 surrogates from
JSON escapes like ``"\\ud800"`` (not encodable as UTF-8 at all), C0/C1 control
characters, right-to-left overrides that make a headline display as something else,
zero-width characters hidden inside words (``Kha\\u200brkiv`` would not match
``Kharkiv``), and fields of absurd size (a one-megabyte "title").

:func:`clean_text` removes or replaces them and counts what it did; callers record the
counts (:func:`describe`) next to the row, so a cleaned value is never silently
different from what was served (the raw layer keeps the original bytes).

Kept on purpose: tab, newline, carriage return; the zero-width joiner and non-joiner
(U+200C/U+200D, needed by Persian, Indic scripts and emoji) and the left-to-right and
right-to-left marks (U+200E/U+200F), which only hint at direction and cannot reorder
text.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

#: What each removed character is counted as.
_REMOVED = {0: "NUL"}
_REMOVED.update({c: "control character" for c in range(1, 32) if chr(c) not in "\t\n\r"})
_REMOVED[0x7F] = "control character"
_REMOVED.update({c: "control character" for c in range(0x80, 0xA0)})
_REMOVED.update({c: "bidirectional override" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
_REMOVED.update({c: "zero-width character" for c in (0x200B, 0x2060, 0xFEFF)})
_REMOVED.update({c: "non-character" for c in (0xFFFE, 0xFFFF)})
_DELETE = {c: None for c in _REMOVED}
_SUSPECT = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_REMOVED)) + "\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

#: Field limits (characters). A news headline is under 300 characters; an article under
#: 100,000 (a day-long live blog reaches about that). Longer is junk or an attack, and
#: PostgreSQL's full-text index refuses documents whose vector exceeds 1 MB.
MAX_TITLE = 1_000
MAX_TEXT = 200_000
MAX_DESCRIPTION = 5_000
MAX_AUTHOR = 200
MAX_AUTHORS = 20
MAX_URL = 2_048


def clean_text(value: str | None, limit: int | None = None, counts: Counter | None = None,
               field: str = "text") -> str:
    """``value`` without the characters listed above (lone surrogates become U+FFFD),
    cut to ``limit`` characters. What was done is added to ``counts``."""
    if not value:
        return value or ""
    counts = counts if counts is not None else Counter()
    if _SUSPECT.search(value):
        for char in _SUSPECT.findall(value):
            counts[_REMOVED.get(ord(char), "lone surrogate")] += 1
        value = _SURROGATE.sub("\ufffd", value).translate(_DELETE)
    if limit is not None and len(value) > limit:
        counts[f"{field} cut from {len(value)} to {limit} characters"] += 1
        value = value[:limit]
    return value


def describe(counts: Counter) -> str | None:
    """``"cleaned: 3 NUL, 1 bidirectional override removed; title cut from ... "``."""
    if not counts:
        return None
    kinds = set(_REMOVED.values()) | {"lone surrogate"}
    removed = [f"{n} {what}{'s' if n > 1 and what != 'NUL' else ''}" for what, n in sorted(counts.items())
               if what in kinds]
    cut = [what for what in sorted(counts) if what not in kinds]
    parts = []
    if removed:
        parts.append(", ".join(removed) + " removed or replaced")
    parts += cut
    return "cleaned: " + "; ".join(parts)


def clean_article(article, page: bytes | None = None, content_type: str | None = None):
    """An extracted article (``extractors.article.Article``) safe to store, and a note of
    what was cleaned (None when nothing was). ``page``, the HTML it came from, lets the
    note count the NUL characters the extractor drops before parsing."""
    counts: Counter = Counter()
    if page and b"\x00" in page:
        from extractors.article import decode_html

        if nul := decode_html(page, content_type).count("\x00"):
            counts["NUL"] += nul
    authors = [clean_text(a, MAX_AUTHOR, counts, "author") for a in article.authors[:MAX_AUTHORS]]
    if len(article.authors) > MAX_AUTHORS:
        counts[f"authors cut from {len(article.authors)} to {MAX_AUTHORS}"] += 1
    cleaned = dataclasses.replace(
        article,
        url=clean_text(article.url, None, counts, "url"),
        canonical_url=clean_text(article.canonical_url, None, counts, "canonical URL"),
        title=" ".join(clean_text(article.title, MAX_TITLE, counts, "title").split()),
        authors=[a for a in authors if a.strip()],
        language=clean_text(article.language, 20, counts, "language") or None,
        text=clean_text(article.text, MAX_TEXT, counts, "text"),
        top_image_url=_url_or_none(article.top_image_url, counts),
        description=clean_text(article.description, MAX_DESCRIPTION, counts, "description") or None,
    )
    return cleaned, describe(counts)


def _url_or_none(url: str | None, counts: Counter) -> str | None:
    if not url:
        return None
    url = clean_text(url, None, counts, "url")
    if len(url) > MAX_URL:
        counts["over-long image URL dropped"] += 1
        return None
    return url
