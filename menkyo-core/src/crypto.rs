//! Signature verification primitives: RSA PKCS#1 v1.5 through aws-lc-rs (close to OpenSSL's
//! speed, see README), ECDSA P-256 through `p256`.

use std::sync::OnceLock;

use aws_lc_rs::signature::{
    ParsedPublicKey, RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, RSA_PKCS1_2048_8192_SHA256,
    RSA_PKCS1_2048_8192_SHA384, RSA_PKCS1_2048_8192_SHA512, RsaParameters, RsaPublicKeyComponents,
};
use der::asn1::UintRef;
use der::{Decode, Encode, Reader};
use p256::ecdsa::signature::Verifier;

/// The hash of an RSASSA-PKCS1-v1_5 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RsaHash {
    /// Only to recognise and refuse it (ic-licence.md §6): never a valid result.
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl RsaHash {
    const ALL: [RsaHash; 4] = [RsaHash::Sha1, RsaHash::Sha256, RsaHash::Sha384, RsaHash::Sha512];

    fn index(self) -> usize {
        match self {
            RsaHash::Sha1 => 0,
            RsaHash::Sha256 => 1,
            RsaHash::Sha384 => 2,
            RsaHash::Sha512 => 3,
        }
    }

    fn digest_algorithm(self) -> &'static aws_lc_rs::digest::Algorithm {
        match self {
            RsaHash::Sha1 => &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
            RsaHash::Sha256 => &aws_lc_rs::digest::SHA256,
            RsaHash::Sha384 => &aws_lc_rs::digest::SHA384,
            RsaHash::Sha512 => &aws_lc_rs::digest::SHA512,
        }
    }

    fn parameters(self) -> &'static RsaParameters {
        match self {
            RsaHash::Sha1 => &RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            RsaHash::Sha256 => &RSA_PKCS1_2048_8192_SHA256,
            RsaHash::Sha384 => &RSA_PKCS1_2048_8192_SHA384,
            RsaHash::Sha512 => &RSA_PKCS1_2048_8192_SHA512,
        }
    }
}

/// An RSA public key. A kept key (a trust-store key: the NPA signer, a J-LIS CA, a CV
/// certificate that verified) is parsed by aws-lc once per hash it is used with and keeps its
/// Montgomery context for every later submission; a card's key, used once, is verified from
/// its components without the parsed form's extra encoding.
pub(crate) struct RsaKey {
    /// Modulus and exponent, big-endian without leading zeros.
    n: Vec<u8>,
    e: Vec<u8>,
    /// Kept keys only, by [`RsaHash::index`]; `None` inside when aws-lc refuses the key.
    parsed: Option<Box<[OnceLock<Option<ParsedPublicKey>>; 4]>>,
}

impl RsaKey {
    fn verify(&self, hash: RsaHash, msg: &[u8], sig: &[u8]) -> bool {
        let Some(parsed) = &self.parsed else {
            let key = RsaPublicKeyComponents { n: self.n.as_slice(), e: self.e.as_slice() };
            return key.verify(hash.parameters(), msg, sig).is_ok();
        };
        Self::parsed_for(parsed, &self.n, &self.e, hash).is_some_and(|k| k.verify_sig(msg, sig).is_ok())
    }

    /// A kept key's aws-lc form for `hash`, parsed on first use; `None` if aws-lc refuses it.
    fn parsed_for<'k>(
        parsed: &'k [OnceLock<Option<ParsedPublicKey>>; 4],
        n: &[u8],
        e: &[u8],
        hash: RsaHash,
    ) -> Option<&'k ParsedPublicKey> {
        parsed
            .get(hash.index())?
            .get_or_init(|| ParsedPublicKey::new(hash.parameters(), rsa_public_key_der(n, e).ok()?).ok())
            .as_ref()
    }

    /// [`RsaKey::verify`] over the concatenation of `parts`, hashed part by part: a kept key
    /// checks the digest, so the message is never assembled; a one-shot key gets it joined.
    fn verify_parts(&self, hash: RsaHash, parts: &[&[u8]], sig: &[u8]) -> bool {
        if let [one] = parts {
            return self.verify(hash, one, sig);
        }
        let Some(parsed) = &self.parsed else { return self.verify(hash, &parts.concat(), sig) };
        let Some(key) = Self::parsed_for(parsed, &self.n, &self.e, hash) else { return false };
        let mut ctx = aws_lc_rs::digest::Context::new(hash.digest_algorithm());
        for part in parts {
            ctx.update(part);
        }
        key.verify_digest_sig(&ctx.finish(), sig).is_ok()
    }
}

impl Clone for RsaKey {
    fn clone(&self) -> Self {
        RsaKey { n: self.n.clone(), e: self.e.clone(), parsed: self.parsed.clone() }
    }
}

impl PartialEq for RsaKey {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n && self.e == other.e
    }
}

impl Eq for RsaKey {}

/// A public key that verifies signatures.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    Rsa(RsaKey),
    EcP256(p256::ecdsa::VerifyingKey),
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PublicKey::Rsa(k) => write!(f, "Rsa({} bits)", k.n.len().saturating_mul(8)),
            PublicKey::EcP256(_) => f.write_str("EcP256"),
        }
    }
}

/// PKCS#1 `RSAPublicKey` (RFC 8017 Appendix A.1.1): the value of the subjectPublicKey BIT STRING
/// of an rsaEncryption SubjectPublicKeyInfo.
///
/// ```text
/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
/// ```
#[derive(der::Sequence)]
struct RsaPublicKeyDer<'a> {
    modulus: UintRef<'a>,
    public_exponent: UintRef<'a>,
}

/// The DER `RSAPublicKey` of a big-endian modulus and exponent.
pub(crate) fn rsa_public_key_der(n: &[u8], e: &[u8]) -> der::Result<Vec<u8>> {
    RsaPublicKeyDer { modulus: UintRef::new(n)?, public_exponent: UintRef::new(e)? }.to_der()
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or_default()
}

impl PublicKey {
    /// A key used for one submission (a card's).
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Self {
        PublicKey::Rsa(RsaKey { n: strip_zeros(n).to_vec(), e: strip_zeros(e).to_vec(), parsed: None })
    }

    /// The same key, kept: parsed once per hash on first use, for keys that serve many
    /// submissions.
    pub(crate) fn kept(self) -> Self {
        match self {
            PublicKey::Rsa(RsaKey { n, e, .. }) => {
                PublicKey::Rsa(RsaKey { n, e, parsed: Some(Box::new(RsaHash::ALL.map(|_| OnceLock::new()))) })
            }
            ec @ PublicKey::EcP256(_) => ec,
        }
    }

    /// From a PKCS#1 RSAPublicKey DER (`SEQUENCE { n INTEGER, e INTEGER }`), kept: these
    /// are the trust store's keys and certificates.
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Option<Self> {
        let mut r = der::SliceReader::new(der).ok()?;
        let (n, e) = r
            .sequence(|r| {
                let n = UintRef::decode(r)?;
                let e = UintRef::decode(r)?;
                Ok((n.as_bytes().to_vec(), e.as_bytes().to_vec()))
            })
            .ok()?;
        r.finish(()).ok()?;
        Some(PublicKey::rsa(&n, &e).kept())
    }

    /// From SEC1 point bytes of a P-256 key.
    pub(crate) fn from_p256_point(point: &[u8]) -> Option<Self> {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok().map(PublicKey::EcP256)
    }

    /// RSASSA-PKCS1-v1_5 verification; `false` for an EC key.
    pub(crate) fn verify_rsa(&self, hash: RsaHash, msg: &[u8], sig: &[u8]) -> bool {
        let PublicKey::Rsa(key) = self else { return false };
        key.verify(hash, msg, sig)
    }

    /// [`PublicKey::verify_rsa`] over the concatenation of `parts`, without assembling it.
    pub(crate) fn verify_rsa_parts(&self, hash: RsaHash, parts: &[&[u8]], sig: &[u8]) -> bool {
        let PublicKey::Rsa(key) = self else { return false };
        key.verify_parts(hash, parts, sig)
    }

    /// ECDSA P-256 with SHA-256, DER signature; `false` for an RSA key.
    pub(crate) fn verify_p256(&self, msg: &[u8], sig_der: &[u8]) -> bool {
        let PublicKey::EcP256(k) = self else { return false };
        p256::ecdsa::Signature::from_der(sig_der).is_ok_and(|sig| k.verify(msg, &sig).is_ok())
    }
}

#[cfg(test)]
mod tests {
    use rsa::pkcs1v15::SigningKey;
    use rsa::pkcs8::DecodePrivateKey;
    use rsa::signature::{SignatureEncoding, Signer};
    use rsa::traits::PublicKeyParts;

    use super::*;

    const KEY: &str = include_str!("../../testvectors/vectors/personas/p05-reiwa-gannen/card-key.pem");

    fn private_key() -> rsa::RsaPrivateKey {
        let pem = KEY.get(KEY.find("-----BEGIN").unwrap()..).unwrap();
        rsa::RsaPrivateKey::from_pkcs8_pem(pem).unwrap()
    }

    #[test]
    fn kept_and_one_shot_keys_agree() {
        let private = private_key();
        let (n, e) = (private.n().to_bytes_be(), private.e().to_bytes_be());
        let sig256 = SigningKey::<sha2::Sha256>::new(private.clone()).sign(b"message").to_vec();
        let sig384 = SigningKey::<sha2::Sha384>::new(private).sign(b"message").to_vec();
        let mut tampered = sig256.clone();
        if let Some(b) = tampered.last_mut() {
            *b ^= 1;
        }
        let one_shot = PublicKey::rsa(&n, &e);
        let kept = PublicKey::rsa(&n, &e).kept();
        let from_der = PublicKey::from_pkcs1_der(&rsa_public_key_der(&n, &e).unwrap()).unwrap();
        // Twice each: the second use of a kept key goes through its parsed form.
        for _ in 0..2 {
            for key in [&one_shot, &kept, &from_der] {
                assert!(key.verify_rsa(RsaHash::Sha256, b"message", &sig256));
                assert!(key.verify_rsa(RsaHash::Sha384, b"message", &sig384));
                assert!(!key.verify_rsa(RsaHash::Sha384, b"message", &sig256), "wrong hash");
                assert!(!key.verify_rsa(RsaHash::Sha256, b"massage", &sig256), "other message");
                assert!(!key.verify_rsa(RsaHash::Sha256, b"message", &tampered), "tampered signature");
                assert!(!key.verify_p256(b"message", &sig256), "an RSA key is not a P-256 key");
            }
        }
        assert_eq!(one_shot, kept, "keys compare by modulus and exponent");
    }

    #[test]
    fn a_key_aws_lc_refuses_verifies_nothing() {
        let private = private_key();
        let sig = SigningKey::<sha2::Sha256>::new(private.clone()).sign(b"message").to_vec();
        // An even modulus, and one of 1024 bits (below the 2048 minimum).
        let mut even = private.n().to_bytes_be();
        if let Some(b) = even.last_mut() {
            *b &= 0xFE;
        }
        let short = even.get(..128).unwrap().to_vec();
        for n in [even, short, Vec::new()] {
            for key in [PublicKey::rsa(&n, &[1, 0, 1]), PublicKey::rsa(&n, &[1, 0, 1]).kept()] {
                assert!(!key.verify_rsa(RsaHash::Sha256, b"message", &sig));
            }
        }
    }
}
