//! What a counter screen needs to know before asking for anything: the card kind, whether the
//! holder set PINs, and the tries left of every key, read with empty VERIFYs (which spend no
//! try). Nothing personal is read: only WEF01 / MF EF02 (the PIN settings, free to read).

use menkyo_core::ic_licence::PinSetting as IcPinSetting;
use menkyo_core::licence::PinSetting;

use crate::apdu::Command;
use crate::card_kind::{CardKind, detect};
use crate::card_profile::{
    COLLATION_B_P2, CURRENT_KEY_P2, KENHOJO_AID, KENHOJO_PIN_P2, KENKAKU_AID, KENKAKU_BIRTH_KEY, LICENCE_AID,
    LICENCE_PIN_P2, WEF01,
};
use crate::ic_card_profile::{IC_MF_EF02, IC_PIN1_P2, IC_PIN2_P2};
use crate::session::ReadError;
use crate::status_word::StatusWord;
use crate::transport::{Card, Transport};

/// The retry counter of one key as the card answered the empty VERIFY.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tries {
    /// Tries left (`63Cx`).
    Left(u8),
    /// 6984, or a counter of 0.
    Blocked,
    /// The card gave no count (the key does not exist here, or another status).
    Unknown,
}

/// What the card needs, as far as it says without a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: CardKind,
    /// マイナ免許証: whether WEF01 says the holder set a licence PIN (`None`: unreadable).
    /// IC licence: whether MF/EF02 says PINs are set.
    pub pin_set: Option<bool>,
    /// The licence PIN, or the IC licence's PIN1.
    pub licence_pin: Tries,
    /// The IC licence's PIN2.
    pub ic_pin2: Tries,
    /// The card-surface PIN and 照合番号B.
    pub kenhojo_pin: Tries,
    pub collation_b: Tries,
    /// The kenkaku age record's birth-date key; `Unknown` when the card has no kenkaku AP.
    pub birth_key: Tries,
}

fn counter<T: Transport>(card: &mut Card<T>, p2: u8) -> Result<Tries, ReadError> {
    let sw = card.send(&Command::verify_counter(p2))?.sw;
    Ok(match (sw, sw.tries_left()) {
        (StatusWord::BLOCKED, _) | (_, Some(0)) => Tries::Blocked,
        (_, Some(n)) => Tries::Left(n),
        _ => Tries::Unknown,
    })
}

fn selected<T: Transport>(card: &mut Card<T>, aid: &[u8]) -> Result<bool, ReadError> {
    Ok(card.send(&Command::select_ap(aid))?.sw.is_ok())
}

/// Probes the card behind `transport` and returns it for the read that follows.
pub fn probe<T: Transport>(transport: T) -> Result<(Probe, T), ReadError> {
    let (kind, transport) = detect(transport)?;
    let mut card = Card::new(transport);
    let mut p = Probe {
        kind,
        pin_set: None,
        licence_pin: Tries::Unknown,
        ic_pin2: Tries::Unknown,
        kenhojo_pin: Tries::Unknown,
        collation_b: Tries::Unknown,
        birth_key: Tries::Unknown,
    };
    match kind {
        CardKind::MyNumberLicence | CardKind::MyNumberWithoutLicence => {
            if kind == CardKind::MyNumberLicence && selected(&mut card, &LICENCE_AID)? {
                let r = card.send(&Command::read_binary_sfi(WEF01.1, crate::apdu::SHORT_LE_MAX))?;
                p.pin_set = r.sw.is_ok().then(|| PinSetting::decode(&r.data).ok()).flatten().and_then(|s| match s {
                    PinSetting::Set => Some(true),
                    PinSetting::NotSet => Some(false),
                    PinSetting::Unknown(_) => None,
                });
                p.licence_pin = counter(&mut card, LICENCE_PIN_P2)?;
            }
            if selected(&mut card, &KENHOJO_AID)? {
                p.kenhojo_pin = counter(&mut card, KENHOJO_PIN_P2)?;
                p.collation_b = counter(&mut card, COLLATION_B_P2)?;
            }
            if selected(&mut card, &KENKAKU_AID)? && card.send(&Command::select_ef(KENKAKU_BIRTH_KEY.0))?.sw.is_ok() {
                p.birth_key = counter(&mut card, CURRENT_KEY_P2)?;
            }
        }
        CardKind::IcLicence => {
            if card.send(&Command::select_mf())?.sw.is_ok() {
                let r = card
                    .send(&Command::read_binary_sfi(IC_MF_EF02.sfi.unwrap_or_default(), crate::apdu::SHORT_LE_MAX))?;
                p.pin_set =
                    r.sw.is_ok().then(|| IcPinSetting::decode(&r.data).ok()).flatten().map(|s| s == IcPinSetting::Set);
                // A PIN setting that could not be read: no VERIFY of any kind, not even empty.
                if p.pin_set.is_some() {
                    p.licence_pin = counter(&mut card, IC_PIN1_P2)?;
                    p.ic_pin2 = counter(&mut card, IC_PIN2_P2)?;
                }
            }
        }
        CardKind::NotALicenceCard => {}
    }
    Ok((p, card.into_transport()))
}
