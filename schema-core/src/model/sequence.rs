//! A sequence's options as `pg_sequence` holds them, and how `CREATE
//! SEQUENCE`, `ALTER SEQUENCE` and identity options change them (PostgreSQL's
//! own rules, `init_params` in `sequence.c`).
//!
//! Every value is stored as its effective value: `NO MAXVALUE` on an
//! ascending `integer` sequence is `2147483647`, an omitted `START` is the
//! minimum (ascending) or maximum (descending). So an explicit default equals
//! an omitted one, and a live database reads back equal to the declaration.

use std::fmt;

use super::SqlType;

/// The type of a sequence's values: `AS smallint | integer | bigint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SequenceType {
    /// `smallint` (`int2`).
    SmallInt,
    /// `integer` (`int4`).
    Integer,
    /// `bigint` (`int8`), the default.
    BigInt,
}

impl SequenceType {
    /// The sequence type of an integer column type, `None` for any other.
    pub fn of(ty: &SqlType) -> Option<SequenceType> {
        match ty {
            SqlType::SmallInt => Some(SequenceType::SmallInt),
            SqlType::Integer => Some(SequenceType::Integer),
            SqlType::BigInt => Some(SequenceType::BigInt),
            _ => None,
        }
    }

    /// Its smallest value.
    pub fn min(self) -> i64 {
        match self {
            SequenceType::SmallInt => i64::from(i16::MIN),
            SequenceType::Integer => i64::from(i32::MIN),
            SequenceType::BigInt => i64::MIN,
        }
    }

    /// Its largest value.
    pub fn max(self) -> i64 {
        match self {
            SequenceType::SmallInt => i64::from(i16::MAX),
            SequenceType::Integer => i64::from(i32::MAX),
            SequenceType::BigInt => i64::MAX,
        }
    }

    /// Its SQL name.
    pub fn name(self) -> &'static str {
        match self {
            SequenceType::SmallInt => "smallint",
            SequenceType::Integer => "integer",
            SequenceType::BigInt => "bigint",
        }
    }
}

impl fmt::Display for SequenceType {
    /// `smallint`, `integer` or `bigint`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A sequence's options, as `pg_sequence` holds them (effective values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SequenceOptions {
    /// `AS type`.
    pub data_type: SequenceType,
    /// `INCREMENT BY n` (never zero).
    pub increment: i64,
    /// `MINVALUE n` (its default when `NO MINVALUE`).
    pub min_value: i64,
    /// `MAXVALUE n` (its default when `NO MAXVALUE`).
    pub max_value: i64,
    /// `START WITH n`.
    pub start: i64,
    /// `CACHE n` (at least 1).
    pub cache: i64,
    /// `CYCLE`.
    pub cycle: bool,
}

impl Default for SequenceOptions {
    /// `CREATE SEQUENCE s` with no options: a `bigint` sequence from 1 up.
    fn default() -> Self {
        SequenceOptions::defaults(SequenceType::BigInt)
    }
}

/// One option of `CREATE SEQUENCE`, `ALTER SEQUENCE` or identity options, as
/// written; [`SequenceOptions::apply`] gives it its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SequenceOption {
    /// `AS type`.
    As(SequenceType),
    /// `INCREMENT [BY] n`.
    Increment(i64),
    /// `MINVALUE n`, or `NO MINVALUE` (`None`).
    MinValue(Option<i64>),
    /// `MAXVALUE n`, or `NO MAXVALUE` (`None`).
    MaxValue(Option<i64>),
    /// `START [WITH] n`.
    Start(i64),
    /// `CACHE n`.
    Cache(i64),
    /// `CYCLE` (`true`) or `NO CYCLE`.
    Cycle(bool),
}

impl SequenceOptions {
    /// The options of a sequence of `data_type` created with no other option.
    pub fn defaults(data_type: SequenceType) -> Self {
        SequenceOptions {
            data_type,
            increment: 1,
            min_value: 1,
            max_value: data_type.max(),
            start: 1,
            cache: 1,
            cycle: false,
        }
    }

    /// The options `CREATE SEQUENCE ... options` gives (with `base_type`
    /// unless an `AS` says otherwise: `bigint` for a sequence, the column's
    /// type for an identity).
    ///
    /// # Errors
    /// PostgreSQL's own message when it refuses the options.
    pub fn create(base_type: SequenceType, options: &[SequenceOption]) -> Result<Self, String> {
        let mut out = SequenceOptions::defaults(base_type);
        out.apply(options, true)?;
        Ok(out)
    }

    /// The options after `ALTER SEQUENCE ... options` (`init` false) or at
    /// creation (`init` true), following PostgreSQL's `init_params`: a
    /// changed `AS` type moves a minimum or maximum that was the old type's
    /// bound to the new type's; `NO MINVALUE`/`NO MAXVALUE` take the defaults
    /// for the increment's sign; values are checked as PostgreSQL checks them.
    ///
    /// # Errors
    /// PostgreSQL's own message when it refuses the options; `self` is then
    /// unchanged.
    pub fn apply(&mut self, options: &[SequenceOption], init: bool) -> Result<(), String> {
        let mut next = *self;
        let mut as_type = None;
        let (mut increment, mut min, mut max, mut start, mut cache, mut cycle) =
            (None, None, None, None, None, None);
        for option in options {
            let repeated = match *option {
                SequenceOption::As(t) => as_type.replace(t).is_some(),
                SequenceOption::Increment(n) => increment.replace(n).is_some(),
                SequenceOption::MinValue(n) => min.replace(n).is_some(),
                SequenceOption::MaxValue(n) => max.replace(n).is_some(),
                SequenceOption::Start(n) => start.replace(n).is_some(),
                SequenceOption::Cache(n) => cache.replace(n).is_some(),
                SequenceOption::Cycle(c) => cycle.replace(c).is_some(),
            };
            if repeated {
                return Err("conflicting or redundant options".to_string());
            }
        }
        let (mut reset_max, mut reset_min) = (false, false);
        if let Some(t) = as_type {
            if !init {
                reset_max = self.max_value == self.data_type.max();
                reset_min = self.min_value == self.data_type.min();
            }
            next.data_type = t;
        }
        if let Some(n) = increment {
            if n == 0 {
                return Err("INCREMENT must not be zero".to_string());
            }
            next.increment = n;
        }
        if let Some(c) = cycle {
            next.cycle = c;
        }
        match max {
            Some(Some(n)) => next.max_value = n,
            Some(None) => next.max_value = next.default_max(reset_max),
            None if init || reset_max => next.max_value = next.default_max(reset_max),
            None => {}
        }
        let ty = next.data_type;
        if !(ty.min()..=ty.max()).contains(&next.max_value) {
            return Err(format!(
                "MAXVALUE ({}) is out of range for sequence data type {ty}",
                next.max_value
            ));
        }
        match min {
            Some(Some(n)) => next.min_value = n,
            Some(None) => next.min_value = next.default_min(reset_min),
            None if init || reset_min => next.min_value = next.default_min(reset_min),
            None => {}
        }
        if !(ty.min()..=ty.max()).contains(&next.min_value) {
            return Err(format!(
                "MINVALUE ({}) is out of range for sequence data type {ty}",
                next.min_value
            ));
        }
        if next.min_value >= next.max_value {
            return Err(format!(
                "MINVALUE ({}) must be less than MAXVALUE ({})",
                next.min_value, next.max_value
            ));
        }
        match start {
            Some(n) => next.start = n,
            None if init => next.start = next.default_start(),
            None => {}
        }
        if next.start < next.min_value {
            return Err(format!(
                "START value ({}) cannot be less than MINVALUE ({})",
                next.start, next.min_value
            ));
        }
        if next.start > next.max_value {
            return Err(format!(
                "START value ({}) cannot be greater than MAXVALUE ({})",
                next.start, next.max_value
            ));
        }
        if let Some(n) = cache {
            if n <= 0 {
                return Err(format!("CACHE ({n}) must be greater than zero"));
            }
            next.cache = n;
        }
        *self = next;
        Ok(())
    }

    /// The maximum `NO MAXVALUE` gives: the type's for an ascending sequence
    /// (or after a type change that resets it), -1 for a descending one.
    fn default_max(&self, reset: bool) -> i64 {
        if self.increment > 0 || reset {
            self.data_type.max()
        } else {
            -1
        }
    }

    /// The minimum `NO MINVALUE` gives: 1 for an ascending sequence, the
    /// type's for a descending one (or after a type change that resets it).
    fn default_min(&self, reset: bool) -> i64 {
        if self.increment < 0 || reset {
            self.data_type.min()
        } else {
            1
        }
    }

    /// The start an omitted `START` gives: the minimum going up, the maximum
    /// going down.
    fn default_start(&self) -> i64 {
        if self.increment > 0 {
            self.min_value
        } else {
            self.max_value
        }
    }

    /// The options to write after `CREATE SEQUENCE name` (or in an identity's
    /// parentheses) so that PostgreSQL creates exactly these: those that
    /// differ from what an omitted one gives, `AS` only when it differs from
    /// `base_type`.
    pub fn create_options(&self, base_type: SequenceType) -> Vec<SequenceOption> {
        let mut out = Vec::new();
        if self.data_type != base_type {
            out.push(SequenceOption::As(self.data_type));
        }
        let mut implied = SequenceOptions::defaults(self.data_type);
        if self.increment != 1 {
            out.push(SequenceOption::Increment(self.increment));
            implied.increment = self.increment;
        }
        if self.min_value != implied.default_min(false) {
            out.push(SequenceOption::MinValue(Some(self.min_value)));
        }
        if self.max_value != implied.default_max(false) {
            out.push(SequenceOption::MaxValue(Some(self.max_value)));
        }
        implied.min_value = self.min_value;
        implied.max_value = self.max_value;
        if self.start != implied.default_start() {
            out.push(SequenceOption::Start(self.start));
        }
        if self.cache != 1 {
            out.push(SequenceOption::Cache(self.cache));
        }
        if self.cycle {
            out.push(SequenceOption::Cycle(true));
        }
        out
    }

    /// The options `ALTER SEQUENCE` must set to turn `self` into `to`: each
    /// that differs, after the effect of an `AS` change on the bounds.
    pub fn alter_options(&self, to: &SequenceOptions) -> Vec<SequenceOption> {
        let mut out = Vec::new();
        let mut after = *self;
        if self.data_type != to.data_type {
            out.push(SequenceOption::As(to.data_type));
            // What `AS` alone does to the bounds.
            let _ = after.apply(&[SequenceOption::As(to.data_type)], false);
            after.data_type = to.data_type;
        }
        if after.increment != to.increment {
            out.push(SequenceOption::Increment(to.increment));
        }
        if after.min_value != to.min_value {
            out.push(SequenceOption::MinValue(Some(to.min_value)));
        }
        if after.max_value != to.max_value {
            out.push(SequenceOption::MaxValue(Some(to.max_value)));
        }
        if after.start != to.start {
            out.push(SequenceOption::Start(to.start));
        }
        if after.cache != to.cache {
            out.push(SequenceOption::Cache(to.cache));
        }
        if after.cycle != to.cycle {
            out.push(SequenceOption::Cycle(to.cycle));
        }
        out
    }

    /// What differs from `to`, in words (`INCREMENT BY 1 → 2`).
    pub fn differences(&self, to: &SequenceOptions) -> Vec<String> {
        let mut out = Vec::new();
        let mut one = |what: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{what} {a} → {b}").trim_start().to_string());
            }
        };
        one("AS", self.data_type.to_string(), to.data_type.to_string());
        one(
            "INCREMENT BY",
            self.increment.to_string(),
            to.increment.to_string(),
        );
        one(
            "MINVALUE",
            self.min_value.to_string(),
            to.min_value.to_string(),
        );
        one(
            "MAXVALUE",
            self.max_value.to_string(),
            to.max_value.to_string(),
        );
        one("START WITH", self.start.to_string(), to.start.to_string());
        one("CACHE", self.cache.to_string(), to.cache.to_string());
        let cycle = |c: bool| if c { "CYCLE" } else { "NO CYCLE" }.to_string();
        one("", cycle(self.cycle), cycle(to.cycle));
        out
    }
}

impl fmt::Display for SequenceOption {
    /// The option as PostgreSQL reads it (`INCREMENT BY 2`, `NO CYCLE`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SequenceOption::As(t) => write!(f, "AS {t}"),
            SequenceOption::Increment(n) => write!(f, "INCREMENT BY {n}"),
            SequenceOption::MinValue(Some(n)) => write!(f, "MINVALUE {n}"),
            SequenceOption::MinValue(None) => f.write_str("NO MINVALUE"),
            SequenceOption::MaxValue(Some(n)) => write!(f, "MAXVALUE {n}"),
            SequenceOption::MaxValue(None) => f.write_str("NO MAXVALUE"),
            SequenceOption::Start(n) => write!(f, "START WITH {n}"),
            SequenceOption::Cache(n) => write!(f, "CACHE {n}"),
            SequenceOption::Cycle(true) => f.write_str("CYCLE"),
            SequenceOption::Cycle(false) => f.write_str("NO CYCLE"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SequenceOption as O;
    use super::*;

    #[test]
    fn explicit_defaults_equal_omitted_ones() {
        let written = SequenceOptions::create(
            SequenceType::BigInt,
            &[
                O::Start(1),
                O::Increment(1),
                O::MinValue(None),
                O::MaxValue(None),
                O::Cache(1),
                O::Cycle(false),
            ],
        );
        assert_eq!(written, Ok(SequenceOptions::default()));
    }

    #[test]
    fn a_descending_sequence_starts_at_its_maximum() {
        let s = SequenceOptions::create(SequenceType::Integer, &[O::Increment(-1)]).unwrap();
        assert_eq!(
            (s.min_value, s.max_value, s.start),
            (i64::from(i32::MIN), -1, -1)
        );
        assert_eq!(
            s.create_options(SequenceType::Integer),
            vec![O::Increment(-1)]
        );
    }

    #[test]
    fn a_type_change_moves_default_bounds_only() {
        let mut s = SequenceOptions::create(SequenceType::Integer, &[O::Increment(-1)]).unwrap();
        s.apply(&[O::As(SequenceType::SmallInt)], false).unwrap();
        assert_eq!((s.min_value, s.max_value), (i64::from(i16::MIN), -1));
        let mut t =
            SequenceOptions::create(SequenceType::BigInt, &[O::MaxValue(Some(100))]).unwrap();
        t.apply(&[O::As(SequenceType::SmallInt)], false).unwrap();
        assert_eq!(t.max_value, 100);
    }

    #[test]
    fn values_postgresql_refuses_are_refused() {
        let refused = |o: &[O]| SequenceOptions::create(SequenceType::BigInt, o).unwrap_err();
        assert_eq!(refused(&[O::Increment(0)]), "INCREMENT must not be zero");
        assert_eq!(
            refused(&[O::MinValue(Some(5)), O::MaxValue(Some(5))]),
            "MINVALUE (5) must be less than MAXVALUE (5)"
        );
        assert_eq!(
            refused(&[O::Start(0)]),
            "START value (0) cannot be less than MINVALUE (1)"
        );
        assert_eq!(
            refused(&[O::Cache(0)]),
            "CACHE (0) must be greater than zero"
        );
        assert_eq!(
            refused(&[O::As(SequenceType::SmallInt), O::MaxValue(Some(100_000))]),
            "MAXVALUE (100000) is out of range for sequence data type smallint"
        );
    }

    #[test]
    fn alter_options_reach_the_target() {
        let from = SequenceOptions::create(SequenceType::Integer, &[]).unwrap();
        let to = SequenceOptions::create(
            SequenceType::BigInt,
            &[O::Increment(5), O::Cycle(true), O::Start(10)],
        )
        .unwrap();
        let mut reached = from;
        reached.apply(&from.alter_options(&to), false).unwrap();
        assert_eq!(reached, to);
    }
}
