"""The agreement skeleton every corpus agreement is built on, in English, Chinese and both.

`agreement(...)` gives a genuine-looking investment cooperation agreement between the group's
investment subject and a project company, with only the fees the group allows (investment returns
and a management fee), payments to the official account and the official channels for
verification. Each category's template (agreements.py) changes exactly one part of it: who signs
for Party A, a fee clause, Party A's name, one contact, or a negated fee.
"""

from register import (ACCOUNT_BANK_EN, ACCOUNT_BANK_ZH, ACCOUNT_FORMS, EMAIL, ENTITY_EN,
                      ENTITY_USCC, ENTITY_ZH, HOTLINE_FORMS, WANG, party_b_uscc)

ZH_NUM = "零一二三四五六七八九"


def zh_number(n):
    if n < 10:
        return ZH_NUM[n]
    if n < 20:
        return "十" + (ZH_NUM[n % 10] if n % 10 else "")
    return ZH_NUM[n // 10] + "十" + (ZH_NUM[n % 10] if n % 10 else "")


DAXIE = "零壹贰叁肆伍陆柒捌玖"


def daxie(yuan):
    """An integer amount of yuan in Chinese capital numerals, as contracts write it."""
    def four(n):
        units = ["仟", "佰", "拾", ""]
        digits = f"{n:04d}"
        out, zero = "", False
        for d, u in zip(digits, units):
            if d == "0":
                zero = bool(out)
            else:
                out += ("零" if zero else "") + DAXIE[int(d)] + u
                zero = False
        return out
    yi, rest = divmod(yuan, 100_000_000)
    wan, ge = divmod(rest, 10_000)
    out = ""
    if yi:
        out += four(yi) + "亿"
    if wan:
        out += ("零" if out and wan < 1000 else "") + four(wan) + "万"
    if ge:
        out += ("零" if out and ge < 1000 else "") + four(ge)
    return out + "元整"


def rmb_en(yuan):
    return f"RMB {yuan:,}.00"


def rmb_zh(yuan, capital=True):
    text = f"人民币{yuan:,}.00元"
    return text + f"（大写：{daxie(yuan)}）" if capital else text


class Deal:
    """The particulars of one agreement: Party B, the project, amounts, dates."""

    def __init__(self, rng, pb):
        (self.b_zh, self.b_en, area, self.b_rep_zh, self.b_rep_en, self.proj_zh,
         self.proj_en) = pb
        self.b_uscc = party_b_uscc(rng, area)
        self.no = f"IUCG-IA-2026-{rng.randint(100, 9999):04d}"
        self.amount = rng.choice([30, 45, 50, 60, 80, 120, 150, 200]) * 1_000_000
        self.rate = rng.choice(["6.5", "7", "7.5", "8", "8.5"])
        self.mgmt = rng.choice(["1", "1.2", "1.5", "2"])
        self.month = rng.randint(1, 12)
        self.day = rng.randint(1, 28)
        self.date_en = f"2026-{self.month:02d}-{self.day:02d}"
        self.date_zh = f"2026年{self.month}月{self.day}日"
        self.hotline = rng.choice(HOTLINE_FORMS)
        self.account = rng.choice(ACCOUNT_FORMS)
        self.tranches = rng.choice([2, 3, 4])


def official_account_en(deal):
    return (f"Account name: {ENTITY_EN}\nBank: {ACCOUNT_BANK_EN}\n"
            f"Account number: {deal.account}")


def official_account_zh(deal):
    return f"户名：{ENTITY_ZH}\n开户行：{ACCOUNT_BANK_ZH}\n账号：{deal.account}"


def other_account_en(acct, holder=None):
    return (f"Account name: {holder or ENTITY_EN}\nBank: {acct['en_bank']}\n"
            f"Account number: {acct['text']}")


def other_account_zh(acct, holder=None):
    return f"户名：{holder or ENTITY_ZH}\n开户行：{acct['zh_bank']}\n账号：{acct['text']}"


def official_contacts_en(deal):
    return (f"anti-fraud hotline {deal.hotline}, email {EMAIL}, website https://iucg.example")


def official_contacts_zh(deal):
    return f"反诈骗热线{deal.hotline}，电子邮箱{EMAIL}，官方网站 https://iucg.example"


PARTY_A_EN = (f"Party A (Investor): {ENTITY_EN}\nUnified Social Credit Code: {ENTITY_USCC}\n"
              "Address: 18/F, Tower B, No. 6 Chaoyang Park Road, Chaoyang District, Beijing")
PARTY_A_ZH = (f"甲方（投资方）：{ENTITY_ZH}\n统一社会信用代码：{ENTITY_USCC}\n"
              "住所：北京市朝阳区朝阳公园路6号B座18层")


def party_b_en(deal):
    return (f"Party B (Project Company): {deal.b_en}\nUnified Social Credit Code: {deal.b_uscc}\n"
            f"Legal representative: {deal.b_rep_en}")


def party_b_zh(deal):
    return (f"乙方（项目方）：{deal.b_zh}\n统一社会信用代码：{deal.b_uscc}\n"
            f"法定代表人：{deal.b_rep_zh}")


def articles_en(deal, *, fee=(), account=None, contacts=None, no_other_fee=None, extra=()):
    """The numbered articles of an English agreement as (heading, text) pairs; `fee` and `extra`
    are further (heading, text) pairs put after the management fee and before the payments."""
    arts = [
        ("The Project", f"The Project is the {deal.proj_en} developed by Party B. Its site, scope "
         "and milestones are described in Annex 1."),
        ("Investment", f"Party A shall invest {rmb_en(deal.amount)} in the Project in "
         f"{deal.tranches} tranches. Each tranche is released after Party A has accepted Party "
         "B's progress report for the preceding milestone."),
        ("Investment returns", f"Party B shall pay Party A investment returns of {deal.rate}% "
         "per annum on the amount invested and outstanding, within ten working days after the "
         "end of each calendar quarter."),
        ("Management fee", f"Party B shall pay Party A a management fee of {deal.mgmt}% per annum "
         "of the amount invested, once a year."),
    ]
    arts += list(fee) + list(extra)
    if no_other_fee:
        arts.append(("No other charges", no_other_fee))
    arts.append(("Payments", "Party B shall make every payment under this Agreement to the "
                 "following account:\n" + (account or official_account_en(deal))))
    arts.append(("Verification and notices", "Party B may verify this Agreement and any request "
                 "made in Party A's name through Party A's official channels: "
                 + (contacts or official_contacts_en(deal)) + "."))
    arts += [
        ("Confidentiality", "Each Party shall keep confidential the terms of this Agreement, "
         "except as required by law."),
        ("Governing law", "This Agreement is governed by the laws of the People's Republic of "
         "China. Disputes shall be submitted to arbitration in Beijing."),
        ("Effect", "This Agreement takes effect when signed and sealed by both Parties and is "
         "made in two originals of equal force."),
    ]
    return arts


def articles_zh(deal, *, fee=(), account=None, contacts=None, no_other_fee=None, extra=()):
    arts = [
        ("项目概况", f"本协议所称项目为乙方开发建设的{deal.proj_zh}，项目选址、建设内容及进度节点详见附件一。"),
        ("投资金额", f"甲方向项目投资{rmb_zh(deal.amount)}，分{zh_number(deal.tranches)}期拨付。"
         "每期资金在甲方验收乙方上一阶段进度报告后拨付。"),
        ("投资收益", f"乙方按实际到位投资额的年化{deal.rate}%向甲方支付投资收益，每季度结束后十个工作日内支付。"),
        ("管理费", f"乙方每年按投资总额的{deal.mgmt}%向甲方支付管理费。"),
    ]
    arts += list(fee) + list(extra)
    if no_other_fee:
        arts.append(("其他费用", no_other_fee))
    arts.append(("付款方式", "乙方依本协议应付的一切款项，均须汇入以下账户：\n"
                 + (account or official_account_zh(deal))))
    arts.append(("核实与通知", "乙方可通过甲方官方渠道核实本协议及以甲方名义提出的任何要求："
                 + (contacts or official_contacts_zh(deal)) + "。"))
    arts += [
        ("保密", "双方对本协议内容负有保密义务，法律另有规定的除外。"),
        ("争议解决", "本协议适用中华人民共和国法律。因本协议产生的争议，提交北京仲裁委员会仲裁。"),
        ("生效", "本协议自双方签字盖章之日起生效，一式两份，双方各执一份，具有同等法律效力。"),
    ]
    return arts


def number_en(arts):
    return [f"Article {i} {h}. {t}" for i, (h, t) in enumerate(arts, 1)]


def number_zh(arts):
    return [f"第{zh_number(i)}条　{h}\n{t}" for i, (h, t) in enumerate(arts, 1)]


def number_mixed(en, zh):
    """Bilingual: each article in English, then the same article in Chinese."""
    out = []
    for i, ((he, te), (hz, tz)) in enumerate(zip(en, zh), 1):
        out.append(f"Article {i} {he}. {te}\n第{zh_number(i)}条　{hz}：{tz}")
    return out


def agreement(deal, lang, *, party_a=None, sig=None, layout="plain", title=None, en=None,
              zh=None):
    """The whole agreement as blocks (docs.py). `en` and `zh` are the keyword arguments of
    articles_en / articles_zh (a mixed agreement takes both); `sig` is a list of blocks for the
    signature page; `layout` is "plain", or "cols" to set the articles in two newspaper
    columns."""
    en, zh = en or {}, zh or {}
    if lang == "en":
        head = [("title", title or "Investment Cooperation Agreement"),
                ("p", f"Agreement No.: {deal.no}"),
                ("p", party_a or PARTY_A_EN), ("p", party_b_en(deal)),
                ("p", "Party A is the investment subject of International Union Construction "
                 "Group. After friendly consultation, the Parties agree as follows.")]
        body = number_en(articles_en(deal, **en))
    elif lang == "zh":
        head = [("title", title or "投资合作协议"), ("p", f"协议编号：{deal.no}"),
                ("p", party_a or PARTY_A_ZH), ("p", party_b_zh(deal)),
                ("p", "甲方系国际联合建设集团投资主体。甲乙双方本着平等互利的原则，经友好协商，"
                 "就项目投资事宜达成如下协议：")]
        body = number_zh(articles_zh(deal, **zh))
    else:
        head = [("title", title or "Investment Cooperation Agreement 投资合作协议"),
                ("p", f"Agreement No. 协议编号：{deal.no}"),
                ("p", party_a or (PARTY_A_EN + "\n" + PARTY_A_ZH)),
                ("p", party_b_en(deal) + "\n" + party_b_zh(deal))]
        body = number_mixed(articles_en(deal, **en), articles_zh(deal, **zh))
    if layout == "cols":
        blocks = head + [("cols", body)]
    else:
        blocks = head + [("p", t) for t in body]
    follows = "（以下为签署页）" if lang == "zh" else "(Signature page follows.)"
    return blocks + [("p", follows), ("break",)] + (sig or default_sig(deal, lang, WANG))


def default_sig(deal, lang, person):
    role_en = person.get("title_en") or person["role_en"]
    role_zh = person.get("title_zh") or person["role_zh"]
    if lang == "zh":
        return [("sig", [f"甲方（盖章）：{ENTITY_ZH}", f"{role_zh}：{person['zh']}", f"日期：{deal.date_zh}"],
                 [f"乙方（盖章）：{deal.b_zh}", f"法定代表人：{deal.b_rep_zh}", f"日期：{deal.date_zh}"])]
    return [("sig", [f"Party A: {ENTITY_EN} (seal)", f"{role_en}: {person['en']}",
                     f"Date: {deal.date_en}"],
             [f"Party B: {deal.b_en} (seal)", f"Legal representative: {deal.b_rep_en}",
              f"Date: {deal.date_en}"])]
