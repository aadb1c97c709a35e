//! Statements: what an organisation (or the operator) says, as typed values.
//!
//! A statement is a JSON object with the common fields of [`Common`] and a `type` that selects one
//! of the bodies of [`StatementBody`]. Unknown fields are rejected everywhere, and a [`Statement`]
//! value has passed every rule that can be checked without the rest of the register (windows,
//! list sizes, thresholds that can be met).

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    BoundedText, CalendarDate, LangText, OrgSlug, ParseError, Role, StatementId, Timestamp, Token,
    Uscc,
};

/// The most items a list in a statement may hold (keys, phones, actions, ...). Registers hold many
/// statements, not huge ones; a cap keeps every statement cheap to verify and to show.
pub const MAX_LIST_ITEMS: usize = 64;

/// The highest signature threshold an organisation may set.
pub const MAX_THRESHOLD: u8 = 16;

/// The kinds of statement (the `type` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatementType {
    /// An organisation's identity, root keys and thresholds; signed by the operator.
    Org,
    /// Staff keys with roles and expiry; signed by the organisation's root keys.
    Delegation,
    /// Who may perform which actions, and whether the list is exhaustive.
    SigningPolicy,
    /// Which fees the organisation charges, and whether the list is exhaustive.
    FeePolicy,
    /// A person who may act for the organisation.
    Signatory,
    /// Which channel kinds the official channels cover exhaustively.
    ChannelPolicy,
    /// One official channel: a phone, email, website, bank account, address or WeChat id.
    OfficialChannel,
    /// A known impersonator's identifier.
    Warning,
    /// A notice for the news page and the widget.
    Notice,
    /// The SHA-256 of a genuine document.
    GenuineDocument,
    /// Withdraws an earlier statement from a time on.
    Revocation,
    /// Companies of the group: genuine subsidiaries, their parents, and whether the list is
    /// complete.
    Entity,
    /// A practice the organisation never follows (no payments to personal accounts, no app, ...).
    Practice,
    /// A project or tender of the group, with its awarded contractors.
    Project,
    /// The staff directory: employees who are not signatories, departments, email patterns.
    Staff,
}

impl StatementType {
    /// Every type, in declaration order.
    pub const ALL: [Self; 15] = [
        Self::Org,
        Self::Delegation,
        Self::SigningPolicy,
        Self::FeePolicy,
        Self::Signatory,
        Self::ChannelPolicy,
        Self::OfficialChannel,
        Self::Warning,
        Self::Notice,
        Self::GenuineDocument,
        Self::Revocation,
        Self::Entity,
        Self::Practice,
        Self::Project,
        Self::Staff,
    ];

    /// The wire name, such as `signing-policy`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Org => "org",
            Self::Delegation => "delegation",
            Self::SigningPolicy => "signing-policy",
            Self::FeePolicy => "fee-policy",
            Self::Signatory => "signatory",
            Self::ChannelPolicy => "channel-policy",
            Self::OfficialChannel => "official-channel",
            Self::Warning => "warning",
            Self::Notice => "notice",
            Self::GenuineDocument => "genuine-document",
            Self::Revocation => "revocation",
            Self::Entity => "entity",
            Self::Practice => "practice",
            Self::Project => "project",
            Self::Staff => "staff",
        }
    }

    /// Whether an organisation sets a threshold for this type: every type but `org` (signed by the
    /// operator) and `revocation` (which needs what its target needs).
    pub fn has_own_threshold(self) -> bool {
        !matches!(self, Self::Org | Self::Revocation)
    }
}

impl std::fmt::Display for StatementType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for StatementType {
    type Err = ParseError;
    fn from_str(value: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str() == value)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|t| t.as_str()).collect();
                ParseError::new(format!(
                    "unknown statement type {value:?}: use one of {}",
                    names.join(", ")
                ))
            })
    }
}

/// The fields every statement has, besides `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Unique within the organisation, chosen by the issuer.
    pub id: StatementId,
    /// The organisation the statement is about (for `org`, the one it creates).
    pub org: OrgSlug,
    /// When the issuer made it.
    pub issued_at: Timestamp,
    /// From when it is in force.
    pub effective_from: Timestamp,
    /// Until when it is in force, if it ends by itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_until: Option<Timestamp>,
    /// Earlier statements of the same type and organisation that this one replaces.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<StatementId>,
}

/// The field names of [`Common`], which [`Statement`]'s parser splits from the body's.
const COMMON_FIELDS: [&str; 6] = [
    "id",
    "org",
    "issued_at",
    "effective_from",
    "effective_until",
    "supersedes",
];

/// A statement: common fields and a typed body. Every value of this type has passed the checks
/// that need no other statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The common fields.
    pub common: Common,
    /// The typed body.
    pub body: StatementBody,
}

/// The typed part of a statement, selected by `type`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum StatementBody {
    /// See [`OrgBody`].
    Org(OrgBody),
    /// See [`DelegationBody`].
    Delegation(DelegationBody),
    /// See [`SigningPolicyBody`].
    SigningPolicy(SigningPolicyBody),
    /// See [`FeePolicyBody`].
    FeePolicy(FeePolicyBody),
    /// See [`SignatoryBody`].
    Signatory(SignatoryBody),
    /// See [`ChannelPolicyBody`].
    ChannelPolicy(ChannelPolicyBody),
    /// See [`OfficialChannelBody`].
    OfficialChannel(OfficialChannelBody),
    /// See [`WarningBody`].
    Warning(WarningBody),
    /// See [`NoticeBody`].
    Notice(NoticeBody),
    /// See [`GenuineDocumentBody`].
    GenuineDocument(GenuineDocumentBody),
    /// See [`RevocationBody`].
    Revocation(RevocationBody),
    /// See [`EntityBody`].
    Entity(EntityBody),
    /// See [`PracticeBody`].
    Practice(PracticeBody),
    /// See [`ProjectBody`].
    Project(ProjectBody),
    /// See [`StaffBody`].
    Staff(StaffBody),
}

impl StatementBody {
    /// The statement type of this body.
    pub fn kind(&self) -> StatementType {
        match self {
            Self::Org(_) => StatementType::Org,
            Self::Delegation(_) => StatementType::Delegation,
            Self::SigningPolicy(_) => StatementType::SigningPolicy,
            Self::FeePolicy(_) => StatementType::FeePolicy,
            Self::Signatory(_) => StatementType::Signatory,
            Self::ChannelPolicy(_) => StatementType::ChannelPolicy,
            Self::OfficialChannel(_) => StatementType::OfficialChannel,
            Self::Warning(_) => StatementType::Warning,
            Self::Notice(_) => StatementType::Notice,
            Self::GenuineDocument(_) => StatementType::GenuineDocument,
            Self::Revocation(_) => StatementType::Revocation,
            Self::Entity(_) => StatementType::Entity,
            Self::Practice(_) => StatementType::Practice,
            Self::Project(_) => StatementType::Project,
            Self::Staff(_) => StatementType::Staff,
        }
    }
}

/// An Ed25519 public key as an RFC 8037 JWK: exactly `{"kty":"OKP","crv":"Ed25519","x":...}`.
/// Whether the 32 bytes are a valid curve point is checked where keys are used (`crypto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PublicJwk {
    x: [u8; 32],
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJwk {
    kty: String,
    crv: String,
    x: String,
}

impl PublicJwk {
    /// Wraps the 32 bytes of an Ed25519 public key.
    pub fn from_bytes(x: [u8; 32]) -> Self {
        Self { x }
    }

    /// The public key bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.x
    }

    /// The `x` member: the key bytes in unpadded base64url.
    pub fn x_b64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.x)
    }

    /// Parses the members of an OKP JWK.
    pub fn parse(kty: &str, crv: &str, x: &str) -> Result<Self, ParseError> {
        if kty != "OKP" || crv != "Ed25519" {
            return Err(ParseError::new(format!(
                "unsupported key type kty={kty:?} crv={crv:?}: only OKP Ed25519 keys are accepted"
            )));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(x)
            .map_err(|e| ParseError::new(format!("invalid JWK x: not unpadded base64url ({e})")))?;
        let x = <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
            ParseError::new(format!(
                "invalid JWK x: an Ed25519 public key has 32 bytes, this has {}",
                bytes.len()
            ))
        })?;
        Ok(Self { x })
    }
}

impl Serialize for PublicJwk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        RawJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: self.x_b64(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PublicJwk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawJwk::deserialize(deserializer)?;
        Self::parse(&raw.kty, &raw.crv, &raw.x).map_err(D::Error::custom)
    }
}

/// A SHA-256 digest written as 64 hex digits (lower case on output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sha256Hex([u8; 32]);

impl Sha256Hex {
    /// Parses 64 hex digits.
    pub fn parse(value: &str) -> Result<Self, ParseError> {
        let bad = || ParseError::new(format!("invalid SHA-256 {value:?}: expected 64 hex digits"));
        if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(value.as_bytes().chunks(2)) {
            let text = std::str::from_utf8(pair).map_err(|_| bad())?;
            *slot = u8::from_str_radix(text, 16).map_err(|_| bad())?;
        }
        Ok(Self(out))
    }

    /// Wraps digest bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The digest bytes.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl std::fmt::Display for Sha256Hex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl TryFrom<String> for Sha256Hex {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, ParseError> {
        Self::parse(&value)
    }
}

impl From<Sha256Hex> for String {
    fn from(value: Sha256Hex) -> Self {
        value.to_string()
    }
}

/// `org`: an organisation's identity and trust anchors, signed by the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgBody {
    /// The organisation's names by language.
    pub names: LangText,
    /// Its registration numbers (Unified Social Credit Codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registration_numbers: Vec<Uscc>,
    /// Its official domains, such as `iucg.example`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub official_domains: Vec<BoundedText>,
    /// The root keys that sign delegations.
    pub root_keys: Vec<PublicJwk>,
    /// Distinct signatures needed per statement type; a type not listed needs
    /// [`OrgBody::DEFAULT_THRESHOLD`]. `delegation` counts root keys, content types staff keys.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub thresholds: BTreeMap<StatementType, u8>,
}

impl OrgBody {
    /// The threshold of a type the organisation did not list: four eyes, the production default.
    pub const DEFAULT_THRESHOLD: u8 = 2;

    /// Distinct signatures needed for statements of `kind`. A revocation needs what its target's
    /// type needs; callers pass the target's type.
    pub fn threshold(&self, kind: StatementType) -> u8 {
        let default = if kind == StatementType::Delegation {
            // An organisation with one root key must still be able to delegate.
            Self::DEFAULT_THRESHOLD.min(u8::try_from(self.root_keys.len()).unwrap_or(u8::MAX))
        } else {
            Self::DEFAULT_THRESHOLD
        };
        self.thresholds.get(&kind).copied().unwrap_or(default)
    }
}

/// One staff key granted by a delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegatedKey {
    /// The staff member's public key.
    pub key: PublicJwk,
    /// Who holds it (a name or a function).
    pub holder: BoundedText,
    /// What it may sign.
    pub roles: Vec<Role>,
    /// When the grant ends.
    pub expires_at: Timestamp,
}

/// `delegation`: staff keys, signed by the organisation's root keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelegationBody {
    /// The keys granted.
    pub keys: Vec<DelegatedKey>,
}

/// `signing-policy`: who may act for the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningPolicyBody {
    /// The actions covered, such as `sign_investment_agreement`.
    pub actions: Vec<Token>,
    /// Whether only the registered signatories may perform them (closed world).
    pub exhaustive: bool,
    /// The policy in words, by language.
    pub text: LangText,
}

/// `fee-policy`: which fees the organisation charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeePolicyBody {
    /// The fee kinds charged, such as `investment_return` and `management_fee`.
    pub allowed_fees: Vec<Token>,
    /// Whether no other fee is ever charged.
    pub exhaustive: bool,
    /// The policy in words, by language.
    pub text: LangText,
}

/// A person, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Names by language (`{"en": "Wang Jianguo", "zh": "王建国"}`).
    pub names: LangText,
    /// Other names the person is known by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<BoundedText>,
}

/// A legal entity, by name and registration number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Names by language.
    pub names: LangText,
    /// Its Unified Social Credit Code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uscc: Option<Uscc>,
}

/// `signatory`: a person who may act for the organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatoryBody {
    /// The person.
    pub person: Person,
    /// The entity the person represents (for example the investment subject).
    pub entity: Entity,
    /// The person's role, such as `legal_representative`.
    pub role: Token,
    /// The actions the person may perform.
    pub actions: Vec<Token>,
    /// The person's registered phone numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<BoundedText>,
    /// The person's registered email addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<BoundedText>,
}

/// A kind of official channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    /// A postal address.
    Address,
    /// A bank account number.
    BankAccount,
    /// An email address.
    Email,
    /// A phone number.
    Phone,
    /// A WeChat id.
    Wechat,
    /// A website (its host).
    Website,
}

/// `channel-policy`: which channel kinds the official channels cover completely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelPolicyBody {
    /// The kinds covered.
    pub kinds: Vec<ChannelKind>,
    /// Whether every channel of these kinds is listed (closed world).
    pub exhaustive: bool,
    /// The policy in words, by language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<LangText>,
}

/// `official-channel`: one of the organisation's channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialChannelBody {
    /// The channel's kind.
    pub kind: ChannelKind,
    /// The channel's value, such as a phone number or a host name.
    pub value: BoundedText,
    /// What the channel is for, by language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<LangText>,
}

/// What a warning is about: a channel, a person or a company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A postal address.
    Address,
    /// A bank account number.
    BankAccount,
    /// A company name or registration number.
    Company,
    /// An email address.
    Email,
    /// A person's name.
    Person,
    /// A phone number.
    Phone,
    /// A WeChat id.
    Wechat,
    /// A website (its host).
    Website,
}

/// `warning`: a known impersonator's identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningBody {
    /// What the value is.
    pub kind: WarningKind,
    /// The identifier used by the impersonator.
    pub value: BoundedText,
    /// What is known about it, by language.
    pub description: LangText,
    /// For a `company` warning: every company the warned one controls is warned about too, from
    /// the start ("上述公司及其各级子公司均为假冒"). A check reads a company as controlled by
    /// the warned one when its name carries the warned name's distinctive part.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub includes_controlled: bool,
}

/// One company of the group, as an `entity` statement lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupCompany {
    /// Its registered names by language.
    pub names: LangText,
    /// Its Unified Social Credit Code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uscc: Option<Uscc>,
    /// The USCC of the company that controls it: the organisation's own, or another company of
    /// the group. Absent, the organisation controls it directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Uscc>,
}

/// `entity`: companies of the group. The group's companies are every company listed by the
/// `entity` statements in force; the list is complete when one of them says `exhaustive`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityBody {
    /// The companies.
    pub companies: Vec<GroupCompany>,
    /// Whether the companies listed by the `entity` statements in force are all the group's
    /// (closed world): a company that claims to be of the group and is not listed is not.
    pub exhaustive: bool,
    /// The statement in words, by language ("the companies below are all our subsidiaries").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<LangText>,
}

/// A practice an organisation states it never follows, by what a check looks for in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeKind {
    /// "We never ask for payment to a personal account": a text asking for one.
    NoPersonalAccountPayment,
    /// "Our staff never contact investors through personal WeChat or QQ": a text giving such a
    /// contact.
    NoPersonalMessaging,
    /// "We have no app and offer no app-based investment": a text with an app to install.
    NoApp,
    /// "We run no retail investment business": a text offering a retail investment product.
    NoRetailInvestment,
    /// "We have no power to freeze accounts": a text about freezing or unfreezing one.
    NoAccountFreezing,
    /// "Mandates received via WeChat, QQ or email are never ours": a mandate sent that way.
    NoMandateByMessage,
    /// "All subcontracting goes through our tender platform": a tender or subcontract that does
    /// not name the platform.
    TendersOnPlatform,
}

/// `practice`: one practice the organisation never follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeBody {
    /// The practice, by its machine meaning.
    pub practice: PracticeKind,
    /// The organisation's own words, by language.
    pub text: LangText,
    /// For `tenders_on_platform`: the platform's website (required there, refused elsewhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<BoundedText>,
}

/// `project`: one of the group's real projects or tenders. The group's projects are those of the
/// `project` statements in force; the register is complete when one of them says `exhaustive`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectBody {
    /// The project's names by language.
    pub names: LangText,
    /// Its project or tender number, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<BoundedText>,
    /// The contractors awarded work on it (none yet: an open tender).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contractors: Vec<Entity>,
    /// Where the tender and its award are published (a website).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<BoundedText>,
    /// Whether the projects of the `project` statements in force are all the group's.
    pub exhaustive: bool,
}

/// One employee in a staff directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffMember {
    /// The employee's names by language.
    pub names: LangText,
    /// The department, as the directory names it (one of its `departments`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<BoundedText>,
}

/// `staff`: a staff directory. Being listed here says someone is an employee, never that they
/// may act for the organisation: that is what `signatory` statements say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffBody {
    /// Employees.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<StaffMember>,
    /// Departments, each by its names in every language it goes by.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<LangText>,
    /// Employees' email addresses by pattern, such as `<pinyin>@iucg.example` (`<pinyin>`: the
    /// English name's letters, lower case, run together).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_patterns: Vec<BoundedText>,
    /// Whether the people and departments of the `staff` statements in force are all the
    /// organisation's.
    pub exhaustive: bool,
}

/// The placeholder an email pattern of a staff directory must hold.
pub const PINYIN_PLACEHOLDER: &str = "<pinyin>";

/// `notice`: a notice for the news page and the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeBody {
    /// The title, by language.
    pub title: LangText,
    /// The text, by language.
    pub text: LangText,
}

/// `genuine-document`: the digest of a genuine agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenuineDocumentBody {
    /// SHA-256 of the document's bytes.
    pub sha256: Sha256Hex,
    /// Its title, by language.
    pub title: LangText,
    /// The parties to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<BoundedText>,
    /// The date it bears.
    pub date: CalendarDate,
}

/// `revocation`: withdraws a statement from this statement's `effective_from` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevocationBody {
    /// The id of the statement withdrawn.
    pub revokes: StatementId,
    /// Why, in words.
    pub reason: BoundedText,
}

impl Statement {
    /// The statement's type.
    pub fn kind(&self) -> StatementType {
        self.body.kind()
    }

    /// Parses a statement from JSON text.
    pub fn from_json(text: &str) -> Result<Self, ParseError> {
        serde_json::from_str(text).map_err(|e| ParseError::new(strip_position(&e.to_string())))
    }

    /// Parses a statement from a JSON value.
    pub fn from_value(value: serde_json::Value) -> Result<Self, ParseError> {
        serde_json::from_value(value).map_err(|e| ParseError::new(e.to_string()))
    }

    /// Checks the rules that involve more than one field.
    fn check(&self) -> Result<(), ParseError> {
        let common = &self.common;
        if common
            .effective_until
            .is_some_and(|until| until <= common.effective_from)
        {
            return Err(ParseError::new(
                "effective_until must be later than effective_from",
            ));
        }
        check_list("supersedes", &common.supersedes, 0)?;
        if common.supersedes.contains(&common.id) {
            return Err(ParseError::new("a statement cannot supersede itself"));
        }
        match &self.body {
            StatementBody::Org(org) => {
                check_list("registration_numbers", &org.registration_numbers, 0)?;
                check_list("official_domains", &org.official_domains, 0)?;
                check_list("root_keys", &org.root_keys, 1)?;
                let distinct: BTreeSet<_> = org.root_keys.iter().collect();
                if distinct.len() != org.root_keys.len() {
                    return Err(ParseError::new("root_keys: a key is listed twice"));
                }
                for (&kind, &n) in &org.thresholds {
                    if !kind.has_own_threshold() {
                        return Err(ParseError::new(format!(
                            "thresholds: {kind} has no threshold of its own (org statements are \
                             signed by the operator, revocations need their target's threshold)"
                        )));
                    }
                    if !(1..=MAX_THRESHOLD).contains(&n) {
                        return Err(ParseError::new(format!(
                            "thresholds: {kind} must need 1 to {MAX_THRESHOLD} signatures, not {n}"
                        )));
                    }
                }
                let delegation = usize::from(org.threshold(StatementType::Delegation));
                if delegation > org.root_keys.len() {
                    return Err(ParseError::new(format!(
                        "thresholds: delegation needs {delegation} root signatures but only {} \
                         root keys are listed",
                        org.root_keys.len()
                    )));
                }
            }
            StatementBody::Delegation(d) => {
                check_list("keys", &d.keys, 1)?;
                let distinct: BTreeSet<_> = d.keys.iter().map(|k| k.key).collect();
                if distinct.len() != d.keys.len() {
                    return Err(ParseError::new("keys: a key is listed twice"));
                }
                for key in &d.keys {
                    check_list("roles", &key.roles, 1)?;
                }
            }
            StatementBody::SigningPolicy(p) => check_list("actions", &p.actions, 1)?,
            StatementBody::FeePolicy(p) => check_list("allowed_fees", &p.allowed_fees, 0)?,
            StatementBody::Signatory(s) => {
                check_list("actions", &s.actions, 1)?;
                check_list("phones", &s.phones, 0)?;
                check_list("emails", &s.emails, 0)?;
                check_list("aliases", &s.person.aliases, 0)?;
            }
            StatementBody::ChannelPolicy(p) => check_list("kinds", &p.kinds, 1)?,
            StatementBody::GenuineDocument(d) => check_list("parties", &d.parties, 0)?,
            StatementBody::Revocation(r) => {
                if !common.supersedes.is_empty() {
                    return Err(ParseError::new("a revocation cannot supersede statements"));
                }
                if common.effective_until.is_some() {
                    return Err(ParseError::new(
                        "a revocation has no effective_until: it withdraws its target for good",
                    ));
                }
                if r.revokes == common.id {
                    return Err(ParseError::new("a revocation cannot revoke itself"));
                }
            }
            StatementBody::Entity(e) => {
                check_list("companies", &e.companies, 1)?;
                let mut usccs = BTreeSet::new();
                for company in &e.companies {
                    if let Some(uscc) = &company.uscc
                        && !usccs.insert(uscc)
                    {
                        return Err(ParseError::new(format!(
                            "companies: USCC {} is listed twice",
                            uscc.as_str()
                        )));
                    }
                    if company.uscc.is_some() && company.parent == company.uscc {
                        return Err(ParseError::new(format!(
                            "companies: {} cannot be its own parent",
                            company.names.best("en")
                        )));
                    }
                }
            }
            StatementBody::Warning(w) => {
                if w.includes_controlled && w.kind != WarningKind::Company {
                    return Err(ParseError::new(
                        "includes_controlled applies to company warnings only",
                    ));
                }
            }
            StatementBody::Project(p) => check_list("contractors", &p.contractors, 0)?,
            StatementBody::Staff(s) => {
                check_list("people", &s.people, 0)?;
                check_list("departments", &s.departments, 0)?;
                check_list("email_patterns", &s.email_patterns, 0)?;
                if s.people.is_empty() && s.departments.is_empty() && s.email_patterns.is_empty() {
                    return Err(ParseError::new(
                        "a staff directory lists at least one of people, departments and \
                         email_patterns",
                    ));
                }
                for pattern in &s.email_patterns {
                    let ok = pattern
                        .as_str()
                        .split_once('@')
                        .is_some_and(|(local, domain)| {
                            local == PINYIN_PLACEHOLDER && !domain.is_empty()
                        });
                    if !ok {
                        return Err(ParseError::new(format!(
                            "email_patterns: {:?} must read {PINYIN_PLACEHOLDER}@DOMAIN",
                            pattern.as_str()
                        )));
                    }
                }
            }
            StatementBody::Practice(p) => {
                let platform = p.practice == PracticeKind::TendersOnPlatform;
                if platform != p.platform.is_some() {
                    return Err(ParseError::new(
                        "platform: required for tenders_on_platform, and only there",
                    ));
                }
            }
            StatementBody::OfficialChannel(_) | StatementBody::Notice(_) => {}
        }
        Ok(())
    }
}

fn check_list<T>(field: &str, items: &[T], min: usize) -> Result<(), ParseError> {
    if items.len() < min {
        return Err(ParseError::new(format!(
            "{field} must hold at least {min} item(s)"
        )));
    }
    if items.len() > MAX_LIST_ITEMS {
        return Err(ParseError::new(format!(
            "{field} holds {} items; at most {MAX_LIST_ITEMS} are allowed",
            items.len()
        )));
    }
    Ok(())
}

/// serde_json appends " at line L column C" to its messages; for a value that came from a JWS
/// payload the position is meaningless to the client.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

impl Serialize for Statement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Flat<'a> {
            #[serde(flatten)]
            common: &'a Common,
            #[serde(flatten)]
            body: &'a StatementBody,
        }
        Flat {
            common: &self.common,
            body: &self.body,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Statement {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let object = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let (common, body): (serde_json::Map<_, _>, serde_json::Map<_, _>) = object
            .into_iter()
            .partition(|(key, _)| COMMON_FIELDS.contains(&key.as_str()));
        let common = Common::deserialize(serde_json::Value::Object(common))
            .map_err(|e| D::Error::custom(e.to_string()))?;
        let body = StatementBody::deserialize(serde_json::Value::Object(body))
            .map_err(|e| D::Error::custom(e.to_string()))?;
        let statement = Self { common, body };
        statement.check().map_err(D::Error::custom)?;
        Ok(statement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTICE: &str = r#"{"type":"notice","id":"n1","org":"iucg",
        "issued_at":"2026-11-28T09:00:00Z","effective_from":"2026-11-28T09:00:00Z",
        "title":{"en":"Notice"},"text":{"en":"We charge no other fees.","zh":"不收取其他费用"}}"#;

    #[test]
    fn a_notice_parses_and_round_trips() {
        let statement = Statement::from_json(NOTICE).expect("valid notice");
        assert_eq!(statement.kind(), StatementType::Notice);
        let again = Statement::from_value(serde_json::to_value(&statement).expect("serialises"))
            .expect("round trip");
        assert_eq!(statement, again);
    }

    #[test]
    fn unknown_fields_are_rejected_at_both_levels() {
        let top = NOTICE.replace(r#""type":"notice","#, r#""type":"notice","colour":"red","#);
        let err = Statement::from_json(&top).expect_err("unknown top-level field");
        assert!(err.0.contains("colour"), "{err}");
        let inner = NOTICE.replace(r#"{"en":"Notice"}"#, r#"{"en":"Notice","xx-":"?"}"#);
        assert!(Statement::from_json(&inner).is_err());
    }

    #[test]
    fn an_invalid_uscc_is_rejected_with_the_reason() {
        let org = r#"{"type":"org","id":"o1","org":"iucg","issued_at":"2026-11-28T09:00:00Z",
            "effective_from":"2026-11-28T09:00:00Z","names":{"en":"IUCG"},
            "registration_numbers":["91110000100017643A"],
            "root_keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#;
        let err = Statement::from_json(org).expect_err("bad check character");
        assert!(err.0.contains("check character"), "{err}");
    }

    #[test]
    fn windows_must_be_ordered() {
        let bad = NOTICE.replace(
            r#""effective_from":"2026-11-28T09:00:00Z","#,
            r#""effective_from":"2026-11-28T09:00:00Z","effective_until":"2026-11-27T09:00:00Z","#,
        );
        assert!(Statement::from_json(&bad).is_err());
    }

    #[test]
    fn thresholds_are_keyed_by_type() {
        let org = r#"{"type":"org","id":"o1","org":"iucg","issued_at":"2026-11-28T09:00:00Z",
            "effective_from":"2026-11-28T09:00:00Z","names":{"en":"IUCG"},
            "root_keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}],
            "thresholds":{"signatory":2,"notice":1}}"#;
        let statement = Statement::from_json(org).expect("valid org");
        let StatementBody::Org(body) = statement.body else {
            panic!("an org body");
        };
        assert_eq!(body.threshold(StatementType::Notice), 1);
        assert_eq!(body.threshold(StatementType::Warning), 2);
        assert_eq!(body.threshold(StatementType::Delegation), 1);
    }
}
