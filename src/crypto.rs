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
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

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
    fn of(path: &Path) -> Option<FileStamp> {
        let meta = fs::metadata(path).ok()?;
        Some(FileStamp {
            dev: meta.dev(),
            inode: meta.ino(),
            len: meta.len(),
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
        write!(
            f,
            "KeyRing {{ keys: {:?}, current: {} }}",
            data.keys.keys(),
            data.current
        )
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
}

impl IndexKind {
    fn label(self) -> &'static [u8] {
        match self {
            IndexKind::Iin => b"iin",
            IndexKind::Email => b"email",
            IndexKind::Phone => b"phone",
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
            data: DataKeys {
                keys: BTreeMap::from([(1, random_key())]),
                current: 1,
            },
            index_key: random_key(),
        })
    }

    fn in_memory(file: KeyFile) -> KeyRing {
        KeyRing {
            data: RwLock::new(file.data),
            index_key: file.index_key,
            source: None,
        }
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
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: place.as_bytes(),
                },
            )
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
            .decrypt(
                nonce,
                Payload {
                    msg: &sealed[HEADER_LEN..],
                    aad: place.as_bytes(),
                },
            )
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

    /// A key for another purpose (e.g. signing cookies), derived from the index key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&*self.index_key).expect("any key length");
        mac.update(b"derive\0");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
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
        config: &crate::config::Config,
        may_create: bool,
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
            stamp: FileStamp::of(path),
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

    /// After `open` met `key_id`: re-reads the key file unless another thread just did (it
    /// waits for that one and looks again) or the last reload is younger than the reload gap.
    /// True when the ring now has the key.
    fn reload_for(&self, key_id: u16) -> bool {
        let Some(source) = &self.source else {
            return false;
        };
        let mut source = lock(source);
        if self.data_keys().keys.contains_key(&key_id) {
            return true;
        }
        if source
            .last_reload
            .is_some_and(|at| at.elapsed() < source.reload_gap)
        {
            return false;
        }
        self.reload(&mut source);
        self.data_keys().keys.contains_key(&key_id)
    }

    /// Before `seal`: every `recheck_every`, one `stat` of the key file; re-read it when a
    /// rotation replaced it, so new values go under the new current key.
    fn notice_rotation(&self) {
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
        let stamp = FileStamp::of(&source.path);
        if stamp.is_some() && stamp != source.stamp {
            self.reload(&mut source);
        }
    }

    /// Re-reads the key file into the ring: new keys are added and `current` follows the file.
    /// A file that cannot be read, or belongs to another ring, changes nothing (logged).
    fn reload(&self, source: &mut Source) {
        let now = Instant::now();
        source.last_reload = Some(now);
        source.last_check = now;
        let stamp = FileStamp::of(&source.path);
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
        let added: Vec<u16> = file
            .data
            .keys
            .keys()
            .filter(|id| !data.keys.contains_key(id))
            .copied()
            .collect();
        let previous = data.current;
        data.keys.extend(file.data.keys);
        data.current = file.data.current;
        source.stamp = stamp;
        if !added.is_empty() || previous != data.current {
            tracing::info!(%path, ?added, current = data.current, "reloaded the key file");
        }
    }
}

fn parse_key_file(text: &str) -> anyhow::Result<KeyFile> {
    let mut keys = BTreeMap::new();
    let (mut current, mut index_key) = (None, None);
    for (n, line) in text.lines().enumerate().map(|(n, l)| (n + 1, l.trim())) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["data-key", id, key] => {
                let id: u16 = id.parse().with_context(|| format!("line {n}: key id"))?;
                keys.insert(id, decode_key(key).with_context(|| format!("line {n}"))?);
            }
            ["current", id] => {
                current = Some(id.parse::<u16>().with_context(|| format!("line {n}"))?)
            }
            ["index-key", key] => {
                index_key = Some(decode_key(key).with_context(|| format!("line {n}"))?)
            }
            _ => bail!("line {n} is not `data-key ID KEY`, `current ID` or `index-key KEY`"),
        }
    }
    let current = current.context("no `current` line")?;
    if !keys.contains_key(&current) {
        bail!("the current key {current} has no `data-key` line");
    }
    Ok(KeyFile {
        data: DataKeys { keys, current },
        index_key: index_key.context("no `index-key` line")?,
    })
}

/// Adds a new data key (id = highest + 1) to the key file and makes it current; returns its id.
///
/// The file is replaced atomically (a temporary file in the same folder, mode 0600 — plus group
/// read when the old file had it — with the old file's owner, fsync, rename, fsync of the
/// folder), under an exclusive lock on the folder so two rotations cannot both take the same id.
/// Other lines, comments included, stay as they were.
pub fn add_data_key_to_file(path: &Path) -> anyhow::Result<u16> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let folder = fs::File::open(dir).with_context(|| format!("opening {}", dir.display()))?;
    let folder = nix::fcntl::Flock::lock(folder, nix::fcntl::FlockArg::LockExclusive)
        .map_err(|(_, e)| e)
        .with_context(|| format!("locking {}", dir.display()))?;
    let text = Zeroizing::new(
        fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
    );
    let old = parse_key_file(&text).with_context(|| format!("reading {}", path.display()))?;
    let id = old
        .data
        .keys
        .keys()
        .max()
        .and_then(|max| max.checked_add(1))
        .context("no key id is left after 65535")?;
    let key_line = Zeroizing::new(format!(
        "data-key {id} {}",
        B64.encode(random_key().as_slice())
    ));
    let mut new_text = Zeroizing::new(String::with_capacity(text.len() + key_line.len() + 16));
    let mut added = false;
    for line in text.lines() {
        if line.split_whitespace().next() == Some("current") {
            if !added {
                new_text.push_str(&key_line);
                new_text.push('\n');
                added = true;
            }
            new_text.push_str(&format!("current {id}\n"));
        } else {
            new_text.push_str(line);
            new_text.push('\n');
        }
    }
    let new = parse_key_file(&new_text).context("the rotated key file does not read back")?;
    let kept = old
        .data
        .keys
        .iter()
        .all(|(id, key)| new.data.keys.get(id) == Some(key));
    if !added || new.data.current != id || !kept || new.index_key != old.index_key {
        bail!("the rotated key file does not read back as the old keys plus key {id}");
    }
    replace_file(path, dir, new_text.as_bytes())?;
    folder
        .sync_all()
        .with_context(|| format!("syncing {}", dir.display()))?;
    Ok(id)
}

/// Writes `contents` to a temporary file beside `path` and renames it over `path`.
fn replace_file(path: &Path, dir: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let meta = fs::metadata(path)?;
    let name = path
        .file_name()
        .context("the key file path names no file")?
        .to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written =
        (|| -> anyhow::Result<()> {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&temp)
                .with_context(|| format!("creating {}", temp.display()))?;
            // The server reading the file may run as its owner: keep owner and group (and group
            // read, if the operator gave it) rather than handing the file to whoever rotates.
            std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid())).with_context(|| {
            format!(
                "giving the new key file to the owner of {} (run the rotation as that user)",
                path.display()
            )
        })?;
            file.set_permissions(fs::Permissions::from_mode(0o600 | (meta.mode() & 0o040)))?;
            file.write_all(contents)?;
            file.sync_all()?;
            Ok(())
        })();
    let renamed = written.and_then(|()| {
        fs::rename(&temp, path)
            .with_context(|| format!("replacing {} with {}", path.display(), temp.display()))
    });
    if renamed.is_err() {
        let _ = fs::remove_file(&temp);
    }
    renamed
}

/// A data key of one stored object (envelope encryption): the object is sealed under it with
/// XChaCha20-Poly1305, and it is stored wrapped by the key ring. Wiped from memory when dropped.
pub struct DataKey(Secret);

impl DataKey {
    pub fn generate() -> DataKey {
        DataKey(random_key())
    }

    /// The key sealed by the ring's current key (the ciphertext names that key's id).
    pub fn wrap(&self, keys: &KeyRing, place: &str) -> Vec<u8> {
        keys.seal(&*self.0, place)
    }

    pub fn unwrap(keys: &KeyRing, wrapped: &[u8], place: &str) -> Result<DataKey, CryptoError> {
        let bytes = Zeroizing::new(keys.open(wrapped, place)?);
        if bytes.len() != 32 {
            return Err(CryptoError::Malformed);
        }
        let mut key = Zeroizing::new([0; 32]);
        key.copy_from_slice(&bytes);
        Ok(DataKey(key))
    }

    /// Encrypts with a fresh random nonce, binding the ciphertext to `place`: (nonce, ciphertext).
    pub fn encrypt(&self, plaintext: &[u8], place: &str) -> ([u8; NONCE_LEN], Vec<u8>) {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = XChaCha20Poly1305::new((&*self.0).into())
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: place.as_bytes(),
                },
            )
            .expect("XChaCha20-Poly1305 encryption does not fail for in-memory data");
        (nonce.into(), sealed)
    }

    pub fn decrypt(
        &self,
        nonce: &[u8],
        ciphertext: &[u8],
        place: &str,
    ) -> Result<Vec<u8>, CryptoError> {
        if nonce.len() != NONCE_LEN || ciphertext.len() < TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        XChaCha20Poly1305::new((&*self.0).into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)
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
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_in_their_place() {
        let ring = KeyRing::generate();
        let sealed = ring.seal_str("791028302728", "users.iin:42");
        assert!(
            !sealed.windows(12).any(|w| w == b"791028302728"),
            "no clear text inside"
        );
        assert_eq!(
            ring.open_str(&sealed, "users.iin:42").unwrap(),
            "791028302728"
        );
        assert_eq!(
            ring.open(&sealed, "users.iin:43"),
            Err(CryptoError::Tampered)
        );
        let mut flipped = sealed.clone();
        *flipped.last_mut().unwrap() ^= 1;
        assert_eq!(
            ring.open(&flipped, "users.iin:42"),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            ring.open(b"short", "users.iin:42"),
            Err(CryptoError::Malformed)
        );
        assert_ne!(
            ring.seal_str("x", "p"),
            ring.seal_str("x", "p"),
            "random nonces"
        );
    }

    #[test]
    fn a_rotated_ring_still_opens_what_older_keys_sealed() {
        let old = KeyRing::generate();
        let sealed = old.seal_str("N1234567", "users.doc_number:1");
        let mut text = old.to_file_text();
        text.push_str(&format!(
            "data-key 2 {}\n",
            B64.encode(random_key().as_slice())
        ));
        let rotated = KeyRing::from_file_text(&text.replace("current 1", "current 2")).unwrap();
        assert_eq!(
            rotated.open_str(&sealed, "users.doc_number:1").unwrap(),
            "N1234567"
        );
        let fresh = rotated.seal_str("N1234567", "users.doc_number:1");
        assert_eq!(
            u16::from_be_bytes([fresh[1], fresh[2]]),
            2,
            "new data uses the current key"
        );
        assert_eq!(
            old.open(&fresh, "users.doc_number:1"),
            Err(CryptoError::UnknownKey(2))
        );
    }

    #[test]
    fn blind_indexes_are_stable_keyed_and_separated_by_kind() {
        let ring = KeyRing::generate();
        let a = ring.blind_index(IndexKind::Email, "a@mail.kz");
        assert_eq!(a, ring.blind_index(IndexKind::Email, "a@mail.kz"));
        assert_ne!(a, ring.blind_index(IndexKind::Phone, "a@mail.kz"));
        assert_ne!(
            a,
            KeyRing::generate().blind_index(IndexKind::Email, "a@mail.kz")
        );
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("avtomektep-keys-{}", uuid::Uuid::new_v4()));
        let path = dir.join("keys");
        assert!(
            KeyRing::load(&path, false).is_err(),
            "never generated unless allowed"
        );
        let created = KeyRing::load(&path, true).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let read = KeyRing::load(&path, false).unwrap();
        let sealed = created.seal_str("x", "p");
        assert_eq!(read.open_str(&sealed, "p").unwrap(), "x");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn keys_can_come_from_the_environment() {
        let ring = KeyRing::generate();
        let mut config = crate::config::Config::for_tests("unused".into());
        config.keys_inline = Some(
            ring.to_file_text()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join(";"),
        );
        config.key_file = "/nonexistent/keys".into();
        let loaded = KeyRing::from_config(&config, false).unwrap();
        assert_eq!(loaded.open_str(&ring.seal_str("x", "p"), "p").unwrap(), "x");
    }

    #[test]
    fn broken_key_files_say_what_is_wrong() {
        let err = KeyRing::from_file_text("current 1\nindex-key AAAA\n").unwrap_err();
        assert!(format!("{err:#}").contains("line 2"), "{err:#}");
        let err = KeyRing::from_file_text("data-key 1 AAAA\n").unwrap_err();
        assert!(format!("{err:#}").contains("32 bytes"), "{err:#}");
    }

    /// A key file in a folder of its own, and a ring loaded from it.
    fn ring_on_disk() -> (PathBuf, PathBuf, KeyRing) {
        let dir = std::env::temp_dir().join(format!("avtomektep-keys-{}", uuid::Uuid::new_v4()));
        let path = dir.join("keys");
        let ring = KeyRing::load(&path, true).unwrap();
        (dir, path, ring)
    }

    fn set_timing(ring: &KeyRing, reload_gap: Duration, recheck_every: Duration) {
        let mut source = lock(ring.source.as_ref().unwrap());
        source.reload_gap = reload_gap;
        source.recheck_every = recheck_every;
    }

    #[test]
    fn the_ring_is_shared_by_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<KeyRing>();
    }

    #[test]
    fn a_running_ring_reloads_its_file_when_it_meets_an_unknown_key() {
        let (dir, path, ring) = ring_on_disk();
        let old = ring.seal_str("old", "p");
        assert_eq!(add_data_key_to_file(&path).unwrap(), 2);
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        // Another process (a rotation, another instance) reads the new file and seals with key 2.
        let other = KeyRing::load(&path, false).unwrap();
        let new = other.seal_str("new", "p");
        assert_eq!(KeyRing::sealed_key_id(&new), Some(2));

        assert_eq!(ring.current_key_id(), 1);
        assert_eq!(ring.open_str(&new, "p").unwrap(), "new", "reloaded");
        assert_eq!(ring.key_ids(), vec![1, 2]);
        assert_eq!(ring.current_key_id(), 2);
        assert_eq!(KeyRing::sealed_key_id(&ring.seal_str("x", "p")), Some(2));
        assert_eq!(ring.open_str(&old, "p").unwrap(), "old");
        assert_eq!(
            ring.reseal(&old, "p")
                .unwrap()
                .map(|s| KeyRing::sealed_key_id(&s)),
            Some(Some(2))
        );
        assert_eq!(ring.reseal(&new, "p").unwrap(), None, "already current");

        // At most one reload per gap: a key added right after is not seen yet...
        assert_eq!(add_data_key_to_file(&path).unwrap(), 3);
        let newer = KeyRing::load(&path, false).unwrap().seal_str("newer", "p");
        assert_eq!(ring.open(&newer, "p"), Err(CryptoError::UnknownKey(3)));
        // ...and is once the gap has passed.
        set_timing(&ring, Duration::ZERO, RECHECK_EVERY);
        assert_eq!(ring.open_str(&newer, "p").unwrap(), "newer");
        // A key that really is missing stays an error (the file was read again, no panic).
        let mut missing = newer.clone();
        missing[1..3].copy_from_slice(&77u16.to_be_bytes());
        assert_eq!(ring.open(&missing, "p"), Err(CryptoError::UnknownKey(77)));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn sealing_follows_a_rotation_after_the_recheck_interval() {
        let (dir, path, ring) = ring_on_disk();
        add_data_key_to_file(&path).unwrap();
        assert_eq!(
            KeyRing::sealed_key_id(&ring.seal(b"x", "p")),
            Some(1),
            "the file is looked at only every RECHECK_EVERY"
        );
        set_timing(&ring, RELOAD_GAP, Duration::ZERO);
        assert_eq!(KeyRing::sealed_key_id(&ring.seal(b"x", "p")), Some(2));
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_reload_never_takes_another_ring_nor_forgets_a_key() {
        let (dir, path, ring) = ring_on_disk();
        set_timing(&ring, Duration::ZERO, Duration::ZERO);
        let mine = ring.seal_str("mine", "p");
        // Another ring's file (another index key) in its place: refused, nothing changes.
        let stranger = KeyRing::from_file_text(
            &KeyRing::generate()
                .to_file_text()
                .replace("data-key 1", "data-key 5")
                .replace("current 1", "current 5"),
        )
        .unwrap();
        fs::write(&path, stranger.to_file_text()).unwrap();
        let theirs = stranger.seal_str("theirs", "p");
        assert_eq!(ring.open(&theirs, "p"), Err(CryptoError::UnknownKey(5)));
        assert_eq!((ring.key_ids(), ring.current_key_id()), (vec![1], 1));
        // A broken file: nothing changes either.
        fs::write(&path, "garbage\n").unwrap();
        assert_eq!(ring.open(&theirs, "p"), Err(CryptoError::UnknownKey(5)));
        assert_eq!(ring.open_str(&mine, "p").unwrap(), "mine");
        // A file without key 1 (retired by the operator): key 1 stays until a restart.
        let text = ring.to_file_text();
        let key_1 = text.lines().find(|l| l.starts_with("data-key 1 ")).unwrap();
        fs::write(&path, &text).unwrap();
        add_data_key_to_file(&path).unwrap();
        let without_1 = fs::read_to_string(&path).unwrap().replace(key_1, "");
        fs::write(&path, without_1).unwrap();
        assert_eq!(KeyRing::sealed_key_id(&ring.seal(b"x", "p")), Some(2));
        assert_eq!(ring.key_ids(), vec![1, 2]);
        assert_eq!(ring.open_str(&mine, "p").unwrap(), "mine");
        // A ring without a file (generated, or from AVTOMEKTEP_KEYS) has nothing to reload.
        assert_eq!(
            KeyRing::generate().open(&theirs, "p"),
            Err(CryptoError::UnknownKey(5))
        );
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn adding_a_key_keeps_the_file_and_never_hands_out_an_id_twice() {
        let (dir, path, ring) = ring_on_disk();
        let text = format!("# issued by the operator\n{}", ring.to_file_text());
        fs::write(&path, &text).unwrap();
        let ids: Vec<u16> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| s.spawn(|| add_data_key_to_file(&path).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, vec![2, 3, 4, 5]);
        let after = fs::read_to_string(&path).unwrap();
        assert!(after.starts_with("# issued by the operator\n"), "{after}");
        for line in text.lines().filter(|l| !l.starts_with("current")) {
            assert!(after.contains(line), "{line} is kept");
        }
        let read = KeyRing::load(&path, false).unwrap();
        assert_eq!(
            (read.key_ids(), read.current_key_id()),
            (vec![1, 2, 3, 4, 5], 5)
        );
        assert_eq!(read.derive("x"), ring.derive("x"), "same index key");
        let names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names, vec!["keys"], "no temporary file left");
        assert!(add_data_key_to_file(&dir.join("missing")).is_err());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn data_keys_seal_objects_bound_to_their_place() {
        let ring = KeyRing::generate();
        let key = DataKey::generate();
        let (nonce, sealed) = key.encrypt(b"\xff\xd8\xffimage", "photo_objects:1:full");
        assert!(!sealed.windows(3).any(|w| w == b"\xff\xd8\xff"));
        assert_eq!(
            key.decrypt(&nonce, &sealed, "photo_objects:1:full")
                .unwrap(),
            b"\xff\xd8\xffimage"
        );
        assert_eq!(
            key.decrypt(&nonce, &sealed, "photo_objects:2:full"),
            Err(CryptoError::Tampered)
        );
        assert_eq!(
            key.decrypt(&nonce[..12], &sealed, "photo_objects:1:full"),
            Err(CryptoError::Malformed)
        );
        assert_eq!(
            key.decrypt(&nonce, &sealed[..3], "photo_objects:1:full"),
            Err(CryptoError::Malformed)
        );
        let wrapped = key.wrap(&ring, "k:1");
        assert_eq!(wrapped.len(), HEADER_LEN + 32 + TAG_LEN);
        let unwrapped = DataKey::unwrap(&ring, &wrapped, "k:1").unwrap();
        assert_eq!(
            unwrapped
                .decrypt(&nonce, &sealed, "photo_objects:1:full")
                .unwrap(),
            b"\xff\xd8\xffimage"
        );
        assert!(matches!(
            DataKey::unwrap(&ring, &wrapped, "k:2"),
            Err(CryptoError::Tampered)
        ));
        let not_a_key = ring.seal(b"short", "k:1");
        assert!(matches!(
            DataKey::unwrap(&ring, &not_a_key, "k:1"),
            Err(CryptoError::Malformed)
        ));
    }
}
