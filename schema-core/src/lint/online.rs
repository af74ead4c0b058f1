//! Online-safety lints (`S05xx`): what a migration's statements lock, scan or
//! rewrite on a table that already held rows before the migration, judged on
//! the replayed history (so a table the same migration created is new, and
//! safe to index).
//!
//! Replay runs a [`Linter`] over each up.sql and keeps what it finds as
//! [`Finding`]s, which hold for a range of PostgreSQL versions; a project's
//! [`Settings`] (level, PostgreSQL version, style rules, the first migration
//! judged) turn them into warnings or errors. down.sql is not judged: a
//! rollback is an emergency measure, not a deploy.
//!
//! | code | name | catches | safe form |
//! |---|---|---|---|
//! | S0501 | `index_without_concurrently` | `CREATE INDEX` / `DROP INDEX` on an existing table | `... CONCURRENTLY` in a `no-transaction` migration |
//! | S0502 | `concurrently_in_transaction` (error) | `CONCURRENTLY`, `VACUUM` (and before 12 `ALTER TYPE ... ADD VALUE`) in a transactional migration | `-- schema: no-transaction` |
//! | S0503 | `constraint_without_not_valid` | `ADD FOREIGN KEY` / `ADD CHECK` without `NOT VALID`, or validated in the same transaction | `NOT VALID`, then `VALIDATE CONSTRAINT` in a later migration |
//! | S0504 | `set_not_null_scans` | `SET NOT NULL` without a validated `CHECK (c IS NOT NULL)` | the check `NOT VALID`, validated, then `SET NOT NULL` (12+) |
//! | S0505 | `column_type_rewrites` | `ALTER COLUMN ... TYPE` that rewrites | a new column, backfilled in batches |
//! | S0506 | `volatile_default` | `ADD COLUMN` with a volatile default, identity or stored generated column (any default before 11) | the column without default, then `SET DEFAULT` and a batched backfill |
//! | S0507 | `constraint_builds_index` | `ADD PRIMARY KEY` / `UNIQUE` / `EXCLUDE` on an existing table | `CREATE UNIQUE INDEX CONCURRENTLY`, then `ADD ... USING INDEX` |
//! | S0508 | `rename_in_use` | renaming an existing table or column | add the new one, write both, drop the old one a release later |
//! | S0509 | `drop_in_use` | dropping an existing table or column | stop using it in one release, drop it in the next |
//! | S0510 | `missing_lock_timeout` | locking an existing table without `SET lock_timeout` first | `SET lock_timeout = '5s';` at the top |
//! | S0511 | `table_rewrite` | `VACUUM FULL` | plain `VACUUM`, or pg_repack outside migrations |
//! | S0512 | `enum_value_used_in_transaction` | `ALTER TYPE ... ADD VALUE` and a use of the value in one transaction | the use in the next migration |
//! | S0513 | `int_primary_key` (style, off by default) | a new table keyed by `int`/`serial` | `bigint GENERATED ALWAYS AS IDENTITY` |

use std::collections::HashSet;

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, AlterTypeOperation, ColumnOption, ObjectName,
    ObjectType, Statement, TableConstraint,
};

use crate::diagnostic::{Code, Diagnostic, Origin, codes};
use crate::directive::Directive;
use crate::lint::rewrite::{TypeChange, column_type_change};
use crate::model::names::{fold_ident, object_name_parts};
use crate::model::{ConstraintKind, QualifiedName, Schema, SqlType};
use crate::parse::apply::Observer;
use crate::parse::maintenance::Maintenance;
use crate::parse::{LocatedStatement, ParsedStatement};

/// The oldest PostgreSQL major version the lints know.
pub const OLDEST_PG: u32 = 10;
/// The newest PostgreSQL major version the lints know.
pub const NEWEST_PG: u32 = 18;
/// The version judged when none is set: the oldest PostgreSQL schema's
/// migrator and introspection are written for.
pub const DEFAULT_PG: u32 = 13;

/// How the online lints report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Level {
    /// Not at all (S0502, a statement PostgreSQL refuses, is still an error).
    Off,
    /// As warnings (the default).
    #[default]
    Warn,
    /// As errors: the check, the build and `schema!()` fail.
    Deny,
}

impl Level {
    /// `off`, `warn` or `deny`.
    ///
    /// # Errors
    /// Any other word, with the accepted ones.
    pub fn parse(text: &str) -> Result<Level, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "off" | "allow" => Ok(Level::Off),
            "warn" => Ok(Level::Warn),
            "deny" | "error" => Ok(Level::Deny),
            other => Err(format!(
                "`{other}` is not a lint level: write `off`, `warn` or `deny`"
            )),
        }
    }

    /// Its word.
    pub fn name(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

/// A project's online-lint settings.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Settings {
    /// Warnings, errors, or nothing.
    pub level: Level,
    /// The PostgreSQL major version judged ([`OLDEST_PG`]..=[`NEWEST_PG`]).
    pub pg_version: u32,
    /// The style rules too (`int_primary_key`).
    pub style: bool,
    /// Only migrations with a greater version are judged: those up to it
    /// already ran in production.
    pub after: Option<u64>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            level: Level::Warn,
            pg_version: DEFAULT_PG,
            style: false,
            after: None,
        }
    }
}

impl Settings {
    /// Checks a PostgreSQL major version given by the user.
    ///
    /// # Errors
    /// A version outside [`OLDEST_PG`]..=[`NEWEST_PG`], or not a number.
    pub fn parse_pg_version(text: &str) -> Result<u32, String> {
        let major = text.trim().split('.').next().unwrap_or_default();
        match major.parse::<u32>() {
            Ok(v) if (OLDEST_PG..=NEWEST_PG).contains(&v) => Ok(v),
            _ => Err(format!(
                "`{text}` is not a PostgreSQL major version the lints know: write one of {OLDEST_PG} to {NEWEST_PG}"
            )),
        }
    }

    /// A short text that differs when the settings do (part of cache keys).
    pub fn key(&self) -> String {
        format!(
            "online={} pg={} style={} after={:?}",
            self.level.name(),
            self.pg_version,
            self.style,
            self.after
        )
    }

    /// The diagnostics `findings` make under these settings.
    pub fn judge(&self, findings: &[Finding]) -> Vec<Diagnostic> {
        findings
            .iter()
            .filter(|f| self.after.is_none_or(|after| f.migration > after))
            .filter(|f| f.holds_on(self.pg_version))
            .filter(|f| self.style || f.diagnostic.code != codes::INT_PRIMARY_KEY)
            .filter_map(|f| {
                let refused = f.diagnostic.code == codes::CONCURRENTLY_IN_TRANSACTION;
                let mut d = f.diagnostic.clone();
                match (self.level, refused) {
                    (_, true) | (Level::Deny, _) => d.severity = crate::diagnostic::Severity::Error,
                    (Level::Warn, false) => {}
                    (Level::Off, false) => return None,
                }
                Some(d)
            })
            .collect()
    }
}

/// One thing a lint found, before a project's settings judge it.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The warning, located at the statement.
    pub diagnostic: Diagnostic,
    /// The version of the migration it is in.
    pub migration: u64,
    /// The PostgreSQL versions it holds on: `since..until` (major versions).
    pub since: u32,
    /// The first version it no longer holds on (`u32::MAX`: every later one).
    pub until: u32,
}

impl Finding {
    /// True when it holds on PostgreSQL `version`.
    pub fn holds_on(&self, version: u32) -> bool {
        (self.since..self.until).contains(&version)
    }
}

const ALL: (u32, u32) = (0, u32::MAX);

/// The online lints of one up.sql, fed statement by statement by replay.
pub struct Linter {
    migration: u64,
    transactional: bool,
    /// Lints the migration allows as a whole (directives in its header or
    /// after its last statement).
    allowed: Vec<String>,
    /// The lints the current statement's own directives allow.
    here: Vec<String>,
    created: HashSet<QualifiedName>,
    added_columns: HashSet<(QualifiedName, String)>,
    not_valid: HashSet<(QualifiedName, String)>,
    lock_timeout: bool,
    /// Set to 0 (or `DEFAULT`) on purpose: said so in the message.
    lock_timeout_off: bool,
    lock_reported: bool,
    enum_values: Vec<(QualifiedName, String)>,
    /// What [`Observer::after`] looks at for the statement in flight.
    pending: Vec<Pending>,
    findings: Vec<Finding>,
}

enum Pending {
    /// A type change: table, column, its type before, `USING` given, where.
    Retype(QualifiedName, String, SqlType, bool, Origin),
    /// Columns added to an existing table: where the statement is.
    AddedColumns(QualifiedName, Vec<String>, Origin),
    /// Constraints of the table before the statement, to find the ones it
    /// adds `NOT VALID`.
    Constraints(QualifiedName, Vec<String>),
    /// A table the statement creates.
    Created(QualifiedName, Origin),
}

impl Linter {
    /// A linter for the migration of version `migration`, `transactional`
    /// unless it is `no-transaction`, allowing `allowed` everywhere in it.
    pub fn new(migration: u64, transactional: bool, allowed: &[Directive]) -> Linter {
        Linter {
            migration,
            transactional,
            allowed: allow_names(allowed),
            here: Vec::new(),
            created: HashSet::new(),
            added_columns: HashSet::new(),
            not_valid: HashSet::new(),
            lock_timeout: false,
            lock_timeout_off: false,
            lock_reported: false,
            enum_values: Vec::new(),
            pending: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// What it found.
    pub fn finish(self) -> Vec<Finding> {
        self.findings
    }

    fn allows(&self, code: Code) -> bool {
        self.allowed
            .iter()
            .chain(&self.here)
            .any(|n| n == code.name)
    }

    fn existing(&self, schema: &Schema, table: &QualifiedName) -> bool {
        schema.tables.contains_key(table) && !self.created.contains(table)
    }

    fn report(&mut self, d: Diagnostic, versions: (u32, u32)) {
        // A statement PostgreSQL refuses cannot be allowed: the migration
        // would fail when it runs.
        if d.code == codes::CONCURRENTLY_IN_TRANSACTION {
            self.findings.push(Finding {
                diagnostic: d,
                migration: self.migration,
                since: versions.0,
                until: versions.1,
            });
            return;
        }
        if self.allows(d.code) {
            return;
        }
        let name = d.code.name;
        let allow = format!(
            "if this is deliberate, write `-- schema: allow({name})` on the line above the statement (in the migration's header: for all of it)"
        );
        let help = match &d.help {
            Some(safe) => format!("{safe}; {allow}"),
            None => allow,
        };
        let d = d.help(help);
        self.findings.push(Finding {
            diagnostic: d,
            migration: self.migration,
            since: versions.0,
            until: versions.1,
        });
    }

    /// `S0510`: the first statement that locks an existing table before any
    /// `SET lock_timeout`.
    fn locks(&mut self, schema: &Schema, table: &QualifiedName, at: &Origin, what: &str) {
        if self.lock_timeout || self.lock_reported || !self.existing(schema, table) {
            return;
        }
        self.lock_reported = true;
        self.report(
            Diagnostic::warning(
                codes::MISSING_LOCK_TIMEOUT,
                if self.lock_timeout_off {
                    format!("{what} locks table `{table}` after `lock_timeout` was turned off (0)")
                } else {
                    format!("{what} locks table `{table}` with no `lock_timeout` set")
                },
            )
            .at(at)
            .note("waiting for its lock behind a long transaction, the statement queues every read and write of the table behind it, for as long as that transaction lasts")
            .help("write `SET lock_timeout = '5s';` at the top of the migration (it fails fast instead, and can be retried)"),
            ALL,
        );
    }

    fn lint_statement(&mut self, schema: &Schema, located: &LocatedStatement) {
        let at = located.origin.clone();
        let statement = match &located.statement {
            ParsedStatement::Sql(s) => s.as_ref(),
            ParsedStatement::Maintenance(m) => {
                self.maintenance(schema, m, &at);
                return;
            }
            ParsedStatement::AlterIdentity { table, .. } => {
                let name = qualified_parts(table);
                self.locks(schema, &name, &at, "`ALTER TABLE`");
                return;
            }
            ParsedStatement::CreateTrigger(_) | ParsedStatement::AlterColumnStorage(_) => {
                return;
            }
            _ => return,
        };
        match statement {
            Statement::Set(_) => {
                if let Some((on, local)) = sets_lock_timeout(&located.text.to_ascii_lowercase()) {
                    // `SET LOCAL` outside a transaction block does nothing.
                    if self.transactional || !local {
                        self.lock_timeout = on;
                        self.lock_timeout_off = !on;
                    }
                }
            }
            Statement::CreateIndex(ci) => {
                let table = qualified(&ci.table_name);
                let name = ci
                    .name
                    .as_ref()
                    .map_or_else(|| "an index".to_string(), |n| format!("index `{n}`"));
                if ci.concurrently {
                    // No lock timeout asked for: its SHARE UPDATE EXCLUSIVE
                    // blocks no reads or writes, and it waits for older
                    // transactions through locks (a timeout there would
                    // leave an INVALID index).
                    self.needs_no_transaction(&at, "CREATE INDEX CONCURRENTLY");
                } else if self.existing(schema, &table) && !on_only(&located.text) {
                    self.locks(schema, &table, &at, "`CREATE INDEX`");
                    let unique = if ci.unique { "UNIQUE " } else { "" };
                    let partitioned = schema
                        .tables
                        .get(&table)
                        .is_some_and(|t| t.partition_by.is_some());
                    let help = if partitioned {
                        format!(
                            "PostgreSQL builds no index on a partitioned table concurrently: create it with `CREATE {unique}INDEX ... ON ONLY {table} (...)` (no build), build each partition's index with `CREATE {unique}INDEX CONCURRENTLY` in a `no-transaction` migration, then `ALTER INDEX ... ATTACH PARTITION` each"
                        )
                    } else {
                        format!(
                            "build it with `CREATE {unique}INDEX CONCURRENTLY` in a migration of its own that starts with `-- schema: no-transaction`; writes go on while it builds"
                        )
                    };
                    self.report(
                        Diagnostic::warning(
                            codes::INDEX_WITHOUT_CONCURRENTLY,
                            format!("{name} is built on existing table `{table}` without `CONCURRENTLY`"),
                        )
                        .at(&at)
                        .note(format!("`CREATE INDEX` holds a SHARE lock on `{table}` while it reads every row: inserts, updates and deletes wait until the index is built"))
                        .help(help),
                        ALL,
                    );
                }
            }
            Statement::Drop {
                object_type: ObjectType::Index,
                names,
                ..
            } => {
                // The parser blanks `CONCURRENTLY` out of `DROP INDEX`; the text keeps it.
                let concurrently = located
                    .text
                    .split_whitespace()
                    .nth(2)
                    .is_some_and(|w| w.eq_ignore_ascii_case("concurrently"));
                if concurrently {
                    self.needs_no_transaction(&at, "DROP INDEX CONCURRENTLY");
                }
                for n in names {
                    let index = qualified(n);
                    let Some(table) = schema.index_owner(&index).cloned() else {
                        continue;
                    };
                    if !concurrently && self.existing(schema, &table) {
                        self.locks(schema, &table, &at, "`DROP INDEX`");
                        self.report(
                            Diagnostic::warning(
                                codes::INDEX_WITHOUT_CONCURRENTLY,
                                format!("index `{index}` of existing table `{table}` is dropped without `CONCURRENTLY`"),
                            )
                            .at(&at)
                            .note(format!("`DROP INDEX` takes an ACCESS EXCLUSIVE lock on `{table}`: reads and writes wait, and queue behind any transaction using the table"))
                            .help(format!("drop it with `DROP INDEX CONCURRENTLY {index}` in a migration of its own that starts with `-- schema: no-transaction`")),
                            ALL,
                        );
                    }
                }
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for n in names {
                    let table = qualified(n);
                    if !self.existing(schema, &table) {
                        continue;
                    }
                    self.locks(schema, &table, &at, "`DROP TABLE`");
                    self.report(
                        Diagnostic::warning(
                            codes::DROP_IN_USE,
                            format!("table `{table}` is dropped while the previous release may still use it"),
                        )
                        .at(&at)
                        .note("during a deploy the previous release's queries still run; every one naming the table fails from this migration on")
                        .help("stop using the table in one release, and drop it in a migration of the next"),
                        ALL,
                    );
                }
            }
            Statement::AlterTable(alter) => {
                let table = qualified(&alter.name);
                let detaches = alter.operations.iter().any(|op| {
                    matches!(
                        op,
                        AlterTableOperation::DetachPartitionOf {
                            mode: Some(sqlparser::ast::DetachPartitionMode::Concurrently),
                            ..
                        }
                    )
                });
                if detaches {
                    self.needs_no_transaction(&at, "DETACH PARTITION ... CONCURRENTLY");
                }
                if !self.existing(schema, &table) {
                    self.alter_new_table(schema, &table, alter, &at);
                    return;
                }
                self.locks(schema, &table, &at, "`ALTER TABLE`");
                for op in &alter.operations {
                    self.alter_operation(schema, &table, op, &at);
                }
            }
            Statement::CreateTable(ct) => {
                let table = qualified(&ct.name);
                if let Some(parent) = &ct.partition_of {
                    let parent = qualified(parent);
                    self.locks(schema, &parent, &at, "`CREATE TABLE ... PARTITION OF`");
                }
                for constraint in &ct.constraints {
                    if let TableConstraint::ForeignKey(fk) = constraint {
                        let referenced = qualified(&fk.foreign_table);
                        self.locks(schema, &referenced, &at, "a foreign key of `CREATE TABLE`");
                    }
                }
                for column in &ct.columns {
                    for option in &column.options {
                        if let ColumnOption::ForeignKey(fk) = &option.option {
                            let referenced = qualified(&fk.foreign_table);
                            self.locks(schema, &referenced, &at, "a foreign key of `CREATE TABLE`");
                        }
                    }
                }
                self.pending.push(Pending::Created(table, at));
            }
            Statement::AlterType(at_) => {
                if let AlterTypeOperation::AddValue(add) = &at_.operation {
                    let ty = qualified(&at_.name);
                    if self.transactional {
                        self.report(
                            Diagnostic::error(
                                codes::CONCURRENTLY_IN_TRANSACTION,
                                format!("`ALTER TYPE {ty} ADD VALUE` cannot run in a transaction before PostgreSQL 12"),
                            )
                            .at(&at)
                            .note("this migration runs in a transaction, and PostgreSQL 10 and 11 refuse it there (25001)")
                            .help("write `-- schema: no-transaction` at the top of the migration, or judge a later PostgreSQL (`--pg-version`)"),
                            (0, 12),
                        );
                        self.enum_values.push((ty, add.value.value.clone()));
                    }
                }
            }
            _ => {}
        }
    }

    /// `VACUUM`: outside a transaction only; `FULL` rewrites (`S0511`).
    fn maintenance(&mut self, schema: &Schema, m: &Maintenance, at: &Origin) {
        if !m.vacuum {
            return;
        }
        self.needs_no_transaction(at, if m.full { "VACUUM FULL" } else { "VACUUM" });
        if !m.full {
            return;
        }
        if m.tables.is_empty() {
            self.report(
                Diagnostic::warning(
                    codes::TABLE_REWRITE,
                    "`VACUUM FULL` rewrites every table of the database",
                )
                .at(at)
                .note("it holds an ACCESS EXCLUSIVE lock on each table for its rewrite")
                .help("run plain `VACUUM`, or reclaim space with pg_repack outside migrations"),
                ALL,
            );
        }
        for parts in &m.tables {
            let table = qualified_parts(parts);
            if !self.existing(schema, &table) {
                continue;
            }
            self.locks(schema, &table, at, "`VACUUM FULL`");
            self.report(
                Diagnostic::warning(
                    codes::TABLE_REWRITE,
                    format!("`VACUUM FULL` rewrites existing table `{table}`"),
                )
                .at(at)
                .note(format!("it holds an ACCESS EXCLUSIVE lock on `{table}` for the whole rewrite: no read or write until it ends"))
                .help(format!("run plain `VACUUM {table}` (it takes no lock that blocks reads or writes), or reclaim space with pg_repack outside migrations")),
                ALL,
            );
        }
    }

    /// `S0502`: a statement PostgreSQL refuses in a transaction block.
    fn needs_no_transaction(&mut self, at: &Origin, what: &str) {
        if !self.transactional {
            return;
        }
        self.report(
            Diagnostic::error(
                codes::CONCURRENTLY_IN_TRANSACTION,
                format!("`{what}` cannot run inside a transaction, and this migration runs in one"),
            )
            .at(at)
            .note("the migrator runs a migration in one transaction unless it says otherwise; PostgreSQL refuses this statement there (25001)")
            .help("write `-- schema: no-transaction` at the top of the migration (each statement then runs on its own: keep such a migration to this statement)"),
            ALL,
        );
    }

    /// What touches only a table created in this migration: nothing to
    /// report, but its foreign keys lock the tables they reference.
    fn alter_new_table(
        &mut self,
        schema: &Schema,
        _table: &QualifiedName,
        alter: &sqlparser::ast::AlterTable,
        at: &Origin,
    ) {
        for op in &alter.operations {
            if let AlterTableOperation::AddConstraint {
                constraint: TableConstraint::ForeignKey(fk),
                ..
            } = op
            {
                let referenced = qualified(&fk.foreign_table);
                self.locks(schema, &referenced, at, "a foreign key");
            }
        }
    }

    fn alter_operation(
        &mut self,
        schema: &Schema,
        table: &QualifiedName,
        op: &AlterTableOperation,
        at: &Origin,
    ) {
        let Some(t) = schema.tables.get(table) else {
            return;
        };
        match op {
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => match constraint {
                TableConstraint::ForeignKey(_) | TableConstraint::Check(_) => {
                    if *not_valid {
                        self.pending.push(Pending::Constraints(
                            table.clone(),
                            t.constraints.keys().cloned().collect(),
                        ));
                        return;
                    }
                    let (kind, name, lock) = match constraint {
                        TableConstraint::ForeignKey(fk) => {
                            let referenced = qualified(&fk.foreign_table);
                            (
                                "a foreign key",
                                fk.name.as_ref(),
                                format!(
                                    "a SHARE ROW EXCLUSIVE lock on `{table}` and `{referenced}`: their inserts, updates and deletes wait"
                                ),
                            )
                        }
                        TableConstraint::Check(c) => (
                            "a check constraint",
                            c.name.as_ref(),
                            format!("an ACCESS EXCLUSIVE lock on `{table}`: no read or write"),
                        ),
                        _ => return,
                    };
                    let name = name.map_or_else(|| "<name>".to_string(), fold_ident);
                    self.report(
                        Diagnostic::warning(
                            codes::CONSTRAINT_WITHOUT_NOT_VALID,
                            format!("{kind} is added to existing table `{table}` without `NOT VALID`"),
                        )
                        .at(at)
                        .note(format!("checking every row holds {lock} until the scan ends"))
                        .help(format!("add it with `NOT VALID` (no scan), then `ALTER TABLE {table} VALIDATE CONSTRAINT {name};` in a later migration: validating blocks no writes")),
                        ALL,
                    );
                }
                TableConstraint::PrimaryKey(_)
                | TableConstraint::Unique(_)
                | TableConstraint::Exclude(_) => {
                    let (kind, keyword) = match constraint {
                        TableConstraint::PrimaryKey(_) => ("a primary key", "PRIMARY KEY"),
                        TableConstraint::Unique(_) => ("a unique constraint", "UNIQUE"),
                        _ => ("an exclusion constraint", "EXCLUDE"),
                    };
                    let help = if matches!(constraint, TableConstraint::Exclude(_)) {
                        "an exclusion constraint has no concurrent form: add it while the table is small, or in a maintenance window".to_string()
                    } else {
                        let key = if matches!(constraint, TableConstraint::PrimaryKey(_)) {
                            "PRIMARY KEY"
                        } else {
                            "UNIQUE"
                        };
                        format!(
                            "build the index first with `CREATE UNIQUE INDEX CONCURRENTLY i ON {table} (...)` in a `no-transaction` migration, then `ALTER TABLE {table} ADD CONSTRAINT i {key} USING INDEX i;`"
                        )
                    };
                    self.report(
                        Diagnostic::warning(
                            codes::CONSTRAINT_BUILDS_INDEX,
                            format!("{kind} is added to existing table `{table}`, building its index under the table's strongest lock"),
                        )
                        .at(at)
                        .note(format!("`ADD {keyword}` holds an ACCESS EXCLUSIVE lock on `{table}` while it builds the index: no read or write until it ends"))
                        .help(help),
                        ALL,
                    );
                }
                TableConstraint::PrimaryKeyUsingIndex(u) => {
                    let index = fold_ident(&u.index_name);
                    let nullable: Vec<String> = t
                        .indexes
                        .get(&index)
                        .map(|i| {
                            i.keys
                                .iter()
                                .filter_map(|k| match &k.part {
                                    crate::model::IndexPart::Column(c) => Some(c.clone()),
                                    crate::model::IndexPart::Expression(_) => None,
                                })
                                .filter(|c| t.column(c).is_some_and(|c| c.nullable))
                                .collect()
                        })
                        .unwrap_or_default();
                    for c in nullable {
                        self.set_not_null(
                            schema,
                            table,
                            &c,
                            at,
                            "`ADD PRIMARY KEY USING INDEX` makes",
                        );
                    }
                }
                _ => {}
            },
            AlterTableOperation::ValidateConstraint { name } => {
                let key = (table.clone(), fold_ident(name));
                if self.transactional && self.not_valid.contains(&key) {
                    self.report(
                        Diagnostic::warning(
                            codes::CONSTRAINT_WITHOUT_NOT_VALID,
                            format!("constraint `{name}` of `{table}` is validated in the transaction that added it `NOT VALID`"),
                        )
                        .at(at)
                        .note("the lock `ADD CONSTRAINT` took is held until the transaction ends, so the validating scan runs under it: as if `NOT VALID` were not there")
                        .help("move `VALIDATE CONSTRAINT` to a later migration (its own transaction)"),
                        ALL,
                    );
                }
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let column = fold_ident(column_name);
                match op {
                    AlterColumnOperation::SetNotNull => {
                        self.set_not_null(schema, table, &column, at, "`SET NOT NULL` makes");
                    }
                    AlterColumnOperation::SetDataType { using, .. } => {
                        if self
                            .added_columns
                            .contains(&(table.clone(), column.clone()))
                        {
                            return;
                        }
                        if let Some(c) = t.column(&column) {
                            let computes =
                                using.as_ref().is_some_and(|u| !names_column(u, &column));
                            self.pending.push(Pending::Retype(
                                table.clone(),
                                column,
                                c.data_type.clone(),
                                computes,
                                at.clone(),
                            ));
                        }
                    }
                    _ => {}
                }
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                let name = fold_ident(&column_def.name);
                for option in &column_def.options {
                    match &option.option {
                        ColumnOption::ForeignKey(_) | ColumnOption::Check(_) => self.report(
                            Diagnostic::warning(
                                codes::CONSTRAINT_WITHOUT_NOT_VALID,
                                format!("column `{name}` is added to existing table `{table}` with a constraint checked by a scan"),
                            )
                            .at(at)
                            .note(format!("the new column's constraint is validated by reading every row of `{table}` under the `ALTER TABLE`'s lock"))
                            .help(format!("add the column bare, then `ALTER TABLE {table} ADD CONSTRAINT ... NOT VALID;` and `VALIDATE CONSTRAINT` in a later migration")),
                            ALL,
                        ),
                        ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) => self.report(
                            Diagnostic::warning(
                                codes::CONSTRAINT_BUILDS_INDEX,
                                format!("column `{name}` is added to existing table `{table}` with a key, whose index is built under the table's strongest lock"),
                            )
                            .at(at)
                            .note(format!("the index is built under the ACCESS EXCLUSIVE lock of `ALTER TABLE {table}`: no read or write until it ends"))
                            .help(format!("add the column bare, build the index with `CREATE UNIQUE INDEX CONCURRENTLY` in a `no-transaction` migration, then `ALTER TABLE {table} ADD CONSTRAINT i UNIQUE USING INDEX i;`")),
                            ALL,
                        ),
                        _ => {}
                    }
                }
                self.added_columns.insert((table.clone(), name.clone()));
                match self.pending.iter_mut().find_map(|p| match p {
                    Pending::AddedColumns(t, cols, _) if t == table => Some(cols),
                    _ => None,
                }) {
                    Some(cols) => cols.push(name),
                    None => self.pending.push(Pending::AddedColumns(
                        table.clone(),
                        vec![name],
                        at.clone(),
                    )),
                }
            }
            AlterTableOperation::RenameColumn {
                old_column_name, ..
            } => {
                let old = fold_ident(old_column_name);
                if self.added_columns.contains(&(table.clone(), old.clone())) {
                    return;
                }
                self.report(
                    Diagnostic::warning(
                        codes::RENAME_IN_USE,
                        format!("column `{old}` of existing table `{table}` is renamed while the previous release may still use it"),
                    )
                    .at(at)
                    .note("during a deploy the previous release's queries still run; every one naming the old column fails from this migration on")
                    .help(format!("expand and contract: add the new column, write both and backfill, switch the reads, then drop `{old}` a release later")),
                    ALL,
                );
            }
            AlterTableOperation::RenameTable { .. } => {
                self.report(
                    Diagnostic::warning(
                        codes::RENAME_IN_USE,
                        format!("existing table `{table}` is renamed while the previous release may still use it"),
                    )
                    .at(at)
                    .note("during a deploy the previous release's queries still run; every one naming the old table fails from this migration on")
                    .help(format!("rename it, then create a view named `{}` over the new name for the previous release, and drop the view a release later", table.name)),
                    ALL,
                );
            }
            AlterTableOperation::DropColumn { column_names, .. } => {
                for c in column_names {
                    let name = fold_ident(c);
                    if self.added_columns.contains(&(table.clone(), name.clone())) {
                        continue;
                    }
                    self.report(
                        Diagnostic::warning(
                            codes::DROP_IN_USE,
                            format!("column `{name}` of existing table `{table}` is dropped while the previous release may still use it"),
                        )
                        .at(at)
                        .note("during a deploy the previous release's queries still run; every one naming the column (and every `INSERT` that lists it) fails from this migration on")
                        .help("stop using the column in one release, and drop it in a migration of the next"),
                        ALL,
                    );
                }
            }
            _ => {}
        }
    }

    /// `S0504`: `SET NOT NULL` on a nullable column of an existing table
    /// without a validated `CHECK (c IS NOT NULL)` (which PostgreSQL 12 and
    /// later trust instead of scanning).
    fn set_not_null(
        &mut self,
        schema: &Schema,
        table: &QualifiedName,
        column: &str,
        at: &Origin,
        what: &str,
    ) {
        let Some(t) = schema.tables.get(table) else {
            return;
        };
        if !t.column(column).is_some_and(|c| c.nullable)
            || self
                .added_columns
                .contains(&(table.clone(), column.to_string()))
        {
            return;
        }
        let proven = t.constraints.values().any(|c| {
            c.validated
                && matches!(&c.kind, ConstraintKind::Check { expr } if proves_not_null(expr.sql(), column))
        });
        let versions = if proven { (0, 12) } else { ALL };
        let check = format!(
            "{}_not_null",
            column.replace(|c: char| !c.is_alphanumeric(), "_")
        );
        self.report(
            Diagnostic::warning(
                codes::SET_NOT_NULL_SCANS,
                format!("{what} column `{column}` of existing table `{table}` NOT NULL, reading every row"),
            )
            .at(at)
            .note(format!("the scan runs under an ACCESS EXCLUSIVE lock on `{table}`: no read or write until it ends"))
            .help(format!(
                "first `ALTER TABLE {table} ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID;`, then `VALIDATE CONSTRAINT {check}` in a later migration; after that (PostgreSQL 12+) `SET NOT NULL` trusts the check and skips the scan, and the check can be dropped"
            )),
            versions,
        );
    }

    fn after_statement(&mut self, schema: &Schema, located: &LocatedStatement) {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            match p {
                Pending::Retype(table, column, from, using, at) => {
                    let Some(to) = schema
                        .tables
                        .get(&table)
                        .and_then(|t| t.column(&column))
                        .map(|c| c.data_type.clone())
                    else {
                        continue;
                    };
                    // Domains stay named: a domain's check makes PostgreSQL
                    // read every row, whatever its base type.
                    let cost = |v| {
                        if using {
                            TypeChange::Rewrite
                        } else {
                            column_type_change(&from, &to, v)
                        }
                    };
                    let rewrites: Vec<u32> = (OLDEST_PG..=NEWEST_PG)
                        .filter(|v| cost(*v) != TypeChange::Free)
                        .collect();
                    let indexes_only = rewrites
                        .iter()
                        .all(|v| cost(*v) == TypeChange::RebuildsIndexes);
                    for (since, until) in ranges(&rewrites) {
                        let why = if using {
                            "`USING` computes every value again".to_string()
                        } else if crate::lint::rewrite::column_type_change_in_zone(
                            &from,
                            &to,
                            since.max(OLDEST_PG),
                            crate::lint::rewrite::SessionTimeZone::Utc,
                        ) != TypeChange::Rewrite
                        {
                            format!(
                                "PostgreSQL reuses `{from}` values as `{to}` in place only when the session's TimeZone is UTC (12+), which a migration cannot count on"
                            )
                        } else if indexes_only {
                            format!(
                                "`{from}` values fit `{to}` as they are, but the indexes on the column are built again (their operator class changes)"
                            )
                        } else {
                            format!("PostgreSQL cannot reuse `{from}` values as `{to}` in place")
                        };
                        self.report(
                            Diagnostic::warning(
                                codes::COLUMN_TYPE_REWRITES,
                                format!(
                                    "changing column `{column}` of existing table `{table}` from `{from}` to `{to}` {}",
                                    if indexes_only { "rebuilds its indexes" } else { "rewrites the table" }
                                ),
                            )
                            .at(&at)
                            .note(if indexes_only {
                                format!("{why}, under an ACCESS EXCLUSIVE lock on `{table}`: no read or write until they are built")
                            } else {
                                format!("{why}: every row and every index of `{table}` is rewritten under an ACCESS EXCLUSIVE lock, no read or write until it ends")
                            })
                            .help(format!("add a new column of type `{to}`, fill it in batches (and from a trigger for new rows), then switch to it in a later release; changes PostgreSQL does in place (a longer `varchar`, `varchar` to `text`, more `numeric` precision) need none of this")),
                            (since, until),
                        );
                    }
                }
                Pending::AddedColumns(table, columns, at) => {
                    let Some(t) = schema.tables.get(&table) else {
                        continue;
                    };
                    for name in columns {
                        let Some(c) = t.column(&name) else { continue };
                        let (why, versions) = if c.identity.is_some() {
                            (
                                "an identity column is filled from its sequence, row by row",
                                ALL,
                            )
                        } else if c.generated.is_some() {
                            ("a stored generated column is computed for every row", ALL)
                        } else if let Some(default) = c.default.as_ref().filter(|d| !d.is_null()) {
                            if let Some(f) = volatile_call(schema, default.sql()) {
                                self.report_default(&table, &name, &at, &format!("its default calls `{f}`, which is volatile: each row gets its own value"), ALL);
                                continue;
                            }
                            (
                                "before PostgreSQL 11 every default is written into every row",
                                (0, 11),
                            )
                        } else {
                            continue;
                        };
                        self.report_default(&table, &name, &at, why, versions);
                    }
                }
                Pending::Constraints(table, before) => {
                    if let Some(t) = schema.tables.get(&table) {
                        for c in t.constraints.values() {
                            if !c.validated && !before.contains(&c.name) {
                                self.not_valid.insert((table.clone(), c.name.clone()));
                            }
                        }
                    }
                }
                Pending::Created(table, at) => {
                    self.created.insert(table.clone());
                    let Some(t) = schema.tables.get(&table) else {
                        continue;
                    };
                    if let [key] = t.primary_key_columns() {
                        let small = t.column(key).map(|c| schema.resolved_type(&c.data_type));
                        if matches!(small, Some(SqlType::Integer | SqlType::SmallInt)) {
                            let ty = small.map(|t| t.to_string()).unwrap_or_default();
                            self.report(
                                Diagnostic::warning(
                                    codes::INT_PRIMARY_KEY,
                                    format!("table `{table}` is keyed by `{key}` of type `{ty}`"),
                                )
                                .at(&at)
                                .note("an `integer` key runs out at 2,147,483,647 rows ever inserted; widening it later rewrites the table and every table referencing it")
                                .help(format!("declare `{key} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY`")),
                                ALL,
                            );
                        }
                    }
                }
            }
        }
        // A table renamed by this statement keeps being new (or existing).
        if let ParsedStatement::Sql(s) = &located.statement {
            if let Statement::AlterTable(alter) = s.as_ref() {
                let from = qualified(&alter.name);
                for op in &alter.operations {
                    if let AlterTableOperation::RenameTable { table_name } = op {
                        let to_parts = match table_name {
                            sqlparser::ast::RenameTableNameKind::As(n)
                            | sqlparser::ast::RenameTableNameKind::To(n) => object_name_parts(n),
                        };
                        if let Some(last) = to_parts.last() {
                            let to = QualifiedName::new(from.schema.clone(), last.clone());
                            if self.created.remove(&from) {
                                self.created.insert(to);
                            }
                        }
                    }
                }
            }
        }
    }

    fn report_default(
        &mut self,
        table: &QualifiedName,
        column: &str,
        at: &Origin,
        why: &str,
        versions: (u32, u32),
    ) {
        let help = if why.starts_with("a stored generated column") {
            format!(
                "add `{column}` as a plain column, fill it in batches and keep it filled from a trigger (a generated column has no form without the rewrite)"
            )
        } else if why.starts_with("an identity column") {
            format!(
                "add `{column}` without identity, fill it in batches from a sequence, then `ALTER COLUMN {column} ADD GENERATED ... AS IDENTITY` when the table is small enough, or keep the sequence as its default"
            )
        } else {
            format!(
                "add `{column}` without a default, then `ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT ...` (new rows only) and fill existing rows in batches"
            )
        };
        self.report(
            Diagnostic::warning(
                codes::VOLATILE_DEFAULT,
                format!("adding column `{column}` to existing table `{table}` rewrites the table"),
            )
            .at(at)
            .note(format!("{why}: the whole table is rewritten under an ACCESS EXCLUSIVE lock, no read or write until it ends"))
            .help(help),
            versions,
        );
    }

    /// `S0512`: a statement that names an enum value added earlier in this
    /// transaction (PostgreSQL 12 and later refuse its use until commit).
    fn uses_new_enum_value(&mut self, schema: &Schema, located: &LocatedStatement) {
        if self.enum_values.is_empty() {
            return;
        }
        let (strings, words) = literals_and_words(&located.text);
        // The statement names the type, or a column of that type.
        let names = |ty: &QualifiedName| {
            let enum_type = SqlType::Named(ty.clone());
            std::iter::once(ty.name.clone()).chain(schema.tables.values().flat_map(move |t| {
                t.columns
                    .iter()
                    .filter(|c| {
                        c.data_type == enum_type
                            || matches!(&c.data_type, SqlType::Array(e) if **e == enum_type)
                    })
                    .map(|c| c.name.clone())
                    .collect::<Vec<_>>()
            }))
        };
        let used: Vec<(QualifiedName, String)> = self
            .enum_values
            .iter()
            .filter(|(_, v)| strings.iter().any(|s| s == v))
            .filter(|(ty, _)| names(ty).any(|n| words.contains(&n)))
            .cloned()
            .collect();
        for (ty, value) in used {
            self.report(
                Diagnostic::warning(
                    codes::ENUM_VALUE_USED_IN_TRANSACTION,
                    format!("value '{value}' of enum `{ty}` is used in the transaction that added it"),
                )
                .at(&located.origin)
                .note("PostgreSQL refuses a new enum value until the transaction that added it commits (55P04 unsafe use of new value); the migration fails here")
                .help("use the value in a later migration (or add it in a `-- schema: no-transaction` migration)"),
                (12, u32::MAX),
            );
        }
    }
}

impl Observer for Linter {
    fn before(&mut self, schema: &Schema, statement: &LocatedStatement, directives: &[Directive]) {
        self.here = allow_names(directives);
        self.uses_new_enum_value(schema, statement);
        self.lint_statement(schema, statement);
    }

    fn after(&mut self, schema: &Schema, statement: &LocatedStatement, applied: bool) {
        if applied {
            self.after_statement(schema, statement);
        } else {
            self.pending.clear();
        }
        self.here.clear();
    }
}

fn allow_names(directives: &[Directive]) -> Vec<String> {
    directives
        .iter()
        .filter_map(|d| match &d.kind {
            crate::directive::DirectiveKind::Allow(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

fn qualified(name: &ObjectName) -> QualifiedName {
    qualified_parts(&object_name_parts(name))
}

/// The name `parts` stand for; a malformed one (which the statement's own
/// application refuses) names no table.
fn qualified_parts(parts: &[String]) -> QualifiedName {
    QualifiedName::from_parts(parts).unwrap_or_else(|| QualifiedName::public(String::new()))
}

/// For a `SET` (its text, lower case) of the lock timeout: whether it turns
/// one on (not `0` or `DEFAULT`), and whether it is `SET LOCAL`. `None` when
/// it sets something else.
fn sets_lock_timeout(text: &str) -> Option<(bool, bool)> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '=' || c == ';')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('"'))
        .collect();
    let (local, rest) = match words.as_slice() {
        ["set", "local", "lock_timeout", rest @ ..] => (true, rest),
        ["set", "session", "lock_timeout", rest @ ..] | ["set", "lock_timeout", rest @ ..] => {
            (false, rest)
        }
        _ => return None,
    };
    let value = rest
        .iter()
        .find(|w| **w != "to")
        .map(|w| w.trim_matches('\''))?;
    Some((!matches!(value, "0" | "default" | "0s" | "0ms"), local))
}

/// True when `expr` is just `column` (`USING c`, which computes nothing).
fn names_column(expr: &sqlparser::ast::Expr, column: &str) -> bool {
    match expr {
        sqlparser::ast::Expr::Identifier(i) => fold_ident(i) == column,
        sqlparser::ast::Expr::Nested(inner) => names_column(inner, column),
        _ => false,
    }
}

/// True when `text` (a `CREATE INDEX`) says `ON ONLY`: an index of a
/// partitioned table alone, which builds nothing.
fn on_only(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().take(16).collect();
    words
        .windows(2)
        .any(|w| w[0].eq_ignore_ascii_case("on") && w[1].eq_ignore_ascii_case("only"))
}

/// True when the check `expr` (canonical text) proves `column` is never
/// null, as PostgreSQL's `SET NOT NULL` judges it: `column IS NOT NULL` (or
/// `NOT (column IS NULL)`) alone or as one of the terms of a top-level `AND`.
fn proves_not_null(expr: &str, column: &str) -> bool {
    let quoted = format!("\"{}\"", column.replace('"', "\"\""));
    let wanted: Vec<String> = [
        format!("{quoted} IS NOT NULL"),
        format!("NOT ({quoted} IS NULL)"),
    ]
    .iter()
    .filter_map(|t| crate::model::expr::Expression::parse(t).ok())
    .map(|e| e.sql().to_string())
    .collect();
    let canonical = |part: &str| {
        crate::model::expr::Expression::parse(part)
            .map(|e| e.sql().to_string())
            .unwrap_or_default()
    };
    top_level_and(expr)
        .iter()
        .any(|part| wanted.contains(&canonical(part)))
}

/// The terms of `sql`'s top-level `AND` (the whole text when there is none),
/// outer parentheses removed.
fn top_level_and(sql: &str) -> Vec<&str> {
    let mut sql = sql.trim();
    // One pair of parentheses around the whole.
    while sql.starts_with('(') && sql.ends_with(')') && closes_at_end(sql) {
        sql = sql[1..sql.len() - 1].trim();
    }
    let (mut depth, mut quote, mut start, mut out) = (0i32, false, 0, Vec::new());
    let bytes = sql.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => quote = !quote,
            b'(' if !quote => depth += 1,
            b')' if !quote => depth -= 1,
            b' ' if !quote
                && depth == 0
                && bytes
                    .get(i..i + 5)
                    .is_some_and(|w| w.eq_ignore_ascii_case(b" AND ")) =>
            {
                out.push(sql[start..i].trim());
                start = i + 5;
                i += 4;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(sql[start..].trim());
    out
}

/// True when the `(` that starts `sql` closes at its last character.
fn closes_at_end(sql: &str) -> bool {
    let mut depth = 0i32;
    for (i, c) in sql.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i == sql.len() - 1;
                }
            }
            _ => {}
        }
    }
    false
}

/// Consecutive runs of `versions` as `since..until` ranges.
fn ranges(versions: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &v in versions {
        match out.last_mut() {
            Some((_, until)) if *until == v => *until = v + 1,
            _ => out.push((v, v + 1)),
        }
    }
    // The newest version known stands for the ones after it.
    if let Some((_, until)) = out.last_mut() {
        if *until == NEWEST_PG + 1 {
            *until = u32::MAX;
        }
    }
    if let Some((since, _)) = out.first_mut() {
        if *since == OLDEST_PG {
            *since = 0;
        }
    }
    out
}

/// Built-in functions PostgreSQL marks volatile that defaults call.
const VOLATILE_BUILTINS: &[&str] = &[
    "random",
    "random_normal",
    "clock_timestamp",
    "timeofday",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "gen_random_bytes",
    "nextval",
    "setval",
];

/// The first volatile function `sql` (an expression) calls: a volatile
/// built-in, or a function of `schema` declared `VOLATILE` (the default).
/// Other built-ins count as stable or immutable.
fn volatile_call(schema: &Schema, sql: &str) -> Option<String> {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let tokens = Tokenizer::new(&PostgreSqlDialect {}, sql).tokenize().ok()?;
    let significant: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Whitespace(_)))
        .collect();
    for pair in significant.windows(2) {
        let (Token::Word(w), Token::LParen) = (pair[0], pair[1]) else {
            continue;
        };
        let name = if w.quote_style.is_some() {
            w.value.clone()
        } else {
            w.value.to_ascii_lowercase()
        };
        if VOLATILE_BUILTINS.contains(&name.as_str()) {
            return Some(name);
        }
        let user = schema.functions.values().find(|f| f.name.name == name);
        if user.is_some_and(|f| f.volatility == crate::model::function::Volatility::Volatile) {
            return Some(name);
        }
    }
    None
}

/// The string constants of `text` (`'...'`, `E'...'`, dollar-quoted) and its
/// words (names folded as PostgreSQL folds them).
fn literals_and_words(text: &str) -> (Vec<String>, HashSet<String>) {
    use sqlparser::dialect::PostgreSqlDialect;
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&PostgreSqlDialect {}, text).tokenize() else {
        return (Vec::new(), HashSet::new());
    };
    let (mut strings, mut words) = (Vec::new(), HashSet::new());
    for t in tokens {
        match t {
            Token::SingleQuotedString(s) | Token::EscapedStringLiteral(s) => strings.push(s),
            Token::DollarQuotedString(d) => strings.push(d.value),
            Token::Word(w) if w.quote_style.is_some() => {
                words.insert(w.value);
            }
            Token::Word(w) => {
                words.insert(w.value.to_lowercase());
            }
            _ => {}
        }
    }
    (strings, words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_timeout_settings_are_read() {
        assert_eq!(
            sets_lock_timeout("set lock_timeout = '5s'"),
            Some((true, false))
        );
        assert_eq!(
            sets_lock_timeout("set local lock_timeout to 5000"),
            Some((true, true))
        );
        assert_eq!(
            sets_lock_timeout("set \"lock_timeout\" = '5s'"),
            Some((true, false))
        );
        assert_eq!(
            sets_lock_timeout("set lock_timeout = 0"),
            Some((false, false))
        );
        assert_eq!(
            sets_lock_timeout("set lock_timeout to default"),
            Some((false, false))
        );
        assert_eq!(sets_lock_timeout("set statement_timeout = '5s'"), None);
    }

    #[test]
    fn version_ranges_are_runs() {
        assert_eq!(ranges(&[10, 11, 12]), vec![(0, 13)]);
        assert_eq!(ranges(&[12, 13, 14, 15, 16, 17, 18]), vec![(12, u32::MAX)]);
        assert_eq!(ranges(&[11, 13]), vec![(11, 12), (13, 14)]);
        assert!(ranges(&[]).is_empty());
    }

    #[test]
    fn levels_and_versions_parse() {
        assert_eq!(Level::parse("Deny"), Ok(Level::Deny));
        assert!(Level::parse("loud").is_err());
        assert_eq!(Settings::parse_pg_version("15.4"), Ok(15));
        assert!(Settings::parse_pg_version("9").is_err());
        assert!(Settings::parse_pg_version("x").is_err());
    }
}
