//! The staff pages of a big school: one school with 200 groups, 5,000 students, 60 instructors
//! and 50,000 lessons. Times the dashboard, a group roster and an instructor's week calendar
//! end to end over loopback, and counts the SQL queries each page sends.
//!
//!     cargo bench --bench schools

mod support;

use std::time::{Duration, Instant};

use avtomektep::crypto::KeyRing;
use avtomektep::db::QueryCounter;
use avtomektep::schools::registry::model::{self as schools, NewSchool};
use avtomektep::schools::volume::{self, Volume};
use diesel::{Connection, PgConnection};

const RUNS: usize = 60;
const PASSWORD: &str = "жасыл алма 2026 бенч";

const VOLUME: Volume = Volume { groups: 200, students: 5_000, instructors: 60, lessons: 50_000 };

fn median_ms(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(times[times.len() / 2]), ms(times[times.len() * 9 / 10]))
}

async fn session_cookie(http: &awc::Client, base: &str, login: &str) -> String {
    let mut page = http.get(format!("{base}/login")).send().await.unwrap();
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap();
    let body = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
    let token = support::csrf_token(&body);
    let res = http
        .post(format!("{base}/login"))
        .insert_header(("Cookie", cookie))
        .send_form(&[
            ("csrf_token", token.as_str()),
            ("login", login),
            ("password", PASSWORD),
            ("next", "/school"),
        ])
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303, "sign-in as {login}");
    res.headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap()
}

fn main() {
    let scratch = support::Scratch::start("bench");
    let (root, url) = (scratch.root.clone(), scratch.url.clone());
    let mut conn = PgConnection::establish(&url).unwrap();
    let keys = KeyRing::generate();

    let started = Instant::now();
    let school = schools::insert_school(
        &mut conn,
        &NewSchool {
            bin: "940140000385".into(),
            name_kk: "Үлкен автомектеп".into(),
            name_ru: "Большая автошкола".into(),
            city: "Астана".into(),
            address: "Мәңгілік Ел 8".into(),
            licence_number: "KZ-BENCH".into(),
            phone: None,
            email: None,
        },
    )
    .unwrap();
    let manager = avtomektep::accounts::operator::create_account(
        &mut conn,
        &keys,
        "school_staff",
        "manager@bench.kz",
        "Бенчмарков Менеджер",
        PASSWORD,
    )
    .unwrap();
    schools::add_staff(&mut conn, school, manager, "manager").unwrap();
    let hash = avtomektep::domain::password::hash(PASSWORD);
    let seeded = volume::seed(
        &mut conn,
        &keys,
        school,
        VOLUME,
        &hash,
        avtomektep::clock::Clock::system().now(),
    )
    .unwrap();
    diesel::RunQueryDsl::execute(diesel::sql_query("ANALYZE"), &mut conn).unwrap();
    println!(
        "seeded {} groups, {} students, {} instructors, {} lessons in {:.1} s",
        VOLUME.groups,
        VOLUME.students,
        VOLUME.instructors,
        VOLUME.lessons,
        started.elapsed().as_secs_f64()
    );

    let queries = QueryCounter::default();
    let pool = avtomektep::db::counted_pool(&url, 4, queries.clone()).unwrap();
    let (listener, state) = support::state(&url, &root, keys, pool);

    actix_web::rt::System::new().block_on(async move {
        let (base, handle) = support::serve(state, listener, 1);
        let http = awc::Client::builder()
            .disable_redirects()
            .timeout(Duration::from_secs(30))
            .finish();
        let cookie = session_cookie(&http, &base, "manager@bench.kz").await;
        let pages = [
            ("school dashboard", "/school".to_string()),
            (
                "group roster (25 students)",
                format!("/school/groups/{}", seeded.groups[0]),
            ),
            (
                "instructor week calendar",
                format!("/school/calendar?instructor={}", seeded.instructors[0]),
            ),
        ];
        for (name, path) in pages {
            let mut times = Vec::new();
            let mut counts = Vec::new();
            let mut bytes = 0;
            for run in 0..RUNS + 3 {
                let before = queries.get();
                let t = Instant::now();
                let mut res = http
                    .get(format!("{base}{path}"))
                    .insert_header(("Cookie", cookie.clone()))
                    .insert_header(("Accept-Encoding", "identity"))
                    .send()
                    .await
                    .unwrap();
                let body = res.body().limit(10 << 20).await.unwrap();
                let took = t.elapsed();
                assert_eq!(res.status().as_u16(), 200, "{path}");
                // The first requests warm the pool and the caches.
                if run >= 3 {
                    times.push(took);
                    counts.push(queries.get() - before);
                    bytes = body.len();
                }
            }
            counts.sort();
            counts.dedup();
            let (median, p90) = median_ms(times);
            println!(
                "{name}: median {median:.1} ms, p90 {p90:.1} ms, {counts:?} SQL queries, {bytes} B HTML ({RUNS} runs)"
            );
        }
        handle.stop(false).await;
    });
    drop(scratch);
}
