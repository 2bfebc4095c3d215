//! Full verification of one submission (licence + card surface + freshness, chains included)
//! on one core. `scripts/bench-verify.sh` compares the rate with `openssl speed`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use menkyo_core::{Context, Submission, TrustStore, UnixTime, Verdict, verify};

fn vectors() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn trust() -> TrustStore {
    let mut store = TrustStore::empty();
    for f in ["npa-root.pem", "licence-signer-01.pem"] {
        let bytes = std::fs::read(vectors().join("trust/licence").join(f)).unwrap();
        store.add_licence_certificates(f, &bytes).unwrap();
    }
    let key = std::fs::read(vectors().join("trust/kenhojo/6000033-001.pem")).unwrap();
    store.add_kenhojo_anchor("6000033-001".parse().unwrap(), "6000033-001.pem", &key).unwrap();
    store
}

fn bench(c: &mut Criterion) {
    let store = trust();
    let bytes = std::fs::read(vectors().join("personas/p01-standard/submission.json")).unwrap();
    let submission = Submission::from_json(&bytes).unwrap();
    let ctx = Context::submission(UnixTime::start_of_jst_day("2026-11-23".parse().unwrap()));
    assert_eq!(verify(&submission, &store, &ctx).unwrap().verdict(), Verdict::Valid);
    let mut g = c.benchmark_group("verify");
    g.throughput(Throughput::Elements(1));
    g.bench_function("full_submission", |b| b.iter(|| verify(std::hint::black_box(&submission), &store, &ctx)));
    g.bench_function("parse_and_verify", |b| {
        b.iter(|| verify(&Submission::from_json(std::hint::black_box(&bytes)).unwrap(), &store, &ctx))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
