//! The integration API through HTTP on both databases: the public vacancy list, posting with an
//! employer's token through the form's checks, the exports of a period, tokens refused without
//! their scope or once revoked, the rate limit, the one error shape of every failure, and the
//! OpenAPI document read back against the specification's types.

use crate::support::*;
use crate::vacancies::{employer, mine, post};
use app::account::Role;
use app::i18n::{tr, Lang};
use app::integration::TokenPage;
use app::shared::time::Date;
use app::vacancies::VacancyStatus;
use serde_json::{json, Value};

on_both_databases!(
    the_public_list_shows_only_published_vacancies_and_the_rest_are_not_found,
    an_employer_token_posts_a_vacancy_for_its_organisation_and_bad_fields_come_back_per_field,
    a_token_is_refused_without_its_scope_and_unknown_revoked_or_disabled_tokens_are_401,
    the_exports_return_exactly_the_rows_of_the_period_page_by_page,
    a_token_past_its_limit_gets_429_with_retry_after,
    unknown_routes_wrong_methods_bad_bodies_and_bad_queries_answer_in_the_one_error_shape,
    the_openapi_document_is_valid_openapi_3_and_names_exactly_the_routes_served,
);

/// A failed API answer: checks it has the one error shape and the status, and returns its code,
/// message and field messages.
async fn api_error(res: reqwest::Response, status: u16) -> (String, String, serde_json::Map<String, Value>) {
    assert_eq!(res.status().as_u16(), status, "status of {}", res.url());
    assert!(res.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json")), "JSON");
    let body: Value = res.json().await.expect("a JSON body");
    let outer = body.as_object().expect("an object");
    assert_eq!(outer.keys().collect::<Vec<_>>(), ["error"], "only `error`: {body}");
    let error = outer["error"].as_object().expect("`error` is an object");
    assert!(error.keys().all(|k| ["code", "message", "fields"].contains(&k.as_str())), "{body}");
    let code = error["code"].as_str().expect("a code").to_string();
    let message = error["message"].as_str().expect("a message").to_string();
    assert!(!message.is_empty());
    let fields = match error.get("fields") {
        None => serde_json::Map::new(),
        Some(f) => {
            let f = f.as_object().expect("fields is an object").clone();
            assert!(!f.is_empty() && f.values().all(|v| v.as_str().is_some_and(|s| !s.is_empty())), "{body}");
            f
        }
    };
    (code, message, fields)
}

/// A token made on the token page by the signed-in `c`, with these scope boxes ticked.
async fn token(app: &TestApp, c: &reqwest::Client, name: &str, boxes: &[&str]) -> String {
    let mut form = vec![("name", name)];
    form.extend(boxes.iter().map(|b| (*b, "on")));
    let res = app.call_as(c, "api_tokens/create", &form).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let page: TokenPage = app.fetch_as(c, "api_tokens/list", &[]).await;
    let secret = page.created.expect("the new token is shown once");
    let again: TokenPage = app.fetch_as(c, "api_tokens/list", &[]).await;
    assert_eq!(again.created, None, "and only once");
    assert!(!again.tokens.is_empty());
    secret
}

fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::RequestBuilder {
    let req = client().get(app.url(path));
    match token {
        Some(t) => req.bearer_auth(t),
        None => req,
    }
}

/// A POST from a program: no cookie, no `Origin`.
fn post_json(app: &TestApp, token: &str, body: &Value) -> reqwest::RequestBuilder {
    client().post(app.url("/api/v1/vacancies")).bearer_auth(token).json(body)
}

fn in_a_month() -> String {
    Date::today_from_unix(app::ssr::now() + 30 * 86_400).to_string()
}

fn new_vacancy(title: &str) -> Value {
    json!({
        "title": title, "description": "负责账务处理，五险一金。", "category": "finance", "place": "shizhong",
        "salary_min": 4000, "salary_max": "6000", "education": "bachelor", "headcount": 2, "expires_on": in_a_month()
    })
}

async fn the_public_list_shows_only_published_vacancies_and_the_rest_are_not_found(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山会计事务所", true).await;
    assert_eq!(post(&app, &c, "财务会计助理", "负责日常记账。", &[]).await.status(), 200);
    assert_eq!(post(&app, &c, "出纳草稿", "记账", &[("intent", "draft")]).await.status(), 200);
    assert_eq!(post(&app, &c, "出纳", "入职需交押金500元。", &[]).await.status(), 200);
    let ids = |title: &str, list: &[app::vacancies::Vacancy]| list.iter().find(|v| v.title == title).map(|v| (v.id, v.status)).unwrap();
    let list = mine(&app, &c).await;
    let (published, _) = ids("财务会计助理", &list);
    assert_eq!(ids("出纳", &list).1, VacancyStatus::PendingReview);
    let (draft, _) = ids("出纳草稿", &list);

    let res = get(&app, "/api/v1/vacancies", None).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let titles: Vec<&str> = body["items"].as_array().unwrap().iter().map(|v| v["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["财务会计助理"], "drafts and held postings are not listed");
    assert_eq!((body["page"].as_i64(), body["per_page"].as_i64(), body["total"].as_i64()), (Some(1), Some(20), Some(1)));
    assert_eq!(body["items"][0]["employer"], "乐山会计事务所");
    assert_eq!(body["items"][0]["url"], format!("{}/vacancies/{published}", app.base));

    let filtered: Value = get(&app, "/api/v1/vacancies?q=%E4%BC%9A%E8%AE%A1&place=shizhong", None).send().await.unwrap().json().await.unwrap();
    assert_eq!(filtered["total"], 1);
    let elsewhere: Value = get(&app, "/api/v1/vacancies?q=%E4%BC%9A%E8%AE%A1&place=ebian", None).send().await.unwrap().json().await.unwrap();
    assert_eq!(elsewhere["total"], 0, "the place filter applies");

    let one: Value = get(&app, &format!("/api/v1/vacancies/{published}"), None).send().await.unwrap().json().await.unwrap();
    assert_eq!((one["title"].as_str(), one["headcount"].as_i64()), (Some("财务会计助理"), Some(2)));
    assert!(one.get("screening").is_none() && one.get("review_note").is_none(), "the desk's notes stay on the desk");
    for hidden in [draft.to_string(), "999999".to_string(), "abc".to_string()] {
        let (code, _, _) = api_error(get(&app, &format!("/api/v1/vacancies/{hidden}"), None).send().await.unwrap(), 404).await;
        assert_eq!(code, "not_found");
    }
}

async fn an_employer_token_posts_a_vacancy_for_its_organisation_and_bad_fields_come_back_per_field(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山会计事务所", true).await;
    let secret = token(&app, &c, "人事系统", &["vacancies_write"]).await;
    assert!(secret.starts_with("lsp_") && secret.len() == 68, "{secret}");

    let res = post_json(&app, &secret, &new_vacancy("会计主管")).send().await.unwrap();
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let made: Value = res.json().await.unwrap();
    assert_eq!(made["status"], "published");
    assert_eq!(location, made["url"].as_str().unwrap());
    let list = mine(&app, &c).await;
    let v = list.iter().find(|v| v.title == "会计主管").expect("the employer's own posting");
    assert_eq!((v.id, v.status, v.salary_max, v.employer_name.as_str()), (made["id"].as_i64().unwrap(), VacancyStatus::Published, 6000, "乐山会计事务所"));
    let listed: Value = get(&app, "/api/v1/vacancies", None).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["items"][0]["title"], "会计主管");

    // The same screening as the form: a deposit waits for a case worker.
    let mut flagged = new_vacancy("出纳");
    flagged["description"] = json!("入职需交押金500元。");
    let held: Value = post_json(&app, &secret, &flagged).send().await.unwrap().json().await.unwrap();
    assert_eq!(held["status"], "pending_review");

    // Bad fields: every one named, in Chinese unless English is asked for.
    let bad = json!({ "description": "x", "category": "astrology", "place": "shizhong", "salary_min": "abc", "salary_max": 1,
                      "education": "bachelor", "headcount": [2], "expires_on": "2020-01-01" });
    let (code, _, fields) = api_error(post_json(&app, &secret, &bad).send().await.unwrap(), 422).await;
    assert_eq!(code, "invalid");
    let mut named: Vec<&str> = fields.keys().map(String::as_str).collect();
    named.sort();
    assert_eq!(named, ["category", "expires_on", "headcount", "salary_min", "title"]);
    assert_eq!(fields["title"], tr(Lang::ZhCn, "validation.required"));
    assert_eq!(fields["headcount"], tr(Lang::ZhCn, "api.field_type"));
    let res = post_json(&app, &secret, &bad).header("Accept-Language", "en-GB,en;q=0.9").send().await.unwrap();
    let (_, message, fields) = api_error(res, 422).await;
    assert_eq!((fields["title"].as_str(), message.as_str()), (Some(tr(Lang::En, "validation.required")), tr(Lang::En, "api.invalid")));
    assert_eq!(mine(&app, &c).await.len(), 2, "nothing saved by the refused posts");

    // The form's rules about the employer hold too.
    let unverified = employer(&app, "new@example.com", "新公司", false).await;
    let fresh = token(&app, &unverified, "新系统", &["vacancies_write"]).await;
    let (code, message, fields) = api_error(post_json(&app, &fresh, &new_vacancy("会计")).send().await.unwrap(), 422).await;
    assert_eq!((code.as_str(), message.as_str(), fields.len()), ("invalid", tr(Lang::ZhCn, "vacancy.not_verified"), 0));
    let mut draft = new_vacancy("会计");
    draft["publish"] = json!(false);
    let saved: Value = post_json(&app, &fresh, &draft).send().await.unwrap().json().await.unwrap();
    assert_eq!(saved["status"], "draft", "an unverified employer keeps drafts, as on the form");
}

async fn a_token_is_refused_without_its_scope_and_unknown_revoked_or_disabled_tokens_are_401(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山会计事务所", true).await;
    let (cw, cw_id) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let vacancy_token = token(&app, &c, "人事系统", &["vacancies_write"]).await;
    let registrations_token = token(&app, &cw, "省平台登记", &["registrations_read"]).await;
    let period = "from=2026-11-01&to=2026-11-30";

    // Each role may give only its own scopes.
    let res = app.call_as(&c, "api_tokens/create", &[("name", "越权"), ("registrations_read", "on")]).await;
    assert_eq!(app_error(res).await.field_key("scopes"), Some("api_token.scope_not_allowed"));
    let res = app.call_as(&cw, "api_tokens/create", &[("name", "空")]).await;
    assert_eq!(app_error(res).await.field_key("scopes"), Some("api_token.scope_required"));
    let (graduate, _) = app.signed_in("li@example.com", Role::Graduate).await;
    assert_eq!(app.call_as(&graduate, "api_tokens/create", &[("name", "x"), ("decisions_read", "on")]).await.status(), 403);

    // A vacancy token cannot export, an export token cannot post nor export what it was not given.
    let (code, _, _) = api_error(get(&app, &format!("/api/v1/registrations?{period}"), Some(&vacancy_token)).send().await.unwrap(), 403).await;
    assert_eq!(code, "forbidden");
    api_error(post_json(&app, &registrations_token, &new_vacancy("会计")).send().await.unwrap(), 403).await;
    api_error(get(&app, &format!("/api/v1/decisions?{period}"), Some(&registrations_token)).send().await.unwrap(), 403).await;
    assert_eq!(get(&app, &format!("/api/v1/registrations?{period}"), Some(&registrations_token)).send().await.unwrap().status(), 200);

    // No token, not a token, an unknown one: 401, and the header says how to authenticate.
    let res = get(&app, &format!("/api/v1/registrations?{period}"), None).send().await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
    assert_eq!(api_error(res, 401).await.0, "unauthorized");
    let unknown = format!("lsp_{}", "0".repeat(64));
    for bad in ["nonsense", &unknown, &registrations_token.to_uppercase()] {
        let (code, _, _) = api_error(get(&app, &format!("/api/v1/registrations?{period}"), Some(bad)).send().await.unwrap(), 401).await;
        assert_eq!(code, "invalid_token");
    }
    let res = client().get(app.url(&format!("/api/v1/registrations?{period}"))).header("Authorization", format!("Basic {registrations_token}")).send().await.unwrap();
    api_error(res, 401).await;

    // Revoked on the page: the next request is refused; the list says when.
    let page: TokenPage = app.fetch_as(&c, "api_tokens/list", &[]).await;
    let id = page.tokens[0].id;
    assert!(page.tokens[0].last_used_at.is_some(), "its use was noted");
    assert_eq!(app.call_as(&cw, "api_tokens/revoke", &[("id", &id.to_string())]).await.status(), 404, "only its maker revokes it");
    assert_eq!(app.call_as(&c, "api_tokens/revoke", &[("id", &id.to_string())]).await.status(), 200);
    api_error(post_json(&app, &vacancy_token, &new_vacancy("会计")).send().await.unwrap(), 401).await;
    let page: TokenPage = app.fetch_as(&c, "api_tokens/list", &[]).await;
    assert!(page.tokens[0].revoked_at.is_some());

    // A disabled account's tokens stop with it.
    sqlx::query("UPDATE users SET disabled_at = 1 WHERE id = $1").bind(cw_id).execute(&app.pool).await.unwrap();
    api_error(get(&app, &format!("/api/v1/registrations?{period}"), Some(&registrations_token)).send().await.unwrap(), 401).await;

    let audited: Vec<String> = sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'api_token:%' ORDER BY id").fetch_all(&app.pool).await.unwrap();
    assert_eq!(audited, ["api_token:created", "api_token:created", "api_token:revoked"]);
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens").fetch_all(&app.pool).await.unwrap();
    assert!(stored.iter().all(|h| h.len() == 64 && *h != vacancy_token && *h != registrations_token), "only hashes are stored");
}

/// Unix seconds at `hour`:00 China Standard Time on `day`.
fn at(day: &str, hour: i64) -> i64 {
    Date::parse(day).unwrap().days_from_epoch() * 86_400 - 8 * 3600 + hour * 3600
}

async fn application(app: &TestApp, n: u32, kind: &str, status: &str, submitted: i64, decided: Option<i64>) {
    let applicant = app.create_user(&format!("fixture{n}@example.cn"), PASSWORD, Role::Graduate).await;
    sqlx::query(
        "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, decided_at, created_at, updated_at) \
         VALUES ($1, $2, $3, '{}', $4, 1, 'shizhong', $5, $6, $5, $5)",
    )
    .bind(format!("LS-2026-9{n:05}"))
    .bind(applicant)
    .bind(kind)
    .bind(status)
    .bind(submitted)
    .bind(decided)
    .execute(&app.pool)
    .await
    .unwrap();
}

fn references(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap().trim_start_matches("LS-2026-9").to_string()).collect()
}

async fn the_exports_return_exactly_the_rows_of_the_period_page_by_page(db: Db) {
    let app = spawn_app(db).await;
    let reg = "jobseeker_registration";
    application(&app, 1, reg, "approved", at("2026-11-02", 0), Some(at("2026-11-04", 0))).await; // on the first second
    application(&app, 2, reg, "rejected", at("2026-11-03", 9), Some(at("2026-11-09", 9))).await;
    application(&app, 3, reg, "submitted", at("2026-11-10", 9), None).await;
    application(&app, 4, "employment_certificate", "completed", at("2026-11-05", 9), Some(at("2026-11-06", 9))).await;
    application(&app, 5, reg, "approved", at("2026-10-20", 9), Some(at("2026-11-03", 9))).await; // submitted before
    application(&app, 6, reg, "approved", at("2026-11-15", 23), Some(at("2026-11-16", 0))).await; // decided just after
    application(&app, 7, reg, "submitted", at("2026-11-16", 0), None).await; // just after
    application(&app, 8, reg, "submitted", at("2026-11-01", 23), None).await; // the evening before
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let both = token(&app, &cw, "省平台", &["registrations_read", "decisions_read"]).await;
    let read = |path: String| {
        let req = get(&app, &path, Some(&both));
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res.json::<Value>().await.unwrap()
        }
    };

    let regs = read("/api/v1/registrations?from=2026-11-02&to=2026-11-15".into()).await;
    assert_eq!(references(&regs), ["00001", "00002", "00003", "00006"]);
    assert_eq!(regs["total"], 4);
    let row = regs["items"][1].as_object().unwrap();
    let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["applicant_name", "household_place", "reference", "status", "submitted_at"], "names, never ID numbers");
    assert_eq!((row["status"].as_str(), row["submitted_at"].as_i64()), (Some("rejected"), Some(at("2026-11-03", 9))));

    let decisions = read("/api/v1/decisions?from=2026-11-02&to=2026-11-15".into()).await;
    assert_eq!(references(&decisions), ["00005", "00001", "00004", "00002"], "by decision time");
    assert_eq!(decisions["items"][2]["kind"], "employment_certificate");
    assert_eq!(decisions["items"][2]["status"], "completed");

    let first = read("/api/v1/decisions?from=2026-11-02&to=2026-11-15&per_page=3".into()).await;
    let second = read("/api/v1/decisions?from=2026-11-02&to=2026-11-15&per_page=3&page=2".into()).await;
    assert_eq!((references(&first), references(&second)), (vec!["00005".to_string(), "00001".into(), "00004".into()], vec!["00002".to_string()]));
    assert_eq!((second["total"].as_i64(), second["per_page"].as_i64(), second["page"].as_i64()), (Some(4), Some(3), Some(2)));
    let beyond = read("/api/v1/decisions?from=2026-11-02&to=2026-11-15&per_page=3&page=3".into()).await;
    assert!(references(&beyond).is_empty());

    // The period: both ends, in order, at most 366 days; paging within its caps.
    for (query, field) in [
        ("from=2026-11-02", "to"),
        ("from=2026-11-31&to=2026-12-01", "from"),
        ("from=2026-11-15&to=2026-11-02", "from"),
        ("from=2025-11-01&to=2026-11-02", "from"),
        ("from=2026-11-02&to=2026-11-15&per_page=501", "per_page"),
        ("from=2026-11-02&to=2026-11-15&page=0", "page"),
    ] {
        let (code, _, fields) = api_error(get(&app, &format!("/api/v1/registrations?{query}"), Some(&both)).send().await.unwrap(), 400).await;
        assert_eq!((code.as_str(), fields.keys().map(String::as_str).collect::<Vec<_>>()), ("bad_request", vec![field]), "{query}");
    }
    assert_eq!(read("/api/v1/registrations?from=2025-11-02&to=2026-11-02".into()).await["total"], 3, "366 days is allowed");
}

async fn a_token_past_its_limit_gets_429_with_retry_after(db: Db) {
    let app = spawn_app(db).await;
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let secret = token(&app, &cw, "脚本", &["decisions_read"]).await;
    let other = token(&app, &cw, "另一脚本", &["decisions_read"]).await;
    let path = "/api/v1/decisions?from=2026-11-01&to=2026-11-02";
    let limit = app::integration::ssr::REQUESTS_PER_WINDOW;
    for i in 0..limit {
        assert_eq!(get(&app, path, Some(&secret)).send().await.unwrap().status(), 200, "request {i}");
    }
    let res = get(&app, path, Some(&secret)).send().await.unwrap();
    let wait: i64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=app::integration::ssr::WINDOW_SECS).contains(&wait), "{wait}");
    assert_eq!(api_error(res, 429).await.0, "too_many_requests");
    assert_eq!(get(&app, path, Some(&other)).send().await.unwrap().status(), 200, "each token has its own count");
}

async fn unknown_routes_wrong_methods_bad_bodies_and_bad_queries_answer_in_the_one_error_shape(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山会计事务所", true).await;
    let secret = token(&app, &c, "人事系统", &["vacancies_write"]).await;
    let http = client();

    assert_eq!(api_error(http.get(app.url("/api/v1/nothing/here")).send().await.unwrap(), 404).await.0, "no_such_route");
    assert_eq!(api_error(http.get(app.url("/api/v1")).send().await.unwrap(), 404).await.0, "no_such_route");
    assert_eq!(api_error(http.delete(app.url("/api/v1/vacancies")).bearer_auth(&secret).send().await.unwrap(), 405).await.0, "method_not_allowed");
    assert_eq!(api_error(http.post(app.url("/api/v1/registrations")).send().await.unwrap(), 405).await.0, "method_not_allowed");

    let raw = |body: Vec<u8>| http.post(app.url("/api/v1/vacancies")).bearer_auth(&secret).header("Content-Type", "application/json").body(body);
    for malformed in [&b"{\"title\": "[..], b"[1, 2]", b"", "标题".as_bytes()] {
        assert_eq!(api_error(raw(malformed.to_vec()).send().await.unwrap(), 400).await.0, "malformed_json");
    }
    let huge = serde_json::to_vec(&json!({ "title": "x".repeat(70 * 1024) })).unwrap();
    assert_eq!(api_error(raw(huge).send().await.unwrap(), 413).await.0, "payload_too_large");
    // Before the body is read, the token: nobody learns anything about bodies without one.
    let res = http.post(app.url("/api/v1/vacancies")).header("Content-Type", "application/json").body("{").send().await.unwrap();
    assert_eq!(api_error(res, 401).await.0, "unauthorized");

    assert_eq!(api_error(http.get(app.url("/api/v1/vacancies?page=51")).send().await.unwrap(), 400).await.0, "bad_request");
    assert_eq!(api_error(http.get(app.url("/api/v1/vacancies?page=%ZZ")).send().await.unwrap(), 400).await.0, "bad_request");
}

async fn the_openapi_document_is_valid_openapi_3_and_names_exactly_the_routes_served(db: Db) {
    let app = spawn_app(db).await;
    let res = client().get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let spec = oas3::from_json(&text).expect("an OpenAPI 3.1 document");
    spec.validate_version().expect("a version this reader knows (3.1)");
    let raw: Value = serde_json::from_str(&text).unwrap();
    let documented: std::collections::BTreeSet<String> = spec.paths.as_ref().expect("paths").keys().cloned().collect();
    let served: std::collections::BTreeSet<String> = app::integration::routes::served().into_iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(documented, served);
    assert!(spec.components.as_ref().is_some_and(|c| c.security_schemes.contains_key("bearer")));

    // Every documented operation is answered by its route (not the unknown-route refusal), its
    // references resolve, and every refusal it documents has the error body.
    let mut operations = 0;
    for (path, method, operation) in spec.operations() {
        operations += 1;
        operation.parameters(&spec).expect("parameters resolve");
        operation.request_body(&spec).expect("the request body resolves");
        let concrete = app.url(&path.replace("{id}", "1"));
        let method_name = method.as_str().to_string();
        let res = client()
            .request(reqwest::Method::from_bytes(method_name.as_bytes()).unwrap(), &concrete)
            .header("Content-Type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        if status >= 400 {
            let (code, _, _) = api_error(res, status).await;
            assert!(code != "no_such_route" && code != "method_not_allowed", "{method_name} {path}: {code}");
        }
        let responses = operation.responses(&spec);
        assert!(!responses.is_empty(), "{method_name} {path} documents its answers");
        for code in responses.keys().filter(|c| c.as_str() >= "400") {
            let schema = &raw["paths"][&path][method_name.to_lowercase()]["responses"][code]["content"]["application/json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/ErrorBody", "{method_name} {path} {code}");
        }
    }
    assert_eq!(operations, 6);

    // Both exports document their period and paging, the period required.
    for path in ["/api/v1/registrations", "/api/v1/decisions"] {
        let params = raw["paths"][path]["get"]["parameters"].as_array().expect("parameters");
        let named: Vec<(&str, bool)> = params.iter().map(|p| (p["name"].as_str().unwrap(), p["required"].as_bool().unwrap_or(false))).collect();
        assert_eq!(named, [("from", true), ("to", true), ("page", false), ("per_page", false)], "{path}");
        assert!(params.iter().all(|p| p["in"] == "query" && p["description"].as_str().is_some_and(|d| !d.is_empty())), "{path}");
    }
}
