//! What a text says about the group's register beyond contacts: the project it names (`项目名称：…`,
//! `Project: …`, a quoted `《…项目》`), and a department of the organisation it names
//! (`国际联合建设集团工程项目部`). Each is checked as a contact check would check it; a finding is
//! reported only when the register has something to say (on it, or off a complete one).

use std::sync::LazyLock;

use regex::Regex;

use super::{Checks, Placed, Text, compile};
use crate::check::{CheckError, Field, Outcome};
use crate::document::Extracted;

/// A labelled project: `项目名称：雄安新区综合管廊二期工程`, `Project name: ...`, `工程编号：...`.
static PROJECT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?:项目名称|工程名称|项目编号|工程编号|招标编号|标段名称|(?i:project(?:\s+name)?|tender(?:\s+no\.?|\s+number)?))",
        r"\s*[:：]\s*(?P<value>[^\n。；;（(]{2,80})",
    ))
});

/// A project quoted by name: `《前海人才住房项目》`, `“…工程”`.
static PROJECT_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[《“「](?P<value>[^》”」\n]{2,40}?(?:项目|工程|标段))[》”」]"));

/// A department right after the organisation's name: `投资部`, `工程项目部`, `财务中心`.
static DEPARTMENT_AFTER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:的)?(?P<value>\p{Han}{1,8}?(?:项目部|事业部|管理部|中心|办公室|部))")
});

/// Another label after a project's value on the same line (`项目名称：X 项目编号：Y`).
static NEXT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"\s*(?:项目名称|工程名称|项目编号|工程编号|招标编号|标段名称)\s*[:：]",
        r"|\s+(?i:project(?:\s+name)?|tender(?:\s+no\.?|\s+number)?)\s*[:：]|\s{2,}|\t",
    ))
});

/// Words of a company's own name, not a department's (`国际联合建设集团投资有限公司财务部` names
/// the subsidiary's department, after the subsidiary's name).
const COMPANY_WORDS: &[&str] = &["公司", "集团", "有限", "工程局", "分局", "研究院"];

/// At most this many distinct project and department mentions are checked per text, of at
/// most [`MAX_SEEN`] mentions read.
const MAX_MENTIONS: usize = 16;

/// At most this many mentions are read per text.
const MAX_SEEN: usize = 256;

/// Words ending in 部 that name no department (`总部`, `全部`).
const NOT_DEPARTMENTS: &[&str] = &[
    "总部", "全部", "内部", "外部", "本部", "干部", "东部", "西部", "南部", "北部", "中部", "局部",
];

/// A project's value as a label gives it: up to the next label on the line, and, for a Han
/// name, up to the first comma (`雄安新区综合管廊二期工程，现招募分包单位`); a Latin name keeps
/// its commas (`Utility Tunnel, Phase II`) but not a sentence after a full stop.
fn project_value(raw: &str) -> String {
    let mut value = NEXT_LABEL.find(raw).map_or(raw, |m| &raw[..m.start()]);
    if value
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    {
        value = value.split(['，', ',']).next().unwrap_or(value);
    } else {
        value = value.split(". ").next().unwrap_or(value);
        value = value.split('，').next().unwrap_or(value);
    }
    value
        .trim()
        .trim_end_matches(['.', ',', '，', ':', '：'])
        .trim()
        .to_owned()
}

/// Project and department findings for a text, at their first mention each.
pub(super) fn findings(
    checks: &mut Checks<'_>,
    text: &Text<'_>,
    document: &Extracted,
    org_names: &[String],
) -> Result<Vec<Placed>, CheckError> {
    let mut mentions: Vec<(Field, String, usize, usize)> = Vec::new();
    for (f, flow) in text.flows.iter().enumerate() {
        let t = flow.text.as_str();
        for pattern in [&*PROJECT_LABEL, &*PROJECT_QUOTED] {
            for c in pattern.captures_iter(t) {
                if let Some(m) = c.name("value") {
                    let value = project_value(m.as_str());
                    if value.chars().count() >= 2 && mentions.len() < MAX_SEEN {
                        mentions.push((Field::Project, value, f, m.start()));
                    }
                }
            }
        }
        for name in org_names {
            for (at, _) in t.match_indices(name.as_str()) {
                let rest = t.get(at + name.len()..).unwrap_or_default();
                if let Some(m) = DEPARTMENT_AFTER_NAME
                    .captures(rest)
                    .and_then(|c| c.name("value"))
                    && !COMPANY_WORDS.iter().any(|w| m.as_str().contains(w))
                    && !NOT_DEPARTMENTS.iter().any(|w| m.as_str().ends_with(w))
                    && mentions.len() < MAX_SEEN
                {
                    let start = at + name.len() + m.start();
                    mentions.push((Field::Department, m.as_str().to_owned(), f, start));
                }
            }
        }
    }
    let mut placed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (field, value, f, start) in mentions {
        if seen.len() >= MAX_MENTIONS {
            break;
        }
        if !seen.insert((field, value.clone())) {
            continue;
        }
        let Some(mut finding) = checks.check(field, &value, None)? else {
            continue;
        };
        if finding.result == Outcome::Unknown {
            continue;
        }
        let Some(flow) = text.flows.get(f) else {
            continue;
        };
        let (block, offset) = text
            .locate(flow, start)
            .map_or((0, 0), |(_, block, offset)| (block, offset));
        finding.excerpt = Some(super::excerpt(&flow.text, start..start + value.len()));
        finding.location = document.blocks.get(block).map(|b| b.location);
        placed.push(Placed {
            order: (block, offset),
            finding,
        });
    }
    Ok(placed)
}
