//! `menkyo verify`: check a submission file and print the verdict.

use std::io::Read;
use std::path::Path;

use menkyo_core::profile::SUBMISSION_MAX;
use menkyo_core::{
    Context, DRIVING_HISTORY_WARNING, Date, Limit, Report, Status, Submission, TrustStore, UnixTime, Verdict, verify,
};

use crate::exit;

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

/// The counter summary: verdict, what it does not prove, licence, holder, then each check.
pub(crate) fn summary(r: &Report) -> String {
    let mut out = String::new();
    let (ja, en) = r.verdict().words();
    out.push_str(&format!("判定 verdict: {ja} {en}\n"));
    if r.limits().contains(&Limit::NotADrivingLicence) {
        out.push_str(&format!(
            "注意 warning: {} (driving-history record — not a driving licence)\n",
            DRIVING_HISTORY_WARNING
        ));
    }
    let limits: Vec<Limit> = r.limits().iter().copied().filter(|l| *l != Limit::NotADrivingLicence).collect();
    if !limits.is_empty() {
        out.push_str("この判定で証明されないこと what this verdict does not prove:\n");
        for l in limits {
            let w = l.words();
            out.push_str(&format!("  - {} / {} [{}]\n", w.ja, w.en, l.as_str()));
        }
    }
    if let Some(l) = r.licence() {
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
        if let Some(a) = &l.authority {
            out.push_str(&format!("公安委員会 issued by: {a}\n"));
        }
        if let Some(i) = &l.issued {
            out.push_str(&format!("交付 issued: {i}\n"));
        }
        if !l.changes.is_empty() {
            out.push_str("裏面の記載事項変更（署名なし） changes on the back (not signed):\n");
            for ch in &l.changes {
                let date = ch.date.map_or_else(|| "?".to_string(), |d| d.to_iso());
                out.push_str(&format!("  {} {}: {} ({})\n", ch.kind, date, ch.value, ch.authority));
            }
        }
        if let Some(h) = &l.honseki {
            out.push_str(&format!("本籍 registered domicile: {h}\n"));
        }
    }
    if let Some(h) = r.holder() {
        out.push_str(&format!("氏名 name: {}\n", h.name));
        if let Some(k) = &h.kana {
            out.push_str(&format!("呼び名 kana: {k}\n"));
        }
        out.push_str(&format!("住所 address: {}\n", h.address));
        let age = h.age.map(|a| format!(" ({a}歳 age {a})")).unwrap_or_default();
        out.push_str(&format!("生年月日 birth date: {}{age}\n", h.birth_date));
    }
    if let Some(k) = r.kenkaku() {
        let age = k.age.map(|a| format!(" ({a}歳 age {a})")).unwrap_or_default();
        out.push_str(&format!("生年月日（年齢記録） birth date (age record): {}{age}\n", k.birth_date));
    }
    out.push_str("確認項目 checks:\n");
    for c in r.checks() {
        let mark = match c.status() {
            Status::Valid => "OK ",
            Status::Invalid => "NG ",
            Status::Unchecked => "-- ",
        };
        let w = c.id().words();
        out.push_str(&format!("  {mark}{} {}: {}\n", w.ja, w.en, c.detail()));
    }
    out
}

pub(crate) fn run(trust: Option<&Path>, at: Option<&str>, json: bool, file: &Path) -> Result<u8, String> {
    let store = trust_store(trust)?;
    let when = instant(at)?;
    let submission = read_submission(file)?;
    // A file from elsewhere, and no challenge ledger here: freshness is never claimed.
    let verification = verify(&submission, &store, &Context::submission(when)).map_err(|e| e.to_string())?;
    let report = verification.report();
    let text = if json { format!("{}\n", report.to_json_pretty()) } else { summary(report) };
    crate::exit::emit(&text)?;
    Ok(exit_code(report.verdict()))
}
