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
    cfg.service(web::resource("/school/calendar").get(calendar::week))
        .service(web::resource("/school/lessons").get(handlers::instructor).post(handlers::publish))
        .service(web::resource("/school/lessons/{id}/record").post(handlers::record))
        .service(web::resource("/me/lessons").get(handlers::student))
        .service(web::resource("/lessons/{id}/book").post(handlers::book))
        .service(web::resource("/lessons/{id}/cancel").post(handlers::cancel))
        .service(web::resource("/lessons/{id}/checkin").post(handlers::check_in))
        .service(web::resource("/lessons/geolocation/consent").post(handlers::give_geo_consent))
        .service(
            web::resource("/lessons/geolocation/withdraw").post(handlers::withdraw_geo_consent),
        );
}
