//! Cross-checks the committed vectors with RustCrypto directly (not menkyo's verifier): every
//! persona's signatures hold, and each tampered vector breaks exactly the checks its manifest
//! entry names. The IC licence signatures are opened with the bare RSA operation (s^e mod n)
//! so that the hash and the signed form are found independently of the decoders' helpers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use der::{Decode, DecodePem};
use menkyo_core::ic_licence::{Entries, Signature as Ef07};
use menkyo_core::kenhojo::{CardKey, CvCertificate, Ef0002, Ef0003, RsaPublicKeyParts};
use menkyo_core::licence::{Wef02, Wef03};
use menkyo_core::{IcLicenceFiles, Submission};
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::Value;
use sha2::{Digest, Sha256, Sha384, Sha512};
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

/// DigestInfo prefixes (RFC 8017 §9.2 note 1).
const DIGEST_INFOS: [(&str, &[u8]); 4] = [
    ("sha1", &[0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14]),
    (
        "sha256",
        &[
            0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
            0x20,
        ],
    ),
    (
        "sha384",
        &[
            0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04,
            0x30,
        ],
    ),
    (
        "sha512",
        &[
            0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
            0x40,
        ],
    ),
];

fn digest(hash: &str, msg: &[u8]) -> Vec<u8> {
    match hash {
        "sha1" => aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, msg).as_ref().to_vec(),
        "sha256" => Sha256::digest(msg).to_vec(),
        "sha384" => Sha384::digest(msg).to_vec(),
        "sha512" => Sha512::digest(msg).to_vec(),
        other => panic!("{other}"),
    }
}

/// The DigestInfo inside an RSASSA-PKCS1-v1_5 signature: s^e mod n, without the
/// `00 01 FF… 00` padding; `None` when that padding is not there.
fn digest_info(key: &RsaPublicKey, sig: &[u8]) -> Option<Vec<u8>> {
    let s = BigUint::from_bytes_be(sig);
    if sig.len() != key.size() || &s >= key.n() {
        return None;
    }
    let m = s.modpow(key.e(), key.n()).to_bytes_be();
    let mut em = vec![0u8; key.size() - m.len()];
    em.extend_from_slice(&m);
    let ff = em[2..].iter().take_while(|&&b| b == 0xFF).count();
    (em[0] == 0 && em[1] == 1 && ff >= 8 && em.get(2 + ff) == Some(&0)).then(|| em[3 + ff..].to_vec())
}

/// An IC licence EF up to its `FF` padding (1-byte tags, `nn` / `81 nn` / `82 hh ll` lengths).
fn ic_tlv(raw: &[u8]) -> &[u8] {
    let mut i = 0;
    while i < raw.len() && raw[i] != 0xFF {
        let (len, hdr) = match raw[i + 1] {
            0x81 => (usize::from(raw[i + 2]), 2),
            0x82 => (usize::from(raw[i + 2]) * 256 + usize::from(raw[i + 3]), 3),
            n => (usize::from(n), 1),
        };
        i += 1 + hdr + len;
    }
    &raw[..i]
}

/// DF2/EF01 up to its padding: `5F 40 82 hh ll` and the codestream.
fn photo_tlv(raw: &[u8]) -> &[u8] {
    assert_eq!(&raw[..3], &[0x5F, 0x40, 0x82]);
    &raw[..5 + usize::from(raw[3]) * 256 + usize::from(raw[4])]
}

/// The hash and the form (ic-licence.md §6) under which `sig` of `key` signs EF01 ‖ EF02 ‖ photo.
fn ic_signed_as(
    key: &RsaPublicKey,
    ef01: &[u8],
    ef02: &[u8],
    photo: &[u8],
    sig: &[u8],
) -> Option<(&'static str, &'static str)> {
    let info = digest_info(key, sig)?;
    let (hash, prefix) = DIGEST_INFOS.into_iter().find(|(_, p)| info.starts_with(p))?;
    let tlv = [ic_tlv(ef01), ic_tlv(ef02), photo_tlv(photo)].concat();
    let whole = [ef01, ef02, photo].concat();
    [("tlv", tlv), ("whole", whole)]
        .into_iter()
        .find(|(_, msg)| info[prefix.len()..] == digest(hash, msg)[..])
        .map(|(form, _)| (hash, form))
}

/// The IC licence checks that fail and those left unchecked (the cross-check of interfaces.md §3).
fn ic_checks(
    ic: &IcLicenceFiles,
    a: &Anchors,
    at: menkyo_core::Date,
) -> (BTreeSet<&'static str>, BTreeSet<&'static str>) {
    let (mut failed, mut unchecked) = (BTreeSet::new(), BTreeSet::new());
    let ef07 = Ef07::decode(&ic.ef07).unwrap();
    match (&ic.ef02, &ic.photo) {
        (Some(ef02), Some(photo)) => {
            if ef07.key_id != a.signer_ski {
                failed.extend(["ic_licence.signature", "ic_licence.signer_certificate"]);
            } else if !matches!(ic_signed_as(&a.signer, &ic.ef01, ef02, photo, &ef07.value), Some((h, _)) if h != "sha1")
            {
                failed.insert("ic_licence.signature");
            }
        }
        // Without PIN2 there is no 本籍 and no photo: nothing to verify the signature over.
        _ => unchecked.extend(["ic_licence.signature", "ic_licence.signer_certificate"]),
    }
    if Entries::decode(&ic.ef01).unwrap().expiry().unwrap().to_gregorian() < at {
        failed.insert("ic_licence.expiry");
    }
    (failed, unchecked)
}

fn verify_at() -> menkyo_core::Date {
    manifest()["verify_at"].as_str().unwrap().parse().unwrap()
}

/// The names of the checks that fail for a submission (a cross-check, not the product's verifier).
fn failed_checks(s: &Submission, a: &Anchors) -> BTreeSet<&'static str> {
    if let Some(ic) = &s.ic_licence {
        return ic_checks(ic, a, verify_at()).0;
    }
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

fn strings(v: &Value) -> BTreeSet<&str> {
    v.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect()
}

#[test]
fn ic_personas_are_signed_by_the_licence_signer() {
    let m = manifest();
    let a = anchors();
    let at = verify_at();
    let ic_personas = m["ic_personas"].as_array().unwrap();
    assert!(ic_personas.len() >= 10);
    for p in ic_personas {
        let id = p["id"].as_str().unwrap();
        let file = |df: &str, ef: &str| fs::read(dir().join(p["paths"][df][ef].as_str().unwrap())).unwrap();
        // The card's own files, whatever the holder knows: SHA-256 over the TLV form.
        let (ef01, ef02, photo, ef07) =
            (file("df1", "ef01"), file("df1", "ef02"), file("df2", "ef01"), file("df1", "ef07"));
        let ef07 = Ef07::decode(&ef07).unwrap();
        let message = [ic_tlv(&ef01), ic_tlv(&ef02), photo_tlv(&photo)].concat();
        assert!(verifies(&a.signer, &message, &ef07.value), "{id}");
        assert_eq!(ef07.key_id, a.signer_ski, "{id}");
        assert_eq!(ic_signed_as(&a.signer, &ef01, &ef02, &photo, &ef07.value), Some(("sha256", "tlv")), "{id}");
        // Padding follows each TLV up to the EF size.
        for (raw, tlv_len, size) in [
            (&ef01, ic_tlv(&ef01).len(), 880),
            (&ef02, ic_tlv(&ef02).len(), 82),
            (&photo, photo_tlv(&photo).len(), 2005),
        ] {
            assert_eq!(raw.len(), size, "{id}");
            assert!(raw[tlv_len..].iter().all(|&b| b == 0xFF), "{id}");
        }
        // The persona's submission: the expected failures and unchecked checks.
        let s = Submission::from_json(text(p["paths"]["submission"].as_str().unwrap()).as_bytes()).unwrap();
        let (failed, unchecked) = ic_checks(s.ic_licence.as_ref().unwrap(), &a, at);
        assert_eq!(failed, strings(&p["failed_checks"]), "{id}");
        assert_eq!(unchecked, strings(&p["unchecked_checks"]), "{id}");
        let verdict = if !failed.is_empty() {
            "invalid"
        } else if !unchecked.is_empty() {
            "incomplete"
        } else {
            "valid"
        };
        assert_eq!(p["verdict"], verdict, "{id}");
    }
}

#[test]
fn ic_signature_variants_are_what_they_say() {
    let m = manifest();
    let a = anchors();
    let vector = |id: &str| -> IcLicenceFiles {
        let v = m["vectors"].as_array().unwrap().iter().find(|v| v["id"] == id).unwrap_or_else(|| panic!("{id}"));
        Submission::from_json(text(v["path"].as_str().unwrap()).as_bytes()).unwrap().ic_licence.unwrap()
    };
    let signed_as = |ic: &IcLicenceFiles, key: &RsaPublicKey| {
        let sig = Ef07::decode(&ic.ef07).unwrap().value;
        ic_signed_as(key, &ic.ef01, ic.ef02.as_ref().unwrap(), ic.photo.as_ref().unwrap(), &sig)
    };
    assert_eq!(signed_as(&vector("ic-signed-whole-form"), &a.signer), Some(("sha256", "whole")));
    assert_eq!(signed_as(&vector("ic-signed-sha384"), &a.signer), Some(("sha384", "tlv")));
    assert_eq!(signed_as(&vector("ic-signed-sha1"), &a.signer), Some(("sha1", "tlv")));
    assert_eq!(signed_as(&vector("ic-tampered-name"), &a.signer), None);
    // The card of another key: signed by licence-signer-02 (in no trust store), B6 its SKI.
    let other = RsaPrivateKey::from_pkcs8_pem(&pem("keys/licence-signer-02.key.pem")).unwrap().to_public_key();
    let ic = vector("ic-signed-by-another-key");
    assert_eq!(signed_as(&ic, &other), Some(("sha256", "tlv")));
    let spki = spki::SubjectPublicKeyInfoOwned::from_der(other.to_public_key_der().unwrap().as_bytes()).unwrap();
    let ski = Sha256::digest(spki.subject_public_key.raw_bytes()).to_vec();
    assert_eq!(Ef07::decode(&ic.ef07).unwrap().key_id, ski);
    assert_ne!(ski, a.signer_ski);
    assert!(!fs::read_dir(dir().join("trust/licence")).unwrap().any(|f| {
        let name = f.unwrap().file_name().into_string().unwrap();
        name.contains("signer-02") || name.starts_with(&ski.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }));
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
