//! Identifiers: organisation slugs, statement ids, snake_case tokens and staff roles.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::ParseError;
use super::statement::StatementType;

/// An organisation's slug: 2 to 63 characters of `a-z`, `0-9` and `-`, starting with a letter and
/// not ending with `-`. It appears in URLs (`/v1/orgs/{org}`), so it is kept URL-safe.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgSlug(String);

impl OrgSlug {
    /// Parses a slug.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let ok_chars = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        let starts = value.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        if (2..=63).contains(&value.len()) && ok_chars && starts && !value.ends_with('-') {
            Ok(Self(value.to_owned()))
        } else {
            Err(ParseError::new(format!(
                "invalid organisation slug {value:?}: use 2 to 63 characters of a-z, 0-9 and '-', \
                 starting with a letter"
            )))
        }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A statement id, chosen by the issuer and unique within its organisation: 1 to 128 characters of
/// `A-Z`, `a-z`, `0-9`, `.`, `_`, `:` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StatementId(String);

impl StatementId {
    /// Parses a statement id.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let ok_chars = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
        if (1..=128).contains(&value.len()) && ok_chars {
            Ok(Self(value.to_owned()))
        } else {
            Err(ParseError::new(format!(
                "invalid statement id {value:?}: use 1 to 128 characters of A-Z, a-z, 0-9, '.', \
                 '_', ':' and '-'"
            )))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A snake_case token such as `sign_investment_agreement` or `management_fee`: 1 to 64 characters
/// of `a-z`, `0-9` and `_`, starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Token(String);

impl Token {
    /// Parses a token.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let ok_chars = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        let starts = value.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
        if (1..=64).contains(&value.len()) && ok_chars && starts {
            Ok(Self(value.to_owned()))
        } else {
            Err(ParseError::new(format!(
                "invalid token {value:?}: use 1 to 64 characters of a-z, 0-9 and '_', starting \
                 with a letter"
            )))
        }
    }

    /// The token as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_impls {
    ($($ty:ident),*) => {$(
        impl TryFrom<String> for $ty {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, ParseError> {
                Self::parse(&value)
            }
        }
        impl From<$ty> for String {
            fn from(value: $ty) -> Self {
                value.0
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl std::str::FromStr for $ty {
            type Err = ParseError;
            fn from_str(value: &str) -> Result<Self, ParseError> {
                Self::parse(value)
            }
        }
    )*};
}

string_newtype_impls!(OrgSlug, StatementId, Token);

/// A staff role, granted to a staff key by a delegation. Each role lets its holder sign some
/// statement types; revoking a statement needs the role that signing it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Every content statement type.
    Admin,
    /// `official-channel` statements.
    Channels,
    /// `genuine-document` statements.
    Documents,
    /// `entity`, `project` and `staff` statements: the group's companies, projects and staff.
    Group,
    /// `notice` statements.
    Notices,
    /// `signing-policy`, `fee-policy`, `channel-policy` and `practice` statements.
    Policies,
    /// `signatory` statements.
    Signatories,
    /// `warning` statements.
    Warnings,
}

impl Role {
    /// Every role, in alphabetical order.
    pub const ALL: [Self; 8] = [
        Self::Admin,
        Self::Channels,
        Self::Documents,
        Self::Group,
        Self::Notices,
        Self::Policies,
        Self::Signatories,
        Self::Warnings,
    ];

    /// Whether this role lets a staff key sign statements of `kind`. `org` and `delegation`
    /// statements are never signed by staff, and `revocation` is authorised like its target.
    pub fn permits(self, kind: StatementType) -> bool {
        use StatementType as T;
        match (self, kind) {
            (_, T::Org | T::Delegation | T::Revocation) => false,
            (Self::Admin, _) => true,
            (Self::Channels, T::OfficialChannel) => true,
            (Self::Documents, T::GenuineDocument) => true,
            (Self::Group, T::Entity | T::Project | T::Staff) => true,
            (Self::Notices, T::Notice) => true,
            (Self::Policies, T::SigningPolicy | T::FeePolicy | T::ChannelPolicy | T::Practice) => {
                true
            }
            (Self::Signatories, T::Signatory) => true,
            (Self::Warnings, T::Warning) => true,
            _ => false,
        }
    }

    /// The role's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Channels => "channels",
            Self::Documents => "documents",
            Self::Group => "group",
            Self::Notices => "notices",
            Self::Policies => "policies",
            Self::Signatories => "signatories",
            Self::Warnings => "warnings",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|r| r.as_str()).collect();
                ParseError::new(format!(
                    "unknown role {value:?}: use one of {}",
                    names.join(", ")
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe_and_bounded() {
        assert!(OrgSlug::parse("iucg").is_ok());
        assert!(OrgSlug::parse("acme-2").is_ok());
        for bad in ["", "a", "IUCG", "-x", "x-", "a b", "ä1", &"a".repeat(64)] {
            assert!(OrgSlug::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn statement_ids_reject_spaces_and_slashes() {
        assert!(StatementId::parse("iucg:signatory:wang-1").is_ok());
        for bad in ["", "a b", "a/b", &"x".repeat(129)] {
            assert!(StatementId::parse(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn roles_permit_only_their_types() {
        assert!(Role::Signatories.permits(StatementType::Signatory));
        assert!(!Role::Notices.permits(StatementType::Signatory));
        assert!(Role::Admin.permits(StatementType::Warning));
        assert!(!Role::Admin.permits(StatementType::Delegation));
    }
}
