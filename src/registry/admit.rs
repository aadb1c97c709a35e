//! The trust chain: who may sign what, and the links between statements.

use std::collections::BTreeSet;

use super::{AdmitError, KeyKind, Registry, Signers, Status};
use crate::crypto::{self, GeneralJws, KeyId, STATEMENT_TYP, VerifyingKey};
use crate::domain::{OrgSlug, Statement, StatementBody, StatementType, Timestamp};

/// Parses a statement JWS: its envelope, its canonical payload and the statement in it.
pub(super) fn parse_envelope(envelope: &[u8]) -> Result<(GeneralJws, Statement), AdmitError> {
    let jws = GeneralJws::parse(envelope, STATEMENT_TYP)?;
    let value: serde_json::Value = serde_json::from_slice(jws.payload())
        .map_err(|e| crate::domain::ParseError(format!("the payload is not JSON: {e}")))?;
    let canonical = crypto::canonicalize(&value).map_err(|_| AdmitError::NotCanonical)?;
    if canonical != jws.payload() {
        return Err(AdmitError::NotCanonical);
    }
    let statement = Statement::from_value(value)?;
    Ok((jws, statement))
}

impl Registry {
    /// Checks what the statement says about other statements: the organisation exists, superseded
    /// and revoked statements exist and fit.
    pub(super) fn check_links(
        &self,
        statement: &Statement,
        now: Timestamp,
    ) -> Result<(), AdmitError> {
        let common = &statement.common;
        let kind = statement.kind();
        let current_org = self.org(&common.org, now);
        match (kind, &current_org) {
            (StatementType::Org, Some((current, _))) => {
                if !common.supersedes.contains(&current.statement.common.id) {
                    return Err(AdmitError::OrgExists {
                        org: common.org.clone(),
                        current: current.statement.common.id.clone(),
                    });
                }
            }
            (StatementType::Org, None) => {}
            (_, None) => return Err(AdmitError::UnknownOrg(common.org.clone())),
            (_, Some(_)) => {}
        }
        for id in &common.supersedes {
            let target = self
                .lookup(&common.org, id)
                .ok_or_else(|| AdmitError::UnknownTarget {
                    field: "supersedes",
                    id: id.clone(),
                    org: common.org.clone(),
                })?;
            if target.statement.kind() != kind {
                return Err(AdmitError::InvalidTarget(format!(
                    "supersedes names {id}, a {} statement; a {kind} statement can only supersede \
                     {kind} statements",
                    target.statement.kind()
                )));
            }
        }
        if let StatementBody::Revocation(r) = &statement.body {
            let target =
                self.lookup(&common.org, &r.revokes)
                    .ok_or_else(|| AdmitError::UnknownTarget {
                        field: "revokes",
                        id: r.revokes.clone(),
                        org: common.org.clone(),
                    })?;
            if target.statement.kind() == StatementType::Revocation {
                return Err(AdmitError::InvalidTarget(
                    "a revocation cannot be revoked; issue the statement again under a new id"
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// Checks the keys a statement grants: real Ed25519 points, and not already the operator's
    /// or another organisation's (one key belongs to one party, so that a signature names its
    /// signer unambiguously).
    pub(super) fn check_new_keys(&self, statement: &Statement) -> Result<(), AdmitError> {
        let jwks: Vec<_> = match &statement.body {
            StatementBody::Org(body) => body.root_keys.clone(),
            StatementBody::Delegation(body) => body.keys.iter().map(|k| k.key).collect(),
            _ => return Ok(()),
        };
        for jwk in &jwks {
            let key =
                VerifyingKey::from_jwk(jwk).map_err(|e| AdmitError::InvalidKey(e.to_string()))?;
            if self.operator_keys.contains_key(key.id()) {
                return Err(AdmitError::InvalidKey(format!(
                    "key {} is the operator's; an organisation needs keys of its own",
                    key.id()
                )));
            }
            if let Some((_, owner)) = self
                .keys
                .get(key.id())
                .filter(|(_, owner)| *owner != statement.common.org)
            {
                return Err(AdmitError::InvalidKey(format!(
                    "key {} belongs to organisation {owner}",
                    key.id()
                )));
            }
        }
        Ok(())
    }

    /// Verifies every signature, checks that each signer may sign this statement, and counts the
    /// distinct signers against the threshold. Returns the signers' key ids in order.
    pub(super) fn check_signatures(
        &self,
        jws: &GeneralJws,
        statement: &Statement,
        now: Timestamp,
    ) -> Result<Vec<KeyId>, AdmitError> {
        if jws.headers().is_empty() {
            return Err(AdmitError::NoSignatures);
        }
        let org = &statement.common.org;
        let rule_kind = match &statement.body {
            StatementBody::Revocation(r) => self
                .lookup(org, &r.revokes)
                .map_or(StatementType::Revocation, |t| t.statement.kind()),
            _ => statement.kind(),
        };
        let (signers, needed) = match rule_kind {
            StatementType::Org => (Signers::Operator, 1),
            kind => {
                let (_, body) = self
                    .org(org, now)
                    .ok_or_else(|| AdmitError::UnknownOrg(org.clone()))?;
                let signers = if kind == StatementType::Delegation {
                    Signers::Root
                } else {
                    Signers::Staff(kind)
                };
                (signers, body.threshold(kind))
            }
        };
        let mut distinct = BTreeSet::new();
        for (i, header) in jws.headers().iter().enumerate() {
            let key = self.eligible_key(&signers, rule_kind, org, &header.kid, now)?;
            if !jws.verify(i, key) {
                return Err(AdmitError::BadSignature(header.kid.clone()));
            }
            distinct.insert(header.kid.clone());
        }
        if distinct.len() < usize::from(needed) {
            return Err(AdmitError::ThresholdNotMet {
                kind: rule_kind,
                org: org.clone(),
                needed,
                got: distinct.len(),
            });
        }
        Ok(jws.headers().iter().map(|h| h.kid.clone()).collect())
    }

    /// The key named `kid` if it may sign for `org` under `signers` at `now`; otherwise the most
    /// specific reason it may not.
    fn eligible_key(
        &self,
        signers: &Signers,
        kind: StatementType,
        org: &OrgSlug,
        kid: &KeyId,
        now: Timestamp,
    ) -> Result<&VerifyingKey, AdmitError> {
        let wrong = |reason: &str| AdmitError::WrongSigner {
            kid: kid.clone(),
            kind,
            reason: reason.to_owned(),
        };
        if let Some(key) = self.operator_keys.get(kid) {
            return match signers {
                Signers::Operator => Ok(key),
                _ => Err(wrong("the operator key signs only org statements")),
            };
        }
        let Some((key, owner)) = self.keys.get(kid) else {
            return Err(AdmitError::UnknownKey(kid.clone()));
        };
        if let Signers::Operator = signers {
            return Err(wrong("org statements are signed by the operator"));
        }
        if owner != org {
            return Err(AdmitError::ForeignKey {
                kid: kid.clone(),
                owner: owner.clone(),
                org: org.clone(),
            });
        }
        let grants = self
            .orgs
            .get(org)
            .and_then(|index| index.grants.get(kid))
            .map_or(&[][..], Vec::as_slice);
        let views: Vec<_> = grants
            .iter()
            .filter_map(|g| self.key_view(g, now))
            .collect();
        let is_root = |v: &&super::KeyView| v.kind == KeyKind::Root;
        match signers {
            Signers::Root => {
                if views
                    .iter()
                    .filter(is_root)
                    .any(|v| v.status == Status::Active)
                {
                    return Ok(key);
                }
                match views.iter().find(is_root) {
                    Some(v) => Err(AdmitError::KeyNotInForce {
                        kid: kid.clone(),
                        holder: "root key".into(),
                        status: v.status,
                    }),
                    None => Err(wrong(
                        "delegations are signed by the organisation's root keys; this is a staff key",
                    )),
                }
            }
            Signers::Staff(content) => {
                let staff: Vec<_> = views.iter().filter(|v| v.kind == KeyKind::Staff).collect();
                let active: Vec<_> = staff
                    .iter()
                    .filter(|v| v.status == Status::Active)
                    .collect();
                if active
                    .iter()
                    .any(|v| v.roles.iter().any(|r| r.permits(*content)))
                {
                    return Ok(key);
                }
                if let Some(v) = active.first() {
                    let roles: Vec<_> = v.roles.iter().map(|r| r.as_str()).collect();
                    return Err(AdmitError::MissingRole {
                        kid: kid.clone(),
                        holder: v.holder.clone().unwrap_or_default(),
                        kind: *content,
                        roles: roles.join(", "),
                    });
                }
                // Prefer the reason a staff member is most likely to need: revoked, then expired.
                let pick = [
                    Status::Revoked,
                    Status::Expired,
                    Status::Superseded,
                    Status::Pending,
                ]
                .into_iter()
                .find_map(|s| staff.iter().find(|v| v.status == s));
                match pick {
                    Some(v) => Err(AdmitError::KeyNotInForce {
                        kid: kid.clone(),
                        holder: v.holder.clone().unwrap_or_default(),
                        status: v.status,
                    }),
                    None => Err(wrong(
                        "content statements are signed by staff keys; root keys sign only delegations",
                    )),
                }
            }
            Signers::Operator => Err(wrong("org statements are signed by the operator")),
        }
    }
}
