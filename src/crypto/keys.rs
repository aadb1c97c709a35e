//! Ed25519 keys, their RFC 7638 thumbprints and their file encodings.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::Signer as _;
use serde::{Deserialize, Serialize};

use crate::domain::PublicJwk;

/// The first characters of an encoded private key. NEVER CHANGE IT: key files written with it
/// would stop loading. It is not JSON, so it cannot be mistaken for a public JWK.
pub const PRIVATE_KEY_PREFIX: &str = "PRIVATE+KEY+bonafide+ed25519+";

/// Why a key could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The text is not a private key in bonafide's format.
    #[error("not a bonafide private key: {0}")]
    MalformedPrivateKey(String),
    /// The text is not a public key JWK.
    #[error("not an Ed25519 public key JWK: {0}")]
    MalformedPublicKey(String),
    /// The bytes are not a usable Ed25519 public key.
    #[error("invalid Ed25519 public key: {0}")]
    InvalidPoint(String),
}

/// A key id: the RFC 7638 thumbprint of the key's JWK, unpadded base64url of a SHA-256 (43
/// characters). NEVER CHANGE THE SCHEME: every signature names its key this way.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(String);

impl KeyId {
    /// The thumbprint of `jwk`: SHA-256 over `{"crv":"Ed25519","kty":"OKP","x":"..."}`, the
    /// required members in lexicographic order without white space (RFC 7638 section 3, RFC 8037
    /// section 2).
    pub fn of(jwk: &PublicJwk) -> Self {
        let input = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#, jwk.x_b64());
        Self(URL_SAFE_NO_PAD.encode(super::sha256(input.as_bytes())))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An Ed25519 private key. Its `Debug` output shows only the key id.
pub struct SigningKey {
    inner: ed25519_dalek::SigningKey,
    id: KeyId,
}

impl SigningKey {
    /// A new random key from the caller's cryptographic RNG.
    pub fn generate<R: rand::CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::from_seed(ed25519_dalek::SigningKey::generate(rng).to_bytes())
    }

    /// The key with this 32-byte RFC 8032 seed.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let inner = ed25519_dalek::SigningKey::from_bytes(&seed);
        let id = KeyId::of(&PublicJwk::from_bytes(inner.verifying_key().to_bytes()));
        Self { inner, id }
    }

    /// The public half as a JWK.
    pub fn public_jwk(&self) -> PublicJwk {
        PublicJwk::from_bytes(self.inner.verifying_key().to_bytes())
    }

    /// The public half, for verifying.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey {
            inner: self.inner.verifying_key(),
            id: self.id.clone(),
        }
    }

    /// The key id (thumbprint).
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The 32-byte RFC 8032 seed, for writing the key in another format. Write it only to files
    /// of mode 0600.
    pub fn to_seed(&self) -> [u8; 32] {
        self.inner.to_bytes()
    }

    /// Signs `message` (pure Ed25519, no pre-hash).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.inner.sign(message).to_bytes()
    }

    /// The key as text: [`PRIVATE_KEY_PREFIX`], the key id, `+`, the unpadded base64url seed, and a
    /// line break. Write it only to files of mode 0600.
    pub fn to_private_text(&self) -> String {
        format!(
            "{PRIVATE_KEY_PREFIX}{}+{}\n",
            self.id,
            URL_SAFE_NO_PAD.encode(self.inner.to_bytes())
        )
    }

    /// Reads a key written by [`SigningKey::to_private_text`], checking that the seed gives the key
    /// id recorded beside it.
    pub fn from_private_text(text: &str) -> Result<Self, KeyError> {
        let rest = text
            .trim()
            .strip_prefix(PRIVATE_KEY_PREFIX)
            .ok_or_else(|| {
                KeyError::MalformedPrivateKey(format!("it must start with {PRIVATE_KEY_PREFIX}"))
            })?;
        // The key id is base64url and never holds '+'; the seed follows the first '+'.
        let (id, seed) = rest
            .split_once('+')
            .ok_or_else(|| KeyError::MalformedPrivateKey("no key id".into()))?;
        let seed = URL_SAFE_NO_PAD
            .decode(seed)
            .map_err(|e| KeyError::MalformedPrivateKey(format!("seed is not base64url: {e}")))?;
        let seed = <[u8; 32]>::try_from(seed.as_slice())
            .map_err(|_| KeyError::MalformedPrivateKey("the seed must be 32 bytes".into()))?;
        let key = Self::from_seed(seed);
        if key.id.as_str() != id {
            return Err(KeyError::MalformedPrivateKey(
                "the seed does not give the key id written beside it".into(),
            ));
        }
        Ok(key)
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// An Ed25519 public key, checked to be a usable curve point.
#[derive(Clone)]
pub struct VerifyingKey {
    inner: ed25519_dalek::VerifyingKey,
    id: KeyId,
}

impl VerifyingKey {
    /// Parses the key in `jwk`, rejecting bytes that are not a point or are a weak (small-order)
    /// point.
    pub fn from_jwk(jwk: &PublicJwk) -> Result<Self, KeyError> {
        let inner = ed25519_dalek::VerifyingKey::from_bytes(jwk.bytes())
            .map_err(|e| KeyError::InvalidPoint(e.to_string()))?;
        if inner.is_weak() {
            return Err(KeyError::InvalidPoint("a small-order point".into()));
        }
        Ok(Self {
            inner,
            id: KeyId::of(jwk),
        })
    }

    /// The key as a JWK.
    pub fn jwk(&self) -> PublicJwk {
        PublicJwk::from_bytes(self.inner.to_bytes())
    }

    /// The key id (thumbprint).
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// Whether `signature` is this key's strict Ed25519 signature of `message`. A signature of the
    /// wrong length is simply not valid.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
            return false;
        };
        let signature = ed25519_dalek::Signature::from_bytes(&bytes);
        self.inner.verify_strict(message, &signature).is_ok()
    }
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("id", &self.id)
            .finish()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicKeyFile {
    kty: String,
    crv: String,
    x: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    alg: Option<String>,
    #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
    use_: Option<String>,
}

/// The public key file for `jwk`: the JWK with `kid`, `alg` and `use`, as pretty JSON.
pub fn public_key_file(jwk: &PublicJwk) -> String {
    let file = PublicKeyFile {
        kty: "OKP".into(),
        crv: "Ed25519".into(),
        x: jwk.x_b64(),
        kid: Some(KeyId::of(jwk).0),
        alg: Some("EdDSA".into()),
        use_: Some("sig".into()),
    };
    // Serialising a struct of strings cannot fail.
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

/// Reads a public key file: a JWK whose optional `kid` must be its thumbprint, whose optional `alg`
/// must be `EdDSA` or `Ed25519` and whose optional `use` must be `sig`.
pub fn parse_public_key_file(text: &str) -> Result<PublicJwk, KeyError> {
    if text.trim_start().starts_with(PRIVATE_KEY_PREFIX) {
        return Err(KeyError::MalformedPublicKey(
            "this is a private key; pass the .pub.jwk file".into(),
        ));
    }
    let file: PublicKeyFile =
        serde_json::from_str(text).map_err(|e| KeyError::MalformedPublicKey(e.to_string()))?;
    let jwk = PublicJwk::parse(&file.kty, &file.crv, &file.x)
        .map_err(|e| KeyError::MalformedPublicKey(e.to_string()))?;
    if file
        .kid
        .as_deref()
        .is_some_and(|kid| kid != KeyId::of(&jwk).as_str())
    {
        return Err(KeyError::MalformedPublicKey(
            "kid is not the key's RFC 7638 thumbprint".into(),
        ));
    }
    if file
        .alg
        .as_deref()
        .is_some_and(|a| a != "EdDSA" && a != "Ed25519")
    {
        return Err(KeyError::MalformedPublicKey("alg must be EdDSA".into()));
    }
    if file.use_.as_deref().is_some_and(|u| u != "sig") {
        return Err(KeyError::MalformedPublicKey("use must be sig".into()));
    }
    VerifyingKey::from_jwk(&jwk)?;
    Ok(jwk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_text_round_trips_and_is_checked() {
        let key = SigningKey::from_seed([7; 32]);
        let text = key.to_private_text();
        assert!(text.starts_with(PRIVATE_KEY_PREFIX));
        let again = SigningKey::from_private_text(&text).expect("round trip");
        assert_eq!(again.id(), key.id());
        let other = SigningKey::from_seed([8; 32]);
        let forged = text.replace(key.id().as_str(), other.id().as_str());
        assert!(SigningKey::from_private_text(&forged).is_err());
    }

    #[test]
    fn public_key_files_round_trip_and_refuse_private_keys() {
        let key = SigningKey::from_seed([7; 32]);
        let file = public_key_file(&key.public_jwk());
        assert_eq!(
            parse_public_key_file(&file).expect("parses"),
            key.public_jwk()
        );
        assert!(parse_public_key_file(&key.to_private_text()).is_err());
    }

    #[test]
    fn signatures_of_the_wrong_length_are_invalid() {
        let key = SigningKey::from_seed([1; 32]);
        let signature = key.sign(b"m");
        assert!(key.verifying_key().verify(b"m", &signature));
        assert!(!key.verifying_key().verify(b"m", &signature[..63]));
        assert!(!key.verifying_key().verify(b"n", &signature));
    }
}
