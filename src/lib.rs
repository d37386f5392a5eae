//! Avtomektep: a driver-training portal for Kazakhstan.
//!
//! The ground floor (config, i18n, db, web, error, audit) serves the areas (home, privacy, …);
//! an area never reaches into another area's tables. `app` builds the actix application for
//! both the binary and the tests.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod db;
pub mod domain;
pub mod error;
pub mod health;
pub mod home;
pub mod i18n;
pub mod limits;
pub mod mail;
pub mod media;
pub mod moderation;
pub mod pages;
pub mod photos;
pub mod privacy;
pub mod reviews;
pub mod schools;
pub mod server;
pub mod state;
pub mod tickets;
pub mod web;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, Error};

pub use state::AppState;

/// The whole application: routes and the middleware stack.
///
/// A request passes (outermost first): request id → security headers → HEAD and OPTIONS →
/// compression → language → session → error pages (which also contain panics) → body
/// deadline → control characters refused → CSRF check → handler.
pub fn app(
    state: actix_web::web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let secure_cookies = state.config.base_url.starts_with("https://");
    let mut cookie_key = [0u8; 64];
    cookie_key[..32].copy_from_slice(&state.keys.derive("session-cookie-signing"));
    cookie_key[32..].copy_from_slice(&state.keys.derive("session-cookie-encryption"));
    let reader = web::auth::AccountReader(accounts::model::signed_in);
    let sessions = web::session::middleware(
        state.pool.clone(),
        state.clock.clone(),
        reader,
        &cookie_key,
        secure_cookies,
    );
    App::new()
        .app_data(state)
        .app_data(reader)
        .configure(routes)
        .default_service(actix_web::web::to(web::error_pages::not_found))
        .wrap(from_fn(web::csrf::middleware))
        .wrap(from_fn(web::input::middleware))
        .wrap(from_fn(web::body_deadline::middleware))
        .wrap(from_fn(web::error_pages::render))
        .wrap(sessions)
        .wrap(from_fn(web::lang::middleware))
        .wrap(Compress::default())
        .wrap(from_fn(web::methods::middleware))
        .wrap(from_fn(web::headers::middleware))
        .wrap(from_fn(web::request_id::middleware))
}

fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.route("/static/{name}", actix_web::web::get().to(web::assets::serve));
    health::routes(cfg);
    home::routes(cfg);
    accounts::routes(cfg);
    admin::routes(cfg);
    schools::routes(cfg);
    photos::routes(cfg);
    privacy::routes(cfg);
    moderation::routes(cfg);
    reviews::routes(cfg);
    tickets::routes(cfg);
    pages::routes(cfg);
}
