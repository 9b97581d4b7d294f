//! Checks on the input itself, reported by frontends rather than by rules on the model:
//! a file that does not parse, a reference to nothing, a value of the wrong type. Each of
//! them makes peerlint blind to part of the estate, so each is reported.

use super::{Level, RuleMeta};

pub const SYNTAX_ERROR: &str = "syntax-error";
pub const UNDEFINED_REFERENCE: &str = "undefined-reference";
pub const INVALID_VALUE: &str = "invalid-value";

pub(crate) static META: [RuleMeta; 3] = [
    RuleMeta {
        id: SYNTAX_ERROR,
        summary: "A file cannot be read or parsed (HCL syntax, or not UTF-8)",
        default_level: Level::Error,
        doc: include_str!("../../docs/rules/syntax-error.md"),
    },
    RuleMeta {
        id: UNDEFINED_REFERENCE,
        summary: "A reference names a variable, local, resource or module that is not declared",
        default_level: Level::Error,
        doc: include_str!("../../docs/rules/undefined-reference.md"),
    },
    RuleMeta {
        id: INVALID_VALUE,
        summary: "A peering-related argument has a value of the wrong type or fails to evaluate",
        default_level: Level::Error,
        doc: include_str!("../../docs/rules/invalid-value.md"),
    },
];
