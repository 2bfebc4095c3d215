//! `menkyo age-check`: the remote age check on the kenkaku age record.
//!
//! ```text
//! POST /v1/challenges          → a single-use challenge of the service
//! the card in the reader       → kenkaku EF 0001 + EF 0004 (opened with the birth date), the
//!                                challenge signed by the card key inside EF 0001
//! POST /v1/age-checks          → {"verdict", "result", "basis", "limits", …, "receipt"}
//! GET  /v1/keys                → the receipt is checked before the answer is believed
//! ```
//! No licence, no card-surface data, no 個人番号 leave the counter: only the age record, which
//! holds the birth date and the card's key. Exit codes: 0 over N, 1 not over N, 2 could not
//! decide, 3 usage, 4 card or reader.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD as B64URL};
use menkyo_core::{Date, Limit, UnixTime};
use menkyo_reader::read::read_age_record;
use menkyo_reader::session::LastTry;
use sha2::{Digest, Sha256};

use crate::exit;
use crate::read_cmd::{CARD, Failure, connect_reader, prompt, read_error, simulated_card};

/// Exit code: the holder is not over N.
const NOT_OVER: u8 = 1;
/// Exit code: no answer could be relied on (the service said invalid or incomplete, or its
/// receipt did not verify).
const UNDECIDED: u8 = 2;
/// How long one HTTP exchange may take. [P]
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub(crate) struct Args {
    pub(crate) service: String,
    pub(crate) api_key_env: Option<String>,
    pub(crate) reader: Option<String>,
    pub(crate) simulate: Option<String>,
    pub(crate) over: u16,
    pub(crate) allow_last_try: bool,
}

fn usage(msg: impl Into<String>) -> Failure {
    Failure(exit::USAGE, msg.into())
}

fn undecided(msg: impl Into<String>) -> Failure {
    Failure(UNDECIDED, msg.into())
}

/// `--service` as a URL: https anywhere, plain http only to this machine, never user info (in
/// `http://localhost:1@elsewhere/` the host is `elsewhere`: a prefix test would be fooled).
/// `Ok(true)` for https.
fn service_url_allowed(base: &str) -> Result<bool, Failure> {
    const RULE: &str = "https:// (plain http only to 127.0.0.1, localhost or [::1]), without user info";
    let uri: ureq::http::Uri = base.parse().map_err(|_| usage(format!("--service: not a URL; expected {RULE}")))?;
    let authority = uri.authority().ok_or_else(|| usage(format!("--service: no host; expected {RULE}")))?;
    if authority.as_str().contains('@') {
        return Err(usage(format!("--service: user info is not allowed; expected {RULE}")));
    }
    let loopback = matches!(authority.host(), "127.0.0.1" | "localhost" | "[::1]" | "::1");
    match uri.scheme_str() {
        Some("https") => Ok(true),
        Some("http") if loopback => Ok(false),
        _ => Err(usage(format!("--service: expected {RULE}"))),
    }
}

/// An HTTPS client on rustls with aws-lc-rs and the system's roots; plain HTTP only to this
/// machine (an age record sent in the clear would give away a birth date).
struct Service {
    base: String,
    agent: ureq::Agent,
    bearer: Option<String>,
}

impl Service {
    fn new(base: &str, bearer: Option<String>) -> Result<Self, Failure> {
        let base = base.trim_end_matches('/').to_string();
        let https = service_url_allowed(&base)?;
        let roots: Vec<ureq::tls::Certificate<'static>> = rustls_native_certs::load_native_certs()
            .certs
            .iter()
            .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
            .collect();
        let tls = ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::Rustls)
            .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
            .root_certs(ureq::tls::RootCerts::Specific(Arc::new(roots)))
            .build();
        // Plain http to this machine goes to this machine: never through a proxy named in
        // the environment (HTTPS_PROXY, ALL_PROXY…), which would see the API key and the age
        // record in clear and could answer for the service. https may cross a proxy (CONNECT,
        // end-to-end TLS). No redirects: a service that moved is a configuration error.
        let proxy = if https { ureq::Proxy::try_from_env() } else { None };
        let agent = ureq::Agent::config_builder()
            .proxy(proxy)
            .https_only(https)
            .max_redirects(0)
            .tls_config(tls)
            .timeout_global(Some(HTTP_TIMEOUT))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Ok(Self { base, agent, bearer })
    }

    /// One request; the JSON answer of a 2xx, else the problem's detail as a failure.
    fn call(&self, method: &str, path: &str, body: Option<&[u8]>) -> Result<serde_json::Value, Failure> {
        let url = format!("{}{path}", self.base);
        let unreachable = |e: ureq::Error| Failure(UNDECIDED, format!("{url}: {e}"));
        let mut res = match (method, body) {
            ("GET", _) => {
                let mut req = self.agent.get(&url);
                if let Some(b) = &self.bearer {
                    req = req.header("authorization", &format!("Bearer {b}"));
                }
                req.call().map_err(unreachable)?
            }
            (_, body) => {
                let mut req = self.agent.post(&url).header("content-type", "application/json");
                if let Some(b) = &self.bearer {
                    req = req.header("authorization", &format!("Bearer {b}"));
                }
                req.send(body.unwrap_or_default()).map_err(unreachable)?
            }
        };
        let status = res.status();
        let text = res.body_mut().with_config().limit(1 << 20).read_to_string().map_err(unreachable)?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| undecided(format!("{url}: answer is not JSON (HTTP {status})")))?;
        if !status.is_success() {
            let detail = value["detail"].as_str().unwrap_or("no detail");
            let code = if status.as_u16() == 401 || status.as_u16() == 400 { exit::USAGE } else { UNDECIDED };
            return Err(Failure(code, format!("{url}: HTTP {status}: {detail}")));
        }
        Ok(value)
    }
}

/// The birth date: MENKYO_BIRTH_DATE, the simulated persona's, or a prompt.
fn birth_date(simulated: Option<&serde_json::Value>) -> Result<Date, Failure> {
    let text = match std::env::var("MENKYO_BIRTH_DATE").ok().filter(|v| !v.is_empty()) {
        Some(v) => zeroize::Zeroizing::new(v),
        None => match simulated.and_then(|c| c["birth_date"].as_str()) {
            Some(b) => zeroize::Zeroizing::new(b.to_string()),
            None => prompt("生年月日 birth date as on the card (YYYY-MM-DD)", false)?,
        },
    };
    text.trim().parse().map_err(|e| usage(format!("birth date: {e} (expected YYYY-MM-DD)")))
}

pub(crate) fn run(args: &Args) -> Result<u8, Failure> {
    let bearer = match &args.api_key_env {
        None => None,
        Some(name) => Some(
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| usage(format!("--api-key-env: {name} is not set")))?,
        ),
    };
    let service = Service::new(&args.service, bearer)?;
    let last = if args.allow_last_try { LastTry::Allow } else { LastTry::Refuse };
    let simulated = args.simulate.as_deref().map(crate::read_cmd::persona_credentials).transpose()?;
    let birth = birth_date(simulated.as_ref())?;

    let challenge = service.call("POST", "/v1/challenges", None)?;
    let challenge_b64 =
        challenge["challenge"].as_str().ok_or_else(|| undecided("the service sent no challenge"))?.to_string();
    let nonce = STANDARD.decode(&challenge_b64).map_err(|_| undecided("the service's challenge is not base64"))?;

    let now = UnixTime::now();
    let read = match &args.simulate {
        Some(id) => read_age_record(simulated_card(id)?, birth, &nonce, last, now).map(|(s, _, _)| s),
        None => read_age_record(connect_reader(args.reader.as_deref())?, birth, &nonce, last, now).map(|(s, _, _)| s),
    };
    let submission = read.map_err(read_error)?;
    let body = serde_json::to_vec(&serde_json::json!({
        "submission": serde_json::to_value(&submission).map_err(|e| Failure(CARD, e.to_string()))?,
        "over": args.over,
    }))
    .map_err(|e| Failure(CARD, e.to_string()))?;
    let answer = service.call("POST", "/v1/age-checks", Some(&body))?;

    // The answer counts only as the receipt says it, about this body and this challenge.
    let keys = service.call("GET", "/v1/keys", None)?;
    let receipt = answer["receipt"].as_str().ok_or_else(|| undecided("the answer carries no receipt"))?;
    let payload = menkyo_verify_api::verify_receipt(&keys, receipt)
        .map_err(|e| undecided(format!("the service's receipt was not accepted: {e}")))?;
    let mut unsigned = answer.clone();
    if let Some(o) = unsigned.as_object_mut() {
        o.remove("receipt");
    }
    if payload != unsigned {
        return Err(undecided("the answer differs from what its receipt signs"));
    }
    if payload["submission_sha256"] != B64URL.encode(Sha256::digest(&body)).as_str()
        || payload["challenge"] != challenge_b64.as_str()
        || payload["over"] != args.over
    {
        return Err(undecided("the receipt is about another request"));
    }

    let verdict = payload["verdict"].as_str().unwrap_or_default();
    let result = payload["result"].as_bool();
    let limits: Vec<Limit> = payload["limits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_str().and_then(Limit::from_code))
        .collect();
    let mut text = String::new();
    let over = args.over;
    let code = match (verdict, result) {
        ("valid", Some(true)) => {
            text.push_str(&format!("年齢確認 age check: {over}歳以上です — over {over}: YES\n"));
            exit::VALID
        }
        ("valid", Some(false)) => {
            text.push_str(&format!("年齢確認 age check: {over}歳未満です — over {over}: NO\n"));
            NOT_OVER
        }
        _ => {
            text.push_str(&format!("年齢確認 age check: 判定できません — could not decide (verdict {verdict})\n"));
            UNDECIDED
        }
    };
    for l in &limits {
        let w = l.words();
        text.push_str(&format!("  - {} / {} [{}]\n", w.ja, w.en, l.as_str()));
    }
    text.push_str(&format!(
        "根拠 basis: {}; 受付番号 receipt id: {}\n",
        payload["basis"].as_str().unwrap_or("none"),
        payload["receipt_id"].as_str().unwrap_or_default()
    ));
    if std::io::stderr().is_terminal() {
        eprintln!("受領証を確認しました receipt verified with the service's key");
    }
    exit::emit(&text).map_err(usage)?;
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by attack review: a prefix test let `http://localhost:1@elsewhere` through, and
    /// the API key and the age record went to `elsewhere` in the clear.
    #[test]
    fn plain_http_only_to_this_machine_and_never_with_user_info() {
        for ok in [
            "https://verify.example.jp",
            "https://verify.example.jp/base",
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:9",
        ] {
            assert!(service_url_allowed(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://localhost:1@127.0.0.2:18099",
            "http://localhost@attacker.example",
            "https://user:pw@verify.example.jp",
            "http://localhost.attacker.example",
            "http://127.0.0.1.attacker.example",
            "http://verify.example.jp",
            "ftp://127.0.0.1",
            "localhost:8080",
            "",
        ] {
            assert!(service_url_allowed(bad).is_err(), "{bad}");
        }
    }
}
