//! The application engine: profiles with encrypted ID numbers, documents, eligibility, every
//! transition by role, stale versions, the queue, certificates and follow-ups.

use crate::support::*;
use app::account::Role;
use app::applications::api::QueuePage;
use app::applications::eligibility::Eligibility;
use app::applications::model::{Action, Kind, Status};
use app::applications::{ApplicationDetail, ApplicationRow};
use app::certificates::{Certificate, Verification};
use app::error::AppError;
use app::followups::{FollowUp, Uncontacted};
use app::jobseeker::conflicts::Conflict;
use app::jobseeker::domain::{Gender, ResidentId};
use app::jobseeker::profile::Profile;
use app::shared::values::ServiceNeed;
use app::staff::graduate::GraduateOverview;

on_both_databases!(
    a_profile_keeps_the_id_number_encrypted_and_shows_it_masked_to_staff,
    masks_stored_in_the_old_form_are_cut_down_by_migration_0006,
    a_taken_id_number_is_saved_pending_and_a_case_worker_decides_whose_it_is,
    accounts_saving_one_free_id_number_at_once_leave_one_holder_and_the_rest_pending,
    a_second_open_claim_is_decided_against_whoever_holds_the_number_by_then,
    profile_saves_are_throttled_per_account,
    bad_profile_input_gets_a_message_per_field,
    documents_are_checked_by_content_and_size_and_only_owner_and_staff_can_fetch_them,
    uploads_need_a_verified_email_and_stay_within_the_accounts_quota,
    registration_needs_a_profile_and_both_documents,
    the_registration_goes_through_needs_info_to_approval_and_the_certificate_verifies,
    each_role_may_take_only_its_own_transitions,
    a_decision_on_a_stale_version_is_refused_with_a_clear_message,
    the_queue_lists_oldest_first_filters_and_pages,
    follow_ups_are_logged_and_uncontacted_graduates_listed,
    an_admin_policy_change_changes_eligibility,
    graduates_applying_at_the_same_moment_all_get_their_own_reference,
    one_graduate_applying_eight_times_at_once_gets_one_application_and_never_a_500,
);

pub(crate) fn resident_id(seq: u32) -> String {
    ResidentId::with_check_char(&format!("51110220030715{seq:03}"))
}

pub(crate) fn profile_form(id: &str) -> Vec<(&'static str, String)> {
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

/// Borrows an owned form as the pairs `call_as` takes.
pub(crate) fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

pub(crate) async fn save_profile(app: &TestApp, client: &reqwest::Client, id: &str) -> reqwest::Response {
    app.call_as(client, "profile/save", &pairs(&profile_form(id))).await
}

/// A verified graduate, signed in on their own client.
pub(crate) async fn graduate(app: &TestApp, email: &str) -> (reqwest::Client, i64) {
    app.signed_in(email, Role::Graduate).await
}

/// A staff member (or employer) signed in on their own client.
async fn staff(app: &TestApp, email: &str, role: Role) -> reqwest::Client {
    app.signed_in(email, role).await.0
}

pub(crate) const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

pub(crate) async fn upload(app: &TestApp, c: &reqwest::Client, purpose: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    app.post_from_portal(c, &format!("/uploads/{purpose}"))
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

/// Why applying for `kind` is refused: the form-wide message of the `Invalid` answer.
async fn refusal_to_apply(app: &TestApp, c: &reqwest::Client, kind: &str) -> String {
    let error = app_error(apply(app, c, kind).await).await;
    error.field_key("").unwrap_or_else(|| panic!("a form-wide message for {kind}: {error:?}")).to_string()
}

async fn detail(app: &TestApp, c: &reqwest::Client, reference: &str) -> ApplicationDetail {
    app.fetch_as(c, "applications/detail", &[("reference", reference)]).await
}

async fn latest_reference(app: &TestApp, applicant: i64) -> String {
    sqlx::query_scalar("SELECT reference FROM applications WHERE applicant_id = $1 ORDER BY id DESC LIMIT 1")
        .bind(applicant)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// Takes `action` on the application as the reader of `d` saw it (its id and version).
async fn act(app: &TestApp, c: &reqwest::Client, d: &ApplicationDetail, action: &str, reason: &str) -> reqwest::Response {
    act_with_note(app, c, d, action, reason, "").await
}

async fn act_with_note(app: &TestApp, c: &reqwest::Client, d: &ApplicationDetail, action: &str, reason: &str, note: &str) -> reqwest::Response {
    let (id, version) = (d.application.id.to_string(), d.application.version.to_string());
    app.call_as(c, "applications/act", &[("application_id", &id), ("version", &version), ("action", action), ("reason", reason), ("note", note)]).await
}

async fn a_profile_keeps_the_id_number_encrypted_and_shows_it_masked_to_staff(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = graduate(&app, "li@example.com").await;
    let id = resident_id(123);
    assert_eq!(save_profile(&app, &c, &id).await.status(), 200);

    let (enc, masked): (String, String) = sqlx::query_as("SELECT resident_id_enc, resident_id_masked FROM profiles").fetch_one(&app.pool).await.unwrap();
    assert!(!enc.contains(&id) && !enc.contains("20030715"), "stored sealed");
    // The area code and the check character: nothing of the birth date or the sequence.
    assert_eq!(masked, format!("511102***********{}", &id[17..]));

    let mine: Option<Profile> = app.fetch_as(&c, "profile/get", &[]).await;
    let mine = mine.expect("the profile was saved");
    assert_eq!(mine.resident_id, id, "the owner sees the whole number");
    assert_eq!(mine.birth_date, "2003-07-15");
    assert_eq!(mine.gender, Gender::Male);
    assert_eq!((mine.user_id, mine.full_name.as_str(), mine.household_place.as_str()), (user_id, "李明", "shizhong"));
    assert_eq!((mine.intentions.salary_min, mine.intentions.salary_max), (Some(4000), Some(6000)));
    assert_eq!(mine.service_needs, [ServiceNeed::JobMatching]);

    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let uid = user_id.to_string();
    let seen: GraduateOverview = app.fetch_as(&cw, "staff/graduate", &[("user_id", &uid)]).await;
    let seen_profile = seen.profile.expect("staff see the profile");
    assert_eq!(seen_profile.resident_id, masked);
    // Staff get the age, not the birth date that would fill in the mask.
    assert_eq!(seen_profile.birth_date, "", "no birth date beside the mask");
    let today = app::shared::time::Date::today_from_unix(app::ssr::now());
    assert_eq!(seen_profile.age, app::shared::time::Date::new(2003, 7, 15).unwrap().years_until(today));
    assert_eq!(mine.age, seen_profile.age);
    assert_eq!(seen.revealed, None);
    let page = cw.get(app.url(&format!("/staff/graduates/{uid}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&masked), "the page shows the mask");
    assert!(!page.contains("2003-07-15") && !page.contains(&id), "the page shows neither the birth date nor the number");
    let audits = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = 'profile:reveal_resident_id'").fetch_one(&app.pool).await.unwrap() };
    assert_eq!(audits().await, 0);
    // Nothing a GET (or the page's own read) asks for opens the number: not the old link.
    let asked: GraduateOverview = app.fetch_as(&cw, "staff/graduate", &[("user_id", &uid), ("reveal", "true")]).await;
    assert_eq!(asked.revealed, None);
    let page = cw.get(app.url(&format!("/staff/graduates/{uid}?reveal=1"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&id), "a link does not reveal");
    assert_eq!(audits().await, 0);

    // The reveal is a POST with a reason, which the audit log keeps; there is no other way in.
    let old_way = app.call_as(&cw, "profile/reveal", &[("user_id", &uid)]).await;
    assert_ne!(old_way.status(), 200);
    assert!(!old_way.text().await.unwrap().contains(&id));
    let no_reason = app.call_as(&cw, "staff/reveal", &[("user_id", &uid), ("reason", "  ")]).await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(app_error(no_reason).await, AppError::field("reason", "graduate.reveal_reason_required"));
    let too_long = "因".repeat(201);
    assert_eq!(app_error(app.call_as(&cw, "staff/reveal", &[("user_id", &uid), ("reason", &too_long)]).await).await, AppError::field("reason", "graduate.reveal_reason_too_long"));
    assert_eq!(audits().await, 0);
    let revealed: String = app.fetch_as(&cw, "staff/reveal", &[("user_id", &uid), ("reason", "核对身份证扫描件")]).await;
    assert_eq!(revealed, id);
    assert_eq!(audits().await, 1, "every reveal is logged");
    let target: String = sqlx::query_scalar("SELECT target FROM audit_log WHERE action = 'profile:reveal_resident_id'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(target, format!("user:{uid} reason:核对身份证扫描件"));
    let after: GraduateOverview = app.fetch_as(&cw, "staff/graduate", &[("user_id", &uid)]).await;
    assert_eq!(after.revealed, None, "a hydrated reveal leaves nothing for the next read");

    // Without JavaScript: back to the graduate's page, which shows the number once.
    let plain = app.post_plain_as(&cw, "staff/reveal", &format!("/staff/graduates/{uid}"), &[("user_id", &uid), ("reason", "电话核实身份")]).await;
    assert_eq!(plain.status(), 302);
    assert_eq!(plain.headers()["location"], format!("/staff/graduates/{uid}").as_str());
    assert_eq!(audits().await, 2);
    let page = cw.get(app.url(&format!("/staff/graduates/{uid}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&id), "the page after the post shows the number");
    let page = cw.get(app.url(&format!("/staff/graduates/{uid}"))).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains(&id), "once only");
    let plain = app.post_plain_as(&cw, "staff/reveal", &format!("/staff/graduates/{uid}"), &[("user_id", &uid), ("reason", "")]).await;
    assert_eq!(plain.status(), 303, "a missing reason goes back to the form too");
    assert_eq!(audits().await, 2);

    // A graduate cannot open another graduate's file.
    let (other, _) = graduate(&app, "other@example.com").await;
    let res = app.call_as(&other, "staff/graduate", &[("user_id", &uid)]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(app_error(res).await, AppError::Forbidden);
    let res = app.call_as(&other, "staff/reveal", &[("user_id", &uid), ("reason", "curious")]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(audits().await, 2);
}

/// Runs the statement of `0006_masks.sql` (of the database's own dialect) that starts with
/// `starts`, as the migration did on databases that held rows before it.
async fn run_from_migration_0006(app: &TestApp, db: Db, starts: &str) {
    let dir = match db {
        Db::Sqlite => "sqlite",
        Db::Postgres => "postgres",
    };
    let sql = std::fs::read_to_string(format!("{}/../migrations/{dir}/0006_masks.sql", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = sql.find(starts).unwrap_or_else(|| panic!("{starts} in 0006"));
    let statement = &sql[start..start + sql[start..].find(';').unwrap()];
    sqlx::query(statement).execute(&app.pool).await.unwrap();
}

async fn masks_stored_in_the_old_form_are_cut_down_by_migration_0006(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = graduate(&app, "old@example.com").await;
    let id = resident_id(77);
    assert_eq!(save_profile(&app, &c, &id).await.status(), 200);
    let old_mask = format!("{}**********{}", &id[..4], &id[14..]);
    sqlx::query("UPDATE profiles SET resident_id_masked = $1 WHERE user_id = $2").bind(&old_mask).bind(user_id).execute(&app.pool).await.unwrap();
    run_from_migration_0006(&app, db, "UPDATE profiles").await;
    let masked: String = sqlx::query_scalar("SELECT resident_id_masked FROM profiles WHERE user_id = $1").bind(user_id).fetch_one(&app.pool).await.unwrap();
    // Only what both forms share: the first four and the last character.
    assert_eq!(masked, format!("{}*************{}", &id[..4], &id[17..]));
    // A mask in the new form is left alone (the statement runs once, but says what it changes).
    let new_mask = format!("{}***********{}", &id[..6], &id[17..]);
    sqlx::query("UPDATE profiles SET resident_id_masked = $1 WHERE user_id = $2").bind(&new_mask).bind(user_id).execute(&app.pool).await.unwrap();
    run_from_migration_0006(&app, db, "UPDATE profiles").await;
    let masked: String = sqlx::query_scalar("SELECT resident_id_masked FROM profiles WHERE user_id = $1").bind(user_id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(masked, new_mask);
}

/// The profile as its owner sees it.
async fn my_profile(app: &TestApp, c: &reqwest::Client) -> Profile {
    app.fetch_as::<Option<Profile>>(c, "profile/get", &[]).await.expect("a saved profile")
}

async fn a_taken_id_number_is_saved_pending_and_a_case_worker_decides_whose_it_is(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    // An address that never answered cannot store an ID number at all.
    app.sign_up_graduate("throwaway@example.com", PASSWORD).await;
    let throwaway = client();
    app.log_in_as(&throwaway, "throwaway@example.com", PASSWORD).await;
    let res = save_profile(&app, &throwaway, &resident_id(5)).await;
    assert_eq!(app_error(res).await, AppError::field("resident_id", "profile.verify_email_first"));

    let (squatter, squatter_id) = graduate(&app, "first@example.com").await;
    let (owner, owner_id) = graduate(&app, "owner@example.com").await;
    assert_eq!(save_profile(&app, &squatter, &resident_id(5)).await.status(), 200);
    assert_eq!(save_profile(&app, &squatter, &resident_id(5)).await.status(), 200, "the holder may save again");
    assert!(!my_profile(&app, &squatter).await.id_pending);

    // The second account is not told the number is taken, nor by whom: its profile is saved
    // pending, and it cannot apply until a case worker has decided.
    let res = save_profile(&app, &owner, &resident_id(5).to_lowercase()).await;
    assert_eq!(res.status(), 200);
    assert!(my_profile(&app, &owner).await.id_pending);
    assert_eq!(refusal_to_apply(&app, &owner, "jobseeker_registration").await, "rule.identity_confirmed");
    assert_eq!(save_profile(&app, &owner, &resident_id(5)).await.status(), 200, "saving again keeps one conflict");

    assert_eq!(app.call_as(&owner, "staff/id_conflicts", &[]).await.status(), 403, "graduates cannot see conflicts");
    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let open: Vec<Conflict> = app.fetch_as(&cw, "staff/id_conflicts", &[]).await;
    assert_eq!(open.len(), 1);
    let c = &open[0];
    assert_eq!((c.holder.user_id, c.claimant.user_id), (squatter_id, owner_id));
    assert_eq!((c.holder.email.as_str(), c.claimant.email.as_str()), ("first@example.com", "owner@example.com"));
    assert!(!c.masked_id.contains(&resident_id(5)[6..17]), "staff see the number masked: {}", c.masked_id);
    let id = c.id.to_string();

    let res = app.call_as(&cw, "staff/decide_id_conflict", &[("conflict_id", &id), ("decision", "claimant"), ("note", " ")]).await;
    assert_eq!(app_error(res).await, AppError::field("note", "conflict.note_required"));
    let decide = [("conflict_id", id.as_str()), ("decision", "claimant"), ("note", "核对身份证原件，号码属于后登记者")];
    assert_eq!(app.call_as(&cw, "staff/decide_id_conflict", &decide).await.status(), 200);
    assert!(!my_profile(&app, &owner).await.id_pending, "the owner holds the number now");
    assert!(my_profile(&app, &squatter).await.id_pending, "the first account no longer does");
    assert_eq!(refusal_to_apply(&app, &squatter, "jobseeker_registration").await, "rule.identity_confirmed");
    let (subject, _) = app.last_mail_to("owner@example.com").await.unwrap();
    assert!(subject.contains("已核实"), "{subject}");
    let (subject, body) = app.last_mail_to("first@example.com").await.unwrap();
    assert!(subject.contains("移除") && body.contains("核对身份证原件"), "{subject} {body}");
    assert_eq!(app.call_as(&cw, "staff/decide_id_conflict", &decide).await.status(), 409, "decided once");

    // The first account tries again: a new conflict, decided the other way this time, and the
    // number stays with its holder until the claimant saves another.
    assert_eq!(save_profile(&app, &squatter, &resident_id(5)).await.status(), 200);
    let open: Vec<Conflict> = app.fetch_as(&cw, "staff/id_conflicts", &[]).await;
    assert_eq!((open.len(), open[0].claimant.user_id, open[0].holder.user_id), (1, squatter_id, owner_id));
    let id = open[0].id.to_string();
    let keep = [("conflict_id", id.as_str()), ("decision", "holder"), ("note", "无法提供原件")];
    assert_eq!(app.call_as(&cw, "staff/decide_id_conflict", &keep).await.status(), 200);
    assert!(my_profile(&app, &squatter).await.id_pending);
    let (subject, _) = app.last_mail_to("first@example.com").await.unwrap();
    assert!(subject.contains("未能核实"), "{subject}");
    assert_eq!(save_profile(&app, &squatter, &resident_id(6)).await.status(), 200);
    assert!(!my_profile(&app, &squatter).await.id_pending, "a number nobody holds is the profile's at once");

    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'profile:id_conflict_decided'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 2);
}

async fn accounts_saving_one_free_id_number_at_once_leave_one_holder_and_the_rest_pending(db: Db) {
    let app = spawn_app(db).await;
    let mut clients = Vec::new();
    for i in 0..6 {
        clients.push(graduate(&app, &format!("race{i}@example.com")).await.0);
    }
    let id = resident_id(9);
    let answers = futures::future::join_all(clients.iter().map(|c| save_profile(&app, c, &id))).await;
    assert!(answers.iter().all(|r| r.status() == 200), "{:?}", answers.iter().map(|r| r.status()).collect::<Vec<_>>());
    let holders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles WHERE id_conflict_at IS NULL").fetch_one(&app.pool).await.unwrap();
    let conflicts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM id_conflicts WHERE status = 'open'").fetch_one(&app.pool).await.unwrap();
    assert_eq!((holders, conflicts), (1, 5));
}

async fn a_second_open_claim_is_decided_against_whoever_holds_the_number_by_then(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (first, first_id) = graduate(&app, "first@example.com").await;
    let (a, a_id) = graduate(&app, "a@example.com").await;
    let (b, b_id) = graduate(&app, "b@example.com").await;
    for c in [&first, &a, &b] {
        assert_eq!(save_profile(&app, c, &resident_id(8)).await.status(), 200);
    }
    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let open: Vec<Conflict> = app.fetch_as(&cw, "staff/id_conflicts", &[]).await;
    assert_eq!(open.iter().map(|c| (c.claimant.user_id, c.holder.user_id)).collect::<Vec<_>>(), [(a_id, first_id), (b_id, first_id)]);
    let decide = |id: i64| {
        let id = id.to_string();
        let (app, cw) = (&app, &cw);
        async move { app.call_as(cw, "staff/decide_id_conflict", &[("conflict_id", id.as_str()), ("decision", "claimant"), ("note", "核对原件")]).await.status() }
    };
    assert_eq!(decide(open[0].id).await, 200);
    let open: Vec<Conflict> = app.fetch_as(&cw, "staff/id_conflicts", &[]).await;
    assert_eq!((open.len(), open[0].claimant.user_id, open[0].holder.user_id), (1, b_id, a_id), "the number is a's now");
    assert_eq!(decide(open[0].id).await, 200);
    let holders: Vec<i64> = sqlx::query_scalar("SELECT user_id FROM profiles WHERE id_conflict_at IS NULL").fetch_all(&app.pool).await.unwrap();
    assert_eq!(holders, [b_id]);
    assert!(my_profile(&app, &a).await.id_pending && my_profile(&app, &first).await.id_pending);
    let (subject, _) = app.last_mail_to("a@example.com").await.unwrap();
    assert!(subject.contains("移除"), "a is told the number went on: {subject}");
}

async fn profile_saves_are_throttled_per_account(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = graduate(&app, "busy@example.com").await;
    for n in 0..app::jobseeker::profile::SAVES_PER_ACCOUNT_PER_HOUR {
        assert_eq!(save_profile(&app, &c, &resident_id(n as u32 + 100)).await.status(), 200, "save {n}");
    }
    let res = save_profile(&app, &c, &resident_id(200)).await;
    assert_eq!(res.status(), 429);
    assert!(matches!(app_error(res).await, AppError::TooManyAttempts { .. }));
    // Another account is not held up by this one's limit (the address has room for several).
    let (other, _) = graduate(&app, "calm@example.com").await;
    assert_eq!(save_profile(&app, &other, &resident_id(200)).await.status(), 200);
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
    let res = app.call_as(&c, "profile/save", &pairs(&form)).await;
    assert_eq!(res.status(), 422);
    let e = app_error(res).await;
    assert_eq!(e.field_key("resident_id"), Some("validation.resident_id_check"));
    assert_eq!(e.field_key("phone"), Some("validation.mobile_invalid"));
    assert_eq!(e.field_key("graduation_date"), Some("validation.date_invalid"));
    assert_eq!(e.field_key("household_place"), Some("validation.choose_one"));
    assert_eq!(e.field_key("salary_max"), Some("validation.salary_order"));
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
    // The profile lists the document the way the page shows it.
    let mine: Option<Profile> = app.fetch_as(&c, "profile/get", &[]).await;
    let documents = mine.expect("a profile").documents;
    assert_eq!(documents.iter().map(|d| (d.id, d.purpose.as_str(), d.mime.as_str())).collect::<Vec<_>>(), [(id, "id_card", "image/png")]);
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

async fn uploads_need_a_verified_email_and_stay_within_the_accounts_quota(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = graduate(&app, "quota@example.com").await;
    save_profile(&app, &c, &resident_id(19)).await;
    let stored = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM uploads").fetch_one(&app.pool).await.unwrap() };
    let profile_page = || async { c.get(app.url("/profile")).send().await.unwrap().text().await.unwrap() };

    // An unverified address stores nothing, and the profile page says why.
    sqlx::query("UPDATE users SET email_verified_at = NULL WHERE id = $1").bind(user_id).execute(&app.pool).await.unwrap();
    let res = upload(&app, &c, "id_card", "card.png", PNG.to_vec()).await;
    assert_eq!((res.status().as_u16(), &res.headers()["location"]), (303, &"/profile".parse::<reqwest::header::HeaderValue>().unwrap()));
    assert!(profile_page().await.contains("请先验证邮箱"), "the refusal is shown");
    assert_eq!(stored().await, 0);
    sqlx::query("UPDATE users SET email_verified_at = 1 WHERE id = $1").bind(user_id).execute(&app.pool).await.unwrap();

    // Twenty files are the most an account keeps.
    let record = |size: i64| {
        let pool = app.pool.clone();
        async move {
            sqlx::query("INSERT INTO uploads (owner_id, purpose, sha256, mime, size, created_at) VALUES ($1, 'id_card', 'x', 'image/png', $2, 0)")
                .bind(user_id)
                .bind(size)
                .execute(&pool)
                .await
                .unwrap();
        }
    };
    for _ in 0..20 {
        record(100).await;
    }
    upload(&app, &c, "id_card", "card.png", PNG.to_vec()).await;
    assert!(profile_page().await.contains("已达每个账号的上限（20 个）"), "the file limit is shown");
    assert_eq!(stored().await, 20);

    // And 25 MB in all: five full-size files, then not one byte more.
    sqlx::query("DELETE FROM uploads").execute(&app.pool).await.unwrap();
    for _ in 0..5 {
        record(5 * 1024 * 1024).await;
    }
    upload(&app, &c, "id_card", "card.png", PNG.to_vec()).await;
    assert!(profile_page().await.contains("总大小将超过每个账号的上限 25 MB"), "the size limit is shown");
    assert_eq!(stored().await, 5);

    // Another account has its own quota.
    let (other, _) = graduate(&app, "other-quota@example.com").await;
    let res = upload(&app, &other, "id_card", "card.png", PNG.to_vec()).await;
    assert_eq!(res.headers()["location"], "/profile?notice=document_uploaded");
    // Room again once under the limit.
    sqlx::query("DELETE FROM uploads WHERE owner_id = $1 AND id IN (SELECT MIN(id) FROM uploads WHERE owner_id = $1)").bind(user_id).execute(&app.pool).await.unwrap();
    let res = upload(&app, &c, "id_card", "card.png", PNG.to_vec()).await;
    assert_eq!(res.headers()["location"], "/profile?notice=document_uploaded");
}

async fn registration_needs_a_profile_and_both_documents(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = graduate(&app, "early@example.com").await;
    assert_eq!(refusal_to_apply(&app, &c, "jobseeker_registration").await, "rule.profile_complete");
    save_profile(&app, &c, &resident_id(11)).await;
    assert_eq!(refusal_to_apply(&app, &c, "jobseeker_registration").await, "application.documents_missing");
    assert_eq!(refusal_to_apply(&app, &c, "startup_training").await, "training.enroll_on_programme_page", "a course is enrolled on from its page");
    assert_eq!(refusal_to_apply(&app, &c, "no_such_service").await, "application.kind_closed");
    assert_eq!(refusal_to_apply(&app, &c, "startup_loan").await, "application.use_the_form", "a service with a form of its own is applied for there");
    assert_eq!(refusal_to_apply(&app, &c, "employment_certificate").await, "rule.registration_approved");

    let list: Vec<Eligibility> = app.fetch_as(&c, "applications/eligibility", &[]).await;
    assert_eq!(list.iter().map(|e| e.kind).collect::<Vec<_>>(), Kind::ALL, "every service is listed");
}

async fn the_registration_goes_through_needs_info_to_approval_and_the_certificate_verifies(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, user_id) = ready_graduate(&app, "journey@example.com", 21).await;
    let res = apply(&app, &c, "jobseeker_registration").await;
    assert_eq!(res.status(), 200);
    let reference = latest_reference(&app, user_id).await;
    assert!(reference.starts_with("LS-") && reference.ends_with("-000001"), "{reference}");
    let (subject, body) = app.last_mail_to("journey@example.com").await.unwrap();
    assert!(subject.contains("进展") && body.contains(&reference), "{subject} {body}");
    // A second registration while this one is open is refused.
    assert_eq!(refusal_to_apply(&app, &c, "jobseeker_registration").await, "rule.not_already_registered");
    // The applicant's own list shows it.
    let mine: Vec<ApplicationRow> = app.fetch_as(&c, "applications/mine", &[]).await;
    assert_eq!(mine.iter().map(|a| (a.reference.as_str(), a.kind, a.status)).collect::<Vec<_>>(), [(reference.as_str(), Kind::JobseekerRegistration, Status::Submitted)]);

    let cw = staff(&app, "cw@example.com", Role::CaseWorker).await;
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d.application.status, Status::Submitted);
    assert_eq!(d.application.applicant_id, user_id);
    assert_eq!(act(&app, &cw, &d, "start_review", "").await.status(), 200);
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d.application.assignee_name.as_deref(), Some("测试用户"), "starting the review assigns it");
    let no_reason = act(&app, &cw, &d, "request_info", "  ").await;
    assert_eq!(app_error(no_reason).await.field_key("reason"), Some("application.reason_required"));
    assert_eq!(act(&app, &cw, &d, "request_info", "毕业证照片不清晰，请重新上传").await.status(), 200);
    let (_, body) = app.last_mail_to("journey@example.com").await.unwrap();
    assert!(body.contains("毕业证照片不清晰"), "the reason reaches the applicant: {body}");

    // The applicant answers and resubmits.
    let d = detail(&app, &c, &reference).await;
    assert_eq!(d.application.status, Status::NeedsInfo);
    assert_eq!(d.actions, [Action::Submit, Action::Withdraw]);
    assert_eq!(act_with_note(&app, &c, &d, "submit", "", "已重新上传清晰的照片").await.status(), 200);

    let d = detail(&app, &cw, &reference).await;
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    let d = detail(&app, &c, &reference).await;
    let steps: Vec<Status> = d.events.iter().map(|e| e.to).collect();
    assert_eq!(steps, [Status::Submitted, Status::InReview, Status::NeedsInfo, Status::Submitted, Status::Approved]);
    assert_eq!(d.events[2].reason, "毕业证照片不清晰，请重新上传");
    assert_eq!((d.events[3].actor_role, d.events[3].note.as_str()), (Role::Graduate, "已重新上传清晰的照片"));
    let unread: i64 = app.fetch_as(&c, "notifications/unread", &[]).await;
    assert_eq!(unread, 5, "one notification per status change");

    // The certificate: apply, approve, print, verify.
    assert_eq!(apply(&app, &c, "employment_certificate").await.status(), 200);
    let cert_ref = latest_reference(&app, user_id).await;
    let d = detail(&app, &cw, &cert_ref).await;
    assert_eq!(act(&app, &cw, &d, "approve", "").await.status(), 200);
    let d = detail(&app, &c, &cert_ref).await;
    // The certificate service's panel on the application page carries its number and code.
    let (number, code): (String, String) = serde_json::from_value(d.panel.expect("the approval issued a certificate")).unwrap();
    assert_eq!(number, format!("JY{}", cert_ref.trim_start_matches("LS-").replace('-', "")));
    let cert: Certificate = app.fetch_as(&c, "certificates/get", &[("number", &number)]).await;
    assert_eq!(cert.holder_name, "李明");
    let issued_mask = format!("511102***********{}", &resident_id(21)[17..]);
    assert_eq!(cert.masked_id, issued_mask);
    // The certificate keeps the masked ID it was issued with, whatever the profile says later.
    sqlx::query("UPDATE profiles SET resident_id_masked = 'changed' WHERE user_id = $1").bind(user_id).execute(&app.pool).await.unwrap();
    let cert: Certificate = app.fetch_as(&c, "certificates/get", &[("number", &number)]).await;
    assert_eq!(cert.masked_id, issued_mask, "as issued, not the live profile");
    assert_eq!((cert.reference.as_str(), cert.valid), (cert_ref.as_str(), true));
    let (other, _) = graduate(&app, "nosy@example.com").await;
    let res = app.call_as(&other, "certificates/get", &[("number", &number)]).await;
    assert_eq!(res.status(), 404);
    assert_eq!(app_error(res).await, AppError::NotFound);

    let anyone = client();
    let ok: Verification = app.fetch_as(&anyone, "certificates/verify", &[("number", &number), ("code", &code.to_lowercase())]).await;
    assert!(matches!(&ok, Verification::Valid { masked_name, .. } if masked_name == "李*"), "{ok:?}");
    let wrong: Verification = app.fetch_as(&anyone, "certificates/verify", &[("number", &number), ("code", "AAAAAAAA")]).await;
    assert_eq!(wrong, Verification::NotFound);
    let (status, html) = app.page(&format!("/verify?number={number}&code={code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("证书有效") && html.contains("李*"), "{html}");

    // Revoked by staff (with a reason), it shows as revoked to everyone.
    assert_eq!(app.call_as(&c, "certificates/revoke", &[("number", &number), ("reason", "x")]).await.status(), 403);
    let no_reason = app.call_as(&cw, "certificates/revoke", &[("number", &number), ("reason", " ")]).await;
    assert_eq!(app_error(no_reason).await, AppError::field("reason", "application.reason_required"));
    assert_eq!(app.call_as(&cw, "certificates/revoke", &[("number", &number), ("reason", "材料造假")]).await.status(), 200);
    let again = app.call_as(&cw, "certificates/revoke", &[("number", &number), ("reason", "again")]).await;
    assert_eq!(again.status(), 409);
    assert_eq!(app_error(again).await, AppError::Conflict("certificate.already_revoked".into()));
    let revoked: Verification = app.fetch_as(&anyone, "certificates/verify", &[("number", &number), ("code", &code)]).await;
    assert!(matches!(&revoked, Verification::Revoked { masked_name, .. } if masked_name == "李*"), "{revoked:?}");
}

async fn each_role_may_take_only_its_own_transitions(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = ready_graduate(&app, "roles@example.com", 31).await;
    apply(&app, &c, "jobseeker_registration").await;
    let reference = latest_reference(&app, user_id).await;
    let d = detail(&app, &c, &reference).await;
    assert_eq!(d.actions, [Action::Withdraw], "a submitted application can only be withdrawn by its applicant");

    // The applicant cannot decide their own application.
    for action in ["start_review", "approve", "reject", "request_info", "complete"] {
        let res = act(&app, &c, &d, action, "x").await;
        assert_eq!(res.status(), 409, "{action}");
        assert_eq!(app_error(res).await, AppError::Conflict("application.not_allowed".into()), "{action}");
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
    assert_eq!(staff_view.actions, [Action::StartReview, Action::RequestInfo, Action::Approve, Action::Reject]);
    // Anonymous callers are asked to sign in.
    let anonymous = act(&app, &client(), &d, "withdraw", "").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(app_error(anonymous).await, AppError::Unauthorized);

    // The applicant withdraws; after that nobody can act.
    assert_eq!(act(&app, &c, &d, "withdraw", "").await.status(), 200);
    let d = detail(&app, &cw, &reference).await;
    assert_eq!(d.application.status, Status::Withdrawn);
    assert!(d.actions.is_empty(), "{:?}", d.actions);
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
    assert_eq!(app_error(res).await, AppError::Conflict("application.stale".into()));
    let d = detail(&app, &second, &reference).await;
    assert_eq!(d.application.status, Status::Approved, "the first decision stands");
    assert_eq!(d.application.version, seen_by_second.application.version + 1);
    assert_eq!(d.events.len(), 2);
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
        async move { app.fetch_as::<QueuePage>(&cw, "applications/queue", &pairs(&filters)).await }
    };
    let first = page(vec![]).await;
    assert_eq!(first.rows.len(), 25);
    assert_eq!(first.rows[0].applicant_id, ids[0], "oldest first");
    assert_eq!(first.rows.iter().map(|r| r.applicant_id).collect::<Vec<_>>(), ids[..25]);
    let cursor = first.next.clone().expect("a second page");
    let second = page(vec![("after", cursor)]).await;
    assert_eq!(second.rows.len(), 5);
    assert_eq!(second.rows[4].applicant_id, ids[29]);
    assert_eq!(second.next, None);

    let in_emeishan = page(vec![("place", "emeishan".into())]).await;
    assert_eq!(in_emeishan.rows.iter().map(|r| (r.applicant_id, r.household_place.as_str())).collect::<Vec<_>>(), [(ids[3], "emeishan")]);
    let waiting_long = page(vec![("min_days", "35".into())]).await;
    assert_eq!(waiting_long.rows.len(), 6, "submitted 40 to 35 days ago");

    let id = first.rows[2].id.to_string();
    assert_eq!(app.call_as(&cw, "applications/assign", &[("application_id", &id)]).await.status(), 200);
    let mine = page(vec![("assignee", "me".into())]).await;
    assert_eq!(mine.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [first.rows[2].id]);
    assert_eq!(mine.rows[0].assignee_name.as_deref(), Some("测试用户"));
    let unassigned = page(vec![("assignee", "none".into())]).await;
    assert_eq!(unassigned.rows.len(), 25);
    let res = app.call_as(&cw, "applications/queue", &[("status", "bogus")]).await;
    assert_eq!(res.status(), 422, "a bad filter is the sender's mistake");
    assert!(matches!(app_error(res).await, AppError::Invalid(_)));
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
    assert_eq!(app_error(res).await.field_key("contacted_at"), Some("followup.in_future"));
    let res = app.call_as(&cw, "followups/log", &[("graduate_id", &uid), ("channel", "visit"), ("contacted_at", "2026-11-01T10:00"), ("outcome", "已到企业面试"), ("intentions_update", "想做出纳")]).await;
    assert_eq!(res.status(), 200);

    let mine: Vec<FollowUp> = app.fetch_as(&c, "followups/of", &[("graduate_id", &uid)]).await;
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].outcome.as_str(), mine[0].channel.as_str(), mine[0].intentions_update.as_str()), ("已到企业面试", "visit", "想做出纳"));
    assert_eq!(app.call_as(&c, "followups/of", &[("graduate_id", &other_id.to_string())]).await.status(), 403);
    assert_eq!(app.call_as(&c, "followups/log", &[("graduate_id", &uid), ("channel", "visit"), ("contacted_at", "2026-11-01T10:00"), ("outcome", "x"), ("intentions_update", "")]).await.status(), 403);

    let never: Vec<Uncontacted> = app.fetch_as(&cw, "followups/uncontacted", &[("days", "3650")]).await;
    let names: Vec<i64> = never.iter().map(|g| g.user_id).collect();
    assert_eq!(names, vec![other_id], "the one nobody called");
    assert_eq!(never[0].last_contacted, None);
    let recent: Vec<Uncontacted> = app.fetch_as(&cw, "followups/uncontacted", &[("days", "0")]).await;
    assert_eq!(recent.len(), 2);
}

async fn an_admin_policy_change_changes_eligibility(db: Db) {
    let app = spawn_app(db).await;
    let (c, _) = ready_graduate(&app, "founder@example.com", 61).await;
    let graduated_within_years = |list: &[Eligibility]| -> bool {
        let subsidy = list.iter().find(|e| e.kind == Kind::StartupSubsidy).expect("the startup subsidy is listed");
        subsidy.checks.iter().find(|c| c.key == "rule.graduated_within_years").unwrap_or_else(|| panic!("the rule is checked: {subsidy:?}")).passed
    };
    let list: Vec<Eligibility> = app.fetch_as(&c, "applications/eligibility", &[]).await;
    assert!(graduated_within_years(&list), "graduated this year");

    let admin = staff(&app, "admin@example.com", Role::Admin).await;
    let bad = app.call_as(&admin, "admin/policy/set", &[("param", "startup_subsidy_years_since_graduation"), ("effective_from", "2026-13-01"), ("value", "-1"), ("source", "")]).await;
    let e = app_error(bad).await;
    assert_eq!(e.field_key("effective_from"), Some("validation.date_invalid"));
    assert_eq!(e.field_key("value"), Some("validation.number_invalid"));
    assert_eq!(e.field_key("source"), Some("validation.required"));
    let res = app.call_as(&admin, "admin/policy/set", &[("param", "startup_subsidy_years_since_graduation"), ("effective_from", "2026-01-01"), ("value", "0"), ("source", "测试")]).await;
    assert_eq!(res.status(), 200);
    let list: Vec<Eligibility> = app.fetch_as(&c, "applications/eligibility", &[]).await;
    assert!(!graduated_within_years(&list), "no years allowed any more");
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

async fn one_graduate_applying_eight_times_at_once_gets_one_application_and_never_a_500(db: Db) {
    let app = spawn_app(db).await;
    let (c, user_id) = ready_graduate(&app, "eager@example.com", 300).await;
    // A double click, a retry, several tabs: every request reads "not applied yet" before any
    // has written. At most one may create the application.
    let results = futures::future::join_all((0..8).map(|_| apply(&app, &c, "jobseeker_registration"))).await;
    let (mut created, mut refused) = (0, 0);
    for res in results {
        if res.status() == 200 {
            created += 1;
            continue;
        }
        match app_error(res).await {
            AppError::Conflict(key) => assert_eq!(key, "application.already_open"),
            e @ AppError::Invalid(_) => assert_eq!(e.field_key(""), Some("rule.not_already_registered")),
            other => panic!("a second application is refused with 409 or the eligibility rule, not {other:?}"),
        }
        refused += 1;
    }
    assert_eq!((created, refused), (1, 7));
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE applicant_id = $1").bind(user_id).fetch_one(&app.pool).await.unwrap();
    assert_eq!(open, 1);

    // The database itself holds the rule: a second open row of the kind cannot be written, a
    // closed one can.
    let insert = |status: &'static str, reference: &'static str| {
        sqlx::query(
            "INSERT INTO applications (reference, applicant_id, kind, payload, status, version, household_place, submitted_at, created_at, updated_at) \
             VALUES ($1, $2, 'jobseeker_registration', '{}', $3, 1, 'shizhong', 0, 0, 0)",
        )
        .bind(reference)
        .bind(user_id)
        .bind(status)
        .execute(&app.pool)
    };
    let e = insert("draft", "LS-1999-000001").await.expect_err("a second open application");
    assert!(app::db::is_unique_violation(&e), "{e}");
    insert("withdrawn", "LS-1999-000002").await.expect("a withdrawn one is history");
}