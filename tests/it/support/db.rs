//! Per-test databases cloned from a migrated template.
//!
//! Without `DATABASE_URL` the harness starts its own throwaway cluster with the same embedded
//! launcher as `cargo run`, under `target/tmp`; it dies with the test process (the launcher
//! arranges that), and leftovers of earlier runs are removed on the next start.
//! With `DATABASE_URL` (a URL whose user may create databases) the same happens on that server.

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use avtomektep::db::{self, embedded::Durability, embedded::EmbeddedPostgres};
use diesel::{Connection, PgConnection, RunQueryDsl};

const TEMPLATE: &str = "avtomektep_test_template";

struct Cluster {
    /// Connection string for a database name.
    url_for: Box<dyn Fn(&str) -> String + Send + Sync>,
    /// Kept (never dropped) so the cluster lives as long as the test process.
    _embedded: Mutex<Option<EmbeddedPostgres>>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();

fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        let cluster = match std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(url) => external(url),
            None => embedded(),
        };
        let mut admin = PgConnection::establish(&(cluster.url_for)("postgres"))
            .expect("connecting to the test server's postgres database");
        exec(&mut admin, &format!("DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"));
        exec(&mut admin, &format!("CREATE DATABASE {TEMPLATE}"));
        let mut conn = PgConnection::establish(&(cluster.url_for)(TEMPLATE)).expect("template");
        db::migrate(&mut conn).expect("migrating the template database");
        // CREATE DATABASE … TEMPLATE needs the template to have no open connections.
        drop(conn);
        cluster
    })
}

fn embedded() -> Cluster {
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    remove_leftovers(&base);
    let root = base.join(format!("pg-{}", std::process::id()));
    let server = EmbeddedPostgres::start(&root, Durability::Throwaway)
        .unwrap_or_else(|e| panic!("starting the test PostgreSQL cluster: {e:#}"));
    let template_url = server.url("DBNAME");
    Cluster {
        url_for: Box::new(move |name| template_url.replace("DBNAME", name)),
        _embedded: Mutex::new(Some(server)),
    }
}

fn external(url: String) -> Cluster {
    let parsed = url::Url::parse(&url).expect("DATABASE_URL must be a postgres:// URL for tests");
    Cluster {
        url_for: Box::new(move |name| {
            let mut u = parsed.clone();
            u.set_path(name);
            u.to_string()
        }),
        _embedded: Mutex::new(None),
    }
}

/// Clusters of earlier test runs whose process is gone.
fn remove_leftovers(base: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name.strip_prefix("pg-").and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if !PathBuf::from(format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn exec(conn: &mut PgConnection, sql: &str) {
    diesel::sql_query(sql).execute(conn).unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// A fresh, migrated database of its own; dropped when the value is.
pub struct TestDb {
    pub name: String,
    pub url: String,
}

impl TestDb {
    pub fn new() -> TestDb {
        let cluster = cluster();
        let name = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = PgConnection::establish(&(cluster.url_for)("postgres")).expect("admin");
        exec(&mut admin, &format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"));
        TestDb { url: (cluster.url_for)(&name), name }
    }

    pub fn conn(&self) -> PgConnection {
        PgConnection::establish(&self.url).expect("connecting to the test database")
    }

    /// Drops the database now (open connections are cut), as if the server had gone away.
    pub fn drop_now(&self) {
        let mut admin = PgConnection::establish(&(cluster().url_for)("postgres")).expect("admin");
        exec(&mut admin, &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&(cluster().url_for)("postgres")) {
            let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
            let _ = diesel::sql_query(sql).execute(&mut admin);
        }
    }
}
