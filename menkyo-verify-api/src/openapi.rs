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
        "503": p("the audit log's database has stalled and its queue is full: no result is given (a challenge presented is used up); try again (retry-after)"),
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
                 "description": "Verifies マイナ免許証 and IC licence submissions (menkyo-submission/1) and answers menkyo-report/1.\n\n\
    Remote age check without the 個人番号: (1) `POST /v1/challenges` → `challenge`; (2) the client reads the card's 券面事項確認AP \
    (kenkaku) age record with the birth date and has the card sign the challenge (`menkyo age-check` does both); (3) `POST /v1/age-checks` \
    with `{\"submission\": {\"format\", \"kenkaku\": {\"ef0001\", \"ef0004\"}, \"freshness\": {\"challenge\", \"kenkaku_signature\"}}, \"over\": 18}` \
    → `result`, `basis: kenkaku`, `limits`, a receipt to check with `GET /v1/keys`. The answer proves that a genuine card whose record says \
    the holder is over N answered this service's challenge just now: possession of a card, not the identity of the sender."},
        "paths": {
            "/v1/verifications": post_json("Verify a submission", submission.clone(), report.clone()),
            "/v1/age-checks": post_json(
                "Is the holder at least `over` years old? No personal data in the answer. The birth date comes from the kenkaku age record (which needs a challenge of this service answered by its card key: 400 challenge-required otherwise), an IC licence's signed EF01, or kenhojo EF 0002, in this order.",
                json!({"type": "object", "required": ["submission", "over"], "properties": {"submission": submission, "over": {"type": "integer", "minimum": 0, "maximum": 150}}}),
                json!({"type": "object", "required": ["verdict", "over", "result", "basis", "limits", "receipt", "receipt_id", "issued_at", "submission_sha256"], "properties": {
                    "verdict": {"enum": ["valid", "invalid", "incomplete"]}, "over": {"type": "integer"}, "result": {"type": ["boolean", "null"], "description": "null when it could not be decided: no signed birth date, or the verdict is not valid"},
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
            "/v1/batch": {"post": {"summary": "NDJSON submissions in, NDJSON reports out (same order; a problem object for an unreadable line, or `…/unavailable` for a line the audit log could not take). Each line spends one request of the key's rate limit; the batch waits for it.",
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
                "Submission": {"type": "object", "required": ["format"], "description": "`/v1/verifications` needs `licence` or `ic_licence`", "properties": {
                    "format": {"const": menkyo_core::SUBMISSION_FORMAT},
                    "captured_at": {"type": "string", "format": "date-time"},
                    "licence": {"type": "object", "required": ["wef02", "wef03"], "properties": {
                        "wef01": {"type": "string", "contentEncoding": "base64"}, "wef02": {"type": "string", "contentEncoding": "base64"}, "wef03": {"type": "string", "contentEncoding": "base64"}}},
                    "kenhojo": {"type": "object", "required": ["ef0002", "ef0003", "ef0004"], "properties": {
                        "ef0002": {"type": "string"}, "ef0003": {"type": "string"}, "ef0004": {"type": "string"}, "ef0007": {"type": "string"}}},
                    "ic_licence": {"type": "object", "required": ["ef01", "ef07"], "description": "the conventional IC licence (instead of `licence`)", "properties": {
                        "mf_ef01": {"type": "string"}, "mf_ef02": {"type": "string"}, "ef01": {"type": "string"}, "ef02": {"type": "string"},
                        "ef03": {"type": "string"}, "ef04": {"type": "string"}, "ef05": {"type": "string"}, "ef06": {"type": "string"},
                        "ef07": {"type": "string"}, "photo": {"type": "string"}}},
                    "kenkaku": {"type": "object", "required": ["ef0001", "ef0004"], "description": "the 券面事項確認AP age record", "properties": {
                        "ef0001": {"type": "string"}, "ef0004": {"type": "string"}}},
                    "freshness": {"type": "object", "required": ["challenge"], "description": "at least one of the answers", "properties": {
                        "challenge": {"type": "string"}, "signature": {"type": "string", "description": "answer of the kenhojo card key (EF 0007)"},
                        "kenkaku_signature": {"type": "string", "description": "answer of the kenkaku card key (EF 0001 DF12)"}}}}},
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
                    "kenkaku": {"type": "object", "properties": {"birth_date": {"type": "string", "format": "date"}, "age": {"type": "integer"}}},
                    "receipt": {"type": "string", "description": "compact JWS (ES256) over the report without `receipt`"}}},
            },
        },
    })
}
