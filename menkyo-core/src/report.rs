//! The verification report (`menkyo-report/1`, interfaces.md §3).

use serde::Serialize;

/// The `format` value of this version.
pub const REPORT_FORMAT: &str = "menkyo-report/1";

/// Outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Valid,
    Invalid,
    Unchecked,
}

/// The overall answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every required check is valid.
    Valid,
    /// At least one check is invalid.
    Invalid,
    /// Nothing is invalid, but a required check could not be made (e.g. no trust anchor).
    Incomplete,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Incomplete => "incomplete",
        }
    }
}

/// One named check with its outcome and a reason a person can read (never personal data).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub status: Status,
    pub detail: String,
}

/// A category as printed on the card, with whether it is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryView {
    pub name: &'static str,
    pub held: bool,
}

/// 免許の年月日, keyed as on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstLicensedView {
    #[serde(rename = "二・小・原")]
    pub two_small_moped: Option<String>,
    #[serde(rename = "他")]
    pub other: Option<String>,
    #[serde(rename = "二種")]
    pub class2: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoView {
    pub format: &'static str,
    pub bytes: usize,
}

/// The licence section of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceView {
    /// `licence` or `driving_history` (マイナ経歴証明書: no driving licence).
    pub profile: crate::licence::Holder,
    pub number: Option<String>,
    pub colour_class: String,
    pub expiry: Option<String>,
    pub expired: bool,
    pub conditions: Vec<String>,
    pub remarks: Vec<String>,
    pub categories: Vec<CategoryView>,
    pub first_licensed: FirstLicensedView,
    pub photo: PhotoView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driving_history_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driving_history_recorded: Option<String>,
}

/// The holder section (from the input-assist AP).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolderView {
    pub name: String,
    pub address: String,
    pub birth_date: String,
    pub sex: &'static str,
    pub age: Option<u16>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub verdict: Verdict,
    pub checked_at: String,
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<LicenceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<HolderView>,
}

impl Report {
    /// The check called `name`, if it was made.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// Names of the checks that are invalid.
    pub fn failed(&self) -> Vec<&'static str> {
        self.checks.iter().filter(|c| c.status == Status::Invalid).map(|c| c.name).collect()
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
