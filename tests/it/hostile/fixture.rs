//! The hostile suite's fixture: the demo data, and then everything that puts a form on a page —
//! emailed links (verification, guardian, reset, invitation), a photo waiting for review, a
//! pending application, a review and a report on it, a restriction, lessons to record, cancel
//! and check in to, a school application and a branch — each made through the portal's own
//! forms where one exists, so the crawl reaches every POST route.

use std::collections::Bound;

use avtomektep::accounts::operator::{DEMO_PASSWORD, create_account, seed_demo};
use avtomektep::db::schema::{enrolments, lessons, schools, training_groups};
use avtomektep::media::pipeline::fixtures::sample_jpeg;
use chrono::Duration;
use diesel::prelude::*;
use uuid::Uuid;

use crate::accounts::{Form, PASSWORD, link_in, register, sign_in};
use crate::support::smtp::SmtpSink;
use crate::support::{TestApp, Visitor, dates};

/// One signed-in (or anonymous) visitor the crawl runs as, and the pages it starts from
/// besides the route table's own.
pub struct Crawler<'a> {
    pub role: &'static str,
    pub lang: &'static str,
    pub visitor: Visitor<'a>,
    pub seeds: Vec<String>,
}

const DEMO_BIN: &str = "940140000385";

fn id_of(app: &TestApp, email: &str) -> Uuid {
    app.user_id(email).parse().unwrap()
}

fn group_of(app: &TestApp, category: &str, language: &str) -> Uuid {
    training_groups::table
        .inner_join(schools::table)
        .filter(schools::bin.eq(DEMO_BIN))
        .filter(training_groups::category.eq(category))
        .filter(training_groups::language.eq(language))
        .select(training_groups::id)
        .first(&mut app.db.conn())
        .unwrap()
}

/// The path of the first link in any mail so far that starts with `path`.
fn mailed(app: &TestApp, sink: &SmtpSink, path: &str, to: &str) -> String {
    let prefix = format!("{}{path}", app.address);
    for _ in 0..50 {
        let mails = sink.wait_for(0);
        if let Some(mail) = mails.iter().find(|m| m.to == [to] && m.text().contains(&prefix)) {
            return link_in(&mail.text(), &prefix).trim_start_matches(&app.address).to_string();
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("no mail to {to} with {path}");
}

/// A booked lesson of the demo instructor with `student`, from `start` for 90 minutes.
fn lesson(app: &TestApp, student: Uuid, start: chrono::DateTime<chrono::Utc>, vehicle: &str) {
    let school: Uuid = schools::table
        .filter(schools::bin.eq(DEMO_BIN))
        .select(schools::id)
        .first(&mut app.db.conn())
        .unwrap();
    diesel::insert_into(lessons::table)
        .values((
            lessons::school_id.eq(school),
            lessons::instructor_id.eq(id_of(app, "instructor@demo.avtomektep.kz")),
            lessons::student_id.eq(Some(student)),
            lessons::vehicle.eq(vehicle),
            lessons::during
                .eq((Bound::Included(start), Bound::Excluded(start + Duration::minutes(90)))),
            lessons::status.eq("booked"),
        ))
        .execute(&mut app.db.conn())
        .unwrap();
}

async fn ok(page: crate::support::Page, what: &str) {
    assert_eq!(page.status, 303, "{what}: {}", page.body);
}

pub async fn crawlers<'a>(app: &'a TestApp, sink: &SmtpSink) -> Vec<Crawler<'a>> {
    {
        let mut conn = app.db.conn();
        seed_demo(&mut conn, app.keys()).unwrap();
        avtomektep::schools::demo::seed(&mut conn, app.keys(), app.now()).unwrap();
    }
    let mut out =
        vec![Crawler { role: "anonymous", lang: "kk", visitor: Visitor::new(app), seeds: vec![] }];
    for (role, lang) in [
        ("student", "ru"),
        ("instructor", "kk"),
        ("school-staff", "ru"),
        ("moderator", "kk"),
        ("admin", "ru"),
    ] {
        let visitor = Visitor::new(app);
        let email = format!("{role}@demo.avtomektep.kz");
        ok(sign_in(&visitor, &email, DEMO_PASSWORD).await, role).await;
        out.push(Crawler { role, lang, visitor, seeds: vec![] });
    }
    let by = |out: &[Crawler], role: &str| out.iter().position(|c| c.role == role).unwrap();
    let (student, staff, moderator) =
        (by(&out, "student"), by(&out, "school-staff"), by(&out, "moderator"));
    let demo_student = id_of(app, "student@demo.avtomektep.kz");

    // A ticket, a second device (for /me/sessions), a photo to review, geolocation consent.
    let s = &out[student].visitor;
    let fields =
        [("to", "operator"), ("category", "other"), ("subject", "Сұрақ"), ("body", "Мәтін")];
    ok(s.submit("/tickets/new", "/tickets/new", &fields).await, "a ticket").await;
    sign_in(&Visitor::new(app), "student@demo.avtomektep.kz", DEMO_PASSWORD).await;
    s.submit("/me/photos", "/me/photos/consent", &[]).await;
    let action = s.get("/me/photos").await.attrs("form.photo-form", "action").pop().unwrap();
    let (content_type, body) = crate::photos::multipart("face", &sample_jpeg(640, 480, None));
    ok(s.post_body(&action, &content_type, &[], body).await, "a photo").await;
    ok(s.submit("/me/lessons", "/lessons/geolocation/consent", &[]).await, "geolocation").await;
    // A lesson that is over (to record), one about to start (to check in), one to cancel.
    let now = dates::now();
    lesson(app, demo_student, now - Duration::hours(3), "PAST01");
    lesson(app, demo_student, now + Duration::minutes(10), "SOON01");
    lesson(app, demo_student, now + Duration::days(5), "LATER01");

    // A second student (the demo student has phone 1): accepted in category A (and reviews it), pending in B.
    let second = crate::schools::student(app, 2, true).await;
    let school = schools::table
        .filter(schools::bin.eq(DEMO_BIN))
        .select(schools::id)
        .first::<Uuid>(&mut app.db.conn())
        .unwrap()
        .to_string();
    let (group_a, group_b) = (group_of(app, "A", "ru"), group_of(app, "B", "ru"));
    ok(crate::schools::apply(&second, &school, &group_a.to_string()).await, "apply A").await;
    let enrolment: Uuid = enrolments::table
        .filter(enrolments::student_id.eq(id_of(app, "student2@mail.kz")))
        .select(enrolments::id)
        .first(&mut app.db.conn())
        .unwrap();
    let m = &out[staff].visitor;
    let accept = format!("/school/enrolments/{enrolment}/accept");
    let group_page = format!("/school/groups/{group_a}");
    ok(m.submit(&group_page, &accept, &[("group", &group_a.to_string())]).await, "accept").await;
    ok(crate::schools::apply(&second, &school, &group_b.to_string()).await, "apply B").await;
    let review = crate::reviews::write(&second, &enrolment.to_string(), "4", "Жақсы").await;
    let review = crate::reviews::review_id(&review);
    let report = [("review_id", review.as_str()), ("reason", "false_information"), ("note", "")];
    let report_page = format!("/reports/new?review={review}");
    ok(out[student].visitor.submit(&report_page, "/reports", &report).await, "a report").await;
    // The second student files a school application.
    let application = [
        ("bin", "171140900016"),
        ("name_kk", "Дала автомектебі"),
        ("name_ru", "Автошкола Дала"),
        ("city", "Қарағанды"),
        ("address", "Бұқар жырау 10"),
        ("licence_number", "KZ-777"),
        ("phone", "+7 721 200 00 00"),
        ("email", "info@dala.kz"),
    ];
    ok(second.submit("/schools/apply", "/schools/apply", &application).await, "application").await;

    // A branch and an invitation from the manager; a restriction from the moderator.
    let branch = [("city", "Алматы"), ("address", "Абай 5")];
    ok(m.submit("/school/branches", "/school/branches", &branch).await, "a branch").await;
    let invite = [("email", "ivan@mail.kz"), ("position", "instructor")];
    ok(m.submit("/school", "/school/invitations", &invite).await, "an invitation").await;
    create_account(
        &mut app.db.conn(),
        app.keys(),
        "student",
        "rude@mail.kz",
        "Тестов Тест",
        PASSWORD,
    )
    .unwrap();
    let until = dates::ymd(dates::today() + Duration::days(10));
    let restrict = format!("/moderation/users/{}/restrict", id_of(app, "rude@mail.kz"));
    let fields = [("until", until.as_str()), ("reason", "Флуд")];
    ok(out[moderator].visitor.submit("/moderation", &restrict, &fields).await, "restrict").await;

    // A minor (signed in, not yet verified) whose guardian is asked; a forgotten password.
    let minor = Visitor::new(app);
    ok(register(&minor, &Form::minor_with_guardian(), "kk").await, "a minor").await;
    let forgot = [("email", "rude@mail.kz")];
    let asked = Visitor::new(app).submit("/password/forgot", "/password/forgot", &forgot).await;
    assert_eq!(asked.status, 200, "a reset is asked for");
    out[0].seeds = vec![
        mailed(app, sink, "/verify-email?token=", "arman@mail.kz"),
        mailed(app, sink, "/guardian/confirm?token=", "father@mail.kz"),
        mailed(app, sink, "/password/reset?token=", "rude@mail.kz"),
        mailed(app, sink, "/invitations/accept?token=", "ivan@mail.kz"),
    ];
    let admin = by(&out, "admin");
    out[admin].seeds = vec![format!("/admin/users/{}", id_of(app, "arman@mail.kz"))];
    out.push(Crawler { role: "minor", lang: "kk", visitor: minor, seeds: vec![] });
    out.push(Crawler { role: "second-student", lang: "ru", visitor: second, seeds: vec![] });
    for c in &out {
        c.visitor.get(&format!("/?lang={}", c.lang)).await;
    }
    out
}
