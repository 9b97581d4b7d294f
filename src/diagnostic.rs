//! Diagnostics: what a rule or a frontend reports, as plain data.
//!
//! Renderer-agnostic: spans are bytes, and nothing here knows about miette, JSON or
//! terminals. Rules and frontends do not choose severities; the configured level of the
//! diagnostic's rule does (see [`crate::config`]).

use crate::ir::Span;
use std::fmt;

/// How serious a diagnostic is, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span with a short text saying what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Label {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule id (a contract: stable forever).
    pub rule: &'static str,
    /// Set from the configured level of `rule` before reporting.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Where: inside the offending peering's own block or object.
    pub primary: Label,
    /// The evidence, wherever it is (other files included).
    pub related: Vec<Label>,
    /// Why: the Azure rule behind it.
    pub note: Option<String>,
    /// What to do.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static str, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Error,
            message: message.into(),
            primary,
            related: Vec::new(),
            note: None,
            help: None,
        }
    }

    pub fn with_related(mut self, label: Label) -> Diagnostic {
        self.related.push(label);
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.note = Some(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}
