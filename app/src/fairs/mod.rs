//! Job fairs (招聘会): case workers hold fairs, online (a link) or offline (a venue with a number
//! of booths); verified employers book a booth, graduates take a place, and both may cancel.
//! The fair's page lists the employers taking part and their listed vacancies. The day before a
//! fair, the worker queues one reminder per booth and per place ([`ssr::queue_reminders`]).
//!
//! Capacity lives in the database: a booking counts itself into the fair's row with a
//! conditional UPDATE, which both databases run one at a time per row (see migration 0008), so
//! a hundred simultaneous bookings for ten booths give exactly ten booths.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// Where a fair takes place.
    pub enum FairFormat: "fair_format" {
        /// At a venue, with a number of booths.
        Offline = "offline",
        /// On the web, at a link.
        Online = "online",
    }
}

/// One fair, as its page and the lists show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Fair {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub format: FairFormat,
    /// The address of an offline fair.
    pub venue: String,
    /// Where an online fair is held.
    pub link: String,
    /// `YYYY-MM-DD` (China Standard Time).
    pub held_on: String,
    /// `HH:MM`.
    pub starts_at: String,
    pub ends_at: String,
    /// Booths for employers; `None`: no limit.
    pub booth_count: Option<i64>,
    pub booths_taken: i64,
    /// Places for graduates; `None`: no limit.
    pub seat_count: Option<i64>,
    pub seats_taken: i64,
}

impl Fair {
    /// Still to come (today counts): bookings and registrations are open.
    pub fn is_upcoming(&self, today: &str) -> bool {
        self.held_on.as_str() >= today
    }

    /// `2026-12-05 09:00–12:00`.
    pub fn when(&self) -> String {
        format!("{} {}–{}", self.held_on, self.starts_at, self.ends_at)
    }

    /// Where it is: the venue, or the link of an online fair.
    pub fn place(&self) -> &str {
        match self.format {
            FairFormat::Offline => &self.venue,
            FairFormat::Online => &self.link,
        }
    }
}

/// The fairs list: upcoming first (soonest first), then past ones (latest first).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairList {
    pub upcoming: Vec<Fair>,
    pub past: Vec<Fair>,
}

/// A listed vacancy of an employer at a fair.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VacancyLink {
    pub id: i64,
    pub title: String,
}

/// An employer with a booth, and its listed vacancies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub employer_id: i64,
    pub name: String,
    pub vacancies: Vec<VacancyLink>,
}

/// What the reader of a fair's page may do there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Viewer {
    /// Not signed in: a hint to sign in.
    #[default]
    Anyone,
    /// A graduate, with or without a place.
    Graduate { registered: bool },
    /// A member of an employer, with or without a booth; only a verified employer books.
    Employer { verified: bool, booked: bool },
    /// A case worker or admin: the edit link.
    Staff,
}

/// A fair's page: the fair, who takes part, and what the reader may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairPage {
    pub fair: Fair,
    pub participants: Vec<Participant>,
    pub viewer: Viewer,
    /// Bookings and registrations are open (the fair is today or later).
    pub open: bool,
}

/// `HH:MM` on a 24-hour clock, as `<input type="time">` sends it (seconds, if sent, are dropped).
pub fn parse_time(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("validation.required");
    }
    let mut parts = raw.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else { return Err("fair.time_invalid") };
    let seconds_ok = parts.next().is_none_or(|s| s.len() == 2 && s.parse::<u32>().is_ok_and(|s| s < 60)) && parts.next().is_none();
    match (h.len(), m.len(), h.parse::<u32>(), m.parse::<u32>()) {
        (2, 2, Ok(h), Ok(m)) if h < 24 && m < 60 && seconds_ok => Ok(format!("{h:02}:{m:02}")),
        _ => Err("fair.time_invalid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_as_a_browser_sends_them_and_nothing_else() {
        assert_eq!(parse_time("09:30").as_deref(), Ok("09:30"));
        assert_eq!(parse_time(" 23:59:00 ").as_deref(), Ok("23:59"));
        assert_eq!(parse_time(""), Err("validation.required"));
        for bad in ["9:30", "24:00", "12:60", "12", "12:3a", "12:30:99", "12:30:00:00", "１２:３０"] {
            assert_eq!(parse_time(bad), Err("fair.time_invalid"), "{bad}");
        }
    }

    #[test]
    fn a_fair_is_open_until_its_day_is_over() {
        let fair = Fair {
            id: 1,
            title: "t".into(),
            description: String::new(),
            format: FairFormat::Online,
            venue: String::new(),
            link: "https://meeting.example/fair".into(),
            held_on: "2026-12-05".into(),
            starts_at: "09:00".into(),
            ends_at: "12:00".into(),
            booth_count: None,
            booths_taken: 0,
            seat_count: None,
            seats_taken: 0,
        };
        assert!(fair.is_upcoming("2026-12-04") && fair.is_upcoming("2026-12-05"));
        assert!(!fair.is_upcoming("2026-12-06"));
        assert_eq!(fair.when(), "2026-12-05 09:00–12:00");
        assert_eq!(fair.place(), "https://meeting.example/fair");
    }
}
