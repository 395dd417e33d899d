//! Drafts of application forms, for every service whose descriptor says `keeps_drafts`.
//!
//! A form gets a second submit button ([`DraftButton`]) that posts the very same fields to
//! [`save_draft`] instead of the service's own server function. The fields are stored as typed,
//! not checked (a draft may be half done), as one JSON object per graduate and kind
//! (`application_drafts`, migration 0019). Without JavaScript the button's `formaction` sends the
//! form there and the browser is redirected back to the form; with JavaScript the button's click
//! sends the form's fields through the same server function, and the same redirect brings the
//! page back. [`with_draft`] reads the draft into the form when it opens again, says when it was
//! saved and offers to discard it; submitting an application deletes its draft
//! (`ssr::create_submitted`). Files are not part of a draft: each form sends them with its own
//! upload form, which keeps them on file anyway.
//!
//! The service's payload type decides nothing here: a draft is the form's fields by name.

use super::model::Kind;
use crate::components::{use_form, FormAlert};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use {
    crate::shared::identity::Role,
    crate::ssr::{now, pool, require_role},
};

/// What a graduate saved of a form, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub fields: BTreeMap<String, String>,
    pub saved_at: i64,
}

/// The name of the draft button: it carries the kind, and is never one of a form's fields.
pub const KIND_FIELD: &str = "draft_kind";
/// A form has a handful of fields; a draft that is much larger is not a form's.
pub const MAX_FIELDS: usize = 40;
pub const MAX_BYTES: usize = 32 * 1024;

/// The kind named by a draft request, if its service keeps drafts.
pub fn drafting_kind(raw: &str) -> Result<Kind, AppError> {
    Kind::parse(raw)
        .filter(|k| {
            let s = crate::services::service(*k);
            s.open && s.keeps_drafts
        })
        .ok_or(AppError::field("", "draft.no_form"))
}

/// The fields a draft keeps: never the ones a failed form would not keep in the session either
/// (passwords, ID and phone numbers), and only what fits a form.
pub fn keepable(fields: BTreeMap<String, String>) -> Result<BTreeMap<String, String>, AppError> {
    let kept: BTreeMap<String, String> = fields.into_iter().filter(|(k, _)| k != KIND_FIELD && crate::flash::FormFlash::keeps_field(k)).collect();
    let bytes: usize = kept.iter().map(|(k, v)| k.len() + v.len()).sum();
    if kept.len() > MAX_FIELDS || bytes > MAX_BYTES {
        return Err(AppError::field("", "draft.too_large"));
    }
    Ok(kept)
}

/// Where the form of `kind` is, to come back to after a draft is saved or discarded.
#[cfg(feature = "ssr")]
fn form_path(kind: Kind) -> &'static str {
    crate::services::service(kind).form.unwrap_or("/eligibility")
}

/// Saves what the form holds as the graduate's draft of `draft_kind` (replacing an earlier
/// one), unchecked, and goes back to the form.
#[server(endpoint = "applications/draft")]
pub async fn save_draft(draft_kind: String, #[server(flatten)] fields: BTreeMap<String, String>) -> Result<i64, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let kind = drafting_kind(&draft_kind)?;
    let fields = keepable(fields)?;
    let at = now();
    ssr::save(&pool()?, me.id, kind, &fields, at).await?;
    // The time in the address makes each save a new address, so the page reads the draft again.
    leptos_axum::redirect(&format!("{}?notice=draft_saved&saved={at}", form_path(kind)));
    Ok(at)
}

/// The reader's own draft of `kind`, if there is one.
#[server(endpoint = "applications/draft/get")]
pub async fn get_draft(kind: String) -> Result<Option<Draft>, AppError> {
    // Public pages (the incubation bases) carry a form for graduates: anyone else has no draft.
    let me = match require_role(&[Role::Graduate]).await {
        Ok(me) => me,
        Err(AppError::Unauthorized | AppError::Forbidden) => return Ok(None),
        Err(e) => return Err(e),
    };
    let kind = drafting_kind(&kind)?;
    ssr::load(&pool()?, me.id, kind).await
}

#[server(endpoint = "applications/draft/discard")]
pub async fn discard_draft(draft_kind: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let kind = drafting_kind(&draft_kind)?;
    let mut conn = pool()?.acquire().await?;
    ssr::delete(&mut conn, me.id, kind).await?;
    leptos_axum::redirect(&format!("{}?notice=draft_discarded&saved={}", form_path(kind), now()));
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Draft;
    use crate::applications::model::Kind;
    use crate::error::{AppError, AppResult};
    use sqlx::{AnyConnection, AnyPool};
    use std::collections::BTreeMap;

    pub async fn save(pool: &AnyPool, user_id: i64, kind: Kind, fields: &BTreeMap<String, String>, at: i64) -> AppResult<()> {
        let json = serde_json::to_string(fields).map_err(AppError::internal)?;
        sqlx::query(
            "INSERT INTO application_drafts (user_id, kind, fields, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, kind) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at",
        )
        .bind(user_id)
        .bind(kind)
        .bind(json)
        .bind(at)
        .execute(pool)
        .await?;
        Ok(())
    }

    pub async fn load(pool: &AnyPool, user_id: i64, kind: Kind) -> AppResult<Option<Draft>> {
        let row: Option<(String, i64)> = sqlx::query_as("SELECT fields, updated_at FROM application_drafts WHERE user_id = $1 AND kind = $2")
            .bind(user_id)
            .bind(kind)
            .fetch_optional(pool)
            .await?;
        row.map(|(fields, saved_at)| {
            let fields = serde_json::from_str(&fields).map_err(|e| AppError::internal(format_args!("draft of user {user_id} does not read: {e}")))?;
            Ok(Draft { fields, saved_at })
        })
        .transpose()
    }

    /// Deletes the draft of `kind`; called with the submission's transaction, so a failed
    /// submission keeps it.
    pub async fn delete(conn: &mut AnyConnection, user_id: i64, kind: Kind) -> AppResult<()> {
        sqlx::query("DELETE FROM application_drafts WHERE user_id = $1 AND kind = $2").bind(user_id).bind(kind).execute(conn).await?;
        Ok(())
    }
}

/// A form's draft as the page holds it: read when the page opens, and again whenever a save or
/// a discard comes back to the page (both redirect with a fresh `saved` in the address).
#[derive(Clone, Copy)]
pub struct DraftState {
    pub kind: Kind,
    draft: Resource<Result<Option<Draft>, AppError>>,
    discard: ServerAction<DiscardDraft>,
}

/// Made at the top of the page, beside the page's other resources, so the server's render
/// waits for it.
pub fn use_draft(kind: Kind) -> DraftState {
    let query = use_query_map();
    let draft = Resource::new(move || query.with(|q| (q.get("notice"), q.get("saved"))), move |_| get_draft(kind.as_str().to_string()));
    DraftState { kind, draft, discard: ServerAction::new() }
}

/// The form of a draft-keeping service: when a draft is saved, when it was, with a button to
/// discard it, then `form` with the draft's fields (empty without a draft).
pub fn with_draft<V>(state: DraftState, form: impl Fn(BTreeMap<String, String>) -> V + Send + Sync + 'static) -> impl IntoView
where
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    let discard = state.discard;
    let kind = state.kind.as_str();
    when_loaded(state.draft, move |draft: Option<Draft>| {
        let note = draft.as_ref().map(|d| {
            let at = format_time(d.saved_at);
            view! {
                <div class="alert alert-info draft-note" role="status" data-testid="draft-note">
                    <p>{i18n.t_args("draft.saved_at", &[("time", &at)])}</p>
                    <ActionForm action=discard attr:class="inline-form">
                        <input type="hidden" name=KIND_FIELD value=kind />
                        <button type="submit" class="button">{i18n.t("draft.discard")}</button>
                    </ActionForm>
                </div>
            }
        });
        view! {
            {note}
            {form(draft.map(|d| d.fields).unwrap_or_default())}
        }
    })
}

/// The "save draft" button, inside a service's form beside its submit button. It posts the
/// form's fields to [`save_draft`] unchecked (`formaction`, `formnovalidate`), so a draft saves
/// whatever is typed, and the page comes back with the outcome in the flash.
#[component]
pub fn DraftButton(kind: Kind) -> impl IntoView {
    let i18n = use_i18n();
    let form = use_form(ServerAction::<SaveDraft>::new());
    view! {
        <button type="submit" class="button" name=KIND_FIELD value=kind.as_str() formaction=SaveDraft::url() formmethod="post" formnovalidate=true
            data-testid="save-draft">
            {i18n.t("draft.save")}
        </button>
        <FormAlert form detailed=true />
        <p class="hint">{i18n.t("draft.files_hint")}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_draft_keeps_what_was_typed_but_never_secrets_nor_the_button() {
        let kept = keepable(fields(&[("amount", "abc"), ("password", "x"), ("contact_phone", "138"), (KIND_FIELD, "startup_loan")])).unwrap();
        assert_eq!(kept, fields(&[("amount", "abc")]));
    }

    #[test]
    fn a_draft_larger_than_a_form_is_refused() {
        let many: BTreeMap<String, String> = (0..=MAX_FIELDS).map(|i| (format!("f{i}"), String::new())).collect();
        assert!(matches!(keepable(many), Err(AppError::Invalid(_))));
        let long = fields(&[("plan_summary", &"字".repeat(MAX_BYTES / 3 + 1))]);
        assert!(matches!(keepable(long), Err(AppError::Invalid(_))));
        let fits = fields(&[("plan_summary", &"字".repeat(2000))]);
        assert!(keepable(fits).is_ok());
    }

    #[test]
    fn only_kinds_whose_service_keeps_drafts_take_one() {
        assert!(drafting_kind("startup_loan").is_ok());
        assert!(matches!(drafting_kind("employment_certificate"), Err(AppError::Invalid(_))));
        assert!(matches!(drafting_kind("no_such_kind"), Err(AppError::Invalid(_))));
    }
}
