import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import {
  DAY_REPORT_COLUMNS,
  DayQuerySchema,
  DayReportAnswerSchema,
  DeviationQuerySchema,
  DeviationReportSchema,
  SUMMARY_COLUMNS,
  SummaryAnswerSchema,
  SummaryQuerySchema,
  summaryRows,
  tableOf,
} from '../../../../contract/index.js'
import { toCsv } from '../../../http/csv.js'
import { reachOf } from '../../../http/plugins/auth.js'

function sendCsv(reply: FastifyReply, name: string, body: string): string {
  reply.type('text/csv; charset=utf-8')
  reply.header('content-disposition', `attachment; filename="${name}"`)
  return body
}

/** Proof-of-play reports, as JSON or as CSV (`format=csv`, Chinese headers unless `lang=en`). */
export async function reportsRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>()
  const { reports } = app.deps.services

  app.get(
    '/day',
    {
      schema: {
        querystring: DayQuerySchema,
        response: { 200: DayReportAnswerSchema },
      },
    },
    async (req, reply) => {
      // A user limited to zones: only their nodes and zones (the CSV too).
      const report = reports.day(req.query.date, reachOf(req))
      if (req.query.format !== 'csv') return report
      const rows = report.nodes.map((n) => ({ ...n, date: report.date }))
      const t = tableOf(DAY_REPORT_COLUMNS, rows, req.query.lang ?? 'zh')
      return sendCsv(reply, `chorus-day-${report.date}.csv`, toCsv(t.header, t.rows))
    },
  )

  app.get(
    '/deviation',
    {
      schema: { querystring: DeviationQuerySchema, response: { 200: DeviationReportSchema } },
    },
    async (req) => reports.deviation(req.query.date ?? reports.today(), reachOf(req)),
  )

  app.get(
    '/summary',
    {
      schema: {
        querystring: SummaryQuerySchema,
        response: { 200: SummaryAnswerSchema },
      },
    },
    async (req, reply) => {
      // A user limited to zones: the figures of their nodes (the CSV too).
      const s = reports.summary(req.query.from, req.query.to, reachOf(req))
      if (req.query.format !== 'csv') return s
      // Each date, then the averages per speaker under their own headers.
      const t = tableOf(SUMMARY_COLUMNS, summaryRows(s), req.query.lang ?? 'zh')
      const name = `chorus-summary-${s.from}-${s.to}.csv`
      return sendCsv(reply, name, toCsv(t.header, t.rows))
    },
  )
}
