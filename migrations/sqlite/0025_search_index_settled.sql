-- 0025 search index settled: PostgreSQL's GIN index stops keeping a pending list and a
-- trade-and-county index serves its newest-first walk (../postgres/0025_search_index_settled.sql).
-- SQLite's FTS5 index holds the same filters as facets (0024) and is merged by the worker
-- (vacancies::ssr::tidy_search_index); nothing changes here.
SELECT 1;
