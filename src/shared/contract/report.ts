/**
 * The contract for the infrastructure audit report: inventory, routing map and findings, generated
 * from live data in one call. Assembled into ../contract.ts; documented in docs/api.md ("Audit report").
 */
import { z } from 'zod'

export const ReportFormatSchema = z.enum(['markdown', 'html'])

export const reportMethods = {
  /**
   * The audit of what Dropdeck can see now (droplets, DNS, firewalls, connected hosts' facts, containers,
   * units, checks). `html` is a standalone printable page.
   */
  'report.generate': {
    params: z.object({ format: ReportFormatSchema }).strict(),
    result: z.object({ content: z.string(), generatedAt: z.string() })
  }
} as const
