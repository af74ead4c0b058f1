//! Read-only models of views and materialized views: one struct per view,
//! every field an `Option` (a view's column may be NULL whatever it reads),
//! with `impl ::sqlschema::Model` (no primary key) and `impl
//! ::sqlschema::ViewRecord`, which reads every row (`all()`) and nothing else.
//!
//! A field's type is its column's, as far as the model knows it: a plain
//! column of a table (or view) the query reads, or a cast (`x::integer`). A
//! column whose type the query does not say is an error naming it; casting it
//! in the query (`count(*)::bigint AS n`) says it.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostic::{Diagnostic, codes as diag_codes};
use crate::model::View;

use super::models::{ModelNames, doc, model_consts};
use super::names;
use super::types::{Features, rust_type};

/// The struct of `view`, or a diagnostic per column it cannot type.
pub(super) fn view_item(
    view: &View,
    model: &str,
    names: &ModelNames,
    features: Features,
    krates: &mut BTreeSet<&'static str>,
) -> Result<TokenStream, Vec<Diagnostic>> {
    let mut diagnostics = Vec::new();
    let mut fields = Vec::new();
    let mut idents = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut types = Vec::new();
    for column in &view.columns {
        let field = names::field_name(&column.name);
        if !seen.insert(field.clone()) {
            diagnostics.push(
                Diagnostic::error(
                    diag_codes::MODEL_NAME_CLASH,
                    format!(
                        "two columns of {} `{}` would both be field `{field}`",
                        view.describe(),
                        view.name
                    ),
                )
                .at(&view.origin)
                .help("give the columns distinct names (`AS name`)"),
            );
            continue;
        }
        let Some(data_type) = &column.data_type else {
            diagnostics.push(
                Diagnostic::error(
                    diag_codes::UNSUPPORTED_FEATURE,
                    format!(
                        "the type of column `{}` of {} `{}` is not known from its query",
                        column.name,
                        view.describe(),
                        view.name
                    ),
                )
                .at(&view.origin)
                .label("declared here")
                .note("a view's column has a known type when it is a plain column of a table it reads, or a cast")
                .help(format!(
                    "cast it in the query: `(...)::type AS {}`",
                    crate::model::names::quote_ident(&column.name)
                )),
            );
            continue;
        };
        let sql_type = names.column_type(data_type);
        let ty = match rust_type(&sql_type, names, features) {
            Ok(ty) => ty,
            Err(needs) => {
                diagnostics.push(
                    Diagnostic::error(
                        diag_codes::FEATURE_DISABLED,
                        format!(
                            "column `{}` of {} `{}` is `{data_type}`, which needs {} of `sqlschema`",
                            column.name,
                            view.describe(),
                            view.name,
                            needs.describe()
                        ),
                    )
                    .at(&view.origin)
                    .help(format!("enable feature `{}` of `sqlschema`", needs.feature)),
                );
                continue;
            }
        };
        ty.krates(krates);
        let ty = ty.tokens();
        let line = format!("`{} {data_type}`", column.name);
        let docs = match &column.comment {
            Some(comment) => doc(&format!("{comment}\n\n{line}")),
            None => doc(&line),
        };
        let rename = if features.serde && field != column.name {
            let name = &column.name;
            quote!(#[serde(rename = #name)])
        } else {
            TokenStream::new()
        };
        let sqlx = super::models::sqlx_rename(features, &field, &column.name);
        let ident = names::ident(&field);
        idents.push(ident.clone());
        types.push(sql_type.to_string());
        fields.push(quote! {
            #docs
            #rename
            #sqlx
            pub #ident: Option<#ty>,
        });
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let ident = names::ident(model);
    let summary = format!(
        "A row of {} `{}` (read-only: `all()`).",
        view.describe(),
        view.name
    );
    let docs = match &view.comment {
        Some(comment) => doc(&format!("{comment}\n\n{summary}")),
        None => doc(&summary),
    };
    let (derives, serde) = if features.serde {
        (
            quote!(, Serialize, Deserialize),
            quote!(#[serde(crate = "::sqlschema::__private::serde")]),
        )
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let (from_row, _) = super::models::sqlx_derive(features, "FromRow", None);
    let derives = quote!(#derives #from_row);
    let columns: Vec<String> = view.columns.iter().map(|c| c.name.clone()).collect();
    let consts = model_consts(&view.name.to_string(), &columns, &[]);
    let takes = idents
        .iter()
        .zip(&columns)
        .map(|(field, column)| quote!(#field: row.take(#column)?));
    Ok(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq #derives)]
        #serde
        pub struct #ident {
            #(#fields)*
        }

        impl ::sqlschema::__private::Model for #ident {
            #consts
        }

        impl ::sqlschema::__private::ViewRecord for #ident {
            const COLUMN_TYPES: &'static [&'static str] = &[#(#types),*];

            fn from_values(values: Vec<::sqlschema::__private::Value>) -> Result<Self, ::sqlschema::__private::RowError> {
                let mut row = ::sqlschema::__private::RowValues::new::<Self>(values)?;
                Ok(Self {
                    #(#takes,)*
                })
            }
        }
    })
}
