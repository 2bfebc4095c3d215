//! Which card is on the reader: a マイナ免許証, a My Number card without the licence, a
//! conventional IC licence, or none of these. Decided by SELECT answers only, never by the ATR
//! (contactless readers synthesise it: card-formats.md §1).

use crate::apdu::Command;
use crate::card_profile::{KENHOJO_AID, LICENCE_AID};
use crate::ic_card_profile::IC_DF1_AID;
use crate::session::ReadError;
use crate::status_word::StatusWord;
use crate::transport::{Card, Transport};

/// The kind of card on the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// A My Number card with the licence recorded (the licence AP answers 9000).
    MyNumberLicence,
    /// A My Number card without the licence: the licence AP answers 6A82, the input-assist AP
    /// 9000.
    MyNumberWithoutLicence,
    /// A conventional IC driver's licence (DF1 answers 9000).
    IcLicence,
    NotALicenceCard,
}

/// SELECTs the licence AP (9000: a マイナ免許証); on 6A82 the input-assist AP (9000: a My
/// Number card without the licence); otherwise DF1 of the IC licence (9000: an IC licence).
/// Returns the transport for the read that follows (which SELECTs what it needs again).
pub fn detect<T: Transport>(transport: T) -> Result<(CardKind, T), ReadError> {
    let mut card = Card::new(transport);
    let kind = match card.send(&Command::select_ap(&LICENCE_AID))?.sw {
        StatusWord::OK => CardKind::MyNumberLicence,
        sw => {
            let my_number_card =
                sw == StatusWord::NOT_FOUND && card.send(&Command::select_ap(&KENHOJO_AID))?.sw.is_ok();
            if my_number_card {
                CardKind::MyNumberWithoutLicence
            } else if card.send(&Command::select_ap(&IC_DF1_AID))?.sw.is_ok() {
                CardKind::IcLicence
            } else {
                CardKind::NotALicenceCard
            }
        }
    };
    Ok((kind, card.into_transport()))
}
