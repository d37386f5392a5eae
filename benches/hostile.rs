//! What anonymous clients can make the portal do. The server is the real binary in its own
//! process (or an older build named by `HOSTILE_BENCH_SERVER`, to compare), against a throwaway
//! PostgreSQL whose CPU is counted too.
//!
//! First one client, back to back from one address, on each expensive route in turn:
//! `/invitations/accept` (a bogus token), `/register` (someone else's details) and
//! `/password/forgot` (someone else's address). Then the whole portal at once: eight
//! connections from that address cycling through every anonymous page and form (pages, sign-in
//! with a wrong password, registration, reset request, reset and verification with bogus
//! tokens, invitation), while one signed-in person reads a page. Prints requests/s, the
//! portal's and PostgreSQL's CPU seconds per second of wall time, the mails caused, and that
//! person's median wait with and without the attack.
//!
//!     cargo bench --bench hostile
//!     HOSTILE_BENCH_SERVER=/path/to/an/older/avtomektep cargo bench --bench hostile

mod support;

use std::time::{Duration, Instant};

use avtomektep::crypto::KeyRing;
use diesel::{Connection, PgConnection};

const SECONDS: u64 = 8;
const PASSWORD: &str = "жасыл алма 2026";

fn mails(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

struct Client {
    http: awc::Client,
    base: String,
    cookie: String,
}

impl Client {
    fn new(base: &str) -> Client {
        let http = awc::Client::builder().disable_redirects().timeout(Duration::from_secs(60));
        Client { http: http.finish(), base: base.into(), cookie: String::new() }
    }

    /// A page's status and body (the session cookie kept).
    async fn get(&mut self, path: &str) -> (u16, String) {
        let mut res = self
            .http
            .get(format!("{}{path}", self.base))
            .insert_header(("Cookie", self.cookie.clone()))
            .send()
            .await
            .unwrap();
        self.keep_cookie(&res);
        let body = res.body().limit(1 << 20).await.unwrap().to_vec();
        (res.status().as_u16(), String::from_utf8(body).unwrap())
    }

    async fn csrf(&mut self, path: &str) -> String {
        support::csrf_token(&self.get(path).await.1)
    }

    async fn post(&mut self, path: &str, form: &[(&str, String)]) -> u16 {
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

    fn keep_cookie<S>(&mut self, res: &awc::ClientResponse<S>) {
        for value in res.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            if text.starts_with("session=") {
                self.cookie = text.split(';').next().unwrap().to_string();
            }
        }
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

/// Where the CPU goes: the portal's process and the PostgreSQL cluster.
struct Meter<'a> {
    pid: u32,
    root: &'a std::path::Path,
    mail_dir: std::path::PathBuf,
}

impl Meter<'_> {
    fn read(&self) -> (f64, f64, usize, Instant) {
        let portal = support::cpu_seconds(self.pid, true);
        (portal, support::postgres_cpu(self.root), mails(&self.mail_dir), Instant::now())
    }

    /// Prints what happened since `start` (`read` then).
    async fn report(&self, name: &str, start: (f64, f64, usize, Instant), requests: &Statuses) {
        // Mails sent after the answer are given a moment to land.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (portal, postgres, mailed, now) = self.read();
        let wall = (now - start.3).as_secs_f64();
        let (portal, postgres) = ((portal - start.0) / wall, (postgres - start.1) / wall);
        let count: usize = requests.values().sum();
        println!(
            "{name}: {:.0} requests/s; CPU s per s: portal {portal:.2} + PostgreSQL \
             {postgres:.2} = {:.2}; {} mails in {wall:.1} s; statuses {requests:?}",
            count as f64 / wall,
            portal + postgres,
            mailed - start.2,
        );
    }
}

type Statuses = std::collections::BTreeMap<u16, usize>;

/// Sends `form` to `path` back to back for `SECONDS`; prints what it cost.
async fn hammer(
    name: &str, meter: &Meter<'_>, base: &str, page: &str, path: &str,
    mut form: Vec<(&str, String)>,
) {
    let mut client = Client::new(base);
    let token = client.csrf(page).await;
    form.push(("csrf_token", token));
    let start = meter.read();
    let mut statuses = Statuses::new();
    while start.3.elapsed() < Duration::from_secs(SECONDS) {
        *statuses.entry(client.post(path, &form).await).or_insert(0) += 1;
    }
    meter.report(name, start, &statuses).await;
}

/// One anonymous request of the whole-portal mix: a page, or a form (its page, its action).
enum Step {
    Page(&'static str),
    Form(&'static str, &'static str, Vec<(&'static str, String)>),
}

fn portal_mix() -> Vec<Step> {
    let bogus = || "Zm9yZ2VkLXRva2Vu".to_string();
    vec![
        Step::Page("/"),
        Step::Page("/schools"),
        Step::Page("/privacy"),
        Step::Page("/login"),
        Step::Page("/register"),
        Step::Form(
            "/login",
            "/login",
            vec![("login", "owner@mail.kz".into()), ("password", "не тот пароль".into())],
        ),
        Step::Form("/register", "/register", registration("owner@mail.kz")),
        Step::Form("/password/forgot", "/password/forgot", vec![("email", "owner@mail.kz".into())]),
        Step::Form(
            "/login",
            "/password/reset",
            vec![
                ("token", bogus()),
                ("password", PASSWORD.into()),
                ("password_confirm", PASSWORD.into()),
            ],
        ),
        Step::Form("/login", "/verify-email", vec![("token", bogus())]),
        Step::Form("/login", "/invitations/accept", invitation()),
    ]
}

fn invitation() -> Vec<(&'static str, String)> {
    vec![
        ("token", "bogus".to_string()),
        ("last_name", "Иванов".into()),
        ("first_name", "Иван".into()),
        ("password", PASSWORD.into()),
        ("password_confirm", PASSWORD.into()),
    ]
}

/// Milliseconds of one signed-in page (`/me`), the median of those fetched until `until` (at
/// least `at_least`), over a keep-alive connection like a browser's, on a thread of its own.
fn victim_p50(
    addr: std::net::SocketAddr, cookie: String, until: Instant, at_least: usize,
) -> std::thread::JoinHandle<f64> {
    std::thread::spawn(move || {
        let mut page = support::Connection::open(addr, "/me", &cookie);
        let mut times = Vec::new();
        while Instant::now() < until || times.len() < at_least {
            let started = Instant::now();
            assert_eq!(page.get().unwrap(), 200, "the victim is signed in");
            times.push(started.elapsed().as_secs_f64() * 1000.0);
            std::thread::sleep(Duration::from_millis(20));
        }
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    })
}

/// `CONNECTIONS` clients cycle through the mix for `SECONDS` while a signed-in person reads a
/// page; prints what it cost, and that person's wait with and without the attack.
async fn whole_portal(meter: &Meter<'_>, base: &str) {
    const CONNECTIONS: usize = 8;
    let mut victim = Client::new(base);
    let token = victim.csrf("/login").await;
    let sign_in =
        [("csrf_token", token), ("login", "victim@mail.kz".into()), ("password", PASSWORD.into())];
    assert_eq!(victim.post("/login", &sign_in).await, 303, "the victim signs in");
    let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    let quiet = victim_p50(addr, victim.cookie.clone(), Instant::now(), 50).join().unwrap();
    let start = meter.read();
    let one = |offset: usize| async move {
        let mix = portal_mix();
        let mut client = Client::new(base);
        let mut statuses = Statuses::new();
        let mut i = offset;
        while start.3.elapsed() < Duration::from_secs(SECONDS) {
            let status = match &mix[i % mix.len()] {
                Step::Page(path) => client.get(path).await.0,
                Step::Form(page, path, fields) => {
                    let mut form = fields.clone();
                    form.push(("csrf_token", client.csrf(page).await));
                    client.post(path, &form).await
                }
            };
            *statuses.entry(status).or_insert(0) += 1;
            i += 1;
        }
        statuses
    };
    let until = start.3 + Duration::from_secs(SECONDS);
    let attacked = victim_p50(addr, victim.cookie.clone(), until, 1);
    let all = futures_util::future::join_all((0..CONNECTIONS).map(one)).await;
    let attacked = attacked.join().unwrap();
    let mut statuses = Statuses::new();
    for (status, n) in all.into_iter().flatten() {
        *statuses.entry(status).or_insert(0) += n;
    }
    meter.report("the whole portal, 8 anonymous connections", start, &statuses).await;
    println!(
        "  a signed-in person's page (/me), median: {quiet:.1} ms quiet, {attacked:.1} ms during \
         the attack ({:.1}×)",
        attacked / quiet
    );
}

fn main() {
    let scratch = support::Scratch::start("hostile");
    let (root, url) = (scratch.root.clone(), scratch.url.clone());
    let keys = KeyRing::generate();
    {
        let mut conn = PgConnection::establish(&url).unwrap();
        avtomektep::accounts::operator::create_account(
            &mut conn,
            &keys,
            "student",
            "owner@mail.kz",
            "Иесі Әлия",
            PASSWORD,
        )
        .unwrap();
        avtomektep::accounts::operator::create_account(
            &mut conn,
            &keys,
            "student",
            "victim@mail.kz",
            "Оқушы Әлия",
            PASSWORD,
        )
        .unwrap();
    }
    actix_web::rt::System::new().block_on(async {
        let server = support::Server::start("HOSTILE_BENCH_SERVER", &root, &url, &keys).await;
        let meter = Meter { pid: server.pid(), root: &root, mail_dir: root.join("data/mail") };
        let base = server.base.as_str();
        let accept = "POST /invitations/accept (bogus token)";
        hammer(accept, &meter, base, "/login", "/invitations/accept", invitation()).await;
        fresh_limits(&url);
        let duplicate = registration("owner@mail.kz");
        let register = "POST /register (someone else's email)";
        hammer(register, &meter, base, "/register", "/register", duplicate).await;
        fresh_limits(&url);
        let forgot = vec![("email", "owner@mail.kz".to_string())];
        let name = "POST /password/forgot (someone else's address)";
        hammer(name, &meter, base, "/password/forgot", "/password/forgot", forgot).await;
        fresh_limits(&url);
        whole_portal(&meter, base).await;
        drop(server);
    });
    drop(scratch);
}
