//! `POST /v1/checks/agreement`: a document, raw or as the multipart field `file`, checked
//! against the organisation's statements and answered with a signed verdict.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt as _;
use serde::Deserialize;

use super::routes::{log_state, new_jti, signed_verdict};
use super::{ApiError, AppState, Code, poisoned};
use crate::check::verdict::Subject;
use crate::check::{self, AgreementQuery};
use crate::crypto::{self, hex};
use crate::document::DocumentError;
use crate::document::worker::WorkerError;
use crate::domain::Timestamp;

/// The query: `org` (required), `action` and `as_of`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Query {
    org: Option<String>,
    action: Option<String>,
    as_of: Option<String>,
}

/// Reads the document: the multipart field `file` (a browser form), or else the whole body,
/// whatever its declared type (the bytes decide what it is).
async fn document(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
    deadline: std::time::Duration,
) -> Result<web::Bytes, ApiError> {
    tokio::time::timeout(deadline, document_body(req, payload, limit))
        .await
        .unwrap_or(Err(ApiError::RequestTimeout(deadline.as_secs())))
}

/// Reads a raw body into one buffer of the size its `Content-Length` declares, so that a
/// document costs its own size in memory rather than the doubling growth of a buffer that does
/// not know it (8 MiB for a 5 MiB upload, with a copy at each step); a declared length over the
/// limit is refused before a byte is read. At most `--document-uploads` bodies are read at once
/// (the caller holds an admission). A body longer than it declared still stops at the
/// limit.
async fn read_sized(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<web::Bytes, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    // Reserved when the first bytes arrive, not before: a client that declares a length and
    // sends nothing holds no memory while it waits for the deadline.
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(Code::INVALID_BODY, format!("cannot read the body: {e}"))
        })?;
        if body.len().saturating_add(chunk.len()) > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        if body.capacity() == 0 {
            body.reserve(declared.unwrap_or(64 * 1024).max(chunk.len()).min(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

async fn document_body(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<web::Bytes, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
    {
        return read_sized(req, payload, limit).await;
    }
    let mut form = actix_multipart::Multipart::new(req.headers(), payload);
    // Other fields are read and dropped, but count against the limit too.
    let mut skipped = 0usize;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| {
            ApiError::bad_request(
                Code::INVALID_MULTIPART,
                format!("the form does not read: {e}"),
            )
        })?;
        if field.name() != Some("file") {
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| {
                    ApiError::bad_request(
                        Code::INVALID_MULTIPART,
                        format!("the form does not read: {e}"),
                    )
                })?;
                skipped = skipped.saturating_add(chunk.len());
                if skipped > limit {
                    return Err(ApiError::PayloadTooLarge(limit));
                }
            }
            continue;
        }
        return match field.bytes(limit).await {
            Ok(Ok(bytes)) => Ok(bytes),
            Ok(Err(e)) => Err(ApiError::bad_request(
                Code::INVALID_MULTIPART,
                format!("the file field does not read: {e}"),
            )),
            Err(_) => Err(ApiError::PayloadTooLarge(limit)),
        };
    }
    Err(ApiError::bad_request(
        Code::MISSING_FILE,
        "the form has no field named file",
    ))
}

#[tracing::instrument(skip_all)]
pub(super) async fn check_agreement(
    req: HttpRequest,
    query: web::Query<Query>,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state.contact.fresh()?;
    let query = query.into_inner();
    let org = query.org.filter(|o| !o.is_empty()).ok_or_else(|| {
        ApiError::bad_request(
            Code::MISSING_ORG,
            "give the organisation: POST /v1/checks/agreement?org=<slug>",
        )
    })?;
    let as_of = query
        .as_of
        .as_deref()
        .map(Timestamp::parse)
        .transpose()
        .map_err(|e| ApiError::bad_request(Code::INVALID_QUERY, format!("as_of: {e}")))?;
    let query = AgreementQuery {
        org,
        action: query.action,
        as_of,
    };
    // Refused before a byte of the body is read: an unknown organisation, a bad action or
    // `as_of`, and then more uploads at once than are admitted.
    {
        let live = state.live.read().map_err(poisoned)?;
        check::check_agreement_query(live.checker.registry(), &query, state.clock.now())?;
    }
    let _admitted = state.worker.admit().await.map_err(|e| match e {
        WorkerError::Busy => ApiError::Busy(e.to_string()),
        WorkerError::Failed(_) => ApiError::Internal(e.to_string()),
    })?;
    let limit = state.worker.limits().max_bytes;
    let bytes = document(&req, payload, limit, state.body_deadline).await?;
    if bytes.is_empty() {
        return Err(ApiError::bad_request(
            Code::EMPTY_BODY,
            "the body is empty; send the agreement (PDF, DOCX or text)",
        ));
    }
    let sha256 = crypto::sha256(&bytes);
    let now = state.clock.now();
    let subject = |log| Subject {
        iss: state.issuer.clone(),
        jti: new_jti(now),
        now,
        org: query.org.clone(),
        check: "agreement",
        subject_sha256: hex(&sha256),
        as_of: query.as_of.unwrap_or(now),
        log,
    };
    // A registered genuine document needs no reading at all.
    let genuine = {
        let live = state.live.read().map_err(poisoned)?;
        let log = log_state(&live)?;
        check::check_genuine(live.checker.registry(), &query, &sha256, now)?
            .map(|findings| (findings, log))
    };
    if let Some((findings, log)) = genuine {
        return signed_verdict(&state, subject(log), findings);
    }
    let extracted = state
        .worker
        .extract(&bytes)
        .await
        .map_err(|e| match e {
            WorkerError::Busy => ApiError::Busy(e.to_string()),
            WorkerError::Failed(_) => ApiError::Internal(e.to_string()),
        })?
        .map_err(ApiError::Document)?;
    // The rules read the whole text: on the blocking pool, so that a long document never holds
    // up the threads that answer contact checks.
    let (shared, asked) = (state.clone(), query.clone());
    let (findings, log) = web::block(move || -> Result<_, ApiError> {
        let live = shared.live.read().map_err(poisoned)?;
        let log = log_state(&live)?;
        let findings = check::check_agreement(
            live.checker.registry(),
            live.checker.index(),
            &asked,
            &extracted,
            now,
        )?;
        Ok((findings, log))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the agreement check failed: {e}")))??;
    signed_verdict(&state, subject(log), findings)
}

/// The status and code for a document that could not be read.
pub(super) fn document_status(error: &DocumentError) -> (actix_web::http::StatusCode, Code) {
    use actix_web::http::StatusCode;
    match error {
        DocumentError::Empty => (StatusCode::BAD_REQUEST, Code::EMPTY_BODY),
        DocumentError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, Code::PAYLOAD_TOO_LARGE),
        DocumentError::Unsupported(_) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Code::UNSUPPORTED_DOCUMENT,
        ),
        DocumentError::Damaged(..) => (StatusCode::UNPROCESSABLE_ENTITY, Code::UNREADABLE_DOCUMENT),
        DocumentError::OverLimit(..) => {
            (StatusCode::UNPROCESSABLE_ENTITY, Code::DOCUMENT_OVER_LIMIT)
        }
        DocumentError::Timeout(_) => (StatusCode::UNPROCESSABLE_ENTITY, Code::DOCUMENT_TIMEOUT),
    }
}
