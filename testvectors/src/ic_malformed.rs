//! The malformed-input and tampered-data corpus of the conventional IC licence, derived from
//! the IC personas' cards.
//!
//! As in [`crate::malformed`], expected offsets are located by a small walker of this file's
//! own (1-byte tags, `nn` / `81 nn` / `82 hh ll` lengths, `FF` padding), independent of the
//! decoders under test.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use menkyo_core::ic_licence::SignedForm;

use crate::Error;
use crate::ic_card::{IcCardFiles, IcSigner};
use crate::ic_personas::IcPersona;
use crate::keys::Hash;
use crate::malformed::{Expect, Vector};
use crate::pki::TestPki;

/// Sizes of the EFs (ic-licence.md §2), restated so that the walker does not lean on the
/// decoders' profile.
const ENTRIES_EF: usize = 880;
const DOMICILE_EF: usize = 82;
const GLYPHS_EF: usize = 264;
const CHANGES_EF: usize = 640;
const CHANGE_GLYPHS_EF: usize = 663;
const SIGNATURE_EF: usize = 578;
const PHOTO_EF: usize = 2005;
const PADDING: u8 = 0xFF;

/// Position of one item: tag, length and value offsets, value size.
#[derive(Debug, Clone, Copy)]
struct At {
    tag: usize,
    len: usize,
    value: usize,
    size: usize,
}

fn get(raw: &[u8], i: usize) -> Result<usize, Error> {
    raw.get(i).map(|&b| usize::from(b)).ok_or(Error::Invariant("IC walker ran off the record"))
}

/// Length at `i`: (value length, length of the length field).
fn length(raw: &[u8], i: usize) -> Result<(usize, usize), Error> {
    Ok(match get(raw, i)? {
        0x81 => (get(raw, i + 1)?, 2),
        0x82 => (get(raw, i + 1)? * 256 + get(raw, i + 2)?, 3),
        n => (n, 1),
    })
}

/// Every item up to the padding.
fn items(raw: &[u8]) -> Result<Vec<(u8, At)>, Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&tag) = raw.get(i) {
        if tag == PADDING {
            break;
        }
        let (size, hdr) = length(raw, i + 1)?;
        let at = At { tag: i, len: i + 1, value: i + 1 + hdr, size };
        out.push((tag, at));
        i = at.value + size;
    }
    Ok(out)
}

/// Finds `want` in an IC licence record.
fn item(raw: &[u8], want: u8) -> Result<At, Error> {
    items(raw)?.into_iter().find(|(t, _)| *t == want).map(|(_, at)| at).ok_or(Error::Invariant("IC tag not found"))
}

/// Offset of the first padding byte.
fn end(raw: &[u8]) -> Result<usize, Error> {
    Ok(items(raw)?.last().map_or(0, |(_, at)| at.value + at.size))
}

/// The photo item `5F 40 82 hh ll`: offset and size of the codestream.
fn photo(raw: &[u8]) -> Result<At, Error> {
    if raw.get(..3) != Some(&[0x5F, 0x40, 0x82][..]) {
        return Err(Error::Invariant("photo does not start 5F 40 82"));
    }
    Ok(At { tag: 0, len: 2, value: 5, size: get(raw, 3)? * 256 + get(raw, 4)? })
}

fn set(raw: &mut [u8], i: usize, b: u8) -> Result<(), Error> {
    *raw.get_mut(i).ok_or(Error::Invariant("mutation outside the record"))? = b;
    Ok(())
}

fn flip(raw: &mut [u8], i: usize) -> Result<(), Error> {
    let b = *raw.get(i).ok_or(Error::Invariant("mutation outside the record"))?;
    set(raw, i, b ^ 0x01)
}

fn padded(mut tlv: Vec<u8>, size: usize) -> Vec<u8> {
    tlv.resize(size, PADDING);
    tlv
}

fn jis(s: &str) -> Result<Vec<u8>, Error> {
    Ok(menkyo_core::JisText::encode_str(s).map_err(|_| Error::Invariant("jis"))?.raw().to_vec())
}

fn err(kind: &'static str, tag: &str, offset: usize) -> Expect {
    Expect::Error { kind, tag: Some(tag.to_string()), offset }
}

fn untagged(kind: &'static str, offset: usize) -> Expect {
    Expect::Error { kind, tag: None, offset }
}

fn invalid(failed: &[&'static str]) -> Expect {
    Expect::Ok { verdict: "invalid", failed_checks: failed.to_vec() }
}

fn valid() -> Expect {
    Expect::Ok { verdict: "valid", failed_checks: Vec::new() }
}

/// A submission JSON (every EF) of `card` with some files replaced.
fn submission_with(card: &IcCardFiles, edit: impl FnOnce(&mut IcCardFiles)) -> Vec<u8> {
    let mut c = card.clone();
    edit(&mut c);
    c.full_submission().to_json_pretty().into_bytes()
}

fn card<'a>(cards: &'a [(IcPersona, IcCardFiles)], id: &str) -> Result<&'a IcCardFiles, Error> {
    cards.iter().find(|(p, _)| p.id == id).map(|(_, c)| c).ok_or(Error::Invariant("IC corpus persona missing"))
}

#[allow(clippy::too_many_lines)] // the corpus is one list
pub fn corpus(cards: &[(IcPersona, IcCardFiles)], pki: &TestPki) -> Result<Vec<Vector>, Error> {
    let full = card(cards, "ic02-spec-008")?;
    let long = card(cards, "ic09-short-reads")?;
    let changed = card(cards, "ic04-changes-on-back")?;
    let gaiji = card(cards, "ic05-gaiji-name")?;
    let expired = card(cards, "ic10-expired")?;
    let mut v = Vec::new();
    let mut push = |id, description, record, bytes, expect| v.push(Vector { id, description, record, bytes, expect });

    // --- MF/EF01 common data -----------------------------------------------------------------
    let dates = item(&full.mf_ef01, 0x45)?;
    let mut b = full.mf_ef01.clone();
    set(&mut b, dates.value + 6, 0x3A)?;
    push(
        "ic-common-data-bad-date",
        "MF/EF01 issue date with the BCD nibble A in its day",
        "ic_common_data",
        b,
        err("bad_date", "45", dates.value + 3),
    );
    let mut b = full.mf_ef01.clone();
    set(&mut b, dates.value + 9, 0x13)?;
    push(
        "ic-common-data-bad-month",
        "MF/EF01 expiry in month 13",
        "ic_common_data",
        b,
        err("bad_date", "45", dates.value + 7),
    );
    let mut b = full.mf_ef01.clone();
    b.truncate(12);
    push(
        "ic-common-data-truncated",
        "MF/EF01 cut after 12 bytes, inside tag 45",
        "ic_common_data",
        b,
        err("length_past_end", "45", dates.value),
    );
    let mut b = vec![0x45, 0x0A];
    b.extend_from_slice(full.mf_ef01.get(dates.value..dates.value + 10).ok_or(Error::Invariant("MF/EF01"))?);
    b.extend_from_slice(&[0x46, 0x02, 0x01, 0x01]);
    push(
        "ic-common-data-wrong-length",
        "Tag 45 of 10 bytes (spec version and dates need 11)",
        "ic_common_data",
        b,
        err("wrong_length", "45", 2),
    );

    // --- MF/EF02 PIN setting -------------------------------------------------------------------
    push(
        "ic-pin-setting-unknown-value",
        "PIN setting 02: neither 00 (not set) nor 01 (set); a reader must not guess DPIN",
        "ic_pin_setting",
        vec![0x05, 0x01, 0x02],
        err("unknown_value", "05", 2),
    );
    push(
        "ic-pin-setting-unexpected-tag",
        "Tag 06 instead of 05",
        "ic_pin_setting",
        vec![0x06, 0x01, 0x01],
        err("unexpected_tag", "06", 0),
    );
    push(
        "ic-pin-setting-missing",
        "MF/EF02 of padding only",
        "ic_pin_setting",
        vec![PADDING; 3],
        untagged("missing_item", 0),
    );

    // --- DF1/EF01 entries ----------------------------------------------------------------------
    let ef01 = &full.ef01;
    let address = item(ef01, 0x17)?;
    let mut b = ef01.clone();
    b.truncate(address.value + address.size / 2);
    push(
        "ic-entries-truncated",
        "DF1/EF01 cut in the middle of the address",
        "ic_entries",
        b,
        err("length_past_end", "17", address.value),
    );
    let long_address = item(&long.ef01, 0x17)?;
    let mut b = long.ef01.clone();
    b.truncate(long_address.len + 2);
    push(
        "ic-entries-truncated-in-length",
        "DF1/EF01 cut inside the 82 hh ll length of a long address",
        "ic_entries",
        b,
        err("truncated", "17", long_address.len + 1),
    );
    let mut b = long.ef01.clone();
    set(&mut b, long_address.len + 1, 0x04)?;
    set(&mut b, long_address.len + 2, 0x00)?;
    push(
        "ic-entries-length-past-end",
        "Address length 1024, past the end of the 880-byte EF",
        "ic_entries",
        b,
        err("length_past_end", "17", long_address.value),
    );
    let expiry = item(ef01, 0x1B)?;
    let mut b = ef01.clone();
    b.splice(expiry.value..expiry.value + 7, *b"5130229");
    push(
        "ic-entries-bad-date",
        "Expiry 令和13年2月29日 (2031 is not a leap year)",
        "ic_entries",
        b,
        err("bad_date", "1B", expiry.value),
    );
    let birth = item(ef01, 0x16)?;
    let mut b = ef01.clone();
    b.splice(birth.value..birth.value + 7, *b"3640108");
    push(
        "ic-entries-outside-era",
        "Birth date 昭和64年1月8日, a day that does not exist",
        "ic_entries",
        b,
        err("bad_date", "16", birth.value),
    );
    let name = item(ef01, 0x12)?;
    let mut b = ef01.clone();
    set(&mut b, name.value, 0x80)?;
    push("ic-entries-bad-jis", "Name with a byte outside 0x21-0x7E", "ic_entries", b, err("bad_jis", "12", name.value));
    let mut b = ef01.clone();
    set(&mut b, address.value, 0x29)?;
    set(&mut b, address.value + 1, 0x21)?;
    push(
        "ic-entries-unmapped-jis",
        "Address with JIS code 2921 (unassigned row)",
        "ic_entries",
        b,
        err("unmapped_jis", "17", address.value),
    );
    let colour = item(ef01, 0x1A)?;
    let mut b = ef01.clone();
    b.remove(colour.value + colour.size - 1);
    b.push(PADDING);
    set(&mut b, colour.len, u8::try_from(colour.size - 1).map_err(|_| Error::Invariant("colour"))?)?;
    push(
        "ic-entries-odd-jis",
        "Colour class of an odd number of bytes",
        "ic_entries",
        b,
        err("odd_jis_length", "1A", colour.value + colour.size - 2),
    );
    let number = item(ef01, 0x21)?;
    let mut b = ef01.clone();
    set(&mut b, number.value + 11, b'X')?;
    push(
        "ic-entries-bad-licence-number",
        "Licence number with a letter",
        "ic_entries",
        b,
        err("not_digits", "21", number.value + 11),
    );
    let kana = item(ef01, 0x13)?;
    let mut b = ef01.clone();
    set(&mut b, kana.tag, 0x12)?;
    push("ic-entries-duplicate-tag", "Tag 12 (name) twice", "ic_entries", b, err("duplicate_tag", "12", kana.tag));
    let tlv_end = end(ef01)?;
    let mut b = ef01.clone();
    set(&mut b, tlv_end + 10, 0x00)?;
    push(
        "ic-entries-trailing-bytes",
        "A byte other than FF in the padding of DF1/EF01",
        "ic_entries",
        b,
        untagged("trailing_bytes", tlv_end + 10),
    );
    let mut b = ef01.clone();
    b.resize(ENTRIES_EF + 1, PADDING);
    push(
        "ic-entries-record-too-large",
        "DF1/EF01 of 881 bytes (the EF holds 880)",
        "ic_entries",
        b,
        untagged("record_too_large", 0),
    );

    // --- DF1/EF02 本籍 -------------------------------------------------------------------------
    let domicile = item(&full.ef02, 0x41)?;
    let mut b = full.ef02.clone();
    set(&mut b, domicile.value, 0x29)?;
    set(&mut b, domicile.value + 1, 0x21)?;
    push(
        "ic-domicile-unmapped-jis",
        "本籍 with JIS code 2921",
        "ic_domicile",
        b,
        err("unmapped_jis", "41", domicile.value),
    );
    let mut b = full.ef02.clone();
    set(&mut b, domicile.len, 0x51)?;
    push(
        "ic-domicile-length-past-end",
        "本籍 length 81, past the end of the 82-byte EF",
        "ic_domicile",
        b,
        err("length_past_end", "41", domicile.value),
    );
    push(
        "ic-domicile-missing",
        "DF1/EF02 of padding only",
        "ic_domicile",
        vec![PADDING; DOMICILE_EF],
        untagged("missing_item", 0),
    );

    // --- DF1/EF03 外字 ------------------------------------------------------------------------
    let ef03 = gaiji.ef03.as_ref().ok_or(Error::Invariant("ic05 has EF03"))?;
    let glyph1 = item(ef03, 0x48)?;
    let mut b = vec![0x48, 0x7F];
    b.extend_from_slice(ef03.get(glyph1.value..glyph1.value + 127).ok_or(Error::Invariant("EF03"))?);
    push(
        "ic-glyphs-wrong-length",
        "Glyph of 外字 1 with 127 bytes (a glyph is 128)",
        "ic_glyphs",
        padded(b, GLYPHS_EF),
        err("wrong_length", "48", 2),
    );

    // --- DF1/EF04 changes, EF05, EF06 ----------------------------------------------------------
    let new_address = item(&changed.ef04, 0x70)?;
    let mut b = changed.ef04.clone();
    // The change date starts after the 1-byte edition; pair 3 is the first month digit.
    set(&mut b, new_address.value + 1 + 6, 0x30)?;
    push(
        "ic-changes-bad-date",
        "New address dated with a half-width digit",
        "ic_changes",
        b,
        err("bad_date", "70", new_address.value + 1 + 6),
    );
    let mut b = changed.ef04.clone();
    set(&mut b, new_address.value + 1 + 7, b'1')?;
    set(&mut b, new_address.value + 1 + 9, b'3')?;
    push(
        "ic-changes-bad-month",
        "New address dated in month 13",
        "ic_changes",
        b,
        err("bad_date", "70", new_address.value + 1),
    );
    let mut b = changed.ef04.clone();
    b.truncate(new_address.value + new_address.size / 2);
    push(
        "ic-changes-truncated",
        "DF1/EF04 cut in the middle of the new address",
        "ic_changes",
        b,
        err("length_past_end", "70", new_address.value),
    );
    let mut b = changed.ef04.clone();
    set(&mut b, new_address.value + new_address.size - 10, 0x80)?;
    push(
        "ic-changes-bad-authority",
        "Authority short name with a byte outside 0x21-0x7E",
        "ic_changes",
        b,
        err("bad_jis", "70", new_address.value + new_address.size - 10),
    );
    push(
        "ic-changes-short-value",
        "A new condition of 3 bytes: shorter than edition, date and authority (25 bytes)",
        "ic_changes",
        padded(vec![0x50, 0x01, 0x01, 0x78, 0x03, 0x78, 0x23, 0x35], CHANGES_EF),
        err("truncated", "78", 8),
    );
    push(
        "ic-change-glyphs-bad-flag",
        "EF05 flag of two bytes",
        "ic_change_glyphs",
        padded(vec![0xA0, 0x02, 0x01, 0x01], CHANGE_GLYPHS_EF),
        err("wrong_length", "A0", 2),
    );
    let new_domicile = item(&changed.ef06, 0xAB)?;
    let mut b = changed.ef06.clone();
    set(&mut b, new_domicile.value + 15, 0x80)?;
    push(
        "ic-domicile-changes-bad-jis",
        "New 本籍 with a byte outside 0x21-0x7E",
        "ic_domicile_changes",
        b,
        err("bad_jis", "AB", new_domicile.value + 15),
    );

    // --- DF1/EF07 signature --------------------------------------------------------------------
    let sig = item(&full.ef07, 0xB1)?;
    let mut b = full.ef07.clone();
    b.truncate(100);
    push(
        "ic-signature-truncated",
        "DF1/EF07 cut inside the signature value",
        "ic_signature",
        b,
        err("length_past_end", "B1", sig.value),
    );
    let issuer = item(&full.ef07, 0xB4)?;
    let mut b = full.ef07.clone();
    set(&mut b, issuer.value + 3, 0x80)?;
    push(
        "ic-signature-bad-ascii",
        "Issuer name with a byte above 0x7E",
        "ic_signature",
        b,
        err("bad_ascii", "B4", issuer.value + 3),
    );
    let key_id = item(&full.ef07, 0xB6)?;
    let mut b = full.ef07.get(..key_id.tag).ok_or(Error::Invariant("EF07"))?.to_vec();
    b.extend_from_slice(&[0xB6, 0x21]);
    b.extend_from_slice(&[0x5A; 33]);
    push(
        "ic-signature-key-id-too-long",
        "Subject key identifier of 33 bytes (at most 32)",
        "ic_signature",
        padded(b, SIGNATURE_EF),
        err("value_too_long", "B6", key_id.tag + 2),
    );

    // --- DF2/EF01 photo ------------------------------------------------------------------------
    let codestream = photo(&full.photo)?;
    let mut b = vec![0x5F, 0x40, 0x82, 0x07, 0xD1];
    b.extend_from_slice(full.photo.get(codestream.value..codestream.value + codestream.size).unwrap_or_default());
    b.resize(PHOTO_EF, 0x00);
    push(
        "ic-photo-too-large",
        "Photo declaring 2001 bytes (at most 2000) in a 2005-byte EF",
        "ic_photo",
        b,
        err("photo_too_large", "5F40", 5),
    );
    let mut b = full.photo.clone();
    b.truncate(codestream.value + codestream.size / 2);
    push(
        "ic-photo-truncated",
        "DF2/EF01 cut in the middle of the codestream",
        "ic_photo",
        b,
        err("length_past_end", "5F40", codestream.value),
    );
    let mut b = full.photo.clone();
    set(&mut b, 1, 0x41)?;
    push("ic-photo-wrong-tag", "Tag 5F41 instead of 5F40", "ic_photo", b, err("unexpected_tag", "5F41", 0));
    let photo_end = codestream.value + codestream.size;
    let mut b = full.photo.clone();
    set(&mut b, photo_end + 3, 0x00)?;
    push(
        "ic-photo-trailing-bytes",
        "A byte other than FF in the padding after the codestream",
        "ic_photo",
        b,
        untagged("trailing_bytes", photo_end + 3),
    );

    // --- Submissions that are refused ----------------------------------------------------------
    let good = full.full_submission().to_json_pretty();
    let mut doc: serde_json::Value = serde_json::from_str(&good)?;
    doc["licence"] = serde_json::json!({ "wef02": "", "wef03": "" });
    push(
        "ic-submission-two-licences",
        "A submission with both licence and ic_licence",
        "submission",
        doc.to_string().into_bytes(),
        Expect::Refused { code: "two_licences" },
    );
    let mut doc: serde_json::Value = serde_json::from_str(&good)?;
    if let Some(ic) = doc["ic_licence"].as_object_mut() {
        ic.remove("ef07");
    }
    push(
        "ic-submission-without-ef07",
        "ic_licence without ef07 (required)",
        "submission",
        doc.to_string().into_bytes(),
        Expect::Refused { code: "missing_field" },
    );
    let mut doc: serde_json::Value = serde_json::from_str(&good)?;
    doc["ic_licence"]["photo"] = STANDARD.encode(padded(full.photo.clone(), PHOTO_EF + 1)).into();
    push(
        "ic-submission-photo-too-large",
        "ic_licence.photo of 2006 bytes (the EF holds 2005)",
        "submission",
        doc.to_string().into_bytes(),
        Expect::Refused { code: "field_too_large" },
    );

    // --- Tampered and re-signed cards (decode, must not verify unless said) --------------------
    let mut b = ef01.clone();
    b.splice(name.value..name.value + 2, jis("杉")?);
    push(
        "ic-tampered-name",
        "Name changed from 松本 to 杉本 after signing",
        "submission",
        submission_with(full, |c| c.ef01 = b),
        invalid(&["ic_licence.signature"]),
    );
    let mut b = full.photo.clone();
    flip(&mut b, codestream.value + codestream.size / 2)?;
    push(
        "ic-tampered-photo",
        "One bit of the photo changed after signing",
        "submission",
        submission_with(full, |c| c.photo = b),
        invalid(&["ic_licence.signature"]),
    );
    let mut b = full.ef02.clone();
    b.splice(domicile.value..domicile.value + 2, jis("京")?);
    push(
        "ic-tampered-domicile",
        "本籍 changed from 奈良県 to 京良県 after signing",
        "submission",
        submission_with(full, |c| c.ef02 = b),
        invalid(&["ic_licence.signature"]),
    );
    let old_expiry = item(&expired.ef01, 0x1B)?;
    let mut b = expired.ef01.clone();
    b.splice(old_expiry.value..old_expiry.value + 7, *b"5120311");
    push(
        "ic-tampered-expiry",
        "An expired card's expiry moved to 令和12年3月11日 after signing: no longer expired, but the signature fails",
        "submission",
        submission_with(expired, |c| c.ef01 = b),
        invalid(&["ic_licence.signature"]),
    );
    let mut b = full.ef07.clone();
    flip(&mut b, sig.value + 100)?;
    push(
        "ic-tampered-signature",
        "One bit of the EF07 signature changed",
        "submission",
        submission_with(full, |c| c.ef07 = b),
        invalid(&["ic_licence.signature"]),
    );
    let mut b = full.ef07.clone();
    flip(&mut b, key_id.value)?;
    push(
        "ic-unknown-signer",
        "EF07 B6 names no signer in the trust store",
        "submission",
        submission_with(full, |c| c.ef07 = b),
        invalid(&["ic_licence.signature", "ic_licence.signer_certificate"]),
    );
    let other = IcSigner::licence_signer_02(pki).ef07(&full.ef01, &full.ef02, &full.photo)?;
    push(
        "ic-signed-by-another-key",
        "Signed by TEST ONLY licence-signer-02, which no anchor names (B6 its own key identifier); \
         also the card of another key for key recovery",
        "submission",
        submission_with(full, |c| c.ef07 = other),
        invalid(&["ic_licence.signature", "ic_licence.signer_certificate"]),
    );
    let mut b = changed.ef04.clone();
    b.splice(new_address.value + 15..new_address.value + 17, jis("千")?);
    push(
        "ic-changes-tampered",
        "The new address on the back (EF04) altered: changes are not signed, so the verdict stays valid",
        "submission",
        submission_with(changed, |c| c.ef04 = b),
        valid(),
    );
    let signer = IcSigner::licence_signer(pki);
    let whole = IcSigner { form: SignedForm::Whole, ..signer }.ef07(&full.ef01, &full.ef02, &full.photo)?;
    push(
        "ic-signed-whole-form",
        "Signature over EF01 ‖ EF02 ‖ photo as read, FF padding included (form whole)",
        "submission",
        submission_with(full, |c| c.ef07 = whole),
        valid(),
    );
    let sha384 = IcSigner { hash: Hash::Sha384, ..signer }.ef07(&full.ef01, &full.ef02, &full.photo)?;
    push(
        "ic-signed-sha384",
        "Signature with SHA-384 (accepted)",
        "submission",
        submission_with(full, |c| c.ef07 = sha384),
        valid(),
    );
    let sha1 = IcSigner { hash: Hash::Sha1, ..signer }.ef07(&full.ef01, &full.ef02, &full.photo)?;
    push(
        "ic-signed-sha1",
        "Signature with SHA-1: reported as such and invalid",
        "submission",
        submission_with(full, |c| c.ef07 = sha1),
        invalid(&["ic_licence.signature"]),
    );
    Ok(v)
}
