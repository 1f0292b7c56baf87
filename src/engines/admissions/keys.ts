/**
 * The publicly reproducible numbers of a lottery (电脑派位): keys, seed, commitment and the digest of
 * the applicant list. Each is a lowercase hex SHA-256 of a UTF-8 string anyone can rebuild with any
 * SHA-256 tool, e.g. `printf '%s' "$seed:A0001" | sha256sum`.
 */
import { hash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ints } from './arrays.ts';
import type { Applicant } from './contract.ts';

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * Lottery key: `single` tie-breaking, key(a) = SHA-256(`seed:a`); `multiple`, key(a, s) =
 * SHA-256(`seed:s:a`). `lotteryKey('ab', 'A1')` = sha256("ab:A1").
 */
export const lotteryKey = (seed: string, applicantId: string, schoolId?: string): string =>
  sha256Hex(schoolId === undefined ? `${seed}:${applicantId}` : `${seed}:${schoolId}:${applicantId}`);

/** The draw's seed: SHA-256(`secret:publicValue`), the public value being entered at the draw. */
export const drawSeed = (secret: string, publicValue: string): string =>
  sha256Hex(`${secret}:${publicValue}`);

/** The commitment published before the draw: SHA-256(secret). */
export const commitmentOf = (secret: string): string => sha256Hex(secret);

/**
 * The digest published before the draw: SHA-256 of the RFC 8785 (JCS) canonical JSON of the list
 * sorted by id (UTF-16 code units, JCS's own order of keys). Only id, choices and tiers enter it.
 */
export function applicantListDigest(applicants: readonly Applicant[]): string {
  const list = applicants
    .map((a) => ({ id: a.id, choices: a.choices, tiers: a.tiers }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sha256Hex(canonicalize(list)!);
}

/** The leading 52 bits of a lowercase hex key as an exact double: the order of prefixes is the keys' order. */
export function keyPrefix(key: string): number {
  let v = 0;
  for (let i = 0; i < 13; i++) {
    const c = key.charCodeAt(i);
    v = v * 16 + (c <= 57 ? c - 48 : c - 87);
  }
  return v;
}

/*
 * The leading bits of a million keys without a million hex strings. Every key of a draw hashes the
 * same start (`seed:` or `seed:school:`) followed by an application number, so SHA-256 (FIPS 180-4)
 * is run here over the start's whole 64-byte blocks once, and per key only over the rest — one
 * block for the usual 64-digit seed. The published keys themselves still come from node:crypto
 * (`lotteryKey`); `keyPrefixOf` gives exactly `keyPrefix(lotteryKey(…))`, which the tests check
 * against an independent SHA-256 and `computeLotteryKeys` spot-checks on every run.
 */

const K256 = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ],
  (k) => k | 0,
);
const IV256 = Int32Array.from(
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
  (v) => v | 0,
);
const schedule = new Int32Array(64);
const Σ0 = (a: number) => ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
const Σ1 = (e: number) => ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));

/**
 * SHA-256's compression of the block in `block` (16 big-endian words, the first of the message
 * schedule) into the state. Eight rounds a turn, so the letters come round again.
 */
function compress(state: Int32Array): void {
  const w = schedule;
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const σ0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const σ1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + σ0 + w[i - 7] + σ1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i += 8) {
    h = (h + Σ1(e) + ((e & f) ^ (~e & g)) + K256[i] + w[i]) | 0;
    d = (d + h) | 0;
    h = (h + Σ0(a) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    g = (g + Σ1(d) + ((d & e) ^ (~d & f)) + K256[i + 1] + w[i + 1]) | 0;
    c = (c + g) | 0;
    g = (g + Σ0(h) + ((h & a) ^ (h & b) ^ (a & b))) | 0;
    f = (f + Σ1(c) + ((c & d) ^ (~c & e)) + K256[i + 2] + w[i + 2]) | 0;
    b = (b + f) | 0;
    f = (f + Σ0(g) + ((g & h) ^ (g & a) ^ (h & a))) | 0;
    e = (e + Σ1(b) + ((b & c) ^ (~b & d)) + K256[i + 3] + w[i + 3]) | 0;
    a = (a + e) | 0;
    e = (e + Σ0(f) + ((f & g) ^ (f & h) ^ (g & h))) | 0;
    d = (d + Σ1(a) + ((a & b) ^ (~a & c)) + K256[i + 4] + w[i + 4]) | 0;
    h = (h + d) | 0;
    d = (d + Σ0(e) + ((e & f) ^ (e & g) ^ (f & g))) | 0;
    c = (c + Σ1(h) + ((h & a) ^ (~h & b)) + K256[i + 5] + w[i + 5]) | 0;
    g = (g + c) | 0;
    c = (c + Σ0(d) + ((d & e) ^ (d & f) ^ (e & f))) | 0;
    b = (b + Σ1(g) + ((g & h) ^ (~g & a)) + K256[i + 6] + w[i + 6]) | 0;
    f = (f + b) | 0;
    b = (b + Σ0(c) + ((c & d) ^ (c & e) ^ (d & e))) | 0;
    a = (a + Σ1(f) + ((f & g) ^ (~f & h)) + K256[i + 7] + w[i + 7]) | 0;
    e = (e + a) | 0;
    a = (a + Σ0(b) + ((b & c) ^ (b & d) ^ (c & d))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

// The message being hashed: its state, the block being filled, the bytes in it and in all.
const state = new Int32Array(8);
const block = schedule.subarray(0, 16);
let filled = 0;
let total = 0;

function pushByte(byte: number): void {
  block[filled >> 2] |= byte << ((3 - (filled & 3)) << 3);
  total++;
  if (++filled === 64) {
    compress(state);
    block.fill(0);
    filled = 0;
  }
}

/** Appends the UTF-8 bytes of `text` (a lone surrogate as U+FFFD, as node:crypto encodes it). */
function pushText(text: string): void {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      pushByte(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else c = 0xfffd;
    }
    if (c < 0x800) {
      pushByte(0xc0 | (c >> 6));
    } else if (c < 0x10000) {
      pushByte(0xe0 | (c >> 12));
      pushByte(0x80 | ((c >> 6) & 0x3f));
    } else {
      pushByte(0xf0 | (c >> 18));
      pushByte(0x80 | ((c >> 12) & 0x3f));
      pushByte(0x80 | ((c >> 6) & 0x3f));
    }
    pushByte(0x80 | (c & 0x3f));
  }
}

/** SHA-256 run over the whole blocks of a message's start, and the start's bytes after them. */
export interface KeyStart {
  state: Int32Array;
  block: Int32Array;
  filled: number;
  total: number;
}

/** The hashing of every message that begins with `text` (e.g. `seed:`), as far as it is the same. */
export function keyStart(text: string): KeyStart {
  // A high surrogate at the end would pair with the text after it: never so after `seed:…:`.
  const last = text.charCodeAt(text.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) throw new RangeError('a key start must not end in a high surrogate');
  state.set(IV256);
  block.fill(0);
  filled = 0;
  total = 0;
  pushText(text);
  return { state: state.slice(), block: block.slice(), filled, total };
}

/**
 * `keyPrefix` of SHA-256(start + text) without its hex string: `keyPrefixOf(keyStart('ab:'), 'A1')`
 * = `keyPrefix(lotteryKey('ab', 'A1'))`.
 */
export function keyPrefixOf(start: KeyStart, text: string): number {
  for (let i = 0; i < 8; i++) state[i] = start.state[i];
  for (let i = 0; i < 16; i++) block[i] = start.block[i];
  const n = text.length;
  const from = start.filled;
  if (from + n <= 55) {
    // The usual case: an ASCII text that ends in the block the start left open.
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      const at = from + i;
      block[at >> 2] |= c << ((3 - (at & 3)) << 3);
    }
    if (i === n) {
      const at = from + n;
      block[at >> 2] |= 0x80 << ((3 - (at & 3)) << 3);
      const bits = (start.total + n) * 8;
      block[14] = Math.floor(bits / 2 ** 32);
      block[15] = bits | 0;
      compress(state);
      return (state[0] >>> 0) * 2 ** 20 + (state[1] >>> 12);
    }
    for (let k = 0; k < 16; k++) block[k] = start.block[k];
  }
  filled = from;
  total = start.total;
  pushText(text);
  const bits = total * 8;
  pushByte(0x80);
  if (filled > 56) {
    compress(state);
    block.fill(0);
  }
  block[14] = Math.floor(bits / 2 ** 32);
  block[15] = bits | 0;
  compress(state);
  block.fill(0);
  filled = 0;
  return (state[0] >>> 0) * 2 ** 20 + (state[1] >>> 12);
}

/**
 * How keys are packed for sorting: a key's leading `keyPrefix` bits (as many as fit) and a place
 * below `places` in one exact double, so that doubles compare as (leading bits, place).
 */
export function keyPacking(places: number): { slot: number; drop: number } {
  const indexBits = Math.max(1, Math.ceil(Math.log2(places + 1)));
  const prefixBits = 53 - indexBits;
  if (prefixBits < 20) throw new RangeError('too many keys to order');
  return { slot: 2 ** indexBits, drop: 2 ** (52 - prefixBits) };
}

/** A key packed with its place: `Math.floor(prefix / drop) * slot + place` (see `keyPacking`). */
export const packKey = (prefix: number, place: number, p: { slot: number; drop: number }): number =>
  Math.floor(prefix / p.drop) * p.slot + place;

/**
 * Sorts the items `list[from] … list[from + size − 1]` by their keys, given `packed[from + i]` =
 * `packKey(prefix of list[from + i], i, …)`. The doubles are sorted natively; the rare runs with
 * equal leading bits are re-sorted by the full keys (then by item, should two be equal), so the
 * order is exactly the keys' string order. `scratch` holds at least `size` items.
 */
export function sortPackedKeys(
  packed: Float64Array,
  list: number[],
  from: number,
  size: number,
  slot: number,
  fullKey: (item: number) => string,
  scratch: number[],
): void {
  const keys = packed.subarray(from, from + size).sort();
  for (let i = 0; i < size; i++) scratch[i] = list[from + (keys[i] % slot)];
  for (let i = 0; i < size; ) {
    const bits = Math.floor(keys[i] / slot);
    let j = i + 1;
    while (j < size && Math.floor(keys[j] / slot) === bits) j++;
    if (j - i > 1) {
      const run = scratch.slice(i, j).map((item) => ({ item, key: fullKey(item) }));
      run.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.item - b.item));
      run.forEach((r, at) => {
        scratch[i + at] = r.item;
      });
    }
    i = j;
  }
  for (let i = 0; i < size; i++) list[from + i] = scratch[i];
}

/**
 * Indices 0 … n − 1 in ascending order of their keys, given each key's `keyPrefix` and a way to
 * get the full key (`sortPackedKeys`): instead of 20 million string compares for a million keys,
 * doubles sorted natively.
 */
export function orderKeys(prefixes: Float64Array, fullKey: (i: number) => string): number[] {
  const n = prefixes.length;
  const packing = keyPacking(n);
  const packed = new Float64Array(n);
  const order = ints(n);
  for (let i = 0; i < n; i++) {
    packed[i] = packKey(prefixes[i], i, packing);
    order[i] = i;
  }
  sortPackedKeys(packed, order, 0, n, packing.slot, fullKey, ints(n));
  return order;
}
