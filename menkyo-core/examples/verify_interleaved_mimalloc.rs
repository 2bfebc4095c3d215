//! `verify_interleaved` with mimalloc, the service binary's allocator: the same workloads,
//! for the allocator's share of the figures (scripts/bench-verify.sh runs both).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/workloads.rs"]
mod workloads;

#[path = "../benches/support/interleaved.rs"]
mod interleaved;

fn main() {
    interleaved::main();
}
