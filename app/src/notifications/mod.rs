//! In-app notifications: one per status change of the reader's applications, with an unread
//! count in the header. The words are rendered in the reader's language from stored values,
//! so a notification written in Chinese reads in English after a language switch.

use crate::applications::model::{Kind, Status};
use crate::components::{Notice, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {crate::ssr::{now, pool, require_user}, sqlx::Row};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub reference: String,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    pub reason: String,
    pub read: bool,
    pub created_at: i64,
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
            let text = |k: &str| params.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            Ok(Notification {
                id: r.try_get("id")?,
                reference: text("reference"),
                kind: Kind::parse(&text("kind")),
                status: Status::parse(&text("status")),
                reason: text("reason"),
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
                            let kind = n.kind.map(|k| i18n.t(k.label_key())).unwrap_or_default();
                            let status = n.status.map(|s| i18n.t(s.label_key())).unwrap_or_default();
                            view! {
                                <li class="card" class:unread=!n.read>
                                    {(!n.read).then(|| view! { <span class="badge">{i18n.t("notifications.new")}</span> })}
                                    <p>
                                        <A href=format!("/my/applications/{}", n.reference)>{n.reference.clone()}</A>
                                        " · "{kind}" · "<strong>{status}</strong>
                                    </p>
                                    {(!n.reason.is_empty()).then(|| view! { <p>{i18n.t("application.reason")}": "{n.reason.clone()}</p> })}
                                    <p class="hint">{crate::shared::time::format_time(n.created_at)}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
    }
}
