//! Signature verification primitives: RSA PKCS#1 v1.5 through aws-lc-rs (close to OpenSSL's
//! speed, see README), ECDSA P-256 through `p256`.

use aws_lc_rs::signature::{
    RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_2048_8192_SHA384,
    RSA_PKCS1_2048_8192_SHA512, RsaParameters, RsaPublicKeyComponents,
};
use der::Decode;
use der::Reader;
use der::asn1::UintRef;
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

/// A public key that verifies signatures.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum PublicKey {
    /// Modulus and exponent, big-endian without leading zeros.
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    EcP256(p256::ecdsa::VerifyingKey),
}

impl core::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PublicKey::Rsa { n, .. } => write!(f, "Rsa({} bits)", n.len().saturating_mul(8)),
            PublicKey::EcP256(_) => f.write_str("EcP256"),
        }
    }
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or_default()
}

impl PublicKey {
    pub(crate) fn rsa(n: &[u8], e: &[u8]) -> Self {
        PublicKey::Rsa { n: strip_zeros(n).to_vec(), e: strip_zeros(e).to_vec() }
    }

    /// From a PKCS#1 RSAPublicKey DER (`SEQUENCE { n INTEGER, e INTEGER }`).
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
        Some(PublicKey::rsa(&n, &e))
    }

    /// From SEC1 point bytes of a P-256 key.
    pub(crate) fn from_p256_point(point: &[u8]) -> Option<Self> {
        p256::ecdsa::VerifyingKey::from_sec1_bytes(point).ok().map(PublicKey::EcP256)
    }

    /// RSASSA-PKCS1-v1_5 verification; `false` for an EC key.
    pub(crate) fn verify_rsa(&self, hash: RsaHash, msg: &[u8], sig: &[u8]) -> bool {
        let PublicKey::Rsa { n, e } = self else { return false };
        let params: &RsaParameters = match hash {
            RsaHash::Sha1 => &RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
            RsaHash::Sha256 => &RSA_PKCS1_2048_8192_SHA256,
            RsaHash::Sha384 => &RSA_PKCS1_2048_8192_SHA384,
            RsaHash::Sha512 => &RSA_PKCS1_2048_8192_SHA512,
        };
        RsaPublicKeyComponents { n: n.as_slice(), e: e.as_slice() }.verify(params, msg, sig).is_ok()
    }

    /// ECDSA P-256 with SHA-256, DER signature; `false` for an RSA key.
    pub(crate) fn verify_p256(&self, msg: &[u8], sig_der: &[u8]) -> bool {
        let PublicKey::EcP256(k) = self else { return false };
        p256::ecdsa::Signature::from_der(sig_der).is_ok_and(|sig| k.verify(msg, &sig).is_ok())
    }
}
