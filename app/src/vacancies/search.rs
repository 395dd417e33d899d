//! Chinese and English full-text search that both databases index alike. The application, not
//! the database, splits text into tokens: every run of Chinese characters into overlapping
//! character pairs (财务会计 → 财务 务会 会计) plus its last character alone, so that a
//! one-character prefix query finds every character; every run of letters and digits into one
//! lower-cased word. Text is NFKC-normalised first, so full-width letters and digits typed with
//! a Chinese input method match. The tokens are stored space-separated; SQLite indexes them with
//! FTS5, PostgreSQL with a `tsvector` of the `simple` configuration (see `crate::db::Dialect`),
//! and both answer the same query the same way.
//!
//! Server only: the browser never tokenises.

use unicode_normalization::UnicodeNormalization;

/// Longest query text looked at; the rest is ignored (a pasted essay cannot cost more).
pub const MAX_QUERY_CHARS: usize = 64;
/// At most this many terms are combined into one query.
pub const MAX_TERMS: usize = 8;

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF | 0x2A700..=0x2EBEF | 0x30000..=0x3134F)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// A run of text of one script.
enum Run {
    Han(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let normal: String = text.nfkc().flat_map(char::to_lowercase).collect();
    let mut out = Vec::new();
    let mut han: Vec<char> = Vec::new();
    let mut word = String::new();
    let flush = |han: &mut Vec<char>, word: &mut String, out: &mut Vec<Run>| {
        if !han.is_empty() {
            out.push(Run::Han(std::mem::take(han)));
        }
        if !word.is_empty() {
            out.push(Run::Word(std::mem::take(word)));
        }
    };
    for c in normal.chars() {
        if is_han(c) {
            if !word.is_empty() {
                flush(&mut han, &mut word, &mut out);
            }
            han.push(c);
        } else if is_word(c) {
            if !han.is_empty() {
                flush(&mut han, &mut word, &mut out);
            }
            word.push(c);
        } else {
            flush(&mut han, &mut word, &mut out);
        }
    }
    flush(&mut han, &mut word, &mut out);
    out
}

/// The tokens to index for `text`, space-separated.
pub fn index_tokens(text: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    for run in runs(text) {
        match run {
            Run::Han(chars) => {
                for pair in chars.windows(2) {
                    tokens.push(pair.iter().collect());
                }
                tokens.push(chars[chars.len() - 1].to_string());
            }
            Run::Word(word) => tokens.push(word),
        }
    }
    tokens.join(" ")
}

pub use crate::db::TokenTerm as Term;

/// What a keyword box holds, as terms; `None` when nothing searchable is in it.
pub fn query_terms(text: &str) -> Option<Vec<Term>> {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut terms = Vec::new();
    for run in runs(&text) {
        let term = match run {
            Run::Han(chars) if chars.len() == 1 => Term::Prefix(chars[0].to_string()),
            Run::Han(chars) => Term::Phrase(chars.windows(2).map(|p| p.iter().collect()).collect()),
            Run::Word(word) => Term::Phrase(vec![word]),
        };
        if !terms.contains(&term) {
            terms.push(term);
        }
    }
    terms.truncate(MAX_TERMS);
    (!terms.is_empty()).then_some(terms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn chinese_runs_become_overlapping_pairs_and_their_last_character() {
        assert_eq!(index_tokens("财务会计助理"), "财务 务会 会计 计助 助理 理");
        assert_eq!(index_tokens("会"), "会");
        assert_eq!(index_tokens("Java开发 (3年)"), "java 开发 发 3 年");
    }

    #[test]
    fn full_width_letters_and_digits_are_the_ordinary_ones() {
        assert_eq!(index_tokens("ＪＡＶＡ１２３"), "java123");
        assert_eq!(query_terms("Ｊａｖａ"), Some(vec![Term::Phrase(vec!["java".into()])]));
    }

    #[test]
    fn queries_by_length() {
        assert_eq!(query_terms("会"), Some(vec![Term::Prefix("会".into())]));
        assert_eq!(query_terms("会计"), Some(vec![Term::Phrase(vec!["会计".into()])]));
        assert_eq!(query_terms("会计师"), Some(vec![Term::Phrase(vec!["会计".into(), "计师".into()])]));
        assert_eq!(query_terms("  %_*\"'():&|!  "), None, "only punctuation: nothing to search");
    }

    #[test]
    fn every_indexed_word_is_found_by_its_own_query_in_the_index_tokens() {
        // A phrase query's tokens appear consecutively in the indexed tokens.
        for (text, query) in [("财务会计助理", "会计"), ("高级软件工程师", "软件"), ("高级软件工程师", "软件工程"), ("Java开发", "java")] {
            let indexed = format!(" {} ", index_tokens(text));
            for term in query_terms(query).unwrap() {
                let Term::Phrase(tokens) = term else { panic!("phrase expected") };
                assert!(indexed.contains(&format!(" {} ", tokens.join(" "))), "{query} in {text}: {indexed}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_input_gives_tokens_of_letters_and_digits_only(s in "\\PC{0,200}") {
            for token in index_tokens(&s).split(' ').filter(|t| !t.is_empty()) {
                prop_assert!(token.chars().all(char::is_alphanumeric), "{token:?}");
            }
            if let Some(terms) = query_terms(&s) {
                prop_assert!(terms.len() <= MAX_TERMS);
                let q = crate::db::Dialect::Sqlite.token_query(&terms);
                prop_assert!(!q.contains("\"\""));
            }
        }
    }
}
