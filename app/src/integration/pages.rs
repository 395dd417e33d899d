//! The token page, `/employer/api-tokens` for an employer's users and `/staff/api-tokens` for
//! case workers and admins: the reader's tokens, a form to make one (the secret is shown once,
//! right after) and a button to revoke each. Plain forms, so it works without JavaScript.

use super::api::{api_tokens, CreateApiToken, RevokeApiToken};
use super::{Scope, TokenPage};
use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::use_i18n;
use crate::shared::time::format_time;
use crate::shared::views::when_loaded;
use leptos::prelude::*;

/// The form field of a scope's box (the scope's name with `_` for `:`).
fn field_name(scope: Scope) -> &'static str {
    match scope {
        Scope::VacanciesWrite => "vacancies_write",
        Scope::RegistrationsRead => "registrations_read",
        Scope::DecisionsRead => "decisions_read",
    }
}

#[component]
pub fn ApiTokensPage() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateApiToken>::new();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let form = use_form(create);
    let revoke_form = use_form(revoke);
    let data = Resource::new(move || (create.version().get(), revoke.version().get()), |_| api_tokens());
    view! {
        <PageTitle key="api_token.title" />
        <Notice />
        <p class="lead">{i18n.t("api_token.lead")}</p>
        {when_loaded(data, move |page: TokenPage| {
            let single = page.offered.len() == 1;
            let scope_error = form.field_error("scopes");
            view! {
                {page.created.clone().map(|secret| view! {
                    <section class="alert alert-success" aria-labelledby="new-token-heading">
                        <h2 id="new-token-heading">{i18n.t("api_token.created_heading")}</h2>
                        <p>{i18n.t("api_token.created_once")}</p>
                        <label for="new-token">{i18n.t("api_token.secret")}</label>
                        <input id="new-token" class="token-secret" type="text" readonly value=secret />
                    </section>
                })}
                <h2>{i18n.t("api_token.yours")}</h2>
                <FormAlert form=revoke_form detailed=true />
                {page.tokens.is_empty().then(|| view! { <p class="empty">{i18n.t("api_token.none")}</p> })}
                <ul class="cards">
                    {page.tokens.iter().cloned().map(|t| view! {
                        <li class="card">
                            <h3 class="card-title">{t.name.clone()}</h3>
                            <p><code>{format!("{}…", t.prefix)}</code></p>
                            <p>{i18n.t("api_token.scopes")}": "
                                {t.scopes.iter().map(|s| i18n.t(s.label_key())).collect::<Vec<_>>().join(", ")}</p>
                            <p class="hint">{i18n.t("api_token.created_at")}" "{format_time(t.created_at)}" · "
                                {i18n.t("api_token.last_used")}" "
                                {t.last_used_at.map(format_time).unwrap_or_else(|| i18n.t("api_token.never_used").to_string())}</p>
                            {match t.revoked_at {
                                Some(at) => view! { <p class="badge">{i18n.t("api_token.revoked")}" "{format_time(at)}</p> }.into_any(),
                                None => view! {
                                    <ActionForm action=revoke attr:class="inline-form">
                                        <input type="hidden" name="id" value=t.id.to_string() />
                                        <button type="submit" class="button danger" aria-label=format!("{} {}", i18n.t("api_token.revoke"), t.name)>
                                            {i18n.t("api_token.revoke")}
                                        </button>
                                    </ActionForm>
                                }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ul>
                <h2>{i18n.t("api_token.new")}</h2>
                <ActionForm action=create attr:class="form">
                    <FormAlert form />
                    <Field form name="name" label="api_token.name" autocomplete="off" hint="api_token.name_hint" />
                    <fieldset class="field" class:has-error=move || scope_error.get().is_some() aria-describedby="scopes-error">
                        <legend>{i18n.t("api_token.scopes")}</legend>
                        {page.offered.iter().map(|s| {
                            let id = format!("scope-{}", field_name(*s));
                            view! {
                                <div class="check">
                                    <input type="checkbox" id=id.clone() name=field_name(*s) value="on" checked=single />
                                    <label for=id>{i18n.t(s.label_key())}</label>
                                </div>
                            }
                        }).collect_view()}
                        <p class="error" id="scopes-error" role="alert" hidden=move || scope_error.get().is_none()>
                            {move || scope_error.get().map(|k| i18n.t(&k))}
                        </p>
                    </fieldset>
                    <Submit action=create label="api_token.create" />
                </ActionForm>
                <p class="hint">{i18n.t("api_token.docs_before")}" "<a href="/api/v1/openapi.json">"/api/v1/openapi.json"</a></p>
            }
        })}
    }
}
