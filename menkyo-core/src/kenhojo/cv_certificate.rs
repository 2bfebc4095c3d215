//! EF 0004: the CV certificate of the key that signed EF 0003 and EF 0007.
//!
//! ```text
//! 7F21 {
//!   5F4E  297-byte body: issuer key id (16) | subject key id (16) | 90 03 01 00 01 | 91 82 01 00 <modulus>
//!   5F37  256-byte signature: RSASSA-PKCS1-v1_5 SHA-256 over the body by the CA key named by the issuer id
//! }                                                      568 bytes: 5 + 5 + 297 + 5 + 256
//! key id = 7 ASCII digits | 08 05 | 3 ASCII digits | 4 padding bytes   (e.g. 5000033-001)
//! ```

use core::fmt;
use core::ops::Range;
use core::str::FromStr;

use crate::ber;
use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::kenhojo::record::Outer;
use crate::kenhojo::rsa_key::RsaPublicKeyParts;
use crate::profile::{EF0004_MAX, EF0004_PHYSICAL_SIZE, KENHOJO_FILLER, RSA2048_BYTES};
use crate::tlv::EncodeError;

const TAG_CERTIFICATE: u32 = 0x7F21;
const TAG_BODY: u32 = 0x5F4E;
const TAG_SIGNATURE: u32 = 0x5F37;

/// Bytes of a key identifier.
pub const KEY_ID_LEN: usize = 16;
const KEY_ID_SEPARATOR: [u8; 2] = [0x08, 0x05];
/// First digit of production key ids (test hierarchies use `6`).
const PRODUCTION_PREFIX: u8 = b'5';

/// A J-LIS key identifier, shown as `DDDDDDD-DDD`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; KEY_ID_LEN]);

impl KeyId {
    pub fn from_bytes(bytes: [u8; KEY_ID_LEN]) -> Result<Self, DecodeErrorKind> {
        let digits_ok = bytes.iter().take(7).chain(bytes.iter().skip(9).take(3)).all(u8::is_ascii_digit);
        let separator_ok = bytes.get(7..9) == Some(&KEY_ID_SEPARATOR[..]);
        if digits_ok && separator_ok { Ok(Self(bytes)) } else { Err(DecodeErrorKind::BadKeyId) }
    }

    pub fn as_bytes(&self) -> &[u8; KEY_ID_LEN] {
        &self.0
    }

    /// Production J-LIS keys start with `5`; test hierarchies use `6`.
    pub fn is_production(&self) -> bool {
        self.0.first() == Some(&PRODUCTION_PREFIX)
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        let part = |f: &mut fmt::Formatter<'_>, r: Range<usize>| -> fmt::Result {
            self.0.get(r).unwrap_or_default().iter().try_for_each(|&b| f.write_char(char::from(b)))
        };
        part(f, 0..7)?;
        f.write_char('-')?;
        part(f, 9..12)
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// `DDDDDDD-DDD`, padding bytes zero (the trust-store file stem).
impl FromStr for KeyId {
    type Err = DecodeErrorKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (a, b) = s.split_once('-').ok_or(DecodeErrorKind::BadKeyId)?;
        if a.len() != 7 || b.len() != 3 {
            return Err(DecodeErrorKind::BadKeyId);
        }
        let mut bytes = [0u8; KEY_ID_LEN];
        let source = a.bytes().chain(KEY_ID_SEPARATOR).chain(b.bytes());
        bytes.iter_mut().zip(source).for_each(|(o, i)| *o = i);
        KeyId::from_bytes(bytes)
    }
}

/// The CV certificate body (5F4E).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CvBody {
    pub issuer: KeyId,
    pub subject: KeyId,
    pub public_key: RsaPublicKeyParts,
}

impl CvBody {
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(crate::profile::CV_BODY_LEN);
        out.extend_from_slice(self.issuer.as_bytes());
        out.extend_from_slice(self.subject.as_bytes());
        out.extend_from_slice(&self.public_key.encode()?);
        Ok(out)
    }
}

/// EF 0004 as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CvCertificate<'a> {
    pub body: CvBody,
    pub signature: [u8; RSA2048_BYTES],
    /// The signed bytes: the 5F4E value.
    pub body_range: Range<usize>,
    /// The signed body bytes, borrowed from the EF.
    pub body_bytes: &'a [u8],
    pub trailing: usize,
}

impl<'a> CvCertificate<'a> {
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let outer = Outer::read(raw, TAG_CERTIFICATE, EF0004_MAX)?;
        let mut inner = outer.inner();
        let body_tlv = inner.expect(TAG_BODY)?;
        let sig = inner.expect(TAG_SIGNATURE)?;
        inner.finish()?;
        let at = body_tlv.value_offset;
        let tagged = |e: DecodeError| e.in_tag(Tag::Ber(TAG_BODY));
        let mut cur = Cursor::new(body_tlv.value);
        let key_id = |cur: &mut Cursor<'_>| -> Result<KeyId, DecodeError> {
            let pos = cur.position();
            let bytes = cur.read_array::<KEY_ID_LEN>().map_err(|e| tagged(e.shifted(at)))?;
            KeyId::from_bytes(bytes).map_err(|k| tagged(DecodeError::new(k, at.saturating_add(pos))))
        };
        let issuer = key_id(&mut cur)?;
        let subject = key_id(&mut cur)?;
        let key_at = at.saturating_add(cur.position());
        let public_key = RsaPublicKeyParts::decode(cur.rest(), key_at)?;
        Ok(Self {
            body: CvBody { issuer, subject, public_key },
            signature: ber::fixed(&sig)?,
            body_range: body_tlv.value_offset..body_tlv.end(),
            body_bytes: body_tlv.value,
            trailing: outer.trailing,
        })
    }

    /// Encodes a certificate from its body bytes and signature, padded to the physical size.
    pub fn encode(body: &[u8], signature: &[u8; RSA2048_BYTES]) -> Result<Vec<u8>, EncodeError> {
        let mut content = ber::tlv(TAG_BODY, body)?;
        ber::put(&mut content, TAG_SIGNATURE, signature)?;
        Ok(ber::pad_to(ber::tlv(TAG_CERTIFICATE, &content)?, EF0004_PHYSICAL_SIZE, KENHOJO_FILLER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> CvBody {
        CvBody {
            issuer: "6000033-001".parse().unwrap(),
            subject: "6000034-002".parse().unwrap(),
            public_key: RsaPublicKeyParts::new(vec![0xC3; 256], vec![1, 0, 1]).unwrap(),
        }
    }

    #[test]
    fn key_ids() {
        let id: KeyId = "5000033-001".parse().unwrap();
        assert_eq!(id.as_bytes(), b"5000033\x08\x05001\0\0\0\0");
        assert_eq!(id.to_string(), "5000033-001");
        assert!(id.is_production());
        assert!(!"6000033-001".parse::<KeyId>().unwrap().is_production());
        assert_eq!("500003-001".parse::<KeyId>(), Err(DecodeErrorKind::BadKeyId));
        assert_eq!("500003x-001".parse::<KeyId>(), Err(DecodeErrorKind::BadKeyId));
    }

    #[test]
    fn round_trips_in_568_bytes() {
        let b = body().encode().unwrap();
        assert_eq!(b.len(), crate::profile::CV_BODY_LEN);
        let raw = CvCertificate::encode(&b, &[7; 256]).unwrap();
        assert_eq!(raw.len(), 568);
        let c = CvCertificate::decode(&raw).unwrap();
        assert_eq!(c.body, body());
        assert_eq!(c.body_bytes, &b[..]);
        assert_eq!(c.signature, [7; 256]);
        assert_eq!(c.trailing, 0);
    }

    #[test]
    fn rejects_bad_key_id_with_offset() {
        let mut b = body().encode().unwrap();
        b[16 + 7] = 0x09;
        let raw = CvCertificate::encode(&b, &[7; 256]).unwrap();
        assert_eq!(
            CvCertificate::decode(&raw),
            Err(DecodeError { kind: DecodeErrorKind::BadKeyId, offset: 10 + 16, tag: Some(Tag::Ber(0x5F4E)) })
        );
    }
}
