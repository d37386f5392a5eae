//! Registration POST and sign-in POST times, end to end over loopback against a real server and
//! a throwaway PostgreSQL (the embedded launcher). Both are dominated by Argon2id.
//!
//!     cargo bench --bench accounts

mod support;

use std::time::{Duration, Instant};

use avtomektep::crypto::KeyRing;
use avtomektep::domain::Iin;

// One client address may register (and cause mail) only so often: `limits::MAILS_PER_SENDER`.
const REGISTRATIONS: usize = 8;
const SIGN_INS: usize = 40;

struct Client {
    http: awc::Client,
    base: String,
    cookie: String,
}

impl Client {
    fn new(base: &str) -> Client {
        Client {
            http: awc::Client::builder().disable_redirects().finish(),
            base: base.into(),
            cookie: String::new(),
        }
    }

    async fn csrf(&mut self, path: &str) -> String {
        let mut res = self
            .http
            .get(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        let body = String::from_utf8(res.body().limit(1 << 20).await.unwrap().to_vec()).unwrap();
        support::csrf_token(&body)
    }

    fn keep_cookie<S>(&mut self, res: &awc::ClientResponse<S>) {
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            if text.starts_with("session=") {
                self.cookie = text.split(';').next().unwrap().to_string();
            }
        }
    }

    /// Posts the form and returns (status, time taken).
    async fn post(&mut self, path: &str, form: &[(&str, String)]) -> (u16, Duration) {
        let started = Instant::now();
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send_form(&form)
            .await
            .unwrap();
        let took = started.elapsed();
        self.keep_cookie(&res);
        (res.status().as_u16(), took)
    }
}

/// The `n`th valid IIN of a man born on 1 January 1990.
fn iin(n: usize) -> String {
    (0..)
        .map(|serial: usize| format!("9001013{:04}", n * 20 + serial))
        .flat_map(|prefix| (0..10).map(move |d| format!("{prefix}{d}")))
        .find(|candidate| Iin::parse(candidate).is_ok())
        .unwrap()
}

/// A document date that stays valid whenever the bench runs.
fn issued_three_years_ago() -> String {
    let today = avtomektep::clock::Clock::system().today();
    (today - chrono::Duration::days(3 * 365)).format("%Y-%m-%d").to_string()
}

fn registration(i: usize) -> Vec<(&'static str, String)> {
    vec![
        ("last_name", "Бенчмарков".into()),
        ("first_name", "Тест".into()),
        ("iin", iin(i)),
        ("birth_date", "1990-01-01".into()),
        ("doc_type", "id_card".into()),
        ("doc_number", "043123456".into()),
        ("doc_issued_on", issued_three_years_ago()),
        ("doc_issuer", "ҚР ІІМ".into()),
        ("phone", format!("+77015{:06}", i)),
        ("email", format!("bench{i}@mail.kz")),
        ("address", "Астана, Мәңгілік Ел 8".into()),
        ("password", "жасыл алма 2026".into()),
        ("password_confirm", "жасыл алма 2026".into()),
        ("consent_personal_data", "yes".into()),
        ("policy_version", "1".into()),
    ]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let p90 = ms(times[times.len() * 9 / 10]);
    println!(
        "{name}: median {median:.1} ms, p90 {p90:.1} ms, min {:.1} ms ({} runs)",
        ms(times[0]),
        times.len()
    );
}

fn main() {
    let scratch = support::Scratch::start("bench");
    let (root, url) = (scratch.root.clone(), scratch.url.clone());

    let pool = avtomektep::db::pool(&url, 8).unwrap();
    let (listener, state) = support::state(&url, &root, KeyRing::generate(), pool);

    actix_web::rt::System::new().block_on(async move {
        let (base, handle) = support::serve(state, listener, 2);

        let mut registration_times = Vec::new();
        for i in 0..REGISTRATIONS {
            let mut client = Client::new(&base);
            let token = client.csrf("/register").await;
            let mut form = registration(i);
            form.push(("csrf_token", token));
            let (status, took) = client.post("/register", &form).await;
            assert_eq!(status, 303, "registration {i}");
            registration_times.push(took);
        }
        let mut sign_in_times = Vec::new();
        for i in 0..SIGN_INS {
            let mut client = Client::new(&base);
            let token = client.csrf("/login").await;
            let login = format!("bench{}@mail.kz", i % REGISTRATIONS);
            let form = [
                ("csrf_token", token),
                ("login", login),
                ("password", "жасыл алма 2026".into()),
                ("next", "/me".into()),
            ];
            let (status, took) = client.post("/login", &form).await;
            assert_eq!(status, 303, "sign-in {i}");
            sign_in_times.push(took);
        }
        let started = Instant::now();
        let _ = avtomektep::domain::password::hash("a password to time on its own");
        println!(
            "Argon2id hash alone (m=19 MiB, t=2, p=1): {:.1} ms",
            started.elapsed().as_secs_f64() * 1000.0
        );
        report(
            "registration POST (validate, Argon2id, transaction, mail file, session)",
            registration_times,
        );
        report("sign-in POST (throttle check, Argon2id verify, history, session)", sign_in_times);
        handle.stop(false).await;
    });
    drop(scratch);
}
