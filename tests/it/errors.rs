use actix_web::web;

use crate::support::TestApp;

#[actix_web::test]
async fn an_unknown_page_is_a_localised_404_with_the_request_id() {
    let app = TestApp::spawn().await;
    let kk = app.get("/no-such-page").await;
    assert_eq!(kk.status, 404);
    assert_eq!(kk.texts("h1"), ["Бет табылмады"]);
    let id = kk.header("x-request-id").expect("a request id");
    assert_eq!(kk.texts(".request-id code"), [id]);

    let ru = app.get("/no-such-page?lang=ru").await;
    assert_eq!(ru.status, 404);
    assert_eq!(ru.texts("h1"), ["Страница не найдена"]);
    assert_eq!(ru.header("cache-control").as_deref(), Some("no-store"));
}

#[actix_web::test]
async fn a_post_without_csrf_token_gets_the_403_page() {
    let app = TestApp::spawn().await;
    let mut res = app.client.post(app.url("/privacy?lang=ru")).send().await.unwrap();
    let status = res.status().as_u16();
    let body = String::from_utf8(res.body().await.unwrap().to_vec()).unwrap();
    assert_eq!(status, 403, "a POST without a CSRF token is refused before routing");
    assert!(body.contains("<html lang=\"ru\">"), "{body}");
}

#[actix_web::test]
async fn a_page_opened_with_the_wrong_method_says_so_in_the_users_language() {
    let app = TestApp::spawn().await;
    let page = app.get("/logout?lang=ru").await;
    assert_eq!(page.status, 405, "signing out is a form, not a link");
    assert_eq!(page.header("allow").as_deref(), Some("POST, OPTIONS"));
    assert!(page.body.contains("<html lang=\"ru\">"), "{}", page.body);
    assert_eq!(page.texts(".request-id code").len(), 1, "the localised error page is shown");
}

fn panicking_route(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/test/panic",
        web::get().to(|| async {
            panic!("secret detail 791028302728");
            #[allow(unreachable_code)]
            ""
        }),
    );
}

#[actix_web::test]
async fn a_panicking_handler_answers_with_the_500_page_and_the_server_carries_on() {
    let app = TestApp::spawn_with(|_| {}, panicking_route).await;
    let page = app.get("/test/panic?lang=ru").await;
    assert_eq!(page.status, 500);
    assert_eq!(page.texts("h1"), ["Внутренняя ошибка"]);
    assert!(!page.body.contains("secret detail"), "internals leaked");
    assert!(!page.body.contains("791028302728"), "internals leaked");
    let id = page.texts(".request-id code");
    assert_eq!(id.len(), 1);
    assert_eq!(id[0].len(), 16, "a request id is shown: {id:?}");
    assert!(page.header("content-security-policy").is_some(), "headers survive a panic");
    assert_eq!(app.get("/").await.status, 200, "the worker is still serving");
}

#[actix_web::test]
async fn when_the_database_is_gone_readiness_fails_and_pages_say_unavailable() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/readyz").await.status, 200);
    app.db.drop_now();
    assert_eq!(app.get("/readyz").await.status, 503);
    assert_eq!(app.get("/healthz").await.status, 200, "the process itself is alive");
    let page = app.get("/privacy?lang=ru").await;
    assert_eq!(page.status, 503);
    assert_eq!(page.texts("h1"), ["Сервис временно недоступен"]);
    assert_eq!(app.get("/").await.status, 200, "pages without data still work");
}

fn refusing_routes(cfg: &mut web::ServiceConfig) {
    use avtomektep::error::AppError;
    cfg.route("/test/forbidden", web::get().to(|| async { Err::<&str, _>(AppError::Forbidden) }))
        .route(
            "/test/invalid",
            web::get().to(|| async { Err::<&str, _>(AppError::Unprocessable) }),
        );
}

#[actix_web::test]
async fn refusals_get_their_own_localised_pages() {
    let app = TestApp::spawn_with(|_| {}, refusing_routes).await;
    let cases = [
        ("/test/forbidden", 403, "Қол жеткізу шектелген", "Доступ запрещён"),
        ("/test/invalid", 422, "Деректерді қабылдау мүмкін емес", "Не удалось принять данные"),
    ];
    for (path, status, kk, ru) in cases {
        let page = app.get(path).await;
        assert_eq!((page.status, page.texts("h1")), (status, vec![kk.to_string()]));
        let page = app.get(&format!("{path}?lang=ru")).await;
        assert_eq!((page.status, page.texts("h1")), (status, vec![ru.to_string()]));
    }
}
