//! What the HTTP benchmarks share: the portal's state for a loopback port, and its server.

use std::net::TcpListener;
use std::path::Path;

use actix_web::dev::ServerHandle;
use actix_web::web;
use avtomektep::config::Config;
use avtomektep::crypto::KeyRing;
use avtomektep::db::DbPool;
use avtomektep::mail::Mailer;
use avtomektep::{AppState, app};

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
