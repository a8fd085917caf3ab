CREATE TABLE "account" ("name" TEXT PRIMARY KEY NOT NULL CHECK (name <> ''), "role" TEXT NOT NULL CHECK (role IN ('researcher', 'supervisor')), "passwordHash" TEXT, "invitationHash" TEXT UNIQUE, "invitedBy" TEXT, "createdAt" DATETIME NOT NULL) WITHOUT ROWID;

CREATE TABLE "accountSession" ("tokenHash" TEXT PRIMARY KEY NOT NULL, "account" TEXT NOT NULL REFERENCES "account"("name") ON DELETE CASCADE, "csrfToken" TEXT NOT NULL, "createdAt" DATETIME NOT NULL, "expiresAt" DATETIME NOT NULL) WITHOUT ROWID;

CREATE TABLE "auditEntry" ("sequence" INTEGER PRIMARY KEY AUTOINCREMENT, "at" DATETIME NOT NULL, "account" TEXT, "action" TEXT NOT NULL, "runId" TEXT, "node" TEXT, "detail" TEXT NOT NULL, "seconds" DOUBLE);

CREATE TABLE "checkpoint" ("runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "step" INTEGER NOT NULL CHECK (step >= 0), "formatVersion" INTEGER NOT NULL CHECK (formatVersion >= 1), "payload" BLOB NOT NULL, "trainerState" TEXT NOT NULL, "createdAt" DATETIME NOT NULL, PRIMARY KEY ("runId", "step"));

CREATE TABLE "correction" ("runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "node" TEXT NOT NULL CHECK (node <> ''), "version" INTEGER NOT NULL CHECK (version >= 1), "author" TEXT NOT NULL, "at" DATETIME NOT NULL, "before" TEXT, "after" TEXT NOT NULL, "reason" TEXT NOT NULL, PRIMARY KEY ("runId", "node", "version")) WITHOUT ROWID;

CREATE TABLE "evaluation" ("runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "step" INTEGER NOT NULL CHECK (step >= 0), "model" TEXT NOT NULL CHECK (model <> ''), "depth" INTEGER NOT NULL CHECK (depth >= 0), "count" INTEGER NOT NULL CHECK (count >= 0), "correct" INTEGER NOT NULL CHECK (correct BETWEEN 0 AND count), PRIMARY KEY ("runId", "step", "model", "depth")) WITHOUT ROWID;

CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);

CREATE TABLE "metric" ("runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "name" TEXT NOT NULL CHECK (name <> ''), "step" INTEGER NOT NULL CHECK (step >= 0), "value" DOUBLE, PRIMARY KEY ("runId", "name", "step")) WITHOUT ROWID;

CREATE TABLE "modelReply" ("key" TEXT PRIMARY KEY NOT NULL, "reply" TEXT NOT NULL, "createdAt" DATETIME NOT NULL) WITHOUT ROWID;

CREATE TABLE "run" ("id" TEXT PRIMARY KEY NOT NULL, "parentId" TEXT REFERENCES "run"("id") ON DELETE CASCADE, "kind" TEXT NOT NULL CHECK (kind IN ('ia', 'supervised', 'group', 'hch', 'rlhf')), "task" TEXT NOT NULL, "preset" TEXT NOT NULL, "schedule" TEXT NOT NULL, "configuration" TEXT NOT NULL, "seed" INTEGER NOT NULL, "status" TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')), "createdAt" DATETIME NOT NULL, "updatedAt" DATETIME NOT NULL, "wallSeconds" DOUBLE NOT NULL DEFAULT 0, "report" TEXT);

CREATE TABLE "runCount" ("runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "name" TEXT NOT NULL, "value" INTEGER NOT NULL CHECK (value >= 0), PRIMARY KEY ("runId", "name"));

CREATE TABLE "runCounters" ("runId" TEXT PRIMARY KEY NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "supervisor" TEXT CHECK (supervisor IN ('scripted', 'learned')), "askerSubquestionAccuracy" DOUBLE CHECK (askerSubquestionAccuracy BETWEEN 0 AND 1), "askerAnswerAccuracy" DOUBLE CHECK (askerAnswerAccuracy BETWEEN 0 AND 1));

CREATE TABLE "trace" ("id" INTEGER PRIMARY KEY AUTOINCREMENT, "runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "step" INTEGER NOT NULL CHECK (step >= 0), "task" TEXT NOT NULL, "question" TEXT NOT NULL, "trace" TEXT NOT NULL);

CREATE TABLE "workspace" ("runId" TEXT NOT NULL REFERENCES "run"("id") ON DELETE CASCADE, "id" TEXT NOT NULL CHECK (id <> ''), "parentId" TEXT, "depth" INTEGER NOT NULL CHECK (depth >= 0), "context" INTEGER NOT NULL CHECK (context >= 0), "question" TEXT NOT NULL, "answer" TEXT, "answeredBy" TEXT, "state" TEXT NOT NULL CHECK (state IN ('acting', 'waiting', 'answered')), "detail" TEXT NOT NULL, PRIMARY KEY ("runId", "id")) WITHOUT ROWID;

CREATE INDEX "accountSession_on_account" ON "accountSession"("account");

CREATE INDEX "auditEntry_on_account" ON "auditEntry"("account", "sequence");

CREATE INDEX "auditEntry_on_runId" ON "auditEntry"("runId", "sequence");

CREATE INDEX "run_on_parentId" ON "run"("parentId");

CREATE INDEX "trace_on_runId_step" ON "trace"("runId", "step");
