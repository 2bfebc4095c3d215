//! The TEST ONLY PKI: an NPA-style X.509 root and licence signer, a J-LIS-style CV CA.

use der::asn1::{BitString, GeneralizedTime, OctetString, UtcTime};
use der::{DateTime, Decode, Encode, EncodePem, pem::LineEnding};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use std::str::FromStr;
use x509_cert::certificate::{Certificate, TbsCertificate, Version};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, BasicConstraints, KeyUsage, KeyUsages, SubjectKeyIdentifier};
use x509_cert::ext::{AsExtension, Extension};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use menkyo_core::kenhojo::{CvBody, CvCertificate, KeyId, RsaPublicKeyParts};

use crate::Error;
use crate::keys::{rsa_key, sign_sha256, sign_sha256_256};

/// The banner written before every PEM block (RFC 7468 explanatory text).
pub const BANNER: &str = "TEST ONLY - menkyo test vectors. This key or certificate is public and \
worthless: never trust it outside tests.";

/// Key id of the test J-LIS CV CA (test hierarchies start with 6).
pub const CV_CA_KEY_ID: &str = "6000033-001";
/// Key id of the test card-surface issuer key certified by the CV CA (EF 0004 subject).
pub const ISSUER_KEY_ID: &str = "6000034-001";
/// Key id of the TEST ONLY kenkaku CA (the production one is 5000023-001).
pub const KENKAKU_CA_KEY_ID: &str = "6000023-001";
/// Key id of the kenkaku AP key that signs the age records (its CV certificate is EF 0004).
pub const KENKAKU_ISSUER_KEY_ID: &str = "6000024-001";

const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";

/// A certificate with its key.
#[derive(Debug, Clone)]
pub struct Issued {
    pub key: RsaPrivateKey,
    pub cert: Certificate,
    pub der: Vec<u8>,
    /// SHA-256 of the subjectPublicKey bits: the SubjectKeyIdentifier (and WEF03 tag 010D).
    pub ski: [u8; 32],
}

/// Everything the personas are signed with.
#[derive(Debug, Clone)]
pub struct TestPki {
    pub npa_root: Issued,
    pub licence_signer: Issued,
    pub cv_ca: RsaPrivateKey,
    pub issuer: RsaPrivateKey,
    /// EF 0004: the CV certificate of `issuer`, signed by `cv_ca`.
    pub ef0004: Vec<u8>,
    /// The kenkaku CA and the kenkaku AP key it certifies (kenkaku EF 0004).
    pub kenkaku_ca: RsaPrivateKey,
    pub kenkaku_issuer: RsaPrivateKey,
    pub kenkaku_ef0004: Vec<u8>,
    /// A second licence signer, in no trust store: the IC licence card "of another key"
    /// (ic-licence.md §7) and the signer no anchor names.
    pub licence_signer_02: SignerKey,
}

/// A signer key without a certificate; its key identifier is computed as a certificate's
/// SubjectKeyIdentifier would be (SHA-256 of the subjectPublicKey bits).
#[derive(Debug, Clone)]
pub struct SignerKey {
    pub key: RsaPrivateKey,
    pub ski: [u8; 32],
}

impl SignerKey {
    /// The key for `label` and its identifier.
    pub fn for_label(label: &str) -> Result<Self, Error> {
        let key = rsa_key(label)?;
        let ski = key_identifier(&spki_of(&key.to_public_key())?);
        Ok(Self { key, ski })
    }
}

/// Validity of a certificate, in whole days (UTC midnight).
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: (u16, u8, u8),
    pub until: (u16, u8, u8),
}

/// What kind of certificate to issue.
#[derive(Debug, Clone, Copy)]
pub enum Profile {
    /// A CA: basicConstraints CA with a path length, keyCertSign + cRLSign.
    Ca { path_len: u8 },
    /// An end-entity signer: not a CA, digitalSignature.
    Signer,
    /// A broken CA for negative tests: basicConstraints CA but keyUsage digitalSignature only.
    CaWithoutCertSign,
}

fn time((y, m, d): (u16, u8, u8)) -> Result<Time, Error> {
    let dt = DateTime::new(y, m, d, 0, 0, 0)?;
    Ok(if y < 2050 {
        Time::UtcTime(UtcTime::from_date_time(dt)?)
    } else {
        Time::GeneralTime(GeneralizedTime::from_date_time(dt))
    })
}

fn spki_of(key: &RsaPublicKey) -> Result<SubjectPublicKeyInfoOwned, Error> {
    let der = key.to_public_key_der()?;
    Ok(SubjectPublicKeyInfoOwned::from_der(der.as_bytes())?)
}

fn key_identifier(spki: &SubjectPublicKeyInfoOwned) -> [u8; 32] {
    Sha256::digest(spki.subject_public_key.raw_bytes()).into()
}

fn extension<E: AsExtension>(subject: &Name, ext: &E) -> Result<Extension, Error> {
    Ok(ext.to_extension(subject, &[])?)
}

/// Who signs a certificate being issued.
#[derive(Debug, Clone, Copy)]
pub enum Signer<'a> {
    /// Self-signed with the subject's own RSA key.
    SelfRsa,
    /// An RSA certificate and its key.
    Rsa(&'a Issued),
    /// An ECDSA P-256 CA: its certificate and key.
    Ec(&'a EcIssued),
}

/// An ECDSA P-256 CA certificate with its key.
#[derive(Debug, Clone)]
pub struct EcIssued {
    pub key: p256::ecdsa::SigningKey,
    pub cert: Certificate,
    pub ski: [u8; 32],
}

const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";

/// A self-signed ECDSA P-256 root CA; the key is derived from `label`.
pub fn issue_ec_root(label: &str, subject: &str, serial: u8, period: Period) -> Result<EcIssued, Error> {
    use p256::ecdsa::signature::Signer as _;
    let seed: [u8; 32] = Sha256::digest(format!("menkyo testvectors TEST ONLY EC key: {label}")).into();
    let key = p256::ecdsa::SigningKey::from_bytes(&seed.into()).map_err(|_| Error::Invariant("EC key seed"))?;
    let point = key.verifying_key().to_encoded_point(false);
    let spki = SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"),
            parameters: Some(der::asn1::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7").into()),
        },
        subject_public_key: BitString::from_bytes(point.as_bytes())?,
    };
    let ski = key_identifier(&spki);
    let name = Name::from_str(subject)?;
    let algorithm =
        AlgorithmIdentifierOwned { oid: der::asn1::ObjectIdentifier::new_unwrap(ECDSA_WITH_SHA256), parameters: None };
    let extensions = vec![
        extension(&name, &BasicConstraints { ca: true, path_len_constraint: Some(0) })?,
        extension(&name, &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign))?,
        extension(&name, &SubjectKeyIdentifier(OctetString::new(ski.to_vec())?))?,
    ];
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&[serial])?,
        signature: algorithm.clone(),
        issuer: name.clone(),
        validity: Validity { not_before: time(period.from)?, not_after: time(period.until)? },
        subject: name,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    let sig: p256::ecdsa::Signature = key.sign(&tbs.to_der()?);
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(sig.to_der().as_bytes())?,
    };
    Ok(EcIssued { key, cert, ski })
}

/// Issues a certificate for `key`, signed by `issuer` (or self-signed when `None`).
pub fn issue(
    key: RsaPrivateKey,
    subject: &str,
    serial: u8,
    period: Period,
    profile: Profile,
    issuer: Option<&Issued>,
) -> Result<Issued, Error> {
    issue_by(key, subject, serial, period, profile, issuer.map_or(Signer::SelfRsa, Signer::Rsa))
}

/// Issues a certificate for the RSA `key`, signed as `signer` says.
pub fn issue_by(
    key: RsaPrivateKey,
    subject: &str,
    serial: u8,
    period: Period,
    profile: Profile,
    signer: Signer<'_>,
) -> Result<Issued, Error> {
    issue_with_key_identifier(key, subject, serial, period, profile, signer, None)
}

/// [`issue_by`], with the SubjectKeyIdentifier set to `ski` instead of the key's own: a decoy
/// that shares another signer's identifier.
pub fn issue_with_key_identifier(
    key: RsaPrivateKey,
    subject: &str,
    serial: u8,
    period: Period,
    profile: Profile,
    signer: Signer<'_>,
    ski: Option<[u8; 32]>,
) -> Result<Issued, Error> {
    let subject_name = Name::from_str(subject)?;
    let spki = spki_of(&key.to_public_key())?;
    let ski = ski.unwrap_or_else(|| key_identifier(&spki));
    let (issuer_name, aki) = match signer {
        Signer::Rsa(i) => (i.cert.tbs_certificate.subject.clone(), i.ski),
        Signer::Ec(i) => (i.cert.tbs_certificate.subject.clone(), i.ski),
        Signer::SelfRsa => (subject_name.clone(), ski),
    };
    let (bc, ku) = match profile {
        Profile::Ca { path_len } => (
            BasicConstraints { ca: true, path_len_constraint: Some(path_len) },
            KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign),
        ),
        Profile::Signer => {
            (BasicConstraints { ca: false, path_len_constraint: None }, KeyUsage(KeyUsages::DigitalSignature.into()))
        }
        Profile::CaWithoutCertSign => {
            (BasicConstraints { ca: true, path_len_constraint: Some(0) }, KeyUsage(KeyUsages::DigitalSignature.into()))
        }
    };
    let extensions = vec![
        extension(&subject_name, &bc)?,
        extension(&subject_name, &ku)?,
        extension(&subject_name, &SubjectKeyIdentifier(OctetString::new(ski.to_vec())?))?,
        extension(
            &subject_name,
            &AuthorityKeyIdentifier { key_identifier: Some(OctetString::new(aki.to_vec())?), ..Default::default() },
        )?,
    ];
    let algorithm = match signer {
        Signer::Ec(_) => AlgorithmIdentifierOwned {
            oid: der::asn1::ObjectIdentifier::new_unwrap(ECDSA_WITH_SHA256),
            parameters: None,
        },
        _ => AlgorithmIdentifierOwned {
            oid: der::asn1::ObjectIdentifier::new_unwrap(SHA256_WITH_RSA),
            parameters: Some(der::asn1::Null.into()),
        },
    };
    let tbs = TbsCertificate {
        version: Version::V3,
        serial_number: SerialNumber::new(&[serial])?,
        signature: algorithm.clone(),
        issuer: issuer_name,
        validity: Validity { not_before: time(period.from)?, not_after: time(period.until)? },
        subject: subject_name,
        subject_public_key_info: spki,
        issuer_unique_id: None,
        subject_unique_id: None,
        extensions: Some(extensions),
    };
    let signature = match signer {
        Signer::SelfRsa => sign_sha256(&key, &tbs.to_der()?),
        Signer::Rsa(i) => sign_sha256(&i.key, &tbs.to_der()?),
        Signer::Ec(i) => {
            use p256::ecdsa::signature::Signer as _;
            let sig: p256::ecdsa::Signature = i.key.sign(&tbs.to_der()?);
            sig.to_der().as_bytes().to_vec()
        }
    };
    let cert = Certificate {
        tbs_certificate: tbs,
        signature_algorithm: algorithm,
        signature: BitString::from_bytes(&signature)?,
    };
    let der = cert.to_der()?;
    Ok(Issued { key, cert, der, ski })
}

impl TestPki {
    pub fn generate() -> Result<Self, Error> {
        let npa_root = issue(
            rsa_key("npa-root")?,
            "CN=TEST ONLY menkyo NPA Root CA,O=menkyo test vectors,C=JP",
            1,
            Period { from: (2024, 1, 1), until: (2045, 12, 31) },
            Profile::Ca { path_len: 0 },
            None,
        )?;
        let licence_signer = issue(
            rsa_key("licence-signer-01")?,
            "CN=TEST ONLY menkyo Licence Signer 01,O=menkyo test vectors,C=JP",
            2,
            Period { from: (2025, 1, 1), until: (2040, 12, 31) },
            Profile::Signer,
            Some(&npa_root),
        )?;
        let cv_ca = rsa_key("cv-ca-6000033-001")?;
        let issuer = rsa_key("kenhojo-issuer-6000034-001")?;
        let body = CvBody {
            issuer: key_id(CV_CA_KEY_ID)?,
            subject: key_id(ISSUER_KEY_ID)?,
            public_key: public_parts(&issuer.to_public_key())?,
        }
        .encode()?;
        let ef0004 = CvCertificate::encode(&body, &sign_sha256_256(&cv_ca, &body)?)?;
        let kenkaku_ca = rsa_key("kenkaku-ca-6000023-001")?;
        let kenkaku_issuer = rsa_key("kenkaku-issuer-6000024-001")?;
        let body = CvBody {
            issuer: key_id(KENKAKU_CA_KEY_ID)?,
            subject: key_id(KENKAKU_ISSUER_KEY_ID)?,
            public_key: public_parts(&kenkaku_issuer.to_public_key())?,
        }
        .encode()?;
        let kenkaku_ef0004 = CvCertificate::encode(&body, &sign_sha256_256(&kenkaku_ca, &body)?)?;
        let licence_signer_02 = SignerKey::for_label("licence-signer-02")?;
        Ok(Self {
            npa_root,
            licence_signer,
            cv_ca,
            issuer,
            ef0004,
            kenkaku_ca,
            kenkaku_issuer,
            kenkaku_ef0004,
            licence_signer_02,
        })
    }
}

/// The deterministic RSA test key for `label`.
pub fn rsa_key_for(label: &str) -> Result<RsaPrivateKey, Error> {
    rsa_key(label)
}

pub fn key_id(s: &str) -> Result<KeyId, Error> {
    s.parse().map_err(|_| Error::Invariant("bad key id constant"))
}

/// A public key in the card-surface encoding (90 exponent, 91 modulus).
pub fn public_parts(key: &RsaPublicKey) -> Result<RsaPublicKeyParts, Error> {
    let modulus = key.n().to_bytes_be();
    let exponent = key.e().to_bytes_be();
    RsaPublicKeyParts::new(modulus, exponent).map_err(|_| Error::Invariant("test key is not RSA-2048"))
}

/// PEM with the TEST ONLY banner before the block.
pub fn with_banner(pem: &str) -> String {
    format!("{BANNER}\n{pem}")
}

pub fn cert_pem(cert: &Certificate) -> Result<String, Error> {
    Ok(with_banner(&cert.to_pem(LineEnding::LF)?))
}

pub fn public_key_pem(key: &RsaPublicKey) -> Result<String, Error> {
    Ok(with_banner(&key.to_public_key_pem(LineEnding::LF)?))
}

pub fn private_key_pem(key: &RsaPrivateKey) -> Result<String, Error> {
    Ok(with_banner(key.to_pkcs8_pem(LineEnding::LF)?.as_str()))
}
