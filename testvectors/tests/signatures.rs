//! Cross-checks the committed vectors with RustCrypto directly (not menkyo's verifier): every
//! persona's signatures hold, and each tampered vector breaks exactly the checks its manifest
//! entry names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use der::{Decode, DecodePem};
use menkyo_core::Submission;
use menkyo_core::kenhojo::{CardKey, CvCertificate, Ef0002, Ef0003, RsaPublicKeyParts};
use menkyo_core::licence::{Wef02, Wef03};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use rsa::{BigUint, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

fn text(rel: &str) -> String {
    fs::read_to_string(dir().join(rel)).unwrap()
}

/// The PEM block after the TEST ONLY banner.
fn pem(rel: &str) -> String {
    let t = text(rel);
    t[t.find("-----BEGIN").unwrap()..].to_string()
}

fn verifies(key: &RsaPublicKey, msg: &[u8], sig: &[u8]) -> bool {
    let Ok(sig) = Signature::try_from(sig) else { return false };
    VerifyingKey::<Sha256>::new(key.clone()).verify(msg, &sig).is_ok()
}

fn key_of(parts: &RsaPublicKeyParts) -> RsaPublicKey {
    RsaPublicKey::new(BigUint::from_bytes_be(parts.modulus()), BigUint::from_bytes_be(parts.exponent())).unwrap()
}

struct Anchors {
    signer: RsaPublicKey,
    signer_ski: Vec<u8>,
    cv_ca: RsaPublicKey,
    kenkaku_ca: RsaPublicKey,
}

fn anchors() -> Anchors {
    let cert = Certificate::from_pem(pem("trust/licence/licence-signer-01.pem")).unwrap();
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let signer = RsaPublicKey::from_public_key_der(&der::Encode::to_der(spki).unwrap()).unwrap();
    let ski = cert
        .tbs_certificate
        .extensions
        .as_ref()
        .unwrap()
        .iter()
        .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
        .unwrap();
    let signer_ski = der::asn1::OctetString::from_der(ski.extn_value.as_bytes()).unwrap().as_bytes().to_vec();
    let cv_ca = RsaPublicKey::from_public_key_pem(&pem("trust/kenhojo/6000033-001.pem")).unwrap();
    let kenkaku_ca = RsaPublicKey::from_public_key_pem(&pem("trust/kenkaku/6000023-001.pem")).unwrap();
    Anchors { signer, signer_ski, cv_ca, kenkaku_ca }
}

/// The names of the checks that fail for a submission (a cross-check, not the product's verifier).
fn failed_checks(s: &Submission, a: &Anchors) -> BTreeSet<&'static str> {
    let mut failed = BTreeSet::new();
    let l = s.licence.as_ref().unwrap();
    let wef02 = Wef02::decode(&l.wef02).unwrap();
    let wef03 = Wef03::decode(&l.wef03).unwrap();
    if wef03.info.subject_key_id != a.signer_ski {
        failed.insert("licence.signer_certificate");
        failed.insert("licence.signature");
    } else {
        let tlvs = &l.wef02[..wef02.tlv_end];
        let sig = &wef03.info.signature;
        if !verifies(&a.signer, tlvs, sig) && !verifies(&a.signer, &l.wef02, sig) {
            failed.insert("licence.signature");
        }
    }
    let answer = s.freshness.as_ref().and_then(|f| f.kenkaku_signature.as_ref().map(|sig| (&f.challenge, sig)));
    match &s.kenkaku {
        // An answer needs the age record whose card key must give it.
        None if answer.is_some() => {
            failed.insert("freshness.kenkaku");
        }
        None => {}
        Some(k) => {
            let cv = CvCertificate::decode(&k.ef0004).unwrap();
            if cv.body.issuer.to_string() != "6000023-001"
                || !verifies(&a.kenkaku_ca, &k.ef0004[cv.body_range.clone()], &cv.signature)
            {
                failed.insert("kenkaku.certificate");
            }
            let record = menkyo_core::kenkaku::Ef0001::decode(&k.ef0001).unwrap();
            if !verifies(&key_of(&cv.body.public_key), &k.ef0001[record.signed_range.clone()], &record.signature) {
                failed.insert("kenkaku.signature");
            }
            if let Some((challenge, sig)) = answer
                && !verifies(&key_of(&record.record.card_key), challenge, sig)
            {
                failed.insert("freshness.kenkaku");
            }
        }
    }
    let kenhojo_answer = s.freshness.as_ref().and_then(|f| f.signature.as_ref().map(|sig| (&f.challenge, sig)));
    let Some(k) = s.kenhojo.as_ref() else {
        // Freshness needs the card key of the card-surface data to be checked at all.
        if kenhojo_answer.is_some() {
            failed.insert("freshness.card_key");
            failed.insert("freshness.signature");
        }
        return failed;
    };
    let cv = CvCertificate::decode(&k.ef0004).unwrap();
    if !verifies(&a.cv_ca, &k.ef0004[cv.body_range.clone()], &cv.signature) {
        failed.insert("kenhojo.certificate");
    }
    let issuer = key_of(&cv.body.public_key);
    let ef3 = Ef0003::decode(&k.ef0003).unwrap();
    if !verifies(&issuer, &k.ef0003[ef3.signed_range.clone()], &ef3.signature) {
        failed.insert("kenhojo.signature");
    }
    let ef2 = Ef0002::decode(&k.ef0002).unwrap();
    if Sha256::digest(&k.ef0002[ef2.digest_range.clone()]).as_slice() != ef3.basic_four_digest {
        failed.insert("kenhojo.digest");
    }
    if let Some((challenge, sig)) = kenhojo_answer {
        let ef0007 = k.ef0007.as_ref().unwrap();
        let ef7 = CardKey::decode(ef0007).unwrap();
        if !verifies(&issuer, &ef0007[ef7.signed_range.clone()], &ef7.signature) {
            failed.insert("freshness.card_key");
        }
        if !verifies(&key_of(&ef7.public_key), challenge, sig) {
            failed.insert("freshness.signature");
        }
    }
    failed
}

fn manifest() -> Value {
    serde_json::from_str(&text("manifest.json")).unwrap()
}

#[test]
fn personas_are_signed_by_the_test_pki() {
    let m = manifest();
    let a = anchors();
    for p in m["personas"].as_array().unwrap() {
        let s = Submission::from_json(text(p["paths"]["submission"].as_str().unwrap()).as_bytes()).unwrap();
        assert_eq!(failed_checks(&s, &a), BTreeSet::new(), "{}", p["id"]);
        // DF31 is the digest of EF 0001 as stored on the card (never submitted).
        let ef0001 = fs::read(dir().join(p["paths"]["kenhojo"]["ef0001"].as_str().unwrap())).unwrap();
        let ef3 = Ef0003::decode(&s.kenhojo.as_ref().unwrap().ef0003).unwrap();
        assert_eq!(Sha256::digest(&ef0001).as_slice(), ef3.number_digest, "{}", p["id"]);
    }
}

#[test]
fn tampered_vectors_break_exactly_the_named_checks() {
    let m = manifest();
    let a = anchors();
    let mut seen = 0;
    for v in m["vectors"].as_array().unwrap() {
        if v["record"] != "submission" || v["expect"]["decode"] != "ok" {
            continue;
        }
        seen += 1;
        let s = Submission::from_json(text(v["path"].as_str().unwrap()).as_bytes()).unwrap();
        let want: BTreeSet<&str> =
            v["expect"]["failed_checks"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(failed_checks(&s, &a), want, "{}", v["id"]);
        assert_eq!(v["expect"]["verdict"] == "valid", want.is_empty(), "{}", v["id"]);
    }
    assert!(seen >= 12, "tampered vectors: {seen}");
}

#[test]
fn spliced_vectors_break_exactly_the_named_checks() {
    let m = manifest();
    let a = anchors();
    let spliced = m["spliced"].as_array().unwrap();
    assert!(spliced.len() >= 4);
    for v in spliced {
        let s = Submission::from_json(text(v["path"].as_str().unwrap()).as_bytes()).unwrap();
        let want: BTreeSet<&str> = v["failed_checks"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
        assert_eq!(failed_checks(&s, &a), want, "{}", v["id"]);
    }
}

#[test]
fn the_signer_chains_to_the_root() {
    let root = Certificate::from_pem(pem("trust/licence/npa-root.pem")).unwrap();
    let signer = Certificate::from_pem(pem("trust/licence/licence-signer-01.pem")).unwrap();
    let spki = &root.tbs_certificate.subject_public_key_info;
    let root_key = RsaPublicKey::from_public_key_der(&der::Encode::to_der(spki).unwrap()).unwrap();
    let tbs = der::Encode::to_der(&signer.tbs_certificate).unwrap();
    assert!(verifies(&root_key, &tbs, signer.signature.raw_bytes()));
    assert_eq!(signer.tbs_certificate.issuer, root.tbs_certificate.subject);
}
