//! Exit codes of the `menkyo` command (interfaces.md §4). Scripts depend on them.

use std::process::ExitCode;

/// Read (or verified) and valid.
pub(crate) const VALID: u8 = 0;
/// Read but invalid.
pub(crate) const INVALID: u8 = 1;
/// Read but incomplete (a required check could not run).
pub(crate) const INCOMPLETE: u8 = 2;
/// Usage error or unreadable input.
pub(crate) const USAGE: u8 = 3;

pub(crate) fn code(c: u8) -> ExitCode {
    ExitCode::from(c)
}
