import type { Metadata } from "next";
import { PolicySubnav } from "@/components/policy/bits";
import { ChangeSetList } from "@/components/policy/change-set-list";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Change sets" };

export default function ChangeSetsPage() {
  return (
    <>
      <PageHeader title="Change sets" description="Proposed policy changes: drafts, those waiting for reviewer approval, and those applied or closed." />
      <PolicySubnav current="changesets" />
      <ChangeSetList />
    </>
  );
}
