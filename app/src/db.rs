//! The one seam between SQLite and PostgreSQL (server only). SQL is written once wherever both
//! accept it (`$1` placeholders, `RETURNING`, `ON CONFLICT … DO UPDATE`, row values); what
//! differs lives here, behind a [`Dialect`] chosen once from the database URL at start and kept
//! in the app state. Services ask the dialect; nothing else looks at the URL.

use sqlx::AnyPool;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The dialect of a database URL (`sqlite:…`, `postgres://…`, `postgresql://…`).
    pub fn from_url(url: &str) -> Option<Dialect> {
        if url.starts_with("sqlite:") {
            Some(Dialect::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Dialect::Postgres)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SQLite",
            Dialect::Postgres => "PostgreSQL",
        }
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at BEGIN
    /// (`BEGIN IMMEDIATE`): a transaction that reads before it writes then waits its turn behind
    /// another writer (up to the busy timeout) instead of failing when it tries to upgrade its
    /// lock. PostgreSQL's row locks and constraints need nothing special.
    pub async fn begin_write(self, pool: &AnyPool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self {
            Dialect::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await,
            Dialect::Postgres => pool.begin().await,
        }
    }

    /// Makes the transaction the only one working on `key` until it commits or rolls back:
    /// another transaction asking for the same key waits. Use it where rows are counted and
    /// then written ("at most five"), which no row lock can guard because the row to lock does
    /// not exist yet. On PostgreSQL it is a transaction-level advisory lock on the key's hash
    /// (two keys sharing a hash merely wait for each other); on SQLite the write transaction
    /// ([`Dialect::begin_write`]) already holds the database's one write lock, so it is nothing.
    pub async fn lock_until_commit(self, tx: &mut sqlx::Transaction<'_, sqlx::Any>, key: &str) -> Result<(), sqlx::Error> {
        match self {
            Dialect::Sqlite => Ok(()),
            Dialect::Postgres => {
                // pg_advisory_xact_lock returns `void`, a type the Any driver cannot read, so it
                // is called in a subquery and the statement returns an integer.
                sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext($1))) AS locked")
                    .bind(key)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }
    }

    /// An insert that leaves an existing row alone: `INSERT … ON CONFLICT (cols) DO NOTHING`
    /// reads the same in both, so this returns the clause to append.
    pub fn on_conflict_do_nothing(self, columns: &str) -> String {
        format!(" ON CONFLICT ({columns}) DO NOTHING")
    }

    /// An SQL expression for the Monday (China Standard Time) that starts the week of the Unix
    /// time `column`, as Unix seconds at 00:00 CST: the bucket for weekly statistics. Both
    /// dialects compute it in integer arithmetic, so buckets agree to the second.
    pub fn week_start(self, column: &str) -> String {
        // 1970-01-01 was a Thursday: shift by 3 days so weeks start on Monday; +8 h for CST.
        let local = format!("({column} + 28800)");
        let days = match self {
            Dialect::Sqlite => format!("(({local} / 86400) + 3)"),
            Dialect::Postgres => format!("(div({local}, 86400) + 3)"),
        };
        let monday = match self {
            Dialect::Sqlite => format!("({days} - ({days} % 7) - 3)"),
            Dialect::Postgres => format!("({days} - mod({days}, 7) - 3)"),
        };
        format!("({monday} * 86400 - 28800)")
    }

    /// A case-insensitive substring test of `column` against the bound pattern `$n`
    /// (`%…%` built by [`like_pattern`]); an index-free fallback for short lists.
    pub fn contains_ignore_case(self, column: &str, param: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{column} LIKE ${param} ESCAPE '\\'"),
            Dialect::Postgres => format!("{column} ILIKE ${param} ESCAPE '\\'"),
        }
    }
}

/// One part of a full-text query over application-made tokens (see `vacancies::search`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenTerm {
    /// Any token that starts with this text.
    Prefix(String),
    /// Tokens that must stand next to each other in this order (one token is a phrase of one).
    Phrase(Vec<String>),
}

/// How a token search over a table reads: the FROM clause that names the table as its alias,
/// the condition (the bound token query and the facets), the key that orders matches newest
/// first (the row id), and where the dialect needs it, a cheaper way to find the newest few.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenSearch {
    pub from: String,
    pub condition: String,
    pub id_key: String,
    pub newest_first: Option<NewestFirst>,
}

/// Walking the newest rows in id order and testing each against the token query, for
/// PostgreSQL. Its planner estimates a phrase of character pairs as if the pairs were
/// independent (263 rows for 造价工程 where 45 685 match at a million rows), so it picks the
/// GIN bitmap and then visits every match's heap page to sort them: 280 ms for a page of 20.
/// Rows are stored in id order, so the newest few thousand sit on a few hundred adjacent
/// pages: a walk over them finds a common phrase's first page in a few milliseconds. The caller
/// bounds the walk, adds its own column conditions for the facets, and falls back to the index
/// when it comes back short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewestFirst {
    /// The token query as a row test that no index serves (`ts_match_vq`, not `@@`), so the
    /// planner cannot turn the walk back into the bitmap.
    pub matches: String,
}

impl Dialect {
    /// A search over `table` as `alias` by the token query bound as `$param` (if any) and by
    /// `facets`: `column:value` tokens that the index holds beside the text's own tokens
    /// (migrations 0018 and 0024: one per equality filter column).
    /// Facets come from fixed lists and are written into the SQL, never user text; the
    /// application's own tokens are letters and digits only, so none can look like a facet.
    /// SQLite keeps the tokens in an FTS5 table `{table}_search` whose rowid is the row's id,
    /// and the search is driven from it: FTS5 intersects the doclists and hands matches over in
    /// descending rowid without collecting them first, so "newest 20" stops after 20 and a
    /// capped count after the cap. PostgreSQL keeps a stored `search_vector` column with a GIN
    /// index: a keyword with filters is one GIN lookup instead of a GIN bitmap ANDed with b-tree
    /// bitmaps and rechecked on the heap (181 ms to count 工程师 + software + Leshan city, now 55).
    pub fn token_search(self, alias: &str, table: &str, param: Option<usize>, facets: &[String]) -> TokenSearch {
        for facet in facets {
            assert!(
                facet.contains(':') && facet.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b':'),
                "facets are column:value tokens from fixed lists, written into the SQL"
            );
        }
        assert!(param.is_some() || !facets.is_empty(), "a token search needs a query or a facet");
        match self {
            Dialect::Sqlite => {
                let facets: Vec<String> = facets.iter().map(|f| format!("\"{f}\"")).collect();
                let query = match param {
                    Some(p) if facets.is_empty() => format!("${p}"),
                    Some(p) => format!("(${p} || ' AND {}')", facets.join(" AND ")),
                    None => format!("'{}'", facets.join(" AND ")),
                };
                TokenSearch {
                    from: format!("{table}_search JOIN {table} {alias} ON {alias}.id = {table}_search.rowid"),
                    condition: format!("{table}_search MATCH {query}"),
                    id_key: format!("{table}_search.rowid"),
                    newest_first: None,
                }
            }
            Dialect::Postgres => {
                let lexemes = format!("'{}'::tsquery", facets.iter().map(|f| format!("''{f}''")).collect::<Vec<_>>().join(" & "));
                let query = match param {
                    Some(p) if facets.is_empty() => format!("to_tsquery('simple', ${p})"),
                    Some(p) => format!("(to_tsquery('simple', ${p}) && {lexemes})"),
                    None => lexemes,
                };
                TokenSearch {
                    from: format!("{table} {alias}"),
                    condition: format!("{alias}.search_vector @@ {query}"),
                    id_key: format!("{alias}.id"),
                    newest_first: param.map(|p| NewestFirst {
                        matches: format!("ts_match_vq({alias}.search_vector, to_tsquery('simple', ${p}))"),
                    }),
                }
            }
        }
    }

    /// The text to bind for [`Dialect::token_search`]: all terms must match. Tokens hold only
    /// letters and digits (the tokenizer makes sure), so the quoting cannot be broken out of.
    pub fn token_query(self, terms: &[TokenTerm]) -> String {
        match self {
            Dialect::Sqlite => terms
                .iter()
                .map(|t| match t {
                    TokenTerm::Prefix(p) => format!("\"{p}\"*"),
                    TokenTerm::Phrase(tokens) => format!("\"{}\"", tokens.join(" ")),
                })
                .collect::<Vec<_>>()
                .join(" AND "),
            Dialect::Postgres => terms
                .iter()
                .map(|t| match t {
                    TokenTerm::Prefix(p) => format!("'{p}':*"),
                    TokenTerm::Phrase(tokens) if tokens.len() == 1 => format!("'{}'", tokens[0]),
                    TokenTerm::Phrase(tokens) => {
                        format!("({})", tokens.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(" <-> "))
                    }
                })
                .collect::<Vec<_>>()
                .join(" & "),
        }
    }
}

/// `%text%` with `%`, `_` and `\` escaped, for [`Dialect::contains_ignore_case`].
pub fn like_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Whether a failed statement broke a unique constraint (both drivers report it the same way
/// through sqlx; kept here so services never match on driver error codes).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_alone_picks_the_dialect() {
        assert_eq!(Dialect::from_url("sqlite://data/portal.db"), Some(Dialect::Sqlite));
        assert_eq!(Dialect::from_url("sqlite::memory:"), Some(Dialect::Sqlite));
        assert_eq!(Dialect::from_url("postgres://u@h/db"), Some(Dialect::Postgres));
        assert_eq!(Dialect::from_url("postgresql://u@h/db"), Some(Dialect::Postgres));
        assert_eq!(Dialect::from_url("mysql://u@h/db"), None);
    }

    #[test]
    fn token_queries_read_the_same_in_both_syntaxes() {
        let terms = [TokenTerm::Phrase(vec!["会计".into(), "计师".into()]), TokenTerm::Phrase(vec!["java".into()]), TokenTerm::Prefix("会".into())];
        assert_eq!(Dialect::Sqlite.token_query(&terms), "\"会计 计师\" AND \"java\" AND \"会\"*");
        assert_eq!(Dialect::Postgres.token_query(&terms), "('会计' <-> '计师') & 'java' & '会':*");
    }

    #[test]
    fn like_patterns_escape_their_metacharacters() {
        assert_eq!(like_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
