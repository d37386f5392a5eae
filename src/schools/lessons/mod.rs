//! Practical lessons: instructors publish slots, students of the school book and cancel, and
//! after the lesson the instructor records it; held lessons count as practice hours.

mod calendar;
mod handlers;
pub mod model;
mod pages;
pub mod position;

use actix_web::web;

pub use model::practice_minutes;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/school/calendar", web::get().to(calendar::week))
        .route("/school/lessons", web::get().to(handlers::instructor))
        .route("/school/lessons", web::post().to(handlers::publish))
        .route("/school/lessons/{id}/record", web::post().to(handlers::record))
        .route("/me/lessons", web::get().to(handlers::student))
        .route("/lessons/{id}/book", web::post().to(handlers::book))
        .route("/lessons/{id}/cancel", web::post().to(handlers::cancel))
        .route("/lessons/{id}/checkin", web::post().to(handlers::check_in))
        .route("/lessons/geolocation/consent", web::post().to(handlers::give_geo_consent))
        .route("/lessons/geolocation/withdraw", web::post().to(handlers::withdraw_geo_consent));
}
