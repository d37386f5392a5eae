//! Geolocation on lessons: only with consent, stored rounded, shown only to the lesson's people
//! and its school's staff, deleted on withdrawal and after the retention period.

use std::collections::Bound;

use avtomektep::db::schema::{audit_events, consents, lesson_positions, lessons};
use avtomektep::schools::lessons::position;
use chrono::Duration;
use chrono_tz::Asia::Almaty;
use diesel::prelude::*;
use fantoccini::Locator;
use uuid::Uuid;

use crate::accounts::PASSWORD;
use crate::schools::{apply, group, manager_of, school, signed_in, student};
use crate::support::dates;
use crate::support::{Page, TestApp, Visitor};

struct Setup<'a> {
    school: Uuid,
    instructor: Visitor<'a>,
    /// An instructor of another school.
    stranger: Visitor<'a>,
    /// Two accepted students of the school.
    students: Vec<Visitor<'a>>,
}

async fn setup(app: &TestApp) -> Setup<'_> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let school_id = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &school_id, "manager@zhol.kz").await;
    let other = school(&admin, "990940003030", "Рөл").await;
    manager_of(app, &admin, &other, "manager@rol.kz").await;
    let mut instructors = Vec::new();
    for (school, email) in [(&school_id, "ivan@zhol.kz"), (&other, "erlan@rol.kz")] {
        instructors.push(signed_in(app, "instructor", email).await);
        let staff = format!("/admin/schools/{school}/staff");
        let fields = [("email", email), ("position", "instructor")];
        admin.submit(&format!("/schools/{school}"), &staff, &fields).await;
    }
    let (stranger, instructor) = (instructors.pop().unwrap(), instructors.pop().unwrap());
    let g = group(&manager, "B", "10").await;
    let mut students = Vec::new();
    for n in 1..=2 {
        let s = student(app, n, true).await;
        apply(&s, &school_id, &g).await;
        students.push(s);
    }
    let roster = manager.get(&format!("/school/groups/{g}")).await;
    for action in roster.attrs("form[action$='/accept']", "action") {
        manager.submit(&format!("/school/groups/{g}"), &action, &[("group", &g)]).await;
    }
    Setup { school: school_id.parse().unwrap(), instructor, stranger, students }
}

async fn consent(visitor: &Visitor<'_>, page: &str) -> Page {
    visitor.submit(page, "/lessons/geolocation/consent", &[]).await
}

async fn publish(instructor: &Visitor<'_>, lat: &str, lon: &str) -> Page {
    let date = (dates::now().with_timezone(&Almaty) + Duration::days(2)).format("%Y-%m-%d");
    instructor
        .submit(
            "/school/lessons",
            "/school/lessons",
            &[
                ("date", &date.to_string()),
                ("time", "10:00"),
                ("minutes", "90"),
                ("vehicle", "123ABC01"),
                ("meeting_place", "ЦОН"),
                ("lat", lat),
                ("lon", lon),
            ],
        )
        .await
}

/// A lesson of the instructor booked by the student, starting in `minutes`.
fn booked(app: &TestApp, s: &Setup, student: &str, minutes: i64) -> Uuid {
    let start = dates::now() + Duration::minutes(minutes);
    diesel::insert_into(lessons::table)
        .values((
            lessons::school_id.eq(s.school),
            lessons::instructor_id.eq(id(app, "ivan@zhol.kz")),
            lessons::student_id.eq(Some(id(app, student))),
            lessons::vehicle.eq(format!("CAR{minutes}")),
            lessons::during
                .eq((Bound::Included(start), Bound::Excluded(start + Duration::minutes(90)))),
            lessons::status.eq("booked"),
        ))
        .returning(lessons::id)
        .get_result(&mut app.db.conn())
        .unwrap()
}

fn id(app: &TestApp, email: &str) -> Uuid {
    app.user_id(email).parse().unwrap()
}

fn positions(app: &TestApp) -> Vec<(String, f64, f64)> {
    lesson_positions::table
        .order(lesson_positions::at)
        .select((lesson_positions::kind, lesson_positions::lat, lesson_positions::lon))
        .load(&mut app.db.conn())
        .unwrap()
}

/// The details of the audit events with this action, oldest first; every action with `""`.
fn audit(app: &TestApp, action: &str) -> Vec<serde_json::Value> {
    let all: Vec<(String, serde_json::Value)> = audit_events::table
        .order(audit_events::occurred_at)
        .select((audit_events::action, audit_events::details))
        .load(&mut app.db.conn())
        .unwrap();
    all.into_iter().filter(|(a, _)| action.is_empty() || a == action).map(|(_, d)| d).collect()
}

fn lessons_stored(app: &TestApp) -> i64 {
    lessons::table.count().get_result(&mut app.db.conn()).unwrap()
}

async fn body(visitor: &Visitor<'_>, path: &str) -> String {
    visitor.get(path).await.body
}

async fn flash(visitor: &Visitor<'_>, answer: &Page) -> Vec<String> {
    assert_eq!(answer.status, 303, "{}", answer.body);
    visitor.get(&answer.location()).await.texts(".flash")
}

#[actix_web::test]
async fn coordinates_need_consent_and_are_stored_rounded() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let page = s.instructor.get("/school/lessons").await;
    assert!(!page.body.contains("position.js"), "no script without consent");
    assert!(page.attrs("input[name=lat]", "name").is_empty());
    assert_eq!(page.attrs(".geo-consent form", "action"), ["/lessons/geolocation/consent"]);

    let refused = publish(&s.instructor, "43.23849", "76.94551").await;
    assert_eq!(refused.status, 403, "coordinates without consent");
    assert_eq!(lessons_stored(&app), 0, "nothing stored, not even the slot");
    assert!(positions(&app).is_empty());

    assert_eq!(consent(&s.instructor, "/school/lessons").await.status, 303);
    let (kind, version, evidence): (String, i32, serde_json::Value) = consents::table
        .filter(consents::user_id.eq(id(&app, "ivan@zhol.kz")))
        .filter(consents::withdrawn_at.is_null())
        .select((consents::kind, consents::policy_version, consents::evidence))
        .first(&mut app.db.conn())
        .unwrap();
    assert_eq!((kind.as_str(), version), ("geolocation", 1));
    assert_eq!(evidence["ip"], "127.0.0.1");
    assert!(evidence["user_agent"].as_str().unwrap().contains("Android"));

    let page = s.instructor.get("/school/lessons").await;
    assert_eq!(page.attrs("[data-geo=attach]", "hidden").len(), 1);
    assert_eq!(page.attrs("input[name=lat]", "type"), ["hidden"]);
    for bad in [("91", "76.9"), ("43.2", "-180.5"), ("NaN", "1"), ("inf", "1")] {
        let answer = publish(&s.instructor, bad.0, bad.1).await;
        assert_eq!(answer.status, 422, "{bad:?}");
        assert!(answer.texts(".error-summary p")[0].contains("90"));
        assert_eq!(answer.attrs("input[name=lat]", "value"), [""], "cleared");
    }
    assert_eq!(lessons_stored(&app), 0, "nothing stored when out of range");

    assert_eq!(publish(&s.instructor, "43.23849", "76.94551").await.status, 303);
    assert_eq!(positions(&app), [("meeting".to_string(), 43.238, 76.946)]);
    let shown = s.instructor.get("/school/lessons").await;
    assert_eq!(shown.texts(".lessons .geo-position"), ["Кездесу нүктесі: 43.238, 76.946"]);
    assert_eq!(audit(&app, "consent.given").len(), 1);
    let all = audit(&app, "");
    assert!(
        all.iter().all(|d| !d.to_string().contains("43.2")),
        "the audit trail never holds positions: {all:?}"
    );
}

#[actix_web::test]
async fn positions_are_shown_only_to_the_lessons_people_and_the_schools_staff() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    consent(&s.instructor, "/school/lessons").await;
    publish(&s.instructor, "43.23849", "76.94551").await;
    let [aliya, bota] = [&s.students[0], &s.students[1]];
    let open = bota.get("/me/lessons").await;
    assert!(!open.body.contains("43.238"), "the slot is listed, not where it starts");
    let book = open.attrs(".open form", "action").remove(0);
    aliya.submit("/me/lessons", &book, &[]).await;
    assert!(
        aliya
            .get("/me/lessons")
            .await
            .texts(".mine .geo-position")
            .contains(&"Точка встречи: 43.238, 76.946".to_string())
    );
    assert!(!body(bota, "/me/lessons").await.contains("43.238"));
    assert!(!body(&s.stranger, "/school/lessons").await.contains("43.238"));

    // Staff who have no page with other people's lessons yet: the rule itself.
    let lesson: Uuid = lessons::table.select(lessons::id).first(&mut app.db.conn()).unwrap();
    let mut conn = app.db.conn();
    let mut sees =
        |email: &str| position::visible(&mut conn, id(&app, email), &[lesson]).unwrap().len();
    assert_eq!(sees("manager@zhol.kz"), 1, "staff of the lesson's school");
    assert_eq!(sees("manager@rol.kz"), 0, "staff of another school");
    assert_eq!(sees("student2@mail.kz"), 0, "another student");
    assert_eq!(sees("student1@mail.kz"), 1, "the booked student");
}

#[actix_web::test]
async fn the_lessons_people_check_in_around_its_time_only() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let soon = booked(&app, &s, "student1@mail.kz", 10);
    let later = booked(&app, &s, "student1@mail.kz", 180);
    let aliya = &s.students[0];
    let here = [("lat", "43.2401"), ("lon", "76.9499")];
    let action = format!("/lessons/{soon}/checkin");
    assert!(!body(aliya, "/me/lessons").await.contains("data-geo"));
    let refused = aliya.submit("/me/lessons", &action, &here).await;
    assert_eq!(refused.status, 403, "no consent");
    assert!(positions(&app).is_empty());

    consent(aliya, "/me/lessons").await;
    let page = aliya.get("/me/lessons").await;
    let forms = page.attrs(".mine form[data-geo=checkin]", "action");
    assert_eq!(forms, [action.as_str()]);
    let told = flash(aliya, &aliya.submit("/me/lessons", &action, &here).await).await;
    assert_eq!(told, ["Вы отметились на занятии."]);
    assert_eq!(positions(&app), [("checkin".to_string(), 43.24, 76.95)]);

    let early = format!("/lessons/{later}/checkin");
    let told = flash(aliya, &aliya.submit("/me/lessons", &early, &here).await).await;
    assert!(told[0].contains("30 минут"), "{told:?}");
    let bad = [("lat", "43.2"), ("lon", "200")];
    let told = flash(aliya, &aliya.submit("/me/lessons", &action, &bad).await).await;
    assert!(told[0].contains("180"), "{told:?}");
    let none = [("lat", ""), ("lon", "")];
    flash(aliya, &aliya.submit("/me/lessons", &action, &none).await).await;
    consent(&s.students[1], "/me/lessons").await;
    let other = s.students[1].submit("/me/lessons", &action, &here).await;
    assert_eq!(other.status, 404, "not this student's lesson");
    assert_eq!(positions(&app).len(), 1);

    let instructor = s.instructor.get("/school/lessons").await;
    let seen = instructor.texts(".lessons .geo-position");
    assert_eq!(seen.len(), 1);
    assert!(seen[0].starts_with("Оқушы белгіленді") && seen[0].ends_with("43.240, 76.950"));
    assert_eq!(audit(&app, "lesson.checked_in").len(), 1);
}

#[actix_web::test]
async fn withdrawing_the_consent_deletes_the_users_positions() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let aliya = &s.students[0];
    consent(&s.instructor, "/school/lessons").await;
    publish(&s.instructor, "51.128", "71.430").await;
    let soon = booked(&app, &s, "student1@mail.kz", -5);
    consent(aliya, "/me/lessons").await;
    let action = format!("/lessons/{soon}/checkin");
    aliya.submit("/me/lessons", &action, &[("lat", "51.1"), ("lon", "71.4")]).await;
    assert_eq!(positions(&app).len(), 2);

    let page = aliya.get("/me/lessons").await;
    assert!(page.texts(".geo-consent p")[0].contains("удаляются"));
    let answer = aliya.submit("/me/lessons", "/lessons/geolocation/withdraw", &[]).await;
    let told = flash(aliya, &answer).await;
    assert_eq!(told, ["Согласие отозвано. Удалено местоположений: 1."]);
    assert_eq!(positions(&app), [("meeting".to_string(), 51.128, 71.43)]);
    let page = body(aliya, "/me/lessons").await;
    assert!(!page.contains("position.js") && !page.contains("data-geo"));
    let refused = aliya.submit("/me/lessons", &action, &[("lat", "51.1"), ("lon", "71.4")]).await;
    assert_eq!(refused.status, 403, "withdrawn consent");

    s.instructor.submit("/school/lessons", "/lessons/geolocation/withdraw", &[]).await;
    assert!(positions(&app).is_empty());
    let withdrawn: i64 = consents::table
        .filter(consents::kind.eq("geolocation"))
        .filter(consents::withdrawn_at.is_not_null())
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(withdrawn, 2);
    let deleted: Vec<_> = audit(&app, "consent.withdrawn")
        .into_iter()
        .map(|d| d["positions_deleted"].clone())
        .collect();
    assert_eq!(deleted, [1, 1]);
}

#[actix_web::test]
async fn positions_older_than_the_retention_period_are_purged() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    consent(&s.instructor, "/school/lessons").await;
    publish(&s.instructor, "43.238", "76.946").await;
    let soon = booked(&app, &s, "student1@mail.kz", 0);
    s.instructor
        .submit(
            "/school/lessons",
            &format!("/lessons/{soon}/checkin"),
            &[("lat", "43.1"), ("lon", "76.8")],
        )
        .await;
    assert_eq!(positions(&app).len(), 2);
    let mut conn = app.db.conn();
    diesel::sql_query(
        "UPDATE lesson_positions SET at = now() - interval '91 days' WHERE kind = 'meeting'",
    )
    .execute(&mut conn)
    .unwrap();
    for sql in
        ["UPDATE lesson_positions SET lat = 43.23849", "UPDATE lesson_positions SET lon = 180.5"]
    {
        let refused = diesel::sql_query(sql).execute(&mut conn).unwrap_err();
        assert!(refused.to_string().contains("check constraint"), "{refused}");
    }
    assert_eq!(position::purge(&mut conn, 90, app.now()).unwrap(), 1);
    assert_eq!(position::purge(&mut conn, 90, app.now()).unwrap(), 0);
    assert_eq!(positions(&app), [("checkin".to_string(), 43.1, 76.8)]);
    assert_eq!(
        audit(&app, "lesson.positions_purged"),
        [serde_json::json!({ "count": 1 })],
        "once, count only"
    );
    let days = |v: Option<&str>| {
        let config = avtomektep::config::Config::from_lookup(|k| {
            v.filter(|_| k == "AVTOMEKTEP_GEO_RETENTION_DAYS").map(str::to_string)
        });
        config.unwrap().geo_retention_days
    };
    assert_eq!((days(None), days(Some("30"))), (90, 30));
}

#[actix_web::test]
async fn the_script_comes_from_this_origin_and_only_with_consent() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let aliya = &s.students[0];
    assert!(!body(aliya, "/me/lessons").await.contains("position.js"));
    consent(aliya, "/me/lessons").await;
    let page = aliya.get("/me/lessons").await;
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    let sources = page.attrs("script", "src");
    assert_eq!(sources.len(), page.texts("script").len(), "no inline script");
    assert!(page.texts("script").iter().all(String::is_empty));
    let ours = page.attrs("script[src*='position.js'][defer]", "src");
    assert_eq!(ours.len(), 1, "{sources:?}");
    let src = &ours[0];
    assert!(src.starts_with("/static/position.js?v="), "{src}");

    let script = app.get(src).await;
    assert_eq!(script.status, 200);
    assert!(script.header("content-type").unwrap().starts_with("text/javascript"));
    assert!(script.body.contains("getCurrentPosition"));
    assert!(!script.body.contains("http"), "nothing from other hosts");
    assert!(
        !script.body.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)),
        "its texts come from the page"
    );
}

/// Polls until `done` holds (a page is loading or a form is being sent).
async fn eventually(mut done: impl AsyncFnMut() -> bool) -> bool {
    for _ in 0..200 {
        if done().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// Fills the page's main form as a script would and sends it.
async fn send(b: &crate::browser::Browser, fields: &[(&str, &str)]) -> Result<(), String> {
    let fail = |e: fantoccini::error::CmdError| e.to_string();
    let form = b.client.form(Locator::Css("form.form")).await;
    let form = form.map_err(fail)?;
    for (name, value) in fields {
        form.set_by_name(name, value).await.map_err(fail)?;
    }
    form.submit().await.map_err(fail)
}

async fn in_chromium(app: &TestApp, b: &crate::browser::Browser) -> Result<(), String> {
    let s = setup(app).await;
    consent(&s.instructor, "/school/lessons").await;
    b.goto(&app.url("/login")).await?;
    send(b, &[("login", "ivan@zhol.kz"), ("password", PASSWORD)]).await?;
    eventually(async || b.url().await.is_ok_and(|u| u.path() != "/login")).await;
    b.goto(&app.url("/school/lessons")).await?;
    // Headless Chromium has no position of its own: a stand-in for the device's.
    let device = "navigator.geolocation.getCurrentPosition = (ok) => \
        ok({ coords: { latitude: 43.23849, longitude: 76.94551 } })";
    b.client.execute(device, vec![]).await.map_err(|e| e.to_string())?;
    b.click("[data-geo=attach] button").await?;
    let status = b.text(".geo-status").await?;
    if !status.ends_with("43.238, 76.946") {
        return Err(format!("the status says {status:?}"));
    }
    let date = (dates::now().with_timezone(&Almaty) + Duration::days(2)).format("%Y-%m-%d");
    let slot = [("date", date.to_string()), ("time", "10:00".into()), ("vehicle", "1A".into())];
    let slot: Vec<(&str, &str)> = slot.iter().map(|(k, v)| (*k, v.as_str())).collect();
    send(b, &slot).await?;
    if !eventually(async || !positions(app).is_empty()).await {
        return Err("no position was stored".into());
    }
    assert_eq!(positions(app), [("meeting".to_string(), 43.238, 76.946)]);
    b.check_stayed_local(app).await
}

#[actix_web::test]
async fn in_chromium_the_script_attaches_the_position_within_the_csp() {
    let Some(browser) = crate::browser::Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let outcome = in_chromium(&app, &browser).await;
    crate::browser::run("geolocation", browser, outcome).await;
}
