//! Key files on disk: private keys written once with mode 0600, public keys as JWK files.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::crypto::{SigningKey, parse_public_key_file, public_key_file};
use crate::domain::PublicJwk;

/// The private key file for `name` in `dir`.
pub(crate) fn private_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.key"))
}

/// The public key file for `name` in `dir`.
pub(crate) fn public_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.pub.jwk"))
}

/// Generates a key per name and writes `NAME.key` (0600) and `NAME.pub.jwk`, refusing to
/// overwrite either.
pub(crate) fn keygen(names: &[String], dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for name in names {
        let key = generate(dir, name)?;
        println!(
            "{name}: key id {}\n  private: {} (mode 0600; keep it secret)\n  public:  {}",
            key.id(),
            private_path(dir, name).display(),
            public_path(dir, name).display()
        );
    }
    Ok(())
}

/// Generates one key pair into `dir` and returns the private key.
pub(crate) fn generate(dir: &Path, name: &str) -> anyhow::Result<SigningKey> {
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        anyhow::bail!("invalid key name {name:?}: use a plain file name such as alice");
    }
    let key = SigningKey::generate(&mut rand::rng());
    write_private(&private_path(dir, name), &key)?;
    write_new(
        &public_path(dir, name),
        public_key_file(&key.public_jwk()).as_bytes(),
        0o644,
    )?;
    Ok(key)
}

fn write_private(path: &Path, key: &SigningKey) -> anyhow::Result<()> {
    write_new(path, key.to_private_text().as_bytes(), 0o600)
}

fn write_new(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // The mode is set at creation, so the key is never readable by others, even briefly.
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// Reads a private key file.
pub(crate) fn read_private(path: &Path) -> anyhow::Result<SigningKey> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read key file {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            eprintln!(
                "warning: {} is readable by others (mode {:o}); run chmod 600 on it",
                path.display(),
                mode & 0o777
            );
        }
    }
    SigningKey::from_private_text(&text).with_context(|| format!("{}", path.display()))
}

/// Reads a public key file.
pub(crate) fn read_public(path: &Path) -> anyhow::Result<PublicJwk> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read key file {}", path.display()))?;
    parse_public_key_file(&text).with_context(|| format!("{}", path.display()))
}

/// Loads the key `name` from `dir`, generating it first if it does not exist.
pub(crate) fn load_or_generate(dir: &Path, name: &str) -> anyhow::Result<SigningKey> {
    let path = private_path(dir, name);
    if path.exists() {
        read_private(&path)
    } else {
        generate(dir, name)
    }
}
