//! View pieces every service's pages use: the refusal view, a page body that waits for its
//! data, and a labelled `<select>` over a labelled enum.

use super::enums::Labelled;
use super::identity::SignInRequired;
use crate::components::FormState;
use crate::error::AppError;
use crate::i18n::use_i18n;
use leptos::prelude::*;

/// Access refused: the reason in words, and a 401/403/404 status for the response.
#[component]
pub fn AccessDenied(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::from_u16(error.status()).unwrap_or(http::StatusCode::FORBIDDEN));
    }
    match error {
        AppError::Unauthorized => view! { <SignInRequired /> }.into_any(),
        other => view! {
            <div class="alert alert-error" role="alert">{i18n.t(other.form_key().unwrap_or("error.internal"))}</div>
        }
        .into_any(),
    }
}

/// A page's data-driven part: nothing until `resource` has loaded (on the server the page
/// waits for it), then `ok` of its value, or the refusal view for its error.
pub fn when_loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    ok: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense>
            {move || resource.get().map(|r| match r {
                Err(e) => view! { <AccessDenied error=e /> }.into_any(),
                Ok(value) => ok(value).into_any(),
            })}
        </Suspense>
    }
}

/// A labelled `<select>` over every value of a labelled enum, with its error.
#[component]
pub fn SelectField<E>(
    form: FormState,
    name: &'static str,
    label: &'static str,
    options: &'static [E],
    #[prop(default = None)] selected: Option<String>,
) -> impl IntoView
where
    E: Labelled + Send + Sync,
{
    let i18n = use_i18n();
    let id = format!("f-{name}");
    let error = form.field_error(name);
    let flashed = form.value(name);
    let chosen = Signal::derive(move || flashed.get().or_else(|| selected.clone()).unwrap_or_default());
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{i18n.t(label)}</label>
            <select id=id.clone() name=name aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=format!("{id}-error")>
                <option value="">{i18n.t("form.choose")}</option>
                {options.iter().map(|e| {
                    let (v, label) = (e.as_str(), e.label_key());
                    view! { <option value=v selected=move || chosen.get() == v>{i18n.t(label)}</option> }
                }).collect_view()}
            </select>
            <p class="error" id=format!("{id}-error") role="alert" hidden=move || error.get().is_none()>
                {move || error.get().map(|k| i18n.t(&k))}
            </p>
        </div>
    }
}

/// `<option>`s for a filter `<select>`: every value of `E`, the one named by `current` selected.
pub fn filter_options<E: Labelled + Send + Sync>(current: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    E::all()
        .iter()
        .map(|e| {
            let (value, label) = (e.as_str(), e.label_key());
            view! { <option value=value selected=move || current.get().as_deref() == Some(value)>{i18n.t(label)}</option> }
        })
        .collect_view()
}
