//! Following the key file while running: `keys rotate` adds a key and running servers pick it
//! up without a restart.

use super::*;

impl KeyRing {
    /// After `open` met `key_id`: re-reads the key file unless another thread just did (it
    /// waits for that one and looks again) or the last reload is younger than the reload gap.
    /// True when the ring now has the key.
    pub(super) fn reload_for(&self, key_id: u16) -> bool {
        let Some(source) = &self.source else {
            return false;
        };
        let mut source = lock(source);
        if self.data_keys().keys.contains_key(&key_id) {
            return true;
        }
        if source.last_reload.is_some_and(|at| at.elapsed() < source.reload_gap) {
            return false;
        }
        self.reload(&mut source);
        self.data_keys().keys.contains_key(&key_id)
    }

    /// Before `seal`: every `recheck_every`, one `stat` of the key file; re-read it when a
    /// rotation replaced it, so new values go under the new current key.
    pub(super) fn notice_rotation(&self) {
        let Some(source) = &self.source else {
            return;
        };
        let mut source = match source.try_lock() {
            Ok(source) => source,
            Err(TryLockError::Poisoned(e)) => e.into_inner(),
            // Another thread is looking already.
            Err(TryLockError::WouldBlock) => return,
        };
        if source.last_check.elapsed() < source.recheck_every {
            return;
        }
        source.last_check = Instant::now();
        match FileStamp::of(&source.path) {
            Ok(stamp) if Some(stamp) != source.stamp => self.reload(&mut source),
            Ok(_) => {}
            // The keys in memory still seal and open; a rotation is not seen until it is back.
            Err(e) => tracing::warn!(
                path = %source.path.display(),
                error = %e,
                "cannot check the key file for a rotation"
            ),
        }
    }

    /// Re-reads the key file into the ring: new keys are added and `current` follows the file.
    /// A file that cannot be read, or belongs to another ring, changes nothing (logged).
    fn reload(&self, source: &mut Source) {
        let now = Instant::now();
        source.last_reload = Some(now);
        source.last_check = now;
        // Read before the text: a rotation between the two is then seen by the next recheck.
        let stamp = FileStamp::of(&source.path).ok();
        let path = source.path.display().to_string();
        let file = match fs::read_to_string(&source.path)
            .map_err(anyhow::Error::from)
            .and_then(|text| parse_key_file(&text))
        {
            Ok(file) => file,
            Err(e) => {
                tracing::error!(%path, "cannot reload the key file, keeping the keys in memory: {e:#}");
                return;
            }
        };
        if file.index_key != self.index_key {
            tracing::error!(
                %path,
                "the key file now has another index key: not reloaded (that is another key ring; restart to use it)"
            );
            return;
        }
        let mut data = self.data.write().unwrap_or_else(|e| e.into_inner());
        if let Some(id) = file
            .data
            .keys
            .iter()
            .find(|(id, key)| data.keys.get(id).is_some_and(|known| known != *key))
            .map(|(id, _)| *id)
        {
            tracing::error!(
                %path,
                key_id = id,
                "the key file has other key material for a known key id: not reloaded"
            );
            return;
        }
        let added: Vec<u16> =
            file.data.keys.keys().filter(|id| !data.keys.contains_key(id)).copied().collect();
        let previous = data.current;
        data.keys.extend(file.data.keys);
        data.current = file.data.current;
        source.stamp = stamp;
        if !added.is_empty() || previous != data.current {
            tracing::info!(%path, ?added, current = data.current, "reloaded the key file");
        }
    }
}
