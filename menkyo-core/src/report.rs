//! The verification report (`menkyo-report/1`, interfaces.md §3). Only [`crate::verify`] makes
//! one, and nothing outside this crate can change it: fields are read through methods.

use serde::Serialize;

use crate::check::{Check, CheckId, Status};
use crate::date::Date;
use crate::limit::{Limit, Source};

/// The `format` value of this version.
pub const REPORT_FORMAT: &str = "menkyo-report/1";

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

    /// The verdict as a person reads it, Japanese first.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            Verdict::Valid => ("有効", "VALID"),
            Verdict::Invalid => ("無効", "INVALID"),
            Verdict::Incomplete => ("確認できず", "INCOMPLETE"),
        }
    }

    /// The verdict of a set of checks: any invalid → invalid, else any unchecked → incomplete;
    /// no checks at all (no card data) → incomplete: nothing was shown to hold.
    pub(crate) fn of(checks: &[Check]) -> Verdict {
        if checks.iter().any(|c| c.status() == Status::Invalid) {
            Verdict::Invalid
        } else if checks.is_empty() || checks.iter().any(|c| c.status() == Status::Unchecked) {
            Verdict::Incomplete
        } else {
            Verdict::Valid
        }
    }
}

/// A category as printed on the card, with whether it is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryView {
    pub name: &'static str,
    pub held: bool,
    /// The date first licensed in this category (IC licence only: the マイナ免許証 has flags).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<Date>,
}

/// 免許の年月日, keyed as on the card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirstLicensedView {
    #[serde(rename = "二・小・原")]
    pub two_small_moped: Option<Date>,
    #[serde(rename = "他")]
    pub other: Option<Date>,
    #[serde(rename = "二種")]
    pub class2: Option<Date>,
}

/// The portrait: its size, and the JPEG when it was asked for and could be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhotoView {
    pub format: &'static str,
    pub bytes: usize,
    /// Base64 JPEG (`?portrait=jpeg`, the counter): only set by this crate, and only for a
    /// portrait whose signature verified or that was read from the card just now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jpeg: Option<String>,
}

/// A change written on the back of an IC licence: shown, never merged into signed fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeView {
    pub kind: &'static str,
    pub date: Option<Date>,
    pub value: String,
    pub authority: String,
    /// Always false: no signature covers the changes (ic-licence.md §6).
    pub signed: bool,
}

/// The licence section of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenceView {
    /// `mynumber_card` (licence AP) or `ic_licence` (conventional IC licence).
    pub card: &'static str,
    /// `licence` or `driving_history` (マイナ経歴証明書: no driving licence).
    pub profile: crate::licence::Holder,
    pub number: Option<String>,
    pub colour_class: String,
    pub expiry: Option<Date>,
    pub expired: bool,
    pub conditions: Vec<String>,
    pub remarks: Vec<String>,
    pub categories: Vec<CategoryView>,
    pub first_licensed: FirstLicensedView,
    pub photo: PhotoView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driving_history_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driving_history_recorded: Option<Date>,
    /// IC licence: 交付年月日.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<Date>,
    /// IC licence: the issuing Public Safety Commission (公安委員会).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// IC licence: changes written on the back, not signed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeView>,
    /// IC licence: 本籍, only when the caller asked for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub honseki: Option<String>,
}

/// The holder section: from the input-assist AP, or from the IC licence's signed EF01.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HolderView {
    pub name: String,
    /// IC licence only: 呼び名 (kana).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kana: Option<String>,
    pub address: String,
    pub birth_date: String,
    /// Not recorded on the IC licence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<&'static str>,
    pub age: Option<u16>,
}

/// The kenkaku age record: birth date only (no name, no number).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KenkakuView {
    pub birth_date: String,
    pub age: Option<u16>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    format: &'static str,
    verdict: Verdict,
    checked_at: String,
    source: Source,
    limits: Vec<Limit>,
    checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    licence: Option<LicenceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    holder: Option<HolderView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kenkaku: Option<KenkakuView>,
}

/// The parts of a report, for [`crate::verify`].
#[derive(Debug)]
pub(crate) struct Parts {
    pub(crate) checked_at: String,
    pub(crate) source: Source,
    pub(crate) limits: Vec<Limit>,
    pub(crate) checks: Vec<Check>,
    pub(crate) licence: Option<LicenceView>,
    pub(crate) holder: Option<HolderView>,
    pub(crate) kenkaku: Option<KenkakuView>,
}

impl Report {
    /// The verdict follows from the checks; limits are listed once each, in [`Limit::ALL`] order.
    pub(crate) fn new(mut p: Parts) -> Self {
        p.limits.sort_unstable();
        p.limits.dedup();
        Self {
            format: REPORT_FORMAT,
            verdict: Verdict::of(&p.checks),
            checked_at: p.checked_at,
            source: p.source,
            limits: p.limits,
            checks: p.checks,
            licence: p.licence,
            holder: p.holder,
            kenkaku: p.kenkaku,
        }
    }

    pub fn verdict(&self) -> Verdict {
        self.verdict
    }

    pub fn checked_at(&self) -> &str {
        &self.checked_at
    }

    pub fn source(&self) -> Source {
        self.source
    }

    /// What this report does not prove; empty is the strongest statement.
    pub fn limits(&self) -> &[Limit] {
        &self.limits
    }

    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The check `id`, if it was made.
    pub fn check(&self, id: CheckId) -> Option<&Check> {
        self.checks.iter().find(|c| c.id() == id)
    }

    /// The checks that are invalid.
    pub fn failed(&self) -> Vec<CheckId> {
        self.checks.iter().filter(|c| c.status() == Status::Invalid).map(Check::id).collect()
    }

    pub fn licence(&self) -> Option<&LicenceView> {
        self.licence.as_ref()
    }

    pub fn holder(&self) -> Option<&HolderView> {
        self.holder.as_ref()
    }

    pub fn kenkaku(&self) -> Option<&KenkakuView> {
        self.kenkaku.as_ref()
    }

    #[cfg(feature = "portrait")]
    pub(crate) fn photo_mut(&mut self) -> Option<&mut PhotoView> {
        self.licence.as_mut().map(|l| &mut l.photo)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
