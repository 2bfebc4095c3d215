//! The audit log and the single-use challenges, in one database so several instances behind a
//! load balancer share them: embedded SQLite (bundled) by default, PostgreSQL for a
//! `postgres://` URL. Same tables, same migrations. Calls block: run them off the async
//! executor (`spawn_blocking`), except [`Store::audit_committed`], which waits asynchronously.
//!
//! Audit rows of requests are group-committed: one writer thread per store takes every row
//! waiting and writes them in one transaction, then answers each request. A request still
//! answers only after its row is committed; under load one commit (its writes, locks and
//! checkpoints) serves many rows instead of one.

use std::path::Path;
use std::sync::{Arc, Mutex, mpsc};

use rusqlite::{Connection, OptionalExtension, params};

/// One audit row: no personal data, only what proves a verification happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub at: String,
    pub key_id: String,
    pub endpoint: String,
    pub submission_sha256: String,
    pub verdict: String,
    pub failed_checks: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(String),
    /// The audit writer's queue is full: the database has not taken rows for a while. The
    /// request is refused (503) rather than answered unaudited or queued without bound.
    #[error("audit log full: {AUDIT_QUEUE_MAX} rows wait for the database")]
    Busy,
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        // The SQLSTATE and message; never the `detail`, which can quote row values.
        match e.as_db_error() {
            Some(db) => StoreError::Database(format!("{} {}", db.code().code(), db.message())),
            None => {
                // With its causes: "error performing TLS handshake: invalid peer certificate …".
                let mut text = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(cause) = source {
                    text.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                StoreError::Database(text)
            }
        }
    }
}

/// Advisory lock key that serialises migrations of several instances starting together.
const MIGRATION_LOCK: i64 = 0x6d65_6e6b_796f;

/// Migrations in order, as (SQLite, PostgreSQL): the same tables and columns in each dialect.
/// A migration runs without a statement timeout, but other instances' statements keep theirs
/// (10 s, pg.rs): one that locks `audit` or `challenges` for longer (ALTER TABLE, CREATE INDEX
/// without CONCURRENTLY) makes their requests fail meanwhile; plan such a change for a stop.
const MIGRATIONS: [(&str, &str); 1] = [(
    "CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        submission_sha256 TEXT NOT NULL,
        verdict TEXT NOT NULL,
        failed_checks TEXT NOT NULL
    );
    CREATE TABLE challenges (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, used INTEGER NOT NULL DEFAULT 0);",
    "CREATE TABLE audit (
        id BIGSERIAL PRIMARY KEY,
        at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        submission_sha256 TEXT NOT NULL,
        verdict TEXT NOT NULL,
        failed_checks TEXT NOT NULL
    );
    CREATE TABLE challenges (nonce TEXT PRIMARY KEY, expires_at BIGINT NOT NULL, used INTEGER NOT NULL DEFAULT 0);",
)];

const SQLITE_INSERT_AUDIT: &str = "INSERT INTO audit (at, key_id, endpoint, submission_sha256, verdict, failed_checks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/// Rows in their order (ids follow it): parallel arrays, one element per row.
const POSTGRES_INSERT_AUDIT: &str = "INSERT INTO audit (at, key_id, endpoint, submission_sha256, verdict, failed_checks) \
     SELECT at, key_id, endpoint, submission_sha256, verdict, failed_checks \
     FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) \
     WITH ORDINALITY AS r(at, key_id, endpoint, submission_sha256, verdict, failed_checks, n) ORDER BY n";

/// How long spent challenges are kept before they are deleted.
const CHALLENGE_KEEP_SECS: i64 = 86_400;

/// The service's challenge ledger for `menkyo_core::verify`: a challenge counts once, when
/// this service issued it and it has not expired.
impl menkyo_core::ChallengeLedger for Store {
    fn consume(
        &self,
        challenge: &[u8],
        at: menkyo_core::UnixTime,
    ) -> Result<menkyo_core::ChallengeStatus, menkyo_core::LedgerError> {
        use base64::Engine as _;
        let nonce = base64::engine::general_purpose::STANDARD.encode(challenge);
        match self.use_challenge(&nonce, at.secs()) {
            Ok(true) => Ok(menkyo_core::ChallengeStatus::Fresh),
            Ok(false) => Ok(menkyo_core::ChallengeStatus::Refused),
            Err(e) => Err(menkyo_core::LedgerError(e.to_string())),
        }
    }
}

#[derive(Clone)]
enum Db {
    Sqlite(Arc<Mutex<Connection>>),
    Postgres(Arc<crate::pg::Pool>),
}

/// Most rows in one group commit. [P]
const AUDIT_BATCH_MAX: usize = 256;

/// Most rows (and readiness probes) that may wait for the audit writer. While the database
/// answers, a row waits only as long as its request (one per request in flight); rows pile
/// up only when the database stalls and requests give up (their 30 s timeout) leaving their
/// rows queued. Beyond this the service refuses requests at once instead of holding memory
/// without bound. [P]
const AUDIT_QUEUE_MAX: usize = 4096;

/// A row for the writer (`None`: a readiness probe, answered by the writer's next database
/// call), and where to say whether it was committed.
type AuditRequest = (Option<AuditRow>, tokio::sync::oneshot::Sender<Result<(), StoreError>>);

/// The writer's answer to one [`AuditRequest`].
type AuditReply = tokio::sync::oneshot::Receiver<Result<(), StoreError>>;

/// A readiness probe's answer, awaited by every `/readyz` caller that arrives while it is
/// in flight.
type SharedProbe = futures_util::future::Shared<futures_util::future::BoxFuture<'static, Result<(), StoreError>>>;

/// The database.
#[derive(Clone)]
pub struct Store {
    db: Db,
    /// The writer thread's queue; the thread ends when the last clone of the store is dropped.
    audit_queue: mpsc::SyncSender<AuditRequest>,
    /// The readiness probe in flight, shared by every `/readyz` caller: however many probes
    /// (no API key needed) arrive while the database stalls, one waits in the writer's queue
    /// and every caller waits for its answer, each for at most its own limit.
    probe: Arc<Mutex<Option<SharedProbe>>>,
    /// Probes put in the writer's queue.
    #[cfg(test)]
    probes_queued: Arc<std::sync::atomic::AtomicUsize>,
    /// Batches the writer has taken from the queue (tests: the writer holds one, stalled).
    #[cfg(test)]
    batches_taken: Arc<std::sync::atomic::AtomicUsize>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.db {
            Db::Sqlite(_) => "Store(SQLite)",
            Db::Postgres(_) => "Store(PostgreSQL)",
        })
    }
}

impl Db {
    fn ping(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => c.lock().map_err(|_| poisoned())?.query_row("SELECT 1", [], |_| Ok(()))?,
            Db::Postgres(pool) => pool.with(|c| c.batch_execute("SELECT 1"))?,
        }
        Ok(())
    }

    /// Writes `rows` in one transaction: all of them or none.
    fn insert_audit(&self, rows: &[AuditRow]) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => {
                let c = c.lock().map_err(|_| poisoned())?;
                let tx = c.unchecked_transaction()?;
                {
                    let mut insert = tx.prepare_cached(SQLITE_INSERT_AUDIT)?;
                    for row in rows {
                        insert.execute(params![
                            row.at,
                            row.key_id,
                            row.endpoint,
                            row.submission_sha256,
                            row.verdict,
                            row.failed_checks
                        ])?;
                    }
                }
                tx.commit()?;
            }
            Db::Postgres(pool) => {
                // One statement for the whole batch (atomic on its own): its round trips do
                // not grow with the rows.
                let column = |f: fn(&AuditRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
                let (at, key_id, endpoint) = (column(|r| &r.at), column(|r| &r.key_id), column(|r| &r.endpoint));
                let (sha, verdict, failed) =
                    (column(|r| &r.submission_sha256), column(|r| &r.verdict), column(|r| &r.failed_checks));
                pool.with(|c| c.execute(POSTGRES_INSERT_AUDIT, &[&at, &key_id, &endpoint, &sha, &verdict, &failed]))?;
            }
        }
        Ok(())
    }
}

fn poisoned() -> StoreError {
    StoreError::Database("connection lock poisoned".into())
}

/// One transaction under an advisory lock: instances starting together migrate once
/// (concurrent CREATE TABLE IF NOT EXISTS is not safe in PostgreSQL).
fn migrate_postgres(client: &mut postgres::Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    // Migrations run once, at start, and may take long (an index over a large audit table);
    // waiting for another instance's migration is waiting for its lock: no statement timeout.
    tx.batch_execute("SET LOCAL statement_timeout = 0")?;
    tx.query_one("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY)")?;
    for (i, (_, sql)) in MIGRATIONS.iter().enumerate() {
        let version = i64::try_from(i).unwrap_or(i64::MAX) + 1;
        if tx.query_opt("SELECT version FROM schema_migrations WHERE version = $1", &[&version])?.is_none() {
            tx.batch_execute(sql)?;
            tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&version])?;
        }
    }
    tx.commit()
}

impl Store {
    /// A `postgres://` (or `postgresql://`) URL, else a SQLite file path (`:memory:` in memory).
    /// Applies the migrations that have not run yet.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = crate::pg::Pool::new(url, crate::DATABASE_CONNECTIONS)?;
            pool.with(migrate_postgres)?;
            return Self::with_writer(Db::Postgres(Arc::new(pool)));
        }
        let path = url.strip_prefix("sqlite://").unwrap_or(url);
        let conn = if path == ":memory:" { Connection::open_in_memory()? } else { Connection::open(Path::new(path))? };
        // WAL with synchronous=NORMAL: a power loss can drop the last commits, never corrupt
        // the file; a full fsync per verification would cap the service at disk latency.
        conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;")?;
        conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)")?;
        for (i, (sql, _)) in MIGRATIONS.iter().enumerate() {
            let version = i64::try_from(i).unwrap_or(i64::MAX) + 1;
            let done: Option<i64> = conn
                .query_row("SELECT version FROM schema_migrations WHERE version = ?1", [version], |r| r.get(0))
                .optional()?;
            if done.is_none() {
                let tx = conn.unchecked_transaction()?;
                tx.execute_batch(sql)?;
                tx.execute("INSERT INTO schema_migrations (version) VALUES (?1)", [version])?;
                tx.commit()?;
            }
        }
        Self::with_writer(Db::Sqlite(Arc::new(Mutex::new(conn))))
    }

    /// The store with its audit writer thread started.
    fn with_writer(db: Db) -> Result<Self, StoreError> {
        let (audit_queue, queue) = mpsc::sync_channel::<AuditRequest>(AUDIT_QUEUE_MAX);
        let writer = db.clone();
        #[cfg(test)]
        let batches_taken = Arc::<std::sync::atomic::AtomicUsize>::default();
        #[cfg(test)]
        let taken = Arc::clone(&batches_taken);
        std::thread::Builder::new()
            .name("menkyo-audit".into())
            .spawn(move || {
                // Blocks for the first row, then takes every row already waiting.
                while let Ok(first) = queue.recv() {
                    let mut batch = vec![first];
                    while batch.len() < AUDIT_BATCH_MAX {
                        match queue.try_recv() {
                            Ok(next) => batch.push(next),
                            Err(_) => break,
                        }
                    }
                    #[cfg(test)]
                    taken.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    let (rows, acks): (Vec<Option<AuditRow>>, Vec<_>) = batch.into_iter().unzip();
                    let rows: Vec<AuditRow> = rows.into_iter().flatten().collect();
                    // Probes alone: a trivial query. With rows, their commit answers them.
                    let result = if rows.is_empty() { writer.ping() } else { writer.insert_audit(&rows) };
                    for ack in acks {
                        // The request may have gone (client disconnected): nothing to tell.
                        let _ = ack.send(result.clone());
                    }
                }
            })
            .map_err(|e| StoreError::Database(format!("audit writer thread: {e}")))?;
        Ok(Self {
            db,
            audit_queue,
            probe: Arc::default(),
            #[cfg(test)]
            probes_queued: Arc::default(),
            #[cfg(test)]
            batches_taken,
        })
    }

    /// What the writer answered, once it has.
    fn answered(
        reply: Result<Result<(), StoreError>, tokio::sync::oneshot::error::RecvError>,
    ) -> Result<(), StoreError> {
        reply.map_err(|_| StoreError::Database("audit writer stopped".into()))?
    }

    /// Queues `row` for the writer thread; the receiver answers once it is committed.
    fn queue_audit(&self, row: Option<AuditRow>) -> Result<AuditReply, StoreError> {
        #[cfg(test)]
        if row.is_none() {
            self.probes_queued.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let (ack, committed) = tokio::sync::oneshot::channel();
        self.audit_queue.try_send((row, ack)).map_err(|e| match e {
            mpsc::TrySendError::Full(_) => StoreError::Busy,
            mpsc::TrySendError::Disconnected(_) => StoreError::Database("audit writer stopped".into()),
        })?;
        Ok(committed)
    }

    /// Writes `row`, group-committed with the rows of other requests; returns once it is
    /// committed. For the async handlers.
    pub async fn audit_committed(&self, row: AuditRow) -> Result<(), StoreError> {
        Self::answered(self.queue_audit(Some(row))?.await)
    }

    /// [`Store::audit_committed`] for a blocking thread.
    pub fn audit_committed_blocking(&self, row: AuditRow) -> Result<(), StoreError> {
        Self::answered(self.queue_audit(Some(row))?.blocking_recv())
    }

    /// Writes one row in its own transaction, now.
    pub fn audit(&self, row: &AuditRow) -> Result<(), StoreError> {
        self.db.insert_audit(std::slice::from_ref(row))
    }

    /// Every audit row, oldest first (for tests and exports).
    pub fn audit_rows(&self) -> Result<Vec<AuditRow>, StoreError> {
        const SELECT: &str =
            "SELECT at, key_id, endpoint, submission_sha256, verdict, failed_checks FROM audit ORDER BY id";
        match &self.db {
            Db::Sqlite(c) => {
                let c = c.lock().map_err(|_| poisoned())?;
                let mut st = c.prepare(SELECT)?;
                let rows = st.query_map([], |r| {
                    Ok(AuditRow {
                        at: r.get(0)?,
                        key_id: r.get(1)?,
                        endpoint: r.get(2)?,
                        submission_sha256: r.get(3)?,
                        verdict: r.get(4)?,
                        failed_checks: r.get(5)?,
                    })
                })?;
                Ok(rows.collect::<Result<_, _>>()?)
            }
            Db::Postgres(pool) => {
                let rows = pool.with(|c| c.query(SELECT, &[]))?;
                Ok(rows
                    .iter()
                    .map(|r| AuditRow {
                        at: r.get(0),
                        key_id: r.get(1),
                        endpoint: r.get(2),
                        submission_sha256: r.get(3),
                        verdict: r.get(4),
                        failed_checks: r.get(5),
                    })
                    .collect())
            }
        }
    }

    pub fn add_challenge(&self, nonce_b64: &str, expires_at: i64) -> Result<(), StoreError> {
        let stale = expires_at.saturating_sub(CHALLENGE_KEEP_SECS);
        match &self.db {
            Db::Sqlite(c) => {
                let c = c.lock().map_err(|_| poisoned())?;
                c.prepare_cached("DELETE FROM challenges WHERE expires_at < ?1")?.execute([stale])?;
                c.prepare_cached("INSERT INTO challenges (nonce, expires_at) VALUES (?1, ?2)")?
                    .execute(params![nonce_b64, expires_at])?;
            }
            Db::Postgres(pool) => {
                pool.with(|c| {
                    c.execute("DELETE FROM challenges WHERE expires_at < $1", &[&stale])?;
                    c.execute("INSERT INTO challenges (nonce, expires_at) VALUES ($1, $2)", &[&nonce_b64, &expires_at])
                })?;
            }
        }
        Ok(())
    }

    /// Marks a challenge used; `true` only for a known, unexpired, never used one. One atomic
    /// UPDATE, so two instances cannot both accept it.
    pub fn use_challenge(&self, nonce_b64: &str, now: i64) -> Result<bool, StoreError> {
        let n = match &self.db {
            Db::Sqlite(c) => u64::try_from(
                c.lock()
                    .map_err(|_| poisoned())?
                    .prepare_cached(
                        "UPDATE challenges SET used = 1 WHERE nonce = ?1 AND used = 0 AND expires_at >= ?2",
                    )?
                    .execute(params![nonce_b64, now])?,
            )
            .unwrap_or(0),
            Db::Postgres(pool) => pool.with(|c| {
                c.execute(
                    "UPDATE challenges SET used = 1 WHERE nonce = $1 AND used = 0 AND expires_at >= $2",
                    &[&nonce_b64, &now],
                )
            })?,
        };
        Ok(n == 1)
    }

    /// A trivial query, asked through the audit writer: a writer that stopped or hangs makes
    /// the instance not ready, as does a database that does not answer. Blocks.
    pub fn ping(&self) -> Result<(), StoreError> {
        Self::answered(self.queue_audit(None)?.blocking_recv())
    }

    /// [`Store::ping`] for the async handlers (`/readyz`), waiting at most `limit`: a writer
    /// stuck on the database makes the instance not ready instead of holding the probe (and
    /// a thread) until it returns. Concurrent callers share one probe ([`Store::probe`]).
    pub async fn ready(&self, limit: std::time::Duration) -> Result<(), StoreError> {
        use futures_util::FutureExt as _;
        let probe = {
            let mut slot = self.probe.lock().map_err(|_| poisoned())?;
            match slot.as_ref() {
                // In flight: its answer serves this call too.
                Some(probe) if probe.peek().is_none() => probe.clone(),
                // None yet, or answered (an old answer, never served again): a new probe.
                _ => {
                    let reply = self.queue_audit(None)?;
                    let probe = async move { Self::answered(reply.await) }.boxed().shared();
                    // Driven to its end even when every caller gave up, so that `peek` sees
                    // the answer as soon as it comes: an answer from the end of a stall is not
                    // served to a caller long after (one task per probe in flight, at most one).
                    tokio::spawn(probe.clone().map(drop));
                    *slot = Some(probe.clone());
                    probe
                }
            }
        };
        match tokio::time::timeout(limit, probe).await {
            Ok(answer) => answer,
            Err(_) => Err(StoreError::Database(format!("the database did not answer within {} ms", limit.as_millis()))),
        }
    }
}

/// The behaviour every backend must have; run by the unit tests (SQLite) and by
/// `tests/postgres.rs` against a real PostgreSQL.
pub fn conformance(store: &Store, tag: &str) -> Result<(), String> {
    let check = |ok: bool, what: &str| if ok { Ok(()) } else { Err(format!("{tag}: {what}")) };
    let e = |e: StoreError| format!("{tag}: {e}");
    let nonce = format!("nonce-{tag}");
    store.add_challenge(&nonce, 100).map_err(e)?;
    check(!store.use_challenge("unknown", 50).map_err(e)?, "unknown challenge accepted")?;
    check(!store.use_challenge(&nonce, 101).map_err(e)?, "expired challenge accepted")?;
    check(store.use_challenge(&nonce, 100).map_err(e)?, "fresh challenge refused")?;
    check(!store.use_challenge(&nonce, 50).map_err(e)?, "challenge used twice")?;
    // Other writers may share the database: look for this row, not at the row count.
    let row = AuditRow {
        at: "2026-11-23T01:00:00Z".into(),
        key_id: format!("key-{tag}"),
        endpoint: "verifications".into(),
        submission_sha256: format!("{:064x}", tag.len()),
        verdict: "valid".into(),
        failed_checks: String::new(),
    };
    store.audit(&row).map_err(e)?;
    let found = store.audit_rows().map_err(e)?.iter().filter(|r| **r == row).count();
    check(found == 1, "audit row not read back exactly once")?;
    // Through the group-committing writer: the row is there once the call returns.
    let grouped = AuditRow { endpoint: "batch".into(), ..row };
    store.audit_committed_blocking(grouped.clone()).map_err(e)?;
    let found = store.audit_rows().map_err(e)?.iter().filter(|r| **r == grouped).count();
    check(found == 1, "group-committed audit row not read back exactly once")?;
    if let Db::Postgres(pool) = &store.db {
        // The server bounds every statement of the store's sessions (pg.rs).
        let timeout: String = pool.with(|c| c.query_one("SHOW statement_timeout", &[])).map_err(e)?.get(0);
        check(timeout != "0", "PostgreSQL sessions without a statement timeout")?;
    }
    store.ping().map_err(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_conforms() {
        assert_eq!(conformance(&Store::open(":memory:").unwrap(), "sqlite"), Ok(()));
    }

    /// An empty directory of this test process for a database file.
    fn fresh_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// An in-memory store's SQLite connection: a test that holds its lock stalls the writer
    /// as a database that does not answer would.
    fn connection(store: &Store) -> &Mutex<Connection> {
        let Db::Sqlite(conn) = &store.db else { panic!("SQLite store") };
        conn
    }

    fn current_thread() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap()
    }

    fn row(n: usize) -> AuditRow {
        AuditRow {
            at: "2026-11-25T00:00:00Z".into(),
            key_id: "k".into(),
            endpoint: "verifications".into(),
            submission_sha256: format!("{n:064x}"),
            verdict: "valid".into(),
            failed_checks: String::new(),
        }
    }

    /// A writer stuck on the database (here: its connection held by the test) makes `ready`
    /// fail within its limit; once the database answers again, the instance is ready.
    #[test]
    fn ready_gives_up_on_a_stuck_writer() {
        let store = Store::open(":memory:").unwrap();
        let rt = current_thread();
        rt.block_on(store.ready(std::time::Duration::from_secs(5))).unwrap();
        let conn = connection(&store);
        let held = conn.lock().unwrap();
        let e = rt.block_on(store.ready(std::time::Duration::from_millis(200))).unwrap_err();
        assert!(e.to_string().contains("did not answer within 200 ms"), "{e}");
        drop(held);
        rt.block_on(store.ready(std::time::Duration::from_secs(5))).unwrap();
    }

    /// Probes arriving while the database stalls (unauthenticated `/readyz` callers) add
    /// one entry to the writer's queue, not one each; they all get an answer within their
    /// limit, and once the database answers the instance is ready again. Before the shared
    /// probe each caller queued its own: 50 here.
    #[test]
    fn probes_during_a_stall_share_one_queue_entry() {
        use std::sync::atomic::Ordering;
        let store = Store::open(":memory:").unwrap();
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_time().build().unwrap();
        let conn = connection(&store);
        let held = conn.lock().unwrap();
        let started = store.probes_queued.load(Ordering::Relaxed);
        let answers = rt.block_on(async {
            let probes: Vec<_> = (0..50)
                .map(|_| {
                    let store = store.clone();
                    tokio::spawn(async move { store.ready(std::time::Duration::from_millis(100)).await })
                })
                .collect();
            let mut answers = Vec::new();
            for p in probes {
                answers.push(p.await.unwrap());
            }
            answers
        });
        assert_eq!(answers.len(), 50);
        assert!(answers.iter().all(Result::is_err), "a probe answered while the database was held");
        assert_eq!(store.probes_queued.load(Ordering::Relaxed) - started, 1, "probes queued during the stall");
        drop(held);
        // The waiting probe is answered now, and a caller after it is answered too.
        rt.block_on(store.ready(std::time::Duration::from_secs(5))).unwrap();
        rt.block_on(store.ready(std::time::Duration::from_secs(5))).unwrap();
    }

    /// An answer that came after its callers gave up is never served later: here the
    /// database answers "ready" between two stalls, and a caller during the second stall must
    /// not get that old answer (it did before the probe was driven by its own task).
    #[test]
    fn an_answer_nobody_waited_for_is_not_served_later() {
        let store = Store::open(":memory:").unwrap();
        let rt = current_thread();
        let conn = connection(&store);
        let held = conn.lock().unwrap();
        assert!(rt.block_on(store.ready(std::time::Duration::from_millis(20))).is_err());
        drop(held);
        // The writer answers the waiting probe (ready) while nobody waits for it.
        rt.block_on(async { tokio::time::sleep(std::time::Duration::from_millis(300)).await });
        let held = conn.lock().unwrap();
        let e = rt.block_on(store.ready(std::time::Duration::from_millis(100))).unwrap_err();
        assert!(e.to_string().contains("did not answer within 100 ms"), "{e}");
        drop(held);
        rt.block_on(store.ready(std::time::Duration::from_secs(5))).unwrap();
    }

    /// Rows from many threads at once: each is committed exactly once, and is in the table
    /// when its call returns (the answer waits for its row).
    #[test]
    fn group_commit_writes_every_row_once_before_answering() {
        let store = Store::open(":memory:").unwrap();
        std::thread::scope(|scope| {
            for t in 0..8 {
                let store = store.clone();
                scope.spawn(move || {
                    for i in 0..50 {
                        let r = row(t * 1000 + i);
                        store.audit_committed_blocking(r.clone()).unwrap();
                        assert!(
                            store.audit_rows().unwrap().contains(&r),
                            "row {t}/{i} answered before it was committed"
                        );
                    }
                });
            }
        });
        let mut keys: Vec<String> = store.audit_rows().unwrap().into_iter().map(|r| r.submission_sha256).collect();
        assert_eq!(keys.len(), 400);
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 400, "a row was written twice");
    }

    /// While the database stalls, rows wait up to the queue's bound; beyond it rows and
    /// readiness probes are refused at once (`Busy`: the handlers answer 503) instead of
    /// piling up without bound (before: an unbounded queue). Once the database answers,
    /// every row taken is committed and answered, and the queue takes rows again.
    #[test]
    fn a_stalled_database_fills_the_queue_then_rows_are_refused() {
        use std::sync::atomic::Ordering;
        let store = Store::open(":memory:").unwrap();
        let rt = current_thread();
        let conn = connection(&store);
        let held = conn.lock().unwrap();
        // One row the writer takes and then waits with, for the connection held here: from
        // then on it takes nothing more, so the queue's room is exact.
        let before = store.batches_taken.load(Ordering::SeqCst);
        let mut replies = vec![store.queue_audit(Some(row(0))).unwrap()];
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while store.batches_taken.load(Ordering::SeqCst) == before {
            assert!(std::time::Instant::now() < deadline, "the writer did not take the row");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let refused = loop {
            match store.queue_audit(Some(row(replies.len()))) {
                Ok(reply) => replies.push(reply),
                Err(e) => break e,
            }
            assert!(replies.len() <= AUDIT_QUEUE_MAX + 1, "the queue took rows without bound");
        };
        assert_eq!(refused, StoreError::Busy);
        assert_eq!(replies.len(), AUDIT_QUEUE_MAX + 1);
        // A readiness probe finds no room either: not ready at once.
        assert_eq!(rt.block_on(store.ready(std::time::Duration::from_secs(5))), Err(StoreError::Busy));
        drop(held);
        let taken = replies.len();
        for reply in replies {
            assert_eq!(reply.blocking_recv(), Ok(Ok(())));
        }
        assert_eq!(store.audit_rows().unwrap().len(), taken);
        store.audit_committed_blocking(row(taken)).unwrap();
        rt.block_on(store.ready(std::time::Duration::from_secs(5))).unwrap();
    }

    /// A commit that fails is reported to the request whose row it held, never as success.
    #[test]
    fn failed_group_commit_is_reported() {
        let dir = fresh_dir("menkyo-store-fail");
        let path = dir.join("audit.db");
        let store = Store::open(&path.display().to_string()).unwrap();
        store.audit_committed_blocking(row(1)).unwrap();
        Connection::open(&path).unwrap().execute_batch("DROP TABLE audit").unwrap();
        let err = store.audit_committed_blocking(row(2)).unwrap_err();
        assert!(err.to_string().contains("audit"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn migrations_are_idempotent() {
        let dir = fresh_dir("menkyo-store");
        let path = dir.join("audit.db");
        let url = path.display().to_string();
        conformance(&Store::open(&url).unwrap(), "first").unwrap();
        let again = Store::open(&url).unwrap();
        assert_eq!(again.audit_rows().unwrap().len(), 2, "the two rows of the first run");
    }
}
