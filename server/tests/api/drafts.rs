//! Drafts of application forms through HTTP on both databases: kept as typed without being
//! checked, read back into the form, deleted by the submission, private to their author, and
//! refused for a kind that has no form to draft.

use crate::startup::{document, founder, page_as};
use crate::support::*;
use app::applications::drafts::Draft;

on_both_databases!(
    a_draft_with_invalid_values_is_kept_as_typed_and_the_submission_deletes_it,
    without_javascript_a_draft_goes_back_to_the_form_which_shows_it_and_discarding_empties_it,
    another_user_never_sees_a_draft_and_nobody_signed_out_saves_one,
    a_draft_for_a_kind_without_a_form_is_refused_with_a_message,
);

async fn draft_of(app: &TestApp, c: &reqwest::Client, kind: &str) -> Option<Draft> {
    app.fetch_as(c, "applications/draft/get", &[("kind", kind)]).await
}

async fn drafts(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM application_drafts").fetch_one(&app.pool).await.unwrap()
}

async fn a_draft_with_invalid_values_is_kept_as_typed_and_the_submission_deletes_it(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = founder(&app, "draft@example.com", 41, "self_employed").await;
    // Not a number, no term, a summary: the loan form would refuse all of it.
    let typed = [("draft_kind", "startup_loan"), ("amount", "三十万"), ("term_years", ""), ("plan_summary", "茶叶电商\n第二行")];
    let saved = app.call_as(&c, "applications/draft", &typed).await;
    assert_eq!(saved.status(), 200);
    let draft = draft_of(&app, &c, "startup_loan").await.expect("the draft is kept");
    let expected: std::collections::BTreeMap<String, String> =
        typed[1..].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(draft.fields, expected, "kept exactly as typed");
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM applications WHERE kind = 'startup_loan'").fetch_one(&app.pool).await.unwrap(), 0);

    // Saving again replaces it (one draft per graduate and kind).
    let again = [("draft_kind", "startup_loan"), ("amount", "300000"), ("term_years", "3"), ("plan_summary", "茶叶电商")];
    assert_eq!(app.call_as(&c, "applications/draft", &again).await.status(), 200);
    assert_eq!(draft_of(&app, &c, "startup_loan").await.unwrap().fields["amount"], "300000");
    assert_eq!(drafts(&app).await, 1);

    // A refused submission keeps the draft; the one that goes through deletes it.
    let refused = app.call_as(&c, "startup/loan/apply", &again[1..]).await;
    assert_eq!(app_error(refused).await.field_key("plan"), Some("startup.plan_missing"));
    assert_eq!(drafts(&app).await, 1, "a refused submission keeps the draft");
    document(&app, &c, "business_plan", "/startup/loan").await;
    assert_eq!(app.call_as(&c, "startup/loan/apply", &again[1..]).await.status(), 200);
    assert_eq!(draft_of(&app, &c, "startup_loan").await, None);
    assert_eq!(drafts(&app).await, 0);
}

async fn without_javascript_a_draft_goes_back_to_the_form_which_shows_it_and_discarding_empties_it(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = founder(&app, "plain-draft@example.com", 42, "self_employed").await;
    let res = app
        .post_plain_as(&c, "applications/draft", "/startup/loan", &[("amount", "12,5万"), ("plan_summary", "山货直播"), ("draft_kind", "startup_loan")])
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/startup/loan?notice=draft_saved&saved="), "{location}");

    let (status, html) = page_as(&app, &c, &location).await;
    assert_eq!(status, 200);
    assert!(html.contains("草稿保存于") && html.contains("草稿已保存"), "the saved-at line and the notice");
    assert!(html.contains(r#"value="12,5万""#), "the typed amount is back in its field");
    assert!(html.contains("山货直播"), "the summary is back in its field");
    assert!(html.contains("准备这些材料") && html.contains("创业计划书"), "the documents to have ready");

    let res = app.post_plain_as(&c, "applications/draft/discard", &location, &[("draft_kind", "startup_loan")]).await;
    assert!(res.status().is_redirection());
    let location = res.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = page_as(&app, &c, &location).await;
    assert!(!html.contains("草稿保存于") && !html.contains("山货直播"), "the form is empty again");
    assert_eq!(drafts(&app).await, 0);
}

async fn another_user_never_sees_a_draft_and_nobody_signed_out_saves_one(db: Db) {
    let app = spawn_app(db).await;
    let (owner, _) = founder(&app, "owner@example.com", 43, "flexible").await;
    let (other, _) = founder(&app, "other@example.com", 44, "flexible").await;
    let lines = [("draft_kind", "flexible_insurance_subsidy"), ("lines", "2026-07 1200\n2026-08 abc")];
    assert_eq!(app.call_as(&owner, "applications/draft", &lines).await.status(), 200);

    assert_eq!(draft_of(&app, &other, "flexible_insurance_subsidy").await, None, "another graduate has none");
    let (_, html) = page_as(&app, &other, "/flexible").await;
    assert!(!html.contains("2026-08 abc") && !html.contains("草稿保存于"));
    let (_, html) = page_as(&app, &owner, "/flexible").await;
    assert!(html.contains("2026-08 abc") && html.contains("草稿保存于"), "the owner's form shows it");

    let nobody = client();
    assert_eq!(draft_of(&app, &nobody, "flexible_insurance_subsidy").await, None);
    let res = app.call_as(&nobody, "applications/draft", &lines).await;
    assert_eq!(res.status(), 401);
    let (cw, _) = app.signed_in("cw@example.com", app::account::Role::CaseWorker).await;
    assert_eq!(app.call_as(&cw, "applications/draft", &lines).await.status(), 403);
    assert_eq!(drafts(&app).await, 1);
}

async fn a_draft_for_a_kind_without_a_form_is_refused_with_a_message(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = founder(&app, "noform@example.com", 45, "unemployed").await;
    for kind in ["employment_certificate", "training_subsidy", "no_such_kind"] {
        let res = app.call_as(&c, "applications/draft", &[("draft_kind", kind), ("note", "x")]).await;
        assert_eq!(res.status(), 422, "{kind}");
        assert_eq!(app_error(res).await.field_key(""), Some("draft.no_form"), "{kind}");
    }
    // A request with no kind at all is a bad request, not a server error.
    let res = app.call_as(&c, "applications/draft", &[("amount", "1")]).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    // Without JavaScript the refusal comes back to the page it was sent from.
    let res = app.post_plain_as(&c, "applications/draft", "/eligibility", &[("draft_kind", "employment_certificate")]).await;
    assert_eq!((res.status().as_u16(), res.headers()["location"].to_str().unwrap()), (303, "/eligibility"));
    assert_eq!(drafts(&app).await, 0);
}
