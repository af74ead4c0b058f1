//! The contrib extensions and their column types that `schema` knows
//! (`schema_core::model::contrib`) are the ones PostgreSQL ships: each listed
//! type is created by its listed extension on a real server, and each type an
//! extension creates is listed (or is an index support type no column holds).

#![allow(clippy::panic, reason = "a test reports failure by panicking")]

use std::collections::BTreeSet;

use schema_core::model::contrib::{CONTRIB_EXTENSIONS, CONTRIB_TYPES};
use schema_test_support::pg;

/// Types contrib extensions create for their index support (or as the rows
/// of their functions), which no column holds.
const SUPPORT_TYPES: &[&str] = &[
    "gbtreekey16",
    "gbtreekey2",
    "gbtreekey32",
    "gbtreekey4",
    "gbtreekey8",
    "gbtreekey_var",
    "ghstore",
    "gtrgm",
    "intbig_gkey",
    "ltree_gist",
    "tablefunc_crosstab_2",
    "tablefunc_crosstab_3",
    "tablefunc_crosstab_4",
];

#[test]
fn the_known_extension_types_are_what_postgres_creates() {
    let Some(server) = pg::server() else {
        return;
    };
    let database = server.create_database("schema_contrib");
    let mut client = database.connect();
    let available: BTreeSet<String> = client
        .query("SELECT name::text FROM pg_available_extensions", &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|r| r.get(0))
        .collect();
    let version: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .get(0);
    let known: BTreeSet<String> = CONTRIB_EXTENSIONS.iter().map(|e| e.to_string()).collect();
    if version / 10000 == 15 {
        assert_eq!(
            known, available,
            "PostgreSQL 15's contrib extensions differ from CONTRIB_EXTENSIONS"
        );
    }
    let with_types: BTreeSet<&str> = CONTRIB_TYPES.iter().map(|(_, e)| *e).collect();
    let mut created = BTreeSet::new();
    for extension in [
        "btree_gist",
        "hstore",
        "intarray",
        "ltree",
        "pg_trgm",
        "tablefunc",
    ]
    .into_iter()
    .chain(with_types.iter().copied())
    {
        if !available.contains(extension) {
            panic!("extension `{extension}` is not available on this server");
        }
        client
            .batch_execute(&format!(
                "CREATE EXTENSION IF NOT EXISTS \"{extension}\" CASCADE"
            ))
            .unwrap_or_else(|e| panic!("CREATE EXTENSION {extension}: {e}"));
    }
    for row in client
        .query(
            "SELECT e.extname::text, t.typname::text
             FROM pg_depend d
             JOIN pg_extension e ON e.oid = d.refobjid
             JOIN pg_type t ON t.oid = d.objid
             WHERE d.classid = 'pg_type'::regclass AND d.deptype = 'e'",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"))
    {
        let (extension, ty): (String, String) = (row.get(0), row.get(1));
        if !SUPPORT_TYPES.contains(&ty.as_str()) {
            created.insert((ty, extension));
        }
    }
    let listed: BTreeSet<(String, String)> = CONTRIB_TYPES
        .iter()
        .map(|(t, e)| (t.to_string(), e.to_string()))
        .collect();
    assert_eq!(
        listed, created,
        "CONTRIB_TYPES differs from what the extensions create"
    );
}
