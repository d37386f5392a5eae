//! The home page.

use actix_web::web;
use askama::Template;
use askama_web::WebTemplate;

use crate::web::PageCtx;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").get(index));
}

#[derive(Template, WebTemplate)]
#[template(path = "home/index.html")]
pub struct HomePage {
    pub ctx: PageCtx,
}

async fn index(ctx: PageCtx) -> HomePage {
    HomePage { ctx }
}
