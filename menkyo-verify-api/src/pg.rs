//! PostgreSQL connections: TLS with verified certificates, a small pool, reconnection.
//!
//! The URL is libpq's: only `sslmode=disable` connects in plain text. To a host other than
//! this machine TLS is always required (`prefer` and `allow`, libpq's default, would let an
//! attacker on the path strip it); to a loopback host or a Unix socket `prefer` keeps its
//! libpq meaning. The server certificate and host name are always verified, against
//! `sslrootcert=FILE` (PEM) when given, else the system's roots.
//!
//! Waits are bounded unless the URL says otherwise. The TCP connect gives up after
//! [`CONNECT_TIMEOUT`]; data left unacknowledged for [`TCP_USER_TIMEOUT`] ends the connection,
//! and keepalive probes find a peer that vanished while the connection was idle within about
//! a minute (instead of the kernel's two hours or fifteen minutes of retransmissions). Each new
//! session runs `SET statement_timeout` ([`STATEMENT_TIMEOUT_MS`]): the server cancels a
//! statement held by a lock or a stalled disk. It is a statement, not the `options` startup
//! parameter, which connection poolers (PgBouncer, Neon) refuse; a URL whose `options` set
//! `statement_timeout` keeps its own. One audit writer serves a whole instance, so an
//! unbounded wait there would hold every request's answer. Not bounded: a server that keeps
//! acknowledging but never answers, and the TLS handshake and login after the TCP connect.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use postgres::config::SslMode;
use postgres::{Client, Config, NoTls};
use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::StoreError;

/// Longest a statement may run before the server cancels it, unless the URL's `options` set
/// `statement_timeout`. [P]
const STATEMENT_TIMEOUT_MS: u64 = 10_000;
/// Longest the TCP connect may take, unless the URL sets `connect_timeout`. [P]
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest sent data may stay unacknowledged, unless the URL sets `tcp_user_timeout`. [P]
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(30);
/// Idle time before TCP keepalive probes, unless the URL sets `keepalives_idle`; the kernel's
/// default is two hours. Probes every 10 s, 3 unanswered probes end the connection. [P]
const KEEPALIVE_IDLE: Duration = Duration::from_secs(30);
/// libpq's and the `postgres` crate's default keepalive idle time.
const KEEPALIVE_IDLE_DEFAULT: Duration = Duration::from_secs(2 * 60 * 60);

/// How the connections are made.
enum Tls {
    Plain,
    Rustls(MakeRustlsConnect),
}

/// A fixed number of lazily (re)connected clients, used round robin.
pub(crate) struct Pool {
    config: Config,
    /// `SET statement_timeout …` for each new session, unless the URL's options set one.
    session_setup: Option<String>,
    tls: Tls,
    slots: Vec<Mutex<Option<Client>>>,
    next: AtomicUsize,
}

fn config_error(what: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("PostgreSQL URL: {what}"))
}

/// Decodes `%XX` escapes of a URL query value.
fn percent_decode(s: &str) -> Result<String, StoreError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let v = hex.and_then(menkyo_core::hex::decode).ok_or_else(|| config_error("bad % escape"))?;
            out.extend(v);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| config_error("sslrootcert is not UTF-8"))
}

/// Splits off what the `postgres` crate does not parse itself: `sslrootcert`, and the
/// `verify-ca`/`verify-full` modes (we always verify, so they mean `require`).
fn split_url(url: &str) -> Result<(String, Option<String>), StoreError> {
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_string(), None)) };
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslrootcert", v)) => root = Some(percent_decode(v)?),
            Some(("sslmode", "verify-ca" | "verify-full")) => kept.push("sslmode=require"),
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    Ok((url, root))
}

fn roots(sslrootcert: Option<&str>) -> Result<RootCertStore, StoreError> {
    let mut roots = RootCertStore::empty();
    match sslrootcert {
        Some(path) if path != "system" => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| StoreError::Database(format!("sslrootcert {path}: {e}")))?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(StoreError::Database(format!("sslrootcert {path}: no usable certificate")));
            }
        }
        _ => {
            // Unreadable entries of the system store are skipped, as every TLS client does.
            let native = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(native.certs);
        }
    }
    Ok(roots)
}

fn tls(sslrootcert: Option<&str>) -> Result<MakeRustlsConnect, StoreError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Database(format!("TLS: {e}")))?
        .with_root_certificates(roots(sslrootcert)?)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

impl Pool {
    /// Parses the URL and prepares `size` connection slots; connects none yet.
    pub(crate) fn new(url: &str, size: usize) -> Result<Self, StoreError> {
        let (url, sslrootcert) = split_url(url)?;
        let mut config: Config = url.parse().map_err(config_error)?;
        if config.get_ssl_mode() != SslMode::Disable && !all_local(&config) {
            config.ssl_mode(SslMode::Require);
        }
        bound_waits(&mut config);
        let session_setup = (!options_set(config.get_options().unwrap_or_default(), "statement_timeout"))
            .then(|| format!("SET statement_timeout = {STATEMENT_TIMEOUT_MS}"));
        let tls = match config.get_ssl_mode() {
            SslMode::Disable => Tls::Plain,
            _ => Tls::Rustls(tls(sslrootcert.as_deref())?),
        };
        let slots = (0..size.max(1)).map(|_| Mutex::new(None)).collect();
        Ok(Self { config, session_setup, tls, slots, next: AtomicUsize::new(0) })
    }

    fn connect(&self) -> Result<Client, postgres::Error> {
        let mut client = match &self.tls {
            Tls::Plain => self.config.connect(NoTls)?,
            Tls::Rustls(tls) => self.config.connect(tls.clone())?,
        };
        if let Some(setup) = &self.session_setup {
            client.batch_execute(setup)?;
        }
        Ok(client)
    }

    /// A free slot if there is one, else the next one in turn (waiting for it).
    fn slot(&self) -> MutexGuard<'_, Option<Client>> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.slots.len();
        for i in 0..n {
            if let Some(slot) = self.slots.get((start + i) % n)
                && let Ok(guard) = slot.try_lock()
            {
                return guard;
            }
        }
        let slot = &self.slots[start % n];
        slot.lock().unwrap_or_else(|poisoned| {
            // A panic while holding the client: drop it, the next use reconnects.
            slot.clear_poison();
            let mut guard = poisoned.into_inner();
            *guard = None;
            guard
        })
    }

    /// Runs `f` on a connected client. A connection found lost (the server restarted or ended
    /// the session, a network cut) is replaced and `f` tried once more on the new one; other
    /// errors are returned as they are. A retried write may run twice if the connection broke
    /// after the server committed it: an audit row twice, or a challenge refused (fails closed).
    pub(crate) fn with<T>(
        &self,
        mut f: impl FnMut(&mut Client) -> Result<T, postgres::Error>,
    ) -> Result<T, StoreError> {
        let mut slot = self.slot();
        let mut retried = false;
        loop {
            let client = match slot.take() {
                Some(c) if !c.is_closed() => slot.insert(c),
                _ => slot.insert(self.connect()?),
            };
            match f(client) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    let lost = lost(&e, client);
                    if lost {
                        *slot = None;
                    }
                    if !lost || retried {
                        return Err(e.into());
                    }
                    retried = true;
                }
            }
        }
    }
}

/// The timeouts of the module documentation, where the URL leaves them unset.
fn bound_waits(config: &mut Config) {
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(TCP_USER_TIMEOUT);
    }
    if config.get_keepalives() && config.get_keepalives_idle() == KEEPALIVE_IDLE_DEFAULT {
        config.keepalives_idle(KEEPALIVE_IDLE);
        if config.get_keepalives_interval().is_none() {
            config.keepalives_interval(Duration::from_secs(10));
        }
        if config.get_keepalives_retries().is_none() {
            config.keepalives_retries(3);
        }
    }
}

/// Whether libpq `options` (`-c name=value`, `-cname=value` or `--name=value`, separated by
/// white space) set the server parameter `name`. The server reads names in any case and `-`
/// as `_`, and so does this.
fn options_set(options: &str, name: &str) -> bool {
    let mut words = options.split_whitespace();
    let mut settings = Vec::new();
    while let Some(word) = words.next() {
        let setting = match word {
            "-c" => words.next(),
            _ => word.strip_prefix("--").or_else(|| word.strip_prefix("-c")),
        };
        settings.extend(setting);
    }
    settings.into_iter().any(|setting| {
        let set = setting.split_once('=').map_or(setting, |(n, _)| n);
        set.len() == name.len()
            && set.bytes().zip(name.bytes()).all(|(a, b)| a.to_ascii_lowercase() == b || (a == b'-' && b == b'_'))
    })
}

/// Whether every host of `config` is this machine: a Unix socket, `localhost` or a loopback
/// address. (No host at all means libpq's default, a local socket.)
fn all_local(config: &Config) -> bool {
    config.get_hosts().iter().all(|h| match h {
        postgres::config::Host::Tcp(name) => {
            name.eq_ignore_ascii_case("localhost")
                || name.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
        #[cfg(unix)]
        postgres::config::Host::Unix(_) => true,
    })
}

/// Whether an error means the connection is gone: closed, or ended by the server (SQLSTATE
/// class 08 connection exception, 57P01-03 shutdown / cannot connect now).
fn lost(e: &postgres::Error, client: &Client) -> bool {
    let code = e.code().map(postgres::error::SqlState::code).unwrap_or_default();
    e.is_closed() || client.is_closed() || code.starts_with("08") || code.starts_with("57P")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_what_postgres_parses_and_give_the_root_file() {
        assert_eq!(split_url("postgres://u@h/db").unwrap(), ("postgres://u@h/db".into(), None));
        assert_eq!(
            split_url("postgres://u@h/db?sslmode=verify-full&sslrootcert=%2Fetc%2Fca%20x.pem&connect_timeout=5")
                .unwrap(),
            ("postgres://u@h/db?sslmode=require&connect_timeout=5".into(), Some("/etc/ca x.pem".into()))
        );
        assert!(split_url("postgres://u@h/db?sslrootcert=%zz").is_err());
        assert!(split_url("postgres://u@h/db?sslrootcert=%+a").is_err());
    }

    #[test]
    fn bad_urls_and_root_files_are_errors_not_panics() {
        assert!(Pool::new("postgres://u@h/db?sslmode=sometimes", 1).is_err());
        let e = Pool::new("postgres://u@h/db?sslmode=require&sslrootcert=/nonexistent.pem", 1).err().unwrap();
        assert!(e.to_string().contains("sslrootcert /nonexistent.pem"), "{e}");
        assert!(Pool::new("postgres://u@h/db?sslmode=disable", 1).is_ok());
    }

    #[test]
    fn waits_are_bounded_unless_the_url_says_otherwise() {
        let config = |url: &str| Pool::new(url, 1).unwrap().config;
        let pool = |url: &str| Pool::new(url, 1).unwrap();
        let p = pool("postgres://u@db.example/x");
        // No `options` startup parameter (poolers refuse it): a SET on each new session.
        assert_eq!(p.config.get_options(), None);
        assert_eq!(p.session_setup.as_deref(), Some("SET statement_timeout = 10000"));
        assert_eq!(p.config.get_connect_timeout(), Some(&Duration::from_secs(10)));
        assert_eq!(p.config.get_tcp_user_timeout(), Some(&Duration::from_secs(30)));
        assert_eq!(p.config.get_keepalives_idle(), Duration::from_secs(30));
        assert_eq!(p.config.get_keepalives_interval(), Some(Duration::from_secs(10)));
        assert_eq!(p.config.get_keepalives_retries(), Some(3));
        // The URL's own settings stand.
        let p = pool("postgres://u@db.example/x?options=-c%20statement_timeout%3D5000&connect_timeout=3");
        assert_eq!(p.session_setup, None);
        assert_eq!(p.config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        let p =
            pool("postgres://u@db.example/x?options=-c%20search_path%3Daudit&keepalives_idle=60&tcp_user_timeout=5");
        assert!(p.session_setup.is_some());
        assert_eq!(p.config.get_keepalives_idle(), Duration::from_secs(60));
        assert_eq!(p.config.get_tcp_user_timeout(), Some(&Duration::from_secs(5)));
        assert!(!config("postgres://u@db.example/x?keepalives=0").get_keepalives());
    }

    #[test]
    fn options_are_read_by_parameter_name() {
        for set in
            ["-c statement_timeout=5s", "-cstatement_timeout=5s", "--statement-timeout=5s", "-c STATEMENT_TIMEOUT=1"]
        {
            assert!(options_set(set, "statement_timeout"), "{set}");
        }
        for unset in
            ["", "-c application_name=statement_timeout_x", "-c myext.statement_timeout=1", "-c lock_timeout=1"]
        {
            assert!(!options_set(unset, "statement_timeout"), "{unset}");
        }
    }

    fn mode(url: &str) -> SslMode {
        Pool::new(url, 1).unwrap().config.get_ssl_mode()
    }

    #[test]
    fn tls_cannot_be_stripped_on_the_way_to_another_host() {
        // libpq's default (prefer) would fall back to plain text: to another host, TLS is required.
        assert_eq!(mode("postgres://u@db.example/x"), SslMode::Require);
        assert_eq!(mode("postgres://u@db.example/x?sslmode=prefer"), SslMode::Require);
        assert_eq!(mode("postgres://u@10.0.0.5:5432/x"), SslMode::Require);
        assert_eq!(mode("postgres://u@localhost,db.example/x"), SslMode::Require);
        // On this machine, prefer keeps its meaning; plain text only when the URL says so.
        assert_eq!(mode("postgres://u@localhost/x"), SslMode::Prefer);
        assert_eq!(mode("postgres://u@127.0.0.1/x"), SslMode::Prefer);
        assert_eq!(mode("postgres://u@[::1]/x"), SslMode::Prefer);
        assert_eq!(mode("postgres://u@db.example/x?sslmode=disable"), SslMode::Disable);
        assert!(matches!(Pool::new("postgres://u@db.example/x", 1).unwrap().tls, Tls::Rustls(_)));
    }
}
