//! The privacy policy: versions stored in the database, shown in the reader's language.

pub mod document;
mod handlers;
pub mod model;
mod pages;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/privacy").get(handlers::current))
        .service(web::resource("/privacy/versions").get(handlers::versions))
        .service(web::resource("/privacy/versions/{number}").get(handlers::version));
}
