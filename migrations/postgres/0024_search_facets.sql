-- 0024 search facets: SQLite's FTS5 index gets the `column:value` tokens that PostgreSQL's
-- search vector has held since 0018 (../sqlite/0024_search_facets.sql). Nothing changes here.
SELECT 1;
