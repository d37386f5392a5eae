use super::{Browser, run};
use crate::support::TestApp;

/// The steps; an `Err` says what went wrong so the caller can take a screenshot first.
async fn switch_language_and_read_the_policy(app: &TestApp, b: &Browser) -> Result<(), String> {
    b.goto(&app.url("/")).await?;
    b.text("html[lang=kk] h1").await?;
    b.click(".lang-switch a[lang=ru]").await?;
    let heading = b.text("html[lang=ru] h1").await?;
    if heading != "Портал подготовки водителей" {
        return Err(format!("unexpected heading after switching: {heading}"));
    }
    b.click("footer a[href='/privacy']").await?;
    let title = b.text("#policy-title").await?;
    if !title.starts_with("ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ") {
        return Err(format!("the policy is not in Russian: {title}"));
    }
    let url = b.url().await?;
    if url.path() != "/privacy" {
        return Err(format!("ended up at {url}"));
    }
    b.click(".toc a[href='#section-11']").await?;
    let url = b.url().await?;
    if url.fragment() != Some("section-11") {
        return Err(format!("the contents link did not jump: {url}"));
    }
    b.check_stayed_local(app).await
}

#[actix_web::test]
async fn a_visitor_switches_to_russian_and_reads_the_privacy_policy() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let outcome = switch_language_and_read_the_policy(&app, &browser).await;
    run("switch_language_and_read_the_policy", browser, outcome).await;
}

/// A page that breaks the rules: it loads from another host and runs an inline script.
fn leaky_page(cfg: &mut actix_web::web::ServiceConfig) {
    cfg.route(
        "/test/leaky",
        actix_web::web::get().to(|| async {
            actix_web::HttpResponse::Ok().content_type("text/html").body(
                "<!doctype html><title>x</title><img src=\"http://cdn.example.com/a.png\">\
                 <script>document.title = 'ran'</script>",
            )
        }),
    );
}

#[actix_web::test]
async fn the_browser_check_catches_other_hosts_and_blocked_inline_scripts() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn_with(|_| {}, leaky_page).await;
    let outcome = async {
        browser.goto(&app.url("/test/leaky")).await?;
        // The refused load and the console error are reported asynchronously; on a busy
        // machine they may come a moment after the page has loaded. Reading the browser log
        // empties it, so what each look finds is kept.
        let mut problem = String::new();
        for _ in 0..40 {
            problem.push_str(&browser.check_stayed_local(&app).await.err().unwrap_or_default());
            if problem.contains("cdn.example.com") && problem.contains("Content Security Policy") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        if problem.is_empty() {
            return Err("a page loading from another host passed the check".into());
        }
        let found_both =
            problem.contains("cdn.example.com") && problem.contains("Content Security Policy");
        if !found_both {
            return Err(format!("the check missed a problem: {problem}"));
        }
        let title = browser.client.title().await.map_err(|e| e.to_string())?;
        if title == "ran" {
            return Err("the CSP let an inline script run".into());
        }
        Ok(())
    }
    .await;
    run("check_catches_leaks", browser, outcome).await;
}
