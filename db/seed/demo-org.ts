// Demo territory: 2 companies, 12 areas named after real Philippine regions, 150 branches.
import type { Client } from '@libsql/client';
import { createRandom } from './prng';
import { insertStatements, runBatch } from './sql-batch';

type City = readonly [prefix: string, city: string, province: string];

interface AreaSeed {
  company: 'FCASH' | 'PCNI';
  code: string;
  name: string;
  branchCount: number;
  cities: readonly City[];
}

const metro = (prefix: string, city: string): City => [prefix, city, 'Metro Manila'];

export const DEMO_AREAS: readonly AreaSeed[] = [
  {
    company: 'FCASH',
    code: 'NCR',
    name: 'National Capital Region',
    branchCount: 20,
    cities: [
      metro('MNLA', 'Manila'),
      metro('QZN', 'Quezon City'),
      metro('MKTI', 'Makati'),
      metro('PSG', 'Pasig'),
      metro('CLC', 'Caloocan'),
      metro('TGG', 'Taguig'),
      metro('PRQ', 'Parañaque'),
      metro('LPC', 'Las Piñas'),
      metro('MRK', 'Marikina'),
      metro('VLZ', 'Valenzuela'),
    ],
  },
  {
    company: 'FCASH',
    code: 'R3',
    name: 'Central Luzon',
    branchCount: 14,
    cities: [
      ['SFP', 'San Fernando', 'Pampanga'],
      ['ANG', 'Angeles', 'Pampanga'],
      ['OLO', 'Olongapo', 'Zambales'],
      ['MLS', 'Malolos', 'Bulacan'],
      ['CBN', 'Cabanatuan', 'Nueva Ecija'],
      ['TRL', 'Tarlac City', 'Tarlac'],
      ['BLG', 'Balanga', 'Bataan'],
    ],
  },
  {
    company: 'FCASH',
    code: 'R4A',
    name: 'CALABARZON',
    branchCount: 14,
    cities: [
      ['ANTP', 'Antipolo', 'Rizal'],
      ['CLB', 'Calamba', 'Laguna'],
      ['BTG', 'Batangas City', 'Batangas'],
      ['LCN', 'Lucena', 'Quezon'],
      ['DSM', 'Dasmariñas', 'Cavite'],
      ['SPB', 'San Pablo', 'Laguna'],
      ['LPA', 'Lipa', 'Batangas'],
    ],
  },
  {
    company: 'FCASH',
    code: 'R6',
    name: 'Western Visayas',
    branchCount: 10,
    cities: [
      ['ILO', 'Iloilo City', 'Iloilo'],
      ['BCD', 'Bacolod', 'Negros Occidental'],
      ['RXS', 'Roxas', 'Capiz'],
      ['KLB', 'Kalibo', 'Aklan'],
      ['SLY', 'Silay', 'Negros Occidental'],
    ],
  },
  {
    company: 'FCASH',
    code: 'R7',
    name: 'Central Visayas',
    branchCount: 12,
    cities: [
      ['CEBU', 'Cebu City', 'Cebu'],
      ['MDE', 'Mandaue', 'Cebu'],
      ['LLC', 'Lapu-Lapu', 'Cebu'],
      ['TAG', 'Tagbilaran', 'Bohol'],
      ['DGT', 'Dumaguete', 'Negros Oriental'],
      ['TLD', 'Toledo', 'Cebu'],
    ],
  },
  {
    company: 'FCASH',
    code: 'R10',
    name: 'Northern Mindanao',
    branchCount: 8,
    cities: [
      ['CDO', 'Cagayan de Oro', 'Misamis Oriental'],
      ['ILG', 'Iligan', 'Lanao del Norte'],
      ['VLC', 'Valencia', 'Bukidnon'],
      ['MLY', 'Malaybalay', 'Bukidnon'],
    ],
  },
  {
    company: 'FCASH',
    code: 'R11',
    name: 'Davao Region',
    branchCount: 10,
    cities: [
      ['DVO', 'Davao City', 'Davao del Sur'],
      ['TGM', 'Tagum', 'Davao del Norte'],
      ['PNB', 'Panabo', 'Davao del Norte'],
      ['DGS', 'Digos', 'Davao del Sur'],
      ['MTI', 'Mati', 'Davao Oriental'],
    ],
  },
  {
    company: 'PCNI',
    code: 'NCR',
    name: 'National Capital Region',
    branchCount: 16,
    cities: [
      metro('MNLA', 'Manila'),
      metro('QZN', 'Quezon City'),
      metro('CLC', 'Caloocan'),
      metro('PSY', 'Pasay'),
      metro('MDL', 'Mandaluyong'),
      metro('SJN', 'San Juan'),
      metro('MLB', 'Malabon'),
      metro('NVT', 'Navotas'),
    ],
  },
  {
    company: 'PCNI',
    code: 'R1',
    name: 'Ilocos Region',
    branchCount: 12,
    cities: [
      ['SFLU', 'San Fernando', 'La Union'],
      ['LAO', 'Laoag', 'Ilocos Norte'],
      ['VGN', 'Vigan', 'Ilocos Sur'],
      ['DGP', 'Dagupan', 'Pangasinan'],
      ['ALM', 'Alaminos', 'Pangasinan'],
      ['URD', 'Urdaneta', 'Pangasinan'],
    ],
  },
  {
    company: 'PCNI',
    code: 'R5',
    name: 'Bicol Region',
    branchCount: 12,
    cities: [
      ['LGZ', 'Legazpi', 'Albay'],
      ['NGA', 'Naga', 'Camarines Sur'],
      ['SRS', 'Sorsogon City', 'Sorsogon'],
      ['IRG', 'Iriga', 'Camarines Sur'],
      ['MSB', 'Masbate City', 'Masbate'],
      ['DAE', 'Daet', 'Camarines Norte'],
    ],
  },
  {
    company: 'PCNI',
    code: 'R8',
    name: 'Eastern Visayas',
    branchCount: 10,
    cities: [
      ['TAC', 'Tacloban', 'Leyte'],
      ['ORM', 'Ormoc', 'Leyte'],
      ['CTB', 'Catbalogan', 'Samar'],
      ['CLY', 'Calbayog', 'Samar'],
      ['MSN', 'Maasin', 'Southern Leyte'],
    ],
  },
  {
    company: 'PCNI',
    code: 'R12',
    name: 'SOCCSKSARGEN',
    branchCount: 12,
    cities: [
      ['GSC', 'General Santos', 'South Cotabato'],
      ['KRN', 'Koronadal', 'South Cotabato'],
      ['KDP', 'Kidapawan', 'Cotabato'],
      ['TCR', 'Tacurong', 'Sultan Kudarat'],
      ['COT', 'Cotabato City', 'Maguindanao'],
      ['PLM', 'Polomolok', 'South Cotabato'],
    ],
  },
];

/** A branch that sits on an area border is listed under a second area too (is_primary = 0). */
export const DEMO_SECONDARY_AREA_LINKS = [{ branch: 'ANTP01', company: 'FCASH', area: 'NCR' }] as const;

export interface DemoBranch {
  company: 'FCASH' | 'PCNI';
  area: string;
  code: string;
  name: string;
  location: string;
  category: 'main' | 'satellite';
}

/** Branch list, deterministic: cities round-robin within an area; numbers count per city prefix across companies. */
export function demoBranches(): DemoBranch[] {
  const counters = new Map<string, number>();
  const result: DemoBranch[] = [];
  for (const area of DEMO_AREAS) {
    for (let i = 0; i < area.branchCount; i++) {
      const [prefix, city, province] = area.cities[i % area.cities.length];
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      const nn = String(n).padStart(2, '0');
      result.push({
        company: area.company,
        area: area.code,
        code: `${prefix}${nn}`,
        name: `${city} ${nn}`,
        location: `${city}, ${province}`,
        category: i < area.cities.length ? 'main' : 'satellite',
      });
    }
  }
  return result;
}

export async function seedDemoOrg(client: Client): Promise<{ areas: number; branches: number; contacts: number }> {
  const companyId = await idsByCode(client, 'SELECT id, code FROM companies');
  const branches = demoBranches();
  await runBatch(client, [
    ...insertStatements(
      'areas',
      ['company_id', 'code', 'name'],
      DEMO_AREAS.map((a) => [companyId.get(a.company), a.code, a.name]),
    ),
    ...insertStatements(
      'branches',
      ['company_id', 'code', 'name', 'location', 'category'],
      branches.map((b) => [companyId.get(b.company), b.code, b.name, b.location, b.category]),
    ),
  ]);
  const areaId = await idsByCode(client, "SELECT a.id, c.code || '/' || a.code AS code FROM areas a JOIN companies c ON c.id = a.company_id");
  const branchId = await idsByCode(client, 'SELECT id, code FROM branches');

  const links = branches.map((b) => [areaId.get(`${b.company}/${b.area}`), branchId.get(b.code), 1]);
  for (const l of DEMO_SECONDARY_AREA_LINKS) links.push([areaId.get(`${l.company}/${l.area}`), branchId.get(l.branch), 0]);

  const random = createRandom('demo-org');
  const contacts: unknown[][] = [];
  for (const b of branches) {
    const phone = b.location.endsWith('Metro Manila')
      ? `(02) 8${random.digits(3)}-${random.digits(4)}`
      : `09${random.pick(['17', '18', '19', '20', '27', '28', '55', '66', '77', '98'])}${random.digits(7)}`;
    contacts.push([branchId.get(b.code), 'phone', phone, 'Branch line', 1]);
    if (random.chance(0.6)) {
      contacts.push([branchId.get(b.code), 'email', `${b.code.toLowerCase()}@${b.company.toLowerCase()}.demo.test`, 'Branch email', 0]);
    }
  }
  await runBatch(client, [
    ...insertStatements('area_branches', ['area_id', 'branch_id', 'is_primary'], links),
    ...insertStatements('branch_contacts', ['branch_id', 'contact_type', 'value', 'label', 'is_primary'], contacts),
  ]);
  return { areas: DEMO_AREAS.length, branches: branches.length, contacts: contacts.length };
}

export async function idsByCode(client: Client, sql: string): Promise<Map<string, number>> {
  const rows = (await client.execute(sql)).rows;
  return new Map(rows.map((r) => [String(r.code), Number(r.id)]));
}
