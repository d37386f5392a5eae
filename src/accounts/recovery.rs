//! `/password/forgot` and `/password/reset`: a single-use link valid for an hour; afterwards
//! every session of the account ends.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Deserialize;

use super::model;
use super::pages::{ForgotPage, ResetPage};
use super::tokens::{self, Purpose};
use super::verify::{TokenParam, expired, message};
use super::{mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::{Email, Password};
use crate::error::AppError;
use crate::limits;
use crate::state::AppState;
use crate::web::form::FormErrors;
use crate::web::{PageCtx, client_ip, session as web_session};

pub async fn forgot_form(ctx: PageCtx) -> ForgotPage {
    ForgotPage { ctx, email: String::new(), errors: FormErrors::default() }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ForgotForm {
    email: String,
}

/// Answers the same, in the same time, whether or not the address has an account: the limits
/// are counted on the address as typed, and the lookup, the link and the mail happen after the
/// answer has gone.
pub async fn forgot(
    req: HttpRequest, ctx: PageCtx, state: web::Data<AppState>, form: web::Form<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let text = form.into_inner().email;
    let Ok(email) = Email::parse(&text) else {
        let page = ForgotPage {
            errors: FormErrors::one("email", "email-error-invalid"),
            email: text,
            ctx,
        };
        return crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let sender = vec![(limits::MAILS_PER_SENDER, client_ip(&req))];
    if !signed_in::mail_allowed(&state, sender).await? {
        let page =
            ForgotPage { errors: FormErrors::one("email", "limits-too-many"), email: text, ctx };
        return crate::web::html(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let recipient = vec![(limits::MAILS_PER_RECIPIENT, format!("reset:{}", email.as_str()))];
    if signed_in::mail_allowed(&state, recipient).await? {
        let state = state.clone();
        signed_in::later(async move { send_link(&state, email).await });
    }
    message(ctx, "forgot-sent-title", "forgot-sent-text", StatusCode::OK)
}

/// Issues a reset link for the account with this email, if there is one, and mails it.
async fn send_link(state: &web::Data<AppState>, email: Email) {
    let (store, now) = (state.clone(), state.clock.now());
    let found = db::run(&state.pool, move |conn| {
        let Some(user) = model::by_login(conn, &store.keys, email.as_str())? else {
            return Ok(None);
        };
        let token = tokens::issue(conn, user.id, Purpose::ResetPassword, now)?;
        NewAuditEvent::new("account.password_reset_requested").on("user", user.id).record(conn)?;
        Ok(Some((user, token)))
    })
    .await;
    let (user, token) = match found {
        Ok(Some(found)) => found,
        Ok(None) => return,
        Err(e) => {
            tracing::error!(error = %e, "a reset link could not be issued");
            return;
        }
    };
    if let Some(address) = user.email(&state.keys) {
        let link = signed_in::link(state, &format!("/password/reset?token={token}"));
        signed_in::send(
            state,
            mails::password_reset(user.lang(), &address, &user.first_name, link),
        )
        .await;
    }
}

pub async fn reset_form(
    ctx: PageCtx, state: web::Data<AppState>, query: web::Query<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().token;
    if tokens::holder(&state, &token, Purpose::ResetPassword, |_, id| Ok(id)).await?.is_none() {
        return expired(ctx);
    }
    let page = ResetPage { ctx, token, errors: FormErrors::default() };
    crate::web::html(StatusCode::OK, &page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResetForm {
    token: String,
    password: String,
    password_confirm: String,
}

enum Reset {
    Done,
    Throttled,
    Expired,
    Refused(&'static str),
}

pub async fn reset(
    req: HttpRequest, ctx: PageCtx, state: web::Data<AppState>, form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let ResetForm { token, password, password_confirm } = form.into_inner();
    if password != password_confirm {
        return refused(ctx, token, "password-error-mismatch");
    }
    let ip = client_ip(&req);
    let store = state.clone();
    let page_token = token.clone();
    let checked_token = token.clone();
    let checked = db::run(&state.pool, move |conn| {
        let address = [(limits::EXPENSIVE_PER_ADDRESS, ip.as_str())];
        if limits::take(conn, &store.keys, &address, now)?.is_err() {
            return Ok(Err(Reset::Throttled));
        }
        let Some(id) = tokens::peek(conn, &checked_token, Purpose::ResetPassword, now)? else {
            return Ok(Err(Reset::Expired));
        };
        let user = model::by_id(conn, id)?;
        // A value that does not open is logged by `UserRow`; the rules then go without it.
        let (email, iin) = (
            user.email(&store.keys).unwrap_or_default(),
            user.iin(&store.keys).unwrap_or_default(),
        );
        let local = email.split('@').next().unwrap_or_default().to_string();
        let names = [user.first_name.as_str(), user.last_name.as_str()];
        Ok(match Password::parse_for(&password, &[&email, &iin, &local], &names) {
            Ok(p) => Ok((id, p)),
            Err(e) => Err(Reset::Refused(e.message_id())),
        })
    })
    .await?;
    let outcome = match checked {
        Err(outcome) => outcome,
        Ok((id, password)) => {
            // Hashed with no connection held: Argon2id is slow on purpose.
            let hash = state.hashing.run(move || password.hash()).await?;
            db::run(&state.pool, move |conn| {
                if tokens::consume(conn, &token, Purpose::ResetPassword, now)?.is_none() {
                    return Ok(Reset::Expired);
                }
                model::set_password(conn, id, &hash)?;
                let ended = web_session::revoke_all(conn, id, None)?;
                NewAuditEvent::new("account.password_reset")
                    .on("user", id)
                    .details(serde_json::json!({ "sessions_ended": ended }))
                    .record(conn)?;
                Ok(Reset::Done)
            })
            .await?
        }
    };
    match outcome {
        Reset::Done => message(ctx, "reset-done-title", "reset-done-text", StatusCode::OK),
        Reset::Expired => expired(ctx),
        Reset::Throttled => Err(AppError::TooManyRequests),
        Reset::Refused(id) => refused(ctx, page_token, id),
    }
}

fn refused(
    ctx: PageCtx, token: String, message_id: &'static str,
) -> Result<HttpResponse, AppError> {
    let page = ResetPage { errors: FormErrors::one("password", message_id), token, ctx };
    crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
