//! Scratch crates: a throwaway Cargo package in the temporary directory that
//! depends on this workspace, built with `cargo --offline` into one shared
//! target directory (`<workspace>/target/scratch`), so dependencies build once
//! for every test that uses it. The directory is removed when the guard drops.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The workspace root (the parent of this crate's directory).
pub fn workspace() -> &'static Path {
    let this = Path::new(env!("CARGO_MANIFEST_DIR"));
    this.parent().unwrap_or(this)
}

/// The target directory every scratch build shares.
pub fn target_dir() -> PathBuf {
    workspace().join("target").join("scratch")
}

/// A package in a fresh temporary directory, removed on drop.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// An empty directory `<tmp>/schema-scratch-<name>-<pid>-<n>`.
    pub fn new(name: &str) -> Scratch {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("schema-scratch-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        if let Err(e) = std::fs::create_dir_all(dir.join("src")) {
            panic!("cannot create {}: {e}", dir.display());
        }
        Scratch { dir }
    }

    /// The package's root.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `<root>/<relative>`.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.join(relative)
    }

    /// Writes `Cargo.toml` for a binary package `name` with `dependencies`
    /// (TOML lines; `{ws}` stands for the workspace root), and the workspace's
    /// `Cargo.lock`, so the offline build resolves to the versions it pins.
    pub fn manifest(&self, name: &str, dependencies: &str) {
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\n{}\n\n[workspace]\n",
            dependencies.replace("{ws}", &workspace().to_string_lossy())
        );
        self.write("Cargo.toml", &manifest);
        let lock = workspace().join("Cargo.lock");
        if let Err(e) = std::fs::copy(&lock, self.path("Cargo.lock")) {
            panic!("cannot copy {}: {e}", lock.display());
        }
    }

    /// Writes `<root>/<relative>`, creating its directory.
    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(e) = std::fs::write(&path, text) {
            panic!("cannot write {}: {e}", path.display());
        }
    }

    /// Reads `<root>/<relative>`.
    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Copies the directory `from` (recursively) to `<root>/<relative>`.
    pub fn copy_dir(&self, from: &Path, relative: &str) {
        copy_dir(from, &self.path(relative));
    }

    /// `cargo <args> --offline` in the package, into the shared target directory.
    pub fn cargo(&self, args: &[&str]) -> Output {
        cargo_in(&self.dir, args, &[])
    }

    /// `cargo run` with `env` set (`None` removes a variable): its output, whatever the status.
    pub fn run_with_env(&self, env: &[(&str, Option<&str>)]) -> Output {
        cargo_in(&self.dir, &["run", "--quiet"], env)
    }

    /// `cargo build`; `Ok(stderr)` when it succeeds, `Err(stderr)` when not.
    pub fn build(&self) -> Result<String, String> {
        let out = self.cargo(&["build", "--quiet"]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() {
            Ok(stderr)
        } else {
            Err(stderr)
        }
    }

    /// `cargo run` of the package's binary: its stdout, or a panic with both streams.
    pub fn run(&self) -> String {
        let out = self.cargo(&["run", "--quiet"]);
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "`cargo run` in {} failed ({}):\n{stdout}\n{}",
            self.dir.display(),
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    /// The `schema` command line (`cargo run -p schema-cli`) with the package as
    /// its current directory: its status, stdout and stderr.
    pub fn schema_cli(&self, args: &[&str]) -> Output {
        let manifest = workspace().join("Cargo.toml");
        let manifest = manifest.to_string_lossy().into_owned();
        let mut all = vec![
            "run",
            "--quiet",
            "--manifest-path",
            &manifest,
            "-p",
            "schema-cli",
            "--",
        ];
        all.extend_from_slice(args);
        cargo_in(&self.dir, &all, &[])
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn cargo_in(dir: &Path, args: &[&str], env: &[(&str, Option<&str>)]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    // `--offline` before a `--` that passes the rest to the program.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    command
        .args(&args[..split])
        .arg("--offline")
        .args(&args[split..])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    for (name, value) in env {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    match command.output() {
        Ok(out) => out,
        Err(e) => panic!("cannot run cargo {args:?} in {}: {e}", dir.display()),
    }
}

/// Copies `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    if let Err(e) = std::fs::create_dir_all(to) {
        panic!("cannot create {}: {e}", to.display());
    }
    let entries =
        std::fs::read_dir(from).unwrap_or_else(|e| panic!("cannot list {}: {e}", from.display()));
    for entry in entries.filter_map(Result::ok) {
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else if let Err(e) = std::fs::copy(&src, &dst) {
            panic!("cannot copy {} to {}: {e}", src.display(), dst.display());
        }
    }
}
