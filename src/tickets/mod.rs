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
    cfg
        // Before `/tickets/{id}`, which would take "new" for an id.
        .service(web::resource("/tickets/new").get(create::new_form).post(create::create))
        .service(web::resource("/tickets").get(list::list))
        .service(web::resource("/tickets/{id}").get(thread::show))
        .service(web::resource("/tickets/{id}/reply").post(thread::reply))
        .service(web::resource("/tickets/{id}/status").post(actions::set_status))
        .service(web::resource("/tickets/{id}/assign").post(actions::assign))
        .service(web::resource("/tickets/{id}/files/{photo}/{variant}").get(files::attachment));
}
