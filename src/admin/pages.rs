use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;

pub struct UserLine {
    pub id: String,
    pub name: String,
    pub role: String,
    pub status: String,
    pub status_code: String,
    pub email: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/index.html")]
pub struct AdminPage {
    pub ctx: PageCtx,
    pub query: String,
    /// `None` before a search.
    pub results: Option<Vec<UserLine>>,
}

pub struct AttemptLine {
    pub at: String,
    pub ip: String,
    pub device: String,
    pub success: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    pub ctx: PageCtx,
    pub user: UserLine,
    pub created: String,
    pub email_verified: bool,
    pub guardian_pending: bool,
    pub history: Vec<AttemptLine>,
}
