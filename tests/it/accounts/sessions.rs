use avtomektep::db::schema::sign_ins;
use diesel::prelude::*;

use super::{Form, PASSWORD, register, sign_in};
use crate::support::dates;
use crate::support::{TestApp, Visitor};

#[actix_web::test]
async fn devices_are_listed_and_can_be_signed_out() {
    let app = TestApp::spawn().await;
    let phone = Visitor::new(&app);
    register(&phone, &Form::aliya(), "ru").await;
    let mut laptop = Visitor::new(&app);
    laptop.user_agent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                         Chrome/120.0.0.0 Safari/537.36"
            .into();
    sign_in(&laptop, "aliya@mail.kz", PASSWORD).await;
    let tablet = Visitor::new(&app);
    sign_in(&tablet, "791028302728", PASSWORD).await;

    let list = phone.get("/me/sessions").await;
    assert_eq!(list.status, 200);
    let devices = list.texts(".devices li strong");
    assert_eq!(devices.len(), 3, "{devices:?}");
    assert!(devices.iter().any(|d| d.contains("SM-A515F")), "{devices:?}");
    assert!(devices.iter().any(|d| d.contains("Windows")), "{devices:?}");
    assert_eq!(list.texts(".devices .badge"), ["это устройство"]);

    let laptop_form = list.attrs(".devices form", "action");
    assert_eq!(laptop_form.len(), 2, "every other device can be ended");
    let ended = phone.submit("/me/sessions", &laptop_form[0], &[]).await;
    assert_eq!(ended.location(), "/me/sessions");
    assert_eq!(phone.get("/me/sessions").await.texts(".devices li").len(), 2);

    phone.submit("/me/sessions", "/me/sessions/others/revoke", &[]).await;
    assert_eq!(phone.get("/me/sessions").await.texts(".devices li").len(), 1);
    assert_eq!(laptop.get("/me").await.status, 303, "the laptop is signed out");
    assert_eq!(tablet.get("/me").await.status, 303, "the tablet is signed out");
    assert_eq!(phone.get("/me").await.status, 200, "this device stays");
}

#[actix_web::test]
async fn nobody_can_end_someone_elses_session_by_guessing_its_id() {
    let app = TestApp::spawn().await;
    let aliya = Visitor::new(&app);
    register(&aliya, &Form::aliya(), "ru").await;
    let other_device = Visitor::new(&app);
    sign_in(&other_device, "aliya@mail.kz", PASSWORD).await;
    let target = aliya.get("/me/sessions").await.attrs(".devices form", "action").remove(0);
    let baur = Visitor::new(&app);
    register(&baur, &Form::adult("baur@mail.kz", "901123300258", "+77771234567"), "ru").await;
    let page = baur.submit("/me", &target, &[]).await;
    assert_eq!(page.status, 404);
    assert_eq!(other_device.get("/me").await.status, 200, "still signed in");
}

#[actix_web::test]
async fn the_sign_in_history_shows_successes_and_failures_with_the_device() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "ru").await;
    sign_in(&Visitor::new(&app), "aliya@mail.kz", "wrong password!").await;
    sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await;
    let me = visitor.get("/me").await;
    // Newest first: the one just now, the failure, and the sign-in after registering.
    let history = me.texts(".history li");
    assert_eq!(history.len(), 3, "{history:?}");
    assert!(history[0].contains("успешно") && history[1].contains("неудачно"), "{history:?}");
    assert!(history[0].contains("SM-A515F") && history[0].contains("127.0.0.1"), "{history:?}");
    let stored: i64 = sign_ins::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(stored, 3);
}

#[actix_web::test]
async fn a_session_opened_with_a_password_since_replaced_ends() {
    use avtomektep::db::schema::users;

    let app = TestApp::spawn().await;
    let registered = Visitor::new(&app);
    register(&registered, &Form::aliya(), "ru").await;
    let other = Visitor::new(&app);
    sign_in(&other, "aliya@mail.kz", PASSWORD).await;
    assert_eq!(other.get("/me").await.status, 200);
    // As if a reset replaced the password while this sign-in was still checking the old one:
    // its session was stored after the reset revoked the others.
    diesel::update(users::table)
        .set(users::password_hash.eq(avtomektep::domain::password::DUMMY_HASH.clone()))
        .execute(&mut app.db.conn())
        .unwrap();
    for visitor in [&other, &registered] {
        let me = visitor.get("/me").await;
        assert_eq!(me.status, 303);
        assert!(me.location().starts_with("/login"), "{}", me.location());
    }
}

#[actix_web::test]
async fn anonymous_visitors_store_no_session_even_with_forms_and_refusals() {
    use avtomektep::db::schema::sessions;
    let app = TestApp::spawn().await;
    let stored = || sessions::table.count().get_result::<i64>(&mut app.db.conn()).unwrap();
    let visitor = Visitor::new(&app);
    for path in ["/", "/privacy", "/privacy/versions", "/missing", "/login", "/register"] {
        visitor.get(path).await;
    }
    for _ in 0..20 {
        Visitor::new(&app).get("/login").await;
    }
    // A refused sign-in leaves a one-time message and a form again: still nothing stored.
    sign_in(&visitor, "nobody@mail.kz", "wrong password!").await;
    assert_eq!(stored(), 0, "anonymous state travels in the cookie");

    register(&visitor, &Form::aliya(), "ru").await;
    assert_eq!(visitor.get("/me").await.status, 200, "the anonymous CSRF token carried the form");
    assert_eq!(stored(), 1, "a signed-in session is a row, to be listed and revoked");
}

#[actix_web::test]
async fn each_page_masks_the_csrf_token_afresh_and_every_mask_is_accepted() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "ru").await;
    let (first, second) = (visitor.get("/me/sessions").await, visitor.get("/me/sessions").await);
    let (a, b) = (first.csrf_token(), second.csrf_token());
    assert_ne!(a, b, "no fixed secret beside reflected input in compressed pages");
    let other = Visitor::new(&app);
    sign_in(&other, "aliya@mail.kz", PASSWORD).await;
    // The older page's token still works after a newer page was shown.
    let res = visitor.post("/me/sessions/others/revoke", &[("csrf_token", a.as_str())]).await;
    assert_eq!(res.status, 303);
    assert_eq!(other.get("/me").await.status, 303, "the other device was signed out");
}

#[actix_web::test]
async fn ended_sessions_are_purged() {
    use avtomektep::db::schema::sessions;
    use chrono::Duration;
    let app = TestApp::spawn().await;
    let (ended, live) = (Visitor::new(&app), Visitor::new(&app));
    register(&ended, &Form::aliya(), "ru").await;
    diesel::update(sessions::table)
        .set(sessions::idle_expires_at.eq(dates::now() - Duration::seconds(1)))
        .execute(&mut app.db.conn())
        .unwrap();
    sign_in(&live, "aliya@mail.kz", PASSWORD).await;
    let purged = avtomektep::web::session::purge_ended(&mut app.db.conn(), app.now()).unwrap();
    assert_eq!(purged, 1);
    assert_eq!(live.get("/me").await.status, 200);
    let left: i64 = sessions::table.count().get_result(&mut app.db.conn()).unwrap();
    assert_eq!(left, 1);
}

#[actix_web::test]
async fn sessions_end_after_thirty_idle_minutes_and_twelve_hours_in_all() {
    use avtomektep::db::schema::sessions;
    use chrono::{Duration, Utc};
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "ru").await;
    let (idle, absolute): (chrono::DateTime<Utc>, chrono::DateTime<Utc>) = sessions::table
        .filter(sessions::user_id.is_not_null())
        .select((sessions::idle_expires_at, sessions::absolute_expires_at))
        .first(&mut app.db.conn())
        .unwrap();
    let now = dates::now();
    assert!((idle - now - Duration::minutes(30)).num_seconds().abs() < 60, "idle: {idle}");
    assert!(
        (absolute - now - Duration::hours(12)).num_seconds().abs() < 60,
        "absolute: {absolute}"
    );

    assert_eq!(visitor.get("/me").await.status, 200);
    diesel::update(sessions::table)
        .set(sessions::absolute_expires_at.eq(dates::now() - Duration::seconds(1)))
        .execute(&mut app.db.conn())
        .unwrap();
    assert_eq!(visitor.get("/me").await.status, 303, "twelve hours are up");

    sign_in(&visitor, "aliya@mail.kz", PASSWORD).await;
    assert_eq!(visitor.get("/me").await.status, 200);
    diesel::update(sessions::table.filter(sessions::user_id.is_not_null()))
        .set(sessions::idle_expires_at.eq(dates::now() - Duration::seconds(1)))
        .execute(&mut app.db.conn())
        .unwrap();
    assert_eq!(visitor.get("/me").await.status, 303, "idle for too long");
}

#[actix_web::test]
async fn every_account_action_is_in_the_audit_trail_without_personal_data() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "ru").await;
    sign_in(&Visitor::new(&app), "aliya@mail.kz", "wrong password!").await;
    let other = Visitor::new(&app);
    sign_in(&other, "aliya@mail.kz", PASSWORD).await;
    visitor.submit("/me/sessions", "/me/sessions/others/revoke", &[]).await;
    visitor.submit("/me", "/logout", &[]).await;
    let events = avtomektep::audit::recent(&mut app.db.conn(), 50).unwrap();
    let actions: Vec<&str> = events.iter().rev().map(|e| e.action.as_str()).collect();
    for expected in [
        "account.registered",
        "account.sign_in_failed",
        "account.signed_in",
        "session.revoked_others",
        "account.signed_out",
    ] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    let text =
        serde_json::to_string(&events.iter().map(|e| &e.details).collect::<Vec<_>>()).unwrap();
    for secret in ["aliya@mail.kz", "791028302728", "77011234567", "Сейітқали"] {
        assert!(!text.contains(secret), "{secret} in the audit details");
    }
}

#[actix_web::test]
async fn use_keeps_a_session_alive_with_one_write_a_minute_at_most() {
    use avtomektep::db::schema::sessions;
    use chrono::{DateTime, Duration, Utc};
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    register(&visitor, &Form::aliya(), "ru").await;
    let stamp = || -> DateTime<Utc> {
        sessions::table
            .filter(sessions::user_id.is_not_null())
            .select(sessions::last_seen_at)
            .first(&mut app.db.conn())
            .unwrap()
    };
    let first = stamp();
    for _ in 0..5 {
        assert_eq!(visitor.get("/me").await.status, 200);
    }
    assert_eq!(stamp(), first, "pages within a minute write nothing");
    // A person who reads a page every 20 minutes stays signed in for an hour and more: each
    // visit after the first minute restarts the 30 idle minutes.
    for _ in 0..4 {
        app.clock().advance(Duration::minutes(20));
        assert_eq!(visitor.get("/me").await.status, 200, "still signed in");
    }
    assert!(stamp() > first + Duration::minutes(79), "the idle clock was restarted");
    app.clock().advance(Duration::minutes(31));
    assert_eq!(visitor.get("/me").await.status, 303, "31 idle minutes end it");
}
