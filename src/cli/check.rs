//! `bonafide check contact`, `check agreement`, `check message` and `bonafide verify`: ask for a
//! signed verdict, and verify one offline with a service's published keys.
//!
//! Both tie the verdict's issuer (`iss`) to where its key set came from: a key set fetched from
//! a URL vouches only for verdicts whose issuer has that URL's origin (scheme, host and port), so
//! a service run by someone else cannot pass its verdicts off as another service's.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, bail};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Deserialize;
use url::Url;

use super::client::Client;
use super::{AgreementArgs, ContactArgs, MessageArgs, VerdictArgs, VerifyArgs};
use crate::api::CheckResponse;
use crate::check::verdict::VerdictClaims;
use crate::check::{ContactQuery, Finding, MAX_MESSAGE_BYTES, MessageQuery, Outcome};
use crate::crypto::{JwsHeader, VerifyingKey};
use crate::domain::{PublicJwk, Timestamp};

/// The outcome in words, as the summary shows it.
fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Verified => "Verified",
        Outcome::NotAuthorised => "Not authorised",
        Outcome::FraudRisk => "Fraud risk",
        Outcome::Unknown => "Unknown",
    }
}

/// What the user should do (DESIGN.md section 5), naming the official channels the findings
/// point to.
fn advice(outcome: Outcome, findings: &[Finding]) -> String {
    match outcome {
        Outcome::FraudRisk => {
            let mut official: Vec<&str> = Vec::new();
            for value in findings.iter().filter_map(|f| f.official.as_deref()) {
                if !official.contains(&value) {
                    official.push(value);
                }
            }
            if official.is_empty() {
                "Stop. Do not sign or pay, and reach the organisation only through its official \
                 channels."
                    .to_owned()
            } else {
                format!(
                    "Stop. Do not sign or pay; use the official channel instead: {}.",
                    official.join(", ")
                )
            }
        }
        Outcome::NotAuthorised => "Do not sign and do not pay: by the organisation's own \
             complete list, this is not the organisation's."
            .to_owned(),
        Outcome::Unknown => "The register has no record of this. Verify it through the \
             organisation's official channels before you sign or pay."
            .to_owned(),
        Outcome::Verified => {
            "Everything given matches the organisation's records. Proceed with normal care."
                .to_owned()
        }
    }
}

/// A time in seconds since the epoch, as RFC 3339.
fn seconds(value: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(value).map_or_else(
        |_| format!("{value} (seconds since 1970)"),
        |t| Timestamp::from_datetime(t).to_string(),
    )
}

/// Writes `text` to standard output. A reader that went away (`| head`) ends the output
/// quietly rather than as an error.
fn out(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to standard output")
        }
        _ => Ok(()),
    }
}

/// The outcome, what to do and every finding, as lines of text.
fn summary(claims: &VerdictClaims) -> String {
    let mut text = String::new();
    // Writing to a String cannot fail.
    let _ = write_summary(&mut text, claims);
    text
}

fn write_summary(w: &mut String, claims: &VerdictClaims) -> std::fmt::Result {
    writeln!(w, "Outcome: {}", outcome_words(claims.outcome))?;
    writeln!(
        w,
        "What to do: {}",
        advice(claims.outcome, &claims.findings)
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "Organisation {}, register as of {} (log size {})",
        claims.org, claims.as_of, claims.log.size
    )?;
    if claims.findings.is_empty() {
        writeln!(w, "No findings.")?;
    }
    for (i, finding) in claims.findings.iter().enumerate() {
        writeln!(
            w,
            "{:>3}. {} {:?}: {}",
            i + 1,
            finding.field.as_str(),
            finding.input,
            outcome_words(finding.result)
        )?;
        if let Some(location) = &finding.location {
            match &finding.excerpt {
                Some(excerpt) => writeln!(w, "     In {location}: \u{201c}{excerpt}\u{201d}")?,
                None => writeln!(w, "     In {location}")?,
            }
        }
        writeln!(w, "     {}", finding.message.en)?;
        if let Some(official) = &finding.official {
            writeln!(w, "     Use instead: {official}")?;
        }
        if let Some(statement) = &finding.statement {
            writeln!(
                w,
                "     Relied on: statement {} (log index {})",
                statement.id, statement.log_index
            )?;
        }
    }
    Ok(())
}

/// `bonafide check contact`.
pub(super) async fn contact(args: ContactArgs) -> anyhow::Result<()> {
    let as_of = args
        .as_of
        .as_deref()
        .map(Timestamp::parse)
        .transpose()
        .context("--as-of")?;
    let query = ContactQuery {
        org: args.org,
        name: args.name,
        phone: args.phone,
        email: args.email,
        website: args.website,
        bank_account: args.bank_account,
        company: args.company,
        department: args.department,
        project: args.project,
        action: args.action,
        as_of,
    };
    let client = Client::new(&args.verdict.server.server)?;
    let text = client.post_json("/v1/checks/contact", &query).await?;
    answer(&client, &text, &args.verdict).await
}

/// `bonafide check agreement`: uploads the file (the server decides its type from its bytes).
pub(super) async fn agreement(args: AgreementArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let mut query = vec![("org", args.org.as_str())];
    if let Some(action) = &args.action {
        query.push(("action", action));
    }
    if let Some(as_of) = &args.as_of {
        query.push(("as_of", as_of));
    }
    let client = Client::new(&args.verdict.server.server)?;
    let text = client
        .post_bytes("/v1/checks/agreement", &query, bytes)
        .await?;
    answer(&client, &text, &args.verdict).await
}

/// `bonafide check message`: the text from `--text`, a file, or standard input (`-`), sent as it
/// is (the verdict names the SHA-256 of exactly these bytes).
pub(super) async fn message(args: MessageArgs) -> anyhow::Result<()> {
    let as_of = args
        .as_of
        .as_deref()
        .map(Timestamp::parse)
        .transpose()
        .context("--as-of")?;
    let text = match (args.text, &args.file) {
        (Some(text), _) => text,
        (None, Some(path)) if path.as_os_str() == "-" => {
            read_message(std::io::stdin().lock(), "standard input")?
        }
        (None, Some(path)) => read_message(
            std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
            &path.display().to_string(),
        )?,
        (None, None) => bail!("give the message: --text TEXT, a file, or - for standard input"),
    };
    // The service refuses it too; saying so here spares sending it.
    if text.len() > MAX_MESSAGE_BYTES {
        bail!(
            "the message is {} bytes of UTF-8; at most {MAX_MESSAGE_BYTES} are checked (nothing \
             was sent)",
            text.len()
        );
    }
    let query = MessageQuery {
        org: args.org,
        text,
        action: args.action,
        as_of,
    };
    let subject_sha256 = crate::crypto::hex(&crate::crypto::sha256(query.text.as_bytes()));
    let client = Client::new(&args.verdict.server.server)?;
    let text = client.post_json("/v1/checks/message", &query).await?;
    let about = About {
        check: "message",
        subject_sha256,
    };
    answer_about(&client, &text, &args.verdict, Some(&about)).await
}

/// What a verdict must be about: the kind of check asked and the SHA-256 of what was sent.
struct About {
    check: &'static str,
    subject_sha256: String,
}

/// A message from `source` (named `what`), read only as far as one byte past the longest a
/// check reads: a larger one is refused without reading it whole.
fn read_message(source: impl std::io::Read, what: &str) -> anyhow::Result<String> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(source, MAX_MESSAGE_BYTES as u64 + 1),
        &mut bytes,
    )
    .with_context(|| format!("cannot read the message from {what}"))?;
    if bytes.len() > MAX_MESSAGE_BYTES {
        bail!(
            "the message in {what} is longer than {MAX_MESSAGE_BYTES} bytes, the most a check \
             reads (nothing was sent)"
        );
    }
    String::from_utf8(bytes).with_context(|| format!("the message in {what} is not UTF-8 text"))
}

/// Verifies the verdict in a check's answer with the server's own published keys, saves it if
/// asked, and prints the summary from the signed claims (or the JSON as it came).
async fn answer(client: &Client, text: &str, args: &VerdictArgs) -> anyhow::Result<()> {
    answer_about(client, text, args, None).await
}

/// [`answer`], refusing a verdict that is not `about` what was asked, when that is given.
async fn answer_about(
    client: &Client,
    text: &str,
    args: &VerdictArgs,
    about: Option<&About>,
) -> anyhow::Result<()> {
    let (save, json) = (args.save.as_deref(), args.json);
    let response: CheckResponse = serde_json::from_str(text)
        .with_context(|| format!("{} did not answer with a verdict", client.base()))?;
    // The summary comes from the signed verdict, never from the unsigned `claims` beside it.
    let jwks = format!("{}/.well-known/jwks.json", client.base());
    let jwks_url =
        Url::parse(&jwks).with_context(|| format!("--server {} is not a URL", client.base()))?;
    let keys = parse_jwks(&fetch_jwks(&jwks_url).await?, &jwks)?;
    let claims = VerdictClaims::verify(&response.verdict, &keys).with_context(|| {
        format!(
            "the verdict {} sent does NOT verify with its own published keys ({jwks}): do not \
             rely on this answer (nothing was saved)",
            client.base()
        )
    })?;
    if !same_origin(&claims.iss, &jwks_url) {
        bail!(
            "the verdict {} sent names another service as its issuer, {:?}: do not rely on this \
             answer (nothing was saved); ask the issuer itself with --server",
            client.base(),
            claims.iss
        );
    }
    if let Some(about) = about
        && (claims.check != about.check || claims.subject_sha256 != about.subject_sha256)
    {
        bail!(
            "the verdict {} sent is about another request (a {:?} check of SHA-256 {}, not the \
             {:?} check of SHA-256 {} asked): do not rely on this answer (nothing was saved)",
            client.base(),
            claims.check,
            claims.subject_sha256,
            about.check,
            about.subject_sha256
        );
    }
    if claims != response.claims {
        eprintln!(
            "warning: the unsigned claims in {}'s answer differ from its signed verdict; only \
             the signed verdict counts",
            client.base()
        );
    }
    if let Some(path) = save {
        std::fs::write(path, format!("{}\n", response.verdict))
            .with_context(|| format!("cannot save the verdict to {}", path.display()))?;
    }
    if json {
        return out(&format!("{text}\n"));
    }
    let mut text = summary(&claims);
    text.push_str(&format!(
        "\nVerdict {} signed by {}, valid until {}.\n",
        claims.jti,
        claims.iss,
        seconds(claims.exp)
    ));
    if let Some(path) = save {
        text.push_str(&format!(
            "Saved to {}; verify it with: bonafide verify {} --jwks {jwks}\n",
            path.display(),
            path.display(),
        ));
    }
    out(&text)
}

/// Whether `source` names the key set by URL rather than by file.
fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Whether `iss` is a URL with the origin (scheme, host and port) of `url`. An issuer that is not
/// a URL, or whose origin is opaque, has no origin in common with anything.
fn same_origin(iss: &str, url: &Url) -> bool {
    Url::parse(iss).is_ok_and(|iss| iss.origin() == url.origin())
}

/// Whether two issuer URLs are the same, a trailing slash aside.
fn same_issuer(a: &Url, b: &Url) -> bool {
    a.as_str().trim_end_matches('/') == b.as_str().trim_end_matches('/')
}

/// GETs a key set. Redirects are followed only within the URL's origin: a key set served from
/// elsewhere would not be the origin's.
async fn fetch_jwks(url: &Url) -> anyhow::Result<String> {
    let origin = url.origin();
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 10 {
            attempt.error("too many redirects")
        } else if attempt.url().origin() != origin {
            let to = attempt.url().origin().ascii_serialization();
            attempt.error(format!(
                "redirected to another origin, {to}: a key set must come from the issuer's own \
                 origin"
            ))
        } else {
            attempt.follow()
        }
    });
    let response = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .redirect(policy)
        .build()
        .context("cannot build the HTTP client")?
        .get(url.clone())
        .send()
        .await
        .with_context(|| format!("cannot fetch the key set {url}"))?;
    let status = response.status();
    if !status.is_success() {
        bail!("cannot fetch the key set {url}: the server answered {status}");
    }
    response
        .text()
        .await
        .with_context(|| format!("cannot read the key set {url}"))
}

/// A JWK as any JWK set may hold it: keys of other types are skipped, not refused.
#[derive(Debug, Deserialize)]
struct AnyJwk {
    kty: String,
    #[serde(default)]
    crv: Option<String>,
    #[serde(default)]
    x: Option<String>,
    #[serde(default)]
    kid: Option<String>,
}

#[derive(Debug, Deserialize)]
struct AnyJwks {
    keys: Vec<AnyJwk>,
}

/// The Ed25519 keys of a JWK set. A published `kid` that is not the key's thumbprint is refused:
/// verdicts name their key by thumbprint.
fn parse_jwks(text: &str, source: &str) -> anyhow::Result<Vec<VerifyingKey>> {
    let set: AnyJwks = serde_json::from_str(text)
        .with_context(|| format!("{source} is not a JWK set ({{\"keys\": [...]}})"))?;
    let mut keys = Vec::new();
    for (i, jwk) in set.keys.iter().enumerate() {
        let (Some(crv), Some(x)) = (&jwk.crv, &jwk.x) else {
            continue;
        };
        if jwk.kty != "OKP" || crv != "Ed25519" {
            continue;
        }
        let public = PublicJwk::parse(&jwk.kty, crv, x)
            .with_context(|| format!("{source}: key {}", i + 1))?;
        let key =
            VerifyingKey::from_jwk(&public).with_context(|| format!("{source}: key {}", i + 1))?;
        if let Some(kid) = &jwk.kid
            && kid != key.id().as_str()
        {
            bail!(
                "{source}: key {} says kid {kid:?} but its thumbprint is {}",
                i + 1,
                key.id()
            );
        }
        keys.push(key);
    }
    if keys.is_empty() {
        bail!("{source} holds no Ed25519 key");
    }
    Ok(keys)
}

/// The verdict in a file: a compact JWS, or a check response with a `verdict` member. Returns the
/// token and the claims the file shows beside it, if any.
fn read_verdict(path: &Path) -> anyhow::Result<(String, Option<serde_json::Value>)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = text.trim();
    if !text.starts_with('{') {
        return Ok((text.to_owned(), None));
    }
    let mut value: serde_json::Value = serde_json::from_str(text)
        .with_context(|| format!("{} is neither a verdict nor valid JSON", path.display()))?;
    let Some(token) = value.get("verdict").and_then(|v| v.as_str()) else {
        bail!(
            "{} is JSON without a \"verdict\" string: expected a check response or a bare verdict",
            path.display()
        );
    };
    let token = token.to_owned();
    Ok((token, value.get_mut("claims").map(serde_json::Value::take)))
}

/// The `kid` in a verified token's header.
fn key_id(token: &str) -> Option<String> {
    let header = token.trim().split('.').next()?;
    let bytes = URL_SAFE_NO_PAD.decode(header).ok()?;
    let header: JwsHeader = serde_json::from_slice(&bytes).ok()?;
    Some(header.kid.to_string())
}

/// How the verdict's issuer was checked.
enum IssuerCheck {
    /// It has the origin of the key set's URL (and is the `--issuer` given, if any).
    KeySetOrigin,
    /// It is the `--issuer` given; the key set is a file.
    AsGiven,
    /// Not at all: the key set is a file and no `--issuer` was given.
    Unchecked,
}

/// `bonafide verify`: a receipt, or a verdict.
pub(super) async fn verify(args: VerifyArgs) -> anyhow::Result<()> {
    if let Some(receipt) = super::receipt::read(&args.file)? {
        return super::receipt::verify(receipt, &args).await;
    }
    let Some(jwks) = args.jwks.clone() else {
        bail!(
            "a verdict is verified with the service's key set: give --jwks (a JWKS file, or its \
             URL such as https://SERVER/.well-known/jwks.json)"
        );
    };
    verify_verdict(args, &jwks).await
}

/// `bonafide verify` of a verdict, with the key set `jwks` (a file or a URL).
async fn verify_verdict(args: VerifyArgs, jwks: &str) -> anyhow::Result<()> {
    let expected = args
        .issuer
        .as_deref()
        .map(|issuer| {
            Url::parse(issuer).with_context(|| format!("--issuer {issuer:?} is not a URL"))
        })
        .transpose()?;
    let (token, shown) = read_verdict(&args.file)?;
    let (text, jwks_url) = if is_url(jwks) {
        let url =
            Url::parse(jwks).with_context(|| format!("--jwks {jwks:?} is not a valid URL"))?;
        (fetch_jwks(&url).await?, Some(url))
    } else {
        let text = std::fs::read_to_string(jwks).with_context(|| format!("cannot read {jwks}"))?;
        (text, None)
    };
    let keys = parse_jwks(&text, jwks)?;
    let claims = VerdictClaims::verify(&token, &keys).with_context(|| {
        format!(
            "the verdict in {} does NOT verify with the keys from {}",
            args.file.display(),
            jwks
        )
    })?;
    let issuer = Url::parse(&claims.iss).ok();
    if let Some(expected) = &expected
        && !issuer
            .as_ref()
            .is_some_and(|iss| same_issuer(iss, expected))
    {
        bail!(
            "the verdict was issued by {:?}, not by {expected} (--issuer): do not rely on it",
            claims.iss
        );
    }
    let checked = match &jwks_url {
        Some(url) if !same_origin(&claims.iss, url) => bail!(
            "the verdict names {:?} as its issuer, but the key set came from {}, another \
             origin: keys from one site cannot vouch for another's verdicts, so do not rely on \
             this one. To check it, use the issuer's own key set: --jwks {}/.well-known/jwks.json",
            claims.iss,
            url.origin().ascii_serialization(),
            claims.iss.trim_end_matches('/')
        ),
        Some(_) => IssuerCheck::KeySetOrigin,
        None if expected.is_some() => IssuerCheck::AsGiven,
        None => IssuerCheck::Unchecked,
    };
    if let Some(shown) = shown {
        let signed = serde_json::to_value(&claims)?;
        if shown != signed {
            eprintln!(
                "warning: the claims written in {} differ from the signed ones; the signed \
                 ones are shown",
                args.file.display()
            );
        }
    }
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    if claims.exp <= now {
        let expired = format!(
            "this verdict expired on {}: it shows what the register held on {}",
            seconds(claims.exp),
            claims.as_of
        );
        if !args.allow_expired {
            bail!("{expired}; run the check again (--allow-expired shows it anyway)");
        }
        eprintln!("warning: {expired}; run the check again before relying on it");
    }
    if matches!(checked, IssuerCheck::Unchecked) {
        eprintln!(
            "WARNING: THE ISSUER WAS NOT CHECKED. This verdict says it was issued by {:?}, but \
             the key set came from the file {}, and nothing ties that file to that issuer: \
             anyone can sign a verdict naming any issuer. Rely on it only if {} is that \
             service's own key set; better, verify with --jwks {}/.well-known/jwks.json, or \
             state the issuer you expect with --issuer.",
            claims.iss,
            jwks,
            jwks,
            claims.iss.trim_end_matches('/')
        );
    }
    let how = match checked {
        IssuerCheck::KeySetOrigin => "the key set's origin",
        IssuerCheck::AsGiven => "as given with --issuer",
        IssuerCheck::Unchecked => "NOT checked",
    };
    let text = format!(
        "The verdict verifies: signed by key {} from {}.\n\
         Issuer {} ({how}), verdict {}, a {} check.\n\
         Signed {}, valid until {}.\n\n{}",
        key_id(&token).unwrap_or_else(|| "(unknown)".into()),
        jwks,
        claims.iss,
        claims.jti,
        claims.check,
        seconds(claims.iat),
        seconds(claims.exp),
        summary(&claims)
    );
    out(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jwks_with_other_key_types_yields_its_ed25519_keys() {
        let key = crate::crypto::SigningKey::from_seed([7; 32]);
        let text = serde_json::json!({"keys": [
            {"kty": "RSA", "n": "xyz", "e": "AQAB"},
            {"kty": "OKP", "crv": "Ed25519", "x": key.public_jwk().x_b64(), "kid": key.id().as_str()},
        ]})
        .to_string();

        let keys = parse_jwks(&text, "test").expect("one key");

        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].id(), key.id());
    }

    #[test]
    fn a_jwks_whose_kid_is_not_the_thumbprint_is_refused() {
        let key = crate::crypto::SigningKey::from_seed([7; 32]);
        let text = serde_json::json!({"keys": [
            {"kty": "OKP", "crv": "Ed25519", "x": key.public_jwk().x_b64(), "kid": "other"},
        ]})
        .to_string();

        let error = parse_jwks(&text, "test").expect_err("refused");

        assert!(error.to_string().contains("thumbprint"), "{error}");
    }
}
