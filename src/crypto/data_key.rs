//! Per-object data keys for envelope encryption (photos).

use super::*;

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
            .encrypt(&nonce, Payload { msg: plaintext, aad: place.as_bytes() })
            .expect("XChaCha20-Poly1305 encryption does not fail for in-memory data");
        (nonce.into(), sealed)
    }

    pub fn decrypt(
        &self, nonce: &[u8], ciphertext: &[u8], place: &str,
    ) -> Result<Vec<u8>, CryptoError> {
        if nonce.len() != NONCE_LEN || ciphertext.len() < TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        XChaCha20Poly1305::new((&*self.0).into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: place.as_bytes() })
            .map_err(|_| CryptoError::Tampered)
    }
}
