//! `/tickets/new`: opening a ticket to one of the person's schools or to the operator.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;
use uuid::Uuid;

use super::form::{self, Refusal, TicketForm};
use super::list::labelled;
use super::model::{self, CATEGORIES, NewTicket};
use super::pages::NewPage;
use super::{mails, posting};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;
use crate::web::form::FormErrors;

/// (id, names) of the schools the person may write to.
type Schools = Vec<(Uuid, String, String)>;

async fn schools(state: &AppState, user: &CurrentUser) -> Result<Schools, AppError> {
    let id = user.id;
    db::read(&state.pool, move |conn| Ok(model::schools_of(conn, id)?)).await
}

fn page(ctx: PageCtx, schools: &Schools, form: TicketForm, errors: FormErrors) -> NewPage {
    NewPage {
        schools: schools
            .iter()
            .map(|(id, kk, ru)| (id.to_string(), ctx.lang.pick(kk, ru).to_string()))
            .collect(),
        categories: labelled(&ctx, "ticket-category", CATEGORIES),
        form,
        errors,
        max_mb: form::MAX_MB,
        ctx,
    }
}

pub async fn new_form(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<NewPage, AppError> {
    let schools = schools(&state, &user).await?;
    Ok(page(ctx, &schools, TicketForm::default(), FormErrors::default()))
}

/// The form again, as typed, with why it was not sent.
fn refused(
    ctx: PageCtx, schools: &Schools, form: TicketForm, (status, field, message_id): Refusal,
) -> Result<HttpResponse, AppError> {
    let errors = FormErrors::one(field, message_id);
    crate::web::html(status, &page(ctx, schools, form, errors))
}

pub async fn create(
    req: HttpRequest, ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let schools = schools(&state, &user).await?;
    let input = match form::read(&req, payload, user.id).await {
        Ok(input) => input,
        Err(e) => return refused(ctx, &schools, TicketForm::default(), form::upload_refused(&e)),
    };
    let typed = TicketForm::from_input(&input);
    let ids: Vec<Uuid> = schools.iter().map(|(id, _, _)| *id).collect();
    let (to, category, subject, body) = match form::check(&typed, &ids) {
        Ok(checked) => checked,
        Err(errors) => {
            let page = page(ctx, &schools, typed, errors);
            return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let author = user.id;
    if posting::flooded(&state, author, false, now).await? {
        return refused(ctx, &schools, typed, form::TOO_MANY);
    }
    let image = match posting::process(input.image).await {
        Ok(image) => image,
        Err(e) => return refused(ctx, &schools, typed, form::upload_refused(&e)),
    };
    let new = NewTicket { author_id: author, school_id: to, category, subject, body };
    let keys_state = state.clone();
    let stored = db::run(&state.pool, move |conn| {
        if !posting::may_send(conn, author, false, now)? {
            return Ok(None);
        }
        let (id, message) = model::insert_ticket(conn, &new)?;
        posting::attach_any(conn, &keys_state.keys, author, id, message, image.as_ref())?;
        NewAuditEvent::by(author, "ticket.opened")
            .on("ticket", id)
            .details(json!({
                "to": if new.school_id.is_some() { "school" } else { "operator" },
                "school": new.school_id,
                "category": new.category,
                "message": message,
            }))
            .record(conn)?;
        let ticket = model::ticket(conn, id)?.ok_or(AppError::NotFound)?;
        let to_mail = mails::recipients(conn, &ticket, author)?;
        Ok(Some((ticket, new.body, to_mail)))
    })
    .await?;
    let Some((ticket, body, to_mail)) = stored else {
        return refused(ctx, &schools, typed, form::TOO_MANY);
    };
    mails::notify(&state, to_mail, "ticket-new", ticket.id, &ticket.subject, &body);
    Ok(ctx.flash_to("ticket-created", format!("/tickets/{}", ticket.id)))
}
