//! The contact check: each identifier against signatories, official channels and warnings, then
//! the relation between a signatory's name and the contact details given with it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::index::{Hit, OrgTables, Source, brand, of};
use super::messages;
use super::normalise::{BankAccount, Email, Host, InputError, Name, Phone, skeleton};
use super::{CheckError, Field, Finding, Findings, Index, Outcome, Reason, StatementRef};
use crate::domain::{ChannelKind, LangText, OrgSlug, StatementBody, Timestamp, Token, Uscc};
use crate::registry::{Entry, Registry, Status};

/// The longest input accepted for one identifier, in characters.
pub const MAX_INPUT_CHARS: usize = 512;

/// The action checked when none is given.
pub const DEFAULT_ACTION: &str = "sign_investment_agreement";

/// A contact check request as it arrives (`POST /v1/checks/contact`). Its RFC 8785 form is what
/// the verdict's `subject_sha256` hashes; the fields are declared in sorted order so that its
/// plain serialisation is that form (see [`crate::crypto::canonicalize_sorted`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactQuery {
    /// The action the person claims to be allowed to perform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Check against the register as it stood at this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Timestamp>,
    /// A bank account number or IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<String>,
    /// A company name or USCC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// A department of the organisation the contact claims to be from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// An email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// A person's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The organisation's slug.
    pub org: String,
    /// A phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A project or tender of the group, by name or number (with `company`, the contractor
    /// claimed for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// A website or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
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
    department: Option<Name>,
    project: Option<Name>,
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
            excerpt: None,
            field: self.field,
            input: self.input.to_owned(),
            location: None,
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

    /// The hits in force at the time asked, newest first: the latest statement is the likeliest
    /// to be in force, so a search for the first one in force (a company name shared by many
    /// signatories, most of them since revoked) usually stops after a look at the newest.
    fn active<'h>(&'h self, hits: &'h [Hit]) -> impl Iterator<Item = &'h Hit> + 'h {
        hits.iter()
            .rev()
            .filter(|h| self.status(h) == Status::Active)
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

    /// The `entity` statement in force that says the group's list of companies is complete.
    fn exhaustive_entities(&self) -> Option<Arc<Entry>> {
        self.latest_complete(&self.tables.entities, |b| match b {
            StatementBody::Entity(b) => b.exhaustive,
            _ => false,
        })
    }

    /// The newest statement in force among `positions` whose body `complete` says is a complete
    /// list.
    fn latest_complete(
        &self,
        positions: &[u32],
        complete: impl Fn(&StatementBody) -> bool,
    ) -> Option<Arc<Entry>> {
        positions.iter().rev().find_map(|&p| {
            let e = self.registry.entry(u64::from(p))?;
            (complete(&e.statement.body) && self.registry.status(e, self.at) == Status::Active)
                .then(|| Arc::clone(e))
        })
    }

    /// The `staff` statement in force that says the directory is complete.
    fn exhaustive_staff(&self) -> Option<Arc<Entry>> {
        self.latest_complete(&self.tables.staff, |b| match b {
            StatementBody::Staff(b) => b.exhaustive,
            _ => false,
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
        name: field(Field::Name, query.name.as_ref(), Name::parse_person)?,
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
        department: field(Field::Department, query.department.as_ref(), Name::parse)?,
        project: field(Field::Project, query.project.as_ref(), Name::parse)?,
    };
    if parsed.name.is_none()
        && parsed.phone.is_none()
        && parsed.email.is_none()
        && parsed.website.is_none()
        && parsed.bank_account.is_none()
        && parsed.company.is_none()
        && parsed.department.is_none()
        && parsed.project.is_none()
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
    let mut named: Vec<Arc<Entry>> = Vec::new();
    if let Some(name) = &parsed.name {
        let (finding, matched) = check_name(&ctx, name);
        findings.push(finding);
        named = matched;
    }
    if let Some(phone) = &parsed.phone {
        findings.push(check_phone(&ctx, phone, &named));
    }
    if let Some(email) = &parsed.email {
        findings.push(check_email(&ctx, email, &named));
    }
    if let Some(host) = &parsed.website {
        findings.push(check_website(&ctx, host));
    }
    if let Some(account) = &parsed.bank_account {
        findings.push(check_bank(&ctx, account));
    }
    let project = parsed
        .project
        .as_ref()
        .map(|p| check_project(&ctx, p, query.project.as_deref().unwrap_or_default()));
    if let Some(company) = &parsed.company {
        let finding = check_company(&ctx, company);
        // With a project, the company is the contractor claimed for it.
        let finding = match &project {
            Some((_, Some(entry))) if finding.result != Outcome::FraudRisk => {
                contractor(entry, company, finding)
            }
            _ => finding,
        };
        findings.push(finding);
    }
    if let Some(department) = &parsed.department {
        findings.push(check_department(&ctx, department));
    }
    if let Some((finding, _)) = project {
        findings.push(finding);
    }
    Ok(Findings::new(findings))
}

/// A warning's own description, to quote in the finding.
fn warning_description(entry: &Entry) -> Option<&LangText> {
    match &entry.statement.body {
        StatementBody::Warning(w) => Some(&w.description),
        _ => None,
    }
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

/// The most signatories in force one name may resolve to for the impersonation rule (people
/// sharing a name); more are not looked at.
const MAX_NAMESAKES: usize = 16;

/// The signatory positions a name's keys find, in log order. A name written in two scripts
/// (`Wang Jianguo (王建国)`) must find the same signatory in both, so each script part is
/// looked up on its own and the results intersected.
fn name_hits(ctx: &Ctx<'_>, name: &Name, source: Source) -> Vec<Hit> {
    let lookup = |keys: Vec<String>| {
        let mut hits: Vec<Hit> = keys
            .iter()
            .flat_map(|k| ctx.tables.person_names.from(k, source).iter().copied())
            .collect();
        hits.sort_by_key(|h| h.position);
        hits.dedup();
        hits
    };
    match (name.latin_variants(), name.han()) {
        (latin, Some(han)) if !latin.is_empty() => {
            let han_hits = lookup(vec![han.to_owned()]);
            lookup(latin)
                .into_iter()
                .filter(|h| {
                    han_hits
                        .binary_search_by_key(&h.position, |x| x.position)
                        .is_ok()
                })
                .collect()
        }
        _ => lookup(name.variants()),
    }
}

/// The name's finding, and the signatories in force it names (for the impersonation rule).
fn check_name(ctx: &Ctx<'_>, name: &Name) -> (Finding, Vec<Arc<Entry>>) {
    let input = name.display();
    // A warning about any part of the name, or about a name it merely looks like, wins.
    let warned = name
        .variants()
        .iter()
        .flat_map(|k| ctx.active(ctx.tables.person_names.from(k, Source::Warning)))
        .copied()
        .chain(name.variants().iter().flat_map(|k| {
            let k = skeleton(k);
            ctx.active(ctx.tables.person_skeletons.from(&k, Source::Warning))
                .chain(ctx.active(ctx.tables.person_names.from(&k, Source::Warning)))
                .copied()
                .collect::<Vec<_>>()
        }))
        .find_map(|h| ctx.entry(&h));
    if let Some(entry) = warned
        && let StatementBody::Warning(w) = &entry.statement.body
    {
        return (
            Draft::new(Field::Name, &input, Outcome::FraudRisk, Reason::Warning)
                .cite(Some(StatementRef::to(entry)))
                .detail(Some(&w.description))
                .done(),
            Vec::new(),
        );
    }
    let signatories = name_hits(ctx, name, Source::Signatory);
    let active: Vec<Arc<Entry>> = signatories
        .iter()
        .filter(|h| ctx.status(h) == Status::Active)
        .filter_map(|h| ctx.entry(h))
        .take(MAX_NAMESAKES)
        .cloned()
        .collect();
    let may_act = |e: &Entry| match &e.statement.body {
        StatementBody::Signatory(s) => s.actions.contains(&ctx.action),
        _ => false,
    };
    if let Some(entry) = active.iter().find(|e| may_act(e)) {
        let finding = Draft::new(
            Field::Name,
            &input,
            Outcome::Verified,
            Reason::AuthorisedSignatory,
        )
        .cite(Some(StatementRef::to(entry)))
        .shown(display_name(entry, name.is_han()))
        .done();
        return (finding, active);
    }
    if let Some(entry) = active.first() {
        let result = if ctx.signing_policy.is_some() {
            Outcome::NotAuthorised
        } else {
            Outcome::Unknown
        };
        let finding = Draft::new(Field::Name, &input, result, Reason::NotForAction)
            .cite(Some(StatementRef::to(entry)))
            .shown(display_name(entry, name.is_han()))
            .done();
        return (finding, active);
    }
    // Listed once, but no longer: the organisation said so, whatever its policy.
    if let Some(hit) = signatories.iter().rev().find(|h| {
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
            Vec::new(),
        );
    }
    // A name that only looks like a signatory's (Cyrillic letters, `0` for `o`).
    let lookalike = name
        .variants()
        .iter()
        .flat_map(|k| {
            let k = skeleton(k);
            ctx.active(ctx.tables.person_skeletons.from(&k, Source::Signatory))
                .chain(ctx.active(ctx.tables.person_names.from(&k, Source::Signatory)))
                .copied()
                .collect::<Vec<_>>()
        })
        .find_map(|h| ctx.entry(&h));
    if let Some(entry) = lookalike {
        return (
            Draft::new(Field::Name, &input, Outcome::FraudRisk, Reason::Lookalike)
                .cite(Some(StatementRef::to(entry)))
                .official(Some(display_name(entry, name.is_han())))
                .done(),
            Vec::new(),
        );
    }
    // An employee, but no signatory: not the same as someone the organisation never employed.
    let result = if ctx.signing_policy.is_some() {
        Outcome::NotAuthorised
    } else {
        Outcome::Unknown
    };
    if let Some(entry) = name_hits(ctx, name, Source::Staff)
        .iter()
        .rev()
        .filter(|h| ctx.status(h) == Status::Active)
        .find_map(|h| ctx.entry(h))
    {
        let finding = Draft::new(Field::Name, &input, result, Reason::EmployeeNotSignatory)
            .cite(Some(StatementRef::to(entry)))
            .done();
        return (finding, Vec::new());
    }
    if let Some(directory) = ctx.exhaustive_staff() {
        let finding = Draft::new(
            Field::Name,
            &input,
            Outcome::NotAuthorised,
            Reason::NotEmployee,
        )
        .cite(Some(StatementRef::to(&directory)))
        .done();
        return (finding, Vec::new());
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
    (finding, Vec::new())
}

/// A project or tender, by name or number: on the register (named), not on a complete one, or
/// no record. The entry of the project found comes back for the contractor rule.
fn check_project(ctx: &Ctx<'_>, name: &Name, raw: &str) -> (Finding, Option<Arc<Entry>>) {
    let input = name.display();
    let code = super::index::project_code(raw);
    let found = name
        .keys()
        .iter()
        .chain(std::iter::once(&code))
        .flat_map(|k| ctx.active(ctx.tables.project_names.from(k, Source::Project)))
        .find_map(|h| ctx.entry(h))
        .cloned();
    if let Some(entry) = found {
        let StatementBody::Project(p) = &entry.statement.body else {
            return (
                Draft::new(Field::Project, &input, Outcome::Unknown, Reason::NoRecord).done(),
                None,
            );
        };
        let finding = Draft::new(Field::Project, &input, Outcome::Verified, Reason::Project)
            .cite(Some(StatementRef::to(&entry)))
            .official(p.platform.as_ref().map(|u| u.as_str().to_owned()))
            .detail(Some(&p.names))
            .done();
        return (finding, Some(entry));
    }
    let complete = ctx.latest_complete(&ctx.tables.projects, |b| match b {
        StatementBody::Project(b) => b.exhaustive,
        _ => false,
    });
    let finding = match complete {
        Some(register) => Draft::new(
            Field::Project,
            &input,
            Outcome::NotAuthorised,
            Reason::NotListed,
        )
        .cite(Some(StatementRef::to(&register)))
        .done(),
        None => Draft::new(Field::Project, &input, Outcome::Unknown, Reason::NoRecord).done(),
    };
    (finding, None)
}

/// The company finding for a company claimed as the contractor of a registered project: awarded
/// on it (verified), or not (not authorised for it), whatever it is to the group.
fn contractor(project: &Entry, company: &CompanyInput, group: Finding) -> Finding {
    let StatementBody::Project(p) = &project.statement.body else {
        return group;
    };
    let awarded = p.contractors.iter().find(|c| match company {
        CompanyInput::Uscc(uscc) => c.uscc.as_ref() == Some(uscc),
        CompanyInput::Name(name) => {
            let keys = name.keys();
            c.names.iter().any(|(_, n)| {
                Name::parse(n.as_str()).is_ok_and(|n| n.keys().iter().any(|k| keys.contains(k)))
            })
        }
    });
    let input = group.input;
    match awarded {
        Some(c) => Draft::new(
            Field::Company,
            &input,
            Outcome::Verified,
            Reason::AwardedContractor,
        )
        .cite(Some(StatementRef::to(project)))
        .detail(Some(&c.names))
        .done(),
        None => Draft::new(
            Field::Company,
            &input,
            Outcome::NotAuthorised,
            Reason::NotAwarded,
        )
        .cite(Some(StatementRef::to(project)))
        .official(
            p.contractors
                .first()
                .map(|c| c.names.best("zh").to_owned())
                .filter(|_| p.contractors.len() == 1),
        )
        .detail(Some(&p.names))
        .done(),
    }
}

/// A department of the organisation: in its directory, not in a complete one, or no record.
fn check_department(ctx: &Ctx<'_>, name: &Name) -> Finding {
    let input = name.display();
    if let Some(hit) = name
        .keys()
        .iter()
        .flat_map(|k| ctx.active(ctx.tables.departments.from(k, Source::Staff)))
        .next()
    {
        return Draft::new(
            Field::Department,
            &input,
            Outcome::Verified,
            Reason::Department,
        )
        .cite(ctx.reference(hit))
        .done();
    }
    match ctx.exhaustive_staff() {
        Some(directory) => Draft::new(
            Field::Department,
            &input,
            Outcome::NotAuthorised,
            Reason::NoSuchDepartment,
        )
        .cite(Some(StatementRef::to(&directory)))
        .done(),
        None => Draft::new(
            Field::Department,
            &input,
            Outcome::Unknown,
            Reason::NoRecord,
        )
        .done(),
    }
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

/// A signatory's name was given with a contact that is neither registered for any signatory in
/// force of that name nor an official channel.
fn impersonation(
    ctx: &Ctx<'_>,
    field: Field,
    input: &str,
    hits: &[Hit],
    named: &[Arc<Entry>],
    kind: ChannelKind,
) -> Option<Finding> {
    let first = named.first()?;
    let registered_to = of(hits, Source::Signatory);
    let theirs = named.iter().any(|s| {
        registered_to
            .binary_search_by_key(&s.index, |h| u64::from(h.position))
            .is_ok()
    }) || ctx.active(of(hits, Source::Channel)).next().is_some();
    if theirs {
        return None;
    }
    let values = registered(first, field);
    let official = if values.is_empty() {
        ctx.official_channel(kind)
    } else {
        Some(values.join(", "))
    };
    Some(
        Draft::new(field, input, Outcome::FraudRisk, Reason::Impersonation)
            .cite(Some(StatementRef::to(first)))
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

fn check_phone(ctx: &Ctx<'_>, phone: &Phone, named: &[Arc<Entry>]) -> Finding {
    let input = phone.as_str();
    let hits = ctx.tables.phones.get(input);
    if let Some(f) = ctx.warning(Field::Phone, input, hits, ChannelKind::Phone) {
        return f;
    }
    if let Some(f) = impersonation(ctx, Field::Phone, input, hits, named, ChannelKind::Phone) {
        return f;
    }
    official_match(ctx, Field::Phone, input, hits)
        .unwrap_or_else(|| ctx.unlisted(Field::Phone, input, ChannelKind::Phone))
}

fn check_email(ctx: &Ctx<'_>, email: &Email, named: &[Arc<Entry>]) -> Finding {
    let input = email.as_str();
    let hits = ctx.tables.emails.get(input);
    if let Some(f) = ctx.warning(Field::Email, input, hits, ChannelKind::Email) {
        return f;
    }
    if let Some(f) = impersonation(ctx, Field::Email, input, hits, named, ChannelKind::Email) {
        return f;
    }
    if let Some(f) = official_match(ctx, Field::Email, input, hits) {
        return f;
    }
    match classify_host(ctx, email.domain()) {
        HostClass::Warned(entry) => {
            let description = warning_description(&entry);
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
        HostClass::Official(_) | HostClass::Other => staff_address(ctx, email, hits)
            .unwrap_or_else(|| ctx.unlisted(Field::Email, input, ChannelKind::Email)),
    }
}

/// An address under a staff email pattern's domain: an employee's (not a channel, and no
/// authority: unknown), or, under a complete directory, no employee's (not authorised).
fn staff_address(ctx: &Ctx<'_>, email: &Email, hits: &[Hit]) -> Option<Finding> {
    let input = email.as_str();
    let directories = ctx.tables.staff_domains.get(email.domain().as_str())?;
    let in_force = |p: &u32| {
        ctx.registry
            .entry(u64::from(*p))
            .filter(|e| ctx.registry.status(e, ctx.at) == Status::Active)
    };
    // A pattern counts only while its directory is in force.
    directories.iter().rev().find_map(in_force)?;
    if let Some(hit) = ctx.active(of(hits, Source::Staff)).next() {
        return Some(
            Draft::new(
                Field::Email,
                input,
                Outcome::Unknown,
                Reason::EmployeeNotSignatory,
            )
            .cite(ctx.reference(hit))
            .official(ctx.official_channel(ChannelKind::Email))
            .done(),
        );
    }
    let directory = ctx.exhaustive_staff()?;
    Some(
        Draft::new(
            Field::Email,
            input,
            Outcome::NotAuthorised,
            Reason::NotEmployee,
        )
        .cite(Some(StatementRef::to(&directory)))
        .official(ctx.official_channel(ChannelKind::Email))
        .done(),
    )
}

enum HostClass {
    Official(Arc<Entry>),
    Warned(Arc<Entry>),
    Lookalike { entry: Arc<Entry>, official: String },
    Other,
}

/// Whether hits make a host (or page) warned about or official.
fn classify_hits(ctx: &Ctx<'_>, hits: &[Hit]) -> Option<HostClass> {
    if let Some(e) = ctx
        .active(of(hits, Source::Warning))
        .next()
        .and_then(|h| ctx.entry(h))
    {
        return Some(HostClass::Warned(Arc::clone(e)));
    }
    ctx.active(of(hits, Source::Org))
        .chain(ctx.active(of(hits, Source::Channel)))
        .next()
        .and_then(|h| ctx.entry(h))
        .map(|e| HostClass::Official(Arc::clone(e)))
}

/// The host and each parent domain with at least two labels, most specific first.
fn and_parents(host: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(host), |h| {
        h.split_once('.')
            .map(|(_, parent)| parent)
            .filter(|p| p.contains('.'))
    })
}

/// Whether a host is official, warned about, a lookalike of an official one, or none of these.
fn classify_host(ctx: &Ctx<'_>, host: &Host) -> HostClass {
    // A page on a shared platform is official or warned about on its own.
    if let Some(page) = host.page_key()
        && let Some(class) = classify_hits(ctx, ctx.tables.hosts.get(&page))
    {
        return class;
    }
    // The host and each parent domain: a warning or an official domain covers its subdomains.
    for candidate in and_parents(host.as_str()) {
        if let Some(class) = classify_hits(ctx, ctx.tables.hosts.get(candidate)) {
            return class;
        }
    }
    // Looks the same as an official host, or is under one that does (`www.іucg.example`).
    let host_skeleton = host.skeleton();
    for candidate in and_parents(&host_skeleton) {
        let hits = ctx.tables.host_skeletons.get(candidate);
        // The organisation's own statement of its domains first, then its channels.
        if let Some(e) = ctx
            .active(of(hits, Source::Org))
            .chain(ctx.active(of(hits, Source::Channel)))
            .find_map(|h| ctx.entry(h))
        {
            let official = match &e.statement.body {
                StatementBody::OfficialChannel(c) => Host::parse(c.value.as_str())
                    .map(|h| h.as_str().to_owned())
                    .unwrap_or_else(|_| c.value.as_str().to_owned()),
                StatementBody::Org(o) => o
                    .official_domains
                    .iter()
                    .filter_map(|d| Host::parse(d.as_str()).ok())
                    .find(|d| d.skeleton() == candidate)
                    .map(|d| d.as_str().to_owned())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            return HostClass::Lookalike {
                entry: Arc::clone(e),
                official,
            };
        }
    }
    let registrable = host.registrable();
    // Another host under a registrable domain of the organisation's is not a lookalike: the
    // organisation holds that domain. Whether the host is official is for the lists to say.
    if ctx.tables.official_registrable.contains_key(registrable) {
        return HostClass::Other;
    }
    // The near-miss rules compare skeletons, so that letters from another script cannot hide
    // a brand (`іucg-invest.com` with a Cyrillic `і`).
    let (unicode_registrable, _) = idna::domain_to_unicode(registrable);
    let their_brand = skeleton(brand(&unicode_registrable));
    let userinfo = host.userinfo().map(skeleton);
    for (official, domain) in &ctx.tables.official_registrable {
        let ours = domain.brand_skeleton.as_str();
        let length = ours.chars().count();
        if length < 3 {
            continue;
        }
        let limit = if length <= 5 { 1 } else { 2 };
        let near = their_brand == ours
            || strsim::levenshtein(&their_brand, ours) <= limit
            || host_skeleton.contains(ours)
            || userinfo.as_deref().is_some_and(|u| u.contains(ours));
        if !near {
            continue;
        }
        if let Some(e) = ctx.active(&domain.hits).find_map(|h| ctx.entry(h)) {
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
            let description = warning_description(&entry);
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
    // A name in two scripts must match in both: the genuine Chinese name must not carry a
    // changed English one.
    let (input, parts, table) = match company {
        CompanyInput::Uscc(uscc) => (
            uscc.as_str().to_owned(),
            vec![vec![uscc.as_str().to_owned()]],
            &ctx.tables.usccs,
        ),
        CompanyInput::Name(name) => {
            let parts = match name.han() {
                Some(han) if !name.latin().is_empty() => {
                    vec![name.latin_variants(), vec![han.to_owned()]]
                }
                _ => vec![name.variants()],
            };
            (name.display(), parts, &ctx.tables.company_names)
        }
    };
    let first = |keys: &[String], sources: &[Source]| {
        sources.iter().find_map(|&source| {
            keys.iter()
                .flat_map(|k| ctx.active(table.from(k, source)))
                .next()
        })
    };
    let warned = parts
        .iter()
        .find_map(|keys| first(keys, &[Source::Warning]))
        .and_then(|h| ctx.entry(h));
    if let Some(entry) = warned {
        let description = warning_description(entry);
        return Draft::new(Field::Company, &input, Outcome::FraudRisk, Reason::Warning)
            .cite(Some(StatementRef::to(entry)))
            .official(official_company(ctx, None))
            .detail(description)
            .done();
    }
    let matched: Option<Vec<&Hit>> = parts
        .iter()
        .map(|keys| first(keys, &[Source::Org, Source::Signatory, Source::Entity]))
        .collect();
    if let Some(hit) = matched.as_ref().and_then(|hits| hits.first()) {
        let draft = match hit.source {
            Source::Org => Draft::new(
                Field::Company,
                &input,
                Outcome::Verified,
                Reason::Organisation,
            ),
            Source::Entity => {
                let names = ctx.entry(hit).and_then(|e| group_company(e, company));
                Draft::new(
                    Field::Company,
                    &input,
                    Outcome::Verified,
                    Reason::GroupCompany,
                )
                .detail(names)
            }
            _ => Draft::new(
                Field::Company,
                &input,
                Outcome::Verified,
                Reason::SignatoryEntity,
            ),
        };
        return draft.cite(ctx.reference(hit)).done();
    }
    // A company controlled by a warned one ("and every company it controls"): after the
    // genuine names, so that a warning can never take the organisation's own companies along.
    if let CompanyInput::Name(name) = company
        && let Some(entry) = ctx
            .tables
            .controlled_warnings
            .iter()
            .filter(|(warned, _)| controlled_by(name, warned, &ctx.tables.company_list))
            .find_map(|(_, hit)| ctx.active(std::slice::from_ref(hit)).next())
            .and_then(|h| ctx.entry(h))
    {
        return Draft::new(
            Field::Company,
            &input,
            Outcome::FraudRisk,
            Reason::ControlledByWarned,
        )
        .cite(Some(StatementRef::to(entry)))
        .official(official_company(ctx, None))
        .detail(warning_description(entry))
        .done();
    }
    let complete = ctx.exhaustive_entities();
    if let CompanyInput::Name(name) = company
        && let Some((hit, official, same)) = company_lookalike(ctx, name)
    {
        // Under a complete list of the group's companies, a name that carries the group's
        // words is a claim to be of the group that the list refutes: the finding cites the
        // list. It stays a fraud risk, as every imitation is (the worst finding decides, and
        // an invented subsidiary is how these frauds are dressed). A name that looks the same
        // as a genuine one letter for letter is cited as the imitation it is.
        if let Some(list) = complete.as_ref().filter(|_| !same) {
            return Draft::new(
                Field::Company,
                &input,
                Outcome::FraudRisk,
                Reason::NotGroupCompany,
            )
            .cite(Some(StatementRef::to(list)))
            .official(official_company(ctx, Some(name)))
            .done();
        }
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
    if let Some(list) = complete {
        return Draft::new(
            Field::Company,
            &input,
            Outcome::NotAuthorised,
            Reason::NotListed,
        )
        .cite(Some(StatementRef::to(&list)))
        .official(official_company(ctx, None))
        .done();
    }
    Draft::new(Field::Company, &input, Outcome::Unknown, Reason::NoRecord)
        .official(official_company(ctx, None))
        .done()
}

/// The names of the company of an `entity` statement that `input` matched.
fn group_company<'e>(entry: &'e Entry, input: &CompanyInput) -> Option<&'e LangText> {
    let StatementBody::Entity(body) = &entry.statement.body else {
        return None;
    };
    body.companies
        .iter()
        .find(|c| match input {
            CompanyInput::Uscc(uscc) => c.uscc.as_ref() == Some(uscc),
            CompanyInput::Name(name) => {
                let keys = name.keys();
                c.names.iter().any(|(_, n)| {
                    Name::parse(n.as_str()).is_ok_and(|n| n.keys().iter().any(|k| keys.contains(k)))
                })
            }
        })
        .map(|c| &c.names)
}

/// Whether `name` reads as a company controlled by `warned`: it carries the warned name's
/// distinctive part (`国联建投（深圳）投资有限公司` under `国联建投控股集团有限公司`) and is longer
/// than that part. When the distinctive part is also in a name on record (a fake
/// `国际联合建设集团控股有限公司` borrows the organisation's own words), only the warned name
/// without its legal form (`国际联合建设集团控股`) marks its companies.
fn controlled_by(name: &Name, warned: &Name, on_record: &[(Name, Vec<Hit>)]) -> bool {
    if let (Some(theirs), Some(ours)) = (name.han(), warned.han())
        && name.is_han()
    {
        let mut core = distinctive_han(ours);
        let borrowed = on_record
            .iter()
            .filter_map(|(n, _)| n.han())
            .any(|genuine| genuine.contains(&core));
        if borrowed {
            core = LEGAL_FORMS_HAN
                .iter()
                .fold(ours.to_owned(), |rest, form| rest.replace(form, ""));
        }
        return core.chars().count() >= 2
            && theirs.contains(&core)
            && theirs.chars().count() > core.chars().count()
            && theirs != ours;
    }
    if name.latin().is_empty() || warned.latin().is_empty() {
        return false;
    }
    let mut distinctive: Vec<&String> = warned
        .latin()
        .iter()
        .filter(|w| !GENERIC_WORDS.contains(&w.as_str()))
        .collect();
    let borrowed = on_record
        .iter()
        .any(|(n, _)| !distinctive.is_empty() && distinctive.iter().all(|d| n.latin().contains(d)));
    if borrowed {
        distinctive = warned
            .latin()
            .iter()
            .filter(|w| !LEGAL_FORMS_LATIN.contains(&w.as_str()))
            .collect();
    }
    !distinctive.is_empty()
        && distinctive.iter().all(|d| name.latin().contains(d))
        && name.latin().len() > distinctive.len()
        && name.latin() != warned.latin()
}

/// Legal forms of a Han company name, longest first.
const LEGAL_FORMS_HAN: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "公司"];

/// Legal forms of a Latin company name.
const LEGAL_FORMS_LATIN: &[&str] = &[
    "co",
    "company",
    "corp",
    "corporation",
    "inc",
    "incorporated",
    "limited",
    "llc",
    "ltd",
    "plc",
];

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

/// Words that say what kind of company it is, not which: ignored when deciding whether a name
/// imitates another.
const GENERIC_WORDS: &[&str] = &[
    "and",
    "co",
    "company",
    "corp",
    "corporation",
    "group",
    "holding",
    "holdings",
    "inc",
    "incorporated",
    "international",
    "investment",
    "investments",
    "limited",
    "llc",
    "ltd",
    "of",
    "plc",
    "the",
];

/// The same for Han names, longest first so that `有限公司` goes before `公司`.
const GENERIC_HAN: &[&str] = &[
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "公司",
    "集团",
    "投资",
    "控股",
    "股份",
];

fn distinctive_han(name: &str) -> String {
    GENERIC_HAN
        .iter()
        .fold(name.to_owned(), |rest, generic| rest.replace(generic, ""))
}

/// How far `name` is from `official` if it imitates it, in words (Latin) or characters (Han):
/// it carries the official name's distinctive part (`IUCG`, `国际联合建设`) but is not the
/// official name, or looks the same letter for letter. A name that only shortens the official
/// one (`IUCG`) does not imitate it.
fn imitation(name: &Name, official: &Name) -> Option<usize> {
    if let (Some(a), Some(b)) = (name.han(), official.han())
        && name.is_han()
        && official.is_han()
    {
        let ours = distinctive_han(b);
        let distance = strsim::levenshtein(a, b);
        let carries =
            ours.chars().count() >= 2 && a.contains(&ours) && a.chars().count() > b.chars().count();
        let close = b.chars().count() >= 6 && distance <= 2;
        return (a != b && (carries || close)).then_some(distance);
    }
    if name.latin().is_empty() || official.latin().is_empty() {
        return None;
    }
    let theirs: Vec<&str> = name.latin().iter().map(String::as_str).collect();
    let ours: Vec<&str> = official.latin().iter().map(String::as_str).collect();
    if theirs == ours {
        return None;
    }
    let distance = strsim::generic_levenshtein(&theirs, &ours);
    let skeletons = |words: &[&str]| -> Vec<String> { words.iter().map(|w| skeleton(w)).collect() };
    if skeletons(&theirs) == skeletons(&ours) {
        return Some(distance);
    }
    let distinctive: Vec<&str> = ours
        .iter()
        .copied()
        .filter(|w| !GENERIC_WORDS.contains(w))
        .collect();
    if distinctive.is_empty() {
        return None;
    }
    // Each distinctive word is there, or one letter off (`IUGC` for `IUCG`).
    let carries = distinctive.iter().all(|d| {
        theirs
            .iter()
            .any(|t| t == d || (d.chars().count() >= 4 && strsim::levenshtein(t, d) <= 1))
    });
    let adds_or_changes = theirs.iter().any(|t| !ours.contains(t));
    if carries && adds_or_changes {
        return Some(distance);
    }
    // In a name of three words or more, one distinctive word swapped for a word that starts
    // like it
    // (`International United Construction Group`).
    const LEGAL_FORMS: &[&str] = &["co", "ltd", "limited", "inc", "corp", "llc", "plc"];
    let core: Vec<&str> = ours
        .iter()
        .copied()
        .filter(|w| !LEGAL_FORMS.contains(w))
        .collect();
    let missing: Vec<&str> = core
        .iter()
        .copied()
        .filter(|d| !theirs.contains(d))
        .collect();
    let prefix = |w: &str| w.chars().take(3).collect::<String>();
    let swapped = core.len() >= 3
        && missing.len() == 1
        && missing.iter().all(|m| {
            distinctive.contains(m)
                && m.chars().count() >= 4
                && theirs
                    .iter()
                    .any(|t| !ours.contains(t) && t.chars().count() >= 4 && prefix(t) == prefix(m))
        });
    swapped.then_some(distance)
}

/// The closest company name on record that `name` imitates, with the statement naming it, its
/// name in the script of `name`, and whether `name` looks the same as it letter for letter.
fn company_lookalike(ctx: &Ctx<'_>, name: &Name) -> Option<(Hit, String, bool)> {
    let mut best: Option<(usize, Hit, &Name)> = None;
    for (official, hits) in &ctx.tables.company_list {
        let Some(distance) = imitation(name, official) else {
            continue;
        };
        if best.is_some_and(|(d, _, _)| d <= distance) {
            continue;
        }
        if let Some(hit) = ctx.active(hits).next() {
            best = Some((distance, *hit, official));
        }
    }
    let (_, hit, official) = best?;
    let entry = ctx.entry(&hit)?;
    let lang = if name.is_han() { "zh" } else { "en" };
    let display = match &entry.statement.body {
        StatementBody::Org(o) => o.names.best(lang),
        StatementBody::Signatory(s) => s.entity.names.best(lang),
        StatementBody::Entity(e) => e
            .companies
            .iter()
            .find(|c| {
                c.names
                    .iter()
                    .any(|(_, n)| Name::parse(n.as_str()).is_ok_and(|n| &n == official))
            })
            .map_or("", |c| c.names.best(lang)),
        _ => return None,
    };
    let same = skeleton(&name.display()) == skeleton(&official.display());
    Some((hit, display.to_owned(), same))
}
