//! The submission document (`menkyo-submission/1`, interfaces.md §1): the EFs exactly as read.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::profile::{
    CHALLENGE_MAX, EF0002_MAX, EF0003_MAX, EF0004_MAX, EF0007_MAX, IC_CHANGE_GLYPHS_SIZE, IC_CHANGES_SIZE,
    IC_COMMON_DATA_SIZE, IC_DOMICILE_CHANGES_SIZE, IC_DOMICILE_SIZE, IC_ENTRIES_SIZE, IC_GLYPHS_SIZE, IC_PHOTO_SIZE,
    IC_PIN_SETTING_SIZE, IC_SIGNATURE_SIZE, KENKAKU_EF0001_MAX, KENKAKU_EF0004_MAX, RSA2048_BYTES, SUBMISSION_MAX,
    WEF01_MAX, WEF02_MAX, WEF03_MAX,
};

/// The `format` value of this version.
pub const SUBMISSION_FORMAT: &str = "menkyo-submission/1";

/// Why a submission document was refused. Messages name the field, never its content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmissionError {
    #[error("submission of {actual} bytes exceeds the maximum of {max}")]
    TooLarge { max: usize, actual: usize },
    #[error("submission is not valid JSON (line {line}, column {column})")]
    Json { line: usize, column: usize },
    #[error("submission names a key twice in one object (line {line}, column {column})")]
    DuplicateKey { line: usize, column: usize },
    #[error("unknown submission format (expected \"{SUBMISSION_FORMAT}\")")]
    UnknownFormat,
    #[error("missing field `{0}`")]
    Missing(&'static str),
    #[error("field `{0}` has the wrong type")]
    WrongType(&'static str),
    #[error("field `{0}` is not standard base64")]
    Base64(&'static str),
    #[error("field `{field}` decodes to more than {max} bytes")]
    FieldTooLarge { field: &'static str, max: usize },
    #[error("field `captured_at` is not an RFC 3339 date-time")]
    CapturedAt,
    #[error("a submission holds at most one of `licence` and `ic_licence`")]
    TwoLicences,
    #[error(
        "a submission must not carry the 個人番号 or the card face images (kenhojo.ef0001, kenkaku.ef0002, kenkaku.ef0005)"
    )]
    IndividualNumber,
}

impl SubmissionError {
    /// A stable snake_case name for reports, manifests and API problem details.
    pub fn code(&self) -> &'static str {
        match self {
            SubmissionError::TooLarge { .. } => "too_large",
            SubmissionError::Json { .. } => "json",
            SubmissionError::DuplicateKey { .. } => "duplicate_key",
            SubmissionError::UnknownFormat => "unknown_format",
            SubmissionError::Missing(_) => "missing_field",
            SubmissionError::WrongType(_) => "wrong_type",
            SubmissionError::Base64(_) => "base64",
            SubmissionError::FieldTooLarge { .. } => "field_too_large",
            SubmissionError::CapturedAt => "captured_at",
            SubmissionError::TwoLicences => "two_licences",
            SubmissionError::IndividualNumber => "individual_number",
        }
    }
}

/// Licence AP files.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct LicenceFiles {
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub wef01: Option<Vec<u8>>,
    #[serde(serialize_with = "b64")]
    pub wef02: Vec<u8>,
    #[serde(serialize_with = "b64")]
    pub wef03: Vec<u8>,
}

/// Files of the conventional IC licence (ic-licence.md §2): MF/EF01–02, DF1/EF01–07 by
/// number, `photo` = DF2/EF01. EF01 and EF07 are required; EF02 and the photo (PIN 2) are
/// needed for the signature check.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct IcLicenceFiles {
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub mf_ef01: Option<Vec<u8>>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub mf_ef02: Option<Vec<u8>>,
    #[serde(serialize_with = "b64")]
    pub ef01: Vec<u8>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub ef02: Option<Vec<u8>>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub ef03: Option<Vec<u8>>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub ef04: Option<Vec<u8>>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub ef05: Option<Vec<u8>>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub ef06: Option<Vec<u8>>,
    #[serde(serialize_with = "b64")]
    pub ef07: Vec<u8>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub photo: Option<Vec<u8>>,
}

/// Input-assist AP files (never EF 0001).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct KenhojoFiles {
    #[serde(serialize_with = "b64")]
    pub ef0002: Vec<u8>,
    #[serde(serialize_with = "b64")]
    pub ef0003: Vec<u8>,
    #[serde(serialize_with = "b64")]
    pub ef0004: Vec<u8>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub ef0007: Option<Vec<u8>>,
}

/// Files of the 券面事項確認AP (kenkaku): the age record and its CV certificate. Never
/// EF 0002 or EF 0005 (card face images, the 個人番号 as an image).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct KenkakuFiles {
    #[serde(serialize_with = "b64")]
    pub ef0001: Vec<u8>,
    #[serde(serialize_with = "b64")]
    pub ef0004: Vec<u8>,
}

/// The cards' answers to a verifier's challenge: the input-assist AP's card key (`signature`)
/// and the kenkaku AP's card key (`kenkaku_signature`), either or both.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Freshness {
    #[serde(serialize_with = "b64")]
    pub challenge: Vec<u8>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub signature: Option<Vec<u8>>,
    #[serde(serialize_with = "b64_opt", skip_serializing_if = "Option::is_none")]
    pub kenkaku_signature: Option<Vec<u8>>,
}

/// A submission: what a reader produced. `Debug` shows sizes only (the bytes hold personal data).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captured_at: Option<String>,
    /// The licence AP of a マイナ免許証. A verification of a licence needs it; an age check
    /// does not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<LicenceFiles>,
    /// The conventional IC licence, instead of `licence` (at most one of the two).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ic_licence: Option<IcLicenceFiles>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kenhojo: Option<KenhojoFiles>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kenkaku: Option<KenkakuFiles>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freshness: Option<Freshness>,
}

impl fmt::Debug for Submission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Submission")
            .field("licence", &self.licence)
            .field("ic_licence", &self.ic_licence)
            .field("kenhojo", &self.kenhojo)
            .field("kenkaku", &self.kenkaku)
            .field("freshness", &self.freshness)
            .finish()
    }
}

/// Shows how many bytes, not which: the EFs hold personal data.
struct Len(Option<usize>);

impl fmt::Debug for Len {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(n) => write!(f, "<{n} bytes>"),
            None => f.write_str("None"),
        }
    }
}

fn len(v: &[u8]) -> Len {
    Len(Some(v.len()))
}

fn len_opt(v: &Option<Vec<u8>>) -> Len {
    Len(v.as_ref().map(Vec::len))
}

impl fmt::Debug for LicenceFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LicenceFiles")
            .field("wef01", &len_opt(&self.wef01))
            .field("wef02", &len(&self.wef02))
            .field("wef03", &len(&self.wef03))
            .finish()
    }
}

impl fmt::Debug for KenhojoFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KenhojoFiles")
            .field("ef0002", &len(&self.ef0002))
            .field("ef0003", &len(&self.ef0003))
            .field("ef0004", &len(&self.ef0004))
            .field("ef0007", &len_opt(&self.ef0007))
            .finish()
    }
}

impl fmt::Debug for IcLicenceFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IcLicenceFiles")
            .field("mf_ef01", &len_opt(&self.mf_ef01))
            .field("mf_ef02", &len_opt(&self.mf_ef02))
            .field("ef01", &len(&self.ef01))
            .field("ef02", &len_opt(&self.ef02))
            .field("ef03", &len_opt(&self.ef03))
            .field("ef04", &len_opt(&self.ef04))
            .field("ef05", &len_opt(&self.ef05))
            .field("ef06", &len_opt(&self.ef06))
            .field("ef07", &len(&self.ef07))
            .field("photo", &len_opt(&self.photo))
            .finish()
    }
}

impl fmt::Debug for KenkakuFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KenkakuFiles").field("ef0001", &len(&self.ef0001)).field("ef0004", &len(&self.ef0004)).finish()
    }
}

impl fmt::Debug for Freshness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Freshness")
            .field("challenge", &len(&self.challenge))
            .field("signature", &len_opt(&self.signature))
            .field("kenkaku_signature", &len_opt(&self.kenkaku_signature))
            .finish()
    }
}

fn b64<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&STANDARD.encode(v))
}

fn b64_opt<S: Serializer>(v: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => b64(v, s),
        None => s.serialize_none(),
    }
}

impl Submission {
    pub fn new(
        captured_at: Option<String>,
        licence: Option<LicenceFiles>,
        kenhojo: Option<KenhojoFiles>,
        freshness: Option<Freshness>,
    ) -> Self {
        Self { format: SUBMISSION_FORMAT, captured_at, licence, ic_licence: None, kenhojo, kenkaku: None, freshness }
    }

    /// A submission of a conventional IC licence (no other block).
    pub fn of_ic_licence(captured_at: Option<String>, ic_licence: IcLicenceFiles) -> Self {
        Self {
            format: SUBMISSION_FORMAT,
            captured_at,
            licence: None,
            ic_licence: Some(ic_licence),
            kenhojo: None,
            kenkaku: None,
            freshness: None,
        }
    }

    /// The same submission with the kenkaku age record.
    #[must_use]
    pub fn with_kenkaku(mut self, kenkaku: Option<KenkakuFiles>) -> Self {
        self.kenkaku = kenkaku;
        self
    }

    /// The same submission with other licence AP files (test vectors build splices with it).
    #[must_use]
    pub fn with_licence(mut self, licence: Option<LicenceFiles>) -> Self {
        self.licence = licence;
        self
    }

    /// The same submission with another freshness block.
    #[must_use]
    pub fn clone_with_freshness(&self, freshness: Option<Freshness>) -> Self {
        Self { freshness, ..self.clone() }
    }

    /// Parses and checks a submission document: JSON shape, format, base64, sizes.
    pub fn from_json(bytes: &[u8]) -> Result<Self, SubmissionError> {
        if bytes.len() > SUBMISSION_MAX {
            return Err(SubmissionError::TooLarge { max: SUBMISSION_MAX, actual: bytes.len() });
        }
        let v = crate::json::parse_strict(bytes).map_err(|e| match e {
            crate::json::StrictJsonError::Syntax { line, column } => SubmissionError::Json { line, column },
            crate::json::StrictJsonError::DuplicateKey { line, column } => {
                SubmissionError::DuplicateKey { line, column }
            }
        })?;
        Self::from_value(&v)
    }

    /// Checks a submission document already read with [`crate::json::parse_strict`] (which
    /// refused duplicate keys), such as the `submission` member of a larger request: shape,
    /// format, base64 and the sizes of every field.
    pub fn from_value(v: &Value) -> Result<Self, SubmissionError> {
        let root = v.as_object().ok_or(SubmissionError::WrongType("(document)"))?;
        match root.get("format") {
            Some(Value::String(f)) if f == SUBMISSION_FORMAT => {}
            Some(Value::String(_)) => return Err(SubmissionError::UnknownFormat),
            Some(_) => return Err(SubmissionError::WrongType("format")),
            None => return Err(SubmissionError::Missing("format")),
        }
        let captured_at = match root.get("captured_at") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if is_rfc3339(s) => Some(s.clone()),
            Some(Value::String(_)) => return Err(SubmissionError::CapturedAt),
            Some(_) => return Err(SubmissionError::WrongType("captured_at")),
        };
        let licence = match object(root, "licence")? {
            None => None,
            Some(l) => Some(LicenceFiles {
                wef01: bytes_field(l, "wef01", "licence.wef01", WEF01_MAX)?,
                wef02: required(l, "wef02", "licence.wef02", WEF02_MAX)?,
                wef03: required(l, "wef03", "licence.wef03", WEF03_MAX)?,
            }),
        };
        let ic_licence = match object(root, "ic_licence")? {
            None => None,
            Some(_) if licence.is_some() => return Err(SubmissionError::TwoLicences),
            Some(ic) => {
                let opt = |key: &str, field: &'static str, max: usize| bytes_field(ic, key, field, max);
                Some(IcLicenceFiles {
                    mf_ef01: opt("mf_ef01", "ic_licence.mf_ef01", IC_COMMON_DATA_SIZE)?,
                    mf_ef02: opt("mf_ef02", "ic_licence.mf_ef02", IC_PIN_SETTING_SIZE)?,
                    ef01: required(ic, "ef01", "ic_licence.ef01", IC_ENTRIES_SIZE)?,
                    ef02: opt("ef02", "ic_licence.ef02", IC_DOMICILE_SIZE)?,
                    ef03: opt("ef03", "ic_licence.ef03", IC_GLYPHS_SIZE)?,
                    ef04: opt("ef04", "ic_licence.ef04", IC_CHANGES_SIZE)?,
                    ef05: opt("ef05", "ic_licence.ef05", IC_CHANGE_GLYPHS_SIZE)?,
                    ef06: opt("ef06", "ic_licence.ef06", IC_DOMICILE_CHANGES_SIZE)?,
                    ef07: required(ic, "ef07", "ic_licence.ef07", IC_SIGNATURE_SIZE)?,
                    photo: opt("photo", "ic_licence.photo", IC_PHOTO_SIZE)?,
                })
            }
        };
        let kenhojo = match object(root, "kenhojo")? {
            None => None,
            Some(k) if k.contains_key("ef0001") => return Err(SubmissionError::IndividualNumber),
            Some(k) => Some(KenhojoFiles {
                ef0002: required(k, "ef0002", "kenhojo.ef0002", EF0002_MAX)?,
                ef0003: required(k, "ef0003", "kenhojo.ef0003", EF0003_MAX)?,
                ef0004: required(k, "ef0004", "kenhojo.ef0004", EF0004_MAX)?,
                ef0007: bytes_field(k, "ef0007", "kenhojo.ef0007", EF0007_MAX)?,
            }),
        };
        let kenkaku = match object(root, "kenkaku")? {
            None => None,
            Some(k) if k.contains_key("ef0005") || k.contains_key("ef0002") => {
                return Err(SubmissionError::IndividualNumber);
            }
            Some(k) => Some(KenkakuFiles {
                ef0001: required(k, "ef0001", "kenkaku.ef0001", KENKAKU_EF0001_MAX)?,
                ef0004: required(k, "ef0004", "kenkaku.ef0004", KENKAKU_EF0004_MAX)?,
            }),
        };
        let freshness = match object(root, "freshness")? {
            None => None,
            Some(f) => {
                let signature = bytes_field(f, "signature", "freshness.signature", RSA2048_BYTES)?;
                let kenkaku_signature =
                    bytes_field(f, "kenkaku_signature", "freshness.kenkaku_signature", RSA2048_BYTES)?;
                if signature.is_none() && kenkaku_signature.is_none() {
                    return Err(SubmissionError::Missing("freshness.signature"));
                }
                Some(Freshness {
                    challenge: required(f, "challenge", "freshness.challenge", CHALLENGE_MAX)?,
                    signature,
                    kenkaku_signature,
                })
            }
        };
        Ok(Self { format: SUBMISSION_FORMAT, captured_at, licence, ic_licence, kenhojo, kenkaku, freshness })
    }

    /// The document as pretty-printed JSON.
    pub fn to_json_pretty(&self) -> String {
        // Serializing plain strings and byte vectors into a String cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

fn object<'a>(
    root: &'a Map<String, Value>,
    key: &'static str,
) -> Result<Option<&'a Map<String, Value>>, SubmissionError> {
    match root.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(SubmissionError::WrongType(key)),
    }
}

fn bytes_field(
    m: &Map<String, Value>,
    key: &str,
    field: &'static str,
    max: usize,
) -> Result<Option<Vec<u8>>, SubmissionError> {
    let s = match m.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::String(s)) => s,
        Some(_) => return Err(SubmissionError::WrongType(field)),
    };
    // Base64 of `max` bytes is at most 4 * ceil(max / 3) characters: refuse before decoding.
    if s.len() > max.div_ceil(3).saturating_mul(4) {
        return Err(SubmissionError::FieldTooLarge { field, max });
    }
    let bytes = STANDARD.decode(s).map_err(|_| SubmissionError::Base64(field))?;
    if bytes.len() > max {
        return Err(SubmissionError::FieldTooLarge { field, max });
    }
    Ok(Some(bytes))
}

fn required(m: &Map<String, Value>, key: &str, field: &'static str, max: usize) -> Result<Vec<u8>, SubmissionError> {
    bytes_field(m, key, field, max)?.ok_or(SubmissionError::Missing(field))
}

/// `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)` with real calendar values.
fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: core::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    let head_ok = digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt ")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19);
    if !head_ok || s.get(..10).and_then(|d| d.parse::<crate::Date>().ok()).is_none() {
        return false;
    }
    let num = |r: core::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u8>().ok()).unwrap_or(u8::MAX);
    if num(11..13) > 23 || num(14..16) > 59 || num(17..19) > 60 {
        return false;
    }
    let mut i = 19;
    if at(i, b".") {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len()
                && digits(i + 1..i + 3)
                && at(i + 3, b":")
                && digits(i + 4..i + 6)
                && num(i + 1..i + 3) <= 23
                && num(i + 4..i + 6) <= 59
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn minimal() -> Value {
        serde_json::json!({
            "format": "menkyo-submission/1",
            "licence": { "wef02": STANDARD.encode([0xC2, 0x00]), "wef03": STANDARD.encode([0x01, 0x08, 0x00]) }
        })
    }

    fn parse(v: &Value) -> Result<Submission, SubmissionError> {
        Submission::from_json(v.to_string().as_bytes())
    }

    #[test]
    fn parses_and_round_trips() {
        let mut v = minimal();
        v["captured_at"] = "2026-11-23T10:15:00+09:00".into();
        v["kenhojo"] = serde_json::json!({"ef0002": "AAEC", "ef0003": "", "ef0004": "/w=="});
        let s = parse(&v).unwrap();
        assert_eq!(s.licence.as_ref().unwrap().wef02, vec![0xC2, 0x00]);
        assert_eq!(s.kenhojo.as_ref().unwrap().ef0002, vec![0, 1, 2]);
        assert_eq!(s.kenhojo.as_ref().unwrap().ef0004, vec![0xFF]);
        assert_eq!(Submission::from_json(s.to_json_pretty().as_bytes()), Ok(s.clone()));
        assert_eq!(
            format!("{s:?}"),
            "Submission { licence: Some(LicenceFiles { wef01: None, wef02: <2 bytes>, wef03: <3 bytes> }), ic_licence: None, \
             kenhojo: Some(KenhojoFiles { ef0002: <3 bytes>, ef0003: <0 bytes>, ef0004: <1 bytes>, ef0007: None }), \
             kenkaku: None, freshness: None }"
        );
    }

    #[test]
    fn refuses_bad_documents_naming_the_field() {
        assert_eq!(Submission::from_json(b"{"), Err(SubmissionError::Json { line: 1, column: 1 }));
        assert_eq!(Submission::from_json(b"[]"), Err(SubmissionError::WrongType("(document)")));
        let mut v = minimal();
        v["format"] = "menkyo-submission/2".into();
        assert_eq!(parse(&v), Err(SubmissionError::UnknownFormat));
        let mut v = minimal();
        v["licence"].as_object_mut().unwrap().remove("wef03");
        assert_eq!(parse(&v), Err(SubmissionError::Missing("licence.wef03")));
        let mut v = minimal();
        v["licence"]["wef02"] = "not base64!".into();
        assert_eq!(parse(&v), Err(SubmissionError::Base64("licence.wef02")));
        let mut v = minimal();
        v["licence"]["wef02"] = 5.into();
        assert_eq!(parse(&v), Err(SubmissionError::WrongType("licence.wef02")));
        let mut v = minimal();
        v["licence"]["wef01"] = STANDARD.encode([0u8; 4]).into();
        assert_eq!(parse(&v), Err(SubmissionError::FieldTooLarge { field: "licence.wef01", max: 3 }));
        let mut v = minimal();
        v["kenhojo"] = serde_json::json!({"ef0001": "AAAA", "ef0002": "", "ef0003": "", "ef0004": ""});
        assert_eq!(parse(&v), Err(SubmissionError::IndividualNumber));
        let mut v = minimal();
        v["ic_licence"] = serde_json::json!({"ef01": "", "ef07": ""});
        assert_eq!(parse(&v), Err(SubmissionError::TwoLicences));
        let mut v = minimal();
        v.as_object_mut().unwrap().remove("licence");
        v["ic_licence"] = serde_json::json!({"ef01": "AAEC", "ef07": "", "photo": "/w=="});
        let ic = parse(&v).unwrap().ic_licence.unwrap();
        assert_eq!((ic.ef01, ic.photo, ic.ef02), (vec![0, 1, 2], Some(vec![0xFF]), None));
        v["ic_licence"] = serde_json::json!({"ef01": ""});
        assert_eq!(parse(&v), Err(SubmissionError::Missing("ic_licence.ef07")));
        let mut v = minimal();
        v["kenkaku"] = serde_json::json!({"ef0001": "", "ef0004": "", "ef0005": "AAAA"});
        assert_eq!(parse(&v), Err(SubmissionError::IndividualNumber));
        let mut v = minimal();
        v["freshness"] = serde_json::json!({"challenge": "AAAA"});
        assert_eq!(parse(&v), Err(SubmissionError::Missing("freshness.signature")));
        let mut v = minimal();
        v["freshness"] = serde_json::json!({"challenge": "AAAA", "kenkaku_signature": "AAEC"});
        assert_eq!(parse(&v).unwrap().freshness.unwrap().kenkaku_signature, Some(vec![0, 1, 2]));
        let mut v = minimal();
        v["captured_at"] = "2026-02-30T10:15:00Z".into();
        assert_eq!(parse(&v), Err(SubmissionError::CapturedAt));
        let big = vec![b' '; SUBMISSION_MAX + 1];
        assert_eq!(
            Submission::from_json(&big),
            Err(SubmissionError::TooLarge { max: SUBMISSION_MAX, actual: SUBMISSION_MAX + 1 })
        );
    }

    #[rstest]
    #[case("2026-11-23T10:15:00+09:00", true)]
    #[case("2026-11-23T01:15:00Z", true)]
    #[case("2026-11-23T01:15:00.123Z", true)]
    #[case("2026-11-23T01:15:00", false)]
    #[case("2026-11-23T24:15:00Z", false)]
    #[case("2026-11-23T01:15:00.Z", false)]
    #[case("2026-11-23T01:15:00+0900", false)]
    #[case("2026-11-23", false)]
    fn rfc3339(#[case] s: &str, #[case] ok: bool) {
        assert_eq!(is_rfc3339(s), ok);
    }
}
