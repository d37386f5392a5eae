//! Starting and stopping the HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{HttpServer, web};
use anyhow::Context;
use futures_util::future::{Either, select};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::app;
use crate::config::TlsFiles;
use crate::state::AppState;

/// Serves `state` on `listener`, over TLS when `tls` is given. Signals are not handled here:
/// the caller decides (see `stop_on_signal`).
pub fn start(
    state: web::Data<AppState>, listener: TcpListener, tls: Option<rustls::ServerConfig>,
    workers: usize,
) -> std::io::Result<Server> {
    let server = HttpServer::new(move || app(state.clone()))
        .workers(workers)
        .shutdown_timeout(30)
        .disable_signals();
    let server = match tls {
        Some(tls) => server.listen_rustls_0_23(listener, tls)?,
        None => server.listen(listener)?,
    };
    Ok(server.run())
}

/// SIGTERM and Ctrl-C both stop gracefully: in-flight requests finish first.
pub fn stop_on_signal(server: &Server) {
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        use actix_web::rt::signal::{ctrl_c, unix};
        let Ok(mut term) = unix::signal(unix::SignalKind::terminate()) else {
            tracing::error!("cannot listen for SIGTERM");
            return;
        };
        let which = match select(Box::pin(ctrl_c()), Box::pin(term.recv())).await {
            Either::Left(_) => "SIGINT",
            Either::Right(_) => "SIGTERM",
        };
        tracing::info!(signal = which, "stopping: finishing requests in flight");
        handle.stop(true).await;
    });
}

pub fn load_tls(files: &TlsFiles) -> anyhow::Result<rustls::ServerConfig> {
    let certs = CertificateDer::pem_file_iter(&files.cert)
        .with_context(|| format!("reading {}", files.cert.display()))?
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("parsing {}", files.cert.display()))?;
    let key = PrivateKeyDer::from_pem_file(&files.key)
        .with_context(|| format!("reading {}", files.key.display()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .context("the TLS certificate and key do not match")?;
    Ok(config)
}
