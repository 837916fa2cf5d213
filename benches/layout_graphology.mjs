// graphology's ForceAtlas2 on the views benches/layout.rs wrote to target/bench-views/
// (the same nodes, links, weights and start positions), with the settings of
// knotenpunkt's `picture::layout`: graphology's inferred settings (gravity 0.05, strong
// gravity, slowDown 1 + ln n) with scalingRatio 60, Barnes-Hut from 2,048 nodes as the
// fa2 crate infers it (graphology's own inferSettings switches at > 2,000), edge weights
// on. Prints the median milliseconds per iteration over several runs of a fixed number
// of iterations. Run through benches/layout_graphology.sh, which installs the packages.
//
//   node layout_graphology.mjs <views dir> [iterations=50] [runs=5]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';

const [dir, iterationsArg, runsArg] = process.argv.slice(2);
const iterations = Number(iterationsArg ?? 50);
const runs = Number(runsArg ?? 5);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const files = readdirSync(dir)
  .filter((f) => /^\d+\.json$/.test(f))
  .sort((a, b) => parseInt(a) - parseInt(b));
console.log(`node ${process.version}, graphology-layout-forceatlas2, ${iterations} iterations, ${runs} runs (+1 warm-up)`);
console.log('view\tnodes\tedges\tbarnesHut\tms/iteration (median)\tmin\tmax\tms per call of 1 iteration');
for (const file of files) {
  const view = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const n = view.nodes;
  const graph = new Graph({ type: 'undirected', multi: true, allowSelfLoops: false });
  for (let i = 0; i < n; i++) {
    const [x, y] = view.positions[i];
    graph.addNode(String(i), { x, y });
  }
  for (const [a, b, w] of view.edges) graph.addEdge(String(a), String(b), { weight: w });
  const settings = {
    ...forceAtlas2.inferSettings(n),
    barnesHutOptimize: n >= 2048,
    scalingRatio: 60,
  };
  // Every call builds the byte arrays first and reads the positions back at the end;
  // calls of one iteration measure that overhead (with one iteration), subtracted below.
  const times = [];
  for (let r = 0; r <= runs; r++) {
    const started = performance.now();
    forceAtlas2(graph, { iterations, getEdgeWeight: 'weight', settings });
    const ms = performance.now() - started;
    if (r > 0) times.push(ms);
  }
  const once = [];
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    forceAtlas2(graph, { iterations: 1, getEdgeWeight: 'weight', settings });
    once.push(performance.now() - started);
  }
  // Per iteration: (t(iterations) − t(1)) / (iterations − 1), so that building the
  // arrays and reading the positions back do not count.
  const per = times.map((t) => (t - median(once)) / (iterations - 1));
  console.log(
    [file.replace('.json', ''), n, graph.size, settings.barnesHutOptimize,
     median(per).toFixed(2), Math.min(...per).toFixed(2), Math.max(...per).toFixed(2),
     median(once).toFixed(1)].join('\t'),
  );
}
