//! Fuzzing on stable Rust: a mutation fuzzer over the parsers that read writers' and third parties'
//! text, seeded at run time from the real corpora in `../shared` (and the project's own content).
//! The HTTP handling of `serve` and `sandbox` is fuzzed over loopback TCP against one running
//! server each (`http.rs`).
//!
//! Each target runs for `FUZZ_SECONDS` (default 3) with the random seed `FUZZ_SEED` (default: from
//! the clock, printed so a run can be repeated). An input that panics, or that takes longer than
//! `FUZZ_SLOW_MS` (default 2000) to process, fails the test; it is saved under
//! `target/fuzz-findings/` and should become a regression test. `bench/fuzz.sh` runs longer.
//!
//! `cargo-afl` would need Debian's `afl++` and an instrumented build; this driver needs neither
//! and runs in `cargo test` on stable.

mod driver;
mod http;
mod targets;
