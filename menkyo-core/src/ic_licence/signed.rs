//! What the DF1/EF07 signature covers (ic-licence.md §6).
//!
//! ```text
//! message = DF1/EF01 ‖ DF1/EF02 ‖ DF2/EF01
//!   form tlv:    each EF's TLV bytes up to the FF padding   [P: the exact bytes]
//!   form whole:  each EF as read, padding included
//! ```
//!
//! The parts come from the decoded records, which borrow the bytes they were decoded from:
//! the bytes shown and the bytes verified cannot drift apart. MF/EF01 and EF03–EF06 are
//! not signed.

use core::fmt;

use crate::ic_licence::domicile::Domicile;
use crate::ic_licence::entries::Entries;
use crate::ic_licence::photo::Photo;

/// Which bytes of each signed EF go into the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignedForm {
    /// Each EF's TLV bytes up to the `FF` padding.
    Tlv,
    /// Each EF as read, padding included.
    Whole,
}

impl SignedForm {
    /// Every form, in the order a verifier tries them.
    pub const ALL: [SignedForm; 2] = [SignedForm::Tlv, SignedForm::Whole];

    /// `tlv` or `whole`, as reports and `menkyo trust recover-key` print it.
    pub fn as_str(self) -> &'static str {
        match self {
            SignedForm::Tlv => "tlv",
            SignedForm::Whole => "whole",
        }
    }

    /// The three parts of [`SignedForm::message`], in order, without joining them.
    pub fn parts<'a>(self, entries: &Entries<'a>, domicile: &Domicile<'a>, photo: &Photo<'a>) -> [&'a [u8]; 3] {
        [entries.part().get(self), domicile.part().get(self), photo.part().get(self)]
    }

    /// The signed message in this form: DF1/EF01 ‖ DF1/EF02 ‖ DF2/EF01.
    pub fn message(self, entries: &Entries<'_>, domicile: &Domicile<'_>, photo: &Photo<'_>) -> Vec<u8> {
        let parts = self.parts(entries, domicile, photo);
        let len = parts.iter().fold(0usize, |n, p| n.saturating_add(p.len()));
        let mut out = Vec::with_capacity(len);
        for p in parts {
            out.extend_from_slice(p);
        }
        out
    }
}

/// One signed EF as read and where its TLV bytes end: its part of the message in either form.
/// The decoded records hold one, so every EF cuts its forms the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedPart<'a> {
    raw: &'a [u8],
    /// Offset of the first padding byte.
    end: usize,
}

impl<'a> SignedPart<'a> {
    /// `raw` as read, its TLV bytes ending at `end` (clamped to `raw`).
    pub(crate) fn new(raw: &'a [u8], end: usize) -> Self {
        Self { raw, end: end.min(raw.len()) }
    }

    /// The TLV bytes up to the padding (form `tlv`).
    pub fn tlv(&self) -> &'a [u8] {
        self.raw.get(..self.end).unwrap_or_default()
    }

    /// The EF as read, padding included (form `whole`).
    pub fn whole(&self) -> &'a [u8] {
        self.raw
    }

    /// The part in `form`.
    pub fn get(&self, form: SignedForm) -> &'a [u8] {
        match form {
            SignedForm::Tlv => self.tlv(),
            SignedForm::Whole => self.whole(),
        }
    }
}

impl fmt::Display for SignedForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ic_licence::test_support::jis;

    #[test]
    fn concatenates_the_three_efs_in_order() {
        let mut entries_ef = vec![0x12, 0x04, 0x3B, 0x33, 0x45, 0x44];
        entries_ef.resize(880, 0xFF);
        let domicile_ef = Domicile::encode(&jis("東京都")).unwrap();
        let photo_ef = Photo::encode(&[0xFF, 0x4F, 0xFF, 0x51]).unwrap();
        let entries = Entries::decode(&entries_ef).unwrap();
        let domicile = Domicile::decode(&domicile_ef).unwrap();
        let photo = Photo::decode(&photo_ef).unwrap();

        let tlv = SignedForm::Tlv.message(&entries, &domicile, &photo);
        let mut want = vec![0x12, 0x04, 0x3B, 0x33, 0x45, 0x44];
        want.extend_from_slice(&[0x41, 0x06, 0x45, 0x6C, 0x35, 0x7E, 0x45, 0x54]);
        want.extend_from_slice(&[0x5F, 0x40, 0x82, 0x00, 0x04, 0xFF, 0x4F, 0xFF, 0x51]);
        assert_eq!(tlv, want);

        let whole = SignedForm::Whole.message(&entries, &domicile, &photo);
        assert_eq!(whole.len(), 880 + 82 + 2005);
        assert_eq!(whole, [entries_ef, domicile_ef, photo_ef].concat());
    }

    #[test]
    fn names() {
        assert_eq!(SignedForm::ALL.map(SignedForm::as_str), ["tlv", "whole"]);
        assert_eq!(SignedForm::Whole.to_string(), "whole");
        assert_eq!(serde_json::to_string(&SignedForm::Tlv).unwrap(), "\"tlv\"");
    }
}
