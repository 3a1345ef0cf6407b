// Group commit: what is submitted while a batch is being written waits and
// goes into the next batch together. Nothing waits for a batch to fill — an
// item submitted while nothing is being written starts at once, a batch of
// one — so batches form only under load, about as large as what arrived
// during the last write. What bounds a webhook server is the database
// client's cost per statement, not per row: a batch of N is written with the
// statements of one.

export interface GroupCommit<T, R> {
  /** Resolves with this item's result from the batch's write, or rejects with the batch's error. */
  submit(item: T): Promise<R>;
  /** Nothing being written and nothing waiting. */
  readonly idle: boolean;
}

/**
 * `write` gets the batch in submission order and answers one result per item,
 * in the same order. One batch is written at a time; `onIdle` is called when
 * the last one is done and nothing waits (to drop a per-key instance).
 */
export function groupCommit<T, R>(write: (items: T[]) => Promise<R[]>, { maxBatch = 50, onIdle }: { maxBatch?: number; onIdle?: () => void } = {}): GroupCommit<T, R> {
  const waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let writing = false;

  async function drain() {
    writing = true;
    try {
      while (waiting.length) {
        const batch = waiting.splice(0, maxBatch);
        try {
          const results = await write(batch.map((w) => w.item));
          batch.forEach((w, i) => w.resolve(results[i]));
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
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
      return result;
    },
    get idle() {
      return !writing && !waiting.length;
    },
  };
}
