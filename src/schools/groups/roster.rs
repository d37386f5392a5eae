//! Staff changing and exporting a group's roster: adding a student by IIN, withdrawals,
//! transfers, and the CSV export. Every handler is limited to the staff member's own school.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::handlers::back;
use super::model;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::dates;
use crate::schools::registry::access::{SchoolManager, SchoolMember};
use crate::state::AppState;
use crate::web::PageCtx;

/// The roster as CSV: UTF-8 with a byte-order mark, so Excel shows Cyrillic correctly.
pub async fn roster_csv(
    ctx: PageCtx, member: SchoolMember, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (member.user, member.membership);
    let group_id = id.into_inner();
    let staff_id = user.id;
    let (group, roster) = db::run(&state.pool, move |conn| {
        let group = model::group_of(conn, m.school_id, group_id)?;
        let roster = model::roster(conn, group_id)?;
        NewAuditEvent::by(staff_id, "group.roster_exported").on("group", group_id).record(conn)?;
        Ok((group, roster))
    })
    .await?;
    let mut out = csv::Writer::from_writer(Vec::from(b"\xEF\xBB\xBF".as_slice()));
    let header = [
        ctx.t("field-last-name"),
        ctx.t("field-first-name"),
        ctx.t("csv-status"),
        ctx.t("csv-applied-on"),
    ];
    out.write_record(&header).map_err(AppError::internal)?;
    for r in &roster {
        let status = ctx.t(&format!("enrolment-{}", r.status));
        out.write_record([
            r.last_name.as_str(),
            r.first_name.as_str(),
            status.as_str(),
            dates::date(r.applied_at).as_str(),
        ])
        .map_err(AppError::internal)?;
    }
    let body = out.into_inner().map_err(AppError::internal)?;
    let name = format!("group-{}-{}.csv", group.category, group.starts_on.format("%Y-%m-%d"));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(crate::web::attachment(&name))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    iin: String,
}

/// A manager adds a registered student by IIN (found through the blind index).
pub async fn add_student(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let now = state.clock.now();
    let group_id = id.into_inner();
    let back = format!("/school/groups/{group_id}");
    let Ok(iin) = crate::domain::Iin::parse(&form.into_inner().iin) else {
        return Ok(ctx.flash_to("add-student-bad-iin", back));
    };
    let (store, staff_id) = (state.clone(), user.id);
    let message = db::run(&state.pool, move |conn| {
        model::group_of(conn, m.school_id, group_id)?;
        let student = crate::accounts::model::by_login(conn, &store.keys, iin.as_str())?;
        let Some(student) = student.filter(|s| s.role == Role::Student.code()) else {
            return Ok("add-student-not-found");
        };
        if student.status() != crate::domain::AccountStatus::Active
            || student.email_verified_at.is_none()
        {
            return Ok("add-student-not-ready");
        }
        if !model::may_be_identified(conn, student.id)? {
            return Ok("enrolment-no-photo-consent");
        }
        let outcome = model::add_accepted(conn, m.school_id, group_id, student.id, staff_id, now)?;
        if outcome == model::Added::Done {
            NewAuditEvent::by(staff_id, "enrolment.added_by_staff")
                .on("group", group_id)
                .details(json!({ "student": student.id }))
                .record(conn)?;
        }
        Ok(match outcome {
            model::Added::Done => "add-student-done",
            model::Added::GroupFull => "enrolment-group-full",
            model::Added::AlreadyInCategory => "add-student-already",
        })
    })
    .await?;
    Ok(ctx.flash_to(message, back))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    group: String,
    reason: String,
}

/// Withdraws a student (or an application); the enrolment stays as history.
pub async fn withdraw(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let now = state.clock.now();
    let enrolment = id.into_inner();
    let MoveForm { group, reason, .. } = form.into_inner();
    let reason: String = reason.trim().chars().take(500).collect();
    if reason.is_empty() {
        ctx.flash(ctx.t("enrolment-reason-required"));
        return Ok(back(&group));
    }
    let staff_id = user.id;
    let done = db::run(&state.pool, move |conn| {
        let done = model::withdraw(conn, m.school_id, enrolment, staff_id, &reason, now)?;
        if done {
            NewAuditEvent::by(staff_id, "enrolment.withdrawn")
                .on("enrolment", enrolment)
                .record(conn)?;
        }
        Ok(done)
    })
    .await?;
    ctx.flash(ctx.t(if done { "enrolment-withdrawn-done" } else { "enrolment-not-pending" }));
    Ok(back(&group))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TransferForm {
    enrolment: String,
    target: String,
}

/// Moves an accepted student of the group to another group of the same category. One form
/// per group (student and target chosen from lists), not one per student: the page stays
/// small on a phone.
pub async fn transfer(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<TransferForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let now = state.clock.now();
    let group = id.into_inner();
    let TransferForm { enrolment, target } = form.into_inner();
    let (Ok(enrolment), Ok(target)) = (enrolment.parse::<Uuid>(), target.parse::<Uuid>()) else {
        ctx.flash(ctx.t("transfer-not-allowed"));
        return Ok(back(&group.to_string()));
    };
    let staff_id = user.id;
    let outcome = db::run(&state.pool, move |conn| {
        let outcome = model::transfer(conn, m.school_id, enrolment, target, staff_id, now)?;
        if outcome == model::Transfer::Done {
            NewAuditEvent::by(staff_id, "enrolment.transferred")
                .on("enrolment", enrolment)
                .details(json!({ "to_group": target }))
                .record(conn)?;
        }
        Ok(outcome)
    })
    .await?;
    let message = match outcome {
        model::Transfer::Done => "transfer-done",
        model::Transfer::GroupFull => "enrolment-group-full",
        model::Transfer::NotAllowed => "transfer-not-allowed",
    };
    ctx.flash(ctx.t(message));
    Ok(back(&group.to_string()))
}
