//! Times key recovery (ic-licence.md §7) from two freshly signed cards: RSA-2048, e = 65537,
//! SHA-256 over the TLV form, the case `recover` tries first (one gcd). With `--no-common-key` the
//! second card is signed by another key instead: every combination is tried (six gcds).
//!
//! ```text
//! cargo run --release -p menkyo-core --features recover-key --example recover_key_timing [-- --no-common-key]
//! ```

use std::error::Error;
use std::time::Instant;

use menkyo_core::key_recovery::{MessageForm, Sample, recover};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::sha2::{Digest, Sha256};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};

fn main() -> Result<(), Box<dyn Error>> {
    let no_common_key = std::env::args().skip(1).any(|a| a == "--no-common-key");
    let started = Instant::now();
    let key = RsaPrivateKey::new(&mut ChaCha20Rng::from_seed([7; 32]), 2048)?;
    let other = RsaPrivateKey::new(&mut ChaCha20Rng::from_seed([8; 32]), 2048)?;
    let tlv: [&[u8]; 2] = [b"\x11\x04card\x12\x04\x3b\x33\x45\x44", b"\x11\x04CARD\x12\x04\x3b\x33\x45\x44"];
    let whole: Vec<Vec<u8>> = tlv.iter().map(|m| [*m, &[0xFF; 32]].concat()).collect();
    let signers = if no_common_key { [&key, &other] } else { [&key, &key] };
    let signatures = signers
        .iter()
        .zip(tlv)
        .map(|(k, m)| k.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(m)))
        .collect::<Result<Vec<_>, _>>()?;
    let samples: Vec<Sample<'_>> = tlv
        .iter()
        .zip(&whole)
        .zip(&signatures)
        .map(|((t, w), s)| Sample { messages: vec![(MessageForm::Tlv, *t), (MessageForm::Whole, w)], signature: s })
        .collect();
    println!("keys made and cards signed in {:.1} s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let result = recover(&samples);
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(r) if r.modulus == key.n().to_bytes_be() => {
            println!("recovered the {}-bit modulus ({}, {}) in {seconds:.1} s", r.modulus.len() * 8, r.form, r.hash);
            Ok(())
        }
        Ok(_) => Err("recovered a modulus that is not the signer's".into()),
        Err(e) if no_common_key => {
            println!("{e} ({seconds:.1} s)");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
