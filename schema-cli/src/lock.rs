//! The lock a migrations directory is written under: `schema new` and
//! `schema sum` create `<migrations>/.schema-new.lock` (holding their process
//! id) with `create_new`, which one process alone can do, and remove it when
//! they are done. A second one waits for it, then works from what the first
//! wrote, so two `schema new` started together never write one version twice.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The lock file's name inside the migrations directory (hidden, so
/// `discover` skips it).
pub(crate) const LOCK_FILE: &str = ".schema-new.lock";

/// How long to wait for another process's lock.
pub(crate) const WAIT: Duration = Duration::from_secs(30);

/// A held lock; dropping it removes the file.
#[derive(Debug)]
pub(crate) struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Takes the lock of `dir` (an existing directory), waiting up to `wait` for
/// another process to release it. `shown` is how `dir` is shown.
///
/// # Errors
/// A message naming the lock file and its holder when it stays taken, or the
/// I/O error when it cannot be created.
pub(crate) fn acquire(dir: &Path, shown: &str, wait: Duration) -> Result<Lock, String> {
    let path = dir.join(LOCK_FILE);
    let started = Instant::now();
    loop {
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                let lock = Lock { path };
                // The holder's id, for the message of one that waits in vain.
                let _ = writeln!(file, "{}", std::process::id());
                return Ok(lock);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                if let Some(pid) = holder.parse::<u32>().ok().filter(|pid| is_gone(*pid)) {
                    return Err(format!(
                        "`{shown}/{LOCK_FILE}` was left by a `schema new` or `schema sum` that \
                         was stopped (its process {pid} is no longer running)\n  = help: \
                         delete `{shown}/{LOCK_FILE}` and run again"
                    ));
                }
                if started.elapsed() >= wait {
                    let holder = if holder.is_empty() {
                        String::new()
                    } else {
                        format!(" (held by process {holder})")
                    };
                    return Err(format!(
                        "another `schema new` or `schema sum` is writing in `{shown}`: its lock \
                         `{shown}/{LOCK_FILE}`{holder} was not released within {} s\n  = help: \
                         wait for it to finish; if no such command is running (it was killed), \
                         delete `{shown}/{LOCK_FILE}` and run again",
                        wait.as_secs()
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) => {
                return Err(format!(
                    "cannot create the lock file `{shown}/{LOCK_FILE}`: {e}\n  = help: make \
                     `{shown}` a writable directory"
                ));
            }
        }
    }
}

/// True when the process `pid` is known not to run (Linux: no `/proc/<pid>`);
/// false when it runs or cannot be told.
fn is_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_the_file_goes_with_the_lock() {
        let dir = std::env::temp_dir().join(format!("schema-lock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let first = acquire(&dir, "migrations", WAIT).expect("free");
        let second = acquire(&dir, "migrations", Duration::from_millis(120));
        let message = second.expect_err("taken");
        assert!(message.contains("migrations/.schema-new.lock"), "{message}");
        assert!(
            message.contains(&format!("process {}", std::process::id())),
            "{message}"
        );
        drop(first);
        assert!(!dir.join(LOCK_FILE).exists());
        let third = acquire(&dir, "migrations", WAIT);
        assert!(third.is_ok());
        drop(third);
        // A lock left by a process that is gone is reported at once.
        if Path::new("/proc/self").exists() {
            let mut child = std::process::Command::new("true").spawn().expect("true");
            let pid = child.id();
            child.wait().expect("wait");
            std::fs::write(dir.join(LOCK_FILE), format!("{pid}\n")).expect("write");
            let started = Instant::now();
            let message = acquire(&dir, "migrations", WAIT).expect_err("stale");
            assert!(started.elapsed() < WAIT, "it waited");
            assert!(
                message.contains(&format!("process {pid} is no longer running")),
                "{message}"
            );
            assert!(
                message.contains("delete `migrations/.schema-new.lock`"),
                "{message}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
