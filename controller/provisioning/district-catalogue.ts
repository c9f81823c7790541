/**
 * The administrative divisions a fresh install offers (issue 11), in the codes of the National
 * Bureau of Statistics' 统计用区划代码 (GB/T 2260 for the first six digits): district or county
 * 6 digits, street or town (街道/镇/乡) 9. Bundled for Xining and Haidong (Qinghai), where Chorus
 * is deployed first; another district is entered by code and name on the first-start page, and
 * any tree can be imported as CSV (`code,name`), e.g. cut from the Bureau's published tables.
 * Codes are checked against the 2023 tables; the zones page edits them where they change.
 */

/** One division and the divisions under it. */
export interface Division {
  code: string
  name: string
  children?: Division[]
}

const town = (code: string, name: string): Division => ({ code, name })

/** Province → city → district/county → street/town. */
export const DISTRICT_CATALOGUE: readonly Division[] = [
  {
    code: '630000',
    name: '青海省',
    children: [
      {
        code: '630100',
        name: '西宁市',
        children: [
          {
            code: '630102',
            name: '城东区',
            children: [
              town('630102001', '东关大街街道'),
              town('630102002', '清真巷街道'),
              town('630102003', '大众街街道'),
              town('630102004', '周家泉街道'),
              town('630102005', '火车站街道'),
              town('630102006', '八一路街道'),
              town('630102007', '林家崖街道'),
              town('630102100', '韵家口镇'),
            ],
          },
          {
            code: '630103',
            name: '城中区',
            children: [
              town('630103001', '人民街街道'),
              town('630103002', '南滩街道'),
              town('630103003', '仓门街街道'),
              town('630103004', '礼让街街道'),
              town('630103005', '饮马街街道'),
              town('630103006', '南川东路街道'),
              town('630103007', '南川西路街道'),
              town('630103100', '总寨镇'),
            ],
          },
          {
            code: '630104',
            name: '城西区',
            children: [
              town('630104001', '西关大街街道'),
              town('630104002', '古城台街道'),
              town('630104003', '虎台街道'),
              town('630104004', '胜利路街道'),
              town('630104005', '兴海路街道'),
              town('630104006', '文汇路街道'),
              town('630104007', '通海路街道'),
              town('630104100', '彭家寨镇'),
            ],
          },
          {
            code: '630105',
            name: '城北区',
            children: [
              town('630105001', '朝阳街道'),
              town('630105002', '小桥大街街道'),
              town('630105003', '马坊街道'),
              town('630105004', '火车西站街道'),
              town('630105100', '大堡子镇'),
              town('630105101', '二十里铺镇'),
            ],
          },
          { code: '630106', name: '湟中区' },
          { code: '630121', name: '大通回族土族自治县' },
          { code: '630123', name: '湟源县' },
        ],
      },
      {
        code: '630200',
        name: '海东市',
        children: [
          { code: '630202', name: '乐都区' },
          { code: '630203', name: '平安区' },
          { code: '630222', name: '民和回族土族自治县' },
          { code: '630223', name: '互助土族自治县' },
          { code: '630224', name: '化隆回族自治县' },
          { code: '630225', name: '循化撒拉族自治县' },
        ],
      },
    ],
  },
]

/** The division with this code, searched through the catalogue. */
export function findDivision(
  code: string,
  list: readonly Division[] = DISTRICT_CATALOGUE,
): Division | undefined {
  for (const d of list) {
    if (d.code === code) return d
    const inner: Division | undefined = d.children ? findDivision(code, d.children) : undefined
    if (inner) return inner
  }
  return undefined
}

/** Expected code length by depth below a district: 6, then 9, then 12. */
export function codeShapeProblem(code: string, parentCode: string | null): string | null {
  if (!/^\d{6}(\d{3}){0,2}$/.test(code)) return 'a code has 6, 9 or 12 digits'
  if (parentCode !== null && /^\d+$/.test(parentCode)) {
    if (!code.startsWith(parentCode) || code.length <= parentCode.length) {
      return `a code under ${parentCode} starts with it and is longer`
    }
  }
  return null
}
