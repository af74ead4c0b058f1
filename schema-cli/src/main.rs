//! The `schema` command line: `check` a project's schema.sql against its
//! migrations, and `sum` to record the migrations' checksums.
//!
//! Exit codes: 0 clean, 1 diagnostics or errors, 2 usage errors (from clap).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use schema_core::diagnostic::render_all;
use schema_core::{Project, analyze, migrations};

/// Make database drift a compile error: check schema.sql against its migrations.
#[derive(Debug, Parser)]
#[command(name = "schema", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Parse schema.sql and the migrations, replay them, lint, and report drift.
    Check {
        /// The declarative schema file.
        #[arg(long, default_value = "schema.sql")]
        schema: PathBuf,
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        migrations: PathBuf,
    },
    /// Record the checksum of every migration file in `<migrations>/schema.sum`.
    Sum {
        /// The migrations directory.
        #[arg(long, default_value = "migrations")]
        migrations: PathBuf,
    },
}

fn project(schema: PathBuf, migrations: PathBuf) -> Project {
    let root = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    Project::new(root)
        .with_schema(schema)
        .with_migrations(migrations)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal();
    match cli.command {
        Command::Check { schema, migrations } => {
            let project = project(schema, migrations);
            match analyze(&project) {
                Ok(analysis) => {
                    if !analysis.warnings.is_empty() {
                        eprint!("{}", render_all(&analysis.warnings, color));
                    }
                    let declared = &analysis.declared;
                    println!(
                        "ok: {} matches {} migration{} ({} table{}, {} enum type{})",
                        project.display(&project.schema_path()),
                        analysis.replay.migrations.len(),
                        plural(analysis.replay.migrations.len()),
                        declared.tables.len(),
                        plural(declared.tables.len()),
                        declared.enums.len(),
                        plural(declared.enums.len()),
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    eprint!("{}", render_all(&diagnostics, color));
                    ExitCode::from(1)
                }
            }
        }
        Command::Sum { migrations } => {
            let project = project(PathBuf::from("schema.sql"), migrations);
            let dir = project.migrations_path();
            let display = project.display(&dir);
            let (found, diagnostics) = migrations::discover(&dir, &display);
            if !diagnostics.is_empty() {
                eprint!("{}", render_all(&diagnostics, color));
                return ExitCode::from(1);
            }
            match migrations::sum::write(&dir, &found) {
                Ok(true) => {
                    println!(
                        "wrote {display}/{} ({} migration{})",
                        migrations::sum::SUM_FILE,
                        found.len(),
                        plural(found.len())
                    );
                    ExitCode::SUCCESS
                }
                Ok(false) => {
                    println!("{display}/{} is up to date", migrations::sum::SUM_FILE);
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!(
                        "error: cannot write {display}/{}: {e}",
                        migrations::sum::SUM_FILE
                    );
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
