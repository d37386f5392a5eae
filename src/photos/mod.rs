//! Identification photos (policy §3, §4, §8): taken with the camera or chosen from the gallery
//! with the person's consent, processed only for identification and never published, sealed
//! at rest, shown only to the owner, their school's staff and the operator's reviewers, and
//! verified by staff.

mod handlers;
pub use handlers::private_image;
mod mails;
pub mod model;
mod pages;
pub mod store;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/me/photos", web::get().to(handlers::index))
        .route("/me/photos", web::post().to(handlers::upload))
        .route("/me/photos/consent", web::post().to(handlers::give_consent))
        .route("/me/photos/consent/withdraw", web::post().to(handlers::withdraw_consent))
        .route("/photos/review", web::get().to(handlers::review))
        .route("/photos/{id}/approve", web::post().to(handlers::approve))
        .route("/photos/{id}/reject", web::post().to(handlers::reject))
        .route("/photos/{id}/{variant}", web::get().to(handlers::view));
}
