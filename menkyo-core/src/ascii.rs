//! Printable ASCII (JIS X 0201 Roman) items: record numbers, signer names.

use core::fmt;

use crate::error::{DecodeError, DecodeErrorKind};

/// Printable ASCII text (0x20–0x7E) as read; trailing spaces are padding.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct AsciiText(String);

impl AsciiText {
    /// Checks every byte; the error offset is relative to `raw`.
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        AsciiText::check(raw)?;
        // Printable ASCII is UTF-8 as it is (nothing is replaced): one copy, not a char at a time.
        Ok(Self(String::from_utf8_lossy(raw).into_owned()))
    }

    /// What [`AsciiText::decode`] checks, without keeping the text.
    pub(crate) fn check(raw: &[u8]) -> Result<(), DecodeError> {
        match raw.iter().enumerate().find(|(_, b)| !(0x20..=0x7E).contains(*b)) {
            Some((at, &byte)) => Err(DecodeError::new(DecodeErrorKind::BadAscii { byte }, at)),
            None => Ok(()),
        }
    }

    /// The text without trailing spaces.
    pub fn as_str(&self) -> &str {
        self.0.trim_end_matches(' ')
    }

    /// The text as read, padding included.
    pub fn raw(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub fn is_empty(&self) -> bool {
        self.as_str().is_empty()
    }
}

impl fmt::Display for AsciiText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<&str> for AsciiText {
    type Error = DecodeError;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        AsciiText::decode(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_bytes_and_trims_padding() {
        let t = AsciiText::decode(b"NPA SIGNER  ").unwrap();
        assert_eq!(t.as_str(), "NPA SIGNER");
        assert_eq!(t.raw().len(), 12);
        assert_eq!(AsciiText::decode(b"AB\x7F"), Err(DecodeError::new(DecodeErrorKind::BadAscii { byte: 0x7F }, 2)));
    }
}
