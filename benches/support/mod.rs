//! What the benchmarks share: a throwaway database, the portal's state for a loopback port, its
//! server, and reading a form's CSRF token. (Each bench uses part of it.)
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use actix_web::web;
use avtomektep::config::Config;
use avtomektep::crypto::KeyRing;
use avtomektep::db::DbPool;
use avtomektep::db::embedded::{Durability, EmbeddedPostgres};
use avtomektep::mail::Mailer;
use avtomektep::{AppState, app};
use diesel::Connection as _;

/// A free loopback port and the state of a portal served on it (mail goes to files under
/// `root`).
pub fn state(
    url: &str, root: &Path, keys: KeyRing, pool: DbPool,
) -> (TcpListener, web::Data<AppState>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut config = Config::for_tests(url.to_string());
    config.data_dir = root.join("data");
    config.base_url = format!("http://127.0.0.1:{port}");
    let state = web::Data::new(AppState {
        hashing: avtomektep::limits::Hashing::from_config(&config),
        pool,
        keys,
        mailer: Mailer::from_config(&config).unwrap(),
        config,
        clock: avtomektep::clock::Clock::system(),
    });
    (listener, state)
}

/// Starts serving (inside an actix system); returns the base address and the server's handle.
pub fn serve(
    state: web::Data<AppState>, listener: TcpListener, workers: usize,
) -> (String, ServerHandle) {
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = actix_web::HttpServer::new(move || app(state.clone()))
        .workers(workers)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    (base, handle)
}

/// A throwaway PostgreSQL with the portal's migrations, in a fresh folder under the temp dir;
/// both go when it is dropped.
pub struct Scratch {
    pub root: PathBuf,
    pub url: String,
    postgres: Option<EmbeddedPostgres>,
}

impl Scratch {
    pub fn start(name: &str) -> Scratch {
        let root = std::env::temp_dir().join(format!("avtomektep-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        std::fs::set_permissions(&root, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let postgres =
            EmbeddedPostgres::start(&root.join("pg"), Durability::Throwaway).expect("PostgreSQL");
        postgres.ensure_database("bench").unwrap();
        let url = postgres.url("bench");
        avtomektep::db::migrate(&mut diesel::PgConnection::establish(&url).unwrap()).unwrap();
        Scratch { root, url, postgres: Some(postgres) }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // The cluster stops before its folder goes.
        drop(self.postgres.take());
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// The CSRF token of the first form on a page.
pub fn csrf_token(page: &str) -> String {
    let start = page.find("name=\"csrf_token\" value=\"").expect("a form") + 25;
    let end = start + page[start..].find('"').expect("the token's end");
    page[start..end].to_string()
}

/// The portal's real binary serving in its own process (the one built with the bench, or the
/// one `env_var` names, to compare with an older build), so its CPU and memory are its own.
pub struct Server {
    pub base: String,
    pub child: std::process::Child,
}

impl Server {
    pub async fn start(env_var: &str, root: &Path, url: &str, keys: &KeyRing) -> Server {
        let key_file = root.join("keys");
        std::fs::write(&key_file, keys.to_file_text()).unwrap();
        std::fs::set_permissions(&key_file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .unwrap();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let binary =
            std::env::var(env_var).unwrap_or_else(|_| env!("CARGO_BIN_EXE_avtomektep").to_string());
        println!("server: {binary}");
        let child = std::process::Command::new(binary)
            .arg("serve")
            .env("DATABASE_URL", url)
            .env("AVTOMEKTEP_KEY_FILE", &key_file)
            .env("AVTOMEKTEP_DATA_DIR", root.join("data"))
            .env("AVTOMEKTEP_BIND", format!("127.0.0.1:{port}"))
            .env("AVTOMEKTEP_DEMO", "0")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("the server starts");
        let base = format!("http://127.0.0.1:{port}");
        let probe = awc::Client::default();
        let ready = std::time::Instant::now();
        loop {
            let answer = probe.get(format!("{base}/readyz")).send().await;
            if answer.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(ready.elapsed().as_secs() < 60, "the server did not get ready");
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        Server { base, child }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM);
        let _ = self.child.wait();
    }
}

/// CPU seconds a process has used (`with_children`: and its ended, reaped children).
pub fn cpu_seconds(pid: u32, with_children: bool) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return 0.0 };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<f64> = stat[stat.rfind(')').unwrap() + 2..]
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0.0))
        .collect();
    let own = fields[11] + fields[12];
    let children = if with_children { fields[13] + fields[14] } else { 0.0 };
    (own + children) / 100.0 // USER_HZ on Linux
}

/// CPU seconds of a PostgreSQL cluster: the postmaster (with its ended backends) and every
/// live backend.
pub fn postgres_cpu(scratch_root: &Path) -> f64 {
    let Some(postmaster) = postmaster_pid(&scratch_root.join("pg")) else { return 0.0 };
    let mut total = cpu_seconds(postmaster, true);
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        let parent = stat[stat.rfind(')').unwrap() + 2..].split_whitespace().nth(1);
        if parent == Some(&postmaster.to_string()) {
            total += cpu_seconds(pid, false);
        }
    }
    total
}

fn postmaster_pid(dir: &Path) -> Option<u32> {
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        if path.file_name().is_some_and(|n| n == "postmaster.pid") {
            return std::fs::read_to_string(&path).ok()?.lines().next()?.trim().parse().ok();
        }
        if path.is_dir() {
            if let Some(pid) = postmaster_pid(&path) {
                return Some(pid);
            }
        }
    }
    None
}

/// One HTTP/1.1 keep-alive connection: sends GETs and reads whole responses.
pub struct Connection {
    reader: BufReader<TcpStream>,
    request: Vec<u8>,
}

impl Connection {
    pub fn open(addr: SocketAddr, path: &str, cookie: &str) -> Connection {
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_nodelay(true).unwrap();
        let cookie =
            if cookie.is_empty() { String::new() } else { format!("Cookie: {cookie}\r\n") };
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}\r\n").into_bytes();
        Connection { reader: BufReader::new(stream), request }
    }

    /// The status of one request, its body read to the end.
    pub fn get(&mut self) -> std::io::Result<u16> {
        self.reader.get_mut().write_all(&self.request)?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let (mut length, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            let lower = header.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
            if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
                chunked = true;
            }
        }
        if !chunked {
            std::io::copy(&mut (&mut self.reader).take(length as u64), &mut std::io::sink())?;
            return Ok(status);
        }
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            std::io::copy(&mut (&mut self.reader).take(size as u64 + 2), &mut std::io::sink())?;
            if size == 0 {
                return Ok(status);
            }
        }
    }
}
