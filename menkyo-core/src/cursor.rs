//! A cursor over untrusted bytes: every read is checked, nothing indexes.

use crate::error::{DecodeError, DecodeErrorKind};

#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    /// Offset of the next byte from the start of the input.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub(crate) fn peek_u8(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub(crate) fn read_u8(&mut self) -> Result<u8, DecodeError> {
        let b = self.peek_u8().ok_or_else(|| DecodeError::new(DecodeErrorKind::Truncated { needed: 1 }, self.pos))?;
        self.pos = self.pos.saturating_add(1);
        Ok(b)
    }

    pub(crate) fn read_bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.bytes.get(self.pos..end).map(|s| (s, end))) {
            Some((s, end)) => {
                self.pos = end;
                Ok(s)
            }
            None => Err(DecodeError::new(
                DecodeErrorKind::Truncated { needed: n.saturating_sub(self.remaining()) },
                self.pos,
            )),
        }
    }

    pub(crate) fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let s = self.read_bytes(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    /// The bytes not yet read, without consuming them.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    /// Fails unless every byte was read.
    pub(crate) fn finish(&self) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count: self.remaining() }, self.pos))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_reports_truncation() {
        let mut c = Cursor::new(&[1, 2, 3]);
        assert_eq!(c.read_u8(), Ok(1));
        assert_eq!(c.read_bytes(2), Ok(&[2u8, 3][..]));
        assert!(c.is_empty());
        assert_eq!(c.finish(), Ok(()));
        assert_eq!(c.read_u8(), Err(DecodeError::new(DecodeErrorKind::Truncated { needed: 1 }, 3)));
        let mut c = Cursor::new(&[1, 2, 3]);
        assert_eq!(
            c.read_bytes(usize::MAX),
            Err(DecodeError::new(DecodeErrorKind::Truncated { needed: usize::MAX - 3 }, 0))
        );
        assert_eq!(c.position(), 0);
        assert_eq!(c.read_array::<2>(), Ok([1, 2]));
        assert_eq!(c.finish(), Err(DecodeError::new(DecodeErrorKind::TrailingBytes { count: 1 }, 2)));
    }
}
