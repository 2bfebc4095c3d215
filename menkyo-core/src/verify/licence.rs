//! The licence AP (WEF02, WEF03): parse, signature, signer path, expiry.

use crate::check::CheckId;
use crate::crypto::RsaHash;
use crate::date::Date;
use crate::era::WarekiDate;
use crate::licence::{Holder, LicenceInfo, Wef02, Wef03};
use crate::report::{CategoryView, FirstLicensedView, LicenceView, PhotoView};
use crate::submission::LicenceFiles;
use crate::time::UnixTime;
use crate::trust_store::{SignerOutcome, TrustStore};
use crate::verify::Checks;

/// What the licence checks leave for the report.
pub(super) struct LicenceOutcome {
    /// The parsed licence data (shown even when a check failed: the verdict says so).
    pub(super) info: Option<LicenceInfo>,
    /// The signature over WEF02 (and so over the portrait) verified.
    pub(super) photo_verified: bool,
}

/// Reports a signer lookup as the `signature` and `signer_certificate` checks. Shared by both
/// licence cards; `hash_ok` says whether the hash that verified is acceptable.
pub(super) fn signer_checks(
    c: &mut Checks,
    (signature, path): (CheckId, CheckId),
    outcome: SignerOutcome,
    describe: impl FnOnce(&crate::trust_store::SignerMatch) -> String,
) -> bool {
    match outcome {
        SignerOutcome::NotConfigured => {
            c.skip(signature, "no licence (NPA) anchors configured");
            c.skip(path, "no licence (NPA) anchors configured");
            false
        }
        SignerOutcome::UnknownSigner => {
            let detail = "no certificate or key in the trust store has the signer's key identifier";
            c.bad(signature, detail);
            c.bad(path, detail);
            false
        }
        SignerOutcome::BadSignature { names } => {
            c.bad(signature, format!("the signature does not verify with the key of {}", quoted(&names)));
            c.skip(path, "no signer whose key verifies the signature");
            false
        }
        SignerOutcome::Verified(m) => {
            let ok = m.hash != RsaHash::Sha1;
            if ok {
                c.ok(signature, describe(&m));
            } else {
                c.bad(signature, format!("signed by \"{}\" with SHA-1, which offers no security today", m.name));
            }
            match m.path {
                Ok(detail) => c.ok(path, detail),
                Err(e) => c.bad(path, e.to_string()),
            }
            ok
        }
    }
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

pub(super) fn verify(files: &LicenceFiles, trust: &TrustStore, at: UnixTime, c: &mut Checks) -> LicenceOutcome {
    let parsed = Wef02::decode(&files.wef02)
        .map_err(|e| format!("WEF02: {e}"))
        .and_then(|w02| Wef03::decode(&files.wef03).map(|w03| (w02, w03)).map_err(|e| format!("WEF03: {e}")));
    let (wef02, wef03) = match parsed {
        Ok(p) => p,
        Err(e) => {
            c.bad(CheckId::LicenceParse, e);
            for id in [CheckId::LicenceSignature, CheckId::LicenceSignerCertificate, CheckId::LicenceExpiry] {
                c.skip(id, "licence data could not be parsed");
            }
            return LicenceOutcome { info: None, photo_verified: false };
        }
    };
    c.ok(
        CheckId::LicenceParse,
        format!("WEF02 {} bytes ({} trailing), WEF03 {} bytes", files.wef02.len(), wef02.trailing, files.wef03.len()),
    );

    // The TLV items first [P]; the whole EF as read only when it differs (trailing bytes).
    let (tlv, whole) = ([wef02.signed_tlv], [wef02.whole]);
    let mut messages: Vec<&[&[u8]]> = vec![&tlv];
    if wef02.trailing > 0 {
        messages.push(&whole);
    }
    let outcome = trust.verify_licence_signature(
        &wef03.info.subject_key_id,
        &messages,
        &[RsaHash::Sha256],
        &wef03.info.signature,
        at,
    );
    let tlv_end = wef02.tlv_end;
    let whole = files.wef02.len();
    let signed = signer_checks(c, (CheckId::LicenceSignature, CheckId::LicenceSignerCertificate), outcome, |m| {
        if m.message == 0 {
            format!("signed by \"{}\" over the TLV items (bytes 0..{tlv_end})", m.name)
        } else {
            format!("signed by \"{}\" over the whole EF as read ({whole} bytes)", m.name)
        }
    });

    let info = wef02.info;
    expiry_check(c, CheckId::LicenceExpiry, info.holder(), info.expiry, at.jst_date());
    LicenceOutcome { info: Some(info), photo_verified: signed }
}

/// The expiry check of either licence card: valid through the end of the last day, Japan time.
pub(super) fn expiry_check(
    c: &mut Checks,
    id: CheckId,
    holder: Holder,
    expiry: Option<WarekiDate>,
    today: Option<Date>,
) {
    match (holder, expiry, today) {
        (Holder::DrivingHistory, _, _) => c.ok(id, "driving-history record: no licence, no expiry"),
        (Holder::Licence, None, _) => c.bad(id, "no expiry date on a licence"),
        (_, _, None) => c.bad(id, "verification time outside the calendar"),
        (Holder::Licence, Some(expiry), Some(today)) => {
            let last = expiry.to_gregorian();
            if today <= last {
                c.ok(id, format!("valid through {last} (Japan time)"));
            } else {
                c.bad(id, format!("expired: last valid day was {last}"));
            }
        }
    }
}

/// An optional card date as a Gregorian date (for the report's views).
pub(super) fn gregorian(d: Option<WarekiDate>) -> Option<Date> {
    d.map(WarekiDate::to_gregorian)
}

pub(super) fn view(l: &LicenceInfo, today: Option<Date>) -> LicenceView {
    let expiry = l.expiry.map(WarekiDate::to_gregorian);
    LicenceView {
        card: "mynumber_card",
        profile: l.holder(),
        number: l.licence_number.as_ref().map(ToString::to_string),
        colour_class: l.colour_class.to_text(),
        expiry,
        expired: matches!((expiry, today), (Some(e), Some(t)) if t > e),
        conditions: l.conditions().map(crate::JisText::to_text).collect(),
        remarks: l.remarks.iter().filter(|r| !r.is_empty()).map(crate::JisText::to_text).collect(),
        categories: l
            .categories
            .iter()
            .map(|(cat, held)| CategoryView { name: cat.name_ja(), held, since: None })
            .collect(),
        first_licensed: FirstLicensedView {
            two_small_moped: gregorian(l.first_licensed.two_small_moped),
            other: gregorian(l.first_licensed.other),
            class2: gregorian(l.first_licensed.class2),
        },
        photo: PhotoView { format: "jpeg2000", bytes: l.photo.len(), jpeg: None },
        driving_history_number: l.history_number.as_ref().map(ToString::to_string),
        driving_history_recorded: gregorian(l.history_record_date),
        issued: None,
        authority: None,
        changes: Vec::new(),
        honseki: None,
    }
}
