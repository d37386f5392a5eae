use actix_web::web;

use super::model::{self, PolicyVersion};
use super::pages::{PolicyPage, VersionRow, VersionsPage};
use crate::db;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;

pub async fn current(ctx: PageCtx, state: web::Data<AppState>) -> Result<PolicyPage, AppError> {
    let version = db::read(&state.pool, |conn| Ok(model::current(conn)?)).await?;
    policy_page(ctx, &state, version, None).await
}

pub async fn version(
    ctx: PageCtx,
    state: web::Data<AppState>,
    // Anything but a plain version number is simply not a page (404 from the extractor).
    number: web::Path<i32>,
) -> Result<PolicyPage, AppError> {
    let number = number.into_inner();
    let (version, current) = db::read(&state.pool, move |conn| {
        let version = model::by_number(conn, number)?;
        let current = model::current(conn)?;
        Ok((version, current.number))
    })
    .await?;
    let superseded_by = (current != version.number).then_some(current);
    policy_page(ctx, &state, version, superseded_by).await
}

pub async fn versions(ctx: PageCtx, state: web::Data<AppState>) -> Result<VersionsPage, AppError> {
    let list = db::read(&state.pool, |conn| Ok(model::published(conn)?)).await?;
    let versions = list
        .iter()
        .enumerate()
        .map(|(i, v)| VersionRow {
            number: v.number,
            published: dates::date(v.published_at),
            is_current: i == 0,
        })
        .collect();
    Ok(VersionsPage { ctx, versions })
}

async fn policy_page(
    ctx: PageCtx, state: &AppState, version: PolicyVersion, superseded_by: Option<i32>,
) -> Result<PolicyPage, AppError> {
    let doc = super::rendered(state, version.id, ctx.lang).await?;
    Ok(PolicyPage {
        ctx,
        number: version.number,
        published: dates::date(version.published_at),
        superseded_by,
        doc,
    })
}
