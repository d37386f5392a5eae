//! Changing a ticket: its status (staff: any working status; the author: close, or reopen within
//! 14 days of it being resolved or closed) and its assignee (staff of the ticket's side only).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, STAFF_STATUSES, Side};
use super::thread::visible;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    /// A staff status, or for the author "closed" or "reopen".
    status: String,
}

enum Outcome {
    Changed,
    Unchanged,
    Expired,
}

pub async fn set_status(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, path: web::Path<Uuid>,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = *path;
    let (viewer, ticket) = visible(&state, &user, id).await?;
    let staff = viewer.serves(ticket.school_id);
    let author = ticket.author_id == user.id;
    let requested = form.into_inner().status;
    // What this person may ask for at all; the ticket's state is checked under its lock.
    let allowed = match requested.as_str() {
        "reopen" | "closed" if author => true,
        s => staff && STAFF_STATUSES.contains(&s),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let actor = user.id;
    let outcome = db::run(&state.pool, move |conn| {
        let ticket = model::ticket_for_update(conn, id)?;
        let next = match requested.as_str() {
            "reopen" if !ticket.finished() => return Ok(Outcome::Unchanged),
            "reopen" if !ticket.reopenable(now) => return Ok(Outcome::Expired),
            "reopen" => "in_progress",
            other => other,
        };
        if next == ticket.status {
            return Ok(Outcome::Unchanged);
        }
        model::set_status(conn, &ticket, next, now)?;
        let action =
            if requested == "reopen" { "ticket.reopened" } else { "ticket.status_changed" };
        NewAuditEvent::new(action)
            .actor(actor)
            .subject("ticket", id)
            .details(json!({ "from": ticket.status, "to": next }))
            .record(conn)?;
        Ok(Outcome::Changed)
    })
    .await?;
    let message = match outcome {
        Outcome::Changed => "ticket-status-changed",
        Outcome::Unchanged => "ticket-status-unchanged",
        Outcome::Expired => "ticket-reopen-expired",
    };
    Ok(ctx.flash_to(message, format!("/tickets/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    /// A staff member's id, or empty for nobody.
    assignee: String,
}

pub async fn assign(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, path: web::Path<Uuid>,
    form: web::Form<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = *path;
    let (viewer, ticket) = visible(&state, &user, id).await?;
    if !viewer.serves(ticket.school_id) {
        return Err(AppError::Forbidden);
    }
    let assignee = match form.assignee.trim() {
        "" => None,
        a => Some(a.parse::<Uuid>().map_err(|_| AppError::Unprocessable)?),
    };
    let actor = user.id;
    let assigned = db::run(&state.pool, move |conn| {
        let ticket = model::ticket_for_update(conn, id)?;
        if let Some(a) = assignee {
            let staff = model::staff_of(conn, Side::of(ticket.school_id))?;
            if !staff.iter().any(|(s, _)| *s == a) {
                return Ok(false);
            }
        }
        if ticket.assignee_id != assignee {
            model::set_assignee(conn, id, assignee, now)?;
            NewAuditEvent::new("ticket.assigned")
                .actor(actor)
                .subject("ticket", id)
                .details(json!({ "from": ticket.assignee_id, "to": assignee }))
                .record(conn)?;
        }
        Ok(true)
    })
    .await?;
    let message = if assigned { "ticket-assigned" } else { "ticket-assign-refused" };
    Ok(ctx.flash_to(message, format!("/tickets/{id}")))
}
