//! The lived-in demo (`server seed-demo`) on both databases: what the demo graduate and the
//! case worker find after it, and that running it again adds nothing.

use crate::support::*;
use app::applications::api::QueuePage;
use app::applications::model::{Kind, Status};
use app::applications::ApplicationRow;
use app::certificates::Verification;
use std::collections::BTreeSet;

on_both_databases!(
    after_the_demo_seed_the_graduate_has_a_certificate_and_a_question_and_the_queue_is_full,
    a_second_demo_seed_changes_no_row_counts,
);

/// Every table the demo writes to, and the count of its rows.
async fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let tables = [
        "users", "profiles", "id_conflicts", "applications", "application_events", "notifications", "outbox", "certificates",
        "follow_ups", "job_applications", "job_application_events", "traineeships", "vacancies", "employers", "fairs",
        "fair_booths", "training_programmes", "incubation_bases", "reference_counters",
    ];
    let mut counts = Vec::new();
    for table in tables {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&app.pool).await.unwrap();
        counts.push((table, n));
    }
    counts
}

async fn after_the_demo_seed_the_graduate_has_a_certificate_and_a_question_and_the_queue_is_full(db: Db) {
    let app = spawn_app(db).await;
    let started = std::time::Instant::now();
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    eprintln!("seed-demo took {:.2} s", started.elapsed().as_secs_f64());

    let (email, password, _, _) = server::cli::DEMO_ACCOUNTS[0];
    let graduate = client();
    assert_eq!(app.log_in_as(&graduate, email, password).await.status(), 200);
    let mine: Vec<ApplicationRow> = app.fetch_as(&graduate, "applications/mine", &[]).await;
    let states: Vec<(Kind, Status)> = mine.iter().map(|a| (a.kind, a.status)).collect();
    for expected in [
        (Kind::JobseekerRegistration, Status::Approved),
        (Kind::EmploymentCertificate, Status::Approved),
        (Kind::Incubation, Status::NeedsInfo),
        (Kind::Traineeship, Status::Submitted),
    ] {
        assert!(states.contains(&expected), "{expected:?} in {states:?}");
    }
    let certificates: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM certificates c JOIN users u ON u.id = c.holder_id WHERE u.email = $1 AND c.status = 'valid' AND c.holder_name = '李明'",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(certificates, 1);
    // Anyone checks it at /verify, also typing number and code in full width with spaces.
    let (number, code): (String, String) = sqlx::query_as("SELECT number, verification_code FROM certificates").fetch_one(&app.pool).await.unwrap();
    let full_width = |s: &str| s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap()).collect::<String>();
    let typed = [("number", format!(" {}　", full_width(&number))), ("code", full_width(&code.to_lowercase()))];
    let typed: Vec<(&str, &str)> = typed.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let checked: Verification = app.fetch_as(&client(), "certificates/verify", &typed).await;
    assert!(matches!(checked, Verification::Valid { ref masked_name, .. } if masked_name == "李*"), "{checked:?}");
    let question: String = sqlx::query_scalar(
        "SELECT e.reason FROM application_events e JOIN applications a ON a.id = e.application_id \
         WHERE a.kind = 'incubation' AND e.to_status = 'needs_info' AND a.applicant_id = (SELECT id FROM users WHERE email = $1)",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(question.contains("团队"), "{question}");
    let follow_ups: Vec<app::followups::FollowUp> = app.fetch_as(&graduate, "followups/of", &[("graduate_id", &mine[0].applicant_id.to_string())]).await;
    assert_eq!(follow_ups.len(), 1, "{follow_ups:?}");

    let (email, password, _, _) = server::cli::DEMO_ACCOUNTS[2];
    let case_worker = client();
    assert_eq!(app.log_in_as(&case_worker, email, password).await.status(), 200);
    let mut rows = Vec::new();
    let mut after = String::new();
    loop {
        let page: QueuePage = app.fetch_as(&case_worker, "applications/queue", &[("after", &after)]).await;
        rows.extend(page.rows);
        match page.next {
            Some(next) => after = next,
            None => break,
        }
    }
    assert!(rows.len() >= 30, "{} in the queue", rows.len());
    let places: BTreeSet<&str> = rows.iter().map(|r| r.household_place.as_str()).collect();
    assert!(places.len() >= 5, "{places:?}");
    // Days waiting differ: the cases were submitted over weeks, not in the seed's second.
    let days: BTreeSet<i64> = rows.iter().filter_map(|r| r.submitted_at).map(|t| (app::ssr::now() - t) / 86_400).collect();
    assert!(days.len() >= 10 && days.iter().max() >= Some(&30), "{days:?}");
    let follow_ups: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM follow_ups").fetch_one(&app.pool).await.unwrap();
    assert!(follow_ups >= 10, "{follow_ups}");
    let applicants: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM job_applications").fetch_one(&app.pool).await.unwrap();
    assert!(applicants >= 5, "{applicants}");
}

async fn a_second_demo_seed_changes_no_row_counts(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    let first = row_counts(&app).await;
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    assert_eq!(row_counts(&app).await, first);
    assert!(first.iter().any(|(table, n)| *table == "applications" && *n >= 40), "{first:?}");
    // The seeded cases' mail shows as sent; mail written after the seed still waits for the worker.
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(pending, 0);
    sqlx::query("UPDATE outbox SET status = 'pending' WHERE id = (SELECT MAX(id) FROM outbox)").execute(&app.pool).await.unwrap();
    sqlx::query("UPDATE outbox SET created_at = created_at - 60 WHERE id = (SELECT MAX(id) FROM outbox)").execute(&app.pool).await.unwrap();
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(pending, 1, "a later run leaves the portal's own mail alone");
}
