//! The embedded default database: a private PostgreSQL cluster under the data folder.
//!
//! The server listens only on a Unix socket in a directory of its own, so it never clashes with
//! a system PostgreSQL. It is started by a keeper thread that lives exactly as long as the
//! server process: the server gets `PR_SET_PDEATHSIG`, so even when this process is killed
//! outright the cluster shuts down instead of lingering.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use diesel::{Connection, PgConnection, RunQueryDsl};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid, User, chown};

/// The bootstrap superuser of the private cluster; also the owner of the app database.
const SUPERUSER: &str = "avtomektep";
/// Unix socket paths are limited to ~107 bytes; stay well below.
const MAX_SOCKET_PATH: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync on: the data must survive a power cut.
    Durable,
    /// fsync off: for throwaway test clusters.
    Throwaway,
}

pub struct EmbeddedPostgres {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    pid: Pid,
    exited: mpsc::Receiver<()>,
    keeper: Option<JoinHandle<()>>,
    stopped: bool,
}

struct RunAs {
    uid: Uid,
    gid: Gid,
    /// `Some` when we are root and must drop to the unprivileged account.
    switch: bool,
}

impl EmbeddedPostgres {
    /// Creates the cluster under `root` on first use, then starts it and waits until it answers.
    pub fn start(root: &Path, durability: Durability) -> anyhow::Result<EmbeddedPostgres> {
        let bin_dir = find_bin_dir()?;
        let run_as = run_as()?;
        fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
        let root = root.canonicalize()?;
        let data_dir = root.join("data");
        let log_file = root.join("postgres.log");
        let socket_dir = socket_dir_for(&root)?;
        for dir in [&root, &socket_dir] {
            make_private_dir(dir, &run_as)?;
        }
        check_reachable(&root, &run_as)?;

        if data_dir.join("PG_VERSION").exists() {
            tracing::info!(dir = %data_dir.display(), "reusing the embedded PostgreSQL cluster");
        } else {
            tracing::info!(dir = %data_dir.display(), "creating the embedded PostgreSQL cluster");
            make_private_dir(&data_dir, &run_as)?;
            initdb(&bin_dir, &data_dir, &log_file, &run_as, durability)?;
        }
        refuse_if_running(&data_dir)?;

        let mut command = Command::new(bin_dir.join("postgres"));
        command
            .arg("-D")
            .arg(&data_dir)
            .arg("-k")
            .arg(&socket_dir)
            .args(["-c", "listen_addresses=", "-c", "unix_socket_permissions=0700"])
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(Stdio::from(open_log(&log_file, &run_as)?))
            .stderr(Stdio::from(open_log(&log_file, &run_as)?))
            // Its own process group: Ctrl-C in a terminal reaches us, and we stop the cluster
            // after in-flight requests have finished rather than under their feet.
            .process_group(0);
        if durability == Durability::Throwaway {
            command.args(["-c", "fsync=off", "-c", "synchronous_commit=off"]);
            command.args(["-c", "full_page_writes=off", "-c", "max_connections=200"]);
        }
        if run_as.switch {
            command.uid(run_as.uid.as_raw()).gid(run_as.gid.as_raw());
        }
        // SAFETY: prctl is async-signal-safe and touches only the child's own state. It runs after
        // the uid switch (which would clear the setting), so the server dies with this process.
        #[allow(unsafe_code)]
        unsafe {
            command.pre_exec(|| {
                nix::sys::prctl::set_pdeathsig(Signal::SIGINT)?;
                Ok(())
            });
        }

        let (pid_tx, pid_rx) = mpsc::channel();
        let (exit_tx, exited) = mpsc::channel();
        // PR_SET_PDEATHSIG fires when the *thread* that spawned the child ends, so a dedicated
        // thread spawns it and then waits for it for as long as it runs.
        let keeper = std::thread::Builder::new()
            .name("embedded-postgres".into())
            // A send fails only when the receiving side is gone (the start gave up, or the
            // handle was dropped): then nobody is waiting to hear.
            .spawn(move || match command.spawn() {
                Ok(mut child) => {
                    let _ = pid_tx.send(Ok(child.id()));
                    if let Err(e) = child.wait() {
                        tracing::warn!(error = %e, "cannot wait for embedded PostgreSQL");
                    }
                    let _ = exit_tx.send(());
                }
                Err(e) => {
                    let _ = pid_tx.send(Err(e));
                }
            })?;
        let pid = pid_rx
            .recv()
            .context("the embedded PostgreSQL keeper thread ended")?
            .context("starting postgres")?;
        let mut server = EmbeddedPostgres {
            data_dir,
            socket_dir,
            pid: Pid::from_raw(pid as i32),
            exited,
            keeper: Some(keeper),
            stopped: false,
        };
        server.wait_until_ready(&log_file)?;
        Ok(server)
    }

    /// A libpq connection string for `database` on this cluster.
    pub fn url(&self, database: &str) -> String {
        let host = self.socket_dir.display().to_string().replace('\\', "\\\\").replace('\'', "\\'");
        format!("host='{host}' user={SUPERUSER} dbname={database}")
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Creates `database` unless it exists.
    pub fn ensure_database(&self, database: &str) -> anyhow::Result<()> {
        #[derive(diesel::QueryableByName)]
        struct Found {
            #[diesel(sql_type = diesel::sql_types::Integer)]
            #[allow(dead_code)]
            one: i32,
        }
        let mut conn = PgConnection::establish(&self.url("postgres"))?;
        let found: Vec<Found> =
            diesel::sql_query("SELECT 1 AS one FROM pg_database WHERE datname = $1")
                .bind::<diesel::sql_types::Text, _>(database)
                .load(&mut conn)?;
        if found.is_empty() {
            diesel::sql_query(format!("CREATE DATABASE \"{}\"", database.replace('"', "")))
                .execute(&mut conn)?;
            tracing::info!(database, "created the database");
        }
        Ok(())
    }

    fn wait_until_ready(&mut self, log_file: &Path) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if self.exited.try_recv().is_ok() {
                self.stopped = true;
                bail!(
                    "the embedded PostgreSQL server stopped during start-up:\n{}",
                    log_tail(log_file)
                );
            }
            if PgConnection::establish(&self.url("postgres")).is_ok() {
                tracing::info!(socket = %self.socket_dir.display(), "embedded PostgreSQL is ready");
                return Ok(());
            }
            if Instant::now() > deadline {
                self.stop();
                bail!(
                    "the embedded PostgreSQL server did not answer within 60 s:\n{}",
                    log_tail(log_file)
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Fast shutdown: open sessions are ended, data is checkpointed, the server exits.
    pub fn stop(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        // ESRCH: it has exited already, which the wait below then sees.
        if let Err(e) = kill(self.pid, Signal::SIGINT) {
            tracing::debug!(error = %e, "signalling embedded PostgreSQL to stop");
        }
        if self.exited.recv_timeout(Duration::from_secs(60)).is_err() {
            tracing::warn!("embedded PostgreSQL did not stop in 60 s; sending SIGQUIT");
            if let Err(e) = kill(self.pid, Signal::SIGQUIT) {
                tracing::warn!(error = %e, "cannot send SIGQUIT to embedded PostgreSQL");
            }
            if self.exited.recv_timeout(Duration::from_secs(10)).is_err() {
                tracing::error!("embedded PostgreSQL did not stop after SIGQUIT either");
            }
        }
        if let Some(keeper) = self.keeper.take() {
            if keeper.join().is_err() {
                tracing::error!("the embedded PostgreSQL keeper thread panicked");
            }
        }
        tracing::info!("embedded PostgreSQL stopped");
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Where the server binaries are: PATH, then `pg_config --bindir`, then Debian's layout.
pub fn find_bin_dir() -> anyhow::Result<PathBuf> {
    let has_server = |dir: &Path| dir.join("postgres").is_file() && dir.join("initdb").is_file();
    let from_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let mut debian: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .map(|rd| rd.flatten().map(|e| e.path().join("bin")).collect())
        .unwrap_or_default();
    // Newest major version first.
    debian.sort_by_key(|p| {
        let major = p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str());
        std::cmp::Reverse(major.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0))
    });
    from_path.into_iter().chain(from_pg_config).chain(debian).find(|dir| has_server(dir)).context(
        "PostgreSQL server programs (initdb, postgres) were not found on PATH, via pg_config \
             or under /usr/lib/postgresql. Install the server package (Debian/Ubuntu: \
             `sudo apt-get install postgresql`), or set DATABASE_URL to use an existing server.",
    )
}

fn run_as() -> anyhow::Result<RunAs> {
    if !Uid::effective().is_root() {
        return Ok(RunAs { uid: Uid::effective(), gid: Gid::effective(), switch: false });
    }
    // initdb and postgres refuse to run as root.
    let user = User::from_name("postgres")?.context(
        "running as root, the embedded PostgreSQL needs the unprivileged `postgres` system \
         account (created by the postgresql package); or run as a normal user",
    )?;
    Ok(RunAs { uid: user.uid, gid: user.gid, switch: true })
}

fn socket_dir_for(root: &Path) -> anyhow::Result<PathBuf> {
    let local = root.join("run");
    if local.as_os_str().len() + "/.s.PGSQL.5432".len() < MAX_SOCKET_PATH {
        return Ok(local);
    }
    // Too long for a socket address: use a short private directory named after the cluster.
    use sha2::Digest;
    let hash = sha2::Sha256::digest(root.as_os_str().as_encoded_bytes());
    let name: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
    Ok(std::env::temp_dir().join(format!("avtomektep-pg-{name}")))
}

fn make_private_dir(dir: &Path, run_as: &RunAs) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    if run_as.switch {
        chown(dir, Some(run_as.uid), Some(run_as.gid))
            .with_context(|| format!("handing {} to the postgres account", dir.display()))?;
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
    Ok(())
}

/// When we switch to `postgres`, every ancestor of the cluster must be searchable by it.
fn check_reachable(root: &Path, run_as: &RunAs) -> anyhow::Result<()> {
    if !run_as.switch {
        return Ok(());
    }
    use std::os::unix::fs::MetadataExt;
    for dir in root.ancestors().skip(1) {
        let meta = fs::metadata(dir)?;
        if meta.uid() != run_as.uid.as_raw() && meta.mode() & 0o001 == 0 {
            bail!(
                "the postgres account cannot reach {} (no search permission on {}): set \
                 AVTOMEKTEP_DATA_DIR to a folder outside it, or `chmod o+x` that folder",
                root.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

fn initdb(
    bin_dir: &Path, data_dir: &Path, log_file: &Path, run_as: &RunAs, durability: Durability,
) -> anyhow::Result<()> {
    let mut command = Command::new(bin_dir.join("initdb"));
    command
        .arg("-D")
        .arg(data_dir)
        .args(["-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C"])
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::from(open_log(log_file, run_as)?))
        .stderr(Stdio::from(open_log(log_file, run_as)?));
    if durability == Durability::Throwaway {
        command.arg("--no-sync");
    }
    if run_as.switch {
        command.uid(run_as.uid.as_raw()).gid(run_as.gid.as_raw());
    }
    let status = command.status().context("running initdb")?;
    if !status.success() {
        // Leave no half-made cluster behind: the next start must not mistake it for a good one.
        if let Err(e) = fs::remove_dir_all(data_dir) {
            tracing::error!(path = %data_dir.display(), error = %e, "cannot remove the half-made cluster: remove it by hand");
        }
        bail!("initdb failed:\n{}", log_tail(log_file));
    }
    Ok(())
}

/// Two servers on one data folder would corrupt it; postgres refuses too, but less clearly.
fn refuse_if_running(data_dir: &Path) -> anyhow::Result<()> {
    // No readable pid file: nothing to check here, and postgres still refuses a live server.
    let Ok(text) = fs::read_to_string(data_dir.join("postmaster.pid")) else {
        return Ok(());
    };
    let Some(pid) = text.lines().next().and_then(|l| l.trim().parse::<i32>().ok()) else {
        return Ok(());
    };
    if pid > 0 && kill(Pid::from_raw(pid), None).is_ok() {
        let comm = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        if comm.trim() == "postgres" {
            bail!(
                "another PostgreSQL server (pid {pid}) is already using {}: is another \
                 Avtomektep running with the same AVTOMEKTEP_DATA_DIR?",
                data_dir.display()
            );
        }
    }
    Ok(())
}

fn open_log(path: &Path, run_as: &RunAs) -> anyhow::Result<fs::File> {
    let file = fs::OpenOptions::new().create(true).append(true).open(path)?;
    if run_as.switch {
        chown(path, Some(run_as.uid), Some(run_as.gid))?;
    }
    Ok(file)
}

fn log_tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
