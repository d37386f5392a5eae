//! `/me/password`: a signed-in user changes their password; every other session ends.

use actix_session::Session;
use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Deserialize;

use super::model;
use super::pages::PasswordPage;
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::{Password, password};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::auth::CurrentUser;
use crate::web::form::{FORM, FormErrors};
use crate::web::{PageCtx, session as web_session};

pub async fn form(ctx: PageCtx, _user: CurrentUser) -> PasswordPage {
    PasswordPage { ctx, errors: FormErrors::default() }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ChangeForm {
    current: String,
    password: String,
    password_confirm: String,
}

fn refuse(ctx: PageCtx, message_id: &'static str) -> Result<HttpResponse, AppError> {
    let page = PasswordPage { errors: FormErrors::one(FORM, message_id), ctx };
    crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn change(
    ctx: PageCtx, session: Session, user: CurrentUser, state: web::Data<AppState>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, AppError> {
    let ChangeForm { current, password, password_confirm } = form.into_inner();
    if password != password_confirm {
        return refuse(ctx, "password-error-mismatch");
    }
    let id = user.id;
    let row = db::run(&state.pool, move |conn| Ok(model::by_id(conn, id)?)).await?;
    let stored = row.password_hash.clone();
    if !web::block(move || password::verify(&stored, &current)).await? {
        return refuse(ctx, "password-error-current");
    }
    // A value that does not open is logged by `UserRow`; the rules then go without it.
    let (email, iin) =
        (row.email(&state.keys).unwrap_or_default(), row.iin(&state.keys).unwrap_or_default());
    let local = email.split('@').next().unwrap_or_default().to_string();
    let new = match Password::parse(&password, &[&email, &iin, &local]) {
        Ok(p) => p,
        Err(e) => return refuse(ctx, e.message_id()),
    };
    let hash = web::block(move || new.hash()).await?;
    let stamp = crate::web::session::credential_stamp(&hash);
    let device = user.device.clone();
    db::run(&state.pool, move |conn| {
        model::set_password(conn, id, &hash)?;
        let ended = web_session::revoke_all(conn, id, Some(&device))?;
        NewAuditEvent::by(id, "account.password_changed")
            .on("user", id)
            .details(serde_json::json!({ "other_sessions_ended": ended }))
            .record(conn)?;
        Ok(())
    })
    .await?;
    // This session stays open under the new password; the others have ended.
    session.insert(crate::web::session::keys::STAMP, stamp).map_err(AppError::internal)?;
    Ok(ctx.flash_to("password-changed", "/me"))
}
