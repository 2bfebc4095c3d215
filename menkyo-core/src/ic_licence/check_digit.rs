//! The licence number's check digit (ic-licence.md §4 [S]): a warning, never a rejection.
//!
//! ```text
//! digit  1 2 3 4 5 6 7 8 9 10 | 11           | 12
//! weight 5 4 3 2 7 6 5 4 3 2  | check digit  | reissue count
//! s = Σ digit × weight,  check = (11 − s mod 11) mod 10
//! ```
//!
//! The rule is unofficial (one public source): a number that fails it is shown with a
//! warning, and still decodes.

use crate::licence::LicenceNumber;

/// Weights over digits 1–10.
const WEIGHTS: [u16; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
/// Position (0-based) of the check digit.
const CHECK_AT: usize = 10;

/// The check digit that digits 1–10 of `number` call for.
pub fn expected_check_digit(number: &LicenceNumber) -> u8 {
    let s: u16 = number
        .as_bytes()
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u16::from(d.saturating_sub(b'0')).saturating_mul(w))
        .fold(0u16, u16::saturating_add);
    let c = 11u16.saturating_sub(s % 11) % 10;
    // c < 10.
    u8::try_from(c).unwrap_or_default()
}

/// Whether digit 11 of `number` is the check digit of digits 1–10.
pub fn check_digit_matches(number: &LicenceNumber) -> bool {
    number.as_bytes().get(CHECK_AT).map(|d| d.saturating_sub(b'0')) == Some(expected_check_digit(number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    // s = 3·5 + 0·4 + 1·3 + 2·2 + 3·7 + 4·6 + 5·5 + 6·4 + 7·3 + 8·2 = 153; 153 mod 11 = 10; 11 − 10 = 1.
    #[case("301234567810", 1, true)]
    #[case("301234567890", 1, false)]
    // s = 0: 11 mod 10 = 1.
    #[case("000000000010", 1, true)]
    // s = 41; 41 mod 11 = 8; 11 − 8 = 3.
    #[case("111111111130", 3, true)]
    // s = 1·5 + 1·7 = 12; 12 mod 11 = 1; (11 − 1) mod 10 = 0.
    #[case("100010000000", 0, true)]
    #[case("100010000010", 0, false)]
    fn computes_the_check_digit(#[case] number: &str, #[case] check: u8, #[case] matches: bool) {
        let n: LicenceNumber = number.parse().unwrap();
        assert_eq!(expected_check_digit(&n), check);
        assert_eq!(check_digit_matches(&n), matches);
    }
}
