// Page to first picture in headless Chromium (run by benches/first_picture.sh): starts
// the release server on a generated database, opens /network?<query> through WebDriver
// (chromedriver, plain HTTP; no npm package) and reads the `network-drawn` performance
// mark that the page's script sets after its first full picture (SVG and canvas alike):
// milliseconds from navigation start. "Cold" is the first load after the server started
// and finished preparing its opening views (the view asked is not laid out yet: the page
// request lays it out); "warm" are the reloads after it (the picture is kept with the
// snapshot). Each cold run starts a new server.
//   node first_picture.mjs BIN DATABASE QUERY RUNS WARM
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [bin, database, query, runsArg, warmArg] = process.argv.slice(2);
const runs = Number(runsArg || 5);
const warmLoads = Number(warmArg || 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = [];
const scratch = mkdtempSync(join(tmpdir(), "kp-first-picture-"));
function cleanUp() {
  for (const c of children) { if (c.exitCode === null) { c.kill("SIGTERM"); } }
  rmSync(scratch, { recursive: true, force: true });
}
process.on("exit", cleanUp);
process.on("SIGINT", () => process.exit(130));

function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function until(what, check, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    try { const v = await check(); if (v) { return v; } } catch (e) { /* not yet */ }
    if (Date.now() > deadline) { throw new Error("timed out waiting for " + what); }
    await sleep(100);
  }
}

// WebDriver over HTTP.
let driver = "";
async function wd(method, path, body) {
  const r = await fetch(driver + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) { throw new Error(method + " " + path + ": " + JSON.stringify(j.value)); }
  return j.value;
}

async function startServer() {
  const port = await freePort();
  const started = Date.now();
  const server = spawn(bin, [], {
    env: {
      ...process.env,
      DATABASE_URL: database,
      ROCKET_PORT: String(port),
      ROCKET_ADDRESS: "127.0.0.1",
      ROCKET_SEED_ON_EMPTY: "false",
      ROCKET_DATA_DIR: scratch,
      ROCKET_LOG_LEVEL: "critical",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(server);
  const base = `http://127.0.0.1:${port}`;
  await until("the server", async () => (await fetch(base + "/static/style.css")).ok, 600);
  const startup = Date.now() - started;
  // On start the server lays out the network page's opening views ahead (the whole
  // country at scale 1, for visitors and for signed-in users): wait until it is idle, so
  // that a cold load measures its own view and not the preparation beside it.
  await until("the server to be idle", async () => {
    const before = cpuTicks(server.pid);
    await sleep(1000);
    return cpuTicks(server.pid) - before <= 3;
  }, 900);
  return { server, base, startup, idle: Date.now() - started };
}

// User and system CPU time of a process, in clock ticks (1/100 s).
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.exitCode !== null) { resolve(); return; }
    server.once("exit", resolve);
    server.kill("SIGTERM");
  });
}

// One load of the page: from navigation start to the mark, and where the time went.
async function load(sid, url) {
  await wd("POST", `/session/${sid}/url`, { url: "about:blank" });
  await wd("POST", `/session/${sid}/url`, { url });
  const script = `
    const drawn = performance.getEntriesByName("network-drawn")[0];
    if (!drawn) { return null; }
    const nav = performance.getEntriesByType("navigation")[0];
    const json = performance.getEntriesByType("resource").find(e => e.name.includes("/network.json"));
    const k = document.getElementById("network-canvas");
    const mark = (name) => { const e = performance.getEntriesByName(name)[0]; return e ? e.startTime : null; };
    return {
      drawn: drawn.startTime,
      html: nav.responseEnd,
      htmlBytes: nav.decodedBodySize,
      domReady: nav.domContentLoadedEventEnd,
      jsonStart: json ? json.startTime : null,
      jsonEnd: json ? json.responseEnd : null,
      jsonBytes: json ? json.decodedBodySize : null,
      parsed: mark("network-json"),
      loaded: mark("network-loaded"),
      frameMs: window.knotenpunktNetwork ? window.knotenpunktNetwork.lastFrameMs() : null,
      canvas: !!k,
      nodes: document.querySelectorAll("#network-nodes tr").length - 1,
    };`;
  return until("the network-drawn mark", () => wd("POST", `/session/${sid}/execute/sync`, { script, args: [] }), 600);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (x) => (x == null ? "-" : Math.round(x).toString());

const driverPort = await freePort();
const chromedriver = spawn("/usr/bin/chromedriver", [`--port=${driverPort}`], { stdio: "ignore" });
children.push(chromedriver);
driver = `http://127.0.0.1:${driverPort}`;
await until("chromedriver", async () => (await wd("GET", "/status")).ready, 30);
const session = await wd("POST", "/session", {
  capabilities: {
    alwaysMatch: {
      browserName: "chrome",
      "goog:chromeOptions": {
        binary: "/usr/bin/chromium",
        args: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--window-size=1200,900", `--user-data-dir=${join(scratch, "chrome")}`],
      },
    },
  },
});
const sid = session.sessionId;
await wd("POST", `/session/${sid}/timeouts`, { pageLoad: 600000, script: 600000 });
const version = (await wd("GET", "/status")).build || {};

const cold = [], warm = [];
console.log(`query: ${query}; ${runs} cold runs (a new server each), ${warmLoads} warm loads after each`);
console.log("times in ms from navigation start: html = page received, json = its download (start, end),");
console.log("parsed = JSON parsed, loaded = arrays built; frame = the first full frame's drawing time");
console.log("startup = ms until the server answers / until it is idle after preparing its opening views");
console.log("run  kind  startup  drawn  html  dom_ready  json_start  json_end  parsed  loaded  frame  nodes  canvas  html_kB  json_kB");
for (let run = 1; run <= runs; run++) {
  const { server, base, startup, idle } = await startServer();
  const url = `${base}/network?${query}`;
  for (let i = 0; i <= warmLoads; i++) {
    const r = await load(sid, url);
    (i === 0 ? cold : warm).push(r.drawn);
    console.log([run, i === 0 ? "cold" : "warm", i === 0 ? startup + "/" + idle : "-", ms(r.drawn), ms(r.html), ms(r.domReady), ms(r.jsonStart), ms(r.jsonEnd),
      ms(r.parsed), ms(r.loaded), ms(r.frameMs), r.nodes, r.canvas, Math.round(r.htmlBytes / 1024), r.jsonBytes == null ? "-" : Math.round(r.jsonBytes / 1024)].join("  "));
  }
  if (process.env.KP_BENCH_SHOT && run === runs) {
    // A look at the last picture (base64 PNG of the window).
    await wd("POST", `/session/${sid}/execute/sync`, {
      script: "const f = document.getElementById('network-frame'); if (f) { f.scrollIntoView({ block: 'center' }); } return true;",
      args: [],
    });
    await sleep(300);
    const png = await wd("GET", `/session/${sid}/screenshot`);
    (await import("node:fs")).writeFileSync(process.env.KP_BENCH_SHOT, Buffer.from(png, "base64"));
  }
  await stopServer(server);
}
await wd("DELETE", `/session/${sid}`);
console.log(`chromedriver ${version.version || "?"}`);
console.log(`page to first picture, median: cold ${ms(median(cold))} ms (n=${cold.length}, ${ms(Math.min(...cold))}–${ms(Math.max(...cold))}), ` +
  `warm ${ms(median(warm))} ms (n=${warm.length}, ${ms(Math.min(...warm))}–${ms(Math.max(...warm))})`);
process.exit(0);
