//! Personnel archives (人事档案): where each graduate's archive is kept (a school, the public
//! talent service of a place, an employer) and every movement between them.
//!
//! Case workers record archives one by one or import the school's or the provincial system's
//! export as CSV (`import.rs`: a dry run that names every rejected row, then the import of the
//! good ones). A holder is named by the resident ID number, stored the way profiles store it
//! (sealed, a keyed lookup hash, a mask), so a signed-in graduate's archive is found from their
//! profile, and each movement emails and notifies the holder when they have an account.
//!
//! Anyone holding the transfer notice can look an archive up at `/archive/lookup` with the ID
//! number, the name and the notice's check code; the portal keeps only a keyed hash of the code.
//! A wrong ID number, name or code get the same answer after the same work, and lookups are
//! throttled per address and per ID number.

pub mod api;
pub mod import;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;
#[cfg(feature = "ssr")]
pub mod importing;

use crate::shared::typed::fold_width;
use crate::shared::values::Place;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// The kind of body that keeps an archive.
    pub enum LocationKind: "archive_location" {
        /// The graduate's school, until the archive is sent on.
        School = "school",
        /// The public employment and talent service of a place (公共就业人才服务机构).
        TalentService = "talent_service",
        /// An employer unit entitled to keep archives itself.
        Employer = "employer",
    }
}

/// Where an archive is, or was: the kind of keeper, its place (talent services only) and its name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub kind: LocationKind,
    pub place: Option<Place>,
    pub name: String,
}

/// An archive as the lists and pages show it (the ID number masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Archive {
    pub id: i64,
    pub holder_name: String,
    pub resident_id_masked: String,
    pub location_kind: LocationKind,
    pub location_place: Option<Place>,
    pub location_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Archive {
    pub fn location(&self) -> Location {
        Location { kind: self.location_kind, place: self.location_place, name: self.location_name.clone() }
    }
}

/// One movement of an archive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Movement {
    pub id: i64,
    pub from_kind: LocationKind,
    pub from_place: Option<Place>,
    pub from_name: String,
    pub to_kind: LocationKind,
    pub to_place: Option<Place>,
    pub to_name: String,
    /// `YYYY-MM-DD`.
    pub moved_on: String,
    pub transfer_number: String,
    pub note: String,
    /// Who recorded it (empty outside the case workers' pages).
    pub recorded_by: String,
    pub recorded_at: i64,
}

impl Movement {
    pub fn from(&self) -> Location {
        Location { kind: self.from_kind, place: self.from_place, name: self.from_name.clone() }
    }
    pub fn to(&self) -> Location {
        Location { kind: self.to_kind, place: self.to_place, name: self.to_name.clone() }
    }
}

/// An archive with its movements, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveDetail {
    pub archive: Archive,
    pub movements: Vec<Movement>,
}

/// A check code the portal just made, shown once to the case worker who is to print it on the
/// transfer notice (it is stored nowhere in a form that opens).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub archive_id: i64,
    pub holder_name: String,
    pub resident_id_masked: String,
    pub code: String,
}

/// A row of an import that will not be imported: its line in the file, why (an i18n key) and
/// what the key names (a column, or the line of the first copy).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    pub line: u64,
    pub reason: String,
    pub detail: String,
}

/// The dry run of an import, or what became of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub id: i64,
    /// Data rows in the file.
    pub rows: u64,
    /// Rows that would be imported now.
    pub good: u64,
    pub rejected: Vec<Rejected>,
    /// Set once the file was imported, with how many rows it added.
    pub imported_at: Option<i64>,
    pub imported: i64,
}

/// Where the import form posts its file (a plain multipart form, see `importing.rs`).
pub const IMPORT_ENDPOINT: &str = "/staff/archives/upload";

/// Check codes: 10 characters without the ones people confuse (0/O, 1/I/L), about 50 bits.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LENGTH: usize = 10;

/// A check code as typed: upper case, without spaces or dashes, full-width forms folded.
pub fn normalise_code(raw: &str) -> String {
    fold_width(raw).chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect()
}

/// A name as compared at the lookup: full-width forms folded, spaces dropped, Latin letters in
/// lower case (so `Li Ming`, `LI MING` and `李 明`/`李明` each match their own record).
pub fn normalise_name(raw: &str) -> String {
    fold_width(raw).chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// `0123456789` → `01234-56789`, as printed on the notice.
pub fn grouped_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_compared_as_people_type_them() {
        assert_eq!(normalise_code(" dang-an８８９９ "), "DANGAN8899");
        assert_eq!(normalise_name(" 李　明 "), "李明");
        assert_eq!(normalise_name("Li Ming"), normalise_name("LI MING"));
        assert_ne!(normalise_name("李明"), normalise_name("李敏"));
        assert_eq!(grouped_code("DANGAN8899"), "DANGA-N8899");
    }
}
