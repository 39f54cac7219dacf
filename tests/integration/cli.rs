//! The command line itself: help with an example for every command, shell
//! completions, the manual page, and exit code 2 on bad arguments.

use crate::common::{taller, temp_dir};

const COMMANDS: [&str; 12] = [
    "import",
    "certificates",
    "verify",
    "handout",
    "signin",
    "badges",
    "followup",
    "send",
    "run",
    "init",
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
