import type { Locale } from "@kaveret/contracts";

/**
 * What the intake conversation says, in plain language, per language. Short
 * sentences: these arrive as SMS and WhatsApp messages on small phones.
 * Hebrew and Arabic address the resident in the plural, which reads as
 * neither masculine nor feminine. The Amharic wants a native speaker's read.
 */
export type ConversationTexts = {
  /** First message had no description (only hello, a photo or a location). */
  askDescription: string;
  askCategory: string;
  /** Said once, with the first question. */
  cancelHint: string;
  /** The WhatsApp list button (≤ 20 characters). */
  chooseButton: string;
  /** The "0" choice (≤ 20 characters, so "0. …" fits a WhatsApp row). */
  notSure: string;
  /** Body of the second and later WhatsApp list pages. */
  moreTopics: string;
  askLocation: { whatsapp: string; sms: string };
  notUnderstood: string;
  photoReceived: string;
  cancelled: string;
  truncated: string;
  thanks: (reference: string) => string;
  afterDone: string;
};

export const CONVERSATION_TEXTS: Record<Locale, ConversationTexts> = {
  he: {
    askDescription: "שלום! כאן אפשר לדווח על צורך או על בעיה בשכונה. כתבו במשפט או שניים מה קרה.",
    askCategory: "תודה. במה מדובר? שלחו את המספר המתאים.",
    cancelHint: "(לביטול כתבו: ביטול)",
    chooseButton: "בחירת נושא",
    notSure: "לא בטוח/ה",
    moreTopics: "נושאים נוספים",
    askLocation: {
      whatsapp:
        "איפה זה? שלחו מיקום בוואטסאפ או כתבו כתובת (רחוב ומספר). אם אין מקום מסוים, כתבו 0.",
      sms: "איפה זה? כתבו כתובת (רחוב ומספר). אם אין מקום מסוים, כתבו 0.",
    },
    notUnderstood: "לא הבנו את התשובה.",
    photoReceived: "התמונה התקבלה.",
    cancelled: "הדיווח בוטל. אפשר לכתוב לנו שוב בכל זמן.",
    truncated: "ההודעה ארוכה, שמרנו את 2,000 התווים הראשונים.",
    thanks: (ref) => `תודה! הדיווח התקבל, מספר פנייה ${ref}. צוות המחלקה יבדוק אותו.`,
    afterDone: "הדיווח שלכם כבר התקבל. כדי לדווח על משהו נוסף, כתבו אותו בהודעה חדשה.",
  },
  ar: {
    askDescription:
      "مرحبًا! هنا يمكن الإبلاغ عن حاجة أو مشكلة في الحي. اكتبوا في جملة أو جملتين ماذا حدث.",
    askCategory: "شكرًا. ما هو الموضوع؟ أرسلوا الرقم المناسب.",
    cancelHint: "(للإلغاء اكتبوا: الغاء)",
    chooseButton: "اختيار الموضوع",
    notSure: "لست متأكدًا",
    moreTopics: "مواضيع أخرى",
    askLocation: {
      whatsapp:
        "أين يحدث ذلك؟ أرسلوا موقعًا في واتساب أو اكتبوا عنوانًا (الشارع والرقم). إذا لم يكن هناك مكان محدد، اكتبوا 0.",
      sms: "أين يحدث ذلك؟ اكتبوا عنوانًا (الشارع والرقم). إذا لم يكن هناك مكان محدد، اكتبوا 0.",
    },
    notUnderstood: "لم نفهم الرد.",
    photoReceived: "وصلت الصورة.",
    cancelled: "تم إلغاء البلاغ. يمكنكم الكتابة لنا مرة أخرى في أي وقت.",
    truncated: "الرسالة طويلة، حفظنا أول 2,000 حرف.",
    thanks: (ref) => `شكرًا! وصل البلاغ، رقم الطلب ${ref}. سيفحصه طاقم القسم.`,
    afterDone: "وصل بلاغكم. للإبلاغ عن شيء آخر، اكتبوه في رسالة جديدة.",
  },
  en: {
    askDescription:
      "Hello! Here you can report a need or a problem in your neighbourhood. Write in a sentence or two what happened.",
    askCategory: "Thank you. What is it about? Send the number.",
    cancelHint: "(To cancel, write: stop)",
    chooseButton: "Choose a topic",
    notSure: "Not sure",
    moreTopics: "More topics",
    askLocation: {
      whatsapp:
        "Where is it? Send a location in WhatsApp or write an address (street and number). If there is no particular place, write 0.",
      sms: "Where is it? Write an address (street and number). If there is no particular place, write 0.",
    },
    notUnderstood: "We did not understand the answer.",
    photoReceived: "Photo received.",
    cancelled: "The report was cancelled. You can write to us again at any time.",
    truncated: "Your message was long; we kept the first 2,000 characters.",
    thanks: (ref) =>
      `Thank you! Your report was received, reference ${ref}. The team will look at it.`,
    afterDone:
      "Your report was already received. To report something else, write it in a new message.",
  },
  ru: {
    askDescription:
      "Здравствуйте! Здесь можно сообщить о нужде или проблеме в районе. Напишите в одном-двух предложениях, что случилось.",
    askCategory: "Спасибо. О чём идёт речь? Отправьте номер.",
    cancelHint: "(Чтобы отменить, напишите: стоп)",
    chooseButton: "Выбрать тему",
    notSure: "Не знаю",
    moreTopics: "Другие темы",
    askLocation: {
      whatsapp:
        "Где это? Отправьте геопозицию в WhatsApp или напишите адрес (улица и номер дома). Если места нет, напишите 0.",
      sms: "Где это? Напишите адрес (улица и номер дома). Если места нет, напишите 0.",
    },
    notUnderstood: "Мы не поняли ответ.",
    photoReceived: "Фото получено.",
    cancelled: "Сообщение отменено. Вы можете написать нам снова в любое время.",
    truncated: "Сообщение длинное, мы сохранили первые 2000 символов.",
    thanks: (ref) =>
      `Спасибо! Сообщение получено, номер обращения ${ref}. Сотрудники его рассмотрят.`,
    afterDone: "Ваше сообщение уже получено. Чтобы сообщить о другом, напишите новое сообщение.",
  },
  am: {
    askDescription:
      "ሰላም! እዚህ በሰፈርዎ ያለ ችግር ወይም ፍላጎት ማሳወቅ ይችላሉ። ምን እንደተፈጠረ በአንድ ወይም በሁለት ዓረፍተ ነገር ይጻፉ።",
    askCategory: "እናመሰግናለን። ጉዳዩ ስለ ምንድን ነው? ቁጥሩን ይላኩ።",
    cancelHint: "(ለመሰረዝ፦ አቁም ብለው ይጻፉ)",
    chooseButton: "ርዕስ ይምረጡ",
    notSure: "እርግጠኛ አይደለሁም",
    moreTopics: "ሌሎች ርዕሶች",
    askLocation: {
      whatsapp:
        "የት ነው? በዋትስአፕ አካባቢዎን (location) ይላኩ ወይም አድራሻ (መንገድ እና ቁጥር) ይጻፉ። የተወሰነ ቦታ ከሌለ 0 ይጻፉ።",
      sms: "የት ነው? አድራሻ (መንገድ እና ቁጥር) ይጻፉ። የተወሰነ ቦታ ከሌለ 0 ይጻፉ።",
    },
    notUnderstood: "መልስዎን አልተረዳንም።",
    photoReceived: "ፎቶው ደርሷል።",
    cancelled: "ሪፖርቱ ተሰርዟል። በማንኛውም ጊዜ እንደገና ሊጽፉልን ይችላሉ።",
    truncated: "መልእክትዎ ረጅም ነበር፤ የመጀመሪያዎቹን 2,000 ፊደላት አስቀምጠናል።",
    thanks: (ref) => `እናመሰግናለን! ሪፖርትዎ ደርሷል፣ የማጣቀሻ ቁጥር ${ref}። ሠራተኞቻችን ይመለከቱታል።`,
    afterDone: "ሪፖርትዎ ቀድሞ ደርሷል። ሌላ ነገር ለማሳወቅ በአዲስ መልእክት ይጻፉ።",
  },
};

/**
 * Words the conversation recognises whatever language it runs in (a resident
 * may answer in another language than they started in). Matched whole, after
 * folding (case, niqqud/harakat, Hebrew final letters, Arabic alef forms).
 */
export const CONVERSATION_WORDS = {
  cancel: [
    "ביטול",
    "בטל",
    "לבטל",
    "עצור",
    "הפסק",
    "الغاء",
    "إلغاء",
    "الغي",
    "توقف",
    "stop",
    "cancel",
    "стоп",
    "отмена",
    "отменить",
    "አቁም",
    "ሰርዝ",
  ],
  skip: [
    "דלג",
    "אין",
    "לא",
    "בלי",
    "אין מקום",
    "تخطي",
    "تخطى",
    "لا",
    "لا يوجد",
    "بدون",
    "skip",
    "no",
    "none",
    "пропустить",
    "нет",
    "ዝለል",
    "የለም",
    "አይ",
  ],
  greetings: [
    "שלום",
    "היי",
    "הי",
    "בוקר טוב",
    "ערב טוב",
    "مرحبا",
    "اهلا",
    "أهلا",
    "السلام عليكم",
    "hi",
    "hello",
    "hey",
    "good morning",
    "привет",
    "здравствуйте",
    "добрый день",
    "ሰላም",
    "ጤና ይስጥልኝ",
  ],
  thanks: [
    "תודה",
    "תודה רבה",
    "אוקיי",
    "شكرا",
    "شكرا جزيلا",
    "thanks",
    "thank you",
    "ok",
    "спасибо",
    "አመሰግናለሁ",
    "እናመሰግናለን",
  ],
} as const;
