//! The `schema` command line: `check` (and `sum`) over a project's schema.sql and migrations.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            schema,
            migrations: _,
        } => {
            let text = match std::fs::read_to_string(&schema) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", schema.display());
                    return ExitCode::from(1);
                }
            };
            match schema_core::parse::parse_schema_str(&schema.display().to_string(), &text) {
                Ok(s) => {
                    println!("ok: {} tables", s.tables.len());
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprint!("{}", schema_core::diagnostic::render_all(&d, false));
                    ExitCode::from(1)
                }
            }
        }
    }
}
