//! Uploads waiting for their confirmation: kept in memory (Rocket state) under a random
//! token, for the editor who uploaded them only, for a limited time
//! (`import_pending_minutes`, 30 by default) and within a total size; the oldest give way
//! to a new upload when the total would be exceeded. Memory rather than files: an upload
//! may name persons, and nothing of it should outlive its purpose on disk; a restart
//! forgets the previews (the editor uploads again). Behind a load balancer the
//! confirmation must reach the instance that made the preview (sticky sessions), or the
//! editor is asked to upload again.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rand::RngCore;

use crate::import::{ImportFormat, NearMatches, MAX_BYTES};

/// All pending uploads together hold at most this many bytes (two of the largest files
/// and a half).
pub const MAX_TOTAL: usize = 2 * MAX_BYTES + MAX_BYTES / 2;

/// The default time an upload waits for its confirmation.
pub const DEFAULT_MINUTES: u64 = 30;

/// An uploaded file and the choices it was previewed with.
#[derive(Clone)]
pub struct Upload {
    pub user_id: String,
    pub file_name: String,
    pub format: ImportFormat,
    pub bytes: Arc<Vec<u8>>,
    pub source_id: Option<String>,
    pub near_matches: NearMatches,
}

struct Entry {
    upload: Upload,
    since: Instant,
}

pub struct Pending {
    entries: Mutex<HashMap<String, Entry>>,
    keep: Duration,
}

impl Pending {
    pub fn new(keep: Duration) -> Pending {
        Pending {
            entries: Mutex::new(HashMap::new()),
            keep,
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        match self.entries.lock() {
            Ok(map) => map,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Keeps `upload` and returns its new token.
    pub fn put(&self, upload: Upload) -> String {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        self.put_back(token.clone(), upload);
        token
    }

    /// Keeps `upload` under `token` (again), from now on.
    pub fn put_back(&self, token: String, upload: Upload) {
        let mut map = self.lock();
        map.retain(|_, e| e.since.elapsed() < self.keep);
        let size = upload.bytes.len();
        while !map.is_empty()
            && map.values().map(|e| e.upload.bytes.len()).sum::<usize>() + size > MAX_TOTAL
        {
            let oldest = map
                .iter()
                .min_by_key(|(_, e)| e.since)
                .map(|(t, _)| t.clone());
            if let Some(t) = oldest {
                map.remove(&t);
            }
        }
        map.insert(
            token,
            Entry {
                upload,
                since: Instant::now(),
            },
        );
    }

    /// Takes the upload of `token` out if it is still kept and was made by `user_id`
    /// (another editor's token is left alone and answered like an unknown one).
    pub fn take(&self, token: &str, user_id: &str) -> Option<Upload> {
        let mut map = self.lock();
        map.retain(|_, e| e.since.elapsed() < self.keep);
        match map.get(token) {
            Some(e) if e.upload.user_id == user_id => map.remove(token).map(|e| e.upload),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(user: &str, size: usize) -> Upload {
        Upload {
            user_id: user.into(),
            file_name: "f.csv".into(),
            format: ImportFormat::Csv,
            bytes: Arc::new(vec![0; size]),
            source_id: None,
            near_matches: NearMatches::Ask,
        }
    }

    #[test]
    fn only_the_uploader_takes_an_upload_and_only_once() {
        let p = Pending::new(Duration::from_secs(60));
        let t = p.put(upload("a", 10));
        assert_eq!(t.len(), 64);
        assert!(p.take(&t, "b").is_none(), "another editor's token");
        assert!(p.take(&t, "a").is_some());
        assert!(p.take(&t, "a").is_none(), "taken once");
    }

    #[test]
    fn uploads_expire() {
        let p = Pending::new(Duration::ZERO);
        let t = p.put(upload("a", 10));
        assert!(p.take(&t, "a").is_none());
    }

    #[test]
    fn the_oldest_give_way_when_the_total_is_exceeded() {
        let p = Pending::new(Duration::from_secs(60));
        let first = p.put(upload("a", MAX_BYTES));
        let second = p.put(upload("a", MAX_BYTES));
        let third = p.put(upload("a", MAX_BYTES));
        assert!(p.take(&first, "a").is_none(), "the oldest went");
        assert!(p.take(&second, "a").is_some() && p.take(&third, "a").is_some());
    }
}
