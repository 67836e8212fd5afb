//! nashr's shaping agrees with HarfBuzz glyph for glyph.
//!
//! `nashr shape` prints exactly what `hb-shape --no-glyph-names FONT TEXT`
//! prints, so the two can be compared as strings. Three layers:
//!
//! - recorded cases: strings from the invitation, shaped with the library API
//!   and compared with what `hb-shape` 6.0.0 printed for them when this file
//!   was written (no HarfBuzz needed at test time);
//! - a live comparison over every line of the invitation
//!   (`tests/fixtures/invitation-fa.source.txt`) with `hb-shape`, which CI
//!   installs (elsewhere, without it, the test notes that it left it out);
//! - the built binary: `nashr shape` with the bundled and a `--font` face, and
//!   `--bidi`, which lays a mixed line out in visual order.
//!
//! Two fonts: the bundled Vazirmatn Regular, and Noto Naskh Arabic Regular
//! (`fonts/NotoNaskhArabic-Regular.ttf`, shipped with the tests). Noto Naskh Arabic has no
//! Latin letters nor ASCII parentheses, so its recorded outputs show glyph 0
//! (`.notdef`) there, as HarfBuzz does.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{crate_path, invitation_source, require};
use nashr::{Engine, ShapeOptions};

/// The bundled Vazirmatn Regular, as a file for `hb-shape`.
fn vazirmatn_path() -> PathBuf {
    crate_path("fonts/Vazirmatn-Regular.ttf")
}

/// Noto Naskh Arabic Regular, shipped in `fonts/`.
fn noto_path() -> PathBuf {
    crate_path("fonts/NotoNaskhArabic-Regular.ttf")
}

/// `text` shaped as one run with guessed direction, in hb-shape's format,
/// with the font file `font` (the bundled Vazirmatn Regular when `None`).
fn shape(engine: &Engine, font: Option<&Path>, text: &str) -> String {
    let opts = ShapeOptions { font: font.map(Path::to_path_buf), ..ShapeOptions::default() };
    engine.shape(text, &opts).expect("the text shapes")
}

/// One string and what `hb-shape --no-glyph-names` 6.0.0 printed for it.
struct Case {
    name: &'static str,
    text: &'static str,
    vazirmatn: &'static str,
    noto: &'static str,
}

fn case(name: &str) -> &'static Case {
    CASES.iter().find(|c| c.name == name).expect("a recorded case of this name")
}

/// Shape a recorded case with both fonts and compare with HarfBuzz.
fn check(c: &Case) {
    let engine = Engine::new();
    assert_eq!(
        shape(&engine, None, c.text),
        c.vazirmatn,
        "{:?} with Vazirmatn Regular differs from hb-shape (left: nashr, right: hb-shape)",
        c.text
    );
    assert_eq!(
        shape(&engine, Some(&noto_path()), c.text),
        c.noto,
        "{:?} with Noto Naskh Arabic Regular differs from hb-shape (left: nashr, right: hb-shape)",
        c.text
    );
}

/// Each case becomes a test of its own and an entry of `CASES`.
macro_rules! recorded {
    ($( $(#[$doc:meta])* $name:ident: $text:expr, $vazirmatn:expr, $noto:expr; )*) => {
        const CASES: &[Case] = &[
            $( Case { name: stringify!($name), text: $text, vazirmatn: $vazirmatn, noto: $noto }, )*
        ];

        /// Recorded `hb-shape` outputs, one test per string.
        mod recorded {
            $(
                $(#[$doc])*
                #[test]
                fn $name() {
                    super::check(super::case(stringify!($name)));
                }
            )*
        }
    };
}

// Recorded with `hb-shape --no-glyph-names FONT TEXT`, HarfBuzz 6.0.0, FONT
// being fonts/Vazirmatn-Regular.ttf then fonts/NotoNaskhArabic-Regular.ttf.
recorded! {
    /// lam-alef ligature inside a word
    eslami: "اسلامی",
        "[1129=5+1329|1267=4+1132|1302=2+1234|1218=1+1615|681=0+475]",
        "[596=5+687|485=4+456|1565=3+0|448=2+610|250=1+658|3=0+238]";
    /// lam-alef after a joining letter
    talash: "تلاش",
        "[694=3+2420|1302=1+1234|1187=0+678]",
        "[259=3+1013|1565=2+0|448=1+610|56=0+275]";
    /// lam-alef at a word end, Arabic comma
    vokala: "کانون نویسندگان و کانون وکلا،",
        "[667=28+556|1302=26+1234|1088=25+909|721=24+910|592=23+550|719=22+1386|1280=21+911|1272=20+584|1173=19+536|1088=18+909|592=17+550|721=16+910|592=15+550|719=14+1386|1173=13+536|1092=12+886|1209=11+1089|1273=10+690|1219=9+1729|1130=8+638|1280=7+911|1272=6+584|592=5+550|719=4+1386|1280=3+911|1272=2+584|1173=1+536|1088=0+909]",
        "[1338=28+212|1565=27+0|448=26+610|378=25+415|536=24+468|1364=23+221|487=22+586|537=21+468|490=20+275|4=19+253|378=18+415|1364=17+221|536=16+468|1364=15+221|487=14+586|4=13+253|402=12+415|182=11+474|489=10+292|249=9+663|598=8+343|537=7+468|490=6+275|1364=5+221|487=4+586|537=3+468|490=2+275|4=1+253|378=0+415]";
    /// the headline, with a neutral `!` at the end
    headline: "در کنگره حزب کمونیست کارگری شرکت کنید!",
        "[405=37+556|1209=36+1089|1135=35+743|1273=34+690|1088=33+909|592=32+550|1185=31+1903|1088=30+719|1213=29+791|1222=28+1615|592=27+550|868=26+1445|1213=25+791|1092=24+719|691=23+701|1173=22+536|1088=21+909|592=20+550|1185=19+1903|1219=18+1729|1135=17+743|1272=16+584|1280=15+911|1268=14+1174|1088=13+909|592=12+550|682=11+1631|1215=10+791|1202=9+1372|592=8+550|720=7+794|1213=6+791|1093=5+1046|1273=4+690|1088=3+909|592=2+550|691=1+701|689=0+980]",
        "[1303=37+206|182=36+474|597=35+360|489=34+292|378=33+415|1364=32+221|54=31+817|378=30+415|212=29+404|262=28+658|1364=27+221|595=26+618|212=25+404|402=24+415|211=23+386|4=22+253|378=21+415|1364=20+221|54=19+817|249=18+663|597=17+360|490=16+275|537=15+468|484=14+413|378=13+415|1364=12+221|35=11+772|214=10+404|140=9+636|1364=8+221|509=7+408|212=6+404|401=5+459|489=4+292|378=3+415|1364=2+221|211=1+386|181=0+414]";
    /// Persian digits and mirrored parentheses
    date: "۱۳ آبان ۱۴۰۰ (۴ نوامبر ۲۰۲۱)",
        "[537=27+700|903=26+591|905=25+1072|901=24+864|905=23+1072|592=22+550|1213=21+791|1179=20+710|1266=19+1092|681=18+475|1280=17+911|1272=16+584|592=15+550|909=14+1170|538=13+700|592=12+550|901=11+864|901=10+864|909=9+1170|903=8+591|592=7+550|719=6+1386|1173=5+536|1176=4+604|676=3+475|592=2+550|907=1+1349|903=0+591]",
        "[0=27+646|1269=26+316|1270=25+413|1268=24+314|1270=23+413|1364=22+221|212=21+404|37=20+292|485=19+456|3=18+238|537=17+468|490=16+275|1364=15+221|1294=14+465|0=13+646|1364=12+221|1268=11+314|1268=10+314|1294=9+465|1269=8+316|1364=7+221|487=6+586|4=5+253|38=4+275|19=3+238|1364=2+221|1271=1+478|1269=0+316]";
    /// a Latin-only line (left to right by guess)
    website: "www.wpiran.org",
        "[1310=0+1539|1310=1+1539|1310=2+1415|541=3+556|1310=4+1539|535=5+1150|455=6+498|560=7+654|309=8+1114|493=9+1131|541=10+556|510=11+1168|560=12+675|431=13+1150]",
        "[0=0+646|0=1+646|0=2+646|1306=3+268|0=4+646|0=5+646|0=6+646|0=7+646|0=8+646|0=9+646|1306=10+268|0=11+646|0=12+646|0=13+646]";
    /// Latin with a trailing neutral
    handle: "wpi_tamas@",
        "[1310=0+1539|535=1+1150|455=2+498|628=3+924|597=4+670|309=5+1114|487=6+1796|309=7+1114|569=8+1057|340=9+1839]",
        "[0=0+646|0=1+646|0=2+646|0=3+646|0=4+646|0=5+646|0=6+646|0=7+646|0=8+646|0=9+646]";
    /// mixed Persian and Latin shaped as one right-to-left run
    handle_line: "پیامگیر تلگرام: wpi_tamas@",
        "[340=25+1839|569=24+1057|309=23+1114|487=22+1796|309=21+1114|597=20+670|628=19+924|455=18+498|535=17+1150|1310=16+1539|592=15+550|361=14+556|718=13+1218|681=12+335|1213=11+791|1093=10+1046|1263=9+651|1187=8+678|592=7+550|1213=6+791|1136=5+813|1093=4+1046|1266=3+1092|1173=2+536|1135=1+743|1059=0+708]",
        "[0=25+646|0=24+646|0=23+646|0=22+646|0=21+646|0=20+646|0=19+646|0=18+646|0=17+646|0=16+646|1364=15+221|1302=14+206|482=13+489|3=12+238|212=11+404|401=10+459|447=9+245|56=8+275|1364=7+221|212=6+404|597=5+360|401=4+459|485=3+456|4=2+253|597=1+360|42=0+343]";
    /// a run of Persian digits only (right to left by guess)
    phone: "۰۰۴۶۷۰۰۴۴۷۴۲۵",
        "[913=12+1208|905=11+1072|909=10+1170|917=9+1206|909=8+1170|909=7+1170|901=6+864|901=5+864|917=4+1206|915=3+997|909=2+1170|901=1+864|901=0+864]",
        "[1274=12+454|1270=11+413|1294=10+465|1295=9+420|1294=8+465|1294=7+465|1268=6+314|1268=5+314|1295=4+420|1262=3+445|1294=2+465|1268=1+314|1268=0+314]";
    /// a zero-width non-joiner (U+200C) breaking the join
    zwnj: "می\u{200c}داند",
        "[1209=6+1089|1272=5+584|681=4+475|689=3+980|592=2+0|1129=1+1329|1267=0+1132]",
        "[182=6+474|490=5+275|3=4+238|181=3+414|1364=2+0|596=1+687|485=0+456]";
    /// yeh with hamza above
    hamza: "رئیس هیئت اجرایی حزب",
        "[682=19+1631|1215=18+791|1202=17+1372|592=16+550|1129=15+1329|1134=14+918|681=13+335|1213=12+791|1198=11+1372|681=10+475|592=9+550|1185=8+1903|1171=7+734|1135=6+743|1276=5+1423|592=4+550|1217=3+2533|1135=2+743|1170=1+488|691=0+701]",
        "[35=19+772|214=18+404|140=17+636|1364=16+221|596=15+687|598=14+343|3=13+238|212=12+404|116=11+636|3=10+238|1364=9+221|54=8+817|580=7+292|597=6+360|512=5+508|1364=4+221|248=3+1017|597=2+360|581=1+275|211=0+386]";
    /// the last line of the invitation
    apps: "از طریق سیگنال، واتساپ و تلگرام و اینستاگرام",
        "[718=43+1218|681=42+335|1213=41+791|1092=40+909|1173=39+536|1189=38+784|1219=37+1729|1273=36+690|1130=35+638|681=34+475|592=33+550|721=32+910|592=31+550|718=30+1218|681=29+335|1213=28+791|1093=27+1046|1263=26+651|1187=25+678|592=24+550|721=23+910|592=22+550|788=21+1791|1173=20+536|1219=19+1729|1186=18+628|681=17+475|721=16+910|592=15+550|667=14+556|717=13+1310|1173=12+536|1273=11+690|1093=10+1046|1135=9+743|1218=8+1615|592=7+550|1253=6+1409|1133=5+808|1213=4+791|1234=3+1334|592=2+550|692=1+701|681=0+475]",
        "[482=43+489|3=42+238|212=41+404|402=40+415|4=39+253|55=38+360|249=37+663|489=36+292|598=35+343|3=34+238|1364=33+221|536=32+468|1364=31+221|482=30+489|3=29+238|212=28+404|401=27+459|447=26+245|56=25+275|1364=24+221|536=23+468|1364=22+221|39=21+772|4=20+253|249=19+663|56=18+275|3=17+238|536=16+468|1364=15+221|1338=14+212|445=13+595|4=12+253|489=11+292|401=10+459|597=9+360|250=8+658|1364=7+221|360=6+642|598=5+343|212=4+404|294=3+660|1364=2+221|213=1+386|3=0+238]";
    /// kasra and fatha marks positioned on their bases
    vowelled: "نِشَر",
        "[1213=4+791|728=2@584,295+0|1223=2+1729|731=0@-23,23+0|1272=0+584]",
        "[212=4+404|1416=2@266,89+0|261=2+663|1424=0@62,-94+0|490=0+275]";
}

#[test]
fn recorded_cases_are_distinct() {
    for (i, a) in CASES.iter().enumerate() {
        assert!(CASES[i + 1..].iter().all(|b| b.name != a.name && b.text != a.text), "{} twice", a.name);
    }
}

/// `hb-shape --no-glyph-names font`, fed `lines` on stdin: it shapes each
/// line on its own and prints one result per line.
fn hb_shape_lines(font: &Path, lines: &[String]) -> Vec<String> {
    let mut child = Command::new("hb-shape")
        .arg("--no-glyph-names")
        .arg(font)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hb-shape starts");
    let mut input = lines.join("\n");
    input.push('\n');
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("hb-shape runs");
    writer.join().expect("writer thread").expect("hb-shape reads its input");
    assert!(out.status.success(), "hb-shape failed: {}", String::from_utf8_lossy(&out.stderr));
    let printed: Vec<String> = String::from_utf8(out.stdout).expect("UTF-8").lines().map(str::to_string).collect();
    assert_eq!(printed.len(), lines.len(), "hb-shape prints one line per input line");
    printed
}

#[test]
fn invitation_lines_agree_with_live_hb_shape() {
    if !require("hb-shape") {
        return;
    }
    let text = invitation_source();
    let lines: Vec<String> =
        text.lines().map(|l| l.replace("**", "").trim().to_string()).filter(|l| !l.is_empty()).collect();
    assert!(lines.len() > 30, "the invitation has its lines: {}", lines.len());

    let engine = Engine::new();
    let fonts = [("Vazirmatn Regular", vazirmatn_path()), ("Noto Naskh Arabic Regular", noto_path())];
    let mut mismatches = Vec::new();
    for (font, path) in &fonts {
        let expected = hb_shape_lines(path, &lines);
        for (line, want) in lines.iter().zip(&expected) {
            let got = shape(&engine, Some(path), line);
            if &got != want {
                mismatches.push(format!("{font}: {line}\n  nashr:    {got}\n  hb-shape: {want}"));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} shaped lines differ from hb-shape:\n{}",
        mismatches.len(),
        lines.len() * fonts.len(),
        mismatches.join("\n")
    );
}

/// Run the built `nashr` binary; its stdout, trimmed.
fn nashr(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_nashr")).args(args).output().expect("nashr runs");
    assert!(out.status.success(), "nashr {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8").trim().to_string()
}

#[test]
fn binary_shape_with_bundled_font_matches_hb_shape() {
    let c = case("headline");
    assert_eq!(nashr(&["shape", c.text]), c.vazirmatn);
}

#[test]
fn binary_shape_with_font_option_matches_hb_shape() {
    let path = noto_path();
    let c = case("eslami");
    assert_eq!(nashr(&["shape", "--font", path.to_str().expect("UTF-8 path"), c.text]), c.noto);
}

/// The clusters of hb-shape's format `[gid=cluster@dx,dy+adv|…]`, in order.
fn clusters(printed: &str) -> Vec<usize> {
    let body = printed.strip_prefix('[').and_then(|s| s.strip_suffix(']')).expect("[…]");
    body.split('|')
        .map(|g| {
            let after = g.split_once('=').expect("gid=cluster").1;
            let end = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
            after[..end].parse().expect("a cluster number")
        })
        .collect()
}

#[test]
fn binary_bidi_puts_the_handle_in_visual_order() {
    // Characters: پیامگیر 0–6, space 7, تلگرام 8–13, `:` 14, space 15,
    // wpi_tamas 16–24, `@` 25. In a right-to-left paragraph the trailing `@`
    // is right-to-left too, so it sits left of the Latin run, which reads left
    // to right; the Persian words follow on the right, right to left.
    let text = "پیامگیر تلگرام: wpi_tamas@";
    assert_eq!(text.chars().count(), 26);
    let printed = nashr(&["shape", "--bidi", text]);
    let order = clusters(&printed);
    assert_eq!(order.first(), Some(&25), "`@` comes first (leftmost): {printed}");
    assert_eq!(order[1..10], (16..=24).collect::<Vec<_>>()[..], "then wpi_tamas left to right: {printed}");
    let rest = &order[10..];
    assert!(rest.iter().all(|&c| c < 16), "then only the Persian part: {printed}");
    assert!(rest.windows(2).all(|w| w[0] >= w[1]), "which reads right to left: {printed}");
    let mut all = order.clone();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all, (0..26).collect::<Vec<_>>(), "every character has a glyph: {printed}");
}

/// OpenType features reach the shaper as HarfBuzz reads them: recorded
/// (Vazirmatn's `tnum` widens the Persian one to 1349 units, `ss01` draws
/// Latin digits as Persian ones), and live against `hb-shape --features`.
#[test]
fn features_shape_as_hb_shape_does() {
    let engine = Engine::new();
    let with = |text: &str, features: &[&str]| {
        let opts =
            ShapeOptions { features: features.iter().map(|f| f.to_string()).collect(), ..ShapeOptions::default() };
        engine.shape(text, &opts).expect("the text shapes")
    };
    assert!(with("۱۱", &["tnum"]).contains("+1349|") && with("۱۱", &[]).contains("+591|"));
    assert_eq!(with("11", &["ss01"]), "[903=0+591|903=1+591]", "the Persian one's glyph, left to right");
    assert!(engine.shape("1", &ShapeOptions { features: vec!["no such".into()], ..ShapeOptions::default() }).is_err());
    if !require("hb-shape") {
        return;
    }
    for (text, features) in [("۱۲۳ ۱۱۱", "tnum"), ("1111 2019", "ss01"), ("فی ۱۴۰۳", "tnum,-liga"), ("office", "-liga")]
    {
        let out = Command::new("hb-shape")
            .args(["--no-glyph-names", &format!("--features={features}")])
            .arg(vazirmatn_path())
            .arg(text)
            .output()
            .expect("hb-shape runs");
        let hb = String::from_utf8(out.stdout).unwrap();
        let list: Vec<&str> = features.split(',').collect();
        assert_eq!(with(text, &list), hb.trim(), "{text:?} with {features}");
    }
}
