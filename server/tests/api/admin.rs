//! The admin's tools through HTTP on both databases: staff accounts disabled (sessions end,
//! sign-in refused), enabled, re-roled and sent a reset link, with the last admin kept; each
//! policy parameter's history; the audit search and its CSV; who may call any of it; and the
//! operator's side: `/metrics` and `server backup`.

use crate::support::*;
use app::account::Role;
use app::admin::audit::AuditPage;
use app::error::AppError;
use app::policy::PolicyChange;

on_both_databases!(
    disabling_a_case_worker_signs_them_out_at_once_and_refuses_sign_in_until_enabled_again,
    two_admins_disabling_each_other_at_once_leave_exactly_one_admin_and_nobody_removes_themselves,
    a_role_change_takes_effect_on_the_next_request,
    an_admin_sends_a_staff_member_a_working_set_password_link,
    each_policy_change_is_kept_with_old_and_new_value_and_who_made_it,
    the_audit_search_filters_by_actor_action_target_and_period_and_the_csv_holds_exactly_those_rows,
    nobody_but_an_admin_gets_anything_from_the_admin_functions_or_the_csv,
    metrics_count_requests_by_route_template_for_loopback_and_are_hidden_from_other_addresses,
);

async fn audit_count(app: &TestApp, action: &str, target: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND target = $2")
        .bind(action)
        .bind(target)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn disabling_a_case_worker_signs_them_out_at_once_and_refuses_sign_in_until_enabled_again(db: Db) {
    let app = spawn_app(db).await;
    let (admin, _) = app.signed_in("boss@example.com", Role::Admin).await;
    let (cw, cw_id) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    assert!(app.me_as(&cw).await.is_some());
    let id = cw_id.to_string();

    let res = app.call_as(&admin, "admin/staff/active", &[("user_id", &id), ("active", "false")]).await;
    assert_eq!(res.status(), 200);
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1").bind(cw_id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions, 0, "their sessions are gone from the store");
    assert_eq!(app.me_as(&cw).await, None, "their open page's next request is signed out");
    assert_eq!(app.call_as(&cw, "staff/pending_employers", &[]).await.status(), 401);

    // The right password gets the plain refusal; a wrong one learns nothing about the account.
    let again = client();
    let refused = app_error(app.log_in_as(&again, "cw@example.com", PASSWORD).await).await;
    assert_eq!(refused.form_key(), Some("account.disabled"));
    let wrong = app_error(app.log_in_as(&again, "cw@example.com", "not the password").await).await;
    assert_eq!(wrong.form_key(), Some("account.bad_credentials"));
    assert_eq!(app.me_as(&again).await, None);

    let res = app.call_as(&admin, "admin/staff/active", &[("user_id", &id), ("active", "true")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.log_in_as(&again, "cw@example.com", PASSWORD).await.status(), 200);
    assert_eq!(app.me_as(&again).await.map(|m| m.id), Some(cw_id));

    let target = format!("user:{cw_id}");
    assert_eq!(audit_count(&app, "staff:disabled", &target).await, 1);
    assert_eq!(audit_count(&app, "staff:enabled", &target).await, 1);
    let staff: Vec<app::admin::StaffMember> = app.fetch_as(&admin, "admin/staff", &[]).await;
    assert!(staff.iter().any(|m| m.id == cw_id && m.active));
    // Someone who is not staff is not the admin's to disable here.
    let grad = app.create_user("grad@example.com", PASSWORD, Role::Graduate).await;
    let res = app.call_as(&admin, "admin/staff/active", &[("user_id", &grad.to_string()), ("active", "false")]).await;
    assert_eq!(app_error(res).await, AppError::NotFound);
}

async fn two_admins_disabling_each_other_at_once_leave_exactly_one_admin_and_nobody_removes_themselves(db: Db) {
    let app = spawn_app(db).await;
    let (a, a_id) = app.signed_in("a@example.com", Role::Admin).await;
    let (b, b_id) = app.signed_in("b@example.com", Role::Admin).await;

    for (form, what) in [(vec![("user_id", a_id.to_string()), ("active", "false".into())], "admin/staff/active"), (vec![("user_id", a_id.to_string()), ("role", "case_worker".into())], "admin/staff/role")] {
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let res = app.call_as(&a, what, &form).await;
        assert_eq!(app_error(res).await, AppError::Conflict("admin.not_yourself".into()), "{what}");
    }

    let (a_id_s, b_id_s) = (a_id.to_string(), b_id.to_string());
    let (form_a, form_b) = ([("user_id", b_id_s.as_str()), ("active", "false")], [("user_id", a_id_s.as_str()), ("active", "false")]);
    let (ra, rb) = tokio::join!(app.call_as(&a, "admin/staff/active", &form_a), app.call_as(&b, "admin/staff/active", &form_b));
    let statuses = [ra.status().as_u16(), rb.status().as_u16()];
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    // The loser either lost the lock race (409, last admin) or its session was already gone (401).
    assert!(statuses.iter().all(|s| [200, 401, 409].contains(s)), "{statuses:?}");
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled_at IS NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(active, 1);
}

async fn a_role_change_takes_effect_on_the_next_request(db: Db) {
    let app = spawn_app(db).await;
    let (admin, _) = app.signed_in("boss@example.com", Role::Admin).await;
    let (cw, cw_id) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let id = cw_id.to_string();
    assert_eq!(app.call_as(&cw, "admin/staff", &[]).await.status(), 403);

    assert_eq!(app.call_as(&admin, "admin/staff/role", &[("user_id", &id), ("role", "admin")]).await.status(), 200);
    assert_eq!(app.call_as(&cw, "admin/staff", &[]).await.status(), 200, "the same session is an admin's now");
    assert_eq!(app.me_as(&cw).await.map(|m| m.role), Some(Role::Admin));

    assert_eq!(app.call_as(&admin, "admin/staff/role", &[("user_id", &id), ("role", "case_worker")]).await.status(), 200);
    assert_eq!(app.call_as(&cw, "admin/staff", &[]).await.status(), 403);
    // Staff roles only: nobody is made a graduate or an employer from here.
    let res = app.call_as(&admin, "admin/staff/role", &[("user_id", &id), ("role", "employer")]).await;
    assert_eq!(app_error(res).await.field_key("role"), Some("validation.choose_one"));
    assert_eq!(audit_count(&app, "staff:role_changed", &format!("user:{cw_id}:admin")).await, 1);
    assert_eq!(audit_count(&app, "staff:role_changed", &format!("user:{cw_id}:case_worker")).await, 1);
}

async fn an_admin_sends_a_staff_member_a_working_set_password_link(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (admin, _) = app.signed_in("boss@example.com", Role::Admin).await;
    let cw_id = app.create_user("forgetful@example.com", PASSWORD, Role::CaseWorker).await;
    assert_eq!(app.call_as(&admin, "admin/staff/reset", &[("user_id", &cw_id.to_string())]).await.status(), 200);
    let (_, body) = app.last_mail_to("forgetful@example.com").await.expect("a mail");
    let token = query_value(&link_in(&body, "/reset-password"), "token");
    let res = app.call("reset_password", &[("token", &token), ("password", "a brand new secret"), ("password_confirm", "a brand new secret")]).await;
    assert_eq!(res.status(), 200);
    assert_eq!(app.log_in("forgetful@example.com", "a brand new secret").await.status(), 200);
    assert_eq!(audit_count(&app, "staff:reset_sent", &format!("user:{cw_id}")).await, 1);
}

async fn each_policy_change_is_kept_with_old_and_new_value_and_who_made_it(db: Db) {
    let app = spawn_app(db).await;
    let (admin, _) = app.signed_in("boss@example.com", Role::Admin).await;
    let param = "minimum_wage_monthly_yuan";
    let none: Vec<PolicyChange> = app.fetch_as(&admin, "admin/policy/history", &[("param", param)]).await;
    assert!(none.is_empty(), "seeds are not edits");

    let set = |value: &'static str, from: &'static str| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let res = app.call_as(&admin, "admin/policy/set", &[("param", param), ("effective_from", from), ("value", value), ("source", "川人社发〔2026〕测试")]).await;
            assert_eq!(res.status(), 200);
        }
    };
    set("2100", "2022-04-01").await; // corrects the seeded 1 970 of that date
    set("2200", "2026-07-01").await; // a new date
    let history: Vec<PolicyChange> = app.fetch_as(&admin, "admin/policy/history", &[("param", param)]).await;
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].effective_from.as_str(), history[0].old_value, history[0].new_value), ("2026-07-01", None, 2200.0));
    assert_eq!((history[1].effective_from.as_str(), history[1].old_value, history[1].new_value), ("2022-04-01", Some(1970.0), 2100.0));
    assert!(history.iter().all(|c| c.changed_by_email == "boss@example.com" && c.source == "川人社发〔2026〕测试"));
    // Another parameter's history is its own.
    let other: Vec<PolicyChange> = app.fetch_as(&admin, "admin/policy/history", &[("param", "traineeship_max_months")]).await;
    assert!(other.is_empty());
    assert_eq!(audit_count(&app, "policy:set", "minimum_wage_monthly_yuan@2026-07-01").await, 1);
    let (status, html) = {
        let res = admin.get(app.url(&format!("/admin/policy/{param}"))).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(html.contains("2200") && html.contains("boss@example.com"), "the history page shows the change");
}

/// Adds an audit entry at a given time, as `actor`.
async fn entry(app: &TestApp, actor: Option<i64>, action: &str, target: &str, at: i64) -> i64 {
    sqlx::query_scalar("INSERT INTO audit_log (actor_id, action, target, address, at) VALUES ($1, $2, $3, '192.0.2.1', $4) RETURNING id")
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(at)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn the_audit_search_filters_by_actor_action_target_and_period_and_the_csv_holds_exactly_those_rows(db: Db) {
    let app = spawn_app(db).await;
    let (admin, _) = app.signed_in("boss@example.com", Role::Admin).await;
    let cw = app.create_user("zhang.wei@example.com", PASSWORD, Role::CaseWorker).await;
    let other = app.create_user("li.na@example.com", PASSWORD, Role::CaseWorker).await;
    // 2026-03-10 00:00 China Standard Time.
    let day = 1_773_072_000;
    let hit1 = entry(&app, Some(cw), "policy:set", "traineeship_max_months@2026-01-01", day + 60).await;
    let hit2 = entry(&app, Some(cw), "policy:set", "startup_subsidy_yuan,\"=1+1\"", day + 86_400 - 1).await;
    entry(&app, Some(cw), "policy:set", "too late", day + 86_400).await;
    entry(&app, Some(cw), "policy:set", "too early", day - 1).await;
    entry(&app, Some(cw), "staff:created", "wrong action", day + 100).await;
    entry(&app, Some(other), "policy:set", "wrong actor", day + 100).await;
    entry(&app, None, "policy:set", "no actor", day + 100).await;

    let query = [("actor", "ZHANG"), ("action", "policy:set"), ("target", ""), ("from", "2026-03-10"), ("to", "2026-03-10")];
    let page: AuditPage = app.fetch_as(&admin, "admin/audit", &query).await;
    assert!(page.errors.is_empty());
    assert_eq!(page.entries.iter().map(|e| e.id).collect::<Vec<_>>(), [hit2, hit1], "newest first");
    assert_eq!(page.entries[0].actor.as_deref(), Some("zhang.wei@example.com"));
    assert_eq!(page.entries[0].action_label.as_deref(), Some("audit.policy:set"));
    assert!(page.actions.iter().any(|(v, _)| v == "staff:disabled"));

    let by_target: AuditPage = app.fetch_as(&admin, "admin/audit", &[("actor", ""), ("action", ""), ("target", "TRAINEESHIP"), ("from", ""), ("to", "")]).await;
    assert_eq!(by_target.entries.iter().map(|e| e.id).collect::<Vec<_>>(), [hit1]);

    let bad: AuditPage = app.fetch_as(&admin, "admin/audit", &[("actor", ""), ("action", "made:up"), ("target", ""), ("from", "2026-02-30"), ("to", "")]).await;
    assert_eq!(bad.errors.get("from"), Some("validation.date_invalid"));
    assert!(bad.entries.is_empty());
    let backwards: AuditPage = app.fetch_as(&admin, "admin/audit", &[("actor", ""), ("action", "made:up"), ("target", ""), ("from", ""), ("to", "")]).await;
    assert_eq!(backwards.errors.get("action"), Some("validation.choose_one"));

    let res = admin
        .get(app.url("/admin/audit.csv?actor=ZHANG&action=policy%3Aset&from=2026-03-10&to=2026-03-10"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let bytes = res.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "a UTF-8 byte-order mark for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "id,time,actor,action,target,address");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].starts_with(&format!("{hit2},2026-03-10 23:59,zhang.wei@example.com,policy:set,")), "{text}");
    assert!(lines[1].ends_with(r#","startup_subsidy_yuan,""=1+1""",192.0.2.1"#), "quoted: {text}");
    assert!(lines[2].starts_with(&format!("{hit1},2026-03-10 00:01,")), "{text}");

    // Paging: 60 more entries, 50 on the first page, the rest after it.
    for i in 0..60 {
        entry(&app, Some(other), "vacancy:suspend", &format!("vacancy:{i}"), day + 200 + i).await;
    }
    let first: AuditPage = app.fetch_as(&admin, "admin/audit", &[("actor", ""), ("action", "vacancy:suspend"), ("target", ""), ("from", ""), ("to", "")]).await;
    assert_eq!(first.entries.len(), 50);
    let after = first.next.expect("a next page").to_string();
    let second: AuditPage = app.fetch_as(&admin, "admin/audit", &[("actor", ""), ("action", "vacancy:suspend"), ("target", ""), ("from", ""), ("to", ""), ("after", &after)]).await;
    assert_eq!(second.entries.len(), 10);
    assert_eq!(second.next, None);
    assert_eq!(second.entries.last().map(|e| e.target.as_str()), Some("vacancy:0"));
    // The CSV is every matching row, not a page.
    let csv = admin.get(app.url("/admin/audit.csv?action=vacancy%3Asuspend")).send().await.unwrap().text().await.unwrap();
    assert_eq!(csv.lines().count(), 61);

    let (status, html) = {
        let res = admin.get(app.url("/admin/audit?action=policy%3Aset&from=2026-03-10&to=2026-03-10")).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    assert_eq!(status, 200);
    assert!(html.contains("traineeship_max_months@2026-01-01") && !html.contains("too late"), "the page lists the same entries");
    assert!(html.contains("/admin/audit.csv?action=policy:set&") && html.contains("to=2026-03-10\""), "the CSV link carries the filters");
}

async fn nobody_but_an_admin_gets_anything_from_the_admin_functions_or_the_csv(db: Db) {
    let app = spawn_app(db).await;
    let target = app.create_user("victim@example.com", PASSWORD, Role::CaseWorker).await.to_string();
    let calls: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("admin/staff", vec![]),
        ("admin/staff/active", vec![("user_id", &target), ("active", "false")]),
        ("admin/staff/role", vec![("user_id", &target), ("role", "admin")]),
        ("admin/staff/reset", vec![("user_id", &target)]),
        ("admin/create_case_worker", vec![("email", "x@example.com"), ("display_name", "x")]),
        ("admin/outbox", vec![]),
        ("admin/retry_mail", vec![("id", "1")]),
        ("admin/policy", vec![]),
        ("admin/policy/set", vec![("param", "traineeship_max_months"), ("effective_from", "2026-01-01"), ("value", "1"), ("source", "x")]),
        ("admin/policy/history", vec![("param", "traineeship_max_months")]),
        ("admin/audit", vec![("actor", ""), ("action", ""), ("target", ""), ("from", ""), ("to", "")]),
    ];
    let anonymous = client();
    let (graduate, _) = app.signed_in("grad@example.com", Role::Graduate).await;
    let (employer, _) = app.signed_in("boss@company.example", Role::Employer).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    for (who, c, status) in [("anonymous", &anonymous, 401), ("graduate", &graduate, 403), ("employer", &employer, 403), ("case worker", &cw, 403)] {
        for (endpoint, form) in &calls {
            let res = app.call_as(c, endpoint, form).await;
            assert_eq!(res.status(), status, "{endpoint} as {who}");
        }
        let csv = c.get(app.url("/admin/audit.csv")).send().await.unwrap();
        assert_eq!(csv.status(), status, "the CSV as {who}");
        assert!(!csv.text().await.unwrap().contains("id,time"), "no rows for {who}");
    }
    let untouched: (String, Option<i64>) = sqlx::query_as("SELECT role, disabled_at FROM users WHERE email = 'victim@example.com'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(untouched, ("case_worker".to_string(), None));
    let changes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM policy_parameter_changes").fetch_one(&app.pool).await.unwrap();
    assert_eq!(changes, 0);
}

/// The value of the sample `name` (with its labels exactly as written) in a metrics text.
fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

async fn metrics_count_requests_by_route_template_for_loopback_and_are_hidden_from_other_addresses(db: Db) {
    let app = spawn_app(db).await;
    let read = || async { app.client.get(app.url("/metrics")).send().await.unwrap() };
    let first = read().await;
    assert_eq!(first.status(), 200);
    assert!(first.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let before = first.text().await.unwrap();
    let healthz = r#"portal_http_requests_total{method="GET",route="/healthz",status="200"}"#;
    let count_before = sample(&before, healthz).unwrap_or(0.0);

    for _ in 0..3 {
        assert_eq!(app.client.get(app.url("/healthz")).send().await.unwrap().status(), 200);
    }
    // Two files that do not exist land on one label, not one series per address asked for.
    for path in ["/fairs/999999", "/no/such/page-1", "/no/such/page-2"] {
        app.client.get(app.url(path)).send().await.unwrap();
    }
    let refused = client();
    app.log_in_as(&refused, "nobody@example.com", "wrong password").await;

    let after = read().await.text().await.unwrap();
    assert_eq!(sample(&after, healthz), Some(count_before + 3.0), "{after}");
    assert!(after.contains(r#"portal_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="0.005"}"#), "{after}");
    assert!(after.contains(r#"route="/fairs/{id}""#), "the template, not the address: {after}");
    // (Looked for as paths: a float such as 0.0089999999 may hold the digits.)
    assert!(!after.contains("/fairs/999999") && !after.contains("page-1"), "no raw addresses: {after}");
    assert!(sample(&after, "portal_sign_in_failures_total").is_some_and(|n| n >= 1.0), "{after}");
    assert!(sample(&after, r#"portal_outbox_messages{status="pending"}"#).is_some(), "{after}");
    assert!(sample(&after, r#"portal_outbox_messages{status="failed"}"#).is_some(), "{after}");
    assert!(sample(&after, r#"portal_db_pool_connections{state="size"}"#).is_some_and(|n| n >= 1.0), "{after}");
    assert!(sample(&after, r#"portal_db_pool_connections{state="idle"}"#).is_some(), "{after}");

    // A server that allows only another network answers loopback as if there were no such page.
    let elsewhere = spawn_app_with(db, Options { extra: vec![("PORTAL_METRICS_ALLOW", "10.0.0.0/8".into())], ..Options::default() }).await;
    let res = elsewhere.client.get(elsewhere.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert!(!res.text().await.unwrap().contains("portal_http_requests_total"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_of_a_live_sqlite_database_opens_and_holds_the_same_rows_and_is_never_overwritten() {
    let app = spawn_app(Db::Sqlite).await;
    for i in 0..5 {
        app.create_user(&format!("person{i}@example.com"), PASSWORD, Role::Graduate).await;
    }
    // The server keeps writing while the copy is made.
    let (busy, _) = app.signed_in("busy@example.com", Role::Admin).await;
    let to = app.data_dir.path().join("backup.db");
    let config = app.config();
    let writes = async {
        for _ in 0..5 {
            app.call_as(&busy, "admin/policy/set", &[("param", "traineeship_max_months"), ("effective_from", "2026-01-01"), ("value", "12"), ("source", "x")]).await;
        }
    };
    let (copied, _) = tokio::join!(server::backup::backup(&config, &to), writes);
    let bytes = copied.expect("the backup is made");
    assert!(bytes > 0);

    let copy = sqlx::AnyPool::connect(&format!("sqlite://{}?mode=ro", to.display())).await.expect("the copy opens");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&copy).await.unwrap();
    assert_eq!(check, "ok");
    let emails = |pool: sqlx::AnyPool| async move {
        sqlx::query_scalar::<_, String>("SELECT email FROM users ORDER BY id").fetch_all(&pool).await.unwrap()
    };
    assert_eq!(emails(copy.clone()).await, emails(app.pool.clone()).await);
    let params: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM policy_parameters").fetch_one(&copy).await.unwrap();
    assert!(params >= app::policy::SEEDS.len() as i64);
    copy.close().await;

    let before = std::fs::read(&to).unwrap();
    let again = server::backup::backup(&app.config(), &to).await.unwrap_err().to_string();
    assert!(again.contains("already exists"), "{again}");
    assert_eq!(std::fs::read(&to).unwrap(), before, "the old backup is untouched");

    let mut pg = app.config();
    pg.database_url = "postgres://portal:secret@db.example/portal".into();
    pg.dialect = app::db::Dialect::Postgres;
    let advice = server::backup::backup(&pg, &app.data_dir.path().join("pg.dump")).await.unwrap_err().to_string();
    assert!(advice.contains("pg_dump") && !advice.contains("secret@"), "{advice}");
}
