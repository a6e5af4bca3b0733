#!/usr/bin/env python3
"""The app's start beside a bare WebKitGTK window, measured the same way.

Each start runs under its own Xvfb display at 390x844 and is timed from the
process being spawned to a script in the page finding the first screen
(`#welcome`): for the app through its e2e port (src/e2e.rs), for the peer
(python3-gi, WebKit2 4.1: one window, one webview, the app's own stylesheet
and a welcome-sized page) by the same query once its load has finished.
Alternating, median of N. At the first screen it also reads the memory
of each: the proportional set size (PSS, so pages shared between processes
count once) of the process and everything it started (WebKit's web and
network processes). Usage: bench-start.py APP_BINARY [RUNS]
"""
import json, os, socket, statistics, subprocess, sys, tempfile, time

PEER = r'''
import sys, gi
gi.require_version("Gtk", "3.0"); gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2
css = open(sys.argv[1]).read()
html = "<!doctype html><html><head><style>" + css + "</style></head><body><div class='shell'>" \
  "<main id='welcome' class='screen'><h1>M-Paspor</h1><p>Ajukan paspor dari ponsel Anda.</p>" \
  "<button class='primary'>Masuk</button><button class='secondary'>Buat akun</button></main></div></body></html>"
win = Gtk.Window(title="peer"); win.set_default_size(390, 844)
view = WebKit2.WebView(); win.add(view)
def asked(v, result):
    v.run_javascript_finish(result); print("ready", flush=True)
def changed(v, event):
    if event == WebKit2.LoadEvent.FINISHED:
        v.run_javascript("document.querySelector('#welcome') !== null", None, asked)
view.connect("load-changed", changed)
view.load_html(html, "file:///")
win.show_all(); Gtk.main()
'''

def tree_pss_kib(root):
    """PSS of `root` and its descendants, in KiB (from /proc/*/smaps_rollup)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total

def xvfb(n):
    p = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "390x844x24", "-nolisten", "tcp"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not os.path.exists(f"/tmp/.X11-unix/X{n}"):
        time.sleep(0.01)
    return p

ENV = dict(os.environ, WEBKIT_DISABLE_COMPOSITING_MODE="1", WEBKIT_DISABLE_DMABUF_RENDERER="1")

def app_start(binary, data, display):
    port_file = data + ".port"
    if os.path.exists(port_file):
        os.remove(port_file)
    env = dict(ENV, DISPLAY=display, MPASPOR_E2E_PORT_FILE=port_file)
    t0 = time.monotonic()
    app = subprocess.Popen([binary, "--data-dir", data], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not (os.path.exists(port_file) and open(port_file).read().strip()):
        time.sleep(0.002)
    s = socket.create_connection(("127.0.0.1", int(open(port_file).read())))
    f = s.makefile("rw")
    while True:
        f.write(json.dumps("return document.querySelector('#welcome') !== null") + "\n"); f.flush()
        if json.loads(f.readline()).get("ok") is True:
            break
        time.sleep(0.002)
    took = time.monotonic() - t0
    memory = tree_pss_kib(app.pid)
    s.close(); app.kill(); app.wait()
    return took, memory

def peer_start(script, css, display):
    t0 = time.monotonic()
    # Debian's own Python, which has python3-gi (a pyenv one may not).
    p = subprocess.Popen(["/usr/bin/python3", script, css], env=dict(ENV, DISPLAY=display),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert p.stdout.readline().strip() == "ready"
    took = time.monotonic() - t0
    memory = tree_pss_kib(p.pid)
    p.kill(); p.wait()
    return took, memory

def main():
    binary, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 7
    here = os.path.dirname(os.path.abspath(__file__))
    css = os.path.join(here, "..", "assets", "main.css")
    work = tempfile.mkdtemp()
    script = os.path.join(work, "peer.py"); open(script, "w").write(PEER)
    data = os.path.join(work, "data")
    n = 180 + os.getpid() % 200
    x = xvfb(n)
    try:
        # The first start makes the data folder and seeds the bundled mock: not timed.
        app_start(binary, data, f":{n}")
        ours, theirs, ours_mem, theirs_mem = [], [], [], []
        for _ in range(runs):
            took, memory = app_start(binary, data, f":{n}")
            ours.append(took); ours_mem.append(memory)
            took, memory = peer_start(script, css, f":{n}")
            theirs.append(took); theirs_mem.append(memory)
        a, b = statistics.median(ours), statistics.median(theirs)
        print(f"{runs} starts each, alternating; median to the first screen found in the page")
        print(f"app (release, bundled mock)   {a * 1000:8.0f} ms   (min {min(ours) * 1000:.0f}, max {max(ours) * 1000:.0f})")
        print(f"bare WebKitGTK window         {b * 1000:8.0f} ms   (min {min(theirs) * 1000:.0f}, max {max(theirs) * 1000:.0f})")
        print(f"ratio                         {a / b:8.2f}")
        am, bm = statistics.median(ours_mem) / 1024, statistics.median(theirs_mem) / 1024
        print(f"memory at the first screen (PSS of the process and its children), median:")
        print(f"app                           {am:8.1f} MiB")
        print(f"bare WebKitGTK window         {bm:8.1f} MiB")
        print(f"ratio                         {am / bm:8.2f}")
    finally:
        x.kill()

main()
