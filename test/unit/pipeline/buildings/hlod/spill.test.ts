import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeRecords, encodeRecord, Spill } from '../../../../../pipeline/buildings/hlod/spill';
import { boxRecord } from './fixtures';

const dir = mkdtempSync(path.join(os.tmpdir(), 'spill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the spill', () => {
  it('gives back every record bit for bit', () => {
    const r = { ...boxRecord('DEBY_1', 12.1, 49.0), props: { ...boxRecord('x', 0, 0).props, id: 'DEBY_1', name: 'Rathaus – Žatec' } };
    const bytes = encodeRecord(r);
    expect(bytes.byteLength % 8).toBe(0);
    const [back] = decodeRecords(bytes);
    expect(back).toEqual(r);
    // Not 8-byte aligned in memory: still read.
    const shifted = new Uint8Array(bytes.byteLength + 4);
    shifted.set(bytes, 4);
    expect(decodeRecords(shifted.subarray(4))[0]).toEqual(r);
  });

  it('files records by cell and reads a cell back in order', () => {
    const spill = new Spill(path.join(dir, 's'), 14);
    const rs = [boxRecord('a', 12.1, 49.0), boxRecord('b', 12.5, 49.2), boxRecord('c', 12.1001, 49.0001)];
    rs.forEach((r) => spill.add(r));
    spill.flush();
    const cells = spill.cells();
    expect(cells.map((c) => c.count).toSorted()).toEqual([1, 2]);
    const two = cells.find((c) => c.count === 2)!;
    expect(spill.read(two.cell).map((r) => r.props.id)).toEqual(['a', 'c']);
    spill.remove();
  });

  it('refuses a record whose length does not match its content', () => {
    const bytes = encodeRecord(boxRecord('a', 12.1, 49.0));
    new DataView(bytes.buffer).setUint32(0, bytes.byteLength - 8, true);
    expect(() => decodeRecords(bytes)).toThrow(/does not match its content/);
  });
});
