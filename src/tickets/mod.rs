//! Tickets: a private channel from a person to their driving school or to the operator.
//!
//! A signed-in person opens a ticket (category, subject, message, optionally an image through
//! the photos area's sealed pipeline) to a school where they applied, train or trained, or to
//! the operator. Staff of that side — the school's staff, or the operator's administrators and
//! moderators — answer, assign it among themselves and move it through new → in progress →
//! waiting for the user → resolved → closed; the author may close it, and reopen it (a Reopen
//! button, or simply replying) within 14 days of it being resolved or closed. Nobody else sees
//! it: any other person gets "not found". The other side is mailed on every message, in their
//! language, with personal data masked (`domain::personal_data`). A person sends at most 10 messages in 10
//! minutes. Every change is written to the audit trail.

mod actions;
mod create;
mod files;
mod form;
mod list;
mod mails;
pub mod model;
mod pages;
mod posting;
mod thread;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Before `/tickets/{id}`, which would take "new" for an id.
    cfg.route("/tickets/new", web::get().to(create::new_form))
        .route("/tickets/new", web::post().to(create::create))
        .route("/tickets", web::get().to(list::list))
        .route("/tickets/{id}", web::get().to(thread::show))
        .route("/tickets/{id}/reply", web::post().to(thread::reply))
        .route("/tickets/{id}/status", web::post().to(actions::set_status))
        .route("/tickets/{id}/assign", web::post().to(actions::assign))
        .route("/tickets/{id}/files/{photo}/{variant}", web::get().to(files::attachment));
}
