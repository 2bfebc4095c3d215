//! The conventional IC licence personas (ic-licence.md §8): synthetic holders of the pre-2025
//! ICカード運転免許証, one per simulator profile. Every name, address and number here is
//! invented. TEST ONLY.
//!
//! [P] Choices where the card formats are silent, kept here in one place:
//! - every card has DF1/EF01, EF02, EF04–EF07 and DF2/EF01; DF1/EF03 only when a text of
//!   EF01 uses 外字 1–2 (a card without it answers SELECT with 6A82);
//! - an EF04/EF05/EF06 without additions holds its flag item with `00` (`50 01 00`,
//!   `A0 01 00`, `AA 01 00`), then padding;
//! - every item of tags 11–32 (and 33 from spec 007) is written; an unused condition or
//!   通称名 is an empty value; 呼び名 (13) and 統一氏名 (15) both hold the kana reading;
//! - the JIS X 0208 edition (tag 11 and each change) is `78`, as on the real card.

use menkyo_core::ic_licence::{
    CategoryDate, Change, ChangeEntry, ChangeGlyphs, ChangeKind, Changes, DomicileChange, DomicileChanges, EntriesInfo,
    Glyph, Glyphs, PinSetting, expected_check_digit,
};
use menkyo_core::licence::{Category, FirstLicensed, LicenceNumber};
use menkyo_core::profile::{IC_GAIJI_SLOTS, IC_GLYPH_LEN, IC_GLYPH_SIDE};
use menkyo_core::{AsciiText, Date, Era, JisChar, JisText, WarekiDate};

use crate::Error;

/// JIS X 0208 edition written in tag 11 and in each change (`78` on the real card).
const JIS_EDITION: u8 = 0x78;
/// Flag value of EF04 (50), EF05 (A0), EF06 (AA): something was added.
const FLAG_ADDED: u8 = 0x01;
/// The same flags when nothing was added.
const FLAG_NONE: u8 = 0x00;
/// Tries of each PIN on a card nobody has mistyped (ic-licence.md §3).
pub const PIN_TRIES: u8 = 3;
/// The default PIN of a card whose holder set none (DPIN).
pub const DPIN: &str = "****";

/// The PINs of a card and what the holder knows of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pins {
    /// MF/EF02.
    pub setting: PinSetting,
    /// PIN1 (DPIN when not set).
    pub pin1: &'static str,
    /// PIN2 as the holder knows it; `None`: set on the card, but the holder does not know it.
    pub pin2: Option<&'static str>,
    pub pin1_tries: u8,
    pub pin2_tries: u8,
}

/// One synthetic holder of a conventional IC licence.
#[derive(Debug, Clone)]
pub struct IcPersona {
    pub id: &'static str,
    pub description: &'static str,
    /// MF/EF01 tag 45: 仕様書バージョン番号.
    pub spec_version: &'static str,
    /// MF/EF01 tag 46, opaque.
    pub manufacturer_id: u8,
    pub crypto_function_id: u8,
    /// DF1/EF01.
    pub entries: EntriesInfo,
    /// DF1/EF02 本籍.
    pub domicile: JisText,
    /// DF1/EF03, on cards whose texts use 外字 1–2 only.
    pub glyphs: Option<Glyphs>,
    /// DF1/EF04, EF05, EF06.
    pub changes: Changes,
    pub change_glyphs: ChangeGlyphs,
    pub domicile_changes: DomicileChanges,
    pub pins: Pins,
    /// The reader of this profile cuts every response at 256 bytes.
    pub reads_cut_at_256: bool,
    /// Index of the portrait in `assets/portraits/`.
    pub portrait: u8,
    /// Expected verdict on [`crate::personas::VERIFY_AT`] with the test trust store.
    pub verdict: &'static str,
    /// Checks expected to fail.
    pub failed_checks: &'static [&'static str],
    /// Checks expected to stay unchecked.
    pub unchecked_checks: &'static [&'static str],
}

impl IcPersona {
    /// The birth date (tag 16).
    pub fn birth(&self) -> Result<Date, Error> {
        self.entries.birth_date.map(WarekiDate::to_gregorian).ok_or(Error::Invariant("IC persona without birth date"))
    }

    /// Whether EF04 holds changes (the `changes_not_signed` limit).
    pub fn has_changes(&self) -> bool {
        !self.changes.changes.is_empty()
    }
}

fn w(era: Era, y: u8, m: u8, d: u8) -> Result<WarekiDate, Error> {
    WarekiDate::new(era, y, m, d).map_err(|_| Error::Invariant("bad era date constant"))
}

fn jis(s: &str) -> Result<JisText, Error> {
    JisText::encode_str(s).map_err(|_| Error::Invariant("text outside JIS X 0208"))
}

/// IC licence text where `〓` stands for 外字 `slot`.
fn jis_gaiji(s: &str, slot: u8) -> Result<JisText, Error> {
    let chars: Vec<JisChar> =
        s.chars().map(|c| if c == '〓' { JisChar::Gaiji { slot } } else { JisChar::Char(c) }).collect();
    JisText::encode_with_gaiji_slots(&chars, IC_GAIJI_SLOTS).map_err(|_| Error::Invariant("gaiji text"))
}

/// A licence number: 公安委員会 code (2 digits), year first licensed (2), serial (6), the
/// check digit of ic-licence.md §4, reissue count (1).
fn number(first_ten: &str, reissue: u8) -> Result<LicenceNumber, Error> {
    let bad = || Error::Invariant("bad licence number constant");
    let draft: LicenceNumber = format!("{first_ten}00").parse().map_err(|_| bad())?;
    format!("{first_ten}{}{reissue}", expected_check_digit(&draft)).parse().map_err(|_| bad())
}

/// A 32 × 32 glyph (ic-licence.md §5 [P]) drawn from filled rectangles `(x0, y0, x1, y1)`,
/// corners included.
fn glyph(rects: &[(usize, usize, usize, usize)]) -> Glyph {
    let row_bytes = IC_GLYPH_SIDE / 8;
    let mut bits = [0u8; IC_GLYPH_LEN];
    for &(x0, y0, x1, y1) in rects {
        for y in y0..=y1.min(IC_GLYPH_SIDE - 1) {
            for x in x0..=x1.min(IC_GLYPH_SIDE - 1) {
                if let Some(b) = bits.get_mut(y * row_bytes + x / 8) {
                    *b |= 0x80 >> (x % 8);
                }
            }
        }
    }
    Glyph::new(bits)
}

/// 𠮷 (土 over 口), not in JIS X 0208: the classic 外字 of a family name.
fn tsuchi_yoshi() -> Glyph {
    glyph(&[
        (15, 2, 16, 12),  // 土: the vertical
        (9, 6, 22, 7),    // 土: the short upper bar
        (4, 12, 27, 13),  // 土: the long lower bar
        (8, 17, 9, 29),   // 口: left
        (22, 17, 23, 29), // 口: right
        (8, 17, 23, 18),  // 口: top
        (8, 28, 23, 29),  // 口: bottom
    ])
}

/// 葛 with 人 inside 勹 (the variant of 葛飾): 外字 of a place name.
fn katsu() -> Glyph {
    glyph(&[
        (3, 5, 28, 6),    // 艹: bar
        (10, 2, 11, 9),   // 艹: left
        (20, 2, 21, 9),   // 艹: right
        (9, 11, 22, 12),  // 日: top
        (9, 11, 10, 18),  // 日: left
        (21, 11, 22, 18), // 日: right
        (9, 14, 22, 15),  // 日: middle
        (9, 17, 22, 18),  // 日: bottom
        (7, 21, 26, 22),  // 勹: top
        (25, 21, 26, 29), // 勹: right
        (22, 28, 26, 29), // 勹: hook
        (15, 23, 16, 27), // 人
        (11, 27, 14, 28), // 人: left foot
        (17, 27, 20, 28), // 人: right foot
    ])
}

/// One change written on the back.
fn change(date: WarekiDate, value: JisText, authority: &str) -> Result<ChangeEntry, Error> {
    Ok(ChangeEntry { jis_edition: JIS_EDITION, date: Some(date), value, authority: jis(authority)? })
}

/// Who, where, which licence: the fields every persona sets.
struct Holder {
    id: &'static str,
    description: &'static str,
    name: JisText,
    kana: &'static str,
    birth: WarekiDate,
    address: &'static str,
    domicile: &'static str,
    commission: &'static str,
    number: LicenceNumber,
    reference: &'static str,
    colour: &'static str,
    issue: WarekiDate,
    expiry: WarekiDate,
}

/// A spec-008 card with PINs set and nothing on the back; categories all not held.
fn base(h: Holder) -> Result<IcPersona, Error> {
    let empty = Some(JisText::default());
    let mut entries = EntriesInfo {
        jis_edition: Some(JIS_EDITION),
        name: Some(h.name),
        kana: Some(jis(h.kana)?),
        alias: empty.clone(),
        unified_name: Some(jis(h.kana)?),
        birth_date: Some(h.birth),
        address: Some(jis(h.address)?),
        issue_date: Some(h.issue),
        reference_number: Some(AsciiText::try_from(h.reference).map_err(|_| Error::Invariant("reference number"))?),
        colour_class: Some(jis(h.colour)?),
        expiry: Some(h.expiry),
        conditions: [empty.clone(), empty.clone(), empty.clone(), empty],
        commission: Some(jis(h.commission)?),
        licence_number: Some(h.number),
        first_licensed: FirstLicensed::default(),
        ..EntriesInfo::default()
    };
    for c in Category::ALL {
        entries.categories.set(c, CategoryDate::NotHeld);
    }
    Ok(IcPersona {
        id: h.id,
        description: h.description,
        spec_version: "008",
        manufacturer_id: 0x01,
        crypto_function_id: 0x01,
        entries,
        domicile: jis(h.domicile)?,
        glyphs: None,
        changes: Changes { flag: Some(FLAG_NONE), ..Changes::default() },
        change_glyphs: ChangeGlyphs { flag: Some(FLAG_NONE), ..ChangeGlyphs::default() },
        domicile_changes: DomicileChanges { flag: Some(FLAG_NONE), ..DomicileChanges::default() },
        pins: Pins {
            setting: PinSetting::Set,
            pin1: "1234",
            pin2: Some("5678"),
            pin1_tries: PIN_TRIES,
            pin2_tries: PIN_TRIES,
        },
        reads_cut_at_256: false,
        portrait: 1,
        verdict: "valid",
        failed_checks: &[],
        unchecked_checks: &[],
    })
}

fn hold(p: &mut IcPersona, categories: &[(Category, WarekiDate)]) {
    for &(c, since) in categories {
        p.entries.categories.set(c, CategoryDate::Since(since));
    }
}

fn condition(p: &mut IcPersona, slot: usize, text: &str) -> Result<(), Error> {
    let c = p.entries.conditions.get_mut(slot).ok_or(Error::Invariant("condition slot"))?;
    *c = Some(jis(text)?);
    Ok(())
}

#[allow(clippy::too_many_lines)] // one table of personas reads best in one place
pub fn all() -> Result<Vec<IcPersona>, Error> {
    use Category::*;
    use Era::*;
    let mut out = Vec::new();

    let mut p = base(Holder {
        id: "ic01-spec-006",
        description: "Spec-006 card issued 平成27年 (2015): no tag 33 (準中型 not on the card), 中型 (8t) held; \
                      the 12-year validity is synthetic, so the card is still valid on the verification date",
        name: jis("石井　和夫")?,
        kana: "イシイ　カズオ",
        birth: w(Showa, 38, 5, 14)?,
        address: "千葉県千葉市中央区千葉港二丁目１番１号",
        domicile: "千葉県千葉市中央区千葉港二丁目１番",
        commission: "千葉県公安委員会",
        number: number("4482012345", 0)?,
        reference: "20150",
        colour: "優良",
        issue: w(Heisei, 27, 6, 10)?,
        expiry: w(Reiwa, 9, 6, 14)?,
    })?;
    p.spec_version = "006";
    p.manufacturer_id = 0x02;
    p.entries.categories.set(SemiMedium, CategoryDate::NotOnCard);
    hold(&mut p, &[(Medium, w(Showa, 57, 7, 1)?), (Moped, w(Showa, 55, 6, 2)?)]);
    p.entries.first_licensed.two_small_moped = Some(w(Showa, 55, 6, 2)?);
    p.entries.first_licensed.other = Some(w(Showa, 57, 7, 1)?);
    condition(&mut p, 0, "中型車は中型車（８ｔ）に限る")?;
    p.portrait = 15;
    out.push(p);

    let mut p = base(Holder {
        id: "ic02-spec-008",
        description: "Spec-008 card with every tag 11-33: 準中型 held among eleven categories, four conditions, \
                      all three first-licence dates",
        name: jis("松本　由美子")?,
        kana: "マツモト　ユミコ",
        birth: w(Showa, 53, 9, 2)?,
        address: "大阪府大阪市中央区大手前三丁目１番４３号",
        domicile: "奈良県奈良市登大路町３０番地",
        commission: "大阪府公安委員会",
        number: number("6298054321", 1)?,
        reference: "51234",
        colour: "一般",
        issue: w(Reiwa, 5, 9, 1)?,
        expiry: w(Reiwa, 10, 10, 2)?,
    })?;
    hold(
        &mut p,
        &[
            (Large, w(Heisei, 20, 3, 18)?),
            (Medium, w(Heisei, 19, 6, 2)?),
            (SemiMedium, w(Heisei, 29, 3, 12)?),
            (Ordinary, w(Heisei, 10, 10, 5)?),
            (LargeSpecial, w(Heisei, 22, 2, 9)?),
            (LargeMotorcycle, w(Heisei, 15, 8, 20)?),
            (OrdinaryMotorcycle, w(Heisei, 8, 4, 1)?),
            (SmallSpecial, w(Heisei, 8, 4, 1)?),
            (Moped, w(Heisei, 8, 4, 1)?),
            (Towing, w(Heisei, 24, 11, 30)?),
            (OrdinaryClass2, w(Heisei, 26, 7, 7)?),
        ],
    );
    p.entries.first_licensed = FirstLicensed {
        two_small_moped: Some(w(Heisei, 8, 4, 1)?),
        other: Some(w(Heisei, 10, 10, 5)?),
        class2: Some(w(Heisei, 26, 7, 7)?),
    };
    condition(&mut p, 0, "眼鏡等")?;
    condition(&mut p, 1, "大型車は眼鏡等")?;
    condition(&mut p, 2, "中型車は眼鏡等")?;
    condition(&mut p, 3, "準中型車は眼鏡等")?;
    p.manufacturer_id = 0x03;
    p.crypto_function_id = 0x02;
    p.pins.pin1 = "2468";
    p.pins.pin2 = Some("1357");
    p.portrait = 16;
    out.push(p);

    let mut p = base(Holder {
        id: "ic03-no-pin",
        description: "Holder who set no PINs: MF/EF02 is 05 01 00, both PINs are the default ****; 新規 colour",
        name: jis("小川　直樹")?,
        kana: "オガワ　ナオキ",
        birth: w(Heisei, 13, 3, 21)?,
        address: "埼玉県さいたま市浦和区高砂三丁目１５番１号",
        domicile: "埼玉県さいたま市浦和区高砂三丁目１５番",
        commission: "埼玉県公安委員会",
        number: number("4324067890", 0)?,
        reference: "30021",
        colour: "新規",
        issue: w(Reiwa, 6, 3, 5)?,
        expiry: w(Reiwa, 9, 4, 21)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Reiwa, 6, 3, 5)?)]);
    p.entries.first_licensed.other = Some(w(Reiwa, 6, 3, 5)?);
    p.pins = Pins {
        setting: PinSetting::NotSet,
        pin1: DPIN,
        pin2: Some(DPIN),
        pin1_tries: PIN_TRIES,
        pin2_tries: PIN_TRIES,
    };
    p.portrait = 3;
    out.push(p);

    let mut p = base(Holder {
        id: "ic04-changes-on-back",
        description: "Changes written on the back (EF04, flag set): moved to 東京都 (new commission and address \
                      with 外字 3, glyph in EF05) and a new condition, each dated with the authority's short \
                      name; a new 本籍 in EF06. Not signed: the changes_not_signed limit",
        name: jis("中島　恵")?,
        kana: "ナカジマ　メグミ",
        birth: w(Showa, 58, 11, 8)?,
        address: "神奈川県横浜市港北区日吉本町四丁目５番３号",
        domicile: "神奈川県横浜市港北区日吉本町四丁目５番",
        commission: "神奈川県公安委員会",
        number: number("4502098765", 2)?,
        reference: "45678",
        colour: "優良",
        issue: w(Reiwa, 4, 11, 1)?,
        expiry: w(Reiwa, 9, 12, 8)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Heisei, 14, 2, 20)?), (SemiMedium, w(Heisei, 14, 2, 20)?)]);
    p.entries.first_licensed.other = Some(w(Heisei, 14, 2, 20)?);
    let moved = w(Reiwa, 7, 4, 15)?;
    p.changes = Changes {
        flag: Some(FLAG_ADDED),
        changes: vec![
            Change {
                kind: ChangeKind::Authority,
                number: 1,
                entry: change(moved, jis("東京都公安委員会")?, "東京都公安")?,
            },
            Change {
                kind: ChangeKind::Address,
                number: 1,
                entry: change(moved, jis_gaiji("東京都〓飾区柴又七丁目３番５号", 3)?, "東京都公安")?,
            },
            Change {
                kind: ChangeKind::Condition,
                number: 1,
                entry: change(w(Reiwa, 7, 10, 1)?, jis("眼鏡等")?, "東京都公安")?,
            },
        ],
        unknown: Vec::new(),
    };
    p.change_glyphs =
        ChangeGlyphs { flag: Some(FLAG_ADDED), glyphs: [Some(katsu()), None, None, None, None], unknown: Vec::new() };
    p.domicile_changes = DomicileChanges {
        flag: Some(FLAG_ADDED),
        changes: vec![DomicileChange {
            number: 1,
            entry: change(moved, jis("東京都杉並区阿佐谷南一丁目１５番")?, "東京都公安")?,
        }],
        unknown: Vec::new(),
    };
    p.pins.pin1 = "8080";
    p.pins.pin2 = Some("9191");
    p.portrait = 4;
    out.push(p);

    let mut p = base(Holder {
        id: "ic05-gaiji-name",
        description: "Family name with an external character: 𠮷 as marker FFF1, its 32x32 glyph in EF03 tag 48",
        name: jis_gaiji("〓田　美穂", 1)?,
        kana: "ヨシダ　ミホ",
        birth: w(Heisei, 2, 1, 25)?,
        address: "岐阜県岐阜市薮田南二丁目１番１号",
        domicile: "岐阜県岐阜市薮田南二丁目１番",
        commission: "岐阜県公安委員会",
        number: number("5309011223", 0)?,
        reference: "70707",
        colour: "優良",
        issue: w(Reiwa, 5, 1, 10)?,
        expiry: w(Reiwa, 10, 2, 25)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Heisei, 21, 3, 3)?), (OrdinaryMotorcycle, w(Heisei, 23, 8, 8)?)]);
    p.entries.first_licensed.two_small_moped = Some(w(Heisei, 23, 8, 8)?);
    p.entries.first_licensed.other = Some(w(Heisei, 21, 3, 3)?);
    p.glyphs = Some(Glyphs { glyphs: [Some(tsuchi_yoshi()), None], unknown: Vec::new() });
    p.pins.pin1 = "1111";
    p.pins.pin2 = Some("2222");
    p.portrait = 5;
    out.push(p);

    let mut p = base(Holder {
        id: "ic06-pin2-unknown",
        description: "PINs set, the holder does not know PIN2: the reader gets MF/EF01-02 and DF1/EF01, EF04, \
                      EF05, EF07 but not 本籍 (EF02, EF06) or the photo, so the signature stays unchecked \
                      (verdict incomplete)",
        name: jis("井上　拓也")?,
        kana: "イノウエ　タクヤ",
        birth: w(Showa, 47, 6, 30)?,
        address: "兵庫県神戸市中央区下山手通五丁目１０番１号",
        domicile: "兵庫県神戸市中央区下山手通五丁目１０番",
        commission: "兵庫県公安委員会",
        number: number("6391024680", 0)?,
        reference: "11235",
        colour: "一般",
        issue: w(Reiwa, 6, 6, 20)?,
        expiry: w(Reiwa, 9, 7, 30)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Heisei, 3, 5, 5)?), (LargeSpecial, w(Heisei, 12, 9, 1)?)]);
    p.entries.first_licensed.other = Some(w(Heisei, 3, 5, 5)?);
    p.pins.pin1 = "4321";
    p.pins.pin2 = None;
    p.portrait = 6;
    p.verdict = "incomplete";
    p.unchecked_checks = &["ic_licence.signature", "ic_licence.signer_certificate"];
    out.push(p);

    let mut p = base(Holder {
        id: "ic07-pin1-one-try",
        description: "PIN1 has one try left: a reader refuses to spend it unless allowed (--allow-last-try)",
        name: jis("木村　陽子")?,
        kana: "キムラ　ヨウコ",
        birth: w(Heisei, 7, 12, 12)?,
        address: "新潟県新潟市中央区新光町４番地１",
        domicile: "新潟県新潟市中央区新光町４番地",
        commission: "新潟県公安委員会",
        number: number("4614055555", 0)?,
        reference: "24680",
        colour: "一般",
        issue: w(Reiwa, 7, 1, 15)?,
        expiry: w(Reiwa, 10, 1, 12)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Heisei, 26, 2, 14)?)]);
    p.entries.first_licensed.other = Some(w(Heisei, 26, 2, 14)?);
    p.pins.pin1 = "7777";
    p.pins.pin2 = Some("8888");
    p.pins.pin1_tries = 1;
    p.portrait = 7;
    out.push(p);

    let mut p = base(Holder {
        id: "ic08-pin1-blocked",
        description: "PIN1 blocked (0 tries): the card answers 6984 and nothing behind PIN1 can be read; \
                      submission.json holds what the card contains",
        name: jis("林　正人")?,
        kana: "ハヤシ　マサト",
        birth: w(Showa, 33, 4, 4)?,
        address: "岡山県岡山市北区内山下二丁目４番６号",
        domicile: "岡山県岡山市北区内山下二丁目４番",
        commission: "岡山県公安委員会",
        number: number("7277031313", 1)?,
        reference: "99001",
        colour: "優良",
        issue: w(Reiwa, 5, 3, 1)?,
        expiry: w(Reiwa, 10, 5, 4)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Showa, 52, 11, 11)?), (Moped, w(Showa, 51, 5, 5)?)]);
    p.entries.first_licensed.two_small_moped = Some(w(Showa, 51, 5, 5)?);
    p.entries.first_licensed.other = Some(w(Showa, 52, 11, 11)?);
    condition(&mut p, 0, "眼鏡等")?;
    p.pins.pin1 = "0000";
    p.pins.pin2 = Some("9999");
    p.pins.pin1_tries = 0;
    p.portrait = 8;
    out.push(p);

    let mut p = base(Holder {
        id: "ic09-short-reads",
        description: "A reader that cuts every response at 256 bytes: EF01 (address over 127 bytes, 82 length \
                      form), EF07 and the photo must be read in chunks",
        name: jis("斎藤　健太郎")?,
        kana: "サイトウ　ケンタロウ",
        birth: w(Showa, 62, 8, 19)?,
        address: "熊本県上益城郡山都町大字浜町字中央通り二千三百四十五番地の六十七　\
                  山都グリーンヒルズレジデンス南棟第二別館九八七号室　管理組合気付",
        domicile: "熊本県熊本市中央区水前寺六丁目１８番",
        commission: "熊本県公安委員会",
        number: number("9306077777", 0)?,
        reference: "86420",
        colour: "一般",
        issue: w(Reiwa, 6, 8, 1)?,
        expiry: w(Reiwa, 9, 9, 19)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Heisei, 18, 1, 30)?), (LargeMotorcycle, w(Heisei, 20, 6, 6)?)]);
    p.entries.first_licensed.two_small_moped = Some(w(Heisei, 20, 6, 6)?);
    p.entries.first_licensed.other = Some(w(Heisei, 18, 1, 30)?);
    p.spec_version = "009";
    p.manufacturer_id = 0x04;
    p.pins.pin1 = "3141";
    p.pins.pin2 = Some("5926");
    p.reads_cut_at_256 = true;
    p.portrait = 9;
    out.push(p);

    let mut p = base(Holder {
        id: "ic10-expired",
        description: "Spec-007 card that expired on 令和7年3月11日 (2025-03-11): verdict invalid with \
                      ic_licence.expiry",
        name: jis("山口　幸子")?,
        kana: "ヤマグチ　サチコ",
        birth: w(Showa, 24, 2, 11)?,
        address: "香川県高松市番町四丁目１番１０号",
        domicile: "香川県高松市番町四丁目１番",
        commission: "香川県公安委員会",
        number: number("8173024242", 0)?,
        reference: "10101",
        colour: "優良",
        issue: w(Reiwa, 4, 1, 20)?,
        expiry: w(Reiwa, 7, 3, 11)?,
    })?;
    hold(&mut p, &[(Ordinary, w(Showa, 48, 9, 9)?)]);
    p.entries.first_licensed.other = Some(w(Showa, 48, 9, 9)?);
    condition(&mut p, 0, "眼鏡等")?;
    p.spec_version = "007";
    p.pins.pin1 = "6543";
    p.pins.pin2 = Some("2109");
    p.portrait = 10;
    p.verdict = "invalid";
    p.failed_checks = &["ic_licence.expiry"];
    out.push(p);

    Ok(out)
}
