//! The counter's HTTP guard, in process: only this computer's page (Host, Origin, the start's
//! token) may call; credentials are taken from a JSON body only; the page runs under a CSP.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use menkyo_core::TrustStore;
use menkyo_verify_api::counter::{CounterOptions, counter_app};
use tower::ServiceExt;

fn app() -> axum::Router {
    let opts = CounterOptions {
        reader: Some("no such reader in this test".into()),
        trust: TrustStore::empty(),
        records: std::env::temp_dir().join("menkyo-counter-test-records"),
    };
    counter_app(opts, "127.0.0.1:8765".parse().unwrap()).unwrap()
}

async fn call(app: &axum::Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn get(path: &str, host: &str) -> axum::http::request::Builder {
    Request::get(path).header(header::HOST, host)
}

#[tokio::test]
async fn only_this_page_may_call() {
    let app = app();
    let (s, h, page) = call(&app, get("/", "127.0.0.1:8765").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    let csp = h[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert!(!page.contains("<script>"), "no inline script");
    let token = page.split("name=\"menkyo-token\" content=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    assert_eq!(token.len(), 32);

    // Another Host (DNS rebinding), another Origin, no token or a wrong one: refused.
    for req in [
        get("/", "evil.example:8765").body(Body::empty()).unwrap(),
        get("/api/status", "127.0.0.1:8765").body(Body::empty()).unwrap(),
        get("/api/status", "127.0.0.1:8765").header("x-menkyo-token", "0".repeat(32)).body(Body::empty()).unwrap(),
        get("/api/status", "127.0.0.1:8765")
            .header("x-menkyo-token", &token)
            .header(header::ORIGIN, "http://evil.example")
            .body(Body::empty())
            .unwrap(),
        Request::post("/api/read")
            .header(header::HOST, "127.0.0.1:8765")
            .header(header::ORIGIN, "http://127.0.0.1:9999")
            .header("x-menkyo-token", &token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"licence_pin":"1234"}"#))
            .unwrap(),
    ] {
        let (s, _, _) = call(&app, req).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    // The page itself: status as JSON.
    let (s, _, body) = call(
        &app,
        get("/api/status", "localhost:8765")
            .header("x-menkyo-token", &token)
            .header(header::ORIGIN, "http://localhost:8765")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let st: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(st["busy"], false);
    // Credentials only as a JSON body of known fields; nothing else is taken.
    let post = |body: &str, ct: &str| {
        Request::post("/api/read")
            .header(header::HOST, "127.0.0.1:8765")
            .header("x-menkyo-token", &token)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let (s, _, _) = call(&app, post("licence_pin=1234", "application/x-www-form-urlencoded")).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (s, _, _) = call(&app, post(r#"{"pin":"1234"}"#, "application/json")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _, _) = call(&app, post(&"x".repeat(5000), "application/json")).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    // Nothing to save before a read.
    let (s, _, _) = call(
        &app,
        Request::post("/api/save")
            .header(header::HOST, "127.0.0.1:8765")
            .header("x-menkyo-token", &token)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

#[test]
fn the_counter_app_refuses_a_public_address() {
    let opts = CounterOptions { reader: None, trust: TrustStore::empty(), records: std::env::temp_dir() };
    assert!(counter_app(opts, "0.0.0.0:8765".parse().unwrap()).is_err());
}
