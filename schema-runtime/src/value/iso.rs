//! Date and time text, whichever crate's types it becomes: what this crate
//! writes (`2024-01-05 08:30:00.250000+00:00`, years before 1 with ` BC`) and
//! what PostgreSQL prints in `DateStyle` ISO (`+00`, `+05:30` and `+05:53:28`
//! offsets) and SQLite stores (`T` between date and time, `Z`, no offset).

/// A calendar date; `year` 0 is 1 BC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Date {
    pub(super) year: i32,
    pub(super) month: u8,
    pub(super) day: u8,
}

/// A time of day; `second` may be 60 (a leap second).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Time {
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) second: u8,
    pub(super) nano: u32,
}

/// A date and a time, with the offset from UTC in seconds when the text has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Timestamp {
    pub(super) date: Date,
    pub(super) time: Time,
    pub(super) offset: Option<i32>,
}

/// `2024-01-05`, or `0044-03-15 BC` for year -43.
pub(super) fn format_date(date: Date) -> String {
    let (head, era) = split_era(date);
    format!("{head}{era}")
}

/// `08:30:00`, with `.ffffff` (or 9 digits for nanoseconds) when not whole.
pub(super) fn format_time(time: Time) -> String {
    let Time {
        hour,
        minute,
        second,
        nano,
    } = time;
    let fraction = if nano == 0 {
        String::new()
    } else if nano % 1000 == 0 {
        format!(".{:06}", nano / 1000)
    } else {
        format!(".{nano:09}")
    };
    format!("{hour:02}:{minute:02}:{second:02}{fraction}")
}

/// `2024-01-05 08:30:00`, with `+HH:MM[:SS]` for an offset and ` BC` last.
pub(super) fn format_timestamp(stamp: Timestamp) -> String {
    let (date, era) = split_era(stamp.date);
    let time = format_time(stamp.time);
    let offset = stamp.offset.map(format_offset).unwrap_or_default();
    format!("{date} {time}{offset}{era}")
}

/// The date without its era, and the era (` BC` or nothing).
fn split_era(date: Date) -> (String, &'static str) {
    let (year, era) = if date.year <= 0 {
        (1 - i64::from(date.year), " BC")
    } else {
        (i64::from(date.year), "")
    };
    (format!("{year:04}-{:02}-{:02}", date.month, date.day), era)
}

fn format_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let seconds = seconds.unsigned_abs();
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if seconds == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{seconds:02}")
    }
}

/// Reads the text left to right.
struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    fn eat(&mut self, c: char) -> bool {
        match self.rest.strip_prefix(c) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(format!("`{c}` expected at `{}`", self.rest))
        }
    }

    /// `min..=max` ASCII digits, as their number and their count.
    fn digits(&mut self, min: usize, max: usize, what: &str) -> Result<(u64, usize), String> {
        let count = self
            .rest
            .bytes()
            .take(max)
            .take_while(u8::is_ascii_digit)
            .count();
        if count < min {
            return Err(format!("{what} expected at `{}`", self.rest));
        }
        let (digits, rest) = self.rest.split_at(count);
        self.rest = rest;
        let number = digits
            .bytes()
            .fold(0_u64, |n, d| n * 10 + u64::from(d - b'0'));
        Ok((number, count))
    }

    /// Exactly two digits, at most `max`.
    fn two(&mut self, max: u8, what: &str) -> Result<u8, String> {
        let (n, _) = self.digits(2, 2, what)?;
        match u8::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(format!("{what} {n} is out of range")),
        }
    }

    fn date(&mut self) -> Result<Date, String> {
        let (year, _) = self.digits(4, 9, "a year")?;
        let year = i32::try_from(year).map_err(|_| "the year is out of range".to_string())?;
        self.expect('-')?;
        let month = self.two(12, "a month")?;
        self.expect('-')?;
        let day = self.two(31, "a day")?;
        Ok(Date { year, month, day })
    }

    fn time(&mut self) -> Result<Time, String> {
        let hour = self.two(23, "an hour")?;
        self.expect(':')?;
        let minute = self.two(59, "a minute")?;
        let mut time = Time {
            hour,
            minute,
            second: 0,
            nano: 0,
        };
        if self.eat(':') {
            time.second = self.two(60, "a second")?;
            if self.eat('.') {
                let (fraction, count) = self.digits(1, 9, "a fraction of a second")?;
                // More digits than nanoseconds: dropped.
                self.digits(0, usize::MAX, "")?;
                let scale = 10_u64.pow(9 - u32::try_from(count).unwrap_or(9));
                time.nano = u32::try_from(fraction * scale).unwrap_or(0);
            }
        }
        Ok(time)
    }

    /// `Z`, `+HH`, `+HHMM`, `+HH:MM` or `+HH:MM:SS`, in seconds.
    fn offset(&mut self) -> Result<Option<i32>, String> {
        if self.eat('Z') || self.eat('z') {
            return Ok(Some(0));
        }
        let sign = if self.eat('+') {
            1
        } else if self.eat('-') {
            -1
        } else {
            return Ok(None);
        };
        let hours = self.two(15, "an offset's hours")?;
        let mut seconds = i32::from(hours) * 3600;
        let colon = self.eat(':');
        if colon || self.rest.starts_with(|c: char| c.is_ascii_digit()) {
            seconds += i32::from(self.two(59, "an offset's minutes")?) * 60;
            if colon && self.eat(':') {
                seconds += i32::from(self.two(59, "an offset's seconds")?);
            }
        }
        Ok(Some(sign * seconds))
    }

    fn end(&self) -> Result<(), String> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(format!("unexpected `{}` at the end", self.rest))
        }
    }
}

/// The text without a trailing ` BC`, and whether it had one.
fn strip_era(text: &str) -> (&str, bool) {
    let text = text.trim();
    match text
        .len()
        .checked_sub(3)
        .and_then(|i| text.get(i..).map(|era| (i, era)))
    {
        Some((i, era)) if era.eq_ignore_ascii_case(" BC") => (&text[..i], true),
        _ => (text, false),
    }
}

fn apply_era(mut date: Date, bc: bool) -> Result<Date, String> {
    if bc {
        if date.year == 0 {
            return Err("there is no year 0 BC".to_string());
        }
        date.year = 1 - date.year;
    }
    Ok(date)
}

/// `YYYY-MM-DD` (more digits for a later year), optionally ` BC`.
///
/// # Errors
/// Why the text is not such a date.
pub(super) fn parse_date(text: &str) -> Result<Date, String> {
    let (text, bc) = strip_era(text);
    let mut cursor = Cursor { rest: text };
    let date = cursor.date()?;
    cursor.end()?;
    apply_era(date, bc)
}

/// `HH:MM[:SS[.fraction]]`.
///
/// # Errors
/// Why the text is not such a time.
pub(super) fn parse_time(text: &str) -> Result<Time, String> {
    let mut cursor = Cursor { rest: text.trim() };
    let time = cursor.time()?;
    cursor.end()?;
    Ok(time)
}

/// A date, ` ` or `T`, a time, an optional offset, optionally ` BC`.
///
/// # Errors
/// Why the text is not such a timestamp.
pub(super) fn parse_timestamp(text: &str) -> Result<Timestamp, String> {
    let (text, bc) = strip_era(text);
    let mut cursor = Cursor { rest: text };
    let date = cursor.date()?;
    if !(cursor.eat(' ') || cursor.eat('T') || cursor.eat('t')) {
        return Err(format!("` ` or `T` expected at `{}`", cursor.rest));
    }
    let time = cursor.time()?;
    cursor.eat(' ');
    let offset = cursor.offset()?;
    cursor.end()?;
    Ok(Timestamp {
        date: apply_era(date, bc)?,
        time,
        offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: Date = Date {
        year: 2024,
        month: 1,
        day: 5,
    };
    const TIME: Time = Time {
        hour: 8,
        minute: 30,
        second: 0,
        nano: 0,
    };

    #[test]
    fn dates_and_times_print_as_postgresql_reads_them() {
        assert_eq!(format_date(DATE), "2024-01-05");
        let bc = Date {
            year: -43,
            month: 3,
            day: 15,
        };
        assert_eq!(format_date(bc), "0044-03-15 BC");
        assert_eq!(parse_date("0044-03-15 BC"), Ok(bc));
        assert_eq!(format_time(TIME), "08:30:00");
        let micro = Time {
            nano: 250_000_000,
            ..TIME
        };
        assert_eq!(format_time(micro), "08:30:00.250000");
        let nano = Time { nano: 1, ..TIME };
        assert_eq!(format_time(nano), "08:30:00.000000001");
        let stamp = Timestamp {
            date: DATE,
            time: micro,
            offset: Some(-(5 * 3600 + 30 * 60)),
        };
        assert_eq!(format_timestamp(stamp), "2024-01-05 08:30:00.250000-05:30");
        assert_eq!(parse_timestamp(&format_timestamp(stamp)), Ok(stamp));
        let lmt = Timestamp {
            offset: Some(5 * 3600 + 53 * 60 + 28),
            ..stamp
        };
        assert_eq!(format_timestamp(lmt), "2024-01-05 08:30:00.250000+05:53:28");
        assert_eq!(parse_timestamp(&format_timestamp(lmt)), Ok(lmt));
    }

    #[test]
    fn timestamps_are_read_in_the_forms_databases_print() {
        let utc = |time: Time, offset: Option<i32>| {
            Ok(Timestamp {
                date: DATE,
                time,
                offset,
            })
        };
        assert_eq!(parse_timestamp("2024-01-05 08:30:00"), utc(TIME, None));
        assert_eq!(parse_timestamp("2024-01-05T08:30:00Z"), utc(TIME, Some(0)));
        assert_eq!(
            parse_timestamp("2024-01-05 08:30:00+00"),
            utc(TIME, Some(0))
        );
        assert_eq!(
            parse_timestamp("2024-01-05 08:30+0100"),
            utc(TIME, Some(3600))
        );
        assert_eq!(
            parse_timestamp("2024-01-05 08:30:00 -08"),
            utc(TIME, Some(-8 * 3600))
        );
        let fraction = Time {
            nano: 123_456_789,
            ..TIME
        };
        assert_eq!(
            parse_timestamp("2024-01-05 08:30:00.1234567891"),
            utc(fraction, None)
        );
        assert_eq!(
            parse_date("12024-01-05").map(|d| d.year),
            Ok(12024),
            "years after 9999"
        );
        for bad in [
            "2024-1-05",
            "2024-01-05 ",
            "2024-13-01",
            "2024-01-05 24:00:00",
            "2024-01-05 08:30:00+",
            "2024-01-05 08:30:00 UTC",
            "0000-01-01 BC",
            "infinity",
            "",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
        assert!(parse_time("08:30:00.").is_err());
        assert_eq!(parse_time("23:59:60").map(|t| t.second), Ok(60));
    }
}
