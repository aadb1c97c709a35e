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

/// A stable error code of the envelope. Every code the API answers with is one of these
/// constants, so that [`Code::ALL`] is the whole list (the OpenAPI description is tested against
/// it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Code(&'static str);

impl Code {
    /// The code as sent.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

macro_rules! codes {
    ($($name:ident = $code:literal,)*) => {
        impl Code {
            $(
                #[doc = concat!("`", $code, "`")]
                pub const $name: Code = Code($code);
            )*
            /// Every code, in the order of the OpenAPI description.
            pub const ALL: &'static [Code] = &[$(Code::$name),*];
        }
    };
}

codes! {
    INVALID_QUERY = "invalid_query",
    INVALID_PATH = "invalid_path",
    INVALID_BODY = "invalid_body",
    EMPTY_BODY = "empty_body",
    INVALID_JSON = "invalid_json",
    UNKNOWN_FIELD = "unknown_field",
    INVALID_MULTIPART = "invalid_multipart",
    MISSING_FILE = "missing_file",
    MISSING_ORG = "missing_org",
    MALFORMED_JWS = "malformed_jws",
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm",
    WRONG_TYPE = "wrong_type",
    NOT_CANONICAL = "not_canonical",
    INVALID_STATEMENT = "invalid_statement",
    NO_SIGNATURES = "no_signatures",
    NO_IDENTIFIER = "no_identifier",
    INVALID_ACTION = "invalid_action",
    INVALID_AS_OF = "invalid_as_of",
    EMPTY_MESSAGE = "empty_message",
    INVALID_NAME = "invalid_name",
    INVALID_PHONE = "invalid_phone",
    INVALID_EMAIL = "invalid_email",
    INVALID_WEBSITE = "invalid_website",
    INVALID_BANK_ACCOUNT = "invalid_bank_account",
    INVALID_COMPANY = "invalid_company",
    INVALID_PROJECT = "invalid_project",
    INVALID_DEPARTMENT = "invalid_department",
    INVALID_INPUT = "invalid_input",
    BAD_SIGNATURE = "bad_signature",
    UNKNOWN_KEY = "unknown_key",
    FOREIGN_KEY = "foreign_key",
    WRONG_SIGNER = "wrong_signer",
    MISSING_ROLE = "missing_role",
    KEY_EXPIRED = "key_expired",
    KEY_REVOKED = "key_revoked",
    KEY_NOT_IN_FORCE = "key_not_in_force",
    THRESHOLD_NOT_MET = "threshold_not_met",
    NOT_FOUND = "not_found",
    UNKNOWN_ORG = "unknown_org",
    METHOD_NOT_ALLOWED = "method_not_allowed",
    REQUEST_TIMEOUT = "request_timeout",
    DUPLICATE_ID = "duplicate_id",
    ORG_EXISTS = "org_exists",
    PAYLOAD_TOO_LARGE = "payload_too_large",
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type",
    UNSUPPORTED_DOCUMENT = "unsupported_document",
    UNKNOWN_TARGET = "unknown_target",
    INVALID_TARGET = "invalid_target",
    UNKNOWN_REFERENCE = "unknown_reference",
    CONTRADICTS_REGISTER = "contradicts_register",
    INVALID_KEY = "invalid_key",
    ISSUED_IN_FUTURE = "issued_in_future",
    DOCUMENT_OVER_LIMIT = "document_over_limit",
    UNREADABLE_DOCUMENT = "unreadable_document",
    DOCUMENT_TIMEOUT = "document_timeout",
    RATE_LIMITED = "rate_limited",
    INTERNAL = "internal",
    UNAVAILABLE = "unavailable",
    LOG_HALTED = "log_halted",
    BUSY = "busy",
    STALE = "stale",
}

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, bad query parameter, missing field).
    #[error("{message}")]
    BadRequest {
        /// The code.
        code: Code,
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
    /// The method is not allowed on this path, which takes these (the `Allow` header's value).
    #[error("method not allowed; this path takes {0}")]
    MethodNotAllowed(&'static str),
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
    pub fn bad_request(code: Code, message: impl Into<String>) -> Self {
        Self::BadRequest {
            code,
            message: message.into(),
        }
    }

    /// The stable error code.
    pub fn code(&self) -> Code {
        match self {
            Self::BadRequest { code, .. } => *code,
            Self::Admit(e) => admit_code(e),
            Self::Check(e) => check_code(e),
            Self::NotFound(_) => Code::NOT_FOUND,
            Self::PayloadTooLarge(_) => Code::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => Code::UNSUPPORTED_MEDIA_TYPE,
            Self::MethodNotAllowed(_) => Code::METHOD_NOT_ALLOWED,
            Self::Store(_) => Code::UNAVAILABLE,
            Self::LogHalted(_) => Code::LOG_HALTED,
            Self::Stale(_) => Code::STALE,
            Self::Busy(_) => Code::BUSY,
            Self::RateLimited(_) => Code::RATE_LIMITED,
            Self::RequestTimeout(_) => Code::REQUEST_TIMEOUT,
            Self::Document(e) => super::agreement::document_status(e).1,
            Self::Internal(_) => Code::INTERNAL,
        }
    }
}

fn admit_code(error: &AdmitError) -> Code {
    match error {
        AdmitError::Envelope(JwsError::UnsupportedAlgorithm(_)) => Code::UNSUPPORTED_ALGORITHM,
        AdmitError::Envelope(JwsError::WrongType { .. }) => Code::WRONG_TYPE,
        AdmitError::Envelope(JwsError::BadSignature(_)) | AdmitError::BadSignature(_) => {
            Code::BAD_SIGNATURE
        }
        AdmitError::Envelope(JwsError::UnknownKey(_)) | AdmitError::UnknownKey(_) => {
            Code::UNKNOWN_KEY
        }
        AdmitError::Envelope(JwsError::Malformed(_)) => Code::MALFORMED_JWS,
        AdmitError::NotCanonical => Code::NOT_CANONICAL,
        AdmitError::InvalidStatement(_) => Code::INVALID_STATEMENT,
        AdmitError::NoSignatures => Code::NO_SIGNATURES,
        AdmitError::UnknownOrg(_) => Code::UNKNOWN_ORG,
        AdmitError::OrgExists { .. } => Code::ORG_EXISTS,
        AdmitError::UnknownTarget { .. } => Code::UNKNOWN_TARGET,
        AdmitError::InvalidTarget(_) => Code::INVALID_TARGET,
        AdmitError::InvalidKey(_) => Code::INVALID_KEY,
        AdmitError::IssuedInFuture(_) => Code::ISSUED_IN_FUTURE,
        AdmitError::ForeignKey { .. } => Code::FOREIGN_KEY,
        AdmitError::WrongSigner { .. } => Code::WRONG_SIGNER,
        AdmitError::MissingRole { .. } => Code::MISSING_ROLE,
        AdmitError::KeyNotInForce { status, .. } => match status {
            Status::Expired => Code::KEY_EXPIRED,
            Status::Revoked => Code::KEY_REVOKED,
            _ => Code::KEY_NOT_IN_FORCE,
        },
        AdmitError::ThresholdNotMet { .. } => Code::THRESHOLD_NOT_MET,
        AdmitError::DuplicateId(_) => Code::DUPLICATE_ID,
        AdmitError::Contradicts(_) => Code::CONTRADICTS_REGISTER,
        AdmitError::UnknownReference(_) => Code::UNKNOWN_REFERENCE,
    }
}

fn check_code(error: &CheckError) -> Code {
    match error {
        CheckError::UnknownOrg(_) => Code::UNKNOWN_ORG,
        CheckError::NoIdentifier => Code::NO_IDENTIFIER,
        CheckError::Action(_) => Code::INVALID_ACTION,
        CheckError::FutureAsOf => Code::INVALID_AS_OF,
        CheckError::TooMuchToCheck(_) => Code::DOCUMENT_OVER_LIMIT,
        CheckError::EmptyMessage => Code::EMPTY_MESSAGE,
        CheckError::MessageTooLong => Code::PAYLOAD_TOO_LARGE,
        CheckError::Input { field, .. } => match field {
            Field::Name => Code::INVALID_NAME,
            Field::Phone => Code::INVALID_PHONE,
            Field::Email => Code::INVALID_EMAIL,
            Field::Website => Code::INVALID_WEBSITE,
            Field::BankAccount => Code::INVALID_BANK_ACCOUNT,
            Field::Company => Code::INVALID_COMPANY,
            Field::Project => Code::INVALID_PROJECT,
            Field::Department => Code::INVALID_DEPARTMENT,
            Field::Document | Field::Fee | Field::Signer | Field::Message | Field::Practice => {
                Code::INVALID_INPUT
            }
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
        | AdmitError::IssuedInFuture(_)
        | AdmitError::Contradicts(_)
        | AdmitError::UnknownReference(_) => StatusCode::UNPROCESSABLE_ENTITY,
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
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
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
            tracing::warn!(error.code = self.code().as_str(), error.cause = %self, "request refused");
            self.to_string()
        } else if let Self::LogHalted(_) = self {
            // A deliberate state, not a fault: say why, so that users know not to trust answers.
            tracing::error!(error.code = self.code().as_str(), error.cause = %self, "request refused");
            self.to_string()
        } else if status.is_server_error() {
            tracing::error!(error.code = self.code().as_str(), error.cause = %self, "request failed");
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
        if let Self::MethodNotAllowed(allow) = self {
            response.insert_header((actix_web::http::header::ALLOW, *allow));
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
                code: self.code().as_str().to_owned(),
                message,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::Code;

    /// The committed OpenAPI description names exactly the codes the API can answer with.
    #[test]
    fn the_openapi_description_lists_every_error_code_and_no_other() {
        let spec: serde_json::Value =
            serde_json::from_str(include_str!("openapi.json")).expect("the spec is JSON");
        let listed: BTreeSet<&str> = spec["components"]["schemas"]["ErrorCode"]["oneOf"]
            .as_array()
            .expect("ErrorCode is a oneOf")
            .iter()
            .map(|c| c["const"].as_str().expect("each code is a const"))
            .collect();
        let answered: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(answered.len(), Code::ALL.len(), "a code is listed twice");
        assert_eq!(listed, answered);
    }
}
