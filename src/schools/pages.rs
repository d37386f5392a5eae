use askama::Template;
use askama_web::WebTemplate;

use super::groups::pages::{GroupLine, RosterLine};
use crate::web::PageCtx;
use crate::web::form::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "schools/dashboard.html")]
pub struct DashboardPage {
    pub ctx: PageCtx,
    pub school_name: String,
    pub manager: bool,
    pub instructor: bool,
    pub groups: Vec<GroupLine>,
    pub pager: crate::web::pager::Pager,
    /// The list's filters as asked (to keep them selected).
    pub status: String,
    pub category: String,
    pub categories: Vec<&'static str>,
    pub staff: Vec<(String, String)>,
    /// (status label, number of students)
    pub by_status: Vec<(String, i64)>,
    /// (when, instructor, vehicle, status label)
    pub upcoming: Vec<(String, String, String, String)>,
}

pub struct SessionLine {
    pub date: String,
    pub topic: String,
    pub minutes: i32,
    pub teacher: String,
    pub present: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/group.html")]
pub struct GroupPage {
    pub ctx: PageCtx,
    pub group: GroupLine,
    pub manager: bool,
    pub roster: Vec<RosterLine>,
    /// Groups a student of this one can be moved to: (id, "dates · language").
    pub transfer_targets: Vec<(String, String)>,
    /// The roster search as typed.
    pub search: String,
    pub teacher: Option<String>,
    /// (user id, name, chosen) of the staff who may teach theory.
    pub teacher_options: Vec<(String, String, bool)>,
    pub sessions: Vec<SessionLine>,
    pub may_record_theory: bool,
    /// The manager can move one of the accepted students to another group.
    pub may_transfer: bool,
    pub theory_form: super::theory::TheoryForm,
    pub theory_errors: FormErrors,
}

pub struct TrainingLine {
    pub school: String,
    pub school_id: String,
    pub category: String,
    pub dates: String,
    pub status_code: String,
    pub status: String,
    pub reason: Option<String>,
    pub certificate: Option<String>,
    /// Practice done / required, as "h:mm / h".
    pub progress: Option<String>,
    /// Theory attended / required, as "h:mm / h".
    pub theory: Option<String>,
    pub teacher: Option<String>,
    /// The instructors of the student's lessons at this school, comma-separated.
    pub instructors: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/training.html")]
pub struct TrainingPage {
    pub ctx: PageCtx,
    pub lines: Vec<TrainingLine>,
}
