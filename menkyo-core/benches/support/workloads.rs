//! The verification workloads of `benches/verify.rs`, `examples/verify_instructions.rs` and
//! `examples/verify_interleaved.rs`, defined once so that their figures are of the same work.

use std::path::{Path, PathBuf};

use menkyo_core::{AgeBasis, Context, Submission, TrustStore, UnixTime, Verdict, verify};

/// The trust store, the verification time and the three submissions, each checked to verify
/// as it should before anything is measured.
pub(crate) struct Workloads {
    pub(crate) store: TrustStore,
    pub(crate) ctx: Context<'static>,
    /// Licence, card surface and the input-assist card's answer: 4 RSA verifications once the
    /// chain and the CV certificate are cached.
    pub(crate) full: Submission,
    /// The kenkaku age record and the challenge: 2 RSA verifications warm.
    pub(crate) age: Submission,
    /// A conventional IC licence: one RSA verification (B1) once the chain is cached.
    pub(crate) ic: Submission,
}

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn read(rel: &str) -> Submission {
    Submission::from_json(&std::fs::read(vectors().join(rel)).unwrap()).unwrap()
}

pub(crate) fn load() -> Workloads {
    let store = TrustStore::load_dir(&vectors().join("trust")).unwrap();
    let ctx = Context::submission(UnixTime::start_of_jst_day("2026-11-23".parse().unwrap()));
    let mut full = read("personas/p01-standard/submission.json");
    full.kenkaku = None;
    full.freshness.as_mut().unwrap().kenkaku_signature = None;
    assert_eq!(verify(&full, &store, &ctx).unwrap().verdict(), Verdict::Valid);
    let age = read("personas/p01-standard/age-check-submission.json");
    let answer = verify(&age, &store, &ctx).unwrap().age_check(18);
    assert_eq!((answer.result, answer.basis), (Some(true), Some(AgeBasis::Kenkaku)));
    let ic = read("ic-personas/ic02-spec-008/submission.json");
    assert_eq!(verify(&ic, &store, &ctx).unwrap().verdict(), Verdict::Valid);
    Workloads { store, ctx, full, age, ic }
}
