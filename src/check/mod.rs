//! Checks: is this contact the organisation's, may this person act for it, and is this agreement
//! genuine and what does it ask for?
//!
//! Pure and synchronous. A check reads the register and the [`Index`] built beside it, at a time
//! the caller passes, and returns [`Findings`]: one finding per identifier (or per relation
//! between identifiers, such as a signatory's name with someone else's phone number), each with
//! the statement it relied on. The worst finding decides the [`Outcome`]. [`verdict`] turns the
//! findings into the claims of a signed verdict.

mod agreement;
mod contact;
mod index;
mod message;
mod messages;
pub mod normalise;
pub mod verdict;

use serde::{Deserialize, Serialize};

pub use self::agreement::{AgreementQuery, check_agreement, check_agreement_query, check_genuine};
pub use self::contact::{ContactQuery, DEFAULT_ACTION, MAX_INPUT_CHARS, check_contact};
pub use self::index::{Index, default_region};
pub use self::message::{MAX_MESSAGE_BYTES, MessageQuery, check_message};
pub use self::normalise::InputError;

use crate::document::Location;
use crate::registry::{Entry, Registry};

/// The answer to a check, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every identifier matches the organisation's records and the person may act.
    Verified,
    /// No record, and no exhaustive policy covers it: verify through the official channels.
    Unknown,
    /// Under an exhaustive policy, this is not the organisation's.
    NotAuthorised,
    /// A known impersonator, a lookalike, or a signatory's name with someone else's contact.
    FraudRisk,
}

impl Outcome {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Unknown => "unknown",
            Self::NotAuthorised => "not_authorised",
            Self::FraudRisk => "fraud_risk",
        }
    }
}

/// Which input a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// A person's name.
    Name,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A website or URL.
    Website,
    /// A bank account number.
    BankAccount,
    /// A company name or USCC.
    Company,
    /// The document as a whole (agreement checks).
    Document,
    /// A fee the text asks for (agreement and message checks).
    Fee,
    /// Who signs the document for the organisation (agreement checks).
    Signer,
    /// A pasted message as a whole (message checks).
    Message,
    /// Something the text asks that the organisation says it never does (agreement and
    /// message checks).
    Practice,
    /// A project or tender of the group.
    Project,
    /// A department of the organisation.
    Department,
}

impl Field {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::Website => "website",
            Self::BankAccount => "bank_account",
            Self::Company => "company",
            Self::Document => "document",
            Self::Fee => "fee",
            Self::Signer => "signer",
            Self::Message => "message",
            Self::Practice => "practice",
            Self::Project => "project",
            Self::Department => "department",
        }
    }
}

/// Why a finding came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A listed signatory who may perform the action.
    AuthorisedSignatory,
    /// A listed signatory, but not for this action.
    NotForAction,
    /// A signatory whose listing was revoked, superseded or has expired.
    NoLongerAuthorised,
    /// One of the organisation's official channels.
    OfficialChannel,
    /// A phone or email registered for a listed signatory.
    SignatoryContact,
    /// A host under one of the organisation's official domains.
    OfficialDomain,
    /// The organisation itself (its name or registration number).
    Organisation,
    /// The entity a listed signatory represents.
    SignatoryEntity,
    /// A company of the group, listed by an `entity` statement.
    GroupCompany,
    /// A company that a warning covers as controlled by the warned one.
    ControlledByWarned,
    /// Carries the group's name, but the group's list of companies is complete and this one is
    /// not on it: an invented company of the group.
    NotGroupCompany,
    /// A known impersonator's identifier, from a warning.
    Warning,
    /// Looks like an official identifier without being one.
    Lookalike,
    /// A listed signatory's name with a phone or email not registered for them.
    Impersonation,
    /// Not among the official ones, under an exhaustive policy.
    NotListed,
    /// No record, and no exhaustive policy covers it.
    NoRecord,
    /// The document is one the organisation registered as genuine.
    GenuineDocument,
    /// The document is not registered as genuine: only what it says was checked.
    NotRegistered,
    /// The document has no text layer (a scan): nothing in it could be checked.
    NoTextLayer,
    /// A message: anyone can write one, so only what it says was checked.
    Unverifiable,
    /// A fee the organisation's fee policy allows.
    FeeAllowed,
    /// A fee the organisation's fee policy says it never charges.
    FeeNotAllowed,
    /// Something the organisation states, in a `practice` statement, that it never does.
    PracticeNever,
    /// Subcontracting or a tender outside the tender platform the organisation names.
    OffPlatform,
    /// An employee in the organisation's staff directory, who is no signatory.
    EmployeeNotSignatory,
    /// Not an employee: the organisation's staff directory is complete.
    NotEmployee,
    /// A department of the organisation, from its staff directory.
    Department,
    /// No such department: the organisation's staff directory is complete.
    NoSuchDepartment,
    /// A project or tender of the group, on its register.
    Project,
    /// A contractor awarded work on the project named.
    AwardedContractor,
    /// A company that was not awarded work on the project named.
    NotAwarded,
}

/// A statement a finding relied on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatementRef {
    /// The statement's id.
    pub id: String,
    /// Its RFC 6962 leaf hash, hex.
    pub leaf_hash: String,
    /// Its position in the log.
    pub log_index: u64,
}

impl StatementRef {
    /// The reference to a register entry.
    pub fn to(entry: &Entry) -> Self {
        Self {
            id: entry.statement.common.id.as_str().to_owned(),
            log_index: entry.index,
            leaf_hash: crate::crypto::hex(&entry.leaf_hash),
        }
    }
}

/// A message in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// What a check found about one input. Fields in lexicographic order, as in
/// [`verdict::VerdictClaims`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// For a document: a short excerpt of the text the finding is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The input concerned.
    pub field: Field,
    /// The input as normalised (E.164, IDNA host, folded text).
    pub input: String,
    /// For a document: where in it the finding was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What it means, in English and Chinese.
    pub message: Message,
    /// The official value to use instead, for a near miss or an impersonation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    /// Why.
    pub reason: Reason,
    /// What this finding alone would make the outcome.
    pub result: Outcome,
    /// The statement relied on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementRef>,
}

/// The findings of a check and the outcome they decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    /// The worst finding's result.
    pub outcome: Outcome,
    /// Every finding, in input order.
    pub findings: Vec<Finding>,
}

impl Findings {
    fn new(findings: Vec<Finding>) -> Self {
        let outcome = findings
            .iter()
            .map(|f| f.result)
            .max()
            .unwrap_or(Outcome::Unknown);
        Self { outcome, findings }
    }
}

/// Why a check could not be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// The organisation has no `org` statement in force at the time asked.
    #[error("unknown organisation {0:?}")]
    UnknownOrg(String),
    /// No identifier was given.
    #[error("give at least one of name, phone, email, website, bank_account or company")]
    NoIdentifier,
    /// An input does not read.
    #[error("{field}: {error}", field = .field.as_str())]
    Input {
        /// The input.
        field: Field,
        /// Why.
        error: InputError,
    },
    /// `as_of` is in the future: the register cannot say what will hold then.
    #[error("as_of is in the future: a check can only speak for the register as it stands")]
    FutureAsOf,
    /// The action is not a snake_case token.
    #[error("action: {0}")]
    Action(String),
    /// A message is empty (nothing but white space).
    #[error("the message is empty; paste the text you received")]
    EmptyMessage,
    /// A message is longer than [`MAX_MESSAGE_BYTES`].
    #[error("the message is longer than {MAX_MESSAGE_BYTES} bytes")]
    MessageTooLong,
    /// A document holds more to check than a check reads (the reason says what).
    #[error("the document holds too much to check: {0}")]
    TooMuchToCheck(String),
}

/// The first text of a statement (by its JSON path) that holds a bidirectional control
/// character, which can make a text display differently from what it holds (a host
/// `iucg\u{202e}.example`, a name written backwards).
fn bidi_control(statement: &crate::domain::Statement) -> Option<String> {
    fn walk(value: &serde_json::Value, path: &mut String) -> bool {
        match value {
            serde_json::Value::String(s) => s
                .chars()
                .any(|c| {
                    matches!(
                        c,
                        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}'
                    )
                }),
            serde_json::Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                let found = walk(v, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            serde_json::Value::Object(map) => map.iter().any(|(k, v)| {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let found = walk(v, path);
                if !found {
                    path.truncate(len);
                }
                found
            }),
            _ => false,
        }
    }
    let value = serde_json::to_value(statement).ok()?;
    let mut path = String::new();
    walk(&value, &mut path).then_some(path)
}

/// The register and the index of its identifiers, kept in step: every statement added to one is
/// added to the other.
#[derive(Debug)]
pub struct Checker {
    registry: Registry,
    index: Index,
}

impl Checker {
    /// Indexes every statement already in `registry`.
    pub fn new(registry: Registry) -> Self {
        let mut index = Index::new();
        for i in 0..registry.len() {
            if let Some(entry) = registry.entry(i) {
                index.insert(entry);
            }
        }
        Self { registry, index }
    }

    /// The register.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Gives back the register's spare capacity, once the log has been replayed at start.
    pub fn shrink_to_fit(&mut self) {
        self.registry.shrink_to_fit();
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Decides whether a statement is accepted: the register's trust chain
    /// ([`Registry::admit`]), then every identifier it lists must read as a check would read it
    /// (a phone number in the organisation's region, an email address, a website, a bank
    /// account, a USCC), so that a value that could never match is refused at submission rather
    /// than silently ignored.
    pub fn admit(
        &self,
        envelope: &[u8],
        now: crate::domain::Timestamp,
    ) -> Result<crate::registry::Admitted, crate::registry::AdmitError> {
        let admitted = self.registry.admit(envelope, now)?;
        if let crate::registry::Admitted::New(admission) = &admitted {
            let statement = admission.statement();
            let region = self
                .registry
                .org(&statement.common.org, now)
                .and_then(|(_, org)| default_region(org));
            if let Some(field) = bidi_control(statement) {
                return Err(crate::registry::AdmitError::InvalidStatement(
                    crate::domain::ParseError(format!(
                        "{field} holds a bidirectional control character (U+202A to U+202E, \
                         U+2066 to U+2069, or a U+200E, U+200F or U+061C mark), which can make \
                         a text read differently from what it says"
                    )),
                ));
            }
            index::validate(statement, region).map_err(|e| {
                crate::registry::AdmitError::InvalidStatement(crate::domain::ParseError(e))
            })?;
            self.consistent(statement, now)?;
        }
        Ok(admitted)
    }

    /// Refuses a statement that says the opposite of the register in force at `now`: a warning
    /// about what a check would call the organisation's own (a channel, a signatory, a
    /// signatory's contact, the organisation or a company of the group), and a company of the
    /// group whose parent is unknown or which a warning names.
    fn consistent(
        &self,
        statement: &crate::domain::Statement,
        now: crate::domain::Timestamp,
    ) -> Result<(), crate::registry::AdmitError> {
        use crate::domain::{StatementBody, WarningKind};
        use crate::registry::AdmitError;
        let org = statement.common.org.as_str();
        let query = |set: &dyn Fn(&mut ContactQuery)| {
            let mut query = ContactQuery {
                org: org.to_owned(),
                ..ContactQuery::default()
            };
            set(&mut query);
            // A value that does not read was refused above; one that reads cannot fail here
            // but for an unknown organisation, which the trust chain refused before.
            check_contact(&self.registry, &self.index, &query, now)
                .map(|f| f.findings)
                .unwrap_or_default()
        };
        match &statement.body {
            StatementBody::Warning(w) => {
                let value = w.value.as_str().to_owned();
                let findings = match w.kind {
                    WarningKind::Phone => query(&|q| q.phone = Some(value.clone())),
                    WarningKind::Email => query(&|q| q.email = Some(value.clone())),
                    WarningKind::Website => query(&|q| q.website = Some(value.clone())),
                    WarningKind::BankAccount => query(&|q| q.bank_account = Some(value.clone())),
                    WarningKind::Person => query(&|q| q.name = Some(value.clone())),
                    WarningKind::Company => query(&|q| q.company = Some(value.clone())),
                    WarningKind::Address | WarningKind::Wechat => {
                        return self.same_as_channel(statement, w.kind, &value, now);
                    }
                };
                let own = findings.iter().find(|f| {
                    matches!(
                        f.reason,
                        Reason::AuthorisedSignatory
                            | Reason::NotForAction
                            | Reason::OfficialChannel
                            | Reason::SignatoryContact
                            | Reason::OfficialDomain
                            | Reason::Organisation
                            | Reason::SignatoryEntity
                            | Reason::GroupCompany
                            | Reason::EmployeeNotSignatory
                    )
                });
                if let Some(f) = own {
                    let cited = f.statement.as_ref().map_or("", |s| s.id.as_str());
                    return Err(AdmitError::Contradicts(format!(
                        "value {:?} reads as {:?}, which statement {cited} in force makes the \
                         organisation's own ({}); a warning cannot name it. Revoke or \
                         supersede {cited} first if it is no longer the organisation's",
                        w.value.as_str(),
                        f.input,
                        f.message.en
                    )));
                }
            }
            StatementBody::Entity(e) => {
                let known = |uscc: &crate::domain::Uscc| {
                    e.companies.iter().any(|c| c.uscc.as_ref() == Some(uscc))
                        || self
                            .registry
                            .org(&statement.common.org, now)
                            .is_some_and(|(_, body)| body.registration_numbers.contains(uscc))
                        || query(&|q| q.company = Some(uscc.as_str().to_owned()))
                            .iter()
                            .any(|f| f.reason == Reason::GroupCompany)
                };
                for company in &e.companies {
                    if let Some(parent) = &company.parent
                        && !known(parent)
                    {
                        return Err(AdmitError::UnknownReference(format!(
                            "companies: the parent {} of {} is neither the organisation nor a \
                             company of its group in force; register the parent first",
                            parent.as_str(),
                            company.names.best("en")
                        )));
                    }
                    let values = company
                        .names
                        .iter()
                        .map(|(_, n)| n.as_str().to_owned())
                        .chain(company.uscc.as_ref().map(|u| u.as_str().to_owned()));
                    for value in values {
                        let findings = query(&|q| q.company = Some(value.clone()));
                        if let Some(f) = findings.iter().find(|f| f.reason == Reason::Warning) {
                            let cited = f.statement.as_ref().map_or("", |s| s.id.as_str());
                            return Err(AdmitError::Contradicts(format!(
                                "companies: {value:?} is named by warning {cited} in force; \
                                 revoke the warning first if the company is the group's"
                            )));
                        }
                    }
                }
            }
            // The other way round: the organisation's own channel, signatory contact or
            // employee that a warning in force names. Checks would let the warning win, so the
            // warning is to be revoked first.
            StatementBody::OfficialChannel(_)
            | StatementBody::Signatory(_)
            | StatementBody::Staff(_) => {
                let mut values: Vec<(&str, String)> = Vec::new();
                match &statement.body {
                    StatementBody::OfficialChannel(c) => {
                        let field = match c.kind {
                            crate::domain::ChannelKind::Phone => "phone",
                            crate::domain::ChannelKind::Email => "email",
                            crate::domain::ChannelKind::Website => "website",
                            crate::domain::ChannelKind::BankAccount => "bank_account",
                            _ => "",
                        };
                        values.push((field, c.value.as_str().to_owned()));
                    }
                    StatementBody::Signatory(s) => {
                        values.extend(s.phones.iter().map(|p| ("phone", p.as_str().to_owned())));
                        values.extend(s.emails.iter().map(|e| ("email", e.as_str().to_owned())));
                        values.extend(
                            s.person
                                .names
                                .iter()
                                .map(|(_, n)| ("name", n.as_str().to_owned())),
                        );
                    }
                    StatementBody::Staff(st) => {
                        values.extend(st.people.iter().flat_map(|m| {
                            m.names.iter().map(|(_, n)| ("name", n.as_str().to_owned()))
                        }));
                    }
                    _ => {}
                }
                for (field, value) in values.into_iter().take(crate::domain::MAX_LIST_ITEMS * 4) {
                    let findings = match field {
                        "phone" => query(&|q| q.phone = Some(value.clone())),
                        "email" => query(&|q| q.email = Some(value.clone())),
                        "website" => query(&|q| q.website = Some(value.clone())),
                        "bank_account" => query(&|q| q.bank_account = Some(value.clone())),
                        "name" => query(&|q| q.name = Some(value.clone())),
                        _ => continue,
                    };
                    if let Some(f) = findings.iter().find(|f| f.reason == Reason::Warning) {
                        let cited = f.statement.as_ref().map_or("", |s| s.id.as_str());
                        return Err(AdmitError::Contradicts(format!(
                            "{field} {value:?} is named by warning {cited} in force as an \
                             impersonator's; revoke the warning first if it is the \
                             organisation's own"
                        )));
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// For warnings of kinds that checks do not normalise (addresses, WeChat ids): refused when
    /// the value is an official channel of that kind, compared by confusable skeleton without
    /// white space.
    fn same_as_channel(
        &self,
        statement: &crate::domain::Statement,
        kind: crate::domain::WarningKind,
        value: &str,
        now: crate::domain::Timestamp,
    ) -> Result<(), crate::registry::AdmitError> {
        use crate::domain::{ChannelKind, StatementBody, WarningKind};
        let kind = match kind {
            WarningKind::Address => ChannelKind::Address,
            WarningKind::Wechat => ChannelKind::Wechat,
            _ => return Ok(()),
        };
        let fold = |v: &str| -> String {
            normalise::skeleton(v)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        let ours = fold(value);
        let Some(tables) = self.index.tables(statement.common.org.as_str()) else {
            return Ok(());
        };
        for &p in tables.channels.get(&kind).into_iter().flatten() {
            let Some(entry) = self.registry.entry(u64::from(p)) else {
                continue;
            };
            if let StatementBody::OfficialChannel(c) = &entry.statement.body
                && self.registry.status(entry, now) == crate::registry::Status::Active
                && fold(c.value.as_str()) == ours
            {
                return Err(crate::registry::AdmitError::Contradicts(format!(
                    "value {value:?} is the official channel of statement {} in force; a \
                     warning cannot name it",
                    entry.statement.common.id.as_str()
                )));
            }
        }
        Ok(())
    }

    /// Adds an admitted statement to the register and the index.
    pub fn append(&mut self, admission: crate::registry::Admission) -> std::sync::Arc<Entry> {
        let entry = self.registry.append(admission);
        self.index.insert(&entry);
        entry
    }

    /// Replays a stored statement into the register and the index.
    pub fn replay(
        &mut self,
        envelope: &[u8],
        accepted_at: crate::domain::Timestamp,
    ) -> Result<std::sync::Arc<Entry>, crate::registry::AdmitError> {
        let entry = self.registry.replay(envelope, accepted_at)?;
        self.index.insert(&entry);
        Ok(entry)
    }
}
