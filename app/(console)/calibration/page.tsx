import type { Metadata } from "next";
import { CalibrationView } from "@/components/calibration/calibration-view";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Calibration" };

export default function CalibrationPage() {
  return (
    <>
      <PageHeader title="Calibration" description="Outcomes written back to the runtime memory: how well predicted blast radius matched what actions actually touched, and how often advisory verdicts matched what humans decided. Calibrate before promoting an agent." />
      <CalibrationView />
    </>
  );
}
