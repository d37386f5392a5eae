//! Restricting an author from publishing, and lifting it.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, Utc};
use diesel::{PgConnection, QueryResult};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::accounts::restrictions;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::{Moderators, RequireRole};

use super::handlers::{DecisionForm, MAX_REASON, back, reason, refuse, tidy};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RestrictForm {
    /// The form's key on the queue page, to show an error next to it.
    item: String,
    until: String,
    reason: String,
    view: String,
    page: String,
}

/// The audit event of a moderator's act on an account.
fn account_event(action: &str, req: &HttpRequest, moderator: Uuid, target: Uuid) -> NewAuditEvent {
    NewAuditEvent::by(moderator, action).on("user", target).request(req)
}

/// Records the act with the account, the reason and what else the act tells (`more`).
fn record(
    conn: &mut PgConnection, event: NewAuditEvent, target: Uuid, reason: &str, more: Value,
) -> QueryResult<()> {
    let mut details = json!({ "item": "user", "item_id": target, "reason": reason });
    if let (Some(details), Value::Object(more)) = (details.as_object_mut(), more) {
        details.extend(more);
    }
    event.details(details).record(conn)
}

/// A restriction with an end runs at most this long; for longer, it is left without an end.
const MAX_DAYS: i64 = 3 * 366;

/// The end of a restriction "until <date>": the start of the next day in Almaty.
fn end_of(day: NaiveDate) -> Option<chrono::DateTime<Utc>> {
    crate::i18n::dates::start_of_day(day.succ_opt()?)
}

pub async fn restrict(
    req: HttpRequest, ctx: PageCtx, user: RequireRole<Moderators>, state: web::Data<AppState>,
    id: web::Path<Uuid>, form: web::Form<RestrictForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let target = id.into_inner();
    if target == user.id {
        return Err(AppError::Forbidden);
    }
    let form = form.into_inner();
    let key = form.item.chars().take(100).collect::<String>();
    let until = match form.until.trim() {
        "" => Ok(None),
        text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(day) if day < state.clock.today() => Err("moderation-error-until-past"),
            Ok(day) if (day - state.clock.today()).num_days() > MAX_DAYS => {
                Err("moderation-error-until-far")
            }
            Ok(day) => end_of(day).map(Some).ok_or("date-error-invalid"),
            Err(_) => Err("date-error-invalid"),
        },
    };
    let checked = until.and_then(|until| reason(&form.reason).map(|r| (until, r)));
    let (until, reason) = match checked {
        Ok(ok) => ok,
        Err(message) => {
            return refuse(ctx, &state, &user, &form.view, &form.page, key, message).await;
        }
    };
    let moderator = user.id;
    let event = account_event("moderation.user.restrict", &req, moderator, target);
    let done = db::run(&state.pool, move |conn| {
        let role = restrictions::role_of(conn, target)?.ok_or(AppError::NotFound)?;
        // The operator's own staff answer to the operator, not to a moderator's restriction.
        if matches!(Role::parse(&role), Ok(Role::Admin | Role::Moderator)) {
            return Ok(false);
        }
        let id = restrictions::restrict(conn, target, until, &reason, moderator, now)?;
        let more = json!({ "until": until, "restriction_id": id });
        record(conn, event, target, &reason, more)?;
        Ok(true)
    })
    .await?;
    let message = if done { "moderation-restricted" } else { "moderation-error-staff" };
    Ok(back(&ctx, message, &form.view, &form.page))
}

pub async fn lift(
    req: HttpRequest, ctx: PageCtx, user: RequireRole<Moderators>, state: web::Data<AppState>,
    id: web::Path<Uuid>, form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let target = id.into_inner();
    let form = form.into_inner();
    // Lifting needs no reason; one given is kept, tidied and cut to the usual length.
    let reason: String = tidy(&form.reason).chars().take(MAX_REASON).collect();
    let moderator = user.id;
    let event = account_event("moderation.user.lift", &req, moderator, target);
    let lifted = db::run(&state.pool, move |conn| {
        let lifted = restrictions::lift(conn, target, moderator, now)?;
        if lifted > 0 {
            record(conn, event, target, &reason, json!({ "lifted": lifted }))?;
        }
        Ok(lifted)
    })
    .await?;
    let message = if lifted > 0 { "moderation-lifted" } else { "moderation-already" };
    Ok(back(&ctx, message, &form.view, &form.page))
}
