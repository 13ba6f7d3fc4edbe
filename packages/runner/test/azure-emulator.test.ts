import { request as httpsRequest } from "node:https";
import { expect } from "chai";
import { ContainerClient } from "@azure/storage-blob";
import { ClientSecretCredential } from "@azure/identity";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import {
  API_VERSION,
  CLIENT_ID,
  CLIENT_SECRET,
  TENANT,
  armClient,
  emulatorCredential,
  json,
  storagePipeline,
  trustPolicy,
  trustingAgent,
  workspacePath,
  type ArmClient,
} from "./helpers/emulator-clients.js";
import { mlTokenHeader, pipelineJobBody, registerComponent, statusOf } from "./helpers/emulator-fixtures.js";

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A bare HTTPS call with no retry or auth policy, to see exactly what the emulator answers. */
function raw(emulator: RunningEmulator, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${emulator.url}${path}`, { method, headers, agent: trustingAgent(emulator) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("Azure ML emulator", () => {
  let emulator: RunningEmulator;
  let credential: ClientSecretCredential;
  let arm: ArmClient;
  let ws: string;

  before(async () => {
    emulator = await startEmulator({ auth: { clients: { [CLIENT_ID]: CLIENT_SECRET } } });
    credential = emulatorCredential(emulator);
    arm = armClient(emulator, credential);
    ws = workspacePath(emulator);
  });

  after(async () => {
    await emulator.close();
  });

  describe("authentication", () => {
    it("issues ARM and ml.azure.com tokens to a real ClientSecretCredential through OpenID discovery and the v2.0 token endpoint", async () => {
      const token = await credential.getToken("https://management.azure.com/.default");
      const ml = await credential.getToken("https://ml.azure.com/.default");
      expect(token.token.split(".")).to.have.length(3);
      expect(ml.token).to.not.equal(token.token);
      const audiences = emulator.state.tokens.map((t) => t.audience);
      expect(audiences).to.include.members(["https://management.azure.com", "https://ml.azure.com"]);
      const ops = emulator.state.requests.filter((r) => r.scope === "authority").map((r) => r.operationId);
      expect(ops).to.include.members(["Authority_OpenIdConfiguration", "Authority_Token"]);
    });

    it("refuses a wrong client secret without echoing it", async () => {
      const wrong = "definitely-not-the-secret-42";
      const bad = new ClientSecretCredential(TENANT, CLIENT_ID, wrong, {
        authorityHost: emulator.authorityHost,
        disableInstanceDiscovery: true,
        additionalPolicies: [{ policy: trustPolicy(emulator), position: "perCall" }],
      });
      let message = "";
      try {
        await bad.getToken("https://management.azure.com/.default");
      } catch (error) {
        message = error instanceof Error ? error.message : String(error);
      }
      expect(message).to.contain("AADSTS7000215");
      expect(message).to.not.contain(wrong);
    });

    it("answers ARM calls without a bearer token, or with a token for another audience, with 401", async () => {
      const missing = await raw(emulator, "GET", `${ws}?api-version=${API_VERSION}`);
      expect(missing.status).to.equal(401);
      expect(missing.headers["www-authenticate"]).to.match(/^Bearer /);
      const ml = await credential.getToken("https://ml.azure.com/.default");
      const wrongAudience = await raw(emulator, "GET", `${ws}?api-version=${API_VERSION}`, { authorization: `Bearer ${ml.token}` });
      expect(wrongAudience.status).to.equal(401);
      expect(JSON.parse(wrongAudience.body).error.code).to.equal("InvalidAuthenticationTokenAudience");
      expect(wrongAudience.body).to.not.contain(ml.token);
    });
  });

  describe("workspace and discovery", () => {
    it("serves the workspace with a discovery URL whose data-plane base points back at the emulator", async () => {
      const workspace = json(await arm.send("GET", ws)) as { properties: { discoveryUrl: string } };
      expect(workspace.properties.discoveryUrl).to.equal(`${emulator.url}/discovery`);
      const discovery = await raw(emulator, "GET", "/discovery");
      expect(JSON.parse(discovery.body).api).to.equal(emulator.url);
    });

    it("rejects a missing or unknown api-version the way ARM does", async () => {
      const token = (await credential.getToken("https://management.azure.com/.default")).token;
      const missing = await raw(emulator, "GET", `${ws}/jobs`, { authorization: `Bearer ${token}` });
      expect(missing.status).to.equal(400);
      expect(JSON.parse(missing.body).error.code).to.equal("MissingApiVersionParameter");
      const unknown = await raw(emulator, "GET", `${ws}/jobs?api-version=2099-01-01`, { authorization: `Bearer ${token}` });
      expect(JSON.parse(unknown.body).error.code).to.equal("InvalidApiVersionParameter");
    });
  });

  describe("job lifecycle", () => {
    it("moves a pipeline job from NotStarted through Queued and Running to Completed as the clock advances", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      const body = pipelineJobBody(emulator, componentId, [{ name: "prep" }, { name: "train", after: "prep" }]);
      const created = await arm.send("PUT", `${ws}/jobs/lifecycle_job_1`, { body, headers: await mlTokenHeader(credential) });
      expect(created.status).to.equal(201);
      expect(statusOf(created)).to.equal("NotStarted");
      const seen: string[] = [];
      for (let i = 0; i < 40 && !["Completed", "Failed", "Canceled"].includes(seen.at(-1) ?? ""); i++) {
        const status = statusOf(await arm.send("GET", `${ws}/jobs/lifecycle_job_1`));
        if (seen.at(-1) !== status) seen.push(status);
        emulator.advance(1000);
      }
      expect(seen).to.deep.equal(["NotStarted", "Queued", "Running", "Completed"]);
      expect(emulator.state.job("lifecycle_job_1")?.steps.map((s) => [s.node, s.status])).to.deep.equal([
        ["prep", "Completed"],
        ["train", "Completed"],
      ]);
    });

    it("refuses a pipeline job PUT without an x-azureml-token header", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      const response = await arm.send("PUT", `${ws}/jobs/no_ml_token`, { body: pipelineJobBody(emulator, componentId, [{ name: "a" }]) });
      expect(response.status).to.equal(401);
      expect(emulator.state.job("no_ml_token")).to.equal(undefined);
    });

    it("cancels a running job: 202 with a Location, CancelRequested, then Canceled", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      await arm.send("PUT", `${ws}/jobs/cancel_me`, { body: pipelineJobBody(emulator, componentId, [{ name: "long" }]), headers: await mlTokenHeader(credential) });
      emulator.advance(4000);
      expect(statusOf(await arm.send("GET", `${ws}/jobs/cancel_me`))).to.equal("Running");
      const cancel = await arm.send("POST", `${ws}/jobs/cancel_me/cancel`);
      expect(cancel.status).to.equal(202);
      const location = cancel.headers.get("location") ?? "";
      expect(location).to.match(/mfeOperationResults/);
      expect(statusOf(await arm.send("GET", `${ws}/jobs/cancel_me`))).to.equal("CancelRequested");
      expect((await arm.send("GET", location)).status).to.equal(202);
      emulator.advance(5000);
      expect(statusOf(await arm.send("GET", `${ws}/jobs/cancel_me`))).to.equal("Canceled");
      expect((await arm.send("GET", location)).status).to.equal(200);
      expect(emulator.state.job("cancel_me")?.steps[0]?.status).to.equal("Canceled");
    });

    it("treats a repeated PUT of the same job as an update, never as a second job", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      const body = pipelineJobBody(emulator, componentId, [{ name: "a" }]);
      const headers = await mlTokenHeader(credential);
      expect((await arm.send("PUT", `${ws}/jobs/twice`, { body, headers })).status).to.equal(201);
      expect((await arm.send("PUT", `${ws}/jobs/twice`, { body, headers })).status).to.equal(200);
      expect(emulator.state.jobs().filter((j) => j.name === "twice")).to.have.length(1);
      const changed = structuredClone(body) as { properties: { displayName: string } };
      changed.properties.displayName = "another name";
      const conflict = await arm.send("PUT", `${ws}/jobs/twice`, { body: changed, headers });
      expect(conflict.status).to.equal(400);
      expect(json(conflict)).to.have.nested.property("error.details[0].target", "properties.displayName");
    });
  });

  describe("request validation", () => {
    it("rejects a spec-invalid job body with a 400 carrying the spec's complaint, and records it", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      const body = pipelineJobBody(emulator, componentId, [{ name: "a" }]) as { properties: Record<string, unknown> };
      body.properties["inputs"] = { lr: { jobInputType: "literal", value: "" }, data: { jobInputType: "uri_folder", mode: "ReadonlyMount" } };
      const before = emulator.state.violations().length;
      const response = await arm.send("PUT", `${ws}/jobs/invalid_body`, { body, headers: await mlTokenHeader(credential) });
      expect(response.status).to.equal(400);
      const error = (json(response) as { error: { message: string; details: { code: string; target: string }[] } }).error;
      expect(error.message).to.contain("JobBaseResource via Jobs_CreateOrUpdate");
      expect(error.details.map((d) => `${d.code} ${d.target}`)).to.include.members([
        "MIN_LENGTH properties.inputs.lr.value",
        "OBJECT_MISSING_REQUIRED_PROPERTY properties.inputs.data",
        "ENUM_MISMATCH properties.inputs.data.mode",
      ]);
      const recorded = emulator.state.violations().slice(before);
      expect(recorded.map((r) => r.operationId)).to.deep.equal(["Jobs_CreateOrUpdate"]);
      expect(emulator.state.job("invalid_body")).to.equal(undefined);
    });

    it("rejects a body on an operation the spec declares without one", async () => {
      const response = await arm.send("POST", `${ws}/datastores/workspaceblobstore/listSecrets`, { body: { expirableSecret: true } });
      expect(response.status).to.equal(400);
      expect(json(response)).to.have.nested.property("error.details[0].code", "BODY_NOT_ALLOWED");
    });
  });

  describe("blob uploads", () => {
    it("hands out a container SAS through startPendingUpload that a real ContainerClient uploads through", async () => {
      const pending = json(await arm.send("POST", `${ws}/codes/upload-test/versions/1/startPendingUpload`, { body: { pendingUploadType: "TemporaryBlobReference" } })) as {
        blobReferenceForConsumption: { blobUri: string; credential: { credentialType: string; sasUri: string } };
      };
      expect(pending.blobReferenceForConsumption.credential.credentialType).to.equal("SAS");
      const container = new ContainerClient(pending.blobReferenceForConsumption.credential.sasUri, storagePipeline(emulator));
      await container.getBlockBlobClient("src/main.py").uploadData(Buffer.from("print('hello')\n"));
      // Small blocks force Put Block + Put Block List instead of a single Put Blob.
      await container.getBlockBlobClient("src/data.bin").uploadData(Buffer.alloc(5000, 1), { blockSize: 1024, maxSingleShotSize: 1024 });
      await container.getBlockBlobClient("src/main.py").setMetadata({ upload_status: "completed", name: "upload-test", version: "1" });
      const names: string[] = [];
      for await (const blob of container.listBlobsFlat({ prefix: "src/" })) names.push(blob.name);
      expect(names).to.deep.equal(["src/data.bin", "src/main.py"]);
      const props = await container.getBlockBlobClient("src/main.py").getProperties();
      expect(props.metadata).to.deep.equal({ upload_status: "completed", name: "upload-test", version: "1" });
      expect((await container.getBlockBlobClient("src/main.py").downloadToBuffer()).toString()).to.equal("print('hello')\n");
      const containerName = new URL(pending.blobReferenceForConsumption.blobUri).pathname.split("/")[2] ?? "";
      expect(emulator.state.blobs(containerName).find((b) => b.name === "src/data.bin")?.content.length).to.equal(5000);
    });

    it("refuses blob requests whose SAS was altered or issued for another container", async () => {
      const pending = json(await arm.send("POST", `${ws}/codes/sas-test/versions/1/startPendingUpload`, { body: { pendingUploadType: "TemporaryBlobReference" } })) as {
        blobReferenceForConsumption: { blobUri: string; credential: { sasUri: string } };
      };
      const sas = new URL(pending.blobReferenceForConsumption.credential.sasUri).search;
      const other = json(await arm.send("POST", `${ws}/codes/sas-test-2/versions/1/startPendingUpload`, { body: { pendingUploadType: "TemporaryBlobReference" } })) as {
        blobReferenceForConsumption: { blobUri: string };
      };
      const elsewhere = new URL(`${other.blobReferenceForConsumption.blobUri}/x.txt${sas}`);
      const response = await raw(emulator, "PUT", `${elsewhere.pathname}${elsewhere.search}`, { "x-ms-blob-type": "BlockBlob" }, "x");
      expect(response.status).to.equal(403);
      expect(response.headers["x-ms-error-code"]).to.equal("AuthenticationFailed");
      const sig = new URLSearchParams(sas).get("sig") ?? "";
      expect(response.body).to.not.contain(sig);
    });
  });

  describe("fault injection", () => {
    afterEach(() => emulator.setFaults(undefined));

    it("throttles with 429 and Retry-After, which core-rest-pipeline's retry policy honours", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      await arm.send("PUT", `${ws}/jobs/throttled`, { body: pipelineJobBody(emulator, componentId, [{ name: "a" }]), headers: await mlTokenHeader(credential) });
      emulator.setFaults({ script: [{ match: { operationId: "Jobs_Get" }, fault: { kind: "throttle", retryAfterMs: 20 }, times: 2 }] });
      const start = emulator.state.requests.length;
      const response = await arm.send("GET", `${ws}/jobs/throttled`);
      expect(response.status).to.equal(200);
      const gets = emulator.state.requests.slice(start).filter((r) => r.operationId === "Jobs_Get");
      expect(gets.map((r) => [r.status, r.fault])).to.deep.equal([
        [429, "throttle"],
        [429, "throttle"],
        [200, undefined],
      ]);
    });

    it("resets the connection after a job PUT took effect, and the retried PUT finds the job instead of creating another", async () => {
      const { componentId } = await registerComponent(arm, emulator, "1");
      emulator.setFaults({ script: [{ match: { operationId: "Jobs_CreateOrUpdate" }, fault: { kind: "reset", after: true } }] });
      const response = await arm.send("PUT", `${ws}/jobs/reset_after`, { body: pipelineJobBody(emulator, componentId, [{ name: "a" }]), headers: await mlTokenHeader(credential) });
      expect(response.status).to.equal(200);
      const puts = emulator.state.requests.filter((r) => r.operationId === "Jobs_CreateOrUpdate" && r.path.endsWith("/reset_after"));
      expect(puts.map((r) => r.status)).to.deep.equal([0, 200]);
      expect(emulator.state.jobs().filter((j) => j.name === "reset_after")).to.have.length(1);
    });

    it("answers a delayed request normally, and records the delay", async () => {
      emulator.setFaults({ script: [{ match: { operationId: "Compute_Get" }, fault: { kind: "delay", ms: 30 } }] });
      const start = emulator.state.requests.length;
      expect((await arm.send("GET", `${ws}/computes/cpu-cluster`)).status).to.equal(200);
      expect(emulator.state.requests.slice(start).map((r) => [r.operationId, r.status, r.fault])).to.deep.equal([["Compute_Get", 200, "delay"]]);
    });

    it("answers 503 with Retry-After and 500 without, and the retry policy gets through both", async () => {
      emulator.setFaults({
        script: [
          { match: { operationId: "Compute_Get" }, fault: { kind: "unavailable", retryAfterMs: 5 } },
          { match: { operationId: "Compute_Get" }, fault: { kind: "server-error" } },
        ],
      });
      const start = emulator.state.requests.length;
      expect((await arm.send("GET", `${ws}/computes/cpu-cluster`)).status).to.equal(200);
      expect(emulator.state.requests.slice(start).map((r) => r.status)).to.deep.equal([503, 500, 200]);
    });

    it("faults requests at a seeded rate, choosing the same requests for the same seed", async () => {
      const pattern = async (): Promise<string[]> => {
        emulator.setFaults({ rate: 0.4, seed: 7, kinds: [{ kind: "throttle", retryAfterMs: 5 }, { kind: "unavailable", retryAfterMs: 5 }, { kind: "reset" }] });
        const start = emulator.state.requests.length;
        for (let i = 0; i < 8; i++) expect((await arm.send("GET", `${ws}/computes/cpu-cluster`)).status).to.equal(200);
        return emulator.state.requests.slice(start).filter((r) => r.scope === "arm").map((r) => r.fault ?? "ok");
      };
      const first = await pattern();
      const second = await pattern();
      expect(first).to.deep.equal(second);
      expect(first.filter((f) => f !== "ok")).to.not.have.length(0);
      expect(first.filter((f) => f === "ok")).to.have.length(8);
    });
  });

  describe("secrets", () => {
    it("keeps bearer tokens and SAS signatures out of the request log and of error bodies", async () => {
      const token = (await credential.getToken("https://management.azure.com/.default")).token;
      const log = JSON.stringify(emulator.state.requests);
      expect(log).to.not.contain(token);
      expect(log).to.not.match(/sig=(?!REDACTED)[A-Za-z0-9%]/);
      const bad = await raw(emulator, "GET", `${ws}?api-version=${API_VERSION}`, { authorization: `Bearer ${token}x` });
      expect(bad.status).to.equal(401);
      expect(bad.body).to.not.contain(token);
    });
  });
});
