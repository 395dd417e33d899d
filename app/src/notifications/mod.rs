//! In-app notifications: one per status change of the reader's applications (to services and
//! to vacancies), with an unread count in the header. The words are rendered in the reader's language from stored values,
//! so a notification written in Chinese reads in English after a language switch.

use crate::components::{Notice, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::ssr::{now, pool, require_user}, sqlx::Row};

crate::stored_enum! {
    pub enum NotificationKind {
        /// An application to a service moved.
        StatusChanged = "status_changed",
        /// An application to a vacancy moved.
        JobApplicationMoved = "job_application_moved",
        /// A case worker sent the reader a vacancy.
        VacancyRecommended = "vacancy_recommended",
        /// The reader's personnel archive moved to another keeper.
        ArchiveMoved = "archive_moved",
    }
}

/// What a notification says, stored as JSON: the writer (the service whose record moved)
/// decides the words as label keys, and they are rendered in the reader's language, so a
/// notification written in Chinese reads in English after a language switch. This module
/// knows no service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Where the notification leads.
    pub link: String,
    /// The record's reference, or a vacancy's title.
    pub subject: String,
    /// Label keys: what moved, and where it is now.
    pub what_key: String,
    pub status_key: String,
    /// The reason or note given with the move.
    pub reason: String,
}

impl Note {
    /// Reads stored params. Rows written before 0010 hold `reference`, `kind` and `status`
    /// values of an application instead; their label keys are `kind.<kind>` and
    /// `status.<status>` by the labelled-enum convention.
    #[cfg(feature = "ssr")]
    fn from_params(params: &serde_json::Value) -> Note {
        let text = |k: &str| params.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
        if params.get("link").is_some() {
            return serde_json::from_value(params.clone()).unwrap_or_default();
        }
        let reference = text("reference");
        Note {
            link: format!("/my/applications/{reference}"),
            subject: reference,
            what_key: format!("kind.{}", text("kind")),
            status_key: format!("status.{}", text("status")),
            reason: text("reason"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub note: Note,
    pub read: bool,
    pub created_at: i64,
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{Note, NotificationKind};
    use crate::error::{AppError, AppResult};
    use sqlx::AnyConnection;

    /// Adds a notification for `user_id` in the caller's transaction.
    pub async fn notify(conn: &mut AnyConnection, user_id: i64, application_id: Option<i64>, kind: NotificationKind, note: &Note) -> AppResult<()> {
        sqlx::query("INSERT INTO notifications (user_id, application_id, kind, params, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(user_id)
            .bind(application_id)
            .bind(kind)
            .bind(serde_json::to_string(note).map_err(AppError::internal)?)
            .bind(crate::ssr::now())
            .execute(conn)
            .await?;
        Ok(())
    }
}

#[server(endpoint = "notifications/unread")]
pub async fn unread_count() -> Result<i64, AppError> {
    let Some(me) = crate::ssr::current_user().await? else { return Ok(0) };
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(me.id)
        .fetch_one(&pool()?)
        .await?)
}

#[server(endpoint = "notifications/list")]
pub async fn my_notifications() -> Result<Vec<Notification>, AppError> {
    let me = require_user().await?;
    let rows = sqlx::query("SELECT id, params, read_at, created_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 100")
        .bind(me.id)
        .fetch_all(&pool()?)
        .await?;
    rows.iter()
        .map(|r| {
            let params: serde_json::Value = serde_json::from_str(&r.try_get::<String, _>("params")?).unwrap_or_default();
            Ok(Notification {
                id: r.try_get("id")?,
                note: Note::from_params(&params),
                read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(AppError::from)
}

#[server(endpoint = "notifications/read_all")]
pub async fn mark_all_read() -> Result<(), AppError> {
    let me = require_user().await?;
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now())
        .bind(me.id)
        .execute(&pool()?)
        .await?;
    leptos_axum::redirect("/notifications");
    Ok(())
}

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let read_all = ServerAction::<MarkAllRead>::new();
    let list = Resource::new(move || read_all.version().get(), |_| my_notifications());
    view! {
        <PageTitle key="notifications.title" />
        <Notice />
        {when_loaded(list, move |items| view! {
                    {items.iter().any(|n| !n.read).then(|| view! {
                        <ActionForm action=read_all attr:class="inline-form">
                            <button type="submit" class="button">{i18n.t("notifications.mark_all_read")}</button>
                        </ActionForm>
                    })}
                    {items.is_empty().then(|| view! { <p class="empty">{i18n.t("notifications.empty")}</p> })}
                    <ul class="cards">
                        {items.into_iter().map(|n| {
                            let what = i18n.t(&n.note.what_key);
                            let status = i18n.t(&n.note.status_key);
                            view! {
                                <li class="card" class:unread=!n.read>
                                    {(!n.read).then(|| view! { <span class="badge">{i18n.t("notifications.new")}</span> })}
                                    <p>
                                        <A href=n.note.link.clone()>{n.note.subject.clone()}</A>
                                        " · "{what}" · "<strong>{status}</strong>
                                    </p>
                                    {(!n.note.reason.is_empty()).then(|| view! { <p>{i18n.t("notifications.reason")}": "{n.note.reason.clone()}</p> })}
                                    <p class="hint">{crate::shared::time::format_time(n.created_at)}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
    }
}
