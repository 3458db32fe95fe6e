//! One integration test binary: a module per feature, a small harness, fixtures written by the tests.

mod api_reference;
mod browser;
mod build;
mod catalog;
mod check;
mod corpus;
mod differential;
mod docusaurus;
mod examples;
mod external;
mod flavours;
mod harness;
mod jekyll;
mod layering;
mod limits;
mod markup_in_rust;
mod no_silent_pass;
mod output;
mod own_apis;
mod panics;
mod reader_pages;
mod reports;
mod secrets;
mod serve;
#[cfg(unix)]
mod servers;
mod sidebar;
mod theme;
