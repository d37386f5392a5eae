//! Bounds on what one client can make the portal do: the one rate limiter (counts kept in
//! PostgreSQL, so every instance sees the same) and the bound on concurrent password hashing.
//! Every limit of the portal is declared here, so their figures can be read in one place.

mod hashing;
mod rate;

pub use hashing::Hashing;
pub use rate::{Limit, Taken, give_back, take};

use chrono::Duration;

const fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

/// Password checks and hashes (sign-in, registration, reset, invitation accept) and guardian
/// confirmations one client address may ask for. A mobile network or a school's office puts
/// many people behind one address, so this is generous; it bounds the CPU one client can burn.
pub const EXPENSIVE_PER_ADDRESS: Limit = Limit::new("expensive-per-address", 60, minutes(15));

/// Failed sign-ins per named login (an account, or a login that names none: both lock alike).
pub const SIGN_IN_FAILURES: Limit = Limit::new("sign-in-failures", 5, minutes(15));

/// Wrong current passwords on `/me/password`, per account.
pub const PASSWORD_CHANGE_FAILURES: Limit = Limit::new("password-change-failures", 5, minutes(15));

/// Mails one client address (anonymous) or one account (signed in) may cause.
pub const MAILS_PER_SENDER: Limit = Limit::new("mails-per-sender", 10, minutes(60));

/// Mails of one kind to one address (verification, reset, invitation, guardian request).
pub const MAILS_PER_RECIPIENT: Limit = Limit::new("mails-per-recipient", 3, minutes(60));

/// "Someone tried to register with your address": once a day.
pub const REGISTRATION_ATTEMPT_MAIL: Limit =
    Limit::new("registration-attempt-mail", 1, minutes(24 * 60));
