//! Drives the decoders with every committed test vector and checks the manifest's expected
//! outcome: unexpected success fails the test as much as unexpected failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

use menkyo_core::ic_licence::{
    CategoryDate, ChangeGlyphs, ChangeKind, Changes, CommonData, Domicile, DomicileChanges, Entries, Glyphs, Photo,
    Signature,
};
use menkyo_core::kenhojo::{ApInfo, BasicFour, CardKey, CvCertificate, Ef0002, Ef0003, Sex};
use menkyo_core::licence::{Category, Holder, LicenceInfo, PinSetting, Wef02, Wef03};
use menkyo_core::{DecodeError, IcLicenceFiles, JisChar, Submission};
use serde_json::Value;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn manifest() -> Value {
    let text = fs::read_to_string(vectors().join("manifest.json")).expect("manifest.json (run regen)");
    serde_json::from_str(&text).unwrap()
}

fn read(rel: &Value) -> Vec<u8> {
    fs::read(vectors().join(rel.as_str().unwrap())).unwrap()
}

/// Decodes `bytes` with the decoder named by `record`; `Ok` or the error.
fn decode(record: &str, bytes: &[u8]) -> Result<(), DecodeError> {
    match record {
        "wef01" => PinSetting::decode(bytes).map(drop),
        "wef02" => Wef02::decode(bytes).map(drop),
        "wef03" => Wef03::decode(bytes).map(drop),
        "ef0002" => Ef0002::decode(bytes).map(drop),
        "ef0003" => Ef0003::decode(bytes).map(drop),
        "ef0004" => CvCertificate::decode(bytes).map(drop),
        "ef0005" => ApInfo::decode(bytes).map(drop),
        "ef0007" => CardKey::decode(bytes).map(drop),
        "kenkaku_ef0001" => menkyo_core::kenkaku::Ef0001::decode(bytes).map(drop),
        "ic_common_data" => CommonData::decode(bytes).map(drop),
        "ic_pin_setting" => menkyo_core::ic_licence::PinSetting::decode(bytes).map(drop),
        "ic_entries" => Entries::decode(bytes).map(drop),
        "ic_domicile" => Domicile::decode(bytes).map(drop),
        "ic_glyphs" => Glyphs::decode(bytes).map(drop),
        "ic_changes" => Changes::decode(bytes).map(drop),
        "ic_change_glyphs" => ChangeGlyphs::decode(bytes).map(drop),
        "ic_domicile_changes" => DomicileChanges::decode(bytes).map(drop),
        "ic_signature" => Signature::decode(bytes).map(drop),
        "ic_photo" => Photo::decode(bytes).map(drop),
        other => panic!("unknown record {other}"),
    }
}

/// The IC licence record name of each submission field.
fn ic_fields(ic: &IcLicenceFiles) -> [(&'static str, Option<&Vec<u8>>); 10] {
    [
        ("ic_common_data", ic.mf_ef01.as_ref()),
        ("ic_pin_setting", ic.mf_ef02.as_ref()),
        ("ic_entries", Some(&ic.ef01)),
        ("ic_domicile", ic.ef02.as_ref()),
        ("ic_glyphs", ic.ef03.as_ref()),
        ("ic_changes", ic.ef04.as_ref()),
        ("ic_change_glyphs", ic.ef05.as_ref()),
        ("ic_domicile_changes", ic.ef06.as_ref()),
        ("ic_signature", Some(&ic.ef07)),
        ("ic_photo", ic.photo.as_ref()),
    ]
}

/// Decodes every EF a submission carries.
fn decode_submission(s: &Submission) -> Result<(), DecodeError> {
    if let Some(ic) = &s.ic_licence {
        for (record, bytes) in ic_fields(ic) {
            if let Some(b) = bytes {
                decode(record, b)?;
            }
        }
    }
    if let Some(l) = &s.licence {
        if let Some(w) = &l.wef01 {
            PinSetting::decode(w)?;
        }
        Wef02::decode(&l.wef02)?;
        Wef03::decode(&l.wef03)?;
    }
    if let Some(k) = &s.kenhojo {
        Ef0002::decode(&k.ef0002)?;
        Ef0003::decode(&k.ef0003)?;
        CvCertificate::decode(&k.ef0004)?;
        if let Some(e) = &k.ef0007 {
            CardKey::decode(e)?;
        }
    }
    Ok(())
}

#[test]
fn every_persona_decodes() {
    let m = manifest();
    let personas = m["personas"].as_array().unwrap();
    assert!(personas.len() >= 12, "at least 12 personas");
    for p in personas {
        let id = p["id"].as_str().unwrap();
        for (ap, files) in [("licence", &p["paths"]["licence"]), ("kenhojo", &p["paths"]["kenhojo"])] {
            for (name, path) in files.as_object().unwrap() {
                if name == "ef0001" {
                    continue; // the 個人番号: menkyo never decodes it
                }
                let bytes = read(path);
                assert_eq!(decode(name, &bytes), Ok(()), "{id} {ap} {name}");
            }
        }
        // The age record and its certificate; never EF 0002 or EF 0005 (images).
        assert_eq!(decode("kenkaku_ef0001", &read(&p["paths"]["kenkaku"]["ef0001"])), Ok(()), "{id}");
        assert_eq!(decode("ef0004", &read(&p["paths"]["kenkaku"]["ef0004"])), Ok(()), "{id}");
        let s = Submission::from_json(&read(&p["paths"]["submission"])).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(s.kenhojo.is_some() && s.kenkaku.is_some() && s.freshness.is_some(), "{id}");
        assert_eq!(decode_submission(&s), Ok(()), "{id}");
    }
}

/// The record name of an IC persona file: `mf`/`df1`/`df2` and the EF.
fn ic_record(df: &str, ef: &str) -> &'static str {
    match (df, ef) {
        ("mf", "ef01") => "ic_common_data",
        ("mf", "ef02") => "ic_pin_setting",
        ("df1", "ef01") => "ic_entries",
        ("df1", "ef02") => "ic_domicile",
        ("df1", "ef03") => "ic_glyphs",
        ("df1", "ef04") => "ic_changes",
        ("df1", "ef05") => "ic_change_glyphs",
        ("df1", "ef06") => "ic_domicile_changes",
        ("df1", "ef07") => "ic_signature",
        ("df2", "ef01") => "ic_photo",
        other => panic!("no IC file {other:?}"),
    }
}

#[test]
fn every_ic_persona_decodes() {
    let m = manifest();
    let personas = m["ic_personas"].as_array().unwrap();
    assert!(personas.len() >= 10, "at least 10 IC personas");
    for p in personas {
        let id = p["id"].as_str().unwrap();
        let mut on_card = Vec::new();
        for df in ["mf", "df1", "df2"] {
            for (ef, path) in p["paths"][df].as_object().unwrap() {
                let record = ic_record(df, ef);
                let bytes = read(path);
                assert_eq!(decode(record, &bytes), Ok(()), "{id} {df}/{ef}");
                on_card.push((record, bytes));
            }
        }
        let s = Submission::from_json(&read(&p["paths"]["submission"])).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert!(s.licence.is_none() && s.kenhojo.is_none() && s.kenkaku.is_none() && s.freshness.is_none(), "{id}");
        let ic = s.ic_licence.as_ref().unwrap_or_else(|| panic!("{id}: no ic_licence"));
        assert_eq!(decode_submission(&s), Ok(()), "{id}");
        // The submission holds the card's files as read: all of them with PIN2, the PIN1
        // files only without.
        let credentials: Value = serde_json::from_slice(&read(&p["paths"]["credentials"])).unwrap();
        let pin2_known = !credentials["pin2"].is_null();
        for (record, field) in ic_fields(ic) {
            let card = on_card.iter().find(|(r, _)| *r == record).map(|(_, b)| b);
            let needs_pin2 = matches!(record, "ic_domicile" | "ic_domicile_changes" | "ic_photo");
            let want = if needs_pin2 && !pin2_known { None } else { card };
            assert_eq!(field, want, "{id} {record}");
        }
    }
}

#[test]
fn ic_personas_cover_the_profiles() {
    let m = manifest();
    let ic = |id: &str| -> Value {
        m["ic_personas"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("{id}")).clone()
    };
    let file = |id: &str, df: &str, ef: &str| read(&ic(id)["paths"][df][ef]);
    let credentials = |id: &str| -> Value { serde_json::from_slice(&read(&ic(id)["paths"]["credentials"])).unwrap() };
    let verify_at: menkyo_core::Date = m["verify_at"].as_str().unwrap().parse().unwrap();

    for p in m["ic_personas"].as_array().unwrap() {
        let id = p["id"].as_str().unwrap();
        assert!(id.starts_with("ic"), "{id}");
        let raw = file(id, "df1", "ef01");
        let e = Entries::decode(&raw).unwrap();
        assert_eq!(e.licence_number_check_digit_ok(), Some(true), "{id}");
        let expired = e.expiry().unwrap().to_gregorian() < verify_at;
        assert_eq!(expired, p["failed_checks"].as_array().unwrap().contains(&"ic_licence.expiry".into()), "{id}");
        let age = e.birth_date().unwrap().to_gregorian().age_on(verify_at);
        assert_eq!(p["holder_age_on_verify_at"].as_u64(), age.map(u64::from), "{id}");
        // MF/EF01's (unsigned) dates agree with the signed ones.
        let common = CommonData::decode(&file(id, "mf", "ef01")).unwrap();
        assert_eq!(common.issue_date, e.issue_date().unwrap().to_gregorian(), "{id}");
        assert_eq!(common.expiry, e.expiry().unwrap().to_gregorian(), "{id}");
        assert_eq!(common.spec_version.as_str(), p["spec_version"].as_str().unwrap(), "{id}");
        let c = credentials(id);
        assert_eq!(c["spec_version"], p["spec_version"], "{id}");
        let setting = menkyo_core::ic_licence::PinSetting::decode(&file(id, "mf", "ef02")).unwrap();
        let want = if setting == menkyo_core::ic_licence::PinSetting::Set { "set" } else { "not_set" };
        assert_eq!(c["pin_setting"], want, "{id}");
        let changes = Changes::decode(&file(id, "df1", "ef04")).unwrap();
        let limits: Vec<&str> = p["limits"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        let mut want = vec!["test_anchors", "not_fresh", "no_card_key_binding"];
        if !changes.changes.is_empty() {
            want.push("changes_not_signed");
        }
        assert_eq!(limits, want, "{id}");
        let photo = file(id, "df2", "ef01");
        let photo = Photo::decode(&photo).unwrap();
        assert_eq!(&photo.codestream()[4..8], b"jP  ", "{id}: JPEG 2000 signature box");
    }

    // Spec 006: no tag 33, so 準中型 is not on the card; spec 008: every tag, 準中型 held.
    let old = file("ic01-spec-006", "df1", "ef01");
    let old = Entries::decode(&old).unwrap();
    assert_eq!(old.categories().get(Category::SemiMedium), CategoryDate::NotOnCard);
    assert!(!old.part().tlv().windows(2).any(|w| w == [0x33, 0x07]), "no tag 33 item");
    let full = file("ic02-spec-008", "df1", "ef01");
    let full = Entries::decode(&full).unwrap();
    assert!(full.categories().held(Category::SemiMedium));
    assert_eq!(full.conditions().count(), 4);
    let f = full.first_licensed();
    assert!(f.two_small_moped.is_some() && f.other.is_some() && f.class2.is_some());

    assert_eq!(
        menkyo_core::ic_licence::PinSetting::decode(&file("ic03-no-pin", "mf", "ef02")),
        Ok(menkyo_core::ic_licence::PinSetting::NotSet)
    );
    assert_eq!(
        (credentials("ic03-no-pin")["pin1"].as_str(), credentials("ic03-no-pin")["pin2"].as_str()),
        (Some("****"), Some("****"))
    );

    let changes = Changes::decode(&file("ic04-changes-on-back", "df1", "ef04")).unwrap();
    assert_eq!(changes.flag, Some(1));
    for kind in [ChangeKind::Address, ChangeKind::Condition] {
        let c = changes.latest(kind).unwrap_or_else(|| panic!("{kind:?}"));
        assert!(c.entry.date.is_some());
        assert_eq!(c.entry.authority.to_string(), "東京都公安");
    }
    let address = &changes.latest(ChangeKind::Address).unwrap().entry.value;
    assert_eq!(address.gaiji_slots().collect::<Vec<_>>(), vec![3]);
    assert!(ChangeGlyphs::decode(&file("ic04-changes-on-back", "df1", "ef05")).unwrap().glyph(3).is_some());
    assert_eq!(DomicileChanges::decode(&file("ic04-changes-on-back", "df1", "ef06")).unwrap().changes.len(), 1);

    let gaiji = file("ic05-gaiji-name", "df1", "ef01");
    let gaiji = Entries::decode(&gaiji).unwrap();
    assert_eq!(gaiji.name().unwrap().chars().next(), Some(JisChar::Gaiji { slot: 1 }));
    let glyphs = Glyphs::decode(&file("ic05-gaiji-name", "df1", "ef03")).unwrap();
    assert!(glyphs.glyph(1).is_some() && glyphs.glyph(2).is_none());
    // Only the card whose texts use 外字 1-2 has EF03.
    for p in m["ic_personas"].as_array().unwrap() {
        assert_eq!(p["paths"]["df1"]["ef03"].is_string(), p["id"] == "ic05-gaiji-name", "{}", p["id"]);
    }

    assert!(credentials("ic06-pin2-unknown")["pin2"].is_null());
    assert_eq!(ic("ic06-pin2-unknown")["verdict"], "incomplete");
    assert_eq!(credentials("ic07-pin1-one-try")["pin1_tries"], 1);
    assert_eq!(credentials("ic08-pin1-blocked")["pin1_tries"], 0);
    assert_eq!(credentials("ic09-short-reads")["reads_cut_at_256"], true);
    let long = file("ic09-short-reads", "df1", "ef01");
    assert!(Entries::decode(&long).unwrap().part().tlv().len() > 256);
    assert!(Entries::decode(&long).unwrap().address().unwrap().raw().len() > 127);
    assert_eq!(ic("ic10-expired")["verdict"], "invalid");
}

#[test]
fn every_vector_has_its_expected_outcome() {
    let m = manifest();
    let vectors = m["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 30);
    for v in vectors {
        let id = v["id"].as_str().unwrap();
        let record = v["record"].as_str().unwrap();
        let bytes = read(&v["path"]);
        let expect = &v["expect"];
        match (record, expect["decode"].as_str().unwrap()) {
            ("submission", "refused") => {
                let err = Submission::from_json(&bytes).expect_err(id);
                assert_eq!(err.code(), expect["code"].as_str().unwrap(), "{id}: {err}");
            }
            ("submission", "ok") => {
                let s = Submission::from_json(&bytes).unwrap_or_else(|e| panic!("{id}: {e}"));
                assert_eq!(decode_submission(&s), Ok(()), "{id}");
            }
            (record, "error") => {
                let err = decode(record, &bytes).expect_err(id);
                assert_eq!(err.kind.code(), expect["kind"].as_str().unwrap(), "{id}: {err}");
                assert_eq!(err.tag.map(|t| t.to_string()), expect["tag"].as_str().map(String::from), "{id}: {err}");
                assert_eq!(err.offset, expect["offset"].as_u64().unwrap() as usize, "{id}: {err}");
            }
            (record, other) => panic!("{id}: no rule for {record} / {other}"),
        }
    }
}

fn persona(m: &Value, id: &str) -> Value {
    m["personas"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap_or_else(|| panic!("{id}")).clone()
}

fn wef02_of(m: &Value, id: &str) -> LicenceInfo {
    Wef02::decode(&read(&persona(m, id)["paths"]["licence"]["wef02"])).unwrap().info
}

fn ef0002_of(m: &Value, id: &str) -> (Vec<u8>, BasicFour) {
    let raw = read(&persona(m, id)["paths"]["kenhojo"]["ef0002"]);
    let info = Ef0002::decode(&raw).unwrap().info;
    (raw, info)
}

/// The personas cover what the foundation issue asks of them.
#[test]
fn personas_cover_the_corners() {
    let m = manifest();
    assert_eq!(m["personas"][0]["id"], "p01-standard");
    assert_eq!(m["personas"][0]["verdict"], "valid");

    let all = wef02_of(&m, "p02-all-categories");
    assert!(Category::ALL.iter().all(|&c| all.categories.held(c)));
    assert_eq!(all.conditions().count(), 12);
    let f = all.first_licensed;
    assert!(f.two_small_moped.is_some() && f.other.is_some() && f.class2.is_some());

    assert_eq!(wef02_of(&m, "p01-standard").conditions().count(), 0);
    assert_eq!(wef02_of(&m, "p03-showa-gannen").conditions().count(), 1);

    let boundary = wef02_of(&m, "p04-heisei-boundary").first_licensed;
    assert_eq!(boundary.other.unwrap().to_string(), "昭和64年1月7日");
    assert_eq!(boundary.two_small_moped.unwrap().to_string(), "平成元年1月8日");
    let reiwa = wef02_of(&m, "p05-reiwa-gannen").first_licensed;
    assert_eq!(reiwa.two_small_moped.unwrap().to_string(), "令和元年5月1日");
    assert_eq!(reiwa.other.unwrap().to_string(), "平成31年4月30日");
    let (_, showa) = ef0002_of(&m, "p03-showa-gannen");
    assert_eq!(showa.birth_date.to_string(), "1926-12-25");

    let gaiji = wef02_of(&m, "p06-gaiji");
    assert_eq!(gaiji.conditions[0].gaiji_slots().collect::<Vec<_>>(), vec![1]);
    assert_eq!(gaiji.gaiji[0].len(), 256);
    assert!(gaiji.remarks[0].to_string().ends_with('〓'));

    let expired = wef02_of(&m, "p07-expired");
    assert!(expired.expiry.unwrap().to_gregorian() < m["verify_at"].as_str().unwrap().parse().unwrap());

    let history = wef02_of(&m, "p08-driving-history");
    assert_eq!(history.holder(), Holder::DrivingHistory);
    assert!(history.licence_number.is_none() && history.history_class.is_some());

    let (raw, long) = ef0002_of(&m, "p09-long-address");
    assert!(long.address.len() > 127);
    let df23 = raw.windows(2).position(|w| w == [0xDF, 0x23]).unwrap();
    assert_eq!(raw[df23 + 2], 0x81, "DF23 uses a long-form length");

    let wef01 = read(&persona(&m, "p10-no-pin")["paths"]["licence"]["wef01"]);
    assert_eq!(PinSetting::decode(&wef01), Ok(PinSetting::NotSet));

    let sexes: Vec<Sex> = ["p01-standard", "p02-all-categories", "p11-sex-not-applicable"]
        .iter()
        .map(|id| ef0002_of(&m, id).1.sex)
        .collect();
    assert_eq!(sexes, vec![Sex::Male, Sex::Female, Sex::NotApplicable]);

    for p in m["personas"].as_array().unwrap() {
        let photo = wef02_of(&m, p["id"].as_str().unwrap()).photo;
        assert!(!photo.is_empty() && photo.len() <= 2000);
        assert_eq!(&photo[4..8], b"jP  ", "{}: JPEG 2000 signature box", p["id"]);
    }
}
