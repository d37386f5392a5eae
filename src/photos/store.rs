//! Encrypted storage of photo objects (policy §4, §8): envelope encryption in PostgreSQL.
//!
//! Every object (a photo's full image and its thumbnail) is encrypted with XChaCha20-Poly1305
//! under a data key of its own, drawn at random for that object, with a random 24-byte nonce
//! (the `nonce` column) and associated data naming its place (`photo_objects:<id>:<variant>`),
//! so a ciphertext moved to another row or variant does not open. The data key is stored
//! wrapped by the key ring (`wrapped_key`: `KeyRing::seal`, whose ciphertext names the master
//! key), bound to its place as well. Rotating the master key therefore re-wraps 32 bytes per
//! object ([`rotate`]) and never touches the images.
//!
//! Images are encrypted and decrypted in memory only: no plaintext goes to a file, temporary
//! or not; the ciphertext travels to PostgreSQL as bytea over the connection. Data keys are
//! wiped from memory when dropped (`crypto::DataKey`).

use anyhow::bail;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Bytea};
use uuid::Uuid;

use crate::crypto::{CryptoError, DataKey, KeyRing};
use crate::db::schema::{photo_objects, photos};

/// A photo to store: its owner, `kind` ("face" or "document"), size, and the processed images.
pub struct NewPhoto<'a> {
    pub owner_id: Uuid,
    pub kind: &'a str,
    pub width: i32,
    pub height: i32,
    pub full: &'a [u8],
    pub thumb: &'a [u8],
}

/// Which of a photo's two objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Full,
    Thumb,
}

impl Variant {
    pub const ALL: [Variant; 2] = [Variant::Full, Variant::Thumb];

    /// The `photo_objects.variant` value (also the URL segment).
    pub fn code(self) -> &'static str {
        match self {
            Variant::Full => "full",
            Variant::Thumb => "thumb",
        }
    }

    /// The variant a URL segment names, if any.
    pub fn parse(code: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.code() == code)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    /// The stored object does not open: a missing master key, or a damaged or moved row.
    #[error("photo object {photo_id} ({variant}) does not open: {source}")]
    Crypto {
        photo_id: Uuid,
        variant: &'static str,
        #[source]
        source: CryptoError,
    },
}

impl From<StoreError> for crate::error::AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Db(e) => e.into(),
            other => crate::error::AppError::internal(other),
        }
    }
}

/// Associated data of an object's image ciphertext.
fn object_place(photo_id: Uuid, variant: &str) -> String {
    format!("photo_objects:{photo_id}:{variant}")
}

/// Associated data of an object's wrapped data key.
fn key_place(photo_id: Uuid, variant: &str) -> String {
    format!("photo_objects.wrapped_key:{photo_id}:{variant}")
}

#[derive(Insertable)]
#[diesel(table_name = photo_objects)]
struct ObjectRow {
    photo_id: Uuid,
    variant: &'static str,
    wrapped_key: Vec<u8>,
    nonce: Vec<u8>,
    ciphertext: Vec<u8>,
}

fn seal_object(keys: &KeyRing, photo_id: Uuid, variant: Variant, image: &[u8]) -> ObjectRow {
    let data_key = DataKey::generate();
    let (nonce, ciphertext) = data_key.encrypt(image, &object_place(photo_id, variant.code()));
    ObjectRow {
        photo_id,
        variant: variant.code(),
        wrapped_key: data_key.wrap(keys, &key_place(photo_id, variant.code())),
        nonce: nonce.to_vec(),
        ciphertext,
    }
}

/// Stores a photo: its `photos` row and its two encrypted objects; returns the photo's id.
/// Atomic on its own, and part of the caller's transaction when there is one (a savepoint).
pub fn insert(conn: &mut PgConnection, keys: &KeyRing, photo: &NewPhoto) -> QueryResult<Uuid> {
    // Encrypt before touching the database, so the transaction stays short.
    let id = Uuid::new_v4();
    let objects = [
        seal_object(keys, id, Variant::Full, photo.full),
        seal_object(keys, id, Variant::Thumb, photo.thumb),
    ];
    conn.transaction(|conn| {
        diesel::insert_into(photos::table)
            .values((
                photos::id.eq(id),
                photos::owner_id.eq(photo.owner_id),
                photos::kind.eq(photo.kind),
                photos::width.eq(photo.width),
                photos::height.eq(photo.height),
            ))
            .execute(conn)?;
        diesel::insert_into(photo_objects::table).values(&objects[..]).execute(conn)?;
        Ok(id)
    })
}

/// One object of a photo, decrypted in memory; `None` when there is no such photo.
pub fn read(
    conn: &mut PgConnection, keys: &KeyRing, photo_id: Uuid, variant: Variant,
) -> Result<Option<Vec<u8>>, StoreError> {
    let row: Option<(Vec<u8>, Vec<u8>, Vec<u8>)> = photo_objects::table
        .find((photo_id, variant.code()))
        .select((photo_objects::wrapped_key, photo_objects::nonce, photo_objects::ciphertext))
        .first(conn)
        .optional()?;
    let Some((wrapped_key, nonce, ciphertext)) = row else {
        return Ok(None);
    };
    let crypto = |source| StoreError::Crypto { photo_id, variant: variant.code(), source };
    let data_key = DataKey::unwrap(keys, &wrapped_key, &key_place(photo_id, variant.code()))
        .map_err(crypto)?;
    data_key
        .decrypt(&nonce, &ciphertext, &object_place(photo_id, variant.code()))
        .map(Some)
        .map_err(crypto)
}

/// Deletes an owner's photos of these kinds; their objects go with them (ON DELETE CASCADE).
/// Returns how many photos were deleted.
pub fn delete_of_owner(
    conn: &mut PgConnection, owner_id: Uuid, kinds: &[&str],
) -> QueryResult<usize> {
    diesel::delete(photos::table)
        .filter(photos::owner_id.eq(owner_id))
        .filter(photos::kind.eq_any(kinds))
        .execute(conn)
}

/// Re-wraps, `batch` rows at a time, the data key of every object that is not under the key
/// ring's current key; returns how many were re-wrapped.
///
/// Safe while servers run: each row is updated only if its `wrapped_key` is still the one read
/// (a row changed or deleted meanwhile is left alone), the images are never rewritten, and the
/// rows are walked once in key order, so the run ends. Objects written meanwhile by a server
/// that still sealed with the previous key are caught by running it again. Objects that do not
/// open are skipped, logged by id, and reported as an error at the end.
pub fn rotate(conn: &mut PgConnection, keys: &KeyRing, batch: i64) -> anyhow::Result<usize> {
    if batch < 1 {
        bail!("the batch size must be at least 1");
    }
    let header = KeyRing::sealed_header(keys.current_key_id()).to_vec();
    let mut after: Option<(Uuid, String)> = None;
    let mut rewrapped = 0;
    let mut failed: Vec<(Uuid, String, CryptoError)> = Vec::new();
    loop {
        let mut query = photo_objects::table
            .select((photo_objects::photo_id, photo_objects::variant, photo_objects::wrapped_key))
            .filter(
                sql::<Bool>("substring(wrapped_key FROM 1 FOR 3) <> ").bind::<Bytea, _>(&header),
            )
            .order((photo_objects::photo_id, photo_objects::variant))
            .limit(batch)
            .into_boxed();
        if let Some((id, variant)) = &after {
            query = query.filter(photo_objects::photo_id.gt(*id).or(
                photo_objects::photo_id.eq(*id).and(photo_objects::variant.gt(variant.clone())),
            ));
        }
        let rows: Vec<(Uuid, String, Vec<u8>)> = query.load(conn)?;
        let Some((last_id, last_variant, _)) = rows.last() else {
            break;
        };
        after = Some((*last_id, last_variant.clone()));
        let mut updates = Vec::with_capacity(rows.len());
        for (photo_id, variant, old) in rows {
            match keys.reseal(&old, &key_place(photo_id, &variant)) {
                Ok(Some(new)) => updates.push((photo_id, variant, old, new)),
                Ok(None) => {}
                Err(e) => {
                    tracing::error!(photo = %photo_id, %variant, error = %e, "a photo data key does not open; not re-wrapped");
                    failed.push((photo_id, variant, e));
                }
            }
        }
        rewrapped += conn.transaction(|conn| {
            let mut done = 0;
            for (photo_id, variant, old, new) in &updates {
                done += diesel::update(
                    photo_objects::table
                        .find((photo_id, variant))
                        .filter(photo_objects::wrapped_key.eq(old)),
                )
                .set(photo_objects::wrapped_key.eq(new))
                .execute(conn)?;
            }
            QueryResult::Ok(done)
        })?;
        tracing::debug!(rewrapped, "re-wrapping photo data keys");
    }
    if let Some((photo_id, variant, e)) = failed.first() {
        bail!(
            "re-wrapped {rewrapped} photo data keys, but {} objects do not open and stay under \
             their old key (the first: photo {photo_id} {variant}: {e}); see the log",
            failed.len()
        );
    }
    Ok(rewrapped)
}
