//! Identifiers reduced to one comparable form before any comparison.
//!
//! Each step uses a crate built for it: `unicode-normalization` (NFKC), ICU4X `icu_casemap`
//! (full Unicode case folding, so `ß` and `SS` meet) and `icu_properties` (which characters are
//! invisible), `phonenumber` (libphonenumber's metadata: national, international and `00`
//! formats to E.164), `url` and `idna` (UTS #46 for hosts), `psl` (the Public Suffix List, for the
//! registrable part of a host), `iban_validate` (ISO 13616 check digits) and `unicode-security`
//! (UTS #39 confusable skeletons).
//!
//! Every function here is pure and total: hostile input gets an [`InputError`] naming the problem,
//! never a panic.

use std::fmt;

use icu_casemap::CaseMapper;
use icu_properties::CodePointSetData;
use icu_properties::props::DefaultIgnorableCodePoint;
use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

/// Why an identifier could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

fn invalid(message: impl Into<String>) -> InputError {
    InputError(message.into())
}

/// NFKC, invisible and control characters removed, full case folding, whitespace collapsed to
/// single spaces. Full-width letters and digits become ASCII here (NFKC), and `U+3000`
/// ideographic spaces become spaces.
pub fn fold(text: &str) -> String {
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let visible: String = text
        .nfkc()
        .filter(|&c| !ignorable.contains(c) && (c.is_whitespace() || !c.is_control()))
        .collect();
    let folded = CaseMapper::new().fold_string(&visible);
    // Folding can produce sequences that are no longer NFKC (NFKC_Casefold repeats NFKC).
    let mut out = String::with_capacity(folded.len());
    for word in folded.nfkc().collect::<String>().split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The UTS #39 confusable skeleton of already folded text: two strings with the same skeleton
/// look alike (`о` Cyrillic and `o` Latin, `rn` and `m`).
pub fn skeleton(folded: &str) -> String {
    // The confusables map to a prototype that may be upper case (`0` → `O`): fold again so that
    // `jiangu0` and `jianguo` meet.
    let prototype: String = unicode_security::skeleton(folded).collect();
    CaseMapper::new().fold_string(&prototype).into_owned()
}

/// A region whose national phone formats are understood, such as China.
pub type Region = phonenumber::country::Id;

/// A phone number in E.164 form, such as `+8613800138000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Parses a phone number as people write it: spaces, dashes, dots, brackets, full-width
    /// digits, `+86`, `0086` or no prefix (then `region` decides). Numbers that are not valid for
    /// their country are refused.
    pub fn parse(input: &str, region: Option<Region>) -> Result<Self, InputError> {
        let folded = fold(input);
        if folded.is_empty() {
            return Err(invalid("the phone number is empty"));
        }
        if folded.len() > 64 {
            return Err(invalid("the phone number is too long"));
        }
        if !folded
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()/".contains(c))
        {
            return Err(invalid(format!(
                "{input:?} is not a phone number: use digits, spaces, dashes and an optional +"
            )));
        }
        // Without a region, `00` is the international prefix almost everywhere.
        let text = match (region, folded.strip_prefix("00")) {
            (None, Some(rest)) => format!("+{rest}"),
            _ => folded,
        };
        let number = phonenumber::parse(region, &text).map_err(|e| {
            invalid(format!(
                "{input:?} is not a phone number ({e}){}",
                if region.is_none() {
                    "; give it in international form, such as +86 138 0013 8000"
                } else {
                    ""
                }
            ))
        })?;
        if !number.is_valid() {
            return Err(invalid(format!(
                "{input:?} is not a valid phone number for its country (+{})",
                number.code().value()
            )));
        }
        // E.164 is `+`, the country code, then the national number with its leading zeros (as
        // Italian numbers keep them). Built here rather than through the crate's formatter,
        // which runs its formatting patterns for a form that needs none.
        let national = number.national();
        Ok(Self(format!(
            "+{}{}{}",
            number.code().value(),
            "0".repeat(usize::from(national.zeros())),
            national.value()
        )))
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A host name, in ASCII (IDNA) form, lower case, without a trailing dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Host {
    ascii: String,
    unicode: String,
    /// The user part of a URL (`https://iucg.example@evil.com/`): never needed, often a disguise.
    userinfo: Option<String>,
    /// The path and query of the URL, if it named a page.
    page: Option<String>,
}

impl Host {
    /// Reads a host, or the host of a URL (`https://www.Example.com/path`, `example.com:8080`),
    /// applying UTS #46 (IDNA) so that `BÜCHER.example` and `xn--bcher-kva.example` are one host.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let folded = fold(input);
        if folded.is_empty() {
            return Err(invalid("the website is empty"));
        }
        if folded.len() > 2048 {
            return Err(invalid("the website is too long"));
        }
        // Any scheme, including defanged ones such as `hxxps`, is read as http: the `url` crate
        // applies IDNA only to the schemes it knows.
        let rest = folded
            .split_once("://")
            .map_or(folded.as_str(), |(_, rest)| rest);
        let with_scheme = format!("http://{rest}");
        let url = url::Url::parse(&with_scheme)
            .map_err(|e| invalid(format!("{input:?} is not a website or URL ({e})")))?;
        let host = match url.host() {
            Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
            None => return Err(invalid(format!("{input:?} names no host"))),
        };
        if host.is_empty() {
            return Err(invalid(format!("{input:?} names no host")));
        }
        // The URL parser lets a domain hold empty labels and characters no DNS name has
        // (`0.....*.0`); such a name would read differently the second time (fuzzing found it).
        let name_bytes = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.');
        // A last label that is a number (`jo0jo.0.0`, `a.0x1`) makes the URL parser read the
        // name as an IPv4 address once the trailing dots that hid it are gone.
        let numeric = |label: &str| {
            let hex = label
                .strip_prefix("0x")
                .or_else(|| label.strip_prefix("0X"));
            label.bytes().all(|b| b.is_ascii_digit())
                || hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        if matches!(url.host(), Some(url::Host::Domain(_)))
            && (host.split('.').any(str::is_empty)
                || !host.bytes().all(name_bytes)
                || host.rsplit('.').next().is_some_and(numeric))
        {
            return Err(invalid(format!(
                "{input:?} is not a host name: each label must be letters, digits or hyphens, \
                 and none empty"
            )));
        }
        let (unicode, _) = idna::domain_to_unicode(&host);
        let userinfo = match (url.username(), url.password()) {
            ("", None) => None,
            (user, password) => Some(format!("{user}:{}", password.unwrap_or_default())),
        };
        let mut page = url.path().trim_end_matches('/').to_owned();
        if let Some(query) = url.query().filter(|q| !q.is_empty()) {
            page.push('?');
            page.push_str(query);
        }
        Ok(Self {
            ascii: host,
            unicode,
            userinfo,
            page: (!page.is_empty()).then_some(page),
        })
    }

    /// The host and the page (path and query) of the URL it was read from, when it named one:
    /// `weibo.com/iucg`. A page on a shared platform is official or warned about, not the
    /// whole platform.
    pub fn page_key(&self) -> Option<String> {
        self.page.as_ref().map(|p| format!("{}{p}", self.ascii))
    }

    /// The ASCII form (`xn--` labels for non-ASCII names).
    pub fn as_str(&self) -> &str {
        &self.ascii
    }

    /// The user part of the URL it was read from, if any.
    pub fn userinfo(&self) -> Option<&str> {
        self.userinfo.as_deref()
    }

    /// The Unicode form, as a person would read it.
    pub fn unicode(&self) -> &str {
        &self.unicode
    }

    /// The skeleton of the Unicode form, to find hosts that look like another.
    pub fn skeleton(&self) -> String {
        skeleton(&self.unicode)
    }

    /// The registrable domain per the Public Suffix List (`www.iucg.example` →
    /// `iucg.example`), or the host itself for an IP address.
    pub fn registrable(&self) -> &str {
        psl::domain_str(&self.ascii).unwrap_or(&self.ascii)
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ascii)
    }
}

/// An email address: folded local part and IDNA domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    address: String,
    domain: Host,
}

impl Email {
    /// Reads `local@domain`. The domain is case-insensitive by definition; the local part is
    /// folded too, because a mailbox at an organisation's own domain is the organisation's
    /// whatever its case, and no mail provider in use distinguishes `Wang` from `wang`.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let folded = fold(input);
        let folded = folded.strip_prefix("mailto:").unwrap_or(&folded).to_owned();
        if folded.len() > 254 {
            return Err(invalid("the email address is too long"));
        }
        let Some((local, domain)) = folded.rsplit_once('@') else {
            return Err(invalid(format!("{input:?} is not an email address: no @")));
        };
        if local.is_empty()
            || local.len() > 64
            || local.contains('@')
            || local
                .chars()
                .any(|c| c.is_whitespace() || "<>()[],;:\\\"".contains(c))
        {
            return Err(invalid(format!(
                "{input:?} is not an email address: the part before @ is not a mailbox"
            )));
        }
        if domain.is_empty() || domain.contains(['/', ':', '?', '#', '[', ']', ' ']) {
            return Err(invalid(format!(
                "{input:?} is not an email address: the part after @ is not a domain"
            )));
        }
        let domain = Host::parse(domain).map_err(|e| {
            invalid(format!(
                "{input:?} is not an email address: the domain does not read ({e})"
            ))
        })?;
        // Checked on the host as read, which drops a trailing dot (`wang@iucg.`): the normal
        // form must read again as an address.
        if !domain.as_str().contains('.') {
            return Err(invalid(format!(
                "{input:?} is not an email address: the part after @ is not a domain"
            )));
        }
        let address = format!("{local}@{}", domain.as_str());
        // The domain's ASCII form can be longer than what was given (`xn--` labels): the
        // normal form must fit too, or it would not read again (fuzzing found it).
        if address.len() > 254 {
            return Err(invalid("the email address is too long"));
        }
        Ok(Self { address, domain })
    }

    /// `local@domain`, normalised.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The domain.
    pub fn domain(&self) -> &Host {
        &self.domain
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

/// A bank account number: the digits of a domestic account, or an IBAN whose check digits hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BankAccount(String);

impl BankAccount {
    /// Reads an account number written with spaces, dashes or full-width digits, or an IBAN
    /// (`DE89 3704 0044 0532 0130 00`).
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let compact: String = fold(input)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '/'))
            .collect();
        if compact.is_empty() {
            return Err(invalid("the bank account number is empty"));
        }
        if compact.len() > 34 {
            return Err(invalid(
                "the bank account number is longer than any account (34 characters)",
            ));
        }
        let mut chars = compact.chars();
        let letters = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        if letters {
            use iban::IbanLike as _;
            let iban: iban::Iban = compact
                .to_ascii_uppercase()
                .parse()
                .map_err(|e| invalid(format!("{input:?} is not a valid IBAN ({e})")))?;
            return Ok(Self(iban.electronic_str().to_owned()));
        }
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(format!(
                "{input:?} is not a bank account number: use digits, or an IBAN"
            )));
        }
        if compact.len() < 6 {
            return Err(invalid(format!(
                "{input:?} is too short for a bank account number"
            )));
        }
        Ok(Self(compact))
    }

    /// The digits, or the IBAN in electronic form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BankAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Punctuation that separates or decorates name parts: the middle dots of transliterated names,
/// hyphens, commas, full stops, brackets.
fn is_name_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c, '·' | '・' | '‧' | '•' | '。' | '，' | '、' | '（' | '）')
}

/// Forms of address written before a Latin name (`Mr. Wang Jianguo`), not part of it.
const LATIN_TITLES: &[&str] = &[
    "dr", "madam", "miss", "mister", "mr", "mrs", "ms", "prof", "sir",
];

/// Forms of address written after a Han name (`王建国先生`), not part of it.
const HAN_TITLES: &[&str] = &["先生", "女士", "小姐"];

/// The comparable forms of a person's or a company's name. A name may be written in Latin
/// letters, in Han characters, or both (`Wang Jianguo (王建国)`); each script is compared with
/// records in the same script, never transliterated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// Latin (and other non-Han) words after folding, accents and punctuation removed.
    latin: Vec<String>,
    /// The Han characters, spaces and punctuation removed: Chinese names are written without
    /// spaces, surname first, and are compared in that order.
    han: Option<String>,
}

impl Name {
    /// Reads a name. Han names are compared as written (spaces ignored); other names
    /// word by word in any order (`WANG Jianguo`, `Jianguo Wang`), accents ignored.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let folded = fold(input);
        if folded.chars().count() > 200 {
            return Err(invalid("the name is too long (200 characters at most)"));
        }
        let han: String = folded.chars().filter(|&c| is_han(c)).collect();
        let rest: String = folded
            .chars()
            .map(|c| if is_han(c) { ' ' } else { c })
            .collect();
        let latin: Vec<String> = rest
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '/' | '(' | ')' | '（' | '）'))
            .map(|w| {
                w.nfd()
                    .filter(|&c| !is_combining_mark(c) && !is_name_punctuation(c))
                    .nfc()
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        if latin.is_empty() && han.is_empty() {
            return Err(invalid("the name has no letters"));
        }
        Ok(Self {
            latin,
            han: (!han.is_empty()).then_some(han),
        })
    }

    /// Reads a person's name: as [`Name::parse`], without the forms of address around it
    /// (`Mr. Wang Jianguo`, `王建国先生`), which are not part of the name. Company names keep every
    /// word: there an added word is what an imitation looks like.
    pub fn parse_person(input: &str) -> Result<Self, InputError> {
        let mut name = Self::parse(input)?;
        let has_han = name.han.is_some();
        while (name.latin.len() > 1 || has_han)
            && name
                .latin
                .first()
                .is_some_and(|w| LATIN_TITLES.contains(&w.as_str()))
        {
            name.latin.remove(0);
        }
        if let Some(han) = &name.han
            && let Some(rest) = HAN_TITLES
                .iter()
                .find_map(|t| han.strip_suffix(t))
                .filter(|rest| rest.chars().count() >= 2)
        {
            name.han = Some(rest.to_owned());
        }
        Ok(name)
    }

    /// Whether the name is written in Han characters only.
    pub fn is_han(&self) -> bool {
        self.latin.is_empty()
    }

    /// The Latin words, in the order written.
    pub fn latin(&self) -> &[String] {
        &self.latin
    }

    /// The Han characters, if any.
    pub fn han(&self) -> Option<&str> {
        self.han.as_deref()
    }

    /// The name as normalised, for display: the Latin words, then the Han part.
    pub fn display(&self) -> String {
        let mut out = self.latin.join(" ");
        if let Some(han) = &self.han {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(han);
        }
        out
    }

    /// The keys under which a record's name is indexed: the Latin words sorted (so that word
    /// order does not matter) and the Han part as written.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::with_capacity(2);
        if !self.latin.is_empty() {
            let mut sorted = self.latin.clone();
            sorted.sort();
            keys.push(sorted.join(" "));
        }
        if let Some(han) = &self.han {
            keys.push(han.clone());
        }
        keys
    }

    /// The keys to look an input up under: those of [`Name::keys`] for every way of joining
    /// adjacent Latin words (`Wang Jian Guo` → `wang jianguo`) and, for a single word, of
    /// splitting it in two (`WangJianguo` → `wang jianguo`), so that spacing does not matter.
    /// The index then holds one key per name rather than one per spelling.
    pub fn variants(&self) -> Vec<String> {
        let mut keys = self.latin_variants();
        if let Some(han) = &self.han {
            keys.push(han.clone());
        }
        keys
    }

    /// The variants of the Latin part alone.
    pub fn latin_variants(&self) -> Vec<String> {
        /// Beyond this many words, only the words as given are tried (2^(n-1) joinings).
        const MAX_JOINED_WORDS: usize = 6;
        let words = &self.latin;
        let mut keys: Vec<String> = Vec::new();
        let mut push = |mut parts: Vec<String>| {
            parts.sort();
            let key = parts.join(" ");
            if !keys.contains(&key) {
                keys.push(key);
            }
        };
        match words.len() {
            0 => {}
            1 => {
                let word = &words[0];
                push(vec![word.clone()]);
                let boundaries: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(2).collect();
                for &at in boundaries.iter().take(boundaries.len().saturating_sub(1)) {
                    push(vec![word[..at].to_owned(), word[at..].to_owned()]);
                }
            }
            n if n <= MAX_JOINED_WORDS => {
                for mask in 0..(1u32 << (n - 1)) {
                    let mut parts = vec![words[0].clone()];
                    for (i, word) in words.iter().enumerate().skip(1) {
                        if mask & (1 << (i - 1)) != 0 {
                            if let Some(last) = parts.last_mut() {
                                last.push_str(word);
                            }
                        } else {
                            parts.push(word.clone());
                        }
                    }
                    push(parts);
                }
            }
            _ => push(words.clone()),
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_email_whose_normal_form_is_too_long_is_refused() {
        // Fuzzing (normalise target, crash-2cb2a9c3): the address fitted, its ASCII form did not.
        let input =
            include_bytes!("../../tests/fuzz/regressions/normalise/email-longer-once-normalised");
        let text = String::from_utf8_lossy(input);
        for candidate in std::iter::once(text.as_ref()).chain(text.split('\n')) {
            if let Ok(email) = Email::parse(candidate) {
                assert!(Email::parse(email.as_str()).is_ok(), "{candidate:?}");
            }
        }
    }

    /// Fuzzing (normalise target, crash-a9455c1d): a host of empty labels and `*` read as a
    /// host, and not again from its own ASCII form.
    #[test]
    fn a_host_with_empty_labels_or_stray_characters_is_refused() {
        assert!(Host::parse("\u{0}0.....*.0....").is_err());
        assert!(Host::parse("a..b.example").is_err());
        assert!(Host::parse("*.iucg.example").is_err());
        assert!(Host::parse("https://www.iucg.example./news").is_ok());
        assert!(Host::parse("_dmarc.iucg.example").is_ok());
        // crash-434de47d: a numeric last label hidden by trailing dots.
        assert!(Host::parse("\u{1}jo\u{0}0jo.0.0....").is_err());
        assert!(Host::parse("a.0x1.").is_err());
        assert!(Host::parse("10.0.0.1").is_ok());
    }

    use super::*;

    fn cn() -> Option<Region> {
        Some(phonenumber::country::Id::CN)
    }

    #[test]
    fn phone_formats_meet_in_e164() {
        for input in [
            "138 0013 8000",
            "+86-138-0013-8000",
            "0086 13800138000",
            "１３８００１３８０００",
            "+86 (138) 0013.8000",
            "138\u{200b}0013\u{200b}8000",
        ] {
            assert_eq!(
                Phone::parse(input, cn()).map(|p| p.0),
                Ok("+8613800138000".to_owned()),
                "{input}"
            );
        }
        assert_eq!(
            Phone::parse("0086 13800138000", None).map(|p| p.0),
            Ok("+8613800138000".to_owned())
        );
        assert!(Phone::parse("138 0013 800", cn()).is_err());
        assert!(Phone::parse("call me", cn()).is_err());
        assert!(Phone::parse("13800138000", None).is_err());
        // A leading zero of the national number is kept (Italy), as the crate's E.164 has it.
        let rome = phonenumber::parse(None, "+39 06 6982 0000").expect("a number");
        assert_eq!(
            Phone::parse("+39 06 6982 0000", None).map(|p| p.0),
            Ok(rome.format().mode(phonenumber::Mode::E164).to_string())
        );
    }

    #[test]
    fn hosts_reduce_to_idna_ascii() {
        let h = Host::parse("HTTPS://WWW.IUCG.Example/path?q=1").expect("host");
        assert_eq!(h.as_str(), "www.iucg.example");
        assert_eq!(h.page_key().as_deref(), Some("www.iucg.example/path?q=1"));
        assert_eq!(
            Host::parse("hxxps://bücher.example/")
                .expect("host")
                .as_str(),
            "xn--bcher-kva.example"
        );
        assert_eq!(
            Host::parse("bücher.example").expect("host").as_str(),
            "xn--bcher-kva.example"
        );
        // Cyrillic о looks like Latin o.
        let fake = Host::parse("gоogle.com").expect("host");
        assert_ne!(fake.as_str(), "google.com");
        assert_eq!(
            fake.skeleton(),
            Host::parse("google.com").expect("host").skeleton()
        );
        assert_eq!(
            Host::parse("www.iucg.com.cn").expect("host").registrable(),
            "iucg.com.cn"
        );
    }

    #[test]
    fn emails_fold_and_apply_idna() {
        let e = Email::parse("Wang.Jianguo@IUCG.example").expect("email");
        assert_eq!(e.as_str(), "wang.jianguo@iucg.example");
        assert!(Email::parse("wang.jianguo").is_err());
        assert!(Email::parse("@iucg.example").is_err());
        assert!(Email::parse("a@b").is_err());
    }

    #[test]
    fn bank_accounts_to_digits_and_ibans_checked() {
        assert_eq!(
            BankAccount::parse("6222 0210-0100 0012 345").map(|b| b.0),
            Ok("6222021001000012345".to_owned())
        );
        assert_eq!(
            BankAccount::parse("de89 3704 0044 0532 0130 00").map(|b| b.0),
            Ok("DE89370400440532013000".to_owned())
        );
        assert!(BankAccount::parse("DE89 3704 0044 0532 0130 01").is_err());
        assert!(BankAccount::parse("12ab").is_err());
    }

    #[test]
    fn names_tolerate_order_case_spacing_and_accents() {
        let keys = |s: &str| Name::parse(s).expect("name").variants();
        let wang = keys("Wang Jianguo");
        for other in [
            "WANG Jianguo",
            "Jianguo Wang",
            "WangJianguo",
            "Wáng Jiànguó",
            "wang  jianguo",
        ] {
            assert!(
                keys(other).iter().any(|k| wang.contains(k)),
                "{other} should meet Wang Jianguo"
            );
        }
        assert_eq!(keys("王建国"), keys("王 建 国"));
        let person = |s: &str| Name::parse_person(s).expect("name").variants();
        assert!(person("Mr. Wang Jianguo").iter().any(|k| wang.contains(k)));
        assert_eq!(person("王建国先生"), keys("王建国"));
        assert_eq!(person("Mr. 王建国"), keys("王建国"));
        assert!(!person("Mr Wang").iter().any(|k| wang.contains(k)));
        // A company keeps every word.
        assert_ne!(keys("Sir Holdings"), keys("Holdings"));
        let both = keys("Wang Jianguo (王建国)");
        assert!(both.iter().any(|k| wang.contains(k)));
        assert!(both.iter().any(|k| keys("王建国").contains(k)));
        assert_ne!(keys("王建国"), keys("建国王"));
        assert!(!keys("Wang Jian").iter().any(|k| wang.contains(k)));
    }

    #[test]
    fn fold_removes_invisible_and_widens() {
        assert_eq!(fold("Ｗａｎｇ\u{200d} Jian\u{feff}guo"), "wang jianguo");
        assert_eq!(fold("STRASSE"), fold("straße"));
    }

    /// Found by `tests/fuzz` (target `normalise`): `x@name.` read as `x@name`, which does not
    /// read again as an address (no dot in the domain).
    #[test]
    fn an_email_domain_needs_a_dot_once_read() {
        for input in ["wang@iucg.", "mailto8inwest@xn--bgher-kva.", "wang@iucg..."] {
            assert!(Email::parse(input).is_err(), "{input}");
        }
        let email = Email::parse("Wang@IUCG.example.").map(|e| e.address);
        assert_eq!(email.as_deref(), Ok("wang@iucg.example"));
        assert_eq!(
            Email::parse("wang@iucg.example").map(|e| e.address),
            email,
            "the normal form reads again as itself"
        );
    }
}
