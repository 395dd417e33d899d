//! Volume data for benchmarks and load runs: `server seed-demo --vacancies N --applications K`
//! and the benchmark binaries fill a database with plausible bilingual vacancies (Chinese
//! titles and descriptions from a fixed vocabulary, real Leshan places, salaries near each
//! role's typical pay) and with graduates' applications in every status, in batched
//! transactions (a million vacancies load into SQLite in under two minutes). The data are
//! the same on every run: a fixed-seed generator, no randomness from outside.

use app::applications::model::{Kind, Status};
use app::shared::identity::Role;
use app::shared::values::Place;
use app::vacancies::search::index_tokens;
use app::vacancies::{Category, Education};
use sqlx::AnyPool;

/// (title, category, typical pay) of the roles postings are made of.
pub const ROLES: &[(&str, Category, i64)] = &[
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

/// A small fixed-seed generator (xorshift): the same data on every run.
struct Dice(u64);

impl Dice {
    fn new() -> Dice {
        Dice(0x2545_F491_4F6C_DD1D)
    }

    fn roll(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Adds `count` published vacancies, expiring in 90 days, from twenty verified employers of
/// their own.
pub async fn vacancies(pool: &AnyPool, dialect: app::db::Dialect, count: i64) -> anyhow::Result<()> {
    let now = app::ssr::now();
    let expires = app::shared::time::Date::today_from_unix(now + 90 * 86_400).to_string();
    // Their own employers, told apart from any already there by the time of the run.
    let tag = now % 100_000;
    let mut tx = pool.begin().await?;
    let mut employer_ids = Vec::new();
    for i in 0..20 {
        let email = format!("employer{i}-{tag}@volume.example");
        sqlx::query("INSERT INTO users (email, password_hash, role, display_name, locale, created_at) VALUES ($1, 'x', $2, $3, 'zh-CN', $4)")
            .bind(&email)
            .bind(Role::Employer)
            .bind(format!("联系人{i}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(&email).fetch_one(&mut *tx).await?;
        let code = format!("V{tag:05}{i:012}");
        sqlx::query("INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES ($1, $2, $3, 'verified', $4)")
            .bind(user_id)
            .bind(format!("乐山示例企业{i}有限公司"))
            .bind(&code)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        employer_ids.push(sqlx::query_scalar::<_, i64>("SELECT id FROM employers WHERE user_id = $1").bind(user_id).fetch_one(&mut *tx).await?);
    }
    tx.commit().await?;

    // PostgreSQL's GIN index takes writes into its tree one by one (0025), which a million
    // inserts feel; for the load they gather in its pending list and are folded in once at the end.
    let postgres = dialect == app::db::Dialect::Postgres;
    if postgres {
        sqlx::query("ALTER INDEX vacancies_search SET (fastupdate = on)").execute(pool).await?;
    }
    let mut dice = Dice::new();
    let mut rnd = move |n: u64| dice.roll(n);
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
                employer_ids[rnd(20) as usize],
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
    if postgres {
        sqlx::query("ALTER INDEX vacancies_search SET (fastupdate = off)").execute(pool).await?;
        sqlx::query("SELECT gin_clean_pending_list('vacancies_search'::regclass)").execute(pool).await?;
    }
    // As the worker's daily pass leaves it (a bulk load is what the merge is for).
    app::vacancies::ssr::tidy_search_index(pool, dialect).await?;
    analyze(pool).await
}

/// Fresh statistics, as a database that has been running would have.
async fn analyze(pool: &AnyPool) -> anyhow::Result<()> {
    sqlx::query("ANALYZE").execute(pool).await?;
    Ok(())
}

/// Adds `graduates` new graduates and `count` applications from them, at most one of each of
/// four kinds per graduate (a graduate holds one open application per kind, which the database
/// enforces), in every status, submitted over the past year from every county, a tenth of them
/// assigned to `case_worker`.
pub async fn applications(pool: &AnyPool, graduates: i64, count: i64, case_worker: i64) -> anyhow::Result<()> {
    anyhow::ensure!(count <= graduates * 4, "{count} applications need at least {} graduates (four kinds each)", (count + 3) / 4);
    const KINDS: [Kind; 4] = [Kind::JobseekerRegistration, Kind::EmploymentCertificate, Kind::Traineeship, Kind::StartupLoan];
    const STATUSES: [Status; 6] = [Status::Submitted, Status::InReview, Status::NeedsInfo, Status::Approved, Status::Rejected, Status::Withdrawn];
    let now = app::ssr::now();
    let tag = now % 100_000;
    let mut tx = pool.begin().await?;
    for chunk in (0..graduates).collect::<Vec<_>>().chunks(500) {
        let values: Vec<String> =
            chunk.iter().map(|i| format!("('graduate{i}-{tag}@volume.example', 'x', '{}', '毕业生{i}', 'zh-CN', {now})", Role::Graduate)).collect();
        sqlx::query(&format!("INSERT INTO users (email, password_hash, role, display_name, locale, created_at) VALUES {}", values.join(",")))
            .execute(&mut *tx)
            .await?;
    }
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email LIKE $1 ORDER BY id")
        .bind(format!("graduate%-{tag}@volume.example"))
        .fetch_all(&mut *tx)
        .await?;
    let mut dice = Dice::new();
    for start in (0..count).step_by(1000) {
        let values: Vec<String> = (start..(start + 1000).min(count))
            .map(|i| {
                let submitted = now - dice.roll(365 * 86_400) as i64;
                let assignee = if dice.roll(10) == 0 { case_worker.to_string() } else { "NULL".into() };
                format!(
                    "('LS-V{tag:05}-{i:07}', {}, '{}', '{{}}', '{}', 1, {assignee}, '{}', {submitted}, {submitted}, {submitted})",
                    ids[(i / 4) as usize],
                    KINDS[(i % 4) as usize],
                    STATUSES[dice.roll(6) as usize],
                    Place::ALL[dice.roll(12) as usize],
                )
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, assignee_id, household_place, submitted_at, created_at, updated_at) VALUES {}",
            values.join(",")
        ))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    analyze(pool).await
}
