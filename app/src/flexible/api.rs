//! Flexible-employment subsidy server functions: the form's facts with the computed figure for
//! the lines typed so far, and applying.

use super::{Computation, Terms};
use crate::applications::eligibility::Eligibility;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::{compute, parse_lines, FlexibleRequest},
    crate::applications::eligibility::evaluate,
    crate::applications::model::Kind,
    crate::applications::service::ssr::to_json,
    crate::error::FieldErrors,
    crate::shared::files::{latest, UploadPurpose},
    crate::shared::identity::Role,
    crate::shared::time::Date,
    crate::ssr::{now, pool, require_role},
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlexibleFacts {
    pub eligibility: Eligibility,
    pub terms: Terms,
    /// (upload id, type, bytes) of the proof on file.
    pub proof: Option<(i64, String, i64)>,
    /// The figure for `lines`, when they were given: the computation, or the i18n key of the
    /// first bad line and its number.
    pub preview: Option<Result<Computation, (String, usize)>>,
}

/// The panel's data: the lines, the figure (as recorded on approval, or as it stands today).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Panel {
    pub request: super::FlexibleRequest,
    pub computation: Option<Computation>,
    pub recorded: bool,
}

#[cfg(feature = "ssr")]
async fn graduation_date(conn: &mut sqlx::AnyConnection, user_id: i64) -> Result<Option<Date>, AppError> {
    let text: Option<String> = sqlx::query_scalar("SELECT graduation_date FROM profiles WHERE user_id = $1").bind(user_id).fetch_optional(conn).await?;
    Ok(text.and_then(|t| Date::parse(&t).ok()))
}

/// The form's facts; with `lines`, the subsidy they would bring, computed as approval will.
#[server(endpoint = "flexible/form")]
pub async fn flexible_form(lines: Option<String>) -> Result<FlexibleFacts, AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let pool = pool()?;
    let mut conn = pool.acquire().await?;
    let facts = crate::applications::ssr::facts(&mut conn, me.id).await?;
    let policy = crate::policy::ssr::load(&mut conn).await?;
    let today = Date::today_from_unix(now());
    let terms = Terms::on(&policy, today);
    let graduated = graduation_date(&mut conn, me.id).await?;
    let preview = match (lines.as_deref().filter(|l| !l.trim().is_empty()), graduated) {
        (Some(lines), Some(graduated)) => Some(parse_lines(lines).map(|rows| compute(&rows, graduated, terms)).map_err(|(k, n)| (k.to_string(), n))),
        _ => None,
    };
    Ok(FlexibleFacts {
        eligibility: evaluate(Kind::FlexibleInsuranceSubsidy, &facts, &policy, today),
        terms,
        proof: latest(&mut conn, me.id, UploadPurpose::InsuranceProof).await?,
        preview,
    })
}

#[server(endpoint = "flexible/apply")]
pub async fn apply_flexible(lines: String) -> Result<(), AppError> {
    let me = require_role(&[Role::Graduate]).await?;
    let mut e = FieldErrors::new();
    let rows = match parse_lines(&lines) {
        Ok(rows) => Some(rows),
        Err((key, _)) => {
            e.add("lines", key);
            None
        }
    };
    let proof = latest(&mut *pool()?.acquire().await?, me.id, UploadPurpose::InsuranceProof).await?;
    if proof.is_none() {
        e.add("proof", "flexible.proof_missing");
    }
    e.into_result()?;
    let request = FlexibleRequest { contributions: rows.expect("checked above"), proof_upload_id: proof.expect("checked above").0 };
    let reference = crate::applications::ssr::apply_with(&me, Kind::FlexibleInsuranceSubsidy, &to_json(&request)?).await?;
    leptos_axum::redirect(&format!("/my/applications/{reference}?notice=application_submitted"));
    Ok(())
}
