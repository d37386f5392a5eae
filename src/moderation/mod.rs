//! Moderation of what users publish (policy §4): reports from anyone who can see a review or a
//! ticket message, the moderators' queue of reported and held items, their decisions (hide,
//! delete, restore, publish a held review, keep), restrictions on publishing, and the automatic
//! detection of personal data in a text.
//!
//! Other areas use `restricted` (is this person barred from publishing now?), `restricted_page`
//! (the explanation shown instead of a form), `detect::personal_data`, `removed_text`
//! (the stub of a deleted item), and the shared rules partial `templates/moderation/rules.html`.
//!
//! A restriction blocks writing and editing reviews and filing reports. Tickets stay open to a
//! restricted person: they can still reach a school or the operator, including with requests
//! about their personal data.

pub mod detect;
mod handlers;
mod mails;
pub mod model;
pub mod pages;
mod reports;
mod restrict;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use fluent_templates::fluent_bundle::FluentValue;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::PageCtx;

pub use model::{REMOVED, Restriction};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/moderation", web::get().to(handlers::queue))
        .route(
            "/moderation/users/{id}/restrict",
            web::post().to(restrict::restrict),
        )
        .route(
            "/moderation/users/{id}/lift",
            web::post().to(restrict::lift),
        )
        // After the users' routes, which this pattern would also match.
        .route(
            "/moderation/{kind}/{id}/{action}",
            web::post().to(handlers::decision),
        )
        .route("/reports/new", web::get().to(reports::form))
        .route("/reports", web::post().to(reports::submit));
}

/// The restriction on publishing in force for this user now, if any.
pub fn restricted(
    conn: &mut PgConnection,
    user_id: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<Option<Restriction>> {
    model::restricted(conn, user_id, now)
}

/// What a page shows instead of a deleted item's text: "removed by a moderator: <reason>".
pub fn removed_text(lang: Lang, reason: Option<&str>) -> String {
    lang.t_args(
        "moderation-removed",
        &[(
            "reason",
            FluentValue::from(reason.unwrap_or_default().to_string()),
        )],
    )
}

/// The page a restricted person sees instead of a form that publishes (403).
pub fn restricted_page(ctx: PageCtx, restriction: &Restriction) -> Result<HttpResponse, AppError> {
    let page = pages::RestrictedPage::new(ctx, restriction);
    crate::web::html(StatusCode::FORBIDDEN, &page)
}
