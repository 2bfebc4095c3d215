//! `menkyo verify` as a user runs it, on the committed vectors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn verify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_menkyo")).arg("verify").args(args).output().unwrap()
}

fn path(rel: &str) -> String {
    vectors().join(rel).display().to_string()
}

#[test]
fn exit_codes_follow_the_verdict() {
    let trust = path("trust");
    let cases = [
        (path("personas/p01-standard/submission.json"), trust.clone(), 0, "valid"),
        (path("personas/p07-expired/submission.json"), trust.clone(), 1, "invalid"),
        (path("malformed/tampered-wef02-photo.json"), trust.clone(), 1, "invalid"),
        (path("personas/p01-standard/submission.json"), path("trust-variants/no-licence-anchors"), 2, "incomplete"),
    ];
    for (file, trust, code, verdict) in cases {
        let out = verify(&["--trust", &trust, "--at", "2026-11-23", "--json", &file]);
        assert_eq!(out.status.code(), Some(code), "{file}: {}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["verdict"], verdict);
    }
}

fn manifest() -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(vectors().join("manifest.json")).unwrap()).unwrap()
}

#[test]
fn json_reports_carry_source_and_the_manifest_limits() {
    let m = manifest();
    let entries =
        m["personas"].as_array().unwrap().iter().map(|p| (&p["paths"]["submission"], &p["limits"], &p["verdict"]));
    let spliced = m["spliced"].as_array().unwrap().iter().map(|v| (&v["path"], &v["limits"], &v["verdict"]));
    for (file, limits, verdict) in entries.chain(spliced) {
        let file = path(file.as_str().unwrap());
        let out = verify(&["--trust", &path("trust"), "--at", "2026-11-23", "--json", &file]);
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["source"], "submission", "{file}");
        assert_eq!(&report["limits"], limits, "{file}");
        assert_eq!(&report["verdict"], verdict, "{file}");
    }
}

#[test]
fn freshness_without_its_card_key_is_invalid() {
    let out = verify(&[
        "--trust",
        &path("trust"),
        "--at",
        "2026-11-23",
        &path("spliced/splice-freshness-without-kenhojo.json"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("  NG カードの鍵 card key: freshness given without the card-surface (kenhojo) data"),
        "{text}"
    );
}

#[test]
fn limits_and_the_driving_history_warning_are_in_words() {
    let out = verify(&[
        "--trust",
        &path("trust"),
        "--at",
        "2026-11-23",
        &path("personas/p08-driving-history/submission.json"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("判定 verdict: 有効 VALID"));
    assert_eq!(
        lines.next(),
        Some("注意 warning: 運転経歴証明書 — 運転免許ではありません (driving-history record — not a driving licence)")
    );
    assert_eq!(lines.next(), Some("この判定で証明されないこと what this verdict does not prove:"));
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with("a TEST ONLY trust anchor was used: this result means nothing outside tests [test_anchors]")
    );
    assert!(text.contains("the licence data names no one and is tied to no card key: it may come from another card [licence_not_bound]\n"), "{text}");
}

#[test]
fn summary_is_for_people() {
    let out =
        verify(&["--trust", &path("trust"), "--at", "2026-11-23", &path("personas/p01-standard/submission.json")]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("判定 verdict: 有効 VALID\n"), "{text}");
    assert!(text.contains("有効期限 valid through: 2030-03-17\n"));
    assert!(text.contains("  OK 免許情報の署名 licence signature: "));
}

#[test]
fn unreadable_input_is_exit_3_with_one_line() {
    for (args, message) in [
        (
            vec!["--at", "2026-02-30", "x.json"],
            "menkyo: --at: day 30 does not exist in 2026-02 (expected YYYY-MM-DD)\n",
        ),
        (vec!["--trust", "/nonexistent", "x.json"], "menkyo: trust store: /nonexistent: not a directory\n"),
    ] {
        let out = verify(&args);
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(String::from_utf8(out.stderr).unwrap(), message);
    }
    let out = verify(&[&path("malformed/submission-bad-base64.json")]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.ends_with("submission-bad-base64.json: field `licence.wef02` is not standard base64\n"), "{err}");
    let out = verify(&["/nonexistent/submission.json"]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8(out.stderr).unwrap().lines().count(), 1);
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    // `menkyo verify … | grep -q valid`: the reader may be gone before the report is written.
    for json in [true, false] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_menkyo"));
        cmd.args(["verify", "--trust", &path("trust"), "--at", "2026-11-23"]);
        if json {
            cmd.arg("--json");
        }
        let out = cmd.arg(path("personas/p01-standard/submission.json")).stdout(writer).output().unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(0), "json={json}: {stderr}");
        assert_eq!(stderr, "", "json={json}");
    }
}
