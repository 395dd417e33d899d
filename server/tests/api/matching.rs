//! Saved searches and their daily email, the vacancies that fit a graduate on their home, and
//! a case worker's list of fitting graduates with sending them a vacancy.

use crate::applications::{graduate, resident_id, save_profile};
use crate::support::*;
use crate::vacancies::{employer, mine, post};
use app::account::Role;
use app::error::AppError;
use app::matching::score::Reason;
use app::matching::{Recommendations, SavedSearch, SentVacancy, VacancyMatches};

on_both_databases!(
    a_graduate_saves_lists_and_deletes_searches_and_nobody_else_can_delete_them,
    the_daily_email_lists_only_new_matches_once_a_day_and_nothing_when_nothing_new_matched,
    the_graduate_home_lists_fitting_vacancies_with_reasons_and_leaves_out_the_rest,
    case_workers_see_fitting_registered_unemployed_graduates_and_send_a_vacancy_once,
);

async fn save_search(app: &TestApp, c: &reqwest::Client, form: &[(&str, &str)]) -> reqwest::Response {
    app.call_as(c, "matching/save_search", form).await
}

async fn searches(app: &TestApp, c: &reqwest::Client) -> Vec<SavedSearch> {
    app.fetch_as(c, "matching/searches", &[]).await
}

/// The id of the employer's posting with this title.
async fn id_of(app: &TestApp, c: &reqwest::Client, title: &str) -> i64 {
    mine(app, c).await.into_iter().find(|v| v.title == title).unwrap_or_else(|| panic!("posting {title}")).id
}

async fn a_graduate_saves_lists_and_deletes_searches_and_nobody_else_can_delete_them(db: Db) {
    let app = spawn_app(db).await;
    let (g, _) = graduate(&app, "g@example.com").await;
    let (other, _) = graduate(&app, "other@example.com").await;

    // Signed out, the search page offers to sign in and come back to the same search.
    let (_, html) = app.page("/vacancies?q=%E4%BC%9A%E8%AE%A1").await;
    assert!(html.contains("/login?next=%2Fvacancies%3Fq%3D%25E4%25BC%259A%25E8%25AE%25A1"), "the way back keeps the keyword");

    let empty = save_search(&app, &g, &[("q", "  "), ("category", "")]).await;
    assert_eq!(app_error(empty).await.field_key(""), Some("matching.search_empty"), "an empty search would match everything");
    let bad = save_search(&app, &g, &[("q", "会计"), ("salary", "很多")]).await;
    assert_eq!(app_error(bad).await.field_key("salary"), Some("validation.number_invalid"));
    assert_eq!(save_search(&app, &g, &[("q", "会计"), ("place", "shizhong"), ("salary", "4000"), ("kind", "")]).await.status(), 200);

    let mine = searches(&app, &g).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].fields.q, "会计");
    assert_eq!(mine[0].fields.path(), "/vacancies?q=%E4%BC%9A%E8%AE%A1&place=shizhong&salary=4000");
    let id = mine[0].id.to_string();

    // Someone else's search does not exist for them.
    assert_eq!(app.call_as(&other, "matching/delete_search", &[("id", &id)]).await.status(), 404);
    assert!(searches(&app, &other).await.is_empty());
    assert_eq!(searches(&app, &g).await.len(), 1, "still there");
    let boss = employer(&app, "hr@example.com", "乐山测试公司", true).await;
    assert_eq!(app.call_as(&boss, "matching/searches", &[]).await.status(), 403);
    assert_eq!(app.call("matching/searches", &[]).await.status(), 401);

    assert_eq!(app.call_as(&g, "matching/delete_search", &[("id", &id)]).await.status(), 200);
    assert!(searches(&app, &g).await.is_empty());

    // Without JavaScript: a refused save goes back to the search with its message shown there;
    // a good one lands on the saved searches.
    let from = "/vacancies?category=finance";
    let plain = app.post_plain_as(&g, "matching/save_search", from, &[("q", ""), ("salary", "很多")]).await;
    assert_eq!(plain.status(), 303);
    assert_eq!(plain.headers()["location"], from);
    let page = g.get(app.url(from)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("请填写一个有效的数字。"), "the message is on the page it came from");
    let plain = app.post_plain_as(&g, "matching/save_search", from, &[("category", "finance")]).await;
    assert!(plain.status().is_redirection());
    assert_eq!(plain.headers()["location"], "/my/searches?notice=search_saved");
    let page = g.get(app.url("/my/searches?notice=search_saved")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("搜索已保存") && page.contains("财务会计"), "the saved search is listed by its category");
}

async fn mails_to(app: &TestApp, to: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE to_addr = $1").bind(to).fetch_one(&app.pool).await.unwrap()
}

async fn the_daily_email_lists_only_new_matches_once_a_day_and_nothing_when_nothing_new_matched(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let boss = employer(&app, "hr@example.com", "乐山测试公司", true).await;
    let (g, _) = graduate(&app, "g@example.com").await;
    let (nurse, _) = graduate(&app, "nurse@example.com").await;
    assert_eq!(post(&app, &boss, "财务会计", "负责日常账务处理。", &[]).await.status(), 200);
    assert_eq!(save_search(&app, &g, &[("q", "会计")]).await.status(), 200);
    assert_eq!(save_search(&app, &nurse, &[("q", "护士")]).await.status(), 200);
    assert_eq!(post(&app, &boss, "会计助理", "协助记账，双休。", &[]).await.status(), 200);
    assert_eq!(post(&app, &boss, "软件工程师", "开发内部系统。", &[]).await.status(), 200);

    let dialect = app::db::Dialect::from_url(&app.vars["DATABASE_URL"]).unwrap();
    let now = app::ssr::now();
    let pass = |at: i64| app::matching::ssr::queue_digests(&app.pool, dialect, &app.base, at);
    // Two servers at the same moment: one email between them.
    let (first, second) = tokio::join!(pass(now), pass(now));
    assert_eq!(first.unwrap() + second.unwrap(), 1);
    let (subject, body) = app.last_mail_to("g@example.com").await.expect("the digest");
    assert!(subject.contains('1') && body.contains("会计助理") && body.contains("/my/searches"), "{subject}\n{body}");
    assert!(!body.contains("财务会计"), "published before the search was saved: {body}");
    assert!(!body.contains("软件工程师"), "does not match: {body}");
    assert_eq!(pass(now + 60).await.unwrap(), 0, "once a day");
    assert_eq!(mails_to(&app, "g@example.com").await, 1);

    // The next day nothing new: no email. The day after, only what was published since.
    assert_eq!(pass(now + 86_400).await.unwrap(), 0);
    assert_eq!(post(&app, &boss, "成本会计", "核算成本。", &[]).await.status(), 200);
    assert_eq!(pass(now + 2 * 86_400).await.unwrap(), 1);
    let (_, body) = app.last_mail_to("g@example.com").await.unwrap();
    assert!(body.contains("成本会计") && !body.contains("会计助理"), "{body}");
    assert_eq!(mails_to(&app, "g@example.com").await, 2);
    assert_eq!(mails_to(&app, "nurse@example.com").await, 0, "nothing matched the nurse's search");
}

async fn recommended(app: &TestApp, c: &reqwest::Client) -> Recommendations {
    app.fetch_as(c, "matching/recommended", &[]).await
}

async fn the_graduate_home_lists_fitting_vacancies_with_reasons_and_leaves_out_the_rest(db: Db) {
    let app = spawn_app(db).await;
    let boss = employer(&app, "hr@example.com", "乐山测试公司", true).await;
    let (g, _) = graduate(&app, "g@example.com").await;
    assert_eq!(recommended(&app, &g).await, Recommendations { has_profile: false, items: Vec::new() });
    // The profile: 会计 in 乐山, household place shizhong, 4000–6000 a month, a bachelor.
    assert_eq!(save_profile(&app, &g, &resident_id(41)).await.status(), 200);

    let fits = [("财务会计助理", vec![]), ("导游", vec![("salary_min", "2000"), ("salary_max", "3000"), ("education", "any")])];
    for (title, extra) in &fits {
        assert_eq!(post(&app, &boss, title, "五险一金，双休。", extra).await.status(), 200);
    }
    let left_out: [(&str, Vec<(&str, &str)>); 4] = [
        ("软件工程师", vec![("place", "muchuan")]),
        ("会计主管", vec![("education", "master")]),
        ("出纳会计", vec![]),
        ("会计文员", vec![]),
    ];
    for (title, extra) in &left_out {
        assert_eq!(post(&app, &boss, title, "五险一金，双休。", extra).await.status(), 200);
    }
    let closed = mine(&app, &boss).await.into_iter().find(|v| v.title == "出纳会计").unwrap();
    let (id, version) = (closed.id.to_string(), closed.version.to_string());
    assert_eq!(app.call_as(&boss, "vacancies/close", &[("id", &id), ("version", &version)]).await.status(), 200);
    sqlx::query("UPDATE vacancies SET expires_on = '2020-01-01' WHERE id = $1").bind(id_of(&app, &boss, "会计文员").await).execute(&app.pool).await.unwrap();

    let r = recommended(&app, &g).await;
    assert!(r.has_profile);
    let titles: Vec<&str> = r.items.iter().map(|i| i.vacancy.title.as_str()).collect();
    assert_eq!(titles, vec!["财务会计助理", "导游"], "best fit first; no other place, too little education, closed or expired");
    assert_eq!(r.items[0].reasons, vec![Reason::Words("会计".into()), Reason::HomePlace, Reason::Salary, Reason::Degree]);
    assert_eq!(r.items[1].reasons, vec![Reason::HomePlace]);
    assert_eq!(app.call_as(&boss, "matching/recommended", &[]).await.status(), 403);
}

/// A graduate with a profile whose job-seeker registration a case worker approved.
async fn registered(app: &TestApp, email: &str, seq: u32) -> (reqwest::Client, i64) {
    let (c, id) = graduate(app, email).await;
    assert_eq!(save_profile(app, &c, &resident_id(seq)).await.status(), 200);
    sqlx::query(
        "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, created_at, updated_at) \
         VALUES ($1, $2, 'jobseeker_registration', '{}', 'approved', 2, 'shizhong', 0, 0, 0)",
    )
    .bind(format!("LS-2026-{:06}", 900 + seq))
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    (c, id)
}

async fn case_workers_see_fitting_registered_unemployed_graduates_and_send_a_vacancy_once(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let boss = employer(&app, "hr@example.com", "乐山测试公司", true).await;
    assert_eq!(post(&app, &boss, "财务会计助理", "负责日常账务处理。", &[]).await.status(), 200);
    let vacancy = id_of(&app, &boss, "财务会计助理").await.to_string();
    let (g, fits) = registered(&app, "fits@example.com", 51).await;
    let (_, employed) = registered(&app, "employed@example.com", 52).await;
    sqlx::query("UPDATE profiles SET employment_status = 'employed' WHERE user_id = $1").bind(employed).execute(&app.pool).await.unwrap();
    let (_, junior) = registered(&app, "junior@example.com", 53).await;
    sqlx::query("UPDATE profiles SET degree = 'junior_college' WHERE user_id = $1").bind(junior).execute(&app.pool).await.unwrap();
    let (unregistered, _) = graduate(&app, "unregistered@example.com").await;
    assert_eq!(save_profile(&app, &unregistered, &resident_id(54)).await.status(), 200);
    let (cw, _) = app.signed_in("cw@example.com", Role::CaseWorker).await;

    let matches: VacancyMatches = app.fetch_as(&cw, "matching/graduates", &[("vacancy_id", &vacancy)]).await;
    assert_eq!(matches.graduates.iter().map(|m| m.user_id).collect::<Vec<_>>(), vec![fits], "registered, unemployed, degree enough");
    let m = &matches.graduates[0];
    assert!(m.masked_id.contains('*') && !m.masked_id.contains(&resident_id(51)[6..14]), "{}", m.masked_id);
    assert_eq!(m.reasons, vec![Reason::Words("会计".into()), Reason::HomePlace, Reason::Salary, Reason::Degree]);
    assert!(!m.sent);
    for reader in [&g, &boss] {
        assert_eq!(app.call_as(reader, "matching/graduates", &[("vacancy_id", &vacancy)]).await.status(), 403);
    }
    let fits_id = fits.to_string();
    let send = [("vacancy_id", vacancy.as_str()), ("graduate_id", fits_id.as_str())];
    assert_eq!(app.call_as(&g, "matching/send", &send).await.status(), 403);

    assert_eq!(app.call_as(&cw, "matching/send", &send).await.status(), 200);
    let again = app.call_as(&cw, "matching/send", &send).await;
    assert_eq!(app_error(again).await, AppError::Conflict("matching.already_sent".into()));

    let (subject, body) = app.last_mail_to("fits@example.com").await.expect("an email");
    assert!(subject.contains("财务会计助理") && body.contains(&format!("/vacancies/{vacancy}")), "{subject}\n{body}");
    assert_eq!(mails_to(&app, "fits@example.com").await, 1, "sent once");
    let unread: i64 = app.fetch_as(&g, "notifications/unread", &[]).await;
    assert_eq!(unread, 1);
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vacancy_recommendations WHERE graduate_id = $1").bind(fits).fetch_one(&app.pool).await.unwrap();
    assert_eq!(recorded, 1);
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'vacancy:recommended'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(audited, 1);
    let matches: VacancyMatches = app.fetch_as(&cw, "matching/graduates", &[("vacancy_id", &vacancy)]).await;
    assert!(matches.graduates[0].sent, "the list says it was sent");

    // On the graduate's file, for case workers and for the graduate; nobody else reads it.
    let sent: Vec<SentVacancy> = app.fetch_as(&cw, "matching/sent", &[("graduate_id", &fits_id)]).await;
    assert_eq!(sent.iter().map(|s| (s.title.as_str(), s.case_worker.as_str())).collect::<Vec<_>>(), vec![("财务会计助理", "测试用户")]);
    let own: Vec<SentVacancy> = app.fetch_as(&g, "matching/sent", &[("graduate_id", &fits_id)]).await;
    assert_eq!(own, sent);
    assert_eq!(app.call_as(&boss, "matching/sent", &[("graduate_id", &fits_id)]).await.status(), 403);
    let (page_status, html) = {
        let res = cw.get(app.url(&format!("/staff/graduates/{fits}"))).send().await.unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    };
    assert_eq!(page_status, 200);
    assert!(html.contains("岗位推荐记录") && html.contains("财务会计助理"), "the graduate's file lists it");
}
