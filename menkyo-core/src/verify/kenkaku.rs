//! The 券面事項確認AP's age record (EF 0001, 0004) and the answer of its card key (DF12).

use crate::check::CheckId;
use crate::crypto::{PublicKey, RsaHash};
use crate::date::Date;
use crate::kenhojo::CvCertificate;
use crate::kenkaku::Ef0001;
use crate::submission::Submission;
use crate::trust_store::{CvAp, TrustStore};
use crate::verify::kenhojo::{certificate_check, challenge_check};
use crate::verify::{Checks, Ledger, Usage};

const CHECKS: [CheckId; 2] = [CheckId::KenkakuCertificate, CheckId::KenkakuSignature];

/// Verifies the age record; returns its birth date when it parsed (shown even when a check
/// failed: the verdict says so).
pub(super) fn verify(
    s: &Submission,
    trust: &TrustStore,
    ledger: Ledger,
    c: &mut Checks,
    usage: &mut Usage,
) -> Option<Date> {
    let answer =
        s.freshness.as_ref().and_then(|f| f.kenkaku_signature.as_deref().map(|sig| (f.challenge.as_slice(), sig)));
    let Some(k) = s.kenkaku.as_ref() else {
        if answer.is_some() {
            c.bad(
                CheckId::FreshnessKenkaku,
                "a kenkaku answer given without the age record whose card key must answer it",
            );
        }
        return None;
    };
    let parsed = Ef0001::decode(&k.ef0001)
        .map_err(|e| format!("EF 0001: {e}"))
        .and_then(|e1| CvCertificate::decode(&k.ef0004).map(|cv| (e1, cv)).map_err(|e| format!("EF 0004: {e}")));
    let (ef1, cv) = match parsed {
        Ok(p) => p,
        Err(e) => {
            c.bad(CheckId::KenkakuParse, e);
            for id in CHECKS {
                c.skip(id, "the age record could not be parsed");
            }
            if answer.is_some() {
                c.skip(CheckId::FreshnessKenkaku, "the age record could not be parsed");
            }
            return None;
        }
    };
    c.ok(CheckId::KenkakuParse, "EF 0001 and EF 0004 decode");
    let cv_key = certificate_check(c, usage, trust, (CheckId::KenkakuCertificate, CvAp::Kenkaku), &cv);
    c.result(
        CheckId::KenkakuSignature,
        cv_key.verify_rsa(RsaHash::Sha256, ef1.signed_bytes(), &ef1.signature),
        "DF13 verifies with the EF 0004 key: birth date and card key signed together",
        "DF13 does not verify with the EF 0004 key",
    );
    if let Some((challenge, signature)) = answer {
        let card_key = PublicKey::rsa(ef1.record.card_key.modulus(), ef1.record.card_key.exponent());
        challenge_check(c, CheckId::FreshnessKenkaku, ledger, &card_key, challenge, signature);
    }
    Some(ef1.record.birth_date)
}
