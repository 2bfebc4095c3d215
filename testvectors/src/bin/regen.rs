//! Rewrites `testvectors/vectors/` (or the directory given as the only argument).

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(testvectors::default_dir);
    match testvectors::generate(&dir) {
        Ok(()) => {
            println!("wrote {}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("regen: {e}");
            ExitCode::FAILURE
        }
    }
}
