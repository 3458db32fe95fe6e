//! The folders a build keeps beside the output (`.public.intark-staging-PID`, and
//! `.public.intark-old-PID` where the file system cannot exchange): their names, their removal on
//! SIGINT/SIGTERM/SIGHUP, and the sweep at the start of the next build after a `kill -9`.
//!
//! Both kinds carry the [`MARKER`](super::MARKER) from the moment they exist, so a folder is removed
//! only if its name is ours, the process in its name is gone, and it carries the marker (or is empty).

use super::guard::{carries_marker, is_empty};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

/// What a folder beside the output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A build being written (or, after an exchange, the previous output on its way out).
    Staging,
    /// The previous output moved aside by the two-rename fallback.
    Old,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Staging => "staging",
            Kind::Old => "old",
        }
    }
}

/// The folder of `kind` for this process beside `target`.
pub(super) fn path(target: &Path, kind: Kind) -> PathBuf {
    target.with_file_name(name(target, kind, std::process::id()))
}

fn target_name(target: &Path) -> String {
    target
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned())
}

fn name(target: &Path, kind: Kind, pid: u32) -> String {
    format!(".{}.intark-{}-{pid}", target_name(target), kind.word())
}

/// The kind and process id in a name of ours beside `target`.
fn parse(target: &Path, name: &str) -> Option<(Kind, u32)> {
    let rest = name.strip_prefix(&format!(".{}.intark-", target_name(target)))?;
    let (word, pid) = rest.split_once('-')?;
    let kind = [Kind::Staging, Kind::Old]
        .into_iter()
        .find(|k| k.word() == word)?;
    Some((kind, pid.parse().ok()?))
}

/// Whether a process with this id is running (and is not this one, whose leftovers from a previous
/// life under the same id are stale by the time a new build starts).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Clean up after builds that were killed: put an output that was moved aside back if the output
/// is missing, and remove the staging and old folders of processes that are gone.
pub(super) fn sweep(target: &Path) -> Result<()> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    let entries = match std::fs::read_dir(parent) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io("cannot read", parent, e)),
    };
    let mut ours: Vec<(Kind, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some((kind, pid)) = name.to_str().and_then(|n| parse(target, n)) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && !alive(pid) && (carries_marker(&path) || is_empty(&path)?) {
            ours.push((kind, path));
        }
    }
    // An output moved aside by the two-rename fallback goes back first.
    ours.sort_by_key(|(kind, _)| *kind != Kind::Old);
    for (kind, path) in ours {
        let missing = std::fs::symlink_metadata(target).is_err();
        if kind == Kind::Old && missing && carries_marker(&path) {
            std::fs::rename(&path, target).map_err(|e| Error::io("cannot restore", &path, e))?;
            continue;
        }
        std::fs::remove_dir_all(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    }
    Ok(())
}

/// Folders to remove if the process is told to stop.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// Remove `path` if the process gets SIGINT, SIGTERM or SIGHUP before [`forget`] is called.
pub(super) fn remove_on_signal(path: &Path) {
    HANDLER.call_once(install_handler);
    active().push(path.to_path_buf());
}

/// No longer remove `path` on a signal.
pub(super) fn forget(path: &Path) {
    active().retain(|p| p != path);
}

/// The list of folders to remove, locked: a signal that arrives meanwhile waits, so holding this
/// across the swap means the handler never removes a folder while it is trading places.
pub(super) fn active() -> MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn install_handler() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let spawned = std::thread::Builder::new()
        .name("output-cleanup".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let active = active();
                for path in active.iter() {
                    let _ = std::fs::remove_dir_all(path);
                }
                // End the process the way the signal would have (status 128 + signal for a shell).
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
    drop(spawned);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_others_are_not_ours() {
        let target = Path::new("/site/public");
        let staging = path(target, Kind::Staging);
        let name = staging.file_name().unwrap().to_str().unwrap();
        assert_eq!(
            parse(target, name),
            Some((Kind::Staging, std::process::id()))
        );
        assert_eq!(
            parse(target, ".public.intark-old-12"),
            Some((Kind::Old, 12))
        );
        assert_eq!(parse(target, ".public.staging-12"), None);
        assert_eq!(parse(target, ".other.intark-old-12"), None);
        assert_eq!(parse(target, ".public.intark-old-x"), None);
    }

    #[test]
    fn the_sweep_restores_an_output_moved_aside_and_removes_only_ours() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let gone = u32::try_from(i32::MAX).unwrap(); // no such process
        let old = tmp.path().join(name(&target, Kind::Old, gone));
        let staging = tmp.path().join(name(&target, Kind::Staging, gone));
        let foreign = tmp.path().join(name(&target, Kind::Staging, gone - 1));
        for dir in [&old, &staging, &foreign] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("index.html"), "x").unwrap();
        }
        std::fs::write(old.join(super::super::MARKER), "").unwrap();
        std::fs::write(staging.join(super::super::MARKER), "").unwrap();

        sweep(&target).unwrap();
        assert!(target.join("index.html").exists(), "the old output is back");
        assert!(!old.exists() && !staging.exists());
        assert!(foreign.exists(), "a folder without the marker is not ours");
    }
}
