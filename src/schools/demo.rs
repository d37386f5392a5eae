//! A demo school for `AVTOMEKTEP_DEMO`: the demo manager and instructor work there, a group is
//! recruiting, the demo student is in it, and there are lessons to book.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::prelude::*;

use super::groups::model::{self, EnrolmentStatus, NewGroup};
use super::lessons::model::{self as lessons, NewSlot};
use super::registry::model::{self as registry, NewSchool};
use crate::accounts::model as accounts;
use crate::crypto::KeyRing;
use crate::db::schema::{enrolments, schools};
use crate::i18n::dates;

const DEMO_BIN: &str = "940140000385";

pub fn seed(conn: &mut PgConnection, keys: &KeyRing, now: DateTime<Utc>) -> anyhow::Result<()> {
    let exists: i64 = schools::table.filter(schools::bin.eq(DEMO_BIN)).count().get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let user = |conn: &mut PgConnection, email: &str| -> anyhow::Result<uuid::Uuid> {
        Ok(accounts::by_login(conn, keys, email)?
            .ok_or_else(|| anyhow::anyhow!("demo account {email} missing"))?
            .id)
    };
    conn.transaction(|conn| -> anyhow::Result<()> {
        let school = registry::insert_school(
            conn,
            &NewSchool {
                bin: DEMO_BIN.into(),
                name_kk: "«Жол» автомектебі (демо)".into(),
                name_ru: "Автошкола «Жол» (демо)".into(),
                city: "Астана".into(),
                address: "Мәңгілік Ел даңғылы, 8".into(),
                licence_number: "KZ-DEMO-0001".into(),
                phone: Some("+7 701 000 0002".into()),
                email: Some("info@demo.avtomektep.kz".into()),
            },
        )?;
        let manager = user(conn, "school-staff@demo.avtomektep.kz")?;
        let instructor = user(conn, "instructor@demo.avtomektep.kz")?;
        let student = user(conn, "student@demo.avtomektep.kz")?;
        registry::add_staff(conn, school, manager, "manager")?;
        registry::add_staff(conn, school, instructor, "instructor")?;
        let today = dates::local_date(now);
        let monday = today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
        for (category, language, weeks) in [("B", "kk", 0), ("B", "ru", 2), ("A", "ru", 4)] {
            let starts_on = monday + Duration::weeks(weeks);
            let group = model::insert_group(
                conn,
                &NewGroup {
                    school_id: school,
                    category: category.into(),
                    language: language.into(),
                    starts_on,
                    ends_on: starts_on + Duration::weeks(10),
                    theory_teacher_id: None,
                    capacity: 20,
                },
            )?;
            if weeks == 0 {
                diesel::insert_into(enrolments::table)
                    .values((
                        enrolments::group_id.eq(group),
                        enrolments::student_id.eq(student),
                        enrolments::category.eq(category),
                        enrolments::status.eq(EnrolmentStatus::Accepted),
                        enrolments::decided_by.eq(manager),
                        enrolments::decided_at.eq(now),
                    ))
                    .execute(conn)?;
            }
        }
        for (day, hour) in [(1, 9), (1, 11), (2, 9), (3, 15)] {
            let date: NaiveDate = today + Duration::days(day);
            let starts = date
                .and_hms_opt(hour, 0, 0)
                .and_then(dates::from_local)
                .ok_or_else(|| anyhow::anyhow!("{date} {hour}:00 is not a time in Almaty"))?;
            let slot = NewSlot {
                school_id: school,
                instructor_id: instructor,
                starts,
                minutes: 90,
                vehicle: "123ABC01".into(),
                meeting_place: "Мәңгілік Ел 8, автомектеп ауласы".into(),
            };
            lessons::publish(conn, &slot)?
                .map_err(|clash| anyhow::anyhow!("demo lessons overlap: {clash:?}"))?;
        }
        Ok(())
    })
}
