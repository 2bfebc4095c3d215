//! The malformed-input and tampered-data corpus, derived from the first persona's card.
//!
//! Expected offsets are located by a small TLV walker of this file's own, independent of
//! the decoders under test, so a decoder bug cannot make its own expectation.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

use crate::Error;
use crate::card::{CardFiles, wef03_for};
use crate::pki::TestPki;

/// What a vector must do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decode", rename_all = "snake_case")]
pub enum Expect {
    /// The record decoder fails with this kind, tag and offset.
    Error { kind: &'static str, tag: Option<String>, offset: usize },
    /// The submission parser refuses the document with this code.
    Refused { code: &'static str },
    /// Decoding succeeds; verification gives this verdict with these checks failing.
    Ok { verdict: &'static str, failed_checks: Vec<&'static str> },
}

/// One vector of the corpus.
#[derive(Debug, Clone)]
pub struct Vector {
    pub id: &'static str,
    pub description: &'static str,
    /// Which decoder reads it: wef01, wef02, wef03, ef0002, ef0003, ef0004, ef0007 or submission.
    pub record: &'static str,
    pub bytes: Vec<u8>,
    pub expect: Expect,
}

/// Position of one licence-AP item: tag, length and value offsets.
#[derive(Debug, Clone, Copy)]
struct At {
    tag: usize,
    len: usize,
    value: usize,
    size: usize,
}

fn get(raw: &[u8], i: usize) -> Result<usize, Error> {
    raw.get(i).map(|&b| usize::from(b)).ok_or(Error::Invariant("walker ran off the record"))
}

/// Finds `tag` in a licence-AP record by walking its TLVs.
fn licence_item(raw: &[u8], want: u16) -> Result<At, Error> {
    let mut i = 0;
    while i < raw.len() {
        let tag_at = i;
        let first = get(raw, i)?;
        let tag = if first == 0x01 {
            i += 2;
            0x0100 | get(raw, i - 1)?
        } else {
            i += 1;
            first
        };
        let len_at = i;
        let (len, hdr) = match get(raw, i)? {
            0x81 => (get(raw, i + 1)?, 2),
            0x82 => (get(raw, i + 1)? * 256 + get(raw, i + 2)?, 3),
            n => (n, 1),
        };
        i += hdr;
        if tag == usize::from(want) {
            return Ok(At { tag: tag_at, len: len_at, value: i, size: len });
        }
        i += len;
    }
    Err(Error::Invariant("tag not found"))
}

/// Finds the BER item with `tag` among the items that follow each other from `start`.
fn ber_find(raw: &[u8], start: usize, tag: &[u8]) -> Result<At, Error> {
    let mut i = start;
    while i < raw.len() {
        let tag_at = i;
        let t_len = if get(raw, i)? & 0x1F == 0x1F { 2 } else { 1 };
        let this = raw.get(i..i + t_len).ok_or(Error::Invariant("walker ran off the record"))?;
        i += t_len;
        let len_at = i;
        let (len, hdr) = match get(raw, i)? {
            0x81 => (get(raw, i + 1)?, 2),
            0x82 => (get(raw, i + 1)? * 256 + get(raw, i + 2)?, 3),
            n => (n, 1),
        };
        i += hdr;
        if this == tag {
            return Ok(At { tag: tag_at, len: len_at, value: i, size: len });
        }
        i += len;
    }
    Err(Error::Invariant("BER tag not found"))
}

/// Finds an item inside the record's outer TLV.
fn ber_item(raw: &[u8], outer: &[u8], tag: &[u8]) -> Result<At, Error> {
    let o = ber_find(raw, 0, outer)?;
    ber_find(raw, o.value, tag)
}

/// A BER TLV with the shortest length form (the walker's own encoder).
fn ber(tag: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let n = value.len();
    match (u8::try_from(n), u16::try_from(n)) {
        (Ok(short), _) if short < 0x80 => out.push(short),
        (Ok(one), _) => out.extend([0x81, one]),
        (_, Ok(two)) => {
            out.push(0x82);
            out.extend(two.to_be_bytes());
        }
        _ => {}
    }
    out.extend_from_slice(value);
    out
}

fn set(raw: &mut [u8], i: usize, b: u8) -> Result<(), Error> {
    *raw.get_mut(i).ok_or(Error::Invariant("mutation outside the record"))? = b;
    Ok(())
}

fn flip(raw: &mut [u8], i: usize) -> Result<(), Error> {
    let b = *raw.get(i).ok_or(Error::Invariant("mutation outside the record"))?;
    set(raw, i, b ^ 0x01)
}

fn err(kind: &'static str, tag: &str, offset: usize) -> Expect {
    Expect::Error { kind, tag: Some(tag.to_string()), offset }
}

fn invalid(failed: &[&'static str]) -> Expect {
    Expect::Ok { verdict: "invalid", failed_checks: failed.to_vec() }
}

/// A submission JSON of `card` with one file replaced.
fn submission_with(card: &CardFiles, edit: impl FnOnce(&mut CardFiles)) -> Vec<u8> {
    let mut c = card.clone();
    edit(&mut c);
    c.submission().to_json_pretty().into_bytes()
}

#[allow(clippy::too_many_lines)] // the corpus is one list
pub fn corpus(card: &CardFiles, pki: &TestPki) -> Result<Vec<Vector>, Error> {
    let mut v = Vec::new();
    let wef02 = &card.wef02;
    let mut push = |id, description, record, bytes, expect| v.push(Vector { id, description, record, bytes, expect });

    // --- WEF02 -----------------------------------------------------------------------------
    let photo = licence_item(wef02, 0x0107)?;
    let mut b = wef02.clone();
    b.truncate(photo.value + photo.size / 2);
    push(
        "wef02-truncated-in-photo",
        "WEF02 cut in the middle of the portrait",
        "wef02",
        b,
        err("length_past_end", "0107", photo.value),
    );
    let mut b = wef02.clone();
    b.truncate(photo.len + 1);
    push(
        "wef02-truncated-in-length",
        "WEF02 cut inside the 82 hh ll length of the portrait",
        "wef02",
        b,
        err("truncated", "0107", photo.len + 1),
    );
    let mut b = wef02.clone();
    b.push(0x00);
    let size = u16::try_from(photo.size + 2).map_err(|_| Error::Invariant("photo size"))?.to_be_bytes();
    set(&mut b, photo.len + 1, size[0])?;
    set(&mut b, photo.len + 2, size[1])?;
    push(
        "wef02-length-past-end",
        "Portrait length one byte past the end of WEF02",
        "wef02",
        b,
        err("length_past_end", "0107", photo.value),
    );

    let expiry = licence_item(wef02, 0xC5)?;
    let mut b = wef02.clone();
    b.splice(expiry.value..expiry.value + 7, *b"5130229");
    push(
        "wef02-bad-date",
        "Expiry 令和13年2月29日 (2031 is not a leap year)",
        "wef02",
        b,
        err("bad_date", "C5", expiry.value),
    );
    let other = licence_item(wef02, 0xEA)?;
    let mut b = wef02.clone();
    b.splice(other.value..other.value + 7, *b"3640108");
    push(
        "wef02-outside-era",
        "First licence 昭和64年1月8日, a day that does not exist",
        "wef02",
        b,
        err("bad_date", "EA", other.value),
    );
    let mut b = wef02.clone();
    b.splice(other.value..other.value + 7, *b"35a0401");
    push("wef02-date-not-digits", "A date with a letter in it", "wef02", b, err("bad_date", "EA", other.value));

    let colour = licence_item(wef02, 0xC4)?;
    let mut b = wef02.clone();
    set(&mut b, colour.value, 0x80)?;
    push("wef02-bad-jis", "Colour class with a byte outside 0x21-0x7E", "wef02", b, err("bad_jis", "C4", colour.value));
    let mut b = wef02.clone();
    set(&mut b, colour.value, 0x29)?;
    set(&mut b, colour.value + 1, 0x21)?;
    push(
        "wef02-unmapped-jis",
        "Colour class with JIS code 2921 (unassigned row)",
        "wef02",
        b,
        err("unmapped_jis", "C4", colour.value),
    );
    let mut b = wef02.clone();
    set(&mut b, colour.len, 0x83)?;
    push(
        "wef02-bad-length-form",
        "Length octet 83 (three length bytes) is not used by the licence AP",
        "wef02",
        b,
        err("bad_length", "C4", colour.len),
    );
    let mut b = wef02.clone();
    set(&mut b, expiry.tag, 0xC3)?;
    push("wef02-tag-out-of-order", "Tag C3 after C4", "wef02", b, err("tag_out_of_order", "C3", expiry.tag));
    let number = licence_item(wef02, 0xE7)?;
    let mut b = wef02.clone();
    set(&mut b, number.value + 11, b'X')?;
    push(
        "wef02-bad-licence-number",
        "Licence number with a letter",
        "wef02",
        b,
        err("not_digits", "E7", number.value + 11),
    );

    let mut info = menkyo_core::licence::Wef02::decode(wef02)?.info;
    info.photo = vec![0xA5; menkyo_core::profile::PHOTO_MAX];
    let mut b = info.encode()?;
    let big = licence_item(&b, 0x0107)?;
    b.splice(big.len..big.value, [0x82, 0x07, 0xD1]);
    b.push(0xA5);
    push(
        "wef02-photo-too-large",
        "Portrait of 2001 bytes (maximum 2000)",
        "wef02",
        b,
        err("photo_too_large", "0107", big.value),
    );
    let mut b = wef02.clone();
    b.resize(menkyo_core::profile::WEF02_MAX + 1, 0xFF);
    push(
        "wef02-record-too-large",
        "WEF02 of 5846 bytes (maximum 5845)",
        "wef02",
        b,
        Expect::Error { kind: "record_too_large", tag: None, offset: 0 },
    );

    // --- WEF01 / WEF03 ---------------------------------------------------------------------
    push(
        "wef01-wrong-length",
        "PIN setting with an empty value",
        "wef01",
        vec![0xC1, 0x00],
        err("wrong_length", "C1", 2),
    );
    let mut b = card.wef03.clone();
    b.truncate(100);
    push("wef03-truncated", "WEF03 cut inside the signature value", "wef03", b, err("length_past_end", "0108", 5));
    let serial = licence_item(&card.wef03, 0x0109)?;
    let mut b = card.wef03.clone();
    set(&mut b, serial.value, 0x07)?;
    push(
        "wef03-bad-ascii",
        "Serial number with a control character",
        "wef03",
        b,
        err("bad_ascii", "0109", serial.value),
    );

    // --- EF 0002 / 0003 / 0004 / 0007 --------------------------------------------------------
    const FF20: &[u8] = &[0xFF, 0x20];
    let table = ber_item(&card.ef0002, FF20, &[0xDF, 0x21])?;
    let mut b = card.ef0002.clone();
    flip(&mut b, table.value + 1)?;
    push(
        "ef0002-offset-mismatch",
        "DF21 offset of the name off by one",
        "ef0002",
        b,
        err("offset_mismatch", "DF21", table.value),
    );
    let birth = ber_item(&card.ef0002, FF20, &[0xDF, 0x24])?;
    let mut b = card.ef0002.clone();
    b.splice(birth.value + 6..birth.value + 8, *b"30");
    push("ef0002-bad-birth-date", "Birth date on 30 February", "ef0002", b, err("bad_date", "DF24", birth.value));
    let name = ber_item(&card.ef0002, FF20, &[0xDF, 0x22])?;
    let mut b = card.ef0002.clone();
    set(&mut b, name.value, 0xFF)?;
    push("ef0002-bad-utf8", "Name that is not UTF-8", "ef0002", b, err("bad_utf8", "DF22", name.value));
    let outer = ber_find(&card.ef0002, 0, FF20)?;
    let mut b = card.ef0002.clone();
    b.truncate(20);
    push("ef0002-truncated", "EF 0002 cut after 20 bytes", "ef0002", b, err("length_past_end", "FF20", outer.value));

    let mut content = ber(&[0xDF, 0x31], &[0x11; 31]);
    content.extend(ber(&[0xDF, 0x32], &[0x22; 32]));
    content.extend(ber(&[0xDF, 0x33], &[0x33; 256]));
    let b = ber(&[0xFF, 0x30], &content);
    let df31 = ber_item(&b, &[0xFF, 0x30], &[0xDF, 0x31])?;
    push("ef0003-short-digest", "DF31 of 31 bytes", "ef0003", b, err("wrong_length", "DF31", df31.value));

    let body = ber_item(&card.ef0004, &[0x7F, 0x21], &[0x5F, 0x4E])?;
    let mut b = card.ef0004.clone();
    set(&mut b, body.value + 16 + 7, 0x09)?;
    push(
        "ef0004-bad-key-id",
        "Subject key id without the 08 05 separator",
        "ef0004",
        b,
        err("bad_key_id", "5F4E", body.value + 16),
    );
    let mut b = card.ef0004.clone();
    b.truncate(300);
    push("ef0004-truncated", "CV certificate cut after 300 bytes", "ef0004", b, err("length_past_end", "7F21", 5));

    let mut key = ber(&[0x90], &[1, 0, 1]);
    key.extend(ber(&[0x91], &[0xC5; 255]));
    let mut content = ber(&[0xDF, 0x51], &key);
    content.extend(ber(&[0xDF, 0x52], &[0; 256]));
    let b = ber(&[0xFF, 0x50], &content);
    let df51 = ber_item(&b, &[0xFF, 0x50], &[0xDF, 0x51])?;
    let m = ber_find(&b, df51.value, &[0x91])?;
    push(
        "ef0007-short-modulus",
        "Card public key with a 255-byte modulus",
        "ef0007",
        b,
        err("wrong_length", "91", m.value),
    );

    // --- Submissions -------------------------------------------------------------------------
    let good = card.submission().to_json_pretty();
    let mut doc: serde_json::Value = serde_json::from_str(&good)?;
    doc["licence"]["wef02"] = "not base64!".into();
    push(
        "submission-bad-base64",
        "wef02 is not base64",
        "submission",
        doc.to_string().into_bytes(),
        Expect::Refused { code: "base64" },
    );
    let mut doc: serde_json::Value = serde_json::from_str(&good)?;
    doc["format"] = "menkyo-submission/99".into();
    push(
        "submission-unknown-format",
        "Unknown format string",
        "submission",
        doc.to_string().into_bytes(),
        Expect::Refused { code: "unknown_format" },
    );
    let mut doc: serde_json::Value = serde_json::from_str(&good)?;
    doc["kenhojo"]["ef0001"] = STANDARD.encode(&card.ef0001).into();
    push(
        "submission-individual-number",
        "A submission carrying EF 0001 (個人番号) is refused",
        "submission",
        doc.to_string().into_bytes(),
        Expect::Refused { code: "individual_number" },
    );
    push(
        "submission-not-json",
        "Truncated JSON",
        "submission",
        good.as_bytes().get(..40).unwrap_or_default().to_vec(),
        Expect::Refused { code: "json" },
    );

    // --- Tampered signed data (decodes, must not verify) ---------------------------------
    let mut b = wef02.clone();
    let yuryo = menkyo_core::JisText::encode_str("一般").map_err(|_| Error::Invariant("jis"))?;
    b.splice(colour.value..colour.value + 4, yuryo.raw().iter().copied());
    push(
        "tampered-wef02-colour",
        "Colour class changed from 優良 to 一般 after signing",
        "submission",
        submission_with(card, |c| c.wef02 = b),
        invalid(&["licence.signature"]),
    );
    let mut b = wef02.clone();
    flip(&mut b, photo.value + photo.size / 2)?;
    push(
        "tampered-wef02-photo",
        "One bit of the portrait changed after signing",
        "submission",
        submission_with(card, |c| c.wef02 = b),
        invalid(&["licence.signature"]),
    );
    let mut b = wef02.clone();
    b.splice(expiry.value..expiry.value + 7, *b"5200317");
    push(
        "tampered-wef02-expiry",
        "Expiry moved to 令和20年 after signing",
        "submission",
        submission_with(card, |c| c.wef02 = b),
        invalid(&["licence.signature"]),
    );
    let sig = licence_item(&card.wef03, 0x0108)?;
    let mut b = card.wef03.clone();
    flip(&mut b, sig.value + 100)?;
    push(
        "tampered-wef03-signature",
        "One bit of the WEF03 signature changed",
        "submission",
        submission_with(card, |c| c.wef03 = b),
        invalid(&["licence.signature"]),
    );
    let mut b = card.wef03.clone();
    let ski = licence_item(&card.wef03, 0x010D)?;
    flip(&mut b, ski.value)?;
    push(
        "tampered-wef03-unknown-signer",
        "Subject key identifier that names no signer in the store",
        "submission",
        submission_with(card, |c| c.wef03 = b),
        invalid(&["licence.signature", "licence.signer_certificate"]),
    );
    let mut b = card.ef0002.clone();
    flip(&mut b, name.value + 3)?;
    push(
        "tampered-ef0002-name",
        "One character of the name changed (UTF-8 kept valid)",
        "submission",
        submission_with(card, |c| c.ef0002 = b),
        invalid(&["kenhojo.digest"]),
    );
    let df32 = ber_item(&card.ef0003, &[0xFF, 0x30], &[0xDF, 0x32])?;
    let mut b = card.ef0003.clone();
    flip(&mut b, df32.value)?;
    push(
        "tampered-ef0003-digest",
        "DF32 changed: the signature and the digest both fail",
        "submission",
        submission_with(card, |c| c.ef0003 = b),
        invalid(&["kenhojo.signature", "kenhojo.digest"]),
    );
    // The body holds two 16-byte key ids, then 90 (exponent) and 91 (modulus).
    let exponent = ber_find(&card.ef0004, body.value + 32, &[0x90])?;
    let modulus = ber_find(&card.ef0004, exponent.value + exponent.size, &[0x91])?;
    let mut b = card.ef0004.clone();
    flip(&mut b, modulus.value + 128)?;
    push(
        "tampered-ef0004-key",
        "CV certificate modulus changed: the certificate and everything signed with it fail",
        "submission",
        submission_with(card, |c| c.ef0004 = b),
        invalid(&["kenhojo.certificate", "kenhojo.signature", "freshness.card_key"]),
    );
    let card_df51 = ber_item(&card.ef0007, &[0xFF, 0x50], &[0xDF, 0x51])?;
    let card_modulus = ber_find(&card.ef0007, card_df51.value, &[0x91])?;
    let mut b = card.ef0007.clone();
    flip(&mut b, card_modulus.value + 128)?;
    push(
        "tampered-ef0007-key",
        "Card public key changed",
        "submission",
        submission_with(card, |c| c.ef0007 = b),
        invalid(&["freshness.card_key", "freshness.signature"]),
    );
    let mut challenge = card.challenge.clone();
    flip(&mut challenge, 0)?;
    push(
        "tampered-freshness-challenge",
        "Challenge that the cards did not sign",
        "submission",
        submission_with(card, |c| c.challenge = challenge),
        invalid(&["freshness.signature", "freshness.kenkaku"]),
    );

    // WEF02 with trailing filler: signed over the TLVs only, or over the whole EF as read.
    let mut padded = wef02.clone();
    padded.extend_from_slice(&[0xFF; 16]);
    let whole_signed = wef03_for(&padded, pki)?;
    let unsigned = padded.clone();
    push(
        "wef02-trailing-filler-unsigned",
        "16 FF bytes after the last TLV, signature over the TLVs",
        "submission",
        submission_with(card, |c| c.wef02 = unsigned),
        Expect::Ok { verdict: "valid", failed_checks: vec![] },
    );
    push(
        "wef02-trailing-filler-signed",
        "16 FF bytes after the last TLV, signature over the whole EF as read",
        "submission",
        submission_with(card, |c| {
            c.wef02 = padded;
            c.wef03 = whole_signed;
        }),
        Expect::Ok { verdict: "valid", failed_checks: vec![] },
    );

    // --- The kenkaku age record ----------------------------------------------------------
    let age = &card.kenkaku_ef0001;
    let birth = ber_item(age, &[0xFF, 0x10], &[0xDF, 0x11])?;
    let mut b = age.clone();
    b.truncate(birth.value + 4);
    push(
        "kenkaku-ef0001-truncated",
        "Age record cut inside the birth date",
        "kenkaku_ef0001",
        b,
        err("length_past_end", "FF10", ber_find(age, 0, &[0xFF, 0x10])?.value),
    );
    let mut b = age.clone();
    set(&mut b, birth.value + 4, b'1')?;
    set(&mut b, birth.value + 5, b'3')?;
    push(
        "kenkaku-ef0001-bad-birth-date",
        "Birth date with month 13",
        "kenkaku_ef0001",
        b,
        err("bad_date", "DF11", birth.value),
    );
    let mut b = age.clone();
    // The year 1980 becomes 1970: ten years older than the card says.
    let year = b.get(birth.value + 2).copied().ok_or(Error::Invariant("birth year"))?;
    set(&mut b, birth.value + 2, year.wrapping_sub(1))?;
    push(
        "tampered-kenkaku-birth-date",
        "Birth date of the age record changed after signing (a decade older)",
        "submission",
        submission_with(card, |c| c.kenkaku_ef0001 = b),
        invalid(&["kenkaku.signature"]),
    );
    let key = ber_item(age, &[0xFF, 0x10], &[0xDF, 0x12])?;
    let modulus = ber_find(age, key.value, &[0x91])?;
    let mut b = age.clone();
    flip(&mut b, modulus.value + 128)?;
    push(
        "tampered-kenkaku-card-key",
        "The card key of the age record swapped after signing",
        "submission",
        submission_with(card, |c| c.kenkaku_ef0001 = b),
        invalid(&["kenkaku.signature", "freshness.kenkaku"]),
    );
    push(
        "kenkaku-certificate-of-another-ap",
        "Kenkaku EF 0004 replaced by the input-assist AP's CV certificate: its CA is no kenkaku anchor",
        "submission",
        submission_with(card, |c| c.kenkaku_ef0004 = c.ef0004.clone()),
        invalid(&["kenkaku.certificate", "kenkaku.signature"]),
    );

    // A portrait that declares 2048x2048 pixels in 242 bytes, validly signed: decoding it would
    // cost megabytes per request. Verifiers refuse it by its declared size before decoding.
    let mut info = menkyo_core::licence::Wef02::decode(wef02)?.info;
    info.photo = crate::HOSTILE_PORTRAIT.to_vec();
    let (hostile02, hostile03) = crate::card::sign_licence(&info, pki)?;
    push(
        "hostile-portrait-2048",
        "A validly signed portrait declaring 2048x2048 pixels (242 bytes of JPEG 2000)",
        "submission",
        submission_with(card, |c| {
            c.wef02 = hostile02;
            c.wef03 = hostile03;
        }),
        Expect::Ok { verdict: "valid", failed_checks: vec![] },
    );
    Ok(v)
}
