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

async fn html_lang(client: &Client) -> String {
    let value = client
        .execute("return document.documentElement.lang", vec![])
        .await
        .unwrap();
    value.as_str().unwrap_or_default().to_string()
}

fn fail(what: &'static str) -> impl Fn(fantoccini::error::CmdError) -> String {
    move |e| format!("{what}: {e}")
}

/// The steps; an `Err` says what went wrong so the caller can take a screenshot first.
async fn switch_language_and_read_the_policy(
    app: &TestApp,
    browser: &Browser,
) -> Result<(), String> {
    let c = &browser.client;
    c.goto(&app.url("/"))
        .await
        .map_err(fail("opening the home page"))?;
    if html_lang(c).await != "kk" {
        return Err("the home page is not in Kazakh by default".into());
    }
    c.find(Locator::Css(".lang-switch a[lang=ru]"))
        .await
        .map_err(fail("the switch"))?
        .click()
        .await
        .map_err(fail("clicking Русский"))?;
    c.wait()
        .for_element(Locator::Css("html[lang=ru]"))
        .await
        .map_err(fail("waiting for Russian"))?;
    let heading = c
        .find(Locator::Css("h1"))
        .await
        .map_err(fail("h1"))?
        .text()
        .await
        .map_err(fail("h1 text"))?;
    if heading != "Портал подготовки водителей" {
        return Err(format!("unexpected heading after switching: {heading}"));
    }
    c.find(Locator::Css("footer a[href='/privacy']"))
        .await
        .map_err(fail("the privacy link"))?
        .click()
        .await
        .map_err(fail("following the privacy link"))?;
    let title = c
        .wait()
        .for_element(Locator::Css("#policy-title"))
        .await
        .map_err(fail("the policy"))?;
    let title = title.text().await.map_err(fail("policy title"))?;
    if !title.starts_with("ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ") {
        return Err(format!("the policy is not in Russian: {title}"));
    }
    let url = c.current_url().await.map_err(fail("url"))?;
    if url.path() != "/privacy" {
        return Err(format!("ended up at {url}"));
    }
    c.find(Locator::Css(".toc a[href='#section-11']"))
        .await
        .map_err(fail("contents"))?
        .click()
        .await
        .map_err(fail("following the contents"))?;
    let url = c.current_url().await.map_err(fail("url"))?;
    if url.fragment() != Some("section-11") {
        return Err(format!("the contents link did not jump: {url}"));
    }
    for loaded in browser.loaded_urls().await {
        if !loaded.starts_with(&app.address) {
            return Err(format!("a request went to another host: {loaded}"));
        }
    }
    let errors = browser.console_errors().await;
    if !errors.is_empty() {
        return Err(format!("console errors: {errors:#?}"));
    }
    Ok(())
}

#[actix_web::test]
async fn a_visitor_switches_to_russian_and_reads_the_privacy_policy() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let outcome = switch_language_and_read_the_policy(&app, &browser).await;
    if let Err(problem) = outcome {
        let shot = browser
            .screenshot("switch_language_and_read_the_policy")
            .await;
        browser.finish().await;
        panic!("{problem}\n(screenshot: {})", shot.display());
    }
    browser.finish().await;
}
