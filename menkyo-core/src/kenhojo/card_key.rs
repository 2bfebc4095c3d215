//! EF 0007: the card's own public key, certified by the key in EF 0004.
//!
//! ```text
//! FF50 {
//!   DF51  90 03 01 00 01 | 91 82 01 00 <256-byte modulus>   card public key
//!   DF52  256 bytes: RSASSA-PKCS1-v1_5 SHA-256 over the DF51 TLV by the key in EF 0004
//! }
//! ```
//! The card signs a host challenge with this key (`80 2A 00 00`): proof it is present now.

use core::ops::Range;

use crate::ber;
use crate::error::DecodeError;
use crate::kenhojo::record::Outer;
use crate::kenhojo::rsa_key::RsaPublicKeyParts;
use crate::profile::{EF0007_MAX, EF0007_PHYSICAL_SIZE, KENHOJO_FILLER, RSA2048_BYTES};
use crate::tlv::EncodeError;

const TAG_RECORD: u32 = 0xFF50;
const TAG_KEY: u32 = 0xDF51;
const TAG_SIGNATURE: u32 = 0xDF52;

/// EF 0007 as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardKey<'a> {
    pub public_key: RsaPublicKeyParts,
    pub signature: [u8; RSA2048_BYTES],
    /// The signed bytes: the DF51 TLV as read.
    pub signed_range: Range<usize>,
    /// The bytes DF52 signs (the DF51 TLV), borrowed from the EF.
    pub signed: &'a [u8],
    pub trailing: usize,
}

impl<'a> CardKey<'a> {
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let outer = Outer::read(raw, TAG_RECORD, EF0007_MAX)?;
        let mut inner = outer.inner();
        let key = inner.expect(TAG_KEY)?;
        let sig = inner.expect(TAG_SIGNATURE)?;
        inner.finish()?;
        Ok(Self {
            public_key: RsaPublicKeyParts::decode(key.value, key.value_offset)?,
            signature: ber::fixed(&sig)?,
            signed_range: key.offset..key.end(),
            signed: raw.get(key.offset..key.end()).unwrap_or_default(),
            trailing: outer.trailing,
        })
    }

    /// The signed bytes of `raw` (the EF this record was decoded from).
    /// The bytes DF52 signs.
    pub fn signed_bytes(&self) -> &'a [u8] {
        self.signed
    }

    /// The DF51 TLV that DF52 signs (the issuer side).
    pub fn signed_bytes_for(key: &RsaPublicKeyParts) -> Result<Vec<u8>, EncodeError> {
        ber::tlv(TAG_KEY, &key.encode()?)
    }

    /// Encodes the record, padded to its physical size.
    pub fn encode(key: &RsaPublicKeyParts, signature: &[u8; RSA2048_BYTES]) -> Result<Vec<u8>, EncodeError> {
        let mut content = CardKey::signed_bytes_for(key)?;
        ber::put(&mut content, TAG_SIGNATURE, signature)?;
        Ok(ber::pad_to(ber::tlv(TAG_RECORD, &content)?, EF0007_PHYSICAL_SIZE, KENHOJO_FILLER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_536_bytes() {
        let key = RsaPublicKeyParts::new(vec![0xD5; 256], vec![1, 0, 1]).unwrap();
        let raw = CardKey::encode(&key, &[9; 256]).unwrap();
        assert_eq!(raw.len(), 536);
        let ck = CardKey::decode(&raw).unwrap();
        assert_eq!(ck.public_key, key);
        assert_eq!(ck.signed_bytes(), &CardKey::signed_bytes_for(&key).unwrap()[..]);
        assert_eq!(ck.trailing, 0);
    }
}
