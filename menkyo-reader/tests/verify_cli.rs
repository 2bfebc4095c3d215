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
