use super::{Form, PASSWORD, app_with_mail, link_in, register, sign_in};
use crate::support::Visitor;
use crate::support::smtp::SmtpSink;

#[actix_web::test]
async fn a_reset_link_sets_a_new_password_once_and_ends_every_session() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let phone = Visitor::new(&app);
    register(&phone, &Form::aliya(), "ru").await;
    sink.wait_for(1);

    let stranger = Visitor::new(&app);
    let unknown = stranger
        .submit("/password/forgot", "/password/forgot", &[("email", "nobody@mail.kz")])
        .await;
    let known = stranger
        .submit("/password/forgot", "/password/forgot", &[("email", "aliya@mail.kz")])
        .await;
    assert_eq!(unknown.texts("h1"), known.texts("h1"), "no hint whether an account exists");
    let mails = sink.wait_for(2);
    assert_eq!(mails.len(), 2, "one mail, to the real account only");
    let link = link_in(&mails[1].text(), &format!("{}/password/reset?token=", app.address));
    let path = link.trim_start_matches(&app.address).to_string();
    let token = path.split('=').nth(1).unwrap().to_string();

    let weak = stranger
        .submit(
            &path,
            "/password/reset",
            &[("token", &token), ("password", "1234567890"), ("password_confirm", "1234567890")],
        )
        .await;
    assert_eq!(weak.status, 422);
    let new_password = "көк аспан астында 7";
    let done = stranger
        .submit(
            &path,
            "/password/reset",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(phone.get("/me").await.status, 303, "the old session ended");
    assert_eq!(sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await.status, 422);
    assert_eq!(sign_in(&Visitor::new(&app), "aliya@mail.kz", new_password).await.status, 303);
    let reuse = stranger
        .submit(
            "/password/forgot",
            "/password/reset",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await;
    assert_eq!(reuse.status, 410);
}

#[actix_web::test]
async fn changing_the_password_ends_the_other_sessions_and_keeps_this_one() {
    let app = crate::support::TestApp::spawn().await;
    let phone = Visitor::new(&app);
    register(&phone, &Form::aliya(), "ru").await;
    let laptop = Visitor::new(&app);
    sign_in(&laptop, "aliya@mail.kz", PASSWORD).await;
    let new_password = "көк аспан астында 7";
    let wrong = phone
        .submit(
            "/me/password",
            "/me/password",
            &[
                ("current", "not it at all"),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.texts(".error-summary p"), ["Текущий пароль неверен."]);
    let done = phone
        .submit(
            "/me/password",
            "/me/password",
            &[
                ("current", PASSWORD),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(done.location(), "/me");
    assert_eq!(phone.get("/me").await.status, 200, "this device stays signed in");
    assert_eq!(laptop.get("/me").await.status, 303, "the other device is signed out");
    assert_eq!(sign_in(&Visitor::new(&app), "aliya@mail.kz", new_password).await.status, 303);
}

#[actix_web::test]
async fn a_reset_link_works_for_an_hour_and_not_after() {
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    register(&Visitor::new(&app), &Form::aliya(), "ru").await;
    sink.wait_for(1);
    let visitor = Visitor::new(&app);
    let reset_link = |n: usize| {
        let mails = sink.wait_for(n);
        let link = link_in(&mails[n - 1].text(), &format!("{}/password/reset?token=", app.address));
        link.trim_start_matches(&app.address).to_string()
    };
    let ask = || {
        visitor.submit(
            "/password/forgot?lang=ru",
            "/password/forgot",
            &[("email", "aliya@mail.kz")],
        )
    };
    ask().await;
    let late = reset_link(2);
    app.clock().advance(chrono::Duration::minutes(61));
    assert_eq!(reset(&app, &late).await, 410, "an hour later the link is spent");
    assert_eq!(
        sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await.status,
        303,
        "the password is unchanged"
    );

    ask().await;
    let fresh = reset_link(3);
    app.clock().advance(chrono::Duration::minutes(59));
    assert_eq!(reset(&app, &fresh).await, 200, "within the hour it works");
}

/// Sets a new password through a reset link's page; the answer's status.
async fn reset(app: &crate::support::TestApp, path: &str) -> u16 {
    let new_password = "көк аспан астында 7";
    let token = path.split('=').nth(1).unwrap().to_string();
    // The form's token comes from the request page: an expired link shows no form.
    Visitor::new(app)
        .submit(
            "/password/forgot",
            "/password/reset",
            &[("token", &token), ("password", new_password), ("password_confirm", new_password)],
        )
        .await
        .status
}
