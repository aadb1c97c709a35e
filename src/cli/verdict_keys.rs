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

/// `bonafide keys rotate`: the first step of a rotation, adding a next key. A ring that does not
/// exist yet is created with a signing key instead: nothing signs yet, so there is nothing to
/// hand over from.
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
    if !path.exists() {
        let id = keyring::rotate(&path, &mut rand::rng())
            .with_context(|| format!("cannot create the verdict keys in {}", path.display()))?;
        println!(
            "created {} with verdict key {id}; the service signs with it from its next start",
            path.display()
        );
        return Ok(());
    }
    let id = keyring::add_next(&path, &mut rand::rng())
        .with_context(|| format!("cannot rotate the verdict keys in {}", path.display()))?;
    println!("next verdict key {id} added to {}", path.display());
    println!(
        "Step 1 of 2: restart every replica of the service; each then publishes the key at          /.well-known/jwks.json but does not sign with it yet."
    );
    println!(
        "Step 2 of 2: once every replica publishes it and cached key sets have expired (a          minute), run `bonafide keys promote` with the same --data or --keyring and restart the          replicas: they sign with it from then on; the older keys stay published."
    );
    Ok(())
}

/// `bonafide keys promote`: the second step of a rotation, making the next key sign.
pub(super) fn promote(args: &KeyringArgs) -> anyhow::Result<()> {
    let path = args.path();
    let id = keyring::promote(&path)
        .with_context(|| format!("cannot promote the next verdict key in {}", path.display()))?;
    println!(
        "verdict key {id} in {} is now current: the service signs with it from its next start;          the older keys stay published, so the verdicts they signed still verify",
        path.display()
    );
    Ok(())
}

/// `bonafide keys list`.
pub(super) fn list(args: &KeyringArgs) -> anyhow::Result<()> {
    let path = args.path();
    let ring = keyring::read(&path)
        .with_context(|| format!("cannot read the verdict keys in {}", path.display()))?;
    let current = ring.current().id().clone();
    let next = ring.next().map(|k| k.id().clone());
    println!("verdict keys in {}, oldest first:", path.display());
    for id in ring.ids() {
        let mark = if id == current {
            "current"
        } else if Some(&id) == next.as_ref() {
            "next, published, not signing until `bonafide keys promote`"
        } else {
            "retired, still published"
        };
        println!("  {id}  {mark}");
    }
    println!("A running service signs with the key that was current when it started.");
    Ok(())
}
