//! The privacy policy: versions stored in the database, shown in the reader's language.

pub mod document;
mod handlers;
pub mod model;
mod pages;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/privacy", web::get().to(handlers::current))
        .route("/privacy/versions", web::get().to(handlers::versions))
        .route("/privacy/versions/{number}", web::get().to(handlers::version));
}
