//! The messages, rendered from the locale files (`email.<kind>.subject` / `.body`) into a
//! plain-text part and an HTML part. Bodies are paragraphs separated by blank lines; only the
//! template's link fields (`link`, `…_link`) become anchors in the HTML part, every other value
//! is escaped text.

use crate::i18n::{tr, Lang};

#[derive(Clone, Debug)]
pub enum Mail {
    VerifyEmail { name: String, link: String },
    /// Someone signed up with an address that already has an account. We write to the owner
    /// instead of telling the form, so the form does not reveal who is registered.
    AccountExists { name: String, login_link: String, reset_link: String },
    ResetPassword { name: String, link: String },
    /// An employer verified their address, but another verified account already holds the
    /// credit code: a case worker will decide whose it is.
    CreditCodeDisputed { name: String, organisation: String, link: String },
    /// A case worker found the disputed ID number to be this graduate's: their profile holds it.
    IdConfirmed { name: String, link: String },
    /// A case worker found the disputed ID number to be the other account's.
    IdNotConfirmed { name: String, note: String, link: String },
    /// A case worker found the ID number this profile held to be another person's.
    IdReassigned { name: String, note: String, link: String },
    StaffInvite { name: String, link: String },
    /// An employer's owner invites a colleague; `name` is the owner's.
    EmployerInvite { name: String, organisation: String, link: String },
    EmployerVerified { name: String, organisation: String, link: String },
    EmployerRejected { name: String, organisation: String, reason: String },
    /// An application to a vacancy moved; `status` is in the recipient's language, `details`
    /// the interview's time and place and the employer's note, when there are any.
    JobApplicationMoved { name: String, title: String, organisation: String, status: String, details: String, link: String },
    /// An application moved; `kind` and `status` are already in the recipient's language.
    StatusChanged { name: String, reference: String, kind: String, status: String, reason: String, link: String },
    /// The day before a job fair, to an employer with a booth (`for_employer`, naming the
    /// `organisation`) or a graduate with a place. `place` is the venue or the online fair's
    /// address, as a case worker typed it: text, never a link.
    FairReminder { name: String, organisation: String, fair: String, when: String, place: String, link: String, for_employer: bool },
    /// A signed-in reporter's complaint moved; `status` and `outcome` are in the recipient's
    /// language, `outcome` empty until it is closed.
    ComplaintStatusChanged { name: String, reference: String, status: String, outcome: String, outcome_text: String, link: String },
    /// A case worker took one of the employer's postings down, for this reason.
    VacancySuspended { name: String, organisation: String, title: String, reason: String, link: String },
    /// A case worker suspended the employer; `postings` went down with it.
    EmployerSuspended { name: String, organisation: String, reason: String, postings: String, link: String },
    /// A suspension was lifted: `what` is the posting's title or the organisation's name.
    SuspensionLifted { name: String, organisation: String, what: String, link: String },
    /// The daily email of a saved search: `count` new vacancies, `list` a few of them as plain
    /// lines (title, employer, pay, address), `link` the search, `manage_link` the page that
    /// deletes it.
    SavedSearchDigest { name: String, count: String, list: String, link: String, manage_link: String },
    /// A case worker sent a vacancy to the graduate.
    VacancyRecommended { name: String, title: String, organisation: String, link: String },
    /// A case worker recorded the graduate's result on a course: `passed` with its
    /// `certificate` number, or not passed.
    TrainingResult { name: String, course: String, passed: bool, certificate: String, link: String },
    /// The holder's personnel archive moved: `to` is its new keeper in the recipient's language.
    ArchiveMoved { name: String, to: String, moved_on: String, transfer_number: String, link: String },
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
            Mail::VerifyEmail { .. } | Mail::ResetPassword { .. } | Mail::StaffInvite { .. } | Mail::EmployerInvite { .. } => true,
            Mail::AccountExists { .. }
            | Mail::CreditCodeDisputed { .. }
            | Mail::IdConfirmed { .. }
            | Mail::IdNotConfirmed { .. }
            | Mail::IdReassigned { .. }
            | Mail::JobApplicationMoved { .. }
            | Mail::EmployerVerified { .. }
            | Mail::EmployerRejected { .. }
            | Mail::StatusChanged { .. }
            | Mail::FairReminder { .. }
            | Mail::ComplaintStatusChanged { .. }
            | Mail::VacancySuspended { .. }
            | Mail::EmployerSuspended { .. }
            | Mail::SuspensionLifted { .. }
            | Mail::SavedSearchDigest { .. }
            | Mail::VacancyRecommended { .. }
            | Mail::TrainingResult { .. }
            | Mail::ArchiveMoved { .. } => false,
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
            Mail::CreditCodeDisputed { name, organisation, link } => (
                "email.credit_code_disputed",
                vec![("name", name), ("organisation", organisation), ("link", link)],
            ),
            Mail::IdConfirmed { name, link } => ("email.id_confirmed", vec![("name", name), ("link", link)]),
            Mail::IdNotConfirmed { name, note, link } => ("email.id_not_confirmed", vec![("name", name), ("note", note), ("link", link)]),
            Mail::IdReassigned { name, note, link } => ("email.id_reassigned", vec![("name", name), ("note", note), ("link", link)]),
            Mail::StaffInvite { name, link } => ("email.staff_invite", vec![("name", name), ("link", link)]),
            Mail::EmployerInvite { name, organisation, link } => (
                "email.employer_invite",
                vec![("name", name), ("organisation", organisation), ("link", link)],
            ),
            Mail::EmployerVerified { name, organisation, link } => (
                "email.employer_verified",
                vec![("name", name), ("organisation", organisation), ("link", link)],
            ),
            Mail::EmployerRejected { name, organisation, reason } => (
                "email.employer_rejected",
                vec![("name", name), ("organisation", organisation), ("reason", reason)],
            ),
            Mail::JobApplicationMoved { name, title, organisation, status, details, link } => (
                if details.is_empty() { "email.job_moved" } else { "email.job_moved_details" },
                vec![("name", name), ("title", title), ("organisation", organisation), ("status", status), ("details", details), ("link", link)],
            ),
            Mail::StatusChanged { name, reference, kind, status, reason, link } => (
                // With a reason (rejection, a request for information) the message quotes it.
                if reason.is_empty() { "email.status_changed" } else { "email.status_changed_reason" },
                vec![("name", name), ("reference", reference), ("kind", kind), ("status", status), ("reason", reason), ("link", link)],
            ),
            Mail::FairReminder { name, organisation, fair, when, place, link, for_employer } => (
                if *for_employer { "email.fair_reminder_booth" } else { "email.fair_reminder_place" },
                vec![("name", name), ("organisation", organisation), ("fair", fair), ("when", when), ("place", place), ("link", link)],
            ),
            Mail::ComplaintStatusChanged { name, reference, status, outcome, outcome_text, link } => (
                // Closed, the message gives the outcome and what the case worker wrote.
                if outcome.is_empty() { "email.complaint_status" } else { "email.complaint_closed" },
                vec![("name", name), ("reference", reference), ("status", status), ("outcome", outcome), ("outcome_text", outcome_text), ("link", link)],
            ),
            Mail::VacancySuspended { name, organisation, title, reason, link } => (
                "email.vacancy_suspended",
                vec![("name", name), ("organisation", organisation), ("title", title), ("reason", reason), ("link", link)],
            ),
            Mail::EmployerSuspended { name, organisation, reason, postings, link } => (
                "email.employer_suspended",
                vec![("name", name), ("organisation", organisation), ("reason", reason), ("postings", postings), ("link", link)],
            ),
            Mail::SuspensionLifted { name, organisation, what, link } => (
                "email.suspension_lifted",
                vec![("name", name), ("organisation", organisation), ("what", what), ("link", link)],
            ),
            Mail::SavedSearchDigest { name, count, list, link, manage_link } => (
                "email.saved_search_digest",
                vec![("name", name), ("count", count), ("list", list), ("link", link), ("manage_link", manage_link)],
            ),
            Mail::VacancyRecommended { name, title, organisation, link } => (
                "email.vacancy_recommended",
                vec![("name", name), ("title", title), ("organisation", organisation), ("link", link)],
            ),
            Mail::TrainingResult { name, course, passed, certificate, link } => (
                if *passed { "email.training_passed" } else { "email.training_failed" },
                vec![("name", name), ("course", course), ("certificate", certificate), ("link", link)],
            ),
            Mail::ArchiveMoved { name, to, moved_on, transfer_number, link } => (
                "email.archive_moved",
                vec![("name", name), ("to", to), ("moved_on", moved_on), ("transfer_number", transfer_number), ("link", link)],
            ),
        }
    }

    pub fn render(&self, lang: Lang) -> Rendered {
        let (key, args) = self.key_and_args();
        // A subject may name a value (a vacancy's title); a header is one line whatever was typed.
        let subject = fill(tr(lang, &format!("{key}.subject")), &args, |_, value| value.replace(['\r', '\n'], " "));
        let template = tr(lang, &format!("{key}.body")).to_string();
        let template = template.as_str();
        let body = fill(template, &args, |_, value| value.to_string());
        let footer = tr(lang, "email.footer");
        let text = format!("{body}\n\n--\n{footer}\n");

        // The HTML part is built from the template, not from the filled text: the template's
        // own text and every value are escaped, and only the template's link fields become
        // anchors. A value somebody typed (a display name, an organisation, a reason) stays
        // text even when it looks like an address or like markup.
        let mut html = String::from("<!doctype html><html><body style=\"font-family:sans-serif;line-height:1.6;color:#1a1a1a\">");
        for para in template.split("\n\n") {
            let p = fill_escaped(para, &args);
            html.push_str(&format!("<p>{p}</p>"));
        }
        html.push_str(&format!("<hr><p style=\"color:#555;font-size:90%\">{}</p></body></html>", escape(footer)));
        Rendered { subject, text, html }
    }
}

/// The fields a template fills with a link the portal made (never with what a user typed).
fn is_link_field(name: &str) -> bool {
    name == "link" || name.ends_with("_link")
}

/// Replaces each `{name}` of the template with `value_of(name, value)`, in one pass: a value
/// that itself contains `{link}` is not filled in again.
fn fill(template: &str, args: &[(&'static str, &str)], value_of: impl Fn(&str, &str) -> String) -> String {
    fill_parts(template, args, |literal| literal.to_string(), value_of)
}

fn fill_escaped(template: &str, args: &[(&'static str, &str)]) -> String {
    fill_parts(
        template,
        args,
        |literal| escape(literal).replace('\n', "<br>"),
        |name, value| {
            let escaped = escape(value);
            if is_link_field(name) && (value.starts_with("https://") || value.starts_with("http://")) {
                format!("<a href=\"{escaped}\">{escaped}</a>")
            } else {
                escaped.replace('\n', "<br>")
            }
        },
    )
}

fn fill_parts(
    template: &str,
    args: &[(&'static str, &str)],
    literal: impl Fn(&str) -> String,
    value_of: impl Fn(&str, &str) -> String,
) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let found = after.find('}').and_then(|close| {
            let name = &after[..close];
            args.iter().find(|(n, _)| *n == name).map(|(n, v)| (close, *n, *v))
        });
        match found {
            Some((close, name, value)) => {
                out.push_str(&literal(&rest[..open]));
                out.push_str(&value_of(name, value));
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&literal(&rest[..=open]));
                rest = after;
            }
        }
    }
    out.push_str(&literal(rest));
    out
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
            Mail::CreditCodeDisputed { name: "李明".into(), organisation: "乐山某公司".into(), link: link.into() },
            Mail::IdConfirmed { name: "李明".into(), link: link.into() },
            Mail::IdNotConfirmed { name: "李明".into(), note: "证件与号码不符".into(), link: link.into() },
            Mail::IdReassigned { name: "李明".into(), note: "证件与号码不符".into(), link: link.into() },
            Mail::StaffInvite { name: "李明".into(), link: link.into() },
            Mail::EmployerInvite { name: "李明".into(), organisation: "乐山某公司".into(), link: link.into() },
            Mail::EmployerVerified { name: "李明".into(), organisation: "乐山某公司".into(), link: link.into() },
            Mail::EmployerRejected { name: "李明".into(), organisation: "乐山某公司".into(), reason: "代码不符".into() },
            Mail::StatusChanged { name: "李明".into(), reference: "LS-2026-000001".into(), kind: "求职登记".into(), status: "已通过".into(), reason: String::new(), link: link.into() },
            Mail::StatusChanged { name: "李明".into(), reference: "LS-2026-000001".into(), kind: "求职登记".into(), status: "需要补充材料".into(), reason: "请上传毕业证".into(), link: link.into() },
            Mail::FairReminder { name: "李明".into(), organisation: "乐山某公司".into(), fair: "冬季招聘会".into(), when: "2026-12-05 09:00–12:00".into(), place: "乐山市人力资源市场".into(), link: link.into(), for_employer: true },
            Mail::FairReminder { name: "李明".into(), organisation: String::new(), fair: "冬季招聘会".into(), when: "2026-12-05 09:00–12:00".into(), place: "https://meeting.example/fair".into(), link: link.into(), for_employer: false },
            Mail::ComplaintStatusChanged { name: "李明".into(), reference: "TS-2026-000001".into(), status: "处理中".into(), outcome: String::new(), outcome_text: String::new(), link: link.into() },
            Mail::ComplaintStatusChanged { name: "李明".into(), reference: "TS-2026-000001".into(), status: "已办结".into(), outcome: "投诉属实".into(), outcome_text: "已责令整改".into(), link: link.into() },
            Mail::VacancySuspended { name: "李明".into(), organisation: "乐山某公司".into(), title: "出纳".into(), reason: "收取押金".into(), link: link.into() },
            Mail::EmployerSuspended { name: "李明".into(), organisation: "乐山某公司".into(), reason: "收取押金".into(), postings: "3".into(), link: link.into() },
            Mail::SuspensionLifted { name: "李明".into(), organisation: "乐山某公司".into(), what: "出纳".into(), link: link.into() },
            Mail::SavedSearchDigest { name: "李明".into(), count: "2".into(), list: "· 会计 — 乐山某公司".into(), link: link.into(), manage_link: link.into() },
            Mail::VacancyRecommended { name: "李明".into(), title: "会计".into(), organisation: "乐山某公司".into(), link: link.into() },
            Mail::TrainingResult { name: "李明".into(), course: "电工中级班".into(), passed: true, certificate: "S2026001".into(), link: link.into() },
            Mail::TrainingResult { name: "李明".into(), course: "电工中级班".into(), passed: false, certificate: String::new(), link: link.into() },
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
    fn a_value_a_user_typed_never_becomes_a_link_or_markup() {
        let link = "https://portal.example/account";
        for name in ["http://evil.example", "<a href=\"x\">click</a>", "{link}"] {
            let mails = [
                Mail::VerifyEmail { name: name.into(), link: link.into() },
                Mail::EmployerVerified { name: name.into(), organisation: "https://evil.example/org".into(), link: link.into() },
                Mail::EmployerRejected { name: name.into(), organisation: name.into(), reason: "see http://evil.example/why".into() },
                Mail::StatusChanged { name: name.into(), reference: "LS-2026-000001".into(), kind: "k".into(), status: "s".into(), reason: "<a href=\"x\">".into(), link: link.into() },
                Mail::FairReminder { name: name.into(), organisation: name.into(), fair: name.into(), when: "w".into(), place: "http://evil.example/fair".into(), link: link.into(), for_employer: true },
            ];
            for mail in &mails {
                for lang in Lang::ALL {
                    let r = mail.render(lang);
                    let hrefs: Vec<&str> = r.html.match_indices("<a ").map(|(i, _)| &r.html[i..]).collect();
                    assert!(hrefs.iter().all(|a| a.starts_with(&format!("<a href=\"{link}\">"))), "only the template's link is an anchor: {}", r.html);
                    assert!(!r.html.contains("href=\"http://evil") && !r.html.contains("href=\"x\""), "{}", r.html);
                    assert!(!r.html.contains("<a href=\"x\">"), "markup stays text: {}", r.html);
                    if name == "{link}" {
                        assert!(r.text.contains("{link}") && r.html.contains("{link}"), "a value is not filled in again: {}", r.text);
                    } else {
                        assert!(r.html.contains(&escape(name)), "the name is shown as text: {}", r.html);
                    }
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
