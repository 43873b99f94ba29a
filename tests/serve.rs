//! `kpisim serve` (docs/serve.md): the real binary on a free port
//! (`--port 0`, the printed address parsed), driven over plain HTTP/1.1
//! written by hand, and a real browser driving the page.
//!
//! What it pins: /api/scenario's keys, controls and cases; a run's answer
//! equal to `kpisim run --format json` of a file written with the same
//! case and multipliers (everything but the file's name and hash, which
//! are the server's), and of the same file exactly when nothing moves;
//! 400 with one line of `error` for every bad body, 413 past 64 KiB; the
//! token on any address but loopback; the Host check on loopback; 404 for
//! every other path; the CSP and no CORS header; the view (the report's
//! headline table and fan charts of the same run, byte for byte); an older run cancelled
//! with 409 by a newer; Ctrl-C ending the server within 5 s; and in
//! Debian's chromium (headless, over the DevTools pipe) the page's P(both)
//! following a slider and a stress toggle to the API's answers. Without
//! chromium the browser test says so and passes, unless
//! KPISIM_REQUIRE_BROWSER=1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::util::{Dir, root};

fn bigr() -> String {
    root()
        .join("scenarios/shandian-2016-bigr.toml")
        .to_string_lossy()
        .into_owned()
}

/// A running `kpisim serve`, killed when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// The token of the printed address, if it has one.
    token: Option<String>,
}

impl Server {
    /// Starts `kpisim serve SCENARIO --port 0 args...` and reads the
    /// address it prints.
    fn start(scenario: &str, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kpisim"))
            .args(["serve", scenario, "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start kpisim serve");
        let out = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            BufReader::new(out).read_line(&mut line).ok();
            tx.send(line).ok();
        });
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("serve printed no address within 60 s");
        let url = line.trim();
        let rest = url
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("not an address: {url:?}"));
        let (host, query) = rest.split_once('/').expect("a path");
        let port = host.rsplit(':').next().unwrap();
        let token = query
            .strip_prefix("?token=")
            .map(str::to_string)
            .filter(|t| !t.is_empty());
        Server {
            child,
            addr: format!("127.0.0.1:{port}"),
            token,
        }
    }

    fn get(&self, path: &str) -> Answer {
        request(&self.addr, "GET", path, &[], b"")
    }

    fn post(&self, body: &str) -> Answer {
        self.post_to("/api/run", body)
    }

    fn post_to(&self, path: &str, body: &str) -> Answer {
        request(
            &self.addr,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    /// Names lowercased.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts `status` and an `error` of one line; returns it.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        let v = self.json();
        let e = v["error"].as_str().expect("an error message").to_string();
        assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
        assert!(!e.is_empty() && !e.contains('\n'), "{e:?}");
        e
    }
}

/// One HTTP/1.1 request on a new connection, its answer read to the end.
fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    let has_host = headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host"));
    if has_host {
        head = head.replacen(&format!("Host: {addr}\r\n"), "", 1);
    }
    for (n, v) in headers {
        head += &format!("{n}: {v}\r\n");
    }
    head += "\r\n";
    // The server may answer before reading a body it refuses.
    s.write_all(head.as_bytes()).ok();
    s.write_all(body).ok();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no answer to {method} {path}: {raw:?}"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"))
    {
        body = unchunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn unchunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = b.windows(2).position(|w| w == b"\r\n").expect("chunk size");
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .expect("hex size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 4 + size..];
    }
}

/// `kpisim run FILE --format json` with `args`, parsed.
fn cli_run(dir: &Dir, file: &str, args: &[&str]) -> Value {
    let mut a = vec!["run", file, "--format", "json"];
    a.extend_from_slice(args);
    dir.run(&a).json()
}

fn without_origin(mut v: Value) -> Value {
    let o = v.as_object_mut().unwrap();
    o.remove("file");
    o.remove("scenario_sha256");
    v
}

#[test]
fn the_scenario_says_what_can_move() {
    let s = Server::start(&bigr(), &["-n", "20000", "--seed", "11"]);
    let a = s.get("/api/scenario");
    assert_eq!(a.status, 200, "{}", a.text());
    let v = a.json();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "scenario",
            "scenario_sha256",
            "trials",
            "seed",
            "controls",
            "cases"
        ]
    );
    assert_eq!(v["scenario"], "Shandian Live 2016, big-R split");
    assert_eq!(v["scenario_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        (v["trials"].as_u64(), v["seed"].as_u64()),
        (Some(20000), Some(11))
    );
    let controls = v["controls"].as_array().unwrap();
    let kind = |path: &str| {
        controls
            .iter()
            .find(|c| c["path"] == path)
            .unwrap_or_else(|| panic!("no control {path}: {controls:?}"))["kind"]
            .clone()
    };
    assert_eq!(kind("segments.big_r.retention"), "input");
    assert_eq!(kind("acquisition.cost_per_registration"), "input");
    for schedule in ["marketing.budget", "costs.staff", "costs.infra"] {
        assert_eq!(kind(schedule), "schedule");
    }
    for c in controls {
        assert_eq!(
            (c["min"].as_f64(), c["max"].as_f64()),
            (Some(0.5), Some(1.5))
        );
    }
    // Every case of the file, in file order.
    let file: toml::Table = std::fs::read_to_string(bigr()).unwrap().parse().unwrap();
    let names: Vec<Value> = file["stress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| json!(c["name"].as_str().unwrap()))
        .collect();
    assert_eq!(v["cases"].as_array().unwrap(), &names);
    assert_eq!(names[0], "big-R exodus");
}

#[test]
fn a_run_is_the_cli_run_of_a_file_holding_the_case_and_multipliers() {
    let dir = Dir::new();
    let file = bigr();
    let s = Server::start(&file, &["-n", "20000"]);
    // Nothing moved: the CLI's answer exactly, origin and all.
    let plain = s.post(r#"{"scale": {}, "case": null, "trials": null, "seed": null}"#);
    assert_eq!(plain.status, 200, "{}", plain.text());
    assert_eq!(plain.json(), cli_run(&dir, &file, &["-n", "20000"]));
    // The exodus case, big-R retention × 1.05 and the budget × 0.9, with
    // the request's own trials and seed.
    let moved = s.post(
        r#"{"scale": {"segments.big_r.retention": 1.05, "marketing.budget": 0.9},
            "case": "big-R exodus", "trials": 30000, "seed": 3}"#,
    );
    assert_eq!(moved.status, 200, "{}", moved.text());
    // The same scenario written out by hand, through TOML, not through
    // kpisim's overrides: the case's shock added, the multipliers folded
    // into the retention's profile and the budget's months.
    let mut t: toml::Table = std::fs::read_to_string(&file).unwrap().parse().unwrap();
    let num = |v: &toml::Value| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap();
    let big_r = t["segments"].as_array_mut().unwrap()[0]
        .as_table_mut()
        .unwrap();
    let retention = big_r["retention"].as_table_mut().unwrap();
    let profile: Vec<toml::Value> = retention["profile"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| toml::Value::Float(num(p) * 1.05))
        .collect();
    retention.insert("profile".into(), toml::Value::Array(profile));
    let budget: Vec<f64> = t["marketing"]["budget"]
        .as_array()
        .unwrap()
        .iter()
        .map(num)
        .collect();
    let mean = budget.iter().sum::<f64>() / budget.len() as f64;
    // A multiplied budget keeps the written one's mean as the reference
    // for diminishing returns (docs/scenario.md).
    t["acquisition"]
        .as_table_mut()
        .unwrap()
        .insert("reference_budget".into(), toml::Value::Float(mean));
    t["marketing"].as_table_mut().unwrap().insert(
        "budget".into(),
        toml::Value::Array(budget.iter().map(|b| toml::Value::Float(b * 0.9)).collect()),
    );
    let shock: toml::Value =
        toml::from_str::<toml::Table>(r#"s = { month = 4, segment = "big_r", loss = 0.33 }"#)
            .unwrap()["s"]
            .clone();
    t.insert("shocks".into(), toml::Value::Array(vec![shock]));
    let written = dir.create("moved.toml", &toml::to_string(&t).unwrap());
    let cli = cli_run(
        &dir,
        written.to_str().unwrap(),
        &["-n", "30000", "--seed", "3"],
    );
    let served = moved.json();
    assert_eq!(served["file"].as_str(), Some(file.as_str()));
    assert_eq!(without_origin(served), without_origin(cli));
}

/// The view of a run is the report's own headline table and fan charts of
/// that run, byte for byte, whether the run was just answered or not.
#[test]
fn the_view_is_the_report_s_headline_table_and_fan_charts() {
    let dir = Dir::new();
    let file = bigr();
    let s = Server::start(&file, &["-n", "20000"]);
    let view = s.post_to("/api/view", "{}");
    assert_eq!(view.status, 200, "{}", view.text());
    let v = view.json();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["plan", "fan-revenue", "fan-profit"]);
    dir.run(&["report", &file, "-n", "20000", "-o", "report.html"])
        .ok();
    let report = std::fs::read_to_string(dir.path("report.html")).unwrap();
    for key in keys {
        let piece = v[key].as_str().unwrap();
        assert!(
            !piece.is_empty() && report.contains(piece),
            "{key} is not the report's: {piece}"
        );
    }
    for fan in ["fan-revenue", "fan-profit"] {
        assert!(
            v[fan].as_str().unwrap().contains("<svg class=\"chart\""),
            "{fan}"
        );
    }
    // A moved run: its view shows the probabilities its run answered.
    let body = r#"{"scale": {"segments.big_r.retention": 0.8}, "case": "big-R exodus"}"#;
    let run = s.post(body).json();
    let plan = s.post_to("/api/view", body).json()["plan"]
        .as_str()
        .unwrap()
        .to_string();
    for metric in ["revenue", "profit"] {
        let p = run["probability"][metric].as_f64().unwrap();
        assert!(
            plan.contains(&format!("{:.1}%", 100.0 * p)),
            "{metric} {p}: {plan}"
        );
    }
    assert_ne!(plan, v["plan"].as_str().unwrap());
    // The view checks its body as a run does.
    assert!(
        s.post_to("/api/view", r#"{"case": "none"}"#)
            .error(400)
            .contains("none")
    );
}

#[test]
fn bad_requests_get_400_with_the_reason() {
    let s = Server::start(&bigr(), &["-n", "20000"]);
    for (body, says) in [
        ("{", "not a run request"),
        ("[]", "not a JSON object"),
        ("null", "not a JSON object"),
        (r#"{"scale": [1]}"#, "not a run request"),
        (r#"{"speed": 2}"#, "unknown field"),
        (r#"{"trials": -5}"#, "not a run request"),
        (r#"{"trials": 0}"#, "trials 0: must be from 1"),
        (
            r#"{"scale": {"segments.nobody.retention": 1.1}}"#,
            "no segment is named",
        ),
        (
            r#"{"scale": {"marketing.buget": 1.1}}"#,
            "is not a path kpisim knows",
        ),
        (r#"{"scale": {"marketing.budget": -1}}"#, "at least 0"),
        (
            r#"{"scale": {"marketing.budget": "x"}}"#,
            "a multiplier is a number",
        ),
        (r#"{"case": "no such case"}"#, "no such case"),
    ] {
        let e = s.post(body).error(400);
        assert!(e.contains(says), "{body}: {e}");
    }
    // Not JSON at all, as a form from another site would send it.
    let form = request(
        &s.addr,
        "POST",
        "/api/run",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"case=x",
    );
    form.error(400);
    let big = format!(r#"{{"case": "{}"}}"#, "x".repeat(65 * 1024));
    s.post(&big).error(413);
}

#[test]
fn every_other_path_is_404_and_headers_are_strict() {
    let s = Server::start(&bigr(), &["-n", "20000"]);
    for path in [
        "/etc/passwd",
        "/../Cargo.toml",
        "/Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/src/serve/app.js",
        "/api/nothing",
        "/index.html",
    ] {
        s.get(path).error(404);
    }
    let page = s.get("/");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains(r#"data-metric="both""#));
    // Scripts and styles come from files of the server, none inline.
    assert!(html.contains(r#"<script src="app.js""#));
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("style=") && !html.contains("<style"));
    assert!(!html.contains(" onclick=") && !html.contains(" onload="));
    for path in ["/", "/app.js", "/app.css", "/api/scenario", "/nothing"] {
        let a = s.get(path);
        let csp = a.header("content-security-policy").expect("a CSP");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("style-src 'self'"), "{csp}");
        for loose in ["unsafe-inline", "unsafe-eval", "*"] {
            assert!(!csp.contains(loose), "{csp}");
        }
        assert!(
            a.header("access-control-allow-origin").is_none(),
            "{path} allows other origins"
        );
    }
    let run = s.post("{}");
    assert!(run.header("access-control-allow-origin").is_none());
    // Without a token, only this machine's names reach it.
    let rebound = request(
        &s.addr,
        "GET",
        "/api/scenario",
        &[("Host", "evil.example")],
        b"",
    );
    rebound.error(403);
}

#[test]
fn any_other_address_needs_the_token() {
    let s = Server::start(&bigr(), &["-n", "20000", "--bind", "0.0.0.0"]);
    let token = s.token.clone().expect("a token in the printed address");
    assert!(token.len() >= 32, "{token}");
    s.get("/api/scenario").error(401);
    s.get("/").error(401);
    s.post("{}").error(401);
    let bad = request(
        &s.addr,
        "GET",
        "/api/scenario",
        &[("Authorization", "Bearer nope-nope-nope-nope")],
        b"",
    );
    bad.error(401);
    let bearer = format!("Bearer {token}");
    let ok = request(
        &s.addr,
        "GET",
        "/api/scenario",
        &[("Authorization", &bearer)],
        b"",
    );
    assert_eq!(ok.status, 200, "{}", ok.text());
    let page = s.get(&format!("/?token={token}"));
    assert_eq!(page.status, 200);
    let run = request(
        &s.addr,
        "POST",
        "/api/run",
        &[
            ("Authorization", &bearer),
            ("Content-Type", "application/json"),
        ],
        b"{}",
    );
    assert_eq!(run.status, 200, "{}", run.text());
    // A token of one's own.
    let own = Server::start(
        &bigr(),
        &[
            "-n",
            "20000",
            "--bind",
            "0.0.0.0",
            "--token",
            "a-token-of-our-own-1234",
        ],
    );
    assert_eq!(own.token.as_deref(), Some("a-token-of-our-own-1234"));
}

/// A run of 20,000,000 trials, far longer than any test waits, posted from
/// another thread.
fn long_run(s: &Server) -> std::thread::JoinHandle<Answer> {
    let addr = s.addr.clone();
    std::thread::spawn(move || {
        request(
            &addr,
            "POST",
            "/api/run",
            &[("Content-Type", "application/json")],
            br#"{"trials": 20000000}"#,
        )
    })
}

#[test]
fn a_newer_run_cancels_an_older_one() {
    let s = Server::start(&bigr(), &["-n", "20000"]);
    let older = long_run(&s);
    // Long enough for the older run to start; far shorter than it takes.
    std::thread::sleep(Duration::from_millis(700));
    let newer = s.post(r#"{"trials": 20000}"#);
    assert_eq!(newer.status, 200, "{}", newer.text());
    let e = older.join().unwrap().error(409);
    assert!(e.contains("cancelled"), "{e}");
}

#[test]
fn ctrl_c_stops_the_server_within_5_seconds() {
    let mut s = Server::start(&bigr(), &["-n", "20000"]);
    // A long run in progress must not hold it.
    long_run(&s);
    std::thread::sleep(Duration::from_millis(500));
    let pid = s.child.id() as i32;
    // SAFETY: kill(2) on our own child's pid has no memory effects.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let start = Instant::now();
    loop {
        if s.child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "still running 5 s after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A headless browser driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: commands in on fd 3, answers out on fd 4,
/// each message ending in a NUL byte), attached to its one page.
struct Browser {
    child: Child,
    to: std::fs::File,
    from: mpsc::Receiver<Value>,
    next: u64,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

impl Browser {
    fn open(browser: &str, dir: &Dir, url: &str) -> Browser {
        use std::os::fd::{FromRawFd, OwnedFd};
        use std::os::unix::process::CommandExt;
        let pipe = || {
            let mut fds = [0; 2];
            // SAFETY: pipe2 writes two descriptors into the array.
            assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
            // SAFETY: both are new descriptors that nothing else owns.
            unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) }
        };
        let (their_in, our_out) = pipe();
        let (our_in, their_out) = pipe();
        let (r, w) = (
            std::os::fd::AsRawFd::as_raw_fd(&their_in),
            std::os::fd::AsRawFd::as_raw_fd(&their_out),
        );
        let mut cmd = Command::new(browser);
        cmd.args(crate::util::HEADLESS)
            .args(["--remote-debugging-pipe", "--window-size=1100,1400"])
            .arg(format!("--user-data-dir={}", dir.path("profile").display()))
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only dup2 and fcntl, which are async-signal-safe, run
        // between fork and exec.
        unsafe {
            cmd.pre_exec(move || {
                for (from, to) in [(r, 3), (w, 4)] {
                    if from == to {
                        libc::fcntl(to, libc::F_SETFD, 0);
                    } else if libc::dup2(from, to) < 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("start the browser");
        drop((their_in, their_out));
        let (tx, rx) = mpsc::channel();
        let mut input = std::fs::File::from(our_in);
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 65536];
            while let Ok(n) = input.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                buf.extend_from_slice(&chunk[..n]);
                while let Some(end) = buf.iter().position(|b| *b == 0) {
                    let msg: Vec<u8> = buf.drain(..=end).collect();
                    if let Ok(v) = serde_json::from_slice::<Value>(&msg[..end])
                        && tx.send(v).is_err()
                    {
                        return;
                    }
                }
            }
        });
        let mut b = Browser {
            child,
            to: std::fs::File::from(our_out),
            from: rx,
            next: 0,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let target = loop {
            let targets = b.call("Target.getTargets", json!({}), None);
            if let Some(t) = targets["targetInfos"]
                .as_array()
                .and_then(|a| a.iter().find(|t| t["type"] == "page"))
            {
                break t["targetId"].as_str().unwrap().to_string();
            }
            assert!(Instant::now() < deadline, "the browser opened no page");
            std::thread::sleep(Duration::from_millis(100));
        };
        let attached = b.call(
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
            None,
        );
        b.session = attached["sessionId"]
            .as_str()
            .expect("a session")
            .to_string();
        b
    }

    /// Sends a command and waits for its answer's `result`.
    fn call(&mut self, method: &str, params: Value, session: Option<&str>) -> Value {
        self.next += 1;
        let mut msg = json!({ "id": self.next, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        let mut bytes = serde_json::to_vec(&msg).unwrap();
        bytes.push(0);
        self.to.write_all(&bytes).expect("write to the browser");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .from
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            if v["id"] == json!(self.next) {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expr: &str) -> Value {
        let session = self.session.clone();
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expr, "returnByValue": true }),
            Some(&session),
        );
        r["result"]["value"].clone()
    }

    /// Waits until the page shows the full run's headline table and its two
    /// fan charts, drawn by the server.
    fn wait_for_fans(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut last = Value::Null;
        while Instant::now() < deadline {
            last = self.eval(
                "JSON.stringify([document.querySelectorAll('#fans svg.chart').length, \
                 document.querySelectorAll('#plan table').length, document.getElementById('fans').dataset.state])",
            );
            if last.as_str() == Some(r#"[2,1,"full"]"#) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the fan charts never showed: last {last}");
    }

    /// Waits until the headline shows a full run whose P(both) is `p`, to
    /// one decimal of a percentage; returns what it shows.
    fn wait_for_both(&mut self, p: f64, before: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut last = Value::Null;
        while Instant::now() < deadline {
            last = self.eval(
                "JSON.stringify([document.querySelector('[data-metric=\"both\"]').textContent, \
                 document.getElementById('headline').dataset.state])",
            );
            let shown: Vec<String> =
                serde_json::from_str(last.as_str().unwrap_or("[]")).unwrap_or_default();
            if let [text, state] = shown.as_slice()
                && state == "full"
                && text != before
                && let Some(pct) = text.strip_suffix('%').and_then(|t| t.parse::<f64>().ok())
            {
                // JavaScript's toFixed and Rust's {:.1} may round an exact
                // tie apart; the value is the API's to half a tenth.
                if (pct - 100.0 * p).abs() <= 0.05 + 1e-9
                    && text.split('.').nth(1).map(str::len) == Some(2)
                {
                    return text.clone();
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("P(both) never showed {:.1}%: last {last}", 100.0 * p);
    }
}

/// The page in a real browser: a slider's change and a stress toggle each
/// end with the headline's P(both) at the API's answer for them. Without
/// chromium the test says so and passes, unless KPISIM_REQUIRE_BROWSER=1.
#[test]
fn the_page_follows_a_slider_and_a_toggle_in_a_real_browser() {
    let Some(browser) = crate::util::browser("the serve browser test") else {
        return;
    };
    let dir = Dir::new();
    // More than the page's preview (50,000), so that a preview comes first.
    let s = Server::start(&bigr(), &["-n", "100000"]);
    let both = |body: &str| {
        let a = s.post(body);
        assert_eq!(a.status, 200, "{}", a.text());
        a.json()["probability"]["both"].as_f64().unwrap()
    };
    // The API's answers first: a request of the test's own while the page
    // runs would cancel the page's.
    let plain = both("{}");
    let slider = both(r#"{"scale": {"segments.big_r.retention": 0.8}}"#);
    let toggled = both(r#"{"scale": {"segments.big_r.retention": 0.8}, "case": "big-R exodus"}"#);
    let mut b = Browser::open(&browser, &dir, &format!("http://{}/", s.addr));
    let start = b.wait_for_both(plain, "–");
    b.eval(
        "(() => { const i = document.querySelector('input[data-path=\"segments.big_r.retention\"]'); \
         i.value = '0.8'; i.dispatchEvent(new Event('input')); return true; })()",
    );
    let slid = b.wait_for_both(slider, &start);
    b.wait_for_fans();
    b.eval("document.querySelector('input[data-case=\"big-R exodus\"]').click()");
    b.wait_for_both(toggled, &slid);
    let toml = b.eval("document.getElementById('case-toml').textContent");
    let toml = toml.as_str().unwrap_or_default();
    assert!(
        toml.contains(r#"scale = { "segments.big_r.retention" = 0.8 }"#),
        "{toml}"
    );
}
