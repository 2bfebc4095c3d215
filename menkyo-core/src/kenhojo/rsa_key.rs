//! An RSA public key as the card-surface APs write it.
//!
//! ```text
//! 90 03 01 00 01        public exponent
//! 91 82 01 00 <256>     modulus (RSA-2048)
//! ```

use core::fmt;

use crate::ber::{self, BerTlv};
use crate::cursor::Cursor;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::profile::{RSA_EXPONENT_MAX, RSA2048_BYTES};
use crate::tlv::EncodeError;

const TAG_EXPONENT: u32 = 0x90;
const TAG_MODULUS: u32 = 0x91;

/// The two parts of an RSA-2048 public key, big-endian, as read.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RsaPublicKeyParts {
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

impl RsaPublicKeyParts {
    /// A 256-byte modulus with its top bit set and an exponent of 1–4 bytes.
    pub fn new(modulus: Vec<u8>, exponent: Vec<u8>) -> Result<Self, DecodeErrorKind> {
        if modulus.len() != RSA2048_BYTES {
            return Err(DecodeErrorKind::WrongLength { expected: RSA2048_BYTES, actual: modulus.len() });
        }
        if exponent.is_empty() || exponent.len() > RSA_EXPONENT_MAX {
            return Err(DecodeErrorKind::ValueTooLong { max: RSA_EXPONENT_MAX, actual: exponent.len() });
        }
        Ok(Self { modulus, exponent })
    }

    pub fn modulus(&self) -> &[u8] {
        &self.modulus
    }

    pub fn exponent(&self) -> &[u8] {
        &self.exponent
    }

    /// Reads `90` then `91` from a value; offsets relative to `base`.
    pub(crate) fn decode(value: &[u8], base: usize) -> Result<Self, DecodeError> {
        let mut cur = Cursor::new(value);
        let e = ber::expect(&mut cur, TAG_EXPONENT).map_err(|e| e.shifted(base))?;
        let n = ber::expect(&mut cur, TAG_MODULUS).map_err(|e| e.shifted(base))?;
        cur.finish().map_err(|e| e.shifted(base))?;
        let at = |t: &BerTlv<'_>| base.saturating_add(t.value_offset);
        let parts = RsaPublicKeyParts::new(n.value.to_vec(), e.value.to_vec());
        parts.map_err(|kind| match kind {
            DecodeErrorKind::WrongLength { .. } => DecodeError::new(kind, at(&n)).in_tag(Tag::Ber(TAG_MODULUS)),
            _ => DecodeError::new(kind, at(&e)).in_tag(Tag::Ber(TAG_EXPONENT)),
        })
    }

    pub(crate) fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(self.modulus.len().saturating_add(16));
        ber::put(&mut out, TAG_EXPONENT, &self.exponent)?;
        ber::put(&mut out, TAG_MODULUS, &self.modulus)?;
        Ok(out)
    }
}

impl fmt::Debug for RsaPublicKeyParts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let head = crate::hex::encode(self.modulus.get(..4).unwrap_or(&self.modulus));
        write!(f, "RsaPublicKeyParts {{ modulus: {head}…, exponent: {:02x?} }}", self.exponent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_sizes() {
        let k = RsaPublicKeyParts::new(vec![0xC1; 256], vec![1, 0, 1]).unwrap();
        let raw = k.encode().unwrap();
        assert_eq!(&raw[..9], &[0x90, 0x03, 1, 0, 1, 0x91, 0x82, 0x01, 0x00]);
        assert_eq!(RsaPublicKeyParts::decode(&raw, 0), Ok(k));
        let short = [0x90, 0x01, 3, 0x91, 0x02, 0xAA, 0xBB];
        assert_eq!(
            RsaPublicKeyParts::decode(&short, 10),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 256, actual: 2 },
                offset: 15,
                tag: Some(Tag::Ber(0x91))
            })
        );
    }
}
