//! The menkyo verification service: the HTTP front of `menkyo-core` for backends,
//! identity-proofing vendors and age checks (interfaces.md §5); the pages that show a result;
//! the counter's record file. The `menkyo` command line is a binary of this crate.
#![forbid(unsafe_code)]

mod auth;
pub mod counter;
mod metrics;
mod openapi;
pub mod page;
mod pg;
mod problem;
mod receipt;
pub mod record;
mod routes;
mod store;

use std::sync::Arc;

pub use auth::{ANONYMOUS, ApiKey, DEFAULT_RATE_PER_MINUTE, Keys};
pub use metrics::Metrics;
pub use problem::ApiError;
pub use receipt::{KeyFileError, ReceiptError, ReceiptSigner, verify_receipt};
pub use routes::{app, security_headers};
pub use store::{AuditRow, Store, StoreError, conformance};

use menkyo_core::{TrustStore, UnixTime};

/// Largest request body. [P] A submission is under 64 KiB; batches stream line by line.
pub const BODY_MAX: usize = 64 * 1024;
/// How long an issued challenge stays usable. [P]
pub const CHALLENGE_TTL_SECS: i64 = 300;
/// Bytes of randomness in a challenge.
pub const CHALLENGE_BYTES: usize = 32;
/// PostgreSQL connections of one instance (opened on first use, reopened when lost). [P]
pub const DATABASE_CONNECTIONS: usize = 4;
/// Most lines in one batch request. [P]
pub const BATCH_LINES_MAX: usize = 100_000;

/// Shared state of the service.
#[derive(Debug, Clone)]
pub struct AppState {
    pub trust: Arc<TrustStore>,
    pub store: Store,
    pub signer: Arc<ReceiptSigner>,
    pub keys: Arc<Keys>,
    pub metrics: Arc<Metrics>,
    /// The operator may handle the 個人番号 (`accept_kenhojo = true`): only then are
    /// submissions with card-surface data (EF 0003 holds its hash) accepted.
    pub accept_kenhojo: bool,
    /// The clock: [`UnixTime::now`] in production, fixed in tests.
    pub clock: fn() -> UnixTime,
}
