//! The folders a build keeps beside the output (`.public.intark-staging-PID`, and
//! `.public.intark-old-PID` where the file system cannot exchange): their names, their removal on
//! SIGINT/SIGTERM/SIGHUP, and the sweep at the start of the next build after a `kill -9`.
//!
//! Both kinds carry the [`MARKER`](super::MARKER) from the moment they exist, so a folder is removed
//! only if its name is ours, the process in its name is gone, and it carries the marker (or is empty).

use super::guard::{carries_marker, is_empty};
use super::MARKER;
use crate::error::{Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once, PoisonError, RwLock};

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

/// Hold a folder as in use by this process: an exclusive `flock` on the folder itself, which the
/// kernel releases when the process ends in any way (`kill -9` included). Process ids are only in
/// the names for people; they are reused too quickly to tell whether a build is still running.
pub(super) fn hold(dir: &Path) -> Result<std::fs::File> {
    let file = std::fs::File::open(dir).map_err(|e| Error::io("cannot open", dir, e))?;
    file.try_lock()
        .map_err(|e| Error::io("cannot lock", dir, std::io::Error::other(e.to_string())))?;
    Ok(file)
}

/// Whether another running build holds the folder (see [`hold`]).
fn in_use(dir: &Path) -> bool {
    match std::fs::File::open(dir) {
        Ok(file) => file.try_lock().is_err(),
        Err(_) => true,
    }
}

/// Clean up after builds that were killed: put an output that was moved aside back if the output
/// is missing, and remove the staging and old folders that no running build holds.
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
        let Some((kind, _pid)) = name.to_str().and_then(|n| parse(target, n)) else {
            continue;
        };
        let path = entry.path();
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir && !in_use(&path) && (carries_marker(&path) || is_empty(&path)?) {
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
        remove(&path).map_err(|e| Error::io("cannot remove", &path, e))?;
    }
    Ok(())
}

/// Remove a folder of ours with its marker last, so that a removal cut short (`kill -9`) leaves a
/// folder that the next build still recognises.
pub(super) fn remove(dir: &Path) -> std::io::Result<()> {
    remove_with(dir, false)
}

/// [`remove`] with folders removed in parallel on the thread pool: an output has tens of thousands
/// of files, and removing the previous one is the last step of every build. Never from the signal
/// handler: the pool's threads may be waiting there for the write lock it holds.
pub(super) fn remove_in_parallel(dir: &Path) -> std::io::Result<()> {
    remove_with(dir, true)
}

fn remove_with(dir: &Path, parallel: bool) -> std::io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    let remove_entry = |entry: &std::fs::DirEntry| {
        if entry.file_name() == MARKER {
            return Ok(());
        }
        // A symbolic link is removed, never followed.
        if entry.file_type()?.is_dir() {
            if parallel {
                remove_tree(&entry.path())
            } else {
                std::fs::remove_dir_all(entry.path())
            }
        } else {
            std::fs::remove_file(entry.path())
        }
    };
    if parallel {
        entries.par_iter().try_for_each(remove_entry)?;
    } else {
        entries.iter().try_for_each(remove_entry)?;
    }
    match std::fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    std::fs::remove_dir(dir)
}

/// Remove a folder of ours and everything in it, subfolders in parallel.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        // A symbolic link is removed, never followed.
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// Folders to remove if the process is told to stop.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();
/// Set when a signal arrived: no more writes into staging folders.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// Held (shared) by every write into a staging folder, and (exclusive) by the signal handler while
/// it removes them, so that no write lands in a folder after it was removed.
static WRITES: RwLock<()> = RwLock::new(());

/// Run one write into the staging folder at `path`, unless the process is stopping (then its
/// staging folder is being removed, and nothing more is written).
pub(super) fn unless_stopping(path: &Path, write: impl FnOnce() -> Result<()>) -> Result<()> {
    let _writing = WRITES.read().unwrap_or_else(PoisonError::into_inner);
    if STOPPING.load(Ordering::SeqCst) {
        return Err(Error::io(
            "stopped before writing",
            path,
            std::io::ErrorKind::Interrupted.into(),
        ));
    }
    write()
}

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
                STOPPING.store(true, Ordering::SeqCst);
                let _no_writes = WRITES.write().unwrap_or_else(PoisonError::into_inner);
                let active = active();
                for path in active.iter() {
                    let _ = remove(path);
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
        let gone = 7;
        let old = tmp.path().join(name(&target, Kind::Old, gone));
        let staging = tmp.path().join(name(&target, Kind::Staging, gone));
        let foreign = tmp.path().join(name(&target, Kind::Staging, gone - 1));
        let running = tmp.path().join(name(&target, Kind::Staging, gone + 1));
        for dir in [&old, &staging, &foreign, &running] {
            std::fs::create_dir(dir).unwrap();
            std::fs::write(dir.join("index.html"), "x").unwrap();
        }
        std::fs::write(old.join(super::super::MARKER), "").unwrap();
        std::fs::write(staging.join(super::super::MARKER), "").unwrap();
        std::fs::write(running.join(super::super::MARKER), "").unwrap();
        let _held = hold(&running).unwrap();

        sweep(&target).unwrap();
        assert!(target.join("index.html").exists(), "the old output is back");
        assert!(!old.exists() && !staging.exists());
        assert!(foreign.exists(), "a folder without the marker is not ours");
        assert!(
            running.exists(),
            "a folder that a running build holds stays"
        );
    }

    /// The parallel removal takes nested folders and files, removes a link to a folder outside
    /// without following it, and keeps the marker to the end.
    #[test]
    fn removal_in_parallel_takes_the_whole_tree_and_follows_no_link() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "x").unwrap();
        let dir = tmp.path().join("old");
        for n in 0..40 {
            let sub = dir.join(format!("d{}/e{n}", n % 4));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join("index.html"), "x").unwrap();
        }
        std::fs::write(dir.join("top.html"), "x").unwrap();
        std::fs::write(dir.join(super::super::MARKER), "").unwrap();
        std::os::unix::fs::symlink(&outside, dir.join("d0/link")).unwrap();

        remove_in_parallel(&dir).unwrap();
        assert!(!dir.exists());
        assert!(
            outside.join("keep.txt").exists(),
            "the link was not followed"
        );
    }
}
