"""robots.txt rules (RFC 9309): may our crawler fetch this page?

:func:`parse_robots` reads a robots.txt the way RFC 9309 (and Google) do: the group
whose ``User-agent`` names our product token (case-insensitive, ``newsfacts``) applies,
else the ``*`` group; several groups for the same agent are merged. Within it the
longest matching ``Allow``/``Disallow`` pattern wins and ``Allow`` wins a tie; ``*``
matches any run of characters and a final ``$`` anchors the end; an empty
``Disallow`` allows everything. Paths compare percent-encoded, so ``/ü`` and ``/%C3%BC``
are the same. ``/robots.txt`` itself is always allowed. Lines we do not understand
(``Crawl-delay``, ``Host``, comments, HTML when a site serves its home page instead)
are ignored.

What the fetch stage does with a site's robots.txt response (RFC 9309, section 2.3):
a 2xx is parsed; 4xx (no robots.txt) allows everything; a 5xx or no answer (timeout,
connection error) means "complete disallow" for now, recorded so the next run asks again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit

_LINE = re.compile(r"^\s*([A-Za-z-]+)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Rule:
    allow: bool
    pattern: str
    regex: re.Pattern

    @property
    def line(self) -> str:
        return f"{'Allow' if self.allow else 'Disallow'}: {self.pattern}"


@dataclass
class RobotsRules:
    """The rules of one robots.txt for every agent it names (lower-cased)."""

    groups: dict[str, list[Rule]] = field(default_factory=dict)

    def rules_for(self, token: str) -> list[Rule]:
        token = token.lower()
        if token in self.groups:
            return self.groups[token]
        return self.groups.get("*", [])

    def verdict(self, url: str, token: str) -> tuple[bool, Rule | None]:
        """(allowed, the deciding rule or None when no rule matched)."""
        parts = urlsplit(url)
        path = _normalise_path(parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path == "/robots.txt":
            return True, None
        best: Rule | None = None
        for rule in self.rules_for(token):
            if rule.regex.match(path):
                if (best is None or len(rule.pattern) > len(best.pattern)
                        or (len(rule.pattern) == len(best.pattern) and rule.allow and not best.allow)):
                    best = rule
        return (best is None or best.allow), best

    def allowed(self, url: str, token: str) -> bool:
        return self.verdict(url, token)[0]


def _normalise_path(path: str) -> str:
    """Percent-encode consistently (decode, then encode what is not URL-safe)."""
    return quote(unquote(path), safe="/:@!$&'()*+,;=-._~%?")


def _compile(pattern: str) -> re.Pattern:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    regex = ".*".join(re.escape(part) for part in _normalise_path(body).split("*"))
    return re.compile(regex + ("$" if anchored else ""))


def parse_robots(text: str) -> RobotsRules:
    """Parse robots.txt text; never raises (unreadable lines are skipped)."""
    rules = RobotsRules()
    agents: list[str] = []
    in_rules = False  # a user-agent line after rules starts a new group
    for raw in text.lstrip("\ufeff").splitlines():
        line = raw.split("#", 1)[0]
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agent = value.split("/", 1)[0].strip().lower()
            if agent:
                agents.append(agent)
                rules.groups.setdefault(agent, [])
        elif key in ("allow", "disallow"):
            in_rules = True
            if not agents or (key == "disallow" and not value):
                continue  # rules outside a group; "Disallow:" (empty) allows all
            if not value.startswith(("/", "*")):
                value = "/" + value
            rule = Rule(key == "allow", value, _compile(value))
            for agent in agents:
                rules.groups[agent].append(rule)
        else:
            # sitemap, crawl-delay, host...: not group members, but they do not end a group
            continue
    return rules


def robots_url(url: str) -> str:
    """The robots.txt that governs ``url`` (scheme, host and port of the URL)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower().rsplit('@', 1)[-1]}/robots.txt"
