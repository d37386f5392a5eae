//! Localised error pages and panic containment.
//!
//! Any response that carries an error (from `AppError`, an extractor or a caught panic) is
//! replaced here by a page in the user's language with the request id and no internals.

use std::panic::AssertUnwindSafe;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};
use askama::Template;
use futures_util::FutureExt;

use crate::error::AppError;
use crate::web::PageCtx;

#[derive(Template)]
#[template(path = "errors/error.html")]
pub struct ErrorPage {
    pub ctx: PageCtx,
    pub status: u16,
    pub title: String,
    pub message: String,
}

impl ErrorPage {
    pub fn new(ctx: PageCtx, status: StatusCode) -> ErrorPage {
        let key = match status.as_u16() {
            code @ (400 | 403 | 404 | 405 | 408 | 413 | 422 | 429 | 503) => code,
            code if code >= 500 => 500,
            _ => 400,
        };
        ErrorPage {
            title: ctx.t(&format!("error-{key}-title")),
            message: ctx.t(&format!("error-{key}-message")),
            status: status.as_u16(),
            ctx,
        }
    }
}

pub async fn render(
    req: ServiceRequest, next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    // Taken before the call: the request cannot be cloned before routing (actix needs it
    // unshared), and after a panic it is gone.
    let early_ctx = PageCtx::from_request(req.request());
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| next.call(req)));
    let outcome = match outcome {
        Ok(future) => AssertUnwindSafe(future).catch_unwind().await,
        Err(panic) => Err(panic),
    };
    let res = match outcome {
        Ok(Ok(res)) => res.map_into_boxed_body(),
        Ok(Err(err)) => {
            return Ok(lost_request_page(
                early_ctx,
                &err.to_string(),
                err.as_response_error().status_code(),
            ));
        }
        Err(_) => {
            return Ok(lost_request_page(
                early_ctx,
                "a handler panicked",
                StatusCode::INTERNAL_SERVER_ERROR,
            ));
        }
    };
    // A resource answers a method it does not serve with a bare 405 that carries no error.
    let error = match res.response().error() {
        Some(err) => err.to_string(),
        None if res.status() == StatusCode::METHOD_NOT_ALLOWED => "method not allowed".into(),
        None => return Ok(res),
    };
    if res.status().is_redirection() {
        return Ok(res);
    }
    let status = res.status();
    log(status, &error);
    let allow = res.headers().get(header::ALLOW).cloned();
    let (http_req, _) = res.into_parts();
    let mut page = page_response(ErrorPage::new(PageCtx::from_request(&http_req), status));
    if let Some(allow) = allow {
        page.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ServiceResponse::new(http_req, page))
}

/// A panic (or an error from a middleware) took the request with it. The page is made from
/// what was read before the call; the response carries a stand-in request that only the
/// outer middleware sees, and they have already read what they need from the real one.
fn lost_request_page(ctx: PageCtx, error: &str, status: StatusCode) -> ServiceResponse<BoxBody> {
    log(status, error);
    let stand_in = actix_web::test::TestRequest::default().to_http_request();
    ServiceResponse::new(stand_in, page_response(ErrorPage::new(ctx, status)))
}

fn log(status: StatusCode, error: &str) {
    if status.is_server_error() {
        tracing::error!(status = status.as_u16(), error, "request failed");
    } else {
        tracing::debug!(status = status.as_u16(), error, "request refused");
    }
}

pub(super) fn page_response(page: ErrorPage) -> HttpResponse {
    // `page.status` was a `StatusCode` a moment ago.
    let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = page.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "the error page did not render; answering with the bare status");
        status.to_string()
    });
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .body(body)
}

/// The panic hook logs where it happened, never the message: a message may quote user input.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location =
            info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        tracing::error!(%location, "panic");
    }));
}

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
