import { describe, expect, it } from 'vitest';
import { MAX_SHARE_CHARS, packShare, unpackShare } from '../../../../src/persist/share';
import { emptyScenario } from '../../../../src/state/scenario';
import { shareDocument } from '../../../../src/state/share';
import { decodeUrlState, encodeUrlState } from '../../../../src/state/url';

const doc = shareDocument([], [emptyScenario('sc-a', 'Plzeň north'), emptyScenario('sc-b', 'Plzeň north, variant', 'sc-a')]);

async function deflated(bytes: Uint8Array): Promise<string> {
  const out = new Uint8Array(await new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer());
  return Buffer.from(out).toString('base64url');
}

describe('a share link', () => {
  it('carries the document packed, and brings it back identical through the link', async () => {
    const packed = (await packShare(doc))!;
    expect(packed).toMatch(/^[A-Za-z0-9_-]+$/);
    const link = decodeUrlState(encodeUrlState({ share: packed, scenarioId: 'sc-b' }));
    expect(link.problems).toEqual([]);
    expect(await unpackShare(link.state.share!)).toEqual({ ok: true, doc });
  });

  it('is not made when the document would be longer than a link should be', async () => {
    const big = shareDocument([], Array.from({ length: 50 }, (_, i) => ({ ...emptyScenario(`sc-${i}`, `Scenario ${i}`), masts: Array.from({ length: 40 }, (__, j) => ({ id: `m-${i}-${j}`, kind: 'mast' as const, operator: 'T-Mobile', lonDeg: 12 + Math.random(), latDeg: 49 + Math.random(), antennaAglM: 30 })) })));
    expect(await packShare(big)).toBeNull();
  });

  it('refuses content that unpacks to more than 1 MiB, or is not what it claims', async () => {
    const bomb = await deflated(new Uint8Array(5 << 20).fill(32));
    expect(bomb.length).toBeLessThan(MAX_SHARE_CHARS);
    const r = await unpackShare(bomb);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.problem).toMatch(/more than 1 MiB/);
    expect((await unpackShare('not+base64/')).ok).toBe(false);
    expect((await unpackShare(await deflated(new TextEncoder().encode('{"format":"sddi-twin-share","version":1,"stories":[],"scenarios":[{"id":"x"}]}')))).ok).toBe(false);
    expect((await unpackShare(await deflated(new Uint8Array([0xff, 0xfe, 0x00])))).ok).toBe(false);
  });

  it('is bounded in the link parser too', () => {
    expect(decodeUrlState(`share=${'A'.repeat(MAX_SHARE_CHARS + 1)}`).problems[0]).toMatch(/too long/);
    expect(decodeUrlState('share=a%20b').problems[0]).toMatch(/shared content/);
  });
});
