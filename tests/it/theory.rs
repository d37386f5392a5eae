//! Theory classes: the manager names the group's theory teacher, the teacher records classes
//! with who was present, and attended time shows as the student's theory hours.

use avtomektep::db::schema::{theory_attendance, theory_sessions, training_groups};
use diesel::prelude::*;
use uuid::Uuid;

use crate::schools::{apply, group, manager_of, school, signed_in, student};
use crate::support::{TestApp, Visitor, dates};

struct Setup<'a> {
    admin: Visitor<'a>,
    manager: Visitor<'a>,
    teacher: Visitor<'a>,
    teacher_id: String,
    group: String,
    /// Enrolment ids of the three accepted students, in roster order.
    enrolments: Vec<String>,
    students: Vec<Visitor<'a>>,
}

/// A school with a theory teacher and a group that started a month ago, three students accepted.
async fn setup(app: &TestApp) -> Setup<'_> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let school = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &school, "manager@zhol.kz").await;
    let teacher = signed_in(app, "school_staff", "teacher@zhol.kz").await;
    let added = admin
        .submit(
            &format!("/schools/{school}"),
            &format!("/admin/schools/{school}/staff"),
            &[("email", "teacher@zhol.kz"), ("position", "theory_teacher")],
        )
        .await;
    assert_eq!(added.status, 303);
    let g = group(&manager, "B", "10").await;
    let mut students = Vec::new();
    for n in 0..3 {
        let s = student(app, n, true).await;
        apply(&s, &school, &g).await;
        students.push(s);
    }
    let path = format!("/school/groups/{g}");
    for action in manager.get(&path).await.attrs("form[action$='/accept']", "action") {
        manager.submit(&path, &action, &[("group", &g)]).await;
    }
    let started = dates::today() - chrono::Duration::days(30);
    diesel::update(training_groups::table.find(Uuid::parse_str(&g).unwrap()))
        .set(training_groups::starts_on.eq(started))
        .execute(&mut app.db.conn())
        .unwrap();
    let enrolments = manager.get(&path).await.attrs("input[name=present]", "value");
    assert_eq!(enrolments.len(), 3);
    Setup {
        teacher_id: app.user_id("teacher@zhol.kz"),
        admin,
        manager,
        teacher,
        group: g,
        enrolments,
        students,
    }
}

fn sessions(app: &TestApp) -> i64 {
    theory_sessions::table.count().get_result(&mut app.db.conn()).unwrap()
}

#[actix_web::test]
async fn the_assigned_teacher_records_a_class_and_students_see_their_theory_hours() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let path = format!("/school/groups/{}", s.group);
    let record = format!("{path}/theory");
    let yesterday = (dates::today() - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let class = |present: Vec<&'static str>| {
        let mut fields = vec![
            ("held_on", yesterday.clone()),
            ("minutes", "90".to_string()),
            ("topic", "Жол белгілері".to_string()),
        ];
        fields.extend(present.into_iter().map(|p| ("present", p.to_string())));
        fields
    };

    // Before being assigned, the teacher sees the group but may not record its classes.
    let page = s.teacher.get(&path).await;
    assert_eq!(page.status, 200);
    assert!(page.attrs(&format!("form[action='{record}']"), "action").is_empty());
    let fields = class(vec![]);
    let refused = s.teacher.post(&record, &borrowed(&fields)).await;
    assert_eq!(refused.status, 403);

    let assigned =
        s.manager.submit(&path, &format!("{path}/teacher"), &[("teacher", &s.teacher_id)]).await;
    assert_eq!(assigned.status, 303);
    assert_eq!(s.manager.get(&path).await.texts("#theory-teacher"), vec!["Тестов Тест"]);

    // Two of three present, plus an id from nowhere that must not count.
    let mut fields = class(vec![]);
    fields.push(("present", s.enrolments[0].clone()));
    fields.push(("present", s.enrolments[2].clone()));
    fields.push(("present", Uuid::new_v4().to_string()));
    let done = s.teacher.submit(&path, &record, &borrowed(&fields)).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let attendance: i64 = theory_attendance::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(attendance, 2);

    let page = s.manager.get(&format!("{path}?lang=ru")).await;
    let listed = page.texts(".sessions li");
    assert_eq!(listed.len(), 1);
    assert!(listed[0].contains("Жол белгілері") && listed[0].contains("присутствовали: 2"));
    let theory: Vec<String> =
        page.texts(".roster li .meta").into_iter().filter(|t| t.contains("Теория")).collect();
    assert_eq!(theory.iter().filter(|t| t.ends_with("Теория: 1:30")).count(), 2);
    assert_eq!(theory.iter().filter(|t| t.ends_with("Теория: 0:00")).count(), 1);

    // A student who was present sees the time and the teacher; one who was not sees 0:00.
    let seen: Vec<String> = {
        let mut all = Vec::new();
        for st in &s.students {
            all.extend(st.get("/me/training?lang=ru").await.texts(".progress-theory"));
        }
        all
    };
    assert_eq!(seen.iter().filter(|t| t.starts_with("Теория: 1:30 /")).count(), 2);
    assert_eq!(seen.iter().filter(|t| t.starts_with("Теория: 0:00 /")).count(), 1);
    let training = s.students[0].get("/me/training?lang=ru").await;
    assert!(training.body.contains("Преподаватель теории: Тестов Тест"));
    drop(s.admin);
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[actix_web::test]
async fn a_class_with_bad_details_is_shown_again_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let path = format!("/school/groups/{}", s.group);
    let record = format!("{path}/theory");
    let tomorrow = (dates::today() + chrono::Duration::days(2)).format("%Y-%m-%d").to_string();
    // The group started 30 days ago (see `setup`).
    let before_start = dates::days(-31);
    let in_training = dates::days(-10);
    for (held_on, minutes, topic, message) in [
        (tomorrow.as_str(), "90", "Тема", "не позже сегодняшнего дня"),
        (before_start.as_str(), "90", "Тема", "не раньше начала обучения"),
        ("вчера", "90", "Тема", "Введите дату"),
        (in_training.as_str(), "5", "Тема", "от 15 до 480"),
        (in_training.as_str(), "90", "   ", "Введите тему"),
    ] {
        let page = s
            .manager
            .submit(
                &format!("{path}?lang=ru"),
                &record,
                &[
                    ("held_on", held_on),
                    ("minutes", minutes),
                    ("topic", topic),
                    ("present", &s.enrolments[1]),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{held_on} {minutes} {topic}");
        let error = page.texts(".theory .error-summary").join(" ");
        assert!(error.contains(message), "{error}");
        // What was typed and ticked is kept.
        assert_eq!(page.attrs("#held_on", "value"), vec![held_on]);
        assert_eq!(
            page.attrs("input[name=present][checked]", "value"),
            vec![s.enrolments[1].clone()]
        );
    }
    assert_eq!(sessions(&app), 0);
}

#[actix_web::test]
async fn only_the_schools_own_staff_reach_a_groups_theory() {
    let app = TestApp::spawn().await;
    let s = setup(&app).await;
    let path = format!("/school/groups/{}", s.group);
    // An instructor of the same school cannot be made theory teacher, nor record a class.
    let other = school(&s.admin, "990940003030", "Басқа").await;
    let stranger = manager_of(&app, &s.admin, &other, "boss@other.kz").await;
    let stranger_id = app.user_id("boss@other.kz");
    let refused =
        s.manager.submit(&path, &format!("{path}/teacher"), &[("teacher", &stranger_id)]).await;
    assert_eq!(refused.status, 303);
    let group_row: Option<Uuid> = training_groups::table
        .find(Uuid::parse_str(&s.group).unwrap())
        .select(training_groups::theory_teacher_id)
        .first(&mut app.db.conn())
        .unwrap();
    assert_eq!(group_row, None, "another school's manager is not a teacher here");

    // Another school's manager finds neither the group nor its forms.
    assert_eq!(stranger.get(&path).await.status, 404);
    let token = stranger.get("/school").await.csrf_token();
    let post = stranger
        .post(
            &format!("{path}/theory"),
            &[
                ("csrf_token", &token),
                ("held_on", &dates::days(-10)),
                ("minutes", "90"),
                ("topic", "Чужая группа"),
            ],
        )
        .await;
    assert_eq!(post.status, 404);
    let post = stranger
        .post(&format!("{path}/teacher"), &[("csrf_token", &token), ("teacher", &stranger_id)])
        .await;
    assert_eq!(post.status, 404);
    // Students have no business here at all.
    assert_eq!(s.students[0].get(&path).await.status, 403);
    assert_eq!(sessions(&app), 0);
}
