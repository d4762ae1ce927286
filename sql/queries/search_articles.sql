-- Which articles published between two days best match a web-style search, and where in
-- their text do the words occur?
--
-- terms: words as typed into a web search: "shadow fleet" tankers, ceasefire -energy,
-- sanctions or tariffs. Matched in English with stemming against the headline and text
-- (core.articles.search_vector), ranked by cover density (ts_rank_cd: words close
-- together score higher, a match in the headline, weight A, counts more than one in the
-- text, weight B); the best 20, each with a snippet on one line of up to two passages
-- where the words occur, marked **like this**. Articles in Ukrainian and Russian are
-- indexed with the English configuration too, so only words written as in the query match.
--
-- Indexes: articles_search_idx (GIN) and articles_published_idx; snippets are made for
-- the 20 rows shown only.
--
--   psql -v terms='"shadow fleet" tankers' -v from_day=2025-03-11 -v to_day=2025-03-18 -f sql/queries/search_articles.sql
WITH best AS (
    SELECT a.article_id,
           ts_rank_cd(a.search_vector, query) AS rank
    FROM core.articles a
    CROSS JOIN websearch_to_tsquery('english', :'terms') AS query
    WHERE a.search_vector @@ query
      AND a.published_at >= :'from_day'::date
      AND a.published_at <  :'to_day'::date + 1
    ORDER BY rank DESC, a.published_at DESC, a.article_id
    LIMIT 20
)
SELECT round(b.rank::numeric, 4)                                   AS rank,
       a.published_at,
       s.name                                                      AS outlet,
       a.title,
       regexp_replace(ts_headline('english', a.body_text, websearch_to_tsquery('english', :'terms'),
                                  'MaxFragments=2, MaxWords=30, MinWords=12, FragmentDelimiter=" … ", StartSel=**, StopSel=**'),
                      '\s+', ' ', 'g')                              AS snippet,
       a.url
FROM best b
JOIN core.articles a USING (article_id)
JOIN core.sources s ON s.source_id = a.source_id
ORDER BY b.rank DESC, a.published_at DESC, a.article_id;
