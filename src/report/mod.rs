//! Reports: render an [`Outcome`] in one output format.
//!
//! Each format is one file with one entry point; none of them looks into the model.

mod compact;
mod human;
mod json;

use crate::Outcome;
use std::io::{self, Write};

/// The output formats of `peerlint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Code snippets with labels, a note and help for each finding, and a summary.
    Human,
    /// One line per finding: `path:line:col: severity[rule]: message`.
    Compact,
    /// A versioned JSON document (version 1), for tools.
    Json,
}

/// How to render.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use ANSI colours (human format only).
    pub color: bool,
}

/// Writes `outcome` to `out` in `format`.
pub fn render(
    outcome: &Outcome,
    format: Format,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(outcome, options, out),
        Format::Compact => compact::render(outcome, out),
        Format::Json => json::render(outcome, out),
    }
}
