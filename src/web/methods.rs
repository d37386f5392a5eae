//! HEAD and OPTIONS for every page, without a line in any route table.
//!
//! HEAD is served by the GET handler: the request goes through as GET, and the HTTP layer
//! (which still knows the request was HEAD) sends the headers, `Content-Length` included, and
//! drops the body. OPTIONS goes through as is: a resource answers a method it does not serve
//! with 405 and `Allow`, which becomes 204 with that `Allow`; an unknown path stays 404.
//! Every `Allow` that names GET also names HEAD and OPTIONS.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};

pub async fn middleware(
    mut req: ServiceRequest, next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let method = req.method().clone();
    if method == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let mut res = next.call(req).await?.map_into_boxed_body();
    let Some(allow) = res.headers().get(header::ALLOW).and_then(|v| v.to_str().ok()) else {
        return Ok(res);
    };
    let allow = with_head_and_options(allow);
    if method == Method::OPTIONS && res.status() == StatusCode::METHOD_NOT_ALLOWED {
        let (req, _) = res.into_parts();
        let answer = HttpResponse::NoContent().insert_header((header::ALLOW, allow)).finish();
        return Ok(ServiceResponse::new(req, answer));
    }
    if let Ok(value) = HeaderValue::from_str(&allow) {
        res.headers_mut().insert(header::ALLOW, value);
    }
    Ok(res)
}

fn with_head_and_options(allow: &str) -> String {
    let mut methods: Vec<&str> =
        allow.split(',').map(str::trim).filter(|m| !m.is_empty()).collect();
    if methods.contains(&"GET") && !methods.contains(&"HEAD") {
        methods.push("HEAD");
    }
    if !methods.contains(&"OPTIONS") {
        methods.push("OPTIONS");
    }
    methods.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn allow_names_head_with_get_and_always_options() {
        assert_eq!(super::with_head_and_options("GET, POST"), "GET, POST, HEAD, OPTIONS");
        assert_eq!(super::with_head_and_options("POST"), "POST, OPTIONS");
    }
}
