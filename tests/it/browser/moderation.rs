//! Moderation in Chromium: a student writes a review, another reports it, a moderator hides it,
//! and it disappears from the school page. All under the CSP, with no request to another host.

use serde_json::json;

use super::{Browser, run};
use crate::reviews::{enrolment_of, setup};
use crate::schools::signed_in;
use crate::support::TestApp;

async fn reported_and_hidden(app: &TestApp, b: &Browser) -> Result<(), String> {
    let s = setup(app, 2, 1).await;
    signed_in(app, "moderator", "mod@avtomektep.kz").await;
    let school_page = app.url(&format!("/schools/{}?lang=ru", s.school));

    // The student writes the review from their training page.
    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url("/me/training?lang=ru")).await?;
    b.click_and_load("a.review-link").await?;
    let form_url = b.url().await?;
    let expected = format!("/reviews/new?enrolment={}", enrolment_of(app, 1));
    if !form_url.as_str().ends_with(&expected) {
        return Err(format!("the review link led to {form_url}"));
    }
    b.click("input[name=school_stars][value='2']").await?;
    b.fill("body", "Инструктор опаздывал на каждое занятие").await?;
    b.click_and_load(".review-form button[type=submit]").await?;
    let shown = b.text(".reviews-list .review-text").await?;
    if shown != "Инструктор опаздывал на каждое занятие" {
        return Err(format!("the school page shows {shown:?}"));
    }
    b.sign_out().await?;

    // Another student reports it.
    b.sign_in_as(app, "student2@mail.kz").await?;
    b.goto(&school_page).await?;
    b.click_and_load(".review-report").await?;
    b.click("#reason option[value='false_information']").await?;
    b.fill("note", "Это неправда").await?;
    b.click_and_load("form[action='/reports'] button[type=submit]").await?;
    let flash = b.text(".flash").await?;
    if !flash.contains("жалоба отправлена") {
        return Err(format!("after the report: {flash:?}"));
    }
    b.sign_out().await?;

    // The moderator hides it with a reason.
    b.sign_in_as(app, "mod@avtomektep.kz").await?;
    b.click_and_load(".account-nav a[href='/moderation']").await?;
    let reason = b.text(".report-reason").await?;
    if reason != "Недостоверная информация" {
        return Err(format!("the queue shows the reason {reason:?}"));
    }
    b.fill("reason", "Проверяем факты").await?;
    b.click_and_load(".mod-decision button[data-action='hide']").await?;
    b.text(".queue-empty").await?;

    b.goto(&school_page).await?;
    let count = b
        .client
        .execute("return document.querySelectorAll('.reviews-list .review').length", vec![])
        .await
        .map_err(|e| e.to_string())?;
    if count != json!(0) {
        return Err(format!("{count} reviews still on the school page"));
    }
    let none = b.text(".reviews-none").await?;
    if none != "Отзывов пока нет." {
        return Err(format!("the school page says {none:?}"));
    }
    b.check_stayed_local(app).await
}

#[actix_web::test]
async fn a_reported_review_hidden_by_a_moderator_leaves_the_school_page() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let outcome = reported_and_hidden(&app, &browser).await;
    run("moderation", browser, outcome).await;
}
