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
    /// Parses an RFC 3339 date-time.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        OffsetDateTime::parse(value, &Rfc3339)
            .map(|t| Self(t.to_offset(time::UtcOffset::UTC)))
            .map_err(|e| {
                ParseError::new(format!(
                    "invalid time {value:?}: expected RFC 3339, such as 2026-11-28T09:30:00Z ({e})"
                ))
            })
    }

    /// Wraps an instant, in UTC.
    pub fn from_datetime(value: OffsetDateTime) -> Self {
        Self(value.to_offset(time::UtcOffset::UTC))
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
