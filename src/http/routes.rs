//! Handlers, one per endpoint, and the route table.

use std::collections::BTreeMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::agreement;
use super::limits::{self, Kind};
use super::log::{self, SignedCheckpoint, b64_hashes};
use super::message;
use super::widget;
use super::{ApiError, AppState, Code, Live, MAX_BODY_BYTES, follow, halt, poisoned};
use base64::Engine as _;

use crate::api::{
    Jwk, Jwks, OrgKey, OrgKeys, OrgList, OrgProfile, OrgSummary, Receipt, StatementItem,
    StatementList, SubmitResponse,
};
use crate::check::verdict::{LogState, Subject, VerdictClaims};
use crate::check::{self, ContactQuery};
use crate::crypto::{self, hex};
use crate::domain::{OrgBody, OrgSlug, StatementType, Timestamp};
use crate::registry::{Admitted, Entry, Status};
use crate::store::{NewCheckpoint, NewEntry, StoreError, WriterGuard};

/// Registers every route; the demo news page only when `news_page` is set.
pub(super) fn configure(cfg: &mut web::ServiceConfig, news_page: bool) {
    cfg.app_data(web::QueryConfig::default().error_handler(|err, _| {
        ApiError::bad_request(Code::INVALID_QUERY, err.to_string()).into()
    }))
    .app_data(
        web::PathConfig::default().error_handler(|err, _| {
            ApiError::bad_request(Code::INVALID_PATH, err.to_string()).into()
        }),
    )
    .service(resource("/healthz", "GET").route(web::get().to(healthz)))
    .service(resource("/readyz", "GET").route(web::get().to(readyz)))
    // Staff: no CORS, so no page on another origin can submit in a visitor's browser.
    .service(resource("/v1/statements", "POST").route(web::post().to(submit_statement)))
    // Public reads and checks: CORS from any origin, without credentials.
    .service(public("/.well-known/jwks.json", web::get().to(jwks)))
    .service(public("/openapi.json", web::get().to(openapi)))
    .service(limited(
        "/v1/checks/contact",
        web::post().to(check_contact),
        Kind::Check,
    ))
    .service(limited(
        "/v1/checks/agreement",
        web::post().to(agreement::check_agreement),
        Kind::Upload,
    ))
    .service(limited(
        "/v1/checks/message",
        web::post().to(message::check_message),
        Kind::Check,
    ))
    .service(public("/v1/orgs", web::get().to(list_orgs)))
    .service(public("/v1/orgs/{org}", web::get().to(show_org)))
    .service(public("/v1/orgs/{org}/keys", web::get().to(org_keys)))
    .service(public(
        "/v1/orgs/{org}/statements",
        web::get().to(org_statements),
    ))
    .service(public("/v1/orgs/{org}/notice", web::get().to(org_notice)))
    .service(public("/v1/log/checkpoint", web::get().to(log::checkpoint)))
    .service(public("/v1/log/key", web::get().to(log::key)))
    .service(public("/v1/log/entries/{index}", web::get().to(log::entry)))
    .service(public(
        "/v1/log/proof/inclusion",
        web::get().to(log::inclusion),
    ))
    .service(public(
        "/v1/log/proof/consistency",
        web::get().to(log::consistency),
    ))
    .service(
        resource("/widget.js", "GET, HEAD")
            .route(web::get().to(widget::script))
            .route(web::head().to(widget::script))
            .wrap(actix_web::middleware::Compress::default())
            .wrap(widget::public_cors()),
    )
    .service(
        resource("/widget/{release}/widget.js", "GET, HEAD")
            .route(web::get().to(widget::versioned_script))
            .route(web::head().to(widget::versioned_script))
            .wrap(actix_web::middleware::Compress::default())
            .wrap(widget::public_cors()),
    );
    if news_page {
        cfg.service(resource("/", "GET").route(web::get().to(widget::news_page)))
            .service(resource("/news.css", "GET").route(web::get().to(widget::news_css)))
            .service(resource("/favicon.svg", "GET").route(web::get().to(widget::news_icon)));
    }
    cfg.default_service(web::to(not_found));
}

/// A public resource read with GET: readable from pages on any origin.
fn public(path: &str, route: actix_web::Route) -> impl actix_web::dev::HttpServiceFactory {
    resource(path, "GET")
        .route(route)
        .wrap(widget::public_cors())
}

/// A public resource taking POST whose requests count against their client's rate of `kind`; a request over
/// it is refused before its body is read, with CORS headers so that a page can read the refusal.
fn limited(
    path: &str,
    route: actix_web::Route,
    kind: Kind,
) -> impl actix_web::dev::HttpServiceFactory {
    resource(path, "POST")
        .route(route)
        .wrap(actix_web::middleware::from_fn(move |req, next| {
            limits::limit(kind, req, next)
        }))
        .wrap(widget::public_cors())
}

/// A resource that answers other methods than `allow` (its routes' methods, as the `Allow`
/// header lists them) with 405 and that header, as RFC 9110 asks.
fn resource(path: &str, allow: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || async move {
        Err::<HttpResponse, _>(ApiError::MethodNotAllowed(allow))
    }))
}

/// The API's description (OpenAPI 3.1), committed beside the handlers and held to the route
/// table by `tests/api/openapi.rs`.
const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}

pub(super) async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound("no such endpoint".into()))
}

pub(super) async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

pub(super) async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // Readiness reports contact as the follower sees it; it does not refresh it, so a replica
    // whose follower cannot bring its register up to date is not called ready.
    if let Err(e) = state.store.ping().await {
        tracing::warn!(error = %e, "readiness: the store does not answer");
        let remaining = state.contact.remaining();
        return Err(ApiError::Stale(if remaining.is_zero() {
            "the log's database does not answer, and this replica's register is older than its \
             staleness bound: checks are refused"
                .to_owned()
        } else {
            format!(
                "the log's database does not answer: checks are answered from this replica's \
                 last known register for {} s more; statements are refused",
                remaining.as_secs()
            )
        }));
    }
    state.contact.fresh()?;
    let size = state
        .live
        .read()
        .map_err(poisoned)?
        .signed()?
        .checkpoint
        .size;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ready", "log_size": size})))
}

/// Reads the body, refusing more than `limit` bytes.
pub(super) async fn read_body(
    payload: web::Payload,
    limit: usize,
    deadline: std::time::Duration,
) -> Result<web::Bytes, ApiError> {
    let read = tokio::time::timeout(deadline, payload.to_bytes_limited(limit));
    let Ok(read) = read.await else {
        return Err(ApiError::RequestTimeout(deadline.as_secs()));
    };
    match read {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(ApiError::bad_request(
            Code::INVALID_BODY,
            format!("cannot read the body: {e}"),
        )),
        Err(_) => Err(ApiError::PayloadTooLarge(limit)),
    }
}

fn require_json(req: &HttpRequest) -> Result<(), ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/jose+json" || essence == "application/json" {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "Content-Type {content_type:?} is not read here; send application/jose+json"
        )))
    }
}

/// The receipt of `entry`: its place, and its inclusion proof in the latest signed checkpoint.
fn receipt(entry: &Entry, live: &Live) -> Result<Receipt, ApiError> {
    let signed = live.signed()?;
    let size = signed.checkpoint.size;
    let proof = live
        .checker
        .registry()
        .tree()
        .inclusion_proof(entry.index, size)
        .map_err(|e| ApiError::Internal(format!("no inclusion proof for a receipt: {e}")))?;
    Ok(Receipt {
        org: entry.statement.common.org.to_string(),
        id: entry.statement.common.id.to_string(),
        kind: entry.statement.kind(),
        log_index: entry.index,
        leaf_hash: hex(&entry.leaf_hash),
        accepted_at: entry.accepted_at,
        checkpoint: signed.note.to_string(),
        tree_size: size,
        inclusion_proof: b64_hashes(&proof),
    })
}

#[tracing::instrument(skip_all)]
async fn submit_statement(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_json(&req)?;
    let body = read_body(payload, MAX_BODY_BYTES, state.body_deadline).await?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            Code::EMPTY_BODY,
            "the body is empty; send a statement JWS",
        ));
    }
    // The commit runs as a task of its own: if the client goes away mid-request, the handler is
    // dropped, but a row the store committed still reaches the register.
    let task = tokio::spawn(commit(state.into_inner(), body));
    let (status, answer) = task
        .await
        .map_err(|e| ApiError::Internal(format!("commit task failed: {e}")))??;
    Ok(HttpResponse::build(status).json(answer))
}

/// Admits, stores and registers one statement, under the append lock, so that an admission stays
/// valid until its statement is in the register.
async fn commit(
    state: std::sync::Arc<AppState>,
    body: web::Bytes,
) -> Result<(actix_web::http::StatusCode, SubmitResponse), ApiError> {
    let _append = state.append.lock().await;
    // Where replicas share the store, they take turns: with the writer lock, this replica catches
    // up and then no other can take the next index while it signs and appends.
    let mut writer = state.store.writer_lock().await?;
    let result = commit_as_writer(&state, body, &mut writer).await;
    if let Some(writer) = writer.take() {
        writer.release().await;
    }
    result
}

/// [`commit`] with the append lock, and the writer lock if the store has one.
async fn commit_as_writer(
    state: &std::sync::Arc<AppState>,
    body: web::Bytes,
    writer: &mut Option<Box<dyn WriterGuard>>,
) -> Result<(actix_web::http::StatusCode, SubmitResponse), ApiError> {
    if writer.is_some() {
        follow::catch_up(state).await?;
    }
    // Without a writer lock (several processes on one SQLite file), another process may take
    // the index first: then catch up with what it appended and try again, a few times, before
    // telling the client to retry.
    let mut attempts = 0;
    let (admission, signed, root, stored) = loop {
        attempts += 1;
        let now = state.clock.now();
        let (admitted, next) = {
            let live = state.live.read().map_err(poisoned)?;
            // A log that refuses to sign refuses appends too.
            live.signed()?;
            let admitted = live.checker.admit(&body, now)?;
            (admitted, live.checker.registry().tree().compact_range())
        };
        let admission = match admitted {
            Admitted::Duplicate(entry) => {
                let answer = SubmitResponse {
                    result: "duplicate".into(),
                    receipt: receipt(&entry, &*state.live.read().map_err(poisoned)?)?,
                };
                return Ok((actix_web::http::StatusCode::OK, answer));
            }
            Admitted::New(admission) => *admission,
        };
        let index = next.size();
        // The checkpoint of the tree with the new leaf, signed before the store commits both
        // together: a size is stored with one root or not at all.
        let mut next = next;
        next.push(crate::log::leaf_hash(admission.envelope()));
        let root = next.root();
        let signed: SignedCheckpoint = state.log.sign(next.size(), root)?;
        let common = &admission.statement().common;
        let entry = NewEntry {
            index,
            org: common.org.as_str(),
            statement_id: common.id.as_str(),
            envelope: admission.envelope(),
            accepted_at: admission.accepted_at(),
        };
        let checkpoint = NewCheckpoint {
            size: next.size(),
            root: &root,
            note: &signed.note,
            signed_at: now,
        };
        let stored = match writer.as_mut() {
            Some(writer) => writer.append(entry, checkpoint).await,
            None => state.store.append(entry, checkpoint).await,
        };
        match stored {
            Err(StoreError::Conflict(_)) if attempts < 4 => {
                // The note signed for the lost index is dropped unseen: only a stored checkpoint
                // is ever served.
                tracing::info!(
                    log.index = index,
                    "another replica appended first; catching up"
                );
                follow::catch_up(state).await?;
            }
            Err(StoreError::Conflict(_)) => {
                return Err(ApiError::Busy(
                    "other replicas keep appending first; try again".into(),
                ));
            }
            other => break (admission, signed, root, other),
        }
    };
    stored?;
    state.contact.touch();
    // Committed: the next writer, here or in another replica, reads this entry from the store.
    if let Some(writer) = writer.take() {
        writer.release().await;
    }
    // Committed. The lock must record the new checkpoint before anyone is shown it; if it
    // cannot, the entry stands (it is durable and a restart accepts a lagging lock), but this
    // instance signs nothing more until an operator has looked.
    let lock = state.log.lock.clone();
    let note = signed.note.clone();
    let locked = tokio::task::spawn_blocking(move || lock.write(&note)).await;
    let lock_failure = match locked {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(format!(
            "cannot record the new checkpoint in the checkpoint lock: {e}"
        )),
        Err(e) => Some(format!("writing the checkpoint lock failed: {e}")),
    };
    // The entry and the checkpoint that signs it change together, under one guard: a reader
    // never sees a register its checkpoint does not sign.
    let mut live = state.live.write().map_err(poisoned)?;
    let entry = live.checker.append(admission);
    if live.checker.registry().tree().root() != root {
        drop(live);
        return Err(halt(
            state,
            "the register's tree does not have the root just signed for it".into(),
        ));
    }
    if let Some(why) = lock_failure {
        drop(live);
        return Err(halt(state, why));
    }
    live.checkpoint = Ok(signed);
    tracing::info!(log.index = entry.index, statement.kind = %entry.statement.kind(), "statement accepted");
    let answer = SubmitResponse {
        result: "accepted".into(),
        receipt: receipt(&entry, &live)?,
    };
    Ok((actix_web::http::StatusCode::CREATED, answer))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AsOfQuery {
    as_of: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementsQuery {
    as_of: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    /// At most this many statements in one answer.
    limit: Option<u32>,
    /// Only statements after this log index: the cursor of the page before.
    after: Option<u64>,
}

/// Statements in one page when the client names no `limit`.
const DEFAULT_PAGE: usize = 100;
/// The most statements one page may hold (a page of envelopes is about 1 MB).
const MAX_PAGE: u32 = 1000;

fn as_of(value: Option<&str>, state: &AppState) -> Result<Timestamp, ApiError> {
    match value {
        None => Ok(state.clock.now()),
        Some(text) => Timestamp::parse(text)
            .map_err(|e| ApiError::bad_request(Code::INVALID_QUERY, format!("as_of: {e}"))),
    }
}

fn org_slug(path: &str) -> Result<OrgSlug, ApiError> {
    OrgSlug::parse(path).map_err(|_| ApiError::NotFound(format!("no organisation {path:?}")))
}

fn summary(entry: &Entry, body: &OrgBody) -> OrgSummary {
    OrgSummary {
        slug: entry.statement.common.org.to_string(),
        names: body.names.clone(),
        registration_numbers: body
            .registration_numbers
            .iter()
            .map(ToString::to_string)
            .collect(),
        official_domains: body
            .official_domains
            .iter()
            .map(ToString::to_string)
            .collect(),
        statement_id: entry.statement.common.id.to_string(),
        log_index: entry.index,
    }
}

async fn list_orgs(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now();
    let live = state.live.read().map_err(poisoned)?;
    let registry = live.checker.registry();
    let orgs = registry
        .orgs(now)
        .into_iter()
        .map(|(entry, body)| summary(&entry, body))
        .collect();
    Ok(HttpResponse::Ok().json(OrgList { orgs }))
}

async fn show_org(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let slug = org_slug(&path)?;
    let now = state.clock.now();
    let live = state.live.read().map_err(poisoned)?;
    let registry = live.checker.registry();
    let (entry, body) = registry
        .org(&slug, now)
        .ok_or_else(|| ApiError::NotFound(format!("no organisation {slug} is registered")))?;
    let thresholds = StatementType::ALL
        .into_iter()
        .filter(|k| k.has_own_threshold())
        .map(|k| (k, body.threshold(k)))
        .collect();
    let mut active_statements = BTreeMap::new();
    for (e, status) in registry.statements(&slug, now, None) {
        if status == Status::Active {
            *active_statements.entry(e.statement.kind()).or_insert(0) += 1;
        }
    }
    Ok(HttpResponse::Ok().json(OrgProfile {
        summary: summary(&entry, body),
        thresholds,
        active_statements,
    }))
}

async fn org_keys(
    path: web::Path<String>,
    query: web::Query<AsOfQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let slug = org_slug(&path)?;
    let at = as_of(query.as_of.as_deref(), &state)?;
    let live = state.live.read().map_err(poisoned)?;
    let registry = live.checker.registry();
    if !registry.knows_org(&slug) {
        return Err(ApiError::NotFound(format!(
            "no organisation {slug} is registered"
        )));
    }
    let keys = registry
        .keys(&slug, at)
        .into_iter()
        .map(|k| OrgKey {
            jwk: Jwk::ed25519(&k.jwk, k.kid.as_str()),
            kind: k.kind,
            holder: k.holder,
            roles: k.roles,
            expires_at: k.expires_at,
            status: k.status,
            granted_by: k.granted_by.to_string(),
            log_index: k.log_index,
        })
        .collect();
    Ok(HttpResponse::Ok().json(OrgKeys { keys }))
}

async fn org_statements(
    path: web::Path<String>,
    query: web::Query<StatementsQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let slug = org_slug(&path)?;
    let at = as_of(query.as_of.as_deref(), &state)?;
    let kind = query
        .kind
        .as_deref()
        .map(str::parse::<StatementType>)
        .transpose()
        .map_err(|e| ApiError::bad_request(Code::INVALID_QUERY, format!("type: {e}")))?;
    let limit = match query.limit {
        None => DEFAULT_PAGE,
        Some(n @ 1..=MAX_PAGE) => n as usize,
        Some(n) => {
            return Err(ApiError::bad_request(
                Code::INVALID_QUERY,
                format!("limit: {n} is not between 1 and {MAX_PAGE}"),
            ));
        }
    };
    let (listed, more) = {
        let live = state.live.read().map_err(poisoned)?;
        let registry = live.checker.registry();
        if !registry.knows_org(&slug) {
            return Err(ApiError::NotFound(format!(
                "no organisation {slug} is registered"
            )));
        }
        let mut listed = registry.statements(&slug, at, kind);
        // The register lists in log order, so a log index is a cursor that stays put while
        // statements are appended after it.
        if let Some(after) = query.after {
            listed.retain(|(entry, _)| entry.index > after);
        }
        let more = listed.len() > limit;
        listed.truncate(limit);
        (listed, more)
    };
    // The register does not keep envelopes in memory; the store serves them.
    let indices: Vec<u64> = listed.iter().map(|(entry, _)| entry.index).collect();
    let envelopes = state.store.envelopes(&indices).await?;
    let statements = listed
        .iter()
        .zip(envelopes)
        .map(|((entry, status), envelope)| item(entry, *status, envelope))
        .collect::<Result<Vec<_>, _>>()?;
    let next_after = if more { indices.last().copied() } else { None };
    let mut answer = HttpResponse::Ok();
    if let Some(after) = next_after {
        // The next page is of the same moment, so that a statement expiring between two reads
        // does not move between pages.
        let mut next = url::form_urlencoded::Serializer::new(String::new());
        next.append_pair("as_of", &at.to_string());
        if let Some(kind) = kind {
            next.append_pair("type", kind.as_str());
        }
        next.append_pair("limit", &limit.to_string());
        next.append_pair("after", &after.to_string());
        answer.insert_header((
            header::LINK,
            format!(
                "</v1/orgs/{slug}/statements?{}>; rel=\"next\"",
                next.finish()
            ),
        ));
    }
    Ok(answer.json(StatementList {
        org: slug.to_string(),
        as_of: at,
        statements,
        next_after,
    }))
}

/// `GET /v1/orgs/{org}/notice`: the notice in force (the latest to take effect), with its signed
/// envelope, so that a browser verifies it before showing it.
async fn org_notice(
    path: web::Path<String>,
    query: web::Query<AsOfQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let slug = org_slug(&path)?;
    let at = as_of(query.as_of.as_deref(), &state)?;
    let notice = {
        let live = state.live.read().map_err(poisoned)?;
        let registry = live.checker.registry();
        if !registry.knows_org(&slug) {
            return Err(ApiError::NotFound(format!(
                "no organisation {slug} is registered"
            )));
        }
        registry
            .statements(&slug, at, Some(StatementType::Notice))
            .into_iter()
            .filter(|(_, status)| *status == Status::Active)
            .max_by_key(|(entry, _)| (entry.statement.common.effective_from, entry.index))
    };
    let Some((entry, status)) = notice else {
        return Err(ApiError::NotFound(format!(
            "organisation {slug} has no notice in force"
        )));
    };
    let envelope = state
        .store
        .envelopes(&[entry.index])
        .await?
        .pop()
        .ok_or_else(|| ApiError::Internal(format!("entry {} is not stored", entry.index)))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(item(&entry, status, envelope)?))
}

fn item(entry: &Entry, status: Status, envelope: Vec<u8>) -> Result<StatementItem, ApiError> {
    let text = String::from_utf8(envelope)
        .map_err(|_| ApiError::Internal(format!("entry {} is not UTF-8", entry.index)))?;
    let envelope = serde_json::value::RawValue::from_string(text)
        .map_err(|e| ApiError::Internal(format!("entry {}: {e}", entry.index)))?;
    Ok(StatementItem {
        id: entry.statement.common.id.to_string(),
        kind: entry.statement.kind(),
        status,
        log_index: entry.index,
        leaf_hash: hex(&entry.leaf_hash),
        accepted_at: entry.accepted_at,
        signed_by: entry.signers.iter().map(ToString::to_string).collect(),
        statement: entry.statement.clone(),
        envelope,
    })
}

/// The largest contact check body: six identifiers of at most 512 characters, with room for
/// escapes.
const MAX_CHECK_BYTES: usize = 16 * 1024;

async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    let mut keys: Vec<Jwk> = state
        .keys
        .published()
        .iter()
        .map(|k| Jwk::ed25519(&k.jwk(), k.id().as_str()))
        .collect();
    keys.reverse();
    HttpResponse::Ok()
        // Short, so that a verifier holding the set sees a rotated key soon after a restart.
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(Jwks { keys })
}

/// The JSON body of a check, with serde's message (which names an unknown field) on failure.
pub(super) fn parse_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request(
            Code::EMPTY_BODY,
            "the body is empty; send a JSON object",
        ));
    }
    // serde would also read a struct from an array of its fields in order; only objects are
    // requests.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request(
            Code::INVALID_JSON,
            "the body must be a JSON object",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        let code = if e.to_string().starts_with("unknown field") {
            Code::UNKNOWN_FIELD
        } else {
            Code::INVALID_JSON
        };
        ApiError::bad_request(code, format!("the body is not a valid request: {e}"))
    })
}

#[tracing::instrument(skip_all)]
async fn check_contact(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_json_body(&req)?;
    let body = read_body(payload, MAX_CHECK_BYTES, state.body_deadline).await?;
    let query: ContactQuery = parse_json(&body)?;
    state.contact.fresh()?;
    let subject = crypto::canonicalize_sorted(&query)
        .map_err(|e| ApiError::Internal(format!("cannot canonicalise a request: {e}")))?;
    let now = state.clock.now();
    let (findings, log) = {
        let live = state.live.read().map_err(poisoned)?;
        // Never a verdict from a log that refuses to sign: its register may be rolled back.
        let log = log_state(&live)?;
        let findings =
            check::check_contact(live.checker.registry(), live.checker.index(), &query, now)?;
        (findings, log)
    };
    signed_verdict(
        &state,
        Subject {
            iss: state.issuer.clone(),
            jti: new_jti(now),
            now,
            org: query.org.clone(),
            check: "contact",
            subject_sha256: hex(&crypto::sha256(&subject)),
            as_of: query.as_of.unwrap_or(now),
            log,
        },
        findings,
    )
}

/// The checkpoint a verdict is decided against, or [`ApiError::LogHalted`].
pub(super) fn log_state(live: &Live) -> Result<LogState, ApiError> {
    let signed = &live.signed()?.checkpoint;
    Ok(LogState {
        origin: signed.origin.clone(),
        size: signed.size,
        root: base64::engine::general_purpose::STANDARD.encode(signed.root),
    })
}

/// Signs the verdict of `findings` and answers `{"verdict": ..., "claims": ...}` (a
/// `CheckResponse`), with the claims exactly as signed: the token is base64url and dots, and the
/// payload is JSON, so nothing needs escaping.
pub(super) fn signed_verdict(
    state: &AppState,
    subject: Subject,
    findings: check::Findings,
) -> Result<HttpResponse, ApiError> {
    let claims = VerdictClaims::new(subject, findings);
    state
        .metrics
        .verdict(&claims.check, claims.outcome.as_str());
    // What was checked stays out of the logs: only its hash, which the verdict names too.
    tracing::debug!(
        check = %claims.check,
        outcome = claims.outcome.as_str(),
        subject_sha256 = %claims.subject_sha256,
        "verdict signed"
    );
    let (verdict, payload) = claims
        .sign_keeping_payload(state.keys.current())
        .map_err(|e| ApiError::Internal(format!("cannot sign a verdict: {e}")))?;
    let mut body = Vec::with_capacity(verdict.len() + payload.len() + 32);
    body.extend_from_slice(br#"{"verdict":""#);
    body.extend_from_slice(verdict.as_bytes());
    body.extend_from_slice(br#"","claims":"#);
    body.extend_from_slice(&payload);
    body.push(b'}');
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}

/// A UUIDv7: the time, then random bits, so verdict ids sort by time and never repeat.
pub(super) fn new_jti(now: Timestamp) -> String {
    let millis = u64::try_from(now.datetime().unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    let random: [u8; 10] = rand::random();
    uuid::Builder::from_unix_timestamp_millis(millis, &random)
        .into_uuid()
        .to_string()
}

pub(super) fn require_json_body(req: &HttpRequest) -> Result<(), ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(format!(
            "Content-Type {content_type:?} is not read here; send application/json"
        )))
    }
}
