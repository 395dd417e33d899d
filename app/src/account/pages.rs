//! Account pages: sign-up (graduate and employer), email verification, sign-in, password reset
//! and the account page. Every form is an `ActionForm`, so it posts without JavaScript too.

use super::api::*;
use crate::shared::identity::{use_me, SignInRequired};
use crate::shared::consent::ConsentField;
use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// The sign-in and sign-out actions, shared with the header so it refreshes after either.
#[derive(Clone, Copy)]
pub struct AuthActions {
    pub login: ServerAction<Login>,
    pub logout: ServerAction<Logout>,
}

#[component]
fn SignupForm(employer: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Signup>::new();
    let form = use_form(action);
    view! {
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <input type="hidden" name="role" value=if employer { "employer" } else { "graduate" } />
            {employer.then(|| view! {
                <Field form name="organisation" label="account.organisation" autocomplete="organization" />
                <Field form name="credit_code" label="account.credit_code" hint="account.credit_code_hint" />
            })}
            <Field form name="display_name" label=if employer { "account.contact_name" } else { "account.name" } autocomplete="name" />
            <Field form name="email" label="account.email" kind="email" autocomplete="email" />
            <Field form name="password" label="account.password" kind="password" autocomplete="new-password" hint="account.password_hint" />
            <Field form name="password_confirm" label="account.password_confirm" kind="password" autocomplete="new-password" />
            <ConsentField form />
            <Submit action label="account.signup_submit" />
        </ActionForm>
        <p>{i18n.t("account.have_account")} " " <A href="/login">{i18n.t("nav.login")}</A></p>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle key="account.signup_title" />
        <p class="lead">{i18n.t("account.signup_lead")}</p>
        <p><A href="/signup/employer">{i18n.t("account.signup_as_employer")}</A></p>
        <SignupForm employer=false />
    }
}

#[component]
pub fn EmployerSignupPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle key="account.employer_signup_title" />
        <p class="lead">{i18n.t("account.employer_signup_lead")}</p>
        <p><A href="/signup">{i18n.t("account.signup_as_graduate")}</A></p>
        <SignupForm employer=true />
    }
}

#[component]
pub fn SignupDonePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle key="account.signup_done_title" />
        <p>{i18n.t("account.signup_done_body")}</p>
        <p><A href="/login">{i18n.t("nav.login")}</A></p>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let result = Resource::new(
        move || query.get().get("token").unwrap_or_default(),
        |token| async move { verify_email(token).await },
    );
    view! {
        <PageTitle key="account.verify_title" />
        <Suspense fallback=move || view! { <p>{i18n.t("form.working")}</p> }>
            {move || result.get().map(|r| match r {
                Ok(()) => view! {
                    <div class="alert alert-success" role="status">{i18n.t("account.verify_ok")}</div>
                    <p><A href="/login">{i18n.t("nav.login")}</A></p>
                }.into_any(),
                Err(_) => view! {
                    <div class="alert alert-error" role="alert">{i18n.t("account.link_invalid")}</div>
                    <p><A href="/account">{i18n.t("account.resend_hint")}</A></p>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = use_context::<AuthActions>().expect("AuthActions at the root").login;
    let form = use_form(action);
    let next = move || use_query_map().get_untracked().get("next").unwrap_or_default();
    view! {
        <PageTitle key="account.login_title" />
        <Notice />
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <input type="hidden" name="next" value=next() />
            <Field form name="email" label="account.email" kind="email" autocomplete="username" />
            <Field form name="password" label="account.password" kind="password" autocomplete="current-password" />
            <Submit action label="account.login_submit" />
        </ActionForm>
        <p><A href="/forgot-password">{i18n.t("account.forgot_link")}</A></p>
        <p>{i18n.t("account.no_account")} " " <A href="/signup">{i18n.t("nav.signup")}</A></p>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let form = use_form(action);
    let i18n = use_i18n();
    view! {
        <PageTitle key="account.forgot_title" />
        <Notice />
        <p>{i18n.t("account.forgot_lead")}</p>
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <Field form name="email" label="account.email" kind="email" autocomplete="email" />
            <Submit action label="account.forgot_submit" />
        </ActionForm>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let form = use_form(action);
    let i18n = use_i18n();
    let token = move || use_query_map().get_untracked().get("token").unwrap_or_default();
    view! {
        <PageTitle key="account.reset_title" />
        <ActionForm action=action attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <input type="hidden" name="token" value=token() />
            <Field form name="password" label="account.new_password" kind="password" autocomplete="new-password" hint="account.password_hint" />
            <Field form name="password_confirm" label="account.password_confirm" kind="password" autocomplete="new-password" />
            <Submit action label="account.reset_submit" />
        </ActionForm>
        <p><A href="/forgot-password">{i18n.t("account.reset_again")}</A></p>
    }
}

/// Shown where a page needs a signed-in person and there is none.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let change = ServerAction::<ChangePassword>::new();
    let form = use_form(change);
    let resend = ServerAction::<ResendVerification>::new();
    view! {
        <PageTitle key="account.title" />
        <Notice />
        {move || match me.get() {
            None => view! { <SignInRequired /> }.into_any(),
            Some(me) => view! {
                <dl class="facts">
                    <dt>{i18n.t("account.name")}</dt><dd>{me.display_name.clone()}</dd>
                    <dt>{i18n.t("account.email")}</dt><dd>{me.email.clone()}</dd>
                    <dt>{i18n.t("account.role")}</dt><dd>{i18n.t(me.role.label_key())}</dd>
                    <dt>{i18n.t("account.email_status")}</dt>
                    <dd>{if me.email_verified { i18n.t("account.verified") } else { i18n.t("account.not_verified") }}</dd>
                </dl>
                <p><A href="/account/privacy">{i18n.t("privacy.account_link")}</A></p>
                {(!me.email_verified).then(|| view! {
                    <ActionForm action=resend attr:class="inline-form">
                        <button type="submit" class="button">{i18n.t("account.resend_submit")}</button>
                    </ActionForm>
                })}
                <h2>{i18n.t("account.change_password_title")}</h2>
                <ActionForm action=change attr:class="form" attr:novalidate=true>
                    <FormAlert form />
                    <Field form name="current" label="account.current_password" kind="password" autocomplete="current-password" />
                    <Field form name="password" label="account.new_password" kind="password" autocomplete="new-password" hint="account.password_hint" />
                    <Field form name="password_confirm" label="account.password_confirm" kind="password" autocomplete="new-password" />
                    <Submit action=change label="account.change_password_submit" />
                </ActionForm>
            }.into_any(),
        }}
    }
}
