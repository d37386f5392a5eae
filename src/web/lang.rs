//! Language middleware: records the chosen language and remembers `?lang=` in a cookie.

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::i18n::{self, LANG_COOKIE, Lang};

pub async fn middleware(
    req: ServiceRequest, next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let choice = i18n::negotiate_request(req.request());
    req.extensions_mut().insert(choice);
    let secure = crate::web::client::is_https(req.request());
    let mut res = next.call(req).await?;
    if choice.from_query {
        let cookie = Cookie::build(LANG_COOKIE, choice.lang.code())
            .path("/")
            .max_age(Duration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .secure(secure)
            .finish();
        // A cookie of a fixed name and a language code is always a valid header value.
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(choice.lang.code()));
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    Ok(res)
}

/// The current URL with `lang` set to `lang` and every other query parameter kept.
pub fn switch_url(path: &str, query: &str, lang: Lang) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key != "lang" {
            out.append_pair(&key, &value);
        }
    }
    out.append_pair("lang", lang.code());
    format!("{path}?{}", out.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switching_keeps_the_page_and_its_other_parameters() {
        assert_eq!(switch_url("/privacy", "", Lang::Ru), "/privacy?lang=ru");
        assert_eq!(
            switch_url("/privacy/versions", "page=2&lang=ru", Lang::Kk),
            "/privacy/versions?page=2&lang=kk"
        );
        assert_eq!(switch_url("/", "q=%D0%B0+b", Lang::Kk), "/?q=%D0%B0+b&lang=kk");
    }
}
