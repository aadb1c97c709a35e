//! Projects of the group (`project`) and the staff directory (`staff`): contact checks that name
//! a project, a contractor, an employee, a department or an address under the staff email
//! pattern, against the demo register; statements refused.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_of, sign, statement};

const XIONGAN: &str = "iucg-project-xiongan-pipe-gallery";
const QIANHAI: &str = "iucg-project-qianhai-housing";
const STAFF: &str = "iucg-staff-directory";
const WANG: &str = "iucg-signatory-wang-jianguo";

/// A contact check and, per field, the result, reason and (when given) the statement cited.
type Row = (
    Value,
    &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
);

fn rows() -> Vec<Row> {
    vec![
        // Projects, by each name and by number.
        (
            json!({"project": "雄安新区综合管廊二期工程"}),
            &[("project", "verified", "project", Some(XIONGAN))],
        ),
        (
            json!({"project": "Xiong'an New Area Utility Tunnel, Phase II"}),
            &[("project", "verified", "project", Some(XIONGAN))],
        ),
        (
            json!({"project": "IUCG-ZB-2026-017"}),
            &[("project", "verified", "project", Some(XIONGAN))],
        ),
        (
            json!({"project": "iucg zb 2026 017"}),
            &[("project", "verified", "project", Some(XIONGAN))],
        ),
        (
            json!({"project": "雄安新区综合管廊三期工程"}),
            &[("project", "not_authorised", "not_listed", None)],
        ),
        (
            json!({"project": "IUCG-ZB-2026-099"}),
            &[("project", "not_authorised", "not_listed", None)],
        ),
        // The contractor claimed for a project.
        (
            json!({"project": "前海人才住房项目", "company": "深圳市宏达建设工程有限公司"}),
            &[
                ("company", "verified", "awarded_contractor", Some(QIANHAI)),
                ("project", "verified", "project", Some(QIANHAI)),
            ],
        ),
        (
            json!({"project": "IUCG-ZB-2026-031",
                   "company": "Shenzhen Hongda Construction Engineering Co., Ltd."}),
            &[
                ("company", "verified", "awarded_contractor", Some(QIANHAI)),
                ("project", "verified", "project", Some(QIANHAI)),
            ],
        ),
        (
            json!({"project": "前海人才住房项目", "company": "深圳市华信建设有限公司"}),
            &[
                ("company", "not_authorised", "not_awarded", Some(QIANHAI)),
                ("project", "verified", "project", Some(QIANHAI)),
            ],
        ),
        (
            json!({"project": "雄安新区综合管廊二期工程", "company": "深圳市宏达建设工程有限公司"}),
            &[
                ("company", "not_authorised", "not_awarded", Some(XIONGAN)),
                ("project", "verified", "project", Some(XIONGAN)),
            ],
        ),
        (
            json!({"project": "前海人才住房项目", "company": "国联建投（深圳）投资有限公司"}),
            &[
                (
                    "company",
                    "fraud_risk",
                    "controlled_by_warned",
                    Some("iucg-warning-company-1"),
                ),
                ("project", "verified", "project", Some(QIANHAI)),
            ],
        ),
        // Employees who are no signatories, and people who are not employees at all.
        (
            json!({"name": "陈静"}),
            &[(
                "name",
                "not_authorised",
                "employee_not_signatory",
                Some(STAFF),
            )],
        ),
        (
            json!({"name": "Chen Jing"}),
            &[(
                "name",
                "not_authorised",
                "employee_not_signatory",
                Some(STAFF),
            )],
        ),
        (
            json!({"name": "JING Chen"}),
            &[(
                "name",
                "not_authorised",
                "employee_not_signatory",
                Some(STAFF),
            )],
        ),
        (
            json!({"name": "Zhang San"}),
            &[("name", "not_authorised", "not_employee", Some(STAFF))],
        ),
        (
            json!({"name": "Wang Jianguo"}),
            &[("name", "verified", "authorised_signatory", Some(WANG))],
        ),
        // Departments.
        (
            json!({"department": "财务部"}),
            &[("department", "verified", "department", Some(STAFF))],
        ),
        (
            json!({"department": "Finance Department"}),
            &[("department", "verified", "department", Some(STAFF))],
        ),
        (
            json!({"department": "投资管理部"}),
            &[("department", "verified", "department", Some(STAFF))],
        ),
        (
            json!({"department": "工程项目部"}),
            &[(
                "department",
                "not_authorised",
                "no_such_department",
                Some(STAFF),
            )],
        ),
        (
            json!({"department": "投资部"}),
            &[(
                "department",
                "not_authorised",
                "no_such_department",
                Some(STAFF),
            )],
        ),
        // Addresses under the staff email pattern.
        (
            json!({"email": "chenjing@iucg.example"}),
            &[("email", "unknown", "employee_not_signatory", Some(STAFF))],
        ),
        (
            json!({"email": "ChenJing@IUCG.example"}),
            &[("email", "unknown", "employee_not_signatory", Some(STAFF))],
        ),
        (
            json!({"email": "zhangsan@iucg.example"}),
            &[("email", "not_authorised", "not_employee", Some(STAFF))],
        ),
        (
            json!({"email": "invest@iucg.example"}),
            &[("email", "verified", "official_channel", None)],
        ),
        (
            json!({"email": "wang.jianguo@iucg.example"}),
            &[("email", "verified", "signatory_contact", Some(WANG))],
        ),
        (
            json!({"name": "Chen Jing", "email": "chenjing@iucg.example", "department": "财务部"}),
            &[
                (
                    "name",
                    "not_authorised",
                    "employee_not_signatory",
                    Some(STAFF),
                ),
                ("email", "unknown", "employee_not_signatory", Some(STAFF)),
                ("department", "verified", "department", Some(STAFF)),
            ],
        ),
    ]
}

#[tokio::test]
async fn projects_contractors_staff_and_departments_are_checked_against_the_register() {
    let app = TestApp::with_demo().await;
    let mut failures = Vec::new();
    for (mut query, expected) in rows() {
        query["org"] = json!("iucg");
        let response = app.check_contact(&query).await;
        if response.status() != 200 {
            failures.push(format!("{query}: status {}", response.status()));
            continue;
        }
        let body: Value = response.json().await.expect("json");
        let findings = body["claims"]["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (field, result, reason, cites) in expected {
            let Some(f) = findings.iter().find(|f| f["field"] == *field) else {
                failures.push(format!("{query}: no {field} finding in {findings:?}"));
                continue;
            };
            if f["result"] != *result || f["reason"] != *reason {
                failures.push(format!(
                    "{query}: {field} expected {result} {reason}, got {} {}",
                    f["result"], f["reason"]
                ));
            }
            if let Some(id) = cites
                && f["statement"]["id"] != *id
            {
                failures.push(format!(
                    "{query}: {field} cites {}, expected {id}",
                    f["statement"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn the_findings_name_what_the_register_says_in_both_languages() {
    let app = TestApp::with_demo().await;
    let finding = |query: Value| {
        let app = &app;
        async move {
            let body: Value = app.check_contact(&query).await.json().await.expect("json");
            body["claims"]["findings"].clone()
        }
    };
    let f = finding(json!({"org": "iucg", "department": "工程项目部"})).await;
    assert!(
        f[0]["message"]["zh"]
            .as_str()
            .is_some_and(|m| m.contains("没有名为“工程项目部”的部门")),
        "{f}"
    );
    assert!(
        f[0]["message"]["en"]
            .as_str()
            .is_some_and(|m| m.contains("no department named")),
        "{f}"
    );
    let f = finding(json!({"org": "iucg", "project": "前海人才住房项目",
                           "company": "深圳市华信建设有限公司"}))
    .await;
    assert_eq!(f[0]["official"], "深圳市宏达建设工程有限公司", "{f}");
    assert_eq!(f[1]["official"], "tender.iucg.example", "{f}");
    assert!(
        f[1]["message"]["en"]
            .as_str()
            .is_some_and(|m| m.contains("Qianhai Talent Housing Project")),
        "{f}"
    );
    assert!(
        f[1]["message"]["zh"]
            .as_str()
            .is_some_and(|m| m.contains("前海人才住房项目")),
        "{f}"
    );
    let f = finding(json!({"org": "iucg", "name": "Zhang San"})).await;
    assert!(
        f[0]["message"]["en"]
            .as_str()
            .is_some_and(|m| m.contains("no employee")),
        "{f}"
    );
}

#[tokio::test]
async fn bad_project_and_staff_input_gets_a_4xx_naming_the_field() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let alice = &app.keys.alice;
    let cases = [
        (
            statement(
                "staff",
                "s-pattern",
                now,
                json!({"email_patterns": ["{name}@iucg.example"], "exhaustive": false}),
            ),
            400,
            "invalid_statement",
            "email_patterns",
        ),
        (
            statement("staff", "s-empty", now, json!({"exhaustive": true})),
            400,
            "invalid_statement",
            "at least one",
        ),
        (
            statement(
                "staff",
                "s-domain",
                now,
                json!({"email_patterns": ["<pinyin>@not a domain"], "exhaustive": false}),
            ),
            400,
            "invalid_statement",
            "email_patterns",
        ),
        (
            statement(
                "project",
                "p-platform",
                now,
                json!({"names": {"zh": "某项目"}, "platform": "not a host", "exhaustive": false}),
            ),
            400,
            "invalid_statement",
            "platform",
        ),
        (
            statement("project", "p-names", now, json!({"exhaustive": false})),
            400,
            "invalid_statement",
            "names",
        ),
        (
            statement(
                "warning",
                "w-employee",
                now,
                json!({"kind": "person", "value": "陈静", "description": {"en": "x"}}),
            ),
            422,
            "contradicts_register",
            STAFF,
        ),
        (
            statement(
                "warning",
                "w-employee-email",
                now,
                json!({"kind": "email", "value": "chenjing@iucg.example", "description": {"en": "x"}}),
            ),
            422,
            "contradicts_register",
            STAFF,
        ),
    ];
    let size = app.log_size().await;
    for (body, status, code, names) in cases {
        let (got, got_code, message) = error_of(app.submit(&sign(&body, &[alice])).await).await;
        assert_eq!(
            (got, got_code.as_str()),
            (status, code),
            "{body}: {message}"
        );
        assert!(message.contains(names), "{body}: {message}");
    }
    // Staff without the group role cannot keep the directory.
    let directory = statement(
        "staff",
        "s-bob",
        now,
        json!({"departments": [{"zh": "工程项目部"}], "exhaustive": false}),
    );
    let (status, code, _) = error_of(app.submit(&sign(&directory, &[&app.keys.bob])).await).await;
    assert_eq!((status, code.as_str()), (403, "missing_role"));
    assert_eq!(app.log_size().await, size);

    for (query, code) in [
        (
            json!({"org": "iucg", "project": "x".repeat(513)}),
            "invalid_project",
        ),
        (
            json!({"org": "iucg", "department": " "}),
            "invalid_department",
        ),
    ] {
        let (status, got, message) = error_of(app.check_contact(&query).await).await;
        assert_eq!((status, got.as_str()), (400, code), "{message}");
    }
}
