//! Decode errors: what went wrong, at which offset, in which tag.

use core::fmt;

use crate::era::DateError;

/// A tag of one of the two encodings on the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Licence AP tag: one byte `C1`–`FF` or two bytes `01 xx` (card-formats.md §2.2).
    Licence(u16),
    /// BER tag of the card-surface APs, e.g. `FF20`, `DF21`, `5F4E`.
    Ber(u32),
    /// Conventional IC licence tag: one byte, `05`–`B6` (ic-licence.md §2–§6).
    IcLicence(u8),
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::Licence(t) if *t > 0xFF => write!(f, "{t:04X}"),
            Tag::Licence(t) => write!(f, "{t:02X}"),
            Tag::Ber(t) => write!(f, "{t:02X}"),
            Tag::IcLicence(t) => write!(f, "{t:02X}"),
        }
    }
}

/// What was wrong with the bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeErrorKind {
    /// The input ended inside a tag, a length or a fixed-size field.
    #[error("input ends early: {needed} more byte(s) needed")]
    Truncated { needed: usize },
    /// A byte that cannot start a tag where a tag is required.
    #[error("byte {byte:#04X} is not a tag")]
    BadTag { byte: u8 },
    /// A length octet that is not `00`–`7F`, `81` or `82` (or a BER tag that is too long).
    #[error("unsupported length form {first_byte:#04X}")]
    BadLength { first_byte: u8 },
    /// A length that runs past the end of the record.
    #[error("length {length} runs past the end ({available} byte(s) left)")]
    LengthPastEnd { length: usize, available: usize },
    /// A value longer than the item's maximum.
    #[error("value of {actual} bytes exceeds the maximum of {max}")]
    ValueTooLong { max: usize, actual: usize },
    /// A portrait larger than the licence AP allows.
    #[error("portrait of {actual} bytes exceeds the maximum of {max}")]
    PhotoTooLarge { max: usize, actual: usize },
    /// A record larger than its elementary file can be.
    #[error("record of {actual} bytes exceeds the maximum of {max}")]
    RecordTooLarge { max: usize, actual: usize },
    /// A tag that is not greater than the one before it.
    #[error("tag out of order after {previous}")]
    TagOutOfOrder { previous: Tag },
    /// A different tag than the layout requires.
    #[error("expected tag {expected}")]
    UnexpectedTag { expected: Tag },
    /// A required item that is not there.
    #[error("required item {expected} is missing")]
    MissingItem { expected: Tag },
    /// A fixed-length value of the wrong length.
    #[error("value of {actual} bytes, expected {expected}")]
    WrongLength { expected: usize, actual: usize },
    /// A date that is not a date.
    #[error("bad date: {0}")]
    BadDate(DateError),
    /// A JIS X 0208 text with an odd number of bytes.
    #[error("JIS X 0208 text has an odd length")]
    OddJisLength,
    /// A JIS X 0208 byte outside 0x21–0x7E (and not a gaiji marker).
    #[error("byte {byte:#04X} is not JIS X 0208")]
    BadJis { byte: u8 },
    /// A well-formed JIS X 0208 code with no character assigned.
    #[error("JIS X 0208 code {code:04X} has no character")]
    UnmappedJis { code: u16 },
    /// A byte outside printable ASCII in an ASCII item.
    #[error("byte {byte:#04X} is not printable ASCII")]
    BadAscii { byte: u8 },
    /// A value that should be ASCII digits and is not.
    #[error("value is not ASCII digits")]
    NotDigits,
    /// Text that is not valid UTF-8.
    #[error("text is not valid UTF-8")]
    BadUtf8,
    /// A DF21 offset that does not point at the item it names.
    #[error("offset table says {declared}, item is at {actual}")]
    OffsetMismatch { declared: usize, actual: usize },
    /// A CV certificate key identifier that is not `DDDDDDD 08 05 DDD ....`.
    #[error("malformed key identifier")]
    BadKeyId,
    /// Bytes left over where the layout allows none.
    #[error("{count} unexpected byte(s) after the record")]
    TrailingBytes { count: usize },
    /// A tag that appears a second time in a record read by tag.
    #[error("tag appears twice")]
    DuplicateTag,
    /// A value outside the few the layout defines (e.g. a PIN setting other than 00 or 01).
    #[error("value {byte:#04X} is not one the layout defines")]
    UnknownValue { byte: u8 },
    /// A tag of another signed EF: refused so that the signed message splits into its EFs one
    /// way only (IC licence: 本籍's tag 41 in DF1/EF01).
    #[error("this tag belongs to another EF")]
    ForeignTag,
}

impl DecodeErrorKind {
    /// A stable snake_case name for reports, manifests and API problem details.
    pub fn code(&self) -> &'static str {
        match self {
            DecodeErrorKind::Truncated { .. } => "truncated",
            DecodeErrorKind::BadTag { .. } => "bad_tag",
            DecodeErrorKind::BadLength { .. } => "bad_length",
            DecodeErrorKind::LengthPastEnd { .. } => "length_past_end",
            DecodeErrorKind::ValueTooLong { .. } => "value_too_long",
            DecodeErrorKind::PhotoTooLarge { .. } => "photo_too_large",
            DecodeErrorKind::RecordTooLarge { .. } => "record_too_large",
            DecodeErrorKind::TagOutOfOrder { .. } => "tag_out_of_order",
            DecodeErrorKind::UnexpectedTag { .. } => "unexpected_tag",
            DecodeErrorKind::MissingItem { .. } => "missing_item",
            DecodeErrorKind::WrongLength { .. } => "wrong_length",
            DecodeErrorKind::BadDate(_) => "bad_date",
            DecodeErrorKind::OddJisLength => "odd_jis_length",
            DecodeErrorKind::BadJis { .. } => "bad_jis",
            DecodeErrorKind::UnmappedJis { .. } => "unmapped_jis",
            DecodeErrorKind::BadAscii { .. } => "bad_ascii",
            DecodeErrorKind::NotDigits => "not_digits",
            DecodeErrorKind::BadUtf8 => "bad_utf8",
            DecodeErrorKind::OffsetMismatch { .. } => "offset_mismatch",
            DecodeErrorKind::BadKeyId => "bad_key_id",
            DecodeErrorKind::TrailingBytes { .. } => "trailing_bytes",
            DecodeErrorKind::DuplicateTag => "duplicate_tag",
            DecodeErrorKind::UnknownValue { .. } => "unknown_value",
            DecodeErrorKind::ForeignTag => "foreign_tag",
        }
    }
}

/// A record could not be decoded: what, where (byte offset in the record) and in which tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    /// Byte offset from the start of the record where the problem was found.
    pub offset: usize,
    /// The tag being decoded, when there was one.
    pub tag: Option<Tag>,
}

impl DecodeError {
    pub(crate) fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self { kind, offset, tag: None }
    }

    pub(crate) fn in_tag(mut self, tag: Tag) -> Self {
        if self.tag.is_none() {
            self.tag = Some(tag);
        }
        self
    }

    /// Moves an error found in a sub-slice to the offsets of the enclosing record.
    pub(crate) fn shifted(mut self, base: usize) -> Self {
        self.offset = self.offset.saturating_add(base);
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tag {
            Some(tag) => write!(f, "{} (tag {tag}, offset {})", self.kind, self.offset),
            None => write!(f, "{} (offset {})", self.kind, self.offset),
        }
    }
}

impl std::error::Error for DecodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_tag_and_offset() {
        let e = DecodeError::new(DecodeErrorKind::LengthPastEnd { length: 9, available: 2 }, 14)
            .in_tag(Tag::Licence(0x0107));
        assert_eq!(e.to_string(), "length 9 runs past the end (2 byte(s) left) (tag 0107, offset 14)");
        let e = DecodeError::new(DecodeErrorKind::BadJis { byte: 0x80 }, 3).in_tag(Tag::Licence(0xC6));
        assert_eq!(e.to_string(), "byte 0x80 is not JIS X 0208 (tag C6, offset 3)");
        assert_eq!(Tag::Ber(0xDF21).to_string(), "DF21");
        assert_eq!(Tag::IcLicence(0x05).to_string(), "05");
        let e = DecodeError::new(DecodeErrorKind::DuplicateTag, 9).in_tag(Tag::IcLicence(0x12));
        assert_eq!(e.to_string(), "tag appears twice (tag 12, offset 9)");
        let e = DecodeError::new(DecodeErrorKind::UnknownValue { byte: 2 }, 2).in_tag(Tag::IcLicence(0x05));
        assert_eq!(e.to_string(), "value 0x02 is not one the layout defines (tag 05, offset 2)");
    }
}
