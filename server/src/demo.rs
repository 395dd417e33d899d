//! The lived-in part of the demo (`server seed-demo`): the demo graduate's profile and
//! applications in several states, a few dozen graduates from every county in the case
//! worker's queue, follow-ups, and applications to the demo employer's vacancies.
//!
//! Everything an application goes through is done by the engine's own steps
//! (`create_submitted`, `transition_in`, the certificate hook, `hiring::ssr`), so timelines,
//! notifications, emails, counters and the certificate are what a real case would leave behind.
//! Those steps read the server's state from the reactive context, as a server function does, so
//! the seed provides one. Only two things are raw SQL, because no step writes them: moving a
//! seeded case back in time (its days waiting), and follow-ups (logged by a server function).
//!
//! Running it again changes nothing: a graduate who already has a profile is left alone.

use app::account::ssr::{self as accounts, NewUser};
use app::account::{DisplayName, Email, Password, Role};
use app::applications::model::{Action, Kind};
use app::applications::ssr::{create_submitted, transition_in};
use app::hiring::ssr::MoveDetails;
use app::hiring::{Stage, StageAction};
use app::jobseeker::domain::ResidentId;
use app::jobseeker::profile::Intentions;
use app::jobseeker::ssr::{save_profile, SavedProfile};
use app::shared::identity::Me;
use app::shared::time::Date;
use app::shared::values::{Degree, EmploymentStatus, Place, ServiceNeed};
use app::ssr::{now, AppState, Settings};
use leptos::prelude::provide_context;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use sqlx::{AnyConnection, AnyPool};
use std::sync::Arc;

/// The demo graduate's identity, agreed with the rest of the demo (archive records are keyed
/// by it).
pub const DEMO_GRADUATE_ID: &str = "511102200203151235";

const DAY: i64 = 86_400;

/// The password every seeded queue graduate signs in with.
pub const QUEUE_PASSWORD: &str = "demo-graduate-2026";

/// (name, female, school, major, degree) of the graduates in the case worker's queue; the
/// county is the row's place in [`Place::ALL`] (every county three times).
pub const QUEUE_GRADUATES: [(&str, bool, &str, &str, Degree); 36] = [
    ("王浩然", false, "乐山师范学院", "计算机科学与技术", Degree::Bachelor),
    ("刘思雨", true, "西南石油大学", "会计学", Degree::Bachelor),
    ("陈子涵", true, "四川农业大学", "园艺", Degree::Bachelor),
    ("杨宇轩", false, "乐山职业技术学院", "机电一体化技术", Degree::JuniorCollege),
    ("赵欣怡", true, "乐山师范学院", "小学教育", Degree::Bachelor),
    ("黄俊杰", false, "成都理工大学", "土木工程", Degree::Bachelor),
    ("周雨婷", true, "四川旅游学院", "旅游管理", Degree::Bachelor),
    ("吴佳豪", false, "西南交通大学", "交通运输", Degree::Master),
    ("阿说拉哈", false, "西昌学院", "农学", Degree::Bachelor),
    ("吉克阿依", true, "乐山师范学院", "汉语言文学", Degree::Bachelor),
    ("孙博文", false, "四川大学", "临床医学", Degree::Master),
    ("胡诗涵", true, "成都大学", "英语", Degree::Bachelor),
    ("朱志强", false, "乐山职业技术学院", "护理", Degree::JuniorCollege),
    ("高雅琪", true, "四川师范大学", "学前教育", Degree::Bachelor),
    ("林晓峰", false, "西华大学", "机械设计制造及其自动化", Degree::Bachelor),
    ("何静怡", true, "乐山师范学院", "电子商务", Degree::Bachelor),
    ("郭家乐", false, "四川轻化工大学", "化学工程与工艺", Degree::Bachelor),
    ("马婉清", true, "成都信息工程大学", "软件工程", Degree::Bachelor),
    ("罗文博", false, "四川农业大学", "动物医学", Degree::Bachelor),
    ("梁嘉欣", true, "乐山职业技术学院", "酒店管理", Degree::JuniorCollege),
    ("曲比尔日", false, "乐山师范学院", "体育教育", Degree::Bachelor),
    ("沙马阿果", true, "西南民族大学", "社会工作", Degree::Bachelor),
    ("谢明轩", false, "电子科技大学", "电子信息工程", Degree::Master),
    ("韩若曦", true, "西南财经大学", "金融学", Degree::Bachelor),
    ("唐凯文", false, "乐山职业技术学院", "汽车检测与维修技术", Degree::JuniorCollege),
    ("冯晓燕", true, "乐山师范学院", "美术学", Degree::Bachelor),
    ("于泽宇", false, "西南科技大学", "环境工程", Degree::Bachelor),
    ("董思琪", true, "四川外国语大学成都学院", "日语", Degree::Bachelor),
    ("曾宇航", false, "成都理工大学", "地质工程", Degree::Bachelor),
    ("程丽娟", true, "川北医学院", "药学", Degree::Bachelor),
    ("曹俊豪", false, "乐山师范学院", "物理学", Degree::Bachelor),
    ("袁梦瑶", true, "四川传媒学院", "广播电视编导", Degree::Bachelor),
    ("邓子健", false, "四川轻化工大学", "自动化", Degree::Bachelor),
    ("许嘉怡", true, "乐山职业技术学院", "会计", Degree::JuniorCollege),
    ("彭欣然", true, "四川大学", "公共事业管理", Degree::Master),
    ("吕晨阳", false, "西南石油大学", "石油工程", Degree::Bachelor),
];

/// What the case worker asks when an application needs more (one of these, in turn).
const QUESTIONS: [&str; 4] = [
    "毕业证书照片不清晰，请重新上传清晰的正面照片。",
    "请补充户籍所在地的详细地址（到村或社区）。",
    "请说明离校后是否有过就业经历，如有请写明单位和时间。",
    "请补充求职意向中的期望工作地点。",
];

/// What a follow-up call found (one of these, in turn).
const OUTCOMES: [&str; 5] = [
    "电话回访：仍在求职，已推荐两个市中区会计岗位，本人有意向。",
    "微信联系：已报名下月的电工中级培训，希望结业后再找工作。",
    "上门走访：家中有农业项目，想了解创业担保贷款，已讲解申请条件。",
    "电话回访：已参加冬季双选会并投递简历，等待面试通知。",
    "短信提醒：请按时参加见习单位面试，本人已回复确认。",
];

/// The six-digit area code of a county's resident ID numbers.
fn area_code(place: Place) -> &'static str {
    match place {
        Place::Shizhong => "511102",
        Place::Shawan => "511111",
        Place::Wutongqiao => "511112",
        Place::Jinkouhe => "511113",
        Place::Qianwei => "511123",
        Place::Jingyan => "511124",
        Place::Jiajiang => "511126",
        Place::Muchuan => "511129",
        Place::Ebian => "511132",
        Place::Mabian => "511133",
        Place::Emeishan => "511181",
        // Chengdu's Jinjiang district: a graduate registered outside Leshan.
        Place::Other => "510104",
    }
}

/// A valid ID number for the `i`th queue graduate: their county, a birthday in 2000–2003, and
/// a sequence digit that says the right sex (odd for men).
fn queue_resident_id(i: usize, place: Place, female: bool) -> String {
    let birth = format!("{}{:02}{:02}", 2000 + i % 4, 1 + i % 12, 1 + (i * 7) % 28);
    let sequence = 100 + i * 2 + usize::from(!female);
    ResidentId::with_check_char(&format!("{}{birth}{sequence:03}", area_code(place)))
}

/// Runs the lived-in part of the demo with the state the engine reads from its context.
pub async fn seed(state: AppState, graduate: Me, case_worker: Me, employer: Me) -> anyhow::Result<()> {
    let owner = Owner::new();
    owner.with(|| provide_context(state.clone()));
    let work = owner.with(|| ScopedFuture::new_untracked(seed_in_context(state, graduate, case_worker, employer)));
    work.await
}

/// The server's state for the engine's steps, as `server::build` makes it.
pub fn state_of(config: &crate::config::Config, pool: &AnyPool, secret_key: app::ssr::SecretKey) -> AppState {
    AppState {
        leptos_options: crate::leptos_options(config),
        pool: pool.clone(),
        dialect: config.dialect,
        settings: Arc::new(Settings {
            base_url: config.base_url.clone(),
            data_dir: config.data_dir.clone(),
            secret_key,
            session_max_secs: config.session_max_age.as_secs() as i64,
            trusted_proxies: config.trusted_proxies.clone(),
        }),
    }
}

async fn seed_in_context(state: AppState, graduate: Me, case_worker: Me, employer: Me) -> anyhow::Result<()> {
    let started = now();
    let pool = &state.pool;
    let key = &state.settings.secret_key;
    let vacancies: Vec<(i64, String)> = sqlx::query_as(
        "SELECT v.id, v.kind FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE e.user_id = $1 ORDER BY v.id",
    )
    .bind(employer.id)
    .fetch_all(pool)
    .await?;
    let jobs: Vec<i64> = vacancies.iter().filter(|(_, kind)| kind == "job").map(|(id, _)| *id).collect();
    let traineeships: Vec<i64> = vacancies.iter().filter(|(_, kind)| kind == "traineeship").map(|(id, _)| *id).collect();
    let base: (i64, String) =
        sqlx::query_as("SELECT id, name FROM incubation_bases WHERE name = $1").bind(crate::cli::DEMO_BASE).fetch_one(pool).await?;

    if !has_profile(pool, graduate.id).await? {
        demo_graduate(&state, key, &graduate, &case_worker, &employer, &jobs, &traineeships, &base).await?;
    }
    let hash = std::sync::OnceLock::new();
    for (i, row) in QUEUE_GRADUATES.iter().enumerate() {
        let email = format!("graduate{:02}@demo.leshan.example", i + 1);
        let me = ensure_queue_graduate(pool, &email, row.0, &hash).await?;
        if has_profile(pool, me.id).await? {
            continue;
        }
        queue_graduate(&state, i, &me, &case_worker, &employer, &jobs, &base).await?;
    }
    // The seeded cases' emails went out at the time they were written, as they would have on a
    // portal in use; the outbox shows them sent instead of mailing them all at the first start.
    // Only this run's: mail the portal wrote since (run.sh seeds at every start) still goes out.
    sqlx::query(
        "UPDATE outbox SET status = 'sent', attempts = 1, sent_at = created_at \
         WHERE status = 'pending' AND created_at >= $2 AND (to_addr LIKE '%@demo.leshan.example' OR to_addr = $1)",
    )
    .bind(&graduate.email)
    .bind(started)
    .execute(pool)
    .await?;
    Ok(())
}

async fn has_profile(pool: &AnyPool, user_id: i64) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles WHERE user_id = $1").bind(user_id).fetch_one(pool).await?;
    Ok(n > 0)
}

/// A queue graduate's account (one password hash for them all: hashing is slow by design).
async fn ensure_queue_graduate(pool: &AnyPool, email: &str, name: &str, hash: &std::sync::OnceLock<String>) -> anyhow::Result<Me> {
    let email = Email::parse(email).map_err(|k| anyhow::anyhow!("email: {k}"))?;
    let name = DisplayName::parse(name).map_err(|k| anyhow::anyhow!("name: {k}"))?;
    let mut conn = pool.acquire().await?;
    let id = match accounts::user_id_by_email(&mut conn, &email).await? {
        Some(id) => id,
        None => {
            if hash.get().is_none() {
                let password = Password::parse(QUEUE_PASSWORD).map_err(|k| anyhow::anyhow!("password: {k}"))?;
                let _ = hash.set(accounts::hash_password(&password).await?);
            }
            let password_hash = hash.get().expect("set above");
            let user = NewUser { email: &email, password_hash, role: Role::Graduate, display_name: &name, locale: "zh-CN", verified: true };
            accounts::insert_user(&mut conn, user).await?.ok_or_else(|| anyhow::anyhow!("{} was taken meanwhile", email.as_str()))?
        }
    };
    Ok(Me { id, email: email.as_str().to_string(), display_name: name.as_str().to_string(), role: Role::Graduate, email_verified: true })
}

fn registration_payload(p: &SavedProfile) -> serde_json::Value {
    serde_json::json!({ "intentions": p.intentions, "service_needs": p.service_needs, "needs_note": p.needs_note })
}

/// Creates and submits an application, as the graduate's form does, in its own transaction.
async fn submit(state: &AppState, me: &Me, kind: Kind, payload: &serde_json::Value, place: Place) -> anyhow::Result<i64> {
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let (id, _) = create_submitted(&mut tx, me, kind, payload, place).await?;
    tx.commit().await?;
    Ok(id)
}

/// Moves an application by the steps given, each as the case worker would click it.
async fn decide(state: &AppState, id: i64, by: &Me, steps: &[(Action, &str)]) -> anyhow::Result<()> {
    for (action, reason) in steps {
        let mut tx = state.dialect.begin_write(&state.pool).await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM applications WHERE id = $1").bind(id).fetch_one(&mut *tx).await?;
        transition_in(&mut tx, id, version, *action, by, false, reason, "").await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Moves a seeded application `secs` into the past: its times, its timeline, its notifications
/// and its certificate alike, so the order of its steps and the days waiting stay consistent.
async fn backdate(conn: &mut AnyConnection, id: i64, secs: i64) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE applications SET created_at = created_at - $1, updated_at = updated_at - $1, \
           submitted_at = submitted_at - $1, decided_at = decided_at - $1 WHERE id = $2",
    )
    .bind(secs)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for sql in [
        "UPDATE application_events SET at = at - $1 WHERE application_id = $2",
        "UPDATE notifications SET created_at = created_at - $1 WHERE application_id = $2",
        "UPDATE certificates SET issued_at = issued_at - $1 WHERE application_id = $2",
    ] {
        sqlx::query(sql).bind(secs).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Applies to a vacancy as the graduate, then moves the application as the employer.
async fn apply_for_job(state: &AppState, me: &Me, employer: &Me, vacancy: i64, note: &str, moves: &[StageAction]) -> anyhow::Result<()> {
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let Some(id) = app::hiring::ssr::insert(&mut tx, me, vacancy, note).await? else {
        return Ok(());
    };
    let (mut stage, mut version) = (Stage::Applied, 1);
    let day = format!("{}T10:00", Date::today_from_unix(now() + 3 * DAY));
    for action in moves {
        let details = match action {
            StageAction::Interview => MoveDetails { note: "请携带简历和毕业证书原件。", interview: Some((&day, "乐山市市中区嘉州大道 66 号 3 楼会议室")) },
            StageAction::Reject => MoveDetails { note: "本岗位需要两年以上工作经验，感谢您的关注。", interview: None },
            _ => MoveDetails::default(),
        };
        stage = app::hiring::ssr::move_application(&mut tx, employer, id, version, stage, *action, details).await?;
        version += 1;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo graduate: a complete profile; the registration approved and the certificate issued;
/// a request for incubation space waiting for their answer; a traineeship sign-up submitted; an
/// application to one of the demo employer's jobs, shortlisted.
#[expect(clippy::too_many_arguments, reason = "the people and the places of the demo")]
async fn demo_graduate(
    state: &AppState,
    key: &app::ssr::SecretKey,
    me: &Me,
    case_worker: &Me,
    employer: &Me,
    jobs: &[i64],
    traineeships: &[i64],
    base: &(i64, String),
) -> anyhow::Result<()> {
    let today = Date::today_from_unix(now());
    let profile = SavedProfile {
        full_name: me.display_name.clone(),
        resident_id: ResidentId::parse(DEMO_GRADUATE_ID, today).map_err(|k| anyhow::anyhow!("demo ID: {k}"))?,
        graduation_cert_no: "106541202605001235".into(),
        school: "乐山师范学院".into(),
        major: "会计学".into(),
        degree: Degree::Bachelor,
        graduation_date: Date::new(2026, 6, 30).expect("a date"),
        household_place: Place::Shizhong,
        phone: "13882345678".into(),
        employment_status: EmploymentStatus::Unemployed,
        intentions: Intentions {
            job_types: "会计、出纳、财务助理".into(),
            industries: "金融、商贸".into(),
            places: "乐山市中区、峨眉山市".into(),
            salary_min: Some(4500),
            salary_max: Some(7000),
        },
        service_needs: vec![ServiceNeed::JobMatching, ServiceNeed::Traineeship, ServiceNeed::Startup],
        needs_note: "希望先在本地就业，同时了解大学生创业扶持政策。".into(),
    };
    save_profile(key, me.id, &profile).await?;
    let place = profile.household_place;

    let registration = submit(state, me, Kind::JobseekerRegistration, &registration_payload(&profile), place).await?;
    decide(state, registration, case_worker, &[(Action::StartReview, ""), (Action::Approve, "")]).await?;
    let certificate = submit(state, me, Kind::EmploymentCertificate, &serde_json::json!({}), place).await?;
    decide(state, certificate, case_worker, &[(Action::Approve, "")]).await?;

    let incubation = serde_json::json!({
        "base_id": base.0, "base_name": base.1, "space": 30,
        "project": "乐山特色农产品电商：与五通桥、沐川的茶农合作，通过直播和小程序销售绿茶和竹笋。",
    });
    let space = submit(state, me, Kind::Incubation, &incubation, place).await?;
    decide(state, space, case_worker, &[(Action::StartReview, ""), (Action::RequestInfo, "请补充团队成员的姓名和分工，以及预计入驻的时间。")]).await?;

    if let Some(&position) = traineeships.first() {
        sign_up_for_traineeship(state, me, position, place).await?;
    }
    if let Some(&job) = jobs.first() {
        apply_for_job(state, me, employer, job, "本人会计学专业，持有初级会计职称，熟悉用友财务软件。", &[StageAction::Shortlist]).await?;
    }

    let mut conn = state.pool.acquire().await?;
    sqlx::query(
        "INSERT INTO follow_ups (graduate_id, case_worker_id, channel, contacted_at, outcome, intentions_update, created_at) \
         VALUES ($1, $2, 'phone', $3, $4, $5, $3)",
    )
    .bind(me.id)
    .bind(case_worker.id)
    .bind(now() - 12 * DAY)
    .bind("电话回访：已办理就业登记证，正在准备创业孵化申请；推荐参加下周的冬季双选会。")
    .bind("除会计岗位外，也考虑电商运营见习。")
    .execute(&mut *conn)
    .await?;
    backdate(&mut conn, registration, 40 * DAY).await?;
    backdate(&mut conn, certificate, 33 * DAY).await?;
    backdate(&mut conn, space, 6 * DAY).await?;
    // What came before the last week has been read.
    sqlx::query("UPDATE notifications SET read_at = created_at + 3600 WHERE user_id = $1 AND created_at < $2")
        .bind(me.id)
        .bind(now() - 7 * DAY)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A sign-up as the position's page makes it: a seat counted in the position's row, the
/// application and its traineeship row, in one transaction.
async fn sign_up_for_traineeship(state: &AppState, me: &Me, vacancy_id: i64, place: Place) -> anyhow::Result<()> {
    let mut tx = state.dialect.begin_write(&state.pool).await?;
    let (title, months, stipend, employer_id, employer_name): (String, Option<i64>, Option<i64>, i64, String) = sqlx::query_as(
        "SELECT v.title, v.period_months, v.stipend, e.id, e.name FROM vacancies v JOIN employers e ON e.id = v.employer_id WHERE v.id = $1",
    )
    .bind(vacancy_id)
    .fetch_one(&mut *tx)
    .await?;
    if !app::traineeship::ssr::take_seat(&mut tx, vacancy_id).await? {
        return Ok(());
    }
    let payload = serde_json::json!({
        "vacancy_id": vacancy_id, "title": title, "employer_name": employer_name,
        "period_months": months.unwrap_or(0), "stipend": stipend.unwrap_or(0),
    });
    let (id, _) = create_submitted(&mut tx, me, Kind::Traineeship, &payload, place).await?;
    app::traineeship::ssr::insert(&mut tx, id, vacancy_id, employer_id, me.id).await?;
    tx.commit().await?;
    Ok(())
}

/// One graduate of the queue: profile, registration and what follows, by the row's number.
async fn queue_graduate(state: &AppState, i: usize, me: &Me, case_worker: &Me, employer: &Me, jobs: &[i64], base: &(i64, String)) -> anyhow::Result<()> {
    let (name, female, school, major, degree) = QUEUE_GRADUATES[i];
    let place = Place::ALL[i % Place::ALL.len()];
    let today = Date::today_from_unix(now());
    let profile = SavedProfile {
        full_name: name.into(),
        resident_id: ResidentId::parse(&queue_resident_id(i, place, female), today).map_err(|k| anyhow::anyhow!("queue ID {i}: {k}"))?,
        graduation_cert_no: format!("1065412026050{:05}", 100 + i),
        school: school.into(),
        major: major.into(),
        degree,
        graduation_date: Date::new(if i % 5 == 4 { 2025 } else { 2026 }, 6, 30).expect("a date"),
        household_place: place,
        phone: format!("1{}{:09}", [3, 5, 8, 9][i % 4], 802_345_000 + i * 7_919),
        employment_status: EmploymentStatus::Unemployed,
        intentions: Intentions {
            job_types: format!("{major}相关工作"),
            industries: String::new(),
            places: "乐山市".into(),
            salary_min: Some(3500 + (i as i64 % 5) * 500),
            salary_max: None,
        },
        service_needs: match i % 3 {
            0 => vec![ServiceNeed::JobMatching],
            1 => vec![ServiceNeed::JobMatching, ServiceNeed::Training],
            _ => vec![ServiceNeed::Traineeship, ServiceNeed::Startup],
        },
        needs_note: String::new(),
    };
    save_profile(&state.settings.secret_key, me.id, &profile).await?;

    // Between one and forty days waiting, spread over the day.
    let waiting = (1 + (i as i64 * 11 + 3) % 40) * DAY + (i as i64 * 3_571) % DAY;
    let registration = submit(state, me, Kind::JobseekerRegistration, &registration_payload(&profile), place).await?;
    let mut later = None;
    match i % 6 {
        // Registered a while ago; now waiting for the certificate, or for incubation space.
        0 | 4 => {
            decide(state, registration, case_worker, &[(Action::StartReview, ""), (Action::Approve, "")]).await?;
            let (kind, payload) = if i % 6 == 0 {
                (Kind::EmploymentCertificate, serde_json::json!({}))
            } else {
                let project = format!("{major}方向的小微创业项目，三人团队，已有初步客户。");
                (Kind::Incubation, serde_json::json!({ "base_id": base.0, "base_name": base.1, "space": 20 + i as i64, "project": project }))
            };
            later = Some(submit(state, me, kind, &payload, place).await?);
        }
        2 => decide(state, registration, case_worker, &[(Action::StartReview, "")]).await?,
        3 => decide(state, registration, case_worker, &[(Action::RequestInfo, QUESTIONS[i / 6 % QUESTIONS.len()])]).await?,
        _ => {}
    }
    let mut conn = state.pool.acquire().await?;
    match later {
        Some(second) => {
            backdate(&mut conn, registration, waiting + 20 * DAY).await?;
            backdate(&mut conn, second, waiting).await?;
        }
        None => backdate(&mut conn, registration, waiting).await?,
    }
    drop(conn);

    // Every third graduate has been called: some lately (done), some long ago (due again).
    if i % 3 == 0 {
        let ago = if i % 2 == 0 { 5 + i as i64 % 9 } else { 45 + i as i64 } * DAY;
        let t = now();
        sqlx::query(
            "INSERT INTO follow_ups (graduate_id, case_worker_id, channel, contacted_at, outcome, intentions_update, created_at) \
             VALUES ($1, $2, $3, $4, $5, '', $6)",
        )
        .bind(me.id)
        .bind(case_worker.id)
        .bind(["phone", "wechat", "visit", "phone", "sms"][i / 3 % 5])
        .bind(t - ago)
        .bind(OUTCOMES[i / 3 % OUTCOMES.len()])
        .bind(t - ago)
        .execute(&state.pool)
        .await?;
    }
    // The demo employer has applicants at every stage of its pipeline.
    if i % 4 == 1 && !jobs.is_empty() {
        let moves: &[StageAction] = match i / 4 % 4 {
            0 => &[],
            1 => &[StageAction::Shortlist],
            2 => &[StageAction::Shortlist, StageAction::Interview],
            _ => &[StageAction::Reject],
        };
        apply_for_job(state, me, employer, jobs[i / 4 % jobs.len()], "", moves).await?;
    }
    Ok(())
}
