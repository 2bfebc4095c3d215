//! `menkyo read --simulate` as a clerk runs it: files written, verdicts, one-line failures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::process::{Command, Output, Stdio};

fn read(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_menkyo"));
    c.arg("read").args(args).stdin(Stdio::null());
    for k in [
        "MENKYO_LICENCE_PIN",
        "MENKYO_KENHOJO_PIN",
        "MENKYO_BIRTH_DATE",
        "MENKYO_CARD_EXPIRY_YEAR",
        "MENKYO_SECURITY_CODE",
        "MENKYO_IC_PIN1",
        "MENKYO_IC_PIN2",
    ] {
        c.env_remove(k);
    }
    c.envs(env.iter().copied());
    c.output().unwrap()
}

#[test]
fn writes_submission_record_and_portrait() {
    let out = tempdir("read-ok");
    let o = read(&["--simulate", "p01-standard", "--out", &out], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(format!("{out}/record.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines.next().unwrap().starts_with("captured_at,verdict,failed_checks,limits,licence_profile,licence_number")
    );
    let row = lines.next().unwrap();
    assert!(row.contains(",valid,,test_anchors,licence,301234567890,優良,2030-03-17,false,普通,"), "{row}");
    let jpeg = std::fs::read(format!("{out}/portrait.jpg")).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let sub = std::fs::read(format!("{out}/submission.json")).unwrap();
    assert!(menkyo_core::Submission::from_json(&sub).is_ok());
    // No partial files left behind.
    assert!(std::fs::read_dir(&out).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().ends_with(".partial")));
    // Personal data (and the 個人番号 hash in EF 0003): readable by the owner only.
    use std::os::unix::fs::PermissionsExt;
    for f in ["submission.json", "record.csv", "portrait.jpg"] {
        let mode = std::fs::metadata(format!("{out}/{f}")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{f}");
    }
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o700);
    // Read here in one session, answering this read's own challenge: only the test anchors
    // remain to be said.
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.starts_with(
            "判定 verdict: 有効 VALID\nこの判定で証明されないこと what this verdict does not prove:\n  - "
        ),
        "{text}"
    );
    assert!(
        text.contains("[test_anchors]") && !text.contains("[not_fresh]") && !text.contains("_not_bound]"),
        "{text}"
    );
    assert!(text.contains("  OK カードの応答 card presence: the card signed this verifier's challenge\n"), "{text}");
}

#[test]
fn collation_number_from_the_environment_and_an_expired_licence() {
    let env =
        [("MENKYO_BIRTH_DATE", "1970-08-12"), ("MENKYO_CARD_EXPIRY_YEAR", "2035"), ("MENKYO_SECURITY_CODE", "2285")];
    let o = read(&["--simulate", "p07-expired"], &env);
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8(o.stdout).unwrap().starts_with("判定 verdict: 無効 INVALID\n"));
}

#[test]
fn failures_are_one_line_with_their_exit_code() {
    let o = read(&["--simulate", "p01-standard"], &[("MENKYO_LICENCE_PIN", "9999")]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        String::from_utf8(o.stderr)
            .unwrap()
            .ends_with("menkyo: licence PIN (免許の暗証番号) wrong: 9 tries left before the card locks\n")
    );
    let o = read(&["--simulate", "p01-standard"], &[("MENKYO_KENHOJO_PIN", "12")]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8(o.stderr).unwrap().ends_with("menkyo: card-surface PIN: must be 4 digits\n"));
    let o = read(&["--simulate", "no-such-persona"], &[]);
    assert_eq!(o.status.code(), Some(3));
    // The card says a PIN is set, none was given and there is no terminal to ask on.
    let o = read(&["--simulate", "p01-standard"], &[("MENKYO_LICENCE_PIN", "")]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.ends_with("(4 digits; 10 tries left): no terminal to ask on and no environment variable set; refused\n"),
        "{err}"
    );
    // A card without a PIN is read with DPIN and no question at all.
    let o = read(&["--simulate", "p10-no-pin"], &[("MENKYO_LICENCE_PIN", "")]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

fn tempdir(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("menkyo-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d.display().to_string()
}

/// The conventional IC licence through `menkyo read`: the record's columns, 本籍 only when
/// asked, PIN2 optional (incomplete), the last try refused, a blocked PIN reported.
#[test]
fn reads_a_conventional_ic_licence() {
    let out = tempdir("read-ic");
    let o = read(&["--simulate", "ic02-spec-008", "--out", &out], &[]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("  OK 免許情報の署名 licence signature: signed by \"TEST ONLY menkyo Licence Signer 01\" over EF01 ‖ EF02 ‖ photo (TLV items, form tlv), SHA-256\n"), "{text}");
    assert!(!text.contains("本籍"), "{text}");
    let csv = std::fs::read_to_string(format!("{out}/record.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "captured_at,verdict,failed_checks,limits,card,licence_number,colour_class,expiry,expired,categories,conditions,authority,issued,name,kana,birth_date,age,address,changes,honseki,photo_bytes"
    );
    let row = lines.next().unwrap();
    assert!(
        row.contains(",valid,,test_anchors not_fresh,ic_licence,629805432131,一般,2028-10-02,false,大型:2008-03-18 "),
        "{row}"
    );
    assert!(row.ends_with(",,,1781"), "no changes, no 本籍: {row}");
    let jpeg = std::fs::read(format!("{out}/portrait.jpg")).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let sub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(format!("{out}/submission.json")).unwrap()).unwrap();
    assert!(sub["ic_licence"]["photo"].is_string() && sub.get("licence").is_none());

    let o = read(&["--simulate", "ic02-spec-008", "--with-honseki", "--out", &out], &[]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8(o.stdout).unwrap().contains("本籍 registered domicile: "));
    let csv = std::fs::read_to_string(format!("{out}/record.csv")).unwrap();
    assert!(!csv.lines().nth(1).unwrap().ends_with(",,,1781"));

    // Changes on the back: shown, marked as not signed, in the record.
    let o = read(&["--simulate", "ic04-changes-on-back"], &[]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("裏面の記載事項変更（署名なし） changes on the back (not signed):\n"), "{text}");
    assert!(text.contains("\n  address 2025-04-15: 東京都〓飾区柴又七丁目３番５号 (東京都公安)\n"), "{text}");
    assert!(text.contains("[changes_not_signed]"));

    // No PIN2: no 本籍, no photo, the signature unchecked: incomplete.
    let o = read(&["--simulate", "ic02-spec-008"], &[("MENKYO_IC_PIN2", "")]);
    assert_eq!(o.status.code(), Some(2), "{}", String::from_utf8_lossy(&o.stderr));
    // PIN1 at one try: refused unless allowed; blocked: one line, exit 4.
    let o = read(&["--simulate", "ic07-pin1-one-try"], &[]);
    assert_eq!(o.status.code(), Some(5));
    let o = read(&["--simulate", "ic07-pin1-one-try", "--allow-last-try"], &[]);
    assert_eq!(o.status.code(), Some(0));
    let o = read(&["--simulate", "ic08-pin1-blocked"], &[]);
    assert_eq!(o.status.code(), Some(4));
    assert_eq!(
        String::from_utf8(o.stderr).unwrap().lines().last(),
        Some("menkyo: PIN1 (暗証番号1) is locked: the holder must have it reset (licence centre or police)")
    );
    // A wrong PIN1: the tries left, never a second try.
    let o = read(&["--simulate", "ic02-spec-008"], &[("MENKYO_IC_PIN1", "0000")]);
    assert_eq!(o.status.code(), Some(4));
    assert!(
        String::from_utf8(o.stderr).unwrap().ends_with("PIN1 (暗証番号1) wrong: 2 tries left before the card locks\n")
    );
}
