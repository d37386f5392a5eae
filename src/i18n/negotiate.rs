use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

use super::Lang;

pub const LANG_COOKIE: &str = "lang";

/// The language of a request and whether `?lang=` asked for it (then the cookie is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub lang: Lang,
    pub from_query: bool,
}

/// `?lang=` beats the cookie, the cookie beats `Accept-Language`, and Kazakh is the default.
pub fn negotiate(
    query: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>,
) -> Choice {
    if let Some(lang) = query.and_then(Lang::parse) {
        return Choice { lang, from_query: true };
    }
    let lang = cookie
        .and_then(Lang::parse)
        .or_else(|| {
            let header = accept_language?;
            let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
            let found = accept_language::intersection(header, &codes);
            found.first().and_then(|code| Lang::parse(code))
        })
        .unwrap_or_default();
    Choice { lang, from_query: false }
}

pub fn for_request(req: &HttpRequest) -> Choice {
    #[derive(serde::Deserialize)]
    struct LangQuery {
        lang: Option<String>,
    }
    let query = actix_web::web::Query::<LangQuery>::from_query(req.query_string())
        .ok()
        .and_then(|q| q.into_inner().lang);
    let cookie = req.cookie(LANG_COOKIE).map(|c| c.value().to_string());
    let accept = req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    negotiate(query.as_deref(), cookie.as_deref(), accept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_beats_cookie_beats_header_beats_kazakh() {
        assert_eq!(negotiate(Some("ru"), Some("kk"), Some("kk")).lang, Lang::Ru);
        assert!(negotiate(Some("ru"), None, None).from_query);
        assert_eq!(negotiate(None, Some("ru"), Some("kk")).lang, Lang::Ru);
        assert_eq!(negotiate(None, None, Some("ru-RU,ru;q=0.9,en;q=0.8")).lang, Lang::Ru);
        assert_eq!(negotiate(None, None, Some("en-US,en;q=0.9")).lang, Lang::Kk);
        assert_eq!(negotiate(None, None, None).lang, Lang::Kk);
    }

    #[test]
    fn unknown_values_fall_through_to_the_next_source() {
        let choice = negotiate(Some("de"), Some("xx"), Some("ru"));
        assert_eq!(choice.lang, Lang::Ru);
        assert!(!choice.from_query);
    }

    #[test]
    fn header_quality_values_are_respected() {
        assert_eq!(negotiate(None, None, Some("ru;q=0.5,kk;q=0.9")).lang, Lang::Kk);
    }
}
