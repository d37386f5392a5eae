use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use super::model::{self, Clash, NewSlot};
use super::pages::{Geo, InstructorPage, LessonLine, SlotForm, StudentPage};
use super::position::{self, Coords, GeoView, Kind, PositionForm};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::schools::registry::access::SchoolInstructor;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::auth::{RequireRole, Students};
use crate::web::form::{FORM, FormErrors};

async fn instructor_page(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, form: SlotForm, errors: FormErrors,
) -> Result<InstructorPage, AppError> {
    let id = user.id;
    let from = state.clock.now() - Duration::days(7);
    let (rows, geo) = db::read(&state.pool, move |conn| {
        let rows = model::of_instructor(conn, id, from)?;
        let geo = GeoView::load(conn, id, rows.iter().map(|(l, _)| l))?;
        Ok((rows, geo))
    })
    .await?;
    let lessons = rows
        .into_iter()
        .map(|(l, name)| LessonLine::new(&ctx, &l, name, Duration::zero(), &geo))
        .collect();
    Ok(InstructorPage {
        geo: Geo::new(geo.consent, state.config.geo_retention_days),
        ctx,
        lessons,
        form,
        errors,
    })
}

/// Only instructors publish and record lessons (`SchoolInstructor`).
pub async fn instructor(
    ctx: PageCtx, instructor: SchoolInstructor, state: web::Data<AppState>,
) -> Result<InstructorPage, AppError> {
    let user = instructor.user;
    let form = SlotForm { minutes: "90".into(), ..SlotForm::default() };
    instructor_page(ctx, &state, &user, form, FormErrors::default()).await
}

/// Date and time as typed, in Almaty time.
fn starts_at(form: &SlotForm) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok()?;
    let time = NaiveTime::parse_from_str(form.time.trim(), "%H:%M").ok()?;
    crate::i18n::dates::from_local(date.and_time(time))
}

pub async fn publish(
    ctx: PageCtx, SchoolInstructor { user, membership }: SchoolInstructor,
    state: web::Data<AppState>, form: web::Form<SlotForm>,
) -> Result<HttpResponse, AppError> {
    let school_id = membership.school_id;
    let mut form = form.into_inner();
    let coords = Coords::parse(&form.lat, &form.lon);
    let minutes: Option<i64> = form.minutes.trim().parse().ok().filter(|m| (30..=240).contains(m));
    let checked = match (starts_at(&form), minutes, &coords) {
        (None, _, _) => Err("lesson-error-when"),
        (Some(t), _, _) if t <= ctx.now => Err("lesson-error-past"),
        // Slots are published weeks ahead, not years: a far date is a typo.
        (Some(t), _, _) if t > ctx.now + Duration::days(366) => Err("lesson-error-far"),
        (_, None, _) => Err("lesson-error-minutes"),
        _ if form.vehicle.trim().is_empty() => Err("lesson-error-vehicle"),
        (_, _, Err(_)) => Err("geo-error-range"),
        (Some(starts), Some(minutes), Ok(coords)) => Ok((starts, minutes, *coords)),
    };
    let (starts, minutes, coords) = match checked {
        Ok(checked) => checked,
        Err(problem) => {
            if coords.is_err() {
                form.lat.clear();
                form.lon.clear();
            }
            let page = instructor_page(ctx, &state, &user, form, FormErrors::one(FORM, problem));
            let page = page.await?;
            return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let slot = NewSlot {
        school_id,
        instructor_id: user.id,
        starts,
        minutes,
        vehicle: form.vehicle.trim().to_uppercase(),
        meeting_place: form.meeting_place.trim().chars().take(200).collect(),
    };
    let instructor = user.id;
    let outcome = db::run(&state.pool, move |conn| {
        // Coordinates come only through the script given to those who consented; anything
        // else is refused before the slot is stored.
        if coords.is_some() && !position::has_consent(conn, instructor)? {
            return Err(AppError::Forbidden);
        }
        let outcome = model::publish(conn, &slot)?;
        if let Ok(id) = outcome {
            let attached = match coords {
                Some(at) => position::attach(conn, id, instructor, Kind::Meeting, at)?,
                None => false,
            };
            NewAuditEvent::by(instructor, "lesson.published")
                .on("lesson", id)
                .details(serde_json::json!({ "position": attached }))
                .record(conn)?;
        }
        Ok(outcome)
    })
    .await?;
    match outcome {
        Ok(_) => Ok(ctx.flash_to("lesson-published", "/school/lessons")),
        Err(_) => {
            let errors = FormErrors::one(FORM, "lesson-error-overlap");
            let page = instructor_page(ctx, &state, &user, form, errors).await?;
            crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RecordForm {
    outcome: String,
    note: String,
}

/// The instructor notes how a lesson went (only their own booked lesson, once it is over).
pub async fn record(
    ctx: PageCtx, SchoolInstructor { user, .. }: SchoolInstructor, state: web::Data<AppState>,
    lesson: web::Path<Uuid>, form: web::Form<RecordForm>,
) -> Result<HttpResponse, AppError> {
    let (now, lesson, instructor) = (ctx.now, lesson.into_inner(), user.id);
    let RecordForm { outcome, note } = form.into_inner();
    let note: String = note.trim().chars().take(500).collect();
    let done = db::run(&state.pool, move |conn| {
        let done = model::record(conn, lesson, instructor, &outcome, &note, now)?;
        if done {
            NewAuditEvent::by(instructor, "lesson.recorded")
                .on("lesson", lesson)
                .details(serde_json::json!({ "outcome": outcome }))
                .record(conn)?;
        }
        Ok(done)
    })
    .await?;
    let message = if done { "lesson-recorded" } else { "lesson-not-recordable" };
    Ok(ctx.flash_to(message, "/school/lessons"))
}

pub async fn student(
    ctx: PageCtx, user: RequireRole<Students>, state: web::Data<AppState>,
) -> Result<StudentPage, AppError> {
    let now = state.clock.now();
    let id = user.id;
    let cutoff = Duration::hours(i64::from(state.config.cancel_hours));
    let (schools, open, mine, minutes, geo) = db::read(&state.pool, move |conn| {
        let schools = model::schools_of_student(conn, id)?;
        let (open, mine) = model::for_student(conn, &schools, id, now)?;
        let geo = GeoView::load(conn, id, open.iter().chain(&mine))?;
        Ok((schools, open, mine, model::practice_minutes(conn, id)?, geo))
    })
    .await?;
    let open = open.iter().map(|l| LessonLine::new(&ctx, l, None, cutoff, &geo)).collect();
    let mine = mine.iter().map(|l| LessonLine::new(&ctx, l, None, cutoff, &geo)).collect();
    let practice = crate::i18n::dates::hours(minutes);
    Ok(StudentPage {
        enrolled: !schools.is_empty(),
        open,
        mine,
        practice,
        geo: Geo::new(geo.consent, state.config.geo_retention_days),
        ctx,
    })
}

pub async fn book(
    ctx: PageCtx, user: RequireRole<Students>, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let lesson_id = id.into_inner();
    let student = user.id;
    let outcome = db::run(&state.pool, move |conn| {
        let lesson = model::lesson(conn, lesson_id)?;
        // Only students of the lesson's school: anyone else is told the lesson does not exist.
        if !model::is_student_of(conn, lesson.school_id, student)? {
            return Err(AppError::NotFound);
        }
        let outcome = model::book(conn, lesson_id, student, now)?;
        if outcome.is_ok() {
            NewAuditEvent::by(student, "lesson.booked").on("lesson", lesson_id).record(conn)?;
        }
        Ok(outcome)
    })
    .await?;
    let message = match outcome {
        Ok(()) => "lesson-booked",
        Err(Clash::Overlap) => "lesson-error-you-are-busy",
        Err(Clash::NotAllowed) => "lesson-taken",
    };
    Ok(ctx.flash_to(message, "/me/lessons"))
}

pub async fn cancel(
    ctx: PageCtx, user: RequireRole<Students>, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let lesson_id = id.into_inner();
    let student = user.id;
    let cutoff = Duration::hours(i64::from(state.config.cancel_hours));
    let done = db::run(&state.pool, move |conn| {
        let done = model::cancel_booking(conn, lesson_id, student, cutoff, now)?;
        if done {
            NewAuditEvent::by(student, "lesson.booking_cancelled")
                .on("lesson", lesson_id)
                .record(conn)?;
        }
        Ok(done)
    })
    .await?;
    let message = if done { "lesson-cancelled" } else { "lesson-too-late" };
    Ok(ctx.flash_to(message, "/me/lessons"))
}

/// Where the user's lessons are listed; only students and instructors have one.
fn lessons_page(user: &CurrentUser) -> Result<&'static str, AppError> {
    match user.role {
        Role::Student => Ok("/me/lessons"),
        Role::Instructor => Ok("/school/lessons"),
        _ => Err(AppError::Forbidden),
    }
}

pub async fn give_geo_consent(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let back = lessons_page(&user)?;
    let evidence = serde_json::json!({
        "ip": crate::web::client_ip(&req),
        "user_agent": crate::web::user_agent(&req),
        "via": "lessons",
    });
    let id = user.id;
    db::run(&state.pool, move |conn| Ok(position::give_consent(conn, id, evidence)?)).await?;
    Ok(ctx.flash_to("geo-consent-given", back))
}

pub async fn withdraw_geo_consent(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let back = lessons_page(&user)?;
    let id = user.id;
    let deleted =
        db::run(&state.pool, move |conn| Ok(position::withdraw_consent(conn, id)?)).await?;
    let deleted = i64::try_from(deleted.unwrap_or(0)).unwrap_or(i64::MAX);
    ctx.flash(ctx.t_count("geo-consent-withdrawn", deleted));
    Ok(crate::web::see_other(back))
}

/// The instructor or the booked student says "I am here", with the browser's position.
pub async fn check_in(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<PositionForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let back = lessons_page(&user)?;
    let lesson_id = id.into_inner();
    let coords = match form.coords() {
        Ok(Some(at)) => at,
        refused => {
            let problem = match refused {
                Ok(_) => "geo-error-missing",
                Err(_) => "geo-error-range",
            };
            return Ok(ctx.flash_to(problem, back));
        }
    };
    let me = user.id;
    let done = db::run(&state.pool, move |conn| {
        let lesson = model::lesson(conn, lesson_id)?;
        // Anyone but the lesson's two people is told the lesson does not exist.
        if lesson.instructor_id != me && lesson.student_id != Some(me) {
            return Err(AppError::NotFound);
        }
        if !position::checkin_open(&lesson, now) {
            return Ok(false);
        }
        if !position::attach(conn, lesson_id, me, Kind::Checkin, coords)? {
            return Err(AppError::Forbidden);
        }
        NewAuditEvent::by(me, "lesson.checked_in").on("lesson", lesson_id).record(conn)?;
        Ok(true)
    })
    .await?;
    let message = if done { "geo-checked-in" } else { "geo-checkin-closed" };
    Ok(ctx.flash_to(message, back))
}
