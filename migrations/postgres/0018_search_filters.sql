-- The search vector also holds one `column:value` lexeme per equality filter of the public
-- search, so a keyword with filters is one GIN lookup (see Dialect::token_search). Query text
-- never makes such a lexeme: the application's tokens are letters and digits only.
DROP INDEX vacancies_search;
ALTER TABLE vacancies DROP COLUMN search_vector;
ALTER TABLE vacancies ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', search_tokens)
    || array_to_tsvector(ARRAY['category:' || category, 'place:' || place, 'education:' || education, 'kind:' || kind])
) STORED;
CREATE INDEX vacancies_search ON vacancies USING gin (search_vector);
