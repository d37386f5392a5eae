//! Driving schools: the public pages, staff work on groups and enrolments, practical lessons,
//! the student's view of their training, and administrators adding schools and their staff.

mod admin;
mod application_model;
mod applications;
mod branches;
mod completion;
mod dashboard;
pub mod demo;
mod group_page;
mod invitations;
pub mod lessons;
pub mod model;
mod moves;
mod pages;
mod public;
mod roster;
mod roster_model;
mod staff;
mod student;
mod theory;
/// Bulk seeding for the tests and benchmarks; not in the portal's build (feature `testing`).
#[cfg(any(test, feature = "testing"))]
pub mod volume;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Before `/schools/{id}`, which would take "apply" for an id.
    cfg.route("/schools/apply", web::get().to(applications::form))
        .route("/schools/apply", web::post().to(applications::submit))
        .route("/schools", web::get().to(public::list))
        .route("/schools/{id}", web::get().to(public::school))
        .route("/groups/{id}/apply", web::post().to(student::apply))
        .route("/me/training", web::get().to(student::training))
        .route("/school", web::get().to(dashboard::dashboard))
        .route("/school/groups/new", web::get().to(staff::new_group))
        .route("/school/groups", web::post().to(staff::create_group))
        .route("/school/invitations", web::post().to(invitations::invite))
        .route("/invitations/accept", web::get().to(invitations::show))
        .route("/invitations/accept", web::post().to(invitations::accept))
        .route("/school/groups/{id}", web::get().to(group_page::group))
        .route(
            "/school/groups/{id}",
            web::post().to(group_page::search_group),
        )
        .route(
            "/school/groups/{id}/teacher",
            web::post().to(theory::assign_teacher),
        )
        .route("/school/groups/{id}/theory", web::post().to(theory::record))
        .route(
            "/school/groups/{id}/roster.csv",
            web::get().to(roster::roster_csv),
        )
        .route(
            "/school/groups/{id}/add",
            web::post().to(roster::add_student),
        )
        .route(
            "/school/enrolments/{id}/withdraw",
            web::post().to(roster::withdraw),
        )
        .route(
            "/school/groups/{id}/transfer",
            web::post().to(roster::transfer),
        )
        .route(
            "/school/groups/{id}/status",
            web::post().to(staff::set_status),
        )
        .route(
            "/school/enrolments/{id}/accept",
            web::post().to(staff::accept),
        )
        .route(
            "/school/enrolments/{id}/reject",
            web::post().to(staff::reject),
        )
        .route("/admin/schools/new", web::get().to(admin::new_school))
        .route(
            "/admin/schools/applications",
            web::get().to(applications::list),
        )
        .route(
            "/admin/schools/{id}/approve",
            web::post().to(applications::approve),
        )
        .route(
            "/admin/schools/{id}/reject",
            web::post().to(applications::reject),
        )
        .route("/school/branches", web::get().to(branches::list))
        .route("/school/branches", web::post().to(branches::add))
        .route(
            "/school/branches/{id}/delete",
            web::post().to(branches::remove),
        )
        .route("/admin/schools", web::post().to(admin::create_school))
        .route(
            "/admin/schools/{id}/staff",
            web::post().to(admin::add_staff),
        );
    cfg.route(
        "/school/enrolments/{id}/complete",
        web::post().to(completion::mark_completed),
    )
    .route("/certificates/{id}", web::get().to(completion::certificate));
    lessons::routes(cfg);
}
