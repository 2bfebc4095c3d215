//! The same store conformance and service behaviour against a real PostgreSQL, over TLS.
//! Needs MENKYO_TEST_POSTGRES_URL (`sslmode=require&sslrootcert=…` of a server that refuses
//! plain text); `scripts/postgres-test.sh` starts one and runs this with --ignored.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use menkyo_verify_api::{Store, conformance};

fn url() -> String {
    std::env::var("MENKYO_TEST_POSTGRES_URL").expect("MENKYO_TEST_POSTGRES_URL (scripts/postgres-test.sh sets it)")
}

#[test]
#[ignore = "needs a PostgreSQL server: scripts/test.sh runs it"]
fn postgres_conforms_and_migrations_are_idempotent() {
    let tag = format!("pg-{}", std::process::id());
    let store = Store::open(&url()).unwrap();
    assert_eq!(conformance(&store, &tag), Ok(()));
    // A second instance on the same database: migrations run once, challenges are shared.
    let other = Store::open(&url()).unwrap();
    let nonce = format!("shared-{tag}");
    store.add_challenge(&nonce, 100).unwrap();
    assert!(other.use_challenge(&nonce, 10).unwrap());
    assert!(!store.use_challenge(&nonce, 10).unwrap());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a PostgreSQL server: scripts/test.sh runs it"]
async fn the_service_audits_into_postgres() {
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use std::sync::Arc;
    use tower::ServiceExt;

    let store = tokio::task::spawn_blocking(|| Store::open(&url()).unwrap()).await.unwrap();
    let vectors = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors");
    let state = menkyo_verify_api::AppState {
        trust: Arc::new(menkyo_core::TrustStore::load_dir(&vectors.join("trust")).unwrap()),
        store: store.clone(),
        signer: Arc::new(menkyo_verify_api::ReceiptSigner::generate().unwrap()),
        keys: Arc::new(menkyo_verify_api::Keys::new(vec![], true)),
        metrics: Arc::new(menkyo_verify_api::Metrics::default()),
        accept_kenhojo: true,
        clock: || menkyo_core::UnixTime::start_of_jst_day("2026-11-23".parse().unwrap()),
    };
    let mut sub: serde_json::Value =
        serde_json::from_slice(&std::fs::read(vectors.join("personas/p01-standard/submission.json")).unwrap()).unwrap();
    sub.as_object_mut().unwrap().remove("freshness");
    let body = sub.to_string();
    let hash: String = sha2::Digest::finalize(<sha2::Sha256 as sha2::Digest>::new_with_prefix(body.as_bytes()))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let req = Request::post("/v1/verifications")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .unwrap();
    let res = menkyo_verify_api::app(state).oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    // Other tests share the database: find this submission's row by its digest.
    let rows = tokio::task::spawn_blocking(move || store.audit_rows().unwrap()).await.unwrap();
    let mine: Vec<_> = rows.iter().filter(|r| r.submission_sha256 == hash).collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].verdict, "valid");
    assert_eq!(mine[0].key_id, "anonymous");
}

/// `url()` with `key=value` query parameters set (replaced when present).
fn url_with(set: &[(&str, Option<&str>)]) -> String {
    let url = url();
    let (base, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut pairs: Vec<String> = query
        .split('&')
        .filter(|p| !set.iter().any(|(k, _)| p.starts_with(&format!("{k}="))))
        .map(String::from)
        .collect();
    pairs.extend(set.iter().filter_map(|(k, v)| v.map(|v| format!("{k}={v}"))));
    format!("{base}?{}", pairs.join("&"))
}

#[test]
#[ignore = "needs a PostgreSQL server: scripts/test.sh runs it"]
fn tls_is_verified_and_plain_text_is_not_used() {
    // Without the test CA, the system roots do not know the server's certificate.
    let e = Store::open(&url_with(&[("sslrootcert", None)])).unwrap_err().to_string();
    assert!(e.contains("certificate"), "{e}");
    // verify-full is accepted (and is what `require` does here anyway).
    assert_eq!(
        conformance(&Store::open(&url_with(&[("sslmode", Some("verify-full"))])).unwrap(), "verify-full"),
        Ok(())
    );
    // The server refuses plain text, so the passing tests above ran over TLS.
    let e = Store::open(&url_with(&[("sslmode", Some("disable"))])).unwrap_err().to_string();
    assert!(e.contains("28000") && e.contains("no encryption"), "{e}");
}

#[test]
#[ignore = "needs a PostgreSQL server: scripts/test.sh runs it"]
fn lost_connections_are_reopened() {
    let app = format!("menkyo-reconnect-{}", std::process::id());
    let store = Store::open(&url_with(&[("application_name", Some(&app))])).unwrap();
    for _ in 0..menkyo_verify_api::DATABASE_CONNECTIONS {
        store.ping().unwrap();
    }
    // The server ends every session of this store (as on a restart or failover).
    let sql = format!("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '{app}'");
    let out = std::process::Command::new("psql").args(["-Atc", &sql, &url()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), menkyo_verify_api::DATABASE_CONNECTIONS.to_string());
    // Every operation goes on, on new connections, without an error.
    assert_eq!(conformance(&store, &app), Ok(()));
    for _ in 0..2 * menkyo_verify_api::DATABASE_CONNECTIONS {
        store.ping().unwrap();
    }
}
