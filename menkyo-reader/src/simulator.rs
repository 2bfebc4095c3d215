//! A virtual My Number card with the licence AP, the input-assist AP and the kenkaku AP,
//! serving the test personas. It answers like a real card: access rules, retry counters and
//! their status words, DPIN, the ELF/EXE AIDs, VERIFY P2=82, key EFs selected then VERIFY
//! P2=80, short and extended Le, SFI and current-EF reads, `80 2A` challenge signing with
//! the selected AP's card key. TEST ONLY: its keys are the public test keys.

use std::path::Path;
use std::time::Duration;

use rsa::RsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, traits::PublicKeyParts};
use zeroize::Zeroizing;

use crate::apdu::{Command, Response, SHORT_LE_MAX};
use crate::card_profile::*;
use crate::status_word::StatusWord;
use crate::transport::{Transport, TransportError};

/// Who may read an EF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Free,
    /// After a successful VERIFY of any of these key SFIs.
    AnyOf(&'static [u8]),
}

#[derive(Debug, Clone)]
struct Ef {
    fid: u16,
    sfi: u8,
    data: Vec<u8>,
    access: Access,
}

#[derive(Debug, Clone)]
struct Key {
    sfi: u8,
    value: Zeroizing<Vec<u8>>,
    tries: u8,
    max: u8,
}

#[derive(Debug, Clone)]
struct App {
    aid: Vec<u8>,
    efs: Vec<Ef>,
    keys: Vec<Key>,
    verified: Vec<u8>,
    /// The key `80 2A` signs with in this AP.
    card_key: Option<RsaPrivateKey>,
}

/// One APDU exchange, with credentials masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEntry {
    pub command: Vec<u8>,
    pub response: Vec<u8>,
}

/// What both simulated cards do on the wire around answering an APDU: the card leaving the
/// field, the round-trip latency, and the trace with VERIFY data masked.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wire {
    pub(crate) latency: Duration,
    pub(crate) remove_after: Option<usize>,
    exchanged: usize,
    trace: Vec<TraceEntry>,
}

impl Wire {
    /// One exchange: `answer` is asked only while the card is in the field.
    pub(crate) fn exchange(
        &mut self,
        command: &[u8],
        answer: impl FnOnce(&[u8]) -> Response,
    ) -> Result<Vec<u8>, TransportError> {
        if self.remove_after.is_some_and(|n| self.exchanged >= n) {
            return Err(TransportError::CardRemoved);
        }
        if !self.latency.is_zero() {
            std::thread::sleep(self.latency);
        }
        self.exchanged = self.exchanged.saturating_add(1);
        let response = answer(command).to_bytes();
        let mut logged = command.to_vec();
        if command.get(1) == Some(&0x20) {
            // Mask credentials in the trace: keep the header and Lc only.
            logged.truncate(5);
        }
        self.trace.push(TraceEntry { command: logged, response: response.clone() });
        Ok(response)
    }

    pub(crate) fn trace(&self) -> &[TraceEntry] {
        &self.trace
    }
}

/// What the simulated card holds.
#[derive(Debug, Clone)]
pub struct CardData {
    /// `None`: a My Number card without the licence recorded.
    pub licence: Option<[Vec<u8>; 3]>,
    pub licence_pin: Zeroizing<Vec<u8>>,
    /// EF 0001, 0002, 0003, 0004, 0005, 0007.
    pub kenhojo: [Vec<u8>; 6],
    pub kenhojo_pin: Zeroizing<Vec<u8>>,
    pub collation_a: Zeroizing<Vec<u8>>,
    pub collation_b: Zeroizing<Vec<u8>>,
    pub card_key: Option<RsaPrivateKey>,
    /// Kenkaku AP EF 0001, 0002, 0004, 0005; `None`: a card without the kenkaku AP.
    pub kenkaku: Option<[Vec<u8>; 4]>,
    /// The birth-date key (6 ASCII digits 和暦 YYMMDD) of kenkaku EF 0011.
    pub birth_key: Zeroizing<Vec<u8>>,
    pub kenkaku_card_key: Option<RsaPrivateKey>,
}

/// Why a persona could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SimulatorError {
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("{0}: not a persona of the test vectors")]
    Persona(String),
}

/// The simulated card.
#[derive(Debug)]
pub struct SimCard {
    apps: Vec<App>,
    selected: Option<usize>,
    current_ef: Option<usize>,
    /// The key EF last SELECTed (its SFI), for VERIFY P2 `80`.
    current_key: Option<u8>,
    extended_le: bool,
    wire: Wire,
}

fn read_file(path: &Path) -> Result<Vec<u8>, SimulatorError> {
    std::fs::read(path).map_err(|e| SimulatorError::Io { path: path.display().to_string(), message: e.to_string() })
}

impl CardData {
    /// Loads a persona of `testvectors/vectors/personas/<id>`.
    pub fn from_persona(vectors: &Path, id: &str) -> Result<Self, SimulatorError> {
        let dir = vectors.join("personas").join(id);
        if !dir.is_dir() || id.contains('/') || id.contains("..") {
            return Err(SimulatorError::Persona(id.to_string()));
        }
        let ef = |ap: &str, name: &str| read_file(&dir.join(ap).join(format!("{name}.bin")));
        let creds: serde_json::Value = serde_json::from_slice(&read_file(&dir.join("credentials.json"))?)
            .map_err(|e| SimulatorError::Io { path: "credentials.json".into(), message: e.to_string() })?;
        let text = |k: &str| Zeroizing::new(creds[k].as_str().unwrap_or_default().as_bytes().to_vec());
        let private_key = |name: &str| -> Result<Option<RsaPrivateKey>, SimulatorError> {
            let text = String::from_utf8_lossy(&read_file(&dir.join(name))?).into_owned();
            let pem = text.find("-----BEGIN").and_then(|i| text.get(i..)).unwrap_or_default();
            Ok(RsaPrivateKey::from_pkcs8_pem(pem).ok())
        };
        let card_key = private_key("card-key.pem")?;
        let birth_key = creds["birth_date"]
            .as_str()
            .and_then(|b| b.parse::<menkyo_core::Date>().ok())
            .and_then(|d| menkyo_core::BirthDateKey::new(d).ok())
            .map(|k| Zeroizing::new(k.as_bytes().to_vec()))
            .unwrap_or_default();
        let licence_pin = match creds["licence_pin"].as_str() {
            Some(p) => Zeroizing::new(p.as_bytes().to_vec()),
            None => Zeroizing::new(menkyo_core::profile::LICENCE_DEFAULT_PIN.to_vec()),
        };
        Ok(Self {
            licence: Some([ef("licence", "wef01")?, ef("licence", "wef02")?, ef("licence", "wef03")?]),
            licence_pin,
            kenhojo: [
                ef("kenhojo", "ef0001")?,
                ef("kenhojo", "ef0002")?,
                ef("kenhojo", "ef0003")?,
                ef("kenhojo", "ef0004")?,
                ef("kenhojo", "ef0005")?,
                ef("kenhojo", "ef0007")?,
            ],
            kenhojo_pin: text("kenhojo_pin"),
            collation_a: text("individual_number"),
            collation_b: text("collation_number_b"),
            card_key,
            kenkaku: Some([
                ef("kenkaku", "ef0001")?,
                ef("kenkaku", "ef0002")?,
                ef("kenkaku", "ef0004")?,
                ef("kenkaku", "ef0005")?,
            ]),
            birth_key,
            kenkaku_card_key: private_key("kenkaku-card-key.pem")?,
        })
    }
}

const PIN_OR_A: &[u8] = &[0x11, 0x14];
const PIN_OR_B: &[u8] = &[0x11, 0x15];
const PIN_A_OR_B: &[u8] = &[0x11, 0x14, 0x15];
const LICENCE_KEYS: &[u8] = &[0x06];
const BIRTH_KEY_ONLY: &[u8] = &[0x11];
/// 照合番号A/B of the kenkaku AP: not modelled, so the image EFs can never be read here (a
/// reader that tried would be caught by the tests anyway).
const KENKAKU_COLLATION: &[u8] = &[0x14, 0x15];
const KENKAKU_COLLATION_A: &[u8] = &[0x14];

fn sfi_of(p2: u8) -> u8 {
    p2 & 0x1F
}

impl SimCard {
    pub fn new(data: CardData) -> Self {
        let mut apps = Vec::new();
        if let Some([w1, w2, w3]) = data.licence {
            apps.push(App {
                aid: LICENCE_AID.to_vec(),
                efs: vec![
                    Ef { fid: WEF01.0, sfi: WEF01.1, data: w1, access: Access::Free },
                    Ef { fid: WEF02.0, sfi: WEF02.1, data: w2, access: Access::AnyOf(LICENCE_KEYS) },
                    Ef { fid: WEF03.0, sfi: WEF03.1, data: w3, access: Access::AnyOf(LICENCE_KEYS) },
                ],
                keys: vec![Key {
                    sfi: sfi_of(LICENCE_PIN_P2),
                    value: data.licence_pin,
                    tries: LICENCE_PIN_TRIES,
                    max: LICENCE_PIN_TRIES,
                }],
                verified: Vec::new(),
                card_key: None,
            });
        }
        let [e1, e2, e3, e4, e5, e7] = data.kenhojo;
        apps.push(App {
            aid: KENHOJO_AID.to_vec(),
            efs: vec![
                Ef { fid: EF0001.0, sfi: EF0001.1, data: e1, access: Access::AnyOf(PIN_OR_A) },
                Ef { fid: EF0002.0, sfi: EF0002.1, data: e2, access: Access::AnyOf(PIN_OR_B) },
                Ef { fid: EF0003.0, sfi: EF0003.1, data: e3, access: Access::AnyOf(PIN_A_OR_B) },
                Ef { fid: EF0004.0, sfi: EF0004.1, data: e4, access: Access::Free },
                Ef { fid: EF0005.0, sfi: EF0005.1, data: e5, access: Access::Free },
                Ef { fid: EF0007.0, sfi: EF0007.1, data: e7, access: Access::AnyOf(PIN_A_OR_B) },
            ],
            keys: vec![
                Key {
                    sfi: sfi_of(KENHOJO_PIN_P2),
                    value: data.kenhojo_pin,
                    tries: KENHOJO_PIN_TRIES,
                    max: KENHOJO_PIN_TRIES,
                },
                Key {
                    sfi: sfi_of(COLLATION_A_P2),
                    value: data.collation_a,
                    tries: COLLATION_TRIES,
                    max: COLLATION_TRIES,
                },
                Key {
                    sfi: sfi_of(COLLATION_B_P2),
                    value: data.collation_b,
                    tries: COLLATION_TRIES,
                    max: COLLATION_TRIES,
                },
            ],
            verified: Vec::new(),
            card_key: data.card_key,
        });
        if let Some([k1, k2, k4, k5]) = data.kenkaku {
            apps.push(App {
                aid: KENKAKU_AID.to_vec(),
                efs: vec![
                    Ef {
                        fid: KENKAKU_EF0001.0,
                        sfi: KENKAKU_EF0001.1,
                        data: k1,
                        access: Access::AnyOf(BIRTH_KEY_ONLY),
                    },
                    Ef {
                        fid: KENKAKU_EF0002.0,
                        sfi: KENKAKU_EF0002.1,
                        data: k2,
                        access: Access::AnyOf(KENKAKU_COLLATION),
                    },
                    Ef { fid: KENKAKU_EF0004.0, sfi: KENKAKU_EF0004.1, data: k4, access: Access::Free },
                    Ef {
                        fid: KENKAKU_EF0005.0,
                        sfi: KENKAKU_EF0005.1,
                        data: k5,
                        access: Access::AnyOf(KENKAKU_COLLATION_A),
                    },
                ],
                keys: vec![Key {
                    sfi: KENKAKU_BIRTH_KEY.1,
                    value: data.birth_key,
                    tries: KENKAKU_BIRTH_TRIES,
                    max: KENKAKU_BIRTH_TRIES,
                }],
                verified: Vec::new(),
                card_key: data.kenkaku_card_key,
            });
        }
        Self { apps, selected: None, current_ef: None, current_key: None, extended_le: true, wire: Wire::default() }
    }

    /// A reader that refuses extended Le (answers 6700), as some contactless readers do.
    pub fn without_extended_le(mut self) -> Self {
        self.extended_le = false;
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

    /// Sets the tries left of a key: (`p2` of VERIFY, tries).
    pub fn set_tries(&mut self, p2: u8, tries: u8) {
        for app in &mut self.apps {
            for k in app.keys.iter_mut().filter(|k| k.sfi == sfi_of(p2)) {
                k.tries = tries;
            }
        }
    }

    /// Tries left of the key `p2` in the app `aid`.
    pub fn tries(&self, aid: &[u8], p2: u8) -> Option<u8> {
        let app = self.apps.iter().find(|a| a.aid == aid)?;
        app.keys.iter().find(|k| k.sfi == sfi_of(p2)).map(|k| k.tries)
    }

    /// Every exchange so far, with VERIFY data masked.
    pub fn trace(&self) -> &[TraceEntry] {
        self.wire.trace()
    }

    fn app(&mut self) -> Option<&mut App> {
        self.selected.and_then(|i| self.apps.get_mut(i))
    }

    fn handle(&mut self, raw: &[u8]) -> Response {
        let Ok(cmd) = Command::parse(raw) else { return Response::status(StatusWord::WRONG_LENGTH) };
        match (cmd.cla, cmd.ins) {
            (0x00, 0xA4) => self.select(&cmd),
            (0x00, 0xB0) => self.read_binary(&cmd),
            (0x00, 0x20) => self.verify(&cmd),
            (0x80, 0x2A) => self.sign(&cmd),
            (0x00 | 0x80, _) => Response::status(StatusWord::INS_NOT_SUPPORTED),
            _ => Response::status(StatusWord::CLA_NOT_SUPPORTED),
        }
    }

    fn select(&mut self, cmd: &Command) -> Response {
        if cmd.p2 != 0x0C {
            return Response::status(StatusWord::BAD_P1P2);
        }
        match cmd.p1 {
            0x04 => match self.apps.iter().position(|a| a.aid == cmd.data.as_slice()) {
                Some(i) => {
                    // Re-selecting drops the verified state, as cards may do [S].
                    if let Some(app) = self.apps.get_mut(i) {
                        app.verified.clear();
                    }
                    self.selected = Some(i);
                    self.current_ef = None;
                    self.current_key = None;
                    Response::status(StatusWord::OK)
                }
                None => Response::status(StatusWord::NOT_FOUND),
            },
            0x02 => {
                let Ok(fid) = <[u8; 2]>::try_from(cmd.data.as_slice()).map(u16::from_be_bytes) else {
                    return Response::status(StatusWord::WRONG_LENGTH);
                };
                let Some(app) = self.app() else { return Response::status(StatusWord::NOT_FOUND) };
                // Key EFs are FID 00xx with their SFI as xx.
                let key = app.keys.iter().find(|k| u16::from(k.sfi) == fid).map(|k| k.sfi);
                match (app.efs.iter().position(|e| e.fid == fid), key) {
                    (Some(i), _) => {
                        self.current_ef = Some(i);
                        Response::status(StatusWord::OK)
                    }
                    (None, Some(sfi)) => {
                        self.current_key = Some(sfi);
                        Response::status(StatusWord::OK)
                    }
                    (None, None) => Response::status(StatusWord::NOT_FOUND),
                }
            }
            _ => Response::status(StatusWord::BAD_P1P2),
        }
    }

    fn read_binary(&mut self, cmd: &Command) -> Response {
        let le = cmd.le.unwrap_or(SHORT_LE_MAX);
        if le > SHORT_LE_MAX && !self.extended_le {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        let (ef_index, offset) = if cmd.p1 & 0x80 != 0 {
            let sfi = cmd.p1 & 0x1F;
            match self.app().and_then(|a| a.efs.iter().position(|e| e.sfi == sfi)) {
                Some(i) => (i, usize::from(cmd.p2)),
                None => return Response::status(StatusWord::NOT_FOUND),
            }
        } else {
            match self.current_ef {
                Some(i) => (i, usize::from(u16::from_be_bytes([cmd.p1 & 0x7F, cmd.p2]))),
                None => return Response::status(StatusWord::NO_CURRENT_EF),
            }
        };
        let Some(app) = self.selected.and_then(|i| self.apps.get(i)) else {
            return Response::status(StatusWord::NO_CURRENT_EF);
        };
        let Some(ef) = app.efs.get(ef_index) else { return Response::status(StatusWord::NOT_FOUND) };
        let allowed = match ef.access {
            Access::Free => true,
            Access::AnyOf(keys) => keys.iter().any(|k| app.verified.contains(k)),
        };
        if !allowed {
            return Response::status(StatusWord::SECURITY_NOT_SATISFIED);
        }
        if offset >= ef.data.len() {
            return Response::status(StatusWord::OFFSET_OUT_OF_RANGE);
        }
        let end = offset.saturating_add(le).min(ef.data.len());
        let data = ef.data.get(offset..end).unwrap_or_default().to_vec();
        self.current_ef = Some(ef_index);
        Response::new(data, StatusWord::OK)
    }

    fn verify(&mut self, cmd: &Command) -> Response {
        if cmd.p1 != 0x00 || cmd.p2 & 0x80 == 0 {
            return Response::status(StatusWord::BAD_P1P2);
        }
        if cmd.le.is_some() {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        let sfi = match (cmd.p2, self.current_key) {
            (CURRENT_KEY_P2, Some(sfi)) => sfi,
            (CURRENT_KEY_P2, None) => return Response::status(StatusWord::NO_CURRENT_EF),
            (p2, _) => sfi_of(p2),
        };
        let Some(app) = self.app() else { return Response::status(StatusWord::NOT_FOUND) };
        let Some(key) = app.keys.iter_mut().find(|k| k.sfi == sfi) else {
            return Response::status(StatusWord::NOT_FOUND);
        };
        if key.tries == 0 {
            return Response::status(StatusWord::BLOCKED);
        }
        if cmd.data.is_empty() {
            return Response::status(StatusWord(0x63C0 | u16::from(key.tries)));
        }
        if cmd.data.as_slice() == key.value.as_slice() {
            key.tries = key.max;
            if !app.verified.contains(&sfi) {
                app.verified.push(sfi);
            }
            Response::status(StatusWord::OK)
        } else {
            key.tries = key.tries.saturating_sub(1);
            Response::status(StatusWord(0x63C0 | u16::from(key.tries)))
        }
    }

    fn sign(&mut self, cmd: &Command) -> Response {
        if cmd.p1 != 0 || cmd.p2 != 0 {
            return Response::status(StatusWord::BAD_P1P2);
        }
        let Some(key) = self.app().and_then(|a| a.card_key.as_ref()) else {
            return Response::status(StatusWord::NOT_FOUND);
        };
        if cmd.data.len() >= key.size() {
            return Response::status(StatusWord::WRONG_LENGTH);
        }
        match key.sign(Pkcs1v15Sign::new_unprefixed(), &cmd.data) {
            Ok(sig) => Response::new(sig, StatusWord::OK),
            Err(_) => Response::status(StatusWord::WRONG_LENGTH),
        }
    }
}

impl Transport for SimCard {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let mut wire = std::mem::take(&mut self.wire);
        let response = wire.exchange(command, |c| self.handle(c));
        self.wire = wire;
        response
    }
}
