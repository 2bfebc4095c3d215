//! Readable `.txt` dumps written next to every binary vector.

use std::fmt::Write as _;

use menkyo_core::ic_licence::{
    CategoryDate, ChangeEntry, ChangeGlyphs, Changes, CommonData, Domicile, DomicileChanges, Entries, Glyph, Glyphs,
    Photo, Signature,
};
use menkyo_core::kenhojo::{ApInfo, CardKey, CvCertificate, Ef0002, Ef0003};
use menkyo_core::licence::{PinSetting, Wef02, Wef03};
use menkyo_core::{JisText, WarekiDate};

/// Which decoder explains a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Wef01,
    Wef02,
    Wef03,
    Ef0001,
    Ef0002,
    Ef0003,
    Ef0004,
    Ef0005,
    Ef0007,
    KenkakuEf0001,
    Portrait,
    /// Conventional IC licence: MF/EF01.
    IcCommonData,
    /// MF/EF02.
    IcPinSetting,
    /// DF1/EF01.
    IcEntries,
    /// DF1/EF02.
    IcDomicile,
    /// DF1/EF03.
    IcGlyphs,
    /// DF1/EF04.
    IcChanges,
    /// DF1/EF05.
    IcChangeGlyphs,
    /// DF1/EF06.
    IcDomicileChanges,
    /// DF1/EF07.
    IcSignature,
    /// DF2/EF01.
    IcPhoto,
    Other,
}

impl Kind {
    /// The kind of an IC licence record named as in the manifest (`ic_entries`, …).
    pub fn of_ic_record(record: &str) -> Option<Kind> {
        Some(match record {
            "ic_common_data" => Kind::IcCommonData,
            "ic_pin_setting" => Kind::IcPinSetting,
            "ic_entries" => Kind::IcEntries,
            "ic_domicile" => Kind::IcDomicile,
            "ic_glyphs" => Kind::IcGlyphs,
            "ic_changes" => Kind::IcChanges,
            "ic_change_glyphs" => Kind::IcChangeGlyphs,
            "ic_domicile_changes" => Kind::IcDomicileChanges,
            "ic_signature" => Kind::IcSignature,
            "ic_photo" => Kind::IcPhoto,
            _ => return None,
        })
    }
}

/// Hex dump, 16 bytes a line with offsets.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::new();
    for (i, line) in bytes.chunks(16).enumerate() {
        let hex: Vec<String> = line.iter().map(|b| format!("{b:02X}")).collect();
        let ascii: String = line.iter().map(|&b| if (0x20..0x7F).contains(&b) { char::from(b) } else { '.' }).collect();
        let _ = writeln!(out, "{:04X}  {:<47}  {}", i * 16, hex.join(" "), ascii);
    }
    out
}

fn date(d: Option<WarekiDate>) -> String {
    d.map_or_else(|| "(none)".to_string(), |d| format!("{d} = {}", d.to_gregorian()))
}

fn text(t: &JisText) -> String {
    if t.is_empty() { "(empty)".to_string() } else { t.to_string() }
}

fn short_hex(b: &[u8]) -> String {
    let head: String = b.iter().take(8).map(|x| format!("{x:02X}")).collect();
    if b.len() > 8 { format!("{head}… ({} bytes)", b.len()) } else { format!("{head} ({} bytes)", b.len()) }
}

fn opt_text(t: Option<&JisText>) -> String {
    t.map_or_else(|| "(not on the card)".to_string(), text)
}

/// A 32 × 32 glyph as 32 lines of `#` and `.`.
fn glyph_art(o: &mut String, g: &Glyph) {
    for y in 0..menkyo_core::profile::IC_GLYPH_SIDE {
        let line: String =
            (0..menkyo_core::profile::IC_GLYPH_SIDE).map(|x| if g.dot(x, y) { '#' } else { '.' }).collect();
        let _ = writeln!(o, "    {line}");
    }
}

fn change_entry(e: &ChangeEntry) -> String {
    format!("{} by {} (edition {:02X}): {}", date(e.date), text(&e.authority), e.jis_edition, text(&e.value))
}

/// The IC licence records (ic-licence.md §2-§6).
fn decoded_ic(kind: Kind, raw: &[u8], o: &mut String) -> Result<(), menkyo_core::DecodeError> {
    match kind {
        Kind::IcCommonData => CommonData::decode(raw).map(|c| {
            let _ = writeln!(o, "45 spec version: {} (number {:?})", c.spec_version, c.spec_version_number());
            let _ = writeln!(o, "45 issue date (BCD): {}", c.issue_date);
            let _ = writeln!(o, "45 expiry (BCD): {}", c.expiry);
            let _ = writeln!(
                o,
                "46 manufacturer id: {:02X}, crypto function id: {:02X}",
                c.manufacturer_id, c.crypto_function_id
            );
            let _ = writeln!(o, "not signed: never verified data");
        }),
        Kind::IcPinSetting => menkyo_core::ic_licence::PinSetting::decode(raw).map(|p| {
            let _ = writeln!(o, "05 PIN setting: {p:?}");
        }),
        Kind::IcEntries => Entries::decode(raw).map(|e| {
            let i = e.info();
            let _ = writeln!(
                o,
                "11 JIS X 0208 edition: {}",
                i.jis_edition.map_or("(not on the card)".into(), |b| format!("{b:02X}"))
            );
            let _ = writeln!(
                o,
                "12 name: {} (gaiji slots {:?})",
                opt_text(e.name()),
                e.name().map(|n| n.gaiji_slots().collect::<Vec<_>>()).unwrap_or_default()
            );
            let _ = writeln!(o, "13 kana: {}", opt_text(e.kana()));
            let _ = writeln!(o, "14 alias: {}", opt_text(i.alias.as_ref()));
            let _ = writeln!(o, "15 unified name: {}", opt_text(i.unified_name.as_ref()));
            let _ = writeln!(o, "16 birth date: {}", date(e.birth_date()));
            let _ = writeln!(
                o,
                "17 address: {} ({} bytes)",
                opt_text(e.address()),
                e.address().map_or(0, |a| a.raw().len())
            );
            let _ = writeln!(o, "18 issue date: {}", date(e.issue_date()));
            let _ = writeln!(
                o,
                "19 reference number: {}",
                e.reference_number().map_or("(not on the card)".into(), ToString::to_string)
            );
            let _ = writeln!(o, "1A colour class: {}", opt_text(e.colour_class()));
            let _ = writeln!(o, "1B expiry: {}", date(e.expiry()));
            for (n, c) in i.conditions.iter().enumerate() {
                let _ = writeln!(o, "{:02X} condition {}: {}", 0x1C + n, n + 1, opt_text(c.as_ref()));
            }
            let _ = writeln!(o, "20 commission: {}", opt_text(e.commission()));
            let _ = writeln!(
                o,
                "21 licence number: {} (check digit {})",
                e.licence_number().map_or("(not on the card)".into(), ToString::to_string),
                match e.licence_number_check_digit_ok() {
                    Some(true) => "ok",
                    Some(false) => "mismatch (a warning)",
                    None => "-",
                }
            );
            let f = e.first_licensed();
            let _ = writeln!(o, "22 first licensed 二・小・原: {}", date(f.two_small_moped));
            let _ = writeln!(o, "23 first licensed 他: {}", date(f.other));
            let _ = writeln!(o, "24 first licensed 二種: {}", date(f.class2));
            for (n, (c, d)) in e.categories().iter().enumerate() {
                let state = match d {
                    CategoryDate::NotOnCard => "not on the card (older spec)".to_string(),
                    CategoryDate::NotHeld => "not held".to_string(),
                    CategoryDate::Since(d) => format!("held since {}", date(Some(d))),
                };
                let _ = writeln!(o, "{:02X} {}: {state}", 0x25 + n, c.name_ja());
            }
            for u in &i.unknown {
                let _ = writeln!(o, "{} (unknown): {}", u.tag, short_hex(&u.value));
            }
            let _ = writeln!(o, "signed (tlv form): 0..{}, then FF padding to {}", e.part().tlv().len(), raw.len());
        }),
        Kind::IcDomicile => Domicile::decode(raw).map(|d| {
            let _ = writeln!(o, "41 本籍: {}", text(d.value()));
            let _ = writeln!(o, "signed (tlv form): 0..{}, then FF padding to {}", d.part().tlv().len(), raw.len());
        }),
        Kind::IcGlyphs => Glyphs::decode(raw).map(|g| {
            for slot in 1..=2u8 {
                match g.glyph(slot) {
                    Some(glyph) => {
                        let _ = writeln!(o, "{:02X} glyph of 外字 {slot} (FFF{slot}):", 0x47 + slot);
                        glyph_art(o, glyph);
                    }
                    None => {
                        let _ = writeln!(o, "{:02X} glyph of 外字 {slot}: (none)", 0x47 + slot);
                    }
                }
            }
        }),
        Kind::IcChanges => Changes::decode(raw).map(|c| {
            let _ = writeln!(o, "50 追記の有無: {:?}", c.flag);
            if c.changes.is_empty() {
                let _ = writeln!(o, "no changes");
            }
            for ch in &c.changes {
                let _ = writeln!(
                    o,
                    "{}{} ({}): {}",
                    ch.kind.name_ja(),
                    ch.number,
                    ch.kind.as_str(),
                    change_entry(&ch.entry)
                );
            }
            let _ = writeln!(o, "not signed");
        }),
        Kind::IcChangeGlyphs => ChangeGlyphs::decode(raw).map(|g| {
            let _ = writeln!(o, "A0 flag: {:?}", g.flag);
            for slot in 3..=7u8 {
                if let Some(glyph) = g.glyph(slot) {
                    let _ = writeln!(o, "A{} glyph of 外字 {slot} (FFF{slot}):", slot - 2);
                    glyph_art(o, glyph);
                }
            }
        }),
        Kind::IcDomicileChanges => DomicileChanges::decode(raw).map(|d| {
            let _ = writeln!(o, "AA flag: {:?}", d.flag);
            for ch in &d.changes {
                let _ = writeln!(o, "新本籍{}: {}", ch.number, change_entry(&ch.entry));
            }
            let _ = writeln!(o, "not signed");
        }),
        Kind::IcSignature => Signature::decode(raw).map(|s| {
            let _ = writeln!(o, "B1 signature: {}", short_hex(&s.value));
            let _ = writeln!(o, "B2 serial: {}", s.serial);
            let _ = writeln!(o, "B3 reserved: {}", short_hex(&s.reserved));
            let _ = writeln!(o, "B4 issuer: {}", s.issuer);
            let _ = writeln!(o, "B5 subject: {}", s.subject);
            let _ = writeln!(o, "B6 subject key identifier: {}", short_hex(&s.key_id));
        }),
        Kind::IcPhoto => Photo::decode(raw).map(|p| {
            let _ = writeln!(o, "5F40 JPEG 2000 codestream: {}", short_hex(p.codestream()));
            let _ = writeln!(o, "signed (tlv form): 0..{}, then FF padding to {}", p.part().tlv().len(), raw.len());
        }),
        _ => Ok(()),
    }
}

/// What the decoder makes of the bytes (or its error).
pub fn decoded(kind: Kind, raw: &[u8]) -> String {
    let mut o = String::new();
    let r = match kind {
        Kind::Wef01 => PinSetting::decode(raw).map(|p| {
            let _ = writeln!(o, "PIN setting (C1): {p:?}");
        }),
        Kind::Wef02 => Wef02::decode(raw).map(|w| {
            let i = &w.info;
            let _ = writeln!(o, "profile: {:?}", i.holder());
            let _ = writeln!(o, "C2 driving-history record date: {}", date(i.history_record_date));
            let _ = writeln!(o, "C3 driving-history class: {:?}", i.history_class);
            let _ = writeln!(o, "C4 colour class: {}", text(&i.colour_class));
            let _ = writeln!(o, "C5 expiry: {}", date(i.expiry));
            for (n, c) in i.conditions.iter().enumerate().filter(|(_, c)| !c.is_empty()) {
                let _ =
                    writeln!(o, "condition {}: {} (gaiji slots {:?})", n + 1, c, c.gaiji_slots().collect::<Vec<_>>());
            }
            for (n, g) in i.gaiji.iter().enumerate().filter(|(_, g)| !g.is_empty()) {
                let _ = writeln!(o, "gaiji {} bitmap: {}", n + 1, short_hex(g));
            }
            for (n, r) in i.remarks.iter().enumerate().filter(|(_, r)| !r.is_empty()) {
                let _ = writeln!(o, "remark {}: {}", n + 1, r);
            }
            let _ = writeln!(
                o,
                "E7 licence number: {}",
                i.licence_number.as_ref().map_or("(none)".into(), |n| n.to_string())
            );
            let _ = writeln!(
                o,
                "E8 driving-history number: {}",
                i.history_number.as_ref().map_or("(none)".into(), |n| n.to_string())
            );
            let _ = writeln!(o, "E9 first licensed 二・小・原: {}", date(i.first_licensed.two_small_moped));
            let _ = writeln!(o, "EA first licensed 他: {}", date(i.first_licensed.other));
            let _ = writeln!(o, "EB first licensed 二種: {}", date(i.first_licensed.class2));
            let held: Vec<&str> = i.categories.iter().filter(|(_, h)| *h).map(|(c, _)| c.name_ja()).collect();
            let _ = writeln!(o, "categories held: {}", if held.is_empty() { "(none)".into() } else { held.join(" ") });
            let _ = writeln!(o, "0107 portrait: {}", short_hex(&i.photo));
            let _ = writeln!(o, "signed range (end of last TLV): 0..{}, trailing bytes: {}", w.tlv_end, w.trailing);
        }),
        Kind::Wef03 => Wef03::decode(raw).map(|w| {
            let i = &w.info;
            let _ = writeln!(o, "0108 signature: {}", short_hex(&i.signature));
            let _ = writeln!(o, "0109 serial: {}", i.serial);
            let _ = writeln!(o, "010B issuer: {}", i.issuer);
            let _ = writeln!(o, "010C subject: {}", i.subject);
            let _ = writeln!(o, "010D subject key identifier: {}", short_hex(&i.subject_key_id));
        }),
        Kind::Ef0001 => {
            let _ = writeln!(o, "個人番号 record (synthetic; never read by menkyo, never in a submission)");
            Ok(())
        }
        Kind::Ef0002 => Ef0002::decode(raw).map(|e| {
            let _ = writeln!(o, "DF22 name: {}", e.info.name);
            let _ = writeln!(o, "DF23 address: {} ({} bytes)", e.info.address, e.info.address.len());
            let _ = writeln!(o, "DF24 birth date: {}", e.info.birth_date);
            let _ = writeln!(o, "DF25 sex: {}", e.info.sex.as_str());
            let _ = writeln!(o, "DF32 digest range: {:?}, filler: {}", e.digest_range, e.trailing);
        }),
        Kind::Ef0003 => Ef0003::decode(raw).map(|e| {
            let _ = writeln!(o, "DF31 digest of EF 0001: {}", short_hex(&e.number_digest));
            let _ = writeln!(o, "DF32 digest of the basic four: {}", short_hex(&e.basic_four_digest));
            let _ = writeln!(o, "DF33 signature: {}", short_hex(&e.signature));
            let _ = writeln!(o, "signed range: {:?}", e.signed_range);
        }),
        Kind::Ef0004 => CvCertificate::decode(raw).map(|c| {
            let _ = writeln!(o, "issuer key id: {}", c.body.issuer);
            let _ = writeln!(o, "subject key id: {}", c.body.subject);
            let _ = writeln!(o, "public key: {:?}", c.body.public_key);
            let _ = writeln!(o, "5F37 signature: {}", short_hex(&c.signature));
        }),
        Kind::Ef0005 => ApInfo::decode(raw).map(|a| {
            for item in &a.items {
                let _ = writeln!(o, "{}: {}", item.tag, short_hex(&item.value));
            }
        }),
        Kind::Ef0007 => CardKey::decode(raw).map(|k| {
            let _ = writeln!(o, "DF51 card public key: {:?}", k.public_key);
            let _ = writeln!(o, "DF52 signature: {}", short_hex(&k.signature));
        }),
        Kind::KenkakuEf0001 => menkyo_core::kenkaku::Ef0001::decode(raw).map(|e| {
            let _ = writeln!(o, "birth date (DF11): {}", e.record.birth_date);
            let _ = writeln!(o, "card key (DF12): RSA-{} bits", e.record.card_key.modulus().len() * 8);
            let _ = writeln!(o, "signed range (DF11 || DF12): {:?}, filler: {}", e.signed_range, e.trailing);
        }),
        Kind::Portrait => {
            let _ = writeln!(o, "synthetic monochrome portrait, JPEG 2000 (JP2), {} bytes", raw.len());
            Ok(())
        }
        Kind::IcCommonData
        | Kind::IcPinSetting
        | Kind::IcEntries
        | Kind::IcDomicile
        | Kind::IcGlyphs
        | Kind::IcChanges
        | Kind::IcChangeGlyphs
        | Kind::IcDomicileChanges
        | Kind::IcSignature
        | Kind::IcPhoto => decoded_ic(kind, raw, &mut o),
        Kind::Other => Ok(()),
    };
    if let Err(e) = r {
        let _ = writeln!(o, "decode error: {e} [{}]", e.kind.code());
    }
    o
}

/// The whole dump: title, decoded view and hex.
pub fn dump(title: &str, kind: Kind, raw: &[u8]) -> String {
    format!("TEST ONLY - menkyo test vector\n{title}\n{} bytes\n\n{}\n{}", raw.len(), decoded(kind, raw), hex(raw))
}
