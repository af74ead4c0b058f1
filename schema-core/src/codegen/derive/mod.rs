//! `#[derive(Schema)]`: parse the struct into a `StructSpec` (keeping the
//! tokens each part came from), let `schema_core::codegen::check_struct` compare
//! it with its table, and place each error on the smallest token it is about.
//! A struct that models every column (not `partial`) also gets `impl Record`.
//! With errors, fallback impls are still emitted, so the user sees the real
//! errors and no follow-on ones.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use schema_core::Project;
use schema_core::codegen::{
    self, FieldSpec, FieldType, ModelInfo, PathSegment, StructPart, StructSpec, compile_error_text,
};
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, GenericArgument, LitStr, PathArguments, Type};

use crate::cache;
use crate::track::track;

/// `#[derive(Schema)]` over `proc_macro2` tokens, with the crate's manifest directory.
pub(crate) fn derive_inner(input: TokenStream) -> TokenStream {
    derive_at(&cache::manifest_dir(), input)
}

/// The struct as parsed: the spec for the engine and the syntax for spans.
struct Parsed<'a> {
    input: &'a DeriveInput,
    table: Option<LitStr>,
    schema: Option<LitStr>,
    partial: bool,
    fields: Vec<ParsedField<'a>>,
}

struct ParsedField<'a> {
    field: &'a syn::Field,
    column: Option<LitStr>,
    /// The `T` of `Option<T>`, else the whole type.
    value_ty: &'a Type,
    spec: FieldSpec,
}

/// `#[derive(Schema)]` for a crate whose manifest directory is `root`.
pub(crate) fn derive_at(root: &Path, input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let mut errors = Vec::new();
    let parsed = parse(&input, &mut errors);
    let spec = StructSpec {
        name: input.ident.to_string(),
        table: parsed.table.as_ref().map(LitStr::value).unwrap_or_default(),
        partial: parsed.partial,
        fields: parsed.fields.iter().map(|f| f.spec.clone()).collect(),
    };
    let mut tracked = TokenStream::new();
    let mut info = None;
    if errors.is_empty() {
        let mut project = Project::new(root);
        if let Some(path) = &parsed.schema {
            project = project.with_schema(path.value());
        }
        let (loaded, inputs) = cache::load(&project);
        let schema_path = project.schema_path();
        let read: Vec<_> = inputs
            .files
            .into_iter()
            .filter(|f| *f == schema_path)
            .collect();
        tracked = track(&read);
        let schema_file = project.display(&schema_path);
        if !loaded.declared_ok {
            errors.push(unusable_schema(&input, &parsed, &schema_file, &loaded));
        } else if parsed.table.is_none() {
            let table = codegen::table_for_struct(&loaded.declared, &spec.name)
                .unwrap_or_else(|| "<table>".to_string());
            errors.push(syn::Error::new(
                input.ident.span(),
                format!(
                    "`#[derive(Schema)]` needs to know which table `{}` models\n\
                     help: add `#[schema(table = \"{table}\")]` above the struct",
                    input.ident
                ),
            ));
        } else {
            match codegen::check_struct(&loaded.declared, &schema_file, &spec, cache::features()) {
                Ok(checked) => info = Some(checked),
                Err(found) => errors.extend(
                    found
                        .iter()
                        .map(|e| error_at(&parsed, e.at, compile_error_text(&e.diagnostic))),
                ),
            }
        }
    }
    let checked = info.is_some();
    let info = info.unwrap_or_else(|| ModelInfo::fallback(&spec));
    let consts = codegen::model_consts(&info.table, &info.columns, &info.primary_key);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let record = match (parsed.partial, checked) {
        (true, _) => None,
        (false, true) => {
            let fields: Vec<TokenStream> = parsed
                .fields
                .iter()
                .map(|f| f.field.ident.to_token_stream())
                .collect();
            Some(codegen::record_items(
                &fields,
                &info.columns,
                &info.column_types,
                &info.primary_key,
                true,
            ))
        }
        (false, false) => Some(fallback_record_items()),
    };
    let record = record.map(|items| {
        quote! {
            impl #impl_generics ::schema::Record for #ident #ty_generics #where_clause {
                #items
            }
        }
    });
    let errors = errors.iter().map(syn::Error::to_compile_error);
    quote! {
        #(#errors)*
        impl #impl_generics ::schema::Model for #ident #ty_generics #where_clause {
            #consts
        }
        #record
        #tracked
    }
}

/// The items of `impl ::schema::Record` for a struct that does not check:
/// they use no field, so code using the struct as a record reports no
/// follow-on error (and the crate does not build, so they never run).
fn fallback_record_items() -> TokenStream {
    quote! {
        const COLUMN_TYPES: &'static [&'static str] = &[];

        fn to_values(&self) -> ::std::vec::Vec<::schema::Value> {
            ::std::vec::Vec::new()
        }

        fn from_values(
            _: ::std::vec::Vec<::schema::Value>,
        ) -> ::core::result::Result<Self, ::schema::RowError> {
            ::core::result::Result::Err(::schema::RowError::InvalidModel {
                table: <Self as ::schema::Model>::TABLE,
                message: ::std::string::String::from("the struct does not match its table"),
            })
        }

        fn key_values(&self) -> ::std::vec::Vec<::schema::Value> {
            ::std::vec::Vec::new()
        }
    }
}

/// The error for a struct whose schema file does not parse: one error, with the
/// file's first, rather than the file's errors once per derive.
fn unusable_schema(
    input: &DeriveInput,
    parsed: &Parsed<'_>,
    schema_file: &str,
    loaded: &schema_core::Loaded,
) -> syn::Error {
    let first = loaded
        .diagnostics
        .iter()
        .find(|d| {
            d.is_error()
                && d.origin
                    .as_ref()
                    .is_some_and(|o| o.source.path == schema_file)
        })
        .or_else(|| loaded.diagnostics.iter().find(|d| d.is_error()));
    let mut text = format!("cannot check `{}`: `{schema_file}` has errors", input.ident);
    if let Some(first) = first {
        text.push_str("; the first is:\n");
        text.push_str(&compile_error_text(first));
    }
    let span = parsed
        .schema
        .as_ref()
        .map_or_else(|| input.ident.span(), LitStr::span);
    syn::Error::new(span, text)
}

/// An error on the part of the struct it is about (the struct's name when
/// that part is missing).
fn error_at(parsed: &Parsed<'_>, part: StructPart, message: String) -> syn::Error {
    let field = |i: usize| parsed.fields.get(i);
    let tokens: TokenStream = match part {
        StructPart::Table => parsed.table.to_token_stream(),
        StructPart::StructName => TokenStream::new(),
        StructPart::Column(i) => field(i)
            .map(|f| match &f.column {
                Some(lit) => lit.to_token_stream(),
                None => f.field.ident.to_token_stream(),
            })
            .unwrap_or_default(),
        StructPart::Type(i) => field(i)
            .map(|f| f.field.ty.to_token_stream())
            .unwrap_or_default(),
        StructPart::ValueType(i) => field(i)
            .map(|f| f.value_ty.to_token_stream())
            .unwrap_or_default(),
    };
    if tokens.is_empty() {
        syn::Error::new(parsed.input.ident.span(), message)
    } else {
        syn::Error::new_spanned(tokens, message)
    }
}

const STRUCT_KEYS: &str =
    "`table = \"<table>\"`, `partial` and `schema = \"<path to schema.sql>\"`";

/// Reads the struct, its attributes and its fields; problems go to `errors`.
fn parse<'a>(input: &'a DeriveInput, errors: &mut Vec<syn::Error>) -> Parsed<'a> {
    let mut parsed = Parsed {
        input,
        table: None,
        schema: None,
        partial: false,
        fields: Vec::new(),
    };
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let result = attr.parse_nested_meta(|meta| {
            let slot = if meta.path.is_ident("table") {
                &mut parsed.table
            } else if meta.path.is_ident("schema") {
                &mut parsed.schema
            } else if meta.path.is_ident("partial") {
                parsed.partial = true;
                return Ok(());
            } else if meta.path.is_ident("column") {
                return Err(meta.error(
                    "`column` goes on a field: `#[schema(column = \"<column>\")]`",
                ));
            } else {
                return Err(meta.error(format!(
                    "unknown `schema` attribute\nhelp: on a struct, the attributes are {STRUCT_KEYS}"
                )));
            };
            let value: LitStr = meta.value()?.parse()?;
            if slot.is_some() {
                return Err(meta.error("given twice"));
            }
            *slot = Some(value);
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    let fields = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named.named.iter().collect(),
            Fields::Unnamed(_) | Fields::Unit => {
                errors.push(syn::Error::new(
                    input.ident.span(),
                    "`#[derive(Schema)]` needs a struct with named fields, one per column",
                ));
                Vec::new()
            }
        },
        Data::Enum(_) | Data::Union(_) => {
            errors.push(syn::Error::new(
                input.ident.span(),
                "`#[derive(Schema)]` models a table with a struct with named fields, one per column",
            ));
            Vec::new()
        }
    };
    for field in fields {
        parsed.fields.push(parse_field(field, errors));
    }
    parsed
}

fn parse_field<'a>(field: &'a syn::Field, errors: &mut Vec<syn::Error>) -> ParsedField<'a> {
    let mut column: Option<LitStr> = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("schema")) {
        let result = attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("column") {
                return Err(meta.error(
                    "unknown `schema` attribute\nhelp: on a field, the attribute is `column = \"<column>\"`",
                ));
            }
            let value: LitStr = meta.value()?.parse()?;
            if column.is_some() {
                return Err(meta.error("given twice"));
            }
            column = Some(value);
            Ok(())
        });
        if let Err(e) = result {
            errors.push(e);
        }
    }
    let ty = field_type(&field.ty);
    let value_ty = match ty.option_inner() {
        Some(_) => last_type_argument(&field.ty).unwrap_or(&field.ty),
        None => &field.ty,
    };
    let name = field
        .ident
        .as_ref()
        .map(|i| i.unraw().to_string())
        .unwrap_or_default();
    ParsedField {
        field,
        spec: FieldSpec {
            name,
            column: column.as_ref().map(LitStr::value),
            ty,
        },
        column,
        value_ty,
    }
}

/// The one type argument of a path type's last segment (`T` of `Option<T>`).
fn last_type_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else {
        return None;
    };
    let PathArguments::AngleBracketed(args) = &path.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// A field's type reduced to what the engine compares.
fn field_type(ty: &Type) -> FieldType {
    match ty {
        Type::Group(group) => field_type(&group.elem),
        Type::Paren(paren) => field_type(&paren.elem),
        Type::Path(path) if path.qself.is_none() => FieldType::Path(
            path.path
                .segments
                .iter()
                .map(|segment| PathSegment {
                    name: segment.ident.unraw().to_string(),
                    args: match &segment.arguments {
                        PathArguments::AngleBracketed(args) => args
                            .args
                            .iter()
                            .filter_map(|a| match a {
                                GenericArgument::Type(t) => Some(field_type(t)),
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    },
                })
                .collect(),
        ),
        other => FieldType::Other(compact(&other.to_token_stream().to_string())),
    }
}

/// Token text without the spaces `to_string` puts around punctuation:
/// `& 'a [u8 ; 4]` reads `&'a [u8; 4]`.
fn compact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
            let next = chars.get(i + 1).copied();
            let glued_after = prev.is_some_and(|p| "<([&:".contains(p));
            let glued_before = next.is_some_and(|n| ">,;)]:<".contains(n));
            if glued_after || glued_before {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn a_matching_struct_expands_to_its_model_impl_only() {
        let out = derive_at(
            &root(),
            quote! {
                #[schema(table = "users", partial)]
                struct Login<'a> { id: i32, #[schema(column = "username")] name: &'a str }
            },
        )
        .to_string();
        assert!(
            out.contains("compile_error"),
            "a `&str` is not `String`: {out}"
        );
        let out = derive_at(
            &root(),
            quote! {
                #[schema(table = "users", partial)]
                struct Login { id: i32, #[schema(column = "username")] name: String }
            },
        )
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(out.contains("impl :: schema :: Model for Login"), "{out}");
        assert!(out.contains("\"username\""), "{out}");
        assert!(out.contains("include_bytes"), "{out}");
    }

    #[test]
    fn errors_come_with_a_fallback_impl() {
        let out = derive_at(
            &root(),
            quote! {
                #[schema(table = "users", partial)]
                struct Login { id: i64 }
            },
        )
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("field `id` has type `i64`"), "{out}");
        assert!(out.contains("impl :: schema :: Model for Login"), "{out}");
    }

    #[test]
    fn a_struct_of_every_column_is_also_a_record() {
        let line = |extra: TokenStream| {
            derive_at(
                &root(),
                quote! {
                    #[schema(table = "Order Lines", schema = "tests/fixtures/rows/schema.sql")]
                    struct Line {
                        quantity: i32,
                        #[schema(column = "type")]
                        kind: String,
                        line: i16,
                        #[schema(column = "orderId")]
                        order: i32,
                        #extra
                    }
                },
            )
            .to_string()
        };
        let out = line(TokenStream::new());
        assert!(!out.contains("compile_error"), "{out}");
        assert!(out.contains("impl :: schema :: Record for Line"), "{out}");
        assert!(
            out.contains(r#"["integer" , "text" , "smallint" , "integer"]"#),
            "column types in field order: {out}"
        );
        assert!(out.contains(r#"kind : row . take ("type") ?"#), "{out}");
        assert!(
            out.contains("fn key_values (& self) -> :: std :: vec :: Vec < :: schema :: Value > { :: std :: vec :: Vec :: from ([:: schema :: Field :: to_value (& self . order) , :: schema :: Field :: to_value (& self . line)]) }"),
            "the key in key order: {out}"
        );
        let out = line(quote!(extra: i32,));
        assert!(out.contains("compile_error"), "{out}");
        assert!(
            out.contains("impl :: schema :: Record for Line")
                && out.contains("the struct does not match its table"),
            "a fallback record, so that uses of it report nothing more: {out}"
        );
        let partial = derive_at(
            &root(),
            quote! {
                #[schema(table = "Order Lines", schema = "tests/fixtures/rows/schema.sql", partial)]
                struct Quantity { quantity: i32 }
            },
        )
        .to_string();
        assert!(!partial.contains("compile_error"), "{partial}");
        assert!(
            !partial.contains("Record"),
            "a partial struct is no record: {partial}"
        );
    }

    #[test]
    fn field_types_are_reduced_to_paths() {
        let ty: Type = syn::parse_quote!(Option<::chrono::DateTime<chrono::Utc>>);
        assert_eq!(
            field_type(&ty).to_string(),
            "Option<chrono::DateTime<chrono::Utc>>"
        );
        let ty: Type = syn::parse_quote!(&'static [u8]);
        assert_eq!(field_type(&ty).to_string(), "&'static [u8]");
        let ty: Type = syn::parse_quote!((i32, [u8; 4]));
        assert_eq!(field_type(&ty).to_string(), "(i32, [u8; 4])");
    }
}
