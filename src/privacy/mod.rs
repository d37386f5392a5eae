//! The privacy policy: versions stored in the database, shown in the reader's language.

pub mod document;
mod handlers;
pub mod model;
mod pages;

use std::sync::Arc;

use actix_web::web;
use uuid::Uuid;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/privacy").get(handlers::current))
        .service(web::resource("/privacy/versions").get(handlers::versions))
        .service(web::resource("/privacy/versions/{number}").get(handlers::version));
}

/// Version `id` in `lang`, rendered: from memory after the first time (a published version's
/// text does not change), so a page that shows the policy reads only the version's number.
pub async fn rendered(
    state: &AppState, id: Uuid, lang: Lang,
) -> Result<Arc<document::PolicyDocument>, AppError> {
    let phone = state.config.support_phone.clone();
    if let Some(doc) = document::cached(id, lang, &phone) {
        return Ok(doc);
    }
    let body = crate::db::read(&state.pool, move |conn| Ok(model::body(conn, id, lang)?)).await?;
    Ok(document::remember(id, lang, &phone, document::PolicyDocument::parse(&body, &phone)))
}
