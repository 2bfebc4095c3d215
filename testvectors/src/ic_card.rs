//! The files of one conventional IC licence (ic-licence.md §2), signed with the test PKI.
//!
//! ```text
//! MF/EF01   common data        CommonData::encode (17 B)
//! MF/EF02   PIN setting        PinSetting::encode (3 B)
//! DF1/EF01  entries            EntriesInfo::encode, padded to 880 B
//! DF1/EF02  本籍               Domicile::encode, padded to 82 B
//! DF1/EF03  外字 1-2           Glyphs::encode (264 B), only when a text uses them
//! DF1/EF04-06 changes          Changes / ChangeGlyphs / DomicileChanges::encode
//! DF1/EF07  signature          B1 = RSASSA-PKCS1-v1_5 over SignedForm::message(EF01, EF02, photo)
//! DF2/EF01  photo              Photo::encode (the committed portrait), padded to 2005 B
//! ```

use menkyo_core::ic_licence::{CommonData, Domicile, Entries, Photo, Signature, SignedForm};
use menkyo_core::profile::IC_SIGNATURE_RESERVED_MAX;
use menkyo_core::{AsciiText, IcLicenceFiles, Submission};
use rsa::RsaPrivateKey;

use crate::Error;
use crate::card::CAPTURED_AT;
use crate::ic_personas::IcPersona;
use crate::keys::{Hash, sign_with};
use crate::pki::TestPki;

/// B2 of the test signer 01: the serial number of its certificate (as WEF03 0109).
const SIGNER_01_SERIAL: &str = "0000000000000002";
/// B2 of signer 02, which has no certificate. [P]
const SIGNER_02_SERIAL: &str = "0000000000000099";
/// B4, as WEF03 010B.
const ISSUER: &str = "TEST ONLY menkyo NPA Root CA";

/// Who signs EF07, how, and over which bytes.
#[derive(Debug, Clone, Copy)]
pub struct IcSigner<'a> {
    pub key: &'a RsaPrivateKey,
    /// B6.
    pub key_id: &'a [u8],
    /// B2, B5.
    pub serial: &'static str,
    pub subject: &'static str,
    pub hash: Hash,
    pub form: SignedForm,
}

impl<'a> IcSigner<'a> {
    /// The licence signer of the trust store (the WEF03 signer of the マイナ免許証 personas):
    /// SHA-256 over the TLV form.
    pub fn licence_signer(pki: &'a TestPki) -> Self {
        Self {
            key: &pki.licence_signer.key,
            key_id: &pki.licence_signer.ski,
            serial: SIGNER_01_SERIAL,
            subject: "TEST ONLY menkyo Licence Signer 01",
            hash: Hash::Sha256,
            form: SignedForm::Tlv,
        }
    }

    /// The second test signer, in no trust store.
    pub fn licence_signer_02(pki: &'a TestPki) -> Self {
        Self {
            key: &pki.licence_signer_02.key,
            key_id: &pki.licence_signer_02.ski,
            serial: SIGNER_02_SERIAL,
            subject: "TEST ONLY menkyo Licence Signer 02",
            ..Self::licence_signer(pki)
        }
    }

    /// DF1/EF07 signing DF1/EF01 ‖ DF1/EF02 ‖ DF2/EF01 (each EF as the card holds it).
    pub fn ef07(&self, ef01: &[u8], ef02: &[u8], photo: &[u8]) -> Result<Vec<u8>, Error> {
        let entries = Entries::decode(ef01)?;
        let domicile = Domicile::decode(ef02)?;
        let photo = Photo::decode(photo)?;
        let message = self.form.message(&entries, &domicile, &photo);
        let ascii = |s: &str| AsciiText::try_from(s).map_err(|_| Error::Invariant("EF07 text is not ASCII"));
        Ok(Signature {
            value: sign_with(self.key, self.hash, &message)?,
            serial: ascii(self.serial)?,
            // [P] B3 reserved: 48 zero bytes.
            reserved: vec![0; IC_SIGNATURE_RESERVED_MAX],
            issuer: ascii(ISSUER)?,
            subject: ascii(self.subject)?,
            key_id: self.key_id.to_vec(),
            unknown: Vec::new(),
        }
        .encode()?)
    }
}

/// Every EF of one test card, as a reader with both PINs reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcCardFiles {
    pub mf_ef01: Vec<u8>,
    pub mf_ef02: Vec<u8>,
    pub ef01: Vec<u8>,
    pub ef02: Vec<u8>,
    /// `None`: the card has no DF1/EF03.
    pub ef03: Option<Vec<u8>>,
    pub ef04: Vec<u8>,
    pub ef05: Vec<u8>,
    pub ef06: Vec<u8>,
    pub ef07: Vec<u8>,
    pub photo: Vec<u8>,
    /// The holder knows PIN2: the persona's submission carries EF02, EF06 and the photo.
    pub pin2_known: bool,
}

pub fn build(p: &IcPersona, pki: &TestPki, portrait: &[u8]) -> Result<IcCardFiles, Error> {
    let issue = p.entries.issue_date.ok_or(Error::Invariant("IC persona without issue date"))?;
    let expiry = p.entries.expiry.ok_or(Error::Invariant("IC persona without expiry"))?;
    let mf_ef01 = CommonData {
        spec_version: AsciiText::try_from(p.spec_version).map_err(|_| Error::Invariant("spec version"))?,
        issue_date: issue.to_gregorian(),
        expiry: expiry.to_gregorian(),
        manufacturer_id: p.manufacturer_id,
        crypto_function_id: p.crypto_function_id,
        unknown: Vec::new(),
    }
    .encode()?;
    let ef01 = p.entries.encode()?;
    let ef02 = Domicile::encode(&p.domicile)?;
    let photo = Photo::encode(portrait)?;
    let ef07 = IcSigner::licence_signer(pki).ef07(&ef01, &ef02, &photo)?;
    Ok(IcCardFiles {
        mf_ef01,
        mf_ef02: p.pins.setting.encode()?,
        ef01,
        ef02,
        ef03: p.glyphs.as_ref().map(menkyo_core::ic_licence::Glyphs::encode).transpose()?,
        ef04: p.changes.encode()?,
        ef05: p.change_glyphs.encode()?,
        ef06: p.domicile_changes.encode()?,
        ef07,
        photo,
        pin2_known: p.pins.pin2.is_some(),
    })
}

impl IcCardFiles {
    /// What a reader with both PINs gets: every EF of the card.
    pub fn files(&self) -> IcLicenceFiles {
        IcLicenceFiles {
            mf_ef01: Some(self.mf_ef01.clone()),
            mf_ef02: Some(self.mf_ef02.clone()),
            ef01: self.ef01.clone(),
            ef02: Some(self.ef02.clone()),
            ef03: self.ef03.clone(),
            ef04: Some(self.ef04.clone()),
            ef05: Some(self.ef05.clone()),
            ef06: Some(self.ef06.clone()),
            ef07: self.ef07.clone(),
            photo: Some(self.photo.clone()),
        }
    }

    /// The submission the persona's reader produces: without PIN2 no 本籍 (EF02, EF06) and
    /// no photo (ic-licence.md §3).
    pub fn submission(&self) -> Submission {
        let mut files = self.files();
        if !self.pin2_known {
            files.ef02 = None;
            files.ef06 = None;
            files.photo = None;
        }
        Submission::of_ic_licence(Some(CAPTURED_AT.to_string()), files)
    }

    /// A submission of every EF, whatever the holder knows.
    pub fn full_submission(&self) -> Submission {
        Submission::of_ic_licence(Some(CAPTURED_AT.to_string()), self.files())
    }
}

/// The credentials of a persona for the card simulator, as JSON. TEST ONLY.
pub fn credentials(p: &IcPersona) -> serde_json::Value {
    let setting = match p.pins.setting {
        menkyo_core::ic_licence::PinSetting::Set => "set",
        menkyo_core::ic_licence::PinSetting::NotSet => "not_set",
    };
    serde_json::json!({
        "TEST_ONLY": "Synthetic credentials of a synthetic card.",
        "pin_setting": setting,
        "pin1": p.pins.pin1,
        "pin2": p.pins.pin2,
        "pin1_tries": p.pins.pin1_tries,
        "pin2_tries": p.pins.pin2_tries,
        "reads_cut_at_256": p.reads_cut_at_256,
        "spec_version": p.spec_version,
    })
}
