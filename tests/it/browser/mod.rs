//! Real headless Chromium through chromedriver, for what lives in the browser.

mod accounts;
mod moderation;
mod photos;
mod policy;
mod schools;
mod tickets;

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

pub struct Browser {
    pub client: Client,
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
    pub async fn start() -> Option<Browser> {
        if !(PathBuf::from(CHROMIUM).exists() && PathBuf::from(CHROMEDRIVER).exists()) {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "CI=true but {CHROMIUM} or {CHROMEDRIVER} is missing");
            eprintln!("SKIPPED browser test: install chromium and chromium-driver to run it");
            return None;
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
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
                return Some(Browser { client, _driver: driver, profile });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not accept a session");
    }

    /// Console messages at SEVERE level (errors, CSP violations, failed loads).
    pub async fn console_errors(&self) -> Vec<String> {
        let logs = self.client.issue_cmd(BrowserLog).await.expect("reading the browser log");
        logs.as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["level"] == "SEVERE")
            .map(|entry| entry["message"].to_string())
            .collect()
    }

    /// Every URL the page loaded: the document and its resources.
    pub async fn loaded_urls(&self) -> Vec<String> {
        let script =
            "return performance.getEntries().map(e => e.name).filter(n => n.includes('://'))";
        let value = self.client.execute(script, vec![]).await.expect("running a script");
        value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-failures");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        if let Ok(png) = self.client.screenshot().await {
            std::fs::write(&path, png).unwrap();
        }
        path
    }

    pub async fn finish(self) {
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
        &self, base: &url::Url, session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "type": "browser" }).to_string()))
    }
}

impl Browser {
    pub async fn click(&self, css: &str) -> Result<(), String> {
        let element = self.client.wait().for_element(Locator::Css(css)).await;
        let element = element.map_err(|e| format!("finding {css}: {e}"))?;
        element.click().await.map_err(|e| format!("clicking {css}: {e}"))
    }

    pub async fn text(&self, css: &str) -> Result<String, String> {
        let element = self.client.wait().for_element(Locator::Css(css)).await;
        let element = element.map_err(|e| format!("finding {css}: {e}"))?;
        element.text().await.map_err(|e| format!("reading {css}: {e}"))
    }

    pub async fn url(&self) -> Result<url::Url, String> {
        self.client.current_url().await.map_err(|e| e.to_string())
    }

    pub async fn goto(&self, url: &str) -> Result<(), String> {
        self.client.goto(url).await.map_err(|e| format!("opening {url}: {e}"))
    }

    /// Fails on any request to another host and on any console error.
    pub async fn check_stayed_local(&self, app: &TestApp) -> Result<(), String> {
        let errors = self.console_errors().await;
        let foreign: Vec<String> = (self.loaded_urls().await.into_iter())
            .filter(|url| !url.starts_with(&app.address))
            .collect();
        if foreign.is_empty() && errors.is_empty() {
            return Ok(());
        }
        Err(format!("requests to other hosts: {foreign:#?}\nconsole errors: {errors:#?}"))
    }
}

pub async fn run(name: &str, browser: Browser, outcome: Result<(), String>) {
    if let Err(problem) = outcome {
        let shot = browser.screenshot(name).await;
        browser.finish().await;
        panic!("{problem}\n(screenshot: {})", shot.display());
    }
    browser.finish().await;
}
