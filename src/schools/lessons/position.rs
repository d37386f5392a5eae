//! Positions attached to lessons with the user's geolocation consent (policy §3): the meeting
//! point of a slot and check-ins. Stored rounded to 3 decimals (about 110 m), shown only to the
//! lesson's instructor, its booked student and the staff of its school, deleted when the
//! consent is withdrawn and after `geo_retention_days`.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::json;
use uuid::Uuid;

use super::model::{Lesson, LessonStatus};
use crate::accounts::consents;
use crate::accounts::model::ConsentKind;
use crate::audit::NewAuditEvent;
use crate::db::schema::{lesson_positions, lessons, school_staff};
use crate::db::{self, DbPool};

/// A check-in is possible from this long before the lesson starts until it ends.
pub const CHECKIN_EARLY_MINUTES: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coords {
    pub lat: f64,
    pub lon: f64,
}

/// The form's coordinates are not two finite numbers within range.
#[derive(Debug, PartialEq, Eq)]
pub struct BadCoords;

/// A position as a check-in form sends it (filled in by the browser's geolocation).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct PositionForm {
    lat: String,
    lon: String,
}

impl PositionForm {
    pub fn coords(&self) -> Result<Option<Coords>, BadCoords> {
        Coords::parse(&self.lat, &self.lon)
    }
}

impl Coords {
    /// The form's `lat`/`lon`, rounded: both empty means no position was attached.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<Coords>, BadCoords> {
        let (lat, lon) = (lat.trim(), lon.trim());
        if lat.is_empty() && lon.is_empty() {
            return Ok(None);
        }
        let number = |text: &str, limit: f64| {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= limit)
                .map(round)
                .ok_or(BadCoords)
        };
        Ok(Some(Coords { lat: number(lat, 90.0)?, lon: number(lon, 180.0)? }))
    }

    pub fn text(self) -> String {
        format!("{:.3}, {:.3}", self.lat, self.lon)
    }
}

/// Three decimals: close enough to find each other, too coarse to point at a flat.
fn round(v: f64) -> f64 {
    // `+ 0.0` turns -0.0 into 0.0, which would otherwise read "-0.000".
    (v * 1000.0).round() / 1000.0 + 0.0
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Where the instructor and the student meet; one per lesson.
    Meeting,
    /// Someone of the lesson says "I am here"; one per person and lesson.
    Checkin,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Checkin => "checkin",
        }
    }
}

/// Whether the user may check in to this lesson now.
pub fn checkin_open(lesson: &Lesson, now: DateTime<Utc>) -> bool {
    lesson.status == LessonStatus::Booked
        && now >= lesson.starts() - Duration::minutes(CHECKIN_EARLY_MINUTES)
        && now <= lesson.ends()
}

pub fn has_consent(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<bool> {
    consents::in_force(conn, user_id, ConsentKind::Geolocation, false)
}

/// Records the consent unless it is already in force; returns the new consent's id.
pub fn give_consent(
    conn: &mut PgConnection, user_id: Uuid, evidence: serde_json::Value,
) -> QueryResult<Option<Uuid>> {
    consents::give(conn, user_id, ConsentKind::Geolocation, evidence)
}

/// Withdraws the consent and deletes every position the user attached. Returns how many were
/// deleted, or `None` when no consent was in force.
pub fn withdraw_consent(conn: &mut PgConnection, user_id: Uuid) -> QueryResult<Option<usize>> {
    consents::withdraw(conn, user_id, ConsentKind::Geolocation, |conn| {
        let deleted =
            diesel::delete(lesson_positions::table.filter(lesson_positions::user_id.eq(user_id)))
                .execute(conn)?;
        Ok((deleted, json!({ "positions_deleted": deleted })))
    })
}

/// Stores the position, replacing the previous one of its kind. Without the user's consent in
/// force nothing is stored and the answer is `false`.
pub fn attach(
    conn: &mut PgConnection, lesson_id: Uuid, user_id: Uuid, kind: Kind, at: Coords,
) -> QueryResult<bool> {
    conn.transaction(|conn| {
        if !consents::in_force(conn, user_id, ConsentKind::Geolocation, true)? {
            return Ok(false);
        }
        let same = lesson_positions::table
            .filter(lesson_positions::lesson_id.eq(lesson_id))
            .filter(lesson_positions::kind.eq(kind.code()));
        match kind {
            Kind::Meeting => diesel::delete(same).execute(conn)?,
            Kind::Checkin => {
                diesel::delete(same.filter(lesson_positions::user_id.eq(user_id))).execute(conn)?
            }
        };
        diesel::insert_into(lesson_positions::table)
            .values((
                lesson_positions::lesson_id.eq(lesson_id),
                lesson_positions::user_id.eq(user_id),
                lesson_positions::kind.eq(kind.code()),
                lesson_positions::lat.eq(at.lat),
                lesson_positions::lon.eq(at.lon),
            ))
            .execute(conn)?;
        Ok(true)
    })
}

#[derive(Debug, Clone)]
pub struct Shown {
    pub lesson_id: Uuid,
    pub user_id: Uuid,
    pub kind: Kind,
    pub coords: Coords,
    pub at: DateTime<Utc>,
}

/// The positions of these lessons that `viewer` may see: as the lesson's instructor, its
/// booked student or staff of its school. Anyone else gets nothing, whatever ids they pass.
pub fn visible(
    conn: &mut PgConnection, viewer: Uuid, lesson_ids: &[Uuid],
) -> QueryResult<Vec<Shown>> {
    let staff_of = school_staff::table
        .filter(school_staff::user_id.eq(viewer))
        .select(school_staff::school_id);
    let rows: Vec<(Uuid, Uuid, String, f64, f64, DateTime<Utc>)> = lesson_positions::table
        .inner_join(lessons::table)
        .filter(lesson_positions::lesson_id.eq_any(lesson_ids))
        .filter(
            lessons::instructor_id
                .eq(viewer)
                .or(lessons::student_id.eq(viewer))
                .or(lessons::school_id.eq_any(staff_of)),
        )
        .order(lesson_positions::at.asc())
        .select((
            lesson_positions::lesson_id,
            lesson_positions::user_id,
            lesson_positions::kind,
            lesson_positions::lat,
            lesson_positions::lon,
            lesson_positions::at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(lesson_id, user_id, kind, lat, lon, at)| Shown {
            lesson_id,
            user_id,
            kind: if kind == "meeting" { Kind::Meeting } else { Kind::Checkin },
            coords: Coords { lat, lon },
            at,
        })
        .collect())
}

/// What a lessons page may show of positions: the viewer's consent and the positions of the
/// listed lessons the viewer may see.
pub struct GeoView {
    pub consent: bool,
    shown: Vec<Shown>,
}

impl GeoView {
    pub fn load<'a>(
        conn: &mut PgConnection, viewer: Uuid, lessons: impl Iterator<Item = &'a Lesson>,
    ) -> QueryResult<GeoView> {
        let ids: Vec<Uuid> = lessons.map(|l| l.id).collect();
        Ok(GeoView { consent: has_consent(conn, viewer)?, shown: visible(conn, viewer, &ids)? })
    }

    pub fn meeting(&self, lesson_id: Uuid) -> Option<Coords> {
        self.shown
            .iter()
            .find(|p| p.lesson_id == lesson_id && p.kind == Kind::Meeting)
            .map(|p| p.coords)
    }

    pub fn checkins(&self, lesson_id: Uuid) -> impl Iterator<Item = &Shown> {
        self.shown.iter().filter(move |p| p.lesson_id == lesson_id && p.kind == Kind::Checkin)
    }
}

/// Deletes positions taken more than `days` ago; the audit trail keeps only how many.
pub fn purge(conn: &mut PgConnection, days: u32, now: DateTime<Utc>) -> QueryResult<usize> {
    let before = now - Duration::days(i64::from(days));
    conn.transaction(|conn| {
        let count = diesel::delete(lesson_positions::table.filter(lesson_positions::at.lt(before)))
            .execute(conn)?;
        if count > 0 {
            NewAuditEvent::new("lesson.positions_purged")
                .details(json!({ "count": count }))
                .record(conn)?;
        }
        Ok(count)
    })
}

/// Purges at start and then every hour for as long as the server runs. Every instance does
/// it; deleting twice is harmless.
pub fn spawn_purge(pool: DbPool, clock: crate::clock::Clock, days: u32) {
    actix_web::rt::spawn(async move {
        let mut hourly = actix_web::rt::time::interval(std::time::Duration::from_secs(3600));
        loop {
            // The first tick comes at once.
            hourly.tick().await;
            let now = clock.now();
            match db::run(&pool, move |conn| Ok(purge(conn, days, now)?)).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "purged old lesson positions"),
                Err(e) => tracing::warn!(error = %e, "purging lesson positions failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_rounded_to_three_decimals_and_checked() {
        let at = Coords::parse("43.23849", " 76.94551 ").unwrap().unwrap();
        assert_eq!(at.text(), "43.238, 76.946");
        assert_eq!(at.lat, 43.238);
        assert_eq!(Coords::parse("", "").unwrap(), None);
        assert_eq!(Coords::parse("-0.0001", "0").unwrap().unwrap().text(), "0.000, 0.000");
        for (lat, lon) in [
            ("90.01", "0"),
            ("0", "-180.5"),
            ("NaN", "0"),
            ("inf", "0"),
            ("43.2", ""),
            ("abc", "1"),
        ] {
            assert_eq!(Coords::parse(lat, lon), Err(BadCoords), "{lat}, {lon}");
        }
    }
}
