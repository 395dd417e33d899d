//! Complaints through HTTP on both databases: filing with and without an account, the reference
//! and the check code, the status page, throttling, the case workers' queue and steps, and
//! suspending a vacancy or an employer from a complaint.

use crate::applications::PNG;
use crate::support::*;
use crate::vacancies::{employer, mine, post, search};
use app::account::Role;
use app::complaints::{ComplaintAction, ComplaintDetail, ComplaintOutcome, ComplaintStatus, PublicStatus, QueuePage, Receipt};
use app::error::AppError;
use app::vacancies::{Vacancy, VacancyStatus};

on_both_databases!(
    references_count_up_per_year_and_are_unique_in_the_database,
    the_status_page_answers_a_wrong_reference_and_a_wrong_code_alike_and_is_throttled,
    anonymous_complaints_are_throttled_per_address_and_bad_input_comes_back_to_the_form,
    evidence_follows_the_upload_rules_and_only_staff_open_an_anonymous_reporters_file,
    a_graduate_cannot_see_or_work_the_complaints_queue,
    suspending_a_vacancy_hides_it_from_search_and_its_page_at_once_and_tells_the_employer,
    a_suspended_employer_loses_its_listings_cannot_publish_and_is_told_why,
    a_signed_in_reporter_is_emailed_at_each_status_change_and_reads_the_outcome,
    every_step_is_on_the_timeline_and_in_the_audit_log,
    migration_0007_keeps_every_vacancy_its_timeline_its_search_index_and_every_upload,
);

/// Posts the complaint form as a browser does (multipart, an empty file part when no file is
/// chosen), from the form page.
async fn file(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)], evidence: Option<(&str, Vec<u8>)>) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let (name, bytes) = evidence.unwrap_or(("", Vec::new()));
    form = form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    app.post_from_portal(c, "/complaints/file")
        .header("Accept", "text/html")
        .header("Referer", app.url("/complaints"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

/// Files a complaint that must be accepted; returns its receipt.
async fn filed(app: &TestApp, c: &reqwest::Client, fields: &[(&str, &str)]) -> Receipt {
    let res = file(app, c, fields, None).await;
    assert_eq!((res.status().as_u16(), location(&res).as_str()), (303, "/complaints/received"), "the complaint is filed");
    let receipt: Option<Receipt> = app.fetch_as(c, "complaints/receipt", &[]).await;
    receipt.expect("a receipt after filing")
}

const FEE: &[(&str, &str)] = &[("category", "illegal_fees"), ("employer_name", "乐山某中介"), ("description", "面试时要求先交 800 元培训费，交了以后就联系不上了。")];

async fn status(app: &TestApp, reference: &str, code: &str) -> reqwest::Response {
    app.call_as(&client(), "complaints/status", &[("reference", reference), ("check_code", code)]).await
}

async fn detail(app: &TestApp, cw: &reqwest::Client, reference: &str) -> ComplaintDetail {
    app.fetch_as(cw, "complaints/detail", &[("reference", reference)]).await
}

/// Takes a step as the case worker saw the complaint (its id and version).
async fn step(app: &TestApp, cw: &reqwest::Client, d: &ComplaintDetail, action: ComplaintAction, extra: &[(&str, &str)]) -> reqwest::Response {
    let (id, version) = (d.id.to_string(), d.version.to_string());
    let mut form = vec![("complaint_id", id.as_str()), ("version", version.as_str()), ("action", action.as_str())];
    form.extend_from_slice(extra);
    app.call_as(cw, "complaints/act", &form).await
}

/// Takes a step that must succeed; returns the complaint as it is after it.
async fn stepped(app: &TestApp, cw: &reqwest::Client, reference: &str, action: ComplaintAction, extra: &[(&str, &str)]) -> ComplaintDetail {
    let d = detail(app, cw, reference).await;
    let res = step(app, cw, &d, action, extra).await;
    assert_eq!(res.status(), 200, "{action:?}: {}", res.text().await.unwrap());
    detail(app, cw, reference).await
}

async fn references_count_up_per_year_and_are_unique_in_the_database(db: Db) {
    let app = spawn_app(db).await;
    let year = app::shared::time::Date::today_from_unix(app::ssr::now()).year;
    // Four reporters at the same moment (the address allows five an hour).
    let filings = (0..4).map(|_| {
        let app = &app;
        async move { filed(app, &client(), FEE).await }
    });
    let mut receipts: Vec<Receipt> = futures::future::join_all(filings).await;
    receipts.sort_by(|a, b| a.reference.cmp(&b.reference));
    let references: Vec<&str> = receipts.iter().map(|r| r.reference.as_str()).collect();
    let expected: Vec<String> = (1..=4).map(|n| format!("TS-{year}-{n:06}")).collect();
    assert_eq!(references, expected, "TS-YYYY-NNNNNN, one number each, in sequence");
    for r in &receipts {
        assert_eq!(r.code.len(), app::complaints::CODE_LENGTH);
        assert!(r.code.bytes().all(|b| app::complaints::CODE_ALPHABET.contains(&b)), "{}", r.code);
    }
    assert_ne!(receipts[0].code, receipts[1].code, "each complaint has its own code");

    // Only a keyed hash of the code is stored.
    let stored: Vec<String> = sqlx::query_scalar("SELECT check_hash FROM complaints").fetch_all(&app.pool).await.unwrap();
    assert!(stored.iter().all(|h| h.len() == 64 && receipts.iter().all(|r| !h.contains(&r.code))), "{stored:?}");

    // The database itself refuses a second complaint with a reference already used.
    let duplicate = sqlx::query(
        "INSERT INTO complaints (reference, check_hash, category, employer_name, description, status, outcome_text, version, created_at, updated_at) \
         VALUES ($1, 'x', 'other', '', 'x', 'received', '', 1, 0, 0)",
    )
    .bind(&receipts[0].reference)
    .execute(&app.pool)
    .await;
    assert!(duplicate.is_err_and(|e| app::db::is_unique_violation(&e)), "the reference column is unique");

    // The receipt is shown once: the code is kept nowhere else.
    let c = client();
    filed(&app, &c, FEE).await;
    let again: Option<Receipt> = app.fetch_as(&c, "complaints/receipt", &[]).await;
    assert_eq!(again, None);
}

async fn the_status_page_answers_a_wrong_reference_and_a_wrong_code_alike_and_is_throttled(db: Db) {
    let app = spawn_app(db).await;
    let receipt = filed(&app, &client(), FEE).await;
    let other = filed(&app, &client(), FEE).await;

    let found: PublicStatus = decode(status(&app, &receipt.reference, &receipt.code).await).await;
    assert_eq!((found.reference.as_str(), found.status, found.outcome), (receipt.reference.as_str(), ComplaintStatus::Received, None));
    // Typed in lower case with spaces, it still matches.
    let typed: PublicStatus = decode(status(&app, &format!(" {} ", receipt.reference.to_lowercase()), &receipt.code.to_lowercase()).await).await;
    assert_eq!(typed, found);

    let unknown_reference = receipt.reference.replace("-00000", "-90000");
    let answers = [
        status(&app, &receipt.reference, "WRONGCODE2").await,
        status(&app, &unknown_reference, &receipt.code).await,
        status(&app, &receipt.reference, &other.code).await,
        status(&app, "not a reference", &receipt.code).await,
    ];
    let mut refusals = Vec::new();
    for res in answers {
        let code = res.status().as_u16();
        refusals.push((code, app_error(res).await));
    }
    let expected = (422, AppError::field("", "complaint.status_not_found"));
    assert!(refusals.iter().all(|r| *r == expected), "the same answer, naming no field: {refusals:?}");

    // Without JavaScript the answer comes back on the status page, once.
    let c = client();
    let res = app.post_plain_as(&c, "complaints/status", "/complaints/status", &[("reference", &receipt.reference), ("check_code", &receipt.code)]).await;
    assert_eq!(location(&res), format!("/complaints/status?reference={}", receipt.reference));
    let html = c.get(app.url(&location(&res))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("已受理") && html.contains(&receipt.reference), "the status is shown");
    let wrong = app.post_plain_as(&c, "complaints/status", "/complaints/status", &[("reference", &receipt.reference), ("check_code", "WRONGCODE2")]).await;
    assert_eq!(wrong.status(), 303);
    let html = c.get(app.url("/complaints/status")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("没有找到与该受理编号和查询码相符的投诉"), "the refusal is shown");
    assert!(!html.contains("WRONGCODE2"), "the code typed is not echoed back");

    // Ten guesses from one address in a quarter of an hour; then even the right pair waits.
    // (Five failures so far; successful checks do not count.)
    for _ in 0..5 {
        assert_eq!(status(&app, &receipt.reference, "WRONGCODE2").await.status(), 422);
    }
    let res = status(&app, &receipt.reference, &receipt.code).await;
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }), "the address has used its guesses");
}

async fn anonymous_complaints_are_throttled_per_address_and_bad_input_comes_back_to_the_form(db: Db) {
    let app = spawn_app(db).await;
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM complaints").fetch_one(&app.pool).await.unwrap() };

    // Bad input files nothing, costs nothing, and the form shows why with what was typed.
    let c = client();
    let res = file(&app, &c, &[("category", "nonsense"), ("employer_name", "乐山某中介"), ("description", "  ")], None).await;
    assert_eq!((res.status().as_u16(), location(&res).as_str()), (303, "/complaints"));
    let html = c.get(app.url("/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("请选择一项") && html.contains("此项为必填项"), "field messages");
    assert!(html.contains("value=\"乐山某中介\""), "what was typed is kept");
    let long = "骗".repeat(2001);
    let res = file(&app, &c, &[("category", "other"), ("description", &long)], None).await;
    assert_eq!(res.status(), 303);
    let html = c.get(app.url("/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("请精简到 2000 字以内"));
    assert_eq!(count().await, 0);

    // A form posted from another site is refused before it is read.
    let foreign = client()
        .post(app.url("/complaints/file"))
        .header("Origin", "https://evil.example")
        .multipart(reqwest::multipart::Form::new().text("category", "other").text("description", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), 403);
    assert_eq!(count().await, 0);

    // Five anonymous complaints an hour from one address, whoever sends them.
    for _ in 0..5 {
        filed(&app, &client(), FEE).await;
    }
    let c = client();
    let res = file(&app, &c, FEE, None).await;
    assert_eq!((res.status().as_u16(), location(&res).as_str()), (303, "/complaints"), "the sixth goes back to the form");
    let html = c.get(app.url("/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("尝试次数过多"), "and says to wait");
    assert!(html.contains("面试时要求先交 800 元培训费"), "with the description kept");
    assert_eq!(count().await, 5);

    // A signed-in reporter at the same address is counted by the account instead.
    let (g, _) = app.signed_in("reporter@example.com", Role::Graduate).await;
    filed(&app, &g, FEE).await;
    assert_eq!(count().await, 6);
}

async fn evidence_follows_the_upload_rules_and_only_staff_open_an_anonymous_reporters_file(db: Db) {
    let app = spawn_app(db).await;
    let c = client();
    let res = file(&app, &c, FEE, Some(("receipt.pdf", b"MZ\x90\x00 not a pdf".to_vec()))).await;
    assert_eq!(location(&res), "/complaints");
    let html = c.get(app.url("/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("只能上传 PDF、JPG 或 PNG"), "the file's type is judged by its content");
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b'x');
    file(&app, &c, FEE, Some(("big.pdf", big))).await;
    let html = c.get(app.url("/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("文件超过 5 MB"));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, 0);

    let res = file(&app, &c, FEE, Some(("chat.png", PNG.to_vec()))).await;
    assert_eq!(location(&res), "/complaints/received");
    let receipt: Receipt = app.fetch_as::<Option<Receipt>>(&c, "complaints/receipt", &[]).await.unwrap();
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let d = detail(&app, &cw, &receipt.reference).await;
    let evidence = d.evidence.expect("the evidence is on the complaint");
    assert_eq!((evidence.mime.as_str(), evidence.size), ("image/png", PNG.len() as i64));
    let owner: Option<i64> = sqlx::query_scalar("SELECT owner_id FROM uploads WHERE id = $1").bind(evidence.id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(owner, None, "an anonymous reporter's file has no owner");
    let got = cw.get(app.url(&format!("/files/{}", evidence.id))).send().await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.bytes().await.unwrap().as_ref(), PNG);
    assert_eq!(client().get(app.url(&format!("/files/{}", evidence.id))).send().await.unwrap().status(), 401);
    let (g, _) = app.signed_in("g@example.com", Role::Graduate).await;
    assert_eq!(g.get(app.url(&format!("/files/{}", evidence.id))).send().await.unwrap().status(), 404);

    // A signed-in reporter's evidence is the account's upload: its own to open, within its quota,
    // and not one of its profile documents.
    let res = file(&app, &g, FEE, Some(("chat.png", PNG.to_vec()))).await;
    assert_eq!(location(&res), "/complaints/received");
    let (id, purpose): (i64, String) = sqlx::query_as("SELECT id, purpose FROM uploads WHERE owner_id IS NOT NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(purpose, "complaint_evidence");
    assert_eq!(g.get(app.url(&format!("/files/{id}"))).send().await.unwrap().status(), 200);
    let g_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'g@example.com'").fetch_one(&app.pool).await.unwrap();
    for _ in 0..19 {
        sqlx::query("INSERT INTO uploads (owner_id, purpose, sha256, mime, size, created_at) VALUES ($1, 'id_card', 'x', 'image/png', 1, 0)")
            .bind(g_id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
    let res = file(&app, &g, FEE, Some(("chat.png", PNG.to_vec()))).await;
    assert_eq!(location(&res), "/complaints", "twenty files is the account's limit, evidence included");
    let html = g.get(app.url("/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("已达每个账号的上限（20 个）"));
}

async fn a_graduate_cannot_see_or_work_the_complaints_queue(db: Db) {
    let app = spawn_app(db).await;
    let receipt = filed(&app, &client(), FEE).await;
    let (g, _) = app.signed_in("g@example.com", Role::Graduate).await;
    for (endpoint, form) in [
        ("complaints/queue", vec![]),
        ("complaints/detail", vec![("reference", receipt.reference.as_str())]),
        ("complaints/act", vec![("complaint_id", "1"), ("version", "1"), ("action", "take")]),
    ] {
        assert_eq!(app_error(app.call_as(&g, endpoint, &form).await).await, AppError::Forbidden, "{endpoint} as a graduate");
        assert_eq!(app_error(app.call_as(&client(), endpoint, &form).await).await, AppError::Unauthorized, "{endpoint} signed out");
    }
    for path in ["/staff/complaints".to_string(), format!("/staff/complaints/{}", receipt.reference)] {
        let res = g.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 403, "{path}");
        let html = res.text().await.unwrap();
        assert!(!html.contains("面试时要求"), "{path} shows nothing of the complaint");
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT assignee_id FROM complaints").fetch_one(&app.pool).await.unwrap();
    assert_eq!(taken, None);

    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let queue: QueuePage = app.fetch_as(&cw, "complaints/queue", &[]).await;
    assert_eq!(queue.rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), [receipt.reference.as_str()]);
    assert!(queue.rows[0].anonymous);
    let html = cw.get(app.url("/staff/complaints")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&receipt.reference), "the queue page is server-rendered for case workers");
}

/// A complaint about the vacancy `id`, filed anonymously, and taken by a case worker.
async fn taken_complaint_about(app: &TestApp, cw: &reqwest::Client, vacancy_id: i64) -> String {
    let id = vacancy_id.to_string();
    let receipt = filed(app, &client(), &[("category", "false_recruitment"), ("vacancy_id", &id), ("description", "岗位是假的，到了现场让交押金。")]).await;
    let d = stepped(app, cw, &receipt.reference, ComplaintAction::Take, &[]).await;
    assert_eq!(d.status, ComplaintStatus::InProgress);
    receipt.reference
}

async fn suspending_a_vacancy_hides_it_from_search_and_its_page_at_once_and_tells_the_employer(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let hr = employer(&app, "hr@example.com", "乐山某科技公司", true).await;
    assert_eq!(post(&app, &hr, "网络客服专员", "在家办公，日结。", &[]).await.status(), 200);
    assert_eq!(post(&app, &hr, "网络运营助理", "正常岗位。", &[]).await.status(), 200);
    let vacancy = mine(&app, &hr).await.into_iter().find(|v| v.title == "网络客服专员").unwrap();
    assert_eq!(search(&app, "网络", &[]).await.total, 2);

    // The vacancy page links the form with the vacancy named.
    let (_, page) = app.page(&format!("/vacancies/{}", vacancy.id)).await;
    assert!(page.contains(&format!("href=\"/complaints?vacancy={}\"", vacancy.id)), "a report link on the vacancy's page");
    let (_, form) = app.page(&format!("/complaints?vacancy={}", vacancy.id)).await;
    assert!(form.contains("网络客服专员") && form.contains(&format!("name=\"vacancy_id\" value=\"{}\"", vacancy.id)), "the form names it");

    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let reference = taken_complaint_about(&app, &cw, vacancy.id).await;
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d.vacancy.as_ref().map(|v| v.id), Some(vacancy.id));
    assert_eq!(d.employer.as_ref().map(|e| e.name.as_str()), Some("乐山某科技公司"), "the vacancy names its employer");
    let res = step(&app, &cw, &d, ComplaintAction::SuspendVacancy, &[]).await;
    assert_eq!(app_error(res).await.field_key("text"), Some("complaint.text_required"), "the employer is told why");
    let d = stepped(&app, &cw, &reference, ComplaintAction::SuspendVacancy, &[("text", "以招聘为名收取押金")]).await;
    assert_eq!(d.vacancy.as_ref().map(|v| v.status), Some(VacancyStatus::Suspended));
    assert!(!d.actions.contains(&ComplaintAction::SuspendVacancy) && d.actions.contains(&ComplaintAction::ReinstateVacancy));

    // Gone at once: search, the vacancy's page and its data, the feed.
    let found = search(&app, "网络", &[]).await;
    assert_eq!(found.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["网络运营助理"]);
    assert_eq!(app_error(app.call_as(&client(), "vacancies/get", &[("id", &vacancy.id.to_string())]).await).await, AppError::NotFound);
    let (status, html) = app.page(&format!("/vacancies/{}", vacancy.id)).await;
    assert_eq!(status, 404);
    assert!(!html.contains("在家办公"));
    let feed = client().get(app.url("/vacancies/feed.xml")).send().await.unwrap().text().await.unwrap();
    assert!(!feed.contains("网络客服专员") && feed.contains("网络运营助理"));

    // The employer is told why, sees it on the posting, and cannot put it back up.
    let (subject, body) = app.last_mail_to("hr@example.com").await.expect("the employer is emailed");
    assert!(subject.contains("暂停") && body.contains("网络客服专员") && body.contains("以招聘为名收取押金"), "{subject}\n{body}");
    let own: Vacancy = mine(&app, &hr).await.into_iter().find(|v| v.id == vacancy.id).unwrap();
    assert_eq!((own.status, own.review_note.as_str()), (VacancyStatus::Suspended, "以招聘为名收取押金"));
    let res = post(&app, &hr, "网络客服专员", "改过了", &[("id", &vacancy.id.to_string()), ("version", &own.version.to_string())]).await;
    assert_eq!(app_error(res).await, AppError::Conflict("vacancy.not_allowed".into()));
    let res = app.call_as(&hr, "vacancies/close", &[("id", &vacancy.id.to_string()), ("version", &own.version.to_string())]).await;
    assert_eq!(res.status(), 409);
    let events: Vec<String> = sqlx::query_scalar("SELECT note FROM vacancy_events WHERE vacancy_id = $1 ORDER BY id").bind(vacancy.id).fetch_all(&app.pool).await.unwrap();
    assert_eq!(events.last().map(String::as_str), Some("suspend"), "on the vacancy's own timeline: {events:?}");

    // Lifted, the posting is closed: its employer may edit and publish it again.
    stepped(&app, &cw, &reference, ComplaintAction::ReinstateVacancy, &[]).await;
    let own: Vacancy = mine(&app, &hr).await.into_iter().find(|v| v.id == vacancy.id).unwrap();
    assert_eq!((own.status, own.review_note.as_str()), (VacancyStatus::Closed, ""));
    assert!(app.last_mail_to("hr@example.com").await.unwrap().0.contains("解除"));
}

async fn a_suspended_employer_loses_its_listings_cannot_publish_and_is_told_why(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let hr = employer(&app, "hr@example.com", "乐山某培训公司", true).await;
    let other = employer(&app, "other@example.com", "乐山正规公司", true).await;
    for title in ["课程顾问", "电话销售"] {
        assert_eq!(post(&app, &hr, title, "底薪加提成。", &[]).await.status(), 200);
    }
    assert_eq!(post(&app, &hr, "行政助理", "草稿", &[("intent", "draft")]).await.status(), 200);
    assert_eq!(post(&app, &other, "销售代表", "底薪加提成。", &[]).await.status(), 200);
    assert_eq!(search(&app, "提成", &[]).await.total, 3);
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;

    // One posting suspended on its own, from a complaint about it.
    let phone_sales = mine(&app, &hr).await.into_iter().find(|v| v.title == "电话销售").unwrap();
    let first = taken_complaint_about(&app, &cw, phone_sales.id).await;
    stepped(&app, &cw, &first, ComplaintAction::SuspendVacancy, &[("text", "虚假岗位")]).await;

    // Another complaint names the employer in the reporter's words; the case worker links it by
    // its credit code.
    let receipt = filed(&app, &client(), &[("category", "training_loan"), ("employer_name", "某培训机构"), ("description", "入职前要求办理培训贷。")]).await;
    let d = stepped(&app, &cw, &receipt.reference, ComplaintAction::Take, &[]).await;
    assert!(d.employer.is_none(), "no registered employer has the name the reporter wrote");
    assert!(!d.actions.contains(&ComplaintAction::SuspendEmployer), "nothing to suspend yet");
    let res = step(&app, &cw, &d, ComplaintAction::LinkEmployer, &[("credit_code", "91511100MA62D0000")]).await;
    assert!(app_error(res).await.field_key("credit_code").is_some(), "a malformed code is refused at its field");
    let code: String = sqlx::query_scalar("SELECT credit_code FROM employers WHERE name = '乐山某培训公司'").fetch_one(&app.pool).await.unwrap();
    let d = stepped(&app, &cw, &receipt.reference, ComplaintAction::LinkEmployer, &[("credit_code", &code)]).await;
    assert_eq!(d.employer.as_ref().map(|e| (e.name.as_str(), e.complaints)), Some(("乐山某培训公司", 2)));

    let d = stepped(&app, &cw, &receipt.reference, ComplaintAction::SuspendEmployer, &[("text", "诱导求职者办理培训贷")]).await;
    assert_eq!(d.employer.as_ref().and_then(|e| e.suspended.as_deref()), Some("诱导求职者办理培训贷"));
    let found = search(&app, "提成", &[]).await;
    assert_eq!(found.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["销售代表"], "only the other employer's posting is left");
    let (_, body) = app.last_mail_to("hr@example.com").await.expect("the employer is emailed");
    assert!(body.contains("诱导求职者办理培训贷") && body.contains("1 个岗位"), "the one still listed went down: {body}");
    let statuses: Vec<(String, VacancyStatus)> = mine(&app, &hr).await.into_iter().map(|v| (v.title, v.status)).collect();
    assert!(statuses.contains(&("行政助理".into(), VacancyStatus::Draft)), "a draft stays a draft: {statuses:?}");

    // No publishing while suspended, neither a new posting nor the draft; a draft may be saved.
    let res = post(&app, &hr, "客服", "正常岗位", &[]).await;
    assert_eq!(app_error(res).await.field_key(""), Some("vacancy.employer_suspended"));
    assert_eq!(post(&app, &hr, "客服", "正常岗位", &[("intent", "draft")]).await.status(), 200);
    let (state, _): (app::vacancies::api::EmployerState, Vec<Vacancy>) = app.fetch_as(&hr, "vacancies/mine", &[]).await;
    assert_eq!(state.suspended.as_deref(), Some("诱导求职者办理培训贷"), "the employer's page says why");
    assert!(search(&app, "正常岗位", &[]).await.rows.is_empty());

    // Lifting the employer's suspension closes the posting that went down with it (its employer
    // may publish it again); the one suspended on its own stays down.
    stepped(&app, &cw, &receipt.reference, ComplaintAction::ReinstateEmployer, &[]).await;
    let statuses: Vec<(String, VacancyStatus)> = mine(&app, &hr).await.into_iter().map(|v| (v.title, v.status)).collect();
    assert!(statuses.contains(&("课程顾问".into(), VacancyStatus::Closed)), "{statuses:?}");
    assert!(statuses.contains(&("电话销售".into(), VacancyStatus::Suspended)), "{statuses:?}");
    assert_eq!(app.last_mail_to("hr@example.com").await.map(|m| m.0), Some("暂停已解除".to_string()), "the employer is told");
    assert_eq!(post(&app, &hr, "前台", "正常岗位", &[]).await.status(), 200, "publishing again");
}

async fn a_signed_in_reporter_is_emailed_at_each_status_change_and_reads_the_outcome(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (g, _) = app.signed_in("reporter@example.com", Role::Graduate).await;
    let receipt = filed(&app, &g, FEE).await;
    let mails = || async {
        sqlx::query_as::<_, (String, String)>("SELECT subject, body_text FROM outbox WHERE to_addr = 'reporter@example.com' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .unwrap()
    };
    let sent = mails().await;
    assert_eq!(sent.len(), 1, "received");
    assert!(sent[0].1.contains(&receipt.reference) && sent[0].1.contains("已受理"), "{}", sent[0].1);
    assert!(!sent[0].1.contains(&receipt.code), "the check code is never emailed");
    assert!(sent[0].1.contains(&format!("/complaints/status?reference={}", receipt.reference)));

    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    stepped(&app, &cw, &receipt.reference, ComplaintAction::Take, &[]).await;
    stepped(&app, &cw, &receipt.reference, ComplaintAction::Note, &[("text", "已电话联系该中介")]).await;
    let (cw2, _) = app.signed_in("cw2@example.com", Role::CaseWorker).await;
    stepped(&app, &cw2, &receipt.reference, ComplaintAction::Take, &[]).await;
    let sent = mails().await;
    assert_eq!(sent.len(), 2, "in progress; a note or a colleague taking over is no status change");
    assert!(sent[1].1.contains("处理中"), "{}", sent[1].1);

    let d = detail(&app, &cw2, &receipt.reference).await;
    let res = step(&app, &cw2, &d, ComplaintAction::Close, &[("text", "已查实，责令退还费用。")]).await;
    assert_eq!(app_error(res).await.field_key("outcome"), Some("validation.choose_one"), "an outcome is chosen");
    let stale = ComplaintDetail { version: d.version - 1, ..d.clone() };
    let res = step(&app, &cw2, &stale, ComplaintAction::Close, &[("outcome", "upheld"), ("text", "x")]).await;
    assert_eq!(app_error(res).await, AppError::Conflict("complaint.stale".into()));
    let d = stepped(&app, &cw2, &receipt.reference, ComplaintAction::Close, &[("outcome", "upheld"), ("text", "已查实，责令退还费用。")]).await;
    assert_eq!((d.status, d.outcome), (ComplaintStatus::Closed, Some(ComplaintOutcome::Upheld)));
    assert!(d.actions.is_empty(), "closed is final");

    let sent = mails().await;
    assert_eq!(sent.len(), 3);
    assert!(sent[2].1.contains("投诉属实") && sent[2].1.contains("已查实，责令退还费用。"), "{}", sent[2].1);
    let status: PublicStatus = decode(status(&app, &receipt.reference, &receipt.code).await).await;
    assert_eq!((status.status, status.outcome, status.outcome_text.as_str()), (ComplaintStatus::Closed, Some(ComplaintOutcome::Upheld), "已查实，责令退还费用。"));
    assert!(status.closed_at.is_some());
}

async fn every_step_is_on_the_timeline_and_in_the_audit_log(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let hr = employer(&app, "hr@example.com", "乐山某公司", true).await;
    assert_eq!(post(&app, &hr, "仓库管理员", "包吃住。", &[]).await.status(), 200);
    let vacancy = mine(&app, &hr).await.remove(0);
    let (cw, cw_id) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let reference = taken_complaint_about(&app, &cw, vacancy.id).await;
    stepped(&app, &cw, &reference, ComplaintAction::Note, &[("text", "已核实该岗位")]).await;
    stepped(&app, &cw, &reference, ComplaintAction::SuspendVacancy, &[("text", "虚假岗位")]).await;
    stepped(&app, &cw, &reference, ComplaintAction::SuspendEmployer, &[("text", "多次被投诉")]).await;
    let d = stepped(&app, &cw, &reference, ComplaintAction::Close, &[("outcome", "upheld"), ("text", "已暂停该单位招聘。")]).await;

    use ComplaintAction as A;
    let steps: Vec<(A, &str, Option<Role>)> = d.events.iter().map(|e| (e.step, e.text.as_str(), e.actor_role)).collect();
    assert_eq!(
        steps,
        [
            (A::File, "", None),
            (A::Take, "", Some(Role::CaseWorker)),
            (A::Note, "已核实该岗位", Some(Role::CaseWorker)),
            (A::SuspendVacancy, "虚假岗位", Some(Role::CaseWorker)),
            (A::SuspendEmployer, "多次被投诉", Some(Role::CaseWorker)),
            (A::Close, "已暂停该单位招聘。", Some(Role::CaseWorker)),
        ]
    );
    assert_eq!(d.events[0].actor_name, None, "filed anonymously");

    let audit: Vec<(Option<i64>, String, String)> =
        sqlx::query_as("SELECT actor_id, action, target FROM audit_log WHERE target LIKE 'complaint:%' ORDER BY id").fetch_all(&app.pool).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|(_, a, _)| a.as_str()).collect();
    assert_eq!(actions, ["complaint:filed", "complaint:take", "complaint:note", "vacancy:suspend", "employer:suspend", "complaint:close"]);
    assert!(audit.iter().all(|(_, _, t)| t.starts_with(&format!("complaint:{reference}"))), "{audit:?}");
    assert_eq!(audit[0].0, None, "an anonymous filing has no actor");
    assert!(audit[1..].iter().all(|(actor, _, _)| *actor == Some(cw_id)));
    assert!(audit[3].2.contains(&format!("vacancy:{}", vacancy.id)), "{}", audit[3].2);

    // The case worker's page shows the timeline, server-rendered.
    let html = cw.get(app.url(&format!("/staff/complaints/{reference}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("已核实该岗位") && html.contains("暂停该单位招聘") && html.contains("投诉属实"));
}

/// A database migrated up to 0006 with a vacancy (indexed for search, with its timeline) and an
/// upload in it; then the server starts on it and migration 0007 runs over those rows, as it
/// will on every portal already in use. SQLite rebuilds `vacancies`, `vacancy_events` and
/// `uploads` there: the rows, the FTS5 index and its triggers must all survive.
async fn migration_0007_keeps_every_vacancy_its_timeline_its_search_index_and_every_upload(db: Db) {
    use sqlx::migrate::{Migrate, Migrator};
    let dir = tempfile::tempdir().unwrap();
    let (url, migrations) = match db {
        Db::Sqlite => (format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display()), "sqlite"),
        Db::Postgres => (fresh_postgres_database().await, "postgres"),
    };
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let migrator = Migrator::new(std::path::Path::new(&format!("{}/../migrations/{migrations}", env!("CARGO_MANIFEST_DIR")))).await.unwrap();
    {
        let mut conn = pool.acquire().await.unwrap();
        conn.ensure_migrations_table().await.unwrap();
        for m in migrator.iter().filter(|m| m.version <= 6) {
            conn.apply(m).await.unwrap();
        }
    }
    let run = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query(sql).execute(&pool).await.unwrap() }
    };
    run("INSERT INTO users (email, password_hash, role, display_name, created_at) VALUES ('hr@example.com', 'x', 'employer', '王芳', 0)").await;
    run("INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES (1, '乐山会计事务所', '91511100MA62D6H2X', 'verified', 0)").await;
    let tokens = app::vacancies::search::index_tokens("财务会计助理 负责记账");
    sqlx::query(
        "INSERT INTO vacancies (employer_id, title, description, category, place, salary_min, salary_max, education, headcount, kind, \
           expires_on, status, version, screening, review_note, search_tokens, created_at, updated_at) \
         VALUES (1, '财务会计助理', '负责记账', 'finance', 'shizhong', 4000, 6000, 'bachelor', 1, 'job', '2999-12-31', 'published', 2, '[]', '', $1, 0, 0)",
    )
    .bind(&tokens)
    .execute(&pool)
    .await
    .unwrap();
    run("INSERT INTO vacancy_events (vacancy_id, actor_id, actor_role, from_status, to_status, reason, note, at) VALUES (1, 1, 'employer', 'draft', 'published', '', 'publish', 0)").await;
    run("INSERT INTO users (email, password_hash, role, display_name, created_at) VALUES ('g@example.com', 'x', 'graduate', '李明', 0)").await;
    run("INSERT INTO uploads (owner_id, purpose, sha256, mime, size, created_at) VALUES (2, 'id_card', 'abc', 'image/png', 16, 0)").await;
    pool.close().await;

    let app = spawn_app_with(db, Options { extra: vec![("DATABASE_URL", url)], ..Options::default() }).await;
    let found = search(&app, "会计", &[]).await;
    assert_eq!(found.rows.iter().map(|r| (r.id, r.title.as_str())).collect::<Vec<_>>(), [(1, "财务会计助理")], "the index still finds the row by its id");
    let events: Vec<(i64, String)> = sqlx::query_as("SELECT vacancy_id, note FROM vacancy_events").fetch_all(&app.pool).await.unwrap();
    assert_eq!(events, [(1, "publish".to_string())]);
    let uploads: Vec<(Option<i64>, String)> = sqlx::query_as("SELECT owner_id, purpose FROM uploads").fetch_all(&app.pool).await.unwrap();
    assert_eq!(uploads, [(Some(2), "id_card".to_string())]);

    // The new status is allowed and leaves the search; the triggers index new and edited rows.
    sqlx::query("UPDATE vacancies SET status = 'suspended' WHERE id = 1").execute(&app.pool).await.unwrap();
    assert!(search(&app, "会计", &[]).await.rows.is_empty());
    let hr = employer(&app, "new-hr@example.com", "乐山新公司", true).await;
    assert_eq!(post(&app, &hr, "会计主管", "全盘账务", &[]).await.status(), 200);
    assert_eq!(search(&app, "会计", &[]).await.rows.iter().map(|r| r.title.as_str()).collect::<Vec<_>>(), ["会计主管"]);
    sqlx::query("UPDATE vacancies SET search_tokens = $1 WHERE title = '会计主管'").bind(app::vacancies::search::index_tokens("出纳")).execute(&app.pool).await.unwrap();
    assert!(search(&app, "会计", &[]).await.rows.is_empty(), "an edit re-indexes the row");
    assert_eq!(search(&app, "出纳", &[]).await.total, 1);
}
