//! Theory classes: the manager assigns a group's theory teacher; the teacher (or a manager)
//! records each class with the students present, and attended minutes become theory hours.

use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Uuid as SqlUuid};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::group_page::{TheoryForm, group_page};
use super::model;
use super::staff::{manager, member};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::db::schema::{
    enrolments, school_staff, theory_attendance, theory_sessions, training_groups,
};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

#[derive(QueryableByName)]
pub struct SessionRow {
    #[diesel(sql_type = Date)]
    pub held_on: NaiveDate,
    #[diesel(sql_type = Integer)]
    pub minutes: i32,
    #[diesel(sql_type = Text)]
    pub topic: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub teacher: Option<String>,
    #[diesel(sql_type = BigInt)]
    pub present: i64,
}

/// The group's classes, latest first, with the teacher's name and how many attended.
pub fn sessions(conn: &mut PgConnection, group_id: Uuid) -> QueryResult<Vec<SessionRow>> {
    diesel::sql_query(
        "SELECT s.held_on, s.minutes, s.topic, u.last_name || ' ' || u.first_name AS teacher, \
                (SELECT count(*) FROM theory_attendance a WHERE a.session_id = s.id) AS present \
         FROM theory_sessions s LEFT JOIN users u ON u.id = s.teacher_id \
         WHERE s.group_id = $1 ORDER BY s.held_on DESC, s.created_at DESC LIMIT 100",
    )
    .bind::<SqlUuid, _>(group_id)
    .load(conn)
}

#[derive(QueryableByName)]
struct Attended {
    #[diesel(sql_type = SqlUuid)]
    key: Uuid,
    #[diesel(sql_type = BigInt)]
    minutes: i64,
}

/// Theory minutes attended in this group, per enrolment (one query for the whole roster).
pub fn minutes_by_enrolment(
    conn: &mut PgConnection,
    group_id: Uuid,
) -> QueryResult<Vec<(Uuid, i64)>> {
    let rows: Vec<Attended> = diesel::sql_query(
        "SELECT e.id AS key, sum(s.minutes)::bigint AS minutes \
         FROM enrolments e \
         JOIN theory_attendance a ON a.student_id = e.student_id \
         JOIN theory_sessions s ON s.id = a.session_id AND s.group_id = e.group_id \
         WHERE e.group_id = $1 GROUP BY e.id",
    )
    .bind::<SqlUuid, _>(group_id)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.key, r.minutes)).collect())
}

/// Theory minutes a student attended, per group (one query for all their enrolments).
pub fn minutes_by_group(
    conn: &mut PgConnection,
    student_id: Uuid,
) -> QueryResult<Vec<(Uuid, i64)>> {
    let rows: Vec<Attended> = diesel::sql_query(
        "SELECT s.group_id AS key, sum(s.minutes)::bigint AS minutes \
         FROM theory_attendance a JOIN theory_sessions s ON s.id = a.session_id \
         WHERE a.student_id = $1 GROUP BY s.group_id",
    )
    .bind::<SqlUuid, _>(student_id)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.key, r.minutes)).collect())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TeacherForm {
    teacher: String,
}

/// The manager names the group's theory teacher (a theory teacher or manager of the school),
/// or clears it.
pub async fn assign_teacher(
    ctx: PageCtx,
    session: actix_session::Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    form: web::Form<TeacherForm>,
) -> Result<HttpResponse, AppError> {
    let m = manager(&state, &user).await?;
    let group_id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let teacher = match form.teacher.trim() {
        "" => None,
        t => Some(t.parse::<Uuid>().map_err(|_| AppError::Unprocessable)?),
    };
    let actor = user.id;
    let assigned = db::run(&state.pool, move |conn| {
        model::group_of(conn, m.school_id, group_id)?;
        if let Some(teacher) = teacher {
            let teaches: i64 = school_staff::table
                .filter(school_staff::user_id.eq(teacher))
                .filter(school_staff::school_id.eq(m.school_id))
                .filter(school_staff::position.eq_any(["theory_teacher", "manager"]))
                .count()
                .get_result(conn)?;
            if teaches == 0 {
                return Ok(false);
            }
        }
        diesel::update(training_groups::table.find(group_id))
            .set(training_groups::theory_teacher_id.eq(teacher))
            .execute(conn)?;
        NewAuditEvent::new("group.teacher_assigned")
            .actor(actor)
            .subject("group", group_id)
            .details(json!({ "teacher": teacher }))
            .record(conn)?;
        Ok(true)
    })
    .await?;
    let message = if assigned {
        "theory-teacher-saved"
    } else {
        "theory-teacher-invalid"
    };
    crate::web::flash(&session, ctx.t(message));
    Ok(crate::web::see_other(format!("/school/groups/{group_id}")))
}

/// What the form asks for, checked; the message id of the first problem otherwise.
fn parse(
    form: &TheoryForm,
    group: &model::Group,
    today: NaiveDate,
) -> Result<(NaiveDate, i32, String), &'static str> {
    let held_on = NaiveDate::parse_from_str(form.held_on.trim(), "%Y-%m-%d")
        .map_err(|_| "date-error-invalid")?;
    if held_on > today || held_on < group.starts_on {
        return Err("theory-error-date");
    }
    let minutes = form
        .minutes
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|m| (15..=480).contains(m))
        .ok_or("theory-error-minutes")?;
    let topic = form.topic.split_whitespace().collect::<Vec<_>>().join(" ");
    if topic.is_empty() || topic.chars().count() > 200 {
        return Err("theory-error-topic");
    }
    Ok((held_on, minutes, topic))
}

/// Records a class. The form repeats `present` once per student ticked, which serde's form
/// reader cannot collect, so the body is read as pairs.
pub async fn record(
    ctx: PageCtx,
    session: actix_session::Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let m = member(&state, &user).await?;
    let group_id: Uuid = id.parse().map_err(|_| AppError::NotFound)?;
    let form = TheoryForm::from_body(&body);
    let (school_id, actor) = (m.school_id, user.id);
    let group = db::run(&state.pool, move |conn| {
        Ok(model::group_of(conn, school_id, group_id)?)
    })
    .await?;
    let teaches = m.manager || group.theory_teacher_id == Some(actor);
    if !teaches {
        return Err(AppError::Forbidden);
    }
    let (held_on, minutes, topic) = match parse(&form, &group, state.clock.today()) {
        Ok(parsed) => parsed,
        Err(problem) => {
            let error = ctx.t(problem);
            let page =
                group_page(ctx, &state, &user, &id, String::new(), Some((form, error))).await?;
            return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    // The checkboxes carry enrolment ids; a value that is not an id names no enrolment of the
    // group and is dropped, as ids of other groups' enrolments are below.
    let present: Vec<Uuid> = form.present.iter().filter_map(|p| p.parse().ok()).collect();
    let count = db::run(&state.pool, move |conn| {
        let session_id: Uuid = diesel::insert_into(theory_sessions::table)
            .values((
                theory_sessions::group_id.eq(group_id),
                theory_sessions::teacher_id.eq(actor),
                theory_sessions::held_on.eq(held_on),
                theory_sessions::minutes.eq(minutes),
                theory_sessions::topic.eq(&topic),
            ))
            .returning(theory_sessions::id)
            .get_result(conn)?;
        // Only accepted students of this group count, whatever ids the form carried.
        let students: Vec<Uuid> = enrolments::table
            .filter(enrolments::group_id.eq(group_id))
            .filter(enrolments::status.eq("accepted"))
            .filter(enrolments::id.eq_any(&present))
            .select(enrolments::student_id)
            .load(conn)?;
        let rows: Vec<_> = students
            .iter()
            .map(|s| {
                (
                    theory_attendance::session_id.eq(session_id),
                    theory_attendance::student_id.eq(*s),
                )
            })
            .collect();
        diesel::insert_into(theory_attendance::table)
            .values(rows)
            .execute(conn)?;
        NewAuditEvent::new("theory.recorded")
            .actor(actor)
            .subject("theory_session", session_id)
            .details(json!({ "group": group_id, "present": students.len() }))
            .record(conn)?;
        Ok(students.len())
    })
    .await?;
    crate::web::flash(
        &session,
        ctx.lang
            .t_args("theory-recorded", &[("count", (count as i64).into())]),
    );
    Ok(crate::web::see_other(format!("/school/groups/{group_id}")))
}
