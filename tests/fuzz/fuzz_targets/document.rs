//! Document readers (`src/document`: PDF, DOCX, text) and the agreement check reading their
//! text against the demo register.
//!
//! The input is a document's bytes. Whatever [`extract`] reads must agree with [`sniff`], stay
//! within the limits, number its paragraphs from 1 in order and hold no blank block; a PDF's
//! pages are within its page count; extraction is deterministic. The text read is then checked
//! as an agreement (and, as UTF-8, as a pasted message and through [`Extracted::from_text`]):
//! the check must answer, start with its finding about the whole document, and answer the same
//! twice.

#![no_main]

mod common;

use bonafide::check::{AgreementQuery, Field, MessageQuery, check_agreement, check_message};
use bonafide::document::{Extracted, Kind, Limits, extract, sniff};
use libfuzzer_sys::fuzz_target;

/// The service's limits, with a smaller text budget so that a run stays fast.
fn limits() -> Limits {
    Limits {
        max_text_bytes: 1024 * 1024,
        max_blocks: 10_000,
        ..Limits::default()
    }
}

fn check(document: &Extracted) {
    let demo = &*common::DEMO;
    let query = AgreementQuery {
        org: bonafide::demo::DEMO_ORG.to_owned(),
        action: None,
        as_of: None,
    };
    let now = common::now();
    let first = check_agreement(demo.registry(), demo.index(), &query, document, now);
    let second = check_agreement(demo.registry(), demo.index(), &query, document, now);
    assert_eq!(first, second, "an agreement check is deterministic");
    match first {
        Ok(findings) => {
            let head = findings.findings.first().expect("the document finding");
            assert_eq!(head.field, Field::Document);
            let worst = findings.findings.iter().map(|f| f.result).max();
            assert_eq!(Some(findings.outcome), worst);
            for finding in &findings.findings[1..] {
                assert_ne!(finding.field, Field::Document, "{finding:?}");
            }
        }
        Err(bonafide::check::CheckError::TooMuchToCheck(_)) => {}
        Err(e) => panic!("the agreement check refused the demo organisation: {e}"),
    }
}

fn blocks_are_sane(document: &Extracted, limits: &Limits) {
    assert!(document.blocks.len() <= limits.max_blocks);
    let total: usize = document.blocks.iter().map(|b| b.text.len()).sum();
    assert!(total <= limits.max_text_bytes);
    let mut last = None;
    for block in &document.blocks {
        assert!(!block.text.trim().is_empty(), "a blank block");
        assert_eq!(block.text.trim(), block.text, "blocks are trimmed");
        let paragraph = block.location.paragraph.expect("a paragraph number");
        assert!(paragraph >= 1);
        match document.kind {
            Kind::Pdf => {
                let page = block.location.page.expect("a PDF block has a page");
                assert!(
                    page >= 1 && page <= document.pages,
                    "page {page} of {}",
                    document.pages
                );
                let here = (page, paragraph);
                assert!(last.is_none_or(|l| l < here), "blocks in reading order");
                last = Some(here);
            }
            Kind::Docx | Kind::Text => {
                assert_eq!(block.location.page, None);
                let here = (0, paragraph);
                assert!(last.is_none_or(|l| l < here), "blocks in reading order");
                last = Some(here);
            }
        }
    }
    if document.kind != Kind::Pdf {
        assert_eq!(document.pages, 1);
    }
    assert_eq!(document.has_text(), !document.blocks.is_empty());
}

/// libfuzzer-sys aborts on every panic, even one the code under test catches. `src/document`
/// catches `pdf-extract`'s panics and refuses the file as damaged: those pass silently here;
/// any other panic is printed and, uncaught, still aborts (libfuzzer-sys catches it and aborts).
fn quiet_caught_reader_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        let in_reader = [
            "pdf-extract",
            "lopdf",
            "type1-encoding-parser",
            "adobe-cmap-parser",
            "cff-parser",
            "postscript",
            "euclid",
        ]
        .iter()
        .any(|c| file.contains(c));
        if !in_reader {
            default(info);
        }
    }));
}

fuzz_target!(
    init: {
        quiet_caught_reader_panics();
        let _ = &*common::DEMO;
    },
    |data: &[u8]| {
        let limits = limits();
        let sniffed = sniff(data);
        let result = extract(data, &limits);
        match (&sniffed, &result) {
            (Err(e), r) => assert_eq!(r.as_ref().err(), Some(e), "extract fails as sniff does"),
            (Ok(kind), Ok(document)) => assert_eq!(document.kind, *kind),
            (Ok(_), Err(_)) => {}
        }
        if let Ok(document) = &result {
            blocks_are_sane(document, &limits);
            // Text readers are pure functions of the bytes.
            if document.kind != Kind::Pdf || data.len() < 4096 {
                assert_eq!(extract(data, &limits).as_ref(), Ok(document));
            }
            check(document);
        }
        if let Ok(text) = std::str::from_utf8(data) {
            let document = Extracted::from_text(text);
            blocks_are_sane(&document, &Limits::default());
            if document.has_text() {
                check(&document);
            }
            let demo = &*common::DEMO;
            let query = MessageQuery {
                org: bonafide::demo::DEMO_ORG.to_owned(),
                text: text.to_owned(),
                action: None,
                as_of: None,
            };
            match check_message(demo.registry(), demo.index(), &query, common::now()) {
                Ok(findings) => assert_eq!(findings.findings[0].field, Field::Message),
                Err(e) => assert!(
                    matches!(
                        e,
                        bonafide::check::CheckError::EmptyMessage
                            | bonafide::check::CheckError::MessageTooLong
                            | bonafide::check::CheckError::TooMuchToCheck(_)
                    ),
                    "{e}"
                ),
            }
        }
    }
);
