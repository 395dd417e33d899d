//! Youth traineeships through HTTP on both databases: seats under a crowd of simultaneous
//! sign-ups, bases, eligibility, the base's decisions (and who may not take them), early
//! termination and completion, and the subsidy the case workers see.

use crate::applications::{graduate, resident_id, save_profile};
use crate::fairs::crowd;
use crate::support::*;
use crate::vacancies::{employer, mine, post};
use app::account::Role;
use app::applications::model::{Kind, Status};
use app::applications::{ApplicationDetail, ApplicationRow};
use app::error::AppError;
use app::traineeship::{BaseOverview, Outcome, StaffOverview, TraineeshipLine};

on_both_databases!(
    two_hundred_graduates_signing_up_at_once_for_ten_seats_get_exactly_ten_and_the_rest_are_told_it_is_full,
    only_a_bases_traineeship_positions_take_sign_ups,
    an_ineligible_graduate_is_refused_with_the_rule_that_failed,
    only_the_base_accepts_or_declines_and_a_decline_gives_the_seat_back,
    early_termination_and_completion_are_recorded_and_the_subsidy_follows_the_formula,
);

/// A verified employer with a published traineeship position of `seats` seats (6 months, 1 800
/// yuan a month); returns its signed-in client, the employer's id and the position's id.
pub(crate) async fn position(app: &TestApp, email: &str, name: &str, seats: &str) -> (reqwest::Client, i64, i64) {
    let c = employer(app, email, name, true).await;
    let res = post(app, &c, "行政助理见习岗", "协助办公室日常事务，见习期间有带教老师指导。", &[
        ("kind", "traineeship"),
        ("seats", seats),
        ("period_months", "6"),
        ("stipend", "1800"),
    ])
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let v = mine(app, &c).await.into_iter().next().expect("the position");
    (c, v.employer_id, v.id)
}

/// A case worker makes the employer a base.
pub(crate) async fn make_base(app: &TestApp, cw: &reqwest::Client, employer_id: i64) {
    let res = app.call_as(cw, "traineeship/set_base", &[("employer_id", &employer_id.to_string()), ("base", "on")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

/// A graduate with a saved profile (unemployed, left school this year), signed in.
async fn ready_graduate(app: &TestApp, email: &str, seq: u32) -> (reqwest::Client, i64) {
    let (c, id) = graduate(app, email).await;
    assert_eq!(save_profile(app, &c, &resident_id(seq)).await.status(), 200);
    (c, id)
}

/// Gives `to` a copy of `from`'s saved profile, with an ID number hash of its own (two profiles
/// may not hold one number): a crowd of eligible graduates without a form post each.
pub(crate) async fn copy_profile(app: &TestApp, from: i64, to: i64) {
    sqlx::query(
        "INSERT INTO profiles (user_id, full_name, resident_id_enc, resident_id_hash, resident_id_masked, birth_date, gender, \
           graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions, \
           service_needs, needs_note, updated_at) \
         SELECT $1, full_name, resident_id_enc, resident_id_hash || '-' || $2, resident_id_masked, birth_date, gender, \
           graduation_cert_no, school, major, degree, graduation_date, household_place, phone, employment_status, intentions, \
           service_needs, needs_note, updated_at FROM profiles WHERE user_id = $3",
    )
    .bind(to)
    .bind(to.to_string())
    .bind(from)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn sign_up(app: &TestApp, c: &reqwest::Client, vacancy: i64) -> reqwest::Response {
    app.call_as(c, "traineeship/sign_up", &[("vacancy_id", &vacancy.to_string())]).await
}

async fn seats_taken(app: &TestApp, vacancy: i64) -> i64 {
    sqlx::query_scalar("SELECT seats_taken FROM vacancies WHERE id = $1").bind(vacancy).fetch_one(&app.pool).await.unwrap()
}

async fn base_lines(app: &TestApp, c: &reqwest::Client) -> Vec<TraineeshipLine> {
    let o: BaseOverview = app.fetch_as(c, "traineeship/base", &[]).await;
    o.traineeships
}

/// The base's line for one graduate's sign-up.
async fn line_of(app: &TestApp, base: &reqwest::Client, applicant: i64) -> TraineeshipLine {
    base_lines(app, base).await.into_iter().find(|l| l.traineeship.applicant_id == applicant).expect("the sign-up is on the base's list")
}

async fn decide(app: &TestApp, c: &reqwest::Client, l: &TraineeshipLine, decision: &str, starts_on: &str, reason: &str) -> reqwest::Response {
    let t = &l.traineeship;
    app.call_as(
        c,
        "traineeship/decide",
        &[
            ("application_id", &t.application_id.to_string()),
            ("version", &t.version.to_string()),
            ("decision", decision),
            ("starts_on", starts_on),
            ("reason", reason),
        ],
    )
    .await
}

async fn finish(app: &TestApp, c: &reqwest::Client, l: &TraineeshipLine, outcome: &str, ended_on: &str, reason: &str) -> reqwest::Response {
    let t = &l.traineeship;
    app.call_as(
        c,
        "traineeship/finish",
        &[
            ("application_id", &t.application_id.to_string()),
            ("version", &t.version.to_string()),
            ("outcome", outcome),
            ("ended_on", ended_on),
            ("reason", reason),
        ],
    )
    .await
}

fn today() -> String {
    app::ssr::today()
}

async fn two_hundred_graduates_signing_up_at_once_for_ten_seats_get_exactly_ten_and_the_rest_are_told_it_is_full(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let (base, employer_id, vacancy) = position(&app, "hr@example.com", "乐山见习基地公司", "10").await;
    make_base(&app, &cw, employer_id).await;
    let graduates = crowd(&app, "grad", 200, Role::Graduate).await;
    // One profile saved through the form, copied to the others with their own ID number hash.
    assert_eq!(save_profile(&app, &graduates[0].0, &resident_id(1)).await.status(), 200);
    for (_, id) in &graduates[1..] {
        copy_profile(&app, graduates[0].1, *id).await;
    }

    let calls = graduates.iter().map(|(c, _)| {
        let app = &app;
        async move {
            let res = sign_up(app, c, vacancy).await;
            match res.status().as_u16() {
                200 => (200, None),
                status => (status, Some(app_error(res).await)),
            }
        }
    });
    let answers = futures::future::join_all(calls).await;

    let signed = answers.iter().filter(|(s, _)| *s == 200).count();
    let full = answers.iter().filter(|(s, e)| *s == 409 && *e == Some(AppError::Conflict("traineeship.full".into()))).count();
    assert!(answers.iter().all(|(s, _)| *s < 500), "no server error: {answers:?}");
    assert_eq!((signed, full), (10, 190), "ten seats held, everyone else told it is full: {answers:?}");
    assert_eq!(seats_taken(&app, vacancy).await, 10);
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE kind = 'traineeship'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(rows, 10, "a refused sign-up left no application behind");

    // The base accepts all ten: every one holds a seat, so none is refused for room.
    let lines = base_lines(&app, &base).await;
    assert_eq!(lines.len(), 10);
    for l in &lines {
        let res = decide(&app, &base, l, "accept", &today(), "").await;
        assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    }
    let accepted = base_lines(&app, &base).await.iter().filter(|l| l.traineeship.status == Status::Approved).count();
    assert_eq!((accepted, seats_taken(&app, vacancy).await), (10, 10), "exactly ten accepted, never more than the seats");
}

async fn only_a_bases_traineeship_positions_take_sign_ups(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let (_, employer_id, vacancy) = position(&app, "hr@example.com", "乐山见习基地公司", "5").await;
    let (g1, _) = ready_graduate(&app, "g1@example.com", 1).await;
    let (g2, _) = ready_graduate(&app, "g2@example.com", 2).await;

    assert_eq!(app_error(sign_up(&app, &g1, vacancy).await).await, AppError::Conflict("traineeship.not_a_base".into()));
    let state: app::traineeship::SignUpState = app.fetch_as(&g1, "traineeship/state", &[("vacancy_id", &vacancy.to_string())]).await;
    assert_eq!(state, app::traineeship::SignUpState::NotBase, "the position's page says why it takes no sign-ups");

    // A job, even a base's, takes applications, not sign-ups.
    let job_employer = employer(&app, "jobs@example.com", "乐山招聘公司", true).await;
    assert_eq!(post(&app, &job_employer, "会计", "负责日常账务处理。", &[]).await.status(), 200);
    let job = mine(&app, &job_employer).await[0].id;
    assert_eq!(app_error(sign_up(&app, &g1, job).await).await, AppError::Conflict("traineeship.not_a_position".into()));
    // And a traineeship position takes sign-ups, not job applications.
    let res = app.call_as(&g1, "hiring/apply", &[("vacancy_id", &vacancy.to_string()), ("cover_note", "")]).await;
    assert_eq!(app_error(res).await, AppError::Conflict("hiring.traineeship_signs_up".into()));

    // An unverified employer cannot be a base; a graduate or an employer cannot flag one.
    let unverified = employer(&app, "new@example.com", "未认证公司", false).await;
    let unverified_id: i64 = sqlx::query_scalar("SELECT id FROM employers WHERE name = '未认证公司'").fetch_one(&app.pool).await.unwrap();
    let res = app.call_as(&cw, "traineeship/set_base", &[("employer_id", &unverified_id.to_string()), ("base", "on")]).await;
    assert_eq!(app_error(res).await, AppError::Conflict("traineeship.base_not_verified".into()));
    for c in [&g1, &unverified] {
        let res = app.call_as(c, "traineeship/set_base", &[("employer_id", &employer_id.to_string()), ("base", "on")]).await;
        assert_eq!(res.status(), 403);
    }

    // Without JavaScript a refusal goes back to the position's page, which shows the message.
    let res = app.post_plain_as(&g1, "traineeship/sign_up", &format!("/vacancies/{vacancy}"), &[("vacancy_id", &vacancy.to_string())]).await;
    assert_eq!(res.status(), 303);
    assert!(res.headers()["location"].to_str().unwrap().starts_with(&format!("/vacancies/{vacancy}")));

    make_base(&app, &cw, employer_id).await;
    let res = app.post_plain_as(&g1, "traineeship/sign_up", &format!("/vacancies/{vacancy}"), &[("vacancy_id", &vacancy.to_string())]).await;
    assert_eq!(res.status(), 302, "a plain form post signs up too");
    assert_eq!(res.headers()["location"], format!("/vacancies/{vacancy}?notice=traineeship_signed_up").as_str());
    // Withdrawing gives the seat back; signing up again takes it.
    let mine: Vec<ApplicationRow> = app.fetch_as(&g1, "applications/mine", &[]).await;
    let (id, version) = (mine[0].id.to_string(), mine[0].version.to_string());
    let res = app.call_as(&g1, "applications/act", &[("application_id", &id), ("version", &version), ("action", "withdraw")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    assert_eq!(seats_taken(&app, vacancy).await, 0);
    assert_eq!(sign_up(&app, &g1, vacancy).await.status(), 200);
    let flagged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'traineeship:base_flagged'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(flagged, 1, "the flag is in the audit log");

    let res = app.call_as(&cw, "traineeship/set_base", &[("employer_id", &employer_id.to_string()), ("base", "off")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app_error(sign_up(&app, &g2, vacancy).await).await, AppError::Conflict("traineeship.not_a_base".into()));
    assert_eq!(seats_taken(&app, vacancy).await, 1, "the sign-up made while it was a base keeps its seat");
}

async fn an_ineligible_graduate_is_refused_with_the_rule_that_failed(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let (_, employer_id, vacancy) = position(&app, "hr@example.com", "乐山见习基地公司", "5").await;
    make_base(&app, &cw, employer_id).await;

    let refusal = |res: reqwest::Response| async move { app_error(res).await.field_key("").map(str::to_string) };

    let (employed, employed_id) = ready_graduate(&app, "employed@example.com", 1).await;
    sqlx::query("UPDATE profiles SET employment_status = 'employed' WHERE user_id = $1").bind(employed_id).execute(&app.pool).await.unwrap();
    assert_eq!(refusal(sign_up(&app, &employed, vacancy).await).await.as_deref(), Some("rule.unemployed"));

    // Left school nine years ago and 30 years old: outside both windows.
    let (older, older_id) = ready_graduate(&app, "older@example.com", 2).await;
    sqlx::query("UPDATE profiles SET birth_date = '1996-03-01', graduation_date = '2017-06-30' WHERE user_id = $1")
        .bind(older_id)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(refusal(sign_up(&app, &older, vacancy).await).await.as_deref(), Some("rule.traineeship_window"));

    let (no_profile, _) = graduate(&app, "new@example.com").await;
    assert_eq!(refusal(sign_up(&app, &no_profile, vacancy).await).await.as_deref(), Some("rule.profile_complete"));

    // Once signed up, a second sign-up (for any position) is refused by the rule.
    let (ok, _) = ready_graduate(&app, "ok@example.com", 3).await;
    let res = app.call_as(&ok, "applications/apply", &[("kind", "traineeship")]).await;
    assert_eq!(refusal(res).await.as_deref(), Some("traineeship.sign_up_on_a_position"), "a sign-up needs a position");
    assert_eq!(sign_up(&app, &ok, vacancy).await.status(), 200);
    assert_eq!(refusal(sign_up(&app, &ok, vacancy).await).await.as_deref(), Some("rule.not_already_trainee"));
    assert_eq!(seats_taken(&app, vacancy).await, 1, "refusals hold no seat");

    // "What can I apply for" lists the traineeship as open, with its rules.
    let list: Vec<app::applications::eligibility::Eligibility> = app.fetch_as(&employed, "applications/eligibility", &[]).await;
    let traineeship = list.iter().find(|e| e.kind == Kind::Traineeship).unwrap();
    assert_eq!(traineeship.first_failure().unwrap().key, "rule.unemployed");
    assert!(app::services::service(Kind::Traineeship).open);
}

async fn only_the_base_accepts_or_declines_and_a_decline_gives_the_seat_back(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let (base, employer_id, vacancy) = position(&app, "hr@example.com", "乐山见习基地公司", "1").await;
    make_base(&app, &cw, employer_id).await;
    let other_employer = employer(&app, "other@example.com", "另一家公司", true).await;
    let (g1, g1_id) = ready_graduate(&app, "g1@example.com", 1).await;
    let (g2, g2_id) = ready_graduate(&app, "g2@example.com", 2).await;

    assert_eq!(sign_up(&app, &g1, vacancy).await.status(), 200);
    assert_eq!(app_error(sign_up(&app, &g2, vacancy).await).await, AppError::Conflict("traineeship.full".into()), "one seat");
    let l = line_of(&app, &base, g1_id).await;

    // The graduate cannot accept their own sign-up; another employer cannot see it.
    assert_eq!(decide(&app, &g1, &l, "accept", &today(), "").await.status(), 403);
    assert_eq!(app_error(decide(&app, &other_employer, &l, "accept", &today(), "").await).await, AppError::NotFound);
    assert_eq!(app_error(finish(&app, &other_employer, &l, "completed", &today(), "").await).await, AppError::NotFound);
    let others: BaseOverview = app.fetch_as(&other_employer, "traineeship/base", &[]).await;
    assert!(others.traineeships.is_empty() && !others.is_base);

    // Declining needs a reason; with one, the graduate is told it and the seat is free again.
    let e = app_error(decide(&app, &base, &l, "decline", "", "  ").await).await;
    assert_eq!(e.field_key("reason"), Some("validation.required"));
    assert_eq!(decide(&app, &base, &l, "decline", "", "本期名额已满足专业要求").await.status(), 200);
    assert_eq!(seats_taken(&app, vacancy).await, 0);
    let mine: Vec<ApplicationRow> = app.fetch_as(&g1, "applications/mine", &[]).await;
    assert_eq!((mine[0].kind, mine[0].status), (Kind::Traineeship, Status::Rejected), "the graduate sees it in My services");
    let (_, body) = app.last_mail_to("g1@example.com").await.expect("an email about the decision");
    assert!(body.contains("本期名额已满足专业要求"), "the email gives the reason: {body}");

    // The freed seat goes to the next graduate, whom the base accepts from a chosen day.
    assert_eq!(sign_up(&app, &g2, vacancy).await.status(), 200);
    let l2 = line_of(&app, &base, g2_id).await;
    let e = app_error(decide(&app, &base, &l2, "accept", "2026-02-30", "").await).await;
    assert!(e.field_key("starts_on").is_some(), "an impossible day is refused on its field: {e:?}");
    let start = app::shared::time::Date::parse(&today()).unwrap();
    assert_eq!(decide(&app, &base, &l2, "accept", &today(), "").await.status(), 200);
    let t = line_of(&app, &base, g2_id).await.traineeship;
    assert_eq!(t.status, Status::Approved);
    assert_eq!(t.starts_on.as_deref(), Some(today().as_str()));
    assert_eq!(t.ends_on, Some(app::traineeship::last_day(start, 6).to_string()), "six months from the first day");
    let (subject, _) = app.last_mail_to("g2@example.com").await.expect("an email about the acceptance");
    assert!(!subject.is_empty());
    // A decision on a stale version is refused, not applied twice.
    assert_eq!(app_error(decide(&app, &base, &l2, "decline", "", "改变主意").await).await, AppError::Conflict("application.stale".into()));
}

async fn early_termination_and_completion_are_recorded_and_the_subsidy_follows_the_formula(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let (base, employer_id, vacancy) = position(&app, "hr@example.com", "乐山见习基地公司", "5").await;
    make_base(&app, &cw, employer_id).await;
    let (g1, g1_id) = ready_graduate(&app, "g1@example.com", 1).await;
    let (g2, g2_id) = ready_graduate(&app, "g2@example.com", 2).await;
    for (c, id) in [(&g1, g1_id), (&g2, g2_id)] {
        assert_eq!(sign_up(&app, c, vacancy).await.status(), 200);
        let l = line_of(&app, &base, id).await;
        assert_eq!(decide(&app, &base, &l, "accept", &today(), "").await.status(), 200);
    }
    // Both began on 1 January (the form takes a day at most a month back).
    sqlx::query("UPDATE traineeships SET starts_on = '2026-01-01', ends_on = '2026-06-30'").execute(&app.pool).await.unwrap();

    // Ended early: the reason is required, and the last day cannot precede the first.
    let l1 = line_of(&app, &base, g1_id).await;
    let e = app_error(finish(&app, &base, &l1, "terminated", "2026-03-31", "").await).await;
    assert_eq!(e.field_key("reason"), Some("validation.required"));
    let e = app_error(finish(&app, &base, &l1, "terminated", "2025-12-31", "找到正式工作").await).await;
    assert_eq!(e.field_key("ended_on"), Some("traineeship.end_before_start"));
    assert_eq!(app_error(finish(&app, &g1, &l1, "completed", "2026-06-30", "").await).await, AppError::Forbidden, "not the trainee");
    assert_eq!(finish(&app, &base, &l1, "terminated", "2026-03-31", "找到正式工作").await.status(), 200);

    // Completed, recorded by a case worker.
    let l2 = line_of(&app, &base, g2_id).await;
    assert_eq!(finish(&app, &cw, &l2, "completed", "2026-06-30", "").await.status(), 200);
    assert_eq!(seats_taken(&app, vacancy).await, 0, "finished traineeships give their seats back");

    let staff: StaffOverview = app.fetch_as(&cw, "traineeship/staff", &[]).await;
    let of = |id: i64| staff.traineeships.iter().find(|l| l.traineeship.applicant_id == id).unwrap().clone();
    let (t1, t2) = (of(g1_id), of(g2_id));
    assert_eq!((t1.traineeship.status, t1.traineeship.outcome), (Status::Completed, Some(Outcome::Terminated)));
    assert_eq!(t1.traineeship.termination_reason, "找到正式工作");
    assert_eq!((t2.traineeship.status, t2.traineeship.outcome), (Status::Completed, Some(Outcome::Completed)));
    // 70 % of the 1 970-yuan minimum wage is 1 379.00 yuan a month: three whole months to 31
    // March, six to 30 June.
    let s1 = t1.subsidy.expect("a subsidy for the terminated traineeship");
    assert_eq!((s1.monthly_fen, s1.months_paid, s1.total_fen), (137_900, 3, 413_700));
    let s2 = t2.subsidy.expect("a subsidy for the completed traineeship");
    assert_eq!((s2.months_paid, s2.total_fen), (6, 827_400));
    assert_eq!(app::traineeship::yuan_text(s2.total_fen), "8,274.00");

    // The same figure on the application's panel for staff, and the graduate follows it there.
    let detail: ApplicationDetail = app.fetch_as(&cw, "applications/detail", &[("reference", &t2.traineeship.reference)]).await;
    let panel: TraineeshipLine = serde_json::from_value(detail.panel.expect("the traineeship panel")).unwrap();
    assert_eq!(panel.subsidy.unwrap().total_fen, 827_400);
    let mine: ApplicationDetail = app.fetch_as(&g2, "applications/detail", &[("reference", &t2.traineeship.reference)]).await;
    assert_eq!(mine.application.status, Status::Completed);
    let (status, page) = app.page(&format!("/vacancies/{vacancy}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("见习报名"), "the position's page has the sign-up panel");
}
