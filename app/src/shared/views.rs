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

fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// A file on record, as a form shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    pub id: i64,
    pub mime: String,
    pub size: i64,
}

/// A plain multipart form (it works without JavaScript) that sends one file to `endpoint`,
/// with what is on file now and the error its handler left in the flash, if any.
/// `back` names the page to return to, for handlers that serve more than one form.
#[component]
pub fn FileForm(endpoint: String, label: String, current: Option<StoredFile>, #[prop(optional)] back: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let flash = crate::flash::use_flash();
    let error = Signal::derive({
        let endpoint = endpoint.clone();
        move || {
            flash
                .and_then(|f| f.0.get())
                .and_then(|r| r.ok().flatten())
                .filter(|f| f.endpoint == endpoint)
                .and_then(|f| f.error.field_key("file").map(str::to_string))
        }
    });
    // Named after the endpoint's last segment (`/uploads/id_card` → `file-id_card`).
    let input_id = format!("file-{}", endpoint.rsplit('/').next().unwrap_or_default());
    view! {
        <form class="form compact upload" method="post" action=endpoint enctype="multipart/form-data">
            {back.map(|b| view! { <input type="hidden" name="back" value=b /> })}
            <label for=input_id.clone()>{label}</label>
            {match current {
                Some(d) => view! {
                    <p class="hint">
                        <a href=format!("/files/{}", d.id)>{i18n.t("upload.on_file")}</a>
                        {format!(" · {} · {}", d.mime, size_text(d.size))}
                    </p>
                }.into_any(),
                None => view! { <p class="hint">{i18n.t("upload.none")}</p> }.into_any(),
            }}
            <input id=input_id type="file" name="file" accept="application/pdf,image/jpeg,image/png" required />
            <p class="hint">{i18n.t("upload.rules")}</p>
            <p class="error" role="alert" hidden=move || error.get().is_none()>{move || error.get().map(|k| i18n.t(&k))}</p>
            <button type="submit" class="button">{i18n.t("upload.submit")}</button>
        </form>
    }
}

/// Percent-encodes a query-string value (unreserved characters and `:` stay as they are).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The address of the next page of a keyset-paged list: this page's query with `after` set to
/// the cursor, so the filters carry over.
pub fn next_page_href(base: &str, query: &leptos_router::params::ParamsMap, cursor: &str) -> String {
    let mut qs: Vec<String> = query.clone().into_iter().filter(|(k, _)| k != "after").map(|(k, v)| format!("{k}={}", urlencode(&v))).collect();
    qs.push(format!("after={}", urlencode(cursor)));
    format!("{base}?{}", qs.join("&"))
}
