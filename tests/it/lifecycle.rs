//! The real binary: `cargo run` with the embedded database, stopped by a signal, started again.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

const BINARY: &str = env!("CARGO_BIN_EXE_avtomektep");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A bare HTTP/1.1 GET, so the test needs no async runtime: (status, body).
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    Some((status, response))
}

fn start(data_dir: &Path, port: u16, log: &Path) -> Child {
    let log = std::fs::File::create(log).unwrap();
    Command::new(BINARY)
        .env_remove("DATABASE_URL")
        .env("AVTOMEKTEP_DATA_DIR", data_dir)
        .env("AVTOMEKTEP_BIND", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "info")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("starting avtomektep")
}

fn wait_ready(child: &mut Child, port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("exited early ({status}):\n{}", std::fs::read_to_string(log).unwrap());
        }
        if http_get(port, "/readyz").is_some_and(|(status, _)| status == 200) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("not ready in time:\n{}", std::fs::read_to_string(log).unwrap());
}

fn stop(mut child: Child, signal: Signal) {
    kill(Pid::from_raw(child.id() as i32), signal).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status after {signal}: {status}");
            return;
        }
        assert!(Instant::now() < deadline, "did not stop after {signal}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn postmaster_pid(data_dir: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(data_dir.join("postgres/data/postmaster.pid")).ok()?;
    text.lines().next()?.trim().parse().ok()
}

#[test]
fn a_signal_stops_the_server_and_its_cluster_cleanly_and_the_next_start_reuses_the_data() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("serve-{}", uuid::Uuid::new_v4().simple()));
    let port = free_port();

    let first_log = dir.with_extension("first.log");
    let mut first = start(&dir, port, &first_log);
    wait_ready(&mut first, port, &first_log);
    let (status, home) = http_get(port, "/?lang=ru").unwrap();
    assert_eq!(status, 200);
    assert!(home.contains("<html lang=\"ru\">"));
    let (status, policy) = http_get(port, "/privacy").unwrap();
    assert_eq!(status, 200, "the policy is in the fresh database");
    assert!(policy.contains("ҚҰПИЯЛЫЛЫҚ САЯСАТЫ"));
    let (status, schools) = http_get(port, "/schools?lang=ru").unwrap();
    assert_eq!(status, 200);
    assert!(schools.contains("(демо)"), "the demo school is seeded");
    let postgres = postmaster_pid(&dir).expect("the embedded cluster runs");
    stop(first, Signal::SIGTERM);

    assert!(kill(Pid::from_raw(postgres), None).is_err(), "postgres {postgres} still runs");
    assert!(postmaster_pid(&dir).is_none(), "postmaster.pid left behind");
    let pg_log = std::fs::read_to_string(dir.join("postgres/postgres.log")).unwrap();
    assert!(pg_log.contains("database system is shut down"), "{pg_log}");
    let log = std::fs::read_to_string(&first_log).unwrap();
    assert!(log.contains("creating the embedded PostgreSQL cluster"), "{log}");

    let second_log = dir.with_extension("second.log");
    let mut second = start(&dir, port, &second_log);
    wait_ready(&mut second, port, &second_log);
    let log = std::fs::read_to_string(&second_log).unwrap();
    assert!(log.contains("reusing the embedded PostgreSQL cluster"), "{log}");
    assert!(log.contains("database schema is up to date"), "{log}");
    let pg_log = std::fs::read_to_string(dir.join("postgres/postgres.log")).unwrap();
    assert!(!pg_log.contains("was interrupted"), "the first stop was not clean: {pg_log}");
    stop(second, Signal::SIGINT);
    for leftover in [&first_log, &second_log, &dir] {
        let _ = std::fs::remove_file(leftover);
        let _ = std::fs::remove_dir_all(leftover);
    }
}

#[test]
fn help_lists_the_subcommands() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("serve") && help.contains("migrate"), "{help}");
}

#[test]
fn a_bad_setting_is_named_and_nothing_starts() {
    let output = Command::new(BINARY).env("AVTOMEKTEP_BIND", "not-an-address").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("AVTOMEKTEP_BIND"));
}

#[test]
fn user_create_makes_a_verified_account_once_and_never_takes_the_password_as_an_argument() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{}", uuid::Uuid::new_v4().simple()));
    let run = |stdin: &str, extra: &[&str]| {
        let mut child = Command::new(BINARY)
            .env_remove("DATABASE_URL")
            .env("AVTOMEKTEP_DATA_DIR", &dir)
            .args([
                "user",
                "create",
                "--role",
                "admin",
                "--email",
                "boss@avtomektep.kz",
                "--name",
                "Бастықов Бақыт",
            ])
            .args(extra)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let refused = run("", &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--password-stdin"));
    let created = run("бастықтың ұзын құпиясөзі\n", &["--password-stdin"]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(String::from_utf8_lossy(&created.stdout).contains("created account"));
    let again = run("бастықтың ұзын құпиясөзі\n", &["--password-stdin"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let _ = std::fs::remove_dir_all(&dir);
}
