//! Verification against the committed vectors: every persona, every tampered vector and
//! every trust-store variant gives the verdict and check statuses its manifest names.
#![cfg(feature = "fs")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use menkyo_core::{Date, Status, Submission, TrustStore, UnixTime, Verdict, verify};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn manifest() -> Value {
    serde_json::from_str(&fs::read_to_string(dir().join("manifest.json")).unwrap()).unwrap()
}

fn submission(rel: &str) -> Submission {
    Submission::from_json(&fs::read(dir().join(rel)).unwrap()).unwrap()
}

fn trust(rel: &str) -> TrustStore {
    TrustStore::load_dir(&dir().join(rel)).unwrap()
}

fn at(m: &Value) -> UnixTime {
    UnixTime::start_of_jst_day(m["verify_at"].as_str().unwrap().parse().unwrap())
}

fn persona_submission(m: &Value, id: &str) -> Submission {
    let p = m["personas"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
    submission(p["paths"]["submission"].as_str().unwrap())
}

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

fn failed(r: &menkyo_core::Report) -> BTreeSet<String> {
    r.failed().into_iter().map(String::from).collect()
}

#[test]
fn every_persona_has_its_verdict() {
    let m = manifest();
    let store = trust("trust");
    for p in m["personas"].as_array().unwrap() {
        let s = submission(p["paths"]["submission"].as_str().unwrap());
        let v = verify(&s, &store, at(&m));
        let r = v.report();
        assert_eq!(r.verdict.as_str(), p["verdict"], "{}: {}", p["id"], r.to_json_pretty());
        assert_eq!(failed(r), names(&p["failed_checks"]), "{}", p["id"]);
        assert_eq!(v.verified().is_some(), r.verdict == Verdict::Valid);
        assert_eq!(r.holder.as_ref().unwrap().age, p["holder_age_on_verify_at"].as_u64().map(|a| a as u16));
        for name in [
            "licence.parse",
            "licence.signature",
            "licence.signer_certificate",
            "licence.expiry",
            "kenhojo.parse",
            "kenhojo.certificate",
            "kenhojo.signature",
            "kenhojo.digest",
            "freshness.card_key",
            "freshness.signature",
        ] {
            assert!(r.check(name).is_some(), "{}: {name} missing", p["id"]);
        }
    }
}

#[test]
fn tampered_and_filler_vectors_have_their_verdicts() {
    let m = manifest();
    let store = trust("trust");
    let mut seen = 0;
    for v in m["vectors"].as_array().unwrap() {
        if v["record"] != "submission" || v["expect"]["decode"] != "ok" {
            continue;
        }
        seen += 1;
        let r = verify(&submission(v["path"].as_str().unwrap()), &store, at(&m)).into_report();
        assert_eq!(r.verdict.as_str(), v["expect"]["verdict"], "{}: {}", v["id"], r.to_json_pretty());
        assert_eq!(failed(&r), names(&v["expect"]["failed_checks"]), "{}", v["id"]);
    }
    assert!(seen >= 12);
    // The two filler vectors say which range the signature covered.
    let detail = |id: &str| {
        let s = submission(&format!("malformed/{id}.json"));
        verify(&s, &store, at(&m)).report().check("licence.signature").unwrap().detail.clone()
    };
    assert!(detail("wef02-trailing-filler-unsigned").contains("over the TLV items"));
    assert!(detail("wef02-trailing-filler-signed").contains("over the whole EF as read"));
}

#[test]
fn trust_variants_fail_in_their_named_way() {
    let m = manifest();
    for t in m["trust_variants"].as_array().unwrap() {
        let store = trust(t["dir"].as_str().unwrap());
        let r = verify(&persona_submission(&m, t["persona"].as_str().unwrap()), &store, at(&m)).into_report();
        assert_eq!(r.verdict.as_str(), t["verdict"], "{}: {}", t["id"], r.to_json_pretty());
        for (name, status) in t["checks"].as_object().unwrap() {
            let got = r.check(name).unwrap_or_else(|| panic!("{}: no {name}", t["id"]));
            let want = match status.as_str().unwrap() {
                "valid" => Status::Valid,
                "invalid" => Status::Invalid,
                _ => Status::Unchecked,
            };
            assert_eq!(got.status, want, "{} {name}: {}", t["id"], got.detail);
        }
    }
    let r =
        verify(&persona_submission(&m, "p01-standard"), &trust("trust-variants/expired-signer"), at(&m)).into_report();
    assert_eq!(
        r.check("licence.signer_certificate").unwrap().detail,
        "certificate \"TEST ONLY menkyo Licence Signer 01\" has expired"
    );
    let r = verify(&persona_submission(&m, "p01-standard"), &trust("trust-variants/root-without-keycertsign"), at(&m))
        .into_report();
    assert!(r.check("licence.signer_certificate").unwrap().detail.contains("lacks the keyCertSign key usage"));
    let r = verify(&persona_submission(&m, "p01-standard"), &trust("trust-variants/path-length-exceeded"), at(&m))
        .into_report();
    assert!(r.check("licence.signer_certificate").unwrap().detail.contains("pathLenConstraint"));
}

#[test]
fn expiry_holds_through_its_last_day_in_japan() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p14-expires-on-verify-day");
    let day: Date = m["verify_at"].as_str().unwrap().parse().unwrap();
    let last_second = UnixTime::from_secs(UnixTime::start_of_jst_day(day.succ().unwrap()).secs() - 1);
    for t in [UnixTime::start_of_jst_day(day), last_second] {
        let r = verify(&s, &store, t).into_report();
        assert_eq!(r.verdict, Verdict::Valid, "{}", r.to_json_pretty());
        assert!(!r.licence.as_ref().unwrap().expired);
    }
    let r = verify(&s, &store, UnixTime::start_of_jst_day(day.succ().unwrap())).into_report();
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(r.failed(), vec!["licence.expiry"]);
    assert!(r.licence.as_ref().unwrap().expired);
}

#[test]
fn builtin_anchors_never_trust_the_test_hierarchy() {
    let m = manifest();
    let r = verify(&persona_submission(&m, "p01-standard"), &TrustStore::builtin(), at(&m)).into_report();
    assert_eq!(r.check("licence.signature").unwrap().status, Status::Unchecked);
    assert_eq!(r.check("kenhojo.certificate").unwrap().status, Status::Invalid);
    assert_eq!(r.verdict, Verdict::Invalid);
    let r = verify(&persona_submission(&m, "p01-standard"), &TrustStore::empty(), at(&m)).into_report();
    assert_eq!(r.verdict, Verdict::Incomplete);
}

#[test]
fn age_predicate_and_optional_blocks() {
    let m = manifest();
    let store = trust("trust");
    let adult = verify(&persona_submission(&m, "p01-standard"), &store, at(&m));
    assert_eq!(adult.verified().unwrap().is_over(18), Some(true));
    assert_eq!(adult.verified().unwrap().is_over(47), Some(false));
    let minor = verify(&persona_submission(&m, "p12-under-18"), &store, at(&m));
    assert_eq!(minor.verified().unwrap().is_over(16), Some(true));
    assert_eq!(minor.verified().unwrap().is_over(18), Some(false));

    let mut s = persona_submission(&m, "p01-standard");
    s.freshness = None;
    s.kenhojo = None;
    let v = verify(&s, &store, at(&m));
    let r = v.report();
    assert_eq!(r.verdict, Verdict::Valid);
    assert!(r.holder.is_none());
    assert!(r.check("kenhojo.certificate").is_none() && r.check("freshness.signature").is_none());
    assert_eq!(v.verified().unwrap().is_over(18), None);
    let json: Value = serde_json::from_str(&r.to_json_pretty()).unwrap();
    assert_eq!(json["format"], "menkyo-report/1");
    assert_eq!(json["licence"]["categories"].as_array().unwrap().len(), 15);
    assert_eq!(json["licence"]["categories"][1], serde_json::json!({"name": "普通", "held": true}));
    assert_eq!(json["licence"]["first_licensed"]["他"], "1998-04-01");
    assert_eq!(json["licence"]["photo"]["format"], "jpeg2000");
    assert_eq!(json["checked_at"], "2026-11-22T15:00:00Z");
}

#[test]
fn unparsable_licence_is_invalid_not_a_panic() {
    let m = manifest();
    let mut s = persona_submission(&m, "p01-standard");
    s.licence.wef02.truncate(100);
    let r = verify(&s, &trust("trust"), at(&m)).into_report();
    assert_eq!(r.verdict, Verdict::Invalid);
    assert_eq!(r.check("licence.parse").unwrap().status, Status::Invalid);
    assert_eq!(r.check("licence.signature").unwrap().status, Status::Unchecked);
    assert!(r.licence.is_none());
}

#[test]
fn cached_chain_results_respect_time() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p01-standard");
    let at = |d: &str| UnixTime::start_of_jst_day(d.parse().unwrap());
    assert_eq!(
        verify(&s, &store, at("2026-11-23")).report().check("licence.signer_certificate").unwrap().status,
        Status::Valid
    );
    // Same store (cache warm), after the signer certificate's end (2040-12-31).
    let late = verify(&s, &store, at("2041-01-02")).into_report();
    let chain = late.check("licence.signer_certificate").unwrap();
    assert_eq!(chain.status, Status::Invalid);
    assert_eq!(chain.detail, "certificate \"TEST ONLY menkyo Licence Signer 01\" has expired");
    // And before the signer's start (2025-01-01).
    let early = verify(&s, &store, at("2024-06-01")).into_report();
    assert_eq!(early.check("licence.signer_certificate").unwrap().status, Status::Invalid);
    assert_eq!(verify(&s, &store, at("2026-11-24")).verdict(), Verdict::Valid);
}
