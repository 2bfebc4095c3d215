//! Signed receipts: a compact JWS (ES256) over each response, verifiable offline with the
//! JWK set of `GET /v1/keys`.
//!
//! The key is a `p256` key (generation, storage, JWK); signatures are made with aws-lc-rs,
//! several times faster than `p256`'s signer, which matters with one receipt per response.

use std::path::Path;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use p256::ecdsa::SigningKey;
use sha2::{Digest, Sha256};

/// The receipt-signing key with its key id (RFC 7638 thumbprint) and public JWK.
pub struct ReceiptSigner {
    key: SigningKey,
    pair: EcdsaKeyPair,
    rng: SystemRandom,
    kid: String,
    /// The JWS protected header, base64url: the same for every receipt of this key.
    header: String,
    jwk: serde_json::Value,
    /// Public JWKs of retired keys, still published so older receipts keep verifying.
    previous: Vec<serde_json::Value>,
}

impl std::fmt::Debug for ReceiptSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiptSigner").field("kid", &self.kid).finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{0}: not a P-256 private key (64 hex digits)")]
    Format(String),
    #[error("no system randomness: {0}")]
    Random(String),
}

impl ReceiptSigner {
    /// `None` only if aws-lc-rs refuses a valid P-256 key, which it does not.
    pub fn from_key(key: SigningKey) -> Option<Self> {
        let point = key.verifying_key().to_encoded_point(false);
        let pair = EcdsaKeyPair::from_private_key_and_public_key(
            &ECDSA_P256_SHA256_FIXED_SIGNING,
            key.to_bytes().as_slice(),
            point.as_bytes(),
        )
        .ok()?;
        let x = B64URL.encode(point.x().map(|x| x.as_slice()).unwrap_or_default());
        let y = B64URL.encode(point.y().map(|y| y.as_slice()).unwrap_or_default());
        // RFC 7638: members in lexicographic order, no whitespace.
        let canonical = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid = B64URL.encode(Sha256::digest(canonical.as_bytes()));
        let jwk =
            serde_json::json!({"kty": "EC", "crv": "P-256", "x": x, "y": y, "kid": kid, "alg": "ES256", "use": "sig"});
        let header = B64URL.encode(format!(r#"{{"alg":"ES256","kid":"{kid}","typ":"JWT"}}"#));
        Some(Self { key, pair, rng: SystemRandom::new(), kid, header, jwk, previous: Vec::new() })
    }

    /// A fresh random key.
    pub fn generate() -> Result<Self, KeyFileError> {
        loop {
            let mut seed = [0u8; 32];
            getrandom::fill(&mut seed).map_err(|e| KeyFileError::Random(e.to_string()))?;
            if let Some(signer) = SigningKey::from_bytes(&seed.into()).ok().and_then(Self::from_key) {
                return Ok(signer);
            }
        }
    }

    /// Loads the key at `path` (64 hex digits).
    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| KeyFileError::Io { path: path.display().to_string(), message: e.to_string() })?;
        menkyo_core::hex::decode(text.trim())
            .and_then(|b| <[u8; 32]>::try_from(b).ok())
            .and_then(|arr| SigningKey::from_bytes(&arr.into()).ok())
            .and_then(Self::from_key)
            .ok_or_else(|| KeyFileError::Format(path.display().to_string()))
    }

    /// Loads the key at `path`, or generates one and writes it there (mode 0600).
    pub fn load_or_create(path: &Path) -> Result<Self, KeyFileError> {
        let io = |e: std::io::Error| KeyFileError::Io { path: path.display().to_string(), message: e.to_string() };
        if path.exists() {
            return Self::load(path);
        }
        let signer = Self::generate()?;
        let hex = menkyo_core::hex::encode(&signer.key.to_bytes());
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(path).map_err(io)?;
        std::io::Write::write_all(&mut f, format!("{hex}\n").as_bytes()).map_err(io)?;
        Ok(signer)
    }

    /// Also publishes the public keys of `retired` signers in the JWK set (key rotation: a
    /// relying party can still check receipts signed before the rotation). Only the public
    /// halves are kept; the current key and duplicates are skipped.
    #[must_use]
    pub fn with_previous(mut self, retired: &[ReceiptSigner]) -> Self {
        for old in retired {
            if old.kid != self.kid && !self.previous.iter().any(|j| j["kid"] == old.kid.as_str()) {
                self.previous.push(old.jwk.clone());
            }
        }
        self
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// `{"keys": [current, retired…]}`: the signing key first.
    pub fn jwks(&self) -> serde_json::Value {
        let keys: Vec<&serde_json::Value> = std::iter::once(&self.jwk).chain(&self.previous).collect();
        serde_json::json!({ "keys": keys })
    }

    /// Compact JWS over `payload` (the response JSON without `receipt`); `None` if the
    /// system random source fails.
    pub fn sign(&self, payload: &[u8]) -> Option<String> {
        // One buffer: header, payload and signature are encoded into it in place.
        let mut jws = String::with_capacity(self.header.len() + payload.len().div_ceil(3) * 4 + 100);
        jws.push_str(&self.header);
        jws.push('.');
        B64URL.encode_string(payload, &mut jws);
        let sig = self.pair.sign(&self.rng, jws.as_bytes()).ok()?;
        jws.push('.');
        B64URL.encode_string(sig.as_ref(), &mut jws);
        Some(jws)
    }
}

/// Why a receipt was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the receipt is not a compact JWS")]
    Format,
    #[error("the receipt's header is not ES256 with a key id")]
    Header,
    #[error("no key with the receipt's key id in the service's key set")]
    UnknownKey,
    #[error("the receipt's signature does not verify")]
    Signature,
}

/// Checks a compact JWS receipt against a JWK set (`GET /v1/keys`) and returns its payload.
/// Verified with RustCrypto's `p256`, not with aws-lc-rs which signs: a second implementation.
pub fn verify_receipt(jwks: &serde_json::Value, jws: &str) -> Result<serde_json::Value, ReceiptError> {
    use p256::ecdsa::signature::Verifier;
    let mut parts = jws.split('.');
    let (Some(h), Some(p), Some(sig), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(ReceiptError::Format);
    };
    let json = |b64: &str| -> Option<serde_json::Value> { serde_json::from_slice(&B64URL.decode(b64).ok()?).ok() };
    let header = json(h).ok_or(ReceiptError::Format)?;
    if header["alg"] != "ES256" {
        return Err(ReceiptError::Header);
    }
    let kid = header["kid"].as_str().ok_or(ReceiptError::Header)?;
    let jwk = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid && k["kty"] == "EC" && k["crv"] == "P-256"))
        .ok_or(ReceiptError::UnknownKey)?;
    let coordinate = |name: &str| jwk[name].as_str().and_then(|c| B64URL.decode(c).ok()).filter(|c| c.len() == 32);
    let (x, y) = coordinate("x").zip(coordinate("y")).ok_or(ReceiptError::UnknownKey)?;
    let point = [&[4u8][..], &x, &y].concat();
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(|_| ReceiptError::UnknownKey)?;
    let signature = B64URL
        .decode(sig)
        .ok()
        .and_then(|s| p256::ecdsa::Signature::from_slice(&s).ok())
        .ok_or(ReceiptError::Signature)?;
    key.verify(format!("{h}.{p}").as_bytes(), &signature).map_err(|_| ReceiptError::Signature)?;
    json(p).ok_or(ReceiptError::Format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Verifier;
    use p256::ecdsa::{Signature, VerifyingKey};

    /// Whether the compact JWS `jws` verifies with the public `jwk`.
    fn verifies(jwk: &serde_json::Value, jws: &str) -> bool {
        let parts: Vec<&str> = jws.split('.').collect();
        let mut point = vec![4u8];
        point.extend(B64URL.decode(jwk["x"].as_str().unwrap()).unwrap());
        point.extend(B64URL.decode(jwk["y"].as_str().unwrap()).unwrap());
        let vk = VerifyingKey::from_sec1_bytes(&point).unwrap();
        let sig = Signature::from_slice(&B64URL.decode(parts[2]).unwrap()).unwrap();
        vk.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).is_ok()
    }

    #[test]
    fn verify_receipt_accepts_its_own_and_nothing_else() {
        let signer = ReceiptSigner::from_key(SigningKey::from_bytes(&[7u8; 32].into()).unwrap()).unwrap();
        let jws = signer.sign(br#"{"result":true}"#).unwrap();
        assert_eq!(verify_receipt(&signer.jwks(), &jws), Ok(serde_json::json!({"result": true})));
        let other = ReceiptSigner::from_key(SigningKey::from_bytes(&[8u8; 32].into()).unwrap()).unwrap();
        assert_eq!(verify_receipt(&other.jwks(), &jws), Err(ReceiptError::UnknownKey));
        // Another payload under the same signature.
        let parts: Vec<&str> = jws.split('.').collect();
        let forged = format!("{}.{}.{}", parts[0], B64URL.encode(br#"{"result":false}"#), parts[2]);
        assert_eq!(verify_receipt(&signer.jwks(), &forged), Err(ReceiptError::Signature));
        assert_eq!(verify_receipt(&signer.jwks(), "a.b"), Err(ReceiptError::Format));
    }

    #[test]
    fn receipts_verify_with_the_published_key() {
        let signer = ReceiptSigner::from_key(SigningKey::from_bytes(&[7u8; 32].into()).unwrap()).unwrap();
        let jws = signer.sign(br#"{"verdict":"valid"}"#).unwrap();
        let parts: Vec<&str> = jws.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(B64URL.decode(parts[1]).unwrap(), br#"{"verdict":"valid"}"#);
        assert!(verifies(&signer.jwks()["keys"][0], &jws));
        let header: serde_json::Value = serde_json::from_slice(&B64URL.decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["kid"], signer.kid());
        assert_eq!(header["alg"], "ES256");
    }

    #[test]
    fn retired_keys_stay_published_and_their_receipts_verify() {
        let old = ReceiptSigner::from_key(SigningKey::from_bytes(&[7u8; 32].into()).unwrap()).unwrap();
        let receipt = old.sign(b"{}").unwrap();
        let old_kid = old.kid().to_string();
        let new =
            ReceiptSigner::from_key(SigningKey::from_bytes(&[9u8; 32].into()).unwrap()).unwrap().with_previous(&[
                old,
                ReceiptSigner::from_key(SigningKey::from_bytes(&[7u8; 32].into()).unwrap()).unwrap(),
            ]);
        let keys = new.jwks()["keys"].as_array().unwrap().clone();
        let kids: Vec<&str> = keys.iter().map(|k| k["kid"].as_str().unwrap()).collect();
        assert_eq!(kids, [new.kid(), old_kid.as_str()]);
        assert!(keys.iter().all(|k| k.get("d").is_none()), "only public keys are published");
        // The old receipt verifies with the key its header names.
        let parts: Vec<&str> = receipt.split('.').collect();
        let header: serde_json::Value = serde_json::from_slice(&B64URL.decode(parts[0]).unwrap()).unwrap();
        let jwk = keys.iter().find(|k| k["kid"] == header["kid"]).unwrap();
        assert!(verifies(jwk, &receipt));
    }

    #[test]
    fn key_files_must_be_64_hex_digits() {
        let dir = std::env::temp_dir().join(format!("menkyo-receipt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in [("short", "abcd"), ("not-hex", &"zz".repeat(32)), ("odd", &"a".repeat(63))] {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            assert!(matches!(ReceiptSigner::load(&path), Err(KeyFileError::Format(_))), "{name}");
        }
        assert!(matches!(ReceiptSigner::load(&dir.join("missing")), Err(KeyFileError::Io { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
