//! X.509 certificates of the licence signer's chain, parsed once when the trust store loads,
//! and path validation from a signer to a self-signed root in the store.

use core::ops::Range;

use der::asn1::{ObjectIdentifier, OctetString};
use der::{Decode, Encode, Reader, SliceReader};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};

use crate::crypto::{PublicKey, RsaHash};
use crate::time::UnixTime;

/// Longest chain accepted, signer and root included. [P] The NPA hierarchy is believed to be
/// two or three levels; eight leaves room without allowing unbounded work.
pub const MAX_CHAIN_LEN: usize = 8;
/// Most signature checks one path validation may spend (several issuer candidates per hop).
pub const MAX_SIGNATURE_CHECKS: usize = 16;

const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_SHA256_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const OID_SHA384_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const OID_SHA512_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const OID_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const OID_SKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const OID_AKI: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const OID_COMMON_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");

/// Signature algorithms accepted in certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SigAlg {
    Rsa(RsaHash),
    EcdsaP256Sha256,
}

/// Why a certificate could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("not a DER X.509 certificate")]
    Der,
    #[error("malformed {0} extension")]
    Extension(&'static str),
    #[error("bad validity period")]
    Validity,
}

/// A certificate as the validator needs it.
#[derive(Debug, Clone)]
pub(crate) struct StoredCert {
    der: Vec<u8>,
    tbs: Range<usize>,
    pub(crate) subject: Vec<u8>,
    issuer: Vec<u8>,
    /// Common name, for messages (certificates hold no personal data).
    pub(crate) name: String,
    pub(crate) key: Option<PublicKey>,
    sig_alg: Option<SigAlg>,
    signature: Vec<u8>,
    not_before: i64,
    not_after: i64,
    pub(crate) ski: Option<Vec<u8>>,
    aki: Option<Vec<u8>>,
    basic_constraints: Option<BasicConstraints>,
    key_usage: Option<KeyUsage>,
    unknown_critical: Option<String>,
}

fn raw_tbs_range(der: &[u8]) -> Option<Range<usize>> {
    let mut r = SliceReader::new(der).ok()?;
    let outer = r.peek_header().ok()?;
    let header_len = usize::try_from(outer.encoded_len().ok()?).ok()?;
    let tbs = r.sequence(|r| {
        let tbs = r.tlv_bytes()?;
        // The rest of the certificate is checked by the full decode.
        let rest = r.remaining_len();
        r.read_slice(rest)?;
        Ok(tbs.len())
    });
    let len = tbs.ok()?;
    Some(header_len..header_len.checked_add(len)?)
}

fn common_name(name: &x509_cert::name::Name) -> String {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == OID_COMMON_NAME)
        .and_then(|atv| atv.value.decode_as::<String>().ok())
        .unwrap_or_else(|| name.to_string())
}

impl StoredCert {
    pub(crate) fn parse(der: &[u8]) -> Result<Self, CertificateError> {
        let cert = Certificate::from_der(der).map_err(|_| CertificateError::Der)?;
        let tbs_range = raw_tbs_range(der).ok_or(CertificateError::Der)?;
        let tbs = &cert.tbs_certificate;
        let spki = &tbs.subject_public_key_info;
        let key_bits = spki.subject_public_key.as_bytes().unwrap_or_default();
        let key = if spki.algorithm.oid == OID_RSA_ENCRYPTION {
            PublicKey::from_pkcs1_der(key_bits)
        } else if spki.algorithm.oid == OID_EC_PUBLIC_KEY
            && spki.algorithm.parameters.as_ref().and_then(|p| p.decode_as::<ObjectIdentifier>().ok()) == Some(OID_P256)
        {
            PublicKey::from_p256_point(key_bits)
        } else {
            None
        };
        let sig_alg = match cert.signature_algorithm.oid {
            o if o == OID_SHA256_RSA => Some(SigAlg::Rsa(RsaHash::Sha256)),
            o if o == OID_SHA384_RSA => Some(SigAlg::Rsa(RsaHash::Sha384)),
            o if o == OID_SHA512_RSA => Some(SigAlg::Rsa(RsaHash::Sha512)),
            o if o == OID_ECDSA_SHA256 => Some(SigAlg::EcdsaP256Sha256),
            _ => None,
        };
        let secs = |t: x509_cert::time::Time| {
            i64::try_from(t.to_unix_duration().as_secs()).map_err(|_| CertificateError::Validity)
        };
        let mut out = StoredCert {
            der: der.to_vec(),
            tbs: tbs_range,
            subject: tbs.subject.to_der().map_err(|_| CertificateError::Der)?,
            issuer: tbs.issuer.to_der().map_err(|_| CertificateError::Der)?,
            name: common_name(&tbs.subject),
            key,
            sig_alg,
            signature: cert.signature.as_bytes().unwrap_or_default().to_vec(),
            not_before: secs(tbs.validity.not_before)?,
            not_after: secs(tbs.validity.not_after)?,
            ski: None,
            aki: None,
            basic_constraints: None,
            key_usage: None,
            unknown_critical: None,
        };
        for ext in tbs.extensions.iter().flatten() {
            let v = ext.extn_value.as_bytes();
            match ext.extn_id {
                o if o == OID_BASIC_CONSTRAINTS => {
                    out.basic_constraints = Some(
                        BasicConstraints::from_der(v).map_err(|_| CertificateError::Extension("basicConstraints"))?,
                    );
                }
                o if o == OID_KEY_USAGE => {
                    out.key_usage = Some(KeyUsage::from_der(v).map_err(|_| CertificateError::Extension("keyUsage"))?);
                }
                o if o == OID_SKI => {
                    let ski = SubjectKeyIdentifier::from_der(v)
                        .map_err(|_| CertificateError::Extension("subjectKeyIdentifier"))?;
                    out.ski = Some(ski.0.as_bytes().to_vec());
                }
                o if o == OID_AKI => {
                    let aki = AuthorityKeyIdentifier::from_der(v)
                        .map_err(|_| CertificateError::Extension("authorityKeyIdentifier"))?;
                    out.aki = aki.key_identifier.as_ref().map(|k: &OctetString| k.as_bytes().to_vec());
                }
                o if ext.critical => out.unknown_critical = Some(o.to_string()),
                _ => {}
            }
        }
        Ok(out)
    }

    fn tbs_bytes(&self) -> &[u8] {
        self.der.get(self.tbs.clone()).unwrap_or_default()
    }

    fn is_self_issued(&self) -> bool {
        self.subject == self.issuer
    }

    fn is_ca(&self) -> bool {
        self.basic_constraints.as_ref().is_some_and(|b| b.ca)
    }

    fn has_usage(&self, usage: KeyUsages) -> bool {
        self.key_usage.as_ref().is_some_and(|k| k.0.contains(usage))
    }

    /// Whether `issuer`'s key signed this certificate.
    fn signed_by(&self, issuer: &StoredCert) -> bool {
        let Some(key) = &issuer.key else { return false };
        match self.sig_alg {
            Some(SigAlg::Rsa(h)) => key.verify_rsa(h, self.tbs_bytes(), &self.signature),
            Some(SigAlg::EcdsaP256Sha256) => key.verify_p256(self.tbs_bytes(), &self.signature),
            None => false,
        }
    }

    fn check_common(&self, at: UnixTime) -> Result<(), ChainError> {
        if at.secs() < self.not_before {
            return Err(ChainError::NotYetValid { name: self.name.clone() });
        }
        if at.secs() > self.not_after {
            return Err(ChainError::Expired { name: self.name.clone() });
        }
        if let Some(oid) = &self.unknown_critical {
            return Err(ChainError::UnknownCriticalExtension { name: self.name.clone(), oid: oid.clone() });
        }
        if self.sig_alg.is_none() {
            return Err(ChainError::UnsupportedAlgorithm { name: self.name.clone() });
        }
        Ok(())
    }
}

/// Why a signer's chain is not valid. Each names the certificate at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error("certificate \"{name}\" is not valid yet")]
    NotYetValid { name: String },
    #[error("certificate \"{name}\" has expired")]
    Expired { name: String },
    #[error("certificate \"{name}\" has an unknown critical extension {oid}")]
    UnknownCriticalExtension { name: String, oid: String },
    #[error("certificate \"{name}\" uses an unsupported signature algorithm")]
    UnsupportedAlgorithm { name: String },
    #[error("signer certificate \"{name}\" lacks the digitalSignature key usage")]
    SignerKeyUsage { name: String },
    #[error("no issuer of \"{name}\" in the trust store")]
    NoIssuer { name: String },
    #[error("issuer \"{issuer}\" of \"{name}\" is not a CA (basicConstraints)")]
    NotCa { name: String, issuer: String },
    #[error("issuer \"{issuer}\" of \"{name}\" lacks the keyCertSign key usage")]
    CaKeyUsage { name: String, issuer: String },
    #[error("issuer \"{issuer}\" of \"{name}\" allows a shorter path (pathLenConstraint)")]
    PathLength { name: String, issuer: String },
    #[error("signature of \"{name}\" does not verify with the key of \"{issuer}\"")]
    BadSignature { name: String, issuer: String },
    #[error("self-signed root \"{name}\" does not verify its own signature")]
    BadRootSignature { name: String },
    #[error("chain longer than {MAX_CHAIN_LEN} certificates or loops")]
    TooLong,
    #[error("more than {MAX_SIGNATURE_CHECKS} signature checks needed")]
    TooManySignatureChecks,
}

/// The span of time in which every certificate of a validated path is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) from: i64,
    pub(crate) until: i64,
}

impl Window {
    pub(crate) fn contains(&self, at: UnixTime) -> bool {
        self.from <= at.secs() && at.secs() <= self.until
    }

    fn narrow(&mut self, c: &StoredCert) {
        self.from = self.from.max(c.not_before);
        self.until = self.until.min(c.not_after);
    }
}

/// Validates the path from `store[signer]` to a self-signed root in `store` at `at`: validity,
/// signatures, basicConstraints and path length, key usage, no loops, bounded work. On success,
/// returns when the same path is valid, so the result can be reused for other instants in it.
pub(crate) fn validate(store: &[StoredCert], signer: usize, at: UnixTime) -> Result<Window, ChainError> {
    let leaf = store.get(signer).ok_or(ChainError::TooLong)?;
    leaf.check_common(at)?;
    let mut window = Window { from: leaf.not_before, until: leaf.not_after };
    if !leaf.has_usage(KeyUsages::DigitalSignature) {
        return Err(ChainError::SignerKeyUsage { name: leaf.name.clone() });
    }
    let mut path = vec![signer];
    let mut checks = 0usize;
    let mut current = leaf;
    loop {
        if current.is_self_issued() && current.is_ca() {
            // A self-signed certificate in the store is a trust anchor; its signature is checked
            // so a corrupt file cannot pass as a root.
            checks = checks.saturating_add(1);
            if checks > MAX_SIGNATURE_CHECKS {
                return Err(ChainError::TooManySignatureChecks);
            }
            return if current.signed_by(current) {
                Ok(window)
            } else {
                Err(ChainError::BadRootSignature { name: current.name.clone() })
            };
        }
        if path.len() >= MAX_CHAIN_LEN {
            return Err(ChainError::TooLong);
        }
        // CAs between this certificate and the signer, for pathLenConstraint.
        let intermediates_below = path.len().saturating_sub(1);
        let mut last_err = ChainError::NoIssuer { name: current.name.clone() };
        let mut next = None;
        for (i, cand) in store.iter().enumerate() {
            if cand.subject != current.issuer || path.contains(&i) {
                continue;
            }
            if let (Some(aki), Some(ski)) = (&current.aki, &cand.ski)
                && aki != ski
            {
                continue;
            }
            let named = |e: fn(String, String) -> ChainError| e(current.name.clone(), cand.name.clone());
            if let Err(e) = cand.check_common(at) {
                last_err = e;
                continue;
            }
            if !cand.is_ca() {
                last_err = named(|name, issuer| ChainError::NotCa { name, issuer });
                continue;
            }
            if !cand.has_usage(KeyUsages::KeyCertSign) {
                last_err = named(|name, issuer| ChainError::CaKeyUsage { name, issuer });
                continue;
            }
            let limit = cand.basic_constraints.as_ref().and_then(|b| b.path_len_constraint);
            if limit.is_some_and(|l| intermediates_below > usize::from(l)) {
                last_err = named(|name, issuer| ChainError::PathLength { name, issuer });
                continue;
            }
            checks = checks.saturating_add(1);
            if checks > MAX_SIGNATURE_CHECKS {
                return Err(ChainError::TooManySignatureChecks);
            }
            if !current.signed_by(cand) {
                last_err = named(|name, issuer| ChainError::BadSignature { name, issuer });
                continue;
            }
            next = Some(i);
            break;
        }
        let Some(i) = next else { return Err(last_err) };
        path.push(i);
        current = store.get(i).ok_or(ChainError::TooLong)?;
        window.narrow(current);
    }
}
