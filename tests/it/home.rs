use crate::support::TestApp;

#[actix_web::test]
async fn the_home_page_is_kazakh_by_default_with_a_switch_to_russian() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.attrs("html", "lang"), ["kk"]);
    assert_eq!(page.texts("h1"), ["Жүргізушілерді даярлау порталы"]);
    assert_eq!(page.attrs(".lang-switch a[lang=ru]", "href"), ["/?lang=ru"]);
    assert_eq!(page.attrs(".lang-switch a[aria-current]", "lang"), ["kk"]);
    assert_eq!(page.attrs("footer a[href='/privacy']", "href").len(), 1);
}

#[actix_web::test]
async fn lang_in_the_query_is_remembered_in_a_cookie() {
    let app = TestApp::spawn().await;
    let page = app.get("/?lang=ru").await;
    assert_eq!(page.attrs("html", "lang"), ["ru"]);
    assert_eq!(page.texts("h1"), ["Портал подготовки водителей"]);
    let cookie = page.header("set-cookie").expect("the choice is remembered");
    assert!(cookie.starts_with("lang=ru"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");

    let again = app.get_with("/privacy", &[("Cookie", "lang=ru")]).await;
    assert_eq!(again.attrs("html", "lang"), ["ru"]);
    assert!(again.header("set-cookie").is_none(), "no query, no new cookie");
}

#[actix_web::test]
async fn without_query_or_cookie_the_browser_language_decides() {
    let app = TestApp::spawn().await;
    let russian = app.get_with("/", &[("Accept-Language", "ru-RU,ru;q=0.9,en;q=0.8")]).await;
    assert_eq!(russian.attrs("html", "lang"), ["ru"]);
    let english = app.get_with("/", &[("Accept-Language", "en-GB,en;q=0.9")]).await;
    assert_eq!(english.attrs("html", "lang"), ["kk"], "Kazakh when neither language is asked for");
    let cookie_wins = app.get_with("/", &[("Accept-Language", "ru"), ("Cookie", "lang=kk")]).await;
    assert_eq!(cookie_wins.attrs("html", "lang"), ["kk"]);
}

#[actix_web::test]
async fn the_switch_keeps_the_user_on_the_same_page() {
    let app = TestApp::spawn().await;
    let page = app.get("/privacy/versions?lang=ru").await;
    assert_eq!(page.attrs(".lang-switch a[lang=kk]", "href"), ["/privacy/versions?lang=kk"]);
    let error_page = app.get("/no/such/page?lang=ru").await;
    assert_eq!(error_page.attrs(".lang-switch a[lang=kk]", "href"), ["/no/such/page?lang=kk"]);
}

#[actix_web::test]
async fn the_home_page_with_its_css_and_scripts_weighs_at_most_40_kb_as_sent() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    let mut assets = page.attrs("link[rel=stylesheet]", "href");
    assets.extend(page.attrs("script[src]", "src"));
    assert!(!assets.is_empty(), "the page has a stylesheet");
    let mut total = 0;
    for path in std::iter::once("/".to_string()).chain(assets) {
        let (bytes, encoding) = app.raw_bytes(&path, "br, gzip").await;
        assert!(encoding.is_some(), "{path} is sent compressed");
        total += bytes;
    }
    assert!(total <= 40 * 1024, "home page weighs {total} bytes as sent");
}

#[actix_web::test]
async fn every_resource_of_the_page_comes_from_this_host() {
    let app = TestApp::spawn().await;
    for path in ["/", "/privacy", "/privacy/versions", "/missing"] {
        let html = app.get(path).await.html();
        for (selector, attr) in [("link", "href"), ("script", "src"), ("img", "src"), ("a", "href")]
        {
            for url in crate::support::attrs(&html, selector, attr) {
                let local = url.starts_with('/') && !url.starts_with("//")
                    || url.starts_with('#')
                    || url.starts_with("tel:");
                assert!(local, "{path}: {selector} points elsewhere: {url}");
            }
        }
    }
}

#[actix_web::test]
async fn static_files_are_cached_for_a_year_under_their_hashed_url() {
    let app = TestApp::spawn().await;
    let page = app.get("/").await;
    let css = page.attrs("link[rel=stylesheet]", "href").remove(0);
    assert!(css.contains("?v="), "{css}");
    let res = app.get(&css).await;
    assert_eq!(res.status, 200);
    assert!(res.header("content-type").unwrap().starts_with("text/css"));
    assert!(res.header("cache-control").unwrap().contains("immutable"));
    let etag = res.header("etag").unwrap();
    let again = app.get_with(&css, &[("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304);
}

#[actix_web::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/healthz").await.status, 200);
    assert_eq!(app.get("/readyz").await.status, 200);
}
