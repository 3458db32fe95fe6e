//! Generated things for catalog operations: example values synthesized from schemas, and requests
//! written as curl and PowerShell with quoting that is right for any value. Used by the catalog pages
//! and (later) the sandbox gateway and the examples runner.

pub mod json_schema;
pub mod lint;
pub mod snippet;
pub mod synth;
