use avtomektep::db::schema::policy_versions;
use diesel::prelude::*;

use crate::support::dates;
use crate::support::{Page, TestApp};

const PHONE: &str = "+7 (7172) 55-44-33";

async fn app() -> TestApp {
    TestApp::spawn_with(|c| c.support_phone = PHONE.to_string(), |_| {}).await
}

fn assert_whole_policy(page: &Page) {
    assert_eq!(page.status, 200);
    let anchors: Vec<String> = (1..=15).map(|n| format!("#section-{n}")).collect();
    assert_eq!(page.attrs(".toc a", "href"), anchors, "a contents entry per section");
    let ids: Vec<String> = (1..=15).map(|n| format!("section-{n}")).collect();
    assert_eq!(page.attrs("section[id^=section-]", "id"), ids, "every section has its anchor");
    let headings = page.texts("section[id^=section-] h2");
    for (n, heading) in headings.iter().enumerate() {
        assert!(heading.starts_with(&format!("{}. ", n + 1)), "{heading}");
    }
    // Lists are lists again: §3 purposes, data, permissions; §11 rights; §15 contacts…
    let items = page.texts("section[id^=section-] li");
    assert_eq!(items.len(), 49, "{items:#?}");
    assert_eq!(page.texts("#section-11 li").len(), 5);
    let text = page.texts("article").join(" ");
    assert!(!text.contains('\u{0259}') && !text.contains('\u{018F}'), "Latin schwa published");
    assert!(text.contains(PHONE), "the configured support phone is shown");
    assert!(!text.contains("{support_phone}"));
    assert!(text.contains("140940023564"), "the operator's BIN");
}

#[actix_web::test]
async fn the_policy_is_published_whole_in_kazakh() {
    let app = app().await;
    let page = app.get("/privacy").await;
    assert_whole_policy(&page);
    assert!(page.texts("h1")[0].starts_with("ҚҰПИЯЛЫЛЫҚ САЯСАТЫ"));
    let text = page.texts("article").join(" ");
    assert!(text.contains("Шәкәрім Құдайбердіұлы"), "Kazakh letters are Cyrillic");
    assert!(page.texts(".meta")[0].contains("Нұсқа 1"));
}

#[actix_web::test]
async fn the_policy_is_published_whole_in_russian() {
    let app = app().await;
    let page = app.get("/privacy?lang=ru").await;
    assert_whole_policy(&page);
    assert!(page.texts("h1")[0].starts_with("ПОЛИТИКА КОНФИДЕНЦИАЛЬНОСТИ"));
    let rights = page.texts("#section-11 li");
    assert_eq!(rights[2], "отзывать согласие на обработку;");
    assert_eq!(page.texts("#section-12 h2"), ["12. Трансграничная передача данных"]);
}

/// Publishes a version `offset` from now (negative: in the past).
fn publish(app: &TestApp, number: i32, offset: chrono::Duration) {
    let published_at = dates::now() + offset;
    diesel::insert_into(policy_versions::table)
        .values((
            policy_versions::number.eq(number),
            policy_versions::published_at.eq(published_at),
            policy_versions::body_kk
                .eq(format!("# Саясат {number}\n\n## 1. Жаңа бөлім\n\nМәтін.\n")),
            policy_versions::body_ru
                .eq(format!("# Политика {number}\n\n## 1. Новый раздел\n\nТекст.\n")),
        ))
        .execute(&mut app.db.conn())
        .unwrap();
}

#[actix_web::test]
async fn a_new_version_takes_over_and_the_old_one_keeps_its_address() {
    let app = app().await;
    publish(&app, 2, chrono::Duration::minutes(-1));
    publish(&app, 3, chrono::Duration::days(30));

    let current = app.get("/privacy?lang=ru").await;
    assert_eq!(current.texts("h1"), ["Политика 2"]);
    assert!(current.texts(".notice").is_empty());

    let old = app.get("/privacy/versions/1?lang=ru").await;
    assert_eq!(old.status, 200);
    assert_whole_policy(&old);
    assert_eq!(old.attrs(".notice a", "href"), ["/privacy"], "points to the version in force");

    let list = app.get("/privacy/versions?lang=ru").await;
    assert_eq!(
        list.attrs(".version-list a", "href"),
        ["/privacy/versions/2", "/privacy/versions/1"],
        "published versions only, newest first"
    );
    assert_eq!(list.texts(".version-list .badge").len(), 1);
    assert_eq!(list.texts("main p")[0], "Опубликованы 2 редакции.");

    assert_eq!(app.get("/privacy/versions/3").await.status, 404, "not yet published");
}

#[actix_web::test]
async fn the_versions_page_lists_version_one_as_current() {
    let app = app().await;
    let list = app.get("/privacy/versions?lang=ru").await;
    assert_eq!(list.attrs(".version-list a", "href"), ["/privacy/versions/1"]);
    assert_eq!(list.texts(".version-list .badge"), ["действует"]);
    assert_eq!(list.texts("main p")[0], "Опубликована 1 редакция.");
}

#[actix_web::test]
async fn unknown_or_malformed_version_numbers_are_404() {
    let app = app().await;
    for path in ["/privacy/versions/99", "/privacy/versions/abc", "/privacy/versions/-1"] {
        assert_eq!(app.get(path).await.status, 404, "{path}");
    }
}

#[test]
fn the_migration_publishes_exactly_the_reviewed_texts() {
    let dir =
        concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/2026-11-27-000002_privacy_policy_v1");
    let sql = std::fs::read_to_string(format!("{dir}/up.sql")).unwrap();
    for lang in ["kk", "ru"] {
        let text = std::fs::read_to_string(format!("{dir}/{lang}.md")).unwrap();
        assert!(sql.contains(&format!("$policy${text}$policy$")), "{lang}.md differs from up.sql");
        assert!(!text.contains('\u{0259}') && !text.contains('\u{018F}'), "{lang}: Latin schwa");
        let sections: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
        assert_eq!(sections.len(), 15, "{lang}");
    }
}
