//! Long staff lists: the dashboard's groups come a page at a time and can be filtered; a
//! group's roster can be searched by name (by POST, so names stay out of URLs).

use avtomektep::schools::volume::{self, Volume};
use uuid::Uuid;

use crate::schools::{manager_of, school, signed_in};
use crate::support::TestApp;

#[actix_web::test]
async fn the_dashboard_pages_and_filters_the_groups() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let id = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(&app, &admin, &id, "m@zhol.kz").await;
    let v = Volume { groups: 45, students: 45, instructors: 0, lessons: 0 };
    volume::seed(&mut app.db.conn(), app.keys(), Uuid::parse_str(&id).unwrap(), v, "x", app.now())
        .unwrap();

    let first = manager.get("/school?lang=ru").await;
    let links = |page: &crate::support::Page| page.attrs(".groups a", "href");
    assert_eq!(links(&first).len(), 20);
    assert_eq!(first.texts(".pager span")[1], "Страница 1 / 3");
    let next = first.attrs(".pager a[rel=next]", "href")[0].clone();
    let second = manager.get(&next).await;
    assert_eq!(links(&second).len(), 20);
    assert!(links(&second).iter().all(|l| !links(&first).contains(l)));
    let last = manager.get("/school?page=3").await;
    assert_eq!(links(&last).len(), 5);
    // A page past the end shows the last one rather than an empty list.
    assert_eq!(links(&manager.get("/school?page=99").await).len(), 5);

    // 45 groups over 13 categories: B is the fourth, so groups 3, 16, 29 and 42.
    let b = manager.get("/school?category=B").await;
    let categories = b.texts(".groups strong");
    assert_eq!(categories.len(), 4, "{categories:?}");
    assert!(categories.iter().all(|c| c.ends_with(" B")));
    assert!(b.attrs(".pager", "class").is_empty());
    assert!(manager.get("/school?status=finished").await.texts(".groups li").is_empty());
    // An unknown filter value is ignored, not an error.
    assert_eq!(links(&manager.get("/school?status=nonsense").await).len(), 20);
}

#[actix_web::test]
async fn a_roster_is_searched_by_name_through_a_post() {
    let app = TestApp::spawn().await;
    let admin = signed_in(&app, "admin", "boss@avtomektep.kz").await;
    let id = school(&admin, "940140000385", "Жол").await;
    let manager = manager_of(&app, &admin, &id, "m@zhol.kz").await;
    let v = Volume { groups: 1, students: 30, instructors: 0, lessons: 0 };
    let seeded = volume::seed(
        &mut app.db.conn(),
        app.keys(),
        Uuid::parse_str(&id).unwrap(),
        v,
        "x",
        app.now(),
    )
    .unwrap();
    let path = format!("/school/groups/{}", seeded.groups[0]);
    assert_eq!(manager.get(&path).await.texts(".roster li").len(), 30);

    // Seeded names are "Тестов{n} Ученик{n}": "ученик2" matches 2 and 20–29, case aside.
    let found = manager.submit(&path, &path, &[("q", "УЧЕНИК2")]).await;
    assert_eq!(found.status, 200);
    assert_eq!(found.texts(".roster li").len(), 11);
    let both_words = manager.submit(&path, &path, &[("q", "тестов21 ученик21")]).await;
    assert_eq!(both_words.texts(".roster li strong"), vec!["Тестов21 Ученик21"]);
    let none = manager.submit(&path, &path, &[("q", "%")]).await;
    assert_eq!(none.texts(".roster li").len(), 30, "a wildcard is not a pattern");
    let nobody = manager.submit(&path, &path, &[("q", "Жоқ")]).await;
    assert!(nobody.texts(".roster li").is_empty());
    // The search box keeps what was typed.
    assert_eq!(nobody.attrs("#q", "value"), vec!["Жоқ"]);
}
