//! Composite values (`CREATE TYPE address AS (street text, zip integer)`) as
//! PostgreSQL's record text, `(Main St,12345)`: [`Attributes`], what the
//! `Field` implementation of a struct `schema!()` generates for a composite
//! type writes and reads it with.
//!
//! A composite moves as every other value does ([`crate::record`]): as text,
//! cast to the type on the way in (`$1::text::address`, PostgreSQL's
//! `record_in`) and read as `"c"::text` (its `record_out`). So the text here
//! is exactly the one `record_out` prints and `record_in` reads:
//!
//! - the attributes in order between `(` and `)`, separated by `,`;
//! - a NULL attribute is nothing at all (`(,5)`), an empty string is `""`;
//! - an attribute is quoted when it is empty or holds `"`, `\`, `(`, `)`, `,`
//!   or whitespace, and inside quotes `"` and `\` are doubled (`record_in`
//!   also takes a `\` before any character, and `""` inside quotes);
//! - each attribute is its type's own text, as an array element is (booleans
//!   `t`/`f`, `bytea` as `\x..`, an array `{1,2}`, a nested composite
//!   `(1,2)`), so nesting is quoting within quoting. It is the type's output
//!   function's text, not its cast to `text`: a `character(3)` keeps its
//!   padding, a `money` its locale's currency format (`$1,000.00`).
//!
//! PostgreSQL's binary record format would need the `postgres` crate's
//! `FromSql`/`ToSql` and the attributes' type OIDs, and SQLite, the other
//! dialect every model serves, has no composites at all; the text keeps the
//! one path every column type takes.

use super::array::is_space;
use super::{Field, FieldError, Value};

/// The attributes of one composite value, read from its record text one by
/// one in the type's order; and ([`Attributes::to_value`]) the record text of
/// a composite from its attributes' values.
///
/// ```
/// use schema_runtime::value::Attributes;
/// use schema_runtime::{Field, Value};
///
/// let stored = Attributes::to_value(&[
///     "Main St, 1".to_string().to_value(),
///     None::<i32>.to_value(),
/// ]);
/// assert_eq!(stored, Value::Text(r#"("Main St, 1",)"#.to_string()));
///
/// let mut attributes = Attributes::from_value(stored, "address", &["street", "zip"])?;
/// let street: Option<String> = attributes.take()?;
/// let zip: Option<i32> = attributes.take()?;
/// assert_eq!((street.as_deref(), zip), (Some("Main St, 1"), None));
/// # Ok::<(), schema_runtime::FieldError>(())
/// ```
#[derive(Debug)]
pub struct Attributes {
    expected: String,
    text: String,
    names: &'static [&'static str],
    values: std::vec::IntoIter<Option<String>>,
    next: usize,
}

impl Attributes {
    /// The record text of a composite whose attributes have `values`, in
    /// the type's order: what PostgreSQL's `record_out` prints for it.
    pub fn to_value(values: &[Value]) -> Value {
        let mut text = String::from("(");
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                text.push(',');
            }
            if let Some(attribute) = value.clone().element_text() {
                push_attribute(&mut text, &attribute);
            }
        }
        text.push(')');
        Value::Text(text)
    }

    /// The attributes of `value`, the record text of a value of composite
    /// type `type_name`, whose attributes are `names` in order.
    ///
    /// # Errors
    /// When `value` is not text (NULL included: the field is then an
    /// `Option`), or not record text with one attribute per name.
    pub fn from_value(
        value: Value,
        type_name: &str,
        names: &'static [&'static str],
    ) -> Result<Self, FieldError> {
        let expected = format!("a `{type_name}` value (`(a,b)`)");
        let Value::Text(text) = value else {
            return Err(FieldError::mismatch(expected, &value));
        };
        let values = match parse(&text, names.len()) {
            Ok(values) => values,
            Err(reason) => {
                return Err(FieldError::new(expected, &Value::Text(text)).because(reason));
            }
        };
        Ok(Attributes {
            expected,
            text,
            names,
            values: values.into_iter(),
            next: 0,
        })
    }

    /// The next attribute, as a `F` (an `Option` for an attribute that may
    /// be NULL, as every attribute of a composite type may).
    ///
    /// # Errors
    /// When the attribute's text does not convert to `F`, naming the
    /// attribute; when every attribute was taken already.
    pub fn take<F: Field>(&mut self) -> Result<F, FieldError> {
        let (Some(value), Some(name)) = (self.values.next(), self.names.get(self.next)) else {
            let count = self.names.len();
            return Err(self.error(format!("more than its {count} attributes are read")));
        };
        self.next += 1;
        F::from_value(value.map_or(Value::Null, Value::Text))
            .map_err(|e| self.error(format!("attribute `{name}`: {e}")))
    }

    fn error(&self, reason: String) -> FieldError {
        FieldError::new(self.expected.clone(), &Value::Text(self.text.clone())).because(reason)
    }
}

/// Appends one non-NULL attribute, quoted where `record_out` quotes.
fn push_attribute(text: &mut String, attribute: &str) {
    let quote = attribute.is_empty()
        || attribute
            .chars()
            .any(|c| matches!(c, '"' | '\\' | '(' | ')' | ',') || is_space(c));
    if !quote {
        text.push_str(attribute);
        return;
    }
    text.push('"');
    for c in attribute.chars() {
        if c == '"' || c == '\\' {
            text.push(c);
        }
        text.push(c);
    }
    text.push('"');
}

/// The `count` attributes of a record text (`None` for NULL), read as
/// PostgreSQL's `record_in` reads them.
///
/// # Errors
/// Why the text is not a record of `count` attributes.
fn parse(text: &str, count: usize) -> Result<Vec<Option<String>>, String> {
    let rest = text.trim_start_matches(is_space);
    let Some(rest) = rest.strip_prefix('(') else {
        return Err("no `(` at the start".to_string());
    };
    let mut chars = rest.chars().peekable();
    let mut values = Vec::with_capacity(count);
    for i in 0..count {
        if i > 0 && chars.next_if_eq(&',').is_none() {
            return Err(format!("only {i} of {count} attributes"));
        }
        // Nothing before the next `,` or `)` is NULL.
        if matches!(chars.peek(), Some(',' | ')')) {
            values.push(None);
            continue;
        }
        let mut value = String::new();
        let mut quoted = false;
        // Up to (not taking) the `,` or `)` outside quotes that ends it.
        while quoted || !matches!(chars.peek(), Some(',' | ')')) {
            match chars.next() {
                None => return Err("the text ends inside an attribute".to_string()),
                Some('\\') => match chars.next() {
                    Some(c) => value.push(c),
                    None => return Err("a `\\` at the end".to_string()),
                },
                Some('"') if !quoted => quoted = true,
                Some('"') if chars.next_if_eq(&'"').is_some() => value.push('"'),
                Some('"') => quoted = false,
                Some(c) => value.push(c),
            }
        }
        values.push(Some(value));
    }
    match chars.next() {
        Some(')') => {}
        Some(',') => return Err(format!("more than {count} attributes")),
        Some(c) => return Err(format!("`{c}` where `)` was expected")),
        None => return Err("no `)` at the end".to_string()),
    }
    let junk: String = chars.collect();
    if junk.chars().all(is_space) {
        Ok(values)
    } else {
        Err(format!("`{}` after the `)`", junk.trim_matches(is_space)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["a", "b"];

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    fn read(s: &str, count: usize) -> Result<Vec<Option<String>>, String> {
        parse(s, count)
    }

    fn some(items: &[&str]) -> Vec<Option<String>> {
        items.iter().map(|s| Some((*s).to_string())).collect()
    }

    #[test]
    fn attributes_are_quoted_where_record_out_quotes() {
        let cases: [(&[Value], &str); 8] = [
            (&[Value::Int(1), text("plain")], "(1,plain)"),
            (&[Value::Null, Value::Null], "(,)"),
            (&[text(""), Value::Null], r#"("",)"#),
            (&[text("a b"), text("a,b")], r#"("a b","a,b")"#),
            (&[text("(x)"), text("q\"uote")], r#"("(x)","q""uote")"#),
            (
                &[text("back\\slash"), text("tab\there")],
                "(\"back\\\\slash\",\"tab\there\")",
            ),
            (
                &[Value::Bool(true), Value::Bytes(vec![0, 255])],
                r#"(t,"\\x00ff")"#,
            ),
            // Braces and the word NULL need no quotes in a record.
            (&[text("{1,2}"), text("NULL")], r#"("{1,2}",NULL)"#),
        ];
        for (values, expected) in cases {
            assert_eq!(Attributes::to_value(values), text(expected), "{values:?}");
        }
        assert_eq!(Attributes::to_value(&[]), text("()"));
        assert_eq!(Attributes::to_value(&[Value::Null]), text("()"));
    }

    #[test]
    fn record_text_is_read_as_record_in_reads_it() {
        assert_eq!(read("(1,plain)", 2), Ok(some(&["1", "plain"])));
        assert_eq!(read("(,)", 2), Ok(vec![None, None]));
        assert_eq!(read("()", 1), Ok(vec![None]));
        assert_eq!(read("()", 0), Ok(vec![]));
        assert_eq!(read(r#"("",x)"#, 2), Ok(some(&["", "x"])));
        assert_eq!(
            read(r#"("a ""b"" \c",)"#, 2),
            Ok(vec![Some("a \"b\" c".to_string()), None])
        );
        // Quotes may open and close anywhere; unquoted whitespace is kept.
        assert_eq!(read(r#"(a"b,c"d, e )"#, 2), Ok(some(&["ab,cd", " e "])));
        assert_eq!(read(" (1,2) \n", 2), Ok(some(&["1", "2"])));
        assert_eq!(read(r#"(\,\))"#, 1), Ok(some(&[",)"])));
        assert_eq!(read("(NULL)", 1), Ok(some(&["NULL"])));
    }

    #[test]
    fn malformed_record_text_says_why() {
        for (bad, count, reason) in [
            ("1,2", 2, "no `(` at the start"),
            ("(1)", 2, "only 1 of 2 attributes"),
            ("(1,2,3)", 2, "more than 2 attributes"),
            ("(1,2", 2, "the text ends inside an attribute"),
            ("(1,\"2)", 2, "the text ends inside an attribute"),
            ("(1,2\\", 2, "a `\\` at the end"),
            ("(1,2) x", 2, "`x` after the `)`"),
            ("(x)", 0, "`x` where `)` was expected"),
            ("(1,", 2, "the text ends inside an attribute"),
        ] {
            assert_eq!(read(bad, count), Err(reason.to_string()), "{bad}");
        }
    }

    #[test]
    fn every_attribute_round_trips_through_the_text() {
        let strings = [
            "",
            " ",
            "a b",
            "a,b",
            "(",
            ")",
            "\"",
            "\\",
            "\"\"",
            "NULL",
            "{x}",
            "é\n\t",
            r#"(1,"a b")"#,
        ];
        for a in strings {
            for b in [None, Some("z"), Some("")] {
                let values = [text(a), b.map_or(Value::Null, text)];
                let stored = Attributes::to_value(&values);
                let mut read = Attributes::from_value(stored.clone(), "t", NAMES)
                    .unwrap_or_else(|e| panic!("{stored:?}: {e}"));
                assert_eq!(read.take::<String>(), Ok(a.to_string()), "{stored:?}");
                assert_eq!(
                    read.take::<Option<String>>(),
                    Ok(b.map(str::to_string)),
                    "{stored:?}"
                );
            }
        }
    }

    #[test]
    fn nested_composites_and_arrays_are_quoted_within_quotes() {
        let inner = Attributes::to_value(&[text("x \"y\""), Value::Null]);
        let array = vec![Some(1_i32), None].to_value();
        let outer = Attributes::to_value(&[inner.clone(), array]);
        assert_eq!(outer, text(r#"("(""x """"y"""""",)","{1,NULL}")"#));
        let mut read = Attributes::from_value(outer, "outer", NAMES).unwrap();
        let inner_text: String = read.take().unwrap();
        assert_eq!(text(&inner_text), inner);
        let numbers: Vec<Option<i32>> = read.take().unwrap();
        assert_eq!(numbers, [Some(1), None]);
    }

    #[test]
    fn errors_name_the_type_and_the_attribute() {
        let err = Attributes::from_value(Value::Null, "address", NAMES).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a `address` value (`(a,b)`), found NULL: the field is not an `Option`"
        );
        let err = Attributes::from_value(text("(1)"), "address", NAMES).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a `address` value (`(a,b)`), found text \"(1)\": only 1 of 2 attributes"
        );
        let mut read = Attributes::from_value(text("(1,x)"), "address", NAMES).unwrap();
        assert_eq!(read.take::<i32>(), Ok(1));
        let err = read.take::<i32>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a `address` value (`(a,b)`), found text \"(1,x)\": attribute `b`: expected an i32, found text \"x\": invalid digit found in string"
        );
        let err = read.take::<i32>().unwrap_err();
        assert!(
            err.to_string()
                .ends_with("more than its 2 attributes are read"),
            "{err}"
        );
        let err = Attributes::from_value(text("(,)"), "address", NAMES)
            .and_then(|mut r| r.take::<i32>())
            .unwrap_err();
        assert!(
            err.to_string().ends_with(
                "attribute `a`: expected an i32, found NULL: the field is not an `Option`"
            ),
            "{err}"
        );
    }
}
