//! The counter's record of a read: one CSV row (with a header), columns documented here and
//! in the README. Fields come from the verified report; nothing is logged.
//!
//! ```text
//! captured_at, verdict, failed_checks (space separated), licence_profile, licence_number,
//! colour_class, expiry, expired, categories (held, space separated), conditions (" / "),
//! name, address, birth_date, sex, age, photo_bytes
//! ```

use menkyo_core::Report;

/// The header row.
pub const COLUMNS: [&str; 16] = [
    "captured_at",
    "verdict",
    "failed_checks",
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

/// The CSV file for one read.
pub fn csv(captured_at: &str, report: &Report) -> Result<Vec<u8>, csv::Error> {
    let l = report.licence();
    let h = report.holder();
    let profile = l.map(|l| match l.profile {
        menkyo_core::licence::Holder::Licence => "licence",
        menkyo_core::licence::Holder::DrivingHistory => "driving_history",
    });
    let row: [String; 16] = [
        captured_at.to_string(),
        report.verdict().as_str().to_string(),
        report.failed().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
        profile.unwrap_or_default().to_string(),
        l.and_then(|l| l.number.clone()).unwrap_or_default(),
        l.map(|l| l.colour_class.clone()).unwrap_or_default(),
        l.and_then(|l| l.expiry.clone()).unwrap_or_default(),
        l.map(|l| l.expired.to_string()).unwrap_or_default(),
        l.map(|l| l.categories.iter().filter(|c| c.held).map(|c| c.name).collect::<Vec<_>>().join(" "))
            .unwrap_or_default(),
        l.map(|l| l.conditions.join(" / ")).unwrap_or_default(),
        h.map(|h| h.name.clone()).unwrap_or_default(),
        h.map(|h| h.address.clone()).unwrap_or_default(),
        h.map(|h| h.birth_date.clone()).unwrap_or_default(),
        h.and_then(|h| h.sex).unwrap_or_default().to_string(),
        h.and_then(|h| h.age).map(|a| a.to_string()).unwrap_or_default(),
        l.map(|l| l.photo.bytes.to_string()).unwrap_or_default(),
    ];
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    w.write_record(&row)?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
