//! 免許の番号: the licence number (WEF02 tag E7).

use core::fmt;
use core::str::FromStr;

use crate::error::{DecodeError, DecodeErrorKind};

/// Number of digits in a licence number (card-formats.md §2.3, tag E7).
pub const LICENCE_NUMBER_LEN: usize = 12;

/// A 12-digit licence number (免許情報記録番号, shown as 「免許の番号」).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LicenceNumber([u8; LICENCE_NUMBER_LEN]);

impl LicenceNumber {
    /// Checks 12 ASCII digits; the error offset is relative to `raw`.
    pub fn decode(raw: &[u8]) -> Result<Self, DecodeError> {
        let digits = <[u8; LICENCE_NUMBER_LEN]>::try_from(raw).map_err(|_| {
            DecodeError::new(DecodeErrorKind::WrongLength { expected: LICENCE_NUMBER_LEN, actual: raw.len() }, 0)
        })?;
        if let Some(at) = digits.iter().position(|b| !b.is_ascii_digit()) {
            return Err(DecodeError::new(DecodeErrorKind::NotDigits, at));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        core::str::from_utf8(&self.0).unwrap_or_default()
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Never prints the number: it is personal data and must not reach logs by accident.
impl fmt::Debug for LicenceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LicenceNumber(<redacted>)")
    }
}

impl fmt::Display for LicenceNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LicenceNumber {
    type Err = DecodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LicenceNumber::decode(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_twelve_digits_only() {
        let n: LicenceNumber = "301234567890".parse().unwrap();
        assert_eq!(n.as_str(), "301234567890");
        assert_eq!(format!("{n:?}"), "LicenceNumber(<redacted>)");
        assert_eq!(
            "30123456789".parse::<LicenceNumber>(),
            Err(DecodeError::new(DecodeErrorKind::WrongLength { expected: 12, actual: 11 }, 0))
        );
        assert_eq!("30123456789X".parse::<LicenceNumber>(), Err(DecodeError::new(DecodeErrorKind::NotDigits, 11)));
    }
}
