//! The organisation's page: what the employer keeps up to date about itself (address,
//! industry, size, a contact number) beside what it signed up with and a case worker checked
//! (name, credit code, the verified badge). Graduates see the public part on each vacancy.

use crate::components::{use_form, Field, FormAlert, Notice, PageTitle, Submit};
use crate::error::AppError;
use crate::i18n::use_i18n;
use crate::shared::views::{when_loaded, FileForm, SelectField, StoredFile};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::account::EmployerStatus,
    crate::error::FieldErrors,
    crate::shared::identity::Role,
    crate::shared::validate::{choice, text},
    crate::ssr::{pool, require_role},
};

crate::labelled_enum! {
    pub enum EmployerSize: "employer_size" {
        Unknown = "unknown",
        /// Fewer than 20 people.
        Micro = "micro",
        /// 20 to 99.
        Small = "small",
        /// 100 to 499.
        Medium = "medium",
        /// 500 or more.
        Large = "large",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub credit_code: String,
    pub verification: crate::account::EmployerStatus,
    pub address: String,
    pub industry: String,
    pub size: EmployerSize,
    pub contact_phone: String,
    /// The business licence on file (id, type, bytes), which every member and case workers open.
    pub licence: Option<(i64, String, i64)>,
}

/// What anyone may see of an organisation beside its vacancies: no credit code, no contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOrganisation {
    pub name: String,
    pub verified: bool,
    pub address: String,
    pub industry: String,
    pub size: EmployerSize,
}


/// The reader's own organisation (owner or member).
#[server(endpoint = "employer/organisation")]
pub async fn my_organisation() -> Result<Organisation, AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let (id, _) = crate::vacancies::ssr::employer_of(&mut conn, me.id).await?.ok_or(AppError::Forbidden)?;
    let r = sqlx::query(
        "SELECT e.id, e.name, e.credit_code, e.verification, e.address, e.industry, e.size, e.contact_phone, \
           u.id AS licence_id, u.mime AS licence_mime, u.size AS licence_size \
         FROM employers e LEFT JOIN uploads u ON u.id = e.licence_upload_id WHERE e.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    use sqlx::Row;
    let licence = match r.try_get::<Option<i64>, _>("licence_id")? {
        Some(lid) => Some((lid, r.try_get("licence_mime")?, r.try_get("licence_size")?)),
        None => None,
    };
    Ok(Organisation {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        credit_code: r.try_get("credit_code")?,
        verification: r.try_get("verification")?,
        address: r.try_get("address")?,
        industry: r.try_get("industry")?,
        size: r.try_get("size")?,
        contact_phone: r.try_get("contact_phone")?,
        licence,
    })
}

/// Any member saves the details the organisation keeps up to date; name and credit code stay
/// as a case worker checked them.
#[server(endpoint = "employer/organisation/save")]
pub async fn save_organisation(address: String, industry: String, size: String, contact_phone: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Employer]).await?;
    let mut e = FieldErrors::new();
    let address = text(&mut e, "address", &address, 200, true);
    let industry = text(&mut e, "industry", &industry, 60, true);
    let size = choice::<EmployerSize>(&mut e, "size", &size);
    let phone = text(&mut e, "contact_phone", &crate::shared::typed::fold_width(&contact_phone), 30, true);
    // A landline with its area code (0833-1234567), a mobile, or a service number: digits,
    // with spaces, dashes or a leading plus between them.
    if !phone.is_empty() && !is_phone(&phone) {
        e.add("contact_phone", "organisation.phone_invalid");
    }
    e.into_result()?;
    let mut tx = crate::ssr::begin().await?;
    let (id, _) = crate::vacancies::ssr::employer_of(&mut tx, me.id).await?.ok_or(AppError::Forbidden)?;
    sqlx::query("UPDATE employers SET address = $1, industry = $2, size = $3, contact_phone = $4 WHERE id = $5")
        .bind(&address)
        .bind(&industry)
        .bind(size.unwrap())
        .bind(&phone)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    leptos_axum::redirect("/employer/organisation?notice=organisation_saved");
    Ok(())
}

#[cfg(feature = "ssr")]
fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    (5..=15).contains(&digits)
        && s.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')'))
        && !s.trim_start_matches('+').contains('+')
}

/// The employer behind a listed vacancy, for its page.
#[server(endpoint = "employers/of_vacancy")]
pub async fn organisation_of_vacancy(vacancy_id: i64) -> Result<PublicOrganisation, AppError> {
    use sqlx::Row;
    let today = crate::ssr::today();
    let row = sqlx::query(
        "SELECT e.name, e.verification, e.address, e.industry, e.size FROM vacancies v JOIN employers e ON e.id = v.employer_id \
         WHERE v.id = $1 AND v.status = 'published' AND v.expires_on >= $2",
    )
    .bind(vacancy_id)
    .bind(today)
    .fetch_optional(&pool()?)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(PublicOrganisation {
        name: row.try_get("name")?,
        verified: row.try_get::<EmployerStatus, _>("verification")? == EmployerStatus::Verified,
        address: row.try_get("address")?,
        industry: row.try_get("industry")?,
        size: row.try_get("size")?,
    })
}

/// `/employer/organisation`: the checked facts, the badge, and the form for the rest.
#[component]
pub fn OrganisationPage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveOrganisation>::new();
    let form = use_form(save);
    let org = Resource::new(move || save.version().get(), |_| my_organisation());
    view! {
        <PageTitle key="organisation.title" />
        <Notice />
        {when_loaded(org, move |o: Organisation| view! {
            <h2>{o.name.clone()}" "<VerifiedBadge verified=o.verification == crate::account::EmployerStatus::Verified /></h2>
            <dl class="facts">
                <dt>{i18n.t("account.credit_code")}</dt><dd class="mono">{o.credit_code.clone()}</dd>
                <dt>{i18n.t("organisation.verification")}</dt><dd>{i18n.t(&format!("organisation.status_{}", o.verification.as_str()))}</dd>
            </dl>
            <p class="hint">{i18n.t("organisation.fixed_hint")}</p>
            <ActionForm action=save attr:class="form">
                <FormAlert form />
                <Field form name="address" label="organisation.address" autocomplete="street-address" value=Some(o.address.clone()) />
                <Field form name="industry" label="organisation.industry" hint="organisation.industry_hint" value=Some(o.industry.clone()) />
                <SelectField form name="size" label="organisation.size" options=&EmployerSize::ALL selected=Some(o.size.to_string()) />
                <Field form name="contact_phone" label="organisation.contact_phone" kind="tel" autocomplete="tel" value=Some(o.contact_phone.clone()) />
                <Submit action=save label="organisation.save" />
            </ActionForm>
            <h2>{i18n.t("organisation.licence")}</h2>
            <p class="hint">{i18n.t("organisation.licence_hint")}</p>
            <FileForm endpoint="/employer/licence".to_string() label=i18n.t("organisation.licence_file")
                current=o.licence.clone().map(|(id, mime, size)| StoredFile { id, mime, size }) />
        })}
    }
}

/// The badge a case worker's check earns.
#[component]
pub fn VerifiedBadge(verified: bool) -> impl IntoView {
    let i18n = use_i18n();
    verified.then(|| view! { <span class="badge ok" title=i18n.t("organisation.verified_title")>{i18n.t("organisation.verified")}</span> })
}

/// On a vacancy's page: who is hiring, with the badge.
#[component]
pub fn AboutEmployer() -> impl IntoView {
    let i18n = use_i18n();
    let vacancy_id = use_params_map().get_untracked().get("id").and_then(|id| id.parse::<i64>().ok()).unwrap_or(0);
    let org = Resource::new(|| (), move |_| organisation_of_vacancy(vacancy_id));
    let on_page = crate::vacancies::pages::VacancyOnPage::get();
    view! {
        <Suspense>
            {move || { let o = org.get(); on_page?.open_kind()?; o }.and_then(Result::ok).map(|o| view! {
                <section class="about-employer" aria-labelledby="about-employer">
                    <h2 id="about-employer">{i18n.t("organisation.about")}</h2>
                    <p><strong>{o.name.clone()}</strong>" "<VerifiedBadge verified=o.verified /></p>
                    <dl class="facts">
                        {(!o.industry.is_empty()).then(|| view! { <dt>{i18n.t("organisation.industry")}</dt><dd>{o.industry.clone()}</dd> })}
                        {(o.size != EmployerSize::Unknown).then(|| view! { <dt>{i18n.t("organisation.size")}</dt><dd>{i18n.t(o.size.label_key())}</dd> })}
                        {(!o.address.is_empty()).then(|| view! { <dt>{i18n.t("organisation.address")}</dt><dd>{o.address.clone()}</dd> })}
                    </dl>
                </section>
            })}
        </Suspense>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn a_contact_number_is_digits_with_the_usual_separators() {
        for good in ["0833-2123456", "13812345678", "+86 138 1234 5678", "(0833) 2123456", "12333"] {
            assert!(super::is_phone(good), "{good}");
        }
        for bad in ["1234", "call me", "0833-212345６x", "138+1234", "1234567890123456"] {
            assert!(!super::is_phone(bad), "{bad}");
        }
    }
}
