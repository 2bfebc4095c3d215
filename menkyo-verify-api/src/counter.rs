//! `menkyo counter`: the page counter staff use. A card on the reader, the credentials it
//! needs and only those, the verdict with the licence, the holder and the portrait, a record
//! saved on request.
//!
//! ```text
//! browser (loopback only) ──HTTP──▶ this server ──channel──▶ card worker thread ──PC/SC──▶ card
//!   GET  /               the page (with this start's token)
//!   GET  /api/status     reader, card kind, what to ask, tries left, progress, message, result
//!   POST /api/read       credentials in the body (never in a URL), one read, never retried
//!   POST /api/save       record.csv + portrait.jpg (0600) into --records
//!   POST /api/clear      empty the screen
//! ```
//! The same reader library, `menkyo_core::verify` and report renderer as everything else. The
//! worker probes a card when it is put on (kind, PIN settings, retry counters: no try spent)
//! and clears the screen when it is taken off or after 3 idle minutes. Requests must come from
//! this page: `Host` and `Origin` are checked and every API call carries the start's token.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use menkyo_core::{Context, Date, OneChallenge, Submission, TrustStore, UnixTime, Verification, verify};
use menkyo_reader::ic_read::{IcPinRequest, read_ic_card};
use menkyo_reader::pcsc_transport::{Monitor, PcscTransport};
use menkyo_reader::probe::{Probe, Tries, probe};
use menkyo_reader::read::{PinRequest, ReadOptions, read_card_asking};
use menkyo_reader::session::{KenhojoCredential, LastTry, Pin, ReadError};
use menkyo_reader::{CardKind, TransportError};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::page;

/// The screen clears itself after this long without a request. [P] (issue 11: 3 minutes)
pub const IDLE_CLEAR: Duration = Duration::from_secs(180);
/// How often the worker looks at the reader. [P]
const POLL: Duration = Duration::from_millis(250);
/// Largest request body (credentials). [P]
const BODY_MAX: usize = 4096;
/// Bytes of the per-start token. [P]
const TOKEN_BYTES: usize = 16;
/// Bytes of the challenge of a read. [P] As the service's.
const CHALLENGE_BYTES: usize = 32;

const COUNTER_HTML: &str = include_str!("page/counter.html");
const COUNTER_JS: &str = include_str!("page/counter.js");

/// How `menkyo counter` runs.
#[derive(Debug)]
pub struct CounterOptions {
    /// Use the first reader whose name contains this.
    pub reader: Option<String>,
    pub trust: TrustStore,
    /// Where `保存 save` writes records.
    pub records: PathBuf,
}

/// Why the counter could not start.
#[derive(Debug, thiserror::Error)]
pub enum CounterError {
    #[error("the counter serves on loopback only (127.0.0.1 or ::1), not {0}")]
    NotLoopback(SocketAddr),
    #[error("no system randomness: {0}")]
    Random(String),
}

/// One message for the clerk, with a stable code for automation.
#[derive(Debug, Clone, serde::Serialize)]
struct Message {
    code: &'static str,
    text: String,
}

/// What the screen shows; the page renders it as it is.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct Screen {
    reader: Option<String>,
    /// `none`, `mynumber_card`, `ic_licence`, `mynumber_without_licence`, `not_a_licence_card`.
    card: &'static str,
    /// Which inputs the card needs.
    needs: Vec<&'static str>,
    /// Tries left per key, as the card said (`null`: blocked or not said).
    tries: serde_json::Map<String, serde_json::Value>,
    busy: bool,
    progress: Vec<&'static str>,
    message: Option<Message>,
    /// The report (with the portrait as JPEG), while it is on screen.
    report: Option<serde_json::Value>,
    saved: Option<String>,
    /// Changes whenever the screen is cleared or another card comes: the page drops what it
    /// shows when it sees a new value.
    generation: u64,
    /// Reads finished since the start (whatever their outcome).
    reads: u64,
}

/// A read asked for by the page. Credentials are zeroized when dropped.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Credentials {
    licence_pin: Option<Zeroizing<String>>,
    kenhojo_pin: Option<Zeroizing<String>>,
    birth_date: Option<Zeroizing<String>>,
    card_expiry_year: Option<Zeroizing<String>>,
    security_code: Option<Zeroizing<String>>,
    ic_pin1: Option<Zeroizing<String>>,
    ic_pin2: Option<Zeroizing<String>>,
    #[serde(default)]
    allow_last_try: bool,
    /// The screen generation the credentials were typed on: a card taken off and another put
    /// on since (or the screen cleared) bumps it, and the read is refused before any VERIFY,
    /// so that a PIN typed for one card is never tried on another.
    generation: u64,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(<redacted>)")
    }
}

enum Job {
    Read(Credentials),
    Clear,
}

/// The last verified read, kept for `save` until the screen is cleared.
struct Kept {
    captured_at: String,
    verification: Verification,
}

struct Shared {
    token: String,
    /// `127.0.0.1:PORT` and `localhost:PORT`: the hosts this page is served as.
    hosts: Vec<String>,
    screen: Mutex<Screen>,
    kept: Mutex<Option<Kept>>,
    last_request: Mutex<Instant>,
    jobs: Mutex<Sender<Job>>,
    records: PathBuf,
}

impl Shared {
    fn screen(&self) -> std::sync::MutexGuard<'_, Screen> {
        self.screen.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn touch(&self) {
        *self.last_request.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Instant::now();
    }

    fn send(&self, job: Job) {
        let _ = self.jobs.lock().unwrap_or_else(std::sync::PoisonError::into_inner).send(job);
    }
}

fn random_hex(n: usize) -> Result<String, CounterError> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| CounterError::Random(e.to_string()))?;
    Ok(menkyo_core::hex::encode(&bytes))
}

/// The counter's routes for a server bound to `addr`, and the card worker started for them.
pub fn counter_app(opts: CounterOptions, addr: SocketAddr) -> Result<Router, CounterError> {
    if !addr.ip().is_loopback() {
        return Err(CounterError::NotLoopback(addr));
    }
    let (tx, rx) = channel();
    let shared = Arc::new(Shared {
        token: random_hex(TOKEN_BYTES)?,
        hosts: vec![format!("127.0.0.1:{}", addr.port()), format!("localhost:{}", addr.port()), addr.to_string()],
        screen: Mutex::new(Screen { card: "none", ..Screen::default() }),
        kept: Mutex::new(None),
        last_request: Mutex::new(Instant::now()),
        jobs: Mutex::new(tx),
        records: opts.records.clone(),
    });
    let worker = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("menkyo-counter-card".into())
        .spawn(move || card_worker(&worker, &opts, &rx))
        .map_err(|e| CounterError::Random(e.to_string()))?;
    Ok(Router::new()
        .route("/", get(counter_page))
        .route("/assets/{name}", get(counter_asset))
        .route("/api/status", get(status))
        .route("/api/read", post(read))
        .route("/api/save", post(save))
        .route("/api/clear", post(clear))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found\n") })
        .layer(axum::middleware::from_fn_with_state(Arc::clone(&shared), same_origin))
        .layer(axum::middleware::from_fn(crate::routes::security_headers))
        .with_state(shared))
}

/// Refuses requests that do not come from this page: another `Host` (DNS rebinding), another
/// `Origin` (a page elsewhere in the same browser), an API call without this start's token.
async fn same_origin(
    State(s): State<Arc<Shared>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let h = req.headers();
    let host_ok = h.get(header::HOST).and_then(|v| v.to_str().ok()).is_some_and(|v| s.hosts.iter().any(|x| x == v));
    let origin_ok = h
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|o| o.strip_prefix("http://").is_some_and(|rest| s.hosts.iter().any(|x| x == rest)));
    let api = req.uri().path().starts_with("/api/");
    let token_ok = !api || h.get("x-menkyo-token").and_then(|v| v.to_str().ok()) == Some(s.token.as_str());
    if !(host_ok && origin_ok && token_ok) {
        return (StatusCode::FORBIDDEN, "forbidden: only this computer's counter page may call\n").into_response();
    }
    if api {
        s.touch();
    }
    next.run(req).await
}

async fn counter_page(State(s): State<Arc<Shared>>) -> Response {
    page::html(COUNTER_HTML.replace("{{TOKEN}}", &s.token))
}

async fn counter_asset(Path(name): Path<String>) -> Response {
    match (name.as_str(), page::shared_asset(&name)) {
        (_, Some(r)) => r,
        ("counter.js", None) => {
            let mut r = Response::new(axum::body::Body::from(COUNTER_JS));
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
            r
        }
        _ => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Response {
    let mut r = Response::new(axum::body::Body::from(serde_json::to_vec(v).unwrap_or_default()));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn status(State(s): State<Arc<Shared>>) -> Response {
    let screen = s.screen().clone();
    json(&screen)
}

async fn read(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !ct.starts_with("application/json") {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "application/json\n").into_response();
    }
    if body.len() > BODY_MAX {
        return (StatusCode::PAYLOAD_TOO_LARGE, "too large\n").into_response();
    }
    let Ok(creds) = serde_json::from_slice::<Credentials>(&body) else {
        return (StatusCode::BAD_REQUEST, "not the credentials of this page\n").into_response();
    };
    {
        let mut screen = s.screen();
        if screen.busy {
            return (StatusCode::CONFLICT, "a read is running\n").into_response();
        }
        if creds.generation != screen.generation {
            screen.message = Some(screen_changed());
            return (StatusCode::PRECONDITION_FAILED, "the card or the screen changed\n").into_response();
        }
        screen.busy = true;
        screen.message = None;
        screen.progress.clear();
    }
    s.send(Job::Read(creds));
    StatusCode::ACCEPTED.into_response()
}

async fn clear(State(s): State<Arc<Shared>>) -> Response {
    s.send(Job::Clear);
    StatusCode::NO_CONTENT.into_response()
}

/// Creates `dir/name` readable by its owner only, writing all of `bytes` or nothing.
fn write_private(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let tmp = dir.join(format!(".{name}.partial"));
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let result = opts.open(&tmp).and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, dir.join(name))
}

async fn save(State(s): State<Arc<Shared>>) -> Response {
    let st = Arc::clone(&s);
    let done = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let kept = st.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(k) = kept.as_ref() else { return Err("nothing to save".into()) };
        let csv = crate::record::csv(&k.captured_at, k.verification.report()).map_err(|e| e.to_string())?;
        // Named by the time and a random suffix: nothing personal in a file name.
        let stamp = UnixTime::now().to_rfc3339().replace([':', '-'], "");
        let dir = st.records.join(format!("{}-{}", stamp.trim_end_matches('Z'), random_hex(3).unwrap_or_default()));
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        write_private(&dir, "record.csv", &csv).map_err(|e| e.to_string())?;
        if let Some(Ok(jpeg)) = k.verification.portrait_jpeg() {
            write_private(&dir, "portrait.jpg", &jpeg).map_err(|e| e.to_string())?;
        }
        Ok(dir.display().to_string())
    })
    .await;
    match done {
        Ok(Ok(dir)) => {
            s.screen().saved = Some(dir.clone());
            json(&serde_json::json!({ "saved": dir }))
        }
        Ok(Err(e)) => (StatusCode::CONFLICT, format!("{e}\n")).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response(),
    }
}

fn tries_value(t: Tries) -> serde_json::Value {
    match t {
        Tries::Left(n) => n.into(),
        Tries::Blocked => 0.into(),
        Tries::Unknown => serde_json::Value::Null,
    }
}

/// The screen for a card just put on, from its probe.
fn show_probe(screen: &mut Screen, p: &Probe) {
    screen.tries.clear();
    screen.needs.clear();
    screen.message = None;
    match p.kind {
        CardKind::MyNumberLicence => {
            screen.card = "mynumber_card";
            if p.pin_set != Some(false) {
                screen.needs.push("licence_pin");
            }
            screen.needs.extend(["kenhojo_pin", "birth_date", "card_expiry_year", "security_code"]);
            screen.tries.insert("licence_pin".into(), tries_value(p.licence_pin));
            screen.tries.insert("kenhojo_pin".into(), tries_value(p.kenhojo_pin));
            screen.tries.insert("collation_b".into(), tries_value(p.collation_b));
            screen.tries.insert("birth_date".into(), tries_value(p.birth_key));
            if p.pin_set.is_none() {
                screen.message = Some(Message {
                    code: "pin_setting_unknown",
                    text: "暗証番号の設定を読み取れません。既定の暗証番号は試しません the PIN setting (WEF01) could not be read; the default PIN is not tried".into(),
                });
            }
        }
        CardKind::IcLicence => {
            screen.card = "ic_licence";
            if p.pin_set == Some(true) {
                screen.needs.extend(["ic_pin1", "ic_pin2"]);
            }
            screen.tries.insert("ic_pin1".into(), tries_value(p.licence_pin));
            screen.tries.insert("ic_pin2".into(), tries_value(p.ic_pin2));
            if p.pin_set.is_none() {
                screen.message = Some(Message {
                    code: "pin_setting_unknown",
                    text: "暗証番号の設定を読み取れません the PIN setting (MF/EF02) could not be read: no PIN is tried"
                        .into(),
                });
            }
        }
        CardKind::MyNumberWithoutLicence => {
            screen.card = "mynumber_without_licence";
            screen.message = Some(Message {
                code: "not_a_licence_card",
                text: "運転免許の記録がないマイナンバーカードです this My Number card holds no driving licence".into(),
            });
        }
        CardKind::NotALicenceCard => {
            screen.card = "not_a_licence_card";
            screen.message = Some(Message {
                code: "not_a_licence_card",
                text: "運転免許証ではありません this is not a driving licence card".into(),
            });
        }
    }
    for (k, v) in &screen.tries {
        if v == &serde_json::Value::from(0) && screen.needs.contains(&k.as_str()) {
            screen.message = Some(Message {
                code: "blocked",
                text: "暗証番号がロックされています。警察署・市区町村で解除が必要です a key of this card is locked"
                    .into(),
            });
        }
    }
}

/// The credentials were typed on a screen that has changed since (another card, or cleared):
/// seen by the screen generation or by the reader's card-event count.
fn screen_changed() -> Message {
    Message {
        code: "card_changed",
        text: "カードまたは画面が変わりました。確認してからもう一度 the card or the screen changed: check it and read again"
            .into(),
    }
}

/// What the card worker does with credentials that reached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// The card they were typed for is still on the reader: read it.
    Run,
    /// The screen changed since they were typed (the page may not have shown a swap the
    /// worker saw since the request was accepted: the generation tells), or the card was
    /// swapped since it was probed (a new card-event count): no VERIFY, nothing read.
    Changed,
    /// No card was shown: nothing to read.
    NoCard,
}

/// Decides [`Gate`] from the generation the credentials were typed on and the screen's,
/// the reader and card-event count when the card was probed (`shown`) and at this moment
/// (`now`, `None` when no card is there or the reader could not be asked).
fn read_gate(typed: u64, screen: u64, shown: Option<&(String, u32)>, now: Option<&(String, u32)>) -> Gate {
    match shown {
        _ if typed != screen => Gate::Changed,
        Some(shown) if now != Some(shown) => Gate::Changed,
        Some(_) => Gate::Run,
        None => Gate::NoCard,
    }
}

fn reset(screen: &mut Screen, kept: &Mutex<Option<Kept>>) {
    *kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    screen.report = None;
    screen.saved = None;
    screen.message = None;
    screen.progress.clear();
    screen.generation = screen.generation.wrapping_add(1);
}

/// The card worker: watches the reader, probes cards, runs reads. Owns every PC/SC handle.
fn card_worker(s: &Shared, opts: &CounterOptions, jobs: &Receiver<Job>) {
    let mut monitor: Option<Monitor> = None;
    // The reader with a card, and its card-event count when the card was probed: a card
    // swapped during a read shows as a new count.
    let mut present: Option<(String, u32)> = None;
    loop {
        match jobs.try_recv() {
            Ok(Job::Read(creds)) => {
                // The credentials were typed for the card shown: a card swapped since it was
                // probed (a new card-event count) gets none of them.
                let now = match (&mut monitor, &present) {
                    (Some(m), Some(_)) => m
                        .poll(Duration::ZERO)
                        .ok()
                        .and_then(|st| st.reader.clone().filter(|_| st.card_present).map(|r| (r, st.card_events))),
                    _ => None,
                };
                let screen_generation = s.screen().generation;
                // Without a reader monitor nothing was shown that could be read.
                let shown = present.as_ref().filter(|_| monitor.is_some());
                let gate = read_gate(creds.generation, screen_generation, shown, now.as_ref());
                let outcome = match (gate, &monitor, &present) {
                    (Gate::Run, Some(m), Some((reader, _))) => run_read(s, opts, m, reader, creds),
                    (Gate::Changed, ..) => Err(screen_changed()),
                    _ => Err(Message {
                        code: "no_card", text: "カードを置いてください no card on the reader".into()
                    }),
                };
                let mut screen = s.screen();
                screen.busy = false;
                screen.reads = screen.reads.wrapping_add(1);
                match outcome {
                    Ok(()) => {}
                    Err(m) => screen.message = Some(m),
                }
                // The counters moved: show them as the card now says.
                if let (Some(m), Some((reader, _))) = (&monitor, &present)
                    && let Ok(Ok((p, _))) = m.connect(reader).map(probe)
                {
                    let message = screen.message.take();
                    let needs = screen.needs.clone();
                    show_probe(&mut screen, &p);
                    screen.needs = needs;
                    screen.message = message.or(screen.message.take());
                }
            }
            Ok(Job::Clear) => reset(&mut s.screen(), &s.kept),
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
            Err(std::sync::mpsc::TryRecvError::Disconnected) => return,
        }
        if s.screen().report.is_some()
            && s.last_request.lock().unwrap_or_else(std::sync::PoisonError::into_inner).elapsed() > IDLE_CLEAR
        {
            reset(&mut s.screen(), &s.kept);
        }
        let m = match &mut monitor {
            Some(m) => m,
            None => match Monitor::new(opts.reader.as_deref()) {
                Ok(m) => monitor.insert(m),
                Err(e) => {
                    let mut screen = s.screen();
                    screen.reader = None;
                    screen.card = "none";
                    screen.message = Some(Message { code: "no_reader", text: e.to_string() });
                    drop(screen);
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            },
        };
        let status = match m.poll(POLL) {
            Ok(st) => st,
            Err(e) => {
                s.screen().message = Some(Message { code: "no_reader", text: e.to_string() });
                monitor = None;
                continue;
            }
        };
        let now = status.reader.clone().filter(|_| status.card_present).map(|r| (r, status.card_events));
        if now != present {
            let mut screen = s.screen();
            reset(&mut screen, &s.kept);
            screen.needs.clear();
            screen.tries.clear();
            screen.card = "none";
            if let Some((reader, _)) = &now {
                drop(screen);
                let probed =
                    m.connect(reader).map_err(|e| e.to_string()).and_then(|t| probe(t).map_err(|e| e.to_string()));
                let mut screen = s.screen();
                match probed {
                    Ok((p, _)) => show_probe(&mut screen, &p),
                    Err(e) => screen.message = Some(Message { code: "card_error", text: e }),
                }
            }
            present = now;
        }
        let mut screen = s.screen();
        if screen.reader != status.reader {
            screen.reader = status.reader.clone();
        }
        if status.reader.is_none() {
            screen.message = Some(Message {
                code: "no_reader",
                text: "カードリーダーがありません no card reader".into(),
            });
        } else if screen.message.as_ref().is_some_and(|m| m.code == "no_reader") {
            screen.message = None;
        }
    }
}

fn pin(v: Option<&Zeroizing<String>>, what: &str) -> Result<Option<Pin>, Message> {
    match v.map(|p| p.trim()).filter(|p| !p.is_empty()) {
        None => Ok(None),
        Some(p) => Pin::new(p)
            .map(Some)
            .ok_or_else(|| Message { code: "bad_input", text: format!("{what}: 4桁の数字 must be 4 digits") }),
    }
}

fn read_error(e: ReadError) -> Message {
    let code = match &e {
        ReadError::LastTryRefused { .. } => "last_try",
        ReadError::WrongCredential { .. } => "wrong_pin",
        ReadError::Blocked { .. } => "blocked",
        ReadError::Transport(TransportError::NoCard | TransportError::CardRemoved) => "no_card",
        ReadError::NotALicenceCard | ReadError::NotAnIcLicence => "not_a_licence_card",
        ReadError::LicencePinNeeded | ReadError::PinNeeded { .. } => "pin_needed",
        _ => "card_error",
    };
    let text = match &e {
        ReadError::LastTryRefused { what } => format!(
            "{what}: 残り1回です。確認の上、チェックを入れて読み取ってください only one try left: tick the box to spend it (a wrong value locks the card)"
        ),
        ReadError::WrongCredential { what, tries_left } => {
            format!("{what}: 誤りです。残り{tries_left}回 wrong: {tries_left} tries left before the card locks")
        }
        other => other.to_string(),
    };
    Message { code, text }
}

/// One read of the card on `reader` with `creds`; the verified result goes on screen.
fn run_read(
    s: &Shared,
    opts: &CounterOptions,
    monitor: &Monitor,
    reader: &str,
    creds: Credentials,
) -> Result<(), Message> {
    let last = if creds.allow_last_try { LastTry::Allow } else { LastTry::Refuse };
    let transport = monitor.connect(reader).map_err(|e| read_error(ReadError::Transport(e)))?;
    let (p, transport) = probe(transport).map_err(read_error)?;
    let step = |name: &'static str| s.screen().progress.push(name);
    let mut challenge = vec![0u8; CHALLENGE_BYTES];
    getrandom::fill(&mut challenge).map_err(|e| Message { code: "card_error", text: e.to_string() })?;
    let ledger = OneChallenge::new(challenge.clone());
    let submission = match p.kind {
        CardKind::MyNumberLicence => read_mynumber(transport, &creds, last, challenge, &step)?,
        CardKind::IcLicence => read_ic(transport, &creds, last, &step)?,
        _ => return Err(read_error(ReadError::NotALicenceCard)),
    };
    step("verify");
    let ctx = Context::local_read(UnixTime::now()).with_ledger(&ledger);
    let verification = verify(&submission, &opts.trust, &ctx)
        .map_err(|e| Message { code: "card_error", text: e.to_string() })?
        .with_portrait_jpeg();
    let report = serde_json::to_value(verification.report()).unwrap_or_default();
    *s.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some(Kept { captured_at: submission.captured_at.clone().unwrap_or_default(), verification });
    let mut screen = s.screen();
    screen.report = Some(report);
    screen.saved = None;
    step_done(&mut screen);
    Ok(())
}

fn step_done(screen: &mut Screen) {
    screen.progress.push("done");
}

fn read_mynumber(
    transport: PcscTransport,
    creds: &Credentials,
    last: LastTry,
    challenge: Vec<u8>,
    step: &dyn Fn(&'static str),
) -> Result<Submission, Message> {
    let licence_pin = pin(creds.licence_pin.as_ref(), "免許の暗証番号 licence PIN")?;
    let birth = creds.birth_date.as_ref().map(|b| b.trim().to_string()).filter(|b| !b.is_empty());
    let birth_date = birth
        .as_deref()
        .map(|b| b.parse::<Date>())
        .transpose()
        .map_err(|e| Message { code: "bad_input", text: format!("生年月日 birth date: {e}") })?;
    let kenhojo = match (pin(creds.kenhojo_pin.as_ref(), "券面事項入力補助用暗証番号 card-surface PIN")?, &birth)
    {
        (Some(p), _) => KenhojoCredential::Pin(p),
        (None, Some(b)) => {
            let year = creds.card_expiry_year.as_ref().map(|y| y.trim().to_string()).unwrap_or_default();
            let code = creds.security_code.as_ref().map(|c| c.trim().to_string()).unwrap_or_default();
            menkyo_core::CollationNumberB::from_inputs(b, &year, &code)
                .map(KenhojoCredential::CollationB)
                .map_err(|e| Message { code: "bad_input", text: format!("照合番号B collation number B: {e}") })?
        }
        (None, None) => {
            return Err(Message {
                code: "bad_input",
                text: "券面事項入力補助用暗証番号、または生年月日・有効期限の年・セキュリティコード the card-surface PIN, or the birth date, card expiry year and security code".into(),
            });
        }
    };
    let opts = ReadOptions {
        licence_pin: licence_pin.clone(),
        kenhojo: Some(kenhojo),
        birth_date,
        last_try: last,
        challenge: Some(challenge),
    };
    let mut progress = |st: menkyo_reader::read::Step| {
        use menkyo_reader::read::Step;
        step(match st {
            Step::Licence => "licence",
            Step::LicenceVerified => "licence_pin_ok",
            Step::LicenceRead => "licence_read",
            Step::Kenhojo => "kenhojo",
            Step::KenhojoRead => "kenhojo_read",
            Step::Kenkaku => "kenkaku",
            Step::KenkakuRead => "kenkaku_read",
            Step::KenkakuMissing => "kenkaku_missing",
        });
    };
    let mut ask = |_: PinRequest| licence_pin.clone();
    read_card_asking(transport, &opts, &mut ask, UnixTime::now(), &mut progress).map(|(s, _, _)| s).map_err(read_error)
}

fn read_ic(
    transport: PcscTransport,
    creds: &Credentials,
    last: LastTry,
    step: &dyn Fn(&'static str),
) -> Result<Submission, Message> {
    let pin1 = pin(creds.ic_pin1.as_ref(), "暗証番号1 PIN1")?;
    let pin2 = pin(creds.ic_pin2.as_ref(), "暗証番号2 PIN2")?;
    let mut ask = |r: IcPinRequest| match r {
        IcPinRequest::Pin1 { .. } => pin1.clone(),
        IcPinRequest::Pin2 { .. } => pin2.clone(),
    };
    let mut progress = |st: menkyo_reader::ic_read::IcStep| {
        use menkyo_reader::ic_read::IcStep;
        step(match st {
            IcStep::Card => "ic_card",
            IcStep::Pin1Verified => "ic_pin1_ok",
            IcStep::Pin2Verified => "ic_pin2_ok",
            IcStep::WithoutPin2 => "ic_without_pin2",
            IcStep::Pin2Blocked => "ic_pin2_blocked",
            IcStep::Read => "ic_read",
        });
    };
    let now = UnixTime::now();
    let captured = UnixTime::from_secs(now.secs().saturating_add(9 * 3600)).to_rfc3339();
    read_ic_card(transport, &mut ask, last, &mut progress)
        .map(|(files, _, _)| {
            Submission::of_ic_licence(Some(format!("{}+09:00", captured.trim_end_matches('Z'))), files)
        })
        .map_err(read_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worker's own check before any VERIFY, deterministic (the end-to-end test can only
    /// reach it through a race): credentials run only on the card and screen they were typed for.
    #[test]
    fn credentials_run_only_on_the_card_they_were_typed_for() {
        let card = ("Reader 0".to_string(), 7);
        let swapped = ("Reader 0".to_string(), 9);
        let other_reader = ("Reader 1".to_string(), 7);
        // The same screen and the same card: read.
        assert_eq!(read_gate(3, 3, Some(&card), Some(&card)), Gate::Run);
        // The screen moved on (card swapped and probed, or cleared) after the page sent them,
        // even though the card now on the reader is the one probed last.
        assert_eq!(read_gate(2, 3, Some(&card), Some(&card)), Gate::Changed);
        assert_eq!(read_gate(4, 3, Some(&card), Some(&card)), Gate::Changed);
        // A swap the worker has not probed yet: a new card-event count, another reader, no card,
        // or a reader that could not be asked.
        assert_eq!(read_gate(3, 3, Some(&card), Some(&swapped)), Gate::Changed);
        assert_eq!(read_gate(3, 3, Some(&card), Some(&other_reader)), Gate::Changed);
        assert_eq!(read_gate(3, 3, Some(&card), None), Gate::Changed);
        // No card shown.
        assert_eq!(read_gate(3, 3, None, None), Gate::NoCard);
        assert_eq!(read_gate(3, 3, None, Some(&card)), Gate::NoCard);
        assert_eq!(read_gate(2, 3, None, None), Gate::Changed);
    }
}
