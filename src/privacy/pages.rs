use askama::Template;
use askama_web::WebTemplate;

use super::document::PolicyDocument;
use crate::web::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "privacy/policy.html")]
pub struct PolicyPage {
    pub ctx: PageCtx,
    pub number: i32,
    pub published: String,
    /// `Some(n)` when this is an older version and `n` is the one in force.
    pub superseded_by: Option<i32>,
    pub doc: std::sync::Arc<PolicyDocument>,
}

pub struct VersionRow {
    pub number: i32,
    pub published: String,
    pub is_current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "privacy/versions.html")]
pub struct VersionsPage {
    pub ctx: PageCtx,
    pub versions: Vec<VersionRow>,
}
