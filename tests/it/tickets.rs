//! Tickets over HTTP: who sees a ticket, the thread with its statuses and assignment, reopening
//! within 14 days, mails to the other side with personal data masked, everything shown as
//! text, the rate limit, filters and pages, and image attachments.

use avtomektep::db::schema::{audit_events, photos, ticket_attachments, ticket_messages, tickets};
use avtomektep::media::pipeline::sample_jpeg;
use avtomektep::tickets::model::{NewTicket, insert_ticket};
use diesel::prelude::*;

use crate::accounts::app_with_mail;
use crate::schools::{apply, group, manager_of, school, signed_in, student};
use crate::support::dates;
use crate::support::smtp::{Received, SmtpSink};
use crate::support::{Page, TestApp, Visitor};

/// Two schools with a manager each, a student who applied to the first, a student with no
/// school, and the operator's administrator.
struct World<'a> {
    admin: Visitor<'a>,
    zhol: String,
    manager: Visitor<'a>,
    other_school: String,
    other_manager: Visitor<'a>,
    student: Visitor<'a>,
    loner: Visitor<'a>,
}

async fn world(app: &TestApp) -> World<'_> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let zhol = school(&admin, "940140000385", "Жол").await;
    let other_school = school(&admin, "990940003030", "Басқа").await;
    let manager = manager_of(app, &admin, &zhol, "manager@zhol.kz").await;
    let other_manager = manager_of(app, &admin, &other_school, "manager@baska.kz").await;
    let b = group(&manager, "B", "10").await;
    let student = student(app, 1, true).await;
    assert_eq!(apply(&student, &zhol, &b).await.status, 303);
    let loner = crate::schools::student(app, 2, true).await;
    World { admin, zhol, manager, other_school, other_manager, student, loner }
}

async fn open(visitor: &Visitor<'_>, to: &str, category: &str, subject: &str, body: &str) -> Page {
    visitor
        .submit(
            "/tickets/new?lang=ru",
            "/tickets/new",
            &[("to", to), ("category", category), ("subject", subject), ("body", body)],
        )
        .await
}

/// Opens a ticket and returns its id.
async fn opened(visitor: &Visitor<'_>, to: &str, subject: &str, body: &str) -> String {
    let page = open(visitor, to, "training", subject, body).await;
    assert_eq!(page.status, 303, "{}", page.body);
    page.location().trim_start_matches("/tickets/").to_string()
}

async fn reply(visitor: &Visitor<'_>, id: &str, body: &str, status: Option<&str>) -> Page {
    let mut fields = vec![("body", body)];
    if let Some(status) = status {
        fields.push(("status", status));
    }
    visitor.submit("/tickets", &format!("/tickets/{id}/reply"), &fields).await
}

async fn post(visitor: &Visitor<'_>, id: &str, action: &str, field: (&str, &str)) -> Page {
    let path = format!("/tickets/{id}");
    visitor.submit("/tickets", &format!("{path}/{action}"), &[field]).await
}

fn status_of(app: &TestApp, id: &str) -> String {
    tickets::table
        .find(id.parse::<uuid::Uuid>().unwrap())
        .select(tickets::status)
        .first(&mut app.db.conn())
        .unwrap()
}

fn messages(app: &TestApp) -> i64 {
    ticket_messages::table.count().get_result(&mut app.db.conn()).unwrap()
}

fn audited(app: &TestApp, action: &str) -> i64 {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .count()
        .get_result(&mut app.db.conn())
        .unwrap()
}

/// Mails to `to` once at least `count` mails came and one of them is to `to` (a mail of the
/// set-up that lands late counts toward `count` but is not the one awaited), or after ten
/// seconds.
/// (Async: the mail is sent by a task of the server on this test's thread.)
async fn mails_to(sink: &SmtpSink, count: usize, to: &str) -> Vec<Received> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let all = sink.wait_for(0);
        let mine: Vec<Received> = all.iter().filter(|m| m.to == [to]).cloned().collect();
        if (all.len() >= count && !mine.is_empty()) || std::time::Instant::now() > deadline {
            return mine;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[actix_web::test]
async fn only_the_author_and_the_staff_of_its_side_see_a_ticket() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;

    // The student may write to the school they applied to, or to the operator.
    let form = w.student.get("/tickets/new?lang=ru").await;
    assert_eq!(form.status, 200);
    assert_eq!(
        form.attrs("select[name=to] option", "value"),
        [w.zhol.clone(), "operator".to_string()]
    );
    assert_eq!(
        w.loner.get("/tickets/new").await.attrs("select[name=to] option", "value"),
        ["operator"]
    );
    let to_school = opened(&w.student, &w.zhol, "Сабақ кестесі", "Қашан басталады?").await;
    let to_operator = opened(&w.student, "operator", "Кіру", "Пароль").await;
    let elsewhere = open(&w.loner, &w.zhol, "training", "Сұрақ", "Мәтін").await;
    assert_eq!(elsewhere.status, 422, "no enrolment at that school");
    assert_eq!(elsewhere.texts("#field-to .error-message").len(), 1);
    assert_eq!(open(&w.loner, &w.other_school, "training", "Сұрақ", "Мәтін").await.status, 422);
    // Without `to` (the contract's three fields) a ticket goes to the operator.
    let plain = w
        .loner
        .submit(
            "/tickets/new",
            "/tickets/new",
            &[("category", "technical"), ("subject", "S"), ("body", "B")],
        )
        .await;
    assert_eq!(plain.status, 303);

    let school_path = format!("/tickets/{to_school}");
    let operator_path = format!("/tickets/{to_operator}");
    for (who, sees_school, sees_operator) in [
        (&w.student, true, true),
        (&w.manager, true, false),
        (&w.other_manager, false, false),
        (&w.loner, false, false),
        (&moderator, false, true),
        (&w.admin, false, true),
    ] {
        let expected = |sees: bool| if sees { 200 } else { 404 };
        assert_eq!(who.get(&school_path).await.status, expected(sees_school));
        assert_eq!(who.get(&operator_path).await.status, expected(sees_operator));
        // Nor can anyone act on a ticket they do not see.
        if !sees_school {
            assert_eq!(reply(who, &to_school, "x", None).await.status, 404);
            assert_eq!(post(who, &to_school, "status", ("status", "closed")).await.status, 404);
        }
    }
    assert_eq!(messages(&app), 3, "refused replies are not stored");
    assert_eq!(w.manager.get("/tickets/not-a-uuid").await.status, 404);
    assert_eq!(w.manager.get(&format!("/tickets/{}", uuid::Uuid::new_v4())).await.status, 404);
    let anonymous = Visitor::new(&app);
    assert!(anonymous.get(&school_path).await.location().starts_with("/login"));

    // Lists: the author's own tickets; the school's queue; the operator's queue.
    let subjects = |page: Page| page.texts(".ticket-line strong");
    assert_eq!(subjects(w.student.get("/tickets").await), ["Кіру", "Сабақ кестесі"]);
    assert_eq!(subjects(w.manager.get("/tickets").await), ["Сабақ кестесі"]);
    assert!(subjects(w.other_manager.get("/tickets").await).is_empty());
    assert_eq!(subjects(moderator.get("/tickets").await), ["S", "Кіру"]);
    assert!(subjects(w.manager.get("/tickets?scope=mine").await).is_empty());
    assert_eq!(audited(&app, "ticket.opened"), 3);
}

#[actix_web::test]
async fn a_thread_moves_through_statuses_and_assignment_and_each_side_is_mailed() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let w = world(&app).await;
    signed_in(&app, "instructor", "ivan@zhol.kz").await;
    let added = w
        .admin
        .submit(
            &format!("/schools/{}", w.zhol),
            &format!("/admin/schools/{}/staff", w.zhol),
            &[("email", "ivan@zhol.kz"), ("position", "instructor")],
        )
        .await;
    assert_eq!(added.status, 303);
    let before = sink.wait_for(0).len();

    let id = opened(&w.student, &w.zhol, "Кесте", "Сабақ қашан?").await;
    assert_eq!(status_of(&app, &id), "new");
    // Unassigned: every staff member of the school hears of it (in their language, Kazakh).
    let new = mails_to(&sink, before + 2, "manager@zhol.kz").await;
    assert_eq!(new.len(), 1);
    assert_eq!(new[0].subject(), "Жаңа өтініш: Кесте");
    assert!(new[0].text().contains(&format!("/tickets/{id}")));
    assert_eq!(mails_to(&sink, before + 2, "ivan@zhol.kz").await.len(), 1);
    assert!(sink.wait_for(before + 2).iter().all(|m| m.to != ["manager@baska.kz"]));

    // Assignment: only staff of the school.
    let ivan = app.user_id("ivan@zhol.kz");
    let other = app.user_id("manager@baska.kz");
    let student_id = app.user_id("student1@mail.kz");
    for wrong in [&other, &student_id] {
        post(&w.manager, &id, "assign", ("assignee", wrong)).await;
        let page = w.manager.get(&format!("/tickets/{id}?lang=ru")).await;
        assert_eq!(page.texts("#ticket-assignee"), ["не назначен"]);
    }
    assert_eq!(
        post(&w.student, &id, "assign", ("assignee", &ivan)).await.status,
        403,
        "the author does not assign"
    );
    assert_eq!(post(&w.manager, &id, "assign", ("assignee", &ivan)).await.status, 303);
    let page = w.manager.get(&format!("/tickets/{id}?lang=ru")).await;
    assert_eq!(page.texts("#ticket-assignee"), ["Тестов Тест"]);
    assert_eq!(audited(&app, "ticket.assigned"), 1);

    // A staff reply waits for the user, and the student is mailed in Russian.
    let sent = sink.wait_for(0).len();
    assert_eq!(reply(&w.manager, &id, "Дүйсенбіде.", None).await.status, 303);
    assert_eq!(status_of(&app, &id), "waiting_for_user");
    let to_student = mails_to(&sink, sent + 1, "student1@mail.kz").await;
    let last = to_student.last().expect("a mail to the student");
    assert_eq!(last.subject(), "Новый ответ в обращении: Кесте");
    assert!(last.text().contains("Дүйсенбіде."));
    assert!(last.text().contains(&format!("/tickets/{id}")));
    let page = w.student.get(&format!("/tickets/{id}?lang=ru")).await;
    assert_eq!(page.texts(".message-body"), ["Сабақ қашан?", "Дүйсенбіде."]);
    assert_eq!(page.texts("#ticket-status"), ["ждёт ответа пользователя"]);

    // The author's reply puts it back in progress; only the assignee hears of it.
    let sent = sink.wait_for(0).len();
    assert_eq!(reply(&w.student, &id, "Рахмет!", None).await.status, 303);
    assert_eq!(status_of(&app, &id), "in_progress");
    let got = sink.wait_for(sent + 1);
    std::thread::sleep(std::time::Duration::from_millis(200));
    let got: Vec<_> = sink.wait_for(got.len())[sent..].to_vec();
    assert_eq!(got.len(), 1, "one mail, to the assignee");
    assert_eq!(got[0].to, ["ivan@zhol.kz"]);

    // Staff choose the status; the author may not.
    assert_eq!(post(&w.student, &id, "status", ("status", "resolved")).await.status, 403);
    assert_eq!(reply(&w.manager, &id, "Шешілді.", Some("resolved")).await.status, 303);
    assert_eq!(status_of(&app, &id), "resolved");
    let page = w.student.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.attrs("form.reopen-form", "action").len(), 1);
    assert!(page.attrs("form.close-form", "action").is_empty());

    // The author reopens it, closes it, and reopens it again by replying.
    post(&w.student, &id, "status", ("status", "reopen")).await;
    assert_eq!(status_of(&app, &id), "in_progress");
    post(&w.student, &id, "status", ("status", "closed")).await;
    assert_eq!(status_of(&app, &id), "closed");
    assert_eq!(reply(&w.student, &id, "Тағы сұрақ.", None).await.status, 303);
    assert_eq!(status_of(&app, &id), "in_progress");
    assert!(audited(&app, "ticket.status_changed") >= 1);
    assert_eq!(audited(&app, "ticket.reopened"), 1);
    assert_eq!(audited(&app, "ticket.replied"), 4);

    // Fifteen days after it was closed, it stays closed.
    assert_eq!(post(&w.manager, &id, "status", ("status", "closed")).await.status, 303);
    diesel::sql_query("UPDATE tickets SET finished_at = now() - interval '15 days'")
        .execute(&mut app.db.conn())
        .unwrap();
    let page = w.student.get(&format!("/tickets/{id}?lang=ru")).await;
    assert!(page.attrs("form.reopen-form", "action").is_empty());
    assert!(page.attrs("form.reply-form", "action").is_empty());
    assert_eq!(page.texts(".ticket-expired").len(), 1);
    post(&w.student, &id, "status", ("status", "reopen")).await;
    assert_eq!(status_of(&app, &id), "closed");
    let stored = messages(&app);
    let late = reply(&w.student, &id, "Ашыңызшы", None).await;
    assert_eq!(late.status, 422);
    assert!(late.texts("#reply-error")[0].contains("14"));
    assert_eq!(messages(&app), stored, "nothing stored");
    assert_eq!(status_of(&app, &id), "closed");
    // Thirteen days: still possible.
    diesel::sql_query("UPDATE tickets SET finished_at = now() - interval '13 days'")
        .execute(&mut app.db.conn())
        .unwrap();
    post(&w.student, &id, "status", ("status", "reopen")).await;
    assert_eq!(status_of(&app, &id), "in_progress");
}

#[actix_web::test]
async fn personal_data_is_masked_in_mails_and_shown_on_the_portal() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let w = world(&app).await;
    let before = sink.wait_for(0).len();
    let body =
        "Менің ЖСН 901123300258, телефон +77011234567,\nпошта aliya.s@mail.kz, куәлік 043123456.";
    let id = opened(&w.student, "operator", "ЖСН 901123300258 туралы", body).await;
    let to_admin = mails_to(&sink, before + 1, "boss@avtomektep.kz").await;
    assert_eq!(to_admin.len(), 1, "the operator's administrator is mailed");
    let mail = &to_admin[0];
    for secret in ["901123300258", "77011234567", "aliya.s@mail.kz", "043123456", "1123300"] {
        for part in [mail.subject(), mail.text(), mail.html()] {
            assert!(!part.contains(secret), "{secret} in {part}");
        }
    }
    assert!(mail.text().contains("********0258"), "{}", mail.text());
    assert!(mail.text().contains("*******4567"));
    assert!(mail.text().contains("a*****@*****.kz"));
    assert!(mail.subject().contains("********0258"));
    assert!(mail.text().contains("порталды ашыңыз"), "the mail says to open the portal");
    // The portal shows the text as written, to both sides.
    for who in [&w.student, &w.admin] {
        let page = who.get(&format!("/tickets/{id}")).await;
        let text = page.texts(".message-body").join("\n");
        assert!(text.contains("901123300258") && text.contains("+77011234567"));
    }
    // And the other way round.
    let sent = sink.wait_for(0).len();
    reply(&w.admin, &id, "Тексердік: 901123300258, +7 701 123 45 67.", None).await;
    let to_student = mails_to(&sink, sent + 1, "student1@mail.kz").await;
    let text = to_student.last().unwrap().text();
    assert!(!text.contains("901123300258") && !text.contains("123 45 67"));
    assert!(text.contains("Личные данные в письме скрыты"), "{text}");
}

#[actix_web::test]
async fn every_payload_is_shown_as_text_with_its_line_breaks() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let w = world(&app).await;
    let before = sink.wait_for(0).len();
    let body = "<script>alert(1)</script>\n<b>bold</b>\n**markdown** [link](http://evil.example)\n\
                <img src=x onerror=alert(2)> &amp; \"quotes\" 'single'";
    let id = opened(&w.student, &w.zhol, "<i>subject</i>", body).await;
    for (who, path) in [
        (&w.student, format!("/tickets/{id}")),
        (&w.manager, format!("/tickets/{id}")),
        (&w.manager, "/tickets".to_string()),
    ] {
        let page = who.get(&path).await;
        assert!(!page.body.contains("<script>alert"), "{}", page.body);
        assert!(!page.body.contains("<b>bold"));
        assert!(!page.body.contains("<i>subject"));
        assert!(!page.body.contains("<img src=x"));
        assert!(page.attrs("a[href='http://evil.example']", "href").is_empty());
        assert!(page.texts("script:not([src])").is_empty());
        assert_eq!(page.texts(".ticket-subject, .ticket-line strong"), ["<i>subject</i>"]);
    }
    let page = w.student.get(&format!("/tickets/{id}")).await;
    assert_eq!(page.texts("h1"), ["<i>subject</i>"]);
    let shown = page.html();
    let selector = scraper::Selector::parse(".message-body").unwrap();
    let message = shown.select(&selector).next().unwrap();
    let lines: Vec<String> = message.text().map(str::to_string).collect();
    assert_eq!(
        lines,
        [
            "<script>alert(1)</script>",
            "<b>bold</b>",
            "**markdown** [link](http://evil.example)",
            "<img src=x onerror=alert(2)> &amp; \"quotes\" 'single'"
        ],
        "each line as typed"
    );
    let count = |css: &str| message.select(&scraper::Selector::parse(css).unwrap()).count();
    assert_eq!(count("br"), 3, "line breaks kept");
    assert_eq!(count("b, i, a, img, script"), 0, "no markup from the text");
    let mail = mails_to(&sink, before + 1, "manager@zhol.kz").await;
    assert!(!mail[0].html().contains("<script>alert"));
    let html = scraper::Html::parse_document(&mail[0].html());
    assert!(
        crate::support::texts(&html, "p").iter().any(|p| p.contains("<script>alert(1)</script>"))
    );
}

#[actix_web::test]
async fn a_flood_of_messages_is_stopped_and_nothing_more_is_stored() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = opened(&w.student, &w.zhol, "Бір", "1").await;
    for n in 2..=10 {
        let page = reply(&w.student, &id, &n.to_string(), None).await;
        assert_eq!(page.status, 303, "message {n}");
    }
    let eleventh = reply(&w.student, &id, "11", None).await;
    assert_eq!(eleventh.status, 429);
    assert!(eleventh.texts("#reply-error")[0].contains("10"));
    assert_eq!(eleventh.texts("#body"), ["11"], "the text is kept for later");
    let another = open(&w.student, "operator", "other", "Екі", "2").await;
    assert_eq!(another.status, 429);
    assert_eq!(another.texts(".error-summary li").len(), 1);
    assert_eq!(messages(&app), 10);
    // Other people are not held up, nor is staff's answer.
    assert_eq!(reply(&w.manager, &id, "Жауап", None).await.status, 303);
    // Ten minutes later the student may write again.
    diesel::sql_query("UPDATE ticket_messages SET created_at = now() - interval '11 minutes'")
        .execute(&mut app.db.conn())
        .unwrap();
    assert_eq!(reply(&w.student, &id, "11", None).await.status, 303);
    assert_eq!(messages(&app), 12);
}

#[actix_web::test]
async fn queues_filter_by_status_category_and_assignee_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let author = app.user_id("student1@mail.kz").parse().unwrap();
    let manager: uuid::Uuid = app.user_id("manager@zhol.kz").parse().unwrap();
    let school = w.zhol.parse().unwrap();
    let mut conn = app.db.conn();
    for n in 0..25 {
        let category = ["technical", "training", "complaint", "personal_data", "other"][n % 5];
        let (id, _) = insert_ticket(
            &mut conn,
            &NewTicket {
                author_id: author,
                school_id: Some(school),
                category: category.into(),
                subject: format!("Өтініш {n:02}"),
                body: "Мәтін".into(),
            },
        )
        .unwrap();
        let status = if n < 6 { "resolved" } else { "new" };
        let assignee = (n % 2 == 0).then_some(manager);
        diesel::update(tickets::table.find(id))
            .set((
                tickets::status.eq(status),
                tickets::assignee_id.eq(assignee),
                tickets::updated_at.eq(dates::now() - chrono::Duration::minutes(n as i64)),
            ))
            .execute(&mut conn)
            .unwrap();
    }
    let lines = |page: &Page| page.texts(".ticket-line strong");
    let first = w.manager.get("/tickets?lang=ru").await;
    assert_eq!(lines(&first).len(), 20);
    assert_eq!(lines(&first)[0], "Өтініш 00", "latest change first");
    assert_eq!(first.attrs(".pager a[rel=next]", "href"), ["/tickets?page=2"]);
    let second = w.manager.get("/tickets?page=2").await;
    assert_eq!(lines(&second).len(), 5);
    assert_eq!(lines(&second)[4], "Өтініш 24");

    let count = |page: Page| page.texts(".ticket-line strong").len();
    assert_eq!(count(w.manager.get("/tickets?status=resolved").await), 6);
    assert_eq!(count(w.manager.get("/tickets?category=complaint").await), 5);
    assert_eq!(count(w.manager.get("/tickets?assignee=me").await), 13);
    assert_eq!(count(w.manager.get("/tickets?assignee=none").await), 12);
    assert_eq!(count(w.manager.get(&format!("/tickets?assignee={manager}")).await), 13);
    let both = w.manager.get("/tickets?status=resolved&category=technical&assignee=me").await;
    // n = 0 and 5 are technical and resolved; only 0 is assigned.
    assert_eq!(lines(&both), ["Өтініш 00"]);
    // Filters stay selected and travel with the pages.
    let new = w.manager.get("/tickets?status=new&assignee=none").await;
    assert_eq!(new.attrs("#status option[selected]", "value"), ["new"]);
    assert_eq!(new.attrs("#assignee option[selected]", "value"), ["none"]);
    assert_eq!(count(new), 9);
    let assigned_new = w.manager.get("/tickets?status=new").await;
    assert_eq!(count(assigned_new), 19);
    let next = w.manager.get("/tickets?status=new").await.attrs(".pager a[rel=next]", "href");
    assert!(next.is_empty(), "19 fit on one page");
    let unknown = w.manager.get("/tickets?status=bogus&assignee=somebody").await;
    assert_eq!(count(unknown), 20, "unknown filters show everything");
    // The student sees their own, a page at a time too; the other school sees none.
    assert_eq!(count(w.student.get("/tickets").await), 20);
    assert_eq!(count(w.student.get("/tickets?page=2").await), 5);
    assert_eq!(count(w.other_manager.get("/tickets").await), 0);
}

const BOUNDARY: &str = "----avtomektep-ticket-boundary";

fn multipart(fields: &[(&str, &str)], file: Option<&[u8]>) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.jpg\"\r\n\
             Content-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.unwrap_or_default());
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Sends a form the page shows (its action carries the CSRF token) as multipart.
async fn send_multipart(
    visitor: &Visitor<'_>, page: &str, form: &str, fields: &[(&str, &str)], file: Option<&[u8]>,
) -> Page {
    let action = visitor.get(page).await.attrs(form, "action").pop().expect("the form");
    let (content_type, body) = multipart(fields, file);
    visitor.post_body(&action, &content_type, &[], body).await
}

#[actix_web::test]
async fn an_image_goes_with_a_message_and_only_the_tickets_people_see_it() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let fields = [
        ("to", w.zhol.as_str()),
        ("category", "technical"),
        ("subject", "Скриншот"),
        ("body", "Қате шығады"),
    ];
    // Not an image, and nothing stored.
    let wrong = send_multipart(
        &w.student,
        "/tickets/new?lang=ru",
        "form.ticket-form",
        &fields,
        Some(b"%PDF-1.4 not an image"),
    )
    .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.texts("#field-attachment .error-message").len(), 1);
    assert_eq!(wrong.attrs("#subject", "value"), ["Скриншот"], "values kept");
    assert_eq!(messages(&app), 0);
    // Without a file (an empty file input), a plain ticket.
    let plain = send_multipart(&w.student, "/tickets/new", "form.ticket-form", &fields, None).await;
    assert_eq!(plain.status, 303, "{}", plain.body);

    let jpeg = sample_jpeg(900, 600, Some(6));
    let page =
        send_multipart(&w.student, "/tickets/new", "form.ticket-form", &fields, Some(&jpeg)).await;
    assert_eq!(page.status, 303, "{}", page.body);
    let id = page.location().trim_start_matches("/tickets/").to_string();
    let photo: uuid::Uuid = ticket_attachments::table
        .select(ticket_attachments::photo_id)
        .first(&mut app.db.conn())
        .unwrap();
    let kind: String =
        photos::table.find(photo).select(photos::kind).first(&mut app.db.conn()).unwrap();
    assert_eq!(kind, "attachment");

    let thread = w.manager.get(&format!("/tickets/{id}")).await;
    let thumb = format!("/tickets/{id}/files/{photo}/thumb");
    assert_eq!(thread.attrs(".message-attachments img", "src"), [thumb.as_str()]);
    let (status, headers, bytes) = w.manager.get_bytes(&thumb).await;
    assert_eq!(status, 200);
    assert_eq!(headers.get("content-type").unwrap(), "image/jpeg");
    assert!(bytes.starts_with(&[0xFF, 0xD8]));
    let full = format!("/tickets/{id}/files/{photo}/full");
    assert_eq!(w.manager.get_bytes(&full).await.0, 200);
    assert_eq!(w.student.get_bytes(&full).await.0, 200);
    assert_eq!(
        audited(&app, "ticket.attachment_viewed"),
        1,
        "staff's view of the full image is audited, the owner's own is not"
    );
    for stranger in [&w.other_manager, &w.loner, &w.admin] {
        assert_eq!(stranger.get_bytes(&full).await.0, 404);
    }
    // The photo routes know nothing of it: not served, not in the review queue, not listed.
    for who in [&w.student, &w.manager, &w.admin] {
        assert_eq!(who.get_bytes(&format!("/photos/{photo}/full")).await.0, 404);
    }
    assert!(!w.manager.get("/photos/review").await.body.contains(&photo.to_string()));
    assert!(!w.student.get("/me/photos").await.body.contains(&photo.to_string()));

    // A reply may carry an image too.
    let path = format!("/tickets/{id}");
    let replied = send_multipart(
        &w.manager,
        &path,
        "form.reply-form",
        &[("body", "Көрдім"), ("status", "in_progress")],
        Some(&sample_jpeg(400, 300, None)),
    )
    .await;
    assert_eq!(replied.status, 303, "{}", replied.body);
    assert_eq!(status_of(&app, &id), "in_progress");
    let thread = w.student.get(&path).await;
    assert_eq!(thread.attrs(".message-attachments img", "src").len(), 2);

    // A message a moderator deleted shows a stub, and its image is gone from view.
    diesel::sql_query(
        "UPDATE ticket_messages SET moderation = 'deleted', moderation_reason = 'угрозы' \
         WHERE id IN (SELECT message_id FROM ticket_attachments WHERE photo_id = $1)",
    )
    .bind::<diesel::sql_types::Uuid, _>(photo)
    .execute(&mut app.db.conn())
    .unwrap();
    let thread = w.manager.get(&format!("{path}?lang=ru")).await;
    assert_eq!(
        thread.texts(".message-removed"),
        ["Сообщение удалено модератором. Причина: угрозы"]
    );
    assert!(!thread.body.contains("Қате шығады"));
    assert_eq!(w.manager.get_bytes(&full).await.0, 404);
}

#[actix_web::test]
async fn hidden_messages_are_seen_by_moderators_only_and_others_can_be_reported() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let id = opened(&w.student, "operator", "Сұрақ", "Бірінші").await;
    reply(&w.admin, &id, "Екінші", None).await;
    diesel::sql_query("UPDATE ticket_messages SET moderation = 'hidden' WHERE body = 'Бірінші'")
        .execute(&mut app.db.conn())
        .unwrap();
    let path = format!("/tickets/{id}?lang=ru");
    let student_view = w.student.get(&path).await;
    assert_eq!(student_view.texts(".message-body"), ["Екінші"]);
    let admin_view = w.admin.get(&path).await;
    assert_eq!(admin_view.texts(".message-body"), ["Бірінші", "Екінші"]);
    assert_eq!(admin_view.texts(".message-hidden .badge-bad"), ["скрыто модератором"]);
    // The report link sits under other people's messages only.
    let reports = student_view.attrs("a.report-link", "href");
    assert_eq!(reports.len(), 1);
    assert!(reports[0].starts_with("/reports/new?message="));
    assert_eq!(admin_view.attrs("a.report-link", "href").len(), 1);
    // The rules stand next to every form that posts text.
    assert_eq!(student_view.texts("aside.rules").len(), 1);
    assert_eq!(w.student.get("/tickets/new").await.texts("aside.rules").len(), 1);
}
