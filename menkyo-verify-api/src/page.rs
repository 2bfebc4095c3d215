//! The pages that show a verification: one stylesheet and one report renderer (`report.js`)
//! shared by the service's own page and `menkyo counter`, with the words for checks, limits
//! and verdicts taken from `menkyo-core` (no second list of them in the browser code).
//! Scripts are files, never inline, so the pages run under a content security policy
//! without `unsafe-inline`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use menkyo_core::{CheckId, DRIVING_HISTORY_WARNING, Limit, Verdict};

/// The stylesheet of every page.
pub const STYLESHEET: &str = include_str!("page/menkyo.css");
/// Renders a report into the page (`window.menkyo.renderReport`).
pub const REPORT_JS: &str = include_str!("page/report.js");
/// The service's page: drop a submission file.
pub const SERVICE_HTML: &str = include_str!("page/service.html");
const SERVICE_JS: &str = include_str!("page/service.js");

/// The content security policy of the pages: own scripts and styles only, images from the
/// page itself or data URLs (the portrait), no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `window.MENKYO_WORDS`: the words of checks, limits and verdicts, from menkyo-core.
pub fn words_js() -> String {
    let checks: serde_json::Map<String, serde_json::Value> = CheckId::ALL
        .iter()
        .map(|c| {
            let w = c.words();
            (
                c.as_str().to_string(),
                serde_json::json!({"ja": w.ja, "en": w.en, "failed_ja": w.failed_ja, "failed_en": w.failed_en}),
            )
        })
        .collect();
    let limits: serde_json::Map<String, serde_json::Value> = Limit::ALL
        .iter()
        .map(|l| {
            let w = l.words();
            (l.as_str().to_string(), serde_json::json!({"ja": w.ja, "en": w.en}))
        })
        .collect();
    let verdicts: serde_json::Map<String, serde_json::Value> = [Verdict::Valid, Verdict::Invalid, Verdict::Incomplete]
        .iter()
        .map(|v| {
            let (ja, en) = v.words();
            (v.as_str().to_string(), serde_json::json!([ja, en]))
        })
        .collect();
    let words = serde_json::json!({
        "checks": checks,
        "limits": limits,
        "verdicts": verdicts,
        "driving_history_warning": DRIVING_HISTORY_WARNING,
    });
    format!("\"use strict\";\nwindow.MENKYO_WORDS = {words};\n")
}

fn asset(content_type: &'static str, body: impl Into<axum::body::Body>) -> Response {
    let mut res = Response::new(body.into());
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// A page: HTML with the content security policy and no framing.
pub fn html(body: impl Into<axum::body::Body>) -> Response {
    let mut res = asset("text/html; charset=utf-8", body);
    let h = res.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// The shared assets by name (`/assets/<name>`), or `None`.
pub fn shared_asset(name: &str) -> Option<Response> {
    Some(match name {
        "menkyo.css" => asset("text/css; charset=utf-8", STYLESHEET),
        "report.js" => asset("text/javascript; charset=utf-8", REPORT_JS),
        "words.js" => asset("text/javascript; charset=utf-8", words_js()),
        _ => return None,
    })
}

/// The service page's assets: the shared ones and its own script.
pub(crate) fn service_asset(name: &str) -> Response {
    match (name, shared_asset(name)) {
        (_, Some(r)) => r,
        ("service.js", None) => asset("text/javascript; charset=utf-8", SERVICE_JS),
        _ => crate::ApiError::NotFound.into_response(),
    }
}
