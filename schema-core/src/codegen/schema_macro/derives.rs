//! The derives and attributes of `schema!(derive(..), attr(..))` resolved
//! against the schema: the tables named exist, and the traits whose derive
//! needs every field to have them (`Eq`, `Hash`, `Ord`, `PartialOrd`,
//! `Default`, `Copy`) are derived only on models whose columns' types have
//! them. A derive that cannot apply is an error on its token that names the
//! column, instead of rustc's error inside the generated code.
//!
//! The rule, by the Rust type of a column (an `Option` of it too, which is
//! also always `Default`; a `Vec` of it too, which is `Default` and never
//! `Copy`):
//!
//! | Rust type | lacks |
//! |---|---|
//! | `f32`, `f64` (`real`, `double precision`) | `Eq`, `Hash`, `Ord` |
//! | `String`, `Vec<T>` | `Copy` |
//! | `serde_json::Value` | `Ord`, `PartialOrd`, `Copy` |
//! | `time`'s dates and times | `Default` |
//! | a generated enum | `Default`, `Ord`, `PartialOrd` |
//! | a composite type's struct | all but `Default` |
//!
//! Other derives (`serde`'s, `sqlx::FromRow`, your own) are passed through
//! unchecked. `Debug`, `Clone` and `PartialEq` are always derived (and
//! `Serialize`/`Deserialize` with feature `serde`, `FromRow` with feature
//! `sqlx`): naming them is an error.

use std::collections::BTreeMap;

use quote::ToTokens;
use syn::Path;

use super::args::{SchemaArgs, TableRef};
use crate::codegen::models::{Additions, Extras, name_models};
use crate::codegen::types::{Features, RustType, rust_type};
use crate::model::{QualifiedName, Schema, Table};

/// The traits whose derive needs every field to have them, checked here.
const CHECKED: &[&str] = &["Eq", "Hash", "Ord", "PartialOrd", "Default", "Copy"];

/// Whether a value of `ty` has `trait_name` (one of [`CHECKED`]).
fn has(ty: &RustType, trait_name: &str) -> bool {
    match ty {
        RustType::Prelude(name) => match *name {
            "f32" | "f64" => !matches!(trait_name, "Eq" | "Hash" | "Ord"),
            "String" => trait_name != "Copy",
            _ => true,
        },
        RustType::Vec(inner) => match trait_name {
            "Copy" => false,
            "Default" => true,
            _ => has(inner, trait_name),
        },
        RustType::Crate { krate, .. } => match *krate {
            "serde_json" => !matches!(trait_name, "Ord" | "PartialOrd" | "Copy"),
            "time" => trait_name != "Default",
            _ => true,
        },
        RustType::Enum(_) => !matches!(trait_name, "Default" | "Ord" | "PartialOrd"),
        RustType::Composite(_) => trait_name == "Default",
    }
}

/// The table `written` names: `name` or `schema.name`, exactly, else folded
/// to lower case as PostgreSQL folds an unquoted name.
fn find_table<'s>(schema: &'s Schema, written: &str) -> Option<&'s Table> {
    let name = |text: &str| match text.split_once('.') {
        Some((ns, name)) => QualifiedName::new(ns, name),
        None => QualifiedName::public(text),
    };
    schema
        .tables
        .get(&name(written))
        .or_else(|| schema.tables.get(&name(&written.to_lowercase())))
        .filter(|t| t.partition_of.is_none())
}

/// The table `table` names, or an error on it.
fn resolve<'s>(schema: &'s Schema, table: &TableRef) -> syn::Result<&'s Table> {
    find_table(schema, &table.name).ok_or_else(|| {
        let names: Vec<String> = schema
            .tables
            .values()
            .filter(|t| t.partition_of.is_none())
            .map(|t| t.name.to_string())
            .collect();
        let hint = crate::model::names::closest(&table.name, names.iter().map(String::as_str))
            .map(|n| format!("did you mean `{n}`? "))
            .unwrap_or_default();
        syn::Error::new(
            table.span,
            format!(
                "schema.sql declares no table `{}` with a model\n\
                 help: {hint}name a table whose model should get it, or leave the name out for every table",
                table.name
            ),
        )
    })
}

/// The name of the trait a derive's path names (its last segment).
fn trait_name(path: &Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Why `trait_name` cannot be derived on `table`'s model: its first column
/// whose type lacks it.
fn refusal(
    table: &Table,
    trait_name: &str,
    names: &crate::codegen::ModelNames,
    features: Features,
) -> Option<String> {
    table.columns.iter().find_map(|column| {
        let ty = rust_type(&names.column_type(&column.data_type), names, features).ok()?;
        if has(&ty, trait_name) || (column.nullable && trait_name == "Default") {
            return None;
        }
        let origin = &column.origin;
        Some(format!(
            "column `{}.{}` ({}:{}:{}) is `{}`, whose Rust type `{}` has no `{trait_name}`",
            table.name,
            column.name,
            origin.source.path,
            origin.line,
            origin.column,
            column.data_type,
            ty
        ))
    })
}

/// The derives and attributes `args` give, checked against `schema`; an error
/// on each one that cannot apply.
pub(crate) fn extras(
    schema: &Schema,
    args: &SchemaArgs,
    features: Features,
) -> Result<Extras, Vec<syn::Error>> {
    let (names, _) = name_models(schema);
    let mut errors = Vec::new();
    let mut extras = Extras::default();
    // The derives each table gets, by trait name, for duplicates and `Ord`'s needs.
    let mut given: BTreeMap<QualifiedName, Vec<String>> = BTreeMap::new();
    let all_tables: Vec<&Table> = schema
        .tables
        .values()
        .filter(|t| t.partition_of.is_none())
        .collect();
    for (table, path) in &args.derives {
        let targets = match table {
            Some(table) => match resolve(schema, table) {
                Ok(t) => vec![t],
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
            None => all_tables.clone(),
        };
        let name = trait_name(path);
        let always = matches!(name.as_str(), "Debug" | "Clone" | "PartialEq")
            || (features.serde && matches!(name.as_str(), "Serialize" | "Deserialize"))
            || (features.sqlx && name == "FromRow");
        if always {
            errors.push(syn::Error::new_spanned(
                path,
                format!(
                    "every generated model derives `{name}` already\nhelp: remove it from `derive(..)`"
                ),
            ));
            continue;
        }
        if CHECKED.contains(&name.as_str()) {
            let refused: Vec<String> = targets
                .iter()
                .filter_map(|t| refusal(t, &name, &names, features))
                .collect();
            if !refused.is_empty() {
                let how = if table.is_some() {
                    "remove it".to_string()
                } else {
                    format!(
                        "derive it only on the tables whose columns all have it: `derive(<table>: {name})`"
                    )
                };
                errors.push(syn::Error::new_spanned(
                    path,
                    format!(
                        "cannot derive `{name}` on {}:\n{}\nhelp: {how}",
                        if table.is_some() {
                            "this table's model"
                        } else {
                            "every model"
                        },
                        refused
                            .iter()
                            .map(|r| format!("- {r}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                ));
                continue;
            }
        }
        let text = path.to_token_stream().to_string();
        let mut fresh = Vec::new();
        for t in &targets {
            let had = given.entry(t.name.clone()).or_default();
            if !had.contains(&text) {
                had.push(text.clone());
                fresh.push(t.name.clone());
            }
        }
        match table {
            None => extras.all.derives.push(path.to_token_stream()),
            Some(_) => {
                for t in fresh {
                    extras
                        .tables
                        .entry(t)
                        .or_insert_with(Additions::default)
                        .derives
                        .push(path.to_token_stream());
                }
            }
        }
    }
    // `Ord` needs `Eq` and `PartialOrd`, `Eq` needs `PartialEq` (always there).
    for (table, path) in &args.derives {
        if trait_name(path) != "Ord" {
            continue;
        }
        let targets: Vec<&Table> = match table {
            Some(t) => find_table(schema, &t.name).into_iter().collect(),
            None => all_tables.clone(),
        };
        let lacking = targets.iter().find_map(|t| {
            let had = given.get(&t.name)?;
            let has = |n: &str| {
                had.iter()
                    .any(|h| h == n || h.ends_with(&format!(":: {n}")))
            };
            ["Eq", "PartialOrd"]
                .into_iter()
                .find(|n| !has(n))
                .map(|n| (t, n))
        });
        if let Some((t, missing)) = lacking {
            errors.push(syn::Error::new_spanned(
                path,
                format!(
                    "`Ord` needs `{missing}`, which the model of `{}` does not derive\nhelp: add `{missing}` to the same `derive(..)`",
                    t.name
                ),
            ));
        }
    }
    for (table, meta) in &args.attrs {
        match table {
            None => extras.all.attrs.push(meta.to_token_stream()),
            Some(table) => match resolve(schema, table) {
                Ok(t) => extras
                    .tables
                    .entry(t.name.clone())
                    .or_insert_with(Additions::default)
                    .attrs
                    .push(meta.to_token_stream()),
                Err(e) => errors.push(e),
            },
        }
    }
    if errors.is_empty() {
        Ok(extras)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_schema_str;
    use quote::quote;

    fn check(sql: &str, args: proc_macro2::TokenStream) -> Result<Extras, Vec<String>> {
        let schema = parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        let args: SchemaArgs = syn::parse2(args).unwrap_or_else(|e| panic!("{e}"));
        extras(&schema, &args, Features::ALL)
            .map_err(|e| e.into_iter().map(|e| e.to_string()).collect())
    }

    const SQL: &str = "CREATE TYPE mood AS ENUM ('ok');\n\
                       CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, m mood);\n\
                       CREATE TABLE points (id int PRIMARY KEY, x double precision NOT NULL, doc jsonb);\n";

    #[test]
    fn a_derive_a_column_cannot_have_names_the_column() {
        let errors = check(SQL, quote!(derive(Eq, Hash))).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].starts_with("cannot derive `Eq` on every model:\n- column `points.x` (schema.sql:3:42) is `double precision`, whose Rust type `f64` has no `Eq`"),
            "{errors:#?}"
        );
        assert!(errors[0].contains("`derive(<table>: Eq)`"), "{errors:#?}");
        // One table's: fine where its columns allow it.
        let extras = check(SQL, quote!(derive(users: Eq, Hash, Default))).unwrap();
        assert_eq!(extras.tables.len(), 1);
        // A nullable enum is `Default` (None); a NOT NULL one is not.
        let errors = check(
            "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE t (id int PRIMARY KEY, m mood NOT NULL);\n",
            quote!(derive(Default)),
        )
        .unwrap_err();
        assert!(errors[0].contains("`t.m`"), "{errors:#?}");
        let errors = check(SQL, quote!(derive(points: Ord))).unwrap_err();
        assert!(errors[0].contains("no `Ord`"), "{errors:#?}");
        let errors = check(SQL, quote!(derive(users: Ord))).unwrap_err();
        assert!(
            errors[0].contains("Rust type `Mood` has no `Ord`"),
            "{errors:#?}"
        );
    }

    #[test]
    fn tables_must_exist_and_derives_must_be_new() {
        let errors =
            check(SQL, quote!(derive(user: Hash), attr(pints: non_exhaustive))).unwrap_err();
        assert!(errors[0].contains("no table `user`"), "{errors:#?}");
        assert!(errors[0].contains("did you mean `users`?"), "{errors:#?}");
        assert!(errors[1].contains("did you mean `points`?"), "{errors:#?}");
        let errors = check(SQL, quote!(derive(Clone, serde::Serialize))).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].contains("derives `Clone` already"), "{errors:#?}");
        // Unchecked derives pass; a table's own repeat of one is dropped.
        let extras = check(
            SQL,
            quote!(derive(my::Marker), derive(users: my::Marker), attr(doc = "x")),
        )
        .unwrap();
        assert_eq!(extras.all.derives.len(), 1);
        assert!(extras.tables.is_empty() || extras.tables.values().all(|a| a.derives.is_empty()));
        assert_eq!(extras.all.attrs.len(), 1);
    }

    #[test]
    fn ord_needs_eq_and_partial_ord() {
        let errors = check(SQL, quote!(derive(users: Hash, Ord))).unwrap_err();
        assert!(
            errors.iter().any(|e| e.contains("`Ord` needs `Eq`")),
            "{errors:#?}"
        );
    }
}
