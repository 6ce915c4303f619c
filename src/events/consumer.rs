//! Consumers whose effects are database rows: each batch of events is applied in one
//! transaction together with the consumer's cursor, so a crash (even `kill -9`) either keeps
//! both or neither, and the replay applies nothing twice. Cluster-wide consumers also confirm
//! their lease in that transaction. (The search indexer keeps its cursor in the index instead:
//! see `search::indexer`.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeDelta;

use super::lease::{acquire_lease, confirm_lease, release_lease};
use super::{load_tail, save_tail, Event};
use crate::db::{Db, DbConn};
use crate::error::{AppError, AppResult};

/// How often consumers look for new events when idle.
const POLL: Duration = Duration::from_millis(100);
/// How long a consumer whose batch failed waits before it tries again.
const RETRY_AFTER: Duration = Duration::from_secs(5);
/// How often old events are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// Events applied per transaction, at most.
const BATCH: i64 = 500;
/// How long a lease lasts without renewal; a dead holder's lease is free after this.
pub const LEASE_TTL: TimeDelta = TimeDelta::seconds(15);

/// A reaction to events.
pub trait Consumer: Send {
    /// The cursor's name, unique per consumer (and per node for node-local consumers).
    fn name(&self) -> String;
    /// True when only one node of a cluster may run it at a time (it takes a lease).
    fn cluster_wide(&self) -> bool {
        false
    }
    /// Applies one event, inside the transaction that also moves the cursor. Events of kinds
    /// it does not care about are simply ignored.
    fn apply(&mut self, conn: &mut DbConn, event: &Event) -> AppResult<()>;
    /// Slow work for the events about to be applied, done before their transaction so that it
    /// never holds the write lock (e.g. a model's inference). What it prepares is only a head
    /// start: `apply` must be right without it.
    fn prepare(&mut self, _db: &Db, _events: &[Event]) {}
}

/// Applies what is new for `consumer` (one batch) and returns how many events it applied.
/// A cluster-wide consumer whose lease another holder has applies nothing.
pub fn run_once(db: &Db, consumer: &mut dyn Consumer, holder: &str) -> AppResult<usize> {
    let mut held_until = None;
    run_once_leased(db, consumer, holder, &mut held_until)
}

/// `run_once`, remembering until when this holder's lease runs, so an idle poll renews it only
/// when a third of its time is left (not a write every 100 ms).
fn run_once_leased(
    db: &Db,
    consumer: &mut dyn Consumer,
    holder: &str,
    held_until: &mut Option<chrono::NaiveDateTime>,
) -> AppResult<usize> {
    let name = consumer.name();
    let wide = consumer.cluster_wide();
    if wide {
        let t = crate::db::now();
        let fresh = held_until.is_some_and(|until| until - t > LEASE_TTL * 2 / 3);
        if !fresh {
            if db.write_untracked(|conn| acquire_lease(conn, &name, holder, LEASE_TTL))? {
                *held_until = Some(t + LEASE_TTL);
            } else {
                *held_until = None;
                return Ok(0);
            }
        }
    }
    // Look first without writing: most polls find nothing.
    let fresh = db.read_blocking(|conn| {
        let tail = super::load_tail_readonly(conn, &name)?;
        Ok(match tail {
            Some(tail) => {
                let poll = tail.poll(conn, BATCH)?;
                (!poll.is_idle(&tail)).then_some(poll.fresh)
            }
            None => Some(Vec::new()),
        })
    })?;
    let Some(fresh) = fresh else {
        return Ok(0);
    };
    if !fresh.is_empty() {
        consumer.prepare(db, &fresh);
    }
    db.write_blocking(|conn| {
        let mut tail = load_tail(conn, &name)?;
        let poll = tail.poll(conn, BATCH)?;
        for event in &poll.fresh {
            consumer.apply(conn, event)?;
        }
        tail.advance(&poll);
        save_tail(conn, &name, &tail)?;
        if wide && !confirm_lease(conn, &name, holder, LEASE_TTL)? {
            // Another node took over meanwhile: roll everything back, it will apply them.
            return Err(AppError::Conflict(crate::msg!(
                "events-lease-lost",
                consumer = &name
            )));
        }
        Ok(poll.fresh.len())
    })
    .inspect(|_| {
        if wide {
            *held_until = Some(crate::db::now() + LEASE_TTL);
        }
    })
    .inspect_err(|_| *held_until = None)
}

/// A background thread that runs consumers every `poll` until stopped.
pub struct Runner {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Runner {
    /// Starts the thread. `holder` names this process in leases (`host:pid:random`).
    /// Events older than `keep` are pruned every few minutes (see `prune`), and `housekeeping`
    /// (other tables' clean-up, e.g. expired rate limits) runs then too.
    pub fn start(
        db: Db,
        mut consumers: Vec<Box<dyn Consumer>>,
        holder: String,
        keep: TimeDelta,
        housekeeping: Box<dyn Fn(&Db) + Send>,
    ) -> std::io::Result<Runner> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::Builder::new()
            .name("event-consumers".into())
            .spawn(move || {
                let mut last_prune = Instant::now();
                let mut leases = vec![None; consumers.len()];
                // A failing consumer (say, search being rebuilt) is retried after a pause, not
                // on every poll.
                let mut resume_at = vec![Instant::now(); consumers.len()];
                while !flag.load(Ordering::Acquire) {
                    if last_prune.elapsed() > PRUNE_EVERY {
                        last_prune = Instant::now();
                        if let Err(e) = db.write_untracked(|conn| super::prune(conn, keep)) {
                            tracing::warn!("pruning the event log failed: {e}");
                        }
                        housekeeping(&db);
                    }
                    let mut busy = false;
                    let slots = consumers.iter_mut().zip(leases.iter_mut());
                    for ((c, lease), resume) in slots.zip(resume_at.iter_mut()) {
                        if Instant::now() < *resume {
                            continue;
                        }
                        match run_once_leased(&db, c.as_mut(), &holder, lease) {
                            Ok(n) => busy |= n > 0,
                            Err(e) => {
                                tracing::warn!("event consumer {}: {e}; retrying in 5 s", c.name());
                                *resume = Instant::now() + RETRY_AFTER;
                            }
                        }
                    }
                    if !busy {
                        std::thread::sleep(POLL);
                    }
                }
                for c in consumers.iter().filter(|c| c.cluster_wide()) {
                    let _ = db.write_untracked(|conn| release_lease(conn, &c.name(), &holder));
                }
            })?;
        Ok(Runner {
            stop,
            handle: Some(handle),
        })
    }

    /// Stops the thread and waits for it (leases are released).
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A name for this process in leases: host, process id and a random part (a restarted
/// container may get the same pid).
pub fn holder_name() -> String {
    use rand::Rng;
    let nonce: u32 = rand::thread_rng().gen();
    format!("{}:{}:{nonce:08x}", host_name(), std::process::id())
}

/// This machine's name, for telling nodes apart in cursors and leases.
pub fn host_name() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "host".into())
}
