//! The one place that refuses text no form of the portal asks for, before any handler runs:
//! in every query string and every urlencoded body (multipart text parts are checked where
//! they are read, `media::upload`, with the same `domain::text::acceptable`).
//!
//! Refused: control characters (Unicode category Cc) other than tab, CR and LF — a NUL ends a
//! PostgreSQL text value with an error, the others have no business in a form; the bidi
//! embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which make stored
//! text read differently from what it is; and a pile of combining marks on one letter, which
//! smears text over its neighbours. The answer is a localised 422 page and nothing is stored.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};

use super::PageCtx;
use super::error_pages::{ErrorPage, page_response};
use crate::domain::text::acceptable;

fn all_acceptable(encoded: &[u8]) -> bool {
    form_urlencoded::parse(encoded).all(|(k, v)| acceptable(&k) && acceptable(&v))
}

pub async fn middleware(
    mut req: ServiceRequest, next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let mut ok = all_acceptable(req.query_string().as_bytes());
    if ok && req.content_type() == "application/x-www-form-urlencoded" {
        // Read within the same limit as the CSRF check reads it, and put back for the handler.
        let body = req.extract::<Bytes>().await?;
        ok = all_acceptable(&body);
        req.set_payload(Payload::from(body));
    }
    if ok {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    tracing::info!(path = req.path(), "refused a request with control characters");
    let ctx = PageCtx::from_request(req.request());
    let mut page = ErrorPage::new(ctx, StatusCode::UNPROCESSABLE_ENTITY);
    page.title = page.ctx.t("edge-input-title");
    page.message = page.ctx.t("edge-input-message");
    Ok(req.into_response(page_response(page)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_are_read_decoded() {
        assert!(all_acceptable(b"a=1&b=%D0%B0+%D0%B1%0D%0A"));
        assert!(!all_acceptable(b"a=1&b=x%00y"));
        assert!(!all_acceptable(b"a%01=1"));
    }
}
