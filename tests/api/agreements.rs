//! `POST /v1/checks/agreement` against the demo register: the committed corpus
//! (`tests/fixtures/agreements/`, its expected outcomes and findings in `expected.json`), and a
//! hostile set built here, answered with a 4xx within seconds while another client's contact
//! checks go on, leaving no worker directory behind.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use bonafide::check::verdict::VerdictClaims;
use bonafide::crypto::VerifyingKey;
use bonafide::domain::PublicJwk;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::helpers::{TestApp, error_of, multipart_form, statement};

/// The corpus.
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/agreements");
/// The demo's registered genuine agreement (src/demo.rs).
const GENUINE_ID: &str = "iucg-genuine-agreement-2026-001";
/// The longest a hostile document may take to be answered (the worker's deadline is 10 s).
const HOSTILE_WITHIN: Duration = Duration::from_secs(15);
/// The longest a contact check may take while hostile documents are being read.
const CONTACT_WITHIN: Duration = Duration::from_secs(2);
/// How many times the hostile set is sent at once.
const ROUNDS: usize = 3;
/// The prefix of a worker's temporary directory (src/document/worker.rs).
const WORKER_DIR_PREFIX: &str = "bonafide-document-";
/// Excerpts are short: a finding quoting pages of the document would not be one.
const MAX_EXCERPT_CHARS: usize = 500;

const PDF: &str = "application/pdf";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const TEXT: &str = "text/plain";

/// One entry of `expected.json` (see the corpus README).
#[derive(Debug, Deserialize)]
struct Entry {
    file: String,
    format: String,
    expected_outcome: String,
    expected_findings: Vec<ExpectedFinding>,
}

#[derive(Debug, Deserialize)]
struct ExpectedFinding {
    field: String,
    result: String,
    contains: Option<String>,
}

fn corpus() -> Vec<Entry> {
    let text = std::fs::read_to_string(Path::new(FIXTURES).join("expected.json"))
        .expect("expected.json reads");
    serde_json::from_str(&text).expect("expected.json parses")
}

fn fixture(file: &str) -> Vec<u8> {
    let path = Path::new(FIXTURES).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The README's comparison: NFKC, case folding, no white space and no hyphens.
fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    let nfkc: String = text.nfkc().collect();
    icu_casemap::CaseMapper::new()
        .fold_string(&nfkc)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}'))
        .collect()
}

/// Whether `contains` is part of the finding's input, excerpt or official value.
fn finding_contains(finding: &Value, contains: &str) -> bool {
    let wanted = folded(contains);
    ["input", "excerpt", "official"]
        .iter()
        .filter_map(|member| finding[member].as_str())
        .any(|text| folded(text).contains(&wanted))
}

/// A finding in one line, for failure reports.
fn brief(finding: &Value) -> String {
    let mut line = format!(
        "{}/{}/{} input={:?}",
        finding["field"].as_str().unwrap_or("?"),
        finding["result"].as_str().unwrap_or("?"),
        finding["reason"].as_str().unwrap_or("?"),
        finding["input"].as_str().unwrap_or_default(),
    );
    if let Some(excerpt) = finding["excerpt"].as_str() {
        let short: String = excerpt.chars().take(80).collect();
        let _ = write!(line, " excerpt={short:?}");
    }
    if !finding["location"].is_null() {
        let _ = write!(line, " at {}", finding["location"]);
    }
    if let Some(official) = finding["official"].as_str() {
        let _ = write!(line, " official={official:?}");
    }
    if let Some(id) = finding["statement"]["id"].as_str() {
        let _ = write!(line, " statement={id}");
    }
    line
}

/// The keys a verdict is checked with: the published set as `jsonwebtoken` reads it, and as
/// bonafide's own verifier takes it.
struct Keys {
    jwks: JwkSet,
    own: Vec<VerifyingKey>,
}

async fn published_keys(app: &TestApp) -> Keys {
    let response = app.jwks().await;
    assert_eq!(response.status(), 200, "GET /.well-known/jwks.json");
    let value: Value = response.json().await.expect("JSON");
    let own = value["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|k| {
            let text = |m: &str| k[m].as_str().expect("a string member");
            let jwk = PublicJwk::parse(text("kty"), text("crv"), text("x")).expect("an OKP key");
            VerifyingKey::from_jwk(&jwk).expect("an Ed25519 key")
        })
        .collect();
    Keys {
        jwks: serde_json::from_value(value).expect("a JWK set"),
        own,
    }
}

/// Problems with the signed verdict of a 200 answer: it must verify with the published keys (in
/// `jsonwebtoken` and in bonafide's own verifier), carry exactly the claims answered beside it,
/// and be an agreement verdict about these very bytes.
fn verdict_problems(app: &TestApp, keys: &Keys, body: &Value, bytes: &[u8]) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(token) = body["verdict"].as_str() else {
        return vec!["no verdict in the answer".into()];
    };
    // The test clock stands still at START; `exp` is checked against it below, not against the
    // system clock.
    let jose = (|| {
        let header = jsonwebtoken::decode_header(token).map_err(|e| format!("header: {e}"))?;
        if header.typ.as_deref() != Some("bonafide-verdict+jwt") {
            return Err(format!("typ {:?}", header.typ));
        }
        let kid = header.kid.ok_or("no kid")?;
        let jwk = keys
            .jwks
            .find(&kid)
            .ok_or_else(|| format!("no key {kid}"))?;
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("key: {e}"))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&app.address]);
        validation.set_required_spec_claims(&["exp", "iat", "iss"]);
        validation.validate_exp = false;
        validation.validate_aud = false;
        jsonwebtoken::decode::<Value>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|e| format!("{e:?}"))
    })();
    match jose {
        Ok(claims) if claims == body["claims"] => {}
        Ok(_) => problems.push("the verdict's claims are not the ones answered".into()),
        Err(e) => problems.push(format!("the verdict does not verify in jsonwebtoken: {e}")),
    }
    if let Err(e) = VerdictClaims::verify(token, &keys.own) {
        problems.push(format!("the verdict does not verify in bonafide: {e}"));
    }
    let claims = &body["claims"];
    if claims["check"] != "agreement" {
        problems.push(format!("check {}, expected \"agreement\"", claims["check"]));
    }
    let sha256 = sha256_hex(bytes);
    if claims["subject_sha256"] != sha256.as_str() {
        problems.push(format!(
            "subject_sha256 {}, expected {sha256}",
            claims["subject_sha256"]
        ));
    }
    if claims["org"] != "iucg" {
        problems.push(format!("org {}", claims["org"]));
    }
    let (iat, exp) = (claims["iat"].as_i64(), claims["exp"].as_i64());
    if iat != Some(app.now().unix_seconds()) || exp.zip(iat).map(|(e, i)| e - i) != Some(2_592_000)
    {
        problems.push(format!(
            "iat {iat:?} and exp {exp:?}: not now and thirty days"
        ));
    }
    problems
}

/// Problems with one corpus document's answer, against its entry in `expected.json`.
fn corpus_problems(
    app: &TestApp,
    keys: &Keys,
    entry: &Entry,
    bytes: &[u8],
    status: u16,
    body: &Value,
) -> Vec<String> {
    if status != 200 {
        return vec![format!("HTTP {status} {body}")];
    }
    let mut problems = verdict_problems(app, keys, body, bytes);
    let claims = &body["claims"];
    let outcome = claims["outcome"].as_str().unwrap_or("?");
    let findings = claims["findings"].as_array().cloned().unwrap_or_default();
    if outcome != entry.expected_outcome {
        problems.push(format!(
            "outcome {outcome}, expected {}",
            entry.expected_outcome
        ));
    }
    for expected in &entry.expected_findings {
        let found = findings.iter().any(|f| {
            f["field"] == expected.field.as_str()
                && f["result"] == expected.result.as_str()
                && match &expected.contains {
                    Some(contains) => finding_contains(f, contains),
                    None => f["excerpt"].is_null(),
                }
        });
        if !found {
            problems.push(format!(
                "no {} finding {} containing {:?}",
                expected.field,
                expected.result,
                expected.contains.as_deref().unwrap_or("(no excerpt)")
            ));
        }
    }
    for finding in &findings {
        if finding["field"] == "document" {
            continue;
        }
        let location = &finding["location"];
        let numbered = |member: &str| location[member].as_u64().is_some_and(|n| n >= 1);
        if !(numbered("page") || numbered("paragraph")) {
            problems.push(format!("no page or paragraph: {}", brief(finding)));
        }
        match finding["excerpt"].as_str() {
            Some(excerpt) if !excerpt.trim().is_empty() => {
                if excerpt.chars().count() > MAX_EXCERPT_CHARS {
                    problems.push(format!(
                        "an excerpt of {} characters: {}",
                        excerpt.chars().count(),
                        brief(finding)
                    ));
                }
            }
            _ => problems.push(format!("no excerpt: {}", brief(finding))),
        }
    }
    let documents: Vec<&Value> = findings
        .iter()
        .filter(|f| f["field"] == "document")
        .collect();
    if entry.file == "genuine.txt" {
        // Named: the document finding cites the registered statement.
        if !documents.iter().any(|f| {
            f["result"] == "verified"
                && f["reason"] == "genuine_document"
                && f["statement"]["id"] == GENUINE_ID
        }) {
            problems.push(format!(
                "no verified document finding (genuine_document) naming {GENUINE_ID}"
            ));
        }
    } else if outcome == "verified" {
        problems.push("verified although it is not a registered document".into());
    }
    if entry.file.starts_with("scan_") && !documents.iter().any(|f| f["reason"] == "no_text_layer")
    {
        problems.push("no document finding with the reason no_text_layer".into());
    }
    if entry.file.starts_with("clean_") {
        for finding in &findings {
            if finding["result"] == "fraud_risk" || finding["result"] == "not_authorised" {
                problems.push(format!("in a clean document: {}", brief(finding)));
            }
        }
    }
    // expected.json's note: the 20-page PDF's deposit clause is on page 18.
    if entry.file == "long_agreement_20p.pdf"
        && !findings
            .iter()
            .any(|f| f["field"] == "fee" && f["location"]["page"] == 18)
    {
        problems.push("no fee finding on page 18".into());
    }
    if !problems.is_empty() {
        problems.push(format!(
            "findings:\n        {}",
            findings
                .iter()
                .map(brief)
                .collect::<Vec<_>>()
                .join("\n        ")
        ));
    }
    problems
}

/// The Content-Type a corpus file is sent with. The bytes decide what a document is, so a few
/// are sent with a generic type or none at all.
fn declared(entry: &Entry) -> Option<&'static str> {
    match (entry.file.as_str(), entry.format.as_str()) {
        ("fake_warned_phone_zh_gb18030.txt", _) => Some("application/octet-stream"),
        ("fake_guarantee_fee_zh_utf16le.txt", _) => None,
        (_, "pdf") => Some(PDF),
        (_, "docx") => Some(DOCX),
        _ => Some(TEXT),
    }
}

/// The corpus files also sent as a browser form sends them.
const SENT_AS_FORM: [&str; 4] = [
    "genuine.txt",
    "clean_official_en.docx",
    "fake_deposit_zh.pdf",
    "fake_warned_phone_zh_gb18030.txt",
];

#[tokio::test]
async fn every_corpus_document_gets_its_expected_outcome_and_findings() {
    let app = TestApp::with_demo().await;
    let keys = published_keys(&app).await;
    let corpus = corpus();
    assert_eq!(corpus.len(), 17, "the corpus README lists 17 documents");
    let mut failures = String::new();
    let mut checked = 0;
    for entry in &corpus {
        let bytes = fixture(&entry.file);
        let mut answers = Vec::new();
        let response = app
            .check_agreement_raw("org=iucg", bytes.clone(), declared(entry))
            .await;
        answers.push(("raw", response));
        if SENT_AS_FORM.contains(&entry.file.as_str()) {
            let response = app
                .check_agreement_multipart("org=iucg", "file", &bytes)
                .await;
            answers.push(("form", response));
        }
        for (how, response) in answers {
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            let problems = corpus_problems(&app, &keys, entry, &bytes, status, &body);
            checked += 1;
            if !problems.is_empty() {
                let _ = writeln!(
                    failures,
                    "- {} ({how}, expected {}):\n    {}",
                    entry.file,
                    entry.expected_outcome,
                    problems.join("\n    ")
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "corpus answers that do not match ({checked} answers, {} documents):\n{failures}",
        corpus.len()
    );
}

#[tokio::test]
async fn a_form_without_a_file_field_or_that_does_not_parse_is_a_400() {
    let app = TestApp::with_demo().await;
    let genuine = fixture("genuine.txt");

    let response = app
        .check_agreement_multipart("org=iucg", "document", &genuine)
        .await;
    let (status, code, message) = error_of(response).await;
    assert_eq!((status, code.as_str()), (400, "missing_file"), "{message}");

    let response = app
        .check_agreement_raw(
            "org=iucg",
            b"this is no form at all".to_vec(),
            Some("multipart/form-data; boundary=xyz"),
        )
        .await;
    let (status, code, message) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (400, "invalid_multipart"),
        "{message}"
    );
}

#[tokio::test]
async fn a_registered_document_is_verified_whatever_it_is_declared_as() {
    let app = TestApp::with_demo().await;
    let genuine = fixture("genuine.txt");
    for content_type in [Some(PDF), Some("image/png"), None] {
        let response = app
            .check_agreement_raw("org=iucg", genuine.clone(), content_type)
            .await;
        assert_eq!(response.status(), 200, "declared {content_type:?}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(
            body["claims"]["outcome"], "verified",
            "declared {content_type:?}: {}",
            body["claims"]
        );
    }
    // One byte more is another document: it is read and at best unknown.
    let mut changed = genuine;
    changed.push(b'\n');
    let response = app
        .check_agreement_raw("org=iucg", changed, Some(TEXT))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_ne!(body["claims"]["outcome"], "verified", "{}", body["claims"]);
}

/// A registered document is answered from its hash alone: even bytes no reader reads (a PNG)
/// are `verified` while their `genuine-document` statement is in force, and refused for their
/// type again once it is revoked.
#[tokio::test]
async fn a_registered_document_is_answered_without_being_read_while_in_force() {
    let app = TestApp::with_demo().await;
    let (status, code, _) = error_of(
        app.check_agreement_raw("org=iucg", PNG.to_vec(), Some(PDF))
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (415, "unsupported_document"));

    let registered = statement(
        "genuine-document",
        "test-genuine-png",
        app.now(),
        json!({
            "sha256": sha256_hex(PNG),
            "title": {"en": "A picture registered as a document"},
            "parties": ["IUCG Investment Co., Ltd."],
            "date": "2026-11-02",
        }),
    );
    let response = app.submit_signed(&registered, &[&app.keys.alice]).await;
    assert_eq!(
        response.status(),
        201,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let response = app
        .check_agreement_raw("org=iucg", PNG.to_vec(), Some(PDF))
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    let claims = &body["claims"];
    assert_eq!(claims["outcome"], "verified", "{claims}");
    assert!(
        claims["findings"]
            .as_array()
            .is_some_and(|findings| findings
                .iter()
                .any(|f| f["field"] == "document" && f["statement"]["id"] == "test-genuine-png")),
        "the verdict names the registered document: {claims}"
    );

    app.clock.advance(time::Duration::hours(1));
    let revocation = statement(
        "revocation",
        "test-revoke-genuine-png",
        app.now(),
        json!({"revokes": "test-genuine-png", "reason": "Registered by mistake."}),
    );
    let response = app.submit_signed(&revocation, &[&app.keys.alice]).await;
    assert_eq!(
        response.status(),
        201,
        "{}",
        response.text().await.unwrap_or_default()
    );
    app.clock.advance(time::Duration::minutes(1));
    let (status, code, _) = error_of(
        app.check_agreement_raw("org=iucg", PNG.to_vec(), Some(PDF))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (415, "unsupported_document"),
        "a revoked registration verifies nothing"
    );
}

// --- The hostile set -----------------------------------------------------------------------

/// What a hostile request must get: an error envelope with this status and one of these codes,
/// or a 200 whose verdict is `unknown`.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Error(u16, &'static [&'static str]),
    Unknown,
}

#[derive(Clone)]
struct Hostile {
    label: &'static str,
    query: &'static str,
    content_type: Option<String>,
    body: Vec<u8>,
    answer: Answer,
}

fn hostile(
    label: &'static str,
    body: Vec<u8>,
    content_type: Option<&str>,
    status: u16,
    codes: &'static [&'static str],
) -> Hostile {
    Hostile {
        label,
        query: "org=iucg",
        content_type: content_type.map(str::to_owned),
        body,
        answer: Answer::Error(status, codes),
    }
}

/// A document the service may read to the end: a 200 with an `unknown` verdict.
fn read_as_unknown(label: &'static str, body: Vec<u8>, content_type: Option<&str>) -> Hostile {
    Hostile {
        answer: Answer::Unknown,
        ..hostile(label, body, content_type, 200, &[])
    }
}

impl Hostile {
    fn query(mut self, query: &'static str) -> Self {
        self.query = query;
        self
    }

    /// The same body sent as the form field `file`.
    fn in_a_form(mut self) -> Self {
        let (content_type, body) = multipart_form("file", &self.body);
        self.content_type = Some(content_type);
        self.body = body;
        self
    }
}

/// A zip (as a DOCX is) of `parts`, each deflated.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, options).expect("a zip entry");
        zip.write_all(bytes).expect("zip data");
    }
    zip.finish().expect("the zip closes").into_inner()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;

const WORD_OPEN: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#;
const WORD_CLOSE: &str = "</w:t></w:r></w:p></w:body></w:document>";

/// A DOCX whose `word/document.xml` is 200 MiB, nearly all spaces, deflated to about 200 KiB
/// (a ratio near 1000, the limit is 200): written to the zip writer a MiB at a time, never
/// held whole.
fn zip_bomb_docx() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options)
        .expect("a zip entry");
    zip.write_all(CONTENT_TYPES).expect("zip data");
    zip.start_file("word/document.xml", options)
        .expect("a zip entry");
    zip.write_all(WORD_OPEN.as_bytes()).expect("zip data");
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..200 {
        zip.write_all(&spaces).expect("zip data");
    }
    zip.write_all(WORD_CLOSE.as_bytes()).expect("zip data");
    zip.finish().expect("the zip closes").into_inner()
}

/// A DOCX whose document part declares ten levels of entities, each ten of the one below:
/// `&lol9;` would expand to 10^9 `lol`s.
fn billion_laughs_docx() -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE w:document [\n  <!ENTITY lol0 \
         \"lol\">\n",
    );
    for level in 1..=9 {
        let _ = writeln!(
            xml,
            "  <!ENTITY lol{level} \"{}\">",
            format!("&lol{};", level - 1).repeat(10)
        );
    }
    xml.push_str("]>\n");
    xml.push_str(&WORD_OPEN[WORD_OPEN.find("<w:document").expect("root")..]);
    xml.push_str("&lol9;");
    xml.push_str(WORD_CLOSE);
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("word/document.xml", xml.as_bytes()),
    ])
}

/// Where [`nested_pdf`] puts its deeply nested array.
#[derive(Debug, Clone, Copy)]
enum Nesting {
    /// An object of its own, which the page refers to (`/Nested 6 0 R`).
    OwnObject,
    /// In the page's dictionary itself.
    PageDictionary,
    /// In the page's content stream, after its text.
    ContentStream,
}

/// A well-formed PDF (catalog, pages, one page showing a line of text in Helvetica, a
/// cross-reference table with the right offsets) with an array nested `depth` deep where
/// `nesting` says.
fn nested_pdf(depth: usize, nesting: Nesting) -> Vec<u8> {
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let text = "BT /F1 12 Tf 72 700 Td (Investment Cooperation Agreement) Tj ET";
    let content = match nesting {
        Nesting::ContentStream => format!("{text}\n{nested} pop"),
        _ => text.to_owned(),
    };
    let page_extra = match nesting {
        Nesting::OwnObject => "/Nested 6 0 R".to_owned(),
        Nesting::PageDictionary => format!("/Nested {nested}"),
        Nesting::ContentStream => String::new(),
    };
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 \
             0 R >> >> /Contents 4 0 R {page_extra} >>"
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    if let Nesting::OwnObject = nesting {
        objects.push(nested);
    }
    let mut pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(
        table,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.extend_from_slice(table.as_bytes());
    pdf
}

/// `docx` with the uncompressed size of its `word/document.xml` understated as 1000 bytes, in
/// its local header and in the central directory, as a bomb that lies about itself would.
fn understated(mut docx: Vec<u8>) -> Vec<u8> {
    const NAME: &[u8] = b"word/document.xml";
    let u16_at = |bytes: &[u8], i: usize| usize::from(u16::from_le_bytes([bytes[i], bytes[i + 1]]));
    let mut patched = 0;
    // (signature, offset of the uncompressed size, of the name length, of the name)
    for (signature, size_at, name_len_at, name_at) in
        [(b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)]
    {
        let mut i = 0;
        while let Some(found) = docx[i..].windows(4).position(|w| w == signature) {
            let at = i + found;
            let len = u16_at(&docx, at + name_len_at);
            if docx.get(at + name_at..at + name_at + len) == Some(NAME) {
                docx[at + size_at..at + size_at + 4].copy_from_slice(&1000u32.to_le_bytes());
                patched += 1;
            }
            i = at + 4;
        }
    }
    assert_eq!(
        patched, 2,
        "the local header and the central directory entry"
    );
    docx
}

/// A 1×1 PNG image.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// A PDF header followed by spaces, one byte over the 10 MiB limit.
fn over_the_limit() -> Vec<u8> {
    let mut body = b"%PDF-1.7\n".to_vec();
    body.resize(10 * 1024 * 1024 + 1, b' ');
    body
}

const OVER_LIMIT: &[&str] = &["document_over_limit"];
const UNREADABLE: &[&str] = &["unreadable_document"];

/// The hostile set; the documents that need a worker come first.
fn hostile_set() -> Vec<Hostile> {
    let half = {
        let pdf = fixture("fake_notarisation_en.pdf");
        pdf[..pdf.len() / 2].to_vec()
    };
    let no_document_part = zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        (
            "word/styles.xml",
            br#"<?xml version="1.0"?><w:styles xmlns:w="x"/>"#,
        ),
    ]);
    let bomb = zip_bomb_docx();
    vec![
        hostile("DOCX zip bomb", bomb.clone(), Some(DOCX), 422, OVER_LIMIT),
        // The zip reader refuses to unpack more than declared; the cap on what is read would
        // catch it otherwise.
        hostile(
            "DOCX zip bomb understating its size",
            understated(bomb),
            Some(DOCX),
            422,
            &["unreadable_document", "document_over_limit"],
        ),
        hostile(
            "billion-laughs DOCX",
            billion_laughs_docx(),
            Some(DOCX),
            422,
            OVER_LIMIT,
        ),
        // The parser gives up on the nested object and reads the page's text.
        read_as_unknown(
            "PDF with an object nested 100,000 deep",
            nested_pdf(100_000, Nesting::OwnObject),
            Some(PDF),
        ),
        // The page does not parse, so the document has no pages.
        hostile(
            "PDF whose page is nested 100,000 deep",
            nested_pdf(100_000, Nesting::PageDictionary),
            Some(PDF),
            422,
            &["unreadable_document", "document_over_limit"],
        ),
        // The text extractor fails on the content stream (it panics, in the worker).
        hostile(
            "PDF whose content stream is nested 100,000 deep",
            nested_pdf(100_000, Nesting::ContentStream),
            Some(PDF),
            422,
            &["unreadable_document", "document_over_limit"],
        ),
        hostile("PDF cut in half", half, Some(PDF), 422, UNREADABLE),
        hostile(
            "zip without word/document.xml",
            no_document_part,
            Some(DOCX),
            422,
            UNREADABLE,
        ),
        hostile(
            "PNG declared as PDF",
            PNG.to_vec(),
            Some(PDF),
            415,
            &["unsupported_document"],
        ),
        hostile(
            "PNG as a form's file",
            PNG.to_vec(),
            None,
            415,
            &["unsupported_document"],
        )
        .in_a_form(),
        hostile("empty body", Vec::new(), Some(PDF), 400, &["empty_body"]),
        hostile(
            "empty file in a form",
            Vec::new(),
            None,
            400,
            &["empty_body"],
        )
        .in_a_form(),
        hostile(
            "a body over 10 MiB",
            over_the_limit(),
            Some(PDF),
            413,
            &["payload_too_large"],
        ),
        hostile(
            "a form's file over 10 MiB",
            over_the_limit(),
            None,
            413,
            &["payload_too_large"],
        )
        .in_a_form(),
        hostile(
            "no org",
            fixture("fake_warned_account_en.txt"),
            Some(TEXT),
            400,
            &["missing_org"],
        )
        .query(""),
        hostile(
            "an empty org",
            fixture("fake_warned_account_en.txt"),
            Some(TEXT),
            400,
            &["missing_org"],
        )
        .query("org="),
        hostile(
            "an unknown org",
            fixture("fake_warned_account_en.txt"),
            Some(TEXT),
            404,
            &["unknown_org"],
        )
        .query("org=no-such-org"),
        hostile(
            "the genuine document for an unknown org",
            fixture("genuine.txt"),
            Some(TEXT),
            404,
            &["unknown_org"],
        )
        .query("org=no-such-org"),
    ]
}

/// Sends one hostile request and says what is wrong with its answer, if anything.
async fn send_hostile(app: Arc<TestApp>, case: Hostile) -> Result<(), String> {
    let started = Instant::now();
    let response = app
        .check_agreement_raw(case.query, case.body, case.content_type.as_deref())
        .await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let mut problems = Vec::new();
    if status >= 500 {
        problems.push(format!("a server error: HTTP {status} {text}"));
    }
    if elapsed >= HOSTILE_WITHIN {
        problems.push(format!("answered in {elapsed:?}"));
    }
    match case.answer {
        Answer::Error(expected, codes) => {
            let code = body["error"]["code"].as_str();
            let message = body["error"]["message"].as_str();
            if status != expected || !code.is_some_and(|c| codes.contains(&c)) {
                problems.push(format!(
                    "HTTP {status} {text}, expected {expected} with one of {codes:?}"
                ));
            } else if message.is_none_or(str::is_empty) {
                problems.push(format!("no message in the envelope: {text}"));
            } else if code == Some("unsupported_document")
                && !["PDF", "DOCX", "UTF-8", "GB18030"]
                    .iter()
                    .all(|read| message.is_some_and(|m| m.contains(read)))
            {
                problems.push(format!("the 415 does not say what is read: {text}"));
            }
        }
        Answer::Unknown => {
            if status != 200 || body["claims"]["outcome"] != "unknown" {
                problems.push(format!("HTTP {status} {text}, expected an unknown verdict"));
            } else if body["verdict"].as_str().is_none_or(str::is_empty) {
                problems.push("no verdict".into());
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "- {} (in {elapsed:.1?}): {}",
            case.label,
            problems.join("; ")
        ))
    }
}

/// The `bonafide-document-*` entries in `dir`.
fn worker_dirs(dir: &Path) -> BTreeSet<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(WORKER_DIR_PREFIX)
        })
        .map(|e| e.path())
        .collect()
}

/// A second client checking contacts in a loop, until stopped.
struct ContactChecks {
    done: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Vec<(u16, Duration)>>,
}

/// A contact check the demo answers `verified`.
fn contact_request() -> Value {
    json!({"org": "iucg", "name": "Wang Jianguo", "phone": "+86 138 0013 8000"})
}

impl ContactChecks {
    /// Checks that the service answers contact checks, then starts checking them in a loop from
    /// a client of its own.
    async fn start(app: &TestApp) -> Self {
        let url = app.url("/v1/checks/contact");
        let second = reqwest::Client::new();
        let first = second
            .post(&url)
            .json(&contact_request())
            .send()
            .await
            .expect("request sent");
        assert_eq!(first.status(), 200, "a contact check before the documents");
        let done = Arc::new(AtomicBool::new(false));
        let task = tokio::spawn({
            let done = done.clone();
            async move {
                let mut answers = Vec::new();
                while !done.load(Ordering::SeqCst) {
                    let started = Instant::now();
                    let status = match second.post(&url).json(&contact_request()).send().await {
                        Ok(response) => {
                            let status = response.status().as_u16();
                            let _ = response.bytes().await;
                            status
                        }
                        Err(_) => 0,
                    };
                    answers.push((status, started.elapsed()));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                answers
            }
        });
        Self { done, task }
    }

    /// Stops the loop and says what was wrong with its answers: any but a 200 (0 for no
    /// answer), any as slow as [`CONTACT_WITHIN`], or fewer than three in all.
    async fn stop(self, failures: &mut String) -> String {
        self.done.store(true, Ordering::SeqCst);
        let answers = self.task.await.expect("the contact checks ran");
        let refused: Vec<_> = answers
            .iter()
            .filter(|(status, _)| *status != 200)
            .collect();
        let slowest = answers.iter().map(|(_, t)| *t).max().unwrap_or_default();
        let slow = answers.iter().filter(|(_, t)| *t >= CONTACT_WITHIN).count();
        if answers.len() < 3 {
            let _ = writeln!(failures, "- only {} contact checks", answers.len());
        }
        if !refused.is_empty() {
            let _ = writeln!(
                failures,
                "- contact checks not answered 200 meanwhile (status, time): {refused:?}"
            );
        }
        if slow > 0 {
            let _ = writeln!(
                failures,
                "- {slow} of {} contact checks took {CONTACT_WITHIN:?} or more (slowest \
                 {slowest:?})",
                answers.len()
            );
        }
        format!(
            "{} contact checks meanwhile, slowest {slowest:?}",
            answers.len()
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_documents_get_a_4xx_within_seconds_while_contact_checks_go_on() {
    let cases = tokio::task::spawn_blocking(hostile_set)
        .await
        .expect("the hostile set builds");
    let app = Arc::new(TestApp::with_demo().await);
    let checks = ContactChecks::start(&app).await;
    // The set three times over, all at once, so that documents queue for the two worker slots.
    let cases: Vec<Hostile> = (0..ROUNDS).flat_map(|_| cases.iter().cloned()).collect();
    let labels: Vec<&'static str> = cases.iter().map(|c| c.label).collect();
    let started = Instant::now();
    let sent: Vec<_> = cases
        .into_iter()
        .map(|case| tokio::spawn(send_hostile(app.clone(), case)))
        .collect();
    let mut failures = String::new();
    for (label, task) in labels.iter().zip(sent) {
        match task.await {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => {
                let _ = writeln!(failures, "{problem}");
            }
            Err(e) => {
                let _ = writeln!(failures, "- {label}: the request failed: {e}");
            }
        }
    }
    let all_answered = started.elapsed();
    let meanwhile = checks.stop(&mut failures).await;
    assert!(
        failures.is_empty(),
        "hostile set (all answered in {all_answered:?}; {meanwhile}):\n{failures}"
    );

    // Afterwards the service still answers, contact checks and documents alike.
    let response = app.check_contact(&contact_request()).await;
    assert_eq!(response.status(), 200);
    let response = app
        .check_agreement_raw(
            "org=iucg",
            fixture("fake_warned_account_en.txt"),
            Some(TEXT),
        )
        .await;
    assert_eq!(response.status(), 200);
}

/// A text of about 3.9 MB (under the 4 MiB of text read): 20,000 paragraphs, each with a
/// phone, an email, a website, a bank account and a fee, all different.
fn flood_of_contacts() -> Vec<u8> {
    let mut text = String::new();
    for i in 0..20_000 {
        let _ = write!(
            text,
            "Party A contact {i}: telephone +86 139 {:04} {:04}, email agent{i}@iucg-invest{}.example, \
             website https://iucg{i}.example, account 6222 0210 {:04} 0012 345, handling fee \
             手续费 RMB {i},000.\n\n",
            i / 10_000,
            i % 10_000,
            i % 97,
            i % 10_000,
        );
    }
    text.into_bytes()
}

/// What the worker's deadline does not cover: checking what a document says. A text within
/// every limit but full of contacts and fees must still be answered within seconds (a verdict,
/// or a 422 if the service refuses that many), and must not hold up other requests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_full_of_contacts_is_answered_within_seconds_while_contact_checks_go_on() {
    let flood = flood_of_contacts();
    assert!(flood.len() < 4 * 1024 * 1024, "{} bytes", flood.len());
    let app = TestApp::with_demo().await;
    let checks = ContactChecks::start(&app).await;
    let started = Instant::now();
    let response = app.check_agreement_raw("org=iucg", flood, Some(TEXT)).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let mut failures = String::new();
    let answer = match status {
        200 => format!("a verdict: {}", body["claims"]["outcome"]),
        _ => format!("HTTP {status} {}", body["error"]),
    };
    let acceptable = (status == 200 && body["verdict"].is_string())
        || (status == 422 && body["error"]["code"] == "document_over_limit");
    if !acceptable {
        let _ = writeln!(failures, "- {answer}");
    }
    if elapsed >= HOSTILE_WITHIN {
        let _ = writeln!(failures, "- answered in {elapsed:.1?} ({answer})");
    }
    let meanwhile = checks.stop(&mut failures).await;
    assert!(
        failures.is_empty(),
        "a text full of contacts (answered in {elapsed:.1?}; {meanwhile}):\n{failures}"
    );
}

/// A document may not hide what it asks for behind a thousand harmless identifiers: the warned
/// account of `fake_warned_account_en.txt`, with 1,000 distinct phone numbers of "site offices"
/// inserted before its payment clause (white text in a PDF would do the same, unseen), must
/// still make the verdict `fraud_risk`. A service that will not check that many may refuse the
/// document (422 `document_over_limit`) or say in the verdict that it stopped (a document
/// finding with its own reason); it may not answer as if it had read it all.
#[tokio::test]
async fn an_identifier_after_a_thousand_others_is_still_checked_or_the_check_says_it_stopped() {
    let app = TestApp::with_demo().await;
    let original = String::from_utf8(fixture("fake_warned_account_en.txt")).expect("UTF-8");
    let payments = original.find("4. Payments.").expect("the payment clause");
    let mut text = original[..payments].to_owned();
    text.push_str("3A. Party B's project staff may be reached as follows.\n\n");
    for i in 0..1_000 {
        let _ = write!(
            text,
            "Site office {i}: telephone +86 135 {i:04} {:04}.\n\n",
            (i * 7) % 10_000
        );
    }
    text.push_str(&original[payments..]);

    let response = app
        .check_agreement_raw("org=iucg", text.into_bytes(), Some(TEXT))
        .await;
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    if status == 422 {
        assert_eq!(body["error"]["code"], "document_over_limit", "{body}");
        return;
    }
    assert_eq!(status, 200, "{body}");
    let claims = &body["claims"];
    let findings = claims["findings"].as_array().cloned().unwrap_or_default();
    let warned = findings.iter().any(|f| {
        f["field"] == "bank_account"
            && f["result"] == "fraud_risk"
            && f["input"] == "6217000099998888777"
    });
    let stopped = findings.iter().any(|f| {
        f["field"] == "document"
            && !["not_registered", "no_text_layer", "genuine_document"]
                .contains(&f["reason"].as_str().unwrap_or_default())
    });
    let counts = findings.iter().fold(
        std::collections::BTreeMap::<String, usize>::new(),
        |mut counts, f| {
            *counts
                .entry(format!(
                    "{}/{}",
                    f["field"].as_str().unwrap_or("?"),
                    f["result"].as_str().unwrap_or("?")
                ))
                .or_default() += 1;
            counts
        },
    );
    assert!(
        (warned && claims["outcome"] == "fraud_risk") || stopped,
        "outcome {}, the warned account not among {} findings ({counts:?}), and no finding says \
         the check stopped short",
        claims["outcome"],
        findings.len()
    );
}

/// A `bonafide demo` process, killed when dropped.
struct Demo(std::process::Child);

impl Drop for Demo {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Every worker directory is removed once its document is answered, and the service's memory
/// grows by what it reads, not by what the documents unpack to. The service runs as a process
/// of its own here (`bonafide demo`), with a temporary directory (`TMPDIR`) no other test uses,
/// so what is left in it is this test's alone.
#[test]
fn no_worker_directory_is_left_behind_and_the_server_stays_small() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let root = tempfile::tempdir().expect("temp dir");
    let tmp = root.path().join("tmp");
    std::fs::create_dir(&tmp).expect("a private TMPDIR");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bonafide"))
        .args(["demo", "--bind", "127.0.0.1:0", "--data"])
        .arg(root.path().join("demo"))
        .env("TMPDIR", &tmp)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("bonafide demo starts");
    let stdout = child.stdout.take().expect("stdout");
    let pid = child.id();
    let _demo = Demo(child);
    // The demo prints its address once the organisation is registered.
    let (lines, address) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead as _;
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if let Some(url) = line.trim().strip_suffix("/v1/orgs/iucg") {
                let _ = lines.send(url.to_owned());
            }
        }
    });
    let base = address
        .recv_timeout(Duration::from_secs(60))
        .expect("the demo starts and registers its organisation");
    let before = memory_kib(pid, "VmRSS");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let cases = hostile_set();
    let leftovers = runtime.block_on(async {
        let client = reqwest::Client::new();
        let post = |query: &'static str, body: Vec<u8>, content_type: Option<String>| {
            let mut request = client
                .post(format!("{base}/v1/checks/agreement?{query}"))
                .body(body);
            if let Some(content_type) = content_type {
                request = request.header("Content-Type", content_type);
            }
            request.send()
        };
        let mut sent = Vec::new();
        for case in cases {
            sent.push(post(case.query, case.body, case.content_type));
        }
        for file in [
            "clean_official_en.docx",
            "fake_deposit_zh.pdf",
            "scan_no_text_layer.pdf",
        ] {
            sent.push(post("org=iucg", fixture(file), None));
        }
        let mut statuses = Vec::new();
        for response in futures_util::future::join_all(sent).await {
            statuses.push(response.map(|r| r.status().as_u16()).unwrap_or(0));
        }
        assert!(
            statuses.iter().all(|s| (200..500).contains(s)),
            "every request answered, none with a 5xx: {statuses:?}"
        );
        worker_dirs(&tmp)
    });
    let peak = memory_kib(pid, "VmHWM");
    assert!(
        leftovers.is_empty(),
        "worker directories left behind: {leftovers:?}"
    );
    // What the server held is bounded by the bodies it read (10 MiB each at most), never by
    // what a bomb unpacks to: that happens, if at all, in a worker.
    if let (Some(before), Some(peak)) = (before, peak) {
        assert!(
            peak.saturating_sub(before) < SERVER_GROWTH_KIB,
            "the server grew from {before} KiB to a peak of {peak} KiB"
        );
    }
}

/// How much the service's resident memory may grow while it answers the hostile set once
/// (it grows by about 55 MiB in a debug build, for two bodies of 10 MiB among others).
const SERVER_GROWTH_KIB: u64 = 192 * 1024;

/// A `Vm*` line of `/proc/{pid}/status`, in KiB (`None` where there is no `/proc`).
fn memory_kib(pid: u32, line: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(line)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse().ok())
}
