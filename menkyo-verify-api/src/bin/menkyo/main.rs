//! `menkyo`: read and verify the マイナ免許証 (Japanese digital driver's licence).
#![forbid(unsafe_code)]

mod age_check_cmd;
mod exit;
mod read_cmd;
mod trust_cmd;
mod verify_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use menkyo_core::CollationNumberB;

/// Read and verify the マイナ免許証 (driver's licence data on the My Number card).
#[derive(Debug, Parser)]
#[command(name = "menkyo", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify a submission file: signatures, issuer chains, expiry, freshness.
    ///
    /// Exit codes: 0 valid, 1 invalid, 2 incomplete, 3 usage error or unreadable input.
    Verify {
        /// Trust-store directory (licence/, kenhojo/). Without it: the built-in production
        /// card-surface anchors and no licence anchors.
        #[arg(long, value_name = "DIR")]
        trust: Option<PathBuf>,
        /// Verification date (Japan), YYYY-MM-DD; default now.
        #[arg(long, value_name = "YYYY-MM-DD")]
        at: Option<String>,
        /// Print the report JSON (menkyo-report/1) instead of the summary.
        #[arg(long)]
        json: bool,
        /// The submission (menkyo-submission/1).
        submission: PathBuf,
    },
    /// Read a マイナ免許証 or a conventional IC licence from a PC/SC reader (or the simulator),
    /// verify it, write the record.
    ///
    /// The card kind is detected. Credentials come from a no-echo prompt (a PIN is asked for
    /// only after the card said one is set) or from MENKYO_LICENCE_PIN, MENKYO_KENHOJO_PIN or
    /// MENKYO_BIRTH_DATE + MENKYO_CARD_EXPIRY_YEAR + MENKYO_SECURITY_CODE; for the IC licence
    /// MENKYO_IC_PIN1 and MENKYO_IC_PIN2 (without PIN2: no 本籍 and photo, signature unchecked).
    /// Exit codes: 0 valid, 1 invalid, 2 incomplete, 3 usage, 4 card or reader problem,
    /// 5 refused to spend the last try.
    Read {
        /// Use the first reader whose name contains NAME.
        #[arg(long, value_name = "NAME", conflicts_with = "simulate")]
        reader: Option<String>,
        /// Read the in-process simulated card of a test persona (e.g. p01-standard).
        #[arg(long, value_name = "PERSONA")]
        simulate: Option<String>,
        /// Trust-store directory (see `menkyo verify`).
        #[arg(long, value_name = "DIR")]
        trust: Option<PathBuf>,
        /// Write submission.json, record.csv and portrait.jpg here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Allow a VERIFY when only one try is left (a wrong value locks the card).
        #[arg(long)]
        allow_last_try: bool,
        /// IC licence: also show and record 本籍 (registered domicile). Never by default.
        #[arg(long)]
        with_honseki: bool,
    },
    /// Ask a verification service whether the holder of the card in the reader is at least N
    /// years old, on the card's age record (券面事項確認AP): no name, address or 個人番号 leaves.
    ///
    /// A challenge from the service, the age record read with the birth date (MENKYO_BIRTH_DATE
    /// or a prompt) and signed by the card, the answer checked against the service's receipt key.
    /// Exit codes: 0 over N, 1 not over N, 2 could not decide, 3 usage, 4 card or reader,
    /// 5 refused to spend the last try.
    AgeCheck {
        /// The service's base URL (https://, or http:// on this machine).
        #[arg(long, value_name = "URL")]
        service: String,
        /// Name of the environment variable holding the API key (never on the command line).
        #[arg(long, value_name = "NAME")]
        api_key_env: Option<String>,
        /// Use the first reader whose name contains NAME.
        #[arg(long, value_name = "NAME", conflicts_with = "simulate")]
        reader: Option<String>,
        /// TEST ONLY: the in-process simulated card of a test persona.
        #[arg(long, value_name = "PERSONA")]
        simulate: Option<String>,
        /// The age asked about.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(0..=150))]
        over: u16,
        /// Allow a VERIFY of the birth-date key when only one try is left.
        #[arg(long)]
        allow_last_try: bool,
    },
    /// The counter: a page on this computer that reads the card in the reader and shows the
    /// verdict, the licence, the holder and the portrait; saves a record on request.
    ///
    /// Serves on loopback only and prints its URL. Exit codes: 3 usage, 4 reader problem.
    Counter {
        /// Use the first reader whose name contains NAME.
        #[arg(long, value_name = "NAME")]
        reader: Option<String>,
        /// Trust-store directory (see `menkyo verify`).
        #[arg(long, value_name = "DIR")]
        trust: Option<PathBuf>,
        /// Loopback address to serve on.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8765")]
        listen: std::net::SocketAddr,
        /// Where 保存 save writes records (record.csv and portrait.jpg, mode 0600).
        #[arg(long, value_name = "DIR", default_value = "menkyo-records")]
        records: PathBuf,
    },
    /// Trust-store tools for operators.
    #[command(subcommand)]
    Trust(TrustCommand),
    /// TEST ONLY: serve a test persona's simulated card to pcscd through vpcd (vsmartcard).
    SimulateCard {
        /// The persona (e.g. p01-standard, or an IC licence persona such as ic02-spec-008).
        persona: String,
        /// Refuse extended lengths (6700), as some readers do.
        #[arg(long)]
        no_extended_le: bool,
        /// Start a key with this many tries left: P2=N in hex and decimal (e.g. 86=1: the
        /// licence PIN at its last try; 81=1: an IC licence's PIN1).
        #[arg(long, value_name = "P2=N")]
        tries: Vec<String>,
        /// vpcd's address (loopback only).
        #[arg(long, default_value = menkyo_reader::vpcd::VPCD_ADDR)]
        vpcd: std::net::SocketAddr,
    },
    /// Print 照合番号B (collation number B) from what is printed on the card.
    ///
    /// The 14 digits open the card-surface input-assist AP without the holder's PIN.
    /// Command-line arguments are visible to other users of this machine: prefer the
    /// prompts of `menkyo read` on shared computers.
    CollationNumber {
        /// Birth date as on the card, Gregorian: YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        birth: String,
        /// Year the card expires (有効期限), four digits.
        #[arg(long, value_name = "YYYY")]
        card_expiry_year: String,
        /// The 4-digit security code (セキュリティコード) printed on the card front.
        #[arg(long, value_name = "NNNN")]
        security_code: String,
    },
}

#[derive(Debug, Subcommand)]
enum TrustCommand {
    /// Recover the licence signer's RSA key from two or more genuine cards' signatures.
    ///
    /// Prints modulus, hash, form (tlv | whole) and whether the cards' key identifier matches
    /// the key; exit 0. With no common key nothing of the kind is printed; exit 1. Both licence
    /// cards work (submissions with `licence` or `ic_licence`). About a minute for two cards.
    RecoverKey {
        /// Write the key as DIR/<hex key identifier>.pem, for the trust store's licence/.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Submissions of genuine cards (at least two).
        #[arg(required = true, num_args = 2..)]
        submissions: Vec<PathBuf>,
    },
}

/// Clap's message without the usage block, folded into one line.
fn one_line(message: &str) -> String {
    let head = message.split("Usage:").next().unwrap_or(message);
    let words: Vec<&str> = head.split_whitespace().collect();
    words.join(" ").trim_start_matches("error: ").to_string()
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            return exit::emit_then(&e.to_string(), exit::VALID);
        }
        Err(e) => {
            eprintln!("menkyo: {} (try 'menkyo --help')", one_line(&e.to_string()));
            return exit::code(exit::USAGE);
        }
    };
    match cli.command {
        Command::Read { reader, simulate, trust, out, allow_last_try, with_honseki } => {
            let args = read_cmd::Args { reader, simulate, trust, out, allow_last_try, with_honseki };
            match read_cmd::run(&args) {
                Ok(code) => exit::code(code),
                Err(read_cmd::Failure(code, message)) => {
                    eprintln!("menkyo: {message}");
                    exit::code(code)
                }
            }
        }
        Command::AgeCheck { service, api_key_env, reader, simulate, over, allow_last_try } => {
            let args = age_check_cmd::Args { service, api_key_env, reader, simulate, over, allow_last_try };
            match age_check_cmd::run(&args) {
                Ok(code) => exit::code(code),
                Err(read_cmd::Failure(code, message)) => {
                    eprintln!("menkyo: {message}");
                    exit::code(code)
                }
            }
        }
        Command::Counter { reader, trust, listen, records } => {
            match counter_cmd(reader, trust.as_deref(), listen, records) {
                Ok(()) => exit::code(exit::VALID),
                Err(read_cmd::Failure(code, message)) => {
                    eprintln!("menkyo: {message}");
                    exit::code(code)
                }
            }
        }
        Command::Trust(TrustCommand::RecoverKey { out, submissions }) => {
            match trust_cmd::recover_key(&submissions, out.as_deref()) {
                Ok(code) => exit::code(code),
                Err(read_cmd::Failure(code, message)) => {
                    eprintln!("menkyo: {message}");
                    exit::code(code)
                }
            }
        }
        Command::SimulateCard { persona, vpcd, no_extended_le, tries } => {
            if !vpcd.ip().is_loopback() {
                eprintln!("menkyo: --vpcd must be a loopback address");
                return exit::code(exit::USAGE);
            }
            let parsed: Result<Vec<(u8, u8)>, String> = tries
                .iter()
                .map(|t| {
                    let (p2, n) = t.split_once('=').ok_or_else(|| format!("--tries {t}: expected P2=N"))?;
                    let p2 = menkyo_core::hex::decode(p2)
                        .and_then(|b| <[u8; 1]>::try_from(b).ok())
                        .map(|[p2]| p2)
                        .ok_or_else(|| format!("--tries {t}: P2 is two hex digits"))?;
                    let n = n.parse::<u8>().map_err(|_| format!("--tries {t}: N is a number"))?;
                    Ok((p2, n))
                })
                .collect();
            let tries = match parsed {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("menkyo: {e}");
                    return exit::code(exit::USAGE);
                }
            };
            match read_cmd::simulate_card(&persona, vpcd, no_extended_le, &tries) {
                Ok(()) => exit::code(exit::VALID),
                Err(read_cmd::Failure(code, message)) => {
                    eprintln!("menkyo: {message}");
                    exit::code(code)
                }
            }
        }
        Command::Verify { trust, at, json, submission } => {
            match verify_cmd::run(trust.as_deref(), at.as_deref(), json, &submission) {
                Ok(code) => exit::code(code),
                Err(e) => {
                    eprintln!("menkyo: {e}");
                    exit::code(exit::USAGE)
                }
            }
        }
        Command::CollationNumber { birth, card_expiry_year, security_code } => {
            match CollationNumberB::from_inputs(&birth, &card_expiry_year, &security_code) {
                Ok(n) => exit::emit_then(&format!("{}\n", n.expose()), exit::VALID),
                Err(e) => {
                    eprintln!("menkyo: {e}");
                    exit::code(exit::USAGE)
                }
            }
        }
    }
}

/// `menkyo counter`: serves the counter page until Ctrl-C.
fn counter_cmd(
    reader: Option<String>,
    trust: Option<&std::path::Path>,
    listen: std::net::SocketAddr,
    records: PathBuf,
) -> Result<(), read_cmd::Failure> {
    let usage = |m: String| read_cmd::Failure(exit::USAGE, m);
    if !listen.ip().is_loopback() {
        return Err(usage(format!("--listen: the counter serves on loopback only (127.0.0.1 or ::1), not {listen}")));
    }
    let trust = verify_cmd::trust_store(trust).map_err(usage)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| read_cmd::Failure(read_cmd::CARD, e.to_string()))?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(listen).await.map_err(|e| usage(format!("--listen {listen}: {e}")))?;
        let bound = listener.local_addr().unwrap_or(listen);
        let options = menkyo_verify_api::counter::CounterOptions { reader, trust, records };
        let app = menkyo_verify_api::counter::counter_app(options, bound).map_err(|e| usage(e.to_string()))?;
        eprintln!("menkyo counter: http://{bound}/");
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| read_cmd::Failure(read_cmd::CARD, e.to_string()))
    })
}
