//! `menkyo read`: read a card, write the submission, the record and the portrait, print
//! the verdict.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use menkyo_core::{CollationNumberB, Context, Date, OneChallenge, Submission, TrustStore, UnixTime, verify};
use menkyo_reader::ic_read::{IcPinRequest, IcStep, read_ic_card};
use menkyo_reader::ic_simulator::SimIcCard;
use menkyo_reader::read::{PinRequest, ReadOptions, Step, read_card_asking};
use menkyo_reader::session::{KenhojoCredential, LastTry, Pin, ReadError};
use menkyo_reader::simulator::{CardData, SimCard};
use menkyo_reader::{CardKind, detect};
use menkyo_reader::{Transport, TransportError};
use menkyo_verify_api::record;
use zeroize::Zeroizing;

use crate::exit;
use crate::verify_cmd;

/// Exit code: card or reader problem.
pub(crate) const CARD: u8 = 4;
/// Exit code: refused to spend the last try.
pub(crate) const LAST_TRY: u8 = 5;

/// The committed test vectors (the simulator's personas and test trust store).
fn vectors_dir() -> PathBuf {
    std::env::var_os("MENKYO_TESTVECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors"))
}

#[derive(Debug)]
pub(crate) struct Args {
    pub(crate) reader: Option<String>,
    pub(crate) simulate: Option<String>,
    pub(crate) trust: Option<PathBuf>,
    pub(crate) out: Option<PathBuf>,
    pub(crate) allow_last_try: bool,
    pub(crate) with_honseki: bool,
}

/// A failure with its exit code and one line for the clerk.
pub(crate) struct Failure(pub(crate) u8, pub(crate) String);

fn usage(msg: impl Into<String>) -> Failure {
    Failure(exit::USAGE, msg.into())
}

fn env(name: &str) -> Option<Zeroizing<String>> {
    std::env::var(name).ok().map(Zeroizing::new)
}

pub(crate) fn prompt(label: &str, secret: bool) -> Result<Zeroizing<String>, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(usage(format!("{label}: no terminal to ask on and no environment variable set; refused")));
    }
    let answer = if secret {
        rpassword::prompt_password(format!("{label}: ")).map_err(|e| usage(format!("{label}: {e}")))?
    } else {
        eprint!("{label}: ");
        let _ = std::io::stderr().flush();
        let mut s = String::new();
        std::io::stdin().read_line(&mut s).map_err(|e| usage(format!("{label}: {e}")))?;
        s
    };
    Ok(Zeroizing::new(answer.trim().to_string()))
}

/// Test credentials of a simulated persona.
pub(crate) fn persona_credentials(id: &str) -> Result<serde_json::Value, Failure> {
    let path = vectors_dir().join("personas").join(id).join("credentials.json");
    let bytes = std::fs::read(&path).map_err(|_| usage(format!("--simulate: no persona {id} in the test vectors")))?;
    serde_json::from_slice(&bytes).map_err(|e| usage(format!("{}: {e}", path.display())))
}

fn credentials(simulated: Option<&serde_json::Value>, last_try: LastTry) -> Result<ReadOptions, Failure> {
    let test = |k: &str| simulated.and_then(|c| c[k].as_str()).map(|s| Zeroizing::new(s.to_string()));
    // Licence PIN given in advance: environment or the persona's test PIN. Otherwise it is
    // asked for when the card says one is set (`ask_licence_pin`).
    // Set but empty: give none in advance (not even a simulated persona's).
    let licence = match env("MENKYO_LICENCE_PIN") {
        Some(v) if v.is_empty() => None,
        Some(v) => Some(v),
        None => test("licence_pin"),
    };
    let licence_pin = match licence.as_deref().map(String::as_str) {
        None => None,
        Some(p) => Some(Pin::new(p).ok_or_else(|| usage("licence PIN: must be 4 digits"))?),
    };
    // The birth date, when known, also opens the kenkaku age record.
    let mut birth_date = env("MENKYO_BIRTH_DATE")
        .or_else(|| test("birth_date"))
        .map(|b| b.trim().parse::<Date>().map_err(|e| usage(format!("MENKYO_BIRTH_DATE: {e} (expected YYYY-MM-DD)"))))
        .transpose()?;
    let mut from_collation = |b: &str, y: &str, c: &str| {
        birth_date = b.trim().parse::<Date>().ok().or(birth_date);
        CollationNumberB::from_inputs(b, y, c).map(KenhojoCredential::CollationB).map_err(|e| usage(e.to_string()))
    };
    let kenhojo = if let Some(pin) = env("MENKYO_KENHOJO_PIN") {
        KenhojoCredential::Pin(Pin::new(&pin).ok_or_else(|| usage("card-surface PIN: must be 4 digits"))?)
    } else if let (Some(b), Some(y), Some(c)) =
        (env("MENKYO_BIRTH_DATE"), env("MENKYO_CARD_EXPIRY_YEAR"), env("MENKYO_SECURITY_CODE"))
    {
        from_collation(&b, &y, &c)?
    } else if let Some(pin) = test("kenhojo_pin") {
        KenhojoCredential::Pin(Pin::new(&pin).ok_or_else(|| usage("card-surface PIN: must be 4 digits"))?)
    } else {
        let pin = prompt(
            "券面事項入力補助用暗証番号 card-surface PIN (4 digits; Enter to use the card's printed data)",
            true,
        )?;
        if pin.is_empty() {
            let b = prompt("生年月日 birth date (YYYY-MM-DD)", false)?;
            let y = prompt("有効期限の年 card expiry year (YYYY)", false)?;
            let c = prompt("セキュリティコード security code (4 digits)", true)?;
            from_collation(&b, &y, &c)?
        } else {
            KenhojoCredential::Pin(Pin::new(&pin).ok_or_else(|| usage("card-surface PIN: must be 4 digits"))?)
        }
    };
    Ok(ReadOptions { licence_pin, kenhojo: Some(kenhojo), birth_date, last_try, challenge: None })
}

/// Bytes of the challenge this reader asks the card to sign. [P] As the service's.
const CHALLENGE_BYTES: usize = 32;

/// A random challenge of this read: the card's answer proves it was present just now.
fn new_challenge() -> Result<OneChallenge, Failure> {
    let mut nonce = vec![0u8; CHALLENGE_BYTES];
    getrandom::fill(&mut nonce).map_err(|e| Failure(CARD, format!("no system randomness for the challenge: {e}")))?;
    Ok(OneChallenge::new(nonce))
}

pub(crate) fn read_error(e: ReadError) -> Failure {
    match e {
        ReadError::LastTryRefused { .. } => Failure(LAST_TRY, e.to_string()),
        ReadError::PinSettingUnknown | ReadError::LicencePinNeeded => Failure(exit::USAGE, e.to_string()),
        _ => Failure(CARD, e.to_string()),
    }
}

fn progress(step: Step) {
    // The missing age record is a note worth keeping in any log; the rest is for a person.
    if step != Step::KenkakuMissing && !std::io::stderr().is_terminal() {
        return;
    }
    let text = match step {
        Step::Licence => "免許情報を読み取り中 reading the licence AP…",
        Step::LicenceVerified => "暗証番号 OK  PIN accepted",
        Step::LicenceRead => "免許情報 OK  licence data read",
        Step::Kenhojo => "券面事項を読み取り中 reading the card-surface AP…",
        Step::KenhojoRead => "券面事項 OK  card-surface data read",
        Step::Kenkaku => "年齢記録を読み取り中 reading the age record (券面事項確認AP)…",
        Step::KenkakuRead => "年齢記録 OK  age record read",
        Step::KenkakuMissing => "年齢記録なし  this card has no 券面事項確認AP: read without the age record",
    };
    eprintln!("{text}");
}

/// Creates `path` for writing, readable by its owner only (it holds personal data and, with
/// kenhojo data, the 個人番号 hash); an existing file of that name is replaced.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let _ = std::fs::remove_file(path);
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)
}

/// Writes the three files next to each other, each first to a temporary name: a failure
/// leaves no half-written file behind. Files are created 0600, a new directory 0700.
fn write_outputs(dir: &Path, files: &[(&str, Vec<u8>)]) -> Result<(), Failure> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| usage(format!("--out {}: {e}", dir.display())))?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let tmp = dir.join(format!(".{name}.partial"));
        let result = create_private(&tmp).and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
        if let Err(e) = result {
            for t in written.iter().chain([&tmp]) {
                let _ = std::fs::remove_file(t);
            }
            return Err(usage(format!("--out {}: {e}", dir.display())));
        }
        written.push(tmp);
    }
    for ((name, _), tmp) in files.iter().zip(&written) {
        std::fs::rename(tmp, dir.join(name)).map_err(|e| usage(format!("--out {}: {e}", dir.display())))?;
    }
    Ok(())
}

/// Verifies what was just read from one card, in one session, with this read's own challenge.
fn finish(
    submission: &Submission,
    trust: &TrustStore,
    ledger: &OneChallenge,
    out: Option<&Path>,
    with_honseki: bool,
) -> Result<u8, Failure> {
    let ctx = Context::local_read(UnixTime::now()).with_ledger(ledger);
    let ctx = if with_honseki { ctx.with_honseki() } else { ctx };
    let verification = verify(submission, trust, &ctx).map_err(|e| Failure(CARD, e.to_string()))?;
    let report = verification.report();
    if let Some(dir) = out {
        let captured = submission.captured_at.clone().unwrap_or_default();
        let mut json = submission.to_json_pretty();
        json.push('\n');
        let csv = record::csv(&captured, report).map_err(|e| usage(format!("record: {e}")))?;
        let mut files = vec![("submission.json", json.into_bytes()), ("record.csv", csv)];
        match verification.portrait_jpeg() {
            Some(Ok(jpeg)) => files.push(("portrait.jpg", jpeg)),
            Some(Err(e)) => eprintln!("menkyo: portrait not written: {e}"),
            None => eprintln!("menkyo: portrait not written: no portrait"),
        }
        write_outputs(dir, &files)?;
    }
    crate::exit::emit(&verify_cmd::summary(report)).map_err(usage)?;
    Ok(verify_cmd::exit_code(report.verdict()))
}

fn read_with<T: Transport>(transport: T, opts: &ReadOptions) -> Result<Submission, Failure> {
    let mut refused = None;
    let mut ask = |request: PinRequest| -> Option<Pin> {
        if let Some(p) = &opts.licence_pin {
            return Some(p.clone());
        }
        let PinRequest::Licence { tries_left } = request;
        let label = format!("免許の暗証番号 licence PIN (4 digits; {tries_left} tries left)");
        match prompt(&label, true) {
            Ok(answer) => Pin::new(&answer).or_else(|| {
                refused = Some(usage("licence PIN: must be 4 digits"));
                None
            }),
            Err(f) => {
                refused = Some(f);
                None
            }
        }
    };
    let result = read_card_asking(transport, opts, &mut ask, UnixTime::now(), &mut progress);
    match (result, refused) {
        (Ok((s, _, _)), _) => Ok(s),
        (Err(_), Some(f)) => Err(f),
        (Err(e), None) => Err(read_error(e)),
    }
}

pub(crate) fn run(args: &Args) -> Result<u8, Failure> {
    let last_try = if args.allow_last_try { LastTry::Allow } else { LastTry::Refuse };
    let trust = match (&args.trust, &args.simulate) {
        (Some(dir), _) => verify_cmd::trust_store(Some(dir)).map_err(usage)?,
        (None, Some(_)) => {
            eprintln!("menkyo: simulation: using the TEST ONLY trust store of the test vectors");
            verify_cmd::trust_store(Some(&vectors_dir().join("trust"))).map_err(usage)?
        }
        (None, None) => TrustStore::builtin(),
    };
    let ledger = new_challenge()?;
    let challenge = Some(ledger.challenge().to_vec());
    let submission = match &args.simulate {
        Some(id) if is_ic_persona(id) => {
            let creds = ic_persona_credentials(id)?;
            read_ic(simulated_ic_card(id)?, Some(&creds), last_try)?
        }
        Some(id) => {
            let creds = persona_credentials(id)?;
            let opts = ReadOptions { challenge, ..credentials(Some(&creds), last_try)? };
            read_with(simulated_card(id)?, &opts)?
        }
        None => {
            let (kind, transport) = detect(connect_reader(args.reader.as_deref())?).map_err(read_error)?;
            match kind {
                CardKind::MyNumberLicence => {
                    let opts = ReadOptions { challenge, ..credentials(None, last_try)? };
                    read_with(transport, &opts)?
                }
                CardKind::IcLicence => read_ic(transport, None, last_try)?,
                CardKind::MyNumberWithoutLicence => {
                    return Err(Failure(
                        CARD,
                        "this My Number card holds no driving licence (an age check: `menkyo age-check`)".into(),
                    ));
                }
                CardKind::NotALicenceCard => return Err(read_error(ReadError::NotALicenceCard)),
            }
        }
    };
    finish(&submission, &trust, &ledger, args.out.as_deref(), args.with_honseki)
}

/// Whether `id` is a TEST ONLY conventional IC licence persona.
fn is_ic_persona(id: &str) -> bool {
    !id.contains(['/', '.']) && vectors_dir().join("ic-personas").join(id).is_dir()
}

fn ic_persona_credentials(id: &str) -> Result<serde_json::Value, Failure> {
    let path = vectors_dir().join("ic-personas").join(id).join("credentials.json");
    let bytes = std::fs::read(&path).map_err(|_| usage(format!("--simulate: no IC persona {id}")))?;
    serde_json::from_slice(&bytes).map_err(|e| usage(format!("{}: {e}", path.display())))
}

/// TEST ONLY: a conventional IC licence persona's simulated card, in process.
pub(crate) fn simulated_ic_card(id: &str) -> Result<SimIcCard, Failure> {
    SimIcCard::from_persona(&vectors_dir(), id).map_err(|e| usage(e.to_string()))
}

/// Reads a conventional IC licence: PIN1 and PIN2 from MENKYO_IC_PIN1/2, a simulated
/// persona, or a prompt showing the tries left, asked only after MF/EF02 says PINs are set.
/// No PIN2 (Enter, or none in a script): what PIN1 opens, the signature then unchecked.
fn read_ic<T: Transport>(
    transport: T,
    simulated: Option<&serde_json::Value>,
    last_try: LastTry,
) -> Result<Submission, Failure> {
    let test = |k: &str| simulated.and_then(|c| c[k].as_str()).map(|s| Zeroizing::new(s.to_string()));
    let mut refused = None;
    let mut ask = |request: IcPinRequest| -> Option<Pin> {
        let (variable, key, label, optional) = match request {
            IcPinRequest::Pin1 { .. } => ("MENKYO_IC_PIN1", "pin1", "暗証番号1 PIN1 (4 digits", false),
            IcPinRequest::Pin2 { .. } => {
                ("MENKYO_IC_PIN2", "pin2", "暗証番号2 PIN2 (4 digits; Enter to read without 本籍 and photo", true)
            }
        };
        let given = match env(variable) {
            Some(v) if v.is_empty() => None,
            Some(v) => Some(v),
            None if simulated.is_some() => test(key),
            None if optional && !std::io::stdin().is_terminal() => None,
            None => match prompt(&format!("{label}; {} tries left)", request.tries_left()), true) {
                Ok(answer) => Some(answer),
                Err(f) => {
                    refused = Some(f);
                    None
                }
            },
        };
        match given.as_deref().map(String::as_str) {
            None | Some("") => None,
            Some(p) => Pin::new(p).or_else(|| {
                refused = Some(usage(format!("{variable}: must be 4 digits")));
                None
            }),
        }
    };
    let result = read_ic_card(transport, &mut ask, last_try, &mut ic_progress);
    match (result, refused) {
        (Ok((files, _, _)), _) => Ok(Submission::of_ic_licence(Some(jst_now()), files)),
        (Err(_), Some(f)) => Err(f),
        (Err(e), None) => Err(read_error(e)),
    }
}

fn ic_progress(step: IcStep) {
    if !std::io::stderr().is_terminal() && step != IcStep::WithoutPin2 && step != IcStep::Pin2Blocked {
        return;
    }
    let text = match step {
        IcStep::Card => "ICカード免許証を読み取り中 reading the IC licence…",
        IcStep::Pin1Verified => "暗証番号1 OK  PIN1 accepted",
        IcStep::Pin2Verified => "暗証番号2 OK  PIN2 accepted",
        IcStep::WithoutPin2 => "暗証番号2なし  no PIN2: read without 本籍 and photo; the signature cannot be checked",
        IcStep::Pin2Blocked => "暗証番号2は閉塞  PIN2 is locked: read without 本籍 and photo",
        IcStep::Read => "ICカード免許証 OK  read",
    };
    eprintln!("{text}");
}

/// Now, `YYYY-MM-DDTHH:MM:SS+09:00`.
fn jst_now() -> String {
    let shifted = UnixTime::from_secs(UnixTime::now().secs().saturating_add(9 * 3600)).to_rfc3339();
    format!("{}+09:00", shifted.trim_end_matches('Z'))
}

/// TEST ONLY: a test persona's simulated card, in process.
pub(crate) fn simulated_card(id: &str) -> Result<SimCard, Failure> {
    let data = CardData::from_persona(&vectors_dir(), id).map_err(|e| usage(e.to_string()))?;
    Ok(SimCard::new(data))
}

/// The PC/SC reader to use: `--reader NAME`, the only one, or a choice on a terminal; waits
/// for a card.
pub(crate) fn connect_reader(wanted: Option<&str>) -> Result<menkyo_reader::pcsc_transport::PcscTransport, Failure> {
    let names = menkyo_reader::pcsc_transport::readers().map_err(|e| Failure(CARD, e.to_string()))?;
    let reader = match (wanted, names.as_slice()) {
        (Some(r), _) => Some(r.to_string()),
        (None, [] | [_]) => None,
        (None, several) => Some(choose_reader(several)?),
    };
    if std::io::stderr().is_terminal() {
        eprintln!("カードリーダー readers: {}", names.join(", "));
        eprintln!("カードを置いてください place the card on the reader…");
    }
    menkyo_reader::pcsc_transport::connect(reader.as_deref()).map_err(|e: TransportError| Failure(CARD, e.to_string()))
}

/// With several readers and no `--reader`: a numbered choice on a terminal, else a refusal.
fn choose_reader(names: &[String]) -> Result<String, Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(usage(format!("several card readers ({}): choose one with --reader NAME", names.join(", "))));
    }
    for (i, n) in names.iter().enumerate() {
        eprintln!("  {}: {n}", i + 1);
    }
    let answer = prompt("カードリーダーの番号 reader number", false)?;
    answer
        .parse::<usize>()
        .ok()
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| names.get(i))
        .cloned()
        .ok_or_else(|| usage("reader number: not one of the numbers shown"))
}

/// Serves a persona's card through vpcd until pcscd disconnects.
pub(crate) fn simulate_card(
    persona: &str,
    vpcd: std::net::SocketAddr,
    no_extended_le: bool,
    tries: &[(u8, u8)],
) -> Result<(), Failure> {
    eprintln!("menkyo: TEST ONLY simulated card {persona} on vpcd {vpcd}");
    let served = if is_ic_persona(persona) {
        let card = simulated_ic_card(persona)?;
        let mut card = if no_extended_le { card.without_extended_le() } else { card };
        for &(p2, n) in tries {
            card.set_tries(p2, n);
        }
        menkyo_reader::vpcd::serve(&mut card, vpcd)
    } else {
        let card = simulated_card(persona)?;
        let mut card = if no_extended_le { card.without_extended_le() } else { card };
        for &(p2, n) in tries {
            card.set_tries(p2, n);
        }
        menkyo_reader::vpcd::serve(&mut card, vpcd)
    };
    served.map_err(|e| Failure(CARD, e.to_string()))
}
