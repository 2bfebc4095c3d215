//! Verification against the committed vectors: every persona, every tampered and spliced vector
//! and every trust-store variant gives the verdict, check statuses and limits its manifest names.
#![cfg(feature = "fs")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use menkyo_core::{
    AgeBasis, ChallengeLedger, ChallengeStatus, CheckId, Context, Date, LedgerError, Limit, Report, Source, Status,
    Submission, TrustStore, UnixTime, Verdict, verify,
};
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

/// `menkyo verify`'s context: a submission, no challenge ledger.
fn check(s: &Submission, store: &TrustStore, t: UnixTime) -> Report {
    verify(s, store, &Context::submission(t)).unwrap().into_report()
}

fn persona_submission(m: &Value, id: &str) -> Submission {
    let p = m["personas"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
    submission(p["paths"]["submission"].as_str().unwrap())
}

fn names(v: &Value) -> BTreeSet<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

fn failed(r: &Report) -> BTreeSet<String> {
    r.failed().into_iter().map(|c| c.as_str().to_string()).collect()
}

fn limits(r: &Report) -> Vec<&'static str> {
    r.limits().iter().map(|l| l.as_str()).collect()
}

fn listed(v: &Value) -> Vec<&str> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect()
}

fn status(r: &Report, id: CheckId) -> Status {
    r.check(id).unwrap_or_else(|| panic!("no {}", id.as_str())).status()
}

/// A ledger that knows one challenge, like the service's store.
struct Issued(std::sync::Mutex<Option<Vec<u8>>>);

impl ChallengeLedger for Issued {
    fn consume(&self, challenge: &[u8], _at: UnixTime) -> Result<ChallengeStatus, LedgerError> {
        let mut issued = self.0.lock().unwrap();
        if issued.as_deref() == Some(challenge) {
            *issued = None;
            Ok(ChallengeStatus::Fresh)
        } else {
            Ok(ChallengeStatus::Refused)
        }
    }
}

struct Broken;

impl ChallengeLedger for Broken {
    fn consume(&self, _: &[u8], _: UnixTime) -> Result<ChallengeStatus, LedgerError> {
        Err(LedgerError("database down".into()))
    }
}

#[test]
fn every_persona_has_its_verdict_and_limits() {
    let m = manifest();
    let store = trust("trust");
    for p in m["personas"].as_array().unwrap() {
        let s = submission(p["paths"]["submission"].as_str().unwrap());
        let v = verify(&s, &store, &Context::submission(at(&m))).unwrap();
        let r = v.report();
        assert_eq!(r.verdict().as_str(), p["verdict"], "{}: {}", p["id"], r.to_json_pretty());
        assert_eq!(failed(r), names(&p["failed_checks"]), "{}", p["id"]);
        assert_eq!(limits(r), listed(&p["limits"]), "{}", p["id"]);
        assert_eq!(r.source(), Source::Submission);
        assert_eq!(v.verified().is_some(), r.verdict() == Verdict::Valid);
        assert_eq!(r.holder().unwrap().age, p["holder_age_on_verify_at"].as_u64().map(|a| a as u16));
        for id in [
            CheckId::LicenceParse,
            CheckId::LicenceSignature,
            CheckId::LicenceSignerCertificate,
            CheckId::LicenceExpiry,
            CheckId::KenhojoParse,
            CheckId::KenhojoCertificate,
            CheckId::KenhojoSignature,
            CheckId::KenhojoDigest,
            CheckId::FreshnessCardKey,
            CheckId::FreshnessSignature,
            CheckId::KenkakuParse,
            CheckId::KenkakuCertificate,
            CheckId::KenkakuSignature,
            CheckId::FreshnessKenkaku,
        ] {
            assert!(r.check(id).is_some(), "{}: {} missing", p["id"], id.as_str());
        }
        assert_eq!(r.kenkaku().unwrap().age, r.holder().unwrap().age, "{}", p["id"]);
        let json: Value = serde_json::from_str(&r.to_json_pretty()).unwrap();
        assert_eq!(json["source"], "submission");
        assert_eq!(json["limits"], p["limits"]);
    }
}

#[test]
fn spliced_submissions_say_what_they_do_not_prove() {
    let m = manifest();
    let store = trust("trust");
    let spliced = m["spliced"].as_array().unwrap();
    assert!(spliced.len() >= 4);
    for v in spliced {
        let r = check(&submission(v["path"].as_str().unwrap()), &store, at(&m));
        assert_eq!(r.verdict().as_str(), v["verdict"], "{}: {}", v["id"], r.to_json_pretty());
        assert_eq!(failed(&r), names(&v["failed_checks"]), "{}", v["id"]);
        assert_eq!(limits(&r), listed(&v["limits"]), "{}", v["id"]);
    }
}

/// Finding 1: a freshness block without the card-surface data whose key must answer it.
#[test]
fn freshness_without_kenhojo_is_invalid() {
    let m = manifest();
    let mut s = persona_submission(&m, "p01-standard");
    s.kenhojo = None;
    let f = s.freshness.as_mut().unwrap();
    f.signature = Some(Vec::new());
    f.kenkaku_signature = None;
    let challenge = f.challenge.clone();
    let store = trust("trust");
    for ledger in [None, Some(Issued(std::sync::Mutex::new(Some(challenge.clone()))))] {
        let ctx = Context::submission(at(&m));
        let ctx = match &ledger {
            Some(l) => ctx.with_ledger(l),
            None => ctx,
        };
        let r = verify(&s, &store, &ctx).unwrap().into_report();
        assert_eq!(r.verdict(), Verdict::Invalid);
        assert_eq!(r.failed(), vec![CheckId::FreshnessCardKey, CheckId::FreshnessSignature]);
        assert!(r.limits().contains(&Limit::NotFresh));
    }
    // And with the card-surface data but without EF 0007 (the card key).
    let mut s = persona_submission(&m, "p01-standard");
    s.kenhojo.as_mut().unwrap().ef0007 = None;
    let r = check(&s, &store, at(&m));
    assert_eq!(r.failed(), vec![CheckId::FreshnessCardKey, CheckId::FreshnessSignature]);
}

#[test]
fn the_ledger_decides_freshness() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p01-standard");
    let challenge = s.freshness.as_ref().unwrap().challenge.clone();
    let ledger = Issued(std::sync::Mutex::new(Some(challenge)));
    let ctx = Context::submission(at(&m)).with_ledger(&ledger);
    // Issued here and unused: fresh, and so no `not_fresh`.
    let r = verify(&s, &store, &ctx).unwrap().into_report();
    assert_eq!(r.verdict(), Verdict::Valid, "{}", r.to_json_pretty());
    assert_eq!(limits(&r), ["test_anchors", "licence_not_bound", "holder_not_bound"]);
    // The same again: a replay.
    let r = verify(&s, &store, &ctx).unwrap().into_report();
    assert_eq!(r.verdict(), Verdict::Invalid);
    assert_eq!(r.failed(), vec![CheckId::FreshnessSignature, CheckId::FreshnessKenkaku]);
    for id in [CheckId::FreshnessSignature, CheckId::FreshnessKenkaku] {
        assert_eq!(r.check(id).unwrap().detail(), "the challenge was not issued here, has expired or was already used");
    }
    assert!(r.limits().contains(&Limit::NotFresh));
    // A ledger that cannot answer is an error, not a verdict.
    let broken = Context::submission(at(&m)).with_ledger(&Broken);
    assert_eq!(verify(&s, &store, &broken).unwrap_err(), LedgerError("database down".into()));
    // Without a ledger the signature is checked and freshness is never claimed.
    let r = check(&s, &store, at(&m));
    assert_eq!(status(&r, CheckId::FreshnessSignature), Status::Valid);
    assert!(r.limits().contains(&Limit::NotFresh));
}

#[test]
fn a_local_read_drops_the_binding_limits() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p01-standard");
    let challenge = s.freshness.as_ref().unwrap().challenge.clone();
    let ledger = menkyo_core::OneChallenge::new(challenge);
    let r = verify(&s, &store, &Context::local_read(at(&m)).with_ledger(&ledger)).unwrap().into_report();
    assert_eq!(r.source(), Source::LocalRead);
    assert_eq!(limits(&r), ["test_anchors"]);
    let r = verify(&s, &store, &Context::local_read(at(&m))).unwrap().into_report();
    assert_eq!(limits(&r), ["test_anchors", "not_fresh"]);
}

#[test]
fn test_anchors_are_named_as_such() {
    let m = manifest();
    let s = persona_submission(&m, "p01-standard");
    // The CV CA key id 6000033-001 is a test id even without the TEST_ONLY marker.
    let mut store = TrustStore::empty();
    let key = fs::read(dir().join("trust/kenhojo/6000033-001.pem")).unwrap();
    store.add_kenhojo_anchor("6000033-001".parse().unwrap(), "k.pem", &key).unwrap();
    let r = check(&s, &store, at(&m));
    assert_eq!(status(&r, CheckId::KenhojoCertificate), Status::Valid);
    assert!(r.limits().contains(&Limit::TestAnchors));
    // A store marked TEST ONLY (`--demo`) names it in every report, whatever passed.
    let mut store = TrustStore::builtin();
    store.mark_test_only();
    let r = check(&s, &store, at(&m));
    assert_eq!(r.verdict(), Verdict::Invalid);
    assert!(r.limits().contains(&Limit::TestAnchors));
    // The production anchors alone never do.
    let r = check(&s, &TrustStore::builtin(), at(&m));
    assert!(!r.limits().contains(&Limit::TestAnchors));
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
        let r = check(&submission(v["path"].as_str().unwrap()), &store, at(&m));
        assert_eq!(r.verdict().as_str(), v["expect"]["verdict"], "{}: {}", v["id"], r.to_json_pretty());
        assert_eq!(failed(&r), names(&v["expect"]["failed_checks"]), "{}", v["id"]);
    }
    assert!(seen >= 12);
    // The two filler vectors say which range the signature covered.
    let detail = |id: &str| {
        let s = submission(&format!("malformed/{id}.json"));
        check(&s, &store, at(&m)).check(CheckId::LicenceSignature).unwrap().detail().to_string()
    };
    assert!(detail("wef02-trailing-filler-unsigned").contains("over the TLV items"));
    assert!(detail("wef02-trailing-filler-signed").contains("over the whole EF as read"));
}

#[test]
fn trust_variants_fail_in_their_named_way() {
    let m = manifest();
    for t in m["trust_variants"].as_array().unwrap() {
        let store = trust(t["dir"].as_str().unwrap());
        let r = check(&persona_submission(&m, t["persona"].as_str().unwrap()), &store, at(&m));
        assert_eq!(r.verdict().as_str(), t["verdict"], "{}: {}", t["id"], r.to_json_pretty());
        for (name, want) in t["checks"].as_object().unwrap() {
            let got = r.check(CheckId::from_name(name).unwrap()).unwrap_or_else(|| panic!("{}: no {name}", t["id"]));
            assert_eq!(got.status().as_str(), want.as_str().unwrap(), "{} {name}: {}", t["id"], got.detail());
        }
    }
    let detail = |variant: &str| {
        let r = check(&persona_submission(&m, "p01-standard"), &trust(&format!("trust-variants/{variant}")), at(&m));
        r.check(CheckId::LicenceSignerCertificate).unwrap().detail().to_string()
    };
    assert_eq!(detail("expired-signer"), "certificate \"TEST ONLY menkyo Licence Signer 01\" has expired");
    assert!(detail("root-without-keycertsign").contains("lacks the keyCertSign key usage"));
    assert!(detail("path-length-exceeded").contains("pathLenConstraint"));
    assert_eq!(detail("duplicate-key-identifier"), "\"TEST ONLY menkyo Licence Signer 01\" chains to a trusted root");
    assert_eq!(detail("bare-signer-key"), "trusted key, no certificate");
}

#[test]
fn expiry_holds_through_its_last_day_in_japan() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p14-expires-on-verify-day");
    let day: Date = m["verify_at"].as_str().unwrap().parse().unwrap();
    let last_second = UnixTime::from_secs(UnixTime::start_of_jst_day(day.succ().unwrap()).secs() - 1);
    for t in [UnixTime::start_of_jst_day(day), last_second] {
        let r = check(&s, &store, t);
        assert_eq!(r.verdict(), Verdict::Valid, "{}", r.to_json_pretty());
        assert!(!r.licence().unwrap().expired);
    }
    let r = check(&s, &store, UnixTime::start_of_jst_day(day.succ().unwrap()));
    assert_eq!(r.verdict(), Verdict::Invalid);
    assert_eq!(r.failed(), vec![CheckId::LicenceExpiry]);
    assert!(r.licence().unwrap().expired);
}

#[test]
fn builtin_anchors_never_trust_the_test_hierarchy() {
    let m = manifest();
    let r = check(&persona_submission(&m, "p01-standard"), &TrustStore::builtin(), at(&m));
    assert_eq!(status(&r, CheckId::LicenceSignature), Status::Unchecked);
    assert_eq!(status(&r, CheckId::KenhojoCertificate), Status::Invalid);
    assert_eq!(r.verdict(), Verdict::Invalid);
    let r = check(&persona_submission(&m, "p01-standard"), &TrustStore::empty(), at(&m));
    assert_eq!(r.verdict(), Verdict::Incomplete);
}

#[test]
fn age_predicate_and_optional_blocks() {
    let m = manifest();
    let store = trust("trust");
    let ctx = Context::submission(at(&m));
    let adult = verify(&persona_submission(&m, "p01-standard"), &store, &ctx).unwrap();
    assert_eq!(adult.verified().unwrap().is_over(18), Some(true));
    assert_eq!(adult.verified().unwrap().is_over(47), Some(false));
    // The kenkaku age record comes first: its birth date is bound to its card key.
    let answer = adult.age_check(18);
    assert_eq!((answer.result, answer.basis), (Some(true), Some(AgeBasis::Kenkaku)));
    assert_eq!(answer.limits, vec![Limit::TestAnchors, Limit::NotFresh]);
    let mut s = persona_submission(&m, "p01-standard");
    s.kenkaku = None;
    s.freshness.as_mut().unwrap().kenkaku_signature = None;
    let answer = verify(&s, &store, &ctx).unwrap().age_check(18);
    assert_eq!((answer.result, answer.basis), (Some(true), Some(AgeBasis::Kenhojo)));
    assert_eq!(answer.limits, vec![Limit::TestAnchors, Limit::NotFresh, Limit::HolderNotBound]);
    let minor = verify(&persona_submission(&m, "p12-under-18"), &store, &ctx).unwrap();
    assert_eq!(minor.verified().unwrap().is_over(16), Some(true));
    assert_eq!(minor.verified().unwrap().is_over(18), Some(false));

    let mut s = persona_submission(&m, "p01-standard");
    s.freshness = None;
    s.kenhojo = None;
    s.kenkaku = None;
    let v = verify(&s, &store, &ctx).unwrap();
    let r = v.report();
    assert_eq!(r.verdict(), Verdict::Valid);
    assert!(r.holder().is_none());
    assert!(r.check(CheckId::KenhojoCertificate).is_none() && r.check(CheckId::FreshnessSignature).is_none());
    assert_eq!(v.verified().unwrap().is_over(18), None);
    assert_eq!(v.age_check(18).result, None);
    let json: Value = serde_json::from_str(&r.to_json_pretty()).unwrap();
    assert_eq!(json["format"], "menkyo-report/1");
    assert_eq!(json["licence"]["card"], "mynumber_card");
    assert_eq!(json["licence"]["categories"].as_array().unwrap().len(), 15);
    assert_eq!(json["licence"]["categories"][1], serde_json::json!({"name": "普通", "held": true}));
    assert_eq!(json["licence"]["first_licensed"]["他"], "1998-04-01");
    assert_eq!(json["licence"]["photo"]["format"], "jpeg2000");
    assert_eq!(json["checked_at"], "2026-11-22T15:00:00Z");
    assert_eq!(json["limits"], serde_json::json!(["test_anchors", "not_fresh", "licence_not_bound"]));
}

#[test]
fn unparsable_licence_is_invalid_not_a_panic() {
    let m = manifest();
    let mut s = persona_submission(&m, "p01-standard");
    s.licence.as_mut().unwrap().wef02.truncate(100);
    let r = check(&s, &trust("trust"), at(&m));
    assert_eq!(r.verdict(), Verdict::Invalid);
    assert_eq!(status(&r, CheckId::LicenceParse), Status::Invalid);
    assert_eq!(status(&r, CheckId::LicenceSignature), Status::Unchecked);
    assert!(r.licence().is_none());
}

#[test]
fn cached_chain_results_respect_time() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p01-standard");
    let at = |d: &str| UnixTime::start_of_jst_day(d.parse().unwrap());
    assert_eq!(status(&check(&s, &store, at("2026-11-23")), CheckId::LicenceSignerCertificate), Status::Valid);
    // Same store (cache warm), after the signer certificate's end (2040-12-31).
    let late = check(&s, &store, at("2041-01-02"));
    let chain = late.check(CheckId::LicenceSignerCertificate).unwrap();
    assert_eq!(chain.status(), Status::Invalid);
    assert_eq!(chain.detail(), "certificate \"TEST ONLY menkyo Licence Signer 01\" has expired");
    // And before the signer's start (2025-01-01).
    let early = check(&s, &store, at("2024-06-01"));
    assert_eq!(status(&early, CheckId::LicenceSignerCertificate), Status::Invalid);
    assert_eq!(check(&s, &store, at("2026-11-24")).verdict(), Verdict::Valid);
}

#[cfg(feature = "portrait")]
#[test]
fn portraits_are_decoded_only_when_signed_or_read_here() {
    let m = manifest();
    let store = trust("trust");
    let s = persona_submission(&m, "p01-standard");
    let jpeg =
        |v: menkyo_core::Verification| v.with_portrait_jpeg().into_report().licence().unwrap().photo.jpeg.clone();
    assert!(jpeg(verify(&s, &store, &Context::submission(at(&m))).unwrap()).is_some());
    // No licence anchors: the signature is unchecked, so an uploaded portrait is not decoded...
    assert_eq!(jpeg(verify(&s, &TrustStore::empty(), &Context::submission(at(&m))).unwrap()), None);
    // ...but one read from the card here is.
    assert!(jpeg(verify(&s, &TrustStore::empty(), &Context::local_read(at(&m))).unwrap()).is_some());
    // A tampered portrait is never decoded.
    let t = submission("malformed/tampered-wef02-photo.json");
    assert_eq!(jpeg(verify(&t, &store, &Context::submission(at(&m))).unwrap()), None);
    // A validly signed portrait declaring 2048x2048 is refused before decoding.
    let h = submission("malformed/hostile-portrait-2048.json");
    let v = verify(&h, &store, &Context::submission(at(&m))).unwrap();
    assert_eq!(v.verdict(), Verdict::Valid);
    assert_eq!(
        v.portrait_jpeg(),
        Some(Err(menkyo_core::portrait::PortraitError::TooLarge { width: 2048, height: 2048 }))
    );
}

/// The age record: a fresh answer of its card key proves a genuine card with that birth date is
/// present; the answer of another card, a changed birth date or a record without an answer do not.
#[test]
fn the_kenkaku_age_record_answers_age_checks() {
    let m = manifest();
    let store = trust("trust");
    let p = m["personas"].as_array().unwrap().iter().find(|p| p["id"] == "p12-under-18").unwrap();
    let s = submission(p["paths"]["age_check_submission"].as_str().unwrap());
    assert!(s.licence.is_none() && s.kenhojo.is_none());
    let ledger = Issued(std::sync::Mutex::new(Some(s.freshness.as_ref().unwrap().challenge.clone())));
    let v = verify(&s, &store, &Context::submission(at(&m)).with_ledger(&ledger)).unwrap();
    assert_eq!(v.verdict(), Verdict::Valid, "{}", v.report().to_json_pretty());
    assert_eq!(limits(v.report()), ["test_anchors"]);
    let json: Value = serde_json::from_str(&v.report().to_json_pretty()).unwrap();
    assert_eq!(json["kenkaku"], serde_json::json!({"birth_date": "2009-06-01", "age": 17}));
    assert!(json.get("holder").is_none() && json.get("licence").is_none());
    for (over, result) in [(16, true), (18, false)] {
        let a = v.age_check(over);
        assert_eq!((a.result, a.basis, a.limits), (Some(result), Some(AgeBasis::Kenkaku), vec![Limit::TestAnchors]));
    }
    // Without a ledger: the same answer, but not fresh.
    let v = verify(&s, &store, &Context::submission(at(&m))).unwrap();
    assert_eq!(v.age_check(16).limits, vec![Limit::TestAnchors, Limit::NotFresh]);
    // No anchors for the kenkaku AP: unchecked, so no answer.
    let r = check(&s, &trust("trust-variants/no-kenhojo-anchors"), at(&m));
    assert_eq!(status(&r, CheckId::KenkakuCertificate), Status::Valid);
    let mut only_kenhojo = TrustStore::empty();
    let key = fs::read(dir().join("trust/kenhojo/6000033-001.pem")).unwrap();
    only_kenhojo.add_kenhojo_anchor("6000033-001".parse().unwrap(), "k.pem", &key).unwrap();
    let v = verify(&s, &only_kenhojo, &Context::submission(at(&m))).unwrap();
    assert_eq!(v.verdict(), Verdict::Incomplete);
    assert_eq!(status(v.report(), CheckId::KenkakuCertificate), Status::Unchecked);
    assert_eq!(v.age_check(16).result, None);
    // An answer without the age record whose key must answer it.
    let mut bare = s.clone();
    bare.kenkaku = None;
    let r = check(&bare, &store, at(&m));
    assert_eq!(r.failed(), vec![CheckId::FreshnessKenkaku]);
}

/// The conventional IC licence: every persona's verdict and limits; the form and hash that
/// verified are named; SHA-1 is refused; the holder comes from the signed EF01; 本籍 only when
/// asked; an age answer on its birth date says what it does not prove.
#[test]
fn every_ic_persona_has_its_verdict_and_limits() {
    let m = manifest();
    let store = trust("trust");
    let ic = m["ic_personas"].as_array().unwrap();
    assert!(ic.len() >= 8);
    for p in ic {
        let s = submission(p["paths"]["submission"].as_str().unwrap());
        let v = verify(&s, &store, &Context::submission(at(&m))).unwrap();
        let r = v.report();
        assert_eq!(r.verdict().as_str(), p["verdict"], "{}: {}", p["id"], r.to_json_pretty());
        assert_eq!(failed(r), names(&p["failed_checks"]), "{}", p["id"]);
        assert_eq!(limits(r), listed(&p["limits"]), "{}", p["id"]);
        let json: Value = serde_json::from_str(&r.to_json_pretty()).unwrap();
        assert_eq!(json["licence"]["card"], "ic_licence", "{}", p["id"]);
        assert!(json["licence"].get("honseki").is_none(), "{}: 本籍 only when asked", p["id"]);
        assert_eq!(json["holder"]["age"], p["holder_age_on_verify_at"], "{}", p["id"]);
        assert!(json["holder"].get("sex").is_none() && json["holder"]["kana"].is_string());
        for c in json["licence"]["changes"].as_array().into_iter().flatten() {
            assert_eq!(c["signed"], false);
        }
    }
    let detail = |rel: &str| {
        let r = check(&submission(rel), &store, at(&m));
        (r.verdict(), r.check(CheckId::IcLicenceSignature).unwrap().detail().to_string())
    };
    let (verdict, d) = detail("ic-personas/ic02-spec-008/submission.json");
    assert_eq!(verdict, Verdict::Valid);
    assert!(d.ends_with("(TLV items, form tlv), SHA-256"), "{d}");
    let (verdict, d) = detail("malformed/ic-signed-whole-form.json");
    assert_eq!(verdict, Verdict::Valid);
    assert!(d.ends_with("(whole EFs as read, form whole), SHA-256"), "{d}");
    assert!(detail("malformed/ic-signed-sha384.json").1.ends_with("SHA-384"));
    let (verdict, d) = detail("malformed/ic-signed-sha1.json");
    assert_eq!(verdict, Verdict::Invalid);
    assert!(d.contains("with SHA-1, which offers no security today"), "{d}");

    // 本籍 when asked; the age answer on the IC licence's signed birth date.
    let s = submission("ic-personas/ic02-spec-008/submission.json");
    let v = verify(&s, &store, &Context::submission(at(&m)).with_honseki()).unwrap();
    assert!(v.report().licence().unwrap().honseki.as_ref().is_some_and(|h| !h.is_empty()));
    let a = v.age_check(18);
    assert_eq!((a.result, a.basis), (Some(true), Some(AgeBasis::IcLicence)));
    assert_eq!(a.limits, vec![Limit::TestAnchors, Limit::NotFresh, Limit::NoCardKeyBinding]);
    // A local read drops no_card_key_binding; the changes stay unsigned.
    let s = submission("ic-personas/ic04-changes-on-back/submission.json");
    let r = verify(&s, &store, &Context::local_read(at(&m))).unwrap().into_report();
    assert_eq!(limits(&r), ["test_anchors", "not_fresh", "changes_not_signed"]);
    assert!(!r.licence().unwrap().changes.is_empty());
    // No licence anchors: the signature is unchecked, the verdict incomplete.
    let r = check(&s, &TrustStore::empty(), at(&m));
    assert_eq!(r.verdict(), Verdict::Incomplete);
    assert_eq!(status(&r, CheckId::IcLicenceSignature), Status::Unchecked);
    // The bare signer key (no certificate) verifies IC licences too.
    let r = check(&s, &trust("trust-variants/bare-signer-key"), at(&m));
    assert_eq!(r.check(CheckId::IcLicenceSignerCertificate).unwrap().detail(), "trusted key, no certificate");
}

/// The TLV items of an IC licence EF up to its padding, as (offset, length) of each item.
fn ic_items(raw: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() && raw[i] != 0xFF {
        let (len, head) = match raw[i + 1] {
            0x81 => (usize::from(raw[i + 2]), 3),
            0x82 => (usize::from(u16::from_be_bytes([raw[i + 2], raw[i + 3]])), 4),
            l => (usize::from(l), 2),
        };
        out.push((i, head + len));
        i += head + len;
    }
    out
}

fn padded(mut bytes: Vec<u8>, size: usize) -> Vec<u8> {
    assert!(bytes.len() <= size);
    bytes.resize(size, 0xFF);
    bytes
}

/// Found by attack review: in the signed form `tlv` the message EF01 ‖ EF02 ‖ photo has no
/// boundaries, so the last EF01 items (category dates) could be moved into EF02 with the
/// signature still verifying and the categories gone from the report. Before the fix this was
/// `valid`; EF02 now takes tag 41 only.
#[test]
fn ic_items_moved_between_signed_efs_are_refused() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    let m = manifest();
    let store = trust("trust");
    let rel = "ic-personas/ic02-spec-008/submission.json";
    let mut doc: Value = serde_json::from_slice(&fs::read(dir().join(rel)).unwrap()).unwrap();
    let b64 = |v: &Value| STANDARD.decode(v.as_str().unwrap()).unwrap();
    let (ef01, ef02) = (b64(&doc["ic_licence"]["ef01"]), b64(&doc["ic_licence"]["ef02"]));
    let (items01, items02) = (ic_items(&ef01), ic_items(&ef02));
    let end02 = items02.last().map(|(o, l)| o + l).unwrap();
    let mut moved_any = false;
    // Move the last k items of EF01 to the front of EF02, for every k that fits in 82 bytes.
    for k in 1..items01.len() {
        let (cut, _) = items01[items01.len() - k];
        let end01 = items01.last().map(|(o, l)| o + l).unwrap();
        let tail = &ef01[cut..end01];
        if tail.len() + end02 > ef02.len() {
            break;
        }
        moved_any = true;
        let new01 = padded(ef01[..cut].to_vec(), ef01.len());
        let new02 = padded([tail, &ef02[..end02]].concat(), ef02.len());
        doc["ic_licence"]["ef01"] = STANDARD.encode(&new01).into();
        doc["ic_licence"]["ef02"] = STANDARD.encode(&new02).into();
        let s = Submission::from_json(&serde_json::to_vec(&doc).unwrap()).unwrap();
        let r = check(&s, &store, at(&m));
        assert_eq!(r.verdict(), Verdict::Invalid, "{k} items moved: {}", r.to_json_pretty());
        assert_eq!(status(&r, CheckId::IcLicenceParse), Status::Invalid);
    }
    assert!(moved_any, "the persona leaves room in EF02 for at least one EF01 item");
}

/// Found by attack review: a document with no card data had no checks, and no checks read as
/// `valid`. Nothing checked is incomplete.
#[test]
fn a_submission_without_card_data_is_not_valid() {
    let m = manifest();
    let s = Submission::from_json(br#"{"format":"menkyo-submission/1"}"#).unwrap();
    let v = verify(&s, &trust("trust"), &Context::submission(at(&m))).unwrap();
    assert_eq!(v.report().verdict(), Verdict::Incomplete);
    assert!(v.report().checks().is_empty());
    assert_eq!(v.age_check(18).result, None);
}

/// Found by attack review: an age record without its own challenge answer, beside a kenhojo
/// block whose card answered, lost `not_fresh` (the report dropped it when either card
/// answered). The record may be anyone's copy: `not_fresh` stays.
#[test]
fn an_unanswered_age_record_is_not_fresh_whatever_else_answered() {
    let m = manifest();
    let store = trust("trust");
    let mut s = persona_submission(&m, "p01-standard");
    s.kenkaku = persona_submission(&m, "p12-under-18").kenkaku;
    let f = s.freshness.as_mut().unwrap();
    f.kenkaku_signature = None;
    let ledger = Issued(std::sync::Mutex::new(Some(f.challenge.clone())));
    let v = verify(&s, &store, &Context::submission(at(&m)).with_ledger(&ledger)).unwrap();
    let r = v.report();
    assert_eq!(status(r, CheckId::FreshnessSignature), Status::Valid, "{}", r.to_json_pretty());
    assert_eq!(limits(r), ["test_anchors", "not_fresh", "licence_not_bound", "holder_not_bound"]);
    assert!(v.age_check(18).limits.contains(&Limit::NotFresh));
}

/// Found by a second review: EF01 took any unknown tag, 41 included, so a photo whose
/// codestream held `41 00 5F 40 82 hh ll` at the right place split the signed message a second
/// way (EF01 ‖ EF02 ‖ the start of the photo as EF01, `41 00` as EF02, the rest as the photo),
/// still `valid` with another 本籍 and photo. It needs the signer to sign such a photo: shown
/// with the TEST ONLY signer key. EF01 now refuses 本籍's tag.
#[test]
fn ic_entries_refuse_the_domicile_tag_so_the_signed_efs_split_one_way() {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use rsa::pkcs1v15::SigningKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let m = manifest();
    let store = trust("trust");
    let rel = "ic-personas/ic02-spec-008/submission.json";
    let mut doc: Value = serde_json::from_slice(&fs::read(dir().join(rel)).unwrap()).unwrap();
    let b64 = |v: &Value| STANDARD.decode(v.as_str().unwrap()).unwrap();
    let (ef01, ef02, mut ef07) =
        (b64(&doc["ic_licence"]["ef01"]), b64(&doc["ic_licence"]["ef02"]), b64(&doc["ic_licence"]["ef07"]));
    let end = |raw: &[u8]| ic_items(raw).last().map(|(o, l)| o + l).unwrap();
    let (e, d) = (&ef01[..end(&ef01)], &ef02[..end(&ef02)]);
    // The photo: 5F 40 82 hh ll, then a codestream that holds `41 00 5F 40 82 hh ll` at 61.
    let inner = 1500usize;
    let mut c = vec![0x4Fu8; 68 + inner];
    c[..4].copy_from_slice(&[0xFF, 0x4F, 0xFF, 0x51]);
    c[61..68].copy_from_slice(&[0x41, 0x00, 0x5F, 0x40, 0x82, (inner >> 8) as u8, inner as u8]);
    let mut p = vec![0x5F, 0x40, 0x82, (c.len() >> 8) as u8, c.len() as u8];
    p.extend_from_slice(&c);
    let pem = fs::read_to_string(dir().join("keys/licence-signer-01.key.pem")).unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem[pem.find("-----BEGIN").unwrap()..]).unwrap();
    let sig = SigningKey::<sha2::Sha256>::new(key).sign(&[e, d, &p[..]].concat()).to_vec();
    assert_eq!(&ef07[..4], &[0xB1, 0x82, 0x01, 0x00]);
    ef07[4..260].copy_from_slice(&sig);
    doc["ic_licence"]["ef07"] = STANDARD.encode(&ef07).into();
    doc["ic_licence"]["photo"] = STANDARD.encode(padded(p.clone(), 2005)).into();
    let run = |doc: &Value| check(&Submission::from_json(&serde_json::to_vec(doc).unwrap()).unwrap(), &store, at(&m));
    let card = run(&doc);
    assert_eq!(card.verdict(), Verdict::Valid, "{}", card.to_json_pretty());
    // The second split of the same signed bytes.
    let mut other = doc.clone();
    other["ic_licence"]["ef01"] = STANDARD.encode(padded([e, d, &p[..66]].concat(), 880)).into();
    other["ic_licence"]["ef02"] = STANDARD.encode(padded(p[66..68].to_vec(), 82)).into();
    other["ic_licence"]["photo"] = STANDARD.encode(padded(p[68..].to_vec(), 2005)).into();
    let r = run(&other);
    assert_eq!(r.verdict(), Verdict::Invalid, "{}", r.to_json_pretty());
    assert_eq!(status(&r, CheckId::IcLicenceParse), Status::Invalid);
    assert!(r.check(CheckId::IcLicenceParse).unwrap().detail().contains("belongs to another EF"));
}

#[test]
fn a_signature_that_no_signer_verifies_names_every_signer_tried() {
    let m = manifest();
    let mut s = submission("ic-personas/ic02-spec-008/submission.json");
    // One bit of B1's value (after its header B1 82 01 00).
    s.ic_licence.as_mut().unwrap().ef07[10] ^= 1;
    let signer = "\"TEST ONLY menkyo Licence Signer 01\"";
    for (variant, names) in [
        ("trust", signer.to_string()),
        ("trust-variants/duplicate-key-identifier", format!("\"TEST ONLY menkyo Licence Signer Decoy\", {signer}")),
        (
            "trust-variants/bare-signer-key",
            "\"key 17016178415e9ae347e89a15b161162773b5d81bedf575c759021a0c764d82fc\"".into(),
        ),
    ] {
        let r = check(&s, &trust(variant), at(&m));
        assert_eq!(r.verdict(), Verdict::Invalid, "{variant}");
        let c = r.check(CheckId::IcLicenceSignature).unwrap();
        assert_eq!(c.status(), Status::Invalid, "{variant}");
        assert_eq!(c.detail(), format!("the signature does not verify with the key of {names}"), "{variant}");
        assert_eq!(status(&r, CheckId::IcLicenceSignerCertificate), Status::Unchecked, "{variant}");
    }
}
