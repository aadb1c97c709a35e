//! `bonafide verify` of a receipt: that a statement is in the transparency log.
//!
//! A receipt (the answer to `POST /v1/statements`, or its `receipt` member) carries a leaf hash,
//! its log index, a signed checkpoint and an inclusion proof. Verifying it opens the checkpoint
//! with the log's key and checks the proof of the leaf against the checkpoint's root. The org, id
//! and type written beside them are the receipt's word only, unless the statement itself is given
//! (`--statement`): then its leaf hash must be the receipt's, and what it says is shown.

use std::path::Path;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;

use super::VerifyArgs;
use super::monitor::{checkpoint_problem, decode_hashes, key_label, read_log_key};
use crate::crypto::{self, GeneralJws, STATEMENT_TYP};
use crate::log::proof::verify_inclusion;
use crate::log::{Checkpoint, NoteVerifier, leaf_hash};

/// A receipt as a file holds it. Only what is proven is required; the rest is shown as the
/// receipt's word.
#[derive(Debug, Deserialize)]
pub(super) struct Receipt {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    accepted_at: Option<String>,
    log_index: u64,
    leaf_hash: String,
    checkpoint: String,
    tree_size: u64,
    inclusion_proof: Vec<String>,
}

/// The receipt in `path`, or `None` when the file is not a receipt (not JSON, or JSON with
/// neither a `receipt` member nor a receipt's `checkpoint` and `inclusion_proof`).
pub(super) fn read(path: &Path) -> anyhow::Result<Option<Receipt>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let Ok(value) = serde_json::from_str::<serde_json::Value>(text.trim()) else {
        return Ok(None);
    };
    let value = match value {
        serde_json::Value::Object(mut object) => match object.remove("receipt") {
            Some(receipt) if receipt.is_object() => receipt,
            _ if object.contains_key("checkpoint") && object.contains_key("inclusion_proof") => {
                serde_json::Value::Object(object)
            }
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    let receipt = serde_json::from_value(value)
        .with_context(|| format!("{} is not a well-formed receipt", path.display()))?;
    Ok(Some(receipt))
}

/// Lower-case or upper-case hex of 32 bytes.
fn parse_hex32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The log key from `--log-key`: a URL is fetched, anything else is a key or a key file.
async fn log_key(given: &str) -> anyhow::Result<(NoteVerifier, Option<String>)> {
    if !(given.starts_with("http://") || given.starts_with("https://")) {
        return Ok((read_log_key(given)?, None));
    }
    let response = super::client::http()?
        .get(given)
        .send()
        .await
        .with_context(|| format!("cannot fetch the log key {given}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("cannot fetch the log key {given}: the server answered {status}");
    }
    let text = response
        .text()
        .await
        .with_context(|| format!("cannot read the log key {given}"))?;
    let key = NoteVerifier::parse(text.trim())
        .with_context(|| format!("{given} did not answer with a log key"))?;
    Ok((key, Some(given.to_owned())))
}

/// What the statement file says about itself: (org, id, type), for the report.
fn describe_statement(jws: &GeneralJws) -> Option<(String, String, String)> {
    let value: serde_json::Value = serde_json::from_slice(jws.payload()).ok()?;
    let field = |name: &str| value.get(name)?.as_str().map(str::to_owned);
    Some((field("org")?, field("id")?, field("type")?))
}

/// Checks that the statement in `path` is the receipt's leaf, and returns what it says (org, id,
/// type) when it reads as a statement. The file may hold the bytes as served or as submitted:
/// the service logs a statement's canonical form.
fn check_statement(
    path: &Path,
    receipt: &Receipt,
    leaf: &[u8; 32],
) -> anyhow::Result<Option<(String, String, String)>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let jws = GeneralJws::parse(&bytes, STATEMENT_TYP).ok();
    let matches = leaf_hash(&bytes) == *leaf
        || jws
            .as_ref()
            .is_some_and(|jws| leaf_hash(&jws.to_canonical_bytes()) == *leaf);
    if !matches {
        bail!(
            "the statement in {} is NOT the one this receipt is for: its leaf hash is {}, the \
             receipt's {}",
            path.display(),
            crypto::hex(&leaf_hash(&bytes)),
            receipt.leaf_hash
        );
    }
    let said = jws.as_ref().and_then(describe_statement);
    if let Some((org, id, kind)) = &said {
        for (name, claimed, actual) in [
            ("org", &receipt.org, org),
            ("id", &receipt.id, id),
            ("type", &receipt.kind, kind),
        ] {
            if let Some(claimed) = claimed
                && claimed != actual
            {
                bail!(
                    "the receipt says the statement's {name} is {claimed:?}, but the statement \
                     in {} (whose leaf it proves) says {actual:?}: do not rely on the receipt's \
                     description",
                    path.display()
                );
            }
        }
    }
    Ok(said)
}

/// `bonafide verify` of a receipt.
pub(super) async fn verify(receipt: Receipt, args: &VerifyArgs) -> anyhow::Result<()> {
    let file = args.file.display();
    let Some(given) = args.log_key.as_deref() else {
        bail!(
            "{file} is a receipt: verify it with the log's key, --log-key KEY (the key string, a \
             file holding it, or its URL, such as https://SERVER/v1/log/key)"
        );
    };
    let (key, fetched_from) = log_key(given).await?;
    let label = key_label(&key);
    let checkpoint =
        Checkpoint::open(receipt.checkpoint.as_bytes(), &key, key.name()).map_err(|e| {
            let (_, why) = checkpoint_problem(&e, &key);
            anyhow::anyhow!("the receipt's checkpoint is refused: {why}; do not rely on {file}")
        })?;
    if receipt.tree_size != checkpoint.size {
        bail!(
            "the receipt says its tree has {} entries, but its checkpoint is of {}: the receipt \
             was altered; do not rely on {file}",
            receipt.tree_size,
            checkpoint.size
        );
    }
    let Some(leaf) = parse_hex32(&receipt.leaf_hash) else {
        bail!(
            "the receipt's leaf hash {:?} is not 64 hex digits: the receipt is malformed or was \
             altered; do not rely on {file}",
            receipt.leaf_hash
        );
    };
    let proof = decode_hashes(&receipt.inclusion_proof).map_err(|why| {
        anyhow::anyhow!(
            "the receipt's inclusion proof is malformed (truncated or altered): {why}; do not \
             rely on {file}"
        )
    })?;
    verify_inclusion(
        receipt.log_index,
        checkpoint.size,
        &leaf,
        &proof,
        &checkpoint.root,
    )
    .map_err(|e| {
        anyhow::anyhow!(
            "the receipt's inclusion proof does NOT show leaf {} at index {} in the signed tree of \
             {}: {e}; the receipt was altered or forged, do not rely on {file}",
            receipt.leaf_hash,
            receipt.log_index,
            checkpoint.size
        )
    })?;
    let statement = args
        .statement
        .as_deref()
        .map(|path| check_statement(path, &receipt, &leaf))
        .transpose()?;

    let mut text = format!(
        "The receipt verifies: leaf {} is entry {} of the log {}, in its tree of {} entries \
         with root {}, signed by the log key {label}.\n",
        crypto::hex(&leaf),
        receipt.log_index,
        checkpoint.origin,
        checkpoint.size,
        STANDARD.encode(checkpoint.root),
    );
    let shown = |value: &Option<String>| value.clone().unwrap_or_else(|| "?".to_owned());
    match (&args.statement, statement) {
        (Some(path), Some(Some((org, id, kind)))) => text.push_str(&format!(
            "The statement in {} is that leaf: the {kind} statement {id} of {org}.\n",
            path.display()
        )),
        (Some(path), _) => {
            text.push_str(&format!("The bytes in {} are that leaf.\n", path.display()))
        }
        (None, _) => text.push_str(&format!(
            "The receipt says it is the {} statement {} of {}{}; that is its word only: give \
             the statement with --statement FILE to prove it.\n",
            shown(&receipt.kind),
            shown(&receipt.id),
            shown(&receipt.org),
            receipt
                .accepted_at
                .as_ref()
                .map(|t| format!(", accepted at {t}"))
                .unwrap_or_default()
        )),
    }
    if let Some(url) = fetched_from {
        text.push_str(&format!(
            "The log key was fetched from {url}: the proof is only as good as that key; compare \
             it with the key the log's operator publishes, and watch the log with `bonafide log \
             verify` to know everyone is shown the same checkpoint.\n"
        ));
    }
    print!("{text}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_leaf_hashes_are_64_digits() {
        let hash = [0xab; 32];
        assert_eq!(parse_hex32(&crypto::hex(&hash)), Some(hash));
        assert_eq!(parse_hex32(&crypto::hex(&hash).to_uppercase()), Some(hash));
        assert_eq!(parse_hex32(&crypto::hex(&hash)[1..]), None);
        assert_eq!(parse_hex32(&format!("{}g", &crypto::hex(&hash)[1..])), None);
        assert_eq!(parse_hex32(&"é".repeat(32)), None);
        assert_eq!(
            parse_hex32(&format!("+a{}", &crypto::hex(&hash)[2..])),
            None
        );
    }
}
