//! A ticket in Chromium: a student writes to their school with a picture attached, the manager
//! answers from the queue, the student is mailed and reads the answer. Nothing leaves the host.

use avtomektep::media::pipeline::sample_jpeg;
use fantoccini::Locator;

use super::{Browser, run};
use crate::accounts::app_with_mail;
use crate::schools::{apply, group, manager_of, school, signed_in, student};
use crate::support::TestApp;
use crate::support::smtp::SmtpSink;

async fn conversation(app: &TestApp, b: &Browser, sink: &SmtpSink) -> Result<(), String> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let zhol = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &zhol, "manager@zhol.kz").await;
    let g = group(&manager, "B", "10").await;
    let aliya = student(app, 1, true).await;
    apply(&aliya, &zhol, &g).await;
    let file = std::env::temp_dir().join(format!("avtomektep-ticket-{}.jpg", std::process::id()));
    std::fs::write(&file, sample_jpeg(800, 600, None)).map_err(|e| e.to_string())?;

    // The student writes to the school (the first choice), with a screenshot.
    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url("/tickets?lang=ru")).await?;
    b.click_and_load("a[href='/tickets/new']").await?;
    b.fill("subject", "Сабақ кестесі").await?;
    b.fill("body", "Сәлеметсіз бе!\nСабақ қашан басталады?").await?;
    b.client
        .find(Locator::Css("#attachment"))
        .await
        .map_err(|e| format!("the file input: {e}"))?
        .send_keys(&file.display().to_string())
        .await
        .map_err(|e| format!("choosing the file: {e}"))?;
    b.click_and_load(".ticket-form button[type=submit]").await?;
    let _ = std::fs::remove_file(&file);
    let to = b.text(".ticket-facts").await?;
    if !to.contains("Автошкола Жол") {
        return Err(format!("the ticket is not addressed to the school: {to}"));
    }
    b.sign_out().await?;

    // The manager finds it in the queue, sees the picture, and answers.
    b.sign_in_as(app, "manager@zhol.kz").await?;
    b.goto(&app.url("/tickets?lang=ru")).await?;
    b.click_and_load(".ticket-line a").await?;
    // The thumbnail loads lazily and after the page itself: look again for a few seconds.
    let mut loaded = serde_json::Value::Null;
    for _ in 0..100 {
        loaded = b
            .client
            .execute(
                "const i = document.querySelector('.message-attachments img'); \
                 return i !== null && i.complete && i.naturalWidth > 0",
                vec![],
            )
            .await
            .map_err(|e| e.to_string())?;
        if loaded == serde_json::json!(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    if loaded != serde_json::json!(true) {
        return Err("the attached picture does not show".into());
    }
    let sent = sink.wait_for(0).len();
    b.fill("body", "Дүйсенбі, 10:00.").await?;
    b.click_and_load(".reply-form button[type=submit]").await?;
    let status = b.text("#ticket-status").await?;
    if status != "ждёт ответа пользователя" {
        return Err(format!("status after the answer: {status:?}"));
    }
    b.check_stayed_local(app).await?;
    b.sign_out().await?;

    // The student is told by mail, and reads the answer.
    let mail = sink
        .wait_for(sent + 1)
        .into_iter()
        .skip(sent)
        .find(|m| m.to == ["student1@mail.kz"])
        .ok_or("no mail to the student")?;
    b.sign_in_as(app, "student1@mail.kz").await?;
    b.open_mailed_link(app, &mail.text(), "/tickets/").await?;
    let thread = b.text(".ticket-thread").await?;
    if !thread.contains("Дүйсенбі, 10:00.") || !thread.contains("Сабақ қашан басталады?")
    {
        return Err(format!("the student sees: {thread}"));
    }
    b.check_stayed_local(app).await
}

#[actix_web::test]
async fn a_student_asks_the_school_and_reads_the_answer() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let sink = SmtpSink::start();
    let app = app_with_mail(&sink).await;
    let outcome = conversation(&app, &browser, &sink).await;
    run("tickets", browser, outcome).await;
}
