//! Pages as a first-time visitor meets them: the language, the links on the front page.

use crate::support::*;

on_both_databases!(a_first_visit_follows_the_browsers_language_until_the_reader_chooses, the_front_page_links_the_services_that_are_open);

async fn a_first_visit_follows_the_browsers_language_until_the_reader_chooses(db: Db) {
    let app = spawn_app(db).await;
    let get = |accept: &'static str, cookie: Option<&'static str>| {
        let mut req = client().get(app.url("/vacancies")).header("Accept-Language", accept);
        if let Some(c) = cookie {
            req = req.header("Cookie", c);
        }
        async move { req.send().await.unwrap().text().await.unwrap() }
    };
    let english = get("en-GB,en;q=0.9", None).await;
    assert!(english.contains("<html lang=\"en\"") && english.contains("Find a job"), "English for an English browser");
    let chinese = get("fr-FR,fr;q=0.9", None).await;
    assert!(chinese.contains("<html lang=\"zh-CN\"") && chinese.contains("找工作"), "Chinese when the browser names neither");
    let chosen = get("en-GB,en;q=0.9", Some("lang=zh-CN")).await;
    assert!(chosen.contains("<html lang=\"zh-CN\""), "the reader's own choice wins");
}

async fn the_front_page_links_the_services_that_are_open(db: Db) {
    let app = spawn_app(db).await;
    let (status, html) = app.page("/").await;
    assert_eq!(status, 200);
    for href in ["href=\"/vacancies\"", "href=\"/verify\"", "href=\"/profile\"", "href=\"/complaints\"", "href=\"/complaints/status\""] {
        assert!(html.contains(href), "{href} on the front page");
    }
}
