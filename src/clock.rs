//! Wall-clock time as Unix seconds, behind a handle tests can drive.
//!
//! Cart expiry, coupon dates and sale schedules all compare against "now". The daemon
//! reads the system clock; tests use [`Clock::following_tokio`], which moves with tokio's
//! clock, so `tokio::time::pause`/`advance` make expiry deterministic.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current Unix time in seconds.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> u64 + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock(Arc::new(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        }))
    }

    /// A clock that starts at `start` and advances with tokio's clock (which tests can
    /// pause and advance).
    pub fn following_tokio(start: u64) -> Clock {
        let origin = tokio::time::Instant::now();
        Clock(Arc::new(move || start + origin.elapsed().as_secs()))
    }

    /// Now, in Unix seconds.
    pub fn now(&self) -> u64 {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({})", self.now())
    }
}
