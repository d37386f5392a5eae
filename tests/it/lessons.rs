//! Practical lessons: publishing, booking, cancelling, recording; no double booking, enforced
//! by PostgreSQL even when requests race.

use avtomektep::db::schema::lessons;
use chrono::Duration;
use chrono_tz::Asia::Almaty;
use diesel::prelude::*;

use crate::schools::{apply, group, manager_of, school, signed_in, student};
use crate::support::dates;
use crate::support::{TestApp, Visitor};

struct Setup<'a> {
    school: String,
    instructor: Visitor<'a>,
    other_instructor: Visitor<'a>,
    students: Vec<Visitor<'a>>,
}

/// A school with two instructors and two accepted students (and one student not accepted).
async fn setup(app: &TestApp) -> Setup<'_> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let school = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &school, "manager@zhol.kz").await;
    let mut instructors = Vec::new();
    for email in ["ivan@zhol.kz", "erlan@zhol.kz"] {
        let instructor = signed_in(app, "instructor", email).await;
        admin
            .submit(
                &format!("/schools/{school}"),
                &format!("/admin/schools/{school}/staff"),
                &[("email", email), ("position", "instructor")],
            )
            .await;
        instructors.push(instructor);
    }
    let g = group(&manager, "B", "10").await;
    let mut students = Vec::new();
    for n in 1..=3 {
        let s = student(app, n, true).await;
        apply(&s, &school, &g).await;
        students.push(s);
    }
    let roster = manager.get(&format!("/school/groups/{g}")).await;
    for action in roster.attrs("form[action$='/accept']", "action").into_iter().take(2) {
        manager.submit(&format!("/school/groups/{g}"), &action, &[("group", &g)]).await;
    }
    let other_instructor = instructors.pop().unwrap();
    let instructor = instructors.pop().unwrap();
    Setup { school, instructor, other_instructor, students }
}

fn tomorrow() -> String {
    (dates::now().with_timezone(&Almaty) + Duration::days(2)).format("%Y-%m-%d").to_string()
}

async fn publish(instructor: &Visitor<'_>, time: &str, vehicle: &str) -> crate::support::Page {
    instructor
        .submit(
            "/school/lessons",
            "/school/lessons",
            &[
                ("date", &tomorrow()),
                ("time", time),
                ("minutes", "90"),
                ("vehicle", vehicle),
                ("meeting_place", "ЦОН, Астана"),
            ],
        )
        .await
}

#[actix_web::test]
async fn instructors_and_vehicles_are_never_double_booked() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    assert_eq!(publish(&s.instructor, "10:00", "123ABC01").await.status, 303);
    let again = publish(&s.instructor, "11:00", "777AAA01").await;
    assert_eq!(again.status, 422, "the instructor is busy until 11:30");
    assert!(
        again.texts(".error-summary p")[0].contains("бар"),
        "{:?}",
        again.texts(".error-summary p")
    );
    assert_eq!(again.attrs("input[name=time]", "value"), ["11:00"], "values kept");
    let same_car = publish(&s.other_instructor, "11:00", "123abc01").await;
    assert_eq!(same_car.status, 422, "the car is busy until 11:30");
    assert_eq!(
        publish(&s.other_instructor, "11:30", "123ABC01").await.status,
        303,
        "back to back is fine"
    );
}

#[actix_web::test]
async fn a_slot_in_the_past_or_years_ahead_is_refused_and_not_stored() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let day = |n: i64| {
        (dates::now().with_timezone(&Almaty) + Duration::days(n)).format("%Y-%m-%d").to_string()
    };
    for (date, message) in [(day(-1), "будущем"), (day(2 * 366), "на год")] {
        let page = s
            .instructor
            .submit(
                "/school/lessons?lang=ru",
                "/school/lessons",
                &[
                    ("date", &date),
                    ("time", "10:00"),
                    ("minutes", "90"),
                    ("vehicle", "123ABC01"),
                    ("meeting_place", "ЦОН, Астана"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{date}");
        assert!(page.texts(".error-summary p").join(" ").contains(message), "{}", page.body);
    }
    let stored: i64 =
        avtomektep::db::schema::lessons::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(stored, 0);
}

#[actix_web::test]
async fn students_of_the_school_book_once_and_never_two_lessons_at_once() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    publish(&s.instructor, "10:00", "123ABC01").await;
    publish(&s.other_instructor, "10:30", "456DEF01").await;
    let page = s.students[0].get("/me/lessons").await;
    let book = page.attrs(".open form", "action");
    assert_eq!(book.len(), 2);
    s.students[0].submit("/me/lessons", &book[0], &[]).await;
    let busy = s.students[0].submit("/me/lessons", &book[1], &[]).await;
    let told = s.students[0].get(&busy.location()).await.texts(".flash");
    assert_eq!(told, ["В это время у вас уже есть другое занятие."]);
    let taken = s.students[1].submit("/me/lessons", &book[0], &[]).await;
    assert_eq!(taken.status, 303);
    let mine: Vec<(Option<uuid::Uuid>, String)> = lessons::table
        .select((lessons::student_id, lessons::status))
        .load(&mut app.db.conn())
        .unwrap();
    let booked: Vec<_> = mine.iter().filter(|(_, status)| status == "booked").collect();
    assert_eq!(
        booked.len(),
        1,
        "one booking: the second slot overlaps it, the first was taken: {mine:?}"
    );
    let outsider = &s.students[2];
    assert_eq!(
        outsider.submit("/me/lessons", &book[1], &[]).await.status,
        404,
        "not accepted in the school"
    );
}

#[actix_web::test]
async fn two_students_racing_for_one_slot_get_it_once() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    publish(&s.instructor, "10:00", "123ABC01").await;
    let action = s.students[0].get("/me/lessons").await.attrs(".open form", "action").remove(0);
    let (t0, t1) = (
        s.students[0].get("/me/lessons").await.csrf_token(),
        s.students[1].get("/me/lessons").await.csrf_token(),
    );
    futures_util::future::join(
        s.students[0].post(&action, &[("csrf_token", &t0)]),
        s.students[1].post(&action, &[("csrf_token", &t1)]),
    )
    .await;
    let booked: i64 = lessons::table
        .filter(lessons::student_id.is_not_null())
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(booked, 1);
}

#[actix_web::test]
async fn the_database_itself_refuses_overlaps() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    publish(&s.instructor, "10:00", "123ABC01").await;
    let err = diesel::sql_query(
        "INSERT INTO lessons (school_id, instructor_id, vehicle, during) \
         SELECT school_id, instructor_id, 'OTHER', tstzrange(lower(during) + interval '30 minutes', upper(during) + interval '1 hour') FROM lessons",
    )
    .execute(&mut app.db.conn())
    .unwrap_err();
    assert!(err.to_string().contains("lessons_instructor_free"), "{err}");
    let _ = s.school;
}

#[actix_web::test]
async fn a_lesson_is_recorded_after_it_ends_and_held_lessons_add_to_practice() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let aliya = app.user_id("student1@mail.kz").parse::<uuid::Uuid>().unwrap();
    let ivan = app.user_id("ivan@zhol.kz").parse::<uuid::Uuid>().unwrap();
    let school_id: uuid::Uuid = s.school.parse().unwrap();
    // A lesson that ended an hour ago, and one still to come.
    for (start, end) in [(-3, -1), (20, 22)] {
        let during = (
            std::collections::Bound::Included(dates::now() + Duration::hours(start)),
            std::collections::Bound::Excluded(dates::now() + Duration::hours(end)),
        );
        diesel::insert_into(lessons::table)
            .values((
                lessons::school_id.eq(school_id),
                lessons::instructor_id.eq(ivan),
                lessons::student_id.eq(Some(aliya)),
                lessons::vehicle.eq("123ABC01"),
                lessons::during.eq(during),
                lessons::status.eq("booked"),
            ))
            .execute(&mut app.db.conn())
            .unwrap();
    }
    let page = s.instructor.get("/school/lessons").await;
    let record = page.attrs(".lessons form", "action");
    assert_eq!(record.len(), 1, "only the finished lesson can be recorded");
    s.instructor
        .submit(
            "/school/lessons",
            &record[0],
            &[("outcome", "held"), ("note", "Параллель парковка")],
        )
        .await;
    let mine = s.students[0].get("/me/lessons?lang=ru").await;
    assert_eq!(mine.texts("#practice"), ["2:00"]);
    assert!(mine.texts(".mine .badge").contains(&"проведено".to_string()));
    let cancel = mine.attrs(".mine form", "action");
    assert_eq!(cancel.len(), 1, "the future lesson can be given back");
    s.students[0].submit("/me/lessons", &cancel[0], &[]).await;
    let open: i64 = lessons::table
        .filter(lessons::status.eq("open"))
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(open, 1);
}
