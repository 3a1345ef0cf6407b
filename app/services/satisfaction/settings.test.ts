import { describe, expect, it } from "vitest";
import { isLowScore, parseSourceOptions, scoreOf, validScore } from "./settings";
import { surveyLinkToken, verifySurveyLinkToken } from "../email/links.server";

describe("scores", () => {
  it("computes NPS as promoters minus detractors, CSAT as the share of 4s and 5s", () => {
    expect(scoreOf("nps", [10, 9, 8, 7, 6, 0])).toBe(0);
    expect(scoreOf("nps", [10, 10, 10])).toBe(100);
    expect(scoreOf("nps", [0, 6])).toBe(-100);
    expect(scoreOf("csat", [5, 4, 3, 1])).toBe(50);
    expect(scoreOf("csat", [])).toBeNull();
  });

  it("validates scores per scale and flags low ones by threshold", () => {
    expect(validScore("csat", 0)).toBe(false);
    expect(validScore("csat", 5)).toBe(true);
    expect(validScore("nps", 0)).toBe(true);
    expect(validScore("nps", 10.5)).toBe(false);
    expect(validScore("nps", "9")).toBe(false);
    expect(isLowScore({ lowScoreThreshold: 2 }, 2)).toBe(true);
    expect(isLowScore({ lowScoreThreshold: 2 }, 3)).toBe(false);
  });

  it("reads the merchant's answers one a line, trimmed and deduplicated", () => {
    expect(parseSourceOptions(" Instagram \r\n\nA friend\ninstagram\n")).toEqual(["Instagram", "A friend"]);
  });
});

describe("survey link tokens", () => {
  it("round-trips and is refused after any change, or under another secret", () => {
    const token = surveyLinkToken("a.myshopify.com", "gid://shopify/Order/1");
    expect(verifySurveyLinkToken(token)).toEqual({ shopId: "a.myshopify.com", orderId: "gid://shopify/Order/1" });
    expect(verifySurveyLinkToken(token + "x")).toBeNull();
    expect(verifySurveyLinkToken("garbage")).toBeNull();
    const secret = process.env.SHOPIFY_API_SECRET;
    process.env.SHOPIFY_API_SECRET = "another-secret";
    try {
      expect(verifySurveyLinkToken(token)).toBeNull();
    } finally {
      process.env.SHOPIFY_API_SECRET = secret;
    }
  });
});
