//! Wire types of the HTTP API (v1), shared by the server, the CLI and the tests.
//!
//! Field names here are the public contract: change them only with a new API version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::check::verdict::VerdictClaims;
use crate::domain::{LangText, PublicJwk, Role, Statement, StatementType, Timestamp};
use crate::registry::{KeyKind, Status};

/// The error envelope every error response carries: `{"error": {"code", "message"}}`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A machine-readable code and a human message.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A stable snake_case code, such as `threshold_not_met`.
    pub code: String,
    /// What went wrong, in words.
    pub message: String,
}

/// The answer to `POST /v1/statements`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SubmitResponse {
    /// `accepted` for a new statement, `duplicate` for one the log already held.
    pub result: String,
    /// Where the statement is in the log.
    pub receipt: Receipt,
}

/// Where an accepted statement is in the log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Receipt {
    /// The organisation.
    pub org: String,
    /// The statement id.
    pub id: String,
    /// The statement type.
    #[serde(rename = "type")]
    pub kind: StatementType,
    /// Its log index.
    pub log_index: u64,
    /// Its RFC 6962 leaf hash, hex.
    pub leaf_hash: String,
    /// When the service accepted it.
    pub accepted_at: Timestamp,
    /// The log's signed checkpoint (a C2SP signed note) of a tree that holds it.
    pub checkpoint: String,
    /// The checkpoint's tree size.
    pub tree_size: u64,
    /// The inclusion proof of the leaf in that tree: standard base64 hashes, nearest first.
    pub inclusion_proof: Vec<String>,
}

/// `GET /v1/log/proof/inclusion`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InclusionProof {
    /// The leaf index.
    pub index: u64,
    /// The tree size.
    pub size: u64,
    /// The audit path, standard base64, nearest sibling first.
    pub hashes: Vec<String>,
}

/// `GET /v1/log/proof/consistency`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConsistencyProof {
    /// The earlier tree size.
    pub from: u64,
    /// The later tree size.
    pub to: u64,
    /// The proof, standard base64.
    pub hashes: Vec<String>,
}

/// `GET /v1/orgs`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgList {
    /// Every organisation with an org statement in force.
    pub orgs: Vec<OrgSummary>,
}

/// An organisation's public profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgSummary {
    /// Its slug.
    pub slug: String,
    /// Its names by language.
    pub names: LangText,
    /// Its registration numbers (USCC).
    pub registration_numbers: Vec<String>,
    /// Its official domains.
    pub official_domains: Vec<String>,
    /// The org statement in force.
    pub statement_id: String,
    /// That statement's log index.
    pub log_index: u64,
}

/// `GET /v1/orgs/{org}`: the profile with its thresholds and counts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgProfile {
    /// The profile.
    #[serde(flatten)]
    pub summary: OrgSummary,
    /// Distinct signatures needed, for every type staff or root keys sign.
    pub thresholds: BTreeMap<StatementType, u8>,
    /// Statements in force, by type.
    pub active_statements: BTreeMap<StatementType, usize>,
}

/// `GET /v1/orgs/{org}/keys`: a JWKS whose keys carry bonafide's members.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgKeys {
    /// Root and staff keys, current and past.
    pub keys: Vec<OrgKey>,
}

/// An Ed25519 public key as an RFC 8037 JWK, as both key sets publish it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Jwk {
    /// `OKP`.
    pub kty: String,
    /// `Ed25519`.
    pub crv: String,
    /// The public key, base64url.
    pub x: String,
    /// The RFC 7638 thumbprint: the `kid` of what the key signs.
    pub kid: String,
    /// `EdDSA`.
    pub alg: String,
    /// `sig`.
    #[serde(rename = "use")]
    pub use_: String,
}

impl Jwk {
    /// The JWK of an Ed25519 key whose thumbprint is `kid`.
    pub fn ed25519(key: &PublicJwk, kid: &str) -> Self {
        Self {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: key.x_b64(),
            kid: kid.to_owned(),
            alg: "EdDSA".into(),
            use_: "sig".into(),
        }
    }
}

/// A JWK (RFC 8037) with what the organisation granted it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OrgKey {
    /// The key.
    #[serde(flatten)]
    pub jwk: Jwk,
    /// `root` or `staff`.
    pub kind: KeyKind,
    /// Who holds it (staff keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// What it may sign (staff keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// When the grant ends (staff keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// The grant's status at the time asked.
    pub status: Status,
    /// The statement that granted it.
    pub granted_by: String,
    /// That statement's log index.
    pub log_index: u64,
}

/// `GET /v1/orgs/{org}/statements`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatementList {
    /// The organisation.
    pub org: String,
    /// The time the statuses are for.
    pub as_of: Timestamp,
    /// The statements, in log order: one page of them.
    pub statements: Vec<StatementItem>,
    /// The cursor of the next page (pass it as `after`), or `None` on the last page.
    pub next_after: Option<u64>,
}

/// One statement with its place in the log and its status.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StatementItem {
    /// The statement id.
    pub id: String,
    /// The statement type.
    #[serde(rename = "type")]
    pub kind: StatementType,
    /// Its status at `as_of`.
    pub status: Status,
    /// Its log index.
    pub log_index: u64,
    /// Its leaf hash, hex.
    pub leaf_hash: String,
    /// When the service accepted it.
    pub accepted_at: Timestamp,
    /// The key ids that signed it.
    pub signed_by: Vec<String>,
    /// The decoded statement.
    pub statement: Statement,
    /// The JWS as the log holds it (canonical JSON, signatures as submitted).
    pub envelope: Box<serde_json::value::RawValue>,
}

/// The answer to a check: the signed verdict and its claims, decoded for convenience (the JWS is
/// what to keep and verify).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckResponse {
    /// The verdict, a compact JWS.
    pub verdict: String,
    /// Its claims.
    pub claims: VerdictClaims,
}

/// `GET /.well-known/jwks.json`: the verdict keys, current and retired.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Jwks {
    /// The keys; the current one first.
    pub keys: Vec<Jwk>,
}
