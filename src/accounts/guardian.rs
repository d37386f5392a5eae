//! `/guardian/confirm`: a minor's parent or guardian sees, in both languages, what they consent
//! to, and confirms (policy §13). Until then the student may not enrol or upload photos.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::{DateTime, Utc};
use serde_json::json;
use uuid::Uuid;

use super::model::{self, ConsentKind};
use super::pages::GuardianPage;
use super::tokens::{self, Purpose};
use super::verify::{TokenParam, expired, message};
use crate::audit::NewAuditEvent;
use crate::domain::AccountStatus;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::limits;
use crate::privacy::model as policy;
use crate::state::AppState;
use crate::web::{PageCtx, client_ip, user_agent};

pub async fn show(
    ctx: PageCtx, state: web::Data<AppState>, query: web::Query<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().token;
    let name = |conn: &mut diesel::PgConnection, id| Ok(model::by_id(conn, id)?.full_name());
    let Some(student_name) = tokens::holder(&state, &token, Purpose::GuardianConsent, name).await?
    else {
        return expired(ctx);
    };
    let page = GuardianPage {
        consent_kk: Lang::Kk.t("guardian-consent-text"),
        consent_ru: Lang::Ru.t("guardian-consent-text"),
        token,
        student_name,
        ctx,
    };
    crate::web::html(StatusCode::OK, &page)
}

pub async fn confirm(
    req: HttpRequest, ctx: PageCtx, state: web::Data<AppState>, form: web::Form<TokenParam>,
) -> Result<HttpResponse, AppError> {
    let evidence =
        json!({ "ip": client_ip(&req), "user_agent": user_agent(&req), "via": "email_link" });
    let token = form.into_inner().token;
    let (store, ip, now) = (state.clone(), client_ip(&req), state.clock.now());
    let allowed = crate::db::run(&state.pool, move |conn| {
        let address = [(limits::EXPENSIVE_PER_ADDRESS, ip.as_str())];
        Ok(limits::take(conn, &store.keys, &address, now)?.is_ok())
    })
    .await?;
    if !allowed {
        return Err(AppError::TooManyRequests);
    }
    let done = tokens::redeem(&state, token, Purpose::GuardianConsent, |conn, id, now| {
        Ok(record_guardian_consent(conn, id, "email_link", None, evidence, now)?)
    })
    .await?;
    if done.is_none() {
        return expired(ctx);
    }
    message(ctx, "guardian-done-title", "guardian-done-text", StatusCode::OK)
}

/// Records the guardian's consent and lets the minor's account act fully. Also used when staff
/// record a consent they verified in person.
pub fn record_guardian_consent(
    conn: &mut diesel::PgConnection, student: Uuid, via: &str, staff: Option<Uuid>,
    evidence: serde_json::Value, now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    // An administrator blocking or unblocking at this moment waits, or is waited for: the
    // status below is read after their change, never overwritten by a stale one.
    model::lock(conn, student)?;
    if model::confirm_guardian(conn, student, via, staff, now)? == 0 {
        return Ok(false);
    }
    let version = policy::current(conn)?.number;
    model::record_consent(conn, student, ConsentKind::Guardian, version, evidence)?;
    let row = model::by_id(conn, student)?;
    if row.status() == AccountStatus::AwaitingGuardian {
        model::set_status(conn, student, AccountStatus::Active)?;
    }
    let mut event = NewAuditEvent::new("account.guardian_consented")
        .on("user", student)
        .details(json!({ "via": via }));
    if let Some(staff) = staff {
        event = event.actor(staff);
    }
    event.record(conn)?;
    Ok(true)
}
