import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { openApiDocument } from "@/lib/dataplane/openapi";

export const metadata: Metadata = { title: "Agent API" };

interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: { $ref: string } }> }>;
}

const refName = (ref?: string) => ref?.split("/").pop();

export default function ApiDocsPage() {
  const doc = openApiDocument() as {
    info: { version: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  return (
    <>
      <PageHeader
        title="Agent API"
        description={
          <>
            The data plane agents call before every tool call, version {doc.info.version}. {doc.info.description}{" "}
            <a className="text-sky-700 underline dark:text-sky-400" href="/api/v1/openapi.json">OpenAPI 3.1 document</a>
          </>
        }
      />
      <div className="space-y-4">
        {Object.entries(doc.paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => {
            const body = refName(op.requestBody?.content["application/json"]?.schema.$ref);
            return (
              <Card key={`${method} ${path}`} title={<span className="font-mono"><span className="mr-2 rounded bg-slate-900 px-1.5 py-0.5 text-xs text-white uppercase dark:bg-slate-100 dark:text-slate-900">{method}</span>{path}</span>}>
                <p className="mb-3 text-sm">{op.summary}</p>
                {op.parameters && (
                  <p className="mb-2 text-sm">
                    Query: {op.parameters.map((p) => <code key={p.name} className="mr-2 font-mono">{p.name}{p.required ? "" : "?"}</code>)}
                  </p>
                )}
                <div className="grid gap-4 md:grid-cols-2">
                  {body && (
                    <div>
                      <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Request body · {body}</h3>
                      <pre className="max-h-80 overflow-auto rounded bg-slate-50 p-3 text-xs dark:bg-slate-950">{JSON.stringify(doc.components.schemas[body], null, 2)}</pre>
                    </div>
                  )}
                  <div>
                    <h3 className="mb-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Responses</h3>
                    <ul className="space-y-1 text-sm">
                      {Object.entries(op.responses).map(([status, r]) => (
                        <li key={status}><code className="font-mono font-semibold">{status}</code> {r.description}{r.content ? ` · ${refName(r.content["application/json"]?.schema.$ref)}` : ""}</li>
                      ))}
                    </ul>
                  </div>
                </div>
              </Card>
            );
          }),
        )}
      </div>
    </>
  );
}
