-- PostgreSQL folds the search's equality filters into its GIN index here. SQLite's FTS5 index
-- holds only the text; its search joins the filtered columns, which is fast already.
SELECT 1;
