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

/// Write `text` to standard output without the panic of `print!` when the reader has gone
/// away (`menkyo verify … | grep -q valid`). A closed pipe is not an error: the exit code
/// still carries the verdict. Any other write failure (a full disk behind a redirect) is.
pub(crate) fn emit(text: &str) -> Result<(), String> {
    use std::io::{ErrorKind, Write};
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}

/// [`emit`], then exit with `c`; a failed write is one line on stderr and [`USAGE`].
pub(crate) fn emit_then(text: &str, c: u8) -> ExitCode {
    match emit(text) {
        Ok(()) => code(c),
        Err(message) => {
            eprintln!("menkyo: {message}");
            code(USAGE)
        }
    }
}
