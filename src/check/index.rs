//! The lookup tables a contact check reads: every identifier of every statement, normalised once
//! when the statement enters the register, so that a check is a handful of hash lookups.
//!
//! The tables hold log positions only; whether a statement is in force is decided at check time,
//! for the time asked (`as_of`), by the register.

use std::collections::{BTreeMap, HashMap};

use super::normalise::{BankAccount, Email, Host, Name, Phone, Region};
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
#[derive(Debug, Default)]
pub(crate) struct Table(HashMap<Box<str>, Vec<Hit>>);

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
        self.0.get(key).map_or(&[], Vec::as_slice)
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
    /// folded, for the near-miss comparison that a hash lookup cannot do.
    pub(crate) company_list: Vec<(Name, Hit)>,
    company_seen: std::collections::HashSet<Box<str>>,
    /// Registrable domains of the organisation's own hosts, for the near-miss comparison, with
    /// the statement that made each official.
    pub(crate) official_registrable: BTreeMap<String, Hit>,
    /// `signing-policy` and `channel-policy` statements.
    pub(crate) policies: Vec<u32>,
    /// `official-channel` statements by kind, in log order.
    pub(crate) channels: BTreeMap<ChannelKind, Vec<u32>>,
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

    /// Adds the identifiers of a statement just added to the register. Values that do not read
    /// (a malformed phone number in a statement) are left out: they could never match a
    /// normalised input anyway.
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
                            tables.hosts.add(host.as_str(), hit);
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
                        }
                    }
                    WarningKind::Address | WarningKind::Wechat => {}
                }
            }
            StatementBody::SigningPolicy(_) | StatementBody::ChannelPolicy(_) => {
                tables.policies.push(position);
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
    if let Ok(name) = Name::parse(value) {
        for key in name.keys() {
            tables.person_names.add(&key, hit);
        }
        tables.person_skeletons.add(&name.skeleton_key(), hit);
    }
}

fn add_company(tables: &mut OrgTables, value: &str, hit: Hit) {
    let Ok(name) = Name::parse(value) else {
        return;
    };
    for key in name.keys() {
        tables.company_names.add(&key, hit);
    }
    if tables.company_seen.insert(name.display().into()) {
        tables.company_list.push((name, hit));
    }
}

fn add_official_host(tables: &mut OrgTables, host: &Host, hit: Hit) {
    tables.hosts.add(host.as_str(), hit);
    tables.host_skeletons.add(&host.skeleton(), hit);
    tables
        .official_registrable
        .entry(host.registrable().to_owned())
        .or_insert(hit);
}

/// The brand of a registrable domain: its first label (`iucg` of `iucg.example`).
pub(crate) fn brand(registrable: &str) -> &str {
    registrable.split('.').next().unwrap_or(registrable)
}
