//! The page shell: the document, header with role-aware navigation, language switch, footer
//! and the routes of every area.

use crate::account::{
    AccountPage, AuthActions, EmployerSignupPage, ForgotPasswordPage, LoginPage, ResetPasswordPage, SignupDonePage, SignupPage,
    VerifyEmailPage,
};
use crate::account::{get_me, Login, Logout};
use crate::shared::identity::{use_me, MeResource, Role};
use crate::components::Loaded;
use crate::admin::{AdminPage, AuditLogPage};
use crate::flash::{take_flash, FlashResource};
use crate::home::{HomePage, NotFound};
use crate::i18n::{request_lang, use_i18n, Lang};
use crate::applications::pages::{EligibilityPage, MyApplicationPage, MyServicesPage};
use crate::certificates::{CertificatePage, VerifyCertificatePage};
use crate::fairs::pages::{EmployerFairsPage, FairFormPage, FairPage, FairsPage, MyFairsPage, StaffFairsPage};
use crate::archive::pages::{ImportPage, LookupPage, MyArchivePage, NewArchivePage, StaffArchivePage, StaffArchivesPage};
use crate::complaints::desk::{ComplaintQueuePage, StaffComplaintPage};
use crate::complaints::pages::{ReceivedPage, ReportPage, StatusPage};
use crate::followups::NotContactedPage;
use crate::jobseeker::pages::ProfilePage;
use crate::matching::pages::{MatchesLink, MySearchesPage, RecommendedVacancies, SaveSearchPanel, SentVacancies, VacancyMatchesPage};
use crate::notifications::{unread_count, NotificationsPage};
use crate::policy::{PolicyHistoryPage, PolicyPage};
use crate::privacy::pages::{MyPrivacyPage, PrivacyNoticePage};
use crate::staff::graduate::GraduatePage;
use crate::staff::queue::{QueuePage, StaffApplicationPage};
use crate::staff::EmployersPage;
use crate::hiring::pages::{ApplicantsPage, ApplyPanel, MyJobApplications};
use crate::traineeship::pages::{EmployerTraineeshipsPage, SignUpPanel, StaffTraineeshipsPage};
use crate::employers::organisation::{AboutEmployer, OrganisationPage};
use crate::employers::team::{JoinPage, TeamPage};
use crate::jobseeker::conflicts::IdConflictsPage;
use crate::training::pages::{MyTraining, ProgrammeFormPage, ProgrammePage, RosterPage, StaffTrainingPage, TrainingPage};
use crate::startup::pages::{IncubationPage, LoanPage, StaffBasesPage, SubsidyPage};
use crate::flexible::pages::FlexiblePage;
use crate::reports::pages::ReportsPage;
use crate::integration::pages::ApiTokensPage;
use crate::vacancies::pages::{EmployerVacanciesPage, ReviewPage, ScreeningRulesPage, VacanciesPage, VacancyFormPage, VacancyPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::{path, SsrMode};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::shared::csp::provide_request_nonce();
    let lang = request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <leptos_meta::MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = request_lang();
    provide_context(lang);
    let i18n = use_i18n();

    let auth = AuthActions { login: ServerAction::<Login>::new(), logout: ServerAction::<Logout>::new() };
    provide_context(auth);
    let me = Resource::new(move || (auth.login.version().get(), auth.logout.version().get()), |_| get_me());
    provide_context(MeResource(me));
    provide_context(FlashResource(Resource::new(|| (), |_| take_flash())));

    // Every route renders completely on the server before it is sent (SsrMode::Async), so a
    // browser without JavaScript gets the finished page, data and form errors included.
    let ssr = SsrMode::Async;
    view! {
        <Title text=i18n.t("site.name") />
        <Meta name="description" content=i18n.t("site.description") />
        <Link rel="icon" href="/favicon.svg" />
        <Router>
            <a class="skip-link" href="#main">{i18n.t("nav.skip")}</a>
            <Suspense>
                <Header />
            </Suspense>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Loaded><HomePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/signup") view=|| view! { <Loaded><SignupPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/signup/employer") view=|| view! { <Loaded><EmployerSignupPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/signup/done") view=|| view! { <Loaded><SignupDonePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/verify-email") view=|| view! { <Loaded><VerifyEmailPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/login") view=|| view! { <Loaded><LoginPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/forgot-password") view=|| view! { <Loaded><ForgotPasswordPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/reset-password") view=|| view! { <Loaded><ResetPasswordPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/account") view=|| view! { <Loaded><AccountPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/account/privacy") view=|| view! { <Loaded><MyPrivacyPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/privacy") view=|| view! { <Loaded><PrivacyNoticePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/profile") view=|| view! { <Loaded><ProfilePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/eligibility") view=|| view! { <Loaded><EligibilityPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/my") view=|| view! { <Loaded><MyServicesPage><MyJobApplications /><MyTraining /><RecommendedVacancies /></MyServicesPage></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/my/applications/:reference") view=|| view! { <Loaded><MyApplicationPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/notifications") view=|| view! { <Loaded><NotificationsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/certificates/:number") view=|| view! { <Loaded><CertificatePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/verify") view=|| view! { <Loaded><VerifyCertificatePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff") view=|| view! { <Loaded><QueuePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/employers") view=|| view! { <Loaded><EmployersPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/applications/:reference") view=|| view! { <Loaded><StaffApplicationPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/graduates/:id") view=|| view! { <Loaded><GraduatePage><SentVacancies /></GraduatePage></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/identity") view=|| view! { <Loaded><IdConflictsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/follow-ups") view=|| view! { <Loaded><NotContactedPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/admin/policy") view=|| view! { <Loaded><PolicyPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/admin/policy/:param") view=|| view! { <Loaded><PolicyHistoryPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/admin/audit") view=|| view! { <Loaded><AuditLogPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/vacancies") view=|| view! { <Loaded><VacanciesPage><SaveSearchPanel /></VacanciesPage></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/my/searches") view=|| view! { <Loaded><MySearchesPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/vacancies/:id/matches") view=|| view! { <Loaded><VacancyMatchesPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/vacancies/:id") view=|| view! { <Loaded><VacancyPage><AboutEmployer /><SignUpPanel /><ApplyPanel /><MatchesLink /></VacancyPage></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/vacancies") view=|| view! { <Loaded><EmployerVacanciesPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/vacancies/:id/applicants") view=|| view! { <Loaded><ApplicantsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/organisation") view=|| view! { <Loaded><OrganisationPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/team") view=|| view! { <Loaded><TeamPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/join") view=|| view! { <Loaded><JoinPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/api-tokens") view=|| view! { <Loaded><ApiTokensPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/api-tokens") view=|| view! { <Loaded><ApiTokensPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/vacancies/form") view=|| view! { <Loaded><VacancyFormPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/vacancies") view=|| view! { <Loaded><ReviewPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/admin/screening") view=|| view! { <Loaded><ScreeningRulesPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/fairs") view=|| view! { <Loaded><FairsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/fairs/:id") view=|| view! { <Loaded><FairPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/fairs") view=|| view! { <Loaded><StaffFairsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/fairs/form") view=|| view! { <Loaded><FairFormPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/fairs") view=|| view! { <Loaded><EmployerFairsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/my/fairs") view=|| view! { <Loaded><MyFairsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/training") view=|| view! { <Loaded><TrainingPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/training/:id") view=|| view! { <Loaded><ProgrammePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/training") view=|| view! { <Loaded><StaffTrainingPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/training/form") view=|| view! { <Loaded><ProgrammeFormPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/training/:id") view=|| view! { <Loaded><RosterPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/complaints") view=|| view! { <Loaded><ReportPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/complaints/received") view=|| view! { <Loaded><ReceivedPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/complaints/status") view=|| view! { <Loaded><StatusPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/reports") view=|| view! { <Loaded><ReportsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/complaints") view=|| view! { <Loaded><ComplaintQueuePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/complaints/:reference") view=|| view! { <Loaded><StaffComplaintPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/employer/traineeships") view=|| view! { <Loaded><EmployerTraineeshipsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/traineeships") view=|| view! { <Loaded><StaffTraineeshipsPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/startup/loan") view=|| view! { <Loaded><LoanPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/startup/subsidy") view=|| view! { <Loaded><SubsidyPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/incubation") view=|| view! { <Loaded><IncubationPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/incubation") view=|| view! { <Loaded><StaffBasesPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/flexible") view=|| view! { <Loaded><FlexiblePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/archive") view=|| view! { <Loaded><MyArchivePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/archive/lookup") view=|| view! { <Loaded><LookupPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/archives") view=|| view! { <Loaded><StaffArchivesPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/archives/new") view=|| view! { <Loaded><NewArchivePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/archives/import") view=|| view! { <Loaded><ImportPage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/staff/archives/:id") view=|| view! { <Loaded><StaffArchivePage /></Loaded> } ssr=ssr.clone() />
                    <Route path=path!("/admin") view=|| view! { <Loaded><AdminPage /></Loaded> } ssr=ssr.clone() />
                </Routes>
            </main>
            <Footer />
        </Router>
    }
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let me = use_me();
    let auth = use_context::<AuthActions>().expect("AuthActions at the root");
    let logout = auth.logout;
    let unread = Resource::new(move || (auth.login.version().get(), logout.version().get()), |_| unread_count());
    let unread = move || unread.get().and_then(Result::ok).unwrap_or(0);
    view! {
        <header class="site-header">
            <div class="brand">
                <A href="/">{i18n.t("site.name")}</A>
            </div>
            <nav aria-label=i18n.t("nav.main")>
                <ul>
                    <li><A href="/">{i18n.t("nav.home")}</A></li>
                    <li><A href="/vacancies">{i18n.t("nav.vacancies")}</A></li>
                    <li><A href="/fairs">{i18n.t("nav.fairs")}</A></li>
                    <li><A href="/training">{i18n.t("nav.training")}</A></li>
                    {move || match me.get() {
                        None => view! {
                            <li><A href="/login">{i18n.t("nav.login")}</A></li>
                            <li><A href="/signup">{i18n.t("nav.signup")}</A></li>
                        }.into_any(),
                        Some(me) => view! {
                            {(me.role == Role::Graduate).then(|| view! {
                                <li><A href="/my">{i18n.t("nav.my")}</A></li>
                                <li><A href="/profile">{i18n.t("nav.profile")}</A></li>
                                <li><A href="/notifications">{i18n.t("nav.notifications")}
                                    {move || (unread() > 0).then(|| view! {
                                        " "<span class="badge" aria-label=i18n.t_args("nav.unread", &[("n", &unread().to_string())])>{unread()}</span>
                                    })}
                                </A></li>
                            })}
                            {(me.role == Role::Employer).then(|| view! {
                                <li><A href="/employer/vacancies">{i18n.t("nav.postings")}</A></li>
                                <li><A href="/employer/organisation">{i18n.t("nav.organisation")}</A></li>
                                <li><A href="/employer/team">{i18n.t("nav.team")}</A></li>
                                <li><A href="/employer/fairs">{i18n.t("nav.my_booths")}</A></li>
                                <li><A href="/employer/traineeships">{i18n.t("nav.traineeships")}</A></li>
                                <li><A href="/employer/api-tokens">{i18n.t("nav.api_tokens")}</A></li>
                            })}
                            {me.role.is_staff().then(|| view! {
                                <li><A href="/staff">{i18n.t("nav.staff")}</A></li>
                                <li><A href="/staff/fairs">{i18n.t("nav.manage_fairs")}</A></li>
                                <li><A href="/staff/training">{i18n.t("nav.manage_training")}</A></li>
                                <li><A href="/staff/traineeships">{i18n.t("nav.traineeships")}</A></li>
                                <li><A href="/staff/complaints">{i18n.t("nav.complaints_queue")}</A></li>
                                <li><A href="/staff/incubation">{i18n.t("nav.incubation_bases")}</A></li>
                                <li><A href="/staff/reports">{i18n.t("report.nav")}</A></li>
                                <li><A href="/staff/archives">{i18n.t("nav.archives")}</A></li>
                                <li><A href="/staff/api-tokens">{i18n.t("nav.api_tokens")}</A></li>
                            })}
                            {(me.role == Role::Admin).then(|| view! { <li><A href="/admin">{i18n.t("nav.admin")}</A></li> })}
                            <li><A href="/account">{i18n.t("nav.account")}</A></li>
                            <li>
                                <ActionForm action=logout attr:class="inline-form">
                                    <button type="submit" class="link-button">{i18n.t("nav.logout")}</button>
                                </ActionForm>
                            </li>
                        }.into_any(),
                    }}
                </ul>
            </nav>
            <LanguageSwitch />
        </header>
    }
}

/// A plain form (not an ActionForm): switching language reloads the page, so everything,
/// including the server-rendered parts, comes back in the new language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || format!("{}{}", location.pathname.get(), location.search.get());
    let other = match i18n.lang() {
        Lang::ZhCn => Lang::En,
        Lang::En => Lang::ZhCn,
    };
    view! {
        <form class="lang-switch" method="post" action="/api/language">
            <input type="hidden" name="lang" value=other.code() />
            <input type="hidden" name="back" value=back />
            // The accessible name starts with the visible text, as speech input users say it.
            <button type="submit" class="link-button" lang=other.code()
                aria-label=format!("{} · {}", other.native_name(), i18n.t("nav.switch_language"))>
                {other.native_name()}
            </button>
        </form>
    }
}

#[component]
fn Footer() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <p>{i18n.t("site.footer_owner")}</p>
            <p>{i18n.t("site.footer_note")}</p>
            <p><A href="/vacancies">{i18n.t("nav.vacancies")}</A>" · "<A href="/fairs">{i18n.t("nav.fairs")}</A>" · "<A href="/training">{i18n.t("nav.training")}</A>" · "<A href="/incubation">{i18n.t("nav.incubation")}</A>" · "<A href="/verify">{i18n.t("site.footer_verify")}</A>
                " · "<A href="/archive/lookup">{i18n.t("nav.archive_lookup")}</A>
                " · "<A href="/complaints">{i18n.t("nav.report")}</A>" · "<A href="/complaints/status">{i18n.t("nav.report_status")}</A>
                " · "<A href="/privacy">{i18n.t("privacy.footer_link")}</A></p>
        </footer>
    }
}
