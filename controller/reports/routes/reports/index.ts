import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { toCsv } from '../../../http/csv.js'
import { reasonsText } from './reasons.js'
import {
  DayQuerySchema,
  DayReportSchema,
  DeviationQuerySchema,
  DeviationReportSchema,
  SummaryQuerySchema,
  SummarySchema,
} from './schemas.js'

const HEADERS = {
  day: {
    zh: [
      '日期',
      '节点ID',
      '节点名称',
      '区域',
      '测试节点',
      '计划',
      '已播',
      '补播',
      '无声',
      '被打断',
      '失败',
      '未播',
      '待播',
      '原因',
    ],
    en: [
      'date',
      'nodeId',
      'name',
      'zone',
      'test',
      'scheduled',
      'played',
      'madeGood',
      'silent',
      'interrupted',
      'failed',
      'missed',
      'pending',
      'reasons',
    ],
  },
  summary: {
    zh: [
      '日期',
      '日类型',
      '喇叭数',
      '计划',
      '已播',
      '补播',
      '无声',
      '被打断',
      '失败',
      '未播',
      '待播',
      '每喇叭已播',
    ],
    en: [
      'date',
      'dayType',
      'speakers',
      'scheduled',
      'played',
      'madeGood',
      'silent',
      'interrupted',
      'failed',
      'missed',
      'pending',
      'playedPerSpeaker',
    ],
  },
}

const DAY_TYPE = {
  zh: { working: '工作日', rest: '休息日' },
  en: { working: 'working', rest: 'rest' },
}
const AVERAGE = {
  zh: { working: '工作日平均', rest: '休息日平均' },
  en: { working: 'working-day average', rest: 'rest-day average' },
}

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
        response: { 200: Type.Union([DayReportSchema, Type.String()]) },
      },
    },
    async (req, reply) => {
      const report = reports.day(req.query.date)
      if (req.query.format !== 'csv') return report
      const lang = req.query.lang ?? 'zh'
      const rows = report.nodes.map((n) => [
        report.date,
        n.nodeId,
        n.name,
        n.zoneName,
        n.isTest,
        n.scheduled,
        n.played,
        n.madeGood,
        n.silent,
        n.interrupted,
        n.failed,
        n.missed,
        n.pending,
        reasonsText(n.reasons, lang),
      ])
      return sendCsv(reply, `chorus-day-${report.date}.csv`, toCsv(HEADERS.day[lang], rows))
    },
  )

  app.get(
    '/deviation',
    {
      schema: { querystring: DeviationQuerySchema, response: { 200: DeviationReportSchema } },
    },
    async (req) => reports.deviation(req.query.date ?? reports.today()),
  )

  app.get(
    '/summary',
    {
      schema: {
        querystring: SummaryQuerySchema,
        response: { 200: Type.Union([SummarySchema, Type.String()]) },
      },
    },
    async (req, reply) => {
      const s = reports.summary(req.query.from, req.query.to)
      if (req.query.format !== 'csv') return s
      const lang = req.query.lang ?? 'zh'
      const rows: (string | number)[][] = s.days.map((d) => [
        d.date,
        DAY_TYPE[lang][d.dayType],
        d.speakers,
        d.scheduled,
        d.played,
        d.madeGood,
        d.silent,
        d.interrupted,
        d.failed,
        d.missed,
        d.pending,
        d.playedPerSpeaker,
      ])
      for (const type of ['working', 'rest'] as const) {
        const f = s[type]
        rows.push([
          AVERAGE[lang][type],
          DAY_TYPE[lang][type],
          f.speakerDays,
          f.avgScheduledPerSpeaker,
          f.avgPlayedPerSpeaker,
        ])
      }
      const name = `chorus-summary-${s.from}-${s.to}.csv`
      return sendCsv(reply, name, toCsv(HEADERS.summary[lang], rows))
    },
  )
}
