//! Starting and ending a signed-in session, and sending mail without holding up the page.

use actix_session::Session;
use actix_web::{HttpRequest, web};
use uuid::Uuid;

use crate::error::AppError;
use crate::limits::{self, Limit};
use crate::mail::Mail;
use crate::state::AppState;
use crate::web::session::keys;
use crate::web::{client_ip, user_agent};

/// Signs `user_id` in on this browser: a new session key (so a planted one is useless), a new
/// device id and a new CSRF token.
pub fn start(
    session: &Session, req: &HttpRequest, user_id: Uuid, first_name: &str, role: &str,
    stamp: String,
) -> Result<(), AppError> {
    session.renew();
    let device = crate::crypto::random::token();
    let csrf = crate::crypto::random::token();
    let entries = [
        (keys::USER_ID, user_id.to_string()),
        (keys::DEVICE, device),
        (keys::CSRF, csrf),
        (keys::IP, client_ip(req)),
        (keys::USER_AGENT, user_agent(req)),
        (keys::USER_NAME, first_name.to_string()),
        (keys::ROLE, role.to_string()),
        (keys::STAMP, stamp),
    ];
    for (key, value) in entries {
        session.insert(key, value).map_err(AppError::internal)?;
    }
    Ok(())
}

/// Sends on the blocking pool; a failure (or a mail that could not be composed) is logged
/// (with the request's span), not shown: the page offers to send again where that matters.
pub async fn send(state: &web::Data<AppState>, mail: askama::Result<Mail>) -> bool {
    let mail = match mail {
        Ok(mail) => mail,
        Err(e) => {
            tracing::error!(error = %e, "mail not composed");
            return false;
        }
    };
    let state = state.clone();
    match web::block(move || state.mailer.send(mail)).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::error!(error = %format!("{e:#}"), "mail not sent");
            false
        }
        Err(e) => {
            tracing::error!(error = %e, "mail not sent");
            false
        }
    }
}

/// Counts a mail against `limits` (each with its subject: the recipient's address, the sender's
/// address or account) and says whether it may go. A mail over a limit is not sent; the log
/// names the limit, never the address.
pub async fn mail_allowed(
    state: &web::Data<AppState>, checks: Vec<(Limit, String)>,
) -> Result<bool, AppError> {
    let (store, now) = (state.clone(), state.clock.now());
    let verdict = crate::db::run(&state.pool, move |conn| {
        let checks: Vec<(Limit, &str)> = checks.iter().map(|(l, s)| (*l, s.as_str())).collect();
        Ok(limits::take(conn, &store.keys, &checks, now)?.is_ok())
    })
    .await?;
    if !verdict {
        tracing::warn!("a mail over its limit was not sent");
    }
    Ok(verdict)
}

/// Does `work` (composing and sending mail, and the reads it needs) after the answer has gone:
/// the page takes as long whatever the mail turns out to be, or whether there is one.
pub fn later<F>(work: F)
where
    F: std::future::Future<Output = ()> + 'static,
{
    actix_web::rt::spawn(work);
}

/// An absolute link for a mail.
pub fn link(state: &AppState, path_and_query: &str) -> String {
    format!("{}{}", state.config.base_url, path_and_query)
}
