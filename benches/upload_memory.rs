//! Memory of the server process under 8 parallel worst-case photo uploads (8 people, one file
//! each): resident memory before, the peak during (VmHWM), and idle after the burst.
//!
//!     cargo bench --bench upload_memory
//!     UPLOAD_BENCH_SERVER=/path/to/an/older/avtomektep cargo bench --bench upload_memory
//!
//! The server is the real binary (`avtomektep serve`, built with the benchmark, or the one
//! named by `UPLOAD_BENCH_SERVER` to compare with an older build) in its own process, against
//! a throwaway PostgreSQL; the figures are that process's own (`/proc/<pid>/status`).
//! Two bursts: the report's file (7000×7000 16-bit RGB PNG, 2 MB sent, 294 MB decoded) and the
//! largest file now accepted (7000×7000 8-bit RGBA PNG, 196 MB decoded).
//!
//! Measured on the 2-core development machine (MB of the server's RSS: start → peak → idle 5 s
//! after the burst):
//!
//! | build | 8 × 16-bit 7000² | 8 × 8-bit RGBA 7000² |
//! | --- | --- | --- |
//! | before (no decoding budget, glibc malloc) | 156 → 1100 → 211, all 303 | 211 → 659 → 221 |
//! | before, `MALLOC_ARENA_MAX=2` | 79 → 965 → 89, all 303 | 89 → 495 → 89 |
//! | budget, glibc malloc | 96 → 103 → 103, all 422 | 103 → 381 → 162 |
//! | budget, mimalloc (shipped) | 67 → 120 → 120, all 422 | 120 → 396 → 125 |

mod support;

use std::time::{Duration, Instant};

use avtomektep::crypto::KeyRing;
use avtomektep::media::pipeline::blank_png;
use diesel::{Connection, PgConnection};

const PEOPLE: usize = 8;
const PASSWORD: &str = "жасыл алма 2026 бенч";
const BOUNDARY: &str = "----avtomektep-bench-boundary";

/// A signed-in person with the upload form's action.
struct Person {
    http: awc::Client,
    base: String,
    cookie: String,
}

impl Person {
    async fn page(&mut self, path: &str) -> String {
        let mut res = self
            .http
            .get(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        String::from_utf8(res.body().limit(4 << 20).await.unwrap().to_vec()).unwrap()
    }

    fn keep_cookie<S>(&mut self, res: &awc::ClientResponse<S>) {
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            if text.starts_with("session=") {
                self.cookie = text.split(';').next().unwrap().to_string();
            }
        }
    }

    async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> u16 {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send_form(&form)
            .await
            .unwrap();
        self.keep_cookie(&res);
        res.status().as_u16()
    }

    async fn sign_in(base: &str, email: &str) -> Person {
        let http =
            awc::Client::builder().disable_redirects().timeout(Duration::from_secs(900)).finish();
        let mut person = Person { http, base: base.into(), cookie: String::new() };
        let token = support::csrf_token(&person.page("/login").await);
        let status = person
            .post_form(
                "/login",
                &[("csrf_token", &token), ("login", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, 303, "sign-in of {email}");
        let token = support::csrf_token(&person.page("/me/photos").await);
        assert_eq!(person.post_form("/me/photos/consent", &[("csrf_token", &token)]).await, 303);
        person
    }

    /// Uploads `file` as a face photo; the answer's status and how long it took.
    async fn upload(&mut self, file: &[u8]) -> (u16, Duration) {
        let page = self.page("/me/photos").await;
        let start = page.find("action=\"/me/photos?").expect("the upload form") + 8;
        let action = page[start..start + page[start..].find('"').unwrap()].replace("&amp;", "&");
        let mut body = format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nface\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
        let started = Instant::now();
        let res = self
            .http
            .post(format!("{}{action}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .insert_header(("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}")))
            .send_body(body)
            .await
            .unwrap();
        (res.status().as_u16(), started.elapsed())
    }
}

/// A figure from `/proc/<pid>/status`, in MB.
fn status_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(field)).unwrap();
    let kb: f64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb / 1024.0
}

/// Resets the process's peak resident size (VmHWM) to its current one.
fn reset_peak(pid: u32) {
    std::fs::write(format!("/proc/{pid}/clear_refs"), "5").unwrap();
}

async fn burst(label: &str, file: &[u8], people: &mut [Person], pid: u32) {
    let before = status_mb(pid, "VmRSS:");
    reset_peak(pid);
    let started = Instant::now();
    let answers = futures_util::future::join_all(people.iter_mut().map(|p| p.upload(file))).await;
    let took = started.elapsed();
    let peak = status_mb(pid, "VmHWM:");
    let after = status_mb(pid, "VmRSS:");
    actix_web::rt::time::sleep(Duration::from_secs(5)).await;
    let idle = status_mb(pid, "VmRSS:");
    let mut statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    statuses.sort();
    println!("{label} ({:.1} MB each), {PEOPLE} at once:", file.len() as f64 / 1e6);
    println!("  answers {statuses:?}, all done in {:.1} s", took.as_secs_f64());
    println!(
        "  RSS before {before:.0} MB, peak {peak:.0} MB, right after {after:.0} MB, \
         idle 5 s later {idle:.0} MB"
    );
}

fn main() {
    let scratch = support::Scratch::start("upload-bench");
    let (root, url) = (scratch.root.clone(), scratch.url.clone());
    let mut conn = PgConnection::establish(&url).unwrap();
    let keys = KeyRing::generate();
    let emails: Vec<String> = (0..PEOPLE).map(|i| format!("uploader{i}@bench.kz")).collect();
    for email in &emails {
        avtomektep::accounts::operator::create_account(
            &mut conn,
            &keys,
            "student",
            email,
            "Бенчмарков Тест",
            PASSWORD,
        )
        .unwrap();
    }
    drop(conn);

    actix_web::rt::System::new().block_on(async {
        let server = support::Server::start("UPLOAD_BENCH_SERVER", &root, &url, &keys).await;
        let pid = server.pid();
        let mut people = Vec::new();
        for email in &emails {
            people.push(Person::sign_in(&server.base, email).await);
        }
        println!("RSS after start and sign-ins: {:.0} MB", status_mb(pid, "VmRSS:"));
        let deep = blank_png(7000, 7000, 2, 16);
        burst("16-bit RGB PNG 7000×7000 (the report's file)", &deep, &mut people, pid).await;
        let rgba = blank_png(7000, 7000, 6, 8);
        burst("8-bit RGBA PNG 7000×7000 (the largest accepted)", &rgba, &mut people, pid).await;
        drop(server);
    });
    drop(scratch);
}
