//! Runs one workload of `benches/verify.rs` N times, for instruction counts under cachegrind:
//! unlike wall time on a shared machine they do not drift (scripts/instructions.sh).
//!
//! ```text
//! verify_instructions ic|full|age N
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use menkyo_core::{Context, Submission, TrustStore, UnixTime, verify};

fn main() {
    let mut a = std::env::args().skip(1);
    let which = a.next().unwrap();
    let n: usize = a.next().unwrap().parse().unwrap();
    let v = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors");
    let store = TrustStore::load_dir(&v.join("trust")).unwrap();
    let ctx = Context::submission(UnixTime::start_of_jst_day("2026-11-23".parse().unwrap()));
    let read = |rel: &str| std::fs::read(v.join(rel)).unwrap();
    let s = match which.as_str() {
        "ic" => Submission::from_json(&read("ic-personas/ic02-spec-008/submission.json")).unwrap(),
        "age" => Submission::from_json(&read("personas/p01-standard/age-check-submission.json")).unwrap(),
        _ => {
            let mut s = Submission::from_json(&read("personas/p01-standard/submission.json")).unwrap();
            s.kenkaku = None;
            s.freshness.as_mut().unwrap().kenkaku_signature = None;
            s
        }
    };
    let r = verify(&s, &store, &ctx).unwrap();
    std::hint::black_box(&r);
    for _ in 0..n {
        std::hint::black_box(verify(std::hint::black_box(&s), &store, &ctx).unwrap());
    }
}
