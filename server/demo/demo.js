// The demo portal page's script. It loads the elements, switches the
// language of the page and the elements together, shows the user's name once
// logged in, and fills the demo panel from GET /api/demo/info. A separate
// file rather than inline script, so that a strict CSP can be set later.

const TEXTS = {
  kk: {
    title: 'Балабақшаға кезек — Алматы',
    subtitle: 'Мектепке дейінгі ұйымдарға кезек',
    languages: 'Тіл',
    heading: 'Жеке кабинет',
    lead:
      'Электрондық цифрлық қолтаңбамен кіріп, баланың ЖСН-і бойынша ' +
      'балабақшаға кезек өтінішін өз кабинетіңізге байластырыңыз.',
    step1: 'ЭЦҚ кілтімен кіру',
    step2: 'Электрондық поштаны көрсету',
    step3: 'Баланың ЖСН-ін енгізу',
    step4: 'Туыстық расталады, өтініш кабинетте көрінеді',
    bundleMissingTitle: 'Элементтер жүктелмеді.',
    bundleMissing: 'Жоба қалтасында мына команданы орындап, бетті жаңартыңыз:',
    demoHeading: 'Демо кілттер',
    demoLead:
      'Бұл — демо. Кіру үшін төмендегі кілт файлдарының бірін жүктеп алыңыз ' +
      'немесе оны кілттер қалтасынан таңдаңыз.',
    demoFolder: 'Кілттер қалтасы',
    demoPassword: 'Барлық кілттің құпиясөзі',
    demoKeysHeading: 'Кілт файлдары',
    demoChildrenHeading: 'Байластыруға арналған ЖСН-дер',
    colIin: 'ЖСН',
    colChild: 'Бала',
    colParent: 'Кім ретінде',
    colResult: 'Нәтиже',
    demoNca:
      'NCA-ның тест кілттері (ЖСН 123456789011, 123456789012) олардың ' +
      'куәландырушы орталығы --trust-anchors арқылы берілгенде кіре алады ' +
      '(NCA-ның тест CRL-дері ескі: --revocation off қажет).',
    footer:
      'Qoltanba — ашық бастапқы кодты демо. Нақты деректер қолданылмайды.',
    download: 'Жүктеп алу',
    kind: {
      auth: 'кіру кілті (AUTH)',
      sign: 'қол қою кілті (SIGN) — кіруге жарамайды',
      'expired-auth': 'мерзімі өткен кіру кілті',
      'revoked-auth':
        'кері қайтарылған кіру кілті (CRL тізімінде) — кіре алмайды',
    },
    revocationOff: ' (бұл серверде кері қайтарылуы тексерілмейді)',
    scenario: {
      KINSHIP_CONFIRMED: 'Туыстық расталады',
      CHILD_TOO_OLD: 'Бала 7 жастан асқан',
      CHILD_NOT_FOUND: 'Кезекте өтініш жоқ',
      LINKED_TO_OTHER: 'Басқа ата-анаға байластырылған',
      KINSHIP_NOT_CONFIRMED: 'Туыстық расталмайды',
    },
  },
  ru: {
    title: 'Очередь в детский сад — Алматы',
    subtitle: 'Очередь в дошкольные организации',
    languages: 'Язык',
    heading: 'Личный кабинет',
    lead:
      'Войдите с электронной цифровой подписью и привяжите заявление ' +
      'ребёнка в очереди в детский сад к своему кабинету по ИИН ребёнка.',
    step1: 'Вход по ключу ЭЦП',
    step2: 'Указание электронной почты',
    step3: 'Ввод ИИН ребёнка',
    step4: 'Родство подтверждено, заявление появляется в кабинете',
    bundleMissingTitle: 'Элементы не загрузились.',
    bundleMissing: 'Выполните в папке проекта команду и обновите страницу:',
    demoHeading: 'Демо-ключи',
    demoLead:
      'Это демо. Для входа скачайте один из файлов ключей ниже или ' +
      'выберите его в папке с ключами.',
    demoFolder: 'Папка с ключами',
    demoPassword: 'Пароль всех ключей',
    demoKeysHeading: 'Файлы ключей',
    demoChildrenHeading: 'ИИН для привязки',
    colIin: 'ИИН',
    colChild: 'Ребёнок',
    colParent: 'От имени',
    colResult: 'Результат',
    demoNca:
      'Тестовые ключи НУЦ (ИИН 123456789011, 123456789012) входят, когда ' +
      'их удостоверяющий центр указан через --trust-anchors (тестовые CRL ' +
      'НУЦ устарели: нужен --revocation off).',
    footer:
      'Qoltanba — демо с открытым исходным кодом. Реальные данные не ' +
      'используются.',
    download: 'Скачать',
    kind: {
      auth: 'ключ для входа (AUTH)',
      sign: 'ключ подписи (SIGN) — для входа не подходит',
      'expired-auth': 'просроченный ключ для входа',
      'revoked-auth': 'отозванный ключ для входа (в списке CRL) — не войдёт',
    },
    revocationOff: ' (этот сервер не проверяет отзыв)',
    scenario: {
      KINSHIP_CONFIRMED: 'Родство подтверждается',
      CHILD_TOO_OLD: 'Ребёнку уже 7 лет',
      CHILD_NOT_FOUND: 'Заявления в очереди нет',
      LINKED_TO_OTHER: 'Привязан к другому родителю',
      KINSHIP_NOT_CONFIRMED: 'Родство не подтверждается',
    },
  },
  en: {
    title: 'Kindergarten queue — Almaty',
    subtitle: 'Queue for preschool organisations',
    languages: 'Language',
    heading: 'Personal cabinet',
    lead:
      "Log in with your electronic signature and link your child's " +
      'kindergarten queue application to your cabinet by the child’s IIN.',
    step1: 'Log in with your signature key',
    step2: 'Give your email address',
    step3: "Type the child's IIN",
    step4: 'Kinship is confirmed and the application appears in the cabinet',
    bundleMissingTitle: 'The elements did not load.',
    bundleMissing: 'Run this command in the project folder, then reload:',
    demoHeading: 'Demo keys',
    demoLead:
      'This is a demo. To log in, download one of the key files below or ' +
      'pick it from the key folder.',
    demoFolder: 'Key folder',
    demoPassword: 'Password of every key',
    demoKeysHeading: 'Key files',
    demoChildrenHeading: 'IINs to link',
    colIin: 'IIN',
    colChild: 'Child',
    colParent: 'Logged in as',
    colResult: 'Result',
    demoNca:
      "NCA's test keys (IIN 123456789011, 123456789012) log in once their " +
      'certification authority is given with --trust-anchors (NCA’s test ' +
      'CRLs are out of date: add --revocation off).',
    footer: 'Qoltanba — an open-source demo. No real data is used.',
    download: 'Download',
    kind: {
      auth: 'login key (AUTH)',
      sign: 'signing key (SIGN) — not for login',
      'expired-auth': 'expired login key',
      'revoked-auth': 'revoked login key (on the CRL): refused',
    },
    revocationOff: ' (this server does not check revocation)',
    scenario: {
      KINSHIP_CONFIRMED: 'Kinship confirmed',
      CHILD_TOO_OLD: 'The child is 7 or older',
      CHILD_NOT_FOUND: 'No queue application',
      LINKED_TO_OTHER: 'Linked to another parent',
      KINSHIP_NOT_CONFIRMED: 'Kinship not confirmed',
    },
  },
};

const LANGS = Object.keys(TEXTS);
const STORAGE_KEY = 'qoltanba-demo-lang';
const ELEMENTS = ['eds-login', 'iin-link-form', 'kinship-status'];

let lang = 'kk';
let demoInfo = null;

function chooseInitialLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage may be blocked; the page still works in Kazakh.
  }
  return LANGS.includes(saved) ? saved : 'kk';
}

function applyLang(next) {
  lang = next;
  const t = TEXTS[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const node of document.querySelectorAll('[data-text]')) {
    const text = t[node.dataset.text];
    if (typeof text === 'string') node.textContent = text;
  }
  for (const node of document.querySelectorAll('[data-label]')) {
    node.setAttribute('aria-label', t[node.dataset.label]);
  }
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  for (const tag of ELEMENTS) {
    for (const element of document.querySelectorAll(tag)) {
      element.setAttribute('lang', lang);
    }
  }
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered; nothing else depends on it.
  }
  renderDemoPanel();
}

function showUser(user) {
  const link = document.getElementById('user-name');
  link.textContent = user ? user.fullName : '';
  link.hidden = !user;
}

function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children);
  return node;
}

function downloadLink(key, t) {
  const link = el(
    'a',
    {
      className: 'button button--small',
      href: key.url,
      download: key.fileName,
    },
    [t.download],
  );
  // Several links read "Download"; the label says whose key each one is.
  link.setAttribute('aria-label', `${t.download}: ${key.fileName}`);
  return link;
}

function renderDemoPanel() {
  if (!demoInfo) return;
  const t = TEXTS[lang];
  document.getElementById('demo-folder').textContent = demoInfo.keyFolder;
  document.getElementById('demo-password').textContent = demoInfo.password;

  const keys = document.getElementById('demo-keys');
  keys.replaceChildren(
    ...demoInfo.keys.map((key) =>
      el('li', { className: 'key-list__item' }, [
        el('span', { className: 'key-list__name' }, [key.fullName]),
        el('span', { className: 'key-list__kind' }, [
          (t.kind[key.kind] ?? key.kind) +
            (key.kind === 'revoked-auth' && !demoInfo.revocationChecked
              ? t.revocationOff
              : ''),
        ]),
        el('code', { className: 'key-list__path' }, [key.path]),
        downloadLink(key, t),
      ]),
    ),
  );

  const rows = document.getElementById('demo-children');
  rows.replaceChildren(
    ...demoInfo.children.map((child) =>
      el('tr', {}, [
        el('td', {}, [el('code', {}, [child.iin])]),
        el('td', {}, [`${child.fullName} (${child.birthDate})`]),
        el('td', {}, [child.tryAsName]),
        el('td', {}, [t.scenario[child.scenario] ?? child.scenario]),
      ]),
    ),
  );
  document.getElementById('demo-nca').hidden = !demoInfo.acceptsNcaTestIins;
}

async function loadDemoInfo() {
  try {
    const response = await fetch('/api/demo/info', {
      headers: { Accept: 'application/json' },
    });
    // Outside demo mode the route does not exist; the panel stays hidden.
    if (!response.ok) return;
    demoInfo = await response.json();
  } catch {
    return;
  }
  document.getElementById('demo-panel').hidden = false;
  renderDemoPanel();
}

async function loadCurrentUser() {
  try {
    const response = await fetch('/api/me', {
      credentials: 'include',
      headers: { Accept: 'application/json' },
    });
    if (response.ok) showUser((await response.json()).user);
  } catch {
    // The elements report network trouble themselves.
  }
}

async function loadElements() {
  try {
    await import('/qoltanba/qoltanba.js');
  } catch {
    // dist/ has not been built yet: say how to build it.
    document.getElementById('bundle-missing').hidden = false;
  }
}

document.addEventListener('qoltanba-login', (event) => {
  showUser(event.detail.user);
});
document.addEventListener('qoltanba-logout', () => showUser(null));
document.addEventListener('click', (event) => {
  const button = event.target.closest('[data-lang]');
  if (button) applyLang(button.dataset.lang);
});

applyLang(chooseInitialLang());
loadElements();
loadDemoInfo();
loadCurrentUser();
