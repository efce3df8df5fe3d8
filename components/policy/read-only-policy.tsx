import { Card } from "@/components/ui/card";
import { Notice } from "@/components/policy/bits";
import { KeyValueView } from "@/components/policy/key-value-view";
import { PolicyView } from "@/components/policy/policy-view";
import type { PolicyDocument } from "@/lib/policy/document";
import type { Json } from "@/lib/policy/keypath";

/** What a role without policy.write sees: the live policy, with no edit controls. */
export function ReadOnlyPolicy({ doc }: { doc: PolicyDocument }) {
  return (
    <div className="space-y-4">
      <Notice tone="info" testId="policy-read-only">You can read the policy. Changing it needs the <code className="font-mono">policy.write</code> permission, which editors and admins hold.</Notice>
      <PolicyView doc={doc} />
      <Card title="Every key">
        <KeyValueView doc={doc as unknown as Json} />
      </Card>
    </div>
  );
}
