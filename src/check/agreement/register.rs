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
        r"\s*[:：]\s*(?P<value>[^\n，,。；;（(.]{2,60})",
    ))
});

/// A project quoted by name: `《前海人才住房项目》`, `“…工程”`.
static PROJECT_QUOTED: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[《“「](?P<value>[^》”」\n]{2,40}?(?:项目|工程|标段))[》”」]"));

/// A department right after the organisation's name: `投资部`, `工程项目部`, `财务中心`.
static DEPARTMENT_AFTER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"^(?:的)?(?P<value>\p{Han}{1,8}?(?:项目部|事业部|管理部|中心|办公室|部))")
});

/// Words of a company's own name, not a department's (`国际联合建设集团投资有限公司财务部` names
/// the subsidiary's department, after the subsidiary's name).
const COMPANY_WORDS: &[&str] = &["公司", "集团", "有限", "工程局", "分局", "研究院"];

/// At most this many project and department mentions are checked per text.
const MAX_MENTIONS: usize = 16;

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
                    mentions.push((Field::Project, m.as_str().trim().to_owned(), f, m.start()));
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
                {
                    let start = at + name.len() + m.start();
                    mentions.push((Field::Department, m.as_str().to_owned(), f, start));
                }
            }
        }
    }
    let mut placed = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (field, value, f, start) in mentions.into_iter().take(MAX_MENTIONS) {
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
