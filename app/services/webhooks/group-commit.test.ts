import { afterEach, describe, expect, it, vi } from "vitest";
import { groupCommit } from "./group-commit";

/** A write that waits for the test's go, recording its batches. */
function controlledWrite() {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  const write = async (items: number[]) => {
    batches.push(items);
    await new Promise<void>((go) => gates.push(go));
    return items.map((n) => n * 10);
  };
  const release = async () => {
    gates.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { batches, write, release };
}

describe("groupCommit", () => {
  it("starts an item at once when nothing is written, and gathers what arrives meanwhile into the next batch", async () => {
    const { batches, write, release } = controlledWrite();
    const commit = groupCommit(write);
    const first = commit.submit(1);
    expect(batches).toEqual([[1]]);
    const rest = [commit.submit(2), commit.submit(3), commit.submit(4)];
    expect(batches).toEqual([[1]]);
    await release();
    expect(await first).toBe(10);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    await release();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(commit.idle).toBe(true);
  });

  it("caps a batch at maxBatch; the rest wait for the next", async () => {
    const { batches, write, release } = controlledWrite();
    const commit = groupCommit(write, { maxBatch: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => commit.submit(n));
    await release();
    await release();
    await release();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it("rejects every item of a failed batch with its error, goes on with the next, and says when it is idle", async () => {
    let calls = 0;
    let idle = 0;
    const commit = groupCommit(
      async (items: number[]) => {
        if (calls++ === 0) throw new Error("database is down");
        return items;
      },
      { onIdle: () => idle++ },
    );
    const failing = commit.submit(1);
    const next = commit.submit(2);
    await expect(failing).rejects.toThrow("database is down");
    expect(await next).toBe(2);
    expect(idle).toBe(1);
    expect(commit.idle).toBe(true);
  });

  describe("lingering under load", () => {
    // Only the linger's timer is faked: the writes' gates run on setImmediate.
    const fakeTimeouts = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    afterEach(() => {
      vi.useRealTimers();
    });
    // Gatherings are timed too: performance.now() runs on the fake clock.
    const fakeClock = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });

    /** Advances the fake clock a millisecond at a time until the next batch starts; how many it took. */
    async function startsAfter(batches: number[][]) {
      const before = batches.length;
      let waited = 0;
      while (batches.length === before) {
        await vi.advanceTimersByTimeAsync(1);
        waited++;
      }
      return waited;
    }

    /**
     * [1] written with 2, 3 and 4 waiting: four in flight. The linger waits
     * for a fourth, back `gatherMs` after [1] was written (a gathering that
     * long); [2, 3, 4, 5] is then being written.
     */
    async function fourInFlight(gatherMs = 0) {
      fakeClock();
      const { batches, write, release } = controlledWrite();
      const commit = groupCommit(write, { lingerMs: 10 });
      commit.submit(1);
      [2, 3, 4].forEach((n) => commit.submit(n));
      await release();
      expect(batches).toEqual([[1]]);
      await vi.advanceTimersByTimeAsync(gatherMs);
      commit.submit(5);
      await new Promise((r) => setImmediate(r));
      expect(batches).toEqual([[1], [2, 3, 4, 5]]);
      return { batches, release, commit };
    }

    /** [1] written with 2 waiting: two in flight, and the linger waiting for the second. */
    async function twoInFlight() {
      fakeClock();
      const { batches, write, release } = controlledWrite();
      const commit = groupCommit(write, { lingerMs: 10 });
      commit.submit(1);
      commit.submit(2);
      await release();
      return { batches, release, commit };
    }

    it("waits for as many items as the last round had in flight, and starts as soon as they are there", async () => {
      // 1's sender sends again: the fourth item, and the batch starts with it.
      await fourInFlight();
    });

    it("starts a batch that does not fill once the linger is over", async () => {
      fakeTimeouts();
      const { batches, write, release } = controlledWrite();
      const commit = groupCommit(write, { lingerMs: 10 });
      commit.submit(1);
      const second = commit.submit(2);
      await release();
      await vi.advanceTimersByTimeAsync(9);
      expect(batches).toEqual([[1]]);
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1], [2]]);
      await release();
      expect(await second).toBe(20);
    });

    it("waits twice as long per missing item as recent gatherings took per item, when that is longer than lingerMs", async () => {
      // One item gathered in 2 ms.
      const { batches, release, commit } = await fourInFlight(2);
      await release();
      // Four were in flight again, all four missing: 16 ms, not 10. Only one comes back.
      commit.submit(6);
      expect(await startsAfter(batches)).toBe(16);
      expect(batches.at(-1)).toEqual([6]);
    });

    it("reckons a gathering per item it gathered", async () => {
      const { batches, release, commit } = await twoInFlight();
      commit.submit(3);
      await new Promise((r) => setImmediate(r));
      await release();
      // Both of [2, 3] come back, 6 ms after it was written: 3 ms an item.
      await vi.advanceTimersByTimeAsync(6);
      [4, 5].forEach((n) => commit.submit(n));
      await new Promise((r) => setImmediate(r));
      await release();
      // Two missing again: 12 ms (not 24, the whole gathering's twice, times two).
      commit.submit(6);
      expect(await startsAfter(batches)).toBe(12);
      expect(batches).toEqual([[1], [2, 3], [4, 5], [6]]);
    });

    /**
     * [2, 3, 4, 5] written with 6 arriving meanwhile: five in flight, four
     * the batch before. 7, 8 and 9 come back 3 ms after it was written, 1 ms
     * an item: the fewest recently in flight, four, are there.
     */
    async function fewestBack() {
      const { batches, release, commit } = await fourInFlight();
      commit.submit(6);
      await release();
      await vi.advanceTimersByTimeAsync(3);
      [7, 8, 9].forEach((n) => commit.submit(n));
      await new Promise((r) => setImmediate(r));
      return { batches, commit };
    }

    it("waits for the fewest that recent batches had in flight (a server's share behind a load balancer varies)", async () => {
      const { batches } = await fewestBack();
      expect(batches).toHaveLength(2);
      // The last batch's fifth is not coming: the batch starts one item's
      // gathering later, twice the 1 ms (not the linger's 10).
      expect(await startsAfter(batches)).toBe(2);
      expect(batches).toEqual([[1], [2, 3, 4, 5], [6, 7, 8, 9]]);
    });

    it("once the fewest are there, gathers the rest of the last batch's train while it keeps coming", async () => {
      const { batches, commit } = await fewestBack();
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toHaveLength(2);
      // The fifth, 1 ms behind the others: within twice their time per item.
      commit.submit(10);
      await new Promise((r) => setImmediate(r));
      expect(batches).toEqual([[1], [2, 3, 4, 5], [6, 7, 8, 9, 10]]);
    });

    it("waits four times lingerMs at most", async () => {
      const { batches, release, commit } = await twoInFlight();
      // Two in flight each round, the second coming back 9, 17, then 30 ms
      // after the batch before ended: each within the wait the one before allowed.
      const gather = async (first: number | null, ms: number, second: number) => {
        if (first !== null) commit.submit(first);
        await vi.advanceTimersByTimeAsync(ms);
        commit.submit(second);
        await new Promise((r) => setImmediate(r));
      };
      await gather(null, 9, 3);
      await release();
      await gather(4, 17, 5);
      await release();
      await gather(6, 30, 7);
      await release();
      expect(batches).toEqual([[1], [2, 3], [4, 5], [6, 7]]);
      // Twice 30 would be 60.
      commit.submit(8);
      expect(await startsAfter(batches)).toBe(40);
      expect(batches.at(-1)).toEqual([8]);
    });

    it("does not lengthen the wait after one that ran out", async () => {
      const { batches, release, commit } = await fourInFlight(8);
      // Each batch ends with three of the fewest four in flight waiting, one
      // missing at 8 ms an item: both waits run out, at 16 ms.
      [6, 7, 8].forEach((n) => commit.submit(n));
      await release();
      expect(await startsAfter(batches)).toBe(16);
      [9, 10, 11].forEach((n) => commit.submit(n));
      await release();
      expect(await startsAfter(batches)).toBe(16);
      expect(batches).toEqual([[1], [2, 3, 4, 5], [6, 7, 8], [9, 10, 11]]);
    });

    it("does not linger after a batch whose items do not come back", async () => {
      fakeTimeouts();
      const { batches, write, release } = controlledWrite();
      const commit = groupCommit(write, { lingerMs: 10, returns: (batch) => batch.some((n) => n % 2 === 1) });
      commit.submit(2);
      [4, 6].forEach((n) => commit.submit(n));
      await release();
      // Three were in flight, but [2] does not come back: [4, 6] go at once.
      expect(batches).toEqual([[2], [4, 6]]);
    });

    it("never holds back a lone item: after a batch of one the next starts at once, and after the linger the commit is idle", async () => {
      fakeTimeouts();
      const { batches, write, release } = controlledWrite();
      let idle = 0;
      const commit = groupCommit(write, { lingerMs: 10, onIdle: () => idle++ });
      commit.submit(1);
      await release();
      commit.submit(2);
      await new Promise((r) => setImmediate(r));
      expect(batches).toEqual([[1], [2]]);
      await release();
      expect(commit.idle).toBe(false);
      await vi.advanceTimersByTimeAsync(10);
      expect(commit.idle).toBe(true);
      expect(idle).toBe(1);
      commit.submit(3);
      expect(batches).toEqual([[1], [2], [3]]);
    });
  });
});
