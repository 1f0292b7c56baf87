import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Applicant } from '../../src/engines/admissions/contract.ts';
import {
  applicantListDigest,
  commitmentOf,
  drawSeed,
  keyPacking,
  keyPrefix,
  keyPrefixOf,
  keyStart,
  lotteryKey,
  orderKeys,
  packKey,
  sha256Hex,
  sortPackedKeys,
} from '../../src/engines/admissions/keys.ts';
import { sha } from './factory.ts';

describe('lottery keys', () => {
  it('match hand-written SHA-256 vectors (FIPS 180-2 "abc"; `printf %s ab:A1 | sha256sum`)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(lotteryKey('ab', 'A1')).toBe('436f38dfa4fa1f2806eb4e1a01040b215cfadab6598feb5dc568704eff6769d0');
    expect(lotteryKey('ab', 'A2')).toBe('9701e6dd6e7878997e29fd65cb3f5f1c444e4bf8e3beb2e1eaf6f5eec353cc85');
    expect(lotteryKey('ab', 'A1', 'S03')).toBe(
      'fa44a3df749e8f7e3daeeeae96de09c116255c34cc8adb04c4e94299c2f2b803',
    );
  });

  it('hash the UTF-8 bytes of seed:a and seed:s:a, like an independent SHA-256', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (seed, a, s) => {
        expect(lotteryKey(seed, a)).toBe(sha(`${seed}:${a}`));
        expect(lotteryKey(seed, a, s)).toBe(sha(`${seed}:${s}:${a}`));
      }),
    );
    // A Chinese application number is hashed as UTF-8 (`printf %s ab:商丘-1 | sha256sum`).
    expect(lotteryKey('ab', '商丘-1')).toBe(
      'f8ad1eb99da5dd64ad1e8097d3f4b705b761889efc8cc01f42e1a453aa0f183b',
    );
  });

  it('keyPrefixOf gives the leading bits of an independent SHA-256 of start + text, UTF-8, at any length', () => {
    // Lone surrogates are hashed as U+FFFD, as Buffer.from(text, 'utf8') encodes them.
    const unit = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'),
    );
    const text = (maxLength: number) => fc.string({ unit, maxLength });
    const start = text(150).map((t) => `${t}:`);
    fc.assert(
      fc.property(start, text(150), (a, b) => {
        expect(keyPrefixOf(keyStart(a), b)).toBe(keyPrefix(sha(a + b)));
      }),
      { numRuns: 2000 },
    );
    // Every way the message can end around the 55-, 56- and 64-byte edges of a block.
    for (let a = 0; a < 140; a++)
      for (const b of ['', 'A', 'A0000001', '商丘-1', '\u{1F600}', 'a\udc00\ud800', 'x'.repeat(70)]) {
        const head = `${'s'.repeat(a)}:`;
        expect(keyPrefixOf(keyStart(head), b)).toBe(keyPrefix(sha(head + b)));
      }
    expect(keyPrefixOf(keyStart('ab:'), 'A1')).toBe(keyPrefix(lotteryKey('ab', 'A1')));
    expect(() => keyStart('ab\ud800')).toThrow(RangeError);
  });

  it('seed = SHA-256(secret:publicValue), commitment = SHA-256(secret)', () => {
    expect(drawSeed('s3cret', '2026-07-01 双色球 03 07 12 19 25 31 + 09')).toBe(
      sha('s3cret:2026-07-01 双色球 03 07 12 19 25 31 + 09'),
    );
    expect(commitmentOf('s3cret')).toBe(sha('s3cret'));
  });

  it('order keys exactly as strings, also when many share their leading digits', () => {
    const hexKeys = fc.array(
      fc.tuple(
        fc.constantFrom('', '0000000', 'ffffffffffff', '00000000000000'),
        fc.stringMatching(/^[0-9a-f]{64}$/),
      ),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(hexKeys, (pairs) => {
        const keys = pairs.map(([prefix, k]) => (prefix + k).slice(0, 64));
        const prefixes = Float64Array.from(keys, keyPrefix);
        const order = Array.from(
          orderKeys(prefixes, (i) => keys[i]),
          (i) => keys[i],
        );
        expect(order).toEqual([...keys].sort());
      }),
    );
  });

  it('sort one bucket of a list in place by the keys of its items, leaving the rest (sortPackedKeys)', () => {
    const hexKeys = fc.array(
      fc.tuple(
        fc.constantFrom('', '0000000', 'ffffffffffff', '00000000000000'),
        fc.stringMatching(/^[0-9a-f]{64}$/),
      ),
      { minLength: 2, maxLength: 100 },
    );
    fc.assert(
      fc.property(hexKeys, fc.nat(5), (pairs, before) => {
        // Items are numbered 100 … ; item i's key is keys[i − 100]; `before` other items come first.
        const keys = pairs.map(([prefix, k]) => (prefix + k).slice(0, 64));
        const list = [...Array.from({ length: before }, (_, i) => -1 - i), ...keys.map((_, i) => 100 + i)];
        const packing = keyPacking(keys.length);
        const packed = new Float64Array(list.length);
        keys.forEach((k, i) => {
          packed[before + i] = packKey(keyPrefix(k), i, packing);
        });
        const fullKey = (item: number) => keys[item - 100];
        sortPackedKeys(packed, list, before, keys.length, packing.slot, fullKey, []);
        expect(list.slice(0, before)).toEqual(Array.from({ length: before }, (_, i) => -1 - i));
        expect(list.slice(before).map(fullKey)).toEqual([...keys].sort());
      }),
    );
  });
});

describe('the applicant-list digest', () => {
  it('is SHA-256 of the RFC 8785 canonical JSON of the list sorted by id', () => {
    const list: Applicant[] = [
      { id: 'A2', choices: ['S03', 'P01'], tiers: { S03: 2, P01: 1 } },
      { id: 'A1', choices: ['P01'], tiers: { P01: 1 } },
    ];
    // Written by hand: sorted by id, keys sorted, no spaces.
    const canonical =
      '[{"choices":["P01"],"id":"A1","tiers":{"P01":1}},{"choices":["S03","P01"],"id":"A2","tiers":{"P01":1,"S03":2}}]';
    expect(applicantListDigest(list)).toBe(sha(canonical));
  });

  it('does not depend on the order of the list or of the keys, and changes with any tier', () => {
    const a = { id: '张-01', choices: ['P01', 'S03'], tiers: { P01: 1, S03: 3 } };
    const b = { id: 'A1', choices: [], tiers: {} };
    const digest = applicantListDigest([a, b]);
    expect(applicantListDigest([b, { tiers: { S03: 3, P01: 1 }, choices: a.choices, id: a.id }])).toBe(
      digest,
    );
    expect(applicantListDigest([b, { ...a, tiers: { P01: 1, S03: 2 } }])).not.toBe(digest);
    expect(applicantListDigest([b, { ...a, choices: ['S03', 'P01'] }])).not.toBe(digest);
  });
});
