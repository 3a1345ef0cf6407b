-- CreateTable
CREATE TABLE "DailyStat" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" BIGINT NOT NULL,

    PRIMARY KEY ("shopId", "day", "metric")
);

