//! `/verify-email`: the emailed link opens a page with a button; the POST uses the token up.
//! (A GET alone never changes anything: mail scanners open links too.)

use actix_web::{HttpResponse, http::StatusCode, web};
use serde::Deserialize;

use super::model;
use super::pages::MessagePage;
use super::tokens::{self, Purpose};
use crate::audit::NewAuditEvent;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::PageCtx;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenParam {
    pub token: String,
}

pub fn message(
    ctx: PageCtx, title: &str, text: &str, status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = MessagePage {
        title: ctx.t(title),
        paragraphs: vec![ctx.t(text)],
        form: None,
        link: Some(("/".into(), ctx.t("error-go-home"))),
        ctx,
    };
    crate::web::html(status, &page)
}

pub fn expired(ctx: PageCtx) -> Result<HttpResponse, AppError> {
    message(ctx, "link-expired-title", "link-expired-text", StatusCode::GONE)
}

pub async fn show(
    ctx: PageCtx, state: web::Data<AppState>, query: web::Query<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().token;
    if tokens::holder(&state, &token, Purpose::VerifyEmail, |_, id| Ok(id)).await?.is_none() {
        return expired(ctx);
    }
    let page = MessagePage {
        title: ctx.t("verify-title"),
        paragraphs: vec![ctx.t("verify-text")],
        form: Some(("/verify-email".into(), token, ctx.t("verify-button"))),
        link: None,
        ctx,
    };
    crate::web::html(StatusCode::OK, &page)
}

pub async fn confirm(
    ctx: PageCtx, state: web::Data<AppState>, form: web::Form<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let token = form.into_inner().token;
    let verified = tokens::redeem(&state, token, Purpose::VerifyEmail, |conn, id, now| {
        model::mark_email_verified(conn, id, now)?;
        Ok(NewAuditEvent::by(id, "account.email_verified").on("user", id).record(conn)?)
    })
    .await?;
    if verified.is_none() {
        return expired(ctx);
    }
    if ctx.signed_in() {
        return Ok(ctx.flash_to("verify-done", "/me"));
    }
    message(ctx, "verify-title", "verify-done-sign-in", StatusCode::OK)
}
