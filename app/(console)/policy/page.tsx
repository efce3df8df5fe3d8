import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Policy" };

export default function PolicyPage() {
  return (
    <>
      <PageHeader title="Policy" description="Policy versions and change sets" />
      <EmptyState title="No policy version is published yet">Editors will write change sets against the versioned policy document here; every applied change set becomes a new immutable version.</EmptyState>
    </>
  );
}
