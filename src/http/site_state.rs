//! The site settings every page shows, kept in memory: loaded at start, replaced when an admin
//! saves them through this node, and read again every few seconds so a change saved through
//! another node shows there too (like the page cache's lifetime). The re-read runs on a
//! thread of its own: a page never waits for it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::db::Db;
use crate::site::{self, SiteSettings};

/// How old the settings may get before they are read again.
const REFRESH: Duration = Duration::from_secs(10);

pub struct SiteState {
    current: Arc<RwLock<Arc<SiteSettings>>>,
    /// When they were last read.
    read_at: Mutex<Instant>,
    /// A re-read is under way (one at a time).
    reading: Arc<AtomicBool>,
}

impl SiteState {
    pub fn load(db: &Db) -> SiteState {
        let settings = db.read_blocking(site::load).unwrap_or_else(|e| {
            tracing::warn!("site settings could not be read, using the defaults: {e}");
            SiteSettings::default()
        });
        SiteState {
            current: Arc::new(RwLock::new(Arc::new(settings))),
            read_at: Mutex::new(Instant::now()),
            reading: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The current settings; when older than `REFRESH`, a background re-read starts (this
    /// request and those before it finishes see the current ones).
    pub fn get(&self, db: &Db) -> Arc<SiteSettings> {
        let stale = match self.read_at.try_lock() {
            Ok(mut at) if at.elapsed() > REFRESH => {
                *at = Instant::now();
                true
            }
            _ => false,
        };
        if stale && !self.reading.swap(true, Ordering::AcqRel) {
            let (db, current, reading) = (db.clone(), self.current.clone(), self.reading.clone());
            let spawned = std::thread::Builder::new()
                .name("site-settings".into())
                .spawn(move || {
                    match db.read_blocking(site::load) {
                        Ok(s) => store(&current, s),
                        Err(e) => tracing::warn!("site settings could not be read: {e}"),
                    }
                    reading.store(false, Ordering::Release);
                });
            if let Err(e) = spawned {
                tracing::warn!("site settings not re-read: {e}");
                self.reading.store(false, Ordering::Release);
            }
        }
        match self.current.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Settings just saved through this node.
    pub fn set(&self, settings: SiteSettings) {
        store(&self.current, settings);
    }
}

fn store(current: &RwLock<Arc<SiteSettings>>, settings: SiteSettings) {
    if let Ok(mut s) = current.write() {
        *s = Arc::new(settings);
    }
}
