//! Command and response APDUs (ISO 7816-4), short and extended.

use zeroize::Zeroizing;

use crate::status_word::StatusWord;

/// Largest Le of a short APDU.
pub const SHORT_LE_MAX: usize = 256;
/// Largest Le of an extended APDU.
pub const EXTENDED_LE_MAX: usize = 65_536;

/// Why bytes are not an APDU.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApduError {
    #[error("APDU shorter than its header")]
    TooShort,
    #[error("APDU length fields do not match its size")]
    BadLength,
    #[error("response without a status word")]
    NoStatusWord,
}

/// VERIFY (ISO/IEC 7816-4 §11.5.6): the one command that may spend a try.
pub const INS_VERIFY: u8 = 0x20;

/// A command APDU. The data field is zeroized on drop (it may carry a PIN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Zeroizing<Vec<u8>>,
    /// Expected response length: `None` (no Le), 1..=65536.
    pub le: Option<usize>,
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8, data: &[u8], le: Option<usize>) -> Self {
        Self { cla, ins, p1, p2, data: Zeroizing::new(data.to_vec()), le }
    }

    /// SELECT the MF (`00 A4 00 00`, no data, no Le): the IC licence's first command.
    pub fn select_mf() -> Self {
        Command::new(0x00, 0xA4, 0x00, 0x00, &[], None)
    }

    /// SELECT an application by AID, no response data (`00 A4 04 0C`).
    pub fn select_ap(aid: &[u8]) -> Self {
        Command::new(0x00, 0xA4, 0x04, 0x0C, aid, None)
    }

    /// SELECT an EF by file id (`00 A4 02 0C 02 <fid>`).
    pub fn select_ef(fid: u16) -> Self {
        Command::new(0x00, 0xA4, 0x02, 0x0C, &fid.to_be_bytes(), None)
    }

    /// READ BINARY from the start of the EF with short file identifier `sfi`.
    pub fn read_binary_sfi(sfi: u8, le: usize) -> Self {
        Command::new(0x00, 0xB0, 0x80 | (sfi & 0x1F), 0x00, &[], Some(le))
    }

    /// READ BINARY of the current EF at a 15-bit offset.
    pub fn read_binary(offset: u16, le: usize) -> Self {
        let [p1, p2] = (offset & 0x7FFF).to_be_bytes();
        Command::new(0x00, 0xB0, p1, p2, &[], Some(le))
    }

    /// VERIFY with a credential; `p2` = `80 | SFI` of the key EF.
    pub fn verify(p2: u8, credential: &[u8]) -> Self {
        Command::new(0x00, INS_VERIFY, 0x00, p2, credential, None)
    }

    /// VERIFY without data: reads the retry counter without spending a try.
    pub fn verify_counter(p2: u8) -> Self {
        Command::new(0x00, INS_VERIFY, 0x00, p2, &[], None)
    }

    /// The card-surface AP's signature of a DigestInfo with the card key (`80 2A 00 00`).
    pub fn sign(digest_info: &[u8]) -> Self {
        Command::new(0x80, 0x2A, 0x00, 0x00, digest_info, Some(SHORT_LE_MAX))
    }

    /// GET RESPONSE for `61xx`.
    pub fn get_response(le: u8) -> Self {
        Command::new(0x00, 0xC0, 0x00, 0x00, &[], Some(if le == 0 { SHORT_LE_MAX } else { usize::from(le) }))
    }

    /// The same command with another Le (for `6Cxx`).
    pub fn with_le(&self, le: usize) -> Self {
        Self { le: Some(le), ..self.clone() }
    }

    /// Encodes the command: short form when data and Le fit, else extended.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        let extended = self.data.len() > 255 || self.le.is_some_and(|le| le > SHORT_LE_MAX);
        let n = self.data.len();
        if extended {
            out.push(0x00);
            if n > 0 {
                out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                let v = if le >= EXTENDED_LE_MAX { 0 } else { u16::try_from(le).unwrap_or(0) };
                out.extend_from_slice(&v.to_be_bytes());
            }
        } else {
            if n > 0 {
                out.push(u8::try_from(n).unwrap_or(u8::MAX));
                out.extend_from_slice(&self.data);
            }
            if let Some(le) = self.le {
                out.push(if le >= SHORT_LE_MAX { 0 } else { u8::try_from(le).unwrap_or(0) });
            }
        }
        out
    }

    /// Decodes any of the ISO 7816-4 cases 1, 2S/E, 3S/E, 4S/E.
    pub fn parse(b: &[u8]) -> Result<Self, ApduError> {
        let (&[cla, ins, p1, p2], body) = b.split_first_chunk::<4>().ok_or(ApduError::TooShort)?;
        let short_le = |x: u8| if x == 0 { SHORT_LE_MAX } else { usize::from(x) };
        let ext_le = |hi: u8, lo: u8| match u16::from_be_bytes([hi, lo]) {
            0 => EXTENDED_LE_MAX,
            v => usize::from(v),
        };
        let cmd = |data: &[u8], le| Ok(Command::new(cla, ins, p1, p2, data, le));
        match body {
            [] => cmd(&[], None),
            [le] => cmd(&[], Some(short_le(*le))),
            [0, hi, lo] => cmd(&[], Some(ext_le(*hi, *lo))),
            [0, hi, lo, rest @ ..] if !rest.is_empty() => {
                let n = usize::from(u16::from_be_bytes([*hi, *lo]));
                match (rest.len().checked_sub(n), rest.get(..n)) {
                    (Some(0), Some(data)) if n > 0 => cmd(data, None),
                    (Some(2), Some(data)) if n > 0 => {
                        let tail = rest.get(n..).unwrap_or_default();
                        match tail {
                            [hi, lo] => cmd(data, Some(ext_le(*hi, *lo))),
                            _ => Err(ApduError::BadLength),
                        }
                    }
                    _ => Err(ApduError::BadLength),
                }
            }
            [lc, rest @ ..] => {
                let n = usize::from(*lc);
                match (rest.len().checked_sub(n), rest.get(..n)) {
                    (Some(0), Some(data)) if n > 0 => cmd(data, None),
                    (Some(1), Some(data)) if n > 0 => cmd(data, rest.get(n).map(|&x| short_le(x))),
                    _ => Err(ApduError::BadLength),
                }
            }
        }
    }
}

/// A response APDU: data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: StatusWord,
}

impl Response {
    pub fn new(data: Vec<u8>, sw: StatusWord) -> Self {
        Self { data, sw }
    }

    pub fn status(sw: StatusWord) -> Self {
        Self { data: Vec::new(), sw }
    }

    pub fn parse(b: &[u8]) -> Result<Self, ApduError> {
        let (data, sw) = b.split_last_chunk::<2>().ok_or(ApduError::NoStatusWord)?;
        Ok(Self { data: data.to_vec(), sw: StatusWord::from_bytes(sw[0], sw[1]) })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.0.to_be_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_the_card_commands() {
        let aid = [0xA0, 0, 0, 2, 0x31, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(Command::select_ap(&aid).to_bytes()[..5], [0x00, 0xA4, 0x04, 0x0C, 0x10]);
        assert_eq!(Command::select_mf().to_bytes(), vec![0x00, 0xA4, 0x00, 0x00]);
        assert_eq!(Command::select_ef(0x001B).to_bytes(), vec![0x00, 0xA4, 0x02, 0x0C, 0x02, 0x00, 0x1B]);
        assert_eq!(Command::read_binary_sfi(0x1B, 256).to_bytes(), vec![0x00, 0xB0, 0x9B, 0x00, 0x00]);
        assert_eq!(Command::read_binary_sfi(0x1B, 5845).to_bytes(), vec![0x00, 0xB0, 0x9B, 0x00, 0x00, 0x16, 0xD5]);
        assert_eq!(Command::read_binary(0x0100, 256).to_bytes(), vec![0x00, 0xB0, 0x01, 0x00, 0x00]);
        assert_eq!(Command::verify_counter(0x86).to_bytes(), vec![0x00, 0x20, 0x00, 0x86]);
        assert_eq!(
            Command::verify(0x86, b"1234").to_bytes(),
            vec![0x00, 0x20, 0x00, 0x86, 0x04, b'1', b'2', b'3', b'4']
        );
    }

    #[test]
    fn parses_every_case() {
        for c in [
            Command::verify_counter(0x86),
            Command::read_binary_sfi(0x1A, 3),
            Command::read_binary_sfi(0x1B, 5845),
            Command::read_binary_sfi(0x1B, 65536),
            Command::verify(0x95, b"55021720352285"),
            Command::sign(&[0x30; 51]),
            Command::new(0, 0xD6, 0, 0, &[7; 300], None),
            Command::new(0, 0xD6, 0, 0, &[7; 300], Some(1000)),
        ] {
            assert_eq!(Command::parse(&c.to_bytes()), Ok(c.clone()), "{c:?}");
        }
        assert_eq!(Command::parse(&[0, 0xB0, 0]), Err(ApduError::TooShort));
        assert_eq!(Command::parse(&[0, 0x20, 0, 0x86, 5, 1, 2]), Err(ApduError::BadLength));
        assert_eq!(Response::parse(&[0x90]), Err(ApduError::NoStatusWord));
        assert_eq!(Response::parse(&[1, 0x63, 0xC2]).unwrap().sw.tries_left(), Some(2));
    }

    proptest! {
        #[test]
        fn parse_never_panics(b in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = Command::parse(&b);
            let _ = Response::parse(&b);
        }

        #[test]
        fn round_trip(data in proptest::collection::vec(any::<u8>(), 0..400), le in proptest::option::of(1usize..=65536)) {
            let c = Command::new(0x80, 0x2A, 1, 2, &data, le);
            prop_assert_eq!(Command::parse(&c.to_bytes()), Ok(c));
        }
    }
}
