//! The counter's record of a read: one CSV row (with a header) written next to the portrait,
//! mode 0600 by the caller. Fields come from the verified report; nothing is logged. The
//! columns depend on the card:
//!
//! ```text
//! マイナ免許証:  captured_at, verdict, failed_checks, limits, licence_profile, licence_number,
//!               colour_class, expiry, expired, categories, conditions, name, address,
//!               birth_date, sex, age, photo_bytes
//! IC licence:   captured_at, verdict, failed_checks, limits, card, licence_number,
//!               colour_class, expiry, expired, categories (name:since), conditions,
//!               authority, issued, name, kana, birth_date, age, address,
//!               changes (kind date value authority, not signed), honseki (only when asked),
//!               photo_bytes
//! ```
//! Lists are space separated, conditions and changes ` / ` separated.

use menkyo_core::{LicenceView, Report};

/// The header of a マイナ免許証 record.
pub const COLUMNS: [&str; 17] = [
    "captured_at",
    "verdict",
    "failed_checks",
    "limits",
    "licence_profile",
    "licence_number",
    "colour_class",
    "expiry",
    "expired",
    "categories",
    "conditions",
    "name",
    "address",
    "birth_date",
    "sex",
    "age",
    "photo_bytes",
];

/// The header of a conventional IC licence record.
pub const IC_COLUMNS: [&str; 21] = [
    "captured_at",
    "verdict",
    "failed_checks",
    "limits",
    "card",
    "licence_number",
    "colour_class",
    "expiry",
    "expired",
    "categories",
    "conditions",
    "authority",
    "issued",
    "name",
    "kana",
    "birth_date",
    "age",
    "address",
    "changes",
    "honseki",
    "photo_bytes",
];

fn opt(v: Option<&impl ToString>) -> String {
    v.map(ToString::to_string).unwrap_or_default()
}

fn held(l: &LicenceView) -> String {
    l.categories.iter().filter(|c| c.held).map(|c| c.name).collect::<Vec<_>>().join(" ")
}

/// The CSV file for one read.
pub fn csv(captured_at: &str, report: &Report) -> Result<Vec<u8>, csv::Error> {
    let l = report.licence();
    let h = report.holder();
    let common = [
        captured_at.to_string(),
        report.verdict().as_str().to_string(),
        report.failed().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
        report.limits().iter().map(|l| l.as_str()).collect::<Vec<_>>().join(" "),
    ];
    let age = h.and_then(|h| h.age).map(|a| a.to_string()).unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    match l.filter(|l| l.card == "ic_licence") {
        Some(l) => {
            let categories: Vec<String> = l
                .categories
                .iter()
                .filter(|c| c.held)
                .map(|c| format!("{}:{}", c.name, opt(c.since.as_ref())))
                .collect();
            let changes: Vec<String> = l
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{} {} {} {}",
                        c.kind,
                        c.date.map_or_else(|| "?".to_string(), |d| d.to_iso()),
                        c.value,
                        c.authority
                    )
                })
                .collect();
            let row = [
                l.card.to_string(),
                opt(l.number.as_ref()),
                l.colour_class.clone(),
                opt(l.expiry.as_ref()),
                l.expired.to_string(),
                categories.join(" "),
                l.conditions.join(" / "),
                opt(l.authority.as_ref()),
                opt(l.issued.as_ref()),
                h.map(|h| h.name.clone()).unwrap_or_default(),
                opt(h.and_then(|h| h.kana.as_ref())),
                h.map(|h| h.birth_date.clone()).unwrap_or_default(),
                age,
                h.map(|h| h.address.clone()).unwrap_or_default(),
                changes.join(" / "),
                opt(l.honseki.as_ref()),
                l.photo.bytes.to_string(),
            ];
            w.write_record(IC_COLUMNS)?;
            w.write_record(common.iter().chain(&row))?;
        }
        None => {
            let profile = l.map(|l| match l.profile {
                menkyo_core::licence::Holder::Licence => "licence",
                menkyo_core::licence::Holder::DrivingHistory => "driving_history",
            });
            let row = [
                profile.unwrap_or_default().to_string(),
                opt(l.and_then(|l| l.number.as_ref())),
                l.map(|l| l.colour_class.clone()).unwrap_or_default(),
                opt(l.and_then(|l| l.expiry.as_ref())),
                l.map(|l| l.expired.to_string()).unwrap_or_default(),
                l.map(held).unwrap_or_default(),
                l.map(|l| l.conditions.join(" / ")).unwrap_or_default(),
                h.map(|h| h.name.clone()).unwrap_or_default(),
                h.map(|h| h.address.clone()).unwrap_or_default(),
                h.map(|h| h.birth_date.clone()).unwrap_or_default(),
                h.and_then(|h| h.sex).unwrap_or_default().to_string(),
                age,
                l.map(|l| l.photo.bytes.to_string()).unwrap_or_default(),
            ];
            w.write_record(COLUMNS)?;
            w.write_record(common.iter().chain(&row))?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
