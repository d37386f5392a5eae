//! Moderation of what users publish (policy §4): reports from anyone who can see a review or a
//! ticket message, the moderators' queue of reported and held items, their decisions (hide,
//! delete, restore, publish a held review, keep), and restrictions on publishing. A review is
//! held when `domain::personal_data` finds personal data in it; the queue shows the kind found.
//!
//! Restrictions are imposed and lifted here but kept with the account
//! (`accounts::restrictions`), which the publishing areas ask; the stub of a deleted item is
//! `i18n::removed_text`; the shared rules partial is `templates/moderation/rules.html`.
//!
//! A restriction blocks writing and editing reviews and filing reports. Tickets stay open to a
//! restricted person: they can still reach a school or the operator, including with requests
//! about their personal data.

mod handlers;
mod mails;
pub mod model;
pub mod pages;
mod reports;
mod restrict;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/moderation").get(handlers::queue))
        .service(web::resource("/moderation/users/{id}/restrict").post(restrict::restrict))
        .service(web::resource("/moderation/users/{id}/lift").post(restrict::lift))
        // After the users' routes, which this pattern would also match.
        .service(web::resource("/moderation/{kind}/{id}/{action}").post(handlers::decision))
        .service(web::resource("/reports/new").get(reports::form))
        .service(web::resource("/reports").post(reports::submit));
}
