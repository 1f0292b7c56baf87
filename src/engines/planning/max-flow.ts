/**
 * Maximum flow (Dinic) from demand points to schools and sites: the pupils that can be seated. With every
 * facility at its largest seats, the demand points the source still reaches in the residual graph form the
 * groups whose pupils exceed every seat they can reach (Hall's condition), exactly what is short when
 * splitting is allowed and a necessary condition when it is not. The heuristic uses it as capacity repair.
 */
import type { Network } from './network.ts';

export interface ShortGroup {
  demand: number[];
  facilities: number[];
  pupils: number;
  seats: number;
}

interface FlowGraph {
  nD: number;
  source: number;
  sink: number;
  level: Int32Array;
  /** Pupils on each pair after the flow. */
  pairFlow: Int32Array;
}

/**
 * Seats as many pupils as the facilities' `seats` allow, starting from `start` (pupils per pair already
 * seated, within the seats) and rerouting them only where that seats more: augmenting paths on integer
 * capacities, so every flow is whole pupils.
 */
export function seatPupils(net: Network, seats: ArrayLike<number>, start?: Int32Array): FlowGraph {
  const nD = net.demand.length;
  const nF = net.nFacilities;
  const source = nD + nF;
  const sink = source + 1;
  const nNodes = sink + 1;
  const nPairs = net.pairFacility.length;
  const nEdges = 2 * (nD + nPairs + nF);
  const head = new Int32Array(nNodes).fill(-1);
  const next = new Int32Array(nEdges);
  const to = new Int32Array(nEdges);
  const cap = new Float64Array(nEdges);
  const pairEdge = new Int32Array(nPairs);
  let e = 0;
  const edge = (a: number, b: number, c: number, back = 0) => {
    to[e] = b;
    cap[e] = c;
    next[e] = head[a];
    head[a] = e++;
    to[e] = a;
    cap[e] = back;
    next[e] = head[b];
    head[b] = e++;
  };
  const load = new Float64Array(nF);
  for (let i = 0; i < nD; i++) {
    let seated = 0;
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) seated += start ? start[p] : 0;
    edge(source, i, net.pupils[i] - seated, seated);
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      const f = net.pairFacility[p];
      pairEdge[p] = e;
      edge(i, nD + f, Number.POSITIVE_INFINITY, start ? start[p] : 0);
      load[f] += start ? start[p] : 0;
    }
  }
  for (let f = 0; f < nF; f++) edge(nD + f, sink, Math.max(0, seats[f] - load[f]), load[f]);
  const level = new Int32Array(nNodes);
  const it = new Int32Array(nNodes);
  const queue = new Int32Array(nNodes);
  const bfs = () => {
    level.fill(-1);
    level[source] = 0;
    let qh = 0;
    let qt = 0;
    queue[qt++] = source;
    while (qh < qt) {
      const v = queue[qh++];
      for (let k = head[v]; k >= 0; k = next[k])
        if (cap[k] > 0 && level[to[k]] < 0) {
          level[to[k]] = level[v] + 1;
          queue[qt++] = to[k];
        }
    }
    return level[sink] >= 0;
  };
  const dfs = (v: number, pushed: number): number => {
    if (v === sink) return pushed;
    for (; it[v] >= 0; it[v] = next[it[v]]) {
      const k = it[v];
      const w = to[k];
      if (cap[k] <= 0 || level[w] !== level[v] + 1) continue;
      const got = dfs(w, Math.min(pushed, cap[k]));
      if (got > 0) {
        cap[k] -= got;
        cap[k ^ 1] += got;
        return got;
      }
    }
    return 0;
  };
  while (bfs()) {
    it.set(head);
    while (dfs(source, Number.POSITIVE_INFINITY) > 0);
  }
  bfs();
  return { nD, source, sink, level, pairFlow: Int32Array.from(pairEdge, (k) => cap[k ^ 1]) };
}

/** Groups of demand points (indices into net.demand) and facilities with more pupils than seats. */
export function shortGroups(net: Network, maxSeats: readonly number[]): ShortGroup[] {
  const { nD, level } = seatPupils(net, maxSeats);
  const nNodes = nD + net.nFacilities + 2;
  // Source side of the minimum cut, split into connected groups for the report.
  const groups: ShortGroup[] = [];
  const seen = new Uint8Array(nNodes);
  for (let start = 0; start < nD; start++) {
    if (level[start] < 0 || seen[start]) continue;
    const g: ShortGroup = { demand: [], facilities: [], pupils: 0, seats: 0 };
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const v = stack.pop()!;
      if (v < nD) {
        g.demand.push(v);
        g.pupils += net.pupils[v];
        for (let p = net.pairStart[v]; p < net.pairStart[v + 1]; p++) {
          const w = nD + net.pairFacility[p];
          if (!seen[w]) {
            seen[w] = 1;
            stack.push(w);
          }
        }
      } else {
        const f = v - nD;
        g.facilities.push(f);
        g.seats += maxSeats[f];
        for (let k = net.facilityStart[f]; k < net.facilityStart[f + 1]; k++) {
          const p = net.facilityPairs[k];
          let i = 0;
          // The demand point of pair p: the last i with pairStart[i] ≤ p.
          let hi = nD - 1;
          while (i < hi) {
            const mid = (i + hi + 1) >> 1;
            if (net.pairStart[mid] <= p) i = mid;
            else hi = mid - 1;
          }
          if (level[i] >= 0 && !seen[i]) {
            seen[i] = 1;
            stack.push(i);
          }
        }
      }
    }
    if (g.pupils > g.seats) {
      g.demand.sort((a, b) => a - b);
      g.facilities.sort((a, b) => a - b);
      groups.push(g);
    }
  }
  return groups;
}
