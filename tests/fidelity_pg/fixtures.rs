//! The fixtures of `tests/fidelity_pg.rs`: small `schema.sql` texts, each one
//! or a few tables, written from PostgreSQL 15's documentation (lexical
//! structure, data types, `CREATE TABLE`, `CREATE INDEX`, functions and
//! operators). Every fixture is valid PostgreSQL as written; what it checks is
//! that our rendering of it makes PostgreSQL store the same catalog text.

/// One fixture: a name (unique, `snake_case`, grouped by prefix) and the text
/// of its `schema.sql`.
pub(crate) struct Fixture {
    /// What the failure list calls it.
    pub(crate) name: &'static str,
    /// The user's `schema.sql`.
    pub(crate) sql: &'static str,
    /// Set for valid PostgreSQL the tool does not model yet: it must be
    /// refused by a located error of this code whose message names the clause.
    pub(crate) refused: Option<Refusal>,
    /// Set when the text is a migration's `up.sql` (it alters what it
    /// creates), replayed rather than read as `schema.sql`.
    pub(crate) as_migration: bool,
}

/// The error a fixture the tool does not model yet must be refused with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Refusal {
    /// The diagnostic code (`S0003` for a clause refused by name).
    pub(crate) code: &'static str,
    /// Text the message must contain: the clause, named.
    pub(crate) names: &'static str,
}

const fn f(name: &'static str, sql: &'static str) -> Fixture {
    Fixture {
        name,
        sql,
        refused: None,
        as_migration: false,
    }
}

/// A fixture of valid PostgreSQL that must be refused by name (not modelled yet).
const fn refused(
    name: &'static str,
    code: &'static str,
    names: &'static str,
    sql: &'static str,
) -> Fixture {
    Fixture {
        name,
        sql,
        refused: Some(Refusal { code, names }),
        as_migration: false,
    }
}

/// Every fixture, in groups: string, numeric, boolean, bit, bytea, typed and
/// time defaults, arrays, json, uuid, enums, sequences, other defaults, CHECK
/// constraints, index expressions, generated columns, table options.
pub(crate) const FIXTURES: &[Fixture] = &[
    // --- defaults: strings (a string stays a string, whatever it looks like)
    f(
        "default_text_leading_zeros",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '007');",
    ),
    f(
        "default_text_exponent",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '1e3');",
    ),
    f(
        "default_text_dot_five",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '.5');",
    ),
    f(
        "default_text_minus_zero",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '-0');",
    ),
    f(
        "default_char5_zeros",
        "CREATE TABLE t (id integer PRIMARY KEY, c char(5) DEFAULT '00001');",
    ),
    f(
        "default_varchar_cast_zero",
        "CREATE TABLE t (id integer PRIMARY KEY, c character varying DEFAULT '0'::character varying);",
    ),
    f(
        "default_varchar10_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c varchar(10) DEFAULT 'abc'::varchar);",
    ),
    f(
        "default_varchar_empty_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c character varying(20) DEFAULT ''::character varying);",
    ),
    f(
        "default_text_escape_newline",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT E'line1\nline2');",
    ),
    f(
        "default_text_escape_quote_tab",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT E'it\'s\ta tab');",
    ),
    f(
        "default_text_escape_octal_hex",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT E'\101\x42');",
    ),
    f(
        "default_text_unicode_escape",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'d\0061t\+000061');",
    ),
    refused(
        "default_text_unicode_escape_custom",
        "S0001",
        "UESCAPE",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'d!0061t!+000061' UESCAPE '!');",
    ),
    f(
        "default_text_unicode_escape_doubled_quote",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'it''s');",
    ),
    f(
        "default_text_unicode_escape_backslash",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'a\\b');",
    ),
    f(
        "default_text_unicode_escape_newline",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'a\n-');",
    ),
    f(
        "default_char_escape_quote",
        r"CREATE TABLE t (id integer PRIMARY KEY, c character(10) DEFAULT E'\'');",
    ),
    f(
        "default_text_unicode_escape_mixed",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'\2713\00E9''\\\2713');",
    ),
    f(
        "default_text_unicode_escape_after_newline",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT U&'
\2713');",
    ),
    f(
        "default_text_backslash_then_quote",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '\''');",
    ),
    f(
        "default_text_dollar_quoted",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT $$hello$$);",
    ),
    f(
        "default_text_line_starting_with_backslash",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'x\n\\y');",
    ),
    f(
        "default_text_dollar_line_starting_with_backslash",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT $$\n\\$$);",
    ),
    f(
        "default_text_dollar_tagged",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT $tag$it's $$ here$tag$);",
    ),
    f(
        "default_text_dollar_digits",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT $$007$$);",
    ),
    f(
        "default_text_doubled_quote",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'it''s');",
    ),
    f(
        "default_text_only_quote",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '''');",
    ),
    f(
        "default_text_empty",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '');",
    ),
    f(
        "default_text_padded",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '  padded  ');",
    ),
    f(
        "default_text_backslash",
        r"CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'C:\path\n');",
    ),
    f(
        "default_text_looks_true",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'true');",
    ),
    f(
        "default_text_looks_null",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'NULL');",
    ),
    f(
        "default_text_cast_text",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'abc'::text);",
    ),
    f(
        "default_text_non_ascii",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'héllo ✓');",
    ),
    f(
        "default_text_big_number",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '12345678901234567890');",
    ),
    f(
        "default_text_hex_like",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '0x1F');",
    ),
    f(
        "default_text_multiline",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'a\nb');",
    ),
    f(
        "default_text_semicolon",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '50%; DROP TABLE t; --');",
    ),
    refused(
        "default_text_adjacent_literals",
        "S0001",
        "'bar'",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'foo'\n    'bar');",
    ),
    f(
        "default_text_collate_c",
        r#"CREATE TABLE t (id integer PRIMARY KEY, c text COLLATE "C" DEFAULT 'x');"#,
    ),
    f(
        "default_then_collate",
        r#"CREATE TABLE t (id integer PRIMARY KEY, c varchar(5) DEFAULT 'x' COLLATE pg_catalog."POSIX", d text[] COLLATE "C", e text COLLATE "default");"#,
    ),
    f(
        "collated_column_and_its_index",
        "CREATE TABLE t (id integer PRIMARY KEY, c text COLLATE \"C\", d text);\nCREATE INDEX t_c_idx ON t (c COLLATE \"C\");\nCREATE INDEX t_d_idx ON t (d COLLATE \"C\");\nALTER TABLE t ADD COLUMN e text COLLATE \"POSIX\";",
    ),
    f(
        "default_char_plain",
        "CREATE TABLE t (id integer PRIMARY KEY, c char DEFAULT 'Y');",
    ),
    refused(
        "default_name_type",
        "S0003",
        "type `name` is not supported yet",
        "CREATE TABLE t (id integer PRIMARY KEY, c name DEFAULT 'n');",
    ),
    // --- defaults: numbers
    f(
        "default_integer",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT 42);",
    ),
    f(
        "default_integer_negative",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT -1);",
    ),
    f(
        "default_integer_zero",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT 0);",
    ),
    f(
        "default_integer_parenthesised_negative",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT (-5));",
    ),
    f(
        "default_integer_string",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT '42');",
    ),
    f(
        "default_integer_arithmetic",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT 1 + 2 * 3);",
    ),
    f(
        "default_integer_parenthesised_sum",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT (1 + 2) * 3);",
    ),
    f(
        "default_bigint_max",
        "CREATE TABLE t (id integer PRIMARY KEY, c bigint DEFAULT 9223372036854775807);",
    ),
    f(
        "default_bigint_min",
        "CREATE TABLE t (id integer PRIMARY KEY, c bigint DEFAULT -9223372036854775808);",
    ),
    f(
        "default_bigint_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c bigint DEFAULT 0::bigint);",
    ),
    f(
        "default_bigint_large_literal",
        "CREATE TABLE t (id integer PRIMARY KEY, c bigint DEFAULT 3000000000);",
    ),
    f(
        "default_smallint",
        "CREATE TABLE t (id integer PRIMARY KEY, c smallint DEFAULT 7);",
    ),
    f(
        "default_numeric_scale",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric(10,2) DEFAULT 0.00);",
    ),
    f(
        "default_numeric_trailing_zero",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 1.50);",
    ),
    f(
        "default_numeric_negative",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT -3.25);",
    ),
    f(
        "default_numeric_exponent",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 1e3);",
    ),
    f(
        "default_numeric_negative_exponent",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 2.5E-3);",
    ),
    f(
        "default_numeric_leading_dot",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT .5);",
    ),
    f(
        "default_numeric_trailing_dot",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 5.);",
    ),
    f(
        "default_numeric_minus_negative_exponent",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 0.5 - -15370e2);",
    ),
    f(
        "default_numeric_string",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT '10.5');",
    ),
    f(
        "default_numeric_nan",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 'NaN');",
    ),
    f(
        "default_numeric_huge",
        "CREATE TABLE t (id integer PRIMARY KEY, c numeric DEFAULT 123456789012345678901234567890);",
    ),
    f(
        "default_real",
        "CREATE TABLE t (id integer PRIMARY KEY, c real DEFAULT 1.5);",
    ),
    f(
        "default_double",
        "CREATE TABLE t (id integer PRIMARY KEY, c double precision DEFAULT 3.14159);",
    ),
    f(
        "default_double_exponent",
        "CREATE TABLE t (id integer PRIMARY KEY, c double precision DEFAULT 1e-10);",
    ),
    f(
        "default_double_nan",
        "CREATE TABLE t (id integer PRIMARY KEY, c double precision DEFAULT 'NaN');",
    ),
    f(
        "default_double_minus_infinity",
        "CREATE TABLE t (id integer PRIMARY KEY, c double precision DEFAULT '-Infinity'::double precision);",
    ),
    f(
        "default_float4_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c float4 DEFAULT 0.1::float4);",
    ),
    f(
        "default_money",
        "CREATE TABLE t (id integer PRIMARY KEY, c money DEFAULT '12.34'::money);",
    ),
    f(
        "default_integer_to_text_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 1::text);",
    ),
    f(
        "default_numeric_to_integer_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT 2.7::integer);",
    ),
    // --- defaults: booleans in every spelling
    f(
        "default_bool_true",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT true);",
    ),
    f(
        "default_bool_false_upper",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT FALSE);",
    ),
    f(
        "default_bool_string_t",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT 't');",
    ),
    f(
        "default_bool_string_yes",
        "CREATE TABLE t (id integer PRIMARY KEY, c bool DEFAULT 'yes');",
    ),
    f(
        "default_bool_string_off",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT 'off');",
    ),
    f(
        "default_bool_string_one",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT '1');",
    ),
    f(
        "default_bool_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT 'f'::boolean);",
    ),
    f(
        "default_bool_not",
        "CREATE TABLE t (id integer PRIMARY KEY, c boolean DEFAULT (NOT true));",
    ),
    // --- defaults: NULL
    f(
        "default_null",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT NULL);",
    ),
    f(
        "default_null_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT NULL::integer);",
    ),
    // --- defaults: bit strings
    f(
        "default_bit_binary",
        "CREATE TABLE t (id integer PRIMARY KEY, c bit(8) DEFAULT B'00011111');",
    ),
    f(
        "default_varbit_binary",
        "CREATE TABLE t (id integer PRIMARY KEY, c bit varying(16) DEFAULT B'0101');",
    ),
    f(
        "default_bit_hex",
        "CREATE TABLE t (id integer PRIMARY KEY, c bit(8) DEFAULT X'1F');",
    ),
    f(
        "default_varbit_hex",
        "CREATE TABLE t (id integer PRIMARY KEY, c varbit DEFAULT X'ABC');",
    ),
    f(
        "default_bit_string_literal",
        "CREATE TABLE t (id integer PRIMARY KEY, c bit(4) DEFAULT '1010');",
    ),
    f(
        "default_bit_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c bit(3) DEFAULT B'101'::bit(3));",
    ),
    // --- defaults: bytea
    f(
        "default_bytea_hex",
        r"CREATE TABLE t (id integer PRIMARY KEY, c bytea DEFAULT '\x00');",
    ),
    f(
        "default_bytea_escape_string",
        r"CREATE TABLE t (id integer PRIMARY KEY, c bytea DEFAULT E'\\x0102');",
    ),
    f(
        "default_bytea_empty",
        "CREATE TABLE t (id integer PRIMARY KEY, c bytea DEFAULT ''::bytea);",
    ),
    f(
        "default_bytea_decode",
        "CREATE TABLE t (id integer PRIMARY KEY, c bytea DEFAULT decode('00ff', 'hex'));",
    ),
    // --- defaults: typed constants, dates and times
    f(
        "default_date_typed",
        "CREATE TABLE t (id integer PRIMARY KEY, c date DEFAULT DATE '2024-01-31');",
    ),
    f(
        "default_date_string",
        "CREATE TABLE t (id integer PRIMARY KEY, c date DEFAULT '2024-01-31');",
    ),
    f(
        "default_date_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c date DEFAULT '2024-02-29'::date);",
    ),
    f(
        "default_timestamp_typed",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp DEFAULT TIMESTAMP '2024-01-31 12:34:56');",
    ),
    f(
        "default_timestamp_precision",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp(3) DEFAULT '2024-01-01 00:00:00.123');",
    ),
    f(
        "default_timestamp_infinity",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp DEFAULT 'infinity');",
    ),
    f(
        "default_timestamptz_year_one",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT '0001-01-01');",
    ),
    f(
        "default_timestamptz_offset",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp with time zone DEFAULT '2024-01-31 12:00:00+02');",
    ),
    f(
        "default_timestamptz_typed",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT timestamptz '2000-01-01 00:00:00+00');",
    ),
    f(
        "default_time_typed",
        "CREATE TABLE t (id integer PRIMARY KEY, c time DEFAULT TIME '08:30');",
    ),
    f(
        "default_timetz_string",
        "CREATE TABLE t (id integer PRIMARY KEY, c time with time zone DEFAULT '08:30+02');",
    ),
    f(
        "default_interval_typed",
        "CREATE TABLE t (id integer PRIMARY KEY, c interval DEFAULT interval '15 minutes');",
    ),
    f(
        "default_interval_string",
        "CREATE TABLE t (id integer PRIMARY KEY, c interval DEFAULT '1 day');",
    ),
    f(
        "default_interval_fields",
        "CREATE TABLE t (id integer PRIMARY KEY, c interval hour to minute DEFAULT '02:30');",
    ),
    f(
        "interval_fields_of_every_kind_with_precision",
        "CREATE TABLE t (id integer PRIMARY KEY, a interval year, b interval month, c interval day, d interval hour, e interval minute, f interval second(2), g interval year to month, h interval day to hour, i interval day to minute, j interval day to second(3), k interval hour to second, l interval minute to second(0), m interval(4), n interval day to second[]);",
    ),
    f(
        "default_interval_iso",
        "CREATE TABLE t (id integer PRIMARY KEY, c interval DEFAULT 'P1Y2M3DT4H5M6S');",
    ),
    f(
        "default_now",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT now());",
    ),
    f(
        "default_now_plus_interval",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT now() + interval '15 minutes');",
    ),
    f(
        "default_now_minus_interval_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT now() - '1 day'::interval);",
    ),
    f(
        "default_now_at_time_zone",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp DEFAULT (now() AT TIME ZONE 'utc'));",
    ),
    f(
        "default_timezone_function",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp DEFAULT timezone('utc', now()));",
    ),
    f(
        "default_current_timestamp",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT CURRENT_TIMESTAMP);",
    ),
    f(
        "default_current_timestamp_precision",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT CURRENT_TIMESTAMP(0));",
    ),
    f(
        "default_current_date",
        "CREATE TABLE t (id integer PRIMARY KEY, c date DEFAULT CURRENT_DATE);",
    ),
    f(
        "default_current_date_minus_one",
        "CREATE TABLE t (id integer PRIMARY KEY, c date DEFAULT CURRENT_DATE - 1);",
    ),
    f(
        "default_current_time",
        "CREATE TABLE t (id integer PRIMARY KEY, c timetz DEFAULT CURRENT_TIME);",
    ),
    f(
        "default_localtimestamp",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamp DEFAULT LOCALTIMESTAMP);",
    ),
    f(
        "default_localtime",
        "CREATE TABLE t (id integer PRIMARY KEY, c time DEFAULT LOCALTIME);",
    ),
    f(
        "default_current_user",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT CURRENT_USER);",
    ),
    f(
        "default_session_user",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT SESSION_USER);",
    ),
    f(
        "default_clock_timestamp",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT clock_timestamp());",
    ),
    f(
        "default_date_trunc",
        "CREATE TABLE t (id integer PRIMARY KEY, c timestamptz DEFAULT date_trunc('day', now()));",
    ),
    f(
        "default_now_cast_date",
        "CREATE TABLE t (id integer PRIMARY KEY, c date DEFAULT now()::date);",
    ),
    f(
        "default_extract_year",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT EXTRACT(year FROM now())::integer);",
    ),
    // --- defaults: arrays
    f(
        "default_int_array_empty_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer[] DEFAULT ARRAY[]::integer[]);",
    ),
    f(
        "default_text_array_empty_literal_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c text[] DEFAULT '{}'::text[]);",
    ),
    f(
        "default_text_array_empty_literal",
        "CREATE TABLE t (id integer PRIMARY KEY, c text[] DEFAULT '{}');",
    ),
    f(
        "default_text_array_constructor",
        "CREATE TABLE t (id integer PRIMARY KEY, c text[] DEFAULT ARRAY['a', 'b']);",
    ),
    f(
        "default_int_array_constructor",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer[] DEFAULT ARRAY[1, 2, 3]);",
    ),
    f(
        "default_text_array_literal_values",
        r#"CREATE TABLE t (id integer PRIMARY KEY, c text[] DEFAULT '{"a b",c}');"#,
    ),
    f(
        "default_int_2d_array_literal",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer[][] DEFAULT '{{1,2},{3,4}}');",
    ),
    f(
        "default_varchar_array_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c varchar(20)[] DEFAULT ARRAY['x']::varchar(20)[]);",
    ),
    f(
        "default_array_type_keyword",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer ARRAY DEFAULT '{7}');",
    ),
    // --- defaults: json
    f(
        "default_jsonb_empty_object_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c jsonb DEFAULT '{}'::jsonb);",
    ),
    f(
        "default_jsonb_empty_object",
        "CREATE TABLE t (id integer PRIMARY KEY, c jsonb DEFAULT '{}');",
    ),
    f(
        "default_json_empty_array_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c json DEFAULT '[]'::json);",
    ),
    f(
        "default_jsonb_nested",
        r#"CREATE TABLE t (id integer PRIMARY KEY, c jsonb NOT NULL DEFAULT '{"a": [1, 2], "b": null}');"#,
    ),
    f(
        "default_jsonb_build_object",
        "CREATE TABLE t (id integer PRIMARY KEY, c jsonb DEFAULT jsonb_build_object('k', 1));",
    ),
    // --- defaults: uuid
    f(
        "default_uuid_nil",
        "CREATE TABLE t (id integer PRIMARY KEY, c uuid DEFAULT '00000000-0000-0000-0000-000000000000');",
    ),
    f(
        "default_uuid_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, c uuid DEFAULT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid);",
    ),
    f(
        "default_gen_random_uuid",
        "CREATE TABLE t (id uuid PRIMARY KEY DEFAULT gen_random_uuid());",
    ),
    // --- defaults: enums
    f(
        "enum_default_label",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE TABLE t (id integer PRIMARY KEY, c mood NOT NULL DEFAULT 'ok');",
    ),
    f(
        "enum_default_numeric_label",
        "CREATE TYPE level AS ENUM ('1', '2', '10');\nCREATE TABLE t (id integer PRIMARY KEY, c level DEFAULT '1');",
    ),
    f(
        "enum_default_label_err",
        "CREATE TYPE outcome AS ENUM ('ok', 'err');\nCREATE TABLE t (id integer PRIMARY KEY, c outcome DEFAULT 'err');",
    ),
    f(
        "enum_default_cast",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE TABLE t (id integer PRIMARY KEY, c mood DEFAULT 'happy'::mood);",
    ),
    f(
        "enum_labels_look_like_numbers",
        "CREATE TYPE odd AS ENUM ('1e3', '-0', '007', '.5');\nCREATE TABLE t (id integer PRIMARY KEY, c odd DEFAULT '007');",
    ),
    f(
        "enum_labels_with_quote_and_space",
        "CREATE TYPE odd AS ENUM ('it''s', 'two words', '');\nCREATE TABLE t (id integer PRIMARY KEY, c odd DEFAULT 'it''s');",
    ),
    f(
        "enum_array_default",
        "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (id integer PRIMARY KEY, c mood[] DEFAULT '{}');",
    ),
    f(
        "enum_check_in_list",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE TABLE t (id integer PRIMARY KEY, c mood, CHECK (c IN ('ok', 'happy')));",
    ),
    // --- defaults: sequences and identity
    f(
        "serial_key",
        "CREATE TABLE t (id serial PRIMARY KEY, c text);",
    ),
    f(
        "bigserial_key",
        "CREATE TABLE t (id bigserial PRIMARY KEY, c text);",
    ),
    f(
        "smallserial_column",
        "CREATE TABLE t (id integer PRIMARY KEY, n smallserial);",
    ),
    f(
        "identity_always",
        "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, c text);",
    ),
    f(
        "identity_by_default_bigint",
        "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, c text);",
    ),
    f(
        "identity_with_options",
        "CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY KEY);",
    ),
    f(
        "nextval_own_sequence",
        "CREATE SEQUENCE counter_seq;\nCREATE TABLE t (id integer PRIMARY KEY, c bigint NOT NULL DEFAULT nextval('counter_seq'));",
    ),
    f(
        "nextval_regclass_cast",
        "CREATE SEQUENCE counter_seq;\nCREATE TABLE t (id integer PRIMARY KEY, c bigint DEFAULT nextval('counter_seq'::regclass));",
    ),
    f(
        "sequence_start_increment_cache",
        "CREATE SEQUENCE big_seq START WITH 10000000 INCREMENT BY 5 CACHE 10;\nCREATE TABLE t (id bigint PRIMARY KEY DEFAULT nextval('big_seq'));",
    ),
    f(
        "sequence_as_integer_cycle",
        "CREATE SEQUENCE small_seq AS integer MINVALUE 1 MAXVALUE 1000 CYCLE;\nCREATE TABLE t (id integer PRIMARY KEY DEFAULT nextval('small_seq'));",
    ),
    f(
        "sequence_descending_smallint",
        "CREATE SEQUENCE down_seq AS smallint INCREMENT BY -2 MINVALUE -900 START WITH -3 CACHE 4;\nCREATE TABLE t (id integer PRIMARY KEY, n smallint DEFAULT nextval('down_seq'));",
    ),
    f(
        "sequence_explicit_defaults",
        "CREATE SEQUENCE s AS bigint START WITH 1 INCREMENT BY 1 NO MINVALUE NO MAXVALUE CACHE 1 NO CYCLE;",
    ),
    f(
        "sequence_altered_type_and_options",
        "CREATE SEQUENCE s AS integer INCREMENT -1;\nALTER SEQUENCE s AS smallint CACHE 7;\nCREATE SEQUENCE b MAXVALUE 100;\nALTER SEQUENCE b AS integer CYCLE;",
    ),
    f(
        "identity_descending_with_bounds",
        "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY -5 MINVALUE -10000 MAXVALUE -1 CYCLE) PRIMARY KEY);",
    ),
    f(
        "identity_smallint_every_option",
        "CREATE TABLE t (id smallint GENERATED BY DEFAULT AS IDENTITY (START 20 INCREMENT 2 MINVALUE 10 MAXVALUE 30000 CACHE 5 NO CYCLE) PRIMARY KEY);",
    ),
    f(
        "identity_added_by_alter_with_pg_dump_options",
        "CREATE TABLE t (id bigint NOT NULL PRIMARY KEY);\nALTER TABLE t ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME public.t_id_seq START WITH 9 INCREMENT BY 3 NO MINVALUE NO MAXVALUE CACHE 1);",
    ),
    f(
        "serial_sequence_altered",
        "CREATE TABLE t (id serial PRIMARY KEY);\nALTER SEQUENCE t_id_seq INCREMENT BY 10 START WITH 100 MAXVALUE 1000000 CYCLE;",
    ),
    f(
        "sequence_owned_by",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer);\nCREATE SEQUENCE t_n_seq OWNED BY t.n;\nALTER TABLE t ALTER COLUMN n SET DEFAULT nextval('t_n_seq');",
    ),
    // --- defaults: casts and function calls
    f(
        "default_cast_function_style",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT CAST(42 AS text));",
    ),
    f(
        "default_lower_call",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT lower('ABC'));",
    ),
    f(
        "default_concat_strings",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT 'a' || 'b');",
    ),
    f(
        "default_md5_random",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT md5(random()::text));",
    ),
    f(
        "default_case_expression",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT CASE WHEN random() > 0.5 THEN 'a' ELSE 'b' END);",
    ),
    f(
        "default_floor_random",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer DEFAULT floor(random() * 100)::integer);",
    ),
    f(
        "default_coalesce_null",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT COALESCE(NULL, 'x'));",
    ),
    f(
        "default_inet",
        "CREATE TABLE t (id integer PRIMARY KEY, c inet DEFAULT '127.0.0.1');",
    ),
    f(
        "default_cidr",
        "CREATE TABLE t (id integer PRIMARY KEY, c cidr DEFAULT '10.0.0.0/8');",
    ),
    f(
        "default_macaddr",
        "CREATE TABLE t (id integer PRIMARY KEY, c macaddr DEFAULT '08:00:2b:01:02:03');",
    ),
    f(
        "default_int4range",
        "CREATE TABLE t (id integer PRIMARY KEY, c int4range DEFAULT '[1,10)');",
    ),
    f(
        "default_ranges_written_with_constructors_and_empty",
        "CREATE TABLE t (id integer PRIMARY KEY, a daterange DEFAULT daterange('2025-01-01', NULL), b numrange DEFAULT 'empty', c tstzrange DEFAULT tstzrange(now(), NULL, '[]'), d int8multirange DEFAULT int8multirange(int8range(1, 2)));",
    ),
    refused(
        "default_oid",
        "S0003",
        "type `oid` is not supported yet",
        "CREATE TABLE t (id integer PRIMARY KEY, c oid DEFAULT 0);",
    ),
    f(
        "default_tsvector_call",
        "CREATE TABLE t (id integer PRIMARY KEY, c tsvector DEFAULT to_tsvector('english', ''));",
    ),
    f(
        "default_point",
        "CREATE TABLE t (id integer PRIMARY KEY, c point DEFAULT '(1,2)');",
    ),
    f(
        "default_geometric_macaddr8_and_pg_lsn",
        "CREATE TABLE t (id integer PRIMARY KEY, b box DEFAULT box(point(0, 0), point(1, 1)), m macaddr8 DEFAULT '08:00:2b:01:02:03:04:05', l pg_lsn DEFAULT '0/0', c circle CHECK (radius(c) > 0));",
    ),
    f(
        "default_xml",
        "CREATE TABLE t (id integer PRIMARY KEY, c xml DEFAULT '<a/>');",
    ),
    // --- CHECK constraints
    f(
        "check_comparison",
        "CREATE TABLE t (id integer PRIMARY KEY, price numeric CHECK (price > 0));",
    ),
    f(
        "check_named_column",
        "CREATE TABLE t (id integer PRIMARY KEY, c integer CONSTRAINT c_not_negative CHECK (c >= 0));",
    ),
    f(
        "check_two_columns",
        "CREATE TABLE t (id integer PRIMARY KEY, lo integer, hi integer, CHECK (lo <= hi));",
    ),
    f(
        "check_in_text_list",
        "CREATE TABLE t (id integer PRIMARY KEY, status text CHECK (status IN ('draft', 'published', '007')));",
    ),
    f(
        "check_not_in_integers",
        "CREATE TABLE t (id integer PRIMARY KEY, code integer CHECK (code NOT IN (1, 2, 3)));",
    ),
    f(
        "check_in_single_element",
        "CREATE TABLE t (id integer PRIMARY KEY, status text CHECK (status IN ('only')));",
    ),
    f(
        "check_between",
        "CREATE TABLE t (id integer PRIMARY KEY, age integer CHECK (age BETWEEN 0 AND 150));",
    ),
    f(
        "check_not_between",
        "CREATE TABLE t (id integer PRIMARY KEY, age integer CHECK (age NOT BETWEEN 20 AND 30));",
    ),
    refused(
        "check_between_symmetric",
        "S0001",
        "150",
        "CREATE TABLE t (id integer PRIMARY KEY, age integer CHECK (age BETWEEN SYMMETRIC 150 AND 0));",
    ),
    f(
        "check_like",
        "CREATE TABLE t (id integer PRIMARY KEY, email text CHECK (email LIKE '%@%'));",
    ),
    f(
        "check_not_like",
        "CREATE TABLE t (id integer PRIMARY KEY, email text CHECK (email NOT LIKE '% %'));",
    ),
    f(
        "check_ilike",
        "CREATE TABLE t (id integer PRIMARY KEY, name text CHECK (name ILIKE 'a%'));",
    ),
    f(
        "check_like_escape",
        r"CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code LIKE 'a!_%' ESCAPE '!'));",
    ),
    f(
        "check_similar_to",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code SIMILAR TO '[A-Z]{3}'));",
    ),
    f(
        "check_regex_match",
        "CREATE TABLE t (id integer PRIMARY KEY, email text CHECK (email ~ '^[^@]+@[^@]+$'));",
    ),
    f(
        "check_regex_case_insensitive",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code ~* '^[a-z]+$'));",
    ),
    f(
        "check_regex_not_match",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code !~ '\\s'));",
    ),
    f(
        "check_jsonb_has_key",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb CHECK (doc ? 'id'));",
    ),
    f(
        "check_jsonb_has_any_key",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb CHECK (doc ?| ARRAY['a', 'b']));",
    ),
    f(
        "check_jsonb_has_all_keys",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb CHECK (doc ?& ARRAY['a', 'b']));",
    ),
    f(
        "check_jsonb_contains",
        r#"CREATE TABLE t (id integer PRIMARY KEY, doc jsonb CHECK (doc @> '{"v": 1}'));"#,
    ),
    f(
        "check_jsonb_field_text",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb CHECK ((doc ->> 'kind') = 'x'));",
    ),
    f(
        "check_jsonb_typeof",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb CHECK (jsonb_typeof(doc) = 'object'));",
    ),
    f(
        "check_is_distinct_from",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, CHECK (a IS DISTINCT FROM b));",
    ),
    f(
        "check_is_not_distinct_from",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, CHECK (a IS NOT DISTINCT FROM b));",
    ),
    f(
        "check_is_not_null_or",
        "CREATE TABLE t (id integer PRIMARY KEY, a text, b text, CHECK (a IS NOT NULL OR b IS NOT NULL));",
    ),
    f(
        "check_case",
        "CREATE TABLE t (id integer PRIMARY KEY, kind text, x integer, CHECK (CASE WHEN kind = 'a' THEN x IS NOT NULL ELSE true END));",
    ),
    f(
        "check_simple_case",
        "CREATE TABLE t (id integer PRIMARY KEY, kind text, x integer, CHECK (CASE kind WHEN 'a' THEN x > 0 WHEN 'b' THEN x < 0 ELSE x = 0 END));",
    ),
    f(
        "check_coalesce",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, CHECK (COALESCE(a, 0) >= 0));",
    ),
    f(
        "check_nullif",
        "CREATE TABLE t (id integer PRIMARY KEY, a text, CHECK (NULLIF(a, '') IS NOT NULL));",
    ),
    f(
        "check_length",
        "CREATE TABLE t (id integer PRIMARY KEY, name text CHECK (length(name) <= 100));",
    ),
    f(
        "check_char_length_trim",
        "CREATE TABLE t (id integer PRIMARY KEY, name text CHECK (char_length(btrim(name)) > 0));",
    ),
    f(
        "check_concat",
        "CREATE TABLE t (id integer PRIMARY KEY, first text, last text, CHECK (first || ' ' || last <> ' '));",
    ),
    f(
        "check_cast_inside",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code::integer > 0));",
    ),
    f(
        "check_cast_function_style",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer CHECK (CAST(a AS numeric) < 100.5));",
    ),
    f(
        "check_not",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer CHECK (NOT (a < 0)));",
    ),
    f(
        "check_or_inside_and",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer, CHECK ((a > 0 OR b > 0) AND c > 0));",
    ),
    f(
        "check_and_inside_or",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer, CHECK (a > 0 AND b > 0 OR c > 0));",
    ),
    f(
        "check_parentheses_matter",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer, CHECK (a > 0 AND (b > 0 OR c > 0)));",
    ),
    f(
        "check_not_of_or",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, CHECK (NOT (a = 1 OR b = 2)));",
    ),
    f(
        "check_arithmetic_precedence",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, CHECK ((a + b) * 2 < 100));",
    ),
    f(
        "check_subtraction_grouping",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer, CHECK (a - (b - c) > 0));",
    ),
    f(
        "check_string_looks_numeric",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code <> '007'));",
    ),
    f(
        "check_boolean_column",
        "CREATE TABLE t (id integer PRIMARY KEY, active boolean, CHECK (active));",
    ),
    f(
        "check_boolean_implication",
        "CREATE TABLE t (id integer PRIMARY KEY, deleted boolean, deleted_at timestamptz, CHECK (NOT deleted OR deleted_at IS NOT NULL));",
    ),
    f(
        "check_date_order",
        "CREATE TABLE t (id integer PRIMARY KEY, starts_at date, ends_at date, CHECK (ends_at > starts_at));",
    ),
    f(
        "check_timestamp_constant",
        "CREATE TABLE t (id integer PRIMARY KEY, created_at timestamp, CHECK (created_at >= '2000-01-01'));",
    ),
    f(
        "check_timestamptz_constant",
        "CREATE TABLE t (id integer PRIMARY KEY, created_at timestamptz, CHECK (created_at > '0001-01-01'));",
    ),
    f(
        "check_interval_bound",
        "CREATE TABLE t (id integer PRIMARY KEY, starts_at timestamp, ends_at timestamp, CHECK (ends_at - starts_at <= interval '1 day'));",
    ),
    f(
        "check_array_length",
        "CREATE TABLE t (id integer PRIMARY KEY, tags text[], CHECK (array_length(tags, 1) <= 10));",
    ),
    f(
        "check_cardinality",
        "CREATE TABLE t (id integer PRIMARY KEY, tags text[], CHECK (cardinality(tags) > 0));",
    ),
    f(
        "check_any_array",
        "CREATE TABLE t (id integer PRIMARY KEY, status text, CHECK (status = ANY (ARRAY['a', 'b'])));",
    ),
    f(
        "check_all_array",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer, CHECK (n <> ALL (ARRAY[1, 2])));",
    ),
    f(
        "check_array_contains",
        "CREATE TABLE t (id integer PRIMARY KEY, tags text[], CHECK (tags @> ARRAY['x']));",
    ),
    f(
        "check_enum_compare",
        "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TABLE t (id integer PRIMARY KEY, m mood, CHECK (m <> 'sad'));",
    ),
    f(
        "check_upper_equals",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (code = upper(code)));",
    ),
    f(
        "check_modulo",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer CHECK (n % 2 = 0));",
    ),
    f(
        "check_abs",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer CHECK (abs(n) < 10));",
    ),
    f(
        "check_negative_constant",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer CHECK (n > -1));",
    ),
    f(
        "check_unary_minus_column",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer CHECK (-n < 5));",
    ),
    f(
        "check_float_constant",
        "CREATE TABLE t (id integer PRIMARY KEY, ratio double precision CHECK (ratio <= 1.0));",
    ),
    f(
        "check_exponent_constant",
        "CREATE TABLE t (id integer PRIMARY KEY, x numeric CHECK (x < 1e6));",
    ),
    f(
        "check_bit_string",
        "CREATE TABLE t (id integer PRIMARY KEY, flags bit(4) CHECK (flags <> B'0000'));",
    ),
    f(
        "check_is_not_false",
        "CREATE TABLE t (id integer PRIMARY KEY, flag boolean CHECK (flag IS NOT FALSE));",
    ),
    f(
        "check_is_true",
        "CREATE TABLE t (id integer PRIMARY KEY, flag boolean CHECK (flag IS TRUE));",
    ),
    f(
        "check_escape_string",
        r"CREATE TABLE t (id integer PRIMARY KEY, name text CHECK (name <> E'\t'));",
    ),
    f(
        "check_dollar_string",
        "CREATE TABLE t (id integer PRIMARY KEY, name text CHECK (name <> $$it's$$));",
    ),
    f(
        "check_position",
        "CREATE TABLE t (id integer PRIMARY KEY, email text CHECK (position('@' IN email) > 1));",
    ),
    f(
        "check_substring",
        "CREATE TABLE t (id integer PRIMARY KEY, code text CHECK (substring(code FROM 1 FOR 2) = 'AB'));",
    ),
    refused(
        "check_no_inherit",
        "S0003",
        "`NO INHERIT` is not supported yet",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer, CONSTRAINT n_positive CHECK (n > 0) NO INHERIT);",
    ),
    f(
        "check_not_valid",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer);\nALTER TABLE t ADD CONSTRAINT n_positive CHECK (n > 0) NOT VALID;",
    ),
    f(
        "domain_check_not_valid_as_pg_dump_writes_it",
        "CREATE DOMAIN qty AS integer CONSTRAINT qty_small CHECK (VALUE < 100);\nALTER DOMAIN qty ADD CONSTRAINT qty_positive CHECK (VALUE > 0) NOT VALID;\nCREATE TABLE t (id integer PRIMARY KEY, n qty);",
    ),
    f(
        "check_uuid_compare",
        "CREATE TABLE t (id uuid PRIMARY KEY, CHECK (id <> '00000000-0000-0000-0000-000000000000'));",
    ),
    // --- index expressions
    f(
        "index_lower_email",
        "CREATE TABLE t (id integer PRIMARY KEY, email text NOT NULL);\nCREATE INDEX t_email_lower_idx ON t (lower(email));",
    ),
    f(
        "index_unique_lower_email",
        "CREATE TABLE t (id integer PRIMARY KEY, email text NOT NULL);\nCREATE UNIQUE INDEX t_email_key ON t (lower(email));",
    ),
    f(
        "index_concat_parenthesised",
        "CREATE TABLE t (id integer PRIMARY KEY, a text, b text);\nCREATE INDEX t_ab_idx ON t ((a || b));",
    ),
    f(
        "index_gin_array_casts",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c text[]);\nCREATE INDEX t_terms_idx ON t USING gin ((ARRAY[(a)::text, (b)::text] || c));",
    ),
    f(
        "index_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, code text);\nCREATE INDEX t_code_int_idx ON t ((code::integer));",
    ),
    f(
        "index_cast_function_style",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer);\nCREATE INDEX t_n_text_idx ON t ((CAST(n AS text)));",
    ),
    f(
        "index_partial_is_null",
        "CREATE TABLE t (id integer PRIMARY KEY, email text, deleted_at timestamptz);\nCREATE INDEX t_live_email_idx ON t (email) WHERE deleted_at IS NULL;",
    ),
    f(
        "index_partial_unique_boolean",
        "CREATE TABLE t (id integer PRIMARY KEY, email text, active boolean);\nCREATE UNIQUE INDEX t_active_email_key ON t (email) WHERE active;",
    ),
    f(
        "index_partial_string",
        "CREATE TABLE t (id integer PRIMARY KEY, status text, n integer);\nCREATE INDEX t_active_idx ON t (n) WHERE status = 'active';",
    ),
    f(
        "index_partial_numeric_string",
        "CREATE TABLE t (id integer PRIMARY KEY, code text, n integer);\nCREATE INDEX t_007_idx ON t (n) WHERE code = '007';",
    ),
    f(
        "index_partial_in_list",
        "CREATE TABLE t (id integer PRIMARY KEY, status text, n integer);\nCREATE INDEX t_open_idx ON t (n) WHERE status IN ('a', 'b');",
    ),
    f(
        "index_partial_and_or",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer);\nCREATE INDEX t_abc_idx ON t (a) WHERE (b > 0 OR c > 0) AND a IS NOT NULL;",
    ),
    f(
        "index_unique_expression_partial",
        "CREATE TABLE t (id integer PRIMARY KEY, email text, deleted boolean NOT NULL DEFAULT false);\nCREATE UNIQUE INDEX t_email_live_key ON t (lower(email)) WHERE NOT deleted;",
    ),
    f(
        "index_desc_nulls_last",
        "CREATE TABLE t (id integer PRIMARY KEY, created_at timestamptz);\nCREATE INDEX t_created_idx ON t (created_at DESC NULLS LAST);",
    ),
    f(
        "index_asc_nulls_first",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer);\nCREATE INDEX t_n_idx ON t (n NULLS FIRST);",
    ),
    f(
        "index_expression_and_column",
        "CREATE TABLE t (id integer PRIMARY KEY, a text, b integer);\nCREATE INDEX t_a_b_idx ON t (lower(a), b DESC);",
    ),
    f(
        "index_gin_jsonb",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb);\nCREATE INDEX t_doc_idx ON t USING gin (doc);",
    ),
    f(
        "index_gin_jsonb_path_ops",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb);\nCREATE INDEX t_doc_idx ON t USING gin (doc jsonb_path_ops);",
    ),
    f(
        "index_text_pattern_ops",
        "CREATE TABLE t (id integer PRIMARY KEY, email text);\nCREATE INDEX t_email_pattern_idx ON t (email text_pattern_ops);",
    ),
    // --- index keys: operator classes and collations
    f(
        "index_opclass_unique_text_pattern_ops",
        "CREATE TABLE t (id integer PRIMARY KEY, code text);\nCREATE UNIQUE INDEX t_code_key ON t (code text_pattern_ops);",
    ),
    f(
        "index_opclass_expression_varchar_pattern_ops",
        "CREATE TABLE t (id integer PRIMARY KEY, email varchar(200));\nCREATE INDEX t_email_lower_idx ON t (lower(email) varchar_pattern_ops);",
    ),
    f(
        "index_opclass_explicit_default",
        "CREATE TABLE t (id integer PRIMARY KEY, n integer);\nCREATE INDEX t_n_idx ON t (n int4_ops);",
    ),
    f(
        "index_opclass_qualified",
        "CREATE TABLE t (id integer PRIMARY KEY, email text);\nCREATE INDEX t_email_idx ON t (email pg_catalog.text_pattern_ops DESC NULLS LAST);",
    ),
    f(
        "index_opclass_inet_ops",
        "CREATE TABLE t (id integer PRIMARY KEY, a inet);\nCREATE INDEX t_a_idx ON t USING gist (a inet_ops);",
    ),
    f(
        "index_opclass_gin_trgm_ops",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE t (id integer PRIMARY KEY, title text);\nCREATE INDEX t_title_trgm_idx ON t USING gin (title gin_trgm_ops);",
    ),
    f(
        "index_opclass_parameters",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE TABLE t (id integer PRIMARY KEY, title text);\nCREATE INDEX t_title_trgm_idx ON t USING gist (title gist_trgm_ops(siglen=32));",
    ),
    f(
        "exclusion_opclass_parameters",
        "CREATE EXTENSION pg_trgm;\nCREATE TABLE t (id integer PRIMARY KEY, title text, CONSTRAINT t_title_excl EXCLUDE USING gist (title gist_trgm_ops (siglen = 24) WITH =) WHERE (id > 0));",
    ),
    f(
        "index_opclass_parameters_quoted_qualified_and_on_expressions",
        "CREATE SCHEMA ext;\nCREATE EXTENSION pg_trgm WITH SCHEMA ext;\nCREATE EXTENSION hstore;\nCREATE EXTENSION btree_gist;\nCREATE TABLE t (id integer PRIMARY KEY, title text, h hstore);\nCREATE INDEX t_lower_trgm ON t USING gist (lower(title) ext.gist_trgm_ops (siglen = '64'), id);\nCREATE INDEX t_h ON t USING gist (h gist_hstore_ops(siglen=+16)) WHERE id > 0;",
    ),
    f(
        "index_collate_c",
        "CREATE TABLE t (id integer PRIMARY KEY, title text);\nCREATE INDEX t_title_idx ON t (title COLLATE \"C\");",
    ),
    f(
        "index_collate_expression_unique",
        "CREATE TABLE t (id integer PRIMARY KEY, title text);\nCREATE UNIQUE INDEX t_title_key ON t (lower(title) COLLATE \"POSIX\");",
    ),
    f(
        "index_collate_and_opclass",
        "CREATE TABLE t (id integer PRIMARY KEY, title text);\nCREATE INDEX t_title_idx ON t (title COLLATE \"C\" text_pattern_ops DESC);",
    ),
    f(
        "index_collate_qualified_default_column",
        "CREATE TABLE t (id integer PRIMARY KEY, title text);\nCREATE INDEX t_title_idx ON t ((title COLLATE pg_catalog.\"default\"));",
    ),
    f(
        "index_jsonb_field",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb);\nCREATE INDEX t_kind_idx ON t ((doc ->> 'kind'));",
    ),
    f(
        "index_coalesce",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nCREATE INDEX t_a_idx ON t ((COALESCE(a, 0)));",
    ),
    f(
        "index_date_trunc",
        "CREATE TABLE t (id integer PRIMARY KEY, ts timestamp);\nCREATE INDEX t_day_idx ON t (date_trunc('day', ts));",
    ),
    f(
        "index_arithmetic",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);\nCREATE INDEX t_sum_idx ON t ((a + b));",
    ),
    f(
        "index_md5",
        "CREATE TABLE t (id integer PRIMARY KEY, body text);\nCREATE INDEX t_body_md5_idx ON t (md5(body));",
    ),
    f(
        "index_include",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);\nCREATE INDEX t_a_idx ON t (a) INCLUDE (b);",
    ),
    f(
        "index_hash",
        "CREATE TABLE t (id integer PRIMARY KEY, a text);\nCREATE INDEX t_a_idx ON t USING hash (a);",
    ),
    f(
        "index_brin",
        "CREATE TABLE t (id integer PRIMARY KEY, ts timestamptz);\nCREATE INDEX t_ts_idx ON t USING brin (ts);",
    ),
    f(
        "index_collate",
        "CREATE TABLE t (id integer PRIMARY KEY, name text);\nCREATE INDEX t_name_idx ON t (name COLLATE \"C\");",
    ),
    f(
        "index_unique_nulls_not_distinct",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nCREATE UNIQUE INDEX t_a_key ON t (a) NULLS NOT DISTINCT;",
    ),
    f(
        "index_fillfactor",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nCREATE INDEX t_a_idx ON t (a) WITH (fillfactor = 70);",
    ),
    f(
        "index_storage_parameters_per_method",
        "CREATE TABLE t (id integer PRIMARY KEY, a text);\nCREATE INDEX t_a_idx ON t (a) WITH (deduplicate_items = OFF, fillfactor = '80');\nCREATE INDEX t_g_idx ON t USING gin (to_tsvector('simple', a)) WITH (fastupdate = false, gin_pending_list_limit = 64);\nCREATE INDEX t_b_idx ON t USING brin (id) WITH (pages_per_range = 8, autosummarize);",
    ),
    f(
        "index_unnamed",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);\nCREATE INDEX ON t (a);\nCREATE INDEX ON t (lower(b));",
    ),
    f(
        "index_partial_typed_constant",
        "CREATE TABLE t (id integer PRIMARY KEY, d date);\nCREATE INDEX t_recent_idx ON t (d) WHERE d > DATE '2020-01-01';",
    ),
    // --- types, operator classes and functions of contrib extensions
    f(
        "extension_citext_column_default_and_array",
        "CREATE EXTENSION IF NOT EXISTS citext;\nCREATE TABLE t (id integer PRIMARY KEY, email citext NOT NULL UNIQUE DEFAULT 'X@Y'::citext, aliases citext[] DEFAULT '{}');",
    ),
    f(
        "extension_hstore_explicit_default_operator_class",
        "CREATE EXTENSION hstore;\nCREATE TABLE t (id integer PRIMARY KEY, attrs hstore DEFAULT 'a=>1'::hstore);\nCREATE INDEX t_attrs_gist ON t USING gist (attrs gist_hstore_ops);\nCREATE INDEX t_attrs_gin ON t USING gin (attrs gin_hstore_ops);",
    ),
    f(
        "extension_ltree_check_and_expression_index",
        "CREATE EXTENSION ltree;\nCREATE TABLE t (id integer PRIMARY KEY, path ltree NOT NULL CHECK (path <@ 'top'::ltree));\nCREATE INDEX t_parent ON t (subpath(path, 0, 1));",
    ),
    f(
        "extension_in_its_own_schema",
        "CREATE SCHEMA ext;\nCREATE EXTENSION citext WITH SCHEMA ext;\nCREATE TABLE t (id integer PRIMARY KEY, name ext.citext, names ext.citext[]);",
    ),
    f(
        "extension_uuid_ossp_and_pgcrypto_defaults",
        "CREATE EXTENSION \"uuid-ossp\";\nCREATE EXTENSION pgcrypto;\nCREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), token bytea DEFAULT gen_random_bytes(16), digest bytea DEFAULT digest('x', 'sha256'));",
    ),
    f(
        "extension_isn_and_cube_columns",
        "CREATE EXTENSION isn;\nCREATE EXTENSION cube;\nCREATE TABLE t (id integer PRIMARY KEY, ean ean13 UNIQUE, box cube DEFAULT '(0,0),(1,1)'::cube);",
    ),
    f(
        "extension_btree_gist_operator_class_on_scalar",
        "CREATE EXTENSION btree_gist;\nCREATE TABLE t (id integer PRIMARY KEY, n integer, s text);\nCREATE INDEX t_n_s ON t USING gist (n gist_int4_ops, s);",
    ),
    // --- partitioned tables
    f(
        "partition_range_with_key_index_and_default",
        "CREATE TABLE m (id bigint NOT NULL, at date NOT NULL, v text DEFAULT 'x' CHECK (v <> ''), PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE INDEX m_v ON m (v);\nCREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nCREATE TABLE m_rest PARTITION OF m DEFAULT;",
    ),
    f(
        "partition_timestamptz_bounds_postgres_normalises",
        "CREATE TABLE m (id bigint NOT NULL, at timestamptz NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE TABLE m_2024 PARTITION OF m FOR VALUES FROM ('2024-01-01') TO ('2025-01-01 00:00');",
    ),
    f(
        "partition_list_on_expression_with_hash_sub_partitions",
        "CREATE TABLE m (id integer PRIMARY KEY, code text NOT NULL) PARTITION BY LIST (id);\nCREATE TABLE m_small PARTITION OF m FOR VALUES IN (1, 2, 3) PARTITION BY HASH (id);\nCREATE TABLE m_small_0 PARTITION OF m_small FOR VALUES WITH (MODULUS 2, REMAINDER 0);\nCREATE TABLE m_small_1 PARTITION OF m_small FOR VALUES WITH (MODULUS 2, REMAINDER 1);\nCREATE TABLE m_other PARTITION OF m DEFAULT;",
    ),
    f(
        "partition_attached_as_pg_dump_writes_it",
        "CREATE TABLE m (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);\nCREATE TABLE m_2024 (id integer NOT NULL, at date NOT NULL);\nALTER TABLE ONLY m ATTACH PARTITION m_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nALTER TABLE ONLY m ADD CONSTRAINT m_pkey PRIMARY KEY (id, at);\nALTER TABLE ONLY m_2024 ADD CONSTRAINT m_2024_pkey PRIMARY KEY (id, at);\nALTER INDEX m_pkey ATTACH PARTITION m_2024_pkey;\nCREATE INDEX m_at_idx ON ONLY m USING btree (at);\nCREATE INDEX m_2024_at_idx ON m_2024 USING btree (at);\nALTER INDEX m_at_idx ATTACH PARTITION m_2024_at_idx;",
    ),
    f(
        "partition_own_check_and_index_and_foreign_key_to_parent",
        "CREATE TABLE m (id integer NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);\nCREATE TABLE m_old PARTITION OF m (CONSTRAINT m_old_id CHECK (id > 0)) FOR VALUES FROM (MINVALUE) TO ('2000-01-01');\nCREATE INDEX m_old_id_idx ON m_old (id);\nCREATE TABLE r (id integer PRIMARY KEY, m_id integer, m_at date, FOREIGN KEY (m_id, m_at) REFERENCES m (id, at));",
    ),
    f(
        "partition_key_with_collation_and_two_columns",
        "CREATE TABLE m (a text NOT NULL, b integer NOT NULL) PARTITION BY RANGE (a COLLATE \"C\", b);\nCREATE TABLE m_1 PARTITION OF m FOR VALUES FROM ('a', 0) TO ('m', MAXVALUE);",
    ),
    // --- generated columns
    f(
        "generated_sum",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer, c integer GENERATED ALWAYS AS (a + b) STORED);",
    ),
    f(
        "generated_concat",
        "CREATE TABLE t (id integer PRIMARY KEY, first text, last text, full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED);",
    ),
    f(
        "generated_lower",
        "CREATE TABLE t (id integer PRIMARY KEY, email text, email_key text GENERATED ALWAYS AS (lower(email)) STORED);",
    ),
    f(
        "generated_cast",
        "CREATE TABLE t (id integer PRIMARY KEY, price numeric, cents integer GENERATED ALWAYS AS ((price * 100)::integer) STORED);",
    ),
    f(
        "generated_case",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, sign text GENERATED ALWAYS AS (CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END) STORED);",
    ),
    f(
        "generated_coalesce",
        "CREATE TABLE t (id integer PRIMARY KEY, nick text, name text, shown text GENERATED ALWAYS AS (COALESCE(nick, name, '')) STORED);",
    ),
    f(
        "generated_jsonb_field",
        "CREATE TABLE t (id integer PRIMARY KEY, doc jsonb, kind text GENERATED ALWAYS AS (doc ->> 'kind') STORED);",
    ),
    f(
        "generated_tsvector",
        "CREATE TABLE t (id integer PRIMARY KEY, body text, search tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, COALESCE(body, ''))) STORED);",
    ),
    f(
        "generated_numeric_string_concat",
        "CREATE TABLE t (id integer PRIMARY KEY, code text, tagged text GENERATED ALWAYS AS (code || '007') STORED);",
    ),
    f(
        "generated_round",
        "CREATE TABLE t (id integer PRIMARY KEY, price numeric(10,2), gross numeric GENERATED ALWAYS AS (round(price * 1.2, 2)) STORED);",
    ),
    f(
        "generated_boolean",
        "CREATE TABLE t (id integer PRIMARY KEY, deleted_at timestamptz, deleted boolean GENERATED ALWAYS AS (deleted_at IS NOT NULL) STORED);",
    ),
    f(
        "generated_not_null",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer NOT NULL, twice integer NOT NULL GENERATED ALWAYS AS (a * 2) STORED);",
    ),
    // --- table options the catalog records
    f(
        "table_fillfactor",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer) WITH (fillfactor = 70);",
    ),
    f(
        "table_storage_parameters_and_toast",
        "CREATE TABLE t (id integer PRIMARY KEY, a text) WITH (Autovacuum_Enabled = OFF, toast.autovacuum_enabled = 0, autovacuum_vacuum_scale_factor = 0.25, OIDS = FALSE);\nALTER TABLE t SET (fillfactor = 60, autovacuum_enabled = on);\nALTER TABLE t RESET (autovacuum_vacuum_scale_factor);",
    ),
    f(
        "table_unlogged",
        "CREATE UNLOGGED TABLE t (id integer PRIMARY KEY, a integer);",
    ),
    f(
        "table_unlogged_with_index_and_identity",
        "CREATE UNLOGGED TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, a integer);\nCREATE INDEX t_a_idx ON t (a);",
    ),
    f(
        "table_set_unlogged",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nALTER TABLE t SET UNLOGGED;",
    ),
    f(
        "table_set_logged",
        "CREATE UNLOGGED TABLE t (id integer PRIMARY KEY, a integer);\nALTER TABLE t SET LOGGED;",
    ),
    f(
        "table_enable_row_level_security",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;",
    ),
    f(
        "table_force_row_level_security",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nALTER TABLE t FORCE ROW LEVEL SECURITY;",
    ),
    f(
        "table_force_without_enable_row_level_security",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nALTER TABLE t FORCE ROW LEVEL SECURITY;",
    ),
    f(
        "table_disable_row_level_security",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer);\nALTER TABLE t ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\nALTER TABLE t DISABLE ROW LEVEL SECURITY;\nALTER TABLE t NO FORCE ROW LEVEL SECURITY;",
    ),
    f(
        "table_unlogged_row_level_security",
        "CREATE UNLOGGED TABLE t (id integer PRIMARY KEY);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;",
    ),
    f(
        "table_partition_by_range",
        "CREATE TABLE t (id integer NOT NULL, created date NOT NULL, PRIMARY KEY (id, created)) PARTITION BY RANGE (created);",
    ),
    f(
        "foreign_key_not_valid",
        "CREATE TABLE p (id integer PRIMARY KEY);\nCREATE TABLE t (id integer PRIMARY KEY, p_id integer);\nALTER TABLE t ADD CONSTRAINT t_p_id_fkey FOREIGN KEY (p_id) REFERENCES p (id) NOT VALID;",
    ),
    f(
        "check_not_valid_and_validated",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);\nALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID;\nALTER TABLE ONLY t ADD CONSTRAINT t_b_check CHECK ((b <> ''::text)) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT t_b_check;",
    ),
    f(
        "primary_key_and_unique_include",
        "CREATE TABLE t (id integer, a text, b text, c integer, PRIMARY KEY (id) INCLUDE (c), UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b, c));",
    ),
    f(
        "exclusion_constraints",
        "CREATE TABLE t (id integer PRIMARY KEY, net inet, code text, note text, gone boolean, EXCLUDE USING gist (net inet_ops WITH &&) WHERE (NOT gone), CONSTRAINT t_code_x EXCLUDE (lower(code) COLLATE \"C\" WITH =) INCLUDE (note) DEFERRABLE INITIALLY DEFERRED);\nALTER TABLE t ADD EXCLUDE USING hash (code WITH OPERATOR(pg_catalog.=));",
    ),
    f(
        "equal_exclusion_constraints_in_create_table_are_one",
        "CREATE TABLE t (id integer PRIMARY KEY, s integer, d inet, CONSTRAINT t_named EXCLUDE USING gist (d inet_ops WITH &&), EXCLUDE USING gist (d inet_ops WITH &&), EXCLUDE (s WITH =), EXCLUDE (s WITH =) DEFERRABLE);",
    ),
    f(
        "comments_on_constraints_and_indexes",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer CHECK (a > 0), b text UNIQUE);\nCREATE INDEX ON t (lower(b));\nCOMMENT ON CONSTRAINT t_pkey ON t IS 'the key';\nCOMMENT ON CONSTRAINT t_a_check ON t IS 'positive';\nCOMMENT ON CONSTRAINT t_b_key ON t IS E'one\\nper b';\nCOMMENT ON INDEX t_lower_idx IS 'it''s for search';",
    ),
    f(
        "column_storage_and_compression",
        "CREATE TYPE mood AS ENUM ('a');\nCREATE DOMAIN note AS text;\nCREATE TABLE t (id integer PRIMARY KEY, body text COMPRESSION lz4, raw bytea, n numeric COMPRESSION pglz, m mood, d note COMPRESSION lz4, tags text[]);\nALTER TABLE ONLY t ALTER COLUMN raw SET STORAGE EXTERNAL;\nALTER TABLE ONLY t ALTER COLUMN raw SET COMPRESSION lz4;\nALTER TABLE t ALTER COLUMN n SET STORAGE MAIN, ALTER COLUMN tags SET STORAGE MAIN;\nALTER TABLE t ALTER COLUMN d SET STORAGE PLAIN;\nALTER TABLE t ALTER COLUMN m SET STORAGE PLAIN;",
    ),
    f(
        "partition_storage_of_its_own",
        "CREATE TABLE m (k integer NOT NULL, v text COMPRESSION lz4) PARTITION BY LIST (k);\nALTER TABLE m ALTER COLUMN v SET STORAGE EXTERNAL;\nCREATE TABLE m1 PARTITION OF m FOR VALUES IN (1);\nALTER TABLE ONLY m ALTER COLUMN v SET STORAGE MAIN;\nCREATE TABLE m2 (k integer NOT NULL, v text);\nALTER TABLE ONLY m2 ALTER COLUMN v SET STORAGE PLAIN;\nALTER TABLE ONLY m ATTACH PARTITION m2 FOR VALUES IN (2);",
    ),
    f(
        "foreign_key_actions",
        "CREATE TABLE p (id integer PRIMARY KEY);\nCREATE TABLE t (id integer PRIMARY KEY, p_id integer REFERENCES p (id) ON DELETE SET NULL ON UPDATE CASCADE);",
    ),
    f(
        "unique_deferrable",
        "CREATE TABLE t (id integer PRIMARY KEY, a integer, CONSTRAINT t_a_key UNIQUE (a) DEFERRABLE INITIALLY DEFERRED);",
    ),
    f(
        "comments_on_table_and_column",
        "CREATE TABLE t (id integer PRIMARY KEY, c text DEFAULT '007');\nCOMMENT ON TABLE t IS 'it''s a table';\nCOMMENT ON COLUMN t.c IS 'code, not a number';",
    ),
    f(
        "comments_on_sequences_types_schemas_and_extensions",
        "CREATE EXTENSION hstore;\nCREATE EXTENSION citext;\nCREATE SEQUENCE tickets START 10;\nCREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TYPE pair AS (a integer, b text);\nCREATE DOMAIN posint AS integer CHECK (VALUE > 0);\nCREATE TABLE t (id serial PRIMARY KEY, m mood, p pair, n posint);\nCOMMENT ON SEQUENCE tickets IS 'ticket numbers';\nCOMMENT ON SEQUENCE t_id_seq IS 'the serial''s';\nCOMMENT ON TYPE mood IS E'how it\\nwent';\nCOMMENT ON TYPE pair IS 'two things';\nCOMMENT ON TYPE posint IS 'a domain, named as a type';\nCOMMENT ON SCHEMA public IS 'tables';\nCOMMENT ON EXTENSION hstore IS 'pairs';\nCOMMENT ON EXTENSION citext IS NULL;",
    ),
    f(
        "comments_on_public_removed_and_an_extension_as_pg_dump_writes_it",
        "CREATE EXTENSION pg_trgm;\nCOMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';\nCOMMENT ON SCHEMA public IS '';\nCREATE TABLE t (id integer PRIMARY KEY);",
    ),
    refused(
        "comment_on_an_identity_sequence",
        "S0003",
        "identity column `t.id`",
        "CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);\nCOMMENT ON SEQUENCE t_id_seq IS 'numbers';",
    ),
    refused(
        "comment_on_a_table_row_type",
        "S0003",
        "row type of table `t`",
        "CREATE TABLE t (id integer PRIMARY KEY);\nCOMMENT ON TYPE t IS 'rows';",
    ),
    f(
        "quoted_mixed_case_names",
        r#"CREATE TABLE "Things" (id integer PRIMARY KEY, "Code" text DEFAULT '007' CHECK ("Code" <> ''));"#,
    ),
    // --- domains
    f(
        "domain_check_unnamed_and_named",
        "CREATE DOMAIN posint AS integer CHECK (VALUE > 0) CONSTRAINT posint_small CHECK (VALUE < 1000);\nCREATE TABLE t (id posint PRIMARY KEY, c posint);",
    ),
    f(
        "domain_default_and_not_null",
        "CREATE DOMAIN code AS varchar(3) DEFAULT 'AAA' NOT NULL;\nCREATE TABLE t (id integer PRIMARY KEY, c code, d code DEFAULT 'B');",
    ),
    f(
        "domain_default_null_with_typmod",
        "CREATE DOMAIN short AS varchar(5) DEFAULT NULL;\nCREATE DOMAIN plain AS integer DEFAULT NULL;\nCREATE TABLE t (id integer PRIMARY KEY, s short, p plain);",
    ),
    f(
        "domain_check_casts_and_functions",
        "CREATE DOMAIN email AS text CHECK (VALUE ~ '^[^@]+@[^@]+$' AND VALUE = lower(VALUE));\nCREATE DOMAIN money2 AS numeric(10,2) CHECK (VALUE >= 0.00::numeric);\nCREATE TABLE t (id integer PRIMARY KEY, e email, m money2 DEFAULT 1.5);",
    ),
    f(
        "domain_over_enum_and_domain",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE DOMAIN good AS mood DEFAULT 'ok' CHECK (VALUE <> 'sad');\nCREATE DOMAIN best AS good CHECK (VALUE::mood = 'happy');\nCREATE TABLE t (id integer PRIMARY KEY, g good, b best, gs good[]);",
    ),
    f(
        "domain_over_array_and_collate",
        "CREATE DOMAIN ints AS integer[] CHECK (cardinality(VALUE) <= 3);\nCREATE DOMAIN c_text AS text COLLATE \"C\";\nCREATE TABLE t (id integer PRIMARY KEY, i ints DEFAULT '{1,2}', c c_text);",
    ),
    f(
        "domain_with_comment_and_arrays",
        "CREATE DOMAIN amount AS bigint NOT NULL CHECK (VALUE <> 0);\nCOMMENT ON DOMAIN amount IS 'never zero';\nCREATE TABLE t (id integer PRIMARY KEY, a amount, b amount[]);",
    ),
    f(
        "domain_timestamp_and_interval_constants",
        "CREATE DOMAIN since AS timestamptz DEFAULT '2020-01-01' CHECK (VALUE > '2000-01-01');\nCREATE DOMAIN span AS interval DEFAULT '15 minutes' CHECK (VALUE < interval '1 day');\nCREATE TABLE t (id integer PRIMARY KEY, s since, p span);",
    ),
    // --- composite types
    f(
        "composite_type_columns",
        "CREATE TYPE pair AS (a integer, b text COLLATE \"C\", c numeric(5,2));\nCREATE TABLE t (id integer PRIMARY KEY, p pair, ps pair[]);",
    ),
    f(
        "composite_type_nested_with_enum_and_domain",
        "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE DOMAIN pos AS integer CHECK (VALUE > 0);\nCREATE TYPE inner_t AS (m mood, n pos);\nCREATE TYPE outer_t AS (i inner_t, tags text[], at timestamptz);\nCREATE TABLE t (id integer PRIMARY KEY, o outer_t NOT NULL);",
    ),
    f(
        "composite_type_column_default",
        "CREATE TYPE pair AS (a integer, b text);\nCREATE TABLE t (id integer PRIMARY KEY, p pair DEFAULT ROW(1, 'x'), q pair DEFAULT '(2,y)');",
    ),
    refused(
        "range_type",
        "S0002",
        "CREATE TYPE",
        "CREATE TYPE floatrange AS RANGE (subtype = float8);\nCREATE TABLE t (id integer PRIMARY KEY);",
    ),
    f(
        "domain_check_not_valid",
        "CREATE DOMAIN d AS integer;\nALTER DOMAIN d ADD CONSTRAINT d_pos CHECK (VALUE > 0) NOT VALID;\nCREATE TABLE t (id integer PRIMARY KEY, v d);",
    ),
    // --- functions and procedures
    f(
        "function_sql_in_a_default_and_a_check",
        "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE AS $$ SELECT 'C-' || floor(random() * 100)::int $$;\nCREATE FUNCTION code_ok(c text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT c LIKE ''C-%''';\nCREATE TABLE t (id integer PRIMARY KEY, code text NOT NULL DEFAULT next_code() CHECK (code_ok(code)));",
    ),
    f(
        "function_plpgsql_with_attributes_and_set_options",
        "CREATE FUNCTION bump(INOUT n integer, step integer DEFAULT 1)\n  LANGUAGE plpgsql STABLE PARALLEL RESTRICTED COST 20\n  SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '16MB'\n  AS $fn$\nBEGIN\n  n := n + step; -- one step\nEND\n$fn$;\nCOMMENT ON FUNCTION bump(integer, integer) IS 'adds a step';\nCREATE TABLE t (id integer PRIMARY KEY);",
    ),
    f(
        "function_returning_table_setof_and_variadic",
        "CREATE TABLE t (id integer PRIMARY KEY, name text);\nCREATE FUNCTION by_ids(VARIADIC ids integer[]) RETURNS SETOF t LANGUAGE sql STABLE ROWS 5 AS $$ SELECT * FROM t WHERE id = ANY(ids) $$;\nCREATE FUNCTION names() RETURNS TABLE(id integer, label text) LANGUAGE sql AS $$ SELECT id, upper(name) FROM t $$;",
    ),
    f(
        "procedure_with_inout_and_comment",
        "CREATE TABLE t (id integer PRIMARY KEY);\nCREATE PROCEDURE add_row(IN i integer, INOUT added integer DEFAULT NULL) LANGUAGE plpgsql AS $$ BEGIN INSERT INTO t VALUES (i); added := i; END $$;\nCOMMENT ON PROCEDURE add_row(integer, integer) IS 'inserts one';",
    ),
    refused(
        "function_with_a_sql_standard_body",
        "S0003",
        "BEGIN ATOMIC",
        "CREATE TABLE t (id integer PRIMARY KEY);\nCREATE FUNCTION one() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT 1; END;",
    ),
    f(
        "function_with_empty_and_quoted_search_paths",
        "CREATE FUNCTION locked_down() RETURNS integer LANGUAGE sql SECURITY DEFINER SET search_path = '' AS 'SELECT 1';\nCREATE FUNCTION users_first() RETURNS integer LANGUAGE sql SET search_path TO \"$user\", public, 'Mixed Case' AS 'SELECT 1';\nCREATE TABLE t (id integer PRIMARY KEY);",
    ),
    // --- views and materialized views
    f(
        "view_plain_with_comment_and_column_comment",
        "CREATE TABLE films (code char(5) PRIMARY KEY, title varchar(40) NOT NULL, kind varchar(10));\nCREATE VIEW comedies AS\n    SELECT code, title FROM films WHERE kind = 'Comedy';\nCOMMENT ON VIEW comedies IS 'every comedy';\nCOMMENT ON COLUMN comedies.title IS 'as released';",
    ),
    f(
        "view_column_list_options_and_check_option",
        "CREATE TABLE t (id integer PRIMARY KEY, v text);\nCREATE VIEW w (ident, value) WITH (security_barrier, security_invoker = on) AS SELECT id, v::varchar(20) FROM t WHERE id > 0 WITH CASCADED CHECK OPTION;",
    ),
    f(
        "view_recursive_and_view_on_view",
        "CREATE RECURSIVE VIEW nums (n) AS VALUES (1) UNION ALL SELECT n + 1 FROM nums WHERE n < 10;\nCREATE VIEW evens AS SELECT n FROM nums WHERE n % 2 = 0;",
    ),
    f(
        "materialized_view_no_data_with_indexes_and_comments",
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric);\nCREATE MATERIALIZED VIEW totals WITH (fillfactor = 90) AS SELECT customer, sum(total) AS total FROM orders GROUP BY customer WITH NO DATA;\nCREATE UNIQUE INDEX totals_customer ON totals (customer);\nCREATE INDEX ON totals (lower(customer)) WHERE total > 0;\nCOMMENT ON MATERIALIZED VIEW totals IS 'per customer';\nCOMMENT ON INDEX totals_customer IS 'one row each';",
    ),
    // --- triggers (on PostgreSQL's own trigger function) and policies
    f(
        "trigger_row_when_columns_and_arguments",
        "CREATE TABLE t (id integer PRIMARY KEY, status text, n numeric);\nCREATE TRIGGER t_noop BEFORE UPDATE OF status, n ON t FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.n > 0.5) EXECUTE FUNCTION suppress_redundant_updates_trigger('it''s', 007, 1.50, Name, \"Quoted\");\nALTER TABLE t DISABLE TRIGGER t_noop;\nCOMMENT ON TRIGGER t_noop ON t IS 'no-op updates skipped';",
    ),
    f(
        "trigger_statement_transition_tables_and_truncate",
        "CREATE TABLE t (id integer PRIMARY KEY);\nCREATE TRIGGER t_new AFTER INSERT ON t REFERENCING NEW TABLE AS \"New Rows\" FOR EACH STATEMENT EXECUTE PROCEDURE suppress_redundant_updates_trigger();\nCREATE TRIGGER t_both AFTER UPDATE ON t REFERENCING OLD TABLE old_rows NEW TABLE new_rows FOR STATEMENT EXECUTE FUNCTION suppress_redundant_updates_trigger();\nCREATE TRIGGER t_truncate AFTER TRUNCATE ON t EXECUTE FUNCTION suppress_redundant_updates_trigger();\nALTER TABLE t ENABLE ALWAYS TRIGGER t_truncate;",
    ),
    f(
        "trigger_constraint_deferrable_from_another_table",
        "CREATE TABLE r (id integer PRIMARY KEY);\nCREATE TABLE t (id integer PRIMARY KEY, r_id integer);\nCREATE CONSTRAINT TRIGGER t_check AFTER INSERT OR UPDATE OF r_id ON t FROM r DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();\nCREATE CONSTRAINT TRIGGER t_now AFTER DELETE ON t INITIALLY IMMEDIATE FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();\nALTER TABLE t ENABLE REPLICA TRIGGER t_now;",
    ),
    f(
        "trigger_on_a_partitioned_table_and_in_another_schema",
        "CREATE SCHEMA app;\nCREATE TABLE app.m (k integer NOT NULL, v text) PARTITION BY RANGE (k);\nCREATE TABLE app.m1 PARTITION OF app.m FOR VALUES FROM (0) TO (10);\nCREATE TRIGGER \"Keep\" BEFORE UPDATE ON app.m FOR EACH ROW WHEN (NEW.v <> '') EXECUTE FUNCTION pg_catalog.suppress_redundant_updates_trigger();",
    ),
    f(
        "policy_every_command_kind_and_role",
        "CREATE TABLE t (id integer PRIMARY KEY, owner text NOT NULL, body text);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nALTER TABLE t FORCE ROW LEVEL SECURITY;\nCREATE POLICY t_all ON t USING (owner = current_user);\nCREATE POLICY t_read ON t AS PERMISSIVE FOR SELECT TO PUBLIC USING (body IS NOT NULL OR id < 10);\nCREATE POLICY t_add ON t FOR INSERT TO pg_monitor, pg_read_all_data WITH CHECK (owner = session_user AND length(body) < 100);\nCREATE POLICY t_change ON t AS RESTRICTIVE FOR UPDATE USING (true) WITH CHECK (owner <> '');\nCREATE POLICY \"Delete Own\" ON t FOR DELETE TO pg_monitor USING (owner = current_user);\nCOMMENT ON POLICY t_read ON t IS 'anyone reads';",
    ),
    f(
        "policy_in_another_schema_with_a_subquery",
        "CREATE SCHEMA app;\nCREATE TABLE app.members (name text PRIMARY KEY);\nCREATE TABLE app.docs (id integer PRIMARY KEY, owner text);\nALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;\nCREATE POLICY members_only ON app.docs USING (owner IN (SELECT name FROM app.members));",
    ),
    // --- privileges and owners of functions, procedures and types
    f(
        "privileges_security_definer_function_revoked_from_public",
        "CREATE FUNCTION check_pin(pin integer) RETURNS boolean LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$SELECT pin = 1234$$;\nREVOKE ALL ON FUNCTION check_pin(integer) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION check_pin TO schema_test_reader;\nCREATE PROCEDURE tidy() LANGUAGE sql AS $$SELECT 1$$;\nREVOKE EXECUTE ON PROCEDURE tidy FROM PUBLIC;\nGRANT EXECUTE ON ROUTINE tidy() TO schema_test_admin WITH GRANT OPTION;",
    ),
    f(
        "privileges_default_privileges_reach_functions_and_types",
        "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\nALTER DEFAULT PRIVILEGES GRANT USAGE ON TYPES TO schema_test_reader;\nCREATE FUNCTION one() RETURNS integer LANGUAGE sql AS $$SELECT 1$$;\nCREATE TYPE mood AS ENUM ('sad', 'happy');\nCREATE DOMAIN positive AS integer CHECK (VALUE > 0);\nCREATE TYPE pair AS (a integer, b integer);\nGRANT EXECUTE ON FUNCTION one() TO schema_test_writer;",
    ),
    f(
        "privileges_type_and_function_owners_in_another_schema",
        "CREATE SCHEMA app;\nCREATE TYPE app.mood AS ENUM ('sad', 'happy');\nCREATE DOMAIN app.code AS text CHECK (VALUE <> '');\nCREATE FUNCTION app.name_of(m app.mood) RETURNS text LANGUAGE sql AS $$SELECT m::text$$;\nALTER TYPE app.mood OWNER TO schema_test_admin;\nALTER DOMAIN app.code OWNER TO schema_test_writer;\nALTER FUNCTION app.name_of(app.mood) OWNER TO schema_test_admin;\nREVOKE USAGE ON DOMAIN app.code FROM PUBLIC;\nGRANT USAGE ON TYPE app.code TO schema_test_reader;",
    ),
    // --- objects carried as written: collations, text search, aggregates,
    // operators, casts, event triggers, publications, rules (from
    // PostgreSQL 15's documentation of each CREATE statement)
    f(
        "other_collations_icu_libc_and_copied_with_comments",
        "CREATE COLLATION german_phonebook (provider = icu, locale = 'de-u-co-phonebk');\nCREATE COLLATION app_posix (lc_collate = 'POSIX', lc_ctype = 'POSIX');\nCREATE COLLATION IF NOT EXISTS mycoll FROM \"C\";\nCOMMENT ON COLLATION german_phonebook IS 'phone book order';\nCREATE TABLE people (id integer PRIMARY KEY, surname text COLLATE german_phonebook, code text COLLATE app_posix);",
    ),
    f(
        "other_text_search_dictionary_and_configuration_with_mappings",
        "CREATE TEXT SEARCH DICTIONARY english_simple_dict (TEMPLATE = pg_catalog.simple, STOPWORDS = english);\nCREATE TEXT SEARCH CONFIGURATION my_english (COPY = english);\nALTER TEXT SEARCH CONFIGURATION my_english\n    ALTER MAPPING FOR asciiword WITH english_simple_dict, english_stem;\nALTER TEXT SEARCH CONFIGURATION my_english DROP MAPPING FOR email, url, url_path, sfloat, float;\nCOMMENT ON TEXT SEARCH CONFIGURATION my_english IS 'no urls';\nCREATE TABLE docs (id integer PRIMARY KEY, body text);\nCREATE INDEX docs_body ON docs USING gin (to_tsvector('my_english', body));",
    ),
    f(
        "other_aggregate_over_a_user_function_and_an_ordered_set_one",
        "CREATE FUNCTION int_sum_sq(acc bigint, x integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT acc + x * x $$;\nCREATE AGGREGATE sum_of_squares (integer) (\n    SFUNC = int_sum_sq,\n    STYPE = bigint,\n    INITCOND = '0'\n);\nCREATE AGGREGATE my_percentile (float8 ORDER BY float8) (SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);\nCOMMENT ON AGGREGATE sum_of_squares (integer) IS 'sum of x * x';",
    ),
    f(
        "other_operator_over_a_user_function_with_commutator",
        "CREATE FUNCTION close_to(a integer, b integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT abs(a - b) <= 1 $$;\nCREATE OPERATOR === (\n    LEFTARG = integer,\n    RIGHTARG = integer,\n    FUNCTION = close_to,\n    COMMUTATOR = ===,\n    RESTRICT = eqsel,\n    JOIN = eqjoinsel\n);\nCOMMENT ON OPERATOR === (integer, integer) IS 'within one';",
    ),
    f(
        "other_casts_with_function_and_with_inout",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\nCREATE FUNCTION mood_rank(m mood) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT CASE m WHEN 'sad' THEN 0 WHEN 'ok' THEN 1 ELSE 2 END $$;\nCREATE CAST (mood AS integer) WITH FUNCTION mood_rank(mood) AS ASSIGNMENT;\nCREATE CAST (mood AS text) WITH INOUT AS IMPLICIT;\nCOMMENT ON CAST (mood AS integer) IS 'rank of a mood';",
    ),
    f(
        "other_event_trigger_on_ddl_command_end_with_tags",
        "CREATE FUNCTION note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE NOTICE 'ddl: %', tg_tag; END $$;\nCREATE EVENT TRIGGER note_tables ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION note_ddl();\nALTER EVENT TRIGGER note_tables DISABLE;\nCOMMENT ON EVENT TRIGGER note_tables IS 'tables only';",
    ),
    f(
        "other_publications_for_tables_schemas_and_all_tables",
        "CREATE SCHEMA sales;\nCREATE TABLE users (id integer PRIMARY KEY, name text);\nCREATE TABLE departments (id integer PRIMARY KEY);\nCREATE TABLE sales.orders (id integer PRIMARY KEY);\nCREATE PUBLICATION mypublication FOR TABLE users, departments;\nCREATE PUBLICATION insert_only FOR TABLE users WITH (publish = 'insert');\nCREATE PUBLICATION sales_pub FOR TABLES IN SCHEMA sales;\nCREATE PUBLICATION alltables FOR ALL TABLES;\nCOMMENT ON PUBLICATION alltables IS 'everything';",
    ),
    f(
        "other_rules_do_instead_do_also_and_several_commands",
        "CREATE TABLE shoelace (name text PRIMARY KEY, avail integer);\nCREATE TABLE shoelace_log (name text, avail integer, changed timestamptz DEFAULT now());\nCREATE RULE log_shoelace AS ON UPDATE TO shoelace WHERE NEW.avail <> OLD.avail DO INSERT INTO shoelace_log (name, avail) VALUES (NEW.name, NEW.avail);\nCREATE RULE shoelace_del AS ON DELETE TO shoelace DO INSTEAD (INSERT INTO shoelace_log (name, avail) VALUES (OLD.name, -1); UPDATE shoelace SET avail = 0 WHERE name = OLD.name);\nCREATE RULE log_ignore AS ON INSERT TO shoelace_log DO ALSO NOTHING;\nCOMMENT ON RULE shoelace_del ON shoelace IS 'soft delete';",
    ),
];
