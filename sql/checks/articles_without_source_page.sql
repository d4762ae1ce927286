-- Articles whose stored page is missing or belongs to another link, or whose link or
-- source is missing.
--
-- Why: raw.pages is what every article is re-extracted from (news_reprocess, a better
-- extractor) and the evidence of what the outlet actually served. An article without
-- its own page can neither be reprocessed nor checked against its source, and one
-- pointing at another link's page would be re-extracted into someone else's text.
--
--   psql -f sql/checks/articles_without_source_page.sql
SELECT a.article_id,
       a.url,
       CASE WHEN p.page_id IS NULL THEN 'page ' || a.page_id || ' does not exist'
            WHEN p.link_id <> a.link_id THEN 'page ' || a.page_id || ' belongs to link ' || p.link_id || ', not to link ' || a.link_id
            WHEN l.link_id IS NULL THEN 'link ' || a.link_id || ' does not exist'
            ELSE 'source ' || a.source_id || ' does not exist'
       END AS problem
FROM core.articles a
LEFT JOIN raw.pages p ON p.page_id = a.page_id
LEFT JOIN raw.links l ON l.link_id = a.link_id
LEFT JOIN core.sources s ON s.source_id = a.source_id
WHERE p.page_id IS NULL OR p.link_id <> a.link_id OR l.link_id IS NULL OR s.source_id IS NULL
ORDER BY a.article_id;
