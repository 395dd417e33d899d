//! Benchmark: the public vacancy search at 10 000 to 1 000 000 published vacancies.
//!
//!   cargo run --release -p server --bin bench-search -- [COUNT] [POSTGRES_URL]
//!
//! Fills a fresh database (a temporary SQLite file by default, or a new database on the
//! PostgreSQL server of the URL given) with COUNT published vacancies whose Chinese and English
//! titles and descriptions come from a fixed vocabulary, then times the searches a visitor
//! makes: a common two-character word, a rarer three-character phrase, one character, an
//! English word, a keyword with filters, filters alone and the salary order. Prints the median
//! and 95th percentile per query and, last, one `name value unit` line per figure.

use app::vacancies::search::{index_tokens, query_terms};
use app::vacancies::ssr::{search, SearchFilters};
use app::vacancies::{Category, Education};
use app::shared::values::Place;
use std::time::Instant;

/// (title, category, typical pay) of the roles postings are made of.
const ROLES: &[(&str, Category, i64)] = &[
    ("会计", Category::Finance, 6000),
    ("出纳", Category::Finance, 4500),
    ("财务助理", Category::Finance, 5000),
    ("软件工程师", Category::Software, 12000),
    ("Java开发工程师", Category::Software, 13000),
    ("前端开发 (Vue)", Category::Software, 11000),
    ("数据分析师", Category::Software, 10000),
    ("销售代表", Category::Sales, 6000),
    ("电商运营", Category::Sales, 7000),
    ("小学语文教师", Category::Education, 6000),
    ("英语培训讲师", Category::Education, 7000),
    ("护士", Category::Health, 6500),
    ("药剂师", Category::Health, 7000),
    ("机械操作工", Category::Manufacturing, 5500),
    ("质检员", Category::Manufacturing, 5000),
    ("施工员", Category::Construction, 7000),
    ("造价工程师", Category::Construction, 9000),
    ("导游", Category::Tourism, 5000),
    ("酒店前台接待", Category::Tourism, 4200),
    ("物流专员", Category::Logistics, 5500),
    ("行政助理", Category::Administration, 4500),
    ("农技员", Category::Agriculture, 4800),
];
const LEVELS: &[&str] = &["", "高级", "初级", "资深", "见习", "储备"];
const SENTENCES: &[&str] = &[
    "负责部门日常工作，按时完成上级交办的任务。",
    "五险一金，双休，年底有绩效奖金。",
    "提供员工宿舍和工作餐，交通便利。",
    "有相关工作经验者优先，应届毕业生亦可。",
    "熟练使用 Office 办公软件，沟通能力强。",
    "工作地点在乐山市中心城区，可提供通勤班车。",
    "公司提供系统的岗前培训和职业发展通道。",
    "Good communication skills; English is a plus.",
    "能适应节假日轮班，服务意识强。",
    "具备团队合作精神，责任心强，能吃苦耐劳。",
    "持有相关职业资格证书者优先录用。",
    "薪资面议，表现优秀者可提前转正。",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let count: i64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100_000);
    let (pool, dialect) = server::db::fresh_for_benchmark(args.next(), "bench-search").await?;

    let started = Instant::now();
    let now = app::ssr::now();
    let expires = app::shared::time::Date::today_from_unix(now + 90 * 86_400).to_string();
    let mut tx = pool.begin().await?;
    for i in 0..20 {
        sqlx::query("INSERT INTO users (email, password_hash, role, display_name, locale, created_at) VALUES ($1, 'x', 'employer', $2, 'zh-CN', $3)")
            .bind(format!("employer{i}@bench.example"))
            .bind(format!("联系人{i}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let first_user: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users").fetch_one(&mut *tx).await?;
    for i in 0..20 {
        sqlx::query("INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES ($1, $2, $3, 'verified', $4)")
            .bind(first_user + i)
            .bind(format!("乐山示例企业{i}有限公司"))
            .bind(format!("BENCH{i:013}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    let first_employer: i64 = sqlx::query_scalar("SELECT MIN(id) FROM employers").fetch_one(&mut *tx).await?;
    tx.commit().await?;

    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let batch = 500;
    for start in (0..count).step_by(batch as usize) {
        let mut tx = pool.begin().await?;
        let mut sql = String::from(
            "INSERT INTO vacancies (employer_id, title, description, category, place, salary_min, salary_max, education, headcount, kind, \
             expires_on, status, version, screening, review_note, search_tokens, created_at, updated_at) VALUES ",
        );
        let mut texts: Vec<(String, String, String)> = Vec::new();
        for i in start..(start + batch).min(count) {
            let (role, category, pay) = ROLES[rnd(ROLES.len() as u64) as usize];
            let title = format!("{}{role}", LEVELS[rnd(LEVELS.len() as u64) as usize]);
            let description: String = (0..3).map(|_| SENTENCES[rnd(SENTENCES.len() as u64) as usize]).collect::<Vec<_>>().join("");
            let tokens = index_tokens(&format!("{title} {description}"));
            let top = pay + rnd(4) as i64 * 500;
            if i > start {
                sql.push(',');
            }
            let n = texts.len() * 3;
            sql.push_str(&format!(
                "({}, ${}, ${}, '{}', '{}', {}, {top}, '{}', 1, 'job', '{expires}', 'published', 1, '[]', '', ${}, {now}, {now})",
                first_employer + rnd(20) as i64,
                n + 1,
                n + 2,
                category.as_str(),
                Place::ALL[rnd(Place::ALL.len() as u64) as usize].as_str(),
                top - 1500,
                Education::ALL[rnd(Education::ALL.len() as u64) as usize].as_str(),
                n + 3,
            ));
            texts.push((title, description, tokens));
        }
        let mut query = sqlx::query(&sql);
        for (title, description, tokens) in &texts {
            query = query.bind(title).bind(description).bind(tokens);
        }
        query.execute(&mut *tx).await?;
        tx.commit().await?;
    }
    sqlx::query("ANALYZE").execute(&pool).await?;
    let load_s = started.elapsed().as_secs_f64();
    println!("{}: {count} vacancies loaded in {load_s:.1} s", dialect.name());

    let today = app::shared::time::Date::today_from_unix(now).to_string();
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
    println!("{:<44} {:>10} {:>10} {:>8}", "search (20 rows a page, count capped at 1000)", "median ms", "p95 ms", "count");
    let mut lines = Vec::new();
    for (key, name, filters) in cases {
        let mut times = Vec::new();
        let mut total = String::new();
        for _ in 0..30 {
            let t = Instant::now();
            let page = search(&pool, dialect, &filters, &today).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = if page.more { "1000+".into() } else { page.total.to_string() };
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
