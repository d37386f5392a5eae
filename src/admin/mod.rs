//! `/admin`: administrators find accounts (by name, email, phone or IIN through the blind
//! indexes), see their status and sign-ins, block and unblock them, and record a guardian's
//! consent they verified in person.

mod handlers;
mod pages;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin", web::get().to(handlers::index))
        .route("/admin/search", web::post().to(handlers::search))
        .route("/admin/users/{id}", web::get().to(handlers::user))
        // One handler: the last segment says which.
        .route("/admin/users/{id}/{action:block|unblock}", web::post().to(handlers::set_blocked))
        .route("/admin/users/{id}/guardian", web::post().to(handlers::guardian_verified));
}
