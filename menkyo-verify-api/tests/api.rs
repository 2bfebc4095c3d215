//! The service end to end in process (tower oneshot): endpoints, problems, receipts, audit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::as_conversions, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use futures_util::StreamExt as _;
use menkyo_core::{TrustStore, UnixTime};
use menkyo_verify_api::{ApiKey, AppState, Keys, Metrics, ReceiptSigner, Store, app};
use p256::ecdsa::signature::Verifier;
use rsa::pkcs8::DecodePrivateKey;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors")
}

fn now() -> UnixTime {
    UnixTime::from_secs(UnixTime::start_of_jst_day("2026-11-23".parse().unwrap()).secs() + 3600)
}

/// A service that accepts card-surface data (`accept_kenhojo = true`), as most tests need.
fn state(keys: Vec<ApiKey>) -> AppState {
    AppState { accept_kenhojo: true, ..default_state(keys) }
}

/// A service as configured by default: card-surface data (the 個人番号 hash) refused.
fn default_state(keys: Vec<ApiKey>) -> AppState {
    let anonymous = keys.is_empty();
    AppState {
        trust: Arc::new(TrustStore::load_dir(&vectors().join("trust")).unwrap()),
        store: Store::open(":memory:").unwrap(),
        signer: Arc::new(ReceiptSigner::generate().unwrap()),
        keys: Arc::new(Keys::new(keys, anonymous)),
        metrics: Arc::new(Metrics::default()),
        accept_kenhojo: false,
        clock: now,
    }
}

/// The licence AP alone, as a service that refuses the 個人番号 hash receives it.
fn licence_only(mut v: Value) -> Value {
    let o = v.as_object_mut().unwrap();
    o.remove("kenhojo");
    o.remove("freshness");
    v
}

/// A challenge issued by the service, answered by persona `id`'s card key (as `80 2A` would).
async fn answered_challenge(app: &Router, id: &str) -> Value {
    let (s, _, b) = call(app, "POST", "/v1/challenges", None, vec![], None).await;
    assert_eq!(s, StatusCode::OK);
    let c: Value = serde_json::from_slice(&b).unwrap();
    let challenge = STANDARD.decode(c["challenge"].as_str().unwrap()).unwrap();
    let pem = std::fs::read_to_string(vectors().join("personas").join(id).join("card-key.pem")).unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem[pem.find("-----BEGIN").unwrap()..]).unwrap();
    let sig = key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&challenge)).unwrap();
    json!({"challenge": STANDARD.encode(&challenge), "signature": STANDARD.encode(&sig)})
}

fn check_of<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no {name}"))
}

fn persona(id: &str) -> Value {
    serde_json::from_slice(&std::fs::read(vectors().join("personas").join(id).join("submission.json")).unwrap())
        .unwrap()
}

fn without_freshness(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("freshness");
    v
}

/// The card-surface data without the kenkaku age record and without freshness.
fn kenhojo_basis(v: Value) -> Value {
    let mut v = without_freshness(v);
    v.as_object_mut().unwrap().remove("kenkaku");
    v
}

/// What `menkyo age-check` sends: the age record with the answer to a challenge of the service.
async fn kenkaku_age_check(app: &Router, id: &str, answered_by: &str) -> Value {
    let (_, _, b) = call(app, "POST", "/v1/challenges", None, vec![], None).await;
    let c: Value = serde_json::from_slice(&b).unwrap();
    let challenge = STANDARD.decode(c["challenge"].as_str().unwrap()).unwrap();
    let pem =
        std::fs::read_to_string(vectors().join("personas").join(answered_by).join("kenkaku-card-key.pem")).unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem[pem.find("-----BEGIN").unwrap()..]).unwrap();
    let sig = key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&challenge)).unwrap();
    let mut sub: Value = serde_json::from_slice(
        &std::fs::read(vectors().join("personas").join(id).join("age-check-submission.json")).unwrap(),
    )
    .unwrap();
    sub["freshness"] = json!({"challenge": c["challenge"], "kenkaku_signature": STANDARD.encode(&sig)});
    sub
}

async fn call(
    app: &Router,
    method: &str,
    path: &str,
    ct: Option<&str>,
    body: impl Into<Body>,
    auth: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(ct) = ct {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, format!("Bearer {a}"));
    }
    let res = app.clone().oneshot(req.body(body.into()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24).await.unwrap().to_vec();
    (status, headers, bytes)
}

/// A configured key for `secret` (only its SHA-256 is kept, as in a config file).
fn api_key(id: &str, secret: &str, rate_per_minute: u32) -> ApiKey {
    let sha256 = Sha256::digest(secret).iter().map(|b| format!("{b:02x}")).collect();
    ApiKey { id: id.into(), sha256, rate_per_minute: Some(rate_per_minute) }
}

async fn post_json(app: &Router, path: &str, v: &Value) -> (StatusCode, Value) {
    let (s, _, b) = call(app, "POST", path, Some("application/json"), v.to_string().into_bytes(), None).await;
    if s == StatusCode::OK {
        // The receipt's fields are appended to the serialized answer: never a key twice.
        let strict = menkyo_core::json::parse_strict(&b);
        assert!(strict.is_ok(), "{strict:?}: {}", String::from_utf8_lossy(&b));
    }
    (s, serde_json::from_slice(&b).unwrap_or(Value::Null))
}

fn verify_receipt(jwks: &Value, response: &Value) {
    let jws = response["receipt"].as_str().unwrap();
    let parts: Vec<&str> = jws.split('.').collect();
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    let jwk = jwks["keys"].as_array().unwrap().iter().find(|k| k["kid"] == header["kid"]).unwrap();
    let mut point = vec![4u8];
    point.extend(URL_SAFE_NO_PAD.decode(jwk["x"].as_str().unwrap()).unwrap());
    point.extend(URL_SAFE_NO_PAD.decode(jwk["y"].as_str().unwrap()).unwrap());
    let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&URL_SAFE_NO_PAD.decode(parts[2]).unwrap()).unwrap();
    // RustCrypto's p256 checks what aws-lc-rs signed: another implementation of ES256.
    key.verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig).unwrap();
    let mut without = response.clone();
    without.as_object_mut().unwrap().remove("receipt");
    let payload: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(payload, without);
}

#[tokio::test]
async fn verifies_with_a_receipt_and_audits_without_personal_data() {
    let st = state(vec![]);
    let app = app(st.clone());
    let (s, _, jwks) = call(&app, "GET", "/v1/keys", None, vec![], None).await;
    assert_eq!(s, StatusCode::OK);
    let jwks: Value = serde_json::from_slice(&jwks).unwrap();
    let (s, v) = post_json(&app, "/v1/verifications", &without_freshness(persona("p01-standard"))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["verdict"], "valid", "{v}");
    assert_eq!(v["format"], "menkyo-report/1");
    verify_receipt(&jwks, &v);
    let (_, v) = post_json(&app, "/v1/verifications", &persona("p07-expired")).await;
    assert_eq!(v["verdict"], "invalid");
    let rows = st.store.audit_rows().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].verdict, "valid");
    assert_eq!(rows[0].key_id, "anonymous");
    assert_eq!(rows[0].submission_sha256.len(), 64);
    assert!(rows[1].failed_checks.contains("licence.expiry"));
    let all = format!("{rows:?}");
    assert!(!all.contains("山田") && !all.contains("301234567890") && !all.contains("1980"));
    let (_, _, metrics) = call(&app, "GET", "/metrics", None, vec![], None).await;
    let metrics = String::from_utf8(metrics).unwrap();
    assert!(metrics.contains("menkyo_verifications_total{verdict=\"valid\"} 1"), "{metrics}");
    assert!(metrics.contains("menkyo_verifications_total{verdict=\"invalid\"} 1"));
}

#[tokio::test]
async fn challenges_are_single_use() {
    let app = app(state(vec![]));
    let (s, _, b) = call(&app, "POST", "/v1/challenges", None, vec![], None).await;
    assert_eq!(s, StatusCode::OK);
    let c: Value = serde_json::from_slice(&b).unwrap();
    let challenge = STANDARD.decode(c["challenge"].as_str().unwrap()).unwrap();
    assert_eq!(challenge.len(), 32);
    assert!(c["expires_at"].as_str().unwrap().ends_with('Z'));
    // The card (its test key) signs the nonce, as `80 2A` would.
    let pem = std::fs::read_to_string(vectors().join("personas/p01-standard/card-key.pem")).unwrap();
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem[pem.find("-----BEGIN").unwrap()..]).unwrap();
    let sig = key.sign(rsa::Pkcs1v15Sign::new::<Sha256>(), &Sha256::digest(&challenge)).unwrap();
    let mut sub = persona("p01-standard");
    sub["freshness"] = json!({"challenge": STANDARD.encode(&challenge), "signature": STANDARD.encode(&sig)});
    // The age record has no answer of its own here: it would be `not_fresh`.
    sub.as_object_mut().unwrap().remove("kenkaku");
    let (_, v) = post_json(&app, "/v1/verifications", &sub).await;
    assert_eq!(v["verdict"], "valid", "{v}");
    assert_eq!(v["limits"], json!(["test_anchors", "licence_not_bound", "holder_not_bound"]));
    assert_eq!(v["challenge"], c["challenge"]);
    let (_, v) = post_json(&app, "/v1/verifications", &sub).await;
    assert_eq!(v["verdict"], "invalid");
    let fresh = v["checks"].as_array().unwrap().iter().find(|c| c["name"] == "freshness.signature").unwrap();
    assert_eq!(fresh["status"], "invalid");
    // The vectors' own challenge was never issued here.
    let (_, v) = post_json(&app, "/v1/verifications", &persona("p01-standard")).await;
    assert_eq!(v["verdict"], "invalid");
}

#[tokio::test]
async fn age_checks_say_nothing_else() {
    let app = app(state(vec![]));
    for (id, over, result) in [
        ("p01-standard", 18, true),
        ("p12-under-18", 18, false),
        ("p12-under-18", 16, true),
        ("p01-standard", 47, false),
    ] {
        let (s, v) =
            post_json(&app, "/v1/age-checks", &json!({"submission": kenhojo_basis(persona(id)), "over": over})).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["result"], result, "{id} over {over}: {v}");
        assert_eq!(v["verdict"], "valid");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            vec![
                "basis",
                "issued_at",
                "limits",
                "over",
                "receipt",
                "receipt_id",
                "result",
                "submission_sha256",
                "verdict"
            ]
        );
        assert_eq!(v["basis"], "kenhojo");
        assert_eq!(v["limits"], json!(["test_anchors", "not_fresh", "holder_not_bound"]));
    }
    let (s, v) = post_json(&app, "/v1/age-checks", &json!({"submission": persona("p07-expired"), "over": 18})).await;
    assert_eq!((s, v["result"].clone(), v["verdict"].clone()), (StatusCode::OK, json!(null), json!("invalid")));
    let (s, v) = post_json(&app, "/v1/age-checks", &json!({"submission": persona("p01-standard"), "over": -1})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["status"], 400);
}

#[tokio::test]
async fn batch_streams_one_line_per_line() {
    let app = app(state(vec![]));
    let body = format!(
        "{}\nnot json\n{}\n\n{}\n",
        without_freshness(persona("p01-standard")),
        persona("p07-expired"),
        without_freshness(persona("p12-under-18"))
    );
    let (s, h, b) = call(&app, "POST", "/v1/batch", Some("application/x-ndjson"), body.into_bytes(), None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/x-ndjson");
    let lines: Vec<Value> = String::from_utf8(b).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["verdict"], "valid");
    assert_eq!(lines[1]["status"], 400);
    assert_eq!(lines[2]["verdict"], "invalid");
    assert_eq!(lines[3]["verdict"], "valid");
}

#[tokio::test]
async fn bad_requests_are_problem_documents() {
    let app = app(state(vec![]));
    let sub = persona("p01-standard");
    let mut bad64 = sub.clone();
    bad64["licence"]["wef02"] = "***".into();
    let mut unknown = sub.clone();
    unknown["format"] = "menkyo-submission/9".into();
    let cases: Vec<(Option<&str>, Vec<u8>, StatusCode, &str)> = vec![
        (Some("application/json"), b"{".to_vec(), StatusCode::BAD_REQUEST, "malformed-json"),
        (Some("application/json"), bad64.to_string().into_bytes(), StatusCode::BAD_REQUEST, "bad-base64"),
        (Some("application/json"), unknown.to_string().into_bytes(), StatusCode::BAD_REQUEST, "unknown-format"),
        (
            Some("text/plain"),
            sub.to_string().into_bytes(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
        ),
        (None, sub.to_string().into_bytes(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type"),
        (Some("application/json"), vec![b' '; 70_000], StatusCode::PAYLOAD_TOO_LARGE, "too-large"),
    ];
    let mut cases = cases
        .into_iter()
        .map(|(ct, body, status, slug)| ("POST", "/v1/verifications", ct, body, status, slug))
        .collect::<Vec<_>>();
    cases.push(("GET", "/v1/verifications", None, vec![], StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed"));
    cases.push(("GET", "/nope", None, vec![], StatusCode::NOT_FOUND, "not-found"));
    cases.push((
        "POST",
        "/v1/verifications?portrait=%ZZ",
        Some("application/json"),
        sub.to_string().into_bytes(),
        StatusCode::BAD_REQUEST,
        "bad-request",
    ));
    for (method, path, ct, body, status, slug) in cases {
        let (s, h, b) = call(&app, method, path, ct, body, None).await;
        assert_eq!(s, status, "{slug}");
        assert_eq!(h[header::CONTENT_TYPE], "application/problem+json");
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(p["type"], format!("https://menkyo.dev/problems/{slug}"));
        assert_eq!(p["status"], status.as_u16());
        assert!(p["title"].is_string() && p["detail"].is_string());
    }
}

#[tokio::test]
async fn api_keys_and_rate_limits() {
    let secret = "s3cret-key";
    let app = app(state(vec![api_key("vendor-a", secret, 2)]));
    let body = without_freshness(persona("p01-standard")).to_string().into_bytes();
    let (s, _, _) = call(&app, "POST", "/v1/verifications", Some("application/json"), body.clone(), None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _, _) =
        call(&app, "POST", "/v1/verifications", Some("application/json"), body.clone(), Some("wrong")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    for _ in 0..2 {
        let (s, _, _) =
            call(&app, "POST", "/v1/verifications", Some("application/json"), body.clone(), Some(secret)).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, h, _) = call(&app, "POST", "/v1/verifications", Some("application/json"), body, Some(secret)).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(h[header::RETRY_AFTER], "30");
}

#[tokio::test]
async fn health_readiness_openapi_and_page() {
    let app = app(state(vec![]));
    for (path, ct) in [
        ("/healthz", "text/plain"),
        ("/readyz", "text/plain"),
        ("/openapi.json", "application/json"),
        ("/", "text/html"),
        ("/assets/menkyo.css", "text/css"),
        ("/assets/report.js", "text/javascript"),
        ("/assets/words.js", "text/javascript"),
        ("/assets/service.js", "text/javascript"),
    ] {
        let (s, h, _) = call(&app, "GET", path, None, vec![], None).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with(ct), "{path}");
    }
    let (s, _, _) = call(&app, "GET", "/assets/../Cargo.toml", None, vec![], None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, _, page) = call(&app, "GET", "/", None, vec![], None).await;
    let page = String::from_utf8(page).unwrap();
    assert!(!page.contains("<script>") && !page.contains("<style>") && !page.contains(" style="), "no inline code");
    let (_, _, b) = call(&app, "GET", "/openapi.json", None, vec![], None).await;
    let doc: Value = serde_json::from_slice(&b).unwrap();
    for p in ["/v1/verifications", "/v1/age-checks", "/v1/challenges", "/v1/batch", "/v1/keys"] {
        assert!(doc["paths"][p].is_object(), "{p}");
    }
}

#[tokio::test]
async fn portrait_as_jpeg_on_request() {
    let app = app(state(vec![]));
    let body = without_freshness(persona("p01-standard")).to_string().into_bytes();
    let (s, _, b) =
        call(&app, "POST", "/v1/verifications?portrait=jpeg", Some("application/json"), body.clone(), None).await;
    assert_eq!(s, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    let jpeg = STANDARD.decode(v["licence"]["photo"]["jpeg"].as_str().unwrap()).unwrap();
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    let (_, _, b) = call(&app, "POST", "/v1/verifications", Some("application/json"), body.clone(), None).await;
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert!(v["licence"]["photo"].get("jpeg").is_none());
    let (s, _, _) = call(&app, "POST", "/v1/verifications?portrait=png", Some("application/json"), body, None).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_body_times_out_with_a_problem() {
    // The client sends headers and then nothing: answered 408 after the time limit (paused
    // clock: tokio advances it as soon as everything waits).
    let app = app(state(vec![]));
    let body = Body::from_stream(futures_util::stream::pending::<Result<Vec<u8>, std::io::Error>>());
    let started = tokio::time::Instant::now();
    let (status, headers, bytes) = call(&app, "POST", "/v1/verifications", Some("application/json"), body, None).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(started.elapsed() >= std::time::Duration::from_secs(30));
    let problem: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(problem["type"], "https://menkyo.dev/problems/timeout");
    assert_eq!(problem["status"], 408);
}

async fn batch_lines(app: &Router, body: Body, auth: Option<&str>) -> Vec<Value> {
    let (status, _, bytes) = call(app, "POST", "/v1/batch", Some("application/x-ndjson"), body, auth).await;
    assert_eq!(status, StatusCode::OK);
    String::from_utf8(bytes).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test(start_paused = true)]
async fn batch_lines_spend_the_callers_rate() {
    // 2 per minute: the request and the first line take the two tokens, each further line
    // waits 30 s for the next one. A batch does not buy unlimited verifications.
    let secret = "batch-key";
    let app = app(state(vec![api_key("vendor-b", secret, 2)]));
    let line = without_freshness(persona("p01-standard")).to_string();
    let started = tokio::time::Instant::now();
    let lines = batch_lines(&app, Body::from(format!("{line}\n{line}\n{line}\n")), Some(secret)).await;
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l["verdict"] == "valid"), "{lines:?}");
    let waited = started.elapsed();
    assert!(waited >= std::time::Duration::from_secs(59), "{waited:?}");
    // Meanwhile the single requests of that key are refused.
    let (s, _, _) =
        call(&app, "POST", "/v1/verifications", Some("application/json"), line.into_bytes(), Some(secret)).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(start_paused = true)]
async fn a_stalled_batch_ends_with_a_timeout_line() {
    let line = format!("{}\n", without_freshness(persona("p01-standard")));
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(line.into_bytes())]).chain(futures_util::stream::pending());
    let lines = batch_lines(&app(state(vec![])), Body::from_stream(chunks), None).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!(lines[0]["verdict"], "valid");
    assert_eq!(lines[1]["type"], "https://menkyo.dev/problems/timeout");
}

#[tokio::test]
async fn batch_answers_in_input_order_with_lines_over_the_limit_refused() {
    let valid = without_freshness(persona("p01-standard")).to_string();
    let expired = persona("p07-expired").to_string();
    let oversized = format!("{{\"pad\": \"{}\"}}", "x".repeat(menkyo_verify_api::BODY_MAX));
    let mut body = String::new();
    let mut expect = Vec::new();
    for i in 0..12 {
        let (l, e) = match i % 3 {
            0 => (&valid, "valid"),
            1 => (&expired, "invalid"),
            _ => (&oversized, "too-large"),
        };
        body.push_str(l);
        body.push('\n');
        expect.push(e);
    }
    // The last line has no newline: still a line.
    body.push_str(&valid);
    expect.push("valid");
    let lines = batch_lines(&app(state(vec![])), Body::from(body), None).await;
    let got: Vec<&str> = lines
        .iter()
        .map(|l| l["verdict"].as_str().unwrap_or_else(|| l["type"].as_str().unwrap().rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(got, expect);
}

/// Finding 3: the 個人番号 hash (kenhojo EF 0003) is refused unless the operator accepts it.
#[tokio::test]
async fn card_surface_data_is_refused_unless_accepted() {
    let app = app(default_state(vec![]));
    for (path, body) in [
        ("/v1/verifications", persona("p01-standard")),
        ("/v1/age-checks", json!({"submission": persona("p01-standard"), "over": 18})),
    ] {
        let (s, v) = post_json(&app, path, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(v["type"], "https://menkyo.dev/problems/individual-number", "{path}");
    }
    let lines = batch_lines(&app, Body::from(format!("{}\n", persona("p01-standard"))), None).await;
    assert_eq!(lines[0]["type"], "https://menkyo.dev/problems/individual-number");
    // The licence data alone is verified as before.
    let (s, v) = post_json(&app, "/v1/verifications", &licence_only(persona("p01-standard"))).await;
    assert_eq!((s, v["verdict"].clone()), (StatusCode::OK, json!("valid")));
    // A verification needs the licence data.
    let mut no_licence = persona("p01-standard");
    no_licence.as_object_mut().unwrap().remove("licence");
    let (s, v) = post_json(&app, "/v1/verifications", &licence_only(no_licence)).await;
    assert_eq!((s, v["type"].clone()), (StatusCode::BAD_REQUEST, json!("https://menkyo.dev/problems/bad-request")));
}

/// Finding 1: a licence-only submission with a freshness block (a challenge issued here, an
/// empty signature) is invalid, not valid.
#[tokio::test]
async fn freshness_without_the_answering_block_is_invalid() {
    let app = app(default_state(vec![]));
    let mut answer = answered_challenge(&app, "p01-standard").await;
    answer["signature"] = "".into();
    let mut sub = licence_only(persona("p01-standard"));
    sub["freshness"] = answer;
    let (s, v) = post_json(&app, "/v1/verifications", &sub).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["verdict"], "invalid", "{v}");
    assert_eq!(check_of(&v, "freshness.card_key")["status"], "invalid");
    assert_eq!(check_of(&v, "freshness.signature")["status"], "invalid");
}

/// Finding 2: a splice passes every check (nothing on the cards binds its parts); the report
/// and the age answer say what is not proven.
#[tokio::test]
async fn spliced_submissions_carry_their_limits() {
    let app = app(state(vec![]));
    let mut splice = persona("p02-all-categories");
    splice["licence"] = persona("p01-standard")["licence"].clone();
    splice["freshness"] = answered_challenge(&app, "p02-all-categories").await;
    splice.as_object_mut().unwrap().remove("kenkaku");
    let (_, v) = post_json(&app, "/v1/verifications", &splice).await;
    assert_eq!(v["verdict"], "valid", "{v}");
    assert_eq!(v["source"], "submission");
    assert_eq!(v["limits"], json!(["test_anchors", "licence_not_bound", "holder_not_bound"]));
    splice["freshness"] = answered_challenge(&app, "p02-all-categories").await;
    splice.as_object_mut().unwrap().remove("kenkaku");
    let (_, a) = post_json(&app, "/v1/age-checks", &json!({"submission": splice, "over": 18})).await;
    assert_eq!((a["result"].clone(), a["basis"].clone()), (json!(true), json!("kenhojo")));
    assert_eq!(a["limits"], json!(["test_anchors", "holder_not_bound"]));
    // A third card's answer is not the card key of these card-surface data.
    splice["freshness"] = answered_challenge(&app, "p03-showa-gannen").await;
    let (_, v) = post_json(&app, "/v1/verifications", &splice).await;
    assert_eq!(v["verdict"], "invalid");
    assert_eq!(check_of(&v, "freshness.signature")["status"], "invalid");
}

/// Finding 4: receipts name a unique id, the time, the submission and the challenge.
#[tokio::test]
async fn receipts_prove_what_was_checked_when_about_which_submission() {
    let app = app(state(vec![]));
    let (_, _, jwks) = call(&app, "GET", "/v1/keys", None, vec![], None).await;
    let jwks: Value = serde_json::from_slice(&jwks).unwrap();
    let mut payloads = Vec::new();
    for id in ["p01-standard", "p02-all-categories"] {
        let body = json!({"submission": kenhojo_basis(persona(id)), "over": 18}).to_string();
        let (s, _, b) = call(&app, "POST", "/v1/age-checks", Some("application/json"), body.clone(), None).await;
        assert_eq!(s, StatusCode::OK);
        let v: Value = serde_json::from_slice(&b).unwrap();
        verify_receipt(&jwks, &v);
        assert_eq!(v["submission_sha256"], URL_SAFE_NO_PAD.encode(Sha256::digest(body.as_bytes())));
        assert_eq!(v["issued_at"], "2026-11-22T16:00:00Z");
        assert_eq!(URL_SAFE_NO_PAD.decode(v["receipt_id"].as_str().unwrap()).unwrap().len(), 16);
        assert!(v.get("challenge").is_none());
        let payload = v["receipt"].as_str().unwrap().split('.').nth(1).unwrap().to_string();
        payloads.push((v["receipt_id"].clone(), payload));
    }
    // Two persons, same answer: different receipts.
    assert_ne!(payloads[0], payloads[1]);
    // The same body twice: two receipts, two ids.
    let body = json!({"submission": kenhojo_basis(persona("p01-standard")), "over": 18}).to_string();
    let (_, _, a) = call(&app, "POST", "/v1/age-checks", Some("application/json"), body.clone(), None).await;
    let (_, _, b) = call(&app, "POST", "/v1/age-checks", Some("application/json"), body, None).await;
    let (a, b): (Value, Value) = (serde_json::from_slice(&a).unwrap(), serde_json::from_slice(&b).unwrap());
    assert_ne!(a["receipt_id"], b["receipt_id"]);
    assert_eq!(a["submission_sha256"], b["submission_sha256"]);
}

/// Finding 5: a driving-history record is valid, and says it is no licence.
#[tokio::test]
async fn a_driving_history_record_says_so() {
    let app = app(default_state(vec![]));
    let (_, v) = post_json(&app, "/v1/verifications", &licence_only(persona("p08-driving-history"))).await;
    assert_eq!(v["verdict"], "valid");
    assert_eq!(v["licence"]["profile"], "driving_history");
    assert_eq!(v["limits"], json!(["not_a_driving_licence", "test_anchors", "not_fresh", "licence_not_bound"]));
    let (_, _, words) = call(&app, "GET", "/assets/words.js", None, vec![], None).await;
    assert!(String::from_utf8(words).unwrap().contains("運転経歴証明書 — 運転免許ではありません"));
}

/// Finding 6: a portrait is decoded only when its signature verified, and a signed portrait
/// declaring a huge image is refused before decoding.
#[tokio::test]
async fn portraits_are_decoded_only_when_signed_and_small() {
    let app = app(default_state(vec![]));
    let read = |rel: &str| -> Value { serde_json::from_slice(&std::fs::read(vectors().join(rel)).unwrap()).unwrap() };
    for (rel, verdict) in
        [("malformed/tampered-wef02-photo.json", "invalid"), ("malformed/hostile-portrait-2048.json", "valid")]
    {
        let (s, _, b) = call(
            &app,
            "POST",
            "/v1/verifications?portrait=jpeg",
            Some("application/json"),
            licence_only(read(rel)).to_string(),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK);
        let v: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(v["verdict"], verdict, "{rel}");
        assert!(v["licence"]["photo"].get("jpeg").is_none(), "{rel}");
    }
}

/// Finding 8: headers on every response; the page runs under a CSP without inline code.
#[tokio::test]
async fn security_headers_on_every_response() {
    let app = app(state(vec![]));
    let body = without_freshness(persona("p01-standard")).to_string();
    for (method, path, ct, body) in [
        ("POST", "/v1/verifications", Some("application/json"), body),
        ("POST", "/v1/verifications", Some("application/json"), "{".to_string()),
        ("GET", "/", None, String::new()),
        ("GET", "/v1/keys", None, String::new()),
        ("GET", "/nope", None, String::new()),
    ] {
        let (_, h, _) = call(&app, method, path, ct, body, None).await;
        assert_eq!(h[header::CACHE_CONTROL], "no-store", "{path}");
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert_eq!(h[header::REFERRER_POLICY], "no-referrer", "{path}");
    }
    let (_, h, _) = call(&app, "GET", "/", None, vec![], None).await;
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

/// Finding 10: callers without a key are rate-limited too.
#[tokio::test]
async fn anonymous_callers_have_a_bucket() {
    let st = AppState { keys: Arc::new(Keys::new(vec![], true).with_anonymous_rate(2)), ..state(vec![]) };
    let app = app(st);
    let body = without_freshness(persona("p01-standard")).to_string();
    for _ in 0..2 {
        let (s, _, _) = call(&app, "POST", "/v1/verifications", Some("application/json"), body.clone(), None).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, h, _) = call(&app, "POST", "/v1/verifications", Some("application/json"), body, None).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(h[header::RETRY_AFTER], "30");
}

/// The remote age check on the kenkaku age record: no licence, no card-surface data, no
/// 個人番号; the service's own challenge answered by the card key inside the record.
#[tokio::test]
async fn age_checks_on_the_kenkaku_age_record() {
    let app = app(default_state(vec![]));
    let (_, _, jwks) = call(&app, "GET", "/v1/keys", None, vec![], None).await;
    let jwks: Value = serde_json::from_slice(&jwks).unwrap();
    for (id, over, result) in [("p12-under-18", 16, true), ("p12-under-18", 18, false), ("p01-standard", 20, true)] {
        let sub = kenkaku_age_check(&app, id, id).await;
        let challenge = sub["freshness"]["challenge"].clone();
        let (s, v) = post_json(&app, "/v1/age-checks", &json!({"submission": sub, "over": over})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!((v["verdict"].clone(), v["result"].clone()), (json!("valid"), json!(result)), "{id} {over}: {v}");
        assert_eq!(v["basis"], "kenkaku");
        assert_eq!(v["limits"], json!(["test_anchors"]));
        assert_eq!(v["challenge"], challenge);
        verify_receipt(&jwks, &v);
        let text = v.to_string();
        assert!(!text.contains("birth") && !text.contains("2009") && !text.contains("name"), "{text}");
        // The same answer again is a replay.
        let (_, again) = post_json(&app, "/v1/age-checks", &json!({"submission": sub, "over": over})).await;
        assert_eq!((again["verdict"].clone(), again["result"].clone()), (json!("invalid"), json!(null)));
    }
    // Answered by another card: not this age record's card.
    let sub = kenkaku_age_check(&app, "p12-under-18", "p01-standard").await;
    let (_, v) = post_json(&app, "/v1/age-checks", &json!({"submission": sub, "over": 16})).await;
    assert_eq!((v["verdict"].clone(), v["result"].clone()), (json!("invalid"), json!(null)));
    // Without an answer to this service's challenge the age record proves nothing here.
    let mut sub = kenkaku_age_check(&app, "p12-under-18", "p12-under-18").await;
    sub.as_object_mut().unwrap().remove("freshness");
    let (s, v) = post_json(&app, "/v1/age-checks", &json!({"submission": sub, "over": 16})).await;
    assert_eq!(
        (s, v["type"].clone()),
        (StatusCode::BAD_REQUEST, json!("https://menkyo.dev/problems/challenge-required"))
    );
    // A challenge the service never issued.
    let mut sub = kenkaku_age_check(&app, "p12-under-18", "p12-under-18").await;
    let vectors_own: Value = serde_json::from_slice(
        &std::fs::read(vectors().join("personas/p12-under-18/age-check-submission.json")).unwrap(),
    )
    .unwrap();
    sub["freshness"] = vectors_own["freshness"].clone();
    let (_, v) = post_json(&app, "/v1/age-checks", &json!({"submission": sub, "over": 16})).await;
    assert_eq!((v["verdict"].clone(), v["result"].clone()), (json!("invalid"), json!(null)));
}

/// The conventional IC licence through the service: verification with portrait, age check on
/// its signed birth date, batch; no card-surface data needed, so a default service takes it.
#[tokio::test]
async fn conventional_ic_licences_are_verified() {
    let app = app(default_state(vec![]));
    let ic = |id: &str| -> Value {
        serde_json::from_slice(&std::fs::read(vectors().join("ic-personas").join(id).join("submission.json")).unwrap())
            .unwrap()
    };
    let (s, _, b) = call(
        &app,
        "POST",
        "/v1/verifications?portrait=jpeg",
        Some("application/json"),
        ic("ic04-changes-on-back").to_string(),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let v: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(v["verdict"], "valid", "{v}");
    assert_eq!(v["licence"]["card"], "ic_licence");
    assert_eq!(v["limits"], json!(["test_anchors", "not_fresh", "no_card_key_binding", "changes_not_signed"]));
    assert!(v["licence"]["photo"]["jpeg"].is_string());
    assert!(v["licence"]["changes"].as_array().unwrap().iter().all(|c| c["signed"] == false));
    assert!(v["holder"]["kana"].is_string() && v["licence"].get("honseki").is_none());
    let (_, a) = post_json(&app, "/v1/age-checks", &json!({"submission": ic("ic02-spec-008"), "over": 18})).await;
    assert_eq!((a["result"].clone(), a["basis"].clone()), (json!(true), json!("ic_licence")));
    assert_eq!(a["limits"], json!(["test_anchors", "not_fresh", "no_card_key_binding"]));
    let (_, a) = post_json(&app, "/v1/age-checks", &json!({"submission": ic("ic10-expired"), "over": 18})).await;
    assert_eq!((a["verdict"].clone(), a["result"].clone()), (json!("invalid"), json!(null)));
    let lines =
        batch_lines(&app, Body::from(format!("{}\n{}\n", ic("ic06-pin2-unknown"), ic("ic10-expired"))), None).await;
    assert_eq!(lines[0]["verdict"], "incomplete");
    assert_eq!(lines[1]["verdict"], "invalid");
}

/// The age check reads its `submission` member from the parsed body: what is wrong inside it
/// is the same typed problem as in a verification's body, and a key named twice in it is
/// refused with the whole body.
#[tokio::test]
async fn age_checks_refuse_a_broken_inner_submission_with_its_problem() {
    let app = app(state(vec![]));
    let mut bad_b64 = persona("p01-standard");
    bad_b64["licence"]["wef02"] = json!("not base64!");
    let cases = [
        (json!({"submission": 5, "over": 18}).to_string(), "bad-submission"),
        (json!({"submission": {"format": "menkyo-submission/0"}, "over": 18}).to_string(), "unknown-format"),
        (json!({"submission": bad_b64, "over": 18}).to_string(), "bad-base64"),
        (r#"{"submission": {"format": "a", "format": "b"}, "over": 18}"#.to_string(), "bad-request"),
    ];
    for (body, slug) in cases {
        let (s, _, b) = call(&app, "POST", "/v1/age-checks", Some("application/json"), body.into_bytes(), None).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{slug}");
        let p: Value = serde_json::from_slice(&b).unwrap();
        assert_eq!(p["type"], format!("https://menkyo.dev/problems/{slug}"));
    }
}
