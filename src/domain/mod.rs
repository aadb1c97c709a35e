//! Domain types: every value that crosses a boundary is parsed into one of these, once.
//!
//! Constructors parse and fail closed ("parse, don't validate"), so code further in never re-checks
//! a slug, an id, a USCC or a time. This module does no I/O, reads no clock and touches no crypto.

mod names;
mod statement;
mod text;
mod time;
mod uscc;

pub use self::names::{OrgSlug, Role, StatementId, Token};
pub use self::statement::{
    ChannelKind, ChannelPolicyBody, Common, DelegatedKey, DelegationBody, Entity, EntityBody,
    FeePolicyBody, GenuineDocumentBody, GroupCompany, MAX_LIST_ITEMS, MAX_THRESHOLD, NoticeBody,
    OfficialChannelBody, OrgBody, PINYIN_PLACEHOLDER, Person, PracticeBody, PracticeKind,
    ProjectBody, PublicJwk, RevocationBody, Sha256Hex, SignatoryBody, SigningPolicyBody, StaffBody,
    StaffMember, Statement, StatementBody, StatementType, WarningBody, WarningKind,
};
pub use self::text::{BoundedText, LangTag, LangText, MAX_TEXT_CHARS};
pub use self::time::{CalendarDate, Timestamp};
pub use self::uscc::Uscc;

/// Why a value could not be parsed into a domain type.
///
/// The message names the value's kind and what is wrong with it, so that it can be shown to the
/// client as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl ParseError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
