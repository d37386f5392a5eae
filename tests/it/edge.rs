//! The web edge: who the client is behind proxies, HEAD and OPTIONS, where redirects may point,
//! and control characters refused before any handler.

use avtomektep::accounts::operator::create_account;
use diesel::prelude::*;

use crate::accounts::PASSWORD;
use crate::support::{Page, TestApp, Visitor};

/// A failed sign-in sent with these extra headers (the token from the sign-in page).
async fn sign_in_with(
    visitor: &Visitor<'_>, login: &str, password: &str, next: &str, headers: &[(&str, &str)],
) -> Page {
    let token = visitor.get("/login").await.csrf_token();
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("csrf_token", &token)
        .append_pair("login", login)
        .append_pair("password", password)
        .append_pair("next", next)
        .finish();
    visitor
        .post_body("/login", "application/x-www-form-urlencoded", headers, body.into_bytes())
        .await
}

/// The addresses sign-ins were recorded from, oldest first.
fn sign_in_ips(app: &TestApp) -> Vec<String> {
    use avtomektep::db::schema::sign_ins;
    sign_ins::table.order(sign_ins::at).select(sign_ins::ip).load(&mut app.db.conn()).unwrap()
}

#[actix_web::test]
async fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
    let app = TestApp::spawn().await;
    let visitor = Visitor::new(&app);
    let spoof = [("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-Proto", "https")];
    let page = sign_in_with(&visitor, "nobody@mail.kz", "wrong password", "", &spoof).await;
    assert_eq!(page.status, 422);
    assert_eq!(sign_in_ips(&app), ["127.0.0.1"], "the peer, not what it claims");

    let page = app.get_with("/?lang=ru", &spoof).await;
    assert!(page.header("strict-transport-security").is_none(), "no HSTS on a claimed https");
    let cookie = page.header("set-cookie").expect("the language cookie");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[actix_web::test]
async fn behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() {
    let app = TestApp::spawn_with(
        |c| {
            c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap(), "10.0.0.0/8".parse().unwrap()]
        },
        |_| {},
    )
    .await;
    let visitor = Visitor::new(&app);
    // The client wrote the left part; our proxies appended the rest.
    let page = sign_in_with(
        &visitor,
        "nobody@mail.kz",
        "wrong password",
        "",
        &[("X-Forwarded-For", "1.1.1.1, 203.0.113.7, 10.0.0.2")],
    )
    .await;
    assert_eq!(page.status, 422);
    assert_eq!(sign_in_ips(&app), ["203.0.113.7"]);

    // The per-address limit holds however the client varies the part it controls.
    let mut refused_after = None;
    for n in 1..=200 {
        let forwarded = format!("198.51.100.{}, 203.0.113.7", n % 250);
        let headers = [("X-Forwarded-For", forwarded.as_str())];
        // A new login each time: the lock per login must not be what refuses.
        let login = format!("nobody{n}@mail.kz");
        let page = sign_in_with(&visitor, &login, "wrong password", "", &headers).await;
        if page.status == 429 {
            refused_after = Some(n);
            break;
        }
        assert_eq!(page.status, 422, "attempt {n}");
    }
    assert!(refused_after.is_some(), "the address 203.0.113.7 is throttled");
    let elsewhere = [("X-Forwarded-For", "203.0.113.7, 203.0.113.8")];
    let page = sign_in_with(&visitor, "someone@mail.kz", "wrong password", "", &elsewhere).await;
    assert_eq!(page.status, 422, "another client behind the same proxy is not");

    // The proxy's word on the scheme counts too.
    let page = app.get_with("/", &[("X-Forwarded-Proto", "https")]).await;
    assert!(page.header("strict-transport-security").is_some());
}

#[actix_web::test]
async fn head_answers_like_get_and_options_names_the_methods() {
    let app = TestApp::spawn().await;
    for path in ["/", "/privacy", "/login", "/register", "/schools", "/healthz"] {
        let get = app.get(path).await;
        let head = app.client.head(app.url(path)).send().await.expect("an answer");
        assert_eq!(head.status().as_u16(), get.status, "HEAD {path}");
        let content_type = |h: &awc::http::header::HeaderMap| h.get("content-type").cloned();
        assert_eq!(content_type(head.headers()), content_type(&get.headers), "HEAD {path}");
        let mut head = Page::read(head).await;
        head.body.truncate(100);
        assert!(head.body.is_empty(), "HEAD {path} has no body");

        let options = app
            .client
            .request(awc::http::Method::OPTIONS, app.url(path))
            .send()
            .await
            .expect("an answer");
        assert_eq!(options.status().as_u16(), 204, "OPTIONS {path}");
        let allow = options.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or("");
        for method in ["GET", "HEAD", "OPTIONS"] {
            assert!(allow.contains(method), "OPTIONS {path}: Allow {allow}");
        }
    }
    // A signed-out HEAD of a signed-in page is sent to sign in, like GET.
    let head = app.client.head(app.url("/me")).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 303);
    // A form's address: HEAD is not GET there.
    let head = app.client.head(app.url("/logout")).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 405);
    let options =
        app.client.request(awc::http::Method::OPTIONS, app.url("/logout")).send().await.unwrap();
    assert_eq!(options.status().as_u16(), 204);
    assert_eq!(options.headers().get("allow").unwrap(), "POST, OPTIONS");
    // Nothing there: still 404.
    let options =
        app.client.request(awc::http::Method::OPTIONS, app.url("/nowhere")).send().await.unwrap();
    assert_eq!(options.status().as_u16(), 404);
}

/// Known open-redirect payloads (as the value of `next`, before URL encoding).
const REDIRECT_CORPUS: &[&str] = &[
    "//evil.example",
    "///evil.example",
    "////evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%0a/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "https://evil.example",
    "https:/evil.example",
    "http:evil.example",
    "//evil.example@127.0.0.1",
    "/@evil.example",
    "@evil.example",
    "https://127.0.0.1@evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/.//evil.example",
    "/./\\evil.example",
    "/..//evil.example",
    "\u{3002}evil.example",
    "//evil\u{3002}example",
    "/x\r\nSet-Cookie: planted=1",
    "/\0/evil.example",
    "/\u{1}/evil.example",
    "/\u{7f}evil.example",
    "\u{202E}//evil.example",
    "   //evil.example",
];

/// A Location that a browser follows to this portal.
fn stays_on_the_portal(app: &TestApp, location: &str) -> bool {
    let origin = url::Url::parse(&app.url("/")).unwrap();
    let followed = origin.join(location);
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.contains('\\')
        && followed.is_ok_and(|u| u.origin() == origin.origin())
}

#[actix_web::test]
async fn sign_in_never_sends_anyone_off_the_portal() {
    let app = TestApp::spawn().await;
    let email = "redirect@test.kz";
    create_account(&mut app.db.conn(), app.keys(), "student", email, "Тестов Тест", PASSWORD)
        .unwrap();
    let mut checked = 0;
    for payload in REDIRECT_CORPUS {
        // As a form field (what the sign-in page posts back)…
        let visitor = Visitor::new(&app);
        let page = sign_in_with(&visitor, email, PASSWORD, payload, &[]).await;
        assert!(page.status < 500, "{payload:?}: {}", page.status);
        if page.status == 303 {
            let location = page.location();
            assert!(stays_on_the_portal(&app, &location), "{payload:?} → {location:?}");
        } else {
            assert_eq!(page.status, 422, "{payload:?}: refused as bad input");
        }
        assert!(page.header("set-cookie").is_none_or(|c| !c.contains("planted")));
        // …and as the sign-in page's own query, raw and encoded.
        let encoded: String = form_urlencoded::byte_serialize(payload.as_bytes()).collect();
        // Raw where a client can send it so (an address has no spaces, controls or `\`).
        let raw = payload.chars().all(|c| c.is_ascii_graphic() && !"\\\"<>^`{|}".contains(c));
        let queries = if raw { vec![encoded, payload.to_string()] } else { vec![encoded] };
        for query in queries {
            let page = visitor.get(&format!("/login?next={query}")).await;
            assert!(page.status < 500, "/login?next={query:?}: {}", page.status);
            for next in page.attrs("input[name=next]", "value") {
                assert!(stays_on_the_portal(&app, &next), "{query:?} → the form's next {next:?}");
            }
        }
        checked += 1;
    }
    println!("open-redirect corpus: {checked} payloads, each as a field and a query");
}

#[actix_web::test]
async fn control_characters_are_refused_before_the_handler_in_both_languages() {
    let app = TestApp::spawn().await;
    for (lang, words) in [("kk", "таңбалар"), ("ru", "символы")] {
        let visitor = Visitor::new(&app);
        visitor.get(&format!("/?lang={lang}")).await;
        let page = visitor
            .submit("/login", "/login", &[("login", "a\0b@mail.kz"), ("password", "x")])
            .await;
        assert_eq!(page.status, 422, "{lang}");
        assert!(page.body.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
        assert!(page.texts("h1").concat().contains(words), "{lang}: {:?}", page.texts("h1"));
        // In a query string too.
        let page = visitor.get("/schools?q=%00").await;
        assert_eq!(page.status, 422);
    }
    assert!(sign_in_ips(&app).is_empty(), "no attempt was even recorded");
}
