//! Practices the organisation says it never follows (`practice` statements), found in what a
//! text asks: a payment to a personal account, a contact by personal WeChat or QQ, an app to
//! install, a retail investment product, an account to unfreeze, a mandate sent by message, or
//! subcontracting offered outside the organisation's tender platform.
//!
//! Each kind has patterns for the ways real scam messages and fake agreements put it, in
//! Chinese and English. A sentence that denies it (`我司不会要求向个人账户转账`, the notice's own
//! words) is not a finding; that is the fee rules' negation, shared.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::{Placed, Text, compile, excerpt_of_clause, negated, sentence};
use crate::check::normalise::Host;
use crate::check::{Field, Finding, Message, Outcome, Reason, StatementRef};
use crate::document::Extracted;
use crate::domain::{PracticeBody, PracticeKind};
use crate::registry::Entry;

/// Payment into a person's account rather than the organisation's.
static PERSONAL_ACCOUNT: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?:个人|私人|对私|私户|负责人|经理|财务人员|工作人员)(?:名下)?的?(?:银行)?(?:账户|帐户|账号|帐号|银行卡|卡号|收款码)|",
        r"(?i:(?:personal|private|individual(?:'s)?)\s+(?:bank\s+)?account|my\s+own\s+(?:bank\s+)?account)",
    ))
});

/// A contact by a personal messaging account.
static PERSONAL_MESSAGING: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"加(?:我|我的|一下|个)?(?:微信|QQ|qq|企业微信)|(?:个人|私人)(?:微信|QQ|qq)|微信(?:号|ID|id)?\s*[:：]\s*\S|",
        r"(?i:qq)(?:号|群)?\s*[:：]?\s*\d{5,}|",
        r"(?i:add\s+me\s+on\s+(?:wechat|qq)|my\s+(?:wechat|qq)|wechat(?:\s+id)?\s*[:：]\s*\S|(?:wechat|qq)\s+group)",
    ))
});

/// An app to download or install.
static APP: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?:下载|安装|注册|登录|登陆)[^。，,\n]{0,12}(?:APP|App|app|客户端|软件)|(?:APP|App|app)[^。，,\n]{0,4}(?:下载|注册|投资|理财)|",
        r"(?i:(?:download|install|register\s+(?:on|in))\s+(?:our|the|this)?\s*(?:investment\s+)?app\b|\.apk\b|app\s+store|google\s+play|testflight)",
    ))
});

/// A retail investment product.
static RETAIL: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"理财产品|理财|保本保息|保本|日息|日收益|日返|高额回报|高回报|稳赚|零风险|静态收益|动态收益|拉人头|众筹|入股分红|",
        r"(?i:guaranteed\s+(?:returns?|profits?|income)|daily\s+(?:returns?|interest|profits?)|wealth\s+management\s+products?|risk[- ]free\s+returns?|crowdfunding)",
    ))
});

/// Freezing or unfreezing an account or funds.
static FREEZING: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"解冻|(?:账户|帐户|资金|账号|银行卡)[^。，,\n]{0,6}冻结|冻结[^。，,\n]{0,6}(?:账户|帐户|资金|账号)|",
        r"(?i:unfreez\w*|(?:account|funds?)\s+(?:has\s+|have\s+|will\s+be\s+|is\s+|are\s+)?(?:been\s+)?frozen|freez\w*\s+(?:your|the)\s+(?:account|funds?))",
    ))
});

/// A court's or a bank's own freezing, which a genuine agreement may mention.
static LAWFUL_FREEZING: LazyLock<Regex> =
    LazyLock::new(|| compile(r"司法|法院|查封|(?i:court|judicial|attachment)"));

/// A mandate, an authorisation or an award letter.
static MANDATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"授权委托书|委托书|授权书|委托函|中标通知书|红头文件|",
        r"(?i:letter\s+of\s+(?:authori[sz]ation|mandate|appointment|award)|power\s+of\s+attorney|mandate\s+letter)",
    ))
});

/// A messaging channel, which makes a mandate in an agreement one sent by message.
static BY_MESSAGE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"微信|QQ|qq|邮件|邮箱|短信|(?i:wechat|e-?mail|sms)"));

/// Subcontracting, a tender or a bid.
static TENDER: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"劳务分包|专业分包|分包|转包|招标|投标|中标|标段|投标保证金|履约保证金|",
        r"(?i:subcontract\w*|tender(?:s|ing)?\b|bid\s+bond|performance\s+bond)",
    ))
});

/// What a practice is, as a finding names it: English, Chinese.
fn what(kind: PracticeKind) -> (&'static str, &'static str) {
    match kind {
        PracticeKind::NoPersonalAccountPayment => {
            ("a payment to a personal account", "向个人账户付款")
        }
        PracticeKind::NoPersonalMessaging => (
            "contact through a personal WeChat or QQ account",
            "通过个人微信或QQ联系",
        ),
        PracticeKind::NoApp => ("an app to install", "下载安装APP"),
        PracticeKind::NoRetailInvestment => {
            ("a retail investment product", "面向个人的理财投资产品")
        }
        PracticeKind::NoAccountFreezing => ("freezing or unfreezing an account", "冻结或解冻账户"),
        PracticeKind::NoMandateByMessage => (
            "a mandate or instruction sent by message or email",
            "通过微信、QQ或邮件发出的委托或指令",
        ),
        PracticeKind::TendersOnPlatform => (
            "subcontracting or a tender outside the organisation's tender platform",
            "在本单位招标平台之外的分包或招标",
        ),
    }
}

fn pattern(kind: PracticeKind) -> &'static Regex {
    match kind {
        PracticeKind::NoPersonalAccountPayment => &PERSONAL_ACCOUNT,
        PracticeKind::NoPersonalMessaging => &PERSONAL_MESSAGING,
        PracticeKind::NoApp => &APP,
        PracticeKind::NoRetailInvestment => &RETAIL,
        PracticeKind::NoAccountFreezing => &FREEZING,
        PracticeKind::NoMandateByMessage => &MANDATE,
        PracticeKind::TendersOnPlatform => &TENDER,
    }
}

/// The message of a practice finding.
fn message(kind: PracticeKind, body: &PracticeBody) -> Message {
    let (en, zh) = what(kind);
    let (mut en, mut zh) = if kind == PracticeKind::TendersOnPlatform {
        let platform = body.platform.as_ref().map_or("", |p| p.as_str());
        (
            format!(
                "Not authorised: the text involves {en}. The organisation awards all \
                 subcontracting through its tender platform: check it there, at {platform}."
            ),
            format!(
                "无权：其中涉及{zh}。本单位所有分包均通过其招标平台进行，请在 {platform} 核实。"
            ),
        )
    } else {
        (
            format!(
                "Fraud risk: the text involves {en}, which the organisation states it never \
                 does. Do not pay or act on it."
            ),
            format!("诈骗风险：其中涉及{zh}，本单位声明从不如此。请勿付款或据此行事。"),
        )
    };
    en.push_str(&format!(" ({})", body.text.best("en")));
    zh.push_str(&format!("（{}）", body.text.best("zh")));
    Message { en, zh }
}

/// A host name in a text: labels of letters, digits and hyphens joined by dots.
static HOST_IN_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+")
});

/// Whether the text names the tender platform: a host in it is the platform's host or under it
/// (not merely a host that starts with it, such as `tender.iucg.example.bid-notice.cn`).
fn names_platform(text: &Text<'_>, platform: &str) -> bool {
    let Ok(host) = Host::parse(platform) else {
        return false;
    };
    let ours = host.as_str();
    let under = format!(".{ours}");
    text.flows.iter().any(|f| {
        HOST_IN_TEXT.find_iter(&f.text).take(MAX_MATCHES).any(|m| {
            Host::parse(m.as_str())
                .is_ok_and(|h| h.as_str() == ours || h.as_str().ends_with(&under))
        })
    })
}

/// Words that deny what follows them in a Chinese clause (`也不通过APP开展投资业务`), broader
/// than the fee rules' list because a practice is stated as a denial.
static DENIAL_ZH: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"不会|不要|不得|不通过|不开展|不收取|不需要|不需|无需|不接受|不是|不使用|不提供|不设|",
        r"从不|绝不|决不|并不|不向|不以|不经|不办理|不涉及|不存在|不做|不从事|",
        r"没有|并无|毫无|无任何|并非|均非|绝非|从未|未曾|切勿|请勿|勿向|禁止|严禁|谨防|警惕|提防|防范",
    ))
});

/// A sentence that warns of the practice rather than asking it: reported as what someone else
/// may say (`if someone calls saying you must pay to unfreeze your account, hang up`), or
/// naming the scam with an instruction to resist it (`凡是要求转入个人账户的均为诈骗，请报警`).
/// Naming a scam alone is not enough: `为防诈骗，请加我个人微信核实` is the scam.
static CONDITIONAL_SOMEONE: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?i:\b(?:if|when|whenever)\s+(?:someone|anyone|somebody|a\s+caller|they|you\s+are\s+asked)\b)",
        r"|如果有人|若有人|如有人|一旦有人",
    ))
});

/// Words that name a scam.
static SCAM_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i:\bscam\w*|\bfraud\w*|\bimpersonat\w*)|诈骗|骗子|骗局|冒充|假冒")
});

/// Instructions to resist one.
static RESIST: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?i:\bhang\s+up\b|\breport\b|\bdo\s+not\b|\bdon't\b|\bnever\b|\bbeware\b|\bcall\s+the\s+police\b)",
        r"|挂断|报警|举报|不要|请勿|切勿|谨防|警惕|提防|别信|勿信",
    ))
});

fn warns(said: &str) -> bool {
    CONDITIONAL_SOMEONE.is_match(said) || (SCAM_WORDS.is_match(said) && RESIST.is_match(said))
}

/// The most matches of one practice's patterns weighed in one text: every scam puts its ask
/// early and more than once, and a text of nothing but matches must not cost a second each.
const MAX_MATCHES: usize = 64;

/// The official WeChat account, which is not a personal one.
static OFFICIAL_MESSAGING: LazyLock<Regex> =
    LazyLock::new(|| compile(r"官方微信|公众号|服务号|(?i:official\s+wechat)"));

/// An invitation to a personal chat (`加我微信`, `add me on WeChat`): in an agreement, where a
/// counterparty's `微信：` field is its own business, only this counts.
static INVITATION: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"加(?:我|我的|一下|个)?(?:微信|QQ|qq|企业微信)|(?:个人|私人)(?:微信|QQ|qq)|(?i:add\s+me\s+on\s+(?:wechat|qq))",
    )
});

/// Phrases with 不 that bound a quantity rather than deny (`不少于`).
const BOUNDS_ZH: &[&str] = &[
    "不少于",
    "不低于",
    "不超过",
    "不高于",
    "不限于",
    "不限",
    "不等",
];

/// Whether the Chinese clause before `keyword` denies it.
fn denied(t: &str, clause: &Range<usize>, keyword: &Range<usize>) -> bool {
    let before = t.get(clause.start..keyword.start).unwrap_or_default();
    let zh_clause = before
        .rfind(['，', '：', ','])
        .map_or(before, |i| &before[i..]);
    let stripped = BOUNDS_ZH
        .iter()
        .fold(zh_clause.to_owned(), |rest, bound| rest.replace(bound, ""));
    DENIAL_ZH.is_match(&stripped)
}

/// The first mention of `kind` that the text does not deny: its flow, its range and its
/// sentence.
fn first_mention(
    text: &Text<'_>,
    kind: PracticeKind,
    message_check: bool,
) -> Option<(usize, Range<usize>, Range<usize>)> {
    let mut weighed = 0usize;
    for (f, flow) in text.flows.iter().enumerate() {
        let t = flow.text.as_str();
        for m in pattern(kind).find_iter(t) {
            weighed += 1;
            if weighed > MAX_MATCHES {
                return None;
            }
            let clause = sentence(t, m.range());
            let said = &t[clause.clone()];
            if kind == PracticeKind::NoPersonalMessaging
                && (OFFICIAL_MESSAGING.is_match(said)
                    || (!message_check && !INVITATION.is_match(said)))
            {
                continue;
            }
            let lawful = kind == PracticeKind::NoAccountFreezing && LAWFUL_FREEZING.is_match(said);
            let sent = kind != PracticeKind::NoMandateByMessage
                || message_check
                || BY_MESSAGE.is_match(said);
            if lawful
                || !sent
                || warns(said)
                || negated(t, &clause, &m.range())
                || denied(t, &clause, &m.range())
            {
                continue;
            }
            return Some((f, m.range(), clause));
        }
    }
    None
}

/// A finding for each practice in force that the text goes against, at its first mention.
/// `message_check` says the text is a message (so a mandate in it was sent by message).
pub(super) fn findings(
    text: &Text<'_>,
    practices: &[(Arc<Entry>, PracticeBody)],
    document: &Extracted,
    message_check: bool,
) -> Vec<Placed> {
    let mut placed = Vec::new();
    for (entry, body) in practices {
        let kind = body.practice;
        if kind == PracticeKind::TendersOnPlatform
            && body
                .platform
                .as_ref()
                .is_some_and(|p| names_platform(text, p.as_str()))
        {
            continue;
        }
        let Some((f, range, clause)) = first_mention(text, kind, message_check) else {
            continue;
        };
        let Some(flow) = text.flows.get(f) else {
            continue;
        };
        let t = flow.text.as_str();
        let (block, offset) = text
            .locate(flow, range.start)
            .map_or((0, 0), |(_, block, offset)| (block, offset));
        let (result, reason, official) = if kind == PracticeKind::TendersOnPlatform {
            (
                Outcome::NotAuthorised,
                Reason::OffPlatform,
                body.platform.as_ref().map(|p| p.as_str().to_owned()),
            )
        } else {
            (Outcome::FraudRisk, Reason::PracticeNever, None)
        };
        placed.push(Placed {
            order: (block, offset),
            finding: Finding {
                excerpt: Some(excerpt_of_clause(t, &clause, &range)),
                field: Field::Practice,
                input: super::collapse(&t[range]),
                location: document.blocks.get(block).map(|b| b.location),
                message: message(kind, body),
                official,
                reason,
                result,
                statement: Some(StatementRef::to(entry)),
            },
        });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_to_a_relative_is_a_warning() {
        let said =
            "Mum, if someone calls saying you must pay a fee to unfreeze your account, hang up.";
        assert!(warns(said));
        assert!(!warns("为防诈骗，请加我个人微信核实。"));
        assert!(warns("凡是要求转入个人账户的，均为诈骗，请立即报警。"));
    }
}
