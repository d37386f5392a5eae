//! The user's own account: sending the verification link again, and their signed-in devices
//! (`/me/sessions`). The profile page `/me` gathers several areas and stands on the top storey
//! (`pages::me`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::model;
use super::pages::{DeviceRow, SessionsPage};
use super::tokens::{self, Purpose};
use super::{device, mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::error::AppError;
use crate::i18n::dates;
use crate::limits;
use crate::state::AppState;
use crate::web::auth::CurrentUser;
use crate::web::{PageCtx, session as web_session};

/// Sends the verification link again (the first mail may have gone astray).
pub async fn resend_verification(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    if !user.email_verified {
        let id = user.id;
        let limit = vec![(limits::MAILS_PER_RECIPIENT, format!("verify:{id}"))];
        if !signed_in::mail_allowed(&state, limit).await? {
            return Ok(ctx.flash_to("limits-mail-wait", "/me"));
        }
        let store = state.clone();
        let (token, row) = db::run(&state.pool, move |conn| {
            let row = model::by_id(conn, id)?;
            Ok((tokens::issue(conn, id, Purpose::VerifyEmail, now)?, row))
        })
        .await?;
        if let Some(email) = row.email(&store.keys) {
            let link = signed_in::link(&state, &format!("/verify-email?token={token}"));
            signed_in::send(&state, mails::verify_email(ctx.lang, &email, &row.first_name, link))
                .await;
        }
        ctx.flash(ctx.t("verify-sent-again"));
    }
    Ok(crate::web::see_other("/me"))
}

pub async fn sessions(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<SessionsPage, AppError> {
    let id = user.id;
    let now = state.clock.now();
    let devices =
        db::read(&state.pool, move |conn| Ok(web_session::devices(conn, id, now)?)).await?;
    let devices = devices
        .into_iter()
        .map(|d| DeviceRow {
            id: d.id.to_string(),
            device: device::describe(d.user_agent.as_deref().unwrap_or_default()),
            ip: d.ip.clone().unwrap_or_default(),
            signed_in: dates::date_time(d.created_at),
            last_seen: dates::date_time(d.last_seen_at),
            this_device: d.is(&user.device),
        })
        .collect();
    Ok(SessionsPage { ctx, devices })
}

#[derive(Deserialize)]
pub struct SessionPath {
    id: Uuid,
}

pub async fn revoke_one(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>, path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    let (user_id, session_id) = (user.id, path.id);
    let ended = db::run(&state.pool, move |conn| {
        let ended = web_session::revoke(conn, user_id, session_id)?;
        if ended > 0 {
            NewAuditEvent::by(user_id, "session.revoked").on("session", session_id).record(conn)?;
        }
        Ok(ended)
    })
    .await?;
    if ended == 0 {
        return Err(AppError::NotFound);
    }
    Ok(ctx.flash_to("sessions-ended-one", "/me/sessions"))
}

pub async fn revoke_others(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (user_id, device) = (user.id, user.device.clone());
    db::run(&state.pool, move |conn| {
        let ended = web_session::revoke_all(conn, user_id, Some(&device))?;
        NewAuditEvent::by(user_id, "session.revoked_others")
            .on("user", user_id)
            .details(serde_json::json!({ "ended": ended }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    Ok(ctx.flash_to("sessions-ended-others", "/me/sessions"))
}
