//! Screening a posting for the traps the centre warns graduates about: fees or deposits asked of
//! applicants, ID documents kept by the employer, training loans, and pay far above what the
//! category pays. The word rules are data (the `screening_rules` table, edited by admins,
//! seeded from [`SEEDS`]); the pay rule reads [`super::Category::typical_max_salary`]. A posting
//! that matches anything waits for a case worker, who sees which rule matched and the words.

use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// What a screening rule looks for.
    pub enum RuleKind: "screening_kind" {
        Fee = "fee",
        Deposit = "deposit",
        IdDocument = "id_document",
        TrainingLoan = "training_loan",
        Pay = "pay",
    }
}

impl RuleKind {
    /// The kinds a word rule can have (pay is checked against the category, not by words).
    pub const WORDS: [RuleKind; 4] = [RuleKind::Fee, RuleKind::Deposit, RuleKind::IdDocument, RuleKind::TrainingLoan];
}

/// One word rule: when the posting contains `pattern` (compared after NFKC and lower-casing).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i64,
    pub kind: RuleKind,
    pub pattern: String,
    pub active: bool,
}

/// What matched in one posting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: RuleKind,
    /// The words of the posting that matched (empty for the pay rule).
    pub words: Vec<String>,
}

/// The seeded rules, from the centre's letter: (kind, pattern, a posting it must flag, a
/// posting it must leave alone). The examples are checked by a test.
pub const SEEDS: &[(RuleKind, &str, &str, &str)] = &[
    (RuleKind::Deposit, "押金", "入职需交押金500元", "公司提供住宿，入职无需缴纳任何费用"),
    (RuleKind::Deposit, "保证金", "上岗前缴纳保证金", "五险一金，包吃住"),
    (RuleKind::Fee, "培训费", "入职前缴纳培训费800元", "公司承担全部培训"),
    (RuleKind::Fee, "服装费", "工服需自付服装费", "统一发放工作服"),
    (RuleKind::Fee, "体检费", "体检费由应聘者交给公司", "入职体检后报销"),
    (RuleKind::Fee, "报名费", "报名费100元", "免费报名"),
    (RuleKind::Fee, "介绍费", "收取介绍费", "内部推荐有奖"),
    (RuleKind::IdDocument, "扣押身份证", "入职扣押身份证原件", "入职时查验身份证"),
    (RuleKind::IdDocument, "押身份证", "需押身份证一个月", "携带身份证复印件"),
    (RuleKind::IdDocument, "暂扣证件", "试用期暂扣证件", "证件齐全者优先"),
    (RuleKind::TrainingLoan, "培训贷", "可办理培训贷，先培训后上岗", "带薪培训"),
    (RuleKind::TrainingLoan, "贷款培训", "支持贷款培训", "培训期间发放补贴"),
    (RuleKind::Deposit, "deposit", "A deposit of 500 yuan is required", "No payment of any kind is required"),
    (RuleKind::Fee, "training fee", "Pay a training fee before you start", "Training is paid by the company"),
    (RuleKind::Fee, "uniform fee", "Uniform fee deducted from first salary", "Uniforms are provided"),
    (RuleKind::IdDocument, "keep your id", "We keep your ID card during probation", "Bring your ID card to the interview"),
    (RuleKind::TrainingLoan, "training loan", "A training loan covers the course", "Paid training for new staff"),
];

/// How a text is compared: full-width forms folded (NFKC) and lower-cased.
#[cfg(feature = "ssr")]
pub fn normalise(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// Screens a posting's text against the active word rules and its pay against the category.
#[cfg(feature = "ssr")]
pub fn screen(text: &str, rules: &[Rule], salary_max_yuan: i64, typical_max_yuan: i64) -> Vec<Finding> {
    let text = normalise(text);
    let mut found: Vec<Finding> = Vec::new();
    for rule in rules.iter().filter(|r| r.active) {
        let pattern = normalise(&rule.pattern);
        if pattern.is_empty() || !text.contains(&pattern) {
            continue;
        }
        match found.iter_mut().find(|f| f.kind == rule.kind) {
            Some(f) if !f.words.contains(&pattern) => f.words.push(pattern),
            Some(_) => {}
            None => found.push(Finding { kind: rule.kind, words: vec![pattern] }),
        }
    }
    // "Pay far outside the range": more than three times what the category usually pays at most.
    if salary_max_yuan > typical_max_yuan.saturating_mul(3) {
        found.push(Finding { kind: RuleKind::Pay, words: Vec::new() });
    }
    found
}

/// `text` split into (piece, matched) parts, so a page can highlight the matched words.
pub fn highlight(text: &str, words: &[String]) -> Vec<(String, bool)> {
    let lower: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let chars: Vec<char> = text.chars().collect();
    // Lower-casing can change lengths for a few scripts; then show the text as it is.
    if lower.len() != chars.len() {
        return vec![(text.to_string(), false)];
    }
    let mut marked = vec![false; chars.len()];
    for word in words.iter().filter(|w| !w.is_empty()) {
        let w: Vec<char> = word.chars().collect();
        let mut i = 0;
        while i + w.len() <= lower.len() {
            if lower[i..i + w.len()] == w[..] {
                marked[i..i + w.len()].iter_mut().for_each(|m| *m = true);
                i += w.len();
            } else {
                i += 1;
            }
        }
    }
    let mut out: Vec<(String, bool)> = Vec::new();
    for (c, m) in chars.into_iter().zip(marked) {
        match out.last_mut() {
            Some((piece, flag)) if *flag == m => piece.push(c),
            _ => out.push((c.to_string(), m)),
        }
    }
    out
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn seeded() -> Vec<Rule> {
        SEEDS.iter().enumerate().map(|(i, (kind, pattern, _, _))| Rule { id: i as i64, kind: *kind, pattern: pattern.to_string(), active: true }).collect()
    }

    #[test]
    fn every_seeded_rule_flags_its_positive_example_and_leaves_its_negative_one() {
        let rules = seeded();
        for (kind, pattern, positive, negative) in SEEDS {
            let hit = screen(positive, &rules, 5000, 8000);
            assert!(hit.iter().any(|f| f.kind == *kind && f.words.contains(&normalise(pattern))), "{pattern}: {positive} → {hit:?}");
            let miss = screen(negative, &rules, 5000, 8000);
            assert!(miss.is_empty(), "{pattern}: {negative} → {miss:?}");
        }
    }

    #[test]
    fn full_width_and_capitals_do_not_hide_a_word_and_inactive_rules_do_nothing() {
        let mut rules = seeded();
        assert_eq!(screen("A DEPOSIT is required", &rules, 5000, 8000)[0].kind, RuleKind::Deposit);
        assert_eq!(screen("Ｄｅｐｏｓｉｔ", &rules, 5000, 8000)[0].kind, RuleKind::Deposit);
        rules.iter_mut().for_each(|r| r.active = false);
        assert!(screen("押金", &rules, 5000, 8000).is_empty());
    }

    #[test]
    fn pay_far_above_the_category_is_flagged() {
        assert!(screen("", &[], 24_000, 8_000).is_empty(), "three times is still possible");
        assert_eq!(screen("", &[], 24_001, 8_000), vec![Finding { kind: RuleKind::Pay, words: vec![] }]);
    }

    #[test]
    fn matched_words_are_highlighted_in_place() {
        assert_eq!(
            highlight("需交押金和Deposit", &["押金".into(), "deposit".into()]),
            vec![("需交".into(), false), ("押金".into(), true), ("和".into(), false), ("Deposit".into(), true)]
        );
    }
}
