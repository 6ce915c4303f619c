//! The site settings every page shows, kept in memory: loaded at start, replaced when an admin
//! saves them through this node, and read again every few seconds so a change saved through
//! another node shows there too (like the page cache's lifetime).

use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::db::Db;
use crate::site::{self, SiteSettings};

/// How old the settings may get before they are read again.
const REFRESH: Duration = Duration::from_secs(10);

pub struct SiteState {
    current: RwLock<Arc<SiteSettings>>,
    /// When they were last read (one request re-reads; the others keep the current ones).
    read_at: Mutex<Instant>,
}

impl SiteState {
    pub fn load(db: &Db) -> SiteState {
        let settings = db.read_blocking(site::load).unwrap_or_else(|e| {
            tracing::warn!("site settings could not be read, using the defaults: {e}");
            SiteSettings::default()
        });
        SiteState {
            current: RwLock::new(Arc::new(settings)),
            read_at: Mutex::new(Instant::now()),
        }
    }

    /// The current settings (read again when older than `REFRESH`).
    pub fn get(&self, db: &Db) -> Arc<SiteSettings> {
        let stale = match self.read_at.try_lock() {
            Ok(mut at) if at.elapsed() > REFRESH => {
                *at = Instant::now();
                true
            }
            _ => false,
        };
        if stale {
            match db.read_blocking(site::load) {
                Ok(s) => self.set(s),
                Err(e) => tracing::warn!("site settings could not be read: {e}"),
            }
        }
        match self.current.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Settings just saved through this node.
    pub fn set(&self, settings: SiteSettings) {
        if let Ok(mut s) = self.current.write() {
            *s = Arc::new(settings);
        }
    }
}
