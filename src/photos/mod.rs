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
    cfg.service(web::resource("/me/photos").get(handlers::index).post(handlers::upload))
        .service(web::resource("/me/photos/consent").post(handlers::give_consent))
        .service(web::resource("/me/photos/consent/withdraw").post(handlers::withdraw_consent))
        .service(web::resource("/photos/review").get(handlers::review))
        .service(web::resource("/photos/{id}/approve").post(handlers::approve))
        .service(web::resource("/photos/{id}/reject").post(handlers::reject))
        .service(web::resource("/photos/{id}/{variant}").get(handlers::view));
}
