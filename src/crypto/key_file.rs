//! The key file: reading it, and adding a key to it atomically (`keys rotate`).

use super::*;

pub(super) fn parse_key_file(text: &str) -> anyhow::Result<KeyFile> {
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
    let key_line = Zeroizing::new(format!("data-key {id} {}", B64.encode(random_key().as_slice())));
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
    let kept = old.data.keys.iter().all(|(id, key)| new.data.keys.get(id) == Some(key));
    if !added || new.data.current != id || !kept || new.index_key != old.index_key {
        bail!("the rotated key file does not read back as the old keys plus key {id}");
    }
    replace_file(path, dir, new_text.as_bytes())?;
    folder.sync_all().with_context(|| format!("syncing {}", dir.display()))?;
    Ok(id)
}

/// Writes `contents` to a temporary file beside `path` and renames it over `path`.
fn replace_file(path: &Path, dir: &Path, contents: &[u8]) -> anyhow::Result<()> {
    let meta = fs::metadata(path)?;
    let name = path.file_name().context("the key file path names no file")?.to_string_lossy();
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
        // The error returned is the one that matters; a temporary file left behind is named.
        if let Err(e) = fs::remove_file(&temp) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(path = %temp.display(), error = %e, "cannot remove the temporary key file");
            }
        }
    }
    renamed
}
