use std::io::IsTerminal;
use std::net::TcpListener;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use diesel::{Connection, PgConnection};

use avtomektep::audit::NewAuditEvent;
use avtomektep::clock::Clock;
use avtomektep::config::{Config, LogFormat};
use avtomektep::crypto::KeyRing;
use avtomektep::db::{self, Database, JobDatabase};
use avtomektep::mail::Mailer;
use avtomektep::{AppState, accounts, server, web};

/// mimalloc instead of glibc's malloc: after a burst of large image decodes it gives the memory
/// back to the system within moments, where glibc's per-thread arenas kept it (see
/// `cargo bench --bench upload_memory` for the figures).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Avtomektep — a driver-training portal for Kazakhstan.
///
/// Configuration comes from the environment (and `.env`); see `.env.example`.
#[derive(Parser)]
#[command(name = "avtomektep", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (what a bare `avtomektep` does).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Encryption keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a verified account (how the operator makes the first administrator).
    Create {
        /// student, instructor, school_staff, moderator or admin
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        /// "LAST FIRST"
        #[arg(long)]
        name: String,
        /// Read the password from standard input (it never goes on the command line).
        #[arg(long)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new key file (for AVTOMEKTEP_KEY_FILE) to standard output.
    Generate,
    /// Add a data key to the key file and make it current, then re-wrap every photo's data key
    /// under it. Running servers follow the key file without a restart.
    Rotate {
        /// Photo objects re-wrapped per transaction.
        #[arg(long, default_value_t = 500)]
        batch: i64,
        /// Add no key: only re-wrap what is not under the current key yet (run it once servers
        /// have reloaded, to catch photos they stored under the previous key meanwhile).
        #[arg(long, conflicts_with = "key_only")]
        rewrap_only: bool,
        /// Only add the key and make it current (with several hosts: copy the key file to
        /// every host, then run `keys rotate --rewrap-only`).
        #[arg(long)]
        key_only: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("avtomektep: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(config.log_format);
    web::error_pages::install_panic_hook();
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => migrate(&config),
        Command::User(UserCommand::Create { role, email, name, password_stdin }) => {
            create_user(&config, &role, &email, &name, password_stdin)
        }
        Command::Keys(KeysCommand::Generate) => {
            print!("{}", KeyRing::generate().to_file_text());
            Ok(())
        }
        Command::Keys(KeysCommand::Rotate { batch, rewrap_only, key_only }) => {
            rotate_keys(&config, batch, rewrap_only, key_only)
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("avtomektep: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(format: LogFormat) {
    let (filter, refused) = match tracing_subscriber::EnvFilter::try_from_default_env() {
        Ok(filter) => (filter, None),
        Err(e) => {
            // Unset is the usual case; a RUST_LOG that does not parse is said once logging runs.
            let set = std::env::var_os(tracing_subscriber::EnvFilter::DEFAULT_ENV).is_some();
            ("info,actix_server=warn".into(), set.then_some(e))
        }
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal());
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.compact().init(),
    }
    if let Some(e) = refused {
        tracing::warn!(error = %e, "RUST_LOG is not a valid filter: logging at the default levels");
    }
}

fn migrate(config: &Config) -> anyhow::Result<()> {
    let database = JobDatabase::open(config)?;
    apply_migrations(database.url())?;
    database.close();
    Ok(())
}

fn create_user(
    config: &Config, role: &str, email: &str, name: &str, password_stdin: bool,
) -> anyhow::Result<()> {
    if !password_stdin {
        anyhow::bail!("give the password on standard input with --password-stdin");
    }
    let mut password = String::new();
    std::io::stdin().read_line(&mut password).context("reading the password")?;
    let password = password.trim_end_matches(['\r', '\n']);
    let database = JobDatabase::open(config)?;
    let result = (|| {
        apply_migrations(database.url())?;
        let keys = KeyRing::from_config(config, database.is_embedded())?;
        let mut conn = PgConnection::establish(database.url())?;
        let id = accounts::operator::create_account(&mut conn, &keys, role, email, name, password)?;
        println!("created account {id} ({role})");
        Ok(())
    })();
    database.close();
    result
}

/// `keys rotate`: a new current data key in the key file, then photo data keys re-wrapped
/// under it while servers keep running (they reload the key file on their own).
fn rotate_keys(
    config: &Config, batch: i64, rewrap_only: bool, key_only: bool,
) -> anyhow::Result<()> {
    if batch < 1 {
        anyhow::bail!("--batch must be at least 1");
    }
    if !rewrap_only && config.keys_inline.is_some() {
        let next = KeyRing::from_config(config, false)?
            .key_ids()
            .last()
            .map_or(1, |id| id.saturating_add(1));
        anyhow::bail!(
            "the keys come from AVTOMEKTEP_KEYS, which this command cannot change: in your \
             secret store add `data-key {next} <32 random bytes in base64>` (e.g. from \
             `head -c 32 /dev/urandom | base64`), set `current {next}`, restart the servers \
             with it, then run `avtomektep keys rotate --rewrap-only`"
        );
    }
    if key_only {
        let id = avtomektep::crypto::add_data_key_to_file(&config.key_file)?;
        println!(
            "data key {id} added to {} and made current; copy the file to every host, then run \
             `avtomektep keys rotate --rewrap-only`",
            config.key_file.display()
        );
        return Ok(());
    }
    // The database first: no new key when it cannot be reached.
    let database = JobDatabase::open(config)?;
    let result = (|| {
        apply_migrations(database.url())?;
        let mut conn = PgConnection::establish(database.url())?;
        let keys = if rewrap_only {
            KeyRing::from_config(config, false)?
        } else {
            let id = avtomektep::crypto::add_data_key_to_file(&config.key_file)?;
            println!("data key {id} added to {} and made current", config.key_file.display());
            KeyRing::load(&config.key_file, false)?
        };
        let count = avtomektep::photos::store::rotate(&mut conn, &keys, batch)?;
        println!("re-wrapped {count} photo data keys under key {}", keys.current_key_id());
        if !rewrap_only {
            println!(
                "running servers take the new key from the file within {} s, without a restart; \
                 then run `avtomektep keys rotate --rewrap-only` to catch photos they stored \
                 under the previous key meanwhile",
                avtomektep::crypto::RECHECK_EVERY.as_secs()
            );
        }
        Ok(())
    })();
    database.close();
    result
}

fn apply_migrations(url: &str) -> anyhow::Result<()> {
    let mut conn = PgConnection::establish(url).context("connecting to the database")?;
    let applied = db::migrate(&mut conn)?;
    if applied.is_empty() {
        tracing::info!("database schema is up to date");
    } else {
        tracing::info!(count = applied.len(), "applied migrations");
        NewAuditEvent::new("system.migrated")
            .details(serde_json::json!({ "versions": applied }))
            .record(&mut conn)?;
    }
    Ok(())
}

fn serve(config: Config) -> anyhow::Result<()> {
    let database = Database::open(&config)?;
    let result = serve_with(&config, &database);
    database.close();
    result
}

fn serve_with(config: &Config, database: &Database) -> anyhow::Result<()> {
    apply_migrations(&database.url)?;
    let keys = KeyRing::from_config(config, database.is_embedded())?;
    if config.demo {
        let mut conn = PgConnection::establish(&database.url)?;
        let accounts = accounts::operator::seed_demo(&mut conn, &keys)?;
        avtomektep::schools::demo::seed(&mut conn, &keys, Clock::system().now())?;
        let mut text = format!(
            "demo data is in; sign in at {}/login with password {}:",
            config.base_url,
            accounts::operator::DEMO_PASSWORD
        );
        for (role, email) in accounts {
            text.push_str(&format!("\n    {:<13} {email}", role.code()));
        }
        println!("{text}");
    }
    let mailer = Mailer::from_config(config)?;
    let pool = db::pool(&database.url, config.db_pool_size).context("opening the database pool")?;
    let tls = config.tls.as_ref().map(server::load_tls).transpose()?;
    let listener = TcpListener::bind(config.bind)
        .with_context(|| format!("cannot listen on {} (AVTOMEKTEP_BIND)", config.bind))?;
    let state = actix_web::web::Data::new(AppState {
        config: config.clone(),
        pool,
        keys,
        mailer,
        clock: Clock::system(),
        hashing: avtomektep::limits::Hashing::from_config(config),
    });
    let url = &config.base_url;
    tracing::info!(%url, embedded_database = database.is_embedded(), "Avtomektep is serving");
    actix_web::rt::System::new().block_on(async move {
        avtomektep::schools::lessons::position::spawn_purge(
            state.pool.clone(),
            state.clock.clone(),
            config.geo_retention_days,
        );
        avtomektep::web::session::spawn_purge(state.pool.clone(), state.clock.clone());
        let running = server::start(state, listener, tls, config.workers)?;
        server::stop_on_signal(&running);
        running.await
    })?;
    tracing::info!("server stopped");
    Ok(())
}
