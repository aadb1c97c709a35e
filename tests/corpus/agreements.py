"""The corpus's agreements, category by category. Each template starts from the clean skeleton
(clauses.py) and changes one thing, which is the only cause of its expected outcome; the rest
stays official (the official account, hotline, email and website, allowed fees only), or, for
the fee fakes, at most pays into an account that is not the group's (not_authorised), so that a
checker that misses the cause gets the outcome wrong.
"""

import itertools

import clauses as C
import signatures as S
from register import (ACCOUNT_DIGITS, EMAIL, ENTITY_EN, ENTITY_USCC, ENTITY_ZH, HOTLINE_DIGITS,
                      LI, ORG_EN, ORG_ZH, PARTY_B, TITLES, UNLISTED_PEOPLE, WANG,
                      WARNED_ACCOUNT_DIGITS, WARNED_ACCOUNT_FORMS, WARNED_PHONE_DIGITS,
                      WARNED_PHONE_FORMS, WARNED_SITE, other_account, other_mobile, uscc)

FEMALE = {"孙丽娟", "马晓燕", "冯雪梅", "李梅"}


def F(field, result, contains):
    return {"field": field, "result": result, "contains": contains}


def person(zh, en, title_en, title_zh):
    return {"zh": zh, "en": en, "title_en": title_en, "title_zh": title_zh,
            "honorific": "Ms." if zh in FEMALE else "Mr."}


WANG_P = person(WANG["zh"], WANG["en"], "Legal Representative", "法定代表人")
LI_P = person(LI["zh"], LI["en"], "Authorised Representative", "授权代表")


class Gen:
    """Shared state: the seeded generator, and cycles over Party B and unlisted people."""

    def __init__(self, rng):
        self.rng = rng
        self._pb = itertools.cycle(PARTY_B)
        self._people = itertools.cycle(UNLISTED_PEOPLE)
        self._titles = itertools.cycle(TITLES)

    def deal(self):
        return C.Deal(self.rng, next(self._pb))

    def unlisted(self):
        zh, en = next(self._people)
        t_en, t_zh = next(self._titles)
        return person(zh, en, t_en, t_zh)


def item(category, lang, fmt, slug, blocks, outcome, findings, note):
    return {"kind": "agreement", "category": category, "language": lang, "format": fmt,
            "slug": slug, "blocks": blocks, "expected_outcome": outcome,
            "expected_findings": findings, "note": note}


def split_pages(blocks, marker="¦"):
    """Splits the paragraph holding `marker` across a page break at that point."""
    out = []
    for b in blocks:
        if b[0] == "p" and marker in b[1]:
            before, after = b[1].split(marker)
            out += [("p", before), ("break",), ("p", after)]
        else:
            out.append(b)
    return out


# --- signer ------------------------------------------------------------------------------------
# Who signs for Party A. An unlisted person under the exhaustive signing policy is
# not_authorised; Wang Jianguo and Li Mei are registered signatories (verified; the document
# stays unknown, being unregistered).

SIGNER_PLAN = [
    # (style, listed person or None for an unlisted one, format)
    ("signed_for", None, "txt"), ("signed_for", WANG_P, "pdf"),
    ("on_behalf", None, "docx"), ("on_behalf", LI_P, "txt"),
    ("authorised_rep", None, "pdf"), ("authorised_rep", LI_P, "docx"),
    ("seal_line", None, "txt"), ("seal_line", WANG_P, "pdf"),
    ("honorific_en", None, "pdf"), ("honorific_en", WANG_P, "txt"),
    ("table_en", None, "docx"), ("table_en", LI_P, "pdf"),
    ("next_line_en", None, "txt"), ("next_line_en", WANG_P, "docx"),
    ("seal_zh", None, "pdf"), ("seal_zh", WANG_P, "docx"),
    ("qianyue_zh", None, "txt"), ("qianyue_zh", LI_P, "pdf"),
    ("jingban_zh", None, "docx"), ("jingban_zh", WANG_P, "txt"),
    ("shouquan_zh", None, "pdf"), ("shouquan_zh", LI_P, "txt"),
    ("honorific_zh", None, "txt"), ("honorific_zh", WANG_P, "pdf"),
    ("xiansheng_zh", None, "docx"), ("xiansheng_zh", WANG_P, "pdf"),
    ("table_zh", None, "pdf"), ("table_zh", WANG_P, "docx"),
    ("next_line_zh", None, "pdf"), ("next_line_zh", LI_P, "txt"),
    ("table_mixed", None, "docx"), ("table_mixed", WANG_P, "pdf"),
    ("seal_mixed", None, "txt"), ("seal_mixed", LI_P, "docx"),
]


def signer_items(g):
    out = []
    for n, (style, listed, fmt) in enumerate(SIGNER_PLAN):
        deal = g.deal()
        lang = S.lang_of(style)
        who = listed or g.unlisted()
        if style in ("seal_line",):
            who = dict(who, title_en="Legal representative")
        sig, written = S.sign(style, deal, who)
        blocks = C.agreement(deal, lang, sig=sig, en={}, zh={})
        if listed:
            outcome, result = "unknown", "verified"
            note = (f"Clean agreement signed for Party A by {who['en']} ({who['zh']}), a "
                    f"registered signatory, written in the '{style}' style; Party B's "
                    f"{deal.b_rep_en} signs for Party B only. Unregistered document: unknown.")
        else:
            outcome, result = "not_authorised", "not_authorised"
            note = (f"Everything official except Party A's signer, {who['en']} ({who['zh']}), "
                    f"{who['title_en']}, who is no registered signatory under the exhaustive "
                    f"signing policy ('{style}' style). Party B's {deal.b_rep_en} signs for "
                    "Party B and must not be checked against the policy.")
        out.append(item("signer", lang, fmt, f"{style}_{'listed' if listed else 'unlisted'}",
                        blocks, outcome, [F("signer", result, written)], note))
    return out


# --- fee ---------------------------------------------------------------------------------------
# One fee the exhaustive fee policy (investment returns and management fees only) does not
# allow, with an amount. (lang, contains, heading, text with {amt})

FEES = [
    ("zh", "保证金", "投资保证金", "为确保乙方诚意履约，乙方应于本协议签订之日起三个工作日内向甲方缴纳投资保证金{amt}，"
     "首期投资款到位后予以退还。"),
    ("zh", "履约保证金", "履约担保", "乙方须在首期资金拨付前缴纳履约保证金{amt}，逾期未缴纳的，甲方有权暂停拨付。"),
    ("zh", "工程保证金", "工程保证金", "项目开工前，乙方须向甲方指定账户缴纳工程保证金{amt}，竣工验收合格后无息退还。"),
    ("zh", "解冻费", "资金解冻", "因首期投资款在划转过程中被银行风控系统冻结，乙方须于三日内缴纳资金解冻费{amt}，"
     "逾期视为乙方自动放弃投资。"),
    ("zh", "解冻金", "账户解冻", "乙方项目专户因流水异常被临时冻结，须由乙方缴纳解冻金{amt}，解冻后连同投资款一并返还。"),
    ("zh", "验证金", "还款能力验证", "为验证乙方的资金实力，乙方须向甲方指定账户转入验证金{amt}，验证完成后原路退回。"),
    ("zh", "保证金测试", "账户测试", "放款前乙方须配合完成“保证金测试”，向指定账户转入测试资金{amt}，测试通过后即行放款。"),
    ("zh", "通道费", "资金通道", "投资款须经跨境专用资金通道划拨，通道费{amt}由乙方承担，于放款前付清。"),
    ("zh", "出款通道激活", "出款通道", "乙方须缴纳出款通道激活费用{amt}，通道激活后甲方于24小时内出款。"),
    ("zh", "风险金", "风险准备", "乙方应按投资额的1%缴纳风险金{amt}，作为项目风险准备。"),
    ("zh", "交易背景风险金", "交易背景核查", "经甲方风控部门审核，乙方交易背景存疑，须缴纳交易背景风险金{amt}后方可放款。"),
    ("zh", "保险报备金", "保险报备", "投资款拨付前须向保险机构报备，乙方应缴纳保险报备金{amt}。"),
    ("zh", "个人所得税", "税费预缴", "乙方法定代表人须在投资款到账前预先缴纳个人所得税{amt}，完税后方可放款。"),
    ("zh", "冲刷征信", "征信修复", "乙方征信报告存在不良记录，须先行支付冲刷征信费用{amt}，由甲方安排专人处理。"),
    ("zh", "项目启动资金", "启动资金", "乙方须先行向甲方账户垫付项目启动资金{amt}，用于项目前期工作。"),
    ("zh", "会员报名费", "会员资格", "乙方须加入甲方投资俱乐部并缴纳会员报名费{amt}，方可享受投资资格。"),
    ("zh", "介绍费", "居间费用", "乙方应向项目推荐人支付介绍费{amt}，由甲方代收。"),
    ("zh", "公关费", "协调费用", "为协调相关审批，乙方须向甲方支付公关费{amt}。"),
    ("zh", "预付款", "预付款", "本协议签订后五日内，乙方应向甲方支付预付款{amt}，作为甲方启动尽职调查的前提。"),
    ("zh", "公证费", "合同公证", "本协议须经公证后生效，公证费{amt}由乙方于签约当日支付至甲方账户。"),
    ("zh", "审计费", "专项审计", "甲方委托第三方对乙方进行专项审计，审计费{amt}由乙方承担并预先支付。"),
    ("zh", "手续费", "划拨手续", "每期投资款划拨时，乙方须按划拨金额的0.5%向甲方支付手续费，首期手续费为{amt}。"),
    ("en", "withdrawal fee", "Release of funds", "Before each tranche can be withdrawn, Party B "
     "shall pay a withdrawal fee of {amt}."),
    ("en", "activation fee", "Project account", "The project account opened for Party B becomes "
     "usable after Party B pays an account activation fee of {amt}."),
    ("en", "deposit", "Security deposit", "Within three working days after signing, Party B shall "
     "pay Party A a refundable security deposit of {amt}."),
    ("en", "tax in advance", "Taxes", "Party B's legal representative shall pay the individual "
     "income tax in advance, {amt}, before the first tranche is released."),
    ("en", "notarization fee", "Notarization", "This Agreement shall be notarized; the "
     "notarization fee of {amt} is payable by Party B on signing."),
    ("en", "audit fee", "Special audit", "Party B shall bear and pay in advance an audit fee of "
     "{amt} for the special audit of the Project commissioned by Party A."),
    ("en", "handling fee", "Transfer", "A handling fee of {amt} is payable by Party B on each "
     "transfer of investment funds."),
    ("en", "performance bond", "Performance security", "Before the first tranche is released, "
     "Party B shall lodge a performance bond of {amt} with Party A, to be returned on completion."),
    ("en", "unfreezing fee", "Frozen funds", "The first tranche has been frozen by the clearing "
     "bank's risk control; Party B shall pay an unfreezing fee of {amt} within 48 hours."),
    ("en", "channel fee", "Payment channel", "The funds are remitted through a dedicated "
     "cross-border payment channel; the channel fee of {amt} is borne by Party B."),
    ("en", "verification deposit", "Solvency check", "Party B shall transfer a verification "
     "deposit of {amt} to prove its solvency; it is returned after the check."),
    ("en", "membership registration fee", "Membership", "Party B shall join Party A's investor "
     "club and pay a membership registration fee of {amt}."),
]

# Two fees paid to a person, not to the group (the fee itself is the cause; the personal
# account is unlisted, not_authorised).
PERSONAL = [
    ("zh", "个人账户", "管理费支付", "经双方协商，首年管理费{amt}由乙方转入甲方财务负责人个人账户，以便尽快办理放款手续。"),
    ("en", "personal account", "Payment of the first management fee", "The first management fee "
     "of {amt} shall be paid into the personal account of Party A's finance officer, so that "
     "the first tranche can be released without delay."),
]


PINYIN = {"保证金": "baozhengjin", "履约保证金": "lvyue_baozhengjin", "工程保证金": "gongcheng_baozhengjin",
          "解冻费": "jiedongfei", "解冻金": "jiedongjin", "验证金": "yanzhengjin",
          "保证金测试": "baozhengjin_ceshi", "通道费": "tongdaofei", "出款通道激活": "chukuan_tongdao_jihuo",
          "风险金": "fengxianjin", "交易背景风险金": "jiaoyi_beijing_fengxianjin",
          "保险报备金": "baoxian_baobeijin", "个人所得税": "geren_suodeshui",
          "冲刷征信": "chongshua_zhengxin", "项目启动资金": "xiangmu_qidong_zijin",
          "会员报名费": "huiyuan_baomingfei", "介绍费": "jieshaofei", "公关费": "gongguanfei",
          "预付款": "yufukuan", "公证费": "gongzhengfei", "审计费": "shenjifei", "手续费": "shouxufei"}


def fee_items(g):
    out = []
    plan = FEES + PERSONAL
    fmts = itertools.cycle(["pdf", "txt", "docx", "txt", "pdf"])
    for n, (lang, contains, heading, text) in enumerate(plan):
        deal = g.deal()
        fmt = next(fmts)
        yuan = g.rng.choice([38_000, 86_000, 120_000, 150_000, 260_000, 300_000, 500_000,
                             680_000, 1_200_000])
        amt = C.rmb_zh(yuan, capital=n % 2 == 0) if lang == "zh" else C.rmb_en(yuan)
        clause = (heading, text.format(amt=amt))
        personal = (heading, text) in [(p[2], p[3]) for p in PERSONAL]
        unlisted = personal or n % 3 != 2
        findings = [F("fee", "fraud_risk", contains)]
        layout = "plain"
        # A few fee clauses are split across a page break or set in two columns (PDF).
        split = fmt == "pdf" and n % 5 == 0
        if fmt == "pdf" and n % 5 == 4:
            layout = "cols"
        if split:
            head, sep, tail = clause[1].partition("，") if lang == "zh" else clause[1].partition(", ")
            clause = (clause[0], head + sep + "¦" + tail) if sep else clause
        kw = {"fee": [clause]}
        if unlisted:
            acct = other_account(g.rng)
            holder = None
            if personal:
                holder = "周建华" if lang == "zh" else "Zhou Jianhua"
            kw["account"] = (C.other_account_zh if lang == "zh" else C.other_account_en)(acct, holder)
            findings.append(F("bank_account", "not_authorised", acct["digits"]))
        blocks = C.agreement(deal, lang, layout=layout, **{"zh" if lang == "zh" else "en": kw})
        if split:
            blocks = split_pages(blocks)
        where = " (the clause runs across a page break)" if split else (
            " (articles in two columns)" if layout == "cols" else "")
        pay = ("payments go to an unlisted account (not_authorised only)" if unlisted
               else "payments go to the official account")
        note = (f"One fee the policy does not allow: '{contains}', {amt}{where}; {pay}. Signed by "
                "Wang Jianguo, official channels. Without the fee finding the outcome would be "
                + ("not_authorised." if unlisted else "unknown."))
        slug = "personal_account" if personal else PINYIN.get(contains, contains.replace(" ", "_"))
        out.append(item("fee", lang, fmt, f"{lang}_{slug}", blocks, "fraud_risk", findings, note))
    return out


# --- negation ----------------------------------------------------------------------------------
# Fees named only to say they are not charged, beside the allowed investment returns and
# management fee. Otherwise clean: unknown, and no fee finding may be fraud_risk.

NEGATIONS = [
    ("en", "No other charges", "Apart from the investment returns and the management fee, no "
     "other fee is payable. No deposit is required from Party B at any stage."),
    ("en", "No other charges", "Party A does not charge any notarisation fee, audit fee, handling "
     "fee or unfreezing fee, and will never ask for one."),
    ("en", "No other charges", "Party B is not required to pay any guarantee deposit, performance "
     "bond or processing fee to Party A or to any third party."),
    ("en", "Fraud warning", "Beware of anyone asking for an \"unfreezing fee\", a \"verification "
     "deposit\" or \"tax in advance\" in Party A's name: Party A never asks for them. Report any "
     "such request to the anti-fraud hotline."),
    ("en", "No other charges", "Party A will never ask Party B to pay money into a personal "
     "account, and charges no activation fee, withdrawal fee or channel fee."),
    ("en", "No other charges", "Neither a membership registration fee nor an introduction fee is "
     "payable in connection with this Agreement. No other fee is payable."),
    ("en", "No other charges", "Party B shall not be asked to advance any start-up funds, "
     "public-relations fees or prepayments. The investment returns and the management fee are "
     "the only amounts payable to Party A."),
    ("zh", "其他费用", "除投资收益和管理费外，甲方不收取任何其他费用，包括但不限于手续费、公证费、审计费、解冻费。"),
    ("zh", "其他费用", "甲方不收取任何保证金、履约保证金或工程保证金。乙方无需向甲方支付任何其他费用。"),
    ("zh", "防范诈骗提示", "甲方从未要求乙方缴纳任何费用。凡以甲方名义要求缴纳“解冻金”“验证金”“通道费”的，均系诈骗，请立即拨打甲方反诈骗热线核实。"),
    ("zh", "其他费用", "乙方无需预先缴纳个人所得税或任何税费，亦无需进行所谓“保证金测试”。"),
    ("zh", "其他费用", "本项目不设会员报名费、介绍费、公关费，甲方亦不要求乙方垫付项目启动资金。"),
    ("zh", "付款安全", "甲方不会要求乙方向任何个人账户转账，也不收取风险金、保险报备金或冲刷征信等费用。"),
    ("zh", "其他费用", "甲方不收取预付款、出款通道激活费或交易背景风险金。除本协议约定的投资收益和管理费外，乙方无需支付其他任何款项。"),
]

NEGATIONS_MIXED = [
    (("No other charges", "No other fee is payable. No deposit, guarantee fee or notarisation "
      "fee is required."),
     ("其他费用", "乙方无需支付其他任何费用，甲方不收取保证金、担保费或公证费。")),
    (("Fraud warning", "Party A never charges an unfreezing fee or a verification deposit."),
     ("防骗提示", "甲方从不收取解冻费或验证金，谨防上当。")),
    (("No other charges", "Party A does not charge handling fees, audit fees or any advance "
      "payment."),
     ("其他费用", "甲方不收取手续费、审计费或任何预付款。")),
]


def negation_items(g):
    out = []
    fmts = itertools.cycle(["txt", "pdf", "docx", "pdf", "txt"])
    for n, (lang, heading, text) in enumerate(NEGATIONS):
        deal = g.deal()
        fmt = next(fmts)
        who = LI_P if n % 3 == 1 else WANG_P
        kw = {"no_other_fee": text}
        if n % 2 == 0:
            who = WANG_P
        sig = C.default_sig(deal, lang, who)
        layout = "cols" if fmt == "pdf" and n % 4 == 1 else "plain"
        if heading not in ("No other charges", "其他费用"):
            kw = {"extra": [(heading, text)]}
        blocks = C.agreement(deal, lang, layout=layout, sig=sig,
                             **{"zh" if lang == "zh" else "en": kw})
        name = who["zh"] if lang == "zh" else who["en"]
        out.append(item("negation", lang, fmt, f"{lang}_{n:02d}", blocks, "unknown",
                        [F("signer", "verified", name)],
                        f"Clean agreement whose only fee words are negated: {text!r} The "
                        f"investment returns ({deal.rate}%) and management fee ({deal.mgmt}%) "
                        "are allowed. No fee finding may be fraud_risk: unknown."))
    for n, (en, zh) in enumerate(NEGATIONS_MIXED):
        deal = g.deal()
        fmt = ["docx", "pdf", "txt"][n]
        key = "no_other_fee" if en[0] == "No other charges" else "extra"
        val_en = en[1] if key == "no_other_fee" else [en]
        val_zh = zh[1] if key == "no_other_fee" else [zh]
        blocks = C.agreement(deal, "mixed", en={key: val_en}, zh={key: val_zh})
        out.append(item("negation", "mixed", fmt, f"mixed_{n:02d}", blocks, "unknown",
                        [F("signer", "verified", WANG_P["en"])],
                        f"Bilingual clean agreement; fees named only in negation: {en[1]!r} / "
                        f"{zh[1]!r}. Unknown, no fee finding fraud_risk."))
    return out


# --- party -------------------------------------------------------------------------------------
# Who Party A claims to be. A lookalike of the group's or its investment subject's name is
# fraud_risk (the rest is official, signed by Wang Jianguo); the genuine names, however they
# are labelled and laid out, are verified.

LOOKALIKES = [
    ("zh", "国际联合建设集团投资控股有限公司", "extra words (投资控股)"),
    ("zh", "国际联合建设集团（深圳）投资管理有限公司", "a city and 投资管理 added"),
    ("zh", "国际联合建设投资集团有限公司", "words reordered"),
    ("zh", "国际联合建设集团投资基金管理有限公司", "基金管理 added"),
    ("zh", "国际联合建设集团资产管理（海南）有限公司", "资产管理 and a province"),
    ("zh", "国际联合建设集团投资有限责任公司", "有限责任公司 for 有限公司"),
    ("zh", "国际联和建设集团投资有限公司", "联和 for 联合 (a homophone)"),
    ("zh", "国际联合建設集团投资有限公司", "traditional 設 for 设"),
    ("en", "IUCG Investment Holdings Co., Ltd.", "Holdings added"),
    ("en", "International Union Construction Group (Hong Kong) Investment Limited", "Hong Kong added"),
    ("en", "International Union Construction Group Investment Management Co., Ltd.", "Investment Management added"),
    ("en", "IUCG Investment Management (Shenzhen) Co., Ltd.", "Management and a city added"),
    ("en", "International Union Constructions Group", "a plural s"),
    ("en", "Internationa1 Union Construction Group", "digit 1 for the letter l"),
    ("en", "IUCG Invеstment Co., Ltd.", "a Cyrillic е in Investment"),
    ("en", "International Union Construction Group Co., Ltd.", "Co., Ltd. added to the group's name"),
    ("en", "International Union Construction (Group) Investment Co., Ltd.", "(Group) in brackets"),
]

# Genuine names with labels and layouts around them that are not part of the name:
# (lang, Party A block, signature style or None, contains, what is tested)
GENUINE = [
    ("en", f"Party A (seal): {ORG_EN}    Legal representative: {WANG['en']}", "seal_line", ORG_EN,
     "the group's name followed on the same line by a legal-representative label"),
    ("zh", f"甲方（盖章）：{ENTITY_ZH}　　法定代表人：{WANG['zh']}", None, ENTITY_ZH,
     "the entity's name followed by an ideographic space and a label"),
    ("en", f"Party A: {ENTITY_EN} (hereinafter \"Party A\")\nUSCC: {ENTITY_USCC}", None, ENTITY_EN,
     "a hereinafter clause after the name"),
    ("zh", f"甲方：{ENTITY_ZH}（以下简称“甲方”）\n统一社会信用代码：{ENTITY_USCC}", None, ENTITY_ZH,
     "以下简称 after the name"),
    ("en", "Party A: ＩＵＣＧ Investment Co., Ltd.\nUnified Social Credit Code: " + ENTITY_USCC, None,
     ENTITY_EN, "full-width IUCG (NFKC)"),
    ("en", "PARTY A: IUCG INVESTMENT CO., LTD.\nUNIFIED SOCIAL CREDIT CODE: " + ENTITY_USCC, None,
     ENTITY_EN, "the name in capitals"),
    ("zh", f"甲方名称：{ENTITY_ZH}，统一社会信用代码：{ENTITY_USCC}，住所：北京市朝阳区朝阳公园路6号。", None,
     ENTITY_ZH, "name, code and address on one line"),
    ("zh", f"甲方（投资人）：{ORG_ZH}\n投资主体：{ENTITY_ZH}", "table_zh", ORG_ZH,
     "the group's name and its investment subject on two labelled lines"),
    ("en", f"Investor (\"Party A\"): {ORG_EN}, acting through its investment subject {ENTITY_EN}",
     None, ORG_EN, "the group acting through its investment subject"),
    ("mixed", f"Party A 甲方：{ENTITY_EN}（{ENTITY_ZH}）\nUSCC 统一社会信用代码：{ENTITY_USCC}", "table_mixed",
     ENTITY_ZH, "English name with the Chinese name in full-width brackets"),
    ("zh", f"甲方：{ENTITY_ZH}\n统一社会信用代码：{ENTITY_USCC}", "seal_zh", ENTITY_USCC,
     "the entity's USCC"),
]


def distinctive(name):
    """A lookalike's name without its legal form, which a reader may normalise or cut."""
    for suffix in (" Co., Ltd.", " Limited", "有限公司"):
        if name.endswith(suffix) and not name.endswith("有限责任公司"):
            return name[: -len(suffix)]
    return name


def party_items(g):
    out = []
    fmts = itertools.cycle(["pdf", "docx", "txt", "pdf", "txt"])
    for n, (lang, name, how) in enumerate(LOOKALIKES):
        deal = g.deal()
        fmt = next(fmts)
        if lang == "zh":
            block = f"甲方（投资方）：{name}\n住所：深圳市福田区福华三路88号"
            style = ["seal_zh", "table_zh", "qianyue_zh"][n % 3]
        else:
            block = f"Party A (Investor): {name}\nAddress: Suite 2301, 88 Fuhua 3rd Road, Futian, Shenzhen"
            style = ["table_en", "on_behalf", "seal_line"][n % 3]
        if n % 4 == 1:
            code = uscc("91440300MA5" + "".join(g.rng.choice("0123456789ABCDEFGH") for _ in range(6)))
            block += ("\n统一社会信用代码：" if lang == "zh" else "\nUnified Social Credit Code: ") + code
        sig, _ = S.sign(style, deal, WANG_P, entity=name)
        blocks = C.agreement(deal, lang, party_a=block, sig=sig)
        out.append(item("party", lang, fmt, f"lookalike_{lang}_{n:02d}", blocks, "fraud_risk",
                        [F("company", "fraud_risk", distinctive(name))],
                        f"Party A is {name!r}, a lookalike of the group's names ({how}). All else "
                        "official and signed 'by Wang Jianguo'; without the company finding the "
                        "outcome would not be fraud_risk."))
    for n, (lang, block, style, contains, how) in enumerate(GENUINE):
        deal = g.deal()
        fmt = next(fmts)
        sig = S.sign(style, deal, WANG_P)[0] if style else None
        blocks = C.agreement(deal, lang, party_a=block, sig=sig)
        out.append(item("party", lang, fmt, f"genuine_{lang}_{n:02d}", blocks, "unknown",
                        [F("company", "verified", contains)],
                        f"Party A is the genuine {contains!r}: {how}. The labels around it are "
                        "not part of the name. Otherwise clean: unknown."))
    return out


# --- contact -----------------------------------------------------------------------------------
# One contact detail changed: a warned phone, website or account (fraud_risk), a lookalike
# website (fraud_risk), a signatory's name with a phone that is not theirs (fraud_risk), an
# unlisted account or website under the exhaustive channel policy (not_authorised), or only
# official ones (verified findings, the document unknown).


def contact_items(g):
    out = []
    R = g.rng

    def add(lang, fmt, slug, outcome, finding, note, **kw):
        deal = g.deal()
        args = {k: (v(deal) if callable(v) else v) for k, v in kw.items()}
        blocks = C.agreement(deal, lang, **{"zh" if lang == "zh" else "en": args})
        out.append(item("contact", lang, fmt, slug, blocks, outcome, finding, note))

    w1, w2, w3 = WARNED_PHONE_FORMS[1], WARNED_PHONE_FORMS[2], WARNED_PHONE_FORMS[0]
    add("zh", "pdf", "warned_phone_liaison_zh", "fraud_risk", [F("phone", "fraud_risk", WARNED_PHONE_DIGITS)],
        f"All official except Party A's project liaison's mobile {w1}, the warned number.",
        extra=[("项目联络", f"甲方指定赵经理为本项目联络人，手机：{w1}（微信同号），乙方应与其保持日常沟通。")])
    add("en", "txt", "warned_phone_liaison_en", "fraud_risk", [F("phone", "fraud_risk", WARNED_PHONE_DIGITS)],
        f"All official except the liaison officer's mobile {w3}, the warned number.",
        extra=[("Liaison", f"Party A's liaison officer for the Project is Mr. Zhao (mobile {w3}).")])
    add("zh", "docx", "warned_phone_hotline_zh", "fraud_risk", [F("phone", "fraud_risk", WARNED_PHONE_DIGITS)],
        f"The 'investment hotline' given for verification is the warned {w2}; email and website official.",
        contacts=f"投资服务热线{w2}，电子邮箱{EMAIL}，官方网站 https://iucg.example")
    add("en", "pdf", "warned_website_en", "fraud_risk", [F("website", "fraud_risk", WARNED_SITE)],
        "Verification is sent to https://iucg-invest.example/verify, the warned cloned website.",
        contacts=lambda d: f"anti-fraud hotline {d.hotline}, email {EMAIL}, online verification at https://{WARNED_SITE}/verify")
    add("zh", "txt", "warned_website_zh", "fraud_risk", [F("website", "fraud_risk", WARNED_SITE)],
        "乙方 is told to download the contract from www.iucg-invest.example, the warned website.",
        extra=[("电子合同", f"本协议电子版可登录 www.{WARNED_SITE} 下载并在线签署。")])
    add("en", "docx", "warned_account_en", "fraud_risk", [F("bank_account", "fraud_risk", WARNED_ACCOUNT_DIGITS)],
        "Payments go to the warned account 6217 0000 9999 8888 777; only allowed fees.",
        account=f"Account name: {ENTITY_EN}\nBank: China Construction Bank, Guangzhou Tianhe Branch\nAccount number: {WARNED_ACCOUNT_FORMS[0]}")
    add("zh", "pdf", "warned_account_zh", "fraud_risk", [F("bank_account", "fraud_risk", WARNED_ACCOUNT_DIGITS)],
        "付款账户为被警示的账户 6217000099998888777（无空格）。",
        account=f"户名：{ENTITY_ZH}\n开户行：中国建设银行广州天河支行\n账号：{WARNED_ACCOUNT_FORMS[1]}")
    a1, a2 = other_account(R), other_account(R)
    add("en", "pdf", "unlisted_account_en", "not_authorised", [F("bank_account", "not_authorised", a1["digits"])],
        f"All official but the payment account {a1['text']} ({a1['en_bank']}), which is not the group's; the channel policy lists all its accounts.",
        account=C.other_account_en(a1))
    add("zh", "docx", "unlisted_account_zh", "not_authorised", [F("bank_account", "not_authorised", a2["digits"])],
        f"付款账户 {a2['text']}（{a2['zh_bank']}）不是集团账户：not_authorised。",
        account=C.other_account_zh(a2))
    add("en", "txt", "unlisted_website_en", "not_authorised", [F("website", "not_authorised", "esign-contracts.example.net")],
        "Party B is to sign on https://esign-contracts.example.net, a website that is not the group's (exhaustive website policy).",
        extra=[("Electronic signature", "The Parties shall sign this Agreement electronically on https://esign-contracts.example.net.")])
    add("en", "pdf", "lookalike_website_en", "fraud_risk", [F("website", "fraud_risk", "iucg-group.example")],
        "The verification website is www.iucg-group.example, a domain built on the group's name.",
        contacts=lambda d: f"anti-fraud hotline {d.hotline}, email {EMAIL}, website https://www.iucg-group.example")
    add("zh", "txt", "confusable_website_zh", "fraud_risk", [F("website", "fraud_risk", "iucg.exаmple")],
        "官方网站写作 https://iucg.exаmple（西里尔字母 а），a confusable of the official domain.",
        contacts=lambda d: f"反诈骗热线{d.hotline}，电子邮箱{EMAIL}，官方网站 https://iucg.exаmple")
    m1, m2 = other_mobile(R), other_mobile(R)
    add("en", "docx", "signatory_other_phone_en", "fraud_risk", [F("phone", "fraud_risk", m1)],
        f"Wang Jianguo is given as Party A's contact with mobile {m1}, which is not his registered phone: impersonation.",
        extra=[("Contact person", f"Party A's contact for this Agreement is Wang Jianguo, mobile {m1[:3]} {m1[3:7]} {m1[7:]}.")])
    add("zh", "pdf", "signatory_other_phone_zh", "fraud_risk", [F("phone", "fraud_risk", m2)],
        f"王建国's phone is given as {m2}, not his registered one: impersonation.",
        extra=[("联系人", f"甲方本协议联系人：王建国，联系电话：{m2}。")])
    add("en", "txt", "signatory_own_contacts_en", "unknown",
        [F("phone", "verified", WANG["phone_digits"]), F("email", "verified", WANG["email"])],
        "Wang Jianguo's own registered mobile and email: verified; document unknown.",
        extra=[("Contact person", f"Party A's contact for this Agreement is Wang Jianguo, mobile {WANG['phone']}, email {WANG['email']}.")])
    add("zh", "docx", "signatory_own_contacts_zh", "unknown",
        [F("phone", "verified", LI["phone_digits"]), F("email", "verified", LI["email"])],
        "李梅's registered mobile 139 0013 9000 and email: verified; unknown.",
        extra=[("联系人", f"甲方授权代表李梅，手机139-0013-9000，邮箱{LI['email']}。")])
    add("en", "pdf", "official_invest_site_en", "unknown",
        [F("website", "verified", "invest.iucg.example"), F("phone", "verified", HOTLINE_DIGITS)],
        "Only official channels, including the investor-relations site invest.iucg.example.",
        contacts=lambda d: f"anti-fraud hotline {d.hotline}, investor relations https://invest.iucg.example/contracts")
    add("zh", "txt", "official_account_zh", "unknown", [F("bank_account", "verified", ACCOUNT_DIGITS)],
        "Only the official account (written with hyphens) and channels: unknown.",
        account=f"户名：{ENTITY_ZH}\n开户行：中国工商银行北京朝阳支行\n账号：6222-0210-0100-0012-345")
    return out


# --- clean -------------------------------------------------------------------------------------
# Genuine-looking agreements: registered signatories, allowed fees, official channels only.

CLEAN_PLAN = [
    # (lang, fmt, signer, signature style or None, title, layout)
    ("en", "pdf", WANG_P, None, "Investment Cooperation Agreement", "plain"),
    ("zh", "pdf", WANG_P, None, "投资合作协议", "cols"),
    ("en", "docx", LI_P, "table_en", "Project Investment Agreement", "plain"),
    ("zh", "docx", LI_P, "table_zh", "项目投资协议书", "plain"),
    ("mixed", "pdf", WANG_P, "table_mixed", None, "plain"),
    ("en", "txt", WANG_P, "on_behalf", "Project Financing Cooperation Agreement", "plain"),
    ("zh", "txt", WANG_P, "seal_zh", "投资合作框架协议", "plain"),
    ("en", "pdf", LI_P, "authorised_rep", "Investment Agreement", "cols"),
    ("zh", "pdf", LI_P, "shouquan_zh", "项目合作投资协议", "plain"),
    ("mixed", "docx", LI_P, "seal_mixed", None, "plain"),
    ("en", "docx", WANG_P, "signed_for", "Investment Cooperation Agreement", "plain"),
    ("zh", "docx", WANG_P, "xiansheng_zh", "投资合作协议", "plain"),
    ("en", "txt", LI_P, "next_line_en", "Investment Cooperation Agreement", "plain"),
    ("zh", "pdf", WANG_P, "next_line_zh", "投资协议", "plain"),
    ("mixed", "txt", WANG_P, None, None, "plain"),
    ("en", "pdf", WANG_P, "seal_line", "Investment Agreement", "plain"),
    ("zh", "txt", LI_P, "qianyue_zh", "项目投资合作协议", "plain"),
    ("en", "docx", WANG_P, "honorific_en", "Project Investment Agreement", "plain"),
    ("zh", "pdf", WANG_P, "honorific_zh", "投资合作协议", "cols"),
    ("mixed", "pdf", LI_P, "table_mixed", None, "cols"),
    ("en", "txt", WANG_P, "table_en", "Investment Cooperation Agreement", "plain"),
    ("zh", "docx", LI_P, "seal_zh", "投资合作协议书", "plain"),
]


def clean_items(g):
    out = []
    for n, (lang, fmt, who, style, title, layout) in enumerate(CLEAN_PLAN):
        deal = g.deal()
        if style:
            sig, written = S.sign(style, deal, who)
        else:
            sig = C.default_sig(deal, "zh" if lang == "zh" else "en", who)
            written = who["zh"] if lang == "zh" else who["en"]
        kw = {}
        blocks = C.agreement(deal, lang, sig=sig, title=title, layout=layout,
                             en=kw, zh=kw)
        findings = [F("signer", "verified", written),
                    F("bank_account", "verified", ACCOUNT_DIGITS)]
        if lang != "mixed":
            # "(010) 5555 0100" keeps its brackets when folded.
            findings.append(F("phone", "verified",
                              "55550100" if "(" in deal.hotline else HOTLINE_DIGITS))
        out.append(item("clean", lang, fmt, f"{lang}_{n:02d}", blocks, "unknown", findings,
                        f"Genuine-looking, unregistered: signed by {who['en']} ({who['zh']}), "
                        f"{deal.rate}% returns and a {deal.mgmt}% management fee only, official "
                        f"account, hotline ({deal.hotline}), email and website"
                        + (", articles in two columns" if layout == "cols" else "")
                        + ". No fraud_risk or not_authorised finding: unknown."))
    return out


def all_items(g):
    return (signer_items(g) + fee_items(g) + negation_items(g) + party_items(g)
            + contact_items(g) + clean_items(g))
