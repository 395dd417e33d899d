//! Vacancies through HTTP on both databases: posting and screening, the review, who may change
//! what, and the public keyword search (Chinese words inside longer text, one character,
//! English in any case, hostile input), with the same results on SQLite and PostgreSQL.

use crate::support::*;
use app::account::Role;
use app::error::AppError;
use app::vacancies::{SearchPage, Vacancy, VacancyStatus};

on_both_databases!(
    a_clean_posting_from_a_verified_employer_is_published_and_a_flagged_one_waits_for_review,
    an_unverified_employer_saves_drafts_but_cannot_publish,
    only_its_employer_and_case_workers_see_an_unlisted_vacancy_and_only_its_employer_edits_it,
    closed_and_expired_vacancies_leave_the_search_at_once,
    the_keyword_search_finds_chinese_words_inside_longer_text_and_english_in_any_case,
    a_keyword_with_filters_pages_through_every_match_newest_first,
    filters_follow_an_edited_or_closed_vacancy_and_a_salary_floor_is_exact,
    a_broad_search_is_counted_up_to_the_cap_and_still_pages_to_its_last_match,
    a_visitors_search_page_comes_from_memory_until_its_vacancy_closes,
    hostile_search_input_is_harmless_and_bad_posting_input_is_refused_per_field,
    the_atom_feed_and_the_job_posting_data_describe_the_listed_vacancies,
);

/// A verified employer, signed in.
pub(crate) async fn employer(app: &TestApp, email: &str, organisation: &str, verified: bool) -> reqwest::Client {
    let (c, user_id) = app.signed_in(email, Role::Employer).await;
    let code = format!("91511100MA62D{:04}", user_id);
    let code = app::account::CreditCode::with_check_char(&code[..17]).expect("credit code");
    sqlx::query("INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES ($1, $2, $3, $4, 0)")
        .bind(user_id)
        .bind(organisation)
        .bind(code)
        .bind(if verified { "verified" } else { "pending" })
        .execute(&app.pool)
        .await
        .unwrap();
    c
}

fn in_a_month() -> String {
    app::shared::time::Date::today_from_unix(app::ssr::now() + 30 * 86_400).to_string()
}

/// Posts a vacancy with these words; returns the response.
pub(crate) async fn post(app: &TestApp, c: &reqwest::Client, title: &str, description: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let expires = in_a_month();
    let mut form: Vec<(&str, &str)> = vec![
        ("title", title),
        ("description", description),
        ("category", "finance"),
        ("place", "shizhong"),
        ("salary_min", "4000"),
        ("salary_max", "6000"),
        ("education", "bachelor"),
        ("headcount", "2"),
        ("kind", "job"),
        ("expires_on", &expires),
        ("intent", "publish"),
    ];
    for (k, v) in extra {
        form.retain(|(name, _)| name != k);
        form.push((k, v));
    }
    app.call_as(c, "vacancies/save", &form).await
}

pub(crate) async fn mine(app: &TestApp, c: &reqwest::Client) -> Vec<Vacancy> {
    let (_, list): (app::vacancies::api::EmployerState, Vec<Vacancy>) = app.fetch_as(c, "vacancies/mine", &[]).await;
    list
}

pub(crate) async fn search(app: &TestApp, q: &str, extra: &[(&str, &str)]) -> SearchPage {
    let mut form = vec![("q", q)];
    form.extend_from_slice(extra);
    app.fetch_as(&client(), "vacancies/search", &form).await
}

fn titles(p: &SearchPage) -> Vec<String> {
    p.rows.iter().map(|r| r.title.clone()).collect()
}

async fn a_clean_posting_from_a_verified_employer_is_published_and_a_flagged_one_waits_for_review(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山会计事务所", true).await;
    assert_eq!(post(&app, &c, "财务会计助理", "负责日常记账，五险一金。", &[]).await.status(), 200);
    assert_eq!(post(&app, &c, "出纳", "入职需交押金500元，另收培训费。", &[]).await.status(), 200);
    assert_eq!(post(&app, &c, "高薪会计", "日结工资", &[("salary_min", "30000"), ("salary_max", "50000")]).await.status(), 200);

    let list = mine(&app, &c).await;
    let status = |title: &str| list.iter().find(|v| v.title == title).map(|v| v.status).unwrap();
    assert_eq!(status("财务会计助理"), VacancyStatus::Published);
    assert_eq!(status("出纳"), VacancyStatus::PendingReview);
    assert_eq!(status("高薪会计"), VacancyStatus::PendingReview, "pay far above the category");
    assert_eq!(titles(&search(&app, "会计", &[]).await), ["财务会计助理"], "flagged postings are not listed");

    // The case worker sees what matched, and decides.
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let queue: Vec<Vacancy> = app.fetch_as(&cw, "vacancies/review_queue", &[]).await;
    assert_eq!(queue.len(), 2);
    let cashier = queue.iter().find(|v| v.title == "出纳").unwrap();
    let words: Vec<&str> = cashier.screening.0.iter().flat_map(|f| f.words.iter().map(String::as_str)).collect();
    assert!(words.contains(&"押金") && words.contains(&"培训费"), "{words:?}");
    let (page_status, page) = {
        let res = app.client.get(app.url("/staff/vacancies")).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    assert_eq!(page_status, 401, "the review page is for case workers");
    assert!(!page.contains("押金"));

    let res = app.call_as(&cw, "vacancies/decide", &[("id", &cashier.id.to_string()), ("version", &cashier.version.to_string()), ("decision", "reject")]).await;
    assert_eq!(app_error(res).await.field_key("reason"), Some("application.reason_required"));
    let res = app
        .call_as(&cw, "vacancies/decide", &[("id", &cashier.id.to_string()), ("version", &cashier.version.to_string()), ("decision", "reject"), ("reason", "收取押金")])
        .await;
    assert_eq!(res.status(), 200);
    let high = queue.iter().find(|v| v.title == "高薪会计").unwrap();
    let res = app.call_as(&cw, "vacancies/decide", &[("id", &high.id.to_string()), ("version", &high.version.to_string()), ("decision", "approve")]).await;
    assert_eq!(res.status(), 200);
    let stale = app.call_as(&cw, "vacancies/decide", &[("id", &high.id.to_string()), ("version", &high.version.to_string()), ("decision", "approve")]).await;
    assert_eq!(stale.status(), 409, "a second decision on the same version is refused");

    let list = mine(&app, &c).await;
    let rejected = list.iter().find(|v| v.title == "出纳").unwrap();
    assert_eq!((rejected.status, rejected.review_note.as_str()), (VacancyStatus::Rejected, "收取押金"));
    let mut found = titles(&search(&app, "会计", &[]).await);
    found.sort();
    assert_eq!(found, ["财务会计助理", "高薪会计"]);
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vacancy_events").fetch_one(&app.pool).await.unwrap();
    assert_eq!(events, 5, "three postings and two decisions, each on the timeline");
}

async fn an_unverified_employer_saves_drafts_but_cannot_publish(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "new@example.com", "新公司", false).await;
    let res = post(&app, &c, "会计", "记账", &[]).await;
    assert_eq!(app_error(res).await.field_key(""), Some("vacancy.not_verified"));
    assert!(mine(&app, &c).await.is_empty(), "nothing was saved by the refused publish");
    assert_eq!(post(&app, &c, "会计", "记账", &[("intent", "draft")]).await.status(), 200);
    let list = mine(&app, &c).await;
    assert_eq!(list.iter().map(|v| v.status).collect::<Vec<_>>(), [VacancyStatus::Draft]);
    assert!(search(&app, "会计", &[]).await.rows.is_empty());
}

async fn only_its_employer_and_case_workers_see_an_unlisted_vacancy_and_only_its_employer_edits_it(db: Db) {
    let app = spawn_app(db).await;
    let a = employer(&app, "a@example.com", "甲公司", true).await;
    let b = employer(&app, "b@example.com", "乙公司", true).await;
    assert_eq!(post(&app, &a, "仓库管理员", "管理库存", &[("intent", "draft")]).await.status(), 200);
    let draft = mine(&app, &a).await.remove(0);
    let id = draft.id.to_string();

    let anyone = client();
    let res = app.call_as(&anyone, "vacancies/get", &[("id", &id)]).await;
    assert_eq!(app_error(res).await, AppError::NotFound, "a draft does not exist for the public");
    let res = app.call_as(&b, "vacancies/get", &[("id", &id)]).await;
    assert_eq!(app_error(res).await, AppError::NotFound, "nor for another employer");
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    let seen: Vacancy = app.fetch_as(&cw, "vacancies/get", &[("id", &id)]).await;
    assert_eq!(seen.title, "仓库管理员");

    // Employer B cannot edit or close A's posting through its id.
    let res = post(&app, &b, "改掉的标题", "x", &[("id", &id), ("version", &draft.version.to_string())]).await;
    assert_eq!(app_error(res).await, AppError::NotFound);
    let res = app.call_as(&b, "vacancies/close", &[("id", &id), ("version", &draft.version.to_string())]).await;
    assert_eq!(app_error(res).await, AppError::NotFound);
    let (g, _) = app.signed_in("g@example.com", Role::Graduate).await;
    assert_eq!(post(&app, &g, "x", "y", &[]).await.status(), 403, "graduates do not post");

    // A publishes the edited draft.
    let res = post(&app, &a, "仓库管理员（急招）", "管理库存", &[("id", &id), ("version", &draft.version.to_string())]).await;
    assert_eq!(res.status(), 200);
    let published: Vacancy = app.fetch_as(&anyone, "vacancies/get", &[("id", &id)]).await;
    assert_eq!((published.title.as_str(), published.status), ("仓库管理员（急招）", VacancyStatus::Published));
    // An approved posting's screening findings stay with the employer and the desk.
    sqlx::query("UPDATE vacancies SET screening = '[{\"kind\":\"deposit\",\"words\":[\"押金\"]}]', review_note = '已核实' WHERE id = $1")
        .bind(draft.id)
        .execute(&app.pool)
        .await
        .unwrap();
    let public: Vacancy = app.fetch_as(&anyone, "vacancies/get", &[("id", &id)]).await;
    assert!(public.screening.0.is_empty() && public.review_note.is_empty(), "{public:?}");
    let own: Vacancy = app.fetch_as(&a, "vacancies/get", &[("id", &id)]).await;
    assert_eq!((own.screening.0.len(), own.review_note.as_str()), (1, "已核实"));
    let (status, html) = app.page(&format!("/vacancies/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("仓库管理员（急招）") && html.contains("甲公司"), "the public page is server-rendered");
}

async fn closed_and_expired_vacancies_leave_the_search_at_once(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "酒店", true).await;
    assert_eq!(post(&app, &c, "前台接待", "峨眉山酒店", &[("category", "tourism")]).await.status(), 200);
    assert_eq!(post(&app, &c, "客房服务员", "峨眉山酒店", &[("category", "tourism")]).await.status(), 200);
    assert_eq!(search(&app, "峨眉", &[]).await.total, 2);

    let list = mine(&app, &c).await;
    let desk = list.iter().find(|v| v.title == "前台接待").unwrap();
    let res = app.call_as(&c, "vacancies/close", &[("id", &desk.id.to_string()), ("version", &desk.version.to_string())]).await;
    assert_eq!(res.status(), 200);
    // Yesterday was the last day of the other one: no job needs to run for it to leave.
    let yesterday = app::shared::time::Date::today_from_unix(app::ssr::now() - 86_400).to_string();
    sqlx::query("UPDATE vacancies SET expires_on = $1 WHERE title = '客房服务员'").bind(yesterday).execute(&app.pool).await.unwrap();
    let after = search(&app, "峨眉", &[]).await;
    assert_eq!((after.total, after.rows.len()), (0, 0));
    let room = list.iter().find(|v| v.title == "客房服务员").unwrap();
    let res = app.call_as(&client(), "vacancies/get", &[("id", &room.id.to_string())]).await;
    assert_eq!(res.status(), 404, "an expired vacancy's page is gone for the public");
}

/// Visitors' public pages are kept in memory (server::page_cache): the second visit is a hit,
/// the write that changes the page shows on the very next visit, and a signed-in reader is
/// never answered from the visitors' copy.
async fn a_visitors_search_page_comes_from_memory_until_its_vacancy_closes(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "酒店", true).await;
    assert_eq!(post(&app, &c, "前台接待", "峨眉山酒店", &[("category", "tourism")]).await.status(), 200);
    // No cookie store: every visit is a first, anonymous one.
    let visitor = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let visit = |client: reqwest::Client| {
        let url = app.url("/vacancies?q=%E5%B3%A8%E7%9C%89");
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200);
            let hit = res.headers().get("x-cache").is_some();
            (hit, res.text().await.unwrap())
        }
    };
    let (hit, first) = visit(visitor.clone()).await;
    assert!(!hit && first.contains("前台接待"), "rendered the first time");
    let (hit, second) = visit(visitor.clone()).await;
    assert!(hit && second == first, "the same page from memory the second time");
    let (hit, _) = visit(c.clone()).await;
    assert!(!hit, "a signed-in reader gets their own page");

    let list = mine(&app, &c).await;
    let res = app.call_as(&c, "vacancies/close", &[("id", &list[0].id.to_string()), ("version", &list[0].version.to_string())]).await;
    assert_eq!(res.status(), 200);
    let (hit, after) = visit(visitor).await;
    assert!(!hit && !after.contains("前台接待"), "the close is seen on the next visit");
}

/// The relevance fixture: each title with its category and pay.
const FIXTURE: &[(&str, &str, &str, &str)] = &[
    ("财务会计助理", "协助会计处理账务", "finance", "5000"),
    ("高级软件工程师", "Rust 与 Java 后端开发", "software", "14000"),
    ("Java开发", "微服务，Spring", "software", "12000"),
    ("社会工作者", "社区服务与活动组织", "other", "4500"),
    ("小学语文教师", "乐山市中区小学", "education", "6000"),
    ("会展策划", "大型展会的策划与执行", "sales", "7000"),
];

async fn the_keyword_search_finds_chinese_words_inside_longer_text_and_english_in_any_case(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山人才", true).await;
    for (title, description, category, pay) in FIXTURE {
        let res = post(&app, &c, title, description, &[("category", category), ("salary_max", pay), ("salary_min", "4000")]).await;
        assert_eq!(res.status(), 200, "{title}");
    }
    let sorted = |p: SearchPage| {
        let mut t = titles(&p);
        t.sort();
        t
    };
    assert_eq!(sorted(search(&app, "会计", &[]).await), ["财务会计助理"]);
    assert_eq!(sorted(search(&app, "软件", &[]).await), ["高级软件工程师"]);
    assert_eq!(sorted(search(&app, "软件工程", &[]).await), ["高级软件工程师"], "three or more characters: a phrase");
    assert!(search(&app, "工程软件", &[]).await.rows.is_empty(), "the same characters out of order are not the phrase");
    assert_eq!(sorted(search(&app, "会", &[]).await), ["会展策划", "社会工作者", "财务会计助理"], "one character finds it anywhere");
    assert_eq!(sorted(search(&app, "java", &[]).await), ["Java开发", "高级软件工程师"]);
    assert_eq!(sorted(search(&app, "ＪＡＶＡ", &[]).await), ["Java开发", "高级软件工程师"], "full-width letters");
    assert_eq!(sorted(search(&app, "java 开发", &[]).await), ["Java开发", "高级软件工程师"], "every word must match");
    assert_eq!(sorted(search(&app, "开发", &[("category", "software"), ("salary", "13000")]).await), ["高级软件工程师"]);
    assert_eq!(titles(&search(&app, "", &[("sort", "salary"), ("category", "software")]).await), ["高级软件工程师", "Java开发"]);
    let all = search(&app, "", &[]).await;
    assert_eq!((all.total, all.more, all.rows.first().map(|r| r.title.as_str())), (6, false, Some("会展策划")), "newest first");
    assert_eq!(search(&app, "", &[("place", "emeishan")]).await.total, 0);
}

/// More matches than a page, so PostgreSQL's newest-first walk answers the first page and its
/// index the short last one, and the count reads the filters from the index (0018).
async fn a_keyword_with_filters_pages_through_every_match_newest_first(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山人才", true).await;
    for i in 0..46 {
        let (category, place) = if i % 2 == 0 { ("software", "emeishan") } else { ("finance", "shizhong") };
        let title = format!("软件工程岗位{i}");
        let res = post(&app, &c, &title, "负责系统开发", &[("category", category), ("place", place), ("salary_max", "9000")]).await;
        assert_eq!(res.status(), 200, "{title}");
    }
    post(&app, &c, "工程软件销售", "软件与工程", &[("category", "software"), ("place", "emeishan")]).await;
    let newest = |from: i32, step: i32, n: usize| (0..n).map(|k| format!("软件工程岗位{}", from - step * k as i32)).collect::<Vec<_>>();

    let filters = [("category", "software"), ("place", "emeishan")];
    let first = search(&app, "软件工程", &filters).await;
    assert_eq!((first.total, first.more, first.has_next), (23, false, true));
    assert_eq!(titles(&first), newest(44, 2, 20), "the phrase, the filters, newest first");
    let second = search(&app, "软件工程", &[filters[0], filters[1], ("page", "2")]).await;
    assert_eq!((second.total, second.page, second.has_next), (23, 2, false));
    assert_eq!(titles(&second), newest(4, 2, 3), "the last page holds the rest");

    let unfiltered = search(&app, "软件工程", &[("page", "2")]).await;
    assert_eq!(unfiltered.total, 46, "the same characters out of order are not the phrase");
    assert_eq!(titles(&unfiltered), newest(25, 1, 20));
    let other = search(&app, "软件工程", &[("category", "software"), ("place", "shizhong")]).await;
    assert!(other.rows.is_empty() && other.total == 0, "no software posting is in the city centre");
}

/// The token index holds each row's filters (0024): with and without a keyword, filters and a
/// salary floor find exactly the vacancies that meet them, the daily merge of the index changes
/// nothing, and an edit or a close moves a row between filters at once.
async fn filters_follow_an_edited_or_closed_vacancy_and_a_salary_floor_is_exact(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山人才", true).await;
    for pay in ["9999", "10000", "10001", "12500"] {
        let res = post(&app, &c, &format!("出纳{pay}"), "财务部", &[("salary_max", pay), ("category", "finance")]).await;
        assert_eq!(res.status(), 200, "{pay}");
    }
    let found = |q: &'static str, extra: Vec<(&'static str, String)>| {
        let app = &app;
        async move {
            let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut t = titles(&search(app, q, &extra).await);
            t.sort();
            t
        }
    };
    for q in ["出纳", ""] {
        for (floor, expected) in [
            ("9999", vec!["出纳10000", "出纳10001", "出纳12500", "出纳9999"]),
            ("10000", vec!["出纳10000", "出纳10001", "出纳12500"]),
            ("10001", vec!["出纳10001", "出纳12500"]),
            ("11000", vec!["出纳12500"]),
            ("12500", vec!["出纳12500"]),
            ("12501", vec![]),
            ("500", vec!["出纳10000", "出纳10001", "出纳12500", "出纳9999"]),
        ] {
            let got = found(q, vec![("salary", floor.into()), ("category", "finance".into())]).await;
            assert_eq!(got, expected, "keyword {q:?}, at least {floor}");
        }
    }

    // The worker's daily merge of the index changes no answer.
    let dialect = app::db::Dialect::from_url(&app.vars["DATABASE_URL"]).unwrap();
    app::vacancies::ssr::tidy_search_index(&app.pool, dialect).await.unwrap();
    assert_eq!(found("出纳", vec![("salary", "10001".into())]).await, ["出纳10001", "出纳12500"], "after the merge");

    let v = mine(&app, &c).await.into_iter().find(|v| v.title == "出纳10001").unwrap();
    let (id, version) = (v.id.to_string(), v.version.to_string());
    let res = post(&app, &c, "出纳10001", "财务部", &[("id", &id), ("version", &version), ("category", "software"), ("place", "emeishan"), ("salary_max", "8000")]).await;
    assert_eq!(res.status(), 200);
    for q in ["出纳", ""] {
        let software = found(q, vec![("category", "software".into()), ("place", "emeishan".into())]).await;
        assert_eq!(software, ["出纳10001"], "keyword {q:?}: the edit moved it to its new filters");
        let finance = found(q, vec![("category", "finance".into()), ("salary", "10000".into())]).await;
        assert_eq!(finance, ["出纳10000", "出纳12500"], "keyword {q:?}: and out of its old ones and its old pay step");
    }
    let v = mine(&app, &c).await.into_iter().find(|v| v.title == "出纳10001").unwrap();
    let res = app.call_as(&c, "vacancies/close", &[("id", &v.id.to_string()), ("version", &v.version.to_string())]).await;
    assert_eq!(res.status(), 200);
    for q in ["出纳", ""] {
        assert!(found(q, vec![("category", "software".into())]).await.is_empty(), "keyword {q:?}: a closed vacancy is not listed");
    }
}

/// Counting stops at COUNT_CAP (200), so a broad search says "more than 200" and costs the
/// same at any table size; its pages still go on, by their next links, to the last match.
async fn a_broad_search_is_counted_up_to_the_cap_and_still_pages_to_its_last_match(db: Db) {
    let app = spawn_app(db).await;
    let dialect = app::db::Dialect::from_url(&app.vars["DATABASE_URL"]).unwrap();
    server::volume::vacancies(&app.pool, dialect, 230).await.unwrap();
    let cap = app::vacancies::COUNT_CAP;
    let mut seen: Vec<i64> = Vec::new();
    for page in 1..=12 {
        let p = search(&app, "", &[("page", &page.to_string())]).await;
        assert_eq!((p.total, p.more, p.page), (cap, true, page), "page {page}");
        assert_eq!((p.rows.len(), p.has_next), if page < 12 { (20, true) } else { (10, false) }, "page {page}");
        seen.extend(p.rows.iter().map(|r| r.id));
    }
    let mut newest_first = seen.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    newest_first.dedup();
    assert_eq!((seen.len(), &seen), (230, &newest_first), "every match once, newest first across the pages");

    let (status, html) = app.page("/vacancies?page=11").await;
    assert_eq!(status, 200);
    assert!(html.contains("超过 200 个岗位") && html.contains("rel=\"next\"") && html.contains("rel=\"prev\""), "{html}");
    let (_, html) = app.page("/vacancies?page=12").await;
    assert!(!html.contains("rel=\"next\"") && html.contains("rel=\"prev\""), "the last page has no next link");
}

async fn hostile_search_input_is_harmless_and_bad_posting_input_is_refused_per_field(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "公司", true).await;
    assert_eq!(post(&app, &c, "会计", "记账", &[]).await.status(), 200);
    let long = "会计".repeat(5000);
    for q in ["%", "_", "'", "\"", "*", "会计\" OR \"1", "'; DROP TABLE vacancies; --", ":*", "a & b | !c", "NEAR(会计)", "(", long.as_str()] {
        let res = app.call_as(&client(), "vacancies/search", &[("q", q)]).await;
        assert_eq!(res.status(), 200, "{:?}", &q[..q.len().min(20)]);
    }
    let res = app.call_as(&client(), "vacancies/search", &[("q", "会计"), ("page", "-3"), ("salary", "abc"), ("category", "nonsense")]).await;
    let page: SearchPage = decode(res).await;
    assert_eq!((page.page, page.total), (1, 1), "unknown filter values are ignored, the page is clamped");

    let res = post(&app, &c, "", "x", &[("salary_min", "9000"), ("salary_max", "5000"), ("category", "nope"), ("expires_on", "2001-01-01"), ("kind", "traineeship")]).await;
    let e = app_error(res).await;
    assert_eq!(e.field_key("title"), Some("validation.required"));
    assert_eq!(e.field_key("salary_max"), Some("validation.salary_order"));
    assert_eq!(e.field_key("category"), Some("validation.choose_one"));
    assert_eq!(e.field_key("expires_on"), Some("vacancy.expires_range"));
    assert_eq!(e.field_key("seats"), Some("validation.required"), "a traineeship position needs its seats");
}

async fn the_atom_feed_and_the_job_posting_data_describe_the_listed_vacancies(db: Db) {
    let app = spawn_app(db).await;
    let c = employer(&app, "hr@example.com", "乐山<&>人才", true).await;
    assert_eq!(post(&app, &c, "会计 </script>", "记账", &[]).await.status(), 200);
    assert_eq!(post(&app, &c, "导游", "峨眉山", &[("category", "tourism")]).await.status(), 200);
    assert_eq!(post(&app, &c, "出纳", "需交押金", &[]).await.status(), 200, "flagged: not in the feed");

    let res = client().get(app.url("/vacancies/feed.xml")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let xml = res.text().await.unwrap();
    assert_eq!(xml.matches("<entry>").count(), 2, "{xml}");
    assert!(xml.contains("<title>会计 &lt;/script&gt;</title>") && xml.contains("乐山&lt;&amp;&gt;人才"), "text is escaped: {xml}");
    assert!(!xml.contains("出纳"));
    let filtered = client().get(app.url("/vacancies/feed.xml?category=tourism&q=%E5%B3%A8%E7%9C%89")).send().await.unwrap().text().await.unwrap();
    assert_eq!(filtered.matches("<entry>").count(), 1, "filters apply: {filtered}");
    assert!(filtered.contains("导游"));

    let id = mine(&app, &c).await.into_iter().find(|v| v.title.starts_with("会计")).unwrap().id;
    let (status, html) = app.page(&format!("/vacancies/{id}")).await;
    assert_eq!(status, 200);
    let start = html.find("application/ld+json").expect("the page carries JSON-LD");
    let json = &html[html[start..].find('>').unwrap() + start + 1..];
    let json = &json[..json.find("</script>").unwrap()];
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(data["@type"], "JobPosting");
    assert_eq!(data["title"], "会计 </script>");
    assert_eq!(data["hiringOrganization"]["name"], "乐山<&>人才");
    assert_eq!(data["baseSalary"]["value"]["maxValue"], 6000);
}

/// Both databases answer the same queries with the same rows in the same order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_return_the_same_results_for_the_same_searches() {
    let mut answers = Vec::new();
    for db in [Db::Sqlite, Db::Postgres] {
        let app = spawn_app(db).await;
        let c = employer(&app, "hr@example.com", "乐山人才", true).await;
        for (title, description, category, pay) in FIXTURE {
            post(&app, &c, title, description, &[("category", category), ("salary_max", pay), ("salary_min", "4000")]).await;
        }
        let mut got = Vec::new();
        for q in ["会计", "会", "软件", "java", "开发", "社会工作", "工作", "乐山", "x", ""] {
            for sort in ["newest", "salary"] {
                got.push((q, sort, titles(&search(&app, q, &[("sort", sort)]).await)));
            }
        }
        answers.push(got);
    }
    assert!(answers[0].iter().any(|(_, _, t)| t.len() > 2), "the fixture was searched: {:?}", answers[0]);
    assert_eq!(answers[0], answers[1], "SQLite (left) and PostgreSQL (right) differ");
}
