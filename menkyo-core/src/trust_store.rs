//! The trust store: licence signer chains (X.509) and card-surface CA keys (interfaces.md §2).
//!
//! ```text
//! <dir>/licence/   X.509 certificates, PEM or DER, any file name: NPA roots, intermediates, signers
//! <dir>/kenhojo/   SPKI public keys of the CV CAs, file stem = key id (5000033-001.pem)
//! <dir>/kenkaku/   the same for the kenkaku AP (optional)
//! <dir>/TEST_ONLY   marker: every anchor of this directory is a TEST ONLY anchor
//! ```
//! A missing kind means "no anchors of that kind": its checks report `unchecked`.
//!
//! The store owns every lookup of a signer: [`TrustStore::verify_licence_signature`] finds the
//! signer by key identifier (every certificate and bare key with that identifier is tried),
//! checks the signature and validates the path, with a cache; [`TrustStore::verify_cv_certificate`]
//! does the same for the CV certificates of the card-surface APs.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use der::Decode;
use der::asn1::ObjectIdentifier;

use crate::crypto::{PublicKey, RsaHash};
use crate::kenhojo::{CvCertificate, KeyId};
use crate::time::UnixTime;
use crate::x509::{self, CertificateError, ChainError, StoredCert, Window};

const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Production card-surface CA keys known from public sources (`anchors/README.md`): the J-LIS
/// CAs of the input-assist AP (5000033-001) and of the kenkaku AP (5000023-001).
const BUILTIN_KENHOJO: [(&str, &str); 1] = [("5000033-001", include_str!("../anchors/kenhojo/5000033-001.pem"))];
const BUILTIN_KENKAKU: [(&str, &str); 1] = [("5000023-001", include_str!("../anchors/kenkaku/5000023-001.pem"))];

/// Largest trust-store file read. [P] Certificates and keys are a few KiB; a bundle of many
/// certificates stays far below.
pub const TRUST_FILE_MAX: usize = 1024 * 1024;
/// Most certificates accepted in the licence store. [P]
pub const LICENCE_CERTS_MAX: usize = 1024;

/// Why a trust-store entry was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustStoreError {
    #[error("{file}: {reason}")]
    Certificate { file: String, reason: CertificateError },
    #[error("{file}: no certificate found (expected PEM or DER)")]
    NoCertificate { file: String },
    #[error("{file}: not an RSA SubjectPublicKeyInfo (PEM \"PUBLIC KEY\" or DER)")]
    PublicKey { file: String },
    #[error("{file}: file name is not a key id DDDDDDD-DDD")]
    KeyIdName { file: String },
    #[error("{file}: a bare signer key must be named by the hex of its key identifier (e.g. 0a1b2c.pem)")]
    KeyIdentifierName { file: String },
    #[error("{file}: larger than {TRUST_FILE_MAX} bytes")]
    TooLarge { file: String },
    #[error("more than {LICENCE_CERTS_MAX} licence certificates")]
    TooManyCertificates,
    #[error("{path}: {message}")]
    Io { path: String, message: String },
}

/// A file of this name in a trust directory marks all its anchors TEST ONLY.
pub const TEST_ONLY_MARKER: &str = "TEST_ONLY";

/// Longest key identifier a bare signer key may be named by: WEF03 010D and EF07 B6 hold at
/// most 32 bytes (card-formats.md §2.4, ic-licence.md §7).
#[cfg(any(feature = "fs", test))]
const KEY_IDENTIFIER_MAX: usize = 32;

#[cfg(feature = "fs")]
fn is_public_key_pem(bytes: &[u8]) -> bool {
    core::str::from_utf8(bytes).is_ok_and(|t| t.contains("-----BEGIN PUBLIC KEY-----"))
}

/// Hex digits (either case) to bytes; `None` for an odd length, a non-hex digit, or more than
/// [`KEY_IDENTIFIER_MAX`] bytes.
#[cfg(any(feature = "fs", test))]
fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.is_empty() || s.len() > KEY_IDENTIFIER_MAX.saturating_mul(2) {
        return None;
    }
    crate::hex::decode(s)
}

/// Most entries each verification cache keeps before it starts afresh. [P]
pub const CACHE_ENTRIES_MAX: usize = 4096;

/// Results that depend only on the store's immutable content: validated signer paths (with
/// the span in which they hold) and CV certificates already verified against a CA key.
#[derive(Debug, Default)]
struct Caches {
    chains: RwLock<HashMap<usize, Window>>,
    /// CV certificates that verified, with their key kept (it signs DF33 / DF13 of every
    /// card the certificate serves).
    cv_certificates: RwLock<HashMap<[u8; 32], Arc<PublicKey>>>,
}

/// Trust anchors for verification. Build it once and share it; its anchors are immutable
/// afterwards (adding anchors clears the caches).
#[derive(Debug, Clone, Default)]
pub struct TrustStore {
    licence: Option<Vec<StoredCert>>,
    /// Signer keys trusted directly, by key identifier (`licence/<hex>.pem`, interfaces.md §2).
    licence_keys: Vec<(Vec<u8>, PublicKey)>,
    kenhojo: Option<BTreeMap<KeyId, PublicKey>>,
    kenkaku: Option<BTreeMap<KeyId, PublicKey>>,
    /// Every anchor is a TEST ONLY anchor (`--demo`, the test vectors' trust directory).
    test_only: bool,
    cache: Arc<Caches>,
}

/// Which card-surface AP a CV certificate belongs to: each is checked only against its own
/// anchors (interfaces.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CvAp {
    Kenhojo,
    Kenkaku,
}

/// How a licence signature was found to verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignerMatch {
    /// The signer's name (certificate common name, or the key identifier of a bare key).
    pub(crate) name: String,
    /// Index into the candidate messages of the one that verified.
    pub(crate) message: usize,
    pub(crate) hash: RsaHash,
    /// The path to a trusted root: a description when it holds, else why not.
    pub(crate) path: Result<String, ChainError>,
}

/// The outcome of looking up and checking a licence signer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignerOutcome {
    /// No licence anchors configured: nothing can be said.
    NotConfigured,
    /// Anchors configured, but none has this key identifier: untrusted.
    UnknownSigner,
    /// Signers with this identifier exist, but the signature verifies with none of their keys.
    BadSignature { names: Vec<String> },
    /// The signature verifies with a signer's key (hash SHA-1 included: the caller judges it).
    Verified(SignerMatch),
}

/// The outcome of checking a CV certificate against its AP's anchors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CvOutcome {
    NotConfigured,
    UnknownCa,
    BadSignature,
    /// With the certificate's key, kept.
    Verified(Arc<PublicKey>),
}

/// The blocks labelled `label` of a PEM text; explanatory text around them is ignored (RFC 7468).
fn pem_blocks(text: &str, label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&begin) {
        let body_start = start.saturating_add(begin.len());
        let Some(after) = rest.get(body_start..) else { break };
        let Some(stop) = after.find(&end) else { break };
        let body: String = after.get(..stop).unwrap_or_default().split_whitespace().collect();
        if let Ok(bytes) = STANDARD.decode(body) {
            out.push(bytes);
        }
        rest = after.get(stop.saturating_add(end.len())..).unwrap_or_default();
    }
    out
}

/// How a bare trusted key is named in reports: by its key identifier.
fn bare_key_name(id: &[u8]) -> String {
    format!("key {}", crate::hex::encode(id))
}

fn rsa_spki(der: &[u8]) -> Option<PublicKey> {
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).ok()?;
    if spki.algorithm.oid != OID_RSA_ENCRYPTION {
        return None;
    }
    PublicKey::from_pkcs1_der(spki.subject_public_key.as_bytes()?)
}

impl TrustStore {
    /// No anchors at all: every authenticity check is `unchecked`.
    pub fn empty() -> Self {
        Self::default()
    }

    /// The built-in defaults: the production card-surface CA keys; no licence anchors (no NPA
    /// certificate is publicly known: operators configure them).
    pub fn builtin() -> Self {
        let mut store = Self::empty();
        let load = |list: &[(&str, &str)]| {
            let mut map = BTreeMap::new();
            for (id, pem) in list {
                if let (Ok(id), Some(key)) =
                    (id.parse::<KeyId>(), pem_blocks(pem, "PUBLIC KEY").first().and_then(|d| rsa_spki(d)))
                {
                    map.insert(id, key);
                }
            }
            map
        };
        store.kenhojo = Some(load(&BUILTIN_KENHOJO));
        store.kenkaku = Some(load(&BUILTIN_KENKAKU));
        store
    }

    /// Marks the licence anchors as configured (possibly with none).
    pub fn configure_licence(&mut self) {
        self.licence.get_or_insert_with(Vec::new);
    }

    /// Marks the card-surface anchors as configured (possibly with none).
    pub fn configure_kenhojo(&mut self) {
        self.kenhojo.get_or_insert_with(BTreeMap::new);
    }

    /// Adds the certificates of a PEM (one or more blocks) or DER file to the licence anchors.
    pub fn add_licence_certificates(&mut self, file: &str, bytes: &[u8]) -> Result<usize, TrustStoreError> {
        if bytes.len() > TRUST_FILE_MAX {
            return Err(TrustStoreError::TooLarge { file: file.into() });
        }
        let ders = match core::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN") => pem_blocks(text, "CERTIFICATE"),
            _ => vec![bytes.to_vec()],
        };
        if ders.is_empty() {
            return Err(TrustStoreError::NoCertificate { file: file.into() });
        }
        self.changed();
        let certs = self.licence.get_or_insert_with(Vec::new);
        for der in &ders {
            if certs.len() >= LICENCE_CERTS_MAX {
                return Err(TrustStoreError::TooManyCertificates);
            }
            let cert =
                StoredCert::parse(der).map_err(|reason| TrustStoreError::Certificate { file: file.into(), reason })?;
            certs.push(cert);
        }
        Ok(ders.len())
    }

    /// Adds a card-surface CA key (PEM "PUBLIC KEY" or DER SPKI).
    pub fn add_kenhojo_anchor(&mut self, key_id: KeyId, file: &str, bytes: &[u8]) -> Result<(), TrustStoreError> {
        let key = Self::spki_file(file, bytes)?;
        self.changed();
        self.kenhojo.get_or_insert_with(BTreeMap::new).insert(key_id, key);
        Ok(())
    }

    /// Adds a kenkaku CA key (PEM "PUBLIC KEY" or DER SPKI).
    pub fn add_kenkaku_anchor(&mut self, key_id: KeyId, file: &str, bytes: &[u8]) -> Result<(), TrustStoreError> {
        let key = Self::spki_file(file, bytes)?;
        self.changed();
        self.kenkaku.get_or_insert_with(BTreeMap::new).insert(key_id, key);
        Ok(())
    }

    /// Trusts a licence signer key directly (no certificate), by the key identifier the cards
    /// carry (WEF03 010D, IC licence EF07 B6): e.g. a key recovered from genuine cards.
    pub fn add_licence_key(&mut self, key_identifier: &[u8], file: &str, bytes: &[u8]) -> Result<(), TrustStoreError> {
        let key = Self::spki_file(file, bytes)?;
        self.changed();
        self.licence.get_or_insert_with(Vec::new);
        self.licence_keys.push((key_identifier.to_vec(), key));
        Ok(())
    }

    /// Marks every anchor of this store as TEST ONLY: each report made with it carries the
    /// `test_anchors` limit.
    pub fn mark_test_only(&mut self) {
        self.test_only = true;
    }

    /// Whether this store is marked TEST ONLY.
    pub fn is_test_only(&self) -> bool {
        self.test_only
    }

    fn spki_file(file: &str, bytes: &[u8]) -> Result<PublicKey, TrustStoreError> {
        if bytes.len() > TRUST_FILE_MAX {
            return Err(TrustStoreError::TooLarge { file: file.into() });
        }
        let der = match core::str::from_utf8(bytes) {
            Ok(text) if text.contains("-----BEGIN") => pem_blocks(text, "PUBLIC KEY").into_iter().next(),
            _ => Some(bytes.to_vec()),
        };
        der.as_deref().and_then(rsa_spki).ok_or_else(|| TrustStoreError::PublicKey { file: file.into() })
    }

    pub fn licence_configured(&self) -> bool {
        self.licence.is_some()
    }

    pub fn kenhojo_configured(&self) -> bool {
        self.kenhojo.is_some()
    }

    pub fn kenkaku_configured(&self) -> bool {
        self.kenkaku.is_some()
    }

    /// Number of licence certificates and bare keys, kenhojo CA keys and kenkaku CA keys (for
    /// start-up messages).
    pub fn counts(&self) -> (usize, usize, usize) {
        (
            self.licence.as_ref().map_or(0, Vec::len).saturating_add(self.licence_keys.len()),
            self.kenhojo.as_ref().map_or(0, BTreeMap::len),
            self.kenkaku.as_ref().map_or(0, BTreeMap::len),
        )
    }

    #[cfg(test)]
    fn kenhojo_key(&self, id: &KeyId) -> Option<&PublicKey> {
        self.kenhojo.as_ref().and_then(|m| m.get(id))
    }

    /// Finds the licence signer whose key identifier is `key_id` and checks `signature` over
    /// each of `messages` (each the concatenation of its parts) with each of `hashes`, in that
    /// order. Every certificate and every bare key with that identifier is tried, not only the
    /// first: the first whose signature verifies and whose path holds wins; a signature that
    /// verifies only under a signer whose path fails is reported with that failure.
    pub(crate) fn verify_licence_signature(
        &self,
        key_id: &[u8],
        messages: &[&[&[u8]]],
        hashes: &[RsaHash],
        signature: &[u8],
        at: UnixTime,
    ) -> SignerOutcome {
        let Some(certs) = self.licence.as_deref() else { return SignerOutcome::NotConfigured };
        let verifies = |key: &PublicKey| {
            messages
                .iter()
                .enumerate()
                .find_map(|(i, m)| hashes.iter().find(|h| key.verify_rsa_parts(**h, m, signature)).map(|h| (i, *h)))
        };
        // The certificates and bare keys with that identifier: walked to verify, and again for
        // their names only when none verifies.
        let certs_with_id = || certs.iter().enumerate().filter(|(_, c)| c.ski.as_deref() == Some(key_id));
        let keys_with_id = || self.licence_keys.iter().filter(|(id, _)| id.as_slice() == key_id);
        let mut with_bad_path = None;
        for (index, cert) in certs_with_id() {
            let Some((message, hash)) = cert.key.as_ref().and_then(verifies) else { continue };
            let path = self.validate_signer(index, at).map(|()| format!("\"{}\" chains to a trusted root", cert.name));
            let found = SignerMatch { name: cert.name.clone(), message, hash, path };
            if found.path.is_ok() {
                return SignerOutcome::Verified(found);
            }
            with_bad_path.get_or_insert(found);
        }
        for (id, key) in keys_with_id() {
            if let Some((message, hash)) = verifies(key) {
                let path = Ok("trusted key, no certificate".to_string());
                return SignerOutcome::Verified(SignerMatch { name: bare_key_name(id), message, hash, path });
            }
        }
        if let Some(found) = with_bad_path {
            return SignerOutcome::Verified(found);
        }
        let names: Vec<String> = certs_with_id()
            .map(|(_, c)| c.name.clone())
            .chain(keys_with_id().map(|(id, _)| bare_key_name(id)))
            .collect();
        if names.is_empty() { SignerOutcome::UnknownSigner } else { SignerOutcome::BadSignature { names } }
    }

    /// Checks a CV certificate against the CA key its issuer key id names, among the anchors
    /// of its own AP only; certificates that verified are remembered (one serves many cards).
    pub(crate) fn verify_cv_certificate(&self, ap: CvAp, cv: &CvCertificate<'_>) -> CvOutcome {
        let anchors = match ap {
            CvAp::Kenhojo => self.kenhojo.as_ref(),
            CvAp::Kenkaku => self.kenkaku.as_ref(),
        };
        let Some(anchors) = anchors else { return CvOutcome::NotConfigured };
        let Some(ca) = anchors.get(&cv.body.issuer) else { return CvOutcome::UnknownCa };
        match self.cv_certificate_verifies(ap, ca, cv) {
            Some(key) => CvOutcome::Verified(key),
            None => CvOutcome::BadSignature,
        }
    }

    /// Whether a CA key id of a card-surface AP belongs to a test hierarchy (card-formats.md
    /// §3.2: production ids start with 5), or the whole store is TEST ONLY.
    pub(crate) fn is_test_ca(&self, id: &KeyId) -> bool {
        self.test_only || !id.is_production()
    }

    /// Validates the path of licence certificate `signer` at `at`, reusing an earlier
    /// validation of the same path when `at` lies in the span where it holds.
    fn validate_signer(&self, signer: usize, at: UnixTime) -> Result<(), ChainError> {
        let cached = self.cache.chains.read().ok().and_then(|m| m.get(&signer).copied());
        if cached.is_some_and(|w| w.contains(at)) {
            return Ok(());
        }
        let window = x509::validate(self.licence.as_deref().unwrap_or_default(), signer, at)?;
        if let Ok(mut m) = self.cache.chains.write() {
            if m.len() >= CACHE_ENTRIES_MAX {
                m.clear();
            }
            m.insert(signer, window);
        }
        Ok(())
    }

    /// The certificate's key when `ca` signed it, from the cache when it did before.
    fn cv_certificate_verifies(&self, ap: CvAp, ca: &PublicKey, cv: &CvCertificate<'_>) -> Option<Arc<PublicKey>> {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update([u8::from(ap == CvAp::Kenkaku)]);
        h.update(cv.body.issuer.as_bytes());
        h.update(cv.body_bytes);
        h.update(cv.signature);
        let id: [u8; 32] = h.finalize().into();
        if let Some(key) = self.cache.cv_certificates.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Some(key);
        }
        if !ca.verify_rsa(RsaHash::Sha256, cv.body_bytes, &cv.signature) {
            return None;
        }
        let key = Arc::new(PublicKey::rsa(cv.body.public_key.modulus(), cv.body.public_key.exponent()).kept());
        if let Ok(mut m) = self.cache.cv_certificates.write() {
            if m.len() >= CACHE_ENTRIES_MAX {
                m.clear();
            }
            m.insert(id, Arc::clone(&key));
        }
        Some(key)
    }

    fn changed(&mut self) {
        self.cache = Arc::default();
    }

    /// Reads a trust-store directory (interfaces.md §2). Only what the directory holds is
    /// trusted: the built-in defaults apply when no directory is given.
    #[cfg(feature = "fs")]
    pub fn load_dir(dir: &std::path::Path) -> Result<Self, TrustStoreError> {
        let mut store = Self::empty();
        let io = |path: &std::path::Path, e: std::io::Error| TrustStoreError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        };
        if !dir.is_dir() {
            return Err(TrustStoreError::Io { path: dir.display().to_string(), message: "not a directory".into() });
        }
        let files = |sub: &str| -> Result<Option<Vec<std::path::PathBuf>>, TrustStoreError> {
            let d = dir.join(sub);
            if !d.is_dir() {
                return Ok(None);
            }
            let mut v: Vec<_> = std::fs::read_dir(&d)
                .map_err(|e| io(&d, e))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect();
            v.sort();
            Ok(Some(v))
        };
        let read = |p: &std::path::Path| -> Result<Vec<u8>, TrustStoreError> {
            let len = std::fs::metadata(p).map_err(|e| io(p, e))?.len();
            if len > u64::try_from(TRUST_FILE_MAX).unwrap_or(u64::MAX) {
                return Err(TrustStoreError::TooLarge { file: p.display().to_string() });
            }
            std::fs::read(p).map_err(|e| io(p, e))
        };
        if dir.join(TEST_ONLY_MARKER).exists() {
            store.mark_test_only();
        }
        if let Some(list) = files("licence")? {
            store.configure_licence();
            for p in list {
                let name = p.display().to_string();
                // Other files (README and the like) are not certificates.
                if !matches!(p.extension().and_then(|e| e.to_str()), Some("pem" | "crt" | "cer" | "der")) {
                    continue;
                }
                let bytes = read(&p)?;
                if is_public_key_pem(&bytes) {
                    let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                    let id = unhex(stem).ok_or_else(|| TrustStoreError::KeyIdentifierName { file: name.clone() })?;
                    store.add_licence_key(&id, &name, &bytes)?;
                } else {
                    store.add_licence_certificates(&name, &bytes)?;
                }
            }
        }
        for (sub, kenkaku) in [("kenhojo", false), ("kenkaku", true)] {
            let Some(list) = files(sub)? else { continue };
            if kenkaku {
                store.kenkaku.get_or_insert_with(BTreeMap::new);
            } else {
                store.configure_kenhojo();
            }
            for p in list {
                let name = p.display().to_string();
                if !matches!(p.extension().and_then(|e| e.to_str()), Some("pem" | "der")) {
                    continue;
                }
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                let id: KeyId = stem.parse().map_err(|_| TrustStoreError::KeyIdName { file: name.clone() })?;
                let bytes = read(&p)?;
                if kenkaku {
                    store.add_kenkaku_anchor(id, &name, &bytes)?;
                } else {
                    store.add_kenhojo_anchor(id, &name, &bytes)?;
                }
            }
        }
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_the_production_card_surface_anchors_only() {
        let s = TrustStore::builtin();
        assert!(!s.licence_configured());
        assert!(s.kenhojo_key(&"5000033-001".parse().unwrap()).is_some());
        assert!(s.kenhojo_key(&"6000033-001".parse().unwrap()).is_none());
        assert_eq!(s.counts(), (0, 1, 1));
        assert!(!s.is_test_only());
    }

    #[test]
    fn pem_blocks_skip_explanatory_text() {
        let text = "TEST ONLY banner\n-----BEGIN X-----\nAAEC\nAw==\n-----END X-----\ntrailer";
        assert_eq!(pem_blocks(text, "X"), vec![vec![0, 1, 2, 3]]);
        assert!(pem_blocks("-----BEGIN X-----\nAAEC", "X").is_empty());
    }

    #[test]
    fn refuses_garbage() {
        let mut s = TrustStore::empty();
        assert_eq!(
            s.add_licence_certificates("x.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
            Err(TrustStoreError::Certificate { file: "x.pem".into(), reason: CertificateError::Der })
        );
        assert_eq!(
            s.add_kenhojo_anchor("6000033-001".parse().unwrap(), "k.pem", b"nope"),
            Err(TrustStoreError::PublicKey { file: "k.pem".into() })
        );
    }
}

#[cfg(test)]
mod key_identifier_tests {
    use super::*;

    #[test]
    fn key_identifier_file_names() {
        assert_eq!(unhex("0a1B"), Some(vec![0x0a, 0x1b]));
        assert_eq!(unhex("0a1"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex(""), None);
        assert_eq!(unhex(&"ab".repeat(33)), None);
        assert_eq!(unhex("+a"), None);
    }
}
