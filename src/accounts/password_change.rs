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
use crate::limits;
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
    let (id, now, store) = (user.id, state.clock.now(), state.clone());
    // A wrong current password counts like a failed sign-in; the check is given back when
    // the password was right.
    let checked = db::run(&state.pool, move |conn| {
        let subject = id.to_string();
        let limit = [(limits::PASSWORD_CHANGE_FAILURES, subject.as_str())];
        Ok(match limits::take(conn, &store.keys, &limit, now)? {
            Ok(taken) => Ok((model::by_id(conn, id)?, taken)),
            Err(retry) => Err(retry),
        })
    })
    .await?;
    let (row, taken) = match checked {
        Ok(checked) => checked,
        Err(_) => {
            let page =
                PasswordPage { errors: FormErrors::one(FORM, "password-error-throttled"), ctx };
            return crate::web::html(StatusCode::TOO_MANY_REQUESTS, &page);
        }
    };
    let stored = row.password_hash.clone();
    if !state.hashing.run(move || password::verify(&stored, &current)).await? {
        return refuse(ctx, "password-error-current");
    }
    db::run(&state.pool, move |conn| Ok(limits::give_back(conn, &taken)?)).await?;
    // A value that does not open is logged by `UserRow`; the rules then go without it.
    let (email, iin) =
        (row.email(&state.keys).unwrap_or_default(), row.iin(&state.keys).unwrap_or_default());
    let local = email.split('@').next().unwrap_or_default().to_string();
    let names = [row.first_name.as_str(), row.last_name.as_str()];
    let new = match Password::parse_for(&password, &[&email, &iin, &local], &names) {
        Ok(p) => p,
        Err(e) => return refuse(ctx, e.message_id()),
    };
    let hash = state.hashing.run(move || new.hash()).await?;
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
