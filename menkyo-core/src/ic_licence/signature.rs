//! DF1/EF07 電子署名 (signature): the signature over DF1/EF01 ‖ DF1/EF02 ‖ DF2/EF01 and the
//! signer's identification. The card holds no certificate.
//!
//! ```text
//! B1  <= 256  signature value (RSA-2048)
//! B2  <= 16   serial number (ASCII)
//! B3  <= 48   reserved
//! B4  <= 80   issuer name (ASCII)
//! B5  <= 130  subject name (ASCII)
//! B6  <= 32   subject key identifier of the signer
//! then FF padding to 578 bytes
//! ```
//!
//! B1–B6 match the licence AP's WEF03 tags 0108–010D (ic-licence.md §6).

use crate::ascii::AsciiText;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::ic_licence::tlv::{Items, Writer, pad};
use crate::profile::{
    IC_SIGNATURE_RESERVED_MAX, IC_SIGNATURE_SIZE, IC_SIGNATURE_VALUE_MAX, IC_SIGNER_ISSUER_MAX, IC_SIGNER_KEY_ID_MAX,
    IC_SIGNER_SERIAL_MAX, IC_SIGNER_SUBJECT_MAX,
};
use crate::tlv::{EncodeError, RawItem};

const TAG_SIGNATURE: u8 = 0xB1;
const TAG_SERIAL: u8 = 0xB2;
const TAG_RESERVED: u8 = 0xB3;
const TAG_ISSUER: u8 = 0xB4;
const TAG_SUBJECT: u8 = 0xB5;
const TAG_KEY_ID: u8 = 0xB6;
const FILE: &str = "DF1/EF07";

/// Tags with their longest value.
const LIMITS: [(u8, usize); 6] = [
    (TAG_SIGNATURE, IC_SIGNATURE_VALUE_MAX),
    (TAG_SERIAL, IC_SIGNER_SERIAL_MAX),
    (TAG_RESERVED, IC_SIGNATURE_RESERVED_MAX),
    (TAG_ISSUER, IC_SIGNER_ISSUER_MAX),
    (TAG_SUBJECT, IC_SIGNER_SUBJECT_MAX),
    (TAG_KEY_ID, IC_SIGNER_KEY_ID_MAX),
];

fn is_layout_tag(tag: u8) -> bool {
    LIMITS.iter().any(|(t, _)| *t == tag)
}

/// The content of DF1/EF07. A missing item is empty.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    /// B1: the signature value.
    pub value: Vec<u8>,
    /// B2: serial number.
    pub serial: AsciiText,
    /// B3: reserved, kept as read.
    pub reserved: Vec<u8>,
    /// B4: issuer name.
    pub issuer: AsciiText,
    /// B5: subject name of the signer.
    pub subject: AsciiText,
    /// B6: subject key identifier of the signer's key.
    pub key_id: Vec<u8>,
    /// Items with tags outside B1–B6, kept as read.
    pub unknown: Vec<RawItem>,
}

/// DF1/EF07 checked exactly as [`Signature::decode`] checks it, borrowing the two items a
/// verifier uses instead of copying every item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SignatureRef<'a> {
    /// B1: the signature value (empty when missing).
    pub(crate) value: &'a [u8],
    /// B6: the signer's key identifier (empty when missing).
    pub(crate) key_id: &'a [u8],
}

impl<'a> SignatureRef<'a> {
    pub(crate) fn decode(raw: &'a [u8]) -> Result<Self, DecodeError> {
        let items = checked_items(raw)?;
        let value = |tag| items.get(tag).map_or(&[][..], |i| i.value);
        Ok(SignatureRef { value: value(TAG_SIGNATURE), key_id: value(TAG_KEY_ID) })
    }
}

/// The items of DF1/EF07, each within its longest value and the text items printable ASCII:
/// the checks of both decoders, in one place and in one order (so the first error is the same).
fn checked_items(raw: &[u8]) -> Result<Items<'_>, DecodeError> {
    let items = Items::read(raw, IC_SIGNATURE_SIZE)?;
    for (tag, max) in LIMITS {
        let Some(item) = items.get(tag) else { continue };
        if item.value.len() > max {
            return Err(item.error(DecodeErrorKind::ValueTooLong { max, actual: item.value.len() }, 0));
        }
        if matches!(tag, TAG_SERIAL | TAG_ISSUER | TAG_SUBJECT) {
            item.check_ascii()?;
        }
    }
    Ok(items)
}

impl Signature {
    /// Decodes DF1/EF07 as read (at most 578 bytes, padding included).
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let items = checked_items(raw)?;
        let mut out = Signature { unknown: items.unknown(is_layout_tag), ..Signature::default() };
        for (tag, _) in LIMITS {
            let Some(item) = items.get(tag) else { continue };
            match tag {
                TAG_SIGNATURE => out.value = item.value.to_vec(),
                TAG_SERIAL => out.serial = item.ascii()?,
                TAG_RESERVED => out.reserved = item.value.to_vec(),
                TAG_ISSUER => out.issuer = item.ascii()?,
                TAG_SUBJECT => out.subject = item.ascii()?,
                _ => out.key_id = item.value.to_vec(),
            }
        }
        Ok(out)
    }

    /// The EF as a card holds it: B1–B6 in order (empty ones too), unknown items, padding
    /// to 578 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let values: [&[u8]; 6] =
            [&self.value, self.serial.raw(), &self.reserved, self.issuer.raw(), self.subject.raw(), &self.key_id];
        let mut w = Writer::new(FILE, IC_SIGNATURE_SIZE);
        for (value, (tag, max)) in values.into_iter().zip(LIMITS) {
            if value.len() > max {
                return Err(EncodeError::TooLong { tag: Tag::IcLicence(tag) });
            }
            w.put(tag, value)?;
        }
        for item in &self.unknown {
            w.put_unknown(item, is_layout_tag)?;
        }
        pad(w.finish(IC_SIGNATURE_SIZE)?, IC_SIGNATURE_SIZE, FILE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ic_licence::test_support::{ascii, ascii_text};
    use proptest::prelude::*;

    fn full() -> Signature {
        Signature {
            value: vec![0xA5; 256],
            serial: ascii("0000000000000001"),
            reserved: vec![0; 48],
            issuer: ascii(&"I".repeat(80)),
            subject: ascii(&"S".repeat(130)),
            key_id: vec![0x11; 32],
            unknown: vec![],
        }
    }

    #[test]
    fn the_longest_items_fill_the_578_bytes() {
        let raw = full().encode().unwrap();
        assert_eq!(raw.len(), 578);
        assert!(!raw.contains(&0xFF), "no padding left");
        assert_eq!(&raw[..4], &[0xB1, 0x82, 0x01, 0x00]);
        assert_eq!(Signature::decode(&raw), Ok(full()));
    }

    #[test]
    fn short_items_then_padding() {
        let s = Signature {
            value: vec![0x5A; 256],
            serial: ascii("12"),
            issuer: ascii("TEST NPA"),
            subject: ascii("TEST SIGNER"),
            key_id: vec![0x22; 20],
            ..Signature::default()
        };
        let raw = s.encode().unwrap();
        assert_eq!(raw.len(), 578);
        assert_eq!(raw[577], 0xFF);
        assert_eq!(Signature::decode(&raw), Ok(s));
        // Missing items are empty.
        assert_eq!(Signature::decode(&[0xB6, 0x01, 0x33, 0xFF]).unwrap().key_id, vec![0x33]);
        assert_eq!(Signature::decode(&[0xB6, 0x01, 0x33]).unwrap().value, Vec::<u8>::new());
    }

    #[test]
    fn errors_name_tag_and_offset() {
        let mut raw = vec![0xB6, 0x21];
        raw.extend_from_slice(&[0; 33]);
        assert_eq!(
            Signature::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::ValueTooLong { max: 32, actual: 33 },
                offset: 2,
                tag: Some(Tag::IcLicence(0xB6))
            })
        );
        assert_eq!(
            Signature::decode(&[0xB1, 0x82, 0x01, 0x00, 0xA5]),
            Err(DecodeError {
                kind: DecodeErrorKind::LengthPastEnd { length: 256, available: 1 },
                offset: 4,
                tag: Some(Tag::IcLicence(0xB1))
            })
        );
        assert_eq!(
            Signature::decode(&[0xB4, 0x03, b'N', 0x80, b'A']),
            Err(DecodeError {
                kind: DecodeErrorKind::BadAscii { byte: 0x80 },
                offset: 3,
                tag: Some(Tag::IcLicence(0xB4))
            })
        );
        assert_eq!(
            Signature::decode(&[0xFF; 579]),
            Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: 578, actual: 579 }, 0))
        );
        let s = Signature { key_id: vec![0; 33], ..Signature::default() };
        assert_eq!(s.encode(), Err(EncodeError::TooLong { tag: Tag::IcLicence(0xB6) }));
    }

    proptest! {
        #[test]
        fn round_trip(
            value in proptest::collection::vec(any::<u8>(), 0..=256),
            serial in ascii_text(16),
            reserved in proptest::collection::vec(any::<u8>(), 0..=48),
            issuer in ascii_text(80),
            subject in ascii_text(130),
            key_id in proptest::collection::vec(any::<u8>(), 0..=32),
        ) {
            let s = Signature { value, serial, reserved, issuer, subject, key_id, unknown: vec![] };
            let raw = s.encode().unwrap();
            prop_assert_eq!(raw.len(), IC_SIGNATURE_SIZE);
            prop_assert_eq!(SignatureRef::decode(&raw), Ok(SignatureRef { value: &s.value, key_id: &s.key_id }));
            prop_assert_eq!(Signature::decode(&raw), Ok(s));
        }

        #[test]
        fn never_panics(raw in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = Signature::decode(&raw);
            let _ = SignatureRef::decode(&raw);
        }

        /// The borrowing decoder accepts exactly what the owning one accepts, with the same
        /// first error, on a full EF with bytes changed anywhere.
        #[test]
        fn both_decoders_agree(changes in proptest::collection::vec((0usize..IC_SIGNATURE_SIZE, any::<u8>()), 0..4)) {
            let mut raw = full().encode().unwrap();
            for (at, byte) in changes {
                if let Some(b) = raw.get_mut(at) { *b = byte; }
            }
            match (Signature::decode(&raw), SignatureRef::decode(&raw)) {
                (Ok(s), Ok(r)) => prop_assert_eq!(r, SignatureRef { value: &s.value, key_id: &s.key_id }),
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
            }
        }
    }
}
