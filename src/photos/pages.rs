use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::form::FormErrors;

pub struct PhotoLine {
    pub id: String,
    pub kind: String,
    pub status_code: String,
    pub status: String,
    pub uploaded: String,
    /// The reviewer's reason and note, after a rejection.
    pub reason: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "photos/index.html")]
pub struct PhotosPage {
    pub ctx: PageCtx,
    /// A minor whose guardian has not confirmed yet may not upload.
    pub allowed: bool,
    pub consent: bool,
    pub photos: Vec<PhotoLine>,
    pub errors: FormErrors,
    pub max_mb: i64,
}

pub struct QueueLine {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub birth_date: String,
    pub document: String,
    pub uploaded: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "photos/review.html")]
pub struct ReviewPage {
    pub ctx: PageCtx,
    pub queue: Vec<QueueLine>,
    pub reasons: Vec<(&'static str, String)>,
}
