//! One closed error type for the service, answered as RFC 9457 problem details.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use menkyo_core::SubmissionError;

/// Every way a request can fail. 5xx bodies say "internal error"; the cause goes to the log.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the body is not valid JSON")]
    MalformedJson,
    #[error("{0}")]
    Submission(#[from] SubmissionError),
    #[error("{0}")]
    BadRequest(&'static str),
    #[error(
        "this service does not accept card-surface (kenhojo) data: its EF 0003 carries the 個人番号 in hashed form; \
         use the licence data alone, or the kenkaku age record for age checks"
    )]
    IndividualNumber,
    #[error(
        "an age check on the kenkaku age record needs a challenge from POST /v1/challenges, signed by the card \
         (freshness.challenge and freshness.kenkaku_signature)"
    )]
    ChallengeRequired,
    #[error("content-type must be {0}")]
    UnsupportedMediaType(&'static str),
    #[error("the body exceeds {0} bytes")]
    PayloadTooLarge(usize),
    #[error("a valid API key is required (authorization: Bearer <key>)")]
    Unauthorized,
    #[error("rate limit exceeded")]
    RateLimited { retry_after_secs: u64 },
    #[error("no such endpoint")]
    NotFound,
    #[error("method not allowed on this endpoint")]
    MethodNotAllowed,
    #[error("the request took longer than {0} seconds")]
    Timeout(u64),
    /// The audit log cannot take the request's row now (the database has stalled): refused
    /// rather than answered unaudited.
    #[error("the audit log is not keeping up; try again shortly")]
    Unavailable,
    /// `/readyz`: the database did not answer (in time) through the audit writer. The cause
    /// (which may name the database's host, user or certificate) is never in the body: any
    /// caller may ask, without a key.
    #[error("not ready: the database does not answer through the audit log")]
    NotReady,
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson
            | ApiError::Submission(_)
            | ApiError::BadRequest(_)
            | ApiError::IndividualNumber
            | ApiError::ChallengeRequired => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::Unavailable | ApiError::NotReady => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn slug(&self) -> &'static str {
        match self {
            ApiError::MalformedJson => "malformed-json",
            ApiError::Submission(e) => match e {
                SubmissionError::UnknownFormat => "unknown-format",
                SubmissionError::Base64(_) => "bad-base64",
                SubmissionError::TooLarge { .. } | SubmissionError::FieldTooLarge { .. } => "too-large",
                SubmissionError::Json { .. } => "malformed-json",
                _ => "bad-submission",
            },
            ApiError::BadRequest(_) => "bad-request",
            ApiError::IndividualNumber => "individual-number",
            ApiError::ChallengeRequired => "challenge-required",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::PayloadTooLarge(_) => "too-large",
            ApiError::Unauthorized => "unauthorized",
            ApiError::RateLimited { .. } => "rate-limited",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed => "method-not-allowed",
            ApiError::Timeout(_) => "timeout",
            ApiError::Unavailable => "unavailable",
            ApiError::NotReady => "not-ready",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The problem document as JSON (also used for NDJSON batch lines).
    pub fn problem(&self) -> serde_json::Value {
        let status = self.status();
        serde_json::json!({
            "type": format!("https://menkyo.dev/problems/{}", self.slug()),
            "title": status.canonical_reason().unwrap_or("error"),
            "status": status.as_u16(),
            "detail": self.to_string(),
        })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            // Causes never contain card data: callers pass fixed texts or I/O errors.
            eprintln!("menkyo-verify-api: internal error: {cause}");
        }
        let mut res = (self.status(), self.problem().to_string()).into_response();
        res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let ApiError::RateLimited { retry_after_secs } = self
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if let ApiError::Unavailable = self {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        res
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full audit queue is a 503 the client may retry (with `retry-after`), not a 500.
    #[test]
    fn an_audit_log_that_cannot_keep_up_is_a_retryable_503() {
        let res = ApiError::Unavailable.into_response();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(res.headers().get(header::RETRY_AFTER).map(HeaderValue::as_bytes), Some(&b"1"[..]));
        let p = ApiError::Unavailable.problem();
        assert_eq!(p["type"], "https://menkyo.dev/problems/unavailable");
        assert_eq!(p["status"], 503);
        // Not ready (unauthenticated /readyz callers): a 503 whose problem says so, not an
        // internal error (which is logged: callers could fill the log).
        let p = ApiError::NotReady.problem();
        assert_eq!(
            (p["status"].as_u64(), p["type"].as_str()),
            (Some(503), Some("https://menkyo.dev/problems/not-ready"))
        );
        assert_eq!(p["detail"], "not ready: the database does not answer through the audit log");
        let res = ApiError::Internal("x".into()).into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(res.headers().get(header::RETRY_AFTER).is_none());
    }
}
