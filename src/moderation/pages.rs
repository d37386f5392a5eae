use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::form::FormErrors;
use crate::web::pager::Pager;

pub struct ReportLine {
    pub reason: String,
    pub note: Option<String>,
    pub when: String,
}

/// One reported, held or hidden item in the moderators' list.
pub struct ItemLine {
    /// `review-<id>` or `message-<id>`: the anchor, and where an error is shown.
    pub key: String,
    /// The URL segment: `reviews` or `messages`.
    pub segment: &'static str,
    pub kind: String,
    pub id: String,
    pub author: String,
    /// (author id, form key) when the moderator may restrict the author.
    pub restrict: Option<(String, String)>,
    /// The school reviewed, or the ticket's subject.
    pub place: String,
    pub when: String,
    pub status_code: &'static str,
    pub status: String,
    /// Why it is held, or the moderator's reason for hiding it.
    pub note: Option<String>,
    pub stars: Option<String>,
    pub text: String,
    pub reports: Vec<ReportLine>,
    pub report_count: i64,
    /// The decisions that apply now: (action code, button label).
    pub actions: Vec<(&'static str, String)>,
}

pub struct RestrictionLine {
    pub user_id: String,
    pub name: String,
    pub until: String,
    pub reason: String,
    pub since: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/queue.html")]
pub struct QueuePage {
    pub ctx: PageCtx,
    /// `queue` or `hidden`.
    pub view: &'static str,
    pub items: Vec<ItemLine>,
    pub pager: Pager,
    pub total: i64,
    pub restrictions: Vec<RestrictionLine>,
    /// After a refused decision: the error, keyed by the form it belongs to.
    pub errors: FormErrors,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/report.html")]
pub struct ReportPage {
    pub ctx: PageCtx,
    /// `review_id` or `message_id`.
    pub field: &'static str,
    pub id: String,
    pub text: String,
    pub back: String,
    pub reasons: Vec<(&'static str, String)>,
    pub reason: String,
    pub note: String,
    pub errors: FormErrors,
}
