//! Replaying the migration history: each up.sql applied in order gives the
//! *migrated* schema; after each up its down is replayed (journaled, then rolled
//! back) and must give back the schema before it.

use crate::diagnostic::{Diagnostic, Origin};
use crate::diff;
use crate::directive::{Directive, DirectiveKind};
use crate::lint;
use crate::lint::online::Linter;
use crate::migrations::MigrationFiles;
use crate::migrations::dialects;
use crate::model::{Indexed, Journal, ObjectMap, Schema, SchemaJournal};
use crate::parse::apply::apply_file_observed;
use crate::parse::{self, LocatedStatement, Mode, apply::apply_file, apply_statement};

/// What replay learned about one migration.
#[derive(Debug, Clone)]
pub struct ReplayedMigration {
    /// The files.
    pub files: MigrationFiles,
    /// Statements in up.sql.
    pub up_statements: usize,
    /// Directives of up.sql and down.sql.
    pub directives: Vec<Directive>,
    /// The objects up.sql touched, as they were before it (absent ones left out).
    pub before: Schema,
    /// The same objects after up.sql (dropped ones left out).
    pub after: Schema,
    /// The `RENAME` statements of up.sql (so other dialects rename rather than
    /// drop and create).
    pub renames: diff::Renames,
    /// up.sql as other dialects run it, in order, when it holds a data
    /// statement; empty otherwise (its changes are then `before` → `after`).
    pub up_steps: Vec<Step>,
    /// The same for down.sql (from the schema after up.sql).
    pub down_steps: Vec<Step>,
}

/// One step of a migration file that holds data statements.
#[derive(Debug, Clone)]
pub enum Step {
    /// The schema statements between two data statements.
    Schema {
        /// The whole schema before them.
        before: Box<Schema>,
        /// The whole schema after them.
        after: Box<Schema>,
        /// Their `RENAME`s.
        renames: diff::Renames,
    },
    /// A data statement, which runs against the tables as the steps before it
    /// left them.
    Data(DataStatement),
}

/// An `INSERT`, `UPDATE`, `DELETE` or `TRUNCATE` of a migration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataStatement {
    /// Its text, as written (without the `;`).
    pub text: String,
    /// Where it starts.
    pub origin: Origin,
}

/// The data statement `located` is, if it is one.
fn data_statement(located: &LocatedStatement) -> Option<DataStatement> {
    use sqlparser::ast::Statement as S;
    let parse::ParsedStatement::Sql(statement) = &located.statement else {
        return None;
    };
    matches!(
        statement.as_ref(),
        S::Insert(_) | S::Update(_) | S::Delete(_) | S::Truncate(_)
    )
    .then(|| DataStatement {
        text: located.text.clone(),
        origin: located.origin.clone(),
    })
}

/// True when `file` holds a data statement.
fn has_data_statements(file: &parse::ParsedFile) -> bool {
    file.statements.iter().any(|s| data_statement(s).is_some())
}

/// The steps of `file` applied onto `start`: its schema statements grouped
/// between its data statements. Empty when it holds no data statement.
fn steps(start: &Schema, file: &parse::ParsedFile) -> Vec<Step> {
    if !has_data_statements(file) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut now = start.clone();
    let mut before = start.clone();
    let mut group: Vec<&LocatedStatement> = Vec::new();
    let close =
        |out: &mut Vec<Step>, before: &Schema, now: &Schema, group: &[&LocatedStatement]| {
            if !group.is_empty() {
                out.push(Step::Schema {
                    before: Box::new(before.clone()),
                    after: Box::new(now.clone()),
                    renames: renames_of(group.iter().copied()),
                });
            }
        };
    for located in &file.statements {
        match data_statement(located) {
            Some(data) => {
                if !group.is_empty() {
                    close(&mut out, &before, &now, &group);
                    group.clear();
                    before = now.clone();
                }
                out.push(Step::Data(data));
            }
            None => {
                // Errors were reported by the replay itself.
                let _ = apply_statement(&mut now, file, located, Mode::Migration);
                group.push(located);
            }
        }
    }
    close(&mut out, &before, &now, &group);
    out
}

impl ReplayedMigration {
    /// True when the migration asks to run outside a transaction.
    pub fn no_transaction(&self) -> bool {
        self.directives
            .iter()
            .any(|d| d.kind == DirectiveKind::NoTransaction)
    }
}

/// The result of replaying a whole history.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// The schema after every up.sql.
    pub migrated: Schema,
    /// Each migration, in order.
    pub migrations: Vec<ReplayedMigration>,
    /// What the online lints found in the up.sql files, before a project's
    /// settings judge it ([`crate::lint::online::Settings::judge`]).
    pub online: Vec<crate::lint::online::Finding>,
}

/// Replays `migrations` in order onto an empty schema, pushing every parse,
/// replay and lint diagnostic into `diagnostics`.
pub fn replay(migrations: &[MigrationFiles], diagnostics: &mut Vec<Diagnostic>) -> Replay {
    replay_onto(Schema::new(), migrations, diagnostics)
}

/// [`replay`] onto `start` (an empty schema that may carry the project's
/// settings, such as [`Schema::privileges_ignored`]).
pub fn replay_onto(
    start: Schema,
    migrations: &[MigrationFiles],
    diagnostics: &mut Vec<Diagnostic>,
) -> Replay {
    replay_after(migrations, diagnostics, |_| start)
}

/// How many migrations the parsing thread of [`replay_after`] may parse ahead
/// of the replay: enough to keep it busy, few enough that their syntax trees
/// stay a small part of the analysis's memory.
const PARSED_AHEAD: usize = 16;

/// A migration's up.sql and down.sql parsed, each with its diagnostics.
type Parsed = (
    (ParsedUp, Vec<Diagnostic>),
    (parse::ParsedFile, Vec<Diagnostic>),
);

/// An up.sql of this many bytes or more, without data statements, is not
/// kept parsed: the parsing thread reads what replay needs of it, and replay
/// parses it again as it applies it, a statement at a time. A syntax tree is
/// some 70 times its text: kept whole, one large baseline migration was most
/// of the peak memory of `check`.
const STREAMED_FROM: usize = 1 << 20;

/// A migration's up.sql as the parsing thread hands it over.
enum ParsedUp {
    /// Parsed, every statement kept.
    Whole(parse::ParsedFile),
    /// Large and without data statements: what replay needs of its
    /// statements, read as they were parsed (see [`STREAMED_FROM`]).
    Streamed(UpSummary),
}

/// What replay needs of a streamed up.sql's statements.
struct UpSummary {
    /// The file's directives and other facts (no statements).
    file: parse::ParsedFile,
    /// The line of its first statement, and the last line of its last.
    lines: Option<(u32, u32)>,
    /// The renames its statements make.
    renames: diff::Renames,
}

/// Parses a migration's up.sql for [`replay_parsed`]: whole, or streamed
/// when it is large (`streamed_from` bytes) and holds no data statement.
fn parse_up(m: &MigrationFiles, streamed_from: usize) -> (ParsedUp, Vec<Diagnostic>) {
    if m.up.text.len() >= streamed_from {
        let mut data = false;
        let mut lines: Option<(u32, u32)> = None;
        let mut renames = diff::Renames::default();
        let (file, diagnostics) = parse::parse_file_each(
            &m.up,
            Some(&mut |_: &parse::ParsedFile, s: LocatedStatement| {
                data |= data_statement(&s).is_some();
                let first = lines.map_or(s.origin.line, |(first, _)| first);
                lines = Some((first, s.end_line));
                // Every field named: one added later cannot be left out.
                let diff::Renames {
                    tables,
                    columns,
                    types,
                    views,
                } = renames_of(std::iter::once(&s));
                renames.tables.extend(tables);
                renames.columns.extend(columns);
                renames.types.extend(types);
                renames.views.extend(views);
            }),
        );
        if !data {
            let summary = UpSummary {
                file,
                lines,
                renames,
            };
            return (ParsedUp::Streamed(summary), diagnostics);
        }
    }
    let (file, diagnostics) = parse::parse_file(&m.up);
    (ParsedUp::Whole(file), diagnostics)
}

/// [`replay_onto`] the schema `start` gives (it may push diagnostics). A
/// thread of its own parses the migrations, from before `start` runs, at most
/// [`PARSED_AHEAD`] ahead of the replay: parsing is about half of the work,
/// and needs nothing replay knows. Without a thread, each is parsed in turn
/// here; the result is the same either way.
pub fn replay_after(
    migrations: &[MigrationFiles],
    diagnostics: &mut Vec<Diagnostic>,
    start: impl FnOnce(&mut Vec<Diagnostic>) -> Schema,
) -> Replay {
    let parse =
        |m: &MigrationFiles| -> Parsed { (parse_up(m, STREAMED_FROM), parse::parse_file(&m.down)) };
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Parsed>(PARSED_AHEAD);
        // When the thread cannot start, `sender` is dropped with the closure
        // and every `recv` fails at once.
        let _parser = crate::stack::spawn_scoped(scope, "schema-parse", move || {
            for m in migrations {
                if sender.send(parse(m)).is_err() {
                    break;
                }
            }
        });
        let start = start(diagnostics);
        // A failed `recv` (no thread, or it panicked) parses here: a panic
        // then happens on this thread, as it would have without one.
        let parsed = migrations
            .iter()
            .map(|m| receiver.recv().unwrap_or_else(|_| parse(m)));
        replay_parsed(start, migrations, parsed, diagnostics)
    })
}

/// The replay itself, `parsed` giving each migration's files parsed, in order.
fn replay_parsed(
    start: Schema,
    migrations: &[MigrationFiles],
    mut parsed: impl Iterator<Item = Parsed>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Replay {
    let mut schema = start;
    // The relation names of `schema`, for the SQLite lint of names that
    // differ only in case (kept in step: a scan per migration was quadratic).
    let mut names = crate::render::sqlite::CaseIndex::of(&schema);
    let mut out = Vec::with_capacity(migrations.len());
    let mut online = Vec::new();
    for m in migrations {
        let before_count = diagnostics.len();
        let Some(((up, up_diags), (down, down_diags))) = parsed.next() else {
            break;
        };
        diagnostics.extend(up_diags);
        diagnostics.extend(down_diags);
        let up_file = match &up {
            ParsedUp::Whole(file) => file,
            ParsedUp::Streamed(summary) => &summary.file,
        };
        let mut directives = up_file.all_directives();
        directives.extend(down.all_directives());
        // The whole schema before up.sql, copied only when up.sql holds data
        // statements (their steps replay from it): a copy per migration
        // would cost more than the rest of replay.
        let start = match &up {
            ParsedUp::Whole(file) => has_data_statements(file).then(|| schema.clone()),
            ParsedUp::Streamed(_) => None,
        };
        schema.begin_journal();
        let transactional = !directives
            .iter()
            .any(|d| d.kind == DirectiveKind::NoTransaction);
        let lines = match &up {
            ParsedUp::Whole(file) => file
                .statements
                .first()
                .zip(file.statements.last())
                .map(|(first, last)| (first.origin.line, last.end_line)),
            ParsedUp::Streamed(summary) => summary.lines,
        };
        let mut linter = Linter::new(
            m.version,
            transactional,
            &whole_file_directives(up_file, lines),
        );
        let up_statements = match &up {
            ParsedUp::Whole(file) => {
                apply_file_observed(&mut schema, file, Mode::Migration, diagnostics, &mut linter)
            }
            ParsedUp::Streamed(_) => {
                // Parsed again as it applies (on a big stack, as the parsing
                // thread did): its parse diagnostics are in already.
                let (_, applied, count) = crate::stack::on_big_stack(|| {
                    parse::apply::parse_and_apply_observed(
                        &m.up,
                        &mut schema,
                        Mode::Migration,
                        &mut linter,
                    )
                });
                diagnostics.extend(applied);
                count
            }
        };
        online.extend(linter.finish());
        let up_journal = schema.take_journal();
        let (after, before) = touched(&schema, &up_journal, &SchemaJournal::default());
        names.update(&before, &after);
        let renames = match &up {
            ParsedUp::Whole(file) => renames_of(file.statements.iter()),
            ParsedUp::Streamed(summary) => summary.renames.clone(),
        };
        if up_statements == 0 && diagnostics.len() == before_count {
            diagnostics.extend(lint::empty_migration(m, 0, &up_file.all_directives()));
        }
        let clean = diagnostics.len() == before_count;
        let (up_steps, down_steps) = if clean {
            let up_steps = match (&start, &up) {
                (Some(start), ParsedUp::Whole(file)) => steps(start, file),
                _ => Vec::new(),
            };
            (up_steps, steps(&schema, &down))
        } else {
            (Vec::new(), Vec::new())
        };
        let sqlite_lints = if clean {
            dialects::sqlite_lints(
                &m.up,
                &before,
                &schema,
                &after,
                [&up_steps, &down_steps],
                &directives,
                &names,
            )
        } else {
            Vec::new()
        };
        if clean {
            // Down runs on the migrated schema itself, journaled, then is rolled back.
            schema.begin_journal();
            apply_file(&mut schema, &down, Mode::Migration, diagnostics);
            let down_journal = schema.take_journal();
            if diagnostics.len() == before_count {
                let (undone, before) = touched(&schema, &up_journal, &down_journal);
                if undone != before {
                    let left = diff::compare(&undone, &before);
                    diagnostics.extend(lint::down_does_not_undo_up(m, &left, &directives));
                }
            }
            schema.roll_back(down_journal);
        }
        diagnostics.extend(sqlite_lints);
        out.push(ReplayedMigration {
            files: m.clone(),
            up_statements,
            directives,
            before,
            after,
            renames,
            up_steps,
            down_steps,
        });
    }
    Replay {
        migrated: schema,
        migrations: out,
        online,
    }
}

/// The directives of `file` that speak for all of it: those before its first
/// statement and after its last (one right above a statement is that
/// statement's).
fn whole_file_directives(file: &parse::ParsedFile, lines: Option<(u32, u32)>) -> Vec<Directive> {
    let (first, last) = lines.unwrap_or((u32::MAX, 0));
    file.directives
        .iter()
        .filter(|(line, _)| *line < first || *line > last)
        .map(|(_, d)| d.clone())
        .collect()
}

/// The objects a migration's up or down touched, as they are now (`undone`) and
/// as they were before the up (`before`): the prior value recorded by the up's
/// journal, else by the down's (what the up left untouched is as it was).
fn touched(now: &Schema, up: &SchemaJournal, down: &SchemaJournal) -> (Schema, Schema) {
    fn pick<V: Clone + Indexed>(
        now: &ObjectMap<V>,
        up: &Journal<V>,
        down: &Journal<V>,
        undone: &mut ObjectMap<V>,
        before: &mut ObjectMap<V>,
    ) {
        for name in up.keys().chain(down.keys()) {
            if let Some(v) = now.entry_arc(name) {
                undone.insert_arc(name.clone(), v);
            }
            let prior = up.get(name).or_else(|| down.get(name)).cloned().flatten();
            if let Some(v) = prior {
                before.insert_arc(name.clone(), v);
            }
        }
    }
    let (mut undone, mut before) = (Schema::new(), Schema::new());
    pick(
        &now.tables,
        &up.tables,
        &down.tables,
        &mut undone.tables,
        &mut before.tables,
    );
    pick(
        &now.enums,
        &up.enums,
        &down.enums,
        &mut undone.enums,
        &mut before.enums,
    );
    pick(
        &now.domains,
        &up.domains,
        &down.domains,
        &mut undone.domains,
        &mut before.domains,
    );
    pick(
        &now.composites,
        &up.composites,
        &down.composites,
        &mut undone.composites,
        &mut before.composites,
    );
    pick(
        &now.sequences,
        &up.sequences,
        &down.sequences,
        &mut undone.sequences,
        &mut before.sequences,
    );
    pick(
        &now.namespaces,
        &up.namespaces,
        &down.namespaces,
        &mut undone.namespaces,
        &mut before.namespaces,
    );
    pick(
        &now.privileges,
        &up.privileges,
        &down.privileges,
        &mut undone.privileges,
        &mut before.privileges,
    );
    pick(
        &now.default_privileges,
        &up.default_privileges,
        &down.default_privileges,
        &mut undone.default_privileges,
        &mut before.default_privileges,
    );
    pick(
        &now.extensions,
        &up.extensions,
        &down.extensions,
        &mut undone.extensions,
        &mut before.extensions,
    );
    pick(
        &now.functions,
        &up.functions,
        &down.functions,
        &mut undone.functions,
        &mut before.functions,
    );
    pick(
        &now.views,
        &up.views,
        &down.views,
        &mut undone.views,
        &mut before.views,
    );
    pick(
        &now.triggers,
        &up.triggers,
        &down.triggers,
        &mut undone.triggers,
        &mut before.triggers,
    );
    pick(
        &now.policies,
        &up.policies,
        &down.policies,
        &mut undone.policies,
        &mut before.policies,
    );
    pick(
        &now.others,
        &up.others,
        &down.others,
        &mut undone.others,
        &mut before.others,
    );
    // What rendering a touched table needs besides it, when the migration did
    // not touch it: the enum types of its columns and the sequences it owns
    // (SQLite writes an enum as a check of its labels and a serial as its
    // rowid). Untouched, they are the same before and after: no change.
    let mut enums = Vec::new();
    let mut sequences = Vec::new();
    for t in undone.tables.values().chain(before.tables.values()) {
        for c in &t.columns {
            if let crate::model::SqlType::Named(name) = &c.data_type {
                if !up.enums.contains_key(name) && !down.enums.contains_key(name) {
                    enums.push(name.clone());
                }
            }
        }
        for (name, _) in now.sequences.referring_to(&t.name) {
            if !up.sequences.contains_key(name) && !down.sequences.contains_key(name) {
                sequences.push(name.clone());
            }
        }
    }
    for side in [&mut undone, &mut before] {
        for name in &enums {
            if let Some(e) = now.enums.entry_arc(name) {
                side.enums.insert_arc(name.clone(), e);
            }
        }
        for name in &sequences {
            if let Some(s) = now.sequences.entry_arc(name) {
                side.sequences.insert_arc(name.clone(), s);
            }
        }
    }
    (undone, before)
}

/// The table, column and type renames `statements` perform, in order.
fn renames_of<'s>(statements: impl Iterator<Item = &'s LocatedStatement>) -> diff::Renames {
    use crate::model::QualifiedName;
    use crate::model::names::{fold_ident, object_name_parts};
    use sqlparser::ast::{AlterTableOperation, AlterTypeOperation, RenameTableNameKind, Statement};
    let qualified = |parts: Vec<String>| match parts.as_slice() {
        [n] => Some(QualifiedName::public(n.clone())),
        [s, n] => Some(QualifiedName::new(s.clone(), n.clone())),
        _ => None,
    };
    let mut out = diff::Renames::default();
    let mut rename_type = |name: &sqlparser::ast::ObjectName, new: &sqlparser::ast::Ident| {
        if let Some(old) = qualified(object_name_parts(name)) {
            let new = QualifiedName::new(old.schema.clone(), fold_ident(new));
            out.types.push((old, new));
        }
    };
    for located in statements {
        let statement = match &located.statement {
            parse::ParsedStatement::Sql(statement) => statement,
            parse::ParsedStatement::AlterDomain(d) => {
                if let parse::domains::AlterDomainAction::Rename(new) = &d.action {
                    rename_type(&d.name, new);
                }
                continue;
            }
            _ => continue,
        };
        if let Statement::AlterType(at) = statement.as_ref() {
            if let AlterTypeOperation::Rename(r) = &at.operation {
                rename_type(&at.name, &r.new_name);
            }
            continue;
        }
        let Statement::AlterTable(at) = statement.as_ref() else {
            continue;
        };
        let Some(mut table) = qualified(object_name_parts(&at.name)) else {
            continue;
        };
        for op in &at.operations {
            match op {
                AlterTableOperation::RenameTable {
                    table_name: RenameTableNameKind::To(n) | RenameTableNameKind::As(n),
                } => {
                    if let Some(last) = object_name_parts(n).last() {
                        let new = QualifiedName::new(table.schema.clone(), last.clone());
                        out.tables.push((table.clone(), new.clone()));
                        table = new;
                    }
                }
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => out.columns.push((
                    table.clone(),
                    fold_ident(old_column_name),
                    fold_ident(new_column_name),
                )),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::migrations::discover::in_memory as m;

    /// Replays `migrations`, each up.sql streamed when it has
    /// `streamed_from` bytes or more: the replay and its diagnostics.
    fn replayed(migrations: &[MigrationFiles], streamed_from: usize) -> (String, Vec<String>) {
        let mut diagnostics = Vec::new();
        let parsed = migrations
            .iter()
            .map(|m| (parse_up(m, streamed_from), parse::parse_file(&m.down)));
        let replay = replay_parsed(Schema::new(), migrations, parsed, &mut diagnostics);
        let mut diagnostics: Vec<String> = diagnostics.iter().map(|d| format!("{d:?}")).collect();
        diagnostics.sort();
        (format!("{replay:?}"), diagnostics)
    }

    /// A streamed up.sql replays exactly as one kept parsed: the schema, each
    /// migration's renames, directives, models before and after and steps, the
    /// online lints' findings and every diagnostic.
    #[test]
    fn a_streamed_up_replays_as_a_parsed_one() {
        let deep = format!("({}1{})", "(".repeat(200), ")".repeat(200));
        let migrations = [
            m(
                1,
                "-- schema: allow(missing_primary_key)\ncreate table t (id int primary key, a text);\n\
                 create type mood as enum ('a', 'b');\ncreate table n (x int);\n",
                "drop table n;\ndrop type mood;\ndrop table t;\n",
            ),
            m(
                2,
                "alter table t rename column a to b;\nalter table t rename to u;\n\
                 alter type mood rename to feeling;\ncreate index u_b on u (b);\n",
                "drop index u_b;\nalter type feeling rename to mood;\nalter table u rename to t;\n\
                 alter table t rename column b to a;\n",
            ),
            m(
                3,
                &format!(
                    "-- schema: no-transaction\ncreate index concurrently u_id on u (id);\n\
                     alter table u add column c int check (c > {deep});\n"
                ),
                "alter table u drop column c;\ndrop index u_id;\n",
            ),
            m(4, "-- nothing here\n", ""),
            m(
                5,
                "alter table u add column d int not null;\nalter table nope add column x int;\n",
                "",
            ),
            m(
                6,
                "create table v (id int primary key);\ninsert into v values (1);\nalter table v add column w int;\n",
                "drop table v;\n",
            ),
        ];
        let whole = replayed(&migrations, usize::MAX);
        let streamed = replayed(&migrations, 0);
        assert_eq!(streamed.0, whole.0);
        assert_eq!(streamed.1, whole.1);
        // It says something: renames, a finding, an error and a data step.
        assert!(
            whole.0.contains("feeling") && whole.0.contains("Data"),
            "{}",
            whole.0
        );
        assert!(whole.1.iter().any(|d| d.contains("nope")), "{:?}", whole.1);
    }
}
