//! The arguments of `schema!(schema = "...", migrations = "...", derive(...),
//! attr(...))`.
//!
//! - `derive(Eq, Hash)` adds derives to every table's model and insert
//!   struct; `derive(users: Hash)` (or `derive("app.items": Hash)`) to one
//!   table's only.
//! - `attr(serde(rename_all = "camelCase"))` adds an attribute to each of
//!   them likewise; `attr(users: non_exhaustive)` to one table's.
//!
//! Both may be given several times. Which derives a model's columns allow is
//! checked in [`super::derives`].

use proc_macro2::Span;
#[cfg(test)]
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Meta, Path, Token};

/// The parsed arguments; each path keeps its literal for error spans.
#[derive(Default)]
pub(crate) struct SchemaArgs {
    /// `schema = "path/to/schema.sql"`.
    pub(crate) schema: Option<LitStr>,
    /// `migrations = "path/to/migrations"`.
    pub(crate) migrations: Option<LitStr>,
    /// `derive(...)`: each derive, with the table it is for (`None`: every
    /// table).
    pub(crate) derives: Vec<(Option<TableRef>, Path)>,
    /// `attr(...)`: each attribute's inside, with the table it is for.
    pub(crate) attrs: Vec<(Option<TableRef>, Meta)>,
    /// `online_lints = "deny"`, `pg_version = 15`, `style_lints = true`,
    /// `online_after = 20240101000000`: the online lints' settings.
    pub(crate) online: crate::lint::online::Settings,
}

/// A table named in `derive(users: ...)`: its name as written and where.
#[derive(Clone)]
pub(crate) struct TableRef {
    /// The name (`users`, `app.items`).
    pub(crate) name: String,
    /// The token it was written as.
    pub(crate) span: Span,
}

const HELP: &str = "help: the arguments are `schema = \"schema.sql\"`, \
    `migrations = \"migrations\"`, `derive(Trait, ..)` or `derive(table: Trait, ..)`, \
    `attr(attribute, ..)` or `attr(table: attribute, ..)`, and for the online lints \
    `online_lints = \"off\" | \"warn\" | \"deny\"`, `pg_version = 13`, \
    `style_lints = true` and `online_after = <version>`, all optional";

impl SchemaArgs {
    /// The text of the arguments that change the generated code (not the
    /// paths, which the cache key holds resolved): part of the disk cache's
    /// key.
    pub(crate) fn codegen_key(&self) -> String {
        let table = |t: &Option<TableRef>| t.as_ref().map(|t| t.name.clone()).unwrap_or_default();
        let derives = self
            .derives
            .iter()
            .map(|(t, p)| format!("{}:{}", table(t), p.to_token_stream()));
        let attrs = self
            .attrs
            .iter()
            .map(|(t, m)| format!("{}:{}", table(t), m.to_token_stream()));
        derives
            .chain(attrs)
            .chain(std::iter::once(self.online.key()))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `table:` before the items of `derive(...)`/`attr(...)`, if there.
fn table_prefix(input: ParseStream<'_>) -> syn::Result<Option<TableRef>> {
    let table = if input.peek(LitStr) && input.peek2(Token![:]) {
        let lit: LitStr = input.parse()?;
        Some(TableRef {
            name: lit.value(),
            span: lit.span(),
        })
    } else if input.peek(Ident) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
        let ident: Ident = input.parse()?;
        Some(TableRef {
            name: ident.to_string(),
            span: ident.span(),
        })
    } else {
        None
    };
    if table.is_some() {
        input.parse::<Token![:]>()?;
    }
    Ok(table)
}

impl Parse for SchemaArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = SchemaArgs::default();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            if key == "derive" || key == "attr" {
                let content;
                syn::parenthesized!(content in input);
                let table = table_prefix(&content)?;
                if content.is_empty() {
                    return Err(syn::Error::new(
                        key.span(),
                        format!(
                            "`{key}(..)` is empty\nhelp: name what to add, e.g. `{}`",
                            if key == "derive" {
                                "derive(Eq, Hash)"
                            } else {
                                "attr(serde(rename_all = \"camelCase\"))"
                            }
                        ),
                    ));
                }
                if key == "derive" {
                    let paths = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
                    args.derives
                        .extend(paths.into_iter().map(|p| (table.clone(), p)));
                } else {
                    let metas = Punctuated::<Meta, Token![,]>::parse_terminated(&content)?;
                    args.attrs
                        .extend(metas.into_iter().map(|m| (table.clone(), m)));
                }
            } else if key == "online_lints" {
                input.parse::<Token![=]>()?;
                let value: LitStr = input.parse()?;
                args.online.level = crate::lint::online::Level::parse(&value.value())
                    .map_err(|e| syn::Error::new(value.span(), e))?;
            } else if key == "pg_version" {
                input.parse::<Token![=]>()?;
                let value: syn::LitInt = input.parse()?;
                args.online.pg_version =
                    crate::lint::online::Settings::parse_pg_version(value.base10_digits())
                        .map_err(|e| syn::Error::new(value.span(), e))?;
            } else if key == "style_lints" {
                input.parse::<Token![=]>()?;
                let value: syn::LitBool = input.parse()?;
                args.online.style = value.value;
            } else if key == "online_after" {
                input.parse::<Token![=]>()?;
                let value: syn::LitInt = input.parse()?;
                args.online.after = Some(value.base10_parse::<u64>()?);
            } else {
                let slot = if key == "schema" {
                    &mut args.schema
                } else if key == "migrations" {
                    &mut args.migrations
                } else {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("unknown argument `{key}`\n{HELP}"),
                    ));
                };
                input.parse::<Token![=]>()?;
                let value: LitStr = input.parse()?;
                if slot.is_some() {
                    return Err(syn::Error::new(
                        key.span(),
                        format!("`{key}` is given twice"),
                    ));
                }
                *slot = Some(value);
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse(tokens: TokenStream) -> Result<SchemaArgs, String> {
        syn::parse2::<SchemaArgs>(tokens).map_err(|e| e.to_string())
    }

    #[test]
    fn derives_and_attributes_for_every_table_or_one() {
        let args = parse(quote!(
            schema = "db/schema.sql",
            derive(Eq, ::std::hash::Hash),
            derive(users: Default),
            derive("app.items": Ord),
            attr(serde(rename_all = "camelCase"), non_exhaustive),
            attr(users: doc = "x"),
        ))
        .unwrap_or_else(|e| panic!("{e}"));
        let derives: Vec<String> = args
            .derives
            .iter()
            .map(|(t, p)| {
                format!(
                    "{}{}",
                    t.as_ref()
                        .map(|t| format!("{}: ", t.name))
                        .unwrap_or_default(),
                    p.to_token_stream()
                )
            })
            .collect();
        assert_eq!(
            derives,
            [
                "Eq",
                ":: std :: hash :: Hash",
                "users: Default",
                "app.items: Ord"
            ]
        );
        assert_eq!(args.attrs.len(), 3);
        assert!(args.attrs[2].0.is_some());
        assert!(args.codegen_key().contains("users:doc = \"x\""));
    }

    #[test]
    fn mistakes_are_errors_that_say_what_is_expected() {
        let err = parse(quote!(derives(Eq))).err().unwrap_or_default();
        assert!(err.contains("unknown argument `derives`"), "{err}");
        assert!(err.contains("derive(Trait, ..)"), "{err}");
        let err = parse(quote!(derive())).err().unwrap_or_default();
        assert!(err.contains("`derive(..)` is empty"), "{err}");
        assert!(parse(quote!(derive(Eq Hash))).is_err());
        assert!(parse(quote!(attr(= 1))).is_err());
        let err = parse(quote!(schema = "a", schema = "b"))
            .err()
            .unwrap_or_default();
        assert!(err.contains("given twice"), "{err}");
    }
}
