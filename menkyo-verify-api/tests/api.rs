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

fn state(keys: Vec<ApiKey>) -> AppState {
    let anonymous = keys.is_empty();
    AppState {
        trust: Arc::new(TrustStore::load_dir(&vectors().join("trust")).unwrap()),
        store: Store::open(":memory:").unwrap(),
        signer: Arc::new(ReceiptSigner::generate().unwrap()),
        keys: Arc::new(Keys::new(keys, anonymous)),
        metrics: Arc::new(Metrics::default()),
        clock: now,
    }
}

fn persona(id: &str) -> Value {
    serde_json::from_slice(&std::fs::read(vectors().join("personas").join(id).join("submission.json")).unwrap())
        .unwrap()
}

fn without_freshness(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("freshness");
    v
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
    let (_, v) = post_json(&app, "/v1/verifications", &sub).await;
    assert_eq!(v["verdict"], "valid", "{v}");
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
            post_json(&app, "/v1/age-checks", &json!({"submission": without_freshness(persona(id)), "over": over}))
                .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["result"], result, "{id} over {over}: {v}");
        assert_eq!(v["verdict"], "valid");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, vec!["over", "receipt", "result", "verdict"]);
    }
    let (s, v) = post_json(&app, "/v1/age-checks", &json!({"submission": persona("p07-expired"), "over": 18})).await;
    assert_eq!((s, v["result"].clone(), v["verdict"].clone()), (StatusCode::OK, json!(false), json!("invalid")));
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
    ] {
        let (s, h, _) = call(&app, "GET", path, None, vec![], None).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(h[header::CONTENT_TYPE].to_str().unwrap().starts_with(ct), "{path}");
    }
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
