"""Who and what a war article names: the entity registry and the mention finder.

The registry is data, not code: ``extractors/data/entities/*.yml``, one file per kind
of thing (people, organisations, groups, places, weapons). Each entry has a stable id
("person/volodymyr-zelenskyy"), a canonical English name, identifiers (Wikidata,
GeoNames), coordinates for places, and the ways the press writes it: spelling and
transliteration variants, Cyrillic forms. People also carry the offices they held
with dates, so "the British prime minister" in a March 2025 article is Keir Starmer
and in a 2023 one Rishi Sunak. The files are validated once, on first use, and a bad
entry stops loading with an error naming its file and id.

A file is ``{verified, type, entities: [...]}``; an entry has ``id``, ``name`` and
optionally ``wikidata``, ``country``, ``aliases``; places must have ``lat``/``lon``
and may have ``geonames`` and ``region`` (the id of the oblast or krai they lie in,
from GeoNames' admin-1 code); people may have ``surnames`` (default: the last word of the
name), ``surname_alone: false`` (the surname links only beside the full name) and
``roles: [{role, of, from, to, leader}]`` (``to`` exclusive, null = still in office;
``of`` an entity id or a list of them); countries and organisations may have
``qualifiers`` ("British"); an alias two entries share must be listed under
``ambiguous`` in both, and is then resolved by whichever the text names in full.

``find_mentions`` reads a text once, word by word, against a table of every alias
(exact case, so "US" is never "us"; a lower-case alias also matches capitalised at a
sentence start, and anything of four letters or more in an all-caps headline):

* the longest alias starting at a word wins ("Zaporizhzhia nuclear power plant" over
  "Zaporizhzhia"); a word must match whole, so "Kyivan" is not Kyiv, while
  "Putin's" and "Kyiv-based" are;
* Ukrainian and Russian words inflect, so a Cyrillic alias also matches its stem plus
  a short lower-case ending (Зеленського, Москві, Харківській області); stems that
  change (Київ, Києва) are listed in the data;
* a title ("prime minister", "Kremlin spokesman", "NATO chief") after a country or
  organisation ("British", "Britain's", "the UK's", "NATO") or before "of X" names
  whoever held that office on the publication date; a title followed by a name
  ("UK Prime Minister Keir Starmer", "Foreign Minister Jean-Noël Barrot") becomes one
  person mention named by the name;
* a coordinated list of region names before a plural "regions"/"oblasts"/"provinces"
  ("the Donetsk, Luhansk and Kherson regions", "Kharkiv and Sumy oblasts") names the
  regions, not the cities: each name links to the entity whose alias is "<name> region";
* a bare surname links to the person mentioned in full elsewhere in the text, or,
  failing that, to the one registry person with that surname (unless the surname is
  marked too common to stand alone);
* capitalised names that are not in the registry become unlinked mentions with a
  guessed type: organisation if they contain an institution word (Ministry,
  Council...), person after a title or before "said", place after "in", "near",
  "from"...; a lone capitalised word needs such a cue, so sentence-initial words
  ("Questions loom") are not names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

import yaml

REGISTRY_DIR = Path(__file__).parent / "data" / "entities"

#: Entity types and the prefix of their ids.
ID_PREFIXES = {
    "person": "person/",
    "organization": "org/",
    "place": "place/",
    "weapon": "weapon/",
    "group": "group/",
}

#: Offices, by the canonical role name used in the data, and the words for them.
#: A surface form can mean several offices ("top diplomat" is a foreign minister
#: or the EU's foreign policy chief); "leader"/"head"/"chief" mean whichever role
#: the data marks ``leader: true`` for that country or organisation.
LEADER = "leader"
TITLE_FORMS: dict[str, tuple[str, ...]] = {
    "president": ("president",),
    "vice president": ("vice president", "vice-president"),
    "prime minister": ("prime minister", "premier", "PM"),
    "deputy prime minister": ("deputy prime minister",),
    "chancellor": ("chancellor",),
    "foreign minister": (
        "foreign minister", "foreign affairs minister", "minister of foreign affairs",
        "foreign secretary",
    ),
    "defence minister": (
        "defence minister", "defense minister", "minister of defence", "minister of defense",
        "defence secretary", "defense secretary", "secretary of defense", "secretary of defence",
        "secretary of war", "war secretary",
    ),
    "interior minister": ("interior minister", "minister of internal affairs"),
    "secretary of state": ("secretary of state",),
    "national security adviser": ("national security adviser", "national security advisor"),
    "spokesman": ("spokesman", "spokeswoman", "spokesperson", "press secretary"),
    "secretary general": ("secretary general", "secretary-general"),
    "director general": ("director general", "director-general"),
    "commander-in-chief": (
        "commander-in-chief", "commander in chief", "top commander", "army chief",
        "military chief", "top general",
    ),
    "chief of the general staff": ("chief of the general staff", "chief of general staff"),
    "foreign policy chief": ("foreign policy chief", "high representative"),
    "mayor": ("mayor",),
    "governor": ("governor",),
    "speaker": ("speaker",),
    "secretary": ("secretary",),
    "envoy": ("envoy", "special envoy"),
    "director": ("director",),
    "head": (),  # a role in the data; the word "head" means LEADER below
    "high commissioner": ("high commissioner", "human rights chief"),
    "prosecutor": ("prosecutor", "chief prosecutor"),
    "king": ("king",),
    "pope": ("pope",),
    "crown prince": ("crown prince",),
    "supreme leader": ("supreme leader",),
    LEADER: ("leader", "head", "chief", "boss"),
}
#: Surface forms meaning more than one office.
SHARED_TITLE_FORMS: dict[str, tuple[str, ...]] = {
    "top diplomat": ("foreign minister", "foreign policy chief", "secretary of state"),
}
ROLE_NAMES = frozenset(TITLE_FORMS) - {LEADER}

_TOKEN_RE = re.compile(r"(?:(?!\u02bc)\w)+|[^\w\s]|\u02bc")
_APOSTROPHES = {"'", "\u2019", "\u2018", "\u02bc", "`"}
_CYRILLIC_ENDINGS = frozenset("аеєиіїйоуюяьыэё")
_CYRILLIC_ENDING_RE = re.compile(r"[\u0430-\u044f\u0450-\u045f\u0491\u0454\u0456\u0457]{1,3}")
#: Words kept lower case inside a title-cased alias ("Coalition of the Willing").
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "a", "an", "to", "de", "von", "der", "bin"})
_MAX_ALIAS_TOKENS = 12
#: Plural nouns that make a preceding list of names regions ("Donetsk and Luhansk oblasts").
_REGION_PLURALS = frozenset({"regions", "oblasts", "provinces", "Regions", "Oblasts", "Provinces"})
#: Singular suffixes of a region's alias whose remainder is the region's bare name.
_REGION_SUFFIXES = (" region", " Region", " oblast", " Oblast", " province", " Province")
#: libyaml's safe loader when PyYAML was built with it: the files load ~10x faster.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RegistryError(ValueError):
    """The registry data is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Entity:
    """A registry entry as downstream code sees it (ids and names; see the module docstring)."""

    id: str
    name: str
    type: str
    wikidata: str | None
    geonames: int | None
    lat: float | None
    lon: float | None
    country: str | None
    region: str | None = None  # a place's first-level region (oblast, krai): its registry id


@dataclass(frozen=True)
class Mention:
    """A span of the text naming an entity (or an unlinked name: entity None).

    ``via`` says how it was recognised: "alias" (a name in the registry), "role" (an
    office resolved by date), "surname" or "unlinked".
    """

    start: int
    end: int
    text: str
    entity: Entity | None
    type: str
    name: str
    via: str


@dataclass(frozen=True)
class Role:
    """An office held from ``start`` (inclusive) to ``end`` (exclusive; None = still held)."""

    role: str
    of: tuple[str, ...]
    start: date | None
    end: date | None
    leader: bool

    def held_on(self, day: date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Record:
    """An entity with everything the matcher needs that downstream code does not."""

    entity: Entity
    aliases: tuple[str, ...]
    surnames: tuple[str, ...]
    surname_alone: bool
    roles: tuple[Role, ...]
    qualifiers: tuple[str, ...]
    ambiguous: frozenset[str]
    source: str  # the file it came from, for error messages


# --------------------------------------------------------------------------------------
# Loading and validation


_ENTRY_KEYS = {
    "id", "name", "wikidata", "geonames", "lat", "lon", "country", "aliases", "surnames",
    "surname_alone", "roles", "qualifiers", "ambiguous", "region",
}
_ROLE_KEYS = {"role", "of", "from", "to", "leader"}
_ID_RE = re.compile(r"^[a-z]+/[a-z0-9][a-z0-9-]*$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def _strings(value, where: str, field: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: {field} must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


def _optional_date(value, where: str, field: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    raise RegistryError(f"{where}: role {field} must be a date (YYYY-MM-DD) or null, got {value!r}")


def _parse_roles(raw, where: str) -> tuple[Role, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RegistryError(f"{where}: roles must be a list")
    roles = []
    for item in raw:
        if not isinstance(item, dict) or not set(item) <= _ROLE_KEYS or not {"role", "of"} <= set(item):
            raise RegistryError(f"{where}: a role needs role and of, and only {sorted(_ROLE_KEYS)}: {item!r}")
        if item["role"] not in ROLE_NAMES:
            raise RegistryError(f"{where}: unknown role {item['role']!r}; known: {sorted(ROLE_NAMES)}")
        of = item["of"] if isinstance(item["of"], list) else [item["of"]]
        if not of or not all(isinstance(o, str) for o in of):
            raise RegistryError(f"{where}: role of must be an entity id or a list of them")
        start = _optional_date(item.get("from"), where, "from")
        end = _optional_date(item.get("to"), where, "to")
        if start and end and end <= start:
            raise RegistryError(f"{where}: role {item['role']!r} ends ({end}) before it starts ({start})")
        leader = item.get("leader", False)
        if not isinstance(leader, bool):
            raise RegistryError(f"{where}: role leader must be true or false")
        roles.append(Role(item["role"], tuple(of), start, end, leader))
    return tuple(roles)


def _parse_entry(raw, etype: str, source: str, index: int) -> Record:
    where = f"{source}: entry {index}"
    if not isinstance(raw, dict):
        raise RegistryError(f"{where}: must be a mapping")
    if isinstance(raw.get("id"), str):
        where = f"{source}: {raw['id']}"
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise RegistryError(f"{where}: unknown field(s) {sorted(unknown)}")
    eid, name = raw.get("id"), raw.get("name")
    if not isinstance(eid, str) or not _ID_RE.match(eid):
        raise RegistryError(f"{where}: id must look like 'kind/slug', got {eid!r}")
    if not eid.startswith(ID_PREFIXES[etype]):
        raise RegistryError(f"{where}: a {etype} id must start with {ID_PREFIXES[etype]!r}")
    if not isinstance(name, str) or not name.strip():
        raise RegistryError(f"{where}: name is required")
    wikidata = raw.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _QID_RE.match(wikidata)):
        raise RegistryError(f"{where}: wikidata must be a QID like 'Q212' or null, got {wikidata!r}")
    geonames = raw.get("geonames")
    if geonames is not None and (type(geonames) is not int or geonames <= 0):
        raise RegistryError(f"{where}: geonames must be a positive integer or null, got {geonames!r}")
    lat, lon = raw.get("lat"), raw.get("lon")
    if etype == "place":
        for field, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
                raise RegistryError(f"{where}: a place needs {field} within ±{limit}, got {value!r}")
        lat, lon = float(lat), float(lon)
    elif lat is not None or lon is not None or geonames is not None:
        raise RegistryError(f"{where}: only places have geonames, lat and lon")
    country = raw.get("country")
    if country is not None and not (isinstance(country, str) and _COUNTRY_RE.match(country)):
        raise RegistryError(f"{where}: country must be an ISO 3166-1 alpha-2 code or null, got {country!r}")
    region = raw.get("region")
    if region is not None and (etype != "place" or not isinstance(region, str)
                               or not region.startswith(ID_PREFIXES["place"])):
        raise RegistryError(f"{where}: region is a place id, for places only, got {region!r}")
    if etype != "person" and any(k in raw for k in ("surnames", "surname_alone", "roles")):
        raise RegistryError(f"{where}: only people have surnames and roles")
    surname_alone = raw.get("surname_alone", True)
    if not isinstance(surname_alone, bool):
        raise RegistryError(f"{where}: surname_alone must be true or false")
    aliases = _strings(raw.get("aliases"), where, "aliases")
    if etype == "person" and "surnames" not in raw:
        surnames = (name.split()[-1],)
    else:
        surnames = _strings(raw.get("surnames"), where, "surnames")
    ambiguous = frozenset(_strings(raw.get("ambiguous"), where, "ambiguous"))
    stray = ambiguous - set(aliases) - {name}
    if stray:
        raise RegistryError(f"{where}: ambiguous lists {sorted(stray)}, which are not its aliases")
    entity = Entity(eid, name.strip(), etype, wikidata, geonames, lat, lon, country, region)
    return Record(
        entity=entity,
        aliases=tuple(dict.fromkeys((entity.name, *aliases))),
        surnames=tuple(dict.fromkeys(surnames)),
        surname_alone=surname_alone,
        roles=_parse_roles(raw.get("roles"), where),
        qualifiers=_strings(raw.get("qualifiers"), where, "qualifiers"),
        ambiguous=ambiguous,
        source=source,
    )


def _read_file(path: Path) -> list[Record]:
    source = path.name
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        raise RegistryError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not set(doc) <= {"verified", "type", "entities"}:
        raise RegistryError(f"{source}: must be a mapping with type, entities (and verified)")
    etype = doc.get("type")
    if etype not in ID_PREFIXES:
        raise RegistryError(f"{source}: type must be one of {sorted(ID_PREFIXES)}, got {etype!r}")
    entries = doc.get("entities")
    if not isinstance(entries, list):
        raise RegistryError(f"{source}: entities must be a list")
    return [_parse_entry(raw, etype, source, i) for i, raw in enumerate(entries, 1)]


def _check_links(records: list[Record]) -> None:
    """Cross-entry rules: unique ids, unambiguous aliases, roles pointing at real things."""
    by_id: dict[str, Record] = {}
    for record in records:
        eid = record.entity.id
        if eid in by_id:
            raise RegistryError(f"{record.source}: duplicate id {eid} (first in {by_id[eid].source})")
        by_id[eid] = record
    owner: dict[str, Record] = {}
    for record in records:
        for alias in record.aliases:
            other = owner.setdefault(alias, record)
            if other is record:
                continue
            if alias not in record.ambiguous or alias not in other.ambiguous:
                raise RegistryError(
                    f"{record.source}: {record.entity.id}: alias {alias!r} also names "
                    f"{other.entity.id} ({other.source}); list it under ambiguous in both to allow it"
                )
    for record in records:
        region = record.entity.region
        if region is not None and (region not in by_id or by_id[region].entity.type != "place"):
            raise RegistryError(f"{record.source}: {record.entity.id}: region {region!r} is not a place of the registry")
    for record in records:
        for role in record.roles:
            for target in role.of:
                if target not in by_id:
                    raise RegistryError(
                        f"{record.source}: {record.entity.id}: role of unknown entity {target!r}"
                    )
                if by_id[target].entity.type == "person":
                    raise RegistryError(f"{record.source}: {record.entity.id}: role of a person ({target})")
    holders: dict[tuple[str, str], list[tuple[Role, Record]]] = {}
    for record in records:
        for role in record.roles:
            for target in role.of:
                holders.setdefault((role.role, target), []).append((role, record))
    for (role_name, target), held in holders.items():
        for i, (a, ra) in enumerate(held):
            for b, rb in held[i + 1:]:
                if ra is not rb and _overlap(a, b):
                    raise RegistryError(
                        f"{rb.source}: {rb.entity.id}: {role_name} of {target} overlaps with {ra.entity.id}"
                    )


def _overlap(a: Role, b: Role) -> bool:
    a_start, b_start = a.start or date.min, b.start or date.min
    a_end, b_end = a.end or date.max, b.end or date.max
    return a_start < b_end and b_start < a_end


def load_registry(directory: Path | str = REGISTRY_DIR) -> Registry:
    """Read and validate every ``*.yml`` in ``directory``; raises RegistryError."""
    paths = sorted(Path(directory).glob("*.yml"))
    if not paths:
        raise RegistryError(f"{directory}: no registry files (*.yml)")
    records = [record for path in paths for record in _read_file(path)]
    _check_links(records)
    return Registry(records)


@functools.cache
def registry() -> Registry:
    """The project's registry, loaded and validated once per process."""
    return load_registry(REGISTRY_DIR)


def by_id(entity_id: str) -> Entity:
    """The registry entity with this id; KeyError if there is none."""
    return registry().entity(entity_id)


def find_mentions(text: str, published: date | datetime | None = None) -> list[Mention]:
    """Mentions of registry entities (and unlinked names) in ``text``, sorted by start."""
    return registry().find_mentions(text, published)


#: What a country's armed might is called after its demonym: "Russian forces", "Ukrainian drones".
_FORCE_NOUNS = (
    r"forces|troops|army|military|soldiers|servicemen|units?|brigades?|artillery|aircraft|jets|warplanes|"
    r"bombers|navy|drones?|missiles?|air\s+defen[cs]es?|shelling|strikes?|attacks?|offensive|counteroffensive|"
    r"occupiers|occupation\s+forces|authorities|officials|government|negotiators|delegation"
)


def find_forces(text: str, mentions: list[Mention]) -> list[Mention]:
    """The countries acting through their forces or officials, named only by demonym
    ("Russian forces", "Ukrainian drones", "the Russian delegation"): actors for events.

    Not entity mentions (the guidelines count "Russian" as an adjective, not a mention of
    Russia), so they are kept apart from ``find_mentions``; spans a registry name already
    covers ("Russian Armed Forces") are left to it.
    """
    found = []
    for match in registry().forces_pattern.finditer(text):
        start, end = match.span()
        if any(m.start < end and start < m.end for m in mentions):
            continue
        entity = registry().entity(registry().demonym_of(match.group(1)))
        found.append(Mention(start, end, match.group(), entity, entity.type, entity.name, "demonym"))
    return found


_PLACE_ANAPHOR = re.compile(
    r"\b[Tt]he (?:(Russian|Ukrainian|Ukraine's|Russia's) )?(border )?(region|oblast|province|city|town|village)\b"
    r"(?! of\b)")
_ANAPHOR_COUNTRY = {"russian": "RU", "russia's": "RU", "ukrainian": "UA", "ukraine's": "UA"}
#: How far back the place a description points to may have been named (characters).
_ANAPHOR_REACH = 600


def find_place_anaphora(text: str, mentions: list[Mention]) -> list[Mention]:
    """Places named again by a description ("the Russian region", "the city"): locations
    for events. Not entity mentions, like :func:`find_forces`.

    The description points to the last place named before it, countries aside: for a
    region, that place if it is one, else the region it lies in ("regaining ground in
    Kursk. Part of the Russian region ..." is Kursk Oblast); for a city, town or village,
    that place if it is a settlement (for a town or village, not a city that is a region
    itself, which stands for its government as often as not). When the last place does not fit (or lies in another
    country than an adjective gives), the description is left alone: "analysts in the
    region" after "Moscow and Kyiv" means no oblast. "The city of Kharkiv" names its place.
    """
    places = [m for m in mentions if m.type == "place" and m.entity is not None and m.entity.region is not None]
    found = []
    for match in _PLACE_ANAPHOR.finditer(text):
        start, end = match.span()
        if any(m.start < end and start < m.end for m in mentions):
            continue
        last = next((m for m in reversed(places) if m.end <= start), None)
        if last is None or start - last.end > _ANAPHOR_REACH:
            continue
        if match.group(3) in ("region", "oblast", "province"):
            entity = last.entity if registry().is_region(last.entity) else (
                by_id(last.entity.region) if last.entity.region != last.entity.id else None)
        elif match.group(3) == "city":
            entity = None if registry().is_region(last.entity) else last.entity
        else:  # a town or village is not a capital: "Kyiv has not confirmed the loss of the town"
            entity = None if last.entity.region == last.entity.id else last.entity
        country = _ANAPHOR_COUNTRY.get((match.group(1) or "").lower())
        if entity is not None and (country is None or entity.country == country):
            found.append(Mention(start, end, match.group(), entity, "place", entity.name, "anaphor"))
    return found


# --------------------------------------------------------------------------------------
# The matcher


class _Tokens:
    """The words and punctuation of a text as parallel lists (cheaper than an object each)."""

    __slots__ = ("words", "starts", "ends", "glued")

    def __init__(self, text: str):
        matches = list(_TOKEN_RE.finditer(text))
        #: apostrophes normalised to "'"
        self.words: list[str] = [m.group() for m in matches]
        for i, word in enumerate(self.words):
            if word in _APOSTROPHES:
                self.words[i] = "'"
        self.starts: list[int] = [m.start() for m in matches]
        self.ends: list[int] = [m.end() for m in matches]
        #: no whitespace between a token and the one before it
        self.glued: list[bool] = [False] + [s == e for s, e in zip(self.starts[1:], self.ends)]

    def __len__(self) -> int:
        return len(self.words)


@dataclass
class _Key:
    """What a sequence of tokens can be; one key may be several things at once."""

    alias_ids: tuple[str, ...] = ()
    surname_ids: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    qualifier_id: str | None = None


def _key_tokens(surface: str) -> tuple[tuple[str, bool], ...]:
    """An alias as (token, glued-to-previous) pairs, the shape text tokens are compared in."""
    toks = _Tokens(surface)
    return tuple(zip(toks.words, toks.glued))


def _is_cyrillic_word(token: str) -> bool:
    return "\u0400" <= token[0] <= "\u04ff" and token[0].isalpha()


def _cyrillic_stem(token: str) -> str:
    """The part of a Cyrillic word that inflection keeps: up to two final vowels/soft signs off."""
    stem = token
    for _ in range(2):
        if len(stem) > 4 and stem[-1] in _CYRILLIC_ENDINGS:
            stem = stem[:-1]
    return stem


def _title_case(surface: str) -> str:
    words = surface.split(" ")
    out = []
    for i, word in enumerate(words):
        if i and word in _SMALL_WORDS:
            out.append(word)
        else:
            out.append("-".join(part[:1].upper() + part[1:] for part in word.split("-")))
    return " ".join(out)


def _case_variants(surface: str) -> Iterator[str]:
    """The casings a surface form appears in: as written, sentence-initial, title, headline caps."""
    yield surface
    if surface[:1].islower():
        yield surface[:1].upper() + surface[1:]
    if any(w[:1].islower() for w in surface.split()):
        yield _title_case(surface)
    if len(surface) >= 4 and any(c.islower() for c in surface):
        yield surface.upper()


def _plural(surface: str) -> str | None:
    """The English plural of a weapon's name (F-16s, Leopards), as the press writes it."""
    last = surface[-1]
    if last.isalnum() and last not in "sS" and not _is_cyrillic_word(surface.split()[-1]):
        return surface + "s"
    return None


class Registry:
    """The validated registry and its compiled matcher."""

    def __init__(self, records: list[Record]):
        self._records = {r.entity.id: r for r in records}
        self._exact: dict[str, list[tuple[tuple[tuple[str, bool], ...], _Key]]] = {}
        self._stems: dict[str, list[tuple[tuple[tuple[str, bool], ...], _Key]]] = {}
        self._roles_of: dict[str, list[tuple[Role, str]]] = {}
        #: a region's bare name as token shape ("Donetsk") -> the region's id
        self._region_names: dict[tuple[tuple[str, bool], ...], str] = {}
        self._regions = {r.entity.region for r in records if r.entity.region not in (None, r.entity.id)}
        self._build()

    # -- lookups ---------------------------------------------------------------------

    def __iter__(self) -> Iterator[Entity]:
        return (r.entity for r in self._records.values())

    def __len__(self) -> int:
        return len(self._records)

    def record(self, entity_id: str) -> Record:
        return self._records[entity_id]

    def entity(self, entity_id: str) -> Entity:
        return self._records[entity_id].entity

    def is_region(self, entity: Entity) -> bool:
        """A first-level region (oblast, krai, Crimea): a place other places lie in. Kyiv
        and Sevastopol are their own regions too, but cities: nothing lies in them."""
        return entity.id in self._regions

    def holder(self, role_names: tuple[str, ...], of: str, day: date | None) -> str | None:
        """The one person holding one of these offices of ``of`` on ``day``, if exactly one."""
        found = {
            eid
            for role, eid in self._roles_of.get(of, ())
            if (role.role in role_names or (LEADER in role_names and role.leader)) and role.held_on(day)
        }
        return found.pop() if len(found) == 1 else None

    # -- compiling -------------------------------------------------------------------

    def _build(self) -> None:
        for rec in self._records.values():
            for role in rec.roles:
                for target in role.of:
                    self._roles_of.setdefault(target, []).append((role, rec.entity.id))
        keys: dict[tuple[tuple[str, bool], ...], _Key] = {}

        def key(surface: str) -> _Key | None:
            shape = _key_tokens(surface)
            if not shape or len(shape) > _MAX_ALIAS_TOKENS:
                return None
            return keys.setdefault(shape, _Key())

        def add_alias(surface: str, eid: str) -> None:
            k = key(surface)
            if k is not None and eid not in k.alias_ids:
                k.alias_ids += (eid,)

        for rec in self._records.values():
            eid = rec.entity.id
            for alias in rec.aliases:
                for variant in _case_variants(alias):
                    add_alias(variant, eid)
                if rec.entity.type == "weapon" and (plural := _plural(alias)):
                    add_alias(plural, eid)
            for surname in rec.surnames:
                for variant in _case_variants(surname):
                    k = key(variant)
                    if k is not None and eid not in k.surname_ids:
                        k.surname_ids += (eid,)
            for qualifier in rec.qualifiers:
                for variant in _case_variants(qualifier):
                    k = key(variant)
                    if k is not None and k.qualifier_id is None:
                        k.qualifier_id = eid
        titles: dict[str, tuple[str, ...]] = {}
        for role_name, forms in TITLE_FORMS.items():
            for form in forms:
                titles[form] = titles.get(form, ()) + (role_name,)
        titles.update(SHARED_TITLE_FORMS)
        for form, role_names in titles.items():
            variants = [form] if form.isupper() else list(_case_variants(form))
            for variant in variants:
                k = key(variant)
                if k is not None:
                    k.titles = role_names
        for shape, k in keys.items():
            self._exact.setdefault(shape[0][0], []).append((shape[1:], k))
            words = [t for t, _ in shape if t[0].isalnum()]
            if words and all(_is_cyrillic_word(t) for t in words):
                stems = tuple((_cyrillic_stem(t) if _is_cyrillic_word(t) else t, g) for t, g in shape)
                self._stems.setdefault(stems[0][0], []).append((stems[1:], k))
        for table in (self._exact, self._stems):
            for entries in table.values():
                entries.sort(key=lambda e: -len(e[0]))
        region_names: dict[tuple[tuple[str, bool], ...], set[str]] = {}
        for rec in self._records.values():
            if rec.entity.type != "place":
                continue
            for alias in rec.aliases:
                for suffix in _REGION_SUFFIXES:
                    if alias.endswith(suffix) and (base := alias[: -len(suffix)].strip()):
                        shape = _key_tokens(base)
                        if shape:
                            region_names.setdefault(shape, set()).add(rec.entity.id)
        # a bare name two regions share says nothing; drop it
        self._region_names = {s: next(iter(ids)) for s, ids in region_names.items() if len(ids) == 1}
        self._region_name_lengths = sorted({len(s) for s in self._region_names}, reverse=True)

    # -- matching --------------------------------------------------------------------

    def _match_at(self, toks: _Tokens, i: int) -> tuple[int, _Key] | None:
        """The longest key starting at token ``i``: (number of tokens, key)."""
        words, glued, n = toks.words, toks.glued, len(toks.words)
        first = words[i]
        best: tuple[int, _Key] | None = None
        for rest, k in self._exact.get(first, ()):
            size = len(rest) + 1
            if i + size > n:
                continue
            for j, (t, g) in enumerate(rest, i + 1):
                if words[j] != t or glued[j] != g:
                    break
            else:
                best = (size, k)
                break
        if "\u0400" <= first[0] <= "\u04ff":
            for cut in range(4):
                stem = first[: len(first) - cut] if cut else first
                if cut and not _inflects(first, stem):
                    continue
                for rest, k in self._stems.get(stem, ()):
                    size = len(rest) + 1
                    if (best and size <= best[0]) or i + size > n:
                        continue
                    if all(glued[j] == g and _stem_matches(words[j], t)
                           for j, (t, g) in enumerate(rest, i + 1)):
                        best = (size, k)
                        break
        return best

    def find_mentions(self, text: str, published: date | datetime | None = None) -> list[Mention]:
        day = published.date() if isinstance(published, datetime) else published
        toks = _Tokens(text)
        items = self._scan(toks, day)
        covered = bytearray(len(toks))
        for item in items:
            covered[item.start:item.end] = b"\x01" * (item.end - item.start)
        unlinked = _unlinked_names(text, toks, covered, self._qualifier_words | _STOP_WORDS)
        items = _attach_names(items, unlinked, toks)
        return self._resolve(items, toks, text)

    @functools.cached_property
    def _demonyms(self) -> dict[str, str]:
        """Country demonyms ("Russian", "North Korean"), lowercased, to the country's id."""
        return {q.lower(): rec.entity.id for rec in self._records.values() if rec.entity.type == "place"
                for q in rec.qualifiers}

    def demonym_of(self, word: str) -> str:
        return self._demonyms[" ".join(word.lower().split())]

    @functools.cached_property
    def forces_pattern(self) -> re.Pattern:
        names = sorted(self._demonyms, key=len, reverse=True)
        demonym = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
        return re.compile(rf"(?<![\w-])({demonym})\s+(?:{_FORCE_NOUNS})\b", re.IGNORECASE)

    @functools.cached_property
    def _qualifier_words(self) -> frozenset[str]:
        """Demonyms ("British", "South Korean") word by word: adjectives, not names."""
        return frozenset(w for rec in self._records.values() for q in rec.qualifiers for w in q.split())

    def _scan(self, toks: _Tokens, day: date | None) -> list[_Item]:
        """Registry matches left to right, with titles folded into role items."""
        items: list[_Item] = []
        words, exact = toks.words, self._exact
        i, n = 0, len(words)
        while i < n:
            word = words[i]
            if word not in exact and not ("\u0400" <= word[0] <= "\u04ff"):
                i += 1
                continue
            found = self._match_at(toks, i)
            if found is None:
                i += 1
                continue
            size, k = found
            if _is_title_key(k):
                role = self._role_item(toks, items, i, i + size, k.titles, day)
                items.append(role)
                i = role.end
                continue
            items.append(_Item(i, i + size, k))
            i += size
        items = self._coordinated_regions(toks, items)
        return [it for it in items if not it.is_bare_qualifier]

    def _region_ending_at(self, toks: _Tokens, end: int) -> tuple[int, str] | None:
        """A region's bare name whose last token is ``end - 1``: (first token, region id)."""
        words, glued = toks.words, toks.glued
        for size in self._region_name_lengths:
            start = end - size
            if start < 0:
                continue
            shape = tuple(zip(words[start:end], [False] + glued[start + 1:end]))
            if (eid := self._region_names.get(shape)) and (start == 0 or not glued[start]):
                return start, eid
        return None

    def _coordinated_regions(self, toks: _Tokens, items: list[_Item]) -> list[_Item]:
        """Relink "the Donetsk, Luhansk and Kherson regions": each name is its region, not its city."""
        words = toks.words
        lists: list[list[tuple[int, int, str]]] = []
        for r, word in enumerate(words):
            if word not in _REGION_PLURALS or r == 0 or toks.glued[r]:
                continue
            names: list[tuple[int, int, str]] = []
            j, joined = r, False
            while True:
                found = self._region_ending_at(toks, j)
                if found is None:
                    break
                names.append((found[0], j, found[1]))
                j = found[0]
                k = j
                if k > 0 and words[k - 1] in {"and", "or", "&"}:
                    k -= 1
                    joined = True
                if k > 0 and words[k - 1] == ",":
                    k -= 1
                if k == j:
                    break
                j = k
            if len(names) >= 2 and joined:
                lists.append(names)
        if not lists:
            return items
        for names in lists:
            first, last = names[-1][0], names[0][1]
            if any(it.start < first < it.end or it.start < last < it.end for it in items):
                continue  # a longer registry match crosses the list: leave it alone
            items = [it for it in items if not (first <= it.start and it.end <= last)]
            items.extend(_Item(s, e, _Key(alias_ids=(eid,))) for s, e, eid in names)
        items.sort(key=lambda it: it.start)
        return items

    def _role_item(self, toks: _Tokens, items: list[_Item], start: int, end: int,
                   role_names: tuple[str, ...], day: date | None) -> _Item:
        """A title with its qualifier before it ("British", "NATO's") or after it ("of Ukraine")."""
        words = toks.words
        qualifier, qualifier_item = None, None
        if items and (prev := items[-1]).end in (start, start - 2):
            if words[prev.end:start] in ([], ["'", "s"]) and (q := self._qualifier_of(prev.key)):
                qualifier, qualifier_item = q, items.pop()
                start = prev.start
        former = _after_former(words, start)
        if qualifier is None and end + 1 < len(words) and words[end] == "of":
            j = end + 1
            if words[j].lower() == "the" and j + 1 < len(words):
                j += 1
            found = self._match_at(toks, j)
            if found and (q := self._qualifier_of(found[1])) and not former:
                person = self.holder(role_names, q, day)
                if person:
                    return _Item(start, j + found[0], _Key(titles=role_names), role_person=person)
        person = self.holder(role_names, qualifier, day) if qualifier and not former else None
        return _Item(start, end, _Key(titles=role_names), role_person=person, qualifier_item=qualifier_item)

    def _qualifier_of(self, k: _Key) -> str | None:
        for eid in k.alias_ids:
            if self._records[eid].entity.type != "person":
                return eid
        return k.qualifier_id

    def _resolve(self, items: list[_Item], toks: _Tokens, text: str) -> list[Mention]:
        """Turn items into mentions: surnames and ambiguous aliases resolved by the text."""
        full: dict[str, int] = {}  # entity -> first token where it is named unambiguously
        for item in items:
            eid = item.definite_id()
            if eid and item.full_name:
                full.setdefault(eid, item.start)
        mentions = []
        for item in items:
            start, end = toks.starts[item.start], toks.ends[item.end - 1]
            surface = text[start:end]
            eid, via = self._identify(item, full)
            if eid:
                entity = self._records[eid].entity
                mentions.append(Mention(start, end, surface, entity, entity.type, entity.name, via))
                continue
            if item.unlinked_name is not None:
                name_start, name_end, guess = item.unlinked_name
            elif item.surname_like:
                # A surname no one in the text or the registry answers to: a person only
                # with a cue ("Johnson said"), else a word like "Store" or "Austin".
                if item.name_key is None and _guess_type(toks.words, item.start, item.end) != "person":
                    continue
                name_start, name_end, guess = item.start, item.end, "person"
            elif (item.name_key or item.key).alias_ids:
                first = (item.name_key or item.key).alias_ids[0]
                name_start, name_end, guess = item.start, item.end, self._records[first].entity.type
            else:
                continue
            name = " ".join(text[toks.starts[name_start]:toks.ends[name_end - 1]].split())
            mentions.append(Mention(start, end, surface, None, guess, name, "unlinked"))
        return mentions

    def _identify(self, item: _Item, full: dict[str, int]) -> tuple[str | None, str]:
        k = item.name_key or item.key
        if k.alias_ids:
            if len(k.alias_ids) == 1:
                return k.alias_ids[0], "alias"
            return self._by_context(k.alias_ids, full, item.start), "alias"
        if k.surname_ids:
            if item.role_person in k.surname_ids:
                return item.role_person, "surname"
            mentioned = [e for e in k.surname_ids if e in full]
            if mentioned:
                return self._by_context(tuple(mentioned), full, item.start), "surname"
            alone = [e for e in k.surname_ids if self._records[e].surname_alone]
            if len(k.surname_ids) == 1 and alone:
                return alone[0], "surname"
            return None, "unlinked"
        if item.unlinked_name is None and item.role_person:
            return item.role_person, "role"
        return None, "unlinked"

    @staticmethod
    def _by_context(candidates: tuple[str, ...], full: dict[str, int], position: int) -> str | None:
        """Of several candidates, the one named in full nearest before ``position`` (else first named)."""
        named = [(full[c], c) for c in candidates if c in full]
        if not named:
            return None
        before = [nc for nc in named if nc[0] <= position]
        return max(before)[1] if before else min(named)[1]


def _after_former(words: list[str], start: int) -> bool:
    """Whether a title is qualified as past: "former US president", "then-PM", "ex-chancellor"."""
    before = words[start - 1].lower() if start > 0 else ""
    if before == "-" and start > 1:
        before = words[start - 2].lower()
    return before in {"former", "ex", "then"}


def _is_title_key(k: _Key) -> bool:
    return bool(k.titles) and not k.alias_ids and not k.surname_ids


def _inflects(word: str, stem: str) -> bool:
    return len(stem) >= 4 and bool(_CYRILLIC_ENDING_RE.fullmatch(word[len(stem):]))


def _stem_matches(word: str, stem: str) -> bool:
    return word == stem or (word.startswith(stem) and _inflects(word, stem))


@dataclass
class _Item:
    """A span of tokens the scan recognised, before it becomes a Mention."""

    start: int
    end: int
    key: _Key
    role_person: str | None = None
    qualifier_item: _Item | None = None  # "UK" in "UK prime minister", kept if no one is named
    name_key: _Key | None = None  # a registry name after a title
    unlinked_name: tuple[int, int, str] | None = None  # token span and type guess of an unknown name

    @property
    def is_title(self) -> bool:
        return _is_title_key(self.key)

    @property
    def is_bare_qualifier(self) -> bool:
        """A demonym ("British") that no title followed: not a mention of anything."""
        k = self.key
        return k.qualifier_id is not None and not k.alias_ids and not k.surname_ids and not k.titles

    @property
    def surname_like(self) -> bool:
        return bool((self.name_key or self.key).surname_ids)

    @property
    def full_name(self) -> bool:
        """Named in full (alias) or by office, not by surname alone."""
        k = self.name_key or self.key
        return bool(k.alias_ids) or (self.is_title and self.role_person is not None and not k.surname_ids)

    def definite_id(self) -> str | None:
        k = self.name_key or self.key
        if len(k.alias_ids) == 1:
            return k.alias_ids[0]
        if self.is_title and self.name_key is None and self.unlinked_name is None:
            return self.role_person
        return None


def _attach_names(items: list[_Item], unlinked: list[_Item], toks: _Tokens) -> list[_Item]:
    """Fold the name after a title into the title's item; drop titles that name nobody."""
    merged: list[_Item] = []
    unlinked_at = {u.start: u for u in unlinked}
    used_unlinked: set[int] = set()
    i = 0
    while i < len(items):
        item = items[i]
        if item.is_title and item.qualifier_item and not item.qualifier_item.is_bare_qualifier:
            # "US President Donald Trump", "Kremlin spokesman Dmitry Peskov": the country or body
            # before the title is named too, as its own mention; the title keeps the rest.
            merged.append(item.qualifier_item)
            item.start = _after_possessive(toks.words, item.qualifier_item.end)
            item.qualifier_item = None
        if item.is_title:
            nxt = items[i + 1] if i + 1 < len(items) else None
            if nxt and nxt.start == item.end and not toks.glued[nxt.start] and _is_person_key(nxt):
                item.name_key = nxt.key
                item.end = nxt.end
                i += 1
            elif item.end in unlinked_at:
                u = unlinked_at[item.end]
                used_unlinked.add(u.start)
                item.unlinked_name = (u.start, u.end, "person")
                item.end = u.end
            elif item.role_person is None:
                if item.qualifier_item and not item.qualifier_item.is_bare_qualifier:
                    merged.append(item.qualifier_item)
                i += 1
                continue
        merged.append(item)
        i += 1
    merged.extend(u for u in unlinked if u.start not in used_unlinked)
    merged.sort(key=lambda it: it.start)
    return merged


def _after_possessive(words: list[str], end: int) -> int:
    """The token after a name and its possessive ("NATO 's"), where a title following it starts."""
    return end + 2 if words[end:end + 2] == ["'", "s"] else end


def _is_person_key(item: _Item) -> bool:
    k = item.key
    return (bool(k.alias_ids) and all(a.startswith("person/") for a in k.alias_ids)) or (
        bool(k.surname_ids) and not k.alias_ids
    )


# --------------------------------------------------------------------------------------
# Unlinked names

#: Capitalised words that are not names, or not on their own: function words that start
#: sentences, days and months, honorifics and title words, general adjectives.
_STOP_WORDS = frozenset("""
A An The This That These Those It Its He She They We I You Our Their His Her My Your Us Them
But And Or Nor So Yet If When While After Before Since As At In On For From With Without By Of
To During Despite Although Though However Meanwhile Also Still Now Then There Here Why What Who
Whom Whose How Where Which Soon Earlier Later Last Next First Second Third Many Some Several Most
More Other Others All Both Each Every No Not Such One Two Three Four Five Six Seven Eight Nine Ten
Asked According Speaking Under Over Amid Among Following Separately Overall Instead Only Even Yes
Until Once Further Part Please Let Thank Thanks Today Tomorrow Yesterday Tonight Mr Mrs Ms Dr Sir
Dame Lord Lady Prof Gen Lt Col Maj Capt Sgt Adm Rep Sen Gov Monday Tuesday Wednesday Thursday
Friday Saturday Sunday January February March April May June July August September October
November December President Presidents Prime Minister Ministers Secretary Foreign Defence Defense
Interior Deputy Chief Chancellor Vice General Commander Colonel Major Captain Admiral Sergeant
Lieutenant Private Governor Mayor Senator Ambassador Envoy Spokesman Spokeswoman Spokesperson
Speaker King Queen Prince Princess Pope Patriarch Director Head Leader Chairman Chairwoman Officials
Official Western Eastern Northern Southern Central European Soviet Nazi Christmas Easter God
Orthodox Catholic Muslim Islamic Christian Jewish Allied Allies Coalition Statement Photo Video
Reporting Editing Writing Updated Read Watch Listen Subscribe Advertisement Related Copyright
Live Breaking Exclusive Analysis Opinion Comment Editor Ukrainians Russians Americans Europeans
Are Is Was Were Will Would Can Could Should Shall May Might Must Do Does Did Have Has Had Be Been
Being Just Every Any Another Nothing Everything Everyone Someone Anyone None Neither Either Whether
Because Unless Whatever However Otherwise Nevertheless Moreover Besides Almost Already Again Ever
Never Always Sometimes Often Perhaps Maybe Indeed Especially Particularly Nearly About Around
Against Between Into Onto Upon Within Across Along Behind Beyond Toward Towards Via Per
Він Вона Вони Але Також Ми Це Як Що Він Он Она Они Но Также Мы Это Как Что
""".split())

#: Words that make a capitalised name an institution.
_ORG_WORDS = frozenset("""
Ministry Committee Agency Council Service Services Forces Force Brigade Corps Bank Party Union
Company Group Institute University Fund Office Parliament Court Commission Department
Administration Army Navy Guard Regiment Battalion Division Directorate Organisation Organization
Association Federation Foundation Centre Center Bureau Command Staff Assembly Senate Congress
Cabinet Government Network News Times Post Corporation Inc Ltd Holding Holdings Airlines Railways
Fleet Legion Police Church Movement Front Alliance Academy School Hospital Authority Authorities
Chamber Board Tribunal Agence Press Television Radio Media Headquarters Convention Community
Treasury Secretariat Mission Operation Programme Program
Міністерство Министерство Служба Комітет Комитет Агентство Управління Управление Бригада Сили
Силы Банк Партія Партия Рада Совет Фонд Офіс Офис
""".split())

_PERSON_VERBS = frozenset("""
said says told added wrote stated warned noted claimed argued explained announced insisted
stressed urged replied asked tweeted posted confirmed denied according
заявив сказав написав повідомив заявила сказала заявил сказал написал сообщил
""".split())
_PERSON_CUES_BEFORE = frozenset("""
Mr Mrs Ms Dr Sir Dame Lord Lady Gen Lt Col Maj Capt Sgt Adm Rep Sen Gov General Colonel Major
Captain Admiral Sergeant Lieutenant Commander Minister Ambassador Senator Governor Mayor Envoy
spokesman spokeswoman spokesperson adviser advisor envoy commander minister ambassador governor
mayor official lawmaker MP said by
""".split())
#: Nouns after which a name is a place: "the village Novoolenivka", "the town of Siversk".
_PLACE_NOUNS = frozenset("""
village villages town towns city cities settlement settlements region district
""".split())
_PLACE_CUES_BEFORE = _PLACE_NOUNS | frozenset("""
in near from outside around towards toward into across at to via through
""".split())
_PARTICLES = frozenset("von van der de da di du del dos la le al bin ibn".split())
#: Capitalised words that never belong to a person's name: "World War", "World Heritage".
_NOT_NAME_WORDS = frozenset("""
War Wars World Heritage Day Cup Games Olympics Championship Summit Conference Forum Treaty
Agreement Accord Memorandum Plan Initiative Declaration Charter Act Law Award Prize Week
""".split())
#: Titles that open an unlinked person's name and are not part of it: "Energy Minister X Y".
_TITLE_WORDS = frozenset("""
Minister Ambassador Senator Governor Mayor Envoy Commander General Colonel Major Captain Admiral
Sergeant Lieutenant President Premier Chancellor Secretary Spokesman Spokeswoman Adviser Advisor
Chief Director Head Deputy Prosecutor Ombudsman Commissioner
""".split())
#: Small words inside institution names ("Ministry of Strategic Industries").
_ORG_CONNECTORS = frozenset({"of", "for", "on", "and"})


def _is_name_word(token: str) -> bool:
    return token[:1].isupper() and token.isalpha() and not (len(token) > 1 and token.isupper())


def _unlinked_names(text: str, toks: _Tokens, covered: bytearray, stop: frozenset[str]) -> list[_Item]:
    """Capitalised name sequences outside registry matches, with a type guess each.

    A sequence of two or more name words is kept (a person unless a cue says otherwise);
    a single word only with a cue, or when it is the surname of an unlinked person named
    in full in the same text. Title-cased lines (headlines) are skipped.
    """
    words, glued = toks.words, toks.glued
    headline = functools.lru_cache(maxsize=None)(functools.partial(_title_cased_line, text))
    spans: list[tuple[int, int]] = []
    n, i = len(words), 0
    while i < n:
        if covered[i] or not _is_name_word(words[i]):
            i += 1
            continue
        j = i + 1
        while j < n and not covered[j]:
            if (glued[j] and words[j] in {"-", "'"} and j + 1 < n and glued[j + 1]
                    and not covered[j + 1] and _is_name_word(words[j + 1])):
                j += 2
            elif not glued[j] and _is_name_word(words[j]):
                j += 1
            elif (not glued[j] and words[j] in _PARTICLES and j + 1 < n and not covered[j + 1]
                    and not glued[j + 1] and _is_name_word(words[j + 1])):
                j += 2
            elif (not glued[j] and words[j] in _ORG_CONNECTORS and any(w in _ORG_WORDS for w in words[i:j])
                    and (k := _skip_article(words, j + 1)) < n and not covered[k]
                    and _is_name_word(words[k])):
                j = k + 1
            else:
                break
        s, e = i, j
        while s < e and words[s] in stop:
            s += 1
        while e > s and words[e - 1] in stop:
            e -= 1
        if s < e and not headline(text.rfind("\n", 0, toks.starts[s]) + 1):
            spans.append((s, e))
        i = j
    items: list[_Item] = []
    full_names: dict[str, tuple[int, int]] = {}
    for s, e in spans:
        title_end = max((k + 1 for k in range(s, e) if words[k] in _TITLE_WORDS), default=s)
        if e - title_end >= 2:  # "Energy Minister Svitlana Hrynchuk" -> "Svitlana Hrynchuk", a person
            s = title_end
        guess = _guess_type(words, s, e)
        if guess != "organization" and any(w in _NOT_NAME_WORDS for w in words[s:e]):
            continue
        if e - s == 1 and guess is None:
            guess = "single"
        items.append(_Item(s, e, _Key(), unlinked_name=(s, e, guess or "person")))
        if guess in (None, "person") and e - s > 1:
            full_names.setdefault(words[e - 1], (s, e))
    kept = []
    for item in items:
        s, e, guess = item.unlinked_name
        full = full_names.get(words[s]) if e - s == 1 and guess in ("single", "person") else None
        if full is not None:
            item.unlinked_name = (full[0], full[1], "person")
        elif guess == "single":
            continue
        kept.append(item)
    return kept


def _skip_article(words: list[str], j: int) -> int:
    return j + 1 if j < len(words) and words[j] == "the" else j


_WORD_RE = re.compile(r"[^\W\d_]+")


def _title_cased_line(text: str, line_start: int) -> bool:
    """Whether the line starting at ``line_start`` is a headline: most of its words capitalised."""
    line_end = text.find("\n", line_start)
    words = _WORD_RE.findall(text, line_start, line_end if line_end >= 0 else len(text))
    if len(words) < 4:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= 0.6 * len(words)


def _guess_type(words: list[str], s: int, e: int) -> str | None:
    """organization / person / place from the words in and around a name; None if no cue.

    An institution word makes an organisation only with a name beside it: "Ministry of
    Strategic Industries", not a lone "Ministry".
    """
    if e - s > 1 and any(w in _ORG_WORDS for w in words[s:e]):
        return "organization"
    before = words[s - 1] if s > 0 else ""
    before2 = words[s - 2] if s > 1 else ""
    after = words[e] if e < len(words) else ""
    if before in _PERSON_CUES_BEFORE or after in _PERSON_VERBS or (before == "to" and before2 == "according"):
        return "person"
    if before in _PLACE_CUES_BEFORE or (before == "of" and before2 in _PLACE_NOUNS):
        return "place"
    return None
