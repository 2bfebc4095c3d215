//! The service binary's start-up rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("menkyo-api-bin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn refuses_a_public_address_without_api_keys() {
    let d = tmp("public");
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api"))
        .args(["--listen", "0.0.0.0:0", "--database", ":memory:"])
        .arg("--receipt-key")
        .arg(d.join("key.hex"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("refusing to listen on 0.0.0.0:0 without API keys"), "{err}");
}

#[test]
fn rejects_unknown_config_keys_and_bad_trust_dirs() {
    let d = tmp("config");
    let cfg = d.join("menkyo.toml");
    std::fs::write(&cfg, "listen = \"127.0.0.1:0\"\ncolour = \"blue\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api")).arg("--config").arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("unknown field `colour`"));
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api")).args(["--trust", "/nonexistent"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("trust store: /nonexistent: not a directory"));
}

#[test]
fn keeps_the_receipt_key_across_starts() {
    let d = tmp("key");
    let key = d.join("key.hex");
    let a = menkyo_verify_api::ReceiptSigner::load_or_create(&key).unwrap();
    let b = menkyo_verify_api::ReceiptSigner::load_or_create(&key).unwrap();
    assert_eq!(a.kid(), b.kid());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
