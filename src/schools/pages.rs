use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;

pub struct SchoolLine {
    pub id: String,
    pub name: String,
    pub city: String,
    pub address: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub schools: Vec<SchoolLine>,
}

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
#[template(path = "schools/school.html")]
pub struct SchoolPage {
    pub ctx: PageCtx,
    pub school: SchoolLine,
    pub licence: String,
    pub bin: String,
    pub contacts: Vec<String>,
    pub categories: Vec<String>,
    /// (city, address) of each branch.
    pub branches: Vec<(String, String)>,
    pub groups: Vec<GroupLine>,
    /// Whether the visitor may apply (a verified student); otherwise why not, as a message.
    pub can_apply: bool,
    pub apply_note: Option<String>,
    /// Administrators see the form that attaches staff.
    pub admin: bool,
    /// Published reviews, their average, and the viewer's own unpublished ones.
    pub reviews: crate::reviews::SchoolReviews,
}

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

#[derive(Template, WebTemplate)]
#[template(path = "schools/group_new.html")]
pub struct NewGroupPage {
    pub ctx: PageCtx,
    pub categories: Vec<&'static str>,
    pub error: Option<String>,
    pub form: super::staff::GroupForm,
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
    pub theory_form: super::group_page::TheoryForm,
    pub theory_error: Option<String>,
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

#[derive(Template, WebTemplate)]
#[template(path = "schools/certificate.html")]
pub struct CertificatePage {
    pub ctx: PageCtx,
    pub number: String,
    pub issued: String,
    pub text_kk: String,
    pub text_ru: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/invitation.html")]
pub struct InvitationPage {
    pub ctx: PageCtx,
    pub school: String,
    pub position: String,
    pub token: String,
    pub signed_in: bool,
    /// This page's address, for "sign in and come back".
    pub next: String,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/admin_new.html")]
pub struct NewSchoolPage {
    pub ctx: PageCtx,
    pub form: super::admin::SchoolForm,
    pub error: Option<String>,
}
