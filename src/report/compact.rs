//! The compact format: one line per finding, as compilers print them.

use crate::Outcome;
use std::io::{self, Write};

pub(super) fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    for d in &outcome.diagnostics {
        let file = outcome.sources.get(d.primary.span.file);
        let at = file.line_col(d.primary.span.start);
        writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            file.display, at.line, at.column, d.severity, d.rule, d.message
        )?;
    }
    Ok(())
}
