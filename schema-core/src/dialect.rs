//! The SQL dialects the toolkit speaks: the one [`Dialect`] type every surface
//! (build helper, CLI, runtime, the facade as `sqlschema::Dialect`) names.

use std::fmt;

use crate::render::{Postgres, Renderer, Sqlite};

/// A SQL dialect: what artifacts are written for, migrations are embedded in,
/// and a database speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Dialect {
    /// PostgreSQL: the source language, migrations copied as written.
    Postgres,
    /// SQLite: every change rendered (table rebuilds where SQLite cannot `ALTER`).
    Sqlite,
}

impl Dialect {
    /// Every dialect, the default of [`crate::build::Config::dialects`].
    pub const ALL: &'static [Dialect] = &[Dialect::Postgres, Dialect::Sqlite];

    /// The dialect's name (`postgres`, `sqlite`): the directory of its build
    /// artifacts and the value of the CLI's `--dialect`.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Sqlite => "sqlite",
        }
    }

    /// The dialect's renderer.
    pub fn renderer(self) -> &'static dyn Renderer {
        match self {
            Dialect::Postgres => &Postgres,
            Dialect::Sqlite => &Sqlite,
        }
    }

    /// A human name for headers and messages (`PostgreSQL`, `SQLite`).
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSQL",
            Dialect::Sqlite => "SQLite",
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dialect_is_listed_once_and_shown_by_its_name() {
        let names: Vec<String> = Dialect::ALL.iter().map(ToString::to_string).collect();
        assert_eq!(names, ["postgres", "sqlite"]);
        assert_eq!(Dialect::Sqlite.title(), "SQLite");
    }
}
