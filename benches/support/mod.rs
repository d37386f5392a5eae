//! What the benchmarks share: a throwaway database, the portal's state for a loopback port, its
//! server, and reading a form's CSRF token. (Each bench uses part of it.)
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use actix_web::web;
use avtomektep::config::Config;
use avtomektep::crypto::KeyRing;
use avtomektep::db::DbPool;
use avtomektep::db::embedded::{Durability, EmbeddedPostgres};
use avtomektep::mail::Mailer;
use avtomektep::{AppState, app};
use diesel::Connection;

/// A free loopback port and the state of a portal served on it (mail goes to files under
/// `root`).
pub fn state(
    url: &str, root: &Path, keys: KeyRing, pool: DbPool,
) -> (TcpListener, web::Data<AppState>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = Config::for_tests(url.to_string());
    config.data_dir = root.join("data");
    config.base_url = format!("http://127.0.0.1:{port}");
    let state = web::Data::new(AppState {
        hashing: avtomektep::limits::Hashing::from_config(&config),
        pool,
        keys,
        mailer: Mailer::from_config(&config).unwrap(),
        config,
        clock: avtomektep::clock::Clock::system(),
    });
    (listener, state)
}

/// Starts serving (inside an actix system); returns the base address and the server's handle.
pub fn serve(
    state: web::Data<AppState>, listener: TcpListener, workers: usize,
) -> (String, ServerHandle) {
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = actix_web::HttpServer::new(move || app(state.clone()))
        .workers(workers)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (base, handle)
}

/// A throwaway PostgreSQL with the portal's migrations, in a fresh folder under the temp dir;
/// both go when it is dropped.
pub struct Scratch {
    pub root: PathBuf,
    pub url: String,
    postgres: Option<EmbeddedPostgres>,
}

impl Scratch {
    pub fn start(name: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!("avtomektep-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::set_permissions(&root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let postgres =
            EmbeddedPostgres::start(&root.join("pg"), Durability::Throwaway).expect("PostgreSQL");
        postgres.ensure_database("bench").unwrap();
        let url = postgres.url("bench");
        avtomektep::db::migrate(&mut diesel::PgConnection::establish(&url).unwrap()).unwrap();
        Scratch { root, url, postgres: Some(postgres) }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // The cluster stops before its folder goes.
        drop(self.postgres.take());
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The CSRF token of the first form on a page.
pub fn csrf_token(page: &str) -> String {
    let start = page.find("name=\"csrf_token\" value=\"").expect("a form") + 25;
    let end = start + page[start..].find('"').expect("the token's end");
    page[start..end].to_string()
}
