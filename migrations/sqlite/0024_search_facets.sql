-- 0024 search facets: the FTS5 index also holds one `column:value` token per equality filter of
-- the public search, as PostgreSQL's vector has since 0018, so a keyword with filters is one
-- intersection of doclists inside FTS5 instead of every keyword match joined to its row and
-- tested (the cost grew with the table: 51 ms at a million rows against 7 at ten thousand).
-- The listing status and the pay floor stay column tests: nearly every row is published, and
-- stepping a doclist that holds nearly every row cost more than the test it saved.
--
-- The index reads a generated column, so the tokens it holds are always the ones a 'rebuild'
-- or 'delete' computes from the row. Query text never makes such a token: the application's
-- tokens are letters and digits only, and ':' and '_' are token characters here only so that
-- `education:high_school` stays one token.
ALTER TABLE vacancies ADD COLUMN search_index TEXT GENERATED ALWAYS AS (
    search_tokens || ' category:' || category || ' place:' || place || ' education:' || education || ' kind:' || kind
) VIRTUAL;

DROP TRIGGER vacancies_search_insert;
DROP TRIGGER vacancies_search_delete;
DROP TRIGGER vacancies_search_update;
DROP TABLE vacancies_search;
CREATE VIRTUAL TABLE vacancies_search USING fts5 (
    search_index, content = 'vacancies', content_rowid = 'id', tokenize = "unicode61 tokenchars ':_'"
);
INSERT INTO vacancies_search (vacancies_search) VALUES ('rebuild');

CREATE TRIGGER vacancies_search_insert AFTER INSERT ON vacancies BEGIN
    INSERT INTO vacancies_search (rowid, search_index) VALUES (new.id, new.search_index);
END;
CREATE TRIGGER vacancies_search_delete AFTER DELETE ON vacancies BEGIN
    INSERT INTO vacancies_search (vacancies_search, rowid, search_index) VALUES ('delete', old.id, old.search_index);
END;
CREATE TRIGGER vacancies_search_update AFTER UPDATE OF search_tokens, category, place, education, kind ON vacancies BEGIN
    INSERT INTO vacancies_search (vacancies_search, rowid, search_index) VALUES ('delete', old.id, old.search_index);
    INSERT INTO vacancies_search (rowid, search_index) VALUES (new.id, new.search_index);
END;
