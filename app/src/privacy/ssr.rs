//! Privacy storage (server only): every column that refers to an account, with what the
//! download takes from it and what deletion does to it; the download's content; the deletion.
//!
//! [`REFERENCES`] is the one list. An integration test compares it with the foreign keys to
//! `users` that both databases really have, so a new table that refers to a person cannot be
//! left out of the download or the deletion without that test failing.

use crate::applications::model::{Action, Status};
use crate::error::{AppError, AppResult};
use crate::hiring::ssr::{move_application, MoveDetails};
use crate::hiring::{Stage, StageAction};
use crate::shared::identity::Me;
use crate::ssr::SecretKey;
use serde_json::{Map, Value};
use sqlx::{AnyConnection, Column, Row};

/// What the download takes from a column that refers to the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// The rows are about the person: all of them go into `data.json`.
    Own,
    /// The column names a member of staff doing their work (or, for a token, holds a secret):
    /// not the person's data. Events are exported with the record they belong to.
    NotTheirs,
}

/// What deleting the account does to the rows that refer to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Erase {
    /// The rows go.
    Delete,
    /// The rows stay (statistics, legal retention, an organisation's records) with what is
    /// personal in them removed; see [`scrub`].
    Scrub,
    /// The rows stay as they are: nothing in them is personal once the account is anonymised,
    /// or they record staff work.
    Keep,
}

#[derive(Clone, Copy, Debug)]
pub struct Reference {
    pub table: &'static str,
    pub column: &'static str,
    pub export: Export,
    pub erase: Erase,
}

const fn r(table: &'static str, column: &'static str, export: Export, erase: Erase) -> Reference {
    Reference { table, column, export, erase }
}

use Erase::{Delete, Keep, Scrub};
use Export::{NotTheirs, Own};

/// Every column with a foreign key to `users`, sorted by table.
pub const REFERENCES: &[Reference] = &[
    // Integration API tokens: listed in the download (their hashes are not), revoked at
    // deletion; the rows stay as the record of what called the API.
    r("api_tokens", "created_by", Own, Keep),
    r("application_drafts", "user_id", Own, Delete),
    r("application_events", "actor_id", NotTheirs, Scrub),
    r("applications", "applicant_id", Own, Scrub),
    r("applications", "assignee_id", NotTheirs, Keep),
    r("archive_imports", "uploaded_by", NotTheirs, Keep),
    r("archive_movements", "recorded_by", NotTheirs, Keep),
    r("archives", "created_by", NotTheirs, Keep),
    r("certificates", "holder_id", Own, Scrub),
    r("complaint_events", "actor_id", NotTheirs, Scrub),
    r("complaints", "assignee_id", NotTheirs, Keep),
    r("complaints", "reporter_id", Own, Scrub),
    r("employer_invites", "invited_by", Own, Keep),
    r("employer_members", "invited_by", NotTheirs, Keep),
    r("employer_members", "user_id", Own, Delete),
    r("employers", "decided_by", NotTheirs, Keep),
    r("employers", "user_id", Own, Keep),
    r("fair_booths", "booked_by", Own, Keep),
    r("fair_registrations", "user_id", Own, Keep),
    r("fairs", "created_by", NotTheirs, Keep),
    r("follow_ups", "case_worker_id", NotTheirs, Keep),
    r("follow_ups", "graduate_id", Own, Delete),
    r("id_conflicts", "claimant_id", Own, Delete),
    r("id_conflicts", "decided_by", NotTheirs, Keep),
    r("id_conflicts", "holder_id", Own, Delete),
    r("job_application_events", "actor_id", NotTheirs, Scrub),
    r("job_applications", "applicant_id", Own, Scrub),
    r("notifications", "user_id", Own, Delete),
    r("policy_parameter_changes", "changed_by", NotTheirs, Keep),
    r("policy_parameters", "updated_by", NotTheirs, Keep),
    r("privacy_consents", "user_id", Own, Keep),
    r("profiles", "user_id", Own, Delete),
    r("saved_searches", "user_id", Own, Delete),
    r("startup_loans", "approved_by", NotTheirs, Keep),
    r("tokens", "user_id", NotTheirs, Delete),
    r("traineeship_bases", "flagged_by", NotTheirs, Keep),
    r("traineeships", "applicant_id", Own, Keep),
    r("training_enrollments", "graduate_id", Own, Keep),
    r("training_enrollments", "result_by", NotTheirs, Keep),
    r("training_institutions", "created_by", NotTheirs, Keep),
    r("training_programmes", "created_by", NotTheirs, Keep),
    r("uploads", "owner_id", Own, Scrub),
    r("vacancy_events", "actor_id", NotTheirs, Keep),
    r("vacancy_recommendations", "case_worker_id", NotTheirs, Keep),
    r("vacancy_recommendations", "graduate_id", Own, Keep),
];

/// Columns that hold secrets or keyed hashes: never in a download (the ID number goes out
/// opened, as `resident_id`).
fn secret_column(name: &str) -> bool {
    name == "password_hash" || name.ends_with("_hash") || name.ends_with("_enc")
}

/// Columns whose text is JSON; the download shows them as JSON, not as a string of it.
const JSON_COLUMNS: &[&str] = &["payload", "params", "fields", "filters", "intentions", "service_needs"];

/// One row as a JSON object, whatever its table: each value read as the type it has.
fn row_json(row: &sqlx::any::AnyRow) -> Map<String, Value> {
    let mut out = Map::new();
    for column in row.columns() {
        let (name, i) = (column.name(), column.ordinal());
        if secret_column(name) {
            continue;
        }
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            match v {
                Some(text) if JSON_COLUMNS.contains(&name) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                Some(text) => Value::String(text),
                None => Value::Null,
            }
        } else if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        out.insert(name.to_string(), value);
    }
    out
}

async fn rows(conn: &mut AnyConnection, sql: &str, id: i64) -> AppResult<Vec<Value>> {
    let found = sqlx::query(sql).bind(id).fetch_all(&mut *conn).await?;
    Ok(found.iter().map(|r| Value::Object(row_json(r))).collect())
}

/// A document the person uploaded, for the download's `documents/` folder.
pub struct Document {
    pub id: i64,
    pub purpose: String,
    pub mime: String,
    pub sha256: String,
}

impl Document {
    /// Its name in the zip: the id keeps two documents of one purpose apart.
    pub fn file_name(&self) -> String {
        let ext = match self.mime.as_str() {
            "application/pdf" => "pdf",
            "image/jpeg" => "jpg",
            "image/png" => "png",
            _ => "bin",
        };
        format!("documents/{}-{}.{ext}", self.id, self.purpose)
    }
}

/// Everything the portal holds about `user_id`, as `data.json` shows it, and their documents.
pub async fn personal_data(conn: &mut AnyConnection, key: &SecretKey, user_id: i64, at: i64) -> AppResult<(Value, Vec<Document>)> {
    let account = sqlx::query("SELECT id, email, display_name, role, locale, email_verified_at, created_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tables = Map::new();
    for reference in REFERENCES.iter().filter(|r| r.export == Own) {
        let sql = format!("SELECT * FROM {} WHERE {} = $1 ORDER BY 1", reference.table, reference.column);
        let mut found = rows(conn, &sql, user_id).await?;
        if reference.table == "profiles" {
            let sealed: Option<String> =
                sqlx::query_scalar("SELECT resident_id_enc FROM profiles WHERE user_id = $1").bind(user_id).fetch_optional(&mut *conn).await?;
            if let (Some(Value::Object(profile)), Some(sealed)) = (found.first_mut(), sealed) {
                profile.insert("resident_id".into(), crate::crypto::open(key, &sealed).map(Value::from).unwrap_or(Value::Null));
            }
        }
        tables.insert(format!("{}.{}", reference.table, reference.column), Value::Array(found));
    }
    // The timelines of the person's own records, whoever made each step.
    let related = [
        ("application_events", "SELECT e.* FROM application_events e JOIN applications a ON a.id = e.application_id WHERE a.applicant_id = $1 ORDER BY e.id"),
        (
            "job_application_events",
            "SELECT e.* FROM job_application_events e JOIN job_applications j ON j.id = e.job_application_id WHERE j.applicant_id = $1 ORDER BY e.id",
        ),
        ("complaint_events", "SELECT e.* FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.reporter_id = $1 ORDER BY e.id"),
        // The personnel archive is matched by ID number, as the graduate's archive page does.
        ("archives", "SELECT a.* FROM archives a JOIN profiles p ON p.resident_id_hash = a.resident_id_hash WHERE p.user_id = $1 ORDER BY a.id"),
        (
            "archive_movements",
            "SELECT m.* FROM archive_movements m JOIN archives a ON a.id = m.archive_id \
             JOIN profiles p ON p.resident_id_hash = a.resident_id_hash WHERE p.user_id = $1 ORDER BY m.id",
        ),
    ];
    for (name, sql) in related {
        tables.insert(name.to_string(), Value::Array(rows(conn, sql, user_id).await?));
    }
    let documents = sqlx::query("SELECT id, purpose, mime, sha256 FROM uploads WHERE owner_id = $1 ORDER BY id")
        .bind(user_id)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(Document { id: r.try_get("id")?, purpose: r.try_get("purpose")?, mime: r.try_get("mime")?, sha256: r.try_get("sha256")? }))
        .collect::<AppResult<Vec<_>>>()?;
    let data = serde_json::json!({
        "notice_version": crate::shared::consent::PRIVACY_NOTICE_VERSION,
        "exported_at": at,
        "account": Value::Object(row_json(&account)),
        "tables": Value::Object(tables),
        "documents": documents.iter().map(|d| serde_json::json!({ "upload_id": d.id, "file": d.file_name() })).collect::<Vec<_>>(),
    });
    Ok((data, documents))
}

/// The zip the person downloads: `data.json` and `documents/…`, deflated.
pub fn zip(data: &Value, documents: &[(String, Vec<u8>)]) -> AppResult<Vec<u8>> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    out.start_file("data.json", options).map_err(AppError::internal)?;
    out.write_all(&serde_json::to_vec_pretty(data).map_err(AppError::internal)?).map_err(AppError::internal)?;
    for (name, bytes) in documents {
        out.start_file(name.as_str(), options).map_err(AppError::internal)?;
        out.write_all(bytes).map_err(AppError::internal)?;
    }
    Ok(out.finish().map_err(AppError::internal)?.into_inner())
}

/// The placeholder that replaces an erased account's address and name: it names nobody, and
/// `.invalid` can never receive mail.
pub fn placeholder_email(user_id: i64) -> String {
    format!("deleted-{user_id}@invalid")
}

/// Keys of an application's payload whose text is kept when the person is erased: what the
/// programme offered (a vacancy's title, an employer's or a base's name) and dates, months and
/// codes. Every other text (plans, business names and numbers, notes, wishes) is the person's
/// and goes; numbers and yes/no answers (amounts, terms, decisions) stay.
const KEPT_TEXT: &[&str] = &["title", "employer_name", "base_name", "registered_on", "month", "service_needs"];

/// An application's payload with the person's data removed (see [`KEPT_TEXT`]).
pub fn scrub_payload(value: &Value) -> Value {
    fn walk(value: &Value, keep_text: bool) -> Value {
        match value {
            Value::String(_) if keep_text => value.clone(),
            Value::String(_) => Value::String(String::new()),
            Value::Array(items) => Value::Array(items.iter().map(|v| walk(v, keep_text)).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), walk(v, KEPT_TEXT.contains(&k.as_str())))).collect()),
            other => other.clone(),
        }
    }
    walk(value, false)
}

/// Deletes `me`'s account on the caller's transaction (see the module and the page for what is
/// kept); returns the content hashes of the files whose rows went, to remove from disk after
/// the commit.
pub async fn delete_account(conn: &mut AnyConnection, me: &Me, at: i64) -> AppResult<Vec<String>> {
    let id = me.id;
    let old_email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(id).fetch_one(&mut *conn).await?;

    // Open applications are withdrawn through the engine, so each service's hooks run (a
    // traineeship seat or a training claim is given back) before the person's data goes.
    let open: Vec<(i64, i64)> = sqlx::query_as("SELECT id, version FROM applications WHERE applicant_id = $1 AND status IN ($2, $3, $4, $5)")
        .bind(id)
        .bind(Status::Draft)
        .bind(Status::Submitted)
        .bind(Status::InReview)
        .bind(Status::NeedsInfo)
        .fetch_all(&mut *conn)
        .await?;
    for (application, version) in open {
        crate::applications::ssr::transition_in(&mut *conn, application, version, Action::Withdraw, me, false, "", "").await?;
    }
    let jobs: Vec<(i64, i64, Stage)> = sqlx::query_as("SELECT id, version, status FROM job_applications WHERE applicant_id = $1")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    for (job, version, stage) in jobs.into_iter().filter(|j| j.2.is_open()) {
        move_application(&mut *conn, me, job, version, stage, StageAction::Withdraw, MoveDetails::default()).await?;
    }

    sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE created_by = $2 AND revoked_at IS NULL").bind(at).bind(id).execute(&mut *conn).await?;

    let mut files = Vec::new();
    for reference in REFERENCES {
        match reference.erase {
            Keep => {}
            Delete => {
                sqlx::query(&format!("DELETE FROM {} WHERE {} = $1", reference.table, reference.column)).bind(id).execute(&mut *conn).await?;
            }
            Scrub => files.extend(scrub(conn, reference, id).await?),
        }
    }

    // Not foreign keys, but the person's all the same: their sign-ins, their mail (pending or
    // sent) and an invitation sent to their address.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM outbox WHERE to_addr = $1").bind(&old_email).execute(&mut *conn).await?;
    let placeholder = placeholder_email(id);
    sqlx::query("UPDATE employer_invites SET email = $1 WHERE email = $2").bind(&placeholder).bind(&old_email).execute(&mut *conn).await?;
    // The row stays so that what is kept still has an applicant; "deleted" is no password hash,
    // so nothing signs in to it, and the address is free for a new sign-up.
    sqlx::query(
        "UPDATE users SET email = $1, display_name = $2, password_hash = 'deleted', disabled_at = $3, deleted_at = $3 WHERE id = $4",
    )
    .bind(&placeholder)
    .bind(format!("deleted-{id}"))
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(files)
}

/// The rows of `reference` that stay, with the person's data taken out. Returns the content
/// hashes of any stored files whose rows went.
async fn scrub(conn: &mut AnyConnection, reference: &Reference, id: i64) -> AppResult<Vec<String>> {
    let exec = |sql: &'static str| sqlx::query(sql).bind(id);
    match (reference.table, reference.column) {
        ("applications", "applicant_id") => {
            // Decided applications are kept (legal retention) and every application is counted;
            // what stays of their content is amounts, dates and decisions.
            let payloads: Vec<(i64, String)> =
                sqlx::query_as("SELECT id, payload FROM applications WHERE applicant_id = $1").bind(id).fetch_all(&mut *conn).await?;
            for (application, payload) in payloads {
                let scrubbed = serde_json::from_str::<Value>(&payload).map(|v| scrub_payload(&v)).unwrap_or(Value::Object(Map::new()));
                sqlx::query("UPDATE applications SET payload = $1 WHERE id = $2").bind(scrubbed.to_string()).bind(application).execute(&mut *conn).await?;
            }
        }
        ("application_events", "actor_id") => {
            exec("UPDATE application_events SET note = '' WHERE actor_id = $1").execute(&mut *conn).await?;
        }
        ("certificates", "holder_id") => {
            sqlx::query("UPDATE certificates SET holder_name = $1, holder_id_masked = '' WHERE holder_id = $2")
                .bind(format!("deleted-{id}"))
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        ("complaints", "reporter_id") => {
            // The complaint is about an employer and stays with the centre; it becomes one from
            // an anonymous reporter, which the portal already knows how to handle.
            exec("UPDATE uploads SET owner_id = NULL WHERE owner_id = $1 AND id IN (SELECT evidence_id FROM complaints WHERE reporter_id = $1)")
                .execute(&mut *conn)
                .await?;
            exec("UPDATE complaints SET reporter_id = NULL WHERE reporter_id = $1").execute(&mut *conn).await?;
        }
        ("complaint_events", "actor_id") => {
            exec("UPDATE complaint_events SET actor_id = NULL, actor_role = NULL, note = '' WHERE actor_id = $1").execute(&mut *conn).await?;
        }
        ("job_applications", "applicant_id") => {
            exec("UPDATE job_applications SET cover_note = '' WHERE applicant_id = $1").execute(&mut *conn).await?;
        }
        ("job_application_events", "actor_id") => {
            exec("UPDATE job_application_events SET note = '' WHERE actor_id = $1").execute(&mut *conn).await?;
        }
        ("uploads", "owner_id") => {
            // An organisation's business licence is the organisation's: it stays, without owner.
            exec("UPDATE uploads SET owner_id = NULL WHERE owner_id = $1 AND id IN (SELECT licence_upload_id FROM employers WHERE licence_upload_id IS NOT NULL)")
                .execute(&mut *conn)
                .await?;
            let shas: Vec<String> =
                sqlx::query_scalar("SELECT DISTINCT sha256 FROM uploads WHERE owner_id = $1").bind(id).fetch_all(&mut *conn).await?;
            exec("DELETE FROM uploads WHERE owner_id = $1").execute(&mut *conn).await?;
            return Ok(shas);
        }
        (table, column) => return Err(AppError::internal(format_args!("no way to erase {table}.{column} is written"))),
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_scrubbed_payload_keeps_amounts_dates_and_decisions_and_loses_the_persons_words() {
        let loan = json!({ "amount_fen": 20_000_000, "term_years": 3, "plan_summary": "我的茶叶店", "registration_no": "92511100MA00000000", "plan_upload_id": 7 });
        assert_eq!(scrub_payload(&loan), json!({ "amount_fen": 20_000_000, "term_years": 3, "plan_summary": "", "registration_no": "", "plan_upload_id": 7 }));
        let registration = json!({ "intentions": { "job_types": "会计", "salary_min": 4000 }, "service_needs": ["job_search"], "needs_note": "电话 13800000000" });
        assert_eq!(scrub_payload(&registration), json!({ "intentions": { "job_types": "", "salary_min": 4000 }, "service_needs": ["job_search"], "needs_note": "" }));
        let flexible = json!({ "contributions": [{ "month": "2026-01", "paid_fen": 30000 }], "first_business": true });
        assert_eq!(scrub_payload(&flexible), flexible, "months, amounts and answers stay");
        let traineeship = json!({ "title": "出纳见习", "employer_name": "乐山某公司", "stipend": 2000 });
        assert_eq!(scrub_payload(&traineeship), traineeship, "what the programme offered is not the person's");
    }

    #[test]
    fn secrets_and_keyed_hashes_never_go_into_a_download() {
        for name in ["password_hash", "token_hash", "resident_id_hash", "resident_id_enc", "check_hash"] {
            assert!(secret_column(name), "{name}");
        }
        for name in ["resident_id_masked", "email", "payload", "sha256"] {
            assert!(!secret_column(name), "{name}");
        }
    }

    #[test]
    fn every_reference_is_listed_once_and_staff_work_is_never_deleted() {
        let mut seen = std::collections::BTreeSet::new();
        for r in REFERENCES {
            assert!(seen.insert((r.table, r.column)), "{}.{} twice", r.table, r.column);
        }
        let staff = ["assignee_id", "decided_by", "created_by", "recorded_by", "result_by", "changed_by", "updated_by", "flagged_by", "uploaded_by", "case_worker_id", "approved_by"];
        // An API token's maker may be an employer as well as staff: it is theirs either way.
        for r in REFERENCES.iter().filter(|r| staff.contains(&r.column) && r.table != "api_tokens") {
            assert_eq!((r.export, r.erase), (NotTheirs, Keep), "{}.{}", r.table, r.column);
        }
    }
}
