//! Readable `.txt` dumps written next to every binary vector.

use std::fmt::Write as _;

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
    Other,
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
