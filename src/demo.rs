//! The demo organisation: International Union Construction Group (`iucg`), from the notice that
//! started the project, with fictional people, numbers and reserved `.example` domains.
//!
//! [`demo_statements`] builds the statements signed through the whole trust chain; `bonafide demo`
//! submits them to a running service, and tests use them as a realistic register.

use std::collections::BTreeMap;

use crate::crypto::{self, GeneralJws, STATEMENT_TYP, SigningKey};
use crate::domain::{
    BoundedText, CalendarDate, ChannelKind, ChannelPolicyBody, Common, DelegatedKey,
    DelegationBody, Entity, EntityBody, FeePolicyBody, GenuineDocumentBody, GroupCompany, LangTag,
    LangText, NoticeBody, OfficialChannelBody, OrgBody, OrgSlug, ParseError, Person, PracticeBody,
    PracticeKind, ProjectBody, Role, Sha256Hex, SignatoryBody, SigningPolicyBody, StaffBody,
    StaffMember, Statement, StatementBody, StatementId, StatementType, Timestamp, Token, Uscc,
    WarningBody, WarningKind,
};

/// The demo organisation's slug.
pub const DEMO_ORG: &str = "iucg";

/// The notice that started the project, in English.
pub const NOTICE_EN: &str = "Except for the legal person of International Union Construction \
Group investment subject, no other individual or institution has the right to sign the investment \
agreement with the project party on behalf of International Union Construction Group. \
International Union Construction Group does not charge any fees other than investment returns and \
management fees during the investment process.";

/// The same notice in Chinese.
pub const NOTICE_ZH: &str = "除国际联合建设集团投资主体法人外，其他任何个人或机构均无权代表国际联合建设集团\
与项目方签订投资协议。国际联合建设集团在投资过程中除投资收益和管理费外，不收取任何其他费用。";

/// The demo's genuine agreement; its SHA-256 is registered as a `genuine-document`.
pub const DEMO_AGREEMENT: &str = "Investment Cooperation Agreement (sample)\n\
投资合作协议（样本）\n\n\
Party A: IUCG Investment Co., Ltd. (USCC 91110000MA01UCG8XQ)\n\
Party B: Example Project Co., Ltd.\n\n\
1. Party A invests in the project described in Annex 1.\n\
2. Party B pays Party A investment returns and a management fee as set out in Annex 2. No other \
fee is payable.\n\n\
Signed for Party A by its legal representative, Wang Jianguo (王建国).\n\
Date: 2026-11-02\n";

/// The demo's keys: the operator's, the organisation's root key and two staff keys.
#[derive(Debug)]
pub struct DemoKeys {
    /// Signs the org statement.
    pub operator: SigningKey,
    /// The organisation's root key; signs the delegation.
    pub root: SigningKey,
    /// Staff, role `admin`.
    pub alice: SigningKey,
    /// Staff, roles `signatories` and `warnings`.
    pub bob: SigningKey,
}

fn text(value: &str) -> Result<BoundedText, ParseError> {
    BoundedText::parse(value)
}

fn langs(pairs: &[(&str, &str)]) -> Result<LangText, ParseError> {
    LangText::new(
        pairs
            .iter()
            .map(|(l, t)| Ok((LangTag::parse(l)?, text(t)?)))
            .collect::<Result<Vec<_>, ParseError>>()?,
    )
}

fn tokens(values: &[&str]) -> Result<Vec<Token>, ParseError> {
    values.iter().map(|v| Token::parse(v)).collect()
}

/// Signs `body` as statement `id` of the demo organisation, with each of `signers`.
fn signed(
    id: &str,
    body: StatementBody,
    now: Timestamp,
    signers: &[&SigningKey],
) -> Result<GeneralJws, ParseError> {
    let statement = Statement {
        common: Common {
            id: StatementId::parse(id)?,
            org: OrgSlug::parse(DEMO_ORG)?,
            issued_at: now,
            effective_from: now,
            effective_until: None,
            supersedes: Vec::new(),
        },
        body,
    };
    let payload = crypto::canonicalize(&statement).map_err(|e| ParseError(e.to_string()))?;
    let mut jws = GeneralJws::new(&payload);
    for key in signers {
        jws.sign(key, STATEMENT_TYP);
    }
    Ok(jws)
}

/// A company of the demo group: its English and Chinese names, its USCC and its parent's.
fn group_company(en: &str, zh: &str, uscc: &str, parent: &str) -> Result<GroupCompany, ParseError> {
    Ok(GroupCompany {
        names: langs(&[("en", en), ("zh", zh)])?,
        uscc: Some(Uscc::parse(uscc)?),
        parent: Some(Uscc::parse(parent)?),
    })
}

/// A project of the demo group on its (complete) register, tendered on its platform, with the
/// contractor awarded.
fn project(
    en: &str,
    zh: &str,
    code: &str,
    (contractor_en, contractor_zh): (&str, &str),
) -> Result<StatementBody, ParseError> {
    Ok(StatementBody::Project(ProjectBody {
        names: langs(&[("en", en), ("zh", zh)])?,
        code: Some(text(code)?),
        contractors: vec![Entity {
            names: langs(&[("en", contractor_en), ("zh", contractor_zh)])?,
            uscc: None,
        }],
        platform: Some(text("tender.iucg.example")?),
        exhaustive: true,
    }))
}

/// A practice the demo organisation never follows, in its words.
fn practice(
    practice: PracticeKind,
    en: &str,
    zh: &str,
    platform: Option<&str>,
) -> Result<StatementBody, ParseError> {
    Ok(StatementBody::Practice(PracticeBody {
        practice,
        text: langs(&[("en", en), ("zh", zh)])?,
        platform: platform.map(text).transpose()?,
    }))
}

/// The demo register, in submission order, signed through the whole trust chain at `now`.
pub fn demo_statements(keys: &DemoKeys, now: Timestamp) -> Result<Vec<GeneralJws>, ParseError> {
    let staff = |id: &str, body| signed(id, body, now, &[&keys.alice]);
    let both = |id: &str, body| signed(id, body, now, &[&keys.alice, &keys.bob]);
    let mut thresholds = BTreeMap::new();
    for kind in StatementType::ALL {
        if kind.has_own_threshold() {
            thresholds.insert(kind, 1);
        }
    }
    // Four eyes where it matters most: a new signatory needs two staff signatures.
    thresholds.insert(StatementType::Signatory, 2);
    let entity = Entity {
        names: langs(&[
            ("en", "IUCG Investment Co., Ltd."),
            ("zh", "国际联合建设集团投资有限公司"),
        ])?,
        uscc: Some(Uscc::parse("91110000MA01UCG8XQ")?),
    };
    let channel = |kind, value: &str, en: &str, zh: &str| -> Result<StatementBody, ParseError> {
        Ok(StatementBody::OfficialChannel(OfficialChannelBody {
            kind,
            value: text(value)?,
            label: Some(langs(&[("en", en), ("zh", zh)])?),
        }))
    };
    let warning = |kind, value: &str, en: &str, zh: &str| -> Result<StatementBody, ParseError> {
        Ok(StatementBody::Warning(WarningBody {
            kind,
            value: text(value)?,
            description: langs(&[("en", en), ("zh", zh)])?,
            includes_controlled: false,
        }))
    };
    Ok(vec![
        signed(
            "iucg-org",
            StatementBody::Org(OrgBody {
                names: langs(&[
                    ("en", "International Union Construction Group"),
                    ("zh", "国际联合建设集团"),
                ])?,
                registration_numbers: vec![Uscc::parse("91110000MA01UCG9YW")?],
                official_domains: vec![text("iucg.example")?],
                root_keys: vec![keys.root.public_jwk()],
                thresholds,
            }),
            now,
            &[&keys.operator],
        )?,
        signed(
            "iucg-staff-2026",
            StatementBody::Delegation(DelegationBody {
                keys: vec![
                    DelegatedKey {
                        key: keys.alice.public_jwk(),
                        holder: text("Alice Chen, Compliance Office")?,
                        roles: vec![Role::Admin],
                        expires_at: now.saturating_add(time::Duration::days(365)),
                    },
                    DelegatedKey {
                        key: keys.bob.public_jwk(),
                        holder: text("Bob Liu, Legal Department")?,
                        roles: vec![Role::Signatories, Role::Warnings],
                        expires_at: now.saturating_add(time::Duration::days(365)),
                    },
                ],
            }),
            now,
            &[&keys.root],
        )?,
        staff(
            "iucg-notice-investment-agreements",
            StatementBody::Notice(NoticeBody {
                title: langs(&[
                    ("en", "Notice on investment agreements and fees"),
                    ("zh", "关于投资协议签署及收费的声明"),
                ])?,
                text: langs(&[("en", NOTICE_EN), ("zh", NOTICE_ZH)])?,
            }),
        )?,
        staff(
            "iucg-signing-policy",
            StatementBody::SigningPolicy(SigningPolicyBody {
                actions: tokens(&["sign_investment_agreement"])?,
                exhaustive: true,
                text: langs(&[
                    (
                        "en",
                        "Only the legal person of our investment subject may sign investment agreements for us.",
                    ),
                    ("zh", "仅我集团投资主体法人有权代表我集团签订投资协议。"),
                ])?,
            }),
        )?,
        staff(
            "iucg-fee-policy",
            StatementBody::FeePolicy(FeePolicyBody {
                allowed_fees: tokens(&["investment_return", "management_fee"])?,
                exhaustive: true,
                text: langs(&[
                    (
                        "en",
                        "We charge no fees other than investment returns and management fees.",
                    ),
                    ("zh", "除投资收益和管理费外，我集团不收取任何其他费用。"),
                ])?,
            }),
        )?,
        staff(
            "iucg-channel-policy",
            StatementBody::ChannelPolicy(ChannelPolicyBody {
                kinds: vec![ChannelKind::Website, ChannelKind::BankAccount],
                exhaustive: true,
                text: Some(langs(&[
                    ("en", "These are all our websites and bank accounts."),
                    ("zh", "以上为我集团全部官方网站和银行账户。"),
                ])?),
            }),
        )?,
        both(
            "iucg-signatory-wang-jianguo",
            StatementBody::Signatory(SignatoryBody {
                person: Person {
                    names: langs(&[("en", "Wang Jianguo"), ("zh", "王建国")])?,
                    aliases: Vec::new(),
                },
                entity: entity.clone(),
                role: Token::parse("legal_representative")?,
                actions: tokens(&["sign_investment_agreement"])?,
                phones: vec![text("+86 138 0013 8000")?],
                emails: vec![text("wang.jianguo@iucg.example")?],
            }),
        )?,
        both(
            "iucg-signatory-li-mei",
            StatementBody::Signatory(SignatoryBody {
                person: Person {
                    names: langs(&[("en", "Li Mei"), ("zh", "李梅")])?,
                    aliases: Vec::new(),
                },
                entity,
                role: Token::parse("authorised_representative")?,
                actions: tokens(&["sign_investment_agreement"])?,
                phones: vec![text("+86 139 0013 9000")?],
                emails: vec![text("li.mei@iucg.example")?],
            }),
        )?,
        staff(
            "iucg-channel-website",
            channel(
                ChannelKind::Website,
                "iucg.example",
                "Official website",
                "官方网站",
            )?,
        )?,
        staff(
            "iucg-channel-website-invest",
            channel(
                ChannelKind::Website,
                "invest.iucg.example",
                "Investor relations",
                "投资者关系",
            )?,
        )?,
        staff(
            "iucg-channel-hotline",
            channel(
                ChannelKind::Phone,
                "+86 10 5555 0100",
                "Anti-fraud hotline",
                "反诈骗热线",
            )?,
        )?,
        staff(
            "iucg-channel-email",
            channel(
                ChannelKind::Email,
                "invest@iucg.example",
                "Investment enquiries",
                "投资咨询",
            )?,
        )?,
        staff(
            "iucg-channel-bank-account",
            channel(
                ChannelKind::BankAccount,
                "6222 0210 0100 0012 345",
                "The only account for investment funds",
                "投资款唯一收款账户",
            )?,
        )?,
        signed(
            "iucg-warning-phone-1",
            warning(
                WarningKind::Phone,
                "+86 170 0000 1234",
                "Poses as our investment department and asks for deposits.",
                "冒充我集团投资部门索要保证金。",
            )?,
            now,
            &[&keys.bob],
        )?,
        signed(
            "iucg-warning-website-1",
            warning(
                WarningKind::Website,
                "iucg-invest.example",
                "A cloned website that is not ours.",
                "仿冒我集团的虚假网站。",
            )?,
            now,
            &[&keys.bob],
        )?,
        signed(
            "iucg-warning-bank-1",
            warning(
                WarningKind::BankAccount,
                "6217 0000 9999 8888 777",
                "Used by impersonators to collect \"unfreezing fees\".",
                "冒充者用于收取所谓“解冻费”的账户。",
            )?,
            now,
            &[&keys.bob],
        )?,
        signed(
            "iucg-warning-company-1",
            StatementBody::Warning(WarningBody {
                kind: WarningKind::Company,
                value: text("国联建投控股集团有限公司")?,
                description: langs(&[
                    (
                        "en",
                        "Not ours: this company and every company it controls pose as our group.",
                    ),
                    ("zh", "上述公司及其各级子公司均为假冒我集团的企业。"),
                ])?,
                includes_controlled: true,
            }),
            now,
            &[&keys.bob],
        )?,
        staff(
            "iucg-companies",
            StatementBody::Entity(EntityBody {
                companies: vec![
                    group_company(
                        "IUCG Investment Co., Ltd.",
                        "国际联合建设集团投资有限公司",
                        "91110000MA01UCG8XQ",
                        "91110000MA01UCG9YW",
                    )?,
                    group_company(
                        "IUCG Third Engineering Bureau Co., Ltd.",
                        "国际联合建设集团第三工程局有限公司",
                        "91110000MA01UC3B08",
                        "91110000MA01UCG9YW",
                    )?,
                    group_company(
                        "IUCG (Shanghai) Real Estate Co., Ltd.",
                        "国际联合建设集团（上海）置业有限公司",
                        "91310000MA1FL7JE24",
                        "91110000MA01UC3B08",
                    )?,
                ],
                exhaustive: true,
                text: Some(langs(&[
                    ("en", "These are all the companies of our group."),
                    ("zh", "以上为我集团全部所属企业。"),
                ])?),
            }),
        )?,
        staff(
            "iucg-practice-personal-account",
            practice(
                PracticeKind::NoPersonalAccountPayment,
                "We never ask for payment to a personal account.",
                "我集团从不要求向任何个人账户付款。",
                None,
            )?,
        )?,
        staff(
            "iucg-practice-personal-messaging",
            practice(
                PracticeKind::NoPersonalMessaging,
                "Our staff never contact investors through personal WeChat or QQ.",
                "我集团工作人员从不通过个人微信、QQ与投资者联系。",
                None,
            )?,
        )?,
        staff(
            "iucg-practice-no-app",
            practice(
                PracticeKind::NoApp,
                "We have no app and offer no app-based investment.",
                "我集团没有任何APP，也不通过APP开展投资业务。",
                None,
            )?,
        )?,
        staff(
            "iucg-practice-no-retail",
            practice(
                PracticeKind::NoRetailInvestment,
                "We run no retail investment or wealth management business.",
                "我集团不开展任何面向个人的投资理财业务。",
                None,
            )?,
        )?,
        staff(
            "iucg-practice-no-freezing",
            practice(
                PracticeKind::NoAccountFreezing,
                "We have no power to freeze or unfreeze anyone's account.",
                "我集团无权冻结或解冻任何账户。",
                None,
            )?,
        )?,
        staff(
            "iucg-practice-no-mandate-by-message",
            practice(
                PracticeKind::NoMandateByMessage,
                "Mandates or instructions received via WeChat, QQ or email are never ours.",
                "凡通过微信、QQ、电子邮件收到的委托书或指令，均非我集团所发。",
                None,
            )?,
        )?,
        staff(
            "iucg-practice-tenders",
            practice(
                PracticeKind::TendersOnPlatform,
                "All our subcontracting is tendered on our platform, tender.iucg.example.",
                "我集团所有分包均通过招标平台 tender.iucg.example 公开进行。",
                Some("tender.iucg.example"),
            )?,
        )?,
        staff(
            "iucg-project-xiongan-pipe-gallery",
            project(
                "Xiong'an New Area Utility Tunnel, Phase II",
                "雄安新区综合管廊二期工程",
                "IUCG-ZB-2026-017",
                (
                    "China Railway Construction Sixth Engineering Co., Ltd.",
                    "中铁建工第六工程有限公司",
                ),
            )?,
        )?,
        staff(
            "iucg-project-qianhai-housing",
            project(
                "Qianhai Talent Housing Project",
                "前海人才住房项目",
                "IUCG-ZB-2026-031",
                (
                    "Shenzhen Hongda Construction Engineering Co., Ltd.",
                    "深圳市宏达建设工程有限公司",
                ),
            )?,
        )?,
        staff(
            "iucg-staff-directory",
            StatementBody::Staff(StaffBody {
                people: vec![
                    StaffMember {
                        names: langs(&[("en", "Chen Jing"), ("zh", "陈静")])?,
                        department: Some(text("Finance Department")?),
                    },
                    StaffMember {
                        names: langs(&[("en", "Zhao Qiang"), ("zh", "赵强")])?,
                        department: Some(text("Legal Affairs Department")?),
                    },
                ],
                departments: vec![
                    langs(&[
                        ("en", "Investment Management Department"),
                        ("zh", "投资管理部"),
                    ])?,
                    langs(&[("en", "Finance Department"), ("zh", "财务部")])?,
                    langs(&[("en", "Legal Affairs Department"), ("zh", "法律事务部")])?,
                    langs(&[("en", "Compliance Office"), ("zh", "合规办公室")])?,
                ],
                email_patterns: vec![text("<pinyin>@iucg.example")?],
                exhaustive: true,
            }),
        )?,
        staff(
            "iucg-genuine-agreement-2026-001",
            StatementBody::GenuineDocument(GenuineDocumentBody {
                sha256: Sha256Hex::from_bytes(crypto::sha256(DEMO_AGREEMENT.as_bytes())),
                title: langs(&[
                    ("en", "Investment Cooperation Agreement (sample)"),
                    ("zh", "投资合作协议（样本）"),
                ])?,
                parties: vec![
                    text("IUCG Investment Co., Ltd.")?,
                    text("Example Project Co., Ltd.")?,
                ],
                date: CalendarDate::parse("2026-11-02")?,
            }),
        )?,
    ])
}
