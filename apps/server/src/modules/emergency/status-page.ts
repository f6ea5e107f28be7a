import {
  HELP_CATEGORIES,
  STATUS_PAGE_LOCALES,
  localNames,
  nameIn,
  type HelpCategory,
} from "@kaveret/contracts";

/**
 * The residents' "I'm OK / I need help" page: server-rendered HTML, no JavaScript, no
 * outside fonts or images, a plain POST form — it works on any phone, on a weak network,
 * in he, ar, ru, am and en (BUDGETS.md: ≤ 50 KB). Texts live here because the page never
 * loads the web app; the SMS that carries the link is here too.
 */

export type StatusLocale = (typeof STATUS_PAGE_LOCALES)[number];

type Texts = {
  dir: "rtl" | "ltr";
  name: string;
  title: string;
  intro: string;
  drill: string;
  ok: string;
  help: string;
  helpKind: string;
  categories: Record<HelpCategory, string>;
  note: string;
  thanksOk: string;
  thanksHelp: string;
  danger: string;
  again: string;
  closed: string;
  notFound: string;
  language: string;
  sms: string;
  /** The link to the area-alerts page (/alerts/:departmentId). */
  alerts: string;
};

const TEXTS: Record<StatusLocale, Texts> = {
  he: {
    dir: "rtl",
    name: "עברית",
    title: "האם את/ה בסדר?",
    intro: "{department} בודקת את שלום התושבים בשעת החירום. נשמח לדעת מה שלומך.",
    drill: "זהו תרגיל. אין אירוע חירום אמיתי.",
    ok: "אני בסדר",
    help: "אני צריך/ה עזרה",
    helpKind: "אם צריך עזרה — באיזה תחום? (לא חובה)",
    categories: {
      food: "מזון",
      medicine: "תרופות",
      evacuation: "פינוי",
      emotional_support: "תמיכה רגשית",
      transport: "הסעה",
      shelter: "מקלט / מרחב מוגן",
      other: "אחר",
    },
    note: "משהו נוסף שחשוב שנדע? (לא חובה)",
    thanksOk: "תודה. רשמנו שאת/ה בסדר.",
    thanksHelp: "תודה. רשמנו שצריך עזרה. ניצור קשר בהקדם.",
    danger: 'בסכנת חיים התקשרו מיד ל־101 (מד"א), 100 (משטרה) או 102 (כבאות).',
    again: "אפשר לעדכן את התשובה בכל עת:",
    closed: "אירוע החירום הסתיים. תודה.",
    notFound: "הקישור אינו תקף. בדקו את הקישור שקיבלתם בהודעה.",
    language: "שפה",
    sms: "{department}: בשעת החירום חשוב לנו לדעת שאת/ה בסדר. אפשר לענות כאן: {link}",
    alerts: "לקבל התרעות חירום בטלפון, בלי חשבון",
  },
  ar: {
    dir: "rtl",
    name: "العربية",
    title: "هل أنت بخير؟",
    intro: "{department} يطمئنّ على السكان خلال حالة الطوارئ. يهمّنا أن نعرف كيف حالك.",
    drill: "هذا تمرين. لا توجد حالة طوارئ حقيقية.",
    ok: "أنا بخير",
    help: "أحتاج إلى مساعدة",
    helpKind: "إذا كنت بحاجة إلى مساعدة، ما نوعها؟ (اختياري)",
    categories: {
      food: "طعام",
      medicine: "أدوية",
      evacuation: "إخلاء",
      emotional_support: "دعم نفسي",
      transport: "مواصلات",
      shelter: "ملجأ / حيّز محمي",
      other: "غير ذلك",
    },
    note: "هل هناك شيء آخر من المهم أن نعرفه؟ (اختياري)",
    thanksOk: "شكرًا. سجّلنا أنك بخير.",
    thanksHelp: "شكرًا. سجّلنا أنك بحاجة إلى مساعدة. سنتواصل معك قريبًا.",
    danger:
      "في حالة خطر على الحياة اتصل فورًا بـ 101 (نجمة داود الحمراء)، 100 (الشرطة) أو 102 (الإطفاء).",
    again: "يمكنك تحديث إجابتك في أي وقت:",
    closed: "انتهت حالة الطوارئ. شكرًا لك.",
    notFound: "هذا الرابط غير صالح. يرجى التحقق من الرابط الذي وصلك في الرسالة.",
    language: "اللغة",
    sms: "{department}: يهمّنا خلال حالة الطوارئ أن نعرف أنك بخير. أجب هنا: {link}",
    alerts: "تلقي تنبيهات الطوارئ على الهاتف، بدون حساب",
  },
  ru: {
    dir: "ltr",
    name: "Русский",
    title: "У вас всё в порядке?",
    intro:
      "{department} узнаёт, как дела у жителей во время чрезвычайной ситуации. Пожалуйста, сообщите нам, как вы.",
    drill: "Это учения. Настоящей чрезвычайной ситуации нет.",
    ok: "У меня всё в порядке",
    help: "Мне нужна помощь",
    helpKind: "Если нужна помощь — какая? (необязательно)",
    categories: {
      food: "Еда",
      medicine: "Лекарства",
      evacuation: "Эвакуация",
      emotional_support: "Эмоциональная поддержка",
      transport: "Транспорт",
      shelter: "Убежище / защищённое помещение",
      other: "Другое",
    },
    note: "Что ещё нам важно знать? (необязательно)",
    thanksOk: "Спасибо. Мы отметили, что у вас всё в порядке.",
    thanksHelp: "Спасибо. Мы отметили, что вам нужна помощь. Мы скоро свяжемся с вами.",
    danger:
      "При угрозе жизни сразу звоните 101 (Маген Давид Адом), 100 (полиция) или 102 (пожарная служба).",
    again: "Вы можете изменить ответ в любое время:",
    closed: "Чрезвычайная ситуация завершена. Спасибо.",
    notFound: "Ссылка недействительна. Проверьте ссылку в сообщении.",
    language: "Язык",
    sms: "{department}: во время чрезвычайной ситуации нам важно знать, что у вас всё в порядке. Ответьте здесь: {link}",
    alerts: "Получать экстренные оповещения на телефон, без учётной записи",
  },
  am: {
    dir: "ltr",
    name: "አማርኛ",
    title: "ደህና ነዎት?",
    intro: "{department} በአስቸኳይ ጊዜ የነዋሪዎችን ደህንነት እየተከታተለ ነው። እባክዎ እንዴት እንደሆኑ ይንገሩን።",
    drill: "ይህ ልምምድ ነው። እውነተኛ አስቸኳይ ሁኔታ የለም።",
    ok: "ደህና ነኝ",
    help: "እርዳታ እፈልጋለሁ",
    helpKind: "እርዳታ ከፈለጉ፣ ምን ዓይነት? (አማራጭ)",
    categories: {
      food: "ምግብ",
      medicine: "መድኃኒት",
      evacuation: "ከአካባቢው መውጣት",
      emotional_support: "የስሜት ድጋፍ",
      transport: "መጓጓዣ",
      shelter: "መጠለያ / የተጠበቀ ክፍል",
      other: "ሌላ",
    },
    note: "ልናውቀው የሚገባ ሌላ ነገር አለ? (አማራጭ)",
    thanksOk: "እናመሰግናለን። ደህና መሆንዎን መዝግበናል።",
    thanksHelp: "እናመሰግናለን። እርዳታ እንደሚያስፈልግዎ መዝግበናል። በቅርቡ እናገኝዎታለን።",
    danger: "ሕይወት አደጋ ላይ ከሆነ ወዲያውኑ ወደ 101 (ማገን ዳቪድ አዶም)፣ 100 (ፖሊስ) ወይም 102 (የእሳት አደጋ መከላከያ) ይደውሉ።",
    again: "መልስዎን በማንኛውም ጊዜ መቀየር ይችላሉ፦",
    closed: "አስቸኳይ ሁኔታው አብቅቷል። እናመሰግናለን።",
    notFound: "ይህ ሊንክ የሚሰራ አይደለም። በመልእክቱ የደረሰዎትን ሊንክ ያረጋግጡ።",
    language: "ቋንቋ",
    sms: "{department}፦ በአስቸኳይ ጊዜ ደህና መሆንዎን ማወቅ እንፈልጋለን። እዚህ ይመልሱ፦ {link}",
    alerts: "የአደጋ ጊዜ ማስጠንቀቂያዎችን በስልክዎ ያግኙ፣ ያለ መለያ",
  },
  en: {
    dir: "ltr",
    name: "English",
    title: "Are you OK?",
    intro:
      "{department} is checking on residents during the emergency. Please tell us how you are.",
    drill: "This is a drill. There is no real emergency.",
    ok: "I'm OK",
    help: "I need help",
    helpKind: "If you need help, what kind? (optional)",
    categories: {
      food: "Food",
      medicine: "Medicine",
      evacuation: "Evacuation",
      emotional_support: "Emotional support",
      transport: "Transport",
      shelter: "Shelter / protected space",
      other: "Other",
    },
    note: "Anything else we should know? (optional)",
    thanksOk: "Thank you. We recorded that you are OK.",
    thanksHelp: "Thank you. We recorded that you need help. We will contact you soon.",
    danger:
      "If a life is in danger, call 101 (Magen David Adom), 100 (police) or 102 (fire and rescue) now.",
    again: "You can update your answer at any time:",
    closed: "The emergency has ended. Thank you.",
    notFound: "This link is not valid. Please check the link in the message you received.",
    language: "Language",
    sms: "{department}: during the emergency we want to know you are OK. Answer here: {link}",
    alerts: "Get emergency alerts on your phone, no account needed",
  },
};

export const isStatusLocale = (x: unknown): x is StatusLocale =>
  typeof x === "string" && (STATUS_PAGE_LOCALES as readonly string[]).includes(x);

/** The page's language: asked for, else the resident's first language we have, else Hebrew. */
export function statusLocaleFor(languages: readonly string[], asked?: unknown): StatusLocale {
  if (isStatusLocale(asked)) return asked;
  return languages.find(isStatusLocale) ?? "he";
}

/** A help category's name in one of the status page's languages (also used by the summary). */
export const helpCategoryLabel = (locale: StatusLocale, category: string): string =>
  (TEXTS[locale].categories as Record<string, string>)[category] ?? category;

const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? "");

/** The department's name in one of the page's languages, else its Hebrew name. */
export function departmentNameIn(
  locale: StatusLocale,
  department: { name: string; altNames: Record<string, string> },
): string {
  return nameIn({ name: department.name, names: localNames(department.altNames) }, locale);
}

export function statusMessage(locale: StatusLocale, v: { department: string; link: string }) {
  return fill(TEXTS[locale].sms, v);
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const STYLE = `*{box-sizing:border-box}body{margin:0;font:18px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Hebrew","Noto Sans Arabic","Noto Sans Ethiopic",Arial,sans-serif;color:#1a1a1a;background:#f6f7f9}
main{max-width:34rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;margin:.5rem 0}
nav{font-size:.95rem;margin-bottom:.5rem}nav a{display:inline-block;margin:0 .5rem .25rem 0;color:#0b4f9c;padding:.25rem}nav a[aria-current]{font-weight:700;color:#1a1a1a;text-decoration:none}a{color:#0b4f9c}
.drill{background:#fff3bf;border:2px solid #8a6d00;padding:.5rem .75rem;font-weight:700}
.done{background:#e6f4ea;border:2px solid #1e6b34;padding:.5rem .75rem}
button{display:block;width:100%;font:inherit;font-size:1.25rem;font-weight:700;padding:.9rem;margin:.75rem 0;border-radius:.5rem;border:2px solid transparent;cursor:pointer}
.ok{background:#1e6b34;color:#fff}.help{background:#b3261e;color:#fff}
button:focus-visible,a:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
fieldset{border:1px solid #999;border-radius:.5rem;margin:1rem 0;padding:.5rem .75rem}legend{padding:0 .25rem}
label{display:block;padding:.3rem 0}textarea{width:100%;font:inherit;min-height:4rem;padding:.5rem}
.danger{font-size:1rem;border-top:1px solid #ccc;padding-top:.75rem}`;

type PageInput = {
  locale: StatusLocale;
  token: string;
  /** The department's name in the page's language (else Hebrew): `departmentNameIn`. */
  department: string;
  drill: boolean;
  answered?: "ok" | "help" | null;
  /** The department, for the link to its area-alerts page. */
  departmentId?: string;
};

function shell(locale: StatusLocale, title: string, body: string, langLinks: string): string {
  const t = TEXTS[locale];
  return `<!doctype html>
<html lang="${locale}" dir="${t.dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex,nofollow"><meta name="referrer" content="no-referrer">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body><main>${langLinks}${body}</main></body></html>`;
}

function languageNav(locale: StatusLocale, href: (l: StatusLocale) => string): string {
  const links = STATUS_PAGE_LOCALES.map((l) => {
    const current = l === locale ? ' aria-current="page"' : "";
    return `<a href="${escape(href(l))}" lang="${l}" dir="${TEXTS[l].dir}"${current}>${TEXTS[l].name}</a>`;
  }).join(" ");
  return `<nav aria-label="${escape(TEXTS[locale].language)}">${links}</nav>`;
}

/** The page with the two answers (and, after an answer, a note that it was recorded). */
export function renderStatusPage(p: PageInput): string {
  const t = TEXTS[p.locale];
  const action = `/ok/${encodeURIComponent(p.token)}`;
  const done =
    p.answered === "ok"
      ? `<p class="done" role="status">${escape(t.thanksOk)}</p><p>${escape(t.again)}</p>`
      : p.answered === "help"
        ? `<p class="done" role="status">${escape(t.thanksHelp)}</p><p>${escape(t.again)}</p>`
        : "";
  const categories = HELP_CATEGORIES.map(
    (c) =>
      `<label><input type="radio" name="category" value="${c}"> ${escape(t.categories[c])}</label>`,
  ).join("");
  const body = `${p.drill ? `<p class="drill" role="note">${escape(t.drill)}</p>` : ""}
<h1>${escape(t.title)}</h1>${done}
<p>${fill(escape(t.intro), { department: `<bdi>${escape(p.department)}</bdi>` })}</p>
<form method="post" action="${escape(action)}">
<input type="hidden" name="lang" value="${p.locale}">
<button type="submit" name="answer" value="ok" class="ok">${escape(t.ok)}</button>
<fieldset><legend>${escape(t.helpKind)}</legend>${categories}</fieldset>
<label for="note">${escape(t.note)}</label>
<textarea id="note" name="note" maxlength="500"></textarea>
<button type="submit" name="answer" value="help" class="help">${escape(t.help)}</button>
</form>
<p class="danger">${escape(t.danger)}</p>${
    p.departmentId
      ? `<p><a href="${escape(`/alerts/${encodeURIComponent(p.departmentId)}?lang=${p.locale}`)}">${escape(t.alerts)}</a></p>`
      : ""
  }`;
  return shell(
    p.locale,
    t.title,
    body,
    languageNav(p.locale, (l) => `${action}?lang=${l}`),
  );
}

/** A link that is not (or no longer) valid, or an emergency that has ended. */
export function renderStatusMessage(locale: StatusLocale, kind: "not_found" | "closed"): string {
  const t = TEXTS[locale];
  const text = kind === "closed" ? t.closed : t.notFound;
  return shell(
    locale,
    text,
    `<h1>${escape(text)}</h1><p class="danger">${escape(t.danger)}</p>`,
    languageNav(locale, (l) => `?lang=${l}`),
  );
}
