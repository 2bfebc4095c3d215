//! 署名鍵の復元 (signer key recovery): the modulus of the licence signer's RSA key, recovered from
//! the signatures of two or more genuine cards (ic-licence.md §7). The cards carry no certificate
//! and none is public (§6): an operator who holds genuine cards derives the key here and stores it
//! as a bare key in the trust store's `licence/` directory ([`public_key_pem`]). Such a key is
//! trusted only because the cards were genuine; it is never shipped as a default.
//!
//! # The math
//!
//! A PKCS#1 v1.5 signature `s` (k bytes) of a message `m` under the key `(n, e)` satisfies
//!
//! ```text
//! s^e ≡ EM (mod n)    EM = 00 01 FF…FF 00 ‖ DigestInfo(hash(m)), k bytes (RFC 8017 §9.2)
//! ```
//!
//! so `n` divides `s^e − EM`, and for two cards signed by the same key
//!
//! ```text
//! g = gcd(s₁^e − EM₁, s₂^e − EM₂) = n · c
//! ```
//!
//! where the cofactor `c` is the product of the few small primes the two quotients share by chance.
//! Each further card shrinks `g`: `g ← gcd(g, (sᵢ^e mod g) − EMᵢ)`, computed modulo `g`. Primes
//! below 2¹⁶ are divided out, and a candidate is accepted only when it has exactly 8k bits and
//! `sᵢ < n` and `sᵢ^e mod n = EMᵢ` for every card, checked here and again by aws-lc-rs' verifier.
//! A wrong message form or hash gives unrelated EMs and a small `g`, so nothing is accepted; a
//! signature that is not of this key makes the whole set fail ([`RecoverError::NoCommonKey`]).
//!
//! # Cost
//!
//! With e = 65537 and a 2048-bit `s`, `s^e` has 134 million bits: only subquadratic multiplication
//! and gcd (FFT, half-gcd) finish on such numbers. `malachite` has both, in pure Rust (README,
//! dependencies). The two powers are computed once (about 1 s); each (form, hash) combination then
//! costs one full gcd, 40–50 s on a 2-core x86-64 machine:
//!
//! ```text
//! cargo run --release -p menkyo-core --features recover-key --example recover_key_timing
//! ```
//!
//! Combinations are tried most likely first, one per core at a time, and the first verified key
//! in that order wins: cards of the expected kind (TLV form, SHA-256) take one gcd's time;
//! signatures with no common key take one gcd per combination (six when both message forms are
//! given), spread over the cores.

use core::fmt;

use aws_lc_rs::digest;
use aws_lc_rs::signature::{
    RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_2048_8192_SHA384, RSA_PKCS1_2048_8192_SHA512, RsaParameters,
    RsaPublicKeyComponents,
};
use der::EncodePem;
use der::asn1::{AnyRef, BitStringRef};
use der::oid::ObjectIdentifier;
use der::pem::LineEnding;
use malachite_base::num::arithmetic::traits::{CheckedSub, DivExactAssign, DivisibleBy, Gcd, ModPow, Pow};
use malachite_base::num::logic::traits::SignificantBits;
use malachite_nz::natural::Natural;
use malachite_nz::platform::Limb;

/// The public exponent of the licence signer's key (ic-licence.md §7).
pub const PUBLIC_EXPONENT: u32 = 65_537;

/// Shortest signature accepted: RSA-2048, the size of EF07 B1 (ic-licence.md §6). The verifier
/// accepts no smaller key.
pub const SIGNATURE_LEN_MIN: usize = 256;

/// Longest signature accepted: RSA-4096. [P] `s^e` then has 268 million bits and each gcd takes
/// minutes; no card carries a larger key.
pub const SIGNATURE_LEN_MAX: usize = 512;

/// Longest key identifier compared: EF07 B6 and WEF03 010D hold at most 32 bytes
/// (ic-licence.md §7, card-formats.md §2.4).
const KEY_IDENTIFIER_MAX: usize = 32;

/// Length of an RFC 7093 method 1 key identifier: the leftmost 160 bits of the SHA-256 digest.
const TRUNCATED_KEY_IDENTIFIER_LEN: usize = 20;

/// Primes below this bound are divided out of the gcd. A prime p divides both cofactors with
/// probability 1/p², so a common factor above the bound remains with probability about
/// 1/(B ln B) ≈ 1.4·10⁻⁶; a further card removes it.
const TRIAL_DIVISION_BOUND: u32 = 1 << 16;

/// Largest cofactor (in bits above the modulus size) that trial division is tried on. [P] Chance
/// cofactors are a few bits long; a larger one means the inputs are not independent signatures,
/// and dividing a huge number 30 000 times would take long for nothing.
const COFACTOR_BITS_MAX: u64 = 256;

/// The combinations in the order tried, most likely first. [P] SHA-256 is what the issuers' other
/// signatures use and is tried with both forms before SHA-384 and SHA-512; within a hash the TLV
/// form (ic-licence.md §6) comes before the whole EFs.
const COMBINATIONS: [(MessageForm, DigestAlg); 6] = [
    (MessageForm::Tlv, DigestAlg::Sha256),
    (MessageForm::Whole, DigestAlg::Sha256),
    (MessageForm::Tlv, DigestAlg::Sha384),
    (MessageForm::Whole, DigestAlg::Sha384),
    (MessageForm::Tlv, DigestAlg::Sha512),
    (MessageForm::Whole, DigestAlg::Sha512),
];

/// `rsaEncryption` (RFC 8017 Appendix C).
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// How the signed message is cut from the EFs (ic-licence.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageForm {
    /// DF1/EF01 ‖ DF1/EF02 ‖ DF2/EF01, each as its TLV bytes up to the `FF` padding.
    Tlv,
    /// The same EFs whole, as read (padding included).
    Whole,
}

impl MessageForm {
    /// `tlv` or `whole`, as the command line prints it (ic-licence.md §9).
    pub const fn as_str(self) -> &'static str {
        match self {
            MessageForm::Tlv => "tlv",
            MessageForm::Whole => "whole",
        }
    }
}

impl fmt::Display for MessageForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The hash inside the signature's DigestInfo. SHA-1 is not one: it offers no security today and
/// is never accepted as a result (ic-licence.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DigestAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    /// `sha256`, `sha384` or `sha512`, as the command line prints it (ic-licence.md §9).
    pub const fn as_str(self) -> &'static str {
        match self {
            DigestAlg::Sha256 => "sha256",
            DigestAlg::Sha384 => "sha384",
            DigestAlg::Sha512 => "sha512",
        }
    }

    /// The DER of `DigestInfo` up to the digest value (RFC 8017 §9.2, note 1):
    ///
    /// ```text
    /// SEQUENCE { SEQUENCE { OID id-sha…, NULL }, OCTET STRING (digest) }
    /// ```
    const fn digest_info_prefix(self) -> &'static [u8] {
        match self {
            DigestAlg::Sha256 => &[
                0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
                0x04, 0x20,
            ],
            DigestAlg::Sha384 => &[
                0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
                0x04, 0x30,
            ],
            DigestAlg::Sha512 => &[
                0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00,
                0x04, 0x40,
            ],
        }
    }

    fn algorithm(self) -> &'static digest::Algorithm {
        match self {
            DigestAlg::Sha256 => &digest::SHA256,
            DigestAlg::Sha384 => &digest::SHA384,
            DigestAlg::Sha512 => &digest::SHA512,
        }
    }

    fn verification(self) -> &'static RsaParameters {
        match self {
            DigestAlg::Sha256 => &RSA_PKCS1_2048_8192_SHA256,
            DigestAlg::Sha384 => &RSA_PKCS1_2048_8192_SHA384,
            DigestAlg::Sha512 => &RSA_PKCS1_2048_8192_SHA512,
        }
    }
}

impl fmt::Display for DigestAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One card: its signature and the candidate messages it may sign, at most one per form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample<'a> {
    pub messages: Vec<(MessageForm, &'a [u8])>,
    /// EF07 B1 (or WEF03 0108): the signature, big-endian, as long as the modulus.
    pub signature: &'a [u8],
}

impl<'a> Sample<'a> {
    fn message(&self, form: MessageForm) -> Option<&'a [u8]> {
        self.messages.iter().find(|(f, _)| *f == form).map(|(_, m)| *m)
    }
}

/// Whether EF07 B6 names the recovered key (ic-licence.md §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyIdMatch {
    /// B6 is the SHA-1 of the key's subjectPublicKey (RFC 5280 §4.2.1.2 method 1).
    Sha1,
    /// B6 is the SHA-256 of the key's subjectPublicKey, whole or its leftmost 160 bits (RFC 7093
    /// method 1).
    Sha256,
    /// B6 is neither: the key may still be right, but the cards do not confirm it.
    NoMatch,
}

impl KeyIdMatch {
    /// `matches sha1`, `matches sha256` or `no match`, as the command line prints it
    /// (ic-licence.md §9).
    pub const fn as_str(self) -> &'static str {
        match self {
            KeyIdMatch::Sha1 => "matches sha1",
            KeyIdMatch::Sha256 => "matches sha256",
            KeyIdMatch::NoMatch => "no match",
        }
    }
}

impl fmt::Display for KeyIdMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A key under which every sample's signature verified, and the message form and hash that did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// Big-endian, exactly as long as the signatures.
    pub modulus: Vec<u8>,
    pub exponent: u32,
    pub form: MessageForm,
    pub hash: DigestAlg,
}

/// Why no key was recovered. Samples are numbered by their position in the slice, from 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecoverError {
    #[error("{count} signature(s) given: recovering a key needs signatures from at least 2 cards")]
    TooFewSamples { count: usize },
    #[error(
        "sample {sample}: a {len}-byte signature is not RSA-2048 to RSA-4096 ({SIGNATURE_LEN_MIN}–{SIGNATURE_LEN_MAX} bytes)"
    )]
    SignatureLength { sample: usize, len: usize },
    #[error("sample {sample}: a {len}-byte signature where sample 0 has {expected}: one key signs with one length")]
    SignatureLengthsDiffer { sample: usize, len: usize, expected: usize },
    #[error("sample {sample}: no candidate message")]
    NoMessage { sample: usize },
    #[error("sample {sample}: more than one candidate message of form {form}")]
    DuplicateForm { sample: usize, form: MessageForm },
    #[error("samples {first} and {second} carry the same signed data: each sample must come from a different card")]
    IdenticalMessages { first: usize, second: usize },
    #[error("no message form is given for every sample")]
    NoCommonForm,
    /// A multiple of a key was found but a factor above the trial-division bound is left: one more
    /// card removes it.
    #[error(
        "the signatures share a {bits}-bit factor that is not a key of their size: add a signature from another card"
    )]
    CofactorRemains { bits: u64 },
    #[error("the signatures have no common RSA key (e = 65537) under any message form and hash tried")]
    NoCommonKey,
    #[error("the key cannot be DER-encoded")]
    KeyEncoding,
}

/// Recovers the key that made every sample's signature, trying the (form, hash) combinations most
/// likely first: the same form and hash for all samples. Takes 40–50 s per combination tried for
/// RSA-2048 (module documentation).
pub fn recover(samples: &[Sample<'_>]) -> Result<Recovered, RecoverError> {
    recover_with_exponent(samples, PUBLIC_EXPONENT)
}

/// [`recover`] for any public exponent: the tests use e = 3, whose powers are small, to cover every
/// path without a 45-second gcd each.
fn recover_with_exponent(samples: &[Sample<'_>], exponent: u32) -> Result<Recovered, RecoverError> {
    let k = check_samples(samples)?;
    let modulus_bits = u64::try_from(k).map_or(u64::MAX, |k| k.saturating_mul(8));
    let signatures: Vec<Natural> = samples.iter().map(|s| natural(s.signature)).collect();
    let [s1, s2, ..] = signatures.as_slice() else { return Err(RecoverError::TooFewSamples { count: samples.len() }) };
    // The two large powers are shared by every combination: only the EMs change.
    let powers = (s1.pow(u64::from(exponent)), s2.pow(u64::from(exponent)));
    let e = Natural::from(exponent);
    // The combinations to try, most likely first, without repeats (the whole EFs equal their TLV
    // bytes when nothing is padded: the same gcd again).
    let mut tried: Vec<Vec<Vec<u8>>> = Vec::new();
    let mut todo = Vec::new();
    for (form, hash) in COMBINATIONS {
        let Some(messages) = samples.iter().map(|s| s.message(form)).collect::<Option<Vec<&[u8]>>>() else {
            continue;
        };
        let Some(ems) = messages.iter().map(|m| encode_message(hash, m, k)).collect::<Option<Vec<Vec<u8>>>>() else {
            continue;
        };
        if tried.contains(&ems) {
            continue;
        }
        tried.push(ems.clone());
        todo.push((form, hash, messages, ems));
    }
    // One full gcd per combination: as many at a time as there are cores, answers taken in the
    // order of preference.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut cofactor = None;
    for batch in todo.chunks(threads) {
        let candidates: Vec<Candidate> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .iter()
                .map(|(_, _, _, ems)| scope.spawn(|| common_modulus(&powers, &signatures, ems, &e, modulus_bits)))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(Candidate::None)).collect()
        });
        for ((form, hash, messages, _), candidate) in batch.iter().zip(candidates) {
            match candidate {
                Candidate::Modulus(n) => {
                    let modulus = be_bytes(&n);
                    if verifies(&modulus, exponent, *hash, messages, samples) {
                        return Ok(Recovered { modulus, exponent, form: *form, hash: *hash });
                    }
                }
                Candidate::Cofactor { bits } => {
                    cofactor.get_or_insert(bits);
                }
                Candidate::None => {}
            }
        }
    }
    Err(cofactor.map_or(RecoverError::NoCommonKey, |bits| RecoverError::CofactorRemains { bits }))
}

/// The signature length k shared by all samples, once the samples are fit to recover from.
fn check_samples(samples: &[Sample<'_>]) -> Result<usize, RecoverError> {
    let [first, _, ..] = samples else { return Err(RecoverError::TooFewSamples { count: samples.len() }) };
    let k = first.signature.len();
    for (i, sample) in samples.iter().enumerate() {
        let len = sample.signature.len();
        if !(SIGNATURE_LEN_MIN..=SIGNATURE_LEN_MAX).contains(&len) {
            return Err(RecoverError::SignatureLength { sample: i, len });
        }
        if len != k {
            return Err(RecoverError::SignatureLengthsDiffer { sample: i, len, expected: k });
        }
        if sample.messages.is_empty() {
            return Err(RecoverError::NoMessage { sample: i });
        }
        for (j, (form, _)) in sample.messages.iter().enumerate() {
            if sample.messages.iter().take(j).any(|(f, _)| f == form) {
                return Err(RecoverError::DuplicateForm { sample: i, form: *form });
            }
        }
    }
    let every_sample_has = |form| samples.iter().all(|s| s.message(form).is_some());
    if !every_sample_has(MessageForm::Tlv) && !every_sample_has(MessageForm::Whole) {
        return Err(RecoverError::NoCommonForm);
    }
    // The same signed data twice adds nothing: `gcd(x, x) = x`, a 134-million-bit number.
    for (i, a) in samples.iter().enumerate() {
        for (j, b) in samples.iter().enumerate().skip(i.saturating_add(1)) {
            let same_message = a.messages.iter().any(|(form, m)| b.message(*form) == Some(*m));
            if a.signature == b.signature || same_message {
                return Err(RecoverError::IdenticalMessages { first: i, second: j });
            }
        }
    }
    Ok(k)
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2): `00 01 FF…FF 00 ‖ DigestInfo`, k bytes with at least 8 `FF`;
/// `None` when k is too short for the hash.
fn encode_message(hash: DigestAlg, message: &[u8], k: usize) -> Option<Vec<u8>> {
    let digest = digest::digest(hash.algorithm(), message);
    let prefix = hash.digest_info_prefix();
    let t_len = prefix.len().checked_add(digest.as_ref().len())?;
    let ps_len = k.checked_sub(t_len)?.checked_sub(3)?;
    if ps_len < 8 {
        return None;
    }
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(ps_len.saturating_add(2), 0xFF);
    em.push(0x00);
    em.extend_from_slice(prefix);
    em.extend_from_slice(digest.as_ref());
    Some(em)
}

/// What the gcd of one combination gave.
enum Candidate {
    /// Exactly the modulus size, and every signature opens to its EM under it.
    Modulus(Natural),
    /// Larger than a modulus even after trial division.
    Cofactor {
        bits: u64,
    },
    None,
}

/// The gcd of `sᵢ^e − EMᵢ` over all samples, reduced to a modulus candidate (module docs).
/// `powers` are `s₁^e` and `s₂^e`.
fn common_modulus(
    powers: &(Natural, Natural),
    signatures: &[Natural],
    ems: &[Vec<u8>],
    e: &Natural,
    modulus_bits: u64,
) -> Candidate {
    let ems: Vec<Natural> = ems.iter().map(|em| natural(em)).collect();
    let (Some(em1), Some(em2)) = (ems.first(), ems.get(1)) else { return Candidate::None };
    // s^e < EM only for s ≤ 1, which is no signature.
    let (Some(a), Some(b)) = ((&powers.0).checked_sub(em1), (&powers.1).checked_sub(em2)) else {
        return Candidate::None;
    };
    let mut g = a.gcd(b);
    for (s, em) in signatures.iter().zip(&ems).skip(2) {
        if g.significant_bits() < modulus_bits {
            return Candidate::None;
        }
        let power = (s % &g).mod_pow(e, &g);
        let em = em % &g;
        let difference = if power >= em { power - em } else { power + &g - em };
        g = g.gcd(difference);
    }
    let bits = g.significant_bits();
    if bits > modulus_bits && bits <= modulus_bits.saturating_add(COFACTOR_BITS_MAX) {
        remove_small_factors(&mut g);
    }
    let bits = g.significant_bits();
    if bits > modulus_bits {
        return Candidate::Cofactor { bits };
    }
    // No 8k-bit modulus has a proper multiple of 8k bits, so this is n itself or nothing.
    let opens = bits == modulus_bits && signatures.iter().zip(&ems).all(|(s, em)| s < &g && &s.mod_pow(e, &g) == em);
    if opens { Candidate::Modulus(g) } else { Candidate::None }
}

/// Divides out every prime below [`TRIAL_DIVISION_BOUND`]. Odd composites are tried too: their
/// prime factors are gone by then, so they never divide.
fn remove_small_factors(g: &mut Natural) {
    for d in core::iter::once(2).chain((3..TRIAL_DIVISION_BOUND).step_by(2)) {
        let d = Natural::from(d);
        while *g > d && (&*g).divisible_by(&d) {
            g.div_exact_assign(&d);
        }
    }
}

/// The independent check: aws-lc-rs verifies every sample's signature under the candidate.
fn verifies(modulus: &[u8], exponent: u32, hash: DigestAlg, messages: &[&[u8]], samples: &[Sample<'_>]) -> bool {
    let e: Vec<u8> = exponent.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
    let key = RsaPublicKeyComponents { n: modulus, e: e.as_slice() };
    messages.len() == samples.len()
        && messages.iter().zip(samples).all(|(m, s)| key.verify(hash.verification(), m, s.signature).is_ok())
}

const LIMB_BYTES: usize = core::mem::size_of::<Limb>();

/// A big-endian unsigned integer.
fn natural(bytes: &[u8]) -> Natural {
    let limbs = bytes
        .rchunks(LIMB_BYTES)
        .map(|chunk| chunk.iter().fold(0, |acc: Limb, &b| (acc << 8) | Limb::from(b)))
        .collect();
    Natural::from_owned_limbs_asc(limbs)
}

/// Big-endian, without leading zeros.
fn be_bytes(n: &Natural) -> Vec<u8> {
    n.to_limbs_desc().into_iter().flat_map(Limb::to_be_bytes).skip_while(|&b| b == 0).collect()
}

fn rsa_public_key_der(modulus: &[u8], exponent: u32) -> der::Result<Vec<u8>> {
    crate::crypto::rsa_public_key_der(modulus, &exponent.to_be_bytes())
}

/// Compares a card's key identifier (EF07 B6, WEF03 010D) with the digests of the key's
/// subjectPublicKey, the DER `RSAPublicKey`: SHA-1 (RFC 5280 §4.2.1.2 method 1), SHA-256 whole
/// or its leftmost 160 bits (RFC 7093 method 1). B6 holds up to 32 bytes, so a shorter digest
/// may stand with zeros after or before it (ic-licence.md §7).
pub fn key_identifier_match(modulus: &[u8], exponent: u32, key_id: &[u8]) -> KeyIdMatch {
    let Ok(der) = rsa_public_key_der(modulus, exponent) else { return KeyIdMatch::NoMatch };
    let sha1 = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, &der);
    let sha256 = digest::digest(&digest::SHA256, &der);
    let sha256 = sha256.as_ref();
    if padded_eq(key_id, sha1.as_ref()) {
        KeyIdMatch::Sha1
    } else if padded_eq(key_id, sha256)
        || sha256.get(..TRUNCATED_KEY_IDENTIFIER_LEN).is_some_and(|left| padded_eq(key_id, left))
    {
        KeyIdMatch::Sha256
    } else {
        KeyIdMatch::NoMatch
    }
}

/// `key_id` is `digest`, possibly with zero bytes after or before it, at most 32 bytes in all.
fn padded_eq(key_id: &[u8], digest: &[u8]) -> bool {
    let zeros = |rest: &[u8]| rest.iter().all(|&b| b == 0);
    key_id.len() <= KEY_IDENTIFIER_MAX
        && (key_id.strip_prefix(digest).is_some_and(zeros) || key_id.strip_suffix(digest).is_some_and(zeros))
}

/// The key as PEM "PUBLIC KEY" (an rsaEncryption SubjectPublicKeyInfo, RFC 5280 §4.1.2.7 and
/// RFC 8017 Appendix A.1), the form the trust store's `licence/` directory reads.
pub fn public_key_pem(modulus: &[u8], exponent: u32) -> Result<String, RecoverError> {
    let pkcs1 = rsa_public_key_der(modulus, exponent).map_err(|_| RecoverError::KeyEncoding)?;
    let spki = spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef { oid: OID_RSA_ENCRYPTION, parameters: Some(AnyRef::NULL) },
        subject_public_key: BitStringRef::from_bytes(&pkcs1).map_err(|_| RecoverError::KeyEncoding)?,
    };
    spki.to_pem(LineEnding::LF).map_err(|_| RecoverError::KeyEncoding)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use rand_chacha::ChaCha20Rng;
    use rand_chacha::rand_core::SeedableRng;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::pkcs8::EncodePublicKey;
    use rsa::sha2::{Digest, Sha256, Sha384, Sha512};
    use rsa::traits::PublicKeyParts;
    use rsa::{BigUint, Pkcs1v15Sign, RsaPrivateKey};

    use super::*;

    /// The key of the full-size test (e = 65537, as on the cards).
    static KEY: LazyLock<RsaPrivateKey> = LazyLock::new(|| key(1, PUBLIC_EXPONENT));
    /// Keys with e = 3: the same algorithm on 6144-bit powers, fast enough for every other test.
    static KEY_E3: LazyLock<RsaPrivateKey> = LazyLock::new(|| key(2, 3));
    static OTHER_KEY_E3: LazyLock<RsaPrivateKey> = LazyLock::new(|| key(3, 3));

    fn key(seed: u8, e: u32) -> RsaPrivateKey {
        let mut rng = ChaCha20Rng::from_seed([seed; 32]);
        RsaPrivateKey::new_with_exp(&mut rng, 2048, &BigUint::from(e)).unwrap()
    }

    fn modulus(key: &RsaPrivateKey) -> Vec<u8> {
        key.n().to_bytes_be()
    }

    fn exponent(key: &RsaPrivateKey) -> u32 {
        key.e().to_bytes_be().iter().fold(0, |acc, &b| (acc << 8) | u32::from(b))
    }

    /// The signed data of one card in both forms; the whole EFs end in `FF` padding.
    struct Card {
        tlv: Vec<u8>,
        whole: Vec<u8>,
        signature: Vec<u8>,
    }

    impl Card {
        fn new(key: &RsaPrivateKey, number: u8, form: MessageForm, hash: DigestAlg) -> Card {
            let tlv: Vec<u8> =
                [&[0x11, 0x04, 0x30, 0x30, 0x30, number][..], b"\x12\x06\x3b\x33\x45\x44\x21\x21"].concat();
            let whole = [tlv.as_slice(), &[0xFF; 40]].concat();
            let signed = match form {
                MessageForm::Tlv => &tlv,
                MessageForm::Whole => &whole,
            };
            let signature = match hash {
                DigestAlg::Sha256 => key.sign(Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(signed)),
                DigestAlg::Sha384 => key.sign(Pkcs1v15Sign::new::<Sha384>(), &Sha384::digest(signed)),
                DigestAlg::Sha512 => key.sign(Pkcs1v15Sign::new::<Sha512>(), &Sha512::digest(signed)),
            }
            .unwrap();
            Card { tlv, whole, signature }
        }

        fn sample(&self) -> Sample<'_> {
            Sample {
                messages: vec![(MessageForm::Tlv, &self.tlv), (MessageForm::Whole, &self.whole)],
                signature: &self.signature,
            }
        }
    }

    fn cards(key: &RsaPrivateKey, count: u8, form: MessageForm, hash: DigestAlg) -> Vec<Card> {
        (1..=count).map(|number| Card::new(key, number, form, hash)).collect()
    }

    fn samples(cards: &[Card]) -> Vec<Sample<'_>> {
        cards.iter().map(Card::sample).collect()
    }

    fn recovered(key: &RsaPrivateKey, form: MessageForm, hash: DigestAlg) -> Recovered {
        Recovered { modulus: modulus(key), exponent: exponent(key), form, hash }
    }

    /// The real case, e = 65537: one gcd of two 134-million-bit numbers (40–70 s: dependencies
    /// are optimised in test builds too).
    #[test]
    fn recovers_the_modulus_from_two_cards() {
        let cards = cards(&KEY, 2, MessageForm::Tlv, DigestAlg::Sha256);
        assert_eq!(recover(&samples(&cards)), Ok(recovered(&KEY, MessageForm::Tlv, DigestAlg::Sha256)));
    }

    #[test]
    fn recovers_the_modulus_from_three_cards() {
        let cards = cards(&KEY_E3, 3, MessageForm::Tlv, DigestAlg::Sha256);
        assert_eq!(
            recover_with_exponent(&samples(&cards), 3),
            Ok(recovered(&KEY_E3, MessageForm::Tlv, DigestAlg::Sha256))
        );
    }

    #[test]
    fn reports_the_form_and_hash_that_verified() {
        for (form, hash) in COMBINATIONS {
            for count in [2, 3] {
                let cards = cards(&KEY_E3, count, form, hash);
                assert_eq!(recover_with_exponent(&samples(&cards), 3), Ok(recovered(&KEY_E3, form, hash)));
            }
        }
    }

    #[test]
    fn a_card_that_gives_one_form_only_still_counts() {
        let cards = cards(&KEY_E3, 2, MessageForm::Tlv, DigestAlg::Sha384);
        let mut samples = samples(&cards);
        samples[1].messages.truncate(1);
        assert_eq!(recover_with_exponent(&samples, 3), Ok(recovered(&KEY_E3, MessageForm::Tlv, DigestAlg::Sha384)));
    }

    #[test]
    fn two_keys_have_no_common_key() {
        let a = Card::new(&KEY_E3, 1, MessageForm::Tlv, DigestAlg::Sha256);
        let b = Card::new(&OTHER_KEY_E3, 2, MessageForm::Tlv, DigestAlg::Sha256);
        let c = Card::new(&KEY_E3, 3, MessageForm::Tlv, DigestAlg::Sha256);
        assert_eq!(recover_with_exponent(&[a.sample(), b.sample()], 3), Err(RecoverError::NoCommonKey));
        // Two cards agree, the third does not: the key must open every signature.
        assert_eq!(recover_with_exponent(&[a.sample(), c.sample(), b.sample()], 3), Err(RecoverError::NoCommonKey));
    }

    #[test]
    fn a_tampered_signature_never_yields_a_key() {
        for position in [0, 100, 255] {
            let mut cards = cards(&KEY_E3, 3, MessageForm::Tlv, DigestAlg::Sha256);
            cards[1].signature[position] ^= 0x01;
            assert_eq!(recover_with_exponent(&samples(&cards[..2]), 3), Err(RecoverError::NoCommonKey));
            let mut reordered = samples(&cards);
            reordered.swap(1, 2);
            assert_eq!(recover_with_exponent(&reordered, 3), Err(RecoverError::NoCommonKey));
        }
    }

    #[test]
    fn a_changed_message_never_yields_a_key() {
        let mut cards = cards(&KEY_E3, 2, MessageForm::Tlv, DigestAlg::Sha256);
        cards[0].tlv[3] ^= 0x01;
        cards[0].whole[3] ^= 0x01;
        assert_eq!(recover_with_exponent(&samples(&cards), 3), Err(RecoverError::NoCommonKey));
    }

    #[test]
    fn unfit_samples_are_refused() {
        let cards = cards(&KEY_E3, 2, MessageForm::Tlv, DigestAlg::Sha256);
        let [a, b] = [cards[0].sample(), cards[1].sample()];
        assert_eq!(recover(&[]), Err(RecoverError::TooFewSamples { count: 0 }));
        assert_eq!(recover(std::slice::from_ref(&a)), Err(RecoverError::TooFewSamples { count: 1 }));
        assert_eq!(recover(&[a.clone(), a.clone()]), Err(RecoverError::IdenticalMessages { first: 0, second: 1 }));

        let short = Sample { signature: &b.signature[1..], ..b.clone() };
        assert_eq!(recover(&[a.clone(), short]), Err(RecoverError::SignatureLength { sample: 1, len: 255 }));
        let long = [&[0u8][..], b.signature].concat();
        let long = Sample { signature: &long, ..b.clone() };
        assert_eq!(
            recover(&[a.clone(), long]),
            Err(RecoverError::SignatureLengthsDiffer { sample: 1, len: 257, expected: 256 })
        );

        let none = Sample { messages: vec![], ..b.clone() };
        assert_eq!(recover(&[a.clone(), none]), Err(RecoverError::NoMessage { sample: 1 }));
        let twice = Sample { messages: vec![b.messages[0], b.messages[0]], ..b.clone() };
        assert_eq!(
            recover(&[a.clone(), twice]),
            Err(RecoverError::DuplicateForm { sample: 1, form: MessageForm::Tlv })
        );
        let same_tlv = Sample { messages: vec![a.messages[0]], ..b.clone() };
        assert_eq!(recover(&[a.clone(), same_tlv]), Err(RecoverError::IdenticalMessages { first: 0, second: 1 }));

        let tlv_only = Sample { messages: vec![a.messages[0]], ..a.clone() };
        let whole_only = Sample { messages: vec![b.messages[1]], ..b.clone() };
        assert_eq!(recover(&[tlv_only, whole_only]), Err(RecoverError::NoCommonForm));
    }

    #[test]
    fn small_factors_are_divided_out() {
        let n = natural(&modulus(&KEY));
        let mut g = &n * Natural::from(2u32 * 2 * 2 * 3 * 65_521);
        remove_small_factors(&mut g);
        assert_eq!(g, n);
    }

    /// `powers` made up so that the gcd is `n · factor`: trial division removes a small factor
    /// and reports a large one.
    #[test]
    fn common_factors_of_the_gcd() {
        let cards = cards(&KEY_E3, 2, MessageForm::Tlv, DigestAlg::Sha256);
        let signatures: Vec<Natural> = cards.iter().map(|c| natural(&c.signature)).collect();
        let ems: Vec<Vec<u8>> = cards.iter().map(|c| encode_message(DigestAlg::Sha256, &c.tlv, 256).unwrap()).collect();
        let n = natural(&modulus(&KEY_E3));
        let made_up = |factor: u32| {
            let multiple = &n * Natural::from(factor);
            (&multiple * Natural::from(7u32) + natural(&ems[0]), &multiple * Natural::from(11u32) + natural(&ems[1]))
        };
        let e = Natural::from(3u32);
        let Candidate::Modulus(found) = common_modulus(&made_up(2 * 3 * 65_521), &signatures, &ems, &e, 2048) else {
            panic!("small factors were not removed")
        };
        assert_eq!(found, n);
        // 65537 is the first prime above the trial-division bound.
        let Candidate::Cofactor { bits } = common_modulus(&made_up(65_537), &signatures, &ems, &e, 2048) else {
            panic!("a large common factor was not reported")
        };
        assert_eq!(bits, (&n * Natural::from(65_537u32)).significant_bits());
    }

    #[test]
    fn encodes_the_message_as_rfc_8017() {
        // The EM is what the `rsa` crate's signature opens to.
        let n = natural(&modulus(&KEY_E3));
        for hash in [DigestAlg::Sha256, DigestAlg::Sha384, DigestAlg::Sha512] {
            let card = Card::new(&KEY_E3, 9, MessageForm::Tlv, hash);
            let em = encode_message(hash, &card.tlv, 256).unwrap();
            assert_eq!(em.len(), 256);
            assert_eq!(natural(&card.signature).mod_pow(Natural::from(3u32), &n), natural(&em));
        }
        assert_eq!(encode_message(DigestAlg::Sha512, b"", 93), None);
    }

    #[test]
    fn converts_between_bytes_and_naturals() {
        let bytes: Vec<u8> = (1..=255).collect();
        assert_eq!(be_bytes(&natural(&bytes)), bytes);
        assert_eq!(natural(&[0, 0, 1, 2]), Natural::from(0x0102u32));
        assert_eq!(be_bytes(&natural(&[])), Vec::<u8>::new());
    }

    #[test]
    fn key_identifiers() {
        let n = modulus(&KEY);
        let der = KEY.to_public_key().to_pkcs1_der().unwrap();
        let sha1 = digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, der.as_bytes()).as_ref().to_vec();
        let sha256 = digest::digest(&digest::SHA256, der.as_bytes()).as_ref().to_vec();
        let padded = |prefix: &[u8], id: &[u8], suffix: &[u8]| [prefix, id, suffix].concat();

        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &sha1), KeyIdMatch::Sha1);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &padded(&[], &sha1, &[0; 12])), KeyIdMatch::Sha1);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &padded(&[0; 12], &sha1, &[])), KeyIdMatch::Sha1);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &sha256), KeyIdMatch::Sha256);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &sha256[..20]), KeyIdMatch::Sha256);
        assert_eq!(
            key_identifier_match(&n, PUBLIC_EXPONENT, &padded(&[], &sha256[..20], &[0; 12])),
            KeyIdMatch::Sha256
        );
        // A leading zero byte of the modulus changes nothing: INTEGERs are minimal.
        assert_eq!(key_identifier_match(&padded(&[0], &n, &[]), PUBLIC_EXPONENT, &sha1), KeyIdMatch::Sha1);

        assert_eq!(key_identifier_match(&n, 3, &sha1), KeyIdMatch::NoMatch);
        assert_eq!(key_identifier_match(&modulus(&KEY_E3), PUBLIC_EXPONENT, &sha1), KeyIdMatch::NoMatch);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &padded(&[], &sha1, &[0, 0, 1])), KeyIdMatch::NoMatch);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &padded(&[], &sha1, &[0; 13])), KeyIdMatch::NoMatch);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &sha1[..19]), KeyIdMatch::NoMatch);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &[]), KeyIdMatch::NoMatch);
        assert_eq!(key_identifier_match(&n, PUBLIC_EXPONENT, &[0; 32]), KeyIdMatch::NoMatch);
    }

    #[test]
    fn public_key_pem_is_the_spki_of_the_key() {
        let expected = KEY.to_public_key().to_public_key_pem(rsa::pkcs8::LineEnding::LF).unwrap();
        assert_eq!(public_key_pem(&modulus(&KEY), PUBLIC_EXPONENT).unwrap(), expected);
    }

    #[test]
    fn labels() {
        assert_eq!(MessageForm::Tlv.as_str(), "tlv");
        assert_eq!(MessageForm::Whole.to_string(), "whole");
        assert_eq!(
            [DigestAlg::Sha256, DigestAlg::Sha384, DigestAlg::Sha512].map(DigestAlg::as_str),
            ["sha256", "sha384", "sha512"]
        );
        assert_eq!(
            [KeyIdMatch::Sha1, KeyIdMatch::Sha256, KeyIdMatch::NoMatch].map(|m| m.to_string()),
            ["matches sha1", "matches sha256", "no match"]
        );
    }
}
