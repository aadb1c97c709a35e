//! Practices the organisation never follows (`practice` statements), found in messages and
//! agreements: a table of message checks against the demo's seven practices (what scams say,
//! and what the organisation's own notice says, which must not count against it), an
//! agreement, and the statements refused.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, sign, statement};

const ACCOUNT: &str = "iucg-practice-personal-account";
const MESSAGING: &str = "iucg-practice-personal-messaging";
const APP: &str = "iucg-practice-no-app";
const RETAIL: &str = "iucg-practice-no-retail";
const FREEZING: &str = "iucg-practice-no-freezing";
const MANDATE: &str = "iucg-practice-no-mandate-by-message";
const TENDERS: &str = "iucg-practice-tenders";

/// A message and the practices it must be found going against (by statement id).
const CASES: &[(&str, &[&str])] = &[
    (
        "请将保证金转入我们经理的个人账户：6217 0000 1111 2222，今天之内。",
        &[ACCOUNT],
    ),
    (
        "Please transfer the deposit to my personal account at ICBC today.",
        &[ACCOUNT],
    ),
    ("资金请打到财务人员名下银行卡，走对私更快。", &[ACCOUNT]),
    ("加我微信 iucg_wang888 详谈投资事宜。", &[MESSAGING]),
    ("投资部王经理 微信号：zhang-invest2026", &[MESSAGING]),
    ("有问题联系投资部 QQ：123456789", &[MESSAGING]),
    ("Add me on WeChat for the project details.", &[MESSAGING]),
    ("请下载“国联投资”APP完成注册。", &[APP]),
    (
        "Download our app to invest: https://get.example/iucg.apk",
        &[APP],
    ),
    ("本项目保本保息，日息0.5%，稳赚不赔。", &[RETAIL]),
    (
        "Guaranteed returns of 2% daily on our wealth management product.",
        &[RETAIL],
    ),
    (
        "您的账户资金已被冻结，须缴纳解冻费后方可提现。",
        &[FREEZING],
    ),
    (
        "Your account has been frozen. Pay the fee to unfreeze it.",
        &[FREEZING],
    ),
    ("附件为集团授权委托书，请查收并按指令付款。", &[MANDATE]),
    (
        "Attached is the letter of authorisation from the group.",
        &[MANDATE],
    ),
    (
        "我司在贵州有一个劳务分包项目，需先交投标保证金。",
        &[TENDERS],
    ),
    (
        "Group subcontract available in Hainan, contact me to bid.",
        &[TENDERS],
    ),
    // Several at once, as the scams put them.
    (
        "加我微信领取集团理财名额，下载APP后把认购款转到我个人账户。",
        &[MESSAGING, RETAIL, APP, ACCOUNT],
    ),
    // Words that only look like a denial or a warning, as scams put them.
    ("请将保证金分别转入以下两个个人账户。", &[ACCOUNT]),
    ("请将不可退还的保证金转入负责人个人账户。", &[ACCOUNT]),
    ("所有款项一律转入项目经理个人账户。", &[ACCOUNT]),
    ("为防诈骗，请加我个人微信核实。", &[MESSAGING]),
    (
        "To avoid fraud, pay only into my personal account.",
        &[ACCOUNT],
    ),
    (
        "Tender notice on tender.iucg.example.bid-notice.cn: pay the bid bond to take part.",
        &[TENDERS],
    ),
    // The organisation's own words deny each practice: no finding.
    ("我集团从不要求向任何个人账户付款。", &[]),
    ("We never ask for payment to a personal account.", &[]),
    ("我集团工作人员从不通过个人微信、QQ与投资者联系。", &[]),
    ("我集团没有任何APP，也不通过APP开展投资业务。", &[]),
    ("我集团不开展任何面向个人的投资理财业务。", &[]),
    ("We do not offer guaranteed returns.", &[]),
    ("我集团无权冻结或解冻任何账户。", &[]),
    // Warnings about the practice, as a relative or the police put them.
    (
        "Mum, if someone calls saying you must pay to unfreeze your account, hang up.",
        &[],
    ),
    ("凡是要求转入个人账户的，均为诈骗，请立即报警。", &[]),
    // Ordinary words that only look alike.
    ("关注我集团官方微信公众号获取最新资讯。", &[]),
    ("官方微信：iucg_official", &[]),
    ("国际联合建设集团总部位于北京。", &[]),
    ("若乙方账户被法院冻结，甲方有权解除合同。", &[]),
    (
        "The subcontract is published on tender.iucg.example; please bid there.",
        &[],
    ),
    ("您好，明天上午十点在集团总部见面。", &[]),
    ("See you at the head office at ten tomorrow.", &[]),
];

async fn practice_findings(app: &TestApp, text: &str) -> Vec<Value> {
    let response = app
        .check_message(&json!({"org": "iucg", "text": text}))
        .await;
    assert_eq!(response.status(), 200, "{text}");
    let body: Value = response.json().await.expect("json");
    body["claims"]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f["field"] == "practice")
        .collect()
}

#[tokio::test]
async fn messages_are_read_against_the_practices_the_organisation_never_follows() {
    let app = TestApp::with_demo().await;
    let mut failures = Vec::new();
    for (text, expected) in CASES {
        let found = practice_findings(&app, text).await;
        let mut cited: Vec<&str> = found
            .iter()
            .filter_map(|f| f["statement"]["id"].as_str())
            .collect();
        cited.sort_unstable();
        let mut wanted = expected.to_vec();
        wanted.sort_unstable();
        if cited != wanted {
            failures.push(format!("{text}\n    expected {wanted:?}, found {cited:?}"));
            continue;
        }
        for f in &found {
            let tender = f["statement"]["id"] == TENDERS;
            let (result, reason) = if tender {
                ("not_authorised", "off_platform")
            } else {
                ("fraud_risk", "practice_never")
            };
            if f["result"] != result || f["reason"] != reason {
                failures.push(format!("{text}\n    got {f}"));
            }
            if tender && f["official"] != "tender.iucg.example" {
                failures.push(format!("{text}\n    no platform named: {f}"));
            }
            let (en, zh) = (&f["message"]["en"], &f["message"]["zh"]);
            if !en
                .as_str()
                .is_some_and(|m| m.contains("never") || m.contains("platform"))
                || !zh.as_str().is_some_and(|m| m.contains("本单位"))
            {
                failures.push(format!("{text}\n    message {en} / {zh}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn an_agreement_asking_for_a_personal_account_is_fraud_risk_and_the_genuine_one_is_not() {
    let app = TestApp::with_demo().await;
    let check = |text: String| {
        let app = &app;
        async move {
            let response = app
                .check_agreement_raw(
                    "org=iucg",
                    text.into_bytes(),
                    Some("text/plain; charset=utf-8"),
                )
                .await;
            assert_eq!(response.status(), 200);
            let body: Value = response.json().await.expect("json");
            body["claims"].clone()
        }
    };
    let fake = check(
        "投资合作协议\n\n甲方：国际联合建设集团投资有限公司\n乙方：深圳市华信贸易有限公司\n\n\
         第一条 乙方应于签约后三日内将履约款汇入甲方项目负责人个人账户。\n"
            .to_owned(),
    )
    .await;
    assert_eq!(fake["outcome"], "fraud_risk", "{fake}");
    let cited: Vec<&str> = fake["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["field"] == "practice")
        .filter_map(|f| f["statement"]["id"].as_str())
        .collect();
    assert_eq!(cited, [ACCOUNT], "{fake}");

    // A counterparty's own WeChat in a genuine agreement is its business, not a practice.
    let counterparty = check(format!(
        "{}\n乙方联系人：李四 微信：lisi123\n",
        bonafide::demo::DEMO_AGREEMENT
    ))
    .await;
    let practices: Vec<&Value> = counterparty["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["field"] == "practice")
        .collect();
    assert!(practices.is_empty(), "{counterparty}");

    let genuine = check(bonafide::demo::DEMO_AGREEMENT.to_owned()).await;
    let practices: Vec<&Value> = genuine["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["field"] == "practice")
        .collect();
    assert!(practices.is_empty(), "{genuine}");
}

#[tokio::test]
async fn bad_practice_statements_are_refused_naming_the_field() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let practice = |id: &str, body: Value| statement("practice", id, now, body);
    let cases = [
        (
            practice(
                "p-kind",
                json!({"practice": "no_fax", "text": {"en": "We never fax."}}),
            ),
            400,
            "invalid_statement",
            "no_fax",
        ),
        (
            practice(
                "p-no-platform",
                json!({"practice": "tenders_on_platform", "text": {"en": "On our platform."}}),
            ),
            400,
            "invalid_statement",
            "platform",
        ),
        (
            practice(
                "p-stray-platform",
                json!({"practice": "no_app", "text": {"en": "No app."},
                       "platform": "tender.iucg.example"}),
            ),
            400,
            "invalid_statement",
            "platform",
        ),
        (
            practice(
                "p-bad-platform",
                json!({"practice": "tenders_on_platform", "text": {"en": "On our platform."},
                       "platform": "not a host"}),
            ),
            400,
            "invalid_statement",
            "platform",
        ),
        (
            practice("p-no-text", json!({"practice": "no_app"})),
            400,
            "invalid_statement",
            "text",
        ),
    ];
    let size = app.log_size().await;
    for (body, status, code, names) in cases {
        let (got, got_code, message) =
            error_of(app.submit(&sign(&body, &[&app.keys.alice])).await).await;
        assert_eq!((got, got_code.as_str()), (status, code), "{message}");
        assert!(message.contains(names), "{message}");
    }
    assert_eq!(app.log_size().await, size);

    // Revoked, a practice no longer counts.
    let revoke = statement(
        "revocation",
        "revoke-no-app",
        now,
        json!({"revokes": APP, "reason": "we launched an app"}),
    );
    assert_eq!(
        app.submit(&sign(&revoke, &[&app.keys.alice]))
            .await
            .status(),
        201
    );
    let found = practice_findings(&app, "请下载“国联投资”APP完成注册。").await;
    assert!(found.is_empty(), "{found:?}");
}

/// A finding expected: its field, result and reason.
type Expected = (&'static str, &'static str, &'static str);

/// Projects and departments named in messages: on the register, off a complete one.
#[tokio::test]
async fn messages_naming_a_project_or_a_department_are_checked_against_the_register() {
    let app = TestApp::with_demo().await;
    let cases: &[(&str, &[Expected])] = &[
        (
            "我是国际联合建设集团工程项目部张经理，项目名称：雄安新区综合管廊三期工程，现招募分包单位。",
            &[
                ("department", "not_authorised", "no_such_department"),
                ("project", "not_authorised", "not_listed"),
            ],
        ),
        (
            "您好，国际联合建设集团财务部通知：《前海人才住房项目》已于官网公示。",
            &[
                ("department", "verified", "department"),
                ("project", "verified", "project"),
            ],
        ),
        (
            "Project name: Qianhai Talent Housing Project. Bids on tender.iucg.example only.",
            &[("project", "verified", "project")],
        ),
        ("国际联合建设集团投资有限公司财务部已收到贵司来函。", &[]),
        (
            "Project name: Xiong'an New Area Utility Tunnel, Phase II",
            &[("project", "verified", "project")],
        ),
        (
            "项目名称：雄安新区综合管廊二期工程  项目编号：IUCG-ZB-2026-017",
            &[("project", "verified", "project")],
        ),
        ("国际联合建设集团总部位于北京，欢迎来访。", &[]),
    ];
    let mut failures = Vec::new();
    for (text, expected) in cases {
        let response = app
            .check_message(&json!({"org": "iucg", "text": text}))
            .await;
        let body: Value = response.json().await.expect("json");
        let found: Vec<(String, String, String)> = body["claims"]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["field"] == "project" || f["field"] == "department")
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_owned();
                (s("field"), s("result"), s("reason"))
            })
            .collect();
        let wanted: Vec<(String, String, String)> = expected
            .iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect();
        let mut sorted = found.clone();
        sorted.sort();
        let mut wanted_sorted = wanted.clone();
        wanted_sorted.sort();
        if sorted != wanted_sorted {
            failures.push(format!("{text}\n    expected {wanted:?}, found {found:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
