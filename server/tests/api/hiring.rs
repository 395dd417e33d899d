//! The applicant pipeline: applying once, the employer's moves with their emails and
//! notifications, the graduate's confirmation, and who may see and move whom.

use crate::applications::{graduate, resident_id, save_profile};
use crate::support::*;
use crate::vacancies::{employer, mine, post};
use app::error::AppError;
use app::hiring::{Applicants, JobApplication, Stage};
use app::jobseeker::profile::Profile;
use app::shared::values::EmploymentStatus;

on_both_databases!(
    a_graduate_applies_once_and_the_employer_moves_them_to_hired_with_an_email_and_a_notification_each_step,
    an_employer_sees_and_moves_only_its_own_applicants,
    a_withdrawn_application_stays_withdrawn_and_a_closed_vacancy_takes_no_applications,
    applying_eight_times_at_once_makes_one_application,
);

/// A verified employer with one published vacancy; returns the client and the vacancy's id.
async fn employer_with_vacancy(app: &TestApp, email: &str, title: &str) -> (reqwest::Client, String) {
    let c = employer(app, email, "乐山招聘测试有限公司", true).await;
    assert_eq!(post(app, &c, title, "负责日常账务处理，双休，五险一金。", &[]).await.status(), 200);
    let id = mine(app, &c).await.into_iter().find(|v| v.title == title).expect("the posting").id;
    (c, id.to_string())
}

async fn apply(app: &TestApp, c: &reqwest::Client, vacancy: &str, note: &str) -> reqwest::Response {
    app.call_as(c, "hiring/apply", &[("vacancy_id", vacancy), ("cover_note", note)]).await
}

async fn applicants(app: &TestApp, c: &reqwest::Client, vacancy: &str) -> Applicants {
    app.fetch_as(c, "hiring/applicants", &[("vacancy_id", vacancy)]).await
}

async fn mine_as_graduate(app: &TestApp, c: &reqwest::Client) -> Vec<JobApplication> {
    app.fetch_as(c, "hiring/mine", &[]).await
}

/// The employer's next move on the application's current version.
async fn step(app: &TestApp, c: &reqwest::Client, vacancy: &str, action: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let a = applicants(app, c, vacancy).await.applicants.remove(0);
    let (id, version) = (a.id.to_string(), a.progress.version.to_string());
    let mut form = vec![("id", id.as_str()), ("version", version.as_str()), ("action", action)];
    form.extend_from_slice(extra);
    app.call_as(c, "hiring/move", &form).await
}

async fn a_graduate_applies_once_and_the_employer_moves_them_to_hired_with_an_email_and_a_notification_each_step(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (boss, vacancy) = employer_with_vacancy(&app, "hr@example.com", "财务会计助理").await;
    let (g, _) = graduate(&app, "grad@example.com").await;

    let res = apply(&app, &g, &vacancy, "").await;
    assert_eq!(app_error(res).await, AppError::field("", "hiring.profile_needed"), "the employer would have nothing to read");
    assert_eq!(save_profile(&app, &g, &resident_id(31)).await.status(), 200);
    assert_eq!(apply(&app, &g, &vacancy, "我有初级会计证书。").await.status(), 200);
    let again = apply(&app, &g, &vacancy, "再投一次").await;
    assert_eq!(app_error(again).await, AppError::Conflict("hiring.already_applied".into()));

    // The employer reads what applying shares, with the ID number masked and the age only.
    let list = applicants(&app, &boss, &vacancy).await;
    assert_eq!(list.applicants.len(), 1);
    let a = &list.applicants[0];
    assert_eq!((a.progress.status, a.full_name.as_str(), a.progress.cover_note.as_str()), (Stage::Applied, "李明", "我有初级会计证书。"));
    assert!(!a.masked_id.contains(&resident_id(31)[6..17]) && a.birth_date.is_empty() && a.age > 0, "{a:?}");

    assert_eq!(step(&app, &boss, &vacancy, "shortlist", &[]).await.status(), 200);
    let res = step(&app, &boss, &vacancy, "interview", &[("interview_at", "下周"), ("interview_place", "")]).await;
    let error = app_error(res).await;
    assert_eq!(error.field_key("interview_at"), Some("hiring.interview_at_invalid"));
    assert_eq!(error.field_key("interview_place"), Some("validation.required"));
    let interview = [("interview_at", "2026-12-05T14:30"), ("interview_place", "乐山市市中区嘉州大道1号")];
    assert_eq!(step(&app, &boss, &vacancy, "interview", &interview).await.status(), 200);
    let (subject, body) = app.last_mail_to("grad@example.com").await.unwrap();
    assert!(subject.contains("财务会计助理") && subject.contains("面试"), "{subject}");
    assert!(body.contains("2026-12-05 14:30") && body.contains("嘉州大道1号"), "{body}");
    assert_eq!(step(&app, &boss, &vacancy, "hire", &[]).await.status(), 409, "no hire before an offer");
    assert_eq!(step(&app, &boss, &vacancy, "offer", &[]).await.status(), 200);
    assert_eq!(step(&app, &boss, &vacancy, "hire", &[("note", "12月10日到岗")]).await.status(), 200);
    let (subject, body) = app.last_mail_to("grad@example.com").await.unwrap();
    assert!(subject.contains("已录用") && body.contains("12月10日到岗"), "{subject} {body}");

    // One email, one notification and one timeline row per move (and one row for applying).
    let mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE to_addr = 'grad@example.com' AND subject LIKE '%财务会计助理%'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(mails, 4);
    let unread: i64 = app.fetch_as(&g, "notifications/unread", &[]).await;
    assert_eq!(unread, 4);
    let mut mine = mine_as_graduate(&app, &g).await;
    let hired = mine.remove(0);
    assert_eq!((hired.progress.status, hired.events.len()), (Stage::Hired, 5));
    assert_eq!(hired.progress.interview_place.as_deref(), Some("乐山市市中区嘉州大道1号"));

    // The graduate confirms, once, and is employed in their profile; a hire is not withdrawn.
    let respond = |response: &'static str, version: i64| {
        let (id, version) = (hired.id.to_string(), version.to_string());
        let (app, g) = (&app, &g);
        async move { app.call_as(g, "hiring/respond", &[("id", id.as_str()), ("version", version.as_str()), ("response", response)]).await }
    };
    assert_eq!(respond("withdraw", hired.progress.version).await.status(), 409);
    assert_eq!(respond("confirm", hired.progress.version).await.status(), 200);
    assert_eq!(respond("confirm", hired.progress.version + 1).await.status(), 409, "confirmed once");
    let profile: Option<Profile> = app.fetch_as(&g, "profile/get", &[]).await;
    assert_eq!(profile.unwrap().employment_status, EmploymentStatus::Employed);
    assert!(applicants(&app, &boss, &vacancy).await.applicants[0].progress.confirmed_at.is_some(), "the employer sees the confirmation");
}

async fn an_employer_sees_and_moves_only_its_own_applicants(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (a, vacancy) = employer_with_vacancy(&app, "a@example.com", "软件测试工程师").await;
    let b = employer(&app, "b@example.com", "另一家公司", true).await;
    let (g, _) = graduate(&app, "grad@example.com").await;
    save_profile(&app, &g, &resident_id(32)).await;
    assert_eq!(apply(&app, &g, &vacancy, "").await.status(), 200);
    let id = applicants(&app, &a, &vacancy).await.applicants[0].id.to_string();

    assert_eq!(app.call_as(&b, "hiring/applicants", &[("vacancy_id", &vacancy)]).await.status(), 404, "another employer's applicants do not exist for b");
    let moved = app.call_as(&b, "hiring/move", &[("id", &id), ("version", "1"), ("action", "reject"), ("note", "x")]).await;
    assert_eq!(moved.status(), 404);
    assert_eq!(app.call_as(&g, "hiring/move", &[("id", &id), ("version", "1"), ("action", "shortlist")]).await.status(), 403, "a graduate cannot act as the employer");
    assert_eq!(app.call_as(&g, "hiring/applicants", &[("vacancy_id", &vacancy)]).await.status(), 403);
    let withdraw_as_employer = app.call_as(&a, "hiring/move", &[("id", &id), ("version", "1"), ("action", "withdraw")]).await;
    assert_eq!(withdraw_as_employer.status(), 422, "withdrawing is the graduate's own");
    let stale = app.call_as(&a, "hiring/move", &[("id", &id), ("version", "7"), ("action", "shortlist")]).await;
    assert_eq!(app_error(stale).await, AppError::Conflict("application.stale".into()));
    assert_eq!(applicants(&app, &a, &vacancy).await.applicants[0].progress.status, Stage::Applied, "nothing moved");
}

async fn a_withdrawn_application_stays_withdrawn_and_a_closed_vacancy_takes_no_applications(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (boss, vacancy) = employer_with_vacancy(&app, "hr@example.com", "行政专员").await;
    let (g, _) = graduate(&app, "grad@example.com").await;
    save_profile(&app, &g, &resident_id(33)).await;
    assert_eq!(apply(&app, &g, &vacancy, "").await.status(), 200);
    let a = mine_as_graduate(&app, &g).await.remove(0);
    let form = [("id", a.id.to_string()), ("version", a.progress.version.to_string()), ("response", "withdraw".to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call_as(&g, "hiring/respond", &form).await.status(), 200);
    assert_eq!(mine_as_graduate(&app, &g).await[0].progress.status, Stage::Withdrawn);
    assert_eq!(step(&app, &boss, &vacancy, "shortlist", &[]).await.status(), 409, "a withdrawn application is closed");
    assert_eq!(app.fetch_as::<i64>(&g, "notifications/unread", &[]).await, 0, "the graduate is not told of their own move");

    let posting = mine(&app, &boss).await.remove(0);
    let closed = app.call_as(&boss, "vacancies/close", &[("id", &vacancy), ("version", &posting.version.to_string())]).await;
    assert_eq!(closed.status(), 200);
    let (late, _) = graduate(&app, "late@example.com").await;
    save_profile(&app, &late, &resident_id(34)).await;
    assert_eq!(app_error(apply(&app, &late, &vacancy, "").await).await, AppError::Conflict("hiring.vacancy_closed".into()));
}

async fn applying_eight_times_at_once_makes_one_application(db: Db) {
    let app = spawn_app(db).await;
    let (boss, vacancy) = employer_with_vacancy(&app, "hr@example.com", "出纳").await;
    let (g, _) = graduate(&app, "grad@example.com").await;
    save_profile(&app, &g, &resident_id(35)).await;
    let answers = futures::future::join_all((0..8).map(|_| apply(&app, &g, &vacancy, ""))).await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409, 409, 409, 409, 409, 409, 409]);
    assert_eq!(applicants(&app, &boss, &vacancy).await.applicants.len(), 1);
}
