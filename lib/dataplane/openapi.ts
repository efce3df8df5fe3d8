import { z } from "zod";
import { DecideRequest, DecideResponse, ErrorResponse, GenerationResponse, OutcomeRequest, OutcomeResponse, SchemaStateRequest, SchemaStateResponse, ToolsResponse } from "@/lib/dataplane/schemas";
import { VERSION } from "@/lib/version";

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string) => ({ "application/json": { schema: ref(id) } });
const errors = {
  "400": { description: "Invalid input; the message names the field and the rule", content: json("Error") },
  "401": { description: "Missing, unknown, revoked or expired token", content: json("Error") },
  "403": { description: "The token may not act for this agent", content: json("Error") },
};

let cached: object | undefined;

/** OpenAPI 3.1 for the agent endpoints, built from the zod schemas the handlers parse with. */
export function openApiDocument(): object {
  if (cached) return cached;
  const schemas = Object.fromEntries(
    [DecideRequest, DecideResponse, ToolsResponse, GenerationResponse, OutcomeRequest, OutcomeResponse, SchemaStateRequest, SchemaStateResponse, ErrorResponse].map((s) => {
      const id = (s.meta() as { id: string }).id;
      const { $schema: _drop, ...schema } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
      return [id, schema];
    }),
  );
  cached = {
    openapi: "3.1.0",
    info: { title: "Governor data plane", version: VERSION, description: "Ask before every tool call. Every endpoint but this one needs an agent token: `Authorization: Bearer gov_agent_…`." },
    components: { schemas, securitySchemes: { agentToken: { type: "http", scheme: "bearer" } } },
    security: [{ agentToken: [] }],
    paths: {
      "/api/v1/decide": { post: { summary: "Decide one tool call", requestBody: { required: true, content: json("DecideRequest") }, responses: { "200": { description: "The decision", content: json("DecideResponse") }, ...errors } } },
      "/api/v1/tools": {
        get: {
          summary: "Tools this agent may see for a tenant",
          parameters: [{ name: "tenant", in: "query", required: true, schema: { type: "string" } }, { name: "session", in: "query", required: false, schema: { type: "string" } }],
          responses: { "200": { description: "Visible tools", content: json("ToolsResponse") }, ...errors },
        },
      },
      "/api/v1/policy/generation": { get: { summary: "Current generation and policy version", responses: { "200": { description: "Generation", content: json("GenerationResponse") }, ...errors } } },
      "/api/v1/policy/snapshot": { get: { summary: "The policy document and runtime overlay the SDK compiles locally", responses: { "200": { description: "Snapshot source" }, ...errors } } },
      "/api/v1/policy/stream": { get: { summary: "Server-Sent Events: `generation` on every change, `heartbeat` every 15 s", responses: { "200": { description: "text/event-stream" }, ...errors } } },
      "/api/v1/outcomes": { post: { summary: "Report what happened after a decision", requestBody: { required: true, content: json("OutcomeRequest") }, responses: { "200": { description: "Recorded", content: json("OutcomeResponse") }, ...errors } } },
      "/api/v1/schema-state": { post: { summary: "Report the schema this agent observes in one database (schema-drift detection)", requestBody: { required: true, content: json("SchemaStateRequest") }, responses: { "200": { description: "Recorded", content: json("SchemaStateResponse") }, ...errors } } },
    },
  };
  return cached;
}
