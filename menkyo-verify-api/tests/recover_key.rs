//! `menkyo trust recover-key` on test-vector cards: one key is recovered exactly (form, hash
//! and key identifier named) for both licence cards; cards of two keys give no key at all.
//! Each recovery is one gcd of 134-million-bit numbers: about 45 s here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn recover(files: &[PathBuf]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_menkyo")).args(["trust", "recover-key"]).args(files).output().unwrap()
}

fn private_key(rel: &str) -> rsa::RsaPrivateKey {
    let pem = std::fs::read_to_string(vectors().join(rel)).unwrap();
    rsa::RsaPrivateKey::from_pkcs8_pem(&pem[pem.find("-----BEGIN").unwrap()..]).unwrap()
}

fn signer_modulus_hex() -> String {
    let n = private_key("keys/licence-signer-01.key.pem").n().to_bytes_be();
    n.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn recovers_the_signer_of_two_ic_licences() {
    let out = recover(&[
        vectors().join("ic-personas/ic01-spec-006/submission.json"),
        vectors().join("ic-personas/ic05-gaiji-name/submission.json"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        format!("modulus: {}\nhash: sha256\nform: tlv\nkey_identifier: matches sha256\n", signer_modulus_hex())
    );
}

#[test]
fn recovers_the_signer_of_two_mynumber_licences_and_writes_the_trust_file() {
    let dir = std::env::temp_dir().join(format!("menkyo-recover-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo"))
        .args(["trust", "recover-key", "--out"])
        .arg(&dir)
        .arg(vectors().join("personas/p01-standard/submission.json"))
        .arg(vectors().join("personas/p08-driving-history/submission.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with(&format!("modulus: {}\n", signer_modulus_hex())), "{text}");
    assert!(text.ends_with("hash: sha256\nform: tlv\nkey_identifier: matches sha256\n"));
    // The written key, as a bare signer key of a trust directory, verifies the cards.
    let written: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(written.len(), 1);
    let trust = dir.join("trust");
    std::fs::create_dir_all(trust.join("licence")).unwrap();
    std::fs::rename(&written[0], trust.join("licence").join(written[0].file_name().unwrap())).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo"))
        .args(["verify", "--at", "2026-11-23", "--json", "--trust"])
        .arg(&trust)
        .arg(vectors().join("ic-personas/ic02-spec-008/submission.json"))
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let checks = report["checks"].as_array().unwrap();
    let signer = checks.iter().find(|c| c["name"] == "ic_licence.signer_certificate").unwrap();
    assert_eq!(signer["status"], "valid");
    assert_eq!(signer["detail"], "trusted key, no certificate");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn cards_of_two_keys_give_no_key() {
    // p02's licence data with a WEF03 signed by a second TEST ONLY signer.
    let mut sub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors().join("personas/p02-all-categories/submission.json")).unwrap())
            .unwrap();
    let wef02 = STANDARD.decode(sub["licence"]["wef02"].as_str().unwrap()).unwrap();
    let wef03 = STANDARD.decode(sub["licence"]["wef03"].as_str().unwrap()).unwrap();
    let other = private_key("keys/licence-signer-02.key.pem");
    let signature = other.sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &sha2::Sha256::digest(&wef02)).unwrap();
    // WEF03 starts with tag 0108 and a 256-byte value (82 01 00): the signature, replaced.
    assert_eq!(&wef03[..5], &[0x01, 0x08, 0x82, 0x01, 0x00]);
    let forged = [&wef03[..5], &signature, &wef03[5 + 256..]].concat();
    sub["licence"]["wef03"] = STANDARD.encode(forged).into();
    let path = std::env::temp_dir().join(format!("menkyo-recover-other-{}.json", std::process::id()));
    std::fs::write(&path, sub.to_string()).unwrap();
    let out = recover(&[vectors().join("personas/p01-standard/submission.json"), path.clone()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, b"", "nothing that looks like a key");
    assert!(String::from_utf8(out.stderr).unwrap().contains("not all signed by one key"));
}

use sha2::Digest as _;
