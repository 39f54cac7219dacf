//! The command line itself: help with an example for every command, shell
//! completions, the manual page, and exit code 2 on bad arguments.

use crate::common::{taller, taller_with_env, temp_dir};

/// Every subcommand but the hidden one.
const COMMANDS: [&str; 16] = [
    "import",
    "certificates",
    "verify",
    "revoke",
    "site",
    "handout",
    "signin",
    "badges",
    "followup",
    "send",
    "run",
    "init",
    "report",
    "person",
    "completions",
    "man",
];

#[test]
fn every_command_has_help_with_an_example() {
    let dir = temp_dir();
    for command in COMMANDS {
        let help = taller(dir.path(), &[command, "--help"]);
        help.expect_code(0);
        assert!(
            help.stdout.contains("Example"),
            "`taller {command} --help` shows no example:\n{}",
            help.stdout
        );
        assert!(
            help.stdout.contains(&format!("taller {command}")),
            "{command}: {}",
            help.stdout
        );
    }
}

/// `taller ARGS` as a terminal `columns` wide would show it.
fn help_at(columns: &str, args: &[&str]) -> String {
    let help = taller_with_env(temp_dir().path(), args, &[("COLUMNS", columns)]);
    help.expect_code(0);
    help.stdout
}

#[test]
fn help_is_wrapped_by_clap_alone() {
    // On a terminal wide enough for any paragraph, a line that goes on in
    // lower case on the next line was broken by hand, and a narrower
    // terminal would break it once more, mid-sentence.
    let mut helps = vec![("taller".to_owned(), help_at("10000", &["--help"]))];
    for command in COMMANDS {
        helps.push((command.to_owned(), help_at("10000", &[command, "--help"])));
    }
    for (command, help) in helps {
        let lines: Vec<&str> = help.lines().collect();
        for pair in lines.windows(2) {
            let continues = pair[1].chars().next().is_some_and(char::is_lowercase);
            assert!(
                pair[0].trim().is_empty() || !continues,
                "`{command} --help` breaks a line by hand:\n{}\n{}",
                pair[0],
                pair[1]
            );
        }
    }
}

#[test]
fn the_output_flags_read_the_same_in_every_command() {
    let mut seen: std::collections::BTreeMap<&str, Vec<(String, &str)>> = Default::default();
    for command in COMMANDS {
        // `-h`: each option on one line, its first sentence.
        let help = help_at("10000", &[command, "-h"]);
        for flag in ["--force", "--json", "--quiet", "--strict"] {
            if let Some(line) = help
                .lines()
                .find(|l| l.trim_start().trim_start_matches("-q, ").starts_with(flag))
            {
                let text = line.split_once(flag).map_or("", |(_, t)| t.trim());
                seen.entry(flag)
                    .or_default()
                    .push((text.to_owned(), command));
            }
        }
    }
    for flag in ["--force", "--json", "--quiet", "--strict"] {
        let texts = &seen[flag];
        assert!(texts.len() >= 2, "{flag}: {texts:?}");
        assert!(
            texts
                .iter()
                .all(|(text, _)| *text == texts[0].0 && !text.is_empty()),
            "{flag} is described differently: {texts:?}"
        );
    }
    let json: Vec<&str> = seen["--json"].iter().map(|(_, c)| *c).collect();
    assert!(json.contains(&"certificates"), "{json:?}");
}

#[test]
fn the_main_help_points_a_newcomer_at_run_and_init() {
    let help = taller(temp_dir().path(), &["--help"]);
    help.expect_code(0);
    assert!(help.stdout.contains("taller run"));
    assert!(help.stdout.contains("taller init"));
    assert!(
        !help.stdout.contains("generate"),
        "the data generator is hidden"
    );
}

#[test]
fn completions_and_manual_page_are_generated() {
    let dir = temp_dir();
    let bash = taller(dir.path(), &["completions", "bash"]);
    bash.expect_code(0);
    assert!(bash.stdout.contains("_taller()"));
    assert!(bash.stdout.contains("certificates"));
    let man = taller(dir.path(), &["man"]);
    man.expect_code(0);
    assert!(man.stdout.contains(".TH taller 1"));
}

#[test]
fn bad_arguments_exit_2() {
    let dir = temp_dir();
    taller(dir.path(), &["no-such-command"]).expect_code(2);
    taller(dir.path(), &["certificates", "--no-such-flag"]).expect_code(2);
    let bad_label = taller(dir.path(), &["run", "--label", "avery-9999"]);
    bad_label.expect_code(2);
    assert!(
        bad_label.stderr.contains("avery-9999"),
        "{}",
        bad_label.stderr
    );
}
