//! The outbox: rows written with the change that causes them, claimed and delivered by the
//! worker. Claiming is one UPDATE guarded by `claimed_until`, so two server instances sharing
//! a database never send the same row, and a crashed worker's claim lapses after a minute.
//! A message with a single-use link ([`Mail::carries_secret_link`]) loses its bodies once
//! delivered, so the table never becomes a store of working sign-in and reset links.

use super::templates::Rendered;
pub use super::templates::Mail;
use super::{FailedMail, OutboxSummary};
use crate::error::AppResult;
use crate::i18n::Lang;
use crate::ssr::now;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::RngCore;
use sqlx::{AnyPool, Row};
use std::path::PathBuf;

crate::stored_enum! {
    /// Where an outbox row stands.
    pub enum OutboxStatus {
        Pending = "pending",
        Sent = "sent",
        Failed = "failed",
    }
}

/// Give up on a message after this many attempts.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed row stays reserved for the worker that claimed it.
const CLAIM_SECS: i64 = 60;

/// Writes one message to the outbox inside the caller's transaction.
pub async fn enqueue(conn: &mut sqlx::AnyConnection, to: &str, lang: Lang, mail: &Mail) -> AppResult<i64> {
    let Rendered { subject, text, html } = mail.render(lang);
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (to_addr, subject, body_text, body_html, status, attempts, next_attempt_at, created_at, erase_after_send) \
         VALUES ($1, $2, $3, $4, $5, 0, $6, $6, $7) RETURNING id",
    )
    .bind(to)
    .bind(subject)
    .bind(text)
    .bind(html)
    .bind(OutboxStatus::Pending)
    .bind(t)
    .bind(i64::from(mail.carries_secret_link()))
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Where messages go.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// One `.eml` file per message, for development and for readers without a mail server.
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

/// Why one delivery failed, and whether trying again could help.
struct SendError {
    message: String,
    permanent: bool,
}

impl Transport {
    async fn send(&self, id: i64, message: Message) -> Result<(), SendError> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| SendError {
                permanent: e.is_permanent(),
                message: e.to_string(),
            }),
            Transport::Files(dir) => {
                let io = |e: std::io::Error| SendError { message: e.to_string(), permanent: false };
                tokio::fs::create_dir_all(dir).await.map_err(io)?;
                // Named by outbox id: writing the same row twice replaces the file, never duplicates it.
                let path = dir.join(format!("outbox-{id:08}.eml"));
                let tmp = dir.join(format!(".outbox-{id:08}.eml.tmp"));
                tokio::fs::write(&tmp, message.formatted()).await.map_err(io)?;
                tokio::fs::rename(&tmp, &path).await.map_err(io)
            }
        }
    }
}

/// The Message-ID of an outbox row: the same on every attempt, so a message that reached the
/// recipient's server although the worker never heard back (a lost reply, a crash before the
/// row was marked sent) and went out again is the same message twice, which many mail servers
/// and readers show once, not two messages. lettre sets none of its own. The creation time keeps two databases' rows of the same number
/// (a test and a live portal sending from one domain) apart.
pub fn message_id(id: i64, created_at: i64, from: &Mailbox) -> String {
    format!("<outbox-{id}.{created_at}@{}>", from.email.domain())
}

fn build_message(from: &Mailbox, message_id: String, to: &str, subject: &str, text: String, html: String) -> Result<Message, SendError> {
    let to: Mailbox = to.parse().map_err(|e: lettre::address::AddressError| SendError {
        message: format!("bad recipient: {e}"),
        permanent: true,
    })?;
    Message::builder()
        .message_id(Some(message_id))
        .from(from.clone())
        .to(to)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(text, html))
        .map_err(|e| SendError { message: e.to_string(), permanent: true })
}

/// Seconds to wait before attempt `n + 1`: 30 s, 1 min, 2 min, … capped at 2 hours.
pub fn backoff_secs(attempts: i64) -> i64 {
    (30_i64 << attempts.clamp(0, 12)).min(2 * 3600)
}

/// Claims and delivers the rows that are due; returns how many were delivered.
pub async fn deliver_due(pool: &AnyPool, transport: &Transport, from: &Mailbox, batch: i64) -> AppResult<usize> {
    deliver_due_until(pool, transport, from, batch, || false).await
}

/// [`deliver_due`] that stops between two messages once `stopping` says so, and hands the
/// claimed rows it did not reach back at once: a server shutting down neither cuts a message
/// off halfway nor keeps others waiting out the claim's lease.
#[tracing::instrument(skip_all)]
pub async fn deliver_due_until(pool: &AnyPool, transport: &Transport, from: &Mailbox, batch: i64, stopping: impl Fn() -> bool) -> AppResult<usize> {
    let t = now();
    let claim = {
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        hex::encode(bytes)
    };
    sqlx::query(
        "UPDATE outbox SET claim_token = $1, claimed_until = $2 \
         WHERE id IN (SELECT id FROM outbox WHERE status = $5 AND next_attempt_at <= $3 \
                      AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT $4) \
           AND status = $5 AND (claimed_until IS NULL OR claimed_until < $3)",
    )
    .bind(&claim)
    .bind(t + CLAIM_SECS)
    .bind(t)
    .bind(batch)
    .bind(OutboxStatus::Pending)
    .execute(pool)
    .await?;

    let rows = sqlx::query("SELECT id, to_addr, subject, body_text, body_html, attempts, created_at FROM outbox WHERE claim_token = $1 ORDER BY id")
        .bind(&claim)
        .fetch_all(pool)
        .await?;

    let (mut delivered, mut stopped) = (0, false);
    for row in rows {
        if stopping() {
            stopped = true;
            break;
        }
        let id: i64 = row.try_get("id")?;
        let attempts: i64 = row.try_get::<i64, _>("attempts")? + 1;
        let to: String = row.try_get("to_addr")?;
        let subject: String = row.try_get("subject")?;
        let stable_id = message_id(id, row.try_get("created_at")?, from);
        let result = match build_message(from, stable_id, &to, &subject, row.try_get("body_text")?, row.try_get("body_html")?) {
            Ok(message) => transport.send(id, message).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                delivered += 1;
                // A delivered single-use link has no business staying in the table: its body
                // goes, the row (recipient, subject, times) stays as the record.
                sqlx::query(
                    "UPDATE outbox SET status = $4, attempts = $1, sent_at = $2, claim_token = NULL, claimed_until = NULL, last_error = NULL, \
                     body_text = CASE WHEN erase_after_send <> 0 THEN '' ELSE body_text END, \
                     body_html = CASE WHEN erase_after_send <> 0 THEN '' ELSE body_html END \
                     WHERE id = $3",
                )
                    .bind(attempts)
                    .bind(now())
                    .bind(id)
                    .bind(OutboxStatus::Sent)
                    .execute(pool)
                    .await?;
            }
            Err(e) => {
                let give_up = e.permanent || attempts >= MAX_ATTEMPTS;
                tracing::warn!(outbox_id = id, attempts, give_up, error = %e.message, "email delivery failed");
                sqlx::query("UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4, claim_token = NULL, claimed_until = NULL WHERE id = $5")
                    .bind(if give_up { OutboxStatus::Failed } else { OutboxStatus::Pending })
                    .bind(attempts)
                    .bind(now() + backoff_secs(attempts - 1))
                    .bind(e.message.chars().take(500).collect::<String>())
                    .bind(id)
                    .execute(pool)
                    .await?;
            }
        }
    }
    if stopped {
        // Delivered and failed rows have let go already; only the ones not reached still hold it.
        sqlx::query("UPDATE outbox SET claim_token = NULL, claimed_until = NULL WHERE claim_token = $1")
            .bind(&claim)
            .execute(pool)
            .await?;
    }
    Ok(delivered)
}

pub async fn summary(pool: &AnyPool) -> AppResult<OutboxSummary> {
    let count = |status: OutboxStatus| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM outbox WHERE status = $1").bind(status).fetch_one(&pool).await
        }
    };
    let failures = sqlx::query(
        "SELECT id, to_addr, subject, attempts, last_error, created_at FROM outbox WHERE status = $1 ORDER BY id DESC LIMIT 100",
    )
    .bind(OutboxStatus::Failed)
    .fetch_all(pool)
    .await?
    .iter()
    .map(|r| {
        Ok(FailedMail {
            id: r.try_get("id")?,
            to_addr: r.try_get("to_addr")?,
            subject: r.try_get("subject")?,
            attempts: r.try_get("attempts")?,
            last_error: r.try_get::<Option<String>, _>("last_error")?.unwrap_or_default(),
            created_at: r.try_get("created_at")?,
        })
    })
    .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(OutboxSummary {
        pending: count(OutboxStatus::Pending).await?,
        sent: count(OutboxStatus::Sent).await?,
        failed: count(OutboxStatus::Failed).await?,
        failures,
    })
}

/// Puts a failed message back in the queue (an admin's "try again").
pub async fn retry(pool: &AnyPool, id: i64) -> AppResult<bool> {
    let done = sqlx::query("UPDATE outbox SET status = $3, attempts = 0, next_attempt_at = $1 WHERE id = $2 AND status = $4")
        .bind(now())
        .bind(id)
        .bind(OutboxStatus::Pending)
        .bind(OutboxStatus::Failed)
        .execute(pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::{backoff_secs, message_id};

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff_secs(0), 30);
        assert_eq!(backoff_secs(1), 60);
        assert_eq!(backoff_secs(3), 240);
        assert_eq!(backoff_secs(20), 7200);
    }

    #[test]
    fn a_rows_message_id_is_the_same_on_every_attempt_and_names_the_senders_domain() {
        let from: lettre::message::Mailbox = "乐山就业服务 <no-reply@jobs.leshan.example>".parse().unwrap();
        assert_eq!(message_id(42, 1_700_000_000, &from), "<outbox-42.1700000000@jobs.leshan.example>");
        assert_eq!(message_id(42, 1_700_000_000, &from), message_id(42, 1_700_000_000, &from));
        assert_ne!(message_id(42, 1_700_000_000, &from), message_id(43, 1_700_000_000, &from));
    }
}
