//! The checks of `#[derive(Schema)]`: a struct that claims to model a table is
//! compared field by field with the table schema.sql declares.
//!
//! The derive reduces the struct to a [`StructSpec`] (`super::parse`) and maps
//! each [`StructError`] back to the smallest token it is about ([`StructPart`]).

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::model::names::closest;
use crate::model::{Column, QualifiedName, Schema, Table};

use crate::codegen::codes;
use crate::codegen::models::{feature_disabled, name_models};
use crate::codegen::types::{Features, FieldType, RustType, rust_type};

/// A struct as `#[derive(Schema)]` sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructSpec {
    /// The struct's name.
    pub name: String,
    /// The table, as written in `#[schema(table = "...")]` (`users`, `app.items`).
    pub table: String,
    /// `#[schema(partial)]`: the struct models some of the table's columns only.
    pub partial: bool,
    /// The fields, in order.
    pub fields: Vec<FieldSpec>,
}

/// One field of a [`StructSpec`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name (`r#` removed).
    pub name: String,
    /// `#[schema(column = "...")]`, when the column's name is not the field's.
    pub column: Option<String>,
    /// The field's type as written.
    pub ty: FieldType,
}

impl FieldSpec {
    /// The column this field models.
    pub fn column(&self) -> &str {
        self.column.as_deref().unwrap_or(&self.name)
    }
}

/// The smallest part of the struct an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StructPart {
    /// The `table = "..."` value.
    Table,
    /// The struct's name.
    StructName,
    /// Field `i`'s column: its `column = "..."` value, else its name.
    Column(usize),
    /// Field `i`'s whole type.
    Type(usize),
    /// The `T` of field `i`'s `Option<T>`, else its whole type.
    ValueType(usize),
}

/// One mismatch between a struct and its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructError {
    /// Where in the struct.
    pub at: StructPart,
    /// What, located in schema.sql where it has a place there.
    pub diagnostic: Diagnostic,
}

/// What `impl ::sqlschema::Model` says about a checked struct.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelInfo {
    /// `Model::TABLE`.
    pub table: String,
    /// `Model::COLUMNS`: the fields' columns, in field order.
    pub columns: Vec<String>,
    /// `Model::PRIMARY_KEY`.
    pub primary_key: Vec<String>,
    /// `Record::COLUMN_TYPES`: the canonical type of each field's column, in
    /// field order (empty in a fallback).
    pub column_types: Vec<String>,
    /// The fields' columns that an insert or update treats apart (generated
    /// columns, identities, sequences).
    pub kinds: crate::codegen::ColumnKinds,
}

impl ModelInfo {
    /// What to implement when the struct does not check: its own view of
    /// itself, so that code using it reports no follow-on error.
    pub(crate) fn fallback(spec: &StructSpec) -> Self {
        ModelInfo {
            table: spec.table.clone(),
            columns: spec.fields.iter().map(|f| f.column().to_string()).collect(),
            primary_key: Vec::new(),
            column_types: Vec::new(),
            kinds: crate::codegen::ColumnKinds::default(),
        }
    }
}

/// The table `written` names: `name` or `schema.name`, exactly, else folded to
/// lower case as PostgreSQL folds an unquoted name.
fn find_table<'s>(schema: &'s Schema, written: &str) -> Option<&'s Table> {
    let name = |text: &str| match text.split_once('.') {
        Some((ns, name)) => QualifiedName::new(ns, name),
        None => QualifiedName::public(text),
    };
    schema
        .tables
        .get(&name(written))
        .or_else(|| schema.tables.get(&name(&written.to_lowercase())))
}

/// The candidate `name` is most likely a typo of: the closest by edit
/// distance, else one with the same letters (a transposition such as `nmae`).
fn near_name<'n>(name: &str, candidates: impl Iterator<Item = &'n str> + Clone) -> Option<&'n str> {
    let letters = |s: &str| {
        let mut chars: Vec<char> = s.chars().collect();
        chars.sort_unstable();
        chars
    };
    closest(name, candidates.clone())
        .or_else(|| candidates.into_iter().find(|c| letters(c) == letters(name)))
}

/// The table a struct called `struct_name` most likely models: the one whose
/// generated model has that name (`User` → `users`).
pub fn table_for_struct(schema: &Schema, struct_name: &str) -> Option<String> {
    let (names, _) = name_models(schema);
    names
        .tables
        .iter()
        .find(|(_, rust)| *rust == struct_name)
        .map(|(table, _)| table.to_string())
}

/// `T` or `Option<T>`, as a user writes it.
fn optional(ty: &RustType, nullable: bool) -> String {
    if nullable {
        format!("Option<{ty}>")
    } else {
        ty.to_string()
    }
}

/// Checks `spec` against its table in `schema`, read from `schema_file`.
///
/// # Errors
/// Every mismatch, each with the part of the struct it is about.
pub fn check_struct(
    schema: &Schema,
    schema_file: &str,
    spec: &StructSpec,
    features: Features,
) -> Result<ModelInfo, Vec<StructError>> {
    let Some(table) = find_table(schema, &spec.table) else {
        return Err(vec![unknown_table(schema, schema_file, &spec.table)]);
    };
    let (names, _) = name_models(schema);
    let mut errors = Vec::new();
    let mut seen: BTreeMap<&str, &FieldSpec> = BTreeMap::new();
    for (i, field) in spec.fields.iter().enumerate() {
        let column_name = field.column();
        if let Some(first) = seen.get(column_name) {
            errors.push(StructError {
                at: StructPart::Column(i),
                diagnostic: Diagnostic::error(
                    codes::MODEL_MISMATCH,
                    format!(
                        "fields `{}` and `{}` both model column `{}.{column_name}`",
                        first.name, field.name, table.name
                    ),
                )
                .help("keep one field per column"),
            });
            continue;
        }
        seen.insert(column_name, field);
        let Some(column) = table.column(column_name) else {
            errors.push(StructError {
                at: StructPart::Column(i),
                diagnostic: unknown_column(table, field),
            });
            continue;
        };
        let expected = match rust_type(&names.column_type(&column.data_type), &names, features) {
            Ok(ty) => ty,
            Err(needs) => {
                errors.push(StructError {
                    at: StructPart::Type(i),
                    diagnostic: feature_disabled(table, column, &needs),
                });
                continue;
            }
        };
        if let Some(error) = check_type(table, column, field, i, &expected) {
            errors.push(error);
        }
    }
    if !spec.partial {
        for column in &table.columns {
            if !seen.contains_key(column.name.as_str()) {
                errors.push(StructError {
                    at: StructPart::StructName,
                    diagnostic: missing_field(table, column, spec, &names, features),
                });
            }
        }
    }
    if errors.is_empty() {
        Ok(ModelInfo {
            table: table.name.to_string(),
            columns: spec.fields.iter().map(|f| f.column().to_string()).collect(),
            primary_key: table.primary_key_columns().to_vec(),
            column_types: spec
                .fields
                .iter()
                .map(|f| {
                    table
                        .column(f.column())
                        .map(|c| names.column_type(&c.data_type).to_string())
                        .unwrap_or_default()
                })
                .collect(),
            kinds: crate::codegen::ColumnKinds::of(
                spec.fields.iter().filter_map(|f| table.column(f.column())),
            ),
        })
    } else {
        Err(errors)
    }
}

fn check_type(
    table: &Table,
    column: &Column,
    field: &FieldSpec,
    i: usize,
    expected: &RustType,
) -> Option<StructError> {
    let inner = field.ty.option_inner();
    let value = inner.unwrap_or(&field.ty);
    if !expected.matches(value) {
        let want = optional(expected, column.nullable || inner.is_some());
        return Some(StructError {
            at: StructPart::ValueType(i),
            diagnostic: Diagnostic::error(
                codes::MODEL_MISMATCH,
                format!(
                    "field `{}` has type `{value}`, but column `{}.{}` is `{}`",
                    field.name, table.name, column.name, column.data_type
                ),
            )
            .at(&column.origin)
            .label("column declared here")
            .note(format!("`{}` maps to `{expected}`", column.data_type))
            .help(format!("change the field's type to `{want}`")),
        });
    }
    if column.nullable && inner.is_none() {
        return Some(StructError {
            at: StructPart::Type(i),
            diagnostic: Diagnostic::error(
                codes::MODEL_MISMATCH,
                format!(
                    "column `{}.{}` is nullable, but field `{}` is not an `Option`",
                    table.name, column.name, field.name
                ),
            )
            .at(&column.origin)
            .label("column declared here, without `NOT NULL`")
            .help(format!(
                "change the field's type to `Option<{}>`, or declare the column `NOT NULL` (with a migration)",
                field.ty
            )),
        });
    }
    None
}

fn unknown_table(schema: &Schema, schema_file: &str, written: &str) -> StructError {
    let names: Vec<String> = schema.tables.keys().map(ToString::to_string).collect();
    let near = near_name(written, names.iter().map(String::as_str));
    let mut diagnostic = Diagnostic::error(
        codes::MODEL_MISMATCH,
        format!("table `{written}` is not declared in `{schema_file}`"),
    );
    match near.and_then(|n| schema.tables.values().find(|t| t.name.to_string() == n)) {
        Some(table) => {
            diagnostic = diagnostic
                .at(&table.origin)
                .label("a table with a similar name")
                .help(format!(
                    "did you mean `{}`? write `#[schema(table = \"{}\")]`",
                    table.name, table.name
                ));
        }
        None if names.is_empty() => {
            diagnostic = diagnostic.note(format!("`{schema_file}` declares no table"));
        }
        None => {
            diagnostic = diagnostic
                .note(format!(
                    "`{schema_file}` declares {}",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .help(format!(
                    "use one of these, or declare `{written}` in `{schema_file}` (and migrate it)"
                ));
        }
    }
    StructError {
        at: StructPart::Table,
        diagnostic,
    }
}

fn unknown_column(table: &Table, field: &FieldSpec) -> Diagnostic {
    let column = field.column();
    let message = if field.column.is_some() {
        format!("table `{}` has no column `{column}`", table.name)
    } else {
        format!("field `{column}` has no column in table `{}`", table.name)
    };
    let near = near_name(column, table.columns.iter().map(|c| c.name.as_str()))
        .and_then(|n| table.column(n));
    let diagnostic = Diagnostic::error(codes::MODEL_MISMATCH, message);
    match near {
        Some(near) => diagnostic
            .at(&near.origin)
            .label("a column with a similar name")
            .help(if field.column.is_some() {
                format!("did you mean `#[schema(column = \"{}\")]`?", near.name)
            } else {
                format!(
                    "did you mean `{}`? rename the field, or add `#[schema(column = \"{}\")]` to it",
                    near.name, near.name
                )
            }),
        None => diagnostic
            .at(&table.origin)
            .label("table declared here")
            .help(format!(
                "remove the field, or add column `{column}` to table `{}` (and migrate it)",
                table.name
            )),
    }
}

fn missing_field(
    table: &Table,
    column: &Column,
    spec: &StructSpec,
    names: &super::super::models::ModelNames,
    features: Features,
) -> Diagnostic {
    let ty = match rust_type(&names.column_type(&column.data_type), names, features) {
        Ok(ty) => optional(&ty, column.nullable),
        Err(needs) => format!("... (needs {} of `sqlschema`)", needs.describe()),
    };
    Diagnostic::error(
        codes::MODEL_MISMATCH,
        format!(
            "column `{}.{}` has no field in `{}`",
            table.name, column.name, spec.name
        ),
    )
    .at(&column.origin)
    .label("column declared here")
    .help(format!(
        "add `{}: {ty}`, or mark the struct `#[schema(partial)]` when it models some columns only",
        field_for(&column.name)
    ))
}

/// A field declaration for `column`: `name` or `#[schema(column = "Name")] name`.
fn field_for(column: &str) -> String {
    let field = crate::codegen::names::field_name(column);
    let ident = crate::codegen::names::ident_text(&field);
    if crate::codegen::names::unraw(&ident) == column {
        ident
    } else {
        format!("#[schema(column = \"{column}\")] {ident}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_schema_str;

    const SQL: &str = "CREATE TYPE mood AS ENUM ('happy', 'sad');\n\
        CREATE TABLE users (\n    id serial PRIMARY KEY,\n    email text NOT NULL,\n    bio text,\n    mood mood NOT NULL\n);\n";

    fn schema() -> Schema {
        parse_schema_str("schema.sql", SQL).unwrap_or_else(|d| panic!("{d:?}"))
    }

    fn field(name: &str, ty: FieldType) -> FieldSpec {
        FieldSpec {
            name: name.to_string(),
            column: None,
            ty,
        }
    }

    fn option(inner: &str) -> FieldType {
        FieldType::Path(vec![crate::codegen::PathSegment {
            name: "Option".to_string(),
            args: vec![FieldType::path(inner)],
        }])
    }

    fn spec(table: &str, partial: bool, fields: Vec<FieldSpec>) -> StructSpec {
        StructSpec {
            name: "UserRow".to_string(),
            table: table.to_string(),
            partial,
            fields,
        }
    }

    fn errors(spec: &StructSpec) -> Vec<(StructPart, String)> {
        match check_struct(&schema(), "schema.sql", spec, Features::DEFAULT) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .map(|e| (e.at, e.diagnostic.message))
                .collect(),
        }
    }

    #[test]
    fn a_matching_struct_gives_its_model_info() {
        let spec = spec(
            "users",
            false,
            vec![
                field("id", FieldType::path("i32")),
                FieldSpec {
                    column: Some("email".to_string()),
                    ..field("address", FieldType::path("String"))
                },
                field("bio", option("String")),
                field("mood", FieldType::path("models::Mood")),
            ],
        );
        let info = check_struct(&schema(), "schema.sql", &spec, Features::DEFAULT)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(info.table, "users");
        assert_eq!(info.columns, ["id", "email", "bio", "mood"]);
        assert_eq!(info.primary_key, ["id"]);
    }

    #[test]
    fn each_mismatch_is_reported_on_the_part_it_is_about() {
        let found = errors(&spec(
            "users",
            false,
            vec![
                field("id", FieldType::path("i64")),
                field("emial", FieldType::path("String")),
                field("bio", FieldType::path("String")),
            ],
        ));
        assert_eq!(
            found,
            vec![
                (
                    StructPart::ValueType(0),
                    "field `id` has type `i64`, but column `users.id` is `integer`".to_string()
                ),
                (
                    StructPart::Column(1),
                    "field `emial` has no column in table `users`".to_string()
                ),
                (
                    StructPart::Type(2),
                    "column `users.bio` is nullable, but field `bio` is not an `Option`"
                        .to_string()
                ),
                (
                    StructPart::StructName,
                    "column `users.email` has no field in `UserRow`".to_string()
                ),
                (
                    StructPart::StructName,
                    "column `users.mood` has no field in `UserRow`".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_composite_column_is_its_generated_struct() {
        let sql = "CREATE TYPE address AS (street text);\n\
                   CREATE TABLE places (id int PRIMARY KEY, home address, past address[]);\n";
        let schema = parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        let check = |fields| match check_struct(
            &schema,
            "schema.sql",
            &spec("places", true, fields),
            Features::DEFAULT,
        ) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .into_iter()
                .map(|e| (e.diagnostic.message, e.diagnostic.help))
                .collect(),
        };
        assert_eq!(
            check(vec![field("home", option("models::Address"))]),
            vec![]
        );
        let found = check(vec![field("home", option("String"))]);
        assert_eq!(
            found[0].0,
            "field `home` has type `String`, but column `places.home` is `address`"
        );
        let found = match check_struct(
            &schema,
            "schema.sql",
            &spec("places", false, vec![field("id", FieldType::path("i32"))]),
            Features::DEFAULT,
        ) {
            Err(errors) => errors,
            Ok(_) => panic!("fields are missing"),
        };
        let helps: Vec<_> = found
            .iter()
            .filter_map(|e| e.diagnostic.help.as_deref())
            .collect();
        assert!(
            helps[0].starts_with("add `home: Option<Address>`"),
            "{helps:?}"
        );
        assert!(
            helps[1].starts_with("add `past: Option<Vec<Address>>`"),
            "{helps:?}"
        );
    }

    #[test]
    fn an_unknown_table_suggests_the_closest_one() {
        let found = check_struct(
            &schema(),
            "schema.sql",
            &spec("user", true, vec![]),
            Features::DEFAULT,
        );
        let Err(found) = found else {
            panic!("`user` is not a table")
        };
        assert_eq!(found[0].at, StructPart::Table);
        assert_eq!(
            found[0].diagnostic.help.as_deref(),
            Some("did you mean `users`? write `#[schema(table = \"users\")]`")
        );
    }

    #[test]
    fn a_transposed_name_is_suggested() {
        assert_eq!(near_name("nmae", ["id", "name"].into_iter()), Some("name"));
        assert_eq!(
            table_for_struct(&schema(), "User").as_deref(),
            Some("users")
        );
    }
}
