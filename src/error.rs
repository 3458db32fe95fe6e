//! The library's typed errors and the process exit codes.
//!
//! An [`Error`] means "cannot continue" (no content folder, unreadable config, a template that does not
//! compile, an output folder that cannot be written). Problems in pages are findings
//! ([`crate::diag::Diagnostic`]), never errors. Rendering the error chain for people happens in `cli`.

use std::path::PathBuf;

/// Everything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{action} `{path}`")]
    Io {
        /// What we were doing ("cannot read", "cannot create").
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid.
    #[error("invalid configuration in `{path}`: {message}")]
    Config {
        /// The configuration file.
        path: PathBuf,
        /// What is wrong and where.
        message: String,
    },
    /// A setting (from the file or a flag) has a value we cannot use.
    #[error("invalid setting `{key}`: {message}")]
    Setting {
        /// The setting's name.
        key: &'static str,
        /// What is wrong and what to do.
        message: String,
    },
    /// The content folder does not exist.
    #[error("no content folder at `{0}`: create it, or point to another with `--content DIR`")]
    MissingContent(PathBuf),
    /// A template could not be compiled or rendered.
    #[error("template error in {name}")]
    Template {
        /// The template's name.
        name: String,
        /// Tera's error, whose chain holds the useful message.
        #[source]
        source: tera::Error,
    },
    /// The site has findings at error level, so nothing was written.
    #[error("{0} error(s) found; nothing was written")]
    Findings(usize),
    /// The search index could not be built.
    #[error("cannot build the search index: {0}")]
    Search(String),
    /// `build` was pointed at an output folder it must not replace (the user's files, the site's sources).
    #[error("will not write the site into `{path}`: {reason}")]
    OutputRefused {
        /// The output folder, as the user named it (relative to the site root where it is inside it).
        path: PathBuf,
        /// Why, and what to do (the flag that overrides it, where one does).
        reason: String,
    },
    /// A server's listening socket failed for good (accept errors that pass are retried).
    #[error("the server on {address} cannot go on")]
    Server {
        /// The address it listened on.
        address: String,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// `init` was pointed at a folder that is not empty.
    #[error("`{0}` exists and is not empty: choose a new folder for the site")]
    NotEmpty(PathBuf),
}

impl Error {
    /// Shorthand for an [`Error::Io`].
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The message with its whole source chain, once (Tera hides the useful part in the chain).
    pub fn chain(&self) -> String {
        chain(self, "\n  caused by: ")
    }

    /// The exit code that this error ends the process with.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Config { .. }
            | Error::Setting { .. }
            | Error::MissingContent(_)
            | Error::NotEmpty(_)
            | Error::OutputRefused { .. } => ExitCode::Usage,
            Error::Findings(_) => ExitCode::Findings,
            Error::Io { .. } | Error::Template { .. } | Error::Search(_) | Error::Server { .. } => {
                ExitCode::Internal
            }
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Process exit codes, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything went well.
    Ok = 0,
    /// Findings at error level.
    Findings = 1,
    /// Usage or configuration error.
    Usage = 2,
    /// Something that should not happen (I/O, templates).
    Internal = 3,
}

thread_local! {
    /// The file this thread is working on, for the message of a panic (see [`processing`]).
    static CURRENT_FILE: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
}

/// Marks the file a thread works on until dropped; restores the previous one then.
#[derive(Debug)]
#[must_use = "the file is marked only while the guard lives"]
pub struct Processing {
    previous: Option<PathBuf>,
}

/// Mark `file` as the one this thread is processing, so that a panic (a bug) names it. The pipeline
/// wraps per-file work in this (`let _file = error::processing(&page.file);`); `cli`'s panic hook
/// reads it with [`file_being_processed`].
pub fn processing(file: &std::path::Path) -> Processing {
    let previous = CURRENT_FILE.with(|f| f.replace(Some(file.to_path_buf())));
    Processing { previous }
}

impl Drop for Processing {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // During unwinding the panic hook has already read the file; restoring is still right.
        let _ = CURRENT_FILE.try_with(|f| f.replace(previous));
    }
}

/// The file the current thread is processing, if the pipeline marked one.
pub fn file_being_processed() -> Option<PathBuf> {
    CURRENT_FILE.try_with(|f| f.borrow().clone()).ok().flatten()
}

/// An error's message followed by those of its sources, each after `separator` (reqwest and Tera
/// keep the useful reason, e.g. "no CA certificates", deep in the chain).
pub fn chain(error: &dyn std::error::Error, separator: &str) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(separator);
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_file_being_processed_nests_and_is_restored() {
        assert_eq!(file_being_processed(), None);
        {
            let _outer = processing(Path::new("content/a.md"));
            {
                let _inner = processing(Path::new("openapi/x.yaml"));
                assert_eq!(
                    file_being_processed(),
                    Some(PathBuf::from("openapi/x.yaml"))
                );
            }
            assert_eq!(file_being_processed(), Some(PathBuf::from("content/a.md")));
        }
        assert_eq!(file_being_processed(), None);
    }
}
