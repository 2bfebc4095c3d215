//! The conventional IC licence (ic-licence.md): parse, signature (EF07 B1 over EF01 ‖ EF02 ‖
//! photo, the byte form and hash found by trying them), signer path, expiry.
//!
//! ```text
//! ic_licence.parse               every EF given decodes (MF/EF01-02, DF1/EF01-07, DF2/EF01)
//! ic_licence.signature           B1 over EF01 ‖ EF02 ‖ photo, as TLV items or whole EFs, with
//!                                SHA-256/384/512 (SHA-1 recognised and refused), by the signer
//!                                whose key identifier is B6; unchecked without EF02 and photo
//! ic_licence.signer_certificate  the signer's chain to a root, or a bare trusted key
//! ic_licence.expiry              tag 1B: valid through the end of that day, Japan time
//! ```

use crate::check::CheckId;
use crate::crypto::RsaHash;
use crate::date::Date;
use crate::era::WarekiDate;
use crate::ic_licence::{
    ChangeGlyphs, Changes, CommonData, Domicile, DomicileChanges, Entries, EntriesInfo, Glyphs, Photo, PinSetting,
    SignatureRef, SignedForm,
};
use crate::licence::Holder;
use crate::report::{CategoryView, ChangeView, FirstLicensedView, HolderView, LicenceView, PhotoView};
use crate::submission::IcLicenceFiles;
use crate::time::UnixTime;
use crate::trust_store::TrustStore;
use crate::verify::Checks;
use crate::verify::licence::{expiry_check, gregorian, signer_checks};

/// Hashes tried for B1, most likely first; SHA-1 only to name it (it is refused).
const HASHES: [RsaHash; 4] = [RsaHash::Sha256, RsaHash::Sha384, RsaHash::Sha512, RsaHash::Sha1];

fn hash_name(h: RsaHash) -> &'static str {
    match h {
        RsaHash::Sha1 => "SHA-1",
        RsaHash::Sha256 => "SHA-256",
        RsaHash::Sha384 => "SHA-384",
        RsaHash::Sha512 => "SHA-512",
    }
}

/// What the IC licence checks leave for the report.
pub(super) struct IcOutcome {
    pub(super) entries: EntriesInfo,
    pub(super) domicile: Option<String>,
    pub(super) changes: Vec<ChangeView>,
    pub(super) photo: Vec<u8>,
    pub(super) photo_verified: bool,
}

fn changes_view(changes: &Changes) -> Vec<ChangeView> {
    changes
        .changes
        .iter()
        .map(|c| ChangeView {
            kind: c.kind.as_str(),
            date: c.entry.date.map(WarekiDate::to_gregorian),
            value: c.entry.value.to_text(),
            authority: c.entry.authority.to_text(),
            signed: false,
        })
        .collect()
}

/// Decodes every EF given; the first failure, named by its EF.
fn decode_unsigned(f: &IcLicenceFiles) -> Result<Option<Changes>, String> {
    let at = |name: &'static str| move |e: crate::DecodeError| format!("{name}: {e}");
    if let Some(b) = &f.mf_ef01 {
        CommonData::decode(b).map_err(at("MF/EF01"))?;
    }
    if let Some(b) = &f.mf_ef02 {
        PinSetting::decode(b).map_err(at("MF/EF02"))?;
    }
    if let Some(b) = &f.ef03 {
        Glyphs::decode(b).map_err(at("EF03"))?;
    }
    if let Some(b) = &f.ef05 {
        ChangeGlyphs::decode(b).map_err(at("EF05"))?;
    }
    if let Some(b) = &f.ef06 {
        DomicileChanges::decode(b).map_err(at("EF06"))?;
    }
    f.ef04.as_deref().map(|b| Changes::decode(b).map_err(at("EF04"))).transpose()
}

pub(super) fn verify(
    f: &IcLicenceFiles,
    trust: &TrustStore,
    at: UnixTime,
    with_honseki: bool,
    c: &mut Checks,
) -> Option<IcOutcome> {
    let parsed = Entries::decode(&f.ef01)
        .map_err(|e| format!("EF01: {e}"))
        .and_then(|e1| SignatureRef::decode(&f.ef07).map(|s| (e1, s)).map_err(|e| format!("EF07: {e}")))
        .and_then(|(e1, s)| {
            f.ef02.as_deref().map(Domicile::decode).transpose().map(|d| (e1, s, d)).map_err(|e| format!("EF02: {e}"))
        })
        .and_then(|(e1, s, d)| {
            f.photo.as_deref().map(Photo::decode).transpose().map(|p| (e1, s, d, p)).map_err(|e| format!("photo: {e}"))
        })
        .and_then(|(e1, s, d, p)| decode_unsigned(f).map(|ch| (e1, s, d, p, ch)));
    let (entries, signature, domicile, photo, changes) = match parsed {
        Ok(p) => p,
        Err(e) => {
            c.bad(CheckId::IcLicenceParse, e);
            for id in [CheckId::IcLicenceSignature, CheckId::IcLicenceSignerCertificate, CheckId::IcLicenceExpiry] {
                c.skip(id, "IC licence data could not be parsed");
            }
            return None;
        }
    };
    c.ok(CheckId::IcLicenceParse, "every EF given decodes");

    let signed = match (&domicile, &photo) {
        (Some(d), Some(p)) => {
            // EF01 ‖ EF02 ‖ photo, hashed part by part (never assembled); the whole EFs only
            // when they differ from their TLV items (padding after the items).
            let tlv = SignedForm::Tlv.parts(&entries, d, p);
            let whole = SignedForm::Whole.parts(&entries, d, p);
            let messages: Vec<&[&[u8]]> = if whole == tlv { vec![&tlv] } else { vec![&tlv, &whole] };
            let outcome = trust.verify_licence_signature(signature.key_id, &messages, &HASHES, signature.value, at);
            signer_checks(c, (CheckId::IcLicenceSignature, CheckId::IcLicenceSignerCertificate), outcome, |m| {
                let form = if m.message == 0 { "TLV items" } else { "whole EFs as read" };
                format!(
                    "signed by \"{}\" over EF01 ‖ EF02 ‖ photo ({form}, form {}), {}",
                    m.name,
                    if m.message == 0 { SignedForm::Tlv.as_str() } else { SignedForm::Whole.as_str() },
                    hash_name(m.hash)
                )
            })
        }
        _ => {
            let detail = "本籍 (EF02) and the photo are read with PIN 2: without them the signature cannot be checked";
            c.skip(CheckId::IcLicenceSignature, detail);
            c.skip(CheckId::IcLicenceSignerCertificate, detail);
            false
        }
    };
    let info = entries.into_info();
    expiry_check(c, CheckId::IcLicenceExpiry, Holder::Licence, info.expiry, at.jst_date());
    Some(IcOutcome {
        entries: info,
        domicile: domicile.filter(|_| with_honseki).map(|d| d.value().to_string()),
        changes: changes.as_ref().map(changes_view).unwrap_or_default(),
        photo: photo.map(|p| p.codestream().to_vec()).unwrap_or_default(),
        photo_verified: signed,
    })
}

fn text(t: Option<&crate::JisText>) -> String {
    t.map(crate::JisText::to_text).unwrap_or_default()
}

pub(super) fn licence_view(o: &IcOutcome, today: Option<Date>) -> LicenceView {
    let e = &o.entries;
    let expiry = e.expiry.map(WarekiDate::to_gregorian);
    LicenceView {
        card: "ic_licence",
        profile: Holder::Licence,
        number: e.licence_number.as_ref().map(ToString::to_string),
        colour_class: text(e.colour_class.as_ref()),
        expiry,
        expired: matches!((expiry, today), (Some(x), Some(t)) if t > x),
        conditions: e.conditions.iter().flatten().filter(|c| !c.is_empty()).map(crate::JisText::to_text).collect(),
        remarks: Vec::new(),
        categories: e
            .categories
            .iter()
            .map(|(cat, date)| CategoryView { name: cat.name_ja(), held: date.held(), since: gregorian(date.date()) })
            .collect(),
        first_licensed: FirstLicensedView {
            two_small_moped: gregorian(e.first_licensed.two_small_moped),
            other: gregorian(e.first_licensed.other),
            class2: gregorian(e.first_licensed.class2),
        },
        photo: PhotoView { format: "jpeg2000", bytes: o.photo.len(), jpeg: None },
        driving_history_number: None,
        driving_history_recorded: None,
        issued: gregorian(e.issue_date),
        authority: e.commission.as_ref().map(crate::JisText::to_text),
        changes: o.changes.clone(),
        honseki: o.domicile.clone(),
    }
}

/// The holder from EF01: signed by the NPA with the licence.
pub(super) fn holder_view(o: &IcOutcome, today: Option<Date>) -> HolderView {
    let e = &o.entries;
    let birth = e.birth_date.map(WarekiDate::to_gregorian);
    HolderView {
        name: text(e.name.as_ref()),
        kana: e.kana.as_ref().map(crate::JisText::to_text),
        address: text(e.address.as_ref()),
        birth_date: birth.map(|d| d.to_iso()).unwrap_or_default(),
        sex: None,
        age: birth.zip(today).and_then(|(b, t)| b.age_on(t)),
    }
}
