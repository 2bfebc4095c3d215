//! EF 0001 of the kenkaku AP: the age record (card-formats.md §3.3).
//!
//! ```text
//! FF10 82 02 1E {                                           547 bytes
//!   DF11  8 ASCII digits YYYYMMDD (Gregorian)               birth date
//!   DF12  90 03 01 00 01 | 91 82 01 00 <256-byte modulus>   the card's public key
//!   DF13  256 bytes: RSASSA-PKCS1-v1_5 SHA-256 over DF11 TLV || DF12 TLV by the EF 0004 key
//! }
//! ```
//! DF12 sits inside the signed record next to the birth date: a fresh answer of the card with
//! that key proves "a genuine card whose record says birth date X is here now".

use core::ops::Range;

use crate::ber;
use crate::date::Date;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::kenhojo::RsaPublicKeyParts;
use crate::kenhojo::record::Outer;
use crate::profile::{KENHOJO_FILLER, KENKAKU_EF0001_MAX, KENKAKU_EF0001_PHYSICAL_SIZE, RSA2048_BYTES};
use crate::tlv::EncodeError;

const TAG_RECORD: u32 = 0xFF10;
const TAG_BIRTH: u32 = 0xDF11;
const TAG_KEY: u32 = 0xDF12;
const TAG_SIGNATURE: u32 = 0xDF13;

/// What the age record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgeRecord {
    pub birth_date: Date,
    pub card_key: RsaPublicKeyParts,
}

impl AgeRecord {
    /// DF11 TLV ‖ DF12 TLV: the bytes DF13 signs.
    pub fn signed_bytes_for(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = ber::tlv(TAG_BIRTH, self.birth_date.to_yyyymmdd().as_bytes())?;
        ber::put(&mut out, TAG_KEY, &self.card_key.encode()?)?;
        Ok(out)
    }

    /// The EF with its signature, padded to the physical size.
    pub fn encode(&self, signature: &[u8; RSA2048_BYTES]) -> Result<Vec<u8>, EncodeError> {
        let mut content = self.signed_bytes_for()?;
        ber::put(&mut content, TAG_SIGNATURE, signature)?;
        Ok(ber::pad_to(ber::tlv(TAG_RECORD, &content)?, KENKAKU_EF0001_PHYSICAL_SIZE, KENHOJO_FILLER))
    }
}

/// EF 0001 as decoded, keeping the bytes its signature covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ef0001<'a> {
    pub record: AgeRecord,
    pub signature: [u8; RSA2048_BYTES],
    pub signed_range: Range<usize>,
    /// DF11 TLV ‖ DF12 TLV, borrowed from the EF.
    pub signed: &'a [u8],
    pub trailing: usize,
}

impl<'a> Ef0001<'a> {
    pub fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let outer = Outer::read(raw, TAG_RECORD, KENKAKU_EF0001_MAX)?;
        let mut inner = outer.inner();
        let birth = inner.expect(TAG_BIRTH)?;
        let key = inner.expect(TAG_KEY)?;
        let sig = inner.expect(TAG_SIGNATURE)?;
        inner.finish()?;
        let birth_date = Date::from_yyyymmdd(birth.value).map_err(|e| {
            DecodeError::new(DecodeErrorKind::BadDate(e), birth.value_offset).in_tag(Tag::Ber(TAG_BIRTH))
        })?;
        let card_key =
            RsaPublicKeyParts::decode(key.value, key.value_offset).map_err(|e| e.in_tag(Tag::Ber(TAG_KEY)))?;
        let signed_range = birth.offset..key.end();
        Ok(Self {
            record: AgeRecord { birth_date, card_key },
            signature: ber::fixed(&sig)?,
            signed: raw.get(signed_range.clone()).unwrap_or_default(),
            signed_range,
            trailing: outer.trailing,
        })
    }

    /// The bytes DF13 signs.
    pub fn signed_bytes(&self) -> &'a [u8] {
        self.signed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record() -> AgeRecord {
        AgeRecord {
            birth_date: "1980-02-17".parse().unwrap(),
            card_key: RsaPublicKeyParts::new(vec![0xC5; 256], vec![1, 0, 1]).unwrap(),
        }
    }

    #[test]
    fn round_trips_in_547_bytes() {
        let raw = record().encode(&[9; 256]).unwrap();
        assert_eq!(raw.len(), 547);
        assert_eq!(&raw[..5], &[0xFF, 0x10, 0x82, 0x02, 0x1E]);
        let ef = Ef0001::decode(&raw).unwrap();
        assert_eq!(ef.record, record());
        assert_eq!(ef.signature, [9; 256]);
        assert_eq!(ef.signed_bytes(), &record().signed_bytes_for().unwrap()[..]);
        assert_eq!(ef.signed_bytes().len(), 11 + 270);
        assert_eq!(ef.trailing, 0);
    }

    #[test]
    fn refuses_a_bad_birth_date_with_its_offset() {
        let mut raw = record().encode(&[9; 256]).unwrap();
        // DF11's value starts at 8: "19800217" becomes "19801317", month 13.
        raw[12] = b'1';
        raw[13] = b'3';
        assert_eq!(
            Ef0001::decode(&raw).map_err(|e| (e.kind.code(), e.tag, e.offset)),
            Err(("bad_date", Some(Tag::Ber(0xDF11)), 8))
        );
    }

    #[test]
    fn refuses_truncation_and_a_missing_signature() {
        let raw = record().encode(&[9; 256]).unwrap();
        assert!(Ef0001::decode(&raw[..300]).is_err());
        let content = record().signed_bytes_for().unwrap();
        let no_sig = ber::tlv(TAG_RECORD, &content).unwrap();
        assert_eq!(Ef0001::decode(&no_sig).unwrap_err().kind.code(), "missing_item");
        assert!(Ef0001::decode(&[]).is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_decode_or_fail_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..700)) {
            let _ = Ef0001::decode(&bytes);
        }

        #[test]
        fn encode_decode_round_trip(days in 0u32..50_000, first in 0x80u8..=0xFF, sig in any::<u8>()) {
            let birth = (0..days).try_fold(Date::new(1900, 1, 1).unwrap(), |d, _| d.succ()).unwrap();
            let r = AgeRecord { birth_date: birth, card_key: RsaPublicKeyParts::new(vec![first; 256], vec![1, 0, 1]).unwrap() };
            let raw = r.encode(&[sig; 256]).unwrap();
            let ef = Ef0001::decode(&raw).unwrap();
            prop_assert_eq!(ef.record, r);
        }
    }
}
