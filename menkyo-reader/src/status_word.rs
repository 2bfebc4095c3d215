//! ISO 7816-4 status words as My Number cards use them (card-formats.md §1).

use core::fmt;

/// A status word. Unknown codes are kept, not rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusWord(pub u16);

impl StatusWord {
    pub const OK: StatusWord = StatusWord(0x9000);
    /// End of file reached before Le bytes (some cards, instead of 6B00).
    pub const END_OF_FILE: StatusWord = StatusWord(0x6282);
    /// The selected DF is blocked.
    pub const DF_BLOCKED: StatusWord = StatusWord(0x6283);
    pub const WRONG_LENGTH: StatusWord = StatusWord(0x6700);
    /// Security status not satisfied: a read before VERIFY.
    pub const SECURITY_NOT_SATISFIED: StatusWord = StatusWord(0x6982);
    /// Authentication method blocked: the PIN is locked.
    pub const BLOCKED: StatusWord = StatusWord(0x6984);
    /// No current EF.
    pub const NO_CURRENT_EF: StatusWord = StatusWord(0x6986);
    /// File or application not found (a card without the licence answers this to SELECT).
    pub const NOT_FOUND: StatusWord = StatusWord(0x6A82);
    pub const BAD_P1P2: StatusWord = StatusWord(0x6A86);
    /// Referenced data (a key) not found.
    pub const REFERENCE_NOT_FOUND: StatusWord = StatusWord(0x6A88);
    /// Offset outside the EF.
    pub const OFFSET_OUT_OF_RANGE: StatusWord = StatusWord(0x6B00);
    pub const INS_NOT_SUPPORTED: StatusWord = StatusWord(0x6D00);
    pub const CLA_NOT_SUPPORTED: StatusWord = StatusWord(0x6E00);

    pub fn from_bytes(sw1: u8, sw2: u8) -> Self {
        StatusWord(u16::from_be_bytes([sw1, sw2]))
    }

    pub fn sw1(self) -> u8 {
        self.0.to_be_bytes()[0]
    }

    pub fn sw2(self) -> u8 {
        self.0.to_be_bytes()[1]
    }

    pub fn is_ok(self) -> bool {
        self == StatusWord::OK
    }

    /// `63Cx`: a verification counter with x tries left.
    pub fn tries_left(self) -> Option<u8> {
        (self.sw1() == 0x63 && self.sw2() & 0xF0 == 0xC0).then_some(self.sw2() & 0x0F)
    }

    /// `61xx`: xx more bytes wait for GET RESPONSE (00 means 256).
    pub fn more_data(self) -> Option<u8> {
        (self.sw1() == 0x61).then_some(self.sw2())
    }

    /// `6Cxx`: wrong Le; re-send with Le = xx.
    pub fn correct_le(self) -> Option<u8> {
        (self.sw1() == 0x6C).then_some(self.sw2())
    }

    /// What the code means.
    pub fn description(self) -> &'static str {
        match self {
            StatusWord::OK => "success",
            StatusWord::END_OF_FILE => "end of file reached",
            StatusWord::DF_BLOCKED => "application blocked",
            StatusWord::WRONG_LENGTH => "wrong length",
            StatusWord::SECURITY_NOT_SATISFIED => "security status not satisfied",
            StatusWord::BLOCKED => "PIN blocked",
            StatusWord::NO_CURRENT_EF => "no current file",
            StatusWord::NOT_FOUND => "not found",
            StatusWord::BAD_P1P2 => "wrong parameters P1-P2",
            StatusWord::REFERENCE_NOT_FOUND => "referenced data not found",
            StatusWord::OFFSET_OUT_OF_RANGE => "offset outside the file",
            StatusWord::INS_NOT_SUPPORTED => "instruction not supported",
            StatusWord::CLA_NOT_SUPPORTED => "class not supported",
            sw if sw.tries_left() == Some(0) => "verification failed, no tries left",
            sw if sw.tries_left().is_some() => "verification failed or counter",
            sw if sw.more_data().is_some() => "more data available",
            sw if sw.correct_le().is_some() => "wrong Le",
            _ => "unknown status",
        }
    }
}

impl fmt::Display for StatusWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04X} ({})", self.0, self.description())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_codes() {
        assert_eq!(StatusWord(0x63CA).tries_left(), Some(10));
        assert_eq!(StatusWord(0x63C0).tries_left(), Some(0));
        assert_eq!(StatusWord(0x6300).tries_left(), None);
        assert_eq!(StatusWord(0x6110).more_data(), Some(0x10));
        assert_eq!(StatusWord(0x6C20).correct_le(), Some(0x20));
        assert_eq!(StatusWord(0x6984).to_string(), "6984 (PIN blocked)");
        assert_eq!(StatusWord(0x6F00).to_string(), "6F00 (unknown status)");
    }
}
