//! A bound on concurrent Argon2 work. Each hash or check takes ~19 MiB and tens of ms of one
//! core; without a bound a burst of them fills the blocking pool and every page slows down.
//! Past the bound requests queue; one that would wait longer than the configured time gets a
//! localised 503 instead of holding the connection.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::AppError;

pub struct Hashing {
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl Hashing {
    pub fn new(workers: usize, wait: Duration) -> Hashing {
        Hashing { permits: Arc::new(Semaphore::new(workers.max(1))), wait }
    }

    pub fn from_config(config: &crate::config::Config) -> Hashing {
        Hashing::new(config.hash_workers, Duration::from_millis(config.hash_wait_ms))
    }

    /// Runs `work` (a password hash or check) on the blocking pool once a slot is free.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let acquired = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await;
        let Ok(Ok(permit)) = acquired else {
            tracing::warn!("password hashing is saturated: the request is turned away");
            return Err(AppError::Unavailable("password hashing is saturated".into()));
        };
        let done = actix_web::web::block(move || {
            let done = work();
            drop(permit);
            done
        })
        .await?;
        Ok(done)
    }
}
