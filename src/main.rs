//! The `peerlint` binary: parse the command line, run it, map the outcome to an exit code
//! (0 clean, 1 findings, 2 the run failed).

use peerlint::cli::{Status, parse, run};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = parse();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = run(cli, &mut out);
    // A closed pipe (`peerlint check | head`) is not a failure of the run.
    let flushed = out.flush();
    match result {
        Ok(Status::Clean) => ExitCode::SUCCESS,
        Ok(Status::Findings) => ExitCode::from(1),
        Err(message) if message.contains("Broken pipe") => ExitCode::SUCCESS,
        Err(message) => {
            drop(flushed);
            eprintln!("peerlint: error: {message}");
            ExitCode::from(2)
        }
    }
}
