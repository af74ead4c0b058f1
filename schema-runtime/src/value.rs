//! Column values without a dialect: [`Value`], and [`Field`], the conversion
//! of a model's field to and from one.
//!
//! # Stored forms
//!
//! Every mapped Rust type (the table in `schema_core::codegen`) has one
//! [`Value`] form, which both drivers store:
//!
//! | Rust type | value | PostgreSQL text | SQLite |
//! |---|---|---|---|
//! | `i16`, `i32`, `i64` | `Int` | `-42` | INTEGER |
//! | `f32`, `f64` | `Float` | `1.5`, `NaN`, `Infinity` | REAL (NaN is stored as NULL) |
//! | `bool` | `Bool` | `true` / `false` | INTEGER `1` / `0` |
//! | `String` | `Text` | as is | TEXT |
//! | `Vec<u8>` | `Bytes` | `\x0102` | BLOB |
//! | `Option<T>` | `Null` for `None` | NULL | NULL |
//! | `Vec<T>` (arrays) | `Text` | `{a,"b c",NULL}` | the same text |
//! | a generated enum | `Text` | its label | its label |
//! | a generated composite struct | `Text` | `(1,"a b",)` ([`Attributes`]) | (no composites) |
//! | `NaiveDate`, `time::Date` | `Text` | `2024-01-05` | the same text |
//! | `NaiveTime`, `time::Time` | `Text` | `08:30:00[.ffffff]` | the same text |
//! | `NaiveDateTime`, `PrimitiveDateTime` | `Text` | `2024-01-05 08:30:00[.ffffff]` | the same text |
//! | `DateTime<Utc>`, `OffsetDateTime` | `Text` | `2024-01-05 08:30:00+00:00` | the same text |
//! | `uuid::Uuid` | `Text` | `67e55044-10b1-426f-9247-bb680e5fe0c8` | the same text |
//! | `serde_json::Value` | `Text` | its JSON | the same text |
//! | `rust_decimal::Decimal` | `Text` | `19.99` | the same text (NUMERIC affinity) |
//!
//! Years before 1 are written PostgreSQL's way (`0044-03-15 BC`); fractions of
//! a second have 6 digits, or 9 when the value has nanoseconds (PostgreSQL
//! keeps microseconds). The `chrono`, `time`, `uuid`, `json` and `decimal`
//! types need the same-named features of this crate (the features of `sqlschema`
//! turn them on).
//!
//! # Reading is lenient
//!
//! [`Field::from_value`] takes every form a driver gives for its type:
//! PostgreSQL (through [`crate::rows`]) gives text for everything (`t`, `true`
//! or `on` for a boolean, hex or escape `bytea` output, `+00`, `+05:30` or
//! `+05:53:28` offsets, which are then converted), SQLite gives integers for
//! booleans and numbers for whatever text looks like one in a column of
//! NUMERIC affinity (`numeric`, `money`, `json` and enum columns: `19.99`
//! comes back as a REAL, `1` as an INTEGER), and a `timestamptz` without an
//! offset (SQLite's `datetime('now')`) is read as UTC. Such a number keeps the
//! value but not the text: SQLite keeps 15 significant digits of a decimal,
//! and the JSON `1.0` reads back as `1`.
//!
//! Dates and times are read in PostgreSQL's default `DateStyle` (`ISO`).
//! Only one-dimensional arrays are read and written.

mod array;
mod composite;
mod crates;
#[cfg(any(feature = "chrono", feature = "time"))]
mod iso;

use std::fmt;
use std::str::FromStr;

pub use composite::Attributes;

/// One column's value, as it moves between a model and a database, in either
/// dialect.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (`smallint`, `integer`, `bigint`).
    Int(i64),
    /// A floating-point number (`real`, `double precision`).
    Float(f64),
    /// Text: strings, and the text form of every other type (see the module
    /// documentation).
    Text(String),
    /// Binary data (`bytea`).
    Bytes(Vec<u8>),
}

impl Value {
    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Parses the value's text with `T`'s [`FromStr`] (a number is taken as
    /// its text, as SQLite gives a numeric-looking text back as a number):
    /// what a [`Field`] implementation of a type with a text form calls.
    /// `expected` says what the text should be, for the error.
    ///
    /// # Errors
    /// When the value is not text (or a number), or `T` does not parse it.
    pub fn parse<T>(self, expected: &str) -> Result<T, FieldError>
    where
        T: FromStr,
        T::Err: fmt::Display,
    {
        let text = match self {
            Value::Text(text) => text,
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_text(f),
            other => return Err(FieldError::mismatch(expected, &other)),
        };
        text.parse().map_err(|e: T::Err| {
            FieldError::new(expected, &Value::Text(text.clone())).because(e.to_string())
        })
    }

    /// The text PostgreSQL's input functions read for this value (`None` for
    /// NULL): booleans as `true`/`false`, bytes as `\x` and hex digits.
    pub(crate) fn postgres_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Bool(b) => Some(b.to_string()),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(float_text(*f)),
            Value::Text(s) => Some(s.clone()),
            Value::Bytes(b) => Some(hex_text(b)),
        }
    }

    /// The value as an element of PostgreSQL's array text (`None` for NULL);
    /// booleans as `t`/`f`, as PostgreSQL prints them in an array.
    fn element_text(self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(if b { "t" } else { "f" }.to_string()),
            Value::Text(s) => Some(s),
            other => other.postgres_text(),
        }
    }

    /// The value for an error message: `NULL`, `integer 5`, `text "abc"`.
    fn describe(&self) -> String {
        const LONGEST: usize = 60;
        match self {
            Value::Null => "NULL".to_string(),
            Value::Bool(b) => format!("boolean {b}"),
            Value::Int(i) => format!("integer {i}"),
            Value::Float(f) => format!("real {}", float_text(*f)),
            Value::Text(s) if s.chars().count() > LONGEST => {
                let head: String = s.chars().take(LONGEST).collect();
                format!("text {head:?}...")
            }
            Value::Text(s) => format!("text {s:?}"),
            Value::Bytes(b) => format!("{} bytes", b.len()),
        }
    }
}

/// The text of a float that PostgreSQL reads back to the same number: the
/// shortest exact form, `NaN`, `Infinity`, `-Infinity`.
fn float_text(f: f64) -> String {
    if f.is_nan() {
        "NaN".to_string()
    } else if f.is_infinite() {
        if f > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else {
        format!("{f:?}")
    }
}

/// `bytea` in PostgreSQL's hex format: `\x` and two digits per byte.
fn hex_text(bytes: &[u8]) -> String {
    use fmt::Write as _;
    let mut text = String::with_capacity(2 + 2 * bytes.len());
    text.push_str("\\x");
    for byte in bytes {
        let _ = write!(text, "{byte:02x}");
    }
    text
}

/// `bytea` text in PostgreSQL's hex format (`\x0102`) or escape format
/// (`a\\b\001`).
fn bytes_from_text(text: &str) -> Result<Vec<u8>, String> {
    if let Some(hex) = text.strip_prefix("\\x") {
        let digits: Vec<u8> = hex
            .bytes()
            .filter(|b| !b.is_ascii_whitespace())
            .map(|b| match b {
                b'0'..=b'9' => Ok(b - b'0'),
                b'a'..=b'f' => Ok(b - b'a' + 10),
                b'A'..=b'F' => Ok(b - b'A' + 10),
                _ => Err(format!("`{}` is not a hex digit", char::from(b))),
            })
            .collect::<Result<_, _>>()?;
        if !digits.len().is_multiple_of(2) {
            return Err("an odd number of hex digits".to_string());
        }
        return Ok(digits
            .chunks(2)
            .map(|pair| pair[0] * 16 + pair[1])
            .collect());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        match bytes.get(i + 1..i + 4) {
            Some([b'\\', ..]) => {
                out.push(b'\\');
                i += 2;
            }
            Some(&[a, b, c]) if (b'0'..=b'3').contains(&a) && is_octal(b) && is_octal(c) => {
                out.push((a - b'0') * 64 + (b - b'0') * 8 + (c - b'0'));
                i += 4;
            }
            _ if bytes.get(i + 1) == Some(&b'\\') => {
                out.push(b'\\');
                i += 2;
            }
            _ => return Err("a `\\` that is not `\\\\` or three octal digits".to_string()),
        }
    }
    Ok(out)
}

fn is_octal(b: u8) -> bool {
    (b'0'..=b'7').contains(&b)
}

/// A value that does not convert to a field's type: what was expected, what
/// came, and why it did not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    expected: String,
    found: String,
    reason: Option<String>,
}

impl FieldError {
    /// `found` is not `expected` (`"an i32"`, `"a date (YYYY-MM-DD)"`).
    pub fn new(expected: impl Into<String>, found: &Value) -> Self {
        FieldError {
            expected: expected.into(),
            found: found.describe(),
            reason: None,
        }
    }

    /// [`FieldError::new`], saying that NULL needs an `Option` when `found` is
    /// NULL.
    fn mismatch(expected: impl Into<String>, found: &Value) -> Self {
        let error = FieldError::new(expected, found);
        if found.is_null() {
            error.because("the field is not an `Option`")
        } else {
            error
        }
    }

    /// The same error, saying why.
    #[must_use]
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// What the field's type takes (`an i32`).
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// The value that came, described (`text "abc"`, `NULL`).
    pub fn found(&self) -> &str {
        &self.found
    }

    /// Why the value does not do, when that is more than a type mismatch.
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}, found {}", self.expected, self.found)?;
        if let Some(reason) = &self.reason {
            write!(f, ": {reason}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FieldError {}

/// A type a model's field may have: it converts to a [`Value`] and back.
///
/// Implemented for every type of the mapping in `schema_core::codegen`
/// (those of optional crates behind this crate's same-named features), for
/// `Option<T>` (NULL is `None`), for `Vec<T>` (an array, in PostgreSQL's array
/// text), and by `schema!()` for each generated enum (its label) and each
/// composite type's struct (its record text, through [`Attributes`]).
pub trait Field: Sized {
    /// The value to store.
    fn to_value(&self) -> Value;

    /// The field from a stored value, in any form a driver gives for the type
    /// (see the [module documentation](self)).
    ///
    /// # Errors
    /// When the value is not one of this type.
    fn from_value(value: Value) -> Result<Self, FieldError>;
}

impl Field for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        const EXPECTED: &str = "a boolean";
        match value {
            Value::Bool(b) => Ok(b),
            Value::Int(0) => Ok(false),
            Value::Int(1) => Ok(true),
            Value::Text(ref text) => match text.trim().to_ascii_lowercase().as_str() {
                "t" | "true" | "y" | "yes" | "on" | "1" => Ok(true),
                "f" | "false" | "n" | "no" | "off" | "0" => Ok(false),
                _ => Err(FieldError::new(EXPECTED, &value)),
            },
            other => Err(FieldError::mismatch(EXPECTED, &other)),
        }
    }
}

/// `Field` for an integer type, from `Int`, from integral `Float` and from
/// text.
macro_rules! integer_field {
    ($($ty:ty => $expected:literal),* $(,)?) => {$(
        impl Field for $ty {
            fn to_value(&self) -> Value {
                Value::Int(i64::from(*self))
            }

            fn from_value(value: Value) -> Result<Self, FieldError> {
                let wide: i64 = match value {
                    Value::Int(i) => i,
                    Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => f as i64,
                    Value::Text(ref text) => match text.trim().parse() {
                        Ok(i) => i,
                        Err(e) => return Err(FieldError::new($expected, &value).because(format!("{e}"))),
                    },
                    other => return Err(FieldError::mismatch($expected, &other)),
                };
                <$ty>::try_from(wide)
                    .map_err(|_| FieldError::new($expected, &Value::Int(wide)).because("out of range"))
            }
        }
    )*};
}

integer_field!(i16 => "an i16", i32 => "an i32", i64 => "an i64");

impl Field for f64 {
    fn to_value(&self) -> Value {
        Value::Float(*self)
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        match value {
            Value::Float(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            Value::Text(ref text) => text
                .trim()
                .parse()
                .map_err(|e| FieldError::new("an f64", &value).because(format!("{e}"))),
            other => Err(FieldError::mismatch("an f64", &other)),
        }
    }
}

impl Field for f32 {
    fn to_value(&self) -> Value {
        Value::Float(f64::from(*self))
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        match value {
            Value::Float(f) if f.is_finite() && f.abs() > f64::from(f32::MAX) => {
                Err(FieldError::new("an f32", &value).because("out of range"))
            }
            Value::Float(f) => Ok(f as f32),
            Value::Int(i) => Ok(i as f32),
            // Parsed as `f32` directly: no double rounding through `f64`.
            Value::Text(ref text) => text
                .trim()
                .parse()
                .map_err(|e| FieldError::new("an f32", &value).because(format!("{e}"))),
            other => Err(FieldError::mismatch("an f32", &other)),
        }
    }
}

impl Field for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        match value {
            Value::Text(text) => Ok(text),
            Value::Int(i) => Ok(i.to_string()),
            Value::Float(f) => Ok(float_text(f)),
            Value::Bytes(bytes) => String::from_utf8(bytes).map_err(|e| {
                FieldError::new("text", &Value::Bytes(e.into_bytes())).because("not UTF-8")
            }),
            other => Err(FieldError::mismatch("text", &other)),
        }
    }
}

impl Field for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Bytes(self.clone())
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        const EXPECTED: &str = "bytes";
        match value {
            Value::Bytes(bytes) => Ok(bytes),
            Value::Text(ref text) => {
                bytes_from_text(text).map_err(|e| FieldError::new(EXPECTED, &value).because(e))
            }
            other => Err(FieldError::mismatch(EXPECTED, &other)),
        }
    }
}

impl<T: Field> Field for Option<T> {
    fn to_value(&self) -> Value {
        match self {
            Some(value) => value.to_value(),
            None => Value::Null,
        }
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        match value {
            Value::Null => Ok(None),
            value => T::from_value(value).map(Some),
        }
    }
}

/// An array (`T[]`), as PostgreSQL's array text: `{1,2}`, `{"a b",NULL}`.
impl<T: Field> Field for Vec<T> {
    fn to_value(&self) -> Value {
        let elements: Vec<Option<String>> = self
            .iter()
            .map(|element| element.to_value().element_text())
            .collect();
        Value::Text(array::format(&elements))
    }

    fn from_value(value: Value) -> Result<Self, FieldError> {
        const EXPECTED: &str = "an array (`{a,b}`)";
        let Value::Text(text) = value else {
            return Err(FieldError::mismatch(EXPECTED, &value));
        };
        let elements = match array::parse(&text) {
            Ok(elements) => elements,
            Err(reason) => {
                return Err(FieldError::new(EXPECTED, &Value::Text(text)).because(reason));
            }
        };
        elements
            .into_iter()
            .enumerate()
            .map(|(i, element)| {
                T::from_value(element.map_or(Value::Null, Value::Text)).map_err(|e| {
                    FieldError::new(EXPECTED, &Value::Text(text.clone()))
                        .because(format!("element {}: {e}", i + 1))
                })
            })
            .collect()
    }
}

/// `From` a Rust value, for key values and parameters: `User::find(&conn,
/// &[1.into()])`.
macro_rules! from_field {
    ($($ty:ty),* $(,)?) => {$(
        impl From<$ty> for Value {
            fn from(value: $ty) -> Self {
                Field::to_value(&value)
            }
        }
    )*};
}

from_field!(bool, i16, i32, i64, f32, f64, String, Vec<u8>);

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Value::Text(value.to_string())
    }
}

impl From<&[u8]> for Value {
    fn from(value: &[u8]) -> Self {
        Value::Bytes(value.to_vec())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Field + PartialEq + fmt::Debug>(value: T) {
        let stored = value.to_value();
        assert_eq!(
            T::from_value(stored.clone()).as_ref(),
            Ok(&value),
            "{stored:?}"
        );
        // PostgreSQL moves everything as text.
        let text = stored.postgres_text().map_or(Value::Null, Value::Text);
        assert_eq!(T::from_value(text.clone()).as_ref(), Ok(&value), "{text:?}");
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    #[test]
    fn numbers_round_trip_and_out_of_range_is_an_error() {
        round_trip(-32768_i16);
        round_trip(i32::MIN);
        round_trip(i64::MAX);
        round_trip(-0.1_f32);
        round_trip(f32::MAX);
        round_trip(1e300_f64);
        round_trip(-5e-324_f64);
        round_trip(f64::INFINITY);
        round_trip(f64::NEG_INFINITY);
        assert_eq!(i16::from_value(text("-12")), Ok(-12));
        assert_eq!(i64::from_value(Value::Float(3.0)), Ok(3));
        let err = i16::from_value(Value::Int(70000)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an i16, found integer 70000: out of range"
        );
        let err = i32::from_value(text("1.5")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an i32, found text \"1.5\": invalid digit found in string"
        );
        assert!(f32::from_value(Value::Float(1e300)).is_err());
    }

    #[test]
    fn nan_is_written_as_postgresql_reads_it() {
        let stored = f64::NAN.to_value();
        assert_eq!(stored.postgres_text().as_deref(), Some("NaN"));
        assert!(f64::from_value(text("NaN")).is_ok_and(f64::is_nan));
        assert!(f32::from_value(text("NaN")).is_ok_and(f32::is_nan));
        assert_eq!(f64::from_value(text("-Infinity")), Ok(f64::NEG_INFINITY));
        assert_eq!(
            f64::INFINITY.to_value().postgres_text().as_deref(),
            Some("Infinity")
        );
    }

    #[test]
    fn booleans_are_read_in_every_form_a_driver_gives() {
        round_trip(true);
        round_trip(false);
        assert_eq!(bool::from_value(Value::Int(1)), Ok(true));
        assert_eq!(bool::from_value(text("t")), Ok(true));
        assert_eq!(bool::from_value(text("f")), Ok(false));
        assert_eq!(bool::from_value(text("FALSE")), Ok(false));
        assert!(bool::from_value(Value::Int(2)).is_err());
        assert!(bool::from_value(text("maybe")).is_err());
    }

    #[test]
    fn null_is_none_and_an_error_for_a_field_that_is_not_an_option() {
        round_trip(None::<i32>);
        round_trip(Some(String::new()));
        assert_eq!(Option::<i32>::from_value(Value::Null), Ok(None));
        let err = i32::from_value(Value::Null).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an i32, found NULL: the field is not an `Option`"
        );
    }

    #[test]
    fn strings_take_numbers_that_sqlite_made_of_their_text() {
        round_trip("héllo, \"world\"\n".to_string());
        assert_eq!(String::from_value(Value::Int(12)), Ok("12".to_string()));
        assert_eq!(String::from_value(Value::Float(1.5)), Ok("1.5".to_string()));
        assert!(String::from_value(Value::Bytes(vec![0xff])).is_err());
    }

    #[test]
    fn bytes_read_postgresql_hex_and_escape_output() {
        round_trip(vec![0_u8, 1, 0xab, 0xff]);
        round_trip(Vec::<u8>::new());
        assert_eq!(
            vec![0_u8, 0xab].to_value().postgres_text().as_deref(),
            Some("\\x00ab")
        );
        assert_eq!(
            Vec::<u8>::from_value(text("\\xDEADbeef")),
            Ok(vec![0xde, 0xad, 0xbe, 0xef])
        );
        assert_eq!(
            Vec::<u8>::from_value(text("a\\\\b\\001\\377")),
            Ok(vec![b'a', b'\\', b'b', 1, 255])
        );
        assert!(Vec::<u8>::from_value(text("\\x123")).is_err());
        assert!(Vec::<u8>::from_value(text("\\xzz")).is_err());
        assert!(Vec::<u8>::from_value(text("a\\9")).is_err());
    }

    #[test]
    fn arrays_quote_what_postgresql_quotes() {
        let strings = vec![
            "plain".to_string(),
            "with space".to_string(),
            "a,b".to_string(),
            "quote\"back\\slash".to_string(),
            "{braces}".to_string(),
            "NULL".to_string(),
            "null".to_string(),
            String::new(),
        ];
        let stored = strings.to_value();
        assert_eq!(
            stored,
            text(r#"{plain,"with space","a,b","quote\"back\\slash","{braces}","NULL","null",""}"#)
        );
        round_trip(strings);
        round_trip(Vec::<String>::new());
        round_trip(vec![Some(1_i32), None, Some(-3)]);
        assert_eq!(vec![Some(1_i32), None].to_value(), text("{1,NULL}"));
        round_trip(vec![true, false]);
        assert_eq!(vec![true, false].to_value(), text("{t,f}"));
        round_trip(vec![1.5_f64, f64::NEG_INFINITY, -0.0]);
        round_trip(vec![vec![1_u8, 2], vec![]]);
    }

    #[test]
    fn arrays_read_what_postgresql_prints() {
        assert_eq!(
            Vec::<Option<String>>::from_value(text(r#"{a,"b c",NULL,"NULL",\"x}"#)),
            Ok(vec![
                Some("a".to_string()),
                Some("b c".to_string()),
                None,
                Some("NULL".to_string()),
                Some("\"x".to_string()),
            ])
        );
        assert_eq!(
            Vec::<i32>::from_value(text("[0:1]={-1,2}")),
            Ok(vec![-1, 2])
        );
        assert_eq!(Vec::<i32>::from_value(text("{ 1 , 2 }")), Ok(vec![1, 2]));
        assert_eq!(Vec::<i32>::from_value(text("{}")), Ok(vec![]));
        let err = Vec::<i32>::from_value(text("{1,NULL}")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected an array (`{a,b}`), found text \"{1,NULL}\": element 2: expected an i32, found NULL: the field is not an `Option`"
        );
        for bad in [
            "1,2",
            "{1,2",
            "{1,,2}",
            "{1,}",
            "{{1,2},{3,4}}",
            "{\"a}",
            "{a\"b}",
            "{1} x",
        ] {
            assert!(Vec::<String>::from_value(text(bad)).is_err(), "{bad}");
        }
        assert!(Vec::<i32>::from_value(Value::Null).is_err());
    }

    #[test]
    fn values_convert_from_rust_values() {
        assert_eq!(Value::from(1_i32), Value::Int(1));
        assert_eq!(Value::from("a"), text("a"));
        assert_eq!(Value::from(None::<i64>), Value::Null);
        assert_eq!(Value::from(Some(true)), Value::Bool(true));
        assert_eq!(Value::from(&[1_u8][..]), Value::Bytes(vec![1]));
    }

    #[test]
    fn parse_takes_text_and_numbers_and_names_what_it_expected() {
        assert_eq!(Value::Int(7).parse::<u8>("a u8"), Ok(7));
        let err = text("x").parse::<u8>("a u8").unwrap_err();
        assert_eq!(err.expected(), "a u8");
        assert_eq!(err.found(), "text \"x\"");
        assert_eq!(err.reason(), Some("invalid digit found in string"));
        let long = "x".repeat(100);
        let err = text(&long).parse::<u8>("a u8").unwrap_err();
        assert!(
            err.found().ends_with("...") && err.found().len() < 80,
            "{}",
            err.found()
        );
    }
}
