//! `MIGRATIONS`: every migration of the replayed history as a
//! `::sqlschema::__private::Migration`, with its PostgreSQL text and its SQLite rendering.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::render_cache;
use crate::migrations::dialects::{DialectSql, Embedded, Fresh};
use crate::migrations::replay::Replay;

fn script(sql: &DialectSql) -> TokenStream {
    let (up, down) = (&sql.up, &sql.down);
    quote!(::sqlschema::__private::Script { up: #up, down: #down })
}

fn migration(e: &Embedded) -> TokenStream {
    let version = Literal::u64_unsuffixed(e.version);
    let (name, checksum, no_transaction) = (&e.name, &e.checksum, e.no_transaction);
    let postgres = script(&e.postgres);
    let sqlite = match &e.sqlite {
        Ok(sql) => {
            let sql = script(sql);
            quote!(::core::result::Result::Ok(#sql))
        }
        Err(why) => quote!(::core::result::Result::Err(#why)),
    };
    quote! {
        ::sqlschema::__private::Migration {
            version: #version,
            name: #name,
            checksum: #checksum,
            no_transaction: #no_transaction,
            postgres: #postgres,
            sqlite: #sqlite,
        }
    }
}

/// `pub static MIGRATIONS: ::sqlschema::__private::Migrations = ...;` for a replayed history.
pub fn migrations(replay: &Replay) -> TokenStream {
    // Rendering for SQLite walks expressions: every migration on one stack of
    // its own (this runs on the compiler's thread).
    let (embedded, fresh, _) = crate::stack::on_big_stack(|| render_cache::embed(replay, None));
    tokens(replay, &embedded, &fresh)
}

/// The tokens of `MIGRATIONS`: `embedded` and `fresh` are the history of
/// `replay` rendered ([`render_cache::embed`]). Tokens are made on the
/// compiler's thread only (inside a macro, `proc_macro2` uses the compiler's
/// tokens, which no other thread may touch).
pub(crate) fn tokens(replay: &Replay, embedded: &[Embedded], fresh: &Fresh) -> TokenStream {
    let items = embedded.iter().map(migration);
    let ignoring = replay
        .migrated
        .privileges_ignored
        .then(|| quote!(.ignoring_privileges()));
    let option = |script: &Option<String>| match script {
        Some(sql) => quote!(::core::option::Option::Some(#sql)),
        None => quote!(::core::option::Option::None),
    };
    let (postgres, sqlite) = (option(&fresh.postgres), option(&fresh.sqlite));
    quote! {
        /// Every migration of the project's history, in version order, as
        /// PostgreSQL and SQLite run them, and the schema they leave created
        /// at once (for an empty database, when the history allows it).
        pub static MIGRATIONS: ::sqlschema::__private::Migrations = ::sqlschema::__private::Migrations::new(&[
            #(#items),*
        ])#ignoring.with_fresh(::sqlschema::__private::Fresh { postgres: #postgres, sqlite: #sqlite });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Schema;

    #[test]
    fn a_project_that_ignores_privileges_says_so_to_the_runtime() {
        let plain = Replay {
            migrated: Schema::new(),
            ..Replay::default()
        };
        assert!(
            !migrations(&plain)
                .to_string()
                .contains("ignoring_privileges")
        );
        let ignoring = Replay {
            migrated: Schema::new().ignoring_privileges(),
            ..Replay::default()
        };
        assert!(
            migrations(&ignoring)
                .to_string()
                .contains(". ignoring_privileges ()")
        );
    }
}
