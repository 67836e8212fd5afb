//! A conservative normaliser for pasted Persian text.
//!
//! This module owns the cleaning of Persian text before it is typeset: text
//! pasted from word processors, web pages and chat messages comes with Arabic
//! letter forms, missing zero-width non-joiners (ZWNJ, U+200C), stray spaces
//! around punctuation and doubled spaces. [`normalize`] fixes those and
//! reports every change it made ([`Change`]), with its byte offset in the
//! original text, so a caller can show or review them.
//!
//! It never joins or splits a word in a way that could change its meaning:
//! every rule acts only with evidence, and when it is unsure it leaves the
//! text alone. Newlines are never added, removed or moved.
//!
//! Rules, applied in this order (the orthography is that of the Academy of
//! Persian Language and Literature, *Dastur-e Khatt-e Farsi*: «می» written
//! apart from the verb, the plural «ها» and «تر»/«ترین» written apart, the
//! clitics «ای»، «ام»، «اند»… after silent heh written apart, all with ZWNJ):
//!
//! 1. [`Rule::ArabicLetters`]: Arabic yeh ي and alef maksura ى become Persian
//!    yeh ی; Arabic kaf ك becomes Persian keheh ک. Nothing else (ة، ء، أ…)
//!    is touched.
//! 2. [`Rule::ZwnjAfterMi`]: a ZWNJ after the verbal prefix «می» or «نمی» of a
//!    word that looks like a verb: the rest of the word has at least two
//!    letters and ends in a personal ending (م، د and so یم، ید، ند; or ی when
//!    the rest has three letters or more), the word is not a known noun
//!    (میلاد، میدانی، میلیارد…, or starts with a noun stem such as میهمان،
//!    میزبان، میلیون) and is not a plural noun («میزهای»). Words that already
//!    have a ZWNJ, diacritics or a space after the prefix are left alone.
//! 3. [`Rule::ZwnjBeforeSuffix`]: a ZWNJ before suffixes.
//!    - a standalone «ها», «های», «هایی», «هایم», «هایت», «هایش», «هایمان»،
//!      «هایتان»، «هایشان» or «ترین» after a word ending in an Arabic-script
//!      letter, on the same line, is joined to it with a ZWNJ instead of the
//!      space. A standalone «تر» is left alone (it also means "wet").
//!    - a standalone clitic «ای», «ام», «ات», «اش», «ایم», «اید» or «اند» after
//!      a word ending in silent heh (at least three letters, heh not after
//!      ا/آ, not a word with a pronounced h such as گروه، توجه، شبیه) is
//!      joined with a ZWNJ: «خانه ای» → «خانه‌ای».
//!    - attached suffixes are split only with evidence: «Xهای», «Xها»,
//!      «Xترین», «Xتر» become «X‌های»… when X (two letters or more, three for
//!      «تر»/«ترین») ends in a dual-joining letter and X also occurs in the
//!      same text as a word of its own (or as «X‌ها»…, already split); and
//!      «Xهای» becomes «Xه‌ای» when «Xه» is in a list of common words ending
//!      in silent heh whose stem X is not itself a word («تودهای» →
//!      «توده‌ای»). When both readings are possible the word is left alone.
//!      A list of words is never split (تنها، آنها، اینها، بهتر، بیشتر،
//!      دفتر، فیلتر، انتهای، منتها…).
//! 4. [`Rule::PunctuationSpacing`]: no space before ، ؛ ؟ ) » (nor before ! . :
//!    after Arabic script, and for . : only when no letter or digit follows),
//!    no space after ( «; one space after ، ؛ ؟ . ! : when an Arabic-script
//!    letter is on both sides (for «.» both neighbouring words have two
//!    letters or more, which keeps abbreviations like «ق.م» whole). Numbers
//!    (3.5, ۱۲:۳۰) and Latin text (www.wpiran.org) are never touched.
//! 5. [`Rule::ReversedHandle`]: a handle typed in reverse to look right in
//!    software without bidi isolation (`wpi_tamas@` on a line with Arabic
//!    script) becomes `@wpi_tamas`, the handle that exists; nashr shows
//!    handles left to right as typed.
//! 6. Spaces: runs of spaces and tabs become one space
//!    ([`Rule::DoubleSpace`]); a ZWNJ next to a space, another ZWNJ or a line
//!    end is removed ([`Rule::StrayZwnj`]); spaces at the start and end of
//!    each line are removed ([`Rule::LineTrim`]). Newlines are kept exactly.
//!
//! Deliberately not done: compounds written solid («شکلگیری», «اینکار»,
//! «همانقدر») are not split, since no rule can know where the parts are;
//! «می» before past stems ending in ت («میرفت») is not separated; digits are
//! not converted (that is a style option elsewhere).
//!
//! The normaliser is idempotent: `normalize(&normalize(x).0).0 ==
//! normalize(x).0`.

use super::arabic_block;
use serde::Serialize;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;
use unicode_joining_type::{JoiningType, get_joining_type};
use unicode_script::{Script, UnicodeScript};

const ZWNJ: char = '\u{200C}';

/// One change made by the normaliser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule that made it.
    pub rule: Rule,
    /// The text before the change: the word or words concerned (for the
    /// letter, ZWNJ and suffix rules), or the punctuation or space with its
    /// neighbours. It is the text as the earlier rules left it.
    pub before: String,
    /// The same text after the change.
    pub after: String,
    /// Byte offset in the ORIGINAL text of the start of `before`.
    pub offset: usize,
}

/// A normalisation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Arabic ي ى ك to Persian ی ک.
    ArabicLetters,
    /// ZWNJ after the verbal prefix «می»/«نمی».
    ZwnjAfterMi,
    /// ZWNJ before «ها», «ترین», clitics after silent heh, and evidenced
    /// attached suffixes.
    ZwnjBeforeSuffix,
    /// Spaces around punctuation.
    PunctuationSpacing,
    /// A run of spaces or tabs collapsed to one space.
    DoubleSpace,
    /// A ZWNJ next to a space, another ZWNJ or a line end removed.
    StrayZwnj,
    /// Spaces at the start or end of a line removed.
    LineTrim,
    /// A handle typed in reverse (`name@`) turned into `@name`.
    ReversedHandle,
}

impl Rule {
    /// A short human-readable name.
    pub fn describe(&self) -> &'static str {
        match self {
            Rule::ArabicLetters => "Arabic yeh/kaf to Persian",
            Rule::ZwnjAfterMi => "ZWNJ after the verbal prefix می/نمی",
            Rule::ZwnjBeforeSuffix => "ZWNJ before a suffix",
            Rule::PunctuationSpacing => "spacing around punctuation",
            Rule::DoubleSpace => "repeated spaces collapsed",
            Rule::StrayZwnj => "stray ZWNJ removed",
            Rule::LineTrim => "spaces at a line edge removed",
            Rule::ReversedHandle => "handle typed in reverse put right",
        }
    }
}

/// Normalise pasted Persian text. Returns the normalised text and the list
/// of changes, in the order they were made (rule by rule, and in text order
/// within a rule).
///
/// ```
/// use nashr::lang::normalize::{normalize, Rule};
/// let (text, changes) = normalize("چون ميداند  این مساله ، خانواده های ما");
/// assert_eq!(text, "چون می\u{200C}داند این مساله، خانواده\u{200C}های ما");
/// assert_eq!(changes[0].rule, Rule::ArabicLetters);
/// assert_eq!(changes[1].rule, Rule::ZwnjAfterMi);
/// assert_eq!(changes[1].before, "میداند");
/// assert_eq!(changes[1].offset, 7); // «ميداند» starts at byte 7 of the input
/// // Nothing left to do the second time.
/// assert!(normalize(&text).1.is_empty());
/// ```
pub fn normalize(text: &str) -> (String, Vec<Change>) {
    let mut doc = Doc::new(text);
    arabic_letters(&mut doc);
    zwnj_after_mi(&mut doc);
    zwnj_before_suffix(&mut doc);
    punctuation_spacing(&mut doc);
    reversed_handles(&mut doc);
    spaces(&mut doc);
    (doc.chars.iter().collect(), doc.changes)
}

// ---------------------------------------------------------------------------
// Word lists.
//
// The longer lists are whitespace-separated words ([`WordList`]).

/// A list of whitespace-separated words, split and sorted the first time it
/// is used (the normaliser looks words up in it for every word of a text).
struct WordList {
    text: &'static str,
    words: OnceLock<Vec<&'static str>>,
}

impl WordList {
    const fn new(text: &'static str) -> WordList {
        WordList { text, words: OnceLock::new() }
    }

    /// The words, sorted.
    fn words(&self) -> &[&'static str] {
        self.words.get_or_init(|| {
            let mut words: Vec<&str> = self.text.split_whitespace().collect();
            words.sort_unstable();
            words
        })
    }

    /// Whether `word` is one of the words.
    fn contains(&self, word: &str) -> bool {
        self.words().binary_search(&word).is_ok()
    }
}

/// Standalone tokens joined to the previous word with a ZWNJ (rule 3a).
const STANDALONE_SUFFIXES: &[&str] =
    &["ها", "های", "هایی", "هایم", "هایت", "هایش", "هایمان", "هایتان", "هایشان", "ترین"];

/// Clitics joined with a ZWNJ to a previous word ending in silent heh (rule 3b).
const CLITICS: &[&str] = &["ای", "ام", "ات", "اش", "ایم", "اید", "اند"];

/// Words never split by the attached-suffix rule (3c): pronouns, words whose
/// «ها»/«تر» is not a suffix, and comparatives written solid by convention.
static NEVER_SPLIT: WordList = WordList::new(
    "
    آنها آنهای اینها اینهای همانها همینها تنها تنهای منها منهای منتها منتهای انتها انتهای اشتها اشتهای
    فیها علیها عنها الیها بهتر بهترین بیشتر بیشترین کمتر کمترین پیشتر مهتر کهتر دفتر بستر فیلتر کفتر
    دختر کبوتر اینتر دکتر لیتر تیتر سنتر مستر اختر آستر چتر
",
);

/// Common words ending in silent heh, for «Xهای» → «Xه‌ای» (rule 3c ii).
/// Only words whose stem without the heh is not itself a common word: «نامه»
/// (نام), «خانه» (خان), «دسته» (دست), «ریشه» (ریش), «حرفه» (حرف), «زمانه»
/// (زمان), «نشسته» (نشست), «مدرسه» (مدرس)… are left out, since «نامهای»
/// may just as well be «نام‌های».
static SILENT_HEH: WordList = WordList::new(
    "
    توده برنامه جامعه مساله مسئله اندازه عرصه گسترده زنده آینده گذشته نماینده رسانه شبکه کارخانه دانشکده
    روزنامه مجله صفحه جمله نکته اندیشه تازه ساده آماده خانواده پدیده پرونده پروژه پیشینه تجربه تبصره
    توصیه ترجمه تهیه جبهه جلسه چهره حادثه حافظه حوزه خاطره خلاصه دایره درجه دغدغه رابطه رتبه رساله زاویه
    زباله سرمایه سلسله سلیقه سوژه شیوه صحنه ضابطه طایفه طبقه عاطفه عقیده علاقه عمده غریزه فاجعه فاصله
    فرشته فلسفه قاعده قبیله قلعه قله کتابخانه کمیته گستره گونه لایحه لحظه مجموعه محاصره محدوده مذاکره
    مرحله مزرعه مسابقه مشاهده مطالعه معادله معامله مقاله مقایسه مقدمه ملاحظه منطقه موسسه مؤسسه نتیجه
    نسخه نظریه نقطه نمونه واژه وظیفه وعده هدیه هزینه اداره اجازه اسطوره اشاره اطلاعیه بیانیه نشریه
    افسانه انگیزه ترانه توسعه ثانیه جاده جزیره حماسه ذخیره سابقه سکه سلطه شعله شکنجه فرضیه فرمانده قصه
    قطعه قضیه کلبه گریه لهجه مرتبه معجزه مقوله واقعه وسیله ویژه کنگره مقابله مصاحبه مکالمه مبادله محاسبه
    مطالبه قطعنامه شناسنامه اساسنامه بخشنامه قیافه کیسه کوزه لوله پنجره دریچه ستاره سیاره بهانه استفاده
    اراده واسطه رایانه شعبه
",
);

/// Words ending in heh whose heh is pronounced: no clitic is joined to them
/// (rule 3b). Heh after ا/آ is always pronounced and is handled by the rule.
static PRONOUNCED_HEH: WordList = WordList::new(
    "
    توجه وجه فقه شبه گره زره فربه ابله مشابه متشابه مشتبه منزه مرفه موجه متوجه منبه متنبه تنبه مکره الله
    اله کوه گروه انبوه شکوه اندوه ستوه وجوه پژوه فقیه شبیه تنبیه توجیه کریه سفیه وجیه نزیه تشبیه تنزیه
    ترفیه
",
);

/// Nouns, adjectives and names that look like «می» + verb (rule 2).
static MI_NOT_VERBS: WordList = WordList::new(
    "
    میلاد میلادی میعاد میدانی میانی میانجی میانسالی میدانداری میهنی میراثی میزانی میلیونی میلیونم
    میلیارد میلیاردی میکروبی میتینگی میمونی مینایی میخکی میزم میلم میثم میثمی میامی میلانی میگساری
    میلگرد مینیمم میرداماد میرمحمد میراحمد میرحامد میرمحمود میرسعید میرزایی میزبانی میهمانی
",
);

/// Noun stems after which no verb stem can follow «می» (rule 2): a word
/// starting with one of them is not a verb. (Stems like میدان، میخ، میان،
/// مینا، میگو are not here: «میدانم», «میخورد», «میانداخت», «مینالد»,
/// «میگوید» are verbs.)
static MI_NOUN_STEMS: WordList = WordList::new(
    "
    میهمان میزبان میلیون میلیارد میلیمتر میلیگرم میکروب میکرو میتینگ میمون میهن میراث میزان میلاد میعاد
    میوه میله میثاق میانجی میتولوژ میکانیک مینیاتور مینیمم میناکار میگرن
",
);

/// Plural endings that make a «می» word a noun («میزهای», «میزهایم»).
const PLURAL_ENDINGS: &[&str] = &["های", "هایی", "هایم", "هاییم"];

// ---------------------------------------------------------------------------
// The text being normalised, with the original offset of every character.

struct Doc {
    chars: Vec<char>,
    /// Byte offset in the original text of each character. An inserted
    /// character takes the offset of the character it replaced or was
    /// inserted before.
    orig: Vec<usize>,
    /// Length of the original text in bytes.
    len: usize,
    changes: Vec<Change>,
}

/// Replace `at` (character indices) with `with`.
struct Edit {
    at: Range<usize>,
    with: String,
}

impl Edit {
    fn insert(at: usize, c: char) -> Edit {
        Edit { at: at..at, with: c.to_string() }
    }
}

impl Doc {
    fn new(text: &str) -> Doc {
        let (orig, chars) = text.char_indices().unzip();
        Doc { chars, orig, len: text.len(), changes: Vec::new() }
    }

    fn offset(&self, i: usize) -> usize {
        self.orig.get(i).copied().unwrap_or(self.len)
    }

    fn string(&self, r: Range<usize>) -> String {
        self.chars[r].iter().collect()
    }

    /// The change that `edits` (all inside `token`) make to `token`.
    fn change(&self, rule: Rule, token: Range<usize>, edits: &[Edit]) -> Change {
        let mut after = String::new();
        let mut i = token.start;
        for e in edits {
            after.extend(&self.chars[i..e.at.start]);
            after.push_str(&e.with);
            i = e.at.end;
        }
        after.extend(&self.chars[i..token.end]);
        Change { rule, before: self.string(token.clone()), after, offset: self.offset(token.start) }
    }

    /// Apply non-overlapping edits and record the changes of one rule.
    fn commit(&mut self, mut edits: Vec<Edit>, mut changes: Vec<Change>) {
        if edits.is_empty() {
            return;
        }
        edits.sort_by_key(|e| (e.at.start, e.at.end));
        changes.sort_by_key(|c| c.offset);
        let mut chars = Vec::with_capacity(self.chars.len() + edits.len());
        let mut orig = Vec::with_capacity(chars.capacity());
        let mut i = 0;
        for e in &edits {
            debug_assert!(e.at.start >= i, "overlapping edits");
            chars.extend_from_slice(&self.chars[i..e.at.start]);
            orig.extend_from_slice(&self.orig[i..e.at.start]);
            let o = self.offset(e.at.start);
            for c in e.with.chars() {
                chars.push(c);
                orig.push(o);
            }
            i = e.at.end;
        }
        chars.extend_from_slice(&self.chars[i..]);
        orig.extend_from_slice(&self.orig[i..]);
        self.chars = chars;
        self.orig = orig;
        self.changes.extend(changes);
    }
}

// ---------------------------------------------------------------------------
// Character classes and words.

fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06DC}'
            | '\u{06DF}'..='\u{06E4}'
            | '\u{06E7}'
            | '\u{06E8}'
            | '\u{06EA}'..='\u{06ED}'
    )
}

/// An Arabic-script letter (not a mark, digit, tatweel or punctuation).
fn is_letter(c: char) -> bool {
    match arabic_block(c) {
        Some(i) => ARABIC_BLOCK.0[i],
        None => slow_is_letter(c),
    }
}

fn slow_is_letter(c: char) -> bool {
    c.is_alphabetic() && c.script() == Script::Arabic && !is_mark(c) && c != '\u{0640}'
}

fn is_arabic(c: char) -> bool {
    super::is_arabic_script(c)
}

/// [`is_letter`] and [`is_word_char`] for the Arabic block, looked up once:
/// the Unicode property lookups were most of the normaliser's time.
type BlockTables = ([bool; 256], [bool; 256]);
static ARABIC_BLOCK: std::sync::LazyLock<BlockTables> = std::sync::LazyLock::new(|| {
    let mut letter = [false; 256];
    let mut word = [false; 256];
    for (i, c) in (0..256u32).filter_map(|i| char::from_u32(0x600 + i)).enumerate() {
        letter[i] = slow_is_letter(c);
        word[i] = slow_is_word_char(c);
    }
    (letter, word)
});

fn is_word_char(c: char) -> bool {
    match arabic_block(c) {
        Some(i) => ARABIC_BLOCK.1[i],
        None => c.is_ascii_alphanumeric() || (!c.is_ascii() && slow_is_word_char(c)),
    }
}

fn slow_is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == ZWNJ || is_mark(c)
}

/// Space, tab or ZWNJ.
fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | ZWNJ)
}

fn is_newline(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// The words of `chars`: maximal runs of letters, digits, marks and ZWNJ,
/// without the ZWNJs at their ends.
fn words(chars: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_word_char(chars[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && is_word_char(chars[j]) {
            j += 1;
        }
        let (mut s, mut e) = (i, j);
        while s < e && chars[s] == ZWNJ {
            s += 1;
        }
        while e > s && chars[e - 1] == ZWNJ {
            e -= 1;
        }
        if s < e {
            out.push(s..e);
        }
        i = j;
    }
    out
}

/// Only Arabic-script letters: no ZWNJ, marks, digits or Latin.
fn is_plain(chars: &[char]) -> bool {
    chars.iter().all(|&c| is_letter(c))
}

fn letters(s: &str) -> usize {
    s.chars().count()
}

// ---------------------------------------------------------------------------
// Rule 1.

fn persian_letter(c: char) -> Option<char> {
    match c {
        '\u{064A}' | '\u{0649}' => Some('\u{06CC}'),
        '\u{0643}' => Some('\u{06A9}'),
        _ => None,
    }
}

fn arabic_letters(doc: &mut Doc) {
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for w in words(&doc.chars) {
        let local: Vec<Edit> = w
            .clone()
            .filter_map(|i| persian_letter(doc.chars[i]).map(|c| Edit { at: i..i + 1, with: c.to_string() }))
            .collect();
        if !local.is_empty() {
            changes.push(doc.change(Rule::ArabicLetters, w, &local));
            edits.extend(local);
        }
    }
    doc.commit(edits, changes);
}

// ---------------------------------------------------------------------------
// Rule 5.

/// A handle typed in reverse: `name@` where `name` is Latin letters, digits,
/// `_` and `.` with at least two characters and one letter, the `@` ends a
/// word, and its line has Arabic script.
fn reversed_handles(doc: &mut Doc) {
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let n = doc.chars.len();
    let handle_char = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '.';
    let line_of = |i: usize| {
        let start = doc.chars[..i].iter().rposition(|&c| is_newline(c)).map_or(0, |p| p + 1);
        let end = doc.chars[i..].iter().position(|&c| is_newline(c)).map_or(n, |p| i + p);
        start..end
    };
    for at in (0..n).filter(|&i| doc.chars[i] == '@') {
        let after = doc.chars.get(at + 1).copied();
        if after.is_some_and(|c| handle_char(c) || c == '@') {
            continue;
        }
        let start = doc.chars[..at].iter().rposition(|&c| !handle_char(c)).map_or(0, |p| p + 1);
        let name = &doc.chars[start..at];
        let before = start.checked_sub(1).map(|i| doc.chars[i]);
        if name.len() < 2
            || !name.iter().any(|c| c.is_ascii_alphabetic())
            || name.first() == Some(&'.')
            || before.is_some_and(|c| c.is_alphanumeric() || c == '@')
            || !doc.chars[line_of(at)].iter().any(|&c| is_arabic(c) && c.is_alphabetic())
        {
            continue;
        }
        let with: String = std::iter::once('@').chain(name.iter().copied()).collect();
        let e = Edit { at: start..at + 1, with };
        changes.push(doc.change(Rule::ReversedHandle, start..at + 1, std::slice::from_ref(&e)));
        edits.push(e);
    }
    doc.commit(edits, changes);
}

// ---------------------------------------------------------------------------
// Rule 2.

/// The length in characters of the verbal prefix «می»/«نمی» of `word`, if
/// `word` looks like a verb.
fn mi_prefix(word: &str) -> Option<usize> {
    let (prefix, rest) =
        if let Some(rest) = word.strip_prefix("نمی") { (3, rest) } else { (2, word.strip_prefix("می")?) };
    if MI_NOT_VERBS.contains(word) || MI_NOUN_STEMS.words().iter().any(|s| word.starts_with(s)) {
        return None;
    }
    if PLURAL_ENDINGS.iter().any(|e| rest.ends_with(e)) {
        return None;
    }
    let n = letters(rest);
    match rest.chars().last()? {
        'م' | 'د' if n >= 2 => Some(prefix),
        'ی' if n >= 3 => Some(prefix),
        _ => None,
    }
}

fn zwnj_after_mi(doc: &mut Doc) {
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    for w in words(&doc.chars) {
        if !is_plain(&doc.chars[w.clone()]) {
            continue;
        }
        if let Some(p) = mi_prefix(&doc.string(w.clone())) {
            let e = Edit::insert(w.start + p, ZWNJ);
            changes.push(doc.change(Rule::ZwnjAfterMi, w, std::slice::from_ref(&e)));
            edits.push(e);
        }
    }
    doc.commit(edits, changes);
}

// ---------------------------------------------------------------------------
// Rule 3.

/// Whether `word` (its last ZWNJ-separated part) ends in a silent heh.
fn ends_in_silent_heh(word: &str) -> bool {
    let last = word.rsplit(ZWNJ).next().unwrap_or(word);
    let cs: Vec<char> = last.chars().collect();
    cs.len() >= 3
        && cs[cs.len() - 1] == 'ه'
        && !matches!(cs[cs.len() - 2], 'ا' | 'آ' | 'ه')
        && !PRONOUNCED_HEH.contains(last)
}

/// The words that occur on their own in the text: standalone words without a
/// ZWNJ, and X of a word «X‌S» already split before a suffix S.
fn standalone_words(texts: &[String]) -> HashSet<&str> {
    let mut set = HashSet::new();
    for t in texts {
        match t.rsplit_once(ZWNJ) {
            None => {
                set.insert(t.as_str());
            }
            Some((x, s)) if !x.contains(ZWNJ) && (STANDALONE_SUFFIXES.contains(&s) || s == "تر") => {
                set.insert(x);
            }
            Some(_) => {}
        }
    }
    set
}

/// Where to put a ZWNJ in an attached word (character index), if there is
/// evidence for it (rule 3c).
fn attached_split(word: &str, evidence: &HashSet<&str>) -> Option<usize> {
    if NEVER_SPLIT.contains(word) {
        return None;
    }
    if let Some(x) = word.strip_suffix("های")
        && SILENT_HEH.contains(&format!("{x}ه"))
    {
        // «Xه‌ای», unless X is a word of its own here and «X‌های» is as likely.
        return if evidence.contains(x) { None } else { Some(letters(x) + 1) };
    }
    for (suffix, min) in [("های", 2), ("ها", 2), ("ترین", 3), ("تر", 3)] {
        if let Some(x) = word.strip_suffix(suffix) {
            let last = x.chars().last()?;
            let ok = letters(x) >= min && get_joining_type(last) == JoiningType::DualJoining && evidence.contains(x);
            return ok.then(|| letters(x));
        }
    }
    None
}

fn zwnj_before_suffix(doc: &mut Doc) {
    let ws = words(&doc.chars);
    let texts: Vec<String> = ws.iter().map(|w| doc.string(w.clone())).collect();
    let evidence = standalone_words(&texts);
    let mut edits = Vec::new();
    let mut changes = Vec::new();

    // a, b: standalone suffixes and clitics.
    for k in 1..ws.len() {
        let t = texts[k].as_str();
        let clitic = CLITICS.contains(&t);
        if !clitic && !STANDALONE_SUFFIXES.contains(&t) {
            continue;
        }
        let (prev, next) = (&ws[k - 1], &ws[k]);
        let gap = prev.end..next.start;
        let prev_text = texts[k - 1].as_str();
        // Not after a suffix, standalone or joined («X های ها»): a second
        // suffix is a typo, not something to join.
        let prev_last = prev_text.rsplit(ZWNJ).next().unwrap_or(prev_text);
        let prev_ok = doc.chars[prev.clone()].iter().all(|&c| is_letter(c) || c == ZWNJ)
            && !STANDALONE_SUFFIXES.contains(&prev_last)
            && !CLITICS.contains(&prev_last)
            && (!clitic || ends_in_silent_heh(prev_text));
        if !prev_ok || !doc.chars[gap.clone()].iter().all(|&c| is_blank(c)) {
            continue;
        }
        let e = Edit { at: gap, with: ZWNJ.to_string() };
        changes.push(doc.change(Rule::ZwnjBeforeSuffix, prev.start..next.end, std::slice::from_ref(&e)));
        edits.push(e);
    }

    // c: attached suffixes, with evidence.
    for (w, t) in ws.iter().zip(&texts) {
        if !is_plain(&doc.chars[w.clone()]) {
            continue;
        }
        if let Some(split) = attached_split(t, &evidence) {
            let e = Edit::insert(w.start + split, ZWNJ);
            changes.push(doc.change(Rule::ZwnjBeforeSuffix, w.clone(), std::slice::from_ref(&e)));
            edits.push(e);
        }
    }
    doc.commit(edits, changes);
}

// ---------------------------------------------------------------------------
// Rule 4.

/// Maximal runs of spaces, tabs and ZWNJs that hold at least one space or tab.
fn space_runs(chars: &[char]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_blank(chars[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && is_blank(chars[i]) {
            i += 1;
        }
        if chars[s..i].iter().any(|&c| c != ZWNJ) {
            out.push(s..i);
        }
    }
    out
}

/// Letters in the run of Arabic letters ending before `i` (backward) or
/// starting at `i` (forward).
fn letter_run(chars: &[char], i: usize, forward: bool) -> usize {
    if forward {
        chars[i..].iter().take_while(|&&c| is_letter(c)).count()
    } else {
        chars[..i].iter().rev().take_while(|&&c| is_letter(c)).count()
    }
}

fn punctuation_spacing(doc: &mut Doc) {
    // No space before closing punctuation, none after opening.
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let c = &doc.chars;
    for r in space_runs(c) {
        if r.start == 0 || r.end == c.len() {
            continue;
        }
        let (p, q) = (c[r.start - 1], c[r.end]);
        if is_newline(p) || is_newline(q) {
            continue;
        }
        let before_closing = match q {
            '،' | '؛' | '؟' | ')' | '»' => true,
            '!' => is_arabic(p),
            '.' | ':' => is_arabic(p) && !c.get(r.end + 1).is_some_and(|n| n.is_alphanumeric()),
            _ => false,
        };
        if before_closing || matches!(p, '(' | '«') {
            let e = Edit { at: r.clone(), with: String::new() };
            changes.push(doc.change(Rule::PunctuationSpacing, r.start - 1..r.end + 1, std::slice::from_ref(&e)));
            edits.push(e);
        }
    }
    doc.commit(edits, changes);

    // One space after ، ؛ ؟ . ! : between Arabic letters.
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let c = &doc.chars;
    for i in 1..c.len().saturating_sub(1) {
        if !matches!(c[i], '،' | '؛' | '؟' | '.' | '!' | ':') || !is_letter(c[i - 1]) || !is_letter(c[i + 1]) {
            continue;
        }
        if c[i] == '.' && (letter_run(c, i, false) < 2 || letter_run(c, i + 1, true) < 2) {
            continue;
        }
        let e = Edit::insert(i + 1, ' ');
        changes.push(doc.change(Rule::PunctuationSpacing, i - 1..i + 2, std::slice::from_ref(&e)));
        edits.push(e);
    }
    doc.commit(edits, changes);
}

// ---------------------------------------------------------------------------
// Rule 5.

fn spaces(doc: &mut Doc) {
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let c = &doc.chars;
    let mut i = 0;
    while i < c.len() {
        if !is_blank(c[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < c.len() && is_blank(c[i]) {
            i += 1;
        }
        let run = &c[s..i];
        let has_zwnj = run.contains(&ZWNJ);
        let has_space = run.iter().any(|&x| x != ZWNJ);
        let line_edge = s == 0 || is_newline(c[s - 1]) || i == c.len() || is_newline(c[i]);
        let (with, rule) = if line_edge {
            ("", if has_space { Rule::LineTrim } else { Rule::StrayZwnj })
        } else if has_space {
            (" ", if has_zwnj { Rule::StrayZwnj } else { Rule::DoubleSpace })
        } else {
            ("\u{200C}", Rule::StrayZwnj)
        };
        if run.iter().copied().eq(with.chars()) {
            continue;
        }
        let e = Edit { at: s..i, with: with.to_string() };
        // Show the run with its neighbours on the line.
        let from = if s > 0 && !is_newline(c[s - 1]) { s - 1 } else { s };
        let to = if i < c.len() && !is_newline(c[i]) { i + 1 } else { i };
        changes.push(doc.change(rule, from..to, std::slice::from_ref(&e)));
        edits.push(e);
    }
    doc.commit(edits, changes);
}

/// Make invisible characters visible for a report: ZWNJ as `‹ZWNJ›`,
/// ZWJ as `‹ZWJ›`, a space as `␣` where it matters (at the edges).
fn visible(s: &str) -> String {
    let mut out = s.replace('\u{200C}', "‹ZWNJ›").replace('\u{200D}', "‹ZWJ›");
    if out.starts_with(' ') || out.ends_with(' ') || out.trim().is_empty() {
        out = out.replace(' ', "␣");
    }
    out
}

/// A report of the changes in file order, one line each: `line:column  rule: «before» → «after»`,
/// positions in the original text (1-based, in characters).
///
/// ```
/// use nashr::lang::normalize::{normalize, report};
/// let text = "او میداند";
/// let (_, changes) = normalize(text);
/// assert!(report(text, &changes).contains("1:4"));
/// ```
pub fn report(original: &str, changes: &[Change]) -> String {
    let mut out = String::new();
    // Where each line starts, found once: a change's line is a bisection.
    let starts: Vec<usize> = std::iter::once(0).chain(original.match_indices('\n').map(|(i, _)| i + 1)).collect();
    // In file order (the rules run one after another; a reader goes down the file).
    let mut ordered: Vec<&Change> = changes.iter().collect();
    ordered.sort_by_key(|c| c.offset);
    for c in ordered {
        let mut at = c.offset.min(original.len());
        while !original.is_char_boundary(at) {
            at -= 1;
        }
        let line = starts.partition_point(|&s| s <= at);
        let col = original[starts[line - 1]..at].chars().count() + 1;
        out.push_str(&format!(
            "{line}:{col}  {}: «{}» → «{}»\n",
            c.rule.describe(),
            visible(&c.before),
            visible(&c.after)
        ));
    }
    out
}

#[cfg(test)]
mod tests;
