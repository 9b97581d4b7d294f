//! The JSON format, version 1: a contract for tools. Fields are only ever added; a change
//! to an existing one needs a new version.

use crate::Outcome;
use crate::diagnostic::Label;
use crate::ir::Span;
use crate::source::SourceMap;
use serde::Serialize;
use std::io::{self, Write};

/// The version of this format.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    vnets: usize,
    peerings: usize,
    errors: usize,
    warnings: usize,
    notes: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    file: &'a str,
    span: JsonSpan,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    span: JsonSpan,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonSpan {
    start: Position,
    end: Position,
    /// Byte offset in the file on disk.
    offset: u32,
    /// Length in bytes.
    length: u32,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

fn span(sources: &SourceMap, span: Span) -> JsonSpan {
    let file = sources.get(span.file);
    let (start, end) = (file.line_col(span.start), file.line_col(span.end));
    JsonSpan {
        start: Position {
            line: start.line,
            column: start.column,
        },
        end: Position {
            line: end.line,
            column: end.column,
        },
        offset: file.disk_offset(span.start),
        length: span.end.saturating_sub(span.start),
    }
}

fn related<'a>(sources: &'a SourceMap, l: &'a Label) -> JsonRelated<'a> {
    JsonRelated {
        file: &sources.get(l.span.file).display,
        span: span(sources, l.span),
        message: &l.message,
    }
}

pub(super) fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let s = outcome.summary();
    let sources = &outcome.sources;
    let doc = Document {
        version: VERSION,
        tool: Tool {
            name: "peerlint",
            version: env!("CARGO_PKG_VERSION"),
        },
        summary: Summary {
            files: s.files,
            vnets: s.vnets,
            peerings: s.peerings,
            errors: s.errors,
            warnings: s.warnings,
            notes: s.notes,
        },
        diagnostics: outcome
            .diagnostics
            .iter()
            .map(|d| JsonDiagnostic {
                rule: d.rule,
                severity: d.severity.as_str(),
                message: &d.message,
                note: d.note.as_deref(),
                help: d.help.as_deref(),
                file: &sources.get(d.primary.span.file).display,
                span: span(sources, d.primary.span),
                related: d.related.iter().map(|l| related(sources, l)).collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
