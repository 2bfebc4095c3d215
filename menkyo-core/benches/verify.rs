//! Verification on one core: a full submission (licence + card surface + the card's answer,
//! chains included), a conventional IC licence, and a remote age check (the kenkaku age
//! record and its card's answer).
//! `scripts/bench-verify.sh` compares the rates with `openssl speed`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use menkyo_core::{AgeBasis, Context, Submission, TrustStore, UnixTime, Verdict, verify};

fn vectors() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn trust() -> TrustStore {
    TrustStore::load_dir(&vectors().join("trust")).unwrap()
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(vectors().join(rel)).unwrap()
}

fn bench(c: &mut Criterion) {
    let store = trust();
    let ctx = Context::submission(UnixTime::start_of_jst_day("2026-11-23".parse().unwrap()));
    // The workload of earlier releases: licence, card surface, the input-assist card's answer
    // (4 RSA verifications once the chain and the CV certificate are cached).
    let mut submission = Submission::from_json(&read("personas/p01-standard/submission.json")).unwrap();
    submission.kenkaku = None;
    submission.freshness.as_mut().unwrap().kenkaku_signature = None;
    let bytes = submission.to_json_pretty().into_bytes();
    assert_eq!(verify(&submission, &store, &ctx).unwrap().verdict(), Verdict::Valid);
    // An age check: DF13 and the challenge (2 RSA verifications warm).
    let age = Submission::from_json(&read("personas/p01-standard/age-check-submission.json")).unwrap();
    let answer = verify(&age, &store, &ctx).unwrap().age_check(18);
    assert_eq!((answer.result, answer.basis), (Some(true), Some(AgeBasis::Kenkaku)));
    // A conventional IC licence: one RSA verification (B1) once the chain is cached.
    let ic = Submission::from_json(&read("ic-personas/ic02-spec-008/submission.json")).unwrap();
    assert_eq!(verify(&ic, &store, &ctx).unwrap().verdict(), Verdict::Valid);

    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(1));
    g.bench_function("full_submission", |b| b.iter(|| verify(std::hint::black_box(&submission), &store, &ctx)));
    g.bench_function("parse_and_verify", |b| {
        b.iter(|| verify(&Submission::from_json(std::hint::black_box(&bytes)).unwrap(), &store, &ctx))
    });
    g.bench_function("ic_licence", |b| b.iter(|| verify(std::hint::black_box(&ic), &store, &ctx)));
    g.bench_function("age_check", |b| {
        b.iter(|| verify(std::hint::black_box(&age), &store, &ctx).map(|v| v.age_check(18)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
