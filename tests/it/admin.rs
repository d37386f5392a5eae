use avtomektep::accounts::operator::create_account;

use crate::accounts::{Form, PASSWORD, register, sign_in};
use crate::support::{TestApp, Visitor};

async fn admin<'a>(app: &'a TestApp) -> Visitor<'a> {
    create_account(
        &mut app.db.conn(),
        app.keys(),
        "admin",
        "boss@avtomektep.kz",
        "Бастықов Бақыт",
        PASSWORD,
    )
    .unwrap();
    let visitor = Visitor::new(app);
    sign_in(&visitor, "boss@avtomektep.kz", PASSWORD).await;
    visitor
}

#[actix_web::test]
async fn admins_find_accounts_by_name_email_phone_or_iin() {
    let app = TestApp::spawn().await;
    register(&Visitor::new(&app), &Form::aliya(), "kk").await;
    let other =
        Form::adult("baur@mail.kz", "901123300258", "+77771234567").set("last_name", "Оспанов");
    register(&Visitor::new(&app), &other, "kk").await;
    let boss = admin(&app).await;
    for query in ["aliya@mail.kz", "7910 2830 2728", "8 701 123 45 67", "сейіт", "Әлия Сейітқали"]
    {
        let page = boss.submit("/admin?lang=ru", "/admin/search", &[("q", query)]).await;
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(page.texts(".user-list strong"), ["Сейітқали Әлия"], "{query}");
    }
    let page = boss.submit("/admin?lang=ru", "/admin/search", &[("q", "mail")]).await;
    assert!(
        page.texts(".user-list strong").is_empty(),
        "parts of an email find nothing: no clear emails to search"
    );
    let page = boss.submit("/admin?lang=ru", "/admin/search", &[("q", "")]).await;
    assert_eq!(page.texts("h2")[0], "Найдено 3 пользователя");
}

#[actix_web::test]
async fn a_blocked_account_is_signed_out_everywhere_and_cannot_sign_in_until_unblocked() {
    let app = TestApp::spawn().await;
    let student = Visitor::new(&app);
    register(&student, &Form::aliya(), "ru").await;
    let id = app.user_id("aliya@mail.kz");
    let boss = admin(&app).await;
    let page =
        boss.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/block"), &[]).await;
    assert_eq!(page.location(), format!("/admin/users/{id}"));
    assert_eq!(student.get("/me").await.status, 303, "signed out at once");
    let refused = sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await;
    assert_eq!(refused.status, 403);
    assert!(refused.texts(".error-summary p")[0].contains("бұғатталған"));
    boss.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/unblock"), &[]).await;
    assert_eq!(sign_in(&Visitor::new(&app), "aliya@mail.kz", PASSWORD).await.status, 303);
    let detail = boss.get(&format!("/admin/users/{id}?lang=ru")).await;
    let history = detail.texts(".history li").join(" | ");
    assert!(history.contains("успешно"), "admins see sign-ins: {history}");
}

#[actix_web::test]
async fn an_admin_records_a_guardian_consent_checked_in_person() {
    let app = TestApp::spawn().await;
    let form = Form::minor_with_guardian();
    let student = Visitor::new(&app);
    register(&student, &form, "ru").await;
    let id = app.user_id("arman@mail.kz");
    let boss = admin(&app).await;
    let detail = boss.get(&format!("/admin/users/{id}")).await;
    assert_eq!(
        detail.attrs(&format!("form[action='/admin/users/{id}/guardian']"), "method").len(),
        1
    );
    boss.submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/guardian"), &[]).await;
    let me = student.get("/me").await;
    assert!(
        me.texts(".badge-warn").iter().all(|b| !b.contains("законного")),
        "{:?}",
        me.texts(".badge-warn")
    );
    let again = boss
        .submit(&format!("/admin/users/{id}"), &format!("/admin/users/{id}/guardian"), &[])
        .await;
    assert_eq!(again.status, 404, "recorded once");
}

#[actix_web::test]
async fn an_admin_cannot_block_themselves() {
    let app = TestApp::spawn().await;
    let boss = admin(&app).await;
    let id = app.user_id("boss@avtomektep.kz");
    let page = boss.submit("/admin", &format!("/admin/users/{id}/block"), &[]).await;
    assert_eq!(page.status, 403);
}
