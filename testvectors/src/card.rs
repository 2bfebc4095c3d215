//! The files of one persona's card, signed with the test PKI.

use rsa::RsaPrivateKey;
use sha2::{Digest, Sha256};

use menkyo_core::kenhojo::{ApInfo, BasicFour, CardKey, Ef0002, Ef0003, individual_number};
use menkyo_core::kenkaku::AgeRecord;
use menkyo_core::licence::{LicenceInfo, PinSetting, SignatureInfo};
use menkyo_core::{AsciiText, CollationNumberB, Freshness, KenhojoFiles, KenkakuFiles, LicenceFiles, Submission};

use crate::Error;
use crate::keys::{rsa_key, sign_sha256, sign_sha256_256};
use crate::personas::Persona;
use crate::pki::{TestPki, public_parts};

/// When the test submissions say they were captured.
pub const CAPTURED_AT: &str = "2026-11-23T10:15:00+09:00";
/// Serial number written in WEF03 (tag 0109) by the test signer.
const SIGNER_SERIAL: &str = "0000000000000002";
/// EF 0005 items: their meaning is not public; [P] a one-byte version.
const AP_INFO_ITEMS: [(u32, &[u8]); 1] = [(0xDF41, &[0x01])];

/// Everything on one test card, as a reader would read it.
#[derive(Debug, Clone)]
pub struct CardFiles {
    pub wef01: Vec<u8>,
    pub wef02: Vec<u8>,
    pub wef03: Vec<u8>,
    pub ef0001: Vec<u8>,
    pub ef0002: Vec<u8>,
    pub ef0003: Vec<u8>,
    pub ef0004: Vec<u8>,
    pub ef0005: Vec<u8>,
    pub ef0007: Vec<u8>,
    pub card_key: RsaPrivateKey,
    pub challenge: Vec<u8>,
    pub challenge_signature: Vec<u8>,
    /// 券面事項確認AP: EF 0001 (age record), 0002 (card face image), 0004, 0005 (the 個人番号
    /// as an image: a placeholder here), the card key of DF12 and its answer to `challenge`.
    pub kenkaku_ef0001: Vec<u8>,
    pub kenkaku_ef0002: Vec<u8>,
    pub kenkaku_ef0004: Vec<u8>,
    pub kenkaku_ef0005: Vec<u8>,
    pub kenkaku_card_key: RsaPrivateKey,
    pub kenkaku_signature: Vec<u8>,
}

/// Stand-in contents of the kenkaku image EFs, which menkyo never reads. [P] Their real
/// layout is not needed: a reader that touched them would be a bug the tests catch.
fn image_placeholder(what: &str) -> Vec<u8> {
    let mut v = format!("TEST ONLY placeholder: {what}; menkyo never reads this EF").into_bytes();
    v.resize(256, 0xFF);
    v
}

/// The kenkaku age record of `birth` and `card_key`, signed by the kenkaku AP key.
pub fn age_record(birth: menkyo_core::Date, card_key: &RsaPrivateKey, pki: &TestPki) -> Result<Vec<u8>, Error> {
    let record = AgeRecord { birth_date: birth, card_key: public_parts(&card_key.to_public_key())? };
    Ok(record.encode(&sign_sha256_256(&pki.kenkaku_issuer, &record.signed_bytes_for()?)?)?)
}

/// Encodes WEF02 and signs it with the licence signer.
pub fn sign_licence(info: &LicenceInfo, pki: &TestPki) -> Result<(Vec<u8>, Vec<u8>), Error> {
    let wef02 = info.encode()?;
    let wef03 = wef03_for(&wef02, pki)?;
    Ok((wef02, wef03))
}

/// WEF03 with the licence signer's signature over `signed`.
pub fn wef03_for(signed: &[u8], pki: &TestPki) -> Result<Vec<u8>, Error> {
    let ascii = |s: &str| AsciiText::try_from(s).map_err(|_| Error::Invariant("WEF03 text is not ASCII"));
    Ok(SignatureInfo {
        signature: sign_sha256(&pki.licence_signer.key, signed),
        serial: ascii(SIGNER_SERIAL)?,
        rfu: Vec::new(),
        issuer: ascii("TEST ONLY menkyo NPA Root CA")?,
        subject: ascii("TEST ONLY menkyo Licence Signer 01")?,
        subject_key_id: pki.licence_signer.ski.to_vec(),
    }
    .encode()?)
}

/// EF 0003 for given EF 0001 and EF 0002, signed by the issuer key.
pub fn integrity_record(ef0001: &[u8], ef0002: &[u8], pki: &TestPki) -> Result<Vec<u8>, Error> {
    let number_digest: [u8; 32] = Sha256::digest(ef0001).into();
    let decoded = Ef0002::decode(ef0002)?;
    let basic_four_digest: [u8; 32] = Sha256::digest(decoded.digest_input).into();
    let signed = Ef0003::signed_bytes_for(&number_digest, &basic_four_digest)?;
    Ok(Ef0003::encode(&number_digest, &basic_four_digest, &sign_sha256_256(&pki.issuer, &signed)?)?)
}

pub fn build(p: &Persona, pki: &TestPki, portrait: &[u8]) -> Result<CardFiles, Error> {
    let mut info = p.licence.clone();
    info.photo = portrait.to_vec();
    let (wef02, wef03) = sign_licence(&info, pki)?;
    let wef01 = if p.licence_pin.is_some() { PinSetting::Set } else { PinSetting::NotSet }.encode()?;

    let ef0001 = individual_number::encode_ef0001(p.individual_number.as_bytes())?;
    let ef0002 =
        BasicFour { name: p.name.to_string(), address: p.address.clone(), birth_date: p.birth, sex: p.sex }.encode()?;
    let ef0003 = integrity_record(&ef0001, &ef0002, pki)?;
    let card_key = rsa_key(&format!("card-{}", p.id))?;
    let parts = public_parts(&card_key.to_public_key())?;
    let ef0007 = CardKey::encode(&parts, &sign_sha256_256(&pki.issuer, &CardKey::signed_bytes_for(&parts)?)?)?;
    let ef0005 = ApInfo::encode(&AP_INFO_ITEMS)?;
    let challenge = Sha256::digest(format!("menkyo TEST ONLY challenge {}", p.id)).to_vec();
    let challenge_signature = sign_sha256(&card_key, &challenge);
    let kenkaku_card_key = rsa_key(&format!("kenkaku-card-{}", p.id))?;
    let kenkaku_signature = sign_sha256(&kenkaku_card_key, &challenge);
    Ok(CardFiles {
        wef01,
        wef02,
        wef03,
        ef0001,
        ef0002,
        ef0003,
        ef0004: pki.ef0004.clone(),
        ef0005,
        ef0007,
        card_key,
        challenge,
        challenge_signature,
        kenkaku_ef0001: age_record(p.birth, &kenkaku_card_key, pki)?,
        kenkaku_ef0002: image_placeholder("kenkaku EF 0002, the card face"),
        kenkaku_ef0004: pki.kenkaku_ef0004.clone(),
        kenkaku_ef0005: image_placeholder("kenkaku EF 0005, the 個人番号 as an image"),
        kenkaku_card_key,
        kenkaku_signature,
    })
}

impl CardFiles {
    /// The submission a reader would produce (never with EF 0001).
    pub fn submission(&self) -> Submission {
        Submission::new(
            Some(CAPTURED_AT.to_string()),
            Some(LicenceFiles {
                wef01: Some(self.wef01.clone()),
                wef02: self.wef02.clone(),
                wef03: self.wef03.clone(),
            }),
            Some(KenhojoFiles {
                ef0002: self.ef0002.clone(),
                ef0003: self.ef0003.clone(),
                ef0004: self.ef0004.clone(),
                ef0007: Some(self.ef0007.clone()),
            }),
            Some(Freshness {
                challenge: self.challenge.clone(),
                signature: Some(self.challenge_signature.clone()),
                kenkaku_signature: Some(self.kenkaku_signature.clone()),
            }),
        )
        .with_kenkaku(Some(KenkakuFiles { ef0001: self.kenkaku_ef0001.clone(), ef0004: self.kenkaku_ef0004.clone() }))
    }

    /// What an age check sends: the kenkaku age record and its card's answer, nothing else.
    pub fn age_check_submission(&self) -> Submission {
        Submission::new(
            Some(CAPTURED_AT.to_string()),
            None,
            None,
            Some(Freshness {
                challenge: self.challenge.clone(),
                signature: None,
                kenkaku_signature: Some(self.kenkaku_signature.clone()),
            }),
        )
        .with_kenkaku(Some(KenkakuFiles { ef0001: self.kenkaku_ef0001.clone(), ef0004: self.kenkaku_ef0004.clone() }))
    }
}

/// The test credentials of a persona, as JSON. TEST ONLY.
pub fn credentials(p: &Persona) -> Result<serde_json::Value, Error> {
    let collation = CollationNumberB::new(p.birth, p.card_expiry_year, p.security_code)
        .map_err(|_| Error::Invariant("persona collation inputs"))?;
    Ok(serde_json::json!({
        "TEST_ONLY": "Synthetic credentials of a synthetic card.",
        "licence_pin": p.licence_pin,
        "licence_pin_setting": if p.licence_pin.is_some() { "set" } else { "not_set (DPIN ****)" },
        "kenhojo_pin": p.kenhojo_pin,
        "birth_date": p.birth.to_string(),
        "card_expiry_year": p.card_expiry_year,
        "security_code": p.security_code,
        "collation_number_b": collation.expose(),
        "individual_number": p.individual_number,
    }))
}
