//! Benchmark: the public vacancy search at 10 000 to 1 000 000 published vacancies.
//!
//!   cargo run --release -p server --bin bench-search -- [COUNT] [POSTGRES_URL]
//!
//! Fills a fresh database (a temporary SQLite file by default, or a new database on the
//! PostgreSQL server of the URL given) with COUNT published vacancies (`server::volume`), then times the searches a visitor
//! makes: a common two-character word, a rarer three-character phrase, one character, an
//! English word, a keyword with filters, filters alone and the salary order. Prints the median
//! and 95th percentile per query and, last, one `name value unit` line per figure.

use app::vacancies::search::query_terms;
use app::vacancies::ssr::{search, SearchFilters};
use app::shared::values::Place;
use app::vacancies::Category;
use std::time::Instant;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: i64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let (pool, dialect) = server::db::fresh_for_benchmark(args.next(), "bench-search").await?;

    let started = Instant::now();
    server::volume::vacancies(&pool, dialect, count).await?;
    let load_s = started.elapsed().as_secs_f64();
    println!("{}: {count} vacancies loaded in {load_s:.1} s", dialect.name());

    let today = app::shared::time::Date::today_from_unix(app::ssr::now()).to_string();
    let keyword = |q: &str| SearchFilters { terms: query_terms(q), page: 1, ..Default::default() };
    let cases: Vec<(&str, &str, SearchFilters)> = vec![
        ("common_word", "会计 (two characters, common)", keyword("会计")),
        ("rare_phrase", "造价工程 (a rarer phrase)", keyword("造价工程")),
        ("one_character", "师 (one character)", keyword("师")),
        ("english_word", "java (English, any case)", keyword("JAVA")),
        ("keyword_filters", "工程师 + software + Leshan city + 10 000+", SearchFilters {
            category: Some(Category::Software),
            place: Some(Place::Shizhong),
            salary: Some(10_000),
            ..keyword("工程师")
        }),
        ("filters_only", "tourism + Emeishan, no keyword", SearchFilters { category: Some(Category::Tourism), place: Some(Place::Emeishan), page: 1, ..Default::default() }),
        ("salary_order", "best paid first, no keyword", SearchFilters { by_salary: true, page: 1, ..Default::default() }),
    ];
    println!("{:<44} {:>10} {:>10} {:>8}", "search (20 rows a page, count capped at 200)", "median ms", "p95 ms", "count");
    let mut lines = Vec::new();
    for (key, name, filters) in cases {
        let mut times = Vec::new();
        let mut total = String::new();
        for _ in 0..30 {
            let t = Instant::now();
            let page = search(&pool, dialect, &filters, &today).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = if page.more { format!("{}+", app::vacancies::COUNT_CAP) } else { page.total.to_string() };
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{name:<44} {:>10.2} {:>10.2} {total:>8}", times[15], times[28]);
        lines.push(format!("search_{}_{key}_{count}_median {:.3} ms", dialect.name().to_lowercase(), times[15]));
    }
    for line in lines {
        println!("{line}");
    }
    pool.close().await;
    Ok(())
}
