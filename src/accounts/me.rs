//! `/me`: what the portal holds about the user (policy §11: the right to know), their sign-in
//! history (§5) and their signed-in devices.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use uuid::Uuid;

use super::model;
use super::pages::{DeviceRow, HistoryRow, MePage, ProfileField, SessionsPage};
use super::tokens::{self, Purpose};
use super::{device, mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::AccountStatus;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::auth::CurrentUser;
use crate::web::{PageCtx, session as web_session};

pub async fn profile(
    ctx: PageCtx,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<MePage, AppError> {
    let id = user.id;
    let (row, consents, history, photo) = db::run(&state.pool, move |conn| {
        Ok((
            model::by_id(conn, id)?,
            model::consents_in_force(conn, id)?,
            model::sign_in_history(conn, id, 10)?,
            crate::photos::model::profile_photo(conn, id)?,
        ))
    })
    .await?;
    let keys = &state.keys;
    let t = |id: &str| ctx.t(id);
    let mut fields = vec![ProfileField {
        label: t("field-full-name"),
        value: row.full_name(),
    }];
    let mut add = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            fields.push(ProfileField {
                label: ctx.t(label),
                value,
            });
        }
    };
    add("field-iin", row.iin(keys));
    add(
        "field-birth-date",
        row.birth_date(keys)
            .map(|d| d.format("%d.%m.%Y").to_string()),
    );
    let document = row.doc_type.as_deref().map(|t| match t {
        "passport" => ctx.t("doc-passport"),
        _ => ctx.t("doc-id-card"),
    });
    add("field-doc-type", document);
    add("field-doc-number", row.doc_number(keys));
    add(
        "field-doc-issued-on",
        row.doc_issued_on.map(|d| d.format("%d.%m.%Y").to_string()),
    );
    add("field-doc-issuer", row.doc_issuer.clone());
    add(
        "field-phone",
        row.phone(keys).map(|p| crate::domain::Phone::display(&p)),
    );
    add("field-email", row.email(keys));
    add("field-address", row.address(keys));
    let consents = consents
        .iter()
        .map(|(kind, version, at)| {
            let label = ctx.t(&format!("consent-kind-{}", kind.replace('_', "-")));
            format!(
                "{label} — {} ({} {version})",
                dates::date(*at),
                ctx.t("privacy-version")
            )
        })
        .collect();
    let history = history
        .into_iter()
        .map(|h| HistoryRow {
            at: dates::date_time(h.at),
            device: device::describe(h.user_agent.as_deref().unwrap_or_default()),
            ip: h.ip,
            success: h.success,
        })
        .collect();
    Ok(MePage {
        profile_photo: photo.map(|p| p.to_string()),
        full_name: row.full_name(),
        role: ctx.t(&format!("role-{}", row.role.replace('_', "-"))),
        email_verified: row.email_verified_at.is_some(),
        awaiting_guardian: row.status() == AccountStatus::AwaitingGuardian,
        fields,
        consents,
        history,
        ctx,
    })
}

/// Sends the verification link again (the first mail may have gone astray).
pub async fn resend_verification(
    ctx: PageCtx,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    if !user.email_verified {
        let id = user.id;
        let store = state.clone();
        let (token, row) = db::run(&state.pool, move |conn| {
            let row = model::by_id(conn, id)?;
            Ok((tokens::issue(conn, id, Purpose::VerifyEmail, now)?, row))
        })
        .await?;
        if let Some(email) = row.email(&store.keys) {
            let link = signed_in::link(&state, &format!("/verify-email?token={token}"));
            signed_in::send(
                &state,
                mails::verify_email(ctx.lang, &email, &row.first_name, link),
            )
            .await;
        }
        crate::web::flash(&session, ctx.t("verify-sent-again"));
    }
    Ok(crate::web::see_other("/me"))
}

pub async fn sessions(
    ctx: PageCtx,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<SessionsPage, AppError> {
    let id = user.id;
    let now = state.clock.now();
    let devices = db::run(&state.pool, move |conn| {
        Ok(web_session::devices(conn, id, now)?)
    })
    .await?;
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
    ctx: PageCtx,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<SessionPath>,
) -> Result<HttpResponse, AppError> {
    let (user_id, session_id) = (user.id, path.id);
    let ended = db::run(&state.pool, move |conn| {
        let ended = web_session::revoke(conn, user_id, session_id)?;
        if ended > 0 {
            NewAuditEvent::new("session.revoked")
                .actor(user_id)
                .subject("session", session_id)
                .record(conn)?;
        }
        Ok(ended)
    })
    .await?;
    if ended == 0 {
        return Err(AppError::NotFound);
    }
    crate::web::flash(&session, ctx.t("sessions-ended-one"));
    Ok(crate::web::see_other("/me/sessions"))
}

pub async fn revoke_others(
    ctx: PageCtx,
    session: Session,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (user_id, device) = (user.id, user.device.clone());
    db::run(&state.pool, move |conn| {
        let ended = web_session::revoke_all(conn, user_id, Some(&device))?;
        NewAuditEvent::new("session.revoked_others")
            .actor(user_id)
            .subject("user", user_id)
            .details(serde_json::json!({ "ended": ended }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    crate::web::flash(&session, ctx.t("sessions-ended-others"));
    Ok(crate::web::see_other("/me/sessions"))
}
