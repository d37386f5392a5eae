//! Encryption of personal data at rest, and blind indexes for finding it.
//!
//! Sealed values are XChaCha20-Poly1305 with a random 24-byte nonce; every ciphertext starts
//! with a format byte and the id of the key that sealed it, so keys can be rotated and old
//! rows still opened. The associated data binds a ciphertext to its place (table, column,
//! row), so a value copied into another row or column does not open.
//!
//! Blind indexes are HMAC-SHA-256 of a normalised value under a separate key, with a domain
//! label, so equal IINs, emails or phones can be found and kept unique without storing them
//! in clear.
//!
//! Keys live in a key file (`AVTOMEKTEP_KEY_FILE`, default `$AVTOMEKTEP_DATA_DIR/keys`):
//! ```text
//! data-key 1 <base64 of 32 bytes>
//! current 1
//! index-key <base64 of 32 bytes>
//! ```
//!
//! Master-key rotation (`avtomektep keys rotate`, [`add_data_key_to_file`]) adds a data key and
//! makes it current while servers run. A ring read from a key file notices on its own: when
//! `open` meets a key id it does not know it re-reads the file (at most once per
//! [`RELOAD_GAP`]), and `seal` looks every [`RECHECK_EVERY`] whether the file was replaced, so
//! new values go under the new key without a restart. A running ring only ever learns keys and
//! follows the file's `current`; it never forgets a key before a restart, and it refuses a file
//! whose index key or key material differs from what it holds (that is another ring).
//!
//! Large objects (photos) use envelope encryption: each has its own random [`DataKey`], stored
//! wrapped by the ring, so a rotation re-wraps 32 bytes per object instead of the object.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock, TryLockError};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

mod data_key;
mod key_file;
pub mod random;
mod reload;

pub use data_key::DataKey;
pub use key_file::add_data_key_to_file;
use key_file::parse_key_file;

const FORMAT: u8 = 1;
pub const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 1 + 2 + NONCE_LEN;
const TAG_LEN: usize = 16;

/// A ring re-reads its key file for an unknown key id at most this often (no reload storm when
/// many requests meet a key that really is missing).
pub const RELOAD_GAP: Duration = Duration::from_secs(3);
/// How often `seal` checks (one `stat`) whether the key file was replaced by a rotation.
pub const RECHECK_EVERY: Duration = Duration::from_secs(30);

/// 32 secret bytes, wiped from memory when dropped.
type Secret = Zeroizing<[u8; 32]>;

/// The data keys by id and the one new values are sealed with; replaced together on a reload.
struct DataKeys {
    keys: BTreeMap<u16, Secret>,
    current: u16,
}

/// What a key file says.
struct KeyFile {
    data: DataKeys,
    index_key: Secret,
}

/// Where a ring came from, for reloading it after a rotation.
struct Source {
    path: PathBuf,
    /// The file as last read (inode, size, mtime): a rotation replaces it by a rename.
    stamp: Option<FileStamp>,
    last_reload: Option<Instant>,
    last_check: Instant,
    reload_gap: Duration,
    recheck_every: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    dev: u64,
    inode: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileStamp {
    fn of(path: &Path) -> std::io::Result<FileStamp> {
        let meta = fs::metadata(path)?;
        Ok(FileStamp {
            dev: meta.dev(),
            inode: meta.ino(),
            len: meta.len(),
            // Only where the file system keeps no mtime: inode and size still tell a rename.
            modified: meta.modified().ok(),
        })
    }
}

/// The key ring. `Send + Sync`: shared by every worker; the data keys sit behind a lock so a
/// rotation reaches a running server (see the module notes).
pub struct KeyRing {
    data: RwLock<DataKeys>,
    index_key: Secret,
    /// The key file, when the ring was read from one (not for `AVTOMEKTEP_KEYS` or `generate`).
    source: Option<Mutex<Source>>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let data = self.data_keys();
        write!(f, "KeyRing {{ keys: {:?}, current: {} }}", data.keys.keys(), data.current)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("ciphertext is malformed")]
    Malformed,
    #[error("ciphertext was sealed with key {0}, which is not in the key ring")]
    UnknownKey(u16),
    #[error("ciphertext does not open: wrong key, wrong place or tampered")]
    Tampered,
}

/// Which kind of value a blind index is for: equal values of different kinds never collide.
#[derive(Debug, Clone, Copy)]
pub enum IndexKind {
    Iin,
    Email,
    Phone,
    /// The subject of a rate limit (`limits`): an address, an account, a client.
    RateLimit,
}

impl IndexKind {
    fn label(self) -> &'static [u8] {
        match self {
            IndexKind::Iin => b"iin",
            IndexKind::Email => b"email",
            IndexKind::Phone => b"phone",
            IndexKind::RateLimit => b"rate-limit",
        }
    }
}

/// Locks a mutex even when a panicking thread poisoned it (the data stays consistent: every
/// critical section here only assigns whole values).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl KeyRing {
    /// A fresh ring with one data key and an index key.
    pub fn generate() -> KeyRing {
        KeyRing::in_memory(KeyFile {
            data: DataKeys { keys: BTreeMap::from([(1, random_key())]), current: 1 },
            index_key: random_key(),
        })
    }

    fn in_memory(file: KeyFile) -> KeyRing {
        KeyRing { data: RwLock::new(file.data), index_key: file.index_key, source: None }
    }

    fn data_keys(&self) -> std::sync::RwLockReadGuard<'_, DataKeys> {
        self.data.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The id of the key new values are sealed with.
    pub fn current_key_id(&self) -> u16 {
        self.data_keys().current
    }

    /// The ids of the data keys the ring holds.
    pub fn key_ids(&self) -> Vec<u16> {
        self.data_keys().keys.keys().copied().collect()
    }

    /// The first bytes of every value sealed with key `key_id` (format byte and key id), for
    /// finding in SQL the values a rotation still has to re-seal.
    pub fn sealed_header(key_id: u16) -> [u8; 3] {
        let [hi, lo] = key_id.to_be_bytes();
        [FORMAT, hi, lo]
    }

    /// The id of the key that sealed `sealed`, if it looks like a sealed value at all.
    pub fn sealed_key_id(sealed: &[u8]) -> Option<u16> {
        (sealed.len() >= HEADER_LEN + TAG_LEN && sealed[0] == FORMAT)
            .then(|| u16::from_be_bytes([sealed[1], sealed[2]]))
    }

    /// Seals `plaintext` with the current key; `place` names where it is stored.
    pub fn seal(&self, plaintext: &[u8], place: &str) -> Vec<u8> {
        self.notice_rotation();
        let (current, cipher) = {
            let data = self.data_keys();
            let key: &[u8; 32] = &data.keys[&data.current];
            (data.current, XChaCha20Poly1305::new(key.into()))
        };
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, Payload { msg: plaintext, aad: place.as_bytes() })
            .expect("XChaCha20-Poly1305 encryption does not fail for in-memory data");
        let mut out = Vec::with_capacity(HEADER_LEN + sealed.len());
        out.extend_from_slice(&KeyRing::sealed_header(current));
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a sealed value. A key id the ring does not know makes a ring read from a key file
    /// re-read it first (a rotation may have added the key since this process started).
    pub fn open(&self, sealed: &[u8], place: &str) -> Result<Vec<u8>, CryptoError> {
        let key_id = KeyRing::sealed_key_id(sealed).ok_or(CryptoError::Malformed)?;
        let cipher = match self.cipher(key_id) {
            Some(cipher) => cipher,
            None if self.reload_for(key_id) => {
                self.cipher(key_id).ok_or(CryptoError::UnknownKey(key_id))?
            }
            None => return Err(CryptoError::UnknownKey(key_id)),
        };
        let nonce = XNonce::from_slice(&sealed[3..HEADER_LEN]);
        cipher
            .decrypt(nonce, Payload { msg: &sealed[HEADER_LEN..], aad: place.as_bytes() })
            .map_err(|_| CryptoError::Tampered)
    }

    fn cipher(&self, key_id: u16) -> Option<XChaCha20Poly1305> {
        let data = self.data_keys();
        let key: &[u8; 32] = data.keys.get(&key_id)?;
        Some(XChaCha20Poly1305::new(key.into()))
    }

    /// Re-seals `sealed` under the current key; `None` when it already is.
    pub fn reseal(&self, sealed: &[u8], place: &str) -> Result<Option<Vec<u8>>, CryptoError> {
        if KeyRing::sealed_key_id(sealed) == Some(self.current_key_id()) {
            return Ok(None);
        }
        let plaintext = Zeroizing::new(self.open(sealed, place)?);
        Ok(Some(self.seal(&plaintext, place)))
    }

    pub fn seal_str(&self, text: &str, place: &str) -> Vec<u8> {
        self.seal(text.as_bytes(), place)
    }

    pub fn open_str(&self, sealed: &[u8], place: &str) -> Result<String, CryptoError> {
        String::from_utf8(self.open(sealed, place)?).map_err(|_| CryptoError::Malformed)
    }

    /// The blind index of an already normalised value (the domain types normalise).
    pub fn blind_index(&self, kind: IndexKind, normalised: &str) -> Vec<u8> {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&*self.index_key).expect("any key length");
        mac.update(kind.label());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// A key for another purpose (e.g. signing cookies), derived from the index key with
    /// HKDF-SHA-256; `purpose` is the info string, so each purpose gets an unrelated key.
    /// (Only cookie keys are derived, and nothing stored depends on them: changing the
    /// derivation signed everyone out once and left every row readable.)
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(b"avtomektep derive v2"), &*self.index_key)
            .expand(purpose.as_bytes(), &mut key)
            .expect("32 bytes is a valid HKDF-SHA-256 output length");
        key
    }

    /// The key file's text for this ring.
    pub fn to_file_text(&self) -> String {
        let mut text = String::from(
            "# Avtomektep encryption keys. Secret: mode 0600, backed up, never committed.\n\
             # Losing this file makes the encrypted personal data unreadable.\n",
        );
        let data = self.data_keys();
        for (id, key) in &data.keys {
            text.push_str(&format!("data-key {id} {}\n", B64.encode(key.as_slice())));
        }
        text.push_str(&format!(
            "current {}\nindex-key {}\n",
            data.current,
            B64.encode(self.index_key.as_slice())
        ));
        text
    }

    pub fn from_file_text(text: &str) -> anyhow::Result<KeyRing> {
        Ok(KeyRing::in_memory(parse_key_file(text)?))
    }

    /// The keys from `AVTOMEKTEP_KEYS` when set, else from the key file (created when allowed).
    pub fn from_config(
        config: &crate::config::Config, may_create: bool,
    ) -> anyhow::Result<KeyRing> {
        match &config.keys_inline {
            Some(text) => {
                KeyRing::from_file_text(&text.replace(';', "\n")).context("reading AVTOMEKTEP_KEYS")
            }
            None => KeyRing::load(&config.key_file, may_create),
        }
    }

    /// Reads the key file; creates it (mode 0600) when `may_create` and it does not exist.
    /// The ring remembers the file and follows its rotations (see the module notes).
    pub fn load(path: &Path, may_create: bool) -> anyhow::Result<KeyRing> {
        let mut ring = KeyRing::read_file(path, may_create)?;
        ring.source = Some(Mutex::new(Source {
            path: path.to_path_buf(),
            // Just read: a file gone meanwhile is noticed (and logged) by the next recheck.
            stamp: FileStamp::of(path).ok(),
            last_reload: None,
            last_check: Instant::now(),
            reload_gap: RELOAD_GAP,
            recheck_every: RECHECK_EVERY,
        }));
        Ok(ring)
    }

    fn read_file(path: &Path, may_create: bool) -> anyhow::Result<KeyRing> {
        match fs::read_to_string(path) {
            Ok(text) => {
                let mode = fs::metadata(path)?.permissions().mode();
                if mode & 0o077 != 0 {
                    tracing::warn!(path = %path.display(), "the key file is readable by others: chmod 600 it");
                }
                KeyRing::from_file_text(&text)
                    .with_context(|| format!("reading keys from {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
                let ring = KeyRing::generate();
                if let Some(dir) = path.parent() {
                    fs::create_dir_all(dir)?;
                }
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .with_context(|| format!("creating {}", path.display()))?;
                file.write_all(ring.to_file_text().as_bytes())?;
                file.sync_all()?;
                tracing::warn!(
                    path = %path.display(),
                    "generated development encryption keys; a production server sets AVTOMEKTEP_KEY_FILE"
                );
                Ok(ring)
            }
            Err(e) => Err(e).with_context(|| {
                format!(
                    "reading the key file {} (with DATABASE_URL the keys are never generated: \
                     create them once with `avtomektep keys generate` and keep them safe)",
                    path.display()
                )
            }),
        }
    }
}

fn random_key() -> Secret {
    let mut key = XChaCha20Poly1305::generate_key(&mut OsRng);
    let secret = Zeroizing::new(key.into());
    zeroize::Zeroize::zeroize(key.as_mut_slice());
    secret
}

fn decode_key(text: &str) -> anyhow::Result<Secret> {
    let bytes = Zeroizing::new(B64.decode(text).context("key is not base64")?);
    if bytes.len() != 32 {
        bail!("key is not 32 bytes");
    }
    let mut key = Zeroizing::new([0; 32]);
    key.copy_from_slice(&bytes);
    Ok(key)
}

#[cfg(test)]
mod tests;
