//! A small client of bonafide's own HTTP API.

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::api::{ErrorBody, StatementList, SubmitResponse};

/// The HTTP client every command uses: a 30 s timeout, rustls.
pub(crate) fn http() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("cannot build the HTTP client")
}

/// Turns a response into its body, or an error carrying the server's message and code
/// (`<message> (<code>)`), so that the command prints `error: <message> (<code>)`.
async fn body(response: reqwest::Response) -> anyhow::Result<String> {
    let status = response.status();
    let text = response
        .text()
        .await
        .context("cannot read the server's answer")?;
    if status.is_success() {
        return Ok(text);
    }
    match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => bail!("{} ({})", body.error.message, body.error.code),
        Err(_) => bail!("the server answered {status}: {}", text.trim()),
    }
}

/// A client of one bonafide server.
pub(crate) struct Client {
    base: String,
    http: reqwest::Client,
}

impl Client {
    pub(crate) fn new(base: &str) -> anyhow::Result<Self> {
        Ok(Self {
            base: base.trim_end_matches('/').to_owned(),
            http: http()?,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub(crate) async fn get_json(&self, path: &str, query: &[(&str, &str)]) -> anyhow::Result<()> {
        let response = self
            .http
            .get(self.url(path))
            .query(query)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        let text = body(response).await?;
        let value: serde_json::Value = serde_json::from_str(&text)?;
        println!("{}", serde_json::to_string_pretty(&value)?);
        Ok(())
    }

    /// POSTs `value` as JSON to `path` and returns the answer's body.
    pub(crate) async fn post_json<T: serde::Serialize + ?Sized>(
        &self,
        path: &str,
        value: &T,
    ) -> anyhow::Result<String> {
        let response = self
            .http
            .post(self.url(path))
            .json(value)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        body(response).await
    }

    /// POSTs `bytes` as they are to `path` with `query` and returns the answer's body.
    pub(crate) async fn post_bytes(
        &self,
        path: &str,
        query: &[(&str, &str)],
        bytes: Vec<u8>,
    ) -> anyhow::Result<String> {
        let response = self
            .http
            .post(self.url(path))
            .query(query)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        body(response).await
    }

    /// The base URL, without a trailing slash.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    pub(crate) async fn submit(&self, file: &Path) -> anyhow::Result<()> {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let response = self
            .http
            .post(self.url("/v1/statements"))
            .header(reqwest::header::CONTENT_TYPE, "application/jose+json")
            .body(bytes)
            .send()
            .await
            .with_context(|| format!("cannot reach {}", self.base))?;
        let text = body(response).await?;
        let answer: SubmitResponse = serde_json::from_str(&text)?;
        let r = &answer.receipt;
        println!(
            "{}: {} statement {} of {} at log index {} (leaf {})",
            answer.result, r.kind, r.id, r.org, r.log_index, r.leaf_hash
        );
        Ok(())
    }

    pub(crate) async fn list_statements(
        &self,
        org: &str,
        kind: Option<&str>,
        as_of: Option<&str>,
        json: bool,
    ) -> anyhow::Result<()> {
        let org = crate::domain::OrgSlug::parse(org)?;
        // The listing comes in pages; every page after the first is of the first one's moment.
        let mut as_of = as_of.map(str::to_owned);
        let mut after: Option<u64> = None;
        let mut list: Option<StatementList> = None;
        loop {
            let mut query: Vec<(&str, String)> = vec![("limit", "1000".to_owned())];
            if let Some(kind) = kind {
                query.push(("type", kind.to_owned()));
            }
            if let Some(as_of) = &as_of {
                query.push(("as_of", as_of.clone()));
            }
            if let Some(after) = after {
                query.push(("after", after.to_string()));
            }
            let response = self
                .http
                .get(self.url(&format!("/v1/orgs/{org}/statements")))
                .query(&query)
                .send()
                .await
                .with_context(|| format!("cannot reach {}", self.base))?;
            let text = body(response).await?;
            let page: StatementList = serde_json::from_str(&text)?;
            as_of.get_or_insert_with(|| page.as_of.to_string());
            let next = page.next_after;
            match &mut list {
                None => list = Some(page),
                Some(list) => list.statements.extend(page.statements),
            }
            match next {
                Some(next) if after.is_none_or(|before| next > before) => after = Some(next),
                _ => break,
            }
        }
        let mut list = list.context("the service answered no page")?;
        list.next_after = None;
        if json {
            println!("{}", serde_json::to_string_pretty(&list)?);
            return Ok(());
        }
        println!(
            "{} statements of {} as of {}",
            list.statements.len(),
            list.org,
            list.as_of
        );
        for item in &list.statements {
            println!(
                "{:>6}  {:<11} {:<17} {}",
                item.log_index,
                item.status.as_str(),
                item.kind.as_str(),
                item.id
            );
        }
        Ok(())
    }

    pub(crate) async fn wait_ready(&self, seconds: u64) -> anyhow::Result<()> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
        loop {
            match self.http.get(self.url("/readyz")).send().await {
                Ok(r) if r.status().is_success() => {
                    println!("{} is ready", self.base);
                    return Ok(());
                }
                Ok(r) if tokio::time::Instant::now() >= deadline => {
                    bail!("{} is not ready: {}", self.base, r.status())
                }
                Err(e) if tokio::time::Instant::now() >= deadline => {
                    bail!("{} does not answer: {e}", self.base)
                }
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
}
