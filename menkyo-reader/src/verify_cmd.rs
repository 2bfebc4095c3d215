//! `menkyo verify`: check a submission file and print the verdict.

use std::io::Read;
use std::path::Path;

use menkyo_core::profile::SUBMISSION_MAX;
use menkyo_core::{Date, Report, Status, Submission, TrustStore, UnixTime, Verdict, verify};

use crate::exit;

/// Japanese and English labels of the checks, for the counter summary.
fn label(check: &str) -> &'static str {
    match check {
        "licence.parse" => "免許情報の読取 licence data",
        "licence.signature" => "免許情報の署名 licence signature",
        "licence.signer_certificate" => "署名者証明書 signer certificate",
        "licence.expiry" => "有効期限 expiry",
        "kenhojo.parse" => "券面事項の読取 card-surface data",
        "kenhojo.certificate" => "J-LIS証明書 card-surface certificate",
        "kenhojo.signature" => "券面事項の署名 card-surface signature",
        "kenhojo.digest" => "基本4情報の一致 basic four digest",
        "freshness.card_key" => "カード鍵 card key",
        "freshness.signature" => "カードの応答 card presence",
        _ => "その他 other",
    }
}

/// The trust store: `--trust DIR`, else the built-in defaults.
pub(crate) fn trust_store(dir: Option<&Path>) -> Result<TrustStore, String> {
    match dir {
        Some(d) => TrustStore::load_dir(d).map_err(|e| format!("trust store: {e}")),
        None => Ok(TrustStore::builtin()),
    }
}

/// The verification instant: 00:00 Japan time on `--at`, else now.
pub(crate) fn instant(at: Option<&str>) -> Result<UnixTime, String> {
    match at {
        Some(s) => {
            s.parse::<Date>().map(UnixTime::start_of_jst_day).map_err(|e| format!("--at: {e} (expected YYYY-MM-DD)"))
        }
        None => Ok(UnixTime::now()),
    }
}

fn read_submission(path: &Path) -> Result<Submission, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(SUBMISSION_MAX).unwrap_or(u64::MAX).saturating_add(1);
    file.take(limit).read_to_end(&mut bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Submission::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn exit_code(v: Verdict) -> u8 {
    match v {
        Verdict::Valid => exit::VALID,
        Verdict::Invalid => exit::INVALID,
        Verdict::Incomplete => exit::INCOMPLETE,
    }
}

/// The counter summary: verdict, licence, holder, then each check.
pub(crate) fn summary(r: &Report) -> String {
    let mut out = String::new();
    let verdict = match r.verdict {
        Verdict::Valid => "有効 VALID",
        Verdict::Invalid => "無効 INVALID",
        Verdict::Incomplete => "確認できず INCOMPLETE",
    };
    out.push_str(&format!("判定 verdict: {verdict}\n"));
    if let Some(l) = &r.licence {
        if l.profile == menkyo_core::licence::Holder::DrivingHistory {
            out.push_str("種別 kind: 運転経歴証明書 driving-history record (not a driving licence)\n");
        }
        if let Some(n) = &l.number {
            out.push_str(&format!("免許の番号 licence number: {n}\n"));
        }
        if let Some(e) = &l.expiry {
            let state = if l.expired { " (期限切れ expired)" } else { "" };
            out.push_str(&format!("有効期限 valid through: {e}{state}\n"));
        }
        if !l.colour_class.is_empty() {
            out.push_str(&format!("色区分 colour class: {}\n", l.colour_class));
        }
        let held: Vec<&str> = l.categories.iter().filter(|c| c.held).map(|c| c.name).collect();
        if !held.is_empty() {
            out.push_str(&format!("免許の種類 categories: {}\n", held.join(" ")));
        }
        if !l.conditions.is_empty() {
            out.push_str(&format!("免許の条件 conditions: {}\n", l.conditions.join(" / ")));
        }
    }
    if let Some(h) = &r.holder {
        out.push_str(&format!("氏名 name: {}\n住所 address: {}\n", h.name, h.address));
        let age = h.age.map(|a| format!(" ({a}歳 age {a})")).unwrap_or_default();
        out.push_str(&format!("生年月日 birth date: {}{age}\n", h.birth_date));
    }
    out.push_str("確認項目 checks:\n");
    for c in &r.checks {
        let mark = match c.status {
            Status::Valid => "OK ",
            Status::Invalid => "NG ",
            Status::Unchecked => "-- ",
        };
        out.push_str(&format!("  {mark}{}: {}\n", label(c.name), c.detail));
    }
    out
}

pub(crate) fn run(trust: Option<&Path>, at: Option<&str>, json: bool, file: &Path) -> Result<u8, String> {
    let store = trust_store(trust)?;
    let when = instant(at)?;
    let submission = read_submission(file)?;
    let verification = verify(&submission, &store, when);
    let report = verification.report();
    let text = if json { format!("{}\n", report.to_json_pretty()) } else { summary(report) };
    crate::exit::emit(&text)?;
    Ok(exit_code(report.verdict))
}
