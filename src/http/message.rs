//! `POST /v1/checks/message`: a pasted chat or SMS message (`{"org", "text", "action"?,
//! "as_of"?}` in JSON) read with the agreement rules and answered with a signed verdict whose
//! subject is the SHA-256 of the text's UTF-8 bytes.

use actix_web::{HttpRequest, HttpResponse, web};

use super::routes::{log_state, new_jti, parse_json, read_body, require_json_body, signed_verdict};
use super::{ApiError, AppState, poisoned};
use crate::check::verdict::Subject;
use crate::check::{self, CheckError, MAX_MESSAGE_BYTES, MessageQuery};
use crate::crypto::{self, hex};

/// The largest message check body. JSON escapes a byte of text in at most six bytes (`\u0000`
/// for a control character; a four-byte character escaped as a surrogate pair takes twelve), so
/// six times the longest message always fits, with 4 KiB for the other members and white space.
/// A text that fits here but is longer than [`MAX_MESSAGE_BYTES`] is refused by the check, with
/// the same 413.
pub(super) const MAX_MESSAGE_BODY_BYTES: usize = 6 * MAX_MESSAGE_BYTES + 4 * 1024;

#[tracing::instrument(skip_all)]
pub(super) async fn check_message(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    require_json_body(&req)?;
    let body = read_body(payload, MAX_MESSAGE_BODY_BYTES, state.body_deadline).await?;
    let query: MessageQuery = parse_json(&body)?;
    // Refused before anything is hashed or read; the check says the same.
    if query.text.len() > MAX_MESSAGE_BYTES {
        return Err(CheckError::MessageTooLong.into());
    }
    state.contact.fresh()?;
    let now = state.clock.now();
    let subject_sha256 = hex(&crypto::sha256(query.text.as_bytes()));
    let (org, as_of) = (query.org.clone(), query.as_of.unwrap_or(now));
    // The rules read up to 64 KiB of text: on the blocking pool, as agreements are, so that a
    // long message never holds up the threads that answer contact checks.
    let shared = state.clone();
    let (findings, log) = web::block(move || -> Result<_, ApiError> {
        let live = shared.live.read().map_err(poisoned)?;
        // Never a verdict from a log that refuses to sign: its register may be rolled back.
        let log = log_state(&live)?;
        let findings =
            check::check_message(live.checker.registry(), live.checker.index(), &query, now)?;
        Ok((findings, log))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("the message check failed: {e}")))??;
    signed_verdict(
        &state,
        Subject {
            iss: state.issuer.clone(),
            jti: new_jti(now),
            now,
            org,
            check: "message",
            subject_sha256,
            as_of,
            log,
        },
        findings,
    )
}
