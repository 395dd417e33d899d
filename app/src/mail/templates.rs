//! The messages, rendered from the locale files (`email.<kind>.subject` / `.body`) into a
//! plain-text part and an HTML part. Bodies are paragraphs separated by blank lines; values
//! that are links become anchors in the HTML part.

use crate::i18n::{tr, tr_args, Lang};

#[derive(Clone, Debug)]
pub enum Mail {
    VerifyEmail { name: String, link: String },
    /// Someone signed up with an address that already has an account. We write to the owner
    /// instead of telling the form, so the form does not reveal who is registered.
    AccountExists { name: String, login_link: String, reset_link: String },
    ResetPassword { name: String, link: String },
    StaffInvite { name: String, link: String },
    EmployerVerified { name: String, organisation: String, link: String },
    EmployerRejected { name: String, organisation: String, reason: String },
    /// An application moved; `kind` and `status` are already in the recipient's language.
    StatusChanged { name: String, reference: String, kind: String, status: String, reason: String, link: String },
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Mail {
    /// Whether the message carries a single-use link (a token that signs someone in or sets a
    /// password). Its body is erased from the outbox once delivered. Every variant answers
    /// here, so a new kind of message makes its author decide.
    pub fn carries_secret_link(&self) -> bool {
        match self {
            Mail::VerifyEmail { .. } | Mail::ResetPassword { .. } | Mail::StaffInvite { .. } => true,
            Mail::AccountExists { .. }
            | Mail::EmployerVerified { .. }
            | Mail::EmployerRejected { .. }
            | Mail::StatusChanged { .. } => false,
        }
    }

    fn key_and_args(&self) -> (&'static str, Vec<(&'static str, &str)>) {
        match self {
            Mail::VerifyEmail { name, link } => ("email.verify", vec![("name", name), ("link", link)]),
            Mail::AccountExists { name, login_link, reset_link } => (
                "email.account_exists",
                vec![("name", name), ("login_link", login_link), ("reset_link", reset_link)],
            ),
            Mail::ResetPassword { name, link } => ("email.reset", vec![("name", name), ("link", link)]),
            Mail::StaffInvite { name, link } => ("email.staff_invite", vec![("name", name), ("link", link)]),
            Mail::EmployerVerified { name, organisation, link } => (
                "email.employer_verified",
                vec![("name", name), ("organisation", organisation), ("link", link)],
            ),
            Mail::EmployerRejected { name, organisation, reason } => (
                "email.employer_rejected",
                vec![("name", name), ("organisation", organisation), ("reason", reason)],
            ),
            Mail::StatusChanged { name, reference, kind, status, reason, link } => (
                // With a reason (rejection, a request for information) the message quotes it.
                if reason.is_empty() { "email.status_changed" } else { "email.status_changed_reason" },
                vec![("name", name), ("reference", reference), ("kind", kind), ("status", status), ("reason", reason), ("link", link)],
            ),
        }
    }

    pub fn render(&self, lang: Lang) -> Rendered {
        let (key, args) = self.key_and_args();
        let subject = tr(lang, &format!("{key}.subject")).to_string();
        let body = tr_args(lang, &format!("{key}.body"), &args);
        let footer = tr(lang, "email.footer");
        let text = format!("{body}\n\n--\n{footer}\n");

        let links: Vec<&str> = args.iter().map(|(_, v)| *v).filter(|v| v.starts_with("http")).collect();
        let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.6;color:#1a1a1a\">");
        for para in body.split("\n\n") {
            let mut p = escape(para).replace('\n', "<br>");
            for link in &links {
                let escaped = escape(link);
                p = p.replace(&escaped, &format!("<a href=\"{escaped}\">{escaped}</a>"));
            }
            html.push_str(&format!("<p>{p}</p>"));
        }
        html.push_str(&format!("<hr><p style=\"color:#555;font-size:90%\">{}</p></body></html>", escape(footer)));
        Rendered { subject, text, html }
    }
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_renders_in_both_languages_with_its_values_filled_in() {
        let link = "https://portal.example/verify-email?token=abc";
        let all = [
            Mail::VerifyEmail { name: "李明".into(), link: link.into() },
            Mail::AccountExists { name: "李明".into(), login_link: link.into(), reset_link: link.into() },
            Mail::ResetPassword { name: "李明".into(), link: link.into() },
            Mail::StaffInvite { name: "李明".into(), link: link.into() },
            Mail::EmployerVerified { name: "李明".into(), organisation: "乐山某公司".into(), link: link.into() },
            Mail::EmployerRejected { name: "李明".into(), organisation: "乐山某公司".into(), reason: "代码不符".into() },
            Mail::StatusChanged { name: "李明".into(), reference: "LS-2026-000001".into(), kind: "求职登记".into(), status: "已通过".into(), reason: String::new(), link: link.into() },
            Mail::StatusChanged { name: "李明".into(), reference: "LS-2026-000001".into(), kind: "求职登记".into(), status: "需要补充材料".into(), reason: "请上传毕业证".into(), link: link.into() },
        ];
        for mail in &all {
            for lang in Lang::ALL {
                let r = mail.render(lang);
                assert!(!r.subject.is_empty() && !r.subject.starts_with("email."), "{mail:?} {lang:?}");
                assert!(!r.text.contains('{'), "unfilled placeholder in {mail:?} {lang:?}: {}", r.text);
                assert!(r.text.contains("李明"), "{mail:?} {lang:?}");
                if !matches!(mail, Mail::EmployerRejected { .. }) {
                    assert!(r.html.contains(&format!("<a href=\"{link}\">")), "{mail:?} {lang:?}");
                }
            }
        }
    }

    #[test]
    fn values_are_escaped_in_the_html_part() {
        let r = Mail::VerifyEmail { name: "<script>".into(), link: "https://x.example/a?b=1&c=2".into() }.render(Lang::En);
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(r.html.contains("href=\"https://x.example/a?b=1&amp;c=2\""));
    }
}
