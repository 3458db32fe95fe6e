//! Putting the staged folder in the output folder's place so that the output path is never missing.
//!
//! On Linux (and macOS) this is one `renameat2(RENAME_EXCHANGE)` (`renameatx_np(RENAME_SWAP)`): the
//! two folders trade places in one atomic step, and the old output ends up under the staging name.
//! Where the file system or kernel does not support the exchange, two renames are used (output aside,
//! staging in); a crash between them leaves the output aside under a name that the next build
//! recognises and moves back ([`super::leftovers::sweep`]).

use std::io;
use std::path::Path;

/// How the staged folder got into place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Swapped {
    /// There was no output yet: the staged folder was renamed into place.
    Moved,
    /// The two folders traded places: the previous output is now at the staging path.
    Exchanged,
    /// The previous output was moved to the `old` path, then the staged folder into place.
    TwoRenames,
}

/// Put `staged` at `target`. The previous output (if any) ends up at `staged` ([`Swapped::Exchanged`])
/// or at `old` ([`Swapped::TwoRenames`]).
pub(super) fn swap(staged: &Path, target: &Path, old: &Path) -> io::Result<Swapped> {
    swap_with(staged, target, old, true)
}

fn swap_with(staged: &Path, target: &Path, old: &Path, try_exchange: bool) -> io::Result<Swapped> {
    match std::fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // Fails (rather than replacing) if a non-empty folder appeared there meanwhile.
            std::fs::rename(staged, target)?;
            return Ok(Swapped::Moved);
        }
        Err(e) => return Err(e),
        Ok(_) => {}
    }
    if try_exchange {
        match exchange(staged, target) {
            Ok(()) => return Ok(Swapped::Exchanged),
            Err(e) if unsupported(&e) => {}
            Err(e) => return Err(e),
        }
    }
    std::fs::rename(target, old)?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(old, target);
        return Err(e);
    }
    Ok(Swapped::TwoRenames)
}

#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Errors that mean "this file system or kernel cannot exchange", not "this exchange failed".
fn unsupported(e: &io::Error) -> bool {
    use rustix::io::Errno;
    e.kind() == io::ErrorKind::Unsupported
        || Errno::from_io_error(e)
            .is_some_and(|n| [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP].contains(&n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn folder(path: &Path, file: &str) {
        std::fs::create_dir_all(path).unwrap();
        std::fs::write(path.join(file), file).unwrap();
    }

    /// A staged build (holding `new`) beside a previous output (holding `previous`), and the path
    /// the old output may be set aside at.
    fn staged_and_previous() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let (staged, target, old) = (
            tmp.path().join("staged"),
            tmp.path().join("out"),
            tmp.path().join("old"),
        );
        folder(&staged, "new");
        folder(&target, "previous");
        (tmp, staged, target, old)
    }

    #[test]
    fn the_exchange_leaves_the_old_output_at_the_staging_path() {
        let (_tmp, staged, target, old) = staged_and_previous();
        assert_eq!(swap(&staged, &target, &old).unwrap(), Swapped::Exchanged);
        assert!(target.join("new").exists());
        assert!(staged.join("previous").exists());
        assert!(!old.exists());
    }

    #[test]
    fn without_exchange_two_renames_leave_the_old_output_aside() {
        let (_tmp, staged, target, old) = staged_and_previous();
        assert_eq!(
            swap_with(&staged, &target, &old, false).unwrap(),
            Swapped::TwoRenames
        );
        assert!(target.join("new").exists());
        assert!(old.join("previous").exists());
        assert!(!staged.exists());
    }

    #[test]
    fn a_missing_output_is_moved_into_place() {
        let tmp = tempfile::tempdir().unwrap();
        let (staged, target) = (tmp.path().join("staged"), tmp.path().join("out"));
        folder(&staged, "new");
        let old = tmp.path().join("old");
        assert_eq!(swap(&staged, &target, &old).unwrap(), Swapped::Moved);
        assert!(target.join("new").exists());
    }
}
