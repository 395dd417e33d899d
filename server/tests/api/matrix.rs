//! Who may read and change what, and hostile input, over everything a person can reach.
//!
//! Rather than a hand-kept list of pages, each role's pages are found the way a person finds
//! them: from its landing pages, by following every same-site link (detail pages, files and
//! downloads included) in the lived-in demo. Then every other kind of visitor opens each of
//! those addresses, every form found on them is posted back with hostile values, and every
//! server function the portal registers is called with garbage. A page or a server function
//! added later is covered as soon as a link or a form leads to it.

use crate::support::*;
use app::account::Role;
use reqwest::Client;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};

on_both_databases!(
    no_visitor_reads_a_graduates_personal_data_on_pages_that_are_not_theirs,
    forms_posted_by_someone_else_change_nothing_that_is_not_theirs,
    every_form_answers_hostile_values_without_a_server_error,
    every_server_function_answers_garbage_without_a_server_error,
);

/// Pages a crawl does not open: the sign-out link would end the crawl's own session.
const NOT_FOLLOWED: [&str; 3] = ["/api/", "/pkg/", "/logout"];
/// The public certificate check shows the holder's name to whoever has the number and the
/// check code, by design; a crawl of the holder's own pages finds a link to it.
const PUBLIC_BY_DESIGN: [&str; 1] = ["/verify"];
/// At most this many addresses per path (queries differ: paging, filters), and pages in all.
const PER_PATH: usize = 3;
const MAX_PAGES: usize = 400;

#[derive(Clone, Debug)]
struct Form {
    page: String,
    action: String,
    fields: Vec<(String, String)>,
}

#[derive(Default)]
struct Crawl {
    pages: BTreeMap<String, String>,
    forms: Vec<Form>,
}

fn same_site_path(href: &str) -> Option<String> {
    let href = href.split('#').next()?;
    if !href.starts_with('/') || href.starts_with("//") || NOT_FOLLOWED.iter().any(|p| href.starts_with(p)) {
        return None;
    }
    Some(href.replace("&amp;", "&"))
}

fn read_page(url: &str, body: &str, links: &mut Vec<String>, forms: &mut Vec<Form>) {
    let doc = Html::parse_document(body);
    let a = Selector::parse("a[href]").unwrap();
    for el in doc.select(&a) {
        if let Some(path) = el.value().attr("href").and_then(same_site_path) {
            links.push(path);
        }
    }
    let form = Selector::parse("form").unwrap();
    let named = Selector::parse("input[name], textarea[name], select[name]").unwrap();
    let option = Selector::parse("option").unwrap();
    for f in doc.select(&form) {
        let method = f.value().attr("method").unwrap_or("get").to_ascii_lowercase();
        let action = f.value().attr("action").unwrap_or(url).to_string();
        if method != "post" || !action.starts_with("/api/") {
            continue;
        }
        let mut fields = Vec::new();
        for input in f.select(&named) {
            let name = input.value().attr("name").unwrap().to_string();
            let value = match input.value().name() {
                "select" => input.select(&option).find_map(|o| o.value().attr("value")).unwrap_or("").to_string(),
                "textarea" => input.text().collect(),
                _ => match input.value().attr("type").unwrap_or("text") {
                    "file" | "submit" => continue,
                    _ => input.value().attr("value").unwrap_or("").to_string(),
                },
            };
            fields.push((name, value));
        }
        forms.push(Form { page: url.to_string(), action, fields });
    }
}

/// Every page reachable by links from `starts`, as `who` sees it.
async fn crawl(app: &TestApp, who: &Client, starts: &[&str]) -> Crawl {
    let mut crawl = Crawl::default();
    let mut queue: Vec<String> = starts.iter().map(|s| s.to_string()).collect();
    let mut per_path: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(url) = queue.pop() {
        if crawl.pages.len() >= MAX_PAGES || !seen.insert(url.clone()) {
            continue;
        }
        let path = url.split('?').next().unwrap().to_string();
        let n = per_path.entry(path).or_default();
        if *n >= PER_PATH {
            continue;
        }
        *n += 1;
        let res = who.get(app.url(&url)).send().await.expect("request");
        let status = res.status().as_u16();
        assert!(status < 500, "GET {url} answered {status}");
        let html = res.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        let body = String::from_utf8_lossy(&res.bytes().await.expect("body")).into_owned();
        if html {
            let mut links = Vec::new();
            read_page(&url, &body, &mut links, &mut crawl.forms);
            queue.extend(links.into_iter().filter(|l| !seen.contains(l)));
        }
        crawl.pages.insert(url, body);
    }
    crawl
}

/// What identifies each graduate on a page: name, email and phone, by account id. (Masked ID
/// numbers are left out: two people's can read the same.)
async fn personal_markers(app: &TestApp) -> BTreeMap<i64, Vec<String>> {
    let rows: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT u.id, u.email, p.full_name, p.phone FROM users u JOIN profiles p ON p.user_id = u.id")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(id, email, name, phone)| (id, vec![email, name, phone])).collect()
}

fn leaks<'a>(body: &str, markers: impl Iterator<Item = &'a String>) -> Vec<&'a String> {
    markers.filter(|m| body.contains(m.as_str())).collect()
}

struct Demo {
    app: TestApp,
    graduate: Client,
    graduate_id: i64,
    other_graduate: Client,
    other_graduate_id: i64,
    employer: Client,
    other_employer: Client,
    case_worker: Client,
    admin: Client,
}

async fn demo(db: Db) -> Demo {
    let app = spawn_app_with(db, Options::without_worker()).await;
    server::cli::seed_demo(&app.config(), &app.pool).await.unwrap();
    let signed_in = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            let c = client();
            assert_eq!(app.log_in_as(&c, email, password).await.status(), 200, "{email} signs in");
            let id = app.me_as(&c).await.expect("signed in").id;
            (c, id)
        }
    };
    let [(g, gp, ..), (e, ep, ..), (cw, cwp, ..), (a, ap, ..)] = server::cli::DEMO_ACCOUNTS;
    let (graduate, graduate_id) = signed_in(g, gp).await;
    let (other_graduate, other_graduate_id) = signed_in("graduate01@demo.leshan.example", gp).await;
    let (employer, _) = signed_in(e, ep).await;
    let (case_worker, _) = signed_in(cw, cwp).await;
    let (admin, _) = signed_in(a, ap).await;
    let (other_employer, _) = app.signed_in("another-employer@example.com", Role::Employer).await;
    Demo { app, graduate, graduate_id, other_graduate, other_graduate_id, employer, other_employer, case_worker, admin }
}

const GRADUATE_STARTS: [&str; 3] = ["/", "/my", "/profile"];
const EMPLOYER_STARTS: [&str; 3] = ["/", "/employer/vacancies", "/employer/organisation"];
const STAFF_STARTS: [&str; 2] = ["/", "/staff"];
const ADMIN_STARTS: [&str; 2] = ["/", "/admin"];

async fn no_visitor_reads_a_graduates_personal_data_on_pages_that_are_not_theirs(db: Db) {
    let d = demo(db).await;
    let app = &d.app;
    let markers = personal_markers(app).await;
    assert!(markers.len() > 30, "the demo has its graduates");
    let everyone = || markers.values().flatten();
    let except = |id: i64| markers.iter().filter(move |(k, _)| **k != id).flat_map(|(_, v)| v.iter());

    let mut problems = Vec::new();
    // The graduate's own pages name nobody else.
    let graduate = crawl(app, &d.graduate, &GRADUATE_STARTS).await;
    assert!(graduate.pages.len() > 15, "the graduate's crawl reached their pages: {:?}", graduate.pages.keys());
    for (url, body) in &graduate.pages {
        let found = leaks(body, except(d.graduate_id));
        if !found.is_empty() {
            problems.push(format!("the graduate sees {found:?} on {url}"));
        }
    }
    let employer = crawl(app, &d.employer, &EMPLOYER_STARTS).await;
    let staff = crawl(app, &d.case_worker, &STAFF_STARTS).await;
    let admin = crawl(app, &d.admin, &ADMIN_STARTS).await;
    assert!(staff.pages.keys().any(|u| u.starts_with("/staff/applications/")), "the case worker's crawl opened applications");
    assert!(employer.pages.keys().any(|u| u.ends_with("/applicants")), "the employer's crawl reached its applicants");

    // Everyone else opens every address the others reached.
    let urls: BTreeSet<&String> =
        [&graduate, &employer, &staff, &admin].iter().flat_map(|c| c.pages.keys()).filter(|u| !PUBLIC_BY_DESIGN.iter().any(|p| u.starts_with(p))).collect();
    let anonymous = client();
    for url in &urls {
        for (who, c, allowed) in [
            ("a visitor", &anonymous, None),
            ("another graduate", &d.other_graduate, Some(d.other_graduate_id)),
            ("an employer without a company", &d.other_employer, None),
        ] {
            let res = c.get(app.url(url)).send().await.expect("request");
            let status = res.status().as_u16();
            if status >= 500 {
                problems.push(format!("{who} gets {status} on {url}"));
                continue;
            }
            let body = String::from_utf8_lossy(&res.bytes().await.unwrap()).into_owned();
            let found: Vec<_> = match allowed {
                Some(id) => leaks(&body, except(id)),
                None => leaks(&body, everyone()),
            };
            if !found.is_empty() {
                problems.push(format!("{who} sees {found:?} on {url}"));
            }
        }
    }
    // The demo employer sees its own applicants and nobody else's profile.
    let applicants: BTreeSet<i64> = sqlx::query_scalar(
        "WITH mine AS (SELECT e.id FROM employers e JOIN users u ON u.id = e.user_id WHERE u.email = $1
                       UNION SELECT m.employer_id FROM employer_members m JOIN users u ON u.id = m.user_id WHERE u.email = $1)
         SELECT ja.applicant_id FROM job_applications ja JOIN vacancies v ON v.id = ja.vacancy_id WHERE v.employer_id IN (SELECT id FROM mine)
         UNION SELECT t.applicant_id FROM traineeships t WHERE t.employer_id IN (SELECT id FROM mine)",
    )
    .bind(server::cli::DEMO_ACCOUNTS[1].0)
    .fetch_all(&app.pool)
    .await
    .unwrap()
    .into_iter()
    .collect();
    let strangers = || markers.iter().filter(|(k, _)| !applicants.contains(k)).flat_map(|(_, v)| v.iter());
    for (url, body) in &employer.pages {
        let found = leaks(body, strangers());
        if !found.is_empty() {
            problems.push(format!("the employer sees {found:?} on {url}"));
        }
    }
    eprintln!(
        "opened {} addresses as 3 other visitors (graduate {}, employer {}, case worker {}, admin {} pages)",
        urls.len(),
        graduate.pages.len(),
        employer.pages.len(),
        staff.pages.len(),
        admin.pages.len()
    );
    assert!(problems.is_empty(), "{} leaks:\n{}", problems.len(), problems.join("\n"));
}

/// A page as its owner sees it, without what changes on every answer: the CSP nonce, which
/// Leptos also writes into `crossorigin`.
async fn owners_view(app: &TestApp, owner: &Client, url: &str) -> String {
    let body = owner.get(app.url(url)).send().await.expect("request").text().await.unwrap();
    body.split('"')
        .map(|part| if part.len() == 32 && part.bytes().all(|b| b.is_ascii_hexdigit()) { "" } else { part })
        .collect::<Vec<_>>()
        .join("\"")
}

/// Forms that name something of their owner's (an application, a vacancy, a member) on a page
/// only the owner can open, posted by other people with the owner's values: each is refused or
/// changes nothing the owner sees.
async fn forms_posted_by_someone_else_change_nothing_that_is_not_theirs(db: Db) {
    let d = demo(db).await;
    let app = &d.app;
    let anonymous = client();
    let mut problems = Vec::new();
    let mut tried = 0;
    for (owner, c, starts) in [
        ("the graduate", &d.graduate, &GRADUATE_STARTS[..]),
        ("the employer", &d.employer, &EMPLOYER_STARTS[..]),
        ("the case worker", &d.case_worker, &STAFF_STARTS[..]),
        ("the admin", &d.admin, &ADMIN_STARTS[..]),
    ] {
        let owned = crawl(app, c, starts).await;
        let mut done = BTreeSet::new();
        for form in &owned.forms {
            let names_a_thing = form.fields.iter().any(|(k, v)| (k == "id" || k.ends_with("_id")) && v.parse::<i64>().is_ok());
            if !names_a_thing || form.action.ends_with("/logout") || !done.insert((form.action.clone(), form.fields.clone())) {
                continue;
            }
            // A form on a page anyone may open (apply, sign up, book) is everyone's to post.
            let open_to_all = anonymous.get(app.url(&form.page)).send().await.unwrap().status() == 200;
            if open_to_all {
                continue;
            }
            let before = owners_view(app, c, &form.page).await;
            let mut answered = Vec::new();
            for (who, other) in [("a visitor", &anonymous), ("another graduate", &d.other_graduate), ("an employer without a company", &d.other_employer)] {
                tried += 1;
                let res = app.post_from_portal(other, &form.action).header("Accept", "application/json").form(&form.fields).send().await.unwrap();
                let status = res.status().as_u16();
                if status >= 500 {
                    problems.push(format!("{who} posting {owner}'s {} (from {}) got {status}", form.action, form.page));
                }
                answered.push(format!("{who}: {status}"));
            }
            let after = owners_view(app, c, &form.page).await;
            if before != after {
                let at = before.bytes().zip(after.bytes()).position(|(a, b)| a != b).unwrap_or(before.len().min(after.len()));
                let around = |t: &str| t.get(at.saturating_sub(80)..(at + 80).min(t.len())).unwrap_or("").to_string();
                problems.push(format!(
                    "{owner}'s {} changed after others posted {} ({}): {:?} became {:?}",
                    form.page,
                    form.action,
                    answered.join(", "),
                    around(&before),
                    around(&after)
                ));
            }
        }
    }
    assert!(tried > 20, "found only {tried} forms that name a thing");
    eprintln!("{tried} foreign posts");
    assert!(problems.is_empty(), "{} forms worked for someone else:\n{}", problems.len(), problems.join("\n"));
}

/// What people type by mistake or on purpose: markup, SQL, paths, control characters, numbers
/// out of range, full-width digits, astral characters, and far too much.
fn hostile_values() -> Vec<String> {
    vec![
        String::new(),
        "<script>alert(1)</script>".into(),
        "' OR '1'='1'; DROP TABLE users; --".into(),
        "../../../../etc/passwd".into(),
        "a\0b".into(),
        "-1".into(),
        "99999999999999999999999".into(),
        "１２３４５".into(),
        "𝕏😀\u{202e}".into(),
        "9".repeat(40_000),
    ]
}

async fn every_form_answers_hostile_values_without_a_server_error(db: Db) {
    let d = demo(db).await;
    let app = &d.app;
    let anonymous = client();
    let mut problems = Vec::new();
    let mut sent = 0;
    let mut actions = BTreeSet::new();
    for (who, c, starts) in [
        ("a visitor", &anonymous, &["/", "/signup", "/login", "/complaints", "/archive/lookup"][..]),
        ("the graduate", &d.graduate, &GRADUATE_STARTS[..]),
        ("the employer", &d.employer, &EMPLOYER_STARTS[..]),
        ("the case worker", &d.case_worker, &STAFF_STARTS[..]),
        ("the admin", &d.admin, &ADMIN_STARTS[..]),
    ] {
        let found = crawl(app, c, starts).await;
        let mut done = BTreeSet::new();
        for form in &found.forms {
            // Signing out would end the rest of this role's run; one form per action and set of
            // fields is enough.
            let names: Vec<&String> = form.fields.iter().map(|(k, _)| k).collect();
            if form.action.ends_with("/logout") || !done.insert((form.action.clone(), format!("{names:?}"))) {
                continue;
            }
            actions.insert(form.action.clone());
            for i in 0..form.fields.len() {
                for value in hostile_values() {
                    let mut fields = form.fields.clone();
                    fields[i].1 = value.clone();
                    // As a browser posts it (the error comes back in the flash) …
                    let plain = app
                        .post_from_portal(c, &form.action)
                        .header("Accept", "text/html")
                        .header("Referer", app.url(&form.page))
                        .form(&fields)
                        .send()
                        .await;
                    // … and as a script calls it.
                    let script = app.post_from_portal(c, &form.action).header("Accept", "application/json").form(&fields).send().await;
                    sent += 2;
                    for (how, res) in [("posted", plain), ("called", script)] {
                        match res {
                            Ok(r) if r.status().as_u16() < 500 => {}
                            Ok(r) => problems.push(format!(
                                "{who}: {} {how} with {}={:?} answered {}",
                                form.action,
                                fields[i].0,
                                value.chars().take(30).collect::<String>(),
                                r.status()
                            )),
                            Err(e) => problems.push(format!("{who}: {} {how} with {}: no answer ({e})", form.action, fields[i].0)),
                        }
                    }
                }
            }
        }
    }
    assert!(actions.len() > 40, "the crawls found only {} form actions: {actions:?}", actions.len());
    eprintln!("{sent} hostile posts to {} form actions", actions.len());
    assert!(problems.is_empty(), "{} server errors:\n{}", problems.len(), problems.join("\n"));
}

async fn every_server_function_answers_garbage_without_a_server_error(db: Db) {
    let d = demo(db).await;
    let app = &d.app;
    let anonymous = client();
    let paths: Vec<(&'static str, http::Method)> = leptos::server_fn::axum::server_fn_paths().collect();
    assert!(paths.len() > 80, "the portal registers its server functions ({})", paths.len());
    let bodies: [(&str, &[u8]); 5] = [
        ("application/x-www-form-urlencoded", b""),
        ("application/x-www-form-urlencoded", b"id=%FF%FE&&&==&kind=\x00&page=-9"),
        ("application/json", b"{\"id\": [[[[[[[[[[1]]]]]]]]]]}"),
        ("text/plain", b"\xff\xfe\xfd"),
        ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x\"\r\n\r\nzz\r\n--x--"),
    ];
    let mut problems = Vec::new();
    for (path, method) in &paths {
        for (who, c) in [("a visitor", &anonymous), ("the graduate", &d.graduate), ("the case worker", &d.case_worker)] {
            for (content_type, body) in bodies {
                let req = if *method == http::Method::GET {
                    c.get(app.url(&format!("{path}?id=%FF&page=-1&q=%00")))
                } else {
                    app.post_from_portal(c, path).header("Content-Type", content_type).body(body.to_vec())
                };
                match req.send().await {
                    Ok(r) if r.status().as_u16() < 500 => {}
                    Ok(r) => problems.push(format!("{who}: {method} {path} with {content_type} answered {}", r.status())),
                    Err(e) => problems.push(format!("{who}: {method} {path}: no answer ({e})")),
                }
            }
        }
    }
    eprintln!("{} server functions called with garbage", paths.len());
    assert!(problems.is_empty(), "{} server errors:\n{}", problems.len(), problems.join("\n"));
}
