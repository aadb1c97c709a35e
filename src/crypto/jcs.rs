//! RFC 8785 JSON Canonicalization Scheme.
//!
//! `serde_json` alone is not canonical (it writes `1.0` for JCS's `1` and sorts keys by UTF-8, not
//! UTF-16). `serde_jcs` implements the scheme; the RFC's own test data checks it in
//! `tests/crypto_vectors.rs`.

/// Why a value could not be canonicalised.
#[derive(Debug, thiserror::Error)]
#[error("cannot canonicalise JSON: {0}")]
pub struct JcsError(String);

/// The RFC 8785 canonical bytes of `value`.
pub fn canonicalize<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JcsError> {
    serde_jcs::to_vec(value).map_err(|e| JcsError(e.to_string()))
}

/// The RFC 8785 bytes of a value whose serialisation is canonical by construction: every map
/// key is written in lexicographic order (struct fields declared sorted, no maps with other
/// keys) and every number is an integer within ±2^53 (I-JSON; larger ones JCS writes as
/// doubles). serde_json then writes exactly what JCS would, without the
/// buffering and sorting `serde_jcs` does for arbitrary values; a debug assertion and the tests
/// of the callers' types hold the two equal.
pub fn canonicalize_sorted<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, JcsError> {
    let bytes = serde_json::to_vec(value).map_err(|e| JcsError(e.to_string()))?;
    debug_assert!(
        is_canonical(&bytes),
        "a value serialised out of canonical order"
    );
    Ok(bytes)
}

/// Whether `bytes` are exactly the canonical form of the JSON they hold.
pub fn is_canonical(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|value| canonicalize(&value).ok())
        .is_some_and(|canonical| canonical == bytes)
}
