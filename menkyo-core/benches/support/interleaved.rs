//! The body of `examples/verify_interleaved.rs` and `examples/verify_interleaved_mimalloc.rs`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use menkyo_core::ic_licence::{Domicile, Entries, Photo, SignedForm};
use menkyo_core::{Verdict, verify};

use crate::workloads;

pub(crate) fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().expect("a number"));
    let seconds = args.next().unwrap_or(10);
    let slice = Duration::from_millis(args.next().unwrap_or(50));

    let workloads::Workloads { store, ctx, full, age, ic } = workloads::load();
    // The body of scripts/load-test.sh: licence and card surface without freshness or kenkaku
    // (2 RSA verifications: WEF03, DF33), for the service's like-for-like ratio.
    let mut service = full.clone();
    service.freshness = None;
    assert_eq!(verify(&service, &store, &ctx).unwrap().verdict(), Verdict::Valid);

    // The bound: one RSA-2048 verification with an already parsed key, of a message as short
    // as the 36 bytes `openssl speed` verifies (hashing it is negligible).
    let pair = KeyPair::generate(KeySize::Rsa2048).unwrap();
    let message = [0x5au8; 36];
    let mut sig = vec![0u8; pair.public_modulus_len()];
    pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), &message, &mut sig).unwrap();
    let public = pair.public_key().as_der().unwrap();
    let key = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, public.as_ref()).unwrap();
    key.verify_sig(&message, &sig).unwrap();

    // The IC licence's signed message, as verify hashes it (the TLV-items form).
    let files = ic.ic_licence.as_ref().unwrap();
    let parts = SignedForm::Tlv.parts(
        &Entries::decode(&files.ef01).unwrap(),
        &Domicile::decode(files.ef02.as_deref().unwrap()).unwrap(),
        &Photo::decode(files.photo.as_deref().unwrap()).unwrap(),
    );
    let ic_message = parts.concat();
    let mut ic_sig = vec![0u8; pair.public_modulus_len()];
    pair.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), &ic_message, &mut ic_sig).unwrap();
    key.verify_sig(&ic_message, &ic_sig).unwrap();

    let mut work = [
        Work::new("rsa", Box::new(|| key.verify_sig(black_box(&message), &sig).unwrap())),
        Work::new("full", Box::new(|| drop(black_box(verify(black_box(&full), &store, &ctx))))),
        Work::new("age", Box::new(|| drop(black_box(verify(black_box(&age), &store, &ctx).map(|v| v.age_check(18)))))),
        Work::new("ic", Box::new(|| drop(black_box(verify(black_box(&ic), &store, &ctx))))),
        Work::new("service", Box::new(|| drop(black_box(verify(black_box(&service), &store, &ctx))))),
        Work::new("ic_crypto", Box::new(|| key.verify_sig(black_box(&ic_message), &ic_sig).unwrap())),
    ];
    // Warm-up: every workload once for a slice.
    for w in &work {
        let start = Instant::now();
        while start.elapsed() < slice {
            (w.run)();
        }
    }
    let end = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < end {
        for w in &mut work {
            let start = Instant::now();
            let mut n = 0u32;
            // Checking the clock every 16 operations keeps its cost out of the rates.
            while start.elapsed() < slice {
                for _ in 0..16 {
                    (w.run)();
                }
                n += 16;
            }
            w.ops += f64::from(n);
            w.spent += start.elapsed();
        }
    }
    let rates: Vec<String> =
        work.iter().map(|w| format!("\"{}\": {:.1}", w.name, w.ops / w.spent.as_secs_f64())).collect();
    println!("{{{}}}", rates.join(", "));
}

/// One workload: what it runs, how often it ran and for how long.
struct Work<'a> {
    name: &'static str,
    run: Box<dyn Fn() + 'a>,
    ops: f64,
    spent: Duration,
}

impl<'a> Work<'a> {
    fn new(name: &'static str, run: Box<dyn Fn() + 'a>) -> Self {
        Self { name, run, ops: 0.0, spent: Duration::ZERO }
    }
}
