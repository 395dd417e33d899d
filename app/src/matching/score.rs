//! How well a vacancy fits a graduate, and why: one pure function used both ways round (the
//! vacancies on a graduate's home, the graduates a case worker sees for a vacancy). The callers
//! fetch a few hundred candidates through the search indexes; this only scores them.

use crate::shared::values::{Degree, Place};
use crate::vacancies::Education;
use serde::{Deserialize, Serialize};

/// Why a vacancy was put in front of a graduate, in the order the page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reason {
    /// One of the kinds of work the graduate named is in the vacancy's text.
    Words(String),
    /// In a place the graduate said they would work in.
    PreferredPlace,
    /// In the graduate's household place (and not already a preferred place).
    HomePlace,
    /// The pay range meets the graduate's.
    Salary,
    /// The vacancy asks for some education, and the graduate's degree is enough.
    Degree,
}

/// What the graduate is looking for: their profile's intentions, degree and household place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seeker {
    pub words: Vec<String>,
    pub places: Vec<Place>,
    pub home: Option<Place>,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub degree: Option<Degree>,
}

/// The vacancy's side: its text (title and description), place, pay and required education.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer<'a> {
    pub text: &'a str,
    pub place: Place,
    pub salary_min: i64,
    pub salary_max: i64,
    pub education: Education,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fit {
    pub score: i64,
    pub reasons: Vec<Reason>,
}

const WORD: i64 = 40;
const PREFERRED_PLACE: i64 = 30;
const HOME_PLACE: i64 = 20;
const SALARY: i64 = 20;
const DEGREE: i64 = 10;
/// Words beyond the second add nothing: a vacancy naming every word of a long list is not
/// three times as good a fit.
const MAX_WORDS: usize = 2;

fn education_rank(e: Education) -> u8 {
    match e {
        Education::Any => 0,
        Education::HighSchool => 1,
        Education::JuniorCollege => 2,
        Education::Bachelor => 3,
        Education::Master => 4,
        Education::Doctorate => 5,
    }
}

fn degree_rank(d: Degree) -> u8 {
    match d {
        Degree::JuniorCollege => 2,
        Degree::Bachelor => 3,
        Degree::Master => 4,
        Degree::Doctorate => 5,
    }
}

/// Whether a graduate with `degree` may take a vacancy asking for `required`. Without a degree
/// on file, only vacancies that ask for nothing in particular.
pub fn degree_meets(degree: Option<Degree>, required: Education) -> bool {
    match degree {
        Some(d) => degree_rank(d) >= education_rank(required),
        None => required == Education::Any,
    }
}

/// The degrees that meet `required`, for a query's `IN (…)`.
pub fn degrees_meeting(required: Education) -> Vec<Degree> {
    Degree::ALL.into_iter().filter(|d| degree_meets(Some(*d), required)).collect()
}

/// How well `offer` fits `seeker`, or `None` when it does not: the degree falls short, or
/// neither a word nor a place of the graduate's matches (pay alone is not a fit).
pub fn fit(seeker: &Seeker, offer: &Offer) -> Option<Fit> {
    if !degree_meets(seeker.degree, offer.education) {
        return None;
    }
    let text = offer.text.to_lowercase();
    let mut reasons: Vec<Reason> =
        seeker.words.iter().filter(|w| !w.is_empty() && text.contains(&w.to_lowercase())).map(|w| Reason::Words(w.clone())).collect();
    let mut score = WORD * reasons.len().min(MAX_WORDS) as i64;
    if seeker.places.contains(&offer.place) {
        reasons.push(Reason::PreferredPlace);
        score += PREFERRED_PLACE;
    } else if seeker.home == Some(offer.place) {
        reasons.push(Reason::HomePlace);
        score += HOME_PLACE;
    }
    if reasons.is_empty() {
        return None;
    }
    let wants_pay = seeker.salary_min.is_some() || seeker.salary_max.is_some();
    let pay_ok = seeker.salary_min.is_none_or(|lo| offer.salary_max >= lo) && seeker.salary_max.is_none_or(|hi| offer.salary_min <= hi);
    if wants_pay && pay_ok {
        reasons.push(Reason::Salary);
        score += SALARY;
    }
    if offer.education != Education::Any {
        reasons.push(Reason::Degree);
        score += DEGREE;
    }
    Some(Fit { score, reasons })
}

/// Best fit first; among equal scores the newer (higher id) first, so the order is the same on
/// every page view and both databases.
pub fn rank<T>(mut items: Vec<(i64, Fit, T)>, limit: usize) -> Vec<(i64, Fit, T)> {
    items.sort_by(|a, b| b.1.score.cmp(&a.1.score).then(b.0.cmp(&a.0)));
    items.truncate(limit);
    items
}

/// The kinds of work a graduate typed ("会计，出纳 / java"), as words: split at commas, spaces
/// and slashes, at most five, each at most 20 characters.
pub fn intention_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in text.split(|c: char| c.is_whitespace() || ",，、;；/|".contains(c)) {
        let w: String = w.trim().chars().take(20).collect();
        if !w.is_empty() && !out.contains(&w) {
            out.push(w);
        }
    }
    out.truncate(5);
    out
}

/// The places named in a graduate's free text ("市中区、峨眉山"), given each place's names
/// (its labels, and their short forms) in lower case.
pub fn places_named(text: &str, names: &[(Place, Vec<String>)]) -> Vec<Place> {
    let text = text.to_lowercase();
    names.iter().filter(|(p, ns)| *p != Place::Other && ns.iter().any(|n| !n.is_empty() && text.contains(n.as_str()))).map(|(p, _)| *p).collect()
}

/// A place label and its short form: 峨眉山市 → 峨眉山, 市中区 → 市中, "Shizhong District" →
/// "shizhong"; lower case.
pub fn place_names(label: &str) -> Vec<String> {
    let label = label.trim().to_lowercase();
    let mut names = vec![label.clone()];
    let chars: Vec<char> = label.chars().collect();
    if chars.len() >= 3 && matches!(chars[chars.len() - 1], '区' | '县' | '市') {
        names.push(chars[..chars.len() - 1].iter().collect());
    }
    if let Some(first) = label.split_whitespace().next().filter(|f| f.len() >= 4 && *f != label) {
        names.push(first.to_string());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeker() -> Seeker {
        Seeker {
            words: vec!["会计".into(), "Java".into()],
            places: vec![Place::Emeishan],
            home: Some(Place::Shizhong),
            salary_min: Some(4000),
            salary_max: Some(6000),
            degree: Some(Degree::Bachelor),
        }
    }

    fn offer(text: &str, place: Place, pay: (i64, i64), education: Education) -> Offer<'_> {
        Offer { text, place, salary_min: pay.0, salary_max: pay.1, education }
    }

    #[test]
    fn each_reason_is_given_when_its_condition_holds() {
        let s = seeker();
        let f = fit(&s, &offer("财务会计助理", Place::Emeishan, (4500, 5500), Education::Bachelor)).unwrap();
        assert_eq!(f.reasons, vec![Reason::Words("会计".into()), Reason::PreferredPlace, Reason::Salary, Reason::Degree]);
        assert_eq!(f.score, WORD + PREFERRED_PLACE + SALARY + DEGREE);

        let f = fit(&s, &offer("JAVA开发", Place::Shizhong, (8000, 9000), Education::Any)).unwrap();
        assert_eq!(f.reasons, vec![Reason::Words("Java".into()), Reason::HomePlace], "English words in any case; no salary, no degree to meet");
    }

    #[test]
    fn a_preferred_place_that_is_also_home_counts_once() {
        let s = Seeker { places: vec![Place::Shizhong], ..seeker() };
        let f = fit(&s, &offer("导游", Place::Shizhong, (1000, 2000), Education::Any)).unwrap();
        assert_eq!(f.reasons, vec![Reason::PreferredPlace]);
    }

    #[test]
    fn no_fit_without_a_word_or_a_place_or_with_too_little_education() {
        let s = seeker();
        assert_eq!(fit(&s, &offer("导游", Place::Muchuan, (4500, 5500), Education::Any)), None, "pay alone is not a fit");
        assert_eq!(fit(&s, &offer("会计", Place::Emeishan, (4500, 5500), Education::Master)), None, "a bachelor for a master's post");
        assert!(degree_meets(Some(Degree::JuniorCollege), Education::HighSchool));
        assert!(!degree_meets(None, Education::JuniorCollege));
        assert_eq!(degrees_meeting(Education::Master), vec![Degree::Master, Degree::Doctorate]);
    }

    #[test]
    fn pay_counts_when_the_ranges_meet_and_the_graduate_gave_one() {
        let s = seeker();
        assert!(!fit(&s, &offer("会计", Place::Muchuan, (6500, 8000), Education::Any)).unwrap().reasons.contains(&Reason::Salary));
        assert!(!fit(&s, &offer("会计", Place::Muchuan, (2000, 3500), Education::Any)).unwrap().reasons.contains(&Reason::Salary));
        assert!(fit(&s, &offer("会计", Place::Muchuan, (3000, 4000), Education::Any)).unwrap().reasons.contains(&Reason::Salary));
        let no_pay = Seeker { salary_min: None, salary_max: None, ..seeker() };
        assert!(!fit(&no_pay, &offer("会计", Place::Muchuan, (3000, 4000), Education::Any)).unwrap().reasons.contains(&Reason::Salary));
    }

    #[test]
    fn ranking_puts_the_best_fit_first_and_the_newer_first_on_a_tie() {
        let s = seeker();
        let a = fit(&s, &offer("会计", Place::Emeishan, (4500, 5500), Education::Any)).unwrap();
        let b = fit(&s, &offer("出纳", Place::Shizhong, (4500, 5500), Education::Any)).unwrap();
        let c = fit(&s, &offer("会计", Place::Emeishan, (4500, 5500), Education::Any)).unwrap();
        let two_words = fit(&s, &offer("会计 java java", Place::Muchuan, (1, 2), Education::Any)).unwrap();
        let ranked = rank(vec![(1, a, "a"), (2, b, "b"), (3, c, "c"), (4, two_words, "w")], 3);
        assert_eq!(ranked.iter().map(|r| r.2).collect::<Vec<_>>(), vec!["c", "a", "w"], "90, 90 (newer first), 80");
    }

    #[test]
    fn words_and_places_are_read_from_free_text() {
        assert_eq!(intention_words("会计，出纳 / java、 会计"), vec!["会计", "出纳", "java"]);
        assert_eq!(place_names("峨眉山市"), vec!["峨眉山市", "峨眉山"]);
        assert_eq!(place_names("Shizhong District"), vec!["shizhong district", "shizhong"]);
        let names = vec![(Place::Emeishan, place_names("峨眉山市")), (Place::Shizhong, place_names("Shizhong District")), (Place::Other, vec!["其他".into()])];
        assert_eq!(places_named("想去峨眉山或者 SHIZHONG，其他也行", &names), vec![Place::Emeishan, Place::Shizhong]);
    }
}
