//! Both dialects' migrations must describe the same tables with the same columns.

mod support;

use std::collections::BTreeSet;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_schemas_have_the_same_tables_and_columns() {
    let sqlite = spawn_app(Db::Sqlite).await;
    let postgres = spawn_app(Db::Postgres).await;

    let mut lite = BTreeSet::new();
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'")
        .fetch_all(&sqlite.pool)
        .await
        .unwrap();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')")).fetch_all(&sqlite.pool).await.unwrap();
        for column in columns {
            lite.insert(format!("{table}.{column}"));
        }
    }
    let pg: BTreeSet<String> = sqlx::query_scalar::<_, String>(
        "SELECT table_name || '.' || column_name FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%'",
    )
    .fetch_all(&postgres.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert!(lite.len() > 30, "the SQLite schema was read: {lite:?}");
    assert_eq!(lite, pg, "tables and columns differ between the dialects");
}
