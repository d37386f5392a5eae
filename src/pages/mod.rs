//! The top storey: pages that gather several areas. `/me` shows the account and its verified
//! photo; a school's public page shows the school and its reviews.

mod me;
mod school;

use actix_web::web;

/// After the areas' routes: `/schools/{id}` would otherwise take `/schools/apply`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/me").get(me::profile))
        .service(web::resource("/schools/{id}").get(school::school));
}
