//! Message checks: a pasted chat or SMS text read with the agreement rules (fees, contacts,
//! names, companies, links).
//!
//! A message is never `verified`: anyone can write one and copy a genuine contact into it. Its
//! first finding says so (`unknown`); the findings from the text follow.

use serde::{Deserialize, Serialize};

use super::agreement::{AgreementQuery, check_text};
use super::{CheckError, Field, Finding, Findings, Index, Outcome, Reason, messages};
use crate::document::Extracted;
use crate::domain::Timestamp;
use crate::registry::Registry;

/// The longest message read, in bytes of UTF-8: longer than any chat or SMS scam, short enough
/// that a check of one never needs the document worker.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// What a message check is asked: the organisation, the text, and optionally the action and
/// time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageQuery {
    /// The organisation, by slug.
    pub org: String,
    /// The message as received.
    pub text: String,
    /// The action a signer in it claims to perform (default `sign_investment_agreement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The time to check at (default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Timestamp>,
}

/// Checks a message: `EmptyMessage` if it holds nothing but white space, `MessageTooLong` over
/// [`MAX_MESSAGE_BYTES`], and the agreement check's refusals otherwise.
pub fn check_message(
    registry: &Registry,
    index: &Index,
    query: &MessageQuery,
    now: Timestamp,
) -> Result<Findings, CheckError> {
    if query.text.len() > MAX_MESSAGE_BYTES {
        return Err(CheckError::MessageTooLong);
    }
    if query.text.trim().is_empty() {
        return Err(CheckError::EmptyMessage);
    }
    let asked = AgreementQuery {
        org: query.org.clone(),
        action: query.action.clone(),
        as_of: query.as_of,
    };
    let head = Finding {
        excerpt: None,
        field: Field::Message,
        input: "message".to_owned(),
        location: None,
        message: messages::message(Field::Message, Reason::Unverifiable, "", None, None),
        official: None,
        reason: Reason::Unverifiable,
        result: Outcome::Unknown,
        statement: None,
    };
    check_text(
        registry,
        index,
        &asked,
        &Extracted::from_text(&query.text),
        head,
        now,
    )
}
