//! Application ids, file ids and key references of the card (card-formats.md §1–3).

/// 免許AP instance: the only licence AID that answers 9000.
pub const LICENCE_AID: [u8; 16] = [0xA0, 0x00, 0x00, 0x02, 0x31, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// The licence AP's ELF and executable-module AIDs: a real card answers 6A82.
pub const LICENCE_ELF_AID: [u8; 16] = [0xA0, 0x00, 0x00, 0x02, 0x31, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
pub const LICENCE_EXE_AID: [u8; 16] = [0xA0, 0x00, 0x00, 0x02, 0x31, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// 券面事項入力補助AP.
pub const KENHOJO_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08];
/// 券面事項確認AP (kenkaku).
pub const KENKAKU_AID: [u8; 10] = [0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02];

/// Licence AP files: (FID, SFI).
pub const WEF01: (u16, u8) = (0x001A, 0x1A);
pub const WEF02: (u16, u8) = (0x001B, 0x1B);
pub const WEF03: (u16, u8) = (0x001C, 0x1C);
/// VERIFY P2 of the licence PIN (IEF01, SFI 6). `82` answers 6A82 on a real card.
pub const LICENCE_PIN_P2: u8 = 0x86;
/// Tries of the licence PIN on a fresh card.
pub const LICENCE_PIN_TRIES: u8 = 10;

/// Input-assist AP files: (FID, SFI).
pub const EF0001: (u16, u8) = (0x0001, 0x01);
pub const EF0002: (u16, u8) = (0x0002, 0x02);
pub const EF0003: (u16, u8) = (0x0003, 0x03);
pub const EF0004: (u16, u8) = (0x0004, 0x04);
pub const EF0005: (u16, u8) = (0x0005, 0x05);
pub const EF0007: (u16, u8) = (0x0007, 0x07);
/// VERIFY P2 of the 4-digit PIN, 照合番号A and 照合番号B.
pub const KENHOJO_PIN_P2: u8 = 0x91;
pub const COLLATION_A_P2: u8 = 0x94;
pub const COLLATION_B_P2: u8 = 0x95;
pub const KENHOJO_PIN_TRIES: u8 = 3;
pub const COLLATION_TRIES: u8 = 10;

/// Largest EF read in one extended READ BINARY (the largest EF, WEF02, is 5845 bytes).
pub const WHOLE_EF_LE: usize = 65_536;
/// Chunk of the fallback reads when the reader refuses extended lengths.
pub const CHUNK: usize = 256;

/// Kenkaku AP files: (FID, SFI). EF 0002 and EF 0005 (card face images, the 個人番号 as an
/// image) are listed for the simulator only: the reader never selects or reads them.
pub const KENKAKU_EF0001: (u16, u8) = (0x0001, 0x01);
pub const KENKAKU_EF0002: (u16, u8) = (0x0002, 0x02);
pub const KENKAKU_EF0004: (u16, u8) = (0x0004, 0x04);
pub const KENKAKU_EF0005: (u16, u8) = (0x0005, 0x05);
/// The kenkaku AP's birth-date key EF (6 digits 和暦 YYMMDD): SELECTed, then VERIFY P2 `80`.
pub const KENKAKU_BIRTH_KEY: (u16, u8) = (0x0011, 0x11);
/// VERIFY P2 for the key EF just SELECTed.
pub const CURRENT_KEY_P2: u8 = 0x80;
/// Tries of the birth-date key. [P] Not public; the reader treats it like a PIN (counter
/// first, the last try refused), and the simulator gives it this many.
pub const KENKAKU_BIRTH_TRIES: u8 = 10;
