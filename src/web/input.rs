//! The one place that refuses text no form of the portal asks for, before any handler runs:
//! in every query string and every urlencoded body (multipart text parts are checked where
//! they are read, `media::upload`, with the same [`acceptable`]).
//!
//! Refused: control characters (Unicode category Cc) other than tab, CR and LF — a NUL ends a
//! PostgreSQL text value with an error, the others have no business in a form; the bidi
//! embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069), which make stored
//! text read differently from what it is; and a pile of more than [`MAX_COMBINING_RUN`]
//! combining marks on one letter, which smears text over its neighbours (real writing needs
//! two at most). The answer is a localised 422 page and nothing is stored.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};

use super::PageCtx;
use super::error_pages::{ErrorPage, page_response};

/// More combining marks than this on one letter are refused.
pub const MAX_COMBINING_RUN: usize = 3;

/// Whether `text` may reach a handler.
pub fn acceptable(text: &str) -> bool {
    let mut combining_run = 0;
    for c in text.chars() {
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n')) || is_bidi_control(c) {
            return false;
        }
        combining_run = if is_combining_mark(c) { combining_run + 1 } else { 0 };
        if combining_run > MAX_COMBINING_RUN {
            return false;
        }
    }
    true
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The combining blocks that can pile on Latin and Cyrillic letters (the scripts of the
/// portal's languages); marks of other scripts are left alone.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

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
    fn ordinary_writing_passes() {
        for text in [
            "Сәлеметсіз бе! Қалайсыз?",
            "Line one\r\nline two\tand a tab",
            "Việt Nam",
            "й decomposed: и\u{0306}",
            "emoji 👍🏽 and ZWJ 👩‍💻",
            "",
        ] {
            assert!(acceptable(text), "{text:?}");
        }
    }

    #[test]
    fn controls_overrides_and_piles_of_marks_are_refused() {
        for text in [
            "nul\0byte",
            "bell\u{7}",
            "escape\u{1b}[31m",
            "delete\u{7f}",
            "c1\u{85}",
            "\u{202E}gnp.exe",
            "isolate\u{2066}x\u{2069}",
            "z\u{0300}\u{0301}\u{0302}\u{0303}",
        ] {
            assert!(!acceptable(text), "{text:?}");
        }
    }

    #[test]
    fn form_bodies_are_read_decoded() {
        assert!(all_acceptable(b"a=1&b=%D0%B0+%D0%B1%0D%0A"));
        assert!(!all_acceptable(b"a=1&b=x%00y"));
        assert!(!all_acceptable(b"a%01=1"));
    }
}
