//! JWS: compact tokens (verdicts) and the general JSON serialization (statements).
//!
//! The first byte picks the mode:
//! - 0: the rest is a compact token, verified with the RFC 8037 A.1 key as `bonafide-verdict+jwt`
//!   and as a verdict ([`VerdictClaims::verify`]); anything that verifies must have the expected
//!   header and re-sign to the same token when its header is bonafide's own.
//! - 1: the rest is a payload, signed compact, verified, then altered at one position: the
//!   altered token must never verify.
//! - 2: the rest is a general JWS, parsed: it must round-trip through its canonical bytes, and
//!   verification of every signature must not panic.
//! - 3: the rest is a payload signed by up to three keys as a general JWS: every signature
//!   verifies after a round trip through the canonical bytes, none under another key, and an
//!   altered payload verifies under none.

#![no_main]

use bonafide::check::verdict::VerdictClaims;
use bonafide::crypto::{
    GeneralJws, STATEMENT_TYP, SigningKey, VERDICT_TYP, is_canonical, sign_compact, verify_compact,
};
use libfuzzer_sys::fuzz_target;

/// RFC 8037 A.1's published test seed.
const A1_SEED: [u8; 32] = [
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
];

fn keys() -> [SigningKey; 3] {
    [
        SigningKey::from_seed(A1_SEED),
        SigningKey::from_seed([3; 32]),
        SigningKey::from_seed([4; 32]),
    ]
}

fn compact(token: &[u8]) {
    let Ok(token) = std::str::from_utf8(token) else {
        return;
    };
    let keys = keys();
    let key = &keys[0];
    let mut asked = None;
    let result = verify_compact(token, VERDICT_TYP, |kid| {
        asked = Some(kid.clone());
        (kid == key.id()).then(|| key.verifying_key())
    });
    if let Ok((header, payload)) = result {
        assert_eq!(header.typ, VERDICT_TYP);
        assert!(header.alg == "EdDSA" || header.alg == "Ed25519");
        assert_eq!(&header.kid, key.id());
        assert_eq!(asked.as_ref(), Some(key.id()));
        // Ed25519 is deterministic: bonafide's own header over the same payload gives the same
        // token exactly.
        let again = sign_compact(key, VERDICT_TYP, &payload);
        let own_header = again.split('.').next();
        if token.split('.').next() == own_header {
            assert_eq!(again, token);
        }
    }
    let verifying: Vec<_> = keys.iter().map(SigningKey::verifying_key).collect();
    if let Ok(claims) = VerdictClaims::verify(token, &verifying) {
        // A verified verdict is signed by one of the keys, so its payload verifies compactly.
        let ok = keys.iter().any(|k| {
            verify_compact(token.trim(), VERDICT_TYP, |kid| {
                (kid == k.id()).then(|| k.verifying_key())
            })
            .is_ok()
        });
        assert!(ok, "a verdict verified but its JWS does not: {claims:?}");
    }
    let _ = verify_compact(token, STATEMENT_TYP, |_| Some(key.verifying_key()));
}

fn sign_then_alter(data: &[u8]) {
    let Some((&at, payload)) = data.split_first() else {
        return;
    };
    let keys = keys();
    let key = &keys[usize::from(at) % 3];
    let token = sign_compact(key, VERDICT_TYP, payload);
    let (header, got) = verify_compact(&token, VERDICT_TYP, |kid| {
        (kid == key.id()).then(|| key.verifying_key())
    })
    .expect("a token just signed verifies");
    assert_eq!(got, payload);
    assert_eq!(&header.kid, key.id());
    // No other key verifies it, even when asked to.
    let other = &keys[(usize::from(at) + 1) % 3];
    assert!(verify_compact(&token, VERDICT_TYP, |_| Some(other.verifying_key())).is_err());
    // Any change to any character (base64url is strict, so every change is a change of the
    // signed input or of the signature) makes it fail.
    let mut bytes = token.into_bytes();
    let i = (usize::from(at) * 7 + payload.len()) % bytes.len();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    let mut replacement = alphabet[(usize::from(at) + payload.len()) % alphabet.len()];
    if replacement == bytes[i] {
        replacement = if bytes[i] == b'A' { b'B' } else { b'A' };
    }
    bytes[i] = replacement;
    let altered = String::from_utf8(bytes).expect("ASCII");
    assert!(
        verify_compact(&altered, VERDICT_TYP, |_| Some(key.verifying_key())).is_err(),
        "an altered token verified: {altered}"
    );
}

fn general(bytes: &[u8]) {
    let Ok(jws) = GeneralJws::parse(bytes, STATEMENT_TYP) else {
        return;
    };
    assert!(jws.headers().len() <= bonafide::crypto::MAX_SIGNATURES);
    assert!(jws.headers().iter().all(|h| h.typ == STATEMENT_TYP));
    let canonical = jws.to_canonical_bytes();
    assert!(is_canonical(&canonical));
    let again = GeneralJws::parse(&canonical, STATEMENT_TYP).expect("canonical bytes re-parse");
    assert_eq!(again, jws);
    assert_eq!(again.to_canonical_bytes(), canonical);
    let keys = keys();
    for i in 0..=jws.headers().len() {
        for key in &keys {
            let verified = jws.verify(i, &key.verifying_key());
            assert_eq!(verified, again.verify(i, &key.verifying_key()));
            assert!(!verified || i < jws.headers().len());
        }
    }
}

fn general_signed(data: &[u8]) {
    let Some((&who, payload)) = data.split_first() else {
        return;
    };
    let keys = keys();
    let signers: Vec<&SigningKey> = (0..3)
        .filter(|i| who & (1 << i) != 0)
        .map(|i| &keys[i])
        .collect();
    let mut jws = GeneralJws::new(payload);
    for key in &signers {
        jws.sign(key, STATEMENT_TYP);
    }
    let parsed = GeneralJws::parse(&jws.to_canonical_bytes(), STATEMENT_TYP)
        .expect("a JWS just signed parses");
    assert_eq!(parsed, jws);
    assert_eq!(parsed.payload(), payload);
    for (i, key) in signers.iter().enumerate() {
        assert_eq!(&parsed.headers()[i].kid, key.id());
        for other in &keys {
            assert_eq!(
                parsed.verify(i, &other.verifying_key()),
                other.id() == key.id(),
                "signature {i} by {} under {}",
                key.id(),
                other.id()
            );
        }
    }
    // The same signatures over another payload verify under no key.
    let mut altered = payload.to_vec();
    altered.push(who);
    let value: serde_json::Value = serde_json::from_slice(&jws.to_canonical_bytes()).expect("JSON");
    let mut value = value;
    value["payload"] = serde_json::Value::String(
        serde_json::from_value::<String>(
            serde_json::to_value(GeneralJws::new(&altered)).expect("JSON")["payload"].clone(),
        )
        .expect("a string"),
    );
    let text = serde_json::to_vec(&value).expect("JSON");
    let forged = GeneralJws::parse(&text, STATEMENT_TYP).expect("still well formed");
    for i in 0..signers.len() {
        for key in &keys {
            assert!(!forged.verify(i, &key.verifying_key()));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 => compact(rest),
        1 => sign_then_alter(rest),
        2 => general(rest),
        _ => general_signed(rest),
    }
});
