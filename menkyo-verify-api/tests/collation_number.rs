//! `menkyo collation-number` as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::process::{Command, Output};

fn menkyo(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_menkyo")).args(args).output().unwrap()
}

fn run(birth: &str, year: &str, code: &str) -> Output {
    menkyo(&["collation-number", "--birth", birth, "--card-expiry-year", year, "--security-code", code])
}

#[test]
fn prints_the_fourteen_digits() {
    let out = run("1980-02-17", "2035", "2285");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "55021720352285\n");
    assert!(out.stderr.is_empty());
}

#[test]
fn bad_input_is_one_line_and_exit_3() {
    for (birth, year, code, message) in [
        ("1980-02-30", "2035", "2285", "menkyo: birth date: day 30 does not exist in 1980-02\n"),
        ("1980-02-17", "35", "2285", "menkyo: card expiry year: must be four digits\n"),
        ("1980-02-17", "2035", "22851", "menkyo: security code: must be exactly 4 digits\n"),
    ] {
        let out = run(birth, year, code);
        assert_eq!(out.status.code(), Some(3), "{birth} {year} {code}");
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8(out.stderr).unwrap(), message);
    }
}

#[test]
fn usage_errors_exit_3_without_backtrace() {
    let out = menkyo(&["collation-number", "--birth", "1980-02-17"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        err,
        "menkyo: the following required arguments were not provided: --card-expiry-year <YYYY> \
         --security-code <NNNN> (try 'menkyo --help')\n"
    );
    let out = menkyo(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout).unwrap().contains("collation-number"));
}
