use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;
use crate::web::form::FormErrors;
use crate::web::pager::Pager;

/// One review on the school page.
pub struct ReviewLine {
    pub id: String,
    /// First name and the initial of the last name.
    pub author: String,
    pub date: String,
    pub edited: bool,
    pub stars: String,
    pub stars_n: i16,
    /// (instructor, stars, number of stars)
    pub instructor: Option<(String, String, i16)>,
    /// The text (empty once deleted).
    pub text: String,
    /// "Removed by a moderator: <reason>" for a deleted review.
    pub removed: Option<String>,
    /// For the author: why the review is held or hidden.
    pub note: Option<String>,
    pub status_code: &'static str,
    pub status: String,
    /// The viewer wrote it (and may edit it).
    pub mine: bool,
}

/// The reviews part of a school's public page.
pub struct SchoolReviews {
    /// The average of the published reviews' school stars, e.g. "4,5".
    pub average: Option<String>,
    pub average_stars: String,
    /// Published reviews.
    pub count: i64,
    pub lines: Vec<ReviewLine>,
    pub pager: Pager,
    /// The viewer's own reviews others do not see (held for a moderator, or hidden).
    pub mine: Vec<ReviewLine>,
}

/// The review form's fields as typed.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    pub enrolment: String,
    pub school_stars: String,
    pub instructor: String,
    pub instructor_stars: String,
    pub body: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/form.html")]
pub struct FormPage {
    pub ctx: PageCtx,
    /// Where the form posts.
    pub action: String,
    pub editing: bool,
    pub school: String,
    pub school_id: String,
    pub category: String,
    /// (user id, name) of the instructors the student had held lessons with.
    pub instructors: Vec<(String, String)>,
    pub form: ReviewForm,
    pub errors: FormErrors,
    /// Why the review is held now (when editing a held review).
    pub held: Option<String>,
    /// ("5", "5 — excellent") … ("1", …)
    pub choices: Vec<(&'static str, String)>,
}

impl FormPage {
    pub const CHOICES: [&'static str; 5] = ["5", "4", "3", "2", "1"];
}

/// A short explanation instead of a form (e.g. a review a moderator hid cannot be edited).
#[derive(Template, WebTemplate)]
#[template(path = "reviews/notice.html")]
pub struct NoticePage {
    pub ctx: PageCtx,
    pub title: String,
    pub text: String,
    pub back: String,
}
