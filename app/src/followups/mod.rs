//! Follow-up calls and visits (电话回访 / 上门走访): case workers log each contact with a
//! graduate, its outcome and any change in what the graduate is looking for. Graduates see
//! their own; the desk lists graduates nobody has contacted for a while.

use crate::components::{use_form, FormAlert, PageTitle, Submit};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::error::FieldErrors,
    crate::shared::identity::Role,
    crate::shared::validate::choice,
    crate::ssr::{now, pool, require_staff, require_user},
};

crate::labelled_enum! {
    /// How the centre reached the graduate.
    pub enum Channel: "channel" {
        Phone = "phone",
        Visit = "visit",
        Sms = "sms",
        Wechat = "wechat",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct FollowUp {
    pub id: i64,
    pub case_worker: String,
    pub channel: Channel,
    pub contacted_at: i64,
    pub outcome: String,
    pub intentions_update: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Uncontacted {
    pub user_id: i64,
    pub full_name: String,
    pub household_place: crate::shared::values::Place,
    pub last_contacted: Option<i64>,
}

/// `2026-11-30T14:05` (what `<input type="datetime-local">` sends), in China Standard Time.
pub fn parse_local_datetime(raw: &str) -> Option<i64> {
    let (date, time) = raw.trim().split_once('T')?;
    let date = crate::shared::time::Date::parse(date).ok()?;
    let (h, m) = time.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    Some(date.days_from_epoch() * 86_400 + h * 3600 + m * 60 - 8 * 3600)
}

/// A graduate's follow-ups, newest first (server only; callers check access).
#[cfg(feature = "ssr")]
pub async fn list(graduate_id: i64) -> Result<Vec<FollowUp>, AppError> {
    Ok(sqlx::query_as(
        "SELECT f.id, u.display_name AS case_worker, f.channel, f.contacted_at, f.outcome, f.intentions_update \
         FROM follow_ups f JOIN users u ON u.id = f.case_worker_id WHERE f.graduate_id = $1 ORDER BY f.contacted_at DESC, f.id DESC LIMIT 100",
    )
    .bind(graduate_id)
    .fetch_all(&pool()?)
    .await?)
}

/// A graduate's follow-ups: for staff, or for the graduate themself.
#[server(endpoint = "followups/of")]
pub async fn follow_ups_of(graduate_id: i64) -> Result<Vec<FollowUp>, AppError> {
    let me = require_user().await?;
    if !me.role.is_staff() && me.id != graduate_id {
        return Err(AppError::Forbidden);
    }
    list(graduate_id).await
}

#[server(endpoint = "followups/log")]
pub async fn log_follow_up(
    graduate_id: i64,
    channel: String,
    contacted_at: String,
    outcome: String,
    intentions_update: String,
    back: Option<String>,
) -> Result<(), AppError> {
    let me = require_staff().await?;
    let mut e = FieldErrors::new();
    let channel = choice::<Channel>(&mut e, "channel", &channel);
    let at = parse_local_datetime(&contacted_at);
    match at {
        None if contacted_at.trim().is_empty() => e.add("contacted_at", "validation.required"),
        None => e.add("contacted_at", "validation.date_invalid"),
        Some(t) if t > now() + 3600 => e.add("contacted_at", "followup.in_future"),
        Some(_) => {}
    }
    let outcome = outcome.trim().to_string();
    if outcome.is_empty() {
        e.add("outcome", "validation.required");
    } else if outcome.chars().count() > 1000 {
        e.add("outcome", "validation.text_too_long");
    }
    if intentions_update.chars().count() > 1000 {
        e.add("intentions_update", "validation.text_too_long");
    }
    e.into_result()?;
    let pool = pool()?;
    let role: Option<Role> = sqlx::query_scalar("SELECT role FROM users WHERE id = $1").bind(graduate_id).fetch_optional(&pool).await?;
    if role != Some(Role::Graduate) {
        return Err(AppError::NotFound);
    }
    sqlx::query(
        "INSERT INTO follow_ups (graduate_id, case_worker_id, channel, contacted_at, outcome, intentions_update, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(graduate_id)
    .bind(me.id)
    .bind(channel.unwrap())
    .bind(at.unwrap())
    .bind(&outcome)
    .bind(intentions_update.trim())
    .bind(now())
    .execute(&pool)
    .await?;
    let back = back.as_deref().and_then(crate::shared::identity::safe_local_path).unwrap_or_else(|| "/staff".into());
    let sep = if back.contains('?') { '&' } else { '?' };
    leptos_axum::redirect(&format!("{back}{sep}notice=follow_up_logged"));
    Ok(())
}

/// Graduates with a profile whom nobody has contacted in `days` days, longest first.
#[server(endpoint = "followups/uncontacted")]
pub async fn not_contacted(days: i64) -> Result<Vec<Uncontacted>, AppError> {
    require_staff().await?;
    let days = days.clamp(0, 3650);
    Ok(sqlx::query_as(
        "SELECT p.user_id, p.full_name, p.household_place, MAX(f.contacted_at) AS last_contacted \
         FROM profiles p LEFT JOIN follow_ups f ON f.graduate_id = p.user_id \
         GROUP BY p.user_id, p.full_name, p.household_place \
         HAVING MAX(f.contacted_at) IS NULL OR MAX(f.contacted_at) < $1 \
         ORDER BY COALESCE(MAX(f.contacted_at), 0), p.user_id LIMIT 200",
    )
    .bind(now() - days * 86_400)
    .fetch_all(&pool()?)
    .await?)
}

/// The list of follow-ups, as both graduates and staff see it.
#[component]
pub fn FollowUpList(items: Vec<FollowUp>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {items.is_empty().then(|| view! { <p class="empty">{i18n.t("followup.none")}</p> })}
        <ul class="timeline">
            {items.into_iter().map(|f| view! {
                <li>
                    <p><strong>{i18n.t(f.channel.label_key())}</strong>" · "
                        {crate::shared::time::format_time(f.contacted_at)}" · "{f.case_worker}</p>
                    <p>{f.outcome}</p>
                    {(!f.intentions_update.is_empty()).then(|| view! {
                        <p class="hint">{i18n.t("followup.intentions_update")}": "{f.intentions_update.clone()}</p>
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The form a case worker fills in after a call or a visit.
#[component]
pub fn FollowUpForm(graduate_id: i64, back: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogFollowUp>::new();
    let form = use_form(action);
    let error = move |field: &'static str| form.field_error(field);
    view! {
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert form detailed=true />
            <input type="hidden" name="graduate_id" value=graduate_id.to_string() />
            <input type="hidden" name="back" value=back />
            <div class="field">
                <label for="fu-channel">{i18n.t("followup.channel")}</label>
                <select id="fu-channel" name="channel">
                    {Channel::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{i18n.t(c.label_key())}</option> }).collect_view()}
                </select>
            </div>
            <div class="field" class:has-error=move || error("contacted_at").get().is_some()>
                <label for="fu-at">{i18n.t("followup.contacted_at")}</label>
                <input id="fu-at" name="contacted_at" type="datetime-local" required />
            </div>
            <div class="field" class:has-error=move || error("outcome").get().is_some()>
                <label for="fu-outcome">{i18n.t("followup.outcome")}</label>
                <textarea id="fu-outcome" name="outcome" rows="3" required></textarea>
            </div>
            <div class="field">
                <label for="fu-intentions">{i18n.t("followup.intentions_update")}<span class="optional">{i18n.t("form.optional")}</span></label>
                <textarea id="fu-intentions" name="intentions_update" rows="2"></textarea>
            </div>
            <Submit action label="followup.submit" />
        </ActionForm>
    }
}

#[component]
pub fn NotContactedPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let days = move || query.get().get("days").and_then(|d| d.parse::<i64>().ok()).unwrap_or(30);
    let list = Resource::new(days, not_contacted);
    view! {
        <PageTitle key="followup.uncontacted_title" />
        <form method="get" action="/staff/follow-ups" class="filters">
            <label for="nc-days">{i18n.t("followup.days")}</label>
            <input id="nc-days" name="days" type="number" min="0" max="3650" value=move || days().to_string() />
            <button type="submit" class="button">{i18n.t("queue.filter")}</button>
        </form>
        {when_loaded(list, move |rows| view! {
                    {rows.is_empty().then(|| view! { <p class="empty">{i18n.t("followup.all_contacted")}</p> })}
                    <ul class="cards">
                        {rows.into_iter().map(|g| view! {
                            <li class="card">
                                <A href=format!("/staff/graduates/{}", g.user_id)>{g.full_name}</A>
                                " · "{i18n.t(g.household_place.label_key())}" · "
                                {match g.last_contacted {
                                    Some(t) => i18n.t_args("followup.last", &[("time", &crate::shared::time::format_time(t))]),
                                    None => i18n.t("followup.never"),
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
    }
}

#[cfg(test)]
mod tests {
    use super::parse_local_datetime;

    #[test]
    fn local_times_are_read_as_china_standard_time() {
        // 2026-11-30 08:00 in Leshan is 00:00 UTC.
        assert_eq!(parse_local_datetime("2026-11-30T08:00"), Some(1_795_996_800));
        assert_eq!(parse_local_datetime("2026-11-30T08:00:00"), Some(1_795_996_800));
        assert_eq!(parse_local_datetime("2026-11-30T24:00"), None);
        assert_eq!(parse_local_datetime("2026-11-30"), None);
        assert_eq!(parse_local_datetime(""), None);
    }
}
