//! Real headless Chromium through chromedriver, for what lives in the browser.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

struct Browser {
    client: Client,
    _driver: Driver,
    profile: PathBuf,
}

/// chromedriver, stopped however the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Browser {
    /// `None` (with a visible message) when Chromium is not installed, except under CI.
    async fn start() -> Option<Browser> {
        if !(PathBuf::from(CHROMIUM).exists() && PathBuf::from(CHROMEDRIVER).exists()) {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "CI=true but {CHROMIUM} or {CHROMEDRIVER} is missing");
            eprintln!("SKIPPED browser test: install chromium and chromium-driver to run it");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Driver(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("starting chromedriver"),
        );
        let profile = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("chromium-{}", uuid::Uuid::new_v4().simple()));
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=360,800",
                    // Anything that is not this machine fails loudly (and shows in the log).
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                    format!("--user-data-dir={}", profile.display()),
                ]
            },
            "goog:loggingPrefs": { "browser": "ALL" }
        });
        let capabilities = match capabilities {
            Value::Object(map) => map,
            _ => unreachable!(),
        };
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            let attempt = ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await;
            if let Ok(client) = attempt {
                return Some(Browser {
                    client,
                    _driver: driver,
                    profile,
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not accept a session");
    }

    /// Console messages at SEVERE level (errors, CSP violations, failed loads).
    async fn console_errors(&self) -> Vec<String> {
        let logs = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("reading the browser log");
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].to_string())
            .collect()
    }

    /// Every URL the page loaded: the document and its resources.
    async fn loaded_urls(&self) -> Vec<String> {
        let script =
            "return performance.getEntries().map(e => e.name).filter(n => n.includes('://'))";
        let value = self
            .client
            .execute(script, vec![])
            .await
            .expect("running a script");
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(&path, png).unwrap();
        }
        path
    }

    async fn finish(self) {
        let _ = self.client.clone().close().await;
        drop(self._driver);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// chromedriver's log endpoint (not part of W3C WebDriver, so fantoccini has no method).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

impl Browser {
    async fn click(&self, css: &str) -> Result<(), String> {
        let element = self.client.wait().for_element(Locator::Css(css)).await;
        let element = element.map_err(|e| format!("finding {css}: {e}"))?;
        element
            .click()
            .await
            .map_err(|e| format!("clicking {css}: {e}"))
    }

    async fn text(&self, css: &str) -> Result<String, String> {
        let element = self.client.wait().for_element(Locator::Css(css)).await;
        let element = element.map_err(|e| format!("finding {css}: {e}"))?;
        element
            .text()
            .await
            .map_err(|e| format!("reading {css}: {e}"))
    }

    async fn url(&self) -> Result<url::Url, String> {
        self.client.current_url().await.map_err(|e| e.to_string())
    }

    async fn goto(&self, url: &str) -> Result<(), String> {
        self.client
            .goto(url)
            .await
            .map_err(|e| format!("opening {url}: {e}"))
    }

    /// Fails on any request to another host and on any console error.
    async fn check_stayed_local(&self, app: &TestApp) -> Result<(), String> {
        let errors = self.console_errors().await;
        let foreign: Vec<String> = (self.loaded_urls().await.into_iter())
            .filter(|url| !url.starts_with(&app.address))
            .collect();
        if foreign.is_empty() && errors.is_empty() {
            return Ok(());
        }
        Err(format!(
            "requests to other hosts: {foreign:#?}\nconsole errors: {errors:#?}"
        ))
    }
}

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

async fn run(name: &str, browser: Browser, outcome: Result<(), String>) {
    if let Err(problem) = outcome {
        let shot = browser.screenshot(name).await;
        browser.finish().await;
        panic!("{problem}\n(screenshot: {})", shot.display());
    }
    browser.finish().await;
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
            actix_web::HttpResponse::Ok()
                .content_type("text/html")
                .body(
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
        let problem = browser.check_stayed_local(&app).await.err();
        let problem = problem.ok_or("a page loading from another host passed the check")?;
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
