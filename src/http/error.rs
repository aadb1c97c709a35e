//! The one place where errors become HTTP responses.
//!
//! Every error leaves as the envelope `{"error": {"code", "message"}}` with a fixed status per
//! variant. Client mistakes get a 4xx and a message naming the problem; server faults get an
//! opaque 500 or 503 body while the cause goes to the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

use crate::api::{ErrorBody, ErrorDetail};
use crate::check::{CheckError, Field};
use crate::crypto::JwsError;
use crate::document::DocumentError;
use crate::registry::{AdmitError, Status};
use crate::store::StoreError;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, bad query parameter, missing field).
    #[error("{message}")]
    BadRequest {
        /// The code.
        code: &'static str,
        /// The message.
        message: String,
    },
    /// A statement was refused.
    #[error(transparent)]
    Admit(#[from] AdmitError),
    /// A check could not be answered (unknown organisation, unreadable input).
    #[error(transparent)]
    Check(#[from] CheckError),
    /// No such resource.
    #[error("{0}")]
    NotFound(String),
    /// The body is over the limit.
    #[error("the request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The body's type is not one this endpoint reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The method is not allowed on this path.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body did not arrive in time (a slow or stalled upload).
    #[error("the request body did not arrive within {0} s; send it again")]
    RequestTimeout(u64),
    /// The service is too busy for this request now; the client may retry.
    #[error("{0}")]
    Busy(String),
    /// This client sent more requests of this kind than its rate allows; it may retry after
    /// this many seconds.
    #[error("too many requests from this client; retry after {0} s")]
    RateLimited(u64),
    /// An uploaded document could not be read (its type, size, damage or a safety limit).
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// The store failed; the client may retry.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The log refuses to sign (it found the data rolled back or altered at start); the reason is
    /// the operators' and the public's to see.
    #[error("the log refuses to append or sign: {0}")]
    LogHalted(String),
    /// This replica lost the log's database longer ago than its staleness bound, so its answers
    /// may be out of date; the reason is shown.
    #[error("{0}")]
    Stale(String),
    /// Something that should not happen did; the details are logged, not sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 400 with this code and message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest { code, .. } => code,
            Self::Admit(e) => admit_code(e),
            Self::Check(e) => check_code(e),
            Self::NotFound(_) => "not_found",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Store(_) => "unavailable",
            Self::LogHalted(_) => "log_halted",
            Self::Stale(_) => "stale",
            Self::Busy(_) => "busy",
            Self::RateLimited(_) => "rate_limited",
            Self::RequestTimeout(_) => "request_timeout",
            Self::Document(e) => super::agreement::document_status(e).1,
            Self::Internal(_) => "internal",
        }
    }
}

fn admit_code(error: &AdmitError) -> &'static str {
    match error {
        AdmitError::Envelope(JwsError::UnsupportedAlgorithm(_)) => "unsupported_algorithm",
        AdmitError::Envelope(JwsError::WrongType { .. }) => "wrong_type",
        AdmitError::Envelope(JwsError::BadSignature(_)) | AdmitError::BadSignature(_) => {
            "bad_signature"
        }
        AdmitError::Envelope(JwsError::UnknownKey(_)) | AdmitError::UnknownKey(_) => "unknown_key",
        AdmitError::Envelope(JwsError::Malformed(_)) => "malformed_jws",
        AdmitError::NotCanonical => "not_canonical",
        AdmitError::InvalidStatement(_) => "invalid_statement",
        AdmitError::NoSignatures => "no_signatures",
        AdmitError::UnknownOrg(_) => "unknown_org",
        AdmitError::OrgExists { .. } => "org_exists",
        AdmitError::UnknownTarget { .. } => "unknown_target",
        AdmitError::InvalidTarget(_) => "invalid_target",
        AdmitError::InvalidKey(_) => "invalid_key",
        AdmitError::IssuedInFuture(_) => "issued_in_future",
        AdmitError::ForeignKey { .. } => "foreign_key",
        AdmitError::WrongSigner { .. } => "wrong_signer",
        AdmitError::MissingRole { .. } => "missing_role",
        AdmitError::KeyNotInForce { status, .. } => match status {
            Status::Expired => "key_expired",
            Status::Revoked => "key_revoked",
            _ => "key_not_in_force",
        },
        AdmitError::ThresholdNotMet { .. } => "threshold_not_met",
        AdmitError::DuplicateId(_) => "duplicate_id",
    }
}

fn check_code(error: &CheckError) -> &'static str {
    match error {
        CheckError::UnknownOrg(_) => "unknown_org",
        CheckError::NoIdentifier => "no_identifier",
        CheckError::Action(_) => "invalid_action",
        CheckError::FutureAsOf => "invalid_as_of",
        CheckError::TooMuchToCheck(_) => "document_over_limit",
        CheckError::EmptyMessage => "empty_message",
        CheckError::MessageTooLong => "payload_too_large",
        CheckError::Input { field, .. } => match field {
            Field::Name => "invalid_name",
            Field::Phone => "invalid_phone",
            Field::Email => "invalid_email",
            Field::Website => "invalid_website",
            Field::BankAccount => "invalid_bank_account",
            Field::Company => "invalid_company",
            Field::Document | Field::Fee | Field::Signer | Field::Message => "invalid_input",
        },
    }
}

fn admit_status(error: &AdmitError) -> StatusCode {
    match error {
        // The request is not a well-formed statement at all.
        AdmitError::Envelope(
            JwsError::Malformed(_) | JwsError::UnsupportedAlgorithm(_) | JwsError::WrongType { .. },
        )
        | AdmitError::NotCanonical
        | AdmitError::InvalidStatement(_)
        | AdmitError::NoSignatures => StatusCode::BAD_REQUEST,
        // Well formed, but its signatures do not authorise it (azul's rule: untrusted or invalid
        // signature is 403, malformed is 400).
        AdmitError::Envelope(JwsError::BadSignature(_) | JwsError::UnknownKey(_))
        | AdmitError::BadSignature(_)
        | AdmitError::UnknownKey(_)
        | AdmitError::ForeignKey { .. }
        | AdmitError::WrongSigner { .. }
        | AdmitError::MissingRole { .. }
        | AdmitError::KeyNotInForce { .. }
        | AdmitError::ThresholdNotMet { .. } => StatusCode::FORBIDDEN,
        AdmitError::DuplicateId(_) | AdmitError::OrgExists { .. } => StatusCode::CONFLICT,
        // Signed well, but says something the register cannot take.
        AdmitError::UnknownOrg(_)
        | AdmitError::UnknownTarget { .. }
        | AdmitError::InvalidTarget(_)
        | AdmitError::InvalidKey(_)
        | AdmitError::IssuedInFuture(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Admit(e) => admit_status(e),
            Self::Check(CheckError::UnknownOrg(_)) => StatusCode::NOT_FOUND,
            Self::Check(CheckError::TooMuchToCheck(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Check(CheckError::MessageTooLong) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Check(_) => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Store(_) | Self::LogHalted(_) | Self::Busy(_) | Self::Stale(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            Self::Document(e) => super::agreement::document_status(e).0,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let message = if let Self::Stale(_) = self {
            // Expected while the database is away; one line per refusal at warn, not error.
            tracing::warn!(error.code = self.code(), error.cause = %self, "request refused");
            self.to_string()
        } else if let Self::LogHalted(_) = self {
            // A deliberate state, not a fault: say why, so that users know not to trust answers.
            tracing::error!(error.code = self.code(), error.cause = %self, "request refused");
            self.to_string()
        } else if status.is_server_error() {
            tracing::error!(error.code = self.code(), error.cause = %self, "request failed");
            match status {
                StatusCode::SERVICE_UNAVAILABLE => {
                    "the service is temporarily unavailable; try again later".to_owned()
                }
                _ => "internal error".to_owned(),
            }
        } else {
            self.to_string()
        };
        let mut response = HttpResponse::build(status);
        if let Self::Busy(_) = self {
            // Busy is a moment's load: say when to come back.
            response.insert_header((actix_web::http::header::RETRY_AFTER, "1"));
        }
        if let Self::RateLimited(seconds) = self {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        if matches!(
            self,
            Self::RequestTimeout(_)
                | Self::Busy(_)
                | Self::PayloadTooLarge(_)
                | Self::RateLimited(_)
        ) {
            // The rest of the body is not read: close rather than drain it, so that a flood of
            // refused uploads costs no more than their refusals.
            response.force_close();
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message,
            },
        })
    }
}
