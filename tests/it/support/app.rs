//! A real server on a free port, talked to over HTTP, with its own database.

use std::net::TcpListener;

use actix_web::web;
use avtomektep::config::Config;
use avtomektep::{AppState, app};

use super::db::TestDb;

pub struct TestApp {
    pub address: String,
    state: web::Data<AppState>,
    queries: avtomektep::db::QueryCounter,
    pub db: TestDb,
    pub client: awc::Client,
    handle: actix_web::dev::ServerHandle,
}

pub struct Page {
    pub status: u16,
    pub headers: awc::http::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub async fn read<S>(mut response: awc::ClientResponse<S>) -> Page
    where
        S: futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>>
            + Unpin,
    {
        let body = response.body().limit(10 * 1024 * 1024).await.expect("a body");
        Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: String::from_utf8_lossy(&body).to_string(),
        }
    }

    /// The CSRF token of the (first) form on the page.
    pub fn csrf_token(&self) -> String {
        self.attrs("input[name=csrf_token]", "value")
            .into_iter()
            .next()
            .expect("a form with a CSRF token")
    }

    /// Where a redirect points.
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }

    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// Texts of the elements matching a CSS selector, whitespace collapsed.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        super::texts(&self.html(), selector)
    }

    /// The values of `attr` on the elements matching a CSS selector.
    pub fn attrs(&self, selector: &str, attr: &str) -> Vec<String> {
        super::attrs(&self.html(), selector, attr)
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}, |_| {}).await
    }

    /// A server with a changed configuration and extra routes (e.g. a handler that panics).
    pub async fn spawn_with(
        change: impl FnOnce(&mut Config), extra_routes: fn(&mut web::ServiceConfig),
    ) -> TestApp {
        let db = TestDb::new();
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().unwrap().port();
        let mut config = Config::for_tests(db.url.clone());
        // Links in mails point at this server.
        config.base_url = format!("http://127.0.0.1:{port}");
        change(&mut config);
        let queries = avtomektep::db::QueryCounter::default();
        let pool = avtomektep::db::counted_pool(&db.url, config.db_pool_size, queries.clone())
            .expect("test pool");
        let keys = avtomektep::crypto::KeyRing::generate();
        let mailer = avtomektep::mail::Mailer::from_config(&config).expect("test mailer");
        let state = web::Data::new(AppState {
            hashing: avtomektep::limits::Hashing::from_config(&config),
            config,
            pool,
            keys,
            mailer,
            clock: avtomektep::clock::Clock::system(),
        });
        let serving = state.clone();
        let server =
            actix_web::HttpServer::new(move || app(serving.clone()).configure(extra_routes))
                .workers(1)
                .disable_signals()
                .listen(listener)
                .expect("listening")
                .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let client = awc::Client::builder()
            .disable_redirects()
            .timeout(std::time::Duration::from_secs(30))
            .finish();
        TestApp { address: format!("http://127.0.0.1:{port}"), state, queries, db, client, handle }
    }

    /// SQL statements the server has sent so far.
    pub fn queries(&self) -> u64 {
        self.queries.get()
    }

    /// The server's clock: tests move it forward to see time pass.
    pub fn clock(&self) -> &avtomektep::clock::Clock {
        &self.state.clock
    }

    /// The time now on the server's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.state.clock.now()
    }

    /// The server's key ring (the same keys, for tests that write accounts directly).
    pub fn keys(&self) -> &avtomektep::crypto::KeyRing {
        &self.state.keys
    }

    /// The id of the account with this email.
    pub fn user_id(&self, email: &str) -> String {
        let mut conn = self.db.conn();
        let row = avtomektep::accounts::model::by_login(&mut conn, &self.state.keys, email)
            .unwrap()
            .expect("the account exists");
        row.id.to_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Page {
        self.get_with(path, &[]).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut request = self.client.get(self.url(path));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let mut response = request.send().await.expect("the server answers");
        let body = response.body().limit(10 * 1024 * 1024).await.expect("a body");
        Page {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: String::from_utf8_lossy(&body).to_string(),
        }
    }

    /// The body exactly as sent (compressed if the server compressed it).
    pub async fn raw_bytes(&self, path: &str, accept_encoding: &str) -> (usize, Option<String>) {
        let mut response = self
            .client
            .get(self.url(path))
            .insert_header(("Accept-Encoding", accept_encoding))
            .no_decompress()
            .send()
            .await
            .expect("the server answers");
        let encoding = response
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response.body().limit(10 * 1024 * 1024).await.expect("a body");
        (body.len(), encoding)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the workers before the database goes.
        let handle = self.handle.clone();
        drop(handle.stop(false));
    }
}
