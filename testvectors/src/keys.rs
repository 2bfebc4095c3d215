//! Deterministic test keys: every key is derived from its label, so `regen` is byte-identical.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer};
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use sha2::{Digest, Sha256, Sha384};

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

/// The hash of an RSASSA-PKCS1-v1_5 signature of the IC licence vectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    /// Only for the vector a verifier must refuse (ic-licence.md §6).
    Sha1,
    Sha256,
    Sha384,
}

/// DigestInfo prefix of SHA-1 (RFC 8017 §9.2 note 1). No SHA-1 crate is linked: the digest
/// comes from aws-lc-rs, the padding from `rsa` with this prefix.
const SHA1_DIGEST_INFO: [u8; 15] =
    [0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14];
/// Length of a SHA-1 digest.
const SHA1_LEN: usize = 20;

/// RSASSA-PKCS1-v1_5 with `hash` (deterministic).
pub fn sign_with(key: &RsaPrivateKey, hash: Hash, message: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(match hash {
        Hash::Sha1 => {
            let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, message);
            let padding = Pkcs1v15Sign { hash_len: Some(SHA1_LEN), prefix: SHA1_DIGEST_INFO.into() };
            key.sign(padding, digest.as_ref())?
        }
        Hash::Sha256 => sign_sha256(key, message),
        Hash::Sha384 => SigningKey::<Sha384>::new(key.clone()).sign(message).to_vec(),
    })
}

/// A fixed-size signature as the card-surface records hold it.
pub fn sign_sha256_256(key: &RsaPrivateKey, message: &[u8]) -> Result<[u8; 256], Error> {
    <[u8; 256]>::try_from(sign_sha256(key, message))
        .map_err(|_| Error::Invariant("RSA-2048 signature is not 256 bytes"))
}
