//! Time as a dependency: the portal reads the time from a `Clock`, never from the system
//! directly (`clippy.toml` forbids `Utc::now` and `Local::now` elsewhere).
//!
//! In production the clock is the system's. Tests move it forward (`advance`) to see a link
//! expire or a ticket close for good without waiting, and compute the dates they type from
//! it, so the suite passes next year as well as today.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The system time plus an offset that only tests change. Clones share the offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// The real time.
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        #[allow(clippy::disallowed_methods)] // the one place that reads the system clock
        let system = Utc::now();
        system + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Today's date in Kazakhstan.
    pub fn today(&self) -> NaiveDate {
        crate::i18n::dates::local_date(self.now())
    }

    /// Moves this clock (and every clone of it) forward; time keeps flowing from there.
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_advanced_clock_is_ahead_by_that_much_in_every_clone() {
        let clock = Clock::system();
        let seen_by_a_handler = clock.clone();
        let before = seen_by_a_handler.now();
        clock.advance(Duration::days(15));
        let after = seen_by_a_handler.now();
        assert!(after - before >= Duration::days(15));
        assert!(after - before < Duration::days(15) + Duration::minutes(1));
        assert!(seen_by_a_handler.today() >= before.date_naive() + Duration::days(14));
    }
}
