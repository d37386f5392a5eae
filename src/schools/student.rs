use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use uuid::Uuid;

use super::groups::model::{self, Apply};
use super::lessons::model::LessonStatus;
use super::pages::{TrainingLine, TrainingPage};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::db::schema::{lessons, users};
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::auth::{RequireRole, Students};

/// A student applies to a recruiting group (verified email, guardian's consent if a minor).
pub async fn apply(
    ctx: PageCtx, user: RequireRole<Students>, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    if !user.may_enrol() {
        return Err(AppError::Forbidden);
    }
    let group_id = id.into_inner();
    let student = user.id;
    let (outcome, school_id) = db::run(&state.pool, move |conn| {
        let group = model::group(conn, group_id)?;
        let outcome = model::apply(conn, group_id, student)?;
        if let Apply::Applied(enrolment) = outcome {
            NewAuditEvent::by(student, "enrolment.applied")
                .on("enrolment", enrolment)
                .record(conn)?;
        }
        Ok((outcome, group.school_id))
    })
    .await?;
    let message = match outcome {
        Apply::Applied(_) => "school-applied",
        Apply::NotRecruiting => "school-apply-closed",
        Apply::AlreadyInCategory => "school-apply-already",
    };
    Ok(ctx.flash_to(message, format!("/schools/{school_id}")))
}

/// Names of these theory teachers, and of the instructors the student has had or booked
/// lessons with (with their school), in one query: (user id, "Last First", school id).
fn teachers_and_instructors(
    conn: &mut PgConnection, student_id: Uuid, teachers: &[Uuid],
) -> QueryResult<Vec<(Uuid, String, Option<Uuid>)>> {
    let rows: Vec<(Uuid, String, String, Option<Uuid>)> = users::table
        .left_join(
            lessons::table.on(lessons::instructor_id
                .eq(users::id)
                .and(lessons::student_id.eq(student_id))
                .and(lessons::status.ne(LessonStatus::Cancelled))),
        )
        .filter(users::id.eq_any(teachers).or(lessons::id.is_not_null()))
        .select((users::id, users::last_name, users::first_name, lessons::school_id.nullable()))
        .distinct()
        .order((users::last_name, users::first_name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, last, first, school)| (id, format!("{last} {first}"), school))
        .collect())
}

/// The student's schools and groups, with the dates training starts and ends (policy §3).
pub async fn training(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<TrainingPage, AppError> {
    let id = user.id;
    let (rows, minutes, theory, people) = db::read(&state.pool, move |conn| {
        let rows = model::enrolments_of(conn, id)?;
        let teachers: Vec<Uuid> = rows.iter().filter_map(|r| r.3.theory_teacher_id).collect();
        Ok((
            rows,
            super::lessons::model::practice_minutes(conn, id)?,
            super::theory::minutes_by_group(conn, id)?,
            teachers_and_instructors(conn, id, &teachers)?,
        ))
    })
    .await?;
    let hours = &state.config.category_hours;
    let lines = rows
        .into_iter()
        .map(|(status, reason, certificate, group, school)| TrainingLine {
            progress: (status == "accepted").then(|| {
                let required = hours.get(&group.category).map_or(0, |(_, practice)| *practice);
                format!("{} / {required}", dates::hours(minutes))
            }),
            theory: (status == "accepted").then(|| {
                let required = hours.get(&group.category).map_or(0, |(t, _)| *t);
                let done = theory.iter().find(|(g, _)| *g == group.id).map_or(0, |(_, m)| *m);
                format!("{} / {required}", dates::hours(done))
            }),
            teacher: group
                .theory_teacher_id
                .and_then(|t| people.iter().find(|(id, ..)| *id == t).map(|(_, n, _)| n.clone())),
            instructors: people
                .iter()
                .filter(|(_, _, school_id)| *school_id == Some(school.id))
                .map(|(_, name, _)| name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            certificate: certificate.map(|c| c.to_string()),
            school: school.name(ctx.lang).to_string(),
            school_id: school.id.to_string(),
            category: group.category.clone(),
            dates: dates::span(group.starts_on, group.ends_on),
            status: ctx.t(&format!("enrolment-{status}")),
            status_code: status,
            reason,
        })
        .collect();
    Ok(TrainingPage { ctx, lines })
}
