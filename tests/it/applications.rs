//! A school's representative applies, an administrator approves or rejects; managers keep
//! their school's branches.

use avtomektep::db::schema::{audit_events, schools, users};
use diesel::prelude::*;

use crate::schools::{manager_of, school, signed_in, student};
use crate::support::{Page, TestApp, Visitor};

const BIN: &str = "171140900016";

fn fields(bin: &str) -> Vec<(&'static str, String)> {
    vec![
        ("bin", bin.to_string()),
        ("name_kk", "Дала автомектебі".into()),
        ("name_ru", "Автошкола Дала".into()),
        ("city", "Қарағанды".into()),
        ("address", "Бұқар жырау 10".into()),
        ("licence_number", "KZ-777".into()),
        ("phone", "+7 721 200 00 00".into()),
        ("email", "info@dala.kz".into()),
    ]
}

async fn file(visitor: &Visitor<'_>, fields: &[(&'static str, String)]) -> Page {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    visitor.submit("/schools/apply?lang=ru", "/schools/apply", &fields).await
}

/// (id, status) of the school with this BIN.
fn stored(app: &TestApp, bin: &str) -> Option<(String, String)> {
    schools::table
        .filter(schools::bin.eq(bin))
        .select((schools::id, schools::status))
        .first::<(uuid::Uuid, String)>(&mut app.db.conn())
        .optional()
        .unwrap()
        .map(|(id, status)| (id.to_string(), status))
}

fn audited(app: &TestApp, action: &str, school: &str) -> Vec<serde_json::Value> {
    audit_events::table
        .filter(audit_events::action.eq(action))
        .filter(audit_events::subject_id.eq(school))
        .select(audit_events::details)
        .load(&mut app.db.conn())
        .unwrap()
}

/// A message id shows instead of its text when a language lacks it.
fn assert_localised(page: &Page) {
    let texts = page.texts("html");
    assert!(texts.concat().contains("Avtomektep"), "a whole page");
    for text in texts {
        for word in text.split_whitespace() {
            let word = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            let parts: Vec<&str> = word.split('-').collect();
            let id_like = parts.len() > 1
                && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase()));
            assert!(!id_like, "message id {word:?} shown on the page");
        }
    }
}

async fn assert_both_languages(visitor: &Visitor<'_>, path: &str) {
    for lang in ["kk", "ru"] {
        let sep = if path.contains('?') { '&' } else { '?' };
        let page = visitor.get(&format!("{path}{sep}lang={lang}")).await;
        assert_eq!(page.status, 200, "{path} in {lang}");
        assert_localised(&page);
    }
}

#[actix_web::test]
async fn an_approved_applicant_becomes_the_listed_schools_manager() {
    let sink = crate::support::smtp::SmtpSink::start();
    let app = crate::accounts::app_with_mail(&sink).await;
    let rep = signed_in(&app, "student", "rep@dala.kz").await;
    assert_both_languages(&rep, "/schools/apply").await;
    let sent = file(&rep, &fields(BIN)).await;
    assert_eq!(sent.location(), "/schools/apply", "{}", sent.body);
    let after = rep.get("/schools/apply?lang=ru").await;
    assert!(after.texts(".flash")[0].contains("Заявка отправлена"));
    assert!(after.texts(".notice")[0].contains("на рассмотрении"));
    assert_eq!(after.attrs("form[action='/schools/apply']", "action").len(), 0);
    assert_eq!(file(&rep, &fields("970240000890")).await.status, 403, "one at a time");

    let (id, status) = stored(&app, BIN).unwrap();
    assert_eq!(status, "pending");
    let public = Visitor::new(&app);
    assert!(public.get("/schools").await.texts(".user-list strong").is_empty());
    assert_eq!(public.get(&format!("/schools/{id}")).await.status, 404);
    assert_eq!(audited(&app, "school.applied", &id).len(), 1);

    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    assert!(
        admin
            .get("/admin?lang=ru")
            .await
            .attrs("a[href='/admin/schools/applications']", "href")
            .len()
            == 1
    );
    assert_both_languages(&admin, "/admin/schools/applications").await;
    let list = admin.get("/admin/schools/applications?lang=ru").await;
    assert_eq!(list.texts(".applications h2"), ["Автошкола Дала"]);
    assert_eq!(list.texts(".applications .bin"), [BIN]);
    assert_eq!(list.texts(".applications .applicant"), ["Тестов Тест"]);

    let approve = format!("/admin/schools/{id}/approve");
    assert_eq!(rep.submit("/me", &approve, &[]).await.status, 403);
    let school_link = ".account-nav a[href='/school']";
    assert!(rep.get("/me").await.texts(school_link).is_empty());
    let moderator = signed_in(&app, "moderator", "mod@avtomektep.kz").await;
    assert_eq!(moderator.submit("/me", &approve, &[]).await.status, 403);
    assert_eq!(stored(&app, BIN).unwrap().1, "pending");

    // The applicant reads Russian; the administrator works in Kazakh.
    diesel::update(
        users::table
            .filter(users::id.eq(app.user_id("rep@dala.kz").parse::<uuid::Uuid>().unwrap())),
    )
    .set(users::lang.eq("ru"))
    .execute(&mut app.db.conn())
    .unwrap();
    let done = admin.submit("/admin/schools/applications?lang=kk", &approve, &[]).await;
    assert_eq!(done.location(), "/admin/schools/applications");
    let list = admin.get("/admin/schools/applications?lang=kk").await;
    assert!(list.texts(".flash")[0].contains("мақұлданды"));
    assert!(list.texts(".applications h2").is_empty());
    let mail = sink
        .wait_for(1)
        .into_iter()
        .find(|m| m.to == ["rep@dala.kz"])
        .expect("the applicant is told");
    assert_eq!(mail.subject(), "Автошкола зарегистрирована");
    assert!(mail.text().contains("«Автошкола Дала»"), "{}", mail.text());
    assert!(mail.text().contains(&format!("{}/school", app.address)));

    assert_eq!(stored(&app, BIN).unwrap().1, "approved");
    assert_eq!(public.get("/schools?lang=ru").await.texts(".user-list strong"), ["Автошкола Дала"]);
    assert_eq!(public.get(&format!("/schools/{id}")).await.status, 200);
    let dashboard = rep.get("/school?lang=ru").await;
    assert_eq!(dashboard.status, 200, "the applicant now manages the school");
    assert_eq!(dashboard.texts("h1"), ["Автошкола Дала"]);
    assert_eq!(
        dashboard.texts(school_link),
        ["Автошкола"],
        "the header follows the new role without signing in again"
    );
    assert_eq!(dashboard.attrs("a[href='/school/branches']", "href").len(), 1);
    assert_eq!(
        audited(&app, "school.approved", &id),
        [serde_json::json!({ "manager": app.user_id("rep@dala.kz") })]
    );
    let again = admin.submit("/admin/schools/applications", &approve, &[]).await;
    assert_eq!(again.status, 303);
    assert_eq!(audited(&app, "school.approved", &id).len(), 1, "decided once");
    assert_eq!(
        rep.get("/schools/apply?lang=ru").await.texts(".notice").len(),
        1,
        "staff of a school do not apply"
    );
}

#[actix_web::test]
async fn a_rejection_needs_a_reason_which_is_mailed_and_the_bin_may_be_filed_again() {
    let sink = crate::support::smtp::SmtpSink::start();
    let app = crate::accounts::app_with_mail(&sink).await;
    let rep = signed_in(&app, "student", "rep@dala.kz").await;
    assert_eq!(file(&rep, &fields(BIN)).await.status, 303);
    let (id, _) = stored(&app, BIN).unwrap();
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let reject = format!("/admin/schools/{id}/reject");
    let list = "/admin/schools/applications?lang=ru";
    assert_eq!(rep.submit("/me", &reject, &[("reason", "x")]).await.status, 403);
    admin.submit(list, &reject, &[("reason", "  ")]).await;
    assert!(admin.get(list).await.texts(".flash")[0].contains("причину"));
    assert_eq!(stored(&app, BIN).unwrap().1, "pending");

    let reason = "Лицензия нөмірі тізілімде жоқ";
    let done = admin.submit(list, &reject, &[("reason", reason)]).await;
    assert_eq!(done.location(), "/admin/schools/applications");
    assert_eq!(stored(&app, BIN).unwrap().1, "rejected");
    let mail = sink
        .wait_for(1)
        .into_iter()
        .find(|m| m.to == ["rep@dala.kz"])
        .expect("the applicant is told");
    assert_eq!(mail.subject(), "Автомектепті тіркеу өтінімі қабылданбады");
    assert!(mail.text().contains(reason), "{}", mail.text());
    assert_eq!(
        audited(&app, "school.rejected", &id),
        [serde_json::json!({ "with_reason": true })],
        "the reason stays out of the audit trail"
    );
    assert_eq!(Visitor::new(&app).get(&format!("/schools/{id}")).await.status, 404);
    assert_eq!(rep.get("/school").await.status, 403);

    assert_eq!(file(&rep, &fields(BIN)).await.status, 303, "filed again");
    assert_eq!(stored(&app, BIN).unwrap(), (id, "pending".to_string()));
}

#[actix_web::test]
async fn bad_input_is_refused_with_a_localised_message_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let rep = signed_in(&app, "student", "rep@dala.kz").await;
    let mut bad = fields("171140900017");
    let page = file(&rep, &bad).await;
    assert_eq!(page.status, 422);
    assert!(page.texts("#field-bin .error-message")[0].contains("контрольная цифра"));
    assert_eq!(page.attrs("#name_ru", "value"), ["Автошкола Дала"], "values kept");
    assert_localised(&page);
    assert_eq!(stored(&app, "171140900017"), None);

    bad[0].1 = BIN.into();
    bad[5].1 = " ".into();
    let page = file(&rep, &bad).await;
    assert_eq!(page.status, 422);
    assert_eq!(page.texts("#field-licence_number .error-message").len(), 1);
    bad[5].1 = "KZ-1".into();
    bad[7].1 = "not-an-email".into();
    assert_eq!(file(&rep, &bad).await.status, 422);
    assert_eq!(stored(&app, BIN), None);

    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    school(&admin, BIN, "Жол").await;
    let page = file(&rep, &fields(BIN)).await;
    assert_eq!(page.status, 422);
    assert!(
        page.texts("#field-bin .error-message")[0].contains("уже есть"),
        "{:?}",
        page.texts(".error-message")
    );
    assert_eq!(stored(&app, BIN).unwrap().1, "approved", "the listed school is untouched");

    let unverified = student(&app, 1, false).await;
    assert!(
        unverified.get("/schools/apply?lang=ru").await.texts(".notice")[0].contains("подтвердите")
    );
    assert_eq!(file(&unverified, &fields("970240000890")).await.status, 403);
    assert!(admin.get("/schools/apply").await.texts(".notice").len() == 1);
    assert_eq!(file(&admin, &fields("970240000890")).await.status, 403);
    assert_eq!(stored(&app, "970240000890"), None);
    assert_eq!(Visitor::new(&app).get("/schools/apply").await.status, 303, "sign in first");
}

#[actix_web::test]
async fn managers_keep_their_own_schools_branches_only() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let a = school(&admin, "940140000385", "Жол").await;
    let b = school(&admin, "990940003030", "Рөл").await;
    let manager_a = manager_of(&app, &admin, &a, "manager@zhol.kz").await;
    let manager_b = manager_of(&app, &admin, &b, "manager@rol.kz").await;
    assert_both_languages(&manager_a, "/school/branches").await;

    let empty = manager_a
        .submit("/school/branches", "/school/branches", &[("city", " "), ("address", "Абай 5")])
        .await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.texts("#field-city .error-message").len(), 1);
    assert_eq!(empty.attrs("#address", "value"), ["Абай 5"]);
    assert_localised(&empty);
    let added = manager_a
        .submit(
            "/school/branches",
            "/school/branches",
            &[("city", "Алматы"), ("address", "Абай  5")],
        )
        .await;
    assert_eq!(added.location(), "/school/branches");
    let page = manager_a.get("/school/branches?lang=ru").await;
    assert!(page.texts(".flash")[0].contains("добавлен"));
    assert_eq!(page.texts(".branches strong"), ["Алматы"]);
    assert_eq!(
        Visitor::new(&app).get(&format!("/schools/{a}?lang=ru")).await.texts("ul.branches li"),
        ["Алматы, Абай 5"]
    );
    let delete = page.attrs(".branches form", "action").remove(0);
    let branch =
        delete.trim_start_matches("/school/branches/").trim_end_matches("/delete").to_string();
    assert_eq!(audited(&app, "school.branch_added", &a), [serde_json::json!({ "branch": branch })]);

    assert_eq!(manager_b.submit("/school/branches", &delete, &[]).await.status, 404);
    assert!(manager_b.get("/school/branches").await.texts(".branches strong").is_empty());
    let student = student(&app, 1, true).await;
    assert_eq!(student.get("/school/branches").await.status, 403);
    let instructor = signed_in(&app, "instructor", "erlan@zhol.kz").await;
    admin
        .submit(
            &format!("/schools/{a}"),
            &format!("/admin/schools/{a}/staff"),
            &[("email", "erlan@zhol.kz"), ("position", "instructor")],
        )
        .await;
    assert_eq!(instructor.submit("/school", &delete, &[]).await.status, 403);
    assert_eq!(manager_a.get("/school/branches").await.texts(".branches strong"), ["Алматы"]);

    assert_eq!(
        manager_a.submit("/school/branches", &delete, &[]).await.location(),
        "/school/branches"
    );
    assert!(manager_a.get("/school/branches").await.texts(".branches strong").is_empty());
    assert_eq!(audited(&app, "school.branch_removed", &a).len(), 1);
    assert_eq!(manager_a.submit("/school/branches", &delete, &[]).await.status, 404);
}

#[actix_web::test]
async fn applications_sent_at_once_leave_one_under_review() {
    let app = TestApp::spawn().await;
    let rep = signed_in(&app, "student", "rep@dala.kz").await;
    let bins = ["940140000385", "990940003030", "011140001654"];
    let forms: Vec<_> = bins.iter().map(|bin| fields(bin)).collect();
    let mut statuses: Vec<u16> =
        futures_util::future::join_all(forms.iter().map(|f| file(&rep, f)))
            .await
            .iter()
            .map(|page| page.status)
            .collect();
    statuses.sort();
    assert_eq!(statuses, [303, 403, 403]);
    let pending =
        bins.iter().filter(|bin| stored(&app, bin).is_some_and(|(_, s)| s == "pending")).count();
    assert_eq!(pending, 1);
}
