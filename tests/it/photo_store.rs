//! Encrypted photo storage: envelope encryption in PostgreSQL, nothing in clear, objects bound
//! to their row, cascade on the owner's deletion, master-key rotation (`keys rotate`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use avtomektep::accounts::operator::create_account;
use avtomektep::crypto::{CryptoError, KeyRing};
use avtomektep::db::schema::{photo_objects, photos, users};
use avtomektep::photos::store::{self, NewPhoto, StoreError, Variant};
use diesel::prelude::*;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use uuid::Uuid;

use crate::accounts::PASSWORD;
use crate::support::TestApp;

const BINARY: &str = env!("CARGO_BIN_EXE_avtomektep");

/// Bytes that must never be found in the database in clear.
const MARKER: &[u8] = b"AVTOMEKTEP-CLEAR-IMAGE-BYTES";
const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = b"\x89PNG";

fn jpeg(n: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0];
    bytes.extend_from_slice(MARKER);
    bytes.extend_from_slice(&[n; 40]);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

fn png(n: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(MARKER);
    bytes.push(n);
    bytes
}

fn webp(n: u8) -> Vec<u8> {
    let mut bytes = b"RIFF\x20\0\0\0WEBPVP8 ".to_vec();
    bytes.extend_from_slice(MARKER);
    bytes.push(n);
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn owner(conn: &mut PgConnection, keys: &KeyRing, email: &str) -> Uuid {
    create_account(conn, keys, "student", email, "Тестов Тест", PASSWORD).unwrap()
}

/// Stores a photo (full: JPEG, thumbnail: PNG) and returns its id and images.
fn photo(
    conn: &mut PgConnection, keys: &KeyRing, owner_id: Uuid, kind: &str, n: u8,
) -> (Uuid, Vec<u8>, Vec<u8>) {
    let (full, thumb) = (jpeg(n), png(n));
    let id = store::insert(
        conn,
        keys,
        &NewPhoto { owner_id, kind, width: 1200, height: 1600, full: &full, thumb: &thumb },
    )
    .unwrap();
    (id, full, thumb)
}

/// An object's stored columns: wrapped key, nonce, ciphertext.
type Stored = (Vec<u8>, Vec<u8>, Vec<u8>);

fn object(conn: &mut PgConnection, id: Uuid, variant: &str) -> Stored {
    photo_objects::table
        .find((id, variant))
        .select((photo_objects::wrapped_key, photo_objects::nonce, photo_objects::ciphertext))
        .first(conn)
        .unwrap()
}

fn set_object(conn: &mut PgConnection, id: Uuid, variant: &str, row: &Stored) {
    diesel::update(photo_objects::table.find((id, variant)))
        .set((
            photo_objects::wrapped_key.eq(&row.0),
            photo_objects::nonce.eq(&row.1),
            photo_objects::ciphertext.eq(&row.2),
        ))
        .execute(conn)
        .unwrap();
}

fn crypto_error(result: Result<Option<Vec<u8>>, StoreError>) -> CryptoError {
    match result {
        Err(StoreError::Crypto { source, .. }) => source,
        other => panic!("expected a crypto error, got {other:?}"),
    }
}

/// Key id of every stored wrapped data key.
fn wrapping_key_ids(conn: &mut PgConnection) -> Vec<u16> {
    photo_objects::table
        .select(photo_objects::wrapped_key)
        .load::<Vec<u8>>(conn)
        .unwrap()
        .iter()
        .map(|w| KeyRing::sealed_key_id(w).expect("a sealed key"))
        .collect()
}

/// `old`'s keys plus a new current key 2, and a ring with only that new key.
fn rotated_rings(old: &KeyRing) -> (KeyRing, KeyRing) {
    let fresh = KeyRing::generate().to_file_text();
    let new_key = fresh
        .lines()
        .find(|l| l.starts_with("data-key 1 "))
        .unwrap()
        .replace("data-key 1 ", "data-key 2 ");
    let old_text = old.to_file_text();
    let index_key = old_text.lines().find(|l| l.starts_with("index-key ")).unwrap();
    let both = format!("{old_text}{new_key}\n").replace("\ncurrent 1\n", "\ncurrent 2\n");
    let only_new = format!("{new_key}\ncurrent 2\n{index_key}\n");
    (KeyRing::from_file_text(&both).unwrap(), KeyRing::from_file_text(&only_new).unwrap())
}

#[actix_web::test]
async fn photos_read_back_and_the_database_holds_no_image_in_clear() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.conn();
    let keys = app.keys();
    let user = owner(&mut conn, keys, "photo-owner@mail.kz");
    let (face, face_full, face_thumb) = photo(&mut conn, keys, user, "face", 1);
    let (doc_full, doc_thumb) = (jpeg(2), webp(2));
    let document = store::insert(
        &mut conn,
        keys,
        &NewPhoto {
            owner_id: user,
            kind: "document",
            width: 1600,
            height: 1000,
            full: &doc_full,
            thumb: &doc_thumb,
        },
    )
    .unwrap();

    for (id, variant, expected) in [
        (face, Variant::Full, &face_full),
        (face, Variant::Thumb, &face_thumb),
        (document, Variant::Full, &doc_full),
        (document, Variant::Thumb, &doc_thumb),
    ] {
        let read = store::read(&mut conn, keys, id, variant).unwrap();
        assert_eq!(read.as_ref(), Some(expected), "{id} {}", variant.code());
    }
    assert_eq!(store::read(&mut conn, keys, Uuid::new_v4(), Variant::Full).unwrap(), None);
    let (width, height, status): (i32, i32, String) = photos::table
        .find(document)
        .select((photos::width, photos::height, photos::status))
        .first(&mut conn)
        .unwrap();
    assert_eq!((width, height, status.as_str()), (1600, 1000, "pending"));

    let rows: Vec<(String, Stored)> = photo_objects::table
        .select((
            photo_objects::variant,
            (photo_objects::wrapped_key, photo_objects::nonce, photo_objects::ciphertext),
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(rows.len(), 4);
    let mut nonces = Vec::new();
    for (variant, (wrapped_key, nonce, ciphertext)) in &rows {
        assert_eq!(nonce.len(), 24);
        assert_eq!(KeyRing::sealed_key_id(wrapped_key), Some(1));
        for bytes in [wrapped_key, nonce, ciphertext] {
            for needle in [JPEG_MAGIC, PNG_MAGIC, b"WEBP", b"JFIF", MARKER] {
                assert!(!contains(bytes, needle), "{variant}: {needle:02x?} in clear");
            }
        }
        nonces.push(nonce.clone());
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 4, "a fresh nonce per object");
    // The same question asked of PostgreSQL itself, over every bytea column of the table.
    let in_clear: i64 = photo_objects::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
            "position('\\xffd8ff'::bytea IN ciphertext) > 0 \
             OR position('\\xffd8ff'::bytea IN wrapped_key) > 0 \
             OR position('\\xffd8ff'::bytea IN nonce) > 0 \
             OR position(convert_to('AVTOMEKTEP-CLEAR-IMAGE-BYTES', 'UTF8') IN ciphertext) > 0 \
             OR position(convert_to('WEBP', 'UTF8') IN ciphertext) > 0",
        ))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(in_clear, 0);
}

#[actix_web::test]
async fn a_moved_or_damaged_object_is_an_error_never_a_panic() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.conn();
    let keys = app.keys();
    let user = owner(&mut conn, keys, "moved@mail.kz");
    let (a, a_full, _) = photo(&mut conn, keys, user, "face", 1);
    let (b, _, _) = photo(&mut conn, keys, user, "document", 2);
    let (c, _, _) = photo(&mut conn, keys, user, "face", 3);
    let a_row = object(&mut conn, a, "full");

    // A's whole row (wrapped key, nonce, ciphertext) in B's place: the key no longer unwraps.
    set_object(&mut conn, b, "full", &a_row);
    assert_eq!(crypto_error(store::read(&mut conn, keys, b, Variant::Full)), CryptoError::Tampered);
    // A's image under B's own data key does not open either.
    let b_thumb = object(&mut conn, b, "thumb");
    set_object(&mut conn, b, "thumb", &(b_thumb.0.clone(), a_row.1.clone(), a_row.2.clone()));
    assert_eq!(
        crypto_error(store::read(&mut conn, keys, b, Variant::Thumb)),
        CryptoError::Tampered
    );
    // Nor does a photo's full image put in its own thumbnail's row.
    set_object(&mut conn, a, "thumb", &a_row);
    assert_eq!(
        crypto_error(store::read(&mut conn, keys, a, Variant::Thumb)),
        CryptoError::Tampered
    );
    assert_eq!(
        store::read(&mut conn, keys, a, Variant::Full).unwrap(),
        Some(a_full),
        "the original still opens"
    );

    // Damage of every kind: a flipped bit, a short nonce, a cut or foreign wrapped key.
    let c_row = object(&mut conn, c, "full");
    let mut flipped = c_row.clone();
    flipped.2[5] ^= 1;
    set_object(&mut conn, c, "full", &flipped);
    assert_eq!(crypto_error(store::read(&mut conn, keys, c, Variant::Full)), CryptoError::Tampered);
    let mut short_nonce = c_row.clone();
    short_nonce.1.truncate(12);
    set_object(&mut conn, c, "full", &short_nonce);
    assert_eq!(
        crypto_error(store::read(&mut conn, keys, c, Variant::Full)),
        CryptoError::Malformed
    );
    let mut cut = c_row.clone();
    cut.0.truncate(10);
    cut.2.clear();
    set_object(&mut conn, c, "full", &cut);
    assert_eq!(
        crypto_error(store::read(&mut conn, keys, c, Variant::Full)),
        CryptoError::Malformed
    );
    let mut foreign = c_row.clone();
    foreign.0[1..3].copy_from_slice(&9u16.to_be_bytes());
    set_object(&mut conn, c, "full", &foreign);
    assert_eq!(
        crypto_error(store::read(&mut conn, keys, c, Variant::Full)),
        CryptoError::UnknownKey(9)
    );
    let error = store::read(&mut conn, keys, c, Variant::Full).unwrap_err();
    assert!(error.to_string().contains(&c.to_string()), "{error}");
}

#[actix_web::test]
async fn deleting_the_owner_deletes_the_photos_and_their_objects() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.conn();
    let keys = app.keys();
    let leaving = owner(&mut conn, keys, "leaving@mail.kz");
    let staying = owner(&mut conn, keys, "staying@mail.kz");
    let (gone_face, _, _) = photo(&mut conn, keys, leaving, "face", 1);
    let (gone_doc, _, _) = photo(&mut conn, keys, leaving, "document", 2);
    let (kept, kept_full, _) = photo(&mut conn, keys, staying, "face", 3);
    let (kept_doc, _, _) = photo(&mut conn, keys, staying, "document", 4);

    // One statement: the user row; photos and objects follow by ON DELETE CASCADE.
    let deleted = diesel::delete(users::table.find(leaving)).execute(&mut conn).unwrap();
    assert_eq!(deleted, 1);
    let left: i64 =
        photos::table.filter(photos::owner_id.eq(leaving)).count().get_result(&mut conn).unwrap();
    assert_eq!(left, 0);
    let objects: i64 = photo_objects::table
        .filter(photo_objects::photo_id.eq_any([gone_face, gone_doc]))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(objects, 0);
    assert_eq!(store::read(&mut conn, keys, gone_face, Variant::Full).unwrap(), None);
    assert_eq!(store::read(&mut conn, keys, kept, Variant::Full).unwrap(), Some(kept_full));

    // `delete_of_owner`: one kind, then both.
    assert_eq!(store::delete_of_owner(&mut conn, staying, &["document"]).unwrap(), 1);
    assert_eq!(store::read(&mut conn, keys, kept_doc, Variant::Thumb).unwrap(), None);
    assert!(store::read(&mut conn, keys, kept, Variant::Thumb).unwrap().is_some());
    assert_eq!(store::delete_of_owner(&mut conn, staying, &["face", "document"]).unwrap(), 1);
    let all: i64 = photo_objects::table.count().get_result(&mut conn).unwrap();
    assert_eq!(all, 0);
}

#[actix_web::test]
async fn insert_is_atomic_and_joins_the_callers_transaction() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.conn();
    let keys = app.keys();
    let user = owner(&mut conn, keys, "atomic@mail.kz");
    let (full, thumb) = (jpeg(1), png(1));
    let new =
        |kind| NewPhoto { owner_id: user, kind, width: 10, height: 10, full: &full, thumb: &thumb };
    // Refused by the kind CHECK: nothing is left behind.
    assert!(store::insert(&mut conn, keys, &new("selfie")).is_err());
    // Rolled back with the caller's transaction.
    let rolled_back = conn.transaction(|conn| {
        store::insert(conn, keys, &new("face"))?;
        Err::<(), _>(diesel::result::Error::RollbackTransaction)
    });
    assert!(rolled_back.is_err());
    let (photos_count, objects_count): (i64, i64) = (
        photos::table.count().get_result(&mut conn).unwrap(),
        photo_objects::table.count().get_result(&mut conn).unwrap(),
    );
    assert_eq!((photos_count, objects_count), (0, 0));
}

#[actix_web::test]
async fn rotation_rewraps_every_data_key_once_and_the_new_key_alone_reads_them() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.conn();
    let old = app.keys();
    let user = owner(&mut conn, old, "rotate@mail.kz");
    let stored: Vec<(Uuid, Vec<u8>, Vec<u8>)> =
        (1..=3).map(|n| photo(&mut conn, old, user, "face", n)).collect();
    let ciphertexts_before: Vec<Vec<u8>> = photo_objects::table
        .order((photo_objects::photo_id, photo_objects::variant))
        .select(photo_objects::ciphertext)
        .load(&mut conn)
        .unwrap();
    let (rotated, only_new) = rotated_rings(old);

    assert_eq!(store::rotate(&mut conn, &rotated, 4).unwrap(), 6);
    assert_eq!(wrapping_key_ids(&mut conn), vec![2; 6]);
    assert_eq!(store::rotate(&mut conn, &rotated, 4).unwrap(), 0);
    let ciphertexts_after: Vec<Vec<u8>> = photo_objects::table
        .order((photo_objects::photo_id, photo_objects::variant))
        .select(photo_objects::ciphertext)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        ciphertexts_before, ciphertexts_after,
        "only the data keys are re-wrapped, the images are not re-encrypted"
    );
    for (id, full, thumb) in &stored {
        for ring in [&rotated, &only_new] {
            assert_eq!(
                store::read(&mut conn, ring, *id, Variant::Full).unwrap().as_ref(),
                Some(full)
            );
            assert_eq!(
                store::read(&mut conn, ring, *id, Variant::Thumb).unwrap().as_ref(),
                Some(thumb)
            );
        }
        assert_eq!(
            crypto_error(store::read(&mut conn, old, *id, Variant::Full)),
            CryptoError::UnknownKey(2),
            "the old ring does not have the new key"
        );
    }

    // A photo stored meanwhile by a server that still sealed with key 1 is caught by a second
    // run, and one that does not open is reported without stopping the others.
    let (late, late_full, _) = photo(&mut conn, old, user, "document", 4);
    let (broken, _, _) = photo(&mut conn, old, user, "document", 5);
    let mut row = object(&mut conn, broken, "thumb");
    *row.0.last_mut().unwrap() ^= 1;
    set_object(&mut conn, broken, "thumb", &row);
    let error = store::rotate(&mut conn, &rotated, 1).unwrap_err().to_string();
    assert!(error.contains("re-wrapped 3 photo data keys"), "{error}");
    assert!(error.contains("1 objects do not open"), "{error}");
    assert!(error.contains(&broken.to_string()), "{error}");
    assert_eq!(store::read(&mut conn, &only_new, late, Variant::Full).unwrap(), Some(late_full));
    assert!(store::rotate(&mut conn, &rotated, 0).is_err(), "batch >= 1");
}

/// A key file holding `keys`, mode 0600, in a folder of its own.
fn key_file(keys: &KeyRing) -> (PathBuf, PathBuf) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("keys-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("keys");
    std::fs::write(&path, keys.to_file_text()).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    (dir, path)
}

fn cli(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut command = Command::new(BINARY);
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("AVTOMEKTEP_KEYS")
        .env_remove("AVTOMEKTEP_KEY_FILE")
        .env("AVTOMEKTEP_DATA_DIR", dir)
        .args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[actix_web::test]
async fn keys_rotate_adds_a_current_key_to_the_file_and_rewraps_in_batches() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.conn();
    let keys = app.keys();
    let user = owner(&mut conn, keys, "cli@mail.kz");
    let (id, full, _) = photo(&mut conn, keys, user, "face", 1);
    photo(&mut conn, keys, user, "document", 2);
    let (dir, path) = key_file(keys);
    let file = path.to_str().unwrap();
    let url = app.db.url.as_str();

    let inline = keys.to_file_text().replace('\n', ";");
    let refused =
        cli(&dir, &[("DATABASE_URL", url), ("AVTOMEKTEP_KEYS", &inline)], &["keys", "rotate"]);
    assert!(!refused.status.success());
    let message = text(&refused);
    assert!(message.contains("AVTOMEKTEP_KEYS") && message.contains("--rewrap-only"), "{message}");
    assert!(message.contains("data-key 2"), "{message}");

    let rotated = cli(
        &dir,
        &[("DATABASE_URL", url), ("AVTOMEKTEP_KEY_FILE", file)],
        &["keys", "rotate", "--batch", "3"],
    );
    assert!(rotated.status.success(), "{}", text(&rotated));
    let out = String::from_utf8_lossy(&rotated.stdout);
    assert!(out.contains("data key 2 added"), "{out}");
    assert!(out.contains("re-wrapped 4 photo data keys under key 2"), "{out}");
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|name| name.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let from_file = KeyRing::load(&path, false).unwrap();
    assert_eq!((from_file.key_ids(), from_file.current_key_id()), (vec![1, 2], 2));
    assert_eq!(wrapping_key_ids(&mut conn), vec![2; 4]);
    assert_eq!(store::read(&mut conn, &from_file, id, Variant::Full).unwrap(), Some(full));
    // Unchanged: the blind indexes and everything sealed by key 1 still work.
    assert_eq!(from_file.derive("x"), keys.derive("x"));

    let again = cli(
        &dir,
        &[("DATABASE_URL", url), ("AVTOMEKTEP_KEY_FILE", file)],
        &["keys", "rotate", "--rewrap-only"],
    );
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        String::from_utf8_lossy(&again.stdout).contains("re-wrapped 0 photo data keys"),
        "{}",
        text(&again)
    );
    assert_eq!(KeyRing::load(&path, false).unwrap().key_ids(), vec![1, 2]);
    // With inline keys that already have the new key, re-wrapping alone is allowed.
    let inline = std::fs::read_to_string(&path).unwrap().replace('\n', ";");
    let inline_rewrap = cli(
        &dir,
        &[("DATABASE_URL", url), ("AVTOMEKTEP_KEYS", &inline)],
        &["keys", "rotate", "--rewrap-only"],
    );
    assert!(inline_rewrap.status.success(), "{}", text(&inline_rewrap));
    let _ = std::fs::remove_dir_all(dir);
}

fn ready(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = "GET /readyz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200")
}

/// The embedded database's connection string, read from `postmaster.pid` of a running server.
fn running_url(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("postgres/data/postmaster.pid")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    format!("host='{}' port={} user=avtomektep dbname=avtomektep", lines[4].trim(), lines[3].trim())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = kill(Pid::from_raw(self.0.id() as i32), Signal::SIGTERM);
        let _ = self.0.wait();
    }
}

#[test]
fn keys_rotate_and_user_create_work_beside_a_server_that_holds_the_embedded_database() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("rotate-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = dir.with_extension("log");
    let server = Server(
        Command::new(BINARY)
            .current_dir(&dir)
            .env_remove("DATABASE_URL")
            .env_remove("AVTOMEKTEP_KEYS")
            .env_remove("AVTOMEKTEP_KEY_FILE")
            .env("AVTOMEKTEP_DATA_DIR", &dir)
            .env("AVTOMEKTEP_DEMO", "0")
            .env("AVTOMEKTEP_BIND", format!("127.0.0.1:{port}"))
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(std::fs::File::create(dir.with_extension("err")).unwrap())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    while !ready(port) {
        assert!(
            Instant::now() < deadline,
            "not ready: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let keys = KeyRing::load(&dir.join("keys"), false).unwrap();
    let mut conn = PgConnection::establish(&running_url(&dir)).unwrap();
    let user = owner(&mut conn, &keys, "beside@mail.kz");
    let (id, _, thumb) = photo(&mut conn, &keys, user, "face", 7);

    let rotated = cli(&dir, &[], &["keys", "rotate"]);
    assert!(rotated.status.success(), "{}", text(&rotated));
    let out = String::from_utf8_lossy(&rotated.stdout);
    assert!(out.contains("re-wrapped 2 photo data keys under key 2"), "{out}");
    assert!(ready(port), "the server keeps serving");
    assert_eq!(wrapping_key_ids(&mut conn), vec![2, 2]);
    // A ring loaded before the rotation (like the server's) follows the file on its own.
    assert_eq!(store::read(&mut conn, &keys, id, Variant::Thumb).unwrap(), Some(thumb));
    assert_eq!(keys.current_key_id(), 2);

    // `user create` also works beside the running server, through its socket.
    let mut create = Command::new(BINARY)
        .current_dir(&dir)
        .env_remove("DATABASE_URL")
        .env_remove("AVTOMEKTEP_KEYS")
        .env_remove("AVTOMEKTEP_KEY_FILE")
        .env("AVTOMEKTEP_DATA_DIR", &dir)
        .args(["user", "create", "--role", "moderator", "--email"])
        .args(["moder@avtomektep.kz", "--name", "Модераторова Мадина"])
        .arg("--password-stdin")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = create.stdin.take().unwrap();
    stdin.write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    drop(stdin);
    let created = create.wait_with_output().unwrap();
    assert!(created.status.success(), "{}", text(&created));
    let moderators: i64 =
        users::table.filter(users::role.eq("moderator")).count().get_result(&mut conn).unwrap();
    assert_eq!(moderators, 1);
    assert!(ready(port), "the server keeps serving");
    drop(conn);
    drop(server);
    for leftover in [dir.with_extension("log"), dir.with_extension("err")] {
        let _ = std::fs::remove_file(leftover);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
