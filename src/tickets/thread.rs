//! `/tickets/{id}`: the thread, and replying to it. Anyone but the author and the staff of the
//! side it is addressed to gets "not found", whether or not the ticket exists.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::PgConnection;
use serde_json::json;
use uuid::Uuid;

use super::form;
use super::list::{addressee, labelled};
use super::model::{self, STAFF_STATUSES, Side, Ticket, Viewer};
use super::pages::{MessageLine, ThreadPage};
use super::{mails, posting};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::dates;
use crate::media::upload::MAX_BYTES;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

/// The viewer and the ticket, if they may see it; otherwise "not found".
pub(super) async fn visible(
    state: &AppState, user: &CurrentUser, id: Uuid,
) -> Result<(Viewer, Ticket), AppError> {
    let (user_id, role) = (user.id, user.role);
    db::run(&state.pool, move |conn| visible_in(conn, user_id, role, id)).await
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

/// The thread page; `reply` and `error` when a reply is shown again.
pub(super) async fn thread_page(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, id: Uuid, reply: String,
    error: Option<String>,
) -> Result<ThreadPage, AppError> {
    let (user_id, role) = (user.id, user.role);
    let (viewer, ticket, messages, attachments, staff, school, author) =
        db::run(&state.pool, move |conn| {
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
        .filter(|(m, _)| m.moderation != "hidden" || viewer.operator())
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
                moderation: m.moderation,
            }
        })
        .collect();
    let status_label = |s: &str| ctx.t(&format!("ticket-status-{}", s.replace('_', "-")));
    Ok(ThreadPage {
        id: ticket.id.to_string(),
        subject: ticket.subject.clone(),
        category: ctx.t(&format!("ticket-category-{}", ticket.category.replace('_', "-"))),
        status: status_label(&ticket.status),
        status_code: ticket.status.clone(),
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
        staff_statuses: labelled(&ctx, "ticket-status", &STAFF_STATUSES),
        default_status: if ticket.finished() {
            ticket.status.clone()
        } else {
            "waiting_for_user".into()
        },
        assignees: staff.iter().map(|(id, name)| (id.to_string(), name.clone())).collect(),
        assignee_id: ticket.assignee_id.map(|a| a.to_string()).unwrap_or_default(),
        reply,
        error,
        max_mb: (MAX_BYTES / (1024 * 1024)) as i64,
        ctx,
    })
}

pub async fn show(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, path: web::Path<Uuid>,
) -> Result<ThreadPage, AppError> {
    let id = *path;
    thread_page(ctx, &state, &user, id, String::new(), None).await
}

/// The thread again with the reply as typed and why it was not sent.
async fn again(
    ctx: PageCtx, state: &AppState, user: &CurrentUser, id: Uuid, reply: String,
    status: StatusCode, message_id: &str,
) -> Result<HttpResponse, AppError> {
    let error = Some(ctx.t(message_id));
    let page = thread_page(ctx, state, user, id, reply, error).await?;
    crate::web::html(status, &page)
}

/// What became of a reply.
enum Replied {
    Sent {
        message: Uuid,
        subject: String,
        to_mail: Vec<crate::accounts::model::UserRow>,
    },
    TooMany,
    /// The author's window to reopen has passed.
    Expired,
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
            let status = e.status();
            let message = form::upload_error(&e);
            return again(ctx, &state, &user, id, String::new(), status, message).await;
        }
    };
    let body = form::clean_body(&input.get("body"));
    if let Some(message) = form::check_body(&body) {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(ctx, &state, &user, id, body, status, message).await;
    }
    let staff = viewer.serves(ticket.school_id);
    if !staff && ticket.finished() && !ticket.reopenable(now) {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return again(ctx, &state, &user, id, body, status, "ticket-reopen-expired").await;
    }
    let author = user.id;
    let flooded =
        db::run(&state.pool, move |conn| Ok(posting::over_limit(conn, author, staff, now)?))
            .await?;
    if flooded {
        let status = StatusCode::TOO_MANY_REQUESTS;
        return again(ctx, &state, &user, id, body, status, "ticket-error-rate").await;
    }
    let chosen = input.get("status");
    let image = match posting::process(input.image).await {
        Ok(image) => image,
        Err(e) => {
            let status = e.status();
            let message = form::upload_error(&e);
            return again(ctx, &state, &user, id, body, status, message).await;
        }
    };
    let keys_state = state.clone();
    let text = body.clone();
    let replied = db::run(&state.pool, move |conn| {
        let ticket = model::ticket_for_update(conn, id)?;
        if !staff && ticket.finished() && !ticket.reopenable(now) {
            return Ok(Replied::Expired);
        }
        if !posting::may_send(conn, author, staff, now)? {
            return Ok(Replied::TooMany);
        }
        let message = model::insert_message(conn, id, author, &text)?;
        if let Some(image) = &image {
            let photo = posting::attach(conn, &keys_state.keys, author, message, image)?;
            NewAuditEvent::new("ticket.attachment_added")
                .actor(author)
                .subject("photo", photo)
                .details(json!({ "ticket": id, "message": message }))
                .record(conn)?;
        }
        let next = model::status_after_reply(&ticket.status, staff, Some(chosen.as_str()));
        model::set_status(conn, &ticket, next, now)?;
        NewAuditEvent::new("ticket.replied")
            .actor(author)
            .subject("ticket", id)
            .details(json!({
                "message": message,
                "by": if staff { "staff" } else { "author" },
                "from": ticket.status,
                "to": next,
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
        Replied::TooMany => {
            let status = StatusCode::TOO_MANY_REQUESTS;
            again(ctx, &state, &user, id, body, status, "ticket-error-rate").await
        }
        Replied::Expired => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            again(ctx, &state, &user, id, body, status, "ticket-reopen-expired").await
        }
    }
}
