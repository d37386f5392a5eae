//! `/tickets/{id}`: the thread, and replying to it. Anyone but the author and the staff of the
//! side it is addressed to gets "not found", whether or not the ticket exists.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::PgConnection;
use serde_json::json;
use uuid::Uuid;

use super::form::{self, Refusal};
use super::list::{addressee, label, statuses};
use super::model::{self, MessageModeration, Side, Ticket, TicketStatus, Viewer};
use super::pages::{MessageLine, ThreadPage};
use super::{mails, posting};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::form::{FORM, FormErrors};

/// The viewer and the ticket, if they may see it; otherwise "not found".
pub(super) async fn visible(
    state: &AppState, user: &CurrentUser, id: Uuid,
) -> Result<(Viewer, Ticket), AppError> {
    let (user_id, role) = (user.id, user.role);
    db::read(&state.pool, move |conn| visible_in(conn, user_id, role, id)).await
}

/// `visible`, inside a request's database work.
pub(super) fn visible_in(
    conn: &mut PgConnection, user_id: Uuid, role: Role, id: Uuid,
) -> Result<(Viewer, Ticket), AppError> {
    let viewer = model::viewer(conn, user_id, role)?;
    match model::ticket(conn, id)? {
        Some(ticket) if viewer.may_see(&ticket) => Ok((viewer, ticket)),
        _ => Err(AppError::NotFound),
    }
}

/// The thread page; `reply` and `errors` when a reply is shown again.
pub(super) async fn thread_page(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, id: Uuid, reply: String, errors: FormErrors,
) -> Result<ThreadPage, AppError> {
    let (user_id, role) = (user.id, user.role);
    let (viewer, ticket, messages, attachments, staff, school, author) =
        db::read(&state.pool, move |conn| {
            let (viewer, ticket) = visible_in(conn, user_id, role, id)?;
            let staff = model::staff_of(conn, Side::of(ticket.school_id))?;
            let school = match ticket.school_id {
                Some(school) => {
                    let s = crate::schools::registry::model::school(conn, school)?;
                    Some((s.name_kk, s.name_ru))
                }
                None => None,
            };
            let author = model::name_of(conn, ticket.author_id)?;
            Ok((
                viewer,
                ticket.clone(),
                model::messages(conn, id)?,
                model::attachments(conn, id)?,
                staff,
                school,
                author,
            ))
        })
        .await?;
    let is_staff = viewer.serves(ticket.school_id);
    let author_view = ticket.author_id == viewer.id;
    let now = state.clock.now();
    let name = |id: Uuid| staff.iter().find(|(s, _)| *s == id).map(|(_, n)| n.clone());
    let lines = messages
        .into_iter()
        .filter(|(m, _)| m.moderation != MessageModeration::Hidden || viewer.operator())
        .map(|(m, who)| {
            let from_staff = m.author_id != Some(ticket.author_id);
            MessageLine {
                id: m.id.to_string(),
                author: match who {
                    Some((last, first, _)) => format!("{last} {first}"),
                    None => ctx.t("ticket-former-user"),
                },
                from_staff,
                mine: m.author_id == Some(viewer.id),
                when: dates::date_time(m.created_at),
                lines: m.body.split('\n').map(str::to_string).collect(),
                // The moderator's own words (a decision's reason is typed, not chosen).
                removed_reason: m.moderation_reason.clone(),
                attachments: attachments
                    .iter()
                    .filter(|(message, _)| *message == m.id)
                    .map(|(_, photo)| photo.to_string())
                    .collect(),
                moderation: m.moderation.as_str(),
            }
        })
        .collect();
    Ok(ThreadPage {
        id: ticket.id.to_string(),
        subject: ticket.subject.clone(),
        category: label(&ctx, "ticket-category", &ticket.category),
        status: label(&ctx, "ticket-status", ticket.status.as_str()),
        state: ticket.status,
        to: addressee(&ctx, school.as_ref()),
        author: author.unwrap_or_else(|| ctx.t("ticket-former-user")),
        assignee: ticket
            .assignee_id
            .map(|a| name(a).unwrap_or_else(|| ctx.t("ticket-former-staff"))),
        created: dates::date_time(ticket.created_at),
        messages: lines,
        staff: is_staff,
        author_view,
        finished: ticket.finished(),
        reopenable: author_view && ticket.reopenable(now),
        can_reply: is_staff || (author_view && (!ticket.finished() || ticket.reopenable(now))),
        staff_statuses: statuses(&ctx, &TicketStatus::STAFF),
        default_status: if ticket.finished() {
            ticket.status
        } else {
            TicketStatus::WaitingForUser
        },
        assignees: staff.iter().map(|(id, name)| (id.to_string(), name.clone())).collect(),
        assignee_id: ticket.assignee_id.map(|a| a.to_string()).unwrap_or_default(),
        reply,
        errors,
        max_mb: form::MAX_MB,
        ctx,
    })
}

pub async fn show(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, path: web::Path<Uuid>,
) -> Result<ThreadPage, AppError> {
    let id = *path;
    thread_page(ctx, &state, &user, id, String::new(), FormErrors::default()).await
}

/// The author's window to reopen has passed.
const EXPIRED: Refusal = (StatusCode::UNPROCESSABLE_ENTITY, FORM, "ticket-reopen-expired");

/// The thread again with the reply as typed and why it was not sent.
async fn again(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, id: Uuid, reply: String,
    (status, field, message_id): Refusal,
) -> Result<HttpResponse, AppError> {
    let errors = FormErrors::one(field, message_id);
    let page = thread_page(ctx, state, user, id, reply, errors).await?;
    crate::web::html(status, &page)
}

/// What became of a reply.
enum Replied {
    Sent { message: Uuid, subject: String, to_mail: Vec<crate::accounts::model::UserRow> },
    Refused(Refusal),
}

pub async fn reply(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
    path: web::Path<Uuid>, payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let id = *path;
    let (viewer, ticket) = visible(&state, &user, id).await?;
    let input = match form::read(&req, payload, user.id).await {
        Ok(input) => input,
        Err(e) => {
            return again(ctx, &state, &user, id, String::new(), form::upload_refused(&e)).await;
        }
    };
    let body = form::clean_body(&input.get("body"));
    if let Some(message) = form::check_body(&body) {
        let refusal = (StatusCode::UNPROCESSABLE_ENTITY, "body", message);
        return again(ctx, &state, &user, id, body, refusal).await;
    }
    let staff = viewer.serves(ticket.school_id);
    if !staff && ticket.finished() && !ticket.reopenable(now) {
        return again(ctx, &state, &user, id, body, EXPIRED).await;
    }
    let author = user.id;
    if posting::flooded(&state, author, staff, now).await? {
        return again(ctx, &state, &user, id, body, form::TOO_MANY).await;
    }
    let chosen = TicketStatus::parse(&input.get("status"));
    let image = match posting::process(input.image).await {
        Ok(image) => image,
        Err(e) => return again(ctx, &state, &user, id, body, form::upload_refused(&e)).await,
    };
    let keys_state = state.clone();
    let text = body.clone();
    let replied = db::run(&state.pool, move |conn| {
        let ticket = model::ticket_for_update(conn, id)?;
        if !staff && ticket.finished() && !ticket.reopenable(now) {
            return Ok(Replied::Refused(EXPIRED));
        }
        if !posting::may_send(conn, author, staff, now)? {
            return Ok(Replied::Refused(form::TOO_MANY));
        }
        let message = model::insert_message(conn, id, author, &text)?;
        posting::attach_any(conn, &keys_state.keys, author, id, message, image.as_ref())?;
        let next = model::status_after_reply(ticket.status, staff, chosen);
        model::set_status(conn, &ticket, next, now)?;
        NewAuditEvent::by(author, "ticket.replied")
            .on("ticket", id)
            .details(json!({
                "message": message,
                "by": if staff { "staff" } else { "author" },
                "from": ticket.status.as_str(),
                "to": next.as_str(),
            }))
            .record(conn)?;
        let to_mail = mails::recipients(conn, &ticket, author)?;
        Ok(Replied::Sent { message, subject: ticket.subject, to_mail })
    })
    .await?;
    match replied {
        Replied::Sent { message, subject, to_mail } => {
            mails::notify(&state, to_mail, "ticket-reply", id, &subject, &body);
            ctx.flash(ctx.t("ticket-replied"));
            Ok(crate::web::see_other(format!("/tickets/{id}#message-{message}")))
        }
        Replied::Refused(refusal) => again(ctx, &state, &user, id, body, refusal).await,
    }
}
