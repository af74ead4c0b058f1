//! [`Field`] for the types of optional crates, each behind this crate's
//! feature of the same name: `chrono` and `time` dates and times, `uuid`,
//! `json` (`serde_json::Value`) and `decimal` (`rust_decimal::Decimal`).

#[cfg(any(feature = "chrono", feature = "time"))]
use super::iso;
#[allow(
    unused_imports,
    reason = "used by the impls of whichever features are on"
)]
use super::{Field, FieldError, Value};

/// The text of `value` for a type read from text only.
#[cfg(any(feature = "chrono", feature = "time"))]
fn text(value: Value, expected: &str) -> Result<String, FieldError> {
    match value {
        Value::Text(text) => Ok(text),
        other => Err(FieldError::mismatch(expected, &other)),
    }
}

#[cfg(any(feature = "chrono", feature = "time"))]
const DATE: &str = "a date (`YYYY-MM-DD`)";
#[cfg(any(feature = "chrono", feature = "time"))]
const TIME: &str = "a time (`HH:MM:SS`)";
#[cfg(any(feature = "chrono", feature = "time"))]
const TIMESTAMP: &str = "a timestamp (`YYYY-MM-DD HH:MM:SS`)";
#[cfg(any(feature = "chrono", feature = "time"))]
const TIMESTAMPTZ: &str = "a timestamp with a time zone (`YYYY-MM-DD HH:MM:SS+00:00`)";

/// Reads `value` with `parse` (an `iso` parser) then `build`; either's error
/// is the reason of a [`FieldError`] expecting `expected`.
#[cfg(any(feature = "chrono", feature = "time"))]
fn read<P, T>(
    value: Value,
    expected: &str,
    parse: impl FnOnce(&str) -> Result<P, String>,
    build: impl FnOnce(P) -> Option<T>,
) -> Result<T, FieldError> {
    let text = text(value, expected)?;
    let error =
        |reason: &str| FieldError::new(expected, &Value::Text(text.clone())).because(reason);
    let parsed = parse(&text).map_err(|e| error(&e))?;
    build(parsed).ok_or_else(|| error("not a valid date or time"))
}

#[cfg(feature = "chrono")]
mod chrono_types {
    use chrono::{
        DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Utc,
    };

    use super::{DATE, Field, FieldError, TIME, TIMESTAMP, TIMESTAMPTZ, Value, iso, read};

    fn date(date: NaiveDate) -> iso::Date {
        iso::Date {
            year: date.year(),
            month: date.month() as u8,
            day: date.day() as u8,
        }
    }

    /// A leap second (nanoseconds past 10⁹) is written as second 60.
    fn time(time: NaiveTime) -> iso::Time {
        let nano = time.nanosecond();
        let (second, nano) = if nano >= 1_000_000_000 {
            (time.second() + 1, nano - 1_000_000_000)
        } else {
            (time.second(), nano)
        };
        iso::Time {
            hour: time.hour() as u8,
            minute: time.minute() as u8,
            second: second as u8,
            nano,
        }
    }

    fn naive_date(date: iso::Date) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(date.year, date.month.into(), date.day.into())
    }

    /// Second 60 is a leap second, as chrono has it.
    fn naive_time(time: iso::Time) -> Option<NaiveTime> {
        let (second, nano) = if time.second == 60 {
            (59, time.nano + 1_000_000_000)
        } else {
            (time.second, time.nano)
        };
        NaiveTime::from_hms_nano_opt(time.hour.into(), time.minute.into(), second.into(), nano)
    }

    impl Field for NaiveDate {
        fn to_value(&self) -> Value {
            Value::Text(iso::format_date(date(*self)))
        }

        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(value, DATE, iso::parse_date, naive_date)
        }
    }

    impl Field for NaiveTime {
        fn to_value(&self) -> Value {
            Value::Text(iso::format_time(time(*self)))
        }

        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(value, TIME, iso::parse_time, naive_time)
        }
    }

    impl Field for NaiveDateTime {
        fn to_value(&self) -> Value {
            Value::Text(iso::format_timestamp(iso::Timestamp {
                date: date(self.date()),
                time: time(self.time()),
                offset: None,
            }))
        }

        /// An offset in the text is an error: a `timestamp` has none.
        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(
                value,
                TIMESTAMP,
                iso::parse_timestamp,
                |stamp| match stamp.offset {
                    Some(_) => None,
                    None => Some(naive_date(stamp.date)?.and_time(naive_time(stamp.time)?)),
                },
            )
        }
    }

    impl Field for DateTime<Utc> {
        fn to_value(&self) -> Value {
            let utc = self.naive_utc();
            Value::Text(iso::format_timestamp(iso::Timestamp {
                date: date(utc.date()),
                time: time(utc.time()),
                offset: Some(0),
            }))
        }

        /// Converted to UTC; a text without an offset is UTC.
        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(value, TIMESTAMPTZ, iso::parse_timestamp, |stamp| {
                let local = naive_date(stamp.date)?.and_time(naive_time(stamp.time)?);
                let offset = TimeDelta::try_seconds(stamp.offset.unwrap_or(0).into())?;
                Some(local.checked_sub_signed(offset)?.and_utc())
            })
        }
    }
}

#[cfg(feature = "time")]
mod time_types {
    use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

    use super::{DATE, Field, FieldError, TIME, TIMESTAMP, TIMESTAMPTZ, Value, iso, read};

    fn date(date: Date) -> iso::Date {
        iso::Date {
            year: date.year(),
            month: date.month().into(),
            day: date.day(),
        }
    }

    fn time(time: Time) -> iso::Time {
        iso::Time {
            hour: time.hour(),
            minute: time.minute(),
            second: time.second(),
            nano: time.nanosecond(),
        }
    }

    fn to_date(date: iso::Date) -> Option<Date> {
        Date::from_calendar_date(date.year, Month::try_from(date.month).ok()?, date.day).ok()
    }

    fn to_time(time: iso::Time) -> Option<Time> {
        Time::from_hms_nano(time.hour, time.minute, time.second, time.nano).ok()
    }

    impl Field for Date {
        fn to_value(&self) -> Value {
            Value::Text(iso::format_date(date(*self)))
        }

        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(value, DATE, iso::parse_date, to_date)
        }
    }

    impl Field for Time {
        fn to_value(&self) -> Value {
            Value::Text(iso::format_time(time(*self)))
        }

        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(value, TIME, iso::parse_time, to_time)
        }
    }

    impl Field for PrimitiveDateTime {
        fn to_value(&self) -> Value {
            Value::Text(iso::format_timestamp(iso::Timestamp {
                date: date(self.date()),
                time: time(self.time()),
                offset: None,
            }))
        }

        /// An offset in the text is an error: a `timestamp` has none.
        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(
                value,
                TIMESTAMP,
                iso::parse_timestamp,
                |stamp| match stamp.offset {
                    Some(_) => None,
                    None => Some(PrimitiveDateTime::new(
                        to_date(stamp.date)?,
                        to_time(stamp.time)?,
                    )),
                },
            )
        }
    }

    impl Field for OffsetDateTime {
        /// Written with its own offset.
        fn to_value(&self) -> Value {
            Value::Text(iso::format_timestamp(iso::Timestamp {
                date: date(self.date()),
                time: time(self.time()),
                offset: Some(self.offset().whole_seconds()),
            }))
        }

        /// With the text's offset (UTC when it has none); PostgreSQL gives the
        /// instant in the session's time zone.
        fn from_value(value: Value) -> Result<Self, FieldError> {
            read(value, TIMESTAMPTZ, iso::parse_timestamp, |stamp| {
                let offset = UtcOffset::from_whole_seconds(stamp.offset.unwrap_or(0)).ok()?;
                Some(
                    PrimitiveDateTime::new(to_date(stamp.date)?, to_time(stamp.time)?)
                        .assume_offset(offset),
                )
            })
        }
    }
}

#[cfg(feature = "uuid")]
impl Field for uuid::Uuid {
    /// Hyphenated, lower case.
    fn to_value(&self) -> Value {
        Value::Text(self.hyphenated().to_string())
    }

    /// From any text form `Uuid::parse_str` reads, or 16 bytes.
    fn from_value(value: Value) -> Result<Self, FieldError> {
        const EXPECTED: &str = "a UUID";
        match value {
            Value::Bytes(bytes) => uuid::Uuid::from_slice(&bytes).map_err(|e| {
                FieldError::new(EXPECTED, &Value::Bytes(bytes)).because(e.to_string())
            }),
            other => other.parse(EXPECTED),
        }
    }
}

#[cfg(feature = "json")]
impl Field for serde_json::Value {
    /// Compact JSON text.
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }

    /// From JSON text, or from the number SQLite made of a JSON number.
    fn from_value(value: Value) -> Result<Self, FieldError> {
        const EXPECTED: &str = "JSON";
        match value {
            Value::Text(ref text) => serde_json::from_str(text)
                .map_err(|e| FieldError::new(EXPECTED, &value).because(e.to_string())),
            Value::Int(i) => Ok(serde_json::Value::from(i)),
            Value::Float(f) => serde_json::Number::from_f64(f)
                .map(serde_json::Value::Number)
                .ok_or_else(|| FieldError::new(EXPECTED, &value).because("not a JSON number")),
            Value::Bool(b) => Ok(serde_json::Value::Bool(b)),
            other => Err(FieldError::mismatch(EXPECTED, &other)),
        }
    }
}

#[cfg(feature = "decimal")]
impl Field for rust_decimal::Decimal {
    /// Its text (`19.99`).
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }

    /// From its text, or from the number SQLite made of it (a REAL keeps 15
    /// significant digits).
    fn from_value(value: Value) -> Result<Self, FieldError> {
        const EXPECTED: &str = "a decimal number";
        match value {
            Value::Int(i) => Ok(rust_decimal::Decimal::from(i)),
            Value::Float(f) if !f.is_finite() => {
                Err(FieldError::new(EXPECTED, &value).because("not a finite number"))
            }
            // The shortest text that reads back as the float: `19.99`, not
            // the float's exact binary value.
            Value::Float(f) => Value::Text(format!("{f}")).parse(EXPECTED),
            other => other.parse(EXPECTED),
        }
    }
}

#[cfg(test)]
mod tests {
    #[allow(
        unused_imports,
        reason = "used by the tests of whichever features are on"
    )]
    use super::*;

    #[allow(dead_code, reason = "used by the tests of whichever features are on")]
    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    #[allow(dead_code, reason = "used by the tests of whichever features are on")]
    fn round_trip<T: Field + PartialEq + std::fmt::Debug>(value: T) {
        let stored = value.to_value();
        assert_eq!(
            T::from_value(stored.clone()).as_ref(),
            Ok(&value),
            "{stored:?}"
        );
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_types_are_iso_text() {
        use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
        let day = NaiveDate::from_ymd_opt(2024, 1, 5).unwrap();
        let at = NaiveTime::from_hms_micro_opt(8, 30, 0, 250_000).unwrap();
        assert_eq!(day.to_value(), text("2024-01-05"));
        assert_eq!(at.to_value(), text("08:30:00.250000"));
        let stamp = day.and_time(at);
        assert_eq!(stamp.to_value(), text("2024-01-05 08:30:00.250000"));
        let utc = stamp.and_utc();
        assert_eq!(utc.to_value(), text("2024-01-05 08:30:00.250000+00:00"));
        round_trip(day);
        round_trip(at);
        round_trip(stamp);
        round_trip(utc);
        round_trip(NaiveDate::from_ymd_opt(-43, 3, 15).unwrap());
        round_trip(NaiveTime::from_hms_nano_opt(23, 59, 59, 1_500_000_000).unwrap());
        round_trip(NaiveDateTime::MIN);
        round_trip(DateTime::<Utc>::MAX_UTC);
        // PostgreSQL's output, in another session time zone.
        assert_eq!(
            DateTime::<Utc>::from_value(text("2024-01-05 14:00:00.25+05:30")),
            Ok(utc)
        );
        assert_eq!(
            DateTime::<Utc>::from_value(text("2024-01-05 03:30:00.25-05")),
            Ok(utc)
        );
        assert_eq!(
            DateTime::<Utc>::from_value(text("2024-01-05 08:30:00.25")),
            Ok(utc)
        );
        let err = NaiveDateTime::from_value(text("2024-01-05 08:30:00+00")).unwrap_err();
        assert_eq!(err.reason(), Some("not a valid date or time"));
        let err = NaiveDate::from_value(text("2024-02-30")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "expected a date (`YYYY-MM-DD`), found text \"2024-02-30\": not a valid date or time"
        );
        assert!(NaiveDate::from_value(text("infinity")).is_err());
        assert!(NaiveDate::from_value(Value::Int(20240105)).is_err());
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_types_are_iso_text() {
        use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
        let day = Date::from_calendar_date(2024, Month::January, 5).unwrap();
        let at = Time::from_hms_micro(8, 30, 0, 250_000).unwrap();
        let stamp = PrimitiveDateTime::new(day, at);
        assert_eq!(stamp.to_value(), text("2024-01-05 08:30:00.250000"));
        let offset = UtcOffset::from_hms(5, 30, 0).unwrap();
        let zoned = stamp.assume_offset(offset);
        assert_eq!(zoned.to_value(), text("2024-01-05 08:30:00.250000+05:30"));
        round_trip(day);
        round_trip(at);
        round_trip(stamp);
        round_trip(zoned);
        round_trip(OffsetDateTime::UNIX_EPOCH);
        round_trip(Date::from_calendar_date(-43, Month::March, 15).unwrap());
        assert_eq!(
            OffsetDateTime::from_value(text("2024-01-05 03:00:00.25+00")),
            Ok(zoned)
        );
        assert!(Time::from_value(text("23:59:60")).is_err());
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuids_are_hyphenated_text() {
        let id = uuid::Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
        assert_eq!(id.to_value(), text("67e55044-10b1-426f-9247-bb680e5fe0c8"));
        round_trip(id);
        assert_eq!(
            uuid::Uuid::from_value(Value::Bytes(id.as_bytes().to_vec())),
            Ok(id)
        );
        assert_eq!(
            uuid::Uuid::from_value(text("67E55044-10B1-426F-9247-BB680E5FE0C8")),
            Ok(id)
        );
        assert!(uuid::Uuid::from_value(text("67e55044")).is_err());
    }

    #[cfg(feature = "json")]
    #[test]
    fn json_is_its_text_and_sqlite_numbers_are_json_numbers() {
        let doc = serde_json::json!({ "a": [1, "two", null], "b": { "c": 1.5 } });
        round_trip(doc.clone());
        assert_eq!(
            serde_json::Value::from_value(text(r#"{"b": {"c": 1.5}, "a": [1, "two", null]}"#)),
            Ok(doc)
        );
        assert_eq!(
            serde_json::Value::from_value(Value::Int(3)),
            Ok(serde_json::json!(3))
        );
        assert_eq!(
            serde_json::Value::from_value(Value::Float(0.5)),
            Ok(serde_json::json!(0.5))
        );
        assert!(serde_json::Value::from_value(Value::Float(f64::NAN)).is_err());
        assert!(serde_json::Value::from_value(text("{")).is_err());
    }

    #[cfg(feature = "decimal")]
    #[test]
    fn decimals_are_text_and_sqlite_reals_read_back_by_their_shortest_text() {
        use rust_decimal::Decimal;
        let price = Decimal::new(1999, 2);
        assert_eq!(price.to_value(), text("19.99"));
        round_trip(price);
        round_trip(Decimal::new(-12_345_678_901_234_567, 10));
        assert_eq!(Decimal::from_value(Value::Float(19.99)), Ok(price));
        assert_eq!(Decimal::from_value(Value::Int(-3)), Ok(Decimal::from(-3)));
        assert!(Decimal::from_value(text("NaN")).is_err());
        assert!(Decimal::from_value(Value::Float(f64::INFINITY)).is_err());
    }
}
