//! Reviews: only students who are or were enrolled review a school, once per enrolment, and edit
//! their review; the school page shows published reviews and their average; text that looks
//! like personal data is held and the author told why; an hourly limit; text stays text.

use avtomektep::db::schema::{enrolments, lessons, reviews};
use chrono::Duration;
use diesel::prelude::*;
use uuid::Uuid;

use crate::schools::{apply, group, manager_of, school, signed_in, student};
use crate::support::dates;
use crate::support::{Page, TestApp, Visitor};

/// A school with a manager, a group and students; `accepted` of them accepted.
pub struct Setup<'a> {
    pub admin: Visitor<'a>,
    pub school: String,
    pub manager: Visitor<'a>,
    pub group: String,
    /// Students 1..=n (emails `student{n}@mail.kz`), in order.
    pub students: Vec<Visitor<'a>>,
}

pub async fn setup(app: &TestApp, students: usize, accepted: usize) -> Setup<'_> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let school = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &school, "manager@zhol.kz").await;
    let group = group(&manager, "B", "10").await;
    let mut visitors = Vec::new();
    for n in 1..=students {
        let s = student(app, n, true).await;
        apply(&s, &school, &group).await;
        visitors.push(s);
    }
    for n in 1..=accepted {
        let enrolment = enrolment_of(app, n);
        let page = manager
            .submit(
                &format!("/school/groups/{group}"),
                &format!("/school/enrolments/{enrolment}/accept"),
                &[("group", &group)],
            )
            .await;
        assert_eq!(page.status, 303);
    }
    Setup { admin, school, manager, group, students: visitors }
}

pub fn user_uuid(app: &TestApp, email: &str) -> Uuid {
    app.user_id(email).parse().unwrap()
}

/// The enrolment of student `n`.
pub fn enrolment_of(app: &TestApp, n: usize) -> String {
    let student = user_uuid(app, &format!("student{n}@mail.kz"));
    enrolments::table
        .filter(enrolments::student_id.eq(student))
        .select(enrolments::id)
        .first::<Uuid>(&mut app.db.conn())
        .unwrap()
        .to_string()
}

/// Posts the review form for `enrolment` (the token taken from the profile page).
pub async fn write(visitor: &Visitor<'_>, enrolment: &str, stars: &str, body: &str) -> Page {
    visitor
        .submit(
            "/me",
            "/reviews/new",
            &[("enrolment", enrolment), ("school_stars", stars), ("body", body)],
        )
        .await
}

/// The id of the review in a redirect to `/schools/{id}#review-{id}`.
pub fn review_id(page: &Page) -> String {
    let location = page.location();
    location
        .split("#review-")
        .nth(1)
        .unwrap_or_else(|| panic!("no review in {location:?}: {}", page.body))
        .to_string()
}

fn status_of(app: &TestApp, id: &str) -> (String, Option<String>) {
    reviews::table
        .find(id.parse::<Uuid>().unwrap())
        .select((reviews::status, reviews::held_reason))
        .first(&mut app.db.conn())
        .unwrap()
}

#[actix_web::test]
async fn only_enrolled_students_review_once_per_enrolment_and_edit_their_own() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 2, 1).await;
    let (aliya, baur) = (&s.students[0], &s.students[1]);
    let (mine, pending) = (enrolment_of(&app, 1), enrolment_of(&app, 2));

    // An application not yet accepted does not make a student of the school.
    let refused = baur.get(&format!("/reviews/new?enrolment={pending}&lang=ru")).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("заявка должна быть принята"));
    assert_eq!(write(baur, &pending, "5", "Хорошо").await.status, 403);
    // Someone else's enrolment is not found; a visitor is sent to sign in.
    assert_eq!(baur.get(&format!("/reviews/new?enrolment={mine}")).await.status, 404);
    let anonymous = Visitor::new(&app);
    let page = anonymous.get(&format!("/reviews/new?enrolment={mine}")).await;
    assert!(page.location().starts_with("/login"), "{}", page.location());
    // Staff do not review through a student's enrolment either.
    assert_eq!(s.manager.get(&format!("/reviews/new?enrolment={mine}")).await.status, 404);

    // The form, with the rules next to it; a form with errors keeps what was typed.
    let form = aliya.get(&format!("/reviews/new?enrolment={mine}&lang=ru")).await;
    assert_eq!(form.status, 200);
    assert_eq!(form.texts("#rules-title"), ["Правила публикации"]);
    assert_eq!(form.texts(".rules li").len(), 7);
    let bad = aliya
        .submit(
            &format!("/reviews/new?enrolment={mine}"),
            "/reviews/new",
            &[("enrolment", &mine), ("school_stars", "7"), ("body", "  Отлично  ")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.texts(".error-summary li"), ["Оцените автошколу от 1 до 5."]);
    assert_eq!(bad.texts("#body"), ["Отлично"]);

    let done = write(aliya, &mine, "4", "Хорошие инструкторы, удобное расписание.").await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(done.location().starts_with(&format!("/schools/{}#review-", s.school)));
    let id = review_id(&done);
    assert_eq!(status_of(&app, &id).0, "published");

    // Once per enrolment: the form and a second post lead to the review to edit.
    let again = aliya.get(&format!("/reviews/new?enrolment={mine}")).await;
    assert_eq!(again.location(), format!("/reviews/{id}/edit"));
    let twice = write(aliya, &mine, "1", "Ещё один").await;
    assert_eq!(twice.location(), format!("/reviews/{id}/edit"));
    let count: i64 = reviews::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(count, 1);
    // The training page leads there too.
    let training = aliya.get("/me/training").await;
    let link = training.attrs("a.review-link", "href");
    assert_eq!(link, [format!("/reviews/new?school={}", s.school)]);
    assert_eq!(aliya.get(&link[0]).await.location(), format!("/reviews/{id}/edit"));

    // The author edits; nobody else may.
    let edit = aliya.get(&format!("/reviews/{id}/edit?lang=ru")).await;
    assert_eq!(edit.attrs("input[name=school_stars][checked]", "value"), ["4"]);
    let edited = aliya
        .submit(
            &format!("/reviews/{id}/edit"),
            &format!("/reviews/{id}/edit"),
            &[("school_stars", "5"), ("body", "Сдал с первого раза!")],
        )
        .await;
    assert_eq!(edited.status, 303);
    assert_eq!(baur.get(&format!("/reviews/{id}/edit")).await.status, 404);
    let other = baur
        .submit("/me", &format!("/reviews/{id}/edit"), &[("school_stars", "1"), ("body", "Взлом")])
        .await;
    assert_eq!(other.status, 404);
    let school_page = anonymous.get(&format!("/schools/{}?lang=ru", s.school)).await;
    assert_eq!(school_page.texts(".reviews-list .review-text"), ["Сдал с первого раза!"]);
    assert_eq!(school_page.texts(".reviews-list .review-author"), ["Әлия С."]);
    assert!(
        school_page.texts(".reviews-list .meta")[0].contains("изменён"),
        "{:?}",
        school_page.texts(".reviews-list .meta")
    );
    let _ = &s.admin;
}

#[actix_web::test]
async fn the_school_page_shows_published_reviews_their_average_and_the_instructor() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 3, 3).await;
    // An instructor of the school who gave student 1 a lesson that was held.
    signed_in(&app, "instructor", "ivan@zhol.kz").await;
    s.admin
        .submit(
            &format!("/schools/{}", s.school),
            &format!("/admin/schools/{}/staff", s.school),
            &[("email", "ivan@zhol.kz"), ("position", "instructor")],
        )
        .await;
    let ivan = user_uuid(&app, "ivan@zhol.kz");
    let during = (
        std::collections::Bound::Included(dates::now() - Duration::hours(3)),
        std::collections::Bound::Excluded(dates::now() - Duration::hours(2)),
    );
    diesel::insert_into(lessons::table)
        .values((
            lessons::school_id.eq(s.school.parse::<Uuid>().unwrap()),
            lessons::instructor_id.eq(ivan),
            lessons::student_id.eq(Some(user_uuid(&app, "student1@mail.kz"))),
            lessons::vehicle.eq("123ABC01"),
            lessons::during.eq(during),
            lessons::status.eq("held"),
        ))
        .execute(&mut app.db.conn())
        .unwrap();

    let empty = Visitor::new(&app).get(&format!("/schools/{}?lang=ru", s.school)).await;
    assert_eq!(empty.texts(".reviews-none"), ["Отзывов пока нет."]);

    // Student 1 may rate Ivan; student 2 had no lesson, so gets no instructor choice.
    let e1 = enrolment_of(&app, 1);
    let form = s.students[0].get(&format!("/reviews/new?enrolment={e1}&lang=ru")).await;
    assert_eq!(form.texts("#instructor option").len(), 2, "none + Ivan");
    let e2 = enrolment_of(&app, 2);
    let form2 = s.students[1].get(&format!("/reviews/new?enrolment={e2}")).await;
    assert!(form2.texts("#instructor").is_empty());
    let unstarred = s.students[0]
        .submit(
            &format!("/reviews/new?enrolment={e1}"),
            "/reviews/new",
            &[
                ("enrolment", &e1),
                ("school_stars", "5"),
                ("instructor", &ivan.to_string()),
                ("body", "Отлично"),
            ],
        )
        .await;
    assert_eq!(unstarred.status, 422);
    let stranger = s.students[1]
        .submit(
            &format!("/reviews/new?enrolment={e2}"),
            "/reviews/new",
            &[
                ("enrolment", &e2),
                ("school_stars", "5"),
                ("instructor", &ivan.to_string()),
                ("instructor_stars", "5"),
                ("body", "Отлично"),
            ],
        )
        .await;
    assert_eq!(stranger.status, 422, "only an instructor of a held lesson");
    let with_instructor = s.students[0]
        .submit(
            &format!("/reviews/new?enrolment={e1}"),
            "/reviews/new",
            &[
                ("enrolment", &e1),
                ("school_stars", "5"),
                ("instructor", &ivan.to_string()),
                ("instructor_stars", "4"),
                ("body", "Отлично"),
            ],
        )
        .await;
    assert_eq!(with_instructor.status, 303);
    assert_eq!(write(&s.students[1], &e2, "4", "Хорошо").await.status, 303);
    let e3 = enrolment_of(&app, 3);
    assert_eq!(write(&s.students[2], &e3, "3", "Нормально").await.status, 303);

    let page = Visitor::new(&app).get(&format!("/schools/{}?lang=ru", s.school)).await;
    assert_eq!(page.texts(".reviews-average .average"), ["4,0"]);
    assert_eq!(page.texts(".reviews-count"), ["3 отзыва"]);
    assert_eq!(page.texts(".reviews-list .review").len(), 3);
    assert_eq!(page.texts(".review-instructor"), ["Инструктор: Тестов Тест · ★★★★☆ 4 / 5"]);
    // Everyone but the author may report a review.
    assert_eq!(page.attrs(".review-report", "href").len(), 3);
    let kk = Visitor::new(&app).get(&format!("/schools/{}?lang=kk", s.school)).await;
    assert_eq!(kk.texts(".reviews-count"), ["3 пікір"]);
}

#[actix_web::test]
async fn text_that_looks_like_personal_data_is_held_and_the_author_is_told_why() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 2, 2).await;
    let (aliya, baur) = (&s.students[0], &s.students[1]);
    let (e1, e2) = (enrolment_of(&app, 1), enrolment_of(&app, 2));

    aliya.get("/me?lang=ru").await;
    let held =
        write(aliya, &e1, "1", "Инструктор грубил. Его ИИН 791028302728, разберитесь.").await;
    assert_eq!(held.status, 303);
    let id = review_id(&held);
    assert_eq!(status_of(&app, &id), ("held".into(), Some("iin".into())));
    let told = aliya.get(&format!("/schools/{}", s.school)).await;
    let flash = told.texts(".flash").join(" ");
    assert!(flash.contains("не опубликован") && flash.contains("ИИН"), "{flash}");
    assert_eq!(told.texts(".reviews-mine .badge"), ["на проверке у модератора"]);
    assert!(told.texts(".reviews-mine .review-note")[0].contains("ИИН"));
    // Nobody else sees it, and it does not count.
    let public = Visitor::new(&app).get(&format!("/schools/{}?lang=ru", s.school)).await;
    assert!(public.texts(".review").is_empty());
    assert_eq!(public.texts(".reviews-none"), ["Отзывов пока нет."]);

    let phone = write(baur, &e2, "5", "Звоните инструктору: 8 701 123-45-67").await;
    assert_eq!(status_of(&app, &review_id(&phone)).1.as_deref(), Some("phone"));

    // Editing the number away publishes it; ordinary numbers are fine.
    let edit = aliya.get(&format!("/reviews/{id}/edit")).await;
    assert!(edit.texts(".review-held")[0].contains("ИИН"));
    aliya
        .submit(
            &format!("/reviews/{id}/edit"),
            &format!("/reviews/{id}/edit"),
            &[
                ("school_stars", "3"),
                ("body", "Инструктор грубил, но за 56 часов научил. 2026 год, 5 звёзд не ставлю."),
            ],
        )
        .await;
    assert_eq!(status_of(&app, &id), ("published".into(), None));
    let public = Visitor::new(&app).get(&format!("/schools/{}", s.school)).await;
    assert_eq!(public.texts(".reviews-list .review").len(), 1);
}

#[actix_web::test]
async fn an_hourly_limit_stops_floods_of_reviews_and_edits() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 1, 1).await;
    let aliya = &s.students[0];
    let e1 = enrolment_of(&app, 1);
    let id = review_id(&write(aliya, &e1, "5", "Первый вариант").await);
    let path = format!("/reviews/{id}/edit");
    for n in 2..=5 {
        let page = aliya
            .submit(&path, &path, &[("school_stars", "5"), ("body", &format!("Вариант {n}"))])
            .await;
        assert_eq!(page.status, 303, "write {n}");
    }
    let sixth = aliya
        .submit(&format!("{path}?lang=ru"), &path, &[("school_stars", "5"), ("body", "Вариант 6")])
        .await;
    assert_eq!(sixth.status, 429);
    assert!(
        sixth.texts(".error-summary li")[0].contains("Слишком много"),
        "{:?}",
        sixth.texts(".error-summary")
    );
    assert_eq!(sixth.texts("#body"), ["Вариант 6"], "the text is kept");
    let body: String = reviews::table.select(reviews::body).first(&mut app.db.conn()).unwrap();
    assert_eq!(body, "Вариант 5");
}

#[actix_web::test]
async fn what_people_write_is_shown_as_text_with_its_line_breaks() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 1, 1).await;
    let e1 = enrolment_of(&app, 1);
    let text = "<script>alert(1)</script>\n<b>x</b>\n**markdown** [link](http://evil.example)";
    assert_eq!(write(&s.students[0], &e1, "5", text).await.status, 303);
    let page = Visitor::new(&app).get(&format!("/schools/{}", s.school)).await;
    assert!(!page.body.contains("<script>alert(1)"), "escaped");
    assert!(!page.body.contains("<b>x</b>"), "escaped");
    assert!(!page.body.contains("href=\"http://evil.example"), "not a link");
    let html = page.html();
    let shown = crate::support::texts(&html, ".review-text");
    assert_eq!(
        shown,
        ["<script>alert(1)</script> <b>x</b> **markdown** [link](http://evil.example)"]
    );
    for selector in [".review-text b", ".review-text a", ".review-text strong", "script"] {
        assert_eq!(crate::support::texts(&html, selector).len(), 0, "{selector} is not markup");
    }
    assert_eq!(crate::support::texts(&html, ".review-text br").len(), 2, "line breaks are kept");
}
