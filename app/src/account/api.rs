//! Account server functions. Each one parses its plain-string arguments into domain values
//! first, collecting every field's error so the form can show them all at once.

use crate::shared::identity::Me;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{ssr as q, ssr::TokenPurpose, CreditCode, DisplayName, Email, Password},
    crate::shared::identity::{safe_local_path, Role},
    crate::error::FieldErrors,
    crate::i18n::{request_lang, Lang},
    crate::mail::ssr::{enqueue, Mail},
    crate::shared::throttle,
    crate::ssr::{audit, client_address, pool, require_user, session, state, throttle_address, AuditAction},
};

/// The signed-in person, or `None`.
#[server(endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    crate::ssr::current_user().await
}

#[cfg(feature = "ssr")]
fn link(path_and_query: &str) -> Result<String, AppError> {
    Ok(format!("{}{}", state()?.settings.base_url, path_and_query))
}

#[server(endpoint = "signup")]
pub async fn signup(
    role: String,
    display_name: String,
    email: String,
    password: String,
    password_confirm: String,
    organisation: Option<String>,
    credit_code: Option<String>,
    consent: Option<String>,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let role = Role::self_signup(&role);
    if role.is_none() {
        errors.add("role", "validation.choose_one");
    }
    let name = DisplayName::parse(&display_name).map_err(|k| errors.add("display_name", k)).ok();
    let email = Email::parse(&email).map_err(|k| errors.add("email", k)).ok();
    let password = Password::parse(&password).map_err(|k| errors.add("password", k)).ok();
    if password.is_some() && password_confirm != password.as_ref().map(|p| p.expose().to_string()).unwrap_or_default() {
        errors.add("password_confirm", "validation.passwords_differ");
    }
    let employer = if role == Some(Role::Employer) {
        let org = DisplayName::parse(organisation.as_deref().unwrap_or("")).map_err(|k| errors.add("organisation", k)).ok();
        let code = CreditCode::parse(credit_code.as_deref().unwrap_or("")).map_err(|k| errors.add("credit_code", k)).ok();
        org.zip(code)
    } else {
        None
    };
    if !crate::shared::consent::consented(consent.as_deref()) {
        errors.add("consent", "privacy.consent_required");
    }
    errors.into_result()?;
    let (role, name, email, password) = (role.unwrap(), name.unwrap(), email.unwrap(), password.unwrap());

    // Counted before the costly part (hashing, the email): see `q::sign_up_limit`.
    let state = state()?;
    throttle::attempt(&state.pool, state.dialect, &[q::sign_up_limit(&throttle_address().await)]).await?;
    let hash = q::hash_password(&password).await?;
    let lang = request_lang();
    let mut tx = crate::ssr::begin().await?;
    let new_user = q::NewUser {
        email: &email,
        password_hash: &hash,
        role,
        display_name: &name,
        locale: lang.code(),
        verified: false,
    };
    match q::insert_user(&mut tx, new_user).await? {
        Some(user_id) => {
            if let Some((org, code)) = &employer {
                // The code is only asked for here; it is held once the address is verified
                // (`q::claim_credit_code`). Checking it now would tell this form who is
                // registered, and let an address that never answers keep a real
                // organisation's code.
                sqlx::query("INSERT INTO employers (user_id, name, credit_code, verification, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(user_id)
                    .bind(org.as_str())
                    .bind(code.as_str())
                    .bind(super::EmployerStatus::Pending)
                    .bind(crate::ssr::now())
                    .execute(&mut *tx)
                    .await?;
            }
            crate::shared::consent::record_consent(&mut tx, user_id, crate::ssr::now()).await?;
            let token = q::issue_token(&mut tx, user_id, TokenPurpose::VerifyEmail, TokenPurpose::VerifyEmail.lifetime_secs()).await?;
            let mail = Mail::VerifyEmail { name: name.as_str().to_string(), link: link(&format!("/verify-email?token={token}"))? };
            enqueue(&mut tx, email.as_str(), lang, &mail).await?;
            audit(&mut tx, Some(user_id), AuditAction::SignUp, role.as_str(), &client_address().await).await?;
        }
        None => {
            // The address is taken. Tell its owner by email, and show this form the same
            // answer as a new sign-up, so the form cannot be used to find out who is registered.
            let mail = Mail::AccountExists {
                name: name.as_str().to_string(),
                login_link: link("/login")?,
                reset_link: link("/forgot-password")?,
            };
            enqueue(&mut tx, email.as_str(), lang, &mail).await?;
        }
    }
    tx.commit().await?;
    leptos_axum::redirect("/signup/done");
    Ok(())
}

#[server(endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let mut tx = crate::ssr::begin().await?;
    let Some(user_id) = q::consume_token(&mut tx, &token, TokenPurpose::VerifyEmail).await? else {
        return Err(AppError::Conflict("account.link_invalid".into()));
    };
    q::mark_verified(&mut tx, user_id).await?;
    if let Some(disputed) = q::claim_credit_code(&mut tx, user_id).await? {
        let mail = Mail::CreditCodeDisputed { name: disputed.contact, organisation: disputed.organisation, link: link("/account")? };
        enqueue(&mut tx, &disputed.email, Lang::parse(&disputed.locale).unwrap_or_default(), &mail).await?;
    }
    audit(&mut tx, Some(user_id), AuditAction::EmailVerified, "", &client_address().await).await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "resend_verification")]
pub async fn resend_verification() -> Result<(), AppError> {
    let me = require_user().await?;
    if !me.email_verified {
        let state = state()?;
        throttle::attempt(&state.pool, state.dialect, &[q::resend_limit(&throttle_address().await)]).await?;
        let mut tx = crate::ssr::begin().await?;
        // Three links an hour is plenty for a person and useless for flooding an inbox.
        if q::recent_tokens(&mut tx, me.id, TokenPurpose::VerifyEmail, 3600).await? >= 3 {
            return Err(AppError::TooManyAttempts { minutes: 60 });
        }
        let token = q::issue_token(&mut tx, me.id, TokenPurpose::VerifyEmail, TokenPurpose::VerifyEmail.lifetime_secs()).await?;
        let lang = Lang::parse(&q::locale_of(&mut tx, me.id).await?).unwrap_or_default();
        let mail = Mail::VerifyEmail { name: me.display_name.clone(), link: link(&format!("/verify-email?token={token}"))? };
        enqueue(&mut tx, &me.email, lang, &mail).await?;
        tx.commit().await?;
    }
    leptos_axum::redirect("/account?notice=verification_sent");
    Ok(())
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    if email.trim().is_empty() {
        errors.add("email", "validation.required");
    }
    if password.is_empty() {
        errors.add("password", "validation.required");
    }
    errors.into_result()?;
    // A malformed address cannot belong to anyone: answer as for any unknown one.
    let bad_credentials = || AppError::field("", "account.bad_credentials");
    let email = Email::parse(&email).map_err(|_| bad_credentials())?;

    let state = state()?;
    let pool = state.pool.clone();
    let address = client_address().await;
    let limits = q::sign_in_limits(&email, &throttle_address().await);
    // The attempt is counted as a failure before the password is checked, in one step with the
    // check of the count: parallel guesses cannot all slip in under the limit.
    let counted = throttle::attempt(&pool, state.dialect, &limits).await?;

    let found = q::find_for_login(&pool, &email).await?;
    let ok = q::verify_password(&password, found.as_ref().map(|f| f.password_hash.clone())).await?;
    let Some(found) = found.filter(|_| ok) else {
        crate::ssr::SIGN_IN_FAILURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(bad_credentials());
    };
    // Said only to whoever knows the password, so it tells a guesser nothing. The attempt
    // stays counted: a disabled account is no reason to guess on.
    if found.disabled {
        crate::ssr::SIGN_IN_FAILURES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return Err(AppError::field("", "account.disabled"));
    }
    // Not a failure after all: the account's count starts afresh, and this attempt no longer
    // counts against the address either.
    throttle::clear(&pool, &limits[0]).await?;
    counted.forget(&pool).await?;

    let session = session().await?;
    crate::ssr::sign_in(&session, found.me.id).await?;

    // The language chosen on this device wins and is remembered; otherwise the account's.
    let chosen = use_context::<http::request::Parts>()
        .and_then(|p| p.headers.get(http::header::COOKIE)?.to_str().ok().map(str::to_string))
        .and_then(|c| crate::i18n::lang_from_cookie_header(&c));
    match chosen {
        Some(lang) => q::set_locale(&pool, found.me.id, lang.code()).await?,
        None => crate::ssr::set_lang_cookie(Lang::parse(&found.locale).unwrap_or_default()),
    }
    let mut tx = crate::ssr::begin().await?;
    audit(&mut tx, Some(found.me.id), AuditAction::SignIn, "", &address).await?;
    tx.commit().await?;

    let target = next.as_deref().and_then(safe_local_path).unwrap_or_else(|| found.me.role.home_path().to_string());
    leptos_axum::redirect(&target);
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    // flush() deletes the record in the store, so the old cookie is worthless everywhere.
    session().await?.flush().await?;
    leptos_axum::redirect("/?notice=signed_out");
    Ok(())
}

#[server(endpoint = "forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let email = Email::parse(&email).map_err(|k| AppError::field("email", k))?;
    // Known address or not, every request counts against the sender's address.
    let state = state()?;
    throttle::attempt(&state.pool, state.dialect, &[q::reset_request_limit(&throttle_address().await)]).await?;
    let mut tx = crate::ssr::begin().await?;
    if let Some(user_id) = q::user_id_by_email(&mut tx, &email).await? {
        // Same answer whether or not the address is known, and at most three links an hour.
        if q::recent_tokens(&mut tx, user_id, TokenPurpose::ResetPassword, 3600).await? < 3 {
            let token = q::issue_token(&mut tx, user_id, TokenPurpose::ResetPassword, TokenPurpose::ResetPassword.lifetime_secs()).await?;
            let lang = Lang::parse(&q::locale_of(&mut tx, user_id).await?).unwrap_or_else(request_lang);
            let name: String = sqlx::query_scalar("SELECT display_name FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
            enqueue(&mut tx, email.as_str(), lang, &Mail::ResetPassword { name, link: link(&format!("/reset-password?token={token}"))? }).await?;
            audit(&mut tx, Some(user_id), AuditAction::ResetRequested, "", &client_address().await).await?;
        }
    }
    tx.commit().await?;
    leptos_axum::redirect("/forgot-password?notice=reset_sent");
    Ok(())
}

#[server(endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let password = Password::parse(&password).map_err(|k| AppError::field("password", k))?;
    if password.expose() != password_confirm {
        return Err(AppError::field("password_confirm", "validation.passwords_differ"));
    }
    // The link first, then the costly hash: a request without a valid link costs one query.
    // Consuming it in the transaction that sets the password means a failure leaves it usable
    // (the hash then runs inside the write transaction: tens of milliseconds, and resets are rare).
    let mut tx = crate::ssr::begin().await?;
    let Some(user_id) = q::consume_token(&mut tx, &token, TokenPurpose::ResetPassword).await? else {
        return Err(AppError::Conflict("account.link_invalid".into()));
    };
    let hash = q::hash_password(&password).await?;
    q::set_password_hash(&mut tx, user_id, &hash).await?;
    // Any other reset link still in a mailbox would set the password again: void them all.
    q::void_tokens(&mut tx, user_id, TokenPurpose::ResetPassword).await?;
    // The link proved the inbox is theirs; and whoever knew the old password is signed out.
    q::mark_verified(&mut tx, user_id).await?;
    q::end_sessions(&mut tx, user_id, None).await?;
    audit(&mut tx, Some(user_id), AuditAction::PasswordReset, "", &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/login?notice=password_reset");
    Ok(())
}

#[server(endpoint = "change_password")]
pub async fn change_password(current: String, password: String, password_confirm: String) -> Result<(), AppError> {
    let me = require_user().await?;
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.add("current", "validation.required");
    }
    let new = Password::parse(&password).map_err(|k| errors.add("password", k)).ok();
    if new.as_ref().is_some_and(|p| p.expose() != password_confirm) {
        errors.add("password_confirm", "validation.passwords_differ");
    }
    errors.into_result()?;
    let new = new.unwrap();
    let pool = pool()?;
    if !q::verify_password(&current, q::password_hash_of(&pool, me.id).await?).await? {
        return Err(AppError::field("current", "account.current_password_wrong"));
    }
    let hash = q::hash_password(&new).await?;
    let session = session().await?;
    let mut tx = crate::ssr::begin().await?;
    q::set_password_hash(&mut tx, me.id, &hash).await?;
    q::void_tokens(&mut tx, me.id, TokenPurpose::ResetPassword).await?;
    q::end_sessions(&mut tx, me.id, session.id().map(|id| id.to_string())).await?;
    audit(&mut tx, Some(me.id), AuditAction::PasswordChanged, "", &client_address().await).await?;
    tx.commit().await?;
    leptos_axum::redirect("/account?notice=password_changed");
    Ok(())
}

/// Switches the language: a cookie for this device, and the account's choice when signed in.
#[server(endpoint = "language")]
pub async fn set_language(lang: String, back: Option<String>) -> Result<(), AppError> {
    let lang = crate::i18n::Lang::parse(&lang).unwrap_or_default();
    crate::ssr::set_lang_cookie(lang);
    if let Some(me) = crate::ssr::current_user().await? {
        q::set_locale(&pool()?, me.id, lang.code()).await?;
    }
    leptos_axum::redirect(&back.as_deref().and_then(safe_local_path).unwrap_or_else(|| "/".into()));
    Ok(())
}
