//! C2SP signed notes (<https://c2sp.org/signed-note>, as Go's `golang.org/x/mod/sumdb/note`) with
//! Ed25519 keys (signature type 0x01): the envelope of the log's checkpoints.
//!
//! A note is text (UTF-8 lines, each ending in `\n`, no other control characters), a blank line,
//! and one or more signature lines `— <key name> <base64(key id || signature)>`. The signature
//! covers the text with its final newline. A key is named and identified by the first four bytes
//! of `SHA-256(name || 0x0A || 0x01 || public key)`.
//!
//! Opening follows the spec's trust rules: signatures by keys the verifier does not know (by name
//! *and* id) are ignored, a known key's bad signature rejects the whole note, and a note no known
//! key verified is rejected.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::crypto::{self, SigningKey, VerifyingKey};
use crate::domain::PublicJwk;

/// The signature type byte of Ed25519 note keys.
const ED25519: u8 = 0x01;

/// The prefix of a note private key (Go's convention), which cannot be mistaken for a public key.
const PRIVATE_PREFIX: &str = "PRIVATE+KEY+";

/// The start of a signature line: U+2014 EM DASH and a space.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

/// More signature lines than this make a note malformed (Go's limit).
pub const MAX_SIGNATURES: usize = 100;

/// The largest note read, in bytes. A checkpoint is about 150.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;

/// Why a note, a key or a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// The note is not well formed (the reason says how).
    #[error("malformed note: {0}")]
    Malformed(String),
    /// A key string (`name+id+key`) is not well formed.
    #[error("malformed note key: {0}")]
    MalformedKey(String),
    /// No signature on the note is by a key the verifier knows.
    #[error("the note carries no signature by a known key")]
    UnknownKey,
    /// A signature by a known key does not verify: the note was altered or forged.
    #[error("invalid signature by note key {0}")]
    InvalidSignature(String),
}

/// A key name: non-empty, no Unicode white space, no `+`.
fn check_name(name: &str) -> Result<(), NoteError> {
    if name.is_empty() || name.contains('+') || name.chars().any(char::is_whitespace) {
        return Err(NoteError::MalformedKey(format!(
            "{name:?} is not a key name (non-empty, no spaces, no '+')"
        )));
    }
    Ok(())
}

/// The key id of an Ed25519 note key: `SHA-256(name || "\n" || 0x01 || key)[:4]`, big-endian.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> u32 {
    let hash = crypto::sha256_parts(&[name.as_bytes(), b"\n", &[ED25519], public_key]);
    u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]])
}

/// A key that verifies notes: its name, id and Ed25519 public key.
#[derive(Debug, Clone)]
pub struct NoteVerifier {
    name: String,
    id: u32,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Parses a verifier key `<name>+<id hex>+<base64(0x01 || public key)>`, checking that the id
    /// is the key's.
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        // The base64 part may itself hold '+': split from the left, three parts at most.
        let mut parts = text.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::MalformedKey(
                "a verifier key is <name>+<key id>+<key>".into(),
            ));
        };
        check_name(name)?;
        let id = parse_id(id)?;
        let key = decode_key(key)?;
        let verifier = Self::from_public_key(name, &key)?;
        if verifier.id != id {
            return Err(NoteError::MalformedKey(format!(
                "key id {id:08x} is not the id of this name and key ({:08x})",
                verifier.id
            )));
        }
        Ok(verifier)
    }

    /// The verifier for a name and a 32-byte Ed25519 public key.
    pub fn from_public_key(name: &str, public_key: &[u8; 32]) -> Result<Self, NoteError> {
        check_name(name)?;
        let key = VerifyingKey::from_jwk(&PublicJwk::from_bytes(*public_key))
            .map_err(|e| NoteError::MalformedKey(e.to_string()))?;
        Ok(Self {
            name: name.to_owned(),
            id: key_id(name, public_key),
            key,
        })
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key id.
    pub fn id(&self) -> u32 {
        self.id
    }
}

impl std::fmt::Display for NoteVerifier {
    /// The verifier key string `<name>+<id hex>+<base64(0x01 || public key)>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut bytes = Vec::with_capacity(33);
        bytes.push(ED25519);
        bytes.extend_from_slice(self.key.jwk().bytes());
        write!(
            f,
            "{}+{:08x}+{}",
            self.name,
            self.id,
            STANDARD.encode(bytes)
        )
    }
}

fn parse_id(hex: &str) -> Result<u32, NoteError> {
    if hex.len() != 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(NoteError::MalformedKey(format!(
            "{hex:?} is not an 8-digit hex key id"
        )));
    }
    u32::from_str_radix(hex, 16).map_err(|e| NoteError::MalformedKey(e.to_string()))
}

/// Decodes `base64(0x01 || 32 bytes)`.
fn decode_key(text: &str) -> Result<[u8; 32], NoteError> {
    let bytes = STANDARD
        .decode(text)
        .map_err(|e| NoteError::MalformedKey(format!("the key is not base64: {e}")))?;
    match bytes.split_first() {
        Some((&ED25519, rest)) => <[u8; 32]>::try_from(rest)
            .map_err(|_| NoteError::MalformedKey("an Ed25519 key is 32 bytes".into())),
        Some((kind, _)) => Err(NoteError::MalformedKey(format!(
            "key type 0x{kind:02x} is not read here; only Ed25519 (0x01)"
        ))),
        None => Err(NoteError::MalformedKey("the key is empty".into())),
    }
}

/// A key that signs notes.
pub struct NoteSigner {
    name: String,
    id: u32,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("id", &format_args!("{:08x}", self.id))
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A signer named `name` with `key`.
    pub fn new(name: &str, key: SigningKey) -> Result<Self, NoteError> {
        check_name(name)?;
        Ok(Self {
            name: name.to_owned(),
            id: key_id(name, key.public_jwk().bytes()),
            key,
        })
    }

    /// Reads a private key `PRIVATE+KEY+<name>+<id hex>+<base64(0x01 || seed)>`, checking that
    /// the id is the key's.
    pub fn from_private_text(text: &str) -> Result<Self, NoteError> {
        let rest = text.trim().strip_prefix(PRIVATE_PREFIX).ok_or_else(|| {
            NoteError::MalformedKey(format!("a note private key starts with {PRIVATE_PREFIX}"))
        })?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(seed)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(NoteError::MalformedKey(
                "a note private key is PRIVATE+KEY+<name>+<key id>+<seed>".into(),
            ));
        };
        let id = parse_id(id)?;
        let signer = Self::new(name, SigningKey::from_seed(decode_key(seed)?))?;
        if signer.id != id {
            return Err(NoteError::MalformedKey(
                "the key id written in the private key is not its key's".into(),
            ));
        }
        Ok(signer)
    }

    /// The private key as text (Go's format, with a final newline). Write it only to files of
    /// mode 0600.
    pub fn to_private_text(&self) -> String {
        let mut bytes = Vec::with_capacity(33);
        bytes.push(ED25519);
        bytes.extend_from_slice(&self.key.to_seed());
        format!(
            "{PRIVATE_PREFIX}{}+{:08x}+{}\n",
            self.name,
            self.id,
            STANDARD.encode(bytes)
        )
    }

    /// The key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The matching verifier.
    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            id: self.id,
            key: self.key.verifying_key(),
        }
    }

    /// Signs `text`, which must be valid note text, and returns the whole signed note.
    pub fn sign(&self, text: &str) -> Result<String, NoteError> {
        check_text(text)?;
        let signature = self.key.sign(text.as_bytes());
        let mut bytes = Vec::with_capacity(68);
        bytes.extend_from_slice(&self.id.to_be_bytes());
        bytes.extend_from_slice(&signature);
        Ok(format!(
            "{text}\n{SIGNATURE_PREFIX}{} {}\n",
            self.name,
            STANDARD.encode(bytes)
        ))
    }
}

/// Note text: non-empty, valid UTF-8 (it is a `str`), ends in `\n`, no control characters but
/// `\n`.
fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::Malformed(
            "the text must end with a newline".into(),
        ));
    }
    if let Some(c) = text.chars().find(|&c| c != '\n' && c.is_ascii_control()) {
        return Err(NoteError::Malformed(format!(
            "control character U+{:04X} in the text",
            c as u32
        )));
    }
    Ok(())
}

/// A signature line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name.
    pub name: String,
    /// The key id.
    pub id: u32,
    /// The signature bytes after the key id.
    pub signature: Vec<u8>,
}

/// A note whose signature by at least one known key verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedNote {
    /// The signed text, with its final newline.
    pub text: String,
    /// The (name, id) of each known key whose signature verified.
    pub verified_by: Vec<(String, u32)>,
}

/// Splits a note into its text and its parsed signature lines, checking the syntax only.
pub fn parse(note: &[u8]) -> Result<(&str, Vec<NoteSignature>), NoteError> {
    if note.len() > MAX_NOTE_BYTES {
        return Err(NoteError::Malformed(format!(
            "longer than {MAX_NOTE_BYTES} bytes"
        )));
    }
    let note =
        std::str::from_utf8(note).map_err(|_| NoteError::Malformed("not valid UTF-8".into()))?;
    if let Some(c) = note.chars().find(|&c| c != '\n' && c.is_ascii_control()) {
        return Err(NoteError::Malformed(format!(
            "control character U+{:04X}",
            c as u32
        )));
    }
    // The text ends at the last blank line; what follows is signatures only.
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| NoteError::Malformed("no blank line before the signatures".into()))?;
    let (text, signatures) = (&note[..=split], &note[split + 2..]);
    let Some(lines) = signatures.strip_suffix('\n') else {
        return Err(NoteError::Malformed(
            "the last signature line must end with a newline".into(),
        ));
    };
    let mut parsed = Vec::new();
    for line in lines.split('\n') {
        if parsed.len() == MAX_SIGNATURES {
            return Err(NoteError::Malformed(format!(
                "more than {MAX_SIGNATURES} signatures"
            )));
        }
        parsed.push(parse_signature_line(line)?);
    }
    Ok((text, parsed))
}

fn parse_signature_line(line: &str) -> Result<NoteSignature, NoteError> {
    let malformed = || NoteError::Malformed(format!("{line:?} is not a signature line"));
    let rest = line.strip_prefix(SIGNATURE_PREFIX).ok_or_else(malformed)?;
    let (name, signature) = rest.split_once(' ').ok_or_else(malformed)?;
    check_name(name).map_err(|_| malformed())?;
    let bytes = STANDARD.decode(signature).map_err(|_| malformed())?;
    if bytes.len() < 5 {
        return Err(malformed());
    }
    let (id, signature) = bytes.split_at(4);
    Ok(NoteSignature {
        name: name.to_owned(),
        id: u32::from_be_bytes([id[0], id[1], id[2], id[3]]),
        signature: signature.to_vec(),
    })
}

/// Parses `note` and verifies it with `verifiers`: at least one known key's signature must
/// verify, and none may fail. Unknown keys' signatures are ignored, as are repeats of a known
/// key's line.
pub fn open(note: &[u8], verifiers: &[NoteVerifier]) -> Result<OpenedNote, NoteError> {
    let (text, signatures) = parse(note)?;
    let mut verified_by: Vec<(String, u32)> = Vec::new();
    for signature in &signatures {
        let Some(verifier) = verifiers
            .iter()
            .find(|v| v.name == signature.name && v.id == signature.id)
        else {
            continue;
        };
        if verified_by
            .iter()
            .any(|(name, id)| *name == signature.name && *id == signature.id)
        {
            continue;
        }
        if !verifier.key.verify(text.as_bytes(), &signature.signature) {
            return Err(NoteError::InvalidSignature(format!(
                "{}+{:08x}",
                signature.name, signature.id
            )));
        }
        verified_by.push((signature.name.clone(), signature.id));
    }
    if verified_by.is_empty() {
        return Err(NoteError::UnknownKey);
    }
    Ok(OpenedNote {
        text: text.to_owned(),
        verified_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_note_opens_and_an_altered_one_does_not() {
        let signer = NoteSigner::new("example.com/log", SigningKey::from_seed([7; 32]))
            .unwrap_or_else(|e| panic!("{e}"));
        let note = signer
            .sign("hello\n\nworld\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let verifier =
            NoteVerifier::parse(&signer.verifier().to_string()).unwrap_or_else(|e| panic!("{e}"));
        let opened = open(note.as_bytes(), std::slice::from_ref(&verifier))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(opened.text, "hello\n\nworld\n");
        let altered = note.replacen("world", "w0rld", 1);
        assert!(matches!(
            open(altered.as_bytes(), &[verifier]),
            Err(NoteError::InvalidSignature(_))
        ));
        let again = NoteSigner::from_private_text(&signer.to_private_text())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.sign("x\n"), signer.sign("x\n"));
        assert!(signer.sign("no newline").is_err());
        assert!(signer.sign("tab\there\n").is_err());
    }
}
