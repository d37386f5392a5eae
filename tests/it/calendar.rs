//! The instructor's week calendar, and the cost of the staff pages in SQL queries: the same
//! number for a small school and for a school ten times its size (no N+1 queries).

use avtomektep::schools::volume::{self, Seeded, Volume};
use uuid::Uuid;

use crate::schools::{manager_of, school, signed_in};
use crate::support::dates;
use crate::support::{TestApp, Visitor};

/// A school seeded in bulk, and its manager.
async fn seeded<'a>(
    app: &'a TestApp, admin: &Visitor<'_>, bin: &str, manager: &str, v: Volume,
) -> (Visitor<'a>, Seeded, String) {
    let id = school(admin, bin, "Көлем").await;
    let manager = manager_of(app, admin, &id, manager).await;
    let uuid = Uuid::parse_str(&id).unwrap();
    let seeded =
        volume::seed(&mut app.db.conn(), app.keys(), uuid, v, "not-a-hash", app.now()).unwrap();
    (manager, seeded, id)
}

/// Queries the server sent to answer one GET (after a warm-up request, so that pool and
/// session set-up are not counted).
pub async fn queries_for(app: &TestApp, visitor: &Visitor<'_>, path: &str) -> u64 {
    assert_eq!(visitor.get(path).await.status, 200, "{path}");
    let before = app.queries();
    let page = visitor.get(path).await;
    assert_eq!(page.status, 200, "{path}");
    app.queries() - before
}

#[actix_web::test]
async fn staff_pages_cost_the_same_queries_for_ten_times_the_data() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let small = Volume { groups: 2, students: 6, instructors: 2, lessons: 16 };
    let large = Volume { groups: 20, students: 300, instructors: 20, lessons: 1_600 };
    let (manager_s, s, _) = seeded(&app, &admin, "940140000385", "small@zhol.kz", small).await;
    let (manager_l, l, _) = seeded(&app, &admin, "990940003030", "large@zhol.kz", large).await;

    let pages = |seeded: &Seeded| {
        vec![
            "/school".to_string(),
            format!("/school/groups/{}", seeded.groups[0]),
            format!("/school/calendar?instructor={}", seeded.instructors[0]),
        ]
    };
    for (small_page, large_page) in pages(&s).iter().zip(pages(&l).iter()) {
        let few = queries_for(&app, &manager_s, small_page).await;
        let many = queries_for(&app, &manager_l, large_page).await;
        assert_eq!(few, many, "{small_page}: {few} queries, {large_page}: {many}");
        // Counted with each request's BEGIN and COMMIT (every `db::run` is a transaction).
        assert!(few < 25, "{small_page} costs {few} queries");
    }
    // The large calendar really shows more: it is not an empty page that costs little.
    let week = manager_l.get(&format!("/school/calendar?instructor={}", l.instructors[0])).await;
    assert!(week.texts(".slot").len() >= 4, "{}", week.body);
}

#[actix_web::test]
async fn an_instructor_sees_their_own_week_and_staff_choose_an_instructor() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let v = Volume { groups: 1, students: 4, instructors: 2, lessons: 16 };
    let (manager, seeded, _) = seeded(&app, &admin, "940140000385", "m@zhol.kz", v).await;
    let other = seeded_other(&app, &admin).await;

    // The manager's choice of instructor: the two seeded instructors are listed.
    let week = manager.get("/school/calendar?lang=ru").await;
    assert_eq!(week.status, 200);
    assert_eq!(week.attrs("#instructor option", "value").len(), 2);
    assert_eq!(week.texts(".day h2").len(), 7);
    assert!(week.texts(".day h2")[0].starts_with("Понедельник"));
    let mine = manager.get(&format!("/school/calendar?instructor={}", seeded.instructors[1])).await;
    assert_eq!(
        mine.attrs("#instructor option[selected]", "value"),
        vec![seeded.instructors[1].to_string()]
    );
    // Another school's instructor is not shown by guessing the id: the manager gets their own
    // first instructor instead.
    let guessed =
        manager.get(&format!("/school/calendar?instructor={}", other.instructors[0])).await;
    assert_eq!(
        guessed.attrs("#instructor option[selected]", "value"),
        vec![seeded.instructors[0].to_string()]
    );

    // Weeks step by seven days.
    let from = manager.get("/school/calendar?week=2026-11-25").await;
    assert_eq!(
        from.attrs("a[rel=next]", "href")[0].split('&').next().unwrap(),
        "/school/calendar?week=2026-11-30"
    );
    assert_eq!(
        from.attrs("a[rel=prev]", "href")[0].split('&').next().unwrap(),
        "/school/calendar?week=2026-11-16"
    );

    // Students and people outside schools have no calendar.
    let student = signed_in(&app, "student", "s@mail.kz").await;
    assert_eq!(student.get("/school/calendar").await.status, 403);
}

async fn seeded_other(app: &TestApp, admin: &Visitor<'_>) -> Seeded {
    let v = Volume { groups: 1, students: 2, instructors: 1, lessons: 4 };
    seeded(app, admin, "990940003030", "other@zhol.kz", v).await.1
}

#[actix_web::test]
async fn an_instructor_sees_the_lessons_they_published_this_week() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let v = Volume { groups: 1, students: 4, instructors: 0, lessons: 0 };
    let (_manager, _, id) = seeded(&app, &admin, "940140000385", "m@zhol.kz", v).await;
    let instructor = signed_in(&app, "instructor", "ivan@zhol.kz").await;
    admin
        .submit(
            &format!("/schools/{id}"),
            &format!("/admin/schools/{id}/staff"),
            &[("email", "ivan@zhol.kz"), ("position", "instructor")],
        )
        .await;
    let day = dates::now().with_timezone(&chrono_tz::Asia::Almaty) + chrono::Duration::days(1);
    let published = instructor
        .submit(
            "/school/lessons",
            "/school/lessons",
            &[
                ("date", &day.format("%Y-%m-%d").to_string()),
                ("time", "10:00"),
                ("minutes", "60"),
                ("vehicle", "777AAA01"),
                ("meeting_place", ""),
            ],
        )
        .await;
    assert_eq!(published.status, 303, "{}", published.body);
    let week = instructor.get(&format!("/school/calendar?week={}", day.format("%Y-%m-%d"))).await;
    // No choice of instructor for an instructor: it is their own week.
    assert!(week.attrs("#instructor", "id").is_empty());
    let slots = week.texts(".day .slot");
    assert!(slots.iter().any(|s| s.contains("10:00–11:00") && s.contains("777AAA01")), "{slots:?}");
}
