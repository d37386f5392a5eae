//! Restricting an author from publishing, and lifting it.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::accounts::restrictions;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::{Moderators, RequireRole};

use super::handlers::{DecisionForm, MAX_REASON, back, reason, refuse};

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
            Ok(day) if day >= state.clock.today() => {
                end_of(day).map(Some).ok_or("date-error-invalid")
            }
            Ok(_) => Err("moderation-error-until-past"),
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
    let event = NewAuditEvent::new("moderation.user.restrict")
        .actor(user.id)
        .subject("user", target)
        .request(&req);
    let moderator = user.id;
    db::run(&state.pool, move |conn| {
        if restrictions::role_of(conn, target)?.is_none() {
            return Err(AppError::NotFound);
        }
        let id = restrictions::restrict(conn, target, until, &reason, moderator, now)?;
        event
            .details(json!({
                "item": "user",
                "item_id": target,
                "reason": reason,
                "until": until,
                "restriction_id": id,
            }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    ctx.flash(ctx.t("moderation-restricted"));
    Ok(back(&form.view, &form.page))
}

pub async fn lift(
    req: HttpRequest, ctx: PageCtx, user: RequireRole<Moderators>, state: web::Data<AppState>,
    id: web::Path<Uuid>, form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let target = id.into_inner();
    let form = form.into_inner();
    let reason = form.reason.split_whitespace().collect::<Vec<_>>().join(" ");
    let reason: String = reason.chars().take(MAX_REASON).collect();
    let event = NewAuditEvent::new("moderation.user.lift")
        .actor(user.id)
        .subject("user", target)
        .request(&req);
    let moderator = user.id;
    let lifted = db::run(&state.pool, move |conn| {
        let lifted = restrictions::lift(conn, target, moderator, now)?;
        if lifted > 0 {
            event
                .details(json!({
                    "item": "user",
                    "item_id": target,
                    "reason": reason,
                    "lifted": lifted,
                }))
                .record(conn)?;
        }
        Ok(lifted)
    })
    .await?;
    let message = if lifted > 0 { "moderation-lifted" } else { "moderation-already" };
    ctx.flash(ctx.t(message));
    Ok(back(&form.view, &form.page))
}
