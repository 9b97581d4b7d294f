//! The third-party corpus beside the repository (`../shared/corpus`), as an extra check on
//! input nobody on this project wrote: every file lints without a crash or a spurious
//! syntax error, and the peerings in it are found. Skipped when the corpus is absent.

use peerlint::config::Config;
use peerlint::frontend::{Disk, LoadOptions};
use std::path::Path;

#[test]
fn arm_corpus_lints_without_syntax_errors() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../shared/corpus/arm");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let options = LoadOptions {
        files: &Disk,
        ..LoadOptions::default()
    };
    let mut peerings = 0;
    let mut folders = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    entries.sort();
    for folder in entries {
        folders += 1;
        let outcome = peerlint::check_paths(
            std::slice::from_ref(&folder),
            &Config::default(),
            Some(manifest),
            &options,
        )
        .unwrap();
        let syntax: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule == "syntax-error" || d.rule == "undefined-reference")
            .map(|d| d.message.clone())
            .collect();
        assert!(syntax.is_empty(), "{}: {syntax:?}", folder.display());
        peerings += outcome.model.peerings.len();
    }
    assert!(folders >= 5, "the corpus has its five ARM folders");
    assert!(peerings >= 29, "peerings found in the corpus: {peerings}");
}
