//! Helpers for the test binaries that read known-answer vectors from `tests/fixtures`; each
//! includes this module with `mod common;`.

use serde_json::Value;

/// Decodes a hex string.
pub(crate) fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// A SHA-256 hash given in the vectors as a hex string.
pub(crate) fn hash(value: &Value) -> [u8; 32] {
    unhex(value.as_str().expect("a hex string"))
        .try_into()
        .expect("32 bytes")
}
