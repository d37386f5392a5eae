//! Identification in Chromium: a student gives consent, chooses a photo in the file input,
//! sees the preview and the upload progress; a school's manager approves it; the student sees
//! "verified". All under the CSP, with no request to another host.

use avtomektep::media::pipeline::sample_jpeg;
use serde_json::json;

use super::{Browser, run};
use crate::schools::{apply, group, manager_of, school, signed_in, student_with};
use crate::support::TestApp;

async fn identification(app: &TestApp, b: &Browser) -> Result<(), String> {
    let admin = signed_in(app, "admin", "boss@avtomektep.kz").await;
    let zhol = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(app, &admin, &zhol, "manager@zhol.kz").await;
    let g = group(&manager, "B", "10").await;
    let aliya = student_with(app, 1, true, false).await;
    apply(&aliya, &zhol, &g).await;
    let file = std::env::temp_dir().join(format!("avtomektep-face-{}.jpg", std::process::id()));
    std::fs::write(&file, sample_jpeg(1200, 1600, None)).map_err(|e| e.to_string())?;

    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url("/me/photos?lang=ru")).await?;
    b.click_and_load("form[action='/me/photos/consent'] button").await?;
    let input = b
        .client
        .find(fantoccini::Locator::Css("#photo"))
        .await
        .map_err(|e| format!("the file input: {e}"))?;
    input
        .send_keys(&file.display().to_string())
        .await
        .map_err(|e| format!("choosing the file: {e}"))?;
    // The preview shows the chosen file before anything is sent.
    let preview = "const f = document.querySelector('.photo-preview'); \
                   return !f.hidden && f.querySelector('img').src.startsWith('blob:')";
    wait_for(b, preview, "the preview").await?;
    // Record what the progress bar shows while the file goes up (the page then moves on).
    let spy = "const bar = document.querySelector('.upload-progress'); \
               const send = XMLHttpRequest.prototype.send; \
               XMLHttpRequest.prototype.send = function (body) { \
                 this.upload.addEventListener('progress', () => sessionStorage.setItem('bar', \
                   JSON.stringify({ shown: !bar.hidden, value: bar.value }))); \
                 return send.call(this, body); };";
    b.client.execute(spy, vec![]).await.map_err(|e| e.to_string())?;
    b.click_and_load(".photo-form button[type=submit]").await?;
    let seen = b
        .client
        .execute("return sessionStorage.getItem('bar')", vec![])
        .await
        .map_err(|e| e.to_string())?;
    let seen: serde_json::Value =
        serde_json::from_str(seen.as_str().ok_or("no upload progress was shown")?)
            .map_err(|e| e.to_string())?;
    if seen["shown"] != json!(true) {
        return Err(format!("the progress bar was not shown: {seen}"));
    }
    let status = b.text(".photo-card .badge").await?;
    if status != "на проверке" {
        return Err(format!("after the upload the photo is {status:?}"));
    }
    b.sign_out().await?;

    b.sign_in_as(app, "manager@zhol.kz").await?;
    b.goto(&app.url("/photos/review?lang=ru")).await?;
    let loaded = "const i = document.querySelector('.review-photo'); \
                  return i.complete && i.naturalWidth > 0";
    wait_for(b, loaded, "the photo in the queue").await?;
    b.click_and_load("form[action$='/approve'] button").await?;
    b.sign_out().await?;

    b.sign_in_as(app, "student1@mail.kz").await?;
    b.goto(&app.url("/me?lang=ru")).await?;
    let identity = b.text("#identity").await?;
    if identity != "Личность подтверждена" {
        return Err(format!("the student sees {identity:?}"));
    }
    let _ = std::fs::remove_file(&file);
    b.check_stayed_local(app).await
}

async fn wait_for(b: &Browser, script: &str, what: &str) -> Result<(), String> {
    for _ in 0..100 {
        if b.client.execute(script, vec![]).await.ok() == Some(json!(true)) {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Err(format!("{what} did not appear"))
}

#[actix_web::test]
async fn a_student_uploads_a_photo_and_staff_verify_it() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let outcome = identification(&app, &browser).await;
    run("identification", browser, outcome).await;
}
