//! A real SMTP server for tests that need the emails the server sends: `MailSink::start()` runs
//! aiosmtpd (Debian's `python3-aiosmtpd`, which `scripts/test` installs) on a free loopback port,
//! storing every message in a Maildir, and `messages()` / `wait_for()` read them back as parsed
//! `Mail`s. MIME is parsed by hand, just enough for what lettre sends: a `multipart/alternative`
//! of `text/plain` and `text/html`, each 7bit, 8bit, quoted-printable or base64, in UTF-8.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

use base64::Engine;

pub struct MailSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Child,
}

impl MailSink {
    /// Starts aiosmtpd and returns once it accepts connections (panics after 10 s).
    pub fn start() -> MailSink {
        let dir = tempfile::tempdir().expect("tempdir");
        // Let the OS pick a free port, then hand it to aiosmtpd.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("find a free port")
            .port();
        // aiosmtpd's output goes to a file, shown if it fails to start.
        let log = std::fs::File::create(dir.path().join("aiosmtpd.log")).expect("create log");
        let child = Command::new(python())
            // -n: don't try to setuid to `nobody` (it would when run as root).
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("Maildir"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("clone log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("could not run {} -m aiosmtpd: {e}", python()));
        // Built before waiting, so a panic below still kills the child (Drop).
        let mut sink = MailSink { port, dir, child };
        sink.wait_until_listening();
        sink
    }

    fn wait_until_listening(&mut self) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "aiosmtpd exited ({status}) before listening on {addr}; its output:\n{}",
                    self.log()
                );
            }
            if Instant::now() >= deadline {
                panic!(
                    "aiosmtpd did not accept connections on {addr} within 10 s; its output:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("aiosmtpd.log")).unwrap_or_default()
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<Mail> {
        let maildir = self.dir.path().join("Maildir");
        let mut files = Vec::new();
        // Delivered messages are in new/ (cur/ once "read"); tmp/ holds half-written ones.
        for sub in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(maildir.join(sub)) else {
                continue;
            };
            for entry in entries.flatten() {
                let modified = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .unwrap_or(SystemTime::UNIX_EPOCH);
                files.push((modified, entry.file_name(), entry.path()));
            }
        }
        files.sort();
        files
            .into_iter()
            .map(|(_, _, path)| {
                let bytes =
                    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                Mail::parse(String::from_utf8_lossy(&bytes).into_owned())
            })
            .collect()
    }

    /// Polls until at least `count` messages have arrived and returns them all.
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Mail> {
        self.poll(count, timeout, "", |_| true)
    }

    /// Polls until at least `count` messages were delivered to `address` (compared
    /// case-insensitively with `Mail::to`) and returns those.
    pub fn wait_for_to(&self, address: &str, count: usize, timeout: Duration) -> Vec<Mail> {
        self.poll(count, timeout, &format!(" to {address}"), |mail| {
            mail.to().iter().any(|to| to.eq_ignore_ascii_case(address))
        })
    }

    fn poll(
        &self,
        count: usize,
        timeout: Duration,
        what: &str,
        keep: impl Fn(&Mail) -> bool,
    ) -> Vec<Mail> {
        let deadline = Instant::now() + timeout;
        loop {
            let all = self.messages();
            let mails: Vec<Mail> = all.iter().filter(|mail| keep(mail)).cloned().collect();
            if mails.len() >= count {
                return mails;
            }
            if Instant::now() >= deadline {
                // Say what did arrive: usually the mail went to someone else or never left.
                let received: Vec<String> = all
                    .iter()
                    .map(|mail| format!("to {:?}: {:?}", mail.to(), mail.subject()))
                    .collect();
                panic!(
                    "expected {count} email(s){what} within {timeout:?}, but {} arrived; \
                     all received: {received:#?}",
                    mails.len()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The first Python that can import aiosmtpd: `python3` on PATH may be a pyenv or venv build
/// that doesn't see Debian's package in /usr/lib/python3/dist-packages.
fn python() -> &'static str {
    static PYTHON: OnceLock<&'static str> = OnceLock::new();
    PYTHON.get_or_init(|| {
        ["python3", "/usr/bin/python3"]
            .into_iter()
            .find(|python| {
                Command::new(python)
                    .args(["-c", "import aiosmtpd"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|status| status.success())
            })
            .expect("no python3 can import aiosmtpd: apt-get install python3-aiosmtpd (scripts/test does)")
    })
}

/// One received email. `text` and `html` are the decoded bodies (empty if the mail has no such
/// part), with `\n` line ends.
#[derive(Clone, Debug)]
pub struct Mail {
    /// In order, continuation lines unfolded, values not decoded. aiosmtpd adds X-MailFrom,
    /// X-RcptTo (the SMTP envelope) and X-Peer.
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub html: String,
    /// The message as stored.
    pub raw: String,
}

impl Mail {
    fn parse(raw: String) -> Mail {
        // aiosmtpd's Maildir stores `\n` line ends; accept CRLF too.
        let unix = raw.replace("\r\n", "\n");
        let (headers, body) = split_headers(&unix);
        let mut text = String::new();
        let mut html = String::new();
        collect_parts(&headers, body, &mut text, &mut html);
        Mail {
            headers,
            text,
            html,
            raw,
        }
    }

    /// The first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The addresses the message was delivered to: the SMTP envelope (so Bcc recipients count),
    /// or the To header if there is no envelope. The To header itself is `header("To")`.
    pub fn to(&self) -> Vec<String> {
        self.header("X-RcptTo")
            .or_else(|| self.header("To"))
            .map(addresses)
            .unwrap_or_default()
    }

    /// The decoded Subject ("" if there is none).
    pub fn subject(&self) -> String {
        self.header("Subject")
            .map(decode_rfc2047)
            .unwrap_or_default()
    }

    /// Every http:// or https:// URL in the text part, in order.
    pub fn links(&self) -> Vec<String> {
        self.text
            .split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .filter_map(|word| {
                let start = [word.find("http://"), word.find("https://")]
                    .into_iter()
                    .flatten()
                    .min()?;
                // Sentence punctuation and closing brackets after a URL aren't part of it.
                let url =
                    word[start..].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'']);
                Some(url.to_string())
            })
            .collect()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// Splits a message or MIME part (with `\n` line ends) into its headers and body.
fn split_headers(s: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = if let Some(body) = s.strip_prefix('\n') {
        ("", body)
    } else {
        s.split_once("\n\n").unwrap_or((s, ""))
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split('\n') {
        if line.starts_with([' ', '\t']) {
            // A folded header goes on with leading whitespace; unfolding just drops the line break.
            if let Some((_, value)) = headers.last_mut() {
                value.push_str(line);
            }
        } else if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_string(), value.to_string()));
        }
    }
    for (_, value) in &mut headers {
        *value = value.trim().to_string();
    }
    (headers, body)
}

/// Fills `text` and `html` from the first text/plain and text/html parts, descending into
/// multipart bodies (alternative, mixed, related...).
fn collect_parts(headers: &[(String, String)], body: &str, text: &mut String, html: &mut String) {
    let content_type = find_header(headers, "Content-Type").unwrap_or("text/plain");
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime.starts_with("multipart/") {
        let boundary = param(content_type, "boundary").expect("multipart without a boundary");
        for part in split_multipart(body, &boundary) {
            let (part_headers, part_body) = split_headers(&part);
            collect_parts(&part_headers, part_body, text, html);
        }
        return;
    }
    let target = match mime.as_str() {
        "text/plain" => text,
        "text/html" => html,
        _ => return,
    };
    if target.is_empty() {
        *target = decode_body(find_header(headers, "Content-Transfer-Encoding"), body);
    }
}

/// A parameter of a header value such as `multipart/alternative; boundary="abc"`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (key, value) = p.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

/// The parts of a multipart body; the preamble and epilogue are dropped.
fn split_multipart(body: &str, boundary: &str) -> Vec<String> {
    let delimiter = format!("--{boundary}");
    let close = format!("--{boundary}--");
    let mut parts = Vec::new();
    let mut current: Option<Vec<&str>> = None; // None while in the preamble
    for line in body.split('\n') {
        let trimmed = line.trim_end();
        if trimmed == delimiter || trimmed == close {
            // The line break before a delimiter belongs to it, so joining with "\n" is exact.
            if let Some(lines) = current.take() {
                parts.push(lines.join("\n"));
            }
            if trimmed == close {
                return parts;
            }
            current = Some(Vec::new());
        } else if let Some(lines) = &mut current {
            lines.push(line);
        }
    }
    parts.extend(current.map(|lines| lines.join("\n")));
    parts
}

fn decode_body(transfer_encoding: Option<&str>, body: &str) -> String {
    let encoding = transfer_encoding
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "quoted-printable" => decode_quoted_printable(body),
        "base64" => decode_base64(body).expect("invalid base64 body"),
        // 7bit, 8bit and binary bodies are the text itself.
        _ => body.as_bytes().to_vec(),
    };
    String::from_utf8_lossy(&bytes).replace("\r\n", "\n")
}

/// Ignores line breaks and tolerates missing `=` padding.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(compact.trim_end_matches('='))
        .ok()
}

fn decode_quoted_printable(body: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut line_break = false;
    for line in body.split('\n') {
        if line_break {
            out.push(b'\n');
        }
        // Encoders must encode trailing whitespace, so any left was added in transit.
        let line = line.trim_end_matches([' ', '\t']);
        // A trailing `=` is a soft line break: the line goes on without one.
        let (line, soft_break) = match line.strip_suffix('=') {
            Some(line) => (line, true),
            None => (line, false),
        };
        decode_hex_escapes(line, false, &mut out);
        line_break = !soft_break;
    }
    out
}

/// Decodes `=XX` escapes (and `_` as a space in RFC 2047 "Q" words); a stray `=` stays as is.
fn decode_hex_escapes(s: &str, underscore_is_space: bool, out: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some(&[b'=', high, low]) if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                u8::from_str_radix(&s[i + 1..i + 3], 16).ok()
            }
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(if underscore_is_space && bytes[i] == b'_' {
                    b' '
                } else {
                    bytes[i]
                });
                i += 1;
            }
        }
    }
}

/// Decodes RFC 2047 encoded-words (`=?utf-8?b?...?=`, `=?utf-8?q?...?=`) in a header value.
fn decode_rfc2047(value: &str) -> String {
    let mut out = String::new();
    // Bytes of a run of adjacent encoded-words, decoded together: a long subject is split into
    // several words, and a character's bytes might be split between two of them.
    let mut run: Vec<u8> = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while let Some(found) = value[i..].find("=?") {
        let start = i + found;
        let Some((bytes, len)) = encoded_word(&value[start..]) else {
            i = start + 2;
            continue;
        };
        let between = &value[plain_from..start];
        // Whitespace between two encoded-words is folding, not text (RFC 2047 section 6.2).
        if run.is_empty() || !between.trim().is_empty() {
            out.push_str(&String::from_utf8_lossy(&std::mem::take(&mut run)));
            out.push_str(between);
        }
        run.extend(bytes);
        i = start + len;
        plain_from = i;
    }
    out.push_str(&String::from_utf8_lossy(&run));
    out.push_str(&value[plain_from..]);
    out
}

/// Decodes the encoded-word `s` starts with; returns its bytes and its length in `s`.
/// The charset is taken to be UTF-8 (or ASCII), which is all lettre writes.
fn encoded_word(s: &str) -> Option<(Vec<u8>, usize)> {
    let rest = s.strip_prefix("=?")?;
    let (charset, rest) = rest.split_once('?')?;
    let (encoding, rest) = rest.split_once('?')?;
    let text = &rest[..rest.find("?=")?];
    if [charset, encoding, text]
        .iter()
        .any(|s| s.contains(char::is_whitespace))
    {
        return None;
    }
    let bytes = match encoding {
        "b" | "B" => decode_base64(text)?,
        "q" | "Q" => {
            let mut bytes = Vec::new();
            decode_hex_escapes(text, true, &mut bytes);
            bytes
        }
        _ => return None,
    };
    let len = "=?".len() + charset.len() + 1 + encoding.len() + 1 + text.len() + "?=".len();
    Some((bytes, len))
}

/// The bare addresses in an address list such as `"Doe, Jane" <jane@example.com>, bob@example.com`.
fn addresses(list: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    // A comma appended at the end closes the last address.
    for (i, c) in list.char_indices().chain([(list.len(), ',')]) {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                let one = list[start..i].trim();
                let address = match (one.rfind('<'), one.rfind('>')) {
                    (Some(open), Some(close)) if open < close => &one[open + 1..close],
                    _ => one,
                };
                if !address.is_empty() {
                    out.push(address.trim().to_string());
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    out
}

/// Reads one SMTP reply and checks its code; "250-" lines continue a reply, "250 " ends it.
fn smtp_reply(reader: &mut impl BufRead, code: &str) {
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("read SMTP reply");
        assert!(
            line.starts_with(code),
            "expected SMTP reply {code}, got {line:?}"
        );
        if line.as_bytes().get(3) != Some(&b'-') {
            return;
        }
    }
}

fn smtp_command(stream: &mut TcpStream, reader: &mut impl BufRead, command: &str, code: &str) {
    stream
        .write_all(format!("{command}\r\n").as_bytes())
        .expect("write SMTP command");
    smtp_reply(reader, code);
}

/// Hands `message` (CRLF line ends) to the SMTP server on `port`, as the app's mailer would.
fn send_smtp(port: u16, from: &str, to: &str, message: &str) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the mail sink");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set read timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    smtp_reply(&mut reader, "220");
    smtp_command(&mut stream, &mut reader, "EHLO test.invalid", "250");
    smtp_command(
        &mut stream,
        &mut reader,
        &format!("MAIL FROM:<{from}>"),
        "250",
    );
    smtp_command(&mut stream, &mut reader, &format!("RCPT TO:<{to}>"), "250");
    smtp_command(&mut stream, &mut reader, "DATA", "354");
    // A line starting with "." gets another one, so it can't end the data early.
    let data: Vec<String> = message
        .trim_end_matches("\r\n")
        .split("\r\n")
        .map(|line| {
            if line.starts_with('.') {
                format!(".{line}")
            } else {
                line.to_string()
            }
        })
        .collect();
    smtp_command(
        &mut stream,
        &mut reader,
        &format!("{}\r\n.", data.join("\r\n")),
        "250",
    );
    smtp_command(&mut stream, &mut reader, "QUIT", "221");
}

#[test]
fn the_sink_receives_and_parses_a_multipart_message() {
    let sink = MailSink::start();

    // Encoded the way lettre's MultiPart::alternative_plain_html does it, plus a folded subject
    // of two encoded-words (b then q) and a preamble a parser must skip.
    let subject_start = base64::engine::general_purpose::STANDARD.encode("Neue Antwort: „Drucker ");
    let html = "<p>Grüße!</p>\n<p>Bernd hat auf Ihre Frage „Drucker druckt nicht“ geantwortet: \
                <a href=\"https://example.com/t/1#post-2\">zur Antwort</a></p>\n";
    let html_base64 = base64::engine::general_purpose::STANDARD.encode(html);
    let html_lines: Vec<&str> = html_base64
        .as_bytes()
        .chunks(76)
        .map(|chunk| std::str::from_utf8(chunk).unwrap())
        .collect();
    let message = [
        "From: Peerdesk <noreply@example.com>",
        "To: Anna Beispiel <anna@example.com>",
        &format!("Subject: =?utf-8?b?{subject_start}?="),
        " =?utf-8?q?druckt_nicht=E2=80=9C_=E2=80=93_Gr=C3=BC=C3=9Fe?=",
        "List-Unsubscribe:",
        " <https://example.com/unsubscribe?token=abc123>",
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative;",
        " boundary=\"=_b0undary\"",
        "",
        "This is a multi-part message in MIME format.",
        "--=_b0undary",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Hallo Anna,",
        "",
        // Soft line breaks ("=" at the end) inside a word and inside a URL; the line starting
        // with "." also checks the SMTP dot-stuffing.
        "Bernd hat auf Ihre Frage =E2=80=9EDrucker druckt nicht=E2=80=9C geantwortet=",
        ". Gr=C3=BC=C3=9Fe und danke f=C3=BCr Ihre Geduld! Zur Antwort: https://exa=",
        "mple.com/t/1#post-2",
        "",
        "Abmelden: https://example.com/unsubscribe?token=3Dabc123.",
        "--=_b0undary",
        "Content-Type: text/html; charset=utf-8",
        "Content-Transfer-Encoding: base64",
        "",
        &html_lines.join("\r\n"),
        "--=_b0undary--",
        "",
    ]
    .join("\r\n");
    assert!(
        html_lines.len() > 1,
        "the HTML part should span several base64 lines"
    );
    send_smtp(
        sink.port,
        "noreply@example.com",
        "anna@example.com",
        &message,
    );

    let mails = sink.wait_for(1, Duration::from_secs(10));
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(
        mail.subject(),
        "Neue Antwort: „Drucker druckt nicht“ – Grüße"
    );
    assert_eq!(
        mail.text,
        "Hallo Anna,\n\nBernd hat auf Ihre Frage „Drucker druckt nicht“ geantwortet. Grüße und \
         danke für Ihre Geduld! Zur Antwort: https://example.com/t/1#post-2\n\n\
         Abmelden: https://example.com/unsubscribe?token=abc123."
    );
    assert_eq!(mail.html, html);
    assert_eq!(
        mail.links(),
        [
            "https://example.com/t/1#post-2",
            "https://example.com/unsubscribe?token=abc123"
        ]
    );
    assert_eq!(
        mail.header("list-unsubscribe"),
        Some("<https://example.com/unsubscribe?token=abc123>")
    );
    assert_eq!(mail.header("To"), Some("Anna Beispiel <anna@example.com>"));
    assert_eq!(mail.to(), ["anna@example.com"]);
    assert!(mail
        .raw
        .contains("Content-Transfer-Encoding: quoted-printable"));

    assert_eq!(
        sink.wait_for_to("Anna@Example.com", 1, Duration::from_secs(1))
            .len(),
        1
    );
    assert!(sink
        .wait_for_to("bob@example.com", 0, Duration::ZERO)
        .is_empty());
}
