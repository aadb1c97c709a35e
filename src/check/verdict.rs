//! The claims of a signed verdict (DESIGN.md section 5) and how they are signed and verified.
//!
//! The verdict is a compact JWS (`typ` `bonafide-verdict+jwt`, `alg` `EdDSA`, `kid` the service
//! key's thumbprint) whose payload is these claims in RFC 8785 form, so any JOSE library can
//! verify it with the service's published key set.

use serde::{Deserialize, Serialize};

use super::{Finding, Findings, Outcome};
use crate::crypto::{self, JwsError, KeyId, SigningKey, VerifyingKey};
use crate::domain::Timestamp;

/// How long a verdict stays valid: it says what the register held when it was made, and a
/// month is long enough to act on it and short enough that nobody relies on a stale one.
pub const VERDICT_LIFETIME: time::Duration = time::Duration::days(30);

/// The checkpoint of the log a check ran against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogState {
    /// The log's origin line.
    pub origin: String,
    /// The RFC 6962 root hash, standard base64 (as in checkpoints).
    pub root: String,
    /// The number of entries.
    pub size: u64,
}

/// The claims of a verdict.
///
/// The fields of this struct and of every struct in it are declared in lexicographic order and
/// none is a float, so their plain serialisation is RFC 8785 canonical
/// ([`crypto::canonicalize_sorted`]); a test holds it equal to `serde_jcs`'s.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictClaims {
    /// The time the register was read at.
    pub as_of: Timestamp,
    /// `contact` or `agreement`.
    pub check: String,
    /// When it stops being valid (seconds since the epoch).
    pub exp: i64,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// When it was signed (seconds since the epoch).
    pub iat: i64,
    /// The service that signed it.
    pub iss: String,
    /// A unique id.
    pub jti: String,
    /// The log the check ran against.
    pub log: LogState,
    /// The organisation checked against.
    pub org: String,
    /// The worst finding's result.
    pub outcome: Outcome,
    /// Hex SHA-256 of the canonical request (RFC 8785) or of the document bytes.
    pub subject_sha256: String,
}

/// What a verdict is about, besides its findings.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The service's issuer name (its public URL).
    pub iss: String,
    /// A unique id, chosen by the caller (randomness is a parameter).
    pub jti: String,
    /// Now.
    pub now: Timestamp,
    /// The organisation.
    pub org: String,
    /// `contact` or `agreement`.
    pub check: &'static str,
    /// Hex SHA-256 of what was checked.
    pub subject_sha256: String,
    /// The time the register was read at.
    pub as_of: Timestamp,
    /// The log state.
    pub log: LogState,
}

impl VerdictClaims {
    /// The claims for these findings.
    pub fn new(subject: Subject, findings: Findings) -> Self {
        let iat = subject.now.unix_seconds();
        Self {
            iss: subject.iss,
            jti: subject.jti,
            iat,
            exp: iat.saturating_add(VERDICT_LIFETIME.whole_seconds()),
            org: subject.org,
            check: subject.check.to_owned(),
            subject_sha256: subject.subject_sha256,
            as_of: subject.as_of,
            outcome: findings.outcome,
            findings: findings.findings,
            log: subject.log,
        }
    }

    /// Signs the claims with the service key: a compact JWS.
    pub fn sign(&self, key: &SigningKey) -> Result<String, crypto::JcsError> {
        self.sign_keeping_payload(key).map(|(token, _)| token)
    }

    /// Signs the claims and returns the compact JWS with the signed payload, the claims in
    /// RFC 8785 form, so that a response can carry them without serialising them again.
    pub fn sign_keeping_payload(
        &self,
        key: &SigningKey,
    ) -> Result<(String, Vec<u8>), crypto::JcsError> {
        let payload = crypto::canonicalize_sorted(self)?;
        let token = crypto::sign_compact(key, crypto::VERDICT_TYP, &payload);
        Ok((token, payload))
    }

    /// Verifies a verdict with the keys given (a service's current and retired keys) and returns
    /// its claims. The key is chosen by `kid` among `keys`, never taken from the token.
    pub fn verify(token: &str, keys: &[VerifyingKey]) -> Result<Self, VerdictError> {
        let (_, payload) =
            crypto::verify_compact(token.trim(), crypto::VERDICT_TYP, |kid: &KeyId| {
                keys.iter().find(|k| k.id() == kid).cloned()
            })?;
        serde_json::from_slice(&payload).map_err(|e| VerdictError::Claims(e.to_string()))
    }
}

/// Why a verdict did not verify.
#[derive(Debug, thiserror::Error)]
pub enum VerdictError {
    /// The signature, header or encoding is wrong.
    #[error(transparent)]
    Jws(#[from] JwsError),
    /// The signature holds but the claims are not a verdict's.
    #[error("the claims are not a bonafide verdict: {0}")]
    Claims(String),
}
