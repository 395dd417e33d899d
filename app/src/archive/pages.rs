//! Archive pages: the case workers' list, new archive, archive (with its movements and the form
//! that records one) and import; the graduate's own archive; the public lookup. Forms are
//! `ActionForm`s or, for the file, a plain multipart form, so every page works without JavaScript.

use super::api::*;
use super::{grouped_code, Archive, ArchiveDetail, ImportReport, IssuedCode, Location, LocationKind, Movement, IMPORT_ENDPOINT};
use crate::components::{use_form, use_plain_form, Field, FormAlert, Notice, PageTitle, Submit, TextArea};
use crate::i18n::{use_i18n, I18n};
use crate::shared::time::format_time;
use crate::shared::values::Place;
use crate::shared::views::{when_loaded, SelectField};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `School · Leshan Vocational and Technical College`, with the place of a talent service.
fn location_text(i18n: I18n, at: &Location) -> String {
    match at.place {
        Some(place) => format!("{} · {} · {}", i18n.t(at.kind.label_key()), i18n.t(place.label_key()), at.name),
        None => format!("{} · {}", i18n.t(at.kind.label_key()), at.name),
    }
}

/// An archive's movements, newest first; `staff` adds who recorded each.
#[component]
fn Movements(movements: Vec<Movement>, #[prop(optional)] staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2>{i18n.t("archive.history")}</h2>
        {movements.is_empty().then(|| view! { <p class="empty">{i18n.t("archive.no_movements")}</p> })}
        <ol class="timeline">
            {movements.into_iter().map(|m| view! {
                <li>
                    <p><strong>{m.moved_on.clone()}</strong>" · "{i18n.t("archive.transfer_number")}": "<span class="mono">{m.transfer_number.clone()}</span></p>
                    <p>{i18n.t("archive.from")}": "{location_text(i18n, &m.from())}</p>
                    <p>{i18n.t("archive.to")}": "{location_text(i18n, &m.to())}</p>
                    {(!m.note.is_empty()).then(|| view! { <p class="hint">{m.note.clone()}</p> })}
                    {staff.then(|| view! { <p class="hint">{i18n.t("archive.recorded_by")}": "{m.recorded_by.clone()}" · "{format_time(m.recorded_at)}</p> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// Where an archive is now and its history, as its holder (or whoever looked it up) reads it.
#[component]
fn ArchiveView(detail: ArchiveDetail) -> impl IntoView {
    view! {
        <Whereabouts archive=detail.archive />
        <Movements movements=detail.movements />
    }
}

/// Whose archive it is and where it is now.
#[component]
fn Whereabouts(archive: Archive) -> impl IntoView {
    let i18n = use_i18n();
    let a = archive;
    view! {
        <section class="card" aria-labelledby="archive-now">
            <h2 id="archive-now" class="card-title">{i18n.t("archive.where_now")}</h2>
            <dl class="facts">
                <dt>{i18n.t("archive.holder_name")}</dt><dd>{a.holder_name.clone()}</dd>
                <dt>{i18n.t("archive.resident_id")}</dt><dd class="mono">{a.resident_id_masked.clone()}</dd>
                <dt>{i18n.t("archive.kept_by")}</dt><dd><strong>{location_text(i18n, &a.location())}</strong></dd>
            </dl>
        </section>
    }
}

/// The check codes just made, to print on the transfer notices; shown once.
#[component]
fn IssuedCodes(codes: Vec<IssuedCode>) -> impl IntoView {
    let i18n = use_i18n();
    (!codes.is_empty()).then(|| view! {
        <section class="alert alert-info" aria-labelledby="issued-heading">
            <h2 id="issued-heading">{i18n.t("archive.codes_title")}</h2>
            <p>{i18n.t("archive.codes_once")}</p>
            <table>
                <thead><tr>
                    <th scope="col">{i18n.t("archive.holder_name")}</th>
                    <th scope="col">{i18n.t("archive.resident_id")}</th>
                    <th scope="col">{i18n.t("archive.check_code")}</th>
                </tr></thead>
                <tbody>
                    {codes.into_iter().map(|c| view! {
                        <tr>
                            <td><A href=format!("/staff/archives/{}", c.archive_id)>{c.holder_name}</A></td>
                            <td class="mono">{c.resident_id_masked}</td>
                            <td class="mono" data-check-code=c.code.clone()>{grouped_code(&c.code)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    })
}

/// The case workers' list: search by name or ID number, the latest archives, and the ways to
/// add or import.
#[component]
pub fn StaffArchivesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.get().get("q");
    let list = Resource::new(q, list_archives);
    view! {
        <PageTitle key="archive.staff_title" />
        <p><A href="/staff">{i18n.t("queue.back")}</A></p>
        <p class="actions">
            <A href="/staff/archives/new" attr:class="button primary">{i18n.t("archive.add")}</A>
            <A href="/staff/archives/import" attr:class="button">{i18n.t("archive.import")}</A>
        </p>
        <form class="form compact" method="get" action="/staff/archives" role="search">
            <div class="field">
                <label for="archive-q">{i18n.t("archive.search")}</label>
                <p class="hint" id="archive-q-hint">{i18n.t("archive.search_hint")}</p>
                <input id="archive-q" name="q" type="search" aria-describedby="archive-q-hint" value=move || q().unwrap_or_default() />
            </div>
            <button type="submit" class="button">{i18n.t("archive.search_button")}</button>
        </form>
        {when_loaded(list, move |archives| view! {
            {archives.is_empty().then(|| view! { <p class="empty">{i18n.t("archive.none_found")}</p> })}
            <ul class="cards">
                {archives.into_iter().map(|a| {
                    let at = location_text(i18n, &a.location());
                    view! {
                    <li class="card">
                        <h2 class="card-title"><A href=format!("/staff/archives/{}", a.id)>{a.holder_name.clone()}</A></h2>
                        <p class="mono">{a.resident_id_masked.clone()}</p>
                        <p>{at}</p>
                        <p class="hint">{i18n.t("archive.updated")}": "{format_time(a.updated_at)}</p>
                    </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The fields that say where an archive is or goes.
#[component]
fn LocationFields(form: crate::components::FormState, legend: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset>
            <legend>{i18n.t(legend)}</legend>
            <SelectField form name="location_kind" label="archive.location_kind" options=&LocationKind::ALL />
            <SelectField form name="location_place" label="archive.location_place" options=&Place::ALL />
            <Field form name="location_name" label="archive.location_name" hint="archive.location_name_hint" />
        </fieldset>
    }
}

/// A new archive: the holder and where the archive is now.
#[component]
pub fn NewArchivePage() -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddArchive>::new();
    let form = use_form(add);
    let desk = Resource::new(|| (), |_| archive_desk());
    view! {
        <PageTitle key="archive.add_title" />
        <p><A href="/staff/archives">{i18n.t("archive.back_to_list")}</A></p>
        {when_loaded(desk, move |()| view! {
        <ActionForm action=add attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <Field form name="holder_name" label="archive.holder_name" autocomplete="off" />
            <Field form name="resident_id" label="archive.resident_id" autocomplete="off" />
            <LocationFields form legend="archive.where_now" />
            <Submit action=add label="archive.add_submit" />
        </ActionForm>
        })}
    }
}

/// One archive for case workers: the code just issued (once), where it is, the movement form
/// and the history.
#[component]
pub fn StaffArchivePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let movement = ServerAction::<RecordMovement>::new();
    let form = use_form(movement);
    let replace = ServerAction::<NewCheckCode>::new();
    let replace_form = use_form(replace);
    let id = move || params.get().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let detail = Resource::new(move || (id(), movement.version().get()), |(id, _)| get_archive(id));
    // A new code comes back to this same page with a notice (see the import page).
    let query = use_query_map();
    let issued = Resource::new(move || query.get().get("notice"), |_| take_issued_codes());
    view! {
        <PageTitle key="archive.detail_title" />
        <p><A href="/staff/archives">{i18n.t("archive.back_to_list")}</A></p>
        <Notice />
        {when_loaded(issued, |codes| view! { <IssuedCodes codes /> })}
        {when_loaded(detail, move |d| {
            let archive_id = d.archive.id;
            view! {
                <Whereabouts archive=d.archive.clone() />
                <section aria-labelledby="move-heading">
                    <h2 id="move-heading">{i18n.t("archive.record_movement")}</h2>
                    <ActionForm action=movement attr:class="form" attr:novalidate=true>
                        <FormAlert form />
                        <input type="hidden" name="archive_id" value=archive_id.to_string() />
                        <LocationFields form legend="archive.moves_to" />
                        <Field form name="moved_on" label="archive.moved_on" kind="date" />
                        <Field form name="transfer_number" label="archive.transfer_number" autocomplete="off" />
                        <TextArea form name="note" label="archive.note" required=false rows=3 />
                        <Submit action=movement label="archive.record_submit" />
                    </ActionForm>
                </section>
                <Movements movements=d.movements staff=true />
                <section aria-labelledby="code-heading">
                    <h2 id="code-heading">{i18n.t("archive.new_code")}</h2>
                    <p class="hint">{i18n.t("archive.new_code_hint")}</p>
                    <ActionForm action=replace attr:class="inline-form">
                        <FormAlert form=replace_form />
                        <input type="hidden" name="archive_id" value=archive_id.to_string() />
                        <button type="submit" class="button">{i18n.t("archive.new_code_submit")}</button>
                    </ActionForm>
                </section>
            }
        })}
    }
}

/// The dry run's report: how many rows are good, each rejected row and why, and the button that
/// imports the good ones (or what the import did).
#[component]
fn ReportView(report: ImportReport) -> impl IntoView {
    let i18n = use_i18n();
    let run = ServerAction::<RunImport>::new();
    let form = use_form(run);
    let good = report.good.to_string();
    view! {
        <section aria-labelledby="report-heading">
            <h2 id="report-heading">{i18n.t("archive.report_title")}</h2>
            <p role="status">{i18n.t_args("archive.report_counts", &[
                ("rows", &report.rows.to_string()), ("good", &good), ("rejected", &report.rejected.len().to_string()),
            ])}</p>
            {match report.imported_at {
                Some(at) => view! {
                    <p class="alert alert-success">{i18n.t_args("archive.report_imported", &[("n", &report.imported.to_string()), ("at", &format_time(at))])}</p>
                }.into_any(),
                None if report.good > 0 => view! {
                    <ActionForm action=run attr:class="inline-form">
                        <FormAlert form />
                        <input type="hidden" name="id" value=report.id.to_string() />
                        <button type="submit" class="button primary">{i18n.t_args("archive.import_good", &[("n", &good)])}</button>
                    </ActionForm>
                }.into_any(),
                None => view! { <p class="empty">{i18n.t("archive.nothing_to_import")}</p> }.into_any(),
            }}
            {(!report.rejected.is_empty()).then(|| view! {
                <table>
                    <caption>{i18n.t("archive.rejected_rows")}</caption>
                    <thead><tr>
                        <th scope="col">{i18n.t("archive.line")}</th>
                        <th scope="col">{i18n.t("archive.reason")}</th>
                    </tr></thead>
                    <tbody>
                        {report.rejected.into_iter().map(|r| {
                            // The detail is a column name, an i18n key, the first copy's line or the value given.
                            let detail = match r.reason.as_str() {
                                "archive.reject_missing" => i18n.t(&format!("archive.column_{}", r.detail)),
                                "archive.reject_bad_id" => i18n.t(&r.detail),
                                _ => r.detail.clone(),
                            };
                            view! {
                                <tr>
                                    <td>{r.line}</td>
                                    <td>{i18n.t_args(&r.reason, &[("detail", &detail)])}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </section>
    }
}

/// The import: the upload form with the columns explained, or (`?run=`) a file's report.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let run = move || query.get().get("run").and_then(|r| r.parse::<i64>().ok());
    let report = Resource::new(run, get_import_report);
    // The import's redirect comes back to this same page with a notice; a hydrated page stays
    // mounted, so the codes are asked for again when the notice changes.
    let issued = Resource::new(move || query.get().get("notice"), |_| take_issued_codes());
    let upload = use_plain_form(IMPORT_ENDPOINT);
    let file_error = upload.field_error("file");
    view! {
        <PageTitle key="archive.import_title" />
        <p><A href="/staff/archives">{i18n.t("archive.back_to_list")}</A></p>
        <Notice />
        {when_loaded(issued, |codes| view! { <IssuedCodes codes /> })}
        {when_loaded(report, move |report| match report {
            Some(report) => view! {
                <ReportView report />
                <p><A href="/staff/archives/import">{i18n.t("archive.import_another")}</A></p>
            }.into_any(),
            None => view! {
                <p class="lead">{i18n.t("archive.import_lead")}</p>
                <table>
                    <caption>{i18n.t("archive.columns")}</caption>
                    <thead><tr><th scope="col">{i18n.t("archive.column_header")}</th><th scope="col">{i18n.t("archive.column_value")}</th></tr></thead>
                    <tbody>
                        {["id_number", "name", "location_kind", "place", "unit_name"].into_iter().map(|c| view! {
                            <tr><td class="mono">{c}" / "{i18n.t(&format!("archive.header_{c}"))}</td><td>{i18n.t(&format!("archive.column_{c}_help"))}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <form class="form compact upload" method="post" action=IMPORT_ENDPOINT enctype="multipart/form-data">
                    <div class="field" class:has-error=move || file_error.get().is_some()>
                        <label for="archive-file">{i18n.t("archive.import_file")}</label>
                        <p class="hint" id="archive-file-hint">{i18n.t("archive.import_file_hint")}</p>
                        <input id="archive-file" type="file" name="file" accept=".csv,text/csv" required
                            aria-describedby="archive-file-hint archive-file-error"
                            aria-invalid=move || file_error.get().is_some().then_some("true") />
                        <p class="error" id="archive-file-error" role="alert" hidden=move || file_error.get().is_none()>
                            {move || file_error.get().map(|k| i18n.t(&k))}
                        </p>
                    </div>
                    <button type="submit" class="button primary">{i18n.t("archive.dry_run")}</button>
                </form>
            }.into_any(),
        })}
    }
}

/// The signed-in graduate's archive, or what to do while none is recorded.
#[component]
pub fn MyArchivePage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_archive());
    view! {
        <PageTitle key="archive.mine_title" />
        {when_loaded(mine, move |found| match found {
            Some(detail) => view! { <ArchiveView detail /> }.into_any(),
            None => view! {
                <h2>{i18n.t("archive.none_yet")}</h2>
                <p>{i18n.t("archive.none_yet_body")}</p>
                <p><A href="/profile">{i18n.t("archive.check_profile")}</A>" · "<A href="/archive/lookup">{i18n.t("archive.lookup_title")}</A></p>
            }.into_any(),
        })}
    }
}

/// The public lookup: ID number, name and the notice's check code, posted (never in an address).
#[component]
pub fn LookupPage() -> impl IntoView {
    let i18n = use_i18n();
    let lookup = ServerAction::<LookupArchive>::new();
    let form = use_form(lookup);
    // A lookup posted without JavaScript comes back here once with its answer.
    let shown = Resource::new(|| (), |_| shown_lookup());
    let result = move || {
        if lookup.version().get() > 0 {
            lookup.value().get().and_then(Result::ok)
        } else {
            shown.get().and_then(Result::ok).flatten()
        }
    };
    view! {
        <PageTitle key="archive.lookup_title" />
        <p class="lead">{i18n.t("archive.lookup_lead")}</p>
        <ActionForm action=lookup attr:class="form" attr:novalidate=true>
            <FormAlert form />
            <Field form name="resident_id" label="archive.resident_id" autocomplete="off" />
            <Field form name="holder_name" label="archive.holder_name" autocomplete="name" />
            <Field form name="check_code" label="archive.check_code" hint="archive.check_code_hint" autocomplete="off" />
            <Submit action=lookup label="archive.lookup_submit" />
        </ActionForm>
        <Suspense>
            {move || result().map(|detail| view! { <ArchiveView detail /> })}
        </Suspense>
    }
}
