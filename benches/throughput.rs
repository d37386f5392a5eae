//! Requests per second of the portal's pages against a reference page, in one run: a bare
//! actix-web handler that reads 12 rows with diesel through r2d2 and renders them with askama
//! (TechEmpower's "Fortunes"). Both servers run two workers on the same machine and the same
//! throwaway PostgreSQL, and the same load generator drives them (64 keep-alive connections,
//! like `wrk -c 64`), so the ratio is what to read: a noisy machine moves both.
//!
//!     cargo bench --bench throughput            # 8 s a page
//!     THROUGHPUT_SECONDS=3 cargo bench --bench throughput
//!     THROUGHPUT_ONLY=groups cargo bench --bench throughput   # the reference and matching pages

mod support;

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use actix_web::{HttpResponse, web};
use askama::Template;
use avtomektep::crypto::KeyRing;
use avtomektep::db::DbPool;
use diesel::Connection as _;
use diesel::prelude::*;

const CONNECTIONS: usize = 64;
const WORKERS: usize = 2;

diesel::table! {
    bench_fortune (id) {
        id -> Int4,
        message -> Text,
    }
}

#[derive(Template)]
#[template(
    source = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>\
<tr><th>id</th><th>message</th></tr>{% for (id, message) in rows %}\
<tr><td>{{ id }}</td><td>{{ message }}</td></tr>{% endfor %}</table></body></html>",
    ext = "html"
)]
struct Fortunes {
    rows: Vec<(i32, String)>,
}

async fn fortunes(pool: web::Data<DbPool>) -> actix_web::Result<HttpResponse> {
    let pool = pool.clone();
    let mut rows = web::block(move || -> anyhow::Result<Vec<(i32, String)>> {
        Ok(bench_fortune::table.load(&mut pool.get()?)?)
    })
    .await?
    .map_err(actix_web::error::ErrorInternalServerError)?;
    rows.push((0, "Additional fortune added at request time.".into()));
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let body = Fortunes { rows }.render().map_err(actix_web::error::ErrorInternalServerError)?;
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(body))
}

fn reference(pool: DbPool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = listener.local_addr().unwrap().to_string();
    let pool = web::Data::new(pool);
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new().app_data(pool.clone()).route("/fortunes", web::get().to(fortunes))
    })
    .workers(WORKERS)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    base
}

fn seed_fortunes(conn: &mut PgConnection) {
    diesel::sql_query("CREATE TABLE bench_fortune (id int PRIMARY KEY, message text NOT NULL)")
        .execute(conn)
        .unwrap();
    let messages = [
        "fortune: No such file or directory",
        "A computer scientist is someone who fixes things that aren't broken.",
        "After enough decimal places, nobody gives a damn.",
        "A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1",
        "A computer program does what you tell it to do, not what you want it to do.",
        "Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen",
        "Any program that runs right is obsolete.",
        "A list is only as strong as its weakest link. — Donald Knuth",
        "Feature: A bug with seniority.",
        "Computers make very fast, very accurate mistakes.",
        "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
        "フレームワークのベンチマーク",
    ];
    for (i, message) in messages.iter().enumerate() {
        diesel::insert_into(bench_fortune::table)
            .values((bench_fortune::id.eq(i as i32 + 1), bench_fortune::message.eq(*message)))
            .execute(conn)
            .unwrap();
    }
}

struct Figures {
    per_second: f64,
    p50: Duration,
    p99: Duration,
    failed: usize,
}

/// Drives `path` with `CONNECTIONS` connections for `seconds`.
fn load(addr: SocketAddr, path: &str, cookie: &str, seconds: u64) -> Figures {
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let (stop, path, cookie) = (stop.clone(), path.to_string(), cookie.to_string());
            std::thread::spawn(move || {
                let mut connection = support::Connection::open(addr, &path, &cookie);
                let (mut times, mut failed) = (Vec::new(), 0);
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    match connection.get() {
                        Ok(200) => times.push(started.elapsed()),
                        Ok(_) => failed += 1,
                        Err(_) => {
                            failed += 1;
                            connection = support::Connection::open(addr, &path, &cookie);
                        }
                    }
                }
                (times, failed)
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let (mut times, mut failed) = (Vec::new(), 0);
    for thread in threads {
        let (t, f) = thread.join().unwrap();
        times.extend(t);
        failed += f;
    }
    let elapsed = started.elapsed().as_secs_f64();
    times.sort();
    let at =
        |q: f64| times.get(((times.len() as f64 * q) as usize).min(times.len().saturating_sub(1)));
    Figures {
        per_second: times.len() as f64 / elapsed,
        p50: at(0.5).copied().unwrap_or_default(),
        p99: at(0.99).copied().unwrap_or_default(),
        failed,
    }
}

/// Signs in through the real form and returns the session cookie.
async fn sign_in(base: &str, email: &str) -> String {
    let http = awc::Client::builder().disable_redirects().finish();
    let mut page = http.get(format!("{base}/login")).send().await.unwrap();
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .unwrap_or_default();
    let body = String::from_utf8(page.body().await.unwrap().to_vec()).unwrap();
    let token = support::csrf_token(&body);
    let password = avtomektep::accounts::operator::DEMO_PASSWORD;
    let res = http
        .post(format!("{base}/login"))
        .insert_header(("Cookie", cookie))
        .send_form(&[("csrf_token", token.as_str()), ("login", email), ("password", password)])
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303, "signing in as {email}");
    res.headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("session="))
        .map(|v| v.split(';').next().unwrap().to_string())
        .expect("a session cookie")
}

fn main() {
    let seconds: u64 =
        std::env::var("THROUGHPUT_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
    let scratch = support::Scratch::start("throughput");
    let (root, url) = (scratch.root.clone(), scratch.url.clone());
    let keys = KeyRing::generate();
    let (school, group) = {
        let mut conn = PgConnection::establish(&url).unwrap();
        avtomektep::accounts::operator::seed_demo(&mut conn, &keys).unwrap();
        let now = avtomektep::clock::Clock::system().now();
        avtomektep::schools::demo::seed(&mut conn, &keys, now).unwrap();
        seed_fortunes(&mut conn);
        use avtomektep::db::schema::training_groups;
        let (group, school): (uuid::Uuid, uuid::Uuid) = training_groups::table
            .select((training_groups::id, training_groups::school_id))
            .first(&mut conn)
            .unwrap();
        (school, group)
    };
    let pool = avtomektep::db::pool(&url, 8).unwrap();
    let reference_pool = avtomektep::db::pool(&url, 8).unwrap();
    let (listener, state) = support::state(&url, &root, keys, pool);

    actix_web::rt::System::new().block_on(async move {
        let reference = reference(reference_pool);
        let (portal, handle) = support::serve(state, listener, WORKERS);
        let manager = sign_in(&portal, "school-staff@demo.avtomektep.kz").await;
        let portal_addr: SocketAddr = portal.trim_start_matches("http://").parse().unwrap();
        let reference_addr: SocketAddr = reference.parse().unwrap();
        let none = String::new();
        let pages: Vec<(&str, SocketAddr, String, String)> = vec![
            ("reference (Fortunes)", reference_addr, "/fortunes".into(), none.clone()),
            ("/schools (anonymous)", portal_addr, "/schools".into(), none.clone()),
            ("/privacy (anonymous)", portal_addr, "/privacy".into(), none.clone()),
            ("/schools/{id} (anonymous)", portal_addr, format!("/schools/{school}"), none),
            ("/school/calendar (manager)", portal_addr, "/school/calendar".into(), manager.clone()),
            ("/school (manager)", portal_addr, "/school".into(), manager.clone()),
            (
                "/school/groups/{id} (manager)",
                portal_addr,
                format!("/school/groups/{group}"),
                manager,
            ),
        ];
        let only = std::env::var("THROUGHPUT_ONLY").unwrap_or_default();
        let pages: Vec<_> = pages
            .into_iter()
            .enumerate()
            .filter(|(i, (name, ..))| *i == 0 || name.contains(only.as_str()))
            .map(|(_, page)| page)
            .collect();
        // The load runs on plain threads, off the servers' workers (as an outside tool would).
        let figures = web::block(move || {
            pages
                .into_iter()
                .map(|(name, addr, path, cookie)| {
                    let figures = load(addr, &path, &cookie, seconds);
                    (name, figures)
                })
                .collect::<Vec<_>>()
        })
        .await
        .unwrap();
        let reference_rate = figures[0].1.per_second;
        println!(
            "{CONNECTIONS} connections, {seconds} s a page, {WORKERS} workers each, this machine"
        );
        println!("| page | requests/s | p50 ms | p99 ms | share of the reference |");
        println!("| --- | ---: | ---: | ---: | ---: |");
        for (name, f) in &figures {
            let failed =
                if f.failed > 0 { format!(" ({} failed)", f.failed) } else { String::new() };
            println!(
                "| {name}{failed} | {:.0} | {:.1} | {:.1} | {:.2} |",
                f.per_second,
                f.p50.as_secs_f64() * 1000.0,
                f.p99.as_secs_f64() * 1000.0,
                f.per_second / reference_rate
            );
        }
        handle.stop(true).await;
    });
    drop(scratch);
}
