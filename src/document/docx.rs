//! DOCX: the main document part (`word/document.xml`) of an Office Open XML zip, read with
//! limits on entries, decompressed size and ratio (zip bombs), and as XML without a DTD or
//! entities beyond XML's own five (billion laughs).

use std::io::Read as _;

use quick_xml::events::Event;

use super::{Block, DocumentError, Extracted, Kind, Limits, Location};

/// The part that holds the text.
const DOCUMENT_PART: &str = "word/document.xml";

fn damaged(why: impl Into<String>) -> DocumentError {
    DocumentError::Damaged(Kind::Docx, why.into())
}

fn over(why: impl Into<String>) -> DocumentError {
    DocumentError::OverLimit(Kind::Docx, why.into())
}

pub(super) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, DocumentError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| damaged(format!("not a readable zip file ({e})")))?;
    if archive.len() > limits.max_entries {
        return Err(over(format!(
            "{} zip entries (at most {})",
            archive.len(),
            limits.max_entries
        )));
    }
    let mut part = archive.by_name(DOCUMENT_PART).map_err(|_| {
        damaged(format!(
            "the zip file has no {DOCUMENT_PART}: it is not a Word document"
        ))
    })?;
    let declared = part.size();
    let compressed = part.compressed_size().max(1);
    if declared > limits.max_unpacked_bytes || declared / compressed > limits.max_ratio {
        return Err(over(format!(
            "{DOCUMENT_PART} unpacks to {declared} bytes from {compressed} (at most {} bytes, \
             ratio {})",
            limits.max_unpacked_bytes, limits.max_ratio
        )));
    }
    // The sizes in the header are the file's word: read no more than the limit whatever it says.
    let cap = limits
        .max_unpacked_bytes
        .min(compressed.saturating_mul(limits.max_ratio));
    let mut xml = Vec::new();
    (&mut part)
        .take(cap.saturating_add(1))
        .read_to_end(&mut xml)
        .map_err(|e| damaged(format!("{DOCUMENT_PART} does not unpack ({e})")))?;
    if xml.len() as u64 > cap {
        return Err(over(format!(
            "{DOCUMENT_PART} unpacks to more than {cap} bytes"
        )));
    }
    let xml =
        String::from_utf8(xml).map_err(|_| damaged(format!("{DOCUMENT_PART} is not UTF-8")))?;
    Ok(Extracted {
        kind: Kind::Docx,
        pages: 1,
        blocks: paragraphs(&xml, limits)?,
    })
}

/// The text of each `w:p` paragraph, numbered from 1 (empty ones skipped but counted).
fn paragraphs(xml: &str, limits: &Limits) -> Result<Vec<Block>, DocumentError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut blocks = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    let mut number: u32 = 0;
    let mut total = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| damaged(format!("{DOCUMENT_PART} is not well-formed XML ({e})")))?;
        match event {
            Event::DocType(_) => {
                return Err(over(format!(
                    "{DOCUMENT_PART} declares a DTD, which Word never writes (entity expansion)"
                )));
            }
            Event::Start(e) => match e.name().as_ref() {
                "w:t" => in_text = true,
                "w:p" => current.clear(),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => current.push('\t'),
                "w:br" | "w:cr" => current.push('\n'),
                "w:p" => number = number.saturating_add(1),
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    number = number.saturating_add(1);
                    let text = current.trim();
                    if !text.is_empty() {
                        total += text.len();
                        if total > limits.max_text_bytes {
                            return Err(over(format!(
                                "more than {} bytes of text",
                                limits.max_text_bytes
                            )));
                        }
                        blocks.push(Block {
                            location: Location {
                                page: None,
                                paragraph: Some(number),
                            },
                            text: text.to_owned(),
                        });
                    }
                    current.clear();
                }
                _ => {}
            },
            Event::Text(e) if in_text => current.push_str(&e.xml10_content()),
            Event::GeneralRef(e) if in_text => {
                if e.is_char_ref() {
                    match e.resolve_char_ref() {
                        Ok(Some(c)) => current.push(c),
                        _ => return Err(damaged("a character reference that is not one")),
                    }
                } else {
                    let c = match e.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => {
                            return Err(over(format!(
                                "the entity &{other}; (only XML's five are read)"
                            )));
                        }
                    };
                    current.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_runs_and_entities_are_read() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>Party A: </w:t></w:r><w:r><w:t>IUCG &amp; Co</w:t></w:r></w:p>
            <w:p/>
            <w:p><w:r><w:t>甲方&#65306;王建国</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let blocks = paragraphs(xml, &Limits::default()).unwrap_or_default();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].text, "Party A: IUCG & Co");
        assert_eq!(blocks[1].text, "甲方：王建国");
        assert_eq!(blocks[1].location.paragraph, Some(3));
    }

    #[test]
    fn a_dtd_is_refused() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>
            <w:document xmlns:w="x"><w:p><w:r><w:t>&lol;</w:t></w:r></w:p></w:document>"#;
        assert!(matches!(
            paragraphs(xml, &Limits::default()),
            Err(DocumentError::OverLimit(Kind::Docx, _))
        ));
    }
}
