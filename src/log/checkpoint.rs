//! C2SP tlog-checkpoints (<https://c2sp.org/tlog-checkpoint>): the note text that commits to a
//! log's size and root.
//!
//! ```text
//! <origin>
//! <tree size, decimal>
//! <root hash, standard base64>
//! [extension lines]
//! ```

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::note::{self, NoteError, NoteSigner, NoteVerifier};

/// Why a checkpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The signed note around it did not open.
    #[error(transparent)]
    Note(#[from] NoteError),
    /// The text is not a checkpoint (the reason says how).
    #[error("malformed checkpoint: {0}")]
    Malformed(String),
    /// The checkpoint is for another log.
    #[error("the checkpoint is for log {found:?}, not {expected:?}")]
    WrongOrigin {
        /// The origin the caller trusts.
        expected: String,
        /// The origin in the checkpoint.
        found: String,
    },
}

/// A checkpoint's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's origin line, which names it.
    pub origin: String,
    /// The number of leaves.
    pub size: u64,
    /// The RFC 6962 root hash of those leaves.
    pub root: [u8; 32],
    /// Extension lines (bonafide writes none).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: &str, size: u64, root: [u8; 32]) -> Self {
        Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text: the lines above, each ending in a newline.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            STANDARD.encode(self.root)
        );
        for line in &self.extensions {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    /// Parses checkpoint text (the text of a note, already opened).
    pub fn parse(text: &str) -> Result<Self, CheckpointError> {
        let malformed = |why: &str| CheckpointError::Malformed(why.to_owned());
        let body = text
            .strip_suffix('\n')
            .ok_or_else(|| malformed("the text must end with a newline"))?;
        let mut lines = body.split('\n');
        let origin = lines.next().unwrap_or_default();
        if origin.is_empty() {
            return Err(malformed("the origin line is empty"));
        }
        let size = lines.next().ok_or_else(|| malformed("no tree size line"))?;
        let size_ok = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        let size: u64 = size.parse().ok().filter(|_| size_ok).ok_or_else(|| {
            malformed("the tree size must be a decimal number without leading zeros")
        })?;
        let root = lines.next().ok_or_else(|| malformed("no root hash line"))?;
        let root = STANDARD
            .decode(root)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .ok_or_else(|| malformed("the root hash must be 32 bytes in standard base64"))?;
        let extensions: Vec<String> = lines.map(str::to_owned).collect();
        if extensions.iter().any(String::is_empty) {
            return Err(malformed("an extension line is empty"));
        }
        Ok(Self {
            origin: origin.to_owned(),
            size,
            root,
            extensions,
        })
    }

    /// Signs the checkpoint as a note.
    pub fn sign(&self, signer: &NoteSigner) -> Result<String, CheckpointError> {
        Ok(signer.sign(&self.to_text())?)
    }

    /// Opens a signed checkpoint with `verifier` and checks that its origin is `origin`. The key
    /// name need not equal the origin (sum.golang.org's does not).
    pub fn open(
        signed: &[u8],
        verifier: &NoteVerifier,
        origin: &str,
    ) -> Result<Self, CheckpointError> {
        let opened = note::open(signed, std::slice::from_ref(verifier))?;
        let checkpoint = Self::parse(&opened.text)?;
        if checkpoint.origin != origin {
            return Err(CheckpointError::WrongOrigin {
                expected: origin.to_owned(),
                found: checkpoint.origin,
            });
        }
        Ok(checkpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_malformed_text_is_refused() {
        let checkpoint = Checkpoint::new("example.com/log", 7, [3; 32]);
        let text = checkpoint.to_text();
        assert_eq!(Checkpoint::parse(&text), Ok(checkpoint));
        for bad in [
            "",
            "\n",
            "origin\n",
            "origin\n7\n",
            "origin\n07\nAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=\n",
            "origin\n-7\nAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=\n",
            "origin\n7\nAwMD\n",
            "origin\n7\nAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=",
            "origin\n7\nAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=\n\n",
            "origin\n18446744073709551616\nAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM=\n",
        ] {
            assert!(Checkpoint::parse(bad).is_err(), "{bad:?}");
        }
    }
}
