//! Verification rates on one core beside the rate of one bare RSA-2048 verification, measured
//! interleaved: the workloads take turns in short slices, so a machine whose speed drifts
//! (a shared virtual machine) slows all of them alike and the ratios stay put.
//!
//! `verify_interleaved [SECONDS] [SLICE_MS]` (the system allocator; `verify_interleaved_mimalloc`
//! the same with mimalloc, the allocator of the service binary) prints one JSON object: operations per second of
//! `rsa` (aws-lc RSA-2048 PKCS#1 v1.5 SHA-256 verification with a parsed key, what
//! `openssl speed rsa2048` measures), `full`, `age` and `ic` (the workloads of
//! `benches/verify.rs`), `service` (the body of `scripts/load-test.sh`: `full` without
//! freshness, 2 RSA verifications) and `ic_crypto`: the cryptography alone of `ic`, one
//! aws-lc RSA-2048 verification whose SHA-256 runs over as many bytes as the IC licence's signed
//! message (EF01 ‖ EF02 ‖ photo as TLV items, 2 205 bytes in the test vector): the bound no
//! verifier of that message can beat. `scripts/bench-verify.sh` and `scripts/load-test.sh` run it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[path = "../benches/support/workloads.rs"]
mod workloads;

#[path = "../benches/support/interleaved.rs"]
mod interleaved;

fn main() {
    interleaved::main();
}
