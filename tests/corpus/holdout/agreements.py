from common import B
from skel import en_formal, zh_formal, mixed

ITEMS = []
def add(name, lang, cat, outcome, findings, note, text):
    ITEMS.append(dict(name=name, kind="agreement", language=lang, category=cat, outcome=outcome,
                      findings=[dict(field=f, result=r, contains=c) for f, r, c in findings], note=note, text=text))

def pad(l, r, w=48):
    # pad by display width (CJK = 2)
    import unicodedata
    dw = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    return l + " " * max(2, w - dw) + r

def table(rows, w=48):
    return "\n".join(pad(l, r, w) if (l or r) else "" for l, r in rows)

# ---------------- signer ----------------
b = B["helan"]
add("signer_h01_doc_en_table_zhouhang", "en", "signer", "not_authorised", [("signer", "not_authorised", "Zhou Hang")],
    "Two-column signature table padded with spaces; Party A signed by Mr. Zhou Hang, Vice President (not a registered signatory). Party B's Ma Wenhai in the right column.",
    en_formal("helan", sig=table([
        ("PARTY A", "PARTY B"),
        ("IUCG Investment Co., Ltd.", b["en"]),
        ("(Company seal)", "(Company seal)"),
        ("", ""),
        ("By: ____________________________", "By: ____________________________"),
        ("Name: Mr. Zhou Hang", f"Name: {b['rep_en']}"),
        ("Title: Vice President", "Title: Legal Representative"),
        ("Date: 12 March 2026", "Date: 12 March 2026"),
    ], 56)))

b = B["lishui"]
add("signer_h02_doc_en_deed_wang_caps", "en", "signer", "unknown", [("signer", "verified", "Wang Jianguo")],
    "English deed-style execution block with brackets, name in capitals: SIGNED by WANG JIANGUO for and on behalf of IUCG INVESTMENT CO., LTD. Registered signatory; document unregistered: unknown.",
    en_formal("lishui", date="3 February 2026", no="IUCG-INV-2026-0203", sig=f"""SIGNED by WANG JIANGUO                    )
Legal Representative                      )
for and on behalf of                      )     ____________________________
IUCG INVESTMENT CO., LTD.                 )

SIGNED by YE ZHIQIANG                     )
Legal Representative                      )
for and on behalf of                      )     ____________________________
{b['en'].upper()} )
"""))

b = B["xilin"]
add("signer_h03_doc_en_executed_tangrui", "en", "signer", "not_authorised", [("signer", "not_authorised", "Tang Rui")],
    "'EXECUTED by IUCG Investment Co., Ltd. acting by its authorised signatory' with 'Print name: Tang Rui / Position: Head of Legal Affairs'. Tang Rui is not a registered signatory.",
    en_formal("xilin", date="20 April 2026", no="IUCG-INV-2026-0420", amount="RMB 60,000,000 (sixty million yuan)", sig=f"""EXECUTED by IUCG Investment Co., Ltd.
acting by its authorised signatory:

Signature: ______________________
Print name: Tang Rui
Position: Head of Legal Affairs
Date: 20 April 2026


EXECUTED by {b['en']}
acting by its legal representative:

Signature: ______________________
Print name: {b['rep_en']}
Position: Legal Representative
Date: 20 April 2026
"""))

b = B["qiongzhong"]
add("signer_h04_doc_zh_fadingdaibiao_qianzi_wang", "zh", "signer", "unknown", [("signer", "verified", "王建国")],
    "甲方（盖章）/法定代表人（签字）：王建国 with a blank date line using ideographic spaces. Registered signatory: unknown.",
    zh_formal("qiongzhong", sig=f"""甲方（盖章）：国际联合建设集团投资有限公司

法定代表人（签字）：王建国

签订日期：2026年　　月　　日


乙方（盖章）：{b['zh']}

法定代表人（签字）：{b['rep_zh']}

签订日期：2026年　　月　　日
"""))

b = B["lishui"]
add("signer_h05_doc_zh_table_zhangwei_fuzong", "zh", "signer", "not_authorised", [("signer", "not_authorised", "张伟")],
    "Two-column Chinese signature table; Party A's '法定代表人或委托代理人（签字）：张伟　副总经理' (ideographic space before the title). 张伟 is not a registered signatory; Party B's 叶志强 on the right.",
    zh_formal("lishui", no="GJLH-TZ-2026-0408", sig=table([
        ("甲方（盖章）：国际联合建设集团投资有限公司", f"乙方（盖章）：{b['zh']}"),
        ("", ""),
        ("法定代表人或委托代理人（签字）：", "法定代表人或委托代理人（签字）："),
        ("张伟　副总经理", f"{b['rep_zh']}　董事长"),
        ("", ""),
        ("日期：2026年4月8日", "日期：2026年4月8日"),
    ], 52)))

b = B["changbai"]
add("signer_h06_doc_zh_weituo_daili_nospace", "zh", "signer", "not_authorised", [("signer", "not_authorised", "陈卫国")],
    "Legal representative line left blank, then '委托代理人：陈卫国副总裁' (title glued to the name, no space). 陈卫国 is not a registered signatory.",
    zh_formal("changbai", no="GJLH-TZ-2026-0522", sig=f"""甲方：国际联合建设集团投资有限公司（公章）
法定代表人：
委托代理人：陈卫国副总裁
（签字）
2026年5月22日

乙方：{b['zh']}（公章）
法定代表人：{b['rep_zh']}
委托代理人：
（签字）
2026年5月22日
"""))

b = B["xiangxi"]
add("signer_h07_doc_zh_nextline_limei", "zh", "signer", "unknown", [("signer", "verified", "李梅")],
    "'甲方授权代表（签字）：' with the name two lines below after a blank line. 李梅 is a registered signatory: unknown.",
    zh_formal("xiangxi", no="GJLH-TZ-2026-0318", sig=f"""甲方（盖章）：国际联合建设集团投资有限公司

甲方授权代表（签字）：

李梅

日期：2026年3月18日


乙方（盖章）：{b['zh']}

乙方法定代表人（签字）：

{b['rep_zh']}

日期：2026年3月18日
"""))

b = B["qiongzhong"]
add("signer_h08_doc_mixed_table_limei", "mixed", "signer", "unknown", [("signer", "verified", "Li Mei")],
    "Bilingual two-column signature table, name below a bilingual label: '李梅 Li Mei' on the left, Party B's 符海生 Fu Haisheng on the right. Registered signatory: unknown.",
    mixed("qiongzhong", sig=table([
        ("甲方 Party A（盖章 Seal）", "乙方 Party B（盖章 Seal）"),
        ("国际联合建设集团投资有限公司", b["zh"]),
        ("授权代表 Authorised Representative：", "法定代表人 Legal Representative："),
        ("李梅 Li Mei", f"{b['rep_zh']} {b['rep_en']}"),
        ("日期 Date：2026-06-30", "日期 Date：2026-06-30"),
    ], 52)))

b = B["helan"]
add("signer_h09_doc_zh_header_wang_signer_du", "zh", "signer", "not_authorised", [("signer", "not_authorised", "杜明远")],
    "The party block names 王建国 as Party A's legal representative (a description, not a signature); the signature page is signed by '授权签字人：杜明远（投资总监）', who is not a registered signatory.",
    zh_formal("helan", no="GJLH-TZ-2026-0611", sig=f"""甲方（公章）：国际联合建设集团投资有限公司
授权签字人：杜明远（投资总监）
签字日期：2026年6月11日

乙方（公章）：{b['zh']}
授权签字人：{b['rep_zh']}（总经理）
签字日期：2026年6月11日
"""))

# ---------------- fee ----------------
b = B["xilin"]
add("fee_h01_doc_zh_lvyue_baozhengjin", "zh", "fee", "fraud_risk", [("fee", "fraud_risk", "履约保证金")],
    "Clause 3.3 asks Party B for a 项目履约保证金 of ¥200,000 (refundable). Official account, signed by 王建国.",
    zh_formal("xilin", fee="3.3　为保障本协议的履行，乙方应于本协议签订之日起三个工作日内向甲方缴纳项目履约保证金人民币贰拾万元整（¥200,000.00），该款项于首期投资款到位后无息退还。\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司\n法定代表人（签字）：王建国\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["changbai"]
add("fee_h02_doc_zh_fengxian_pinggufei_personal", "zh", "fee", "fraud_risk",
    [("fee", "fraud_risk", "风险评估费"), ("bank_account", "not_authorised", "6228480012345678912")],
    "Clause 3.3: Party B bears 资金监管费及风险评估费 ¥38,000 paid to a named individual's account (张伟, ABC Shenzhen). A fee outside the exhaustive policy, into a non-official account.",
    zh_formal("changbai", fee="3.3　甲方为本项目开立资金监管账户，乙方应承担资金监管费及风险评估费合计人民币叁万捌仟元整（¥38,000.00），于首期投资款拨付前支付至甲方指定经办人账户：\n收款人：张伟\n开户行：中国农业银行深圳福田支行\n账号：6228 4800 1234 5678 912\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司\n法定代表人（签字）：王建国\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["lishui"]
add("fee_h03_doc_en_due_diligence_fee", "en", "fee", "fraud_risk", [("fee", "fraud_risk", "due diligence fee")],
    "Clause 2.3 asks for a due diligence fee of RMB 50,000 before disbursement, into the official account. Signed by Wang Jianguo.",
    en_formal("lishui", fee_clause="\n2.3 Prior to the disbursement of the first instalment, Party B shall pay Party A a due diligence fee of RMB 50,000 (fifty thousand yuan), which shall not be refundable in any circumstances.\n",
              sig=f"For and on behalf of Party A\nName: Wang Jianguo\nTitle: Legal Representative\nSignature: ________\n\nFor and on behalf of Party B\nName: {b['rep_en']}\nTitle: Legal Representative\nSignature: ________\n"))

b = B["xiangxi"]
add("fee_h04_doc_en_performance_guarantee", "en", "fee", "fraud_risk", [("fee", "fraud_risk", "performance guarantee")],
    "Clause 2.3 requires Party B to deposit a performance guarantee of RMB 600,000 (2% of the investment), refundable after completion. Official account, Li Mei signs.",
    en_formal("xiangxi", amount="RMB 30,000,000 (thirty million yuan)", fee_clause="\n2.3 As security for its obligations, Party B shall, within five (5) Business Days after signing, deposit with Party A a performance guarantee in the amount of RMB 600,000, being 2% of the Investment Amount, to be refunded without interest upon completion of the Project.\n",
              sig=f"Authorised Signatory of Party A: Li Mei\nSignature: ________    Date: ________\n\nAuthorised Signatory of Party B: {b['rep_en']}\nSignature: ________    Date: ________\n"))

b = B["qiongzhong"]
add("fee_h05_doc_zh_shuifei_yujiao", "zh", "fee", "fraud_risk", [("fee", "fraud_risk", "税费")],
    "Clause 3.3 asks Party B to pre-pay 本项目相关税费 ¥12,800 to Party A 'to be filed on its behalf'. Not an allowed fee. Official account, 王建国 signs.",
    zh_formal("qiongzhong", fee="3.3　乙方应于首期投资款拨付前，向甲方预缴本项目相关税费人民币壹万贰仟捌佰元整（¥12,800.00），由甲方代为申报缴纳。\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司\n法定代表人（签字）：王建国\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["helan"]
add("fee_h06_doc_en_processing_fee", "en", "fee", "fraud_risk", [("fee", "fraud_risk", "processing fee")],
    "Clause 2.3: a one-off processing fee of RMB 8,800 before the first instalment is released. Official account, Wang Jianguo signs.",
    en_formal("helan", fee_clause="\n2.3 A one-off processing fee of RMB 8,800 shall be paid by Party B to Party A within three (3) Business Days after the date of this Agreement. The first instalment shall not be released until such fee has been received in full.\n",
              sig=table([("PARTY A: IUCG Investment Co., Ltd.", f"PARTY B: {b['en']}"),
                         ("Signature: ______________", "Signature: ______________"),
                         ("Name: Wang Jianguo", f"Name: {b['rep_en']}"),
                         ("Title: Legal Representative", "Title: Legal Representative")], 50)))

b = B["xilin"]
add("fee_h07_doc_mixed_yanzifei", "mixed", "fee", "fraud_risk", [("fee", "fraud_risk", "验资费")],
    "Bilingual agreement asking for a 验资费 / capital verification fee of RMB 50,000 before the investment. Official account, Li Mei signs.",
    mixed("xilin", fee_zh="乙方应在甲方拨付投资款前向甲方缴纳验资费人民币伍万元整（¥50,000.00）。\n",
          fee_en="Before Party A disburses the investment, Party B shall pay Party A a capital verification fee of RMB 50,000.\n",
          sig=f"甲方授权代表 For Party A：李梅 Li Mei\n乙方法定代表人 For Party B：{b['rep_zh']} {b['rep_en']}\n"))

# ---------------- negation ----------------
b = B["changbai"]
add("negation_h01_doc_zh_bu_yi_renhe_mingyi", "zh", "negation", "unknown", [("signer", "verified", "王建国")],
    "Clause 3.3: '除前述投资收益及管理费外，甲方不以任何名义向乙方收取保证金、押金、手续费或其他任何费用。' Fees only named to be denied.",
    zh_formal("changbai", fee="3.3　除前述投资收益及管理费外，甲方不以任何名义向乙方收取保证金、押金、手续费或其他任何费用。\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司\n法定代表人（签字）：王建国\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["xiangxi"]
add("negation_h02_doc_en_shall_not_require", "en", "negation", "unknown", [("signer", "verified", "Wang Jianguo")],
    "Clause 2.3: 'Party A shall not require Party B to pay any deposit, processing fee, unlocking fee or other charge of any kind' and anyone asking is not acting for Party A.",
    en_formal("xiangxi", fee_clause="\n2.3 Other than the amounts set out in Clauses 2.1 and 2.2, Party A shall not require Party B to pay any deposit, processing fee, unlocking fee or other charge of any kind. Any person who requests such a payment in Party A's name does not act for Party A and should be reported to Party A's hotline.\n",
              sig=f"Signed by Wang Jianguo, Legal Representative, for and on behalf of IUCG Investment Co., Ltd.\n\n_____________________\n\nSigned by {b['rep_en']}, Legal Representative, for and on behalf of {b['en']}\n\n_____________________\n"))

b = B["lishui"]
add("negation_h03_doc_zh_fanzha_tishi", "zh", "negation", "unknown", [("signer", "verified", "李梅"), ("phone", "verified", "1055550100")],
    "An anti-fraud article: staff may not ask for transfers to personal accounts; Party A never charges 解冻费/验证金/通道费; call the official hotline 010-5555-0100.",
    zh_formal("lishui", verify="", extra="\n第五条之一　反诈骗特别提示\n甲方工作人员无权要求乙方向任何个人账户转账，甲方亦不会以任何理由收取“解冻费”“验证金”“通道费”等费用。如遇此类要求，请立即拨打甲方官方热线010-5555-0100核实。\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司\n授权代表（签字）：李梅\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["qiongzhong"]
add("negation_h04_doc_en_own_costs", "en", "negation", "unknown", [("signer", "verified", "Li Mei")],
    "Boilerplate 'Each Party shall bear its own legal costs, taxes and expenses' plus 'save for the investment returns and the management fee, no amount is payable by Party B to Party A'. No fee is asked for.",
    en_formal("qiongzhong", extra="\n5.2 Each Party shall bear its own legal costs, taxes and expenses incurred in connection with the negotiation and execution of this Agreement.\n\n5.3 Save for the investment returns and the management fee, no amount whatsoever is payable by Party B to Party A under or in connection with this Agreement.\n",
              sig=f"IUCG Investment Co., Ltd.\n\nBy: ______________________\nLi Mei, Authorised Representative\n\n{b['en']}\n\nBy: ______________________\n{b['rep_en']}, Legal Representative\n"))

b = B["helan"]
add("negation_h05_doc_mixed_wuxu_baozhengjin", "mixed", "negation", "unknown", [("signer", "verified", "Wang Jianguo")],
    "Bilingual: '本协议项下乙方无需缴纳任何保证金 / No security deposit is required' and '凡要求缴纳解冻费的均为诈骗 / any request for an unfreezing fee is a fraud'.",
    mixed("helan", fee_zh="本协议项下乙方无需缴纳任何保证金。凡以甲方名义要求缴纳解冻费的，均为诈骗。\n",
          fee_en="No security deposit is required from Party B under this Agreement. Any request made in Party A's name for an unfreezing fee is a fraud.\n",
          sig=f"甲方代表 Party A：王建国 Wang Jianguo（法定代表人 Legal Representative）\n乙方代表 Party B：{b['rep_zh']} {b['rep_en']}\n"))

# ---------------- party ----------------
b = B["xilin"]
add("party_h01_doc_zh_touzi_konggu", "zh", "party", "fraud_risk", [("company", "fraud_risk", "国际联合建设集团投资控股")],
    "Party A throughout is '国际联合建设集团投资控股有限公司' (控股 added), a lookalike of the investment subject. Official USCC, account and channels; signed by 王建国.",
    zh_formal("xilin", a_zh="国际联合建设集团投资控股有限公司", recital="甲方系国际联合建设集团控股的投资平台",
              sig=f"甲方（盖章）：国际联合建设集团投资控股有限公司\n法定代表人（签字）：王建国\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["changbai"]
add("party_h02_doc_en_iucg_capital_holdings", "en", "party", "fraud_risk", [("company", "fraud_risk", "IUCG Capital Holdings")],
    "Party A is 'IUCG Capital Holdings Ltd', claimed to be a subsidiary of International Union Construction Group: a lookalike of IUCG Investment Co., Ltd. Official account number and channels; Wang Jianguo signs.",
    en_formal("changbai", a_en="IUCG Capital Holdings Ltd", recital_a="Party A is a wholly-owned subsidiary of International Union Construction Group responsible for its project investments.",
              sig=f"For and on behalf of IUCG Capital Holdings Ltd\nBy: ______________\nName: Wang Jianguo\nTitle: Legal Representative\n\nFor and on behalf of {b['en']}\nBy: ______________\nName: {b['rep_en']}\nTitle: Legal Representative\n"))

b = B["xiangxi"]
add("party_h03_doc_zh_genuine_ideographic_label", "zh", "party", "unknown", [("company", "verified", "国际联合建设集团投资有限公司")],
    "Genuine Party A written with an ideographic-space padded label '甲　　方：'. Otherwise clean, 王建国 signs.",
    zh_formal("xiangxi", a_label="甲　　方：",
              sig=f"甲　　方（盖章）：国际联合建设集团投资有限公司\n法定代表人（签字）：王建国\n\n乙　　方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

b = B["lishui"]
add("party_h04_doc_en_united_not_union", "en", "party", "fraud_risk", [("company", "fraud_risk", "International United Construction Group")],
    "Party A is 'International United Construction Group Investment Co., Ltd.' (United for Union). Official account number and channels; Wang Jianguo signs.",
    en_formal("lishui", a_en="International United Construction Group Investment Co., Ltd.", recital_a="Party A is the investment arm of its group and makes project investments on its behalf.",
              sig=f"Party A: International United Construction Group Investment Co., Ltd. (seal)\nAuthorised signatory: Wang Jianguo\n\nParty B: {b['en']} (seal)\nAuthorised signatory: {b['rep_en']}\n"))

# ---------------- contact ----------------
b = B["helan"]
add("contact_h01_doc_en_other_account", "en", "contact", "not_authorised", [("bank_account", "not_authorised", "6217003319284475061")],
    "Payments go to an account in Party A's name at China Construction Bank, Guangzhou Tianhe Branch, 6217 0033 1928 4475 061: not the group's account (exhaustive channel policy). Otherwise official; Wang Jianguo signs.",
    en_formal("helan", acct="    Beneficiary: IUCG Investment Co., Ltd.\n    Bank: China Construction Bank, Guangzhou Tianhe Branch\n    Account No.: 6217 0033 1928 4475 061",
              sig=f"For Party A (seal): IUCG Investment Co., Ltd.\nLegal Representative: Wang Jianguo\n\nFor Party B (seal): {b['en']}\nLegal Representative: {b['rep_en']}\n"))

b = B["qiongzhong"]
add("contact_h02_doc_zh_wang_other_mobile", "zh", "contact", "fraud_risk", [("phone", "fraud_risk", "18622334455")],
    "The party block gives '项目联系人：王建国　手机：186 2233 4455': Wang Jianguo's name with a number that is not his (his is 138 0013 8000).",
    zh_formal("qiongzhong", contact="项目联系人：王建国　手机：186 2233 4455\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司\n法定代表人（签字）：王建国\n\n乙方（盖章）：{b['zh']}\n法定代表人（签字）：{b['rep_zh']}\n"))

# ---------------- clean ----------------
b = B["xilin"]
add("clean_h01_doc_en_limei_fullwidth", "en", "clean", "unknown", [("signer", "verified", "Li Mei")],
    "Clean English agreement; signature block with full-width colons 'Name：Ms. Li Mei'. Official channels only.",
    en_formal("xilin", sig=f"Party A：IUCG Investment Co., Ltd.\nAuthorised Signatory：________________\nName：Ms. Li Mei\nTitle：Authorised Representative\n\nParty B：{b['en']}\nAuthorised Signatory：________________\nName：Mr. {b['rep_en']}\nTitle：Legal Representative\n"))

b = B["changbai"]
add("clean_h02_doc_zh_wang_limei_contact", "zh", "clean", "unknown", [("signer", "verified", "王建国"), ("phone", "verified", "13900139000")],
    "Clean Chinese agreement; 甲方联系人 李梅 with her registered mobile 139-0013-9000 and email; 王建国 signs.",
    zh_formal("changbai", contact="甲方联系人：李梅　电话：139-0013-9000　邮箱：li.mei@iucg.example\n",
              sig=f"甲方（盖章）：国际联合建设集团投资有限公司　　　　乙方（盖章）：{b['zh']}\n法定代表人（签字）：王建国　　　　　　　　　　　　法定代表人（签字）：{b['rep_zh']}\n"))

b = B["lishui"]
add("clean_h03_doc_mixed_supplementary", "mixed", "clean", "unknown", [("signer", "verified", "Wang Jianguo")],
    "Bilingual supplementary agreement (补充协议) changing the payment dates only; allowed fees, official account, Wang Jianguo signs.",
    mixed("lishui", title="补充协议 Supplementary Agreement",
          extra_zh="双方同意将管理费的支付日由每年1月15日调整为每年3月31日，原协议其他条款不变。\n",
          extra_en="The Parties agree to move the management fee payment date from 15 January to 31 March of each year; all other terms of the original agreement remain unchanged.\n",
          sig=f"甲方（盖章）Party A (seal)：国际联合建设集团投资有限公司\n法定代表人 Legal Representative：王建国 Wang Jianguo\n\n乙方（盖章）Party B (seal)：{b['zh']}\n法定代表人 Legal Representative：{b['rep_zh']} {b['rep_en']}\n"))
