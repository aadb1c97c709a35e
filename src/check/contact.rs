//! The contact check: each identifier against signatories, official channels and warnings, then
//! the relation between a signatory's name and the contact details given with it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::index::{Hit, OrgTables, Source, brand, of};
use super::messages;
use super::normalise::{BankAccount, Email, Host, InputError, Name, Phone};
use super::{CheckError, Field, Finding, Findings, Index, Outcome, Reason, StatementRef};
use crate::domain::{ChannelKind, LangText, OrgSlug, StatementBody, Timestamp, Token, Uscc};
use crate::registry::{Entry, Registry, Status};

/// The longest input accepted for one identifier, in characters.
pub const MAX_INPUT_CHARS: usize = 512;

/// The action checked when none is given.
pub const DEFAULT_ACTION: &str = "sign_investment_agreement";

/// A contact check request as it arrives (`POST /v1/checks/contact`). Its RFC 8785 form is what
/// the verdict's `subject_sha256` hashes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactQuery {
    /// The organisation's slug.
    pub org: String,
    /// A person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// An email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A website or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// A bank account number or IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// A company name or USCC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// The action the person claims to be allowed to perform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Check against the register as it stood at this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Timestamp>,
}

enum CompanyInput {
    Uscc(Uscc),
    Name(Name),
}

struct Parsed {
    name: Option<Name>,
    phone: Option<Phone>,
    email: Option<Email>,
    website: Option<Host>,
    bank_account: Option<BankAccount>,
    company: Option<CompanyInput>,
}

fn field<T>(
    field: Field,
    value: Option<&String>,
    parse: impl FnOnce(&str) -> Result<T, InputError>,
) -> Result<Option<T>, CheckError> {
    let Some(value) = value else {
        return Ok(None);
    };
    if value.chars().count() > MAX_INPUT_CHARS {
        return Err(CheckError::Input {
            field,
            error: InputError(format!("longer than {MAX_INPUT_CHARS} characters")),
        });
    }
    parse(value)
        .map(Some)
        .map_err(|error| CheckError::Input { field, error })
}

/// A company input that looks like a registration number (18 letters and digits, at least half
/// digits) is read as a USCC and must be one; anything else is a name.
fn company(value: &str) -> Result<CompanyInput, InputError> {
    let compact: String = super::normalise::fold(value)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = compact.chars().filter(char::is_ascii_digit).count();
    if compact.len() == 18 && compact.chars().all(|c| c.is_ascii_alphanumeric()) && digits >= 9 {
        return Uscc::parse(&compact)
            .map(CompanyInput::Uscc)
            .map_err(|e| InputError(e.to_string()));
    }
    Name::parse(value).map(CompanyInput::Name)
}

/// A finding being built: the message is written last, from everything known.
struct Draft<'a> {
    field: Field,
    input: &'a str,
    result: Outcome,
    reason: Reason,
    statement: Option<StatementRef>,
    official: Option<String>,
    detail: Option<&'a LangText>,
    /// How the subject is named in the message, when not as input (a signatory's registered
    /// name rather than the folded input).
    shown: Option<String>,
}

impl<'a> Draft<'a> {
    fn new(field: Field, input: &'a str, result: Outcome, reason: Reason) -> Self {
        Self {
            field,
            input,
            result,
            reason,
            statement: None,
            official: None,
            detail: None,
            shown: None,
        }
    }

    /// Names the subject in the message this way.
    fn shown(mut self, shown: String) -> Self {
        self.shown = Some(shown);
        self
    }

    /// The statement relied on.
    fn cite(mut self, statement: Option<StatementRef>) -> Self {
        self.statement = statement;
        self
    }

    /// The official value to use instead.
    fn official(mut self, official: Option<String>) -> Self {
        self.official = official;
        self
    }

    /// A warning's own description, quoted in the message.
    fn detail(mut self, detail: Option<&'a LangText>) -> Self {
        self.detail = detail;
        self
    }

    fn done(self) -> Finding {
        let message = messages::message(
            self.field,
            self.reason,
            self.shown.as_deref().unwrap_or(self.input),
            self.official.as_deref(),
            self.detail,
        );
        Finding {
            field: self.field,
            input: self.input.to_owned(),
            result: self.result,
            reason: self.reason,
            statement: self.statement,
            official: self.official,
            message,
        }
    }
}

/// The context of one check: the organisation, the time, the action.
struct Ctx<'a> {
    registry: &'a Registry,
    tables: &'a OrgTables,
    at: Timestamp,
    action: Token,
    org_entry: Arc<Entry>,
    /// The signing policy in force that covers the action exhaustively, if any.
    signing_policy: Option<Arc<Entry>>,
}

impl Ctx<'_> {
    fn entry(&self, hit: &Hit) -> Option<&Arc<Entry>> {
        self.registry.entry(u64::from(hit.position))
    }

    fn status(&self, hit: &Hit) -> Status {
        self.entry(hit)
            .map_or(Status::Revoked, |e| self.registry.status(e, self.at))
    }

    /// The hits in force at the time asked.
    fn active<'h>(&'h self, hits: &'h [Hit]) -> impl Iterator<Item = &'h Hit> + 'h {
        hits.iter().filter(|h| self.status(h) == Status::Active)
    }

    fn reference(&self, hit: &Hit) -> Option<StatementRef> {
        self.entry(hit).map(|e| StatementRef::to(e))
    }

    /// The channel policy in force that declares `kind` exhaustive, if any.
    fn exhaustive_channels(&self, kind: ChannelKind) -> Option<Arc<Entry>> {
        self.tables.policies.iter().find_map(|&p| {
            let e = self.registry.entry(u64::from(p))?;
            match &e.statement.body {
                StatementBody::ChannelPolicy(b)
                    if b.exhaustive
                        && b.kinds.contains(&kind)
                        && self.registry.status(e, self.at) == Status::Active =>
                {
                    Some(Arc::clone(e))
                }
                _ => None,
            }
        })
    }

    /// The first official channel of `kind` in force, as a value to use instead.
    fn official_channel(&self, kind: ChannelKind) -> Option<String> {
        self.tables.channels.get(&kind)?.iter().find_map(|&p| {
            let e = self.registry.entry(u64::from(p))?;
            match &e.statement.body {
                StatementBody::OfficialChannel(b)
                    if self.registry.status(e, self.at) == Status::Active =>
                {
                    Some(b.value.as_str().to_owned())
                }
                _ => None,
            }
        })
    }

    /// A finding from the first warning in force among `hits`.
    fn warning(
        &self,
        field: Field,
        input: &str,
        hits: &[Hit],
        kind: ChannelKind,
    ) -> Option<Finding> {
        let hit = self.active(of(hits, Source::Warning)).next()?;
        let entry = self.entry(hit)?;
        let StatementBody::Warning(w) = &entry.statement.body else {
            return None;
        };
        Some(
            Draft::new(field, input, Outcome::FraudRisk, Reason::Warning)
                .cite(Some(StatementRef::to(entry)))
                .official(self.official_channel(kind))
                .detail(Some(&w.description))
                .done(),
        )
    }

    /// What a value that is on no record gets: `not_authorised` under an exhaustive channel
    /// policy for its kind, `unknown` otherwise.
    fn unlisted(&self, field: Field, input: &str, kind: ChannelKind) -> Finding {
        match self.exhaustive_channels(kind) {
            Some(policy) => Draft::new(field, input, Outcome::NotAuthorised, Reason::NotListed)
                .cite(Some(StatementRef::to(&policy)))
                .official(self.official_channel(kind))
                .done(),
            None => Draft::new(field, input, Outcome::Unknown, Reason::NoRecord)
                .official(self.official_channel(kind))
                .done(),
        }
    }
}

/// Checks a contact against the register at `now` (or at the request's `as_of`).
pub fn check_contact(
    registry: &Registry,
    index: &Index,
    query: &ContactQuery,
    now: Timestamp,
) -> Result<Findings, CheckError> {
    let slug = OrgSlug::parse(&query.org).map_err(|_| CheckError::UnknownOrg(query.org.clone()))?;
    if query
        .as_of
        .is_some_and(|t| t > now.saturating_add(crate::registry::MAX_CLOCK_SKEW))
    {
        return Err(CheckError::FutureAsOf);
    }
    let at = query.as_of.unwrap_or(now);
    let (org_entry, org_body) = registry
        .org(&slug, at)
        .ok_or_else(|| CheckError::UnknownOrg(query.org.clone()))?;
    let region = super::default_region(org_body);
    let parsed = Parsed {
        name: field(Field::Name, query.name.as_ref(), Name::parse)?,
        phone: field(Field::Phone, query.phone.as_ref(), |v| {
            Phone::parse(v, region)
        })?,
        email: field(Field::Email, query.email.as_ref(), Email::parse)?,
        website: field(Field::Website, query.website.as_ref(), Host::parse)?,
        bank_account: field(
            Field::BankAccount,
            query.bank_account.as_ref(),
            BankAccount::parse,
        )?,
        company: field(Field::Company, query.company.as_ref(), company)?,
    };
    if parsed.name.is_none()
        && parsed.phone.is_none()
        && parsed.email.is_none()
        && parsed.website.is_none()
        && parsed.bank_account.is_none()
        && parsed.company.is_none()
    {
        return Err(CheckError::NoIdentifier);
    }
    let action = Token::parse(query.action.as_deref().unwrap_or(DEFAULT_ACTION))
        .map_err(|e| CheckError::Action(e.to_string()))?;
    static EMPTY: std::sync::OnceLock<OrgTables> = std::sync::OnceLock::new();
    let tables = index
        .tables(slug.as_str())
        .unwrap_or_else(|| EMPTY.get_or_init(OrgTables::default));
    let mut ctx = Ctx {
        registry,
        tables,
        at,
        action,
        org_entry,
        signing_policy: None,
    };
    ctx.signing_policy = tables.policies.iter().find_map(|&p| {
        let e = registry.entry(u64::from(p))?;
        match &e.statement.body {
            StatementBody::SigningPolicy(b)
                if b.exhaustive
                    && b.actions.contains(&ctx.action)
                    && registry.status(e, at) == Status::Active =>
            {
                Some(Arc::clone(e))
            }
            _ => None,
        }
    });

    let mut findings = Vec::new();
    let mut signatory: Option<Arc<Entry>> = None;
    if let Some(name) = &parsed.name {
        let (finding, matched) = check_name(&ctx, name);
        findings.push(finding);
        signatory = matched;
    }
    if let Some(phone) = &parsed.phone {
        findings.push(check_phone(&ctx, phone, signatory.as_deref()));
    }
    if let Some(email) = &parsed.email {
        findings.push(check_email(&ctx, email, signatory.as_deref()));
    }
    if let Some(host) = &parsed.website {
        findings.push(check_website(&ctx, host));
    }
    if let Some(account) = &parsed.bank_account {
        findings.push(check_bank(&ctx, account));
    }
    if let Some(company) = &parsed.company {
        findings.push(check_company(&ctx, company));
    }
    Ok(Findings::new(findings))
}

fn display_name(entry: &Entry, han: bool) -> String {
    match &entry.statement.body {
        StatementBody::Signatory(s) => s
            .person
            .names
            .best(if han { "zh" } else { "en" })
            .to_owned(),
        StatementBody::Warning(w) => w.value.as_str().to_owned(),
        _ => String::new(),
    }
}

/// The name's finding, and the signatory in force it names (for the impersonation rule).
fn check_name(ctx: &Ctx<'_>, name: &Name) -> (Finding, Option<Arc<Entry>>) {
    let input = name.display();
    let keys = name.keys();
    let warning = keys
        .iter()
        .flat_map(|k| ctx.active(ctx.tables.person_names.from(k, Source::Warning)))
        .find_map(|h| ctx.entry(h));
    if let Some(entry) = warning
        && let StatementBody::Warning(w) = &entry.statement.body
    {
        return (
            Draft::new(Field::Name, &input, Outcome::FraudRisk, Reason::Warning)
                .cite(Some(StatementRef::to(entry)))
                .detail(Some(&w.description))
                .done(),
            None,
        );
    }
    let mut signatories: Vec<&Hit> = keys
        .iter()
        .flat_map(|k| ctx.tables.person_names.from(k, Source::Signatory))
        .collect();
    signatories.sort_by_key(|h| h.position);
    signatories.dedup();
    let active: Vec<&Arc<Entry>> = signatories
        .iter()
        .filter(|h| ctx.status(h) == Status::Active)
        .filter_map(|h| ctx.entry(h))
        .collect();
    let may_act = |e: &Entry| match &e.statement.body {
        StatementBody::Signatory(s) => s.actions.contains(&ctx.action),
        _ => false,
    };
    if let Some(entry) = active.iter().find(|e| may_act(e)) {
        return (
            Draft::new(
                Field::Name,
                &input,
                Outcome::Verified,
                Reason::AuthorisedSignatory,
            )
            .cite(Some(StatementRef::to(entry)))
            .shown(display_name(entry, name.is_han()))
            .done(),
            Some(Arc::clone(entry)),
        );
    }
    if let Some(entry) = active.first() {
        let result = if ctx.signing_policy.is_some() {
            Outcome::NotAuthorised
        } else {
            Outcome::Unknown
        };
        return (
            Draft::new(Field::Name, &input, result, Reason::NotForAction)
                .cite(Some(StatementRef::to(entry)))
                .shown(display_name(entry, name.is_han()))
                .done(),
            Some(Arc::clone(entry)),
        );
    }
    // Listed once, but no longer: the organisation said so, whatever its policy.
    if let Some(hit) = signatories.iter().find(|h| {
        matches!(
            ctx.status(h),
            Status::Revoked | Status::Expired | Status::Superseded
        )
    }) {
        return (
            Draft::new(
                Field::Name,
                &input,
                Outcome::NotAuthorised,
                Reason::NoLongerAuthorised,
            )
            .cite(ctx.reference(hit))
            .shown(
                ctx.entry(hit)
                    .map(|e| display_name(e, name.is_han()))
                    .unwrap_or_else(|| input.clone()),
            )
            .done(),
            None,
        );
    }
    // A name that only looks like a signatory's (Cyrillic letters in a Latin name).
    let lookalike = ctx
        .active(
            ctx.tables
                .person_skeletons
                .from(&name.skeleton_key(), Source::Signatory),
        )
        .next()
        .and_then(|h| ctx.entry(h));
    if let Some(entry) = lookalike {
        return (
            Draft::new(Field::Name, &input, Outcome::FraudRisk, Reason::Lookalike)
                .cite(Some(StatementRef::to(entry)))
                .official(Some(display_name(entry, name.is_han())))
                .done(),
            None,
        );
    }
    let finding = match &ctx.signing_policy {
        Some(policy) => Draft::new(
            Field::Name,
            &input,
            Outcome::NotAuthorised,
            Reason::NotListed,
        )
        .cite(Some(StatementRef::to(policy)))
        .done(),
        None => Draft::new(Field::Name, &input, Outcome::Unknown, Reason::NoRecord).done(),
    };
    (finding, None)
}

/// The phones or emails registered for a signatory, for the impersonation finding.
fn registered(entry: &Entry, field: Field) -> Vec<String> {
    match &entry.statement.body {
        StatementBody::Signatory(s) => match field {
            Field::Phone => s.phones.iter().map(|p| p.as_str().to_owned()).collect(),
            _ => s.emails.iter().map(|e| e.as_str().to_owned()).collect(),
        },
        _ => Vec::new(),
    }
}

/// A signatory's name was given with a contact that is neither theirs nor an official channel.
fn impersonation(
    ctx: &Ctx<'_>,
    field: Field,
    input: &str,
    hits: &[Hit],
    signatory: Option<&Entry>,
    kind: ChannelKind,
) -> Option<Finding> {
    let signatory = signatory?;
    let theirs = of(hits, Source::Signatory)
        .binary_search_by_key(&signatory.index, |h| u64::from(h.position))
        .is_ok()
        || ctx.active(of(hits, Source::Channel)).next().is_some();
    if theirs {
        return None;
    }
    let values = registered(signatory, field);
    let official = if values.is_empty() {
        ctx.official_channel(kind)
    } else {
        Some(values.join(", "))
    };
    Some(
        Draft::new(field, input, Outcome::FraudRisk, Reason::Impersonation)
            .cite(Some(StatementRef::to(signatory)))
            .official(official)
            .done(),
    )
}

/// An exact match with an official channel or a signatory's registered contact.
fn official_match(ctx: &Ctx<'_>, field: Field, input: &str, hits: &[Hit]) -> Option<Finding> {
    let hit = ctx
        .active(of(hits, Source::Channel))
        .next()
        .or_else(|| ctx.active(of(hits, Source::Signatory)).next())?;
    let reason = if hit.source == Source::Channel {
        Reason::OfficialChannel
    } else {
        Reason::SignatoryContact
    };
    Some(
        Draft::new(field, input, Outcome::Verified, reason)
            .cite(ctx.reference(hit))
            .done(),
    )
}

fn check_phone(ctx: &Ctx<'_>, phone: &Phone, signatory: Option<&Entry>) -> Finding {
    let input = phone.as_str();
    let hits = ctx.tables.phones.get(input);
    if let Some(f) = ctx.warning(Field::Phone, input, hits, ChannelKind::Phone) {
        return f;
    }
    if let Some(f) = impersonation(
        ctx,
        Field::Phone,
        input,
        hits,
        signatory,
        ChannelKind::Phone,
    ) {
        return f;
    }
    official_match(ctx, Field::Phone, input, hits)
        .unwrap_or_else(|| ctx.unlisted(Field::Phone, input, ChannelKind::Phone))
}

fn check_email(ctx: &Ctx<'_>, email: &Email, signatory: Option<&Entry>) -> Finding {
    let input = email.as_str();
    let hits = ctx.tables.emails.get(input);
    if let Some(f) = ctx.warning(Field::Email, input, hits, ChannelKind::Email) {
        return f;
    }
    if let Some(f) = impersonation(
        ctx,
        Field::Email,
        input,
        hits,
        signatory,
        ChannelKind::Email,
    ) {
        return f;
    }
    if let Some(f) = official_match(ctx, Field::Email, input, hits) {
        return f;
    }
    match classify_host(ctx, email.domain()) {
        HostClass::Warned(entry) => {
            let description = match &entry.statement.body {
                StatementBody::Warning(w) => Some(&w.description),
                _ => None,
            };
            Draft::new(Field::Email, input, Outcome::FraudRisk, Reason::Warning)
                .cite(Some(StatementRef::to(&entry)))
                .official(ctx.official_channel(ChannelKind::Email))
                .detail(description)
                .done()
        }
        HostClass::Lookalike { entry, official } => {
            Draft::new(Field::Email, input, Outcome::FraudRisk, Reason::Lookalike)
                .cite(Some(StatementRef::to(&entry)))
                .official(ctx.official_channel(ChannelKind::Email).or(Some(official)))
                .done()
        }
        HostClass::Official(_) | HostClass::Other => {
            ctx.unlisted(Field::Email, input, ChannelKind::Email)
        }
    }
}

enum HostClass {
    Official(Arc<Entry>),
    Warned(Arc<Entry>),
    Lookalike { entry: Arc<Entry>, official: String },
    Other,
}

/// Whether a host is official, warned about, a lookalike of an official one, or none of these.
fn classify_host(ctx: &Ctx<'_>, host: &Host) -> HostClass {
    // The host and each parent domain: a warning or an official domain covers its subdomains.
    let mut candidate = host.as_str();
    loop {
        let hits = ctx.tables.hosts.get(candidate);
        if let Some(e) = ctx
            .active(of(hits, Source::Warning))
            .next()
            .and_then(|h| ctx.entry(h))
        {
            return HostClass::Warned(Arc::clone(e));
        }
        if let Some(e) = ctx
            .active(of(hits, Source::Org))
            .chain(ctx.active(of(hits, Source::Channel)))
            .next()
            .and_then(|h| ctx.entry(h))
        {
            return HostClass::Official(Arc::clone(e));
        }
        match candidate.split_once('.') {
            Some((_, parent)) if parent.contains('.') => candidate = parent,
            _ => break,
        }
    }
    if let Some(e) = ctx
        .active(ctx.tables.host_skeletons.get(&host.skeleton()))
        .find_map(|h| ctx.entry(h))
    {
        let official = match &e.statement.body {
            StatementBody::OfficialChannel(c) => c.value.as_str().to_owned(),
            StatementBody::Org(o) => o
                .official_domains
                .iter()
                .filter_map(|d| Host::parse(d.as_str()).ok())
                .find(|d| d.skeleton() == host.skeleton())
                .map(|d| d.as_str().to_owned())
                .unwrap_or_default(),
            _ => String::new(),
        };
        return HostClass::Lookalike {
            entry: Arc::clone(e),
            official,
        };
    }
    let registrable = host.registrable();
    let their_brand = brand(registrable);
    for (official, hit) in &ctx.tables.official_registrable {
        if ctx.status(hit) != Status::Active {
            continue;
        }
        let our_brand = brand(official);
        if our_brand.chars().count() < 3 {
            continue;
        }
        let limit = if our_brand.chars().count() <= 5 { 1 } else { 2 };
        let near = their_brand == our_brand
            || strsim::levenshtein(their_brand, our_brand) <= limit
            || host
                .as_str()
                .split(['.', '-'])
                .any(|label| label.contains(our_brand))
            || host.userinfo().is_some_and(|u| u.contains(our_brand));
        if near && let Some(e) = ctx.entry(hit) {
            return HostClass::Lookalike {
                entry: Arc::clone(e),
                official: official.clone(),
            };
        }
    }
    HostClass::Other
}

fn check_website(ctx: &Ctx<'_>, host: &Host) -> Finding {
    let input = host.as_str();
    match classify_host(ctx, host) {
        HostClass::Warned(entry) => {
            let description = match &entry.statement.body {
                StatementBody::Warning(w) => Some(&w.description),
                _ => None,
            };
            Draft::new(Field::Website, input, Outcome::FraudRisk, Reason::Warning)
                .cite(Some(StatementRef::to(&entry)))
                .official(ctx.official_channel(ChannelKind::Website))
                .detail(description)
                .done()
        }
        HostClass::Official(entry) => {
            let reason = if matches!(entry.statement.body, StatementBody::Org(_)) {
                Reason::OfficialDomain
            } else {
                Reason::OfficialChannel
            };
            Draft::new(Field::Website, input, Outcome::Verified, reason)
                .cite(Some(StatementRef::to(&entry)))
                .done()
        }
        HostClass::Lookalike { entry, official } => {
            Draft::new(Field::Website, input, Outcome::FraudRisk, Reason::Lookalike)
                .cite(Some(StatementRef::to(&entry)))
                .official(Some(official))
                .done()
        }
        HostClass::Other => ctx.unlisted(Field::Website, input, ChannelKind::Website),
    }
}

fn check_bank(ctx: &Ctx<'_>, account: &BankAccount) -> Finding {
    let input = account.as_str();
    let hits = ctx.tables.banks.get(input);
    if let Some(f) = ctx.warning(Field::BankAccount, input, hits, ChannelKind::BankAccount) {
        return f;
    }
    official_match(ctx, Field::BankAccount, input, hits)
        .unwrap_or_else(|| ctx.unlisted(Field::BankAccount, input, ChannelKind::BankAccount))
}

fn check_company(ctx: &Ctx<'_>, company: &CompanyInput) -> Finding {
    let (input, keys, table) = match company {
        CompanyInput::Uscc(uscc) => (
            uscc.as_str().to_owned(),
            vec![uscc.as_str().to_owned()],
            &ctx.tables.usccs,
        ),
        CompanyInput::Name(name) => (name.display(), name.keys(), &ctx.tables.company_names),
    };
    let first = |source: Source| {
        keys.iter()
            .flat_map(|k| ctx.active(table.from(k, source)))
            .next()
    };
    if let Some(hit) = first(Source::Warning)
        && let Some(entry) = ctx.entry(hit)
    {
        let description = match &entry.statement.body {
            StatementBody::Warning(w) => Some(&w.description),
            _ => None,
        };
        return Draft::new(Field::Company, &input, Outcome::FraudRisk, Reason::Warning)
            .cite(Some(StatementRef::to(entry)))
            .official(official_company(ctx, None))
            .detail(description)
            .done();
    }
    if let Some(hit) = first(Source::Org) {
        return Draft::new(
            Field::Company,
            &input,
            Outcome::Verified,
            Reason::Organisation,
        )
        .cite(ctx.reference(hit))
        .done();
    }
    if let Some(hit) = first(Source::Signatory) {
        return Draft::new(
            Field::Company,
            &input,
            Outcome::Verified,
            Reason::SignatoryEntity,
        )
        .cite(ctx.reference(hit))
        .done();
    }
    if let CompanyInput::Name(name) = company
        && let Some((hit, official)) = company_lookalike(ctx, name)
    {
        return Draft::new(
            Field::Company,
            &input,
            Outcome::FraudRisk,
            Reason::Lookalike,
        )
        .cite(ctx.reference(&hit))
        .official(Some(official))
        .done();
    }
    Draft::new(Field::Company, &input, Outcome::Unknown, Reason::NoRecord)
        .official(official_company(ctx, None))
        .done()
}

/// The organisation's own name, in the script of `like` if given.
fn official_company(ctx: &Ctx<'_>, like: Option<&Name>) -> Option<String> {
    let StatementBody::Org(org) = &ctx.org_entry.statement.body else {
        return None;
    };
    let lang = if like.is_some_and(Name::is_han) {
        "zh"
    } else {
        "en"
    };
    Some(org.names.best(lang).to_owned())
}

/// A company name one word away from one on record (`IUCG Investment Management Co., Ltd.`
/// for `IUCG Investment Co., Ltd.`), or in Han script within two characters of one or
/// containing it; the closest one on record is named.
fn company_lookalike(ctx: &Ctx<'_>, name: &Name) -> Option<(Hit, String)> {
    let mut best: Option<(usize, Hit, bool)> = None;
    for (official, hit) in &ctx.tables.company_list {
        if ctx.status(hit) != Status::Active {
            continue;
        }
        let distance = match (name.han(), official.han()) {
            (Some(a), Some(b)) if name.is_han() && official.is_han() => {
                let d = strsim::levenshtein(a, b);
                let near = b.chars().count() >= 4 && (a.contains(b) || b.contains(a) || d <= 2);
                near.then_some(d)
            }
            _ if !name.latin().is_empty() && !official.latin().is_empty() => {
                let a: Vec<&str> = name.latin().iter().map(String::as_str).collect();
                let b: Vec<&str> = official.latin().iter().map(String::as_str).collect();
                let d = strsim::generic_levenshtein(&a, &b);
                let near = b.len() >= 2 && d <= 1 || name.skeleton_key() == official.skeleton_key();
                near.then_some(d)
            }
            _ => None,
        };
        if let Some(d) = distance
            && best.is_none_or(|(bd, _, _)| d < bd)
        {
            best = Some((d, *hit, name.is_han()));
        }
    }
    let (_, hit, han) = best?;
    let entry = ctx.entry(&hit)?;
    let lang = if han { "zh" } else { "en" };
    let display = match &entry.statement.body {
        StatementBody::Org(o) => o.names.best(lang),
        StatementBody::Signatory(s) => s.entity.names.best(lang),
        _ => return None,
    };
    Some((hit, display.to_owned()))
}
