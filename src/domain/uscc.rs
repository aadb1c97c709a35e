//! China's Unified Social Credit Code (统一社会信用代码), GB 32100-2015.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// The code's alphabet; a character's value is its position (0 to 30). I, O, S, V and Z are left
/// out by the standard so that they cannot be confused with digits.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// A Unified Social Credit Code whose check character is right: 18 characters of the GB 32100-2015
/// alphabet, the last one the check character over the first 17.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parses a code, upper-casing it first. A code whose check character is wrong is rejected
    /// with a message that says so.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let code = value.trim().to_ascii_uppercase();
        let bytes = code.as_bytes();
        if bytes.len() != 18 {
            return Err(ParseError::new(format!(
                "invalid USCC {value:?}: a Unified Social Credit Code has 18 characters, this has {}",
                code.chars().count()
            )));
        }
        let mut values = [0u32; 18];
        for (slot, &byte) in values.iter_mut().zip(bytes) {
            let position = ALPHABET.iter().position(|&c| c == byte).ok_or_else(|| {
                ParseError::new(format!(
                    "invalid USCC {value:?}: {:?} is not in the code's alphabet \
                     (0-9 and A-Y without I, O, S, V, Z)",
                    char::from(byte)
                ))
            })?;
            // The alphabet has 31 entries, so the position fits.
            *slot = u32::try_from(position).unwrap_or(u32::MAX);
        }
        let expected = check_value(&values[..17]);
        if values[17] != expected {
            return Err(ParseError::new(format!(
                "invalid USCC {value:?}: the check character is {:?}, but the first 17 characters \
                 give {:?} (GB 32100-2015)",
                char::from(bytes[17]),
                char::from(ALPHABET[expected as usize])
            )));
        }
        Ok(Self(code))
    }

    /// The code as text, upper case.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check value of the first 17 characters: weights 3^(i-1) mod 31 for positions 1 to 17, and
/// check = 31 - (sum mod 31), where 31 becomes 0.
fn check_value(values: &[u32]) -> u32 {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for &value in values {
        sum += value * weight;
        weight = (weight * 3) % 31;
    }
    (31 - sum % 31) % 31
}

impl TryFrom<String> for Uscc {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<Uscc> for String {
    fn from(value: Uscc) -> Self {
        value.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for Uscc {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, ParseError> {
        Self::parse(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_pass() {
        // Two codes printed on public business licences, and one computed by hand.
        for code in [
            "91110000100017643K",
            "91110000100010433L",
            "91310000MA1FL4GK02",
        ] {
            assert!(Uscc::parse(code).is_ok(), "{code} must pass");
        }
    }

    #[test]
    fn a_wrong_check_character_is_named() {
        let err = Uscc::parse("91110000100017643A").expect_err("check character is wrong");
        assert!(err.0.contains("check character"), "{err}");
    }

    #[test]
    fn wrong_lengths_and_letters_are_rejected() {
        assert!(Uscc::parse("9111000010001764").is_err());
        assert!(Uscc::parse("91110000100017643O").is_err());
    }
}
