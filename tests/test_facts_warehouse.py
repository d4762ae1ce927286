"""Facts in the warehouse, through the stages: every fact points into its article's text,
links to the registry where it can, and a re-run leaves the facts as they were."""

from datetime import date

from pipeline_helpers import rows, run_day, scalar, snapshot, state_differences

DAY = date(2025, 3, 15)


def test_facts_are_loaded_with_offsets_into_their_article(pipeline_env, server):
    run_day(pipeline_env, DAY)
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles WHERE facts_pending OR facts_version IS NULL") == 0
    # Offsets point at the text they claim to.
    assert scalar(pipeline_env, """
        SELECT count(*) FROM core.mentions m JOIN core.articles a USING (article_id)
        WHERE substr(a.body_text, m.start_offset + 1, m.end_offset - m.start_offset) <> m.surface""") == 0
    assert scalar(pipeline_env, """
        SELECT count(*) FROM core.quotes q JOIN core.articles a USING (article_id)
        WHERE substr(a.body_text, q.start_offset + 1, q.end_offset - q.start_offset) <> q.quote_text""") == 0
    assert scalar(pipeline_env, """
        SELECT count(*) FROM core.events e JOIN core.articles a USING (article_id)
        WHERE position(e.sentence IN a.body_text) = 0""") == 0

    # The coalition call of 15 March: Starmer, quoted, linked; a CONSULT event.
    starmer = rows(pipeline_env, "SELECT entity_id FROM core.entities WHERE name = 'Keir Starmer'")
    assert starmer
    assert scalar(pipeline_env, "SELECT count(*) FROM core.quotes WHERE speaker_entity_id = %s AND direct",
                  starmer[0][0]) >= 2
    assert scalar(pipeline_env, "SELECT count(*) FROM core.events WHERE event_type = 'CONSULT'") >= 1
    # Places carry coordinates; the day's strikes have a located ASSAULT.
    assert scalar(pipeline_env, """
        SELECT count(*) FROM core.events e JOIN core.entities p ON p.entity_id = e.location_entity_id
        WHERE e.event_type = 'ASSAULT' AND p.lat IS NOT NULL""") >= 1
    # Cyrillic articles get linked entities too.
    assert scalar(pipeline_env, """
        SELECT count(DISTINCT m.entity_id) FROM core.mentions m JOIN core.articles a USING (article_id)
        WHERE a.language IN ('uk', 'ru')""") >= 3
    # The same event in several articles of one story is counted once, with its outlets.
    assert scalar(pipeline_env, "SELECT max(outlets) FROM core.story_events") >= 2


def test_a_rerun_leaves_the_facts_unchanged(pipeline_env, server):
    run_day(pipeline_env, DAY)
    before = snapshot(pipeline_env)
    run_day(pipeline_env, DAY)
    assert state_differences(before, snapshot(pipeline_env)) == []
