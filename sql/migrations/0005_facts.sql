-- Structured facts: linked entities and their mentions, quotes with speakers, events with
-- participants, places, dates and quantities. Every fact row points to its article and
-- its sentence (character offsets into core.articles.body_text) and records the
-- extractor version that produced it.

CREATE TABLE core.entities (
    entity_id text PRIMARY KEY,
    name      text NOT NULL,
    type      text NOT NULL CHECK (type IN ('person', 'organization', 'place', 'weapon', 'group')),
    wikidata  text,
    geonames  integer,
    lat       double precision,
    lon       double precision,
    country   text
);
CREATE INDEX entities_wikidata_idx ON core.entities (wikidata);
COMMENT ON TABLE core.entities IS 'The curated registry of the war''s actors, places and weapons (extractors/data/entities), synchronised by the facts stage.';
COMMENT ON COLUMN core.entities.entity_id IS 'Stable registry key, e.g. person/volodymyr-zelenskyy, place/kyiv.';
COMMENT ON COLUMN core.entities.name IS 'Canonical English name.';
COMMENT ON COLUMN core.entities.type IS 'person, organization, place, weapon or group.';
COMMENT ON COLUMN core.entities.wikidata IS 'Wikidata QID, where one is known.';
COMMENT ON COLUMN core.entities.geonames IS 'GeoNames id (places).';
COMMENT ON COLUMN core.entities.lat IS 'Latitude (places), WGS84.';
COMMENT ON COLUMN core.entities.lon IS 'Longitude (places), WGS84.';
COMMENT ON COLUMN core.entities.country IS 'ISO 3166-1 alpha-2 country, where it applies.';

CREATE TABLE core.entity_aliases (
    entity_id text NOT NULL REFERENCES core.entities ON DELETE CASCADE,
    alias     text NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_alias_idx ON core.entity_aliases (lower(alias));
COMMENT ON TABLE core.entity_aliases IS 'Spellings, transliterations and Cyrillic forms under which an entity is recognised.';
COMMENT ON COLUMN core.entity_aliases.entity_id IS 'The entity.';
COMMENT ON COLUMN core.entity_aliases.alias IS 'One way of writing it.';

CREATE TABLE core.mentions (
    mention_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id        bigint NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    entity_id         text REFERENCES core.entities,
    name              text NOT NULL,
    type              text NOT NULL,
    surface           text NOT NULL,
    start_offset      integer NOT NULL,
    end_offset        integer NOT NULL,
    linked_via        text NOT NULL,
    extractor_version text NOT NULL
);
CREATE INDEX mentions_article_idx ON core.mentions (article_id);
CREATE INDEX mentions_entity_idx ON core.mentions (entity_id);
COMMENT ON TABLE core.mentions IS 'Each place an article names an entity (linked to the registry, or an unlinked name of a guessed type).';
COMMENT ON COLUMN core.mentions.mention_id IS 'Surrogate key.';
COMMENT ON COLUMN core.mentions.article_id IS 'The article.';
COMMENT ON COLUMN core.mentions.entity_id IS 'The linked entity; null for a name not in the registry.';
COMMENT ON COLUMN core.mentions.name IS 'Canonical name of the entity, or the name as written when unlinked.';
COMMENT ON COLUMN core.mentions.type IS 'Entity type (a guess for unlinked names).';
COMMENT ON COLUMN core.mentions.surface IS 'The text as written in the article.';
COMMENT ON COLUMN core.mentions.start_offset IS 'Start of the mention in core.articles.body_text (characters).';
COMMENT ON COLUMN core.mentions.end_offset IS 'End of the mention in core.articles.body_text (characters, exclusive).';
COMMENT ON COLUMN core.mentions.linked_via IS 'How it was linked: alias, role (a title held at the date), surname, or unlinked.';
COMMENT ON COLUMN core.mentions.extractor_version IS 'Facts extractor version.';

CREATE TABLE core.quotes (
    quote_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id        bigint NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    speaker_entity_id text REFERENCES core.entities,
    speaker_name      text,
    cue               text,
    quote_text        text NOT NULL,
    direct            boolean NOT NULL,
    start_offset      integer NOT NULL,
    end_offset        integer NOT NULL,
    sentence_start    integer NOT NULL,
    sentence_end      integer NOT NULL,
    extractor_version text NOT NULL
);
CREATE INDEX quotes_article_idx ON core.quotes (article_id);
CREATE INDEX quotes_speaker_idx ON core.quotes (speaker_entity_id);
COMMENT ON TABLE core.quotes IS 'Who said what: direct quotes (and reported speech, direct = false) with the speaker resolved to an entity.';
COMMENT ON COLUMN core.quotes.quote_id IS 'Surrogate key.';
COMMENT ON COLUMN core.quotes.article_id IS 'The article.';
COMMENT ON COLUMN core.quotes.speaker_entity_id IS 'The speaker, linked; null when unlinked or unknown.';
COMMENT ON COLUMN core.quotes.speaker_name IS 'The speaker''s name (canonical when linked); null when the article does not say.';
COMMENT ON COLUMN core.quotes.cue IS 'The cue verb as written: said, added, told...';
COMMENT ON COLUMN core.quotes.quote_text IS 'The quoted words, without quotation marks.';
COMMENT ON COLUMN core.quotes.direct IS 'True for a direct quote, false for reported speech.';
COMMENT ON COLUMN core.quotes.start_offset IS 'Start of the quoted words in core.articles.body_text.';
COMMENT ON COLUMN core.quotes.end_offset IS 'End of the quoted words in core.articles.body_text (exclusive).';
COMMENT ON COLUMN core.quotes.sentence_start IS 'Start of the sentence holding the quote.';
COMMENT ON COLUMN core.quotes.sentence_end IS 'End of that sentence (exclusive).';
COMMENT ON COLUMN core.quotes.extractor_version IS 'Facts extractor version.';

CREATE TABLE core.events (
    event_id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id         bigint NOT NULL REFERENCES core.articles ON DELETE CASCADE,
    event_type         text NOT NULL CHECK (event_type IN ('AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID',
        'RETREAT', 'REQUEST', 'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT')),
    mode               text,
    cameo_root         text NOT NULL,
    acled_event_type   text,
    location_entity_id text REFERENCES core.entities,
    location_name      text,
    event_date         date,
    date_precision     text CHECK (date_precision IN ('day', 'week', 'month', 'year')),
    sentence           text NOT NULL,
    sentence_start     integer NOT NULL,
    sentence_end       integer NOT NULL,
    confidence         real NOT NULL,
    extractor_version  text NOT NULL
);
CREATE INDEX events_article_idx ON core.events (article_id);
CREATE INDEX events_type_date_idx ON core.events (event_type, event_date);
CREATE INDEX events_location_idx ON core.events (location_entity_id);
COMMENT ON TABLE core.events IS 'What happened, as one article reports it: PLOVER type (with CAMEO root and ACLED type to join GDELT and ACLED), place, date, participants, quantities, and the sentence it comes from.';
COMMENT ON COLUMN core.events.event_id IS 'Surrogate key.';
COMMENT ON COLUMN core.events.article_id IS 'The article.';
COMMENT ON COLUMN core.events.event_type IS 'PLOVER event type.';
COMMENT ON COLUMN core.events.mode IS 'PLOVER mode where it applies, e.g. drone, missile, artillery for ASSAULT; virtual, phone for CONSULT.';
COMMENT ON COLUMN core.events.cameo_root IS 'CAMEO root code (two digits) of the event type.';
COMMENT ON COLUMN core.events.acled_event_type IS 'ACLED event type for violence, e.g. Explosions/Remote violence, Battles.';
COMMENT ON COLUMN core.events.location_entity_id IS 'The place, linked (coordinates in core.entities).';
COMMENT ON COLUMN core.events.location_name IS 'The place as named.';
COMMENT ON COLUMN core.events.event_date IS 'When it happened, resolved from the text against the publication date.';
COMMENT ON COLUMN core.events.date_precision IS 'day, week, month or year.';
COMMENT ON COLUMN core.events.sentence IS 'The source sentence.';
COMMENT ON COLUMN core.events.sentence_start IS 'Start of the sentence in core.articles.body_text.';
COMMENT ON COLUMN core.events.sentence_end IS 'End of the sentence (exclusive).';
COMMENT ON COLUMN core.events.confidence IS 'Extractor confidence 0-1.';
COMMENT ON COLUMN core.events.extractor_version IS 'Facts extractor version.';

CREATE TABLE core.event_participants (
    event_id  bigint NOT NULL REFERENCES core.events ON DELETE CASCADE,
    role      text NOT NULL CHECK (role IN ('actor', 'recipient')),
    position  smallint NOT NULL,
    entity_id text REFERENCES core.entities,
    name      text NOT NULL,
    PRIMARY KEY (event_id, role, position)
);
CREATE INDEX event_participants_entity_idx ON core.event_participants (entity_id);
COMMENT ON TABLE core.event_participants IS 'Who did what to whom: the actors and recipients of an event.';
COMMENT ON COLUMN core.event_participants.event_id IS 'The event.';
COMMENT ON COLUMN core.event_participants.role IS 'actor or recipient.';
COMMENT ON COLUMN core.event_participants.position IS 'Order within the role.';
COMMENT ON COLUMN core.event_participants.entity_id IS 'The participant, linked; null when unlinked.';
COMMENT ON COLUMN core.event_participants.name IS 'The participant''s name.';

CREATE TABLE core.event_quantities (
    event_id bigint NOT NULL REFERENCES core.events ON DELETE CASCADE,
    position smallint NOT NULL,
    kind     text NOT NULL,
    value    double precision NOT NULL,
    unit     text,
    surface  text NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_quantities_kind_idx ON core.event_quantities (kind);
COMMENT ON TABLE core.event_quantities IS 'How many: the figures an event''s sentence gives (killed, injured, drones, missiles, troops, days, money...).';
COMMENT ON COLUMN core.event_quantities.event_id IS 'The event.';
COMMENT ON COLUMN core.event_quantities.position IS 'Order in the sentence.';
COMMENT ON COLUMN core.event_quantities.kind IS 'killed, injured, drones, missiles, troops, days, money, people or other.';
COMMENT ON COLUMN core.event_quantities.value IS 'The number.';
COMMENT ON COLUMN core.event_quantities.unit IS 'Unit or currency, where there is one.';
COMMENT ON COLUMN core.event_quantities.surface IS 'The figure as written.';

ALTER TABLE core.articles ADD COLUMN facts_version text;
ALTER TABLE core.articles ADD COLUMN facts_pending boolean NOT NULL DEFAULT true;
CREATE INDEX articles_facts_pending_idx ON core.articles (article_id) WHERE facts_pending;
COMMENT ON COLUMN core.articles.facts_version IS 'Facts extractor version that produced the article''s current facts (null until extracted).';
COMMENT ON COLUMN core.articles.facts_pending IS 'New, or its text changed, since its facts were last extracted.';

-- The same event told by several articles of one story, counted once.
CREATE VIEW core.story_events AS
SELECT a.story_id,
       e.event_type,
       e.location_entity_id,
       e.event_date,
       min(e.event_id)                 AS first_event_id,
       count(DISTINCT e.article_id)    AS articles,
       count(DISTINCT a.source_id)     AS outlets
FROM core.events e
JOIN core.articles a USING (article_id)
WHERE a.story_id IS NOT NULL
GROUP BY a.story_id, e.event_type, e.location_entity_id, e.event_date;
COMMENT ON VIEW core.story_events IS 'Events merged per story: the same type, place and date in articles of one story is one event, with the number of articles and outlets that reported it.';
