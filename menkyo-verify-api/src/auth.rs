//! API keys (only SHA-256 hashes are configured) and per-key rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use crate::problem::ApiError;

/// A configured key: its id (logged and audited) and the hash of the secret.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct ApiKey {
    pub id: String,
    /// Lower-case hex SHA-256 of the secret sent as `authorization: Bearer <secret>`.
    pub sha256: String,
    /// Requests per minute; default [`DEFAULT_RATE_PER_MINUTE`].
    pub rate_per_minute: Option<u32>,
}

/// Default per-key rate. [P]
pub const DEFAULT_RATE_PER_MINUTE: u32 = 6000;
/// The key id audited for requests without a key (loopback demo only).
pub const ANONYMOUS: &str = "anonymous";

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Who may call, and how often.
#[derive(Debug)]
pub struct Keys {
    keys: Vec<ApiKey>,
    allow_anonymous: bool,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Keys {
    pub fn new(keys: Vec<ApiKey>, allow_anonymous: bool) -> Self {
        Self { keys, allow_anonymous, buckets: Mutex::new(HashMap::new()) }
    }

    /// The id of the caller's key, after the rate limit.
    pub fn check(&self, headers: &HeaderMap) -> Result<String, ApiError> {
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let key = match bearer {
            None if self.allow_anonymous && self.keys.is_empty() => return Ok(ANONYMOUS.to_string()),
            None => return Err(ApiError::Unauthorized),
            Some(secret) => {
                let hash: String = Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
                self.keys.iter().find(|k| k.sha256.eq_ignore_ascii_case(&hash)).ok_or(ApiError::Unauthorized)?
            }
        };
        let rate = f64::from(key.rate_per_minute.unwrap_or(DEFAULT_RATE_PER_MINUTE).max(1));
        let mut buckets = self.buckets.lock().map_err(|_| ApiError::Internal("rate limiter lock poisoned".into()))?;
        let now = Instant::now();
        let b = buckets.entry(key.id.clone()).or_insert(Bucket { tokens: rate, last: now });
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate / 60.0).min(rate);
        b.last = now;
        if b.tokens < 1.0 {
            // Whole seconds until the next token; at least one.
            let per_token_ms = 60_000 / u64::from(key.rate_per_minute.unwrap_or(DEFAULT_RATE_PER_MINUTE).max(1));
            return Err(ApiError::RateLimited { retry_after_secs: per_token_ms.div_ceil(1000).max(1) });
        }
        b.tokens -= 1.0;
        Ok(key.id.clone())
    }
}
