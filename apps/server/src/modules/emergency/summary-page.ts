import type { EmergencySummary } from "@kaveret/contracts";
import { helpCategoryLabel } from "./status-page.ts";

/**
 * The printable summary of an emergency (GET …/summary.html): plain HTML and print CSS,
 * in he (default), ar or en — staff languages. Figures only; no resident is named.
 */

export const SUMMARY_LOCALES = ["he", "ar", "en"] as const;
export type SummaryLocale = (typeof SUMMARY_LOCALES)[number];

const T: Record<SummaryLocale, Record<string, string>> = {
  he: {
    dir: "rtl",
    title: "סיכום אירוע חירום",
    drill: "תרגיל",
    started: "התחלה",
    closed: "סיום",
    open: "פעיל",
    duration: "משך (דקות)",
    communities: "קהילות",
    calls: "רשימת חיוג",
    total: "סה״כ",
    reachedOk: "נוצר קשר — בסדר",
    reachedNeedsHelp: "נוצר קשר — צריך עזרה",
    notReached: "לא נוצר קשר",
    pending: "טרם טופל",
    escalated: "הועבר לטיפול",
    selfReported: "דיווחו בעצמם",
    help: "בקשות עזרה",
    category: "תחום",
    completed: "הושלמו",
    becameNeeds: "הפכו לצרכים",
    shelters: "מקלטים ונקודות חלוקה",
    occupancy: "תפוסה",
    needs: "צרכים שנפתחו בחזרה לשגרה",
    log: "רשומות ביומן המשמרת",
    volunteers: "מתנדבים",
  },
  ar: {
    dir: "rtl",
    title: "ملخّص حالة الطوارئ",
    drill: "تمرين",
    started: "البداية",
    closed: "النهاية",
    open: "جارية",
    duration: "المدة (دقائق)",
    communities: "المجتمعات المحلية",
    calls: "قائمة الاتصال",
    total: "المجموع",
    reachedOk: "تم التواصل — بخير",
    reachedNeedsHelp: "تم التواصل — بحاجة إلى مساعدة",
    notReached: "لم يتم التواصل",
    pending: "لم يُعالَج بعد",
    escalated: "حُوِّل للمتابعة",
    selfReported: "أبلغوا بأنفسهم",
    help: "طلبات المساعدة",
    category: "المجال",
    completed: "أُنجزت",
    becameNeeds: "تحوّلت إلى احتياجات",
    shelters: "الملاجئ ونقاط التوزيع",
    occupancy: "الإشغال",
    needs: "احتياجات فُتحت عند العودة إلى الوضع الاعتيادي",
    log: "قيود في سجل المناوبة",
    volunteers: "متطوّعون",
  },
  en: {
    dir: "ltr",
    title: "Emergency summary",
    drill: "Drill",
    started: "Started",
    closed: "Closed",
    open: "Open",
    duration: "Duration (minutes)",
    communities: "Communities",
    calls: "Call list",
    total: "Total",
    reachedOk: "Reached — OK",
    reachedNeedsHelp: "Reached — needs help",
    notReached: "Not reached",
    pending: "Not yet called",
    escalated: "Escalated",
    selfReported: "Answered themselves",
    help: "Help requests",
    category: "Category",
    completed: "Completed",
    becameNeeds: "Became needs",
    shelters: "Shelters and distribution points",
    occupancy: "Occupancy",
    needs: "Needs opened on return to routine",
    log: "Shift log entries",
    volunteers: "Volunteers",
  },
};

const esc = (s: string | number) =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

const fmt = (iso: string | null, locale: SummaryLocale) =>
  iso
    ? new Date(iso).toLocaleString(locale === "en" ? "en-IL" : `${locale}-IL`, {
        timeZone: "Asia/Jerusalem",
        dateStyle: "short",
        timeStyle: "short",
      })
    : "";

export function renderSummaryPage(s: EmergencySummary, locale: SummaryLocale): string {
  const t = T[locale];
  const e = s.emergency;
  const row = (k: string, v: string | number) =>
    `<tr><th scope="row">${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const c = s.counts;
  return `<!doctype html><html lang="${locale}" dir="${t.dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(t.title!)} — ${esc(e.title)}</title>
<style>body{font:15px/1.45 system-ui,Arial,sans-serif;margin:1.5rem;color:#111}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:1.5rem}
table{border-collapse:collapse;min-width:22rem}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:start}thead th{background:#eee}
.drill{border:2px solid #8a6d00;background:#fff3bf;padding:.2rem .5rem;font-weight:700}@media print{body{margin:0}}</style></head>
<body><h1>${esc(t.title!)}: ${esc(e.title)}${e.drill ? ` <span class="drill">${esc(t.drill!)}</span>` : ""}</h1>
<table><tbody>
${row(t.started!, fmt(e.startedAt, locale))}
${row(t.closed!, e.closedAt ? fmt(e.closedAt, locale) : t.open!)}
${row(t.duration!, s.durationMinutes)}
${row(t.communities!, e.communities.map((x) => x.name).join(", "))}
${row(t.volunteers!, s.volunteers)}
${row(t.log!, s.logEntries)}
</tbody></table>
<h2>${esc(t.calls!)}</h2><table><tbody>
${row(t.total!, c.calls)}${row(t.reachedOk!, c.reachedOk)}${row(t.reachedNeedsHelp!, c.reachedNeedsHelp)}
${row(t.notReached!, c.notReached)}${row(t.escalated!, c.escalated)}${row(t.pending!, c.pending)}${row(t.selfReported!, c.selfReported)}
</tbody></table>
<table><thead><tr><th scope="col">${esc(t.communities!)}</th><th scope="col">${esc(t.total!)}</th><th scope="col">${esc(t.reachedOk!)}</th><th scope="col">${esc(t.reachedNeedsHelp!)}</th><th scope="col">${esc(t.notReached!)}</th></tr></thead><tbody>
${s.byCommunity.map((b) => `<tr><td>${esc(b.community.name)}</td><td>${b.calls}</td><td>${b.reachedOk}</td><td>${b.reachedNeedsHelp}</td><td>${b.notReached}</td></tr>`).join("")}
</tbody></table>
<h2>${esc(t.help!)}</h2><table><thead><tr><th scope="col">${esc(t.category!)}</th><th scope="col">${esc(t.total!)}</th><th scope="col">${esc(t.completed!)}</th><th scope="col">${esc(t.becameNeeds!)}</th></tr></thead><tbody>
${s.helpByCategory.map((h) => `<tr><td>${esc(helpCategoryLabel(locale, h.category))}</td><td>${h.total}</td><td>${h.completed}</td><td>${h.becameNeeds}</td></tr>`).join("")}
</tbody></table>
<h2>${esc(t.needs!)}</h2><p>${s.needsCreated.map((n) => esc(n.reference)).join(", ") || "—"}</p>
<h2>${esc(t.shelters!)}</h2><table><thead><tr><th scope="col">${esc(t.shelters!)}</th><th scope="col">${esc(t.occupancy!)}</th></tr></thead><tbody>
${s.shelters.map((x) => `<tr><td>${esc(x.name)}</td><td>${x.occupancy ?? 0}${x.capacity !== null ? ` / ${x.capacity}` : ""}</td></tr>`).join("")}
</tbody></table></body></html>`;
}
