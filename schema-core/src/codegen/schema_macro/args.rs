//! The arguments of `schema!(schema = "...", migrations = "...")`.

use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

/// The parsed arguments; each path keeps its literal for error spans.
#[derive(Default)]
pub(crate) struct SchemaArgs {
    /// `schema = "path/to/schema.sql"`.
    pub(crate) schema: Option<LitStr>,
    /// `migrations = "path/to/migrations"`.
    pub(crate) migrations: Option<LitStr>,
}

impl Parse for SchemaArgs {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut args = SchemaArgs::default();
        while !input.is_empty() {
            let key: Ident = input.parse()?;
            let slot = if key == "schema" {
                &mut args.schema
            } else if key == "migrations" {
                &mut args.migrations
            } else {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown argument `{key}`\n\
                         help: the arguments are `schema = \"schema.sql\"` and `migrations = \"migrations\"`, both optional"
                    ),
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
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(args)
    }
}
