-- CreateTable
CREATE TABLE "DailyStat" (
    "shopId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "metric" TEXT NOT NULL,
    "value" BIGINT NOT NULL,

    CONSTRAINT "DailyStat_pkey" PRIMARY KEY ("shopId","day","metric")
);

