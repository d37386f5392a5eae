//! A school full of data — many groups, students, instructors and lessons — written in bulk.
//! The schools benchmark seeds it at the scale, and the query-count test at two sizes to
//! show that a page costs the same number of queries however much data there is.

use std::collections::Bound;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::groups::model::{CATEGORIES, EnrolmentStatus, GroupStatus};
use super::lessons::model::LessonStatus;
use super::registry::model::StaffPosition;
use crate::accounts::model::place;
use crate::crypto::{IndexKind, KeyRing};
use crate::db::schema::{enrolments, lessons, school_staff, training_groups, users};
use crate::i18n::dates;

#[derive(Debug, Clone, Copy)]
pub struct Volume {
    pub groups: usize,
    pub students: usize,
    pub instructors: usize,
    pub lessons: usize,
}

#[derive(Debug, Default)]
pub struct Seeded {
    pub groups: Vec<Uuid>,
    pub instructors: Vec<Uuid>,
    pub students: Vec<Uuid>,
}

/// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters.
const BATCH: usize = 2_000;

fn accounts(
    conn: &mut PgConnection, keys: &KeyRing, role: &str, tag: &str, n: usize, password_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Vec<Uuid>> {
    let ids: Vec<Uuid> = (0..n).map(|_| Uuid::new_v4()).collect();
    for (chunk_no, chunk) in ids.chunks(BATCH).enumerate() {
        let rows: Vec<_> = chunk
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let n = chunk_no * BATCH + i;
                let email =
                    format!("{tag}-{n}-{}@volume.avtomektep.kz", &id.simple().to_string()[..8]);
                let last = format!("Тестов{}", n % 97);
                let first = match role {
                    "instructor" => format!("Инструктор{n}"),
                    _ => format!("Ученик{n}"),
                };
                (
                    users::id.eq(*id),
                    users::role.eq(role),
                    users::search_name.eq(format!(
                        "{} {}",
                        last.to_lowercase(),
                        first.to_lowercase()
                    )),
                    users::last_name.eq(last),
                    users::first_name.eq(first),
                    users::email_sealed.eq(keys.seal_str(&email, &place("email", *id))),
                    users::email_index.eq(keys.blind_index(IndexKind::Email, &email)),
                    users::password_hash.eq(password_hash.to_string()),
                    users::email_verified_at.eq(now),
                )
            })
            .collect();
        diesel::insert_into(users::table).values(rows).execute(conn)?;
    }
    Ok(ids)
}

/// Seeds `v` into the school, in one transaction. Every student is accepted in one group;
/// each instructor has four 90-minute lessons a day around today (held before now, booked or
/// open after), with a student who has no other lesson at that time.
pub fn seed(
    conn: &mut PgConnection, keys: &KeyRing, school_id: Uuid, v: Volume, password_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Seeded> {
    conn.transaction(|conn| {
        let tag = Uuid::new_v4().simple().to_string()[..6].to_string();
        let instructors = accounts(
            conn,
            keys,
            "instructor",
            &format!("i{tag}"),
            v.instructors,
            password_hash,
            now,
        )?;
        let staff: Vec<_> = instructors
            .iter()
            .map(|id| {
                (
                    school_staff::user_id.eq(*id),
                    school_staff::school_id.eq(school_id),
                    school_staff::position.eq(StaffPosition::Instructor),
                )
            })
            .collect();
        diesel::insert_into(school_staff::table).values(staff).execute(conn)?;
        let students =
            accounts(conn, keys, "student", &format!("s{tag}"), v.students, password_hash, now)?;

        let today = dates::local_date(now);
        let groups: Vec<(Uuid, &str)> =
            (0..v.groups).map(|g| (Uuid::new_v4(), CATEGORIES[g % CATEGORIES.len()])).collect();
        let rows: Vec<_> = groups
            .iter()
            .enumerate()
            .map(|(g, (id, category))| {
                let starts_on: NaiveDate =
                    today - Duration::days(60) + Duration::days((g % 120) as i64);
                (
                    training_groups::id.eq(*id),
                    training_groups::school_id.eq(school_id),
                    training_groups::category.eq(*category),
                    training_groups::language.eq(if g % 2 == 0 { "kk" } else { "ru" }),
                    training_groups::starts_on.eq(starts_on),
                    training_groups::ends_on.eq(starts_on + Duration::weeks(10)),
                    training_groups::capacity.eq(200),
                    training_groups::status.eq(if starts_on > today {
                        GroupStatus::Recruiting
                    } else {
                        GroupStatus::InTraining
                    }),
                )
            })
            .collect();
        diesel::insert_into(training_groups::table).values(rows).execute(conn)?;
        if !groups.is_empty() {
            for (chunk_no, chunk) in students.chunks(BATCH).enumerate() {
                let rows: Vec<_> = chunk
                    .iter()
                    .enumerate()
                    .map(|(i, student)| {
                        let (group, category) = groups[(chunk_no * BATCH + i) % groups.len()];
                        (
                            enrolments::group_id.eq(group),
                            enrolments::student_id.eq(*student),
                            enrolments::category.eq(category),
                            enrolments::status.eq(EnrolmentStatus::Accepted),
                            enrolments::decided_at.eq(now),
                        )
                    })
                    .collect();
                diesel::insert_into(enrolments::table).values(rows).execute(conn)?;
            }
        }

        if !instructors.is_empty() && !students.is_empty() {
            let per_instructor = v.lessons.div_ceil(instructors.len());
            let first_day = today - Duration::days((per_instructor / 4 / 2) as i64);
            let all: Vec<usize> = (0..v.lessons).collect();
            for chunk in all.chunks(BATCH) {
                let rows: Vec<_> = chunk
                    .iter()
                    .map(|&n| {
                        let i = n % instructors.len();
                        let k = n / instructors.len();
                        let (day, slot) = (k / 4, k % 4);
                        let date = first_day + Duration::days(day as i64);
                        // Almaty has kept UTC+5 since March 2024: every hour exists once.
                        let starts = date
                            .and_hms_opt(8 + 2 * slot as u32, 0, 0)
                            .and_then(dates::from_local)
                            .unwrap_or(now);
                        // Lessons at the same hour get distinct students, so no student is booked twice.
                        let student = students[(k * instructors.len() + i) % students.len()];
                        let status = if starts < now {
                            LessonStatus::Held
                        } else if k % 2 == 0 {
                            LessonStatus::Booked
                        } else {
                            LessonStatus::Open
                        };
                        (
                            lessons::school_id.eq(school_id),
                            lessons::instructor_id.eq(instructors[i]),
                            lessons::student_id
                                .eq((status != LessonStatus::Open).then_some(student)),
                            lessons::vehicle.eq(format!("{:03}VOL{:02}", i, i % 17)),
                            lessons::during.eq((
                                Bound::Included(starts),
                                Bound::Excluded(starts + Duration::minutes(90)),
                            )),
                            lessons::meeting_place.eq("Автомектеп ауласы"),
                            lessons::status.eq(status),
                        )
                    })
                    .collect();
                diesel::insert_into(lessons::table).values(rows).execute(conn)?;
            }
        }
        Ok(Seeded { groups: groups.into_iter().map(|(id, _)| id).collect(), instructors, students })
    })
}
