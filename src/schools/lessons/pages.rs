use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;

pub struct LessonLine {
    pub id: String,
    pub when: String,
    pub minutes: i64,
    pub vehicle: String,
    pub place: String,
    pub status_code: String,
    pub status: String,
    pub student: Option<String>,
    /// The lesson is over and waits to be recorded.
    pub recordable: bool,
    /// The student may still give it back.
    pub cancellable: bool,
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SlotForm {
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub vehicle: String,
    pub meeting_place: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/lessons/instructor.html")]
pub struct InstructorPage {
    pub ctx: PageCtx,
    pub lessons: Vec<LessonLine>,
    pub form: SlotForm,
    pub error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/lessons/student.html")]
pub struct StudentPage {
    pub ctx: PageCtx,
    pub open: Vec<LessonLine>,
    pub mine: Vec<LessonLine>,
    pub practice: String,
    pub enrolled: bool,
}
