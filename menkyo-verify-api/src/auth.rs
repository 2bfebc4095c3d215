//! API keys (only SHA-256 hashes are configured) and per-key rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

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
    /// Callers without a key (loopback only, no keys configured): one shared bucket at the
    /// default rate, so no caller goes unlimited.
    anonymous: Option<ApiKey>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Keys {
    pub fn new(keys: Vec<ApiKey>, allow_anonymous: bool) -> Self {
        let anonymous = (allow_anonymous && keys.is_empty()).then(|| ApiKey {
            id: ANONYMOUS.to_string(),
            sha256: String::new(),
            rate_per_minute: None,
        });
        Self { keys, anonymous, buckets: Mutex::new(HashMap::new()) }
    }

    /// The same, with the anonymous callers' rate set (tests, small deployments).
    #[must_use]
    pub fn with_anonymous_rate(mut self, per_minute: u32) -> Self {
        if let Some(a) = self.anonymous.as_mut() {
            a.rate_per_minute = Some(per_minute);
        }
        self
    }

    /// The id of the caller's key, after the rate limit.
    pub fn check(&self, headers: &HeaderMap) -> Result<String, ApiError> {
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let key = match (bearer, &self.anonymous) {
            (None, Some(anonymous)) => anonymous,
            (None, None) => return Err(ApiError::Unauthorized),
            (Some(secret), _) => {
                let hash = Sha256::digest(secret.as_bytes());
                self.keys.iter().find(|k| menkyo_core::hex::spells(&k.sha256, &hash)).ok_or(ApiError::Unauthorized)?
            }
        };
        match self.take(key) {
            Ok(()) => Ok(key.id.clone()),
            Err(wait) => {
                // Whole seconds until the next token; at least one.
                let secs = u64::try_from(wait.as_millis().div_ceil(1000)).unwrap_or(u64::MAX).max(1);
                Err(ApiError::RateLimited { retry_after_secs: secs })
            }
        }
    }

    /// Waits until the key `id` may make one more verification (a batch line): batches run at
    /// the key's rate instead of one request buying any number of verifications.
    pub async fn throttle(&self, id: &str) {
        let Some(key) = self.keys.iter().chain(&self.anonymous).find(|k| k.id == id) else { return };
        while let Err(wait) = self.take(key) {
            tokio::time::sleep(wait).await;
        }
    }

    /// One token from the key's bucket, or how long until there is one.
    fn take(&self, key: &ApiKey) -> Result<(), Duration> {
        let per_minute = key.rate_per_minute.unwrap_or(DEFAULT_RATE_PER_MINUTE).max(1);
        let rate = f64::from(per_minute);
        // A poisoned lock only means a panic elsewhere; the counts are still usable.
        let mut buckets = self.buckets.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let b = buckets.entry(key.id.clone()).or_insert(Bucket { tokens: rate, last: now });
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate / 60.0).min(rate);
        b.last = now;
        if b.tokens < 1.0 {
            return Err(Duration::from_secs_f64((1.0 - b.tokens) * 60.0 / rate));
        }
        b.tokens -= 1.0;
        Ok(())
    }
}
