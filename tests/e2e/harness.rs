//! What a journey needs: an X server of its own at 390x844, the mock server
//! on 127.0.0.1:0, and the real app binary pointed at it with a fresh data
//! folder. A person's hands are `xdotool` (real pointer and key events
//! through the X server); their eyes are the app's webview, asked through
//! the e2e port (`src/e2e.rs`) where things are and what the screen says,
//! and `import` for the screenshots.

use mpaspor_domain::api::Citizen;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long a person waits for something to appear before calling it broken.
const PATIENCE: Duration = Duration::from_secs(25);

/// One journey at a time: two cores do not run two WebKit windows well.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

pub fn one_at_a_time() -> MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

/// An Xvfb server of its own, with a private D-Bus session and a real
/// notification server on it (Debian's dunst), which writes each
/// notification it shows to `notifications` (its summary, a tab, its body).
pub struct Screen {
    pub display: String,
    xvfb: Child,
    pub bus: String,
    pub notifications: PathBuf,
    daemons: Vec<Child>,
    _dir: tempfile::TempDir,
}

impl Screen {
    pub fn start() -> Screen {
        // The apps this test starts share one keystore session of their own
        // (the kernel's keyutils here), so a restarted app finds its keys.
        static KEYRING: std::sync::Once = std::sync::Once::new();
        KEYRING.call_once(mpaspor_core::secrets::platform::join_own_session_keyring);
        let base = 200 + std::process::id() % 400;
        for n in base..base + 50 {
            if Path::new(&format!("/tmp/.X11-unix/X{n}")).exists() {
                continue;
            }
            let xvfb = Command::new("Xvfb")
                .args([
                    &format!(":{n}"),
                    "-screen",
                    "0",
                    "390x844x24",
                    "-nolisten",
                    "tcp",
                ])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("Xvfb is installed (scripts/setup)");
            let socket = format!("/tmp/.X11-unix/X{n}");
            let start = Instant::now();
            while !Path::new(&socket).exists() && start.elapsed() < Duration::from_secs(10) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let display = format!(":{n}");
            let dir = tempfile::tempdir().unwrap();
            let (bus, daemons, notifications) = notification_server(&display, dir.path());
            return Screen {
                display,
                xvfb,
                bus,
                notifications,
                daemons,
                _dir: dir,
            };
        }
        panic!("no free X display number");
    }
}

/// A D-Bus session bus of its own and dunst on it and on `display`; dunst
/// runs a script for every notification it shows, which appends it to a
/// file: the address, the two processes, the file.
fn notification_server(display: &str, dir: &Path) -> (String, Vec<Child>, PathBuf) {
    let mut bus = Command::new("dbus-daemon")
        .args(["--session", "--nofork", "--nopidfile", "--print-address=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon is installed (scripts/setup: dbus)");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    let address = address.trim().to_owned();
    assert!(!address.is_empty(), "dbus-daemon printed its address");
    let shown = dir.join("shown.txt");
    let script = dir.join("shown.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n# dunst: appname summary body icon urgency\nprintf '%s\\t%s\\n' \"$2\" \"$3\" >> '{}'\n",
            shown.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let config = dir.join("dunstrc");
    std::fs::write(
        &config,
        format!(
            "[global]\n    font = Sans 9\n    timeout = 0\n\n[log]\n    appname = \"*\"\n    script = {}\n",
            script.display()
        ),
    )
    .unwrap();
    let dunst = Command::new("dunst")
        .arg("-config")
        .arg(&config)
        .env("DISPLAY", display)
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("dunst is installed (scripts/setup)");
    // dunst owns the notification name once it is ready.
    let start = Instant::now();
    loop {
        let owned = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.Notifications",
            ])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("true"))
            .unwrap_or(false);
        if owned {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "dunst did not take the notification name"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    (address, vec![bus, dunst], shown)
}

impl Drop for Screen {
    fn drop(&mut self) {
        for child in self.daemons.iter_mut().chain([&mut self.xvfb]) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The mock government API, in this process, and its tester routes.
pub struct Mock {
    pub rt: tokio::runtime::Runtime,
    running: mpaspor_mock::RunningMock,
    http: reqwest::Client,
}

impl Mock {
    pub fn start() -> Mock {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let running = rt
            .block_on(mpaspor_mock::start(
                Default::default(),
                "127.0.0.1:0".parse().unwrap(),
            ))
            .unwrap();
        let http = tester_client(running.tester_token().unwrap());
        Mock { rt, running, http }
    }

    pub fn url(&self) -> String {
        self.running.url()
    }

    /// The tester token, for the console's and the desk's addresses.
    pub fn tester_token(&self) -> String {
        self.running.tester_token().unwrap().to_owned()
    }

    pub fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url());
        let http = self.http.clone();
        self.rt.block_on(async move {
            let mut req = http.request(method, url);
            if let Some(b) = body {
                req = req.json(&b);
            }
            let answer = req.send().await.unwrap();
            let status = answer.status();
            let body: Value = answer.json().await.unwrap_or(Value::Null);
            assert!(status.is_success(), "{path}: {status} {body}");
            body
        })
    }

    pub fn post(&self, path: &str, body: Value) -> Value {
        self.call(reqwest::Method::POST, path, Some(body))
    }

    pub fn get(&self, path: &str) -> Value {
        self.call(reqwest::Method::GET, path, None)
    }

    pub fn add_citizen(&self, c: &Citizen) {
        self.post("/tester/citizens", serde_json::to_value(c).unwrap());
    }

    /// The OTP in the newest email to `email`, as the person reads it in their inbox.
    pub fn otp(&self, email: &str) -> String {
        let start = Instant::now();
        loop {
            let page = self.get(&format!("/tester/outbox?email={email}"));
            if let Some(otp) = page["items"][0]["otp"].as_str() {
                return otp.to_owned();
            }
            assert!(start.elapsed() < PATIENCE, "no OTP was sent to {email}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Pays a billing code at the mock bank; answers the NTPN.
    pub fn pay(&self, billing_code: &str, notify: bool) -> String {
        let paid = self.post(
            "/tester/payments",
            json!({"billing_code": billing_code, "notify": notify}),
        );
        paid["ntpn"].as_str().unwrap().to_owned()
    }

    pub fn advance_clock(&self, seconds: i64) {
        self.post("/tester/clock", json!({"advance_seconds": seconds}));
    }

    /// Every API route unreachable (the connection dropped), or reachable again.
    pub fn network(&self, up: bool) {
        if up {
            self.call(reqwest::Method::DELETE, "/tester/faults", None);
        } else {
            self.post(
                "/tester/faults",
                json!({"route": "/v1/**", "drop_connection": true}),
            );
        }
    }
}

/// A client that sends the mock's tester token with every request.
pub fn tester_client(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-tester-token", token.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// A photo of a document: a light card with dark text-like strokes, sharp
/// enough for the quality checks.
pub fn document_photo(seed: u32) -> image::RgbImage {
    image::RgbImage::from_fn(1600, 1000, |x, y| {
        let text =
            (y / 20).is_multiple_of(3) && !(x / 7 + seed).is_multiple_of(4) && x > 100 && x < 1300;
        if text {
            image::Rgb([30, 30, 40])
        } else {
            image::Rgb([228, 232, 240])
        }
    })
}

/// The picker folder's photos of the three documents an adult needs.
pub fn write_document_photos(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for (seed, kind) in ["ektp", "family_card", "birth_certificate"]
        .into_iter()
        .enumerate()
    {
        document_photo(seed as u32)
            .save(dir.join(format!("{kind}.jpg")))
            .unwrap();
    }
}

/// The app, running, and the person holding it.
pub struct Phone {
    pub journey: String,
    app: Option<Child>,
    port: Option<BufReader<TcpStream>>,
    display: String,
    bus: String,
    notifications: PathBuf,
    /// `None`: no address given, so the app starts its bundled mock (the run command's way).
    api: Option<String>,
    pub data_dir: PathBuf,
    pub pick_dir: PathBuf,
    shots: PathBuf,
    taken: usize,
    /// Each screenshot's name and the text the screen said then.
    seen: Vec<(String, String)>,
}

/// Where a journey's screenshots go: `target/e2e-screenshots/<journey>/`.
pub fn shots_dir(journey: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/e2e-screenshots")
        .join(journey)
}

impl Phone {
    /// Starts the app on `screen`, against `api` (or its bundled mock), with
    /// an empty data folder.
    pub fn start(journey: &str, screen: &Screen, api: Option<&str>, scratch: &Path) -> Phone {
        let shots = shots_dir(journey);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        let mut phone = Phone {
            journey: journey.into(),
            app: None,
            port: None,
            display: screen.display.clone(),
            bus: screen.bus.clone(),
            notifications: screen.notifications.clone(),
            api: api.map(str::to_owned),
            data_dir: scratch.join("data"),
            pick_dir: scratch.join("pick"),
            shots,
            taken: 0,
            seen: Vec::new(),
        };
        write_document_photos(&phone.pick_dir);
        phone.launch();
        phone
    }

    /// The memory the app holds now: the proportional set size (PSS: pages
    /// shared between processes count once) of its process and every
    /// process it started (WebKit's web and network processes), in KiB.
    pub fn memory_kib(&self) -> u64 {
        let root = self.app.as_ref().expect("the app is running").id();
        let mut children: std::collections::HashMap<u32, Vec<u32>> = Default::default();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            let parent = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(parent) = parent {
                children.entry(parent).or_default().push(pid);
            }
        }
        let (mut total, mut todo) = (0, vec![root]);
        while let Some(pid) = todo.pop() {
            todo.extend(children.get(&pid).into_iter().flatten());
            let rollup =
                std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
            total += rollup
                .lines()
                .find_map(|l| l.strip_prefix("Pss:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
                .unwrap_or(0);
        }
        total
    }

    /// Writes what [`Phone::memory_kib`] says into the journey's screenshot
    /// folder (`memory.txt`), for docs/benchmarks.md.
    pub fn note_memory(&self, when: &str) {
        let kib = self.memory_kib();
        assert!(
            kib > 10_000,
            "the app and its webview hold some memory: {kib} KiB"
        );
        let line = format!(
            "{when}: {:.1} MiB PSS (the app and its WebKit processes)\n",
            kib as f64 / 1024.0
        );
        eprint!("{}: {line}", self.journey);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.shots.join("memory.txt"))
            .unwrap();
        std::io::Write::write_all(&mut file, line.as_bytes()).unwrap();
    }

    /// The app's home folder, beside its data folder.
    pub fn home_dir(&self) -> PathBuf {
        self.data_dir.with_file_name("home")
    }

    /// Every file the app (and its webview) wrote: its data folder, its
    /// home, its log; not the pictures it was given to pick.
    pub fn files_at_rest(&self) -> Vec<PathBuf> {
        let since = std::time::SystemTime::UNIX_EPOCH;
        let mut files = vec![self.data_dir.with_extension("log")];
        crate::scan::files_under(&self.data_dir, since, &mut files, 6);
        crate::scan::files_under(&self.home_dir(), since, &mut files, 8);
        files
    }

    /// Starts the app binary (again, after [`Phone::kill`]) on the same data folder.
    pub fn launch(&mut self) {
        let port_file = self.data_dir.with_extension("port");
        let _ = std::fs::remove_file(&port_file);
        let log = std::fs::File::create(self.data_dir.with_extension("log")).unwrap();
        let mut command = Command::new(env!("CARGO_BIN_EXE_mpaspor"));
        if let Some(api) = &self.api {
            command.args(["--api", api]);
        }
        // Its own home, so whatever the webview keeps (caches, storage) is
        // in the scratch folder for the scan at rest.
        let home = self.home_dir();
        let app = command
            .arg("--data-dir")
            .arg(&self.data_dir)
            .env_remove("MPASPOR_API")
            .env("HOME", &home)
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_STATE_HOME", home.join(".local/state"))
            .env("DISPLAY", &self.display)
            .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("MPASPOR_PICK_DIR", &self.pick_dir)
            // Notifications go to the screen's own dunst.
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .env("MPASPOR_E2E_PORT_FILE", &port_file)
            .env(
                "RUST_LOG",
                std::env::var("MPASPOR_E2E_LOG").unwrap_or_else(|_| "info".into()),
            )
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("the app binary was built for this test");
        self.app = Some(app);
        let start = Instant::now();
        let port: u16 = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file)
                && let Ok(port) = text.trim().parse()
            {
                break port;
            }
            self.assert_running();
            assert!(
                start.elapsed() < PATIENCE,
                "the app did not open its e2e port"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        self.port = Some(BufReader::new(stream));
        // The window is up once the webview answers and the first screen is drawn.
        self.wait_for("main.screen");
    }

    fn assert_running(&mut self) {
        if let Some(app) = &mut self.app
            && let Ok(Some(status)) = app.try_wait()
        {
            let log =
                std::fs::read_to_string(self.data_dir.with_extension("log")).unwrap_or_default();
            panic!("the app exited ({status}):\n{log}");
        }
    }

    /// The system notifications the app has shown, one `title<TAB>body` a line.
    pub fn notifications(&self) -> String {
        std::fs::read_to_string(&self.notifications).unwrap_or_default()
    }

    /// Swipes away the notifications on screen (they are drawn over the
    /// app's window and would take a tap meant for it); the record of what
    /// was shown stays.
    pub fn clear_notifications(&self) {
        let _ = Command::new("dunstctl")
            .arg("close-all")
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// Taps the notification on top of the screen (its default action).
    pub fn tap_notification(&self) {
        let done = Command::new("dunstctl")
            .args(["action", "0"])
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .status()
            .expect("dunstctl is installed with dunst");
        assert!(done.success(), "dunstctl action");
    }

    /// Waits until a notification whose line holds `text` was shown.
    pub fn wait_notification(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let shown = self.notifications();
            if let Some(line) = shown.lines().find(|l| l.contains(text)) {
                return line.to_owned();
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no notification with {text:?}; shown: {shown:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The screens shot so far: their names and what they said.
    pub fn seen(&self) -> &[(String, String)] {
        &self.seen
    }

    /// Kills the app as the system would (SIGKILL): no chance to save anything.
    pub fn kill(&mut self) {
        self.port = None;
        if let Some(mut app) = self.app.take() {
            let _ = app.kill();
            let _ = app.wait();
        }
    }

    /// Runs the body of a JavaScript function in the webview; answers what it returns.
    ///
    /// Dioxus can answer an eval with `EvalError::Finished` while the page
    /// is being redrawn (seen once in about twenty journeys); the scripts
    /// the journeys send are safe to run again, so that one is retried.
    pub fn js(&mut self, body: &str) -> Value {
        let mut tries = 0;
        loop {
            match self.try_js(body) {
                Ok(value) => return value,
                Err(e) if e.contains("EvalError::Finished") && tries < 3 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(e) => panic!("script {body:?} failed: {e}"),
            }
        }
    }

    /// [`Phone::js`], with the script's failure as an error (a screen being
    /// replaced can fail a query once).
    fn try_js(&mut self, body: &str) -> Result<Value, String> {
        let port = self.port.as_mut().expect("the app is running");
        let mut line = serde_json::to_string(body).unwrap();
        line.push('\n');
        port.get_mut().write_all(line.as_bytes()).unwrap();
        let mut answer = String::new();
        port.read_line(&mut answer).unwrap();
        let answer: Value = serde_json::from_str(&answer).unwrap_or_else(|e| {
            panic!("the app's answer to {body:?} is not JSON ({e}): {answer:?}")
        });
        match answer.get("ok") {
            Some(v) => Ok(v.clone()),
            None => Err(answer["error"].to_string()),
        }
    }

    /// Polls `check` (a script answering true when ready) until it holds.
    fn wait_until(&mut self, what: &str, check: &str) {
        let start = Instant::now();
        loop {
            if self.try_js(check) == Ok(Value::Bool(true)) {
                return;
            }
            self.assert_running();
            if start.elapsed() > PATIENCE {
                let text = self.text();
                self.shot(&format!(
                    "timeout-{}",
                    what.replace(|c: char| !c.is_alphanumeric(), "_")
                ));
                panic!(
                    "{}: waited in vain for {what}; the screen says:\n{text}",
                    self.journey
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for an element matching `css`.
    pub fn wait_for(&mut self, css: &str) {
        let check = format!("return document.querySelector({}) !== null", js_str(css));
        self.wait_until(css, &check);
    }

    /// Waits until the screen shows `text`.
    pub fn wait_text(&mut self, text: &str) {
        let check = format!(
            "const s = document.querySelector('.shell'); return (s || document.body).innerText.includes({})",
            js_str(text)
        );
        self.wait_until(text, &check);
    }

    /// Whether an element matching `css` is on the screen now.
    pub fn has(&mut self, css: &str) -> bool {
        self.js(&format!(
            "return document.querySelector({}) !== null",
            js_str(css)
        )) == Value::Bool(true)
    }

    /// What the screen says (the text a person reads).
    pub fn text(&mut self) -> String {
        // The app's own screen (not the hidden dev-tools overlay beside it).
        self.js("const s = document.querySelector('.shell'); return (s || document.body).innerText")
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// What a text field holds.
    pub fn value_of(&mut self, css: &str) -> String {
        self.wait_for(css);
        self.js(&format!(
            "return document.querySelector({}).value",
            js_str(css)
        ))
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Waits until nothing matches `css` any more.
    pub fn wait_gone(&mut self, css: &str) {
        let check = format!("return document.querySelector({}) === null", js_str(css));
        self.wait_until(&format!("{css} gone"), &check);
    }

    /// The text of one element.
    pub fn text_of(&mut self, css: &str) -> String {
        self.wait_for(css);
        self.js(&format!(
            "return document.querySelector({}).innerText",
            js_str(css)
        ))
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Scrolls `css` into the middle of the screen and taps it with the pointer,
    /// once it is enabled. The point is checked to be on the element right
    /// before the tap (a banner appearing can move things under a finger).
    pub fn tap(&mut self, css: &str) {
        self.wait_for(css);
        self.clear_notifications();
        let enabled = format!(
            "const e = document.querySelector({}); return !e.disabled && !e.closest('[disabled]')",
            js_str(css)
        );
        self.wait_until(&format!("{css} enabled"), &enabled);
        let aim = format!(
            "const e = document.querySelector({}); e.scrollIntoView({{block: 'center'}}); \
             const r = e.getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2; \
             const hit = document.elementFromPoint(x, y); \
             return [x, y, hit !== null && (e.contains(hit) || hit.contains(e) || (e.id !== '' && hit.closest('label[for=\"' + e.id + '\"]') !== null))]",
            js_str(css)
        );
        for _ in 0..20 {
            let at = self.js(&aim);
            if at[2] == Value::Bool(true) {
                let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
                self.xdotool(&[
                    "mousemove",
                    "--sync",
                    &format!("{}", x as i64),
                    &format!("{}", y as i64),
                ]);
                self.xdotool(&["click", "1"]);
                std::thread::sleep(Duration::from_millis(250));
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.shot("covered");
        panic!("{}: {css} stays covered by something else", self.journey);
    }

    /// Taps a text field, clears it, and types `text` key by key.
    pub fn type_in(&mut self, css: &str, text: &str) {
        let focused = format!(
            "return document.activeElement === document.querySelector({})",
            js_str(css)
        );
        for _ in 0..5 {
            self.tap(css);
            if self.js(&focused) == Value::Bool(true) {
                self.xdotool(&["key", "ctrl+a", "BackSpace"]);
                self.xdotool(&["type", "--delay", "12", text]);
                std::thread::sleep(Duration::from_millis(250));
                let typed = self.value_of(css);
                assert_eq!(typed, text, "{}: typed into {css}", self.journey);
                return;
            }
        }
        panic!("{}: {css} does not take the focus", self.journey);
    }

    /// Presses a key (xdotool's names: `Escape`, `Return`, `alt+Left`).
    pub fn press(&mut self, key: &str) {
        self.xdotool(&["key", key]);
        std::thread::sleep(Duration::from_millis(300));
    }

    /// What the X clipboard holds (as a bank app would paste it).
    pub fn clipboard(&self) -> String {
        let out = Command::new("xclip")
            .args(["-selection", "clipboard", "-o"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xclip is installed (scripts/setup)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn xdotool(&self, args: &[&str]) {
        let ok = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .status()
            .expect("xdotool is installed (scripts/setup)")
            .success();
        assert!(ok, "xdotool {args:?} failed");
    }

    /// A screenshot of the whole 390x844 screen, numbered in journey order.
    pub fn shot(&mut self, name: &str) -> PathBuf {
        // Let the last change paint first.
        std::thread::sleep(Duration::from_millis(300));
        self.taken += 1;
        let text = self.text();
        self.seen.push((name.to_owned(), text));
        let path = self.shots.join(format!("{:02}-{name}.png", self.taken));
        let ok = Command::new("import")
            .args(["-window", "root"])
            .arg(&path)
            .env("DISPLAY", &self.display)
            .status()
            .expect("imagemagick is installed (scripts/setup)")
            .success();
        assert!(ok, "the screenshot {name} failed");
        path
    }
}

impl Drop for Phone {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A string as a JavaScript literal.
pub fn js_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}
