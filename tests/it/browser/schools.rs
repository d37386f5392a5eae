//! A school's day in Chromium: a manager invites an instructor and creates a group, a student
//! applies and is accepted, books a lesson, the instructor records it, the student sees the hours.

use avtomektep::db::schema::lessons;
use chrono::Duration;
use chrono_tz::Asia::Almaty;
use diesel::prelude::*;

use super::{Browser, run};
use crate::accounts::{PASSWORD, app_with_mail};
use crate::schools::{manager_of, school, signed_in, student};
use crate::support::TestApp;
use crate::support::dates;
use crate::support::smtp::SmtpSink;

impl Browser {
    pub(super) async fn sign_in_as(&self, app: &TestApp, login: &str) -> Result<(), String> {
        self.goto(&app.url("/login?lang=ru")).await?;
        self.fill("login", login).await?;
        self.fill("password", PASSWORD).await?;
        self.click_and_load("form.form button[type=submit]").await
    }

    pub(super) async fn sign_out(&self) -> Result<(), String> {
        self.click_and_load(".account-nav .link-button").await
    }
}

async fn school_day(app: &TestApp, b: &Browser, sink: &SmtpSink) -> Result<(), String> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let school_id = school(&admin, "940140000385", "Жол").await;
    manager_of(app, &admin, &school_id, "manager@zhol.kz").await;
    student(app, 1, true).await;

    // The manager invites an instructor, who creates the account from the mail.
    b.sign_in_as(app, "manager@zhol.kz").await?;
    b.goto(&app.url("/school")).await?;
    b.fill("email", "ivan@mail.kz").await?;
    b.click_and_load("form[action='/school/invitations'] button").await?;
    let invite = sink
        .wait_for(1)
        .into_iter()
        .find(|m| m.to == ["ivan@mail.kz"])
        .ok_or("no invitation mail")?;
    b.sign_out().await?;
    b.open_mailed_link(app, &invite.text(), "/invitations/accept?token=").await?;
    b.fill("last_name", "Иванов").await?;
    b.fill("first_name", "Иван").await?;
    b.fill("password", PASSWORD).await?;
    b.fill("password_confirm", PASSWORD).await?;
    b.click_and_load("form.form button[type=submit]").await?;
    b.sign_out().await?;

    // The manager creates a group.
    b.sign_in_as(app, "manager@zhol.kz").await?;
    b.goto(&app.url("/school/groups/new")).await?;
    b.pick_date("starts_on", &dates::days(40)).await?;
    b.pick_date("ends_on", &dates::days(100)).await?;
    b.fill("capacity", "12").await?;
    b.click_and_load("form.form button[type=submit]").await?;
    let group_url = b.url().await?;
    b.sign_out().await?;

    // The student applies; the manager accepts.
    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url(&format!("/schools/{school_id}"))).await?;
    b.click_and_load(".groups form button").await?;
    b.sign_out().await?;
    b.sign_in_as(app, "manager@zhol.kz").await?;
    b.goto(group_url.as_str()).await?;
    b.click_and_load("form[action$='/accept'] button").await?;
    b.sign_out().await?;

    // The instructor publishes a lesson; the student books it.
    b.sign_in_as(app, "ivan@mail.kz").await?;
    b.goto(&app.url("/school/lessons")).await?;
    let day =
        (dates::now().with_timezone(&Almaty) + Duration::days(2)).format("%Y-%m-%d").to_string();
    b.pick_date("date", &day).await?;
    b.client
        .execute("document.querySelector('[name=time]').value = '10:00'", vec![])
        .await
        .map_err(|e| e.to_string())?;
    b.fill("minutes", "90").await?;
    b.fill("vehicle", "123ABC01").await?;
    b.click_and_load("form[action='/school/lessons'] button").await?;
    b.sign_out().await?;
    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url("/me/lessons")).await?;
    b.click_and_load(".open form button").await?;
    b.sign_out().await?;

    // Two days pass: the lesson is over, and the instructor records it.
    diesel::sql_query("UPDATE lessons SET during = tstzrange(now() - interval '3 hours', now() - interval '90 minutes')")
        .execute(&mut app.db.conn())
        .map_err(|e| e.to_string())?;
    b.sign_in_as(app, "ivan@mail.kz").await?;
    b.goto(&app.url("/school/lessons")).await?;
    b.fill("note", "Қалалық жол").await?;
    b.click_and_load(".lessons form button").await?;
    b.sign_out().await?;

    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url("/me/lessons?lang=ru")).await?;
    let hours = b.text("#practice").await?;
    if hours != "1:30" {
        return Err(format!("the student sees {hours:?} hours of practice"));
    }
    let held: i64 = lessons::table
        .filter(lessons::status.eq("held"))
        .count()
        .get_result(&mut app.db.conn())
        .map_err(|e| e.to_string())?;
    if held != 1 {
        return Err(format!("{held} lessons held"));
    }
    b.check_stayed_local(app).await
}

#[actix_web::test]
async fn a_school_day_from_invitation_to_practice_hours() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let outcome = school_day(&app, &browser, &sink).await;
    run("school_day", browser, outcome).await;
}
