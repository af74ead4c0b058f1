//! What the property tests on a server share: numbers from the environment,
//! a seed, and cases shared out between worker threads.

use std::sync::{Mutex, PoisonError};

/// The number in the environment variable `name`, or `default` when unset.
///
/// # Panics
/// When the variable is set to something other than a number.
pub fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => match v.trim().parse() {
            Ok(n) => n,
            Err(e) => panic!("{name}={v} is not a number: {e}"),
        },
        Err(_) => default,
    }
}

/// The seed in the environment variable `name`, else one from the clock and
/// the process id.
pub fn seed(name: &str) -> u64 {
    let clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or_default();
    env_number(name, clock ^ u64::from(std::process::id()).rotate_left(32))
}

/// Runs `cases` cases on `workers` threads: `run(worker, share)` runs its
/// share and says why it failed, if it did. The failures, each prefixed with
/// its worker.
pub fn on_workers(
    cases: u64,
    workers: u64,
    run: impl Fn(u64, u32) -> Option<String> + Sync,
) -> Vec<String> {
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let share = cases / workers + u64::from(w < cases % workers);
            let (run, failures) = (&run, &failures);
            scope.spawn(move || {
                let share = u32::try_from(share).unwrap_or(u32::MAX);
                if let Some(f) = run(w, share) {
                    failures
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(format!("worker {w}: {f}"));
                }
            });
        }
    });
    failures
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
}
