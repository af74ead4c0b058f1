//! What views, functions, triggers and policies read, resolved against a parsed schema.

use schema_core::model::QualifiedName;
use schema_core::model::depends::Reads;

#[test]
fn resolve_keeps_the_schemas_objects_and_their_columns() {
    let schema = schema_core::parse::parse_schema_str(
        "s.sql",
        "CREATE SCHEMA app; CREATE TABLE app.users (id int, name text);\
         CREATE TABLE orders (id int, total int); CREATE TYPE mood AS ENUM ('a');",
    )
    .unwrap();
    let reads = Reads::of_sql(
        "SELECT o.total, u.name::mood, now() FROM orders o JOIN app.users u ON true",
        &schema,
    );
    let rels: Vec<String> = reads.relations.iter().map(ToString::to_string).collect();
    assert_eq!(rels, vec!["app.users", "orders"]);
    assert!(
        reads
            .columns
            .contains(&(QualifiedName::public("orders"), "total".into()))
    );
    assert!(
        !reads
            .columns
            .contains(&(QualifiedName::public("orders"), "id".into()))
    );
    assert!(reads.types.contains(&QualifiedName::public("mood")));
    assert!(reads.functions.contains(&QualifiedName::public("now")));
}
