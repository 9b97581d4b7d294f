//! The human format: miette's graphical reports, then a note and help per finding, and a
//! summary line. The only module that knows miette.

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::{FileId, SourceMap};
use crate::{Outcome, Summary};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;

use super::RenderOptions;

const WIDTH: usize = 100;

/// One file's part of a finding, as miette wants it. The parts in other files are
/// rendered after the main one, each as its own advice (miette's own rendering of related
/// diagnostics heads each with an `Advice:` line).
struct Report {
    message: String,
    code: Option<&'static str>,
    severity: miette::Severity,
    source: Source,
    labels: Vec<LabeledSpan>,
    elsewhere: Vec<Report>,
}

impl fmt::Debug for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl miette::Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// A file's text under its display name. miette's own sources report the line number
/// of a snippet's end where it expects the snippet's line count, which merges every
/// pair of labels in a file into one snippet spanning all the lines between them; this
/// reports the count.
struct Source {
    name: String,
    text: Arc<str>,
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_ref().read_span(span, before, after)?;
        let data = inner.data();
        let lines =
            data.iter().filter(|&&b| b == b'\n').count() + usize::from(!data.ends_with(b"\n"));
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            *inner.span(),
            inner.line(),
            inner.column(),
            lines,
        )))
    }
}

fn source(sources: &SourceMap, file: FileId) -> Source {
    let f = sources.get(file);
    Source {
        name: f.display.clone(),
        text: f.text.clone(),
    }
}

fn labeled(label: &Label, primary: bool) -> LabeledSpan {
    let span = SourceSpan::new(
        (label.span.start as usize).into(),
        label.span.end.saturating_sub(label.span.start) as usize,
    );
    let text = (!label.message.is_empty()).then(|| label.message.clone());
    if primary {
        LabeledSpan::new_primary_with_span(text, span)
    } else {
        LabeledSpan::new_with_span(text, span)
    }
}

fn to_report(sources: &SourceMap, d: &Diagnostic) -> Report {
    let home = d.primary.span.file;
    let mut labels = vec![labeled(&d.primary, true)];
    let mut elsewhere: Vec<(FileId, Vec<&Label>)> = Vec::new();
    for l in &d.related {
        if l.span.file == home {
            labels.push(labeled(l, false));
        } else if let Some((_, group)) = elsewhere.iter_mut().find(|(f, _)| *f == l.span.file) {
            group.push(l);
        } else {
            elsewhere.push((l.span.file, vec![l]));
        }
    }
    let related = elsewhere
        .into_iter()
        .map(|(file, group)| Report {
            message: group
                .iter()
                .map(|l| l.message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            code: None,
            severity: miette::Severity::Advice,
            source: source(sources, file),
            // A lone label's text is the message already.
            labels: match group.as_slice() {
                [only] => vec![labeled(&Label::new(only.span, ""), false)],
                _ => group.iter().map(|l| labeled(l, false)).collect(),
            },
            elsewhere: Vec::new(),
        })
        .collect();
    Report {
        message: d.message.clone(),
        code: Some(d.rule),
        severity: match d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Note => miette::Severity::Advice,
        },
        source: source(sources, home),
        labels,
        elsewhere: related,
    }
}

/// Word-wraps `text` after a `  name: ` prefix, continuation lines indented under it.
fn footer(out: &mut String, name: &str, text: &str, color: Option<&str>) {
    let prefix = format!("  {name}: ");
    let indent = " ".repeat(prefix.len());
    let mut line = String::new();
    let mut first = true;
    let flush = |line: &str, first: &mut bool, out: &mut String| {
        if *first {
            match color {
                Some(c) => out.push_str(&format!("  \x1b[{c}m{name}:\x1b[0m ")),
                None => out.push_str(&prefix),
            }
            *first = false;
        } else {
            out.push_str(&indent);
        }
        out.push_str(line);
        out.push('\n');
    };
    for word in text.split_whitespace() {
        if !line.is_empty() && prefix.len() + line.len() + 1 + word.len() > WIDTH {
            flush(&line, &mut first, out);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        flush(&line, &mut first, out);
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The last line: what was found, in how much.
pub(crate) fn summary_line(s: &Summary) -> String {
    let scope = format!(
        "{} ({}, {})",
        plural(s.files, "file", "files"),
        plural(s.vnets, "VNet", "VNets"),
        plural(s.peerings, "peering", "peerings")
    );
    let mut found = Vec::new();
    if s.errors > 0 {
        found.push(plural(s.errors, "error", "errors"));
    }
    if s.warnings > 0 {
        found.push(plural(s.warnings, "warning", "warnings"));
    }
    if s.notes > 0 {
        found.push(plural(s.notes, "note", "notes"));
    }
    if found.is_empty() {
        format!("No problems found in {scope}.")
    } else {
        format!("Found {} in {scope}.", found.join(", "))
    }
}

pub(super) fn render(
    outcome: &Outcome,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false);
    for d in &outcome.diagnostics {
        let report = to_report(&outcome.sources, d);
        let mut text = String::new();
        for part in std::iter::once(&report).chain(&report.elsewhere) {
            let mut one = String::new();
            handler
                .render_report(&mut one, part)
                .map_err(io::Error::other)?;
            text.push_str(one.trim_end());
            text.push('\n');
        }
        let text = text.trim_end();
        let mut tail = String::new();
        if let Some(note) = &d.note {
            footer(&mut tail, "note", note, options.color.then_some("1;36"));
        }
        if let Some(help) = &d.help {
            footer(&mut tail, "help", help, options.color.then_some("1;32"));
        }
        writeln!(out, "{text}")?;
        write!(out, "{tail}")?;
        writeln!(out)?;
    }
    writeln!(out, "{}", summary_line(&outcome.summary()))
}
