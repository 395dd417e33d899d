//! Translations. zh-CN is the default language; English is complete.
//!
//! Every string a reader sees is looked up here by key. The texts live in
//! `app/locales/<lang>/<area>.json`, one file per service area so that two services never edit
//! one file (nested objects, flattened to dotted keys). `build.rs` merges them; page strings
//! are compiled into both the server and the wasm bundle, so a page renders the same on both
//! sides, and server-only areas (emails) into the server alone. The reader's
//! choice travels in the `lang` cookie (and the account's `locale` once signed in); the server
//! writes it into `<html lang>`, which is where the browser side reads it back on hydration.
//! A unit test checks that every key used in the code exists in both files.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, used in `<html lang>`, the cookie and the database.
    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhCn => "中文",
            Lang::En => "English",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "zh-CN" | "zh" | "zh-cn" => Some(Lang::ZhCn),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }

    pub(crate) fn table(self) -> &'static HashMap<String, String> {
        // build.rs merges `locales/<lang>/<area>.json`; the server also takes the areas only it
        // uses (emails), which the browser bundle never includes.
        #[cfg(feature = "ssr")]
        const SERVER: [&str; 2] = [
            include_str!(concat!(env!("OUT_DIR"), "/zh-CN.server.json")),
            include_str!(concat!(env!("OUT_DIR"), "/en.server.json")),
        ];
        #[cfg(not(feature = "ssr"))]
        const SERVER: [&str; 2] = ["{}", "{}"];
        fn load(shared: &str, server: &str) -> HashMap<String, String> {
            let mut table = flatten(shared);
            table.extend(flatten(server));
            table
        }
        static ZH: LazyLock<HashMap<String, String>> =
            LazyLock::new(|| load(include_str!(concat!(env!("OUT_DIR"), "/zh-CN.json")), SERVER[0]));
        static EN: LazyLock<HashMap<String, String>> =
            LazyLock::new(|| load(include_str!(concat!(env!("OUT_DIR"), "/en.json")), SERVER[1]));
        match self {
            Lang::ZhCn => &ZH,
            Lang::En => &EN,
        }
    }
}

fn flatten(json: &str) -> HashMap<String, String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut HashMap<String, String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    walk(&key, v, out);
                }
            }
            serde_json::Value::String(s) => {
                out.insert(prefix.to_string(), s.clone());
            }
            other => {
                out.insert(prefix.to_string(), other.to_string());
            }
        }
    }
    let value: serde_json::Value = serde_json::from_str(json).expect("locale file is valid JSON");
    let mut out = HashMap::new();
    walk("", &value, &mut out);
    out
}

/// The text for `key` in `lang`. An unknown key shows itself, which the key test catches.
pub fn tr(lang: Lang, key: &str) -> &str {
    lang.table().get(key).map(String::as_str).unwrap_or(key)
}

/// The text for `key` with `{name}` placeholders filled in.
pub fn tr_args(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = tr(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// The reader's language inside components.
#[derive(Clone, Copy, Debug)]
pub struct I18n(pub Lang);

impl I18n {
    pub fn t(self, key: &str) -> String {
        tr(self.0, key).to_string()
    }
    pub fn t_args(self, key: &str, args: &[(&str, &str)]) -> String {
        tr_args(self.0, key, args)
    }
    pub fn lang(self) -> Lang {
        self.0
    }
}

pub fn use_i18n() -> I18n {
    I18n(leptos::prelude::use_context::<Lang>().unwrap_or_default())
}

/// The language of this request: the `lang` cookie on the server, `<html lang>` in the browser.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        // The reader's own choice (the cookie, set when they switch or sign in) first; on a
        // first visit the browser's preference; zh-CN when neither says.
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
                header(http::header::COOKIE)
                    .and_then(lang_from_cookie_header)
                    .or_else(|| header(http::header::ACCEPT_LANGUAGE).and_then(lang_from_accept_language))
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|el| el.get_attribute("lang"))
            .and_then(|code| Lang::parse(&code))
            .unwrap_or_default()
    }
}

pub const LANG_COOKIE: &str = "lang";

/// Reads `lang=…` from a Cookie header value.
pub fn lang_from_cookie_header(header: &str) -> Option<Lang> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANG_COOKIE)
        .and_then(|(_, value)| Lang::parse(value))
}

/// The supported language the browser prefers most (`Accept-Language: en-GB,en;q=0.9,zh;q=0.8`),
/// or `None` when it names neither.
pub fn lang_from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.trim().split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("zh") => Lang::ZhCn,
            Some("en") => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_exactly_the_same_keys() {
        let zh = Lang::ZhCn.table();
        let en = Lang::En.table();
        let missing_en: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
        let missing_zh: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
        assert!(missing_en.is_empty(), "missing in en.json: {missing_en:?}");
        assert!(missing_zh.is_empty(), "missing in zh-CN.json: {missing_zh:?}");
    }

    #[test]
    fn every_key_used_in_the_code_exists_in_both_languages() {
        // Keys appear in the code as string literals shaped like `"area.name"` passed to
        // t(), tr(), field errors and labels; scan every source file for such literals that
        // start with a known top-level section.
        let sections: std::collections::HashSet<String> =
            Lang::ZhCn.table().keys().map(|k| k.split('.').next().unwrap().to_string()).collect();
        let mut missing = Vec::new();
        let mut used = 0;
        for (path, text) in source_files() {
            for literal in text.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.contains('.')
                    && !literal.contains(' ')
                    && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
                    && sections.contains(literal.split('.').next().unwrap());
                if looks_like_key {
                    used += 1;
                    for lang in Lang::ALL {
                        // A literal is a key, or the stem of keys built from it
                        // (`email.verify` + `.subject`).
                        let stem = format!("{literal}.");
                        let table = lang.table();
                        if !table.contains_key(literal) && !table.keys().any(|k| k.starts_with(&stem)) {
                            missing.push(format!("{} in {}: {literal}", lang.code(), path.display()));
                        }
                    }
                }
            }
        }
        assert!(used > 50, "the scan found only {used} keys; is it still looking in the right place?");
        assert!(missing.is_empty(), "keys without a translation:\n{}", missing.join("\n"));
    }

    /// Every Rust source file of the crate, with its text.
    fn source_files() -> Vec<(std::path::PathBuf, String)> {
        let mut out = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    out.push((path, text));
                }
            }
        }
        out
    }

    #[test]
    fn every_value_of_every_labelled_enum_has_its_label_in_both_languages() {
        use crate::shared::enums::Labelled;
        fn labels<E: Labelled>() -> Vec<&'static str> {
            E::all().iter().map(|e| e.label_key()).collect()
        }
        // Every enum declared with `labelled_enum!` belongs in this list.
        let keys: [Vec<&str>; _] = [
            labels::<crate::applications::model::Kind>(),
            labels::<crate::applications::model::Status>(),
            labels::<crate::applications::model::Action>(),
            labels::<crate::shared::identity::Role>(),
            labels::<crate::shared::values::Place>(),
            labels::<crate::shared::values::Degree>(),
            labels::<crate::shared::values::EmploymentStatus>(),
            labels::<crate::shared::values::ServiceNeed>(),
            labels::<crate::shared::values::Gender>(),
            labels::<crate::followups::Channel>(),
            labels::<crate::policy::Param>(),
            labels::<crate::vacancies::Category>(),
            labels::<crate::vacancies::Education>(),
            labels::<crate::vacancies::VacancyKind>(),
            labels::<crate::vacancies::VacancyStatus>(),
            labels::<crate::vacancies::VacancyAction>(),
            labels::<crate::vacancies::screening::RuleKind>(),
            labels::<crate::hiring::Stage>(),
            labels::<crate::employers::organisation::EmployerSize>(),
            labels::<crate::hiring::StageAction>(),
            labels::<crate::fairs::FairFormat>(),
            labels::<crate::training::TrainingLevel>(),
            labels::<crate::training::ProgrammeKind>(),
            labels::<crate::training::TrainingResult>(),
            labels::<crate::complaints::ComplaintCategory>(),
            labels::<crate::complaints::ComplaintStatus>(),
            labels::<crate::complaints::ComplaintOutcome>(),
            labels::<crate::complaints::ComplaintAction>(),
            labels::<crate::traineeship::Outcome>(),
            labels::<crate::archive::LocationKind>(),
            labels::<crate::integration::Scope>(),
            #[cfg(feature = "ssr")]
            labels::<crate::ssr::AuditAction>(),
        ]
        ;
        // A new labelled enum that is missing from the list above fails here.
        // (Declarations start a line; the macro's own test is indented and does not count.)
        let declared: usize =
            source_files().iter().map(|(_, text)| text.lines().filter(|l| l.starts_with("crate::labelled_enum! {")).count()).sum();
        assert_eq!(keys.len(), declared, "add the new labelled enum to this test's list");
        let keys = keys.concat();
        assert!(keys.len() > 60, "only {} labels found", keys.len());
        let missing: Vec<String> = Lang::ALL
            .into_iter()
            .flat_map(|lang| keys.iter().filter(move |k| !lang.table().contains_key(**k)).map(move |k| format!("{}: {k}", lang.code())))
            .collect();
        assert!(missing.is_empty(), "labels without a translation: {missing:?}");
    }

    #[test]
    fn placeholders_are_filled_in() {
        let text = tr_args(Lang::En, "error.too_many_attempts_minutes", &[("minutes", "15")]);
        assert!(text.contains("15") && !text.contains("{minutes}"), "{text}");
    }

    #[test]
    fn the_browsers_preference_picks_the_language_of_a_first_visit() {
        assert_eq!(lang_from_accept_language("en-US,en;q=0.9"), Some(Lang::En));
        assert_eq!(lang_from_accept_language("fr-FR,en;q=0.5,zh-CN;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(lang_from_accept_language("zh-TW,zh;q=0.9,en;q=0.8"), Some(Lang::ZhCn));
        assert_eq!(lang_from_accept_language("fr,de;q=0.5"), None);
        assert_eq!(lang_from_accept_language("en;q=0, zh;q=0.1"), Some(Lang::ZhCn));
        assert_eq!(lang_from_accept_language(""), None);
    }

    #[test]
    fn the_cookie_header_picks_the_language() {
        assert_eq!(lang_from_cookie_header("a=1; lang=en; b=2"), Some(Lang::En));
        assert_eq!(lang_from_cookie_header("lang=zh-CN"), Some(Lang::ZhCn));
        assert_eq!(lang_from_cookie_header("lang=xx"), None);
        assert_eq!(lang_from_cookie_header(""), None);
    }
}
