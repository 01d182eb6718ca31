import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Therapy Revenue",
  description: "KX thresholds, undercoding and underpayments for outpatient therapy practices",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
