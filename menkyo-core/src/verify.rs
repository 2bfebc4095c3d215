//! Verification of a submission: every check in one place, no opt-outs, time as an argument.
//!
//! ```text
//! licence.parse               WEF02 and WEF03 decode
//! licence.signature           WEF03 0108 over WEF02 (the TLV items, else the whole EF) by the
//!                             certificate whose SubjectKeyIdentifier is WEF03 010D
//! licence.signer_certificate  that certificate's chain to a self-signed root in the store
//! licence.expiry              C5: valid through the end of that day, Japan time
//! kenhojo.parse               EF 0002, 0003, 0004 (and 0007) decode
//! kenhojo.certificate         EF 0004 by the CA key its issuer key id names
//! kenhojo.signature           DF33 over DF31 TLV || DF32 TLV by the EF 0004 key
//! kenhojo.digest              DF32 = SHA-256 of EF 0002's basic four
//! freshness.card_key          EF 0007 DF52 over DF51 by the EF 0004 key
//! freshness.signature         the challenge signed by the EF 0007 key
//! ```

use sha2::{Digest, Sha256};

use crate::crypto::{PublicKey, RsaHash};
use crate::kenhojo::{BasicFour, CardKey, CvCertificate, Ef0002, Ef0003};
use crate::licence::{Holder, LicenceInfo, Wef02, Wef03};
use crate::report::{
    CategoryView, Check, FirstLicensedView, HolderView, LicenceView, PhotoView, REPORT_FORMAT, Report, Status, Verdict,
};
use crate::submission::Submission;
use crate::time::UnixTime;
use crate::trust_store::TrustStore;
use crate::{Date, WarekiDate};

/// A licence that passed every check. Only [`verify`] makes one.
#[derive(Debug, Clone)]
pub struct VerifiedLicence {
    licence: LicenceInfo,
    holder: Option<BasicFour>,
    on: Date,
}

impl VerifiedLicence {
    pub fn licence(&self) -> &LicenceInfo {
        &self.licence
    }

    /// The holder's basic four, when the input-assist AP was submitted (and verified).
    pub fn holder(&self) -> Option<&BasicFour> {
        self.holder.as_ref()
    }

    /// Whether the holder is at least `years` old on the verification date; `None` without
    /// the input-assist AP (the birth date is not on the licence AP).
    pub fn is_over(&self, years: u16) -> Option<bool> {
        let birth = self.holder.as_ref()?.birth_date;
        birth.age_on(self.on).map(|age| age >= years)
    }
}

/// The outcome of [`verify`]: the report, and the verified licence when the verdict is valid.
#[derive(Debug, Clone)]
pub struct Verification {
    report: Report,
    verified: Option<VerifiedLicence>,
}

impl Verification {
    pub fn report(&self) -> &Report {
        &self.report
    }

    pub fn verdict(&self) -> Verdict {
        self.report.verdict
    }

    /// `Some` only when the verdict is valid.
    pub fn verified(&self) -> Option<&VerifiedLicence> {
        self.verified.as_ref()
    }

    pub fn into_report(self) -> Report {
        self.report
    }
}

struct Checks(Vec<Check>);

impl Checks {
    fn push(&mut self, name: &'static str, status: Status, detail: impl Into<String>) {
        self.0.push(Check { name, status, detail: detail.into() });
    }

    fn ok(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Status::Valid, detail);
    }

    fn bad(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Status::Invalid, detail);
    }

    fn skip(&mut self, name: &'static str, detail: impl Into<String>) {
        self.push(name, Status::Unchecked, detail);
    }

    fn result(&mut self, name: &'static str, valid: bool, ok: &str, bad: &str) {
        if valid { self.ok(name, ok) } else { self.bad(name, bad) }
    }
}

fn sha256(b: &[u8]) -> [u8; 32] {
    Sha256::digest(b).into()
}

/// Verifies a submission against `trust` at the instant `at`.
pub fn verify(submission: &Submission, trust: &TrustStore, at: UnixTime) -> Verification {
    let mut c = Checks(Vec::with_capacity(10));
    let today = at.jst_date();
    let licence = verify_licence(submission, trust, at, today, &mut c);
    let holder = submission.kenhojo.as_ref().and_then(|_| verify_kenhojo(submission, trust, &mut c));
    let verdict = if c.0.iter().any(|x| x.status == Status::Invalid) {
        Verdict::Invalid
    } else if c.0.iter().any(|x| x.status == Status::Unchecked) {
        Verdict::Incomplete
    } else {
        Verdict::Valid
    };
    let report = Report {
        format: REPORT_FORMAT,
        verdict,
        checked_at: at.to_rfc3339(),
        checks: c.0,
        licence: licence.as_ref().map(|l| licence_view(l, today)),
        holder: holder.as_ref().map(|h| HolderView {
            name: h.name.clone(),
            address: h.address.clone(),
            birth_date: h.birth_date.to_string(),
            sex: h.sex.as_str(),
            age: today.and_then(|d| h.birth_date.age_on(d)),
        }),
    };
    let verified = match (verdict, licence, today) {
        (Verdict::Valid, Some(licence), Some(on)) => Some(VerifiedLicence { licence, holder, on }),
        _ => None,
    };
    Verification { report, verified }
}

fn verify_licence(
    s: &Submission,
    trust: &TrustStore,
    at: UnixTime,
    today: Option<Date>,
    c: &mut Checks,
) -> Option<LicenceInfo> {
    let parsed = Wef02::decode(&s.licence.wef02)
        .map_err(|e| format!("WEF02: {e}"))
        .and_then(|w02| Wef03::decode(&s.licence.wef03).map(|w03| (w02, w03)).map_err(|e| format!("WEF03: {e}")));
    let (wef02, wef03) = match parsed {
        Ok(p) => p,
        Err(e) => {
            c.bad("licence.parse", e);
            for name in ["licence.signature", "licence.signer_certificate", "licence.expiry"] {
                c.skip(name, "licence data could not be parsed");
            }
            return None;
        }
    };
    c.ok(
        "licence.parse",
        format!(
            "WEF02 {} bytes ({} trailing), WEF03 {} bytes",
            s.licence.wef02.len(),
            wef02.trailing,
            s.licence.wef03.len()
        ),
    );

    match trust.licence_certs() {
        None => {
            c.skip("licence.signature", "no licence (NPA) anchors configured");
            c.skip("licence.signer_certificate", "no licence (NPA) anchors configured");
        }
        Some(store) => {
            let ski = &wef03.info.subject_key_id;
            match store.iter().position(|cert| cert.ski.as_deref() == Some(ski.as_slice())) {
                None => {
                    let detail = "no certificate in the trust store has the subject key identifier of WEF03 (010D)";
                    c.bad("licence.signature", detail);
                    c.bad("licence.signer_certificate", detail);
                }
                Some(i) => {
                    let signer = store.get(i);
                    let key = signer.and_then(|s| s.key.as_ref());
                    let sig = &wef03.info.signature;
                    let tlvs = s.licence.wef02.get(..wef02.tlv_end).unwrap_or_default();
                    let verifies = |m: &[u8]| key.is_some_and(|k| k.verify_rsa(RsaHash::Sha256, m, sig));
                    let name = signer.map(|s| s.name.as_str()).unwrap_or_default();
                    if verifies(tlvs) {
                        c.ok(
                            "licence.signature",
                            format!("signed by \"{name}\" over the TLV items (bytes 0..{})", wef02.tlv_end),
                        );
                    } else if wef02.trailing > 0 && verifies(&s.licence.wef02) {
                        c.ok(
                            "licence.signature",
                            format!("signed by \"{name}\" over the whole EF as read ({} bytes)", s.licence.wef02.len()),
                        );
                    } else {
                        c.bad("licence.signature", format!("signature does not verify with the key of \"{name}\""));
                    }
                    match trust.validate_signer(i, at) {
                        Ok(()) => c.ok("licence.signer_certificate", format!("\"{name}\" chains to a trusted root")),
                        Err(e) => c.bad("licence.signer_certificate", e.to_string()),
                    }
                }
            }
        }
    }

    let info = wef02.info;
    match (info.holder(), info.expiry, today) {
        (Holder::DrivingHistory, _, _) => c.ok("licence.expiry", "driving-history record: no licence, no expiry"),
        (Holder::Licence, None, _) => c.bad("licence.expiry", "no expiry date (C5) on a licence"),
        (_, _, None) => c.bad("licence.expiry", "verification time outside the calendar"),
        (Holder::Licence, Some(expiry), Some(today)) => {
            let last = expiry.to_gregorian();
            c.result(
                "licence.expiry",
                today <= last,
                &format!("valid through {last} (Japan time)"),
                &format!("expired: last valid day was {last}"),
            );
        }
    }
    Some(info)
}

fn verify_kenhojo(s: &Submission, trust: &TrustStore, c: &mut Checks) -> Option<BasicFour> {
    let k = s.kenhojo.as_ref()?;
    let parsed = Ef0002::decode(&k.ef0002)
        .map_err(|e| format!("EF 0002: {e}"))
        .and_then(|e2| Ef0003::decode(&k.ef0003).map(|e3| (e2, e3)).map_err(|e| format!("EF 0003: {e}")))
        .and_then(|(e2, e3)| {
            CvCertificate::decode(&k.ef0004).map(|cv| (e2, e3, cv)).map_err(|e| format!("EF 0004: {e}"))
        });
    let (ef2, ef3, cv) = match parsed {
        Ok(p) => p,
        Err(e) => {
            c.bad("kenhojo.parse", e);
            for name in ["kenhojo.certificate", "kenhojo.signature", "kenhojo.digest"] {
                c.skip(name, "card-surface data could not be parsed");
            }
            if s.freshness.is_some() {
                c.skip("freshness.card_key", "card-surface data could not be parsed");
                c.skip("freshness.signature", "card-surface data could not be parsed");
            }
            return None;
        }
    };
    c.ok("kenhojo.parse", "EF 0002, 0003 and 0004 decode");

    let body = cv.body_bytes(&k.ef0004).unwrap_or_default();
    if !trust.kenhojo_configured() {
        c.skip("kenhojo.certificate", "no card-surface (J-LIS) anchors configured");
    } else {
        match trust.kenhojo_key(&cv.body.issuer) {
            None => c.bad("kenhojo.certificate", format!("CA key {} is not in the trust store", cv.body.issuer)),
            Some(ca) => c.result(
                "kenhojo.certificate",
                trust.cv_certificate_verifies(&cv.body.issuer, ca, body, &cv.signature),
                &format!("CV certificate {} signed by CA key {}", cv.body.subject, cv.body.issuer),
                &format!("CV certificate signature does not verify with CA key {}", cv.body.issuer),
            ),
        }
    }
    let cv_key = PublicKey::rsa(cv.body.public_key.modulus(), cv.body.public_key.exponent());
    c.result(
        "kenhojo.signature",
        cv_key.verify_rsa(RsaHash::Sha256, ef3.signed_bytes(&k.ef0003).unwrap_or_default(), &ef3.signature),
        "DF33 verifies with the EF 0004 key",
        "DF33 does not verify with the EF 0004 key",
    );
    c.result(
        "kenhojo.digest",
        ef2.digest_input(&k.ef0002).is_some_and(|b| sha256(b) == ef3.basic_four_digest),
        "DF32 matches the basic four",
        "DF32 does not match the basic four of EF 0002",
    );

    if let Some(f) = &s.freshness {
        match k.ef0007.as_deref().map(|raw| (raw, CardKey::decode(raw))) {
            None => {
                c.bad("freshness.card_key", "freshness given without EF 0007");
                c.skip("freshness.signature", "no card key");
            }
            Some((_, Err(e))) => {
                c.bad("freshness.card_key", format!("EF 0007: {e}"));
                c.skip("freshness.signature", "no card key");
            }
            Some((raw, Ok(card))) => {
                c.result(
                    "freshness.card_key",
                    cv_key.verify_rsa(RsaHash::Sha256, card.signed_bytes(raw).unwrap_or_default(), &card.signature),
                    "EF 0007 card key certified by the EF 0004 key",
                    "EF 0007 DF52 does not verify with the EF 0004 key",
                );
                let card_key = PublicKey::rsa(card.public_key.modulus(), card.public_key.exponent());
                c.result(
                    "freshness.signature",
                    card_key.verify_rsa(RsaHash::Sha256, &f.challenge, &f.signature),
                    "the card signed the challenge",
                    "the challenge signature does not verify with the card key",
                );
            }
        }
    }
    Some(ef2.info)
}

fn iso(d: Option<WarekiDate>) -> Option<String> {
    d.map(|d| d.to_gregorian().to_string())
}

fn licence_view(l: &LicenceInfo, today: Option<Date>) -> LicenceView {
    let expiry = l.expiry.map(WarekiDate::to_gregorian);
    LicenceView {
        profile: l.holder(),
        number: l.licence_number.as_ref().map(ToString::to_string),
        colour_class: l.colour_class.to_string(),
        expiry: expiry.map(|d| d.to_string()),
        expired: matches!((expiry, today), (Some(e), Some(t)) if t > e),
        conditions: l.conditions().map(ToString::to_string).collect(),
        remarks: l.remarks.iter().filter(|r| !r.is_empty()).map(ToString::to_string).collect(),
        categories: l.categories.iter().map(|(cat, held)| CategoryView { name: cat.name_ja(), held }).collect(),
        first_licensed: FirstLicensedView {
            two_small_moped: iso(l.first_licensed.two_small_moped),
            other: iso(l.first_licensed.other),
            class2: iso(l.first_licensed.class2),
        },
        photo: PhotoView { format: "jpeg2000", bytes: l.photo.len() },
        driving_history_number: l.history_number.as_ref().map(ToString::to_string),
        driving_history_recorded: iso(l.history_record_date),
    }
}
