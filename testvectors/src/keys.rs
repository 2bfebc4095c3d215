//! Deterministic test keys: every key is derived from its label, so `regen` is byte-identical.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use sha2::{Digest, Sha256};

use crate::Error;

/// Bits of every test RSA key.
const RSA_BITS: usize = 2048;

/// The RSA-2048 key for `label`, the same on every run and machine.
pub fn rsa_key(label: &str) -> Result<RsaPrivateKey, Error> {
    let seed: [u8; 32] = Sha256::digest(format!("menkyo testvectors TEST ONLY key: {label}")).into();
    let mut rng = ChaCha20Rng::from_seed(seed);
    Ok(RsaPrivateKey::new(&mut rng, RSA_BITS)?)
}

/// RSASSA-PKCS1-v1_5 with SHA-256 (deterministic).
pub fn sign_sha256(key: &RsaPrivateKey, message: &[u8]) -> Vec<u8> {
    SigningKey::<Sha256>::new(key.clone()).sign(message).to_vec()
}

/// A fixed-size signature as the card-surface records hold it.
pub fn sign_sha256_256(key: &RsaPrivateKey, message: &[u8]) -> Result<[u8; 256], Error> {
    <[u8; 256]>::try_from(sign_sha256(key, message))
        .map_err(|_| Error::Invariant("RSA-2048 signature is not 256 bytes"))
}
