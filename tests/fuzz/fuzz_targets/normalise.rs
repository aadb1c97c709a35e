//! Normalisation of identifiers (`src/check/normalise.rs`) and contact checks against the demo
//! register.
//!
//! The first byte picks the phone region (none, CN, US, GB, DE, IT, JP, FR) and the mode (bit 3
//! set: contact check). The rest is UTF-8 text.
//! - Identifiers: `fold` is idempotent and its output has no control characters and no double
//!   or edge spaces; every parser's output parses again to itself (E.164 phones with and
//!   without a region, ASCII and Unicode hosts, emails, bank accounts, names); a host's
//!   registrable domain is a suffix of it; an email's domain is its host; a name's index keys
//!   are among its lookup variants.
//! - Contact check: the lines of the text are a phone, an email, a website, a name, a company,
//!   a bank account and an action; the check must answer the same twice, with at least one
//!   finding when it answers, and its query must survive a JSON round trip.

#![no_main]

mod common;

use bonafide::check::normalise::{BankAccount, Email, Host, Name, Phone, Region, fold, skeleton};
use bonafide::check::{ContactQuery, check_contact};
use libfuzzer_sys::fuzz_target;
use phonenumber::country::Id;

fn region(selector: u8) -> Option<Region> {
    [
        None,
        Some(Id::CN),
        Some(Id::US),
        Some(Id::GB),
        Some(Id::DE),
        Some(Id::IT),
        Some(Id::JP),
        Some(Id::FR),
    ][usize::from(selector % 8)]
}

fn identifiers(text: &str, region: Option<Region>) {
    let folded = fold(text);
    assert_eq!(fold(&folded), folded, "fold is idempotent");
    assert!(!folded.starts_with(' ') && !folded.ends_with(' ') && !folded.contains("  "));
    assert!(!folded.chars().any(|c| c.is_control()));
    let _ = skeleton(&folded);

    if let Ok(phone) = Phone::parse(text, region) {
        let e164 = phone.as_str();
        assert!(e164.starts_with('+'), "{e164}");
        assert!(e164[1..].bytes().all(|b| b.is_ascii_digit()), "{e164}");
        assert_eq!(
            Phone::parse(e164, region).as_ref(),
            Ok(&phone),
            "E.164 reads back"
        );
        // Without a region it reads back too, but only when read without one in the first
        // place: `phonenumber` reads an international number with the metadata of the region
        // given rather than of its country code, and strips a national prefix after a country
        // code even where that leaves no valid number (+7 861 234 5678, a valid Krasnodar
        // number, is valid with region CN and invalid without one). See the fuzzing report.
        if region.is_none() {
            assert_eq!(
                Phone::parse(e164, None).as_ref(),
                Ok(&phone),
                "E.164 reads back"
            );
        }
    }

    if let Ok(host) = Host::parse(text) {
        let ascii = host.as_str();
        assert!(!ascii.is_empty());
        assert!(!ascii.ends_with('.') || ascii.starts_with('['));
        // Known, reported: a name of digits with trailing dots (`0.`, `15311888960538..`)
        // reads as a domain, and without its dots as an IPv4 number (`0.0.0.0`) or not at all.
        if ascii.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return;
        }
        let Ok(again) = Host::parse(ascii) else {
            // Known, reported: a name of digits with trailing dots (`15311888960538..`) reads
            // as a domain, and without its dots as an (invalid) IPv4 number.
            assert!(
                ascii.bytes().all(|b| b.is_ascii_digit() || b == b'.'),
                "{ascii:?}"
            );
            return;
        };
        assert_eq!(again.as_str(), ascii);
        assert_eq!(again.unicode(), host.unicode());
        assert!(
            ascii.ends_with(host.registrable()),
            "{ascii} / {}",
            host.registrable()
        );
        if let Some(page) = host.page_key() {
            assert!(page.starts_with(ascii));
        }
        let _ = host.skeleton();
        // Not asserted (known, reported): the Unicode form of a non-normalised punycode label
        // (`xn--bcher-ddeaild`) reads as another host (`xn--bcher-jdeaald`) once folded.
        let _ = Host::parse(host.unicode());
    }

    if let Ok(email) = Email::parse(text) {
        let address = email.as_str();
        let again = Email::parse(address).expect("an email address reads back");
        assert_eq!(again.as_str(), address);
        assert!(address.ends_with(&format!("@{}", email.domain().as_str())));
    }

    if let Ok(account) = BankAccount::parse(text) {
        let again = BankAccount::parse(account.as_str()).expect("an account reads back");
        assert_eq!(again, account);
        assert!(account.as_str().len() <= 34);
    }

    if let Ok(name) = Name::parse(text) {
        let display = name.display();
        // Moving the Han part to the end may add a space: past the length limit, the display
        // form is only for display.
        if display.chars().count() <= 200 {
            assert_eq!(Name::parse(&display).as_ref(), Ok(&name), "{display:?}");
        }
        let variants = name.variants();
        for key in name.keys() {
            assert!(
                variants.contains(&key),
                "key {key:?} not among {variants:?}"
            );
        }
        assert_eq!(name.is_han(), name.latin().is_empty());
        if let Some(han) = name.han() {
            assert!(!han.is_empty() && !han.contains(' '));
        }
        let person = Name::parse_person(text).expect("a name is a person's name");
        assert!(person.latin().len() <= name.latin().len());
        assert!(!(person.latin().is_empty() && person.han().is_none()));
    } else {
        assert!(Name::parse_person(text).is_err());
    }
}

fn contact(text: &str) {
    let mut lines = text
        .split('\n')
        .map(|l| (!l.is_empty()).then(|| l.to_owned()));
    let mut next = || lines.next().flatten();
    let query = ContactQuery {
        phone: next(),
        email: next(),
        website: next(),
        name: next(),
        company: next(),
        bank_account: next(),
        action: next(),
        department: next(),
        project: next(),
        as_of: None,
        org: bonafide::demo::DEMO_ORG.to_owned(),
    };
    let json = serde_json::to_string(&query).expect("a query serialises");
    assert_eq!(
        serde_json::from_str::<ContactQuery>(&json).expect("a query reads back"),
        query
    );
    let demo = &*common::DEMO;
    let now = common::now();
    let first = check_contact(demo.registry(), demo.index(), &query, now);
    let second = check_contact(demo.registry(), demo.index(), &query, now);
    assert_eq!(first, second, "a check is deterministic");
    if let Ok(findings) = first {
        assert!(!findings.findings.is_empty());
        let worst = findings.findings.iter().map(|f| f.result).max();
        assert_eq!(Some(findings.outcome), worst);
    }
}

fuzz_target!(
    init: {
        let _ = &*common::DEMO;
    },
    |data: &[u8]| {
        let Some((selector, rest)) = common::split(data) else {
            return;
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        if selector & 8 == 0 {
            identifiers(text, region(selector));
        } else {
            contact(text);
        }
    }
);
