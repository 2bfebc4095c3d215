//! EF 0003: the integrity record: digests and the J-LIS signature over them.
//!
//! ```text
//! FF30 {
//!   DF31  32   SHA-256 of the physical 17 bytes of EF 0001 (個人番号): signed as opaque bytes
//!   DF32  32   SHA-256 of the DF22..DF25 TLVs of EF 0002
//!   DF33  256  RSASSA-PKCS1-v1_5 SHA-256 over DF31 TLV || DF32 TLV, by the key in EF 0004
//! }                                                                    336 bytes physical
//! ```

use core::ops::Range;

use crate::ber;
use crate::error::DecodeError;
use crate::kenhojo::record::Outer;
use crate::profile::{EF0003_MAX, EF0003_PHYSICAL_SIZE, KENHOJO_FILLER, RSA2048_BYTES, SHA256_LEN};
use crate::tlv::EncodeError;

const TAG_RECORD: u32 = 0xFF30;
const TAG_NUMBER_DIGEST: u32 = 0xDF31;
const TAG_BASIC_FOUR_DIGEST: u32 = 0xDF32;
const TAG_SIGNATURE: u32 = 0xDF33;

/// EF 0003 as decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ef0003<'a> {
    /// DF31: digest of EF 0001. Never checked: that would need the 個人番号.
    pub number_digest: [u8; SHA256_LEN],
    /// DF32: digest of the basic four.
    pub basic_four_digest: [u8; SHA256_LEN],
    /// DF33: the signature.
    pub signature: [u8; RSA2048_BYTES],
    /// The signed bytes: the DF31 TLV and the DF32 TLV as read.
    pub signed_range: Range<usize>,
    /// The bytes DF33 signs (DF31 TLV ‖ DF32 TLV), borrowed from the EF.
    pub signed: &'a [u8],
    pub trailing: usize,
}

impl<'a> Ef0003<'a> {
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let outer = Outer::read(raw, TAG_RECORD, EF0003_MAX)?;
        let mut inner = outer.inner();
        let df31 = inner.expect(TAG_NUMBER_DIGEST)?;
        let df32 = inner.expect(TAG_BASIC_FOUR_DIGEST)?;
        let df33 = inner.expect(TAG_SIGNATURE)?;
        inner.finish()?;
        Ok(Self {
            number_digest: ber::fixed(&df31)?,
            basic_four_digest: ber::fixed(&df32)?,
            signature: ber::fixed(&df33)?,
            signed_range: df31.offset..df32.end(),
            signed: raw.get(df31.offset..df32.end()).unwrap_or_default(),
            trailing: outer.trailing,
        })
    }

    /// The signed bytes of `raw` (the EF this record was decoded from).
    /// The bytes DF33 signs.
    pub fn signed_bytes(&self) -> &'a [u8] {
        self.signed
    }

    /// The bytes DF33 signs, for given digests (the issuer side).
    pub fn signed_bytes_for(
        number_digest: &[u8; SHA256_LEN],
        basic_four_digest: &[u8; SHA256_LEN],
    ) -> Result<Vec<u8>, EncodeError> {
        let mut out = ber::tlv(TAG_NUMBER_DIGEST, number_digest)?;
        ber::put(&mut out, TAG_BASIC_FOUR_DIGEST, basic_four_digest)?;
        Ok(out)
    }

    /// Encodes the record, padded to its physical size.
    pub fn encode(
        number_digest: &[u8; SHA256_LEN],
        basic_four_digest: &[u8; SHA256_LEN],
        signature: &[u8; RSA2048_BYTES],
    ) -> Result<Vec<u8>, EncodeError> {
        let mut content = Ef0003::signed_bytes_for(number_digest, basic_four_digest)?;
        ber::put(&mut content, TAG_SIGNATURE, signature)?;
        Ok(ber::pad_to(ber::tlv(TAG_RECORD, &content)?, EF0003_PHYSICAL_SIZE, KENHOJO_FILLER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DecodeErrorKind, Tag};

    #[test]
    fn round_trips_in_336_bytes() {
        let raw = Ef0003::encode(&[1; 32], &[2; 32], &[3; 256]).unwrap();
        assert_eq!(raw.len(), 336);
        let ef = Ef0003::decode(&raw).unwrap();
        assert_eq!(ef.basic_four_digest, [2; 32]);
        assert_eq!(ef.signed_bytes().len(), 70);
        assert_eq!(ef.signed_bytes(), &Ef0003::signed_bytes_for(&[1; 32], &[2; 32]).unwrap()[..]);
        assert_eq!(ef.trailing, 0);
    }

    #[test]
    fn rejects_short_digest() {
        let mut content = ber::tlv(0xDF31, &[1; 31]).unwrap();
        ber::put(&mut content, 0xDF32, &[2; 32]).unwrap();
        ber::put(&mut content, 0xDF33, &[3; 256]).unwrap();
        let raw = ber::tlv(0xFF30, &content).unwrap();
        assert_eq!(
            Ef0003::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::WrongLength { expected: 32, actual: 31 },
                offset: 8,
                tag: Some(Tag::Ber(0xDF31))
            })
        );
    }
}
