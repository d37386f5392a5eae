//! Liveness and readiness for load balancers and orchestrators.

use std::time::Duration;

use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;

use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").get(healthz))
        .service(web::resource("/readyz").get(readyz));
}

/// 200 while the process runs.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// 200 when the database answers within two seconds, 503 otherwise (with the reason logged).
async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let answered = web::block(move || -> anyhow::Result<()> {
        let mut conn = pool.get_timeout(Duration::from_secs(2))?;
        diesel::sql_query("SELECT 1").execute(&mut conn)?;
        Ok(())
    })
    .await
    .map_err(anyhow::Error::from)
    .and_then(|answered| answered);
    if let Err(e) = &answered {
        tracing::warn!(error = %format!("{e:#}"), "not ready: the database does not answer");
    }
    if answered.is_ok() {
        HttpResponse::Ok().content_type("text/plain").body("ready")
    } else {
        HttpResponse::ServiceUnavailable().content_type("text/plain").body("database unavailable")
    }
}
