//! Benchmark: the case workers' queue at 100 000 applications.
//!
//!   cargo run --release -p server --bin bench-queue -- [COUNT] [POSTGRES_URL]
//!
//! Fills a fresh database (a temporary SQLite file by default, or a new database on the
//! PostgreSQL server of the URL given)
//! with COUNT applications (default 100 000), four per graduate (one of each of four kinds: a
//! graduate may hold one open application per kind, which the database enforces), then times the queue
//! queries a case worker runs: the first page, a page deep in the list (keyset paging),
//! filtered views and "assigned to me". Prints the median and 95th percentile per query.

use app::applications::ssr::{queue_page, QueueFilters};
use app::shared::identity::Role;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: i64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let (pool, dialect) = server::db::fresh_for_benchmark(args.next(), "bench-queue").await?;

    let started = Instant::now();
    let now = app::ssr::now();
    let graduates = (count + 3) / 4;
    sqlx::query("INSERT INTO users (email, password_hash, role, display_name, locale, created_at) VALUES ('queue@bench.example', 'x', $1, '张伟', 'zh-CN', $2)")
        .bind(Role::CaseWorker)
        .bind(now)
        .execute(&pool)
        .await?;
    let case_worker: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = $1").bind(Role::CaseWorker).fetch_one(&pool).await?;
    server::volume::applications(&pool, graduates, count, case_worker).await?;
    println!("{}: {count} applications from {graduates} graduates loaded in {:.1} s", dialect.name(), started.elapsed().as_secs_f64());

    // A cursor about half-way down the open applications.
    let mut deep = QueueFilters::default();
    let mut pages = 0;
    while pages < 1500 {
        let page = queue_page(&pool, &deep, case_worker, now).await?;
        pages += 1;
        match page.next {
            Some(next) if pages < 1000 => deep.after = Some(next),
            _ => break,
        }
    }
    let cases: Vec<(&str, QueueFilters)> = vec![
        ("first page, open applications", QueueFilters::default()),
        (format_deep(pages), deep),
        ("kind + place filter", QueueFilters { kind: Some("traineeship".into()), place: Some("emeishan".into()), ..Default::default() }),
        ("waiting 300+ days", QueueFilters { min_days: Some("300".into()), ..Default::default() }),
        ("assigned to me", QueueFilters { assignee: Some("me".into()), ..Default::default() }),
        ("unassigned, in review", QueueFilters { assignee: Some("none".into()), status: Some("in_review".into()), ..Default::default() }),
    ];
    println!("{:<40} {:>10} {:>10} {:>6}", "query (25 rows a page)", "median ms", "p95 ms", "rows");
    for (name, filters) in cases {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..50 {
            let t = Instant::now();
            rows = queue_page(&pool, &filters, case_worker, now).await?.rows.len();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{name:<40} {:>10.2} {:>10.2} {rows:>6}", times[25], times[47]);
    }
    Ok(())
}

fn format_deep(pages: usize) -> &'static str {
    Box::leak(format!("page {pages} (keyset, deep)").into_boxed_str())
}
