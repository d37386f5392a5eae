//! Hostile input on every form, driven by the routes: for each role, every page the route
//! table serves is crawled (following the pages' own links and the fixture's ids), every POST
//! form found on them is read from the HTML, and each of its text fields in turn gets a NUL
//! byte, control characters, 1 MB of text, a right-to-left override and a pile of combining
//! marks. Each answer must be a 4xx page in the visitor's language with an error on it, never a
//! 500, and no table may change. The fixture (`fixture.rs`) puts a form of every POST route on
//! some role's page, and the test fails for a POST route no crawl reached.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Instant;

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::support::routes::{self, Route};
use crate::support::smtp::SmtpSink;
use crate::support::{Page, TestApp, Visitor};

mod fixture;

/// A payload's name, and how to make it.
type Payload = (&'static str, fn() -> String);

const PAYLOADS: &[Payload] = &[
    ("NUL byte", || "Тест\0тест".into()),
    ("control characters", || "Тест\u{1}\u{8}\u{1b}[2J\u{7f}\u{85}".into()),
    ("1 MB of text", || "A".repeat(1 << 20)),
    ("right-to-left override", || "Тест \u{202E}txt.exe".into()),
    ("combining marks", || format!("Z{}", "\u{0301}\u{0302}\u{0303}\u{0304}\u{0336}".repeat(8))),
];

/// Input types whose value a person types; plus the hidden CSRF token.
const TEXT_TYPES: &[&str] = &["text", "email", "tel", "search", "url", "password", ""];

/// Pages crawled per role, and pages of one route (e.g. one school's page is enough).
const MAX_PAGES: usize = 120;
const PAGES_PER_ROUTE: usize = 2;

#[derive(Debug, Clone)]
struct Field {
    name: String,
    value: String,
    /// Typed by a person (or the CSRF token): the fields that get the payloads.
    fuzzed: bool,
}

#[derive(Debug, Clone)]
struct FoundForm {
    page: String,
    action: String,
    route: String,
    multipart: bool,
    fields: Vec<Field>,
}

/// Ids of the fixture's rows, to fill in routes like `/tickets/{id}`.
fn fixture_ids(app: &TestApp) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let sql = "SELECT id::text AS id FROM users UNION ALL SELECT id::text FROM schools \
               UNION ALL SELECT id::text FROM training_groups UNION ALL SELECT id::text FROM tickets \
               UNION ALL SELECT id::text FROM enrolments";
    let rows: Vec<Id> = diesel::sql_query(sql).load(&mut app.db.conn()).unwrap();
    rows.into_iter().map(|r| r.id).collect()
}

/// A digest of every table's rows but the sessions' (a visit may touch its own session).
fn digest(app: &TestApp) -> BTreeMap<String, String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Sum {
        #[diesel(sql_type = Text)]
        sum: String,
    }
    let mut conn = app.db.conn();
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name NOT IN ('sessions', '__diesel_schema_migrations')",
    )
    .load(&mut conn)
    .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let sql = format!(
                "SELECT count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY \
                 x::text)), '') AS sum FROM \"{}\" x",
                t.name
            );
            let sum: Sum = diesel::sql_query(sql).get_result(&mut conn).unwrap();
            (t.name, sum.sum)
        })
        .collect()
}

fn resolve(app: &TestApp, base: &str, href: &str) -> Option<String> {
    let origin = url::Url::parse(&app.url("/")).unwrap();
    let url = origin.join(base).ok()?.join(href).ok()?;
    (url.origin() == origin.origin())
        .then(|| url[url::Position::BeforePath..url::Position::AfterQuery].to_string())
}

fn forms_on(app: &TestApp, page_url: &str, page: &Page, routes: &[Route]) -> Vec<FoundForm> {
    let html = page.html();
    let form_sel = scraper::Selector::parse("form").unwrap();
    let field_sel = scraper::Selector::parse("input, textarea, select").unwrap();
    let option_sel = scraper::Selector::parse("option").unwrap();
    let mut found = Vec::new();
    for form in html.select(&form_sel) {
        let el = form.value();
        if !el.attr("method").is_some_and(|m| m.eq_ignore_ascii_case("post")) {
            continue;
        }
        let Some(action) = resolve(app, page_url, el.attr("action").unwrap_or(page_url)) else {
            continue;
        };
        let path = action.split('?').next().unwrap_or_default();
        let Some(route) = routes::find(routes, "POST", path) else { continue };
        let mut fields = Vec::new();
        let mut radios = HashSet::new();
        for input in form.select(&field_sel) {
            let e = input.value();
            let Some(name) = e.attr("name") else { continue };
            let (value, fuzzed) = match e.name() {
                "textarea" => (input.text().collect::<String>(), true),
                "select" => {
                    let options: Vec<_> = input.select(&option_sel).collect();
                    let chosen = options
                        .iter()
                        .find(|o| o.value().attr("selected").is_some())
                        .or(options
                            .iter()
                            .find(|o| !o.value().attr("value").unwrap_or("").is_empty()))
                        .and_then(|o| o.value().attr("value"))
                        .unwrap_or_default();
                    (chosen.to_string(), false)
                }
                _ => {
                    let kind = e.attr("type").unwrap_or("").to_ascii_lowercase();
                    let value = e.attr("value").unwrap_or_default().to_string();
                    match kind.as_str() {
                        "file" | "submit" | "button" | "image" | "reset" => continue,
                        // A browser sends one radio per name; the first will do.
                        "radio" if !radios.insert(name.to_string()) => continue,
                        "checkbox" | "radio" => {
                            (if value.is_empty() { "on".into() } else { value }, false)
                        }
                        "hidden" => (value, name == "csrf_token"),
                        kind => (value, TEXT_TYPES.contains(&kind)),
                    }
                }
            };
            fields.push(Field { name: name.to_string(), value, fuzzed });
        }
        let multipart = el.attr("enctype").is_some_and(|e| e.contains("multipart"));
        found.push(FoundForm {
            page: page_url.to_string(),
            action,
            route: route.pattern.clone(),
            multipart,
            fields,
        });
    }
    found
}

/// Every page of the route table this visitor can open, and the POST forms on them.
async fn crawl(
    app: &TestApp, visitor: &Visitor<'_>, seeds: &[String], routes: &[Route], ids: &[String],
) -> (usize, Vec<FoundForm>) {
    let mut queue: VecDeque<String> = seeds.iter().cloned().collect();
    for route in routes.iter().filter(|r| r.has("GET")) {
        if !route.is_parametric() {
            queue.push_back(route.pattern.clone());
        } else if route.pattern.matches('{').count() == 1 {
            let (before, rest) = route.pattern.split_once('{').unwrap();
            let after = rest.split_once('}').unwrap().1;
            queue.extend(ids.iter().map(|id| format!("{before}{id}{after}")));
        }
    }
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut per_route: HashMap<String, usize> = HashMap::new();
    let (mut pages, mut forms) = (0, Vec::new());
    while let Some(url) = queue.pop_front() {
        if pages >= MAX_PAGES {
            break;
        }
        let path = url.split('?').next().unwrap_or_default();
        let Some(route) = routes::find(routes, "GET", path) else { continue };
        if per_route.get(&route.pattern).copied().unwrap_or(0) >= PAGES_PER_ROUTE {
            continue;
        }
        let page = visitor.get(&url).await;
        // A page that sends on (`/reviews/new?school=…` → `?enrolment=…`) is followed.
        if (300..400).contains(&page.status) {
            if let Some(target) = resolve(app, &url, &page.location()) {
                if seen.insert(target.clone()) {
                    queue.push_front(target);
                }
            }
            continue;
        }
        let html = page.header("content-type").is_some_and(|t| t.starts_with("text/html"));
        if page.status != 200 || !html {
            continue;
        }
        pages += 1;
        *per_route.entry(route.pattern.clone()).or_default() += 1;
        for href in page.attrs("a[href]", "href") {
            if href.contains("lang=") || href.starts_with("/static/") {
                continue;
            }
            if let Some(target) = resolve(app, &url, &href) {
                if seen.insert(target.clone()) {
                    queue.push_back(target);
                }
            }
        }
        forms.extend(forms_on(app, &url, &page, routes));
    }
    (pages, forms)
}

fn body(form: &FoundForm, fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    if !form.multipart {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            out.append_pair(k, v);
        }
        return ("application/x-www-form-urlencoded".into(), out.finish().into_bytes());
    }
    let boundary = "hostile-boundary-7d3f";
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n")
                .as_bytes(),
        );
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), out)
}

/// What is wrong with an answer to a hostile submission, if anything.
fn judge(page: &Page, lang: &str, field: &str) -> Option<String> {
    if !(400..500).contains(&page.status) {
        return Some(format!("status {}", page.status));
    }
    // A refused token means the payload never reached the form's checks: nothing was tested.
    if page.status == 403 && field != "csrf_token" {
        return Some("403: the CSRF token was refused, so the payload went untested".into());
    }
    if !page.body.contains(&format!("<html lang=\"{lang}\"")) {
        return Some(format!("status {}, not a page in {lang}", page.status));
    }
    let errors = page.texts(".error-page h1, .error-summary, .error-message, [role=alert]");
    if errors.iter().all(|t| t.is_empty()) {
        return Some(format!("status {}, no error message on the page", page.status));
    }
    None
}

#[actix_web::test]
async fn every_text_field_of_every_form_refuses_hostile_input() {
    let started = Instant::now();
    let sink = SmtpSink::start();
    let app = crate::accounts::app_with_mail(&sink).await;
    let routes = routes::all();
    let crawlers = fixture::crawlers(&app, &sink).await;
    let ids = fixture_ids(&app);
    let (mut wrong, mut covered) = (Vec::new(), HashSet::new());
    let (mut pages_total, mut forms_total, mut submissions) = (0, 0, 0);
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for fixture::Crawler { role, lang, visitor, seeds } in &crawlers {
        let (pages, forms) = crawl(&app, visitor, seeds, &routes, &ids).await;
        pages_total += pages;
        // One form per route and set of fields (a list of like forms needs one try).
        let mut distinct: BTreeMap<(String, Vec<String>), FoundForm> = BTreeMap::new();
        for form in forms {
            let names = form.fields.iter().map(|f| f.name.clone()).collect();
            distinct.entry((form.route.clone(), names)).or_insert(form);
        }
        for form in distinct.into_values() {
            forms_total += 1;
            covered.insert(form.route.clone());
            let before = digest(&app);
            for (i, field) in form.fields.iter().enumerate().filter(|(_, f)| f.fuzzed) {
                for (payload_name, payload) in PAYLOADS {
                    let payload = payload();
                    let values: Vec<(&str, &str)> = form
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(j, f)| {
                            (
                                f.name.as_str(),
                                if i == j { payload.as_str() } else { f.value.as_str() },
                            )
                        })
                        .collect();
                    let (content_type, bytes) = body(&form, &values);
                    submissions += 1;
                    let answer =
                        visitor.try_post_body(&form.action, &content_type, &[], bytes).await;
                    let problem = match answer {
                        Ok(page) => {
                            *statuses.entry(page.status).or_default() += 1;
                            judge(&page, lang, &field.name)
                        }
                        Err(e) => Some(format!("no answer: {e}")),
                    };
                    if let Some(problem) = problem {
                        wrong.push(format!(
                            "{role} POST {} (form on {}), {} = {payload_name}: {problem}",
                            form.action, form.page, field.name
                        ));
                    }
                }
            }
            let after = digest(&app);
            for (table, sum) in &after {
                if before.get(table) != Some(sum) {
                    wrong.push(format!("{role} POST {}: table {table} changed", form.action));
                }
            }
        }
    }
    let posts: Vec<&Route> = routes.iter().filter(|r| r.has("POST")).collect();
    let missed: Vec<&str> =
        posts.iter().map(|r| r.pattern.as_str()).filter(|p| !covered.contains(*p)).collect();
    println!(
        "hostile input: {} roles, {pages_total} pages, {forms_total} forms on {} of {} POST \
         routes, {submissions} submissions ({statuses:?} by status) in {:.1} s; no form reached \
         for: {missed:?}",
        crawlers.len(),
        covered.len(),
        posts.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(wrong.is_empty(), "{} problems:\n{}", wrong.len(), wrong.join("\n"));
    // Every POST route must be reached: a new one needs its form on a page the fixture makes.
    assert!(missed.is_empty(), "no form reached for {missed:?}: extend hostile/fixture.rs");
}
