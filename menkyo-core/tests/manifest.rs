//! Drives the decoders with every committed test vector and checks the manifest's expected
//! outcome: unexpected success fails the test as much as unexpected failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};

use menkyo_core::kenhojo::{ApInfo, BasicFour, CardKey, CvCertificate, Ef0002, Ef0003, Sex};
use menkyo_core::licence::{Category, Holder, LicenceInfo, PinSetting, Wef02, Wef03};
use menkyo_core::{DecodeError, Submission};
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
        other => panic!("unknown record {other}"),
    }
}

/// Decodes every EF a submission carries.
fn decode_submission(s: &Submission) -> Result<(), DecodeError> {
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
