//! `taller send` against a real SMTP server (mailin-embedded) listening on
//! loopback in a test thread: every message is delivered exactly once, even
//! across refusals, refused connections and a killed run.

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mail_parser::MessageParser;
use mailin_embedded::response::OK;
use mailin_embedded::{AuthMechanism, Handler, Response, Server, SslConfig};

use crate::common::{fixture, taller, taller_with_env};
use crate::followup::{eml_files, followup, roster, workshop_dir};

/// A real SMTP server that keeps what it accepts and, once `limit`
/// messages are in, refuses the rest with `refusal` (554: a permanent
/// refusal; 421: the server closes the connection).
#[derive(Clone)]
struct Mailbox {
    /// A recipient whose mailbox does not exist (550 at RCPT).
    unknown: Option<&'static str>,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    limit: Arc<AtomicUsize>,
    refusal: u16,
    data: Vec<u8>,
    hold: Hold,
}

/// Holds the `hold_at`-th message (from 1) at its DATA command, before
/// anything of it arrives, until `release`: a sender killed then has
/// logged its attempt and delivered nothing.
#[derive(Clone)]
struct Hold {
    hold_at: usize,
    data_commands: Arc<AtomicUsize>,
    release: Arc<AtomicBool>,
}

impl Default for Hold {
    fn default() -> Self {
        Hold {
            hold_at: usize::MAX,
            data_commands: Arc::default(),
            release: Arc::default(),
        }
    }
}

impl Handler for Mailbox {
    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        if (user, password) == ("ong@example.org", "correct horse battery") {
            mailin_embedded::response::AUTH_OK
        } else {
            mailin_embedded::response::INVALID_CREDENTIALS
        }
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if self.unknown.is_some_and(|unknown| to.contains(unknown)) {
            return mailin_embedded::response::NO_MAILBOX;
        }
        OK
    }

    fn data_start(
        &mut self,
        _domain: &str,
        _from: &str,
        _is8bit: bool,
        _to: &[String],
    ) -> Response {
        self.data.clear();
        let number = self.hold.data_commands.fetch_add(1, Ordering::SeqCst) + 1;
        if number == self.hold.hold_at {
            let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while !self.hold.release.load(Ordering::SeqCst) && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
        OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mut received = self.received.lock().expect("lock");
        if received.len() >= self.limit.load(Ordering::SeqCst) {
            return Response::custom(self.refusal, "Daily sending quota exceeded".to_owned());
        }
        received.push(std::mem::take(&mut self.data));
        OK
    }
}

pub(crate) struct TestServer {
    port: u16,
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    limit: Arc<AtomicUsize>,
    hold: Hold,
}

impl TestServer {
    pub(crate) fn start(limit: usize) -> Self {
        Self::refusing(limit, 554)
    }

    fn refusing(limit: usize, refusal: u16) -> Self {
        Self::plain(limit, refusal, Hold::default())
    }

    /// A server that holds the `number`-th message at DATA (see [`Hold`]).
    fn holding_at(number: usize) -> Self {
        Self::plain(
            usize::MAX,
            554,
            Hold {
                hold_at: number,
                ..Hold::default()
            },
        )
    }

    fn plain(limit: usize, refusal: u16, hold: Hold) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("address").port();
        let mailbox = Mailbox {
            unknown: None,
            received: Arc::default(),
            limit: Arc::new(AtomicUsize::new(limit)),
            refusal,
            data: Vec::new(),
            hold,
        };
        let (received, limit) = (mailbox.received.clone(), mailbox.limit.clone());
        let hold = mailbox.hold.clone();
        let mut server = Server::new(mailbox);
        server
            .with_name("localhost")
            .with_ssl(SslConfig::None)
            .expect("plain SMTP")
            .with_tcp_listener(listener);
        // The server runs until the test process ends.
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        TestServer {
            port,
            received,
            limit,
            hold,
        }
    }

    /// A server without `tom@example.co.uk`'s mailbox.
    fn without_tom() -> Self {
        Self::configured(Some("tom@example.co.uk"), SslConfig::None)
    }

    /// A server that offers STARTTLS with the test certificate (signed by
    /// the test authority `tests/fixtures/followup/tls/ca.pem`).
    fn with_starttls() -> Self {
        // Two crypto providers are linked into the tests; choose one for
        // the server (an error only means one was chosen already).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let tls = fixture("followup/tls");
        Self::configured_with_login(
            None,
            SslConfig::Trusted {
                cert_path: tls.join("server.pem").display().to_string(),
                key_path: tls.join("server.key").display().to_string(),
                chain_path: tls.join("ca.pem").display().to_string(),
            },
        )
    }

    fn configured(unknown: Option<&'static str>, ssl: SslConfig) -> Self {
        Self::start_server(unknown, ssl, false)
    }

    /// Like [`TestServer::configured`], wanting a login (AUTH PLAIN).
    fn configured_with_login(unknown: Option<&'static str>, ssl: SslConfig) -> Self {
        Self::start_server(unknown, ssl, true)
    }

    fn start_server(unknown: Option<&'static str>, ssl: SslConfig, login: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("address").port();
        let mailbox = Mailbox {
            unknown,
            received: Arc::default(),
            limit: Arc::new(AtomicUsize::new(usize::MAX)),
            refusal: 554,
            data: Vec::new(),
            hold: Hold::default(),
        };
        let (received, limit) = (mailbox.received.clone(), mailbox.limit.clone());
        let hold = mailbox.hold.clone();
        let mut server = Server::new(mailbox);
        server
            .with_name("localhost")
            .with_ssl(ssl)
            .expect("TLS settings")
            .with_tcp_listener(listener);
        if login {
            server.with_auth(AuthMechanism::Plain);
        }
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        TestServer {
            port,
            received,
            limit,
            hold,
        }
    }

    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many times each Message-ID arrived.
    pub(crate) fn deliveries(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for bytes in self.received.lock().expect("lock").iter() {
            let message = MessageParser::default().parse(bytes).expect("a message");
            *counts
                .entry(message.message_id().expect("Message-ID").to_owned())
                .or_default() += 1;
        }
        counts
    }
}

/// The Message-IDs of the outbox.
fn outbox_ids(outbox: &Path) -> Vec<String> {
    eml_files(outbox)
        .iter()
        .map(|p| {
            let bytes = fs::read(p).expect("eml");
            MessageParser::default()
                .parse(&bytes)
                .and_then(|m| m.message_id().map(str::to_owned))
                .expect("Message-ID")
        })
        .collect()
}

fn outbox() -> tempfile::TempDir {
    let dir = workshop_dir(roster());
    followup(dir.path(), &["-o", "outbox"]).expect_code(0);
    dir
}

fn send(dir: &Path, server: &str, extra: &[&str]) -> crate::common::Output {
    let mut args = vec!["send", "outbox", "--smtp", server];
    args.extend_from_slice(extra);
    taller(dir, &args)
}

fn exactly_once(server: &TestServer, outbox: &Path) {
    let deliveries = server.deliveries();
    let ids = outbox_ids(outbox);
    assert_eq!(ids.len(), 5);
    for id in &ids {
        assert_eq!(deliveries.get(id), Some(&1), "{id} in {deliveries:?}");
    }
    assert_eq!(deliveries.len(), ids.len());
}

#[test]
fn every_message_is_delivered_once_and_a_rerun_sends_nothing() {
    let dir = outbox();
    let server = TestServer::start(usize::MAX);
    let out = send(dir.path(), &server.url(), &[]);
    out.expect_code(0);
    assert!(
        out.stderr.contains("5 sent, 0 already sent before"),
        "{}",
        out.stderr
    );
    exactly_once(&server, &dir.path().join("outbox"));

    // Sent exactly as reviewed: the server got the file's bytes.
    let ana = eml_files(&dir.path().join("outbox"))
        .into_iter()
        .map(|p| fs::read(p).expect("eml"))
        .find(|b| String::from_utf8_lossy(b).contains("ana@ejemplo.org"))
        .expect("Ana's message");
    let received = server.received.lock().expect("lock").clone();
    assert!(
        received
            .iter()
            .any(|r| r.trim_ascii_end() == ana.trim_ascii_end()),
        "the server received the .eml byte for byte"
    );

    let again = send(dir.path(), &server.url(), &["--json"]);
    again.expect_code(0);
    assert!(
        again.stderr.contains("0 sent, 5 already sent before"),
        "{}",
        again.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&again.stdout).expect("json");
    assert_eq!(report["already_sent"].as_array().map(Vec::len), Some(5));
    exactly_once(&server, &dir.path().join("outbox"));

    let log = fs::read_to_string(dir.path().join("outbox/send-log.jsonl")).expect("log");
    let events: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(events.len(), 10, "an attempt and an acceptance per message");
    assert_eq!(events[0]["event"], "attempt");
    assert_eq!(events[1]["event"], "accepted");
    assert!(
        events[1]["reply"]
            .as_str()
            .is_some_and(|r| r.starts_with("250"))
    );
    assert_eq!(events[1]["file"], events[0]["file"]);
}

/// Refuses after two messages with `code`, then accepts again: each
/// message arrives exactly once over the two runs.
fn refusal_then_rerun(code: u16) {
    let dir = outbox();
    let server = TestServer::refusing(2, code);
    // mailin does not answer QUIT after refusing a message, so lettre waits
    // for the timeout before moving on; a short one keeps the test quick.
    let out = send(dir.path(), &server.url(), &["--timeout", "2"]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("2 sent, 0 already sent before (skipped), 3 failed"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("({code}): Daily sending quota exceeded")),
        "the server's answer: {}",
        out.stderr
    );
    assert_eq!(server.deliveries().len(), 2);
    let log = fs::read_to_string(dir.path().join("outbox/send-log.jsonl")).expect("log");
    assert_eq!(log.matches("\"event\":\"failed\"").count(), 3, "{log}");

    server.limit.store(usize::MAX, Ordering::SeqCst);
    let rerun = send(dir.path(), &server.url(), &[]);
    rerun.expect_code(0);
    assert!(
        rerun
            .stderr
            .contains("3 sent, 2 already sent before (skipped), 0 failed"),
        "{}",
        rerun.stderr
    );
    exactly_once(&server, &dir.path().join("outbox"));
}

#[test]
fn a_server_that_refuses_after_two_then_a_rerun_delivers_each_once() {
    refusal_then_rerun(554);
}

#[test]
fn a_server_that_closes_after_two_then_a_rerun_delivers_each_once() {
    refusal_then_rerun(421);
}

#[test]
fn a_refused_connection_stops_and_a_rerun_resumes() {
    let dir = outbox();
    let closed = TcpListener::bind("127.0.0.1:0").expect("port");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let out = send(dir.path(), &format!("smtp://127.0.0.1:{port}"), &[]);
    out.expect_code(2);
    assert!(
        out.stderr
            .contains(&format!("taller: cannot send through 127.0.0.1:{port}")),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("run `taller send` again to resume"),
        "{}",
        out.stderr
    );

    let server = TestServer::start(usize::MAX);
    send(dir.path(), &server.url(), &[]).expect_code(0);
    exactly_once(&server, &dir.path().join("outbox"));
}

#[test]
fn an_uncertain_message_is_not_resent_unless_asked() {
    let dir = outbox();
    let outbox = dir.path().join("outbox");
    // What a run killed between the attempt and the server's answer leaves.
    let first = eml_files(&outbox).into_iter().next().expect("a message");
    let bytes = fs::read(&first).expect("eml");
    let id = MessageParser::default()
        .parse(&bytes)
        .and_then(|m| m.message_id().map(str::to_owned))
        .expect("id");
    let file = first
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    fs::write(
        outbox.join("send-log.jsonl"),
        format!(
            "{}\n",
            serde_json::json!({"time": "2016-01-30T10:00:00Z", "event": "attempt", "file": file, "message_id": format!("<{id}>"), "recipients": ["x@y.es"], "reply": ""})
        ),
    )
    .expect("log");

    let server = TestServer::start(usize::MAX);
    let out = send(dir.path(), &server.url(), &[]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("4 sent, 0 already sent before (skipped), 0 failed, 1 uncertain"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&file), "{}", out.stderr);
    assert!(!server.deliveries().contains_key(&id));

    let again = send(dir.path(), &server.url(), &[]);
    again.expect_code(1);
    assert!(
        again
            .stderr
            .contains("0 sent, 4 already sent before (skipped), 0 failed, 1 uncertain"),
        "{}",
        again.stderr
    );

    let resend = send(dir.path(), &server.url(), &["--resend-uncertain"]);
    resend.expect_code(0);
    assert!(
        resend
            .stderr
            .contains("1 sent, 4 already sent before (skipped), 0 failed, 0 uncertain"),
        "{}",
        resend.stderr
    );
    exactly_once(&server, &outbox);
}

#[test]
fn dry_run_lists_and_sends_nothing() {
    let dir = outbox();
    let out = taller(dir.path(), &["send", "outbox", "--dry-run"]);
    out.expect_code(0);
    assert!(out.stderr.contains("Would send:"), "{}", out.stderr);
    assert!(out.stderr.contains("ana@ejemplo.org"), "{}", out.stderr);
    assert!(
        out.stderr.contains("Dry run: 5 would be sent"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("outbox/send-log.jsonl").exists());
}

#[test]
fn the_password_comes_only_from_the_environment() {
    let dir = outbox();
    let out = taller(
        dir.path(),
        &[
            "send",
            "outbox",
            "--smtp",
            "smtp://127.0.0.1:1",
            "--user",
            "ong",
            "--password-env",
            "TALLER_TEST_UNSET_PASSWORD",
        ],
    );
    out.expect_code(2);
    assert!(
        out.stderr.contains("TALLER_TEST_UNSET_PASSWORD"),
        "{}",
        out.stderr
    );
    let bad_rate = send(dir.path(), "smtp://127.0.0.1:1", &["--rate", "fast"]);
    bad_rate.expect_code(2);
    assert!(bad_rate.stderr.contains("30/min"), "{}", bad_rate.stderr);
}

#[test]
fn an_unknown_recipient_does_not_stop_the_others() {
    let dir = outbox();
    let server = TestServer::without_tom();
    let out = send(dir.path(), &server.url(), &["--timeout", "2"]);
    out.expect_code(1);
    assert!(
        out.stderr
            .contains("4 sent, 0 already sent before (skipped), 1 failed"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("tom@example.co.uk"), "{}", out.stderr);
    assert!(out.stderr.contains("Mailbox unavailable"), "{}", out.stderr);
    assert_eq!(server.deliveries().len(), 4);
}

#[test]
fn a_killed_send_blocks_nothing_and_two_live_sends_exclude_each_other() {
    let dir = outbox();
    let outbox = dir.path().join("outbox");
    let server = TestServer::holding_at(3);
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_taller"))
        .args(["send", "outbox", "--smtp", &server.url()])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("taller send starts");
    // Wait until the first send is mid-batch: two messages delivered, the
    // third attempted and held at DATA.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while server.hold.data_commands.load(Ordering::SeqCst) < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "the first send never reached its third message"
        );
        assert!(
            first.try_wait().expect("status").is_none(),
            "the first send ended early"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }

    // While it lives, a second send is refused and sends nothing.
    let second = send(dir.path(), &server.url(), &[]);
    second.expect_code(2);
    assert!(
        second
            .stderr
            .contains("another `taller send` is sending from"),
        "{}",
        second.stderr
    );
    assert_eq!(server.deliveries().len(), 2);

    // SIGKILL: no chance to clean up; `send.lock` stays behind.
    first.kill().expect("kill");
    let status = first.wait().expect("wait");
    assert_eq!(status.code(), None, "killed by a signal");
    server.hold.release.store(true, Ordering::SeqCst);
    assert!(outbox.join("send.lock").exists());
    assert_eq!(server.deliveries().len(), 2);

    // The rerun resumes: the two delivered are skipped, the one killed
    // mid-transaction is uncertain and waits for the user's word.
    let rerun = send(dir.path(), &server.url(), &[]);
    rerun.expect_code(1);
    assert!(
        rerun
            .stderr
            .contains("2 sent, 2 already sent before (skipped), 0 failed, 1 uncertain"),
        "{}",
        rerun.stderr
    );
    assert_eq!(server.deliveries().len(), 4);
    let resend = send(dir.path(), &server.url(), &["--resend-uncertain"]);
    resend.expect_code(0);
    assert!(
        resend
            .stderr
            .contains("1 sent, 4 already sent before (skipped), 0 failed, 0 uncertain"),
        "{}",
        resend.stderr
    );
    exactly_once(&server, &outbox);
}

#[test]
fn a_lock_file_left_by_an_older_run_does_not_block() {
    let dir = outbox();
    fs::write(dir.path().join("outbox/send.lock"), "12345\n").expect("lock");
    let server = TestServer::start(usize::MAX);
    send(dir.path(), &server.url(), &[]).expect_code(0);
    exactly_once(&server, &dir.path().join("outbox"));
}

#[test]
fn starttls_and_login_with_the_organisations_own_authority() {
    let dir = outbox();
    let server = TestServer::with_starttls();
    let ca = fixture("followup/tls/ca.pem").display().to_string();
    // Without trusting the authority, the certificate is refused.
    let untrusted = send(dir.path(), &server.url(), &["--starttls", "--timeout", "5"]);
    untrusted.expect_code(2);
    assert!(
        untrusted.stderr.contains("cannot send through 127.0.0.1"),
        "{}",
        untrusted.stderr
    );
    assert!(
        untrusted.stderr.contains("UnknownIssuer"),
        "{}",
        untrusted.stderr
    );

    let url = server.url();
    let login = |password: &str| {
        taller_with_env(
            dir.path(),
            &[
                "send",
                "outbox",
                "--smtp",
                &url,
                "--starttls",
                "--ca-cert",
                &ca,
                "--user",
                "ong@example.org",
                "--password-env",
                "TALLER_TEST_SMTP_PASSWORD",
            ],
            &[("TALLER_TEST_SMTP_PASSWORD", password)],
        )
    };
    let wrong = login("wrong");
    wrong.expect_code(2);
    assert!(
        wrong.stderr.contains("Invalid credentials"),
        "{}",
        wrong.stderr
    );
    assert!(server.deliveries().is_empty());

    login("correct horse battery").expect_code(0);
    exactly_once(&server, &dir.path().join("outbox"));
}
