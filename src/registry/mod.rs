//! The register: every accepted statement, indexed in memory, and the trust chain that decides
//! whether a new one is accepted.
//!
//! Pure and synchronous: callers pass the time, and the store is someone else's business. The
//! service builds one [`Registry`] by replaying its log at start and appends to it after each
//! stored statement, so reads and checks never wait on a database.
//!
//! The trust chain ([`Registry::admit`]):
//! - `org` statements are signed by an operator key; a later `org` statement for the same slug
//!   must supersede the one in force;
//! - `delegation` statements are signed by the organisation's root keys in force;
//! - content statements are signed by staff keys whose delegation is in force, whose grant has not
//!   expired and whose roles cover the type;
//! - a `revocation` is authorised like the statement it revokes;
//! - signatures are counted once per distinct key (keys are named by thumbprint, so one key under
//!   two names is still one key), and must reach the organisation's threshold for the type.
//!
//! Every signature on a statement must verify and come from an eligible key; one bad signature
//! rejects the statement rather than being ignored, so that what the log holds is exactly what
//! was checked.

mod admit;
mod error;
mod status;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use self::error::AdmitError;
pub use self::status::Status;

use crate::crypto::{KeyId, VerifyingKey};
use crate::domain::{
    OrgBody, OrgSlug, PublicJwk, Role, Statement, StatementBody, StatementId, StatementType,
    Timestamp,
};
use crate::log::{self, Tree};

/// How far in the future `issued_at` may lie, for clocks that are a little ahead.
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// An accepted statement, as the log holds it.
#[derive(Debug)]
pub struct Entry {
    /// Its position in the log, from 0.
    pub index: u64,
    /// RFC 6962 leaf hash: SHA-256 of 0x00 and the envelope. The envelope itself stays in the
    /// store: the register keeps what checks read, and a hundred thousand signed envelopes
    /// would double its memory.
    pub leaf_hash: [u8; 32],
    /// The statement the JWS carries.
    pub statement: Statement,
    /// The keys that signed it, in signature order (shared with every other entry they signed).
    pub signers: Box<[Arc<KeyId>]>,
    /// When the service accepted it.
    pub accepted_at: Timestamp,
}

impl Entry {
    /// When the statement starts to count: its `effective_from`, but never before the log
    /// accepted it. A backdated statement therefore cannot change what the register said about
    /// an earlier day, which is what the log exists to prevent.
    pub fn in_force_from(&self) -> Timestamp {
        self.statement.common.effective_from.max(self.accepted_at)
    }
}

/// A statement that passed every check and may be stored; hand it to [`Registry::append`].
#[derive(Debug)]
pub struct Admission {
    envelope: Vec<u8>,
    statement: Statement,
    signers: Vec<KeyId>,
    accepted_at: Timestamp,
}

impl Admission {
    /// The canonical envelope bytes to store.
    pub fn envelope(&self) -> &[u8] {
        &self.envelope
    }

    /// The statement.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    /// When it was accepted.
    pub fn accepted_at(&self) -> Timestamp {
        self.accepted_at
    }
}

/// The outcome of a successful [`Registry::admit`].
#[derive(Debug)]
pub enum Admitted {
    /// A statement not seen before.
    New(Box<Admission>),
    /// Exactly a statement the register already holds: nothing is to be stored.
    Duplicate(Arc<Entry>),
}

/// What a key is to an organisation.
#[derive(Debug, Clone)]
enum Grant {
    /// Root key `key` of the `org` statement at this entry position.
    Root { entry: usize, key: usize },
    /// Key `key` of the delegation at this entry position.
    Staff { entry: usize, key: usize },
}

#[derive(Debug, Default)]
struct OrgIndex {
    entries: Vec<usize>,
    /// Positions of the organisation's `org` statements, so that finding the one in force does
    /// not walk every statement of the organisation.
    org_statements: Vec<usize>,
    by_id: IdIndex,
    revoked_by: HashMap<StatementId, Vec<usize>>,
    superseded_by: HashMap<StatementId, Vec<usize>>,
    grants: HashMap<KeyId, Vec<Grant>>,
}

/// An organisation's statements by id, without a second copy of each id: the table holds log
/// positions, and hashes and compares the ids the entries themselves hold.
#[derive(Default)]
struct IdIndex {
    table: hashbrown::HashTable<usize>,
    hasher: foldhash::fast::FixedState,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdIndex")
            .field("len", &self.table.len())
            .finish()
    }
}

impl IdIndex {
    fn hash(&self, id: &StatementId) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, id.as_str())
    }

    /// Records that the statement at `position` of `entries` has `id`.
    fn insert(&mut self, id: &StatementId, position: usize, entries: &[Arc<Entry>]) {
        let hash = self.hash(id);
        let hasher = self.hasher.clone();
        self.table.insert_unique(hash, position, |&p| {
            entries.get(p).map_or(0, |e| {
                std::hash::BuildHasher::hash_one(&hasher, e.statement.common.id.as_str())
            })
        });
    }

    /// The position of the statement `id` in `entries`.
    fn get(&self, id: &StatementId, entries: &[Arc<Entry>]) -> Option<usize> {
        self.table
            .find(self.hash(id), |&p| {
                entries.get(p).is_some_and(|e| e.statement.common.id == *id)
            })
            .copied()
    }
}

/// What a key is to its organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// A root key: signs delegations.
    Root,
    /// A staff key: signs content statements its roles cover.
    Staff,
}

/// An organisation's key and what it may do, at some time.
#[derive(Debug, Clone)]
pub struct KeyView {
    /// The public key.
    pub jwk: PublicJwk,
    /// Its thumbprint.
    pub kid: KeyId,
    /// Root or staff.
    pub kind: KeyKind,
    /// Who holds it (staff keys).
    pub holder: Option<String>,
    /// Its roles (staff keys).
    pub roles: Vec<Role>,
    /// When the grant ends (staff keys).
    pub expires_at: Option<Timestamp>,
    /// `active`, `expired`, `revoked`, `superseded` or `pending`.
    pub status: Status,
    /// The statement that granted it.
    pub granted_by: StatementId,
    /// That statement's log index.
    pub log_index: u64,
}

/// The in-memory register of every organisation's statements.
#[derive(Debug)]
pub struct Registry {
    operator_keys: BTreeMap<KeyId, VerifyingKey>,
    entries: Vec<Arc<Entry>>,
    orgs: BTreeMap<OrgSlug, OrgIndex>,
    /// Every root or staff key ever granted, by thumbprint, with its material and owner.
    keys: HashMap<KeyId, (VerifyingKey, OrgSlug)>,
    /// The Merkle tree of the entries' leaf hashes.
    tree: Tree,
    /// One shared copy of each signing key's id, for the entries' `signers`.
    signer_ids: HashMap<KeyId, Arc<KeyId>>,
}

/// Who must sign a statement, decided from its type (a revocation's from its target's).
enum Signers {
    Operator,
    Root,
    Staff(StatementType),
}

impl Registry {
    /// An empty register trusting these operator keys for `org` statements.
    pub fn new(operator_keys: impl IntoIterator<Item = VerifyingKey>) -> Self {
        Self {
            operator_keys: operator_keys
                .into_iter()
                .map(|k| (k.id().clone(), k))
                .collect(),
            entries: Vec::new(),
            orgs: BTreeMap::new(),
            keys: HashMap::new(),
            tree: Tree::new(),
            signer_ids: HashMap::new(),
        }
    }

    /// Gives back spare capacity once the log has been replayed.
    pub fn shrink_to_fit(&mut self) {
        self.tree.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    /// The Merkle tree over every entry, in log order.
    pub fn tree(&self) -> &Tree {
        &self.tree
    }

    /// How many statements the register holds (the log size).
    pub fn len(&self) -> u64 {
        self.entries.len() as u64
    }

    /// Whether the register is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry at log index `index`.
    pub fn entry(&self, index: u64) -> Option<&Arc<Entry>> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.entries.get(i))
    }

    /// Decides whether `envelope` (a general JSON JWS carrying a statement) is accepted at `now`.
    /// Nothing changes; a [`Admitted::New`] result is to be stored, then passed to
    /// [`Registry::append`] before any other admission.
    pub fn admit(&self, envelope: &[u8], now: Timestamp) -> Result<Admitted, AdmitError> {
        let (jws, statement) = admit::parse_envelope(envelope)?;
        let canonical = jws.to_canonical_bytes();
        if let Some(existing) = self.lookup(&statement.common.org, &statement.common.id) {
            return if existing.leaf_hash == log::leaf_hash(&canonical) {
                Ok(Admitted::Duplicate(Arc::clone(existing)))
            } else {
                Err(AdmitError::DuplicateId(statement.common.id.clone()))
            };
        }
        if statement.common.issued_at > now.saturating_add(MAX_CLOCK_SKEW) {
            return Err(AdmitError::IssuedInFuture(statement.common.issued_at));
        }
        self.check_links(&statement, now)?;
        self.check_new_keys(&statement)?;
        let signers = self.check_signatures(&jws, &statement, now)?;
        Ok(Admitted::New(Box::new(Admission {
            envelope: canonical,
            statement,
            signers,
            accepted_at: now,
        })))
    }

    /// Adds an admitted statement at the next log index.
    pub fn append(&mut self, admission: Admission) -> Arc<Entry> {
        self.insert(
            &admission.envelope,
            admission.statement,
            admission.signers,
            admission.accepted_at,
        )
    }

    /// Adds a statement read back from the log at start, checking it exactly as it was checked
    /// when it was accepted (signatures, keys and links, at its acceptance time), so that a row
    /// written into the database behind the service's back is refused rather than trusted.
    pub fn replay(
        &mut self,
        envelope: &[u8],
        accepted_at: Timestamp,
    ) -> Result<Arc<Entry>, AdmitError> {
        let (jws, statement) = admit::parse_envelope(envelope)?;
        if self
            .lookup(&statement.common.org, &statement.common.id)
            .is_some()
        {
            return Err(AdmitError::DuplicateId(statement.common.id));
        }
        self.check_links(&statement, accepted_at)?;
        self.check_new_keys(&statement)?;
        let signers = self.check_signatures(&jws, &statement, accepted_at)?;
        Ok(self.insert(envelope, statement, signers, accepted_at))
    }

    fn insert(
        &mut self,
        envelope: &[u8],
        statement: Statement,
        signers: Vec<KeyId>,
        accepted_at: Timestamp,
    ) -> Arc<Entry> {
        let position = self.entries.len();
        let leaf_hash = log::leaf_hash(envelope);
        let org = statement.common.org.clone();
        let index = self.orgs.entry(org.clone()).or_default();
        index.entries.push(position);
        for old in &statement.common.supersedes {
            index
                .superseded_by
                .entry(old.clone())
                .or_default()
                .push(position);
        }
        match &statement.body {
            StatementBody::Revocation(r) => {
                index
                    .revoked_by
                    .entry(r.revokes.clone())
                    .or_default()
                    .push(position);
            }
            StatementBody::Org(body) => {
                index.org_statements.push(position);
                for (i, jwk) in body.root_keys.iter().enumerate() {
                    let kid = KeyId::of(jwk);
                    index
                        .grants
                        .entry(kid.clone())
                        .or_default()
                        .push(Grant::Root {
                            entry: position,
                            key: i,
                        });
                    if let Ok(key) = VerifyingKey::from_jwk(jwk) {
                        self.keys.insert(kid, (key, org.clone()));
                    }
                }
            }
            StatementBody::Delegation(body) => {
                for (i, granted) in body.keys.iter().enumerate() {
                    let kid = KeyId::of(&granted.key);
                    index
                        .grants
                        .entry(kid.clone())
                        .or_default()
                        .push(Grant::Staff {
                            entry: position,
                            key: i,
                        });
                    if let Ok(key) = VerifyingKey::from_jwk(&granted.key) {
                        self.keys.insert(kid, (key, org.clone()));
                    }
                }
            }
            _ => {}
        }
        let signers = signers
            .into_iter()
            .map(|kid| {
                Arc::clone(
                    self.signer_ids
                        .entry(kid.clone())
                        .or_insert_with(|| Arc::new(kid)),
                )
            })
            .collect();
        let entry = Arc::new(Entry {
            index: position as u64,
            leaf_hash,
            statement,
            signers,
            accepted_at,
        });
        self.tree.push(leaf_hash);
        self.entries.push(Arc::clone(&entry));
        if let Some(index) = self.orgs.get_mut(&entry.statement.common.org) {
            index
                .by_id
                .insert(&entry.statement.common.id, position, &self.entries);
        }
        entry
    }

    fn lookup(&self, org: &OrgSlug, id: &StatementId) -> Option<&Arc<Entry>> {
        let position = self.orgs.get(org)?.by_id.get(id, &self.entries)?;
        self.entries.get(position)
    }

    /// The status of `entry` at time `at`.
    pub fn status(&self, entry: &Entry, at: Timestamp) -> Status {
        let common = &entry.statement.common;
        if at < entry.in_force_from() {
            return Status::Pending;
        }
        let Some(index) = self.orgs.get(&common.org) else {
            return Status::Active;
        };
        let in_force_by = |positions: Option<&Vec<usize>>| {
            positions.is_some_and(|ps| {
                ps.iter()
                    .filter_map(|&p| self.entries.get(p))
                    .any(|e| e.in_force_from() <= at)
            })
        };
        if in_force_by(index.revoked_by.get(&common.id)) {
            Status::Revoked
        } else if in_force_by(index.superseded_by.get(&common.id)) {
            Status::Superseded
        } else if common.effective_until.is_some_and(|until| until <= at) {
            Status::Expired
        } else {
            Status::Active
        }
    }

    /// Every organisation's `org` statement in force at `at` (the latest accepted, if several).
    pub fn orgs(&self, at: Timestamp) -> Vec<(Arc<Entry>, &OrgBody)> {
        self.orgs
            .keys()
            .filter_map(|slug| self.org(slug, at))
            .collect()
    }

    /// The `org` statement in force for `slug` at `at`.
    pub fn org(&self, slug: &OrgSlug, at: Timestamp) -> Option<(Arc<Entry>, &OrgBody)> {
        let index = self.orgs.get(slug)?;
        index
            .org_statements
            .iter()
            .rev()
            .filter_map(|&p| self.entries.get(p))
            .filter_map(|e| match &e.statement.body {
                StatementBody::Org(body) => Some((e, body)),
                _ => None,
            })
            .find(|(e, _)| self.status(e, at) == Status::Active)
            .map(|(e, body)| (Arc::clone(e), body))
    }

    /// Whether any statement about `slug` was ever accepted.
    pub fn knows_org(&self, slug: &OrgSlug) -> bool {
        self.orgs.contains_key(slug)
    }

    /// The statements about `slug`, in log order, with their status at `at`; only those of `kind`
    /// if given.
    pub fn statements(
        &self,
        slug: &OrgSlug,
        at: Timestamp,
        kind: Option<StatementType>,
    ) -> Vec<(Arc<Entry>, Status)> {
        let Some(index) = self.orgs.get(slug) else {
            return Vec::new();
        };
        index
            .entries
            .iter()
            .filter_map(|&p| self.entries.get(p))
            .filter(|e| kind.is_none_or(|k| e.statement.kind() == k))
            .map(|e| (Arc::clone(e), self.status(e, at)))
            .collect()
    }

    /// Every root and staff key `slug` ever granted, with its status at `at`.
    pub fn keys(&self, slug: &OrgSlug, at: Timestamp) -> Vec<KeyView> {
        let Some(index) = self.orgs.get(slug) else {
            return Vec::new();
        };
        let mut views = Vec::new();
        for grants in index.grants.values() {
            for grant in grants {
                if let Some(view) = self.key_view(grant, at) {
                    views.push(view);
                }
            }
        }
        views.sort_by(|a, b| (a.log_index, a.kid.as_str()).cmp(&(b.log_index, b.kid.as_str())));
        views
    }

    fn key_view(&self, grant: &Grant, at: Timestamp) -> Option<KeyView> {
        match *grant {
            Grant::Root { entry, key } => {
                let e = self.entries.get(entry)?;
                let StatementBody::Org(body) = &e.statement.body else {
                    return None;
                };
                let jwk = *body.root_keys.get(key)?;
                Some(KeyView {
                    jwk,
                    kid: KeyId::of(&jwk),
                    kind: KeyKind::Root,
                    holder: None,
                    roles: Vec::new(),
                    expires_at: None,
                    status: self.status(e, at),
                    granted_by: e.statement.common.id.clone(),
                    log_index: e.index,
                })
            }
            Grant::Staff { entry, key } => {
                let e = self.entries.get(entry)?;
                let StatementBody::Delegation(body) = &e.statement.body else {
                    return None;
                };
                let granted = body.keys.get(key)?;
                let mut status = self.status(e, at);
                if status == Status::Active && granted.expires_at <= at {
                    status = Status::Expired;
                }
                Some(KeyView {
                    jwk: granted.key,
                    kid: KeyId::of(&granted.key),
                    kind: KeyKind::Staff,
                    holder: Some(granted.holder.as_str().to_owned()),
                    roles: granted.roles.clone(),
                    expires_at: Some(granted.expires_at),
                    status,
                    granted_by: e.statement.common.id.clone(),
                    log_index: e.index,
                })
            }
        }
    }
}
