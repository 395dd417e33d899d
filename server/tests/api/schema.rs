//! Both dialects' migrations must build the same schema: the same tables and columns, each
//! column with the same type (by meaning: SQLite's `INTEGER` is PostgreSQL's `bigint`) and
//! nullability, the same indexes and the same CHECK constraints.
//!
//! Every part is read from the databases' own catalogues after the migrations ran, reduced to a
//! dialect-free shape, and compared as a whole; the failure lists every difference, one a line.
//! The small readers below (type names, CHECK expressions) have tests of their own at the end,
//! including examples that must come out different.

use crate::support::*;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_and_postgresql_migrations_build_the_same_tables_columns_indexes_and_checks() {
    let sqlite = spawn_app(Db::Sqlite).await;
    let postgres = spawn_app(Db::Postgres).await;
    let mut lite = read_sqlite(&sqlite.pool).await;
    let mut pg = read_postgres(&postgres.pool).await;
    set_aside_keyword_indexes(&mut lite, &mut pg);
    // Searches never read a pending list of unmerged entries (migration 0025).
    let gin_options: Option<String> =
        sqlx::query_scalar("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'vacancies_search'").fetch_one(&postgres.pool).await.unwrap();
    assert_eq!(gin_options.as_deref(), Some("fastupdate=off"));

    // The readers found something: a broken catalogue query must not pass as "both empty".
    assert!(lite.columns.len() > 30, "the SQLite schema was read: {:?}", lite.columns.keys());
    assert!(pg.columns.len() > 30, "the PostgreSQL schema was read: {:?}", pg.columns.keys());
    let users_role = (String::from("users"), String::from("role"));
    assert_eq!(
        lite.checks.get(&users_role),
        Some(&CheckRule::OneOf(vec![set(&["admin", "case_worker", "employer", "graduate"])])),
        "the SQLite CHECKs were read: {:?}",
        lite.checks
    );
    assert!(
        lite.indexes.get(&IndexKey::Named { table: "applications".into(), name: "applications_open_queue".into() }).is_some_and(|i| i.partial),
        "the SQLite indexes were read: {:?}",
        lite.indexes
    );
    assert!(
        lite.indexes.contains_key(&IndexKey::Unique { table: "users".into(), columns: vec!["email".into()] }),
        "SQLite's UNIQUE constraints were read: {:?}",
        lite.indexes
    );

    let differences = lite.differences(&pg);
    assert!(
        differences.is_empty(),
        "the SQLite and PostgreSQL migrations build different schemas ({} differences):\n  {}",
        differences.len(),
        differences.join("\n  ")
    );
}

/// Every column that stores an enum of the code, with the enum's values.
fn enum_columns() -> Vec<((&'static str, &'static str), Vec<&'static str>)> {
    use app::account::{ssr::TokenPurpose, EmployerStatus};
    use app::applications::model::{Kind, Status};
    use app::certificates::ssr::CertificateStatus;
    use app::followups::Channel;
    use app::mail::ssr::OutboxStatus;
    use app::shared::identity::Role;
    use app::shared::values::{Degree, EmploymentStatus, Gender, Place};
    macro_rules! values {
        ($e:ty) => {
            <$e>::ALL.iter().map(|v| v.as_str()).collect::<Vec<&'static str>>()
        };
    }
    vec![
        (("users", "role"), values!(Role)),
        (("employers", "verification"), values!(EmployerStatus)),
        (("tokens", "purpose"), values!(TokenPurpose)),
        (("outbox", "status"), values!(OutboxStatus)),
        (("traineeships", "outcome"), values!(app::traineeship::Outcome)),
        (("applications", "kind"), values!(Kind)),
        (("application_drafts", "kind"), values!(Kind)),
        (("applications", "status"), values!(Status)),
        (("applications", "household_place"), values!(Place)),
        (("application_events", "actor_role"), values!(Role)),
        (("application_events", "from_status"), values!(Status)),
        (("application_events", "to_status"), values!(Status)),
        (("profiles", "gender"), values!(Gender)),
        (("profiles", "degree"), values!(Degree)),
        (("profiles", "household_place"), values!(Place)),
        (("profiles", "employment_status"), values!(EmploymentStatus)),
        (("certificates", "status"), values!(CertificateStatus)),
        (("follow_ups", "channel"), values!(Channel)),
        (("vacancies", "category"), values!(app::vacancies::Category)),
        (("training_programmes", "level"), values!(app::training::TrainingLevel)),
        (("training_programmes", "kind"), values!(app::training::ProgrammeKind)),
        (("training_programmes", "place"), values!(Place)),
        (("training_enrollments", "result"), values!(app::training::TrainingResult)),
        (("vacancies", "place"), values!(Place)),
        (("vacancies", "education"), values!(app::vacancies::Education)),
        (("vacancies", "kind"), values!(app::vacancies::VacancyKind)),
        (("vacancies", "status"), values!(app::vacancies::VacancyStatus)),
        (("api_token_scopes", "scope"), values!(app::integration::Scope)),
        (("vacancy_events", "actor_role"), values!(Role)),
        (("vacancy_events", "from_status"), values!(app::vacancies::VacancyStatus)),
        (("vacancy_events", "to_status"), values!(app::vacancies::VacancyStatus)),
        (("screening_rules", "kind"), values!(app::vacancies::screening::RuleKind)),
        (("id_conflicts", "status"), values!(app::jobseeker::conflicts::ConflictStatus)),
        (("job_applications", "status"), values!(app::hiring::Stage)),
        (("job_application_events", "actor_role"), values!(Role)),
        (("job_application_events", "from_status"), values!(app::hiring::Stage)),
        (("job_application_events", "to_status"), values!(app::hiring::Stage)),
        (("notifications", "kind"), values!(app::notifications::NotificationKind)),
        (("employers", "size"), values!(app::employers::organisation::EmployerSize)),
        (("fairs", "format"), values!(app::fairs::FairFormat)),
        (("uploads", "purpose"), values!(app::shared::files::UploadPurpose)),
        (("complaints", "category"), values!(app::complaints::ComplaintCategory)),
        (("complaints", "status"), values!(app::complaints::ComplaintStatus)),
        (("complaints", "outcome"), values!(app::complaints::ComplaintOutcome)),
        (("complaint_events", "actor_role"), values!(Role)),
        (("complaint_events", "from_status"), values!(app::complaints::ComplaintStatus)),
        (("complaint_events", "to_status"), values!(app::complaints::ComplaintStatus)),
        (("archives", "location_kind"), values!(app::archive::LocationKind)),
        (("archives", "location_place"), values!(Place)),
        (("archive_movements", "from_kind"), values!(app::archive::LocationKind)),
        (("archive_movements", "from_place"), values!(Place)),
        (("archive_movements", "to_kind"), values!(app::archive::LocationKind)),
        (("archive_movements", "to_place"), values!(Place)),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_column_that_stores_an_enum_allows_exactly_the_enums_values() {
    let sqlite = spawn_app(Db::Sqlite).await;
    let lite = read_sqlite(&sqlite.pool).await;
    let mut wrong = Vec::new();
    for ((table, column), values) in enum_columns() {
        let expected = CheckRule::OneOf(vec![set(&values)]);
        let found = lite.checks.get(&(table.to_string(), column.to_string()));
        if found != Some(&expected) {
            wrong.push(format!("{table}.{column}: the code has {expected}, the schema {}", found.map_or("no CHECK".into(), |f| f.to_string())));
        }
    }
    assert!(wrong.is_empty(), "a migration and an enum disagree (the PostgreSQL schema is compared with SQLite's by the test above):\n  {}", wrong.join("\n  "));
}

/// The one difference by design: each dialect indexes the application's search tokens its own
/// way (`app::db::Dialect::token_search`): SQLite in an FTS5 table `<table>_search` (with its
/// shadow tables) over a generated `search_index` column, PostgreSQL in a generated
/// `search_vector` column with a GIN index and a b-tree for its newest-first walk. Checks that
/// each is there, then sets them aside so the rest compares exactly.
fn set_aside_keyword_indexes(lite: &mut Schema, pg: &mut Schema) {
    for table in ["vacancies"] {
        let fts = format!("{table}_search");
        assert!(lite.columns.contains_key(&(fts.clone(), "search_index".into())), "SQLite has the FTS5 table {fts}");
        // The catalogue may list the generated column or hide it; either way it is SQLite's own.
        lite.columns.remove(&(table.to_string(), "search_index".to_string()));
        lite.columns.retain(|(t, _), _| !t.starts_with(&fts));
        lite.indexes.retain(|k, _| !k.to_string().contains(&fts));
        lite.checks.retain(|(t, _), _| !t.starts_with(&fts));
        assert!(pg.columns.remove(&(table.to_string(), "search_vector".to_string())).is_some(), "PostgreSQL has {table}.search_vector");
        let gin = IndexKey::Named { table: table.to_string(), name: fts.clone() };
        assert!(pg.indexes.remove(&gin).is_some(), "PostgreSQL has the GIN index {fts}");
    }
    // PostgreSQL's newest-first walk for a keyword with trade and county (0025); SQLite's FTS5
    // facets serve those filters.
    let walk = IndexKey::Named { table: "vacancies".into(), name: "vacancies_listed_by_category_place".into() };
    assert!(pg.indexes.remove(&walk).is_some(), "PostgreSQL has the index {walk:?}");
}

// ---- The dialect-free shape of a schema ------------------------------------------------------

#[derive(Debug, Default)]
struct Schema {
    /// (table, column) → type and nullability.
    columns: BTreeMap<(String, String), Column>,
    indexes: BTreeMap<IndexKey, Index>,
    /// (table, what the CHECK constrains) → what it allows.
    checks: BTreeMap<(String, String), CheckRule>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Column {
    /// See [`normalise_type`].
    ty: String,
    nullable: bool,
}

/// How an index is known in both dialects. Constraint-backed indexes are named by the dialect
/// (`sqlite_autoindex_users_1` against `users_email_key`), so they are known by their columns;
/// indexes a migration creates by name are known by that name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum IndexKey {
    PrimaryKey { table: String },
    Unique { table: String, columns: Vec<String> },
    Named { table: String, name: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Index {
    columns: Vec<String>,
    unique: bool,
    /// Has a WHERE clause.
    partial: bool,
}

/// What a CHECK constraint allows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum CheckRule {
    /// `column IN ('a', 'b')`: the allowed values, sorted; more than one set when several CHECKs
    /// constrain the same column.
    OneOf(Vec<BTreeSet<String>>),
    /// Any other CHECK: known by its expression with the dialects' parentheses and casts taken
    /// out, so the same simple condition reads the same in both.
    Expression,
}

/// One CHECK constraint as read from its SQL.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Check {
    OneOf { column: String, values: BTreeSet<String> },
    Expression(String),
}

impl Schema {
    fn add_check(&mut self, table: &str, check: Check) {
        match check {
            Check::OneOf { column, values } => {
                let rule = self.checks.entry((table.to_string(), column)).or_insert_with(|| CheckRule::OneOf(Vec::new()));
                match rule {
                    CheckRule::OneOf(sets) => {
                        sets.push(values);
                        sets.sort();
                    }
                    // Cannot happen: expression keys are written in parentheses, never as a bare name.
                    CheckRule::Expression => unreachable!("a column and an expression under one key"),
                }
            }
            Check::Expression(text) => {
                self.checks.insert((table.to_string(), format!("({text})")), CheckRule::Expression);
            }
        }
    }

    /// Every way `self` (SQLite) and `other` (PostgreSQL) differ, one readable line each.
    fn differences(&self, other: &Schema) -> Vec<String> {
        let mut out = Vec::new();
        let columns = |s: &Schema| s.columns.iter().map(|((t, c), v)| (format!("column {t}.{c}"), v.to_string())).collect();
        let indexes = |s: &Schema| s.indexes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let checks = |s: &Schema| s.checks.iter().map(|((t, c), v)| (format!("CHECK on {t} {c}"), v.to_string())).collect();
        compare(&columns(self), &columns(other), &mut out);
        compare(&indexes(self), &indexes(other), &mut out);
        compare(&checks(self), &checks(other), &mut out);
        out
    }
}

fn compare(sqlite: &BTreeMap<String, String>, postgres: &BTreeMap<String, String>, out: &mut Vec<String>) {
    for (key, lite) in sqlite {
        match postgres.get(key) {
            None => out.push(format!("{key}: only in SQLite ({lite})")),
            Some(pg) if pg != lite => out.push(format!("{key}: SQLite has {lite}, PostgreSQL has {pg}")),
            Some(_) => {}
        }
    }
    for (key, pg) in postgres {
        if !sqlite.contains_key(key) {
            out.push(format!("{key}: only in PostgreSQL ({pg})"));
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.ty, if self.nullable { "NULL" } else { "NOT NULL" })
    }
}

impl fmt::Display for IndexKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexKey::PrimaryKey { table } => write!(f, "primary key of {table}"),
            IndexKey::Unique { table, columns } => write!(f, "UNIQUE constraint on {table} ({})", columns.join(", ")),
            IndexKey::Named { table, name } => write!(f, "index {name} on {table}"),
        }
    }
}

impl fmt::Display for Index {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({})", self.columns.join(", "))?;
        if self.unique {
            f.write_str(" unique")?;
        }
        if self.partial {
            f.write_str(" partial (WHERE …)")?;
        }
        Ok(())
    }
}

impl fmt::Display for CheckRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckRule::OneOf(sets) => {
                let sets: Vec<String> = sets
                    .iter()
                    .map(|values| format!("IN ({})", values.iter().map(|v| format!("'{v}'")).collect::<Vec<_>>().join(", ")))
                    .collect();
                f.write_str(&sets.join(" and "))
            }
            CheckRule::Expression => f.write_str("this condition"),
        }
    }
}

// ---- Reading the catalogues --------------------------------------------------------------------

async fn read_sqlite(pool: &AnyPool) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<(String, String)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'")
            .fetch_all(pool)
            .await
            .unwrap();
    for (table, sql) in tables {
        let columns = sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1) ORDER BY cid").bind(&table).fetch_all(pool).await.unwrap();
        let mut primary_key: Vec<(i64, String)> = Vec::new();
        for row in columns {
            let (name, declared): (String, String) = (row.get("name"), row.get("type"));
            let (not_null, pk): (i64, i64) = (row.get("notnull"), row.get("pk"));
            if pk > 0 {
                primary_key.push((pk, name.clone()));
            }
            // SQLite lets a primary-key column other than INTEGER PRIMARY KEY hold NULL (a
            // documented legacy quirk) unless it is declared NOT NULL; PostgreSQL makes every
            // primary-key column NOT NULL. The portal never writes a NULL key, so a primary-key
            // column counts as NOT NULL here, as the migrations mean it.
            let nullable = not_null == 0 && pk == 0;
            schema.columns.insert((table.clone(), name), Column { ty: normalise_type(&declared), nullable });
        }
        if !primary_key.is_empty() {
            primary_key.sort();
            let columns = primary_key.into_iter().map(|(_, c)| c).collect();
            schema.indexes.insert(IndexKey::PrimaryKey { table: table.clone() }, Index { columns, unique: true, partial: false });
        }

        let indexes = sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)").bind(&table).fetch_all(pool).await.unwrap();
        for row in indexes {
            let (name, origin): (String, String) = (row.get("name"), row.get("origin"));
            let (unique, partial): (i64, i64) = (row.get("unique"), row.get("partial"));
            if origin == "pk" {
                continue; // read from pragma_table_info above: INTEGER PRIMARY KEY has no index
            }
            let columns: Vec<String> =
                sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno").bind(&name).fetch_all(pool).await.unwrap();
            let index = Index { columns: columns.clone(), unique: unique != 0, partial: partial != 0 };
            // `origin` is 'u' for a UNIQUE constraint (its index is a sqlite_autoindex_*), 'c'
            // for CREATE INDEX.
            let key = if origin == "u" {
                IndexKey::Unique { table: table.clone(), columns }
            } else {
                IndexKey::Named { table: table.clone(), name }
            };
            schema.indexes.insert(key, index);
        }

        for check in checks_in(&sql) {
            schema.add_check(&table, read_check(&check));
        }
    }
    schema
}

async fn read_postgres(pool: &AnyPool) -> Schema {
    let mut schema = Schema::default();
    let columns = sqlx::query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
                is_nullable::text AS is_nullable \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for row in columns {
        let (table, name, ty, nullable): (String, String, String, String) =
            (row.get("table_name"), row.get("column_name"), row.get("data_type"), row.get("is_nullable"));
        schema.columns.insert((table, name), Column { ty: normalise_type(&ty), nullable: nullable == "YES" });
    }

    // Every index with its key columns in order. An index that backs a PRIMARY KEY or UNIQUE
    // constraint is told apart from one made by CREATE INDEX through pg_constraint.conindid.
    let indexes = sqlx::query(
        "SELECT t.relname::text AS table_name, i.relname::text AS index_name, \
                ix.indisunique AS is_unique, ix.indisprimary AS is_primary, (ix.indpred IS NOT NULL) AS is_partial, \
                EXISTS (SELECT 1 FROM pg_constraint c \
                        WHERE c.conindid = ix.indexrelid AND c.conrelid = t.oid AND c.contype IN ('p', 'u')) AS from_constraint, \
                (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
                   FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS columns \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for row in indexes {
        let (table, name, columns): (String, String, String) = (row.get("table_name"), row.get("index_name"), row.get("columns"));
        let (unique, primary, partial, from_constraint): (bool, bool, bool, bool) =
            (row.get("is_unique"), row.get("is_primary"), row.get("is_partial"), row.get("from_constraint"));
        let columns: Vec<String> = columns.split(',').map(str::to_string).collect();
        let key = if primary {
            IndexKey::PrimaryKey { table }
        } else if from_constraint {
            IndexKey::Unique { table, columns: columns.clone() }
        } else {
            IndexKey::Named { table, name }
        };
        schema.indexes.insert(key, Index { columns, unique, partial });
    }

    let checks: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.relname::text, pg_get_constraintdef(c.oid) \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE c.contype = 'c' AND n.nspname = 'public' AND t.relname NOT LIKE '_sqlx%'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, definition) in checks {
        let found = checks_in(&definition);
        assert_eq!(found.len(), 1, "one CHECK in {definition:?}");
        schema.add_check(&table, read_check(&found[0]));
    }
    schema
}

// ---- Small readers -----------------------------------------------------------------------------

/// A column type by meaning: SQLite's declared type and PostgreSQL's `data_type` both come out
/// as `integer`, `text`, `real`, `blob` or `boolean`. Anything else stays as written (lower
/// case), so an unexpected type still compares, and differs, visibly.
fn normalise_type(declared: &str) -> String {
    let lower = declared.trim().to_ascii_lowercase();
    // `varchar(40)`, `character varying(40)`: the length does not change the kind.
    let base = lower.split('(').next().unwrap_or_default().trim();
    match base {
        "integer" | "int" | "bigint" | "smallint" | "int2" | "int4" | "int8" => "integer",
        "text" | "varchar" | "character varying" => "text",
        "double precision" | "real" | "float4" | "float8" => "real",
        "blob" | "bytea" => "blob",
        "boolean" | "bool" => "boolean",
        _ => return lower,
    }
    .to_string()
}

/// A piece of SQL: words (lower case unless quoted), string literals, numbers, punctuation.
/// Comments and whitespace are dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Word(String),
    Str(String),
    Number(String),
    Punct(String),
}

fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Reads a literal quoted with `q`, where a doubled `q` stands for one.
    let quoted = |i: &mut usize, q: char| -> String {
        let mut s = String::new();
        *i += 1;
        while *i < chars.len() {
            if chars[*i] == q {
                if chars.get(*i + 1) == Some(&q) {
                    s.push(q);
                    *i += 2;
                    continue;
                }
                *i += 1;
                return s;
            }
            s.push(chars[*i]);
            *i += 1;
        }
        panic!("unterminated {q}…{q} in {sql:?}");
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            out.push(Token::Str(quoted(&mut i, '\'')));
        } else if c == '"' {
            out.push(Token::Word(quoted(&mut i, '"')));
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            out.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Word(chars[start..i].iter().collect::<String>().to_lowercase()));
        } else if "<>=!|+-*/%:".contains(c) {
            let start = i;
            while i < chars.len() && "<>=!|+-*/%:".contains(chars[i]) {
                i += 1;
            }
            out.push(Token::Punct(chars[start..i].iter().collect()));
        } else {
            out.push(Token::Punct(c.to_string()));
            i += 1;
        }
    }
    out
}

/// The expression inside every `CHECK ( … )` of a statement, as tokens: from SQLite's
/// `CREATE TABLE` text (column and table constraints alike) or PostgreSQL's
/// `pg_get_constraintdef`. Words in comments and string literals do not count.
fn checks_in(sql: &str) -> Vec<Vec<Token>> {
    let all = tokens(sql);
    let mut found = Vec::new();
    let mut i = 0;
    while i < all.len() {
        if all[i] == Token::Word("check".into()) && all.get(i + 1) == Some(&Token::Punct("(".into())) {
            let mut depth = 0;
            let start = i + 2;
            let mut j = i + 1;
            loop {
                match all.get(j) {
                    Some(Token::Punct(p)) if p == "(" => depth += 1,
                    Some(Token::Punct(p)) if p == ")" => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    Some(_) => {}
                    None => panic!("unbalanced CHECK in {sql:?}"),
                }
                j += 1;
            }
            found.push(all[start..j].to_vec());
            i = j;
        }
        i += 1;
    }
    found
}

/// Reads one CHECK expression. `col IN ('a', 'b')` (SQLite, as written in the migration),
/// `col = ANY (ARRAY['a'::text, 'b'::text])` (how PostgreSQL shows the same) and `col = 'a'`
/// become `Check::OneOf`; anything else is kept as text without parentheses and casts.
fn read_check(expression: &[Token]) -> Check {
    let bare = without_parentheses_and_casts(expression);
    one_of(&bare).unwrap_or_else(|| {
        let text = bare
            .iter()
            .map(|t| match t {
                Token::Word(w) | Token::Number(w) | Token::Punct(w) => w.clone(),
                Token::Str(s) => format!("'{}'", s.replace('\'', "''")),
            })
            .collect::<Vec<_>>()
            .join(" ");
        Check::Expression(text)
    })
}

fn one_of(t: &[Token]) -> Option<Check> {
    let word = |i: usize, w: &str| matches!(t.get(i), Some(Token::Word(x)) if x == w);
    let punct = |i: usize, p: &str| matches!(t.get(i), Some(Token::Punct(x)) if x == p);
    let Some(Token::Word(column)) = t.first() else { return None };
    // Where the list of literals starts and where it must end.
    let (from, to) = if word(1, "in") {
        (2, t.len())
    } else if punct(1, "=") && word(2, "any") && word(3, "array") && punct(4, "[") && punct(t.len() - 1, "]") {
        (5, t.len() - 1)
    } else if punct(1, "=") {
        (2, t.len())
    } else {
        return None;
    };
    // 'a' , 'b' , 'c'
    let mut values = BTreeSet::new();
    for (n, token) in t.get(from..to)?.iter().enumerate() {
        match (n % 2, token) {
            (0, Token::Str(s)) => {
                values.insert(s.clone());
            }
            (1, Token::Punct(p)) if p == "," => {}
            _ => return None,
        }
    }
    if values.is_empty() || (to - from) % 2 == 0 {
        return None;
    }
    Some(Check::OneOf { column: column.clone(), values })
}

/// Takes out what only the dialect adds: parentheses (PostgreSQL wraps every operand) and
/// casts (`'a'::text`, `(col)::text`, `(ARRAY[…])::text[]`, `::character varying`).
fn without_parentheses_and_casts(expression: &[Token]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let is = |i: usize, p: &str| matches!(expression.get(i), Some(Token::Punct(x)) if x == p);
    while i < expression.len() {
        if is(i, "::") {
            i += 1;
            // The type name: one word, or one of the two-word names.
            if let Some(Token::Word(first)) = expression.get(i) {
                i += 1;
                let second = match first.as_str() {
                    "character" => Some("varying"),
                    "double" => Some("precision"),
                    _ => None,
                };
                if second.is_some_and(|s| expression.get(i) == Some(&Token::Word(s.into()))) {
                    i += 1;
                }
            }
            while is(i, "[") && is(i + 1, "]") {
                i += 2;
            }
        } else if is(i, "(") || is(i, ")") {
            i += 1;
        } else {
            out.push(expression[i].clone());
            i += 1;
        }
    }
    out
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| v.to_string()).collect()
}

mod readers {
    use super::*;

    fn one_check(sql: &str) -> Check {
        let found = checks_in(sql);
        assert_eq!(found.len(), 1, "one CHECK in {sql:?}: {found:?}");
        read_check(&found[0])
    }

    fn one_of(column: &str, values: &[&str]) -> Check {
        Check::OneOf { column: column.into(), values: set(values) }
    }

    #[test]
    fn type_names_of_both_dialects_normalise_to_the_same_kind() {
        for (declared, kind) in [
            ("INTEGER", "integer"),
            ("BIGINT", "integer"),
            ("bigint", "integer"),
            ("integer", "integer"),
            ("TEXT", "text"),
            ("text", "text"),
            ("varchar", "text"),
            ("character varying(40)", "text"),
            ("DOUBLE PRECISION", "real"),
            ("double precision", "real"),
            ("real", "real"),
            ("BLOB", "blob"),
            ("bytea", "blob"),
            ("boolean", "boolean"),
            ("BOOLEAN", "boolean"),
        ] {
            assert_eq!(normalise_type(declared), kind, "{declared}");
        }
    }

    #[test]
    fn different_kinds_of_type_stay_different() {
        assert_ne!(normalise_type("TEXT"), normalise_type("bigint"));
        assert_ne!(normalise_type("INTEGER"), normalise_type("double precision"));
        assert_ne!(normalise_type("BLOB"), normalise_type("text"));
        assert_ne!(normalise_type("boolean"), normalise_type("integer"));
        // An unknown type is kept as written, so it cannot pass for a known one.
        assert_eq!(normalise_type("NUMERIC(10, 2)"), "numeric(10, 2)");
        assert_ne!(normalise_type("numeric"), normalise_type("real"));
        assert_ne!(normalise_type("timestamp with time zone"), normalise_type("bigint"));
    }

    #[test]
    fn checks_are_found_in_a_create_table_statement_but_not_in_its_comments_or_strings() {
        let sql = "CREATE TABLE t (\n\
            id    INTEGER PRIMARY KEY AUTOINCREMENT,\n\
            role  TEXT NOT NULL CHECK (role IN ('graduate', 'admin')), -- not CHECK (x IN ('y')) (\n\
            note  TEXT NOT NULL DEFAULT 'CHECK (note IN (''z''))',  /* nor CHECK (a IN ('b')) */\n\
            said  TEXT CHECK(said IN ('it''s', \"x\")),\n\
            kind  TEXT NOT NULL,\n\
            CHECK ((kind) IN ('a', 'b', 'c'))\n\
        )";
        let found: Vec<Check> = checks_in(sql).iter().map(|c| read_check(c)).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], one_of("role", &["admin", "graduate"]));
        // A double-quoted name is an identifier, not a value: not a plain list of values.
        assert!(matches!(&found[1], Check::Expression(text) if text.contains("it''s")), "{:?}", found[1]);
        assert_eq!(found[2], one_of("kind", &["a", "b", "c"]));
    }

    #[test]
    fn postgresql_shows_an_in_list_as_equals_any_array_and_reads_the_same() {
        let sqlite = one_check("role TEXT NOT NULL CHECK (role IN ('graduate', 'employer', 'case_worker', 'admin'))");
        let postgres = one_check("CHECK ((role = ANY (ARRAY['graduate'::text, 'employer'::text, 'case_worker'::text, 'admin'::text])))");
        assert_eq!(sqlite, one_of("role", &["admin", "case_worker", "employer", "graduate"]));
        assert_eq!(sqlite, postgres);
        // varchar columns get more casts; one value is shown as plain equality.
        assert_eq!(
            one_check("CHECK (((kind)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))"),
            one_of("kind", &["a", "b"])
        );
        assert_eq!(one_check("CHECK ((status = 'valid'::text))"), one_check("CHECK (status IN ('valid'))"));
    }

    #[test]
    fn checks_that_allow_different_values_or_constrain_another_column_differ() {
        let sqlite = one_check("CHECK (status IN ('valid', 'revoked'))");
        assert_ne!(sqlite, one_check("CHECK ((status = ANY (ARRAY['valid'::text])))"), "a value missing");
        assert_ne!(sqlite, one_check("CHECK ((status = ANY (ARRAY['valid'::text, 'revoked'::text, 'expired'::text])))"), "a value more");
        assert_ne!(sqlite, one_check("CHECK ((state = ANY (ARRAY['valid'::text, 'revoked'::text])))"), "another column");
        assert_ne!(sqlite, one_check("CHECK ((status = ANY (ARRAY['valid'::text, 'Revoked'::text])))"), "values are case-sensitive");
    }

    #[test]
    fn other_checks_compare_by_their_expression_without_parentheses_and_casts() {
        let sqlite = one_check("amount BIGINT CHECK (amount >= 0)");
        assert_eq!(sqlite, Check::Expression("amount >= 0".into()));
        assert_eq!(sqlite, one_check("CHECK ((amount >= 0))"));
        assert_ne!(sqlite, one_check("CHECK ((amount > 0))"));
        assert_eq!(one_check("CHECK (name <> '')"), one_check("CHECK ((name <> ''::text))"));
        assert_ne!(one_check("CHECK (kind NOT IN ('a'))"), one_of("kind", &["a"]), "NOT IN is not a list of allowed values");
    }

    #[test]
    fn the_comparison_names_every_difference_with_both_sides() {
        let mut sqlite = Schema::default();
        let mut postgres = Schema::default();
        let same = Column { ty: "text".into(), nullable: false };
        for schema in [&mut sqlite, &mut postgres] {
            schema.columns.insert(("users".into(), "email".into()), same.clone());
            schema.indexes.insert(IndexKey::Unique { table: "users".into(), columns: vec!["email".into()] }, Index { columns: vec!["email".into()], unique: true, partial: false });
        }
        assert_eq!(sqlite.differences(&postgres), Vec::<String>::new(), "the same schema has no differences");

        sqlite.columns.insert(("users".into(), "age".into()), Column { ty: "integer".into(), nullable: true });
        postgres.columns.insert(("users".into(), "age".into()), Column { ty: "text".into(), nullable: false });
        sqlite.columns.insert(("users".into(), "nickname".into()), same.clone());
        postgres.indexes.insert(
            IndexKey::Named { table: "users".into(), name: "users_by_age".into() },
            Index { columns: vec!["age".into()], unique: false, partial: true },
        );
        sqlite.add_check("users", one_check("CHECK (role IN ('graduate', 'admin'))"));
        postgres.add_check("users", one_check("CHECK ((role = ANY (ARRAY['graduate'::text])))"));
        postgres.add_check("users", one_check("CHECK ((age >= 0))"));

        assert_eq!(
            sqlite.differences(&postgres),
            [
                "column users.age: SQLite has integer NULL, PostgreSQL has text NOT NULL",
                "column users.nickname: only in SQLite (text NOT NULL)",
                "index users_by_age on users: only in PostgreSQL ((age) partial (WHERE …))",
                "CHECK on users role: SQLite has IN ('admin', 'graduate'), PostgreSQL has IN ('graduate')",
                "CHECK on users (age >= 0): only in PostgreSQL (this condition)",
            ]
        );
    }
}
