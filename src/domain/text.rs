//! Human text: bounded strings and texts by language.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;

/// The longest text a statement field may hold, in characters. A notice is a few paragraphs; this
/// leaves room for long ones while keeping statements small.
pub const MAX_TEXT_CHARS: usize = 8_000;

/// Non-empty text of at most [`MAX_TEXT_CHARS`] characters, without control characters other than
/// line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BoundedText(String);

impl BoundedText {
    /// Parses a text.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        if value.trim().is_empty() {
            return Err(ParseError::new("text must not be empty"));
        }
        if value.chars().count() > MAX_TEXT_CHARS {
            return Err(ParseError::new(format!(
                "text is longer than {MAX_TEXT_CHARS} characters"
            )));
        }
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        {
            return Err(ParseError::new(format!(
                "text holds the control character U+{:04X}",
                u32::from(c)
            )));
        }
        Ok(Self(value.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A language tag in the shape of BCP 47: a primary language of 2 or 3 lowercase letters, then
/// optional subtags of 1 to 8 letters or digits (`en`, `zh`, `zh-Hans`, `en-GB`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LangTag(String);

impl LangTag {
    /// Parses a language tag.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let mut parts = value.split('-');
        let primary_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if primary_ok && rest_ok && value.len() <= 35 {
            Ok(Self(value.to_owned()))
        } else {
            Err(ParseError::new(format!(
                "invalid language tag {value:?}: use a BCP 47 tag such as en, zh or zh-Hans"
            )))
        }
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for BoundedText {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<BoundedText> for String {
    fn from(value: BoundedText) -> Self {
        value.0
    }
}

impl TryFrom<String> for LangTag {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<LangTag> for String {
    fn from(value: LangTag) -> Self {
        value.0
    }
}

impl fmt::Display for BoundedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The same text in one or more languages, keyed by language tag: `{"en": "...", "zh": "..."}`.
///
/// Held as a slice sorted by tag rather than a map: a text has one to a few languages, and the
/// register holds hundreds of thousands of them (a B-tree node alone would be half a kilobyte).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<LangTag, BoundedText>",
    into = "BTreeMap<LangTag, BoundedText>"
)]
pub struct LangText(Box<[(LangTag, BoundedText)]>);

impl LangText {
    /// Builds a text from at least one `(language, text)` pair.
    pub fn new(
        entries: impl IntoIterator<Item = (LangTag, BoundedText)>,
    ) -> Result<Self, ParseError> {
        Self::try_from(entries.into_iter().collect::<BTreeMap<_, _>>())
    }

    /// The text in `lang`, else in English, else in the first language held.
    pub fn best(&self, lang: &str) -> &str {
        self.0
            .iter()
            .find(|(tag, _)| tag.as_str() == lang)
            .or_else(|| self.0.iter().find(|(tag, _)| tag.as_str() == "en"))
            .or_else(|| self.0.iter().next())
            .map_or("", |(_, text)| text.as_str())
    }

    /// Every `(language, text)` pair, ordered by language tag.
    pub fn iter(&self) -> impl Iterator<Item = (&LangTag, &BoundedText)> {
        self.0.iter().map(|(tag, text)| (tag, text))
    }
}

impl TryFrom<BTreeMap<LangTag, BoundedText>> for LangText {
    type Error = ParseError;
    fn try_from(value: BTreeMap<LangTag, BoundedText>) -> Result<Self, ParseError> {
        if value.is_empty() {
            Err(ParseError::new(
                "text by language must hold at least one language, such as {\"en\": \"...\"}",
            ))
        } else {
            // A B-tree iterates in key order, so the slice is sorted and its tags distinct.
            Ok(Self(value.into_iter().collect()))
        }
    }
}

impl From<LangText> for BTreeMap<LangTag, BoundedText> {
    fn from(value: LangText) -> Self {
        value.0.into_vec().into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_follow_bcp47_shape() {
        for ok in ["en", "zh", "zh-Hans", "en-GB", "yue"] {
            assert!(LangTag::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "e",
            "EN",
            "english",
            "zh_Hans",
            "zh-",
            "zh-toolongsubtag",
        ] {
            assert!(LangTag::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lang_text_must_not_be_empty_and_prefers_the_asked_language() {
        assert!(serde_json::from_str::<LangText>("{}").is_err());
        let text: LangText =
            serde_json::from_str(r#"{"en":"Notice","zh":"声明"}"#).expect("valid text");
        assert_eq!(text.best("zh"), "声明");
        assert_eq!(text.best("fr"), "Notice");
    }

    #[test]
    fn control_characters_are_rejected() {
        assert!(BoundedText::parse("a\u{0}b").is_err());
        assert!(BoundedText::parse("line\nline").is_ok());
        assert!(BoundedText::parse("   ").is_err());
    }
}
