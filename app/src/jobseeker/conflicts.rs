//! One ID number, two accounts. A profile saved with a number another account already holds is
//! not refused on the form (that answer would tell anyone whether a person is registered, and a
//! throwaway account that typed someone's number first would lock the real owner out): it is
//! saved with the number pending, the graduate is told a case worker will contact them, and the
//! conflict waits here, with both accounts, until a case worker has seen the documents.

use crate::components::{use_form, FormAlert, Notice, PageTitle};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::mail::ssr::Mail,
    crate::ssr::{audit, client_address, now, require_staff, AuditAction},
    sqlx::Row,
};

crate::stored_enum! {
    pub enum ConflictStatus {
        Open = "open",
        /// The number is the claimant's: their profile holds it, the holder's goes pending.
        ClaimantOwns = "claimant_owns",
        /// The number is the holder's: the claimant's stays pending until they correct it.
        HolderOwns = "holder_owns",
        /// The claimant saved another number before anyone decided.
        Withdrawn = "withdrawn",
    }
}

/// One side of a conflict, as a case worker needs it to tell the two apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Party {
    pub user_id: i64,
    pub full_name: String,
    pub email: String,
    pub signed_up_at: i64,
    pub documents: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: i64,
    pub created_at: i64,
    /// The number as staff see it everywhere (area code and last character).
    pub masked_id: String,
    pub claimant: Party,
    pub holder: Party,
}

/// The open conflicts, oldest first.
#[server(endpoint = "staff/id_conflicts")]
pub async fn id_conflicts() -> Result<Vec<Conflict>, AppError> {
    require_staff().await?;
    let pool = crate::ssr::pool()?;
    // The holder shown is whoever holds the number now: a decision on another claim to the
    // same number may have moved it since this conflict was opened.
    let rows = sqlx::query(
        "SELECT c.id, c.created_at, c.claimant_id, p.resident_id_masked, \
           COALESCE((SELECT h.user_id FROM profiles h WHERE h.resident_id_hash = c.resident_id_hash AND h.id_conflict_at IS NULL), c.holder_id) \
             AS holder_id \
         FROM id_conflicts c JOIN profiles p ON p.user_id = c.claimant_id WHERE c.status = $1 ORDER BY c.created_at, c.id LIMIT 200",
    )
    .bind(ConflictStatus::Open)
    .fetch_all(&pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(Conflict {
            id: r.try_get("id")?,
            created_at: r.try_get("created_at")?,
            masked_id: r.try_get("resident_id_masked")?,
            claimant: ssr::party(&pool, r.try_get("claimant_id")?).await?,
            holder: ssr::party(&pool, r.try_get("holder_id")?).await?,
        });
    }
    Ok(out)
}

/// A case worker's decision, after seeing both people's documents; the note goes to the audit
/// log and to the person who does not keep the number.
#[server(endpoint = "staff/decide_id_conflict")]
pub async fn decide_id_conflict(conflict_id: i64, decision: String, note: String) -> Result<(), AppError> {
    let me = require_staff().await?;
    let note = note.trim().to_string();
    let outcome = match decision.as_str() {
        "claimant" => ConflictStatus::ClaimantOwns,
        "holder" => ConflictStatus::HolderOwns,
        _ => return Err(AppError::field("", "error.bad_request")),
    };
    if note.is_empty() {
        return Err(AppError::field("note", "conflict.note_required"));
    }
    if note.chars().count() > 500 {
        return Err(AppError::field("note", "validation.text_too_long"));
    }
    let mut tx = crate::ssr::begin().await?;
    // Only an open conflict is decided: a colleague's decision a moment earlier stands.
    let row = sqlx::query(
        "UPDATE id_conflicts SET status = $1, decided_by = $2, decided_at = $3, decision_note = $4 \
         WHERE id = $5 AND status = $6 RETURNING claimant_id, resident_id_hash",
    )
    .bind(outcome)
    .bind(me.id)
    .bind(now())
    .bind(&note)
    .bind(conflict_id)
    .bind(ConflictStatus::Open)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict("conflict.already_decided".into()))?;
    let (claimant, hash): (i64, String) = (row.try_get("claimant_id")?, row.try_get("resident_id_hash")?);
    // Whoever holds the number now (the conflict's holder, unless another decision moved it).
    let holder: Option<i64> = sqlx::query_scalar("SELECT user_id FROM profiles WHERE resident_id_hash = $1 AND id_conflict_at IS NULL AND user_id <> $2")
        .bind(&hash)
        .bind(claimant)
        .fetch_optional(&mut *tx)
        .await?;
    let link = format!("{}/profile", crate::ssr::state()?.settings.base_url);
    if outcome == ConflictStatus::ClaimantOwns {
        // The holder lets go first: the unique index allows one holder at any moment.
        if let Some(holder) = holder {
            sqlx::query("UPDATE profiles SET id_conflict_at = $1 WHERE user_id = $2")
                .bind(now())
                .bind(holder)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE profiles SET id_conflict_at = NULL WHERE user_id = $1 AND resident_id_hash = $2")
            .bind(claimant)
            .bind(&hash)
            .execute(&mut *tx)
            .await?;
        ssr::tell(&mut tx, claimant, |name| Mail::IdConfirmed { name, link: link.clone() }).await?;
        if let Some(holder) = holder {
            ssr::tell(&mut tx, holder, |name| Mail::IdReassigned { name, note: note.clone(), link: link.clone() }).await?;
        }
    } else {
        ssr::tell(&mut tx, claimant, |name| Mail::IdNotConfirmed { name, note: note.clone(), link: link.clone() }).await?;
    }
    let target = format!("id_conflict:{conflict_id}:{}", outcome.as_str());
    audit(&mut tx, Some(me.id), AuditAction::IdConflictDecided, &target, &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/staff/identity?notice=conflict_decided");
    Ok(())
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::{ConflictStatus, Party};
    use crate::error::AppResult;
    use crate::i18n::Lang;
    use crate::mail::ssr::{enqueue, Mail};
    use crate::ssr::now;
    use sqlx::{AnyConnection, AnyPool, Row};

    /// Keeps the claimant's open conflict in step with what they just saved: a number another
    /// account holds opens one (or moves the open one to the new number), a free number closes
    /// it as withdrawn.
    pub async fn record_claim(conn: &mut AnyConnection, claimant: i64, holder: Option<i64>, hash: &str) -> AppResult<()> {
        let open: Option<(i64, i64, String)> =
            sqlx::query_as("SELECT id, holder_id, resident_id_hash FROM id_conflicts WHERE claimant_id = $1 AND status = $2")
                .bind(claimant)
                .bind(ConflictStatus::Open)
                .fetch_optional(&mut *conn)
                .await?;
        if let Some((id, h, old_hash)) = &open {
            if Some(*h) == holder && old_hash == hash {
                return Ok(()); // saved again with the same number: still the same conflict
            }
            sqlx::query("UPDATE id_conflicts SET status = $1, decided_at = $2 WHERE id = $3")
                .bind(ConflictStatus::Withdrawn)
                .bind(now())
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
        if let Some(holder) = holder {
            sqlx::query("INSERT INTO id_conflicts (claimant_id, holder_id, resident_id_hash, status, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(claimant)
                .bind(holder)
                .bind(hash)
                .bind(ConflictStatus::Open)
                .bind(now())
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn party(pool: &AnyPool, user_id: i64) -> AppResult<Party> {
        Ok(sqlx::query_as(
            "SELECT u.id AS user_id, COALESCE(p.full_name, u.display_name) AS full_name, u.email, u.created_at AS signed_up_at, \
               (SELECT COUNT(*) FROM uploads d WHERE d.owner_id = u.id) AS documents \
             FROM users u LEFT JOIN profiles p ON p.user_id = u.id WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?)
    }

    /// Queues a message to an account in its own language; `mail` gets the name to greet.
    pub(super) async fn tell(conn: &mut AnyConnection, user_id: i64, mail: impl FnOnce(String) -> Mail) -> AppResult<()> {
        let row = sqlx::query("SELECT email, display_name, locale FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *conn).await?;
        let (email, name, locale): (String, String, String) = (row.try_get("email")?, row.try_get("display_name")?, row.try_get("locale")?);
        enqueue(conn, &email, Lang::parse(&locale).unwrap_or_default(), &mail(name)).await?;
        Ok(())
    }
}

#[component]
fn PartyFacts(party: Party, heading: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/staff/graduates/{}", party.user_id);
    view! {
        <section class="party">
            <h4>{i18n.t(heading)}</h4>
            <dl class="facts">
                <dt>{i18n.t("profile.full_name")}</dt><dd><A href=href>{party.full_name}</A></dd>
                <dt>{i18n.t("account.email")}</dt><dd>{party.email}</dd>
                <dt>{i18n.t("conflict.signed_up")}</dt><dd>{format_time(party.signed_up_at)}</dd>
                <dt>{i18n.t("conflict.documents")}</dt><dd>{party.documents}</dd>
            </dl>
        </section>
    }
}

/// `/staff/identity`: the open conflicts with both accounts and the two possible decisions.
#[component]
pub fn IdConflictsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideIdConflict>::new();
    let form = use_form(decide);
    let conflicts = Resource::new(move || decide.version().get(), |_| id_conflicts());
    view! {
        <PageTitle key="conflict.title" />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        <p class="lead">{i18n.t("conflict.lead")}</p>
        <Notice />
        {when_loaded(conflicts, move |list| view! {
            <FormAlert form detailed=true />
            {list.is_empty().then(|| view! { <p class="empty">{i18n.t("conflict.none")}</p> })}
            <ul class="cards">
                {list.into_iter().map(|c| {
                    let note_id = format!("note-{}", c.id);
                    view! {
                        <li class="card">
                            <h3><span class="mono">{c.masked_id.clone()}</span></h3>
                            <p class="meta">{i18n.t("conflict.since")} " " {format_time(c.created_at)}</p>
                            <div class="parties">
                                <PartyFacts party=c.holder.clone() heading="conflict.holder" />
                                <PartyFacts party=c.claimant.clone() heading="conflict.claimant" />
                            </div>
                            <ActionForm action=decide attr:class="form compact">
                                <input type="hidden" name="conflict_id" value=c.id.to_string() />
                                <fieldset>
                                    <legend>{i18n.t("conflict.whose")}</legend>
                                    <div class="check"><input type="radio" id=format!("holder-{}", c.id) name="decision" value="holder" required=true />
                                        <label for=format!("holder-{}", c.id)>{i18n.t("conflict.holder_owns")}</label></div>
                                    <div class="check"><input type="radio" id=format!("claimant-{}", c.id) name="decision" value="claimant" />
                                        <label for=format!("claimant-{}", c.id)>{i18n.t("conflict.claimant_owns")}</label></div>
                                </fieldset>
                                <label for=note_id.clone()>{i18n.t("conflict.note")}</label>
                                <textarea id=note_id name="note" rows="2" required></textarea>
                                <button type="submit" class="button primary">{i18n.t("conflict.decide")}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}
