//! JSON Web Signatures with Ed25519: the compact serialization for verdicts and the general JSON
//! serialization (RFC 7515 section 7.2.1) for statements, which several staff sign in turn.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::keys::{KeyId, SigningKey, VerifyingKey};

/// `typ` of a statement signature.
pub const STATEMENT_TYP: &str = "bonafide-statement+json";

/// `typ` of a verdict.
pub const VERDICT_TYP: &str = "bonafide-verdict+jwt";

/// The most signatures one statement may carry: every threshold fits, and verification stays cheap.
pub const MAX_SIGNATURES: usize = 16;

/// The algorithm names accepted: `EdDSA` (RFC 8037) and its fully specified successor `Ed25519`
/// (RFC 9864). The first is what bonafide writes.
const ACCEPTED_ALGS: [&str; 2] = ["EdDSA", "Ed25519"];

/// Why a JWS was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwsError {
    /// Not a JWS of the expected shape (JSON, base64url, lengths).
    #[error("malformed JWS: {0}")]
    Malformed(String),
    /// `alg` is missing or is not Ed25519.
    #[error("unsupported JWS algorithm {0:?}: only EdDSA (Ed25519) signatures are accepted")]
    UnsupportedAlgorithm(String),
    /// `typ` is not the one expected here.
    #[error("JWS typ is {found:?}, expected {expected:?}")]
    WrongType {
        /// The typ required.
        expected: &'static str,
        /// The typ found.
        found: String,
    },
    /// `kid` names no key the verifier holds.
    #[error("unknown signing key {0}")]
    UnknownKey(KeyId),
    /// The signature does not verify under the key its `kid` names.
    #[error("the signature by key {0} does not verify")]
    BadSignature(KeyId),
}

/// A protected header as bonafide accepts it: exactly `alg`, `kid` and `typ`. Members that could
/// carry a key (`jwk`, `jku`, `x5c`, ...) or change the rules (`crit`, `b64`) are refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwsHeader {
    /// `EdDSA` or `Ed25519`.
    pub alg: String,
    /// The signing key's thumbprint.
    pub kid: KeyId,
    /// What is signed.
    pub typ: String,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Strict unpadded base64url: no padding, no white space, no stray low bits in the last character.
fn unb64(field: &str, text: &str) -> Result<Vec<u8>, JwsError> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| JwsError::Malformed(format!("{field} is not unpadded base64url ({e})")))
}

fn parse_header(encoded: &str, expected_typ: &'static str) -> Result<JwsHeader, JwsError> {
    let bytes = unb64("protected header", encoded)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| JwsError::Malformed(format!("protected header is not JSON ({e})")))?;
    let alg = value.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if !ACCEPTED_ALGS.contains(&alg) {
        let shown = value
            .get("alg")
            .map_or_else(|| "(none)".into(), |a| a.to_string());
        return Err(JwsError::UnsupportedAlgorithm(
            shown.trim_matches('"').to_owned(),
        ));
    }
    let header: JwsHeader = serde_json::from_value(value)
        .map_err(|e| JwsError::Malformed(format!("protected header: {e}")))?;
    if header.typ != expected_typ {
        return Err(JwsError::WrongType {
            expected: expected_typ,
            found: header.typ,
        });
    }
    Ok(header)
}

fn header_for(key: &SigningKey, typ: &str) -> String {
    let header = JwsHeader {
        alg: "EdDSA".into(),
        kid: key.id().clone(),
        typ: typ.into(),
    };
    // A struct of strings always serialises.
    b64(&serde_json::to_vec(&header).unwrap_or_default())
}

fn signature_bytes(text: &str) -> Result<[u8; 64], JwsError> {
    let bytes = unb64("signature", text)?;
    <[u8; 64]>::try_from(bytes.as_slice()).map_err(|_| {
        JwsError::Malformed(format!(
            "an Ed25519 signature has 64 bytes, this has {}",
            bytes.len()
        ))
    })
}

/// Signs `payload` as a compact JWS with the header `{"alg":"EdDSA","kid":...,"typ":typ}`.
pub fn sign_compact(key: &SigningKey, typ: &str, payload: &[u8]) -> String {
    let input = format!("{}.{}", header_for(key, typ), b64(payload));
    let signature = key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature))
}

/// Verifies a compact JWS whose `typ` must be `expected_typ`, with the key that `resolve` returns
/// for its `kid`. Returns the header and the payload bytes.
pub fn verify_compact(
    token: &str,
    expected_typ: &'static str,
    resolve: impl FnOnce(&KeyId) -> Option<VerifyingKey>,
) -> Result<(JwsHeader, Vec<u8>), JwsError> {
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwsError::Malformed(
            "a compact JWS has three dot-separated parts".into(),
        ));
    };
    let parsed = parse_header(header, expected_typ)?;
    let payload_bytes = unb64("payload", payload)?;
    let signature = signature_bytes(signature)?;
    let key = resolve(&parsed.kid).ok_or_else(|| JwsError::UnknownKey(parsed.kid.clone()))?;
    let input_len = header.len() + 1 + payload.len();
    if !key.verify(&token.as_bytes()[..input_len], &signature) {
        return Err(JwsError::BadSignature(parsed.kid));
    }
    Ok((parsed, payload_bytes))
}

/// One signature of a general JWS, as on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwsSignature {
    /// The base64url protected header.
    pub protected: String,
    /// The base64url signature.
    pub signature: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGeneral {
    payload: String,
    signatures: Vec<JwsSignature>,
}

/// A JWS in the general JSON serialization: one payload, any number of signatures. Parsing checks
/// every header and the shape of every signature; [`GeneralJws::verify`] checks one signature
/// against a key the caller chose by `kid`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneralJws {
    raw: RawGeneral,
    payload: Vec<u8>,
    headers: Vec<JwsHeader>,
    signatures: Vec<[u8; 64]>,
}

impl GeneralJws {
    /// An unsigned JWS over `payload`.
    pub fn new(payload: &[u8]) -> Self {
        Self {
            raw: RawGeneral {
                payload: b64(payload),
                signatures: Vec::new(),
            },
            payload: payload.to_vec(),
            headers: Vec::new(),
            signatures: Vec::new(),
        }
    }

    /// Parses a general JWS whose signatures must all have `typ` `expected_typ`. No signature is
    /// verified here.
    pub fn parse(bytes: &[u8], expected_typ: &'static str) -> Result<Self, JwsError> {
        let raw: RawGeneral = serde_json::from_slice(bytes)
            .map_err(|e| JwsError::Malformed(format!("not a general JSON JWS: {e}")))?;
        if raw.signatures.len() > MAX_SIGNATURES {
            return Err(JwsError::Malformed(format!(
                "{} signatures; at most {MAX_SIGNATURES} are accepted",
                raw.signatures.len()
            )));
        }
        let payload = unb64("payload", &raw.payload)?;
        let mut headers = Vec::with_capacity(raw.signatures.len());
        let mut signatures = Vec::with_capacity(raw.signatures.len());
        for signature in &raw.signatures {
            headers.push(parse_header(&signature.protected, expected_typ)?);
            signatures.push(signature_bytes(&signature.signature)?);
        }
        Ok(Self {
            raw,
            payload,
            headers,
            signatures,
        })
    }

    /// The payload bytes.
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The protected header of each signature, in order.
    pub fn headers(&self) -> &[JwsHeader] {
        &self.headers
    }

    /// Adds `key`'s signature with the given `typ`.
    pub fn sign(&mut self, key: &SigningKey, typ: &str) {
        let protected = header_for(key, typ);
        let input = format!("{protected}.{}", self.raw.payload);
        let signature = key.sign(input.as_bytes());
        self.headers.push(JwsHeader {
            alg: "EdDSA".into(),
            kid: key.id().clone(),
            typ: typ.into(),
        });
        self.signatures.push(signature);
        self.raw.signatures.push(JwsSignature {
            protected,
            signature: b64(&signature),
        });
    }

    /// Whether signature `index` verifies under `key`. The caller picks `key` by the header's
    /// `kid` from keys it trusts.
    pub fn verify(&self, index: usize, key: &VerifyingKey) -> bool {
        let (Some(raw), Some(signature)) =
            (self.raw.signatures.get(index), self.signatures.get(index))
        else {
            return false;
        };
        let input = format!("{}.{}", raw.protected, self.raw.payload);
        key.verify(input.as_bytes(), signature)
    }

    /// The RFC 8785 canonical bytes of the JWS: what the log stores and serves.
    pub fn to_canonical_bytes(&self) -> Vec<u8> {
        // A struct of strings always canonicalises.
        super::canonicalize(&self.raw).unwrap_or_default()
    }
}

impl Serialize for GeneralJws {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(json: &str) -> String {
        b64(json.as_bytes())
    }

    #[test]
    fn compact_round_trip_and_tamper() {
        let key = SigningKey::from_seed([3; 32]);
        let token = sign_compact(&key, VERDICT_TYP, b"{\"a\":1}");
        let (h, payload) =
            verify_compact(&token, VERDICT_TYP, |_| Some(key.verifying_key())).expect("verifies");
        assert_eq!(h.kid, *key.id());
        assert_eq!(payload, b"{\"a\":1}");
        let mut bad = token.into_bytes();
        let last = bad.len() - 5;
        bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
        let bad = String::from_utf8(bad).expect("ascii");
        assert!(verify_compact(&bad, VERDICT_TYP, |_| Some(key.verifying_key())).is_err());
    }

    #[test]
    fn none_hmac_and_missing_alg_are_refused() {
        for h in [
            r#"{"alg":"none","kid":"k","typ":"bonafide-verdict+jwt"}"#,
            r#"{"alg":"HS256","kid":"k","typ":"bonafide-verdict+jwt"}"#,
            r#"{"kid":"k","typ":"bonafide-verdict+jwt"}"#,
        ] {
            let token = format!("{}.{}.", header(h), b64(b"x"));
            assert!(matches!(
                verify_compact(&token, VERDICT_TYP, |_| None),
                Err(JwsError::UnsupportedAlgorithm(_))
            ));
        }
    }

    #[test]
    fn header_keys_and_crit_are_refused() {
        let key = SigningKey::from_seed([3; 32]);
        let h = format!(
            r#"{{"alg":"EdDSA","kid":"{}","typ":"bonafide-verdict+jwt","jwk":{{}}}}"#,
            key.id()
        );
        let token = format!("{}.{}.{}", header(&h), b64(b"x"), b64(&[0; 64]));
        assert!(matches!(
            verify_compact(&token, VERDICT_TYP, |_| Some(key.verifying_key())),
            Err(JwsError::Malformed(_))
        ));
    }

    #[test]
    fn general_jws_collects_signatures_in_turn() {
        let a = SigningKey::from_seed([1; 32]);
        let b = SigningKey::from_seed([2; 32]);
        let mut jws = GeneralJws::new(b"{}");
        jws.sign(&a, STATEMENT_TYP);
        let bytes = jws.to_canonical_bytes();
        let mut again = GeneralJws::parse(&bytes, STATEMENT_TYP).expect("parses");
        again.sign(&b, STATEMENT_TYP);
        assert!(again.verify(0, &a.verifying_key()));
        assert!(again.verify(1, &b.verifying_key()));
        assert!(!again.verify(1, &a.verifying_key()));
        assert!(!again.verify(2, &a.verifying_key()));
    }

    #[test]
    fn padded_base64_is_refused() {
        let raw = r#"{"payload":"e30=","signatures":[]}"#;
        assert!(GeneralJws::parse(raw.as_bytes(), STATEMENT_TYP).is_err());
    }
}
