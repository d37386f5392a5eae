//! Reviews in the database. Who may review reads the schools area's enrolments and lessons
//! (read-only, as photos does): a review belongs to one enrolment, its instructor is someone the
//! student had a held lesson with at that school.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use crate::db::schema::{enrolments, lessons, reviews, schools, training_groups, users};
use crate::db::text_enum::text_enum;
use crate::schools::groups::model::EnrolmentStatus;
use crate::schools::lessons::model::LessonStatus;

text_enum! {
    /// Where a review stands (`reviews.status`).
    pub enum ReviewStatus {
        Published = "published",
        Held = "held",
        Hidden = "hidden",
        Deleted = "deleted",
    }
}

/// What the public list shows: published reviews and the stubs of deleted ones.
const PUBLIC: [ReviewStatus; 2] = [ReviewStatus::Published, ReviewStatus::Deleted];

/// Enrolment statuses of someone who is or was a student of the school.
pub const REVIEWABLE: [EnrolmentStatus; 4] = [
    EnrolmentStatus::Accepted,
    EnrolmentStatus::Completed,
    EnrolmentStatus::Withdrawn,
    EnrolmentStatus::Transferred,
];

/// At most this many reviews written or edited per person per hour.
pub const WRITES_PER_HOUR: i64 = 5;

/// Audit actions that count as writing a review.
pub const WRITE_ACTIONS: [&str; 2] = ["review.created", "review.edited"];

/// An enrolment as the review form needs it.
#[derive(Debug, Clone, Queryable)]
pub struct Enrolment {
    pub id: Uuid,
    pub student_id: Uuid,
    pub status: EnrolmentStatus,
    pub category: String,
    pub school_id: Uuid,
    pub school_name_kk: String,
    pub school_name_ru: String,
}

impl Enrolment {
    pub fn reviewable(&self) -> bool {
        REVIEWABLE.contains(&self.status)
    }
}

pub fn enrolment(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Enrolment>> {
    enrolments::table
        .inner_join(training_groups::table.inner_join(schools::table))
        .filter(enrolments::id.eq(id))
        .select((
            enrolments::id,
            enrolments::student_id,
            enrolments::status,
            enrolments::category,
            schools::id,
            schools::name_kk,
            schools::name_ru,
        ))
        .first(conn)
        .optional()
}

/// The student's enrolments at a school that may be reviewed, newest first, with their review.
pub fn reviewable_at(
    conn: &mut PgConnection, student_id: Uuid, school_id: Uuid,
) -> QueryResult<Vec<(Uuid, Option<Uuid>)>> {
    enrolments::table
        .inner_join(training_groups::table)
        .left_join(reviews::table)
        .filter(enrolments::student_id.eq(student_id))
        .filter(training_groups::school_id.eq(school_id))
        .filter(enrolments::status.eq_any(REVIEWABLE))
        .order(enrolments::applied_at.desc())
        .select((enrolments::id, reviews::id.nullable()))
        .load(conn)
}

/// Instructors the student had a held lesson with at the school: (id, "Last First").
pub fn instructors(
    conn: &mut PgConnection, student_id: Uuid, school_id: Uuid,
) -> QueryResult<Vec<(Uuid, String)>> {
    let rows: Vec<(Uuid, String, String)> = lessons::table
        .inner_join(users::table.on(users::id.eq(lessons::instructor_id)))
        .filter(lessons::student_id.eq(student_id))
        .filter(lessons::school_id.eq(school_id))
        .filter(lessons::status.eq(LessonStatus::Held))
        .select((users::id, users::last_name, users::first_name))
        .distinct()
        .order((users::last_name, users::first_name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, last, first)| (id, format!("{last} {first}"))).collect())
}

/// What every view of a review shows: the stars and the text, where the review stands and why.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct Content {
    pub school_stars: i16,
    pub instructor_stars: Option<i16>,
    pub body: String,
    pub status: ReviewStatus,
    pub held_reason: Option<String>,
    pub moderation_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub id: Uuid,
    pub enrolment_id: Uuid,
    pub author_id: Uuid,
    pub school_id: Uuid,
    pub instructor_id: Option<Uuid>,
    #[diesel(embed)]
    pub content: Content,
    pub updated_at: DateTime<Utc>,
}

pub fn review(conn: &mut PgConnection, id: Uuid) -> QueryResult<Option<Review>> {
    reviews::table.find(id).select(Review::as_select()).first(conn).optional()
}

/// What the author wrote, checked.
#[derive(Debug, Clone)]
pub struct Written {
    pub school_stars: i16,
    pub instructor: Option<(Uuid, i16)>,
    pub body: String,
    /// `Some(kind code)`: held for a moderator, not published.
    pub held: Option<&'static str>,
}

/// The columns the author writes, the same when creating and when editing.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = reviews, treat_none_as_null = true)]
struct Columns<'a> {
    instructor_id: Option<Uuid>,
    school_stars: i16,
    instructor_stars: Option<i16>,
    body: &'a str,
    status: ReviewStatus,
    held_reason: Option<&'static str>,
}

impl Written {
    fn columns(&self) -> Columns<'_> {
        Columns {
            instructor_id: self.instructor.map(|(id, _)| id),
            school_stars: self.school_stars,
            instructor_stars: self.instructor.map(|(_, stars)| stars),
            body: &self.body,
            status: if self.held.is_some() { ReviewStatus::Held } else { ReviewStatus::Published },
            held_reason: self.held,
        }
    }
}

/// Inserts the review of an enrolment; `None` when the enrolment already has one.
pub fn insert(
    conn: &mut PgConnection, enrolment: &Enrolment, written: &Written,
) -> QueryResult<Option<Uuid>> {
    let inserted = diesel::insert_into(reviews::table)
        .values((
            reviews::enrolment_id.eq(enrolment.id),
            reviews::author_id.eq(enrolment.student_id),
            reviews::school_id.eq(enrolment.school_id),
            written.columns(),
        ))
        .on_conflict(reviews::enrolment_id)
        .do_nothing()
        .returning(reviews::id)
        .get_result(conn)
        .optional()?;
    Ok(inserted)
}

/// The author's changes. Only a published or held review changes (a moderator's hiding or
/// deletion stands); returns whether it did.
pub fn update(
    conn: &mut PgConnection, id: Uuid, written: &Written, now: DateTime<Utc>,
) -> QueryResult<bool> {
    let n = diesel::update(
        reviews::table
            .filter(reviews::id.eq(id))
            .filter(reviews::status.eq_any([ReviewStatus::Published, ReviewStatus::Held])),
    )
    .set((written.columns(), reviews::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Inside the transaction that writes: takes the author's turn, then checks the hourly limit,
/// so parallel submissions are counted one after the other.
pub fn may_write(conn: &mut PgConnection, author: Uuid, now: DateTime<Utc>) -> QueryResult<bool> {
    crate::db::lock_named(conn, &format!("reviews:{author}"))?;
    Ok(writes_last_hour(conn, author, now)? < WRITES_PER_HOUR)
}

/// Reviews written or edited by this person in the last hour (from the audit trail, so every
/// edit counts, not only the last one).
fn writes_last_hour(conn: &mut PgConnection, author: Uuid, now: DateTime<Utc>) -> QueryResult<i64> {
    crate::audit::count_by_actor(conn, author, &WRITE_ACTIONS, now - chrono::Duration::hours(1))
}

/// A review as the school page shows it.
#[derive(Debug, Queryable)]
pub struct Shown {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_first: String,
    pub author_last: String,
    pub instructor_last: Option<String>,
    pub instructor_first: Option<String>,
    pub content: Content,
    pub updated_at: DateTime<Utc>,
}

/// Which reviews of a school a list takes.
#[derive(Debug, Clone, Copy)]
pub enum Which {
    /// What everyone sees: published reviews and the stubs of deleted ones.
    Public,
    /// The viewer's own reviews that others do not see (held or hidden).
    OwnUnpublished(Uuid),
}

/// One page of the school's reviews for `which`, newest first.
pub fn shown(
    conn: &mut PgConnection, school_id: Uuid, which: Which, offset: i64, limit: i64,
) -> QueryResult<Vec<Shown>> {
    let instructors = diesel::alias!(users as instructors);
    let query = reviews::table
        .inner_join(users::table.on(users::id.eq(reviews::author_id)))
        .left_join(
            instructors.on(instructors.field(users::id).nullable().eq(reviews::instructor_id)),
        )
        .filter(reviews::school_id.eq(school_id))
        .into_boxed();
    let query = match which {
        Which::Public => query.filter(reviews::status.eq_any(PUBLIC)),
        Which::OwnUnpublished(author) => query
            .filter(reviews::author_id.eq(author))
            .filter(reviews::status.eq_any([ReviewStatus::Held, ReviewStatus::Hidden])),
    };
    query
        .order((reviews::created_at.desc(), reviews::id))
        .offset(offset)
        .limit(limit)
        .select((
            reviews::id,
            reviews::author_id,
            users::first_name,
            users::last_name,
            instructors.field(users::last_name).nullable(),
            instructors.field(users::first_name).nullable(),
            Content::as_select(),
            reviews::updated_at,
        ))
        .load(conn)
}

/// A review as the moderators' queue shows it.
#[derive(Debug, Queryable)]
pub struct ForModerators {
    pub id: Uuid,
    pub author_id: Uuid,
    pub author_last: String,
    pub author_first: String,
    pub school_name_kk: String,
    pub school_name_ru: String,
    pub content: Content,
}

/// These reviews, with their authors' and schools' names, for the moderators' queue.
pub fn for_moderators(conn: &mut PgConnection, ids: &[Uuid]) -> QueryResult<Vec<ForModerators>> {
    reviews::table
        .inner_join(users::table.on(users::id.eq(reviews::author_id)))
        .inner_join(schools::table)
        .filter(reviews::id.eq_any(ids))
        .select((
            reviews::id,
            reviews::author_id,
            users::last_name,
            users::first_name,
            schools::name_kk,
            schools::name_ru,
            Content::as_select(),
        ))
        .load(conn)
}

/// How many reviews the public list has (published, and the stubs of deleted ones).
pub fn public_count(conn: &mut PgConnection, school_id: Uuid) -> QueryResult<i64> {
    reviews::table
        .filter(reviews::school_id.eq(school_id))
        .filter(reviews::status.eq_any(PUBLIC))
        .count()
        .get_result(conn)
}

/// The number of published reviews and the sum of their school stars (one query).
pub fn stars(conn: &mut PgConnection, school_id: Uuid) -> QueryResult<(i64, i64)> {
    let (count, sum): (i64, Option<i64>) = reviews::table
        .filter(reviews::school_id.eq(school_id))
        .filter(reviews::status.eq(ReviewStatus::Published))
        .select((diesel::dsl::count_star(), diesel::dsl::sum(reviews::school_stars)))
        .first(conn)?;
    Ok((count, sum.unwrap_or(0)))
}

/// A review's moderation state, locked until the end of the transaction: (status, author,
/// school). For the moderators' decisions.
pub fn lock_for_moderation(
    conn: &mut PgConnection, id: Uuid,
) -> QueryResult<(ReviewStatus, Uuid, Uuid)> {
    reviews::table
        .find(id)
        .select((reviews::status, reviews::author_id, reviews::school_id))
        .for_update()
        .first(conn)
}

/// A moderator's decision on a review: its new status and why; a deleted review loses its
/// text, a published one its held reason.
pub fn set_moderation(
    conn: &mut PgConnection, id: Uuid, status: ReviewStatus, reason: &str, moderator: Uuid,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(reviews::table.find(id))
        .set((
            reviews::status.eq(status),
            reviews::moderation_reason.eq(reason),
            reviews::moderated_by.eq(moderator),
            reviews::moderated_at.eq(now),
            (status == ReviewStatus::Deleted)
                .then_some(reviews::body.eq(crate::domain::REMOVED_TEXT)),
            (status == ReviewStatus::Published).then_some(reviews::held_reason.eq(None::<String>)),
        ))
        .execute(conn)
        .map(|_| ())
}
