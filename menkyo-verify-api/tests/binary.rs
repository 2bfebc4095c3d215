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

#[test]
fn publishes_retired_receipt_keys() {
    use std::io::{BufRead, BufReader, Read, Write};
    let d = tmp("rotation");
    let old = menkyo_verify_api::ReceiptSigner::load_or_create(&d.join("old.hex")).unwrap();
    let cfg = d.join("menkyo.toml");
    let toml = |previous: &str| {
        format!(
            "listen = \"127.0.0.1:0\"\ndatabase = \":memory:\"\nreceipt_key = \"{}\"\nprevious_receipt_keys = [\"{}\"]\n",
            d.join("new.hex").display(),
            d.join(previous).display()
        )
    };
    // A retired key that cannot be read stops the start, with the reason.
    std::fs::write(&cfg, toml("missing.hex")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api")).arg("--config").arg(&cfg).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("previous_receipt_keys: "));

    std::fs::write(&cfg, toml("old.hex")).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api"))
        .arg("--config")
        .arg(&cfg)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("menkyo-verify-api: listening on http://").map(String::from))
        .unwrap();
    let mut conn = std::net::TcpStream::connect(&addr).unwrap();
    write!(conn, "GET /v1/keys HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let jwks: serde_json::Value = serde_json::from_str(body).unwrap();
    let new = menkyo_verify_api::ReceiptSigner::load(&d.join("new.hex")).unwrap();
    let kids: Vec<&str> = jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(kids, [new.kid(), old.kid()]);
}

/// Starts the service with `args` in `dir`, returns the child and its address.
fn start(dir: &std::path::Path, args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api"))
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = lines
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("menkyo-verify-api: listening on http://").map(String::from))
        .unwrap();
    (child, addr)
}

fn post(addr: &str, path: &str, body: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(addr).unwrap();
    write!(
        conn,
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

/// Finding 7: the demo's TEST ONLY anchors (their private keys are public) serve loopback only,
/// sign with a receipt key of their own and mark every report.
#[test]
fn demo_is_loopback_only_with_its_own_receipt_key_and_says_test_anchors() {
    let d = tmp("demo");
    let cfg = d.join("menkyo.toml");
    let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    std::fs::write(&cfg, format!("[[api_keys]]\nid = \"k\"\nsha256 = \"{hash}\"\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api"))
        .args(["--demo", "--listen", "0.0.0.0:0", "--database", ":memory:", "--config"])
        .arg(&cfg)
        .current_dir(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().contains("serves on loopback only"));
    // Found by attack review: with a receipt key configured, the demo signed with it (the
    // production key). Refused, however the key is given.
    std::fs::write(d.join("prod.hex"), "00".repeat(32)).unwrap();
    for (args, env) in [(vec!["--receipt-key", "prod.hex"], None), (vec![], Some(("MENKYO_RECEIPT_KEY", "prod.hex")))] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_menkyo-verify-api"));
        cmd.args(["--demo", "--listen", "127.0.0.1:0", "--database", ":memory:"]).args(&args).current_dir(&d);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?} {env:?}");
        assert!(String::from_utf8(out.stderr).unwrap().contains("its own key"));
    }

    let (mut child, addr) = start(&d, &["--demo", "--listen", "127.0.0.1:0", "--database", ":memory:"]);
    let vectors = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors");
    let mut sub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors.join("personas/p01-standard/submission.json")).unwrap()).unwrap();
    sub.as_object_mut().unwrap().remove("kenhojo");
    sub.as_object_mut().unwrap().remove("freshness");
    let report = post(&addr, "/v1/verifications", &sub.to_string());
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(report["verdict"], "valid");
    assert!(report["limits"].as_array().unwrap().contains(&"test_anchors".into()), "{report}");
    assert!(d.join("menkyo-demo-receipt-key.hex").exists());
    assert!(!d.join("menkyo-receipt-key.hex").exists());
}

/// `menkyo age-check` end to end against the service binary: challenge, the simulated card's
/// age record and answer, the answer checked against the receipt.
#[test]
fn menkyo_age_check_against_the_service() {
    let d = tmp("age-check");
    let (mut child, addr) = start(&d, &["--demo", "--listen", "127.0.0.1:0", "--database", ":memory:"]);
    // Found by a second review: a proxy in the environment carried the plain-http exchange
    // (API key, age record) off the machine. Every one set here leads nowhere: with them, the
    // age check to this machine must still go straight to it.
    let age_check = |persona: &str, over: &str| {
        Command::new(env!("CARGO_BIN_EXE_menkyo"))
            .args(["age-check", "--simulate", persona, "--service", &format!("http://{addr}"), "--over", over])
            .env_remove("MENKYO_BIRTH_DATE")
            .envs(
                ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
                    .map(|k| (k, "http://127.0.0.1:9")),
            )
            .env_remove("NO_PROXY")
            .env_remove("no_proxy")
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    };
    let over = age_check("p12-under-18", "16");
    let not_over = age_check("p12-under-18", "18");
    let adult = age_check("p01-standard", "20");
    child.kill().unwrap();
    child.wait().unwrap();
    let text = |o: &std::process::Output| String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(over.status.code(), Some(0), "{}{}", text(&over), String::from_utf8_lossy(&over.stderr));
    assert!(text(&over).starts_with("年齢確認 age check: 16歳以上です — over 16: YES\n"), "{}", text(&over));
    assert!(text(&over).contains("[test_anchors]") && text(&over).contains("basis: kenkaku"));
    assert_eq!(not_over.status.code(), Some(1), "{}", text(&not_over));
    assert!(text(&not_over).starts_with("年齢確認 age check: 18歳未満です — over 18: NO\n"));
    assert_eq!(adult.status.code(), Some(0), "{}", text(&adult));
    // Nothing about the holder is printed: no birth date.
    assert!(!text(&over).contains("2009"));

    // Plain HTTP to another host is refused before anything is read.
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo"))
        .args(["age-check", "--simulate", "p12-under-18", "--service", "http://example.com", "--over", "18"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
}

/// Found by attack review: `/v1/age-checks` without a signed birth date said `result: false`,
/// and `menkyo age-check` printed "NO" (exit 1) for "unknown". Now `result` is null and the
/// answer is "could not decide" (exit 2); a document naming a key twice is refused.
#[test]
fn an_undecided_age_check_is_not_a_no() {
    let d = tmp("age-undecided");
    let (mut child, addr) = start(&d, &["--demo", "--listen", "127.0.0.1:0", "--database", ":memory:"]);
    let empty = post(&addr, "/v1/age-checks", r#"{"over":18,"submission":{"format":"menkyo-submission/1"}}"#);
    let twice = post(&addr, "/v1/age-checks", r#"{"over":18,"submission":{"format":"menkyo-submission/1"},"over":0}"#);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(empty["verdict"], "incomplete", "{empty}");
    assert!(empty["result"].is_null(), "{empty}");
    assert!(empty["basis"].is_null());
    assert_eq!(twice["status"], 400, "{twice}");
}

/// `menkyo counter` serves on loopback only.
#[test]
fn the_counter_refuses_a_public_address() {
    let out = Command::new(env!("CARGO_BIN_EXE_menkyo")).args(["counter", "--listen", "0.0.0.0:0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback only"));
}
