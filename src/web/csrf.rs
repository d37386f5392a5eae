//! CSRF protection for every state-changing request.
//!
//! The token lives in the server-side session; forms carry it in the hidden field
//! `csrf_token`, scripts in the `X-CSRF-Token` header, and multipart uploads (whose body is
//! not read twice) in the action's query string. A POST (or PUT,
//! PATCH, DELETE) without the right token is refused with 403 before any handler runs.
//!
//! Each page writes the token masked afresh (a random pad and the token XOR the pad), so a
//! compressed page never repeats the same secret beside reflected input (BREACH).

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpMessage};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::web::session::{self, keys};

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "x-csrf-token";

/// The session's token (created on first use), masked for one page.
pub fn token(session: &actix_session::Session) -> String {
    let secret = match session::get(session, keys::CSRF) {
        Some(secret) => secret,
        None => {
            let secret = crate::crypto::random::token();
            // If the session cannot store it, the form will be refused and the user told to
            // retry.
            if let Err(e) = session.insert(keys::CSRF, &secret) {
                tracing::warn!(error = %e, "the session could not keep a CSRF token");
            }
            secret
        }
    };
    mask(&secret)
}

fn mask(secret: &str) -> String {
    let secret = URL_SAFE_NO_PAD.decode(secret).unwrap_or_default();
    let pad = crate::crypto::random::bytes::<32>();
    let mut out = pad.to_vec();
    out.extend(secret.iter().zip(pad.iter().cycle()).map(|(s, p)| s ^ p));
    URL_SAFE_NO_PAD.encode(out)
}

/// Whether a masked token carries the session's secret.
fn matches(secret: &str, provided: &str) -> bool {
    let (Ok(secret), Ok(masked)) =
        (URL_SAFE_NO_PAD.decode(secret), URL_SAFE_NO_PAD.decode(provided))
    else {
        return false;
    };
    if secret.is_empty() || masked.len() != 2 * secret.len() {
        return false;
    }
    let (pad, body) = masked.split_at(secret.len());
    let unmasked: Vec<u8> = body.iter().zip(pad).map(|(b, p)| b ^ p).collect();
    bool::from(unmasked.ct_eq(&secret))
}

pub async fn middleware(
    mut req: ServiceRequest, next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    let expected = session::get(&req.get_session(), keys::CSRF);
    let mut provided = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
    if provided.is_none() && req.content_type() == "application/x-www-form-urlencoded" {
        // Read the form, take the token, and put the body back for the handler.
        let body = req.extract::<Bytes>().await?;
        provided =
            form_urlencoded::parse(&body).find(|(k, _)| k == FIELD).map(|(_, v)| v.into_owned());
        req.set_payload(actix_web::dev::Payload::from(body));
    }
    if provided.is_none() && req.content_type() == "multipart/form-data" {
        // A file upload without script cannot set the header, and its body is too large to
        // read twice; its form carries the token in the action's query string instead.
        provided = form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.into_owned());
    }
    let valid = match (expected, provided) {
        (Some(expected), Some(provided)) => matches(&expected, &provided),
        _ => false,
    };
    if !valid {
        tracing::info!(path = req.path(), "refused a request without a valid CSRF token");
        return Ok(req.error_response(AppError::Forbidden).map_into_boxed_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_token_differs_every_time_and_still_matches_only_its_secret() {
        let (secret, other) = (crate::crypto::random::token(), crate::crypto::random::token());
        let (a, b) = (mask(&secret), mask(&secret));
        assert_ne!(a, b, "each page gets its own mask");
        assert!(matches(&secret, &a) && matches(&secret, &b));
        assert!(!matches(&other, &a));
        assert!(!matches(&secret, &secret), "the bare secret is not a token");
        assert!(!matches(&secret, ""));
        assert!(!matches(&secret, "not base64 at all!"));
    }
}
