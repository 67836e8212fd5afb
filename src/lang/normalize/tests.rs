use super::*;

const Z: char = '\u{200C}';

fn norm(s: &str) -> String {
    normalize(s).0
}

/// `s` with every «|» replaced by a ZWNJ.
fn z(s: &str) -> String {
    s.replace('|', &Z.to_string())
}

fn assert_idempotent(s: &str) {
    let once = norm(s);
    let (twice, changes) = normalize(&once);
    assert_eq!(twice, once, "not idempotent on {s:?}");
    assert!(changes.is_empty(), "second pass changed {changes:?}");
}

/// The invitation (invitation-fa.source.txt), as pasted.
const INVITATION: &str = "

در کنگره حزب کمونیست کارگری شرکت کنید!

خانواده های دادخواه،

تشکل های کارگران، معلمان و بازنشستگان،

تشکل های دانشجویی،

کانون نویسندگان و کانون وکلا،

ورزشکاران و هنرمندان متعهد و آزاده،

نهادهای مدافع حقوق کودک و محیط زیست،

نهادهای و شبکه های جنبش رهایی زن

خانواده های زندانیان سیاسی

در کنگره حزب کمونیست کارگری که به دلیل شیوع کرونا بصورت آنلاین در روزهای ۱۲ تا ۱۴ آذر برگزار میشود شرکت کنید. این حق شما است که با احزاب سیاسی تماس بگیرید، در میتینگ ها و همایش های آنها شرکت کنید، نظر بدهید، نقد کنید و یا انتظارتان را طرح کنید. این حق را حکومت از مردم گرفته است، حکومتی که از بدو سر کار آمدن و بعنوان اولین اقدام احزاب مخالف را ممنوع کرد، هزاران نفر از فعالین آنها را دستگیر و اعدام کرد و تماس و رابطه با آنها را امنیتی کرد، ۴۲ سال علیه آنها لجن پراکنی کرد و تلاش کرد جامعه را از حق حزب و تشکل و پیوستن به احزاب یا ایجاد حزب و سازمان سیاسی خود محروم کند. اما همانقدر موفق شد که در جلوگیری

از اعتصابات و تجمعات اعتراضی مردم و یا
جلوگیری از شکلگیری تشکلهای کارگری
و مردمی موفق شد.

جمهوری اسلامی با تمام قوا و با استفاده از
تمام ابزار سرکوب تلاش کرده است جامعه را از
احزاب جدا کند، مانع پیوستن مردم به احزاب
مورد نظرشان بشود، و با اینکار از تودهای شدن
احزاب و شکلگیری آلترناتیوهای قدرتمند
در مقابل حکومت جلوگیری کند چون میداند
این مساله تا چه اندازه برای حکومت خطرناک
و بنیان برانداز است. تحزب و متشکل شدن
در احزاب سرنگونی طلب عرصه نبرد سیاسی
مهمی است که باید به صورت یک جنبش
گسترده قد علم کند و این حق را در عمل

به حکومت تحمیل کند همینطور که اعتصاب و اعتراض و تشکل های مختلف در عمل به حکومت تحمیل شدند. این فرهنگی سیاسی است که باید تقویت شود، فرهنگ سازمانیابی و سازماندهی دیگران، فرهنگ گردآوری نیرو، فرهنگ عبور از جمهوری اسلامی.

از همه شما دعوت میکنم در کنگره حزب کمونیست کارگری شرکت کنید. این حزب همه کسانی است که برای آزادی و عدالت میجنگند. حزبی که تقویت کلیه جنبش های اعتراضی و حق طلبانه و تقویت تشکل های مردمی را یک امر مهم خود میداند. این حزب و کنگره اش را ابزاری برای تقویت اهداف آزادیخواهانه خود بدانید. به کنگره این حزب پیام بدهید و

انتظاراتتان را از طریق پیام های صوتی یا کتبی
به کنگره برسانید، توقعات خود را از حزب و
کنگره اش مطرح کنید و به این طریق به رشد
فرهنگ حزب در جامعه نیز کمک کنید.

به امید حضور شما در کنگره دوازدهم حزب.

اصغر کریمی

رئیس هیئت اجرایی حزب

۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)

وب سایت:

www.wpiran.org

تماس با حزب:

پیامگیر تلگرام: **wpi_tamas@**

و یا با ارسال پیام به شماره

۰۰۴۶۷۰۰۴۴۷۴۲۵

از طریق سیگنال، واتساپ و تلگرام و اینستاگرام";

const SENTENCES: &[&str] = &[
    "جمهوری اسلامی با تمام قوا و با استفاده از\nتمام ابزار سرکوب تلاش کرده است جامعه را از\nاحزاب جدا کند، مانع پیوستن مردم به احزاب\nمورد نظرشان بشود، و با اینکار از تودهای شدن\nاحزاب و شکلگیری آلترناتیوهای قدرتمند\nدر مقابل حکومت جلوگیری کند چون میداند\nاین مساله تا چه اندازه برای حکومت خطرناک",
    "از شکلگیری تشکلهای کارگری",
    "با اینکار از تودهای شدن احزاب",
    "در میتینگ ها و همایش های آنها شرکت کنید",
    "كتاب علي",
    "وب سایت: www.wpiran.org",
    "ساعت ۱۲:۳۰ و عدد 3.5",
    "خانواده های دادخواه،",
    "این حزب و کنگره اش را ابزاری برای تقویت اهداف آزادیخواهانه خود بدانید.",
    "حزبی که تقویت کلیه جنبش های اعتراضی و حق طلبانه و تقویت تشکل های مردمی را یک امر مهم خود میداند.",
    "از همه شما دعوت میکنم در کنگره حزب کمونیست کارگری شرکت کنید.",
    "  سلام ، خوبی ؟\tچرا  دیر آمدی ؟  ",
    "( نهادهای مدافع حقوق کودک )",
];

#[test]
fn invitation_sentence_gets_mi_and_nothing_else() {
    let s = SENTENCES[0];
    let (out, changes) = normalize(s);
    let expected = s.replace("میداند", &z("می|داند")).replace("تودهای", &z("توده|ای"));
    assert_eq!(out, expected);
    assert!(out.contains(&z("می|داند")));
    // The newlines of the pasted paragraph survive.
    assert_eq!(out.matches('\n').count(), 6);
    let rules: Vec<Rule> = changes.iter().map(|c| c.rule).collect();
    assert_eq!(rules, [Rule::ZwnjAfterMi, Rule::ZwnjBeforeSuffix]);
    let mi = &changes[0];
    assert_eq!((mi.before.as_str(), mi.after.as_str()), ("میداند", z("می|داند").as_str()));
    assert_eq!(&s[mi.offset..mi.offset + mi.before.len()], "میداند");
    // «اینکار», «شکلگیری»: compounds written solid, no rule splits them.
    assert!(out.contains("اینکار") && out.contains("شکلگیری"));
}

#[test]
fn attached_plural_split_with_standalone_evidence() {
    let text = "جامعه را از حق حزب و تشکل و پیوستن به احزاب محروم کند.\nجلوگیری از شکلگیری تشکلهای کارگری";
    let out = norm(text);
    assert!(out.contains(&z("از شکلگیری تشکل|های کارگری")), "{out}");
    // «شکلگیری» is a solid compound (شکل + گیری): no rule touches it.
    assert!(out.contains("شکلگیری"));
    // Without «تشکل» on its own, the attached form stays.
    assert_eq!(norm("از شکلگیری تشکلهای کارگری"), "از شکلگیری تشکلهای کارگری");
    // Evidence may also be a form already split: «تشکل‌های».
    assert!(norm(&z("تشکل|های دانشجویی و تشکلهای کارگری")).contains(&z("و تشکل|های کارگری")));
}

#[test]
fn silent_heh_list_gives_heh_zwnj_ey() {
    let (out, changes) = normalize("با اینکار از تودهای شدن احزاب");
    assert_eq!(out, z("با اینکار از توده|ای شدن احزاب"));
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].before, "تودهای");
    assert_eq!(changes[0].offset, "با اینکار از ".len());
    // A double heh («تودههای», plural without ZWNJ) is not read as «توده‌ای».
    assert_eq!(norm("تودههای مردم"), "تودههای مردم");
    assert_eq!(norm(&z("تودهه|ای")), z("تودهه|ای"));
    // Stem is a word here too: «جامع» on its own makes «جامعهای» ambiguous.
    assert_eq!(norm("طرحی جامع و جامعهای آزاد"), "طرحی جامع و جامعهای آزاد");
    // «نامه» is deliberately not in the list: «نامهای» may be «نام‌های».
    assert_eq!(norm("نامهای آنان"), "نامهای آنان");
}

#[test]
fn standalone_plural_joined() {
    let (out, changes) = normalize("در میتینگ ها و همایش های آنها شرکت کنید");
    assert_eq!(out, z("در میتینگ|ها و همایش|های آنها شرکت کنید"));
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].before, "میتینگ ها");
    assert_eq!(changes[1].before, "همایش های");
    // «آنها» stays solid even with «آن» standing alone in the text.
    assert_eq!(norm("آن کتاب و آنها"), "آن کتاب و آنها");
    assert_eq!(norm("خانواده های دادخواه،"), z("خانواده|های دادخواه،"));
    assert_eq!(norm("نهادهای و شبکه های جنبش رهایی زن"), z("نهادهای و شبکه|های جنبش رهایی زن"));
    assert_eq!(norm("بزرگ ترین کنگره"), z("بزرگ|ترین کنگره"));
    // A second suffix after the first is a typo: only the first is joined.
    assert_eq!(norm("کتاب های ها"), z("کتاب|های ها"));
    // «تر» on its own may be "wet": left alone.
    assert_eq!(norm("لباس تر است"), "لباس تر است");
    // Not after a digit, Latin or punctuation, not across a line.
    assert_eq!(norm("دهه ۶۰ ها"), "دهه ۶۰ ها");
    assert_eq!(norm("PDF ها"), "PDF ها");
    assert_eq!(norm("کتاب،ها"), "کتاب، ها");
    assert_eq!(norm("کتاب\nها"), "کتاب\nها");
}

#[test]
fn clitics_after_silent_heh() {
    assert_eq!(norm("خانه ای بزرگ"), z("خانه|ای بزرگ"));
    assert_eq!(norm("آنان رفته اند"), z("آنان رفته|اند"));
    assert_eq!(
        norm("این حزب و کنگره اش را ابزاری برای تقویت اهداف آزادیخواهانه خود بدانید."),
        z("این حزب و کنگره|اش را ابزاری برای تقویت اهداف آزادیخواهانه خود بدانید.")
    );
    // «که ای کاش»: vocative after a two-letter word, not a clitic.
    assert_eq!(norm("گفت که ای کاش"), "گفت که ای کاش");
    // Pronounced heh: «راه»، «گروه»، «توجه».
    assert_eq!(norm("راه ای"), "راه ای");
    assert_eq!(norm("گروه ام"), "گروه ام");
    assert_eq!(norm("توجه اش"), "توجه اش");
    // Only after a word ending in heh.
    assert_eq!(norm("کتاب ای"), "کتاب ای");
}

#[test]
fn mi_prefix_on_verbs() {
    let s =
        "در کنگره حزب کمونیست کارگری که به دلیل شیوع کرونا بصورت آنلاین در روزهای ۱۲ تا ۱۴ آذر برگزار میشود شرکت کنید.";
    assert_eq!(norm(s), s.replace("میشود", &z("می|شود")));
    assert_eq!(norm("از همه شما دعوت میکنم"), z("از همه شما دعوت می|کنم"));
    assert_eq!(
        norm("این حزب همه کسانی است که برای آزادی و عدالت میجنگند."),
        z("این حزب همه کسانی است که برای آزادی و عدالت می|جنگند.")
    );
    assert_eq!(norm("تشکل های مردمی را یک امر مهم خود میداند."), z("تشکل|های مردمی را یک امر مهم خود می|داند."));
    assert_eq!(norm("نمیدانم چرا نمیآیی"), z("نمی|دانم چرا نمی|آیی"));
    assert_eq!(norm("تو میدانی"), "تو میدانی"); // also «field» (adjective): left alone
    // Already separated, or separated by a space: left alone.
    assert_eq!(norm(&z("می|داند")), z("می|داند"));
    assert_eq!(norm("می داند"), "می داند");
    // Nouns and names.
    for w in ["میتینگ", "میلاد", "میلادی", "میلیارد", "میهمانی", "میزبانند", "میثم", "میزهای", "میوه", "میهنم"]
    {
        assert_eq!(norm(w), w);
    }
    // Diacritics: left alone.
    assert_eq!(norm("میدانَد"), "میدانَد");
}

#[test]
fn arabic_letters_to_persian() {
    let (out, changes) = normalize("كتاب علي");
    assert_eq!(out, "کتاب علی");
    assert_eq!(changes.len(), 2);
    assert_eq!((changes[1].before.as_str(), changes[1].after.as_str(), changes[1].offset), ("علي", "علی", 9));
    assert_eq!(norm("مصطفى"), "مصطفی");
    // ة ء أ ؤ إ are not touched.
    assert_eq!(norm("مدرسة أحمد ؤ إ ء"), "مدرسة أحمد ؤ إ ء");
    // The letters then feed the later rules: «ميكنم» → «می‌کنم».
    let (out, changes) = normalize("ميكنم");
    assert_eq!(out, z("می|کنم"));
    assert_eq!(changes[1].rule, Rule::ZwnjAfterMi);
    assert_eq!(changes[1].offset, 0);
}

#[test]
fn latin_urls_numbers_untouched() {
    assert_eq!(norm("وب سایت: www.wpiran.org"), "وب سایت: www.wpiran.org");
    assert_eq!(norm("وب سایت:www.wpiran.org"), "وب سایت:www.wpiran.org");
    assert_eq!(norm("ساعت ۱۲:۳۰ و عدد 3.5"), "ساعت ۱۲:۳۰ و عدد 3.5");
    assert_eq!(norm("عدد ۳.۵ و ۱۲،۵"), "عدد ۳.۵ و ۱۲،۵");
    assert_eq!(norm("پیامگیر تلگرام: **wpi_tamas@**"), "پیامگیر تلگرام: **@wpi_tamas**");
    assert_eq!(norm("۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)"), "۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)");
    // Latin punctuation in Latin text is not touched.
    assert_eq!(norm("Hello , world : x"), "Hello , world : x");
    // Abbreviations with one-letter parts stay whole.
    assert_eq!(norm("سال ۵۰۰ ق.م بود"), "سال ۵۰۰ ق.م بود");
}

#[test]
fn words_that_never_change() {
    let text = "تن تن به به من آن این دخ کبو انت ره نه میز میدان تنها دختر کبوتر انتهای رهایی نهایی بهتر بیشتر \
                دفتر فیلتر منتها آنها اینها میزی میخ میوه میهن مینا میان میراث میزان میلیون میکروب میتینگ میمون";
    let (out, changes) = normalize(text);
    assert_eq!(out, text, "{changes:?}");
    for w in ["میز", "میدان", "تنها", "دختر", "کبوتر", "انتهای", "رهایی", "نهایی"]
    {
        assert_eq!(norm(w), w);
    }
}

#[test]
fn tanha_without_tan_stays() {
    let s = "آیا تنها راه ما همین است؟ تنهای تنها";
    assert_eq!(norm(s), s);
    // Even with «تن» in the text, «تنها» (alone) is never split.
    assert_eq!(norm("تن و تنها"), "تن و تنها");
}

#[test]
fn comparatives_with_evidence() {
    assert_eq!(norm("بزرگ است و بزرگتر و بزرگترین"), z("بزرگ است و بزرگ|تر و بزرگ|ترین"));
    // «به» and «بیش» stand alone, but «بهتر»/«بیشتر» stay.
    assert_eq!(norm("به او بیش از این بهتر و بیشتر"), "به او بیش از این بهتر و بیشتر");
    // A non-joining last letter needs no ZWNJ: «نهادهای», «آلترناتیوهای».
    assert_eq!(norm("نهاد و نهادهای آلترناتیو و آلترناتیوهای"), "نهاد و نهادهای آلترناتیو و آلترناتیوهای");
}

#[test]
fn punctuation_spacing() {
    assert_eq!(norm("سلام ، خوبی ؟ چرا !"), "سلام، خوبی؟ چرا!");
    assert_eq!(norm("کلمه،کلمه؛کلمه.کلمه:کلمه"), "کلمه، کلمه؛ کلمه. کلمه: کلمه");
    assert_eq!(norm("( x )"), "(x)");
    assert_eq!(norm("« سلام » گفت ( نه )"), "«سلام» گفت (نه)");
    assert_eq!(norm("چرا؟!"), "چرا؟!");
    assert_eq!(norm("وب سایت :"), "وب سایت:");
    // A line that starts with punctuation keeps its place.
    assert_eq!(norm("کلمه\n، کلمه"), "کلمه\n، کلمه");
    let (_, changes) = normalize("سلام ، خوبی");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].rule, Rule::PunctuationSpacing);
    assert_eq!((changes[0].before.as_str(), changes[0].after.as_str()), ("م ،", "م،"));
    assert_eq!(changes[0].offset, "سلا".len());
}

#[test]
fn spaces_and_zwnj() {
    let (out, changes) = normalize("چرا  دیر\tآمدی   امروز");
    assert_eq!(out, "چرا دیر آمدی امروز");
    assert!(changes.iter().all(|c| c.rule == Rule::DoubleSpace));
    assert_eq!(norm(&z("کتاب| ها را")), z("کتاب|ها را"));
    assert_eq!(norm(&z("خانه|| ما")), "خانه ما");
    assert_eq!(norm(&z("می||داند")), z("می|داند"));
    assert_eq!(norm(&z("کلمه| کلمه")), "کلمه کلمه");
    assert_eq!(norm(&z("کلمه|\n")), "کلمه\n");
    let (_, changes) = normalize(&z("کلمه| کلمه"));
    assert_eq!(changes[0].rule, Rule::StrayZwnj);
}

#[test]
fn newlines_preserved() {
    let text = "  \n\nخانواده های دادخواه،  \n\n\tتشکل های دانشجویی،\r\nکانون نویسندگان\n\n\n";
    let (out, changes) = normalize(text);
    assert_eq!(out, z("\n\nخانواده|های دادخواه،\n\nتشکل|های دانشجویی،\r\nکانون نویسندگان\n\n\n"));
    assert_eq!(out.matches('\n').count(), text.matches('\n').count());
    assert!(changes.iter().any(|c| c.rule == Rule::LineTrim));
    let full = norm(INVITATION);
    assert_eq!(full.lines().count(), INVITATION.lines().count());
    assert_eq!(full.matches('\n').count(), INVITATION.matches('\n').count());
}

#[test]
fn whole_invitation() {
    let (out, changes) = normalize(INVITATION);
    for expected in [
        "خانواده|های دادخواه",
        "شبکه|های جنبش",
        "برگزار می|شود",
        "در میتینگ|ها و همایش|های آنها",
        "تشکل|های کارگری",
        "از توده|ای شدن",
        "چون می|داند",
        "دعوت می|کنم",
        "عدالت می|جنگند.",
        "خود می|داند.",
        "کنگره|اش را",
        "کنگره|اش مطرح",
        "پیام|های صوتی",
        "www.wpiran.org",
        "(۴ نوامبر ۲۰۲۱)",
        "وب سایت:\n",
        "نهادهای مدافع",
        "آلترناتیوهای",
        "شکلگیری",
    ] {
        assert!(out.contains(&z(expected)), "missing {expected}");
    }
    // Every change points at its text in the original.
    for c in &changes {
        assert!(INVITATION[c.offset..].starts_with(&c.before), "{c:?}");
    }
    // Only ZWNJs were added, and the handle typed in reverse put right:
    // removing the ZWNJs gives the input back with the handle corrected.
    let strip = |s: &str| s.replace([Z, ' '], "");
    assert!(out.contains("**@wpi_tamas**"));
    assert_eq!(strip(&out), strip(&INVITATION.replace("wpi_tamas@", "@wpi_tamas")));
}

#[test]
fn idempotent() {
    for s in SENTENCES {
        assert_idempotent(s);
    }
    assert_idempotent(INVITATION);
    // Pseudo-random mixtures of the tricky pieces.
    let pieces: Vec<&str> = concat!(
        "میداند/تشکل/تشکلهای/ /  /\t/\n/ها/های/ترین/تر/خانه/ای/اند/،/./:/(/)/«/»/؟/!/\u{200C}/",
        "تودهای/توده/تود/نام/نامهای/جامع/جامعهای/۱۲/3.5/www/كتاب/علي/که/ق/م/تنها/تن/بزرگ/بزرگتر/",
        "میتینگ/نمیدانم/میز/میزهای/کنگره/اش/۱۲:۳۰/ى/\r\n/شکل/گیری",
    )
    .split('/')
    .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut s = String::new();
        for _ in 0..12 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        assert_idempotent(&s);
    }
}

#[test]
fn changes_serialize() {
    let (_, changes) = normalize("میکنم");
    let json = serde_json::to_string(&changes).unwrap();
    assert!(json.contains("\"rule\":\"zwnj_after_mi\""), "{json}");
    assert!(json.contains("\"offset\":0"));
    assert_eq!(Rule::ZwnjAfterMi.describe(), "ZWNJ after the verbal prefix می/نمی");
    assert_eq!(normalize(""), (String::new(), Vec::new()));
}

#[test]
fn a_handle_typed_in_reverse_is_put_right() {
    let (text, changes) = normalize("پیامگیر تلگرام: [**wpi_tamas@**](https://t.me/wpi_tamas)");
    assert_eq!(text, "پیامگیر تلگرام: [**@wpi_tamas**](https://t.me/wpi_tamas)");
    assert_eq!(changes.len(), 1);
    assert_eq!(
        (changes[0].rule, changes[0].before.as_str(), changes[0].after.as_str()),
        (Rule::ReversedHandle, "wpi_tamas@", "@wpi_tamas")
    );
    // Handles written the right way, e-mail addresses, Latin lines and lone
    // at signs are left alone.
    for text in [
        "پیام به @sokhan_saraayan بدهید",
        "نامه به info@wpiran.org بفرستید",
        "write to wpi_tamas@ now",
        "قیمت @ ۲۰ تومان",
        "a@ b",
    ] {
        assert_eq!(norm(text), text, "{text}");
    }
}
