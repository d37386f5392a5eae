//! The group page's theory forms: the manager names the group's theory teacher; the teacher
//! (or a manager) records each class with the students present.

use actix_web::{HttpResponse, http::StatusCode, web};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::group_page::group_page;
use super::groups::model::{self, EnrolmentStatus};
use super::theory::{TheoryForm, parse};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::db::schema::{
    enrolments, school_staff, theory_attendance, theory_sessions, training_groups,
};
use crate::error::AppError;
use crate::schools::registry::access::{SchoolManager, SchoolMember};
use crate::schools::registry::model::StaffPosition;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::form::{FORM, FormErrors};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TeacherForm {
    teacher: String,
}

/// The manager names the group's theory teacher (a theory teacher or manager of the school),
/// or clears it.
pub async fn assign_teacher(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<TeacherForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let group_id = id.into_inner();
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
                .filter(
                    school_staff::position
                        .eq_any([StaffPosition::TheoryTeacher, StaffPosition::Manager]),
                )
                .count()
                .get_result(conn)?;
            if teaches == 0 {
                return Ok(false);
            }
        }
        diesel::update(training_groups::table.find(group_id))
            .set(training_groups::theory_teacher_id.eq(teacher))
            .execute(conn)?;
        NewAuditEvent::by(actor, "group.teacher_assigned")
            .on("group", group_id)
            .details(json!({ "teacher": teacher }))
            .record(conn)?;
        Ok(true)
    })
    .await?;
    let message = if assigned { "theory-teacher-saved" } else { "theory-teacher-invalid" };
    Ok(ctx.flash_to(message, format!("/school/groups/{group_id}")))
}

/// Records a class. The form repeats `present` once per student ticked, which serde's form
/// reader cannot collect, so the body is read as pairs.
pub async fn record(
    ctx: PageCtx, member: SchoolMember, state: web::Data<AppState>, id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (member.user, member.membership);
    let group_id = id.into_inner();
    let form = TheoryForm::from_body(&body);
    let (school_id, actor) = (m.school_id, user.id);
    let group =
        db::run(&state.pool, move |conn| Ok(model::group_of(conn, school_id, group_id)?)).await?;
    let teaches = m.manager || group.theory_teacher_id == Some(actor);
    if !teaches {
        return Err(AppError::Forbidden);
    }
    let (held_on, minutes, topic) = match parse(&form, &group, state.clock.today()) {
        Ok(parsed) => parsed,
        Err(problem) => {
            let refused = Some((form, FormErrors::one(FORM, problem)));
            let page = group_page(ctx, &state, &user, group_id, String::new(), refused).await?;
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
            .filter(enrolments::status.eq(EnrolmentStatus::Accepted))
            .filter(enrolments::id.eq_any(&present))
            .select(enrolments::student_id)
            .load(conn)?;
        let rows: Vec<_> = students
            .iter()
            .map(|s| {
                (theory_attendance::session_id.eq(session_id), theory_attendance::student_id.eq(*s))
            })
            .collect();
        diesel::insert_into(theory_attendance::table).values(rows).execute(conn)?;
        NewAuditEvent::by(actor, "theory.recorded")
            .on("theory_session", session_id)
            .details(json!({ "group": group_id, "present": students.len() }))
            .record(conn)?;
        Ok(students.len())
    })
    .await?;
    ctx.flash(ctx.lang.t_args("theory-recorded", &[("count", (count as i64).into())]));
    Ok(crate::web::see_other(format!("/school/groups/{group_id}")))
}
