//! Page parts of groups and their rosters.

use askama::Template;
use askama_web::WebTemplate;

use crate::i18n::dates;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

pub struct GroupLine {
    pub id: String,
    pub category: String,
    pub language: String,
    pub dates: String,
    pub taken: i64,
    pub capacity: i32,
    pub status: String,
    pub status_code: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/group_new.html")]
pub struct NewGroupPage {
    pub ctx: PageCtx,
    pub categories: Vec<&'static str>,
    /// A refusal of the form as a whole (under `FORM`).
    pub errors: FormErrors,
    pub form: super::handlers::GroupForm,
}

pub struct RosterLine {
    pub id: String,
    pub name: String,
    pub status_code: String,
    pub status: String,
    pub applied: String,
    pub certificate: Option<String>,
    /// Theory attended in this group, "h:mm", and whole hours to offer at completion.
    pub theory: String,
    pub theory_hours: i64,
    /// Ticked in the theory class form.
    pub present: bool,
}

pub fn group_line(ctx: &PageCtx, group: &super::model::Group, taken: i64) -> GroupLine {
    GroupLine {
        id: group.id.to_string(),
        category: group.category.clone(),
        language: ctx.t(&format!("lang-name-{}", group.language)),
        dates: dates::span(group.starts_on, group.ends_on),
        taken,
        capacity: group.capacity,
        status: ctx.t(&format!("group-status-{}", group.status.as_str().replace('_', "-"))),
        status_code: group.status.as_str().to_owned(),
    }
}
