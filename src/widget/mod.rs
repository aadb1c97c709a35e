//! The embeddable widget and the demo news page: static assets, built into the binary.
//!
//! The widget is one dependency-free script (`widget.js`) that a news page embeds with one tag. It
//! renders into a shadow root, verifies the notice and every verdict with WebCrypto Ed25519 before
//! showing them, and inserts every value as text. Its Subresource Integrity value is computed here
//! from the bytes actually served, so the tag the README and the demo publish stays true.

use std::sync::LazyLock;

use crate::crypto;
use crate::demo::{NOTICE_EN, NOTICE_ZH};

/// The widget's source, with `__VERSION__` where the version goes.
const SOURCE: &str = include_str!("widget.js");

/// The demo news page's style sheet, served at `GET /news.css` (the page's CSP refuses inline
/// styles).
pub const NEWS_CSS: &str = include_str!("news.css");

/// The demo news page's icon, served at `GET /favicon.svg`.
pub const NEWS_ICON: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
<rect width=\"32\" height=\"32\" rx=\"4\" fill=\"#8b1a1a\"/><text x=\"16\" y=\"21\" font-size=\"11\" \
font-family=\"sans-serif\" font-weight=\"700\" fill=\"#fff\" text-anchor=\"middle\">IUCG</text></svg>";

/// The widget's version: the crate's version, which the script reports as `bonafide.version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The Content Security Policy of the demo news page: scripts, styles and requests from its own
/// origin only, nothing inline, no plugins, frames, forms or base changes.
pub const NEWS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

static SCRIPT: LazyLock<String> = LazyLock::new(|| SOURCE.replace("__VERSION__", VERSION));

static INTEGRITY: LazyLock<String> = LazyLock::new(|| crypto::sri_sha384(script().as_bytes()));

static RELEASE: LazyLock<String> = LazyLock::new(|| {
    let digest = crypto::sha256(script().as_bytes());
    format!(
        "{VERSION}-{}",
        crypto::hex(digest.get(..4).unwrap_or(&digest))
    )
});

static ETAG: LazyLock<String> = LazyLock::new(|| {
    let digest = crypto::sha256(script().as_bytes());
    // Weak: the script is also served gzip-compressed, and a strong tag would promise the same
    // bytes for both encodings.
    format!("W/\"{}\"", crypto::hex(digest.get(..12).unwrap_or(&digest)))
});

/// The widget script, served at `GET /widget.js`.
pub fn script() -> &'static str {
    &SCRIPT
}

/// The script's Subresource Integrity value (`sha384-…`), for the `integrity` attribute.
pub fn integrity() -> &'static str {
    &INTEGRITY
}

/// The name of these exact bytes: the version and a digest of the script, as in
/// `/widget/0.1.0-1a2b3c4d/widget.js`. Bytes served under a release name never change, so that URL
/// is cached for a year and pinned by its integrity.
pub fn release() -> &'static str {
    &RELEASE
}

/// The script's (weak) entity tag: a digest of its bytes.
pub fn etag() -> &'static str {
    &ETAG
}

/// The tag that embeds the widget of organisation `org` from the service at `base` (its public
/// URL, without a trailing slash): this release's immutable URL, pinned by its integrity.
pub fn script_tag(base: &str, org: &str) -> String {
    format!(
        "<script src=\"{}/widget/{}/widget.js\" data-org=\"{}\" integrity=\"{}\" \
         crossorigin=\"anonymous\" async></script>",
        escape_html(base),
        release(),
        escape_html(org),
        integrity()
    )
}

/// The demo news page of International Union Construction Group, embedding the widget from `base`
/// (the service's public URL) by its public tag.
pub fn news_page(base: &str) -> String {
    include_str!("news.html")
        .replace("{{NOTICE_EN}}", &escape_html(NOTICE_EN))
        .replace("{{NOTICE_ZH}}", &escape_html(NOTICE_ZH))
        .replace("{{WIDGET}}", &script_tag(base, crate::demo::DEMO_ORG))
}

/// `text` with the five characters that HTML gives meaning to escaped, for text and for quoted
/// attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_never_parses_html_or_code() {
        let script = script();
        assert!(!script.contains("__VERSION__"));
        assert!(script.contains(&format!("'{VERSION}'")));
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "Function(",
            "setTimeout('",
            "document.cookie",
            "localStorage",
        ] {
            assert!(!script.contains(sink), "the widget uses {sink}");
        }
    }

    #[test]
    fn escaping_leaves_no_markup() {
        assert_eq!(
            escape_html(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }

    #[test]
    fn the_page_embeds_the_public_tag_and_nothing_inline() {
        let page = news_page("https://notices.example\"><script>");
        assert!(page.contains(&format!("integrity=\"{}\"", integrity())));
        assert!(page.contains("https://notices.example&quot;&gt;&lt;script&gt;/widget/"));
        assert!(!page.contains("{{"), "a placeholder was left in the page");
        // Strict CSP: no inline script or style, no event handler attributes.
        assert_eq!(page.matches("<script").count(), 1);
        assert!(!page.contains("<style") && !page.contains(" style="));
        let handler = regex::Regex::new(r"<[^>]*\son[a-z]+\s*=").expect("a valid pattern");
        assert!(!handler.is_match(&page), "an inline event handler");
    }
}
