//! Model → Rust tokens: the structs, enums and `MIGRATIONS` that `schema!()`
//! expands to, and the checks of `#[derive(Schema)]` (behind feature
//! `codegen`). The generation itself is pure: schema and history in,
//! [`proc_macro2::TokenStream`] or diagnostics out.
//!
//! The whole of both macros but the compiler's side lives here too, so that
//! `schema-macros` is a thin shell: [`schema_at`] and [`derive_at`] parse the
//! macro's input, analyse the project once per process per content (the
//! analysis cache), reuse an earlier compiler process's expansion of
//! `schema!()` (the expansion cache on disk), track the files read and place
//! each error on the token it is about. The macro crate gives them a [`Host`]:
//! the features of `sqlschema`, its version and build, and the compiler's lexer.
//!
//! Generated code names every item of our crates by a path through the
//! facade's hidden module, `::sqlschema::__private::...`, and the standard
//! library's items by `::core::...`/`::std::...` paths (or by the prelude's
//! names in the generated module, where no user name can shadow them).
//!
//! # Names
//!
//! - A table's struct is the UpperCamelCase singular of the table's name
//!   (`job_descriptions` → `JobDescription`), unless a `-- schema: model = Name`
//!   directive on the line(s) above its `CREATE TABLE` names it. An enum type's
//!   enum and a composite type's struct are the UpperCamelCase of its name, not
//!   singularised (`document_status` → `DocumentStatus`), or its `model =`
//!   directive.
//! - Singular is taken of the last snake_case word only (`news_items` →
//!   `news_item`), by the first rule that applies:
//!
//!   | the word ends in | becomes | example |
//!   |---|---|---|
//!   | `ies` (longer than 3 letters) | `y` | `companies` → `company` |
//!   | `sses` | `ss` | `addresses` → `address` |
//!   | `ches`, `shes`, `xes` | drop `es` | `matches` → `match`, `boxes` → `box` |
//!   | `s`, but not `ss`, `us`, `is` | drop `s` | `users` → `user`; `status`, `analysis`, `class` stay |
//!   | anything else | unchanged | `data`, `staff` |
//!
//!   English has more plurals than these rules; name such tables with `model =`.
//! - A field is named by its column: the column's name when it is a snake_case
//!   identifier (`r#type` for a keyword; `self_` for the keywords that cannot be
//!   raw), else its snake_case form (`"userId"` → `user_id`). Enum variants are
//!   the UpperCamelCase of their labels (`'in progress'` → `InProgress`; `V`
//!   before a leading digit, `Empty` for `''`, a trailing `_` on `ALL`, the
//!   name of the enum's list of labels: `'a l l'` → `ALL_`); each keeps its
//!   label for `as_str`, `Display`, `FromStr` and serde. Generated code names
//!   variants by the enum's path and `FromStr`'s error as `<Self as
//!   FromStr>::Err`, so labels such as `err`, `ok`, `none` or `from_str` are
//!   ordinary variants (`Err`, `Ok`, `None`, `FromStr`).
//! - Two models (or fields, or variants) with one name, or a model named like a
//!   type the generated code uses (`String`, `Option`, `Vec`, ...), is an error
//!   (`S0403/model_name_clash`) that says where to put a `model =` directive;
//!   every clash of a schema is reported in the same build.
//!
//! # Types
//!
//! The one mapping from column types to Rust types, used by `schema!()` and
//! checked by `#[derive(Schema)]`. A nullable column is an `Option` of it.
//! The generated module imports the crates it uses from `::sqlschema::__private`
//! (`use ::sqlschema::__private::chrono;`), so a user depends on `sqlschema` only.
//! The crate documentation of `sqlschema` (`src/lib.rs`) carries a copy of this
//! table for its users; `tests/docs.rs` of the workspace keeps the two equal.
//!
//! | column type | Rust type | feature of `sqlschema` |
//! |---|---|---|
//! | `smallint` | `i16` | |
//! | `integer` (`serial`) | `i32` | |
//! | `bigint` (`bigserial`) | `i64` | |
//! | `real` | `f32` | |
//! | `double precision` | `f64` | |
//! | `numeric`, `money` | `rust_decimal::Decimal` | `decimal` |
//! | `text`, `varchar`, `char` | `String` | |
//! | `bytea` | `Vec<u8>` | |
//! | `boolean` | `bool` | |
//! | `date` | `chrono::NaiveDate` / `time::Date` | `chrono` (default) / `time` |
//! | `time` | `chrono::NaiveTime` / `time::Time` | `chrono` / `time` |
//! | `timestamp` | `chrono::NaiveDateTime` / `time::PrimitiveDateTime` | `chrono` / `time` |
//! | `timestamptz` | `chrono::DateTime<chrono::Utc>` / `time::OffsetDateTime` | `chrono` / `time` |
//! | `uuid` | `uuid::Uuid` | `uuid` |
//! | `json`, `jsonb` | `serde_json::Value` | `json` |
//! | `T[]` | `Vec<T>` (elements taken as not null) | as `T` |
//! | an enum type | its generated enum | |
//! | a composite type | its generated struct, every attribute an `Option` of its type by this table (a `money` attribute is `String`: see below) | as its attributes' types |
//! | a domain | the type of its base type (domains over domains followed); `Option` unless the column itself is `NOT NULL` (a domain's own `NOT NULL` is not enough: an outer join still reads `NULL`) | as its base type |
//! | `timetz`, `interval`, `inet`, `cidr`, `macaddr`, `xml`, `bit`, `varbit`, `tsvector`, `tsquery`, the range and multirange types, the geometric types, `macaddr8`, `pg_lsn`, other named types | `String` (their text form) | |
//!
//! A composite type's struct is named as an enum type's enum is (the
//! UpperCamelCase of its name, or its `model =` directive), its fields as
//! columns are (by attribute). Every field is an `Option`: PostgreSQL has no
//! `NOT NULL` attribute. It moves as PostgreSQL's record text, `(1,"a b",)`,
//! exactly as `record_out` prints and `record_in` reads it (see
//! `schema_runtime::value::Attributes`), so composites nest in composites
//! and arrays. Inside a record a `money` prints in the locale's currency
//! format (`$1,000.00`), which a column's exact way of reading it (through
//! `numeric`) cannot reach, so a `money` attribute is `String`: the text as
//! printed, which PostgreSQL reads back in the same locale.
//!
//! With both `chrono` and `time` on, `chrono` is used (turn off the default
//! features to get `time`). A column whose type needs a feature that is off is
//! an error (`S0401/feature_disabled`) that names the feature.
//!
//! `#[derive(Schema)]` compares the field's type as written with this table: a
//! suffix of the type's full path (`NaiveDate`, `chrono::NaiveDate`,
//! `std::string::String`), `Option<T>` of it, and for an enum or a composite
//! type any path that ends in the generated type's name. Type aliases are not
//! resolved.
//!
//! # Generated items
//!
//! Each struct derives `Debug, Clone, PartialEq` (and serde's `Serialize,
//! Deserialize` with feature `serde`, fields renamed to their columns), carries
//! the table's and columns' `COMMENT ON` text as doc comments, and implements
//! `::sqlschema::Model` (`TABLE` is the table's qualified name as SQL, quoted where
//! needed; `COLUMNS` in column order; `PRIMARY_KEY` in key order) and
//! `::sqlschema::Record` (`COLUMN_TYPES`, each column's canonical type as
//! PostgreSQL prints it; `to_values`, `from_values` and `key_values`, each
//! field through `::sqlschema::Field`; `GENERATED_COLUMNS`,
//! `ALWAYS_IDENTITY_COLUMNS` and `SEQUENCE_COLUMNS` where the table has
//! such columns), and has the row methods, each on any `::sqlschema::Executor`
//! (SQLite or PostgreSQL): `insert` (the whole row as it is, generated
//! columns left out; on PostgreSQL a sequence whose column it writes is
//! moved past the value) and `all`, and with a primary key `key`, `find`
//! and `delete_by_key` (the key in its own Rust type: the column's, or a
//! tuple in key order for a composite key), `update` and `delete`. A table
//! without a primary key has no `key`, `find`, `update` or `delete`.
//!
//! A table with a column that has a default (`DEFAULT expr`, `serial`,
//! `GENERATED BY DEFAULT AS IDENTITY`), a generated column or a `GENERATED
//! ALWAYS AS IDENTITY` column also gets an insert struct, `New<Model>`
//! (`NewUser`): each column without a default as in the model, each column
//! with one an `Option` of the model's field type (`None` leaves it to the
//! database; for a nullable column that is `Option<Option<T>>`, `Some(None)`
//! writing `NULL`), generated columns and `GENERATED ALWAYS` identities left
//! out. Its `insert` writes only the columns given (`INSERT ... DEFAULT
//! VALUES` when none is) and returns the model's row as the database made
//! it (`RETURNING`; SQLite 3.35 or later).
//!
//! `schema!(derive(Eq, Hash), attr(serde(rename_all = "camelCase")))` adds
//! derives and attributes to every table's model and insert struct;
//! `derive(users: Default)` and `attr(users: ...)` to one table's (the
//! prefix names a table of schema.sql, `"app.items"` quoted, and applies to
//! the whole list). A derive of `Eq`, `Hash`, `Ord`, `PartialOrd`,
//! `Default` or `Copy` is checked against the columns' Rust types and is an
//! error naming the first column of each model that cannot have it (`Eq`
//! on a `real` column, `Ord` on a `json` one, `Default` on a `NOT NULL`
//! enum column: the table is in `schema_macro/derives.rs`); `Ord` needs
//! `Eq` and `PartialOrd` too. Other derives pass unchecked; naming one that
//! is always there (`Debug`, `Clone`, `PartialEq`) is an error. Each enum derives `Debug, Clone, Copy, PartialEq,
//! Eq, Hash`, has `ALL`, `as_str`, `Display` and `FromStr` (error
//! `::sqlschema::UnknownLabel`), and implements `::sqlschema::Field` (its label, as
//! text). Each composite type's struct derives `Debug, Clone, PartialEq,
//! Default` (`Default`: every attribute NULL; serde's too with feature
//! `serde`, fields renamed to their attributes) and implements
//! `::sqlschema::Field` (its record text). Every Rust type of the table above implements `::sqlschema::Field`
//! (`schema_runtime::value` gives the form each is stored in).
//! `#[derive(Schema)]` implements `::sqlschema::Model`, and `::sqlschema::Record`
//! too for a struct that is not `partial`. `MIGRATIONS` lists every migration
//! with its checksum, its PostgreSQL text and its SQLite rendering (or why
//! SQLite cannot run it).

mod analysis_cache;
mod as_text;
mod derive;
mod expansion_cache;
mod host;
mod inputs;
mod migrations;
mod models;
pub mod names;
mod render_cache;
mod schema_macro;
mod track;
mod types;
mod view_models;

use proc_macro2::TokenStream;
use quote::quote;

use crate::analyze::Loaded;
use crate::diagnostic::{Code, Diagnostic, codes as diag_codes};
use crate::migrations::replay::Replay;
use crate::model::Schema;

pub use derive::check::{
    FieldSpec, ModelInfo, StructError, StructPart, StructSpec, check_struct, table_for_struct,
};
pub use derive::derive_at;
pub use host::Host;
pub use inputs::{Inputs, Stamp, inputs, stamps};
pub use migrations::migrations;
pub use models::{
    Additions, ColumnKind, ColumnKinds, Extras, ModelNames, feature_disabled, model_consts,
    model_names, models, models_with, record_items, row_methods,
};
pub use schema_macro::schema_at;
pub use types::{Features, FieldType, NeedsFeature, PathSegment, RustType, rust_type};

/// The codes of code generation's diagnostics (defined with all the others in
/// [`crate::diagnostic::codes`]).
pub mod codes {
    use crate::diagnostic::Code;
    pub use crate::diagnostic::codes::{FEATURE_DISABLED, MODEL_MISMATCH, MODEL_NAME_CLASH};

    /// Every code of this module.
    pub const ALL: &[Code] = &[FEATURE_DISABLED, MODEL_MISMATCH, MODEL_NAME_CLASH];
}

/// What `schema!()` expands to for a project that checks clean: `pub mod
/// models { .. }` and `pub static MIGRATIONS`.
///
/// # Errors
/// A diagnostic for each column whose type needs a feature that is off, and
/// for each name clash.
pub fn expand(
    declared: &Schema,
    replay: &Replay,
    features: Features,
) -> Result<TokenStream, Vec<Diagnostic>> {
    expand_with(declared, replay, features, &Extras::default())
}

/// [`expand`], with the derives and attributes of `extras` on the tables'
/// structs.
///
/// # Errors
/// As [`expand`].
pub fn expand_with(
    declared: &Schema,
    replay: &Replay,
    features: Features,
    extras: &Extras,
) -> Result<TokenStream, Vec<Diagnostic>> {
    expand_cached(declared, replay, features, extras, None, None)
}

/// [`expand_with`], the SQLite renderings of the history read from (and
/// stored in) `renderings` where it holds them, the models taken from
/// `models` when they were made already (while the history replayed).
pub(crate) fn expand_cached(
    declared: &Schema,
    replay: &Replay,
    features: Features,
    extras: &Extras,
    renderings: Option<&render_cache::Renderings>,
    models: Option<Result<TokenStream, Vec<Diagnostic>>>,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let (models, migrations) = beside_rendering(
        replay,
        renderings,
        || models.unwrap_or_else(|| models_with(declared, features, extras)),
        |models, embedded, fresh| -> Result<_, Vec<Diagnostic>> {
            Ok((models?, migrations::tokens(replay, embedded, fresh)))
        },
    )?;
    Ok(quote! {
        /// The models of the declared schema: one struct per table, one enum per
        /// enum type, one struct per composite type.
        pub mod models {
            #models
        }

        #migrations
    })
}

/// The models of `declared` ([`models_with`]) as text, made away from the
/// compiler (see [`as_text`]); `None` when `extras` adds anything (the
/// user's tokens keep their spans only as tokens).
pub(crate) fn models_text(
    declared: &Schema,
    features: Features,
    extras: &Extras,
) -> Option<Result<String, Vec<Diagnostic>>> {
    extras.is_empty().then(|| {
        as_text::detached(|| {
            models_with(declared, features, extras).map(|models| models.to_string())
        })
    })
}

/// [`expand_cached`] as text, made away from the compiler (see [`as_text`]),
/// the models taken from `models` when they were made already (while the
/// history replayed, by [`models_text`]); `None` when `extras` adds anything
/// (see [`models_text`]).
pub(crate) fn expand_text(
    declared: &Schema,
    replay: &Replay,
    features: Features,
    extras: &Extras,
    renderings: Option<&render_cache::Renderings>,
    models: Option<Result<String, Vec<Diagnostic>>>,
) -> Option<Result<String, Vec<Diagnostic>>> {
    if !extras.is_empty() {
        return None;
    }
    beside_rendering(
        replay,
        renderings,
        || models.or_else(|| models_text(declared, features, extras)),
        |models, embedded, fresh| {
            let models = match models? {
                Ok(models) => models,
                Err(diagnostics) => return Some(Err(diagnostics)),
            };
            let migrations =
                as_text::detached(|| migrations::tokens(replay, embedded, fresh).to_string());
            // What `expand_cached` writes, as text.
            Some(Ok(format!(
                "#[doc = r\" The models of the declared schema: one struct per table, one enum per\"] \
             #[doc = r\" enum type, one struct per composite type.\"] \
             pub mod models {{ {models} }} {migrations}"
            )))
        },
    )
}

/// `first`, then `then` of its result and of the history rendered for SQLite
/// ([`render_cache::embed`], from and into `renderings`): the history is
/// rendered on a thread of its own ([`crate::stack::join`]) while `first`
/// runs here (tokens are made on this thread only: inside a macro they are
/// the compiler's).
fn beside_rendering<A, T>(
    replay: &Replay,
    renderings: Option<&render_cache::Renderings>,
    first: impl FnOnce() -> A,
    then: impl FnOnce(
        A,
        &[crate::migrations::dialects::Embedded],
        &crate::migrations::dialects::Fresh,
    ) -> T,
) -> T {
    let ((embedded, fresh, _), first) =
        crate::stack::join(|| render_cache::embed(replay, renderings), first);
    then(first, &embedded, &fresh)
}

/// The errors of a loaded project, as a macro reports them: when the history
/// replays cleanly and only drifts from schema.sql, the first drift error
/// also shows the migration that would fix it (what `schema check` prints).
pub fn errors(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut errors: Vec<Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let is_drift =
        |d: &Diagnostic| d.code == diag_codes::DRIFT || d.code == diag_codes::UNMIGRATED_OBJECT;
    let Some(first) = errors.iter_mut().find(|d| is_drift(d)) else {
        return errors;
    };
    if let Some(fix) = loaded.fixing_migration() {
        let sql: String = fix.up_sql().lines().map(|l| format!("\n    {l}")).collect();
        *first = first.clone().note(format!(
            "this migration would bring the migrations in line with the schema \
             (`schema new <slug>` writes it, with its down.sql):{sql}"
        ));
    }
    errors
}

/// The text of a `compile_error!` for `diagnostic`: its rustc-style rendering,
/// with the code moved after the `error: ` that rustc prints itself
/// (`error: [S0204/unmigrated_object] table ...`).
pub(crate) fn compile_error_text(diagnostic: &Diagnostic) -> String {
    let rendered = diagnostic.render(false);
    let Code { id, name, .. } = diagnostic.code;
    let head = format!("[{id}/{name}]: ");
    match rendered.split_once(&head) {
        Some((_, rest)) => format!("[{id}/{name}] {rest}"),
        None => rendered,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Origin, Source};

    #[test]
    fn compile_error_text_keeps_the_rendering_and_moves_the_code() {
        let src = Source::new("schema.sql", "create table t (\n  id uuid\n);\n");
        let d = Diagnostic::error(codes::FEATURE_DISABLED, "column `t.id` is `uuid`")
            .at(&Origin::new(&src, 2, 3))
            .label("declared here")
            .help("enable feature `uuid` of `sqlschema`");
        let text = compile_error_text(&d);
        assert!(
            text.starts_with("[S0401/feature_disabled] column `t.id` is `uuid`\n"),
            "{text}"
        );
        assert!(text.contains("--> schema.sql:2:3"), "{text}");
        assert!(text.contains("  id uuid"), "{text}");
        assert!(
            text.contains("help: enable feature `uuid` of `sqlschema`"),
            "{text}"
        );
    }
}
