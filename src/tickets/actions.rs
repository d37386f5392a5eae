//! Changing a ticket: its status (staff: any working status; the author: close, or reopen within
//! 14 days of it being resolved or closed) and its assignee (staff of the ticket's side only).

use actix_web::{HttpResponse, web};
use diesel::PgConnection;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, Side, Ticket, TicketStatus};
use super::thread::visible;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

/// Makes a change to the ticket, locked until it is written, and goes back to the ticket with
/// the message id `change` returns.
async fn change(
    ctx: PageCtx, state: &AppState, id: Uuid,
    change: impl FnOnce(&mut PgConnection, Ticket) -> Result<&'static str, AppError> + Send + 'static,
) -> Result<HttpResponse, AppError> {
    let message = db::run(&state.pool, move |conn| {
        let ticket = model::ticket_for_update(conn, id)?;
        change(conn, ticket)
    })
    .await?;
    Ok(ctx.flash_to(message, format!("/tickets/{id}")))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    /// A staff status, or for the author "closed" or "reopen".
    status: String,
}

/// What a status form asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Requested {
    Reopen,
    Status(TicketStatus),
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
    let requested = match form.status.as_str() {
        "reopen" => Some(Requested::Reopen),
        code => TicketStatus::parse(code).map(Requested::Status),
    };
    // What this person may ask for at all; the ticket's state is checked under its lock.
    let requested = match requested {
        Some(r @ (Requested::Reopen | Requested::Status(TicketStatus::Closed))) if author => r,
        Some(r @ Requested::Status(s)) if staff && TicketStatus::STAFF.contains(&s) => r,
        _ => return Err(AppError::Forbidden),
    };
    let actor = user.id;
    change(ctx, &state, id, move |conn, ticket| {
        let next = match requested {
            Requested::Reopen if !ticket.finished() => return Ok("ticket-status-unchanged"),
            Requested::Reopen if !ticket.reopenable(now) => return Ok("ticket-reopen-expired"),
            Requested::Reopen => TicketStatus::InProgress,
            Requested::Status(status) => status,
        };
        if next == ticket.status {
            return Ok("ticket-status-unchanged");
        }
        model::set_status(conn, &ticket, next, now)?;
        let action = match requested {
            Requested::Reopen => "ticket.reopened",
            Requested::Status(_) => "ticket.status_changed",
        };
        NewAuditEvent::by(actor, action)
            .on("ticket", id)
            .details(json!({ "from": ticket.status.as_str(), "to": next.as_str() }))
            .record(conn)?;
        Ok("ticket-status-changed")
    })
    .await
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
    let id = *path;
    let (viewer, ticket) = visible(&state, &user, id).await?;
    if !viewer.serves(ticket.school_id) {
        return Err(AppError::Forbidden);
    }
    let assignee = match form.assignee.trim() {
        "" => None,
        a => Some(a.parse::<Uuid>().map_err(|_| AppError::Unprocessable)?),
    };
    let (actor, now) = (user.id, state.clock.now());
    change(ctx, &state, id, move |conn, ticket| {
        if let Some(a) = assignee {
            let staff = model::staff_of(conn, Side::of(ticket.school_id))?;
            if !staff.iter().any(|(s, _)| *s == a) {
                return Ok("ticket-assign-refused");
            }
        }
        if ticket.assignee_id != assignee {
            model::set_assignee(conn, id, assignee, now)?;
            NewAuditEvent::by(actor, "ticket.assigned")
                .on("ticket", id)
                .details(json!({ "from": ticket.assignee_id, "to": assignee }))
                .record(conn)?;
        }
        Ok("ticket-assigned")
    })
    .await
}
