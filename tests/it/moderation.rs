//! Moderation: who sees the queue; report → hide → gone from the school page → restore; a
//! deletion leaves a stub with the reason; restrictions block the publishing forms until lifted
//! or over; the author's mail and the setting that turns it off; the audit trail; reports on
//! ticket messages by the ticket's participants only.

use avtomektep::audit::AuditEvent;
use avtomektep::db::schema::{
    audit_events, reports, restrictions, reviews, ticket_messages, tickets,
};
use chrono::Duration;
use diesel::prelude::*;
use uuid::Uuid;

use crate::accounts::app_with_mail;
use crate::reviews::{enrolment_of, review_id, setup, user_uuid, write};
use crate::schools::signed_in;
use crate::support::dates;
use crate::support::smtp::SmtpSink;
use crate::support::{Page, TestApp, Visitor};

/// Files a report through the form (`field` is `review_id` or `message_id`).
async fn report(visitor: &Visitor<'_>, field: &str, id: &str, reason: &str) -> Page {
    let query = if field == "review_id" { "review" } else { "message" };
    visitor
        .submit(
            &format!("/reports/new?{query}={id}"),
            "/reports",
            &[(field, id), ("reason", reason), ("note", "Посмотрите, пожалуйста")],
        )
        .await
}

async fn decide(moderator: &Visitor<'_>, path: &str, reason: &str) -> Page {
    moderator.submit("/me", path, &[("reason", reason), ("view", "queue")]).await
}

fn audit(app: &TestApp, action: &str) -> Vec<AuditEvent> {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .order(audit_events::occurred_at)
        .select(AuditEvent::as_select())
        .load(&mut app.db.conn())
        .unwrap()
}

#[actix_web::test]
async fn only_moderators_and_administrators_see_the_queue() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 1, 1).await;
    let id = review_id(&write(&s.students[0], &enrolment_of(&app, 1), "5", "Хорошо").await);
    let anonymous = Visitor::new(&app);
    assert!(anonymous.get("/moderation").await.location().starts_with("/login"));
    let instructor = signed_in(&app, "instructor", "ivan@zhol.kz").await;
    for visitor in [&s.students[0], &s.manager, &instructor] {
        assert_eq!(visitor.get("/moderation").await.status, 403);
        let hide = decide(visitor, &format!("/moderation/reviews/{id}/hide"), "x").await;
        assert_eq!(hide.status, 403);
        assert!(visitor.get("/me").await.attrs("a[href='/moderation']", "href").is_empty());
    }
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    for visitor in [&moderator, &s.admin] {
        let page = visitor.get("/moderation?lang=ru").await;
        assert_eq!(page.status, 200);
        assert_eq!(page.texts(".queue-empty"), ["Очередь пуста."]);
        assert_eq!(page.attrs(".account-nav a[href='/moderation']", "href").len(), 1);
    }
    assert_eq!(status(&app, &id).0, "published", "nothing changed");
    // A decision without a CSRF token changes nothing either.
    let forged =
        moderator.post(&format!("/moderation/reviews/{id}/hide"), &[("reason", "x")]).await;
    assert_eq!(forged.status, 403);
}

fn status(app: &TestApp, id: &str) -> (String, String) {
    reviews::table
        .find(id.parse::<Uuid>().unwrap())
        .select((reviews::status, reviews::body))
        .first(&mut app.db.conn())
        .unwrap()
}

#[actix_web::test]
async fn a_reported_review_is_hidden_leaves_the_school_page_and_is_restored() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 2, 1).await;
    let (aliya, baur) = (&s.students[0], &s.students[1]);
    let id = review_id(
        &write(aliya, &enrolment_of(&app, 1), "1", "Инструктор опаздывал\nи грубил").await,
    );
    let school_page = format!("/schools/{}?lang=ru", s.school);

    // Anyone signed in who can see it may report it; the form shows the rules.
    let anonymous = Visitor::new(&app);
    assert!(
        anonymous.get(&format!("/reports/new?review={id}")).await.location().starts_with("/login")
    );
    let form = baur.get(&format!("/reports/new?review={id}&lang=ru")).await;
    assert_eq!(form.status, 200);
    assert_eq!(form.texts(".reported .user-text"), ["Инструктор опаздывал и грубил"]);
    assert_eq!(form.texts("#rules-title"), ["Правила публикации"]);
    assert_eq!(form.texts("#reason option").len(), 9);
    let no_reason = report(baur, "review_id", &id, "").await;
    assert_eq!(no_reason.status, 422);
    assert_eq!(no_reason.texts(".error-summary li"), ["Выберите причину жалобы."]);
    let filed = report(baur, "review_id", &id, "false_information").await;
    assert_eq!(filed.location(), format!("/schools/{}#review-{id}", s.school));
    let again = report(baur, "review_id", &id, "threats").await;
    assert_eq!(again.status, 303);
    let open: i64 = reports::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(open, 1, "one open report per person and item");
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    report(&moderator, "review_id", &id, "threats").await;

    // The queue shows the text, the author, the reasons and how many.
    let queue = moderator.get("/moderation?lang=ru").await;
    assert_eq!(queue.texts(".mod-item .item-text"), ["Инструктор опаздывал и грубил"]);
    assert_eq!(queue.texts(".mod-item .item-author"), ["Сейітқали Әлия"]);
    assert_eq!(queue.texts(".item-reports-count"), ["2 жалобы"]);
    assert_eq!(queue.texts(".report-reason"), ["Недостоверная информация", "Угрозы"]);
    assert_eq!(queue.texts(".mod-item .item-text br").len(), 1, "line breaks kept");
    assert_eq!(queue.attrs(".mod-decision button", "data-action"), ["hide", "delete", "keep"]);

    // A decision needs a reason.
    let hide = format!("/moderation/reviews/{id}/hide");
    let bare = decide(&moderator, &hide, "   ").await;
    assert_eq!(bare.status, 422);
    assert_eq!(bare.texts(".mod-item .error-message"), ["Укажите причину решения."]);
    assert_eq!(status(&app, &id).0, "published");

    let done = decide(&moderator, &hide, "Проверяем факты").await;
    assert_eq!(done.location(), "/moderation?view=queue&page=1");
    assert_eq!(status(&app, &id).0, "hidden");
    let public = anonymous.get(&school_page).await;
    assert!(public.texts(".review").is_empty(), "gone from the school page");
    assert_eq!(public.texts(".reviews-none"), ["Отзывов пока нет."]);
    // The author still sees it, and why.
    let own = aliya.get(&school_page).await;
    assert_eq!(own.texts(".reviews-mine .badge"), ["скрыт модератором"]);
    assert!(own.texts(".reviews-mine .review-note")[0].contains("Проверяем факты"));
    let locked = aliya.get(&format!("/reviews/{id}/edit")).await;
    assert_eq!(locked.status, 403);
    // Its reports are resolved: the queue is empty; the hidden list has it.
    assert!(moderator.get("/moderation").await.texts(".mod-item").is_empty());
    let hidden = moderator.get("/moderation?view=hidden").await;
    assert_eq!(hidden.attrs(".mod-item", "id"), [format!("review-{id}")]);
    assert_eq!(hidden.attrs(".mod-decision button", "data-action"), ["delete", "restore"]);
    let unresolved: i64 = reports::table
        .filter(reports::resolved_at.is_null())
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(unresolved, 0);

    let restored = moderator
        .submit(
            "/moderation?view=hidden",
            &format!("/moderation/reviews/{id}/restore"),
            &[("reason", "Факты подтвердились"), ("view", "hidden")],
        )
        .await;
    assert_eq!(restored.location(), "/moderation?view=hidden&page=1");
    assert_eq!(
        anonymous.get(&school_page).await.texts(".review-text"),
        ["Инструктор опаздывал и грубил"]
    );
    // Doing it again is refused politely.
    let twice = decide(&moderator, &format!("/moderation/reviews/{id}/restore"), "x").await;
    assert_eq!(twice.status, 303);

    // Every decision is in the audit trail with the moderator, the reason and the item.
    let moderator_id = user_uuid(&app, "mod@avtomektep.kz");
    let hidden_events = audit(&app, "moderation.review.hide");
    assert_eq!(hidden_events.len(), 1);
    let e = &hidden_events[0];
    assert_eq!(e.actor_id, Some(moderator_id));
    assert_eq!(
        (e.subject_type.as_deref(), e.subject_id.as_deref()),
        (Some("review"), Some(id.as_str()))
    );
    assert_eq!(e.details["reason"], "Проверяем факты");
    assert_eq!(e.details["reports_resolved"], 2);
    assert!(e.request_id.is_some());
    let restore_events = audit(&app, "moderation.review.restore");
    assert_eq!(restore_events.len(), 1);
    assert_eq!(restore_events[0].details["reason"], "Факты подтвердились");
    assert_eq!(audit(&app, "report.filed").len(), 2);
}

#[actix_web::test]
async fn a_deletion_leaves_a_stub_with_the_reason_and_a_held_review_can_be_published() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 2, 2).await;
    let threat =
        review_id(&write(&s.students[0], &enrolment_of(&app, 1), "1", "Я вас всех найду").await);
    let held = review_id(
        &write(&s.students[1], &enrolment_of(&app, 2), "5", "Пишите мне: baur@mail.kz").await,
    );
    report(&s.students[1], "review_id", &threat, "threats").await;
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;

    let queue = moderator.get("/moderation?lang=ru").await;
    assert_eq!(queue.texts(".mod-item").len(), 2, "reported and held");
    let notes = queue.texts(".item-note");
    assert_eq!(notes, ["Похоже, в тексте есть адрес электронной почты."]);
    assert_eq!(queue.texts(".queue-total"), ["В списке 2 записи."]);

    decide(
        &moderator,
        &format!("/moderation/reviews/{threat}/delete"),
        "Угрозы в адрес участников",
    )
    .await;
    assert_eq!(status(&app, &threat), ("deleted".into(), "—".into()));
    let page = Visitor::new(&app).get(&format!("/schools/{}?lang=ru", s.school)).await;
    assert_eq!(page.texts(".review-removed"), ["Удалено модератором: Угрозы в адрес участников"]);
    assert!(!page.body.contains("всех найду"));
    // A deleted text is gone for good: no restore, no edit.
    let restore = decide(&moderator, &format!("/moderation/reviews/{threat}/restore"), "x").await;
    assert_eq!(restore.status, 303);
    assert_eq!(status(&app, &threat).0, "deleted");
    let edit = s.students[0].get(&format!("/reviews/{threat}/edit?lang=ru")).await;
    assert_eq!(edit.status, 403);
    assert_eq!(edit.texts(".review-notice"), ["Удалено модератором: Угрозы в адрес участников"]);
    let deleted = audit(&app, "moderation.review.delete");
    assert_eq!(deleted[0].details["reason"], "Угрозы в адрес участников");
    assert_eq!(deleted[0].details["from"], "published");

    decide(&moderator, &format!("/moderation/reviews/{held}/publish"), "Это адрес самого автора")
        .await;
    assert_eq!(status(&app, &held).0, "published");
    assert!(moderator.get("/moderation").await.texts(".mod-item").is_empty());
}

#[actix_web::test]
async fn a_restriction_blocks_the_forms_until_it_is_lifted_or_over() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 2, 2).await;
    let (aliya, baur) = (&s.students[0], &s.students[1]);
    let (e1, e2) = (enrolment_of(&app, 1), enrolment_of(&app, 2));
    let mine = review_id(&write(aliya, &e1, "1", "Ужасно").await);
    let theirs = review_id(&write(baur, &e2, "5", "Прекрасно").await);
    report(baur, "review_id", &mine, "false_information").await;
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    let aliya_id = user_uuid(&app, "student1@mail.kz");
    let restrict = format!("/moderation/users/{aliya_id}/restrict");

    let yesterday = dates::ymd(dates::today() - Duration::days(1));
    let past = moderator
        .submit(
            "/moderation?lang=ru",
            &restrict,
            &[("until", &yesterday), ("reason", "Флуд"), ("item", "restrict-x")],
        )
        .await;
    assert_eq!(past.status, 422);
    assert_eq!(past.texts(".error-summary li"), ["Дата окончания ограничения уже прошла."]);
    let no_reason =
        moderator.submit("/moderation", &restrict, &[("until", ""), ("reason", "")]).await;
    assert_eq!(no_reason.status, 422);
    let myself = user_uuid(&app, "mod@avtomektep.kz");
    let own = moderator
        .submit("/moderation", &format!("/moderation/users/{myself}/restrict"), &[("reason", "x")])
        .await;
    assert_eq!(own.status, 403);

    let until =
        (dates::now() + Duration::days(10)).with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let done = moderator
        .submit(
            "/moderation",
            &restrict,
            &[("until", &until.format("%Y-%m-%d").to_string()), ("reason", "Ложные отзывы")],
        )
        .await;
    assert_eq!(done.status, 303);
    let queue = moderator.get("/moderation?lang=ru").await;
    assert_eq!(queue.texts(".restriction strong"), ["Сейітқали Әлия"]);

    // Every publishing form explains instead, in the person's language.
    aliya.get("/me?lang=ru").await;
    let blocked = [
        aliya.get(&format!("/reviews/{mine}/edit")).await,
        aliya.get(&format!("/reports/new?review={theirs}")).await,
        aliya
            .submit(
                "/me",
                &format!("/reviews/{mine}/edit"),
                &[("school_stars", "5"), ("body", "Передумала")],
            )
            .await,
        report(aliya, "review_id", &theirs, "other").await,
    ];
    for page in &blocked {
        assert_eq!(page.status, 403);
        assert_eq!(page.texts("h1"), ["Публикация ограничена"]);
        assert_eq!(
            page.texts(".restricted-until"),
            [format!(
                "Оператор ограничил вам возможность публикации до {} включительно.",
                until.format("%d.%m.%Y")
            )]
        );
        assert_eq!(page.texts(".restricted-reason"), ["Причина: Ложные отзывы"]);
        assert_eq!(page.attrs("a[href='/tickets/new']", "href").len(), 1);
    }
    assert_eq!(status(&app, &mine).1, "Ужасно");
    // Others are not affected.
    assert_eq!(baur.get(&format!("/reviews/{theirs}/edit")).await.status, 200);

    // Lifted: the forms are back.
    moderator.submit("/moderation", &format!("/moderation/users/{aliya_id}/lift"), &[]).await;
    assert_eq!(aliya.get(&format!("/reviews/{mine}/edit")).await.status, 200);
    assert!(moderator.get("/moderation").await.texts(".restriction").is_empty());

    // Indefinitely: until lifted. Until a date: over once the date has passed.
    moderator.submit("/moderation", &restrict, &[("until", ""), ("reason", "Спам")]).await;
    let page = aliya.get(&format!("/reviews/{mine}/edit")).await;
    assert_eq!(
        page.texts(".restricted-until"),
        ["Оператор ограничил вам возможность публикации бессрочно."]
    );
    moderator
        .submit(
            "/moderation",
            &restrict,
            &[("until", &until.format("%Y-%m-%d").to_string()), ("reason", "Спам")],
        )
        .await;
    let in_force: i64 = restrictions::table
        .filter(restrictions::lifted_at.is_null())
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(in_force, 1, "a new restriction replaces the one in force");
    diesel::update(restrictions::table.filter(restrictions::lifted_at.is_null()))
        .set(restrictions::until.eq(Some(dates::now() - Duration::minutes(1))))
        .execute(&mut app.db.conn())
        .unwrap();
    assert_eq!(aliya.get(&format!("/reviews/{mine}/edit")).await.status, 200);

    let restricted = audit(&app, "moderation.user.restrict");
    assert_eq!(restricted.len(), 3);
    assert_eq!(restricted[0].details["reason"], "Ложные отзывы");
    assert_eq!(restricted[0].subject_id.as_deref(), Some(aliya_id.to_string().as_str()));
    assert_eq!(restricted[1].details["until"], serde_json::Value::Null);
    assert_eq!(audit(&app, "moderation.user.lift").len(), 1);
}

#[actix_web::test]
async fn the_author_is_mailed_the_reason_unless_the_setting_is_off() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let s = setup(&app, 1, 1).await;
    let id = review_id(&write(&s.students[0], &enrolment_of(&app, 1), "1", "Плохо").await);
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    let before = sink.wait_for(0).len();
    decide(&moderator, &format!("/moderation/reviews/{id}/hide"), "Не относится к обучению").await;
    let mails = sink.wait_for(before + 1);
    let mail =
        mails.iter().find(|m| m.subject().contains("модератором")).expect("the author's mail");
    assert_eq!(mail.to, ["student1@mail.kz"]);
    assert_eq!(mail.subject(), "Ваш отзыв скрыт модератором");
    assert!(mail.text().contains("Причина: Не относится к обучению"), "{}", mail.text());
    assert!(mail.text().contains(&format!("{}/schools/{}", app.address, s.school)));
    // Restoring sends nothing.
    decide(&moderator, &format!("/moderation/reviews/{id}/restore"), "Ошибка").await;
    assert_eq!(sink.wait_for(0).len(), before + 1);

    let quiet_sink = SmtpSink::start();
    let url = quiet_sink.url();
    let quiet = TestApp::spawn_with(
        move |c| {
            c.smtp_url = Some(url);
            c.notify_moderated = false;
        },
        |_| {},
    )
    .await;
    let s = setup(&quiet, 1, 1).await;
    let id = review_id(&write(&s.students[0], &enrolment_of(&quiet, 1), "1", "Плохо").await);
    let moderator = signed_in(&quiet, "moderator", "mod@avtomektep.kz").await;
    let before = quiet_sink.wait_for(0).len();
    let done = decide(&moderator, &format!("/moderation/reviews/{id}/delete"), "Спам").await;
    assert_eq!(done.status, 303);
    assert_eq!(status(&quiet, &id).0, "deleted");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let after = quiet_sink.wait_for(0);
    assert_eq!(after.len(), before, "no mail with AVTOMEKTEP_NOTIFY_MODERATED=0");
}

/// A ticket with one message by `author` (the tickets area's own pages are not needed here).
fn ticket_message(
    app: &TestApp, ticket_author: Uuid, message_author: Uuid, school: Option<Uuid>, body: &str,
) -> Uuid {
    let mut conn = app.db.conn();
    let ticket: Uuid = diesel::insert_into(tickets::table)
        .values((
            tickets::author_id.eq(ticket_author),
            tickets::school_id.eq(school),
            tickets::category.eq("complaint"),
            tickets::subject.eq("Жалоба на инструктора"),
        ))
        .returning(tickets::id)
        .get_result(&mut conn)
        .unwrap();
    diesel::insert_into(ticket_messages::table)
        .values((
            ticket_messages::ticket_id.eq(ticket),
            ticket_messages::author_id.eq(Some(message_author)),
            ticket_messages::body.eq(body),
        ))
        .returning(ticket_messages::id)
        .get_result(&mut conn)
        .unwrap()
}

#[actix_web::test]
async fn ticket_messages_are_reported_by_the_tickets_participants_and_moderated() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 2, 1).await;
    let school: Uuid = s.school.parse().unwrap();
    let aliya = user_uuid(&app, "student1@mail.kz");
    let manager = user_uuid(&app, "manager@zhol.kz");
    // The school's manager wrote something rude in Aliya's ticket to the school.
    let rude = ticket_message(&app, aliya, manager, Some(school), "Сама виновата!\nНе пишите сюда");
    let rude = rude.to_string();

    // The ticket's author and the school's staff may report it; another student may not.
    assert_eq!(s.students[1].get(&format!("/reports/new?message={rude}")).await.status, 404);
    assert_eq!(report(&s.students[1], "message_id", &rude, "threats").await.status, 404);
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    assert_eq!(
        moderator.get(&format!("/reports/new?message={rude}")).await.status,
        404,
        "a ticket to a school is between the person and the school"
    );
    let form = s.manager.get(&format!("/reports/new?message={rude}")).await;
    assert_eq!(form.status, 200);
    let filed = report(&s.students[0], "message_id", &rude, "discrimination").await;
    assert_eq!(filed.location(), format!("/tickets/{}", ticket_of(&app, &rude)));

    // For a ticket to the operator, the operator's moderators take part.
    let to_operator = ticket_message(&app, aliya, aliya, None, "Помогите").to_string();
    assert_eq!(moderator.get(&format!("/reports/new?message={to_operator}")).await.status, 200);
    assert_eq!(s.manager.get(&format!("/reports/new?message={to_operator}")).await.status, 404);

    let queue = moderator.get("/moderation?lang=ru").await;
    assert_eq!(queue.texts(".mod-item .badge")[0], "Сообщение в обращении");
    assert_eq!(queue.texts(".mod-item .item-place"), ["Жалоба на инструктора"]);
    assert_eq!(queue.texts(".item-text br").len(), 1);
    assert_eq!(queue.attrs(".mod-decision button", "data-action"), ["hide", "delete", "keep"]);
    decide(&moderator, &format!("/moderation/messages/{rude}/delete"), "Оскорбление").await;
    let (moderation, body, reason): (String, String, Option<String>) = ticket_messages::table
        .find(rude.parse::<Uuid>().unwrap())
        .select((
            ticket_messages::moderation,
            ticket_messages::body,
            ticket_messages::moderation_reason,
        ))
        .first(&mut app.db.conn())
        .unwrap();
    assert_eq!(
        (moderation.as_str(), body.as_str(), reason.as_deref()),
        ("deleted", "—", Some("Оскорбление"))
    );
    // A message cannot be "published" (that is for held reviews).
    let publish = decide(&moderator, &format!("/moderation/messages/{rude}/publish"), "x").await;
    assert_eq!(publish.status, 404);
    let events = audit(&app, "moderation.message.delete");
    assert_eq!(events[0].subject_type.as_deref(), Some("message"));
    assert_eq!(events[0].details["reason"], "Оскорбление");
}

fn ticket_of(app: &TestApp, message: &str) -> Uuid {
    ticket_messages::table
        .find(message.parse::<Uuid>().unwrap())
        .select(ticket_messages::ticket_id)
        .first(&mut app.db.conn())
        .unwrap()
}

#[actix_web::test]
async fn the_queue_is_paged_and_reports_are_limited_per_hour() {
    let app = TestApp::spawn().await;
    let s = setup(&app, 1, 1).await;
    let aliya = user_uuid(&app, "student1@mail.kz");
    let messages: Vec<String> = (0..22)
        .map(|n| ticket_message(&app, aliya, aliya, None, &format!("Сообщение {n}")).to_string())
        .collect();
    for (n, message) in messages.iter().enumerate() {
        let page = report(&s.students[0], "message_id", message, "other").await;
        if n < 10 {
            assert_eq!(page.status, 303, "report {n}");
        } else if n == 10 {
            assert_eq!(page.status, 429);
            assert!(page.body.contains("слишком много") || page.body.contains("тым көп"));
        }
    }
    // More reports from others (inserted directly) fill more than one page.
    let mut conn = app.db.conn();
    for message in &messages[10..] {
        diesel::insert_into(reports::table)
            .values((
                reports::message_id.eq(Some(message.parse::<Uuid>().unwrap())),
                reports::reason.eq("other"),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    let first = moderator.get("/moderation?lang=ru").await;
    assert_eq!(first.texts(".mod-item").len(), 20);
    assert_eq!(first.texts(".queue-total"), ["В списке 22 записи."]);
    let next = first.attrs(".pager a[rel=next]", "href");
    assert_eq!(next, ["/moderation?view=queue&page=2"]);
    let second = moderator.get(&next[0]).await;
    assert_eq!(second.texts(".mod-item").len(), 2);
    assert_eq!(second.attrs("input[name=page]", "value")[0], "2");
    let _ = &s.group;
}

#[actix_web::test]
async fn moderators_cannot_restrict_the_operators_staff_or_set_an_end_years_away() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    let other = signed_in(&app, "moderator", "mod2@avtomektep.kz").await;
    for email in ["boss@avtomektep.kz", "mod2@avtomektep.kz"] {
        let target = user_uuid(&app, email);
        let page = moderator
            .submit(
                "/moderation?lang=ru",
                &format!("/moderation/users/{target}/restrict"),
                &[("until", ""), ("reason", "Не нравится")],
            )
            .await;
        assert_eq!(page.status, 303);
        let after = moderator.get(&page.location()).await;
        assert!(after.texts(".flash").join(" ").contains("не ограничивают"), "{}", after.body);
    }
    let student = Visitor::new(&app);
    crate::accounts::register(&student, &crate::accounts::Form::aliya(), "ru").await;
    let target = user_uuid(&app, "aliya@mail.kz");
    let far = dates::ymd(dates::today() + Duration::days(5 * 366));
    let page = moderator
        .submit(
            "/moderation?lang=ru",
            &format!("/moderation/users/{target}/restrict"),
            &[("until", &far), ("reason", "Флуд")],
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(page.texts(".error-summary li").join(" ").contains("трёх лет"), "{}", page.body);
    let stored: i64 = restrictions::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(stored, 0);
    for staff in [&admin, &other] {
        assert_eq!(staff.get("/me").await.status, 200, "staff are untouched");
    }
}
