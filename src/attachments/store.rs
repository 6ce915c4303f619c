//! Attachment bytes on local disk, named by content hash: `<dir>/ab/cd/<sha256>` and its
//! thumbnail beside it (`<sha256>.thumb.jpg`). Identical uploads share one file; a file is
//! written under a temporary name and renamed, so a reader never sees half of it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A file kept this recently is never removed: an upload of the same bytes may be about to
/// add its row (the row is written after the file).
const FRESH: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// Which of an upload's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Original,
    Thumbnail,
}

impl Store {
    /// The store in `root`; its folders are made as files arrive.
    pub fn new(root: &Path) -> Store {
        Store {
            root: root.to_path_buf(),
        }
    }

    /// Makes the folder now, so a start with a folder it cannot write to says so at once.
    pub fn create(&self) -> io::Result<()> {
        fs::create_dir_all(self.root.join("tmp"))
    }

    fn path(&self, sha256: &str, variant: Variant) -> Option<PathBuf> {
        // Only a hash is a name here: nothing a request says reaches the file system.
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let name = match variant {
            Variant::Original => sha256.to_string(),
            Variant::Thumbnail => format!("{sha256}.thumb.jpg"),
        };
        Some(self.root.join(&sha256[..2]).join(&sha256[2..4]).join(name))
    }

    /// Keeps `bytes` under `sha256` (no-op but a touch when already there).
    pub fn put(&self, sha256: &str, variant: Variant, bytes: &[u8]) -> io::Result<()> {
        let path = self
            .path(sha256, variant)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a sha256"))?;
        if let Ok(f) = fs::File::options().append(true).open(&path) {
            // Already there: mark it as just used, so a sweep leaves it alone.
            return f.set_modified(SystemTime::now());
        }
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        self.create()?;
        let tmp = self.root.join("tmp").join(format!(
            "{sha256}.{}.{}",
            std::process::id(),
            rand::random::<u64>()
        ));
        let result = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
            fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        result
    }

    /// The bytes kept under `sha256`.
    pub fn read(&self, sha256: &str, variant: Variant) -> io::Result<Vec<u8>> {
        match self.path(sha256, variant) {
            Some(p) => fs::read(p),
            None => Err(io::ErrorKind::NotFound.into()),
        }
    }

    /// Removes both files of `sha256` unless they were written or reused in the last hour.
    pub fn remove(&self, sha256: &str) -> io::Result<()> {
        for variant in [Variant::Original, Variant::Thumbnail] {
            let Some(path) = self.path(sha256, variant) else {
                continue;
            };
            let fresh = fs::metadata(&path)
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age < FRESH));
            if fresh {
                continue;
            }
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_read_share_and_refuse_non_hashes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let sha = "ab".repeat(32);
        store.put(&sha, Variant::Original, b"hello").unwrap();
        store.put(&sha, Variant::Original, b"hello").unwrap();
        store.put(&sha, Variant::Thumbnail, b"thumb").unwrap();
        assert_eq!(store.read(&sha, Variant::Original).unwrap(), b"hello");
        assert_eq!(store.read(&sha, Variant::Thumbnail).unwrap(), b"thumb");
        assert!(dir.path().join("ab/ab").join(&sha).exists());
        assert!(store.read("../../etc/passwd", Variant::Original).is_err());
        assert!(store.put("zz", Variant::Original, b"x").is_err());
        // Just written: a sweep keeps it.
        store.remove(&sha).unwrap();
        assert!(store.read(&sha, Variant::Original).is_ok());
        // An hour old: removed, both files.
        let old = SystemTime::now() - Duration::from_secs(7200);
        for v in [Variant::Original, Variant::Thumbnail] {
            let p = store.path(&sha, v).unwrap();
            fs::File::options()
                .append(true)
                .open(p)
                .unwrap()
                .set_modified(old)
                .unwrap();
        }
        store.remove(&sha).unwrap();
        assert!(store.read(&sha, Variant::Original).is_err());
        assert!(store.read(&sha, Variant::Thumbnail).is_err());
    }
}
