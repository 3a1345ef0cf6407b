import { describe, expect, it } from "vitest";
import { describeError, webhookProcessing } from "./intake.server";

describe("describeError", () => {
  it("keeps the cause of a Prisma error — its last line, with the code and meta", () => {
    const error = Object.assign(new Error("\nInvalid `prisma.orderAward.create()` invocation:\n\n  source context\n\nUnique constraint failed on the fields: (`orderId`)"), {
      code: "P2002",
      meta: { target: ["orderId"] },
    });
    expect(describeError(error)).toBe('[P2002] Unique constraint failed on the fields: (`orderId`) {"target":["orderId"]}');
  });

  it("skips the closing lines of a JSON dump for the last line that says something", () => {
    const error = new Error('Admin API answered with errors: {\n  "errors": "Throttled"\n}');
    expect(describeError(error)).toBe('Error "errors": "Throttled"');
  });

  it("describes what is not an Error", () => {
    expect(describeError("timeout")).toBe("timeout");
  });
});

describe("webhookProcessing (ENCORE_WEBHOOKS)", () => {
  it("is inline unless set to queue, and refuses anything else", () => {
    expect(webhookProcessing(undefined)).toBe("inline");
    expect(webhookProcessing("inline")).toBe("inline");
    expect(webhookProcessing("queue")).toBe("queue");
    expect(() => webhookProcessing("workers")).toThrow(/ENCORE_WEBHOOKS must be "inline" or "queue"/);
  });
});
