//! Accounts and identity: registration, email verification, sign-in, sessions, consent,
//! guardians of minors, password reset.

pub mod consents;
pub mod device;
pub mod guardian;
pub mod mails;
mod me;
pub mod model;
pub mod operator;
pub mod pages;
mod password_change;
mod recovery;
mod register;
pub mod registration;
pub mod restrictions;
pub mod search;
mod sign_ins;
pub mod signed_in;
mod signin;
pub mod tokens;
mod verify;

use actix_web::web;

pub use verify::expired as link_expired;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(register::form))
        .route("/register", web::post().to(register::submit))
        .route("/login", web::get().to(signin::form))
        .route("/login", web::post().to(signin::submit))
        .route("/logout", web::post().to(signin::logout))
        .route("/verify-email", web::get().to(verify::show))
        .route("/verify-email", web::post().to(verify::confirm))
        .route("/guardian/confirm", web::get().to(guardian::show))
        .route("/guardian/confirm", web::post().to(guardian::confirm))
        .route("/password/forgot", web::get().to(recovery::forgot_form))
        .route("/password/forgot", web::post().to(recovery::forgot))
        .route("/password/reset", web::get().to(recovery::reset_form))
        .route("/password/reset", web::post().to(recovery::reset))
        .route("/me/verify-email/resend", web::post().to(me::resend_verification))
        .route("/me/password", web::get().to(password_change::form))
        .route("/me/password", web::post().to(password_change::change))
        .route("/me/sessions", web::get().to(me::sessions))
        .route("/me/sessions/others/revoke", web::post().to(me::revoke_others))
        .route("/me/sessions/{id}/revoke", web::post().to(me::revoke_one));
}
