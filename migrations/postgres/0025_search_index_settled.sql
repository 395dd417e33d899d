-- 0025 search index settled.
--
-- The GIN index takes each write into its tree at once. With fastupdate on (the default), new
-- entries wait in a pending list that every search reads from start to end, until a vacuum or
-- the 4 MB limit folds them in. Vacancies are written a few times an hour and searched many
-- times a second: at 10 000 vacancies after a load, a keyword with two filters took 8.5 ms
-- reading a 355-page pending list and 0.2 ms without one.
ALTER INDEX vacancies_search SET (fastupdate = off);
SELECT gin_clean_pending_list('vacancies_search'::regclass);

-- A search with a keyword walks the newest listed rows that pass the column filters (see
-- vacancies::ssr::search_on). Trade and county together are the search most people make; with
-- only the one-column indexes the walk tested 60 rows for each it kept at a million vacancies.
-- SQLite answers the same filters from its FTS5 facets (0024) and has no such index.
CREATE INDEX vacancies_listed_by_category_place ON vacancies (category, place, status, id);
