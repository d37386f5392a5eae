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

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

use anyhow::{Context, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const FORMAT: u8 = 1;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = 1 + 2 + NONCE_LEN;

pub struct KeyRing {
    data_keys: BTreeMap<u16, [u8; 32]>,
    current: u16,
    index_key: [u8; 32],
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "KeyRing {{ keys: {:?}, current: {} }}",
            self.data_keys.keys(),
            self.current
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

impl KeyRing {
    /// A fresh ring with one data key and an index key.
    pub fn generate() -> KeyRing {
        KeyRing {
            data_keys: BTreeMap::from([(1, random_key())]),
            current: 1,
            index_key: random_key(),
        }
    }

    /// Seals `plaintext` with the current key; `place` names where it is stored.
    pub fn seal(&self, plaintext: &[u8], place: &str) -> Vec<u8> {
        let cipher = XChaCha20Poly1305::new((&self.data_keys[&self.current]).into());
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
        out.push(FORMAT);
        out.extend_from_slice(&self.current.to_be_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    pub fn open(&self, sealed: &[u8], place: &str) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < HEADER_LEN + 16 || sealed[0] != FORMAT {
            return Err(CryptoError::Malformed);
        }
        let key_id = u16::from_be_bytes([sealed[1], sealed[2]]);
        let key = self
            .data_keys
            .get(&key_id)
            .ok_or(CryptoError::UnknownKey(key_id))?;
        let nonce = XNonce::from_slice(&sealed[3..HEADER_LEN]);
        XChaCha20Poly1305::new(key.into())
            .decrypt(
                nonce,
                Payload {
                    msg: &sealed[HEADER_LEN..],
                    aad: place.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Tampered)
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
            <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key length");
        mac.update(kind.label());
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// A key for another purpose (e.g. signing cookies), derived from the index key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.index_key).expect("any key length");
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
        for (id, key) in &self.data_keys {
            text.push_str(&format!("data-key {id} {}\n", B64.encode(key)));
        }
        text.push_str(&format!(
            "current {}\nindex-key {}\n",
            self.current,
            B64.encode(self.index_key)
        ));
        text
    }

    pub fn from_file_text(text: &str) -> anyhow::Result<KeyRing> {
        let mut data_keys = BTreeMap::new();
        let (mut current, mut index_key) = (None, None);
        for (n, line) in text.lines().enumerate().map(|(n, l)| (n + 1, l.trim())) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["data-key", id, key] => {
                    let id: u16 = id.parse().with_context(|| format!("line {n}: key id"))?;
                    data_keys.insert(id, decode_key(key).with_context(|| format!("line {n}"))?);
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
        if !data_keys.contains_key(&current) {
            bail!("the current key {current} has no `data-key` line");
        }
        Ok(KeyRing {
            data_keys,
            current,
            index_key: index_key.context("no `index-key` line")?,
        })
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
    pub fn load(path: &Path, may_create: bool) -> anyhow::Result<KeyRing> {
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

fn random_key() -> [u8; 32] {
    XChaCha20Poly1305::generate_key(&mut OsRng).into()
}

fn decode_key(text: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = B64.decode(text).context("key is not base64")?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("key is not 32 bytes"))
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
        text.push_str(&format!("data-key 2 {}\n", B64.encode(random_key())));
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
}
