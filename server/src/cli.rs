//! Subcommands that change data from the command line: the first admin and the demo data.

use app::account::ssr::{self as accounts, NewUser};
use app::account::{CreditCode, DisplayName, Email, Password, Role};
use app::shared::identity::Me;
use app::ssr::now;
use sqlx::AnyPool;

/// One demo account per role; the run script prints these and the README lists them.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Role); 4] = [
    ("graduate@leshan.example", "demo-graduate-2026", "李明", Role::Graduate),
    ("employer@leshan.example", "demo-employer-2026", "王芳", Role::Employer),
    ("caseworker@leshan.example", "demo-caseworker-2026", "张伟", Role::CaseWorker),
    ("admin@leshan.example", "demo-admin-2026", "陈静", Role::Admin),
];

/// Creates an account unless the address is taken; returns its id and whether it was new.
async fn ensure_user(pool: &AnyPool, email: &str, password: &str, name: &str, role: Role) -> anyhow::Result<(i64, bool)> {
    let email = Email::parse(email).map_err(|k| anyhow::anyhow!("email: {k}"))?;
    let password = Password::parse(password).map_err(|k| anyhow::anyhow!("password: {k}"))?;
    let name = DisplayName::parse(name).map_err(|k| anyhow::anyhow!("name: {k}"))?;
    let mut conn = pool.acquire().await?;
    if let Some(id) = accounts::user_id_by_email(&mut conn, &email).await? {
        return Ok((id, false));
    }
    let hash = accounts::hash_password(&password).await?;
    let user = NewUser { email: &email, password_hash: &hash, role, display_name: &name, locale: "zh-CN", verified: true };
    let id = accounts::insert_user(&mut conn, user).await?.ok_or_else(|| anyhow::anyhow!("{} was taken meanwhile", email.as_str()))?;
    Ok((id, true))
}

async fn ensure_employer(pool: &AnyPool, user_id: i64, name: &str, code17: &str, verified: bool) -> anyhow::Result<()> {
    let code = CreditCode::with_check_char(code17).ok_or_else(|| anyhow::anyhow!("bad demo code"))?;
    sqlx::query(
        "INSERT INTO employers (user_id, name, credit_code, verification, created_at, claimed_at) VALUES ($1, $2, $3, $4, $5, $5) \
         ON CONFLICT (credit_code) WHERE claimed_at IS NOT NULL DO NOTHING",
    )
    .bind(user_id)
    .bind(name)
    .bind(code)
    .bind(if verified { "verified" } else { "pending" })
    .bind(now())
    .execute(pool)
    .await?;
    Ok(())
}

/// The demo employer's published vacancies: (title, description, category, place, pay from, pay
/// to, education, traineeship seats, months and stipend).
#[expect(clippy::type_complexity, reason = "a table of literals")]
pub const DEMO_VACANCIES: &[(&str, &str, &str, &str, i64, i64, &str, Option<(i64, i64, i64)>)] = &[
    ("财务会计助理", "协助主管会计完成日常记账、报税和报表整理。五险一金，双休。", "finance", "shizhong", 4500, 6000, "junior_college", None),
    ("Java 后端开发工程师", "参与政务服务平台后端开发，熟悉 Java 或 Rust 者优先。提供岗前培训。", "software", "shizhong", 8000, 12000, "bachelor", None),
    ("峨眉山景区讲解员", "为游客提供景区讲解服务，普通话标准，能用英语讲解者优先。包住宿。", "tourism", "emeishan", 4000, 5500, "junior_college", None),
    ("小学数学教师", "负责三年级数学教学，持有教师资格证。寒暑假带薪休假。", "education", "jiajiang", 5000, 6500, "bachelor", None),
    ("电商运营见习生", "见习期六个月，参与店铺运营和直播带货，表现优秀者可留用。", "sales", "wutongqiao", 2200, 2200, "any", Some((5, 6, 2200))),
    ("行政文员见习生", "协助办公室日常行政和档案整理工作，见习期间发放见习补贴。", "administration", "shawan", 2000, 2000, "high_school", Some((3, 6, 2000))),
];

/// Publishes the demo vacancies, once.
async fn ensure_demo_vacancies(pool: &AnyPool, employer_user: i64) -> anyhow::Result<()> {
    let employer: i64 = sqlx::query_scalar("SELECT id FROM employers WHERE user_id = $1").bind(employer_user).fetch_one(pool).await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vacancies WHERE employer_id = $1").bind(employer).fetch_one(pool).await?;
    if existing > 0 {
        return Ok(());
    }
    let t = now();
    let expires = app::shared::time::Date::today_from_unix(t + 60 * 86_400).to_string();
    for (title, description, category, place, from, to, education, traineeship) in DEMO_VACANCIES {
        let tokens = app::vacancies::search::index_tokens(&format!("{title} {description}"));
        let (kind, seats, months, stipend) = match traineeship {
            Some((seats, months, stipend)) => ("traineeship", Some(*seats), Some(*months), Some(*stipend)),
            None => ("job", None, None, None),
        };
        sqlx::query(
            "INSERT INTO vacancies (employer_id, title, description, category, place, salary_min, salary_max, education, headcount, kind, \
               seats, period_months, stipend, expires_on, status, version, screening, review_note, search_tokens, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 2, $9, $10, $11, $12, $13, 'published', 1, '[]', '', $14, $15, $15)",
        )
        .bind(employer)
        .bind(*title)
        .bind(*description)
        .bind(*category)
        .bind(*place)
        .bind(*from)
        .bind(*to)
        .bind(*education)
        .bind(kind)
        .bind(seats)
        .bind(months)
        .bind(stipend)
        .bind(&expires)
        .bind(tokens)
        .bind(t)
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// The demo job fair's name: a week ahead, at a venue, with the demo employer's booth booked.
pub const DEMO_FAIR: &str = "乐山市高校毕业生冬季双选会";

/// Announces the demo fair, once, a week from the day it is seeded, and books the demo
/// employer's booth in it (counted, as a booking through the page would be).
async fn ensure_demo_fair(pool: &AnyPool, employer_user: i64, case_worker: i64) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM fairs WHERE title = $1").bind(DEMO_FAIR).fetch_one(pool).await?;
    if existing > 0 {
        return Ok(());
    }
    let employer: i64 = sqlx::query_scalar("SELECT id FROM employers WHERE user_id = $1").bind(employer_user).fetch_one(pool).await?;
    let t = now();
    let held_on = app::shared::time::Date::today_from_unix(t + 7 * 86_400).to_string();
    let mut tx = pool.begin().await?;
    let fair: i64 = sqlx::query_scalar(
        "INSERT INTO fairs (title, description, format, venue, link, held_on, starts_at, ends_at, booth_count, booths_taken, \
           seat_count, seats_taken, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'offline', $3, '', $4, '09:00', '12:00', 40, 1, 300, 0, $5, $6, $6) RETURNING id",
    )
    .bind(DEMO_FAIR)
    .bind("面向 2026 届高校毕业生的现场双选会，四十家本地用人单位参会，覆盖财务、软件、旅游、教育等岗位。请携带简历和毕业证书（或就业推荐表）。")
    .bind("乐山市市中区人力资源市场一楼大厅")
    .bind(&held_on)
    .bind(case_worker)
    .bind(t)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO fair_booths (fair_id, employer_id, booked_by, booked_at) VALUES ($1, $2, $3, $4)")
        .bind(fair)
        .bind(employer)
        .bind(employer_user)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

const DEMO_INSTITUTION: &str = "乐山市示例职业技能培训学校";

/// A designated institution with one skills course and one startup course starting in two and
/// three weeks. Running it twice changes nothing.
async fn ensure_demo_training(pool: &AnyPool, case_worker: i64) -> anyhow::Result<()> {
    let t = now();
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO training_institutions (name, address, contact, created_by, created_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(DEMO_INSTITUTION)
    .bind("乐山市市中区职教路 8 号")
    .bind("张老师 0833-2100000")
    .bind(case_worker)
    .bind(t)
    .execute(&mut *tx)
    .await?;
    let institution: i64 = sqlx::query_scalar("SELECT id FROM training_institutions WHERE name = $1").bind(DEMO_INSTITUTION).fetch_one(&mut *tx).await?;
    let day = |days: i64| app::shared::time::Date::today_from_unix(t + days * 86_400).to_string();
    let courses = [
        ("电工（中级）职业技能培训", "电工", "intermediate", "skills", "低压电工理论与实操，结业参加中级工（四级）职业技能等级认定。", 14, 34, 30, 180_000),
        ("SYB 创业培训（冬季班）", "创业培训", "completion", "startup", "了解创业、评估项目、制订创业计划书，结业颁发创业培训合格证书。", 21, 30, 25, 80_000),
    ];
    for (title, occupation, level, kind, description, starts, ends, seats, fee_fen) in courses {
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM training_programmes WHERE title = $1").bind(title).fetch_one(&mut *tx).await?;
        if existing > 0 {
            continue;
        }
        sqlx::query(
            "INSERT INTO training_programmes (institution_id, title, occupation, level, kind, description, starts_on, ends_on, seats, \
               seats_taken, place, venue, fee_fen, subsidy_eligible, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 'shizhong', $10, $11, 1, $12, $13, $13)",
        )
        .bind(institution)
        .bind(title)
        .bind(occupation)
        .bind(level)
        .bind(kind)
        .bind(description)
        .bind(day(starts))
        .bind(day(ends))
        .bind(seats)
        .bind("乐山市市中区职教路 8 号")
        .bind(fee_fen)
        .bind(case_worker)
        .bind(t)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Makes the demo employer a traineeship base, as the case worker would, so its traineeship
/// positions take sign-ups.
async fn ensure_demo_base(pool: &AnyPool, employer_user: i64, case_worker: i64) -> anyhow::Result<()> {
    let employer: i64 = sqlx::query_scalar("SELECT id FROM employers WHERE user_id = $1").bind(employer_user).fetch_one(pool).await?;
    sqlx::query("INSERT INTO traineeship_bases (employer_id, flagged_by, flagged_at) VALUES ($1, $2, $3) ON CONFLICT (employer_id) DO NOTHING")
        .bind(employer)
        .bind(case_worker)
        .bind(now())
        .execute(pool)
        .await?;
    Ok(())
}

/// The demo incubation base's name.
pub const DEMO_BASE: &str = "乐山高新区大学生创业孵化园";

/// One incubation base with free space, once.
async fn ensure_demo_incubation_base(pool: &AnyPool) -> anyhow::Result<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO incubation_bases (name, address, total_space, free_space, services, created_at, updated_at) \
         VALUES ($1, $2, 2000, 600, $3, $4, $4) ON CONFLICT (name) DO NOTHING",
    )
    .bind(DEMO_BASE)
    .bind("乐山市高新区迎宾大道 18 号创业大厦三至五层")
    .bind("免费工位和独立办公室、共享会议室、工商注册与财税代理、创业导师辅导、融资路演")
    .bind(t)
    .execute(pool)
    .await?;
    Ok(())
}

/// Demo data: the four accounts, the demo employer's verified organisation with a few published
/// vacancies (two of them traineeship positions, the employer a traineeship base), and one more
/// employer waiting for a case worker; a job fair a week ahead where the demo employer has a
/// booth; a training institution with a skills and a startup course; an incubation base with
/// free space; and the lived-in part (`demo.rs`): the demo graduate's cases, a few dozen
/// graduates in the case worker's queue, follow-ups and applicants. Running it twice changes
/// nothing.
pub async fn seed_demo(config: &crate::config::Config, pool: &AnyPool) -> anyhow::Result<()> {
    let (mut employer_user, mut case_worker) = (0, 0);
    let mut people = Vec::new();
    for (email, password, name, role) in DEMO_ACCOUNTS {
        let (id, created) = ensure_user(pool, email, password, name, role).await?;
        people.push(Me { id, email: email.to_string(), display_name: name.to_string(), role, email_verified: true });
        if role == Role::Employer {
            ensure_employer(pool, id, "乐山示例科技有限公司", "91511100MA62D6H2X", true).await?;
            ensure_demo_vacancies(pool, id).await?;
            employer_user = id;
        }
        if role == Role::CaseWorker {
            case_worker = id;
        }
        println!("  {:<12} {:<28} {}{}", role.as_str(), email, password, if created { "" } else { "   (already there)" });
    }
    let (pending_id, _) = ensure_user(pool, "hr@emeishan-travel.example", "demo-employer-2026", "刘洋", Role::Employer).await?;
    ensure_employer(pool, pending_id, "峨眉山示例旅游有限公司", "91511181MA6B7K3P4", false).await?;
    ensure_demo_fair(pool, employer_user, case_worker).await?;
    ensure_demo_training(pool, case_worker).await?;
    ensure_demo_base(pool, employer_user, case_worker).await?;
    ensure_demo_incubation_base(pool).await?;
    let key = crate::secret_key(config, pool).await?;
    let [graduate, employer, case_worker, _admin] = <[Me; 4]>::try_from(people).map_err(|_| anyhow::anyhow!("four demo accounts"))?;
    crate::demo::seed(crate::demo::state_of(config, pool, key), graduate, case_worker, employer).await
}

/// The first admin. The password comes from PORTAL_ADMIN_PASSWORD, or is generated and
/// printed once.
pub async fn create_admin(pool: &AnyPool, email: &str, name: &str) -> anyhow::Result<()> {
    let (password, generated) = match std::env::var("PORTAL_ADMIN_PASSWORD") {
        Ok(p) => (p, false),
        Err(_) => (app::ssr::new_token().0[..20].to_string(), true),
    };
    let (_, created) = ensure_user(pool, email, &password, name, Role::Admin).await?;
    if !created {
        anyhow::bail!("{email} already has an account");
    }
    println!("admin {email} created");
    if generated {
        println!("password: {password}\n(shown once; change it after signing in)");
    }
    Ok(())
}

/// Volume on top of the demo (`seed-demo --vacancies N --graduates M --applications K`); the
/// applications are assigned, a tenth of them, to the demo case worker.
pub async fn seed_volume(pool: &AnyPool, dialect: app::db::Dialect, vacancies: i64, graduates: i64, applications: i64) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    if vacancies > 0 {
        crate::volume::vacancies(pool, dialect, vacancies).await?;
    }
    if graduates > 0 || applications > 0 {
        let case_worker: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(DEMO_ACCOUNTS[2].0).fetch_one(pool).await?;
        crate::volume::applications(pool, graduates, applications, case_worker).await?;
    }
    if vacancies + graduates + applications > 0 {
        println!("added {vacancies} vacancies, {graduates} graduates, {applications} applications in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

/// The demo graduate's identity (the demo profile holds the same number) and the check code
/// printed on their transfer notice, fixed so the README can show a lookup that works.
pub const DEMO_ARCHIVE_ID: &str = "511102200203151235";
pub const DEMO_ARCHIVE_NAME: &str = "李明";
pub const DEMO_ARCHIVE_CODE: &str = "DANGAN8899";

/// The demo graduate's personnel archive: recorded at their school, then moved to the Leshan
/// public talent service. Prints the check code. Running it twice changes nothing.
pub async fn seed_demo_archive(pool: &AnyPool, key: &app::ssr::SecretKey) -> anyhow::Result<()> {
    use app::archive::{Location, LocationKind};
    use app::shared::values::Place;
    let id = app::jobseeker::domain::ResidentId::parse(DEMO_ARCHIVE_ID, app::shared::time::Date::today_from_unix(now()))
        .map_err(|k| anyhow::anyhow!("the demo ID number does not parse: {k}"))?;
    let case_worker: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(DEMO_ACCOUNTS[2].0).fetch_one(pool).await?;
    let school = Location { kind: LocationKind::School, place: None, name: "乐山职业技术学院".into() };
    let mut tx = pool.begin().await?;
    if let Some(archive) = app::archive::ssr::insert(&mut tx, key, &id, DEMO_ARCHIVE_NAME, &school, DEMO_ARCHIVE_CODE, case_worker).await? {
        let movement = app::archive::ssr::NewMovement {
            to: Location { kind: LocationKind::TalentService, place: Some(Place::Shizhong), name: "乐山市公共就业和人才服务中心".into() },
            moved_on: app::shared::time::Date::today_from_unix(now() - 7 * 86_400).to_string(),
            transfer_number: "LSDA-2026-0001".into(),
            note: "毕业生离校，档案转至市人才服务中心托管。".into(),
        };
        app::archive::ssr::move_archive(&mut tx, archive, &movement, case_worker).await?;
    }
    tx.commit().await?;
    println!("demo archive lookup (/archive/lookup): {DEMO_ARCHIVE_ID} {DEMO_ARCHIVE_NAME} {DEMO_ARCHIVE_CODE}");
    Ok(())
}
