//! What one anonymous client can make the server do: back-to-back requests from one address to
//! `/invitations/accept` (a bogus token), `/register` (someone else's details) and
//! `/password/forgot` (someone else's address), each for a few seconds. Prints the server's
//! CPU seconds per second of wall time (every thread of this process but the main one, where
//! the client runs; PostgreSQL's own processes are not counted) and the mails caused, per minute.
//!
//!     cargo bench --bench hostile

mod support;

use std::time::{Duration, Instant};

use avtomektep::crypto::KeyRing;
use diesel::{Connection, PgConnection};

const SECONDS: u64 = 8;
const PASSWORD: &str = "жасыл алма 2026";

/// CPU time of every thread of this process except the main one, in seconds.
fn server_cpu() -> f64 {
    let me = std::process::id().to_string();
    let tick = 100.0; // USER_HZ on Linux
    let mut total = 0.0;
    for task in std::fs::read_dir("/proc/self/task").unwrap().flatten() {
        if task.file_name().to_string_lossy() == me {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
        // Fields after the command name (which is in parentheses and may hold spaces).
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let (utime, stime): (f64, f64) = (fields[11].parse().unwrap(), fields[12].parse().unwrap());
        total += (utime + stime) / tick;
    }
    total
}

fn mails(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

struct Client {
    http: awc::Client,
    base: String,
    cookie: String,
}

impl Client {
    async fn csrf(&mut self, path: &str) -> String {
        let mut res = self
            .http
            .get(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send()
            .await
            .unwrap();
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            if text.starts_with("session=") {
                self.cookie = text.split(';').next().unwrap().to_string();
            }
        }
        let body = String::from_utf8(res.body().limit(1 << 20).await.unwrap().to_vec()).unwrap();
        support::csrf_token(&body)
    }

    async fn post(&self, path: &str, form: &[(&str, String)]) -> u16 {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send_form(&form)
            .await
            .unwrap();
        res.status().as_u16()
    }
}

fn registration(email: &str) -> Vec<(&'static str, String)> {
    let issued = avtomektep::clock::Clock::system().today() - chrono::Duration::days(3 * 365);
    vec![
        ("last_name", "Бенчмарков".into()),
        ("first_name", "Тест".into()),
        ("iin", "791028302728".into()),
        ("birth_date", "1979-10-28".into()),
        ("doc_type", "id_card".into()),
        ("doc_number", "043123456".into()),
        ("doc_issued_on", issued.format("%Y-%m-%d").to_string()),
        ("doc_issuer", "ҚР ІІМ".into()),
        ("phone", "+77011234567".into()),
        ("email", email.into()),
        ("address", "Астана, Мәңгілік Ел 8".into()),
        ("password", PASSWORD.into()),
        ("password_confirm", PASSWORD.into()),
        ("consent_personal_data", "yes".into()),
        ("policy_version", "1".into()),
    ]
}

/// Forgets the counts of earlier scenarios (all come from one address), where there are any.
fn fresh_limits(url: &str) {
    use diesel::RunQueryDsl;
    let mut conn = PgConnection::establish(url).unwrap();
    let _ = diesel::sql_query("DELETE FROM rate_events").execute(&mut conn);
}

/// Sends `form` to `path` back to back for `SECONDS`; prints what it cost the server.
async fn hammer(
    name: &str, client: &mut Client, page: &str, path: &str, form: Vec<(&str, String)>,
    mail_dir: &std::path::Path,
) {
    let token = client.csrf(page).await;
    let mut form = form;
    form.push(("csrf_token", token));
    let (cpu, mailed, started) = (server_cpu(), mails(mail_dir), Instant::now());
    let mut statuses = std::collections::BTreeMap::new();
    while started.elapsed() < Duration::from_secs(SECONDS) {
        *statuses.entry(client.post(path, &form).await).or_insert(0) += 1;
    }
    // Mails sent after the answer are given a moment to land.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let wall = started.elapsed().as_secs_f64();
    let cpu = server_cpu() - cpu;
    let mailed = mails(mail_dir) - mailed;
    let requests: usize = statuses.values().sum();
    println!(
        "{name}: {:.0} requests/s, server CPU {:.2} s per s, {mailed} mails in {wall:.1} s, \
         statuses {statuses:?}",
        requests as f64 / wall,
        cpu / wall,
    );
}

fn main() {
    let scratch = support::Scratch::start("hostile");
    let (root, url) = (scratch.root.clone(), scratch.url.clone());
    let pool = avtomektep::db::pool(&url, 8).unwrap();
    let (listener, state) = support::state(&url, &root, KeyRing::generate(), pool);
    let mail_dir = state.config.data_dir.join("mail");
    {
        let mut conn = PgConnection::establish(&url).unwrap();
        avtomektep::accounts::operator::create_account(
            &mut conn,
            &state.keys,
            "student",
            "owner@mail.kz",
            "Иесі Әлия",
            PASSWORD,
        )
        .unwrap();
    }

    actix_web::rt::System::new().block_on(async move {
        let (base, handle) = support::serve(state, listener, 2);
        let client = || Client {
            http: awc::Client::builder().disable_redirects().finish(),
            base: base.clone(),
            cookie: String::new(),
        };
        let accept = vec![
            ("token", "bogus".to_string()),
            ("last_name", "Иванов".into()),
            ("first_name", "Иван".into()),
            ("password", PASSWORD.into()),
            ("password_confirm", PASSWORD.into()),
        ];
        hammer(
            "POST /invitations/accept (bogus token)",
            &mut client(),
            "/login",
            "/invitations/accept",
            accept,
            &mail_dir,
        )
        .await;
        fresh_limits(&url);
        let duplicate = registration("owner@mail.kz");
        hammer(
            "POST /register (someone else's email)",
            &mut client(),
            "/register",
            "/register",
            duplicate,
            &mail_dir,
        )
        .await;
        fresh_limits(&url);
        let forgot = vec![("email", "owner@mail.kz".to_string())];
        hammer(
            "POST /password/forgot (someone else's address)",
            &mut client(),
            "/password/forgot",
            "/password/forgot",
            forgot,
            &mail_dir,
        )
        .await;
        handle.stop(false).await;
    });
    drop(scratch);
}
