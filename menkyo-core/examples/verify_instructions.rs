//! Runs one workload of `benches/verify.rs` N times, for instruction counts under cachegrind:
//! unlike wall time on a shared machine they do not drift (scripts/instructions.sh).
//!
//! ```text
//! verify_instructions ic|full|age N
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use menkyo_core::verify;

#[path = "../benches/support/workloads.rs"]
mod workloads;

fn main() {
    let mut a = std::env::args().skip(1);
    let which = a.next().unwrap();
    let n: usize = a.next().unwrap().parse().unwrap();
    let w = workloads::load();
    let (store, ctx) = (&w.store, &w.ctx);
    let s = match which.as_str() {
        "ic" => &w.ic,
        "age" => &w.age,
        _ => &w.full,
    };
    let r = verify(s, store, ctx).unwrap();
    std::hint::black_box(&r);
    for _ in 0..n {
        std::hint::black_box(verify(std::hint::black_box(s), store, ctx).unwrap());
    }
}
