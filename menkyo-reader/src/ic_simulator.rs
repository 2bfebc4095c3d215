//! A virtual conventional IC driver's licence serving the IC test personas
//! (`testvectors/vectors/ic-personas/<id>/`). It answers like the card of ic-licence.md §1–§3:
//! SELECT MF / DF by AID / EF by FID, READ BINARY by SFI and of the current EF (15-bit
//! offsets), short and extended Le, the access rules of each EF (6982 before VERIFY), PIN1 and
//! PIN2 with their counters (63Cx, 6984), DPIN when MF/EF02 says no PIN is set, 6B00 past
//! the end, 6A82 for the My Number card's AIDs. Reader profiles: extended Le refused (6700)
//! and responses silently cut at 256 bytes. Like [`crate::simulator::SimCard`] it is a
//! [`Transport`], so it also serves as a PC/SC card through [`crate::vpcd::serve`]. TEST ONLY.
//!
//! ```text
//! MF   EF01 2F01 free   EF02 000A/0A free   IEF01 PIN1 (P2 81)   IEF02 PIN2 (P2 82)
//! DF1  EF01, 03, 04, 05, 07: PIN1         EF02, EF06: PIN1 + PIN2
//! DF2  EF01 photo: PIN1 + PIN2
//! DF3  no EF
//! ```

use std::path::Path;
use std::time::Duration;

use zeroize::Zeroizing;

use crate::apdu::{Command, Response, SHORT_LE_MAX};
use crate::ic_card_profile::*;
use crate::simulator::{SimulatorError, TraceEntry, Wire};
use crate::status_word::StatusWord;
use crate::transport::{Transport, TransportError};

/// Where the responses of the `reads_cut_at_256` profile end: a reader or phone that cuts every
/// response at 256 bytes (ic-licence.md §1, §8).
pub const IC_READS_CUT_AT: usize = 256;
/// [P] The PIN2 written on a simulated card whose holder does not know it (`pin2: null` in
/// `credentials.json`): the card still has one. TEST ONLY.
pub const IC_UNKNOWN_PIN: &[u8; IC_PIN_LEN] = b"9999";

/// Who may read an EF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Free,
    Pin1,
    Pin1AndPin2,
}

#[derive(Debug, Clone)]
struct Ef {
    fid: u16,
    sfi: Option<u8>,
    data: Vec<u8>,
    access: Access,
}

/// The MF or a DF and its EFs.
#[derive(Debug, Clone)]
struct Dir {
    /// `None`: the MF.
    aid: Option<[u8; 16]>,
    efs: Vec<Ef>,
}

#[derive(Debug, Clone)]
struct Key {
    p2: u8,
    fid: u16,
    value: Zeroizing<Vec<u8>>,
    tries: u8,
    verified: bool,
}

/// What the simulated IC licence holds. An EF that is `None` is one the card lacks (6A82).
#[derive(Debug, Clone)]
pub struct IcCardData {
    pub mf_ef01: Option<Vec<u8>>,
    pub mf_ef02: Option<Vec<u8>>,
    /// DF1/EF01 … DF1/EF07.
    pub df1: [Option<Vec<u8>>; 7],
    /// DF2/EF01.
    pub photo: Option<Vec<u8>>,
    pub pin1: Zeroizing<Vec<u8>>,
    pub pin2: Zeroizing<Vec<u8>>,
    pub pin1_tries: u8,
    pub pin2_tries: u8,
    /// The reader of this profile cuts every response at [`IC_READS_CUT_AT`] bytes.
    pub reads_cut_at_256: bool,
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, SimulatorError> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SimulatorError::Io { path: path.display().to_string(), message: e.to_string() }),
    }
}

impl IcCardData {
    /// Loads a persona of `testvectors/vectors/ic-personas/<id>`: `mf/ef01.bin`, `mf/ef02.bin`,
    /// `df1/ef01.bin` … `ef07.bin`, `df2/ef01.bin` (a file the persona lacks is an EF the card
    /// lacks) and `credentials.json` (`pin_setting`, `pin1`, `pin2`, `pin1_tries`,
    /// `pin2_tries`, `reads_cut_at_256`).
    pub fn from_persona(vectors: &Path, id: &str) -> Result<Self, SimulatorError> {
        let dir = vectors.join("ic-personas").join(id);
        if !dir.is_dir() || id.contains('/') || id.contains("..") {
            return Err(SimulatorError::Persona(id.to_string()));
        }
        let ef = |df: &str, n: u8| read_optional(&dir.join(df).join(format!("ef{n:02}.bin")));
        let path = dir.join("credentials.json");
        let bad = |message: String| SimulatorError::Io { path: path.display().to_string(), message };
        let raw = read_optional(&path)?.ok_or_else(|| bad("missing".into()))?;
        let creds: serde_json::Value = serde_json::from_slice(&raw).map_err(|e| bad(e.to_string()))?;
        let not_set = creds["pin_setting"].as_str() == Some("not_set");
        // A PIN the holder does not know is still on the card: DPIN, or a fixed test value.
        let pin = |k: &str| {
            let value = match creds[k].as_str() {
                Some(p) => p.as_bytes(),
                None if not_set => &IC_DEFAULT_PIN,
                None => IC_UNKNOWN_PIN,
            };
            Zeroizing::new(value.to_vec())
        };
        let tries = |k: &str| creds[k].as_u64().and_then(|t| u8::try_from(t).ok()).unwrap_or(IC_PIN_TRIES);
        Ok(Self {
            mf_ef01: ef("mf", 1)?,
            mf_ef02: ef("mf", 2)?,
            df1: [
                ef("df1", 1)?,
                ef("df1", 2)?,
                ef("df1", 3)?,
                ef("df1", 4)?,
                ef("df1", 5)?,
                ef("df1", 6)?,
                ef("df1", 7)?,
            ],
            photo: ef("df2", 1)?,
            pin1: pin("pin1"),
            pin2: pin("pin2"),
            pin1_tries: tries("pin1_tries"),
            pin2_tries: tries("pin2_tries"),
            reads_cut_at_256: creds["reads_cut_at_256"].as_bool().unwrap_or(false),
        })
    }
}

/// The simulated IC licence.
#[derive(Debug)]
pub struct SimIcCard {
    /// The MF, DF1, DF2, DF3.
    dirs: Vec<Dir>,
    /// PIN1, PIN2 (both in the MF).
    keys: [Key; 2],
    current_dir: usize,
    current_ef: Option<usize>,
    /// The key EF last SELECTed, for VERIFY P2 `80`.
    current_key: Option<usize>,
    extended_le: bool,
    /// Responses longer than this are silently cut (a reader or phone profile).
    cut_at: Option<usize>,
    wire: Wire,
}

const MF: usize = 0;
/// VERIFY P2 for the key EF just SELECTed.
const CURRENT_KEY_P2: u8 = 0x80;

fn ef(spec: &IcEf, data: Option<Vec<u8>>, access: Access) -> Option<Ef> {
    data.map(|data| Ef { fid: spec.fid, sfi: spec.sfi, data, access })
}

impl SimIcCard {
    pub fn new(data: IcCardData) -> Self {
        let IcCardData { mf_ef01, mf_ef02, df1, photo, pin1, pin2, pin1_tries, pin2_tries, reads_cut_at_256 } = data;
        let [d1, d2, d3, d4, d5, d6, d7] = df1;
        let dirs = vec![
            Dir {
                aid: None,
                efs: [ef(&IC_MF_EF01, mf_ef01, Access::Free), ef(&IC_MF_EF02, mf_ef02, Access::Free)]
                    .into_iter()
                    .flatten()
                    .collect(),
            },
            Dir {
                aid: Some(IC_DF1_AID),
                efs: [
                    ef(&IC_DF1_EF01, d1, Access::Pin1),
                    ef(&IC_DF1_EF02, d2, Access::Pin1AndPin2),
                    ef(&IC_DF1_EF03, d3, Access::Pin1),
                    ef(&IC_DF1_EF04, d4, Access::Pin1),
                    ef(&IC_DF1_EF05, d5, Access::Pin1),
                    ef(&IC_DF1_EF06, d6, Access::Pin1AndPin2),
                    ef(&IC_DF1_EF07, d7, Access::Pin1),
                ]
                .into_iter()
                .flatten()
                .collect(),
            },
            Dir { aid: Some(IC_DF2_AID), efs: ef(&IC_DF2_EF01, photo, Access::Pin1AndPin2).into_iter().collect() },
            Dir { aid: Some(IC_DF3_AID), efs: Vec::new() },
        ];
        let key = |p2, fid, value, tries| Key { p2, fid, value, tries, verified: false };
        Self {
            dirs,
            keys: [key(IC_PIN1_P2, IC_PIN1_FID, pin1, pin1_tries), key(IC_PIN2_P2, IC_PIN2_FID, pin2, pin2_tries)],
            current_dir: MF,
            current_ef: None,
            current_key: None,
            extended_le: true,
            cut_at: reads_cut_at_256.then_some(IC_READS_CUT_AT),
            wire: Wire::default(),
        }
    }

    /// The card of an IC persona ([`IcCardData::from_persona`]).
    pub fn from_persona(vectors: &Path, id: &str) -> Result<Self, SimulatorError> {
        Ok(Self::new(IcCardData::from_persona(vectors, id)?))
    }

    /// A reader that refuses extended Le (answers 6700), as some contactless readers do.
    pub fn without_extended_le(mut self) -> Self {
        self.extended_le = false;
        self
    }

    /// A reader or phone that silently cuts every response at `n` bytes of data.
    pub fn cut_responses_at(mut self, n: usize) -> Self {
        self.cut_at = Some(n);
        self
    }

    /// Sleeps this long per APDU (a contactless round trip).
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.wire.latency = latency;
        self
    }

    /// The card leaves the field after `n` APDUs.
    pub fn remove_after(mut self, n: usize) -> Self {
        self.wire.remove_after = Some(n);
        self
    }

    /// Sets the tries left of a PIN (`p2` of its VERIFY: `81`, `82`).
    pub fn set_tries(&mut self, p2: u8, tries: u8) {
        for k in self.keys.iter_mut().filter(|k| k.p2 == p2) {
            k.tries = tries;
        }
    }

    /// Tries left of the PIN `p2` (`81`, `82`).
    pub fn tries(&self, p2: u8) -> Option<u8> {
        self.keys.iter().find(|k| k.p2 == p2).map(|k| k.tries)
    }

    /// Every exchange so far, with VERIFY data masked.
    pub fn trace(&self) -> &[TraceEntry] {
        self.wire.trace()
    }

    fn handle(&mut self, raw: &[u8]) -> Response {
        let Ok(cmd) = Command::parse(raw) else { return Response::status(StatusWord::WRONG_LENGTH) };
        match (cmd.cla, cmd.ins) {
            (0x00, 0xA4) => self.select(&cmd),
            (0x00, 0xB0) => self.read_binary(&cmd),
            (0x00, 0x20) => self.verify(&cmd),
            (0x00, _) => Response::status(StatusWord::INS_NOT_SUPPORTED),
            _ => Response::status(StatusWord::CLA_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, cmd: &Command) -> Response {
        if cmd.le.is_some() {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        match (cmd.p1, cmd.p2, cmd.data.as_slice()) {
            // SELECT MF: no data (or 3F00); no FCI is returned either way.
            (0x00, 0x00 | 0x0C, [] | [0x3F, 0x00]) => {
                self.enter(MF);
                Response::status(StatusWord::OK)
            }
            (0x04, 0x0C, aid) => match self.dirs.iter().position(|d| d.aid.is_some_and(|a| a == aid)) {
                Some(i) => {
                    self.enter(i);
                    Response::status(StatusWord::OK)
                }
                // The My Number card's AIDs among them: detection goes on to DF1.
                None => Response::status(StatusWord::NOT_FOUND),
            },
            (0x02, 0x0C, data) => {
                let Ok(fid) = <[u8; 2]>::try_from(data).map(u16::from_be_bytes) else {
                    return Response::status(StatusWord::WRONG_LENGTH);
                };
                let ef = self.dirs.get(self.current_dir).and_then(|d| d.efs.iter().position(|e| e.fid == fid));
                let key = (self.current_dir == MF).then(|| self.keys.iter().position(|k| k.fid == fid)).flatten();
                match (ef, key) {
                    (Some(i), _) => {
                        self.current_ef = Some(i);
                        Response::status(StatusWord::OK)
                    }
                    (None, Some(k)) => {
                        self.current_key = Some(k);
                        Response::status(StatusWord::OK)
                    }
                    (None, None) => Response::status(StatusWord::NOT_FOUND),
                }
            }
            _ => Response::status(StatusWord::BAD_P1P2),
        }
    }

    /// Makes `dir` the current DF. The PINs' verified state stays: they belong to the MF.
    fn enter(&mut self, dir: usize) {
        self.current_dir = dir;
        self.current_ef = None;
        self.current_key = None;
    }

    fn allowed(&self, access: Access) -> bool {
        let [pin1, pin2] = &self.keys;
        match access {
            Access::Free => true,
            Access::Pin1 => pin1.verified,
            Access::Pin1AndPin2 => pin1.verified && pin2.verified,
        }
    }

    fn read_binary(&mut self, cmd: &Command) -> Response {
        let Some(le) = cmd.le else { return Response::status(StatusWord::WRONG_LENGTH) };
        if le > SHORT_LE_MAX && !self.extended_le {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        if !cmd.data.is_empty() {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        let Some(dir) = self.dirs.get(self.current_dir) else { return Response::status(StatusWord::NO_CURRENT_EF) };
        let (index, offset) = if cmd.p1 & 0x80 != 0 {
            if cmd.p1 & 0x60 != 0 {
                return Response::status(StatusWord::BAD_P1P2);
            }
            let sfi = cmd.p1 & 0x1F;
            match dir.efs.iter().position(|e| e.sfi == Some(sfi)) {
                Some(i) => (i, usize::from(cmd.p2)),
                None => return Response::status(StatusWord::NOT_FOUND),
            }
        } else {
            match self.current_ef {
                Some(i) => (i, usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]))),
                None => return Response::status(StatusWord::NO_CURRENT_EF),
            }
        };
        let Some(ef) = dir.efs.get(index) else { return Response::status(StatusWord::NO_CURRENT_EF) };
        if !self.allowed(ef.access) {
            return Response::status(StatusWord::SECURITY_NOT_SATISFIED);
        }
        if offset >= ef.data.len() {
            return Response::status(StatusWord::OFFSET_OUT_OF_RANGE);
        }
        let n = le.min(self.cut_at.unwrap_or(usize::MAX));
        let end = offset.saturating_add(n).min(ef.data.len());
        let data = ef.data.get(offset..end).unwrap_or_default().to_vec();
        self.current_ef = Some(index);
        Response::new(data, StatusWord::OK)
    }

    fn verify(&mut self, cmd: &Command) -> Response {
        if cmd.p1 != 0x00 {
            return Response::status(StatusWord::BAD_P1P2);
        }
        if cmd.le.is_some() {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        // The PINs are the MF's: with a DF selected, P2 81/82 name no key there.
        let index = match cmd.p2 {
            _ if self.current_dir != MF => None,
            CURRENT_KEY_P2 => self.current_key,
            p2 => self.keys.iter().position(|k| k.p2 == p2),
        };
        let Some(key) = index.and_then(|i| self.keys.get_mut(i)) else {
            return Response::status(StatusWord::REFERENCE_NOT_FOUND);
        };
        let counter = |tries: u8| Response::status(StatusWord(0x63C0 | u16::from(tries)));
        if key.tries == 0 {
            return Response::status(StatusWord::BLOCKED);
        }
        match cmd.data.as_slice() {
            [] => counter(key.tries),
            value if value.len() != IC_PIN_LEN => Response::status(StatusWord::WRONG_LENGTH),
            value if value == key.value.as_slice() => {
                key.tries = IC_PIN_TRIES;
                key.verified = true;
                Response::status(StatusWord::OK)
            }
            _ => {
                key.tries = key.tries.saturating_sub(1);
                key.verified = false;
                counter(key.tries)
            }
        }
    }
}

impl Transport for SimIcCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut wire = std::mem::take(&mut self.wire);
        let response = wire.exchange(command, |c| self.handle(c));
        self.wire = wire;
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card_profile::{KENHOJO_AID, KENKAKU_AID, LICENCE_AID};
    use menkyo_core::ic_licence::{CommonData, Domicile, Photo, PinSetting};
    use menkyo_core::profile::{
        IC_CHANGE_GLYPHS_SIZE, IC_CHANGES_SIZE, IC_DOMICILE_CHANGES_SIZE, IC_ENTRIES_SIZE, IC_PHOTO_SIZE,
        IC_SIGNATURE_SIZE,
    };
    use menkyo_core::{AsciiText, JisText};

    /// A card built with the core encoders (MF/EF01, MF/EF02, 本籍, photo); the other EFs
    /// are patterns of their EF size: the simulator does not parse them.
    fn data(setting: PinSetting) -> IcCardData {
        let pattern = |size: usize, seed: u8| -> Vec<u8> {
            (0..size).map(|i| u8::try_from(i % 251).unwrap().wrapping_add(seed)).collect()
        };
        let common = CommonData {
            spec_version: AsciiText::try_from("008").unwrap(),
            issue_date: "2024-06-13".parse().unwrap(),
            expiry: "2029-07-13".parse().unwrap(),
            manufacturer_id: 0x11,
            crypto_function_id: 0x22,
            unknown: Vec::new(),
        };
        let mut codestream = vec![0xFF, 0x4F, 0xFF, 0x51];
        codestream.extend(pattern(1900, 3));
        IcCardData {
            mf_ef01: Some(common.encode().unwrap()),
            mf_ef02: Some(setting.encode().unwrap()),
            df1: [
                Some(pattern(IC_ENTRIES_SIZE, 1)),
                Some(Domicile::encode(&JisText::encode_str("東京都千代田区霞が関二丁目").unwrap()).unwrap()),
                None,
                Some(pattern(IC_CHANGES_SIZE, 4)),
                Some(pattern(IC_CHANGE_GLYPHS_SIZE, 5)),
                Some(pattern(IC_DOMICILE_CHANGES_SIZE, 6)),
                Some(pattern(IC_SIGNATURE_SIZE, 7)),
            ],
            photo: Some(Photo::encode(&codestream).unwrap()),
            pin1: Zeroizing::new(b"1234".to_vec()),
            pin2: Zeroizing::new(b"5678".to_vec()),
            pin1_tries: IC_PIN_TRIES,
            pin2_tries: IC_PIN_TRIES,
            reads_cut_at_256: false,
        }
    }

    fn send(card: &mut SimIcCard, apdu: &[u8]) -> Response {
        Response::parse(&card.transmit(apdu).unwrap()).unwrap()
    }

    fn sw(card: &mut SimIcCard, apdu: &[u8]) -> StatusWord {
        send(card, apdu).sw
    }

    fn cmd(card: &mut SimIcCard, c: &Command) -> Response {
        send(card, &c.to_bytes())
    }

    #[test]
    fn access_rules_and_pins() {
        let d = data(PinSetting::Set);
        let mut c = SimIcCard::new(d.clone());
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x00, 0x00]), StatusWord::OK);
        // MF/EF01 (no SFI) by SELECT EF + current-EF read, MF/EF02 by SFI: free.
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x02, 0x0C, 0x02, 0x2F, 0x01]), StatusWord::OK);
        assert_eq!(cmd(&mut c, &Command::read_binary(0, 256)).data, d.mf_ef01.clone().unwrap());
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x0A, 256)).data, vec![0x05, 0x01, 0x01]);
        // Before VERIFY: 6982.
        assert_eq!(cmd(&mut c, &Command::select_ap(&IC_DF1_AID)).sw, StatusWord::OK);
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x01, 256)).sw, StatusWord::SECURITY_NOT_SATISFIED);
        // VERIFY needs the MF (the PINs are its keys).
        assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x81]), StatusWord::REFERENCE_NOT_FOUND);
        assert_eq!(sw(&mut c, &[0x00, 0xA4, 0x00, 0x00]), StatusWord::OK);
        assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x81]), StatusWord(0x63C3));
        assert_eq!(cmd(&mut c, &Command::verify(0x81, b"0000")).sw, StatusWord(0x63C2));
        assert_eq!(cmd(&mut c, &Command::verify(0x81, b"12345")).sw, StatusWord::WRONG_LENGTH);
        assert_eq!(cmd(&mut c, &Command::verify(0x81, b"1234")).sw, StatusWord::OK);
        assert_eq!(c.tries(0x81), Some(3));
        // PIN1 opens EF01, 03, 04, 05, 07 but not EF02, EF06 or the photo.
        cmd(&mut c, &Command::select_ap(&IC_DF1_AID));
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x01, 65536)).data, d.df1[0].clone().unwrap());
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x03, 256)).sw, StatusWord::NOT_FOUND);
        for sfi in [0x04, 0x05, 0x07] {
            assert_eq!(cmd(&mut c, &Command::read_binary_sfi(sfi, 256)).sw, StatusWord::OK, "{sfi}");
        }
        for sfi in [0x02, 0x06] {
            assert_eq!(cmd(&mut c, &Command::read_binary_sfi(sfi, 256)).sw, StatusWord::SECURITY_NOT_SATISFIED);
        }
        cmd(&mut c, &Command::select_ap(&IC_DF2_AID));
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x01, 256)).sw, StatusWord::SECURITY_NOT_SATISFIED);
        // PIN2 (VERIFY 80 after SELECT IEF02) opens the rest.
        cmd(&mut c, &Command::select_mf());
        assert_eq!(cmd(&mut c, &Command::select_ef(IC_PIN2_FID)).sw, StatusWord::OK);
        assert_eq!(cmd(&mut c, &Command::verify(0x80, b"5678")).sw, StatusWord::OK);
        cmd(&mut c, &Command::select_ap(&IC_DF2_AID));
        let photo = cmd(&mut c, &Command::read_binary_sfi(0x01, 65536));
        assert_eq!((photo.sw, photo.data.len()), (StatusWord::OK, IC_PHOTO_SIZE));
        assert_eq!(photo.data.get(..2), Some(&[0x5F, 0x40][..]));
        cmd(&mut c, &Command::select_ap(&IC_DF1_AID));
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x02, 256)).data, d.df1[1].clone().unwrap());
        // The trace masks VERIFY data.
        assert!(c.trace().iter().filter(|t| t.command.get(1) == Some(&0x20)).all(|t| t.command.len() <= 5));
    }

    #[test]
    fn counters_block_and_dpin() {
        let mut c = SimIcCard::new(data(PinSetting::Set));
        for left in [0x63C2, 0x63C1, 0x63C0] {
            assert_eq!(cmd(&mut c, &Command::verify(0x82, b"0000")).sw, StatusWord(left));
        }
        assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x82]), StatusWord::BLOCKED);
        assert_eq!(cmd(&mut c, &Command::verify(0x82, b"5678")).sw, StatusWord::BLOCKED);
        assert_eq!(sw(&mut c, &[0x00, 0x20, 0x00, 0x81]), StatusWord(0x63C3));

        let mut d = data(PinSetting::NotSet);
        d.pin1 = Zeroizing::new(IC_DEFAULT_PIN.to_vec());
        let mut c = SimIcCard::new(d);
        assert_eq!(cmd(&mut c, &Command::verify(0x81, b"****")).sw, StatusWord::OK);
        assert_eq!(cmd(&mut c, &Command::verify(0x81, b"1234")).sw, StatusWord(0x63C2));
    }

    #[test]
    fn reads_le_offsets_and_reader_profiles() {
        let d = data(PinSetting::Set);
        let entries = d.df1[0].clone().unwrap();
        let open = |c: SimIcCard| {
            let mut c = c;
            cmd(&mut c, &Command::verify(0x81, b"1234"));
            cmd(&mut c, &Command::select_ap(&IC_DF1_AID));
            c
        };
        // Current-EF reads at 15-bit offsets after an SFI read; 6B00 past the end.
        let mut c = open(SimIcCard::new(d.clone()));
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x01, 16)).data, entries[..16]);
        assert_eq!(cmd(&mut c, &Command::read_binary(0x0300, 256)).data, entries[0x300..]);
        assert_eq!(cmd(&mut c, &Command::read_binary(880, 1)).sw, StatusWord::OFFSET_OUT_OF_RANGE);
        assert_eq!(sw(&mut c, &[0x00, 0xB0, 0x00, 0x00]), StatusWord::WRONG_LENGTH);
        // Extended Le refused by the reader; short Le still works.
        let mut c = open(SimIcCard::new(d.clone()).without_extended_le());
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x01, 65536)).sw, StatusWord::WRONG_LENGTH);
        assert_eq!(cmd(&mut c, &Command::read_binary_sfi(0x01, 256)).data, entries[..256]);
        // Responses silently cut at 256 bytes.
        let mut c = open(SimIcCard::new(IcCardData { reads_cut_at_256: true, ..d }));
        let r = cmd(&mut c, &Command::read_binary_sfi(0x01, 65536));
        assert_eq!((r.sw, r.data.as_slice()), (StatusWord::OK, &entries[..256]));
        // No current EF after a SELECT DF; unknown INS and CLA.
        cmd(&mut c, &Command::select_ap(&IC_DF2_AID));
        assert_eq!(cmd(&mut c, &Command::read_binary(0, 1)).sw, StatusWord::NO_CURRENT_EF);
        assert_eq!(sw(&mut c, &[0x00, 0x84, 0x00, 0x00, 0x08]), StatusWord::INS_NOT_SUPPORTED);
        assert_eq!(sw(&mut c, &[0x80, 0xB0, 0x00, 0x00, 0x08]), StatusWord::CLA_NOT_SUPPORTED);
    }

    #[test]
    fn answers_6a82_to_the_my_number_aids() {
        let mut c = SimIcCard::new(data(PinSetting::Set));
        for aid in [&LICENCE_AID[..], &KENHOJO_AID, &KENKAKU_AID] {
            assert_eq!(cmd(&mut c, &Command::select_ap(aid)).sw, StatusWord::NOT_FOUND);
        }
        for aid in [IC_DF1_AID, IC_DF2_AID, IC_DF3_AID] {
            assert_eq!(cmd(&mut c, &Command::select_ap(&aid)).sw, StatusWord::OK);
        }
        assert_eq!(cmd(&mut c, &Command::select_ef(0x2F01)).sw, StatusWord::NOT_FOUND);
    }

    #[test]
    fn removed_card_and_latency() {
        let mut c = SimIcCard::new(data(PinSetting::Set)).remove_after(1).with_latency(Duration::from_millis(1));
        assert!(c.transmit(&[0x00, 0xA4, 0x00, 0x00]).is_ok());
        assert_eq!(c.transmit(&[0x00, 0xA4, 0x00, 0x00]), Err(TransportError::CardRemoved));
    }
}
