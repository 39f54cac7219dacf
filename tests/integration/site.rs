//! The verification site: `taller site` and `taller revoke`, the signed
//! manifest, and the page itself opened from `file://` in headless
//! Chromium, driven through chromedriver's WebDriver HTTP API.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use taller_model::CertificateManifest;
use unicode_normalization::UnicodeNormalization;

use crate::common::{fixture, taller, temp_dir};

/// A workshop folder with the certificates fixture's roster (accents,
/// Greek, Cyrillic, Arabic, and names no font can show), its certificates
/// made and signed, one revoked, and the site written into `site/`.
struct Issued {
    dir: tempfile::TempDir,
    manifest: CertificateManifest,
}

impl Issued {
    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn entry(&self, name: &str) -> &taller_model::ManifestEntry {
        self.manifest
            .certificates
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no certificate for {name}"))
    }

    /// The fragment of a certificate's QR address: `#id=…&t=…`.
    fn fragment(&self, name: &str) -> String {
        let url = self
            .entry(name)
            .url
            .clone()
            .expect("a url for each certificate");
        let at = url.find('#').expect("the id travels after a #");
        url[at..].to_owned()
    }
}

const REVOKED: &str = "Ana Ruiz";
const REASON: &str = "Issued by mistake: she did not attend";

fn issue() -> Issued {
    let dir = temp_dir();
    for file in ["workshop.toml", "roster.csv"] {
        std::fs::copy(
            fixture(&format!("certificates/{file}")),
            dir.path().join(file),
        )
        .expect("copy the fixture");
    }
    // Some names of the roster cannot be printed: exit status 1, the rest made.
    let made = taller(
        dir.path(),
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "certs",
        ],
    );
    made.expect_code(1);
    assert!(
        made.stderr.contains("created the signing key"),
        "{}",
        made.stderr
    );
    assert!(made.stderr.contains("Back it up"), "{}", made.stderr);
    let manifest = read_manifest(&dir.path().join("certs/certificates.json"));
    let revoked = manifest
        .certificates
        .iter()
        .find(|e| e.name == REVOKED)
        .expect("Ana's certificate")
        .certificate_id
        .to_string();
    taller(
        dir.path(),
        &[
            "revoke",
            &revoked.to_lowercase(),
            "--manifest",
            "certs/certificates.json",
            "--reason",
            REASON,
        ],
    )
    .expect_code(0);
    taller(
        dir.path(),
        &[
            "site",
            "--manifest",
            "certs/certificates.json",
            "-o",
            "site",
        ],
    )
    .expect_code(0);
    let manifest = read_manifest(&dir.path().join("certs/certificates.json"));
    Issued { dir, manifest }
}

fn read_manifest(path: &Path) -> CertificateManifest {
    serde_json::from_slice(&std::fs::read(path).expect("the manifest")).expect("a manifest")
}

#[test]
fn the_key_is_made_once_private_and_outside_the_outputs() {
    let issued = issue();
    let key = issued.path(".taller-signing-key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key)
            .expect("the key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key is readable by its owner only");
    }
    let secret = std::fs::read_to_string(&key).expect("the key");
    let secret_line = secret.lines().last().expect("a secret line").to_owned();
    for dir in ["certs", "site"] {
        for file in std::fs::read_dir(issued.path(dir)).expect("a folder") {
            let bytes = std::fs::read(file.expect("a file").path()).expect("readable");
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(&secret_line[20..]),
                "the key leaked into {dir}"
            );
        }
    }
    // A second run uses the same key: the same QR addresses.
    let again = taller(
        issued.dir.path(),
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "certs2",
        ],
    );
    assert!(
        !again.stderr.contains("created the signing key"),
        "{}",
        again.stderr
    );
    let second = read_manifest(&issued.path("certs2/certificates.json"));
    assert_eq!(
        second.certificates[1].url, issued.manifest.certificates[1].url,
        "the same certificate gets the same token"
    );
    // A key configured inside the output folder is refused.
    let workshop = std::fs::read_to_string(issued.path("workshop.toml")).expect("workshop");
    let inside = workshop.replace(
        "[certificate]\n",
        "[certificate]\nsigning_key = \"out/key\"\n",
    );
    std::fs::write(issued.path("inside.toml"), inside).expect("write");
    let refused = taller(
        issued.dir.path(),
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "inside.toml",
            "-o",
            "out",
        ],
    );
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("inside the output folder"),
        "{}",
        refused.stderr
    );
    assert!(!issued.path("out/key").exists());
}

#[test]
fn verify_checks_the_hash_and_the_signature_and_says_which_failed() {
    let issued = issue();
    let olga = issued.entry("Ольга Кузнецова");
    let pdf = format!("certs/{}", olga.file);
    let ok = taller(issued.dir.path(), &["verify", &pdf]);
    ok.expect_code(0);
    assert!(
        ok.stdout.starts_with("valid:") && ok.stdout.contains("signed by the organiser's key"),
        "{}",
        ok.stdout
    );

    // Reformatted (compact, keys in the same order): still verifies.
    let path = issued.path("certs/certificates.json");
    let original = std::fs::read_to_string(&path).expect("manifest");
    let value: Value = serde_json::from_str(&original).expect("json");
    std::fs::write(&path, serde_json::to_string(&value).expect("json")).expect("write");
    taller(issued.dir.path(), &["verify", &pdf]).expect_code(0);

    // A changed value (another name) breaks the signature, not the hash.
    let edited = original.replace("Ольга Кузнецова", "Olga Kuznetsova");
    std::fs::write(&path, edited).expect("write");
    let bad = taller(issued.dir.path(), &["verify", &pdf]);
    bad.expect_code(1);
    assert!(
        bad.stdout.contains("NOT VALID: signature:")
            && bad.stdout.contains("the file itself matches"),
        "{}",
        bad.stdout
    );
    std::fs::write(&path, &original).expect("write");

    // A changed file breaks the hash, not the signature.
    let mut bytes = std::fs::read(issued.path(&pdf)).expect("pdf");
    bytes.extend_from_slice(b"\n%changed\n");
    std::fs::write(issued.path("changed.pdf"), &bytes).expect("write");
    let changed = taller(
        issued.dir.path(),
        &[
            "verify",
            "changed.pdf",
            "--manifest",
            "certs/certificates.json",
        ],
    );
    changed.expect_code(1);
    assert!(
        changed.stdout.contains("NOT VALID: hash:") && !changed.stdout.contains("signature:"),
        "{}",
        changed.stdout
    );

    // The revoked one says so, with its reason.
    let ana = issued.entry(REVOKED);
    let revoked = taller(
        issued.dir.path(),
        &["verify", &format!("certs/{}", ana.file)],
    );
    revoked.expect_code(1);
    assert!(
        revoked.stdout.contains("REVOKED") && revoked.stdout.contains(REASON),
        "{}",
        revoked.stdout
    );
}

#[test]
fn revoke_and_site_refuse_what_they_cannot_vouch_for() {
    let issued = issue();
    let unknown = taller(
        issued.dir.path(),
        &[
            "revoke",
            "MAD16-ZZZZZZ",
            "--manifest",
            "certs/certificates.json",
            "--reason",
            "x",
        ],
    );
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains("lists no certificate MAD16-ZZZZZZ"),
        "{}",
        unknown.stderr
    );
    let path = issued.path("certs/certificates.json");
    let edited = std::fs::read_to_string(&path)
        .expect("manifest")
        .replace("\"hours\": 4.0", "\"hours\": 40.0");
    std::fs::write(&path, edited).expect("write");
    for args in [
        &[
            "site",
            "--manifest",
            "certs/certificates.json",
            "-o",
            "site",
        ][..],
        &[
            "revoke",
            "MAD16-ZZZZZZ",
            "--manifest",
            "certs/certificates.json",
        ][..],
    ] {
        let refused = taller(issued.dir.path(), args);
        refused.expect_code(2);
        assert!(
            refused.stderr.contains("changed since it was signed"),
            "{}",
            refused.stderr
        );
    }
    std::fs::create_dir_all(issued.path("web")).expect("dir");
    std::fs::write(issued.path("web/index.html"), "<p>my page</p>").expect("write");
    let restored = taller(
        issued.dir.path(),
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "workshop.toml",
            "-o",
            "certs",
            "--force",
        ],
    );
    restored.expect_code(1);
    let foreign = taller(
        issued.dir.path(),
        &["site", "--manifest", "certs/certificates.json", "-o", "web"],
    );
    foreign.expect_code(2);
    assert!(
        foreign.stderr.contains("is not a taller verification site"),
        "{}",
        foreign.stderr
    );
    assert_eq!(
        std::fs::read_to_string(issued.path("web/index.html")).expect("kept"),
        "<p>my page</p>"
    );
}

#[test]
fn old_verify_urls_keep_working_and_wrong_ones_say_how_to_write_them() {
    let issued = issue();
    // The fixture has the older https://example.org/verify/{id}.
    let url = issued.entry("Ольга Кузнецова").url.clone().expect("url");
    assert!(
        url.starts_with("https://example.org/verify/#id=MAD16-"),
        "{url}"
    );
    let workshop = std::fs::read_to_string(issued.path("workshop.toml")).expect("workshop");
    let wrong = workshop.replace(
        "https://example.org/verify/{id}",
        "https://example.org/{id}/check",
    );
    std::fs::write(issued.path("wrong.toml"), wrong).expect("write");
    let refused = taller(
        issued.dir.path(),
        &[
            "certificates",
            "--roster",
            "roster.csv",
            "--workshop",
            "wrong.toml",
            "-o",
            "w",
        ],
    );
    refused.expect_code(2);
    assert!(
        refused.stderr.contains("verify_url")
            && refused
                .stderr
                .contains("e.g. verify_url = \"https://example.org/certificados/\""),
        "{}",
        refused.stderr
    );
}

/// The forms in which a name or an address could sit in a published file.
fn forms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for base in [
        text.nfc().collect::<String>(),
        text.nfd().collect::<String>(),
    ] {
        for variant in [base.clone(), base.to_lowercase(), base.to_uppercase()] {
            out.push(variant.clone());
            let json = serde_json::to_string(&variant).expect("json");
            out.push(json.trim_matches('"').to_owned());
            let ascii_json: String = variant
                .encode_utf16()
                .map(|unit| {
                    if unit < 0x80 {
                        char::from(unit as u8).to_string()
                    } else {
                        format!("\\u{unit:04x}")
                    }
                })
                .collect();
            out.push(ascii_json.clone());
            out.push(ascii_json.to_uppercase().replace("\\U", "\\u"));
            let html: String = variant
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    c if !c.is_ascii() => format!("&#{};", u32::from(c)),
                    c => c.to_string(),
                })
                .collect();
            out.push(html);
            let hex_html: String = variant
                .chars()
                .map(|c| {
                    if c.is_ascii() {
                        c.to_string()
                    } else {
                        format!("&#x{:x};", u32::from(c))
                    }
                })
                .collect();
            out.push(hex_html);
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_site_holds_no_name_or_email_in_any_form() {
    let issued = issue();
    let mut reader = csv::Reader::from_path(issued.path("roster.csv")).expect("roster");
    let headers = reader.headers().expect("headers").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (full, email) = (column("full_name"), column("email"));
    let mut secrets = Vec::new();
    for row in reader.records() {
        let row = row.expect("row");
        // Whole names and addresses: a three-letter given name alone
        // ("Ana") can turn up by chance in kilobytes of base64.
        secrets.push(row[full].to_owned());
        secrets.push(row[email].to_owned());
    }
    secrets.retain(|s| s.chars().count() >= 5);
    assert!(secrets.len() >= 20);
    let mut files = 0;
    for file in std::fs::read_dir(issued.path("site")).expect("site") {
        let path = file.expect("file").path();
        let text = String::from_utf8(std::fs::read(&path).expect("read")).expect("UTF-8");
        files += 1;
        for secret in &secrets {
            for form in forms(secret) {
                assert!(!text.contains(&form), "{} holds `{form}`", path.display());
            }
        }
        // And nothing fetched from another host.
        for remote in ["http://", "https://", "//cdn", "@import", "url("] {
            assert!(
                !text.contains(remote) || path.ends_with("LICENSE-tweetnacl.txt"),
                "{} has {remote}",
                path.display()
            );
        }
    }
    assert_eq!(
        files, 6,
        "index.html, site.js, site.css, nacl.min.js, its licence, data.js"
    );
}

// ---------------------------------------------------------------------------
// The page in a real browser.

/// chromedriver and a headless Chromium, or `None` (with the reason
/// printed) where they are not installed. On CI they must be: `.ci/run`
/// installs them.
pub(crate) struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.call("DELETE", &format!("/session/{}", self.session), None);
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

impl Browser {
    #[allow(clippy::print_stderr)]
    pub(crate) fn start() -> Option<Browser> {
        let (Some(chromium), Some(chromedriver)) = (
            find_program(&["chromium", "chromium-browser", "google-chrome"]),
            find_program(&["chromedriver"]),
        ) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must have chromium and chromium-driver (.ci/run installs them)"
            );
            eprintln!(
                "SKIPPED: the page's browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = temp_dir();
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while let Err(err) = browser.call("GET", "/status", None) {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start: {err}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1000,900",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .chain([format!(
            "--user-data-dir={}",
            browser._profile.path().display()
        )])
        .collect::<Vec<_>>();
        let created = browser
            .call(
                "POST",
                "/session",
                Some(json!({"capabilities": {"alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": chromium, "args": args}
                }}})),
            )
            .expect("a browser session");
        browser.session = created["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        Some(browser)
    }

    /// One WebDriver command; its `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .map_err(|e| e.to_string())?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .map_err(|e| e.to_string())?;
        // Read the headers, then as many bytes as they announce (a
        // connection left open must not hang the test).
        let mut response = Vec::new();
        let mut chunk = [0u8; 16384];
        let (head, body) = loop {
            let read = stream.read(&mut chunk).map_err(|e| e.to_string())?;
            response.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&response).into_owned();
            if let Some((head, rest)) = text.split_once("\r\n\r\n") {
                let lower = head.to_ascii_lowercase();
                let length = lower
                    .lines()
                    .find_map(|line| line.strip_prefix("content-length:"))
                    .and_then(|n| n.trim().parse::<usize>().ok());
                let done = match length {
                    Some(length) => rest.len() >= length,
                    None => read == 0 || (lower.contains("chunked") && rest.ends_with("0\r\n\r\n")),
                };
                if done {
                    let body = if lower.contains("transfer-encoding: chunked") {
                        dechunk(rest)
                    } else {
                        rest.to_owned()
                    };
                    break (head.to_owned(), body);
                }
            }
            if read == 0 {
                return Err("the connection closed early".to_owned());
            }
        };
        let value: Value = serde_json::from_str(&body).map_err(|e| format!("{e}: {body}"))?;
        if head.starts_with("HTTP/1.1 200") {
            Ok(value["value"].clone())
        } else {
            Err(value.to_string())
        }
    }

    fn session_call(&self, method: &str, what: &str, body: Option<Value>) -> Value {
        self.call(method, &format!("/session/{}{what}", self.session), body)
            .unwrap_or_else(|err| panic!("WebDriver {what}: {err}"))
    }

    pub(crate) fn open(&self, url: &str) {
        self.session_call("POST", "/url", Some(json!({"url": "about:blank"})));
        self.session_call("POST", "/url", Some(json!({"url": url})));
    }

    fn script(&self, script: &str) -> Value {
        self.session_call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// The verdict once the page has reached one: `data-verdict` and the
    /// text a person reads.
    pub(crate) fn verdict(&self) -> (String, String) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let value = self.script(
                "var v = document.getElementById('verdict'); return [v.getAttribute('data-verdict'), v.innerText];",
            );
            let verdict = value[0].as_str().unwrap_or("").to_owned();
            if !matches!(verdict.as_str(), "none" | "pending" | "") {
                return (verdict, value[1].as_str().unwrap_or("").to_owned());
            }
            assert!(Instant::now() < deadline, "no verdict: {value}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn element(&self, css: &str) -> String {
        let found = self.session_call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        found["element-6066-11e4-a52e-4f735466cecf"]
            .as_str()
            .expect("an element")
            .to_owned()
    }

    pub(crate) fn type_into(&self, css: &str, text: &str) {
        let element = self.element(css);
        self.session_call(
            "POST",
            &format!("/element/{element}/clear"),
            Some(json!({})),
        );
        self.session_call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        );
    }

    pub(crate) fn click(&self, css: &str) {
        let element = self.element(css);
        self.session_call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn screenshot(&self, path: &Path) {
        use base64::Engine;
        let png = self.session_call("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().expect("base64"))
            .expect("a PNG");
        std::fs::write(path, bytes).expect("write the screenshot");
    }
}

fn dechunk(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if size == 0 || after.len() < size {
            break;
        }
        out.push_str(&after[..size]);
        rest = after[size..].trim_start_matches("\r\n");
    }
    out
}

pub(crate) fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().expect("exists").display())
}

#[test]
fn the_page_gives_each_verdict_in_a_real_browser() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let issued = issue();
    let index = file_url(&issued.path("site/index.html"));

    // Valid, by the QR code's address: Latin with accents (Spanish),
    // Greek and Cyrillic, Arabic (English pages).
    let cases = [
        "Maximiliano Fernández de la Cueva y Hernández de Córdoba-Villanueva",
        "Ελένη Παπαδοπούλου",
        "Ольга Кузнецова",
        "محمد بن سلمان",
    ];
    let mut languages = Vec::new();
    for name in cases {
        browser.open(&format!("{index}{}", issued.fragment(name)));
        let (verdict, text) = browser.verdict();
        assert_eq!(verdict, "valid", "{name}: {text}");
        // In the certificate's language, with what a valid one shows.
        let language = issued.entry(name).language.clone();
        let expected: &[&str] = if language == "en" {
            &["Valid certificate", "27 January 2016", "Hours\n4"]
        } else {
            &["Certificado válido", "27 de enero de 2016", "Horas\n4"]
        };
        for shown in expected.iter().chain(&[
            name,
            "Campaigning on Twitter",
            "Red de ONG por la Comunicación",
        ]) {
            assert!(
                text.contains(shown),
                "{name} ({language}) should show {shown}: {text}"
            );
        }
        languages.push(language);
    }
    assert!(
        languages.contains(&"en".to_owned()) && languages.contains(&"es".to_owned()),
        "{languages:?}"
    );
    // The vendored Ed25519 (for browsers without it in WebCrypto) accepts
    // the organiser's signature and refuses it on a changed byte.
    let fallback = browser.script(
        "var d = window.tallerSiteData, pk = document.querySelector('meta[name=\"taller-public-key\"]').content;\
         function b(s) { var x = atob(s), a = new Uint8Array(x.length); for (var i = 0; i < x.length; i++) a[i] = x.charCodeAt(i); return a; }\
         var m = b(d.payload), sig = b(d.signature), k = b(pk);\
         var ok = nacl.sign.detached.verify(m, sig, k); m[10] ^= 1;\
         return [ok, nacl.sign.detached.verify(m, sig, k)];",
    );
    assert_eq!(fallback, json!([true, false]));
    if let Some(shot) = std::env::var_os("TALLER_SITE_SCREENSHOT") {
        browser.open(&format!("{index}{}", issued.fragment(cases[0])));
        browser.verdict();
        browser.screenshot(Path::new(&shot));
    }

    // Revoked, with its reason, in Spanish (Ana's certificate is).
    browser.open(&format!("{index}{}", issued.fragment(REVOKED)));
    let (verdict, text) = browser.verdict();
    assert_eq!(verdict, "revoked", "{text}");
    assert!(
        text.contains("Certificado revocado") && text.contains(REASON),
        "{text}"
    );

    // Unknown id; a tampered token.
    let olga = issued.fragment("Ольга Кузнецова");
    let token = olga.rsplit_once("&t=").expect("a token").1.to_owned();
    browser.open(&format!("{index}#id=MAD16-ZZZZZZ&t={token}"));
    assert_eq!(browser.verdict().0, "unknown");
    let mut tampered = olga.clone();
    let last = tampered.pop().expect("a character");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    browser.open(&format!("{index}{tampered}"));
    let (verdict, text) = browser.verdict();
    assert_eq!(verdict, "unknown", "{text}");
    assert!(!text.contains("Ольга"), "{text}");

    // Typed in: the printed id and the name as printed (another case and
    // spacing is the same name); a wrong name finds nothing.
    let eleni = issued
        .entry("Ελένη Παπαδοπούλου")
        .certificate_id
        .to_string();
    browser.open(&index);
    browser.type_into("#cert-id", &eleni.to_lowercase());
    browser.type_into("#cert-name", "ΕΛΈΝΗ  Παπαδοπούλου ");
    browser.click("#check");
    let (verdict, text) = browser.verdict();
    assert_eq!(verdict, "valid", "{text}");
    assert!(text.contains("Ελένη Παπαδοπούλου"), "{text}");
    browser.open(&index);
    browser.type_into("#cert-id", &eleni);
    browser.type_into("#cert-name", "Ελένη Παπαδοπούλ");
    browser.click("#check");
    assert_eq!(browser.verdict().0, "unknown");

    // A PDF chosen with the file input: untouched, then changed.
    let olga_pdf = issued.path(&format!("certs/{}", issued.entry("Ольга Кузнецова").file));
    browser.open(&index);
    browser.type_into(
        "#pdf",
        &olga_pdf.canonicalize().expect("pdf").display().to_string(),
    );
    let (verdict, text) = browser.verdict();
    assert_eq!(verdict, "valid", "{text}");
    assert!(text.contains("Ольга Кузнецова"), "{text}");
    let mut bytes = std::fs::read(&olga_pdf).expect("pdf");
    // An incremental update, as a PDF editor appends one.
    bytes.extend_from_slice(b"\n% edited\n");
    let changed = issued.path("changed.pdf");
    std::fs::write(&changed, &bytes).expect("write");
    browser.open(&index);
    browser.type_into(
        "#pdf",
        &changed.canonicalize().expect("pdf").display().to_string(),
    );
    let (verdict, text) = browser.verdict();
    assert_eq!(verdict, "modified", "{text}");
    assert!(
        text.contains("Ольга Кузнецова"),
        "the page says which certificate it claims to be: {text}"
    );
    // A PDF that is no certificate at all.
    let other = issued.path("other.pdf");
    std::fs::write(&other, b"%PDF-1.7\n%%EOF\n").expect("write");
    browser.open(&index);
    browser.type_into(
        "#pdf",
        &other.canonicalize().expect("pdf").display().to_string(),
    );
    assert_eq!(browser.verdict().0, "unknown");

    // The data file with one byte changed verifies nothing.
    let data = std::fs::read(issued.path("site/data.js")).expect("data");
    let at = data.len() / 2;
    for (i, copy) in [
        "site/index.html",
        "site/site.js",
        "site/site.css",
        "site/nacl.min.js",
    ]
    .iter()
    .enumerate()
    {
        let target = issued.path(&format!("edited/{}", copy.trim_start_matches("site/")));
        std::fs::create_dir_all(target.parent().expect("folder")).expect("dir");
        std::fs::copy(issued.path(copy), target).unwrap_or_else(|_| panic!("copy {i}"));
    }
    let mut edited = data.clone();
    edited[at] = if edited[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(issued.path("edited/data.js"), &edited).expect("write");
    browser.open(&format!(
        "{}{}",
        file_url(&issued.path("edited/index.html")),
        issued.fragment("Ольга Кузнецова")
    ));
    let (verdict, text) = browser.verdict();
    assert_eq!(verdict, "invalid", "{text}");
    assert!(!text.contains("Ольга"), "{text}");
}

/// A certificate of `manifest` that the forget step can name by email.
fn holder(manifest: &CertificateManifest) -> taller_model::ManifestEntry {
    manifest
        .certificates
        .iter()
        .find(|e| !e.email.is_empty() && e.revoked.is_none())
        .cloned()
        .expect("a certificate with an email")
}

/// The QR code's fragment of a certificate: `#id=…&t=…`.
fn fragment_of(entry: &taller_model::ManifestEntry) -> String {
    let url = entry.url.clone().expect("a QR address");
    url[url.find('#').expect("the id travels after a #")..].to_owned()
}

#[test]
fn a_programme_sharing_a_verify_url_gets_one_site_for_all_its_workshops() {
    let dir = temp_dir();
    taller(dir.path(), &["init", "--programme", "prog"]).expect_code(0);
    let prog = dir.path().join("prog");
    // Seville's certificates lead to Madrid's address too.
    let sevilla_file = prog.join("sevilla-2016/workshop.toml");
    let text = std::fs::read_to_string(&sevilla_file).expect("workshop file");
    let shared = text.replacen(
        "[certificate]\n",
        "[certificate]\nverify_url = \"https://example.org/verificar/\"\n",
        1,
    );
    assert_ne!(shared, text, "the example has a [certificate] section");
    std::fs::write(&sevilla_file, &shared).expect("write");

    // Each workshop signs with the key beside its own file unless it names
    // one: one site cannot be signed by two keys, so the run is refused, in
    // one sentence that says how to name one, before anything is written.
    let refused = taller(dir.path(), &["run", "prog/programme.toml"]);
    refused.expect_code(2);
    assert!(
        refused
            .stderr
            .contains("mad-2016-01 and sev-2016-01 share verify_url")
            && refused
                .stderr
                .contains("signing_key = \"../.taller-signing-key\"")
            && refused.stderr.trim().lines().count() == 1,
        "{}",
        refused.stderr
    );
    assert!(!prog.join("taller-out").exists());
    for file in ["madrid-2016/workshop.toml", "sevilla-2016/workshop.toml"] {
        let path = prog.join(file);
        let text = std::fs::read_to_string(&path).expect("workshop file");
        let text = text.replacen(
            "[certificate]\n",
            "[certificate]\nsigning_key = \"../.taller-signing-key\"\n",
            1,
        );
        std::fs::write(&path, text).expect("write");
    }

    let run = taller(dir.path(), &["run", "prog/programme.toml"]);
    run.expect_code(0);
    let out = prog.join("taller-out");
    let site = out.join("site");
    assert!(site.join("index.html").is_file(), "{}", run.stderr);
    for id in ["mad-2016-01", "sev-2016-01", "bio-2016-06"] {
        assert!(!out.join(id).join("site").exists(), "{id} has its own site");
    }
    // The summary says where the one site is and whose it is.
    assert!(
        run.stderr.contains(
            "verification  prog/taller-out/site/index.html: one site for mad-2016-01, sev-2016-01"
        ),
        "{}",
        run.stderr
    );
    let madrid = read_manifest(&out.join("mad-2016-01/certificates/certificates.json"));
    let sevilla = read_manifest(&out.join("sev-2016-01/certificates/certificates.json"));
    let (ana, sev) = (holder(&madrid), holder(&sevilla));

    if let Some(browser) = Browser::start() {
        let index = file_url(&site.join("index.html"));
        for entry in [&ana, &sev] {
            browser.open(&format!("{index}{}", fragment_of(entry)));
            let (verdict, text) = browser.verdict();
            assert_eq!(
                verdict,
                "valid",
                "{}: {text}",
                entry.certificate_id.as_str()
            );
            assert!(text.contains(&entry.name), "{}: {text}", entry.name);
        }
    }

    // Forgetting Seville's holder rebuilds the one site: the certificate
    // handed out keeps verifying, by its QR code or its id and name typed
    // in, but the page no longer shows her name.
    let before = std::fs::read(site.join("data.js")).expect("data.js");
    taller(
        dir.path(),
        &["forget", &sev.email, "--programme", "prog/programme.toml"],
    )
    .expect_code(0);
    let after = std::fs::read(site.join("data.js")).expect("data.js");
    assert_ne!(before, after, "the programme's site was not made again");
    assert!(!out.join("sev-2016-01/site").exists());
    if let Some(browser) = Browser::start() {
        let index = file_url(&site.join("index.html"));
        browser.open(&format!("{index}{}", fragment_of(&ana)));
        assert_eq!(browser.verdict().0, "valid");
        browser.open(&format!("{index}{}", fragment_of(&sev)));
        let (verdict, text) = browser.verdict();
        assert_eq!(verdict, "valid", "{text}");
        assert!(!text.contains(&sev.name), "{text}");
        browser.open(&index);
        browser.type_into("#cert-id", sev.certificate_id.as_str());
        browser.type_into("#cert-name", &sev.name);
        browser.click("#check");
        let (verdict, text) = browser.verdict();
        assert_eq!(verdict, "valid", "{text}");
        assert!(!text.contains(&sev.email), "{text}");
    }

    // Run again with another key named for Seville: refused, and the
    // published site is left as it was.
    let text = std::fs::read_to_string(&sevilla_file).expect("workshop file");
    std::fs::write(
        &sevilla_file,
        text.replace("../.taller-signing-key", "../other-key"),
    )
    .expect("write");
    let refused = taller(dir.path(), &["run", "prog/programme.toml", "-q"]);
    refused.expect_code(2);
    assert!(refused.stderr.contains("other-key"), "{}", refused.stderr);
    assert!(!prog.join("other-key").exists());
    assert_eq!(std::fs::read(site.join("data.js")).expect("data.js"), after);
}
