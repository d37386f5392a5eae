use crate::support::TestApp;

#[actix_web::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/privacy", "/missing", "/healthz", "/static/site.css"] {
        let page = app.get(path).await;
        let csp = page.header("content-security-policy").expect("a CSP");
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
        assert_eq!(page.header("x-content-type-options").as_deref(), Some("nosniff"));
        assert!(page.header("referrer-policy").is_some(), "{path}");
        let permissions = page.header("permissions-policy").expect("a permissions policy");
        assert!(permissions.contains("camera=(self)"), "{permissions}");
        assert!(permissions.contains("geolocation=(self)"), "{permissions}");
        assert!(permissions.contains("microphone=()"), "{permissions}");
        assert!(page.header("x-request-id").is_some(), "{path}");
        assert!(page.header("strict-transport-security").is_none(), "no HSTS over plain HTTP");
    }
}

#[actix_web::test]
async fn hsts_is_sent_when_the_proxy_says_the_request_came_over_https() {
    // The proxy's word counts only from a trusted proxy (tests/it/edge.rs: from others, not).
    let app =
        TestApp::spawn_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()], |_| {})
            .await;
    let page = app.get_with("/", &[("X-Forwarded-Proto", "https")]).await;
    let hsts = page.header("strict-transport-security").expect("HSTS over HTTPS");
    assert!(hsts.contains("max-age=31536000"), "{hsts}");
    let cookie = app
        .get_with("/?lang=ru", &[("X-Forwarded-Proto", "https")])
        .await
        .header("set-cookie")
        .unwrap();
    assert!(cookie.contains("Secure"), "cookies are Secure over HTTPS: {cookie}");
}

#[actix_web::test]
async fn pages_have_no_inline_scripts_or_styles() {
    let app = TestApp::spawn().await;
    for path in ["/", "/privacy", "/privacy/versions", "/missing"] {
        let page = app.get(path).await;
        assert!(page.texts("script:not([src])").is_empty(), "{path} has an inline script");
        assert!(page.texts("style").is_empty(), "{path} has an inline style");
        assert!(page.attrs("[style]", "style").is_empty(), "{path} has a style attribute");
    }
}

#[actix_web::test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = TestApp::spawn().await;
    let page = app.get("/login").await;
    let cookie = page.header("set-cookie").expect("a session for the form's token");
    assert!(cookie.starts_with("session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP here; Secure when the base URL is https");
    let https = TestApp::spawn_with(|c| c.base_url = "https://avtomektep.kz".into(), |_| {}).await;
    let cookie = https.get("/login").await.header("set-cookie").unwrap();
    assert!(cookie.contains("Secure"), "{cookie}");
}

/// Every form gets its CSRF token from the macros in templates/macros.html (`form_start`,
/// `upload_form_start`, `csrf_input`): no other template writes the hidden input itself.
#[test]
fn only_the_form_macros_write_the_csrf_input() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("the templates directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.file_name().is_some_and(|n| n != "macros.html") {
                let text = std::fs::read_to_string(&path).expect("a template");
                if text.contains("name=\"csrf_token\"") {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut found = Vec::new();
    walk(&root, &mut found);
    assert!(found.is_empty(), "use the form macros of templates/macros.html instead: {found:?}");
}
