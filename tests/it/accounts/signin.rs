use super::{Form, PASSWORD, app_with_mail, register, sign_in};
use crate::support::smtp::SmtpSink;
use crate::support::{TestApp, Visitor};

#[actix_web::test]
async fn sign_in_works_with_the_email_or_the_iin_and_renews_the_session() {
    let app = TestApp::spawn().await;
    let owner = Visitor::new(&app);
    register(&owner, &Form::aliya(), "kk").await;
    for login in ["Aliya@Mail.kz", "7910 2830 2728"] {
        let visitor = Visitor::new(&app);
        visitor.get("/login").await;
        let before = visitor.get("/login").await.csrf_token();
        let done = sign_in(&visitor, login, PASSWORD).await;
        assert_eq!((done.status, done.location().as_str()), (303, "/me"), "{login}: {}", done.body);
        let me = visitor.get("/me").await;
        assert_eq!(me.status, 200);
        assert_ne!(me.csrf_token(), before, "a new session (and token) after sign-in");
        assert_eq!(me.attrs(".account-nav a[href='/me']", "href").len(), 1);
    }
}

#[actix_web::test]
async fn wrong_details_get_one_generic_answer() {
    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "kk").await;
    let visitor = Visitor::new(&app);
    let wrong_password = sign_in(&visitor, "aliya@mail.kz", "not the password").await;
    let unknown = sign_in(&visitor, "nobody@mail.kz", PASSWORD).await;
    let nonsense = sign_in(&visitor, "???", PASSWORD).await;
    for page in [&wrong_password, &unknown, &nonsense] {
        assert_eq!(page.status, 422);
        assert_eq!(page.texts(".error-summary p"), ["Логин немесе құпиясөз дұрыс емес."]);
    }
    assert_eq!(wrong_password.attrs("input[name=login]", "value"), ["aliya@mail.kz"]);
    assert_eq!(visitor.get("/me").await.status, 303, "not signed in");
}

#[actix_web::test]
async fn five_failures_lock_the_account_for_a_while_and_tell_the_owner() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    register(&Visitor::new(&app), &Form::aliya(), "ru").await;
    let attacker = Visitor::new(&app);
    for _ in 0..5 {
        assert_eq!(sign_in(&attacker, "aliya@mail.kz", "guess guess guess").await.status, 422);
    }
    let locked = sign_in(&attacker, "aliya@mail.kz", PASSWORD).await;
    assert_eq!(locked.status, 429, "even the right password waits");
    assert!(
        locked.texts(".error-summary p")[0].contains(':'),
        "says when: {:?}",
        locked.texts(".error-summary p")
    );
    let mails = sink.wait_for(2);
    let warning =
        mails.iter().find(|m| m.subject().contains("приостановлен")).expect("the owner is told");
    assert_eq!(warning.to, ["aliya@mail.kz"]);
    let other = Visitor::new(&app);
    register(&other, &Form::adult("baur@mail.kz", "901123300258", "+77771234567"), "ru").await;
    assert_eq!(
        sign_in(&Visitor::new(&app), "baur@mail.kz", PASSWORD).await.status,
        303,
        "others are not locked"
    );
}

#[actix_web::test]
async fn a_burst_of_parallel_guesses_gets_no_more_password_checks_than_the_limit() {
    use avtomektep::db::schema::sign_ins;
    use diesel::prelude::*;

    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "kk").await;
    let attackers: Vec<_> = (0..12).map(|_| Visitor::new(&app)).collect();
    let guesses =
        attackers.iter().map(|attacker| sign_in(attacker, "aliya@mail.kz", "guess guess guess"));
    let mut statuses: Vec<u16> =
        futures_util::future::join_all(guesses).await.iter().map(|page| page.status).collect();
    statuses.sort();
    assert_eq!(statuses, [[422; 5].as_slice(), &[429; 7]].concat());
    let recorded: i64 = sign_ins::table
        .filter(sign_ins::success.eq(false))
        .count()
        .get_result(&mut app.db.conn())
        .unwrap();
    assert_eq!(recorded, 5, "only the checked guesses are history");
    let owner = sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await;
    assert_eq!(owner.status, 429, "the account waits out the window");
}

#[actix_web::test]
async fn pages_that_need_a_user_send_to_sign_in_and_back() {
    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "kk").await;
    let visitor = Visitor::new(&app);
    let page = visitor.get("/me/sessions").await;
    assert_eq!((page.status, page.location().as_str()), (303, "/login?next=%2Fme%2Fsessions"));
    let login = visitor.get(&page.location()).await;
    assert_eq!(login.attrs("input[name=next]", "value"), ["/me/sessions"]);
    let token = login.csrf_token();
    let done = visitor
        .post(
            "/login",
            &[
                ("csrf_token", &token),
                ("login", "aliya@mail.kz"),
                ("password", super::PASSWORD),
                ("next", "/me/sessions"),
            ],
        )
        .await;
    assert_eq!(done.location(), "/me/sessions");
    let evil = visitor
        .submit(
            "/login",
            "/login",
            &[("login", "aliya@mail.kz"), ("password", super::PASSWORD), ("next", "//evil.kz")],
        )
        .await;
    assert_eq!(evil.location(), "/", "never sent to another site");
}

#[actix_web::test]
async fn signing_out_ends_the_session() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "kk").await;
    assert_eq!(visitor.get("/me").await.status, 200);
    let out = visitor.submit("/me", "/logout", &[]).await;
    assert_eq!(out.location(), "/");
    assert_eq!(visitor.get("/me").await.status, 303);
}
