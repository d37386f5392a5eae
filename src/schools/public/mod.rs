//! The public list of schools.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use super::registry::model;
use crate::db;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::PageCtx;

pub fn line(school: &model::School, lang: Lang) -> SchoolLine {
    SchoolLine {
        id: school.id.to_string(),
        name: school.name(lang).to_string(),
        city: school.city.clone(),
        address: school.address.clone(),
    }
}

pub async fn list(ctx: PageCtx, state: web::Data<AppState>) -> Result<ListPage, AppError> {
    let schools = db::read(&state.pool, |conn| Ok(model::approved(conn)?)).await?;
    let schools = schools.iter().map(|s| line(s, ctx.lang)).collect();
    Ok(ListPage { ctx, schools })
}

pub struct SchoolLine {
    pub id: String,
    pub name: String,
    pub city: String,
    pub address: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "schools/list.html")]
pub struct ListPage {
    pub ctx: PageCtx,
    pub schools: Vec<SchoolLine>,
}
