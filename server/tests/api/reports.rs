//! The statistics dashboard on a fixture whose figures are worked out by hand, and the CSV and
//! XLSX downloads of the dashboard and the queue.

use crate::support::*;
use app::account::Role;
use app::applications::model::Kind;
use app::complaints::ComplaintCategory;
use app::reports::{Dashboard, KindCounts};
use app::shared::time::Date;
use std::io::Read;

on_both_databases!(
    the_dashboard_counts_a_fixture_as_worked_out_by_hand_for_the_city_and_for_one_place,
    reports_and_the_queue_download_as_csv_and_xlsx_for_staff_only,
    a_bad_period_is_refused_next_to_its_field,
);

/// Unix seconds at `hour`:00 China Standard Time on `day`.
fn at(day: &str, hour: i64) -> i64 {
    Date::parse(day).unwrap().days_from_epoch() * 86_400 - 8 * 3600 + hour * 3600
}

/// One application row as the fixture needs it, each for an applicant of its own.
async fn application(app: &TestApp, n: u32, kind: &str, status: &str, place: &str, submitted: i64, decided: Option<i64>) {
    let applicant = app.create_user(&format!("fixture{n}@example.cn"), PASSWORD, Role::Graduate).await;
    sqlx::query(
        "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, decided_at, created_at, updated_at) \
         VALUES ($1, $2, $3, '{}', $4, 1, $5, $6, $7, $6, $6)",
    )
    .bind(format!("LS-2026-9{n:05}"))
    .bind(applicant)
    .bind(kind)
    .bind(status)
    .bind(place)
    .bind(submitted)
    .bind(decided)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn complaint(app: &TestApp, n: u32, category: &str, created: i64) {
    sqlx::query(
        "INSERT INTO complaints (reference, check_hash, category, employer_name, description, status, outcome_text, version, created_at, updated_at) \
         VALUES ($1, 'x', $2, '', '', 'received', '', 1, $3, $3)",
    )
    .bind(format!("TS-2026-9{n:05}"))
    .bind(category)
    .bind(created)
    .execute(&app.pool)
    .await
    .unwrap();
}

/// Two weeks, 2026-11-02 (a Monday) to 2026-11-15, with rows on and just past each edge.
async fn fixture(app: &TestApp) {
    let reg = "jobseeker_registration";
    application(app, 1, reg, "approved", "shizhong", at("2026-11-02", 0), Some(at("2026-11-04", 0))).await; // 2 days, on the first second
    application(app, 2, reg, "rejected", "ebian", at("2026-11-03", 9), Some(at("2026-11-09", 9))).await; // 6 days
    application(app, 3, reg, "submitted", "shizhong", at("2026-11-10", 9), None).await;
    application(app, 4, "employment_certificate", "completed", "shizhong", at("2026-11-05", 9), Some(at("2026-11-06", 9))).await; // 1 day
    application(app, 5, reg, "approved", "shizhong", at("2026-10-20", 9), Some(at("2026-11-03", 9))).await; // 14 days, submitted before
    application(app, 6, reg, "approved", "shizhong", at("2026-11-14", 9), Some(at("2026-11-16", 0))).await; // decided just after
    application(app, 7, "flexible_insurance_subsidy", "withdrawn", "ebian", at("2026-11-12", 9), None).await;
    application(app, 8, reg, "submitted", "shizhong", at("2026-11-16", 0), None).await; // just after
    complaint(app, 1, "illegal_fees", at("2026-11-05", 9)).await;
    complaint(app, 2, "illegal_fees", at("2026-11-06", 9)).await;
    complaint(app, 3, "other", at("2026-11-15", 23)).await;
    complaint(app, 4, "other", at("2026-11-01", 23)).await; // the day before
}

fn week(day: &str, n: i64) -> (Date, i64) {
    (Date::parse(day).unwrap(), n)
}

async fn the_dashboard_counts_a_fixture_as_worked_out_by_hand_for_the_city_and_for_one_place(db: Db) {
    let app = spawn_app(db).await;
    fixture(&app).await;
    let (c, _) = app.signed_in("cw@example.cn", Role::CaseWorker).await;

    let d: Dashboard = app.fetch_as(&c, "reports/dashboard", &[("from", "2026-11-02"), ("to", "2026-11-15")]).await;
    assert_eq!(d.registrations, 4);
    assert_eq!(
        d.by_kind,
        vec![
            KindCounts { kind: Some(Kind::JobseekerRegistration), submitted: 4, open: 1, approved: 2, rejected: 1, withdrawn: 0 },
            KindCounts { kind: Some(Kind::EmploymentCertificate), submitted: 1, open: 0, approved: 1, rejected: 0, withdrawn: 0 },
            KindCounts { kind: Some(Kind::FlexibleInsuranceSubsidy), submitted: 1, open: 0, approved: 0, rejected: 0, withdrawn: 1 },
        ]
    );
    assert_eq!(d.decisions_per_week, vec![week("2026-11-02", 3), week("2026-11-09", 1)]);
    assert_eq!(d.median_days_to_decision, Some(4.0), "days 1, 2, 6 and 14");
    assert_eq!(d.complaints, vec![(ComplaintCategory::IllegalFees, 2), (ComplaintCategory::Other, 1)]);

    let d: Dashboard = app.fetch_as(&c, "reports/dashboard", &[("from", "2026-11-02"), ("to", "2026-11-15"), ("place", "shizhong")]).await;
    assert_eq!(d.registrations, 3);
    assert_eq!(d.by_kind.iter().map(|k| k.submitted).collect::<Vec<_>>(), vec![3, 1]);
    assert_eq!(d.decisions_per_week, vec![week("2026-11-02", 3), week("2026-11-09", 0)]);
    assert_eq!(d.median_days_to_decision, Some(2.0), "days 1, 2 and 14");

    // A graduate or an employer sees none of it.
    for role in [Role::Graduate, Role::Employer] {
        let (other, _) = app.signed_in(&format!("{}@example.cn", role.as_str()), role).await;
        assert_eq!(app.call_as(&other, "reports/dashboard", &[]).await.status(), 403);
    }
    assert_eq!(app.call("reports/dashboard", &[]).await.status(), 401);
}

async fn a_bad_period_is_refused_next_to_its_field(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = app.signed_in("cw@example.cn", Role::CaseWorker).await;
    for (form, field, key) in [
        (vec![("from", "2026-11-20"), ("to", "2026-11-02")], "from", "report.from_after_to"),
        (vec![("from", "2026-02-30")], "from", "validation.date_invalid"),
        (vec![("to", "yesterday")], "to", "validation.date_invalid"),
        (vec![("place", "atlantis")], "place", "validation.choose_one"),
    ] {
        let res = app.call_as(&c, "reports/dashboard", &form).await;
        assert_eq!(res.status(), 422, "{form:?}");
        assert_eq!(app_error(res).await.field_key(field), Some(key), "{form:?}");
    }
    // Without JavaScript the page itself says so, next to the form.
    let res = c.get(app.url("/staff/reports?from=2026-11-20&to=2026-11-02")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("开始日期不能晚于结束日期"));
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX is a zip archive");
    let mut text = String::new();
    archive.by_name(name).unwrap_or_else(|_| panic!("{name} in the workbook")).read_to_string(&mut text).unwrap();
    text
}

async fn reports_and_the_queue_download_as_csv_and_xlsx_for_staff_only(db: Db) {
    let app = spawn_app(db).await;
    fixture(&app).await;
    let (c, _) = app.signed_in("cw@example.cn", Role::CaseWorker).await;

    let res = c.get(app.url("/staff/reports/export?format=csv&from=2026-11-02&to=2026-11-15&place=shizhong")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment; filename=\"report-"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    assert!(csv.contains("求职登记,3\r\n"), "{csv}");
    assert!(csv.contains("2026-11-02,3\r\n2026-11-09,0\r\n"), "{csv}");

    let res = c.get(app.url("/staff/reports/export?format=xlsx&from=2026-11-02&to=2026-11-15")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let xlsx = res.bytes().await.unwrap();
    let strings = unzip(&xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("<t>求职登记</t>") && strings.contains("<t>决定数</t>"), "in the reader's language: {strings}");
    // Sheet 2, applications by kind: a header and one row per kind.
    let by_kind = unzip(&xlsx, "xl/worksheets/sheet2.xml");
    assert_eq!(by_kind.matches("<row ").count(), 4, "{by_kind}");

    // The queue as filtered: every open registration, not only the page on screen.
    let res = c.get(app.url("/staff/queue/export?format=csv&kind=jobseeker_registration")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csv = res.text().await.unwrap();
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 3, "a header and the two submitted registrations: {csv}");
    assert!(lines[1].starts_with("LS-2026-900003,"), "oldest first: {csv}");
    let res = c.get(app.url("/staff/queue/export?format=xlsx&status=approved")).send().await.unwrap();
    let sheet = unzip(&res.bytes().await.unwrap(), "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<row ").count(), 4, "a header and three approved: {sheet}");
    let res = c.get(app.url("/staff/queue/export?format=pdf")).send().await.unwrap();
    assert_eq!(res.status(), 422);

    // Nobody else gets a byte of it.
    let (graduate, _) = app.signed_in("g@example.cn", Role::Graduate).await;
    for path in ["/staff/reports/export?format=csv", "/staff/queue/export?format=xlsx"] {
        assert_eq!(graduate.get(app.url(path)).send().await.unwrap().status(), 403, "{path}");
        let anonymous = client().get(app.url(path)).send().await.unwrap();
        assert!(anonymous.status().is_redirection(), "{path}: {}", anonymous.status());
    }
}
