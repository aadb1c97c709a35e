//! The companies of the group (`entity` statements), warnings that cover every company a warned
//! one controls, and the rules that keep a warning from contradicting the register: a table of
//! company checks against the demo register, agreements naming group companies, and statements
//! refused with the conflict named.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, sign, statement};

const COMPANIES: &str = "iucg-companies";
const CONTROLLED_WARNING: &str = "iucg-warning-company-1";
const ORG: &str = "iucg-org";
const WANG: &str = "iucg-signatory-wang-jianguo";

/// A company check and what it must answer: the finding's result, reason and the statement
/// it cites.
struct Case {
    company: &'static str,
    result: &'static str,
    reason: &'static str,
    cites: Option<&'static str>,
}

const fn case(
    company: &'static str,
    result: &'static str,
    reason: &'static str,
    cites: Option<&'static str>,
) -> Case {
    Case {
        company,
        result,
        reason,
        cites,
    }
}

const CASES: &[Case] = &[
    // Genuine companies of the group, by each name, by USCC, in other forms.
    case(
        "IUCG Third Engineering Bureau Co., Ltd.",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "国际联合建设集团第三工程局有限公司",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "91110000MA01UC3B08",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "91110000ma01uc3b08",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "国际联合建设集团（上海）置业有限公司",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "iucg (shanghai) real estate co., ltd.",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "ＩＵＣＧ Third Engineering Bureau Co., Ltd.",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    case(
        "IUCG Third Engineering Bureau Co Ltd",
        "verified",
        "group_company",
        Some(COMPANIES),
    ),
    // The organisation itself and its signatories' entity keep their own reasons.
    case(
        "International Union Construction Group",
        "verified",
        "organisation",
        Some(ORG),
    ),
    case("91110000MA01UCG9YW", "verified", "organisation", Some(ORG)),
    case(
        "IUCG Investment Co., Ltd.",
        "verified",
        "signatory_entity",
        None,
    ),
    // Claims to be of the group, under a complete list: an invented company of the group.
    case(
        "国际联合建设集团第五工程局有限公司",
        "fraud_risk",
        "not_group_company",
        Some(COMPANIES),
    ),
    case(
        "IUCG Fifth Engineering Bureau Co., Ltd.",
        "fraud_risk",
        "not_group_company",
        Some(COMPANIES),
    ),
    case(
        "国际联合建设集团新能源投资有限公司",
        "fraud_risk",
        "not_group_company",
        Some(COMPANIES),
    ),
    case(
        "International Union Construction Group Supply Chain Co., Ltd.",
        "fraud_risk",
        "not_group_company",
        Some(COMPANIES),
    ),
    // Not of the group at all, under a complete list: not listed.
    case(
        "Shenzhen Huaxin Trading Co., Ltd.",
        "not_authorised",
        "not_listed",
        Some(COMPANIES),
    ),
    case(
        "91440300MA5F00001A",
        "not_authorised",
        "not_listed",
        Some(COMPANIES),
    ),
    // The same letters from another script stay an imitation, list or no list.
    case(
        "Internatіonal Union Construction Group",
        "fraud_risk",
        "lookalike",
        Some(ORG),
    ),
    // A warned company, and every company it controls.
    case(
        "国联建投控股集团有限公司",
        "fraud_risk",
        "warning",
        Some(CONTROLLED_WARNING),
    ),
    case(
        "国联建投（深圳）投资有限公司",
        "fraud_risk",
        "controlled_by_warned",
        Some(CONTROLLED_WARNING),
    ),
    case(
        "国联建投控股集团（海南）供应链管理有限公司",
        "fraud_risk",
        "controlled_by_warned",
        Some(CONTROLLED_WARNING),
    ),
];

async fn company_finding(app: &TestApp, company: &str) -> Value {
    let response = app
        .check_contact(&json!({"org": "iucg", "company": company}))
        .await;
    assert_eq!(response.status(), 200, "{company}");
    let body: Value = response.json().await.expect("json");
    body["claims"]["findings"][0].clone()
}

#[tokio::test]
async fn company_checks_read_the_group_register() {
    let app = TestApp::with_demo().await;
    let mut failures = Vec::new();
    for case in CASES {
        let f = company_finding(&app, case.company).await;
        let got = (
            f["result"].as_str().unwrap_or_default(),
            f["reason"].as_str().unwrap_or_default(),
        );
        if got != (case.result, case.reason) {
            failures.push(format!(
                "{}: expected {} {}, got {} {}",
                case.company, case.result, case.reason, got.0, got.1
            ));
            continue;
        }
        if let Some(id) = case.cites
            && f["statement"]["id"] != id
        {
            failures.push(format!(
                "{}: cites {}, expected {id}",
                case.company, f["statement"]["id"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn a_group_company_is_named_in_both_languages() {
    let app = TestApp::with_demo().await;
    let f = company_finding(&app, "91110000MA01UC3B08").await;
    let en = f["message"]["en"].as_str().expect("en");
    let zh = f["message"]["zh"].as_str().expect("zh");
    assert!(
        en.contains("IUCG Third Engineering Bureau Co., Ltd."),
        "{en}"
    );
    assert!(zh.contains("国际联合建设集团第三工程局有限公司"), "{zh}");
    let f = company_finding(&app, "国际联合建设集团第五工程局有限公司").await;
    assert_eq!(f["official"], "国际联合建设集团", "{f}");
}

#[tokio::test]
async fn without_a_complete_list_a_claim_to_the_group_is_an_imitation() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let revoke = statement(
        "revocation",
        "revoke-companies",
        now,
        json!({"revokes": COMPANIES, "reason": "list under review"}),
    );
    let response = app.submit(&sign(&revoke, &[&app.keys.alice])).await;
    assert_eq!(response.status(), 201);
    let f = company_finding(&app, "国际联合建设集团第五工程局有限公司").await;
    assert_eq!(
        (&f["result"], &f["reason"]),
        (&json!("fraud_risk"), &json!("lookalike"))
    );
    let f = company_finding(&app, "Shenzhen Huaxin Trading Co., Ltd.").await;
    assert_eq!(f["result"], "unknown", "{f}");
    // The genuine subsidiary is no longer on record either: it reads as carrying the group's
    // name, which is what a list would answer.
    let f = company_finding(&app, "91110000MA01UC3B08").await;
    assert_eq!(f["result"], "unknown", "{f}");
}

/// An agreement as plain text, with `party_a` signing for the organisation.
fn agreement(party_a: &str) -> String {
    format!(
        "投资合作协议\n\n甲方：{party_a}\n乙方：深圳市华信贸易有限公司\n\n\
         1. 甲方向乙方投资建设项目。\n2. 乙方向甲方支付投资收益及管理费，不收取其他费用。\n\n\
         甲方法定代表人：王建国\n日期：2026-11-02\n"
    )
}

async fn agreement_findings(app: &TestApp, text: &str) -> (String, Vec<Value>) {
    let response = app
        .check_agreement_raw(
            "org=iucg",
            text.as_bytes().to_vec(),
            Some("text/plain; charset=utf-8"),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    let claims = &body["claims"];
    (
        claims["outcome"].as_str().unwrap_or_default().to_owned(),
        claims["findings"].as_array().cloned().unwrap_or_default(),
    )
}

#[tokio::test]
async fn agreements_read_the_party_signing_for_the_group() {
    let app = TestApp::with_demo().await;
    let companies = |findings: &[Value]| -> Vec<(String, String, String)> {
        findings
            .iter()
            .filter(|f| f["field"] == "company")
            .map(|f| {
                (
                    f["input"].as_str().unwrap_or_default().to_owned(),
                    f["result"].as_str().unwrap_or_default().to_owned(),
                    f["reason"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };

    let (_, findings) =
        agreement_findings(&app, &agreement("国际联合建设集团第三工程局有限公司")).await;
    let found = companies(&findings);
    assert!(
        found
            .iter()
            .any(|(_, r, why)| r == "verified" && why == "group_company"),
        "{found:?}"
    );
    // The other party's company is its own business, list or no list.
    assert!(
        found.iter().all(|(input, _, _)| !input.contains("华信")),
        "{found:?}"
    );

    let (outcome, findings) =
        agreement_findings(&app, &agreement("国际联合建设集团第五工程局有限公司")).await;
    let found = companies(&findings);
    assert!(
        found
            .iter()
            .any(|(_, r, why)| r == "fraud_risk" && why == "not_group_company"),
        "{found:?}"
    );
    assert_eq!(outcome, "fraud_risk");

    let (outcome, findings) =
        agreement_findings(&app, &agreement("国联建投（深圳）投资有限公司")).await;
    let found = companies(&findings);
    assert!(
        found
            .iter()
            .any(|(_, r, why)| r == "fraud_risk" && why == "controlled_by_warned"),
        "{found:?}"
    );
    assert_eq!(outcome, "fraud_risk");
}

/// A statement to submit and the answer it must get.
struct Refusal {
    label: &'static str,
    statement: Value,
    status: u16,
    code: &'static str,
    /// Words the message must hold (the field or the conflicting statement).
    names: &'static str,
}

fn warning_of(id: &str, now: bonafide::domain::Timestamp, kind: &str, value: &str) -> Value {
    statement(
        "warning",
        id,
        now,
        json!({"kind": kind, "value": value, "description": {"en": "An impersonator."}}),
    )
}

fn entity(id: &str, now: bonafide::domain::Timestamp, companies: Value) -> Value {
    statement(
        "entity",
        id,
        now,
        json!({"companies": companies, "exhaustive": false}),
    )
}

#[tokio::test]
async fn statements_that_contradict_the_register_are_refused_naming_the_conflict() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let w = |label, kind, value, names| Refusal {
        label,
        statement: warning_of(label, now, kind, value),
        status: 422,
        code: "contradicts_register",
        names,
    };
    let refusals = vec![
        w("w-site", "website", "iucg.example", ORG),
        w("w-site-case", "website", "HTTPS://IUCG.EXAMPLE/news", ORG),
        w("w-site-sub", "website", "www.iucg.example", ORG),
        w("w-site-idn", "website", "iucg。example", ORG),
        w(
            "w-hotline",
            "phone",
            "010 5555 0100",
            "iucg-channel-hotline",
        ),
        w(
            "w-hotline-e164",
            "phone",
            "+86 10 5555 0100",
            "iucg-channel-hotline",
        ),
        w("w-signatory-phone", "phone", "+86 138 0013 8000", WANG),
        w(
            "w-signatory-email",
            "email",
            "Wang.Jianguo@IUCG.example",
            WANG,
        ),
        w(
            "w-email",
            "email",
            "invest@iucg.example",
            "iucg-channel-email",
        ),
        w(
            "w-bank",
            "bank_account",
            "6222021001000012345",
            "iucg-channel-bank-account",
        ),
        w("w-person", "person", "王建国", WANG),
        w(
            "w-company",
            "company",
            "国际联合建设集团第三工程局有限公司",
            COMPANIES,
        ),
        w("w-company-uscc", "company", "91110000MA01UC3B08", COMPANIES),
        w(
            "w-org",
            "company",
            "International Union Construction Group",
            ORG,
        ),
        Refusal {
            label: "w-bidi",
            statement: warning_of("w-bidi", now, "website", "iucg\u{202e}.example"),
            status: 400,
            code: "invalid_statement",
            names: "value",
        },
        Refusal {
            label: "notice-bidi",
            statement: statement(
                "notice",
                "notice-bidi",
                now,
                json!({"title": {"en": "Notice \u{2066}x\u{2069}"}, "text": {"en": "Text"}}),
            ),
            status: 400,
            code: "invalid_statement",
            names: "title.en",
        },
        Refusal {
            label: "entity-parent",
            statement: entity(
                "entity-parent",
                now,
                json!([{"names": {"zh": "国际联合建设集团第九工程局有限公司"},
                        "uscc": "91110000MA01UC4C12", "parent": "91440300MA5F00001A"}]),
            ),
            status: 422,
            code: "unknown_reference",
            names: "91440300MA5F00001A",
        },
        Refusal {
            label: "entity-warned",
            statement: entity(
                "entity-warned",
                now,
                json!([{"names": {"zh": "国联建投控股集团有限公司"}}]),
            ),
            status: 422,
            code: "contradicts_register",
            names: CONTROLLED_WARNING,
        },
        Refusal {
            label: "entity-twice",
            statement: entity(
                "entity-twice",
                now,
                json!([{"names": {"en": "A Co"}, "uscc": "91110000MA01UC4C12"},
                       {"names": {"en": "B Co"}, "uscc": "91110000MA01UC4C12"}]),
            ),
            status: 400,
            code: "invalid_statement",
            names: "listed twice",
        },
        Refusal {
            label: "entity-empty",
            statement: entity("entity-empty", now, json!([])),
            status: 400,
            code: "invalid_statement",
            names: "companies",
        },
        Refusal {
            label: "controlled-phone",
            statement: statement(
                "warning",
                "controlled-phone",
                now,
                json!({"kind": "phone", "value": "+86 171 0000 0001",
                       "description": {"en": "x"}, "includes_controlled": true}),
            ),
            status: 400,
            code: "invalid_statement",
            names: "includes_controlled",
        },
    ];
    let size = app.log_size().await;
    let mut failures = Vec::new();
    for r in refusals {
        let response = app.submit(&sign(&r.statement, &[&app.keys.alice])).await;
        let (status, code, message) = error_of(response).await;
        if status != r.status || code != r.code || !message.contains(r.names) {
            failures.push(format!(
                "{}: expected {} {} naming {:?}, got {status} {code}: {message}",
                r.label, r.status, r.code, r.names
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(app.log_size().await, size, "a refused statement was logged");
}

#[tokio::test]
async fn statements_that_agree_with_the_register_are_accepted() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let alice = &app.keys.alice;
    // A warning about a number that is nobody's, and a lookalike of the official site.
    for (id, kind, value) in [
        ("w-other", "phone", "+86 171 0000 0002"),
        ("w-lookalike", "website", "iucg-official.example"),
    ] {
        let response = app
            .submit(&sign(&warning_of(id, now, kind, value), &[alice]))
            .await;
        assert_eq!(response.status(), 201, "{id}");
    }
    // A company whose parent is a company of the group, not the organisation.
    let child = entity(
        "entity-child",
        now,
        json!([{"names": {"zh": "国际联合建设集团第三工程局（成都）有限公司"},
                "uscc": "91110000MA01UC4C12", "parent": "91110000MA01UC3B08"}]),
    );
    let response = app.submit(&sign(&child, &[alice])).await;
    assert_eq!(response.status(), 201);
    let f = company_finding(&app, "91110000MA01UC4C12").await;
    assert_eq!(
        (&f["result"], &f["reason"]),
        (&json!("verified"), &json!("group_company"))
    );
    assert_eq!(f["statement"]["id"], "entity-child");
    // Staff without the group role cannot list companies.
    let other = entity(
        "entity-bob",
        now,
        json!([{"names": {"en": "IUCG Ninth Bureau Co., Ltd."}}]),
    );
    let (status, code, _) = error_of(app.submit(&sign(&other, &[&app.keys.bob])).await).await;
    assert_eq!((status, code.as_str()), (403, "missing_role"));
}

/// A fake holding company named with the organisation's own words ("国际联合建设集团控股"),
/// warned about with every company it controls: the organisation and its companies stay
/// genuine, a company the fake controls is warned about, and a genuine new subsidiary can still
/// be registered.
#[tokio::test]
async fn a_warning_over_controlled_companies_never_takes_the_group_along() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let warning = statement(
        "warning",
        "w-fake-holding",
        now,
        json!({"kind": "company", "value": "国际联合建设集团控股有限公司",
               "description": {"zh": "假冒我集团的公司及其各级子公司"},
               "includes_controlled": true}),
    );
    assert_eq!(
        app.submit(&sign(&warning, &[&app.keys.bob])).await.status(),
        201
    );
    for (company, result, reason) in [
        ("国际联合建设集团", "verified", "organisation"),
        (
            "国际联合建设集团第三工程局有限公司",
            "verified",
            "group_company",
        ),
        ("国际联合建设集团控股有限公司", "fraud_risk", "warning"),
        (
            "国际联合建设集团控股（海南）有限公司",
            "fraud_risk",
            "controlled_by_warned",
        ),
    ] {
        let f = company_finding(&app, company).await;
        assert_eq!(
            (f["result"].as_str(), f["reason"].as_str()),
            (Some(result), Some(reason)),
            "{company}: {f}"
        );
    }
    let subsidiary = entity(
        "entity-ninth",
        now,
        json!([{"names": {"zh": "国际联合建设集团第九工程局有限公司"},
                "uscc": "91110000MA01UC4C12", "parent": "91110000MA01UCG9YW"}]),
    );
    assert_eq!(
        app.submit(&sign(&subsidiary, &[&app.keys.alice]))
            .await
            .status(),
        201
    );
}

/// The other way round: an official channel, a signatory's contact or an employee that a
/// warning in force names is refused until the warning is revoked.
#[tokio::test]
async fn the_organisations_own_values_that_a_warning_names_are_refused_until_it_is_revoked() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let alice = &app.keys.alice;
    let channel = statement(
        "official-channel",
        "c-warned-phone",
        now,
        json!({"kind": "phone", "value": "170 0000 1234"}),
    );
    let staff = statement(
        "staff",
        "s-warned",
        now,
        json!({"people": [{"names": {"zh": "刘芳"}}], "exhaustive": false}),
    );
    let warned_person = statement(
        "warning",
        "w-liu-fang",
        now,
        json!({"kind": "person", "value": "刘芳", "description": {"zh": "冒充财务人员"}}),
    );
    assert_eq!(
        app.submit(&sign(&warned_person, &[&app.keys.bob]))
            .await
            .status(),
        201
    );
    for (body, names) in [(&channel, "iucg-warning-phone-1"), (&staff, "w-liu-fang")] {
        let (status, code, message) = error_of(app.submit(&sign(body, &[alice])).await).await;
        assert_eq!(
            (status, code.as_str()),
            (422, "contradicts_register"),
            "{message}"
        );
        assert!(message.contains(names), "{message}");
    }
    let revoke = statement(
        "revocation",
        "r-phone-warning",
        now,
        json!({"revokes": "iucg-warning-phone-1", "reason": "the number is ours now"}),
    );
    assert_eq!(app.submit(&sign(&revoke, &[alice])).await.status(), 201);
    assert_eq!(app.submit(&sign(&channel, &[alice])).await.status(), 201);
}
