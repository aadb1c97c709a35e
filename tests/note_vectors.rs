//! C2SP signed notes and tlog-checkpoints against known answers: Go's `x/mod/sumdb/note` tests,
//! the C2SP spec examples, a real sum.golang.org checkpoint and checkpoints signed with a
//! published test key (`tests/fixtures/signed_note.json` and `tests/fixtures/tlog_checkpoint.json`,
//! copied from the shared vectors). Then truncation, bit flips and a property test: a signed note
//! opens with its verifier, and no single changed bit is accepted.

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bonafide::crypto::SigningKey;
use bonafide::log::{Checkpoint, CheckpointError, NoteError, NoteSigner, NoteVerifier, note};
use common::{hash, unhex};
use proptest::prelude::*;
use serde_json::Value;

fn notes() -> Value {
    serde_json::from_str(include_str!("fixtures/signed_note.json")).expect("note vectors parse")
}

fn checkpoints() -> Value {
    serde_json::from_str(include_str!("fixtures/tlog_checkpoint.json"))
        .expect("checkpoint vectors parse")
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

fn verifier(value: &Value) -> NoteVerifier {
    NoteVerifier::parse(text(value)).unwrap_or_else(|e| panic!("{value}: {e}"))
}

fn signer(value: &Value) -> NoteSigner {
    NoteSigner::from_private_text(text(value)).unwrap_or_else(|e| panic!("{value}: {e}"))
}

/// Every verifier key in the vectors: (where it is, the key string).
fn all_vkeys(notes: &Value, checkpoints: &Value) -> Vec<(&'static str, String)> {
    let mut keys = vec![
        ("peterneumann", notes["peterneumann"]["vkey"].clone()),
        ("enochroot", notes["enochroot"]["vkey"].clone()),
        ("c2sp_example", notes["c2sp_example"]["vkey"].clone()),
        (
            "sum_golang_org",
            checkpoints["sum_golang_org"]["vkey"].clone(),
        ),
        ("computed_key", checkpoints["computed_key"]["vkey"].clone()),
    ];
    for key in ["negative_open_cases", "negative_bad_signature"] {
        for vkey in notes[key]["verifiers"].as_array().expect("verifiers") {
            keys.push((key, vkey.clone()));
        }
    }
    keys.into_iter()
        .map(|(at, vkey)| (at, text(&vkey).to_owned()))
        .collect()
}

#[test]
fn every_verifier_key_parses_prints_back_and_has_its_key_id() {
    let (notes, checkpoints) = (notes(), checkpoints());
    let keys = all_vkeys(&notes, &checkpoints);
    assert_eq!(keys.len(), 7);
    for (at, vkey) in &keys {
        let verifier = NoteVerifier::parse(vkey).unwrap_or_else(|e| panic!("{at} {vkey}: {e}"));
        assert_eq!(verifier.to_string(), *vkey, "{at}");
        // The key id, recomputed from the name and the key bytes in the string.
        let mut parts = vkey.splitn(3, '+');
        let (name, id, key) = (
            parts.next().expect("name"),
            parts.next().expect("id"),
            parts.next().expect("key"),
        );
        let key = STANDARD.decode(key).expect("base64");
        assert_eq!(key[0], 0x01, "{at}: Ed25519");
        let public: [u8; 32] = key[1..].try_into().expect("32 bytes");
        let computed = note::key_id(name, &public);
        assert_eq!(format!("{computed:08x}"), id, "{at}");
        assert_eq!(verifier.id(), computed, "{at}");
        assert_eq!(verifier.name(), name, "{at}");
        let rebuilt = NoteVerifier::from_public_key(name, &public).expect("from the key");
        assert_eq!(rebuilt.to_string(), *vkey, "{at}");
    }
    // The ids the vectors list beside the keys, from the listed public keys where given.
    for (name, id, public) in [
        (
            &notes["peterneumann"]["name"],
            &notes["peterneumann"]["key_id_hex"],
            Some(&notes["peterneumann"]["public_key_hex"]),
        ),
        (
            &notes["enochroot"]["name"],
            &notes["enochroot"]["key_id_hex"],
            None,
        ),
        (
            &checkpoints["computed_key"]["name"],
            &checkpoints["computed_key"]["key_id_hex"],
            Some(&checkpoints["computed_key"]["public_key_hex"]),
        ),
    ] {
        let vkey = keys
            .iter()
            .find(|(_, vkey)| vkey.starts_with(&format!("{}+", text(name))))
            .map(|(_, vkey)| vkey)
            .expect("listed");
        let listed = u32::from_str_radix(text(id), 16).expect("hex id");
        assert_eq!(NoteVerifier::parse(vkey).expect("parses").id(), listed);
        if let Some(public) = public {
            assert_eq!(
                format!("{:08x}", note::key_id(text(name), &hash(public))),
                text(id)
            );
        }
    }
}

#[test]
fn malformed_verifier_keys_are_refused() {
    let good = text(&notes()["peterneumann"]["vkey"]).to_owned();
    for bad in [
        String::new(),
        "PeterNeumann".into(),
        "PeterNeumann+c74f20a3".into(),
        good.replacen("c74f20a3", "c74f20a4", 1),
        good.replacen("c74f20a3", "C74F20A3x", 1),
        good.replacen("PeterNeumann", "Peter Neumann", 1),
        good.replacen("PeterNeumann", "", 1),
        good.replacen("+AR", "+Ax", 1),
        good.replacen("+AR", "+BR", 1),
        format!("{good}AA"),
    ] {
        assert!(NoteVerifier::parse(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn the_private_keys_load_round_trip_and_give_their_verifier_keys() {
    let (notes, checkpoints) = (notes(), checkpoints());
    for vector in [&notes["peterneumann"], &checkpoints["computed_key"]] {
        let signer = signer(&vector["skey"]);
        assert_eq!(signer.name(), text(&vector["name"]));
        assert_eq!(
            signer.to_private_text().trim_end_matches('\n'),
            text(&vector["skey"])
        );
        assert_eq!(signer.verifier().to_string(), text(&vector["vkey"]));
        // The seed listed beside the key gives the same signer.
        let seed: [u8; 32] = unhex(text(&vector["seed_hex"])).try_into().expect("seed");
        let from_seed =
            NoteSigner::new(text(&vector["name"]), SigningKey::from_seed(seed)).expect("signer");
        assert_eq!(from_seed.to_private_text(), signer.to_private_text());
    }
    let skey = text(&notes["peterneumann"]["skey"]);
    for bad in [
        skey.replacen("PRIVATE+KEY+", "", 1),
        skey.replacen("c74f20a3", "c74f20a4", 1),
        skey.replacen("PeterNeumann", "PaulNeumann", 1),
        skey.replacen("+AY", "+BY", 1),
    ] {
        assert!(NoteSigner::from_private_text(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn signing_reproduces_the_vector_notes_byte_for_byte() {
    let notes = notes();
    let peter = &notes["peterneumann"];
    let signed = signer(&peter["skey"])
        .sign(text(&peter["text"]))
        .expect("signs");
    assert_eq!(signed, text(&peter["signed_note"]));
    assert_eq!(
        signed,
        format!(
            "{}\n{}",
            text(&peter["text"]),
            text(&peter["signature_line"])
        )
    );
}

#[test]
fn the_known_notes_open() {
    let notes = notes();
    let peter = &notes["peterneumann"];
    let opened = note::open(
        text(&peter["signed_note"]).as_bytes(),
        &[verifier(&peter["vkey"])],
    )
    .expect("opens");
    assert_eq!(opened.text, text(&peter["text"]));
    assert_eq!(
        opened.verified_by,
        [("PeterNeumann".to_owned(), 0xc74f20a3)]
    );

    let example = &notes["c2sp_example"];
    let opened = note::open(
        text(&example["signed_note"]).as_bytes(),
        &[verifier(&example["vkey"])],
    )
    .expect("opens");
    assert_eq!(opened.text, text(&example["text"]));
    assert_eq!(
        opened.verified_by,
        [("example.com/foo".to_owned(), 0x530d903a)]
    );

    // EnochRoot's signature line (no private key published) on the same text.
    let enoch = &notes["enochroot"];
    let enoch_note = format!(
        "{}\n{}",
        text(&enoch["text"]),
        text(&enoch["signature_line"])
    );
    let opened =
        note::open(enoch_note.as_bytes(), &[verifier(&enoch["vkey"])]).expect("Enoch's opens");
    assert_eq!(opened.text, text(&enoch["text"]));
}

/// `two_signatures.expect`: with [Peter] Peter verifies and EnochRoot's line (unknown key) is
/// ignored; with [Peter, Enoch] both verify; with [] the note is refused.
#[test]
fn a_note_with_two_signatures_opens_as_its_expect_text_says() {
    let notes = notes();
    let signed = text(&notes["two_signatures"]["signed_note"]).as_bytes();
    let peter = verifier(&notes["peterneumann"]["vkey"]);
    let enoch = verifier(&notes["enochroot"]["vkey"]);
    let peter_id = ("PeterNeumann".to_owned(), 0xc74f20a3);
    let enoch_id = ("EnochRoot".to_owned(), 0xaf0cfe78);

    let opened = note::open(signed, std::slice::from_ref(&peter)).expect("Peter alone");
    assert_eq!(opened.text, text(&notes["peterneumann"]["text"]));
    assert_eq!(opened.verified_by, std::slice::from_ref(&peter_id));

    let opened = note::open(signed, &[peter.clone(), enoch.clone()]).expect("both");
    assert_eq!(opened.verified_by, [peter_id.clone(), enoch_id.clone()]);
    let opened = note::open(signed, &[enoch.clone(), peter.clone()]).expect("both");
    assert_eq!(opened.verified_by, [peter_id, enoch_id.clone()]);

    let opened = note::open(signed, std::slice::from_ref(&enoch)).expect("Enoch alone");
    assert_eq!(opened.verified_by, [enoch_id]);

    assert_eq!(note::open(signed, &[]), Err(NoteError::UnknownKey));

    // A verifier with a known name but another key (so another id) does not match the line.
    let other_key = hash(&checkpoints()["computed_key"]["public_key_hex"]);
    let impostor = NoteVerifier::from_public_key("PeterNeumann", &other_key).expect("key");
    assert_ne!(impostor.id(), peter.id());
    assert_eq!(note::open(signed, &[impostor]), Err(NoteError::UnknownKey));
}

#[test]
fn the_negative_notes_are_refused() {
    let notes = notes();
    let negative = &notes["negative_open_cases"];
    assert_eq!(text(&negative["expect"]), "malformed note (reject)");
    let verifiers: Vec<NoteVerifier> = negative["verifiers"]
        .as_array()
        .expect("verifiers")
        .iter()
        .map(verifier)
        .collect();
    let cases = negative["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 7);
    for case in cases {
        let message = unhex(text(&case["message_hex"]));
        let result = note::open(&message, &verifiers);
        assert!(
            matches!(result, Err(NoteError::Malformed(_))),
            "{}: {result:?}",
            case["desc"]
        );
    }

    let bad = &notes["negative_bad_signature"];
    let verifiers: Vec<NoteVerifier> = bad["verifiers"]
        .as_array()
        .expect("verifiers")
        .iter()
        .map(verifier)
        .collect();
    let message = unhex(text(&bad["message_hex"]));
    assert_eq!(
        note::open(&message, &verifiers),
        Err(NoteError::InvalidSignature(
            "PeterNeumann+c74f20a3".to_owned()
        ))
    );
    // A bad signature by a known key rejects the whole note, even beside a good one.
    let mut both = message;
    both.extend_from_slice(text(&notes["enochroot"]["signature_line"]).as_bytes());
    let enoch = verifier(&notes["enochroot"]["vkey"]);
    assert!(matches!(
        note::open(&both, &[enoch.clone(), verifiers[0].clone()]),
        Err(NoteError::InvalidSignature(_))
    ));
    // Without the key whose signature is bad, the note opens by the other.
    assert!(note::open(&both, &[enoch]).is_ok());
}

#[test]
fn the_unverifiable_c2sp_example_parses_at_its_last_blank_line() {
    let notes = notes();
    let example = &notes["c2sp_unverifiable_example"];
    let (text_part, signatures) =
        note::parse(text(&example["signed_note"]).as_bytes()).expect("parses");
    assert_eq!(text_part, text(&example["expected_text"]));
    assert!(text_part.contains("\n\n"), "the text keeps its blank line");
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].name, "quasimodo.example/salvatore");
    assert_eq!(signatures[0].signature.len(), 64);
    // No known key: it does not open.
    assert_eq!(
        note::open(
            text(&example["signed_note"]).as_bytes(),
            &[verifier(&notes["peterneumann"]["vkey"])]
        ),
        Err(NoteError::UnknownKey)
    );
}

#[test]
fn the_sum_golang_org_checkpoint_verifies() {
    let vectors = checkpoints();
    let sum = &vectors["sum_golang_org"];
    let verifier = verifier(&sum["vkey"]);
    let signed = text(&sum["signed_checkpoint"]).as_bytes();
    let checkpoint = Checkpoint::open(signed, &verifier, text(&sum["origin"])).expect("opens");
    assert_eq!(checkpoint.origin, "go.sum database tree");
    assert_eq!(checkpoint.size, sum["tree_size"].as_u64().expect("size"));
    assert_eq!(checkpoint.root, hash(&sum["root_hex"]));
    assert!(checkpoint.extensions.is_empty());
    assert_eq!(
        Checkpoint::open(signed, &verifier, "sum.golang.org"),
        Err(CheckpointError::WrongOrigin {
            expected: "sum.golang.org".to_owned(),
            found: "go.sum database tree".to_owned(),
        })
    );
    // Another log's key does not open it.
    let other = self::verifier(&vectors["computed_key"]["vkey"]);
    assert_eq!(
        Checkpoint::open(signed, &other, "go.sum database tree"),
        Err(CheckpointError::Note(NoteError::UnknownKey))
    );
}

#[test]
fn the_computed_checkpoints_open_parse_and_are_reproduced() {
    let vectors = checkpoints();
    let key = &vectors["computed_key"];
    let signer = signer(&key["skey"]);
    let verifier = verifier(&key["vkey"]);
    let origin = text(&key["name"]);
    let cases = vectors["computed_checkpoints"].as_array().expect("cases");
    assert_eq!(cases.len(), 4);
    for case in cases {
        let size = case["tree_size"].as_u64().expect("size");
        let root = hash(&case["root_hex"]);
        let extensions: Vec<String> = case["extension_lines"]
            .as_array()
            .map(|lines| lines.iter().map(|l| text(l).to_owned()).collect())
            .unwrap_or_default();
        let signed = text(&case["signed_checkpoint"]);
        assert_eq!(
            signed,
            format!(
                "{}\n{}",
                text(&case["note_text"]),
                text(&case["signature_line"])
            )
        );

        let opened = Checkpoint::open(signed.as_bytes(), &verifier, origin)
            .unwrap_or_else(|e| panic!("size {size}: {e}"));
        let expected = Checkpoint {
            origin: origin.to_owned(),
            size,
            root,
            extensions: extensions.clone(),
        };
        assert_eq!(opened, expected);
        assert_eq!(
            Checkpoint::parse(text(&case["note_text"])),
            Ok(expected.clone())
        );

        let mut built = Checkpoint::new(origin, size, root);
        built.extensions = extensions;
        assert_eq!(built, expected);
        assert_eq!(built.to_text(), text(&case["note_text"]));
        assert_eq!(built.sign(&signer).expect("signs"), signed, "size {size}");
    }
}

#[test]
fn the_c2sp_spec_checkpoint_parses() {
    let vectors = checkpoints();
    let example = &vectors["c2sp_spec_example"];
    let (text_part, signatures) =
        note::parse(text(&example["signed_checkpoint"]).as_bytes()).expect("note parses");
    let checkpoint = Checkpoint::parse(text_part).expect("checkpoint parses");
    assert_eq!(checkpoint.origin, text(&example["origin"]));
    assert_eq!(
        checkpoint.size,
        example["tree_size"].as_u64().expect("size")
    );
    assert_eq!(STANDARD.encode(checkpoint.root), text(&example["root_b64"]));
    assert!(checkpoint.extensions.is_empty());
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].name, "example.com/behind-the-sofa");
    assert_eq!(checkpoint.to_text(), text_part);
}

/// transparency-dev's Marshal examples use roots that are not 32 bytes ("bananas"): their text
/// layout is the one `to_text` writes, but bonafide reads RFC 6962 SHA-256 roots only, so it
/// refuses them.
#[test]
fn the_marshal_examples_with_short_roots_are_refused() {
    for example in checkpoints()["marshal_examples"]
        .as_array()
        .expect("examples")
    {
        let note_text = text(&example["note_text"]);
        let encoded = STANDARD.encode(text(&example["root_hash_utf8"]));
        assert_eq!(
            note_text,
            format!(
                "{}\n{}\n{encoded}\n",
                text(&example["origin"]),
                example["tree_size"]
            )
        );
        assert!(
            matches!(
                Checkpoint::parse(note_text),
                Err(CheckpointError::Malformed(_))
            ),
            "{note_text:?}"
        );
    }
}

/// Every signed checkpoint that has a verifier, with it and its origin.
fn signed_checkpoints() -> Vec<(String, NoteVerifier, String)> {
    let vectors = checkpoints();
    let sum = &vectors["sum_golang_org"];
    let mut all = vec![(
        text(&sum["signed_checkpoint"]).to_owned(),
        verifier(&sum["vkey"]),
        text(&sum["origin"]).to_owned(),
    )];
    let key = &vectors["computed_key"];
    for case in vectors["computed_checkpoints"].as_array().expect("cases") {
        all.push((
            text(&case["signed_checkpoint"]).to_owned(),
            verifier(&key["vkey"]),
            text(&key["name"]).to_owned(),
        ));
    }
    all
}

#[test]
fn no_truncated_checkpoint_is_accepted() {
    let all = signed_checkpoints();
    assert_eq!(all.len(), 5);
    for (signed, verifier, origin) in &all {
        let bytes = signed.as_bytes();
        assert!(Checkpoint::open(bytes, verifier, origin).is_ok());
        for len in 0..bytes.len() {
            let result = Checkpoint::open(&bytes[..len], verifier, origin);
            assert!(
                result.is_err(),
                "prefix of {len} bytes of {signed:?} accepted: {result:?}"
            );
        }
    }
}

#[test]
fn no_single_bit_flip_of_a_checkpoint_is_accepted() {
    let all = signed_checkpoints();
    // The sum.golang.org checkpoint, and the computed one with an extension line.
    for (signed, verifier, origin) in [&all[0], &all[4]] {
        let mut bytes = signed.as_bytes().to_vec();
        // How many flips each check caught: every check should catch some.
        let (mut malformed, mut unknown, mut invalid) = (0, 0, 0);
        for bit in 0..bytes.len() * 8 {
            bytes[bit / 8] ^= 1 << (bit % 8);
            match Checkpoint::open(&bytes, verifier, origin) {
                Err(CheckpointError::Note(NoteError::Malformed(_))) => malformed += 1,
                Err(CheckpointError::Note(NoteError::UnknownKey)) => unknown += 1,
                Err(CheckpointError::Note(NoteError::InvalidSignature(_))) => invalid += 1,
                Err(_) => {}
                Ok(opened) => panic!("bit {bit} flipped in {signed:?} accepted: {opened:?}"),
            }
            bytes[bit / 8] ^= 1 << (bit % 8);
        }
        assert_eq!(bytes, signed.as_bytes());
        assert!(
            malformed > 0 && unknown > 0 && invalid > 0,
            "{malformed} malformed, {unknown} unknown key, {invalid} invalid signature"
        );
    }
}

/// Note text: 1 to 6 lines of printable characters (no control characters; empty lines too).
fn note_text() -> impl Strategy<Value = String> {
    proptest::collection::vec("\\PC{0,30}", 1..6).prop_map(|lines| {
        lines
            .into_iter()
            .map(|line| format!("{line}\n"))
            .collect::<String>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A signer's note opens with its verifier and gives back the text; a single flipped bit
    /// anywhere in the note (a sample of 256 positions per case) is refused.
    #[test]
    fn signed_notes_open_and_no_flipped_bit_is_accepted(
        seed in any::<[u8; 32]>(),
        name in "[a-z0-9.-]{1,12}(/[a-z0-9._-]{1,12}){0,2}",
        text in note_text(),
        bits in proptest::collection::vec(any::<prop::sample::Index>(), 256),
    ) {
        let signer = NoteSigner::new(&name, SigningKey::from_seed(seed)).expect("signer");
        let verifier = NoteVerifier::parse(&signer.verifier().to_string()).expect("vkey");
        let signed = signer.sign(&text).expect("signs");
        let opened = note::open(signed.as_bytes(), std::slice::from_ref(&verifier)).expect("opens");
        prop_assert_eq!(&opened.text, &text);
        prop_assert_eq!(opened.verified_by, vec![(name, verifier.id())]);
        let again = NoteSigner::from_private_text(&signer.to_private_text()).expect("reloads");
        prop_assert_eq!(&again.sign(&text).expect("signs"), &signed);

        let mut bytes = signed.clone().into_bytes();
        for bit in bits {
            let bit = bit.index(bytes.len() * 8);
            bytes[bit / 8] ^= 1 << (bit % 8);
            let result = note::open(&bytes, std::slice::from_ref(&verifier));
            prop_assert!(result.is_err(), "bit {} flipped accepted: {:?}", bit, result);
            bytes[bit / 8] ^= 1 << (bit % 8);
        }
        prop_assert_eq!(bytes, signed.into_bytes());
    }
}
