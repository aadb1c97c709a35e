//! PDF: the text layer, page by page, through `pdf-extract` (and the `lopdf` parser it wraps,
//! which bounds nesting depth). The page and object limits apply once the file has been parsed
//! (which decompresses its object streams); until then the worker's memory and CPU limits bound
//! it.

use pdf_extract::{Document, PlainTextOutput};

use super::{DocumentError, Extracted, Kind, Limits, paragraphs};

fn damaged(why: impl Into<String>) -> DocumentError {
    DocumentError::Damaged(Kind::Pdf, why.into())
}

/// Reads the PDF's text layer. `pdf-extract` panics on many malformed files (it unwraps missing
/// objects, bad fonts and encodings): such a panic is caught here and the file refused as
/// damaged, so that a caller in the same process is answered rather than unwound (the service's
/// worker process would otherwise die and the file be refused less precisely).
pub(super) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, DocumentError> {
    std::panic::catch_unwind(|| read(bytes, limits)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let why: String = why.chars().take(200).collect();
        Err(damaged(format!("the PDF reader failed on it ({why})")))
    })
}

fn read(bytes: &[u8], limits: &Limits) -> Result<Extracted, DocumentError> {
    let mut doc = Document::load_mem(bytes)
        .map_err(|e| damaged(format!("the PDF structure does not parse ({e})")))?;
    if doc.is_encrypted() {
        // An empty user password is common for "protected" PDFs; anything else is unreadable.
        doc.decrypt("")
            .map_err(|_| damaged("it is encrypted with a password"))?;
    }
    if doc.objects.len() > limits.max_objects {
        return Err(DocumentError::OverLimit(
            Kind::Pdf,
            format!(
                "{} objects (at most {})",
                doc.objects.len(),
                limits.max_objects
            ),
        ));
    }
    let pages = doc.get_pages();
    let count = u32::try_from(pages.len()).unwrap_or(u32::MAX);
    if count == 0 {
        return Err(damaged("it has no pages"));
    }
    if count > limits.max_pages {
        return Err(DocumentError::OverLimit(
            Kind::Pdf,
            format!("{count} pages (at most {})", limits.max_pages),
        ));
    }
    let mut blocks = Vec::new();
    let mut total = 0usize;
    for page in pages.keys() {
        let mut text = String::new();
        {
            let mut output = PlainTextOutput::new(&mut text);
            // A page that cannot be read is not skipped: a fee on it would go unseen.
            pdf_extract::output_doc_page(&doc, &mut output, *page)
                .map_err(|e| damaged(format!("page {page} cannot be read ({e})")))?;
        }
        total += text.len();
        if total > limits.max_text_bytes {
            return Err(DocumentError::OverLimit(
                Kind::Pdf,
                format!("more than {} bytes of text", limits.max_text_bytes),
            ));
        }
        blocks.extend(paragraphs(&text, Some(*page)));
    }
    Ok(Extracted {
        kind: Kind::Pdf,
        pages: count,
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by `tests/fuzz` (target `document`): a font object that does not parse
    /// (`/Subtype /Type1 -BaseFont`) made `pdf-extract` panic on the missing object
    /// (`lib.rs:177`, "missing object reference: ObjectNotFound((5, 0))"). It is damaged.
    #[test]
    fn a_pdf_extract_panic_is_a_damaged_pdf() {
        let bytes = include_bytes!(
            "../../tests/fuzz/regressions/document/pdf-extract-missing-font-object.pdf"
        );
        match extract(bytes, &Limits::default()) {
            Err(DocumentError::Damaged(Kind::Pdf, why)) => {
                assert!(why.contains("the PDF reader failed"), "{why}");
            }
            other => panic!("expected a damaged PDF, got {other:?}"),
        }
    }
}
