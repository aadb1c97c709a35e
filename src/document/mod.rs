//! Reading agreements: the type decided by the bytes, the text extracted with limits.
//!
//! A document arrives as bytes from anyone, so every reader here is bounded: [`Limits`] caps the
//! size, the pages, the objects of a PDF, the decompressed size and compression ratio of a DOCX
//! and its XML (no DTDs, no entities beyond XML's five). Extraction is synchronous and pure; the
//! service runs it in a worker process of its own ([`worker`]), with memory and CPU limits and a
//! deadline, so that a parser bug or a hostile file cannot take the service down.
//!
//! What comes out is an [`Extracted`] document: its kind and its text as [`Block`]s, each with
//! where it was found (a page of a PDF, a paragraph of a DOCX or a text file).

mod docx;
mod pdf;
mod text;
pub mod worker;

use serde::{Deserialize, Serialize};

/// A type of document this service reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// PDF, by its text layer.
    Pdf,
    /// Word (Office Open XML), by its main document part.
    Docx,
    /// Plain text: UTF-8, UTF-16 with a byte-order mark, or GB18030 (which includes GBK).
    Text,
}

impl Kind {
    /// The snake_case name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Text => "text",
        }
    }
}

/// The types read, for messages.
pub const READABLE: &str = "PDF (with a text layer), DOCX, and plain text in UTF-8, UTF-16 \
                            (with a byte-order mark) or GB18030/GBK";

/// Where in a document a piece of text was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Location {
    /// The page, from 1 (PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The paragraph, from 1 (DOCX and text; within the page for a PDF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.page, self.paragraph) {
            (Some(page), Some(paragraph)) => write!(f, "page {page}, paragraph {paragraph}"),
            (Some(page), None) => write!(f, "page {page}"),
            (None, Some(paragraph)) => write!(f, "paragraph {paragraph}"),
            (None, None) => f.write_str("the document"),
        }
    }
}

/// A paragraph (or line group) of text and where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    /// Where.
    pub location: Location,
    /// The text, with its lines joined by `\n`.
    pub text: String,
}

/// A document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extracted {
    /// What the bytes are.
    pub kind: Kind,
    /// Pages (PDF) or 1.
    pub pages: u32,
    /// The text, in reading order; empty for a scan without a text layer.
    pub blocks: Vec<Block>,
}

impl Extracted {
    /// Whether any text was found (a scanned PDF has none).
    pub fn has_text(&self) -> bool {
        self.blocks.iter().any(|b| !b.text.trim().is_empty())
    }
}

impl Extracted {
    /// Text that arrived as text (a pasted message): its paragraphs, as a text file's would be.
    pub fn from_text(text: &str) -> Self {
        Self {
            kind: Kind::Text,
            pages: 1,
            blocks: paragraphs(text, None),
        }
    }
}

/// Limits on what a document may make the reader do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// The largest document, in bytes.
    pub max_bytes: usize,
    /// The most pages of a PDF.
    pub max_pages: u32,
    /// The most objects in a PDF.
    pub max_objects: usize,
    /// The largest total of decompressed parts read from a DOCX, in bytes.
    pub max_unpacked_bytes: u64,
    /// The largest ratio of a DOCX part's decompressed to compressed size.
    pub max_ratio: u64,
    /// The most entries in a DOCX (zip) file.
    pub max_entries: usize,
    /// The most text extracted, in bytes.
    pub max_text_bytes: usize,
    /// The most paragraphs (blocks) extracted.
    pub max_blocks: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_pages: 500,
            max_objects: 200_000,
            max_unpacked_bytes: 64 * 1024 * 1024,
            max_ratio: 200,
            max_entries: 2_000,
            max_text_bytes: 4 * 1024 * 1024,
            max_blocks: 50_000,
        }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "error", content = "detail")]
pub enum DocumentError {
    /// No bytes.
    #[error("the document is empty")]
    Empty,
    /// Larger than [`Limits::max_bytes`].
    #[error("the document is larger than {0} bytes")]
    TooLarge(usize),
    /// The bytes are not a type this service reads.
    #[error("{0}; bonafide reads {READABLE}")]
    Unsupported(String),
    /// The document is of a readable type but damaged or incomplete.
    #[error("the {kind} cannot be read: {why}", kind = .0.as_str(), why = .1)]
    Damaged(Kind, String),
    /// The document would make the reader exceed a limit (a zip bomb, nested structures, entity
    /// expansion, too many pages).
    #[error("the {kind} exceeds a safety limit: {why}", kind = .0.as_str(), why = .1)]
    OverLimit(Kind, String),
    /// Reading took longer than allowed.
    #[error("reading the document took longer than {0} seconds")]
    Timeout(u64),
}

/// Decides the type from the bytes alone, whatever it was declared to be: an image or another
/// known binary format by its magic number is refused; `%PDF-` within the first KiB is a PDF; a
/// zip is taken for a DOCX (one without a Word document part is then refused as damaged); text
/// is text when it decodes; anything else is refused.
pub fn sniff(bytes: &[u8]) -> Result<Kind, DocumentError> {
    if bytes.is_empty() {
        return Err(DocumentError::Empty);
    }
    for (magic, what) in [
        (&b"\x89PNG"[..], "a PNG image"),
        (&b"\xff\xd8\xff"[..], "a JPEG image"),
        (&b"GIF8"[..], "a GIF image"),
        (&b"II*\x00"[..], "a TIFF image"),
        (&b"MM\x00*"[..], "a TIFF image"),
        (&b"\xd0\xcf\x11\xe0"[..], "an old Office (OLE) document"),
        (&b"{\\rtf"[..], "an RTF document"),
        (&b"\x1f\x8b"[..], "a gzip file"),
    ] {
        if bytes.starts_with(magic) {
            return Err(DocumentError::Unsupported(format!("the bytes are {what}")));
        }
    }
    // PDF readers accept the header within the first KiB.
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Kind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Kind::Docx);
    }
    if text::decode(bytes).is_some() {
        return Ok(Kind::Text);
    }
    Err(DocumentError::Unsupported(
        "the bytes are not a PDF, a DOCX or text in a known encoding".into(),
    ))
}

/// Extracts the text of `bytes`, of the type [`sniff`] decides, within `limits`. Runs in the
/// caller's process: the service calls it only inside its worker process.
pub fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, DocumentError> {
    if bytes.len() > limits.max_bytes {
        return Err(DocumentError::TooLarge(limits.max_bytes));
    }
    let extracted = match sniff(bytes)? {
        Kind::Pdf => pdf::extract(bytes, limits)?,
        Kind::Docx => docx::extract(bytes, limits)?,
        Kind::Text => text::extract(bytes)?,
    };
    if extracted.blocks.len() > limits.max_blocks {
        return Err(DocumentError::OverLimit(
            extracted.kind,
            format!("more than {} paragraphs", limits.max_blocks),
        ));
    }
    let total: usize = extracted.blocks.iter().map(|b| b.text.len()).sum();
    if total > limits.max_text_bytes {
        return Err(DocumentError::OverLimit(
            extracted.kind,
            format!("more than {} bytes of text", limits.max_text_bytes),
        ));
    }
    Ok(extracted)
}

/// Splits text into paragraphs at blank lines, trimming each and dropping empty ones; a text
/// without blank lines is one paragraph per line.
fn paragraphs(text: &str, page: Option<u32>) -> Vec<Block> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let has_blank = normalised.contains("\n\n");
    let pieces: Vec<&str> = if has_blank {
        normalised.split("\n\n").collect()
    } else {
        normalised.split('\n').collect()
    };
    pieces
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
        .map(|(i, p)| Block {
            location: Location {
                page,
                paragraph: Some(u32::try_from(i + 1).unwrap_or(u32::MAX)),
            },
            text: p.to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_type_is_decided_by_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(Kind::Pdf));
        assert_eq!(sniff(b"PK\x03\x04rest"), Ok(Kind::Docx));
        assert_eq!(sniff("合同 Agreement\n".as_bytes()), Ok(Kind::Text));
        assert!(matches!(
            sniff(b"\x89PNG\r\n\x1a\n"),
            Err(DocumentError::Unsupported(_))
        ));
        assert_eq!(sniff(b""), Err(DocumentError::Empty));
        assert!(matches!(
            sniff(&[0, 159, 146, 150, 0, 0, 1, 2]),
            Err(DocumentError::Unsupported(_))
        ));
    }

    #[test]
    fn paragraphs_are_numbered_from_one() {
        let blocks = paragraphs("a\nb\n\n\nc\r\n\r\nd", None);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].text, "a\nb");
        assert_eq!(blocks[2].location.paragraph, Some(3));
    }
}
