//! The pages of the school as an organisation: an invitation to its staff, a new school.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::form::FormErrors;

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
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/admin_new.html")]
pub struct NewSchoolPage {
    pub ctx: PageCtx,
    pub form: super::admin::SchoolForm,
    /// A refusal of the form as a whole (under `FORM`).
    pub errors: FormErrors,
}
