//! What each finding means, in English and Chinese, in words an investor can act on.

use super::{Field, Message, Reason};
use crate::domain::LangText;

/// The message for a document whose exact bytes the organisation registered as genuine: its
/// title in each language, and its date.
pub(super) fn genuine_document(title: &LangText, date: &str) -> Message {
    Message {
        en: format!(
            "This is a genuine document: the organisation registered its exact bytes as \
             \u{201c}{}\u{201d}, dated {date}.",
            title.best("en")
        ),
        zh: format!(
            "此为真实文件：本单位已登记该文件的原始内容，即《{}》，日期 {date}。",
            title.best("zh")
        ),
    }
}

fn field_names(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::Name => ("name", "姓名"),
        Field::Phone => ("phone number", "电话号码"),
        Field::Email => ("email address", "电子邮箱"),
        Field::Website => ("website", "网站"),
        Field::BankAccount => ("bank account", "银行账户"),
        Field::Company => ("company", "公司"),
        Field::Document => ("document", "文件"),
        Field::Fee => ("fee", "费用"),
        Field::Signer => ("signer", "签署人"),
        Field::Message => ("message", "消息"),
        Field::Practice => ("request", "要求"),
        Field::Project => ("project", "项目"),
        Field::Department => ("department", "部门"),
    }
}

/// The message for a finding. `official` is the value to use instead, `detail` a warning's own
/// description.
pub(super) fn message(
    field: Field,
    reason: Reason,
    input: &str,
    official: Option<&str>,
    detail: Option<&LangText>,
) -> Message {
    let (f_en, f_zh) = field_names(field);
    let (mut en, mut zh) = match reason {
        Reason::AuthorisedSignatory => (
            format!("{input} is a listed signatory who may perform this action."),
            format!("{input} 是经登记、有权办理此事项的签署人。"),
        ),
        Reason::NotForAction => (
            format!("{input} is listed, but is not authorised for this action."),
            format!("{input} 已登记，但无权办理此事项。"),
        ),
        Reason::NoLongerAuthorised => (
            format!("{input} was a listed signatory, but is no longer authorised."),
            format!("{input} 曾为登记签署人，现已无权代表本单位。"),
        ),
        Reason::OfficialChannel => (
            format!("This {f_en} is an official channel of the organisation."),
            format!("该{f_zh}是本单位的官方渠道。"),
        ),
        Reason::SignatoryContact => (
            format!("This {f_en} is registered for a listed signatory."),
            format!("该{f_zh}为登记签署人的登记联系方式。"),
        ),
        Reason::OfficialDomain => (
            format!("{input} is under one of the organisation's official domains."),
            format!("{input} 属于本单位的官方域名。"),
        ),
        Reason::Organisation => (
            "This is the organisation itself.".to_owned(),
            "此为本单位本身。".to_owned(),
        ),
        Reason::SignatoryEntity => (
            "This is the entity a listed signatory represents.".to_owned(),
            "此为登记签署人所代表的主体。".to_owned(),
        ),
        Reason::ControlledByWarned => (
            "Fraud warning: this company reads as one controlled by a company the organisation \
             warns about, and the warning covers every company it controls. Do not sign or pay."
                .to_owned(),
            "诈骗警示：该公司应属本单位警示的假冒公司所控制的企业，警示涵盖其各级子公司。请勿签约或付款。"
                .to_owned(),
        ),
        Reason::GroupCompany => (
            "This is a company of the organisation's group.".to_owned(),
            "此为本集团所属企业。".to_owned(),
        ),
        Reason::NotGroupCompany => (
            "Fraud risk: this company uses the organisation's name, but the organisation \
             states that its list of group companies is complete and this one is not on it. Do \
             not sign or pay."
                .to_owned(),
            "诈骗风险：该公司使用本单位名称，但本单位声明其所属企业名单完整，该公司不在其中。请勿签约或付款。"
                .to_owned(),
        ),
        Reason::Warning => (
            format!("Fraud warning: this {f_en} is used by impersonators. Do not sign or pay."),
            format!("诈骗警示：该{f_zh}被冒充者使用。请勿签约或付款。"),
        ),
        Reason::Lookalike => (
            format!(
                "Fraud risk: this {f_en} imitates an official one without being it. Do not \
                 sign or pay."
            ),
            format!("诈骗风险：该{f_zh}仿冒官方信息，并非官方。请勿签约或付款。"),
        ),
        Reason::Impersonation => (
            format!(
                "Fraud risk: this {f_en} is not registered for the signatory named. Someone may \
                 be impersonating them."
            ),
            format!("诈骗风险：该{f_zh}并非所称签署人的登记信息，可能有人冒充。"),
        ),
        Reason::NotListed => (
            format!(
                "Not authorised: the organisation states that its list is complete, and this \
                 {f_en} is not on it."
            ),
            format!("无权：本单位声明其名单完整，该{f_zh}不在其中。"),
        ),
        Reason::NoRecord => (
            format!(
                "No record of this {f_en}. Verify it through the organisation's official \
                 channels before you act."
            ),
            format!("没有该{f_zh}的记录。请先通过本单位官方渠道核实。"),
        ),
        Reason::GenuineDocument => (
            format!(
                "This is a genuine document: the organisation registered its exact bytes as \
                 {input}."
            ),
            format!("此为真实文件：本单位已登记该文件（{input}）。"),
        ),
        Reason::NotRegistered => (
            "The organisation has not registered this document as genuine; the findings below \
             check what it says."
                .to_owned(),
            "本单位未将此文件登记为真实文件；以下为对其内容的核查。".to_owned(),
        ),
        Reason::NoTextLayer => (
            "This document has no text layer (it looks like a scan), so nothing in it could be \
             checked. Ask for the original file, or verify it through the organisation's \
             official channels."
                .to_owned(),
            "此文件没有文本层（疑为扫描件），无法核查其内容。请索取原始文件，或通过本单位官方渠道核实。"
                .to_owned(),
        ),
        Reason::Unverifiable => (
            "A message cannot be verified: anyone can write one, and a genuine contact can be \
             copied into it. The findings below check what it says; confirm anything it asks \
             through the organisation's official channels."
                .to_owned(),
            "消息本身无法核实：任何人都能编写，也能抄录真实的联系方式。以下为对其内容的核查；其中的任何要求请通过本单位官方渠道确认。"
                .to_owned(),
        ),
        Reason::FeeAllowed => (
            format!("{input}: a fee the organisation's fee policy allows."),
            format!("{input}：本单位收费政策允许的费用。"),
        ),
        Reason::PracticeNever => (
            format!(
                "Fraud risk: the text involves {input}, which the organisation states it never \
                 does. Do not pay or act on it."
            ),
            format!("诈骗风险：其中涉及{input}，本单位声明从不如此。请勿付款或据此行事。"),
        ),
        Reason::OffPlatform => (
            format!(
                "Not authorised: {input} outside the tender platform through which the \
                 organisation awards all subcontracting."
            ),
            format!("无权：{input}不在本单位用于全部分包的招标平台上。"),
        ),
        Reason::EmployeeNotSignatory => (
            "An employee of the organisation, but not one who may act for it: only its listed \
             signatories may. Verify anything they ask through the official channels."
                .to_owned(),
            "系本单位员工，但无权代表本单位：仅登记签署人有权。其任何要求请通过官方渠道核实。"
                .to_owned(),
        ),
        Reason::NotEmployee => (
            format!(
                "Not authorised: the organisation states that its staff directory is complete, \
                 and no employee has this {f_en}."
            ),
            format!("无权：本单位声明其员工名录完整，没有员工使用该{f_zh}。"),
        ),
        Reason::Department => (
            format!("{input} is a department of the organisation."),
            format!("{input} 是本单位的部门。"),
        ),
        Reason::NoSuchDepartment => (
            format!(
                "Not authorised: the organisation has no department named {input}; its staff \
                 directory is complete."
            ),
            format!("无权：本单位没有名为“{input}”的部门（员工名录完整）。"),
        ),
        Reason::Project => (
            "This is a project of the organisation's group, on its register.".to_owned(),
            "此为本集团登记在册的项目。".to_owned(),
        ),
        Reason::AwardedContractor => (
            "This company was awarded work on the project named.".to_owned(),
            "该公司为所述项目的中标单位。".to_owned(),
        ),
        Reason::NotAwarded => (
            "Not authorised: this company was not awarded work on the project named. Do not \
             pay it for the project."
                .to_owned(),
            "无权：该公司并非所述项目的中标单位。请勿为该项目向其付款。".to_owned(),
        ),
        Reason::FeeNotAllowed => (
            format!(
                "Fraud risk: the text asks for {input}, a fee the organisation says it never \
                 charges. Do not pay."
            ),
            format!("诈骗风险：其中要求支付{input}，本单位声明从不收取此类费用。请勿付款。"),
        ),
    };
    if let Some(official) = official.filter(|o| !o.is_empty()) {
        en.push_str(&format!(" Use the official {f_en} instead: {official}."));
        zh.push_str(&format!("请改用官方{f_zh}：{official}。"));
    }
    if let Some(detail) = detail {
        en.push_str(&format!(" ({})", detail.best("en")));
        zh.push_str(&format!("（{}）", detail.best("zh")));
    }
    Message { en, zh }
}
