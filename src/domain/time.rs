//! Points in time, as RFC 3339 text on the wire.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::ParseError;

/// A point in time, parsed from RFC 3339 (`2026-11-28T09:30:00Z`, any offset) and written back in
/// UTC with a `Z`. Ordering compares instants, not texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Parses an RFC 3339 date-time whose instant, in UTC, falls in the years 0000 to 9999
    /// (what RFC 3339 can write: `9999-12-31T23:59:59-23:59` is past year 9999 in UTC and is
    /// refused, never carried as a time that cannot be written back).
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let t = OffsetDateTime::parse(value, &Rfc3339).map_err(|e| {
            ParseError::new(format!(
                "invalid time {value:?}: expected RFC 3339, such as 2026-11-28T09:30:00Z ({e})"
            ))
        })?;
        t.checked_to_offset(time::UtcOffset::UTC)
            .filter(|utc| (0..=9999).contains(&utc.year()))
            .map(Self)
            .ok_or_else(|| {
                ParseError::new(format!(
                    "invalid time {value:?}: in UTC it falls outside the years 0000 to 9999"
                ))
            })
    }

    /// Wraps an instant, in UTC (as given, should UTC be past the representable range).
    pub fn from_datetime(value: OffsetDateTime) -> Self {
        Self(
            value
                .checked_to_offset(time::UtcOffset::UTC)
                .unwrap_or(value),
        )
    }

    /// This instant without its fraction of a second, for statements people read.
    #[must_use]
    pub fn whole_seconds(self) -> Self {
        Self(self.0.replace_nanosecond(0).unwrap_or(self.0))
    }

    /// The instant.
    pub fn datetime(self) -> OffsetDateTime {
        self.0
    }

    /// Seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }

    /// This instant moved by `duration` (saturating at the ends of the representable range).
    #[must_use]
    pub fn saturating_add(self, duration: time::Duration) -> Self {
        Self(self.0.saturating_add(duration))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            // Only years outside 0..=9999 fail to format; parsed values never have them.
            Err(_) => write!(f, "{}", self.0.unix_timestamp()),
        }
    }
}

impl TryFrom<String> for Timestamp {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<Timestamp> for String {
    fn from(value: Timestamp) -> Self {
        value.to_string()
    }
}

impl std::str::FromStr for Timestamp {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, ParseError> {
        Self::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_past_year_9999_in_utc_are_refused_not_a_panic() {
        for value in [
            "9999-12-31T23:59:59-23:59",
            "9999-12-31T23:00:00-01:00",
            "0000-01-01T00:00:00+00:01",
        ] {
            assert!(Timestamp::parse(value).is_err(), "{value}");
        }
        let last = Timestamp::parse("9999-12-31T23:59:59Z").expect("the last second");
        assert_eq!(last.to_string(), "9999-12-31T23:59:59Z");
        assert!(Timestamp::parse("0000-01-01T00:00:00Z").is_ok());
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::Timestamp;

        proptest! {
            #![proptest_config(ProptestConfig {
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// Every RFC 3339 shape, with any year, offset and fraction: parsed or refused,
            /// never a panic, and what parses writes back as a time that parses to itself.
            #[test]
            fn any_time_parses_or_is_refused_and_round_trips(
                year in 0u32..=9999,
                month in 1u32..=12,
                day in 1u32..=31,
                hour in 0u32..=23,
                minute in 0u32..=59,
                second in 0u32..=60,
                fraction in prop::option::of("[0-9]{1,12}"),
                offset in prop::option::of((any::<bool>(), 0u32..=23, 0u32..=59)),
            ) {
                let fraction = fraction.map(|f| format!(".{f}")).unwrap_or_default();
                let offset = offset.map_or("Z".to_owned(), |(east, h, m)| {
                    format!("{}{h:02}:{m:02}", if east { '+' } else { '-' })
                });
                let value = format!(
                    "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
                );
                if let Ok(t) = Timestamp::parse(&value) {
                    let written = t.to_string();
                    prop_assert_eq!(Timestamp::parse(&written).ok(), Some(t), "{}", value);
                    let _ = t.whole_seconds().saturating_add(time::Duration::days(1));
                }
            }

            #[test]
            fn any_text_parses_or_is_refused(value in "\\PC{0,40}") {
                let _ = Timestamp::parse(&value);
            }
        }
    }

    #[test]
    fn offsets_are_normalised_to_utc() {
        let t = Timestamp::parse("2026-11-28T17:30:00+08:00").expect("valid RFC 3339");
        assert_eq!(t.to_string(), "2026-11-28T09:30:00Z");
        assert_eq!(t, Timestamp::parse("2026-11-28T09:30:00Z").expect("valid"));
    }

    #[test]
    fn non_rfc3339_is_rejected() {
        for bad in ["2026-11-28", "yesterday", "2026-11-28 09:30:00", ""] {
            assert!(Timestamp::parse(bad).is_err(), "{bad:?}");
        }
    }
}

/// A calendar date, `YYYY-MM-DD` on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CalendarDate(time::Date);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl CalendarDate {
    /// Parses a `YYYY-MM-DD` date.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        time::Date::parse(value, DATE_FORMAT)
            .map(Self)
            .map_err(|e| {
                ParseError::new(format!("invalid date {value:?}: expected YYYY-MM-DD ({e})"))
            })
    }
}

impl fmt::Display for CalendarDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(DATE_FORMAT) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "{:?}", self.0),
        }
    }
}

impl TryFrom<String> for CalendarDate {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<CalendarDate> for String {
    fn from(value: CalendarDate) -> Self {
        value.to_string()
    }
}
