//! `/login` and `/logout`, with throttling that holds across app instances (it counts the
//! attempts stored in PostgreSQL).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::{DateTime, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::model::{self, UserRow};
use super::pages::LoginPage;
use super::{mails, signed_in};
use crate::audit::NewAuditEvent;
use crate::db;
use crate::domain::{AccountStatus, Email, Iin, password};
use crate::error::AppError;
use crate::i18n::dates;
use crate::limits::{self, Taken};
use crate::state::AppState;
use crate::web::auth::CurrentUser;
use crate::web::session::credential_stamp;
use crate::web::{PageCtx, client_ip, user_agent};

/// Failures per account within the window (the history in `sign_ins`): reaching it mails the
/// owner once. The lock itself is `limits::SIGN_IN_FAILURES`, counted per login as typed.
pub const ACCOUNT_LIMIT: usize = limits::SIGN_IN_FAILURES.max;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    login: String,
    password: String,
    next: String,
}

/// Only a path on this site (`base` is the portal's base URL): never an address elsewhere
/// (`//host`, `https://…`, `/\t/host`); `/me` when none was asked for, `/` for a refused one.
fn safe_next(next: &str, base: &str) -> String {
    if next.is_empty() {
        return "/me".to_string();
    }
    crate::web::redirect::same_origin_path(next, base).unwrap_or_else(|| "/".to_string())
}

pub async fn form(
    ctx: PageCtx, query: web::Query<LoginQuery>, state: web::Data<AppState>,
) -> LoginPage {
    let next = safe_next(&query.next, &state.config.base_url);
    LoginPage { ctx, login: String::new(), next, problem: None }
}

enum Lookup {
    Throttled(DateTime<Utc>),
    /// The account named (if any), the attempt already recorded as a failure in the history,
    /// and the failure counted against the login (given back on success).
    Candidate(Option<Box<UserRow>>, Uuid, Taken),
}

/// The login as the lock counts it: an email or IIN in its one spelling, anything else as
/// typed. The same for a login that names an account and one that names none, so the lock
/// cannot tell who has an account.
fn login_key(login: &str) -> String {
    if let Ok(email) = Email::parse(login) {
        format!("email:{}", email.as_str())
    } else if let Ok(iin) = Iin::parse(login) {
        format!("iin:{}", iin.as_str())
    } else {
        format!("text:{}", login.trim().to_lowercase())
    }
}

fn page(
    ctx: PageCtx, login: String, next: String, problem: String, status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = LoginPage { ctx, login, next, problem: Some(problem) };
    crate::web::html(status, &page)
}

pub async fn submit(
    req: HttpRequest, ctx: PageCtx, session: Session, state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let LoginForm { login, password, next } = form.into_inner();
    let next = safe_next(&next, &state.config.base_url);
    let (ip, agent) = (client_ip(&req), user_agent(&req));
    let store = state.clone();
    let (lookup_ip, lookup_login) = (ip.clone(), login.clone());
    // Cheap checks first: the limits on this login's failures and on this address's password
    // checks (successful ones too: each costs as much). Counting and recording take turns per
    // key, so a burst of parallel guesses gets no more password checks than the limit.
    let lookup = db::run(&state.pool, move |conn| {
        let keys = &store.keys;
        let login = login_key(&lookup_login);
        let failures = match limits::take(conn, keys, &[(limits::SIGN_IN_FAILURES, &login)], now)? {
            Ok(taken) => taken,
            Err(retry) => return Ok(Lookup::Throttled(retry)),
        };
        let address = [(limits::EXPENSIVE_PER_ADDRESS, lookup_ip.as_str())];
        if let Err(retry) = limits::take(conn, keys, &address, now)? {
            limits::give_back(conn, &failures)?;
            return Ok(Lookup::Throttled(retry));
        }
        let user = model::by_login(conn, keys, &lookup_login)?;
        let user_id = user.as_ref().map(|u| u.id);
        let attempt = model::record_attempt(conn, user_id, &lookup_ip, &agent)?;
        Ok(Lookup::Candidate(user.map(Box::new), attempt, failures))
    })
    .await?;
    let (user, attempt, failures) = match lookup {
        Lookup::Throttled(retry_at) => {
            let args = [("time", FluentValue::from(dates::time(retry_at)))];
            let problem = ctx.lang.t_args("login-error-throttled", &args);
            return page(ctx, login, next, problem, StatusCode::TOO_MANY_REQUESTS);
        }
        Lookup::Candidate(user, attempt, failures) => (user, attempt, failures),
    };

    // Unknown accounts are checked against a dummy hash: the answer takes as long either way.
    let stored =
        user.as_ref().map_or_else(|| password::DUMMY_HASH.clone(), |u| u.password_hash.clone());
    let matches = match state.hashing.run(move || password::verify(&stored, &password)).await {
        Ok(matches) => matches,
        Err(busy) => {
            // Turned away unchecked: the attempt is not a failure of the one who made it.
            db::run(&state.pool, move |conn| Ok(limits::give_back(conn, &failures)?)).await?;
            return Err(busy);
        }
    };
    let success = matches && user.is_some();
    let user_id = user.as_ref().map(|u| u.id);
    let failures_now = db::run(&state.pool, move |conn| {
        if success {
            model::mark_success(conn, attempt)?;
            limits::give_back(conn, &failures)?;
        }
        let action = if success { "account.signed_in" } else { "account.sign_in_failed" };
        let mut event = NewAuditEvent::new(action).details(json!({ "ip": ip }));
        if let Some(id) = user_id {
            event = event.actor(id).on("user", id);
        }
        event.record(conn)?;
        match (user_id, success) {
            (Some(id), false) => {
                let since = now - limits::SIGN_IN_FAILURES.window;
                Ok(model::failures_since(conn, id, since)?.len())
            }
            _ => Ok(0),
        }
    })
    .await?;

    let user = match user {
        Some(user) if success => user,
        user => {
            if let Some(user) = user.filter(|_| failures_now == ACCOUNT_LIMIT) {
                // Off the request path: a known account answers as fast as an unknown one.
                let state = state.clone();
                actix_web::rt::spawn(async move { warn_owner(&state, &user).await });
            }
            let problem = ctx.t("login-error-wrong");
            return page(ctx, login, next, problem, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    if user.status() == AccountStatus::Blocked {
        let problem = ctx.t("login-error-blocked");
        return page(ctx, login, next, problem, StatusCode::FORBIDDEN);
    }
    let stamp = credential_stamp(&user.password_hash);
    signed_in::start(&session, &req, user.id, &user.first_name, &user.role, stamp)?;
    Ok(crate::web::see_other(next))
}

/// The owner hears that their account was locked for a while, and how to reset the password.
async fn warn_owner(state: &web::Data<AppState>, user: &UserRow) {
    if let Some(email) = user.email(&state.keys) {
        let link = signed_in::link(state, "/password/forgot");
        signed_in::send(
            state,
            mails::too_many_failures(user.lang(), &email, &user.first_name, link),
        )
        .await;
    }
}

pub async fn logout(
    session: Session, user: Option<CurrentUser>, state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if let Some(user) = user {
        db::run(&state.pool, move |conn| {
            Ok(NewAuditEvent::by(user.id, "account.signed_out").on("user", user.id).record(conn)?)
        })
        .await?;
    }
    session.purge();
    Ok(crate::web::see_other("/"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        let base = "http://127.0.0.1:8080";
        assert_eq!(safe_next("/me/sessions", base), "/me/sessions");
        assert_eq!(safe_next("", base), "/me");
        for bad in ["https://evil.kz", "//evil.kz", "/\\evil.kz", "/\t/evil.kz"] {
            assert_eq!(safe_next(bad, base), "/", "{bad}");
        }
    }
}
