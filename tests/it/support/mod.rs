pub mod app;
pub mod dates;
pub mod db;
pub mod routes;
pub mod smtp;
pub mod visitor;

pub use app::{Page, TestApp};
pub use db::TestDb;
pub use visitor::Visitor;

/// Texts of the elements matching a CSS selector, whitespace collapsed.
pub fn texts(html: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    html.select(&selector)
        .map(|e| {
            e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect()
}

pub fn attrs(html: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    html.select(&selector).filter_map(|e| e.value().attr(attr).map(str::to_string)).collect()
}
