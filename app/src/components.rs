//! Building blocks shared by every page: form state, labelled fields with their errors,
//! form-level alerts and notices.

use crate::error::AppError;
use crate::flash::use_flash;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

/// What a form shows: the latest error from its server function (hydrated) or from the flash
/// (posted without JavaScript), and the values to put back into its fields.
#[derive(Clone, Copy)]
pub struct FormState {
    pub error: Signal<Option<AppError>>,
    values: Signal<std::collections::BTreeMap<String, String>>,
}

impl FormState {
    pub fn field_error(&self, field: &'static str) -> Signal<Option<String>> {
        let error = self.error;
        Signal::derive(move || error.get().and_then(|e| e.field_key(field).map(str::to_string)))
    }
    /// This form with `fallback` (a saved draft's fields) as its starting values; a failed
    /// post's own values (the flash) still come first.
    pub fn or_values(self, fallback: std::collections::BTreeMap<String, String>) -> FormState {
        let flashed = self.values;
        FormState { values: Signal::derive(move || flashed.with(|v| if v.is_empty() { fallback.clone() } else { v.clone() })), ..self }
    }
    pub fn value(&self, field: &'static str) -> Signal<Option<String>> {
        let values = self.values;
        Signal::derive(move || values.get().get(field).cloned())
    }
}

/// The state of a plain form that posts to an axum handler at `endpoint` (a form with a file):
/// its error and values come only from the flash the handler left.
pub fn use_plain_form(endpoint: &'static str) -> FormState {
    let flash = use_flash();
    let from_flash = move || flash.and_then(|f| f.0.get()).and_then(|r| r.ok().flatten()).filter(|f| f.endpoint == endpoint);
    FormState {
        error: Signal::derive(move || from_flash().map(|f| f.error)),
        values: Signal::derive(move || from_flash().map(|f| f.values).unwrap_or_default()),
    }
}

pub fn use_form<S>(action: ServerAction<S>) -> FormState
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let flash = use_flash();
    let endpoint = S::url();
    let from_flash = move || {
        // Once the hydrated form has been submitted, the flash from an earlier post is stale.
        if action.version().get() > 0 {
            return None;
        }
        flash.and_then(|f| f.0.get()).and_then(|r| r.ok().flatten()).filter(|f| f.endpoint == endpoint)
    };
    let error = Signal::derive(move || {
        action.value().with(|v| match v {
            Some(Err(e)) => Some(Some(e.clone())),
            Some(Ok(_)) => Some(None),
            None => None,
        })
        .unwrap_or_else(|| from_flash().map(|f| f.error))
    });
    let values = Signal::derive(move || from_flash().map(|f| f.values).unwrap_or_default());
    FormState { error, values }
}

/// A labelled input with its hint and its error, wired for screen readers.
#[component]
pub fn Field(
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(default = None)] value: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("f-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let error = form.field_error(name);
    let flashed = form.value(name);
    let initial = value.clone();
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>
                {i18n.t(label)}
                {(!required).then(|| view! { <span class="optional">{i18n.t("form.optional")}</span> })}
            </label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{i18n.t(h)}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                value=move || if kind == "password" { None } else { flashed.get().or_else(|| initial.clone()) }
            />
            <p class="error" id=error_id.clone() role="alert" hidden=move || error.get().is_none()>
                {move || error.get().map(|k| i18n.t(&k))}
            </p>
        </div>
    }
}

/// A multi-line text field with its label, its error and (not required) its "optional" mark.
#[component]
pub fn TextArea(
    form: FormState,
    name: &'static str,
    label: &'static str,
    #[prop(default = None)] value: Option<String>,
    #[prop(default = true)] required: bool,
    #[prop(default = 8)] rows: u32,
    #[prop(optional)] maxlength: Option<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("f-{name}");
    let error = form.field_error(name);
    let flashed = form.value(name);
    let text = move || flashed.get().or_else(|| value.clone()).unwrap_or_default();
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>
                {i18n.t(label)}
                {(!required).then(|| view! { <span class="optional">{i18n.t("form.optional")}</span> })}
            </label>
            <textarea id=id.clone() name=name rows=rows.to_string() required=required maxlength=maxlength.map(|m| m.to_string())
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=format!("{id}-error")>{text}</textarea>
            <p class="error" id=format!("{id}-error") role="alert" hidden=move || error.get().is_none()>
                {move || error.get().map(|k| i18n.t(&k))}
            </p>
        </div>
    }
}

/// The message about the form as a whole (wrong password, too many attempts, server trouble).
#[component]
/// With `detailed`, field messages are listed here too (for forms without labelled fields).
pub fn FormAlert(form: FormState, #[prop(optional)] detailed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        form.error.get().and_then(|e| match &e {
            AppError::TooManyAttempts { minutes } => {
                Some(i18n.t_args("error.too_many_attempts_minutes", &[("minutes", &minutes.to_string())]))
            }
            AppError::Invalid(fields) if detailed => {
                Some(fields.0.values().map(|k| i18n.t(k)).collect::<Vec<_>>().join(" "))
            }
            AppError::Invalid(fields) if fields.get("").is_none() => Some(i18n.t("form.fix_errors")),
            other => other.form_key().map(|k| i18n.t(k)),
        })
    };
    view! {
        <div class="alert alert-error" role="alert" hidden=move || message().is_none()>
            {message}
        </div>
    }
}

/// Shows `notice.<key>` for a `?notice=<key>` in the address: what just succeeded.
#[component]
pub fn Notice() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let text = move || {
        let key = query.get().get("notice")?;
        let full = format!("notice.{key}");
        let text = i18n.t(&full);
        // Unknown keys (typed by hand into the address) show nothing rather than the key.
        (text != full).then_some(text)
    };
    view! {
        {move || text().map(|t| view! { <div class="alert alert-success" role="status">{t}</div> })}
    }
}

/// A submit button that says it is working while the hydrated form is pending.
#[component]
pub fn Submit<S>(action: ServerAction<S>, label: &'static str) -> impl IntoView
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
{
    let i18n = use_i18n();
    let pending = action.pending();
    view! {
        <button type="submit" class="button primary" aria-busy=move || pending.get().then_some("true")>
            {move || if pending.get() { i18n.t("form.working") } else { i18n.t(label) }}
        </button>
    }
}

/// A page's heading and document title together.
#[component]
pub fn PageTitle(key: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!("{} · {}", i18n.t(key), i18n.t("site.name"));
    view! {
        <leptos_meta::Title text=title />
        <h1>{i18n.t(key)}</h1>
    }
}

/// A page's body, rendered once its data (the signed-in person, a form's flash, the page's
/// own resources) has loaded. Routes render on the server in `SsrMode::Async`, so the HTML a
/// browser receives is always complete; the fallback shows only during client navigation.
#[component]
pub fn Loaded(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p class="loading">{i18n.t("form.working")}</p> }>
            {children()}
        </Suspense>
    }
}
