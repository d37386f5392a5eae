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
    cfg.service(web::resource("/register").get(register::form).post(register::submit))
        .service(web::resource("/login").get(signin::form).post(signin::submit))
        .service(web::resource("/logout").post(signin::logout))
        .service(web::resource("/verify-email").get(verify::show).post(verify::confirm))
        .service(web::resource("/guardian/confirm").get(guardian::show).post(guardian::confirm))
        .service(
            web::resource("/password/forgot").get(recovery::forgot_form).post(recovery::forgot),
        )
        .service(web::resource("/password/reset").get(recovery::reset_form).post(recovery::reset))
        .service(web::resource("/me/verify-email/resend").post(me::resend_verification))
        .service(
            web::resource("/me/password").get(password_change::form).post(password_change::change),
        )
        .service(web::resource("/me/sessions").get(me::sessions))
        .service(web::resource("/me/sessions/others/revoke").post(me::revoke_others))
        .service(web::resource("/me/sessions/{id}/revoke").post(me::revoke_one));
}
