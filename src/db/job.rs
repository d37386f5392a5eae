//! The database of an operator job (`migrate`, `user create`, `keys rotate`) run beside the
//! server: a configured server, or the embedded cluster — started for the job, or, when a
//! running Avtomektep holds it (two clusters on one data folder are refused), reached through
//! that server's socket.

use diesel::{Connection, PgConnection};

use super::{Database, EMBEDDED_DATABASE};
use crate::config::Config;

pub enum JobDatabase {
    Own(Database),
    Running(String),
}

impl JobDatabase {
    pub fn open(config: &Config) -> anyhow::Result<JobDatabase> {
        if config.database_url.is_none() {
            if let Some(url) = running_embedded_url(config) {
                tracing::info!("using the embedded PostgreSQL of the running server");
                return Ok(JobDatabase::Running(url));
            }
        }
        Ok(JobDatabase::Own(Database::open(config)?))
    }

    pub fn url(&self) -> &str {
        match self {
            JobDatabase::Own(database) => &database.url,
            JobDatabase::Running(url) => url,
        }
    }

    pub fn is_embedded(&self) -> bool {
        match self {
            JobDatabase::Own(database) => database.is_embedded(),
            JobDatabase::Running(_) => true,
        }
    }

    /// Stops the cluster when the job started it; a running server's stays up.
    pub fn close(self) {
        if let JobDatabase::Own(database) = self {
            database.close();
        }
    }
}

/// The embedded cluster's connection string when its server is running and answers; read from
/// `postmaster.pid` (line 4: port, line 5: socket directory).
fn running_embedded_url(config: &Config) -> Option<String> {
    let pid_file = config.data_dir.join("postgres/data/postmaster.pid");
    // No pid file: no server running (the job then starts the cluster, which says more if the
    // folder cannot be used).
    let text = std::fs::read_to_string(pid_file).ok()?;
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let (port, socket_dir) = (lines.get(3)?, lines.get(4)?);
    if socket_dir.is_empty() || port.parse::<u16>().is_err() {
        return None;
    }
    let host = socket_dir.replace('\\', "\\\\").replace('\'', "\\'");
    // `avtomektep` is the embedded cluster's superuser (see `embedded`).
    let url = format!("host='{host}' port={port} user=avtomektep dbname={EMBEDDED_DATABASE}");
    match PgConnection::establish(&url) {
        Ok(_) => Some(url),
        Err(e) => {
            // A stale pid file, or a server that is stopping: the job starts the cluster itself.
            tracing::warn!(error = %e, "the embedded PostgreSQL named by postmaster.pid does not answer");
            None
        }
    }
}
