//! What every worker shares, built once outside the `HttpServer::new` closure.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::DbPool;
use crate::{crypto, limits, mail};

pub struct AppState {
    pub config: Config,
    pub pool: DbPool,
    pub keys: crypto::KeyRing,
    pub mailer: mail::Mailer,
    /// The time the portal goes by (the system's, except in tests).
    pub clock: Clock,
    /// The bound on concurrent password hashing (`limits::Hashing`).
    pub hashing: limits::Hashing,
}
