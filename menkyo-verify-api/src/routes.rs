//! The endpoints of interfaces.md §5.

use std::convert::Infallible;
use std::time::Instant;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64URL};
use futures_util::StreamExt;
use menkyo_core::json::StrictJsonError;
use menkyo_core::{Context, Submission, SubmissionError, UnixTime, Verdict, Verification, verify};
use sha2::{Digest, Sha256};

use crate::problem::ApiError;
use crate::store::{AuditRow, StoreError};
use crate::{AppState, BATCH_LINES_MAX, BODY_MAX, CHALLENGE_BYTES, CHALLENGE_TTL_SECS};

/// How long a request may take before it is answered 408. [P]
pub(crate) const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The service's routes.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/v1/verifications", post(verifications))
        .route("/v1/age-checks", post(age_checks))
        .route("/v1/challenges", post(challenges))
        .route("/v1/batch", post(batch).layer(DefaultBodyLimit::disable()))
        .route("/v1/keys", get(keys))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .route("/", get(service_page))
        .route("/assets/{name}", get(service_asset))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(time_limit))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

/// Headers on every response (interfaces.md §5): reports and pages hold personal data, so
/// nothing is cached, sniffed or sent on as a referrer.
pub async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    res
}

/// Answers 408 with a problem document when a request (a slow body included) is not
/// answered within [`REQUEST_TIMEOUT`]. A streamed batch is bounded until its first byte.
async fn time_limit(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(res) => res,
        Err(_) => ApiError::Timeout(REQUEST_TIMEOUT.as_secs()).into_response(),
    }
}

fn require_content_type(headers: &HeaderMap, want: &'static str) -> Result<(), ApiError> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let essence = ct.split(';').next().unwrap_or_default().trim();
    if essence.eq_ignore_ascii_case(want) { Ok(()) } else { Err(ApiError::UnsupportedMediaType(want)) }
}

async fn read_body(body: Body) -> Result<Bytes, ApiError> {
    axum::body::to_bytes(body, BODY_MAX).await.map_err(|_| ApiError::PayloadTooLarge(BODY_MAX))
}

fn parse_submission(bytes: &[u8]) -> Result<Submission, ApiError> {
    Submission::from_json(bytes).map_err(|e| match e {
        SubmissionError::Json { .. } => ApiError::MalformedJson,
        SubmissionError::TooLarge { .. } => ApiError::PayloadTooLarge(BODY_MAX),
        other => ApiError::Submission(other),
    })
}

/// A verification is of a licence: the マイナ免許証's licence AP or a conventional IC licence.
fn require_licence(s: &Submission) -> Result<(), ApiError> {
    if s.licence.is_none() && s.ic_licence.is_none() {
        return Err(ApiError::BadRequest("a verification needs the licence data (`licence` or `ic_licence`)"));
    }
    Ok(())
}

/// What the operator allows the service to receive (interfaces.md §5).
fn check_policy(state: &AppState, s: &Submission) -> Result<(), ApiError> {
    if s.kenhojo.is_some() && !state.accept_kenhojo {
        return Err(ApiError::IndividualNumber);
    }
    Ok(())
}

/// What a receipt names besides the answer: which submission, when, and under which challenge.
struct ReceiptMeta {
    /// SHA-256 of the request body (or batch line) as received: in the receipt and the audit row.
    submission_sha256: [u8; 32],
    challenge: Option<String>,
}

impl ReceiptMeta {
    /// `raw` is the request body (or batch line) exactly as received.
    fn of(raw: &[u8], s: Option<&Submission>) -> Self {
        Self {
            submission_sha256: Sha256::digest(raw).into(),
            challenge: s.and_then(|s| s.freshness.as_ref()).map(|f| STANDARD.encode(&f.challenge)),
        }
    }
}

/// Verifies (the challenge against this service's ledger) and counts; returns the audit row
/// the caller must have committed before it answers ([`Store::audit_committed`]). Runs on a
/// blocking thread. `menkyo_core::verify` alone decides the verdict and its limits.
fn verify_submission(
    state: &AppState,
    key_id: &str,
    endpoint: &'static str,
    submission_sha256: &[u8; 32],
    s: &Submission,
) -> Result<(Verification, AuditRow), ApiError> {
    let now = (state.clock)();
    let started = Instant::now();
    let ctx = Context::submission(now).with_ledger(&state.store);
    let verification = verify(s, &state.trust, &ctx).map_err(|e| ApiError::Internal(e.to_string()))?;
    let report = verification.report();
    state.metrics.verdict(report.verdict(), u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX));
    let row = AuditRow {
        at: now.to_rfc3339(),
        key_id: key_id.to_string(),
        endpoint: endpoint.to_string(),
        submission_sha256: menkyo_core::hex::encode(submission_sha256),
        verdict: report.verdict().as_str().to_string(),
        failed_checks: report.failed().iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "),
    };
    Ok((verification, row))
}

/// A row the audit log did not take: a full queue is the database stalling (503, try again),
/// anything else an internal error.
fn audit_failed(e: StoreError) -> ApiError {
    match e {
        StoreError::Busy => ApiError::Unavailable,
        StoreError::Database(_) => ApiError::Internal(e.to_string()),
    }
}

/// Commits an audit row (group-committed with other requests' rows) before the answer.
async fn audited(state: &AppState, row: AuditRow) -> Result<(), ApiError> {
    state.store.audit_committed(row).await.map_err(audit_failed)
}

/// Bytes of a receipt id. [P]
const RECEIPT_ID_BYTES: usize = 16;

/// Keys [`with_receipt`] appends to a response object; the objects it is given never have them.
const RECEIPT_KEYS: [&str; 5] = ["receipt_id", "issued_at", "submission_sha256", "challenge", "receipt"];

/// The response object with what the receipt names, and a receipt over all of it, as JSON
/// text. Serialized once: the signed payload is the object with the receipt's fields, and the
/// response is that payload with `receipt` appended.
fn with_receipt(state: &AppState, value: &impl serde::Serialize, meta: ReceiptMeta) -> Result<Vec<u8>, ApiError> {
    let internal = |e: serde_json::Error| ApiError::Internal(e.to_string());
    let mut id = [0u8; RECEIPT_ID_BYTES];
    // aws-lc's DRBG (seeded from the system): no system call per response.
    aws_lc_rs::rand::fill(&mut id).map_err(|_| ApiError::Internal("no randomness for the receipt id".into()))?;
    let mut out = serde_json::to_vec(value).map_err(internal)?;
    // A non-empty object: `{…}` whose last byte is the closing brace.
    if out.len() < 3 || out.first() != Some(&b'{') || out.pop() != Some(b'}') {
        return Err(ApiError::Internal("response is not a non-empty object".into()));
    }
    put(&mut out, RECEIPT_KEYS[0], &B64URL.encode(id)).map_err(internal)?;
    put(&mut out, RECEIPT_KEYS[1], &(state.clock)().to_rfc3339()).map_err(internal)?;
    put(&mut out, RECEIPT_KEYS[2], &B64URL.encode(meta.submission_sha256)).map_err(internal)?;
    if let Some(challenge) = &meta.challenge {
        put(&mut out, RECEIPT_KEYS[3], challenge).map_err(internal)?;
    }
    out.push(b'}');
    let receipt = state.signer.sign(&out).ok_or_else(|| ApiError::Internal("receipt signature failed".into()))?;
    out.pop();
    put(&mut out, RECEIPT_KEYS[4], &receipt).map_err(internal)?;
    out.push(b'}');
    // serde_json wrote UTF-8 and `put` only adds JSON strings: the body is sent as it is.
    Ok(out)
}

/// Appends `,"key":"v"` to an object being written. The values are base64 and timestamps:
/// written as they are when no byte needs escaping in JSON, through serde_json otherwise.
fn put(out: &mut Vec<u8>, key: &str, v: &str) -> Result<(), serde_json::Error> {
    out.push(b',');
    serde_json::to_writer(&mut *out, key)?;
    out.push(b':');
    // Without early exit, so the check over a 3 KB receipt vectorizes.
    let plain = v.bytes().fold(true, |ok, b| ok & (0x20..0x7f).contains(&b) & (b != b'"') & (b != b'\\'));
    if plain {
        out.reserve(v.len() + 2);
        out.push(b'"');
        out.extend_from_slice(v.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(&mut *out, v)
    }
}

fn json_response(value: &serde_json::Value) -> Response {
    json_text_response(value.to_string())
}

fn json_text_response(text: impl Into<Body>) -> Response {
    let mut res = (StatusCode::OK, text.into()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::Internal(e.to_string()))?
}

fn problem(state: &AppState, e: ApiError) -> Response {
    state.metrics.problem();
    e.into_response()
}

/// `?portrait=jpeg` adds `licence.photo.jpeg`: the portrait as base64 JPEG, for browsers.
#[derive(Debug, serde::Deserialize)]
struct VerifyQuery {
    portrait: Option<String>,
}

async fn verifications(
    State(state): State<AppState>,
    Query(q): Query<VerifyQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let result = async {
        let key_id = state.keys.check(&headers)?;
        require_content_type(&headers, "application/json")?;
        let want_jpeg = match q.portrait.as_deref() {
            None => false,
            Some("jpeg") => true,
            Some(_) => return Err(ApiError::BadRequest("portrait: only `jpeg` is offered")),
        };
        let raw = read_body(body).await?;
        let s = parse_submission(&raw)?;
        check_policy(&state, &s)?;
        require_licence(&s)?;
        let meta = ReceiptMeta::of(&raw, Some(&s));
        let digest = meta.submission_sha256;
        let st = state.clone();
        let (report, row) = blocking(move || {
            let (v, row) = verify_submission(&st, &key_id, "verifications", &digest, &s)?;
            // Decoded only when the portrait's signature verified (menkyo_core decides).
            let v = if want_jpeg { v.with_portrait_jpeg() } else { v };
            Ok((v.into_report(), row))
        })
        .await?;
        audited(&state, row).await?;
        with_receipt(&state, &report, meta)
    }
    .await;
    match result {
        Ok(v) => json_text_response(v),
        Err(e) => problem(&state, e),
    }
}

/// Largest age asked for. [P]
const AGE_MAX: u64 = 150;

async fn age_checks(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let result = async {
        let key_id = state.keys.check(&headers)?;
        require_content_type(&headers, "application/json")?;
        let raw = read_body(body).await?;
        let v = menkyo_core::json::parse_strict(&raw).map_err(|e| match e {
            StrictJsonError::Syntax { .. } => ApiError::MalformedJson,
            StrictJsonError::DuplicateKey { .. } => ApiError::BadRequest("the request names a key twice in one object"),
        })?;
        let over = v.get("over").and_then(serde_json::Value::as_u64).filter(|n| *n <= AGE_MAX);
        let over = over
            .and_then(|n| u16::try_from(n).ok())
            .ok_or(ApiError::BadRequest("`over` must be an integer from 0 to 150"))?;
        let inner = v.get("submission").ok_or(ApiError::BadRequest("missing `submission`"))?;
        // Read from the parsed body (duplicate keys already refused), not written out and
        // parsed again.
        let s = Submission::from_value(inner).map_err(ApiError::Submission)?;
        check_policy(&state, &s)?;
        // The age record proves age only with a card present now: it needs this service's
        // challenge, answered by its card key.
        if s.kenkaku.is_some() && s.freshness.as_ref().and_then(|f| f.kenkaku_signature.as_ref()).is_none() {
            return Err(ApiError::ChallengeRequired);
        }
        let meta = ReceiptMeta::of(&raw, Some(&s));
        let digest = meta.submission_sha256;
        let st = state.clone();
        let (verdict, answer, row) = blocking(move || {
            let (v, row) = verify_submission(&st, &key_id, "age-checks", &digest, &s)?;
            Ok((v.verdict(), v.age_check(over), row))
        })
        .await?;
        audited(&state, row).await?;
        let mut value = serde_json::json!({
            "verdict": verdict.as_str(),
            "over": over,
            // null when it could not be decided (no signed birth date, or the verdict is not
            // valid): never a "no" that only means "unknown".
            "result": answer.result.filter(|_| verdict == Verdict::Valid),
            "basis": answer.basis.map(|b| b.as_str()),
            "limits": answer.limits,
        });
        if verdict == Verdict::Valid && answer.result.is_none() {
            value["detail"] = "no signed birth date was submitted".into();
        }
        with_receipt(&state, &value, meta)
    }
    .await;
    match result {
        Ok(v) => json_text_response(v),
        Err(e) => problem(&state, e),
    }
}

async fn challenges(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let result = async {
        state.keys.check(&headers)?;
        let mut nonce = [0u8; CHALLENGE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| ApiError::Internal(e.to_string()))?;
        let nonce = STANDARD.encode(nonce);
        let expires = (state.clock)().secs().saturating_add(CHALLENGE_TTL_SECS);
        let st = state.clone();
        let n = nonce.clone();
        blocking(move || st.store.add_challenge(&n, expires).map_err(|e| ApiError::Internal(e.to_string()))).await?;
        state.metrics.challenge();
        Ok(serde_json::json!({ "challenge": nonce, "expires_at": UnixTime::from_secs(expires).to_rfc3339() }))
    }
    .await;
    match result {
        Ok(v) => json_response(&v),
        Err(e) => problem(&state, e),
    }
}

/// One NDJSON output line for one input line.
fn batch_line(state: &AppState, key_id: &str, line: &[u8]) -> String {
    let out = parse_submission(line).and_then(|s| {
        check_policy(state, &s)?;
        require_licence(&s)?;
        let meta = ReceiptMeta::of(line, Some(&s));
        let (v, row) = verify_submission(state, key_id, "batch", &meta.submission_sha256, &s)?;
        state.store.audit_committed_blocking(row).map_err(audit_failed)?;
        let text = with_receipt(state, &v.into_report(), meta)?;
        String::from_utf8(text).map_err(|e| ApiError::Internal(e.to_string()))
    });
    match out {
        Ok(v) => v,
        Err(e) => {
            state.metrics.problem();
            e.problem().to_string()
        }
    }
}

/// One batch line on its way out: answered at once, or being verified on a blocking thread.
enum Slot {
    Ready(String),
    Running(tokio::task::JoinHandle<String>),
}

/// Splits a byte stream into NDJSON lines, keeping at most `BODY_MAX` bytes of a line.
#[derive(Default)]
struct LineSplitter {
    line: Vec<u8>,
    oversized: bool,
}

/// A complete line: its bytes, or the fact that it was over `BODY_MAX`.
enum Line {
    Data(Vec<u8>),
    Oversized,
}

impl LineSplitter {
    /// Appends `chunk`; complete non-blank lines go to `out`.
    fn push(&mut self, chunk: &[u8], out: &mut Vec<Line>) {
        for part in chunk.split_inclusive(|&b| b == b'\n') {
            let data = part.strip_suffix(b"\n").unwrap_or(part);
            if !self.oversized {
                if self.line.len().saturating_add(data.len()) > BODY_MAX {
                    self.oversized = true;
                    self.line = Vec::new();
                } else {
                    self.line.extend_from_slice(data);
                }
            }
            if part.ends_with(b"\n") {
                out.extend(self.take());
            }
        }
    }

    /// The line in progress, if any: at the end of the body a last line needs no newline.
    fn take(&mut self) -> Option<Line> {
        let line = std::mem::take(&mut self.line);
        if std::mem::take(&mut self.oversized) {
            Some(Line::Oversized)
        } else if line.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            Some(Line::Data(line))
        }
    }
}

/// Sends the oldest answer once it is ready; false when the client has gone or stopped reading.
async fn send_front(queue: &mut std::collections::VecDeque<Slot>, tx: &tokio::sync::mpsc::Sender<String>) -> bool {
    let text = match queue.pop_front() {
        None => return true,
        Some(Slot::Ready(text)) => text,
        Some(Slot::Running(handle)) => {
            handle.await.unwrap_or_else(|_| ApiError::Internal("batch worker".into()).problem().to_string())
        }
    };
    matches!(tokio::time::timeout(REQUEST_TIMEOUT, tx.send(text + "\n")).await, Ok(Ok(())))
}

/// Reads the batch body, verifies up to one line per core at a time, answers in input order.
/// Each line takes a token of the caller's rate limit (waiting for it). A body that stalls for
/// [`REQUEST_TIMEOUT`] ends the batch with a timeout problem line; so do too many lines.
async fn run_batch(state: AppState, key_id: String, body: Body, tx: tokio::sync::mpsc::Sender<String>) {
    let workers = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let mut stream = body.into_data_stream();
    let mut splitter = LineSplitter::default();
    let mut queue = std::collections::VecDeque::with_capacity(workers);
    let mut lines = Vec::new();
    let mut count = 0usize;
    let mut done = false;
    while !done {
        match tokio::time::timeout(REQUEST_TIMEOUT, stream.next()).await {
            Ok(Some(Ok(chunk))) => splitter.push(&chunk, &mut lines),
            Ok(None) => {
                lines.extend(splitter.take());
                done = true;
            }
            // The client broke off: nothing more can be read, answer what was complete.
            Ok(Some(Err(_))) => done = true,
            Err(_) => {
                queue.push_back(Slot::Ready(ApiError::Timeout(REQUEST_TIMEOUT.as_secs()).problem().to_string()));
                done = true;
            }
        }
        for line in lines.drain(..) {
            count += 1;
            if count > BATCH_LINES_MAX {
                let text = ApiError::BadRequest("too many lines in one batch").problem().to_string();
                queue.push_back(Slot::Ready(text));
                done = true;
                break;
            }
            let slot = match line {
                Line::Oversized => Slot::Ready(ApiError::PayloadTooLarge(BODY_MAX).problem().to_string()),
                Line::Data(bytes) => {
                    state.keys.throttle(&key_id).await;
                    let (state, key_id) = (state.clone(), key_id.clone());
                    Slot::Running(tokio::task::spawn_blocking(move || batch_line(&state, &key_id, &bytes)))
                }
            };
            queue.push_back(slot);
            while queue.len() >= workers {
                if !send_front(&mut queue, &tx).await {
                    return;
                }
            }
        }
    }
    while !queue.is_empty() {
        if !send_front(&mut queue, &tx).await {
            return;
        }
    }
}

async fn batch(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let key_id = match state
        .keys
        .check(&headers)
        .and_then(|k| require_content_type(&headers, "application/x-ndjson").map(|()| k))
    {
        Ok(k) => k,
        Err(e) => return problem(&state, e),
    };
    // Memory stays bounded whatever the batch size: at most `workers` lines (each at most
    // BODY_MAX bytes) in flight, a small queue of answers, nothing else kept.
    let (tx, rx) = tokio::sync::mpsc::channel::<String>(16);
    tokio::spawn(run_batch(state, key_id, body, tx));
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|line| (Ok::<_, Infallible>(Bytes::from(line)), rx))
    });
    let mut res = Response::new(Body::from_stream(stream));
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    res
}

async fn not_found(State(state): State<AppState>) -> Response {
    problem(&state, ApiError::NotFound)
}

async fn method_not_allowed(State(state): State<AppState>) -> Response {
    problem(&state, ApiError::MethodNotAllowed)
}

async fn keys(State(state): State<AppState>) -> Response {
    json_response(&state.signer.jwks())
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Longest `/readyz` waits for the database. [P]
const READY_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

async fn readyz(State(state): State<AppState>) -> Response {
    let answer = state.store.ready(READY_WAIT).await;
    if state.metrics.readiness_changed(answer.is_ok()) {
        match &answer {
            Ok(()) => eprintln!("menkyo-verify-api: ready again"),
            Err(e) => eprintln!("menkyo-verify-api: not ready: {e}"),
        }
    }
    match answer {
        Ok(()) => (StatusCode::OK, "ready\n").into_response(),
        Err(_) => ApiError::NotReady.into_response(),
    }
}

async fn metrics(State(state): State<AppState>) -> Response {
    let mut res = (StatusCode::OK, state.metrics.render()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    res
}

async fn openapi() -> Response {
    json_response(&crate::openapi::document())
}

async fn service_page() -> Response {
    crate::page::html(crate::page::SERVICE_HTML)
}

async fn service_asset(axum::extract::Path(name): axum::extract::Path<String>) -> Response {
    crate::page::service_asset(&name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_audit_queue_is_503_other_store_errors_are_internal() {
        assert!(matches!(audit_failed(StoreError::Busy), ApiError::Unavailable));
        assert!(matches!(audit_failed(StoreError::Database("x".into())), ApiError::Internal(_)));
    }

    fn lines_of(chunks: &[&[u8]]) -> Vec<Option<Vec<u8>>> {
        let mut splitter = LineSplitter::default();
        let mut out = Vec::new();
        for c in chunks {
            splitter.push(c, &mut out);
        }
        out.extend(splitter.take());
        out.into_iter()
            .map(|l| match l {
                Line::Data(d) => Some(d),
                Line::Oversized => None,
            })
            .collect()
    }

    #[test]
    fn lines_do_not_depend_on_how_the_body_is_cut() {
        let big = vec![b'x'; BODY_MAX + 1];
        let exact = vec![b'y'; BODY_MAX];
        let body = [b"{\"a\":1}\n\n  \n".as_slice(), &big, b"\n", &exact, b"\n{\"b\":2}"].concat();
        let whole = lines_of(&[&body]);
        assert_eq!(whole, vec![Some(b"{\"a\":1}".to_vec()), None, Some(exact), Some(b"{\"b\":2}".to_vec())]);
        for cut in (0..body.len()).step_by(997).chain([1, 7, 8, 9, 11, BODY_MAX + 12, BODY_MAX + 13]) {
            let (a, b) = body.split_at(cut.min(body.len()));
            assert_eq!(lines_of(&[a, b]), whole, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = body[..64].chunks(1).collect();
        assert_eq!(lines_of(&bytes), lines_of(&[&body[..64]]));
    }
}
