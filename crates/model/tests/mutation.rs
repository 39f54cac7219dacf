//! Mutation testing: every committed workshop file, damaged byte by byte
//! with a fixed seed, parsed in-process. No mutant may panic; every refusal
//! says where the problem is (a line and column, or the `[section] key`).

#[path = "../../../tests/support/mutate.rs"]
mod mutate;

use taller_model::Workshop;

/// Mutants per workshop file (five files).
const PER_FILE: usize = 30;

#[test]
fn damaged_workshop_files_never_panic_and_errors_say_where() {
    let files = [
        "assets/examples/madrid-2016/workshop.toml",
        "assets/templates/workshop.toml",
        "tests/fixtures/certificates/workshop.toml",
        "tests/fixtures/handouts/workshop.toml",
        "tests/fixtures/followup/workshop.toml",
    ]
    .map(mutate::repo_file);
    let mut refused = 0;
    for path in &files {
        let original = std::fs::read_to_string(path).expect("fixture");
        Workshop::from_toml(&original).expect("the undamaged workshop file parses");
        for (index, bytes) in mutate::mutants(path, PER_FILE).into_iter().enumerate() {
            // The command line refuses non-UTF-8 before parsing; the lossy
            // text still reaches the parser with the damage in it.
            let text = String::from_utf8_lossy(&bytes);
            let accepted = mutate::check(
                path,
                index,
                |message| message.contains("line ") || message.contains('['),
                || Workshop::from_toml(&text),
            );
            refused += usize::from(!accepted);
        }
    }
    assert!(refused > PER_FILE, "too few mutants refused: {refused}");
}
