/**
 * The demo families: parents, their children, the children's kindergarten
 * queue applications and the kinship the demo registry records. Each child
 * shows one outcome of linking, so a visitor can try them all.
 *
 * IINs are synthetic: the first eleven digits are chosen (birth date,
 * century-and-sex digit, serial) and the check digit is computed, so every
 * one passes checkIin. NCA's two test persons are the exception: their IINs
 * fail the check, and only demo or test mode lets them log in.
 */
import { iinCheckDigit } from '../src/core/iin.js';
import type { DemoRegistry, Relation } from './registry/demo-registry.js';
import type {
  ChildRecord,
  LocalizedText,
  StoredApplication,
  Store,
} from './store/store.js';

/** The full IIN for eleven chosen digits. */
function iin(first11: string): string {
  const check = iinCheckDigit(first11);
  if (check === null) throw new Error(`No IIN is issued for ${first11}…`);
  return first11 + check;
}

/** Almaty's districts, as each language names them. */
const DISTRICTS = {
  alatau: ['Алатау ауданы', 'Алатауский район', 'Alatau district'],
  almaly: ['Алмалы ауданы', 'Алмалинский район', 'Almaly district'],
  auezov: ['Әуезов ауданы', 'Ауэзовский район', 'Auezov district'],
  bostandyk: ['Бостандық ауданы', 'Бостандыкский район', 'Bostandyk district'],
  zhetysu: ['Жетісу ауданы', 'Жетысуский район', 'Zhetysu district'],
  medeu: ['Медеу ауданы', 'Медеуский район', 'Medeu district'],
  nauryzbay: ['Наурызбай ауданы', 'Наурызбайский район', 'Nauryzbay district'],
  turksib: ['Түрксіб ауданы', 'Турксибский район', 'Turksib district'],
} as const;
type District = keyof typeof DISTRICTS;

/** A numbered nursery school ("ясли-сад") of a district. */
function nursery(number: number, district: District): LocalizedText {
  const [kk, ru, en] = DISTRICTS[district];
  return {
    kk: `№ ${number} бөбекжай-балабақша (${kk})`,
    ru: `Ясли-сад № ${number} (${ru})`,
    en: `Nursery school No. ${number} (${en})`,
  };
}

/** Kindergartens known by name, in Kazakh, Russian and English. */
const NAMES = {
  baldyrgan: ['Балдырған', 'Балдырган', 'Baldyrgan'],
  aigolek: ['Айгөлек', 'Айгөлек', 'Aigolek'],
  kunshuak: ['Күншуақ', 'Куншуак', 'Kunshuak'],
} as const;

/** A kindergarten with a name, in a district. */
function named(name: keyof typeof NAMES, district: District): LocalizedText {
  const [kk, ru, en] = NAMES[name];
  const [dkk, dru, den] = DISTRICTS[district];
  return {
    kk: `«${kk}» балабақшасы (${dkk})`,
    ru: `Детский сад «${ru}» (${dru})`,
    en: `${en} kindergarten (${den})`,
  };
}

/** What happens when a demo parent links the child. */
export type DemoScenario =
  | 'KINSHIP_CONFIRMED'
  | 'CHILD_TOO_OLD'
  | 'CHILD_NOT_FOUND'
  | 'LINKED_TO_OTHER'
  | 'KINSHIP_NOT_CONFIRMED';

export interface DemoParent {
  iin: string;
  fullName: string;
}

export interface DemoChild {
  iin: string;
  fullName: string;
  birthDate: string;
  /** Parents as the registry records them. */
  parents: Array<{ iin: string; relation: Relation }>;
  /** No applications: the queue system does not know the child. */
  applications: StoredApplication[];
  /** Already linked to this parent when the demo starts. */
  linkedTo?: string;
  /** The outcome for the parent named in `tryAs`. */
  scenario: DemoScenario;
  tryAs: string;
}

export const AIGERIM: DemoParent = {
  iin: iin('90062540012'),
  fullName: 'Садықова Айгерім Маратқызы',
};
export const ERLAN: DemoParent = {
  iin: iin('85011530001'),
  fullName: 'Жандосов Ерлан Сағатұлы',
};
/** Айгерім's husband; he has linked one of their children already. */
export const NURLAN: DemoParent = {
  iin: iin('88031430012'),
  fullName: 'Садықов Нұрлан Асқарұлы',
};
/** A mother who is no demo user: her child is kin to nobody who logs in. */
const GULNAR: DemoParent = {
  iin: iin('87092040032'),
  fullName: 'Оспанова Гүлнар Қайратқызы',
};
/** NCA's test persons, as their test certificates name them. */
export const NCA_TEST_PERSON_1: DemoParent = {
  iin: '123456789011',
  fullName: 'ТЕСТОВ ТЕСТ',
};
export const NCA_TEST_PERSON_2: DemoParent = {
  iin: '123456789012',
  fullName: 'ТЕСТТОВ ТЕСТТ',
};

export const DEMO_PARENTS: readonly DemoParent[] = [
  AIGERIM,
  ERLAN,
  NURLAN,
  NCA_TEST_PERSON_1,
  NCA_TEST_PERSON_2,
];

const SADYKOVS = [
  { iin: AIGERIM.iin, relation: 'mother' as const },
  { iin: NURLAN.iin, relation: 'father' as const },
];

export const DEMO_CHILDREN: readonly DemoChild[] = [
  {
    iin: iin('20120550003'),
    fullName: 'Садықов Әлихан Нұрланұлы',
    birthDate: '2020-12-05',
    parents: SADYKOVS,
    applications: [
      {
        number: 'ALM-2021-004512',
        kindergartens: [
          nursery(12, 'almaly'),
          named('baldyrgan', 'bostandyk'),
          nursery(45, 'almaly'),
        ],
        queuePosition: 37,
        status: 'queued',
        submittedOn: '2021-02-10',
      },
    ],
    scenario: 'KINSHIP_CONFIRMED',
    tryAs: AIGERIM.iin,
  },
  {
    iin: iin('23090160101'),
    fullName: 'Жандосова Аружан Ерланқызы',
    birthDate: '2023-09-01',
    parents: [{ iin: ERLAN.iin, relation: 'father' }],
    applications: [
      {
        number: 'ALM-2023-011873',
        kindergartens: [
          nursery(158, 'auezov'),
          named('aigolek', 'auezov'),
        ],
        queuePosition: 214,
        status: 'queued',
        submittedOn: '2023-10-02',
      },
      {
        number: 'ALM-2024-002291',
        kindergartens: [named('kunshuak', 'nauryzbay')],
        queuePosition: 3,
        status: 'offered',
        submittedOn: '2024-03-18',
      },
    ],
    scenario: 'KINSHIP_CONFIRMED',
    tryAs: ERLAN.iin,
  },
  {
    // Born 2019-11-11: seven since November 2026, past the service's age.
    iin: iin('19111160003'),
    fullName: 'Садықова Томирис Нұрланқызы',
    birthDate: '2019-11-11',
    parents: SADYKOVS,
    applications: [
      {
        number: 'ALM-2020-007730',
        kindergartens: [nursery(91, 'zhetysu')],
        queuePosition: 1,
        status: 'enrolled',
        submittedOn: '2020-01-15',
      },
    ],
    scenario: 'CHILD_TOO_OLD',
    tryAs: AIGERIM.iin,
  },
  {
    iin: iin('24021550011'),
    fullName: 'Садықов Арман Нұрланұлы',
    birthDate: '2024-02-15',
    parents: SADYKOVS,
    applications: [],
    scenario: 'CHILD_NOT_FOUND',
    tryAs: AIGERIM.iin,
  },
  {
    iin: iin('21072050004'),
    fullName: 'Садықов Нұрсұлтан Нұрланұлы',
    birthDate: '2021-07-20',
    parents: SADYKOVS,
    applications: [
      {
        number: 'ALM-2021-019044',
        kindergartens: [
          nursery(203, 'alatau'),
          nursery(12, 'almaly'),
        ],
        queuePosition: 58,
        status: 'queued',
        submittedOn: '2021-08-30',
      },
    ],
    linkedTo: NURLAN.iin,
    scenario: 'LINKED_TO_OTHER',
    tryAs: AIGERIM.iin,
  },
  {
    iin: iin('22031060025'),
    fullName: 'Оспанова Мадина Ерболқызы',
    birthDate: '2022-03-10',
    parents: [{ iin: GULNAR.iin, relation: 'mother' }],
    applications: [
      {
        number: 'ALM-2022-008115',
        kindergartens: [named('baldyrgan', 'medeu')],
        queuePosition: 122,
        status: 'queued',
        submittedOn: '2022-04-04',
      },
    ],
    scenario: 'KINSHIP_NOT_CONFIRMED',
    tryAs: AIGERIM.iin,
  },
  {
    iin: iin('22051760013'),
    fullName: 'Тестова Айым Тестқызы',
    birthDate: '2022-05-17',
    parents: [{ iin: NCA_TEST_PERSON_1.iin, relation: 'mother' }],
    applications: [
      {
        number: 'ALM-2022-010342',
        kindergartens: [
          nursery(45, 'bostandyk'),
          named('aigolek', 'bostandyk'),
        ],
        queuePosition: 19,
        status: 'queued',
        submittedOn: '2022-06-01',
      },
    ],
    scenario: 'KINSHIP_CONFIRMED',
    tryAs: NCA_TEST_PERSON_1.iin,
  },
  {
    iin: iin('21100350007'),
    fullName: 'Тесттов Бауыржан Тесттұлы',
    birthDate: '2021-10-03',
    parents: [{ iin: NCA_TEST_PERSON_2.iin, relation: 'father' }],
    applications: [
      {
        number: 'ALM-2021-022608',
        kindergartens: [named('kunshuak', 'turksib')],
        queuePosition: 7,
        status: 'queued',
        submittedOn: '2021-11-12',
      },
    ],
    scenario: 'KINSHIP_CONFIRMED',
    tryAs: NCA_TEST_PERSON_2.iin,
  },
];

/**
 * Puts the demo families into the store and the registry. Safe to run on
 * every start: it writes the same rows again and keeps links that visitors
 * made.
 */
export async function seedDemoData(
  store: Store,
  registry: DemoRegistry,
  now: Date = new Date(),
): Promise<void> {
  for (const child of DEMO_CHILDREN) {
    for (const parent of child.parents) {
      await registry.addRelation(parent.iin, child.iin, parent.relation);
    }
    if (child.applications.length > 0) {
      const record: ChildRecord = {
        iin: child.iin,
        fullName: child.fullName,
        birthDate: child.birthDate,
        applications: child.applications,
      };
      await store.putChild(record);
    }
    if (child.linkedTo) {
      const parent = DEMO_PARENTS.find((p) => p.iin === child.linkedTo);
      // The linking parent has logged in before, as a real one would have.
      if (parent && !(await store.findUser(parent.iin))) {
        await store.upsertUser(parent.iin, parent.fullName, now);
      }
      await store.createLink(child.linkedTo, child.iin, now);
    }
  }
}
