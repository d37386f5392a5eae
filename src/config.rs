//! Typed configuration, read once from the environment at start.
//!
//! Every variable is listed with its default in `.env.example`; `Config::from_lookup` takes a
//! lookup function so tests can build a config without touching the process environment.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Config {
    /// `None`: start the embedded PostgreSQL cluster under `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    /// The encryption key file; generated on first start only for the embedded default.
    pub key_file: PathBuf,
    /// The key file's text straight from the environment (e.g. a container secret); lines may
    /// be separated by `;`. Wins over `key_file`.
    pub keys_inline: Option<String>,
    pub bind: SocketAddr,
    pub base_url: String,
    pub smtp_url: Option<String>,
    /// The sender of outgoing mail.
    pub mail_from: String,
    pub demo: bool,
    pub support_phone: String,
    pub tls: Option<TlsFiles>,
    pub log_format: LogFormat,
    pub db_pool_size: u32,
    /// Registration is refused below this age (policy §13).
    pub min_age: u32,
    /// Theory and practice hours each licence category requires: `B=28/56,A=...`. The shipped
    /// figures are placeholders; the operator sets the current official programme.
    pub category_hours: std::collections::BTreeMap<String, (u32, u32)>,
    /// A booked lesson can be given back up to this many hours before it starts.
    pub cancel_hours: u32,
    /// Positions attached to lessons are deleted this many days after they were taken.
    pub geo_retention_days: u32,
    /// Reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed; empty:
    /// the peer is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub workers: usize,
    /// Password hashes and checks (Argon2id) run at once; more wait for a slot.
    pub hash_workers: usize,
    /// How long a request waits for a hashing slot before it gets a 503.
    pub hash_wait_ms: u64,
    /// Mail the author when a moderator hides or deletes their review or message (policy §4
    /// allows doing it without notice; a reason helps the person).
    pub notify_moderated: bool,
    /// How long and how slowly a client may send a request body (`web::body_deadline`).
    pub body_deadline: BodyDeadline,
}

/// Deadlines on reading a request body: a client that sends too slowly (or stops) is cut off
/// with a 408, so a trickled upload cannot hold a slot, a connection and memory for ever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyDeadline {
    /// The whole body must arrive within this time.
    pub total: std::time::Duration,
    /// After `grace`, at least this many bytes a second on average since the body started.
    pub min_rate: u32,
    /// Time before the rate counts (a slow start, a phone waking its radio).
    pub grace: std::time::Duration,
}

#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration: {name} {problem}")]
pub struct ConfigError {
    name: String,
    problem: String,
}

impl ConfigError {
    fn new(name: impl Into<String>, problem: impl Into<String>) -> Self {
        ConfigError { name: name.into(), problem: problem.into() }
    }
}

impl Config {
    /// Reads `.env` (when present) and then the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(ConfigError::new(".env", format!("cannot be read: {e}"))),
        }
        // A value that is not UTF-8 is refused like any bad value, never taken for "unset".
        let not_unicode = std::cell::RefCell::new(None);
        let config = Config::from_lookup(|name| match std::env::var(name) {
            Ok(value) => Some(value),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => {
                not_unicode.borrow_mut().get_or_insert_with(|| name.to_string());
                None
            }
        });
        match not_unicode.into_inner() {
            Some(name) => Err(ConfigError::new(name, "is not valid UTF-8")),
            None => config,
        }
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let var = |name: &'static str| get(name).filter(|v| !v.trim().is_empty());

        let database_url = var("DATABASE_URL");
        let data_dir = PathBuf::from(var("AVTOMEKTEP_DATA_DIR").unwrap_or_else(|| "./var".into()));
        let key_file =
            var("AVTOMEKTEP_KEY_FILE").map_or_else(|| data_dir.join("keys"), PathBuf::from);
        let bind_text = var("AVTOMEKTEP_BIND").unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text.parse().map_err(|_| {
            ConfigError::new("AVTOMEKTEP_BIND", "must be an address like 127.0.0.1:8080")
        })?;
        let tls = match (var("AVTOMEKTEP_TLS_CERT"), var("AVTOMEKTEP_TLS_KEY")) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert: cert.into(), key: key.into() }),
            (None, None) => None,
            _ => {
                return Err(ConfigError::new(
                    "AVTOMEKTEP_TLS_CERT",
                    "and AVTOMEKTEP_TLS_KEY must be set together",
                ));
            }
        };
        let scheme = if tls.is_some() { "https" } else { "http" };
        let base_url = var("AVTOMEKTEP_BASE_URL")
            .unwrap_or_else(|| format!("{scheme}://{bind}"))
            .trim_end_matches('/')
            .to_string();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ConfigError::new(
                "AVTOMEKTEP_BASE_URL",
                "must be an absolute http:// or https:// URL",
            ));
        }
        let demo = match var("AVTOMEKTEP_DEMO") {
            None => database_url.is_none(),
            Some(v) => parse_bool("AVTOMEKTEP_DEMO", &v)?,
        };
        let log_format = match var("AVTOMEKTEP_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => {
                return Err(ConfigError::new("AVTOMEKTEP_LOG_FORMAT", "must be text or json"));
            }
        };
        let db_pool_size =
            parse_number("AVTOMEKTEP_DB_POOL_SIZE", var("AVTOMEKTEP_DB_POOL_SIZE"), 10)?;
        let min_age = parse_number("AVTOMEKTEP_MIN_AGE", var("AVTOMEKTEP_MIN_AGE"), 16)?;
        let category_hours =
            parse_hours(var("AVTOMEKTEP_CATEGORY_HOURS").as_deref().unwrap_or(DEFAULT_HOURS))?;
        let cancel_hours =
            parse_number("AVTOMEKTEP_CANCEL_HOURS", var("AVTOMEKTEP_CANCEL_HOURS"), 12)?;
        let geo_retention_days = parse_number(
            "AVTOMEKTEP_GEO_RETENTION_DAYS",
            var("AVTOMEKTEP_GEO_RETENTION_DAYS"),
            90,
        )?;
        // The old switch believed any sender of the header; refusing it (rather than ignoring
        // it) tells the operator behind a proxy what to set instead.
        let old_switch = var("AVTOMEKTEP_TRUST_PROXY");
        if old_switch.is_some_and(|v| parse_bool("AVTOMEKTEP_TRUST_PROXY", &v).unwrap_or(true)) {
            return Err(ConfigError::new(
                "AVTOMEKTEP_TRUST_PROXY",
                "is replaced by AVTOMEKTEP_TRUSTED_PROXIES (the proxies' addresses or CIDRs, \
                 e.g. 127.0.0.1,10.0.0.0/8)",
            ));
        }
        let trusted_proxies =
            parse_networks(var("AVTOMEKTEP_TRUSTED_PROXIES").as_deref().unwrap_or_default())?;
        let notify_moderated = match var("AVTOMEKTEP_NOTIFY_MODERATED") {
            None => true,
            Some(v) => parse_bool("AVTOMEKTEP_NOTIFY_MODERATED", &v)?,
        };
        let body_deadline = BodyDeadline {
            total: std::time::Duration::from_secs(parse_number(
                "AVTOMEKTEP_BODY_TIMEOUT_SECS",
                var("AVTOMEKTEP_BODY_TIMEOUT_SECS"),
                300,
            )?),
            min_rate: parse_number(
                "AVTOMEKTEP_BODY_MIN_RATE",
                var("AVTOMEKTEP_BODY_MIN_RATE"),
                2048,
            )?,
            grace: std::time::Duration::from_secs(parse_number(
                "AVTOMEKTEP_BODY_GRACE_SECS",
                var("AVTOMEKTEP_BODY_GRACE_SECS"),
                10,
            )?),
        };
        let default_workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers =
            parse_number("AVTOMEKTEP_WORKERS", var("AVTOMEKTEP_WORKERS"), default_workers)?;

        let hash_workers = parse_number(
            "AVTOMEKTEP_HASH_WORKERS",
            var("AVTOMEKTEP_HASH_WORKERS"),
            default_workers,
        )?;
        let hash_wait_ms =
            parse_number("AVTOMEKTEP_HASH_WAIT_MS", var("AVTOMEKTEP_HASH_WAIT_MS"), 1000)?;

        Ok(Config {
            database_url,
            data_dir,
            key_file,
            keys_inline: var("AVTOMEKTEP_KEYS"),
            bind,
            base_url,
            smtp_url: var("AVTOMEKTEP_SMTP_URL"),
            mail_from: var("AVTOMEKTEP_MAIL_FROM")
                .unwrap_or_else(|| "Avtomektep <no-reply@avtomektep.kz>".into()),
            demo,
            support_phone: var("AVTOMEKTEP_SUPPORT_PHONE")
                .unwrap_or_else(|| "+7 (7172) 00-00-00".into()),
            tls,
            log_format,
            db_pool_size,
            min_age,
            cancel_hours,
            geo_retention_days,
            category_hours,
            trusted_proxies,
            workers,
            hash_workers,
            hash_wait_ms,
            notify_moderated,
            body_deadline,
        })
    }

    /// A configuration for tests: no environment, nothing on disk that matters. Only in test
    /// builds (feature `testing`, which the integration tests and benchmarks turn on).
    #[cfg(any(test, feature = "testing"))]
    pub fn for_tests(database_url: String) -> Config {
        let mut config = Config::from_lookup(|_| None).expect("defaults are valid");
        config.database_url = Some(database_url);
        // Mail files of tests that do not start an SMTP server go here, not into ./var.
        config.data_dir = std::env::temp_dir().join("avtomektep-tests");
        config.demo = false;
        config.db_pool_size = 4;
        config.workers = 1;
        config.notify_moderated = true;
        config
    }
}

/// Placeholders (theory/practice hours), to be replaced by the operator with the official figures.
const DEFAULT_HOURS: &str = "A1=20/18,A=20/18,B1=20/18,B=40/56,BE=10/16,C1=30/40,C=40/56,CE=10/16,D1=30/40,D=40/56,DE=10/16,Tb=20/24,Tm=20/24";

fn parse_hours(text: &str) -> Result<std::collections::BTreeMap<String, (u32, u32)>, ConfigError> {
    let bad = || ConfigError::new("AVTOMEKTEP_CATEGORY_HOURS", "must look like B=40/56,A=20/18");
    text.split(',')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let (category, hours) = part.trim().split_once('=').ok_or_else(bad)?;
            let (theory, practice) = hours.split_once('/').ok_or_else(bad)?;
            let theory = theory.trim().parse().map_err(|_| bad())?;
            let practice = practice.trim().parse().map_err(|_| bad())?;
            Ok((category.trim().to_string(), (theory, practice)))
        })
        .collect()
}

/// `10.0.0.0/8, 127.0.0.1, ::1`: networks, or single addresses (a network of one).
fn parse_networks(text: &str) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<ipnet::IpNet>()
                .or_else(|_| part.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| {
                    ConfigError::new(
                        "AVTOMEKTEP_TRUSTED_PROXIES",
                        "must list addresses or CIDRs separated by commas, e.g. 10.0.0.0/8,::1",
                    )
                })
        })
        .collect()
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::new(name, "must be 1 or 0")),
    }
}

fn parse_number<T: std::str::FromStr + PartialOrd + From<u8>>(
    name: &'static str, value: Option<String>, default: T,
) -> Result<T, ConfigError> {
    match value {
        None => Ok(default),
        Some(v) => match v.trim().parse::<T>() {
            Ok(n) if n >= T::from(1) => Ok(n),
            _ => Err(ConfigError::new(name, "must be a positive whole number")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_follow_the_contract() {
        let c = config(&[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.base_url, "http://127.0.0.1:8080");
        assert_eq!(c.data_dir, PathBuf::from("./var"));
        assert!(c.database_url.is_none());
        assert!(c.demo, "demo is on for the embedded default");
    }

    #[test]
    fn demo_is_off_with_a_real_database_unless_asked() {
        assert!(!config(&[("DATABASE_URL", "postgres://x/y")]).unwrap().demo);
        let on = config(&[("DATABASE_URL", "postgres://x/y"), ("AVTOMEKTEP_DEMO", "1")]);
        assert!(on.unwrap().demo);
    }

    #[test]
    fn category_hours_are_read_and_every_category_has_a_default() {
        let c = config(&[("AVTOMEKTEP_CATEGORY_HOURS", "B=28/56, A=20/18")]).unwrap();
        assert_eq!(c.category_hours.get("B"), Some(&(28, 56)));
        assert_eq!(c.category_hours.len(), 2);
        assert_eq!(config(&[]).unwrap().category_hours.len(), 13);
        assert!(config(&[("AVTOMEKTEP_CATEGORY_HOURS", "B=28")]).is_err());
    }

    #[test]
    fn moderated_authors_are_notified_unless_turned_off() {
        assert!(config(&[]).unwrap().notify_moderated);
        let off = config(&[("AVTOMEKTEP_NOTIFY_MODERATED", "0")]).unwrap();
        assert!(!off.notify_moderated);
        assert!(config(&[("AVTOMEKTEP_NOTIFY_MODERATED", "maybe")]).is_err());
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let c = config(&[("AVTOMEKTEP_TRUSTED_PROXIES", " 127.0.0.1, 10.1.2.3/8 ,::1 ")]).unwrap();
        let nets: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["127.0.0.1/32", "10.0.0.0/8", "::1/128"]);
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.1:80"] {
            let err = config(&[("AVTOMEKTEP_TRUSTED_PROXIES", bad)]).unwrap_err();
            assert!(err.to_string().contains("AVTOMEKTEP_TRUSTED_PROXIES"), "{bad}");
        }
        let old = config(&[("AVTOMEKTEP_TRUST_PROXY", "1")]).unwrap_err();
        assert!(old.to_string().contains("AVTOMEKTEP_TRUSTED_PROXIES"));
        assert!(config(&[("AVTOMEKTEP_TRUST_PROXY", "0")]).is_ok(), "off as before: harmless");
    }

    #[test]
    fn body_deadlines_have_defaults_and_can_be_shortened() {
        let d = config(&[]).unwrap().body_deadline;
        assert_eq!((d.total.as_secs(), d.min_rate, d.grace.as_secs()), (300, 2048, 10));
        let short = config(&[
            ("AVTOMEKTEP_BODY_TIMEOUT_SECS", "5"),
            ("AVTOMEKTEP_BODY_MIN_RATE", "100"),
            ("AVTOMEKTEP_BODY_GRACE_SECS", "1"),
        ]);
        let d = short.unwrap().body_deadline;
        assert_eq!((d.total.as_secs(), d.min_rate, d.grace.as_secs()), (5, 100, 1));
        assert!(config(&[("AVTOMEKTEP_BODY_MIN_RATE", "0")]).is_err());
    }

    #[test]
    fn bad_values_are_refused_with_the_variable_named() {
        let err = config(&[("AVTOMEKTEP_BIND", "localhost")]).unwrap_err();
        assert!(err.to_string().contains("AVTOMEKTEP_BIND"));
        let err = config(&[("AVTOMEKTEP_TLS_CERT", "/x.pem")]).unwrap_err();
        assert!(err.to_string().contains("AVTOMEKTEP_TLS_KEY"));
        assert!(config(&[("AVTOMEKTEP_DB_POOL_SIZE", "0")]).is_err());
    }
}
