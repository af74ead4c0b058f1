//! A deterministic synthetic project for performance measurements: `tables`
//! tables of 15 columns each (serial primary key, integer, bigint, varchar(n),
//! text, numeric(10,2), boolean and timestamptz with defaults, jsonb, uuid), two
//! indexes each, foreign keys to earlier tables and comments, declared in one
//! `schema.sql`, plus `2 * tables` migrations whose up.sql files replay to exactly
//! that schema and whose down.sql files undo them.
//!
//! Migration `2i` creates table `i` with its first 12 columns; migration `2i + 1`
//! adds the last 3 columns and a foreign key to table `i` (`ALTER TABLE ... ADD
//! COLUMN` / `ADD CONSTRAINT`), and the indexes and comments of the table before
//! it (`CREATE INDEX`, `COMMENT ON`); the last migration also finishes the last
//! table. Columns added by `ALTER TABLE` come last in schema.sql too.
//!
//! Used by `schema-core`'s `benches/analysis.rs` and `tests/perf_debug.rs`.

use std::fmt::Write as _;
use std::sync::Arc;

use schema_core::diagnostic::Source;
use schema_core::migrations::MigrationFiles;

/// The generated inputs of [`schema_core::analyze::analyze_sources`].
pub struct SyntheticProject {
    /// schema.sql.
    pub schema: Arc<Source>,
    /// The migrations in version order.
    pub migrations: Vec<MigrationFiles>,
}

impl SyntheticProject {
    /// Bytes of schema.sql.
    pub fn schema_bytes(&self) -> usize {
        self.schema.text.len()
    }

    /// Bytes of every up.sql and down.sql together.
    pub fn migration_bytes(&self) -> usize {
        self.migrations
            .iter()
            .map(|m| m.up.text.len() + m.down.text.len())
            .sum()
    }
}

const NOUNS: &[&str] = &[
    "account",
    "invoice",
    "shipment",
    "product",
    "customer",
    "payment",
    "ledger",
    "session",
    "document",
    "review",
    "warehouse",
    "supplier",
    "contract",
    "ticket",
    "campaign",
    "device",
];

/// The name of table `i`.
fn table(i: usize) -> String {
    format!("{}_{i:03}", NOUNS[i % NOUNS.len()])
}

/// The table that table `i`'s `owner_id` references (created before it); `None` for table 0.
fn owner_ref(i: usize) -> Option<usize> {
    (i > 0).then(|| (i * 7 + 3) % i)
}

/// The table that table `i`'s `related_id` references (any table up to `i`, itself included).
fn related_ref(i: usize) -> usize {
    (i * 13 + 5) % (i + 1)
}

/// The 12 columns `CREATE TABLE` gives table `i`, one definition a line.
fn created_columns(i: usize) -> Vec<String> {
    let owner = match owner_ref(i) {
        Some(r) => format!(
            "owner_id integer NOT NULL REFERENCES {} (id) ON DELETE CASCADE",
            table(r)
        ),
        None => "owner_id integer NOT NULL".to_string(),
    };
    vec![
        "id serial PRIMARY KEY".to_string(),
        owner,
        format!("code varchar({}) NOT NULL UNIQUE", 16 + i % 48),
        "title text NOT NULL".to_string(),
        "quantity bigint NOT NULL DEFAULT 0".to_string(),
        "unit_price numeric(10,2)".to_string(),
        format!(
            "is_active boolean NOT NULL DEFAULT {}",
            !i.is_multiple_of(3)
        ),
        "created_at timestamptz NOT NULL DEFAULT now()".to_string(),
        "updated_at timestamptz".to_string(),
        "attributes jsonb".to_string(),
        "external_ref uuid".to_string(),
        format!("description varchar({})", 100 + (i * 37) % 900),
    ]
}

/// The 3 columns `ALTER TABLE ... ADD COLUMN` gives table `i` afterwards.
fn added_columns(i: usize) -> [String; 3] {
    [
        format!("score integer DEFAULT {}", i % 10),
        "notes text".to_string(),
        "related_id integer".to_string(),
    ]
}

/// The foreign key on `related_id`: its name and its definition after the name.
fn related_fk(i: usize) -> (String, String) {
    (
        format!("{}_related_id_fkey", table(i)),
        format!(
            "FOREIGN KEY (related_id) REFERENCES {} (id) ON DELETE SET NULL",
            table(related_ref(i))
        ),
    )
}

/// The two indexes of table `i`: (name, full statement).
fn indexes(i: usize) -> [(String, String); 2] {
    let t = table(i);
    let first = (
        format!("{t}_owner_id_idx"),
        format!("CREATE INDEX {t}_owner_id_idx ON {t} (owner_id);"),
    );
    let second = if i.is_multiple_of(3) {
        (
            format!("{t}_external_ref_key"),
            format!(
                "CREATE UNIQUE INDEX {t}_external_ref_key ON {t} (external_ref) WHERE external_ref IS NOT NULL;"
            ),
        )
    } else {
        (
            format!("{t}_created_at_idx"),
            format!("CREATE INDEX {t}_created_at_idx ON {t} USING btree (created_at DESC, title);"),
        )
    };
    [first, second]
}

/// The `COMMENT ON` statements of table `i`, and the ones that remove them.
fn comments(i: usize) -> ([String; 2], [String; 2]) {
    let t = table(i);
    (
        [
            format!(
                "COMMENT ON TABLE {t} IS 'Synthetic {} records, table number {i}; one row per {}.';",
                NOUNS[i % NOUNS.len()],
                NOUNS[(i + 5) % NOUNS.len()]
            ),
            format!(
                "COMMENT ON COLUMN {t}.code IS 'Business key of the {}, unique.';",
                NOUNS[i % NOUNS.len()]
            ),
        ],
        [
            format!("COMMENT ON COLUMN {t}.code IS NULL;"),
            format!("COMMENT ON TABLE {t} IS NULL;"),
        ],
    )
}

/// The declared schema of `tables` tables.
pub fn schema_sql(tables: usize) -> String {
    let mut out = String::with_capacity(tables * 1100);
    out.push_str("-- schema.sql: a synthetic schema for performance measurements.\n\n");
    for i in 0..tables {
        let t = table(i);
        let mut lines = created_columns(i);
        let [score, notes, related] = added_columns(i);
        lines.push(score);
        lines.push(notes);
        let (fk_name, fk_def) = related_fk(i);
        if i % 2 == 0 {
            // Inline: PostgreSQL names it `<table>_related_id_fkey`, like the migration does.
            lines.push(format!(
                "{related} REFERENCES {} (id) ON DELETE SET NULL",
                table(related_ref(i))
            ));
        } else {
            lines.push(related);
            lines.push(format!("CONSTRAINT {fk_name} {fk_def}"));
        }
        let _ = writeln!(
            out,
            "-- {t}: synthetic table {i} of {tables}; owner and related rows live in earlier tables."
        );
        let _ = writeln!(out, "CREATE TABLE {t} (\n    {}\n);", lines.join(",\n    "));
        for (_, statement) in indexes(i) {
            out.push_str(&statement);
            out.push('\n');
        }
        for statement in comments(i).0 {
            out.push_str(&statement);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// One migration's version, slug, up.sql and down.sql.
struct Generated {
    version: u64,
    slug: String,
    up: String,
    down: String,
}

/// Migration `k` of a project of `tables` tables.
fn migration(k: usize, tables: usize) -> Generated {
    let i = k / 2;
    let t = table(i);
    let version = 20_240_101_000_000 + (k as u64) * 100;
    if k.is_multiple_of(2) {
        let up = format!(
            "CREATE TABLE {t} (\n    {}\n);\n",
            created_columns(i).join(",\n    ")
        );
        let down = format!("DROP TABLE {t};\n");
        return Generated {
            version,
            slug: format!("create_{t}"),
            up,
            down,
        };
    }
    let [score, notes, related] = added_columns(i);
    let (fk_name, fk_def) = related_fk(i);
    let mut up = format!(
        "ALTER TABLE {t} ADD COLUMN {score}, ADD COLUMN {notes};\nALTER TABLE {t} ADD COLUMN {related};\nALTER TABLE {t} ADD CONSTRAINT {fk_name} {fk_def};\n"
    );
    let mut down = String::new();
    // The indexes and comments of the previous table, and of this one when it is the last.
    let mut finished: Vec<usize> = Vec::new();
    if i > 0 {
        finished.push(i - 1);
    }
    if i + 1 == tables {
        finished.push(i);
    }
    for &f in &finished {
        let [(first_name, first), (second_name, second)] = indexes(f);
        let (set, unset) = comments(f);
        let _ = writeln!(up, "{first}\n{second}\n{}\n{}", set[0], set[1]);
        // Undone in reverse order, so prepend.
        down = format!(
            "{}\n{}\nDROP INDEX {second_name}, {first_name};\n{down}",
            unset[0], unset[1]
        );
    }
    let _ = writeln!(
        down,
        "ALTER TABLE {t} DROP CONSTRAINT {fk_name}, DROP COLUMN related_id, DROP COLUMN notes, DROP COLUMN score;"
    );
    Generated {
        version,
        slug: format!("extend_{t}"),
        up,
        down,
    }
}

/// The `2 * tables` migrations, in version order.
pub fn migrations(tables: usize) -> Vec<MigrationFiles> {
    (0..2 * tables)
        .map(|k| {
            let g = migration(k, tables);
            let version_text = g.version.to_string();
            let dir_name = format!("{version_text}_{}", g.slug);
            MigrationFiles {
                version: g.version,
                up: Source::new(format!("migrations/{dir_name}/up.sql"), g.up),
                down: Source::new(format!("migrations/{dir_name}/down.sql"), g.down),
                version_text,
                slug: g.slug,
                dir_name,
            }
        })
        .collect()
}

/// The whole project: `tables` tables and `2 * tables` migrations.
pub fn project(tables: usize) -> SyntheticProject {
    SyntheticProject {
        schema: Source::new("schema.sql", schema_sql(tables)),
        migrations: migrations(tables),
    }
}

/// The size PERFORMANCE.md measures: 500 tables, 1,000 migrations.
pub fn standard() -> SyntheticProject {
    project(500)
}
