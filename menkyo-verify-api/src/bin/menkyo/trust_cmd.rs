//! `menkyo trust recover-key`: the licence signer's RSA key from the signatures of two or more
//! genuine cards (ic-licence.md §7), for operators who must configure the NPA signer themselves.
//! Works for both licence cards: the マイナ免許証 (WEF03 0108 over WEF02) and the conventional IC
//! licence (EF07 B1 over EF01 ‖ EF02 ‖ photo).
//!
//! Prints `modulus: <hex>`, `hash: …`, `form: …`, `key_identifier: …` and exits 0; with no
//! common key it prints none of these and exits 1. The key is trusted only because the cards
//! were genuine: `--out DIR` writes it as `DIR/<hex key identifier>.pem` for the trust store's
//! `licence/` directory.

use std::io::Read;
use std::path::{Path, PathBuf};

use menkyo_core::ic_licence::{Domicile, Entries, Photo, Signature, SignedForm};
use menkyo_core::key_recovery::{self, MessageForm, RecoverError, Sample};
use menkyo_core::licence::{Wef02, Wef03};
use menkyo_core::profile::SUBMISSION_MAX;
use menkyo_core::{DecodeError, Submission};

use crate::exit;
use crate::read_cmd::Failure;

/// Exit code: the cards share no key (or not all of them do).
const NO_KEY: u8 = 1;

fn usage(msg: impl Into<String>) -> Failure {
    Failure(exit::USAGE, msg.into())
}

/// One card's signed data, owned: the candidate messages in both forms, the signature, the
/// key identifier the card names.
struct Card {
    tlv: Vec<u8>,
    whole: Vec<u8>,
    signature: Vec<u8>,
    key_id: Vec<u8>,
}

fn load(path: &Path) -> Result<Card, Failure> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| usage(format!("{name}: {e}")))?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(SUBMISSION_MAX).unwrap_or(u64::MAX).saturating_add(1);
    file.take(limit).read_to_end(&mut bytes).map_err(|e| usage(format!("{name}: {e}")))?;
    let s = Submission::from_json(&bytes).map_err(|e| usage(format!("{name}: {e}")))?;
    let bad = |what: &'static str| {
        let name = name.clone();
        move |e: DecodeError| usage(format!("{name}: {what}: {e}"))
    };
    if let Some(l) = &s.licence {
        let wef02 = Wef02::decode(&l.wef02).map_err(bad("WEF02"))?;
        let wef03 = Wef03::decode(&l.wef03).map_err(bad("WEF03"))?;
        return Ok(Card {
            tlv: wef02.signed_tlv.to_vec(),
            whole: wef02.whole.to_vec(),
            signature: wef03.info.signature,
            key_id: wef03.info.subject_key_id,
        });
    }
    let Some(ic) = &s.ic_licence else {
        return Err(usage(format!("{name}: neither `licence` nor `ic_licence`: no signature to recover from")));
    };
    let (Some(ef02), Some(photo)) = (&ic.ef02, &ic.photo) else {
        return Err(usage(format!("{name}: the IC licence needs EF02 and the photo (read with PIN 2)")));
    };
    let entries = Entries::decode(&ic.ef01).map_err(bad("EF01"))?;
    let domicile = Domicile::decode(ef02).map_err(bad("EF02"))?;
    let photo = Photo::decode(photo).map_err(bad("photo"))?;
    let signature = Signature::decode(&ic.ef07).map_err(bad("EF07"))?;
    Ok(Card {
        tlv: SignedForm::Tlv.message(&entries, &domicile, &photo),
        whole: SignedForm::Whole.message(&entries, &domicile, &photo),
        signature: signature.value,
        key_id: signature.key_id,
    })
}

pub(crate) fn recover_key(files: &[PathBuf], out: Option<&Path>) -> Result<u8, Failure> {
    if files.len() < 2 {
        return Err(usage("recover-key: give at least two submissions of genuine cards"));
    }
    let cards = files.iter().map(|f| load(f)).collect::<Result<Vec<_>, _>>()?;
    let samples: Vec<Sample<'_>> = cards
        .iter()
        .map(|c| Sample {
            messages: vec![(MessageForm::Tlv, c.tlv.as_slice()), (MessageForm::Whole, c.whole.as_slice())],
            signature: &c.signature,
        })
        .collect();
    eprintln!("menkyo: recovering the signer's key from {} cards (about a minute)…", cards.len());
    let recovered = match key_recovery::recover(&samples) {
        Ok(r) => r,
        Err(e @ (RecoverError::NoCommonKey | RecoverError::CofactorRemains { .. })) => {
            eprintln!("menkyo: no key: {e}; these cards were not all signed by one key");
            return Ok(NO_KEY);
        }
        Err(e) => return Err(usage(format!("recover-key: {e}"))),
    };
    let key_id = cards.first().map(|c| c.key_id.clone()).unwrap_or_default();
    let same_id = cards.iter().all(|c| c.key_id == key_id);
    let matched = key_recovery::key_identifier_match(&recovered.modulus, recovered.exponent, &key_id);
    let mut text = format!(
        "modulus: {}\nhash: {}\nform: {}\nkey_identifier: {}\n",
        menkyo_core::hex::encode(&recovered.modulus),
        recovered.hash.as_str(),
        recovered.form.as_str(),
        matched.as_str()
    );
    if !same_id {
        text.push_str("note: the cards name different key identifiers\n");
    }
    if let Some(dir) = out {
        let pem = key_recovery::public_key_pem(&recovered.modulus, recovered.exponent)
            .map_err(|e| usage(format!("recover-key: {e}")))?;
        let path = dir.join(format!("{}.pem", menkyo_core::hex::encode(&key_id)));
        std::fs::create_dir_all(dir).map_err(|e| usage(format!("--out {}: {e}", dir.display())))?;
        std::fs::write(&path, pem).map_err(|e| usage(format!("{}: {e}", path.display())))?;
        eprintln!("menkyo: wrote {} (trust it only if the cards were genuine)", path.display());
    }
    exit::emit(&text).map_err(usage)?;
    Ok(exit::VALID)
}
