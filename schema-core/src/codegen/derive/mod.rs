//! `#[derive(Schema)]`, all of it but the compiler's side: parse the struct
//! into a `StructSpec` (keeping the tokens each part came from: `parse`),
//! compare it with its table (`check`), and place each error on the smallest
//! token it is about. A struct that models every column (not `partial`) also
//! gets `impl Record`. With errors, fallback impls are still emitted, so the
//! user sees the real errors and no follow-on ones.

pub(crate) mod check;
mod parse;
#[cfg(test)]
mod snapshots;

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{DeriveInput, LitStr};

use self::check::{ModelInfo, StructPart, StructSpec};
use self::parse::{Parsed, parse};
use crate::Project;
use crate::codegen::analysis_cache as cache;
use crate::codegen::host::Host;
use crate::codegen::track::track;
use crate::codegen::{self, compile_error_text};

/// `#[derive(Schema)]` over `proc_macro2` tokens, for a crate whose manifest
/// directory is `root`.
pub fn derive_at(host: &Host, root: &Path, input: TokenStream) -> TokenStream {
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
        tracked = track(&read, host);
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
            match check::check_struct(&loaded.declared, &schema_file, &spec, host.features) {
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
            let mut items = codegen::record_items(
                &fields,
                &info.columns,
                &info.column_types,
                &info.primary_key,
                true,
            );
            items.extend(info.kinds.consts());
            let key: Vec<(TokenStream, TokenStream)> = info
                .primary_key
                .iter()
                .filter_map(|k| info.columns.iter().position(|c| c == k))
                .filter_map(|i| parsed.fields.get(i))
                .map(|f| {
                    (
                        f.field.ident.to_token_stream(),
                        f.field.ty.to_token_stream(),
                    )
                })
                .collect();
            let methods = codegen::row_methods((!key.is_empty()).then_some(&key[..]));
            Some((items, methods))
        }
        (false, false) => Some((fallback_record_items(), fallback_row_methods())),
    };
    let record = record.map(|(items, methods)| {
        quote! {
            impl #impl_generics ::sqlschema::__private::Record for #ident #ty_generics #where_clause {
                #items
            }

            impl #impl_generics #ident #ty_generics #where_clause {
                #methods
            }
        }
    });
    let errors = errors.iter().map(syn::Error::to_compile_error);
    quote! {
        #(#errors)*
        impl #impl_generics ::sqlschema::__private::Model for #ident #ty_generics #where_clause {
            #consts
        }
        #record
        #tracked
    }
}

/// The items of `impl ::sqlschema::Record` for a struct that does not check:
/// they use no field, so code using the struct as a record reports no
/// follow-on error (and the crate does not build, so they never run).
fn fallback_record_items() -> TokenStream {
    quote! {
        const COLUMN_TYPES: &'static [&'static str] = &[];

        fn to_values(&self) -> ::std::vec::Vec<::sqlschema::__private::Value> {
            ::std::vec::Vec::new()
        }

        fn from_values(
            _: ::std::vec::Vec<::sqlschema::__private::Value>,
        ) -> ::core::result::Result<Self, ::sqlschema::__private::RowError> {
            ::core::result::Result::Err(::sqlschema::__private::RowError::InvalidModel {
                table: <Self as ::sqlschema::__private::Model>::TABLE,
                message: ::std::string::String::from("the struct does not match its table"),
            })
        }

        fn key_values(&self) -> ::std::vec::Vec<::sqlschema::__private::Value> {
            ::std::vec::Vec::new()
        }
    }
}

/// The row methods of a struct that does not check: every one of them, the
/// key of any type, so that calls report no follow-on error (and the crate
/// does not build, so they never run).
fn fallback_row_methods() -> TokenStream {
    let methods = ["insert", "update", "delete"].map(|name| {
        let name = syn::Ident::new(name, proc_macro2::Span::call_site());
        quote! {
            #[doc(hidden)]
            pub fn #name<D>(&self, _: D) -> ::core::result::Result<bool, ::sqlschema::__private::RowError> {
                ::core::result::Result::Ok(false)
            }
        }
    });
    quote! {
        #(#methods)*

        #[doc(hidden)]
        pub fn key(&self) {}

        #[doc(hidden)]
        pub fn find<D, K>(_: D, _: K) -> ::core::result::Result<::core::option::Option<Self>, ::sqlschema::__private::RowError> {
            ::core::result::Result::Ok(::core::option::Option::None)
        }

        #[doc(hidden)]
        pub fn delete_by_key<D, K>(_: D, _: K) -> ::core::result::Result<bool, ::sqlschema::__private::RowError> {
            ::core::result::Result::Ok(false)
        }

        #[doc(hidden)]
        pub fn all<D>(_: D) -> ::core::result::Result<::std::vec::Vec<Self>, ::sqlschema::__private::RowError> {
            ::core::result::Result::Ok(::std::vec::Vec::new())
        }
    }
}

/// The error for a struct whose schema file does not parse: one error, with the
/// file's first, rather than the file's errors once per derive.
fn unusable_schema(
    input: &DeriveInput,
    parsed: &Parsed<'_>,
    schema_file: &str,
    loaded: &crate::Loaded,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matching_struct_expands_to_its_model_impl_only() {
        let out = derive_at(
            &Host::for_tests(),
            &Host::workspace_root(),
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
            &Host::for_tests(),
            &Host::workspace_root(),
            quote! {
                #[schema(table = "users", partial)]
                struct Login { id: i32, #[schema(column = "username")] name: String }
            },
        )
        .to_string();
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains("impl :: sqlschema :: __private :: Model for Login"),
            "{out}"
        );
        assert!(out.contains("\"username\""), "{out}");
        assert!(out.contains("include_bytes"), "{out}");
    }

    #[test]
    fn errors_come_with_a_fallback_impl() {
        let out = derive_at(
            &Host::for_tests(),
            &Host::workspace_root(),
            quote! {
                #[schema(table = "users", partial)]
                struct Login { id: i64 }
            },
        )
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("field `id` has type `i64`"), "{out}");
        assert!(
            out.contains("impl :: sqlschema :: __private :: Model for Login"),
            "{out}"
        );
    }

    #[test]
    fn a_struct_of_every_column_is_also_a_record() {
        let line = |extra: TokenStream| {
            derive_at(
                &Host::for_tests(),
                &Host::workspace_root(),
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
        assert!(
            out.contains("impl :: sqlschema :: __private :: Record for Line"),
            "{out}"
        );
        assert!(
            out.contains(r#"["integer" , "text" , "smallint" , "integer"]"#),
            "column types in field order: {out}"
        );
        assert!(out.contains(r#"kind : row . take ("type") ?"#), "{out}");
        assert!(
            out.contains("fn key_values (& self) -> :: std :: vec :: Vec < :: sqlschema :: __private :: Value > { :: std :: vec :: Vec :: from ([:: sqlschema :: __private :: Field :: to_value (& self . order) , :: sqlschema :: __private :: Field :: to_value (& self . line)]) }"),
            "the key in key order: {out}"
        );
        let out = line(quote!(extra: i32,));
        assert!(out.contains("compile_error"), "{out}");
        assert!(
            out.contains("impl :: sqlschema :: __private :: Record for Line")
                && out.contains("the struct does not match its table"),
            "a fallback record, so that uses of it report nothing more: {out}"
        );
        let partial = derive_at(
            &Host::for_tests(),
            &Host::workspace_root(),
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
}
