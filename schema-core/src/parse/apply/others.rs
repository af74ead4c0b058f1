//! What `CREATE`, `DROP`, `ALTER` and `COMMENT ON` of aggregates, operators,
//! casts, collations, text-search objects, event triggers, publications and
//! rules do to the model: objects added (a duplicate refused), dropped,
//! renamed or moved (their statements rewritten to the new name), other
//! `ALTER`s carried with the object, comments set; rules follow their table.

use super::{Cx, Mode, Res};
use crate::diagnostic::{Diagnostic, codes};
use crate::model::names::{closest, quote_ident};
use crate::model::others::{OtherIdentity, OtherKind, OtherObject, OtherText};
use crate::model::{DEFAULT_SCHEMA, QualifiedName, Schema};
use crate::parse::others::{OtherAction, OtherStatement, Target};

impl Cx<'_> {
    /// Applies one statement about these kinds.
    pub(super) fn other_statement(&mut self, s: &OtherStatement) -> Res<()> {
        let kind = s.kind;
        match &s.action {
            OtherAction::Create {
                or_replace,
                if_not_exists,
                target,
            } => {
                let identity = self.other_identity(kind, target)?;
                let key = identity.key();
                if let Some(previous) = self.schema.others.get(&key) {
                    if *if_not_exists {
                        let origin = previous.origin.clone();
                        return self.skipped_if_not_exists(&identity.to_string(), &origin);
                    }
                    if !*or_replace {
                        return Err(Diagnostic::error(
                            codes::DUPLICATE_OBJECT,
                            format!("{identity} already exists"),
                        )
                        .at(&self.at_location(target.at))
                        .related(&previous.origin, "created here")
                        .help(
                            "declare each object once; in a migration, drop it first to change it",
                        ));
                    }
                }
                let comment = self.schema.others.get(&key).and_then(|o| o.comment.clone());
                let text = OtherText {
                    text: self.statement.text.clone(),
                    name_at: s.name_at,
                    table_at: s.table_at,
                };
                let mut object = OtherObject::new(identity, text, self.origin());
                object.comment = comment;
                object.directives = crate::model::Directives(self.directives.clone());
                self.schema.others.insert(key, object);
                Ok(())
            }
            OtherAction::Drop { if_exists, targets } => {
                self.not_in_declarative(&format!("DROP {kind}"))?;
                for target in targets {
                    let Some(key) = self.find_other(kind, target, *if_exists)? else {
                        continue;
                    };
                    self.schema.others.remove(&key);
                }
                Ok(())
            }
            OtherAction::Rename { target, name } => {
                self.not_in_declarative(&format!("ALTER {kind} ... RENAME TO"))?;
                if !kind.can_rename() {
                    return Err(self
                        .err(
                            codes::SYNTAX,
                            format!("PostgreSQL cannot rename an {}", kind.describe()),
                        )
                        .help("drop it and create it again under the new name"));
                }
                let Some(key) = self.find_other(kind, target, false)? else {
                    return Ok(());
                };
                let old = self.schema.others[&key].identity.clone();
                let identity = OtherIdentity {
                    name: name.clone(),
                    ..old.clone()
                };
                let written = if old.kind.is_global() || old.kind == OtherKind::Rule {
                    quote_ident(name)
                } else {
                    QualifiedName::new(old.schema.clone(), name.clone()).to_string()
                };
                self.move_other(&key, identity, &written, target)
            }
            OtherAction::SetSchema { target, schema } => {
                self.not_in_declarative(&format!("ALTER {kind} ... SET SCHEMA"))?;
                if !kind.can_set_schema() {
                    return Err(self
                        .err(
                            codes::SYNTAX,
                            format!(
                                "PostgreSQL cannot move an {} to another schema",
                                kind.describe()
                            ),
                        )
                        .help("drop it and create it again"));
                }
                let Some(key) = self.find_other(kind, target, false)? else {
                    return Ok(());
                };
                let old = self.schema.others[&key].identity.clone();
                let identity = OtherIdentity {
                    schema: schema.clone(),
                    ..old.clone()
                };
                let written = if kind == OtherKind::Operator {
                    format!("{}.{}", quote_ident(schema), old.name)
                } else {
                    QualifiedName::new(schema.clone(), old.name.clone()).to_string()
                };
                self.move_other(&key, identity, &written, target)
            }
            OtherAction::OwnerTo { target } => {
                // Owners of these kinds are not modelled; the object must exist.
                self.find_other(kind, target, false).map(|_| ())
            }
            OtherAction::Alter { target } => {
                let Some(key) = self.find_other(kind, target, false)? else {
                    return Ok(());
                };
                let text = OtherText {
                    text: self.statement.text.clone(),
                    name_at: s.name_at,
                    table_at: s.table_at,
                };
                if let Some(o) = self.schema.others.get_mut(&key) {
                    o.push(text);
                }
                Ok(())
            }
            OtherAction::Comment { target, comment } => {
                let Some(key) = self.find_other(kind, target, false)? else {
                    return Ok(());
                };
                if let Some(o) = self.schema.others.get_mut(&key) {
                    o.comment.clone_from(comment);
                }
                Ok(())
            }
        }
    }

    /// The identity a statement's target names.
    fn other_identity(&self, kind: OtherKind, target: &Target) -> Res<OtherIdentity> {
        let at = self.at_location(target.at);
        if kind.is_global() && target.schema.is_some() {
            return Err(Diagnostic::error(
                codes::SYNTAX,
                format!(
                    "the name of an {} cannot be qualified with a schema",
                    kind.describe()
                ),
            )
            .at(&at)
            .note(format!(
                "{} names belong to the whole database",
                kind.describe()
            ))
            .help("write the name alone"));
        }
        let table = match &target.table {
            None => None,
            Some(parts) => Some(match parts.as_slice() {
                [t] => QualifiedName::public(t.clone()),
                [s, t] | [_, s, t] => QualifiedName::new(s.clone(), t.clone()),
                _ => {
                    return Err(Diagnostic::error(codes::SYNTAX, "not a valid table name").at(&at));
                }
            }),
        };
        let schema = if kind.is_global() {
            String::new()
        } else if let Some(t) = &table {
            t.schema.clone()
        } else {
            target
                .schema
                .clone()
                .unwrap_or_else(|| DEFAULT_SCHEMA.to_string())
        };
        Ok(OtherIdentity {
            kind,
            schema,
            name: target.name.clone(),
            args: target.args.clone(),
            table,
        })
    }

    /// The key of the object `target` names; `None` when it does not exist
    /// and `if_exists` allows that, an error when it does not.
    fn find_other(
        &self,
        kind: OtherKind,
        target: &Target,
        if_exists: bool,
    ) -> Res<Option<QualifiedName>> {
        let identity = self.other_identity(kind, target)?;
        let key = identity.key();
        if self.schema.others.contains_key(&key) {
            return Ok(Some(key));
        }
        if if_exists {
            return Ok(None);
        }
        let same_kind: Vec<String> = self
            .schema
            .others
            .values()
            .filter(|o| o.identity.kind == kind)
            .map(|o| o.identity.sql())
            .collect();
        let mut d = Diagnostic::error(
            codes::UNKNOWN_OBJECT,
            format!("{identity} does not exist at this point"),
        )
        .at(&self.at_location(target.at));
        d = match closest(&identity.sql(), same_kind.iter().map(String::as_str)) {
            Some(similar) => d.help(format!("did you mean `{similar}`?")),
            None if self.mode == Mode::Migration => d.help(
                "create it before this statement (statements apply in order), or write `IF EXISTS`",
            ),
            None => d.help("create it before this statement (statements apply in order)"),
        };
        Err(d)
    }

    /// Puts the object at `key` under `identity` (a rename or a move),
    /// rewriting its name in its statements to `written`.
    fn move_other(
        &mut self,
        key: &QualifiedName,
        identity: OtherIdentity,
        written: &str,
        target: &Target,
    ) -> Res<()> {
        let new_key = identity.key();
        if let Some(existing) = self.schema.others.get(&new_key) {
            return Err(Diagnostic::error(
                codes::DUPLICATE_OBJECT,
                format!("{identity} already exists"),
            )
            .at(&self.at_location(target.at))
            .related(&existing.origin, "created here")
            .help("choose another name"));
        }
        let Some(object) = self.schema.others.remove(key) else {
            return Ok(());
        };
        let moved = object.renamed(identity, written);
        self.schema.others.insert(new_key, moved);
        Ok(())
    }
}

impl Schema {
    /// The rules on table `table`, by key.
    fn rules_on(&self, table: &QualifiedName) -> Vec<QualifiedName> {
        self.others
            .iter()
            .filter(|(_, o)| o.identity.table.as_ref() == Some(table))
            .map(|(k, _)| k.clone())
            .collect()
    }

    /// Rules go with their table (PostgreSQL drops them with it).
    pub(crate) fn drop_table_rules(&mut self, table: &QualifiedName) {
        for key in self.rules_on(table) {
            self.others.remove(&key);
        }
    }

    /// Rules follow their table's rename, and rules and publications name a
    /// renamed table anew (PostgreSQL follows the table itself).
    pub(crate) fn rename_table_rules(&mut self, old: &QualifiedName, new: &QualifiedName) {
        let touched: Vec<QualifiedName> = self
            .others
            .iter()
            .filter(|(_, o)| matches!(o.identity.kind, OtherKind::Rule | OtherKind::Publication))
            .filter(|(_, o)| {
                o.identity.table.as_ref() == Some(old)
                    || o.statements
                        .iter()
                        .any(|s| !crate::model::others::table_mentions(&s.text, old).is_empty())
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in touched {
            if let Some(object) = self.others.remove(&key) {
                let object = object.retabled(old, new);
                self.others.insert(object.key(), object);
            }
        }
    }

    /// Drops the objects of these kinds in schema `name` (`DROP SCHEMA ... CASCADE`).
    pub(crate) fn drop_namespace_others(&mut self, name: &str) -> Vec<String> {
        let inside: Vec<QualifiedName> = self
            .others
            .keys()
            .filter(|k| k.schema == name)
            .cloned()
            .collect();
        let mut out = Vec::new();
        for k in inside {
            if let Some(o) = self.others.remove(&k) {
                out.push(o.identity.to_string());
            }
        }
        out
    }

    /// The objects of these kinds in schema `name`, in words.
    pub(crate) fn namespace_others(&self, name: &str) -> Vec<String> {
        self.others
            .iter()
            .filter(|(k, _)| k.schema == name)
            .map(|(_, o)| o.identity.to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Diagnostic, Source};
    use crate::model::Schema;
    use crate::parse::{Mode, apply::apply_file, parse_file};

    fn apply(sql: &str, mode: Mode) -> Result<Schema, Vec<Diagnostic>> {
        let (file, mut diagnostics) = parse_file(&Source::new("up.sql", sql));
        let mut schema = Schema::new();
        apply_file(&mut schema, &file, mode, &mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            Err(diagnostics)
        } else {
            Ok(schema)
        }
    }

    fn keys(s: &Schema) -> Vec<String> {
        s.others
            .keys()
            .map(|k| format!("{}|{}", k.schema, k.name))
            .collect()
    }

    fn error_at(sql: &str, mode: Mode, needle: &str) -> (u32, u32) {
        let d = apply(sql, mode).expect_err(sql);
        let d = d
            .iter()
            .find(|d| d.message.contains(needle))
            .unwrap_or_else(|| panic!("no `{needle}` in {d:?}"));
        let o = d.origin.as_ref().expect("located");
        (o.line, o.column)
    }

    #[test]
    fn creates_drops_renames_and_moves_rewrite_the_carried_text() {
        let s = apply(
            "CREATE SCHEMA app;\nCREATE COLLATION c1 (locale = 'de');\nALTER COLLATION c1 RENAME TO \"C2\";\nALTER COLLATION \"C2\" SET SCHEMA app;\n\
             CREATE PUBLICATION p FOR ALL TABLES;\nDROP PUBLICATION IF EXISTS p, missing;\n\
             CREATE TEXT SEARCH CONFIGURATION cfg (COPY = english);\nALTER TEXT SEARCH CONFIGURATION cfg DROP MAPPING FOR email;\nCOMMENT ON TEXT SEARCH CONFIGURATION cfg IS 'x';",
            Mode::Migration,
        )
        .unwrap();
        assert_eq!(
            keys(&s),
            vec![
                "app|COLLATION app.\"C2\"".to_string(),
                "public|TEXT SEARCH CONFIGURATION cfg".to_string()
            ]
        );
        let c = s.others.values().next().unwrap();
        assert_eq!(
            c.statements[0].text,
            "CREATE COLLATION app.\"C2\" (locale = 'de')"
        );
        let cfg = s.others.values().nth(1).unwrap();
        assert_eq!(cfg.statements.len(), 2);
        assert_eq!(cfg.comment.as_deref(), Some("x"));
    }

    #[test]
    fn rules_go_with_their_table_and_schemas_with_their_objects() {
        let s = apply(
            "CREATE SCHEMA app;\nCREATE TABLE app.t (id int);\nCREATE TABLE u (id int);\n\
             CREATE RULE r AS ON DELETE TO app.t DO INSTEAD NOTHING;\nCREATE RULE r AS ON DELETE TO u DO INSTEAD NOTHING;\n\
             CREATE COLLATION app.c (locale = 'de');\nALTER TABLE u RENAME TO v;\nDROP SCHEMA app CASCADE;",
            Mode::Migration,
        )
        .unwrap();
        assert_eq!(keys(&s), vec!["public|RULE r ON v".to_string()]);
        let rule = s.others.values().next().unwrap();
        assert_eq!(
            rule.statements[0].text,
            "CREATE RULE r AS ON DELETE TO v DO INSTEAD NOTHING"
        );
        let s = apply(
            "CREATE TABLE t (id int);\nCREATE TABLE log (id int);\nCREATE PUBLICATION p FOR TABLE t, public.log;\nALTER PUBLICATION p ADD TABLE ONLY log;\n\
             CREATE RULE r AS ON DELETE TO t DO ALSO INSERT INTO log VALUES (old.id);\nALTER TABLE log RENAME TO journal;",
            Mode::Migration,
        )
        .unwrap();
        let texts: Vec<&str> = s
            .others
            .values()
            .flat_map(|o| o.statements.iter().map(|t| t.text.as_str()))
            .collect();
        assert_eq!(
            texts,
            vec![
                "CREATE PUBLICATION p FOR TABLE t, journal",
                "ALTER PUBLICATION p ADD TABLE ONLY journal",
                "CREATE RULE r AS ON DELETE TO t DO ALSO INSERT INTO journal VALUES (old.id)",
            ]
        );
        let s = apply(
            "CREATE TABLE t (id int);\nCREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;\nDROP TABLE t;",
            Mode::Migration,
        )
        .unwrap();
        assert!(s.others.is_empty());
    }

    #[test]
    fn mistakes_are_located_errors() {
        let dup = "CREATE COLLATION c (locale = 'de');\nCREATE COLLATION c (locale = 'fr');";
        assert_eq!(error_at(dup, Mode::Declarative, "already exists"), (2, 18));
        let missing = "CREATE COLLATION c (locale = 'de');\nDROP COLLATION d;";
        assert_eq!(
            error_at(missing, Mode::Migration, "does not exist"),
            (2, 16)
        );
        assert_eq!(
            error_at("DROP COLLATION d;", Mode::Declarative, "not allowed"),
            (1, 1)
        );
        assert_eq!(
            error_at(
                "CREATE FUNCTION f(integer, integer) RETURNS boolean LANGUAGE sql AS 'SELECT true';\nCREATE OPERATOR === (LEFTARG = integer, RIGHTARG = integer, FUNCTION = f);\nALTER OPERATOR === (integer, integer) RENAME TO x;",
                Mode::Migration,
                "cannot rename"
            ),
            (3, 1)
        );
        assert_eq!(
            error_at(
                "CREATE PUBLICATION app.p FOR ALL TABLES;",
                Mode::Declarative,
                "cannot be qualified"
            ),
            (1, 20)
        );
        // `IF NOT EXISTS` of one that exists: a warning in schema.sql.
        let twice = "CREATE COLLATION c (locale = 'de');\nCREATE COLLATION IF NOT EXISTS c (locale = 'fr');";
        assert!(apply(twice, Mode::Migration).is_ok());
        // `CREATE OR REPLACE` replaces, keeping the comment.
        let s = apply(
            "CREATE TABLE t (id int);\nCREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;\nCOMMENT ON RULE r ON t IS 'kept';\nCREATE OR REPLACE RULE r AS ON DELETE TO t DO ALSO NOTHING;",
            Mode::Declarative,
        )
        .unwrap();
        let r = s.others.values().next().unwrap();
        assert_eq!(r.comment.as_deref(), Some("kept"));
        assert!(r.statements[0].text.contains("ALSO"));
    }
}
