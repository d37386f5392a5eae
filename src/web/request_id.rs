//! A request id on every request: in the log span, the `X-Request-Id` header and error pages,
//! so a user can quote it to support without anyone logging who they are.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Instrument;

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestId {
    fn new() -> RequestId {
        // 16 hex digits: short enough to read out over the phone, unique enough for logs.
        let id = uuid::Uuid::new_v4().simple().to_string();
        RequestId(id[..16].to_string())
    }
}

pub async fn middleware(
    req: ServiceRequest, next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = RequestId::new();
    req.extensions_mut().insert(id.clone());
    // The path only: query strings may carry tokens.
    let span =
        tracing::info_span!("request", id = %id.0, method = %req.method(), path = %req.path());
    let started = Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
    // Hex digits always make a header value; nothing to report otherwise.
    if let Ok(value) = HeaderValue::from_str(&id.0) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| tracing::info!(status, ms = format_args!("{ms:.1}"), "served"));
    Ok(res)
}
