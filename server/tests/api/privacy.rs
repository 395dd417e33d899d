//! Privacy self-service on both databases: consent at sign-up, the list of columns that refer
//! to an account against the real schema, the personal-data zip (complete, and only the
//! person's own), and account deletion (erased, kept, counted, audited, signed out).

use crate::applications::{graduate, profile_form, resident_id, upload, PNG};
use crate::support::*;
use app::account::Role;
use app::privacy::ssr::{Export, REFERENCES};
use app::privacy::PRIVACY_NOTICE_VERSION;
use app::reports::Dashboard;
use sqlx::{AnyPool, Row};
use std::collections::BTreeSet;
use std::io::Read;

on_both_databases!(
    signing_up_without_consent_is_refused_next_to_the_box_and_a_consent_is_recorded_with_version_and_time,
    every_column_that_refers_to_an_account_is_in_the_privacy_list,
    the_download_holds_the_persons_rows_from_every_table_and_their_documents_and_nothing_of_anyone_else,
    deleting_an_account_erases_the_person_keeps_decided_records_and_counts_and_is_audited,
    an_employer_downloads_their_account_data_and_deleting_the_account_leaves_the_organisation_and_its_postings,
);

const ID_SEQ_A: u32 = 31;
const ID_SEQ_B: u32 = 32;
const PHONE_A: &str = "13812345678";

async fn signed_in_graduate_with_profile(app: &TestApp, email: &str, seq: u32, name: &str, phone: &str, document: &[u8]) -> (reqwest::Client, i64) {
    let (c, id) = graduate(app, email).await;
    let mut form = profile_form(&resident_id(seq));
    for (k, v) in form.iter_mut() {
        match *k {
            "full_name" => *v = name.to_string(),
            "phone" => *v = phone.to_string(),
            _ => {}
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.call_as(&c, "profile/save", &pairs).await.status(), 200, "{email}'s profile saves");
    assert_eq!(upload(app, &c, "id_card", "id.png", document.to_vec()).await.status(), 303);
    let mut second = document.to_vec();
    second.extend_from_slice(b"graduation");
    assert_eq!(upload(app, &c, "graduation_certificate", "cert.png", second).await.status(), 303);
    (c, id)
}

/// A's world: an approved registration, a certificate application still waiting, a saved
/// search, a draft, a follow-up, a complaint, a consent (A was made directly, not through the
/// form), and the notifications all that caused.
async fn busy_graduate(app: &TestApp) -> (reqwest::Client, i64, reqwest::Client) {
    let (c, a) = signed_in_graduate_with_profile(app, "a@example.com", ID_SEQ_A, "李明", PHONE_A, &png(b"A-document")).await;
    let (cw, cw_id) = app.signed_in("cw@example.com", Role::CaseWorker).await;
    assert_eq!(app.call_as(&c, "applications/apply", &[("kind", "jobseeker_registration")]).await.status(), 200);
    let (reg_id, version): (i64, i64) =
        sqlx::query_as("SELECT id, version FROM applications WHERE applicant_id = $1").bind(a).fetch_one(&app.pool).await.unwrap();
    let act = |id: i64, version: i64, action: &'static str| {
        let cw = cw.clone();
        async move {
            let (id, version) = (id.to_string(), version.to_string());
            let res = app.call_as(&cw, "applications/act", &[("application_id", &id), ("version", &version), ("action", action), ("reason", ""), ("note", "")]).await;
            assert_eq!(res.status(), 200, "{action}");
        }
    };
    act(reg_id, version, "approve").await;
    assert_eq!(app.call_as(&c, "applications/apply", &[("kind", "employment_certificate")]).await.status(), 200);
    assert_eq!(app.call_as(&c, "matching/save_search", &[("q", "会计")]).await.status(), 200);
    let t = app::ssr::now();
    sqlx::query("INSERT INTO application_drafts (user_id, kind, fields, updated_at) VALUES ($1, 'startup_loan', '{\"plan_summary\":\"茶叶店\"}', $2)")
        .bind(a)
        .bind(t)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO follow_ups (graduate_id, case_worker_id, channel, contacted_at, outcome, intentions_update, created_at) VALUES ($1, $2, 'phone', $3, '李明说在找会计工作', '', $3)")
        .bind(a)
        .bind(cw_id)
        .bind(t)
        .execute(&app.pool)
        .await
        .unwrap();
    let complaint: i64 = sqlx::query_scalar(
        "INSERT INTO complaints (reference, check_hash, category, reporter_id, employer_name, description, status, outcome_text, version, created_at, updated_at) \
         VALUES ('TS-2026-000001', 'x', 'illegal_fees', $1, '某公司', '收取押金', 'received', '', 1, $2, $2) RETURNING id",
    )
    .bind(a)
    .bind(t)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO complaint_events (complaint_id, actor_id, actor_role, from_status, to_status, reason, note, at) VALUES ($1, $2, 'graduate', 'received', 'received', '', '我的电话 13812345678', $3)")
        .bind(complaint)
        .bind(a)
        .bind(t)
        .execute(&app.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO privacy_consents (user_id, notice_version, consented_at) VALUES ($1, $2, $3)")
        .bind(a)
        .bind(PRIVACY_NOTICE_VERSION)
        .bind(t)
        .execute(&app.pool)
        .await
        .unwrap();
    (c, a, cw)
}

/// A small PNG whose bytes carry `mark`, so each person's documents differ.
fn png(mark: &[u8]) -> Vec<u8> {
    let mut bytes = PNG.to_vec();
    bytes.extend_from_slice(mark);
    bytes
}

async fn signing_up_without_consent_is_refused_next_to_the_box_and_a_consent_is_recorded_with_version_and_time(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let form = [("role", "graduate"), ("display_name", "李明"), ("email", "li@example.com"), ("password", PASSWORD), ("password_confirm", PASSWORD)];
    let res = app.call("signup", &form).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app_error(res).await.field_key("consent"), Some("privacy.consent_required"));
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&app.pool).await.unwrap();
    assert_eq!(users, 0, "nothing was kept");

    // Without JavaScript: back to the form, the message beside the box, the address kept.
    let res = app.post_plain("signup", "/signup", &form).await;
    assert_eq!(res.status(), 303);
    let (_, html) = app.page("/signup").await;
    assert!(html.contains("请勾选同意个人信息处理规则后再注册"), "the message is on the page");
    assert!(html.contains("value=\"li@example.com\""), "the typed address is kept");
    assert!(html.contains("href=\"/privacy\""), "the form links to the full notice");

    let before = app::ssr::now();
    let mut consented = form.to_vec();
    consented.push(("consent", "on"));
    assert_eq!(app.call("signup", &consented).await.status(), 200);
    let (user, version, at): (i64, String, i64) = sqlx::query_as(
        "SELECT c.user_id, c.notice_version, c.consented_at FROM privacy_consents c JOIN users u ON u.id = c.user_id WHERE u.email = 'li@example.com'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(user > 0);
    assert_eq!(version, PRIVACY_NOTICE_VERSION);
    assert!(at >= before && at <= app::ssr::now(), "recorded at the sign-up: {at}");

    // The full notice names its version.
    let (status, html) = app.page("/privacy").await;
    assert_eq!(status, 200);
    assert!(html.contains(PRIVACY_NOTICE_VERSION));
}

/// Every (table, column) with a foreign key to `users`, from the database's own catalogue.
async fn user_references(pool: &AnyPool, db: Db) -> BTreeSet<(String, String)> {
    let sql = match db {
        Db::Sqlite => {
            "SELECT m.name AS t, p.\"from\" AS c FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p \
             WHERE m.type = 'table' AND p.\"table\" = 'users'"
        }
        Db::Postgres => {
            "SELECT CAST(tc.table_name AS TEXT) AS t, CAST(kcu.column_name AS TEXT) AS c FROM information_schema.table_constraints tc \
             JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND tc.table_schema = current_schema()"
        }
    };
    sqlx::query(sql).fetch_all(pool).await.unwrap().iter().map(|r| (r.get::<String, _>("t"), r.get::<String, _>("c"))).collect()
}

async fn every_column_that_refers_to_an_account_is_in_the_privacy_list(db: Db) {
    let app = spawn_app(db).await;
    let in_schema = user_references(&app.pool, db).await;
    assert!(in_schema.len() > 30, "the catalogue was read: {in_schema:?}");
    let listed: BTreeSet<(String, String)> = REFERENCES.iter().map(|r| (r.table.to_string(), r.column.to_string())).collect();
    let missing: Vec<_> = in_schema.difference(&listed).collect();
    let stale: Vec<_> = listed.difference(&in_schema).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "app::privacy::ssr::REFERENCES must say what the download and the deletion do with every column that refers to an account.\n\
         In the schema but not in the list: {missing:?}\nIn the list but not in the schema: {stale:?}"
    );
}

async fn download(app: &TestApp, c: &reqwest::Client) -> reqwest::Response {
    c.get(app.url("/account/privacy/data.zip")).send().await.unwrap()
}

fn unzip(bytes: &[u8]) -> (serde_json::Value, Vec<(String, Vec<u8>)>) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("the download is a zip");
    let mut data = None;
    let mut documents = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated, "{name}");
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "data.json" {
            data = Some(serde_json::from_slice(&content).expect("data.json is JSON"));
        } else {
            assert!(name.starts_with("documents/"), "{name}");
            documents.push((name, content));
        }
    }
    (data.expect("data.json in the zip"), documents)
}

async fn the_download_holds_the_persons_rows_from_every_table_and_their_documents_and_nothing_of_anyone_else(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, a, cw) = busy_graduate(&app).await;
    let (b_client, _b) = signed_in_graduate_with_profile(&app, "b@example.com", ID_SEQ_B, "王芳", "13900001111", &png(b"B-document")).await;

    let res = download(&app, &c).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let disposition = res.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.starts_with("attachment; filename=\"my-data-") && disposition.ends_with(".zip\""), "{disposition}");
    let (data, documents) = unzip(&res.bytes().await.unwrap());
    let text = data.to_string();

    // The person: the account, the opened ID number, the phone.
    assert_eq!(data["account"]["email"], "a@example.com");
    assert_eq!(data["notice_version"], PRIVACY_NOTICE_VERSION);
    let profile = &data["tables"]["profiles.user_id"][0];
    assert_eq!(profile["resident_id"], resident_id(ID_SEQ_A));
    assert_eq!(profile["phone"], PHONE_A);
    assert!(profile.get("resident_id_enc").is_none() && profile.get("resident_id_hash").is_none(), "no sealed values or keyed hashes");
    assert!(!text.contains("password_hash") && !text.contains("$argon2"), "no password hash");

    // Completeness: every table the list says is the person's, with exactly the rows that
    // refer to them, and the ones this fixture filled are not empty.
    for reference in REFERENCES.iter().filter(|r| r.export == Export::Own) {
        let key = format!("{}.{}", reference.table, reference.column);
        let rows = data["tables"][&key].as_array().unwrap_or_else(|| panic!("{key} in data.json"));
        let in_db: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {} WHERE {} = $1", reference.table, reference.column))
            .bind(a)
            .fetch_one(&app.pool)
            .await
            .unwrap();
        assert_eq!(rows.len() as i64, in_db, "{key}");
        assert!(rows.iter().all(|r| r[reference.column] == a), "{key} holds only the person's rows");
    }
    for filled in ["profiles.user_id", "uploads.owner_id", "applications.applicant_id", "notifications.user_id", "saved_searches.user_id", "application_drafts.user_id", "follow_ups.graduate_id", "complaints.reporter_id", "privacy_consents.user_id"] {
        assert!(!data["tables"][filled].as_array().unwrap().is_empty(), "{filled} has the fixture's rows");
    }
    assert_eq!(data["tables"]["application_events"].as_array().unwrap().len(), 3, "both applications' timelines");
    assert!(data["tables"]["applications.applicant_id"][0]["payload"].is_object(), "payloads as JSON");
    assert_eq!(data["tables"]["complaint_events"].as_array().unwrap().len(), 1);

    // The documents: both of A's, as uploaded.
    let mut names: Vec<&str> = documents.iter().map(|(n, _)| n.as_str()).collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(documents.iter().any(|(_, bytes)| *bytes == png(b"A-document")));

    // Nothing of B's.
    for other in ["b@example.com", "王芳", "13900001111", resident_id(ID_SEQ_B).as_str()] {
        assert!(!text.contains(other), "{other} is not in A's download");
    }
    assert!(documents.iter().all(|(_, bytes)| !bytes.windows(10).any(|w| w == b"B-document")), "no document of B's");

    // Audited: who, whose; nobody else can ask for it.
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'account:data_exported' AND actor_id = $1 AND target = $2")
        .bind(a)
        .bind(format!("user:{a}"))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    let res = download(&app, &client()).await;
    assert_eq!(res.status(), 303, "signed out: to the sign-in page");
    assert!(res.headers()["location"].to_str().unwrap().starts_with("/login"));
    assert_eq!(download(&app, &cw).await.status(), 403, "staff data is not downloaded here");
    let res = download(&app, &b_client).await;
    assert_eq!(res.status(), 200);
    let (b_data, _) = unzip(&res.bytes().await.unwrap());
    assert!(!b_data.to_string().contains("a@example.com"), "B gets B's own data");
}

/// Every text value in every table, with where it is.
async fn all_text(pool: &AnyPool, db: Db) -> Vec<(String, String, String)> {
    // (table, its text columns); PostgreSQL's search vectors are no text the Any driver reads.
    let columns_sql = match db {
        Db::Sqlite => {
            "SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' AND c.type = 'TEXT'"
        }
        Db::Postgres => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' AND data_type IN ('text', 'character varying')"
        }
    };
    let columns: Vec<(String, String)> = sqlx::query_as(columns_sql).fetch_all(pool).await.unwrap();
    assert!(columns.iter().any(|(t, c)| t == "users" && c == "email"), "the text columns were read: {columns:?}");
    let mut out = Vec::new();
    for (table, column) in columns {
        let values: Vec<Option<String>> = sqlx::query_scalar(&format!("SELECT {column} FROM {table}")).fetch_all(pool).await.unwrap();
        out.extend(values.into_iter().flatten().map(|text| (table.clone(), column.clone(), text)));
    }
    out
}

async fn dashboard(app: &TestApp, cw: &reqwest::Client) -> Dashboard {
    app.fetch_as(cw, "reports/dashboard", &[]).await
}

async fn deleting_an_account_erases_the_person_keeps_decided_records_and_counts_and_is_audited(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let (c, a, cw) = busy_graduate(&app).await;
    let (b_client, b) = signed_in_graduate_with_profile(&app, "b@example.com", ID_SEQ_B, "王芳", "13900001111", &png(b"B-document")).await;
    let second_device = client();
    assert_eq!(app.log_in_as(&second_device, "a@example.com", PASSWORD).await.status(), 200);
    let before = dashboard(&app, &cw).await;
    let a_files: Vec<String> = sqlx::query_scalar("SELECT sha256 FROM uploads WHERE owner_id = $1").bind(a).fetch_all(&app.pool).await.unwrap();
    let stored = |sha: &str| app.data_dir.path().join("uploads").join(&sha[..2]).join(sha);
    assert!(a_files.iter().all(|s| stored(s).exists()));
    // The scan below reads every table: before the deletion it finds the person.
    let found_before = all_text(&app.pool, db).await;
    for personal in ["a@example.com", PHONE_A, "李明"] {
        assert!(found_before.iter().any(|(_, _, text)| text.contains(personal)), "{personal} is found before");
    }

    // Refusals first: a wrong password, a member of staff, nobody signed in.
    let res = app.call_as(&c, "privacy/delete", &[("password", "not my password")]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(app_error(res).await.field_key("password"), Some("account.current_password_wrong"));
    let res = app.call_as(&cw, "privacy/delete", &[("password", PASSWORD)]).await;
    assert_eq!(res.status(), 409, "staff accounts are disabled by an admin instead");
    assert_eq!(app.call_as(&client(), "privacy/delete", &[("password", PASSWORD)]).await.status(), 401);
    assert!(app.me_as(&c).await.is_some(), "nothing happened yet");

    assert_eq!(app.call_as(&c, "privacy/delete", &[("password", PASSWORD)]).await.status(), 200);

    // Signed out everywhere, and the old address signs in no better than an unknown one.
    assert!(app.me_as(&c).await.is_none());
    assert!(app.me_as(&second_device).await.is_none());
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1").bind(a).fetch_one(&app.pool).await.unwrap();
    assert_eq!(sessions, 0);
    let old = app_error(app.log_in_as(&client(), "a@example.com", PASSWORD).await).await;
    let unknown = app_error(app.log_in_as(&client(), "nobody@example.com", PASSWORD).await).await;
    assert_eq!(old, unknown);

    // Gone from every table: the address, the ID number, the phone, the name.
    let id_number = resident_id(ID_SEQ_A);
    for (table, column, text) in all_text(&app.pool, db).await {
        for personal in ["a@example.com", id_number.as_str(), PHONE_A, "李明", "茶叶店"] {
            assert!(!text.contains(personal), "{personal} is still in {table}.{column}: {text}");
        }
    }
    for table in ["profiles", "saved_searches", "notifications", "application_drafts", "follow_ups"] {
        let column = match table {
            "profiles" | "saved_searches" | "notifications" | "application_drafts" => "user_id",
            _ => "graduate_id",
        };
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1")).bind(a).fetch_one(&app.pool).await.unwrap();
        assert_eq!(n, 0, "{table}");
    }
    assert!(a_files.iter().all(|s| !stored(s).exists()), "the documents are gone from disk");
    let b_files: Vec<String> = sqlx::query_scalar("SELECT sha256 FROM uploads WHERE owner_id = $1").bind(b).fetch_all(&app.pool).await.unwrap();
    assert!(b_files.len() == 2 && b_files.iter().all(|s| stored(s).exists()), "another person's documents stay");

    // Kept: the decided registration (data removed), the open one withdrawn, the counts.
    let kept: Vec<(String, String, String)> =
        sqlx::query_as("SELECT kind, status, payload FROM applications WHERE applicant_id = $1 ORDER BY id").bind(a).fetch_all(&app.pool).await.unwrap();
    assert_eq!(kept.iter().map(|(k, s, _)| (k.as_str(), s.as_str())).collect::<Vec<_>>(), [("jobseeker_registration", "approved"), ("employment_certificate", "withdrawn")]);
    let payload: serde_json::Value = serde_json::from_str(&kept[0].2).unwrap();
    assert_eq!(payload["intentions"]["job_types"], "", "the person's words are gone");
    assert_eq!(payload["intentions"]["salary_min"], 4000, "figures stay");
    let after = dashboard(&app, &cw).await;
    assert_eq!(after.registrations, before.registrations);
    let counts = |d: &Dashboard| d.by_kind.iter().map(|k| (k.kind, k.submitted, k.approved)).collect::<Vec<_>>();
    assert_eq!(counts(&after), counts(&before), "every application still counts, and every decision");
    assert_eq!(after.decisions_per_week, before.decisions_per_week);
    let complaints: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM complaints WHERE reporter_id IS NULL").fetch_one(&app.pool).await.unwrap();
    assert_eq!(complaints, 1, "the complaint stays, as an anonymous one");

    // The audit log says who deleted which account, and nothing about the person.
    let (actor, target, address): (Option<i64>, String, String) =
        sqlx::query_as("SELECT actor_id, target, address FROM audit_log WHERE action = 'account:deleted'").fetch_one(&app.pool).await.unwrap();
    assert_eq!((actor, target.as_str(), address.as_str()), (Some(a), format!("user:{a}").as_str(), ""));

    // B is untouched, and the address is free for a new sign-up.
    assert!(app.me_as(&b_client).await.is_some());
    let profile_b: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM profiles WHERE user_id = $1").bind(b).fetch_one(&app.pool).await.unwrap();
    assert_eq!(profile_b, 1);
    assert_eq!(app.sign_up_graduate("a@example.com", PASSWORD).await.status(), 200);
    let again: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = 'a@example.com'").fetch_one(&app.pool).await.unwrap();
    assert_eq!(again, 1);
}

async fn an_employer_downloads_their_account_data_and_deleting_the_account_leaves_the_organisation_and_its_postings(db: Db) {
    let app = spawn_app_with(db, Options::without_worker()).await;
    let c = crate::vacancies::employer(&app, "hr@example.com", "乐山茶业有限公司", true).await;
    assert_eq!(crate::vacancies::post(&app, &c, "出纳", "负责现金收付，五险一金。", &[]).await.status(), 200);

    let res = download(&app, &c).await;
    assert_eq!(res.status(), 200);
    let (data, documents) = unzip(&res.bytes().await.unwrap());
    assert_eq!(data["account"]["role"], "employer");
    assert_eq!(data["tables"]["employers.user_id"][0]["name"], "乐山茶业有限公司");
    assert!(documents.is_empty());

    assert_eq!(app.call_as(&c, "privacy/delete", &[("password", PASSWORD)]).await.status(), 200);
    assert!(app.me_as(&c).await.is_none());
    let organisations: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM employers WHERE name = '乐山茶业有限公司'").fetch_one(&app.pool).await.unwrap();
    let postings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vacancies").fetch_one(&app.pool).await.unwrap();
    assert_eq!((organisations, postings), (1, 1), "the organisation's records are the organisation's");
    for (table, column, text) in all_text(&app.pool, db).await {
        assert!(!text.contains("hr@example.com"), "the address is still in {table}.{column}");
    }
}
