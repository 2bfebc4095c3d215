//! WEF03: the NPA signature over WEF02 and the signer's identification.
//!
//! ```text
//! 01 08  <= 256  signature value (RSASSA-PKCS1-v1_5, SHA-256, RSA-2048)
//! 01 09  <= 16   serial number (ASCII)
//! 01 0A  <= 48   RFU
//! 01 0B  <= 80   issuer name (ASCII)
//! 01 0C  <= 130  subject name of the signer (ASCII)
//! 01 0D  <= 32   subject key identifier of the signer's certificate
//! ```

use crate::ascii::AsciiText;
use crate::error::{DecodeError, DecodeErrorKind, Tag};
use crate::profile::WEF03_MAX;
use crate::tlv::{self, EncodeError, RawItem};

const TAG_SIGNATURE: u16 = 0x0108;
const TAG_SERIAL: u16 = 0x0109;
const TAG_RFU: u16 = 0x010A;
const TAG_ISSUER: u16 = 0x010B;
const TAG_SUBJECT: u16 = 0x010C;
const TAG_SKI: u16 = 0x010D;

/// Maximum value lengths of WEF03 (card-formats.md §2.4).
const LIMITS: [(u16, usize); 6] =
    [(TAG_SIGNATURE, 256), (TAG_SERIAL, 16), (TAG_RFU, 48), (TAG_ISSUER, 80), (TAG_SUBJECT, 130), (TAG_SKI, 32)];

/// The content of WEF03 (電子署名).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignatureInfo {
    pub signature: Vec<u8>,
    pub serial: AsciiText,
    pub rfu: Vec<u8>,
    pub issuer: AsciiText,
    pub subject: AsciiText,
    /// Equals the SubjectKeyIdentifier of the signer's X.509 certificate.
    pub subject_key_id: Vec<u8>,
}

/// WEF03 as decoded, with what did not fit the layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wef03 {
    pub info: SignatureInfo,
    /// Items with tags outside the layout, kept as read.
    pub unknown: Vec<RawItem>,
    /// Number of bytes after the last item.
    pub trailing: usize,
}

impl Wef03 {
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        if raw.len() > WEF03_MAX {
            return Err(DecodeError::new(DecodeErrorKind::RecordTooLarge { max: WEF03_MAX, actual: raw.len() }, 0));
        }
        let stream = tlv::read_stream(raw, TAG_SKI)?;
        let mut info = SignatureInfo::default();
        let mut unknown = Vec::new();
        for item in &stream.items {
            let tag = Tag::Licence(item.tag);
            let Some(&(_, max)) = LIMITS.iter().find(|(t, _)| *t == item.tag) else {
                unknown.push(RawItem { tag, value: item.value.to_vec() });
                continue;
            };
            if item.value.len() > max {
                return Err(DecodeError::new(
                    DecodeErrorKind::ValueTooLong { max, actual: item.value.len() },
                    item.value_offset,
                )
                .in_tag(tag));
            }
            let ascii = || AsciiText::decode(item.value).map_err(|e| e.shifted(item.value_offset).in_tag(tag));
            match item.tag {
                TAG_SIGNATURE => info.signature = item.value.to_vec(),
                TAG_SERIAL => info.serial = ascii()?,
                TAG_RFU => info.rfu = item.value.to_vec(),
                TAG_ISSUER => info.issuer = ascii()?,
                TAG_SUBJECT => info.subject = ascii()?,
                _ => info.subject_key_id = item.value.to_vec(),
            }
        }
        Ok(Self { info, unknown, trailing: raw.len().saturating_sub(stream.end) })
    }
}

impl SignatureInfo {
    /// Encodes every item in tag order.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let values: [(u16, &[u8]); 6] = [
            (TAG_SIGNATURE, &self.signature),
            (TAG_SERIAL, self.serial.raw()),
            (TAG_RFU, &self.rfu),
            (TAG_ISSUER, self.issuer.raw()),
            (TAG_SUBJECT, self.subject.raw()),
            (TAG_SKI, &self.subject_key_id),
        ];
        let mut out = Vec::with_capacity(WEF03_MAX);
        for ((tag, value), (_, max)) in values.into_iter().zip(LIMITS) {
            if value.len() > max {
                return Err(EncodeError::TooLong { tag: Tag::Licence(tag) });
            }
            tlv::put(&mut out, tag, value)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SignatureInfo {
        SignatureInfo {
            signature: vec![0xA5; 256],
            serial: AsciiText::try_from("0000000000000001").unwrap(),
            rfu: vec![],
            issuer: AsciiText::try_from("TEST NPA ROOT").unwrap(),
            subject: AsciiText::try_from("TEST NPA LICENCE SIGNER").unwrap(),
            subject_key_id: vec![0x11; 32],
        }
    }

    #[test]
    fn round_trips_and_fits_the_file() {
        let raw = sample().encode().unwrap();
        assert!(raw.len() <= WEF03_MAX);
        let w = Wef03::decode(&raw).unwrap();
        assert_eq!(w.info, sample());
        assert_eq!(w.trailing, 0);
        assert!(w.unknown.is_empty());
    }

    #[test]
    fn rejects_oversized_and_non_ascii_items() {
        let mut raw = sample().encode().unwrap();
        // First byte of the serial number value: 01 08 82 01 00 <256> 01 09 10 <serial>
        raw[5 + 256 + 3] = 0x80;
        assert_eq!(
            Wef03::decode(&raw),
            Err(DecodeError {
                kind: DecodeErrorKind::BadAscii { byte: 0x80 },
                offset: 264,
                tag: Some(Tag::Licence(0x0109))
            })
        );
        let mut s = sample();
        s.subject_key_id = vec![0; 33];
        assert_eq!(s.encode(), Err(EncodeError::TooLong { tag: Tag::Licence(0x010D) }));
    }

    #[test]
    fn reports_trailing_filler() {
        let mut raw = sample().encode().unwrap();
        raw.extend_from_slice(&[0xFF; 4]);
        assert_eq!(Wef03::decode(&raw).unwrap().trailing, 4);
    }
}
