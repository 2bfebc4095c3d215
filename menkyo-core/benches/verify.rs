//! Verification on one core: a full submission (licence + card surface + the card's answer,
//! chains included), a conventional IC licence, and a remote age check (the kenkaku age
//! record and its card's answer).
//! `scripts/bench-verify.sh` compares the rates with `openssl speed`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use menkyo_core::{Submission, verify};

#[path = "support/workloads.rs"]
mod workloads;

fn bench(c: &mut Criterion) {
    let workloads::Workloads { store, ctx, full: submission, age, ic } = workloads::load();
    let bytes = submission.to_json_pretty().into_bytes();

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
