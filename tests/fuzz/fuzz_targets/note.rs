//! C2SP signed notes and tlog checkpoints.
//!
//! The first byte picks the mode:
//! - 0: the rest is a signed note: parsing it and putting its text and signature lines back
//!   together gives the same bytes; opening it with the fixtures' verifiers (sum.golang.org,
//!   PeterNeumann, EnochRoot, the C2SP example, the computed checkpoint key) agrees with the
//!   parse; the opened text, read as a checkpoint, round-trips.
//! - 1: the rest is checkpoint text: what parses writes back byte for byte, and signed with the
//!   computed key it opens to the same checkpoint (and not under another origin).
//! - 2: the rest is note text, signed with PeterNeumann's published key: it opens to the same
//!   text, and the signed note altered at any one byte does not open.
//! - 3: the rest is a verifier key or a private key: what parses writes back and parses again to
//!   the same key.

#![no_main]

use std::sync::LazyLock;

use bonafide::log::note::{self, NoteSigner, NoteVerifier};
use bonafide::log::{Checkpoint, CheckpointError, NoteError};
use libfuzzer_sys::fuzz_target;

const SIGNED_NOTE: &str = include_str!("../../fixtures/signed_note.json");
const CHECKPOINTS: &str = include_str!("../../fixtures/tlog_checkpoint.json");

struct Keys {
    verifiers: Vec<NoteVerifier>,
    /// PeterNeumann (golang.org/x/mod's published test key).
    note_signer: NoteSigner,
    /// The checkpoint fixtures' computed key (RFC 8032 test 1 seed).
    checkpoint_signer: NoteSigner,
}

static KEYS: LazyLock<Keys> = LazyLock::new(|| {
    let notes: serde_json::Value = serde_json::from_str(SIGNED_NOTE).expect("JSON");
    let checkpoints: serde_json::Value = serde_json::from_str(CHECKPOINTS).expect("JSON");
    let text = |v: &serde_json::Value| v.as_str().expect("a string").to_owned();
    let vkeys = [
        text(&notes["peterneumann"]["vkey"]),
        text(&notes["enochroot"]["vkey"]),
        text(&notes["c2sp_example"]["vkey"]),
        text(&checkpoints["sum_golang_org"]["vkey"]),
        text(&checkpoints["computed_key"]["vkey"]),
    ];
    Keys {
        verifiers: vkeys
            .iter()
            .map(|k| NoteVerifier::parse(k).expect("a fixture verifier key"))
            .collect(),
        note_signer: NoteSigner::from_private_text(&text(&notes["peterneumann"]["skey"]))
            .expect("a fixture private key"),
        checkpoint_signer: NoteSigner::from_private_text(&text(
            &checkpoints["computed_key"]["skey"],
        ))
        .expect("a fixture private key"),
    }
});

fn signature_line(signature: &note::NoteSignature) -> String {
    use base64::Engine as _;
    let mut bytes = signature.id.to_be_bytes().to_vec();
    bytes.extend_from_slice(&signature.signature);
    format!(
        "\u{2014} {} {}\n",
        signature.name,
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn checkpoint_round_trip(text: &str) -> Option<Checkpoint> {
    let checkpoint = Checkpoint::parse(text).ok()?;
    assert_eq!(
        checkpoint.to_text(),
        text,
        "a checkpoint writes back as read"
    );
    assert_eq!(
        Checkpoint::parse(&checkpoint.to_text()).as_ref(),
        Ok(&checkpoint)
    );
    assert!(!checkpoint.origin.is_empty());
    assert!(
        checkpoint
            .extensions
            .iter()
            .all(|e| !e.is_empty() && !e.contains('\n'))
    );
    Some(checkpoint)
}

fn signed_note(bytes: &[u8]) {
    let keys = &*KEYS;
    let parsed = note::parse(bytes);
    let opened = note::open(bytes, &keys.verifiers);
    match (&parsed, &opened) {
        (Err(e), Err(f)) => assert_eq!(e, f, "open fails as parse does"),
        (Err(e), Ok(_)) => panic!("opened a note that does not parse: {e}"),
        (Ok(_), _) => {}
    }
    let Ok((text, signatures)) = parsed else {
        return;
    };
    assert!(text.ends_with('\n'));
    assert!(!signatures.is_empty() && signatures.len() <= note::MAX_SIGNATURES);
    let mut rebuilt = format!("{text}\n");
    for signature in &signatures {
        rebuilt.push_str(&signature_line(signature));
    }
    assert_eq!(rebuilt.as_bytes(), bytes, "a note writes back as read");
    match opened {
        Ok(opened) => {
            assert_eq!(opened.text, text);
            assert!(!opened.verified_by.is_empty());
            for (name, id) in &opened.verified_by {
                assert!(signatures.iter().any(|s| &s.name == name && s.id == *id));
                assert!(
                    keys.verifiers
                        .iter()
                        .any(|v| v.name() == name && v.id() == *id)
                );
            }
            if let Some(checkpoint) = checkpoint_round_trip(text) {
                for verifier in &keys.verifiers {
                    match Checkpoint::open(bytes, verifier, &checkpoint.origin) {
                        Ok(c) => assert_eq!(c, checkpoint),
                        Err(CheckpointError::Note(_)) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            }
        }
        Err(NoteError::UnknownKey) => {
            // No signature line is by a known key.
            for signature in &signatures {
                assert!(
                    !keys
                        .verifiers
                        .iter()
                        .any(|v| v.name() == signature.name && v.id() == signature.id)
                );
            }
        }
        Err(NoteError::InvalidSignature(_)) => {}
        Err(e) => panic!("open refused a note that parses: {e}"),
    }
}

fn checkpoint_text(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let _ = Checkpoint::parse(text);
    let Some(checkpoint) = checkpoint_round_trip(text) else {
        return;
    };
    let keys = &*KEYS;
    // Origins and extensions may hold what a note may not (control characters): then signing
    // refuses, and that is all.
    let Ok(signed) = checkpoint.sign(&keys.checkpoint_signer) else {
        return;
    };
    let verifier = keys.checkpoint_signer.verifier();
    assert_eq!(
        Checkpoint::open(signed.as_bytes(), &verifier, &checkpoint.origin),
        Ok(checkpoint.clone())
    );
    let other = format!("{}x", checkpoint.origin);
    assert!(matches!(
        Checkpoint::open(signed.as_bytes(), &verifier, &other),
        Err(CheckpointError::WrongOrigin { .. })
    ));
    // PeterNeumann did not sign it.
    assert!(Checkpoint::open(signed.as_bytes(), &keys.verifiers[0], &checkpoint.origin).is_err());
}

fn sign_then_alter(bytes: &[u8]) {
    let Some((&at, text)) = bytes.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let keys = &*KEYS;
    let Ok(signed) = keys.note_signer.sign(text) else {
        assert!(!text.ends_with('\n') || text.chars().any(|c| c != '\n' && c.is_ascii_control()));
        return;
    };
    if signed.len() > note::MAX_NOTE_BYTES {
        return;
    }
    let opened = note::open(signed.as_bytes(), &keys.verifiers).expect("a note just signed opens");
    assert_eq!(opened.text, text);
    assert_eq!(
        opened.verified_by,
        vec![(
            keys.note_signer.name().to_owned(),
            keys.note_signer.verifier().id()
        )]
    );
    let mut altered = signed.into_bytes();
    let i = (usize::from(at) * 31 + text.len()) % altered.len();
    altered[i] ^= 1 << (at % 8);
    assert!(
        note::open(&altered, &keys.verifiers).is_err(),
        "an altered note opened: {:?}",
        String::from_utf8_lossy(&altered)
    );
}

fn key_strings(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    if let Ok(verifier) = NoteVerifier::parse(text) {
        let written = verifier.to_string();
        let again = NoteVerifier::parse(&written).expect("a written verifier key parses");
        assert_eq!(again.to_string(), written);
        assert_eq!((again.name(), again.id()), (verifier.name(), verifier.id()));
        assert_eq!(
            note::key_id(verifier.name(), &{
                use base64::Engine as _;
                // The base64 part may hold '+' itself.
                let key = written.splitn(3, '+').nth(2).expect("three parts");
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(key)
                    .expect("base64");
                <[u8; 32]>::try_from(&bytes[1..]).expect("32 bytes")
            }),
            verifier.id()
        );
    }
    if let Ok(signer) = NoteSigner::from_private_text(text) {
        let written = signer.to_private_text();
        let again = NoteSigner::from_private_text(&written).expect("a written key parses");
        assert_eq!(again.to_private_text(), written);
        let verifier = NoteVerifier::parse(&signer.verifier().to_string())
            .expect("the signer's verifier key parses");
        assert_eq!(verifier.id(), signer.verifier().id());
        if let Ok(note) = signer.sign("x\n") {
            assert!(note::open(note.as_bytes(), &[verifier]).is_ok());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => signed_note(rest),
        1 => checkpoint_text(rest),
        2 => sign_then_alter(rest),
        _ => key_strings(rest),
    }
});
