//! A statement's status at a point in time.

use serde::{Deserialize, Serialize};

/// Where a statement stands at a given time. History is never deleted: a revoked statement is
/// still listed, and reads "as of" an earlier time show it active.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In force.
    Active,
    /// Its `effective_until` has passed (for a staff key: its grant's `expires_at`).
    Expired,
    /// Not yet in force: its `effective_from` is later.
    Pending,
    /// A revocation in force withdraws it.
    Revoked,
    /// A later statement in force replaces it.
    Superseded,
}

impl Status {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Pending => "pending",
            Self::Revoked => "revoked",
            Self::Superseded => "superseded",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
