//! Statements: the domain parsers, and admission of a statement JWS into the demo register.
//!
//! The first byte picks the mode:
//! - 0: the rest is statement JSON: what parses serialises, canonicalises and parses back to
//!   the same statement.
//! - 1: the rest is a JWS envelope, admitted to the demo register at a fixed time: an admitted
//!   statement is what its payload says, its stored envelope is canonical, and once appended it
//!   is admitted again only as a duplicate.
//! - 2: the next byte picks signers (bit 0 operator, 1 root key, 2 alice, 3 bob) and the rest is
//!   a statement payload (JSON): it is canonicalised, signed by them and admitted, so that the
//!   trust-chain checks behind the signature are reached. An admitted statement is signed only
//!   by keys chosen, is refused with any other payload under the same signatures, and after
//!   appending it, a message check reading its text still answers.
//! - 3: the rest is one value for every domain newtype (slug, id, token, USCC, times, language
//!   tag, bounded text, SHA-256 hex): each that parses writes back and parses to itself.
//!
//! With `BONAFIDE_FUZZ_WRITE_SEEDS=<dir>` set, the target writes seeds for modes 0 to 2 built
//! from the demo register there and exits.

#![no_main]

mod common;

use bonafide::check::{Checker, MessageQuery, check_message};
use bonafide::crypto::{self, GeneralJws, STATEMENT_TYP, SigningKey, is_canonical};
use bonafide::domain::{
    BoundedText, CalendarDate, LangTag, OrgSlug, Sha256Hex, Statement, StatementId, Timestamp,
    Token, Uscc,
};
use bonafide::registry::Admitted;
use libfuzzer_sys::fuzz_target;

fn statement_json(text: &[u8]) {
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Ok(statement) = Statement::from_json(text) else {
        return;
    };
    let written = serde_json::to_string(&statement).expect("a statement serialises");
    assert_eq!(Statement::from_json(&written).as_ref(), Ok(&statement));
    let canonical = crypto::canonicalize(&statement).expect("a statement canonicalises");
    assert!(is_canonical(&canonical));
    let canonical = std::str::from_utf8(&canonical).expect("UTF-8");
    assert_eq!(Statement::from_json(canonical).as_ref(), Ok(&statement));
    let value: serde_json::Value = serde_json::from_str(text).expect("it parsed once");
    assert_eq!(Statement::from_value(value).as_ref(), Ok(&statement));
}

/// The statement in an admitted envelope is its payload's; the envelope is canonical; appended,
/// it comes back as a duplicate.
fn admitted(checker: &Checker, envelope: &[u8]) -> Option<Checker> {
    let now = common::now();
    let registry_says = checker.registry().admit(envelope, now);
    let result = checker.admit(envelope, now);
    if result.is_ok() {
        assert!(
            registry_says.is_ok(),
            "the checker admits what the register refuses"
        );
    }
    let Ok(Admitted::New(admission)) = result else {
        if let Ok(Admitted::Duplicate(entry)) = &result {
            let jws = GeneralJws::parse(envelope, STATEMENT_TYP).expect("admitted, so it parses");
            assert_eq!(
                entry.leaf_hash,
                bonafide::log::leaf_hash(&jws.to_canonical_bytes())
            );
        }
        return None;
    };
    let jws = GeneralJws::parse(envelope, STATEMENT_TYP).expect("admitted, so it parses");
    assert_eq!(admission.envelope(), jws.to_canonical_bytes().as_slice());
    assert!(is_canonical(admission.envelope()));
    assert!(is_canonical(jws.payload()));
    let payload = std::str::from_utf8(jws.payload()).expect("JSON is UTF-8");
    assert_eq!(
        Statement::from_json(payload).as_ref(),
        Ok(admission.statement())
    );
    assert_eq!(admission.accepted_at(), now);
    let statement = admission.statement().clone();
    assert!(statement.common.issued_at <= now.saturating_add(bonafide::registry::MAX_CLOCK_SKEW));

    let mut fresh = common::demo_checker();
    let size = fresh.registry().len();
    let entry = fresh.append(*admission);
    assert_eq!(entry.index, size);
    assert_eq!(entry.statement, statement);
    assert_eq!(fresh.registry().tree().size(), size + 1);
    assert_eq!(fresh.registry().tree().leaf(size), Some(&entry.leaf_hash));
    match fresh.admit(envelope, now) {
        Ok(Admitted::Duplicate(same)) => assert_eq!(same.index, entry.index),
        other => panic!("an appended statement is admitted again as {other:?}"),
    }
    Some(fresh)
}

fn envelope(bytes: &[u8]) {
    admitted(&common::DEMO, bytes);
}

fn signed(data: &[u8]) {
    let Some((&who, payload)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(payload) else {
        return;
    };
    let Ok(canonical) = crypto::canonicalize(&value) else {
        return;
    };
    let keys = common::keys();
    let all: [&SigningKey; 4] = [&keys.operator, &keys.root, &keys.alice, &keys.bob];
    let chosen: Vec<&SigningKey> = (0..4)
        .filter(|i| who & (1 << i) != 0)
        .map(|i| all[i])
        .collect();
    let mut jws = GeneralJws::new(&canonical);
    for key in &chosen {
        jws.sign(key, STATEMENT_TYP);
    }
    let envelope = jws.to_canonical_bytes();
    let Some(fresh) = admitted(&common::DEMO, &envelope) else {
        if chosen.is_empty() {
            assert!(common::DEMO.admit(&envelope, common::now()).is_err());
        }
        return;
    };
    assert!(!chosen.is_empty(), "admitted without a signature");
    // The same signatures over a changed payload (another id) are refused.
    let mut changed = value.clone();
    changed["id"] = serde_json::Value::String("fuzz-changed-id".into());
    if let Ok(changed_payload) = crypto::canonicalize(&changed) {
        let raw: serde_json::Value = serde_json::from_slice(&envelope).expect("JSON");
        let mut forged = raw.clone();
        forged["payload"] = serde_json::to_value(GeneralJws::new(&changed_payload)).expect("JSON")
            ["payload"]
            .clone();
        let forged = serde_json::to_vec(&forged).expect("JSON");
        if changed_payload != canonical {
            match common::DEMO.admit(&forged, common::now()) {
                Err(_) => {}
                Ok(other) => panic!("a forged payload was admitted: {other:?}"),
            }
        }
    }
    // Checks still answer with the statement in the register.
    let text = String::from_utf8(canonical).expect("JSON is UTF-8");
    let query = MessageQuery {
        org: bonafide::demo::DEMO_ORG.to_owned(),
        text,
        action: None,
        as_of: None,
    };
    let first = check_message(fresh.registry(), fresh.index(), &query, common::now());
    let second = check_message(fresh.registry(), fresh.index(), &query, common::now());
    assert_eq!(first, second, "a check is deterministic");
    if let Err(e) = first {
        // Only a register without the demo organisation in force (a superseding org
        // statement) or a message too long may refuse.
        assert!(
            !matches!(e, bonafide::check::CheckError::EmptyMessage),
            "{e}"
        );
    }
}

fn newtypes(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    macro_rules! round_trip {
        ($ty:ty, $write:expr) => {
            if let Ok(value) = <$ty>::parse(text) {
                let written: String = $write(&value);
                assert_eq!(<$ty>::parse(&written).as_ref(), Ok(&value), "{written:?}");
            }
        };
    }
    round_trip!(OrgSlug, |v: &OrgSlug| v.as_str().to_owned());
    round_trip!(StatementId, |v: &StatementId| v.as_str().to_owned());
    round_trip!(Token, |v: &Token| v.as_str().to_owned());
    round_trip!(Uscc, |v: &Uscc| v.as_str().to_owned());
    round_trip!(Timestamp, |v: &Timestamp| v.to_string());
    round_trip!(CalendarDate, |v: &CalendarDate| v.to_string());
    round_trip!(LangTag, |v: &LangTag| v.as_str().to_owned());
    round_trip!(BoundedText, |v: &BoundedText| v.as_str().to_owned());
    round_trip!(Sha256Hex, |v: &Sha256Hex| v.to_string());
    if let Ok(t) = Timestamp::parse(text) {
        assert_eq!(t.whole_seconds().whole_seconds(), t.whole_seconds());
        assert!(t.whole_seconds() <= t);
        let _ = t.saturating_add(bonafide::registry::MAX_CLOCK_SKEW);
    }
    if let Ok(value) = serde_json::from_str::<Statement>(text) {
        let _ = serde_json::to_value(&value).expect("serialises");
    }
    let _ = text.parse::<bonafide::domain::StatementType>();
}

fn write_seeds(dir: &str) {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir).expect("a seed directory");
    let write = |name: &str, mode: u8, extra: &[u8], body: &[u8]| {
        let mut bytes = vec![mode];
        bytes.extend_from_slice(extra);
        bytes.extend_from_slice(body);
        std::fs::write(dir.join(name), bytes).expect("a seed file");
    };
    for (i, envelope) in common::ENVELOPES.iter().enumerate() {
        let jws = GeneralJws::parse(envelope, STATEMENT_TYP).expect("a demo envelope");
        let mut value: serde_json::Value =
            serde_json::from_slice(jws.payload()).expect("a demo payload");
        write(&format!("json-{i:02}"), 0, &[], jws.payload());
        if i == 0 || i + 1 == common::ENVELOPES.len() {
            write(&format!("envelope-{i:02}"), 1, &[], envelope);
        }
        // A new id, so that it is not a duplicate, signed as the demo signed the original.
        value["id"] = serde_json::Value::String(format!("fuzz-{i:02}"));
        let signers = if i == 0 {
            0b0001
        } else if i == 1 {
            0b0010
        } else {
            0b1100
        };
        write(
            &format!("signed-{i:02}"),
            2,
            &[signers],
            &crypto::canonicalize(&value).expect("canonical"),
        );
    }
    write("newtype-time", 3, &[], common::NOW.as_bytes());
    write("newtype-uscc", 3, &[], b"91110000MA01UCG8XQ");
    std::process::exit(0);
}

fuzz_target!(
    init: {
        if let Ok(dir) = std::env::var("BONAFIDE_FUZZ_WRITE_SEEDS") {
            write_seeds(&dir);
        }
        let _ = &*common::DEMO;
    },
    |data: &[u8]| {
        let Some((mode, rest)) = common::split(data) else {
            return;
        };
        match mode % 4 {
            0 => statement_json(rest),
            1 => envelope(rest),
            2 => signed(rest),
            _ => newtypes(rest),
        }
    }
);
