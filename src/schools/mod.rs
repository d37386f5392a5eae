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
    cfg
        // Before `/schools/{id}`, which would take "apply" for an id.
        .service(
            web::resource("/schools/apply")
                .get(applications::handlers::form)
                .post(applications::handlers::submit),
        )
        .service(web::resource("/schools").get(public::list))
        .service(web::resource("/groups/{id}/apply").post(student::apply))
        .service(web::resource("/me/training").get(student::training))
        .service(web::resource("/school").get(dashboard::dashboard))
        .service(web::resource("/school/groups/new").get(groups::handlers::new_group))
        .service(web::resource("/school/groups").post(groups::handlers::create_group))
        .service(web::resource("/school/invitations").post(registry::invitations::invite))
        .service(
            web::resource("/invitations/accept")
                .get(registry::invitations::show)
                .post(registry::invitations::accept),
        )
        .service(
            web::resource("/school/groups/{id}")
                .get(group_page::group)
                .post(group_page::search_group),
        )
        .service(web::resource("/school/groups/{id}/teacher").post(theory_forms::assign_teacher))
        .service(web::resource("/school/groups/{id}/theory").post(theory_forms::record))
        .service(web::resource("/school/groups/{id}/roster.csv").get(groups::roster::roster_csv))
        .service(web::resource("/school/groups/{id}/add").post(groups::roster::add_student))
        .service(web::resource("/school/enrolments/{id}/withdraw").post(groups::roster::withdraw))
        .service(web::resource("/school/groups/{id}/transfer").post(groups::roster::transfer))
        .service(web::resource("/school/groups/{id}/status").post(groups::handlers::set_status))
        .service(web::resource("/school/enrolments/{id}/accept").post(groups::handlers::accept))
        .service(web::resource("/school/enrolments/{id}/reject").post(groups::handlers::reject))
        .service(web::resource("/admin/schools/new").get(registry::admin::new_school))
        .service(web::resource("/admin/schools/applications").get(applications::handlers::list))
        .service(web::resource("/admin/schools/{id}/approve").post(applications::handlers::approve))
        .service(web::resource("/admin/schools/{id}/reject").post(applications::handlers::reject))
        .service(
            web::resource("/school/branches")
                .get(registry::branches::list)
                .post(registry::branches::add),
        )
        .service(web::resource("/school/branches/{id}/delete").post(registry::branches::remove))
        .service(web::resource("/admin/schools").post(registry::admin::create_school))
        .service(web::resource("/admin/schools/{id}/staff").post(registry::admin::add_staff))
        .service(
            web::resource("/school/enrolments/{id}/complete").post(certificates::mark_completed),
        )
        .service(web::resource("/certificates/{id}").get(certificates::certificate));
    lessons::routes(cfg);
}
