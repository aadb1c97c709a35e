//! Files that hold secrets and must survive a crash whole: the verdict key ring, the log key and
//! the checkpoint lock.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The permission bits of `path` when others than its owner may read or write it, `None` when
/// only the owner may (always `None` off Unix).
pub fn open_to_others(path: &Path) -> std::io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(path)?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Ok(Some(mode));
        }
    }
    #[cfg(not(unix))]
    std::fs::metadata(path)?;
    Ok(None)
}

/// Writes `bytes` to `path` through a temporary file of mode 0600 that is synced and renamed into
/// place, then syncs the directory: after a crash `path` holds the old bytes or the new ones,
/// never half of them, and the rename itself is durable.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A name of this write's own: two processes writing one file (replicas misconfigured to
    // share a checkpoint lock) must not trip over each other's temporary file; the last rename
    // wins, whole.
    let mut tmp_name = path.as_os_str().to_os_string();
    tmp_name.push(format!(
        ".tmp.{}.{:016x}",
        std::process::id(),
        rand::random::<u64>()
    ));
    let tmp = PathBuf::from(tmp_name);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_file_is_replaced_whole_and_readable_by_its_owner_only() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("secret");
        write_private(&path, b"one").unwrap_or_else(|e| panic!("{e}"));
        write_private(&path, b"two").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&path).ok(), Some(b"two".to_vec()));
        assert_eq!(open_to_others(&path).ok(), Some(None));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["secret"], "a temporary file was left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(open_to_others(&path).ok(), Some(Some(0o644)));
        }
    }
}
