//! The OpenAPI 3.1 description, built from the same constants the routes use.

use serde_json::{Value, json};

use crate::routes::REQUEST_TIMEOUT;
use crate::{BODY_MAX, CHALLENGE_TTL_SECS};

fn problem_responses() -> Value {
    let p = |d: &str| json!({"description": d, "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}});
    json!({
        "400": p("malformed JSON or base64, unknown format; `…/individual-number` for card-surface (kenhojo) data when the operator does not accept the 個人番号 hash"),
        "401": p("missing or unknown API key"),
        "408": p(&format!("not answered within {} s (a stalled body, say)", REQUEST_TIMEOUT.as_secs())),
        "413": p(&format!("body over {BODY_MAX} bytes")),
        "415": p("wrong content type"),
        "429": p("rate limited (retry-after)"),
    })
}

fn post_json(summary: &str, request: Value, response: Value) -> Value {
    let mut responses = problem_responses();
    responses["200"] = json!({"description": "result", "content": {"application/json": {"schema": response}}});
    json!({"post": {
        "summary": summary,
        "security": [{"bearer": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": request}}},
        "responses": responses,
    }})
}

/// The document served at `/openapi.json`.
pub(crate) fn document() -> Value {
    let submission = json!({"$ref": "#/components/schemas/Submission"});
    let report = json!({"$ref": "#/components/schemas/Report"});
    json!({
        "openapi": "3.1.0",
        "info": {"title": "menkyo verification API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Verifies マイナ免許証 submissions (menkyo-submission/1) and answers menkyo-report/1."},
        "paths": {
            "/v1/verifications": post_json("Verify a submission", submission.clone(), report.clone()),
            "/v1/age-checks": post_json(
                "Is the holder at least `over` years old? No personal data in the answer.",
                json!({"type": "object", "required": ["submission", "over"], "properties": {"submission": submission, "over": {"type": "integer", "minimum": 0, "maximum": 150}}}),
                json!({"type": "object", "required": ["verdict", "over", "result", "basis", "limits", "receipt", "receipt_id", "issued_at", "submission_sha256"], "properties": {
                    "verdict": {"enum": ["valid", "invalid", "incomplete"]}, "over": {"type": "integer"}, "result": {"type": "boolean"},
                    "basis": {"enum": ["kenkaku", "ic_licence", "kenhojo", null], "description": "where the signed birth date came from"},
                    "limits": {"$ref": "#/components/schemas/Limits"},
                    "receipt_id": {"type": "string"}, "issued_at": {"type": "string", "format": "date-time"},
                    "submission_sha256": {"type": "string", "description": "base64url SHA-256 of the request body as received"},
                    "challenge": {"type": "string", "description": "the answered challenge, when one was given"},
                    "receipt": {"type": "string"}}}),
            ),
            "/v1/challenges": {"post": {"summary": format!("A single-use nonce for freshness, valid {CHALLENGE_TTL_SECS} s"), "security": [{"bearer": []}],
                "responses": {"200": {"description": "nonce", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "challenge": {"type": "string", "contentEncoding": "base64"}, "expires_at": {"type": "string", "format": "date-time"}}}}}}}}},
            "/v1/batch": {"post": {"summary": "NDJSON submissions in, NDJSON reports out (same order; a problem object for an unreadable line). Each line spends one request of the key's rate limit; the batch waits for it.",
                "security": [{"bearer": []}],
                "requestBody": {"required": true, "content": {"application/x-ndjson": {"schema": submission}}},
                "responses": {"200": {"description": "one line per input line", "content": {"application/x-ndjson": {"schema": report}}}}}},
            "/v1/keys": {"get": {"summary": "JWK set of the receipt-signing keys (ES256)", "responses": {"200": {"description": "JWK set"}}}},
            "/healthz": {"get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}},
            "/readyz": {"get": {"summary": "Readiness (database reachable)", "responses": {"200": {"description": "ready"}, "503": {"description": "not ready"}}}},
            "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text exposition format"}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Problem": {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
                    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"}, "detail": {"type": "string"}}},
                "Submission": {"type": "object", "required": ["format", "licence"], "properties": {
                    "format": {"const": menkyo_core::SUBMISSION_FORMAT},
                    "captured_at": {"type": "string", "format": "date-time"},
                    "licence": {"type": "object", "required": ["wef02", "wef03"], "properties": {
                        "wef01": {"type": "string", "contentEncoding": "base64"}, "wef02": {"type": "string", "contentEncoding": "base64"}, "wef03": {"type": "string", "contentEncoding": "base64"}}},
                    "kenhojo": {"type": "object", "required": ["ef0002", "ef0003", "ef0004"], "properties": {
                        "ef0002": {"type": "string"}, "ef0003": {"type": "string"}, "ef0004": {"type": "string"}, "ef0007": {"type": "string"}}},
                    "freshness": {"type": "object", "required": ["challenge", "signature"], "properties": {
                        "challenge": {"type": "string"}, "signature": {"type": "string"}}}}},
                "Limits": {"type": "array", "description": "what the verdict does not prove (interfaces.md §3)", "items": {"enum": menkyo_core::Limit::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>()}},
                "Report": {"type": "object", "required": ["format", "verdict", "checked_at", "source", "limits", "checks", "receipt", "receipt_id", "issued_at", "submission_sha256"], "properties": {
                    "format": {"const": menkyo_core::REPORT_FORMAT},
                    "verdict": {"enum": ["valid", "invalid", "incomplete"]},
                    "checked_at": {"type": "string", "format": "date-time"},
                    "source": {"enum": ["submission", "local_read"]},
                    "limits": {"$ref": "#/components/schemas/Limits"},
                    "receipt_id": {"type": "string"}, "issued_at": {"type": "string", "format": "date-time"},
                    "submission_sha256": {"type": "string", "description": "base64url SHA-256 of the request body (batch: the line) as received"},
                    "challenge": {"type": "string"},
                    "checks": {"type": "array", "items": {"type": "object", "required": ["name", "status", "detail"], "properties": {
                        "name": {"enum": menkyo_core::CheckId::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>()}, "status": {"enum": ["valid", "invalid", "unchecked"]}, "detail": {"type": "string"}}}},
                    "licence": {"type": "object"}, "holder": {"type": "object"},
                    "receipt": {"type": "string", "description": "compact JWS (ES256) over the report without `receipt`"}}},
            },
        },
    })
}
