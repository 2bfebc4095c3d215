//! EF 0001 (個人番号) for card issuers, simulators and tests only.
//!
//! Verification never reads, needs or accepts the 個人番号 (番号法 restricts it); this module
//! exists so test cards can carry a well-formed number whose digest DF31 signs.
//!
//! ```text
//! FF 10 0C <12 ASCII digits> FF FF        17 bytes physical
//! ```

use crate::ber;
use crate::profile::{EF0001_PHYSICAL_SIZE, KENHOJO_FILLER};
use crate::tlv::EncodeError;

const TAG_RECORD: u32 = 0xFF10;
/// Digits of a 個人番号 including the check digit.
pub const INDIVIDUAL_NUMBER_LEN: usize = 12;

/// The check digit of the first 11 digits, or `None` when they are not 11 ASCII digits.
///
/// Number the digits from the right (P1 rightmost) with weights Qn = n+1 for n = 1..6 and
/// n-5 for n = 7..11; the check digit is 11 - (sum of Pn*Qn mod 11), or 0 when the remainder
/// is 0 or 1.
pub fn check_digit(first_eleven: &[u8]) -> Option<u8> {
    if first_eleven.len() != INDIVIDUAL_NUMBER_LEN - 1 || !first_eleven.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first_eleven
        .iter()
        .rev()
        .zip(1u32..)
        .map(|(&d, n)| {
            let q = if n <= 6 { n + 1 } else { n - 5 };
            u32::from(d - b'0') * q
        })
        .sum();
    let remainder = sum % 11;
    let check = if remainder <= 1 { 0 } else { 11 - remainder };
    u8::try_from(check).ok()
}

/// Whether `number` is 12 ASCII digits with a correct check digit.
pub fn is_valid(number: &[u8]) -> bool {
    match number.split_last() {
        Some((&last, first)) if number.len() == INDIVIDUAL_NUMBER_LEN => {
            check_digit(first).is_some_and(|c| last == b'0' + c)
        }
        _ => false,
    }
}

/// EF 0001 with `number`, padded to 17 bytes.
pub fn encode_ef0001(number: &[u8]) -> Result<Vec<u8>, EncodeError> {
    if !is_valid(number) {
        return Err(EncodeError::Invalid { field: "個人番号", reason: "not 12 digits with a valid check digit" });
    }
    Ok(ber::pad_to(ber::tlv(TAG_RECORD, number)?, EF0001_PHYSICAL_SIZE, KENHOJO_FILLER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_of_the_published_sample() {
        // 1·6 + 2·5 + 3·4 + 4·3 + 5·2 + 6·7 + 7·6 + 8·5 + 9·4 + 0·3 + 1·2 = 212; 212 mod 11 = 3.
        assert_eq!(check_digit(b"12345678901"), Some(8));
        assert!(is_valid(b"123456789018"));
        assert!(!is_valid(b"123456789017"));
        assert_eq!(check_digit(b"1234567890"), None);
        let ef = encode_ef0001(b"123456789018").unwrap();
        assert_eq!(ef.len(), 17);
        assert_eq!(&ef[..3], &[0xFF, 0x10, 0x0C]);
        assert_eq!(&ef[15..], &[0xFF, 0xFF]);
    }
}
