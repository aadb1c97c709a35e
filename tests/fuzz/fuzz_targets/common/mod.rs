//! What several targets share: the demo register, signed through the whole trust chain with
//! keys from fixed seeds (as `src/check/agreement.rs`'s tests build it), built once per process.

#![allow(dead_code)]

use std::sync::LazyLock;

use bonafide::check::Checker;
use bonafide::crypto::SigningKey;
use bonafide::demo::{DemoKeys, demo_statements};
use bonafide::domain::Timestamp;
use bonafide::registry::Registry;

/// When the demo statements were issued and accepted.
pub const ISSUED: &str = "2026-11-02T00:00:00Z";
/// The time the checks and admissions run at: an hour after [`ISSUED`].
pub const NOW: &str = "2026-11-02T01:00:00Z";

pub fn issued() -> Timestamp {
    Timestamp::parse(ISSUED).expect("a timestamp")
}

pub fn now() -> Timestamp {
    Timestamp::parse(NOW).expect("a timestamp")
}

pub fn keys() -> DemoKeys {
    DemoKeys {
        operator: SigningKey::from_seed([1; 32]),
        root: SigningKey::from_seed([2; 32]),
        alice: SigningKey::from_seed([3; 32]),
        bob: SigningKey::from_seed([4; 32]),
    }
}

/// The demo statements' canonical envelopes, in submission order.
pub static ENVELOPES: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    demo_statements(&keys(), issued())
        .expect("the demo statements build")
        .iter()
        .map(|jws| jws.to_canonical_bytes())
        .collect()
});

/// A checker holding the demo register.
pub fn demo_checker() -> Checker {
    let keys = keys();
    let mut checker = Checker::new(Registry::new([keys.operator.verifying_key()]));
    for envelope in ENVELOPES.iter() {
        checker
            .replay(envelope, issued())
            .expect("a demo statement is accepted");
    }
    checker
}

/// The demo register, built once.
pub static DEMO: LazyLock<Checker> = LazyLock::new(demo_checker);

/// Splits the fuzz input into a selector byte and the rest.
pub fn split(data: &[u8]) -> Option<(u8, &[u8])> {
    data.split_first().map(|(&b, rest)| (b, rest))
}
