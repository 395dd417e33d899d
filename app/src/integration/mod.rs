//! The integration API (`/api/v1`): the provincial system and employers' own tools read the
//! published vacancies, post vacancies and export registrations and decisions as JSON, with a
//! bearer token a person made on their token page. A token acts with its maker's rights, within
//! the scopes it was given, and stops working when it is revoked or its maker's account is
//! disabled (or loses its organisation).
//!
//! Here: the scopes, the token's form and hash, and what the token page lists; `api.rs` makes,
//! lists and revokes tokens; `pages.rs` is the token page; `ssr.rs` finds a request's token and
//! counts its requests; `routes.rs` is the router, the one error shape and the OpenAPI
//! document; `endpoints.rs` the vacancy handlers, `exports.rs` the exports.

pub mod api;
#[cfg(feature = "ssr")]
pub mod endpoints;
#[cfg(feature = "ssr")]
pub mod exports;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod routes;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::shared::identity::Role;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// What a token may do. Each is offered only to the role that may do it on the pages.
    pub enum Scope: "api_scope" {
        /// An employer's user posts vacancies for their organisation.
        VacanciesWrite = "vacancies:write",
        /// A case worker or admin exports job-seeker registrations.
        RegistrationsRead = "registrations:read",
        /// A case worker or admin exports decided applications.
        DecisionsRead = "decisions:read",
    }
}

impl Scope {
    /// Whether someone of `role` may give a token this scope.
    pub fn allowed_for(self, role: Role) -> bool {
        match self {
            Scope::VacanciesWrite => role == Role::Employer,
            Scope::RegistrationsRead | Scope::DecisionsRead => role.is_staff(),
        }
    }

    /// The scopes someone of `role` may choose from on the token page.
    pub fn offered_to(role: Role) -> Vec<Scope> {
        Scope::ALL.into_iter().filter(|s| s.allowed_for(role)).collect()
    }
}

/// The scopes asked for, checked against the asker's role: `Err` holds the i18n key of the
/// complaint (none chosen, or one the role may not have).
pub fn choose_scopes(role: Role, asked: &[&str]) -> Result<Vec<Scope>, &'static str> {
    let mut scopes = Vec::new();
    for raw in asked.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match Scope::parse(raw) {
            Some(s) if s.allowed_for(role) => {
                if !scopes.contains(&s) {
                    scopes.push(s);
                }
            }
            _ => return Err("api_token.scope_not_allowed"),
        }
    }
    if scopes.is_empty() {
        return Err("api_token.scope_required");
    }
    Ok(scopes)
}

/// Where the API lives.
pub const API_PREFIX: &str = "/api/v1";

/// Whether a request path is the API's (which authenticates by bearer token only, never by the
/// session cookie).
pub fn is_api_path(path: &str) -> bool {
    path.strip_prefix(API_PREFIX).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Every token starts so, which lets secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "lsp_";
/// How many characters of a token the list shows, to tell tokens apart (the prefix and 8 more).
pub const SHOWN_CHARS: usize = TOKEN_PREFIX.len() + 8;

/// Whether `token` has a token's form (`lsp_` and 64 lower-case hex digits). Anything else is
/// refused without a database lookup.
pub fn well_formed(token: &str) -> bool {
    token.strip_prefix(TOKEN_PREFIX).is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// The token in an `Authorization: Bearer …` header value.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

/// A new token, and the hash it is stored under. 32 random bytes: a plain SHA-256 is enough to
/// keep a leaked table from giving usable tokens, and cheap enough to check on every request.
#[cfg(feature = "ssr")]
pub fn new_token() -> (String, String) {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = hash_token(&token);
    (token, hash)
}

#[cfg(feature = "ssr")]
pub fn hash_token(token: &str) -> String {
    crate::ssr::hash_token(token)
}

/// A token on its owner's page (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    /// The token's first characters.
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// What the token page shows: the reader's tokens, the scopes they may choose, and a token
/// just made (shown this once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPage {
    pub tokens: Vec<TokenRow>,
    pub offered: Vec<Scope>,
    pub created: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_new_token_has_the_token_form_and_only_its_own_hash_matches() {
        let (token, hash) = new_token();
        assert!(well_formed(&token), "{token}");
        assert_eq!(hash_token(&token), hash);
        assert_eq!(hash.len(), 64);
        let (other, other_hash) = new_token();
        assert_ne!(token, other);
        assert_ne!(hash, other_hash);
        let mut altered = token.clone();
        altered.pop();
        altered.push(if token.ends_with('0') { '1' } else { '0' });
        assert_ne!(hash_token(&altered), hash);
    }

    #[test]
    fn only_the_prefix_and_64_lower_case_hex_digits_are_a_token() {
        let good = format!("lsp_{}", "0123456789abcdef".repeat(4));
        assert!(well_formed(&good));
        assert!(!well_formed(&good.to_uppercase()));
        assert!(!well_formed(&good[..good.len() - 1]));
        assert!(!well_formed(&format!("{good}0")));
        assert!(!well_formed(&good.replace("lsp_", "xyz_")));
        assert!(!well_formed(&format!("lsp_{}", "g".repeat(64))));
    }

    #[test]
    fn only_paths_under_api_v1_are_the_apis() {
        assert!(is_api_path("/api/v1") && is_api_path("/api/v1/vacancies"));
        assert!(!is_api_path("/api/v10/x") && !is_api_path("/api/vacancies/save") && !is_api_path("/"));
    }

    #[test]
    fn the_bearer_scheme_is_read_in_any_case_and_nothing_else_is() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer   abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
    }

    #[test]
    fn an_employer_may_only_write_vacancies_and_staff_only_read_exports() {
        assert_eq!(choose_scopes(Role::Employer, &["vacancies:write"]), Ok(vec![Scope::VacanciesWrite]));
        assert_eq!(choose_scopes(Role::Employer, &["registrations:read"]), Err("api_token.scope_not_allowed"));
        assert_eq!(
            choose_scopes(Role::CaseWorker, &["registrations:read", "decisions:read", "registrations:read"]),
            Ok(vec![Scope::RegistrationsRead, Scope::DecisionsRead])
        );
        assert_eq!(choose_scopes(Role::Admin, &["vacancies:write"]), Err("api_token.scope_not_allowed"));
        assert_eq!(choose_scopes(Role::Graduate, &["decisions:read"]), Err("api_token.scope_not_allowed"));
        assert_eq!(choose_scopes(Role::CaseWorker, &["", " "]), Err("api_token.scope_required"));
        assert_eq!(choose_scopes(Role::CaseWorker, &["decisions:write"]), Err("api_token.scope_not_allowed"));
        assert!(Scope::offered_to(Role::Graduate).is_empty());
    }
}
