//! Reporting a review or a ticket message: anyone signed in who can see the item, with a reason
//! from the §4 rules and an optional note; at most `REPORTS_PER_HOUR` an hour.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Filed, REASONS, REPORTS_PER_HOUR, Target};
use super::pages::ReportPage;
use crate::accounts::restrictions;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::form::FormErrors;

/// Longest note a reporter may add (the column allows this much).
const MAX_NOTE: usize = 1000;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportQuery {
    review: String,
    message: String,
}

/// Exactly one of the two ids, well-formed; anything else is not found.
fn target(review: &str, message: &str) -> Result<Target, AppError> {
    let parse = |s: &str| s.trim().parse::<Uuid>().map_err(|_| AppError::NotFound);
    match (review.trim().is_empty(), message.trim().is_empty()) {
        (false, true) => Ok(Target::Review(parse(review)?)),
        (true, false) => Ok(Target::Message(parse(message)?)),
        _ => Err(AppError::NotFound),
    }
}

/// The report form for the item, with the reason and note as typed and their errors.
fn report_page(
    ctx: PageCtx, target: Target, item: model::Reportable, reason: String, note: String,
    errors: FormErrors,
) -> ReportPage {
    ReportPage {
        field: match target {
            Target::Review(_) => "review_id",
            Target::Message(_) => "message_id",
        },
        id: target.id().to_string(),
        text: item.text,
        back: item.back,
        reasons: REASONS
            .iter()
            .map(|r| (*r, ctx.t(&format!("report-reason-{}", r.replace('_', "-")))))
            .collect(),
        reason,
        note,
        errors,
        ctx,
    }
}

/// What the person may do with this item now.
enum Access {
    Restricted(restrictions::Restriction),
    Hidden,
    Open(model::Reportable),
}

async fn access(state: &AppState, user: &CurrentUser, target: Target) -> Result<Access, AppError> {
    let now = state.clock.now();
    let (id, role) = (user.id, user.role);
    db::run(&state.pool, move |conn| {
        if let Some(r) = restrictions::restricted(conn, id, now)? {
            return Ok(Access::Restricted(r));
        }
        Ok(match model::reportable(conn, id, role, target)? {
            Some(item) => Access::Open(item),
            None => Access::Hidden,
        })
    })
    .await
}

pub async fn form(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, query: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let target = target(&query.review, &query.message)?;
    let item = match access(&state, &user, target).await? {
        Access::Restricted(r) => return restrictions::restricted_page(ctx, &r),
        Access::Hidden => return Err(AppError::NotFound),
        Access::Open(item) => item,
    };
    let page = report_page(ctx, target, item, String::new(), String::new(), FormErrors::default());
    crate::web::html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    review_id: String,
    message_id: String,
    reason: String,
    note: String,
}

pub async fn submit(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
    form: web::Form<ReportForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let form = form.into_inner();
    let target = target(&form.review_id, &form.message_id)?;
    let item = match access(&state, &user, target).await? {
        Access::Restricted(r) => return restrictions::restricted_page(ctx, &r),
        Access::Hidden => return Err(AppError::NotFound),
        Access::Open(item) => item,
    };
    let reason = REASONS.iter().find(|r| **r == form.reason).copied();
    let note = form.note.trim().to_string();
    let mut errors = FormErrors::default();
    if reason.is_none() {
        errors.add("reason", "report-error-reason");
    }
    if note.chars().count() > MAX_NOTE {
        errors.add("note", "report-error-note");
    }
    let reporter = user.id;
    let recent = if errors.is_empty() {
        db::run(&state.pool, move |conn| Ok(model::reports_last_hour(conn, reporter, now)?)).await?
    } else {
        0
    };
    let status = if !errors.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if recent >= REPORTS_PER_HOUR {
        errors.add("reason", "report-error-too-many");
        StatusCode::TOO_MANY_REQUESTS
    } else {
        StatusCode::OK
    };
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        let page = report_page(ctx, target, item, form.reason, form.note, errors);
        return crate::web::html(status, &page);
    };
    let event =
        NewAuditEvent::by(reporter, "report.filed").on(target.kind(), target.id()).request(&req);
    let filed = db::run(&state.pool, move |conn| {
        let note = Some(note.as_str()).filter(|n| !n.is_empty());
        let filed = model::file_report(conn, reporter, target, reason, note, now)?;
        if let Filed::Filed(id) = filed {
            event.details(json!({ "reason": reason, "report_id": id })).record(conn)?;
        }
        Ok(filed)
    })
    .await?;
    let message = match filed {
        Filed::Filed(_) => "report-thanks",
        Filed::AlreadyOpen => "report-already",
        Filed::TooMany => "report-error-too-many",
    };
    Ok(ctx.flash_to(message, item.back))
}
