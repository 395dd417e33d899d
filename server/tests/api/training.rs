//! Training through HTTP on both databases: seats under a crowd of simultaneous enrollments,
//! cancelling, who records results, and the training subsidy: claimed only on a passed,
//! eligible enrollment, once, for the amount the parameters give, and approved on the engine.

use crate::applications::{resident_id, save_profile};
use crate::fairs::crowd;
use crate::support::*;
use app::account::Role;
use app::applications::model::Status;
use app::applications::ApplicationDetail;
use app::error::AppError;
use app::shared::time::Date;
use app::training::service::SubsidyClaim;
use app::training::{MyEnrollment, ProgrammePage, TrainingResult, Viewer};

on_both_databases!(
    a_hundred_graduates_racing_for_ten_seats_get_exactly_ten,
    cancelling_frees_the_seat_and_a_graduate_enrolls_once,
    only_case_workers_record_results,
    the_subsidy_is_claimed_once_on_a_passed_eligible_course_for_the_computed_amount_and_approved,
    a_rejected_claim_frees_the_course_for_a_new_claim,
    bad_programme_input_is_refused_per_field_and_seats_cannot_drop_below_the_enrolled,
);

fn day(offset: i64) -> String {
    Date::from_days(Date::today_from_unix(app::ssr::now()).days_from_epoch() + offset).to_string()
}

/// An institution made through the case workers' form; returns its id.
async fn institution(app: &TestApp, cw: &reqwest::Client, name: &str) -> i64 {
    let res = app.call_as(cw, "training/institution", &[("name", name), ("address", "乐山市市中区"), ("contact", "王老师 0833-1234567")]).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query_scalar("SELECT id FROM training_institutions WHERE name = $1").bind(name).fetch_one(&app.pool).await.unwrap()
}

/// A programme made through the case workers' form; returns its id.
async fn programme(app: &TestApp, cw: &reqwest::Client, title: &str, seats: &str, level: &str, fee: &str, eligible: bool) -> i64 {
    let inst = institution(app, cw, &format!("{title}培训学校")).await.to_string();
    let (starts, ends) = (day(10), day(40));
    let mut form = vec![
        ("institution_id", inst.as_str()),
        ("title", title),
        ("occupation", "电工"),
        ("level", level),
        ("kind", "skills"),
        ("description", "低压电工作业，理论与实操。"),
        ("starts_on", &starts),
        ("ends_on", &ends),
        ("seats", seats),
        ("place", "shizhong"),
        ("venue", "乐山市市中区职教路 1 号"),
        ("fee", fee),
    ];
    if eligible {
        form.push(("subsidy_eligible", "on"));
    }
    let res = app.call_as(cw, "training/save", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    sqlx::query_scalar("SELECT id FROM training_programmes WHERE title = $1").bind(title).fetch_one(&app.pool).await.unwrap()
}

async fn seats_taken(app: &TestApp, programme: i64) -> i64 {
    sqlx::query_scalar("SELECT seats_taken FROM training_programmes WHERE id = $1").bind(programme).fetch_one(&app.pool).await.unwrap()
}

async fn enrollment_of(app: &TestApp, programme: i64, graduate: i64) -> i64 {
    sqlx::query_scalar("SELECT id FROM training_enrollments WHERE programme_id = $1 AND graduate_id = $2")
        .bind(programme)
        .bind(graduate)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn record(app: &TestApp, c: &reqwest::Client, enrollment: i64, result: &str, number: &str) -> reqwest::Response {
    app.call_as(c, "training/result", &[("enrollment_id", &enrollment.to_string()), ("result", result), ("certificate_number", number)]).await
}

async fn claim(app: &TestApp, c: &reqwest::Client, enrollment: i64) -> reqwest::Response {
    app.call_as(c, "training/claim", &[("enrollment_id", &enrollment.to_string())]).await
}

/// A graduate with a saved profile, signed in.
async fn graduate_with_profile(app: &TestApp, email: &str, seq: u32) -> (reqwest::Client, i64) {
    let (c, id) = app.signed_in(email, Role::Graduate).await;
    assert_eq!(save_profile(app, &c, &resident_id(seq)).await.status(), 200);
    (c, id)
}

async fn a_hundred_graduates_racing_for_ten_seats_get_exactly_ten(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let id = programme(&app, &cw, "低压电工", "10", "basic", "800", true).await;
    let graduates = crowd(&app, "grad", 100, Role::Graduate).await;

    let pid = id.to_string();
    let answers = futures::future::join_all(graduates.iter().map(|(c, _)| {
        let pid = pid.clone();
        let app = &app;
        async move {
            let res = app.call_as(c, "training/enroll", &[("programme_id", &pid)]).await;
            match res.status().as_u16() {
                200 => (200, None),
                status => (status, Some(app_error(res).await)),
            }
        }
    }))
    .await;

    assert!(answers.iter().all(|(s, _)| *s < 500), "no server error: {answers:?}");
    let enrolled = answers.iter().filter(|(s, _)| *s == 200).count();
    let full = answers.iter().filter(|(s, e)| *s == 409 && *e == Some(AppError::Conflict("training.full".into()))).count();
    assert_eq!((enrolled, full), (10, 90), "exactly the ten seats are taken, everyone else is told it is full: {answers:?}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM training_enrollments WHERE programme_id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    assert_eq!((rows, seats_taken(&app, id).await), (10, 10), "the refused enrollments left no row behind");
}

async fn cancelling_frees_the_seat_and_a_graduate_enrolls_once(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let id = programme(&app, &cw, "育婴员", "1", "basic", "0", false).await;
    let pid = id.to_string();
    let (a, _) = app.signed_in("a@example.com", Role::Graduate).await;
    let (b, _) = app.signed_in("b@example.com", Role::Graduate).await;

    assert_eq!(app.call_as(&a, "training/enroll", &[("programme_id", &pid)]).await.status(), 200);
    let twice = app.call_as(&a, "training/enroll", &[("programme_id", &pid)]).await;
    assert_eq!(app_error(twice).await, AppError::Conflict("training.already_enrolled".into()));
    let full = app.call_as(&b, "training/enroll", &[("programme_id", &pid)]).await;
    assert_eq!(app_error(full).await, AppError::Conflict("training.full".into()));
    let page: ProgrammePage = app.fetch_as(&a, "training/page", &[("id", &pid)]).await;
    assert_eq!(page.viewer, Viewer::Graduate { enrolled: true });

    assert_eq!(app.call_as(&a, "training/cancel", &[("programme_id", &pid)]).await.status(), 200);
    assert_eq!(seats_taken(&app, id).await, 0, "cancelling gives the seat back");
    let again = app.call_as(&a, "training/cancel", &[("programme_id", &pid)]).await;
    assert_eq!(app_error(again).await, AppError::Conflict("training.not_enrolled".into()), "nothing is given back twice");
    assert_eq!(seats_taken(&app, id).await, 0);
    assert_eq!(app.call_as(&b, "training/enroll", &[("programme_id", &pid)]).await.status(), 200, "the freed seat can be taken");

    // The public list and page, for anyone.
    let list: Vec<app::training::Programme> = app.fetch("training/list", &[]).await;
    assert_eq!(list.iter().map(|p| (p.id, p.seats_taken)).collect::<Vec<_>>(), [(id, 1)]);
    let page: ProgrammePage = app.fetch_as(&client(), "training/page", &[("id", &pid)]).await;
    assert_eq!((page.viewer, page.open), (Viewer::Anyone, true));
    let (status, html) = app.page(&format!("/training/{id}")).await;
    assert!(status == 200 && html.contains("育婴员"), "the page renders without JavaScript");
}

async fn only_case_workers_record_results(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let id = programme(&app, &cw, "中式烹调师", "5", "intermediate", "1800", true).await;
    let (g, gid) = app.signed_in("g@example.com", Role::Graduate).await;
    assert_eq!(app.call_as(&g, "training/enroll", &[("programme_id", &id.to_string())]).await.status(), 200);
    let enrollment = enrollment_of(&app, id, gid).await;

    let own = record(&app, &g, enrollment, "passed", "S000012345").await;
    assert_eq!(own.status(), 403, "a graduate cannot mark their own course passed");
    let (employer, _) = app.signed_in("hr@example.com", Role::Employer).await;
    assert_eq!(record(&app, &employer, enrollment, "passed", "S000012345").await.status(), 403);
    let result: String = sqlx::query_scalar("SELECT result FROM training_enrollments WHERE id = $1").bind(enrollment).fetch_one(&app.pool).await.unwrap();
    assert_eq!(result, "pending");

    let no_number = record(&app, &cw, enrollment, "passed", " ").await;
    assert_eq!(app_error(no_number).await.field_key("certificate_number"), Some("validation.required"), "a pass needs its certificate");
    assert_eq!(app_error(record(&app, &cw, enrollment, "pending", "").await).await.field_key("result"), Some("validation.choose_one"));
    assert_eq!(record(&app, &cw, enrollment, "failed", "ignored").await.status(), 200);
    let (subject, _) = app.last_mail_to("g@example.com").await.expect("the result is emailed");
    assert!(subject.contains("中式烹调师"), "{subject}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'training:result_recorded' AND target = $1")
        .bind(format!("training_enrollment:{enrollment}"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1, "the recorded result, and only it, is in the audit log");
    let mine: Vec<MyEnrollment> = app.fetch_as(&g, "training/mine", &[]).await;
    assert_eq!((mine[0].result, mine[0].certificate_number.as_str(), mine[0].can_cancel), (TrainingResult::Failed, "", false));
    let cancel = app.call_as(&g, "training/cancel", &[("programme_id", &id.to_string())]).await;
    assert_eq!(app_error(cancel).await, AppError::Conflict("training.not_enrolled".into()), "a result keeps the enrollment");
}

async fn the_subsidy_is_claimed_once_on_a_passed_eligible_course_for_the_computed_amount_and_approved(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    // 1 800 yuan paid for an intermediate certificate, capped at the seeded 1 500 yuan.
    let eligible = programme(&app, &cw, "中式面点师", "5", "intermediate", "1800", true).await;
    let not_eligible = programme(&app, &cw, "茶艺师", "5", "basic", "600", false).await;
    let (g, gid) = graduate_with_profile(&app, "g@example.com", 1).await;
    for id in [eligible, not_eligible] {
        assert_eq!(app.call_as(&g, "training/enroll", &[("programme_id", &id.to_string())]).await.status(), 200);
    }
    let (e1, e2) = (enrollment_of(&app, eligible, gid).await, enrollment_of(&app, not_eligible, gid).await);

    assert_eq!(app_error(claim(&app, &g, e1).await).await, AppError::Conflict("training.not_passed".into()), "no claim before a pass");
    assert_eq!(record(&app, &cw, e2, "passed", "S0002").await.status(), 200);
    assert_eq!(app_error(claim(&app, &g, e2).await).await, AppError::Conflict("training.not_subsidy_eligible".into()));
    assert_eq!(record(&app, &cw, e1, "passed", "S0001").await.status(), 200);
    let (subject, body) = app.last_mail_to("g@example.com").await.expect("the result is emailed");
    assert!(subject.contains("中式面点师") && body.contains("S0001"), "{subject}\n{body}");

    // Shown before submission: the amount and its parts.
    let mine: Vec<MyEnrollment> = app.fetch_as(&g, "training/mine", &[]).await;
    let shown = mine.iter().find(|m| m.id == e1).unwrap().claimable.clone().expect("claimable");
    assert_eq!((shown.fee_fen, shown.cap_fen, shown.amount_fen), (180_000, 150_000, 150_000));
    assert!(mine.iter().find(|m| m.id == e2).unwrap().claimable.is_none());

    // Someone else cannot claim on this enrollment.
    let (other, _) = graduate_with_profile(&app, "other@example.com", 2).await;
    assert_eq!(claim(&app, &other, e1).await.status(), 404);

    assert_eq!(claim(&app, &g, e1).await.status(), 200);
    let again = claim(&app, &g, e1).await;
    assert_eq!(app_error(again).await, AppError::Conflict("training.already_claimed".into()), "one claim per enrollment");
    let claims: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE kind = 'training_subsidy'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(claims, 1);
    let changed = record(&app, &cw, e1, "failed", "").await;
    assert_eq!(app_error(changed).await, AppError::Conflict("training.already_claimed".into()), "a claimed result stands");

    // The case worker sees the claim with its amount, and approves it: the engine's end.
    let reference: String = sqlx::query_scalar("SELECT reference FROM applications WHERE applicant_id = $1").bind(gid).fetch_one(&app.pool).await.unwrap();
    let d: ApplicationDetail = app.fetch_as(&cw, "applications/detail", &[("reference", &reference)]).await;
    let panel: SubsidyClaim = serde_json::from_value(d.panel.clone().expect("the claim's panel")).unwrap();
    assert_eq!((panel.enrollment_id, panel.certificate_number.as_str(), panel.subsidy.amount_fen), (e1, "S0001", 150_000));
    let approve = app
        .call_as(&cw, "applications/act", &[("application_id", &d.application.id.to_string()), ("version", &d.application.version.to_string()), ("action", "approve")])
        .await;
    assert_eq!(approve.status(), 200);
    let d: ApplicationDetail = app.fetch_as(&g, "applications/detail", &[("reference", &reference)]).await;
    assert_eq!(d.application.status, Status::Approved);
    assert!(d.actions.is_empty(), "approval is the end of a subsidy claim");
}

async fn a_rejected_claim_frees_the_course_for_a_new_claim(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let id = programme(&app, &cw, "创业培训 SYB", "5", "completion", "400", true).await;
    let (g, gid) = graduate_with_profile(&app, "g@example.com", 3).await;
    assert_eq!(app.call_as(&g, "training/enroll", &[("programme_id", &id.to_string())]).await.status(), 200);
    let e = enrollment_of(&app, id, gid).await;
    assert_eq!(record(&app, &cw, e, "passed", "C-2026-7").await.status(), 200);
    assert_eq!(claim(&app, &g, e).await.status(), 200);
    // Below the cap, the fee comes back whole.
    let payload: String = sqlx::query_scalar("SELECT payload FROM applications WHERE applicant_id = $1").bind(gid).fetch_one(&app.pool).await.unwrap();
    assert_eq!(serde_json::from_str::<SubsidyClaim>(&payload).unwrap().subsidy.amount_fen, 40_000);

    let reference: String = sqlx::query_scalar("SELECT reference FROM applications WHERE applicant_id = $1").bind(gid).fetch_one(&app.pool).await.unwrap();
    let d: ApplicationDetail = app.fetch_as(&cw, "applications/detail", &[("reference", &reference)]).await;
    let reject = app
        .call_as(
            &cw,
            "applications/act",
            &[("application_id", &d.application.id.to_string()), ("version", &d.application.version.to_string()), ("action", "reject"), ("reason", "发票与培训费不符")],
        )
        .await;
    assert_eq!(reject.status(), 200);
    let mine: Vec<MyEnrollment> = app.fetch_as(&g, "training/mine", &[]).await;
    assert!(mine[0].claim_reference.is_none() && mine[0].claimable.is_some(), "the rejected claim no longer holds the course");
    assert_eq!(claim(&app, &g, e).await.status(), 200, "a new claim can be made");
}

async fn bad_programme_input_is_refused_per_field_and_seats_cannot_drop_below_the_enrolled(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let (g, _) = app.signed_in("g@example.com", Role::Graduate).await;
    let (starts, ends) = (day(10), day(5));
    let bad = [
        ("institution_id", "999"),
        ("title", ""),
        ("occupation", "电工"),
        ("level", "wizard"),
        ("kind", "skills"),
        ("description", ""),
        ("starts_on", starts.as_str()),
        ("ends_on", ends.as_str()),
        ("seats", "0"),
        ("place", "shizhong"),
        ("venue", "乐山"),
        ("fee", "12.345"),
    ];
    let error = app_error(app.call_as(&cw, "training/save", &bad).await).await;
    for (field, key) in [
        ("institution_id", "validation.choose_one"),
        ("title", "validation.required"),
        ("level", "validation.choose_one"),
        ("ends_on", "training.end_before_start"),
        ("seats", "training.seats_invalid"),
        ("fee", "training.fee_invalid"),
    ] {
        assert_eq!(error.field_key(field), Some(key), "{field}: {error:?}");
    }
    assert_eq!(app.call_as(&g, "training/save", &bad).await.status(), 403, "graduates do not create programmes");
    let none: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM training_programmes").fetch_one(&app.pool).await.unwrap();
    assert_eq!(none, 0);

    let id = programme(&app, &cw, "电子商务师", "2", "basic", "500", true).await;
    let pid = id.to_string();
    let (a, _) = app.signed_in("a@example.com", Role::Graduate).await;
    for c in [&a, &g] {
        assert_eq!(app.call_as(c, "training/enroll", &[("programme_id", &pid)]).await.status(), 200);
    }
    let inst: i64 = sqlx::query_scalar("SELECT institution_id FROM training_programmes WHERE id = $1").bind(id).fetch_one(&app.pool).await.unwrap();
    let (inst, starts, ends) = (inst.to_string(), day(10), day(40));
    let shrink = app
        .call_as(
            &cw,
            "training/save",
            &[("id", pid.as_str()), ("institution_id", &inst), ("title", "电子商务师"), ("occupation", "电子商务师"), ("level", "basic"), ("kind", "skills"),
              ("description", ""), ("starts_on", &starts), ("ends_on", &ends), ("seats", "1"), ("place", "shizhong"), ("venue", "乐山"), ("fee", "500")],
        )
        .await;
    assert_eq!(app_error(shrink).await.field_key("seats"), Some("training.below_taken"));
    assert_eq!(seats_taken(&app, id).await, 2);
}
