//! Hexadecimal text: written in lower case, read in either case, and nothing else read (no
//! sign, no space, no `0x`), so a key identifier or key file has one spelling per value up
//! to case.

/// Lower-case hex digits of `bytes`.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for &b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            out.push(char::from(DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0')));
        }
    }
    out
}

/// The bytes `text` spells, two hex digits (either case) each; `None` for an odd length or
/// anything that is not a hex digit.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits.chunks_exact(2).map(byte).collect()
}

/// Whether `text` spells `bytes` (either case), without allocating: for comparing a
/// configured digest with a computed one on every request.
pub fn spells(text: &str, bytes: &[u8]) -> bool {
    let digits = text.as_bytes();
    digits.len() == bytes.len().saturating_mul(2)
        && digits.chunks_exact(2).zip(bytes).all(|(pair, &b)| byte(pair) == Some(b))
}

/// The byte two hex digits spell.
fn byte(pair: &[u8]) -> Option<u8> {
    Some(digit(*pair.first()?)? << 4 | digit(*pair.get(1)?)?)
}

fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spells_and_reads() {
        assert_eq!(encode(&[0x00, 0xab, 0x7f, 0x10]), "00ab7f10");
        assert_eq!(encode(&[]), "");
        assert_eq!(decode("00aB7F10"), Some(vec![0x00, 0xab, 0x7f, 0x10]));
        assert_eq!(decode(""), Some(vec![]));
    }

    #[test]
    fn reads_nothing_but_digits() {
        // u8::from_str_radix would take "+a" as 10.
        for bad in ["+a", "-1", " a", "a ", "0x", "0g", "abc", "ａｂ", "é1"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn spells_compares_either_case_and_refuses_anything_else() {
        let b = [0x00, 0xff, 0x7a];
        assert!(spells("00ff7a", &b));
        assert!(spells("00FF7A", &b));
        for bad in ["00ff7b", "00ff7", "00ff7a00", "0gff7a", "+0ff7a", ""] {
            assert!(!spells(bad, &b), "{bad:?}");
        }
        assert!(spells("", &[]));
    }

    proptest! {
        #[test]
        fn round_trips_and_matches_format(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let text = encode(&bytes);
            prop_assert_eq!(&text, &bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
            prop_assert_eq!(decode(&text), Some(bytes.clone()));
            prop_assert!(spells(&text, &bytes));
            prop_assert_eq!(decode(&text.to_uppercase()), Some(bytes));
        }
    }
}
