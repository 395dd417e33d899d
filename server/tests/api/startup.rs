//! Startup services and the flexible-employment subsidy through HTTP on both databases: the
//! loan's cap and terms, its approval with terms and disbursement, one loan at a time; the
//! subsidy's months of operation and amount; incubation space taken on approval, given back on
//! leaving, and never handed out twice under simultaneous approvals; the flexible subsidy's
//! figure on approval.

use crate::applications::{graduate, pairs, profile_form, resident_id, upload, PNG};
use crate::support::*;
use app::account::Role;
use app::applications::model::Status;
use app::applications::ApplicationDetail;
use app::shared::time::Date;

on_both_databases!(
    a_loan_above_the_cap_is_refused_next_to_the_field_and_nothing_is_stored,
    a_loan_goes_through_needs_info_to_approval_with_terms_and_disbursement_completes_it,
    the_subsidy_needs_six_whole_months_of_operation_and_grants_the_configured_amount,
    approving_an_admission_takes_its_space_and_leaving_gives_it_back,
    twenty_approvals_racing_for_five_square_metres_admit_exactly_five,
    the_flexible_subsidy_recorded_on_approval_is_the_share_of_the_months_that_count,
    without_javascript_the_loan_approval_comes_back_with_its_message_and_the_flexible_figure_is_on_the_page,
);

/// A graduate with a saved profile (Leshan household, graduated 2026-06-30) and their ID
/// documents, with `status` as employment status.
pub(crate) async fn founder(app: &TestApp, email: &str, seq: u32, status: &str) -> (reqwest::Client, i64) {
    let (c, id) = graduate(app, email).await;
    let mut form = profile_form(&resident_id(seq));
    for (k, v) in form.iter_mut() {
        if *k == "employment_status" {
            *v = status.to_string();
        }
    }
    assert_eq!(app.call_as(&c, "profile/save", &pairs(&form)).await.status(), 200);
    for purpose in ["id_card", "graduation_certificate"] {
        assert_eq!(upload(app, &c, purpose, "scan.png", PNG.to_vec()).await.status(), 303);
    }
    (c, id)
}

/// Sends a document for an application form, as the form page does.
pub(crate) async fn document(app: &TestApp, c: &reqwest::Client, purpose: &str, back: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("back", back.to_string())
        .part("file", reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("scan.png"));
    app.post_from_portal(c, &format!("/documents/{purpose}")).header("Accept", "text/html").multipart(form).send().await.unwrap()
}

async fn staff(app: &TestApp, email: &str) -> reqwest::Client {
    app.signed_in(email, Role::CaseWorker).await.0
}

async fn latest(app: &TestApp, applicant: i64) -> String {
    sqlx::query_scalar("SELECT reference FROM applications WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1").bind(applicant).fetch_one(&app.pool).await.unwrap()
}

async fn detail(app: &TestApp, c: &reqwest::Client, reference: &str) -> ApplicationDetail {
    app.fetch_as(c, "applications/detail", &[("reference", reference)]).await
}

async fn act(app: &TestApp, c: &reqwest::Client, d: &ApplicationDetail, action: &str, reason: &str) -> reqwest::Response {
    let (id, version) = (d.application.id.to_string(), d.application.version.to_string());
    app.call_as(c, "applications/act", &[("application_id", &id), ("version", &version), ("action", action), ("reason", reason)]).await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.unwrap()
}

pub(crate) async fn page_as(app: &TestApp, c: &reqwest::Client, path: &str) -> (u16, String) {
    let res = c.get(app.url(path)).send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn today() -> Date {
    Date::today_from_unix(app::ssr::now())
}

/// The same day `n` months before today (the month's last day where it has no such day).
fn months_ago(n: u32) -> Date {
    let t = today();
    let total = t.year * 12 + t.month as i32 - 1 - n as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    (1..=t.day).rev().find_map(|day| Date::new(year, month, day)).unwrap()
}

async fn a_loan_above_the_cap_is_refused_next_to_the_field_and_nothing_is_stored(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = founder(&app, "founder@example.com", 31, "self_employed").await;
    let no_plan = app_error(app.call_as(&c, "startup/loan/apply", &[("amount", "300000"), ("term_years", "3"), ("plan_summary", "茶叶电商")]).await).await;
    assert_eq!(no_plan.field_key("plan"), Some("startup.plan_missing"), "the plan must be sent first");
    let sent = document(&app, &c, "business_plan", "/startup/loan").await;
    assert_eq!((sent.status().as_u16(), sent.headers()["location"].to_str().unwrap()), (303, "/startup/loan?notice=document_uploaded"));

    // The cap in force is 500 000 yuan and the longest term 3 years (seeded policy).
    let over = app_error(app.call_as(&c, "startup/loan/apply", &[("amount", "500000.01"), ("term_years", "4"), ("plan_summary", "茶叶电商")]).await).await;
    assert_eq!(over.field_key("amount"), Some("startup.amount_over_cap"));
    assert_eq!(over.field_key("term_years"), Some("startup.term_over_max"));
    let nonsense = app_error(app.call_as(&c, "startup/loan/apply", &[("amount", "三十万"), ("term_years", "3"), ("plan_summary", " ")]).await).await;
    assert_eq!(nonsense.field_key("amount"), Some("startup.amount_invalid"));
    assert_eq!(nonsense.field_key("plan_summary"), Some("validation.required"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications WHERE kind = 'startup_loan'").await, 0);

    let at_cap = app.call_as(&c, "startup/loan/apply", &[("amount", "500000"), ("term_years", "3"), ("plan_summary", "茶叶电商")]).await;
    assert_eq!(at_cap.status(), 200, "exactly the cap is allowed");
}

async fn a_loan_goes_through_needs_info_to_approval_with_terms_and_disbursement_completes_it(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, me) = founder(&app, "loan@example.com", 32, "self_employed").await;
    document(&app, &c, "business_plan", "/startup/loan").await;
    let form = [("amount", "300,000"), ("term_years", "3"), ("plan_summary", "在乐山开一家茶叶电商，首年营收预计 80 万元。"), ("registration_no", "")];
    assert_eq!(app.call_as(&c, "startup/loan/apply", &form).await.status(), 200);
    let reference = latest(&app, me).await;
    let cw = staff(&app, "cw@example.com").await;

    let d = detail(&app, &cw, &reference).await;
    let panel: app::startup::api::LoanPanel = serde_json::from_value(d.panel.clone().unwrap()).unwrap();
    assert_eq!((panel.request.amount_fen, panel.request.term_years, panel.decision), (30_000_000, 3, None));
    assert_eq!(act(&app, &cw, &d, "request_info", "请补充近三个月的流水").await.status(), 200);
    let d = detail(&app, &c, &reference).await;
    assert_eq!(d.application.status, Status::NeedsInfo);
    assert_eq!(act(&app, &c, &d, "submit", "").await.status(), 200);

    // Approval needs the terms: the engine's plain "approve" is refused and changes nothing.
    let d = detail(&app, &cw, &reference).await;
    let plain = app_error(act(&app, &cw, &d, "approve", "").await).await;
    assert_eq!(plain.field_key(""), Some("startup.approve_with_terms"));
    let (id, version) = (d.application.id.to_string(), d.application.version.to_string());
    let approve = |amount: &'static str, years: &'static str| {
        let (id, version) = (id.clone(), version.clone());
        let (app, cw) = (&app, &cw);
        async move { app.call_as(cw, "startup/loan/approve", &[("application_id", &id), ("version", &version), ("approved_amount", amount), ("approved_term", years)]).await }
    };
    let more = app_error(approve("300000.01", "4").await).await;
    assert_eq!(more.field_key("approved_amount"), Some("startup.amount_over_cap"), "never more than was asked for");
    assert_eq!(more.field_key("approved_term"), Some("startup.term_over_max"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM startup_loans").await, 0);
    assert_eq!(approve("250000", "2").await.status(), 200);
    let terms: (i64, i64, Option<i64>) = sqlx::query_as("SELECT approved_fen, approved_years, disbursed_at FROM startup_loans").fetch_one(&app.pool).await.unwrap();
    assert_eq!(terms, (25_000_000, 2, None));

    // A second loan while this one is approved is refused by the rule.
    let second = app_error(app.call_as(&c, "startup/loan/apply", &form).await).await;
    assert_eq!(second.field_key(""), Some("rule.no_loan_yet"));

    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d.application.status, Status::Approved);
    assert_eq!(act(&app, &cw, &d, "complete", "").await.status(), 200);
    let d = detail(&app, &c, &reference).await;
    assert_eq!(d.application.status, Status::Completed);
    let panel: app::startup::api::LoanPanel = serde_json::from_value(d.panel.unwrap()).unwrap();
    assert!(matches!(panel.decision, Some((25_000_000, 2, Some(_)))), "disbursement is recorded: {:?}", panel.decision);
}

async fn the_subsidy_needs_six_whole_months_of_operation_and_grants_the_configured_amount(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, me) = founder(&app, "subsidy@example.com", 33, "self_employed").await;
    let six = months_ago(6);
    let a_day_short = Date::from_days(six.days_from_epoch() + 1);
    let form = |registered: String, first: bool| {
        let mut f = vec![("business_name", "乐山茶语电子商务有限公司".to_string()), ("registration_no", "91511100MA62D6H2X".into()), ("registered_on", registered)];
        if first {
            f.push(("first_business", "on".into()));
        }
        f
    };
    let no_evidence = app_error(app.call_as(&c, "startup/subsidy/apply", &pairs(&form(six.to_string(), true))).await).await;
    assert_eq!(no_evidence.field_key("evidence"), Some("startup.evidence_missing"));
    document(&app, &c, "startup_evidence", "/startup/subsidy").await;

    let short = app_error(app.call_as(&c, "startup/subsidy/apply", &pairs(&form(a_day_short.to_string(), false))).await).await;
    assert_eq!(short.field_key("registered_on"), Some("startup.not_operating_long_enough"), "registered {a_day_short}: a day short of six months");
    assert_eq!(short.field_key("first_business"), Some("startup.first_business_required"));
    let facts: app::startup::api::SubsidyFacts = app.fetch_as(&c, "startup/subsidy/form", &[]).await;
    assert_eq!((facts.amount_fen, facts.min_months), (500_000, 6), "the amount is shown before submission");

    assert_eq!(app.call_as(&c, "startup/subsidy/apply", &pairs(&form(six.to_string(), true))).await.status(), 200, "registered {six}");
    let reference = latest(&app, me).await;
    let cw = staff(&app, "cw@example.com").await;
    let d = detail(&app, &cw, &reference).await;
    let panel: app::startup::api::SubsidyPanel = serde_json::from_value(d.panel.clone().unwrap()).unwrap();
    assert_eq!((panel.months_operating, panel.window_problem), (6, None));
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    let granted: (i64, i64) = sqlx::query_as("SELECT amount_fen, months_operating FROM startup_subsidies").fetch_one(&app.pool).await.unwrap();
    assert_eq!(granted, (500_000, 6));
    let again = app_error(app.call_as(&c, "startup/subsidy/apply", &pairs(&form(six.to_string(), true))).await).await;
    assert_eq!(again.field_key(""), Some("rule.first_subsidy"));
}

/// A base made through the case workers' form; returns its id.
async fn base(app: &TestApp, cw: &reqwest::Client, name: &str, total: &str, free: &str) -> i64 {
    let res = app
        .call_as(cw, "incubation/staff/save", &[("name", name), ("address", "乐山市高新区"), ("total_space", total), ("free_space", free), ("services", "工位、导师")])
        .await;
    assert_eq!(res.status(), 200);
    sqlx::query_scalar("SELECT id FROM incubation_bases WHERE name = $1").bind(name).fetch_one(&app.pool).await.unwrap()
}

async fn free_space(app: &TestApp, base: i64) -> i64 {
    sqlx::query_scalar("SELECT free_space FROM incubation_bases WHERE id = $1").bind(base).fetch_one(&app.pool).await.unwrap()
}

async fn approving_an_admission_takes_its_space_and_leaving_gives_it_back(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let cw = staff(&app, "cw@example.com").await;
    let wrong = app_error(app.call_as(&cw, "incubation/staff/save", &[("name", "A"), ("address", "x"), ("total_space", "10"), ("free_space", "11"), ("services", "x")]).await).await;
    assert_eq!(wrong.field_key("free_space"), Some("incubation.free_over_total"));
    let id = base(&app, &cw, "乐山创业园", "10", "5").await;
    let (c, me) = founder(&app, "incubate@example.com", 34, "self_employed").await;
    let listed: Vec<app::startup::Base> = app.fetch("incubation/bases", &[]).await;
    assert_eq!(listed.iter().map(|b| (b.name.as_str(), b.free_space)).collect::<Vec<_>>(), [("乐山创业园", 5)], "anyone sees the bases with free space");

    let id_text = id.to_string();
    let too_much = app_error(app.call_as(&c, "incubation/apply", &[("base_id", &id_text), ("space_needed", "6"), ("project", "文创工作室")]).await).await;
    assert_eq!(too_much.field_key("space_needed"), Some("incubation.more_than_free"));
    assert_eq!(app.call_as(&c, "incubation/apply", &[("base_id", &id_text), ("space_needed", "3"), ("project", "文创工作室")]).await.status(), 200);
    let reference = latest(&app, me).await;

    // Someone else takes space meanwhile: the approval is refused, clearly, and takes nothing.
    sqlx::query("UPDATE incubation_bases SET free_space = 2 WHERE id = $1").bind(id).execute(&app.pool).await.unwrap();
    let d = detail(&app, &cw, &reference).await;
    let refused = act(&app, &cw, &d, "approve", "").await;
    assert_eq!(refused.status(), 409);
    assert_eq!(app_error(refused).await.form_key(), Some("incubation.not_enough_space"));
    assert_eq!((free_space(&app, id).await, detail(&app, &cw, &reference).await.application.status), (2, Status::Submitted));

    sqlx::query("UPDATE incubation_bases SET free_space = 5 WHERE id = $1").bind(id).execute(&app.pool).await.unwrap();
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    assert_eq!(free_space(&app, id).await, 2);
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(act(&app, &cw, &d, "complete", "").await.status(), 200, "the founder leaves");
    assert_eq!(free_space(&app, id).await, 5, "the space goes back");
}

async fn twenty_approvals_racing_for_five_square_metres_admit_exactly_five(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let cw = staff(&app, "cw@example.com").await;
    let id = base(&app, &cw, "小空间", "5", "5").await;
    // Twenty submitted applications for one square metre each, from twenty graduates.
    let first = app.create_user("crowd-0@example.com", PASSWORD, Role::Graduate).await;
    let payload = serde_json::json!({ "base_id": id, "base_name": "小空间", "space": 1, "project": "项目" }).to_string();
    let mut apps = Vec::new();
    for i in 0..20 {
        let user: i64 = if i == 0 {
            first
        } else {
            sqlx::query_scalar(
                "INSERT INTO users (email, password_hash, role, display_name, locale, email_verified_at, created_at) \
                 SELECT $1, password_hash, role, display_name, locale, email_verified_at, created_at FROM users WHERE id = $2 RETURNING id",
            )
            .bind(format!("crowd-{i}@example.com"))
            .bind(first)
            .fetch_one(&app.pool)
            .await
            .unwrap()
        };
        let app_id: i64 = sqlx::query_scalar(
            "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, created_at, updated_at) \
             VALUES ($1, $2, 'incubation', $3, 'submitted', 1, 'shizhong', 0, 0, 0) RETURNING id",
        )
        .bind(format!("LS-2026-9{i:05}"))
        .bind(user)
        .bind(&payload)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        apps.push(app_id.to_string());
    }
    let answers = futures::future::join_all(apps.iter().map(|a| {
        let cw = &cw;
        let app = &app;
        async move { app.call_as(cw, "applications/act", &[("application_id", a), ("version", "1"), ("action", "approve")]).await.status().as_u16() }
    }))
    .await;
    assert_eq!(answers.iter().filter(|s| **s == 200).count(), 5, "{answers:?}");
    assert!(answers.iter().all(|s| *s == 200 || *s == 409), "the rest are told there is no space, never a 500: {answers:?}");
    assert_eq!(free_space(&app, id).await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM incubation_admissions").await, 5);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM applications WHERE status = 'approved'").await, 5);
}

async fn the_flexible_subsidy_recorded_on_approval_is_the_share_of_the_months_that_count(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, me) = founder(&app, "flex@example.com", 35, "flexible").await;
    // Graduated 2026-06-30: May does not count; July to September, 4 200 yuan, do.
    let lines = "2026-05 500\n2026-07 1200\n2026-08 1,200\n2026-09 1800";
    let facts: app::flexible::api::FlexibleFacts = app.fetch_as(&c, "flexible/form", &[("lines", lines)]).await;
    let shown = facts.preview.unwrap().unwrap();
    assert_eq!((shown.paid_fen, shown.counted.len(), shown.left_out.len()), (420_000, 3, 1));
    assert_eq!(shown.amount_fen, 420_000 * 6667 / 10_000, "66.67 % of 4 200.00 yuan, rounded down to the fen");

    let bad = app_error(app.call_as(&c, "flexible/apply", &[("lines", "2026-07 1200\n2026-7x 5")]).await).await;
    assert_eq!(bad.field_key("lines"), Some("flexible.month_invalid"));
    assert_eq!(bad.field_key("proof"), Some("flexible.proof_missing"));
    document(&app, &c, "insurance_proof", "/flexible").await;
    assert_eq!(app.call_as(&c, "flexible/apply", &[("lines", lines)]).await.status(), 200);

    let reference = latest(&app, me).await;
    let cw = staff(&app, "cw@example.com").await;
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    let recorded: (i64, i64, i64) = sqlx::query_as("SELECT months_counted, paid_fen, amount_fen FROM flexible_subsidies").fetch_one(&app.pool).await.unwrap();
    assert_eq!(recorded, (3, 420_000, shown.amount_fen));
    let d = detail(&app, &c, &reference).await;
    let panel: app::flexible::api::Panel = serde_json::from_value(d.panel.unwrap()).unwrap();
    assert!(panel.recorded);
    assert_eq!(panel.computation.unwrap().amount_fen, 280_014);
}

async fn without_javascript_the_loan_approval_comes_back_with_its_message_and_the_flexible_figure_is_on_the_page(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, me) = founder(&app, "plain@example.com", 36, "flexible").await;
    document(&app, &c, "business_plan", "/startup/loan").await;
    assert_eq!(app.call_as(&c, "startup/loan/apply", &[("amount", "100000"), ("term_years", "2"), ("plan_summary", "摄影工作室")]).await.status(), 200);
    let reference = latest(&app, me).await;
    let cw = staff(&app, "cw@example.com").await;
    let d = detail(&app, &cw, &reference).await;
    let page = format!("/staff/applications/{reference}");
    let (id, version) = (d.application.id.to_string(), d.application.version.to_string());
    let too_much = app
        .post_plain_as(&cw, "startup/loan/approve", &page, &[("application_id", &id), ("version", &version), ("approved_amount", "100000.01"), ("approved_term", "2")])
        .await;
    assert_eq!((too_much.status().as_u16(), too_much.headers()["location"].to_str().unwrap()), (303, page.as_str()), "back to the page");
    let (_, html) = page_as(&app, &cw, &page).await;
    assert!(html.contains("超过了政策规定的上限") && html.contains("100000.01"), "the message and the typed amount are on the page");
    let ok = app.post_plain_as(&cw, "startup/loan/approve", &page, &[("application_id", &id), ("version", &version), ("approved_amount", "100000"), ("approved_term", "2")]).await;
    assert_eq!((ok.status().as_u16(), ok.headers()["location"].to_str().unwrap()), (302, format!("{page}?notice=status_approved").as_str()));

    let (status, html) = page_as(&app, &c, "/flexible?lines=2026-07%201200%0A2026-08%20300").await;
    assert_eq!(status, 200);
    assert!(html.contains("66.67% × 已缴 1,500.00 元（2 个月）= 1,000.05 元"), "the figure is in the page before any script runs");
}
