//! Schools, groups and enrolment: creation, public pages, staff scoping, capacity under
//! concurrency, one active group per category.

use avtomektep::accounts::{model as accounts, operator::create_account};
use avtomektep::db::schema::enrolments;
use diesel::prelude::*;

use crate::accounts::{Form, PASSWORD, register, sign_in};
use crate::support::dates;
use crate::support::{TestApp, Visitor};

pub async fn signed_in<'a>(app: &'a TestApp, role: &str, email: &str) -> Visitor<'a> {
    create_account(&mut app.db.conn(), app.keys(), role, email, "Тестов Тест", PASSWORD).unwrap();
    let visitor = Visitor::new(app);
    assert_eq!(sign_in(&visitor, email, PASSWORD).await.status, 303);
    visitor
}

/// Creates a school through the admin form; returns its id.
pub async fn school(admin: &Visitor<'_>, bin: &str, name: &str) -> String {
    let page = admin
        .submit(
            "/admin/schools/new",
            "/admin/schools",
            &[
                ("bin", bin),
                ("name_kk", &format!("{name} автомектебі")),
                ("name_ru", &format!("Автошкола {name}")),
                ("city", "Астана"),
                ("address", "Мәңгілік Ел 8"),
                ("licence_number", "KZ-123"),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location().trim_start_matches("/schools/").to_string()
}

pub async fn manager_of<'a>(
    app: &'a TestApp, admin: &Visitor<'_>, school: &str, email: &str,
) -> Visitor<'a> {
    let manager = signed_in(app, "school_staff", email).await;
    let added = admin
        .submit(
            &format!("/schools/{school}"),
            &format!("/admin/schools/{school}/staff"),
            &[("email", email), ("position", "manager")],
        )
        .await;
    assert_eq!(added.status, 303);
    manager
}

/// The usual start: an administrator, the school «Жол» they created, and its manager.
pub async fn zhol(app: &TestApp) -> (Visitor<'_>, String, Visitor<'_>) {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let school = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &school, "manager@zhol.kz").await;
    (admin, school, manager)
}

/// A new group starts this many days from today and ends that many.
pub const GROUP_STARTS_IN: i64 = 40;
pub const GROUP_ENDS_IN: i64 = 100;

/// Creates a group through the manager's form; returns its id.
pub async fn group(manager: &Visitor<'_>, category: &str, capacity: &str) -> String {
    let page = manager
        .submit(
            "/school/groups/new",
            "/school/groups",
            &[
                ("category", category),
                ("language", "kk"),
                ("starts_on", &dates::days(GROUP_STARTS_IN)),
                ("ends_on", &dates::days(GROUP_ENDS_IN)),
                ("capacity", capacity),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location().trim_start_matches("/school/groups/").to_string()
}

/// A registered student who consented to photo identification (needed to be accepted).
pub async fn student<'a>(app: &'a TestApp, n: usize, verified: bool) -> Visitor<'a> {
    student_with(app, n, verified, true).await
}

pub async fn student_with<'a>(
    app: &'a TestApp, n: usize, verified: bool, photo_consent: bool,
) -> Visitor<'a> {
    let iins = ["791028302728", "901123300258", "850115300205", "770707300301"];
    let visitor = Visitor::new(app);
    let email = format!("student{n}@mail.kz");
    let mut form = Form::adult(&email, iins[n], &format!("+7701000000{n}"));
    if photo_consent {
        form = form.set("consent_photo_id", "yes");
    }
    assert_eq!(register(&visitor, &form, "ru").await.status, 303);
    if verified {
        let id = app.user_id(&email).parse().unwrap();
        accounts::mark_email_verified(&mut app.db.conn(), id, app.now()).unwrap();
    }
    visitor
}

pub async fn apply(student: &Visitor<'_>, school: &str, group: &str) -> crate::support::Page {
    student.submit(&format!("/schools/{school}"), &format!("/groups/{group}/apply"), &[]).await
}

#[actix_web::test]
async fn an_admin_adds_a_school_with_a_valid_bin_and_it_appears_in_both_languages() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let bad = admin
        .submit(
            "/admin/schools/new?lang=ru",
            "/admin/schools",
            &[
                ("bin", "990940003031"),
                ("name_kk", "X"),
                ("name_ru", "X"),
                ("city", "X"),
                ("address", "X"),
                ("licence_number", "X"),
            ],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.texts(".error-summary p")[0].contains("контрольная цифра"),
        "{:?}",
        bad.texts(".error-summary p")
    );
    let id = school(&admin, "940140000385", "Жол").await;
    let again = admin
        .submit(
            "/admin/schools/new",
            "/admin/schools",
            &[
                ("bin", "940140000385"),
                ("name_kk", "Y"),
                ("name_ru", "Y"),
                ("city", "Y"),
                ("address", "Y"),
                ("licence_number", "Y"),
            ],
        )
        .await;
    assert_eq!(again.status, 422, "one school per BIN");
    let visitor = Visitor::new(&app);
    assert_eq!(visitor.get("/schools?lang=ru").await.texts(".user-list strong"), ["Автошкола Жол"]);
    assert_eq!(
        visitor.get(&format!("/schools/{id}?lang=kk")).await.texts("h1"),
        ["Жол автомектебі"]
    );
    assert_eq!(
        signed_in(&app, "moderator", "mod@a.kz")
            .await
            .submit("/me", "/admin/schools", &[("bin", "990940003030")])
            .await
            .status,
        403
    );
}

#[actix_web::test]
async fn a_verified_student_applies_and_the_manager_accepts_or_rejects_with_a_reason() {
    let app = TestApp::spawn().await;
    let (_admin, school, manager) = zhol(&app).await;
    let b = group(&manager, "B", "10").await;

    let unverified = student(&app, 0, false).await;
    let page = unverified.get(&format!("/schools/{school}?lang=ru")).await;
    assert!(page.texts(".notice")[0].contains("подтвердите"), "{:?}", page.texts(".notice"));
    assert_eq!(apply(&unverified, &school, &b).await.status, 403);

    let aliya = student(&app, 1, true).await;
    assert_eq!(apply(&aliya, &school, &b).await.location(), format!("/schools/{school}"));
    let baur = student(&app, 2, true).await;
    apply(&baur, &school, &b).await;

    let roster = manager.get(&format!("/school/groups/{b}?lang=ru")).await;
    assert_eq!(roster.texts(".roster .badge"), ["заявка подана", "заявка подана"]);
    let accept = roster.attrs("form[action$='/accept']", "action");
    let reject = roster.attrs("form[action$='/reject']", "action");
    manager.submit(&format!("/school/groups/{b}"), &accept[0], &[("group", &b)]).await;
    manager
        .submit(
            &format!("/school/groups/{b}"),
            &reject[1],
            &[("group", &b), ("reason", "Нет медсправки")],
        )
        .await;

    let training = baur.get("/me/training?lang=ru").await;
    let mine = aliya.get("/me/training?lang=ru").await;
    let statuses = [mine.texts(".badge"), training.texts(".badge")].concat();
    assert!(
        statuses.contains(&"принят(а)".to_string()) && statuses.contains(&"отказано".to_string()),
        "{statuses:?}"
    );
    let all = [mine.body, training.body].concat();
    assert!(all.contains("Нет медсправки"), "the student sees the reason");
    assert!(
        all.contains(&format!(
            "{} – {}",
            dates::dmy(dates::today() + chrono::Duration::days(GROUP_STARTS_IN)),
            dates::dmy(dates::today() + chrono::Duration::days(GROUP_ENDS_IN))
        )),
        "the student sees the dates"
    );
}

#[actix_web::test]
async fn one_active_group_per_category() {
    let app = TestApp::spawn().await;
    let (_admin, school, manager) = zhol(&app).await;
    let (b1, b2, a) = (
        group(&manager, "B", "10").await,
        group(&manager, "B", "10").await,
        group(&manager, "A", "10").await,
    );
    let aliya = student(&app, 1, true).await;
    apply(&aliya, &school, &b1).await;
    let again = apply(&aliya, &school, &b2).await;
    assert!(aliya.get(&again.location()).await.texts(".flash")[0].contains("уже есть"));
    apply(&aliya, &school, &a).await;
    let count: i64 = enrolments::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(count, 2, "B once, A once");
}

#[actix_web::test]
async fn a_group_with_dates_that_make_no_sense_is_refused_and_not_stored() {
    let app = TestApp::spawn().await;
    let (_admin, _school, manager) = zhol(&app).await;
    let long_ago = dates::ymd(dates::today() - chrono::Duration::days(365 * 200));
    for (starts, ends, message) in [
        (long_ago.clone(), dates::days(10), "не дальше года"),
        (dates::days(800), dates::days(900), "не дальше года"),
        (dates::days(10), dates::days(10 + 400), "больше года"),
    ] {
        let page = manager
            .submit(
                "/school/groups/new?lang=ru",
                "/school/groups",
                &[
                    ("category", "B"),
                    ("language", "kk"),
                    ("starts_on", &starts),
                    ("ends_on", &ends),
                    ("capacity", "10"),
                ],
            )
            .await;
        assert_eq!(page.status, 422, "{starts}..{ends}");
        assert!(page.texts(".error-summary").join(" ").contains(message), "{}", page.body);
    }
    let groups: i64 = avtomektep::db::schema::training_groups::table
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(groups, 0);
}

#[actix_web::test]
async fn two_managers_accepting_the_last_place_at_once_fill_it_once() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let school = school(&admin, "940140000385", "Жол").await;
    let first = manager_of(&app, &admin, &school, "manager1@zhol.kz").await;
    let second = manager_of(&app, &admin, &school, "manager2@zhol.kz").await;
    let g = group(&first, "B", "1").await;
    for n in 1..=2 {
        apply(&student(&app, n, true).await, &school, &g).await;
    }
    let roster = first.get(&format!("/school/groups/{g}")).await;
    let accept = roster.attrs("form[action$='/accept']", "action");
    let (t1, t2) =
        (first.get("/school").await.csrf_token(), second.get("/school").await.csrf_token());
    let (r1, r2) = futures_util::future::join(
        first.post(&accept[0], &[("csrf_token", &t1), ("group", &g)]),
        second.post(&accept[1], &[("csrf_token", &t2), ("group", &g)]),
    )
    .await;
    assert_eq!((r1.status, r2.status), (303, 303));
    let accepted: i64 = enrolments::table
        .filter(enrolments::status.eq("accepted"))
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(accepted, 1, "capacity 1 holds under concurrency");
}

#[actix_web::test]
async fn staff_of_one_school_cannot_read_or_change_another_schools_data() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let a = school(&admin, "940140000385", "Жол").await;
    let b = school(&admin, "990940003030", "Рөл").await;
    let manager_a = manager_of(&app, &admin, &a, "manager@zhol.kz").await;
    let manager_b = manager_of(&app, &admin, &b, "manager@rol.kz").await;
    let group_b = group(&manager_b, "B", "5").await;
    apply(&student(&app, 1, true).await, &b, &group_b).await;
    let enrolment = manager_b
        .get(&format!("/school/groups/{group_b}"))
        .await
        .attrs("form[action$='/accept']", "action")
        .remove(0);

    assert_eq!(manager_a.get(&format!("/school/groups/{group_b}")).await.status, 404);
    assert_eq!(manager_a.submit("/school", &enrolment, &[("group", &group_b)]).await.status, 404);
    let reject = enrolment.replace("/accept", "/reject");
    assert_eq!(
        manager_a.submit("/school", &reject, &[("group", &group_b), ("reason", "x")]).await.status,
        404
    );
    let dashboard = manager_a.get("/school").await;
    assert!(dashboard.texts(".groups li").is_empty(), "school A sees no groups of B");
    let pending: i64 = enrolments::table
        .filter(enrolments::status.eq("applied"))
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(pending, 1, "nothing changed");
    let outsider = signed_in(&app, "school_staff", "nobody@school.kz").await;
    assert_eq!(outsider.get("/school").await.status, 403, "staff without a school see nothing");
    let student = student(&app, 2, true).await;
    assert_eq!(student.get("/school").await.status, 403);
}

#[actix_web::test]
async fn a_manager_invites_an_instructor_who_opens_the_link_and_creates_the_account() {
    let sink = crate::support::smtp::SmtpSink::start();
    let app = crate::accounts::app_with_mail(&sink).await;
    let (_admin, _school, manager) = zhol(&app).await;
    let sent = manager
        .submit(
            "/school?lang=ru",
            "/school/invitations",
            &[("email", "ivan@mail.kz"), ("position", "instructor")],
        )
        .await;
    assert_eq!(sent.location(), "/school");
    let mail = sink
        .wait_for(1)
        .into_iter()
        .find(|m| m.to == ["ivan@mail.kz"])
        .expect("the invitation is mailed");
    assert_eq!(mail.subject(), "Приглашение в автошколу");
    let link = crate::accounts::link_in(
        &mail.text(),
        &format!("{}/invitations/accept?token=", app.address),
    );
    let path = link.trim_start_matches(&app.address).to_string();
    let token = path.split('=').nth(1).unwrap().to_string();

    let ivan = Visitor::new(&app);
    let weak = ivan
        .submit(
            &path,
            "/invitations/accept",
            &[
                ("token", &token),
                ("last_name", "Иванов"),
                ("first_name", "Иван"),
                ("password", "123"),
                ("password_confirm", "123"),
            ],
        )
        .await;
    assert_eq!(weak.status, 422);
    let joined = ivan
        .submit(
            &path,
            "/invitations/accept",
            &[
                ("token", &token),
                ("last_name", "Иванов"),
                ("first_name", "Иван"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(joined.location(), "/school", "{}", joined.body);
    assert_eq!(
        ivan.get("/school/lessons").await.status,
        200,
        "signed in as the school's instructor"
    );
    let staff = manager.get("/school?lang=ru").await.texts("main ul li").join(" | ");
    assert!(staff.contains("Иванов Иван — Инструктор по вождению"), "{staff}");
    assert_eq!(Visitor::new(&app).get(&path).await.status, 410, "the link works once");
    assert_eq!(sign_in(&Visitor::new(&app), "ivan@mail.kz", PASSWORD).await.status, 303);
}

#[actix_web::test]
async fn only_managers_invite() {
    let app = TestApp::spawn().await;
    let (admin, school, _manager) = zhol(&app).await;
    let instructor = signed_in(&app, "instructor", "erlan@zhol.kz").await;
    admin
        .submit(
            &format!("/schools/{school}"),
            &format!("/admin/schools/{school}/staff"),
            &[("email", "erlan@zhol.kz"), ("position", "instructor")],
        )
        .await;
    let page = instructor
        .submit(
            "/school",
            "/school/invitations",
            &[("email", "x@mail.kz"), ("position", "manager")],
        )
        .await;
    assert_eq!(page.status, 403);
}

#[actix_web::test]
async fn the_roster_exports_as_csv_with_a_bom_and_the_group_moves_through_its_statuses() {
    let app = TestApp::spawn().await;
    let (admin, school, manager) = zhol(&app).await;
    let g = group(&manager, "B", "10").await;
    apply(&student(&app, 1, true).await, &school, &g).await;
    let csv = manager.get(&format!("/school/groups/{g}/roster.csv?lang=ru")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.header("content-disposition").unwrap().contains("attachment"));
    assert!(csv.body.starts_with('\u{FEFF}'), "a byte-order mark for Excel");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{FEFF}').lines().collect();
    assert_eq!(lines[0], "Фамилия,Имя,Статус,Дата заявки");
    assert!(lines[1].starts_with("Сейітқали,Әлия,заявка подана,"), "{}", lines[1]);

    let other_admin_school = school_b(&admin).await;
    let manager_b = manager_of(&app, &admin, &other_admin_school, "manager@rol.kz").await;
    assert_eq!(
        manager_b.get(&format!("/school/groups/{g}/roster.csv")).await.status,
        404,
        "not another school's roster"
    );

    let page = manager.get(&format!("/school/groups/{g}?lang=ru")).await;
    let action =
        page.attrs(&format!("form[action='/school/groups/{g}/status']"), "action").remove(0);
    manager.submit(&format!("/school/groups/{g}"), &action, &[("status", "finished")]).await;
    assert!(
        manager.get(&format!("/school/groups/{g}?lang=ru")).await.texts(".meta")[0]
            .contains("набор"),
        "no skipping a step"
    );
    manager.submit(&format!("/school/groups/{g}"), &action, &[("status", "in_training")]).await;
    assert!(
        manager.get(&format!("/school/groups/{g}?lang=ru")).await.texts(".meta")[0]
            .contains("идёт обучение")
    );
}

async fn school_b(admin: &Visitor<'_>) -> String {
    school(admin, "990940003030", "Рөл").await
}

#[actix_web::test]
async fn completing_training_issues_a_numbered_bilingual_certificate_only_its_people_can_see() {
    use avtomektep::db::schema::{completions, lessons};
    let app = TestApp::spawn().await;
    let (admin, school_id, manager) = zhol(&app).await;
    let g = group(&manager, "B", "10").await;
    let aliya = student(&app, 1, true).await;
    apply(&aliya, &school_id, &g).await;
    let roster = manager.get(&format!("/school/groups/{g}")).await;
    let accept = roster.attrs("form[action$='/accept']", "action").remove(0);
    manager.submit(&format!("/school/groups/{g}"), &accept, &[("group", &g)]).await;
    let progress = aliya.get("/me/training?lang=ru").await.texts(".progress");
    assert_eq!(
        progress,
        ["Теория: 0:00 / 40 ч", "Практика: 0:00 / 56 ч"],
        "placeholder requirements for B"
    );

    let student_id: uuid::Uuid = app.user_id("student1@mail.kz").parse().unwrap();
    create_account(
        &mut app.db.conn(),
        app.keys(),
        "instructor",
        "ivan@zhol.kz",
        "Иванов Иван",
        PASSWORD,
    )
    .unwrap();
    let ivan: uuid::Uuid = app.user_id("ivan@zhol.kz").parse().unwrap();
    let during = (
        std::collections::Bound::Included(dates::now() - chrono::Duration::hours(5)),
        std::collections::Bound::Excluded(dates::now() - chrono::Duration::hours(3)),
    );
    diesel::insert_into(lessons::table)
        .values((
            lessons::school_id.eq(school_id.parse::<uuid::Uuid>().unwrap()),
            lessons::instructor_id.eq(ivan),
            lessons::student_id.eq(Some(student_id)),
            lessons::vehicle.eq("123ABC01"),
            lessons::during.eq(during),
            lessons::status.eq("held"),
        ))
        .execute(&mut app.db.conn())
        .unwrap();

    let roster = manager.get(&format!("/school/groups/{g}")).await;
    let complete = roster.attrs("form[action$='/complete']", "action").remove(0);
    let bad = manager
        .submit(
            &format!("/school/groups/{g}"),
            &complete,
            &[("group", &g), ("theory_hours", "много")],
        )
        .await;
    assert_eq!(bad.status, 303);
    manager
        .submit(&format!("/school/groups/{g}"), &complete, &[("group", &g), ("theory_hours", "40")])
        .await;
    let (number, sent): (String, Option<chrono::DateTime<chrono::Utc>>) = completions::table
        .select((completions::number, completions::sent_to_state_at))
        .first(&mut app.db.conn())
        .unwrap();
    assert!(number.starts_with("AVT-") && number.ends_with("-000001"), "{number}");
    assert!(sent.is_none(), "waiting to be sent to the state system");

    let training = aliya.get("/me/training?lang=ru").await;
    let link = training.attrs("a[href^='/certificates/']", "href").remove(0);
    let certificate = aliya.get(&link).await;
    assert_eq!(certificate.status, 200);
    assert_eq!(certificate.attrs(".bilingual section", "lang"), ["kk", "ru"]);
    let text = certificate.texts(".bilingual").join(" ");
    assert!(
        text.contains("Сейітқали Әлия") && text.contains("2:00") && text.contains("40"),
        "{text}"
    );
    assert!(certificate.texts("h1")[0].contains(&number));
    assert_eq!(manager.get(&link).await.status, 200, "the school's staff");
    assert_eq!(student(&app, 2, true).await.get(&link).await.status, 404, "another student");
    let other = school(&admin, "990940003030", "Рөл").await;
    assert_eq!(
        manager_of(&app, &admin, &other, "manager@rol.kz").await.get(&link).await.status,
        404,
        "another school"
    );
}

#[actix_web::test]
async fn a_manager_adds_a_registered_student_by_iin() {
    let app = TestApp::spawn().await;
    let (_admin, _school, manager) = zhol(&app).await;
    let g = group(&manager, "B", "10").await;
    let aliya = student(&app, 1, true).await;
    let _unverified = student(&app, 2, false).await;
    let add = |iin: &'static str| {
        let (manager, g) = (&manager, g.clone());
        async move {
            let page = manager
                .submit(
                    &format!("/school/groups/{g}?lang=ru"),
                    &format!("/school/groups/{g}/add"),
                    &[("iin", iin)],
                )
                .await;
            manager.get(&page.location()).await.texts(".flash").join("")
        }
    };
    assert!(add("12345").await.contains("Неверный"), "a bad IIN");
    assert!(add("770707300301").await.contains("не зарегистрирован"), "nobody has it");
    assert!(add("850115300205").await.contains("не подтвердил"), "unverified email");
    assert!(add("901123300258").await.contains("добавлен"));
    assert!(add("901123300258").await.contains("уже есть"), "one group per category");
    let training = aliya.get("/me/training?lang=ru").await;
    assert_eq!(training.texts(".badge"), ["принят(а)"]);
    assert_eq!(manager.get(&format!("/school/groups/{g}")).await.texts(".roster li").len(), 1);
}

#[actix_web::test]
async fn transfers_and_withdrawals_keep_the_history() {
    let app = TestApp::spawn().await;
    let (_admin, _school, manager) = zhol(&app).await;
    let (first, second, full, other_category) = (
        group(&manager, "B", "10").await,
        group(&manager, "B", "10").await,
        group(&manager, "B", "1").await,
        group(&manager, "A", "10").await,
    );
    let aliya = student(&app, 1, true).await;
    let baur = student(&app, 2, true).await;
    manager
        .submit(
            &format!("/school/groups/{full}"),
            &format!("/school/groups/{full}/add"),
            &[("iin", "850115300205")],
        )
        .await;
    manager
        .submit(
            &format!("/school/groups/{first}"),
            &format!("/school/groups/{first}/add"),
            &[("iin", "901123300258")],
        )
        .await;
    let enrolment = manager
        .get(&format!("/school/groups/{first}"))
        .await
        .attrs("#transfer-enrolment option", "value")
        .remove(0);
    let transfer = format!("/school/groups/{first}/transfer");
    for target in [&full, &other_category, &first] {
        manager
            .submit(
                &format!("/school/groups/{first}"),
                &transfer,
                &[("enrolment", &enrolment), ("target", target)],
            )
            .await;
    }
    assert_eq!(
        aliya.get("/me/training?lang=ru").await.texts(".badge"),
        ["принят(а)"],
        "full, other category and same group refused"
    );
    manager
        .submit(
            &format!("/school/groups/{first}"),
            &transfer,
            &[("enrolment", &enrolment), ("target", &second)],
        )
        .await;
    let history = aliya.get("/me/training?lang=ru").await.texts(".badge");
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(
        history.contains(&"переведён(а)".to_string()) && history.contains(&"принят(а)".to_string()),
        "{history:?}"
    );

    let withdraw = manager
        .get(&format!("/school/groups/{full}"))
        .await
        .attrs("form[action$='/withdraw']", "action")
        .remove(0);
    manager
        .submit(&format!("/school/groups/{full}"), &withdraw, &[("group", &full), ("reason", "")])
        .await;
    assert_eq!(
        baur.get("/me/training?lang=ru").await.texts(".badge"),
        ["принят(а)"],
        "a reason is required"
    );
    manager
        .submit(
            &format!("/school/groups/{full}"),
            &withdraw,
            &[("group", &full), ("reason", "По собственному желанию")],
        )
        .await;
    let page = baur.get("/me/training?lang=ru").await;
    assert_eq!(page.texts(".badge"), ["выбыл(а)"]);
    assert!(page.body.contains("По собственному желанию"));
}

#[actix_web::test]
async fn the_dashboard_counts_students_by_status() {
    let app = TestApp::spawn().await;
    let (_admin, school, manager) = zhol(&app).await;
    let g = group(&manager, "B", "10").await;
    for n in 1..=3 {
        apply(&student(&app, n, true).await, &school, &g).await;
    }
    let accept = manager
        .get(&format!("/school/groups/{g}"))
        .await
        .attrs("form[action$='/accept']", "action")
        .remove(0);
    manager.submit(&format!("/school/groups/{g}"), &accept, &[("group", &g)]).await;
    let counts = manager.get("/school?lang=ru").await.texts(".counts li");
    assert_eq!(counts, ["1 принят(а)", "2 заявка подана"]);
}
