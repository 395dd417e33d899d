//! Members and invitations. The owner invites a colleague's address; the link in the email
//! makes a new employer account for that address (the link proves it answers, so it starts
//! verified) and signs it in. The owner sees pending invitations, can withdraw them and can
//! remove members, who lose access with their next request.

use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::account::{ssr as accounts, DisplayName, Email, Password},
    crate::error::FieldErrors,
    crate::i18n::request_lang,
    crate::mail::ssr::{enqueue, Mail},
    crate::shared::identity::{Me, Role},
    crate::shared::throttle::{self, Limit},
    crate::ssr::{audit, client_address, hash_token, new_token, now, pool, require_role, state, throttle_address, AuditAction},
    sqlx::Row,
};

/// How long an invitation link works.
#[cfg(feature = "ssr")]
pub const INVITE_LIFETIME_SECS: i64 = 7 * 24 * 3600;
/// Invitations an owner may send in an hour: a team grows by a few people at a time, and each
/// invitation is an email the portal sends to an address the owner typed.
#[cfg(feature = "ssr")]
pub const INVITES_PER_OWNER_PER_HOUR: i64 = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: i64,
    pub display_name: String,
    pub email: String,
    pub joined_at: i64,
    pub owner: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Invite {
    pub id: i64,
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub organisation: String,
    /// Whether the reader owns the organisation (and so manages the team).
    pub owner: bool,
    pub verified: bool,
    pub members: Vec<Member>,
    /// Open invitations, for the owner only.
    pub invites: Vec<Invite>,
}

/// The reader's organisation: its id and name, and whether the reader owns it and it is
/// verified.
#[cfg(feature = "ssr")]
async fn membership(conn: &mut sqlx::AnyConnection, me: &Me) -> Result<(i64, String, bool, bool), AppError> {
    let row = sqlx::query(
        "SELECT e.id, e.name, e.user_id, e.verification FROM employers e \
         WHERE e.user_id = $1 OR e.id = (SELECT m.employer_id FROM employer_members m WHERE m.user_id = $1) ORDER BY e.id LIMIT 1",
    )
    .bind(me.id)
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::Forbidden)?;
    let verified = row.try_get::<crate::account::EmployerStatus, _>("verification")? == crate::account::EmployerStatus::Verified;
    Ok((row.try_get("id")?, row.try_get("name")?, row.try_get::<i64, _>("user_id")? == me.id, verified))
}

#[cfg(feature = "ssr")]
async fn owned(conn: &mut sqlx::AnyConnection, me: &Me) -> Result<(i64, String), AppError> {
    match membership(conn, me).await? {
        (id, name, true, _) => Ok((id, name)),
        _ => Err(AppError::Forbidden),
    }
}

#[server(endpoint = "employer/team")]
pub async fn get_team() -> Result<Team, AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let (employer_id, organisation, owner, verified) = membership(&mut conn, &me).await?;
    // The owner first, then members in the order they joined.
    let mut members = Vec::new();
    let rows = sqlx::query(
        "SELECT u.id, u.display_name, u.email, e.created_at AS joined_at, CAST(0 AS BIGINT) AS rank FROM employers e JOIN users u ON u.id = e.user_id WHERE e.id = $1 \
         UNION ALL \
         SELECT u.id, u.display_name, u.email, m.created_at AS joined_at, CAST(1 AS BIGINT) AS rank FROM employer_members m JOIN users u ON u.id = m.user_id \
           WHERE m.employer_id = $1 \
         ORDER BY rank, joined_at, id",
    )
    .bind(employer_id)
    .fetch_all(&mut *conn)
    .await?;
    for r in rows {
        members.push(Member {
            user_id: r.try_get("id")?,
            display_name: r.try_get("display_name")?,
            email: r.try_get("email")?,
            joined_at: r.try_get("joined_at")?,
            owner: r.try_get::<i64, _>("rank")? == 0,
        });
    }
    let invites = if owner {
        sqlx::query_as(
            "SELECT id, email, created_at, expires_at FROM employer_invites \
             WHERE employer_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $2 ORDER BY id",
        )
        .bind(employer_id)
        .bind(now())
        .fetch_all(&mut *conn)
        .await?
    } else {
        Vec::new()
    };
    Ok(Team { organisation, owner, verified, members, invites })
}

/// The owner invites a colleague's address.
#[server(endpoint = "employer/invite")]
pub async fn invite_member(email: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let email = Email::parse(&email).map_err(|k| AppError::field("email", k))?;
    let state = state()?;
    let mut tx = crate::ssr::begin().await?;
    let (employer_id, organisation, _owner, verified) = membership(&mut tx, &me).await?;
    owned(&mut tx, &me).await?;
    // A team acts for the organisation, so it grows only once a case worker has checked it.
    if !verified {
        return Err(AppError::field("email", "team.not_verified"));
    }
    tx.commit().await?;
    throttle::attempt(&state.pool, state.dialect, &[Limit::new(format!("invite:{}", me.id), INVITES_PER_OWNER_PER_HOUR, 3600)]).await?;
    let (token, hash) = new_token();
    let mut tx = crate::ssr::begin().await?;
    sqlx::query(
        "INSERT INTO employer_invites (employer_id, email, token_hash, invited_by, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(employer_id)
    .bind(email.as_str())
    .bind(&hash)
    .bind(me.id)
    .bind(now() + INVITE_LIFETIME_SECS)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    let link = format!("{}/employer/join?token={token}", state.settings.base_url);
    let mail = Mail::EmployerInvite { name: me.display_name.clone(), organisation, link };
    enqueue(&mut tx, email.as_str(), request_lang(), &mail).await?;
    audit(&mut tx, Some(me.id), AuditAction::MemberInvited, &format!("employer:{employer_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/employer/team?notice=invite_sent");
    Ok(())
}

/// The owner withdraws an open invitation: its link stops working.
#[server(endpoint = "employer/revoke_invite")]
pub async fn revoke_invite(id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let mut tx = crate::ssr::begin().await?;
    let (employer_id, _) = owned(&mut tx, &me).await?;
    sqlx::query("UPDATE employer_invites SET revoked_at = $1 WHERE id = $2 AND employer_id = $3 AND used_at IS NULL AND revoked_at IS NULL")
        .bind(now())
        .bind(id)
        .bind(employer_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    leptos_axum::redirect("/employer/team?notice=invite_revoked");
    Ok(())
}

/// The owner removes a member, whose next request no longer finds the organisation.
#[server(endpoint = "employer/remove_member")]
pub async fn remove_member(user_id: i64) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let mut tx = crate::ssr::begin().await?;
    let (employer_id, _) = owned(&mut tx, &me).await?;
    let removed = sqlx::query("DELETE FROM employer_members WHERE user_id = $1 AND employer_id = $2")
        .bind(user_id)
        .bind(employer_id)
        .execute(&mut *tx)
        .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    audit(&mut tx, Some(me.id), AuditAction::MemberRemoved, &format!("user:{user_id}"), &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/employer/team?notice=member_removed");
    Ok(())
}

/// What the join page shows before the form: the organisation, or why the link is no good.
#[server(endpoint = "employer/invitation")]
pub async fn invitation(token: String) -> Result<(String, String), AppError> {
    let row = sqlx::query(
        "SELECT e.name, i.email FROM employer_invites i JOIN employers e ON e.id = i.employer_id \
         WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2",
    )
    .bind(hash_token(&token))
    .bind(now())
    .fetch_optional(&pool()?)
    .await?
    .ok_or_else(|| AppError::Conflict("account.link_invalid".into()))?;
    Ok((row.try_get("name")?, row.try_get("email")?))
}

/// Accepts an invitation: a new employer account for the invited address, a member of the
/// organisation, signed in.
#[server(endpoint = "employer/join")]
pub async fn join(token: String, display_name: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let mut e = FieldErrors::new();
    let name = DisplayName::parse(&display_name).map_err(|k| e.add("display_name", k)).ok();
    let password = Password::parse(&password).map_err(|k| e.add("password", k)).ok();
    if password.as_ref().is_some_and(|p| p.expose() != password_confirm) {
        e.add("password_confirm", "validation.passwords_differ");
    }
    e.into_result()?;
    let (name, password) = (name.unwrap(), password.unwrap());
    let state = state()?;
    // The link is checked before the costly hash, which an address may ask for only so often.
    invitation(token.clone()).await?;
    throttle::attempt(&state.pool, state.dialect, &[accounts::sign_up_limit(&throttle_address().await)]).await?;
    let hash = accounts::hash_password(&password).await?;
    let mut tx = crate::ssr::begin().await?;
    let invite = sqlx::query(
        "UPDATE employer_invites SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
         RETURNING employer_id, email, invited_by",
    )
    .bind(now())
    .bind(hash_token(&token))
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict("account.link_invalid".into()))?;
    let (employer_id, email, invited_by): (i64, String, i64) = (invite.try_get("employer_id")?, invite.try_get("email")?, invite.try_get("invited_by")?);
    let email = Email::parse(&email).map_err(|_| AppError::internal("a stored invitation address does not parse"))?;
    let new_user = accounts::NewUser {
        email: &email,
        password_hash: &hash,
        role: Role::Employer,
        display_name: &name,
        locale: request_lang().code(),
        // The link reached this address: it answers.
        verified: true,
    };
    // Only the invited address's owner reads this answer, so it may say the address is taken.
    let user_id = accounts::insert_user(&mut tx, new_user).await?.ok_or_else(|| AppError::field("", "team.address_taken"))?;
    sqlx::query("INSERT INTO employer_members (user_id, employer_id, invited_by, created_at) VALUES ($1, $2, $3, $4)")
        .bind(user_id)
        .bind(employer_id)
        .bind(invited_by)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit(&mut tx, Some(user_id), AuditAction::MemberJoined, &format!("employer:{employer_id}"), &client_address().await).await?;
    tx.commit().await?;
    crate::ssr::sign_in(&crate::ssr::session().await?, user_id).await?;
    leptos_axum::redirect("/employer/vacancies?notice=joined_team");
    Ok(())
}

/// `/employer/team`: who acts for the organisation; the owner invites and removes.
#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let invite = ServerAction::<InviteMember>::new();
    let revoke = ServerAction::<RevokeInvite>::new();
    let remove = ServerAction::<RemoveMember>::new();
    let invite_form = use_form(invite);
    let other_form = use_form(remove);
    let data = Resource::new(
        move || (invite.version().get(), revoke.version().get(), remove.version().get()),
        |_| get_team(),
    );
    view! {
        <PageTitle key="team.title" />
        <Notice />
        {when_loaded(data, move |t: Team| view! {
            <p class="lead">{t.organisation.clone()}</p>
            <FormAlert form=other_form detailed=true />
            <ul class="cards">
                {t.members.iter().cloned().map(|m| view! {
                    <li class="card">
                        <h2 class="card-title">{m.display_name.clone()}</h2>
                        <p>{m.email.clone()}" · "{if m.owner { i18n.t("team.owner") } else { i18n.t("team.member") }}</p>
                        <p class="hint">{i18n.t("team.joined")}" "{format_time(m.joined_at)}</p>
                        {(t.owner && !m.owner).then(|| view! {
                            <ActionForm action=remove attr:class="inline-form">
                                <input type="hidden" name="user_id" value=m.user_id.to_string() />
                                <button type="submit" class="button danger">{i18n.t("team.remove")}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {t.owner.then(|| view! {
                <h2>{i18n.t("team.invites")}</h2>
                {t.invites.is_empty().then(|| view! { <p class="empty">{i18n.t("team.no_invites")}</p> })}
                <ul class="plain">
                    {t.invites.iter().cloned().map(|inv| view! {
                        <li>
                            {inv.email.clone()}" · "{i18n.t("team.expires")}" "{format_time(inv.expires_at)}
                            <ActionForm action=revoke attr:class="inline-form">
                                <input type="hidden" name="id" value=inv.id.to_string() />
                                <button type="submit" class="button">{i18n.t("team.revoke")}</button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
                <ActionForm action=invite attr:class="form">
                    <FormAlert form=invite_form />
                    <Field form=invite_form name="email" label="team.invite_email" kind="email" autocomplete="off" hint="team.invite_hint" />
                    <Submit action=invite label="team.invite" />
                </ActionForm>
            })}
            {(!t.owner).then(|| view! { <p class="hint">{i18n.t("team.owner_manages")}</p> })}
        })}
    }
}

/// `/employer/join?token=…`: the invited colleague chooses a name and a password.
#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let token = move || query.get().get("token").unwrap_or_default();
    let join_action = ServerAction::<Join>::new();
    let form = use_form(join_action);
    let found = Resource::new(token, invitation);
    view! {
        <PageTitle key="team.join_title" />
        {when_loaded(found, move |(organisation, email): (String, String)| view! {
            <p class="lead">{i18n.t_args("team.join_lead", &[("organisation", &organisation), ("email", &email)])}</p>
            <ActionForm action=join_action attr:class="form">
                <FormAlert form />
                <input type="hidden" name="token" value=token() />
                <Field form name="display_name" label="account.name" autocomplete="name" />
                <Field form name="password" label="account.password" kind="password" autocomplete="new-password" hint="account.password_hint" />
                <Field form name="password_confirm" label="account.password_confirm" kind="password" autocomplete="new-password" />
                <Submit action=join_action label="team.join" />
            </ActionForm>
        })}
    }
}
