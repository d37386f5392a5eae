//! Key ring, key file and data key behaviour.

use super::*;

#[test]
fn sealed_values_open_only_in_their_place() {
    let ring = KeyRing::generate();
    let sealed = ring.seal_str("791028302728", "users.iin:42");
    assert!(!sealed.windows(12).any(|w| w == b"791028302728"), "no clear text inside");
    assert_eq!(ring.open_str(&sealed, "users.iin:42").unwrap(), "791028302728");
    assert_eq!(ring.open(&sealed, "users.iin:43"), Err(CryptoError::Tampered));
    let mut flipped = sealed.clone();
    *flipped.last_mut().unwrap() ^= 1;
    assert_eq!(ring.open(&flipped, "users.iin:42"), Err(CryptoError::Tampered));
    assert_eq!(ring.open(b"short", "users.iin:42"), Err(CryptoError::Malformed));
    assert_ne!(ring.seal_str("x", "p"), ring.seal_str("x", "p"), "random nonces");
}

#[test]
fn a_rotated_ring_still_opens_what_older_keys_sealed() {
    let old = KeyRing::generate();
    let sealed = old.seal_str("N1234567", "users.doc_number:1");
    let mut text = old.to_file_text();
    text.push_str(&format!("data-key 2 {}\n", B64.encode(random_key().as_slice())));
    let rotated = KeyRing::from_file_text(&text.replace("current 1", "current 2")).unwrap();
    assert_eq!(rotated.open_str(&sealed, "users.doc_number:1").unwrap(), "N1234567");
    let fresh = rotated.seal_str("N1234567", "users.doc_number:1");
    assert_eq!(u16::from_be_bytes([fresh[1], fresh[2]]), 2, "new data uses the current key");
    assert_eq!(old.open(&fresh, "users.doc_number:1"), Err(CryptoError::UnknownKey(2)));
}

#[test]
fn blind_indexes_are_stable_keyed_and_separated_by_kind() {
    let ring = KeyRing::generate();
    let a = ring.blind_index(IndexKind::Email, "a@mail.kz");
    assert_eq!(a, ring.blind_index(IndexKind::Email, "a@mail.kz"));
    assert_ne!(a, ring.blind_index(IndexKind::Phone, "a@mail.kz"));
    assert_ne!(a, KeyRing::generate().blind_index(IndexKind::Email, "a@mail.kz"));
}

#[test]
fn the_key_file_is_created_private_and_read_back() {
    let dir = std::env::temp_dir().join(format!("avtomektep-keys-{}", uuid::Uuid::new_v4()));
    let path = dir.join("keys");
    assert!(KeyRing::load(&path, false).is_err(), "never generated unless allowed");
    let created = KeyRing::load(&path, true).unwrap();
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
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
        ring.to_file_text().lines().filter(|l| !l.starts_with('#')).collect::<Vec<_>>().join(";"),
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
    assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
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
    assert_eq!(ring.reseal(&old, "p").unwrap().map(|s| KeyRing::sealed_key_id(&s)), Some(Some(2)));
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
    assert_eq!(KeyRing::generate().open(&theirs, "p"), Err(CryptoError::UnknownKey(5)));
    fs::remove_dir_all(dir).unwrap();
}

#[test]
fn adding_a_key_keeps_the_file_and_never_hands_out_an_id_twice() {
    let (dir, path, ring) = ring_on_disk();
    let text = format!("# issued by the operator\n{}", ring.to_file_text());
    fs::write(&path, &text).unwrap();
    let ids: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> =
            (0..4).map(|_| s.spawn(|| add_data_key_to_file(&path).unwrap())).collect();
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
    assert_eq!((read.key_ids(), read.current_key_id()), (vec![1, 2, 3, 4, 5], 5));
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
    assert_eq!(key.decrypt(&nonce, &sealed, "photo_objects:1:full").unwrap(), b"\xff\xd8\xffimage");
    assert_eq!(key.decrypt(&nonce, &sealed, "photo_objects:2:full"), Err(CryptoError::Tampered));
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
        unwrapped.decrypt(&nonce, &sealed, "photo_objects:1:full").unwrap(),
        b"\xff\xd8\xffimage"
    );
    assert!(matches!(DataKey::unwrap(&ring, &wrapped, "k:2"), Err(CryptoError::Tampered)));
    let not_a_key = ring.seal(b"short", "k:1");
    assert!(matches!(DataKey::unwrap(&ring, &not_a_key, "k:1"), Err(CryptoError::Malformed)));
}
