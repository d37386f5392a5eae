//! A visitor with a cookie jar: signs in, fills forms (with their CSRF token) like a browser.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::app::{Page, TestApp};

pub struct Visitor<'a> {
    app: &'a TestApp,
    cookies: RefCell<BTreeMap<String, String>>,
    pub user_agent: String,
}

impl<'a> Visitor<'a> {
    pub fn new(app: &'a TestApp) -> Visitor<'a> {
        Visitor {
            app,
            cookies: RefCell::default(),
            user_agent:
                "Mozilla/5.0 (Linux; Android 13; SM-A515F) AppleWebKit/537.36 (KHTML, like Gecko) \
                         Chrome/120.0.0.0 Mobile Safari/537.36"
                    .into(),
        }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.borrow().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn remember(&self, headers: &awc::http::header::HeaderMap) {
        for value in headers.get_all("set-cookie") {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                let expired = text.to_ascii_lowercase().contains("max-age=0") || value.is_empty();
                let mut jar = self.cookies.borrow_mut();
                if expired {
                    jar.remove(name);
                } else {
                    jar.insert(name.to_string(), value.to_string());
                }
            }
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .app
            .client
            .get(self.app.url(path))
            .insert_header(("Cookie", self.cookie_header()))
            .insert_header(("User-Agent", self.user_agent.as_str()))
            .send()
            .await
            .expect("the server answers");
        let page = Page::read(response).await;
        self.remember(&page.headers);
        page
    }

    /// Posts exactly these fields (no token added).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let response = self
            .app
            .client
            .post(self.app.url(path))
            .insert_header(("Cookie", self.cookie_header()))
            .insert_header(("User-Agent", self.user_agent.as_str()))
            .send_form(&fields)
            .await
            .expect("the server answers");
        let page = Page::read(response).await;
        self.remember(&page.headers);
        page
    }

    /// Posts a raw body (e.g. a multipart form) with these extra headers.
    pub async fn post_body(
        &self, path: &str, content_type: &str, headers: &[(&str, &str)], body: Vec<u8>,
    ) -> Page {
        self.try_post_body(path, content_type, headers, body).await.expect("the server answers")
    }

    /// As `post_body`, but a connection the server broke off is an error, not a panic.
    pub async fn try_post_body(
        &self, path: &str, content_type: &str, headers: &[(&str, &str)], body: Vec<u8>,
    ) -> Result<Page, String> {
        let mut request = self
            .app
            .client
            .post(self.app.url(path))
            .insert_header(("Cookie", self.cookie_header()))
            .insert_header(("User-Agent", self.user_agent.as_str()))
            .insert_header(("Content-Type", content_type));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let response = request.send_body(body).await.map_err(|e| e.to_string())?;
        let page = Page::read(response).await;
        self.remember(&page.headers);
        Ok(page)
    }

    /// A response's status, headers and body bytes as sent (e.g. an image).
    pub async fn get_bytes(&self, path: &str) -> (u16, awc::http::header::HeaderMap, Vec<u8>) {
        let mut response = self
            .app
            .client
            .get(self.app.url(path))
            .insert_header(("Cookie", self.cookie_header()))
            .send()
            .await
            .expect("the server answers");
        let body = response.body().limit(20 << 20).await.expect("a body");
        (response.status().as_u16(), response.headers().clone(), body.to_vec())
    }

    /// Opens `page_path`, takes the CSRF token of its form, and posts `fields` to `action`.
    pub async fn submit(&self, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
        let page = self.get(page_path).await;
        let token = page.csrf_token();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }
}
