"""newspaper3k set up for the pipeline: offline, deterministic, and without redoing the
same work for every element of every page.

* Offline: newspaper3k calls ``tldextract.extract`` at import time, and the default
  extractor would download the public suffix list; the one installed here reads only the
  snapshot bundled with tldextract. No images are fetched (``fetch_images=False``;
  Pillow >= 10 also breaks newspaper3k's image code), nothing is memoized on disk and
  meta refresh is not followed.
* Compiled once: newspaper3k's parser runs its queries as ``node.xpath(expression)`` and
  ``node.cssselect(selector)``, which compile the expression on every call.
  :class:`CompiledParser` keeps each compiled query (per thread: a compiled XPath must
  not be evaluated by two threads at once) and returns exactly what the plain call
  returns.
* Regular expressions matched in Python once per element: the cleaner removes elements
  whose id, class or name matches a pattern with ``//*[re:test(@id, 'pattern', 'i')]``;
  libxml2 calls back into Python's ``re`` for every element of the page, one query per
  attribute and pattern, which took a quarter of the extraction time of large real
  pages. :func:`_elements_matching` walks the elements once per query with the same
  regular expression and the same flags (EXSLT's ``test`` in lxml is ``re.search`` with
  ``re.IGNORECASE`` for ``'i'``) and returns the same elements in the same order.
* Text nodes scored in one step: newspaper3k scores every text node by its stop words
  after stripping punctuation (rebuilding the translation table and round-tripping the
  text through UTF-8 each time) and collapses whitespace with a regular expression;
  :func:`stopwords_class` and :meth:`CompiledParser.getText` do the same with one
  table, one pass and ``str.split``.
"""

from __future__ import annotations

import functools
import re
import string
import threading

import lxml.cssselect
import lxml.etree
from tldextract import tldextract as _tldextract_module

_tldextract_module.extract = _tldextract_module.TLDExtract(suffix_list_urls=(), cache_dir=None)

from newspaper import Config as _Config  # noqa: E402  (after the patch above)
from newspaper.parsers import Parser as _Parser  # noqa: E402
from newspaper.text import StopWords as _StopWords  # noqa: E402
from newspaper.text import WordStats as _WordStats  # noqa: E402

_REGEXP_NAMESPACE = {"re": "http://exslt.org/regular-expressions"}
_compiled = threading.local()


def _query(kind: str, expression: str, namespaces: dict | None = None) -> lxml.etree.XPath:
    """The compiled query (``kind``: ``xpath`` or ``css``), made once per thread."""
    cache = _compiled.__dict__.setdefault("queries", {})
    key = (kind, expression, namespaces is not None)
    query = cache.get(key)
    if query is None:
        if kind == "css":  # what HtmlElement.cssselect compiles
            query = lxml.cssselect.CSSSelector(expression, translator="html")
        else:
            query = lxml.etree.XPath(expression, namespaces=namespaces)
        cache[key] = query
    return query


#: The one shape of regular-expression query newspaper3k's cleaner makes.
_ATTRIBUTE_TEST = re.compile(r"//\*\[re:test\(@(\w+), '([^']*)', 'i'\)\]")


@functools.lru_cache(maxsize=256)
def _case_blind(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.UNICODE | re.IGNORECASE)


def _elements_matching(node, attribute: str, pattern: str) -> list:
    """``//*[re:test(@attribute, 'pattern', 'i')]`` evaluated at ``node``: the elements of
    its document, in document order, whose attribute (or "" where it has none) the
    pattern finds."""
    search = _case_blind(pattern).search
    if search("") is None:  # only elements with the attribute can match: libxml2 finds them
        elements = _query("xpath", "//*[@%s]" % attribute)(node)
    else:
        elements = node.getroottree().getroot().iter(lxml.etree.Element)
    return [element for element in elements if search(element.get(attribute, "")) is not None]


class CompiledParser(_Parser):
    """newspaper3k's parser with its queries compiled once (see the module docstring)."""

    @classmethod
    def xpath_re(cls, node, expression):
        shape = _ATTRIBUTE_TEST.fullmatch(expression)
        if shape is not None:
            return _elements_matching(node, *shape.groups())
        return _query("xpath", expression, _REGEXP_NAMESPACE)(node)

    @classmethod
    def css_select(cls, node, selector):
        return _query("css", selector)(node)

    @classmethod
    def getElementById(cls, node, idd):
        elems = _query("xpath", '//*[@id="%s"]' % idd)(node)
        return elems[0] if elems else None

    @classmethod
    def getElementsByTag(cls, node, tag=None, attr=None, value=None, childs=False, use_regex=False) -> list:
        namespaces = None
        selector = "descendant-or-self::%s" % (tag or "*")
        if attr and value:
            if use_regex:
                namespaces = _REGEXP_NAMESPACE
                selector = '%s[re:test(@%s, "%s", "i")]' % (selector, attr, value)
            else:
                trans = 'translate(@%s, "%s", "%s")' % (attr, string.ascii_uppercase, string.ascii_lowercase)
                selector = '%s[contains(%s, "%s")]' % (selector, trans, value.lower())
        elems = _query("xpath", selector, namespaces)(node)
        if node in elems and (tag or childs):  # the node itself is not one of its elements
            elems.remove(node)
        return elems

    @classmethod
    def getElementsByTags(cls, node, tags):
        return _query("xpath", "descendant::*[%s]" % " or ".join("self::%s" % tag for tag in tags))(node)

    @classmethod
    def getComments(cls, node):
        return _query("xpath", "//comment()")(node)

    @classmethod
    def getText(cls, node):
        # newspaper3k's innerTrim (whitespace runs to one space, lines joined, stripped) is
        # str.split's notion of whitespace: the same text in one step.
        return " ".join(" ".join(node.itertext()).split())


_PUNCTUATION = str.maketrans("", "", string.punctuation)


def _strip_punctuation(self, content: str) -> str:
    return content.translate(_PUNCTUATION)


def _stopword_count(self, content: str) -> _WordStats:
    """newspaper3k's count of words and stop words, without a call per word."""
    stats = _WordStats()
    if not content:
        return stats
    words = list(self.candidate_words(self.remove_punctuation(content).lower()))  # jieba: a generator
    stop_words = [w for w in words if w in self.STOP_WORDS]
    stats.set_word_count(len(words))
    stats.set_stopword_count(len(stop_words))
    stats.set_stop_words(stop_words)
    return stats


@functools.cache
def stopwords_class(base: type[_StopWords]) -> type[_StopWords]:
    """``base`` with punctuation stripped in one step and stop words counted in one pass,
    where it uses newspaper3k's own methods (some languages' classes have their own)."""
    faster = {}
    if base.remove_punctuation is _StopWords.remove_punctuation:
        faster["remove_punctuation"] = _strip_punctuation
    if base.get_stopword_count is _StopWords.get_stopword_count:
        faster["get_stopword_count"] = _stopword_count
    return type(base.__name__, (base,), faster) if faster else base


class Config(_Config):
    """newspaper3k's configuration for the pipeline (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.fetch_images = False
        self.memoize_articles = False
        self.follow_meta_refresh = False
        self.stopwords_class = stopwords_class(self.stopwords_class)

    @staticmethod
    def get_parser():
        return CompiledParser

    @staticmethod
    def get_stopwords_class(language):
        return stopwords_class(_Config.get_stopwords_class(language))
