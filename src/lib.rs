//! intark-docs: a static-site documentation generator with live validation, built for the developer
//! guide of IntArk, the integration architecture of the Norwegian higher-education sector.
//!
//! The data flows one way: `load` → `markdown` → [`model::Site`] → `check` → `render` → `output`.
//! See ARCHITECTURE.md for what each module owns and which modules it may use.
#![warn(missing_docs, unreachable_pub)]

pub mod apidocs;
pub mod apigen;
pub mod apimatch;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod error;
pub mod examples;
pub mod external;
pub mod frontmatter;
pub mod i18n;
pub mod limits;
pub mod load;
pub mod markdown;
pub mod model;
pub mod nav;
pub mod openapi;
pub mod output;
pub mod permalink;
pub mod pipeline;
pub mod relpath;
pub mod render;
pub mod report;
pub mod routes;
pub mod sandbox;
pub mod search;
pub mod secret;
pub mod serve;
pub mod server;
pub mod sidebars;
pub mod slug;
pub mod snippets;
pub mod theme;
pub mod yaml;

pub use config::Config;
pub use error::{Error, ExitCode, Result};
