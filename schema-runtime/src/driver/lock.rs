//! Waiting for the migrator lock: the one back-off loop every driver uses, so
//! that the pauses and the deadline are the same on every database. What one
//! attempt at the lock is, and what the error says when time runs out, is the
//! driver's.

use std::time::Duration;
#[cfg(feature = "postgres")]
use std::time::Instant;

#[cfg(feature = "postgres")]
use super::DriverError;

/// The first pause between two attempts; each later pause doubles it.
#[cfg_attr(
    not(any(
        feature = "postgres",
        feature = "sqlite",
        feature = "sqlx-sqlite",
        feature = "tokio-postgres"
    )),
    allow(dead_code)
)]
pub(crate) const FIRST_PAUSE: Duration = Duration::from_millis(10);

/// The longest pause between two attempts.
#[cfg_attr(
    not(any(
        feature = "postgres",
        feature = "sqlite",
        feature = "sqlx-sqlite",
        feature = "tokio-postgres"
    )),
    allow(dead_code)
)]
pub(crate) const MAX_PAUSE: Duration = Duration::from_millis(200);

/// Takes a lock by calling `attempt` on `on` until it succeeds, pausing 10 ms,
/// then twice as long each time up to 200 ms, between attempts.
///
/// `attempt` gives `Ok(None)` when it took the lock, and `Ok(Some(holder))`
/// when someone else holds it. When an attempt fails and `timeout` has passed
/// since the first, the lock is not tried again: the error is
/// `timed_out(on, holder)` with the last attempt's `holder`.
///
/// # Errors
/// The first error of `attempt`, or `timed_out`'s.
#[cfg(feature = "postgres")]
pub(crate) fn wait_for_lock<C: ?Sized, H>(
    on: &mut C,
    timeout: Duration,
    mut attempt: impl FnMut(&mut C) -> Result<Option<H>, DriverError>,
    timed_out: impl FnOnce(&mut C, H) -> DriverError,
) -> Result<(), DriverError> {
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    loop {
        let holder = match attempt(on)? {
            None => return Ok(()),
            Some(holder) => holder,
        };
        if started.elapsed() >= timeout {
            return Err(timed_out(on, holder));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

#[cfg(all(test, feature = "postgres"))]
mod tests {
    use std::time::Duration;

    use super::wait_for_lock;
    use crate::driver::DriverError;

    #[test]
    fn retries_until_taken_and_gives_the_holder_on_timeout() {
        let mut tries = 0;
        let taken = wait_for_lock(
            &mut tries,
            Duration::from_secs(5),
            |n| {
                *n += 1;
                Ok((*n < 3).then_some("other"))
            },
            |_, who| DriverError::message("taking", who),
        );
        assert!(taken.is_ok());
        assert_eq!(tries, 3);

        let mut tries = 0;
        let Err(e) = wait_for_lock(
            &mut tries,
            Duration::ZERO,
            |n| {
                *n += 1;
                Ok(Some("other"))
            },
            |n, who| DriverError::message("taking", format!("{who} after {n}")),
        ) else {
            unreachable!("a lock that is never free times out")
        };
        assert_eq!(e.to_string(), "while taking: other after 1");
    }
}
