//! Driving schools, as sub-areas that stand on each other in this order (the architecture test
//! holds it): `registry` (schools, branches, staff, invitations) → `applications` (a school
//! asks to be listed) → `groups` (groups, enrolment, rosters) → `theory` → `lessons` →
//! `certificates` → `public` (the list of schools). The files here gather them into the
//! staff's and the student's pages: the dashboard, a group's page with its theory forms, and
//! "my training".

pub mod applications;
pub mod certificates;
mod dashboard;
pub mod demo;
mod group_page;
pub mod groups;
pub mod lessons;
mod pages;
pub mod public;
pub mod registry;
mod student;
pub mod theory;
mod theory_forms;
/// Bulk seeding for the tests and benchmarks; not in the portal's build (feature `testing`).
#[cfg(any(test, feature = "testing"))]
pub mod volume;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Before `/schools/{id}`, which would take "apply" for an id.
    cfg.route("/schools/apply", web::get().to(applications::handlers::form))
        .route("/schools/apply", web::post().to(applications::handlers::submit))
        .route("/schools", web::get().to(public::list))
        .route("/groups/{id}/apply", web::post().to(student::apply))
        .route("/me/training", web::get().to(student::training))
        .route("/school", web::get().to(dashboard::dashboard))
        .route("/school/groups/new", web::get().to(groups::handlers::new_group))
        .route("/school/groups", web::post().to(groups::handlers::create_group))
        .route("/school/invitations", web::post().to(registry::invitations::invite))
        .route("/invitations/accept", web::get().to(registry::invitations::show))
        .route("/invitations/accept", web::post().to(registry::invitations::accept))
        .route("/school/groups/{id}", web::get().to(group_page::group))
        .route("/school/groups/{id}", web::post().to(group_page::search_group))
        .route("/school/groups/{id}/teacher", web::post().to(theory_forms::assign_teacher))
        .route("/school/groups/{id}/theory", web::post().to(theory_forms::record))
        .route("/school/groups/{id}/roster.csv", web::get().to(groups::roster::roster_csv))
        .route("/school/groups/{id}/add", web::post().to(groups::roster::add_student))
        .route("/school/enrolments/{id}/withdraw", web::post().to(groups::roster::withdraw))
        .route("/school/groups/{id}/transfer", web::post().to(groups::roster::transfer))
        .route("/school/groups/{id}/status", web::post().to(groups::handlers::set_status))
        .route("/school/enrolments/{id}/accept", web::post().to(groups::handlers::accept))
        .route("/school/enrolments/{id}/reject", web::post().to(groups::handlers::reject))
        .route("/admin/schools/new", web::get().to(registry::admin::new_school))
        .route("/admin/schools/applications", web::get().to(applications::handlers::list))
        .route("/admin/schools/{id}/approve", web::post().to(applications::handlers::approve))
        .route("/admin/schools/{id}/reject", web::post().to(applications::handlers::reject))
        .route("/school/branches", web::get().to(registry::branches::list))
        .route("/school/branches", web::post().to(registry::branches::add))
        .route("/school/branches/{id}/delete", web::post().to(registry::branches::remove))
        .route("/admin/schools", web::post().to(registry::admin::create_school))
        .route("/admin/schools/{id}/staff", web::post().to(registry::admin::add_staff));
    cfg.route("/school/enrolments/{id}/complete", web::post().to(certificates::mark_completed))
        .route("/certificates/{id}", web::get().to(certificates::certificate));
    lessons::routes(cfg);
}
