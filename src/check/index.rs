//! The lookup tables a contact check reads: every identifier of every statement, normalised once
//! when the statement enters the register, so that matching an identifier is a hash lookup. The
//! near-miss rules also compare an input with each of the organisation's distinct registrable
//! domains and distinct company names (a few, even for a large group).
//!
//! The tables hold log positions only; whether a statement is in force is decided at check time,
//! for the time asked (`as_of`), by the register.

use std::collections::{BTreeMap, HashMap};

use smallvec::SmallVec;

use super::normalise::{BankAccount, Email, Host, Name, Phone, Region, skeleton};
use crate::domain::{ChannelKind, OrgBody, StatementBody, WarningKind};
use crate::registry::Entry;

/// Where an identifier was found. The order is the order of hits in a [`Table`]: warnings first,
/// so that the rule that a warning wins is a look at the front.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Source {
    /// A `warning` statement.
    Warning,
    /// The `org` statement (names, registration numbers, official domains).
    Org,
    /// An `official-channel` statement.
    Channel,
    /// A `signatory` statement (the person, their entity, their phones and emails).
    Signatory,
    /// An `entity` statement (the companies of the group).
    Entity,
    /// A `project` statement (the project's names and code).
    Project,
    /// A `staff` statement (employees, departments, their email addresses).
    Staff,
}

/// One place an identifier occurs: a log position and what kind of statement it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) position: u32,
    pub(crate) source: Source,
}

/// Identifiers of one kind, by normalised value. Each value's hits are ordered by source, then
/// by log position, so that the hits of one source are a slice found by binary search: a value
/// shared by a hundred thousand signatories (their entity's name) costs no more to check than
/// any other.
///
/// Most values have one hit, held inline; the hasher is foldhash, seeded per table, because
/// hashing is a visible share of a check's time.
#[derive(Debug, Default)]
pub(crate) struct Table(HashMap<Box<str>, SmallVec<[Hit; 1]>, foldhash::fast::RandomState>);

impl Table {
    fn add(&mut self, key: &str, hit: Hit) {
        let hits = self.0.entry(key.into()).or_default();
        // Statements arrive in log order, so a duplicate can only be the last of its source.
        let at = hits.partition_point(|h| (h.source, h.position) <= (hit.source, hit.position));
        if at == 0 || hits[at - 1] != hit {
            hits.insert(at, hit);
        }
    }

    /// The places `key` occurs.
    pub(crate) fn get(&self, key: &str) -> &[Hit] {
        self.0.get(key).map_or(&[], |hits| hits.as_slice())
    }

    /// The places `key` occurs in statements of `source`, in log order.
    pub(crate) fn from(&self, key: &str, source: Source) -> &[Hit] {
        of(self.get(key), source)
    }
}

/// The hits of one source within hits ordered as a [`Table`] keeps them.
pub(crate) fn of(hits: &[Hit], source: Source) -> &[Hit] {
    let start = hits.partition_point(|h| h.source < source);
    let end = hits.partition_point(|h| h.source <= source);
    hits.get(start..end).unwrap_or(&[])
}

/// One organisation's identifiers.
#[derive(Debug, Default)]
pub(crate) struct OrgTables {
    pub(crate) phones: Table,
    pub(crate) emails: Table,
    pub(crate) hosts: Table,
    pub(crate) host_skeletons: Table,
    pub(crate) banks: Table,
    pub(crate) person_names: Table,
    pub(crate) person_skeletons: Table,
    pub(crate) company_names: Table,
    pub(crate) usccs: Table,
    /// Every distinct company name on record (the organisation's and its signatories' entities),
    /// with every statement that names it, for the near-miss comparison that a hash lookup
    /// cannot do. Its length is the number of distinct names, not of statements.
    pub(crate) company_list: Vec<(Name, Vec<Hit>)>,
    company_seen: HashMap<Box<str>, usize>,
    /// Registrable domains of the organisation's own hosts, for the near-miss comparison, with
    /// every statement that made each official. Its length is the number of distinct
    /// registrable domains.
    pub(crate) official_registrable: BTreeMap<String, OfficialDomain>,
    /// `signing-policy` and `channel-policy` statements.
    pub(crate) policies: Vec<u32>,
    /// `official-channel` statements by kind, in log order.
    pub(crate) channels: BTreeMap<ChannelKind, Vec<u32>>,
    /// Project names and codes, by normalised key.
    pub(crate) project_names: Table,
    /// `project` statements, in log order (for the one in force that says the register is
    /// complete).
    pub(crate) projects: Vec<u32>,
    /// Department names, by normalised key.
    pub(crate) departments: Table,
    /// `staff` statements, in log order.
    pub(crate) staff: Vec<u32>,
    /// Domains of staff email patterns, with the statements that give them.
    pub(crate) staff_domains: BTreeMap<String, Vec<u32>>,
    /// `practice` statements, in log order.
    pub(crate) practices: Vec<u32>,
    /// `entity` statements, in log order (for the one in force that says the list is complete).
    pub(crate) entities: Vec<u32>,
    /// Company warnings that cover every company the warned one controls: the warned name and
    /// the warning's position.
    pub(crate) controlled_warnings: Vec<(Name, Hit)>,
}

/// A registrable domain of the organisation's, as the near-miss rules compare it.
#[derive(Debug)]
pub(crate) struct OfficialDomain {
    /// The confusable skeleton of its first label (`iucg` of `iucg.example`).
    pub(crate) brand_skeleton: String,
    /// The statements that made a host under it official, in log order.
    pub(crate) hits: Vec<Hit>,
}

/// The region whose phone formats an organisation's numbers are read in: China for an
/// organisation registered with a USCC, otherwise none (numbers must then be international).
pub fn default_region(org: &OrgBody) -> Option<Region> {
    (!org.registration_numbers.is_empty()).then_some(phonenumber::country::Id::CN)
}

/// Every organisation's tables.
#[derive(Debug, Default)]
pub struct Index {
    orgs: HashMap<String, OrgTables>,
    regions: HashMap<String, Option<Region>>,
}

impl Index {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn tables(&self, org: &str) -> Option<&OrgTables> {
        self.orgs.get(org)
    }

    /// Adds the identifiers of a statement just added to the register. New statements are
    /// refused when an identifier does not read ([`super::Checker::admit`]); a value that does
    /// not read in a statement accepted before that rule is left out of the index.
    pub fn insert(&mut self, entry: &Entry) {
        let org = entry.statement.common.org.as_str();
        let Ok(position) = u32::try_from(entry.index) else {
            return;
        };
        if let StatementBody::Org(body) = &entry.statement.body {
            self.regions.insert(org.to_owned(), default_region(body));
        }
        let region = self.regions.get(org).copied().flatten();
        let tables = self.orgs.entry(org.to_owned()).or_default();
        match &entry.statement.body {
            StatementBody::Org(body) => {
                let hit = Hit {
                    position,
                    source: Source::Org,
                };
                for (_, name) in body.names.iter() {
                    add_company(tables, name.as_str(), hit);
                }
                for uscc in &body.registration_numbers {
                    tables.usccs.add(uscc.as_str(), hit);
                }
                for domain in &body.official_domains {
                    if let Ok(host) = Host::parse(domain.as_str()) {
                        add_official_host(tables, &host, hit);
                    }
                }
            }
            StatementBody::Signatory(body) => {
                let hit = Hit {
                    position,
                    source: Source::Signatory,
                };
                let names = body
                    .person
                    .names
                    .iter()
                    .map(|(_, n)| n)
                    .chain(&body.person.aliases);
                for name in names {
                    add_person(tables, name.as_str(), hit);
                }
                for (_, name) in body.entity.names.iter() {
                    add_company(tables, name.as_str(), hit);
                }
                if let Some(uscc) = &body.entity.uscc {
                    tables.usccs.add(uscc.as_str(), hit);
                }
                for phone in &body.phones {
                    if let Ok(p) = Phone::parse(phone.as_str(), region) {
                        tables.phones.add(p.as_str(), hit);
                    }
                }
                for email in &body.emails {
                    if let Ok(e) = Email::parse(email.as_str()) {
                        tables.emails.add(e.as_str(), hit);
                    }
                }
            }
            StatementBody::OfficialChannel(body) => {
                let hit = Hit {
                    position,
                    source: Source::Channel,
                };
                tables.channels.entry(body.kind).or_default().push(position);
                let value = body.value.as_str();
                match body.kind {
                    ChannelKind::Phone => add_phone(tables, value, region, hit),
                    ChannelKind::Email => add_email(tables, value, hit),
                    ChannelKind::Website => {
                        if let Ok(host) = Host::parse(value) {
                            add_official_host(tables, &host, hit);
                        }
                    }
                    ChannelKind::BankAccount => add_bank(tables, value, hit),
                    ChannelKind::Address | ChannelKind::Wechat => {}
                }
            }
            StatementBody::Warning(body) => {
                let hit = Hit {
                    position,
                    source: Source::Warning,
                };
                let value = body.value.as_str();
                match body.kind {
                    WarningKind::Phone => add_phone(tables, value, region, hit),
                    WarningKind::Email => add_email(tables, value, hit),
                    WarningKind::Website => {
                        if let Ok(host) = Host::parse(value) {
                            let key = host.page_key().unwrap_or_else(|| host.as_str().to_owned());
                            tables.hosts.add(&key, hit);
                        }
                    }
                    WarningKind::BankAccount => add_bank(tables, value, hit),
                    WarningKind::Person => add_person(tables, value, hit),
                    WarningKind::Company => {
                        if let Ok(uscc) = crate::domain::Uscc::parse(value) {
                            tables.usccs.add(uscc.as_str(), hit);
                        } else if let Ok(name) = Name::parse(value) {
                            for key in name.keys() {
                                tables.company_names.add(&key, hit);
                            }
                            if body.includes_controlled {
                                tables.controlled_warnings.push((name, hit));
                            }
                        }
                    }
                    WarningKind::Address | WarningKind::Wechat => {}
                }
            }
            StatementBody::SigningPolicy(_) | StatementBody::ChannelPolicy(_) => {
                tables.policies.push(position);
            }
            StatementBody::Practice(_) => tables.practices.push(position),
            StatementBody::Project(body) => {
                let hit = Hit {
                    position,
                    source: Source::Project,
                };
                tables.projects.push(position);
                for (_, name) in body.names.iter() {
                    if let Ok(name) = Name::parse(name.as_str()) {
                        for key in name.keys() {
                            tables.project_names.add(&key, hit);
                        }
                    }
                }
                if let Some(code) = &body.code {
                    tables.project_names.add(&project_code(code.as_str()), hit);
                }
            }
            StatementBody::Staff(body) => {
                let hit = Hit {
                    position,
                    source: Source::Staff,
                };
                tables.staff.push(position);
                for member in &body.people {
                    for (_, name) in member.names.iter() {
                        add_person(tables, name.as_str(), hit);
                    }
                }
                for department in &body.departments {
                    for (_, name) in department.iter() {
                        if let Ok(name) = Name::parse(name.as_str()) {
                            for key in name.keys() {
                                tables.departments.add(&key, hit);
                            }
                        }
                    }
                }
                for pattern in &body.email_patterns {
                    let Some((_, domain)) = pattern.as_str().split_once('@') else {
                        continue;
                    };
                    let Ok(host) = Host::parse(domain) else {
                        continue;
                    };
                    tables
                        .staff_domains
                        .entry(host.as_str().to_owned())
                        .or_default()
                        .push(position);
                    for member in &body.people {
                        if let Some(email) = staff_email(member, host.as_str()) {
                            tables.emails.add(email.as_str(), hit);
                        }
                    }
                }
            }
            StatementBody::Entity(body) => {
                let hit = Hit {
                    position,
                    source: Source::Entity,
                };
                tables.entities.push(position);
                for company in &body.companies {
                    for (_, name) in company.names.iter() {
                        add_company(tables, name.as_str(), hit);
                    }
                    if let Some(uscc) = &company.uscc {
                        tables.usccs.add(uscc.as_str(), hit);
                    }
                }
            }
            _ => {}
        }
    }
}

fn add_phone(tables: &mut OrgTables, value: &str, region: Option<Region>, hit: Hit) {
    if let Ok(p) = Phone::parse(value, region) {
        tables.phones.add(p.as_str(), hit);
    }
}

fn add_email(tables: &mut OrgTables, value: &str, hit: Hit) {
    if let Ok(e) = Email::parse(value) {
        tables.emails.add(e.as_str(), hit);
    }
}

fn add_bank(tables: &mut OrgTables, value: &str, hit: Hit) {
    if let Ok(b) = BankAccount::parse(value) {
        tables.banks.add(b.as_str(), hit);
    }
}

fn add_person(tables: &mut OrgTables, value: &str, hit: Hit) {
    if let Ok(name) = Name::parse_person(value) {
        for key in name.keys() {
            // Most skeletons equal the key; lookalike lookups search both tables.
            let key_skeleton = skeleton(&key);
            if key_skeleton != key {
                tables.person_skeletons.add(&key_skeleton, hit);
            }
            tables.person_names.add(&key, hit);
        }
    }
}

fn add_company(tables: &mut OrgTables, value: &str, hit: Hit) {
    let Ok(name) = Name::parse(value) else {
        return;
    };
    for key in name.keys() {
        tables.company_names.add(&key, hit);
    }
    let display: Box<str> = name.display().into();
    match tables.company_seen.get(&display) {
        Some(&i) => {
            if let Some((_, hits)) = tables.company_list.get_mut(i) {
                hits.push(hit);
            }
        }
        None => {
            tables
                .company_seen
                .insert(display, tables.company_list.len());
            tables.company_list.push((name, vec![hit]));
        }
    }
}

fn add_official_host(tables: &mut OrgTables, host: &Host, hit: Hit) {
    // A page on a shared platform (`weibo.com/iucg`) makes that page official, not the platform.
    if let Some(page) = host.page_key() {
        tables.hosts.add(&page, hit);
        return;
    }
    tables.hosts.add(host.as_str(), hit);
    tables.host_skeletons.add(&host.skeleton(), hit);
    let registrable = host.registrable().to_owned();
    let (unicode, _) = idna::domain_to_unicode(&registrable);
    tables
        .official_registrable
        .entry(registrable)
        .or_insert_with(|| OfficialDomain {
            brand_skeleton: skeleton(brand(&unicode)),
            hits: Vec::new(),
        })
        .hits
        .push(hit);
}

/// A project code as matched: letters and digits only, lower case (`ZB-2026-017` and
/// `zb2026017` are one code).
pub(crate) fn project_code(code: &str) -> String {
    let folded: String = code
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    format!("#{folded}")
}

/// An employee's email address under a `<pinyin>@domain` pattern: the letters of their
/// English name, lower case, run together (`Zhang Wei` → `zhangwei@domain`).
pub(crate) fn staff_email(member: &crate::domain::StaffMember, domain: &str) -> Option<Email> {
    let english = member
        .names
        .iter()
        .find(|(tag, _)| tag.as_str() == "en")
        .map(|(_, n)| n.as_str())?;
    let local: String = english
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if local.is_empty() {
        return None;
    }
    Email::parse(&format!("{local}@{domain}")).ok()
}

/// The brand of a registrable domain: its first label (`iucg` of `iucg.example`).
pub(crate) fn brand(registrable: &str) -> &str {
    registrable.split('.').next().unwrap_or(registrable)
}

/// Checks that every identifier a statement lists reads as a check would read it, naming the
/// first that does not.
pub(crate) fn validate(
    statement: &crate::domain::Statement,
    region: Option<Region>,
) -> Result<(), String> {
    let phone = |v: &str| Phone::parse(v, region).map(drop);
    let email = |v: &str| Email::parse(v).map(drop);
    let website = |v: &str| Host::parse(v).map(drop);
    let bank = |v: &str| BankAccount::parse(v).map(drop);
    let name = |v: &str| Name::parse_person(v).map(drop);
    let company = |v: &str| Name::parse(v).map(drop);
    let explain = |field: &str, value: &str, e: super::InputError| {
        format!("{field} {value:?} does not read: {e}")
    };
    match &statement.body {
        StatementBody::Signatory(body) => {
            for p in &body.phones {
                phone(p.as_str()).map_err(|e| explain("phones", p.as_str(), e))?;
            }
            for m in &body.emails {
                email(m.as_str()).map_err(|e| explain("emails", m.as_str(), e))?;
            }
            for (_, n) in body.person.names.iter() {
                name(n.as_str()).map_err(|e| explain("person.names", n.as_str(), e))?;
            }
        }
        StatementBody::OfficialChannel(body) => {
            let v = body.value.as_str();
            let read = match body.kind {
                ChannelKind::Phone => phone(v),
                ChannelKind::Email => email(v),
                ChannelKind::Website => website(v),
                ChannelKind::BankAccount => bank(v),
                ChannelKind::Address | ChannelKind::Wechat => Ok(()),
            };
            read.map_err(|e| explain("value", v, e))?;
        }
        StatementBody::Warning(body) => {
            let v = body.value.as_str();
            let read = match body.kind {
                WarningKind::Phone => phone(v),
                WarningKind::Email => email(v),
                WarningKind::Website => website(v),
                WarningKind::BankAccount => bank(v),
                WarningKind::Person => name(v),
                WarningKind::Company => company(v),
                WarningKind::Address | WarningKind::Wechat => Ok(()),
            };
            read.map_err(|e| explain("value", v, e))?;
        }
        StatementBody::Org(body) => {
            for d in &body.official_domains {
                website(d.as_str()).map_err(|e| explain("official_domains", d.as_str(), e))?;
            }
        }
        StatementBody::Project(body) => {
            for (_, n) in body.names.iter() {
                company(n.as_str()).map_err(|e| explain("names", n.as_str(), e))?;
            }
            for c in &body.contractors {
                for (_, n) in c.names.iter() {
                    company(n.as_str()).map_err(|e| explain("contractors.names", n.as_str(), e))?;
                }
            }
            if let Some(p) = &body.platform {
                website(p.as_str()).map_err(|e| explain("platform", p.as_str(), e))?;
            }
        }
        StatementBody::Staff(body) => {
            for m in &body.people {
                for (_, n) in m.names.iter() {
                    name(n.as_str()).map_err(|e| explain("people.names", n.as_str(), e))?;
                }
            }
            for d in &body.departments {
                for (_, n) in d.iter() {
                    company(n.as_str()).map_err(|e| explain("departments", n.as_str(), e))?;
                }
            }
            for p in &body.email_patterns {
                let domain = p.as_str().split_once('@').map_or("", |(_, d)| d);
                website(domain).map_err(|e| explain("email_patterns", p.as_str(), e))?;
            }
        }
        StatementBody::Practice(body) => {
            if let Some(p) = &body.platform {
                website(p.as_str()).map_err(|e| explain("platform", p.as_str(), e))?;
            }
        }
        StatementBody::Entity(body) => {
            for c in &body.companies {
                for (_, n) in c.names.iter() {
                    company(n.as_str()).map_err(|e| explain("companies.names", n.as_str(), e))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}
