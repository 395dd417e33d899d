//! Who is asking: the roles, the signed-in person as pages see them, and the guards every
//! service uses. Role checks happen in the server functions that read data
//! (`crate::ssr::require_role`), so a page that forgets its own guard leaks nothing.

use leptos::prelude::*;
use leptos_router::components::A;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    pub enum Role: "role" {
        Graduate = "graduate",
        Employer = "employer",
        CaseWorker = "case_worker",
        Admin = "admin",
    }
}

impl Role {
    /// The roles a person may choose at sign-up; staff accounts are made by an admin.
    pub fn self_signup(s: &str) -> Option<Role> {
        Role::parse(s).filter(|r| matches!(r, Role::Graduate | Role::Employer))
    }

    pub fn is_staff(self) -> bool {
        matches!(self, Role::CaseWorker | Role::Admin)
    }

    /// Where a person lands after signing in.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Graduate => "/my",
            Role::Employer => "/account",
            Role::CaseWorker => "/staff",
            Role::Admin => "/admin",
        }
    }
}

/// The roles that work the centre's desk.
pub const STAFF: &[Role] = &[Role::CaseWorker, Role::Admin];

/// The signed-in person, as pages see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub email_verified: bool,
}

/// The signed-in person, loaded once per page at the root.
#[derive(Clone, Copy)]
pub struct MeResource(pub Resource<Result<Option<Me>, crate::error::AppError>>);

pub fn use_me() -> Signal<Option<Me>> {
    let me = use_context::<MeResource>();
    Signal::derive(move || me.and_then(|m| m.0.get()).and_then(|r| r.ok().flatten()))
}

/// Shown where a page needs a signed-in reader.
#[component]
pub fn SignInRequired() -> impl IntoView {
    let i18n = crate::i18n::use_i18n();
    view! {
        <div class="alert alert-info" role="status">
            {i18n.t("error.unauthorized")} " "
            <A href="/login">{i18n.t("nav.login")}</A>
        </div>
    }
}

/// A path inside this site to return to after a form, or `None` when it could lead elsewhere.
pub fn safe_local_path(raw: &str) -> Option<String> {
    let ok = raw.starts_with('/')
        && !raw.starts_with("//")
        && !raw.starts_with("/\\")
        && !raw.contains("://")
        && !raw.starts_with("/api/")
        && raw.len() <= 512
        && !raw.chars().any(char::is_control);
    ok.then(|| raw.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_graduates_and_employers_may_sign_themselves_up() {
        assert_eq!(Role::self_signup("graduate"), Some(Role::Graduate));
        assert_eq!(Role::self_signup("employer"), Some(Role::Employer));
        assert_eq!(Role::self_signup("case_worker"), None);
        assert_eq!(Role::self_signup("admin"), None);
        assert!(Role::CaseWorker.is_staff() && Role::Admin.is_staff());
        assert!(!Role::Graduate.is_staff() && !Role::Employer.is_staff());
    }

    #[test]
    fn return_paths_stay_on_this_site() {
        assert_eq!(safe_local_path("/account?x=1").as_deref(), Some("/account?x=1"));
        for bad in ["https://evil.example", "//evil.example", "/\\evil", "account", "/api/logout"] {
            assert_eq!(safe_local_path(bad), None, "{bad}");
        }
    }

}
