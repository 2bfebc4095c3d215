//! `menkyo-verify-api`: the HTTP verification service.
#![forbid(unsafe_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use menkyo_core::{TrustStore, UnixTime};
use menkyo_verify_api::{ApiKey, AppState, Keys, Metrics, ReceiptSigner, Store, app};

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The menkyo verification service.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Address to listen on [env MENKYO_LISTEN; default 127.0.0.1:8080].
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// TOML configuration file (listen, trust_dir, database, receipt_key,
    /// previous_receipt_keys, [[api_keys]]).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Trust-store directory [env MENKYO_TRUST_DIR; default: built-in anchors].
    #[arg(long, value_name = "DIR")]
    trust: Option<PathBuf>,
    /// SQLite database file for the audit log and challenges [env MENKYO_DATABASE;
    /// default menkyo-audit.sqlite].
    #[arg(long, value_name = "URL")]
    database: Option<String>,
    /// Receipt-signing key file, created on first start [env MENKYO_RECEIPT_KEY;
    /// default menkyo-receipt-key.hex].
    #[arg(long, value_name = "FILE")]
    receipt_key: Option<PathBuf>,
    /// TEST ONLY: trust the test vectors' anchors. Loopback only; receipts are signed with a
    /// key of their own (default menkyo-demo-receipt-key.hex); every report carries the
    /// `test_anchors` limit.
    #[arg(long)]
    demo: bool,
    /// Accept submissions with card-surface (kenhojo) data, whose EF 0003 carries the
    /// 個人番号 hashed: only for operators that may handle the 個人番号 [config accept_kenhojo].
    #[arg(long)]
    accept_kenhojo: bool,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    listen: Option<SocketAddr>,
    trust_dir: Option<PathBuf>,
    database: Option<String>,
    receipt_key: Option<PathBuf>,
    /// Retired receipt keys: not used to sign, still published at /v1/keys.
    #[serde(default)]
    previous_receipt_keys: Vec<PathBuf>,
    #[serde(default)]
    api_keys: Vec<ApiKey>,
    /// Accept card-surface (kenhojo) data, and with it the 個人番号 hash (interfaces.md §5).
    #[serde(default)]
    accept_kenhojo: bool,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("menkyo-verify-api: {msg}");
    ExitCode::from(1)
}

fn demo_trust_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testvectors/vectors/trust")
}

fn main() -> ExitCode {
    // Verifications, audit writes and challenge updates run on the blocking pool: as many
    // threads as cores. Tokio's default (512) lets concurrent requests start hundreds of
    // threads that only contend for the same cores and the audit database's lock; measured
    // with scripts/load-test.sh, fewer threads answer more requests with a lower p99. [P]
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    match tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(cores).build() {
        Ok(rt) => rt.block_on(run()),
        Err(e) => fail(format!("runtime: {e}")),
    }
}

async fn run() -> ExitCode {
    let args = Args::parse();
    let config: Config = match &args.config {
        None => Config::default(),
        Some(p) => match std::fs::read_to_string(p)
            .map_err(|e| e.to_string())
            .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(c) => c,
            Err(e) => return fail(format!("{}: {e}", p.display())),
        },
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let listen = args
        .listen
        .or_else(|| env("MENKYO_LISTEN").and_then(|v| v.parse().ok()))
        .or(config.listen)
        .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080)));
    let trust_dir = args.trust.or_else(|| env("MENKYO_TRUST_DIR").map(PathBuf::from)).or(config.trust_dir);
    let database = args
        .database
        .or_else(|| env("MENKYO_DATABASE"))
        .or(config.database)
        .unwrap_or_else(|| "menkyo-audit.sqlite".into());
    // A demo signs with a key of its own: its receipts must never pass as production ones.
    let configured_receipt_key =
        args.receipt_key.or_else(|| env("MENKYO_RECEIPT_KEY").map(PathBuf::from)).or(config.receipt_key);
    if args.demo && configured_receipt_key.is_some() {
        return fail(
            "--demo signs receipts with its own key (menkyo-demo-receipt-key.hex): do not configure a receipt key with it",
        );
    }
    let receipt_key = configured_receipt_key.unwrap_or_else(|| {
        PathBuf::from(if args.demo { "menkyo-demo-receipt-key.hex" } else { "menkyo-receipt-key.hex" })
    });
    if args.demo && !listen.ip().is_loopback() {
        return fail(format!(
            "--demo trusts the TEST ONLY anchors, whose private keys are public: it serves on loopback only, not {listen}"
        ));
    }
    if args.demo && trust_dir.is_some() {
        return fail("--demo uses the test vectors' anchors: do not give a trust directory with it");
    }

    let trust = match (&trust_dir, args.demo) {
        (Some(dir), _) => TrustStore::load_dir(dir),
        (None, true) => {
            eprintln!(
                "menkyo-verify-api: *** DEMO MODE: trusting the TEST ONLY anchors of the test vectors. Never in production. ***"
            );
            TrustStore::load_dir(&demo_trust_dir()).map(|mut t| {
                t.mark_test_only();
                t
            })
        }
        (None, false) => Ok(TrustStore::builtin()),
    };
    let trust = match trust {
        Ok(t) => t,
        Err(e) => return fail(format!("trust store: {e}")),
    };
    // The PostgreSQL client blocks: open (and later use) it off the async executor.
    let db = database.clone();
    let store = match tokio::task::spawn_blocking(move || Store::open(&db)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return fail(e),
        Err(e) => return fail(e),
    };
    let signer = match ReceiptSigner::load_or_create(&receipt_key) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let retired: Result<Vec<_>, _> = config.previous_receipt_keys.iter().map(|p| ReceiptSigner::load(p)).collect();
    let signer = match retired {
        Ok(retired) => signer.with_previous(&retired),
        Err(e) => return fail(format!("previous_receipt_keys: {e}")),
    };
    if config.api_keys.is_empty() && !listen.ip().is_loopback() {
        return fail(format!(
            "refusing to listen on {listen} without API keys: configure [[api_keys]] or listen on loopback"
        ));
    }
    let (licence, kenhojo, kenkaku) = trust.counts();
    eprintln!(
        "menkyo-verify-api: {licence} licence anchor(s), {kenhojo} kenhojo and {kenkaku} kenkaku CA key(s); receipts kid {}",
        signer.kid()
    );
    let accept_kenhojo =
        args.accept_kenhojo || env("MENKYO_ACCEPT_KENHOJO").is_some_and(|v| v == "true") || config.accept_kenhojo;
    if accept_kenhojo {
        eprintln!(
            "menkyo-verify-api: accepting card-surface (kenhojo) data: this service handles the 個人番号 (hashed)"
        );
    }
    let allow_anonymous = config.api_keys.is_empty();
    let state = AppState {
        trust: Arc::new(trust),
        store,
        signer: Arc::new(signer),
        keys: Arc::new(Keys::new(config.api_keys, allow_anonymous)),
        metrics: Arc::new(Metrics::default()),
        accept_kenhojo,
        clock: UnixTime::now,
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {listen}: {e}")),
    };
    // The bound address: with port 0 the system picks one.
    let bound = listener.local_addr().unwrap_or(listen);
    eprintln!("menkyo-verify-api: listening on http://{bound}");
    match axum::serve(listener, app(state)).with_graceful_shutdown(shutdown()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    eprintln!("menkyo-verify-api: shutting down");
}
