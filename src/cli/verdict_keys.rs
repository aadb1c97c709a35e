//! `bonafide keys ...`: the service's verdict key ring.

use std::path::PathBuf;

use anyhow::Context as _;

use super::KeyringArgs;
use crate::keyring;

impl KeyringArgs {
    /// The ring file: `--keyring`, else `verdict-keys` in the data directory.
    pub(crate) fn path(&self) -> PathBuf {
        self.keyring
            .clone()
            .unwrap_or_else(|| keyring::default_path(&self.data))
    }
}

/// `bonafide keys rotate`.
pub(super) fn rotate(args: &KeyringArgs) -> anyhow::Result<()> {
    let path = args.path();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        anyhow::bail!(
            "{} does not exist: give the service's data directory (--data) or key ring (--keyring)",
            dir.display()
        );
    }
    let existed = path.exists();
    let id = keyring::rotate(&path, &mut rand::rng())
        .with_context(|| format!("cannot rotate the verdict keys in {}", path.display()))?;
    let retired = keyring::read(&path)?.ids().len().saturating_sub(1);
    if !existed {
        println!(
            "created {} with verdict key {id}; the service signs with it from its next start",
            path.display()
        );
        return Ok(());
    }
    println!("new verdict key {id} added to {}", path.display());
    let older = match retired {
        1 => "the older key stays".to_owned(),
        n => format!("the {n} older keys stay"),
    };
    println!(
        "The service signs verdicts with it from its next start; {older} published at \
         /.well-known/jwks.json, so the verdicts they signed still verify."
    );
    Ok(())
}

/// `bonafide keys list`.
pub(super) fn list(args: &KeyringArgs) -> anyhow::Result<()> {
    let path = args.path();
    let ring = keyring::read(&path)
        .with_context(|| format!("cannot read the verdict keys in {}", path.display()))?;
    let current = ring.current().id().clone();
    println!("verdict keys in {}, oldest first:", path.display());
    for id in ring.ids() {
        let mark = if id == current {
            "current"
        } else {
            "retired, still published"
        };
        println!("  {id}  {mark}");
    }
    println!("A running service signs with the key that was current when it started.");
    Ok(())
}
