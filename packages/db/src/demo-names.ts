/**
 * Name pools of the demo and scale generator, by community of origin. Every
 * name is written in Hebrew letters (as Israeli records usually hold them), in
 * its own script where it has one (Arabic, Cyrillic) and in Latin letters.
 * Common names, combined at random: any likeness to real people is chance.
 *
 * Each entry is "hebrew|native|latin" (native empty when the name is Hebrew).
 */

export type Origin =
  "jewish" | "arab_muslim" | "arab_christian" | "russian" | "ethiopian" | "english";

export type NameForm = { he: string; native: string; latin: string };

/** How the name of a person of this origin is written: native script, if any. */
export const ORIGIN_SCRIPT: Record<Origin, "he" | "ar" | "ru" | "latin"> = {
  jewish: "he",
  arab_muslim: "ar",
  arab_christian: "ar",
  russian: "ru",
  ethiopian: "latin",
  english: "latin",
};

const parse = (list: string): NameForm[] =>
  list
    .trim()
    .split(/\s*\n\s*/)
    .map((line) => {
      const [he = "", native = "", latin = ""] = line.split("|");
      return { he, native, latin };
    });

/* ---------------------------------------------------------------- Israeli Jewish */

const jewishMale = parse(`
יוסף||Yosef
דוד||David
משה||Moshe
אברהם||Avraham
יצחק||Yitzhak
יעקב||Yaakov
אורי||Uri
איתי||Itay
נועם||Noam
עומר||Omer
אליהו||Eliyahu
שמואל||Shmuel
רון||Ron
גיל||Gil
אמיר||Amir
עידו||Ido
יונתן||Yonatan
דניאל||Daniel
אריאל||Ariel
מאיר||Meir
חיים||Haim
שלמה||Shlomo
ניר||Nir
אבי||Avi
אלון||Alon
רפאל||Refael
יהודה||Yehuda
בנימין||Binyamin
עמית||Amit
תומר||Tomer
אלי||Eli
שלום||Shalom
ציון||Tzion
מרדכי||Mordechai
יגאל||Yigal
`);
const jewishFemale = parse(`
שרה||Sara
רחל||Rachel
מיכל||Michal
נועה||Noa
תמר||Tamar
יעל||Yael
רותם||Rotem
שירה||Shira
מאיה||Maya
אורית||Orit
לאה||Lea
אסתר||Ester
רבקה||Rivka
חנה||Hana
דבורה||Dvora
אילנה||Ilana
ענבל||Inbal
הדס||Hadas
ליאת||Liat
סיגל||Sigal
מרים||Miriam
שושנה||Shoshana
אביגיל||Avigail
טליה||Talya
אפרת||Efrat
זהבה||Zehava
פנינה||Pnina
יפה||Yafa
נורית||Nurit
מזל||Mazal
אושרת||Oshrat
`);
const jewishSurnames = parse(`
כהן||Cohen
לוי||Levi
מזרחי||Mizrahi
פרץ||Peretz
ביטון||Biton
דהן||Dahan
אברהם||Avraham
פרידמן||Friedman
אזולאי||Azulay
מלכה||Malka
חדד||Hadad
אוחיון||Ohayon
גבאי||Gabay
שפירא||Shapira
אשכנזי||Ashkenazi
ברק||Barak
גולן||Golan
שטרן||Stern
רוזנברג||Rosenberg
יוסף||Yosef
עמר||Amar
בן דוד||Ben David
שמעוני||Shimoni
נחום||Nahum
קליין||Klein
ששון||Sasson
אלמוג||Almog
בוזגלו||Buzaglo
טל||Tal
שגיא||Sagi
חזן||Hazan
סויסה||Suissa
בן שושן||Ben Shushan
וקנין||Vaknin
אהרוני||Aharoni
`);

/* ---------------------------------------------------------------- Arab (Muslim and Christian) */

const muslimMale = parse(`
מוחמד|محمد|Muhammad
אחמד|أحمد|Ahmad
מחמוד|محمود|Mahmoud
עלי|علي|Ali
חסן|حسن|Hasan
חוסיין|حسين|Hussein
יוסף|يوسف|Yousef
עומר|عمر|Omar
ח'אלד|خالد|Khaled
איברהים|إبراهيم|Ibrahim
סאמר|سامر|Samer
ראמי|رامي|Rami
ואסים|وسيم|Wasim
מוסא|موسى|Musa
עבדאללה|عبد الله|Abdallah
כרים|كريم|Karim
אנס|أنس|Anas
אמיר|أمير|Amir
סלים|سليم|Salim
ג'מאל|جمال|Jamal
נביל|نبيل|Nabil
ריאד|رياض|Riyad
טארק|طارق|Tareq
מוראד|مراد|Murad
איאד|إياد|Iyad
באסל|باسل|Basel
עאדל|عادل|Adel
זיאד|زياد|Ziad
אסמאעיל|إسماعيل|Ismail
מוסטפא|مصطفى|Mustafa
`);
const muslimFemale = parse(`
פאטמה|فاطمة|Fatma
מרים|مريم|Maryam
עאישה|عائشة|Aisha
נור|نور|Nur
ראניה|رانيا|Rania
סמאח|سماح|Samah
הבה|هبة|Hiba
אמל|أمل|Amal
לינא|لينا|Lina
רים|ريم|Reem
סלמא|سلمى|Salma
ח'דיג'ה|خديجة|Khadija
זינב|زينب|Zeinab
יאסמין|ياسمين|Yasmin
סועאד|سعاد|Suad
ג'מילה|جميلة|Jamila
אסמאא|أسماء|Asmaa
דועאא|دعاء|Duaa
הנאא|هناء|Hanaa
ולאא|ولاء|Walaa
נסרין|نسرين|Nisreen
רשא|رشا|Rasha
מנאל|منال|Manal
איה|آية|Aya
אמירה|أميرة|Amira
סוהא|سهى|Suha
`);
const christianMale = parse(`
ג'ורג'|جورج|George
אליאס|إلياس|Elias
חנא|حنا|Hanna
ניקולא|نقولا|Nicola
בשארה|بشارة|Bishara
מיכאיל|ميخائيل|Mikhail
פאדי|فادي|Fadi
סאמי|سامي|Sami
ג'ריס|جريس|Jiries
אמיל|إميل|Emil
טוני|طوني|Tony
וליד|وليد|Walid
יוסף|يوسف|Yousef
סלים|سليم|Salim
`);
const christianFemale = parse(`
מרים|مريم|Mariam
ריטא|ريتا|Rita
מארי|ماري|Mary
ג'ומאנה|جمانة|Jumana
רולא|رولا|Rula
הלא|هالة|Hala
סמירה|سميرة|Samira
ניקול|نيكول|Nicole
ראנה|رنا|Rana
סוזאן|سوزان|Suzan
ג'ורג'ט|جورجيت|Georgette
לילא|ليلى|Layla
`);
const muslimSurnames = parse(`
מסארווה|مصاروة|Masarwa
עבאס|عباس|Abbas
מחאמיד|محاميد|Mahameed
ג'בארין|جبارين|Jabareen
זועבי|زعبي|Zoabi
אבו ריא|أبو ريا|Abu Riya
טאהא|طه|Taha
אגבאריה|اغبارية|Ighbariyeh
סעדי|سعدي|Saadi
ח'טיב|خطيب|Khatib
יונס|يونس|Younis
ח'לאילה|خلايلة|Khalaileh
דראושה|دراوشة|Darawshe
סואעד|سواعد|Sawaed
עת'אמנה|عثامنة|Athamneh
אבו סאלח|أبو صالح|Abu Saleh
חאג' יחיא|حاج يحيى|Hajj Yahya
מנסור|منصور|Mansour
נאסר|ناصر|Nasser
עומרי|عمري|Omari
`);
const christianSurnames = parse(`
חורי|خوري|Khoury
חדאד|حداد|Haddad
נסאר|نصار|Nassar
עודה|عودة|Odeh
שחאדה|شحادة|Shehadeh
בולוס|بولس|Boulos
סבאע'|صباغ|Sabbagh
מטר|مطر|Matar
שלהוב|شلهوب|Shalhoub
ג'ריס|جريس|Jiries
`);

/* ---------------------------------------------------------------- Russian-speaking immigrants */

const russianMale = parse(`
אלכסנדר|Александр|Aleksandr
דמיטרי|Дмитрий|Dmitri
סרגיי|Сергей|Sergei
איגור|Игорь|Igor
ולדימיר|Владимир|Vladimir
מיכאיל|Михаил|Mikhail
יבגני|Евгений|Evgeni
בוריס|Борис|Boris
אנדריי|Андрей|Andrei
פאבל|Павел|Pavel
לאוניד|Леонид|Leonid
יורי|Юрий|Yuri
מקסים|Максим|Maksim
ארקדי|Аркадий|Arkadi
גריגורי|Григорий|Grigori
ויקטור|Виктор|Viktor
אלכסיי|Алексей|Aleksei
ואדים|Вадим|Vadim
רומן|Роман|Roman
סמיון|Семён|Semyon
`);
const russianFemale = parse(`
אלנה|Елена|Elena
אולגה|Ольга|Olga
טטיאנה|Татьяна|Tatiana
נטליה|Наталья|Natalia
סבטלנה|Светлана|Svetlana
אירינה|Ирина|Irina
מרינה|Марина|Marina
לודמילה|Людмила|Ludmila
יוליה|Юлия|Yulia
גלינה|Галина|Galina
ויקטוריה|Виктория|Viktoria
אנה|Анна|Anna
סופיה|София|Sofia
רעיסה|Раиса|Raisa
ולנטינה|Валентина|Valentina
אינה|Инна|Inna
לריסה|Лариса|Larisa
קסניה|Ксения|Ksenia
דריה|Дарья|Daria
פולינה|Полина|Polina
`);
/** Surnames with a feminine form: "male/female" in each column. */
const russianGenderedSurnames = parse(`
פטרוב/פטרובה|Петров/Петрова|Petrov/Petrova
איבנוב/איבנובה|Иванов/Иванова|Ivanov/Ivanova
סמירנוב/סמירנובה|Смирнов/Смирнова|Smirnov/Smirnova
קוזנצוב/קוזנצובה|Кузнецов/Кузнецова|Kuznetsov/Kuznetsova
פופוב/פופובה|Попов/Попова|Popov/Popova
וולקוב/וולקובה|Волков/Волкова|Volkov/Volkova
מורוזוב/מורוזובה|Морозов/Морозова|Morozov/Morozova
סוקולוב/סוקולובה|Соколов/Соколова|Sokolov/Sokolova
לבדב/לבדבה|Лебедев/Лебедева|Lebedev/Lebedeva
נוביקוב/נוביקובה|Новиков/Новикова|Novikov/Novikova
`);
const russianSurnames = parse(`
רבינוביץ'|Рабинович|Rabinovich
גורביץ'|Гуревич|Gurevich
קפלן|Каплан|Kaplan
פרידמן|Фридман|Fridman
קוגן|Коган|Kogan
לוין|Левин|Levin
זילברמן|Зильберман|Zilberman
שפירו|Шапиро|Shapiro
ברקוביץ'|Беркович|Berkovich
גולדשטיין|Гольдштейн|Goldshtein
שוורצמן|Шварцман|Shvartsman
ליפשיץ|Лифшиц|Lifshits
`);

/* ---------------------------------------------------------------- Ethiopian-Israeli */

const ethiopianMale = parse(`
אברהם||Avraham
מלסה||Melese
יטבארק||Yitbarek
טספאי||Tesfaye
גטהון||Getahun
אבבה||Abebe
מנגיסטו||Mengistu
דסטה||Desta
ברהנו||Birhanu
ביניאם||Biniam
אשנפי||Ashenafi
אדיסו||Addisu
טדסה||Tadesse
גטנט||Getnet
ימר||Yimer
קסהון||Kassahun
בלאי||Belay
אלמו||Alemu
וורקו||Worku
יוסף||Yosef
`);
const ethiopianFemale = parse(`
טגיסט||Tigist
אלמז||Almaz
מסרט||Meseret
וורקנש||Worknesh
בזאוויט||Bezawit
הירות||Hirut
ייטנש||Yitnesh
צגה||Tsega
אבבץ'||Abebech
טרונש||Terunesh
זנבך||Zenebech
אסתר||Ester
מזל||Mazal
פנינה||Pnina
`);
const ethiopianSurnames = parse(`
מלסה||Melese
טספאי||Tesfaye
אבבה||Abebe
דסטה||Desta
גטהון||Getahun
ברהנו||Birhanu
אדמסו||Admasu
טקלה||Tekle
ימר||Yimer
מנגיסטו||Mengistu
מקונן||Mekonen
באיו||Bayu
וורקו||Worku
אלמו||Alemu
בלאי||Belay
קסהון||Kassahun
זאודה||Zewde
`);

/* ---------------------------------------------------------------- English-speaking immigrants */

const englishMale = parse(`
דייוויד||David
מייקל||Michael
ג'ושוע||Joshua
בנג'מין||Benjamin
ג'ונתן||Jonathan
אדם||Adam
נתן||Nathan
`);
const englishFemale = parse(`
ג'ניפר||Jennifer
רייצ'ל||Rachel
שרה||Sarah
אמילי||Emily
רבקה||Rebecca
ג'סיקה||Jessica
חנה||Hannah
`);
const englishSurnames = parse(`
גולדברג||Goldberg
ברגר||Berger
שוורץ||Schwartz
מילר||Miller
גרין||Green
אדלר||Adler
רוזן||Rosen
סילבר||Silver
`);

type Pools = { male: NameForm[]; female: NameForm[]; surnames: NameForm[] };

export const NAME_POOLS: Record<Origin, Pools> = {
  jewish: { male: jewishMale, female: jewishFemale, surnames: jewishSurnames },
  arab_muslim: { male: muslimMale, female: muslimFemale, surnames: muslimSurnames },
  arab_christian: { male: christianMale, female: christianFemale, surnames: christianSurnames },
  russian: {
    male: russianMale,
    female: russianFemale,
    surnames: [...russianGenderedSurnames, ...russianSurnames],
  },
  ethiopian: { male: ethiopianMale, female: ethiopianFemale, surnames: ethiopianSurnames },
  english: { male: englishMale, female: englishFemale, surnames: englishSurnames },
};

/** The form of a (possibly gendered, "m/f") surname for a man or a woman. */
export function surnameFor(name: NameForm, gender: "female" | "male"): NameForm {
  const side = (s: string) => {
    const [m, f] = s.split("/");
    return gender === "female" ? (f ?? m ?? "") : (m ?? "");
  };
  return { he: side(name.he), native: side(name.native), latin: side(name.latin) };
}
