//! Sessions behind actix-session's encrypted cookie.
//!
//! A signed-in session lives in PostgreSQL: the cookie carries only a random key; the table
//! stores its SHA-256, the state, and who and where the session belongs to, so sessions work
//! across app instances and can be listed and revoked. They end after 30 idle minutes and,
//! whatever happens, 12 hours after sign-in.
//!
//! An anonymous visitor's state (a CSRF token, a one-time message) is small and worth nothing
//! to revoke, so it travels in the cookie itself (see `store::anonymous`): reading pages and opening
//! forms stores no row, and a flood of anonymous requests cannot fill the table.

mod devices;
mod store;

pub use devices::{Device, devices, revoke, revoke_all};
pub use store::{PgSessionStore, purge_ended, spawn_purge};

use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_session::{Session, SessionMiddleware};
use actix_web::cookie::{Key, SameSite, time::Duration};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::clock::Clock;
use crate::db::DbPool;

pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;
pub const COOKIE_NAME: &str = "session";

/// Keys in the session state.
pub mod keys {
    pub const USER_ID: &str = "user_id";
    pub const DEVICE: &str = "device";
    pub const CSRF: &str = "csrf";
    pub const IP: &str = "ip";
    pub const USER_AGENT: &str = "user_agent";
    /// Shown in the header; authorisation always reads the database.
    pub const USER_NAME: &str = "user_name";
    /// Only to choose the links in the header; every handler checks the role in the database.
    pub const ROLE: &str = "role";
    /// A one-time message for the next page (e.g. "check your email").
    pub const FLASH: &str = "flash";
    /// Which password the session was opened with (see `credential_stamp`).
    pub const STAMP: &str = "stamp";
    /// The signed-in account as `load` read it for this request ([`super::SignedIn`]); never
    /// stored.
    pub const ACCOUNT: &str = "_account";
}

/// What the signed-in extractor needs to know of an account, as the accounts area reads it.
pub struct SignedInAccount {
    pub role: String,
    pub status: String,
    pub first_name: String,
    pub email_verified: bool,
    pub password_hash: String,
}

/// The accounts area's reader of [`SignedInAccount`], given to the app as `app_data` and to
/// the session store (see `lib.rs`): the ground floor asks for an account without reading the
/// accounts' table.
#[derive(Clone, Copy)]
pub struct AccountReader(
    pub fn(&mut diesel::PgConnection, Uuid) -> diesel::QueryResult<Option<SignedInAccount>>,
);

/// The account as one request sees it: read by the store's `load` on the connection that read
/// the session, and handed to the extractor in the state (under [`keys::ACCOUNT`], removed
/// before any state is stored), so a signed-in request costs one trip for both.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct SignedIn {
    pub id: Uuid,
    pub role: String,
    pub status: String,
    pub first_name: String,
    pub email_verified: bool,
    /// The password hash's [`credential_stamp`], not the hash.
    pub stamp: String,
}

impl SignedIn {
    pub fn from(id: Uuid, account: SignedInAccount) -> SignedIn {
        SignedIn {
            id,
            stamp: credential_stamp(&account.password_hash),
            role: account.role,
            status: account.status,
            first_name: account.first_name,
            email_verified: account.email_verified,
        }
    }
}

/// A short digest of the password hash a session was opened with. The signed-in extractor
/// compares it with the stored hash on every request, so a session opened with a password that
/// has since been changed or reset ends — even one whose sign-in was still checking the old
/// password while the change revoked the other sessions.
pub fn credential_stamp(password_hash: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(password_hash.as_bytes())[..8])
}

pub fn middleware(
    pool: DbPool, clock: Clock, reader: AccountReader, key: &[u8; 64], secure: bool,
) -> SessionMiddleware<PgSessionStore> {
    SessionMiddleware::builder(PgSessionStore::new(pool, clock, reader), Key::from(key))
        .cookie_name(COOKIE_NAME.into())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(Duration::minutes(IDLE_MINUTES))
                // The idle clock restarts with every request, but `load` does it (at most
                // once a minute), not a second statement after every answer.
                .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
}

/// Reads a string from the session, treating an unreadable value as absent (logged by key; the
/// value itself may be personal).
pub fn get(session: &Session, key: &str) -> Option<String> {
    match session.get::<String>(key) {
        Ok(value) => value,
        Err(_) => {
            tracing::warn!(key, "a session value is not a string");
            None
        }
    }
}
