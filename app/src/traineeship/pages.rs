//! Traineeship pages: the sign-up panel on a position's page, the base's sign-ups, the case
//! workers' bases and traineeships, and the kind's panel on the application page. Every form is
//! an `ActionForm`, so each works without JavaScript.

use super::api::*;
use super::{percent_text, yuan_text, BaseCandidate, Outcome, SignUpState, Subsidy, Traineeship, TraineeshipLine};
use crate::applications::model::Status;
use crate::applications::pages::Checks;
use crate::applications::service::PanelProps;
use crate::components::{use_form, FormAlert, Notice, PageTitle, Submit};
use crate::i18n::{use_i18n, I18n};
use crate::shared::identity::{use_me, Role};
use crate::shared::time::format_date;
use crate::shared::views::when_loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// "70 % × 1,970.00 yuan × 6 months = 8,274.00 yuan", and a note when the months were capped.
#[component]
fn SubsidyLine(subsidy: Subsidy) -> impl IntoView {
    let i18n = use_i18n();
    let formula = i18n.t_args(
        "traineeship.subsidy_formula",
        &[
            ("percent", &percent_text(subsidy.basis_points)),
            ("wage", &yuan_text(subsidy.minimum_wage_fen)),
            ("months", &subsidy.months_paid.to_string()),
            ("total", &yuan_text(subsidy.total_fen)),
        ],
    );
    let capped = (subsidy.months_served > subsidy.months_paid).then(|| {
        i18n.t_args("traineeship.subsidy_capped", &[("served", &subsidy.months_served.to_string()), ("max", &subsidy.max_months.to_string())])
    });
    view! {
        <span class="subsidy">{formula}</span>
        {capped.map(|c| view! { " "<span class="hint">{c}</span> })}
    }
}

/// The facts of one traineeship: position, base, dates, how it ended and (for staff) the subsidy.
#[component]
fn TraineeshipFacts(line: TraineeshipLine, staff: bool) -> impl IntoView {
    let i18n = use_i18n();
    let t = line.traineeship.clone();
    let dash = || "—".to_string();
    view! {
        <dl class="facts">
            <dt>{i18n.t("traineeship.position")}</dt>
            <dd><A href=format!("/vacancies/{}", t.vacancy_id)>{t.vacancy_title.clone()}</A></dd>
            <dt>{i18n.t("traineeship.base")}</dt><dd>{t.employer_name.clone()}</dd>
            <dt>{i18n.t("traineeship.trainee")}</dt><dd>{t.applicant_name.clone()}</dd>
            <dt>{i18n.t("traineeship.terms")}</dt>
            <dd>{i18n.t_args("traineeship.terms_line", &[
                ("months", &t.period_months.unwrap_or(0).to_string()),
                ("stipend", &t.stipend.unwrap_or(0).to_string()),
            ])}</dd>
            <dt>{i18n.t("traineeship.signed_up_on")}</dt><dd>{format_date(t.signed_up_at)}</dd>
            <dt>{i18n.t("traineeship.period")}</dt>
            <dd>{t.starts_on.clone().unwrap_or_else(dash)}" – "{t.ends_on.clone().unwrap_or_else(dash)}</dd>
            {t.outcome.map(|o| view! {
                <dt>{i18n.t("traineeship.outcome")}</dt>
                <dd>{i18n.t(o.label_key())}" · "{i18n.t("traineeship.ended_on")}" "{t.ended_on.clone().unwrap_or_else(dash)}
                    {(o == Outcome::Terminated).then(|| view! { <br />{i18n.t("traineeship.reason")}": "{t.termination_reason.clone()} })}
                </dd>
            })}
            {(staff).then(|| view! {
                <dt>{i18n.t("traineeship.subsidy")}</dt>
                <dd>{match line.subsidy.clone() {
                    Some(s) => view! { <SubsidyLine subsidy=s /> }.into_any(),
                    None => view! { <span class="hint">{i18n.t("traineeship.subsidy_not_started")}</span> }.into_any(),
                }}</dd>
            })}
        </dl>
    }
}

/// The kind's part of the application page (the engine calls it through the descriptor).
pub fn panel(props: PanelProps) -> AnyView {
    let i18n = use_i18n();
    match serde_json::from_value::<TraineeshipLine>(props.data) {
        Ok(line) => view! {
            <section aria-labelledby="traineeship-panel">
                <h2 id="traineeship-panel">{i18n.t("traineeship.panel_heading")}</h2>
                <TraineeshipFacts line staff=props.staff />
                {props.staff.then(|| view! { <p><A href="/staff/traineeships">{i18n.t("traineeship.staff_link")}</A></p> })}
            </section>
        }
        .into_any(),
        Err(_) => ().into_any(),
    }
}

/// "3 of 10 seats left".
fn seats_text(i18n: I18n, seats: i64, taken: i64) -> String {
    i18n.t_args("traineeship.seats_left", &[("left", &(seats - taken).max(0).to_string()), ("seats", &seats.to_string())])
}

/// On a position's page (the vacancy from the route): for a base's traineeship position, the
/// seats left and, for a graduate, the rules and the sign-up button or their sign-up.
#[component]
pub fn SignUpPanel() -> impl IntoView {
    let i18n = use_i18n();
    let vacancy_id = use_params_map().get_untracked().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let me = use_me();
    let sign_up = ServerAction::<SignUp>::new();
    let form = use_form(sign_up);
    let state = Resource::new(move || sign_up.version().get(), move |_| position_sign_up(vacancy_id));
    let login = format!("/login?next=%2Fvacancies%2F{vacancy_id}");
    let on_page = crate::vacancies::pages::VacancyOnPage::get();
    view! {
        <Suspense>
            {move || { let s = state.get(); on_page?.open_kind()?; s }.and_then(Result::ok).map(|s| match s {
                SignUpState::NotTraineeship => ().into_any(),
                SignUpState::NotBase => view! {
                    <section class="apply" aria-labelledby="traineeship-heading">
                        <h2 id="traineeship-heading">{i18n.t("traineeship.sign_up_heading")}</h2>
                        <p class="hint">{i18n.t("traineeship.not_a_base")}</p>
                    </section>
                }.into_any(),
                SignUpState::Open { seats, seats_taken, mine, eligibility } => {
                    let login = login.clone();
                    let full = seats_taken >= seats;
                    view! {
                        <section class="apply" aria-labelledby="traineeship-heading">
                            <h2 id="traineeship-heading">{i18n.t("traineeship.sign_up_heading")}</h2>
                            <p><strong>{seats_text(i18n, seats, seats_taken)}</strong></p>
                            <p class="hint">{i18n.t("traineeship.sign_up_lead")}</p>
                            {match (me.get().map(|m| m.role), mine.filter(|t| t.status.is_open() || matches!(t.status, Status::Approved | Status::Completed))) {
                                (None, _) => view! { <p><A href=login>{i18n.t("traineeship.sign_in_to_sign_up")}</A></p> }.into_any(),
                                (Some(Role::Graduate), Some(t)) => view! {
                                    <p>{i18n.t("traineeship.your_sign_up")}" "
                                        <strong class=format!("status status-{}", t.status.as_str())>{i18n.t(t.status.label_key())}</strong></p>
                                    <p><A href=format!("/my/applications/{}", t.reference)>{i18n.t("traineeship.follow_it")}</A></p>
                                }.into_any(),
                                (Some(Role::Graduate), None) => {
                                    let eligible = eligibility.as_ref().is_some_and(|e| e.eligible());
                                    view! {
                                        <h3>{i18n.t("traineeship.who_may")}</h3>
                                        {eligibility.clone().map(|e| view! { <Checks eligibility=e /> })}
                                        {match (eligible, full) {
                                            (_, true) => view! { <p class="badge no">{i18n.t("traineeship.full")}</p> }.into_any(),
                                            (false, false) => view! { <p class="hint"><A href="/profile">{i18n.t("traineeship.fix_profile")}</A></p> }.into_any(),
                                            (true, false) => view! {
                                                <ActionForm action=sign_up attr:class="form">
                                                    <FormAlert form detailed=true />
                                                    <input type="hidden" name="vacancy_id" value=vacancy_id.to_string() />
                                                    <Submit action=sign_up label="traineeship.sign_up" />
                                                </ActionForm>
                                            }.into_any(),
                                        }}
                                    }.into_any()
                                }
                                (Some(_), _) => ().into_any(),
                            }}
                        </section>
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

/// The base's forms for one sign-up: accept or decline while it waits, record the end once
/// accepted. `back` is where the finish form returns.
#[component]
fn SignUpForms(
    t: Traineeship,
    decide: ServerAction<DecideSignUp>,
    finish: ServerAction<FinishTraineeship>,
    back: &'static str,
    today: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = t.application_id;
    let (app, version) = (id.to_string(), t.version.to_string());
    let (app_2, version_2) = (app.clone(), version.clone());
    match t.status {
        Status::Submitted | Status::InReview => view! {
            <div class="actions-list">
                <ActionForm action=decide attr:class="form compact">
                    <input type="hidden" name="application_id" value=app.clone() />
                    <input type="hidden" name="version" value=version.clone() />
                    <input type="hidden" name="decision" value="accept" />
                    <label for=format!("starts-{id}")>{i18n.t("traineeship.starts_on")}</label>
                    <input id=format!("starts-{id}") type="date" name="starts_on" value=today.clone() required=true />
                    <button type="submit" class="button primary">{i18n.t("traineeship.accept")}</button>
                </ActionForm>
                <ActionForm action=decide attr:class="form compact">
                    <input type="hidden" name="application_id" value=app_2 />
                    <input type="hidden" name="version" value=version_2 />
                    <input type="hidden" name="decision" value="decline" />
                    <label for=format!("decline-{id}")>{i18n.t("traineeship.decline_reason")}</label>
                    <textarea id=format!("decline-{id}") name="reason" rows="2" required=true maxlength="1000"></textarea>
                    <button type="submit" class="button danger">{i18n.t("traineeship.decline")}</button>
                </ActionForm>
            </div>
        }.into_any(),
        Status::Approved => view! {
            <ActionForm action=finish attr:class="form compact">
                <fieldset>
                    <legend>{i18n.t("traineeship.finish_heading")}</legend>
                    <input type="hidden" name="application_id" value=app.clone() />
                    <input type="hidden" name="version" value=version.clone() />
                    <input type="hidden" name="back" value=back />
                    <label for=format!("outcome-{id}")>{i18n.t("traineeship.outcome")}</label>
                    <select id=format!("outcome-{id}") name="outcome">
                        {Outcome::ALL.into_iter().map(|o| view! { <option value=o.as_str()>{i18n.t(o.label_key())}</option> }).collect_view()}
                    </select>
                    <label for=format!("ended-{id}")>{i18n.t("traineeship.ended_on")}</label>
                    <input id=format!("ended-{id}") type="date" name="ended_on" value=t.ends_on.clone().unwrap_or(today.clone()) required=true />
                    <label for=format!("reason-{id}")>{i18n.t("traineeship.termination_reason")}</label>
                    <textarea id=format!("reason-{id}") name="reason" rows="2" maxlength="1000"></textarea>
                    <button type="submit" class="button primary">{i18n.t("traineeship.finish")}</button>
                </fieldset>
            </ActionForm>
        }.into_any(),
        _ => ().into_any(),
    }
}

/// A list of traineeships with the forms the reader may use on each.
#[component]
fn TraineeshipList(
    lines: Vec<TraineeshipLine>,
    staff: bool,
    today: String,
    decide: ServerAction<DecideSignUp>,
    finish: ServerAction<FinishTraineeship>,
) -> impl IntoView {
    let i18n = use_i18n();
    let back = if staff { "/staff/traineeships" } else { "/employer/traineeships" };
    view! {
        {lines.is_empty().then(|| view! { <p class="empty">{i18n.t("traineeship.none")}</p> })}
        <ul class="cards">
            {lines.into_iter().map(|line| {
                let t = line.traineeship.clone();
                let show_forms = !staff || t.status == Status::Approved;
                let (name, href) = (t.applicant_name.clone(), format!("/staff/applications/{}", t.reference));
                let title = if staff { view! { <A href=href>{name}</A> }.into_any() } else { name.into_any() };
                view! {
                    <li class="card">
                        <h3 class="card-title">{title}" · "{t.vacancy_title.clone()}</h3>
                        <p><span class="mono">{t.reference.clone()}</span>" · "
                            <strong class=format!("status status-{}", t.status.as_str())>{i18n.t(t.status.label_key())}</strong></p>
                        <TraineeshipFacts line staff />
                        {show_forms.then(|| view! { <SignUpForms t=t.clone() decide finish back today=today.clone() /> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The base's sign-ups: accept or decline, then record how each traineeship ended.
#[component]
pub fn EmployerTraineeshipsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideSignUp>::new();
    let finish = ServerAction::<FinishTraineeship>::new();
    let (decide_form, finish_form) = (use_form(decide), use_form(finish));
    let data = Resource::new(move || (decide.version().get(), finish.version().get()), |_| my_base());
    view! {
        <PageTitle key="traineeship.base_title" />
        <Notice />
        <FormAlert form=decide_form detailed=true />
        <FormAlert form=finish_form detailed=true />
        {when_loaded(data, move |o| view! {
            {if o.is_base {
                view! { <p class="lead">{i18n.t("traineeship.base_lead")}</p> }.into_any()
            } else {
                view! { <p class="alert alert-info">{i18n.t("traineeship.not_yet_a_base")}</p> }.into_any()
            }}
            <p><A href="/employer/vacancies/form">{i18n.t("traineeship.post_position")}</A></p>
            <h2>{i18n.t("traineeship.traineeships_heading")}</h2>
            <TraineeshipList lines=o.traineeships staff=false today=o.today decide finish />
        })}
    }
}

/// One employer's line in the case workers' base list, with its flag or unflag button.
#[component]
fn BaseRow(e: BaseCandidate, set: ServerAction<SetBase>) -> impl IntoView {
    let i18n = use_i18n();
    let is_base = e.flagged_at.is_some();
    view! {
        <li class="card">
            <h3 class="card-title">{e.name.clone()}</h3>
            <p>{if is_base {
                view! { <span class="badge ok">{i18n.t("traineeship.is_base")}</span>" "{e.flagged_at.map(format_date)} }.into_any()
            } else {
                view! { <span class="hint">{i18n.t("traineeship.not_base")}</span> }.into_any()
            }}</p>
            <ActionForm action=set attr:class="inline-form">
                <input type="hidden" name="employer_id" value=e.employer_id.to_string() />
                <input type="hidden" name="base" value=if is_base { "off" } else { "on" } />
                <button type="submit" class=if is_base { "button danger" } else { "button primary" }>
                    {if is_base { i18n.t("traineeship.unflag") } else { i18n.t("traineeship.flag") }}
                </button>
            </ActionForm>
        </li>
    }
}

/// Case workers: which employers are bases, and every traineeship with the subsidy due.
#[component]
pub fn StaffTraineeshipsPage() -> impl IntoView {
    let i18n = use_i18n();
    let set = ServerAction::<SetBase>::new();
    let decide = ServerAction::<DecideSignUp>::new();
    let finish = ServerAction::<FinishTraineeship>::new();
    let (set_form, finish_form) = (use_form(set), use_form(finish));
    let data = Resource::new(move || (set.version().get(), finish.version().get()), |_| traineeships_for_staff());
    view! {
        <PageTitle key="traineeship.staff_title" />
        <Notice />
        <FormAlert form=set_form detailed=true />
        <FormAlert form=finish_form detailed=true />
        {when_loaded(data, move |o| view! {
            <h2>{i18n.t("traineeship.traineeships_heading")}</h2>
            <p class="hint">{i18n.t("traineeship.subsidy_hint")}</p>
            <TraineeshipList lines=o.traineeships staff=true today=o.today decide finish />
            <h2>{i18n.t("traineeship.bases_heading")}</h2>
            <p class="hint">{i18n.t("traineeship.bases_hint")}</p>
            {o.employers.is_empty().then(|| view! { <p class="empty">{i18n.t("traineeship.no_employers")}</p> })}
            <ul class="cards">{o.employers.into_iter().map(|e| view! { <BaseRow e set /> }).collect_view()}</ul>
        })}
    }
}
