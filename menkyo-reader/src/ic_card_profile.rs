//! Application ids, files, key references and read limits of the conventional IC driver's
//! licence (ICカード運転免許証, ic-licence.md §1–§3). The sibling of [`crate::card_profile`]
//! (the My Number card's APs): one place for the IC card's numbers.
//!
//! ```text
//! MF   EF01 2F01 (no SFI)  EF02 000A/0A  IEF01 0001 (PIN1, VERIFY P2 81)  IEF02 0002 (PIN2, P2 82)
//! DF1  A0 00 00 02 31 01 00…  EF01–EF07 0001–0007 / SFI 01–07
//! DF2  A0 00 00 02 31 02 00…  EF01 0001/01 (photo)
//! DF3  A0 00 00 02 48 03 00…  (reserved: note the other RID)
//! ```

use menkyo_core::profile::{
    IC_CHANGE_GLYPHS_SIZE, IC_CHANGES_SIZE, IC_COMMON_DATA_SIZE, IC_DOMICILE_CHANGES_SIZE, IC_DOMICILE_SIZE,
    IC_ENTRIES_SIZE, IC_GLYPHS_SIZE, IC_PHOTO_SIZE, IC_PIN_SETTING_SIZE, IC_SIGNATURE_SIZE,
};

/// DF1 (記載事項): ic-licence.md §2. A card is a conventional licence when SELECT of DF1
/// answers 9000 [R].
pub const IC_DF1_AID: [u8; 16] = [0xA0, 0x00, 0x00, 0x02, 0x31, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// DF2 (写真, the photo): ic-licence.md §2.
pub const IC_DF2_AID: [u8; 16] = [0xA0, 0x00, 0x00, 0x02, 0x31, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// DF3 (EF01 reserved; RID `A0 00 00 02 48`): ic-licence.md §2. Never read.
pub const IC_DF3_AID: [u8; 16] = [0xA0, 0x00, 0x00, 0x02, 0x48, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// One EF of the IC licence: where it is and how large the card makes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcEf {
    /// The step named in an error: `READ DF1/EF01 (記載事項)`.
    pub step: &'static str,
    pub fid: u16,
    /// `None`: no short file identifier (MF/EF01): SELECT EF, then a current-EF READ BINARY.
    pub sfi: Option<u8>,
    /// Physical size (ic-licence.md §2, `menkyo_core::profile::IC_…_SIZE`). The reader knows
    /// it, so a shorter response means the reader (or phone) cut it, and reading goes on.
    pub size: usize,
}

/// MF/EF01 共通データ要素 (common data), free, no SFI.
pub const IC_MF_EF01: IcEf =
    IcEf { step: "READ MF/EF01 (共通データ要素)", fid: 0x2F01, sfi: None, size: IC_COMMON_DATA_SIZE };
/// MF/EF02 暗証番号設定 (PIN setting), free.
pub const IC_MF_EF02: IcEf =
    IcEf { step: "READ MF/EF02 (暗証番号設定)", fid: 0x000A, sfi: Some(0x0A), size: IC_PIN_SETTING_SIZE };
/// DF1/EF01 記載事項(本籍除く), after PIN1.
pub const IC_DF1_EF01: IcEf =
    IcEf { step: "READ DF1/EF01 (記載事項)", fid: 0x0001, sfi: Some(0x01), size: IC_ENTRIES_SIZE };
/// DF1/EF02 本籍, after PIN1 and PIN2.
pub const IC_DF1_EF02: IcEf =
    IcEf { step: "READ DF1/EF02 (本籍)", fid: 0x0002, sfi: Some(0x02), size: IC_DOMICILE_SIZE };
/// DF1/EF03 外字, after PIN1; only on cards whose texts use 外字 1–2 (else 6A82).
pub const IC_DF1_EF03: IcEf =
    IcEf { step: "READ DF1/EF03 (外字)", fid: 0x0003, sfi: Some(0x03), size: IC_GLYPHS_SIZE };
/// DF1/EF04 記載事項変更等(本籍除く), after PIN1.
pub const IC_DF1_EF04: IcEf =
    IcEf { step: "READ DF1/EF04 (記載事項変更等)", fid: 0x0004, sfi: Some(0x04), size: IC_CHANGES_SIZE };
/// DF1/EF05 記載事項変更(外字), after PIN1.
pub const IC_DF1_EF05: IcEf =
    IcEf {
        step: "READ DF1/EF05 (記載事項変更 外字)", fid: 0x0005, sfi: Some(0x05), size: IC_CHANGE_GLYPHS_SIZE
    };
/// DF1/EF06 記載事項変更(本籍), after PIN1 and PIN2 [S].
pub const IC_DF1_EF06: IcEf =
    IcEf {
        step: "READ DF1/EF06 (記載事項変更 本籍)", fid: 0x0006, sfi: Some(0x06), size: IC_DOMICILE_CHANGES_SIZE
    };
/// DF1/EF07 電子署名, after PIN1.
pub const IC_DF1_EF07: IcEf =
    IcEf { step: "READ DF1/EF07 (電子署名)", fid: 0x0007, sfi: Some(0x07), size: IC_SIGNATURE_SIZE };
/// DF2/EF01 写真, after PIN1 and PIN2.
pub const IC_DF2_EF01: IcEf =
    IcEf { step: "READ DF2/EF01 (写真)", fid: 0x0001, sfi: Some(0x01), size: IC_PHOTO_SIZE };

/// VERIFY P2 of PIN1 (MF/IEF01, `80|SFI 1`).
pub const IC_PIN1_P2: u8 = 0x81;
/// VERIFY P2 of PIN2 (MF/IEF02, `80|SFI 2`).
pub const IC_PIN2_P2: u8 = 0x82;
/// File ids of the key EFs IEF01, IEF02 (VERIFY P2 `80` after SELECTing one) [R].
pub const IC_PIN1_FID: u16 = 0x0001;
pub const IC_PIN2_FID: u16 = 0x0002;
/// Tries of PIN1 and of PIN2 on a fresh card: ic-licence.md §3 [R].
pub const IC_PIN_TRIES: u8 = 3;
/// PIN length: 4 ASCII digits: ic-licence.md §3 [R].
pub const IC_PIN_LEN: usize = 4;
/// Default PIN ("DPIN", `2A 2A 2A 2A`) of both PINs when MF/EF02 says none is set:
/// ic-licence.md §3 [R].
pub const IC_DEFAULT_PIN: [u8; IC_PIN_LEN] = *b"****";

/// Largest offset of a current-EF READ BINARY (`00 B0 P1 P2`, P1 bit 8 clear: 15 bits):
/// ISO/IEC 7816-4, ic-licence.md §1. The largest EF (2005 bytes) is far below it.
pub const IC_OFFSET_MAX: usize = 0x7FFF;
/// Le of the one extended READ BINARY that reads a whole EF: 65536, encoded `00 00 00` (all
/// the EF holds). Used for EFs larger than a short Le can take.
pub const IC_WHOLE_EF_LE: usize = crate::apdu::EXTENDED_LE_MAX;
/// Largest chunk when the reader refuses extended lengths or cuts responses: "a reader must be
/// able to read every EF in ≤ 256-byte chunks" (ic-licence.md §1 [R]); the short-Le maximum.
pub const IC_CHUNK: usize = crate::apdu::SHORT_LE_MAX;
