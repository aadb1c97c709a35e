//! Why a statement was refused.

use crate::crypto::{JwsError, KeyId};
use crate::domain::{OrgSlug, ParseError, StatementId, StatementType, Timestamp};

use super::Status;

/// Why [`super::Registry::admit`] refused a statement. Each message names the problem in words a
/// staff member can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdmitError {
    /// The JWS itself is malformed, uses another algorithm or another `typ`.
    #[error(transparent)]
    Envelope(#[from] JwsError),
    /// The payload is JSON but not in RFC 8785 canonical form.
    #[error(
        "the payload is not RFC 8785 canonical JSON (no white space, keys sorted); sign the \
         canonical form, as `bonafide statement new` writes it"
    )]
    NotCanonical,
    /// The payload is not a valid statement.
    #[error("invalid statement: {0}")]
    InvalidStatement(#[from] ParseError),
    /// The JWS carries no signature.
    #[error("the statement carries no signature")]
    NoSignatures,
    /// No `org` statement for this slug is in force.
    #[error("unknown organisation {0}: no org statement for it is in force")]
    UnknownOrg(OrgSlug),
    /// An `org` statement for a slug in use that does not supersede the one in force.
    #[error("organisation {org} exists; a new org statement must supersede {current}")]
    OrgExists {
        /// The slug.
        org: OrgSlug,
        /// The id of the org statement in force.
        current: StatementId,
    },
    /// `supersedes` or `revokes` names a statement the organisation does not have.
    #[error("{field} names {id}, which organisation {org} has no statement with")]
    UnknownTarget {
        /// `supersedes` or `revokes`.
        field: &'static str,
        /// The id named.
        id: StatementId,
        /// The organisation.
        org: OrgSlug,
    },
    /// `supersedes` or `revokes` names a statement it cannot act on.
    #[error("{0}")]
    InvalidTarget(String),
    /// A key in the statement is not a usable Ed25519 key or is already another party's.
    #[error("{0}")]
    InvalidKey(String),
    /// `issued_at` lies in the future.
    #[error("issued_at {0} lies in the future; check the signer's clock")]
    IssuedInFuture(Timestamp),
    /// A signature's `kid` names no key the register knows.
    #[error("unknown key {0}: it is not an operator key nor any organisation's root or staff key")]
    UnknownKey(KeyId),
    /// A signature comes from a key of another organisation.
    #[error("key {kid} belongs to organisation {owner}, not to {org}")]
    ForeignKey {
        /// The key.
        kid: KeyId,
        /// Its organisation.
        owner: OrgSlug,
        /// The statement's organisation.
        org: OrgSlug,
    },
    /// A signature comes from a key of the wrong tier (for example a staff key on a delegation).
    #[error("key {kid} cannot sign a {kind} statement: {reason}")]
    WrongSigner {
        /// The key.
        kid: KeyId,
        /// The statement type.
        kind: StatementType,
        /// Why not.
        reason: String,
    },
    /// A staff key in force whose roles do not cover the type.
    #[error(
        "staff key {kid} (held by {holder}) lacks the role to sign {kind} statements; its roles: {roles}"
    )]
    MissingRole {
        /// The key.
        kid: KeyId,
        /// Who holds it.
        holder: String,
        /// The statement type (a revocation's target type).
        kind: StatementType,
        /// The roles it has.
        roles: String,
    },
    /// A staff or root key whose grant is not in force (expired, revoked, superseded, pending).
    #[error("key {kid} ({holder}) is {status}: it cannot sign")]
    KeyNotInForce {
        /// The key.
        kid: KeyId,
        /// Who holds it.
        holder: String,
        /// Its grant's status.
        status: Status,
    },
    /// A signature does not verify.
    #[error("the signature by key {0} does not verify over this payload")]
    BadSignature(KeyId),
    /// Too few distinct eligible keys signed.
    #[error(
        "{kind} statements of {org} need {needed} signatures by distinct keys; this has {got} \
         (a key that signs twice counts once)"
    )]
    ThresholdNotMet {
        /// The statement type (a revocation's target type).
        kind: StatementType,
        /// The organisation.
        org: OrgSlug,
        /// Distinct keys needed.
        needed: u8,
        /// Distinct keys that signed.
        got: usize,
    },
    /// Another statement of the organisation already has this id.
    #[error("statement id {0} is taken by a different statement")]
    DuplicateId(StatementId),
    /// The statement says the opposite of a statement in force: a warning about one of the
    /// organisation's own channels, signatories or companies, or a company of the group that
    /// is warned about. The message names the conflict.
    #[error("{0}")]
    Contradicts(String),
    /// The statement refers to something the register does not hold (a parent company).
    #[error("{0}")]
    UnknownReference(String),
}
