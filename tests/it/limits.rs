//! Hostile traffic on the accounts' routes: mail floods, free password hashing, telling who has
//! an account, guessing the current password, weak passwords, LIKE wildcards in the admin search.

use avtomektep::accounts::operator::create_account;
use avtomektep::limits;

use crate::accounts::{Form, PASSWORD, app_with_mail, link_in, register, sign_in};
use crate::schools::{signed_in, zhol};
use crate::support::smtp::SmtpSink;
use crate::support::{Page, TestApp, Visitor};

/// How long the sink is watched for mails that should not come.
fn settle(sink: &SmtpSink, at_least: usize) -> usize {
    sink.wait_for(at_least);
    std::thread::sleep(std::time::Duration::from_millis(500));
    sink.wait_for(0).len()
}

async fn forgot(visitor: &Visitor<'_>, email: &str) -> Page {
    visitor.submit("/password/forgot?lang=ru", "/password/forgot", &[("email", email)]).await
}

#[actix_web::test]
async fn reset_requests_mail_an_address_a_few_times_an_hour_and_one_client_is_stopped() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    create_account(
        &mut app.db.conn(),
        app.keys(),
        "student",
        "aliya@mail.kz",
        "Сейітқали Әлия",
        PASSWORD,
    )
    .unwrap();
    let verification = 0;
    let attacker = Visitor::new(&app);
    let mut statuses = Vec::new();
    for _ in 0..limits::MAILS_PER_SENDER.max + 5 {
        statuses.push(forgot(&attacker, "aliya@mail.kz").await.status);
    }
    let allowed = limits::MAILS_PER_SENDER.max;
    assert!(statuses[..allowed].iter().all(|s| *s == 200), "{statuses:?}");
    assert!(statuses[allowed..].iter().all(|s| *s == 429), "{statuses:?}");
    let refused = forgot(&attacker, "aliya@mail.kz").await;
    assert!(
        refused.texts(".error-message").join(" ").contains("Слишком много"),
        "{}",
        refused.body
    );
    let resets = settle(&sink, verification + limits::MAILS_PER_RECIPIENT.max) - verification;
    assert_eq!(resets, limits::MAILS_PER_RECIPIENT.max, "the owner gets a few, not a flood");
}

#[actix_web::test]
async fn registering_again_with_someones_details_mails_them_once_a_day() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    register(&Visitor::new(&app), &Form::aliya(), "ru").await;
    let before = settle(&sink, 1);
    let attacker = Visitor::new(&app);
    for n in 0..5 {
        let form = Form::adult(&format!("x{n}@mail.kz"), "791028302728", "+77771234567");
        let page = attacker.submit("/register", "/register", &form.fields()).await;
        assert_eq!((page.status, page.location().as_str()), (303, "/login"));
    }
    assert_eq!(settle(&sink, before + 1) - before, 1, "one mail for five attempts");
    app.clock().advance(chrono::Duration::hours(25));
    let form = Form::adult("late@mail.kz", "791028302728", "+77771234567");
    attacker.submit("/register", "/register", &form.fields()).await;
    assert_eq!(settle(&sink, before + 2) - before, 2, "and again the next day");
}

#[actix_web::test]
async fn a_manager_cannot_flood_an_address_with_invitations() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let (_admin, _school, manager) = zhol(&app).await;
    let mut told = Vec::new();
    for _ in 0..limits::MAILS_PER_RECIPIENT.max + 2 {
        let sent = manager
            .submit(
                "/school?lang=ru",
                "/school/invitations",
                &[("email", "ivan@mail.kz"), ("position", "instructor")],
            )
            .await;
        assert_eq!(sent.location(), "/school");
        told.push(manager.get("/school?lang=ru").await.texts(".flash").join(" "));
    }
    let invitations = settle(&sink, limits::MAILS_PER_RECIPIENT.max);
    assert_eq!(invitations, limits::MAILS_PER_RECIPIENT.max);
    assert!(told.last().unwrap().contains("уже было отправлено"), "{told:?}");
}

#[actix_web::test]
async fn the_sixth_guess_answers_alike_for_known_and_unknown_accounts_by_email_and_iin() {
    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "kk").await;
    let mut answers = Vec::new();
    for login in ["aliya@mail.kz", "nobody@mail.kz", "791028302728", "901123300258"] {
        let attacker = Visitor::new(&app);
        let mut statuses = Vec::new();
        for _ in 0..limits::SIGN_IN_FAILURES.max {
            statuses.push(sign_in(&attacker, login, "guess guess guess").await.status);
        }
        let sixth = sign_in(&attacker, login, "guess guess guess").await;
        statuses.push(sixth.status);
        assert_eq!(statuses, [422, 422, 422, 422, 422, 429], "{login}");
        // The time to come back differs by a minute at most; the words do not.
        let words: String = sixth.texts(".error-summary p").join(" ");
        answers.push(words.split_whitespace().take(4).collect::<Vec<_>>().join(" "));
    }
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
}

#[actix_web::test]
async fn reset_answers_alike_for_known_and_unknown_addresses() {
    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "ru").await;
    let known = forgot(&Visitor::new(&app), "aliya@mail.kz").await;
    let unknown = forgot(&Visitor::new(&app), "nobody@mail.kz").await;
    assert_eq!((known.status, unknown.status), (200, 200));
    assert_eq!(known.texts("main"), unknown.texts("main"));
}

#[actix_web::test]
async fn many_sign_ins_at_once_with_a_small_hashing_bound_get_localised_503s_and_no_500() {
    let app = TestApp::spawn_with(
        |c| {
            c.hash_workers = 1;
            c.hash_wait_ms = 1;
            c.db_pool_size = 10;
        },
        |_| {},
    )
    .await;
    // Different logins, so that the lock on one login's failures stays out of it; unknown
    // ones cost a password check all the same.
    let visitors: Vec<_> = (0..12).map(|_| Visitor::new(&app)).collect();
    let logins: Vec<String> = (0..12).map(|n| format!("n{n}@mail.kz")).collect();
    let attempts = visitors.iter().zip(&logins).map(|(v, login)| sign_in(v, login, PASSWORD));
    let pages = futures_util::future::join_all(attempts).await;
    let statuses: Vec<u16> = pages.iter().map(|p| p.status).collect();
    assert!(statuses.iter().all(|s| [422, 503].contains(s)), "{statuses:?}");
    assert!(statuses.contains(&422), "{statuses:?}");
    let busy = pages.iter().find(|p| p.status == 503).expect("some wait too long");
    assert!(busy.body.contains("lang=\"kk\""), "a page in the visitor's language");
    assert!(busy.texts("h1").join("").contains("қолжетімсіз"), "{:?}", busy.texts("h1"));
}

#[actix_web::test]
async fn one_address_gets_a_bounded_number_of_password_checks_even_when_they_succeed() {
    let app = TestApp::spawn().await;
    create_account(&mut app.db.conn(), app.keys(), "student", "a@mail.kz", "Ақын Әлия", PASSWORD)
        .unwrap();
    let visitor = Visitor::new(&app);
    for n in 0..limits::EXPENSIVE_PER_ADDRESS.max {
        assert_eq!(sign_in(&visitor, "a@mail.kz", PASSWORD).await.status, 303, "sign-in {n}");
    }
    assert_eq!(sign_in(&visitor, "a@mail.kz", PASSWORD).await.status, 429);
}

#[actix_web::test]
async fn bogus_invitation_tokens_are_refused_before_any_password_work_and_then_limited() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    visitor.get("/login").await;
    let mut statuses = Vec::new();
    for _ in 0..=limits::EXPENSIVE_PER_ADDRESS.max {
        let page = visitor
            .submit(
                "/login",
                "/invitations/accept",
                &[
                    ("token", "bogus"),
                    ("last_name", "Иванов"),
                    ("first_name", "Иван"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                ],
            )
            .await;
        statuses.push(page.status);
    }
    assert!(statuses[..statuses.len() - 1].iter().all(|s| *s == 410), "{statuses:?}");
    assert_eq!(statuses.last(), Some(&429));
}

#[actix_web::test]
async fn wrong_current_passwords_lock_the_password_change_for_a_while() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "ru").await;
    let change = |current: &'static str| {
        let visitor = &visitor;
        async move {
            let fields = [
                ("current", current),
                ("password", "жаңа құпиясөз 2027"),
                ("password_confirm", "жаңа құпиясөз 2027"),
            ];
            visitor.submit("/me/password?lang=ru", "/me/password", &fields).await
        }
    };
    for _ in 0..limits::PASSWORD_CHANGE_FAILURES.max {
        assert_eq!(change("not my password").await.status, 422);
    }
    let locked = change(PASSWORD).await;
    assert_eq!(locked.status, 429, "even the right one waits");
    assert!(locked.texts(".error-summary").join(" ").contains("15 минут"), "{}", locked.body);
    app.clock().advance(chrono::Duration::minutes(16));
    assert_eq!(change(PASSWORD).await.location(), "/me");
}

const WEAK: [&str; 4] = ["          ", "!!!!!!!!!!", "1111111111111", "ababababab"];

#[actix_web::test]
async fn easy_passwords_are_refused_with_a_hint_wherever_a_password_is_set() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let visitor = Visitor::new(&app);
    for weak in WEAK {
        let form = Form::aliya().set("password", weak).set("password_confirm", weak);
        let page = visitor.submit("/register?lang=ru", "/register", &form.fields()).await;
        assert_eq!(page.status, 422, "registration: {weak:?}");
        let hint = page.texts("#field-password .error-message").join(" ");
        assert!(hint.contains("легко подобрать"), "{weak:?}: {hint}");
    }
    register(&visitor, &Form::aliya(), "ru").await;
    for weak in WEAK {
        let fields = [("current", PASSWORD), ("password", weak), ("password_confirm", weak)];
        let page = visitor.submit("/me/password?lang=kk", "/me/password", &fields).await;
        assert_eq!(page.status, 422, "change: {weak:?}");
        assert!(page.texts(".error-summary").join(" ").contains("табу оңай"), "{}", page.body);
    }
    forgot(&Visitor::new(&app), "aliya@mail.kz").await;
    let mails = sink.wait_for(2);
    let reset = mails.iter().find(|m| m.text().contains("/password/reset?token=")).unwrap();
    let link = link_in(&reset.text(), &format!("{}/password/reset?token=", app.address));
    let token = link.split('=').nth(1).unwrap().to_string();
    let path = format!("/password/reset?token={token}");
    for weak in WEAK {
        let fields = [("token", token.as_str()), ("password", weak), ("password_confirm", weak)];
        let page = Visitor::new(&app).submit(&path, "/password/reset", &fields).await;
        assert_eq!(page.status, 422, "reset: {weak:?}");
    }
    assert_eq!(sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await.status, 303);
}

#[actix_web::test]
async fn easy_passwords_are_refused_when_an_invitation_is_accepted() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let (_admin, _school, manager) = zhol(&app).await;
    manager
        .submit(
            "/school",
            "/school/invitations",
            &[("email", "ivan@mail.kz"), ("position", "instructor")],
        )
        .await;
    let mail = sink.wait_for(1).into_iter().find(|m| m.to == ["ivan@mail.kz"]).unwrap();
    let link = link_in(&mail.text(), &format!("{}/invitations/accept?token=", app.address));
    let path = link.trim_start_matches(&app.address).to_string();
    let token = path.split('=').nth(1).unwrap().to_string();
    for weak in WEAK {
        let fields = [
            ("token", token.as_str()),
            ("last_name", "Иванов"),
            ("first_name", "Иван"),
            ("password", weak),
            ("password_confirm", weak),
        ];
        let page = Visitor::new(&app).submit(&path, "/invitations/accept", &fields).await;
        assert_eq!(page.status, 422, "{weak:?}");
    }
}

#[test]
fn the_operator_command_refuses_easy_passwords_too() {
    let db = crate::support::TestDb::new();
    let keys = avtomektep::crypto::KeyRing::generate();
    for weak in WEAK {
        let made = create_account(
            &mut db.conn(),
            &keys,
            "admin",
            "boss@avtomektep.kz",
            "Бастықов Бақыт",
            weak,
        );
        assert!(made.is_err(), "{weak:?}");
    }
}

#[actix_web::test]
async fn a_percent_sign_in_the_admin_search_finds_only_names_that_have_one() {
    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "kk").await;
    let boss = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    for query in ["%", "_", "\\"] {
        let page = boss.submit("/admin?lang=ru", "/admin/search", &[("q", query)]).await;
        assert_eq!(page.status, 200, "{query}");
        assert!(
            page.texts(".user-list strong").is_empty(),
            "{query}: {:?}",
            page.texts(".user-list strong")
        );
    }
}
