use askama::Template;
use askama_web::WebTemplate;

use super::form::TicketForm;
use super::model::TicketStatus;
use crate::web::PageCtx;
use crate::web::form::FormErrors;
use crate::web::pager::Pager;

pub struct TicketLine {
    pub id: String,
    pub subject: String,
    pub state: TicketStatus,
    /// The state's label.
    pub status: String,
    pub category: String,
    /// The school's name, or "the operator".
    pub to: String,
    pub author: String,
    pub assignee: Option<String>,
    pub updated: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "tickets/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    /// The person works a queue (school staff, operator staff).
    pub has_queue: bool,
    /// The list shows the person's own tickets (not the queue).
    pub mine: bool,
    pub lines: Vec<TicketLine>,
    pub pager: Pager,
    /// The filters as asked (to keep them selected).
    pub status: String,
    pub category: String,
    pub assignee: String,
    pub statuses: Vec<(&'static str, String)>,
    pub categories: Vec<(&'static str, String)>,
    /// (id, name) of the staff a ticket may be assigned to.
    pub assignees: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tickets/new.html")]
pub struct NewPage {
    pub ctx: PageCtx,
    /// (id, name) of the schools the person may write to.
    pub schools: Vec<(String, String)>,
    pub categories: Vec<(&'static str, String)>,
    pub form: TicketForm,
    /// The fields in error; also a form-wide message under "form".
    pub errors: FormErrors,
    pub max_mb: i64,
}

pub struct MessageLine {
    pub id: String,
    pub author: String,
    /// Written by the staff side (not the ticket's author).
    pub from_staff: bool,
    pub mine: bool,
    pub when: String,
    /// The text, line by line (shown with line breaks, every line escaped).
    pub lines: Vec<String>,
    /// "visible", "hidden" (shown to moderators only, marked) or "deleted" (a stub).
    pub moderation: &'static str,
    pub removed_reason: Option<String>,
    /// Photo ids of the attached images.
    pub attachments: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tickets/thread.html")]
pub struct ThreadPage {
    pub ctx: PageCtx,
    pub id: String,
    pub subject: String,
    pub category: String,
    pub state: TicketStatus,
    /// The state's label.
    pub status: String,
    pub to: String,
    pub author: String,
    pub assignee: Option<String>,
    pub created: String,
    pub messages: Vec<MessageLine>,
    /// The viewer works this ticket's side.
    pub staff: bool,
    /// The viewer wrote the ticket.
    pub author_view: bool,
    pub finished: bool,
    pub reopenable: bool,
    /// The reply form is offered (staff always; the author unless the window has passed).
    pub can_reply: bool,
    pub staff_statuses: Vec<(&'static str, String)>,
    pub default_status: TicketStatus,
    pub assignees: Vec<(String, String)>,
    pub assignee_id: String,
    /// The reply as typed, when it is shown again with an error.
    pub reply: String,
    /// Why the reply was not sent (under "body", "attachment" or the form as a whole).
    pub errors: FormErrors,
    pub max_mb: i64,
}
