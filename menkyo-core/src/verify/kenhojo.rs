//! The card-surface input-assist AP (EF 0002–0004, 0007) and the freshness answer of its card
//! key.

use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::check::CheckId;
use crate::crypto::{PublicKey, RsaHash};
use crate::kenhojo::{BasicFour, CardKey, CvCertificate, Ef0002, Ef0003};
use crate::submission::Submission;
use crate::trust_store::{CvAp, CvOutcome, TrustStore};
use crate::verify::{Checks, Ledger, Usage};

const FRESHNESS: [CheckId; 2] = [CheckId::FreshnessCardKey, CheckId::FreshnessSignature];

/// Reports a CV certificate outcome as the `id` check, and gives the certificate's key (kept
/// by the trust store when the certificate verified). Shared by kenhojo and kenkaku.
pub(super) fn certificate_check(
    c: &mut Checks,
    usage: &mut Usage,
    trust: &TrustStore,
    (id, ap): (CheckId, CvAp),
    cv: &CvCertificate<'_>,
) -> Arc<PublicKey> {
    let (issuer, subject) = (&cv.body.issuer, &cv.body.subject);
    let fresh = || Arc::new(PublicKey::rsa(cv.body.public_key.modulus(), cv.body.public_key.exponent()));
    match trust.verify_cv_certificate(ap, cv) {
        CvOutcome::NotConfigured => {
            c.skip(id, "no J-LIS anchors of this AP configured");
            fresh()
        }
        CvOutcome::UnknownCa => {
            c.bad(id, format!("CA key {issuer} is not in the trust store"));
            fresh()
        }
        CvOutcome::BadSignature => {
            c.bad(id, format!("CV certificate signature does not verify with CA key {issuer}"));
            fresh()
        }
        CvOutcome::Verified(key) => {
            usage.test_anchor |= trust.is_test_ca(issuer);
            c.ok(id, format!("CV certificate {subject} signed by CA key {issuer}"));
            key
        }
    }
}

/// The answer to the challenge, checked with `card_key`; refused when the ledger refused it.
pub(super) fn challenge_check(
    c: &mut Checks,
    id: CheckId,
    ledger: Ledger,
    card_key: &PublicKey,
    challenge: &[u8],
    signature: &[u8],
) {
    let verifies = card_key.verify_rsa(RsaHash::Sha256, challenge, signature);
    match (verifies, ledger) {
        (false, _) => c.bad(id, "the challenge signature does not verify with the card key"),
        (true, Ledger::Refused) => c.bad(id, "the challenge was not issued here, has expired or was already used"),
        (true, Ledger::Fresh) => c.ok(id, "the card signed this verifier's challenge"),
        (true, Ledger::None) => c.ok(id, "the card key signed the challenge; this verifier keeps no challenge ledger"),
    }
}

pub(super) fn verify(
    s: &Submission,
    trust: &TrustStore,
    ledger: Ledger,
    c: &mut Checks,
    usage: &mut Usage,
) -> Option<BasicFour> {
    // The answer of this AP's card key, when one was given.
    let answer = s.freshness.as_ref().and_then(|f| f.signature.as_deref().map(|sig| (f.challenge.as_slice(), sig)));
    let Some(k) = s.kenhojo.as_ref() else {
        if answer.is_some() {
            for id in FRESHNESS {
                c.bad(id, "freshness given without the card-surface (kenhojo) data whose card key must answer it");
            }
        }
        return None;
    };
    let parsed = Ef0002::decode(&k.ef0002)
        .map_err(|e| format!("EF 0002: {e}"))
        .and_then(|e2| Ef0003::decode(&k.ef0003).map(|e3| (e2, e3)).map_err(|e| format!("EF 0003: {e}")))
        .and_then(|(e2, e3)| {
            CvCertificate::decode(&k.ef0004).map(|cv| (e2, e3, cv)).map_err(|e| format!("EF 0004: {e}"))
        });
    let (ef2, ef3, cv) = match parsed {
        Ok(p) => p,
        Err(e) => {
            c.bad(CheckId::KenhojoParse, e);
            for id in [CheckId::KenhojoCertificate, CheckId::KenhojoSignature, CheckId::KenhojoDigest] {
                c.skip(id, "card-surface data could not be parsed");
            }
            if answer.is_some() {
                for id in FRESHNESS {
                    c.skip(id, "card-surface data could not be parsed");
                }
            }
            return None;
        }
    };
    c.ok(CheckId::KenhojoParse, "EF 0002, 0003 and 0004 decode");
    let cv_key = certificate_check(c, usage, trust, (CheckId::KenhojoCertificate, CvAp::Kenhojo), &cv);
    c.result(
        CheckId::KenhojoSignature,
        cv_key.verify_rsa(RsaHash::Sha256, ef3.signed_bytes(), &ef3.signature),
        "DF33 verifies with the EF 0004 key",
        "DF33 does not verify with the EF 0004 key",
    );
    c.result(
        CheckId::KenhojoDigest,
        Sha256::digest(ef2.digest_input)[..] == ef3.basic_four_digest[..],
        "DF32 matches the basic four",
        "DF32 does not match the basic four of EF 0002",
    );

    if let Some((challenge, signature)) = answer {
        match k.ef0007.as_deref().map(CardKey::decode) {
            None => {
                for id in FRESHNESS {
                    c.bad(id, "freshness given without EF 0007 (the card key)");
                }
            }
            Some(Err(e)) => {
                c.bad(CheckId::FreshnessCardKey, format!("EF 0007: {e}"));
                c.bad(CheckId::FreshnessSignature, "no card key to check the answer with");
            }
            Some(Ok(card)) => {
                c.result(
                    CheckId::FreshnessCardKey,
                    cv_key.verify_rsa(RsaHash::Sha256, card.signed_bytes(), &card.signature),
                    "EF 0007 card key certified by the EF 0004 key",
                    "EF 0007 DF52 does not verify with the EF 0004 key",
                );
                let card_key = PublicKey::rsa(card.public_key.modulus(), card.public_key.exponent());
                challenge_check(c, CheckId::FreshnessSignature, ledger, &card_key, challenge, signature);
            }
        }
    }
    Some(ef2.info)
}
