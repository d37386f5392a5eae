use askama::Template;
use askama_web::WebTemplate;

use chrono::Duration;

use super::model::{Lesson, LessonStatus};
use super::position::{self, GeoView};
use crate::i18n::dates;
use crate::web::PageCtx;
use crate::web::form::FormErrors;

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
    /// Positions, only for those who may see them (see `position::visible`).
    pub meeting: Option<String>,
    pub checkins: Vec<CheckinLine>,
    /// The viewer has consented and the lesson is about to start or running.
    pub checkin_open: bool,
}

impl LessonLine {
    pub fn new(
        ctx: &PageCtx, l: &Lesson, student: Option<String>, cutoff: Duration, geo: &GeoView,
    ) -> LessonLine {
        let now = ctx.now;
        LessonLine {
            id: l.id.to_string(),
            when: dates::date_time(l.starts()),
            minutes: l.minutes(),
            vehicle: l.vehicle.clone(),
            place: l.meeting_place.clone(),
            status: ctx.t(&format!("lesson-status-{}", l.status.as_str())),
            status_code: l.status.as_str().to_owned(),
            student,
            recordable: l.status == LessonStatus::Booked && l.ends() <= now,
            cancellable: l.status == LessonStatus::Booked && l.starts() > now + cutoff,
            meeting: geo.meeting(l.id).map(position::Coords::text),
            checkins: geo
                .checkins(l.id)
                .map(|p| CheckinLine {
                    who: ctx.t(match p.user_id == l.instructor_id {
                        true => "geo-who-instructor",
                        false => "geo-who-student",
                    }),
                    at: dates::date_time(p.at),
                    coords: p.coords.text(),
                })
                .collect(),
            checkin_open: geo.consent && position::checkin_open(l, now),
        }
    }
}

pub struct CheckinLine {
    pub who: String,
    pub at: String,
    pub coords: String,
}

/// The geolocation consent box, and the script that reads the position when consent is given.
pub struct Geo {
    pub consent: bool,
    pub days: i64,
    pub script: &'static str,
}

impl Geo {
    pub fn new(consent: bool, retention_days: u32) -> Geo {
        Geo {
            consent,
            days: i64::from(retention_days),
            script: crate::web::assets::href("position.js"),
        }
    }
}

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SlotForm {
    pub date: String,
    pub time: String,
    pub minutes: String,
    pub vehicle: String,
    pub meeting_place: String,
    /// Filled by static/js/position.js; empty without consent or script.
    pub lat: String,
    pub lon: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/lessons/instructor.html")]
pub struct InstructorPage {
    pub ctx: PageCtx,
    pub lessons: Vec<LessonLine>,
    pub form: SlotForm,
    pub errors: FormErrors,
    pub geo: Geo,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/lessons/student.html")]
pub struct StudentPage {
    pub ctx: PageCtx,
    pub open: Vec<LessonLine>,
    pub mine: Vec<LessonLine>,
    pub practice: String,
    pub enrolled: bool,
    pub geo: Geo,
}
