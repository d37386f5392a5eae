//! The school's own pages for its staff. Every handler starts from the staff member's
//! membership, and every query is limited to that school: another school's ids are not found.

use actix_web::{HttpResponse, http::StatusCode, web};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Decision, GroupStatus, NewGroup};
use super::pages::NewGroupPage;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::schools::registry::access::SchoolManager;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::form::{FORM, FormErrors};

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct GroupForm {
    pub category: String,
    pub language: String,
    pub starts_on: String,
    pub ends_on: String,
    pub capacity: String,
}

pub async fn new_group(ctx: PageCtx, _manager: SchoolManager) -> Result<NewGroupPage, AppError> {
    Ok(NewGroupPage {
        ctx,
        categories: model::CATEGORIES.to_vec(),
        errors: FormErrors::default(),
        form: GroupForm::default(),
    })
}

/// How far from today a group may start, and how long its training may last: a date outside
/// these is a typo (1800-01-01), not a plan.
const START_WITHIN_DAYS: i64 = 366;
const LONGEST_DAYS: i64 = 366;

fn parse_group(
    form: &GroupForm, school_id: Uuid, today: NaiveDate,
) -> Result<NewGroup, &'static str> {
    if !model::CATEGORIES.contains(&form.category.as_str()) {
        return Err("group-error-category");
    }
    if !matches!(form.language.as_str(), "kk" | "ru") {
        return Err("group-error-language");
    }
    let date =
        |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| "date-error-invalid");
    let (starts_on, ends_on) = (date(&form.starts_on)?, date(&form.ends_on)?);
    if ends_on < starts_on {
        return Err("group-error-dates");
    }
    if (starts_on - today).num_days().abs() > START_WITHIN_DAYS {
        return Err("group-error-start-range");
    }
    if (ends_on - starts_on).num_days() > LONGEST_DAYS {
        return Err("group-error-too-long");
    }
    let capacity: i32 = form.capacity.trim().parse().map_err(|_| "group-error-capacity")?;
    if !(1..=200).contains(&capacity) {
        return Err("group-error-capacity");
    }
    Ok(NewGroup {
        school_id,
        category: form.category.clone(),
        language: form.language.clone(),
        starts_on,
        ends_on,
        theory_teacher_id: None,
        capacity,
    })
}

pub async fn create_group(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, form: web::Form<GroupForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let form = form.into_inner();
    let group = match parse_group(&form, m.school_id, state.clock.today()) {
        Ok(group) => group,
        Err(message) => {
            let page = NewGroupPage {
                errors: FormErrors::one(FORM, message),
                categories: model::CATEGORIES.to_vec(),
                form,
                ctx,
            };
            return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let staff_id = user.id;
    let id = db::run(&state.pool, move |conn| {
        let id = model::insert_group(conn, &group)?;
        NewAuditEvent::by(staff_id, "group.created").on("group", id).record(conn)?;
        Ok(id)
    })
    .await?;
    Ok(crate::web::see_other(format!("/school/groups/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RejectForm {
    reason: String,
    group: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    group: String,
}

pub(super) fn back(group: &str) -> HttpResponse {
    let target = match group.parse::<Uuid>() {
        Ok(id) => format!("/school/groups/{id}"),
        Err(_) => "/school".to_string(),
    };
    crate::web::see_other(target)
}

pub async fn accept(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let now = state.clock.now();
    let enrolment = id.into_inner();
    let staff_id = user.id;
    let decision = db::run(&state.pool, move |conn| {
        let decision = model::accept(conn, m.school_id, enrolment, staff_id, now)?;
        if decision == Decision::Done {
            NewAuditEvent::by(staff_id, "enrolment.accepted")
                .on("enrolment", enrolment)
                .record(conn)?;
        }
        Ok(decision)
    })
    .await?;
    let message = match decision {
        Decision::Done => "enrolment-accepted-done",
        Decision::GroupFull => "enrolment-group-full",
        Decision::NotPending => "enrolment-not-pending",
        Decision::NoPhotoConsent => "enrolment-no-photo-consent",
    };
    ctx.flash(ctx.t(message));
    Ok(back(&form.group))
}

pub async fn reject(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<RejectForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let now = state.clock.now();
    let enrolment = id.into_inner();
    let RejectForm { reason, group } = form.into_inner();
    let reason = reason.trim().chars().take(500).collect::<String>();
    if reason.is_empty() {
        ctx.flash(ctx.t("enrolment-reason-required"));
        return Ok(back(&group));
    }
    let staff_id = user.id;
    let decision = db::run(&state.pool, move |conn| {
        let decision = model::reject(conn, m.school_id, enrolment, staff_id, &reason, now)?;
        if decision == Decision::Done {
            NewAuditEvent::by(staff_id, "enrolment.rejected")
                .on("enrolment", enrolment)
                .details(json!({ "with_reason": true }))
                .record(conn)?;
        }
        Ok(decision)
    })
    .await?;
    let message = if decision == Decision::Done {
        "enrolment-rejected-done"
    } else {
        "enrolment-not-pending"
    };
    ctx.flash(ctx.t(message));
    Ok(back(&group))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    status: String,
}

/// recruiting → in training → finished, one step at a time.
pub async fn set_status(
    ctx: PageCtx, manager: SchoolManager, state: web::Data<AppState>, id: web::Path<Uuid>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let (user, m) = (manager.user, manager.membership);
    let group_id = id.into_inner();
    let next = GroupStatus::parse(&form.into_inner().status);
    let staff_id = user.id;
    let changed = db::run(&state.pool, move |conn| {
        let group = model::group_of(conn, m.school_id, group_id)?;
        let next = match (group.status, next) {
            (GroupStatus::Recruiting, Some(next @ GroupStatus::InTraining))
            | (GroupStatus::InTraining, Some(next @ GroupStatus::Finished)) => next,
            _ => return Ok(false),
        };
        if !model::set_group_status(conn, group_id, group.status, next)? {
            return Ok(false);
        }
        NewAuditEvent::by(staff_id, "group.status_changed")
            .on("group", group_id)
            .details(json!({ "from": group.status.as_str(), "to": next.as_str() }))
            .record(conn)?;
        Ok(true)
    })
    .await?;
    ctx.flash(ctx.t(if changed { "group-status-changed" } else { "group-status-not-changed" }));
    Ok(crate::web::see_other(format!("/school/groups/{group_id}")))
}
