//! The label–value fields of a line, read before any rule: `Label: value`, `Label（…）：value`,
//! several labels on one line (`Party A (seal): X    Legal representative: Y`), a label whose
//! value is on the next line, and the person's name in a signer's value without titles or
//! honorifics.
//!
//! A label is one of a table of known labels (below). A label found in a line is a field's label
//! only when the line says so: a colon after it (and after an annotation such as `(seal)` or
//! `（签字）`), or a label that reads as one in prose (`Signed for and on behalf of Party A by
//! …`, `signed by`), or a label standing alone at the start of a segment with its value on the
//! next line. A field's value runs to the next field's label, so that a label is never read into
//! the value before it.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{compile, is_han};

/// What a label introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    /// `Signed for and on behalf of`, `For Party A`: a party's signature block; the value is the
    /// party's company, or its signer (`… by Mr Wang`).
    OnBehalf,
    /// A person who signs: `Legal representative`, `By`, `Signature`, `法定代表人`, `签约代表`.
    Signer,
    /// `Name`, `姓名`: a signer's name, inside a signature block.
    Name,
    /// `Company name`, `单位名称`: a party's company.
    Company,
    /// `Party A`, `甲方`, `Investor`: a party and its name.
    Party,
    /// Any other field (`Title`, `Date`, `职务`, `电话`…): its value is nothing read here, but it
    /// ends the value before it.
    Other,
}

/// A field of a line.
#[derive(Debug, Clone)]
pub(super) struct Hit {
    pub(super) slot: Slot,
    /// The label, annotation and colon, as byte offsets in the line.
    pub(super) label: Range<usize>,
    /// The value, trimmed (empty when the value is on the next line).
    pub(super) value: Range<usize>,
}

/// Latin alternatives are whole words: `(?-u:\b)` on both sides keeps `by` out of `Bayer`.
macro_rules! word {
    ($($p:literal),+ $(,)?) => {
        concat!(r"(?-u:\b)(?i:", $($p),+, r")(?-u:\b)")
    };
}

/// The labels, in the order they are tried at one place (the first that matches wins, so a
/// longer label comes before a label it starts with). Each is `(slot, strong, pattern)`:
/// a strong label is a field's label without a colon.
static LABELS: &[(Slot, bool, &str)] = &[
    // Signature blocks.
    (
        Slot::OnBehalf,
        true,
        word!(
            r"(?:(?:signed|executed|sealed)[ \t]+)?(?:for[ \t]+and[ \t]+)?on[ \t]+behalf[ \t]+of",
            r"(?:[ \t]+(?:party[ \t]*[abc]|the[ \t]+investor))?"
        ),
    ),
    (
        Slot::OnBehalf,
        true,
        word!(
            r"(?:signed|executed|sealed)[ \t]+(?:for|by)[ \t]+(?:party[ \t]*[abc]|the[ \t]+investor)"
        ),
    ),
    (
        Slot::OnBehalf,
        false,
        word!(r"for[ \t]+(?:party[ \t]*[abc]|the[ \t]+investor)"),
    ),
    // Signers, English.
    (Slot::Signer, true, word!(r"(?:signed|executed)[ \t]+by")),
    (
        Slot::Signer,
        false,
        word!(
            r"(?:party[ \t]*[abc]['’]s[ \t]+|the[ \t]+investor['’]s[ \t]+)?",
            r"(?:duly[ \t]+)?(?:legal[ \t]+representative|legal[ \t]+person",
            r"|authori[sz]ed[ \t]+(?:representative|signatory|signatories|person|agent|officer|signature)",
            r"|signature[ \t]+of[ \t]+(?:the[ \t]+)?(?:legal|authori[sz]ed)[ \t]+representative",
            r"|signatory|representative|signature|signed)",
            r"(?:[ \t]+(?:of|for)[ \t]+(?:party[ \t]*[abc]|the[ \t]+investor))?"
        ),
    ),
    (Slot::Signer, false, word!(r"by")),
    (
        Slot::Name,
        false,
        word!(
            r"(?:print(?:ed)?[ \t]+|full[ \t]+)?name(?:[ \t]+of[ \t]+(?:the[ \t]+)?(?:signatory|signer|representative))?"
        ),
    ),
    (
        Slot::Company,
        false,
        word!(r"company[ \t]+name|name[ \t]+of[ \t]+(?:the[ \t]+)?company|entity"),
    ),
    // Signers, Chinese (a party first: `甲方代表`, `乙方授权代表`).
    (
        Slot::Signer,
        false,
        concat!(
            r"(?:[甲乙丙]方[ \t\u{3000}]*)?(?:法定代表人[ \t\u{3000}]*(?:或(?:其)?|[/／、])?[ \t\u{3000}]*(?:授权代(?:表人?|理人)|委托代理人|授权签字人|代理人)",
            r"|法定代表人|法人代表|授权代表人?|委托代理人|授权代理人|签约代表|签字代表|签署代表",
            r"|经办人|签字人|签署人|签约人|代表人?)(?:[ \t\u{3000}]*(?:签字|签名|签章|签署))?",
        ),
    ),
    (
        Slot::Signer,
        false,
        r"[甲乙丙]方(?:签字|签名|签章)|签字|签名|签章",
    ),
    (Slot::Name, false, r"姓[ \t\u{3000}]*名"),
    (
        Slot::Company,
        false,
        r"公司名称|单位名称|企业名称|名[ \t\u{3000}]*称",
    ),
    // Parties.
    (
        Slot::Party,
        false,
        concat!(
            r"(?-u:\b)(?i:party[ \t]*[abc]|the[ \t]+investor|investor|project[ \t]+(?:company|party))(?-u:\b)",
            r"|[甲乙丙]方|投资方|投资人|项目方|出资方",
        ),
    ),
    // Everything else a signature block or a party block holds.
    (
        Slot::Other,
        false,
        word!(
            r"title|position|designation|capacity|date(?:[ \t]+of[ \t]+signing)?|place(?:[ \t]+of[ \t]+signing)?",
            r"|(?:registered[ \t]+)?address|tel|telephone|phone|mobile|fax|e-?mail|website|wechat|qq",
            r"|bank(?:[ \t]+name)?|account(?:[ \t]+(?:name|number|no\.?))?|uscc",
            r"|unified[ \t]+social[ \t]+credit[ \t]+code|id(?:[ \t]+(?:card|number|no\.?))?",
            r"|seal|stamp|chop|company[ \t]+seal|witness|contact(?:[ \t]+person)?"
        ),
    ),
    (
        Slot::Other,
        false,
        concat!(
            r"职[ \t\u{3000}]*务|职[ \t\u{3000}]*位|(?:签署|签订|签约|签字)?日[ \t\u{3000}]*期|地[ \t\u{3000}]*址|住[ \t\u{3000}]*所",
            r"|联系电话|电[ \t\u{3000}]*话|手[ \t\u{3000}]*机|传[ \t\u{3000}]*真|电子邮箱|邮[ \t\u{3000}]*箱|网[ \t\u{3000}]*址|微[ \t\u{3000}]*信",
            r"|开户(?:银)?行|(?:银行)?(?:账|帐)[ \t\u{3000}]*号|户[ \t\u{3000}]*名|统一社会信用代码|身份证号(?:码)?",
            r"|盖[ \t\u{3000}]*章|公[ \t\u{3000}]*章|印[ \t\u{3000}]*章|联系人",
        ),
    ),
];

/// All the labels as one pattern, each alternative a group `l0`, `l1`, … in table order.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = LABELS
        .iter()
        .enumerate()
        .map(|(i, (_, _, p))| format!("(?P<l{i}>{p})"))
        .collect();
    compile(&alternatives.join("|"))
});

/// What may stand between a label and its colon: `(seal)`, `（签字）`, `/ 甲方`, `(Investor)`.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"^[ \t\u{3000}]*(?:[（(][^（()）\n]{0,30}[）)]|[/／][ \t\u{3000}]*(?:[甲乙丙]方|",
        r"\p{Han}{1,10}|(?i:party[ \t]*[abc])))?",
    ))
});

/// A colon after a label (and its annotation).
static COLON: LazyLock<Regex> = LazyLock::new(|| compile(r"^[ \t\u{3000}]*[:：]"));

/// The patterns, for `every_pattern_compiles`.
#[cfg(test)]
pub(super) fn patterns() -> [&'static Regex; 3] {
    [&LABEL, &ANNOTATION, &COLON]
}

/// Whether `at` starts a segment of `line`: the start of the line, or after a tab, an
/// ideographic space, two spaces or a separator, with only white space between.
pub(super) fn segment_start(line: &str, at: usize) -> bool {
    let before = &line[..at];
    let trimmed = before.trim_end_matches([' ', '\t', '\u{3000}']);
    if trimmed.is_empty() {
        return true;
    }
    let gap = &before[trimmed.len()..];
    gap.contains(['\t', '\u{3000}']) || gap.len() >= 2 || trimmed.ends_with(['|', ';', '；'])
}

/// Whether a value holds nothing to read: white space, underscores, dots or an annotation such
/// as `(signature)`.
pub(super) fn is_blank(value: &str) -> bool {
    let rest = value.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '_' | '＿' | '.' | '…' | '-' | '—' | '·')
    });
    rest.is_empty() || ANNOTATION_ONLY.is_match(rest)
}

static ANNOTATION_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"^(?:[（(][ \t]*(?:签字|签名|签章|盖章|公章|印章|(?i:signature|sign|seal|stamp|chop|signed|company[ \t]+seal))",
        r"[ \t]*[)）][ \t_＿]*)+$"
    ))
});

/// The fields of a line, in order.
pub(super) fn hits(line: &str) -> Vec<Hit> {
    /// A label found, before it is known to be a field's.
    struct Found {
        slot: Slot,
        strong: bool,
        label: Range<usize>,
        colon: bool,
    }
    let mut found: Vec<Found> = Vec::new();
    for c in LABEL.captures_iter(line) {
        let Some((i, m)) = GROUPS
            .iter()
            .enumerate()
            .find_map(|(i, g)| c.name(g).map(|m| (i, m)))
        else {
            continue;
        };
        let Some(&(slot, strong, _)) = LABELS.get(i) else {
            continue;
        };
        // Inside the annotation of the label before (`甲方（盖章）`): part of that label.
        if found.last().is_some_and(|f| m.start() < f.label.end) {
            continue;
        }
        let mut end = m.end();
        if let Some(a) = ANNOTATION.find(&line[end..]) {
            end += a.end();
        }
        let colon = COLON.find(&line[end..]);
        if let Some(colon) = colon {
            end += colon.end();
        }
        let here = Found {
            slot,
            strong,
            label: m.start()..end,
            colon: colon.is_some(),
        };
        // One label in two languages (`甲方 Party A（盖章 Seal）：`, `By 签字:`, `授权代表
        // Authorised Representative：`) is one label; the more telling slot wins.
        if let Some(last) = found.last_mut()
            && !last.colon
            && bilingual(line, &last.label, &here.label)
        {
            last.label.end = here.label.end;
            last.colon = here.colon;
            last.strong |= here.strong;
            if rank(here.slot) > rank(last.slot) {
                last.slot = here.slot;
            }
            continue;
        }
        found.push(here);
    }
    let mut valid: Vec<&Found> = Vec::with_capacity(found.len());
    for (k, f) in found.iter().enumerate() {
        let m_start = f.label.start;
        let end = f.label.end;
        // What follows, up to the next label: blank when the value is on the next line, or
        // when labels stand side by side as column headings (`PARTY A      PARTY B`).
        let until = found.get(k + 1).map_or(line.len(), |n| n.label.start);
        let rest = &line[end..until.max(end)];
        let ok = f.colon
            || f.strong
            || (segment_start(line, m_start) && is_blank(rest))
            || (f.slot == Slot::Signer
                && segment_start(line, m_start)
                && starts_with_name(&line[end..]))
            // `甲方签约代表张伟`: a Han label of a person, then a Han name ending the line.
            || (f.slot == Slot::Signer
                && ["代表", "代理人", "经办人", "签字人", "签署人", "签约人"]
                    .iter()
                    .any(|w| line[f.label.clone()].contains(w))
                && glued_name_alone(&line[end..]))
            // `由法定代表人王建国先生签署`: a Han label, then a name and its title.
            || (f.slot == Slot::Signer
                && line[..end].chars().next_back().is_some_and(is_han)
                && titled(&line[end..]).is_some());
        if ok {
            valid.push(f);
        }
    }
    let mut out = Vec::with_capacity(valid.len());
    for (k, f) in valid.iter().enumerate() {
        let end = valid.get(k + 1).map_or(line.len(), |n| n.label.start);
        let start = f.label.end.min(end);
        let raw = &line[start..end];
        let lead = raw.len() - raw.trim_start_matches(is_space_or_colon).len();
        let kept =
            raw.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '|' | ';' | '；'));
        let value = (start + lead).min(start + kept.len())..start + kept.len();
        out.push(Hit {
            slot: f.slot,
            label: f.label.clone(),
            value,
        });
    }
    out
}

/// Whether `text` is a Han name of two or three characters and nothing more (white space
/// aside) up to the end of the line.
fn glued_name_alone(text: &str) -> bool {
    let text = text.trim_end();
    let n = text.chars().count();
    (2..=3).contains(&n) && text.chars().all(is_han) && han_name(text, 0).is_some()
}

/// The group names of [`LABEL`]'s alternatives.
static GROUPS: LazyLock<Vec<String>> =
    LazyLock::new(|| (0..LABELS.len()).map(|i| format!("l{i}")).collect());

/// How telling a slot is, when one label is written in two languages.
fn rank(slot: Slot) -> u8 {
    match slot {
        Slot::Other => 0,
        Slot::Party => 1,
        Slot::Company => 2,
        Slot::OnBehalf => 3,
        Slot::Name => 4,
        Slot::Signer => 5,
    }
}

/// Whether the label at `next` is the one at `last` in the other language: one in Han, the
/// other not, with at most a space or a slash between.
fn bilingual(line: &str, last: &Range<usize>, next: &Range<usize>) -> bool {
    let Some(gap) = line.get(last.end..next.start) else {
        return false;
    };
    let gap = gap.trim_matches([' ', '\t', '\u{3000}']);
    if !(gap.is_empty() || gap == "/" || gap == "／") || next.start - last.end > 4 {
        return false;
    }
    let han = |r: &Range<usize>| line[r.clone()].chars().any(is_han);
    let latin = |r: &Range<usize>| line[r.clone()].chars().any(|c| c.is_ascii_alphabetic());
    (han(last) && latin(next) && !latin(last)) || (latin(last) && han(next) && !han(last))
}

fn is_space_or_colon(c: char) -> bool {
    c.is_whitespace() || matches!(c, ':' | '：' | ',' | '，')
}

/// Whether `text` starts with a person's name (after white space).
fn starts_with_name(text: &str) -> bool {
    let lead = text.len() - text.trim_start_matches([' ', '\t', '\u{3000}']).len();
    lead > 0 && person_name(text).is_some_and(|r| r.start == lead)
}

/// The segments of a line: the stretches between tabs, ideographic spaces and runs of two or
/// more spaces (the columns of a signature page in plain text), as byte ranges.
pub(super) fn segments(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut spaces = 0usize;
    for (i, c) in line.char_indices() {
        let gap = match c {
            '\t' | '\u{3000}' => true,
            ' ' => {
                spaces += 1;
                spaces >= 2
            }
            _ => {
                spaces = 0;
                if start.is_none() {
                    start = Some(i);
                }
                false
            }
        };
        if gap && let Some(s) = start.take() {
            let piece = line[s..i].trim_end();
            if !piece.is_empty() {
                out.push(s..s + piece.len());
            }
        }
    }
    if let Some(s) = start {
        let piece = line[s..].trim_end();
        if !piece.is_empty() {
            out.push(s..s + piece.len());
        }
    }
    out
}

/// The display column of byte offset `at` in `line`: East Asian wide characters take two.
pub(super) fn column(line: &str, at: usize) -> usize {
    line.get(..at).map_or(0, |s| {
        s.chars()
            .map(|c| {
                if is_han(c) || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF60}') {
                    2
                } else {
                    1
                }
            })
            .sum()
    })
}

// ---------------------------------------------------------------------------------------------
// Names.
// ---------------------------------------------------------------------------------------------

/// Forms of address before a Latin name.
const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "madam",
    "mme",
    "sir",
    "mister",
];

/// Words that a person's Latin name does not hold: titles, departments, company words and
/// labels (`Deputy General Manager`, `Project Department`, `Legal Representative`).
const NOT_NAME_WORDS: &[&str] = &[
    "address",
    "agent",
    "agreement",
    "and",
    "assistant",
    "authorised",
    "authorized",
    "bank",
    "board",
    "both",
    "branch",
    "by",
    "ceo",
    "cfo",
    "chairman",
    "chairperson",
    "chief",
    "co",
    "company",
    "corp",
    "date",
    "department",
    "deputy",
    "director",
    "executive",
    "finance",
    "financial",
    "for",
    "general",
    "group",
    "head",
    "holding",
    "holdings",
    "inc",
    "international",
    "investment",
    "investor",
    "its",
    "legal",
    "limited",
    "ltd",
    "manager",
    "name",
    "of",
    "office",
    "officer",
    "on",
    "parties",
    "party",
    "person",
    "phone",
    "position",
    "president",
    "project",
    "representative",
    "seal",
    "secretary",
    "signature",
    "signatory",
    "signed",
    "stamp",
    "tel",
    "the",
    "title",
    "union",
    "vice",
];

/// Titles and forms of address written after or before a Han name (`王建国总经理`, `王先生`).
const HAN_TITLES: &[&str] = &[
    "常务副总经理",
    "副总经理",
    "总经理",
    "副董事长",
    "董事长",
    "项目经理",
    "财务经理",
    "部门经理",
    "经理",
    "副总裁",
    "总裁",
    "总监",
    "主任",
    "部长",
    "处长",
    "局长",
    "科长",
    "书记",
    "董事",
    "总工",
    "会计",
    "先生",
    "女士",
    "小姐",
    "同志",
    "本人",
];

/// Han words that a name does not hold.
const NOT_NAME_HAN: &[&str] = &[
    "公司", "集团", "有限", "银行", "代表", "签字", "签章", "签名", "盖章", "日期", "甲方", "乙方",
    "丙方", "协议", "项目", "本人", "地址", "住所", "电话", "职务", "法定", "授权", "投资", "部门",
    "盖章", "公章", "印章", "年", "月",
];

fn is_name_letter(c: char) -> bool {
    c.is_alphabetic() && !is_han(c) || matches!(c, '\'' | '’' | '-')
}

/// The byte range of the person's name that `value` starts with, past leading punctuation,
/// underscores, signature annotations and a form of address; titles and honorifics are never
/// part of it. A Latin name is two to four capitalised words, with the Han name after it in
/// brackets or after a slash when given; a Han name is two to four Han characters (more with a
/// middle dot), with the Latin name after it in brackets when given.
pub(super) fn person_name(value: &str) -> Option<Range<usize>> {
    let mut at = 0;
    // Leading punctuation, underscores and annotations.
    loop {
        let rest = &value[at..];
        let trimmed = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '_' | '＿' | ':' | '：' | ',' | '，' | '-' | '—' | '.')
        });
        at += rest.len() - trimmed.len();
        if let Some(m) = LEADING_ANNOTATION.find(&value[at..]) {
            at += m.end();
            continue;
        }
        break;
    }
    let rest = &value[at..];
    let first = rest.chars().next()?;
    if is_han(first) {
        return han_name(value, at);
    }
    if !first.is_uppercase() {
        return None;
    }
    // Words, separated by single spaces or tabs.
    let mut words: Vec<Range<usize>> = Vec::new();
    let mut pos = at;
    let mut skipped_honorific = false;
    loop {
        let rest = &value[pos..];
        let len: usize = rest
            .char_indices()
            .find(|&(_, c)| !is_name_letter(c))
            .map_or(rest.len(), |(i, _)| i);
        if len == 0 {
            break;
        }
        let word = &rest[..len];
        let lower = word.to_lowercase();
        let after = rest[len..].chars().next();
        let honorific = HONORIFICS.contains(&lower.as_str());
        if words.is_empty() && !skipped_honorific && honorific {
            skipped_honorific = true;
            pos += len;
            if after == Some('.') {
                pos += 1;
            }
            let spaces = value[pos..].len() - value[pos..].trim_start_matches([' ', '\t']).len();
            if spaces == 0 {
                return None;
            }
            pos += spaces;
            continue;
        }
        if !word.chars().next().is_some_and(char::is_uppercase)
            || NOT_NAME_WORDS.contains(&lower.as_str())
            || honorific
        {
            break;
        }
        words.push(pos..pos + len);
        pos += len;
        if words.len() == 4 {
            break;
        }
        // One space or tab between words; two or more end the name (a column's gap).
        let gap = value[pos..].len() - value[pos..].trim_start_matches([' ', '\t']).len();
        if gap != 1 || value[pos..].starts_with('\t') && gap > 1 {
            break;
        }
        pos += gap;
    }
    // A fifth capitalised word makes a phrase (`Hainan Qiongzhong Green Orange Industry`).
    if words.len() == 4
        && value[pos..]
            .strip_prefix(' ')
            .and_then(|r| r.chars().next())
            .is_some_and(char::is_uppercase)
    {
        return None;
    }
    let (first_word, last_word) = (words.first()?.clone(), words.last()?.clone());
    let mut end = last_word.end;
    // The Han name after it: `Wang Jianguo (王建国)`, `Wang Jianguo / 王建国`.
    let han_after = OTHER_SCRIPT_HAN.find(&value[end..]).map(|m| end + m.end());
    if words.len() < 2 && han_after.is_none() {
        return None;
    }
    if let Some(e) = han_after {
        end = e;
    }
    Some(first_word.start..end)
}

/// `（签字）`, `(signature)` and the like before a name, and what the person is
/// (`by its legal representative, Wang Jianguo`).
static LEADING_ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"^(?:[（(][ \t]*(?:签字|签名|签章|盖章|(?i:signature|sign|seal|stamp|signed))[ \t]*[)）]",
        r"|(?i:(?:its|his|her|their|the|our)[ \t]+)?(?i:duly[ \t]+)?(?i:(?:legal|authori[sz]ed)[ \t]+",
        r"(?:representative|signatory|person)|representative|signatory)(?-u:\b)[ \t]*[,，:：]?)",
    ))
});

static OTHER_SCRIPT_HAN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^[ \t\u{3000}]*(?:[（(][ \t]*\p{Han}[\p{Han}·•]{1,5}[ \t]*[）)]|[/／][ \t]*\p{Han}[\p{Han}·•]{1,5})",
    )
});

static OTHER_SCRIPT_LATIN: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^[ \t\u{3000}]*[（(][ \t]*\p{Lu}[\p{Latin}'’\-]*(?:[ \t]+\p{Lu}[\p{Latin}'’\-]*){1,3}[ \t]*[）)]",
    )
});

/// The patterns of names, for `every_pattern_compiles`.
#[cfg(test)]
pub(super) fn name_patterns() -> [&'static Regex; 4] {
    [
        &ANNOTATION_ONLY,
        &LEADING_ANNOTATION,
        &OTHER_SCRIPT_HAN,
        &OTHER_SCRIPT_LATIN,
    ]
}

/// Where a name glued to the text after it ends, when a title or a form of address follows it
/// (`王建国先生亲自签署`): the byte offset of the title, two to four characters in.
fn titled(text: &str) -> Option<usize> {
    text.char_indices()
        .take_while(|&(_, c)| is_han(c))
        .skip(2)
        .take(3)
        .map(|(i, _)| i)
        .find(|&i| {
            HAN_TITLES
                .iter()
                .any(|t| text[i..].starts_with(t) && !matches!(*t, "本人"))
        })
}

/// A Han name starting at `at` in `value`, its titles and forms of address cut off.
fn han_name(value: &str, at: usize) -> Option<Range<usize>> {
    let rest = &value[at..];
    let len = rest
        .char_indices()
        .find(|&(_, c)| !(is_han(c) || matches!(c, '·' | '•')))
        .map_or(rest.len(), |(i, _)| i);
    let mut start = at;
    let mut end = at + titled(rest).unwrap_or(len);
    // Titles before (`总经理王建国`) and after (`王建国总经理`, `王建国先生`), longest first.
    let mut changed = true;
    while changed {
        changed = false;
        for title in HAN_TITLES {
            let run = &value[start..end];
            if run.len() > title.len() && run.ends_with(title) {
                end -= title.len();
                changed = true;
            } else if run.len() > title.len() && run.starts_with(title) {
                start += title.len();
                changed = true;
            }
        }
    }
    let name = &value[start..end];
    let chars = name.chars().count();
    let dotted = name.contains(['·', '•']);
    if !((2..=4).contains(&chars) || dotted && chars <= 12) {
        return None;
    }
    if NOT_NAME_HAN.iter().any(|w| name.contains(w)) {
        return None;
    }
    // The Latin name after it: `王建国（Wang Jianguo）`.
    if end == at + len
        && let Some(m) = OTHER_SCRIPT_LATIN.find(&value[end..])
    {
        end += m.end();
    }
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str) -> Vec<(Slot, &str, &str)> {
        hits(line)
            .into_iter()
            .map(|h| (h.slot, line[h.label].trim(), &line[h.value]))
            .collect()
    }

    fn name(value: &str) -> Option<&str> {
        person_name(value).map(|r| &value[r])
    }

    #[test]
    fn several_labels_on_one_line_each_keep_their_value() {
        assert_eq!(
            fields(
                "Party A (seal): International Union Construction Group    Legal representative: Qian Weidong"
            ),
            vec![
                (
                    Slot::Party,
                    "Party A (seal):",
                    "International Union Construction Group"
                ),
                (Slot::Signer, "Legal representative:", "Qian Weidong"),
            ]
        );
        assert_eq!(
            fields("甲方（盖章）Party A (seal)：国际联合建设集团投资有限公司"),
            vec![(
                Slot::Party,
                "甲方（盖章）Party A (seal)：",
                "国际联合建设集团投资有限公司"
            )]
        );
        assert_eq!(
            fields("By 签字: Qian Weidong (钱卫东)"),
            vec![(Slot::Signer, "By 签字:", "Qian Weidong (钱卫东)")]
        );
        assert_eq!(
            fields("Title: Legal Representative"),
            vec![(Slot::Other, "Title:", "Legal Representative")]
        );
    }

    #[test]
    fn signature_labels_are_read_in_prose_and_alone() {
        assert_eq!(
            fields("Signed for Party A: Qian Weidong, Deputy General Manager, Project Department"),
            vec![(
                Slot::OnBehalf,
                "Signed for Party A:",
                "Qian Weidong, Deputy General Manager, Project Department"
            )]
        );
        assert_eq!(
            fields("Authorised representative of Party A: Qian Weidong (signature)"),
            vec![(
                Slot::Signer,
                "Authorised representative of Party A:",
                "Qian Weidong (signature)"
            )]
        );
        assert_eq!(
            fields("Authorised signatory:"),
            vec![(Slot::Signer, "Authorised signatory:", "")]
        );
        assert_eq!(
            fields("甲方签约代表（签字）："),
            vec![(Slot::Signer, "甲方签约代表（签字）：", "")]
        );
        assert_eq!(
            fields("法定代表人或授权代表（签字）：钱卫东"),
            vec![(Slot::Signer, "法定代表人或授权代表（签字）：", "钱卫东")]
        );
        // Prose is not a field.
        assert!(fields("Party A shall pay the management fee by the end of June.").is_empty());
        assert!(fields("本协议经双方签字盖章后生效。").is_empty());
    }

    #[test]
    fn names_lose_titles_and_forms_of_address() {
        assert_eq!(
            name("Qian Weidong, Deputy General Manager"),
            Some("Qian Weidong")
        );
        assert_eq!(name("Mr. Qian Weidong (signature)"), Some("Qian Weidong"));
        assert_eq!(name("(signature) Qian Weidong"), Some("Qian Weidong"));
        assert_eq!(name("Wang Jianguo (王建国)"), Some("Wang Jianguo (王建国)"));
        assert_eq!(name("钱卫东 总经理"), Some("钱卫东"));
        assert_eq!(name("钱卫东先生（签字）"), Some("钱卫东"));
        assert_eq!(name("总经理钱卫东"), Some("钱卫东"));
        assert_eq!(
            name("王建国（Wang Jianguo）"),
            Some("王建国（Wang Jianguo）")
        );
        assert_eq!(
            name("Qian Weidong        Deng Xiaochuan"),
            Some("Qian Weidong")
        );
        assert_eq!(name("______"), None);
        assert_eq!(name("Legal Representative"), None);
        assert_eq!(name("International Union Construction Group"), None);
        assert_eq!(name("国际联合建设集团投资有限公司"), None);
        assert_eq!(name("Ms Li"), None);
    }

    #[test]
    fn segments_split_at_column_gaps() {
        let line = "Party A: X Co., Ltd.      Party B: Y";
        let s: Vec<&str> = segments(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(s, vec!["Party A: X Co., Ltd.", "Party B: Y"]);
        assert_eq!(column("甲方：X", "甲方：".len()), 6);
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::{Slot, hits, person_name};

        const LABELS_EN: &[&str] = &[
            "Signed for Party A:",
            "Legal representative:",
            "Authorised representative of Party A:",
            "Authorised signatory:",
            "Party A's authorised representative:",
            "Signature:",
            "By:",
            "Signed by",
        ];
        const TITLES_EN: &[&str] = &[
            ", Deputy General Manager",
            ", Chairman of the Board",
            ", Legal Representative",
            " (signature)",
            ", Director, Project Department",
            "",
        ];
        const HONORIFICS: &[&str] = &["", "Mr. ", "Ms ", "Dr. ", "Mrs. "];
        const LABELS_ZH: &[&str] = &[
            "法定代表人：",
            "法定代表人或授权代表（签字）：",
            "甲方代表（签字）：",
            "签约代表：",
            "经办人：",
            "授权代表签字：",
            "委托代理人：",
        ];
        const TITLES_ZH: &[&str] = &[
            "",
            " 总经理",
            "副总经理",
            "先生",
            "女士（签字）",
            " 董事长",
            "（签字）",
        ];

        fn latin_word() -> impl Strategy<Value = String> {
            "[A-Z][a-z]{1,8}".prop_filter("not a word a name never holds", |w| {
                !super::super::NOT_NAME_WORDS.contains(&w.to_lowercase().as_str())
                    && !super::super::HONORIFICS.contains(&w.to_lowercase().as_str())
            })
        }

        fn han_name() -> impl Strategy<Value = String> {
            (
                prop::sample::select(vec![
                    '钱', '赵', '孙', '周', '吴', '郑', '冯', '陈', '褚', '卫',
                ]),
                prop::collection::vec(
                    prop::sample::select(vec![
                        '卫', '东', '海', '峰', '伟', '芳', '娜', '敏', '静', '强',
                    ]),
                    1..=2,
                ),
            )
                .prop_map(|(surname, given)| std::iter::once(surname).chain(given).collect())
        }

        /// The name read from the first signer field of `line`.
        fn read(line: &str) -> Option<String> {
            let hit = hits(line)
                .into_iter()
                .find(|h| matches!(h.slot, Slot::Signer | Slot::OnBehalf))?;
            let value = &line[hit.value];
            person_name(value).map(|r| value[r].to_owned())
        }

        proptest! {
            // No regressions file: it would be written beside `src/`, at the top of the
            // repository; a failure found here becomes a case in the tests above.
            #![proptest_config(ProptestConfig {
                failure_persistence: None,
                ..ProptestConfig::default()
            })]

            /// Whatever the label, form of address and title, the name read is the name.
            #[test]
            fn a_label_or_a_title_is_never_part_of_a_latin_name(
                label in prop::sample::select(LABELS_EN),
                honorific in prop::sample::select(HONORIFICS),
                first in latin_word(),
                last in latin_word(),
                title in prop::sample::select(TITLES_EN),
            ) {
                let name = format!("{first} {last}");
                let line = format!("{label} {honorific}{name}{title}");
                prop_assert_eq!(read(&line), Some(name), "{}", line);
            }

            #[test]
            fn a_label_or_a_title_is_never_part_of_a_han_name(
                label in prop::sample::select(LABELS_ZH),
                name in han_name(),
                title in prop::sample::select(TITLES_ZH),
            ) {
                let line = format!("{label}{name}{title}");
                prop_assert_eq!(read(&line), Some(name), "{}", line);
            }

            /// Any text at all: fields and names are read without a panic, and every range is
            /// on character boundaries inside the line.
            #[test]
            fn any_line_is_read_without_a_panic(line in "\\PC{0,120}") {
                for hit in hits(&line) {
                    prop_assert!(line.get(hit.label.clone()).is_some());
                    let value = line.get(hit.value.clone());
                    prop_assert!(value.is_some());
                    if let Some(value) = value
                        && let Some(r) = person_name(value)
                    {
                        prop_assert!(value.get(r).is_some());
                    }
                }
            }
        }
    }
}
