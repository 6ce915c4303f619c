//! Posting rates (questions, answers, comments, votes, flags per member and per address),
//! counted in this node's memory with the same cell rate algorithm as the shared limits.
//!
//! Why in memory, unlike sign-in limits: posting is the hot path and a check must cost
//! microseconds, not a database write; what a posting limit guards against is a script posting
//! hundreds of times a minute, and a per-node count still stops it (behind a load balancer that
//! spreads one client over N nodes, the client gets at most N times the rate). Sign-in limits
//! guard passwords and stay shared.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{Rate, Verdict};

/// Independent locks, so parallel requests rarely wait on one another.
const SHARDS: usize = 16;
/// A shard forgets keys at rest (their next allowed time has passed) at most this often.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

struct Shard {
    /// Key hash → theoretical arrival time, in nanoseconds since `Local::epoch`.
    tat: HashMap<u64, u64>,
    pruned: Instant,
}

/// The rates of one node: `hit` counts an action against every window given, all or nothing.
pub struct Local {
    epoch: Instant,
    shards: Vec<Mutex<Shard>>,
}

impl Default for Local {
    fn default() -> Self {
        let epoch = Instant::now();
        Local {
            epoch,
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        tat: HashMap::new(),
                        pruned: epoch,
                    })
                })
                .collect(),
        }
    }
}

/// One window to count in: who (a rule and a key such as a user id or an address) at what rate.
#[derive(Debug, Clone, Copy)]
pub struct Window<'a> {
    pub rule: &'a str,
    pub key: &'a str,
    pub rate: Rate,
}

fn key_hash(rule: &str, key: &str, rate: Rate) -> u64 {
    let mut h = DefaultHasher::new();
    (rule, key, rate.period_secs).hash(&mut h);
    h.finish()
}

impl Local {
    fn now_nanos(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    /// Counts one action in every window when each has room, else counts nothing and says how
    /// long to wait for the window that is fullest.
    pub fn hit(&self, windows: &[Window<'_>]) -> Verdict {
        let now = self.now_nanos();
        let mut wait: u64 = 0;
        let cells: Vec<(u64, u64, u64)> = windows
            .iter()
            .filter(|w| !w.rate.is_off())
            .map(|w| {
                let period = u64::from(w.rate.period_secs) * 1_000_000_000;
                let interval = period / u64::from(w.rate.count.max(1));
                (key_hash(w.rule, w.key, w.rate), interval, period - interval)
            })
            .collect();
        for &(key, _, tolerance) in &cells {
            let tat = self.shard(key).tat.get(&key).copied().unwrap_or(0).max(now);
            // Room when the next arrival time stays within the burst tolerance.
            if tat - now > tolerance {
                wait = wait.max(tat - tolerance - now);
            }
        }
        if wait > 0 {
            let secs = wait.div_ceil(1_000_000_000).max(1);
            return Verdict::Limited {
                retry_after_secs: i64::try_from(secs).unwrap_or(i64::MAX),
            };
        }
        for &(key, interval, _) in &cells {
            let mut shard = self.shard(key);
            let tat = shard.tat.get(&key).copied().unwrap_or(0).max(now);
            shard.tat.insert(key, tat + interval);
            if shard.pruned.elapsed() > PRUNE_EVERY {
                shard.tat.retain(|_, t| *t > now);
                shard.pruned = Instant::now();
            }
        }
        Verdict::Allowed
    }

    fn shard(&self, key: u64) -> std::sync::MutexGuard<'_, Shard> {
        let m = &self.shards[(key % SHARDS as u64) as usize];
        // A panic elsewhere while holding the lock leaves plain numbers behind: keep using them.
        m.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_up_to_the_count_then_a_wait() {
        let l = Local::default();
        let w = |key| Window {
            rule: "q",
            key,
            rate: Rate::per_minute(3),
        };
        for _ in 0..3 {
            assert_eq!(l.hit(&[w("a")]), Verdict::Allowed);
        }
        match l.hit(&[w("a")]) {
            Verdict::Limited { retry_after_secs } => assert!((1..=20).contains(&retry_after_secs)),
            v => panic!("expected a limit, got {v:?}"),
        }
        // Another key has its own count.
        assert_eq!(l.hit(&[w("b")]), Verdict::Allowed);
    }

    #[test]
    fn all_windows_or_none() {
        let l = Local::default();
        let minute = Window {
            rule: "a",
            key: "u1",
            rate: Rate::per_minute(5),
        };
        let day = Window {
            rule: "a",
            key: "u1",
            rate: Rate::per_day(2),
        };
        assert_eq!(l.hit(&[minute, day]), Verdict::Allowed);
        assert_eq!(l.hit(&[minute, day]), Verdict::Allowed);
        // The day is full: refused, and the minute window is not charged for it.
        assert!(
            matches!(l.hit(&[minute, day]), Verdict::Limited { retry_after_secs } if retry_after_secs > 3600)
        );
        for _ in 0..3 {
            assert_eq!(l.hit(&[minute]), Verdict::Allowed);
        }
        assert!(matches!(l.hit(&[minute]), Verdict::Limited { .. }));
        assert_eq!(
            l.hit(&[Window {
                rate: Rate::OFF,
                ..minute
            }]),
            Verdict::Allowed
        );
    }
}
