// Group commit: what is submitted while a batch is being written waits and
// goes into the next batch together. An item submitted while nothing is being
// written (or lingering, below) starts at once — a batch of one — so batches
// form only under load. What bounds a webhook server is the database
// client's cost per statement, not per row: a batch of N is written with the
// statements of one.
//
// Under load the next batch lingers: it waits, for a few milliseconds after
// the last one ended, for as many items as recent batches have had in flight.
// Without it, batches settle into a beat of unequal halves: a delivery that
// arrives while a batch of seven is written becomes a batch of one, and the
// seven, answered and sent again, arrive while it is written and wait for it
// — every round of eight deliveries pays for two batches, and a batch of one
// costs nearly what a batch of seven does. The answered deliveries come back
// within milliseconds (Shopify sends the next as soon as one is answered), so
// a short wait puts them back into one batch. On PostgreSQL, 2 cores, at 8
// senders: 390–410 orders/s without it, 580–590 with it (bench/results.md).
//
// What it waits for is the fewest in flight at the end of any of the last
// eight batches. Behind a load balancer a server's share of the deliveries
// varies from batch to batch, and waiting for the most it recently had ran
// out nearly every time: at 8 senders on two app servers each batch waited
// the whole linger (p50 20 ms; 14–19 with the fewest). Once the fewest are
// there, it goes on gathering while the train keeps coming — each next item
// within twice the time per item the gathering took — up to as many as the
// last batch had in flight. Without that, one low count (a batch that ended
// while part of its train was still being read, or the end of a burst) set
// the target for eight batches, and each of them left one delivery behind to
// wait for the next: at the start of every level of the benchmark at 32
// senders, eight batches of 31, the 32nd answered two batches late. Where
// the rest is not coming, the train's tail costs a batch about one item's
// gathering.
//
// How long it may wait follows how long gathering takes: the items come back
// one at a time through the same event loop (each delivery's HMAC, JSON and
// validation), so gathering 32 takes about four times as long as gathering 8
// — 8 to 20 ms on 2 busy cores, where 8 took 2.5. A fixed wait sized for 8
// cut the larger trains short: the deliveries left out waited for the batch
// that started without them and then for their own, twice the usual answer,
// and at 32 senders they were the slowest 3% (the p99). So the wait is twice
// what the recent gatherings that reached their target took per item, times
// the items still missing, at least `lingerMs` and at most four times it. Per
// item: after a short gathering (a train cut in two), the wait for the whole
// train again must not be the short one's. One that runs out counts as none:
// a target that is not coming (a sender gone) costs `lingerMs` a batch, not
// more, once the recent gatherings have aged out.

export interface GroupCommit<T, R> {
  /** Resolves with this item's result from the batch's write, or rejects with the batch's error. */
  submit(item: T): Promise<R>;
  /** Nothing being written, lingering or waiting. */
  readonly idle: boolean;
}

export interface GroupCommitOptions<T> {
  /** Items written together at most; the rest wait for the next batch. */
  maxBatch?: number;
  /**
   * How long after a batch the next one may wait, at least, to gather as many
   * as recently (0: never waits); up to four times as long when recent
   * gatherings were slower (see above).
   */
  lingerMs?: number;
  /**
   * Whether the items of a batch just written come back: only then is there
   * anything to linger for (default: always).
   */
  returns?: (batch: T[]) => boolean;
  /** Called when the last batch is done and nothing waits (to drop a per-key instance). */
  onIdle?: () => void;
}

/** How many batches back the linger's target and wait look (the fewest in flight, the longest gathering). */
const RECENT = 8;
/** The longest linger, in lingerMs. */
const MAX_LINGERS = 4;

/**
 * `write` gets the batch in submission order and answers one result per item,
 * in the same order. One batch is written at a time.
 */
export function groupCommit<T, R>(
  write: (items: T[]) => Promise<R[]>,
  { maxBatch = 50, lingerMs = 0, returns = () => true, onIdle }: GroupCommitOptions<T> = {},
): GroupCommit<T, R> {
  const waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;
  // Items in flight at each recent batch's end: the batch and those that
  // gathered while it was written.
  const recent: number[] = [];
  // How long recent lingers took per item they gathered (0: it ran out).
  const gatherings: number[] = [];
  let lingering: { target: number; go: () => void } | null = null;

  /**
   * Waits until as many items as recently are waiting, or the wait (see
   * above) has passed; then for the rest of the last batch's train, while it
   * keeps coming.
   */
  async function linger() {
    const target = Math.min(maxBatch, ...recent);
    const there = waiting.length;
    if (there >= target) return;
    const wait = Math.min(MAX_LINGERS * lingerMs, Math.max(lingerMs, 2 * (target - there) * Math.max(0, ...gatherings)));
    const started = performance.now();
    await gather(target, wait);
    if (waiting.length < target) {
      remember(gatherings, 0);
      return;
    }
    const perItem = (performance.now() - started) / (waiting.length - there);
    remember(gatherings, perItem);
    const train = Math.min(maxBatch, recent[recent.length - 1]);
    while (waiting.length < train) {
      const before = waiting.length;
      await gather(before + 1, 2 * perItem);
      if (waiting.length === before) return;
    }
  }

  /** Until `target` items are waiting or `wait` ms have passed. */
  async function gather(target: number, wait: number) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      lingering = {
        target,
        go: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
    lingering = null;
  }

  async function drain() {
    writing = true;
    try {
      while (waiting.length) {
        const batch = waiting.splice(0, maxBatch);
        const items = batch.map((w) => w.item);
        try {
          const results = await write(items);
          batch.forEach((w, i) => w.resolve(results[i]));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
        remember(recent, batch.length + waiting.length);
        if (lingerMs > 0 && returns(items)) await linger();
      }
    } finally {
      writing = false;
      onIdle?.();
    }
  }

  return {
    submit(item) {
      const result = new Promise<R>((resolve, reject) => waiting.push({ item, resolve, reject }));
      if (!writing) void drain();
      else if (lingering && waiting.length >= lingering.target) lingering.go();
      return result;
    },
    get idle() {
      return !writing && !waiting.length;
    },
  };
}

function remember(values: number[], value: number) {
  values.push(value);
  if (values.length > RECENT) values.shift();
}
