//! Static files, compiled into the binary so a deployment is one file and nothing is fetched
//! from another host. URLs carry a content hash, so browsers may cache them for a year.

use std::collections::HashMap;
use std::sync::LazyLock;

use actix_web::http::header::{self, CacheControl, CacheDirective, ETag, EntityTag};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::AppError;

struct Asset {
    body: &'static [u8],
    content_type: &'static str,
    hash: String,
    href: String,
}

macro_rules! asset {
    ($name:literal, $path:literal, $type:literal) => {
        ($name, include_bytes!(concat!("../../static/", $path)).as_slice(), $type)
    };
}

static ASSETS: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    [
        asset!("site.css", "css/site.css", "text/css; charset=utf-8"),
        asset!("favicon.svg", "favicon.svg", "image/svg+xml"),
        asset!("position.js", "js/position.js", "text/javascript; charset=utf-8"),
        asset!("photos.js", "js/photos.js", "text/javascript; charset=utf-8"),
    ]
    .into_iter()
    .map(|(name, body, content_type)| {
        let digest = Sha256::digest(body);
        let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        let href = format!("/static/{name}?v={hash}");
        (name, Asset { body, content_type, hash, href })
    })
    .collect()
});

/// The cache-busting URL of a static file.
pub fn href(name: &str) -> &'static str {
    ASSETS.get(name).map_or("/static/missing", |a| a.href.as_str())
}

pub async fn serve(req: HttpRequest, name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let asset = ASSETS.get(name.as_str()).ok_or(AppError::NotFound)?;
    let tag = EntityTag::new_strong(asset.hash.clone());
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(&asset.hash));
    let versioned = req.query_string() == format!("v={}", asset.hash);
    let cache = if versioned {
        vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ]
    } else {
        vec![CacheDirective::Public, CacheDirective::MaxAge(300)]
    };
    let mut res = if fresh { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    res.insert_header(ETag(tag)).insert_header(CacheControl(cache));
    if fresh {
        return Ok(res.finish());
    }
    Ok(res.content_type(asset.content_type).body(asset.body))
}
