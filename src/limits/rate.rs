//! The rate limiter: "at most `max` in `window`" for a subject, counted in `rate_events`.
//! Counting and recording take turns per key (an advisory lock held to the end of the
//! caller's transaction), so a burst of parallel requests gets no more than the limit.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::crypto::{IndexKind, KeyRing};
use crate::db::schema::rate_events;

/// Rows older than this are nobody's count any more (the longest window is a day).
const KEPT: Duration = Duration::days(1);
/// Old rows deleted per call: the table stays small without a job of its own.
const SWEEP: i64 = 50;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub name: &'static str,
    pub max: usize,
    pub window: Duration,
}

impl Limit {
    pub const fn new(name: &'static str, max: usize, window: Duration) -> Limit {
        Limit { name, max, window }
    }
}

/// The events recorded by a successful `take`, to give back when the action turned out not to
/// count (a sign-in that succeeded, against a limit on failures).
#[derive(Debug, Default)]
pub struct Taken(Vec<i64>);

fn key(keys: &KeyRing, limit: &Limit, subject: &str) -> Vec<u8> {
    keys.blind_index(IndexKind::RateLimit, &format!("{}\0{subject}", limit.name))
}

/// Counts one action against every `(limit, subject)` given: when all are under their limit,
/// records it in each and returns `Ok`; otherwise records nothing and returns the time when
/// the fullest one has room again. Must run in a transaction (as `db::run` does).
pub fn take(
    conn: &mut PgConnection, keys: &KeyRing, checks: &[(Limit, &str)], now: DateTime<Utc>,
) -> QueryResult<Result<Taken, DateTime<Utc>>> {
    let mut keyed: Vec<(Vec<u8>, &Limit)> =
        checks.iter().map(|(limit, subject)| (key(keys, limit, subject), limit)).collect();
    // Locks are taken in one order everywhere, so two requests never wait for each other.
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut wait_until: Option<DateTime<Utc>> = None;
    for (key, limit) in &keyed {
        crate::db::lock_named(conn, &format!("rate:{}", hex(key)))?;
        let times: Vec<DateTime<Utc>> = rate_events::table
            .filter(rate_events::key.eq(key))
            .filter(rate_events::at.gt(now - limit.window))
            .order(rate_events::at.asc())
            .select(rate_events::at)
            .load(conn)?;
        if times.len() >= limit.max {
            let free_at = times[times.len() - limit.max] + limit.window;
            wait_until = Some(wait_until.map_or(free_at, |t| t.max(free_at)));
        }
    }
    sweep(conn, now)?;
    if let Some(at) = wait_until {
        return Ok(Err(at));
    }
    let rows: Vec<_> = keyed
        .iter()
        .map(|(key, _)| (rate_events::key.eq(key.clone()), rate_events::at.eq(now)))
        .collect();
    let ids = diesel::insert_into(rate_events::table)
        .values(&rows)
        .returning(rate_events::id)
        .get_results(conn)?;
    Ok(Ok(Taken(ids)))
}

/// Takes back what `take` recorded.
pub fn give_back(conn: &mut PgConnection, taken: &Taken) -> QueryResult<()> {
    diesel::delete(rate_events::table.filter(rate_events::id.eq_any(&taken.0)))
        .execute(conn)
        .map(|_| ())
}

fn sweep(conn: &mut PgConnection, now: DateTime<Utc>) -> QueryResult<()> {
    let old: Vec<i64> = rate_events::table
        .filter(rate_events::at.lt(now - KEPT))
        .select(rate_events::id)
        .limit(SWEEP)
        .load(conn)?;
    if !old.is_empty() {
        diesel::delete(rate_events::table.filter(rate_events::id.eq_any(old))).execute(conn)?;
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
