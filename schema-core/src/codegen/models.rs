//! Model code: one struct per table, one enum per enum type and one struct
//! per composite type, each with its `impl ::sqlschema::Model` and `impl
//! ::sqlschema::Record`, its `as_str`/`Display`/`FromStr` and `impl
//! ::sqlschema::Field`, or its `impl ::sqlschema::Field` (the record text,
//! through `schema_runtime::value::Attributes`).

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::diagnostic::{Diagnostic, Origin, codes as diag_codes};
use crate::directive::DirectiveKind;
use crate::model::names::quote_ident;
use crate::model::{
    Attribute, Column, CompositeType, Directives, EnumType, QualifiedName, Schema, SqlType, Table,
};

use super::codes;
use super::names;
use super::types::{Features, rust_type};

/// Names the generated code refers to without a path; a model may not take them.
const RESERVED: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Serialize",
    "Deserialize",
];

/// The Rust name of every table's struct, every enum type's enum and every
/// composite type's struct.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModelNames {
    /// Struct name by table.
    pub tables: BTreeMap<QualifiedName, String>,
    /// Enum name by enum type.
    pub enums: BTreeMap<QualifiedName, String>,
    /// Struct name by composite type.
    pub composites: BTreeMap<QualifiedName, String>,
    /// Struct name by view or materialized view (read-only models).
    pub views: BTreeMap<QualifiedName, String>,
    /// The name of the insert struct (`New<Model>`) of each table that has
    /// a column with a default, an identity or a generated column.
    pub inserts: BTreeMap<QualifiedName, String>,
    /// The type each domain stands for (domains over domains followed): a
    /// column of a domain gets the Rust type of that type. Its nullability is
    /// the column's own: a domain's `NOT NULL` does not make the field
    /// non-optional (an outer join still gives `NULL` for it).
    pub domains: BTreeMap<QualifiedName, SqlType>,
}

impl ModelNames {
    /// The type whose Rust type a column of type `ty` gets: `ty` with its
    /// domains resolved.
    pub fn column_type(&self, ty: &SqlType) -> SqlType {
        match ty {
            SqlType::Named(n) => self.domains.get(n).cloned().unwrap_or_else(|| ty.clone()),
            SqlType::Array(inner) => match self.column_type(inner) {
                SqlType::Array(t) => SqlType::Array(t),
                t => SqlType::Array(Box::new(t)),
            },
            other => other.clone(),
        }
    }

    /// The type whose Rust type an attribute of a composite type of type
    /// `ty` gets: `ty` with its domains resolved, and `money` (also in an
    /// array) as `text`. Inside a record, PostgreSQL prints a `money` in the
    /// locale's currency format (`$1,000.00`), and a column's way to read it
    /// exactly (through `numeric`) cannot reach into the record; the text
    /// is carried as printed, and `money` reads it back in the same locale.
    pub fn attribute_type(&self, ty: &SqlType) -> SqlType {
        fn money_as_text(ty: SqlType) -> SqlType {
            match ty {
                SqlType::Money => SqlType::Text,
                SqlType::Array(inner) => SqlType::Array(Box::new(money_as_text(*inner))),
                other => other,
            }
        }
        money_as_text(self.column_type(ty))
    }
}

/// The model name `directives` give (`-- schema: model = Name`), else `fallback`.
/// A name that is not an ASCII identifier is an error (and `fallback` is used).
fn model_name(
    directives: &Directives,
    fallback: String,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let given = directives.0.iter().find_map(|d| match &d.kind {
        DirectiveKind::Model(name) => Some((name, &d.origin)),
        _ => None,
    });
    match given {
        None => fallback,
        Some((name, _)) if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            name.clone()
        }
        Some((name, origin)) => {
            diagnostics.push(
                Diagnostic::error(
                    diag_codes::BAD_DIRECTIVE,
                    format!("`model = {name}` is not an ASCII Rust identifier"),
                )
                .at(origin)
                .help(format!(
                    "use ASCII letters, digits and `_`, e.g. `-- schema: model = {fallback}`"
                )),
            );
            fallback
        }
    }
}

/// Takes `rust` as the name of `what`, with a diagnostic when it is taken
/// already or reserved.
fn claim(
    taken: &mut BTreeMap<String, (Origin, String)>,
    diagnostics: &mut Vec<Diagnostic>,
    rust: &str,
    origin: &Origin,
    what: String,
) {
    if RESERVED.contains(&rust) {
        diagnostics.push(
            Diagnostic::error(
                codes::MODEL_NAME_CLASH,
                format!(
                    "the model of {what} would be called `{rust}`, which generated code uses for Rust's own `{rust}`"
                ),
            )
            .at(origin)
            .label("declared here")
            .help(format!(
                "name it with `-- schema: model = {rust}Row` on the line above its `CREATE`"
            )),
        );
    } else if let Some((first, first_what)) = taken.get(rust) {
        diagnostics.push(
            Diagnostic::error(
                codes::MODEL_NAME_CLASH,
                format!("the models of {first_what} and {what} would both be called `{rust}`"),
            )
            .at(origin)
            .label("declared here")
            .related(first, format!("{first_what} is declared here"))
            .help(
                "name one of them with `-- schema: model = <Name>` on the line above its `CREATE`",
            ),
        );
    } else {
        taken.insert(rust.to_string(), (origin.clone(), what));
    }
}

/// Names every model of `schema` (see [`super`] for the rules).
///
/// # Errors
/// A diagnostic for each name taken twice, or taken from the names generated
/// code relies on (`String`, `Option`, ...), and for each `model =` directive
/// that is not an ASCII identifier.
pub fn model_names(schema: &Schema) -> Result<ModelNames, Vec<Diagnostic>> {
    let (names, diagnostics) = name_models(schema);
    if diagnostics.is_empty() {
        Ok(names)
    } else {
        Err(diagnostics)
    }
}

/// Names every model, with a diagnostic for each problem (a usable name is
/// still given to every table and enum type).
pub(crate) fn name_models(schema: &Schema) -> (ModelNames, Vec<Diagnostic>) {
    let mut names = ModelNames::default();
    let mut taken = BTreeMap::new();
    let mut diagnostics = Vec::new();
    // A partitioned table is one model: its partitions hold its rows.
    for table in schema.tables.values().filter(|t| t.partition_of.is_none()) {
        let fallback = names::struct_name(&table.name.name);
        let rust = model_name(&table.directives, fallback, &mut diagnostics);
        let what = format!("table `{}`", table.name);
        claim(&mut taken, &mut diagnostics, &rust, &table.origin, what);
        if table
            .columns
            .iter()
            .any(|c| ColumnKind::of(c) != ColumnKind::Plain)
        {
            let insert = format!("New{rust}");
            let what = format!("the insert struct of table `{}`", table.name);
            claim(&mut taken, &mut diagnostics, &insert, &table.origin, what);
            names.inserts.insert(table.name.clone(), insert);
        }
        names.tables.insert(table.name.clone(), rust);
    }
    for enum_type in schema.enums.values() {
        let fallback = names::type_name(&enum_type.name.name);
        let rust = model_name(&enum_type.directives, fallback, &mut diagnostics);
        let what = format!("enum type `{}`", enum_type.name);
        claim(&mut taken, &mut diagnostics, &rust, &enum_type.origin, what);
        names.enums.insert(enum_type.name.clone(), rust);
    }
    for composite in schema.composites.values() {
        let fallback = names::type_name(&composite.name.name);
        let rust = model_name(&composite.directives, fallback, &mut diagnostics);
        let what = format!("composite type `{}`", composite.name);
        claim(&mut taken, &mut diagnostics, &rust, &composite.origin, what);
        names.composites.insert(composite.name.clone(), rust);
    }
    for view in schema.views.values() {
        let fallback = names::struct_name(&view.name.name);
        let rust = model_name(&view.directives, fallback, &mut diagnostics);
        let what = format!("{} `{}`", view.describe(), view.name);
        claim(&mut taken, &mut diagnostics, &rust, &view.origin, what);
        names.views.insert(view.name.clone(), rust);
    }
    for domain in schema.domains.values() {
        names.domains.insert(
            domain.name.clone(),
            schema.resolved_type(&SqlType::Named(domain.name.clone())),
        );
    }
    (names, diagnostics)
}

/// `#[doc = " line"]` attributes for `text`, one per line.
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The derives every generated type adds to its own with feature `serde`
/// (imported by [`models`]), and serde's path to itself.
fn serde_derives(features: Features) -> (TokenStream, TokenStream) {
    if features.serde {
        (
            quote!(, Serialize, Deserialize),
            quote!(#[serde(crate = "::sqlschema::__private::serde")]),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    }
}

/// With feature `sqlx`: sqlx's derive for a model (`FromRow`) or an enum
/// (`Type`), to add to its derives, and its `#[sqlx(..)]` attribute on the
/// item (an enum's `type_name`).
pub(crate) fn sqlx_derive(
    features: Features,
    what: &str,
    type_name: Option<&str>,
) -> (TokenStream, TokenStream) {
    if !features.sqlx {
        return (TokenStream::new(), TokenStream::new());
    }
    let what = Ident::new(what, Span::call_site());
    let attr = match type_name {
        Some(name) => quote!(#[sqlx(type_name = #name)]),
        None => TokenStream::new(),
    };
    (quote!(, ::sqlschema::__private::sqlx::#what), attr)
}

/// With feature `sqlx`, `#[sqlx(rename = "<name>")]` for a field or variant
/// whose Rust name is not `name`.
pub(crate) fn sqlx_rename(features: Features, rust: &str, name: &str) -> TokenStream {
    if features.sqlx && rust.trim_start_matches("r#") != name {
        quote!(#[sqlx(rename = #name)])
    } else {
        TokenStream::new()
    }
}

/// The three constants of `impl ::sqlschema::Model`.
pub fn model_consts(table: &str, columns: &[String], primary_key: &[String]) -> TokenStream {
    quote! {
        const TABLE: &'static str = #table;
        const COLUMNS: &'static [&'static str] = &[#(#columns),*];
        const PRIMARY_KEY: &'static [&'static str] = &[#(#primary_key),*];
    }
}

/// The items of `impl ::sqlschema::Record`: `COLUMN_TYPES`, and `to_values`,
/// `from_values` and `key_values` over the struct's fields, where `fields[i]`
/// (a field's name) models column `columns[i]`, of canonical type
/// `column_types[i]`. Without `qualified` (a `schema!()` model) the methods
/// are an invocation of the facade's `record_methods!`; with it (a derive's
/// expansion, among a user's own names) they are written out, every path in
/// full.
pub fn record_items(
    fields: &[TokenStream],
    columns: &[String],
    column_types: &[String],
    primary_key: &[String],
    qualified: bool,
) -> TokenStream {
    let key_fields = primary_key
        .iter()
        .filter_map(|key| columns.iter().position(|c| c == key))
        .filter_map(|i| fields.get(i));
    if !qualified {
        // Written once by the facade's `record_methods!`: a third of a
        // model's text, for every table of the expansion.
        return quote! {
            const COLUMN_TYPES: &'static [&'static str] = &[#(#column_types),*];

            ::sqlschema::__private::record_methods!(
                { #(#fields: #columns),* } { #(#key_fields),* }
            );
        };
    }
    let (vec, result, ok) = (
        quote!(::std::vec::Vec),
        quote!(::core::result::Result),
        quote!(::core::result::Result::Ok),
    );
    let to_values = fields
        .iter()
        .map(|field| quote!(::sqlschema::__private::Field::to_value(&self.#field)));
    let takes = fields
        .iter()
        .zip(columns)
        .map(|(field, column)| quote!(#field: row.take(#column)?));
    let key_values =
        key_fields.map(|field| quote!(::sqlschema::__private::Field::to_value(&self.#field)));
    quote! {
        const COLUMN_TYPES: &'static [&'static str] = &[#(#column_types),*];

        fn to_values(&self) -> #vec<::sqlschema::__private::Value> {
            #vec::from([#(#to_values),*])
        }

        fn from_values(values: #vec<::sqlschema::__private::Value>) -> #result<Self, ::sqlschema::__private::RowError> {
            let mut row = ::sqlschema::__private::RowValues::new::<Self>(values)?;
            #ok(Self {
                #(#takes,)*
            })
        }

        fn key_values(&self) -> #vec<::sqlschema::__private::Value> {
            #vec::from([#(#key_values),*])
        }
    }
}

/// What the database does to a column on insert, as a table declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Written as given.
    Plain,
    /// Has a default (`DEFAULT expr`, `serial`, `GENERATED BY DEFAULT AS
    /// IDENTITY`): an insert may leave it to the database.
    Defaulted,
    /// `GENERATED ALWAYS AS IDENTITY`: the database numbers it.
    AlwaysIdentity,
    /// `GENERATED ALWAYS AS (expr) STORED`: the database computes it, and
    /// nothing may write it.
    Generated,
}

impl ColumnKind {
    /// The kind of `column`.
    pub fn of(column: &Column) -> ColumnKind {
        if column.generated.is_some() {
            ColumnKind::Generated
        } else if column.identity == Some(crate::model::Identity::Always) {
            ColumnKind::AlwaysIdentity
        } else if column.identity.is_some() || column.default.is_some() {
            ColumnKind::Defaulted
        } else {
            ColumnKind::Plain
        }
    }
}

/// The columns of a table that an insert or update treats apart: the
/// constants `GENERATED_COLUMNS`, `ALWAYS_IDENTITY_COLUMNS` and
/// `SEQUENCE_COLUMNS` of `impl ::sqlschema::Record`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnKinds {
    /// `GENERATED ALWAYS AS (expr) STORED` columns.
    pub generated: Vec<String>,
    /// `GENERATED ALWAYS AS IDENTITY` columns.
    pub always_identity: Vec<String>,
    /// Columns a sequence fills, each with its sequence (`""` for an
    /// identity column's).
    pub sequences: Vec<(String, String)>,
}

impl ColumnKinds {
    /// The kinds of `columns` (a table's, or some of them).
    pub fn of<'c>(columns: impl IntoIterator<Item = &'c Column>) -> ColumnKinds {
        let mut kinds = ColumnKinds::default();
        for column in columns {
            match ColumnKind::of(column) {
                ColumnKind::Generated => kinds.generated.push(column.name.clone()),
                ColumnKind::AlwaysIdentity => kinds.always_identity.push(column.name.clone()),
                ColumnKind::Defaulted | ColumnKind::Plain => {}
            }
            if column.identity.is_some() {
                kinds.sequences.push((column.name.clone(), String::new()));
            } else if let Some(sequence) =
                column.default.as_ref().and_then(|d| d.nextval_sequence())
            {
                kinds
                    .sequences
                    .push((column.name.clone(), sequence.replace("''", "'")));
            }
        }
        kinds
    }

    /// The constants of `impl ::sqlschema::Record` that are not their
    /// defaults (empty lists).
    pub fn consts(&self) -> TokenStream {
        let mut out = TokenStream::new();
        if !self.generated.is_empty() {
            let generated = &self.generated;
            out.extend(quote! {
                const GENERATED_COLUMNS: &'static [&'static str] = &[#(#generated),*];
            });
        }
        if !self.always_identity.is_empty() {
            let always = &self.always_identity;
            out.extend(quote! {
                const ALWAYS_IDENTITY_COLUMNS: &'static [&'static str] = &[#(#always),*];
            });
        }
        if !self.sequences.is_empty() {
            let pairs = self.sequences.iter().map(|(c, s)| quote!((#c, #s)));
            out.extend(quote! {
                const SEQUENCE_COLUMNS: &'static [(&'static str, &'static str)] = &[#(#pairs),*];
            });
        }
        out
    }
}

/// The row methods of a model (the body of an inherent `impl`): `insert`
/// and `all`, and with a primary key (`key`: each key field and its type,
/// in key order) `key`, `find`, `update`, `delete` and `delete_by_key`,
/// the key taken in its own Rust type (a tuple for a composite key). Their
/// text is the facade's `row_methods!` macro: the expansion invokes it
/// rather than repeating it for every model.
pub fn row_methods(key: Option<&[(TokenStream, TokenStream)]>) -> TokenStream {
    let arguments = match key {
        None | Some([]) => TokenStream::new(),
        Some([(field, ty)]) => quote!(#field: #ty),
        Some(many) => {
            let keys = many.iter().enumerate().map(|(i, (field, ty))| {
                let index = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(#field: #ty => #index)
            });
            quote!(#(#keys),*)
        }
    };
    quote!(::sqlschema::__private::row_methods!(#arguments);)
}

/// Derives and attributes the macro's arguments add to a table's model and
/// insert struct (`schema!(derive(Eq), attr(serde(rename_all = "camelCase")))`).
#[derive(Debug, Clone, Default)]
pub struct Additions {
    /// Paths of derives (`Eq`, `sqlx::FromRow`).
    pub derives: Vec<TokenStream>,
    /// The insides of attributes (`serde(rename_all = "camelCase")`).
    pub attrs: Vec<TokenStream>,
}

/// What the macro's arguments add to generated structs: to every table's,
/// and to some tables' only.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Added to every table's model and insert struct.
    pub all: Additions,
    /// Added to the named tables' only (after those of `all`).
    pub tables: BTreeMap<QualifiedName, Additions>,
}

impl Extras {
    /// True when nothing is added: no `derive(..)` or `attr(..)` argument.
    pub(crate) fn is_empty(&self) -> bool {
        let none = |a: &Additions| a.derives.is_empty() && a.attrs.is_empty();
        none(&self.all) && self.tables.values().all(none)
    }

    /// `#[derive(..)]` items to add and `#[..]` attributes for `table`.
    fn for_table(&self, table: &QualifiedName) -> (TokenStream, TokenStream) {
        let own = self.tables.get(table);
        let derives: Vec<&TokenStream> = self
            .all
            .derives
            .iter()
            .chain(own.into_iter().flat_map(|a| &a.derives))
            .collect();
        let attrs = self
            .all
            .attrs
            .iter()
            .chain(own.into_iter().flat_map(|a| &a.attrs));
        (quote!(#(, #derives)*), quote!(#(#[#attrs])*))
    }
}

/// The struct of every table, the enum of every enum type and the struct of
/// every composite type of `schema`, in name order (without the `mod` around
/// them).
///
/// # Errors
/// A diagnostic for each column or attribute whose type needs a feature that
/// is off, and for each name clash.
pub fn models(schema: &Schema, features: Features) -> Result<TokenStream, Vec<Diagnostic>> {
    models_with(schema, features, &Extras::default())
}

/// [`models`], with the derives and attributes of `extras` on the tables'
/// structs.
///
/// # Errors
/// As [`models`].
pub fn models_with(
    schema: &Schema,
    features: Features,
    extras: &Extras,
) -> Result<TokenStream, Vec<Diagnostic>> {
    // Every problem of the schema is reported at once: models keep a usable
    // name when theirs clashes, so their fields and variants are checked too.
    let (names, mut diagnostics) = name_models(schema);
    let mut items = Vec::new();
    let mut krates = BTreeSet::new();
    for enum_type in schema.enums.values() {
        match enum_item(enum_type, &names.enums[&enum_type.name], features) {
            Ok(item) => items.push(item),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    for composite in schema.composites.values() {
        match composite_item(composite, &names, features, &mut krates) {
            Ok(item) => items.push(item),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    for table in schema.tables.values().filter(|t| t.partition_of.is_none()) {
        match struct_item(table, &names, features, extras, &mut krates) {
            Ok(item) => items.push(item),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    for view in schema.views.values() {
        let model = &names.views[&view.name];
        match super::view_models::view_item(view, model, &names, features, &mut krates) {
            Ok(item) => items.push(item),
            Err(mut d) => diagnostics.append(&mut d),
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let krates = krates.into_iter().map(|k| Ident::new(k, Span::call_site()));
    let serde = if features.serde {
        quote!(
            use ::sqlschema::__private::serde::{Deserialize, Serialize};
        )
    } else {
        TokenStream::new()
    };
    Ok(quote! {
        #(use ::sqlschema::__private::#krates;)*
        #serde
        #(#items)*
    })
}

/// The diagnostic for a column whose type needs a feature that is off.
pub fn feature_disabled(
    table: &Table,
    column: &Column,
    needs: &super::types::NeedsFeature,
) -> Diagnostic {
    Diagnostic::error(
        codes::FEATURE_DISABLED,
        format!(
            "column `{}.{}` is `{}`, which needs {} of `sqlschema`",
            table.name,
            column.name,
            column.data_type,
            needs.describe()
        ),
    )
    .at(&column.origin)
    .label("declared here")
    .help(enable_feature(needs))
}

/// The diagnostic for an attribute of a composite type whose type needs a
/// feature that is off (placed on the type: attributes keep no place).
fn attribute_feature_disabled(
    composite: &CompositeType,
    attribute: &Attribute,
    needs: &super::types::NeedsFeature,
) -> Diagnostic {
    Diagnostic::error(
        codes::FEATURE_DISABLED,
        format!(
            "attribute `{}` of composite type `{}` is `{}`, which needs {} of `sqlschema`",
            attribute.name,
            composite.name,
            attribute.data_type,
            needs.describe()
        ),
    )
    .at(&composite.origin)
    .label("declared here")
    .help(enable_feature(needs))
}

/// How to enable the feature `needs` names, as a `help:`.
fn enable_feature(needs: &super::types::NeedsFeature) -> String {
    format!(
        "enable feature `{}` of `sqlschema`: `sqlschema = {{ version = \"{}\", features = [\"{}\"] }}`",
        needs.feature,
        env!("CARGO_PKG_VERSION"),
        needs.feature
    )
}

/// `column type [NOT NULL]`, the column as a doc line.
fn column_ddl(column: &Column) -> String {
    let not_null = if column.nullable { "" } else { " NOT NULL" };
    format!("`{} {}{not_null}`", column.name, column.data_type)
}

fn struct_item(
    table: &Table,
    names: &ModelNames,
    features: Features,
    extras: &Extras,
    krates: &mut BTreeSet<&'static str>,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut fields = Vec::new();
    let mut idents = Vec::new();
    let mut field_names: BTreeMap<String, &Column> = BTreeMap::new();
    let mut typed = Vec::new();
    for column in &table.columns {
        let field = names::field_name(&column.name);
        if let Some(first) = field_names.get(&field) {
            diagnostics.push(
                Diagnostic::error(
                    codes::MODEL_NAME_CLASH,
                    format!(
                        "columns `{}` and `{}` of table `{}` would both be field `{field}`",
                        first.name, column.name, table.name
                    ),
                )
                .at(&column.origin)
                .label("declared here")
                .related(&first.origin, "this column has the same field name")
                .help("rename one of the columns"),
            );
            continue;
        }
        field_names.insert(field.clone(), column);
        let ty = match rust_type(&names.column_type(&column.data_type), names, features) {
            Ok(ty) => ty,
            Err(needs) => {
                diagnostics.push(feature_disabled(table, column, &needs));
                continue;
            }
        };
        ty.krates(krates);
        let ty = ty.tokens();
        let ty = if column.nullable {
            quote!(Option<#ty>)
        } else {
            ty
        };
        let docs = match &column.comment {
            Some(comment) => doc(&format!("{comment}\n\n{}", column_ddl(column))),
            None => doc(&column_ddl(column)),
        };
        let rename = if features.serde && field != column.name {
            let name = &column.name;
            quote!(#[serde(rename = #name)])
        } else {
            TokenStream::new()
        };
        let ident = names::ident(&field);
        idents.push(quote!(#ident));
        typed.push((column, quote!(#ident), ty.clone(), rename.clone()));
        let sqlx = sqlx_rename(features, &field, &column.name);
        fields.push(quote! {
            #docs
            #rename
            #sqlx
            pub #ident: #ty,
        });
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let ident = names::ident(&names.tables[&table.name]);
    let key_fields: Vec<(TokenStream, TokenStream)> = table
        .primary_key_columns()
        .iter()
        .filter_map(|k| typed.iter().find(|(c, ..)| c.name == *k))
        .map(|(_, field, ty, _)| (field.clone(), ty.clone()))
        .collect();
    let methods = row_methods((!key_fields.is_empty()).then_some(&key_fields[..]));
    let (extra_derives, extra_attrs) = extras.for_table(&table.name);
    let (serde_derive, serde) = serde_derives(features);
    let derives = quote!(#serde_derive #extra_derives);
    let serde = quote!(#serde #extra_attrs);
    let insert = names.inserts.get(&table.name).map(|name| {
        insert_item(
            table,
            &ident,
            name,
            &typed,
            &(derives.clone(), serde.clone()),
        )
    });
    let key = table.primary_key_columns();
    let key_text = match key {
        [] => "no primary key".to_string(),
        [one] => format!("primary key `{one}`"),
        many => format!("primary key `({})`", many.join(", ")),
    };
    let summary = format!("A row of table `{}` ({key_text}).", table.name);
    let docs = match &table.comment {
        Some(comment) => doc(&format!("{comment}\n\n{summary}")),
        None => doc(&summary),
    };
    let columns: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let consts = model_consts(&table.name.to_string(), &columns, key);
    // A domain column is read and written as its base type: PostgreSQL casts
    // the base type to the domain (and checks it) on the way in.
    let types: Vec<String> = table
        .columns
        .iter()
        .map(|c| names.column_type(&c.data_type).to_string())
        .collect();
    let record = record_items(&idents, &columns, &types, key, false);
    let kinds = ColumnKinds::of(&table.columns).consts();
    let (from_row, _) = sqlx_derive(features, "FromRow", None);
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #derives #from_row)]
        #serde
        pub struct #ident {
            #(#fields)*
        }

        impl ::sqlschema::__private::Model for #ident {
            #consts
        }

        impl ::sqlschema::__private::Record for #ident {
            #record
            #kinds
        }

        impl #ident {
            #methods
        }

        #insert
    })
}

/// The insert struct of `table` (whose model is `model`), named `name`:
/// each column without a default as its model's field, each column with
/// one an `Option` of its model's field type (`None`: the database's
/// default), generated columns and `GENERATED ALWAYS` identities left out;
/// and its `insert`, which reads back the row the database made.
fn insert_item(
    table: &Table,
    model: &Ident,
    name: &str,
    typed: &[(&Column, TokenStream, TokenStream, TokenStream)],
    (derives, serde): &(TokenStream, TokenStream),
) -> TokenStream {
    let ident = names::ident(name);
    let mut fields = Vec::new();
    let mut gives = Vec::new();
    for (column, field, ty, rename) in typed {
        let name = &column.name;
        let ddl = column_ddl(column);
        match ColumnKind::of(column) {
            ColumnKind::Generated | ColumnKind::AlwaysIdentity => continue,
            ColumnKind::Plain => {
                let docs = doc(&ddl);
                fields.push(quote!(#docs #rename pub #field: #ty,));
                gives.push(quote! {
                    given.push((#name, ::sqlschema::__private::Field::to_value(&self.#field)));
                });
            }
            ColumnKind::Defaulted => {
                let default = match (&column.identity, &column.default) {
                    (Some(_), _) => {
                        "`GENERATED BY DEFAULT AS IDENTITY`: the next number".to_string()
                    }
                    (None, Some(d)) if d.nextval_sequence().is_some() => {
                        format!("`DEFAULT {}`: the next number", d.source())
                    }
                    (None, Some(d)) => format!("`DEFAULT {}`", d.source()),
                    (None, None) => "its default".to_string(),
                };
                let docs = doc(&format!(
                    "{ddl}\n\n`None` leaves it to the database: {default}."
                ));
                fields.push(quote!(#docs #rename pub #field: Option<#ty>,));
                gives.push(quote! {
                    if let Some(value) = &self.#field {
                        given.push((#name, ::sqlschema::__private::Field::to_value(value)));
                    }
                });
            }
        }
    }
    let docs = doc(&format!(
        "A new row of table `{}`, for [`{name}::insert`]: every column with a \
         default is an `Option` of its [`{model}`] field's type (`None`: the \
         database's default; a nullable one is `Option<Option<T>>`, \
         `Some(None)` writing `NULL`), and the columns the database always \
         computes are left out.",
        table.name
    ));
    let given = if gives.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote! {
            let mut given = ::std::vec::Vec::new();
            #(#gives)*
            given
        }
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #derives)]
        #serde
        pub struct #ident {
            #(#fields)*
        }

        impl ::sqlschema::__private::NewRecord for #ident {
            fn given(&self) -> ::std::vec::Vec<(&'static str, ::sqlschema::__private::Value)> {
                #given
            }
        }

        impl #ident {
            ::sqlschema::__private::insert_methods!(#model);
        }
    }
}

/// The struct of a composite type: one `Option` field per attribute (an
/// attribute is never `NOT NULL`; `Default` is every attribute NULL), and
/// `impl ::sqlschema::Field`, the value as PostgreSQL's record text through
/// `Attributes`.
fn composite_item(
    composite: &CompositeType,
    names: &ModelNames,
    features: Features,
    krates: &mut BTreeSet<&'static str>,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut fields = Vec::new();
    let mut idents = Vec::new();
    let mut field_names: BTreeMap<String, &Attribute> = BTreeMap::new();
    for attribute in &composite.attributes {
        let field = names::field_name(&attribute.name);
        if let Some(first) = field_names.get(&field) {
            diagnostics.push(
                Diagnostic::error(
                    codes::MODEL_NAME_CLASH,
                    format!(
                        "attributes `{}` and `{}` of composite type `{}` would both be field `{field}`",
                        first.name, attribute.name, composite.name
                    ),
                )
                .at(&composite.origin)
                .label("declared here")
                .help("rename one of the attributes"),
            );
            continue;
        }
        field_names.insert(field.clone(), attribute);
        let ty = match rust_type(&names.attribute_type(&attribute.data_type), names, features) {
            Ok(ty) => ty,
            Err(needs) => {
                diagnostics.push(attribute_feature_disabled(composite, attribute, &needs));
                continue;
            }
        };
        ty.krates(krates);
        let ty = ty.tokens();
        let collation = attribute
            .collation
            .as_ref()
            .map(|c| format!(" COLLATE {}", quote_ident(c)))
            .unwrap_or_default();
        let docs = doc(&format!(
            "`{} {}{collation}`",
            attribute.name, attribute.data_type
        ));
        let rename = if features.serde && field != attribute.name {
            let name = &attribute.name;
            quote!(#[serde(rename = #name)])
        } else {
            TokenStream::new()
        };
        let ident = names::ident(&field);
        idents.push(quote!(#ident));
        fields.push(quote! {
            #docs
            #rename
            pub #ident: Option<#ty>,
        });
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let ident = names::ident(&names.composites[&composite.name]);
    let docs = doc(&format!(
        "A value of composite type `{}`; every attribute may be NULL (`Default`: all NULL).",
        composite.name
    ));
    let (derives, serde) = serde_derives(features);
    let type_name = composite.name.to_string();
    let attribute_names: Vec<&str> = composite
        .attributes
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    let from_value = if idents.is_empty() {
        quote! {
            ::sqlschema::__private::Attributes::from_value(value, #type_name, &[])?;
            ::core::result::Result::Ok(#ident {})
        }
    } else {
        quote! {
            let mut attributes = ::sqlschema::__private::Attributes::from_value(
                value,
                #type_name,
                &[#(#attribute_names),*],
            )?;
            ::core::result::Result::Ok(#ident {
                #(#idents: attributes.take()?,)*
            })
        }
    };
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Default #derives)]
        #serde
        pub struct #ident {
            #(#fields)*
        }

        impl ::sqlschema::__private::Field for #ident {
            fn to_value(&self) -> ::sqlschema::__private::Value {
                ::sqlschema::__private::Attributes::to_value(&[
                    #(::sqlschema::__private::Field::to_value(&self.#idents)),*
                ])
            }

            fn from_value(
                value: ::sqlschema::__private::Value,
            ) -> ::core::result::Result<Self, ::sqlschema::__private::FieldError> {
                #from_value
            }
        }
    })
}

fn enum_item(
    enum_type: &EnumType,
    rust_name: &str,
    features: Features,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut variants: BTreeMap<String, &str> = BTreeMap::new();
    let mut idents = Vec::new();
    let mut clashes = Vec::new();
    for label in &enum_type.values {
        let variant = names::variant_name(label);
        if let Some(first) = variants.get(&variant) {
            clashes.push(
                Diagnostic::error(
                    codes::MODEL_NAME_CLASH,
                    format!(
                        "labels '{first}' and '{label}' of enum type `{}` would both be variant `{variant}`",
                        enum_type.name
                    ),
                )
                .at(&enum_type.origin)
                .label("declared here")
                .help("rename one of the labels"),
            );
            continue;
        }
        variants.insert(variant.clone(), label);
        idents.push(names::ident(&variant));
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    let ident = names::ident(rust_name);
    let labels = &enum_type.values;
    let quoted: Vec<String> = labels.iter().map(|l| format!("'{l}'")).collect();
    let docs = doc(&format!(
        "The enum type `{}`: {}.",
        enum_type.name,
        if quoted.is_empty() {
            "no label".to_string()
        } else {
            quoted.join(", ")
        }
    ));
    let variant_docs = labels.iter().map(|l| doc(&format!("`'{l}'`")));
    let renames = labels.iter().map(|label| {
        if features.serde {
            quote!(#[serde(rename = #label)])
        } else {
            TokenStream::new()
        }
    });
    let (derives, serde) = serde_derives(features);
    let type_name = enum_type.name.to_string();
    let (sqlx_type, sqlx_attr) = sqlx_derive(features, "Type", Some(&type_name));
    let sqlx_renames = labels
        .iter()
        .zip(&idents)
        .map(|(label, ident)| sqlx_rename(features, &ident.to_string(), label));
    let as_str = if labels.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#ident::#idents => #labels,)* })
    };
    let unknown = Ident::new("UnknownLabel", Span::call_site());
    let expected = format!("a `{type_name}` label");
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash #derives #sqlx_type)]
        #serde
        #sqlx_attr
        pub enum #ident {
            #(#variant_docs #renames #sqlx_renames #idents,)*
        }

        impl #ident {
            /// Every label, in the enum type's order.
            pub const ALL: &'static [Self] = &[#(#ident::#idents),*];

            /// The label, as the database spells it.
            pub const fn as_str(&self) -> &'static str {
                #as_str
            }
        }

        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(#ident::as_str(self))
            }
        }

        impl ::core::str::FromStr for #ident {
            type Err = ::sqlschema::__private::#unknown;

            fn from_str(
                label: &str,
            ) -> ::core::result::Result<Self, <Self as ::core::str::FromStr>::Err> {
                match label {
                    #(#labels => ::core::result::Result::Ok(#ident::#idents),)*
                    _ => ::core::result::Result::Err(::sqlschema::__private::#unknown::new(#type_name, label)),
                }
            }
        }

        impl ::sqlschema::__private::Field for #ident {
            fn to_value(&self) -> ::sqlschema::__private::Value {
                ::sqlschema::__private::Value::Text(::std::string::String::from(#ident::as_str(self)))
            }

            fn from_value(
                value: ::sqlschema::__private::Value,
            ) -> ::core::result::Result<Self, ::sqlschema::__private::FieldError> {
                value.parse(#expected)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_schema_str;

    fn generate(sql: &str, features: Features) -> Result<String, Vec<String>> {
        let schema = parse_schema_str("schema.sql", sql).unwrap_or_else(|d| panic!("{d:?}"));
        models(&schema, features)
            .map(|t| t.to_string())
            .map_err(|d| d.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn a_directive_names_the_model_and_clashes_are_errors() {
        let sql = "-- schema: model = Person\nCREATE TABLE people (id int PRIMARY KEY);\n";
        let code = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("pub struct Person"), "{code}");
        let clash =
            "CREATE TABLE user_ (id int PRIMARY KEY);\nCREATE TABLE users (id int PRIMARY KEY);\n";
        assert_eq!(
            generate(clash, Features::DEFAULT),
            Err(vec![
                "the models of table `user_` and table `users` would both be called `User`"
                    .to_string()
            ])
        );
        let reserved = "CREATE TABLE strings (id int PRIMARY KEY);\n";
        assert!(generate(reserved, Features::DEFAULT).is_err());
    }

    #[test]
    fn every_clash_of_a_schema_is_reported_at_once() {
        let sql = "CREATE TYPE a AS ENUM ('err', 'Err', 'ERR', 'x');\n\
                   CREATE TYPE b AS ENUM ('in progress', 'in_progress');\n\
                   CREATE TABLE user_ (id int PRIMARY KEY);\n\
                   CREATE TABLE users (id int PRIMARY KEY, \"userId\" int, user_id int);\n";
        let errors = generate(sql, Features::DEFAULT).expect_err("clashes");
        assert_eq!(
            errors,
            vec![
                "the models of table `user_` and table `users` would both be called `User`",
                "labels 'err' and 'Err' of enum type `a` would both be variant `Err`",
                "labels 'err' and 'ERR' of enum type `a` would both be variant `Err`",
                "labels 'in progress' and 'in_progress' of enum type `b` would both be variant `InProgress`",
                "columns `userId` and `user_id` of table `users` would both be field `user_id`",
            ],
            "{errors:#?}"
        );
    }

    #[test]
    fn variants_never_meet_the_enums_own_items() {
        let sql = "CREATE TYPE e AS ENUM ('err', 'a l l', 'all', 'from_str', 'as_str', 'ok');\n";
        let code = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            code.contains(
                "[E :: Err , E :: ALL_ , E :: All , E :: FromStr , E :: AsStr , E :: Ok]"
            ),
            "{code}"
        );
        assert!(!code.contains("Self :: Err"), "{code}");
        assert!(
            code.contains("< Self as :: core :: str :: FromStr > :: Err"),
            "{code}"
        );
    }

    #[test]
    fn a_domain_column_gets_the_rust_type_of_its_base_type() {
        let sql = "CREATE TYPE mood AS ENUM ('ok');\n\
                   CREATE DOMAIN small AS smallint NOT NULL CHECK (VALUE > 0);\n\
                   CREATE DOMAIN smaller AS small;\n\
                   CREATE DOMAIN good AS mood;\n\
                   CREATE TABLE t (id smaller PRIMARY KEY, a small, b smaller[], c good NOT NULL);\n";
        let code = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("pub id : i16"), "{code}");
        // The domain's NOT NULL does not make the field required: only the column's own.
        assert!(code.contains("pub a : Option < i16 >"), "{code}");
        assert!(code.contains("pub b : Option < Vec < i16 > >"), "{code}");
        assert!(code.contains("pub c : Mood"), "{code}");
        assert!(
            code.contains(r#"["smallint" , "smallint" , "smallint[]" , "mood"]"#),
            "{code}"
        );
    }

    #[test]
    fn a_composite_type_is_a_struct_of_optional_attributes() {
        let sql = "CREATE TYPE mood AS ENUM ('ok');\n\
                   CREATE DOMAIN small AS smallint NOT NULL;\n\
                   CREATE TYPE pair AS (a integer, \"B\" text COLLATE \"C\", m mood, s small, ms mood[]);\n\
                   CREATE TYPE outer_pair AS (p pair, ps pair[], price money, prices money[]);\n\
                   CREATE DOMAIN good_pair AS pair;\n\
                   CREATE TABLE t (id integer PRIMARY KEY, p pair, ps pair[] NOT NULL, o outer_pair, g good_pair);\n";
        let code = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        let pair = code
            .split("pub struct Pair {")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .unwrap_or_else(|| panic!("no `Pair`: {code}"));
        for field in [
            "pub a : Option < i32 >",
            "pub b : Option < String >",
            "pub m : Option < Mood >",
            "pub s : Option < i16 >",
            "pub ms : Option < Vec < Mood > >",
        ] {
            assert!(pair.contains(field), "{field}: {pair}");
        }
        assert!(
            pair.contains(r#"# [doc = " `B text COLLATE \"C\"`"]"#),
            "{pair}"
        );
        // `money` inside a record is printed in the locale's format: text.
        assert!(code.contains("pub p : Option < Pair >"), "{code}");
        assert!(code.contains("pub ps : Option < Vec < Pair > >"), "{code}");
        assert!(code.contains("pub price : Option < String >"), "{code}");
        assert!(
            code.contains("pub prices : Option < Vec < String > >"),
            "{code}"
        );
        // Columns: the struct, arrays of it, a domain over it.
        assert!(code.contains("pub ps : Vec < Pair >"), "{code}");
        assert!(code.contains("pub o : Option < OuterPair >"), "{code}");
        assert!(code.contains("pub g : Option < Pair >"), "{code}");
        assert!(
            code.contains(r#"["integer" , "pair" , "pair[]" , "outer_pair" , "pair"]"#),
            "{code}"
        );
        assert!(
            code.contains(
                r#":: sqlschema :: __private :: Attributes :: from_value (value , "pair" , & ["a" , "B" , "m" , "s" , "ms"] ,) ?"#
            ),
            "{code}"
        );
        assert!(
            code.contains("Ok (Pair { a : attributes . take () ? , b : attributes . take () ? ,"),
            "{code}"
        );
        assert!(
            code.contains(":: sqlschema :: __private :: Attributes :: to_value (& [:: sqlschema :: __private :: Field :: to_value (& self . a) ,"),
            "{code}"
        );
    }

    #[test]
    fn a_composite_without_attributes_is_an_empty_struct() {
        let sql = "CREATE TYPE nothing AS ();\n";
        let code = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("pub struct Nothing { }"), "{code}");
        assert!(
            code.contains("Attributes :: from_value (value , \"nothing\" , & []) ?"),
            "{code}"
        );
        assert!(!code.contains("let mut attributes"), "{code}");
    }

    #[test]
    fn composite_names_clash_with_other_models_and_fields_with_each_other() {
        let sql = "CREATE TYPE address AS (\"zipCode\" text, zip_code text);\n\
                   CREATE TABLE addresses (id int PRIMARY KEY);\n\
                   CREATE TYPE string AS (a int);\n";
        assert_eq!(
            generate(sql, Features::DEFAULT),
            Err(vec![
                "the models of table `addresses` and composite type `address` would both be called `Address`".to_string(),
                "the model of composite type `string` would be called `String`, which generated code uses for Rust's own `String`".to_string(),
                "attributes `zipCode` and `zip_code` of composite type `address` would both be field `zip_code`".to_string(),
            ])
        );
        let renamed = "-- schema: model = PostalAddress\n\
                       CREATE TYPE address AS (street text);\n\
                       CREATE TABLE addresses (id int PRIMARY KEY, home address);\n";
        let code = generate(renamed, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("pub struct PostalAddress"), "{code}");
        assert!(
            code.contains("pub home : Option < PostalAddress >"),
            "{code}"
        );
    }

    #[test]
    fn a_composite_attribute_behind_a_disabled_feature_is_an_error() {
        let sql = "CREATE TYPE tagged AS (id uuid, at date);\n";
        assert_eq!(
            generate(sql, Features::default()),
            Err(vec![
                "attribute `id` of composite type `tagged` is `uuid`, which needs feature `uuid` of `sqlschema`".to_string(),
                "attribute `at` of composite type `tagged` is `date`, which needs feature `chrono` (or `time`) of `sqlschema`".to_string(),
            ])
        );
        let features = Features {
            uuid: true,
            ..Features::DEFAULT
        };
        let code = generate(sql, features).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            code.contains("use :: sqlschema :: __private :: uuid ;"),
            "{code}"
        );
        assert!(
            code.contains("pub at : Option < chrono :: NaiveDate >"),
            "{code}"
        );
    }

    #[test]
    fn serde_renames_attributes_to_their_names() {
        let sql = "CREATE TYPE point2 AS (\"xPos\" int, y int);\n";
        let features = Features {
            serde: true,
            ..Features::DEFAULT
        };
        let code = generate(sql, features).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("serde (rename = \"xPos\")"), "{code}");
        assert!(
            code.contains("derive (Debug , Clone , PartialEq , Default , Serialize , Deserialize)"),
            "{code}"
        );
    }

    #[test]
    fn a_type_behind_a_disabled_feature_is_an_error_naming_the_feature() {
        let sql = "CREATE TABLE t (id uuid PRIMARY KEY, at timestamptz);\n";
        assert_eq!(
            generate(sql, Features::default()),
            Err(vec![
                "column `t.id` is `uuid`, which needs feature `uuid` of `sqlschema`".to_string(),
                "column `t.at` is `timestamp with time zone`, which needs feature `chrono` (or `time`) of `sqlschema`".to_string(),
            ])
        );
    }

    #[test]
    fn records_convert_fields_by_column_and_give_the_key_in_key_order() {
        let sql = "CREATE TYPE mood AS ENUM ('ok');\n\
                   CREATE TABLE t (a int, \"B\" varchar(5) NOT NULL, c mood, PRIMARY KEY (c, a));\n";
        let code = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        let record = code
            .split("impl :: sqlschema :: __private :: Record for T")
            .nth(1)
            .unwrap_or_else(|| panic!("no `Record` impl: {code}"));
        assert!(
            record.contains(
                r#"COLUMN_TYPES : & 'static [& 'static str] = & ["integer" , "character varying(5)" , "mood"]"#
            ),
            "{record}"
        );
        // Each field with its column's name, then the key's fields in key
        // order, for the facade's `record_methods!`.
        assert!(
            record.contains(r#"record_methods ! ({ a : "a" , b : "B" , c : "c" } { c , a })"#),
            "{record}"
        );
        assert!(
            code.contains("impl :: sqlschema :: __private :: Field for Mood"),
            "{code}"
        );
        assert!(
            code.contains(r#"value . parse ("a `mood` label")"#),
            "{code}"
        );
    }

    #[test]
    fn serde_renames_fields_to_their_columns_and_variants_to_their_labels() {
        let sql = "CREATE TYPE mood AS ENUM ('in progress');\n\
                   CREATE TABLE t (\"userId\" int PRIMARY KEY, m mood);\n";
        let features = Features {
            serde: true,
            ..Features::DEFAULT
        };
        let code = generate(sql, features).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(code.contains("serde (rename = \"userId\")"), "{code}");
        assert!(code.contains("serde (rename = \"in progress\")"), "{code}");
        assert!(code.contains("pub user_id : i32"), "{code}");
        assert!(code.contains("pub m : Option < Mood >"), "{code}");
    }

    #[test]
    fn sqlx_derives_name_columns_and_labels() {
        let sql = "CREATE TYPE app_mood AS ENUM ('in progress', 'ok');\n\
                   CREATE TABLE t (\"userId\" int PRIMARY KEY, \"type\" text, m app_mood);\n";
        let features = Features {
            sqlx: true,
            ..Features::DEFAULT
        };
        let code = generate(sql, features).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(
            code.contains(
                "derive (Debug , Clone , PartialEq , :: sqlschema :: __private :: sqlx :: FromRow)"
            ),
            "{code}"
        );
        assert!(
            code.contains("# [sqlx (rename = \"userId\")] pub user_id : i32"),
            "{code}"
        );
        assert!(code.contains("pub r#type : Option < String >"), "{code}");
        assert!(!code.contains("rename = \"type\""), "{code}");
        assert!(
            code.contains(
                ":: sqlschema :: __private :: sqlx :: Type)] # [sqlx (type_name = \"app_mood\")]"
            ),
            "{code}"
        );
        assert!(
            code.contains("# [sqlx (rename = \"in progress\")] InProgress"),
            "{code}"
        );
        assert!(code.contains("# [sqlx (rename = \"ok\")] Ok"), "{code}");
        let plain = generate(sql, Features::DEFAULT).unwrap_or_else(|e| panic!("{e:?}"));
        // (The async methods' docs name `&sqlx::PgPool` as a connection.)
        assert!(!plain.contains(":: sqlx"), "{plain}");
        assert!(!plain.contains("# [sqlx"), "{plain}");
    }
}
