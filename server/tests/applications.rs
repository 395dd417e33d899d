//! The application engine through HTTP, on SQLite and PostgreSQL: profiles with encrypted ID
//! numbers, documents, eligibility, every transition by role, stale versions, the queue,
//! certificates and follow-ups.

mod support;

use app::account::Role;
use app::jobseeker::domain::ResidentId;
use serde_json::Value;
use support::*;

const PASSWORD: &str = "correct horse battery";

on_both_databases!(
    a_profile_keeps_the_id_number_encrypted_and_shows_it_masked_to_staff,
    one_resident_id_number_registers_once,
    bad_profile_input_gets_a_message_per_field,
    documents_are_checked_by_content_and_size_and_only_owner_and_staff_can_fetch_them,
    registration_needs_a_profile_and_both_documents,
    the_registration_goes_through_needs_info_to_approval_and_the_certificate_verifies,
    each_role_may_take_only_its_own_transitions,
    a_decision_on_a_stale_version_is_refused_with_a_clear_message,
    the_queue_lists_oldest_first_filters_and_pages,
    follow_ups_are_logged_and_uncontacted_graduates_listed,
    an_admin_policy_change_changes_eligibility,
    graduates_applying_at_the_same_moment_all_get_their_own_reference,
);

fn resident_id(seq: u32) -> String {
    ResidentId::with_check_char(&format!("51110220030715{seq:03}"))
}

fn profile_form(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("full_name", "李明".into()),
        ("resident_id", id.into()),
        ("graduation_cert_no", "106141202605001234".into()),
        ("school", "乐山师范学院".into()),
        ("major", "会计学".into()),
        ("degree", "bachelor".into()),
        ("graduation_date", "2026-06-30".into()),
        ("household_place", "shizhong".into()),
        ("phone", "13812345678".into()),
        ("employment_status", "unemployed".into()),
        ("job_types", "会计".into()),
        ("industries", "".into()),
        ("places", "乐山".into()),
        ("salary_min", "4000".into()),
        ("salary_max", "6000".into()),
        ("need_job_matching", "on".into()),
        ("needs_note", "".into()),
    ]
}

async fn save_profile(app: &TestApp, client: &reqwest::Client, id: &str) -> reqwest::Response {
    let form = profile_form(id);
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.call_as(client, "profile/save", &pairs).await
}

/// A verified graduate, signed in on their own client.
async fn graduate(app: &TestApp, email: &str) -> (reqwest::Client, i64) {
    let id = app.create_user(email, PASSWORD, Role::Graduate).await;
    let c = client();
    assert_eq!(app.log_in_as(&c, email, PASSWORD).await.status(), 200);
    (c, id)
}

async fn staff(app: &TestApp, email: &str, role: Role) -> reqwest::Client {
    app.create_user(email, PASSWORD, role).await;
    let c = client();
    assert_eq!(app.log_in_as(&c, email, PASSWORD).await.status(), 200);
    c
}

const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

async fn upload(app: &TestApp, c: &reqwest::Client, purpose: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    c.post(app.url(&format!("/uploads/{purpose}")))
        .header("Accept", "text/html")
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
}

/// A graduate with a profile and both documents, ready to apply.
async fn ready_graduate(app: &TestApp, email: &str, seq: u32) -> (reqwest::Client, i64) {
    let (c, id) = graduate(app, email).await;
    assert_eq!(save_profile(app, &c, &resident_id(seq)).await.status(), 200);
    for purpose in ["id_card", "graduation_certificate"] {
        assert_eq!(upload(app, &c, purpose, "scan.png", PNG.to_vec()).await.status(), 303);
    }
    (c, id)
}

async fn apply(app: &TestApp, c: &reqwest::Client, kind: &str) -> reqwest::Response {
    app.call_as(c, "applications/apply", &[("kind", kind)]).await
}

async fn detail(app: &TestApp, c: &reqwest::Client, reference: &str) -> Value {
    let res = app.call_as(c, "applications/detail", &[("reference", reference)]).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

async fn latest_reference(app: &TestApp, applicant: i64) -> String {
    sqlx::query_scalar("SELECT reference FROM applications WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(applicant)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn act(app: &TestApp, c: &reqwest::Client, d: &Value, action: &str, reason: &str) -> reqwest::Response {
    let id = d["application"]["id"].to_string();
    let version = d["application"]["version"].to_string();
    app.call_as(c, "applications/act", &[("application_id", &id), ("version", &version), ("action", action), ("reason", reason), ("note", "")]).await
}

async fn a_profile_keeps_the_id_number_encrypted_and_shows_it_masked_to_staff(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = graduate(&app, "li@example.com").await;
    let id = resident_id(123);
    assert_eq!(save_profile(&app, &c, &id).await.status(), 200);

    let (enc, masked): (String, String) = sqlx::query_as("SELECT resident_id_enc, resident_id_masked FROM profiles").fetch_one(&app.pool).await.unwrap();
    assert!(!enc.contains(&id) && !enc.contains("20030715"), "stored sealed");
    assert_eq!(masked, format!("5111**********{}", &id[14..]));

    let mine: Value = app.call_as(&c, "profile/get", &[]).await.json().await.unwrap();
    assert_eq!(mine["resident_id"], id, "the owner sees the whole number");
    assert_eq!(mine["birth_date"], "2003-07-15");
    assert_eq!(mine["gender"], "Male");

    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let uid = user_id.to_string();
    let seen: Value = app.call_as(&cw, "staff/graduate", &[("user_id", &uid), ("reveal", "false")]).await.json().await.unwrap();
    assert_eq!(seen["profile"]["resident_id"], masked);
    assert_eq!(seen["revealed"], Value::Null);
    let audits = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = 'profile:reveal_resident_id'").fetch_one(&app.pool).await.unwrap() };
    assert_eq!(audits().await, 0);
    let revealed: Value = app.call_as(&cw, "staff/graduate", &[("user_id", &uid), ("reveal", "true")]).await.json().await.unwrap();
    assert_eq!(revealed["revealed"], id);
    assert_eq!(audits().await, 1, "every reveal is logged");

    // A graduate cannot open another graduate's file.
    let (other, _) = graduate(&app, "other@example.com").await;
    assert_eq!(app.call_as(&other, "staff/graduate", &[("user_id", &uid), ("reveal", "true")]).await.status(), 403);
}

async fn one_resident_id_number_registers_once(db: Db) {
    let app = spawn_app(db).await;
    let (a, _) = graduate(&app, "a@example.com").await;
    let (b, _) = graduate(&app, "b@example.com").await;
    assert_eq!(save_profile(&app, &a, &resident_id(5)).await.status(), 200);
    assert_eq!(save_profile(&app, &a, &resident_id(5)).await.status(), 200, "the owner may save again");
    let res = save_profile(&app, &b, &resident_id(5).to_lowercase()).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json::<Value>().await.unwrap()["Invalid"]["resident_id"], "profile.resident_id_taken");
}

async fn bad_profile_input_gets_a_message_per_field(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = graduate(&app, "typo@example.com").await;
    let good = resident_id(7);
    let bad_check = format!("{}{}", &good[..17], if good.ends_with('1') { '2' } else { '1' });
    let mut form = profile_form(&bad_check);
    for (k, v) in form.iter_mut() {
        match *k {
            "phone" => *v = "1234".into(),
            "graduation_date" => *v = "2026-02-30".into(),
            "household_place" => *v = "atlantis".into(),
            "salary_min" => *v = "9000".into(),
            "salary_max" => *v = "3000".into(),
            _ => {}
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = app.call_as(&c, "profile/save", &pairs).await;
    assert_eq!(res.status(), 422);
    let e: Value = res.json().await.unwrap();
    assert_eq!(e["Invalid"]["resident_id"], "validation.resident_id_check");
    assert_eq!(e["Invalid"]["phone"], "validation.mobile_invalid");
    assert_eq!(e["Invalid"]["graduation_date"], "validation.date_invalid");
    assert_eq!(e["Invalid"]["household_place"], "validation.choose_one");
    assert_eq!(e["Invalid"]["salary_max"], "validation.salary_order");
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles").fetch_one(&app.pool).await.unwrap();
    assert_eq!(saved, 0);
}

async fn documents_are_checked_by_content_and_size_and_only_owner_and_staff_can_fetch_them(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = graduate(&app, "docs@example.com").await;
    save_profile(&app, &c, &resident_id(9)).await;

    // An executable named like a PDF is refused, and the profile page says why.
    let res = upload(&app, &c, "id_card", "id.pdf", b"MZ\x90\x00this is not a pdf".to_vec()).await;
    assert_eq!(res.status(), 303);
    let html = c.get(app.url("/profile")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("只能上传 PDF、JPG 或 PNG"), "{html}");

    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'x');
    upload(&app, &c, "id_card", "big.pdf", big).await;
    let html = c.get(app.url("/profile")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("文件超过 5 MB"), "{html}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, 0);

    let res = upload(&app, &c, "id_card", "card.png", PNG.to_vec()).await;
    assert_eq!(res.headers()["location"], "/profile?notice=document_uploaded");
    let (id, mime): (i64, String) = sqlx::query_as("SELECT id, mime FROM uploads").fetch_one(&app.pool).await.unwrap();
    assert_eq!(mime, "image/png");
    let file = c.get(app.url(&format!("/files/{id}"))).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "image/png");
    assert_eq!(file.bytes().await.unwrap().as_ref(), PNG);

    let (stranger, _) = graduate(&app, "stranger@example.com").await;
    assert_eq!(stranger.get(app.url(&format!("/files/{id}"))).send().await.unwrap().status(), 404);
    assert_eq!(client().get(app.url(&format!("/files/{id}"))).send().await.unwrap().status(), 401);
    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    assert_eq!(cw.get(app.url(&format!("/files/{id}"))).send().await.unwrap().status(), 200);
}

async fn registration_needs_a_profile_and_both_documents(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = graduate(&app, "early@example.com").await;
    let res = apply(&app, &c, "jobseeker_registration").await;
    assert_eq!(res.json::<Value>().await.unwrap()["Invalid"][""], "rule.profile_complete");
    save_profile(&app, &c, &resident_id(11)).await;
    let res = apply(&app, &c, "jobseeker_registration").await;
    assert_eq!(res.json::<Value>().await.unwrap()["Invalid"][""], "application.documents_missing");
    let res = apply(&app, &c, "startup_loan").await;
    assert_eq!(res.json::<Value>().await.unwrap()["Invalid"][""], "application.kind_closed");
    let res = apply(&app, &c, "employment_certificate").await;
    assert_eq!(res.json::<Value>().await.unwrap()["Invalid"][""], "rule.registration_approved");

    let list: Value = app.call_as(&c, "applications/eligibility", &[]).await.json().await.unwrap();
    assert_eq!(list.as_array().unwrap().len(), 10, "every service is listed");
}

async fn the_registration_goes_through_needs_info_to_approval_and_the_certificate_verifies(db: Db) {
    let app = spawn_app_with(db, Options { worker: false, ..Default::default() }).await;
    let (c, user_id) = ready_graduate(&app, "journey@example.com", 21).await;
    let res = apply(&app, &c, "jobseeker_registration").await;
    assert_eq!(res.status(), 200);
    let reference = latest_reference(&app, user_id).await;
    assert!(reference.starts_with("LS-") && reference.ends_with("-000001"), "{reference}");
    let (subject, body) = app.last_mail_to("journey@example.com").await.unwrap();
    assert!(subject.contains("进展") && body.contains(&reference), "{subject} {body}");
    // A second registration while this one is open is refused.
    assert_eq!(apply(&app, &c, "jobseeker_registration").await.json::<Value>().await.unwrap()["Invalid"][""], "rule.not_already_registered");

    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d["application"]["status"], "Submitted");
    assert_eq!(act(&app, &cw, &d, "start_review", "").await.status(), 200);
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d["application"]["assignee_name"], "测试用户", "starting the review assigns it");
    let no_reason = act(&app, &cw, &d, "request_info", "  ").await;
    assert_eq!(no_reason.json::<Value>().await.unwrap()["Invalid"]["reason"], "application.reason_required");
    assert_eq!(act(&app, &cw, &d, "request_info", "毕业证照片不清晰，请重新上传").await.status(), 200);
    let (_, body) = app.last_mail_to("journey@example.com").await.unwrap();
    assert!(body.contains("毕业证照片不清晰"), "the reason reaches the applicant: {body}");

    // The applicant answers and resubmits.
    let d = detail(&app, &c, &reference).await;
    assert_eq!(d["application"]["status"], "NeedsInfo");
    assert_eq!(d["actions"], serde_json::json!(["Submit", "Withdraw"]));
    let res = app.call_as(&c, "applications/act", &[
        ("application_id", &d["application"]["id"].to_string()), ("version", &d["application"]["version"].to_string()),
        ("action", "submit"), ("reason", ""), ("note", "已重新上传清晰的照片"),
    ]).await;
    assert_eq!(res.status(), 200);

    let d = detail(&app, &cw, &reference).await;
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    let d = detail(&app, &c, &reference).await;
    let steps: Vec<&str> = d["events"].as_array().unwrap().iter().map(|e| e["to"].as_str().unwrap()).collect();
    assert_eq!(steps, ["Submitted", "InReview", "NeedsInfo", "Submitted", "Approved"]);
    assert_eq!(d["events"][3]["note"], "已重新上传清晰的照片");
    let unread: i64 = app.call_as(&c, "notifications/unread", &[]).await.json().await.unwrap();
    assert_eq!(unread, 5, "one notification per status change");

    // The certificate: apply, approve, print, verify.
    assert_eq!(apply(&app, &c, "employment_certificate").await.status(), 200);
    let cert_ref = latest_reference(&app, user_id).await;
    let d = detail(&app, &cw, &cert_ref).await;
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    let d = detail(&app, &c, &cert_ref).await;
    let number = d["certificate"][0].as_str().unwrap().to_string();
    let code = d["certificate"][1].as_str().unwrap().to_string();
    assert_eq!(number, format!("JY{}", cert_ref.trim_start_matches("LS-").replace('-', "")));
    let cert: Value = app.call_as(&c, "certificates/get", &[("number", &number)]).await.json().await.unwrap();
    assert_eq!(cert["holder_name"], "李明");
    let (other, _) = graduate(&app, "nosy@example.com").await;
    assert_eq!(app.call_as(&other, "certificates/get", &[("number", &number)]).await.status(), 404);

    let anyone = client();
    let ok: Value = app.call_as(&anyone, "certificates/verify", &[("number", &number), ("code", &code.to_lowercase())]).await.json().await.unwrap();
    assert_eq!(ok["Valid"]["masked_name"], "李*");
    let wrong: Value = app.call_as(&anyone, "certificates/verify", &[("number", &number), ("code", "AAAAAAAA")]).await.json().await.unwrap();
    assert_eq!(wrong, "NotFound");
    let (status, html) = app.page(&format!("/verify?number={number}&code={code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("证书有效") && html.contains("李*"), "{html}");

    // Revoked by staff (with a reason), it shows as revoked to everyone.
    assert_eq!(app.call_as(&c, "certificates/revoke", &[("number", &number), ("reason", "x")]).await.status(), 403);
    let no_reason = app.call_as(&cw, "certificates/revoke", &[("number", &number), ("reason", " ")]).await;
    assert_eq!(no_reason.json::<Value>().await.unwrap()["Invalid"]["reason"], "application.reason_required");
    assert_eq!(app.call_as(&cw, "certificates/revoke", &[("number", &number), ("reason", "材料造假")]).await.status(), 200);
    assert_eq!(app.call_as(&cw, "certificates/revoke", &[("number", &number), ("reason", "again")]).await.status(), 409);
    let revoked: Value = app.call_as(&anyone, "certificates/verify", &[("number", &number), ("code", &code)]).await.json().await.unwrap();
    assert_eq!(revoked["Revoked"]["masked_name"], "李*");
}

async fn each_role_may_take_only_its_own_transitions(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = ready_graduate(&app, "roles@example.com", 31).await;
    apply(&app, &c, "jobseeker_registration").await;
    let reference = latest_reference(&app, user_id).await;
    let d = detail(&app, &c, &reference).await;
    assert_eq!(d["actions"], serde_json::json!(["Withdraw"]), "a submitted application can only be withdrawn by its applicant");

    // The applicant cannot decide their own application.
    for action in ["start_review", "approve", "reject", "request_info", "complete"] {
        let res = act(&app, &c, &d, action, "x").await;
        assert_eq!(res.status(), 409, "{action}");
        assert_eq!(res.json::<Value>().await.unwrap()["Conflict"], "application.not_allowed");
    }
    // Another graduate cannot even see it.
    let (other, _) = graduate(&app, "other@example.com").await;
    assert_eq!(app.call_as(&other, "applications/detail", &[("reference", &reference)]).await.status(), 404);
    assert_eq!(act(&app, &other, &d, "withdraw", "").await.status(), 404);
    // An employer neither.
    let employer = staff(&app, "boss@example.com", Role::Employer).await;
    assert_eq!(act(&app, &employer, &d, "withdraw", "").await.status(), 404);
    // Staff cannot submit or withdraw on the applicant's behalf.
    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    for action in ["submit", "withdraw", "complete"] {
        assert_eq!(act(&app, &cw, &d, action, "").await.status(), 409, "{action}");
    }
    let staff_view = detail(&app, &cw, &reference).await;
    assert_eq!(staff_view["actions"], serde_json::json!(["StartReview", "RequestInfo", "Approve", "Reject"]));
    // Anonymous callers are asked to sign in.
    assert_eq!(act(&app, &client(), &d, "withdraw", "").await.status(), 401);

    // The applicant withdraws; after that nobody can act.
    assert_eq!(act(&app, &c, &d, "withdraw", "").await.status(), 200);
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d["application"]["status"], "Withdrawn");
    assert_eq!(d["actions"], serde_json::json!([]));
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 409);
    // A withdrawn registration does not block a new one.
    assert_eq!(apply(&app, &c, "jobseeker_registration").await.status(), 200);
}

async fn a_decision_on_a_stale_version_is_refused_with_a_clear_message(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = ready_graduate(&app, "stale@example.com", 41).await;
    apply(&app, &c, "jobseeker_registration").await;
    let reference = latest_reference(&app, user_id).await;
    let first = staff(&app, "first@example.com", Role::CaseWorker).await;
    let second = staff(&app, "second@example.com", Role::CaseWorker).await;
    let seen_by_first = detail(&app, &first, &reference).await;
    let seen_by_second = detail(&app, &second, &reference).await;
    assert_eq!(act(&app, &first, &seen_by_first, "approve", "").await.status(), 200);
    let res = act(&app, &second, &seen_by_second, "reject", "材料不全").await;
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["Conflict"], "application.stale");
    let d = detail(&app, &second, &reference).await;
    assert_eq!(d["application"]["status"], "Approved", "the first decision stands");
    assert_eq!(d["events"].as_array().unwrap().len(), 2);
}

async fn the_queue_lists_oldest_first_filters_and_pages(db: Db) {
    let app = spawn_app(db).await;
    // Thirty registrations, submitted one day apart, the oldest first.
    let mut ids = Vec::new();
    for i in 0..30u32 {
        let (c, user_id) = ready_graduate(&app, &format!("q{i}@example.com"), 100 + i).await;
        assert_eq!(apply(&app, &c, "jobseeker_registration").await.status(), 200);
        ids.push(user_id);
    }
    let now = app::ssr::now();
    for (i, user_id) in ids.iter().enumerate() {
        sqlx::query("UPDATE applications SET submitted_at = $1 WHERE applicant_id = $2")
            .bind(now - (40 - i as i64) * 86_400)
            .bind(user_id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE applications SET household_place = 'emeishan' WHERE applicant_id = $1").bind(ids[3]).execute(&app.pool).await.unwrap();
    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let page = |filters: Vec<(&'static str, String)>| {
        let app = &app;
        let cw = cw.clone();
        async move {
            let pairs: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = app.call_as(&cw, "applications/queue", &pairs).await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.unwrap()
        }
    };
    let first = page(vec![]).await;
    let rows = first["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 25);
    assert_eq!(rows[0]["applicant_id"], ids[0], "oldest first");
    let cursor = first["next"].as_str().unwrap().to_string();
    let second = page(vec![("after", cursor)]).await;
    assert_eq!(second["rows"].as_array().unwrap().len(), 5);
    assert_eq!(second["rows"][4]["applicant_id"], ids[29]);
    assert_eq!(second["next"], Value::Null);

    let in_emeishan = page(vec![("place", "emeishan".into())]).await;
    assert_eq!(in_emeishan["rows"].as_array().unwrap().len(), 1);
    let waiting_long = page(vec![("min_days", "35".into())]).await;
    assert_eq!(waiting_long["rows"].as_array().unwrap().len(), 6, "submitted 40 to 35 days ago");

    let id = rows[2]["id"].to_string();
    assert_eq!(app.call_as(&cw, "applications/assign", &[("application_id", &id)]).await.status(), 200);
    let mine = page(vec![("assignee", "me".into())]).await;
    assert_eq!(mine["rows"].as_array().unwrap().len(), 1);
    let unassigned = page(vec![("assignee", "none".into())]).await;
    assert_eq!(unassigned["rows"].as_array().unwrap().len(), 25);
    let res = app.call_as(&cw, "applications/queue", &[("status", "bogus")]).await;
    assert_eq!(res.status(), 422, "a bad filter is the sender's mistake");
    let (grad, _) = graduate(&app, "nosy@example.com").await;
    assert_eq!(app.call_as(&grad, "applications/queue", &[]).await.status(), 403);
}

async fn follow_ups_are_logged_and_uncontacted_graduates_listed(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = ready_graduate(&app, "called@example.com", 51).await;
    let (_, other_id) = ready_graduate(&app, "forgotten@example.com", 52).await;
    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let uid = user_id.to_string();
    let res = app.call_as(&cw, "followups/log", &[("graduate_id", &uid), ("channel", "phone"), ("contacted_at", "2099-01-01T10:00"), ("outcome", "x"), ("intentions_update", "")]).await;
    assert_eq!(res.json::<Value>().await.unwrap()["Invalid"]["contacted_at"], "followup.in_future");
    let res = app.call_as(&cw, "followups/log", &[("graduate_id", &uid), ("channel", "visit"), ("contacted_at", "2026-11-01T10:00"), ("outcome", "已到企业面试"), ("intentions_update", "想做出纳")]).await;
    assert_eq!(res.status(), 200);

    let mine: Value = app.call_as(&c, "followups/of", &[("graduate_id", &uid)]).await.json().await.unwrap();
    assert_eq!(mine[0]["outcome"], "已到企业面试");
    assert_eq!(app.call_as(&c, "followups/of", &[("graduate_id", &other_id.to_string())]).await.status(), 403);
    assert_eq!(app.call_as(&c, "followups/log", &[("graduate_id", &uid), ("channel", "visit"), ("contacted_at", "2026-11-01T10:00"), ("outcome", "x"), ("intentions_update", "")]).await.status(), 403);

    let never: Value = app.call_as(&cw, "followups/uncontacted", &[("days", "3650")]).await.json().await.unwrap();
    let names: Vec<i64> = never.as_array().unwrap().iter().map(|g| g["user_id"].as_i64().unwrap()).collect();
    assert_eq!(names, vec![other_id], "the one nobody called");
    let recent: Value = app.call_as(&cw, "followups/uncontacted", &[("days", "0")]).await.json().await.unwrap();
    assert_eq!(recent.as_array().unwrap().len(), 2);
}

async fn an_admin_policy_change_changes_eligibility(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = ready_graduate(&app, "founder@example.com", 61).await;
    let subsidy = |list: &Value| list.as_array().unwrap().iter().find(|e| e["kind"] == "StartupSubsidy").unwrap().clone();
    let list: Value = app.call_as(&c, "applications/eligibility", &[]).await.json().await.unwrap();
    let before = subsidy(&list);
    assert!(before["checks"].as_array().unwrap().iter().any(|c| c["key"] == "rule.graduated_within_years" && c["passed"] == true));

    let admin = staff(&app, "admin@example.com", Role::Admin).await;
    let bad = app.call_as(&admin, "admin/policy/set", &[("param", "startup_subsidy_years_since_graduation"), ("effective_from", "2026-13-01"), ("value", "-1"), ("source", "")]).await;
    let e: Value = bad.json().await.unwrap();
    assert_eq!(e["Invalid"]["effective_from"], "validation.date_invalid");
    assert_eq!(e["Invalid"]["value"], "validation.number_invalid");
    assert_eq!(e["Invalid"]["source"], "validation.required");
    let res = app.call_as(&admin, "admin/policy/set", &[("param", "startup_subsidy_years_since_graduation"), ("effective_from", "2026-01-01"), ("value", "0"), ("source", "测试")]).await;
    assert_eq!(res.status(), 200);
    let list: Value = app.call_as(&c, "applications/eligibility", &[]).await.json().await.unwrap();
    let after = subsidy(&list);
    assert!(after["checks"].as_array().unwrap().iter().any(|c| c["key"] == "rule.graduated_within_years" && c["passed"] == false));
    assert_eq!(app.call_as(&c, "admin/policy/set", &[("param", "x"), ("effective_from", "2026-01-01"), ("value", "1"), ("source", "x")]).await.status(), 403);
}

async fn graduates_applying_at_the_same_moment_all_get_their_own_reference(db: Db) {
    let app = spawn_app(db).await;
    let mut clients = Vec::new();
    for i in 0..8u32 {
        clients.push(ready_graduate(&app, &format!("rush{i}@example.com"), 200 + i).await.0);
    }
    // Each application reads eligibility and then writes: on SQLite that needs the write lock
    // from the start, or the later writers fail instead of waiting their turn.
    let results = futures::future::join_all(clients.iter().map(|c| apply(&app, c, "jobseeker_registration"))).await;
    for res in results {
        assert_eq!(res.status(), 200);
    }
    let references: Vec<String> = sqlx::query_scalar("SELECT reference FROM applications ORDER BY reference").fetch_all(&app.pool).await.unwrap();
    let unique: std::collections::BTreeSet<_> = references.iter().collect();
    assert_eq!((references.len(), unique.len()), (8, 8));
}
