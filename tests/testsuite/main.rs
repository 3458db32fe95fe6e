//! One integration test binary: a module per feature, a small harness, fixtures written by the tests.

mod browser;
mod build;
mod catalog;
mod check;
mod corpus;
mod differential;
mod examples;
mod external;
mod flavours;
mod harness;
mod layering;
mod limits;
mod no_silent_pass;
mod output;
mod panics;
mod reports;
mod secrets;
mod serve;
#[cfg(unix)]
mod servers;
