//! Views and materialized views on the model: `CREATE [OR REPLACE] VIEW`
//! (with PostgreSQL's rule for what a replacement may change), `CREATE
//! MATERIALIZED VIEW`, `ALTER [MATERIALIZED] VIEW`, `DROP [MATERIALIZED]
//! VIEW`, `REFRESH MATERIALIZED VIEW`, comments on views and their columns,
//! and the relations a view's query reads, checked to exist at that point.

use sqlparser::ast::{Query, SetExpr, SqlOption, TableFactor, TableWithJoins};

use super::storage::Owner;
use super::{Cx, Mode, Res};
use crate::diagnostic::{Diagnostic, Origin, codes};
use crate::model::names::{closest, fold_ident, object_name_parts};
use crate::model::view::derive_columns;
use crate::model::{Directives, QualifiedName, StorageParameters, View, ViewQuery};
use crate::parse::views::{AlterView, AlterViewAction, CreateView};

/// The options of a plain view, with the values each takes.
const VIEW_OPTIONS: &[&str] = &["check_option", "security_barrier", "security_invoker"];

impl Cx<'_> {
    /// `CREATE [OR REPLACE] [RECURSIVE] [MATERIALIZED] VIEW`.
    pub(super) fn create_view(&mut self, cv: &CreateView) -> Res<()> {
        let statement = if cv.materialized {
            "CREATE MATERIALIZED VIEW"
        } else {
            "CREATE VIEW"
        };
        if let Some(at) = cv.temporary {
            return Err(self
                .refuse_clause("TEMPORARY", &[], statement)
                .at(&self.at_location(at))
                .note("a temporary view lasts one session: it is no part of a schema"));
        }
        if let Some(at) = cv.using {
            return Err(self
                .refuse_clause("USING", &[], statement)
                .at(&self.at_location(at)));
        }
        if let Some(at) = cv.tablespace {
            return Err(self
                .refuse_clause("TABLESPACE", &[], statement)
                .at(&self.at_location(at)));
        }
        if cv.materialized && cv.or_replace {
            return Err(self
                .err(
                    codes::SYNTAX,
                    "PostgreSQL has no `CREATE OR REPLACE MATERIALIZED VIEW`",
                )
                .help("drop the materialized view and create it again"));
        }
        if let (true, Some((_, at))) = (cv.materialized, &cv.check_option) {
            return Err(self
                .err(
                    codes::SYNTAX,
                    "a materialized view takes no `WITH CHECK OPTION`",
                )
                .at(&self.at_location(*at))
                .help("remove it: only plain views check the rows written through them"));
        }
        if let (false, Some((_, at))) = (cv.materialized, &cv.with_data) {
            return Err(self
                .err(codes::SYNTAX, "`WITH [NO] DATA` is for materialized views")
                .at(&self.at_location(*at))
                .help("remove it, or write `CREATE MATERIALIZED VIEW`"));
        }
        if cv.if_not_exists && !cv.materialized {
            return Err(self
                .err(
                    codes::SYNTAX,
                    "PostgreSQL has no `CREATE VIEW IF NOT EXISTS`",
                )
                .help("write `CREATE OR REPLACE VIEW`, or remove `IF NOT EXISTS`"));
        }
        if cv.recursive && cv.columns.is_empty() {
            return Err(self
                .err(
                    codes::SYNTAX,
                    "a recursive view needs a column list: `CREATE RECURSIVE VIEW name (columns) AS ...`",
                )
                .at(&self.at_name(&cv.name)));
        }
        self.check_object_name(&cv.name, "view")?;
        let name = self.name(&cv.name)?;
        let column_list: Vec<String> = cv.columns.iter().map(fold_ident).collect();
        let mut options = if cv.materialized {
            let written = self.written_options(&cv.options)?;
            let mut o = StorageParameters::default();
            for (n, v) in self.storage_parameters(&written, Owner::Table, false)? {
                o.set(&n, v.as_deref().unwrap_or("true"));
            }
            o
        } else {
            self.view_options(&cv.options, false)?
        };
        if let Some((kind, _)) = &cv.check_option {
            options.set("check_option", kind);
        }
        self.check_view_reads(&cv.query, &name, cv.recursive)?;
        let mut columns = derive_columns(&cv.query, &column_list, self.schema);
        if let Some(dup) = columns
            .iter()
            .enumerate()
            .find(|(i, c)| columns[..*i].iter().any(|d| d.name == c.name))
            .map(|(_, c)| c.name.clone())
        {
            return Err(self
                .err(
                    codes::SYNTAX,
                    format!("column `{dup}` is specified more than once in this view"),
                )
                .help("give each column of the view its own name (`AS name`)"));
        }
        let existing = self.schema.views.get(&name).cloned();
        let mut view = View {
            name: name.clone(),
            materialized: cv.materialized,
            recursive: cv.recursive,
            column_list: column_list.clone(),
            columns: Vec::new(),
            query: ViewQuery::new(&cv.query_text, &column_list, cv.recursive),
            options,
            populated: cv.with_data.is_none_or(|(d, _)| d),
            indexes: crate::model::NameMap::new(),
            comment: None,
            origin: self.origin(),
            directives: Directives(self.directives.clone()),
        };
        match existing {
            Some(old) if cv.or_replace && !old.materialized => {
                self.check_replace(&old, &mut columns)?;
                view.comment = old.comment.clone();
                for c in &mut columns {
                    if let Some(o) = old.column(&c.name) {
                        c.comment.clone_from(&o.comment);
                    }
                }
            }
            Some(old) if cv.if_not_exists => {
                return self
                    .skipped_if_not_exists(&format!("{} `{name}`", old.describe()), &old.origin);
            }
            Some(old) => {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!("{} `{name}` already exists", old.describe()),
                )
                .at(&self.at_name(&cv.name))
                .related(&old.origin, "created here")
                .help(if old.materialized || cv.materialized {
                    "drop it first, or choose another name"
                } else {
                    "write `CREATE OR REPLACE VIEW` to replace it, or choose another name"
                }));
            }
            None if self.schema.relation_name_taken(&name) => {
                return Err(Diagnostic::error(
                    codes::DUPLICATE_OBJECT,
                    format!("relation `{name}` already exists"),
                )
                .at(&self.at_name(&cv.name))
                .help("a view shares its name space with tables, sequences and indexes: choose another name"));
            }
            None => {}
        }
        view.columns = columns;
        self.schema.views.insert(name, view);
        Ok(())
    }

    /// PostgreSQL's rule for `CREATE OR REPLACE VIEW`: the old columns come
    /// first, with the same names and types.
    fn check_replace(&self, old: &View, new: &mut [crate::model::ViewColumn]) -> Res<()> {
        if new.len() < old.columns.len() {
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    format!("cannot drop columns from view `{}`", old.name),
                )
                .note(format!(
                    "it has {} columns and this query gives {}: `CREATE OR REPLACE VIEW` may only add columns at the end",
                    old.columns.len(),
                    new.len()
                ))
                .help("drop the view and create it again (`DROP VIEW` first)"));
        }
        for (o, n) in old.columns.iter().zip(new.iter_mut()) {
            if o.name != n.name {
                return Err(self
                    .err(
                        codes::NOT_ALLOWED_HERE,
                        format!(
                            "cannot change name of view column `{}` to `{}`",
                            o.name, n.name
                        ),
                    )
                    .help("use `ALTER VIEW ... RENAME COLUMN` to rename it, or drop the view and create it again"));
            }
            match (&o.data_type, &n.data_type) {
                (Some(a), Some(b)) if a != b => {
                    return Err(self
                        .err(
                            codes::NOT_ALLOWED_HERE,
                            format!(
                                "cannot change data type of view column `{}` from {a} to {b}",
                                o.name
                            ),
                        )
                        .help("drop the view and create it again"));
                }
                (Some(a), None) => n.data_type = Some(a.clone()),
                _ => {}
            }
        }
        Ok(())
    }

    /// The options of a plain view's `WITH (...)`/`SET (...)` (`reset`: names
    /// only), checked as PostgreSQL checks them.
    fn view_options(&self, written: &[SqlOption], reset: bool) -> Res<StorageParameters> {
        let mut out = StorageParameters::default();
        for o in written {
            let (key, value) = match o {
                SqlOption::Ident(name) => (name, None),
                SqlOption::KeyValue { key, value } => (key, Some(value)),
                other => {
                    return Err(self
                        .err(codes::SYNTAX, format!("`{other}` is not a view option"))
                        .help("write `WITH (security_barrier, security_invoker, check_option = local)`"));
                }
            };
            let name = object_name_parts(key).join(".");
            let at = self.at_span(key);
            if !VIEW_OPTIONS.contains(&name.as_str()) {
                let mut d =
                    Diagnostic::error(codes::SYNTAX, format!("unrecognized view option `{name}`"))
                        .at(&at);
                d = match closest(&name, VIEW_OPTIONS.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`?")),
                    None => {
                        d.help("a view takes security_barrier, security_invoker and check_option")
                    }
                };
                return Err(d);
            }
            let text = value.map(|v| {
                let t = v.to_string();
                t.trim_matches('\'').to_ascii_lowercase()
            });
            let value = match (name.as_str(), text) {
                (_, None) if reset => String::new(),
                (_, Some(_)) if reset => {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("`RESET` takes names only, not a value for `{name}`"),
                    )
                    .at(&at));
                }
                ("check_option", Some(v)) if v == "local" || v == "cascaded" => v,
                ("check_option", _) => {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        "`check_option` takes `local` or `cascaded`",
                    )
                    .at(&at));
                }
                (_, None) => "true".to_string(),
                (_, Some(v)) if ["true", "false", "on", "off"].contains(&v.as_str()) => v,
                (_, Some(v)) => {
                    return Err(Diagnostic::error(
                        codes::SYNTAX,
                        format!("invalid value for view option `{name}`: `{v}`"),
                    )
                    .at(&at)
                    .help(format!(
                        "`{name}` takes a boolean (`true`, `false`, `on`, `off`)"
                    )));
                }
            };
            out.set(&name, &value);
        }
        Ok(out)
    }

    /// Every relation the query names in `FROM` and `JOIN` (subqueries and
    /// common table expressions included) exists at this point: a table, a
    /// view, a sequence, or one of PostgreSQL's own (`pg_catalog`,
    /// `information_schema`).
    fn check_view_reads(&self, query: &Query, view: &QualifiedName, recursive: bool) -> Res<()> {
        let mut ctes: Vec<String> = Vec::new();
        if recursive {
            ctes.push(view.name.clone());
        }
        let mut found = Vec::new();
        relations_of_query(query, &mut ctes, &mut found, 0);
        for (name, at) in found {
            let parts = object_name_parts(&name);
            let key = match parts.as_slice() {
                [n] if ctes.contains(n) => continue,
                [n] if n.starts_with("pg_") => continue,
                [n] => QualifiedName::public(n.clone()),
                [s, _] | [_, s, _]
                    if s == "pg_catalog" || s == "information_schema" || s.starts_with("pg_") =>
                {
                    continue;
                }
                [s, n] | [_, s, n] => QualifiedName::new(s.clone(), n.clone()),
                _ => continue,
            };
            if self.schema.tables.contains_key(&key)
                || self.schema.views.contains_key(&key)
                || self.schema.sequences.contains_key(&key)
            {
                continue;
            }
            let at = self.at_location(at);
            let mut d = Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("relation `{key}` does not exist at this point"),
            )
            .at(&at)
            .note(format!("view `{view}` reads it"));
            let names = self
                .schema
                .tables
                .keys()
                .chain(self.schema.views.keys())
                .map(|k| k.name.as_str());
            d = match closest(&key.name, names) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help(format!(
                    "create `{key}` before this view (statements apply in order)"
                )),
            };
            return Err(d);
        }
        if let Some(u) = super::view_columns::unknown_column(query, self.schema) {
            let at = self.at_location(u.at);
            let message = match &u.relation {
                Some(r) => format!("column `{r}.{}` does not exist at this point", u.column),
                None => format!(
                    "column `{}` does not exist in the relations the query reads at this point",
                    u.column
                ),
            };
            let d = Diagnostic::error(codes::UNKNOWN_OBJECT, message)
                .at(&at)
                .note(format!("view `{view}` reads it"));
            return Err(match u.similar {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("name a column of a relation in the query's FROM, or add the column before this view (statements apply in order)"),
            });
        }
        Ok(())
    }

    /// `ALTER [MATERIALIZED] VIEW`.
    pub(super) fn alter_view(&mut self, av: &AlterView) -> Res<()> {
        let keyword = if av.materialized {
            "ALTER MATERIALIZED VIEW"
        } else {
            "ALTER VIEW"
        };
        if let AlterViewAction::OwnerTo(role) = &av.action {
            let name = self.name(&av.name)?;
            if self.schema.views.contains_key(&name) {
                self.set_owner(
                    crate::model::privileges::AclKind::Table,
                    &name,
                    role.clone(),
                );
            }
            return Ok(());
        }
        if let AlterViewAction::Other(words) = &av.action {
            return Err(self
                .refuse_clause(words, &[], keyword)
                .at(&self.at_location(av.at)));
        }
        self.not_in_declarative(keyword)?;
        let name = self.name(&av.name)?;
        let at = self.at_name(&av.name);
        let Some(view) = self.schema.views.get(&name).cloned() else {
            if av.if_exists {
                return Ok(());
            }
            return Err(self.unknown_view(&name, &at));
        };
        if view.materialized != av.materialized {
            return Err(self.not_a(&view, keyword, &at));
        }
        match &av.action {
            AlterViewAction::Rename(new) => {
                self.check_name(new, "view")?;
                self.refuse_change_read_by_views(&name, None, "rename")?;
                let new = QualifiedName::new(name.schema.clone(), fold_ident(new));
                if self.schema.relation_name_taken(&new) {
                    return Err(Diagnostic::error(
                        codes::DUPLICATE_OBJECT,
                        format!("relation `{new}` already exists"),
                    )
                    .at(&self.at_location(av.at)));
                }
                self.move_view(&name, new)
            }
            AlterViewAction::SetSchema(schema) => {
                self.refuse_change_read_by_views(&name, None, "move")?;
                let new = QualifiedName::new(fold_ident(schema), name.name.clone());
                if self.schema.relation_name_taken(&new) {
                    return Err(Diagnostic::error(
                        codes::DUPLICATE_OBJECT,
                        format!("relation `{new}` already exists"),
                    )
                    .at(&self.at_location(av.at)));
                }
                self.move_view(&name, new)
            }
            AlterViewAction::RenameColumn { from, to } => {
                let (from, to) = (fold_ident(from), fold_ident(to));
                if view.column(&from).is_none() {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!(
                            "column `{from}` of {} `{name}` does not exist at this point",
                            view.describe()
                        ),
                    )
                    .at(&self.at_location(av.at)));
                }
                if view.column(&to).is_some() {
                    return Err(Diagnostic::error(
                        codes::DUPLICATE_OBJECT,
                        format!(
                            "column `{to}` of {} `{name}` already exists",
                            view.describe()
                        ),
                    )
                    .at(&self.at_location(av.at)));
                }
                Err(self
                    .refuse_clause("RENAME COLUMN", &["RENAME"], keyword)
                    .note("the view's query would have to be rewritten with the new name; the model keeps the query as written")
                    .help("drop the view and create it again with the new column name (`AS new_name`)"))
            }
            AlterViewAction::SetOptions(options) => {
                let set = if view.materialized {
                    let written = self.written_options(options)?;
                    let mut o = StorageParameters::default();
                    for (n, v) in self.storage_parameters(&written, Owner::Table, false)? {
                        o.set(&n, v.as_deref().unwrap_or("true"));
                    }
                    o
                } else {
                    self.view_options(options, false)?
                };
                if let Some(v) = self.schema.views.get_mut(&name) {
                    for (n, value) in set.0 {
                        v.options.set(&n, &value);
                    }
                }
                Ok(())
            }
            AlterViewAction::ResetOptions(names) => {
                if let Some(v) = self.schema.views.get_mut(&name) {
                    for n in names {
                        v.options.reset(&fold_ident(n));
                    }
                }
                Ok(())
            }
            AlterViewAction::OwnerTo(_) | AlterViewAction::Other(_) => Ok(()),
        }
    }

    /// Renames or moves view `from` to `to`.
    fn move_view(&mut self, from: &QualifiedName, to: QualifiedName) -> Res<()> {
        if let Some(mut v) = self.schema.views.remove(from) {
            v.name = to.clone();
            self.schema.rename_acl(from, &to);
            self.schema.views.insert(to, v);
        }
        Ok(())
    }

    fn not_a(&self, view: &View, keyword: &str, at: &Origin) -> Diagnostic {
        Diagnostic::error(
            codes::NOT_ALLOWED_HERE,
            format!(
                "`{}` is a {}: `{keyword}` does not apply",
                view.name,
                view.describe()
            ),
        )
        .at(at)
        .help(format!("write `ALTER {} ...`", view.keyword()))
    }

    pub(super) fn unknown_view(&self, name: &QualifiedName, at: &Origin) -> Diagnostic {
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("view `{name}` does not exist at this point"),
        )
        .at(at);
        if let Some(similar) = closest(
            &name.name,
            self.schema.views.keys().map(|k| k.name.as_str()),
        ) {
            d = d.help(format!("did you mean `{similar}`?"));
        }
        d
    }

    /// `DROP VIEW` / `DROP MATERIALIZED VIEW` of `name`: views that read it
    /// are refused without `CASCADE` and dropped with it.
    pub(super) fn drop_view(
        &mut self,
        name: &QualifiedName,
        materialized: bool,
        if_exists: bool,
        cascade: bool,
        at: &Origin,
    ) -> Res<()> {
        let Some(view) = self.schema.views.get(name).cloned() else {
            if if_exists {
                return Ok(());
            }
            return Err(self.unknown_view(name, at));
        };
        if view.materialized != materialized {
            let keyword = if materialized {
                "DROP MATERIALIZED VIEW"
            } else {
                "DROP VIEW"
            };
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!(
                    "`{name}` is a {}: `{keyword}` does not apply",
                    view.describe()
                ),
            )
            .at(at)
            .help(format!("write `DROP {}`", view.keyword())));
        }
        self.drop_views_reading(name, &format!("{} `{name}`", view.describe()), cascade, at)?;
        self.schema.views.remove(name);
        Ok(())
    }

    /// The views that read relation `name`, transitively: refused (naming
    /// them) without `cascade`, removed with it.
    pub(super) fn drop_views_reading(
        &mut self,
        name: &QualifiedName,
        what: &str,
        cascade: bool,
        at: &Origin,
    ) -> Res<()> {
        // What each view reads, once (a query is read once, however long
        // the chain of views over it).
        let reads: Vec<(QualifiedName, std::collections::BTreeSet<QualifiedName>)> = self
            .schema
            .views
            .values()
            .map(|v| (v.name.clone(), v.reads(self.schema).relations))
            .collect();
        let mut gone = std::collections::BTreeSet::from([name.clone()]);
        let mut dependents = Vec::new();
        // Each round adds the views reading one already gone; bounded by the
        // number of views.
        for _ in 0..=reads.len() {
            let next: Vec<QualifiedName> = reads
                .iter()
                .filter(|(v, _)| !gone.contains(v))
                .filter(|(_, r)| r.iter().any(|g| gone.contains(g)))
                .map(|(v, _)| v.clone())
                .collect();
            if next.is_empty() {
                break;
            }
            gone.extend(next.iter().cloned());
            dependents.extend(next);
        }
        if dependents.is_empty() {
            return Ok(());
        }
        if !cascade {
            let listed: Vec<String> = dependents.iter().map(|d| format!("`{d}`")).collect();
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("cannot drop {what} because other objects depend on it"),
            )
            .at(at)
            .note(format!("view {} reads it", listed.join(", ")))
            .help("drop those views first, or add CASCADE"));
        }
        for d in dependents {
            self.schema.views.remove(&d);
        }
        Ok(())
    }

    /// Refuses to `action` (rename, retype) relation `relation` (or its
    /// `column`) while views read it: PostgreSQL follows such a change in
    /// the views' stored queries, the model keeps each query as written.
    pub(super) fn refuse_change_read_by_views(
        &self,
        relation: &QualifiedName,
        column: Option<&str>,
        action: &str,
    ) -> Res<()> {
        let readers: Vec<String> = self
            .schema
            .views
            .values()
            .filter(|v| v.name != *relation)
            .filter(|v| {
                let reads = v.reads(self.schema);
                match column {
                    None => reads.relations.contains(relation),
                    Some(c) => reads.columns.contains(&(relation.clone(), c.to_string())),
                }
            })
            .map(|v| format!("`{}`", v.name))
            .collect();
        if readers.is_empty() {
            return Ok(());
        }
        let what = match column {
            Some(c) => format!("column `{c}` of `{relation}`"),
            None => format!("`{relation}`"),
        };
        Err(self
            .err(
                codes::UNSUPPORTED_FEATURE,
                format!("cannot {action} {what} while views read it: {}", readers.join(", ")),
            )
            .note("the model keeps a view's query as written, so it would not follow the change PostgreSQL makes in the stored query")
            .help("drop those views first and create them again after, in the same migration"))
    }

    /// The views that read column `column` of `table` (and those reading
    /// them): refused without `cascade`, dropped with it.
    pub(super) fn drop_views_reading_column(
        &mut self,
        table: &QualifiedName,
        column: &str,
        cascade: bool,
    ) -> Res<()> {
        let readers: Vec<QualifiedName> = self
            .schema
            .views
            .values()
            .filter(|v| {
                v.reads(self.schema)
                    .columns
                    .contains(&(table.clone(), column.to_string()))
            })
            .map(|v| v.name.clone())
            .collect();
        if readers.is_empty() {
            return Ok(());
        }
        let at = self.origin();
        if !cascade {
            let listed: Vec<String> = readers.iter().map(|d| format!("`{d}`")).collect();
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("cannot drop column `{column}` of table `{table}` because other objects depend on it"),
            )
            .at(&at)
            .note(format!("view {} reads it", listed.join(", ")))
            .help("drop those views first, or add CASCADE"));
        }
        for r in readers {
            self.drop_views_reading(&r, "", true, &at)?;
            self.schema.views.remove(&r);
        }
        Ok(())
    }

    /// `REFRESH MATERIALIZED VIEW [CONCURRENTLY] name [WITH [NO] DATA]`: a
    /// data statement, allowed in migrations; it sets whether the view is
    /// populated.
    pub(super) fn refresh_view(&mut self, r: &sqlparser::ast::RefreshMaterializedView) -> Res<()> {
        if self.mode == Mode::Declarative {
            return Err(self
                .err(
                    codes::NOT_ALLOWED_HERE,
                    "`REFRESH MATERIALIZED VIEW` is not allowed in a declarative schema file",
                )
                .help("it fills the view with rows: run it in a migration"));
        }
        let name = self.name(&r.name)?;
        let at = self.at_name(&r.name);
        let Some(view) = self.schema.views.get(&name) else {
            return Err(self.unknown_view(&name, &at));
        };
        if !view.materialized {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!("`{name}` is not a materialized view"),
            )
            .at(&at));
        }
        let populated = r.with_data.unwrap_or(true);
        if let Some(v) = self.schema.views.get_mut(&name) {
            v.populated = populated;
        }
        Ok(())
    }

    /// `CREATE INDEX ... ON view`: materialized views only, on their columns.
    pub(super) fn create_view_index(
        &mut self,
        name: &QualifiedName,
        index: crate::model::Index,
        at: &Origin,
    ) -> Res<()> {
        let Some(view) = self.schema.views.get_mut(name) else {
            return Err(self.unknown_view(name, at));
        };
        if !view.materialized {
            return Err(Diagnostic::error(
                codes::NOT_ALLOWED_HERE,
                format!(
                    "cannot create an index on view `{name}`: only materialized views have indexes"
                ),
            )
            .at(at)
            .help("index the tables it reads, or make it a materialized view"));
        }
        for key in &index.keys {
            if let crate::model::IndexPart::Column(c) = &key.part {
                // Columns not known from the query: the database judges.
                if !view.columns.is_empty() && !view.columns.iter().any(|vc| vc.name == *c) {
                    return Err(Diagnostic::error(
                        codes::UNKNOWN_OBJECT,
                        format!("column `{c}` of materialized view `{name}` does not exist at this point"),
                    )
                    .at(at)
                    .help("index existing columns"));
                }
            }
        }
        view.indexes.insert(index.name.clone(), index);
        Ok(())
    }

    /// `COMMENT ON VIEW` / `COMMENT ON MATERIALIZED VIEW`.
    pub(super) fn comment_on_view(
        &mut self,
        name: &QualifiedName,
        materialized: bool,
        at: &Origin,
        comment: Option<String>,
        if_exists: bool,
    ) -> Res<()> {
        let Some(view) = self.schema.views.get_mut(name) else {
            if if_exists {
                return Ok(());
            }
            return Err(self.unknown_view(name, at));
        };
        if view.materialized != materialized {
            let view = view.clone();
            let keyword = if materialized {
                "COMMENT ON MATERIALIZED VIEW"
            } else {
                "COMMENT ON VIEW"
            };
            return Err(self.not_a(&view, keyword, at));
        }
        view.comment = comment;
        Ok(())
    }

    /// `COMMENT ON COLUMN view.column`, when `relation` is a view: `None`
    /// when it is not one.
    pub(super) fn comment_on_view_column(
        &mut self,
        relation: &QualifiedName,
        column: &str,
        at: &Origin,
        comment: Option<String>,
    ) -> Option<Res<()>> {
        let view = self.schema.views.get_mut(relation)?;
        if view.columns.is_empty() {
            // Its columns are not known from its query (`SELECT *` of a
            // function, ...): the database judges the name.
            view.columns.push(crate::model::ViewColumn {
                name: column.to_string(),
                data_type: None,
                comment: None,
            });
        }
        let Some(c) = view.columns.iter_mut().find(|c| c.name == column) else {
            let what = view.describe();
            return Some(Err(Diagnostic::error(
                codes::UNKNOWN_OBJECT,
                format!("column `{column}` of {what} `{relation}` does not exist at this point"),
            )
            .at(at)));
        };
        c.comment = comment;
        Some(Ok(()))
    }
}

/// The relation names in `FROM`/`JOIN` of `query` and of its subqueries, with
/// where each is; `ctes` gathers the names of common table expressions, which
/// are not relations. Bounded in depth (the parser's own limit is lower).
fn relations_of_query(
    query: &Query,
    ctes: &mut Vec<String>,
    out: &mut Vec<(sqlparser::ast::ObjectName, sqlparser::tokenizer::Location)>,
    depth: usize,
) {
    if depth > 200 {
        return;
    }
    if let Some(with) = &query.with {
        for cte in &with.cte_tables {
            ctes.push(fold_ident(&cte.alias.name));
            relations_of_query(&cte.query, ctes, out, depth + 1);
        }
    }
    relations_of_set(&query.body, ctes, out, depth + 1);
}

fn relations_of_set(
    body: &SetExpr,
    ctes: &mut Vec<String>,
    out: &mut Vec<(sqlparser::ast::ObjectName, sqlparser::tokenizer::Location)>,
    depth: usize,
) {
    if depth > 200 {
        return;
    }
    match body {
        SetExpr::Select(select) => {
            for t in &select.from {
                relations_of_from(t, ctes, out, depth + 1);
            }
        }
        SetExpr::Query(q) => relations_of_query(q, ctes, out, depth + 1),
        SetExpr::SetOperation { left, right, .. } => {
            relations_of_set(left, ctes, out, depth + 1);
            relations_of_set(right, ctes, out, depth + 1);
        }
        _ => {}
    }
}

fn relations_of_from(
    t: &TableWithJoins,
    ctes: &mut Vec<String>,
    out: &mut Vec<(sqlparser::ast::ObjectName, sqlparser::tokenizer::Location)>,
    depth: usize,
) {
    for factor in std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)) {
        relations_of_factor(factor, ctes, out, depth + 1);
    }
}

fn relations_of_factor(
    factor: &TableFactor,
    ctes: &mut Vec<String>,
    out: &mut Vec<(sqlparser::ast::ObjectName, sqlparser::tokenizer::Location)>,
    depth: usize,
) {
    if depth > 200 {
        return;
    }
    match factor {
        TableFactor::Table {
            name, args: None, ..
        } => {
            let at = name
                .0
                .first()
                .and_then(|p| p.as_ident())
                .map_or(sqlparser::tokenizer::Location { line: 0, column: 0 }, |i| {
                    i.span.start
                });
            out.push((name.clone(), at));
        }
        TableFactor::Derived { subquery, .. } => relations_of_query(subquery, ctes, out, depth + 1),
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => relations_of_from(table_with_joins, ctes, out, depth + 1),
        _ => {}
    }
}
