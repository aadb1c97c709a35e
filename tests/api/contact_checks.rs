//! `POST /v1/checks/contact` against the demo register: a table of contact cases (every
//! normalisation, every outcome, lookalikes, impersonation, a revoked signatory and `as_of`), and
//! the error envelope for bad input.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::helpers::{START, TestApp, error_of, sign, statement};

// Statement ids of the demo register (src/demo.rs).
const ORG: &str = "iucg-org";
const WANG: &str = "iucg-signatory-wang-jianguo";
const LI: &str = "iucg-signatory-li-mei";
const CHANNEL_POLICY: &str = "iucg-channel-policy";
const WEBSITE_INVEST: &str = "iucg-channel-website-invest";
const HOTLINE: &str = "iucg-channel-hotline";
const EMAIL: &str = "iucg-channel-email";
const BANK: &str = "iucg-channel-bank-account";
const WARNED_PHONE: &str = "iucg-warning-phone-1";
const WARNED_SITE: &str = "iucg-warning-website-1";
const WARNED_BANK: &str = "iucg-warning-bank-1";
const COMPANIES: &str = "iucg-companies";
const STAFF: &str = "iucg-staff-directory";

// Official values as registered, which near misses name.
const HOTLINE_VALUE: &str = "+86 10 5555 0100";
const EMAIL_VALUE: &str = "invest@iucg.example";
const SITE_VALUE: &str = "iucg.example";
const BANK_VALUE: &str = "6222 0210 0100 0012 345";
const WANG_PHONE: &str = "+86 138 0013 8000";
const WANG_EMAIL: &str = "wang.jianguo@iucg.example";
const ORG_NAME_EN: &str = "International Union Construction Group";
const ENTITY_ZH: &str = "国际联合建设集团投资有限公司";

/// Li Mei's listing is revoked from this time on (the table test's set-up).
const REVOKED_AT: &str = "2026-11-29T09:00:00Z";
/// Before the revocation.
const BEFORE_REVOCATION: &str = "2026-11-28T12:00:00Z";
/// After it, and before "now" in the table test.
const AFTER_REVOCATION: &str = "2026-11-29T09:30:00Z";
/// "Now" in the table test, when a request gives no `as_of`: an hour after the revocation.
const TABLE_NOW: &str = "2026-11-29T10:00:00Z";

/// One expected finding. `None` in `official` means the finding must not name one; `input` and
/// `cites` are checked when given.
#[derive(Debug, Clone)]
struct Expect {
    field: &'static str,
    result: &'static str,
    reason: &'static str,
    official: Option<&'static str>,
    input: Option<&'static str>,
    cites: Option<&'static str>,
}

fn finding(field: &'static str, result: &'static str, reason: &'static str) -> Expect {
    Expect {
        field,
        result,
        reason,
        official: None,
        input: None,
        cites: None,
    }
}

impl Expect {
    fn official(mut self, value: &'static str) -> Self {
        self.official = Some(value);
        self
    }

    fn input(mut self, value: &'static str) -> Self {
        self.input = Some(value);
        self
    }

    fn cites(mut self, id: &'static str) -> Self {
        self.cites = Some(id);
        self
    }
}

struct Case {
    label: &'static str,
    request: Value,
    outcome: &'static str,
    findings: Vec<Expect>,
}

fn case(
    label: &'static str,
    mut request: Value,
    outcome: &'static str,
    findings: Vec<Expect>,
) -> Case {
    if request.get("org").is_none() {
        request["org"] = json!("iucg");
    }
    Case {
        label,
        request,
        outcome,
        findings,
    }
}

// Shorthands for the findings that recur.
fn name_verified(cites: &'static str) -> Expect {
    finding("name", "verified", "authorised_signatory").cites(cites)
}

/// A name on no record: the demo's staff directory is complete, so no employee has it.
fn name_not_employee() -> Expect {
    finding("name", "not_authorised", "not_employee").cites(STAFF)
}

fn wang_phone_ok() -> Expect {
    finding("phone", "verified", "signatory_contact")
        .input("+8613800138000")
        .cites(WANG)
}

fn bank_ok() -> Expect {
    finding("bank_account", "verified", "official_channel")
        .input("6222021001000012345")
        .cites(BANK)
}

fn website_not_listed() -> Expect {
    finding("website", "not_authorised", "not_listed")
        .official(SITE_VALUE)
        .cites(CHANNEL_POLICY)
}

fn website_lookalike() -> Expect {
    finding("website", "fraud_risk", "lookalike").official(SITE_VALUE)
}

fn cases() -> Vec<Case> {
    vec![
        // --- Latin names: order, case, spacing, accents, invisible and full-width characters.
        case(
            "Latin name as registered",
            json!({"name": "Wang Jianguo"}),
            "verified",
            vec![name_verified(WANG).input("wang jianguo")],
        ),
        case(
            "Latin name, surname in capitals",
            json!({"name": "WANG Jianguo"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "Latin name, given name first",
            json!({"name": "Jianguo Wang"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "Latin name written together",
            json!({"name": "WangJianguo"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "Latin name in three syllables",
            json!({"name": "Wang Jian Guo"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "Latin name with a hyphen and a comma",
            json!({"name": "Wang, Jian-guo"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "Latin name with extra spaces and mixed case",
            json!({"name": "  wang \t  JIANGUO "}),
            "verified",
            vec![name_verified(WANG).input("wang jianguo")],
        ),
        case(
            "Latin name with tone marks",
            json!({"name": "Wáng Jiànguó"}),
            "verified",
            vec![name_verified(WANG).input("wang jianguo")],
        ),
        case(
            "Latin name with zero-width characters inside",
            json!({"name": "Wa\u{200b}ng Jian\u{200d}guo\u{feff}"}),
            "verified",
            vec![name_verified(WANG).input("wang jianguo")],
        ),
        case(
            "Latin name in full-width letters with an ideographic space",
            json!({"name": "Ｗａｎｇ\u{3000}Ｊｉａｎｇｕｏ"}),
            "verified",
            vec![name_verified(WANG).input("wang jianguo")],
        ),
        case(
            "part of a signatory's name is not the signatory",
            json!({"name": "Wang Jian"}),
            "not_authorised",
            vec![name_not_employee()],
        ),
        // --- Chinese names, in their own script and order.
        case(
            "Chinese name",
            json!({"name": "王建国"}),
            "verified",
            vec![name_verified(WANG).input("王建国")],
        ),
        case(
            "Chinese name with a space",
            json!({"name": "王 建国"}),
            "verified",
            vec![name_verified(WANG).input("王建国")],
        ),
        case(
            "Chinese name with a zero-width space",
            json!({"name": "王\u{200b}建国"}),
            "verified",
            vec![name_verified(WANG).input("王建国")],
        ),
        // The demo agreement names its signatory this way: each script compared in its own.
        case(
            "Latin and Chinese name together, as in the demo agreement",
            json!({"name": "Wang Jianguo (王建国)"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "Chinese name reversed is another name",
            json!({"name": "建国王"}),
            "not_authorised",
            vec![name_not_employee()],
        ),
        case(
            "unlisted Latin name under the exhaustive signing policy",
            json!({"name": "Zhang San"}),
            "not_authorised",
            vec![name_not_employee().input("zhang san")],
        ),
        case(
            "unlisted Chinese name under the exhaustive signing policy",
            json!({"name": "张三"}),
            "not_authorised",
            vec![name_not_employee()],
        ),
        // --- Cyrillic homoglyphs in a name.
        case(
            "Cyrillic а in a signatory's Latin name",
            json!({"name": "Wang Jiаnguo"}),
            "fraud_risk",
            vec![
                finding("name", "fraud_risk", "lookalike")
                    .official("Wang Jianguo")
                    .cites(WANG),
            ],
        ),
        case(
            "Cyrillic letters for a whole word of a signatory's name",
            json!({"name": "Wаng Jianguo"}),
            "fraud_risk",
            vec![
                finding("name", "fraud_risk", "lookalike")
                    .official("Wang Jianguo")
                    .cites(WANG),
            ],
        ),
        case(
            "the digit 0 for o in a signatory's name",
            json!({"name": "Wang Jiangu0"}),
            "fraud_risk",
            vec![
                finding("name", "fraud_risk", "lookalike")
                    .official("Wang Jianguo")
                    .cites(WANG),
            ],
        ),
        case(
            "a form of address before a Latin name",
            json!({"name": "Mr. Wang Jianguo"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "a form of address before a Chinese name",
            json!({"name": "Mr. 王建国"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        case(
            "a form of address after a Chinese name",
            json!({"name": "王建国先生"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        // --- Actions: the signing policy is exhaustive only for sign_investment_agreement.
        case(
            "a signatory for another action, without an exhaustive policy",
            json!({"name": "Wang Jianguo", "action": "open_bank_account"}),
            "unknown",
            vec![finding("name", "unknown", "not_for_action").cites(WANG)],
        ),
        case(
            "an unlisted person for an action no policy covers",
            json!({"name": "Zhang San", "action": "open_bank_account"}),
            "not_authorised",
            vec![finding("name", "not_authorised", "not_employee").cites(STAFF)],
        ),
        case(
            "the default action given explicitly",
            json!({"name": "Wang Jianguo", "action": "sign_investment_agreement"}),
            "verified",
            vec![name_verified(WANG)],
        ),
        // --- Phones: every format of one number meets in E.164.
        case(
            "phone in national format with spaces",
            json!({"phone": "138 0013 8000"}),
            "verified",
            vec![wang_phone_ok()],
        ),
        case(
            "phone +86 with dashes",
            json!({"phone": "+86-138-0013-8000"}),
            "verified",
            vec![wang_phone_ok()],
        ),
        case(
            "phone with 0086 prefix",
            json!({"phone": "0086 13800138000"}),
            "verified",
            vec![wang_phone_ok()],
        ),
        case(
            "phone in full-width digits",
            json!({"phone": "１３８００１３８０００"}),
            "verified",
            vec![wang_phone_ok()],
        ),
        case(
            "phone with zero-width spaces",
            json!({"phone": "138\u{200b}0013\u{200b}8000"}),
            "verified",
            vec![wang_phone_ok()],
        ),
        case(
            "phone with brackets and dots",
            json!({"phone": "+86 (138) 0013.8000"}),
            "verified",
            vec![wang_phone_ok()],
        ),
        case(
            "the hotline in international form",
            json!({"phone": "+86 10 5555 0100"}),
            "verified",
            vec![
                finding("phone", "verified", "official_channel")
                    .input("+861055550100")
                    .cites(HOTLINE),
            ],
        ),
        case(
            "the hotline with the national trunk prefix",
            json!({"phone": "010-5555-0100"}),
            "verified",
            vec![
                finding("phone", "verified", "official_channel")
                    .input("+861055550100")
                    .cites(HOTLINE),
            ],
        ),
        case(
            "a warned phone",
            json!({"phone": "+86 170 0000 1234"}),
            "fraud_risk",
            vec![
                finding("phone", "fraud_risk", "warning")
                    .input("+8617000001234")
                    .official(HOTLINE_VALUE)
                    .cites(WARNED_PHONE),
            ],
        ),
        case(
            "a warned phone in national format",
            json!({"phone": "170 0000 1234"}),
            "fraud_risk",
            vec![
                finding("phone", "fraud_risk", "warning")
                    .official(HOTLINE_VALUE)
                    .cites(WARNED_PHONE),
            ],
        ),
        case(
            "an unlisted phone: no exhaustive policy for phones",
            json!({"phone": "+86 137 0000 0001"}),
            "unknown",
            vec![
                finding("phone", "unknown", "no_record")
                    .input("+8613700000001")
                    .official(HOTLINE_VALUE),
            ],
        ),
        // --- Emails.
        case(
            "a signatory's email with upper-case domain and mailbox",
            json!({"email": "Wang.Jianguo@IUCG.EXAMPLE"}),
            "verified",
            vec![
                finding("email", "verified", "signatory_contact")
                    .input(WANG_EMAIL)
                    .cites(WANG),
            ],
        ),
        case(
            "the official email with an upper-case domain",
            json!({"email": "invest@IUCG.Example"}),
            "verified",
            vec![
                finding("email", "verified", "official_channel")
                    .input(EMAIL_VALUE)
                    .cites(EMAIL),
            ],
        ),
        case(
            "an email at an unrelated domain",
            json!({"email": "someone@example.com"}),
            "unknown",
            vec![finding("email", "unknown", "no_record").official(EMAIL_VALUE)],
        ),
        case(
            "an unregistered mailbox at the official domain",
            json!({"email": "ceo@iucg.example"}),
            "not_authorised",
            vec![
                finding("email", "not_authorised", "not_employee")
                    .official(EMAIL_VALUE)
                    .cites(STAFF),
            ],
        ),
        case(
            "an email at a lookalike domain",
            json!({"email": "invest@iucg-invest.com"}),
            "fraud_risk",
            vec![finding("email", "fraud_risk", "lookalike").official(EMAIL_VALUE)],
        ),
        case(
            "an email at the warned website's domain",
            json!({"email": "hr@iucg-invest.example"}),
            "fraud_risk",
            vec![
                finding("email", "fraud_risk", "warning")
                    .official(EMAIL_VALUE)
                    .cites(WARNED_SITE),
            ],
        ),
        case(
            "the official email as a mailto: link",
            json!({"email": "mailto:invest@iucg.example"}),
            "verified",
            vec![
                finding("email", "verified", "official_channel")
                    .input(EMAIL_VALUE)
                    .cites(EMAIL),
            ],
        ),
        case(
            "an email at the official domain with a Cyrillic а",
            json!({"email": "invest@iucg.exаmple"}),
            "fraud_risk",
            vec![
                finding("email", "fraud_risk", "lookalike")
                    .official(EMAIL_VALUE)
                    .cites(ORG),
            ],
        ),
        // --- Websites: URLs reduced to their host, IDNA, subdomains, lookalikes.
        case(
            "the official domain",
            json!({"website": "iucg.example"}),
            "verified",
            vec![
                finding("website", "verified", "official_domain")
                    .input("iucg.example")
                    .cites(ORG),
            ],
        ),
        case(
            "the official domain as a URL with scheme, www, port, path and capitals",
            json!({"website": "HTTPS://WWW.IUCG.Example:8443/Invest/Login?x=1#top"}),
            "verified",
            vec![
                finding("website", "verified", "official_domain")
                    .input("www.iucg.example")
                    .cites(ORG),
            ],
        ),
        case(
            "the official domain with a trailing dot",
            json!({"website": "iucg.example."}),
            "verified",
            vec![
                finding("website", "verified", "official_domain")
                    .input("iucg.example")
                    .cites(ORG),
            ],
        ),
        case(
            "the investor-relations site as a URL",
            json!({"website": "https://invest.iucg.example/login"}),
            "verified",
            vec![
                finding("website", "verified", "official_channel")
                    .input("invest.iucg.example")
                    .cites(WEBSITE_INVEST),
            ],
        ),
        case(
            "an unlisted IDNA host",
            json!({"website": "https://bücher.example/"}),
            "not_authorised",
            vec![website_not_listed().input("xn--bcher-kva.example")],
        ),
        case(
            "an unlisted host, already in punycode",
            json!({"website": "xn--bcher-kva.example"}),
            "not_authorised",
            vec![website_not_listed().input("xn--bcher-kva.example")],
        ),
        case(
            "an unrelated website under the exhaustive channel policy",
            json!({"website": "example.org"}),
            "not_authorised",
            vec![website_not_listed().input("example.org")],
        ),
        case(
            "Cyrillic а in the official domain",
            json!({"website": "iucg.exаmple"}),
            "fraud_risk",
            vec![website_lookalike().cites(ORG)],
        ),
        case(
            "Cyrillic а in the official domain, as a URL",
            json!({"website": "https://www.iucg.exаmple/"}),
            "fraud_risk",
            vec![website_lookalike()],
        ),
        case(
            "rn for m in the official domain",
            json!({"website": "iucg.exarnple"}),
            "fraud_risk",
            vec![website_lookalike().cites(ORG)],
        ),
        case(
            "a domain embedding the organisation's name",
            json!({"website": "iucg-invest.com"}),
            "fraud_risk",
            vec![website_lookalike().input("iucg-invest.com")],
        ),
        case(
            "a domain one letter off",
            json!({"website": "lucg.example"}),
            "fraud_risk",
            vec![website_lookalike().input("lucg.example")],
        ),
        case(
            "the organisation's name under another TLD",
            json!({"website": "iucg.com"}),
            "fraud_risk",
            vec![website_lookalike().input("iucg.com")],
        ),
        case(
            "the official domain as a subdomain of another",
            json!({"website": "https://iucg.example.evil.com/"}),
            "fraud_risk",
            vec![website_lookalike()],
        ),
        case(
            "the official domain as the user part of a URL, a disguise for another host",
            json!({"website": "https://iucg.example@evil.com/"}),
            "fraud_risk",
            vec![website_lookalike().input("evil.com")],
        ),
        case(
            "a Cyrillic і in the brand of another domain",
            json!({"website": "іucg-invest.com"}),
            "fraud_risk",
            vec![website_lookalike()],
        ),
        case(
            "a subdomain of a Cyrillic lookalike of the official domain",
            json!({"website": "www.іucg.example"}),
            "fraud_risk",
            vec![website_lookalike()],
        ),
        case(
            "a defanged scheme still gets IDNA",
            json!({"website": "hxxps://іucg.example/login"}),
            "fraud_risk",
            vec![website_lookalike()],
        ),
        case(
            "an email at a Cyrillic lookalike domain under another suffix",
            json!({"email": "wang@іucg.com"}),
            "fraud_risk",
            vec![finding("email", "fraud_risk", "lookalike").official(EMAIL_VALUE)],
        ),
        case(
            "the digit 1 for l in the official domain",
            json!({"website": "iucg.examp1e"}),
            "fraud_risk",
            vec![website_lookalike()],
        ),
        case(
            "the warned website as a URL",
            json!({"website": "http://iucg-invest.example/pay"}),
            "fraud_risk",
            vec![
                finding("website", "fraud_risk", "warning")
                    .input("iucg-invest.example")
                    .official(SITE_VALUE)
                    .cites(WARNED_SITE),
            ],
        ),
        case(
            "a subdomain of the warned website",
            json!({"website": "pay.iucg-invest.example"}),
            "fraud_risk",
            vec![
                finding("website", "fraud_risk", "warning")
                    .official(SITE_VALUE)
                    .cites(WARNED_SITE),
            ],
        ),
        // --- Bank accounts.
        case(
            "the official account with spaces",
            json!({"bank_account": "6222 0210 0100 0012 345"}),
            "verified",
            vec![bank_ok()],
        ),
        case(
            "the official account with dashes",
            json!({"bank_account": "6222-0210-0100-0012-345"}),
            "verified",
            vec![bank_ok()],
        ),
        case(
            "the official account in full-width digits",
            json!({"bank_account": "６２２２０２１０ ０１００００１２３４５"}),
            "verified",
            vec![bank_ok()],
        ),
        case(
            "the warned account",
            json!({"bank_account": "6217-0000-9999-8888-777"}),
            "fraud_risk",
            vec![
                finding("bank_account", "fraud_risk", "warning")
                    .input("6217000099998888777")
                    .official(BANK_VALUE)
                    .cites(WARNED_BANK),
            ],
        ),
        case(
            "an unlisted account under the exhaustive channel policy",
            json!({"bank_account": "6222 0000 0000 0000 000"}),
            "not_authorised",
            vec![
                finding("bank_account", "not_authorised", "not_listed")
                    .official(BANK_VALUE)
                    .cites(CHANNEL_POLICY),
            ],
        ),
        case(
            "a valid IBAN that is not the organisation's",
            json!({"bank_account": "de89 3704 0044 0532 0130 00"}),
            "not_authorised",
            vec![
                finding("bank_account", "not_authorised", "not_listed")
                    .input("DE89370400440532013000")
                    .official(BANK_VALUE)
                    .cites(CHANNEL_POLICY),
            ],
        ),
        // --- Companies: names and USCCs.
        case(
            "the organisation's English name",
            json!({"company": ORG_NAME_EN}),
            "verified",
            vec![finding("company", "verified", "organisation").cites(ORG)],
        ),
        case(
            "the organisation's name in capitals",
            json!({"company": "INTERNATIONAL UNION CONSTRUCTION GROUP"}),
            "verified",
            vec![finding("company", "verified", "organisation").cites(ORG)],
        ),
        case(
            "the organisation's Chinese name",
            json!({"company": "国际联合建设集团"}),
            "verified",
            vec![finding("company", "verified", "organisation").cites(ORG)],
        ),
        case(
            "the organisation's USCC",
            json!({"company": "91110000MA01UCG9YW"}),
            "verified",
            vec![
                finding("company", "verified", "organisation")
                    .input("91110000MA01UCG9YW")
                    .cites(ORG),
            ],
        ),
        case(
            "the organisation's USCC in lower case with spaces",
            json!({"company": "9111 0000 ma01 ucg9 yw"}),
            "verified",
            vec![
                finding("company", "verified", "organisation")
                    .input("91110000MA01UCG9YW")
                    .cites(ORG),
            ],
        ),
        case(
            "the signatories' entity USCC",
            json!({"company": "91110000MA01UCG8XQ"}),
            "verified",
            vec![
                finding("company", "verified", "signatory_entity")
                    .input("91110000MA01UCG8XQ")
                    .cites(WANG),
            ],
        ),
        case(
            "the signatories' entity by name",
            json!({"company": "IUCG Investment Co., Ltd."}),
            "verified",
            vec![finding("company", "verified", "signatory_entity").cites(WANG)],
        ),
        case(
            "the signatories' entity by Chinese name",
            json!({"company": ENTITY_ZH}),
            "verified",
            vec![finding("company", "verified", "signatory_entity").cites(WANG)],
        ),
        case(
            "a company one word off the entity",
            json!({"company": "IUCG Investment Management Co., Ltd."}),
            "fraud_risk",
            vec![
                finding("company", "fraud_risk", "not_group_company")
                    .official(ORG_NAME_EN)
                    .cites(COMPANIES),
            ],
        ),
        case(
            "a company one word off the organisation",
            json!({"company": "International Union Construction Group Ltd"}),
            "fraud_risk",
            vec![
                finding("company", "fraud_risk", "not_group_company")
                    .official(ORG_NAME_EN)
                    .cites(COMPANIES),
            ],
        ),
        case(
            "a Chinese company two characters off the entity",
            json!({"company": "国际联合建设集团投资管理有限公司"}),
            "fraud_risk",
            vec![
                finding("company", "fraud_risk", "not_group_company")
                    .official("国际联合建设集团")
                    .cites(COMPANIES),
            ],
        ),
        case(
            "an unrelated company",
            json!({"company": "Example Trading Co., Ltd."}),
            "not_authorised",
            vec![
                finding("company", "not_authorised", "not_listed")
                    .official(ORG_NAME_EN)
                    .cites(COMPANIES),
            ],
        ),
        case(
            "another company's valid USCC",
            json!({"company": "91310115MA1H7WXY02"}),
            "not_authorised",
            vec![
                finding("company", "not_authorised", "not_listed")
                    .cites(COMPANIES)
                    .input("91310115MA1H7WXY02")
                    .official(ORG_NAME_EN),
            ],
        ),
        // Dropping a generic word only shortens the name: not an imitation, but not a match.
        case(
            "the organisation's name without its generic last word",
            json!({"company": "International Union Construction"}),
            "not_authorised",
            vec![
                finding("company", "not_authorised", "not_listed")
                    .cites(COMPANIES)
                    .official(ORG_NAME_EN),
            ],
        ),
        case(
            "the organisation's distinctive words as another company",
            json!({"company": "International Union Construction Co., Ltd."}),
            "fraud_risk",
            vec![
                finding("company", "fraud_risk", "not_group_company")
                    .official(ORG_NAME_EN)
                    .cites(COMPANIES),
            ],
        ),
        case(
            "a word that is a form of address, added to the organisation's name",
            json!({"company": "Sir International Union Construction Group"}),
            "fraud_risk",
            vec![
                finding("company", "fraud_risk", "not_group_company")
                    .official(ORG_NAME_EN)
                    .cites(COMPANIES),
            ],
        ),
        case(
            "a different company that shares only generic words",
            json!({"company": "ABC Investment Co., Ltd."}),
            "not_authorised",
            vec![
                finding("company", "not_authorised", "not_listed")
                    .cites(COMPANIES)
                    .official(ORG_NAME_EN),
            ],
        ),
        case(
            "the genuine Chinese name carrying a changed English one",
            json!({"company": "IUCG Investment Management Co., Ltd. 国际联合建设集团投资有限公司"}),
            "fraud_risk",
            vec![
                finding("company", "fraud_risk", "not_group_company")
                    .official(ORG_NAME_EN)
                    .cites(COMPANIES),
            ],
        ),
        case(
            "two generic Chinese words alone",
            json!({"company": "集团"}),
            "not_authorised",
            vec![
                finding("company", "not_authorised", "not_listed")
                    .cites(COMPANIES)
                    .official(ORG_NAME_EN),
            ],
        ),
        // --- Impersonation: a signatory's name with contact details that are not theirs.
        case(
            "a signatory's name with a phone not registered for them",
            json!({"name": "Wang Jianguo", "phone": "+86 137 0000 0001"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("phone", "fraud_risk", "impersonation")
                    .input("+8613700000001")
                    .official(WANG_PHONE)
                    .cites(WANG),
            ],
        ),
        case(
            "a signatory's Chinese name with a phone not registered for them",
            json!({"name": "王建国", "phone": "137 0000 0001"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("phone", "fraud_risk", "impersonation")
                    .official(WANG_PHONE)
                    .cites(WANG),
            ],
        ),
        case(
            "a signatory's name with an email not registered for them",
            json!({"name": "Jianguo Wang", "email": "wangjianguo@163.com"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("email", "fraud_risk", "impersonation")
                    .input("wangjianguo@163.com")
                    .official(WANG_EMAIL)
                    .cites(WANG),
            ],
        ),
        case(
            "a signatory's name with another mailbox at the official domain",
            json!({"name": "Wang Jianguo", "email": "ceo@iucg.example"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("email", "fraud_risk", "impersonation")
                    .official(WANG_EMAIL)
                    .cites(WANG),
            ],
        ),
        case(
            "a signatory's name with another signatory's phone",
            json!({"name": "Wang Jianguo", "phone": "+86 139 0013 9000"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("phone", "fraud_risk", "impersonation")
                    .official(WANG_PHONE)
                    .cites(WANG),
            ],
        ),
        case(
            "a signatory's name with the official switchboard is not impersonation",
            json!({"name": "Wang Jianguo", "phone": "+86 10 5555 0100"}),
            "verified",
            vec![
                name_verified(WANG),
                finding("phone", "verified", "official_channel").cites(HOTLINE),
            ],
        ),
        case(
            "a signatory's name with the official email is not impersonation",
            json!({"name": "Wang Jianguo", "email": "invest@iucg.example"}),
            "verified",
            vec![
                name_verified(WANG),
                finding("email", "verified", "official_channel").cites(EMAIL),
            ],
        ),
        case(
            "a signatory's name with his own phone in another format",
            json!({"name": "WANG JIANGUO", "phone": "0086-138-0013-8000"}),
            "verified",
            vec![name_verified(WANG), wang_phone_ok()],
        ),
        case(
            "a signatory's name with a warned phone: the warning decides",
            json!({"name": "Wang Jianguo", "phone": "+86 170 0000 1234"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("phone", "fraud_risk", "warning")
                    .official(HOTLINE_VALUE)
                    .cites(WARNED_PHONE),
            ],
        ),
        case(
            "an unlisted person with a signatory's phone",
            json!({"name": "Zhang San", "phone": "+86 138 0013 8000"}),
            "not_authorised",
            vec![name_not_employee(), wang_phone_ok()],
        ),
        case(
            "a lookalike name with the signatory's real phone",
            json!({"name": "Wang Jiаnguo", "phone": "+86 138 0013 8000"}),
            "fraud_risk",
            vec![
                finding("name", "fraud_risk", "lookalike")
                    .official("Wang Jianguo")
                    .cites(WANG),
                wang_phone_ok(),
            ],
        ),
        // --- Several identifiers: the worst finding decides.
        case(
            "everything matches",
            json!({"name": "Wang Jianguo", "phone": "+86 138 0013 8000",
                   "email": "wang.jianguo@iucg.example", "website": "https://invest.iucg.example",
                   "bank_account": "6222021001000012345", "company": "91110000MA01UCG8XQ"}),
            "verified",
            vec![
                name_verified(WANG),
                wang_phone_ok(),
                finding("email", "verified", "signatory_contact").cites(WANG),
                finding("website", "verified", "official_channel").cites(WEBSITE_INVEST),
                bank_ok(),
                finding("company", "verified", "signatory_entity").cites(WANG),
            ],
        ),
        case(
            "a verified name with a company not of the group is not authorised",
            json!({"name": "Wang Jianguo", "company": "Example Trading Co., Ltd."}),
            "not_authorised",
            vec![
                name_verified(WANG),
                finding("company", "not_authorised", "not_listed")
                    .cites(COMPANIES)
                    .official(ORG_NAME_EN),
            ],
        ),
        case(
            "unknown and not authorised is not authorised",
            json!({"phone": "+86 137 0000 0001", "website": "example.org"}),
            "not_authorised",
            vec![
                finding("phone", "unknown", "no_record").official(HOTLINE_VALUE),
                website_not_listed(),
            ],
        ),
        case(
            "a verified name with the warned account is fraud risk",
            json!({"name": "Wang Jianguo", "bank_account": "6217 0000 9999 8888 777"}),
            "fraud_risk",
            vec![
                name_verified(WANG),
                finding("bank_account", "fraud_risk", "warning")
                    .official(BANK_VALUE)
                    .cites(WARNED_BANK),
            ],
        ),
        case(
            "the official website with a lookalike company",
            json!({"website": "iucg.example", "company": "IUCG Investment Management Co., Ltd."}),
            "fraud_risk",
            vec![
                finding("website", "verified", "official_domain"),
                finding("company", "fraud_risk", "not_group_company").official(ORG_NAME_EN),
            ],
        ),
        // --- A revoked signatory, before and after the revocation.
        case(
            "Li Mei before her revocation",
            json!({"name": "Li Mei", "as_of": BEFORE_REVOCATION}),
            "verified",
            vec![name_verified(LI).input("li mei")],
        ),
        case(
            "李梅 before her revocation",
            json!({"name": "李梅", "as_of": BEFORE_REVOCATION}),
            "verified",
            vec![name_verified(LI)],
        ),
        case(
            "Li Mei as of the instant she was registered",
            json!({"name": "Li Mei", "as_of": START}),
            "verified",
            vec![name_verified(LI)],
        ),
        case(
            "Li Mei with Wang Jianguo's phone before her revocation",
            json!({"name": "Li Mei", "phone": WANG_PHONE, "as_of": BEFORE_REVOCATION}),
            "fraud_risk",
            vec![
                name_verified(LI),
                finding("phone", "fraud_risk", "impersonation")
                    .official("+86 139 0013 9000")
                    .cites(LI),
            ],
        ),
        case(
            "Li Mei's phone before her revocation",
            json!({"phone": "+86 139 0013 9000", "as_of": BEFORE_REVOCATION}),
            "verified",
            vec![finding("phone", "verified", "signatory_contact").cites(LI)],
        ),
        case(
            "Li Mei with her phone before her revocation",
            json!({"name": "Mei Li", "phone": "139 0013 9000", "as_of": BEFORE_REVOCATION}),
            "verified",
            vec![
                name_verified(LI),
                finding("phone", "verified", "signatory_contact").cites(LI),
            ],
        ),
        case(
            "Li Mei after her revocation, as of a time",
            json!({"name": "Li Mei", "as_of": AFTER_REVOCATION}),
            "not_authorised",
            vec![finding("name", "not_authorised", "no_longer_authorised").cites(LI)],
        ),
        case(
            "Li Mei now",
            json!({"name": "Li Mei"}),
            "not_authorised",
            vec![finding("name", "not_authorised", "no_longer_authorised").cites(LI)],
        ),
        case(
            "李梅 now",
            json!({"name": "李梅"}),
            "not_authorised",
            vec![finding("name", "not_authorised", "no_longer_authorised").cites(LI)],
        ),
        case(
            "Li Mei with her own phone now",
            json!({"name": "Li Mei", "phone": "+86 139 0013 9000"}),
            "not_authorised",
            vec![
                finding("name", "not_authorised", "no_longer_authorised").cites(LI),
                finding("phone", "unknown", "no_record").official(HOTLINE_VALUE),
            ],
        ),
        case(
            "Li Mei's phone now is no longer verified",
            json!({"phone": "+86 139 0013 9000"}),
            "unknown",
            vec![finding("phone", "unknown", "no_record").official(HOTLINE_VALUE)],
        ),
        case(
            "Wang Jianguo is unaffected by Li Mei's revocation",
            json!({"name": "Wang Jianguo", "as_of": AFTER_REVOCATION}),
            "verified",
            vec![name_verified(WANG)],
        ),
    ]
}

/// Where each statement is in the log, from the public listing.
async fn log_positions(app: &TestApp) -> HashMap<String, (u64, String)> {
    let list = app.get_json("/v1/orgs/iucg/statements").await;
    list["statements"]
        .as_array()
        .expect("statements")
        .iter()
        .map(|s| {
            (
                s["id"].as_str().expect("id").to_owned(),
                (
                    s["log_index"].as_u64().expect("log_index"),
                    s["leaf_hash"].as_str().expect("leaf_hash").to_owned(),
                ),
            )
        })
        .collect()
}

/// Every difference between a finding and its expectation, as text.
fn compare(
    index: usize,
    actual: &Value,
    expected: &Expect,
    positions: &HashMap<String, (u64, String)>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let text = |key: &str| actual[key].as_str().map(str::to_owned);
    for (key, want) in [
        ("field", expected.field),
        ("result", expected.result),
        ("reason", expected.reason),
    ] {
        if text(key).as_deref() != Some(want) {
            problems.push(format!(
                "finding {index}: {key} {:?}, expected {want:?}",
                actual[key]
            ));
        }
    }
    if text("official").as_deref() != expected.official {
        problems.push(format!(
            "finding {index}: official {:?}, expected {:?}",
            actual.get("official"),
            expected.official
        ));
    }
    if let Some(input) = expected.input
        && text("input").as_deref() != Some(input)
    {
        problems.push(format!(
            "finding {index}: input {:?}, expected {input:?}",
            actual["input"]
        ));
    }
    let cited = actual["statement"]["id"].as_str();
    if let Some(id) = expected.cites
        && cited != Some(id)
    {
        problems.push(format!(
            "finding {index}: cites {:?}, expected {id:?}",
            actual.get("statement")
        ));
    }
    // Whatever it cites must be where the log says it is.
    if let Some(id) = cited {
        let at = positions.get(id);
        let claimed = (
            actual["statement"]["log_index"].as_u64(),
            actual["statement"]["leaf_hash"].as_str(),
        );
        if at.map(|(i, h)| (Some(*i), Some(h.as_str()))) != Some(claimed) {
            problems.push(format!(
                "finding {index}: cites {id} at {claimed:?}, the log has {at:?}"
            ));
        }
    }
    // A message in both languages, naming the official value where there is one.
    for lang in ["en", "zh"] {
        let message = actual["message"][lang].as_str().unwrap_or("");
        if message.is_empty() {
            problems.push(format!("finding {index}: no {lang} message"));
        }
        if let Some(official) = text("official")
            && !message.contains(&official)
        {
            problems.push(format!(
                "finding {index}: the {lang} message does not name {official:?}: {message:?}"
            ));
        }
    }
    problems
}

#[tokio::test]
async fn contact_checks_match_the_table() {
    let app = TestApp::with_demo().await;
    // Li Mei's listing is revoked a day after the register was built; the cases run an hour later.
    app.clock.advance(time::Duration::days(1));
    assert_eq!(app.now().to_string(), REVOKED_AT);
    let revoke = statement(
        "revocation",
        "revoke-li-mei",
        app.now(),
        json!({"revokes": LI, "reason": "Left the group."}),
    );
    let response = app
        .submit_signed(&revoke, &[&app.keys.alice, &app.keys.bob])
        .await;
    assert_eq!(
        response.status(),
        201,
        "{}",
        response.text().await.unwrap_or_default()
    );
    app.clock.advance(time::Duration::hours(1));
    assert_eq!(app.now().to_string(), TABLE_NOW);
    let positions = log_positions(&app).await;

    let cases = cases();
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = String::new();
    for case in &cases {
        let response = app.check_contact(&case.request).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if status != 200 {
            let _ = writeln!(
                failures,
                "- {}: {} -> HTTP {status} {body}",
                case.label, case.request
            );
            continue;
        }
        let claims = &body["claims"];
        let findings = claims["findings"].as_array().cloned().unwrap_or_default();
        let mut problems = Vec::new();
        if claims["outcome"] != case.outcome {
            problems.push(format!(
                "outcome {}, expected {:?}",
                claims["outcome"], case.outcome
            ));
        }
        if findings.len() != case.findings.len() {
            problems.push(format!(
                "{} findings, expected {}",
                findings.len(),
                case.findings.len()
            ));
        }
        for (i, (actual, expected)) in findings.iter().zip(&case.findings).enumerate() {
            problems.extend(compare(i, actual, expected, &positions));
        }
        let as_of = case.request["as_of"].as_str().unwrap_or(TABLE_NOW);
        if claims["as_of"] != as_of {
            problems.push(format!("as_of {}, expected {as_of}", claims["as_of"]));
        }
        if body["verdict"].as_str().is_none_or(str::is_empty) {
            problems.push("no verdict".to_owned());
        }
        if !problems.is_empty() {
            let _ = writeln!(
                failures,
                "- {}: {}\n    {}\n    findings: {}",
                case.label,
                case.request,
                problems.join("\n    "),
                serde_json::to_string(&findings_without_messages(&findings)).unwrap_or_default()
            );
        }
    }
    assert!(
        failures.is_empty(),
        "cases that do not match ({} cases in all):\n{failures}",
        cases.len()
    );
}

/// The findings without their messages, for a readable failure report.
fn findings_without_messages(findings: &[Value]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if let Some(object) = f.as_object_mut() {
                object.remove("message");
                if let Some(statement) = object.get_mut("statement") {
                    *statement = statement["id"].clone();
                }
            }
            f
        })
        .collect()
}

/// A bad request and the status and code it must get.
struct Bad {
    label: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
    /// Words the message must contain.
    says: &'static [&'static str],
}

fn bad(label: &'static str, body: impl Into<Vec<u8>>, status: u16, code: &'static str) -> Bad {
    Bad {
        label,
        content_type: Some("application/json"),
        body: body.into(),
        status,
        code,
        says: &[],
    }
}

impl Bad {
    fn says(mut self, words: &'static [&'static str]) -> Self {
        self.says = words;
        self
    }

    fn content_type(mut self, value: Option<&'static str>) -> Self {
        self.content_type = value;
        self
    }
}

fn json_bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("JSON")
}

fn bad_requests() -> Vec<Bad> {
    let long = "a".repeat(513);
    let deep = format!("{}{}", "[".repeat(8000), "]".repeat(8000));
    let huge = json_bytes(&json!({"org": "iucg", "name": "x".repeat(64 * 1024)}));
    vec![
        bad(
            "malformed JSON",
            r#"{"org": "iucg", "name": "Wang"#,
            400,
            "invalid_json",
        ),
        bad(
            "trailing garbage",
            r#"{"org": "iucg", "name": "Wang"} x"#,
            400,
            "invalid_json",
        ),
        bad(
            "an array",
            r#"["iucg", "Wang Jianguo"]"#,
            400,
            "invalid_json",
        ),
        bad("a string", r#""Wang Jianguo""#, 400, "invalid_json"),
        bad("a number", "42", 400, "invalid_json"),
        bad("null", "null", 400, "invalid_json"),
        bad("nesting 8000 deep", deep, 400, "invalid_json"),
        bad(
            "not UTF-8",
            b"{\"org\": \"iucg\", \"name\": \"\xff\xfe\"}".to_vec(),
            400,
            "invalid_json",
        ),
        bad(
            "a field of the wrong type",
            r#"{"org": "iucg", "name": 42}"#,
            400,
            "invalid_json",
        ),
        bad(
            "a duplicate field",
            r#"{"org": "iucg", "name": "Li Mei", "name": "Wang Jianguo"}"#,
            400,
            "invalid_json",
        ),
        bad("no org", r#"{"name": "Wang Jianguo"}"#, 400, "invalid_json").says(&["org"]),
        bad(
            "an unknown field",
            r#"{"org": "iucg", "name": "Wang Jianguo", "mobile": "1"}"#,
            400,
            "unknown_field",
        )
        .says(&["mobile"]),
        bad(
            "an unknown organisation",
            r#"{"org": "acme", "name": "Wang Jianguo"}"#,
            404,
            "unknown_org",
        )
        .says(&["acme"]),
        bad(
            "an org that is not a slug",
            r#"{"org": "../IUCG", "name": "Wang Jianguo"}"#,
            404,
            "unknown_org",
        ),
        bad(
            "as_of before the organisation was registered",
            r#"{"org": "iucg", "name": "Wang Jianguo", "as_of": "2020-01-01T00:00:00Z"}"#,
            404,
            "unknown_org",
        ),
        bad(
            "an as_of that is not a time",
            r#"{"org": "iucg", "name": "Wang", "as_of": "yesterday"}"#,
            400,
            "invalid_json",
        ),
        bad(
            "an empty name",
            r#"{"org": "iucg", "name": ""}"#,
            400,
            "invalid_name",
        )
        .says(&["name"]),
        bad(
            "a name of spaces and zero-width characters",
            "{\"org\": \"iucg\", \"name\": \" \\u200b \"}",
            400,
            "invalid_name",
        )
        .says(&["name"]),
        bad(
            "an empty phone",
            r#"{"org": "iucg", "phone": ""}"#,
            400,
            "invalid_phone",
        ),
        bad("no identifier", r#"{"org": "iucg"}"#, 400, "no_identifier"),
        bad(
            "identifiers all null",
            r#"{"org": "iucg", "name": null, "phone": null}"#,
            400,
            "no_identifier",
        ),
        bad(
            "an action only",
            r#"{"org": "iucg", "action": "sign_investment_agreement"}"#,
            400,
            "no_identifier",
        ),
        bad(
            "an action that is not a token",
            r#"{"org": "iucg", "name": "Wang Jianguo", "action": "Sign It!"}"#,
            400,
            "invalid_action",
        ),
        bad(
            "words for a phone",
            r#"{"org": "iucg", "phone": "call me maybe"}"#,
            400,
            "invalid_phone",
        )
        .says(&["phone"]),
        bad(
            "a phone one digit short",
            r#"{"org": "iucg", "phone": "138 0013 800"}"#,
            400,
            "invalid_phone",
        )
        .says(&["phone"]),
        bad(
            "a letter in a phone",
            r#"{"org": "iucg", "name": "Wang Jianguo", "phone": "+86 138 0013 800O"}"#,
            400,
            "invalid_phone",
        )
        .says(&["phone"]),
        bad(
            "an email without @",
            r#"{"org": "iucg", "email": "wang.jianguo"}"#,
            400,
            "invalid_email",
        )
        .says(&["email"]),
        bad(
            "an email without a domain",
            r#"{"org": "iucg", "email": "wang@"}"#,
            400,
            "invalid_email",
        )
        .says(&["email"]),
        bad(
            "a website without a host",
            r#"{"org": "iucg", "website": "https://"}"#,
            400,
            "invalid_website",
        )
        .says(&["website"]),
        bad(
            "an IBAN whose check digits fail",
            r#"{"org": "iucg", "bank_account": "DE89 3704 0044 0532 0130 01"}"#,
            400,
            "invalid_bank_account",
        )
        .says(&["bank_account", "IBAN"]),
        bad(
            "letters in a bank account",
            r#"{"org": "iucg", "bank_account": "6222 abc"}"#,
            400,
            "invalid_bank_account",
        ),
        bad(
            "a USCC whose check character fails",
            r#"{"org": "iucg", "company": "91110000MA01UCG9YX"}"#,
            400,
            "invalid_company",
        )
        .says(&["company"]),
        bad(
            "a name of 513 characters",
            json_bytes(&json!({"org": "iucg", "name": long})),
            400,
            "invalid_name",
        )
        .says(&["name", "512"]),
        bad(
            "a phone of 513 characters",
            json_bytes(&json!({"org": "iucg", "phone": "1".repeat(513)})),
            400,
            "invalid_phone",
        )
        .says(&["phone", "512"]),
        bad(
            "a website of 513 characters",
            json_bytes(&json!({"org": "iucg", "website": format!("{}.example", "a".repeat(505))})),
            400,
            "invalid_website",
        )
        .says(&["website", "512"]),
        bad(
            "a company of 513 characters",
            json_bytes(&json!({"org": "iucg", "company": "a ".repeat(257)})),
            400,
            "invalid_company",
        )
        .says(&["company", "512"]),
        bad("an empty body", "", 400, "empty_body"),
        bad("a body over the limit", huge, 413, "payload_too_large"),
        bad(
            "text/plain",
            r#"{"org": "iucg", "name": "Wang Jianguo"}"#,
            415,
            "unsupported_media_type",
        )
        .content_type(Some("text/plain")),
        bad(
            "a form",
            "org=iucg&name=Wang",
            415,
            "unsupported_media_type",
        )
        .content_type(Some("application/x-www-form-urlencoded")),
        bad(
            "no Content-Type",
            r#"{"org": "iucg", "name": "Wang Jianguo"}"#,
            415,
            "unsupported_media_type",
        )
        .content_type(None),
    ]
}

#[tokio::test]
async fn bad_input_gets_a_4xx_error_envelope() {
    let app = TestApp::with_demo().await;
    let cases = bad_requests();
    let mut failures = String::new();
    for case in &cases {
        let response = app
            .check_contact_raw(case.content_type, case.body.clone())
            .await;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let code = body["error"]["code"].as_str();
        let message = body["error"]["message"].as_str();
        let mut problems = Vec::new();
        if status != case.status {
            problems.push(format!("HTTP {status}, expected {}", case.status));
        }
        if code != Some(case.code) {
            problems.push(format!("code {code:?}, expected {:?}", case.code));
        }
        match message {
            None | Some("") => problems.push("no message".to_owned()),
            Some(message) => {
                for word in case.says {
                    if !message.contains(word) {
                        problems.push(format!("the message does not say {word:?}"));
                    }
                }
            }
        }
        if body.get("verdict").is_some() {
            problems.push("a verdict was signed".to_owned());
        }
        if !problems.is_empty() {
            let shown: String = text.chars().take(300).collect();
            let _ = writeln!(
                failures,
                "- {}: {}\n    body: {shown}",
                case.label,
                problems.join("; ")
            );
        }
    }
    assert!(
        failures.is_empty(),
        "bad requests answered wrongly ({} in all):\n{failures}",
        cases.len()
    );
    // The service is still there after all of that.
    assert_eq!(app.log_size().await, 29);
    let ok = app
        .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo"}))
        .await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn other_methods_are_refused_with_the_envelope() {
    let app = TestApp::with_demo().await;

    let (status, code, _) = error_of(app.get("/v1/checks/contact").await).await;

    assert_eq!((status, code.as_str()), (405, "method_not_allowed"));
}

#[tokio::test]
async fn an_input_of_exactly_512_characters_is_read() {
    let app = TestApp::with_demo().await;
    // A bank account padded with spaces to the limit: long, but an ordinary account number.
    let padded = format!("{:<512}", "6222 0210 0100 0012 345");
    assert_eq!(padded.chars().count(), 512);

    let response = app
        .check_contact(&json!({"org": "iucg", "bank_account": padded}))
        .await;

    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["claims"]["outcome"], "verified");
}

#[tokio::test]
async fn content_type_parameters_and_case_are_accepted() {
    let app = TestApp::with_demo().await;
    let body = br#"{"org": "iucg", "name": "Wang Jianguo"}"#.to_vec();

    for content_type in ["application/json; charset=utf-8", "Application/JSON"] {
        let response = app
            .check_contact_raw(Some(content_type), body.clone())
            .await;

        assert_eq!(response.status(), 200, "{content_type}");
    }
}

#[tokio::test]
async fn a_verdict_never_vouches_for_the_register_in_the_future() {
    let app = TestApp::with_demo().await;
    let future = "2099-01-01T00:00:00Z";

    let response = app
        .check_contact(&json!({"org": "iucg", "name": "Wang Jianguo", "as_of": future}))
        .await;

    // The register cannot know what will be revoked by then: either the request is refused, or
    // the verdict speaks for no later than the time it was signed.
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    if status == 200 {
        let claims = &body["claims"];
        assert_ne!(
            claims["as_of"],
            future,
            "a verdict signed at {} vouches for {future}: {}",
            app.now(),
            claims["outcome"]
        );
    } else {
        assert_eq!(status, 400, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains("as_of")),
            "{body}"
        );
    }
}

/// The outcome and the first finding's reason of a check.
async fn outcome_of(app: &TestApp, body: Value) -> (String, String) {
    let answer: Value = app.check_contact(&body).await.json().await.expect("JSON");
    (
        answer["claims"]["outcome"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        answer["claims"]["findings"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[tokio::test]
async fn a_page_on_a_shared_platform_is_official_alone_not_the_platform() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let page = statement(
        "official-channel",
        "iucg-channel-weibo",
        now,
        json!({"kind": "website", "value": "https://weibo.com/iucg"}),
    );
    let response = app.submit(&sign(&page, &[&app.keys.alice])).await;
    assert_eq!(response.status(), 201);
    let check = |website: &str| json!({"org": "iucg", "website": website});
    assert_eq!(
        outcome_of(&app, check("https://weibo.com/iucg/")).await,
        ("verified".to_owned(), "official_channel".to_owned())
    );
    assert_eq!(
        outcome_of(&app, check("https://weibo.com/fraudster")).await,
        ("not_authorised".to_owned(), "not_listed".to_owned()),
        "another page on the platform is not the organisation's"
    );
}

#[tokio::test]
async fn namesakes_each_keep_their_own_contact_details() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    let namesake = statement(
        "signatory",
        "iucg-signatory-wang-jianguo-2",
        now,
        json!({
            "person": {"names": {"en": "Wang Jianguo", "zh": "王建国"}},
            "entity": {"names": {"en": "IUCG Investment Co., Ltd."}},
            "role": "authorised_representative",
            "actions": ["sign_investment_agreement"],
            "phones": ["+86 135 0000 0002"],
        }),
    );
    let response = app
        .submit(&sign(&namesake, &[&app.keys.alice, &app.keys.bob]))
        .await;
    assert_eq!(response.status(), 201);
    let answer: Value = app
        .check_contact(&json!({"org": "iucg", "name": "王建国", "phone": "135 0000 0002"}))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(answer["claims"]["outcome"], "verified", "{answer}");
}

#[tokio::test]
async fn a_statement_listing_an_identifier_that_does_not_read_is_refused() {
    let app = TestApp::with_demo().await;
    let now = app.now();
    for (id, kind, value) in [
        ("iucg-warning-bad-phone", "phone", "call +86 170 (WeChat)"),
        ("iucg-warning-bad-site", "website", "iucg-invest[.]com/x y"),
        (
            "iucg-warning-bad-bank",
            "bank_account",
            "DE89 3704 0044 0532 0130 01",
        ),
    ] {
        let warning = statement(
            "warning",
            id,
            now,
            json!({"kind": kind, "value": value, "description": {"en": "x"}}),
        );
        let response = app.submit(&sign(&warning, &[&app.keys.bob])).await;
        assert_ne!(response.status(), 201, "{value} was accepted");
        let (status, code, message) = error_of(response).await;
        assert_eq!(
            (status, code.as_str()),
            (400, "invalid_statement"),
            "{value}: {message}"
        );
        assert!(
            message.contains(value),
            "the message names the value: {message}"
        );
    }
}
