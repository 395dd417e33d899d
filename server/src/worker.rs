//! Background work beside the web server: queueing the job fairs' day-before reminders and
//! the saved searches' daily emails, delivering the mail outbox, clearing expired sessions and
//! merging the keyword index once a day. Each pass is idempotent, so a
//! crash or a second instance does no harm.

use crate::config::{Config, SmtpConfig, SmtpTls};
use crate::sessions::DbStore;
use anyhow::Context;
use app::db::Dialect;
use app::mail::ssr::{deliver_due_until, Transport};
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use secrecy::ExposeSecret;
use sqlx::AnyPool;
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub fn transport(config: &Config) -> anyhow::Result<Transport> {
    Ok(match &config.smtp {
        None => Transport::Files(config.data_dir.join("mail")),
        Some(smtp) => Transport::Smtp(smtp_transport(smtp)?),
    })
}

fn smtp_transport(smtp: &SmtpConfig) -> anyhow::Result<AsyncSmtpTransport<Tokio1Executor>> {
    let mut builder = match smtp.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host),
        SmtpTls::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host).context("SMTP_HOST")?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host).context("SMTP_HOST")?,
    }
    .port(smtp.port)
    .timeout(Some(Duration::from_secs(20)));
    if let (Some(user), Some(password)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose_secret().to_string()));
    }
    Ok(builder.build())
}

pub fn sender(config: &Config) -> anyhow::Result<Mailbox> {
    config.mail_from.parse().context("PORTAL_MAIL_FROM must be an address like 'Name <user@host>'")
}

/// What the fair reminders need: the database's dialect (for the write transaction that claims
/// them) and the portal's address (for the link in each message).
#[derive(Clone, Debug)]
pub struct Reminders {
    pub dialect: Dialect,
    pub base_url: String,
}

/// How often the worker looks for fairs held tomorrow. Reminders are claimed row by row, so how
/// often it looks changes only how soon a booking made the day before is reminded.
const REMINDER_EVERY: Duration = Duration::from_secs(60);

/// How often the keyword index is merged (`vacancies::ssr::tidy_search_index`); the first
/// merge waits this long after a start too, so a restart does not rewrite it again.
const TIDY_INDEX_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Runs until `stop` turns true.
pub async fn run(pool: AnyPool, transport: Transport, from: Mailbox, poll: Duration, reminders: Reminders, mut stop: watch::Receiver<bool>) {
    let store = DbStore::new(pool.clone());
    let mut last_sweep = Instant::now();
    let mut last_tidy = Instant::now();
    let mut last_reminders: Option<Instant> = None;
    loop {
        if last_reminders.is_none_or(|at| at.elapsed() >= REMINDER_EVERY) {
            last_reminders = Some(Instant::now());
            match app::fairs::ssr::queue_reminders(&pool, reminders.dialect, &reminders.base_url, app::ssr::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "job fair reminders queued"),
                Err(e) => tracing::error!(error = %e, "job fair reminder pass failed"),
            }
            // Saved searches are claimed once a day each, so looking every minute costs one
            // indexed query when none is due.
            match app::matching::ssr::queue_digests(&pool, reminders.dialect, &reminders.base_url, app::ssr::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(queued = n, "saved search emails queued"),
                Err(e) => tracing::error!(error = %e, "saved search email pass failed"),
            }
        }
        match deliver_due_until(&pool, &transport, &from, 20, || *stop.borrow()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(delivered = n, "mail delivered"),
            Err(e) => tracing::error!(error = %e, "mail worker pass failed"),
        }
        if last_sweep.elapsed() > Duration::from_secs(3600) {
            last_sweep = Instant::now();
            if let Err(e) = store.delete_expired().await {
                tracing::error!(error = %e, "session sweep failed");
            }
        }
        if last_tidy.elapsed() > TIDY_INDEX_EVERY {
            last_tidy = Instant::now();
            match app::vacancies::ssr::tidy_search_index(&pool, reminders.dialect).await {
                Ok(()) => tracing::info!(took_ms = last_tidy.elapsed().as_millis() as u64, "keyword index merged"),
                Err(e) => tracing::error!(error = %e, "keyword index merge failed"),
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stop.changed() => break,
        }
    }
    tracing::info!("mail worker stopped");
}
