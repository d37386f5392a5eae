//! The ground floor every page stands on: middleware, static assets and the page context.

pub mod assets;
pub mod auth;
pub mod body_deadline;
pub mod client;
pub mod csrf;
pub mod error_pages;
pub mod form;
pub mod headers;
pub mod input;
pub mod lang;
pub mod methods;
pub mod pager;
pub mod redirect;
pub mod request_id;
pub mod session;

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::clock::Clock;
use crate::domain::Role;
use crate::i18n::{self, Lang};
use crate::state::AppState;
pub use request_id::RequestId;

/// What every page template needs: the language, the switcher links, the request id.
pub struct PageCtx {
    pub lang: Lang,
    pub request_id: String,
    /// The current page in the other languages: the switcher keeps the user where they are.
    pub switch_kk: String,
    pub switch_ru: String,
    pub support_phone: String,
    pub path: String,
    /// The first name of the signed-in user, for the header.
    pub user_name: Option<String>,
    /// The time of this request, from the portal's clock.
    pub now: chrono::DateTime<chrono::Utc>,
    session: Session,
}

impl PageCtx {
    pub fn from_request(req: &HttpRequest) -> PageCtx {
        let lang = i18n::request_lang(req);
        let request_id =
            req.extensions().get::<RequestId>().map(|id| id.0.clone()).unwrap_or_default();
        let state = req.app_data::<web::Data<AppState>>();
        let support_phone = state.map(|s| s.config.support_phone.clone()).unwrap_or_default();
        let now = state.map_or_else(|| Clock::system().now(), |s| s.clock.now());
        let session = req.get_session();
        let user_name = session::get(&session, session::keys::USER_NAME);
        PageCtx {
            lang,
            request_id,
            switch_kk: lang::switch_url(req.path(), req.query_string(), Lang::Kk),
            switch_ru: lang::switch_url(req.path(), req.query_string(), Lang::Ru),
            support_phone,
            path: req.path().to_string(),
            user_name,
            now,
            session,
        }
    }

    /// The CSRF token for a form on this page (creates the session's token when needed).
    pub fn csrf_token(&self) -> String {
        csrf::token(&self.session)
    }

    /// A one-time message left by the previous request: read while the page renders, and
    /// forgotten. (The session is touched only when there is one: any change would store a
    /// session for every anonymous visitor.)
    pub fn take_flash(&self) -> Option<String> {
        let flash = session::get(&self.session, session::keys::FLASH)?;
        self.session.remove(session::keys::FLASH);
        Some(flash)
    }

    /// The signed-in user's role code, for the header's links only. Read when the page
    /// renders, so a role the `CurrentUser` extractor has just refreshed is the one shown.
    fn role(&self) -> Option<Role> {
        // An unknown code (a session older than a renamed role) shows no role links; the
        // `CurrentUser` extractor rewrites it from the database on the next signed-in request.
        session::get(&self.session, session::keys::ROLE).and_then(|code| Role::parse(&code).ok())
    }

    /// Whether the header should link to the school's pages / the administration.
    pub fn is_staff(&self) -> bool {
        matches!(self.role(), Some(Role::SchoolStaff | Role::Instructor))
    }

    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    pub fn is_moderator(&self) -> bool {
        self.role() == Some(Role::Moderator)
    }

    /// Whether the header links to the photo review queue.
    pub fn is_reviewer(&self) -> bool {
        self.role().is_some_and(|r| Role::PHOTO_REVIEWERS.contains(&r))
    }

    pub fn signed_in(&self) -> bool {
        self.user_name.is_some()
    }

    /// Leaves a one-time message for the next page (see `take_flash`).
    pub fn flash(&self, message: String) {
        flash(&self.session, message);
    }

    /// A one-time message (`message_id`, in the page's language) and where to see it: the
    /// usual end of a form that did its work or was refused.
    pub fn flash_to(&self, message_id: &str, path: impl AsRef<str>) -> actix_web::HttpResponse {
        self.flash(self.t(message_id));
        see_other(path)
    }

    pub fn t(&self, id: &str) -> String {
        self.lang.t(id)
    }

    /// Askama hands method arguments over by reference or by value; take both.
    pub fn t_count(&self, id: &str, count: impl std::borrow::Borrow<i64>) -> String {
        self.lang.t_count(id, *count.borrow())
    }

    /// The support number for a `tel:` link.
    pub fn support_tel(&self) -> String {
        self.support_phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect()
    }

    pub fn is(&self, code: &str) -> bool {
        self.lang.code() == code
    }

    pub fn css_href(&self) -> &'static str {
        assets::href("site.css")
    }

    pub fn icon_href(&self) -> &'static str {
        assets::href("favicon.svg")
    }
}

impl FromRequest for PageCtx {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<PageCtx, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(PageCtx::from_request(req)))
    }
}

/// The client's address: the peer, or what a trusted proxy says (see `client`).
pub fn client_ip(req: &HttpRequest) -> String {
    client::ip_text(req)
}

pub fn user_agent(req: &HttpRequest) -> String {
    req.headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|ua| ua.chars().take(400).collect())
        .unwrap_or_default()
}

/// A page with a status other than 200 (a form shown again with its errors answers 422).
pub fn html(
    status: actix_web::http::StatusCode, page: &impl askama::Template,
) -> Result<actix_web::HttpResponse, crate::error::AppError> {
    Ok(actix_web::HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// POST → 303 → GET: where to go after a form did its work (always a path on this site).
pub fn see_other(path: impl AsRef<str>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, redirect::local_path(path.as_ref())))
        .finish()
}

/// `Content-Disposition` for a download named `name`: only letters, digits, `.`, `-` and `_`
/// are kept, so no name can break the header or the quoting.
pub fn attachment(name: &str) -> (actix_web::http::header::HeaderName, String) {
    let safe: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    (actix_web::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{safe}\""))
}

/// Leaves a one-time message for the next page (see `PageCtx::take_flash`).
pub fn flash(session: &Session, message: String) {
    // `insert` fails only to serialise (a string always serialises); the store is written by
    // the session middleware after the handler. Either way the next page just has no message.
    if let Err(e) = session.insert(session::keys::FLASH, message) {
        tracing::warn!(error = %e, "the session could not keep a message");
    }
}
