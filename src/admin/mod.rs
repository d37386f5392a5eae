//! `/admin`: administrators find accounts (by name, email, phone or IIN through the blind
//! indexes), see their status and sign-ins, block and unblock them, and record a guardian's
//! consent they verified in person.

mod handlers;
mod pages;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin").get(handlers::index))
        .service(web::resource("/admin/search").post(handlers::search))
        .service(web::resource("/admin/users/{id}").get(handlers::user))
        // One handler: the last segment says which.
        .service(
            web::resource("/admin/users/{id}/{action:block|unblock}").post(handlers::set_blocked),
        )
        .service(web::resource("/admin/users/{id}/guardian").post(handlers::guardian_verified));
}
