//! Cryptography: digests, Ed25519 keys, JWK thumbprints, JWS and canonical JSON.
//!
//! This module is the only user of `ed25519-dalek` and `sha2`. It is pure: keys are generated from
//! an RNG the caller passes, nothing reads a clock, nothing touches a file.
//!
//! - Keys are identified by their RFC 7638 JWK thumbprint ([`KeyId`]).
//! - Signatures are verified strictly (RFC 8032 with canonical `S` and no small-order keys).
//! - JWS headers are fixed: `alg` is `EdDSA` (RFC 8037) or `Ed25519` (RFC 9864), `kid` names a key
//!   the verifier already holds, `typ` is what the verifier expects; nothing else is accepted, so a
//!   key can never come from a header.

mod jcs;
mod jws;
mod keys;

pub use self::jcs::{JcsError, canonicalize, canonicalize_sorted, is_canonical};
pub use self::jws::{
    GeneralJws, JwsError, JwsHeader, JwsSignature, MAX_SIGNATURES, STATEMENT_TYP, VERDICT_TYP,
    sign_compact, verify_compact,
};
pub use self::keys::{
    KeyError, KeyId, PRIVATE_KEY_PREFIX, SigningKey, VerifyingKey, parse_public_key_file,
    public_key_file,
};

use sha2::Digest as _;

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

/// SHA-256 over several parts, as if they were concatenated.
pub fn sha256_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = sha2::Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The Subresource Integrity value of `data`: `sha384-` and the standard base64 of its SHA-384
/// (W3C SRI, the strongest hash every browser accepts).
pub fn sri_sha384(data: &[u8]) -> String {
    use base64::Engine as _;
    let digest = sha2::Sha384::digest(data);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}
