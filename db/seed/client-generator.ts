// Pure synthetic client generator: realistic Filipino pensioners, deterministic for a given PRNG.
import { PAR_STATUSES, PRODUCTS, TELE_STATUSES } from './lookups';
import { FEMALE_FIRST_NAMES, MALE_FIRST_NAMES, SURNAMES, SUFFIXES } from './names';
import type { Random } from './prng';

export type CompanyCode = 'FCASH' | 'PCNI';
type ProductSeed = (typeof PRODUCTS)[number];
export type ParCode = (typeof PAR_STATUSES)[number]['code'];

export interface GeneratedClient {
  clientCode: string;
  fullName: string;
  firstName: string;
  lastName: string;
  pensionNumber: string;
  birthDate: string;
  contactNumber: string | null;
  contactNumberAlt: string | null;
  company: CompanyCode;
  product: ProductSeed['code'];
  pensionType: ProductSeed['pensionType'];
  pensionerType: 'DEPENDENT' | 'DISABILITY' | 'RETIREE' | 'ITF';
  accountType: 'PASSBOOK' | 'ATM' | 'BOTH' | 'NONE';
  par: ParCode;
  branchCode: string;
  pastDueCentavos: number;
  loanStatus: string;
  isActive: boolean;
  customerIdNb: string | null;
  teleStatus: string | null;
  updateStatus: string | null;
  pointer: 'current' | 'touched_status' | 'touched_month' | null;
  monthToUpdate: string | null;
}

const PRODUCT_MIX: readonly (readonly [ProductSeed, number])[] = [
  [PRODUCTS[0], 33], // FCASH_SSS
  [PRODUCTS[1], 17], // FCASH_GSIS
  [PRODUCTS[2], 8], // FCASH_PVAO
  [PRODUCTS[3], 24], // PCNI_NON_PNP
  [PRODUCTS[4], 18], // PCNI_PNP (quarterly)
];

/** Mostly current accounts, some 30+ days, a few 60+ days (not tracked). */
const PAR_MIX = [
  ['do_not_show', 85],
  ['tele_130', 11],
  ['tele_hardcore', 4],
] as const;

const PENSIONER_MIX = [
  ['RETIREE', 60],
  ['DEPENDENT', 25],
  ['DISABILITY', 10],
  ['ITF', 5],
] as const;
const ACCOUNT_MIX = [
  ['ATM', 55],
  ['PASSBOOK', 30],
  ['BOTH', 10],
  ['NONE', 5],
] as const;

/** Real Philippine mobile prefixes (Globe, Smart, DITO). */
const MOBILE_PREFIXES = [
  '0905',
  '0906',
  '0915',
  '0916',
  '0917',
  '0918',
  '0919',
  '0920',
  '0921',
  '0927',
  '0928',
  '0929',
  '0935',
  '0936',
  '0945',
  '0947',
  '0955',
  '0956',
  '0961',
  '0966',
  '0977',
  '0991',
  '0995',
  '0998',
  '0999',
];

export function mobileNumber(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + random.digits(7);
}

/** Pension/claim number in the issuing agency's format. */
export function pensionNumber(random: Random, pensionType: string): string {
  switch (pensionType) {
    case 'SSS':
      return `${String(random.int(1, 34)).padStart(2, '0')}-${random.digits(7)}-${random.digits(1)}`;
    case 'GSIS':
      return `BP${random.int(1, 2)}${random.digits(9)}`; // GSIS Business Partner number
    case 'PVAO':
      return `PVAO-${random.int(1990, 2022)}-${random.digits(6)}`;
    case 'PNP':
      return random.chance(0.2) ? `PNP-O-${random.digits(5)}` : `PNP-${random.digits(6)}`;
    default: // NON_PNP: other government pensioners, SSS or GSIS numbers
      return pensionNumber(random, random.chance(0.5) ? 'SSS' : 'GSIS');
  }
}

function birthDate(random: Random, today: string, pensionerType: GeneratedClient['pensionerType']): string {
  const [minAge, maxAge] = { RETIREE: [60, 92], DEPENDENT: [40, 90], DISABILITY: [35, 75], ITF: [8, 20] }[pensionerType];
  const [y, m, d] = today.split('-').map(Number);
  const birth = new Date(Date.UTC(y - random.int(minAge, maxAge), m - 1, d) - random.int(0, 364) * 86_400_000);
  return birth.toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function teleFields(random: Random, today: string) {
  type Tele = (typeof TELE_STATUSES)[number];
  const tele = random.weighted<Tele>([
    [TELE_STATUSES[0], 50],
    [TELE_STATUSES[1], 20],
    [TELE_STATUSES[2], 30],
  ]);
  const pointer: NonNullable<GeneratedClient['pointer']> =
    tele.code === 'not_yet_contacted'
      ? 'current'
      : random.weighted([
          ['current', 60],
          ['touched_status', 25],
          ['touched_month', 15],
        ] as const);
  const hasMonth = pointer === 'touched_month' || (tele.code === 'updated' && random.chance(0.5));
  return {
    customerIdNb: random.chance(0.97) ? random.digits(10) : null,
    teleStatus: tele.code,
    updateStatus: random.pick<string>(tele.updates),
    pointer,
    monthToUpdate: hasMonth ? addDays(today, random.int(-60, 180)) : null,
  };
}

/**
 * One client. `index` (0-based) makes the code unique; every other field comes from `random`,
 * so the same seed and the same order give the same clients whatever the chunk size.
 */
export function generateClient(random: Random, index: number, branchCodes: Record<CompanyCode, readonly string[]>, today: string): GeneratedClient {
  const product = random.weighted(PRODUCT_MIX);
  const company = product.company;
  const female = random.chance(0.55);
  const firstName = random.pick(female ? FEMALE_FIRST_NAMES : MALE_FIRST_NAMES);
  const lastName = random.pick(SURNAMES);
  let middleName = random.pick(SURNAMES);
  if (middleName === lastName) middleName = random.pick(SURNAMES);
  const suffix = !female && random.chance(0.04) ? ` ${random.pick(SUFFIXES)}` : '';
  const pensionerType = random.weighted(PENSIONER_MIX);
  const par = random.weighted(PAR_MIX);
  const pastDueCentavos = par === 'do_not_show' ? 0 : par === 'tele_130' ? random.int(100_000, 1_500_000) : random.int(1_000_000, 12_000_000);
  const loanStatus = par === 'do_not_show' ? 'ACTIVE' : random.chance(0.8) ? 'PAST_DUE' : 'RESTRUCTURED';
  const contactNumber = random.chance(0.92) ? mobileNumber(random) : null;
  const tele =
    company === 'FCASH' ? teleFields(random, today) : { customerIdNb: null, teleStatus: null, updateStatus: null, pointer: null, monthToUpdate: null };
  return {
    clientCode: `${company === 'FCASH' ? 'FC' : 'PC'}${String(index + 1).padStart(8, '0')}`,
    fullName: `${lastName}, ${firstName}${suffix} ${middleName}`,
    firstName,
    lastName,
    pensionNumber: pensionNumber(random, product.pensionType),
    birthDate: birthDate(random, today, pensionerType),
    contactNumber,
    contactNumberAlt: contactNumber && random.chance(0.3) ? mobileNumber(random) : null,
    company,
    product: product.code,
    pensionType: product.pensionType,
    pensionerType,
    accountType: random.weighted(ACCOUNT_MIX),
    par,
    branchCode: random.pick(branchCodes[company]),
    pastDueCentavos,
    loanStatus,
    isActive: random.chance(0.98),
    ...tele,
  };
}
