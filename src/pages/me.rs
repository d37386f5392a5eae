//! `/me`: what the portal holds about the user (policy §11: the right to know) — the account
//! (accounts), the verified face photo (photos) — and their sign-in history (§5).

use actix_web::web;

use crate::accounts::device;
use crate::accounts::model;
use crate::accounts::pages::{HistoryRow, MePage, ProfileField};
use crate::db;
use crate::domain::AccountStatus;
use crate::error::AppError;
use crate::i18n::dates;
use crate::state::AppState;
use crate::web::PageCtx;
use crate::web::auth::CurrentUser;

pub async fn profile(
    ctx: PageCtx, user: CurrentUser, state: web::Data<AppState>,
) -> Result<MePage, AppError> {
    let id = user.id;
    let (row, consents, history, photo) = db::read(&state.pool, move |conn| {
        Ok((
            model::by_id(conn, id)?,
            model::consents_in_force(conn, id)?,
            model::sign_in_history(conn, id, 10)?,
            crate::photos::model::profile_photo(conn, id)?,
        ))
    })
    .await?;
    let keys = &state.keys;
    let t = |id: &str| ctx.t(id);
    let mut fields = vec![ProfileField { label: t("field-full-name"), value: row.full_name() }];
    let mut add = |label: &str, value: Option<String>| {
        if let Some(value) = value {
            fields.push(ProfileField { label: ctx.t(label), value });
        }
    };
    add("field-iin", row.iin(keys));
    add("field-birth-date", row.birth_date(keys).map(dates::day));
    let document = row.doc_type.as_deref().map(|t| match t {
        "passport" => ctx.t("doc-passport"),
        _ => ctx.t("doc-id-card"),
    });
    add("field-doc-type", document);
    add("field-doc-number", row.doc_number(keys));
    add("field-doc-issued-on", row.doc_issued_on.map(dates::day));
    add("field-doc-issuer", row.doc_issuer.clone());
    add("field-phone", row.phone(keys).map(|p| crate::domain::Phone::display(&p)));
    add("field-email", row.email(keys));
    add("field-address", row.address(keys));
    let consents = consents
        .iter()
        .map(|(kind, version, at)| {
            let label = ctx.t(&format!("consent-kind-{}", kind.replace('_', "-")));
            format!("{label} — {} ({} {version})", dates::date(*at), ctx.t("privacy-version"))
        })
        .collect();
    let history = history
        .into_iter()
        .map(|h| HistoryRow {
            at: dates::date_time(h.at),
            device: device::describe(h.user_agent.as_deref().unwrap_or_default()),
            ip: h.ip,
            success: h.success,
        })
        .collect();
    Ok(MePage {
        profile_photo: photo.map(|p| p.to_string()),
        full_name: row.full_name(),
        role: ctx.t(&format!("role-{}", row.role.replace('_', "-"))),
        email_verified: row.email_verified_at.is_some(),
        awaiting_guardian: row.status() == AccountStatus::AwaitingGuardian,
        fields,
        consents,
        history,
        ctx,
    })
}
