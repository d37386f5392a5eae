use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::pages::{AdminPage, AttemptLine, UserLine, UserPage};
use crate::accounts::model::{self, UserRow};
use crate::accounts::{device, guardian};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::AccountStatus;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::{Admins, RequireRole};
use crate::web::session as web_session;

fn line(ctx: &PageCtx, state: &AppState, row: &UserRow) -> UserLine {
    let status = row.status().code();
    UserLine {
        id: row.id.to_string(),
        name: row.full_name(),
        role: ctx.t(&format!("role-{}", row.role.replace('_', "-"))),
        status: ctx.t(&format!("status-{}", status.replace('_', "-"))),
        status_code: status.to_string(),
        // Shown blank when it does not open (logged by `UserRow::email`).
        email: row.email(&state.keys).unwrap_or_default(),
    }
}

pub async fn index(ctx: PageCtx, _admin: RequireRole<Admins>) -> Result<AdminPage, AppError> {
    Ok(AdminPage { ctx, query: String::new(), results: None })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchForm {
    q: String,
}

/// A POST, so that a searched name, IIN or phone never appears in a URL or an access log.
pub async fn search(
    ctx: PageCtx, user: RequireRole<Admins>, state: web::Data<AppState>,
    form: web::Form<SearchForm>,
) -> Result<AdminPage, AppError> {
    let query = form.into_inner().q;
    let (store, text, admin) = (state.clone(), query.clone(), user.id);
    let rows = db::run(&state.pool, move |conn| {
        let rows = crate::accounts::search::search(conn, &store.keys, &text, 50)?;
        NewAuditEvent::by(admin, "admin.searched_users")
            .details(json!({ "results": rows.len() }))
            .record(conn)?;
        Ok(rows)
    })
    .await?;
    let results = rows.iter().map(|r| line(&ctx, &state, r)).collect();
    Ok(AdminPage { ctx, query, results: Some(results) })
}

pub async fn user(
    ctx: PageCtx, admin: RequireRole<Admins>, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<UserPage, AppError> {
    let id = id.into_inner();
    let admin_id = admin.id;
    let (row, history, guardian) = db::run(&state.pool, move |conn| {
        let row = model::by_id(conn, id)?;
        let history = model::sign_in_history(conn, id, 20)?;
        let guardian = model::guardian(conn, id)?;
        NewAuditEvent::by(admin_id, "admin.viewed_user").on("user", id).record(conn)?;
        Ok((row, history, guardian))
    })
    .await?;
    let history = history
        .into_iter()
        .map(|h| AttemptLine {
            at: dates::date_time(h.at),
            device: device::describe(h.user_agent.as_deref().unwrap_or_default()),
            ip: h.ip,
            success: h.success,
        })
        .collect();
    Ok(UserPage {
        user: line(&ctx, &state, &row),
        created: dates::date(row.created_at),
        email_verified: row.email_verified_at.is_some(),
        guardian_pending: guardian.is_some_and(|g| g.confirmed_at.is_none()),
        history,
        ctx,
    })
}

/// Blocks (`…/block`) or unblocks (`…/unblock`) an account.
pub async fn set_blocked(
    ctx: PageCtx, admin: RequireRole<Admins>, state: web::Data<AppState>,
    path: web::Path<(Uuid, String)>,
) -> Result<HttpResponse, AppError> {
    let (id, action) = path.into_inner();
    let blocked = action == "block";
    if admin.id == id {
        return Err(AppError::Forbidden);
    }
    let admin_id = admin.id;
    db::run(&state.pool, move |conn| {
        // Takes turns with a guardian's confirmation (see `record_guardian_consent`).
        model::lock(conn, id)?;
        let row = model::by_id(conn, id)?;
        let (status, action) = if blocked {
            (AccountStatus::Blocked, "admin.blocked_user")
        } else {
            (AccountStatus::Active, "admin.unblocked_user")
        };
        // Unblocking a minor still waiting for the guardian goes back to waiting.
        let waiting =
            !blocked && model::guardian(conn, id)?.is_some_and(|g| g.confirmed_at.is_none());
        let status = if waiting { AccountStatus::AwaitingGuardian } else { status };
        if row.status() != status {
            model::set_status(conn, id, status)?;
        }
        let ended = if blocked { web_session::revoke_all(conn, id, None)? } else { 0 };
        NewAuditEvent::by(admin_id, action)
            .on("user", id)
            .details(json!({ "sessions_ended": ended }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    let message = if blocked { "admin-blocked" } else { "admin-unblocked" };
    Ok(ctx.flash_to(message, format!("/admin/users/{id}")))
}

/// The guardian came in person with their documents; the administrator records the consent.
pub async fn guardian_verified(
    ctx: PageCtx, admin: RequireRole<Admins>, state: web::Data<AppState>, id: web::Path<Uuid>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let (id, admin_id) = (id.into_inner(), admin.id);
    let recorded = db::run(&state.pool, move |conn| {
        let evidence = json!({ "via": "staff", "recorded_by": admin_id });
        Ok(guardian::record_guardian_consent(conn, id, "staff", Some(admin_id), evidence, now)?)
    })
    .await?;
    if !recorded {
        return Err(AppError::NotFound);
    }
    Ok(ctx.flash_to("admin-guardian-recorded", format!("/admin/users/{id}")))
}
