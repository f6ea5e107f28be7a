/**
 * Message texts sent to people, per language. Kept on the server because they
 * leave the app (SMS, e-mail); the web app's strings live in its i18n files.
 */
const templates = {
  otp: {
    he: {
      subject: "קוד הכניסה שלך לכוורת",
      body: "קוד הכניסה שלך לכוורת: {otp}. הקוד בתוקף 10 דקות.",
    },
    ar: {
      subject: "رمز الدخول إلى كفيرت",
      body: "رمز الدخول إلى كفيرت: {otp}. الرمز صالح لمدة 10 دقائق.",
    },
    en: {
      subject: "Your Kaveret sign-in code",
      body: "Your Kaveret sign-in code: {otp}. It is valid for 10 minutes.",
    },
    ru: {
      subject: "Код входа в Kaveret",
      body: "Ваш код входа в Kaveret: {otp}. Код действует 10 минут.",
    },
    am: { subject: "የካቨሬት መግቢያ ኮድ", body: "የካቨሬት መግቢያ ኮድዎ፦ {otp}። ለ10 ደቂቃ ያገለግላል።" },
  },
  invitation: {
    he: {
      subject: "הוזמנת לכוורת — {department}",
      body: "שלום {name},\n{inviter} הזמין/ה אותך לצוות {department} בכוורת.\nלהצטרפות: {link}\nההזמנה בתוקף 7 ימים.",
    },
    ar: {
      subject: "دعوة إلى كفيرت — {department}",
      body: "مرحبًا {name},\nدعاك/دعتك {inviter} للانضمام إلى طاقم {department} في كفيرت.\nللانضمام: {link}\nالدعوة صالحة لمدة 7 أيام.",
    },
    en: {
      subject: "You are invited to Kaveret — {department}",
      body: "Hello {name},\n{inviter} invited you to the {department} team on Kaveret.\nJoin here: {link}\nThe invitation is valid for 7 days.",
    },
  },
} as const;

type TemplateName = keyof typeof templates;

export function renderMessage(
  name: TemplateName,
  locale: string,
  vars: Record<string, string>,
): { subject: string; body: string } {
  const set = templates[name] as Record<string, { subject: string; body: string }>;
  const t = set[locale] ?? set.he!;
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
  return { subject: fill(t.subject), body: fill(t.body) };
}
